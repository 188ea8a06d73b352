/*
 * test_isis_prop.c: a property test of the whole IS-IS protocol. Many random
 * topologies are built from YAML, run through the real engine until the
 * network has converged, and every router's IS-IS routes in its RIB (prefix,
 * metric, set of next hops, route code, distance) must equal what an
 * independent computation over the generated graph gives, with no other
 * IS-IS route; then links fail and come back, and the routes must follow
 * each time.
 *
 * Kinds of topology: single-level (all routers level-2, all level-1 in one
 * area, all of the default level-1-2 in one area, a long narrow-metric chain
 * that crosses the 1023 path limit) and two-level (2-4 areas, each with
 * level-1 routers and one or two level-1-2 routers, a level-2 backbone joining
 * the level-1-2 routers of different areas, sometimes with level-2-only
 * routers, some areas left off the backbone, some circuits restricted to one
 * level, L2->L1 leaking of all or of listed prefixes, areas with two NETs that
 * merge with another area). Links are point-to-point circuits or broadcast
 * LANs of 2-4 routers (pseudonodes); metrics come from a small set so that
 * equal-cost paths are common, and differ per direction; narrow and wide
 * metric styles; loopbacks, passive interfaces, routers in overload. Some
 * things that should change no route go through it too: DIS priorities,
 * authentication, LSPs in several fragments.
 *
 * The independent computation is written from ISO 10589, RFC 1195 and RFC
 * 5302 as the topology schema states them, over the generated graph (not
 * over LSDBs): Dijkstra per level (level 1 over level-1 adjacencies, which
 * need a shared area address) with equal-cost next-hop sets, a pseudonode per
 * LAN and level reached at the router's metric and left at 0; a router
 * advertises a circuit's subnet in the levels the circuit runs; a prefix
 * costs the distance to its advertiser plus the advertised metric;
 * level-1-2 routers carry all their level-1 reachability, their own prefixes
 * included, into level 2 (RFC 1195 3.2: "all IP addresses reachable in their
 * area") and, when leaking, their level-2 routes into level 1 with the down
 * bit (RFC 5302 3.3); level-1 beats level-2 beats down-bit level-1; a
 * level-1-only router has a default route to the nearest attached level-1-2
 * routers of its area (ISO 10589 7.2.9.2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/cfg.h"
#include "lib/ip.h"
#include "lib/strbuf.h"
#include "lib/util.h"
#include "net/converge.h"
#include "net/net.h"
#include "net/rib.h"
#include "proto/isis/isis.h"
#include "proto/proto.h"
#include "topo/topo.h"

#include "prop_util.h"

#define MAXR  40
#define MAXL  128
#define MAXV  (MAXR + MAXL * MAXE) /* routers, then up to MAXE pseudonodes per LAN */
#define MAXE  4
#define NBIG  60 /* the extra loopbacks of the router with many prefixes */
#define MAXP  (MAXL + MAXR + NBIG + 1)

#define L1 1
#define L2 2

#define NARROW_IF_MAX   63   /* a narrow interface or prefix metric is 6 bits (RFC 1195) */
#define NARROW_PATH_MAX 1023 /* MaxPathMetric (ISO 10589 7.2.6.2) */

enum kind {
	K_L2,      /* single level: every router level-2, areas mixed */
	K_L1,      /* single level: every router level-1, one area */
	K_DEFLVL,  /* one area, no `level:` keys (level-1-2 everywhere) */
	K_CHAIN,   /* a long chain with narrow metrics near the maximum */
	K_TWO,     /* two levels, several areas */
	NKIND
};

struct rtr {
	int level;     /* L1, L2 or L1 | L2 */
	int area;      /* area number (49.aaaa); 0: a backbone-only area */
	unsigned amask; /* its area addresses: bit a for 49.aaaa (area, sometimes one more) */
	bool leak;     /* leak: {l2_to_l1: all}, or the list below */
	bool leak_list;
	bool leak_sel[MAXL + MAXR]; /* prefix slots (see slot_prefix) in the list */
	int lo_metric; /* the loopback's metric: -1 unset (0) */
	int lsp_mtu;   /* 0: unset */
	bool overload; /* the LSP's overload bit: reached, not passed through */
};

struct end {
	int r;     /* router */
	int ifidx; /* its interface index */
	uint32_t addr;
	int metric;
	int lvl;   /* the interface's `level:`; 0 unset (the router's level) */
	bool passive;
	int prio;  /* LAN priority (DIS election, no effect on routes); -1 unset */
};

struct lnk {
	int nends;
	struct end e[MAXE];
	bool p2p;  /* network_type: point-to-point; else broadcast (a LAN, 2-4 routers) */
	bool down; /* failed: its interfaces are down, its prefix gone */
};

struct topo_g {
	enum kind kind;
	bool narrow;
	bool style_key; /* write metric_style even when wide */
	int auth;       /* every router: 0 none, 1 text, 2 md5 (no effect on routes) */
	int big;        /* a router with NBIG more loopbacks and a 512-octet LSP buffer, or -1 */
	int nr, nl;
	struct rtr r[MAXR];
	int nif[MAXR];
	struct lnk l[MAXL];
};

static int
pick_metric(const struct topo_g *g)
{
	static const int wide[] = {1, 1, 2, 3, 5, 10, 20};
	static const int narrow[] = {1, 2, 3, 5, 10};
	static const int small[] = {1, 1, 2, 3};
	static const int chain[] = {50, 60, 63, 63};

	if (g->kind == K_CHAIN)
		return chain[rnd(ARRAY_LEN(chain))];
	if (g->narrow && g->kind == K_TWO)
		return small[rnd(ARRAY_LEN(small))]; /* keeps inter-level metrics within 6 bits */
	if (g->narrow)
		return narrow[rnd(ARRAY_LEN(narrow))];
	return wide[rnd(ARRAY_LEN(wide))];
}

