/*
 * marks.h: a map from small integers (0..n-1) to a 32-bit value that empties
 * in O(1): each slot carries the generation it was set in, and clearing the
 * map starts a new generation. For per-call scratch indexed by dense numbers
 * (LSA keys, prefixes) in hot paths, where a memset per call would cost more
 * than the work.
 */
#ifndef NETSIM_MARKS_H
#define NETSIM_MARKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct marks {
	uint32_t *gen_of, *val;
	size_t cap;
	uint32_t gen;
};

/* Empty the map and make room for keys 0..n-1. */
void marks_clear(struct marks *, size_t n);

static inline bool
marks_has(const struct marks *m, size_t x)
{
	return m->gen_of[x] == m->gen;
}

static inline void
marks_set(struct marks *m, size_t x, uint32_t val)
{
	m->gen_of[x] = m->gen;
	m->val[x] = val;
}

static inline uint32_t
marks_get(const struct marks *m, size_t x)
{
	return m->val[x];
}

#endif
