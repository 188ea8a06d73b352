/*
 * test_ospf_prop.c: a property test of the whole protocol. Many random
 * topologies (random interface costs from a small set so that equal-cost
 * paths are common, point-to-point links and segments of 3-4 routers run as
 * broadcast or point-to-multipoint networks (half of these non-broadcast, with
 * configured neighbors), loopbacks; single-area ones and ones with a backbone and two
 * other areas, each behind its own ABR, about half of them NSSAs) are built from YAML, run through the
 * real engine until the network has converged, and every router's OSPF
 * routes in its RIB (prefix, metric, set of next hops) must equal what an
 * independent computation over the topology graph gives.
 *
 * The independent computation is written here, over the graph the test
 * generated (not over LSDBs): Dijkstra per area with equal-cost next-hop sets,
 * broadcast segments as vertices reached at the interface cost and left at
 * cost 0, point-to-multipoint ones as a link between every two of their
 * routers and a host route to each router's address;
 * then the inter-area rule of RFC 2328 (cost to the area's ABR plus the ABR's
 * cost, which for another non-backbone area goes through the backbone to
 * that area's ABR).
 *
 * The single-area topologies then see a series of link failures and repairs,
 * and the routes must follow each time. Throughout, every incremental SPF run
 * (ispf.c) is checked against a full one (ospf_spf_check).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/ip.h"
#include "lib/strbuf.h"
#include "lib/util.h"
#include "net/converge.h"
#include "net/net.h"
#include "net/rib.h"
#include "proto/ospf/ospf.h"
#include "proto/proto.h"
#include "lib/cfg.h"
#include "topo/topo.h"

#include "prop_util.h"

#define MAXR  24
#define MAXL  64
#define MAXE  4

struct end {
	int r;     /* router */
	int ifidx; /* its interface index */
	uint32_t addr;
	int cost;
};

struct lnk {
	int nends;
	struct end e[MAXE];
	int area;
	int plen;
	bool down; /* failed: its interfaces are down, its prefix gone */
	bool p2mp; /* a segment run as point-to-multipoint (no DR, no network vertex) */
	bool nonbcast; /* ... non-broadcast: every router lists the others as neighbors */
};

struct topo_g {
	int nr, nl;
	int area_of[MAXR]; /* non-ABR routers: their area; ABRs: 0 */
	int abr[3];        /* abr[k]: the ABR of area k (k = 1, 2), -1 if none */
	bool nssa[3];      /* area k is an NSSA (the same routes: no external ones here) */
	int nif[MAXR];
	struct lnk l[MAXL];
};

static int
pick_cost(void)
{
	static const int c[] = {1, 1, 2, 3, 5, 10};

	return c[rnd(ARRAY_LEN(c))];
}

static void
add_link(struct topo_g *g, const int *rs, int n, int area)
{
	struct lnk *l = &g->l[g->nl];

	l->nends = n;
	l->area = area;
	l->plen = 24;
	for (int i = 0; i < n; i++) {
		l->e[i].r = rs[i];
		l->e[i].ifidx = g->nif[rs[i]]++;
		l->e[i].addr = (10u << 24) | ((uint32_t)(g->nl + 1) << 8) | (uint32_t)(i + 1);
		l->e[i].cost = pick_cost();
	}
	g->nl++;
}

PROP_DEFINE_LINKED(struct topo_g)

/* A random connected area over routers rs[0..n): a tree plus extra links and a segment. */
static void
gen_area(struct topo_g *g, const int *rs, int n, int area)
{
	for (int i = 1; i < n; i++) {
		int p[2] = {rs[rnd((unsigned)i)], rs[i]};

		add_link(g, p, 2, area);
	}
	for (int x = 0; x < n / 2; x++) {
		int a = rs[rnd((unsigned)n)], b = rs[rnd((unsigned)n)];

		if (a != b && !linked(g, a, b)) {
			int p[2] = {a, b};

			add_link(g, p, 2, area);
		}
	}
	if (n >= 4) {
		int k = 3 + (int)rnd(2), seg[MAXE];

		pick_distinct(seg, k, rs, n);
		add_link(g, seg, k, area);
		g->l[g->nl - 1].p2mp = rnd(2) == 0;
		/* Half of those non-broadcast (no draw of its own: the topologies stay as they were). */
		g->l[g->nl - 1].nonbcast = g->l[g->nl - 1].p2mp && seg[0] % 2 == 0;
	}
}

