/* rib.c: route selection by administrative distance, then metric (see rib.h). */
#include <stdlib.h>
#include <string.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "events.h"
#include "net.h"
#include "rib.h"

/*
 * Sources and codes are few and static: paths store a byte index into these
 * tables, filled on first use.
 */
static const struct rib_src *srcs[64];
static int nsrcs;
static const char *codes[64];
static int ncodes;

static uint8_t
src_index(const struct rib_src *s)
{
	for (int i = 0; i < nsrcs; i++)
		if (srcs[i] == s)
			return (uint8_t)i;
	if (nsrcs == (int)ARRAY_LEN(srcs))
		bug("too many route sources");
	srcs[nsrcs] = s;
	return (uint8_t)nsrcs++;
}

static uint8_t
code_index(const char *c)
{
	for (int i = 0; i < ncodes; i++)
		if (codes[i] == c || strcmp(codes[i], c) == 0)
			return (uint8_t)i;
	if (ncodes == (int)ARRAY_LEN(codes))
		bug("too many route codes");
	codes[ncodes] = c;
	return (uint8_t)ncodes++;
}

const struct rib_src *
rib_path_src(const struct rib_path *p)
{
	return srcs[p->src];
}

const char *
rib_path_code(const struct rib_path *p)
{
	return codes[p->code];
}

struct rib *
rib_new(struct node *n)
{
	struct rib *r = xcalloc(1, sizeof(*r));

	r->node = n;
	hmap_init(&r->tab);
	hmap_init(&r->nhgs);
	slab_init(&r->entries, sizeof(struct rib_entry), 256);
	slab_init(&r->paths, sizeof(struct rib_path), 256);
	return r;
}

void
rib_free(struct rib *r)
{
	size_t i = 0;
	void *v;

	if (r == NULL)
		return;
	while (hmap_next(&r->nhgs, &i, NULL, &v))
		for (struct nhg *g = v, *next; g; g = next) {
			next = g->chain;
			free(g);
		}
	hmap_free(&r->nhgs);
	hmap_free(&r->tab);
	slab_destroy(&r->entries);
	slab_destroy(&r->paths);
	free(r);
}

size_t
rib_count(const struct rib *r)
{
	return r->tab.n;
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

/* --- next-hop groups --------------------------------------------------------------- */

static uint64_t
nh_hash(const struct nexthop *nh, int n)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)n;

	for (int i = 0; i < n; i++) {
		h = (h ^ nh[i].gw) * 0x100000001b3ULL;
		h = (h ^ nh[i].ifindex) * 0x100000001b3ULL;
	}
	return h;
}

static int
nh_cmp(const void *a, const void *b)
{
	const struct nexthop *x = a, *y = b;

	if (x->gw != y->gw)
		return x->gw < y->gw ? -1 : 1;
	return (int)x->ifindex - (int)y->ifindex;
}

/* The interned group for these next hops (sorted first), with a reference taken. */
static struct nhg *
nhg_get(struct rib *r, const struct nexthop *in, int n)
{
	struct nexthop nh[RIB_MAX_NH];
	uint64_t h;
	struct nhg *g, *head;

	memcpy(nh, in, sizeof(*nh) * (size_t)n);
	qsort(nh, (size_t)n, sizeof(*nh), nh_cmp);
	h = nh_hash(nh, n);
	head = hmap_get(&r->nhgs, h);
	for (g = head; g; g = g->chain)
		if (g->n == n && memcmp(g->nh, nh, sizeof(*nh) * (size_t)n) == 0) {
			g->ref++;
			return g;
		}
	g = xmalloc(sizeof(*g) + sizeof(*nh) * (size_t)n);
	g->hash = h;
	g->ref = 1;
	g->n = (uint16_t)n;
	memcpy(g->nh, nh, sizeof(*nh) * (size_t)n);
	g->chain = head;
	hmap_put(&r->nhgs, h, g);
	return g;
}

static void
nhg_put(struct rib *r, const struct nhg *cg)
{
	struct nhg *g = (struct nhg *)cg, **pp, *head;

	if (g == NULL || --g->ref > 0)
		return;
	head = hmap_get(&r->nhgs, g->hash);
	for (pp = &head; *pp != g; pp = &(*pp)->chain)
		;
	*pp = g->chain;
	if (head)
		hmap_put(&r->nhgs, g->hash, head);
	else
		hmap_del(&r->nhgs, g->hash);
	free(g);
}

/* --- selection --------------------------------------------------------------------- */

/* Selection order: distance, then metric, then a fixed order of sources. */
static bool
better(const struct rib_path *a, const struct rib_path *b)
{
	if (a->distance != b->distance)
		return a->distance < b->distance;
	if (a->metric != b->metric)
		return a->metric < b->metric;
	return strcmp(srcs[a->src]->name, srcs[b->src]->name) < 0;
}

static void
insert_sorted(struct rib_entry *e, struct rib_path *p)
{
	struct rib_path **pp = &e->paths;

	while (*pp && !better(p, *pp))
		pp = &(*pp)->next;
	p->next = *pp;
	*pp = p;
}

static bool
path_same(const struct rib_path *p, const struct route *r, const struct nhg *g)
{
	return p->distance == r->distance && p->metric == r->metric && p->tag == r->tag &&
	    p->code == code_index(r->code) && p->nhg == g;
}

