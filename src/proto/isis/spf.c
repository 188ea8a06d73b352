/*
 * spf.c: the decision process of one level (ISO 10589 7.2.6, C.2; RFC 1195 C).
 *
 * Vertices are systems (routers and pseudonodes) whose LSP number 0 is in
 * the database and alive (7.3.7: the other fragments count only with it);
 * a system's edges are the IS neighbors of all its live fragments. An edge
 * is used only when the neighbor reports the system back (the two-way check,
 * 7.2.8.2 / C.2.4 step 2). A router with the overload bit set is reached but
 * not passed through (7.2.8.1). Pseudonodes are left at cost 0, as their
 * LSPs say.
 *
 * Next hops come from the adjacencies: a router the root reaches directly is
 * reached through every Up adjacency to it whose circuit costs the edge's
 * metric; a system behind the root's own LAN through the adjacency to it on
 * that LAN; everything further inherits the next hops of its parents, all of
 * them on equal cost (ECMP).
 *
 * Vertices are indexed by system number (blob.c) in a stamped array per
 * engine thread, so a run allocates nothing but its result.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/marks.h"
#include "../../lib/util.h"
#include "isis.h"

struct vtx {
	uint32_t stamp;
	uint32_t dist;
	int32_t heap;  /* position in the heap, -1 if not there */
	int32_t first; /* its LSPs in the database: first, nfrag (first -1: no live LSP 0) */
	uint16_t nfrag;
	int16_t circ; /* a pseudonode of a LAN of the root: that circuit, else -1 */
	uint8_t nnh;
	uint8_t st; /* incremental runs: ST_* */
	bool done;
	int32_t out;     /* its index in the result */
	uint32_t parent; /* number of the first parent, UINT32_MAX: none */
	struct nexthop nh[RIB_MAX_NH];
};

/* Scratch per engine thread (sim.h), kept from run to run. */
static struct {
	struct vtx *v;
	size_t nv;
	uint32_t gen;
	uint32_t *heap;
	size_t heapcap;
	int nheap;
	/* An incremental run's new result is built here, then copied. */
	struct isis_vertex *spt;
	struct nexthop *nhs;
	int32_t *drop;
	size_t sptcap, nhscap, dropcap;
	/* A level's index of its tree by system number (isis_spf_pos). */
	int32_t *pos;
	size_t poscap;
} scratch[SIM_MAX_THREADS];
#define S (scratch[sim_thread])

struct spf {
	struct isis *is;
	int level;
	struct isis_lspdb *db;
	uint32_t max; /* MaxPathMetric */
	uint32_t root;
	bool simple; /* no pseudonode and no metric 0 met: the tree can be repaired later */
};

/* The vertex of system num, set up on first use in this run. */
static void
vtx_init(struct vtx *x, int32_t first, uint16_t nfrag)
{
	x->stamp = S.gen;
	x->dist = UINT32_MAX;
	x->heap = -1;
	x->circ = -1;
	x->nnh = 0;
	x->st = 0;
	x->done = false;
	x->out = -1;
	x->parent = UINT32_MAX;
	x->first = first;
	x->nfrag = nfrag;
}

/*
 * One pass over the database before a run: each system with a live LSP 0
 * gets its vertex and the place of its fragments. Returns how many.
 */
static int
systems(const struct spf *s)
{
	const struct isis_lspdb *db = s->db;
	int nsys = 0;

	for (int i = 0; i < db->n;) {
		int k = i;

		while (k < db->n && db->keys[k] >> 8 == db->keys[i] >> 8)
			k++;
		if ((db->keys[i] & 0xff) == 0 && !isis_lspdb_at(db, i)->purged) {
			vtx_init(&S.v[isis_lspdb_at(db, i)->blob->info.num], i, (uint16_t)(k - i));
			nsys++;
		}
		i = k;
	}
	return nsys;
}

/* The vertex of system num (one without a live LSP 0 has first -1). */
static struct vtx *
vtx(uint32_t num)
{
	struct vtx *x = &S.v[num];

	if (x->stamp != S.gen)
		vtx_init(x, -1, 0);
	return x;
}

static const struct isis_lspinfo *
info0(const struct spf *s, const struct vtx *x)
{
	return &isis_lspdb_at(s->db, x->first)->blob->info;
}

/* Does system x list system num as a neighbor in a live fragment? */
static bool
lists(const struct spf *s, const struct vtx *x, uint32_t num)
{
	for (int f = x->first; f < x->first + x->nfrag; f++) {
		const struct isis_lsp *l = isis_lspdb_at(s->db, f);

		if (l->purged)
			continue;
		for (int i = 0; i < l->blob->info.nnbr; i++)
			if (l->blob->info.nbr[i].num == num)
				return true;
	}
	return false;
}

/*
 * The order of TENT: distance, then pseudonodes before routers (a pseudonode's
 * edges cost 0, so a router at the same distance behind it has an equal-cost
 * path through it that must be known before the router is final), then ID.
 */
static bool
heap_less(uint32_t a, uint32_t b)
{
	const uint8_t *x = isis_sysnum_id(a), *y = isis_sysnum_id(b);

	if (S.v[a].dist != S.v[b].dist)
		return S.v[a].dist < S.v[b].dist;
	if ((x[6] != 0) != (y[6] != 0))
		return x[6] != 0;
	return memcmp(x, y, 7) < 0;
}

static void
heap_swap(int i, int j)
{
	uint32_t t = S.heap[i];

	S.heap[i] = S.heap[j];
	S.heap[j] = t;
	S.v[S.heap[i]].heap = i;
	S.v[S.heap[j]].heap = j;
}

