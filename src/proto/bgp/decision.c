/*
 * decision.c: the BGP decision process (RFC 4271 9.1.2.2, RFC 4456 9), in
 * FRR's order (bgp_path_info_cmp in bgpd/bgp_route.c), with FRR's names for
 * the step that decided, and FRR's multipath rule.
 *
 * Every step but MED compares one key per path (lower wins), so paths are
 * ordered lexicographically by a list of keys, and that order is total. MED
 * is compared only between paths from the same neighbor AS (RFC 4271
 * 9.1.2.2 c), which makes the pairwise comparison non-transitive: A beats B
 * on IGP cost, B beats C on IGP cost, C beats A on MED. Routers that scan
 * their paths in arrival order then select by arrival order; deterministic
 * MED (grouping by neighbor AS first) is the cure. netsim scans in a fixed
 * order of the candidates' contents (neighbor address first) instead of the
 * order it was given, so even without deterministic MED the result depends
 * only on the set of paths.
 *
 * Departure from FRR: FRR prefers the older of two eBGP paths before the
 * router ID (step 12, "Older Path", to reduce churn). netsim has no such
 * step: the result must not depend on arrival order, so the router ID
 * decides as RFC 4271 9.1.2.2 f) says (as FRR with "bgp bestpath
 * compare-routerid"). Steps of features netsim does not have (EVPN, AIGP,
 * accept-own, LLGR, stale paths, confederation peer types) are left out.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/util.h"
#include "decision.h"

/* RFC 4271 9.1.2.2 c: a missing MED is 0, or the worst value when so configured. */
#define MED_WORST 0xffffffffu

/*
 * The neighbor AS of a path for MED (RFC 4271 9.1.2.2 c), as a key: the
 * first AS of the path after the confederation segments in front (the
 * member ASes it crossed inside the confederation, RFC 5065 5.3), as FRR's
 * aspath_cmp_left; NAS_LOCAL for a path with no AS hop (originated in this
 * AS: all such paths compare MEDs, as FRR's "internal_as_route"); NAS_NONE,
 * equal to nothing, for a path that starts with an AS_SET.
 */
#define NAS_LOCAL ((int64_t)1 << 32)
#define NAS_NONE  ((int64_t)-1)

static int64_t
neighbor_as(const struct bgp_attr *a)
{
	if (bgp_aspath_hops(a->aspath, a->aspath_len) == 0)
		return NAS_LOCAL;
	for (struct bgp_seg s = {.p = a->aspath, .len = a->aspath_len, .asz = 4}; bgp_seg_next(&s);) {
		if (s.type == BGP_AS_CONFED_SEQUENCE || s.type == BGP_AS_CONFED_SET)
			continue;
		if (s.type != BGP_AS_SEQUENCE || s.n == 0 || get32(s.as) == 0)
			return NAS_NONE; /* a SET first (or an AS 0): no neighbor AS */
		return get32(s.as);
	}
	return NAS_NONE;
}

static bool
med_comparable(const struct bgp_cand *a, const struct bgp_cand *b,
    const struct bgp_decision_cfg *cfg)
{
	if (cfg->always_compare_med)
		return true;
	int64_t na = neighbor_as(a->attr);
	return na != NAS_NONE && na == neighbor_as(b->attr);
}

