/*
 * spf.c: the routing table calculation (RFC 2328 16) and its schedule.
 *
 * Per area, Dijkstra over router and network vertices (16.1) with equal-cost
 * multipath (next hops merged on ties, at most OSPF_MAX_PATHS, kept in a
 * canonical order), the two-way link check, and network vertices taken
 * before router vertices at equal distance; then stub networks; then
 * inter-area routes from summary-LSAs (16.2: an ABR looks at the backbone's
 * only) and ASBR routes from ASBR-summaries; then AS-external routes (16.4,
 * with the 16.4.1 preference among ASBR paths, forwarding addresses, E1/E2).
 * Transit-area examination (16.3) only concerns virtual links, which netsim
 * does not implement.
 *
 * One practical rule beyond the RFC text: links of this router over an
 * interface that is down, or to a point-to-point neighbor that is no longer
 * Full, are not used even while our own router-LSA still lists them (its
 * new instance may wait for MinLSInterval), as real routers drop routes over
 * a dead interface at once.
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
#include "../../lib/util.h"
#include "../../net/rib.h"
#include "ospf.h"

/* --- the table ------------------------------------------------------------------------------ */

static int
nh_cmp(const void *a, const void *b)
{
	const struct nexthop *x = a, *y = b;

	if (x->gw != y->gw)
		return x->gw < y->gw ? -1 : 1;
	return (int)x->ifindex - (int)y->ifindex;
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

static struct ospf_route *
table_get(struct ospf_table *t, const struct prefix *p)
{
	uintptr_t i = (uintptr_t)hmap_get(&t->idx, prefix_key(p));

	return i ? &t->r[i - 1] : NULL;
}

/* Is the candidate c better (<0), equal (0) or worse (>0) than the route r? */
static int
route_pref(const struct ospf_route *c, const struct ospf_route *r)
{
	if (c->ptype != r->ptype)
		return c->ptype < r->ptype ? -1 : 1;
	if (c->ptype == OSPF_PATH_E2 && c->cost2 != r->cost2)
		return c->cost2 < r->cost2 ? -1 : 1;
	if (c->cost != r->cost)
		return c->cost < r->cost ? -1 : 1;
	return 0;
}

static void
table_add(struct ospf_table *t, const struct ospf_route *c)
{
	struct ospf_route *r = table_get(t, &c->pfx);
	int p;

	if (c->nnh == 0)
		return;
	if (r == NULL) {
		grow_array((void **)&t->r, &t->cap, t->n + 1, sizeof(*t->r));
		t->r[t->n] = *c;
		qsort(t->r[t->n].nh, t->r[t->n].nnh, sizeof(struct nexthop), nh_cmp);
		t->n++;
		hmap_put(&t->idx, prefix_key(&c->pfx), (void *)(uintptr_t)t->n);
		return;
	}
	p = route_pref(c, r);
	if (p > 0)
		return;
	if (p < 0) {
		*r = *c;
		qsort(r->nh, r->nnh, sizeof(struct nexthop), nh_cmp);
		return;
	}
	/* Equal cost: both paths (16.1 step 2d, 16.2 step 5, 16.4 step 6). */
	nh_merge(r->nh, &r->nnh, c->nh, c->nnh);
	r->connected &= c->connected;
	if (c->area < r->area)
		r->area = c->area;
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

/* --- Dijkstra (16.1) ---------------------------------------------------------------------------
 */

struct vtx {
	uint8_t type; /* OSPF_LSA_ROUTER or OSPF_LSA_NETWORK */
	bool intree;
	bool direct; /* a network attached to the root */
	uint8_t nnh;
	uint32_t id;
	uint32_t dist;
	int heap; /* position in the candidate heap, -1 if none */
	struct ospf_ent *ent;
	struct nexthop nh[OSPF_MAX_PATHS];
};

struct spf {
	struct ospf *o;
	struct ospf_area *a;
	sim_time now;
	struct vtx *v;
	size_t nv, vcap;
	struct ospf_keymap vmap;   /* (type, id) -> index + 1 */
	struct ospf_keymap netmap; /* network-LSA by Link State ID */
	int *heap;
	size_t nheap, heapcap;
	size_t *order; /* vertices in the order they joined the tree */
	size_t norder, ordcap;
};

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
hswap(struct spf *s, size_t i, size_t j)
{
	int t = s->heap[i];

	s->heap[i] = s->heap[j];
	s->heap[j] = t;
	s->v[s->heap[i]].heap = (int)i;
	s->v[s->heap[j]].heap = (int)j;
}

static void
hup(struct spf *s, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (!vless(&s->v[s->heap[i]], &s->v[s->heap[p]]))
			break;
		hswap(s, i, p);
		i = p;
	}
}

static void
hdown(struct spf *s, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;

		if (l < s->nheap && vless(&s->v[s->heap[l]], &s->v[s->heap[m]]))
			m = l;
		if (l + 1 < s->nheap && vless(&s->v[s->heap[l + 1]], &s->v[s->heap[m]]))
			m = l + 1;
		if (m == i)
			break;
		hswap(s, i, m);
		i = m;
	}
}