static void
heap_up(int i)
{
	while (i > 0 && heap_less(S.heap[i], S.heap[(i - 1) / 2])) {
		heap_swap(i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
heap_push(uint32_t num)
{
	if ((size_t)S.nheap == S.heapcap) {
		S.heapcap = S.heapcap ? S.heapcap * 2 : 1024;
		S.heap = xrealloc(S.heap, S.heapcap * sizeof(*S.heap));
	}
	S.v[num].heap = S.nheap;
	S.heap[S.nheap++] = num;
}

static uint32_t
heap_pop(void)
{
	uint32_t top = S.heap[0];
	int i = 0;

	S.heap[0] = S.heap[--S.nheap];
	S.v[S.heap[0]].heap = 0;
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;

		if (l < S.nheap && heap_less(S.heap[l], S.heap[m]))
			m = l;
		if (r < S.nheap && heap_less(S.heap[r], S.heap[m]))
			m = r;
		if (m == i)
			break;
		heap_swap(i, m);
		i = m;
	}
	S.v[top].heap = -1;
	return top;
}

static void
nh_add(struct vtx *x, uint32_t gw, uint16_t ifindex)
{
	isis_nh_insert(x->nh, &x->nnh, &(struct nexthop){gw, ifindex, 0});
}

/* The next hops of system v (vertex x) through u (the root, a root's LAN, or any other). */
static void
inherit(const struct spf *s, uint32_t u, uint32_t v, uint32_t metric)
{
	struct vtx *x = &S.v[v];
	const struct vtx *p = &S.v[u];
	const uint8_t *id = isis_sysnum_id(v);

	if (u == s->root) {
		for (int i = 0; i < s->is->ncircs; i++) {
			struct isis_circ *c = s->is->circs[i];
			const struct isis_adj *a;

			if (!c->up || c->cfg.passive || !(c->levels & s->level) ||
			    isis_circ_adv_metric(s->is, c) != metric)
				continue;
			if (id[6] != 0) {
				/* Our LAN's pseudonode: next hops come with the systems behind it.
				 */
				if (!c->cfg.p2p && memcmp(c->lv[LV(s->level)].lan_id, id, 7) == 0)
					x->circ = (int16_t)i;
				continue;
			}
			if (c->cfg.p2p && (a = isis_circ_adj(c, s->level, id)) != NULL && a->addr)
				nh_add(x, a->addr, c->ifp->idx);
		}
		return;
	}
	/* Behind our own LAN: through the adjacency there, and the LAN's other equal-cost ways. */
	if (p->circ >= 0) {
		struct isis_circ *c = s->is->circs[p->circ];
		const struct isis_adj *a = isis_circ_adj(c, s->level, id);

		if (a != NULL && a->addr)
			nh_add(x, a->addr, c->ifp->idx);
	}
	for (int i = 0; i < p->nnh; i++)
		nh_add(x, p->nh[i].gw, p->nh[i].ifindex);
}

static void
relax(struct spf *s, uint32_t u)
{
	const struct vtx *x = &S.v[u];

	/* 7.2.8.1: an overloaded router is a leaf (the root still uses its own links). */
	if (u != s->root && isis_sysnum_id(u)[6] == 0 && (info0(s, x)->flags & ISIS_LSP_OL))
		return;
	for (int f = x->first; f < x->first + x->nfrag; f++) {
		const struct isis_lsp *l = isis_lspdb_at(s->db, f);

		if (l->purged)
			continue;
		for (int i = 0; i < l->blob->info.nnbr; i++) {
			const struct isis_nbr_ent *e = &l->blob->info.nbr[i];
			struct vtx *y;
			uint64_t d;

			if (e->num == u)
				continue;
			if (e->metric == 0 || isis_sysnum_id(e->num)[6] != 0)
				s->simple = false;
			y = vtx(e->num);
			if (y->first < 0 || y->done || !lists(s, y, u))
				continue;
			d = (uint64_t)x->dist + e->metric;
			if (d > s->max || d > y->dist)
				continue;
			if (d < y->dist) {
				y->dist = (uint32_t)d;
				y->nnh = 0;
				y->circ = -1;
				y->parent = u;
				if (y->heap < 0)
					heap_push(e->num);
				heap_up(y->heap);
			}
			inherit(s, u, e->num, e->metric);
		}
	}
}

static uint64_t
mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdULL;
}

/*
 * What the routes depend on: the system, its distance, flags and next hops.
 * The result's hash is the sum of its vertices' (an incremental run patches it).
 */
static uint64_t
vertex_hash(uint64_t h, const struct isis_vertex *o, const struct nexthop *nh)
{
	const uint8_t *id = isis_sysnum_id(o->num);
	uint64_t k = 0;

	for (int i = 0; i < 7; i++)
		k = k << 8 | id[i];
	h = mix(h, k);
	h = mix(h, (uint64_t)o->dist << 8 | o->flags);
	for (int i = 0; i < o->nnh; i++)
		h = mix(h, (uint64_t)nh[i].gw << 16 | nh[i].ifindex);
	return h;
}

static uint8_t
vertex_flags(const struct spf *s, const struct isis_lspinfo *in, const uint8_t id[7])
{
	uint8_t f = 0;

	if (in->flags & ISIS_LSP_ATT_ALL)
		f |= ISIS_V_ATT;
	if (in->flags & ISIS_LSP_OL)
		f |= ISIS_V_OVERLOAD;
	if (id[6] == 0 && in->nareas > 0 && !isis_area_match(s->is, in->areas, in->nareas))
		f |= ISIS_V_FOREIGN;
	return f;
}

/*
 * Where vertex i of spt (next hops set[0..n)) keeps its next hops in nhs
 * (*nnhs long): its parent's set when the same, as most systems reach the
 * root's neighbors through the same ones as their parent (a vertex's set is
 * never written in place once placed); else appended.
 */
static uint32_t
nh_place(const struct isis_vertex *spt, int i, struct nexthop *nhs, uint32_t *nnhs,
         const struct nexthop *set, uint8_t n)
{
	int32_t p = spt[i].parent;
	uint32_t at = *nnhs;

	if (p >= 0 && p < i && spt[p].nnh == n &&
	    memcmp(nhs + spt[p].nh, set, n * sizeof(*set)) == 0)
		return spt[p].nh;
	if (at >= ISIS_VERTEX_NH_MAX)
		bug("IS-IS SPF: more than %u next hops in one result", ISIS_VERTEX_NH_MAX);
	memcpy(nhs + at, set, n * sizeof(*set));
	*nnhs += n;
	return at;
}

/* Append vertex num to the level's result. */
static void
emit(const struct spf *s, struct isis_level *lv, uint32_t num)
{
	struct vtx *x = &S.v[num];
	const struct isis_lspinfo *in = info0(s, x);
	struct isis_vertex *o = &lv->spt[lv->nspt];

	o->num = num;
	o->dist = x->dist;
	o->parent = x->parent == UINT32_MAX ? -1 : S.v[x->parent].out;
	o->flags = vertex_flags(s, in, isis_sysnum_id(num));
	o->nnh = x->nnh;
	o->first = x->first;
	o->nfrag = x->nfrag;
	o->nh = nh_place(lv->spt, lv->nspt, lv->nhs, &lv->nnhs, x->nh, x->nnh);
	x->out = lv->nspt++;
	lv->spt_hash += vertex_hash(0, o, x->nh);
}

/* ---- incremental runs ------------------------------------------------------------------------ */

/*
 * A link failure changes two LSPs, and each of a thousand routers would run
 * Dijkstra over the whole level again. Instead, when few LSPs changed since
 * the last run, the tree is repaired where the changes reach, with the
 * dynamic shortest-path algorithm of Ramalingam and Reps (as OSPF's ispf.c
 * does), extended to next-hop sets:
 *   1. Which systems get farther: candidates are the changed LSPs' systems
 *      and the far ends of the edges they gained, lost or changed, taken in order of
 *      old distance; one keeps its distance if a valid edge (both ends list
 *      each other, the far end not overloaded) from a system that does not
 *      get farther offers it; the others get farther and make their
 *      neighbors farther from the root candidates in turn.
 *   2. A Dijkstra over the candidates and whatever their changes reach: a
 *      system is computed again from all its neighbors that are final, as a
 *      full run would; when its distance, next hops or reachability changed,
 *      its neighbors are queued in turn.
 * The result (order, parents, next hops, hash) is exactly a full run's; the
 * systems whose distance or next hops changed are left for the routes
 * (route.c). It is used only where that is simple to get right: the tree
 * came from a full run that met no pseudonode and no metric 0 (Dijkstra's
 * order between equal distances would matter), the database's entries are
 * where they were (only replaced), and the root's circuits and adjacencies
 * are as they were (they give the first hops). A run that meets anything
 * else gives up and runs in full. In test mode (isis_spf_check) every
 * incremental run is compared with a full one.
 */
bool isis_spf_check;
_Atomic uint64_t isis_spf_incremental;

/* More changed LSPs than this since the last run: a full run is cheaper. */
#define MAX_CHANGES 32

#define ST_CAND 0x01 /* a candidate of phase 1 */
#define ST_FAR  0x02 /* no old distance to keep: known only when phase 2 reaches it */
#define ST_PEND 0x04 /* not final yet (phase 2) */
#define ST_NEW  0x08 /* computed again: dist, nh, parent are its new value */

void
isis_spf_note(struct isis_lspdb *db, uint32_t num, struct isis_blob *old)
{
	struct isis_level *lv = &db->is->lv[LV(db->level)];

	if (lv->chg_over)
		return;
	if (lv->nchg == MAX_CHANGES) {
		isis_spf_done(lv);
		lv->chg_over = true;
		return;
	}
	if (old != NULL)
		atomic_fetch_add(&old->ref, 1);
	VEC_PUSH(lv->chg, lv->nchg, lv->chgcap, ((struct isis_chg){num, old}));
}

void
isis_spf_done(struct isis_level *lv)
{
	for (int i = 0; i < lv->nchg; i++)
		isis_blob_put(lv->chg[i].old);
	lv->nchg = 0;
	lv->chg_over = false;
	lv->ntouched = 0;
	lv->partial = false;
}

/* The root's circuits and adjacencies as SPF reads them (0: a LAN, never repaired). */
static uint64_t
context(const struct isis *is, int level)
{
	uint64_t h = mix(0, (uint64_t)is->ncircs << 8 | is->cfg.style);

	for (int i = 0; i < is->ncircs; i++) {
		const struct isis_circ *c = is->circs[i];
		const struct isis_adj *a = c->p2p;
		bool on = c->up && !c->cfg.passive && (c->levels & level);
		uint64_t k = 0;

		if (on && !c->cfg.p2p)
			return 0;
		h = mix(h, (uint64_t)c->ifp->idx << 40 | (uint64_t)on << 32 | isis_circ_adv_metric(is, c));
		if (!on || a == NULL)
			continue;
		for (int b = 0; b < ISIS_SYSID_LEN; b++)
			k = k << 8 | a->sysid[b];
		h = mix(h, k << 16 | (uint64_t)a->state << 8 | a->levels);
		h = mix(h, a->addr);
	}
	return h | 1;
}

void
isis_spf_pos(struct isis_level *lv)
{
	size_t n = isis_sysnum_count();

	grow_array((void **)&S.pos, &S.poscap, n ? n : 1, sizeof(*S.pos));
	memset(S.pos, 0xff, n * sizeof(*S.pos));
	for (int i = 0; i < lv->nspt; i++)
		S.pos[lv->spt[i].num] = i;
	lv->pos = S.pos;
	lv->npos = (uint32_t)n;
}

/* The old tree's vertex of system num, NULL if it was not reached (pos built). */
static const struct isis_vertex *
old_v(const struct isis_level *lv, uint32_t num)
{
	return num < lv->npos && lv->pos[num] >= 0 ? &lv->spt[lv->pos[num]] : NULL;
}

struct inc {
	struct spf s;
	struct isis_level *lv;
	bool fail;      /* met what a repair does not handle: run in full */
	uint32_t *cand; /* every system stamped in this run */
	int ncand;
	size_t candcap;
};

/*
 * The vertex of num, stamped for this run with the place of its LSPs (first
 * -1: no live LSP 0). A system the old tree reached has its LSP 0 where it
 * was, and alive unless it changed: the changed ones are touched first, with
 * `changed` set.
 */
static struct vtx *
touch_as(struct inc *r, uint32_t num, bool changed)
{
	struct vtx *x = &S.v[num];
	const struct isis_vertex *o;
	int first, n;

	if (x->stamp == S.gen)
		return x;
	if ((o = old_v(r->lv, num)) != NULL) {
		first = o->first;
		n = o->nfrag;
	} else {
		first = isis_lspdb_node(r->s.db, isis_sysnum_id(num), &n);
		changed = true;
	}
	if (changed &&
	    (n == 0 || (r->s.db->keys[first] & 0xff) != 0 || isis_lspdb_at(r->s.db, first)->purged))
		first = -1;
	vtx_init(x, first, (uint16_t)n);
	VEC_PUSH(r->cand, r->ncand, r->candcap, num);
	return x;
}

static struct vtx *
touch(struct inc *r, uint32_t num)
{
	return touch_as(r, num, false);
}

/* The final value of system u (false: not final yet, or not reached). */
static bool
final(struct inc *r, uint32_t u, uint32_t *dist, const struct nexthop **nh, uint8_t *nnh)
{
	const struct vtx *x = &S.v[u];
	const struct isis_vertex *o;

	if (x->stamp == S.gen && (x->st & (ST_PEND | ST_NEW))) {
		if ((x->st & ST_PEND) || (x->nnh == 0 && u != r->s.root))
			return false;
		*dist = x->dist;
		*nh = x->nh;
		*nnh = x->nnh;
		return true;
	}
	if ((o = old_v(r->lv, u)) == NULL)
		return false;
	*dist = o->dist;
	*nh = r->lv->nhs + o->nh;
	*nnh = o->nnh;
	return true;
}

/* The metric of the edge u -> v if u may be passed through and lists v (*m), else false. */
static bool
edge(struct inc *r, uint32_t u, uint32_t v, uint32_t *m)
{
	const struct vtx *x = touch(r, u);
	bool found = false;

	if (x->first < 0 || (u != r->s.root && (info0(&r->s, x)->flags & ISIS_LSP_OL)))
		return false;
	for (int f = x->first; f < x->first + x->nfrag; f++) {
		const struct isis_lsp *l = isis_lspdb_at(r->s.db, f);

		if (l->purged)
			continue;
		for (int i = 0; i < l->blob->info.nnbr; i++)
			if (l->blob->info.nbr[i].num == v &&
			    (!found || l->blob->info.nbr[i].metric < *m)) {
				*m = l->blob->info.nbr[i].metric;
				found = true;
			}
	}
	if (found && *m == 0)
		r->fail = true;
	return found;
}

/* The body for every neighbor entry e in the live LSPs of vertex x. */
#define EACH_NBR(r, x, e, ...)                                                                     \
	for (int f_ = (x)->first; f_ >= 0 && f_ < (x)->first + (x)->nfrag; f_++) {                 \
		const struct isis_lsp *l_ = isis_lspdb_at((r)->s.db, f_);                          \
		if (l_->purged)                                                                    \
			continue;                                                                  \
		for (int i_ = 0; i_ < l_->blob->info.nnbr; i_++) {                                 \
			const struct isis_nbr_ent *e = &l_->blob->info.nbr[i_];                    \
			__VA_ARGS__                                                                \
		}                                                                                  \
	}

/* Is (da, a) before (db, b) in the order of TENT (no pseudonodes here)? */
static bool
tent_before(uint32_t da, uint32_t a, uint32_t db, uint32_t b)
{
	if (da != db)
		return da < db;
	return memcmp(isis_sysnum_id(a), isis_sysnum_id(b), 7) < 0;
}

static void
seed_all(struct inc *r, const struct isis_lspinfo *in)
{
	for (int i = 0; in != NULL && i < in->nnbr; i++)
		touch(r, in->nbr[i].num)->st |= ST_CAND;
}

static bool
lists_as(const struct isis_lspinfo *in, const struct isis_nbr_ent *e)
{
	for (int i = 0; i < in->nnbr; i++)
		if (in->nbr[i].num == e->num && in->nbr[i].metric == e->metric)
			return true;
	return false;
}

/*
 * Phase 1 seeds for a changed LSP of system num (old: the instance before,
 * NULL if none or a purge): the far ends of the edges it gained, lost or
 * changed; all its neighbors when the system's LSP 0 came or went or its
 * overload bit changed (every edge from it changes).
 */
static void
seed(struct inc *r, uint32_t num, const struct isis_blob *old)
{
	const struct isis_lsp *l = NULL;
	const struct isis_lspinfo *now;
	struct isis_lspid id;
	int first, n;

	if (old != NULL) {
		memcpy(id.b, old->bytes + ISIS_LSP_OFF_ID, 8);
		l = isis_lspdb_find(r->s.db, &id);
	}
	now = l != NULL && !l->purged ? &l->blob->info : NULL;
	if (old != NULL &&
	    (id.b[7] != 0 || (now != NULL && !((now->flags ^ old->info.flags) & ISIS_LSP_OL)))) {
		for (int i = 0; i < old->info.nnbr; i++)
			if (now == NULL || !lists_as(now, &old->info.nbr[i]))
				touch(r, old->info.nbr[i].num)->st |= ST_CAND;
		for (int i = 0; now != NULL && i < now->nnbr; i++)
			if (!lists_as(&old->info, &now->nbr[i]))
				touch(r, now->nbr[i].num)->st |= ST_CAND;
		return;
	}
	seed_all(r, old != NULL ? &old->info : NULL);
	first = isis_lspdb_node(r->s.db, isis_sysnum_id(num), &n);
	for (int f = first; f < first + n; f++)
		seed_all(r, &isis_lspdb_at(r->s.db, f)->blob->info);
}

/* Phase 1: does candidate v (reached before) keep its old distance? */
static bool
keeps(struct inc *r, uint32_t v, uint32_t dist)
{
	struct vtx *x = touch(r, v);
	bool ok = false;

	if (x->first < 0)
		return false;
	EACH_NBR(r, x, e, {
		const struct isis_vertex *o = old_v(r->lv, e->num);
		uint32_t m;

		if (ok || e->num == v || o == NULL ||
		    (S.v[e->num].stamp == S.gen && (S.v[e->num].st & ST_FAR)))
			continue;
		if (!edge(r, e->num, v, &m) || (uint64_t)o->dist + m != dist)
			continue;
		if (e->num == r->s.root) {
			uint8_t n0 = x->nnh;

			inherit(&r->s, e->num, v, m);
			ok = x->nnh > 0;
			x->nnh = n0;
		} else {
			ok = true;
		}
	})
	return ok;
}

/* Phase 2: v's distance, next hops and parent from its final neighbors, as a full run has them. */
static void
recompute(struct inc *r, uint32_t v)
{
	struct vtx *x = &S.v[v];
	uint32_t pdist = 0;

	x->dist = UINT32_MAX;
	x->nnh = 0;
	x->parent = UINT32_MAX;
	if (x->first < 0)
		return;
	EACH_NBR(r, x, e, {
		const struct nexthop *nh;
		uint32_t du, m;
		uint8_t nnh;
		uint64_t d;

		if (e->num == v)
			continue;
		if (e->metric == 0 || isis_sysnum_id(e->num)[6] != 0)
			r->fail = true;
		if (!final(r, e->num, &du, &nh, &nnh) || !edge(r, e->num, v, &m))
			continue;
		d = (uint64_t)du + m;
		if (d > r->s.max || d > x->dist)
			continue;
		if (d < x->dist) {
			x->dist = (uint32_t)d;
			x->nnh = 0;
			x->parent = e->num;
			pdist = du;
		} else if (tent_before(du, e->num, pdist, x->parent)) {
			x->parent = e->num;
			pdist = du;
		}
		if (e->num == r->s.root)
			inherit(&r->s, e->num, v, m);
		else
			for (int k = 0; k < nnh; k++)
				nh_add(x, nh[k].gw, nh[k].ifindex);
	})
	if (x->nnh == 0) {
		x->dist = UINT32_MAX;
		x->parent = UINT32_MAX;
	}
}

/* Queue v (not final) at distance d if that is less than what it has. */
static void
offer_dist(uint32_t v, uint64_t d)
{
	struct vtx *x = &S.v[v];

	if (d >= x->dist)
		return;
	x->dist = (uint32_t)d;
	if (x->heap < 0)
		heap_push(v);
	heap_up(x->heap);
}

static bool
value_same(const struct isis_level *lv, const struct vtx *x, const struct isis_vertex *o)
{
	if (o == NULL || x->nnh == 0)
		return o == NULL && x->nnh == 0;
	return o->dist == x->dist && o->nnh == x->nnh &&
	       memcmp(lv->nhs + o->nh, x->nh, x->nnh * sizeof(*x->nh)) == 0;
}

static int
num_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	uint32_t dx = S.v[x].dist, dy = S.v[y].dist;

	if (dx != dy)
		return dx < dy ? -1 : 1;
	return memcmp(isis_sysnum_id(x), isis_sysnum_id(y), 7);
}

