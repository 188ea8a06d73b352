/*
 * prop_util.h: what the routing property tests (test_ospf_prop.c,
 * test_isis_prop.c) share: their random numbers, sets of next hops and the
 * steps of a Dijkstra that carries them (LAN vertices entered at a cost and
 * left at 0), building and converging a topology, changing a link, and the
 * comparison of a computed route with the RIB's.
 *
 * Each test is one file: these are static inline functions (a test uses the ones it needs).
 */
#ifndef PROP_UTIL_H
#define PROP_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/cfg.h"
#include "lib/strbuf.h"
#include "net/converge.h"
#include "net/net.h"
#include "net/rib.h"
#include "topo/topo.h"

#define MAXNH RIB_MAX_NH
#define INF   0x7fffffff

/* The generator's numbers: a 64-bit LCG, seeded by each test per topology. */
static uint64_t rng_state;

static inline unsigned
rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng_state >> 33) % n);
}

/* k distinct routers drawn from rs[0..n) into out (k <= n). */
static inline void
pick_distinct(int *out, int k, const int *rs, int n)
{
	int used = 0;

	while (used < k) {
		int c = rs[rnd((unsigned)n)];
		bool dup = false;

		for (int j = 0; j < used; j++)
			dup |= out[j] == c;
		if (!dup)
			out[used++] = c;
	}
}

/*
 * linked(g, a, b): routers a and b are on a common link, for a test's graph
 * type T with links g->l[0..nl) of ends e[0..nends) naming their router r.
 */
#define PROP_DEFINE_LINKED(T)                                                                      \
	static bool linked(const T *g, int a, int b)                                               \
	{                                                                                          \
		for (int i = 0; i < g->nl; i++) {                                                  \
			bool ha = false, hb = false;                                               \
                                                                                                   \
			for (int k = 0; k < g->l[i].nends; k++) {                                  \
				ha |= g->l[i].e[k].r == a;                                         \
				hb |= g->l[i].e[k].r == b;                                         \
			}                                                                          \
			if (ha && hb)                                                              \
				return true;                                                       \
		}                                                                                  \
		return false;                                                                      \
	}

/* A set of next hops: (gateway, the root's interface index). */
struct nhset {
	int n;
	struct nexthop v[MAXNH];
};

static inline void
nh_add(struct nhset *s, uint32_t gw, int ifidx)
{
	for (int i = 0; i < s->n; i++)
		if (s->v[i].gw == gw && s->v[i].ifindex == ifidx)
			return;
	/* More than the ECMP width would make the choice of next hops implementation-defined. */
	if (s->n == MAXNH)
		fail_msg("model: more than %d equal-cost next hops", MAXNH);
	s->v[s->n++] = (struct nexthop){.gw = gw, .ifindex = (uint16_t)ifidx};
}

static inline void
nh_union(struct nhset *d, const struct nhset *s)
{
	for (int i = 0; i < s->n; i++)
		nh_add(d, s->v[i].gw, s->v[i].ifindex);
}

/* A shortest-path tree of nv vertices before the Dijkstra: only the root, at 0. */
static inline void
tree_init(int *dist, struct nhset *nh, int nv, int root)
{
	for (int v = 0; v < nv; v++) {
		dist[v] = INF;
		nh[v].n = 0;
	}
	dist[root] = 0;
}

/*
 * The Dijkstra's next vertex: the closest one not done, and at equal
 * distance a LAN vertex (numbered from nr on) before a router, so that its
 * zero-cost edges are settled before the routers behind it. -1: none left.
 */
static inline int
closest(const int *dist, const bool *done, int nv, int nr)
{
	int u = -1;

	for (int v = 0; v < nv; v++) {
		if (done[v] || dist[v] == INF)
			continue;
		if (u < 0 || dist[v] < dist[u] || (dist[v] == dist[u] && v >= nr && u < nr))
			u = v;
	}
	return u;
}

/*
 * Vertex v at distance d from u: from the root itself by (gw, the root's
 * interface ifidx), from elsewhere by u's next hops; equal costs add up.
 */