static struct lnk *
add_link(struct topo_g *g, const int *rs, int n, bool p2p)
{
	struct lnk *l = &g->l[g->nl];

	assert_true(g->nl < MAXL && n <= MAXE);
	memset(l, 0, sizeof(*l));
	l->nends = n;
	l->p2p = p2p;
	for (int i = 0; i < n; i++) {
		l->e[i].r = rs[i];
		l->e[i].ifidx = g->nif[rs[i]]++;
		l->e[i].addr = (10u << 24) | ((uint32_t)(g->nl + 1) << 8) | (uint32_t)(i + 1);
		l->e[i].metric = pick_metric(g);
		l->e[i].prio = -1;
	}
	g->nl++;
	return l;
}

PROP_DEFINE_LINKED(struct topo_g)

/* A two-router circuit: mostly point-to-point, sometimes a LAN of two. */
static struct lnk *
add_pair(struct topo_g *g, int a, int b)
{
	int p[2] = {a, b};

	return add_link(g, p, 2, rnd(4) != 0);
}

/* A LAN of k distinct routers drawn from rs[0..n). */
static struct lnk *
add_lan(struct topo_g *g, const int *rs, int n, int k)
{
	int seg[MAXE];

	pick_distinct(seg, k, rs, n);
	return add_link(g, seg, k, false);
}

/* A random connected graph over routers rs[0..n): a tree, extra circuits, LANs. */
static void
gen_mesh(struct topo_g *g, const int *rs, int n,
         void (*restrict_fn)(struct topo_g *, struct lnk *, bool tree))
{
	int first = g->nl;

	for (int i = 1; i < n; i++)
		add_pair(g, rs[rnd((unsigned)i)], rs[i]);
	for (int x = 0; x < n / 2; x++) {
		int a = rs[rnd((unsigned)n)], b = rs[rnd((unsigned)n)];

		if (a != b && !linked(g, a, b))
			add_pair(g, a, b);
	}
	for (int x = 0; n >= 3 && x < 1 + (int)rnd(2); x++)
		if (rnd(3) != 0)
			add_lan(g, rs, n, 3 + (int)rnd(n >= 4 ? 2 : 1));
	for (int k = first; restrict_fn && k < g->nl; k++)
		restrict_fn(g, &g->l[k], k < first + n - 1);
}

/*
 * Single level: now and then a passive end off the spanning tree (no
 * adjacency, the prefix still advertised).
 */
static void
restrict_single(struct topo_g *g, struct lnk *l, bool tree)
{
	for (int e = 0; e < l->nends; e++) {
		if (!tree && rnd(12) == 0)
			l->e[e].passive = true;
		/* A `level:` equal to the router's own: no effect, but said. */
		if (rnd(6) == 0 && g->kind != K_DEFLVL)
			l->e[e].lvl = g->r[l->e[e].r].level;
	}
}

/*
 * Inside an area: a circuit's level-1-2 ends are sometimes restricted to
 * level 1 (or, off the spanning tree, to level 2 when every end is
 * level-1-2), the same on every end: a one-sided restriction in one area
 * would leave a router with a level-1 route to its own subnet through a
 * neighbor that still advertises it there.
 */
static void
restrict_area(struct topo_g *g, struct lnk *l, bool tree)
{
	bool all12 = true;
	int lvl;

	for (int e = 0; e < l->nends; e++)
		all12 &= g->r[l->e[e].r].level == (L1 | L2);
	switch (rnd(6)) {
	case 0: lvl = L1; break;
	case 1: lvl = all12 && !tree ? L2 : 0; break;
	default: lvl = 0; break;
	}
	for (int e = 0; e < l->nends && lvl; e++)
		if (g->r[l->e[e].r].level == (L1 | L2))
			l->e[e].lvl = lvl;
}

/* Backbone circuits: level-1-2 ends sometimes restricted to level 2 (all of them alike). */
static void
restrict_backbone(struct topo_g *g, struct lnk *l, bool tree UNUSED)
{
	if (rnd(3) != 0)
		return;
	for (int e = 0; e < l->nends; e++)
		if (g->r[l->e[e].r].level == (L1 | L2))
			l->e[e].lvl = L2;
}