static int
i32_cmp(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return x < y ? -1 : x > y;
}

/* A new result: the old one without the systems computed again, merged with them in TENT order. */
static void
rebuild(struct inc *r, uint32_t *redo, int nredo)
{
	struct isis_level *lv = r->lv;
	int n = 0, ndrop = 0, i = 0, k = 0, d = 0;
	size_t cap = (size_t)(lv->nspt + nredo) + 1;
	uint32_t nnhs = 0;

	grow_array((void **)&S.spt, &S.sptcap, cap, sizeof(*S.spt));
	grow_array((void **)&S.nhs, &S.nhscap, cap * RIB_MAX_NH, sizeof(*S.nhs));
	/* The old places of the systems computed again: dropped, they come back from redo. */
	for (int c = 0; c < r->ncand; c++)
		if ((S.v[r->cand[c]].st & ST_NEW) && old_v(lv, r->cand[c]) != NULL) {
			grow_array((void **)&S.drop, &S.dropcap, (size_t)ndrop + 1,
			           sizeof(*S.drop));
			S.drop[ndrop++] = lv->pos[r->cand[c]];
		}
	if (ndrop > 1)
		qsort(S.drop, (size_t)ndrop, sizeof(*S.drop), i32_cmp);
	if (nredo > 1)
		qsort(redo, (size_t)nredo, sizeof(*redo), num_cmp);
	lv->spt_hash = 0;
	for (;;) {
		const struct isis_vertex *o;
		struct isis_vertex *v = &S.spt[n];

		while (d < ndrop && i == S.drop[d]) {
			i++;
			d++;
		}
		o = i < lv->nspt ? &lv->spt[i] : NULL;
		if (o == NULL && k == nredo)
			break;
		if (k < nredo &&
		    (o == NULL || tent_before(S.v[redo[k]].dist, redo[k], o->dist, o->num))) {
			uint32_t num = redo[k++];
			struct vtx *x = &S.v[num];

			v->num = num;
			v->dist = x->dist;
			v->parent = x->parent == UINT32_MAX ? -1 : lv->pos[x->parent];
			v->nnh = x->nnh;
			v->flags = vertex_flags(&r->s, info0(&r->s, x), isis_sysnum_id(num));
			v->first = x->first;
			v->nfrag = x->nfrag;
			v->nh = nh_place(S.spt, n, S.nhs, &nnhs, x->nh, x->nnh);
		} else {
			*v = *o;
			v->parent = o->parent < 0 ? -1 : lv->pos[lv->spt[o->parent].num];
			v->nh = nh_place(S.spt, n, S.nhs, &nnhs, lv->nhs + o->nh, o->nnh);
			i++;
		}
		/*
		 * pos becomes the new positions as it goes: a parent comes before its
		 * children (a system whose parent moved was computed again).
		 */
		lv->pos[v->num] = n;
		lv->spt_hash += vertex_hash(0, v, S.nhs + v->nh);
		n++;
	}
	lv->spt = xrealloc(lv->spt, (size_t)(n ? n : 1) * sizeof(*lv->spt));
	lv->nhs = xrealloc(lv->nhs, (size_t)(nnhs ? nnhs : 1) * sizeof(*lv->nhs));
	memcpy(lv->spt, S.spt, (size_t)n * sizeof(*lv->spt));
	memcpy(lv->nhs, S.nhs, nnhs * sizeof(*lv->nhs));
	lv->nspt = n;
	lv->nnhs = lv->nnhs_kept = nnhs;
	isis_spf_pos(lv);
}

