/*
 * static.c: static routes.
 *
 * A route's next hop is resolved like a router does: directly when it lies in
 * a connected subnet, otherwise recursively through the routing table (never
 * through another static route's own prefix). Resolution is redone, on a
 * zero-delay timer, whenever the RIB changes, so a static route follows the
 * IGP route to its next hop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cli/cli.h"
#include "../lib/util.h"
#include "../net/fib.h"
#include "../net/rib.h"
#include "../topo/cfg.h"
#include "proto.h"
#include "static.h"

static const struct rib_src src_static = {"static", 1};

struct static_state {
	struct static_route *routes;
	size_t n, cap;
	struct timer resolve;
	struct node *node;
	bool watching;
};

static struct static_state *
state(struct node *n)
{
	struct proto_inst *pi = proto_instance(n, &proto_static);

	if (pi->priv == NULL) {
		struct static_state *st = xcalloc(1, sizeof(*st));

		st->node = n;
		pi->priv = st;
	}
	return pi->priv;
}

/* Fill r's next hops for sr; false if unresolvable now. */
static bool
resolve(struct node *n, const struct static_route *sr, struct route *r)
{
	struct fib_entry fe;
	struct iface *ifp;

	r->nnh = 0;
	if (sr->blackhole)
		return true;
	if (sr->ifindex >= 0) {
		ifp = n->ifs[sr->ifindex];
		if (!iface_is_up(ifp))
			return false;
		r->nh[0].gw = sr->via;
		r->nh[0].ifindex = ifp->idx;
		r->nnh = 1;
		return true;
	}
	ifp = node_iface_for(n, sr->via);
	if (ifp != NULL) {
		if (!iface_is_up(ifp))
			return false;
		r->nh[0].gw = sr->via;
		r->nh[0].ifindex = ifp->idx;
		r->nnh = 1;
		return true;
	}
	/* Recursive: through whatever route covers via, but not through this very prefix. */
	if (!fib_lookup(n->rib, sr->via, &fe) || fe.nhg == NULL || fe.pfx.len <= sr->pfx.len)
		return false;
	for (int i = 0; i < fe.nhg->n; i++) {
		r->nh[r->nnh].gw = fe.nhg->nh[i].gw ? fe.nhg->nh[i].gw : sr->via;
		r->nh[r->nnh].ifindex = fe.nhg->nh[i].ifindex;
		r->nnh++;
	}
	return r->nnh > 0;
}

static void
sync(struct static_state *st)
{
	struct node *n = st->node;
	struct proto_inst *pi = proto_get(n, &proto_static);

	if (pi == NULL || !pi->running)
		return;
	rib_sync_begin(n->rib, &src_static);
	for (size_t i = 0; i < st->n; i++) {
		struct route r = {0};

		r.src = &src_static;
		r.code = "S";
		r.distance = st->routes[i].distance;
		if (resolve(n, &st->routes[i], &r))
			rib_add(n->rib, &st->routes[i].pfx, &r);
	}
	rib_sync_end(n->rib, &src_static);
}

static void
resolve_fire(struct timer *t)
{
	sync(t->arg);
}

static void
rib_changed(struct node *n UNUSED, const struct rib_change *ch, void *arg)
{
	struct static_state *st = arg;

	/* Our own changes need no second look. */
	if (st->n == 0 || ch->src == &src_static)
		return;
	if (!timer_pending(&st->resolve))
		timer_set(&st->resolve, 0);
}

static void
static_start(struct proto_inst *pi)
{
	struct static_state *st = state(pi->node);

	/*
	 * Once: after a crash the timer may already be pending again (the connected
	 * routes of the restart woke it), and re-initialising a pending timer
	 * corrupts the node's timer heap.
	 */
	if (!st->watching) {
		timer_init(&st->resolve, &pi->node->actor, resolve_fire, st);
		rib_watch(pi->node->rib, rib_changed, st);
		st->watching = true;
	}
	sync(st);
}

static void
static_stop(struct proto_inst *pi)
{
	struct static_state *st = pi->priv;

	if (st)
		timer_cancel(&st->resolve);
	rib_flush(pi->node->rib, &src_static);
}

static void
static_destroy(struct proto_inst *pi)
{
	struct static_state *st = pi->priv;

	if (st) {
		free(st->routes);
		free(st);
	}
}

static void
static_if_notify(struct proto_inst *pi, struct iface *ifp UNUSED, enum if_event ev UNUSED)
{
	sync(pi->priv);
}

int
static_route_add(struct node *n, const struct static_route *sr, char *err, size_t errlen)
{
	struct static_state *st = state(n);
	size_t i;

	if (sr->ifindex < 0 && !sr->blackhole && node_is_local(n, sr->via)) {
		snprintf(err, errlen, "next hop %s is this device's own address", ip_str(sr->via));
		return -1;
	}
	for (i = 0; i < st->n; i++)
		if (prefix_eq(&st->routes[i].pfx, &sr->pfx))
			break;
	if (i == st->n)
		VEC_PUSH(st->routes, st->n, st->cap, *sr);
	else
		st->routes[i] = *sr;
	sync(st);
	return 0;
}

