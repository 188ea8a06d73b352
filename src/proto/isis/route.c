/*
 * route.c: from the shortest-path trees of both levels to routes
 * (ISO 10589 7.2.6, RFC 1195 3.2 and C.3, RFC 5302 3.3).
 *
 * Every IP prefix in the LSPs of a reached system is a candidate at the
 * system's distance plus the prefix's metric. Candidates are ranked as RFC
 * 5302 3.3 orders them: level 1 internal, level 1 external, level 2 internal,
 * level 2 external, then level 1 with the up/down bit set (routes leaked
 * down from level 2) internal and external. The best rank wins whatever the
 * metric; within it the lowest cost, all next hops of equal cost together.
 * A prefix this router advertises itself (best among the candidates) is
 * connected here, not an IS-IS route.
 *
 * Between the levels of a level 1-2 router: its level 1 routes go into its
 * level 2 LSP (RFC 1195 3.2), and with `leak:` its level 2 routes into its
 * level 1 LSP with the down bit (RFC 5302 2). It sets the attached bit in its
 * level 1 LSP when level 2 reaches another area (ISO 10589 7.2.9.2); a level 1
 * router routes 0.0.0.0/0 to the nearest attached one (7.2.9.2, RFC 1195 3.1).
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "isis.h"

struct cand {
	uint32_t addr;
	uint8_t plen;
	uint8_t rank;
	bool local;
	uint32_t cost;
	const struct isis_vertex *v;
};

static const char *const rank_code[] = {"i L1", "i L1", "i L2", "i L2", "i ia", "i ia"};

static int
cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->plen != y->plen)
		return x->plen < y->plen ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->cost != y->cost)
		return x->cost < y->cost ? -1 : 1;
	return (int)y->local - (int)x->local; /* our own first */
}

struct cands {
	struct cand *v;
	size_t n, cap;
};

static void
push(struct cands *c, struct cand x)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	c->v[c->n++] = x;
}

/* Every prefix of every system the level's SPF reached. */
static void
gather(const struct isis *is, int level, struct cands *out)
{
	const struct isis_level *lv = &is->lv[LV(level)];
	uint32_t maxpath = is->cfg.style == ISIS_NARROW ? ISIS_MAX_PATH_NARROW : ISIS_MAX_PATH_WIDE;

	for (int i = 0; i < lv->nspt; i++) {
		const struct isis_vertex *v = &lv->spt[i];
		bool me = v->dist == 0 && memcmp(v->id, is->cfg.sysid, ISIS_SYSID_LEN) == 0;
		int first, n;

		if (v->id[6] != 0)
			continue;
		first = isis_lspdb_node(&lv->db, v->id, &n);
		for (int f = first; f < first + n; f++) {
			const struct isis_lsp *l = lv->db.v[f];

			if (l->purged)
				continue;
			for (int k = 0; k < l->blob->info.npfx; k++) {
				const struct isis_pfx_ent *p = &l->blob->info.pfx[k];
				uint64_t cost = (uint64_t)v->dist + p->metric;
				uint8_t rank;

				if (cost > maxpath)
					continue;
				rank = (uint8_t)((level == ISIS_LEVEL1 ? (p->down ? 4 : 0) : 2) + p->external);
				push(out, (struct cand){p->addr, p->plen, rank, me, (uint32_t)cost, v});
			}
		}
	}
}

/* The best of a run of candidates of one prefix (sorted): [i, *end). */
static size_t
run_end(const struct cands *c, size_t i)
{
	size_t k = i + 1;

	while (k < c->n && c->v[k].addr == c->v[i].addr && c->v[k].plen == c->v[i].plen)
		k++;
	return k;
}

static void
nh_union(struct route *r, const struct isis_vertex *v)
{
	for (int i = 0; i < v->nnh; i++) {
		int k;

		for (k = 0; k < r->nnh; k++)
			if (nexthop_cmp(&r->nh[k], &v->nh[i]) == 0)
				break;
		if (k == r->nnh && r->nnh < RIB_MAX_NH)
			r->nh[r->nnh++] = v->nh[i];
	}
}

static int
nh_cmp(const void *a, const void *b)
{
	return nexthop_cmp(a, b);
}

/* A route from the best candidates of a run (same rank and cost); false when local. */
static bool
route_of(const struct cands *c, size_t i, size_t end, struct route *r)
{
	memset(r, 0, sizeof(*r));
	for (size_t k = i; k < end && c->v[k].rank == c->v[i].rank && c->v[k].cost == c->v[i].cost;
	     k++) {
		if (c->v[k].local)
			return false;
		nh_union(r, c->v[k].v);
	}
	qsort(r->nh, r->nnh, sizeof(r->nh[0]), nh_cmp);
	r->src = &isis_rib_src;
	r->code = rank_code[c->v[i].rank];
	r->distance = ISIS_DISTANCE;
	r->metric = c->v[i].cost;
	return r->nnh > 0;
}