static void
generate_graph(struct topo_g *g, enum kind kind)
{
	int rs[MAXR];

	memset(g, 0, sizeof(*g));
	g->kind = kind;
	g->narrow = kind == K_CHAIN || rnd(3) == 0;
	g->style_key = rnd(2) == 0;
	switch (kind) {
	case K_L2:
	case K_L1:
	case K_DEFLVL:
		g->nr = 5 + (int)rnd(7);
		for (int i = 0; i < g->nr; i++) {
			rs[i] = i;
			g->r[i].level = kind == K_L2 ? L2 : kind == K_L1 ? L1 : L1 | L2;
			/* Level 2 ignores areas: mix them. */
			g->r[i].area = kind == K_L2 ? 1 + (int)rnd(3) : 1;
			g->r[i].lo_metric = rnd(5) == 0 ? pick_metric(g) : -1;
		}
		gen_mesh(g, rs, g->nr, restrict_single);
		return;
	case K_CHAIN: {
		int lvl = rnd(2) ? L1 : L2;

		g->nr = 18 + (int)rnd(5);
		for (int i = 0; i < g->nr; i++) {
			g->r[i].level = lvl;
			g->r[i].area = 1;
			g->r[i].lo_metric = -1;
		}
		for (int i = 1; i < g->nr; i++)
			add_pair(g, i - 1, i);
		return;
	}
	case K_TWO:
	case NKIND:
		break;
	}
	/* Two levels: areas 1..na, then level-2-only backbone routers. */
	{
		int na = 2 + (int)rnd(3), nbb = 0, bb[MAXR];

		for (int a = 1; a <= na; a++) {
			int n1 = 2 + (int)rnd(3), n12 = 1 + (int)rnd(2), ar[MAXR], n = n1 + n12;
			bool joined = rnd(7) != 0; /* the others stay off the backbone */
			bool leak = rnd(5) < 2;

			for (int i = 0; i < n; i++) {
				struct rtr *r = &g->r[g->nr];

				ar[i] = g->nr;
				r->area = a;
				r->level = i < n12 ? L1 | L2 : L1;
				r->lo_metric = rnd(6) == 0 ? pick_metric(g) : -1;
				r->leak = i < n12 && leak && (n12 == 1 || rnd(3) != 0);
				if (i < n12 && joined)
					bb[nbb++] = g->nr;
				g->nr++;
			}
			gen_mesh(g, ar, n, restrict_area);
		}
		for (int i = 0, n2 = (int)rnd(4); i < n2; i++) {
			struct rtr *r = &g->r[g->nr];

			r->level = L2;
			/* Usually an area of its own; sometimes one it shares with a level-1-2 router. */
			r->area = rnd(4) == 0 ? 1 + (int)rnd((unsigned)na) : 0;
			r->lo_metric = -1;
			bb[nbb++] = g->nr++;
		}
		if (nbb >= 2)
			gen_mesh(g, bb, nbb, restrict_backbone);
	}
}

/*
 * Area addresses: each router its area's; in a third of the two-level
 * topologies every router of one area (its level-2-only routers too) has a
 * second NET in another area k2, so that a level-1 adjacency between it and a
 * router of k2 (a level-1-2 circuit of the backbone) merges the two areas
 * into one level-1 domain with both addresses. Giving the whole area both
 * addresses keeps "another area" (the attached bit) the same whether it is
 * judged by a router's own addresses or by the domain's.
 *
 * Then things that change no route but go through other code: DIS priorities
 * (ISO 10589 8.4.5: 0 is a priority like any other), authentication, small
 * LSP buffers (more fragments), and leaking of listed prefixes only.
 */
static void
generate(struct topo_g *g, enum kind kind)
{
	static const int prio[] = {0, 1, 63, 64, 100, 127};

	generate_graph(g, kind);
	g->big = -1;
	for (int r = 0; r < g->nr; r++)
		g->r[r].amask = 1u << g->r[r].area;
	if (kind == K_TWO && rnd(3) == 0) {
		int na = 0, k, k2;

		for (int r = 0; r < g->nr; r++)
			na = MAX(na, g->r[r].area);
		k = 1 + (int)rnd((unsigned)na);
		k2 = 1 + (int)rnd((unsigned)na - 1);
		k2 += k2 >= k;
		for (int r = 0; r < g->nr; r++)
			if (g->r[r].area == k)
				g->r[r].amask |= 1u << k2;
	}
	g->auth = rnd(5) == 0 ? 1 + (int)rnd(2) : 0;
	/*
	 * Now and then one router in overload, not a level-1-2 one (whether it
	 * still sets the attached bit is not for this test to decide).
	 */
	if (rnd(6) == 0) {
		int r = (int)rnd((unsigned)g->nr);

		g->r[r].overload = g->r[r].level != (L1 | L2) && kind != K_CHAIN;
	}
	for (int k = 0; k < g->nl; k++)
		for (int e = 0; e < g->l[k].nends && !g->l[k].p2p; e++)
			if (rnd(3) == 0)
				g->l[k].e[e].prio = prio[rnd(ARRAY_LEN(prio))];
	/* A router with more prefixes than a 512-octet LSP holds: several fragments. */
	if (rnd(4) == 0 && kind != K_CHAIN) {
		g->big = (int)rnd((unsigned)g->nr);
		g->r[g->big].lsp_mtu = 512;
	}
	for (int r = 0; r < g->nr; r++) {
		struct rtr *x = &g->r[r];

		if (rnd(6) == 0 && r != g->big)
			x->lsp_mtu = rnd(2) ? 512 : 600;
		if (!x->leak || rnd(3) != 0)
			continue;
		x->leak_list = true;
		for (int k = 0; k < g->nl; k++)
			x->leak_sel[k] = rnd(3) == 0;
		for (int o = 0; o < g->nr; o++)
			x->leak_sel[MAXL + o] = rnd(3) == 0;
		x->leak_sel[MAXL] = true; /* never an empty list */
	}
}

static uint32_t
loopback(int r)
{
	return (172u << 24) | (16u << 16) | (uint32_t)(r + 1);
}

/*
 * Prefixes by slot, so that the model's tables are arrays: link k's subnet
 * (10.0.k+1.0/24) at k, router r's loopback at MAXL + r, the big router's
 * extra loopbacks (172.17.0.i+1/32) from MAXL + MAXR, the default route last.
 */
#define SLOT_DEFAULT (MAXP - 1)

static struct prefix
link_prefix(int k)
{
	return (struct prefix){(10u << 24) | ((uint32_t)(k + 1) << 8), 24};
}

static struct prefix
slot_prefix(int s)
{
	if (s < MAXL)
		return link_prefix(s);
	if (s < MAXL + MAXR)
		return (struct prefix){loopback(s - MAXL), 32};
	if (s < MAXL + MAXR + NBIG)
		return (struct prefix){(172u << 24) | (17u << 16) | (uint32_t)(s - MAXL - MAXR + 1), 32};
	return (struct prefix){0, 0};
}

/* The big router's extra loopback i: metric 0 (unset) for a third, else 1 or 2. */
static int
big_metric(int i)
{
	return i % 3;
}