int
static_route_del(struct node *n, const struct prefix *p)
{
	struct static_state *st = state(n);

	for (size_t i = 0; i < st->n; i++) {
		if (!prefix_eq(&st->routes[i].pfx, p))
			continue;
		memmove(&st->routes[i], &st->routes[i + 1], sizeof(*st->routes) * (st->n - i - 1));
		st->n--;
		sync(st);
		return 0;
	}
	return -1;
}

/*
 * Configuration: the device's `static_routes:` list:
 *   - {prefix: 10.9.0.0/16, via: 10.0.12.2}
 *   - {prefix: 0.0.0.0/0, interface: eth0}      (out of an interface)
 *   - {prefix: 192.0.2.0/24, blackhole: true}
 *   optional: distance (1-255)
 */
static int
static_config(struct proto_inst *pi, const struct cfg *list)
{
	struct node *n = pi->node;
	int rc = 0;

	if (list == NULL)
		return 0;
	if (!cfg_is_seq(list, "static_routes"))
		return -1;
	for (size_t i = 0; i < list->n; i++) {
		const struct cfg *e = list->v[i], *c;
		struct static_route sr = {.ifindex = -1, .distance = 1};
		const char *ifname = NULL;
		long long dist = 1;
		char err[128];

		if (!cfg_is_map(e, "static route")) {
			rc = -1;
			continue;
		}
		if ((c = cfg_get(e, "prefix")) == NULL) {
			cfg_error(e, "static route needs 'prefix'");
			rc = -1;
		} else if (!cfg_prefix(c, "prefix", &sr.pfx))
			rc = -1;
		if ((c = cfg_get(e, "via")) != NULL && !cfg_ip(c, "via", &sr.via))
			rc = -1;
		if (!cfg_opt_str(e, "interface", &ifname) || !cfg_opt_bool(e, "blackhole", &sr.blackhole) ||
		    !cfg_opt_int(e, "distance", 1, 255, &dist))
			rc = -1;
		sr.distance = (uint8_t)dist;
		if (ifname != NULL) {
			struct iface *ifp = node_iface(n, ifname);

			if (ifp == NULL) {
				cfg_error(cfg_get(e, "interface"), "no interface '%s' on %s", ifname,
				    n->name);
				rc = -1;
			} else
				sr.ifindex = ifp->idx;
		}
		if (sr.via == 0 && ifname == NULL && !sr.blackhole && c == NULL) {
			cfg_error(e, "static route needs 'via', 'interface' or 'blackhole'");
			rc = -1;
		}
		cfg_check_unknown(e, "static route");
		if (rc == 0 && static_route_add(n, &sr, err, sizeof(err)) < 0) {
			cfg_error(e, "%s", err);
			rc = -1;
		}
	}
	return rc;
}

/* --- commands ------------------------------------------------------------------------- */

static int
cmd_route_del(struct cli_ctx *c, int argc, char **argv)
{
	struct prefix p;

	if (argc != 1 || !prefix_parse(argv[0], &p))
		return cli_fail(c, "usage: route del PREFIX");
	if (static_route_del(c->node, &p) < 0)
		return cli_fail(c, "no static route to %s", prefix_str(&p));
	return 0;
}

static int
cmd_route_add(struct cli_ctx *c, int argc, char **argv)
{
	struct static_route sr = {.ifindex = -1, .distance = 1};
	char err[128];

	if (argc < 1 || !prefix_parse(argv[0], &sr.pfx))
		return cli_fail(c, "expected a prefix such as 10.9.0.0/16, got '%s'",
		    argc ? argv[0] : "");
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "via") == 0 && i + 1 < argc) {
			if (!ip_parse(argv[++i], &sr.via))
				return cli_fail(c, "bad next hop '%s'", argv[i]);
		} else if (strcmp(argv[i], "dev") == 0 && i + 1 < argc) {
			struct iface *ifp = node_iface(c->node, argv[++i]);

			if (ifp == NULL)
				return cli_fail(c, "no interface '%s'", argv[i]);
			sr.ifindex = ifp->idx;
		} else if (strcmp(argv[i], "distance") == 0 && i + 1 < argc) {
			int d = atoi(argv[++i]);

			if (d < 1 || d > 255)
				return cli_fail(c, "distance must be 1-255");
			sr.distance = (uint8_t)d;
		} else if (strcmp(argv[i], "blackhole") == 0) {
			sr.blackhole = true;
		} else {
			return cli_fail(c, "unexpected '%s' (usage: route add PREFIX via IP "
					   "[dev IF] [distance N])", argv[i]);
		}
	}
	if (sr.via == 0 && sr.ifindex < 0 && !sr.blackhole)
		return cli_fail(c, "route add needs 'via IP', 'dev IF' or 'blackhole'");
	if (static_route_add(c->node, &sr, err, sizeof(err)) < 0)
		return cli_fail(c, "%s", err);
	return 0;
}

static const struct cli_cmd static_cmds[] = {
	{"route add", "PREFIX via IP [dev IFACE] [distance N] | PREFIX blackhole",
	    "add a static route", cmd_route_add, CLI_L3},
	{"route del", "PREFIX", "remove a static route", cmd_route_del, CLI_L3},
	{NULL},
};

const struct protocol proto_static = {
	.name = "static",
	.config = static_config,
	.start = static_start,
	.stop = static_stop,
	.destroy = static_destroy,
	.if_notify = static_if_notify,
	.cmds = static_cmds,
};
