/*
 * spf.c: the routing table calculation (RFC 2328 16) and its schedule.
 *
 * Per area, Dijkstra over router and network vertices (16.1) with equal-cost
 * multipath (next hops merged on ties, at most OSPF_MAX_PATHS, kept in a
 * canonical order), the two-way link check, and network vertices taken
 * before router vertices at equal distance; then stub networks; then
 * inter-area routes from summary-LSAs (16.2: an ABR looks at the backbone's
 * only, and ignores those for its own active ranges) and ASBR routes from
 * ASBR-summaries; then AS-external routes (16.4, with the 16.4.1 preference
 * among ASBR paths, forwarding addresses, E1/E2).
 * Transit-area examination (16.3) only concerns virtual links, which netsim
 * does not implement.
 *
 * One practical rule beyond the RFC text: links of this router over an
 * interface that is down, or to a point-to-point neighbor that is no longer
 * Full, are not used even while our own router-LSA still lists them (its
 * new instance may wait for MinLSInterval), as real routers drop routes over
 * a dead interface at once.
 *
 * Data structures (the routes must come out exactly as the plain algorithm
 * gives them; only the cost changed): vertices live in an array indexed by
 * the dense number of their LSA key (lsakey.c), shared by every router and
 * reused from one run to the next, with a stamp saying which run set them;
 * a router-LSA's links carry the numbers of the routers they lead to
 * (intern.c), so following a link is an array access. The candidate list is
 * a binary heap on (distance, networks first, ID), a total order, so
 * vertices join the tree in the same order whatever the heap does. Next hops
 * are next-hop set numbers and routes are filed by prefix number
 * (rtable.c). A run allocates nothing once the arrays have grown, and only
 * the routes that changed reach the RIB.
 *
 * Scheduling is a throttle with FRR's defaults (delay 0, hold 50 ms, max hold
 * 5 s): the first run after a quiet period waits `delay`; a change within the
 * current hold of the last run waits out the hold, and the hold doubles (the
 * exponential back-off of Cisco IOS; FRR raises it linearly) up to max_hold;
 * a hold interval without a run resets it.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/log.h"
#include "../../lib/marks.h"
#include "../../lib/util.h"
#include "../../net/rib.h"
#include "ospf.h"

/* --- the table ------------------------------------------------------------------------------ */

static int
nh_cmp(const void *a, const void *b)
{
	return nexthop_cmp(a, b);
}

/* Union of next-hop sets, sorted, at most OSPF_MAX_PATHS. */
static void
nh_merge(struct nexthop *dst, uint8_t *n, const struct nexthop *src, uint8_t m)
{
	struct nexthop all[2 * OSPF_MAX_PATHS];
	size_t k = 0;

	memcpy(all, dst, sizeof(*dst) * *n);
	k = *n;
	for (uint8_t i = 0; i < m; i++) {
		bool dup = false;

		for (size_t j = 0; j < k; j++)
			if (all[j].gw == src[i].gw && all[j].ifindex == src[i].ifindex)
				dup = true;
		if (!dup)
			all[k++] = src[i];
	}
	if (k > 1)
		qsort(all, k, sizeof(*all), nh_cmp);
	*n = (uint8_t)MIN(k, OSPF_MAX_PATHS);
	memcpy(dst, all, sizeof(*dst) * *n);
}

static struct ospf_rroute *
rr_get(struct ospf_table *t, uint32_t rid, uint32_t area)
{
	for (size_t i = 0; i < t->nrr; i++)
		if (t->rr[i].rid == rid && t->rr[i].area == area)
			return &t->rr[i];
	return NULL;
}

static void
rr_add(struct ospf_table *t, const struct ospf_rroute *c)
{
	struct ospf_rroute *r = rr_get(t, c->rid, c->area);

	if (c->nnh == 0)
		return;
	if (r == NULL) {
		grow_array((void **)&t->rr, &t->rrcap, t->nrr + 1, sizeof(*t->rr));
		t->rr[t->nrr++] = *c;
		return;
	}
	if (c->ptype > r->ptype || (c->ptype == r->ptype && c->cost > r->cost))
		return;
	if (c->ptype < r->ptype || c->cost < r->cost) {
		*r = *c;
		return;
	}
	nh_merge(r->nh, &r->nnh, c->nh, c->nnh);
	r->abr |= c->abr;
	r->asbr |= c->asbr;
}

void
ospf_spf_table_free(struct ospf_table *t)
{
	free(t->r);
	free(t->rr);
	hmap_free(&t->idx);
	memset(t, 0, sizeof(*t));
}

static int
rr_cmp(const void *a, const void *b)
{
	const struct ospf_rroute *x = a, *y = b;

	if (x->rid != y->rid)
		return x->rid < y->rid ? -1 : 1;
	return x->area < y->area ? -1 : x->area > y->area;
}

