/*
 * area.c: areas, and what this router says in each: its router-LSA (RFC 2328
 * 12.4.1), network-LSAs for segments where it is DR (12.4.2), summary-LSAs
 * as an area border router (12.4.3, with the backbone rules of 16.2/16.3 and
 * the stub default), and AS-external-LSAs for redistributed routes (12.4.4).
 * The bodies go to originate.c, which decides when to (re)originate.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/util.h"
#include "ospf.h"

const char *
ospf_area_str(uint32_t id)
{
	return ip_str(id);
}

struct ospf_area *
ospf_area_get(struct ospf *o, uint32_t id)
{
	struct ospf_area *a = ospf_area_find(o, id);
	size_t i;

	if (a != NULL)
		return a;
	a = xcalloc(1, sizeof(*a));
	a->o = o;
	a->id = id;
	a->default_cost = 1;
	for (i = 0; i < o->cfg.nareas; i++)
		if (o->cfg.areas[i].id == id) {
			a->stub = o->cfg.areas[i].stub;
			a->nssa = o->cfg.areas[i].nssa;
			a->cfg = &o->cfg.areas[i];
			a->no_summary = o->cfg.areas[i].no_summary;
			a->default_cost = o->cfg.areas[i].default_cost;
			a->ranges = o->cfg.areas[i].ranges;
			a->nranges = o->cfg.areas[i].nranges;
		}
	ospf_lsdb_init(&a->db, o, a);
	grow_array((void **)&o->areas, &o->areacap, o->nareas + 1, sizeof(*o->areas));
	for (i = o->nareas; i > 0 && o->areas[i - 1]->id > id; i--)
		o->areas[i] = o->areas[i - 1];
	o->areas[i] = a;
	o->nareas++;
	return a;
}

void
ospf_area_free(struct ospf_area *a)
{
	ospf_orig_free(&a->db);
	ospf_ispf_free(&a->spt);
	ospf_lsdb_clear(&a->db);
	free(a);
}

static void
add_link(struct strbuf *b, uint16_t *n, uint32_t id, uint32_t data, uint8_t type, uint16_t metric)
{
	sb_put32(b, id);
	sb_put32(b, data);
	sb_put8(b, type);
	sb_put8(b, 0);
	sb_put16(b, metric);
	(*n)++;
}

/* RFC 2328 12.4.1 */
void
ospf_area_router_lsa(struct ospf *o, struct ospf_area *a)
{
	struct strbuf b = STRBUF_INIT;
	uint16_t n = 0;
	uint8_t flags = 0;

	if (!a->active)
		return; /* no interface up in the area: nothing to say (the LSA is flushed) */
	if (ospf_is_abr(o))
		flags |= OSPF_RTR_B;
	if (ospf_is_asbr(o) && !a->stub)
		flags |= OSPF_RTR_E;
	/* RFC 3101 2.1: an NSSA border router that translates unconditionally. */
	if (a->nssa && ospf_is_abr(o) && a->cfg->translate == OSPF_NSSA_ALWAYS)
		flags |= OSPF_RTR_NT;
	sb_put8(&b, flags);
	sb_put8(&b, 0);
	sb_put16(&b, 0); /* the link count, filled in below */
	for (size_t i = 0; i < o->nifs; i++) {
		struct ospf_if *oi = o->ifs[i];
		struct iface *ifp = oi->ifp;
		uint32_t mask = ip_mask(ifp->plen), net = ifp->addr & mask;
		/* RFC 5443 4: a link LDP is not ready on is advertised at the maximum metric. */
		uint16_t link_cost = proto_igp_hold(o->node, ifp) ? OSPF_LINK_MAX_METRIC : oi->cost;

		if (oi->area != a || oi->state == ISM_DOWN)
			continue;
		switch (oi->state) {
		case ISM_LOOPBACK:
			/* 12.4.1.4: a host route to the interface's address. */
			add_link(&b, &n, ifp->addr, 0xffffffffu, OSPF_LINK_STUB, oi->cost);
			break;
		case ISM_P2P:
			/* 12.4.1.1 and .4: a link per Full neighbor... */
			for (size_t k = 0; k < oi->nnbrs; k++)
				if (oi->nbrs[k]->state == NSM_FULL)
					add_link(&b, &n, oi->nbrs[k]->rid, ifp->addr, OSPF_LINK_PTP,
					         link_cost);
			/* ...and the subnet (option 2), or on point-to-multipoint a host route. */
			if (OSPF_IFT_IS_P2MP(oi->type))
				add_link(&b, &n, ifp->addr, 0xffffffffu, OSPF_LINK_STUB, 0);
			else
				add_link(&b, &n, net, mask, OSPF_LINK_STUB, oi->cost);
			break;
		case ISM_WAITING:
			add_link(&b, &n, net, mask, OSPF_LINK_STUB, oi->cost);
			break;
		default: {
			/* 12.4.1.2: transit once fully adjacent to the DR (or DR with a Full
			 * neighbor). */
			struct ospf_nbr *dr = ospf_if_dr_nbr(oi);
			bool transit = (oi->state == ISM_DR && ospf_if_full_count(oi) > 0) ||
			               (dr != NULL && dr->state == NSM_FULL);

			if (transit)
				add_link(&b, &n, oi->dr, ifp->addr, OSPF_LINK_TRANSIT, link_cost);
			else
				add_link(&b, &n, net, mask, OSPF_LINK_STUB, oi->cost);
			break;
		}
		}
	}
	put16((uint8_t *)b.s + 2, n);
	ospf_orig_want(&a->db, OSPF_LSA_ROUTER, o->rid, ospf_options(a), (const uint8_t *)b.s,
	               b.len);
	sb_free(&b);
}

