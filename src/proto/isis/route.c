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
 * A prefix this router advertises itself (among the best) is connected here,
 * not an IS-IS route.
 *
 * Between the levels of a level 1-2 router: its level 1 routes go into its
 * level 2 LSP (RFC 1195 3.2), and with `leak:` its level 2 routes into its
 * level 1 LSP with the down bit (RFC 5302 2). It sets the attached bit in its
 * level 1 LSP when level 2 reaches another area (ISO 10589 7.2.9.2); a level 1
 * router routes 0.0.0.0/0 to the nearest attached one (7.2.9.2, RFC 1195 3.1).
 *
 * The best candidate per prefix is kept in a hash table per engine thread, in
 * the order prefixes are first seen (SPF order, then LSP order: deterministic).
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "isis.h"

#define NONE 0xff

_Atomic uint64_t isis_routes_partial;

/* The best candidates of one prefix, overall and (for a level 1-2 router's export) at level 1. */
struct best {
	uint32_t addr;
	uint8_t plen;
	uint8_t rank; /* 0..5 (see above) */
	bool local;
	uint8_t nnh;
	uint32_t cost;
	uint8_t l1rank; /* best level 1 up-bit candidate: 0, 1, or NONE */
	bool l1local;
	uint32_t l1cost;
	struct nexthop nh[RIB_MAX_NH];
};

/* Scratch per engine thread (sim.h), kept from run to run. */
static struct {
	struct best *v;
	size_t n, cap;
	uint32_t *slot; /* index + 1 into v, 0: empty */
	size_t nslot;
} scratch[SIM_MAX_THREADS];
#define T (scratch[sim_thread])

static const char *const rank_code[] = {"i L1", "i L1", "i L2", "i L2", "i ia", "i ia"};

static void
rehash(size_t nslot)
{
	free(T.slot);
	T.slot = xcalloc(nslot, sizeof(*T.slot));
	T.nslot = nslot;
	for (size_t i = 0; i < T.n; i++) {
		size_t k = isis_pfx_hash(T.v[i].addr, T.v[i].plen) & (nslot - 1);

		while (T.slot[k])
			k = (k + 1) & (nslot - 1);
		T.slot[k] = (uint32_t)i + 1;
	}
}

static struct best *
entry(uint32_t addr, uint8_t plen)
{
	size_t k;
	struct best *b;

	if ((T.n + 1) * 2 > T.nslot)
		rehash(T.nslot ? T.nslot * 2 : 1024);
	for (k = isis_pfx_hash(addr, plen) & (T.nslot - 1); T.slot[k];
	     k = (k + 1) & (T.nslot - 1)) {
		b = &T.v[T.slot[k] - 1];
		if (b->addr == addr && b->plen == plen)
			return b;
	}
	if (T.n == T.cap) {
		T.cap = T.cap ? T.cap * 2 : 1024;
		T.v = xrealloc(T.v, T.cap * sizeof(*T.v));
	}
	T.slot[k] = (uint32_t)T.n + 1;
	b = &T.v[T.n++];
	b->addr = addr;
	b->plen = plen;
	b->rank = NONE;
	b->l1rank = NONE;
	b->nnh = 0;
	b->local = b->l1local = false;
	return b;
}

static void
reset(void)
{
	if (T.nslot)
		memset(T.slot, 0, T.nslot * sizeof(*T.slot));
	T.n = 0;
}

static void
nh_union(struct best *b, const struct nexthop *nh, int n)
{
	for (int i = 0; i < n; i++)
		isis_nh_insert(b->nh, &b->nnh, &nh[i]);
}

static void
offer(struct best *b, uint8_t rank, uint32_t cost, bool me, const struct nexthop *nh, int nnh)
{
	if (rank < b->rank || (rank == b->rank && cost < b->cost)) {
		b->rank = rank;
		b->cost = cost;
		b->local = me;
		b->nnh = 0;
	} else if (rank != b->rank || cost != b->cost) {
		return;
	}
	b->local |= me;
	nh_union(b, nh, nnh);
}

static void
offer_l1(struct best *b, uint8_t rank, uint32_t cost, bool me)
{
	if (rank < b->l1rank || (rank == b->l1rank && cost < b->l1cost)) {
		b->l1rank = rank;
		b->l1cost = cost;
		b->l1local = me;
	} else if (rank == b->l1rank && cost == b->l1cost) {
		b->l1local |= me;
	}
}