static int
idx_cmp(const void *a, const void *b, void *arg)
{
	const struct ospf_route *r = arg;

	return prefix_cmp(&r[*(const uint32_t *)a].pfx, &r[*(const uint32_t *)b].pfx);
}

void
ospf_spf_table_sort(struct ospf_table *t)
{
	/* Routes are large (their next hops inline): sort indices, then move each once. */
	if (t->n > 1) {
		uint32_t *ix = xmalloc(sizeof(*ix) * t->n);
		struct ospf_route *v = xmalloc(sizeof(*v) * t->n);

		for (size_t i = 0; i < t->n; i++)
			ix[i] = (uint32_t)i;
		qsort_r(ix, t->n, sizeof(*ix), idx_cmp, t->r);
		for (size_t i = 0; i < t->n; i++)
			v[i] = t->r[ix[i]];
		free(t->r);
		t->r = v;
		t->cap = t->n;
		free(ix);
	}
	if (t->nrr > 1)
		qsort(t->rr, t->nrr, sizeof(*t->rr), rr_cmp);
	hmap_free(&t->idx);
	hmap_init(&t->idx);
	for (size_t i = 0; i < t->n; i++)
		hmap_put(&t->idx, prefix_key(&t->r[i].pfx), (void *)(uintptr_t)(i + 1));
}

/* --- Dijkstra (16.1) ------------------------------------------------------------------------- */

struct vtx {
	uint32_t stamp; /* the run that set the fields below */
	uint32_t dist;
	uint32_t id;    /* router ID, or the network's Link State ID */
	uint32_t nhs;   /* next-hop set (rtable.c) */
	int32_t heap;   /* position in the candidate heap, -1 if none */
	uint8_t type;   /* OSPF_LSA_ROUTER or OSPF_LSA_NETWORK */
	bool intree;
	bool direct;    /* a network attached to the root */
	struct ospf_ent *ent; /* NULL: the LSA is missing or unusable */
};

/* Scratch shared by every router's runs on a thread: indexed by LSA key number. */
static struct {
	SIM_THREAD_ALIGN struct vtx *v; /* a stamped array (lib/marks.h) */
	size_t nv;
	uint32_t stamp;
	uint32_t *heap;
	size_t nheap, heapcap;
	uint32_t *order; /* vertices in the order they joined the tree */
	size_t norder, ordcap;
} sps[SIM_MAX_THREADS];
#define sp (sps[sim_thread])

struct spf {
	struct ospf *o;
	struct ospf_area *a;
	sim_time now;
};

static void
spf_begin(void)
{
	uint32_t need = ospf_lsakey_count();

	STAMPED_CLEAR(sp.v, sp.nv, sp.stamp, need);
	grow_array((void **)&sp.heap, &sp.heapcap, need + 1, sizeof(*sp.heap));
	sp.nheap = 0;
	sp.norder = 0;
}

static bool
vless(const struct vtx *a, const struct vtx *b)
{
	if (a->dist != b->dist)
		return a->dist < b->dist;
	/* 16.1 step 3: networks before routers at equal distance; then by ID, to be stable. */
	if (a->type != b->type)
		return a->type == OSPF_LSA_NETWORK;
	return a->id < b->id;
}

static void
hset(size_t i, uint32_t x)
{
	sp.heap[i] = x;
	sp.v[x].heap = (int32_t)i;
}

static void
hup(size_t i)
{
	uint32_t x = sp.heap[i];

	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (!vless(&sp.v[x], &sp.v[sp.heap[p]]))
			break;
		hset(i, sp.heap[p]);
		i = p;
	}
	hset(i, x);
}

static void
hdown(size_t i)
{
	uint32_t x = sp.heap[i];

	for (;;) {
		size_t l = 2 * i + 1, m = l;

		if (l >= sp.nheap)
			break;
		if (l + 1 < sp.nheap && vless(&sp.v[sp.heap[l + 1]], &sp.v[sp.heap[l]]))
			m = l + 1;
		if (!vless(&sp.v[sp.heap[m]], &sp.v[x]))
			break;
		hset(i, sp.heap[m]);
		i = m;
	}
	hset(i, x);
}

static uint32_t
hpop(void)
{
	uint32_t top;

	if (sp.nheap == 0)
		return OSPF_LSX_NONE;
	top = sp.heap[0];
	if (--sp.nheap > 0) {
		sp.heap[0] = sp.heap[sp.nheap];
		hdown(0);
	}
	sp.v[top].heap = -1;
	return top;
}

static bool
usable(const struct spf *s, const struct ospf_ent *e)
{
	return e != NULL && ospf_lsdb_age(e, s->now) < OSPF_MAX_AGE &&
	       ospf_intern_body(e->lsa) != NULL;
}

