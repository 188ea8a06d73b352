/*
 * filter.c: BGP's use of routing policy (proto/policy): the route maps a
 * neighbor's routes go through, in and out, soft-reconfiguration inbound,
 * and applying a changed policy without resetting a session.
 *
 * Where the maps apply, as in FRR:
 *   - import (`import: NAME` on a neighbor, FRR's `route-map NAME in`):
 *     after the loop and sanity checks and the neighbor's weight (adjin.c),
 *     per prefix; a denied route is treated as withdrawn;
 *   - export (`export: NAME`, `route-map NAME out`): after the export rules
 *     (out.c), before our own AS is prepended and the NEXT_HOP set, so that
 *     the map sees the path as the table has it. Neighbors with different
 *     export maps are in different update groups;
 *   - redistribution (`redistribute: [{protocol, route_map}]`, origin.c).
 * ebgp_requires_policy (FRR's default-deny, off by default in netsim): an
 * eBGP neighbor without a map in a direction gets and sends nothing. A map
 * that is named but missing (deleted at run time) denies everything, as FRR.
 *
 * A policy change at run time (policy_replace in global context) calls
 * bgp_policy_changed: the import of every neighbor whose map uses the
 * changed object is applied again, from what it
 * sent when soft-reconfiguration inbound keeps it (FRR's `neighbor X
 * soft-reconfiguration inbound`), else by asking it with a ROUTE-REFRESH
 * (RFC 2918) when it has the capability (a neighbor with neither keeps its
 * routes as they were accepted, and a warning says so); every update
 * group whose export map uses it goes through its routes again and sends
 * only the differences.
 */
#include <stdlib.h>
#include <string.h>

#include "../../cli/cli.h"
#include "../../lib/log.h"
#include "../../lib/util.h"
#include "../policy/policy.h"
#include "bgp.h"

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
bgp_filter_init(struct bgp_peer *p)
{
	if (p->map_in == NULL && p->map_out == NULL) {
		p->map_in = dup_or_null(p->cfg->import_map);
		p->map_out = dup_or_null(p->cfg->export_map);
	}
	if (p->cfg->soft_in && p->adjin == NULL) {
		p->adjin = xmalloc(sizeof(*p->adjin));
		hmap_init(p->adjin);
	}
}

/* Forget what the neighbor sent (the session ended, or the instance goes). */
static void
store_clear(struct bgp_peer *p)
{
	uint64_t k;
	void *v;

	if (p->adjin == NULL)
		return;
	for (size_t i = 0; hmap_next(p->adjin, &i, &k, &v);)
		bgp_attr_unref(v);
	hmap_free(p->adjin);
	hmap_init(p->adjin);
}

void
bgp_filter_free(struct bgp_peer *p)
{
	store_clear(p);
	if (p->adjin != NULL)
		hmap_free(p->adjin);
	free(p->adjin);
	free(p->map_in);
	free(p->map_out);
	p->adjin = NULL;
	p->map_in = p->map_out = NULL;
}

void
bgp_filter_store(struct bgp_peer *p, const struct prefix *pfx, const struct bgp_attr *rx)
{
	uint64_t k = prefix_key(pfx);
	const struct bgp_attr *old;

	if (p->adjin == NULL)
		return;
	old = hmap_get(p->adjin, k);
	if (old != NULL)
		bgp_attr_unref(old);
	if (rx != NULL)
		hmap_put(p->adjin, k, (void *)bgp_attr_ref(rx));
	else if (old != NULL)
		hmap_del(p->adjin, k);
}

/* The session went down: what it sent goes with it. */
void
bgp_filter_peer_down(struct bgp_peer *p)
{
	store_clear(p);
}

const struct policy_map *
bgp_filter_map(const struct bgp_peer *p, bool out, bool *deny_all)
{
	const char *name = out ? p->map_out : p->map_in;
	const struct policy_map *m = name != NULL ? policy_find(p->bgp->node, name) : NULL;

	*deny_all = name != NULL ? m == NULL : p->ebgp && p->bgp->cfg.ebgp_requires_policy;
	return m;
}

/* How a policy names where a path of the table came from (`match route_type`). */
static const char *
route_type(const struct bgp *b, const struct bgp_path *best, const struct prefix *pfx)
{
	const struct bgp_peer *peer = bgp_path_peer(b, best);
	const struct rib_entry *e;
	const struct rib_path *rp;

	if (peer != NULL)
		return peer->ebgp ? "ebgp" : "ibgp";
	if (best->kind != BGP_KIND_REDIST)
		return "local";
	/* Redistributed: the protocol of the RIB route it came from. */
	e = rib_lookup_exact(bgp_rib(b), pfx);
	rp = e != NULL ? rib_best(e) : NULL;
	return rp != NULL ? rib_path_src(rp)->name : "local";
}

