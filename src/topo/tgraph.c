/*
 * tgraph.c: the abstract network of the generators and importers, and the
 * layout of OSPF areas and IS-IS levels on it (tgraph.h).
 *
 * The area layout works on any connected graph, generated or imported:
 *
 *  1. Regions: K connected groups of routers. A generator may set them (the
 *     grid's column strips, the Clos fabric's leaves); otherwise they grow
 *     breadth-first from K seeds picked farthest-point first, so each is
 *     connected.
 *  2. Gateways: between each pair of adjacent regions the first link (in
 *     link order) joins them; its two ends are backbone routers.
 *  3. Backbone paths: within a region, a breadth-first tree from its first
 *     backbone router reaches the others; the routers on those paths join
 *     the backbone and the links on them are backbone links, so the backbone
 *     (OSPF area 0, the IS-IS L2 subdomain) is contiguous (RFC 2328 3.1;
 *     ISO 10589 7.2.10: L2 routing needs a connected L2 subdomain).
 *     OSPF takes those links out of the area (they are area 0), which can
 *     cut it: the smaller pieces join the backbone (mend_areas).
 *  4. A region with no backbone router gets its first router (the K = 1
 *     case), so every area has its way out; a region whose routers all
 *     joined the backbone keeps its first router's loopback in its OSPF
 *     area, so that every area exists.
 *
 * Nodes a generator put in group 0 (Clos spines) are backbone-only: every
 * link from them to a region is that region's (OSPF) or a level-2 circuit
 * (IS-IS), and the region's router on it joins the backbone.
 */
#include "tgraph.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"

#define NAME_MAX_LEN 56 /* a device name is at most 64: room for "-NNN" and host suffixes */

void
tg_init(struct tgraph *g, const char *name)
{
	memset(g, 0, sizeof(*g));
	g->name = xstrdup(name);
	hmap_init(&g->byname);
}

void
tg_free(struct tgraph *g)
{
	for (size_t i = 0; i < g->nn; i++)
		free(g->n[i].name);
	free(g->n);
	free(g->e);
	free(g->name);
	free(g->description);
	hmap_free(&g->byname);
}

static const char *
node_name(const void *g, int i)
{
	return ((const struct tgraph *)g)->n[i].name;
}

/* The node called name, or -1; *slot is its key in byname. */
static int
lookup(const struct tgraph *g, const char *name, uint64_t *slot)
{
	return hmap_str_find(&g->byname, name, node_name, g, slot);
}

int
tg_find(const struct tgraph *g, const char *name)
{
	uint64_t k;

	return lookup(g, name, &k);
}

/*
 * A device name from any label: letters, digits, '.', '_' and '-' kept,
 * runs of anything else one '_' ("San Jose, CA" -> "San_Jose_CA"), at most
 * NAME_MAX_LEN characters, never empty or "-"; a taken name gets "-2", "-3"...
 */
int
tg_add_node(struct tgraph *g, const char *label, int line)
{
	char base[NAME_MAX_LEN + 1], name[NAME_MAX_LEN + 16];
	size_t n = 0;
	uint64_t slot;
	struct tg_node *nd;

	for (const char *p = label; *p != '\0' && n < NAME_MAX_LEN; p++) {
		if (name_char(*p))
			base[n++] = *p;
		else if (n > 0 && base[n - 1] != '_')
			base[n++] = '_';
	}
	while (n > 0 && base[n - 1] == '_')
		n--;
	base[n] = '\0';
	if (n == 0 || strcmp(base, "-") == 0)
		snprintf(base, sizeof(base), "n%zu", g->nn + 1);
	snprintf(name, sizeof(name), "%s", base);
	for (int i = 2; lookup(g, name, &slot) >= 0; i++)
		snprintf(name, sizeof(name), "%s-%d", base, i);
	grow_array((void **)&g->n, &g->ncap, g->nn + 1, sizeof(*g->n));
	nd = &g->n[g->nn];
	memset(nd, 0, sizeof(*nd));
	nd->name = xstrdup(name);
	nd->line = line;
	nd->group = TG_GROUP_NONE;
	nd->hosts = true;
	hmap_put(&g->byname, slot, (void *)(uintptr_t)(g->nn + 1));
	return (int)g->nn++;
}

