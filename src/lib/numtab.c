/* numtab.c: dense numbers for shared keys (see numtab.h). */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "numtab.h"
#include "probe.h"
#include "util.h"

static inline uint32_t
numtab_first(const struct numtab *t, uint32_t hash)
{
	return hash & (t->nslot - 1);
}

static inline uint32_t
numtab_next(const struct numtab *t, uint32_t i)
{
	return (i + 1) & (t->nslot - 1);
}

void
retire_push(struct retire *r, void *p)
{
	if (r != NULL && p != NULL)
		VEC_PUSH(r->v, r->n, r->cap, p);
	else
		free(p);
}

void
retire_flush(struct retire *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i]);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

void
grow_published(void **arr, size_t *cap, size_t need, size_t sz, struct retire *r)
{
	size_t ncap = *cap ? *cap : 8;
	void *old = *arr, *nv;

	if (need <= *cap)
		return;
	while (ncap < need)
		ncap *= 2;
	nv = xmalloc(ncap * sz);
	if (*cap)
		memcpy(nv, old, *cap * sz);
	__atomic_store_n(arr, nv, __ATOMIC_RELEASE);
	*cap = ncap;
	retire_push(r, old);
}

uint32_t
numpool_get(struct numpool *p, bool *fresh)
{
	*fresh = p->nfree == 0;
	if (!*fresh)
		return p->free[--p->nfree];
	__atomic_store_n(&p->n, p->n + 1, __ATOMIC_RELEASE);
	return p->n - 1;
}

void
numpool_put(struct numpool *p, uint32_t x)
{
	VEC_PUSH(p->free, p->nfree, p->cap, x);
}

static void
put(struct numtab *t, uint32_t x, uint32_t home)
{
	uint32_t i;

	for (i = numtab_first(t, home); t->slot[i]; i = numtab_next(t, i))
		;
	__atomic_store_n(&t->slot[i], x + 1, __ATOMIC_RELEASE);
}

void
numtab_add(struct numtab *t, uint32_t x, uint32_t (*home_of)(uint32_t), struct retire *r)
{
	if ((t->live + 1) * 2 > t->nslot) {
		struct numtab n = {.nslot = t->nslot ? t->nslot * 2 : 64};

		n.slot = xcalloc(n.nslot, sizeof(*n.slot));
		for (uint32_t i = 0; i < t->nslot; i++)
			if (t->slot[i])
				put(&n, t->slot[i] - 1, home_of(t->slot[i] - 1));
		/* The array before its size: a reader never probes past the end (numtab.h). */
		retire_push(r, t->slot);
		__atomic_store_n(&t->slot, n.slot, __ATOMIC_RELEASE);
		__atomic_store_n(&t->nslot, n.nslot, __ATOMIC_RELEASE);
	}
	put(t, x, home_of(x));
	t->live++;
}

/* probe_backshift's view of a slot: number + 1, hashed by the caller's home_of. */
struct home_fn {
	uint32_t (*home_of)(uint32_t);
};

static size_t
slot_home(const void *p, const void *ctx)
{
	uint32_t v = *(const uint32_t *)p;

	return v ? ((const struct home_fn *)ctx)->home_of(v - 1) : PROBE_EMPTY;
}

void
numtab_remove(struct numtab *t, uint32_t x, uint32_t (*home_of)(uint32_t))
{
	uint32_t i, mask = t->nslot - 1;

	if (t->nslot == 0)
		bug("number %u not in its table", x);
	for (i = numtab_first(t, home_of(x)); t->slot[i] != x + 1; i = numtab_next(t, i))
		if (t->slot[i] == 0)
			bug("number %u not in its table", x);
	t->slot[i] = 0;
	probe_backshift(t->slot, sizeof(*t->slot), mask, i, slot_home, &(struct home_fn){home_of});
	t->live--;
}