static void
generate(struct topo_g *g, bool multi)
{
	int rs[MAXR];

	memset(g, 0, sizeof(*g));
	g->abr[1] = g->abr[2] = -1;
	if (!multi) {
		g->nr = 6 + (int)rnd(6);
		for (int i = 0; i < g->nr; i++)
			rs[i] = i;
		gen_area(g, rs, g->nr, 0);
		return;
	}
	/* Backbone 0..nb-1; area k routers after; ABRs are backbone routers 0 and 1. */
	{
		int nb = 4 + (int)rnd(3), n1 = 3 + (int)rnd(3), n2 = 3 + (int)rnd(3), base;

		g->nr = nb + n1 + n2;
		for (int i = 0; i < nb; i++)
			rs[i] = i;
		gen_area(g, rs, nb, 0);
		base = nb;
		for (int k = 1; k <= 2; k++) {
			int n = k == 1 ? n1 : n2, ar[MAXR];

			g->abr[k] = k - 1;
			/* No draw of its own: the topologies stay as they were. */
			g->nssa[k] = (nb + k) % 2 == 0;
			for (int i = 0; i < n; i++) {
				ar[i] = base + i;
				g->area_of[base + i] = k;
			}
			gen_area(g, ar, n, k);
			/* The ABR joins the area by one or two links. */
			for (int x = 0; x < 1 + (int)rnd(2); x++) {
				int p[2] = {g->abr[k], ar[rnd((unsigned)n)]};

				if (!linked(g, p[0], p[1]))
					add_link(g, p, 2, k);
			}
			base += n;
		}
	}
}

static uint32_t
loopback(int r)
{
	return (172u << 24) | (16u << 16) | (uint32_t)(r + 1);
}

static char *
yaml(const struct topo_g *g)
{
	struct strbuf b = STRBUF_INIT;

	sb_printf(&b, "name: prop\ndevices:\n");
	for (int r = 0; r < g->nr; r++) {
		int nk = g->area_of[r] ? g->area_of[r] : r == g->abr[1] ? 1 : r == g->abr[2] ? 2 : 0;

		sb_printf(&b, "  - name: r%d\n    router_id: 10.255.0.%d\n", r, r + 1);
		/* Every router of an NSSA, its ABR included, says so. */
		if (nk > 0 && g->nssa[nk])
			sb_printf(&b, "    ospf: {areas: {%d: {type: nssa}}}\n", nk);
		sb_printf(&b, "    interfaces:\n");
		for (int i = 0; i < g->nif[r]; i++)
			for (int k = 0; k < g->nl; k++)
				for (int e = 0; e < g->l[k].nends; e++) {
					const struct end *x = &g->l[k].e[e];

					if (x->r != r || x->ifidx != i)
						continue;
					sb_printf(
					    &b,
					    "      - {name: eth%d, ip: %s/%d, ospf: {area: %d, "
					    "cost: %d%s",
					    i, ip_str(x->addr), g->l[k].plen, g->l[k].area, x->cost,
					    g->l[k].nends == 2    ? ", network_type: point-to-point"
					    : g->l[k].nonbcast    ? ", network_type: point-to-multipoint "
					                            "non-broadcast, neighbors: ["
					    : g->l[k].p2mp        ? ", network_type: point-to-multipoint"
					                          : "");
					for (int o = 0, first = 1; g->l[k].nonbcast && o < g->l[k].nends; o++)
						if (o != e) {
							sb_printf(&b, "%s%s", first ? "" : ", ",
							          ip_str(g->l[k].e[o].addr));
							first = 0;
						}
					sb_printf(&b, "%s}}\n", g->l[k].nonbcast ? "]" : "");
				}
		sb_printf(&b, "      - {name: lo0, ip: %s/32, ospf: {area: %d}}\n",
		          ip_str(loopback(r)), g->area_of[r]);
	}
	sb_printf(&b, "links:\n");
	for (int k = 0; k < g->nl; k++) {
		sb_printf(&b, "  - endpoints: [");
		for (int e = 0; e < g->l[k].nends; e++)
			sb_printf(&b, "%sr%d:eth%d", e ? ", " : "", g->l[k].e[e].r,
			          g->l[k].e[e].ifidx);
		sb_printf(&b, "]\n");
	}
	return sb_steal(&b);
}

