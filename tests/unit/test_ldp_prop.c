/*
 * test_ldp_prop.c: a property test of LDP (RFC 5036) over OSPF. Random
 * connected topologies (6-30 routers, point-to-point /30 links, some
 * parallel, interface costs from a small set so that equal-cost paths are
 * common, a loopback per router, LDP on every core interface; some with
 * `bind: all`, some with `explicit_null`) are built from YAML, run through
 * the real engine until converged, and then, for every router S and every
 * other router's loopback (and, with `bind: all`, one of its link subnets),
 * the labels are walked through the engine's own tables:
 *
 *   S's selected route to the prefix (rib.h) is OSPF's, at the shortest
 *   distance, its next hops are the equal-cost set; each next hop pushes its
 *   label stack towards the neighbour owning the gateway, which looks the
 *   label up in its LFIB (mpls.h) and swaps or pops it towards the entries'
 *   next hops (every entry of an ECMP set is followed), until the packet
 *   arrives unlabelled (penultimate-hop popping) or with explicit null at
 *   the router owning the prefix.
 *
 * Every branch must end there, never visit a router twice, never meet a
 * label without an LFIB entry, and cost (hops and interface costs) what an
 * independent Dijkstra over the generated graph gives; the branches must be
 * exactly the shortest paths (their number is counted over the graph). A
 * router next to the egress pushes no label (implicit null, RFC 3032 2.1)
 * unless the egress advertises explicit null. Without `bind: all`, link
 * subnets carry no label; no LDP entry of an LFIB points over a failed link.
 * Then random links fail and come back, and the walk is repeated each time;
 * and a few topologies' LFIBs and labelled routes must be identical on one
 * and on three threads.
 *
 * The walker itself is checked first on static LSPs (docs/mpls.md): a good
 * chain with an ECMP split walks, broken ones (a missing LFIB entry, a loop,
 * an LSP ending early, a longer path) are caught; and on the labels LDP
 * should give, written by hand into random OSPF networks (nothing wrong, until
 * an entry is deleted or sends its label back).
 *
 * LDP_PROP_RUNS (default 40), LDP_PROP_SEED (the first seed) and
 * LDP_PROP_CHANGES (link failures per topology, default 2) choose the
 * topologies; a failing one is kept in ldp-prop-failure.yaml.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "lib/cfg.h"
#include "lib/ip.h"
#include "lib/strbuf.h"
#include "lib/util.h"
#include "net/converge.h"
#include "net/mpls.h"
#include "net/net.h"
#include "net/rib.h"
#include "proto/proto.h"
#include "sim/sim.h"
#include "topo/topo.h"

#include "prop_util.h"

#define MAXR      30
#define MAXL      96
#define MAXBRANCH 100000 /* a walk through a broken LFIB stops there */
#define KEEP_AS   "ldp-prop-failure.yaml"

/* --- the generated graph --------------------------------------------------------------- */

struct end {
	int r;     /* router */
	int ifidx; /* its interface index */
	uint32_t addr;
	int cost; /* OSPF cost of this end's interface */
};

struct lnk {
	int nends; /* always 2 (PROP_DEFINE_LINKED) */
	struct end e[2];
	bool down;
};

struct lgraph {
	int nr, nl;
	int nif[MAXR];
	struct lnk l[MAXL];
	bool bind_all, explicit_null;
};

PROP_DEFINE_LINKED(struct lgraph)

static uint32_t
loopback(int r)
{
	return (10u << 24) | (255u << 16) | (uint32_t)(r + 1);
}

static struct prefix
link_subnet(const struct lnk *l)
{
	return (struct prefix){l->e[0].addr & ip_mask(30), 30};
}

static int
pick_cost(void)
{
	static const int c[] = {1, 1, 1, 2, 2, 3};

	return c[rnd(ARRAY_LEN(c))];
}

/* A /30 between a and b: 10.1.0.0 + 4k, .1 at a. Equal costs both ways, mostly. */
static void
add_link(struct lgraph *g, int a, int b)
{
	struct lnk *l = &g->l[g->nl];
	int c = pick_cost();

	l->nends = 2;
	for (int i = 0; i < 2; i++) {
		l->e[i].r = i ? b : a;
		l->e[i].ifidx = g->nif[l->e[i].r]++;
		l->e[i].addr =
		    (10u << 24) | (1u << 16) | ((uint32_t)g->nl << 2) | (uint32_t)(i + 1);
		l->e[i].cost = rnd(4) ? c : pick_cost();
	}
	g->nl++;
}

/* A random tree, extra links, and a few parallel ones (equal-cost paths to one neighbour). */
static void
generate(struct lgraph *g)
{
	memset(g, 0, sizeof(*g));
	g->nr = 6 + (int)rnd(25);
	for (int i = 1; i < g->nr; i++)
		add_link(g, (int)rnd((unsigned)i), i);
	for (int x = 0; x < g->nr / 2; x++) {
		int a = (int)rnd((unsigned)g->nr), b = (int)rnd((unsigned)g->nr);

		if (a != b && !linked(g, a, b))
			add_link(g, a, b);
	}
	for (int x = 0; x < 1 + (int)rnd(3); x++) {
		int k = (int)rnd((unsigned)g->nl);
		int a = g->l[k].e[0].r, b = g->l[k].e[1].r;

		add_link(g, a, b);
		g->l[g->nl - 1].e[0].cost = g->l[k].e[0].cost;
		g->l[g->nl - 1].e[1].cost = g->l[k].e[1].cost;
	}
	g->bind_all = rnd(2) == 0;
	g->explicit_null = rnd(3) == 0;
}