static bool
leak_ok(const struct isis_leak *lk, uint32_t addr, uint8_t plen)
{
	if (lk->all)
		return true;
	for (int i = 0; i < lk->n; i++)
		if (lk->pfx[i].len <= plen && prefix_contains(&lk->pfx[i], addr))
			return true;
	return false;
}

static void
export_add(struct isis *is, int level, const struct cand *c, bool down)
{
	struct isis_export *e = &is->exp[LV(level)];

	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 64;
		e->v = xrealloc(e->v, (size_t)e->cap * sizeof(*e->v));
	}
	e->v[e->n++] = (struct isis_pfx_ent){c->addr, c->plen, down, c->rank & 1, c->cost};
}

static uint64_t
export_hash(const struct isis_export *e)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const uint8_t *p = (const uint8_t *)e->v;

	for (size_t i = 0; i < (size_t)e->n * sizeof(*e->v); i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h ^ (uint64_t)e->n;
}

/* ISO 10589 7.2.9.2: level 2 reaches an area that is not ours. */
static bool
attached(const struct isis *is)
{
	const struct isis_level *lv = &is->lv[1];

	for (int i = 0; i < lv->nspt; i++) {
		const struct isis_vertex *v = &lv->spt[i];

		if (v->id[6] == 0 && v->dist > 0 && v->nareas > 0 &&
		    !isis_area_match(is, v->areas, v->nareas))
			return true;
	}
	return false;
}

/* RFC 1195 3.1: a level 1 router's default route, to the nearest attached level 1-2 routers. */
static bool
default_route(const struct isis *is, struct route *r)
{
	const struct isis_level *lv = &is->lv[0];
	uint32_t best = UINT32_MAX;

	memset(r, 0, sizeof(*r));
	for (int i = 0; i < lv->nspt; i++) {
		const struct isis_vertex *v = &lv->spt[i];

		if (v->id[6] != 0 || v->dist == 0 || !v->att || v->dist > best)
			continue;
		if (v->dist < best) {
			best = v->dist;
			r->nnh = 0;
		}
		nh_union(r, v);
	}
	if (r->nnh == 0)
		return false;
	qsort(r->nh, r->nnh, sizeof(r->nh[0]), nh_cmp);
	r->src = &isis_rib_src;
	r->code = rank_code[0];
	r->distance = ISIS_DISTANCE;
	r->metric = best;
	return true;
}

void
isis_routes_update(struct isis *is)
{
	struct cands all = {0}, l1 = {0};
	struct rib *rib = is->node->rib;
	bool l12 = is->cfg.level == ISIS_LEVEL12, have_default = false;
	uint64_t h0 = export_hash(&is->exp[0]), h1 = export_hash(&is->exp[1]);
	struct route r;

	if (isis_is_l1(is))
		gather(is, ISIS_LEVEL1, &all);
	if (isis_is_l2(is))
		gather(is, ISIS_LEVEL2, &all);
	qsort(all.v, all.n, sizeof(*all.v), cand_cmp);
	is->exp[0].n = is->exp[1].n = 0;
	rib_sync_begin(rib, &isis_rib_src);
	for (size_t i = 0, end; i < all.n; i = end) {
		const struct cand *best = &all.v[i];

		end = run_end(&all, i);
		if (best->plen == 0)
			have_default = true;
		bool installed = route_of(&all, i, end, &r);

		if (installed)
			rib_add(rib, &(struct prefix){best->addr, best->plen}, &r);
		/* Leaking: a level 2 route installed here goes down into level 1. */
		if (l12 && best->rank >= 2 && best->rank <= 3 && installed &&
		    (is->cfg.leak.all || is->cfg.leak.n) && leak_ok(&is->cfg.leak, best->addr, best->plen))
			export_add(is, ISIS_LEVEL1, best, true);
		/* Level 1 routes (up) go into level 2, whatever won here. */
		for (size_t k = i; l12 && k < end; k++)
			if (all.v[k].rank <= 1) {
				if (!all.v[k].local)
					push(&l1, all.v[k]);
				break;
			}
	}
	if (is->cfg.level == ISIS_LEVEL1 && !have_default && default_route(is, &r))
		rib_add(rib, &(struct prefix){0, 0}, &r);
	rib_sync_end(rib, &isis_rib_src);
	for (size_t i = 0; i < l1.n; i++)
		export_add(is, ISIS_LEVEL2, &l1.v[i], false);
	free(all.v);
	free(l1.v);
	if (l12) {
		bool att = attached(is);

		if (att != is->lv[0].att || export_hash(&is->exp[0]) != h0) {
			is->lv[0].att = att;
			isis_gen_schedule(is, ISIS_LEVEL1);
		}
		if (export_hash(&is->exp[1]) != h1)
			isis_gen_schedule(is, ISIS_LEVEL2);
	}
}

int
isis_routes_for_level(const struct isis *is, int level, struct isis_pfx_ent **out)
{
	const struct isis_export *e = &is->exp[LV(level)];

	*out = NULL;
	if (e->n == 0)
		return 0;
	*out = xmalloc((size_t)e->n * sizeof(**out));
	memcpy(*out, e->v, (size_t)e->n * sizeof(**out));
	return e->n;
}