/* The key of one step (the enum's order is the steps' order): lower wins. */
static int64_t
step_key(const struct bgp_cand *c, enum bgp_reason step, const struct bgp_decision_cfg *cfg)
{
	const struct bgp_attr *a = c->attr;

	switch (step) {
	case BGP_WHY_WEIGHT:
		return -(int64_t)a->weight;
	case BGP_WHY_LOCAL_PREF:
		/* Paths from eBGP carry none (RFC 4271 5.1.5): the default, as FRR. */
		return -(int64_t)(a->has & BGP_HAS_LOCAL_PREF ? a->local_pref : BGP_LOCAL_PREF_DFLT);
	case BGP_WHY_LOCAL_ROUTE:
		return !c->local;
	case BGP_WHY_AS_PATH:
		return bgp_aspath_hops(a->aspath, a->aspath_len);
	case BGP_WHY_ORIGIN:
		return a->origin;
	case BGP_WHY_MED:
		return a->has & BGP_HAS_MED ? a->med : cfg->med_missing_as_worst ? MED_WORST : 0;
	case BGP_WHY_PEER_TYPE:
		return !c->ebgp;
	case BGP_WHY_IGP_METRIC:
		return c->igp_metric;
	case BGP_WHY_ROUTER_ID:
		/* RFC 4456 9: a reflected path is known by its ORIGINATOR_ID. */
		return a->has & BGP_HAS_ORIGINATOR ? a->originator_id : c->peer_id;
	case BGP_WHY_CLUSTER_LEN:
		return a->ncluster;
	case BGP_WHY_NEIGHBOR_IP:
		return c->peer_addr;
	default:
		return 0;
	}
}

/* Compare a and b on the steps first..last: < 0 when a wins; *why the step that decided. */
static int
steps_cmp(const struct bgp_cand *a, const struct bgp_cand *b, const struct bgp_decision_cfg *cfg,
    enum bgp_reason first, enum bgp_reason last, enum bgp_reason *why)
{
	for (enum bgp_reason s = first; s <= last; s++) {
		if (s == BGP_WHY_MED && !med_comparable(a, b, cfg))
			continue;
		int64_t ka = step_key(a, s, cfg), kb = step_key(b, s, cfg);
		if (ka != kb) {
			*why = s;
			return ka < kb ? -1 : 1;
		}
	}
	*why = BGP_WHY_NOTHING_LEFT;
	return 0;
}

static const struct bgp_decision_cfg default_cfg;

int
bgp_path_cmp(const struct bgp_cand *a, const struct bgp_cand *b,
    const struct bgp_decision_cfg *cfg, enum bgp_reason *why)
{
	enum bgp_reason w;

	return steps_cmp(a, b, cfg != NULL ? cfg : &default_cfg, BGP_WHY_WEIGHT,
	    BGP_WHY_NEIGHBOR_IP, why != NULL ? why : &w);
}

static int
cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int
cmp_bytes(const void *a, size_t alen, const void *b, size_t blen)
{
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return alen == 0 ? 0 : memcmp(a, b, alen);
}

/*
 * A fixed order of candidates by content, neighbor address first: the
 * order the paths are scanned in, so that the scan's result depends only on
 * the set. Candidates equal here are interchangeable (two identical local
 * paths); their indices break the tie.
 */
static int
content_cmp(const struct bgp_cand *a, const struct bgp_cand *b)
{
	const struct bgp_attr *x = a->attr, *y = b->attr;
	const uint64_t ka[] = {a->peer_addr, a->peer_id, a->peer_as, a->ebgp, a->local,
	    a->igp_metric, x->weight, x->has, x->local_pref, x->med, x->origin, x->originator_id,
	    x->nexthop, x->ncluster};
	const uint64_t kb[] = {b->peer_addr, b->peer_id, b->peer_as, b->ebgp, b->local,
	    b->igp_metric, y->weight, y->has, y->local_pref, y->med, y->origin, y->originator_id,
	    y->nexthop, y->ncluster};
	int r;

	for (size_t i = 0; i < ARRAY_LEN(ka); i++)
		if ((r = cmp_u64(ka[i], kb[i])) != 0)
			return r;
	if ((r = cmp_bytes(x->aspath, x->aspath_len, y->aspath, y->aspath_len)) != 0)
		return r;
	return cmp_bytes(x->cluster, (size_t)x->ncluster * 4, y->cluster, (size_t)y->ncluster * 4);
}

struct sort_ctx {
	const struct bgp_cand *c;
	const struct bgp_decision_cfg *cfg;
};