struct att {
	uint32_t addr, rid;
};

static int
att_cmp(const void *a, const void *b)
{
	const struct att *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* RFC 2328 12.4.2: the DR of a segment with at least one Full neighbor describes it. */
void
ospf_area_network_lsas(struct ospf *o, struct ospf_area *a)
{
	for (size_t i = 0; i < o->nifs; i++) {
		struct ospf_if *oi = o->ifs[i];
		struct strbuf b = STRBUF_INIT;

		if (oi->area != a || oi->state != ISM_DR || ospf_if_full_count(oi) == 0)
			continue;
		/* As FRR: this router and its Full neighbors, in order of interface address. */
		sb_put32(&b, ip_mask(oi->ifp->plen));
		{
			struct att *v = xmalloc(sizeof(*v) * (oi->nnbrs + 1));
			size_t n = 0;

			v[n++] = (struct att){oi->ifp->addr, o->rid};
			for (size_t k = 0; k < oi->nnbrs; k++)
				if (oi->nbrs[k]->state == NSM_FULL)
					v[n++] = (struct att){oi->nbrs[k]->addr, oi->nbrs[k]->rid};
			qsort(v, n, sizeof(*v), att_cmp);
			for (size_t k = 0; k < n; k++)
				sb_put32(&b, v[k].rid);
			free(v);
		}
		ospf_orig_want(&a->db, OSPF_LSA_NETWORK, oi->ifp->addr, ospf_options(a),
		               (const uint8_t *)b.s, b.len);
		sb_free(&b);
	}
}

/*
 * RFC 2328 Appendix E: two prefixes with one address (10.0.0.0/8 and
 * 10.0.0.0/16) need distinct Link State IDs: the longer one gets its host bits
 * set. Routes arrive sorted, so the shorter one comes first and keeps the address.
 */
static uint32_t
lsid_for(struct hmap *used, const struct prefix *p)
{
	uint32_t id = p->addr;
	void *v = hmap_get(used, id);

	if (v != NULL && (uintptr_t)v != (uintptr_t)p->len + 1)
		id = p->addr | ~ip_mask(p->len);
	hmap_put(used, id, (void *)((uintptr_t)p->len + 1));
	return id;
}

/* Is an LSA for exactly p wanted already (under either Link State ID of lsid_for)? */
static bool
prefix_taken(struct hmap *used, const struct prefix *p)
{
	void *want = (void *)((uintptr_t)p->len + 1);

	return hmap_get(used, p->addr) == want || hmap_get(used, p->addr | ~ip_mask(p->len)) == want;
}

static void
want_summary(struct ospf_area *a, uint8_t type, uint32_t id, uint32_t mask, uint32_t metric)
{
	uint8_t body[8];

	put32(body, mask);
	body[4] = 0;
	put24(body + 5, MIN(metric, OSPF_LS_INFINITY));
	ospf_orig_want(&a->db, type, id, ospf_options(a), body, sizeof(body));
}

static struct ospf_area *
nh_area(const struct ospf *o, const struct nexthop *nh)
{
	for (size_t i = 0; i < o->nifs; i++)
		if (o->ifs[i]->ifp->idx == nh->ifindex)
			return o->ifs[i]->area;
	return NULL;
}

/* --- area address ranges (RFC 2328 12.4.3) ------------------------------------------------- */

const struct rib_src ospf_discard_src = {"ospf", 110, true};

struct range_state {
	const struct ospf_area *area; /* whose range */
	const struct ospf_range *r;
	bool active;   /* at least one intra-area network of the area falls inside */
	uint32_t cost; /* the largest cost among them */
};

struct ranges {
	struct range_state *v;
	size_t n;
	const struct range_state **of; /* per route of the table: its range, or NULL */
};

static uint32_t
range_cost(const struct range_state *x)
{
	return x->r->has_cost ? x->r->cost : x->cost;
}

/* The range of area a that network p falls inside, the most specific should ranges nest; or NULL. */
static const struct ospf_range *
range_of(const struct ospf_area *a, const struct prefix *p)
{
	const struct ospf_range *best = NULL;

	for (size_t k = 0; k < a->nranges; k++) {
		const struct ospf_range *x = &a->ranges[k];

		if (x->pfx.len <= p->len && prefix_contains(&x->pfx, p->addr) &&
		    (best == NULL || x->pfx.len > best->pfx.len))
			best = x;
	}
	return best;
}

/*
 * RFC 2328 16.2 (3): is p exactly one of this router's area ranges, and is
 * that range active (an intra-area network of its area falls inside it)?
 * Then a summary-LSA for p is another border router's advertisement of the
 * same range and must not be used: with two border routers summarising one
 * range, each would route the range to the other (where its discard route
 * belongs) and packets for its unused addresses would loop between them.
 * Asked during the calculation, once the intra-area routes are all in the
 * table being built (rtable.c).
 */
bool
ospf_area_range_active(const struct ospf *o, const struct prefix *p)
{
	const struct ospf_rt *r;
	uint32_t pid;

	for (size_t ai = 0; ai < o->nareas; ai++) {
		const struct ospf_area *a = o->areas[ai];

		for (size_t k = 0; k < a->nranges; k++) {
			if (!prefix_eq(&a->ranges[k].pfx, p))
				continue;
			for (size_t i = 0; (r = ospf_rt_at(i, &pid)) != NULL; i++) {
				struct prefix q = ospf_pfx_of(pid);

				if (r->ptype == OSPF_PATH_INTRA && r->area == a->id &&
				    r->cost < OSPF_LS_INFINITY && range_of(a, &q) == &a->ranges[k])
					return true;
			}
		}
	}
	return false;
}

/*
 * Which intra-area routes fall inside a range of their own area (the most
 * specific one, should ranges nest), and so which ranges are active and at
 * what cost: RFC 2328 takes the largest component cost (RFC 1583 took the
 * smallest; see its appendix G.1).
 */
static void
ranges_collect(const struct ospf *o, const struct ospf_table *t, struct ranges *rs)
{
	size_t n = 0;

	memset(rs, 0, sizeof(*rs));
	for (size_t ai = 0; ai < o->nareas; ai++)
		n += o->areas[ai]->nranges;
	if (n == 0)
		return; /* most ABRs: nothing to allocate after each SPF run */
	rs->v = xcalloc(n, sizeof(*rs->v));
	for (size_t ai = 0; ai < o->nareas; ai++)
		for (size_t k = 0; k < o->areas[ai]->nranges; k++)
			rs->v[rs->n++] = (struct range_state){o->areas[ai], &o->areas[ai]->ranges[k],
			                                      false, 0};
	rs->of = xcalloc(t->n ? t->n : 1, sizeof(*rs->of));
	for (size_t i = 0; i < t->n; i++) {
		const struct ospf_route *r = &t->r[i];
		const struct ospf_area *a;
		const struct ospf_range *rg;
		struct range_state *best = NULL;

		if (r->ptype != OSPF_PATH_INTRA || r->cost >= OSPF_LS_INFINITY)
			continue;
		if ((a = ospf_area_find(o, r->area)) == NULL || (rg = range_of(a, &r->pfx)) == NULL)
			continue;
		for (size_t k = 0; k < rs->n && best == NULL; k++)
			if (rs->v[k].r == rg)
				best = &rs->v[k];
		best->active = true;
		best->cost = MAX(best->cost, r->cost);
		rs->of[i] = best;
	}
}

/*
 * An ABR that advertises a range routes what the range covers and no network
 * inside it does into a discard route, as FRR and Cisco do ("is a summary,
 * Null0"): without it, a packet for an unused address in the range would
 * follow a default route out and back in, until its TTL ran out. rs NULL:
 * not an ABR (any more), so none.
 */
static void
discard_routes(struct ospf *o, const struct ospf_table *t, const struct ranges *rs)
{
	struct rib *rib = ospf_rib(o);
	size_t n = 0;

	/* The sync visits the whole RIB: not after every SPF of a router without ranges. */
	if ((rs == NULL || rs->n == 0) && o->ndiscard == 0)
		return;
	rib_sync_begin(rib, &ospf_discard_src);
	for (size_t k = 0; rs != NULL && k < rs->n; k++) {
		const struct range_state *x = &rs->v[k];
		struct route d = {.src = &ospf_discard_src, .code = "O", .distance = 110};
		bool routed = false;

		if (!x->active || !x->r->advertise)
			continue;
		for (size_t i = 0; i < t->n && !routed; i++)
			routed = prefix_eq(&t->r[i].pfx, &x->r->pfx);
		if (routed)
			continue; /* a network exactly the range's: its route is the one */
		d.metric = range_cost(x);
		rib_add(rib, &x->r->pfx, &d);
		n++;
	}
	rib_sync_end(rib, &ospf_discard_src);
	o->ndiscard = n;
}

/*
 * 12.4.3: an ASBR-summary for ASBR rid into area a, describing the preferred
 * path to it (16.4.1) only, and so never into the area that path lies in.
 * Paths through an NSSA do not count: an ASBR there speaks in Type-7 LSAs,
 * which reach other areas as Type-5s of the NSSA's translator, itself their
 * advertising router (RFC 3101 3.2), so nobody outside needs a route to it.
 */
static void
asbr_summary(const struct ospf *o, const struct ospf_table *t, struct ospf_area *a, uint32_t rid)
{
	struct nexthop nh[OSPF_MAX_PATHS];
	uint8_t nnh;
	const struct ospf_rroute *rr = ospf_spf_asbr_path(o, t, rid, nh, &nnh);

	if (rr == NULL || rid == o->rid || rr->area == a->id)
		return;
	if (rr->ptype == OSPF_PATH_INTER && a->id == 0)
		return;
	for (int k = 0; k < nnh; k++)
		if (nh_area(o, &nh[k]) == a)
			return; /* split horizon: a path back into a */
	want_summary(a, OSPF_LSA_ASBR_SUMMARY, rid, 0, rr->cost);
}

/* RFC 2328 12.4.3, with 12.4.3.1 for stub areas. */
void
ospf_area_originate_summaries(struct ospf *o, const struct ospf_table *t)
{
	struct ranges rs;

	if (!ospf_is_abr(o)) {
		discard_routes(o, t, NULL);
		return; /* every summary we may still have is flushed by the sweep */
	}
	ranges_collect(o, t, &rs);
	discard_routes(o, t, &rs);
	for (size_t ai = 0; ai < o->nareas; ai++) {
		struct ospf_area *a = o->areas[ai];
		struct hmap used;

		if (!a->active)
			continue;
		hmap_init(&used);
		/* A stub area's default, and a totally stubby NSSA's (RFC 3101 2.7). */
		if (a->stub || (a->nssa && a->no_summary)) {
			struct prefix dflt = {0, 0};

			want_summary(a, OSPF_LSA_SUMMARY, lsid_for(&used, &dflt), 0,
			             a->default_cost);
		}
		for (size_t i = 0; i < t->n && !a->no_summary; i++) {
			const struct ospf_route *r = &t->r[i];
			bool in_a = false;

			if (r->ptype != OSPF_PATH_INTRA && r->ptype != OSPF_PATH_INTER)
				continue;
			/* Intra-area routes of other areas; inter-area ones only into non-backbone
			 * areas. */
			if (r->area == a->id || (r->ptype == OSPF_PATH_INTER && a->id == 0))
				continue;
			if (r->cost >= OSPF_LS_INFINITY)
				continue;
			/* Inside one of its area's ranges: the range speaks for it (below). */
			if (rs.of != NULL && rs.of[i] != NULL)
				continue;
			for (int k = 0; k < r->nnh; k++)
				if (nh_area(o, &r->nh[k]) == a)
					in_a = true;
			if (in_a)
				continue;
			want_summary(a, OSPF_LSA_SUMMARY, lsid_for(&used, &r->pfx),
			             ip_mask(r->pfx.len), r->cost);
		}
		for (size_t k = 0; k < rs.n && !a->no_summary; k++) {
			const struct range_state *x = &rs.v[k];

			if (x->area != a && x->active && x->r->advertise)
				want_summary(a, OSPF_LSA_SUMMARY, lsid_for(&used, &x->r->pfx),
				             ip_mask(x->r->pfx.len), range_cost(x));
		}
		hmap_free(&used);
		if (!ospf_area_ext(a))
			continue; /* no ASBR-summaries into stub areas and NSSAs */
		for (size_t i = 0; i < t->nrr; i++)
			if (i == 0 || t->rr[i].rid != t->rr[i - 1].rid)
				asbr_summary(o, t, a, t->rr[i].rid);
	}
	free(rs.v);
	free(rs.of);
}

static bool
runs_ospf(const struct ospf *o, const struct prefix *p)
{
	for (size_t i = 0; i < o->nifs; i++) {
		struct prefix q = iface_prefix(o->ifs[i]->ifp);

		if (prefix_eq(&q, p))
			return true;
	}
	return false;
}

/* An AS-external-LSA (A.4.5) or Type-7 LSA body for p into db. */
static void
want_ext(struct ospf_lsdb *db, uint8_t type, uint8_t options, struct hmap *used,
         const struct prefix *p, uint32_t metric, bool ebit, uint32_t fwd, uint32_t tag)
{
	uint8_t body[16];

	put32(body, ip_mask(p->len));
	body[4] = ebit ? 0x80 : 0;
	put24(body + 5, metric);
	put32(body + 8, fwd); /* forwarding address: 0 is via this router */
	put32(body + 12, tag);
	ospf_orig_want(db, type, lsid_for(used, p), options, body, sizeof(body));
}

/*
 * Where a redistributed route p goes: an AS-external-LSA when this router has
 * a normal area, and a Type-7 LSA into each NSSA (RFC 3101 2.3; the P-bit
 * asks for translation, and is clear on a border router, which says the
 * Type-5 itself), each scope with its own Link State IDs (E.1).
 */
static void
want_external(struct ospf *o, struct hmap *used, struct hmap *nused, const struct prefix *p,
              uint32_t metric, uint8_t mtype, uint32_t fwd)
{
	bool normal = false, abr = ospf_is_abr(o);

	for (size_t i = 0; i < o->nareas; i++) {
		struct ospf_area *a = o->areas[i];

		normal |= ospf_area_ext(a);
		/* no_redistribution: a border router's routes reach the NSSA as Type-5 translations only. */
		if (a->nssa && a->active && !(abr && a->cfg->no_redistribution))
			want_ext(&a->db, OSPF_LSA_NSSA, abr ? 0 : OSPF_OPT_NP, &nused[i], p, metric,
			         mtype == 2, abr ? 0 : ospf_nssa_fwd(o, a), 0);
	}
	if (normal)
		want_ext(&o->as_db, OSPF_LSA_EXTERNAL, OSPF_OPT_E, used, p, metric, mtype == 2, fwd,
		         0);
}

/*
 * The forwarding address of an AS-external-LSA for a route through path
 * (A.4.5): its next hop when that lies on a network where this router runs
 * OSPF, up and not passive, so that the other routers of that network send
 * straight to it instead of through this router; else 0, "via this router".
 * RFC 2328 allows both; FRR and Cisco do this (FRR also on passive
 * interfaces).
 */
static uint32_t
ext_fwd(const struct ospf *o, const struct rib_path *path)
{
	const struct nhg *g = rib_path_nhg(ospf_rib(o), path);
	uint32_t gw;

	if (g == NULL || g->n == 0 || (gw = g->nh[0].gw) == 0)
		return 0;
	for (size_t i = 0; i < o->nifs; i++) {
		const struct ospf_if *oi = o->ifs[i];
		struct prefix q = iface_prefix(oi->ifp);

		if (oi->state != ISM_DOWN && oi->state != ISM_LOOPBACK && !oi->passive &&
		    oi->ifp->idx == g->nh[0].ifindex && prefix_contains(&q, gw))
			return gw;
	}
	return 0;
}

/*
 * RFC 2328 12.4.4, for `redistribute`: every installed static route, and
 * every connected subnet of an interface that does not run OSPF (as Cisco
 * does; those that run OSPF are intra-area routes already). The default route
 * is not redistributed: `default_information` originates it, with its own
 * metric, while the router has a default route from a source other than OSPF
 * (an OSPF default is someone else's), or always.
 */
void
ospf_area_originate_externals(struct ospf *o)
{
	struct rib_entry **v;
	size_t n;
	struct hmap used, *nused = xcalloc(o->nareas + 1, sizeof(*nused));
	const struct prefix dflt = {0, 0};

	hmap_init(&used);
	for (size_t i = 0; i < o->nareas; i++)
		hmap_init(&nused[i]);
	/* RFC 3101 2.7: an NSSA border router's Type-7 default, P-bit clear (type 2 by default). */
	for (size_t i = 0; i < o->nareas && ospf_is_abr(o); i++) {
		struct ospf_area *a = o->areas[i];

		if (a->nssa && a->active && a->cfg->nssa_default)
			want_ext(&a->db, OSPF_LSA_NSSA, 0, &nused[i], &dflt, a->cfg->nssa_default_metric,
			         !a->cfg->nssa_default_e1, 0, 0);
	}
	v = ospf_is_asbr(o) ? rib_sorted(ospf_rib(o), &n) : NULL;
	if (v != NULL && o->cfg.definfo.on) {
		/* Sorted: a default route comes first. */
		const struct rib_path *best = n > 0 && v[0]->len == 0 ? rib_best(v[0]) : NULL;

		if (o->cfg.definfo.always ||
		    (best != NULL && v[0]->installed && strcmp(rib_path_src(best)->name, "ospf") != 0))
			want_external(o, &used, nused, &dflt, o->cfg.definfo.metric,
			              o->cfg.definfo.mtype, 0);
	}
	for (size_t i = 0; v != NULL && i < n; i++) {
		const struct rib_path *best = rib_best(v[i]);
		struct prefix p = rib_prefix(v[i]);
		const struct redist_rule *rd = redist_rule(&o->cfg.redist, best);

		if (rd == NULL || !v[i]->installed || p.len == 0)
			continue;
		/* Subnets OSPF runs on are intra-area routes already. */
		if (strcmp(rib_path_src(best)->name, "connected") == 0 && runs_ospf(o, &p))
			continue;
		want_external(o, &used, nused, &p, rd->metric, rd->mtype, ext_fwd(o, best));
	}
	free(v);
	/*
	 * RFC 3101 3.2: as the NSSA's translator, an AS-external-LSA for each
	 * Type-7 LSA to translate (nssa.c), unless this router's own route for
	 * the prefix speaks already.
	 */
	for (size_t i = 0; i < o->nxlate; i++) {
		const struct ospf_xlate *x = &o->xlate[i];

		if (!prefix_taken(&used, &x->pfx))
			want_ext(&o->as_db, OSPF_LSA_EXTERNAL, OSPF_OPT_E, &used, &x->pfx, x->metric,
			         x->ebit, x->fwd, x->tag);
	}
	for (size_t i = 0; i < o->nareas; i++)
		hmap_free(&nused[i]);
	free(nused);
	hmap_free(&used);
}