/* --- the independent computation -------------------------------------------------------- */

/* Vertices: routers 0..nr-1, then segment k at nr + k. */
struct spt {
	int dist[MAXR + MAXL];
	struct nhset nh[MAXR + MAXL];
};

/* Shortest paths from root within area; next hops as (gateway, root's interface). */
static void
dijkstra(const struct topo_g *g, int root, int area, struct spt *t)
{
	int nv = g->nr + g->nl;
	bool done[MAXR + MAXL] = {false};

	tree_init(t->dist, t->nh, nv, root);
	for (;;) {
		int u = closest(t->dist, done, nv, g->nr);

		if (u < 0)
			break;
		done[u] = true;
		for (int k = 0; k < g->nl; k++) {
			const struct lnk *l = &g->l[k];

			if (l->area != area || l->down)
				continue;
			if (u < g->nr) {
				int me = -1;

				for (int e = 0; e < l->nends; e++)
					if (l->e[e].r == u)
						me = e;
				if (me < 0)
					continue;
				/*
				 * A point-to-point link, or a point-to-multipoint segment: a
				 * link to every other router on it. A broadcast segment: its
				 * network vertex.
				 */
				if (l->nends == 2 || l->p2mp) {
					for (int e = 0; e < l->nends; e++)
						if (e != me)
							reach(t->dist, t->nh, root, u, l->e[e].r,
							      t->dist[u] + l->e[me].cost, l->e[e].addr,
							      l->e[me].ifidx);
				} else {
					reach(t->dist, t->nh, root, u, g->nr + k,
					      t->dist[u] + l->e[me].cost, 0, l->e[me].ifidx);
				}
			} else if (u == g->nr + k) {
				/* From a segment to its routers, at cost 0. */
				for (int e = 0; e < l->nends; e++)
					if (l->e[e].r != root)
						leave_lan(t->dist, t->nh, done, u, l->e[e].r, l->e[e].addr);
			}
		}
	}
}

struct exp_route {
	struct prefix p;
	int area;
	int cost;
	struct nhset nh;
};

struct exp {
	struct exp_route v[256];
	int n;
};

static void
offer(struct exp *x, struct prefix p, int area, int cost, const struct nhset *nh)
{
	for (int i = 0; i < x->n; i++)
		if (prefix_eq(&x->v[i].p, &p)) {
			if (cost < x->v[i].cost) {
				x->v[i].cost = cost;
				x->v[i].nh = *nh;
				x->v[i].area = area;
			} else if (cost == x->v[i].cost) {
				nh_union(&x->v[i].nh, nh);
			}
			return;
		}
	x->v[x->n].p = p;
	x->v[x->n].area = area;
	x->v[x->n].cost = cost;
	x->v[x->n].nh = *nh;
	x->n++;
}

static bool
in_area(const struct topo_g *g, int r, int area)
{
	if (g->area_of[r] == area)
		return true;
	return area != 0 && g->abr[area] == r;
}

static int
lo_ifidx(const struct topo_g *g, int r)
{
	return g->nif[r]; /* lo0 comes after the links' interfaces */
}

/*
 * A stub prefix p of router r (on r's interface ifidx) at cost beyond r: the
 * root's own is directly connected, the others go by r's next hops.
 */
