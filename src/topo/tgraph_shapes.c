/*
 * tgraph_shapes.c: the regular and random networks of `netsim gen`
 * (tgraph.h): who is linked to whom, and for some shapes the areas that
 * suit them (the grid's column strips, the Clos fabric's spines and leaves).
 */
#include <stdint.h>
#include <stdio.h>

#include "../lib/rng.h"
#include "../lib/util.h"
#include "tgraph.h"

static void
add_routers(struct tgraph *g, const char *prefix, long n)
{
	char name[32];

	for (long i = 1; i <= n; i++) {
		snprintf(name, sizeof(name), "%s%ld", prefix, i);
		tg_add_node(g, name, 0);
	}
}

/* Rows x columns, row-major; with K areas, K strips of whole columns (K <= columns). */
void
tg_grid(struct tgraph *g, long rows, long cols, int areas)
{
	add_routers(g, "r", rows * cols);
	for (long i = 0; i < rows; i++)
		for (long j = 0; j < cols; j++) {
			int k = (int)(i * cols + j);

			if (areas <= cols)
				g->n[k].group = (int)(j * areas / cols) + 1;
			if (j + 1 < cols)
				tg_add_edge(g, k, k + 1, 0, 0, 0);
			if (i + 1 < rows)
				tg_add_edge(g, k, (int)(k + cols), 0, 0, 0);
		}
}

/* Consecutive runs of routers for K areas (ring arcs, full-mesh slices). */
static void
runs(struct tgraph *g, int areas)
{
	if ((size_t)areas > g->nn)
		return;
	for (size_t k = 0; k < g->nn; k++)
		g->n[k].group = (int)(k * (size_t)areas / g->nn) + 1;
}

void
tg_ring(struct tgraph *g, long n, int areas)
{
	add_routers(g, "r", n);
	for (long k = 0; k < n; k++)
		tg_add_edge(g, (int)k, (int)((k + 1) % n), 0, 0, 0);
	runs(g, areas);
}

void
tg_full_mesh(struct tgraph *g, long n, int areas)
{
	add_routers(g, "r", n);
	for (long a = 0; a < n; a++)
		for (long b = a + 1; b < n; b++)
			tg_add_edge(g, (int)a, (int)b, 0, 0, 0);
	runs(g, areas);
}

/*
 * A two-tier Clos (leaf-spine) fabric: every leaf linked to every spine.
 * With areas, the spines and the first leaf are the backbone (the leaf's
 * uplinks join the spines in area 0, so that the backbone is contiguous)
 * and the other leaves are split into K areas in order: OSPF puts each
 * leaf-spine link in the leaf's area (the spines are ABRs); IS-IS makes the
 * backbone level 2 and the other leaves L1L2 in their areas. Without areas
 * (or with more areas than leaves but one, refused by tg_plan) the groups
 * do not matter.
 */
void
tg_clos(struct tgraph *g, long spines, long leaves, int areas)
{
	add_routers(g, "spine", spines);
	add_routers(g, "leaf", leaves);
	for (long s = 0; s < spines; s++) {
		g->n[s].group = 0;
		g->n[s].hosts = false;
		g->n[s].spine = true;
	}
	for (long l = 0; l < leaves; l++) {
		if (l == 0 || leaves - 1 < areas)
			g->n[spines + l].group = 0;
		else
			g->n[spines + l].group = (int)((l - 1) * areas / (leaves - 1)) + 1;
		for (long s = 0; s < spines; s++)
			tg_add_edge(g, (int)(spines + l), (int)s, 0, 0, 0);
	}
}

/*
 * N routers, about D links each on average: a random spanning tree (router
 * i joins one of the routers before it, so the network is connected), then
 * random extra links, never a router to itself nor twice between two.
 */
void
tg_random(struct tgraph *g, long n, long degree, uint64_t seed)
{
	struct rng r;
	struct hmap have;
	uint64_t target = (uint64_t)n * (uint64_t)degree / 2;

	add_routers(g, "r", n);
	rng_seed(&r, seed, 0);
	hmap_init(&have);
	for (long i = 1; i < n; i++) {
		long j = (long)rng_below(&r, (uint64_t)i);

		hmap_put(&have, (uint64_t)j * (uint64_t)n + (uint64_t)i, g);
		tg_add_edge(g, (int)j, (int)i, 0, 0, 0);
	}
	while (g->ne < target) {
		long a = (long)rng_below(&r, (uint64_t)n), b = (long)rng_below(&r, (uint64_t)n);
		uint64_t key = (uint64_t)MIN(a, b) * (uint64_t)n + (uint64_t)MAX(a, b);

		if (a == b || hmap_get(&have, key) != NULL)
			continue;
		hmap_put(&have, key, g);
		tg_add_edge(g, (int)MIN(a, b), (int)MAX(a, b), 0, 0, 0);
	}
	hmap_free(&have);
}

