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
	int32_t heap;   /* position in the heap, -1 if not there */
	int32_t first;  /* its LSPs in the database: first, nfrag (first -1: no live LSP 0) */
	uint16_t nfrag;
	int16_t circ;   /* a pseudonode of a LAN of the root: that circuit, else -1 */
	uint8_t nnh;
	bool done;
	int32_t out;    /* its index in the result */
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
} scratch[SIM_MAX_THREADS];
#define S (scratch[sim_thread])

struct spf {
	struct isis *is;
	int level;
	struct isis_lspdb *db;
	uint32_t max; /* MaxPathMetric */
	uint32_t root;
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
		if (db->v[i]->id.b[7] == 0 && !db->v[i]->purged) {
			vtx_init(&S.v[db->v[i]->blob->info.num], i, (uint16_t)(k - i));
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
	return &s->db->v[x->first]->blob->info;
}

/* Does system x list system num as a neighbor in a live fragment? */
static bool
lists(const struct spf *s, const struct vtx *x, uint32_t num)
{
	for (int f = x->first; f < x->first + x->nfrag; f++) {
		const struct isis_lsp *l = s->db->v[f];

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

			if (!c->up || c->cfg.passive || !(c->levels & s->level) || c->metric != metric)
				continue;
			if (id[6] != 0) {
				/* Our LAN's pseudonode: next hops come with the systems behind it. */
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
relax(const struct spf *s, uint32_t u)
{
	const struct vtx *x = &S.v[u];

	/* 7.2.8.1: an overloaded router is a leaf (the root still uses its own links). */
	if (u != s->root && isis_sysnum_id(u)[6] == 0 && (info0(s, x)->flags & ISIS_LSP_OL))
		return;
	for (int f = x->first; f < x->first + x->nfrag; f++) {
		const struct isis_lsp *l = s->db->v[f];

		if (l->purged)
			continue;
		for (int i = 0; i < l->blob->info.nnbr; i++) {
			const struct isis_nbr_ent *e = &l->blob->info.nbr[i];
			struct vtx *y;
			uint64_t d;

			if (e->num == u)
				continue;
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

/* Append vertex num to the level's result. */
static void
emit(const struct spf *s, struct isis_level *lv, uint32_t num)
{
	struct vtx *x = &S.v[num];
	const struct isis_lspinfo *in = info0(s, x);
	struct isis_vertex *o = &lv->spt[lv->nspt];

	memcpy(o->id, isis_sysnum_id(num), 7);
	o->dist = x->dist;
	o->parent = x->parent == UINT32_MAX ? -1 : S.v[x->parent].out;
	o->flags = 0;
	if (in->flags & ISIS_LSP_ATT_ALL)
		o->flags |= ISIS_V_ATT;
	if (in->flags & ISIS_LSP_OL)
		o->flags |= ISIS_V_OVERLOAD;
	if (o->id[6] == 0 && in->nareas > 0 && !isis_area_match(s->is, in->areas, in->nareas))
		o->flags |= ISIS_V_FOREIGN;
	o->nh = lv->nnhs;
	o->nnh = x->nnh;
	o->first = x->first;
	o->nfrag = x->nfrag;
	memcpy(lv->nhs + lv->nnhs, x->nh, x->nnh * sizeof(*x->nh));
	lv->nnhs += x->nnh;
	x->out = lv->nspt++;
	/* What the routes depend on: the system, its distance, flags and next hops. */
	lv->spt_hash = mix(lv->spt_hash, isis_lspid_key(o->id) >> 8); /* the 7 octets of the ID */
	lv->spt_hash = mix(lv->spt_hash, (uint64_t)o->dist << 8 | o->flags);
	for (int i = 0; i < x->nnh; i++)
		lv->spt_hash = mix(lv->spt_hash, (uint64_t)x->nh[i].gw << 16 | x->nh[i].ifindex);
}

void
isis_spf_run(struct isis *is, int level)
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
	lv->spt = xrealloc(lv->spt, (size_t)cap * sizeof(*lv->spt));
	lv->nhs = xrealloc(lv->nhs, (size_t)cap * RIB_MAX_NH * sizeof(*lv->nhs));
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
	while (S.nheap > 0) {
		uint32_t u = heap_pop();
		struct vtx *x = &S.v[u];

		/* Beyond the root, a system without next hops is not reachable through adjacencies. */
		if (u != s.root && x->nnh == 0 && x->circ < 0)
			continue;
		x->done = true;
		emit(&s, lv, u);
		relax(&s, u);
	}
	/* Keep what the result needs, not the worst case. */
	lv->spt = xrealloc(lv->spt, (size_t)(lv->nspt ? lv->nspt : 1) * sizeof(*lv->spt));
	lv->nhs = xrealloc(lv->nhs, (size_t)(lv->nnhs ? lv->nnhs : 1) * sizeof(*lv->nhs));
	lv->spf_runs++;
	lv->last_spf = isis_now(is);
	lv->spf_nodes = (uint32_t)nsys;
	is->st.spf_runs++;
	isis_trace(is, "L%d SPF: %d of %d systems reached", level, lv->nspt, nsys);
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
}