/* nhs again with only the sets the vertices use (patches leave the replaced ones behind). */
static void
nhs_compact(struct isis_level *lv)
{
	uint32_t n = 0;

	grow_array((void **)&S.nhs, &S.nhscap, lv->nnhs, sizeof(*S.nhs));
	for (int i = 0; i < lv->nspt; i++) {
		struct isis_vertex *v = &lv->spt[i];

		v->nh = nh_place(lv->spt, i, S.nhs, &n, lv->nhs + v->nh, v->nnh);
	}
	lv->nhs = xrealloc(lv->nhs, (n ? n : 1) * sizeof(*lv->nhs));
	memcpy(lv->nhs, S.nhs, n * sizeof(*lv->nhs));
	lv->nnhs = lv->nnhs_kept = n;
}

/*
 * The same systems at the same distances (so in the same order): the result
 * is patched in place, and its hash with it. A changed next-hop set goes to
 * the end of nhs (another vertex may share the old one); once what is left
 * behind outweighs what is used, nhs is compacted.
 */
static void
patch(struct inc *r, const uint32_t *redo, int nredo)
{
	struct isis_level *lv = r->lv;

	for (int k = 0; k < nredo; k++) {
		const struct vtx *x = &S.v[redo[k]];
		int32_t i = lv->pos[redo[k]];
		struct isis_vertex *o = &lv->spt[i];
		int32_t parent = x->parent == UINT32_MAX ? -1 : lv->pos[x->parent];

		if (value_same(lv, x, o) && parent == o->parent)
			continue;
		lv->spt_hash -= vertex_hash(0, o, lv->nhs + o->nh);
		o->parent = parent;
		o->nnh = x->nnh;
		lv->nhs = xrealloc(lv->nhs, (lv->nnhs + x->nnh + 1) * sizeof(*lv->nhs));
		o->nh = nh_place(lv->spt, i, lv->nhs, &lv->nnhs, x->nh, x->nnh);
		lv->spt_hash += vertex_hash(0, o, lv->nhs + o->nh);
	}
	if (lv->nnhs > 2 * lv->nnhs_kept + 64)
		nhs_compact(lv);
}