/* The vertex of LSA key number x whose LSA is e, set up on first sight this run. */
static struct vtx *
vertex_at(struct spf *s, uint32_t x, uint8_t type, uint32_t id, struct ospf_ent *e)
{
	struct vtx *v;

	if (x >= sp.nv)
		bug("ospf: LSA key number %u beyond the SPF arrays (%zu)", x, sp.nv);
	v = &sp.v[x];
	if (v->stamp == sp.stamp)
		return v->ent != NULL ? v : NULL;
	v->stamp = sp.stamp;
	v->ent = usable(s, e) ? e : NULL;
	v->type = type;
	v->id = id;
	v->dist = UINT32_MAX;
	v->heap = -1;
	v->nhs = 0;
	v->intree = v->direct = false;
	return v->ent != NULL ? v : NULL;
}

/* The router vertex whose router-LSA has key number x (NULL: missing or unusable). */
static struct vtx *
router_vertex(struct spf *s, uint32_t x, uint32_t rid)
{
	if (x == OSPF_LSX_NONE)
		return NULL;
	if (x < sp.nv && sp.v[x].stamp == sp.stamp)
		return sp.v[x].ent != NULL ? &sp.v[x] : NULL;
	return vertex_at(s, x, OSPF_LSA_ROUTER, rid, ospf_lsdb_at(&s->a->db, x));
}

/*
 * The vertex of the transit network with Link State ID id. Two network-LSAs
 * with one ID (a stale one): the usable one of the higher router wins.
 */
static struct vtx *
network_vertex(struct spf *s, uint32_t id)
{
	uint32_t best = OSPF_LSX_NONE;
	struct ospf_ent *be = NULL;

	for (uint32_t x = ospf_lsakey_net_first(id); x != OSPF_LSX_NONE;
	     x = ospf_lsakey_net_next(x)) {
		struct ospf_ent *e = ospf_lsdb_at(&s->a->db, x);

		if (!usable(s, e))
			continue;
		if (be == NULL || be->lsa->hdr.adv_rtr < e->lsa->hdr.adv_rtr) {
			best = x;
			be = e;
		}
	}
	return best == OSPF_LSX_NONE ? NULL : vertex_at(s, best, OSPF_LSA_NETWORK, id, be);
}

static uint32_t
vnum(const struct vtx *v)
{
	return (uint32_t)(v - sp.v);
}

static const struct ospf_lsa_body *
body(const struct vtx *v)
{
	return v->ent->lsa->body;
}

/* 16.1 step 2b: does W's LSA point back at V? */
static bool
links_back(const struct vtx *w, const struct vtx *v)
{
	const struct ospf_lsa_body *b = body(w);
	const uint32_t *to = w->ent->lsa->to;
	uint32_t vx = vnum(v);

	if (w->type == OSPF_LSA_NETWORK) {
		for (size_t i = 0; i < b->net.nrtrs; i++)
			if (to[i] == vx)
				return true;
		return false;
	}
	for (uint16_t i = 0; i < b->rtr.nlinks; i++) {
		const struct ospf_rtr_link *l = &b->rtr.links[i];

		if (v->type == OSPF_LSA_ROUTER && l->type == OSPF_LINK_PTP && to[i] == vx)
			return true;
		if (v->type == OSPF_LSA_NETWORK && l->type == OSPF_LINK_TRANSIT && l->id == v->id)
			return true;
	}
	return false;
}

static struct ospf_if *
if_by_addr(const struct ospf *o, uint32_t addr)
{
	for (size_t i = 0; i < o->nifs; i++)
		if (o->ifs[i]->ifp->addr == addr)
			return o->ifs[i];
	return NULL;
}

/* 16.1.1 from the root: the interface link l leaves by (0: not usable now). */
uint32_t
ospf_spf_root_nh(const struct ospf *o, const struct ospf_area *a, const struct ospf_rtr_link *l,
                 uint8_t wtype, uint32_t wid, bool *direct)
{
	struct ospf_if *oi = if_by_addr(o, l->data);
	struct ospf_nbr *nb;

	if (oi == NULL || oi->area != a || oi->state == ISM_DOWN || oi->state == ISM_LOOPBACK ||
	    oi->state == ISM_WAITING)
		return 0;
	if (wtype == OSPF_LSA_NETWORK) {
		*direct = true;
		return ospf_nhs_make(&(struct nexthop){.gw = 0, .ifindex = oi->ifp->idx}, 1);
	}
	nb = ospf_if_nbr_by_rid(oi, wid);
	if (nb == NULL || nb->state != NSM_FULL)
		return 0;
	return ospf_nhs_make(&(struct nexthop){.gw = nb->addr, .ifindex = oi->ifp->idx}, 1);
}