void
bgp_filter_route(struct policy_route *r, const struct bgp *b, const struct bgp_path *best,
    const struct bgp_peer *p, const struct prefix *pfx, struct bgp_attr *e)
{
	r->pfx = *pfx;
	r->attr = e;
	r->local_as = b->cfg.as;
	r->tag = e->tag;
	r->nh_unchanged = r->nh_peer = r->nh_self = false;
	r->used = 0;
	r->self_addr = 0;
	if (best == NULL) { /* import from p */
		r->peer_addr = p->cfg->ip;
		r->peer_as = p->cfg->remote_as;
		r->route_type = p->ebgp ? "ebgp" : "ibgp";
	} else { /* export to p's update group */
		r->peer_addr = p != NULL ? p->cfg->ip : 0;
		r->peer_as = p != NULL ? p->cfg->remote_as : 0;
		r->route_type = route_type(b, best, pfx);
	}
}

void
bgp_filter_reimport(struct bgp_peer *p)
{
	struct bgp *b = p->bgp;
	uint64_t k;
	void *v;

	if (p->est == NULL)
		return;
	if (p->adjin == NULL) {
		if (p->rr_cap)
			bgp_peer_clear(p, true, true, false);
		else
			log_warn("%s: bgp: neighbor %s has neither soft-reconfiguration inbound nor route "
			         "refresh: its routes keep the import policy they were accepted with",
			         b->node->name, ip_str(p->cfg->ip));
		return;
	}
	for (size_t i = 0; hmap_next(p->adjin, &i, &k, &v);) {
		struct bgp_pfx pfx = {(uint32_t)(k >> 8), (uint8_t)k};

		bgp_adjin_accept(p, &pfx, 1, v);
	}
}

void
bgp_policy_changed(struct proto_inst *pi, const char *kind, const char *name)
{
	struct bgp *b = bgp_of(pi);

	if (b == NULL || !b->started)
		return;
	/* As FRR: only the neighbors whose maps use what changed, in and out. */
	for (size_t i = 0; i < b->npeers; i++)
		if (b->peers[i].map_in != NULL &&
		    policy_map_refers(b->node, b->peers[i].map_in, kind, name))
			bgp_filter_reimport(&b->peers[i]);
	bgp_out_policy_changed(b, kind, name);
}

/* ---- `[no] neighbor IP route-map NAME in|out` ---- */

static int
route_map_cmd(struct cli_ctx *c, int argc, char **argv, bool on)
{
	static const char *const words[] = {"route-map"}, *const dirs[] = {"in", "out"};
	struct bgp *b = bgp_running(c);
	struct bgp_peer *p;
	uint32_t ip;
	int dir;
	char **slot;

	if (argc != 4 || cli_keyword(c, "neighbor setting", argv[1], words, 1) < 0)
		return argc != 4 ? cli_fail(c, "usage: %sneighbor IP route-map NAME in|out",
		                            on ? "" : "no ")
		                 : 1;
	if ((dir = cli_keyword(c, "direction", argv[3], dirs, 2)) < 0)
		return 1;
	if (b == NULL)
		return cli_fail(c, "BGP is not running on %s", c->node->name);
	if (!ip_parse(argv[0], &ip))
		return cli_fail(c, "bad neighbor address '%s'", argv[0]);
	if ((p = bgp_peer_find(b, ip)) == NULL)
		return cli_fail(c, "no BGP neighbor %s on %s", argv[0], c->node->name);
	slot = dir == 0 ? &p->map_in : &p->map_out;
	if (on && policy_find(c->node, argv[2]) == NULL)
		return cli_fail(c, "no route map '%s' on %s", argv[2], c->node->name);
	if (!on && (*slot == NULL || strcmp(*slot, argv[2]) != 0))
		return cli_fail(c, "neighbor %s has no route map '%s' %s", argv[0], argv[2], argv[3]);
	free(*slot);
	*slot = on ? xstrdup(argv[2]) : NULL;
	if (dir == 0)
		bgp_filter_reimport(p);
	else
		bgp_out_regroup(p);
	return 0;
}

int
bgp_cmd_route_map(struct cli_ctx *c, int argc, char **argv)
{
	return route_map_cmd(c, argc, argv, true);
}

int
bgp_cmd_no_route_map(struct cli_ctx *c, int argc, char **argv)
{
	return route_map_cmd(c, argc, argv, false);
}