/* Flags come from LSP 0: only a changed system's can have changed. */
static void
flags_fix(struct inc *r)
{
	struct isis_level *lv = r->lv;

	for (int c = 0; c < lv->nchg; c++) {
		uint32_t num = lv->chg[c].num;
		struct isis_vertex *o;
		uint8_t f;

		if (S.v[num].first < 0 || num >= lv->npos || lv->pos[num] < 0)
			continue;
		o = &lv->spt[lv->pos[num]];
		f = vertex_flags(&r->s, info0(&r->s, &S.v[num]), isis_sysnum_id(num));
		if (f == o->flags)
			continue;
		lv->spt_hash -= vertex_hash(0, o, lv->nhs + o->nh);
		o->flags = f;
		lv->spt_hash += vertex_hash(0, o, lv->nhs + o->nh);
	}
}

/* Repair the tree (see above); false if this run must be a full one. */
static bool
incremental(struct isis *is, int level)
{
	struct isis_level *lv = &is->lv[LV(level)];
	struct inc r = {.s = {.is = is, .level = level, .db = &lv->db}, .lv = lv};
	uint32_t *redo = NULL;
	int nredo = 0;
	size_t redocap = 0;
	bool dirty = false, moved = false;

	if (!lv->spt_simple || lv->chg_over || lv->nspt == 0 || lv->db.layout != lv->spt_layout ||
	    context(is, level) != lv->spt_ctx)
		return false;
	isis_spf_pos(lv);
	r.s.max = is->cfg.style == ISIS_NARROW ? ISIS_MAX_PATH_NARROW : ISIS_MAX_PATH_WIDE;
	r.s.root = lv->spt[0].num;
	STAMPED_CLEAR(S.v, S.nv, S.gen, isis_sysnum_count());
	S.nheap = 0;
	for (int c = 0; c < lv->nchg; c++)
		touch_as(&r, lv->chg[c].num, true);
	touch(&r, r.s.root);
	/* Phase 1, seeds: the changed systems and their neighbors, old and new. */
	for (int c = 0; c < lv->nchg && !r.fail; c++) {
		const struct isis_blob *old = lv->chg[c].old;
		struct vtx *x = touch(&r, lv->chg[c].num);

		if (isis_sysnum_id(lv->chg[c].num)[6] != 0)
			r.fail = true;
		x->st |= ST_CAND;
		seed(&r, lv->chg[c].num, old);
	}
	if (r.fail)
		goto full;
	for (int i = 0; i < r.ncand; i++) {
		const struct isis_vertex *o = old_v(lv, r.cand[i]);

		if (r.cand[i] != r.s.root && o != NULL && (S.v[r.cand[i]].st & ST_CAND)) {
			S.v[r.cand[i]].dist = o->dist;
			heap_push(r.cand[i]);
			heap_up(S.v[r.cand[i]].heap);
		}
	}
	/* Phase 1, in order of old distance. */
	while (S.nheap > 0) {
		uint32_t v = heap_pop();
		struct vtx *x = &S.v[v];

		if (keeps(&r, v, x->dist))
			continue;
		x->st |= ST_FAR;
		EACH_NBR(&r, x, e, {
			const struct isis_vertex *o = old_v(lv, e->num);
			struct vtx *y = touch(&r, e->num);

			if (o != NULL && o->dist > x->dist && !(y->st & ST_CAND)) {
				y->st |= ST_CAND;
				y->dist = o->dist;
				heap_push(e->num);
				heap_up(y->heap);
			}
		})
	}
	if (r.fail)
		goto full;
	/* Phase 2: every candidate is pending; those that keep their distance are queued at it. */
	for (int i = 0; i < r.ncand; i++) {
		struct vtx *x = &S.v[r.cand[i]];

		x->dist = UINT32_MAX;
		if ((x->st & ST_CAND) && r.cand[i] != r.s.root) {
			x->st |= ST_PEND;
			if (old_v(lv, r.cand[i]) == NULL)
				x->st |= ST_FAR;
		}
	}
	for (int i = 0, n = r.ncand; i < n; i++) {
		uint32_t v = r.cand[i];
		struct vtx *x = &S.v[v];

		if (!(x->st & ST_PEND))
			continue;
		if (!(x->st & ST_FAR))
			offer_dist(v, old_v(lv, v)->dist);
		EACH_NBR(&r, x, e, {
			const struct nexthop *nh;
			uint32_t du, m;
			uint8_t nnh;

			if (e->num != v && final(&r, e->num, &du, &nh, &nnh) &&
			    edge(&r, e->num, v, &m))
				offer_dist(v, (uint64_t)du + m);
		})
	}
	while (S.nheap > 0 && !r.fail) {
		uint32_t v = heap_pop();
		struct vtx *x = &S.v[v];
		const struct isis_vertex *o = old_v(lv, v);
		uint32_t oparent = o && o->parent >= 0 ? lv->spt[o->parent].num : UINT32_MAX;
		bool same;

		recompute(&r, v);
		x->st = (uint8_t)((x->st & ~ST_PEND) | ST_NEW);
		same = value_same(lv, x, o);
		if (!same)
			VEC_PUSH(lv->touched, lv->ntouched, lv->touchcap, v);
		if (!same || (x->nnh > 0 && x->parent != oparent))
			dirty = true;
		moved |= (o != NULL) != (x->nnh > 0) || (o != NULL && o->dist != x->dist);
		EACH_NBR(&r, x, e, {
			struct vtx *y;
			const struct isis_vertex *yo;
			uint32_t m;

			if (e->num == r.s.root || e->num == v)
				continue;
			y = touch(&r, e->num);
			if (y->st & ST_NEW)
				continue;
			yo = old_v(lv, e->num);
			if (!(y->st & ST_PEND)) {
				if (same)
					continue;
				y->st |= ST_PEND;
				y->dist = UINT32_MAX;
				if (yo == NULL)
					y->st |= ST_FAR;
				else
					offer_dist(e->num, yo->dist);
			}
			if (x->nnh > 0 && edge(&r, v, e->num, &m))
				offer_dist(e->num, (uint64_t)x->dist + m);
		})
	}
	if (r.fail)
		goto full;
	/* Pending systems that nothing reached are not reached any more. */
	for (int i = 0; i < r.ncand; i++) {
		struct vtx *x = &S.v[r.cand[i]];

		if (x->st & ST_PEND) {
			x->st = (uint8_t)((x->st & ~ST_PEND) | ST_NEW);
			x->nnh = 0;
			x->dist = UINT32_MAX;
			if (old_v(lv, r.cand[i]) != NULL) {
				VEC_PUSH(lv->touched, lv->ntouched, lv->touchcap, r.cand[i]);
				dirty = moved = true;
			}
		}
		if ((x->st & ST_NEW) && x->nnh > 0)
			VEC_PUSH(redo, nredo, redocap, r.cand[i]);
	}
	if (moved)
		rebuild(&r, redo, nredo);
	else if (dirty)
		patch(&r, redo, nredo);
	flags_fix(&r);
	free(redo);
	free(r.cand);
	lv->spt_version = lv->db.version;
	lv->partial = true;
	return true;
full:
	free(redo);
	free(r.cand);
	lv->ntouched = 0;
	return false;
}