static const char *
lvl_name(int lvl)
{
	return lvl == L1 ? "l1" : lvl == L2 ? "l2" : "l1l2";
}

static char *
yaml(const struct topo_g *g)
{
	struct strbuf b = STRBUF_INIT;

	sb_printf(&b, "name: isis-prop\ndevices:\n");
	for (int r = 0; r < g->nr; r++) {
		const struct rtr *x = &g->r[r];

		/* One NET as a string, several as a list (the router's own area first). */
		sb_printf(&b, "  - name: r%d\n    isis: {net: %s\"49.%04d.0000.0000.%04x.00\"", r,
		          x->amask == 1u << x->area ? "" : "[", x->area, r + 1);
		for (int a = 0; a < 32; a++)
			if (a != x->area && x->amask & 1u << a)
				sb_printf(&b, ", \"49.%04d.0000.0000.%04x.00\"", a, r + 1);
		sb_printf(&b, "%s", x->amask == 1u << x->area ? "" : "]");
		if (g->kind != K_DEFLVL)
			sb_printf(&b, ", level: %s", lvl_name(x->level));
		if (g->narrow || g->style_key)
			sb_printf(&b, ", metric_style: %s", g->narrow ? "narrow" : "wide");
		if (x->leak && !x->leak_list)
			sb_printf(&b, ", leak: {l2_to_l1: all}");
		if (x->leak_list) {
			const char *sep = "";

			sb_printf(&b, ", leak: {l2_to_l1: [");
			for (int k = 0; k < g->nl; k++)
				if (x->leak_sel[k]) {
					sb_printf(&b, "%s%s/24", sep, ip_str(g->l[k].e[0].addr & ip_mask(24)));
					sep = ", ";
				}
			for (int o = 0; o < g->nr; o++)
				if (x->leak_sel[MAXL + o]) {
					sb_printf(&b, "%s%s/32", sep, ip_str(loopback(o)));
					sep = ", ";
				}
			sb_printf(&b, "]}");
		}
		if (x->lsp_mtu)
			sb_printf(&b, ", lsp_mtu: %d", x->lsp_mtu);
		if (x->overload)
			sb_printf(&b, ", overload: true");
		if (g->auth)
			sb_printf(&b, ", auth: {type: %s, key: prop%d}", g->auth == 1 ? "text" : "md5",
			          g->auth);
		sb_printf(&b, "}\n    interfaces:\n");
		for (int i = 0; i < g->nif[r]; i++)
			for (int k = 0; k < g->nl; k++)
				for (int e = 0; e < g->l[k].nends; e++) {
					const struct end *o = &g->l[k].e[e];

					if (o->r != r || o->ifidx != i)
						continue;
					sb_printf(&b, "      - {name: eth%d, ip: %s/24, isis: {metric: %d", i,
					          ip_str(o->addr), o->metric);
					if (g->l[k].p2p)
						sb_printf(&b, ", network_type: point-to-point");
					if (o->lvl)
						sb_printf(&b, ", level: %s", lvl_name(o->lvl));
					if (o->passive)
						sb_printf(&b, ", passive: true");
					if (o->prio >= 0)
						sb_printf(&b, ", priority: %d", o->prio);
					sb_printf(&b, "}}\n");
				}
		sb_printf(&b, "      - {name: lo0, ip: %s/32, isis: {", ip_str(loopback(r)));
		if (x->lo_metric >= 0)
			sb_printf(&b, "metric: %d", x->lo_metric);
		sb_printf(&b, "}}\n");
		for (int i = 0; r == g->big && i < NBIG; i++) {
			struct prefix p = slot_prefix(MAXL + MAXR + i);

			sb_printf(&b, "      - {name: lo%d, ip: %s/32, isis: {", i + 1, ip_str(p.addr));
			if (big_metric(i))
				sb_printf(&b, "metric: %d", big_metric(i));
			sb_printf(&b, "}}\n");
		}
	}
	sb_printf(&b, "links:\n");
	for (int k = 0; k < g->nl; k++) {
		sb_printf(&b, "  - endpoints: [");
		for (int e = 0; e < g->l[k].nends; e++)
			sb_printf(&b, "%sr%d:eth%d", e ? ", " : "", g->l[k].e[e].r, g->l[k].e[e].ifidx);
		sb_printf(&b, "]\n");
	}
	return sb_steal(&b);
}

/* --- the independent computation -------------------------------------------------------- */

/* The levels an end runs: its interface's `level:` within its router's (ISO 10589 circuit type). */
static int
eff_level(const struct topo_g *g, const struct end *e)
{
	int r = g->r[e->r].level;

	return (e->lvl ? e->lvl : r) & r;
}

/* An end forms adjacencies at level lvl: it runs the level and is not passive. */
static bool
runs(const struct topo_g *g, const struct end *e, int lvl)
{
	return !e->passive && (eff_level(g, e) & lvl);
}

/* Two routers can be level-1 neighbors: they share an area address. */
static bool
shares(const struct topo_g *g, int a, int b)
{
	return (g->r[a].amask & g->r[b].amask) != 0;
}

/* Two ends of a link are neighbors at level lvl (level 2 takes any areas). */
static bool
adjacent(const struct topo_g *g, const struct end *a, const struct end *b, int lvl)
{
	return runs(g, a, lvl) && runs(g, b, lvl) && (lvl == L2 || shares(g, a->r, b->r));
}

/*
 * The pseudonode that end e of LAN k joins at level lvl. At level 1 the
 * routers of a LAN that share no area address elect a DIS each among those
 * they are adjacent to: the pseudonode is numbered after the first end
 * adjacent to e (the generator makes those groups cliques; model() checks).
 */
