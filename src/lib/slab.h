/*
 * slab.h: a pool of fixed-size objects carved from large chunks, with a free
 * list. Per-node tables (RIB paths and entries) allocate millions of small
 * objects in a large network; a slab spares malloc's per-object overhead and
 * frees a whole table at once.
 */
#ifndef NETSIM_SLAB_H
#define NETSIM_SLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct slab {
	size_t size;     /* object size (at least a pointer) */
	size_t per;      /* objects per chunk, at most (the first chunks are smaller) */
	bool ids;        /* objects also have numbers (slab_init_ids) */
	unsigned pershift; /* per == 1 << pershift, with ids */
	void *free;      /* free list */
	uint32_t free_id; /* with ids: the first free object's number + 1, 0: none */
	void **chunks;
	size_t nchunks, chunkcap;
	size_t live;
};

void slab_init(struct slab *, size_t size, size_t per_chunk);
void *slab_alloc(struct slab *); /* zeroed */
void slab_free(struct slab *, void *);
void slab_destroy(struct slab *);

/*
 * A slab whose objects are also known by a 32-bit number (a table of numbers
 * takes half the memory of a table of pointers): per_chunk is rounded up to
 * a power of two, and objects keep their own size (at least 4 octets: a
 * struct of 28 octets with 4-octet alignment takes 28, not 32). Use only the
 * _id calls on such a slab.
 */
void slab_init_ids(struct slab *, size_t size, size_t per_chunk);
void *slab_alloc_id(struct slab *, uint32_t *id); /* zeroed */
void slab_free_id(struct slab *, uint32_t id);

/* The object numbered id. */
static inline void *
slab_at(const struct slab *s, uint32_t id)
{
	/* Chunks 0-4 hold 8, 16, 32, 64 and 128 objects (248 in all), the others `per` each. */
	if (id < 248) {
		unsigned k = 31 - (unsigned)__builtin_clz(id / 8 + 1);

		return (char *)s->chunks[k] + (size_t)(id - 8 * ((1u << k) - 1)) * s->size;
	}
	id -= 248;
	return (char *)s->chunks[5 + (id >> s->pershift)] +
	       (size_t)(id & ((1u << s->pershift) - 1)) * s->size;
}

#endif
