/*
 * origin.c: the routes a router originates into BGP.
 *
 *   - `networks:` (FRR's `network`): advertised while the node's RIB has a
 *     route for exactly that prefix, from another protocol (import check,
 *     as Cisco and FRR do by default), or always with import_check: false.
 *     ORIGIN IGP, MED the route's metric.
 *   - `redistribute:` (the shared redist.h service): the node's selected
 *     routes of the named protocols, ORIGIN incomplete, MED the rule's
 *     metric or else the route's, through the rule's route map if it names
 *     one (`match route_type` is the protocol, `match tag` the route's).
 *   - `aggregate_addresses:` (RFC 4271 9.2.2.2): present while at least one
 *     more specific route is in the table; ORIGIN the "worst" of theirs, an
 *     empty AS_PATH with ATOMIC_AGGREGATE, or with as_set an AS_SET of
 *     every AS on their paths; AGGREGATOR our AS and router ID;
 *     summary_only keeps the more specific routes from being advertised.
 *     The aggregate is installed as a discard route, as FRR does.
 * Local paths carry weight 32768 and NEXT_HOP 0.0.0.0 ("ourselves"), as
 * FRR shows them.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/util.h"
#include "../policy/policy.h"
#include "bgp.h"

#define LOCAL_WEIGHT 32768

/*
 * Originate pfx with ORIGIN origin and MED med (when med_set), through the
 * route map named map when there is one (redistribution): a route it
 * denies, or a map that is named but missing, is not originated.
 */
static void
originate(struct bgp *b, const struct prefix *pfx, uint8_t kind, uint8_t origin, bool med_set,
    uint32_t med, const char *map, const struct rib_path *from)
{
	struct bgp_attr a = {.origin = origin, .weight = LOCAL_WEIGHT, .has = BGP_HAS_NEXT_HOP};
	const struct bgp_attr *ia;

	if (med_set) {
		a.has |= BGP_HAS_MED;
		a.med = med;
	}
	if (map != NULL) {
		const struct policy_map *m = policy_find(b->node, map);
		struct policy_route r = {.pfx = *pfx, .attr = &a, .local_as = b->cfg.as,
		                         .route_type = rib_path_src(from)->name,
		                         .tag = rib_path_tag(bgp_rib(b), from)};

		if (m == NULL || policy_apply(m, &r) == POLICY_DENY) {
			bgp_path_update(b, pfx, NULL, kind, NULL);
			return;
		}
		a.tag = r.tag;
	}
	ia = bgp_attr_intern(&a);
	bgp_path_update(b, pfx, NULL, kind, ia);
	bgp_attr_unref(ia);
}

/* A RIB route for pfx from another protocol (not BGP's own), or NULL. */
static const struct rib_path *
rib_route_of(const struct bgp *b, const struct prefix *pfx)
{
	const struct rib_entry *e = rib_lookup_exact(bgp_rib(b), pfx);
	const struct rib_path *p = e != NULL && e->installed ? rib_best(e) : NULL;

	if (p == NULL || rib_path_src(p) == &bgp_src_ebgp || rib_path_src(p) == &bgp_src_ibgp)
		return NULL;
	return p;
}

static void
network_check(struct bgp *b, const struct prefix *pfx)
{
	const struct rib_path *r = rib_route_of(b, pfx);

	if (r == NULL && b->cfg.import_check)
		bgp_path_update(b, pfx, NULL, BGP_KIND_NETWORK, NULL);
	else
		originate(b, pfx, BGP_KIND_NETWORK, BGP_ORIGIN_IGP, true, r ? r->metric : 0, NULL, NULL);
}

static void
redist_check(struct bgp *b, const struct prefix *pfx)
{
	const struct rib_entry *e = rib_lookup_exact(bgp_rib(b), pfx);
	const struct rib_path *p = e != NULL && e->installed ? rib_best(e) : NULL;
	const struct redist_rule *rule = redist_rule(&b->cfg.redist, p);

	if (rule == NULL)
		bgp_path_update(b, pfx, NULL, BGP_KIND_REDIST, NULL);
	else
		originate(b, pfx, BGP_KIND_REDIST, BGP_ORIGIN_INCOMPLETE, true,
		    rule->metric ? rule->metric : p->metric, rule->route_map, p);
}

static void
rib_changed(struct node *n UNUSED, const struct rib_change *ch, void *arg)
{
	struct bgp *b = arg;

	if (!b->started || ch->src == &bgp_src_ebgp || ch->src == &bgp_src_ibgp)
		return;
	for (size_t i = 0; i < b->cfg.nnetworks; i++)
		if (prefix_eq(&b->cfg.networks[i], &ch->pfx))
			network_check(b, &ch->pfx);
	if (b->cfg.redist.any && (redist_concerns(&b->cfg.redist, ch) ||
	    bgp_dest_get(b, &ch->pfx, false) != NULL))
		redist_check(b, &ch->pfx);
}