static int
pn_of(const struct topo_g *g, int k, int e, int lvl)
{
	const struct lnk *l = &g->l[k];
	int j = 0;

	while (j != e && !adjacent(g, &l->e[j], &l->e[e], lvl))
		j++;
	return g->nr + k * MAXE + j;
}

/* Vertices: routers 0..nr-1, then the pseudonodes of LAN k from nr + k * MAXE. */
struct spt {
	int dist[MAXV];
	struct nhset nh[MAXV];
};

/* prop_util.h's reach(), within MaxPathMetric for narrow metrics (ISO 10589 7.2.6.2). */
static void
reach_lvl(const struct topo_g *g, struct spt *t, int root, int u, int v, int d, uint32_t gw,
          int ifidx)
{
	if (!g->narrow || d <= NARROW_PATH_MAX)
		reach(t->dist, t->nh, root, u, v, d, gw, ifidx);
}

/* Shortest paths from root at level lvl (level 1: over level-1 adjacencies, its area). */
static void
spf(const struct topo_g *g, int root, int lvl, struct spt *t)
{
	int nv = g->nr + g->nl * MAXE;
	bool done[MAXV] = {false};

	tree_init(t->dist, t->nh, nv, root);
	for (;;) {
		int u = closest(t->dist, done, nv, g->nr);

		if (u < 0)
			break;
		done[u] = true;
		/* ISO 10589 7.2.8.1: an overloaded router is a leaf (the root still uses its links). */
		if (u < g->nr && u != root && g->r[u].overload)
			continue;
		for (int k = 0; k < g->nl; k++) {
			const struct lnk *l = &g->l[k];

			if (l->down)
				continue;
			if (u < g->nr) {
				int me = -1;

				for (int e = 0; e < l->nends; e++)
					if (l->e[e].r == u && runs(g, &l->e[e], lvl))
						me = e;
				if (me < 0)
					continue;
				if (l->p2p) {
					const struct end *o = &l->e[1 - me];

					if (adjacent(g, &l->e[me], o, lvl))
						reach_lvl(g, t, root, u, o->r, t->dist[u] + l->e[me].metric,
						          o->addr, l->e[me].ifidx);
				} else {
					reach_lvl(g, t, root, u, pn_of(g, k, me, lvl),
					          t->dist[u] + l->e[me].metric, 0, l->e[me].ifidx);
				}
			} else if ((u - g->nr) / MAXE == k) {
				/* From a pseudonode to its routers, at cost 0. */
				for (int e = 0; e < l->nends; e++) {
					const struct end *o = &l->e[e];

					if (o->r != root && runs(g, o, lvl) && pn_of(g, k, e, lvl) == u)
						leave_lan(t->dist, t->nh, done, u, o->r, o->addr);
				}
			}
		}
	}
}

/* What one LSP carries: a metric per prefix slot, -1 where absent. */
struct advs {
	int m[MAXP];
};

static void
adv_clear(struct advs *a)
{
	for (int s = 0; s < MAXP; s++)
		a->m[s] = -1;
}

/* Add a prefix; known twice, the smaller metric stays. */
static void
adv_add(struct advs *a, int slot, int metric)
{
	if (a->m[slot] < 0 || metric < a->m[slot])
		a->m[slot] = metric;
}

/*
 * The prefixes router r advertises itself at level lvl, when it runs the
 * level: the subnet of each of its IS-IS interfaces (passive ones too) that is
 * up, at the interface metric, whatever the circuit type (which limits
 * adjacencies, not what the router reaches: as IOS, and as RFC 1195 3.2 needs
 * for a level 1-2 router's level 1 circuits to be reached from other areas);
 * its loopback at 0 unless a metric is given.
 */
static void
own_adv(const struct topo_g *g, int r, int lvl, struct advs *a)
{
	for (int k = 0; k < g->nl; k++)
		for (int e = 0; e < g->l[k].nends && !g->l[k].down; e++)
			if (g->l[k].e[e].r == r && (g->r[r].level & lvl))
				adv_add(a, k, g->l[k].e[e].metric);
	if (g->r[r].level & lvl)
		adv_add(a, MAXL + r, g->r[r].lo_metric < 0 ? 0 : g->r[r].lo_metric);
	for (int i = 0; r == g->big && g->r[r].level & lvl && i < NBIG; i++)
		adv_add(a, MAXL + MAXR + i, big_metric(i));
}

/* A candidate route: the best cost so far, whether the router itself is among the best. */
struct cand {
	int cost;
	bool self;
	struct nhset nh;
};

struct ctab {
	bool has[MAXP];
	struct cand v[MAXP];
};

static void
cand_offer(struct ctab *t, int slot, int cost, bool self, const struct nhset *nh)
{
	struct cand *c = &t->v[slot];

	if (!t->has[slot] || cost < c->cost) {
		t->has[slot] = true;
		c->cost = cost;
		c->self = self;
		c->nh = *nh;
	} else if (cost == c->cost) {
		c->self |= self;
		nh_union(&c->nh, nh);
	}
}

/*
 * Candidates at a level from every advertiser reached by root's tree t: the
 * advertiser's distance plus the advertised metric.
 */
static void
collect(const struct topo_g *g, int root, const struct spt *t, const struct advs *by, int lvl,
        struct ctab *out)
{
	for (int a = 0; a < g->nr; a++) {
		if (t->dist[a] == INF || !(g->r[a].level & lvl))
			continue;
		for (int s = 0; s < MAXP; s++) {
			int cost = t->dist[a] + by[a].m[s];

			if (by[a].m[s] < 0 || (g->narrow && cost > NARROW_PATH_MAX))
				continue;
			cand_offer(out, s, cost, a == root, &t->nh[a]);
		}
	}
}

