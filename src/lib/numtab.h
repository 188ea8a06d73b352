/*
 * numtab.h: dense numbers for shared keys (OSPF's LSA keys and prefixes).
 *
 * A numpool hands out small numbers and takes them back, the last one given
 * back being the first reused, so that arrays indexed by them stay as small
 * as the set of live keys. A numtab finds the number of a key by hash: a
 * linear-probing table whose slots hold number + 1 (0 is empty), grown to
 * keep it at most half full, with deletion by backward shift (no
 * tombstones). The keys themselves live in the caller's array, so the caller
 * probes with its own comparison, through a view of the table:
 *
 *     struct numtab_view v = numtab_view(t);
 *     for (uint32_t i = hash; !v.empty && (s = numtab_at(v, i)) != 0; i++)
 *         if (same key as number s - 1) ...
 *
 * home_of(x) is the hash of number x's key.
 *
 * Readers on other threads: numbers may be added (under the caller's lock)
 * while other threads look keys up without one. The view takes the slot
 * array and its size once and reads slots atomically; an addition stores the
 * key first and its slot last, and a larger array is published before its
 * size, so a reader finds a key added before it looked or misses it (then it
 * takes the lock and looks again). Arrays replaced meanwhile are kept on a
 * struct retire list until no reader can hold them (retire_flush). Removals
 * and numpool_put are for single-threaded phases only.
 */
#ifndef NETSIM_NUMTAB_H
#define NETSIM_NUMTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Memory replaced while other threads may still read it: freed by retire_flush(). */
struct retire {
	void **v;
	size_t n, cap;
};

/* Keep p until retire_flush (r NULL: free it now). */
void retire_push(struct retire *r, void *p);
void retire_flush(struct retire *);
/*
 * Grow *arr (of *cap elements of size sz) to hold need elements, as
 * grow_array() does, for readers on other threads: the new array is filled
 * and then published; the old one goes to r (freed at once if r is NULL).
 */
void grow_published(void **arr, size_t *cap, size_t need, size_t sz, struct retire *r);

struct numpool {
	uint32_t n; /* numbers handed out so far (some may be back in free) */
	uint32_t *free;
	size_t nfree, cap;
};

/* A number: the last one given back, else n (then *fresh is set and n grows). */
uint32_t numpool_get(struct numpool *, bool *fresh);
/* Numbers handed out so far (safe to read while another thread adds). */
static inline uint32_t
numpool_count(const struct numpool *p)
{
	return __atomic_load_n(&p->n, __ATOMIC_ACQUIRE);
}
void numpool_put(struct numpool *, uint32_t x);

struct numtab {
	uint32_t *slot;
	uint32_t nslot; /* a power of two, or 0 */
	uint32_t live;
};

/* A snapshot of the table for probing, safe while another thread adds. */
struct numtab_view {
	const uint32_t *slot;
	uint32_t mask;
	bool empty;
};

static inline struct numtab_view
numtab_view(const struct numtab *t)
{
	uint32_t n = __atomic_load_n(&t->nslot, __ATOMIC_ACQUIRE);
	const uint32_t *s = __atomic_load_n(&t->slot, __ATOMIC_ACQUIRE);

	return (struct numtab_view){s, n - 1, n == 0};
}

/* Slot i of the view: number + 1, 0 if empty. */
static inline uint32_t
numtab_at(struct numtab_view v, uint32_t i)
{
	return __atomic_load_n(&v.slot[i & v.mask], __ATOMIC_ACQUIRE);
}

/*
 * Add number x (not in the table), growing the table first if it is half
 * full; the old array goes to r (NULL: freed at once).
 */
void numtab_add(struct numtab *, uint32_t x, uint32_t (*home_of)(uint32_t), struct retire *r);
/* Remove number x (in the table). */
void numtab_remove(struct numtab *, uint32_t x, uint32_t (*home_of)(uint32_t));

#endif