/* The LSPs of a system: its vertex's while the tree matches the database, else looked up. */
static int
lsps_of(const struct isis_level *lv, const struct isis_vertex *v, int *n)
{
	if (lv->spt_version == lv->db.version) {
		*n = v->nfrag;
		return v->first;
	}
	return isis_lspdb_node(&lv->db, isis_sysnum_id(v->num), n);
}

/*
 * The prefixes of the level's vertex i as candidates: every one into the
 * table, or (one != NULL) only prefix number `only` into *one.
 */
static void
offer_vertex(const struct isis *is, int level, int i, struct best *one, uint32_t only)
{
	const struct isis_level *lv = &is->lv[LV(level)];
	const struct isis_vertex *v = &lv->spt[i];
	uint32_t maxpath = is->cfg.style == ISIS_NARROW ? ISIS_MAX_PATH_NARROW : ISIS_MAX_PATH_WIDE;
	bool me = i == 0 && v->dist == 0;
	int n, first = lsps_of(lv, v, &n);

	for (int f = first; f < first + n; f++) {
		const struct isis_lsp *l = isis_lspdb_at(&lv->db, f);

		if (l->purged)
			continue;
		for (int k = 0; k < l->blob->info.npfx; k++) {
			const struct isis_pfx_ent *p = &l->blob->info.pfx[k];
			uint64_t cost = (uint64_t)v->dist + p->metric;
			struct best *b;
			uint8_t rank;

			if (cost > maxpath || (one != NULL && p->num != only))
				continue;
			rank =
			    (uint8_t)((level == ISIS_LEVEL1 ? (p->down ? 4 : 0) : 2) + p->external);
			b = one ? one : entry(p->addr, p->plen);
			offer(b, rank, (uint32_t)cost, me, lv->nhs + v->nh, v->nnh);
			if (rank <= 1)
				offer_l1(b, rank, (uint32_t)cost, me);
		}
	}
}

/* Every prefix of every system the level's SPF reached. */
static void
gather(const struct isis *is, int level)
{
	const struct isis_level *lv = &is->lv[LV(level)];

	for (int i = 0; i < lv->nspt; i++)
		if (isis_sysnum_id(lv->spt[i].num)[6] == 0)
			offer_vertex(is, level, i, NULL, 0);
}

static void
to_route(const struct best *b, struct route *r)
{
	memset(r, 0, sizeof(*r));
	r->src = &isis_rib_src;
	r->code = rank_code[b->rank];
	r->distance = ISIS_DISTANCE;
	r->metric = b->cost;
	r->nnh = b->nnh;
	memcpy(r->nh, b->nh, b->nnh * sizeof(*b->nh)); /* in nexthop_cmp order already */
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
export_add(struct isis_export *e, uint32_t addr, uint8_t plen, bool down, bool ext, uint32_t metric)
{
	struct isis_pfx_ent *p;

	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 64;
		e->v = xrealloc(e->v, (size_t)e->cap * sizeof(*e->v));
	}
	p = &e->v[e->n++];
	memset(p, 0, sizeof(*p)); /* compared with memcmp: no stray padding */
	p->addr = addr;
	p->plen = plen;
	p->down = down;
	p->external = ext;
	p->metric = metric;
}

static int
pfx_cmp(const void *a, const void *b)
{
	const struct isis_pfx_ent *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (int)x->plen - (int)y->plen;
}

static bool
export_same(const struct isis_export *a, const struct isis_export *b)
{
	return a->n == b->n && (a->n == 0 || memcmp(a->v, b->v, (size_t)a->n * sizeof(*a->v)) == 0);
}

/* RFC 1195 3.1: a level 1 router's default route, to the nearest attached level 1-2 routers. */
static bool
default_route(const struct isis *is, struct route *r)
{
	const struct isis_level *lv = &is->lv[0];
	struct best b = {.rank = 0, .cost = UINT32_MAX};

	for (int i = 1; i < lv->nspt; i++) {
		const struct isis_vertex *v = &lv->spt[i];

		if (isis_sysnum_id(v->num)[6] != 0 || !(v->flags & ISIS_V_ATT) || v->dist > b.cost)
			continue;
		if (v->dist < b.cost) {
			b.cost = v->dist;
			b.nnh = 0;
		}
		nh_union(&b, lv->nhs + v->nh, v->nnh);
	}
	if (b.nnh == 0)
		return false;
	to_route(&b, r);
	return true;
}

