/* numtab.c: dense numbers for shared keys (see numtab.h). */
#include <stdlib.h>

#include "log.h"
#include "numtab.h"
#include "util.h"

uint32_t
numpool_get(struct numpool *p, bool *fresh)
{
	*fresh = p->nfree == 0;
	return *fresh ? p->n++ : p->free[--p->nfree];
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
	t->slot[i] = x + 1;
}

void
numtab_add(struct numtab *t, uint32_t x, uint32_t (*home_of)(uint32_t))
{
	if ((t->live + 1) * 2 > t->nslot) {
		uint32_t *old = t->slot, ocap = t->nslot;

		t->nslot = ocap ? ocap * 2 : 64;
		t->slot = xcalloc(t->nslot, sizeof(*t->slot));
		for (uint32_t i = 0; i < ocap; i++)
			if (old[i])
				put(t, old[i] - 1, home_of(old[i] - 1));
		free(old);
	}
	put(t, x, home_of(x));
	t->live++;
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
	/* Backward shift (probe_moves_back). */
	t->slot[i] = 0;
	for (uint32_t j = (i + 1) & mask; t->slot[j]; j = (j + 1) & mask) {
		uint32_t home = home_of(t->slot[j] - 1) & mask;

		if (probe_moves_back(home, i, j)) {
			t->slot[i] = t->slot[j];
			t->slot[j] = 0;
			i = j;
		}
	}
	t->live--;
}