/*
 * 16.1.1 across network netid attached to the root, to the router whose LSA
 * is wb: on the paths with no router in between (the network's next hops
 * without a gateway) the next hop is the router's address on the network;
 * paths through another router keep that router's next hops (a network may
 * be reached both ways at equal cost).
 */
uint32_t
ospf_spf_net_nh(const struct ospf_blob *wb, uint32_t netid, uint32_t nethops)
{
	const struct ospf_lsa_body *b = wb->body;
	struct nexthop nh[OSPF_MAX_PATHS];
	const struct nexthop *vn;
	uint32_t waddr = 0;
	uint8_t n = 0, vnn;

	for (uint16_t i = 0; i < b->rtr.nlinks && waddr == 0; i++)
		if (b->rtr.links[i].type == OSPF_LINK_TRANSIT && b->rtr.links[i].id == netid)
			waddr = b->rtr.links[i].data;
	vn = ospf_nhs_get(nethops, &vnn);
	for (uint8_t i = 0; i < vnn; i++) {
		if (vn[i].gw != 0)
			nh[n++] = vn[i];
		else if (waddr != 0)
			nh[n++] = (struct nexthop){.gw = waddr, .ifindex = vn[i].ifindex};
	}
	return ospf_nhs_make(nh, n);
}

/*
 * 16.1.1: the next-hop set of W reached from V over link l (l NULL from a
 * network); 0 when there is none.
 */
static uint32_t
nexthops(struct spf *s, const struct vtx *v, const struct vtx *w, const struct ospf_rtr_link *l,
         bool *direct)
{
	*direct = false;
	if (v->id == s->o->rid && v->type == OSPF_LSA_ROUTER)
		return ospf_spf_root_nh(s->o, s->a, l, w->type, w->id, direct);
	if (v->type == OSPF_LSA_NETWORK && v->direct && w->type == OSPF_LSA_ROUTER)
		return ospf_spf_net_nh(w->ent->lsa, v->id, v->nhs);
	return v->nhs;
}

static void
relax(struct spf *s, const struct vtx *v, struct vtx *w, uint32_t cost,
      const struct ospf_rtr_link *l)
{
	uint32_t nhs;
	bool direct;

	if (w->intree || cost > w->dist || !links_back(w, v))
		return;
	if ((nhs = nexthops(s, v, w, l, &direct)) == 0)
		return;
	if (cost < w->dist) {
		w->dist = cost;
		w->nhs = nhs;
		w->direct = direct;
		if (w->heap < 0) {
			sp.heap[sp.nheap] = vnum(w);
			w->heap = (int32_t)sp.nheap++;
		}
		hup((size_t)w->heap);
		return;
	}
	w->nhs = ospf_nhs_union(w->nhs, nhs);
	w->direct |= direct;
}

/* Our own stub network p (12.4.1): directly attached, out of its interface. */
uint32_t
ospf_spf_own_stub(const struct ospf *o, const struct ospf_area *a, const struct prefix *p,
                  bool *conn)
{
	for (size_t j = 0; j < o->nifs; j++) {
		struct ospf_if *oi = o->ifs[j];
		struct prefix q = iface_prefix(oi->ifp);

		if (oi->area == a && oi->state != ISM_DOWN &&
		    (prefix_eq(&q, p) || (p->len == 32 && p->addr == oi->ifp->addr))) {
			*conn = true;
			return ospf_nhs_make(&(struct nexthop){.gw = 0, .ifindex = oi->ifp->idx}, 1);
		}
	}
	return 0;
}

