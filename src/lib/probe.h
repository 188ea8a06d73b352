/*
 * probe.h: deletion in linear-probing hash tables without tombstones
 * (backward shift), shared by every open-addressing table in netsim: hmap,
 * numtab, idtab (the RIB's and the BGP table's prefix tables) and OSPF's LSA
 * key maps.
 *
 * A table is an array of mask + 1 slots (a power of two) of one size each;
 * a slot of all zero bytes is empty. To delete, the caller finds the entry
 * with its own comparison, empties its slot and calls probe_backshift(),
 * which moves back every following entry that would no longer be found.
 */
#ifndef NETSIM_PROBE_H
#define NETSIM_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* What a home function returns for an empty slot. */
#define PROBE_EMPTY SIZE_MAX

/*
 * With a hole at slot i, the entry at slot j, whose home slot is home, moves
 * into the hole unless its home lies cyclically in (i, j].
 */
static inline bool
probe_moves_back(size_t home, size_t i, size_t j)
{
	return (j > i && (home <= i || home > j)) || (j < i && home <= i && home > j);
}

/*
 * Close the hole at slot hole of the table slots (slot size sz). home(slot,
 * ctx) is the hash of a full slot's key (bits above mask are ignored), or
 * PROBE_EMPTY for an empty slot. Inline, so that home is called directly.
 */
static inline void
probe_backshift(void *slots, size_t sz, size_t mask, size_t hole,
                size_t (*home)(const void *slot, const void *ctx), const void *ctx)
{
	char *s = slots;
	size_t h;

	for (size_t j = (hole + 1) & mask; (h = home(s + j * sz, ctx)) != PROBE_EMPTY;
	     j = (j + 1) & mask)
		if (probe_moves_back(h & mask, hole, j)) {
			memcpy(s + hole * sz, s + j * sz, sz);
			memset(s + j * sz, 0, sz);
			hole = j;
		}
}

#endif
