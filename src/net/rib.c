/* rib.c: route selection by administrative distance, then metric (see rib.h). */
#include <stdlib.h>
#include <string.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "fib.h"
#include "net.h"
#include "rib.h"

struct rib *
rib_new(struct node *n)
{
	struct rib *r = xcalloc(1, sizeof(*r));

	r->node = n;
	hmap_init(&r->tab);
	return r;
}

static void
entry_free(struct rib_entry *e)
{
	struct route *r, *next;

	for (r = e->routes; r; r = next) {
		next = r->next;
		free(r);
	}
	free(e);
}

void
rib_free(struct rib *r)
{
	size_t i = 0;
	void *v;

	if (r == NULL)
		return;
	while (hmap_next(&r->tab, &i, NULL, &v))
		entry_free(v);
	hmap_free(&r->tab);
	free(r);
}

void
rib_watch(struct rib *r, rib_watch_fn fn, void *arg)
{
	if (r->nwatch >= (int)ARRAY_LEN(r->watch))
		bug("too many RIB watchers");
	r->watch[r->nwatch].fn = fn;
	r->watch[r->nwatch].arg = arg;
	r->nwatch++;
}

bool
route_same(const struct route *a, const struct route *b)
{
	return a->src == b->src && a->distance == b->distance && a->metric == b->metric &&
	    a->tag == b->tag && a->nnh == b->nnh && strcmp(a->code, b->code) == 0 &&
	    memcmp(a->nh, b->nh, sizeof(a->nh[0]) * a->nnh) == 0;
}

/* Selection order: distance, then metric, then a fixed order of sources. */
static bool
better(const struct route *a, const struct route *b)
{
	if (a->distance != b->distance)
		return a->distance < b->distance;
	if (a->metric != b->metric)
		return a->metric < b->metric;
	return strcmp(a->src->name, b->src->name) < 0;
}

static void
insert_sorted(struct rib_entry *e, struct route *r)
{
	struct route **pp = &e->routes;

	while (*pp && !better(r, *pp))
		pp = &(*pp)->next;
	r->next = *pp;
	*pp = r;
}

/* Make the FIB and watchers agree with the entry after a change. */
static void
reselect(struct rib *rib, struct rib_entry *e, const struct route *old_best_copy)
{
	struct node *n = rib->node;
	struct route *best = e->routes;
	struct rib_change ch;

	if (best && best->nnh > 0) {
		fib_install(n->fib, &e->pfx, best);
		e->installed = true;
	} else if (e->installed) {
		fib_remove(n->fib, &e->pfx);
		e->installed = false;
	}
	rib->changes++;
	rib->last_change = node_now(n);
	n->ctrl.last = rib->last_change;
	n->net->rib_changes++;
	ch.pfx = e->pfx;
	ch.old_best = old_best_copy;
	ch.new_best = best;
	trace(TR_RIB, "%s rib %s %s", n->name, prefix_str(&e->pfx),
	    best ? best->code : "withdrawn");
	for (int i = 0; i < rib->nwatch; i++)
		rib->watch[i].fn(n, &ch, rib->watch[i].arg);
}

bool
rib_add(struct rib *rib, const struct prefix *pfx, const struct route *nr)
{
	uint64_t key = prefix_key(pfx);
	struct rib_entry *e = hmap_get(&rib->tab, key);
	struct route **pp, *r, old_best;
	bool had_best;

	if (nr->nnh > RIB_MAX_NH)
		bug("route with %u next hops", nr->nnh);
	if (e == NULL) {
		e = xcalloc(1, sizeof(*e));
		e->pfx = *pfx;
		hmap_put(&rib->tab, key, e);
	}
	for (pp = &e->routes; *pp; pp = &(*pp)->next) {
		if ((*pp)->src != nr->src)
			continue;
		if (route_same(*pp, nr)) {
			(*pp)->marked = true;
			return false;
		}
		break;
	}
	had_best = e->routes != NULL;
	if (had_best)
		old_best = *e->routes;
	if (*pp) {
		r = *pp;
		*pp = r->next;
	} else {
		r = xmalloc(sizeof(*r));
	}
	*r = *nr;
	r->marked = true;
	r->since = node_now(rib->node);
	insert_sorted(e, r);
	if (!had_best || !route_same(&old_best, e->routes) || e->routes == r)
		reselect(rib, e, had_best ? &old_best : NULL);
	return true;
}

static bool
del_route(struct rib *rib, struct rib_entry *e, const struct rib_src *src)
{
	struct route **pp, *r, old_best;
	bool was_best;

	for (pp = &e->routes; *pp; pp = &(*pp)->next)
		if ((*pp)->src == src)
			break;
	if ((r = *pp) == NULL)
		return false;
	was_best = r == e->routes;
	old_best = *e->routes;
	*pp = r->next;
	free(r);
	if (was_best)
		reselect(rib, e, &old_best);
	if (e->routes == NULL) {
		hmap_del(&rib->tab, prefix_key(&e->pfx));
		free(e);
	}
	return true;
}

bool
rib_del(struct rib *rib, const struct prefix *pfx, const struct rib_src *src)
{
	struct rib_entry *e = hmap_get(&rib->tab, prefix_key(pfx));

	return e != NULL && del_route(rib, e, src);
}

/* Collect entries first: deleting while iterating would move slots. */
static struct rib_entry **
collect(const struct rib *rib, size_t *n)
{
	struct rib_entry **v = xmalloc(sizeof(*v) * (rib->tab.n + 1));
	size_t i = 0, k = 0;
	void *e;

	while (hmap_next(&rib->tab, &i, NULL, &e))
		v[k++] = e;
	*n = k;
	return v;
}

void
rib_flush(struct rib *rib, const struct rib_src *src)
{
	rib_sync_begin(rib, src);
	rib_sync_end(rib, src);
}

void
rib_sync_begin(struct rib *rib, const struct rib_src *src)
{
	size_t i = 0;
	void *v;

	while (hmap_next(&rib->tab, &i, NULL, &v)) {
		struct rib_entry *e = v;

		for (struct route *r = e->routes; r; r = r->next)
			if (r->src == src)
				r->marked = false;
	}
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct rib_entry *x = *(struct rib_entry *const *)a;
	const struct rib_entry *y = *(struct rib_entry *const *)b;

	return prefix_cmp(&x->pfx, &y->pfx);
}

void
rib_sync_end(struct rib *rib, const struct rib_src *src)
{
	size_t n;
	struct rib_entry **v = collect(rib, &n);

	/* Sorted, so that watchers see withdrawals in a deterministic order. */
	qsort(v, n, sizeof(*v), entry_cmp);
	for (size_t i = 0; i < n; i++) {
		struct route *r;

		for (r = v[i]->routes; r; r = r->next)
			if (r->src == src)
				break;
		if (r != NULL && !r->marked)
			del_route(rib, v[i], src);
	}
	free(v);
}

struct rib_entry *
rib_lookup_exact(const struct rib *rib, const struct prefix *p)
{
	return hmap_get(&rib->tab, prefix_key(p));
}

struct rib_entry **
rib_sorted(const struct rib *rib, size_t *n)
{
	struct rib_entry **v = collect(rib, n);

	qsort(v, *n, sizeof(*v), entry_cmp);
	return v;
}