/* Install/remove in the FIB, and tell watchers, after the entry's best changed. */
static void
reselect(struct rib *rib, struct rib_entry *e, bool had_old, const struct rib_src *old_src)
{
	struct node *n = rib->node;
	struct rib_path *best = e->paths;
	struct rib_change ch;
	bool inst = best != NULL;

	if (inst != e->installed) {
		rib->fib_count[e->len] += inst ? 1u : (uint32_t)-1;
		e->installed = inst;
	}
	rib->changes++;
	rib->last_change = node_now(n);
	n->ctrl.last = rib->last_change;
	n->net->rib_changes++;
	ch.pfx = rib_prefix(e);
	ch.had_old = had_old;
	ch.new_best = best;
	ch.src = best ? srcs[best->src] : old_src;
	trace(TR_RIB, "%s rib %s %s", n->name, prefix_str(&ch.pfx),
	    best ? codes[best->code] : "withdrawn");
	if (ev_wanted(n->net, EV_ROUTE_CHANGE))
		ev_post(n->net, n, &(struct net_ev){.kind = EV_ROUTE_CHANGE, .ifindex = -1,
		    .link = -1, .pfx = ch.pfx, .proto = ch.src ? ch.src->name : NULL,
		    .text = !best ? "withdraw" : had_old ? "change" : "add"});
	for (int i = 0; i < rib->nwatch; i++)
		rib->watch[i].fn(n, &ch, rib->watch[i].arg);
}

static void
path_free(struct rib *rib, struct rib_path *p)
{
	nhg_put(rib, p->nhg);
	slab_free(&rib->paths, p);
}

bool
rib_add(struct rib *rib, const struct prefix *pfx, const struct route *nr)
{
	uint64_t key = prefix_key(pfx);
	struct rib_entry *e = hmap_get(&rib->tab, key);
	struct rib_path **pp, *p, *old_best;
	uint8_t si = src_index(nr->src);
	struct nhg *g;
	bool had_old;
	const struct rib_src *old_src;

	if (nr->nnh > RIB_MAX_NH)
		bug("route with %u next hops", nr->nnh);
	if (e == NULL) {
		e = slab_alloc(&rib->entries);
		e->addr = pfx->addr;
		e->len = pfx->len;
		hmap_put(&rib->tab, key, e);
	}
	g = nr->nnh ? nhg_get(rib, nr->nh, nr->nnh) : NULL;
	for (pp = &e->paths; *pp; pp = &(*pp)->next)
		if ((*pp)->src == si)
			break;
	if (*pp && path_same(*pp, nr, g)) {
		(*pp)->marked = true;
		nhg_put(rib, g);
		return false;
	}
	old_best = e->paths;
	had_old = old_best != NULL;
	old_src = had_old ? srcs[old_best->src] : NULL;
	if ((p = *pp) != NULL) {
		*pp = p->next;
		nhg_put(rib, p->nhg);
	} else {
		p = slab_alloc(&rib->paths);
	}
	p->src = si;
	p->code = code_index(nr->code);
	p->distance = nr->distance;
	p->metric = nr->metric;
	p->tag = nr->tag;
	p->nhg = g;
	p->marked = true;
	p->since = node_now(rib->node);
	insert_sorted(e, p);
	/* The selection changed if p is (or was) the best. */
	if (e->paths == p || old_best == p)
		reselect(rib, e, had_old, old_src);
	return true;
}

static bool
del_path(struct rib *rib, struct rib_entry *e, uint8_t si)
{
	struct rib_path **pp, *p;
	bool was_best;
	const struct rib_src *old_src;

	for (pp = &e->paths; *pp; pp = &(*pp)->next)
		if ((*pp)->src == si)
			break;
	if ((p = *pp) == NULL)
		return false;
	was_best = p == e->paths;
	old_src = srcs[e->paths->src];
	*pp = p->next;
	path_free(rib, p);
	if (was_best)
		reselect(rib, e, true, old_src);
	if (e->paths == NULL) {
		struct prefix pf = rib_prefix(e);

		hmap_del(&rib->tab, prefix_key(&pf));
		slab_free(&rib->entries, e);
	}
	return true;
}

bool
rib_del(struct rib *rib, const struct prefix *pfx, const struct rib_src *src)
{
	struct rib_entry *e = hmap_get(&rib->tab, prefix_key(pfx));

	return e != NULL && del_path(rib, e, src_index(src));
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct rib_entry *x = *(struct rib_entry *const *)a;
	const struct rib_entry *y = *(struct rib_entry *const *)b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (int)x->len - (int)y->len;
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
	uint8_t si = src_index(src);
	size_t i = 0;
	void *v;

	while (hmap_next(&rib->tab, &i, NULL, &v))
		for (struct rib_path *p = ((struct rib_entry *)v)->paths; p; p = p->next)
			if (p->src == si)
				p->marked = false;
}

void
rib_sync_end(struct rib *rib, const struct rib_src *src)
{
	uint8_t si = src_index(src);
	size_t n, k = 0;
	struct rib_entry **v = collect(rib, &n);

	/* Only entries with an unmarked path of src, sorted: withdrawals in prefix order. */
	for (size_t i = 0; i < n; i++) {
		struct rib_path *p;

		for (p = v[i]->paths; p; p = p->next)
			if (p->src == si && !p->marked)
				break;
		if (p != NULL)
			v[k++] = v[i];
	}
	qsort(v, k, sizeof(*v), entry_cmp);
	for (size_t i = 0; i < k; i++)
		del_path(rib, v[i], si);
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