static void
area_spf(struct ospf *o, struct ospf_area *a, struct ospf_table *t)
{
	struct spf s = {.o = o, .a = a, .now = ospf_now(o)};
	struct vtx *root;
	uint32_t vi;

	spf_begin();
	ospf_lsdb_warm(&a->db);
	root = router_vertex(&s, ospf_lsakey_find(OSPF_LSA_ROUTER, o->rid, o->rid), o->rid);
	if (root == NULL)
		return;
	root->dist = 0;
	for (vi = vnum(root); vi != OSPF_LSX_NONE; vi = hpop()) {
		struct vtx *v = &sp.v[vi], *w;
		const struct ospf_lsa_body *b = body(v);
		const uint32_t *to = v->ent->lsa->to;
		uint32_t dist = v->dist;

		v->intree = true;
		VEC_PUSH(sp.order, sp.norder, sp.ordcap, vi);
		if (v->type == OSPF_LSA_NETWORK) {
			for (size_t i = 0; i < b->net.nrtrs; i++)
				if ((w = router_vertex(&s, to[i], b->net.rtrs[i])) != NULL)
					relax(&s, v, w, dist, NULL);
			continue;
		}
		for (uint16_t i = 0; i < b->rtr.nlinks; i++) {
			const struct ospf_rtr_link *l = &b->rtr.links[i];

			if (l->type == OSPF_LINK_PTP)
				w = router_vertex(&s, to[i], l->id);
			else if (l->type == OSPF_LINK_TRANSIT)
				w = network_vertex(&s, l->id);
			else
				continue;
			if (w != NULL)
				relax(&s, v, w, dist + l->metric, l);
		}
	}
	/* The tree's destinations: transit networks, then area border / AS boundary routers. */
	for (size_t k = 0; k < sp.norder; k++) {
		const struct vtx *v = &sp.v[sp.order[k]];
		const struct ospf_lsa_body *b = body(v);

		if (v->type == OSPF_LSA_NETWORK) {
			struct ospf_rt r = {.ptype = OSPF_PATH_INTRA,
			                    .cost = v->dist,
			                    .area = a->id,
			                    .connected = v->direct,
			                    .adv = v->ent->lsa->hdr.adv_rtr,
			                    .nhs = v->nhs};

			ospf_rt_add(v->ent->lsa->pid, &r);
		} else if (v->id != o->rid && (b->rtr.flags & (OSPF_RTR_B | OSPF_RTR_E))) {
			struct ospf_rroute rr = {.rid = v->id,
			                         .area = a->id,
			                         .ptype = OSPF_PATH_INTRA,
			                         .abr = (b->rtr.flags & OSPF_RTR_B) != 0,
			                         .asbr = (b->rtr.flags & OSPF_RTR_E) != 0,
			                         .cost = v->dist};
			const struct nexthop *nh = ospf_nhs_get(v->nhs, &rr.nnh);

			memcpy(rr.nh, nh, sizeof(*nh) * rr.nnh);
			rr_add(t, &rr);
		}
	}
	/* 16.1 step 2, the stub networks of every router in the tree. */
	for (size_t k = 0; k < sp.norder; k++) {
		const struct vtx *v = &sp.v[sp.order[k]];
		const struct ospf_lsa_body *b = body(v);
		const uint32_t *to = v->ent->lsa->to;
		bool root_v = v->id == o->rid;

		if (v->type != OSPF_LSA_ROUTER)
			continue;
		for (uint16_t i = 0; i < b->rtr.nlinks; i++) {
			const struct ospf_rtr_link *l = &b->rtr.links[i];
			struct ospf_rt r = {.ptype = OSPF_PATH_INTRA, .area = a->id, .adv = v->id};

			/* to[i]: the prefix, OSPF_PFX_NONE if the mask is not contiguous. */
			if (l->type != OSPF_LINK_STUB || to[i] == OSPF_PFX_NONE)
				continue;
			r.cost = v->dist + l->metric;
			if (root_v) {
				struct prefix p = ospf_pfx_of(to[i]);

				r.nhs = ospf_spf_own_stub(o, a, &p, &r.connected);
			} else {
				r.nhs = v->nhs;
			}
			ospf_rt_add(to[i], &r);
		}
	}
}

/* --- inter-area (16.2) ----------------------------------------------------------------------- */

static void
inter_area(struct ospf *o, struct ospf_area *a, struct ospf_table *t)
{
	sim_time now = ospf_now(o);
	struct ospf_ent **v;
	size_t n;
	bool ranges = false;

	/* Only a border router's ranges count (16.2 step 3): they are inactive on other routers. */
	for (size_t i = 0; i < o->nareas && ospf_is_abr(o); i++)
		ranges |= o->areas[i]->nranges > 0;

	/* Sorted, so that equal-cost merges happen in a fixed order. */
	v = ospf_lsdb_sorted_types(&a->db, OSPF_LSA_SUMMARY, OSPF_LSA_ASBR_SUMMARY, &n);
	for (size_t i = 0; i < n; i++) {
		struct ospf_ent *e = v[i];
		const struct ospf_lsa_hdr *h = &e->lsa->hdr;
		const struct ospf_lsa_body *b;
		struct ospf_rroute *br;

		if (h->type != OSPF_LSA_SUMMARY && h->type != OSPF_LSA_ASBR_SUMMARY)
			continue;
		if (h->adv_rtr == o->rid || ospf_lsdb_age(e, now) >= OSPF_MAX_AGE)
			continue;
		if ((b = ospf_intern_body(e->lsa)) == NULL || b->sum.metric >= OSPF_LS_INFINITY)
			continue;
		br = rr_get(t, h->adv_rtr, a->id);
		if (br == NULL || br->ptype != OSPF_PATH_INTRA)
			continue;
		if (h->type == OSPF_LSA_SUMMARY) {
			struct ospf_rt r = {
			    .ptype = OSPF_PATH_INTER, .area = a->id, .adv = h->adv_rtr};
			const struct ospf_rt *cur;

			/* pid: the prefix (OSPF_PFX_NONE if the mask is not contiguous). */
			if (e->lsa->pid == OSPF_PFX_NONE)
				continue;
			cur = ospf_rt_get(e->lsa->pid);
			if (cur != NULL && cur->ptype == OSPF_PATH_INTRA)
				continue;
			if (ranges) {
				struct prefix p = ospf_pfx_of(e->lsa->pid);

				if (ospf_area_range_active(o, &p))
					continue; /* another ABR's summary of our own range */
			}
			r.cost = br->cost + b->sum.metric;
			r.nhs = ospf_nhs_make(br->nh, br->nnh);
			ospf_rt_add(e->lsa->pid, &r);
		} else {
			struct ospf_rroute rr = {.rid = h->id,
			                         .area = a->id,
			                         .ptype = OSPF_PATH_INTER,
			                         .asbr = true,
			                         .cost = br->cost + b->sum.metric,
			                         .nnh = br->nnh};
			const struct ospf_rroute *cur = rr_get(t, h->id, a->id);

			if (h->id == o->rid || (cur != NULL && cur->ptype == OSPF_PATH_INTRA))
				continue;
			memcpy(rr.nh, br->nh, sizeof(*rr.nh) * br->nnh);
			rr_add(t, &rr);
		}
	}
	free(v);
}

