/*
 * ispf.c: incremental SPF. A router keeps its shortest-path tree between
 * runs (per vertex: distance, next-hop set, "network attached to the root").
 * When the next run finds only a few router-LSAs changed, it repairs the
 * tree where those changes reach instead of computing it again, and
 * recomputes only the routes to the prefixes of the vertices that changed.
 * The result is exactly a full run's (RFC 2328 16.1, with equal-cost
 * multipath): this is how the 1,000 routers of an area absorb a link failure
 * without 1,000 full runs of Dijkstra.
 *
 * The repair is the dynamic shortest-path algorithm of Ramalingam and Reps
 * ("An incremental algorithm for a generalization of the shortest-path
 * problem", 1996), extended to next-hop sets:
 *   1. Which vertices may get farther. Candidates are the changed LSAs'
 *      vertices and the vertices their old links led to on a shortest path;
 *      taken in order of old distance, a candidate that still has a valid
 *      link (both ends list each other, 16.1 step 2b) from a vertex outside
 *      the set offering its old distance keeps it, the others join the set
 *      and make the vertices their own links led to candidates.
 *   2. A Dijkstra over the vertices that may change: the set (seeded from
 *      their neighbors outside it), the candidates that kept their distance
 *      (their next hops may change) and the changed LSAs' vertices. A vertex
 *      is computed from all its neighbors that are final, like a full run
 *      does; when its value changed, or its LSA did, its neighbors are
 *      queued in turn.
 *   3. The routes to the prefixes of every vertex that changed, and of the
 *      changed LSAs old and new, are computed again from every LSA that
 *      describes them (pfxindex.c lists them), and handed to the RIB
 *      (rtable.c).
 *
 * It runs only where that is simple to get exactly right: one area; no
 * summary- or AS-external-LSAs (no inter-area or external route depends on
 * the tree); no router link of metric 0 (Dijkstra's visiting order would
 * matter); changes of router-LSAs only (a network-LSA change can move the
 * vertex of a network); and the router's own interfaces and neighbors as
 * they were at the last run (they decide the first hops). Any other run is a
 * full one (spf.c), which also stores a new tree. In test mode
 * (ospf_spf_check) every incremental run is compared with a full one.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/log.h"
#include "../../lib/marks.h"
#include "../../lib/util.h"
#include "ospf.h"

bool ospf_spf_check;

/* More changed LSAs than this since the last run: a full run is cheaper. */
#define MAX_CHANGES 32

/* --- noting changes --------------------------------------------------------------------------- */

static bool
usable(const struct ospf_ent *e, sim_time now)
{
	return e != NULL && ospf_lsdb_age(e, now) < OSPF_MAX_AGE &&
	       ospf_intern_body(e->lsa) != NULL;
}

static void
changes_clear(struct ospf_spt *t)
{
	for (size_t i = 0; i < t->nchg; i++)
		ospf_intern_unref(t->chg[i].old);
	t->nchg = 0;
	t->overflow = false;
}

void
ospf_ispf_note(struct ospf_lsdb *db, uint32_t lsx, const struct ospf_ent *e)
{
	uint8_t type = ospf_lsakey_type(lsx);
	struct ospf_spt *t;

	if (db->area == NULL || (type != OSPF_LSA_ROUTER && type != OSPF_LSA_NETWORK))
		return;
	t = &db->area->spt;
	if (!t->valid || t->overflow)
		return;
	for (size_t i = 0; i < t->nchg; i++)
		if (t->chg[i].lsx == lsx)
			return; /* the tree was computed with the first one noted */
	if (t->nchg == MAX_CHANGES) {
		changes_clear(t);
		t->overflow = true;
		return;
	}
	VEC_PUSH(t->chg, t->nchg, t->chgcap,
	         ((struct ospf_spchg){lsx, e ? ospf_intern_ref(e->lsa) : NULL,
	                              usable(e, ospf_now(db->o))}));
}

void
ospf_ispf_forget(struct ospf_spt *t)
{
	changes_clear(t);
	t->valid = false;
}

void
ospf_ispf_free(struct ospf_spt *t)
{
	changes_clear(t);
	free(t->chg);
	free(t->v);
	free(t->ctx);
	ospf_nht_free(&t->nht);
	memset(t, 0, sizeof(*t));
}