void
bgp_origin_start(struct bgp *b)
{
	if (!b->watching) {
		rib_watch(bgp_rib(b), rib_changed, b);
		b->watching = true;
	}
	for (size_t i = 0; i < b->cfg.nnetworks; i++)
		network_check(b, &b->cfg.networks[i]);
	if (b->cfg.redist.any) {
		size_t n;
		struct rib_entry **all = rib_sorted(bgp_rib(b), &n);

		for (size_t i = 0; i < n; i++) {
			struct prefix pfx = rib_prefix(all[i]);

			if (redist_rule(&b->cfg.redist, rib_best(all[i])) != NULL)
				redist_check(b, &pfx);
		}
		free(all);
	}
}

/* ---- aggregates ---- */

static bool
covers(const struct prefix *aggr, const struct prefix *p)
{
	return p->len > aggr->len && prefix_contains(aggr, p->addr);
}

static uint8_t
worse_origin(uint8_t a, uint8_t b)
{
	return a > b ? a : b; /* IGP < EGP < INCOMPLETE (RFC 4271 9.2.2.2) */
}

/* Add the ASes of path to set (sorted, unique), as AS_SET members. */
static void
collect_as(const struct bgp_attr *a, uint32_t *set, size_t *n, size_t cap)
{
	for (size_t off = 0; off + 2 <= a->aspath_len;) {
		uint8_t cnt = a->aspath[off + 1];

		for (unsigned i = 0; i < cnt && off + 6 + 4 * i <= a->aspath_len; i++) {
			uint32_t as = get32(a->aspath + off + 2 + 4 * i);
			size_t j = *n;

			while (j > 0 && set[j - 1] > as)
				j--;
			if ((j > 0 && set[j - 1] == as) || *n == cap)
				continue;
			memmove(set + j + 1, set + j, (*n - j) * sizeof(*set));
			set[j] = as;
			(*n)++;
		}
		off += 2 + (size_t)cnt * 4;
	}
}

static void
aggregate(struct bgp *b, const struct bgp_aggr_cfg *ac)
{
	struct bgp_attr a = {.origin = BGP_ORIGIN_IGP, .weight = LOCAL_WEIGHT,
	                     .has = BGP_HAS_NEXT_HOP | BGP_HAS_AGGREGATOR};
	uint32_t set[255];
	uint8_t path[2 + 4 * 255];
	size_t nset = 0, contributors = 0;
	const struct bgp_attr *ia;
	struct bgp_dest *d;

	for (size_t i = 0; (d = bgp_dest_next(b, &i)) != NULL;) {
		const struct bgp_path *best = bgp_dest_best(b, d);
		bool sup;

		if (!covers(&ac->pfx, &d->pfx))
			continue;
		sup = ac->summary_only && best != NULL;
		if (best != NULL) {
			contributors++;
			a.origin = worse_origin(a.origin, best->attr->origin);
			if (ac->as_set)
				collect_as(best->attr, set, &nset, ARRAY_LEN(set));
		}
		if (sup != d->suppressed) {
			d->suppressed = sup;
			bgp_out_dest_changed(b, d);
		}
	}
	if (contributors == 0) {
		bgp_path_update(b, &ac->pfx, NULL, BGP_KIND_AGGREGATE, NULL);
		return;
	}
	a.aggr_as = b->cfg.as;
	a.aggr_addr = b->router_id;
	if (ac->as_set && nset > 0) {
		path[0] = BGP_AS_SET;
		path[1] = (uint8_t)nset;
		for (size_t i = 0; i < nset; i++)
			put32(path + 2 + 4 * i, set[i]);
		a.aspath = path;
		a.aspath_len = (uint16_t)(2 + 4 * nset);
	} else {
		a.has |= BGP_HAS_ATOMIC_AGGR;
	}
	ia = bgp_attr_intern(&a);
	bgp_path_update(b, &ac->pfx, NULL, BGP_KIND_AGGREGATE, ia);
	bgp_attr_unref(ia);
}

void
bgp_aggr_dest_changed(struct bgp *b, const struct bgp_dest *d)
{
	for (size_t i = 0; i < b->cfg.naggrs; i++)
		if (covers(&b->cfg.aggrs[i].pfx, &d->pfx)) {
			if (b->aggr_dirty == NULL)
				b->aggr_dirty = xcalloc(b->cfg.naggrs, sizeof(*b->aggr_dirty));
			b->aggr_dirty[i] = true;
		}
}

/*
 * Recompute the aggregates whose more specific routes changed, once per
 * batch of decisions (each walks the table: once per contributor would be
 * quadratic in a cold start).
 */
void
bgp_aggr_run(struct bgp *b)
{
	for (size_t i = 0; b->aggr_dirty != NULL && i < b->cfg.naggrs; i++)
		if (b->aggr_dirty[i]) {
			b->aggr_dirty[i] = false;
			aggregate(b, &b->cfg.aggrs[i]);
		}
}
