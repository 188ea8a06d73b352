/*
 * idtab.h: a hash table of 32-bit object numbers (slab_init_ids), the key
 * living in the object: the RIB's entries and the BGP table's destinations
 * by prefix. A slot holds number + 1 (0: empty) in 4 octets where a pointer
 * table (hmap) spends 16 per slot; a node with a full table has a million.
 *
 * Linear probing, at most 3/4 full, doubling, backward-shift deletion
 * (probe.h): the same rules as hmap, so that with the same hash the slots
 * come in the same order as in an hmap of the same keys. The caller gives
 * the hash of a key; home(ctx, number) is the hash of a number's key, for
 * growing and deleting. Lookups probe inline with the caller's comparison:
 *
 *     for (size_t i = idtab_first(t, hash); (v = idtab_slot(t, i)) != 0; i = idtab_step(t, i))
 *         if (object v - 1 has the key) ...
 */
#ifndef NETSIM_IDTAB_H
#define NETSIM_IDTAB_H

#include <stddef.h>
#include <stdint.h>

struct idtab {
	uint32_t *slot;
	size_t n, cap; /* cap: a power of two, or 0 */
};

typedef size_t (*idtab_home_fn)(const void *ctx, uint32_t number);

/* The first slot to probe for hash (an empty table: an empty slot). */
static inline size_t
idtab_first(const struct idtab *t, size_t hash)
{
	return t->cap ? hash & (t->cap - 1) : 0;
}

static inline size_t
idtab_step(const struct idtab *t, size_t i)
{
	return (i + 1) & (t->cap - 1);
}

/* Slot i: number + 1, or 0 (always 0 in an empty table). */
static inline uint32_t
idtab_slot(const struct idtab *t, size_t i)
{
	return t->cap ? t->slot[i] : 0;
}

/* Room for n numbers (grown in one step). */
void idtab_fit(struct idtab *, size_t n, idtab_home_fn, const void *ctx);
/* Add number x (not in the table), whose key hashes to hash. */
void idtab_put(struct idtab *, uint32_t x, size_t hash, idtab_home_fn, const void *ctx);
/* Remove number x (in the table). */
void idtab_del(struct idtab *, uint32_t x, idtab_home_fn, const void *ctx);
/* Empty full slot i (the caller probed to it); returns the number it held. */
uint32_t idtab_del_slot(struct idtab *, size_t i, idtab_home_fn, const void *ctx);
void idtab_free(struct idtab *);

/* Iterate: for (size_t i = 0; idtab_next(t, &i, &x);) ... (no changes meanwhile). */
static inline int
idtab_next(const struct idtab *t, size_t *pos, uint32_t *x)
{
	while (*pos < t->cap) {
		uint32_t v = t->slot[(*pos)++];

		if (v != 0) {
			*x = v - 1;
			return 1;
		}
	}
	return 0;
}

#endif