/*
 * What a run depends on besides the LSDB, as a list of numbers: the router ID
 * and, per interface, its index, address, prefix length, whether it is in
 * the area and its state class, and its neighbors' IDs, addresses and whether
 * they are Full (spf.c: first hops, our own networks). Kept exactly (not a
 * digest): an incremental run on a different context would be wrong.
 */
static void
context(const struct ospf *o, const struct ospf_area *a, uint32_t **v, size_t *n, size_t *cap)
{
	*n = 0;
#define PUT(x) VEC_PUSH(*v, *n, *cap, (uint32_t)(x))
	PUT(o->rid);
	PUT(o->nifs);
	for (size_t i = 0; i < o->nifs; i++) {
		const struct ospf_if *oi = o->ifs[i];
		int cls = oi->state == ISM_DOWN       ? 0
		          : oi->state == ISM_LOOPBACK ? 1
		          : oi->state == ISM_WAITING  ? 2
		                                      : 3;

		PUT(oi->ifp->idx);
		PUT(oi->ifp->addr);
		PUT(oi->ifp->plen);
		PUT(oi->area == a);
		PUT(cls);
		PUT(oi->nnbrs);
		for (size_t k = 0; k < oi->nnbrs; k++) {
			PUT(oi->nbrs[k]->rid);
			PUT(oi->nbrs[k]->addr);
			PUT(oi->nbrs[k]->state == NSM_FULL);
		}
	}
#undef PUT
}

static bool
same_context(const struct ospf *o, const struct ospf_spt *t)
{
	static struct {
		SIM_THREAD_ALIGN uint32_t *v;
		size_t n, cap;
	} cs[SIM_MAX_THREADS];
	uint32_t **v = &cs[sim_thread].v;
	size_t *n = &cs[sim_thread].n;

	context(o, t->area, v, n, &cs[sim_thread].cap);
	return *n == t->nctx && memcmp(*v, t->ctx, sizeof(**v) * *n) == 0;
}

/* --- the run's scratch, by LSA key number ----------------------------------------------------- */

enum {
	IV_X = 1,      /* its LSA changed */
	IV_CAND = 2,   /* phase 1: queued or decided */
	IV_R = 4,      /* phase 1: may get farther */
	IV_SUP = 8,    /* phase 1: keeps its distance */
	IV_FINAL = 16, /* phase 2: computed (queued: hpos >= 0) */
	IV_LSA = 32,   /* lsa below is known */
};

struct iv {
	uint32_t stamp;
	uint8_t st;
	int32_t hpos;
	uint32_t key;
	struct ospf_spv old;          /* IV_R: the value before the run */
	const struct ospf_blob *olsa; /* IV_X: the LSA the tree was computed with, NULL if none */
	const struct ospf_blob *lsa;  /* IV_LSA: vlsa() (the database is fixed during a run) */
};

static struct {
	SIM_THREAD_ALIGN struct iv *v; /* a stamped array (lib/marks.h) */
	size_t nv;
	uint32_t stamp;
	uint32_t *heap;
	size_t nheap, heapcap;
	uint32_t *cand; /* phase 1: the candidates, in the order they were decided */
	size_t ncand, candcap;
	uint32_t *changed; /* phase 2: vertices whose value changed */
	size_t nchanged, changedcap;
	uint32_t *pmark; /* by prefix number: pgen when this run listed it (stamped, bare) */
	size_t npmark;
	uint32_t pgen;
} iss[SIM_MAX_THREADS];
#define is (iss[sim_thread]) /* this thread's scratch (see sim.h) */

struct ictx {
	struct ospf *o;
	struct ospf_area *a;
	struct ospf_spt *t;
	sim_time now;
	uint32_t root;
};

static struct iv *
iv(uint32_t x)
{
	struct iv *v;

	if (x >= is.nv)
		bug("ospf: LSA key number %u beyond the incremental SPF arrays (%zu)", x, is.nv);
	v = &is.v[x];
	if (v->stamp != is.stamp) {
		memset(v, 0, sizeof(*v));
		v->stamp = is.stamp;
		v->hpos = -1;
	}
	return v;
}

static struct ospf_spv *
spv(const struct ictx *c, uint32_t x)
{
	return &c->t->v[x];
}

