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

void *
slab_alloc(struct slab *s)
{
	void *p;

	if (s->free == NULL) {
		/* Chunks grow from 8 objects up to `per`: most tables stay small. */
		size_t count = s->nchunks >= 5 ? s->per : MIN(s->per, (size_t)8 << s->nchunks);
		char *chunk = xmalloc(s->size * count);

		VEC_PUSH(s->chunks, s->nchunks, s->chunkcap, chunk);
		for (size_t i = count; i-- > 0;) {
			*(void **)(chunk + i * s->size) = s->free;
			s->free = chunk + i * s->size;
		}
	}
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