/* --- AS external (16.4) ----------------------------------------------------------------------- */

/*
 * 16.4.1: the preferred paths to ASBR rid (intra-area paths through
 * non-backbone areas first, then the cheapest), their next hops merged into
 * nh; with o, only paths through areas that take AS-external-LSAs. Returns
 * the first of them, or NULL.
 */
const struct ospf_rroute *
ospf_spf_asbr_path(const struct ospf *o, const struct ospf_table *t, uint32_t rid,
                   struct nexthop *nh, uint8_t *nnh)
{
	const struct ospf_rroute *best = NULL;
	int best_class = 3;

	*nnh = 0;
	for (size_t i = 0; i < t->nrr; i++) {
		const struct ospf_rroute *r = &t->rr[i];
		const struct ospf_area *a;
		int cls;

		if (r->rid != rid || !r->asbr)
			continue;
		if (o != NULL && ((a = ospf_area_find(o, r->area)) == NULL || !ospf_area_ext(a)))
			continue;
		cls = r->ptype == OSPF_PATH_INTRA && r->area != 0 ? 0 : 1;
		if (best == NULL || cls < best_class ||
		    (cls == best_class && r->cost < best->cost)) {
			best = r;
			best_class = cls;
			*nnh = 0;
			nh_merge(nh, nnh, r->nh, r->nnh);
		} else if (cls == best_class && r->cost == best->cost) {
			nh_merge(nh, nnh, r->nh, r->nnh);
		}
	}
	return best;
}

/*
 * The intra- or inter-area route that best matches addr (a forwarding
 * address); with nssa, only an intra-area route of that area (RFC 3101 2.5).
 */
static const struct ospf_rt *
lookup_internal(uint32_t addr, const struct ospf_area *nssa)
{
	const struct ospf_rt *best = NULL, *r;
	struct prefix bp = {0, 0};
	uint32_t pid;

	for (size_t i = 0; (r = ospf_rt_at(i, &pid)) != NULL; i++) {
		struct prefix p = ospf_pfx_of(pid);

		if (r->ptype > OSPF_PATH_INTER || !prefix_contains(&p, addr))
			continue;
		if (nssa != NULL && (r->ptype != OSPF_PATH_INTRA || r->area != nssa->id))
			continue;
		if (best == NULL || p.len > bp.len) {
			best = r;
			bp = p;
		}
	}
	return best;
}

/*
 * 16.4 steps 3-5 for one AS-external-LSA (or, with nssa, a Type-7 LSA of
 * that NSSA, RFC 3101 2.5): the route it gives, added to the table.
 */