/* The network-LSA that is the vertex of Link State ID id: as in spf.c, of the usable ones, the
 * highest router's. */
static uint32_t
net_choice(const struct ictx *c, uint32_t id)
{
	uint32_t best = OSPF_LSX_NONE, badv = 0;

	for (uint32_t x = ospf_lsakey_net_first(id); x != OSPF_LSX_NONE;
	     x = ospf_lsakey_net_next(x)) {
		const struct ospf_ent *e = ospf_lsdb_at(&c->a->db, x);

		if (usable(e, c->now) && (best == OSPF_LSX_NONE || badv < e->lsa->hdr.adv_rtr)) {
			best = x;
			badv = e->lsa->hdr.adv_rtr;
		}
	}
	return best;
}

/* The LSA of vertex x if x is a vertex of the current graph, else NULL. */
static const struct ospf_blob *
vlsa(const struct ictx *c, uint32_t x)
{
	const struct ospf_ent *e;
	struct iv *v;

	if (x == OSPF_LSX_NONE)
		return NULL;
	if ((v = iv(x))->st & IV_LSA)
		return v->lsa;
	v->st |= IV_LSA;
	v->lsa = NULL;
	if ((e = ospf_lsdb_at(&c->a->db, x)) == NULL || !usable(e, c->now))
		return NULL;
	if (ospf_lsakey_type(x) == OSPF_LSA_NETWORK && net_choice(c, ospf_lsakey_id(x)) != x)
		return NULL;
	return v->lsa = e->lsa;
}

/* --- edges (16.1 step 2: a link counts when both ends list each other) ------------------------ */

typedef void edge_fn(struct ictx *, uint32_t u, uint32_t w, uint32_t cost,
                     const struct ospf_rtr_link *l, void *arg);

static bool
lists_router(const struct ospf_blob *n, uint32_t r)
{
	for (size_t k = 0; k < n->body->net.nrtrs; k++)
		if (n->to[k] == r)
			return true;
	return false;
}

/* Router u's links to w of the given type (w: a router key, or a network's Link State ID). */
static void
router_links_to(struct ictx *c, const struct ospf_blob *ub, uint32_t u, uint32_t w, uint8_t type,
                uint32_t wid, edge_fn *fn, void *arg)
{
	for (uint16_t j = 0; j < ub->body->rtr.nlinks; j++) {
		const struct ospf_rtr_link *l = &ub->body->rtr.links[j];

		if (l->type == type && (type == OSPF_LINK_PTP ? ub->to[j] == w : l->id == wid))
			fn(c, u, w, l->metric, l, arg);
	}
}

/* Every valid link into w. */
static void
in_edges(struct ictx *c, uint32_t w, edge_fn *fn, void *arg)
{
	const struct ospf_blob *b = vlsa(c, w), *ub;

	if (b == NULL)
		return;
	if (ospf_lsakey_type(w) == OSPF_LSA_NETWORK) {
		for (size_t k = 0; k < b->body->net.nrtrs; k++) {
			bool seen = false;

			for (size_t q = 0; q < k; q++)
				seen |= b->to[q] == b->to[k];
			if (!seen && (ub = vlsa(c, b->to[k])) != NULL)
				router_links_to(c, ub, b->to[k], w, OSPF_LINK_TRANSIT,
				                ospf_lsakey_id(w), fn, arg);
		}
		return;
	}
	for (uint16_t i = 0; i < b->body->rtr.nlinks; i++) {
		const struct ospf_rtr_link *l = &b->body->rtr.links[i];
		uint32_t u;
		bool seen = false;

		if (l->type == OSPF_LINK_PTP) {
			for (uint16_t q = 0; q < i; q++)
				seen |= b->body->rtr.links[q].type == OSPF_LINK_PTP &&
				        b->to[q] == b->to[i];
			if (!seen && (ub = vlsa(c, b->to[i])) != NULL)
				router_links_to(c, ub, b->to[i], w, OSPF_LINK_PTP, 0, fn, arg);
		} else if (l->type == OSPF_LINK_TRANSIT) {
			for (uint16_t q = 0; q < i; q++)
				seen |= b->body->rtr.links[q].type == OSPF_LINK_TRANSIT &&
				        b->body->rtr.links[q].id == l->id;
			if (!seen && (u = net_choice(c, l->id)) != OSPF_LSX_NONE &&
			    lists_router(vlsa(c, u), w))
				fn(c, u, w, 0, NULL, arg);
		}
	}
}

