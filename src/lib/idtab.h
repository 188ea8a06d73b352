/*
 * idtab.h: a hash table of 32-bit object numbers (slab_init_ids), the key
 * living in the object: the RIB's entries and the BGP table's destinations
 * by prefix. A slot holds 4 octets where a pointer table (hmap) spends 16; a
 * node with a full table has a million.
 *
 * Linear probing, at most 3/4 full, doubling, backward-shift deletion
 * (probe.h): the same rules as hmap, so that with the same hash the slots
 * come in the same order as in an hmap of the same keys. The caller gives
 * the hash of a key; home(ctx, number) is the hash of a number's key, for
 * growing and deleting.
 *
 * A slot is number + 1 (0: empty) in its low 24 bits and 8 bits of its key's
 * hash above: a lookup reads the object (a cache miss) only for slots whose
 * bits match, not for every slot it passes. A table given a number of 24
 * bits or more drops the hash bits for good ("wide"). Lookups probe inline
 * with the caller's comparison:
 *
 *     for (size_t i = idtab_first(t, hash); (v = idtab_find(t, &i, hash)) != 0; i = idtab_step(t, i))
 *         if (object v - 1 has the key) ...
 */
#ifndef NETSIM_IDTAB_H
#define NETSIM_IDTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IDTAB_NUM 0xFFFFFFu /* a slot's number + 1, unless wide */

struct idtab {
	uint32_t *slot;
	size_t n, cap; /* cap: a power of two, or 0 */
	bool wide;     /* slots are number + 1 alone */
};

typedef size_t (*idtab_home_fn)(const void *ctx, uint32_t number);

/* The hash bits kept in a slot. */
static inline uint32_t
idtab_tag(size_t hash)
{
	return (uint32_t)(hash >> (sizeof(size_t) * 8 - 8)) << 24;
}

/* What slot value v holds: number + 1. */
static inline uint32_t
idtab_num(const struct idtab *t, uint32_t v)
{
	return t->wide ? v : v & IDTAB_NUM;
}

/* The first slot to probe for hash. */
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

/*
 * From slot *i on, the first full slot whose key may hash to hash: its
 * number + 1 (*i is that slot), or 0 at the first empty slot.
 */
static inline uint32_t
idtab_find(const struct idtab *t, size_t *i, size_t hash)
{
	uint32_t tag = idtab_tag(hash), v;

	if (t->cap == 0)
		return 0;
	for (; (v = t->slot[*i]) != 0; *i = idtab_step(t, *i))
		if (t->wide || (v & ~IDTAB_NUM) == tag)
			return idtab_num(t, v);
	return 0;
}

/* Room for n numbers (grown in one step). */
void idtab_fit(struct idtab *, size_t n, idtab_home_fn, const void *ctx);
/* Add number x (not in the table), whose key hashes to hash. */
void idtab_put(struct idtab *, uint32_t x, size_t hash, idtab_home_fn, const void *ctx);
/* Remove number x (in the table). */
void idtab_del(struct idtab *, uint32_t x, idtab_home_fn, const void *ctx);
/* Empty full slot i (the caller found it with idtab_find); returns the number it held. */
uint32_t idtab_del_slot(struct idtab *, size_t i, idtab_home_fn, const void *ctx);
void idtab_free(struct idtab *);

/* Iterate: for (size_t i = 0; idtab_next(t, &i, &x);) ... (no changes meanwhile). */
static inline int
idtab_next(const struct idtab *t, size_t *pos, uint32_t *x)
{
	while (*pos < t->cap) {
		uint32_t v = t->slot[(*pos)++];

		if (v != 0) {
			*x = idtab_num(t, v) - 1;
			return 1;
		}
	}
	return 0;
}

#endif