static void
stub(struct exp *x, const struct spt *t, int root, int r, int ifidx, struct prefix p, int area,
     int cost)
{
	struct nhset h = {0};

	if (t->dist[r] == INF)
		return;
	if (r == root)
		nh_add(&h, 0, ifidx);
	else
		h = t->nh[r];
	offer(x, p, area, t->dist[r] + cost, &h);
}

/* Intra-area routes of root in area (all prefixes of that area). */
static void
intra(const struct topo_g *g, int root, int area, struct exp *x)
{
	struct spt t;

	dijkstra(g, root, area, &t);
	for (int r = 0; r < g->nr; r++)
		if (g->area_of[r] == area)
			stub(x, &t, root, r, lo_ifidx(g, r), (struct prefix){loopback(r), 32}, area, 0);
	for (int k = 0; k < g->nl; k++) {
		const struct lnk *l = &g->l[k];
		struct prefix p = {l->e[0].addr & ip_mask((unsigned)l->plen), (uint8_t)l->plen};

		if (l->area != area || l->down)
			continue;
		/* Point-to-multipoint: no subnet, a host route to each router's address, cost 0. */
		for (int e = 0; l->p2mp && e < l->nends; e++)
			stub(x, &t, root, l->e[e].r, l->e[e].ifidx, (struct prefix){l->e[e].addr, 32},
			     area, 0);
		if (l->p2mp)
			continue;
		if (l->nends > 2) {
			int s = g->nr + k;

			if (t.dist[s] != INF)
				offer(x, p, area, t.dist[s], &t.nh[s]);
			continue;
		}
		for (int e = 0; e < 2; e++)
			stub(x, &t, root, l->e[e].r, l->e[e].ifidx, p, area, l->e[e].cost);
	}
}

static void
expected(const struct topo_g *g, int root, struct exp *x)
{
	int home = g->area_of[root];

	x->n = 0;
	intra(g, root, home, x);
	for (int k = 1; k <= 2; k++)
		if (g->abr[k] == root)
			intra(g, root, k, x);
	if (g->abr[1] < 0)
		return;
	/* Inter-area: through this area's ABR (backbone routers: straight to the other ABR). */
	for (int k = 0; k <= 2; k++) {
		struct exp far = {0};
		struct spt t;
		int via, reach;

		if (in_area(g, root, k))
			continue;
		if (home != 0) {
			/* A router of area `home` reaches everything else through its ABR. */
			struct exp abrtab = {0};

			dijkstra(g, root, home, &t);
			via = g->abr[home];
			if (t.dist[via] == INF)
				continue;
			if (k == 0) {
				intra(g, via, 0, &abrtab);
			} else {
				struct spt tb;

				dijkstra(g, via, 0, &tb);
				reach = tb.dist[g->abr[k]];
				if (reach == INF)
					continue;
				intra(g, g->abr[k], k, &far);
				for (int i = 0; i < far.n; i++)
					offer(&abrtab, far.v[i].p, 0, reach + far.v[i].cost,
					      &far.v[i].nh);
			}
			for (int i = 0; i < abrtab.n; i++)
				offer(x, abrtab.v[i].p, home, t.dist[via] + abrtab.v[i].cost,
				      &t.nh[via]);
		} else {
			/* A backbone router (or another area's ABR): the area's ABR over the
			 * backbone. */
			dijkstra(g, root, 0, &t);
			via = g->abr[k];
			if (t.dist[via] == INF)
				continue;
			intra(g, via, k, &far);
			for (int i = 0; i < far.n; i++)
				offer(x, far.v[i].p, 0, t.dist[via] + far.v[i].cost, &t.nh[via]);
		}
	}
}

/* --- running and comparing --------------------------------------------------------------- */