static int
content_order(const void *pa, const void *pb, void *arg)
{
	const struct sort_ctx *x = arg;
	size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
	int r = content_cmp(&x->c[ia], &x->c[ib]);

	return r != 0 ? r : cmp_u64(ia, ib);
}

/* The multipath set's order: the tie-breakers after the IGP cost, then content. */
static int
mp_order(const void *pa, const void *pb, void *arg)
{
	const struct sort_ctx *x = arg;
	size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
	enum bgp_reason w;
	int r = steps_cmp(&x->c[ia], &x->c[ib], x->cfg, BGP_WHY_ROUTER_ID, BGP_WHY_NEIGHBOR_IP, &w);

	return r != 0 ? r : content_order(pa, pb, arg);
}

/* Scratch for one selection: on the stack for the usual few paths. */
struct scratch {
	size_t *ord;  /* valid candidates in content order */
	size_t *win;  /* deterministic MED: each group's best so far */
	int64_t *nas; /* neighbor AS per candidate */
	size_t m;     /* valid candidates */
};

/* The scan: the best of ord, skipping index skip, in its order. */
static size_t
scan(const struct bgp_cand *c, const size_t *ord, size_t m, size_t skip,
    const struct bgp_decision_cfg *cfg)
{
	size_t best = (size_t)-1;

	for (size_t i = 0; i < m; i++) {
		if (ord[i] == skip)
			continue;
		if (best == (size_t)-1 || bgp_path_cmp(&c[ord[i]], &c[best], cfg, NULL) < 0)
			best = ord[i];
	}
	return best;
}

/*
 * The best valid candidate but skip. With deterministic MED (RFC 4271
 * 9.1.2.2 c applied as written: remove from each neighbor AS's paths those
 * that lose on MED, then compare the rest; FRR's bgp_best_selection with
 * deterministic-med), each neighbor AS's best is found first, then the
 * groups' bests are compared. Within a group every step applies and between
 * groups MED never does, so both comparisons are total orders and the
 * result does not depend on any order.
 */
static size_t
pick(const struct bgp_cand *c, const struct scratch *s, size_t skip,
    const struct bgp_decision_cfg *cfg)
{
	size_t nwin = 0;

	if (!cfg->deterministic_med)
		return scan(c, s->ord, s->m, skip, cfg);
	for (size_t i = 0; i < s->m; i++) {
		size_t x = s->ord[i], g = nwin;

		if (x == skip)
			continue;
		if (s->nas[x] != NAS_NONE)
			for (g = 0; g < nwin && s->nas[s->win[g]] != s->nas[x]; g++)
				;
		if (g == nwin)
			s->win[nwin++] = x;
		else if (bgp_path_cmp(&c[x], &c[s->win[g]], cfg, NULL) < 0)
			s->win[g] = x;
	}
	return scan(c, s->win, nwin, (size_t)-1, cfg);
}

/*
 * FRR's multipath rule (bgp_path_info_cmp's paths_eq): equal to the best up
 * to the IGP cost, and from the same neighbor AS (eBGP) or with the same
 * AS_PATH (iBGP), unless multipath_relax.
 */
static bool
mp_equal(const struct bgp_cand *best, const struct bgp_cand *x,
    const struct bgp_decision_cfg *cfg)
{
	enum bgp_reason w;

	if (steps_cmp(best, x, cfg, BGP_WHY_WEIGHT, BGP_WHY_IGP_METRIC, &w) != 0)
		return false;
	if (cfg->multipath_relax)
		return true;
	if (best->ebgp)
		return best->peer_as == x->peer_as;
	return cmp_bytes(best->attr->aspath, best->attr->aspath_len, x->attr->aspath,
	           x->attr->aspath_len) == 0;
}