static void
external_route(struct ospf *o, struct ospf_table *t, struct ospf_ent *e, sim_time now,
               const struct ospf_area *nssa)
{
	const struct ospf_lsa_hdr *h = &e->lsa->hdr;
	const struct ospf_lsa_body *b;
	struct ospf_rt r = {.adv = h->adv_rtr, .pbit = nssa && (h->options & OSPF_OPT_NP)};
	struct nexthop nh[OSPF_MAX_PATHS];
	uint8_t nnh;
	uint32_t x;

	if (h->adv_rtr == o->rid || ospf_lsdb_age(e, now) >= OSPF_MAX_AGE)
		return;
	if ((b = ospf_intern_body(e->lsa)) == NULL || b->ext.metric >= OSPF_LS_INFINITY ||
	    e->lsa->pid == OSPF_PFX_NONE)
		return;
	if (nssa != NULL) {
		const struct ospf_rroute *br;

		/*
		 * 2.5 step 1: a border router takes no Type-7 default with the P-bit
		 * clear (another border router's, meant for the inside), nor any when
		 * it keeps summaries out of the NSSA.
		 */
		if (ospf_pfx_of(e->lsa->pid).len == 0 && ospf_is_abr(o) &&
		    (!r.pbit || nssa->no_summary))
			return;
		/* The originator must be reachable inside the NSSA. */
		br = rr_get(t, h->adv_rtr, nssa->id);
		if (br == NULL || br->ptype != OSPF_PATH_INTRA || br->nnh == 0)
			return;
		x = br->cost;
		nnh = br->nnh;
		memcpy(nh, br->nh, sizeof(*nh) * nnh);
		r.area = nssa->id;
	} else {
		const struct ospf_rroute *br = ospf_spf_asbr_path(NULL, t, h->adv_rtr, nh, &nnh);

		if (br == NULL)
			return;
		x = br->cost;
	}
	if (b->ext.fwd != 0) {
		const struct ospf_rt *f;
		const struct ospf_if *own = if_by_addr(o, b->ext.fwd);
		const struct nexthop *fn;

		/*
		 * 16.4 step 3: the forwarding address must be reached by an intra- or
		 * inter-area route, else the LSA gives no route. One of this router's
		 * own addresses means the traffic would come back here: no route
		 * either (as FRR), the router reaches the destination its own way.
		 */
		if (own != NULL && own->state != ISM_DOWN)
			return;
		if ((f = lookup_internal(b->ext.fwd, nssa)) == NULL)
			return;
		x = f->cost;
		fn = ospf_nhs_get(f->nhs, &nnh);
		memcpy(nh, fn, sizeof(*nh) * nnh);
		if (f->connected)
			for (int k = 0; k < nnh; k++)
				nh[k].gw = b->ext.fwd;
	}
	r.nhs = ospf_nhs_make(nh, nnh);
	r.tag = b->ext.tag;
	if (b->ext.ebit) {
		r.ptype = nssa ? OSPF_PATH_N2 : OSPF_PATH_E2;
		r.cost = x;
		r.cost2 = b->ext.metric;
	} else {
		r.ptype = nssa ? OSPF_PATH_N1 : OSPF_PATH_E1;
		r.cost = x + b->ext.metric;
	}
	ospf_rt_add(e->lsa->pid, &r);
}

static void
external(struct ospf *o, struct ospf_table *t)
{
	sim_time now = ospf_now(o);
	struct ospf_ent **v;
	size_t n;
	bool any_normal = false;

	for (size_t i = 0; i < o->nareas; i++)
		any_normal |= ospf_area_ext(o->areas[i]) && o->areas[i]->active;
	if (any_normal && o->as_db.count[OSPF_LSA_EXTERNAL] > 0) {
		v = ospf_lsdb_sorted_types(&o->as_db, OSPF_LSA_EXTERNAL, OSPF_LSA_EXTERNAL, &n);
		for (size_t i = 0; i < n; i++)
			external_route(o, t, v[i], now, NULL);
		free(v);
	}
	/* RFC 3101 2.5: each NSSA's Type-7 LSAs. */
	for (size_t i = 0; i < o->nareas; i++) {
		struct ospf_area *a = o->areas[i];

		if (!a->nssa || !a->active || a->db.count[OSPF_LSA_NSSA] == 0)
			continue;
		v = ospf_lsdb_sorted_types(&a->db, OSPF_LSA_NSSA, OSPF_LSA_NSSA, &n);
		for (size_t k = 0; k < n; k++)
			external_route(o, t, v[k], now, a);
		free(v);
	}
}

/*
 * The whole calculation into the shared route table (rtable.c); router
 * routes (to ABRs and ASBRs) into rr->rr.
 */
static void
compute(struct ospf *o, struct ospf_table *rr, struct ospf_nht *nht)
{
	bool abr = ospf_is_abr(o);
	struct ospf_area *bb = ospf_area_find(o, 0);

	memset(rr, 0, sizeof(*rr));
	hmap_init(&rr->idx);
	ospf_rt_begin(nht);
	for (size_t i = 0; i < o->nareas; i++)
		if (o->areas[i]->active)
			area_spf(o, o->areas[i], rr);
	/* 16.2: an area border router looks at the backbone's summaries only. */
	for (size_t i = 0; i < o->nareas; i++) {
		struct ospf_area *a = o->areas[i];

		if (!a->active || (abr && a != bb))
			continue;
		if (a->db.count[OSPF_LSA_SUMMARY] + a->db.count[OSPF_LSA_ASBR_SUMMARY] > 0)
			inter_area(o, a, rr);
	}
	external(o, rr);
}

void
ospf_spf_compute(struct ospf *o, struct ospf_table *t)
{
	compute(o, t, NULL);
	ospf_rt_table(t);
	ospf_spf_table_sort(t);
}