static int
hpop(struct spf *s)
{
	int top;

	if (s->nheap == 0)
		return -1;
	top = s->heap[0];
	s->nheap--;
	if (s->nheap > 0) {
		s->heap[0] = s->heap[s->nheap];
		s->v[s->heap[0]].heap = 0;
		hdown(s, 0);
	}
	s->v[top].heap = -1;
	return top;
}

static bool
usable(const struct spf *s, const struct ospf_ent *e)
{
	return e != NULL && ospf_lsdb_age(e, s->now) < OSPF_MAX_AGE &&
	       ospf_intern_body(e->lsa) != NULL;
}

/* The vertex for (type, id), created on first sight; -1 if its LSA is missing. */
static int
vertex(struct spf *s, uint8_t type, uint32_t id)
{
	uintptr_t i = (uintptr_t)ospf_keymap_get(&s->vmap, type, id, 0);
	struct ospf_ent *e;
	struct vtx *v;

	if (i)
		return (int)i - 1;
	e = type == OSPF_LSA_ROUTER ? ospf_lsdb_get(&s->a->db, type, id, id)
	                            : ospf_keymap_get(&s->netmap, type, id, 0);
	if (!usable(s, e))
		return -1;
	grow_array((void **)&s->v, &s->vcap, s->nv + 1, sizeof(*s->v));
	v = &s->v[s->nv];
	memset(v, 0, sizeof(*v));
	v->type = type;
	v->id = id;
	v->ent = e;
	v->dist = UINT32_MAX;
	v->heap = -1;
	ospf_keymap_put(&s->vmap, type, id, 0, (void *)(uintptr_t)(s->nv + 1));
	return (int)s->nv++;
}

static const struct ospf_lsa_body *
body(const struct vtx *v)
{
	return ospf_intern_body(v->ent->lsa);
}