int
tg_add_edge(struct tgraph *g, int a, int b, int cost_ab, int cost_ba, int line)
{
	struct tg_edge *e;

	grow_array((void **)&g->e, &g->ecap, g->ne + 1, sizeof(*g->e));
	e = &g->e[g->ne];
	memset(e, 0, sizeof(*e));
	e->a = a;
	e->b = b;
	e->cost_ab = cost_ab;
	e->cost_ba = cost_ba;
	e->line = line;
	return (int)g->ne++;
}

void
tg_keep_nodes(struct tgraph *g, const int *keep)
{
	int *map = xmalloc((g->nn + 1) * sizeof(int));
	size_t n = 0, ne = 0;
	uint64_t slot;

	hmap_free(&g->byname);
	hmap_init(&g->byname);
	for (size_t v = 0; v < g->nn; v++) {
		if (!keep[v]) {
			free(g->n[v].name);
			map[v] = -1;
			continue;
		}
		map[v] = (int)n;
		g->n[n] = g->n[v];
		lookup(g, g->n[n].name, &slot);
		hmap_put(&g->byname, slot, (void *)(uintptr_t)(n + 1));
		n++;
	}
	g->nn = n;
	for (size_t i = 0; i < g->ne; i++) {
		struct tg_edge e = g->e[i];

		if (map[e.a] < 0 || map[e.b] < 0)
			continue;
		e.a = map[e.a];
		e.b = map[e.b];
		g->e[ne++] = e;
	}
	g->ne = ne;
	free(map);
}

void
tg_adj_build(const struct tgraph *g, struct tg_adj *a)
{
	size_t *fill = xcalloc(g->nn + 1, sizeof(*fill));

	a->off = xcalloc(g->nn + 1, sizeof(*a->off));
	a->eid = xmalloc((2 * g->ne + 1) * sizeof(*a->eid));
	for (size_t i = 0; i < g->ne; i++) {
		a->off[g->e[i].a + 1]++;
		a->off[g->e[i].b + 1]++;
	}
	for (size_t v = 0; v < g->nn; v++)
		a->off[v + 1] += a->off[v];
	for (size_t i = 0; i < g->ne; i++) {
		a->eid[a->off[g->e[i].a] + fill[g->e[i].a]++] = (int)i;
		a->eid[a->off[g->e[i].b] + fill[g->e[i].b]++] = (int)i;
	}
	free(fill);
}

void
tg_adj_free(struct tg_adj *a)
{
	free(a->off);
	free(a->eid);
}

static int
other(const struct tg_edge *e, int v)
{
	return e->a == v ? e->b : e->a;
}

/*
 * Breadth-first from the nodes of q[0..nq) (already marked in dist with 0),
 * staying within group `only` unless it is TG_GROUP_NONE; dist[] gets hop
 * counts (-1 unreached), parent_edge[] (when given) the edge each node was
 * reached by. Returns the number of nodes reached.
 */
static size_t
bfs(const struct tgraph *g, const struct tg_adj *a, int *q, size_t nq, int *dist, int *parent_edge,
    int only)
{
	size_t head = 0;

	while (head < nq) {
		int v = q[head++];

		for (size_t i = a->off[v]; i < a->off[v + 1]; i++) {
			int w = other(&g->e[a->eid[i]], v);

			if (dist[w] >= 0 || (only != TG_GROUP_NONE && g->n[w].group != only))
				continue;
			dist[w] = dist[v] + 1;
			if (parent_edge != NULL)
				parent_edge[w] = a->eid[i];
			q[nq++] = w;
		}
	}
	return nq;
}

size_t
tg_components(const struct tgraph *g)
{
	struct tg_adj a;
	int *dist = xmalloc((g->nn + 1) * sizeof(int)), *q = xmalloc((g->nn + 1) * sizeof(int));
	size_t pieces = 0;

	tg_adj_build(g, &a);
	for (size_t v = 0; v < g->nn; v++)
		dist[v] = -1;
	for (size_t v = 0; v < g->nn; v++) {
		if (dist[v] >= 0)
			continue;
		pieces++;
		dist[v] = 0;
		q[0] = (int)v;
		bfs(g, &a, q, 1, dist, NULL, TG_GROUP_NONE);
	}
	tg_adj_free(&a);
	free(dist);
	free(q);
	return pieces;
}