/* The model's state for the whole network. */
static struct model {
	struct spt s1[MAXR], s2[MAXR];
	struct advs a1[MAXR];   /* level-1 LSPs: own prefixes */
	struct advs a2[MAXR];   /* level-2 LSPs: own prefixes and level-1 reachability */
	struct advs leak[MAXR]; /* down-bit prefixes in level-1 LSPs */
	struct advs own[MAXR];  /* the router's own prefixes, either level */
	struct ctab up[MAXR], l2[MAXR], down[MAXR];
	bool att[MAXR];
} M;

static void
model(const struct topo_g *g)
{
	int n = g->nr;

	for (int r = 0; r < n; r++) {
		adv_clear(&M.a1[r]);
		adv_clear(&M.a2[r]);
		adv_clear(&M.leak[r]);
		adv_clear(&M.own[r]);
		memset(M.up[r].has, 0, sizeof(M.up[r].has));
		memset(M.l2[r].has, 0, sizeof(M.l2[r].has));
		memset(M.down[r].has, 0, sizeof(M.down[r].has));
		M.att[r] = false;
		own_adv(g, r, L1, &M.a1[r]);
		own_adv(g, r, L2, &M.a2[r]);
		own_adv(g, r, L1 | L2, &M.own[r]);
	}
	/* Each level-1 pseudonode's routers are all neighbors of one another (see pn_of). */
	for (int k = 0; k < g->nl; k++)
		for (int a = 0; !g->l[k].p2p && a < g->l[k].nends; a++)
			for (int b = 0; b < g->l[k].nends; b++)
				if (runs(g, &g->l[k].e[a], L1) && runs(g, &g->l[k].e[b], L1))
					assert_true(adjacent(g, &g->l[k].e[a], &g->l[k].e[b], L1) ==
					            (pn_of(g, k, a, L1) == pn_of(g, k, b, L1)));
	/* Level 1, without the down bit. */
	for (int r = 0; r < n; r++)
		if (g->r[r].level & L1) {
			spf(g, r, L1, &M.s1[r]);
			collect(g, r, &M.s1[r], M.a1, L1, &M.up[r]);
		}
	/*
	 * RFC 1195 3.2: a level-1-2 router lists in its level-2 LSP every address
	 * reachable in its area (its own level-1 prefixes included), at the
	 * level-1 cost. Down-bit prefixes are not in M.up: never sent back up.
	 */
	for (int r = 0; r < n; r++)
		for (int s = 0; g->r[r].level == (L1 | L2) && s < MAXP; s++)
			if (M.up[r].has[s]) {
				if (g->narrow)
					assert_true(M.up[r].v[s].cost <= NARROW_IF_MAX);
				adv_add(&M.a2[r], s, M.up[r].v[s].cost);
			}
	for (int r = 0; r < n; r++)
		if (g->r[r].level & L2) {
			spf(g, r, L2, &M.s2[r]);
			collect(g, r, &M.s2[r], M.a2, L2, &M.l2[r]);
			/* ISO 10589 7.2.9.2: attached when level 2 reaches another area. */
			for (int b = 0; g->r[r].level & L1 && b < n; b++)
				M.att[r] |= M.s2[r].dist[b] != INF && !shares(g, b, r);
		}
	/*
	 * RFC 5302 3.3: a leaking level-1-2 router puts the level-2 routes it
	 * installed (no level-1 candidate, not its own prefix; with a list, only
	 * the listed ones) in its level-1 LSP with the down bit, at the level-2 cost.
	 */
	for (int r = 0; r < n; r++)
		for (int s = 0; g->r[r].leak && s < MAXP; s++) {
			const struct cand *c = &M.l2[r].v[s];

			if (!M.l2[r].has[s] || c->self || M.up[r].has[s] || M.own[r].m[s] >= 0)
				continue;
			if (g->r[r].leak_list && (s >= MAXL + MAXR || !g->r[r].leak_sel[s]))
				continue;
			if (g->narrow)
				assert_true(c->cost <= NARROW_IF_MAX);
			adv_add(&M.leak[r], s, c->cost);
		}
	for (int r = 0; r < n; r++)
		if (g->r[r].level & L1)
			collect(g, r, &M.s1[r], M.leak, L1, &M.down[r]);
}

struct exp_route {
	struct prefix p;
	int cost;
	const char *code;
	struct nhset nh;
};

struct exp {
	int n;
	struct exp_route v[MAXP];
};

static void
exp_add(struct exp *x, int slot, const struct cand *c, const char *code)
{
	if (c->self)
		return; /* the router's own prefix: no IS-IS route */
	x->v[x->n++] = (struct exp_route){slot_prefix(slot), c->cost, code, c->nh};
}

/* Root's IS-IS routes, after the model ran: RFC 5302 3.3's order of preference. */
static void
expected(const struct topo_g *g, int root, struct exp *x)
{
	const struct ctab *all[3] = {&M.up[root], &M.l2[root], &M.down[root]};
	static const char *codes[3] = {"i L1", "i L2", "i ia"};

	x->n = 0;
	for (int s = 0; s < MAXP; s++)
		for (int t = 0; t < 3; t++)
			if (all[t]->has[s]) {
				exp_add(x, s, &all[t]->v[s], codes[t]);
				break;
			}
	/* A level-1-only router: the default route to the nearest attached routers of its area. */
	if (g->r[root].level == L1) {
		struct cand d = {.cost = INF};

		for (int a = 0; a < g->nr; a++) {
			int dist = M.s1[root].dist[a];

			if (!M.att[a] || dist == INF || a == root || dist > d.cost)
				continue;
			if (dist < d.cost) {
				d.cost = dist;
				d.nh.n = 0;
			}
			nh_union(&d.nh, &M.s1[root].nh[a]);
		}
		if (d.cost != INF)
			exp_add(x, SLOT_DEFAULT, &d, "i L1");
	}
}

