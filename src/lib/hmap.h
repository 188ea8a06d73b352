/*
 * hmap.h: open-addressing hash map from a 64-bit key to a pointer.
 *
 * Used for per-node tables (RIB and FIB by prefix, ARP by address, MAC
 * tables by VLAN+MAC). Iteration order depends on the keys only, never on
 * pointers; anything printed is sorted first anyway.
 */
#ifndef NETSIM_HMAP_H
#define NETSIM_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_slot {
	uint64_t key;
	void *val; /* NULL = empty slot */
};

struct hmap {
	struct hmap_slot *s;
	size_t n, cap; /* cap is a power of two, or 0 */
};

/* The slot hash of a key (idtab users that want hmap's order hash with it). */
static inline size_t
hmap_hash(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return (size_t)k;
}

void hmap_init(struct hmap *);
void hmap_free(struct hmap *);
void *hmap_get(const struct hmap *, uint64_t key);
/* Insert or replace (val must not be NULL); returns the previous value or NULL. */
void *hmap_put(struct hmap *, uint64_t key, void *val);
void *hmap_del(struct hmap *, uint64_t key);

/*
 * Strings as keys: a table of index + 1 under str_hash(s), probing on to the
 * next key past another string of the same hash. name(ctx, i) is the string
 * of index i. Returns s's index, or -1; *slot is the key s is (or goes) under.
 */
int hmap_str_find(const struct hmap *, const char *s, const char *(*name)(const void *, int),
    const void *ctx, uint64_t *slot);

/* Iterate: for (size_t i = 0; hmap_next(m, &i, &k, &v); ) ... (no insertions meanwhile). */
int hmap_next(const struct hmap *, size_t *pos, uint64_t *key, void **val);


#endif