bool
tg_parse_igp(int argc, char **argv, int *i, struct tg_opts *o, char *err, size_t errlen)
{
	const char *v;
	char *end;
	long k;

	if (*i + 1 >= argc) {
		snprintf(err, errlen, "--igp needs ospf, ospf-areas K, isis or isis-levels K");
		return false;
	}
	v = argv[++*i];
	if (strcmp(v, "ospf") == 0 || strcmp(v, "isis") == 0) {
		o->igp = v[0] == 'o' ? TG_OSPF : TG_ISIS;
		o->areas = 1;
		o->igp_set = true;
		return true;
	}
	if (strcmp(v, "ospf-areas") != 0 && strcmp(v, "isis-levels") != 0) {
		snprintf(err, errlen, "unknown IGP '%s' (ospf, ospf-areas K, isis, isis-levels K)",
		    v);
		return false;
	}
	if (*i + 1 >= argc || (k = strtol(argv[*i + 1], &end, 10), *end != '\0') || k < 1 ||
	    k > 9999) {
		snprintf(err, errlen, "--igp %s needs a number of areas K (1..9999)", v);
		return false;
	}
	++*i;
	o->igp = v[0] == 'o' ? TG_OSPF_AREAS : TG_ISIS_LEVELS;
	o->areas = (int)k;
	o->igp_set = true;
	return true;
}

/* Step 1: grow K connected regions from farthest-point seeds. */
static void
grow_regions(struct tgraph *g, const struct tg_adj *a, int k)
{
	int *dist = xmalloc(g->nn * sizeof(int)), *best = xmalloc(g->nn * sizeof(int));
	int *q = xmalloc(g->nn * sizeof(int)), *seed = xmalloc((size_t)k * sizeof(int));

	for (size_t v = 0; v < g->nn; v++)
		best[v] = INT32_MAX;
	seed[0] = 0;
	for (int s = 1; s < k; s++) {
		int far = -1;

		for (size_t v = 0; v < g->nn; v++)
			dist[v] = -1;
		dist[seed[s - 1]] = 0;
		q[0] = seed[s - 1];
		bfs(g, a, q, 1, dist, NULL, TG_GROUP_NONE);
		for (size_t v = 0; v < g->nn; v++) {
			best[v] = MIN(best[v], dist[v]);
			if (far < 0 || best[v] > best[far])
				far = (int)v;
		}
		seed[s] = far;
	}
	/* Multi-source breadth-first: each node joins the region that reaches it first. */
	for (size_t v = 0; v < g->nn; v++)
		dist[v] = -1;
	for (int s = 0; s < k; s++) {
		dist[seed[s]] = 0;
		g->n[seed[s]].group = s + 1;
		q[s] = seed[s];
	}
	{
		size_t head = 0, nq = (size_t)k;

		while (head < nq) {
			int v = q[head++];

			for (size_t i = a->off[v]; i < a->off[v + 1]; i++) {
				int w = other(&g->e[a->eid[i]], v);

				if (dist[w] >= 0)
					continue;
				dist[w] = 0;
				g->n[w].group = g->n[v].group;
				q[nq++] = w;
			}
		}
	}
	free(dist);
	free(best);
	free(q);
	free(seed);
}

static int
uf_find(int *uf, int a)
{
	while (uf[a] != a)
		a = uf[a] = uf[uf[a]];
	return a;
}

/* The OSPF area of a link as tgraph_yaml.c lays it out, or -1 for area 0 or none. */
static int
edge_area(const struct tgraph *g, const struct tg_edge *e)
{
	int ga = g->n[e->a].group, gb = g->n[e->b].group;

	if (ga == gb && ga > 0 && !e->path)
		return ga;
	if ((ga == 0) != (gb == 0))
		return ga + gb;
	return -1;
}

