/* hmap.c: linear probing with backward-shift deletion (no tombstones). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "probe.h"
#include "util.h"

void
hmap_init(struct hmap *m)
{
	m->s = NULL;
	m->n = m->cap = 0;
}

void
hmap_free(struct hmap *m)
{
	free(m->s);
	hmap_init(m);
}

void *
hmap_get(const struct hmap *m, uint64_t key)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	for (i = hmap_hash(key) & (m->cap - 1); m->s[i].val; i = (i + 1) & (m->cap - 1))
		if (m->s[i].key == key)
			return m->s[i].val;
	return NULL;
}

static void
resize(struct hmap *m, size_t cap)
{
	struct hmap_slot *old = m->s;
	size_t oldcap = m->cap;

	m->s = xcalloc(cap, sizeof(*m->s));
	m->cap = cap;
	m->n = 0;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].val)
			hmap_put(m, old[i].key, old[i].val);
	free(old);
}

void *
hmap_put(struct hmap *m, uint64_t key, void *val)
{
	size_t i;

	if ((m->n + 1) * 4 > m->cap * 3)
		resize(m, m->cap ? m->cap * 2 : 16);
	for (i = hmap_hash(key) & (m->cap - 1); m->s[i].val; i = (i + 1) & (m->cap - 1)) {
		if (m->s[i].key == key) {
			void *prev = m->s[i].val;

			m->s[i].val = val;
			return prev;
		}
	}
	m->s[i].key = key;
	m->s[i].val = val;
	m->n++;
	return NULL;
}

static size_t
slot_home(const void *p, const void *ctx UNUSED)
{
	const struct hmap_slot *s = p;

	return s->val ? hmap_hash(s->key) : PROBE_EMPTY;
}

void *
hmap_del(struct hmap *m, uint64_t key)
{
	size_t i, mask = m->cap - 1;
	void *val;

	if (m->cap == 0)
		return NULL;
	for (i = hmap_hash(key) & mask; m->s[i].val; i = (i + 1) & mask)
		if (m->s[i].key == key)
			break;
	if (m->s[i].val == NULL)
		return NULL;
	val = m->s[i].val;
	m->s[i].val = NULL;
	m->n--;
	probe_backshift(m->s, sizeof(*m->s), mask, i, slot_home, NULL);
	return val;
}

int
hmap_next(const struct hmap *m, size_t *pos, uint64_t *key, void **val)
{
	while (*pos < m->cap) {
		size_t i = (*pos)++;

		if (m->s[i].val) {
			if (key)
				*key = m->s[i].key;
			if (val)
				*val = m->s[i].val;
			return 1;
		}
	}
	return 0;
}

int
hmap_str_find(const struct hmap *m, const char *s, const char *(*name)(const void *, int),
    const void *ctx, uint64_t *slot)
{
	uint64_t k = str_hash(s);
	void *v;

	while ((v = hmap_get(m, k)) != NULL) {
		int i = (int)((uintptr_t)v - 1);

		if (strcmp(name(ctx, i), s) == 0) {
			*slot = k;
			return i;
		}
		k++;
	}
	*slot = k;
	return -1;
}
