/*
 * static.c: static routes.
 *
 * A route's next hop is resolved like a router does: directly when it lies in
 * a connected subnet, otherwise recursively through the routing table (never
 * through another static route's own prefix). The RIB's next-hop tracking
 * (net/nht.h) calls back when a next hop's resolution changes, so a static
 * route follows the IGP route to its next hop. A route in a VRF (net/vrf.h)
 * resolves through that VRF's interfaces and routes and goes into its RIB;
 * a leaked one (nexthop_vrf) resolves in the other VRF and takes that
 * VRF's label stack to its next hop outside its own labels (RFC 4364 5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cli/cli.h"
#include "../lib/util.h"
#include "../net/mpls.h"
#include "../net/nht.h"
#include "../net/rib.h"
#include "../net/vrf.h"
#include "../lib/cfg.h"
#include "proto.h"
#include "static.h"

static const struct rib_src src_static = {"static", 1, false};

/* A configured route, and its tracked next hop while the protocol runs. */
struct static_entry {
	struct static_route r;
	struct nht *nh; /* NULL: blackhole, out of an interface, or not running */
};

struct static_state {
	struct static_entry *routes;
	size_t n, cap;
	struct node *node;
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

static bool
running(const struct static_state *st)
{
	const struct proto_inst *pi = proto_get(st->node, &proto_static);

	return pi != NULL && pi->running;
}

static bool resolve_hops(struct node *, const struct static_entry *, struct route *);

/* The VRF where e's next hop is (its own, unless leaked). */
static uint16_t
nh_vrf(const struct static_route *sr)
{
	return sr->leaked ? sr->nh_vrf : sr->vrf;
}

/*
 * The label stack of a leaked route's next hop nh (resolved in another
 * VRF, whose RIB numbers its stacks): that VRF's labels to the next hop
 * (an LSP's, outermost; implicit null means none) and the route's own
 * below them, interned in the route's RIB.
 */
static uint16_t
leaked_labels(struct node *n, const struct static_route *sr, const struct nexthop *nh)
{
	const struct label_stack *outer = rib_labels(node_rib(n, sr->nh_vrf), nh->labels);
	uint32_t v[LABEL_STACK_MAX];
	int k = 0;

	for (int i = 0; outer != NULL && i < outer->n; i++)
		if (outer->label[i] != MPLS_LABEL_IMPLICIT_NULL && k < LABEL_STACK_MAX)
			v[k++] = outer->label[i];
	for (int i = 0; i < sr->nlabels && k < LABEL_STACK_MAX; i++)
		v[k++] = sr->labels[i];
	return rib_labels_intern(node_rib(n, sr->vrf), v, k);
}

/* Fill r's next hops for e, each with the route's labels (if any); false if unresolvable now. */
static bool
resolve(struct node *n, const struct static_entry *e, struct route *r)
{
	uint16_t labels;

	if (!resolve_hops(n, e, r))
		return false;
	if (e->r.leaked) {
		for (int i = 0; i < r->nnh; i++)
			r->nh[i].labels = leaked_labels(n, &e->r, &r->nh[i]);
		return true;
	}
	if (e->r.nlabels == 0)
		return true;
	labels = rib_labels_intern(node_rib(n, e->r.vrf), e->r.labels, e->r.nlabels);
	for (int i = 0; i < r->nnh; i++)
		r->nh[i].labels = labels;
	return true;
}

static bool
resolve_hops(struct node *n, const struct static_entry *e, struct route *r)
{
	const struct static_route *sr = &e->r;

	r->nnh = 0;
	if (sr->blackhole)
		return true;
	if (sr->ifindex >= 0) {
		struct iface *ifp = n->ifs[sr->ifindex];

		if (!iface_is_up(ifp))
			return false;
		r->nh[0].gw = sr->via;
		r->nh[0].ifindex = ifp->idx;
		r->nnh = 1;
		return true;
	}
	if (e->nh == NULL || !e->nh->res.reachable)
		return false;
	r->nnh = e->nh->res.n;
	memcpy(r->nh, e->nh->res.nh, sizeof(r->nh[0]) * r->nnh);
	return true;
}

static void
sync(struct static_state *st)
{
	struct node *n = st->node;

	if (!running(st))
		return;
	for (uint16_t vrf = 0; vrf <= n->nvrfs; vrf++) {
		struct rib *rib = node_rib(n, vrf);

		rib_sync_begin(rib, &src_static);
		for (size_t i = 0; i < st->n; i++) {
			struct route r = {0};

			if (st->routes[i].r.vrf != vrf)
				continue;
			r.src = &src_static;
			r.code = "S";
			r.distance = st->routes[i].r.distance;
			if (resolve(n, &st->routes[i], &r))
				rib_add(rib, &st->routes[i].r.pfx, &r);
		}
		rib_sync_end(rib, &src_static);
	}
}

static void
nexthop_changed(struct node *n UNUSED, struct nht *h UNUSED, void *arg)
{
	sync(arg);
}

/* Next hops through the routing table are tracked while the protocol runs. */
static void
track(struct static_state *st, struct static_entry *e)
{
	if (e->r.blackhole || e->r.ifindex >= 0 || e->nh != NULL)
		return;
	e->nh = nht_track_vrf(st->node, nh_vrf(&e->r), e->r.via, e->r.pfx.len, nexthop_changed, st);
}

static void
untrack(struct static_entry *e)
{
	nht_untrack(e->nh);
	e->nh = NULL;
}

static void
static_start(struct proto_inst *pi)
{
	struct static_state *st = state(pi->node);

	for (size_t i = 0; i < st->n; i++)
		track(st, &st->routes[i]);
	sync(st);
}

static void
static_stop(struct proto_inst *pi)
{
	struct static_state *st = pi->priv;

	for (size_t i = 0; st != NULL && i < st->n; i++)
		untrack(&st->routes[i]);
	node_ribs_flush(pi->node, &src_static);
}

static void
static_destroy(struct proto_inst *pi)
{
	struct static_state *st = pi->priv;

	if (st) {
		for (size_t i = 0; i < st->n; i++)
			untrack(&st->routes[i]);
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
	struct static_entry e = {*sr, NULL};
	size_t i;

	if (sr->ifindex < 0 && !sr->blackhole && node_is_local_vrf(n, nh_vrf(sr), sr->via)) {
		snprintf(err, errlen, "next hop %s is this device's own address", ip_str(sr->via));
		return -1;
	}
	if (sr->ifindex >= 0 && n->ifs[sr->ifindex]->vrf != nh_vrf(sr)) {
		snprintf(err, errlen, "interface %s is in VRF %s, the %s in VRF %s",
		    n->ifs[sr->ifindex]->name, node_vrf_name(n, n->ifs[sr->ifindex]->vrf),
		    sr->leaked ? "next hop" : "route", node_vrf_name(n, nh_vrf(sr)));
		return -1;
	}
	if (sr->leaked && sr->blackhole) {
		snprintf(err, errlen, "a blackhole has no next hop VRF");
		return -1;
	}
	for (i = 0; i < st->n; i++)
		if (st->routes[i].r.vrf == sr->vrf && prefix_eq(&st->routes[i].r.pfx, &sr->pfx))
			break;
	if (i == st->n) {
		VEC_PUSH(st->routes, st->n, st->cap, e);
	} else {
		untrack(&st->routes[i]);
		st->routes[i] = e;
	}
	if (running(st))
		track(st, &st->routes[i]);
	sync(st);
	return 0;
}

int
static_route_del(struct node *n, uint16_t vrf, const struct prefix *p)
{
	struct static_state *st = state(n);

	for (size_t i = 0; i < st->n; i++) {
		if (st->routes[i].r.vrf != vrf || !prefix_eq(&st->routes[i].r.pfx, p))
			continue;
		untrack(&st->routes[i]);
		memmove(&st->routes[i], &st->routes[i + 1], sizeof(*st->routes) * (st->n - i - 1));
		st->n--;
		sync(st);
		return 0;
	}
	return -1;
}

bool
static_route_exists(const struct node *n, const struct prefix *p)
{
	const struct proto_inst *pi = proto_get(n, &proto_static);
	const struct static_state *st = pi ? pi->priv : NULL;

	for (size_t i = 0; st != NULL && i < st->n; i++)
		if (st->routes[i].r.vrf == VRF_DEFAULT && prefix_eq(&st->routes[i].r.pfx, p))
			return true;
	return false;
}

/*
 * Configuration: the device's `static_routes:` list:
 *   - {prefix: 10.9.0.0/16, via: 10.0.12.2}
 *   - {prefix: 0.0.0.0/0, interface: eth0}      (out of an interface)
 *   - {prefix: 192.0.2.0/24, blackhole: true}
 *   optional: distance (1-255), labels: [100, ...] (MPLS labels to push, outermost first),
 *   vrf: NAME (one of the device's `vrfs:`; the default VRF without it),
 *   nexthop_vrf: NAME (via is in that VRF: route leaking, FRR's nexthop-vrf)
 */
/* `labels: [100, 200]`: the stack an LSP's ingress pushes (a single number is one label). */
static bool
config_labels(const struct cfg *c, struct static_route *sr)
{
	bool ok = true;
	char err[160];

	if (c->type != CFG_SEQ)
		return mpls_cfg_label(c, "labels", false, &sr->labels[sr->nlabels++]);
	if (c->n == 0 || c->n > LABEL_STACK_MAX)
		return cfg_error(c, "labels: 1-%d labels", LABEL_STACK_MAX);
	for (size_t i = 0; i < c->n; i++)
		if (!mpls_cfg_label(c->v[i], "labels", false, &sr->labels[sr->nlabels++]))
			ok = false;
	if (ok && !mpls_stack_valid(sr->labels, sr->nlabels, err, sizeof(err)))
		ok = cfg_error(c, "labels: %s", err);
	return ok;
}

/* `vrf: NAME` (key "vrf") or `nexthop_vrf: NAME`: a VRF of the device, into *out. */
static bool
config_vrf(const struct node *n, const struct cfg *c, const char *key, uint16_t *out)
{
	const char *name;
	int id;

	if (!cfg_str(c, key, &name))
		return false;
	if ((id = node_vrf_id(n, name)) < 0)
		return cfg_error(c, "no VRF '%s' on %s", name, n->name);
	*out = (uint16_t)id;
	return true;
}

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
		if ((c = cfg_get(e, "labels")) != NULL && !config_labels(c, &sr))
			rc = -1;
		if ((c = cfg_get(e, "vrf")) != NULL && !config_vrf(n, c, "vrf", &sr.vrf))
			rc = -1;
		if ((c = cfg_get(e, "nexthop_vrf")) != NULL) {
			sr.leaked = true;
			if (!config_vrf(n, c, "nexthop_vrf", &sr.nh_vrf))
				rc = -1;
		}
		if (ifname != NULL) {
			struct iface *ifp = node_iface(n, ifname);

			if (ifp == NULL) {
				cfg_error(cfg_get(e, "interface"), "no interface '%s' on %s", ifname,
				    n->name);
				rc = -1;
			} else
				sr.ifindex = ifp->idx;
		}
		if (sr.via == 0 && ifname == NULL && !sr.blackhole && cfg_get(e, "via") == NULL) {
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
	int vrf = VRF_DEFAULT;

	if (argc == 3 && strcmp(argv[1], "vrf") == 0 && (vrf = cli_vrf_arg(c, argv[2])) < 0)
		return 1;
	if ((argc != 1 && argc != 3) || !prefix_parse(argv[0], &p) ||
	    (argc == 3 && strcmp(argv[1], "vrf") != 0))
		return cli_fail(c, "usage: route del PREFIX [vrf NAME]");
	if (static_route_del(c->node, (uint16_t)vrf, &p) < 0)
		return cli_fail(c, "no static route to %s%s%s", prefix_str(&p),
		    vrf ? " in VRF " : "", vrf ? argv[2] : "");
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
		} else if (strcmp(argv[i], "vrf") == 0 && i + 1 < argc) {
			int vrf = cli_vrf_arg(c, argv[++i]);

			if (vrf < 0)
				return 1;
			sr.vrf = (uint16_t)vrf;
		} else if (strcmp(argv[i], "nexthop-vrf") == 0 && i + 1 < argc) {
			int vrf = cli_vrf_arg(c, argv[++i]);

			if (vrf < 0)
				return 1;
			sr.leaked = true;
			sr.nh_vrf = (uint16_t)vrf;
		} else if (strcmp(argv[i], "label") == 0 && i + 1 < argc) {
			int k = mpls_labels_parse(argv[++i], sr.labels, LABEL_STACK_MAX, err, sizeof(err));

			if (k < 0)
				return cli_fail(c, "%s", err);
			sr.nlabels = (uint8_t)k;
		} else {
			return cli_fail(c, "unexpected '%s' (usage: route add PREFIX via IP "
					   "[dev IF] [distance N] [label N[/N...]] [vrf NAME] [nexthop-vrf NAME])",
			    argv[i]);
		}
	}
	if (sr.via == 0 && sr.ifindex < 0 && !sr.blackhole)
		return cli_fail(c, "route add needs 'via IP', 'dev IF' or 'blackhole'");
	if (static_route_add(c->node, &sr, err, sizeof(err)) < 0)
		return cli_fail(c, "%s", err);
	return 0;
}

static const struct cli_cmd static_cmds[] = {
	{"route add", "PREFIX via IP [dev IFACE] [distance N] [label N[/N...]] [vrf NAME] "
	    "[nexthop-vrf NAME] | "
	    "PREFIX blackhole [vrf NAME]", "add a static route", cmd_route_add, CLI_L3},
	{"route del", "PREFIX [vrf NAME]", "remove a static route", cmd_route_del, CLI_L3},
	{NULL},
};

static const char *const static_route_codes[] = {"S - static", NULL};

const struct protocol proto_static = {
	.name = "static",
	.config = static_config,
	.start = static_start,
	.stop = static_stop,
	.destroy = static_destroy,
	.if_notify = static_if_notify,
	.cmds = static_cmds,
	.route_codes = static_route_codes,
};
