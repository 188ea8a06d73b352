/*
 * numtab.h: dense numbers for shared keys (OSPF's LSA keys and prefixes).
 *
 * A numpool hands out small numbers and takes them back, the last one given
 * back being the first reused, so that arrays indexed by them stay as small
 * as the set of live keys. A numtab finds the number of a key by hash: a
 * linear-probing table whose slots hold number + 1 (0 is empty), grown to
 * keep it at most half full, with deletion by backward shift (no
 * tombstones). The keys themselves live in the caller's array, so the caller
 * probes with its own comparison:
 *
 *     for (i = numtab_first(t, hash); t->slot[i]; i = numtab_next(t, i))
 *         if (same key as number t->slot[i] - 1) ...
 *
 * (after checking t->nslot != 0). home_of(x) is the hash of number x's key.
 */
#ifndef NETSIM_NUMTAB_H
#define NETSIM_NUMTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct numpool {
	uint32_t n; /* numbers handed out so far (some may be back in free) */
	uint32_t *free;
	size_t nfree, cap;
};

/* A number: the last one given back, else n (then *fresh is set and n grows). */
uint32_t numpool_get(struct numpool *, bool *fresh);
void numpool_put(struct numpool *, uint32_t x);

struct numtab {
	uint32_t *slot;
	uint32_t nslot; /* a power of two, or 0 */
	uint32_t live;
};

static inline uint32_t
numtab_first(const struct numtab *t, uint32_t hash)
{
	return hash & (t->nslot - 1);
}

static inline uint32_t
numtab_next(const struct numtab *t, uint32_t i)
{
	return (i + 1) & (t->nslot - 1);
}

/* Add number x (not in the table), growing the table first if it is half full. */
void numtab_add(struct numtab *, uint32_t x, uint32_t (*home_of)(uint32_t));
/* Remove number x (in the table). */
void numtab_remove(struct numtab *, uint32_t x, uint32_t (*home_of)(uint32_t));

#endif
