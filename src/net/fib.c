/* fib.c: longest-prefix match with ECMP (see fib.h). */
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "fib.h"

struct fib *
fib_new(void)
{
	struct fib *f = xcalloc(1, sizeof(*f));

	hmap_init(&f->tab);
	return f;
}

void
fib_free(struct fib *f)
{
	size_t i = 0;
	void *v;

	if (f == NULL)
		return;
	while (hmap_next(&f->tab, &i, NULL, &v))
		free(v);
	hmap_free(&f->tab);
	free(f);
}

void
fib_install(struct fib *f, const struct prefix *p, const struct route *r)
{
	uint64_t key = prefix_key(p);
	struct fib_entry *e = hmap_get(&f->tab, key);

	if (e == NULL) {
		e = xmalloc(sizeof(*e));
		e->pfx = *p;
		hmap_put(&f->tab, key, e);
		f->count[p->len]++;
	}
	e->nnh = r->nnh;
	memcpy(e->nh, r->nh, sizeof(e->nh[0]) * r->nnh);
}

void
fib_remove(struct fib *f, const struct prefix *p)
{
	struct fib_entry *e = hmap_del(&f->tab, prefix_key(p));

	if (e != NULL) {
		f->count[p->len]--;
		free(e);
	}
}

const struct fib_entry *
fib_lookup(struct fib *f, uint32_t addr)
{
	f->lookups++;
	for (int len = 32; len >= 0; len--) {
		struct prefix p = {addr & ip_mask((unsigned)len), (uint8_t)len};
		struct fib_entry *e;

		if (f->count[len] == 0)
			continue;
		if ((e = hmap_get(&f->tab, prefix_key(&p))) != NULL)
			return e;
	}
	return NULL;
}

const struct nexthop *
fib_select(const struct fib_entry *e, uint32_t src, uint32_t dst)
{
	uint32_t h;

	if (e->nnh <= 1)
		return &e->nh[0];
	/* A per-flow hash keeps one flow on one path, as real routers do. */
	h = src * 2654435761u ^ dst * 2246822519u;
	h ^= h >> 15;
	return &e->nh[h % e->nnh];
}