/* ISO 10589 7.2.9.2: level 2 reaches an area that is not ours. */
static bool
attached(const struct isis *is)
{
	const struct isis_level *lv = &is->lv[1];

	for (int i = 1; i < lv->nspt; i++)
		if (lv->spt[i].flags & ISIS_V_FOREIGN)
			return true;
	return false;
}

/* Note the prefix numbers of system num's LSPs in the database. */
static void
note_lsps(const struct isis_level *lv, uint32_t num, uint32_t **v, int *n, size_t *cap)
{
	int k, first = isis_lspdb_node(&lv->db, isis_sysnum_id(num), &k);

	for (int f = first; f < first + k; f++) {
		const struct isis_lspinfo *in = &isis_lspdb_at(&lv->db, f)->blob->info;

		for (int i = 0; i < in->npfx; i++)
			VEC_PUSH(*v, *n, *cap, in->pfx[i].num);
	}
}

static bool
has_pfx(const struct isis_lspinfo *in, const struct isis_pfx_ent *p)
{
	for (int i = 0; i < in->npfx; i++)
		if (memcmp(&in->pfx[i], p, sizeof(*p)) == 0)
			return true;
	return false;
}

/* Note the prefixes one LSP gained, lost or changed since instance old. */
static void
note_diff(const struct isis_level *lv, const struct isis_blob *old, uint32_t **v, int *n,
          size_t *cap)
{
	struct isis_lspid id;
	const struct isis_lsp *l;
	const struct isis_lspinfo *now;

	memcpy(id.b, old->bytes + ISIS_LSP_OFF_ID, 8);
	l = isis_lspdb_find(&lv->db, &id);
	now = l != NULL && !l->purged ? &l->blob->info : NULL;
	for (int i = 0; i < old->info.npfx; i++)
		if (now == NULL || !has_pfx(now, &old->info.pfx[i]))
			VEC_PUSH(*v, *n, *cap, old->info.pfx[i].num);
	for (int i = 0; now != NULL && i < now->npfx; i++)
		if (!has_pfx(&old->info, &now->pfx[i]))
			VEC_PUSH(*v, *n, *cap, now->pfx[i].num);
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * After an incremental SPF run (spf.c) on a level 2 router: only the routes
 * to the prefixes the change can move are computed again: those a changed
 * LSP gained, lost or changed (all of a new one's), and those in the LSPs of
 * the systems whose distance or next hops changed, each from every system
 * that announces it (blob.c keeps who does). A router in one level only: no default route,
 * nothing carried between levels.
 */
static bool
routes_partial(struct isis *is)
{
	struct isis_level *lv = &is->lv[LV(ISIS_LEVEL2)];
	struct rib *rib = is->node->rib;
	uint32_t *v = NULL;
	int n = 0;
	size_t cap = 0;

	if (!is->routes_valid || is->cfg.level != ISIS_LEVEL2 || !lv->partial ||
	    lv->spt_version != lv->db.version)
		return false;
	isis_spf_pos(lv);
	for (int c = 0; c < lv->nchg; c++)
		if (lv->chg[c].old != NULL)
			note_diff(lv, lv->chg[c].old, &v, &n, &cap);
		else
			note_lsps(lv, lv->chg[c].num, &v, &n, &cap);
	for (int t = 0; t < lv->ntouched; t++)
		note_lsps(lv, lv->touched[t], &v, &n, &cap);
	if (n > 1)
		qsort(v, (size_t)n, sizeof(*v), u32_cmp);
	for (int i = 0; i < n; i++) {
		struct best b = {.rank = NONE, .l1rank = NONE};
		struct prefix pfx;
		struct route r;

		if (i > 0 && v[i] == v[i - 1])
			continue;
		isis_pfx_of(v[i], &pfx.addr, &pfx.len);
		for (const struct isis_ann *a = isis_pfx_announcers(v[i]); a; a = a->next)
			if (a->sys < lv->npos && lv->pos[a->sys] >= 0 &&
			    isis_sysnum_id(a->sys)[6] == 0)
				offer_vertex(is, ISIS_LEVEL2, lv->pos[a->sys], &b, v[i]);
		if (b.rank != NONE && !b.local && b.nnh > 0) {
			to_route(&b, &r);
			rib_add(rib, &pfx, &r);
		} else {
			rib_del(rib, &pfx, &isis_rib_src);
		}
	}
	free(v);
	atomic_fetch_add(&isis_routes_partial, 1);
	return true;
}

/* A digest of this router's IS-IS routes in the RIB (test mode: partial against full updates). */
static uint64_t
rib_digest(const struct rib *rib)
{
	size_t n;
	struct rib_entry **v = rib_sorted(rib, &n);
	uint64_t h = 0;

	for (size_t i = 0; i < n; i++)
		for (const struct rib_path *p = &v[i]->best; p; p = rib_path_next(rib, p))
			if (rib_path_src(p) == &isis_rib_src) {
				h = (h ^ (prefix_key(&(struct prefix){v[i]->addr, v[i]->len}) +
				          p->metric)) *
				    0x100000001b3ULL;
				h = (h ^ (uint64_t)p->nhg ^ (uint64_t)p->code << 56) *
				    0x100000001b3ULL;
			}
	free(v);
	return h;
}

static void routes_full(struct isis *);

void
isis_routes_update(struct isis *is)
{
	bool same = true, partial;

	/*
	 * Nothing the routes depend on changed (the trees' systems, distances and
	 * next hops; the prefixes in the databases): nothing to do. A failure far
	 * away often leaves a router's trees as they were.
	 */
	for (int l = 0; l < ISIS_LEVELS; l++) {
		struct isis_level *lv = &is->lv[l];

		same &=
		    lv->routes_from[0] == lv->spt_hash && lv->routes_from[1] == lv->db.pfx_version;
		lv->routes_from[0] = lv->spt_hash;
		lv->routes_from[1] = lv->db.pfx_version;
	}
	if (same && is->routes_valid)
		return;
	partial = routes_partial(is);
	if (partial && isis_spf_check) {
		uint64_t h = rib_digest(is->node->rib);

		routes_full(is);
		if (rib_digest(is->node->rib) != h)
			bug("IS-IS: routes computed in part differ from a full computation");
	} else if (!partial) {
		routes_full(is);
	}
	is->routes_valid = true;
}

static void
routes_full(struct isis *is)
{
	struct rib *rib = is->node->rib;
	bool l12 = is->cfg.level == ISIS_LEVEL12, leak = is->cfg.leak.all || is->cfg.leak.n;
	bool have_default = false;
	struct isis_export down = {0}, up = {0};
	struct route r;

	reset();
	if (isis_is_l1(is))
		gather(is, ISIS_LEVEL1);
	if (isis_is_l2(is))
		gather(is, ISIS_LEVEL2);
	rib_sync_begin(rib, &isis_rib_src);
	for (size_t i = 0; i < T.n; i++) {
		const struct best *b = &T.v[i];
		bool installed = !b->local && b->nnh > 0;

		have_default |= b->plen == 0;
		if (installed) {
			to_route(b, &r);
			rib_add(rib, &(struct prefix){b->addr, b->plen}, &r);
		}
		if (!l12)
			continue;
		/* Level 1 routes (up) go into level 2, whatever won here. */
		if (b->l1rank != NONE && !b->l1local)
			export_add(&up, b->addr, b->plen, false, b->l1rank == 1, b->l1cost);
		/* Leaking: a level 2 route installed here goes down into level 1. */
		if (leak && installed && (b->rank == 2 || b->rank == 3) &&
		    leak_ok(&is->cfg.leak, b->addr, b->plen))
			export_add(&down, b->addr, b->plen, true, b->rank == 3, b->cost);
	}
	if (is->cfg.level == ISIS_LEVEL1 && !have_default && default_route(is, &r))
		rib_add(rib, &(struct prefix){0, 0}, &r);
	rib_sync_end(rib, &isis_rib_src);
	if (l12) {
		bool att = attached(is);

		if (up.n > 1)
			qsort(up.v, (size_t)up.n, sizeof(*up.v), pfx_cmp);
		if (down.n > 1)
			qsort(down.v, (size_t)down.n, sizeof(*down.v), pfx_cmp);
		if (att != is->lv[0].att || !export_same(&down, &is->exp[0])) {
			is->lv[0].att = att;
			isis_gen_schedule(is, ISIS_LEVEL1);
		}
		if (!export_same(&up, &is->exp[1]))
			isis_gen_schedule(is, ISIS_LEVEL2);
		free(is->exp[0].v);
		free(is->exp[1].v);
		is->exp[0] = down;
		is->exp[1] = up;
	}
}

const struct isis_export *
isis_routes_for_level(const struct isis *is, int level)
{
	return &is->exp[LV(level)];
}