/*
 * OSPF: the backbone links inside an area are no longer the area's, which
 * can cut it in pieces (RFC 2328 3.7 copes, but an area should be one
 * piece): every piece but the largest joins the backbone, links and all.
 * Each piece touched the backbone's path, so the backbone stays contiguous.
 * Pieces are found area by area (a spine is in every area of its leaves).
 */
static void
mend_areas(struct tgraph *g, int k)
{
	int *uf = xmalloc(g->nn * sizeof(int)), *size = xcalloc(g->nn, sizeof(int));
	size_t *off = xcalloc((size_t)k + 2, sizeof(size_t)), *fill;
	int *eid = xmalloc((g->ne + 1) * sizeof(int));
	int *members = xmalloc((g->nn + 2 * g->ne + 1) * sizeof(int));

	/* The links of each area, bucketed by area. */
	for (size_t i = 0; i < g->ne; i++) {
		int ar = edge_area(g, &g->e[i]);

		if (ar > 0)
			off[ar + 1]++;
	}
	for (int ar = 1; ar <= k; ar++)
		off[ar + 1] += off[ar];
	fill = xcalloc((size_t)k + 1, sizeof(size_t));
	for (size_t i = 0; i < g->ne; i++) {
		int ar = edge_area(g, &g->e[i]);

		if (ar > 0)
			eid[off[ar] + fill[ar]++] = (int)i;
	}
	for (size_t v = 0; v < g->nn; v++)
		uf[v] = (int)v;
	for (int ar = 1; ar <= k; ar++) {
		size_t nm = 0;
		int best = -1;

		/* The area's routers: its own routers not in the backbone, and its links' ends. */
		for (size_t v = 0; v < g->nn; v++)
			if (g->n[v].group == ar && !g->n[v].border)
				members[nm++] = (int)v;
		for (size_t j = off[ar]; j < off[ar + 1]; j++) {
			const struct tg_edge *e = &g->e[eid[j]];

			members[nm++] = e->a;
			members[nm++] = e->b;
			uf[uf_find(uf, e->a)] = uf_find(uf, e->b);
		}
		for (size_t m = 0; m < nm; m++)
			size[members[m]] = 0;
		/* (Sizes count a router once per link end: big pieces stay big.) */
		for (size_t m = 0; m < nm; m++)
			size[uf_find(uf, members[m])]++;
		for (size_t m = 0; m < nm; m++) {
			int r = uf_find(uf, members[m]);

			if (best < 0 || size[r] > size[best])
				best = r;
		}
		for (size_t m = 0; m < nm; m++) {
			int v = members[m];

			if (uf_find(uf, v) != best && g->n[v].group == ar)
				g->n[v].border = true;
		}
		for (size_t j = off[ar]; j < off[ar + 1]; j++) {
			struct tg_edge *e = &g->e[eid[j]];

			if (uf_find(uf, e->a) != best && g->n[e->a].group == g->n[e->b].group)
				e->path = true;
		}
		for (size_t m = 0; m < nm; m++)
			uf[members[m]] = members[m];
	}
	free(uf);
	free(size);
	free(off);
	free(fill);
	free(eid);
	free(members);
}

