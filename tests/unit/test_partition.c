/*
 * test_partition.c: the partition of a distributed run (src/sim/partition.c).
 *
 * On grids and rings of several sizes, for 1 to 5 ranks: every device gets
 * a rank in range, the ranks' sizes differ by at most one, the links cut
 * are at most a grid's diagonal per boundary and fewer than a round-robin
 * assignment cuts, and the result does not
 * change from one call to the next. Pinned devices stay where they are
 * pinned, with the free ones balancing around them; devices of separate
 * components are all placed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/util.h"
#include "sim/partition.h"

struct graph {
	size_t n;
	size_t *off;
	uint32_t *adj;
};

/* An undirected graph from an edge list, neighbours in edge order. */
static void
graph_build(struct graph *g, size_t n, const uint32_t (*e)[2], size_t ne)
{
	size_t *deg = calloc(n + 1, sizeof(*deg));

	g->n = n;
	g->off = calloc(n + 1, sizeof(*g->off));
	g->adj = calloc(2 * ne + 1, sizeof(*g->adj));
	for (size_t i = 0; i < ne; i++) {
		deg[e[i][0]]++;
		deg[e[i][1]]++;
	}
	for (size_t v = 0; v < n; v++)
		g->off[v + 1] = g->off[v] + deg[v];
	memset(deg, 0, sizeof(*deg) * (n + 1));
	for (size_t i = 0; i < ne; i++) {
		uint32_t a = e[i][0], b = e[i][1];

		g->adj[g->off[a] + deg[a]++] = b;
		g->adj[g->off[b] + deg[b]++] = a;
	}
	free(deg);
}

static void
graph_free(struct graph *g)
{
	free(g->off);
	free(g->adj);
}

/* A rows x cols grid, numbered row by row, as `netsim gen grid` numbers it. */
static void
grid(struct graph *g, size_t rows, size_t cols)
{
	uint32_t (*e)[2] = calloc(2 * rows * cols + 1, sizeof(*e));
	size_t ne = 0;

	for (size_t r = 0; r < rows; r++)
		for (size_t c = 0; c < cols; c++) {
			uint32_t v = (uint32_t)(r * cols + c);

			if (c + 1 < cols) {
				e[ne][0] = v;
				e[ne++][1] = v + 1;
			}
			if (r + 1 < rows) {
				e[ne][0] = v;
				e[ne++][1] = (uint32_t)(v + cols);
			}
		}
	graph_build(g, rows * cols, (const uint32_t (*)[2])e, ne);
	free(e);
}

static size_t
cut(const struct graph *g, const int *part)
{
	size_t n = 0;

	for (size_t v = 0; v < g->n; v++)
		for (size_t i = g->off[v]; i < g->off[v + 1]; i++)
			n += part[v] != part[g->adj[i]];
	return n / 2;
}

static void
check_balanced(const struct graph *g, const int *part, int k)
{
	size_t *cnt = calloc((size_t)k, sizeof(*cnt)), lo = SIZE_MAX, hi = 0;

	for (size_t v = 0; v < g->n; v++) {
		assert_true(part[v] >= 0 && part[v] < k);
		cnt[part[v]]++;
	}
	for (int r = 0; r < k; r++) {
		lo = MIN(lo, cnt[r]);
		hi = MAX(hi, cnt[r]);
	}
	assert_true(hi - lo <= 1);
	free(cnt);
}

static void
test_grids(void **state)
{
	static const size_t dims[][2] = {{6, 8}, {10, 10}, {3, 17}, {1, 9}, {20, 30}};

	(void)state;
	for (size_t d = 0; d < ARRAY_LEN(dims); d++)
		for (int k = 1; k <= 5; k++) {
			struct graph g;
			int *part, *again, *rr;

			grid(&g, dims[d][0], dims[d][1]);
			part = malloc(sizeof(int) * g.n);
			again = malloc(sizeof(int) * g.n);
			rr = malloc(sizeof(int) * g.n);
			partition_bfs(g.n, g.off, g.adj, NULL, k, part);
			partition_bfs(g.n, g.off, g.adj, NULL, k, again);
			assert_memory_equal(part, again, sizeof(int) * g.n);
			check_balanced(&g, part, k);
			for (size_t v = 0; v < g.n; v++)
				rr[v] = (int)(v % (size_t)k);
			if (k == 1)
				assert_int_equal(cut(&g, part), 0);
			else
				/* Each boundary is at most a diagonal of the grid: far below round-robin's cut. */
				assert_true(cut(&g, part) <= (size_t)(k - 1) * 2 * MAX(dims[d][0], dims[d][1]) &&
				            cut(&g, part) < cut(&g, rr));
			free(part);
			free(again);
			free(rr);
			graph_free(&g);
		}
}

static void
test_pinned(void **state)
{
	struct graph g;
	int pin[48], part[48];
	size_t cnt[3] = {0};

	(void)state;
	grid(&g, 6, 8);
	for (size_t v = 0; v < 48; v++)
		pin[v] = -1;
	pin[0] = 2;  /* the corner where the order starts, to the last rank */
	pin[47] = 0;
	pin[20] = 1;
	partition_bfs(g.n, g.off, g.adj, pin, 3, part);
	assert_int_equal(part[0], 2);
	assert_int_equal(part[47], 0);
	assert_int_equal(part[20], 1);
	for (size_t v = 0; v < 48; v++)
		cnt[part[v]]++;
	assert_int_equal(cnt[0], 16);
	assert_int_equal(cnt[1], 16);
	assert_int_equal(cnt[2], 16);
	/* Everything pinned to one rank: the others get nothing, and nobody is left out. */
	for (size_t v = 0; v < 48; v++)
		pin[v] = v < 40 ? 1 : -1;
	partition_bfs(g.n, g.off, g.adj, pin, 3, part);
	memset(cnt, 0, sizeof(cnt));
	for (size_t v = 0; v < 48; v++) {
		assert_true(part[v] >= 0 && part[v] < 3);
		cnt[part[v]]++;
	}
	assert_int_equal(cnt[1], 40);
	assert_int_equal(cnt[0] + cnt[2], 8);
	assert_true(cnt[0] == 4 && cnt[2] == 4);
	graph_free(&g);
}

static void
test_components(void **state)
{
	/* Two triangles and an isolated vertex, numbered across each other. */
	static const uint32_t e[][2] = {{0, 2}, {2, 4}, {4, 0}, {1, 3}, {3, 5}, {5, 1}};
	struct graph g;
	int part[7];

	(void)state;
	graph_build(&g, 7, e, ARRAY_LEN(e));
	partition_bfs(g.n, g.off, g.adj, NULL, 2, part);
	check_balanced(&g, part, 2);
	/* The first component fills rank 0 before the second starts. */
	assert_int_equal(part[0], 0);
	assert_int_equal(part[2], 0);
	assert_int_equal(part[4], 0);
	assert_int_equal(cut(&g, part), 2);
	graph_free(&g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grids),
		cmocka_unit_test(test_pinned),
		cmocka_unit_test(test_components),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