static void
full(struct isis *is, int level)
{
	struct isis_level *lv = &is->lv[LV(level)];
	struct spf s = {.is = is, .level = level, .db = &lv->db};
	uint8_t me[7];
	int nsys = 0, cap;
	bool found;

	s.max = is->cfg.style == ISIS_NARROW ? ISIS_MAX_PATH_NARROW : ISIS_MAX_PATH_WIDE;
	STAMPED_CLEAR(S.v, S.nv, S.gen, isis_sysnum_count());
	S.nheap = 0;
	lv->nspt = 0;
	lv->nnhs = 0;
	lv->spt_hash = 0;
	lv->spt_version = lv->db.version;
	nsys = systems(&s);
	cap = nsys ? nsys : 1;
	/*
	 * Built in the thread's scratch, sized for the worst case, then copied
	 * at the size it has: a level's own arrays never take the worst case's
	 * fresh pages (the kernel zeroes each one, a tenth of a cold start).
	 */
	free(lv->spt);
	free(lv->nhs);
	grow_array((void **)&S.spt, &S.sptcap, (size_t)cap, sizeof(*S.spt));
	grow_array((void **)&S.nhs, &S.nhscap, (size_t)cap * RIB_MAX_NH, sizeof(*S.nhs));
	lv->spt = S.spt;
	lv->nhs = S.nhs;
	memcpy(me, is->cfg.sysid, ISIS_SYSID_LEN);
	me[6] = 0;
	{
		struct isis_lspid id0 = {{0}};
		const struct isis_lsp *l;

		memcpy(id0.b, me, 7);
		l = isis_lspdb_find(&lv->db, &id0);
		found = l != NULL && !l->purged;
		if (found) {
			s.root = l->blob->info.num;
			vtx(s.root)->dist = 0;
			heap_push(s.root);
		}
	}
	s.simple = true;
	while (S.nheap > 0) {
		uint32_t u = heap_pop();
		struct vtx *x = &S.v[u];

		/* Beyond the root, a system without next hops is not reachable through adjacencies.
		 */
		if (u != s.root && x->nnh == 0 && x->circ < 0)
			continue;
		x->done = true;
		emit(&s, lv, u);
		relax(&s, u);
	}
	/* Keep what the result needs, not the worst case. */
	lv->spt = xmemdup(S.spt, (size_t)(lv->nspt ? lv->nspt : 1) * sizeof(*lv->spt));
	lv->nhs = xmemdup(S.nhs, (size_t)(lv->nnhs ? lv->nnhs : 1) * sizeof(*lv->nhs));
	lv->nnhs_kept = lv->nnhs;
	lv->spt_simple = s.simple && found;
	lv->spt_layout = lv->db.layout;
	lv->spt_ctx = context(is, level);
	lv->partial = false;
	lv->pos = NULL; /* (isis_spf_pos builds it when an incremental run needs it) */
	lv->npos = 0;
}