/* Router r's end of a link on its interface ifidx. */
static const struct end *
end_at(const struct lgraph *g, int r, int ifidx)
{
	for (int k = 0; k < g->nl; k++)
		for (int e = 0; e < 2; e++)
			if (g->l[k].e[e].r == r && g->l[k].e[e].ifidx == ifidx)
				return &g->l[k].e[e];
	fail_msg("r%d has no interface %d", r, ifidx);
	return NULL;
}

/* The topology in YAML; without ldp, OSPF alone (test_walker_synthetic). */
static char *
yaml(const struct lgraph *g, bool ldp)
{
	struct strbuf b = STRBUF_INIT;

	sb_printf(&b, "name: ldpprop\ndevices:\n");
	for (int r = 0; r < g->nr; r++) {
		sb_printf(&b, "  - name: r%d\n    router_id: %s\n", r, ip_str(loopback(r)));
		/*
		 * gtsm: false: with random costs a neighbour's loopback is often
		 * reached through a third router, and RFC 6720 (netsim's default, as
		 * FRR's) then refuses the session, as it should (mpls-ldp.sh checks
		 * that); the property assumes a session between every adjacent pair.
		 */
		if (ldp)
			sb_printf(&b, "    ldp: {gtsm: false%s%s}\n",
			          g->bind_all ? ", bind: all" : "",
			          g->explicit_null ? ", explicit_null: true" : "");
		sb_printf(&b, "    interfaces:\n");
		for (int i = 0; i < g->nif[r]; i++) {
			const struct end *x = end_at(g, r, i);

			sb_printf(&b,
			          "      - {name: eth%d, ip: %s/30, ospf: {area: 0, cost: %d, "
			          "network_type: point-to-point}%s}\n",
			          i, ip_str(x->addr), x->cost, ldp ? ", ldp: {}" : "");
		}
		sb_printf(&b, "      - {name: lo0, ip: %s/32, ospf: {area: 0, passive: true}}\n",
		          ip_str(loopback(r)));
	}
	sb_printf(&b, "links:\n");
	for (int k = 0; k < g->nl; k++)
		sb_printf(&b, "  - endpoints: [r%d:eth%d, r%d:eth%d]\n", g->l[k].e[0].r,
		          g->l[k].e[0].ifidx, g->l[k].e[1].r, g->l[k].e[1].ifidx);
	return sb_steal(&b);
}

/* Shortest paths from root over the links up; next hops as (gateway, root's interface). */
static void
dijkstra(const struct lgraph *g, int root, int *dist, struct nhset *nh)
{
	bool done[MAXR] = {false};

	tree_init(dist, nh, g->nr, root);
	for (;;) {
		int u = closest(dist, done, g->nr, g->nr);

		if (u < 0)
			break;
		done[u] = true;
		for (int k = 0; k < g->nl; k++)
			for (int me = 0; me < 2 && !g->l[k].down; me++) {
				const struct end *a = &g->l[k].e[me], *b = &g->l[k].e[1 - me];

				if (a->r == u)
					reach(dist, nh, root, u, b->r, dist[u] + a->cost, b->addr,
					      a->ifidx);
			}
	}
}

/* The routers connected without the links marked down. */
static bool
connected(const struct lgraph *g)
{
	int dist[MAXR];
	struct nhset nh[MAXR];

	dijkstra(g, 0, dist, nh);
	for (int r = 0; r < g->nr; r++)
		if (dist[r] == INF)
			return false;
	return true;
}

/* --- the walk ------------------------------------------------------------------------------ */

/*
 * A FEC: a prefix and the routers it is attached to (its egresses), each with
 * the cost beyond it (a loopback 0, a link subnet its interface's cost).
 */
struct fec {
	struct prefix p;
	int negress;
	int egress[2];
	int extra[2];
};

struct walk {
	const struct network *net;
	const struct lgraph *g;
	const char *proto; /* the source the selected route must come from */
	const char *owner; /* of the LFIB entries met (case ignored), NULL: any */
	int null_label;    /* reaching an egress: 3 no label, 0 explicit null, -1 unchecked */
	int dist[MAXR][MAXR];
	/* Per FEC and source. */
	const struct fec *f;
	int S;
	int F[MAXR];      /* each router's cost to the FEC */
	long paths[MAXR]; /* shortest paths from each router to the FEC */
	int hmin[MAXR], hmax[MAXR];
	long branches;
	int bad;
	/* What the walks went through: swaps, penultimate-hop pops, explicit nulls received,
	 * branches. */
	long nswap, nphp, nexpnull, nbranch, necmp, nsubnet;
	struct strbuf *why;
};

__attribute__((format(printf, 2, 3))) static void
bad(struct walk *w, const char *fmt, ...)
{
	va_list ap;

	if (w->bad++ > 40)
		return;
	sb_printf(w->why, "r%d -> %s: ", w->S, prefix_str(&w->f->p));
	va_start(ap, fmt);
	sb_vprintf(w->why, fmt, ap);
	va_end(ap);
	sb_printf(w->why, "\n");
}

static int
egress_index(const struct walk *w, int r)
{
	for (int i = 0; i < w->f->negress; i++)
		if (w->f->egress[i] == r)
			return i;
	return -1;
}

/* The stack as text, for messages. */
static const char *
stack_str(const uint32_t *st, int n)
{
	static char buf[4][96];
	static int k;
	char *s = buf[k++ % 4];
	size_t o = 0;

	s[0] = 0;
	for (int i = 0; i < n && o < 80; i++)
		o += (size_t)snprintf(s + o, 96 - o, "%s%u", i ? "/" : "", st[i]);
	return n ? s : "none";
}