static inline void
reach(int *dist, struct nhset *nh, int root, int u, int v, int d, uint32_t gw, int ifidx)
{
	struct nhset h = {0};

	if (u == root)
		nh_add(&h, gw, ifidx);
	else
		h = nh[u];
	if (d < dist[v]) {
		dist[v] = d;
		nh[v] = h;
	} else if (d == dist[v]) {
		nh_union(&nh[v], &h);
	}
}

/*
 * From LAN vertex u to router v on it (its address there: addr), at cost 0.
 * Where u's next hop is the root's own interface on the LAN (gateway 0), v is
 * reached at addr; otherwise u's next hops are inherited.
 */
static inline void
leave_lan(int *dist, struct nhset *nh, const bool *done, int u, int v, uint32_t addr)
{
	struct nhset h = {0};

	for (int i = 0; i < nh[u].n; i++)
		nh_add(&h, nh[u].v[i].gw ? nh[u].v[i].gw : addr, nh[u].v[i].ifindex);
	if (dist[u] < dist[v]) {
		dist[v] = dist[u];
		nh[v] = h;
	} else if (dist[u] == dist[v] && !done[v]) {
		nh_union(&nh[v], &h);
	}
}

static inline int
nh_cmp(const void *a, const void *b)
{
	const struct nexthop *x = a, *y = b;

	if (x->gw != y->gw)
		return x->gw < y->gw ? -1 : 1;
	return (int)x->ifindex - (int)y->ifindex;
}

/* The RIB's group (sorted) holds exactly the computed set. */
static inline bool
same_nh(const struct nhset *e, const struct nhg *g)
{
	struct nexthop v[MAXNH];

	if (g == NULL || g->n != e->n)
		return false;
	memcpy(v, e->v, sizeof(*v) * (size_t)e->n);
	qsort(v, (size_t)e->n, sizeof(*v), nh_cmp);
	for (int i = 0; i < e->n; i++)
		if (v[i].gw != g->nh[i].gw || v[i].ifindex != g->nh[i].ifindex)
			return false;
	return true;
}

/* A path's next-hop group, NULL for no path or a blackhole. */
#define PNHG(rib, p) ((p) != NULL ? rib_path_nhg(rib, p) : NULL)

/* The path protocol `name` offers for the entry (selected or not), NULL if none. */
static inline const struct rib_path *
proto_path(const struct rib *rib, const struct rib_entry *e, const char *name)
{
	for (const struct rib_path *p = rib_best(e); p; p = rib_path_next(rib, p))
		if (strcmp(rib_path_src(p)->name, name) == 0)
			return p;
	return NULL;
}

static inline void
converge(struct network *net)
{
	while (!net->converged && sim_step(&net->sim, 3600 * SIM_S))
		;
	assert_true(net->converged);
}

/* A topology in a file, to reproduce with `netsim run`. */
static inline void
write_yaml(const char *name, const char *text)
{
	FILE *f = fopen(name, "w");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

/* A failing topology kept in a file, and said so. */
static inline void
keep_yaml(const char *name, const char *text)
{
	write_yaml(name, text);
	print_message("topology written to %s\n", name);
}

/*
 * The topology in YAML text, built, started and run until it has converged
 * (*docp: its document, for the caller to free after topo_free). Text that
 * does not build fails the test, kept in file keep_as if not NULL.
 */
static inline struct topo *
build_converged(const char *text, unsigned seed, const char *keep_as, struct cfg_doc **docp)
{
	struct topo_opts opts = {seed, true};
	struct cfg_doc *doc = cfg_parse_yaml("prop.yaml", text, strlen(text));
	struct topo *t;

	if (doc->root == NULL || doc->nerrors)
		fail_msg("seed %u: %s\n%s", seed, sb_str(&doc->errors), text);
	t = topo_build(doc, &opts);
	if (t == NULL) {
		if (keep_as)
			keep_yaml(keep_as, text);
		fail_msg("seed %u: %s", seed, sb_str(&doc->errors));
	}
	converge_attach(t->net);
	net_start(t->net);
	converge_check(t->net);
	converge(t->net);
	*docp = doc;
	return t;
}

/* Link k (in the topology's order) down or up, and the network converged again. */
static inline void
set_link(struct network *net, int k, bool up)
{
	link_set_up(net->links[k], up);
	converge_check(net);
	converge(net);
}

#endif
