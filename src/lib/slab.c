/* slab.c: fixed-size object pool (see slab.h). */
#include <stdlib.h>
#include <string.h>

#include "slab.h"
#include "util.h"

void
slab_init(struct slab *s, size_t size, size_t per)
{
	memset(s, 0, sizeof(*s));
	size = (size + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
	s->size = size < sizeof(void *) ? sizeof(void *) : size;
	s->per = per ? per : 64;
}

/*
 * Chunks grow from 8 objects up to `per`: most tables stay small. A free
 * object holds the next free one: a pointer, or with ids that one's number
 * + 1 (0: none) in its first four octets, so that objects keep their own
 * size and alignment (a 28-octet object stays 28 octets).
 */
static void
add_chunk(struct slab *s)
{
	size_t count = s->nchunks >= 5 ? s->per : MIN(s->per, (size_t)8 << s->nchunks);
	uint32_t first = s->nchunks >= 5 ? 248 + (uint32_t)((s->nchunks - 5) * s->per)
	                                 : 8 * ((1u << s->nchunks) - 1);
	char *chunk = xmalloc(s->size * count);

	VEC_PUSH(s->chunks, s->nchunks, s->chunkcap, chunk);
	for (size_t i = count; i-- > 0;) {
		if (s->ids) {
			memcpy(chunk + i * s->size, &s->free_id, sizeof(s->free_id));
			s->free_id = first + (uint32_t)i + 1;
		} else {
			*(void **)(chunk + i * s->size) = s->free;
			s->free = chunk + i * s->size;
		}
	}
}

void
slab_init_ids(struct slab *s, size_t size, size_t per)
{
	unsigned shift = 7; /* at least the 128 objects of chunk 4 (slab_at) */

	while ((1u << shift) < per)
		shift++;
	memset(s, 0, sizeof(*s));
	s->size = size < sizeof(s->free_id) ? sizeof(s->free_id) : size;
	s->per = 1u << shift;
	s->ids = true;
	s->pershift = shift;
}

void *
slab_alloc_id(struct slab *s, uint32_t *id)
{
	void *p;

	if (s->free_id == 0)
		add_chunk(s);
	*id = s->free_id - 1;
	p = slab_at(s, *id);
	memcpy(&s->free_id, p, sizeof(s->free_id));
	memset(p, 0, s->size);
	s->live++;
	return p;
}

void
slab_free_id(struct slab *s, uint32_t id)
{
	void *p = slab_at(s, id);

	memcpy(p, &s->free_id, sizeof(s->free_id));
	s->free_id = id + 1;
	s->live--;
}

void *
slab_alloc(struct slab *s)
{
	void *p;

	if (s->free == NULL)
		add_chunk(s);
	p = s->free;
	s->free = *(void **)p;
	memset(p, 0, s->size);
	s->live++;
	return p;
}

void
slab_free(struct slab *s, void *p)
{
	*(void **)p = s->free;
	s->free = p;
	s->live--;
}

void
slab_destroy(struct slab *s)
{
	for (size_t i = 0; i < s->nchunks; i++)
		free(s->chunks[i]);
	free(s->chunks);
	memset(s, 0, sizeof(*s));
}