static int
check(struct network *net, const struct topo_g *g, unsigned seed)
{
	int bad = 0;

	for (int r = 0; r < g->nr; r++) {
		struct node *n = net->nodes[r];
		struct exp x;
		struct rib_entry **v;
		size_t cnt, nospf = 0;

		expected(g, r, &x);
		for (int i = 0; i < x.n; i++) {
			const struct rib_path *p = proto_path(n->rib, rib_lookup_exact(n->rib, &x.v[i].p), "ospf");

			if (p == NULL || p->metric != (uint32_t)x.v[i].cost ||
			    !same_nh(&x.v[i].nh, PNHG(n->rib, p))) {
				print_message("seed %u: r%d %s: expected metric %d via", seed, r,
				              prefix_str(&x.v[i].p), x.v[i].cost);
				for (int k = 0; k < x.v[i].nh.n; k++)
					print_message(" %s/%u", ip_str(x.v[i].nh.v[k].gw),
					              x.v[i].nh.v[k].ifindex);
				print_message(", got metric %u via", p ? p->metric : 0);
				for (int k = 0; p && PNHG(n->rib, p) && k < PNHG(n->rib, p)->n; k++)
					print_message(" %s/%u", ip_str(PNHG(n->rib, p)->nh[k].gw),
					              PNHG(n->rib, p)->nh[k].ifindex);
				print_message("\n");
				bad++;
			}
		}
		/* And nothing else. */
		v = rib_sorted(n->rib, &cnt);
		for (size_t i = 0; i < cnt; i++)
			nospf += proto_path(n->rib, v[i], "ospf") != NULL;
		free(v);
		if (nospf != (size_t)x.n) {
			print_message("seed %u: r%d has %zu OSPF routes, expected %d\n", seed, r,
			              nospf, x.n);
			bad++;
		}
	}
	return bad;
}

/* The checks failed: keep the topology, to reproduce with `netsim run`. */
static void
keep(const char *text, int bad)
{
	if (bad)
		keep_yaml("ospf-prop-failure.yaml", text);
}

/* Segments and areas of each kind the runs went through (the test checks it covered them all). */
static int nsegs_p2mp, nsegs_nonbcast, nareas_nssa;

/* changes: how many link failures and repairs to go through after the first convergence. */
static void
run_one(unsigned seed, bool multi, int changes)
{
	struct topo_g g;
	struct cfg_doc *doc;
	struct topo *t;
	char *text;
	int bad;

	rng_state = seed * 0x9e3779b97f4a7c15ULL + (multi ? 7 : 3);
	generate(&g, multi);
	for (int k = 0; k < g.nl; k++) {
		nsegs_p2mp += g.l[k].p2mp && !g.l[k].nonbcast;
		nsegs_nonbcast += g.l[k].nonbcast;
	}
	nareas_nssa += g.nssa[1] + g.nssa[2];
	text = yaml(&g);
	t = build_converged(text, seed, NULL, &doc);
	bad = check(t->net, &g, seed);
	keep(text, bad);
	assert_int_equal(bad, 0);
	for (int c = 0; c < changes; c++) {
		int k = (int)rnd((unsigned)g.nl);

		g.l[k].down = !g.l[k].down;
		set_link(t->net, k, !g.l[k].down);
		bad = check(t->net, &g, seed);
		if (bad)
			print_message("seed %u: after link %d went %s (change %d)\n", seed, k,
			              g.l[k].down ? "down" : "up", c + 1);
		keep(text, bad);
		assert_int_equal(bad, 0);
	}
	topo_free(t);
	cfg_doc_free(doc);
	free(text);
}

static void
test_single_area(void **state UNUSED)
{
	for (unsigned s = 1; s <= 200; s++)
		run_one(s, false, 0);
	assert_true(nsegs_p2mp > 20 && nsegs_nonbcast > 20);
}

static void
test_multi_area(void **state UNUSED)
{
	for (unsigned s = 1; s <= 120; s++)
		run_one(s, true, 0);
	assert_true(nareas_nssa > 40);
}

static void
test_single_area_failures(void **state UNUSED)
{
	for (unsigned s = 1; s <= 200; s++)
		run_one(s, false, 12);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_single_area),
	    cmocka_unit_test(test_multi_area),
	    cmocka_unit_test(test_single_area_failures),
	};

	proto_init_all();
	ospf_spf_check = true;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