/* --- scheduling ------------------------------------------------------------------------------ */

void
ospf_spf_schedule(struct ospf *o)
{
	sim_time now, since, delay;

	if (o->spf_t.fn == NULL || !o->pi->running || timer_pending(&o->spf_t))
		return;
	now = ospf_now(o);
	since = now - o->spf_last;
	if (!o->spf_ran || since >= o->spf_holdcur) {
		/* A hold interval passed without a run: the initial delay, the hold starts over. */
		o->spf_holdcur = o->cfg.spf_hold;
		delay = o->cfg.spf_delay;
	} else {
		/* Within the hold: wait it out, and the next hold is longer. */
		delay = MAX(o->cfg.spf_delay, o->spf_holdcur - since);
		o->spf_holdcur = MIN(2 * o->spf_holdcur, o->cfg.spf_maxhold);
	}
	timer_set(&o->spf_t, delay);
}

/*
 * The area whose tree the router keeps between runs for incremental ones
 * (ispf.c), if it is that simple: one area, no summary- or AS-external-LSAs.
 */
static struct ospf_area *
simple_area(const struct ospf *o)
{
	struct ospf_area *a = o->nareas == 1 ? o->areas[0] : NULL;

	if (a == NULL || !a->active || a->db.count[OSPF_LSA_SUMMARY] > 0 ||
	    a->db.count[OSPF_LSA_ASBR_SUMMARY] > 0 || a->db.count[OSPF_LSA_NSSA] > 0 ||
	    o->as_db.count[OSPF_LSA_EXTERNAL] > 0)
		return NULL;
	return a;
}

/* Keep the tree of the full run that just ended in area a (for ispf.c). */
static void
store_tree(struct ospf *o, struct ospf_area *a)
{
	struct ospf_spt *t = &a->spt;
	bool ok = t->nht.n <= UINT16_MAX;

	ospf_ispf_store_begin(t);
	for (size_t k = 0; ok && k < sp.norder; k++) {
		const struct vtx *v = &sp.v[sp.order[k]];

		t->v[sp.order[k]] = (struct ospf_spv){v->dist, (uint16_t)v->nhs, v->direct};
	}
	ospf_ispf_store_end(o, a, ok);
}

/* Test mode: an incremental run must leave what a full run gives. */
static void
check_incremental(struct ospf *o, struct ospf_area *a)
{
	struct ospf_table t;
	size_t n = 0;

	compute(o, &t, NULL);
	for (size_t k = 0; k < sp.norder; k++) {
		const struct vtx *v = &sp.v[sp.order[k]];
		const struct ospf_spv *x = &a->spt.v[sp.order[k]];

		if (x->dist != v->dist || x->direct != v->direct ||
		    ospf_nht_hash(&a->spt.nht, x->nhs) != ospf_nhs_hash(v->nhs))
			bug("ospf %s: incremental SPF: vertex %s distance %u, full run %u",
			    o->node->name, ip_str(v->id), x->dist, v->dist);
	}
	for (uint32_t x = 0; x < a->spt.nv; x++)
		n += a->spt.v[x].dist != OSPF_SPV_INF;
	if (n != sp.norder)
		bug("ospf %s: incremental SPF: %zu vertices, full run %zu", o->node->name, n,
		    sp.norder);
	if (!ospf_rt_same_as_installed(o))
		bug("ospf %s: incremental SPF: routes differ from a full run", o->node->name);
	ospf_spf_table_free(&t);
}

void
ospf_spf_fire(struct timer *tm)
{
	struct ospf *o = tm->arg;
	struct ospf_area *a = simple_area(o);
	struct ospf_table t;

	o->st.spf_runs++;
	for (size_t i = 0; i < o->nareas; i++)
		if (o->areas[i]->active)
			o->areas[i]->spf_runs++;
	memset(&t, 0, sizeof(t));
	if (a != NULL && ospf_ispf_run(o, a)) {
		if (ospf_spf_check)
			check_incremental(o, a);
	} else {
		compute(o, &t, a != NULL ? &a->spt.nht : NULL);
		ospf_rt_install(o);
		/* NSSA translation (RFC 3101 3), from the table just computed. */
		ospf_nssa_update(o, &t);
		if (a != NULL)
			store_tree(o, a);
		for (size_t i = 0; i < o->nareas; i++)
			if (o->areas[i] != a)
				ospf_ispf_forget(&o->areas[i]->spt);
	}
	o->spf_ran = true;
	o->spf_last = ospf_now(o);
	/* Only an area border router reads the table (12.4.3); the others just sweep. */
	if (ospf_is_abr(o)) {
		ospf_rt_table(&t);
		ospf_spf_table_sort(&t);
	}
	ospf_orig_summaries(o, &t);
	ospf_spf_table_free(&t);
}