/* Does router-LSA wb have a link of this type back to v (v: a router key or a Link State ID)? */
static bool
router_links_back(const struct ospf_blob *wb, uint8_t type, uint32_t v)
{
	for (uint16_t j = 0; j < wb->body->rtr.nlinks; j++) {
		const struct ospf_rtr_link *l = &wb->body->rtr.links[j];

		if (l->type == type && (type == OSPF_LINK_PTP ? wb->to[j] == v : l->id == v))
			return true;
	}
	return false;
}

/* Every valid link out of v in the current graph. */
static void
out_edges(struct ictx *c, uint32_t v, edge_fn *fn, void *arg)
{
	const struct ospf_blob *b = vlsa(c, v), *wb;

	if (b == NULL)
		return;
	if (ospf_lsakey_type(v) == OSPF_LSA_NETWORK) {
		for (size_t k = 0; k < b->body->net.nrtrs; k++)
			if ((wb = vlsa(c, b->to[k])) != NULL &&
			    router_links_back(wb, OSPF_LINK_TRANSIT, ospf_lsakey_id(v)))
				fn(c, v, b->to[k], 0, NULL, arg);
		return;
	}
	for (uint16_t i = 0; i < b->body->rtr.nlinks; i++) {
		const struct ospf_rtr_link *l = &b->body->rtr.links[i];
		uint32_t n;

		if (l->type == OSPF_LINK_PTP && (wb = vlsa(c, b->to[i])) != NULL &&
		    router_links_back(wb, OSPF_LINK_PTP, v))
			fn(c, v, b->to[i], l->metric, l, arg);
		else if (l->type == OSPF_LINK_TRANSIT &&
		         (n = net_choice(c, l->id)) != OSPF_LSX_NONE && lists_router(vlsa(c, n), v))
			fn(c, v, n, l->metric, l, arg);
	}
}

/* 16.1.1: the next-hop set of w reached from u over l (NULL from a network); 0 if none. */
static uint32_t
edge_nh(struct ictx *c, uint32_t u, uint32_t w, const struct ospf_rtr_link *l, bool *direct)
{
	uint32_t wid = ospf_lsakey_id(w);

	*direct = false;
	if (u == c->root)
		return ospf_spf_root_nh(c->o, c->a, l, ospf_lsakey_type(w), wid, direct);
	if (ospf_lsakey_type(u) == OSPF_LSA_NETWORK && spv(c, u)->direct &&
	    ospf_lsakey_type(w) == OSPF_LSA_ROUTER)
		return ospf_spf_net_nh(vlsa(c, w), ospf_lsakey_id(u), spv(c, u)->nhs);
	return spv(c, u)->nhs;
}

/* --- heap on (key, networks first, ID): the order of spf.c ------------------------------------ */

static bool
hless(uint32_t a, uint32_t b)
{
	uint32_t ka = is.v[a].key, kb = is.v[b].key;
	uint8_t ta = ospf_lsakey_type(a), tb = ospf_lsakey_type(b);

	if (ka != kb)
		return ka < kb;
	if (ta != tb)
		return ta == OSPF_LSA_NETWORK;
	return ospf_lsakey_id(a) < ospf_lsakey_id(b);
}

static void
hset(size_t i, uint32_t x)
{
	is.heap[i] = x;
	is.v[x].hpos = (int32_t)i;
}