static void at(struct walk *, int r, const uint32_t *st, int n, uint32_t visited, int hops,
               int cost);

/* The packet with stack st[0..n) arrives at router r. */
static void
arrive(struct walk *w, int r, const uint32_t *st, int n, uint32_t visited, int hops, int cost)
{
	if (visited & (1u << r)) {
		bad(w, "loop: r%d reached again (label %s, after %d hops)", r, stack_str(st, n),
		    hops);
		return;
	}
	at(w, r, st, n, visited | 1u << r, hops, cost);
}

/*
 * Router r's end of the link to the neighbour whose address is gw (on r's
 * interface ifidx; -1: any), NULL if none; *lp: the link.
 */
static const struct end *
end_towards(const struct lgraph *g, int r, uint32_t gw, int ifidx, const struct lnk **lp)
{
	for (int k = 0; k < g->nl; k++)
		for (int me = 0; me < 2; me++) {
			const struct end *a = &g->l[k].e[me];

			if (a->r == r && g->l[k].e[1 - me].addr == gw &&
			    (ifidx < 0 || a->ifidx == ifidx)) {
				*lp = &g->l[k];
				return a;
			}
		}
	return NULL;
}

/* Router r sends the packet to gateway gw, a neighbour over a link that is up. */
static void
step(struct walk *w, int r, uint32_t gw, int ifidx, const uint32_t *st, int n, uint32_t visited,
     int hops, int cost)
{
	const struct lnk *l;
	const struct end *a = end_towards(w->g, r, gw, ifidx, &l);
	int to;

	if (a == NULL) {
		bad(w, "r%d: next hop %s (interface %d) is no neighbour's address", r, ip_str(gw),
		    ifidx);
		return;
	}
	if (l->down) {
		bad(w, "r%d sends to %s over a link that is down", r, ip_str(gw));
		return;
	}
	to = l->e[0].r == r ? l->e[1].r : l->e[0].r;
	/* Implicit null: the egress receives no label; explicit null: label 0 alone. */
	if (egress_index(w, to) >= 0 && w->null_label == 3 && n != 0)
		bad(w, "r%d sends label %s to the egress r%d (implicit null expected)", r,
		    stack_str(st, n), to);
	else if (egress_index(w, to) >= 0 && w->null_label == 0 && (n != 1 || st[0] != 0))
		bad(w, "r%d sends label %s to the egress r%d (explicit null expected)", r,
		    stack_str(st, n), to);
	else
		arrive(w, to, st, n, visited, hops + 1, cost + a->cost);
}

/* The packet arrived unlabelled at r: the end of this branch. */
static void
finish(struct walk *w, int r, int hops, int cost)
{
	int e = egress_index(w, r);

	if (e < 0) {
		bad(w, "the LSP ends at r%d, which does not own the prefix (after %d hops)", r,
		    hops);
		return;
	}
	if (cost + w->f->extra[e] != w->F[w->S])
		bad(w, "a branch to r%d costs %d, the shortest path %d", r, cost + w->f->extra[e],
		    w->F[w->S]);
	if (hops < w->hmin[w->S] || hops > w->hmax[w->S])
		bad(w, "a branch takes %d hops, shortest paths %d-%d", hops, w->hmin[w->S],
		    w->hmax[w->S]);
	w->nbranch++;
	if (++w->branches == MAXBRANCH)
		bad(w, "more than %d branches", MAXBRANCH);
}

/* At router r with stack st[0..n): pop explicit null, else look the top label up in the LFIB. */
static void
at(struct walk *w, int r, const uint32_t *st, int n, uint32_t visited, int hops, int cost)
{
	const struct mpls_state *m = w->net->nodes[r]->mpls;
	int found = 0;

	if (w->branches >= MAXBRANCH || w->bad > 1000)
		return;
	if (n == 0) {
		finish(w, r, hops, cost);
		return;
	}
	if (st[0] == MPLS_LABEL_EXPLICIT_NULL) { /* RFC 3032 2.1: popped, the rest processed here */
		w->nexpnull++;
		at(w, r, st + 1, n - 1, visited, hops, cost);
		return;
	}
	if (st[0] <= MPLS_LABEL_RESERVED_MAX) {
		bad(w, "r%d receives reserved label %u", r, st[0]);
		return;
	}
	for (size_t i = 0; m && i < m->n; i++) {
		const struct mpls_entry *e = &m->v[i];
		uint32_t ns[2 * LABEL_STACK_MAX];
		int nn = 0;

		if (e->in != st[0])
			continue;
		found++;
		if (w->owner && (e->owner == NULL || strcasecmp(e->owner, w->owner) != 0))
			bad(w, "r%d: label %u belongs to %s, not %s", r, e->in,
			    e->owner ? e->owner : "nobody", w->owner);
		/* A swap to implicit null is a pop (docs/mpls.md). */
		if (e->action == MPLS_SWAP &&
		    !(e->nout == 1 && e->out[0] == MPLS_LABEL_IMPLICIT_NULL))
			for (int k = 0; k < e->nout; k++)
				ns[nn++] = e->out[k];
		if (nn + n - 1 > (int)ARRAY_LEN(ns)) {
			bad(w, "r%d: label stack too deep", r);
			return;
		}
		memcpy(ns + nn, st + 1, sizeof(*st) * (size_t)(n - 1));
		nn += n - 1;
		w->nswap += nn > n - 1;
		w->nphp += nn == n - 1 && e->via != 0;
		if (e->action == MPLS_POP && e->via == 0)
			at(w, r, ns, nn, visited, hops, cost); /* this router is the LSP's egress */
		else
			step(w, r, e->via, -1, ns, nn, visited, hops, cost);
	}
	if (!found)
		bad(w, "r%d has no LFIB entry for label %u (after %d hops)", r, st[0], hops);
}

