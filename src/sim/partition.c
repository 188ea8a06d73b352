/* partition.c: breadth-first blocks (see partition.h). */
#include <stdbool.h>
#include <stdlib.h>

#include "../lib/util.h"
#include "partition.h"

/* The vertices in breadth-first order, component by component, from the lowest-numbered. */
static uint32_t *
bfs_order(size_t n, const size_t *off, const uint32_t *adj)
{
	uint32_t *order = xmalloc(sizeof(*order) * (n + 1));
	bool *seen = xcalloc(n + 1, sizeof(*seen));
	size_t head = 0, tail = 0;

	for (size_t s = 0; s < n; s++) {
		if (seen[s])
			continue;
		seen[s] = true;
		order[tail++] = (uint32_t)s;
		while (head < tail) {
			uint32_t v = order[head++];

			for (size_t i = off[v]; i < off[v + 1]; i++)
				if (!seen[adj[i]]) {
					seen[adj[i]] = true;
					order[tail++] = adj[i];
				}
		}
	}
	free(seen);
	return order;
}

void
partition_bfs(size_t n, const size_t *off, const uint32_t *adj, const int *pin, int k, int *part)
{
	size_t *quota = xcalloc((size_t)k, sizeof(*quota)), *pinned = xcalloc((size_t)k, sizeof(*pinned));
	size_t nfree = n;
	uint32_t *order;
	int r = 0;

	for (size_t v = 0; v < n; v++)
		if (pin != NULL && pin[v] >= 0 && pin[v] < k) {
			pinned[pin[v]]++;
			nfree--;
		}
	/*
	 * How many free devices each rank takes: one at a time to the rank with
	 * the fewest so far (pinned included; ties to the lowest rank), so that
	 * without pins the first n % k ranks get one more, and a rank pinned
	 * beyond its share leaves the free devices to the others evenly.
	 */
	for (size_t i = 0; i < nfree; i++) {
		int best = 0;

		for (int q = 1; q < k; q++)
			if (pinned[q] + quota[q] < pinned[best] + quota[best])
				best = q;
		quota[best]++;
	}
	order = bfs_order(n, off, adj);
	for (size_t i = 0; i < n; i++) {
		uint32_t v = order[i];

		if (pin != NULL && pin[v] >= 0 && pin[v] < k) {
			part[v] = pin[v];
			continue;
		}
		while (quota[r] == 0)
			r++;
		quota[r]--;
		part[v] = r;
	}
	free(order);
	free(quota);
	free(pinned);
}
