/*
 * slab.h: a pool of fixed-size objects carved from large chunks, with a free
 * list. Per-node tables (RIB paths and entries) allocate millions of small
 * objects in a large network; a slab spares malloc's per-object overhead and
 * frees a whole table at once.
 */
#ifndef NETSIM_SLAB_H
#define NETSIM_SLAB_H

#include <stddef.h>

struct slab {
	size_t size;     /* object size (at least a pointer) */
	size_t per;      /* objects per chunk, at most (the first chunks are smaller) */
	void *free;      /* free list */
	void **chunks;
	size_t nchunks, chunkcap;
	size_t live;
};

void slab_init(struct slab *, size_t size, size_t per_chunk);
void *slab_alloc(struct slab *); /* zeroed */
void slab_free(struct slab *, void *);
void slab_destroy(struct slab *);

#endif