/* The multipath set into mp (best first); its size. */
static size_t
multipath(const struct bgp_cand *c, const struct scratch *s, size_t best,
    const struct bgp_decision_cfg *cfg, size_t *mp)
{
	unsigned max = c[best].ebgp ? cfg->max_paths_ebgp : cfg->max_paths_ibgp;
	struct sort_ctx ctx = {c, cfg};
	size_t k = 0;

	mp[k++] = best;
	if (max <= 1)
		return k;
	for (size_t i = 0; i < s->m; i++)
		if (s->ord[i] != best && mp_equal(&c[best], &c[s->ord[i]], cfg))
			mp[k++] = s->ord[i];
	qsort_r(mp + 1, k - 1, sizeof(*mp), mp_order, &ctx);
	return MIN(k, (size_t)max);
}

#define STACK_PATHS 32

size_t
bgp_select(const struct bgp_cand *c, size_t n, const struct bgp_decision_cfg *cfg,
    enum bgp_reason *why, size_t *mp, size_t *nmp)
{
	size_t ord_st[STACK_PATHS], win_st[STACK_PATHS];
	int64_t nas_st[STACK_PATHS];
	struct scratch s = {ord_st, win_st, nas_st, 0};
	struct sort_ctx ctx = {c, cfg != NULL ? cfg : &default_cfg};
	enum bgp_reason w = BGP_WHY_NONE;
	size_t best = (size_t)-1, k = 0;

	cfg = ctx.cfg;
	if (n > STACK_PATHS) {
		s.ord = xmalloc(n * sizeof(*s.ord));
		s.win = xmalloc(n * sizeof(*s.win));
		s.nas = xmalloc(n * sizeof(*s.nas));
	}
	for (size_t i = 0; i < n; i++)
		if (c[i].valid) {
			s.ord[s.m++] = i;
			s.nas[i] = neighbor_as(c[i].attr);
		}
	qsort_r(s.ord, s.m, sizeof(*s.ord), content_order, &ctx);

	if (s.m > 0) {
		best = pick(c, &s, (size_t)-1, cfg);
		w = BGP_WHY_ONLY;
		/*
		 * The reason is the step that decided between the best and the
		 * runner-up (the best of the others, chosen the same way).
		 * FRR reports the step of the last comparison its scan made,
		 * which depends on the paths' order. The best beat the
		 * runner-up directly in either selection, so this is a step at
		 * which the best wins.
		 */
		if (s.m > 1)
			bgp_path_cmp(&c[best], &c[pick(c, &s, best, cfg)], cfg, &w);
		if (mp != NULL)
			k = multipath(c, &s, best, cfg, mp);
		else
			k = 1;
	}
	if (why != NULL)
		*why = w;
	if (nmp != NULL)
		*nmp = k;
	if (s.ord != ord_st) {
		free(s.ord);
		free(s.win);
		free(s.nas);
	}
	return best;
}

const char *
bgp_reason_str(enum bgp_reason r)
{
	static const char *const names[] = {
	    [BGP_WHY_NONE] = "Nothing to Select",
	    [BGP_WHY_ONLY] = "First path received",
	    [BGP_WHY_WEIGHT] = "Weight",
	    [BGP_WHY_LOCAL_PREF] = "Local Pref",
	    [BGP_WHY_LOCAL_ROUTE] = "Local Route",
	    [BGP_WHY_AS_PATH] = "AS Path",
	    [BGP_WHY_ORIGIN] = "Origin",
	    [BGP_WHY_MED] = "MED",
	    [BGP_WHY_PEER_TYPE] = "Peer Type",
	    [BGP_WHY_IGP_METRIC] = "IGP Metric",
	    [BGP_WHY_ROUTER_ID] = "Router ID",
	    [BGP_WHY_CLUSTER_LEN] = "Cluster length",
	    [BGP_WHY_NEIGHBOR_IP] = "Neighbor IP",
	    [BGP_WHY_NOTHING_LEFT] = "Nothing left to compare",
	};

	return (unsigned)r < ARRAY_LEN(names) && names[r] != NULL ? names[r] :
	                                                              "Invalid (internal error)";
}