/* --- running and comparing --------------------------------------------------------------- */

/*
 * Mismatches: the first SAY_LINES of a topology are printed (one broken rule
 * fails hundreds of routes), then only their number.
 */
#define SAY_LINES 12

static int say_left;

/* Topologies whose routes were wrong, and how many of them get their mismatches printed. */
static int nfailed, verbose_left = 3;

static void __attribute__((format(printf, 1, 2)))
say(const char *fmt, ...)
{
	va_list ap;

	if (say_left <= 0)
		return;
	va_start(ap, fmt);
	vprint_message(fmt, ap);
	va_end(ap);
	if (strchr(fmt, '\n'))
		say_left--;
}

static void
print_nh(const char *what, const struct nexthop *v, int n)
{
	say(" %s", what);
	for (int k = 0; k < n; k++)
		say(" %s/eth%u", ip_str(v[k].gw), v[k].ifindex);
}

static int
check(struct network *net, const struct topo_g *g, unsigned seed)
{
	int bad = 0;

	say_left = verbose_left > 0 ? SAY_LINES : 0;
	model(g);
	for (int r = 0; r < g->nr; r++) {
		struct node *n = net->nodes[r];
		struct exp x;
		struct rib_entry **v;
		size_t cnt, nisis = 0;

		expected(g, r, &x);
		for (int i = 0; i < x.n; i++) {
			const struct exp_route *w = &x.v[i];
			const struct rib_path *p = proto_path(n->rib, rib_lookup_exact(n->rib, &w->p), "isis");

			if (p && p->metric == (uint32_t)w->cost && same_nh(&w->nh, PNHG(n->rib, p)) &&
			    p->distance == 115 && strcmp(rib_path_code(p), w->code) == 0)
				continue;
			say("seed %u: r%d %s: expected \"%s\" metric %d", seed, r,
			              prefix_str(&w->p), w->code, w->cost);
			print_nh("via", w->nh.v, w->nh.n);
			if (p == NULL) {
				say(", got no IS-IS route\n");
			} else {
				say(", got \"%s\" metric %u distance %u", rib_path_code(p),
				              p->metric, p->distance);
				print_nh("via", PNHG(n->rib, p) ? PNHG(n->rib, p)->nh : NULL, PNHG(n->rib, p) ? PNHG(n->rib, p)->n : 0);
				say("\n");
			}
			bad++;
		}
		/* And no other IS-IS route. */
		v = rib_sorted(n->rib, &cnt);
		for (size_t i = 0; i < cnt; i++) {
			const struct rib_path *p = proto_path(n->rib, v[i], "isis");
			struct prefix pf = rib_prefix(v[i]);
			bool known = false;

			if (p == NULL)
				continue;
			nisis++;
			for (int k = 0; k < x.n; k++)
				known |= prefix_eq(&x.v[k].p, &pf);
			if (!known) {
				say("seed %u: r%d %s: unexpected \"%s\" metric %u", seed, r,
				              prefix_str(&pf), rib_path_code(p), p->metric);
				print_nh("via", PNHG(n->rib, p) ? PNHG(n->rib, p)->nh : NULL, PNHG(n->rib, p) ? PNHG(n->rib, p)->n : 0);
				say("\n");
				bad++;
			}
		}
		free(v);
		if (nisis != (size_t)x.n && bad == 0) {
			say("seed %u: r%d has %zu IS-IS routes, expected %d\n", seed, r, nisis,
			              x.n);
			bad++;
		}
	}
	if (bad && say_left <= 0)
		print_message("seed %u: %d mismatches in all\n", seed, bad);
	return bad;
}

/* What the runs went through (the test checks that they covered every kind). */
static struct {
	int topos[NKIND];
	int lans, p2p, narrow, leaking, leak_lists, restricted, passive, auth, small_lsps, prio0;
	int overload, big;
	int routes_l1, routes_l2, routes_ia, defaults, cut_1023, no_att, multi_net, merged;
} seen;

/*
 * The model's own sanity, on the connected network as generated (no router
 * in overload): every router reaches (or owns) each loopback of its own
 * level-1 area, and in single-level level-2 topologies every loopback. Also
 * counts what the topology exercised.
 */
static void
self_check(const struct topo_g *g, unsigned seed)
{
	bool overload = false;

	for (int r = 0; r < g->nr; r++)
		overload |= g->r[r].overload;
	for (int r = 0; r < g->nr; r++) {
		struct exp x;

		expected(g, r, &x);
		for (int a = 0; a < g->nr && g->kind != K_CHAIN && !overload; a++) {
			struct prefix lo = {loopback(a), 32};
			bool same = g->kind == K_L2 || (g->r[a].level & g->r[r].level & L1 &&
			                                g->r[a].area == g->r[r].area);
			bool found = a == r;

			for (int i = 0; i < x.n; i++)
				found |= prefix_eq(&x.v[i].p, &lo);
			if (same && !found)
				fail_msg("model, seed %u: r%d does not reach r%d's loopback", seed, r, a);
		}
		for (int i = 0; i < x.n; i++) {
			const char *c = x.v[i].code;

			if (x.v[i].p.len == 0)
				seen.defaults++;
			else if (strcmp(c, "i L1") == 0)
				seen.routes_l1++;
			else if (strcmp(c, "i L2") == 0)
				seen.routes_l2++;
			else
				seen.routes_ia++;
		}
		if (g->kind == K_CHAIN) {
			int lo = 0;

			for (int i = 0; i < x.n; i++)
				lo += x.v[i].p.len == 32;
			seen.cut_1023 += lo < g->nr - 1;
		}
		if (g->r[r].level == (L1 | L2) && g->kind == K_TWO && !M.att[r])
			seen.no_att++;
		/* A level-1 router that reaches one of another area: merged areas. */
		for (int a = 0; g->r[r].level == L1 && a < g->nr; a++)
			if (g->r[a].area != g->r[r].area && M.s1[r].dist[a] != INF) {
				seen.merged++;
				break;
			}
	}
}