/* Costs to the FEC, and the number and lengths of the shortest paths, from every router. */
static void
fec_model(struct walk *w)
{
	const struct lgraph *g = w->g;
	const struct fec *f = w->f;
	int order[MAXR];

	for (int u = 0; u < g->nr; u++) {
		w->F[u] = INF;
		for (int i = 0; i < f->negress; i++)
			if (w->dist[u][f->egress[i]] != INF)
				w->F[u] = MIN(w->F[u], w->dist[u][f->egress[i]] + f->extra[i]);
		order[u] = u;
	}
	/* By cost to the FEC: every router after those its shortest paths go through. */
	for (int i = 1; i < g->nr; i++)
		for (int j = i; j > 0 && w->F[order[j]] < w->F[order[j - 1]]; j--) {
			int t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (int i = 0; i < g->nr; i++) {
		int u = order[i];

		w->paths[u] = 0;
		w->hmin[u] = INF;
		w->hmax[u] = 0;
		if (egress_index(w, u) >= 0) { /* a packet there is delivered */
			w->paths[u] = 1;
			w->hmin[u] = 0;
			continue;
		}
		for (int k = 0; k < g->nl && w->F[u] != INF; k++)
			for (int me = 0; me < 2 && !g->l[k].down; me++) {
				const struct end *a = &g->l[k].e[me];
				int v = g->l[k].e[1 - me].r;

				if (a->r != u || w->F[v] == INF || a->cost + w->F[v] != w->F[u])
					continue;
				w->paths[u] += w->paths[v];
				w->hmin[u] = MIN(w->hmin[u], w->hmin[v] + 1);
				w->hmax[u] = MAX(w->hmax[u], w->hmax[v] + 1);
			}
	}
}

/*
 * Walk the labels from router s to FEC f; the problems are counted in
 * w->bad and described in w->why.
 */
static void
walk_fec(struct walk *w, int s, const struct fec *f)
{
	const struct node *n = w->net->nodes[s];
	const struct rib_path *p;
	struct nhset want = {0}, nh[MAXR];
	int dist[MAXR];

	w->f = f;
	w->S = s;
	w->branches = 0;
	fec_model(w);
	p = rib_best(rib_lookup_exact(n->rib, &f->p));
	if (w->F[s] == INF) {
		if (p && strcmp(rib_path_src(p)->name, w->proto) == 0)
			bad(w, "a %s route to an unreachable prefix", w->proto);
		return;
	}
	if (p == NULL || strcmp(rib_path_src(p)->name, w->proto) != 0) {
		bad(w, "the selected route is %s, not %s", p ? rib_path_src(p)->name : "none",
		    w->proto);
		return;
	}
	if (strcmp(w->proto, "static") != 0 && p->metric != (uint32_t)w->F[s])
		bad(w, "metric %u, the shortest path %d", p->metric, w->F[s]);
	dijkstra(w->g, s, dist, nh);
	for (int i = 0; i < f->negress; i++)
		if (dist[f->egress[i]] != INF && dist[f->egress[i]] + f->extra[i] == w->F[s])
			nh_union(&want, &nh[f->egress[i]]);
	if (!same_nh(&want, PNHG(n->rib, p)))
		bad(w, "%d next hops, %d expected (or not the same)",
		    PNHG(n->rib, p) ? PNHG(n->rib, p)->n : 0, want.n);
	for (int i = 0; PNHG(n->rib, p) && i < PNHG(n->rib, p)->n; i++) {
		const struct nexthop *x = &PNHG(n->rib, p)->nh[i];
		const struct label_stack *ls = rib_labels(n->rib, x->labels);
		int cnt = ls ? ls->n : 0;

		/* Label 3 alone in a route's stack means no label (docs/mpls.md). */
		if (cnt == 1 && ls->label[0] == MPLS_LABEL_IMPLICIT_NULL)
			cnt = 0;
		step(w, s, x->gw, x->ifindex, ls ? ls->label : NULL, cnt, 1u << s, 0, 0);
	}
	w->necmp += w->paths[s] > 1;
	w->nsubnet += f->negress > 1;
	if (w->branches != w->paths[s])
		bad(w, "%ld branches end at the egress, %ld shortest paths", w->branches,
		    w->paths[s]);
}

static void
walk_init(struct walk *w, const struct network *net, const struct lgraph *g, struct strbuf *why)
{
	struct nhset nh[MAXR];

	memset(w, 0, sizeof(*w));
	w->net = net;
	w->g = g;
	w->why = why;
	for (int r = 0; r < g->nr; r++)
		dijkstra(g, r, w->dist[r], nh);
}

/* r's loopback. */
static struct fec
fec_loopback(int r)
{
	return (struct fec){{loopback(r), 32}, 1, {r, 0}, {0, 0}};
}

/* Link k's subnet, attached to both its ends. */
static struct fec
fec_subnet(const struct lgraph *g, int k)
{
	const struct lnk *l = &g->l[k];

	return (struct fec){
	    link_subnet(l), 2, {l->e[0].r, l->e[1].r}, {l->e[0].cost, l->e[1].cost}};
}

/* --- the walker on static LSPs ---------------------------------------------------------- */

/*
 * A diamond r0 - r1 - {r2, r3} - r4, all costs 1: r0 pushes 100 towards
 * r4's loopback, r1 splits it (swap to 200 via r2, to 300 via r3), r2 pops
 * (penultimate hop), r3 swaps to explicit null. Each variant replaces r1's,
 * r2's or r3's entries.
 */
static const char *static_head =
    "name: walker\n"
    "devices:\n"
    "  - name: r0\n"
    "    interfaces: [{name: eth0, ip: 10.1.0.1/30}, {name: lo0, ip: 10.255.0.1/32}]\n"
    "    static_routes: [{prefix: 10.255.0.5/32, via: 10.1.0.2, labels: [100]}]\n"
    "  - name: r1\n"
    "    interfaces: [{name: eth0, ip: 10.1.0.2/30}, {name: eth1, ip: 10.1.0.5/30},\n"
    "                 {name: eth2, ip: 10.1.0.9/30}, {name: lo0, ip: 10.255.0.2/32}]\n"
    "    mpls: {static: [%s]}\n"
    "  - name: r2\n"
    "    interfaces: [{name: eth0, ip: 10.1.0.6/30}, {name: eth1, ip: 10.1.0.13/30},\n"
    "                 {name: lo0, ip: 10.255.0.3/32}]\n"
    "    mpls: {static: [%s]}\n"
    "  - name: r3\n"
    "    interfaces: [{name: eth0, ip: 10.1.0.10/30}, {name: eth1, ip: 10.1.0.17/30},\n"
    "                 {name: lo0, ip: 10.255.0.4/32}]\n"
    "    mpls: {static: [%s]}\n"
    "  - name: r4\n"
    "    interfaces: [{name: eth0, ip: 10.1.0.14/30}, {name: eth1, ip: 10.1.0.18/30},\n"
    "                 {name: lo0, ip: 10.255.0.5/32}]\n"
    "links:\n"
    "  - {endpoints: [r0:eth0, r1:eth0]}\n"
    "  - {endpoints: [r1:eth1, r2:eth0]}\n"
    "  - {endpoints: [r1:eth2, r3:eth0]}\n"
    "  - {endpoints: [r2:eth1, r4:eth0]}\n"
    "  - {endpoints: [r3:eth1, r4:eth1]}\n";

#define R1_SPLIT                                                                                   \
	"{in_label: 100, action: swap, out_label: 200, via: 10.1.0.6}, "                           \
	"{in_label: 100, action: swap, out_label: 300, via: 10.1.0.10}"
#define R2_PHP  "{in_label: 200, action: pop, via: 10.1.0.14}"
#define R3_NULL "{in_label: 300, action: swap, out_label: 0, via: 10.1.0.18}"

/* The same diamond as a graph (links in the YAML's order); cost13: r1's cost towards r3. */
static void
diamond(struct lgraph *g, int cost13)
{
	static const int ends[5][2] = {{0, 1}, {1, 2}, {1, 3}, {2, 4}, {3, 4}};

	memset(g, 0, sizeof(*g));
	g->nr = 5;
	for (int k = 0; k < 5; k++) {
		g->l[g->nl].nends = 2;
		for (int i = 0; i < 2; i++) {
			int r = ends[k][i];

			g->l[k].e[i] =
			    (struct end){r, g->nif[r]++,
			                 (10u << 24) | (1u << 16) | (uint32_t)(4 * k + 1 + i), 1};
		}
		g->nl++;
	}
	g->l[2].e[0].cost = cost13;
}

/* Build the diamond with r1's, r2's and r3's entries, walk r0 -> r4's loopback; the problems found.
 */
static int
walk_static(const char *r1, const char *r2, const char *r3, int cost13, struct strbuf *why)
{
	struct lgraph g;
	struct walk w;
	struct cfg_doc *doc;
	struct topo *t;
	struct fec f = fec_loopback(4);
	char text[4096];

	snprintf(text, sizeof(text), static_head, r1, r2, r3);
	diamond(&g, cost13);
	t = build_converged(text, 1, NULL, &doc);
	walk_init(&w, t->net, &g, why);
	w.proto = "static";
	w.owner = "static";
	w.null_label = -1;
	walk_fec(&w, 0, &f);
	print_message("%s", sb_str(why));
	topo_free(t);
	cfg_doc_free(doc);
	return w.bad;
}

static void
test_walker_static(void **state UNUSED)
{
	struct strbuf why = STRBUF_INIT;

	/* Both branches of the split arrive, each 3 hops at cost 3: two shortest paths. */
	assert_int_equal(walk_static(R1_SPLIT, R2_PHP, R3_NULL, 1, &why), 0);
	/* r3 has nothing for 300. */
	sb_reset(&why);
	assert_int_not_equal(walk_static(R1_SPLIT, R2_PHP, "", 1, &why), 0);
	assert_non_null(strstr(sb_str(&why), "r3 has no LFIB entry for label 300"));
	/* r3 sends 300 back to r1 as 301, which r1 swaps to 300 towards r3 again. */
	sb_reset(&why);
	assert_int_not_equal(
	    walk_static(R1_SPLIT ", {in_label: 301, action: swap, out_label: 300, "
	                         "via: 10.1.0.10}",
	                R2_PHP, "{in_label: 300, action: swap, out_label: 301, via: 10.1.0.9}", 1,
	                &why),
	    0);
	assert_non_null(strstr(sb_str(&why), "loop: r1 reached again"));
	/* r2 pops towards r4, but r1 already popped towards r2: the LSP ends early. */
	sb_reset(&why);
	assert_int_not_equal(
	    walk_static("{in_label: 100, action: pop, via: 10.1.0.6}", R2_PHP, R3_NULL, 1, &why),
	    0);
	assert_non_null(strstr(sb_str(&why), "the LSP ends at r2, which does not own the prefix"));
	/* r1 -> r3 costs 5: the split's branch through r3 is no shortest path, and one is missing.
	 */
	sb_reset(&why);
	assert_int_not_equal(walk_static(R1_SPLIT, R2_PHP, R3_NULL, 5, &why), 0);
	assert_non_null(strstr(sb_str(&why), "a branch to r4 costs 7, the shortest path 3"));
	assert_non_null(strstr(sb_str(&why), "2 branches end at the egress, 1 shortest paths"));
	sb_free(&why);
}

/* --- LDP ------------------------------------------------------------------------------------ */

/* The walks' counts added up (the tests check they went through each case). */
static struct walk tot;

/* Every router to every other's loopback, and (bind: all) to one of its link subnets. */
static int
check(const struct network *net, const struct lgraph *g, unsigned seed, struct strbuf *why)
{
	struct walk w;

	walk_init(&w, net, g, why);
	w.proto = "ospf";
	w.owner = "ldp";
	w.null_label = g->explicit_null ? 0 : 3;
	for (int d = 0; d < g->nr; d++) {
		struct fec lo = fec_loopback(d);
		int sub = -1;

		for (int k = g->nl - 1; k >= 0; k--)
			if (!g->l[k].down && (g->l[k].e[0].r == d || g->l[k].e[1].r == d))
				sub = k;
		for (int s = 0; s < g->nr; s++) {
			struct fec f;

			if (s != d)
				walk_fec(&w, s, &lo);
			if (sub < 0 || s == g->l[sub].e[0].r || s == g->l[sub].e[1].r)
				continue;
			f = fec_subnet(g, sub);
			if (g->bind_all) {
				walk_fec(&w, s, &f);
				continue;
			}
			/* bind: loopbacks: only /32s are bound, so the subnet's route pushes
			 * nothing. */
			{
				const struct rib_path *p =
				    rib_best(rib_lookup_exact(net->nodes[s]->rib, &f.p));

				w.f = &f;
				w.S = s;
				const struct rib *rb = net->nodes[s]->rib;

				for (int i = 0; PNHG(rb, p) && i < PNHG(rb, p)->n; i++)
					if (PNHG(rb, p)->nh[i].labels)
						bad(&w, "a label on a /30 without bind: all");
			}
		}
	}
	/* No LFIB entry of LDP's left over a link that is down (or towards no neighbour). */
	for (int r = 0; r < g->nr; r++) {
		const struct mpls_state *m = net->nodes[r]->mpls;

		for (size_t i = 0; m && i < m->n; i++) {
			const struct lnk *l;

			if (!m->v[i].owner || strcasecmp(m->v[i].owner, w.owner) != 0 ||
			    m->v[i].via == 0)
				continue;
			if (end_towards(g, r, m->v[i].via, -1, &l) == NULL || l->down) {
				w.f = &(struct fec){{0, 0}, 0, {0, 0}, {0, 0}};
				w.S = r;
				bad(&w, "r%d's LFIB: label %u via %s, no neighbour over a link up",
				    r, m->v[i].in, ip_str(m->v[i].via));
			}
		}
	}
	tot.nswap += w.nswap;
	tot.nphp += w.nphp;
	tot.nexpnull += w.nexpnull;
	tot.nbranch += w.nbranch;
	tot.necmp += w.necmp;
	tot.nsubnet += w.nsubnet;
	if (w.bad) {
		print_message("seed %u (%d routers, %d links%s%s): %d problems\n", seed, g->nr,
		              g->nl, g->bind_all ? ", bind all" : "",
		              g->explicit_null ? ", explicit null" : "", w.bad);
		/* A line at a time: cmocka's messages are short. */
		for (const char *s = sb_str(why), *e; *s; s = e + 1) {
			e = strchr(s, '\n');
			print_message("%.*s\n", (int)(e - s), s);
		}
	}
	return w.bad;
}

/*
 * --- the walker on what LDP should build ---------------------------------------------------
 *
 * On an OSPF network without LDP, the labels LDP should give (router r's
 * label for router d's loopback: 16 + 32r + d; a penultimate hop pops, or
 * swaps to explicit null) are written into the LFIBs and the OSPF routes by
 * hand: the walk must find nothing wrong, and must find a deleted LFIB entry
 * and a label sent back where it came from.
 */
static uint32_t
synth_label(int r, int d)
{
	return 16 + 32 * (uint32_t)r + (uint32_t)d;
}

/* The router whose address on a link is a. */
static int
owner_of(const struct lgraph *g, uint32_t a)
{
	for (int k = 0; k < g->nl; k++)
		for (int e = 0; e < 2; e++)
			if (g->l[k].e[e].addr == a)
				return g->l[k].e[e].r;
	fail_msg("no router has %s", ip_str(a));
	return -1;
}

/* Router r's labels for d's loopback: its LFIB entries and its route's next hops. */
static void
synth_fec(struct network *net, const struct lgraph *g, int r, int d, const struct nhset *nh)
{
	struct node *n = net->nodes[r];
	struct prefix p = {loopback(d), 32};
	const struct rib_path *best = rib_best(rib_lookup_exact(n->rib, &p));
	struct route rt;
	char err[128];

	assert_non_null(best);
	rt = (struct route){.src = rib_path_src(best),
	                    .code = rib_path_code(best),
	                    .distance = best->distance,
	                    .metric = best->metric,
	                    .nnh = (uint8_t)nh->n};
	for (int i = 0; i < nh->n; i++) {
		int to = owner_of(g, nh->v[i].gw);
		uint32_t out = to == d ? 0 : synth_label(to, d);
		bool php = to == d && !g->explicit_null;
		struct mpls_entry e = {.in = synth_label(r, d),
		                       .action = php ? MPLS_POP : MPLS_SWAP,
		                       .nout = !php,
		                       .out = {out},
		                       .via = nh->v[i].gw,
		                       .owner = "ldp"};

		assert_int_equal(mpls_lfib_add(n, &e, err, sizeof(err)), 0);
		rt.nh[i] = nh->v[i];
		rt.nh[i].labels = php ? 0 : rib_labels_intern(n->rib, &out, 1);
	}
	rib_add(n->rib, &p, &rt);
}

/* Every router's labels for every other's loopback. */
static void
synth_all(struct network *net, const struct lgraph *g)
{
	for (int r = 0; r < g->nr; r++) {
		int dist[MAXR];
		struct nhset nh[MAXR];

		dijkstra(g, r, dist, nh);
		for (int d = 0; d < g->nr; d++)
			if (d != r)
				synth_fec(net, g, r, d, &nh[d]);
	}
}

/* Routers s and d not adjacent by s's first next hop towards d (*via, the router there). */
static void
far_pair(const struct network *net, const struct lgraph *g, int *s, int *d, int *via)
{
	for (*s = 0; *s < g->nr; ++*s)
		for (*d = 0; *d < g->nr; ++*d) {
			struct prefix pd = {loopback(*d), 32};
			const struct rib_path *p =
			    rib_best(rib_lookup_exact(net->nodes[*s]->rib, &pd));

			*via = *d == *s ? *d : owner_of(g, PNHG(net->nodes[*s]->rib, p)->nh[0].gw);
			if (*via != *d)
				return;
		}
	fail_msg("a full mesh");
}

/* Router r's address on a link to router to. */
static uint32_t
addr_towards(const struct lgraph *g, int r, int to)
{
	for (int k = 0; k < g->nl; k++)
		for (int x = 0; x < 2; x++)
			if (g->l[k].e[x].r == r && g->l[k].e[1 - x].r == to)
				return g->l[k].e[x].addr;
	fail_msg("r%d and r%d are not neighbours", r, to);
	return 0;
}

static void
test_walker_synthetic(void **state UNUSED)
{
	for (unsigned seed = 1; seed <= 6; seed++) {
		struct strbuf why = STRBUF_INIT;
		struct lgraph g;
		struct cfg_doc *doc;
		struct topo *t;
		struct walk w;
		struct fec f;
		struct mpls_entry e = {.action = MPLS_SWAP, .nout = 1, .owner = "ldp"};
		char *text, want[64], err[128];
		int s = 0, d = 0, via = 0;

		rng_state = seed * 0x9e3779b97f4a7c15ULL + 5;
		generate(&g);
		g.bind_all = false;
		g.explicit_null = seed % 2 == 0;
		text = yaml(&g, false);
		t = build_converged(text, seed, NULL, &doc);
		synth_all(t->net, &g);
		assert_int_equal(check(t->net, &g, seed, &why), 0);

		far_pair(t->net, &g, &s, &d, &via);
		walk_init(&w, t->net, &g, &why);
		w.proto = "ospf";
		w.owner = "ldp";
		w.null_label = g.explicit_null ? 0 : 3;
		f = fec_loopback(d);
		/* The router after s sends the label back to s instead of on: a loop. */
		e.in = synth_label(via, d);
		e.out[0] = synth_label(s, d);
		e.via = addr_towards(&g, s, via);
		assert_true(mpls_lfib_del(t->net->nodes[via], e.in) > 0);
		assert_int_equal(mpls_lfib_add(t->net->nodes[via], &e, err, sizeof(err)), 0);
		walk_fec(&w, s, &f);
		snprintf(want, sizeof(want), "loop: r%d reached again", s);
		assert_non_null(strstr(sb_str(&why), want));
		/* No entry there: the label dies. */
		assert_int_equal(mpls_lfib_del(t->net->nodes[via], e.in), 1);
		w.bad = 0;
		sb_reset(&why);
		walk_fec(&w, s, &f);
		snprintf(want, sizeof(want), "r%d has no LFIB entry for label %u", via, e.in);
		assert_non_null(strstr(sb_str(&why), want));
		sb_free(&why);
		topo_free(t);
		cfg_doc_free(doc);
		free(text);
	}
}

static unsigned
env_num(const char *name, unsigned dflt)
{
	const char *s = getenv(name);

	return s ? (unsigned)atoi(s) : dflt;
}

static void
assert_checked(const struct network *net, const struct lgraph *g, unsigned seed, const char *text)
{
	struct strbuf why = STRBUF_INIT;
	int bad = check(net, g, seed, &why);

	if (bad)
		keep_yaml(KEEP_AS, text);
	sb_free(&why);
	assert_int_equal(bad, 0);
}

/* Per kind of topology, how many the runs went through (the test checks it covered each). */
static int nbind_all, nexplicit;

/* One topology: checked converged, then with a link failing and coming back, `changes` times. */
static void
run_one(unsigned seed, int changes)
{
	struct lgraph g;
	struct cfg_doc *doc;
	struct topo *t;
	char *text;

	rng_state = seed * 0x9e3779b97f4a7c15ULL + 11;
	generate(&g);
	nbind_all += g.bind_all;
	nexplicit += g.explicit_null;
	text = yaml(&g, true);
	/*
	 * Said and kept first (removed once checked): a topology that never
	 * converges fails inside build_converged.
	 */
	write_yaml(KEEP_AS, text);
	print_message("seed %u: %d routers, %d links%s%s\n", seed, g.nr, g.nl,
	              g.bind_all ? ", bind all" : "", g.explicit_null ? ", explicit null" : "");
	t = build_converged(text, seed, KEEP_AS, &doc);
	assert_checked(t->net, &g, seed, text);
	for (int c = 0; c < changes; c++) {
		int k;

		/* A link whose failure keeps the routers connected (generate adds a parallel one).
		 */
		do {
			k = (int)rnd((unsigned)g.nl);
			g.l[k].down = true;
			if (!connected(&g))
				g.l[k].down = false;
		} while (!g.l[k].down);
		print_message("seed %u: link %d (r%d-r%d) down, then up\n", seed, k, g.l[k].e[0].r,
		              g.l[k].e[1].r);
		set_link(t->net, k, false);
		assert_checked(t->net, &g, seed, text);
		g.l[k].down = false;
		set_link(t->net, k, true);
		assert_checked(t->net, &g, seed, text);
	}
	topo_free(t);
	cfg_doc_free(doc);
	free(text);
	remove(KEEP_AS);
}

static void
test_ldp_lsps(void **state UNUSED)
{
	unsigned runs = env_num("LDP_PROP_RUNS", 40), first = env_num("LDP_PROP_SEED", 1);

	memset(&tot, 0, sizeof(tot));
	for (unsigned s = first; s < first + runs; s++)
		run_one(s, (int)env_num("LDP_PROP_CHANGES", 2));
	print_message("%u topologies: %ld branches walked, %ld swaps, %ld penultimate-hop pops, "
	              "%ld explicit nulls, %ld FECs with ECMP, %ld subnet FECs\n",
	              runs, tot.nbranch, tot.nswap, tot.nphp, tot.nexpnull, tot.necmp, tot.nsubnet);
	/* Enough topologies go through every case (one alone may have no ECMP, or no PHP). */
	if (runs >= 10)
		assert_true(nbind_all > 0 && nbind_all < (int)runs && nexplicit > 0 &&
		            nexplicit < (int)runs && tot.nswap > 0 && tot.nphp > 0 &&
		            tot.necmp > 0 && tot.nexpnull > 0 && tot.nsubnet > 0);
}

/* Every router's LFIB and the labels of its routes to the loopbacks, as text. */
static void
dump_labels(const struct network *net, const struct lgraph *g, struct strbuf *b)
{
	for (int r = 0; r < g->nr; r++) {
		const struct node *n = net->nodes[r];
		const struct mpls_state *m = n->mpls;

		for (size_t i = 0; m && i < m->n; i++) {
			sb_printf(b, "r%d in %u %s via %s owner %s out", r, m->v[i].in,
			          m->v[i].action == MPLS_SWAP ? "swap" : "pop", ip_str(m->v[i].via),
			          m->v[i].owner ? m->v[i].owner : "-");
			for (int k = 0; k < m->v[i].nout; k++)
				sb_printf(b, " %u", m->v[i].out[k]);
			sb_printf(b, "\n");
		}
		for (int d = 0; d < g->nr; d++) {
			struct prefix p = {loopback(d), 32};
			const struct rib_path *rp = rib_best(rib_lookup_exact(n->rib, &p));

			for (int i = 0; d != r && PNHG(n->rib, rp) && i < PNHG(n->rib, rp)->n; i++) {
				const struct label_stack *ls =
				    rib_labels(n->rib, PNHG(n->rib, rp)->nh[i].labels);

				sb_printf(b, "r%d %s via %s labels %s\n", r, prefix_str(&p),
				          ip_str(PNHG(n->rib, rp)->nh[i].gw),
				          ls ? stack_str(ls->label, ls->n) : "none");
			}
		}
	}
}

/* Parallel sections run (sim_on_join). */
static unsigned long nsections;

static void
count_section(void)
{
	nsections++;
}

/* The labels one topology ends with on `threads` threads; *sections: parallel sections run. */
static char *
labels_on(unsigned seed, unsigned threads, struct lgraph *g, unsigned long *sections)
{
	struct strbuf b = STRBUF_INIT;
	struct cfg_doc *doc;
	struct topo *t;
	char *text;
	unsigned long before = nsections;

	rng_state = seed * 0x9e3779b97f4a7c15ULL + 11;
	generate(g);
	text = yaml(g, true);
	sim_set_threads(threads);
	sim_on_join(count_section);
	t = build_converged(text, seed, KEEP_AS, &doc);
	dump_labels(t->net, g, &b);
	topo_free(t);
	cfg_doc_free(doc);
	free(text);
	*sections = nsections - before;
	return sb_steal(&b);
}

static void
test_ldp_threads(void **state UNUSED)
{
	unsigned first = env_num("LDP_PROP_SEED", 1), was = sim_threads();

	for (unsigned s = first; s < first + 4; s++) {
		struct lgraph g;
		unsigned long par1, par3;
		char *one = labels_on(s, 1, &g, &par1), *three = labels_on(s, 3, &g, &par3);

		/* Something to compare: routers away from each other swap labels. */
		assert_non_null(strstr(one, " swap "));
		/* And the three threads did run routers at once. */
		assert_int_equal(par1, 0);
		assert_true(par3 > 0);
		if (strcmp(one, three) != 0)
			print_message("seed %u: one thread:\n%s\nthree threads:\n%s\n", s, one,
			              three);
		assert_string_equal(one, three);
		free(one);
		free(three);
	}
	sim_set_threads(was);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_walker_static),
	    cmocka_unit_test(test_walker_synthetic),
	    cmocka_unit_test(test_ldp_lsps),
	    cmocka_unit_test(test_ldp_threads),
	};

	proto_init_all();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