static void
hup(size_t i)
{
	uint32_t x = is.heap[i];

	while (i > 0 && hless(x, is.heap[(i - 1) / 2])) {
		hset(i, is.heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	hset(i, x);
}

static void
hdown(size_t i)
{
	uint32_t x = is.heap[i];

	for (;;) {
		size_t l = 2 * i + 1, m = l;

		if (l >= is.nheap)
			break;
		if (l + 1 < is.nheap && hless(is.heap[l + 1], is.heap[l]))
			m = l + 1;
		if (!hless(is.heap[m], x))
			break;
		hset(i, is.heap[m]);
		i = m;
	}
	hset(i, x);
}

/* Queue x with key k, or lower its key to k. */
static void
hpush(uint32_t x, uint32_t k)
{
	struct iv *v = iv(x);

	if (v->hpos >= 0) {
		if (k < v->key) {
			v->key = k;
			hup((size_t)v->hpos);
		}
		return;
	}
	v->key = k;
	grow_array((void **)&is.heap, &is.heapcap, is.nheap + 1, sizeof(*is.heap));
	is.heap[is.nheap] = x;
	v->hpos = (int32_t)is.nheap++;
	hup((size_t)v->hpos);
}

static uint32_t
hpop(void)
{
	uint32_t top = is.heap[0];

	if (--is.nheap > 0) {
		is.heap[0] = is.heap[is.nheap];
		hdown(0);
	}
	is.v[top].hpos = -1;
	return top;
}

/* --- phase 1: the vertices that may get farther ----------------------------------------------- */

static void
candidate(struct ictx *c, uint32_t x)
{
	struct iv *v;

	if (x == OSPF_LSX_NONE || spv(c, x)->dist == OSPF_SPV_INF || ((v = iv(x))->st & IV_CAND))
		return;
	v->st |= IV_CAND;
	hpush(x, spv(c, x)->dist);
}

/* The vertices that b's links (b: x's LSA as the tree knew it) led to on a shortest path. */
static void
old_children(struct ictx *c, uint32_t x, const struct ospf_blob *b)
{
	uint32_t d = spv(c, x)->dist;

	if (b == NULL || d == OSPF_SPV_INF)
		return;
	if (ospf_lsakey_type(x) == OSPF_LSA_NETWORK) {
		for (size_t k = 0; k < b->body->net.nrtrs; k++)
			if (b->to[k] != OSPF_LSX_NONE && spv(c, b->to[k])->dist == d)
				candidate(c, b->to[k]);
		return;
	}
	for (uint16_t i = 0; i < b->body->rtr.nlinks; i++) {
		const struct ospf_rtr_link *l = &b->body->rtr.links[i];
		uint32_t w = l->type == OSPF_LINK_PTP       ? b->to[i]
		             : l->type == OSPF_LINK_TRANSIT ? net_choice(c, l->id)
		                                            : OSPF_LSX_NONE;

		if (w != OSPF_LSX_NONE && spv(c, w)->dist != OSPF_SPV_INF &&
		    (uint64_t)d + l->metric == spv(c, w)->dist)
			candidate(c, w);
	}
}

/* A link from a vertex outside the set that offers w its old distance. */
static void
support(struct ictx *c, uint32_t u, uint32_t w, uint32_t cost, const struct ospf_rtr_link *l,
        void *arg)
{
	bool *sup = arg, direct;
	uint32_t du = spv(c, u)->dist;

	if (*sup || (iv(u)->st & IV_R) || du == OSPF_SPV_INF ||
	    (uint64_t)du + cost != spv(c, w)->dist)
		return;
	*sup = edge_nh(c, u, w, l, &direct) != 0;
}

static void
phase1(struct ictx *c)
{
	is.ncand = 0;
	while (is.nheap > 0) {
		uint32_t w = hpop();
		struct iv *v = iv(w);
		bool sup = w == c->root;

		if (!sup)
			in_edges(c, w, support, &sup);
		VEC_PUSH(is.cand, is.ncand, is.candcap, w);
		if (sup) {
			v->st |= IV_SUP;
			continue;
		}
		v->st |= IV_R;
		v->old = *spv(c, w);
		old_children(c, w, (v->st & IV_X) ? v->olsa : vlsa(c, w));
	}
}

/* --- phase 2: Dijkstra over what may change --------------------------------------------------- */

struct acc {
	uint32_t dist, nhs;
	bool direct;
	bool final_only; /* only neighbors that are final (phase 2), else any outside the set */
};

static void
offer(struct ictx *c, uint32_t u, uint32_t w, uint32_t cost, const struct ospf_rtr_link *l,
      void *arg)
{
	struct acc *a = arg;
	struct iv *v = iv(u);
	uint32_t du = spv(c, u)->dist, nhs;
	uint64_t d;
	bool direct;

	/* Phase 2 takes final values only: computed, or not to be computed at all. */
	if (a->final_only ? !(v->st & IV_FINAL) && (v->hpos >= 0 || (v->st & IV_R))
	                  : (v->st & IV_R))
		return;
	if (du == OSPF_SPV_INF || (d = (uint64_t)du + cost) > a->dist)
		return;
	if ((nhs = edge_nh(c, u, w, l, &direct)) == 0)
		return;
	if (d < a->dist) {
		a->dist = (uint32_t)d;
		a->nhs = nhs;
		a->direct = direct;
		return;
	}
	a->nhs = ospf_nhs_union(a->nhs, nhs);
	a->direct |= direct;
}

/* Seed: the best a vertex is offered by the vertices outside the set. */
static void
seed(struct ictx *c, uint32_t w)
{
	struct acc a = {.dist = OSPF_SPV_INF};

	if (w == c->root) {
		hpush(w, 0);
		return;
	}
	in_edges(c, w, offer, &a);
	if (a.dist != OSPF_SPV_INF)
		hpush(w, a.dist);
}

/* w changed: its neighbors may get a shorter or another equal path. */
static void
pass_on(struct ictx *c, uint32_t w, uint32_t y, uint32_t cost, const struct ospf_rtr_link *l,
        void *arg UNUSED)
{
	struct iv *v = iv(y);
	uint64_t d = (uint64_t)spv(c, w)->dist + cost;
	uint32_t cur;
	bool direct;

	if (v->st & IV_FINAL)
		return;
	cur = v->hpos >= 0 ? v->key : (v->st & IV_R) ? OSPF_SPV_INF : spv(c, y)->dist;
	if (d > cur || edge_nh(c, w, y, l, &direct) == 0)
		return;
	hpush(y, (uint32_t)d);
}

static bool
same(const struct ospf_spv *a, const struct ospf_spv *b)
{
	if (a->dist == OSPF_SPV_INF || b->dist == OSPF_SPV_INF)
		return a->dist == b->dist;
	return a->dist == b->dist && a->nhs == b->nhs && a->direct == b->direct;
}

static bool
phase2(struct ictx *c, const uint32_t *xs, size_t nx)
{
	/* The set forgets its distances; everything that may change is queued. */
	for (size_t i = 0; i < is.ncand; i++)
		if (iv(is.cand[i])->st & IV_R)
			spv(c, is.cand[i])->dist = OSPF_SPV_INF;
	for (size_t i = 0; i < is.ncand; i++) {
		uint32_t w = is.cand[i];

		if (iv(w)->st & IV_R)
			seed(c, w);
		else
			hpush(w, spv(c, w)->dist);
	}
	/*
	 * A changed LSA may bring new links: its vertex may get closer than it was
	 * (or join the tree), so it is queued at the best its neighbors offer now.
	 */
	for (size_t i = 0; i < nx; i++)
		seed(c, xs[i]);
	is.nchanged = 0;
	while (is.nheap > 0) {
		uint32_t w = hpop();
		struct iv *v = iv(w);
		struct ospf_spv old = (v->st & IV_R) ? v->old : *spv(c, w);
		struct ospf_spv nv = {OSPF_SPV_INF, 0, 0};
		struct acc a = {.dist = OSPF_SPV_INF, .final_only = true};
		bool changed;

		v->st |= IV_FINAL;
		if (w == c->root) {
			nv.dist = 0;
		} else {
			in_edges(c, w, offer, &a);
			/*
			 * Every vertex is queued at a distance some final neighbor offers
			 * it, and taken at the smallest: its value is that distance. If
			 * not, something this repair does not foresee happened: a full
			 * run decides (in test mode, a failure).
			 */
			if (a.dist != v->key) {
				if (ospf_spf_check)
					bug("ospf %s: incremental SPF: vertex %s queued at %u, "
					    "computed %u",
					    c->o->node->name, ip_str(ospf_lsakey_id(w)), v->key,
					    a.dist);
				return false;
			}
			if (a.dist != OSPF_SPV_INF) {
				if (a.nhs > UINT16_MAX)
					return false;
				nv = (struct ospf_spv){a.dist, (uint16_t)a.nhs, a.direct};
			}
		}
		*spv(c, w) = nv;
		changed = !same(&old, &nv);
		if (changed)
			VEC_PUSH(is.changed, is.nchanged, is.changedcap, w);
		if ((changed || (v->st & IV_X)) && nv.dist != OSPF_SPV_INF)
			out_edges(c, w, pass_on, NULL);
	}
	/* What is left of the set (queued or not, never reached) is out of reach now. */
	for (size_t i = 0; i < is.ncand; i++) {
		struct iv *v = iv(is.cand[i]);

		if ((v->st & IV_R) && !(v->st & IV_FINAL)) {
			spv(c, is.cand[i])->dist = OSPF_SPV_INF;
			if (v->old.dist != OSPF_SPV_INF)
				VEC_PUSH(is.changed, is.nchanged, is.changedcap, is.cand[i]);
		}
	}
	return true;
}

/* --- phase 3: the routes ---------------------------------------------------------------------- */

static void
mark_pfx(uint32_t pid, uint32_t **v, size_t *n, size_t *cap)
{
	if (pid == OSPF_PFX_NONE)
		return;
	STAMPED_FIT(is.pmark, is.npmark, (size_t)pid + 1);
	if (is.pmark[pid] == is.pgen)
		return;
	is.pmark[pid] = is.pgen;
	VEC_PUSH(*v, *n, *cap, pid);
}

/* The prefixes LSA b describes. */
static void
prefixes_of(const struct ospf_blob *b, uint32_t **v, size_t *n, size_t *cap)
{
	if (b == NULL || b->body == NULL)
		return;
	if (b->hdr.type == OSPF_LSA_NETWORK) {
		mark_pfx(b->pid, v, n, cap);
		return;
	}
	for (uint16_t i = 0; i < b->body->rtr.nlinks; i++)
		if (b->body->rtr.links[i].type == OSPF_LINK_STUB)
			mark_pfx(b->to[i], v, n, cap);
}

/* The route to prefix pid from every LSA that describes it (spf.c does the same, all at once). */
static void
route(struct ictx *c, uint32_t pid)
{
	uint32_t n;
	struct ospf_blob *const *users = ospf_pfx_users(pid, &n);

	for (uint32_t k = 0; k < n; k++) {
		const struct ospf_blob *b = users[k];
		const struct ospf_spv *v;
		struct ospf_rt r = {.ptype = OSPF_PATH_INTRA, .area = c->a->id};

		/*
		 * Another router's LSAs are listed too, some parsed on another thread
		 * since this run began, with numbers beyond its arrays: those are in
		 * no database this run reads.
		 */
		if (b->lsx >= is.nv)
			continue;
		if (vlsa(c, b->lsx) != b || (v = spv(c, b->lsx))->dist == OSPF_SPV_INF)
			continue;
		if (b->hdr.type == OSPF_LSA_NETWORK) {
			r.cost = v->dist;
			r.nhs = v->nhs;
			r.connected = v->direct;
			r.adv = b->hdr.adv_rtr;
			ospf_rt_add(pid, &r);
			continue;
		}
		r.adv = b->hdr.id;
		for (uint16_t i = 0; i < b->body->rtr.nlinks; i++) {
			const struct ospf_rtr_link *l = &b->body->rtr.links[i];

			if (l->type != OSPF_LINK_STUB || b->to[i] != pid)
				continue;
			r.cost = v->dist + l->metric;
			r.connected = false;
			if (b->lsx == c->root) {
				struct prefix p = ospf_pfx_of(pid);

				r.nhs = ospf_spf_own_stub(c->o, c->a, &p, &r.connected);
			} else {
				r.nhs = v->nhs;
			}
			ospf_rt_add(pid, &r);
		}
	}
}

/* --- the run ---------------------------------------------------------------------------------- */

static void
scratch_begin(void)
{
	uint32_t need = ospf_lsakey_count();

	STAMPED_CLEAR(is.v, is.nv, is.stamp, need);
	STAMPED_CLEAR(is.pmark, is.npmark, is.pgen, 0);
	is.nheap = 0;
}

/* The tree's arrays cover every key number. */
static void
tree_grow(struct ospf_spt *t)
{
	uint32_t need = ospf_lsakey_count();

	if (need > t->nv) {
		/* A little slack: keys come a few at a time, and there is one tree per router. */
		uint32_t n = need + need / 16 + 16;

		t->v = xrealloc(t->v, sizeof(*t->v) * n);
		for (uint32_t i = t->nv; i < n; i++)
			t->v[i] = (struct ospf_spv){OSPF_SPV_INF, 0, 0};
		t->nv = n;
	}
}

void
ospf_ispf_store_begin(struct ospf_spt *t)
{
	changes_clear(t);
	t->valid = false;
	tree_grow(t);
	for (uint32_t i = 0; i < t->nv; i++)
		t->v[i] = (struct ospf_spv){OSPF_SPV_INF, 0, 0};
}

void
ospf_ispf_store_end(struct ospf *o, struct ospf_area *a, bool ok)
{
	struct ospf_spt *t = &a->spt;

	t->valid = ok;
	t->area = a;
	context(o, a, &t->ctx, &t->nctx, &t->ctxcap);
	t->nht_full = t->nht.n;
}

/* Has the LSA behind change ch changed for SPF (contents or usability)? */
static bool
really_changed(const struct ictx *c, const struct ospf_spchg *ch)
{
	const struct ospf_ent *e = ospf_lsdb_at(&c->a->db, ch->lsx);
	bool now_usable = usable(e, c->now);

	if (now_usable != ch->usable)
		return true;
	if (!now_usable)
		return false;
	if (e->lsa == ch->old)
		return false;
	return e->lsa->hdr.length != ch->old->hdr.length ||
	       e->lsa->hdr.options != ch->old->hdr.options ||
	       memcmp(e->lsa->bytes + OSPF_LSA_HDRLEN, ch->old->bytes + OSPF_LSA_HDRLEN,
	              e->lsa->hdr.length - OSPF_LSA_HDRLEN) != 0;
}

bool
ospf_ispf_run(struct ospf *o, struct ospf_area *a)
{
	struct ospf_spt *t = &a->spt;
	struct ictx c = {.o = o, .a = a, .t = t, .now = ospf_now(o)};
	uint32_t *xs = NULL, *pids = NULL;
	size_t nx = 0, xcap = 0, np = 0, pcap = 0;
	bool ok = false;

	if (!t->valid || t->overflow || a->db.nzero > 0 || t->nht.n > UINT16_MAX / 2 ||
	    t->nht.n > 4 * t->nht_full + 256 || !same_context(o, t))
		return false;
	c.root = ospf_lsakey_find(OSPF_LSA_ROUTER, o->rid, o->rid);
	if (c.root == OSPF_LSX_NONE)
		return false;
	scratch_begin();
	tree_grow(t);
	ospf_rt_resume(&t->nht);
	/* The changes that matter; a network-LSA's may move a network's vertex: full run. */
	for (size_t i = 0; i < t->nchg; i++) {
		const struct ospf_spchg *ch = &t->chg[i];
		struct iv *v;

		if (!really_changed(&c, ch))
			continue;
		if (ospf_lsakey_type(ch->lsx) == OSPF_LSA_NETWORK)
			goto out;
		v = iv(ch->lsx);
		v->st |= IV_X;
		v->olsa = ch->usable ? ch->old : NULL;
		VEC_PUSH(xs, nx, xcap, ch->lsx);
	}
	for (size_t i = 0; i < nx; i++) {
		candidate(&c, xs[i]);
		old_children(&c, xs[i], iv(xs[i])->olsa);
	}
	phase1(&c);
	if (!phase2(&c, xs, nx))
		goto out;
	for (size_t i = 0; i < nx; i++) {
		prefixes_of(iv(xs[i])->olsa, &pids, &np, &pcap);
		prefixes_of(vlsa(&c, xs[i]), &pids, &np, &pcap);
	}
	for (size_t i = 0; i < is.nchanged; i++) {
		const struct ospf_blob *b = vlsa(&c, is.changed[i]);

		prefixes_of(b != NULL ? b : iv(is.changed[i])->olsa, &pids, &np, &pcap);
	}
	for (size_t i = 0; i < np; i++)
		route(&c, pids[i]);
	ospf_rt_install_some(o, pids, np);
	changes_clear(t);
	ok = true;
out:
	if (!ok)
		ospf_ispf_forget(t);
	free(xs);
	free(pids);
	return ok;
}