static void
count(const struct topo_g *g)
{
	seen.topos[g->kind]++;
	seen.narrow += g->narrow;
	seen.auth += g->auth != 0;
	for (int r = 0; r < g->nr; r++) {
		seen.leaking += g->r[r].leak;
		seen.leak_lists += g->r[r].leak_list;
		seen.small_lsps += g->r[r].lsp_mtu != 0;
		seen.overload += g->r[r].overload;
		seen.big += r == g->big;
		seen.multi_net += g->r[r].amask != 1u << g->r[r].area;
	}
	for (int k = 0; k < g->nl; k++) {
		seen.lans += !g->l[k].p2p;
		seen.p2p += g->l[k].p2p;
		for (int e = 0; e < g->l[k].nends; e++) {
			seen.restricted += g->l[k].e[e].lvl && g->l[k].e[e].lvl != g->r[g->l[k].e[e].r].level;
			seen.passive += g->l[k].e[e].passive;
			seen.prio0 += g->l[k].e[e].prio == 0;
		}
	}
}

static const char *const kind_name[NKIND] = {"l2", "l1", "l1l2", "chain", "two-level"};

/*
 * One topology: built, converged and checked, then `changes` link failures
 * and repairs, checked after each. Stops at the first wrong check; the
 * topology is then counted in nfailed and kept in a file.
 */
static void
run_one(unsigned seed, enum kind kind, int changes)
{
	struct topo_g g;
	struct cfg_doc *doc;
	struct topo *t;
	char *text;
	char name[64];
	int bad;

	rng_state = seed * 0x9e3779b97f4a7c15ULL + (uint64_t)kind * 7919 + 5;
	generate(&g, kind);
	count(&g);
	model(&g);
	self_check(&g, seed);
	text = yaml(&g);
	snprintf(name, sizeof(name), "isis-prop-failure-%s-%u.yaml", kind_name[kind], seed);
	t = build_converged(text, seed, name, &doc);
	bad = check(t->net, &g, seed);
	for (int c = 0; c < changes && bad == 0; c++) {
		int k = (int)rnd((unsigned)g.nl);

		g.l[k].down = !g.l[k].down;
		set_link(t->net, k, !g.l[k].down);
		bad = check(t->net, &g, seed);
		if (bad) {
			struct prefix lp = link_prefix(k);

			print_message("seed %u: after link %d (%s) went %s (change %d)\n", seed, k,
			              prefix_str(&lp), g.l[k].down ? "down" : "up", c + 1);
		}
	}
	if (bad && verbose_left > 0)
		keep_yaml(name, text);
	if (bad) {
		nfailed++;
		verbose_left--;
	}
	topo_free(t);
	cfg_doc_free(doc);
	free(text);
}

static void
test_single_level(void **state UNUSED)
{
	for (unsigned s = 1; s <= 80; s++) {
		run_one(s, K_L2, 6);
		run_one(s, K_L1, 6);
		if (s % 2)
			run_one(s, K_DEFLVL, 6);
	}
	for (unsigned s = 1; s <= 16; s++)
		run_one(s, K_CHAIN, 4);
	assert_true(seen.cut_1023 > 5);
	assert_int_equal(nfailed, 0);
}

static void
test_two_level(void **state UNUSED)
{
	nfailed = 0;
	verbose_left = 3;
	for (unsigned s = 1; s <= 200; s++)
		run_one(s, K_TWO, 6);
	assert_int_equal(nfailed, 0);
}

/* Last: what all the runs went through. */
static void
test_coverage(void **state UNUSED)
{
	int total = 0;

	for (int k = 0; k < NKIND; k++) {
		total += seen.topos[k];
		assert_true(seen.topos[k] >= 10);
	}
	print_message("%d topologies; %d LANs, %d p2p, %d narrow, %d leaking (%d with a list), "
	              "%d restricted, %d passive, %d priority 0, %d with auth, %d small LSP buffers; "
	              "%d with two NETs, %d overloaded, %d with %d more loopbacks; routes: %d L1, %d L2, %d ia, %d default; %d cut at 1023, "
	              "%d unattached, %d level-1 routers in merged areas\n",
	              total, seen.lans, seen.p2p, seen.narrow, seen.leaking, seen.leak_lists,
	              seen.restricted, seen.passive, seen.prio0, seen.auth, seen.small_lsps,
	              seen.multi_net, seen.overload, seen.big, NBIG, seen.routes_l1, seen.routes_l2, seen.routes_ia, seen.defaults,
	              seen.cut_1023, seen.no_att, seen.merged);
	assert_true(total >= 200);
	assert_true(seen.lans > 100 && seen.p2p > 100 && seen.narrow > 30 && seen.leaking > 20);
	assert_true(seen.restricted > 20 && seen.passive > 10 && seen.leak_lists > 10);
	assert_true(seen.prio0 > 20 && seen.auth > 20 && seen.small_lsps > 20 && seen.overload > 20);
	assert_true(seen.big > 50);
	assert_true(seen.routes_l1 > 100 && seen.routes_l2 > 100 && seen.routes_ia > 50);
	assert_true(seen.defaults > 50 && seen.no_att > 5 && seen.multi_net > 50 && seen.merged > 20);
	/* Link failures were absorbed incrementally (and each such run checked against a full one). */
	assert_true(isis_spf_incremental > 100 && isis_routes_partial > 100);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_single_level),
	    cmocka_unit_test(test_two_level),
	    cmocka_unit_test(test_coverage),
	};

	proto_init_all();
	isis_spf_check = true;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