/* 16.1 step 2b: does W's LSA point back at V? */
static bool
links_back(const struct vtx *w, const struct vtx *v)
{
	const struct ospf_lsa_body *b = body(w);

	if (w->type == OSPF_LSA_NETWORK) {
		for (size_t i = 0; i < b->net.nrtrs; i++)
			if (b->net.rtrs[i] == v->id)
				return true;
		return false;
	}
	for (uint16_t i = 0; i < b->rtr.nlinks; i++) {
		const struct ospf_rtr_link *l = &b->rtr.links[i];

		if (v->type == OSPF_LSA_ROUTER && l->type == OSPF_LINK_PTP && l->id == v->id)
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

/* 16.1.1: the next hops of W reached from V over link l (l NULL from a network). */
static bool
nexthops(struct spf *s, const struct vtx *v, const struct vtx *w, const struct ospf_rtr_link *l,
         struct nexthop *nh, uint8_t *nnh, bool *direct)
{
	*direct = false;
	if (v->id == s->o->rid && v->type == OSPF_LSA_ROUTER) {
		/* From the root: the interface the link leaves by. */
		struct ospf_if *oi = if_by_addr(s->o, l->data);

		if (oi == NULL || oi->area != s->a || oi->state == ISM_DOWN ||
		    oi->state == ISM_LOOPBACK || oi->state == ISM_WAITING)
			return false;
		if (w->type == OSPF_LSA_NETWORK) {
			nh[0] = (struct nexthop){0, oi->ifp->idx};
			*nnh = 1;
			*direct = true;
			return true;
		} else {
			struct ospf_nbr *nb = ospf_if_nbr_by_rid(oi, w->id);

			if (nb == NULL || nb->state != NSM_FULL)
				return false;
			nh[0] = (struct nexthop){nb->addr, oi->ifp->idx};
			*nnh = 1;
			return true;
		}
	}
	if (v->type == OSPF_LSA_NETWORK && v->direct && w->type == OSPF_LSA_ROUTER) {
		/*
		 * Across a network attached to the root: on the paths with no router
		 * in between (the network's next hops without a gateway) the next hop
		 * is W's address on the network; paths through another router keep
		 * that router's next hops (a network may be reached both ways at
		 * equal cost).
		 */
		const struct ospf_lsa_body *b = body(w);
		uint32_t waddr = 0;

		for (uint16_t i = 0; i < b->rtr.nlinks && waddr == 0; i++)
			if (b->rtr.links[i].type == OSPF_LINK_TRANSIT &&
			    b->rtr.links[i].id == v->id)
				waddr = b->rtr.links[i].data;
		*nnh = 0;
		for (uint8_t i = 0; i < v->nnh; i++) {
			if (v->nh[i].gw != 0)
				nh[(*nnh)++] = v->nh[i];
			else if (waddr != 0)
				nh[(*nnh)++] = (struct nexthop){waddr, v->nh[i].ifindex};
		}
		return *nnh > 0;
	}
	memcpy(nh, v->nh, sizeof(*nh) * v->nnh);
	*nnh = v->nnh;
	return v->nnh > 0;
}

static void
relax(struct spf *s, const struct vtx *v, int wi, uint32_t cost, const struct ospf_rtr_link *l)
{
	struct vtx *w = &s->v[wi];
	struct nexthop nh[OSPF_MAX_PATHS];
	uint8_t nnh = 0;
	bool direct;

	if (w->intree || !links_back(w, v))
		return;
	if (cost > w->dist)
		return;
	if (!nexthops(s, v, w, l, nh, &nnh, &direct))
		return;
	if (cost < w->dist) {
		w->dist = cost;
		w->nnh = 0;
		w->direct = direct;
		nh_merge(w->nh, &w->nnh, nh, nnh);
		if (w->heap < 0) {
			grow_array((void **)&s->heap, &s->heapcap, s->nheap + 1, sizeof(*s->heap));
			s->heap[s->nheap] = wi;
			w->heap = (int)s->nheap++;
		}
		hup(s, (size_t)w->heap);
		return;
	}
	nh_merge(w->nh, &w->nnh, nh, nnh);
	w->direct |= direct;
}

static void
netmap_build(struct spf *s)
{
	const struct ospf_lsdb *db = &s->a->db;

	for (uint32_t i = 0; i < db->map.cap; i++) {
		struct ospf_ent *e = db->map.s[i].val, *prev;

		if (e == NULL || e->lsa->hdr.type != OSPF_LSA_NETWORK || !usable(s, e))
			continue;
		/* Two network-LSAs with one ID (a stale one): the higher router wins,
		 * deterministically. */
		prev = ospf_keymap_get(&s->netmap, OSPF_LSA_NETWORK, e->lsa->hdr.id, 0);
		if (prev == NULL || prev->lsa->hdr.adv_rtr < e->lsa->hdr.adv_rtr)
			ospf_keymap_put(&s->netmap, OSPF_LSA_NETWORK, e->lsa->hdr.id, 0, e);
	}
}

static void
area_spf(struct ospf *o, struct ospf_area *a, struct ospf_table *t)
{
	struct spf s = {.o = o, .a = a, .now = ospf_now(o)};
	int ri, vi;

	netmap_build(&s);
	ri = vertex(&s, OSPF_LSA_ROUTER, o->rid);
	if (ri < 0)
		goto out;
	s.v[ri].dist = 0;
	for (vi = ri; vi >= 0; vi = hpop(&s)) {
		struct vtx *v = &s.v[vi];
		const struct ospf_lsa_body *b = body(v);
		uint32_t dist = v->dist;

		v->intree = true;
		VEC_PUSH(s.order, s.norder, s.ordcap, (size_t)vi);
		if (v->type == OSPF_LSA_NETWORK) {
			for (size_t i = 0; i < b->net.nrtrs; i++) {
				int wi = vertex(&s, OSPF_LSA_ROUTER, b->net.rtrs[i]);

				if (wi >= 0)
					relax(&s, &s.v[vi], wi, dist, NULL);
			}
			continue;
		}
		for (uint16_t i = 0; i < b->rtr.nlinks; i++) {
			const struct ospf_rtr_link *l = &b->rtr.links[i];
			int wi;

			if (l->type == OSPF_LINK_PTP)
				wi = vertex(&s, OSPF_LSA_ROUTER, l->id);
			else if (l->type == OSPF_LINK_TRANSIT)
				wi = vertex(&s, OSPF_LSA_NETWORK, l->id);
			else
				continue;
			/* vertex() may move s.v: index again. */
			if (wi >= 0)
				relax(&s, &s.v[vi], wi, dist + l->metric, l);
			b = body(&s.v[vi]);
		}
	}
	/* The tree's destinations: transit networks, then area border / AS boundary routers. */
	for (size_t k = 0; k < s.norder; k++) {
		struct vtx *v = &s.v[s.order[k]];
		const struct ospf_lsa_body *b = body(v);

		if (v->type == OSPF_LSA_NETWORK) {
			struct ospf_route r = {.ptype = OSPF_PATH_INTRA,
			                       .cost = v->dist,
			                       .area = a->id,
			                       .connected = v->direct,
			                       .adv = v->ent->lsa->hdr.adv_rtr,
			                       .nnh = v->nnh};

			r.pfx.len = (uint8_t)MAX(0, mask_to_len(b->net.mask));
			r.pfx.addr = v->id & ip_mask(r.pfx.len);
			memcpy(r.nh, v->nh, sizeof(*r.nh) * v->nnh);
			table_add(t, &r);
		} else if (v->id != o->rid && (b->rtr.flags & (OSPF_RTR_B | OSPF_RTR_E))) {
			struct ospf_rroute rr = {.rid = v->id,
			                         .area = a->id,
			                         .ptype = OSPF_PATH_INTRA,
			                         .abr = (b->rtr.flags & OSPF_RTR_B) != 0,
			                         .asbr = (b->rtr.flags & OSPF_RTR_E) != 0,
			                         .cost = v->dist,
			                         .nnh = v->nnh};

			memcpy(rr.nh, v->nh, sizeof(*rr.nh) * v->nnh);
			rr_add(t, &rr);
		}
	}
	/* 16.1 step 2, the stub networks of every router in the tree. */
	for (size_t k = 0; k < s.norder; k++) {
		struct vtx *v = &s.v[s.order[k]];
		const struct ospf_lsa_body *b = body(v);
		bool root = v->id == o->rid;

		if (v->type != OSPF_LSA_ROUTER)
			continue;
		for (uint16_t i = 0; i < b->rtr.nlinks; i++) {
			const struct ospf_rtr_link *l = &b->rtr.links[i];
			struct ospf_route r = {
			    .ptype = OSPF_PATH_INTRA, .area = a->id, .adv = v->id};
			int len = mask_to_len(l->data);

			if (l->type != OSPF_LINK_STUB || len < 0)
				continue;
			r.pfx.len = (uint8_t)len;
			r.pfx.addr = l->id & l->data;
			r.cost = v->dist + l->metric;
			if (root) {
				/* Our own networks: directly attached, out of their interface. */
				for (size_t j = 0; j < o->nifs; j++) {
					struct ospf_if *oi = o->ifs[j];
					struct prefix p = iface_prefix(oi->ifp);

					if (oi->area == a && oi->state != ISM_DOWN &&
					    (prefix_eq(&p, &r.pfx) ||
					     (r.pfx.len == 32 && r.pfx.addr == oi->ifp->addr))) {
						r.nh[0] = (struct nexthop){0, oi->ifp->idx};
						r.nnh = 1;
						r.connected = true;
						break;
					}
				}
			} else {
				memcpy(r.nh, v->nh, sizeof(*r.nh) * v->nnh);
				r.nnh = v->nnh;
			}
			table_add(t, &r);
		}
	}
out:
	free(s.v);
	free(s.heap);
	free(s.order);
	ospf_keymap_free(&s.vmap);
	ospf_keymap_free(&s.netmap);
}

static int
ent_cmp(const void *pa, const void *pb)
{
	const struct ospf_lsa_hdr *a = &(*(struct ospf_ent *const *)pa)->lsa->hdr;
	const struct ospf_lsa_hdr *b = &(*(struct ospf_ent *const *)pb)->lsa->hdr;

	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return a->adv_rtr < b->adv_rtr ? -1 : a->adv_rtr > b->adv_rtr;
}

/* The entries of types lo..hi, sorted by key (the caller frees). */
static struct ospf_ent **
typed(const struct ospf_lsdb *db, uint8_t lo, uint8_t hi, size_t *n)
{
	struct ospf_ent **v;
	size_t k = 0, want = 0;

	for (uint8_t t = lo; t <= hi; t++)
		want += db->count[t];
	v = xmalloc(sizeof(*v) * (want + 1));
	for (uint32_t i = 0; i < db->map.cap && k < want; i++) {
		struct ospf_ent *e = db->map.s[i].val;

		if (e != NULL && e->lsa->hdr.type >= lo && e->lsa->hdr.type <= hi)
			v[k++] = e;
	}
	if (k > 1)
		qsort(v, k, sizeof(*v), ent_cmp);
	*n = k;
	return v;
}

/* --- inter-area (16.2)
 * ---------------------------------------------------------------------------- */

static void
inter_area(struct ospf *o, struct ospf_area *a, struct ospf_table *t)
{
	sim_time now = ospf_now(o);
	struct ospf_ent **v;
	size_t n;

	/* Sorted, so that equal-cost merges happen in a fixed order. */
	v = typed(&a->db, OSPF_LSA_SUMMARY, OSPF_LSA_ASBR_SUMMARY, &n);
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
			struct ospf_route r = {
			    .ptype = OSPF_PATH_INTER, .area = a->id, .adv = h->adv_rtr};
			int len = mask_to_len(b->sum.mask);
			const struct ospf_route *cur;

			if (len < 0)
				continue;
			r.pfx.len = (uint8_t)len;
			r.pfx.addr = h->id & b->sum.mask;
			cur = table_get(t, &r.pfx);
			if (cur != NULL && cur->ptype == OSPF_PATH_INTRA)
				continue;
			r.cost = br->cost + b->sum.metric;
			r.nnh = br->nnh;
			memcpy(r.nh, br->nh, sizeof(*r.nh) * br->nnh);
			table_add(t, &r);
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

/* --- AS external (16.4)
 * ----------------------------------------------------------------------------- */

/* 16.4.1: intra-area paths through non-backbone areas first, then the cheapest. */
static bool
asbr_route(struct ospf_table *t, uint32_t rid, uint32_t *cost, struct nexthop *nh, uint8_t *nnh)
{
	const struct ospf_rroute *best = NULL;
	int best_class = 3;

	*nnh = 0;
	for (size_t i = 0; i < t->nrr; i++) {
		const struct ospf_rroute *r = &t->rr[i];
		int cls;

		if (r->rid != rid || !r->asbr)
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
	if (best == NULL)
		return false;
	*cost = best->cost;
	return true;
}

/* The intra- or inter-area route that best matches addr (a forwarding address). */
static const struct ospf_route *
lookup_internal(const struct ospf_table *t, uint32_t addr)
{
	const struct ospf_route *best = NULL;

	for (size_t i = 0; i < t->n; i++) {
		const struct ospf_route *r = &t->r[i];

		if (r->ptype > OSPF_PATH_INTER || !prefix_contains(&r->pfx, addr))
			continue;
		if (best == NULL || r->pfx.len > best->pfx.len)
			best = r;
	}
	return best;
}

static void
external(struct ospf *o, struct ospf_table *t)
{
	sim_time now = ospf_now(o);
	struct ospf_ent **v;
	size_t n;
	bool any_normal = false;

	for (size_t i = 0; i < o->nareas; i++)
		any_normal |= !o->areas[i]->stub && o->areas[i]->active;
	if (!any_normal)
		return;
	v = typed(&o->as_db, OSPF_LSA_EXTERNAL, OSPF_LSA_EXTERNAL, &n);
	for (size_t i = 0; i < n; i++) {
		struct ospf_ent *e = v[i];
		const struct ospf_lsa_hdr *h = &e->lsa->hdr;
		const struct ospf_lsa_body *b;
		struct ospf_route r = {.adv = h->adv_rtr};
		uint32_t x;
		int len;

		if (h->type != OSPF_LSA_EXTERNAL || h->adv_rtr == o->rid ||
		    ospf_lsdb_age(e, now) >= OSPF_MAX_AGE)
			continue;
		if ((b = ospf_intern_body(e->lsa)) == NULL || b->ext.metric >= OSPF_LS_INFINITY ||
		    (len = mask_to_len(b->ext.mask)) < 0)
			continue;
		if (!asbr_route(t, h->adv_rtr, &x, r.nh, &r.nnh))
			continue;
		if (b->ext.fwd != 0) {
			const struct ospf_route *f = lookup_internal(t, b->ext.fwd);

			if (f == NULL)
				continue;
			x = f->cost;
			r.nnh = f->nnh;
			memcpy(r.nh, f->nh, sizeof(*r.nh) * f->nnh);
			if (f->connected)
				for (int k = 0; k < r.nnh; k++)
					r.nh[k].gw = b->ext.fwd;
		}
		r.pfx.len = (uint8_t)len;
		r.pfx.addr = h->id & b->ext.mask;
		r.tag = b->ext.tag;
		if (b->ext.ebit) {
			r.ptype = OSPF_PATH_E2;
			r.cost = x;
			r.cost2 = b->ext.metric;
		} else {
			r.ptype = OSPF_PATH_E1;
			r.cost = x + b->ext.metric;
		}
		table_add(t, &r);
	}
	free(v);
}

void
ospf_spf_compute(struct ospf *o, struct ospf_table *t)
{
	bool abr = ospf_is_abr(o);
	struct ospf_area *bb = ospf_area_find(o, 0);

	memset(t, 0, sizeof(*t));
	hmap_init(&t->idx);
	for (size_t i = 0; i < o->nareas; i++)
		if (o->areas[i]->active)
			area_spf(o, o->areas[i], t);
	/* 16.2: an area border router looks at the backbone's summaries only. */
	for (size_t i = 0; i < o->nareas; i++) {
		struct ospf_area *a = o->areas[i];

		if (!a->active || (abr && a != bb))
			continue;
		inter_area(o, a, t);
	}
	external(o, t);
	ospf_spf_table_sort(t);
}

/* --- the RIB -------------------------------------------------------------------------------------
 */

static const char *
code_of(uint8_t ptype)
{
	static const char *const codes[] = {"O", "O IA", "O E1", "O E2"};

	return codes[ptype];
}

static uint64_t
digest(const struct ospf_table *t)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ t->n;

	for (size_t i = 0; i < t->n; i++) {
		const struct ospf_route *r = &t->r[i];
		uint64_t x = (uint64_t)r->pfx.addr << 8 | r->pfx.len;

		x = x * 31 + r->ptype;
		x = x * 1000003 + r->cost;
		x = x * 1000003 + r->cost2;
		for (int k = 0; k < r->nnh; k++)
			x = (x * 1000003 + r->nh[k].gw) * 31 + r->nh[k].ifindex;
		h = (h ^ x) * 0x100000001b3ULL;
		h ^= h >> 31;
	}
	return h;
}

static const struct rib_path *
ospf_path(const struct rib_entry *e)
{
	for (const struct rib_path *p = rib_best(e); p; p = p->next)
		if (rib_path_src(p) == &ospf_rib_src)
			return p;
	return NULL;
}

/* Is the RIB's path what we would offer now? (Next hops are sorted alike on both sides.) */
static bool
unchanged(const struct rib_path *p, const struct route *rt)
{
	if (p->metric != rt->metric || p->tag != rt->tag || p->distance != rt->distance ||
	    strcmp(rib_path_code(p), rt->code) != 0 || p->nhg == NULL || p->nhg->n != rt->nnh)
		return false;
	return memcmp(p->nhg->nh, rt->nh, sizeof(*rt->nh) * rt->nnh) == 0;
}

/*
 * Offer the table to the RIB (distance 110). Equivalent to a full
 * rib_sync_begin/rib_add/rib_sync_end, but only changed routes are offered
 * and withdrawals are looked for only when some route went away: after a
 * topology change most of a large table is the same, and a full sync of a
 * few thousand routes on every router was the bulk of reconvergence work.
 */
static void
install(struct ospf *o, const struct ospf_table *t)
{
	struct rib *rib = o->node->rib;
	uint64_t d = digest(t);
	size_t kept = 0;

	if (d == o->table_digest && o->spf_ran)
		return;
	o->table_digest = d;
	for (size_t i = 0; i < t->n; i++) {
		const struct ospf_route *r = &t->r[i];
		struct route rt = {.src = &ospf_rib_src,
		                   .code = code_of(r->ptype),
		                   .distance = 110,
		                   .metric = r->ptype == OSPF_PATH_E2 ? r->cost2 : r->cost,
		                   .tag = r->tag,
		                   .nnh = r->nnh};
		const struct rib_path *p = ospf_path(rib_lookup_exact(rib, &r->pfx));

		memcpy(rt.nh, r->nh, sizeof(*rt.nh) * r->nnh);
		if (p != NULL) {
			kept++;
			if (unchanged(p, &rt))
				continue;
		}
		rib_add(rib, &r->pfx, &rt);
	}
	/* Every route we had is still in the table unless fewer were found again. */
	if (kept != o->ninstalled) {
		size_t n;
		struct rib_entry **v = rib_sorted(rib, &n);

		for (size_t i = 0; i < n; i++) {
			struct prefix p = rib_prefix(v[i]);

			if (ospf_path(v[i]) != NULL && hmap_get(&t->idx, prefix_key(&p)) == NULL)
				rib_del(rib, &p, &ospf_rib_src);
		}
		free(v);
	}
	o->ninstalled = t->n;
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

void
ospf_spf_fire(struct timer *tm)
{
	struct ospf *o = tm->arg;
	struct ospf_table t;

	o->st.spf_runs++;
	for (size_t i = 0; i < o->nareas; i++)
		if (o->areas[i]->active)
			o->areas[i]->spf_runs++;
	ospf_spf_compute(o, &t);
	install(o, &t);
	o->spf_ran = true;
	o->spf_last = ospf_now(o);
	ospf_orig_summaries(o, &t);
	ospf_spf_table_free(&t);
}