/* Steps 2 to 4 (see the top of the file). */
static void
plan_backbone(struct tgraph *g, const struct tg_adj *a, int k, bool isis)
{
	struct hmap seen;
	int *dist = xmalloc(g->nn * sizeof(int)), *pe = xmalloc(g->nn * sizeof(int));
	int *q = xmalloc(g->nn * sizeof(int));
	bool *touches_spine = xcalloc((size_t)k + 1, sizeof(bool));

	hmap_init(&seen);
	for (size_t i = 0; i < g->ne; i++) {
		struct tg_edge *e = &g->e[i];
		int ga = g->n[e->a].group, gb = g->n[e->b].group;
		uint64_t key = (uint64_t)MIN(ga, gb) << 32 | (uint64_t)MAX(ga, gb);

		if (ga == gb)
			continue;
		if (ga == 0 || gb == 0) {
			/* IS-IS: the spine is level 2 only, so the leaf needs level 2 too. */
			touches_spine[ga + gb] = true;
			if (isis)
				g->n[ga == 0 ? e->b : e->a].border = true;
			continue;
		}
		if (hmap_get(&seen, key) != NULL)
			continue;
		hmap_put(&seen, key, e);
		g->n[e->a].border = g->n[e->b].border = true;
	}
	hmap_free(&seen);
	for (size_t v = 0; v < g->nn; v++)
		if (g->n[v].group == 0)
			g->n[v].border = true;
	for (int grp = 1; grp <= k; grp++) {
		int root = -1, first = -1;

		for (size_t v = 0; v < g->nn; v++) {
			if (g->n[v].group != grp)
				continue;
			if (first < 0)
				first = (int)v;
			if (g->n[v].border) {
				root = (int)v;
				break;
			}
		}
		if (first < 0)
			continue;
		if (root < 0) {
			/* Under a Clos spine layer the spines are the area's way out. */
			if (!touches_spine[grp])
				g->n[first].border = true;
			continue;
		}
		for (size_t v = 0; v < g->nn; v++)
			dist[v] = -1;
		dist[root] = 0;
		q[0] = root;
		bfs(g, a, q, 1, dist, pe, grp);
		/* dist >= 0 now marks the tree; 0 marks nodes already on the backbone's paths. */
		for (size_t v = 0; v < g->nn; v++) {
			int w = (int)v;

			/* (Unreached: a region joined only through spines.) */
			if (g->n[v].group != grp || !g->n[v].border || w == root || dist[w] < 0)
				continue;
			while (w != root && dist[w] != 0) {
				struct tg_edge *e = &g->e[pe[w]];

				dist[w] = 0;
				g->n[w].border = true;
				e->path = true;
				w = other(e, w);
			}
		}
	}
	if (!isis)
		mend_areas(g, k);
	/* An area whose routers all joined the backbone keeps one by its loopback. */
	for (int grp = 1; grp <= k; grp++) {
		int first = -1;
		bool interior = false;

		for (size_t v = 0; v < g->nn; v++) {
			if (g->n[v].group != grp)
				continue;
			if (first < 0)
				first = (int)v;
			interior |= !g->n[v].border;
		}
		if (first >= 0 && !interior)
			g->n[first].area_lo = true;
	}
	free(dist);
	free(pe);
	free(q);
	free(touches_spine);
}

bool
tg_plan(struct tgraph *g, const struct tg_opts *o, char *err, size_t errlen)
{
	struct tg_adj a;
	bool unset = false;
	size_t pieces;

	if (o->igp == TG_OSPF || o->igp == TG_ISIS || o->igp == TG_NO_IGP) {
		for (size_t v = 0; v < g->nn; v++)
			g->n[v].group = 1;
		return true;
	}
	if ((pieces = tg_components(g)) != 1) {
		snprintf(err, errlen,
		    "areas need a connected network, and this one is in %zu pieces",
		    pieces);
		return false;
	}
	for (size_t v = 0; v < g->nn; v++)
		unset |= g->n[v].group == TG_GROUP_NONE;
	if (unset && (size_t)o->areas > g->nn) {
		snprintf(err, errlen, "%d areas need at least %d routers (there are %zu)", o->areas,
		    o->areas, g->nn);
		return false;
	}
	/* A generator's own groups must fill every area. */
	if (!unset) {
		bool *has = xcalloc((size_t)o->areas + 1, sizeof(bool));
		int missing = 0;

		for (size_t v = 0; v < g->nn; v++)
			if (g->n[v].group >= 0 && g->n[v].group <= o->areas)
				has[g->n[v].group] = true;
		for (int ar = 1; ar <= o->areas && missing == 0; ar++)
			if (!has[ar])
				missing = ar;
		free(has);
		if (missing > 0) {
			snprintf(err, errlen, "too few routers for %d areas in this shape",
			    o->areas);
			return false;
		}
	}
	tg_adj_build(g, &a);
	if (unset) {
		for (size_t v = 0; v < g->nn; v++)
			g->n[v].group = TG_GROUP_NONE;
		grow_regions(g, &a, o->areas);
	}
	plan_backbone(g, &a, o->areas, o->igp == TG_ISIS_LEVELS);
	tg_adj_free(&a);
	return true;
}
