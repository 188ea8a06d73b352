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
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "isis.h"

struct vtx {
	uint8_t id[7];
	int first, nfrag;   /* its live LSPs in the database */
	const struct isis_lspinfo *info0;
	uint32_t dist;
	bool done;
	int circ;           /* a pseudonode of a LAN of the root: that circuit, else -1 */
	int heap;           /* position in the heap, -1 if not there */
	int parent;
	uint8_t nnh;
	struct nexthop nh[RIB_MAX_NH];
};

struct spf {
	struct isis *is;
	int level;
	struct isis_lspdb *db;
	struct vtx *v;
	int n;
	int *heap;
	int nheap;
	uint32_t max; /* MaxPathMetric */
};

static int
vtx_find(const struct spf *s, const uint8_t id[7])
{
	int lo = 0, hi = s->n;

	while (lo < hi) {
		int mid = (lo + hi) / 2;
		int c = memcmp(s->v[mid].id, id, 7);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Systems with a live LSP 0, in LSP ID order (the database's). */
static void
collect(struct spf *s)
{
	struct isis_lspdb *db = s->db;

	s->v = xcalloc((size_t)(db->n ? db->n : 1), sizeof(*s->v));
	for (int i = 0; i < db->n;) {
		int k = i;

		while (k < db->n && memcmp(db->v[k]->id.b, db->v[i]->id.b, 7) == 0)
			k++;
		if (db->v[i]->id.b[7] == 0 && !db->v[i]->purged) {
			struct vtx *x = &s->v[s->n++];

			memcpy(x->id, db->v[i]->id.b, 7);
			x->first = i;
			x->nfrag = k - i;
			x->info0 = &db->v[i]->blob->info;
			x->dist = UINT32_MAX;
			x->circ = -1;
			x->heap = -1;
			x->parent = -1;
		}
		i = k;
	}
}

/* Does system x list y as a neighbor in any live fragment? */
static bool
lists(const struct spf *s, const struct vtx *x, const uint8_t id[7])
{
	for (int f = x->first; f < x->first + x->nfrag; f++) {
		const struct isis_lsp *l = s->db->v[f];

		if (l->purged)
			continue;
		for (int i = 0; i < l->blob->info.nnbr; i++)
			if (memcmp(l->blob->info.nbr[i].id, id, 7) == 0)
				return true;
	}
	return false;
}

static bool
heap_less(const struct spf *s, int a, int b)
{
	const struct vtx *x = &s->v[a], *y = &s->v[b];

	if (x->dist != y->dist)
		return x->dist < y->dist;
	return memcmp(x->id, y->id, 7) < 0;
}

static void
heap_swap(struct spf *s, int i, int j)
{
	int t = s->heap[i];

	s->heap[i] = s->heap[j];
	s->heap[j] = t;
	s->v[s->heap[i]].heap = i;
	s->v[s->heap[j]].heap = j;
}

static void
heap_up(struct spf *s, int i)
{
	while (i > 0 && heap_less(s, s->heap[i], s->heap[(i - 1) / 2])) {
		heap_swap(s, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static int
heap_pop(struct spf *s)
{
	int top = s->heap[0], i = 0;

	s->heap[0] = s->heap[--s->nheap];
	s->v[s->heap[0]].heap = 0;
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;

		if (l < s->nheap && heap_less(s, s->heap[l], s->heap[m]))
			m = l;
		if (r < s->nheap && heap_less(s, s->heap[r], s->heap[m]))
			m = r;
		if (m == i)
			break;
		heap_swap(s, i, m);
		i = m;
	}
	s->v[top].heap = -1;
	return top;
}

static void
nh_add(struct vtx *x, uint32_t gw, uint16_t ifindex)
{
	struct nexthop n = {gw, ifindex, 0};
	int i;

	for (i = 0; i < x->nnh; i++) {
		int c = nexthop_cmp(&x->nh[i], &n);

		if (c == 0)
			return;
		if (c > 0)
			break;
	}
	if (x->nnh == RIB_MAX_NH)
		return;
	memmove(x->nh + i + 1, x->nh + i, (size_t)(x->nnh - i) * sizeof(*x->nh));
	x->nh[i] = n;
	x->nnh++;
}

/* The next hops v gets through u (u the root, a root's LAN, or any other vertex). */
static void
inherit(struct spf *s, int u, int v, uint32_t metric, int root)
{
	struct vtx *x = &s->v[v];
	const struct vtx *p = &s->v[u];

	if (u == root) {
		for (int i = 0; i < s->is->ncircs; i++) {
			struct isis_circ *c = s->is->circs[i];
			const struct isis_adj *a;

			if (!c->up || c->cfg.passive || !(c->levels & s->level))
				continue;
			if (x->id[6] != 0) {
				/* Our LAN's pseudonode: next hops come with the systems behind it. */
				if (!c->cfg.p2p && memcmp(c->lv[LV(s->level)].lan_id, x->id, 7) == 0 &&
				    c->metric == metric)
					x->circ = i;
				continue;
			}
			if (c->cfg.p2p && c->metric == metric &&
			    (a = isis_circ_adj(c, s->level, x->id)) != NULL && a->addr)
				nh_add(x, a->addr, c->ifp->idx);
		}
		return;
	}
	if (p->circ >= 0) {
		struct isis_circ *c = s->is->circs[p->circ];
		const struct isis_adj *a = isis_circ_adj(c, s->level, x->id);

		if (a != NULL && a->addr)
			nh_add(x, a->addr, c->ifp->idx);
		return;
	}
	for (int i = 0; i < p->nnh; i++)
		nh_add(x, p->nh[i].gw, p->nh[i].ifindex);
}

static void
relax(struct spf *s, int u, int root)
{
	const struct vtx *x = &s->v[u];

	/* 7.2.8.1: an overloaded router is a leaf (the root still uses its own links). */
	if (u != root && x->id[6] == 0 && (x->info0->flags & ISIS_LSP_OL))
		return;
	for (int f = x->first; f < x->first + x->nfrag; f++) {
		const struct isis_lsp *l = s->db->v[f];

		if (l->purged)
			continue;
		for (int i = 0; i < l->blob->info.nnbr; i++) {
			const struct isis_nbr_ent *e = &l->blob->info.nbr[i];
			int v = vtx_find(s, e->id);
			uint64_t d;
			struct vtx *y;

			if (v < 0 || v == u || s->v[v].done || !lists(s, &s->v[v], x->id))
				continue;
			d = (uint64_t)x->dist + e->metric;
			y = &s->v[v];
			if (d > s->max || d > y->dist)
				continue;
			if (d < y->dist) {
				y->dist = (uint32_t)d;
				y->nnh = 0;
				y->circ = -1;
				y->parent = u;
				if (y->heap < 0) {
					y->heap = s->nheap;
					s->heap[s->nheap++] = v;
				}
				heap_up(s, y->heap);
			}
			inherit(s, u, v, e->metric, root);
		}
	}
}

void
isis_spf_run(struct isis *is, int level)
{
	struct isis_level *lv = &is->lv[LV(level)];
	struct spf s = {.is = is, .level = level, .db = &lv->db};
	uint8_t me[7];
	int root, nreached = 0;

	s.max = is->cfg.style == ISIS_NARROW ? ISIS_MAX_PATH_NARROW : ISIS_MAX_PATH_WIDE;
	collect(&s);
	s.heap = xmalloc((size_t)(s.n ? s.n : 1) * sizeof(*s.heap));
	memcpy(me, is->cfg.sysid, ISIS_SYSID_LEN);
	me[6] = 0;
	free(lv->spt);
	lv->spt = NULL;
	lv->nspt = 0;
	root = vtx_find(&s, me);
	if (root >= 0) {
		s.v[root].dist = 0;
		s.v[root].heap = 0;
		s.heap[s.nheap++] = root;
		lv->spt = xcalloc((size_t)s.n, sizeof(*lv->spt));
	}
	while (s.nheap > 0) {
		int u = heap_pop(&s);
		struct vtx *x = &s.v[u];
		struct isis_vertex *o;

		/* Beyond the root, a vertex without next hops is unreachable through adjacencies. */
		if (u != root && x->nnh == 0 && x->circ < 0)
			continue;
		x->done = true;
		o = &lv->spt[nreached++];
		memcpy(o->id, x->id, 7);
		o->dist = x->dist;
		o->nnh = x->nnh;
		memcpy(o->nh, x->nh, sizeof(o->nh));
		if (x->parent >= 0)
			memcpy(o->parent, s.v[x->parent].id, 7);
		o->att = (x->info0->flags & ISIS_LSP_ATT_ALL) != 0;
		o->overload = (x->info0->flags & ISIS_LSP_OL) != 0;
		o->nareas = x->info0->nareas;
		memcpy(o->areas, x->info0->areas, sizeof(o->areas));
		relax(&s, u, root);
	}
	lv->nspt = nreached;
	lv->spf_runs++;
	lv->last_spf = isis_now(is);
	lv->spf_nodes = (uint32_t)s.n;
	is->st.spf_runs++;
	free(s.heap);
	free(s.v);
	isis_trace(is, "L%d SPF: %d of %d systems reached", level, nreached, s.n);
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
