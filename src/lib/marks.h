/*
 * marks.h: scratch indexed by small integers (0..n-1) that empties in O(1):
 * each slot carries the generation it was set in, and clearing starts a new
 * generation. For per-call scratch indexed by dense numbers (LSA keys,
 * prefixes) in hot paths, where a memset per call would cost more than the
 * work. Two forms: stamped arrays of the caller's structs, and struct marks,
 * a map from such numbers to a 32-bit value, built on one.
 */
#ifndef NETSIM_MARKS_H
#define NETSIM_MARKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * The same O(1) emptying for a scratch array of structs indexed by dense
 * numbers (SPF vertices, routes by prefix), each with a uint32_t member
 * stamp: element x is set in the current generation gen when its stamp is
 * gen. Elements past the old end start all zero (stamp 0: never set), and
 * when gen wraps every element is zeroed, so an element's other members
 * mean something only while its stamp is gen.
 */

/* Grow v (*n elements of sz bytes) to max(need, 2 * *n) elements. */
void stamped_grow(void **v, size_t *n, size_t need, size_t sz);

/* Make room for elements 0..need-1 (set ones stay set). */
static inline void
stamped_fit(void **v, size_t *n, size_t need, size_t sz)
{
	if (need > *n)
		stamped_grow(v, n, need, sz);
}

/* Make room for elements 0..need-1 and empty the array: a new generation. */
static inline void
stamped_clear(void **v, size_t *n, uint32_t *gen, size_t need, size_t sz)
{
	stamped_fit(v, n, need, sz);
	if (++*gen == 0) { /* wrapped: elements set 2^32 generations ago would match */
		if (*n > 0)
			memset(*v, 0, *n * sz);
		*gen = 1;
	}
}

/* On a typed array: STAMPED_CLEAR(s.v, s.nv, s.stamp, need), with s.nv a size_t. */
#define STAMPED_FIT(v, n, need) stamped_fit((void **)&(v), &(n), (need), sizeof(*(v)))
#define STAMPED_CLEAR(v, n, gen, need)                                                             \
	stamped_clear((void **)&(v), &(n), &(gen), (need), sizeof(*(v)))

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
