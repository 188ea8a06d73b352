/* idtab.c: a hash table of object numbers (see idtab.h). */
#include <stdlib.h>

#include "idtab.h"
#include "log.h"
#include "probe.h"
#include "util.h"

/* Slot value v (with its hash bits) into the first free slot from hash's. */
static void
place(struct idtab *t, uint32_t v, size_t hash)
{
	size_t i;

	for (i = idtab_first(t, hash); t->slot[i]; i = idtab_step(t, i))
		;
	t->slot[i] = v;
}

void
idtab_fit(struct idtab *t, size_t n, idtab_home_fn home, const void *ctx)
{
	uint32_t *old = t->slot;
	size_t ocap = t->cap;

	if (n * 4 <= t->cap * 3)
		return;
	t->cap = ocap ? ocap * 2 : 16;
	while (n * 4 > t->cap * 3)
		t->cap *= 2;
	t->slot = xcalloc(t->cap, sizeof(*t->slot));
	/* In the old slots' order, as hmap: the same keys end in the same slots. */
	for (size_t i = 0; i < ocap; i++)
		if (old[i])
			place(t, old[i], home(ctx, idtab_num(t, old[i]) - 1));
	free(old);
}

void
idtab_put(struct idtab *t, uint32_t x, size_t hash, idtab_home_fn home, const void *ctx)
{
	if (!t->wide && x + 1 > IDTAB_NUM) {
		/* Too large for the hash bits: the slots keep their places, without them. */
		for (size_t i = 0; i < t->cap; i++)
			t->slot[i] &= IDTAB_NUM;
		t->wide = true;
	}
	idtab_fit(t, t->n + 1, home, ctx);
	place(t, t->wide ? x + 1 : idtab_tag(hash) | (x + 1), hash);
	t->n++;
}

/* probe_backshift's view of a slot. */
struct home_ctx {
	const struct idtab *t;
	idtab_home_fn home;
	const void *ctx;
};

static size_t
slot_home(const void *p, const void *c)
{
	uint32_t v = *(const uint32_t *)p;
	const struct home_ctx *h = c;

	return v ? h->home(h->ctx, idtab_num(h->t, v) - 1) : PROBE_EMPTY;
}

void
idtab_del(struct idtab *t, uint32_t x, idtab_home_fn home, const void *ctx)
{
	size_t hash = home(ctx, x), i = idtab_first(t, hash);
	uint32_t v;

	while ((v = idtab_find(t, &i, hash)) != 0 && v != x + 1)
		i = idtab_step(t, i);
	if (v == 0)
		bug("number %u not in its table", x);
	idtab_del_slot(t, i, home, ctx);
}

uint32_t
idtab_del_slot(struct idtab *t, size_t i, idtab_home_fn home, const void *ctx)
{
	uint32_t v = idtab_num(t, t->slot[i]);

	t->slot[i] = 0;
	t->n--;
	probe_backshift(t->slot, sizeof(*t->slot), t->cap - 1, i, slot_home,
	    &(struct home_ctx){t, home, ctx});
	return v - 1;
}

void
idtab_free(struct idtab *t)
{
	free(t->slot);
	t->slot = NULL;
	t->n = t->cap = 0;
	t->wide = false;
}