/* Compare an incremental run's result with a full run's (test mode). */
static void
check(struct isis *is, int level)
{
	struct isis_level *lv = &is->lv[LV(level)];
	int n = lv->nspt;
	struct isis_vertex *spt = xmalloc((size_t)(n ? n : 1) * sizeof(*spt));
	struct nexthop *nhs = xmalloc((size_t)(lv->nnhs ? lv->nnhs : 1) * sizeof(*nhs));
	uint64_t h = lv->spt_hash;

	memcpy(spt, lv->spt, (size_t)n * sizeof(*spt));
	memcpy(nhs, lv->nhs, lv->nnhs * sizeof(*nhs));
	full(is, level);
	lv->partial = true;
	if (n != lv->nspt)
		bug("IS-IS incremental SPF: %d systems, a full run %d", n, lv->nspt);
	for (int i = 0; i < n; i++) {
		const struct isis_vertex *a = &spt[i], *b = &lv->spt[i];

		if (a->num != b->num || a->dist != b->dist || a->parent != b->parent ||
		    a->flags != b->flags || a->nnh != b->nnh || a->first != b->first ||
		    a->nfrag != b->nfrag ||
		    memcmp(nhs + a->nh, lv->nhs + b->nh, a->nnh * sizeof(*nhs)) != 0)
			bug("IS-IS incremental SPF: vertex %d (system %u, distance %u) differs "
			    "from a "
			    "full run's (system %u, distance %u)",
			    i, a->num, a->dist, b->num, b->dist);
	}
	if (h != lv->spt_hash)
		bug("IS-IS incremental SPF: the result's hash differs from a full run's");
	free(spt);
	free(nhs);
}

void
isis_spf_run(struct isis *is, int level)
{
	struct isis_level *lv = &is->lv[LV(level)];

	if (incremental(is, level)) {
		atomic_fetch_add(&isis_spf_incremental, 1);
		if (isis_spf_check)
			check(is, level);
	} else {
		full(is, level);
	}
	lv->spf_runs++;
	lv->last_spf = isis_now(is);
	lv->spf_nodes = lv->db.nlive0;
	is->st.spf_runs++;
	isis_trace(is, "L%d SPF: %d of %u systems reached", level, lv->nspt, lv->spf_nodes);
}

void
isis_spf_schedule(struct isis *is, int level)
{
	struct isis_level *lv = &is->lv[LV(level)];

	if (!is->running || timer_pending(&lv->spf_t))
		return;
	timer_set(&lv->spf_t, backoff_delay(&lv->spf_bo, &is->cfg.spf, isis_now(is)));
}

void
isis_spf_fire(struct timer *t)
{
	struct isis_level *lv = t->arg;
	struct isis *is = lv->db.is;

	isis_spf_run(is, lv->db.level);
	isis_routes_update(is);
	isis_spf_done(lv);
}
