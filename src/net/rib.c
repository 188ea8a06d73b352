/* rib.c: route selection by administrative distance, then metric (see rib.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "events.h"
#include "net.h"
#include "rib.h"

/*
 * Sources and codes are few and static: paths store a byte index into these
 * registries, filled on first use. Nodes may add routes on several threads at
 * once (sim.h): an entry is written before the count that publishes it, and
 * additions take a lock.
 */
struct registry {
	const void *v[64];
	int n;
	const char *what;
	bool (*same)(const void *, const void *);
};

static bool
same_ptr(const void *a, const void *b)
{
	return a == b;
}

static bool
same_str(const void *a, const void *b)
{
	return a == b || strcmp(a, b) == 0;
}

static struct registry srcs = {.what = "route sources", .same = same_ptr};
static struct registry codes = {.what = "route codes", .same = same_str};
static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;

static int
reg_find(const struct registry *r, const void *x)
{
	int n = __atomic_load_n(&r->n, __ATOMIC_ACQUIRE);

	for (int i = 0; i < n; i++)
		if (r->same(r->v[i], x))
			return i;
	return -1;
}

static uint8_t
reg_index(struct registry *r, const void *x)
{
	int i = reg_find(r, x);

	if (i >= 0)
		return (uint8_t)i;
	pthread_mutex_lock(&reg_mu);
	if ((i = reg_find(r, x)) < 0) {
		if (r->n == (int)ARRAY_LEN(r->v))
			bug("too many %s", r->what);
		r->v[r->n] = x;
		i = r->n;
		__atomic_store_n(&r->n, r->n + 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&reg_mu);
	return (uint8_t)i;
}

static uint8_t
src_index(const struct rib_src *s)
{
	return reg_index(&srcs, s);
}

static uint8_t
code_index(const char *c)
{
	return reg_index(&codes, c);
}

const struct rib_src *
rib_path_src(const struct rib_path *p)
{
	return srcs.v[p->src];
}

const char *
rib_path_code(const struct rib_path *p)
{
	return codes.v[p->code];
}

/* --- the entry table ---------------------------------------------------------------- */

static inline size_t
pfx_hash(uint32_t addr, uint8_t len)
{
	return (size_t)hash_mix64((uint64_t)addr << 8 | len);
}

/* The entry in slot value v (number + 1). */
static inline struct rib_entry *
ent(const struct rib *rib, uint32_t v)
{
	return slab_at(&rib->entries, v - 1);
}

static size_t
ent_home(const void *rib, uint32_t id)
{
	const struct rib_entry *e = slab_at(&((const struct rib *)rib)->entries, id);

	return pfx_hash(e->addr, e->len);
}

static struct rib_entry *
tab_get(const struct rib *rib, uint32_t addr, uint8_t len)
{
	const struct idtab *t = &rib->tab;
	size_t h = pfx_hash(addr, len);
	uint32_t v;

	for (size_t i = idtab_first(t, h); (v = idtab_find(t, &i, h)) != 0; i = idtab_step(t, i)) {
		struct rib_entry *e = ent(rib, v);

		if (e->addr == addr && e->len == len)
			return e;
	}
	return NULL;
}

void
rib_reserve(struct rib *rib, size_t more)
{
	idtab_fit(&rib->tab, rib->tab.n + more, ent_home, rib);
}

/* Entry number id, new. */
static void
tab_put(struct rib *rib, uint32_t id)
{
	const struct rib_entry *e = slab_at(&rib->entries, id);

	idtab_put(&rib->tab, id, pfx_hash(e->addr, e->len), ent_home, rib);
}

struct rib *
rib_new(struct node *n)
{
	struct rib *r = xcalloc(1, sizeof(*r));

	r->node = n;
	hmap_init(&r->nhgs);
	hmap_init(&r->stack_idx);
	slab_init_ids(&r->entries, sizeof(struct rib_entry), 128);
	slab_init_ids(&r->paths, sizeof(struct rib_path), 64);
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
	free(r->nhgv);
	free(r->nhg_free);
	hmap_free(&r->stack_idx);
	free(r->stacks);
	idtab_free(&r->tab);
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

void
rib_set_labeler(struct rib *r, rib_label_fn fn, void *arg)
{
	r->labeler = fn;
	r->labeler_arg = arg;
}

/* --- next-hop groups --------------------------------------------------------------- */

static uint64_t
nh_hash(const struct nexthop *nh, int n, uint32_t tag)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)n ^ (uint64_t)tag << 32;

	for (int i = 0; i < n; i++) {
		h = (h ^ nh[i].gw) * 0x100000001b3ULL;
		h = (h ^ ((uint32_t)nh[i].ifindex | (uint32_t)nh[i].labels << 16)) * 0x100000001b3ULL;
	}
	return h;
}

uint16_t
rib_labels_intern(struct rib *r, const uint32_t *labels, int n)
{
	struct label_stack s = {0};
	uint64_t h = 0xcbf29ce484222325ULL;
	uintptr_t id;

	if (n <= 0)
		return 0;
	if (n > LABEL_STACK_MAX)
		bug("label stack of %d labels (at most %d)", n, LABEL_STACK_MAX);
	s.n = (uint8_t)n;
	for (int i = 0; i < n; i++) {
		s.label[i] = labels[i] & LABEL_MAX;
		h = (h ^ s.label[i]) * 0x100000001b3ULL;
	}
	h = (h ^ (uint64_t)n) * 0x100000001b3ULL;
	id = (uintptr_t)hmap_get(&r->stack_idx, h);
	if (id != 0 && memcmp(&r->stacks[id - 1], &s, sizeof(s)) == 0)
		return (uint16_t)id;
	/* Two stacks with one hash (never seen): the slow way for the second. */
	for (size_t i = 0; id != 0 && i < r->nstacks; i++)
		if (memcmp(&r->stacks[i], &s, sizeof(s)) == 0)
			return (uint16_t)(i + 1);
	if (r->nstacks == UINT16_MAX)
		bug("%s: more than %u label stacks", r->node->name, UINT16_MAX);
	VEC_PUSH(r->stacks, r->nstacks, r->stackcap, s);
	if (id == 0)
		hmap_put(&r->stack_idx, h, (void *)(uintptr_t)r->nstacks);
	return (uint16_t)r->nstacks;
}

const struct label_stack *
rib_labels(const struct rib *r, uint16_t id)
{
	return id == 0 || id > r->nstacks ? NULL : &r->stacks[id - 1];
}

/* The interned group for these next hops (sorted first) and tag, with a reference taken. */
static struct nhg *
nhg_get(struct rib *r, const struct nexthop *in, int n, uint32_t tag)
{
	struct nexthop nh[RIB_MAX_NH];
	uint64_t h;
	struct nhg *g, *head;

	/* Insertion sort: at most RIB_MAX_NH, and most routes have one or two. */
	for (int i = 0; i < n; i++) {
		int j = i;

		while (j > 0 && nexthop_cmp(&in[i], &nh[j - 1]) < 0) {
			nh[j] = nh[j - 1];
			j--;
		}
		nh[j] = in[i];
	}
	h = nh_hash(nh, n, tag);
	head = hmap_get(&r->nhgs, h);
	for (g = head; g; g = g->chain)
		if (g->n == n && g->tag == tag && memcmp(g->nh, nh, sizeof(*nh) * (size_t)n) == 0) {
			g->ref++;
			return g;
		}
	g = xmalloc(sizeof(*g) + sizeof(*nh) * (size_t)n);
	/* Numbers are reused most recent first: the same operations give the same numbers. */
	if (r->nfree > 0) {
		g->id = r->nhg_free[--r->nfree];
	} else {
		VEC_PUSH(r->nhgv, r->nnhgv, r->nhgcap, NULL);
		g->id = (uint32_t)r->nnhgv;
	}
	r->nhgv[g->id - 1] = g;
	g->hash = h;
	g->ref = 1;
	g->tag = tag;
	g->n = (uint16_t)n;
	memcpy(g->nh, nh, sizeof(*nh) * (size_t)n);
	g->chain = head;
	hmap_put(&r->nhgs, h, g);
	return g;
}

static void
nhg_put(struct rib *r, uint32_t id)
{
	struct nhg *g = id ? r->nhgv[id - 1] : NULL, **pp, *head;

	if (g == NULL || --g->ref > 0)
		return;
	r->nhgv[id - 1] = NULL;
	VEC_PUSH(r->nhg_free, r->nfree, r->freecap, id);
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
	return strcmp(rib_path_src(a)->name, rib_path_src(b)->name) < 0;
}

/*
 * Path storage: the best path lives in the entry, the others in a sorted list
 * of slab nodes hanging from best.next. These helpers take a path out of an
 * entry (into *out) and put one in, keeping that shape.
 */
static inline struct rib_path *
path_at(struct rib *rib, uint32_t v)
{
	return v ? slab_at(&rib->paths, v - 1) : NULL;
}

static void
path_unlink(struct rib *rib, struct rib_entry *e, struct rib_path *p, struct rib_path *out)
{
	if (p == &e->best) {
		uint32_t second = e->best.next;

		*out = e->best;
		if (second != 0) {
			e->best = *path_at(rib, second);
			slab_free_id(&rib->paths, second - 1);
		} else {
			memset(&e->best, 0, sizeof(e->best));
			e->best.src = UINT8_MAX; /* empty */
		}
	} else {
		uint32_t *pp = &e->best.next;

		while (path_at(rib, *pp) != p)
			pp = &path_at(rib, *pp)->next;
		uint32_t id = *pp;

		*pp = p->next;
		*out = *p;
		slab_free_id(&rib->paths, id - 1);
	}
	out->next = 0;
}

static bool
entry_empty(const struct rib_entry *e)
{
	return e->best.src == UINT8_MAX;
}

static void
path_insert(struct rib *rib, struct rib_entry *e, const struct rib_path *in)
{
	struct rib_path *node;
	uint32_t *pp, id;

	if (entry_empty(e)) {
		e->best = *in;
		e->best.next = 0;
		return;
	}
	node = slab_alloc_id(&rib->paths, &id);
	if (better(in, &e->best)) {
		/* The old best moves into the list, in front. */
		*node = e->best;
		e->best = *in;
		e->best.next = id + 1;
		return;
	}
	*node = *in;
	for (pp = &e->best.next; *pp && !better(node, path_at(rib, *pp)); pp = &path_at(rib, *pp)->next)
		;
	node->next = *pp;
	*pp = id + 1;
}

static struct rib_path *
find_src(struct rib *rib, struct rib_entry *e, uint8_t si)
{
	for (struct rib_path *p = &e->best; p; p = path_at(rib, p->next))
		if (p->src == si)
			return p;
	return NULL;
}

static bool
path_same(const struct rib_path *p, const struct route *r, const struct nhg *g)
{
	return p->distance == r->distance && p->metric == r->metric &&
	    p->code == code_index(r->code) && p->nhg == (g ? g->id : 0);
}

/* Install/remove in the FIB, and tell watchers, after the entry's best changed. */
static void
reselect(struct rib *rib, struct rib_entry *e, bool had_old, const struct rib_src *old_src)
{
	struct node *n = rib->node;
	bool inst = !entry_empty(e);
	const struct rib_path *best = inst ? &e->best : NULL;
	struct rib_change ch;

	if (inst != e->installed) {
		rib->fib_count[e->len] += inst ? 1u : (uint32_t)-1;
		e->installed = inst;
	}
	rib->changes++;
	rib->last_change = node_now(n);
	n->ctrl.last = rib->last_change;
	/* Nodes may run on several threads: their own count, folded in after the tick (converge.c). */
	if (n->actor.running)
		n->ctrl.rib_changes++;
	else
		n->net->rib_changes++;
	ch.pfx = rib_prefix(e);
	ch.had_old = had_old;
	ch.new_best = best;
	ch.src = best ? rib_path_src(best) : old_src;
	trace(TR_RIB, "%s rib %s %s", n->name, prefix_str(&ch.pfx),
	    best ? rib_path_code(best) : "withdrawn");
	if (ev_wanted(n->net, EV_ROUTE_CHANGE))
		ev_post(n->net, n, &(struct net_ev){.kind = EV_ROUTE_CHANGE, .ifindex = -1,
		    .link = -1, .pfx = ch.pfx, .proto = ch.src ? ch.src->name : NULL,
		    .text = !best ? "withdraw" : had_old ? "change" : "add"});
	for (int i = 0; i < rib->nwatch; i++)
		rib->watch[i].fn(n, &ch, rib->watch[i].arg);
}

static void
entry_drop(struct rib *rib, struct rib_entry *e)
{
	const struct idtab *t = &rib->tab;
	size_t h = pfx_hash(e->addr, e->len), i;
	uint32_t v;

	for (i = idtab_first(t, h); (v = idtab_find(t, &i, h)) != 0 && ent(rib, v) != e; i = idtab_step(t, i))
		;
	if (v == 0)
		bug("RIB entry not in its table");
	slab_free_id(&rib->entries, idtab_del_slot(&rib->tab, i, ent_home, rib));
}

/* A time as a path stores it: milliseconds, saturating (rib.h). */
static uint32_t
since_ms(sim_time t)
{
	return t / SIM_MS >= UINT32_MAX ? UINT32_MAX : (uint32_t)(t / SIM_MS);
}

bool
rib_add(struct rib *rib, const struct prefix *pfx, const struct route *nr)
{
	struct rib_entry *e = tab_get(rib, pfx->addr, pfx->len);
	struct rib_path np = {0}, old, *p;
	uint8_t si = src_index(nr->src);
	const struct rib_src *old_src;
	struct route labelled;
	struct nhg *g;
	bool had_old, was_best = false;

	if (nr->nnh > RIB_MAX_NH)
		bug("route with %u next hops", nr->nnh);
	if (rib->labeler != NULL) {
		labelled = *nr;
		rib->labeler(rib, pfx, &labelled, rib->labeler_arg);
		nr = &labelled;
	}
	if (e == NULL) {
		uint32_t id;

		e = slab_alloc_id(&rib->entries, &id);
		e->addr = pfx->addr;
		e->len = pfx->len;
		e->best.src = UINT8_MAX;
		tab_put(rib, id);
	}
	g = nr->nnh || nr->tag ? nhg_get(rib, nr->nh, nr->nnh, nr->tag) : NULL;
	p = find_src(rib, e, si);
	if (p && path_same(p, nr, g)) {
		p->marked = true;
		nhg_put(rib, g ? g->id : 0);
		return false;
	}
	had_old = !entry_empty(e);
	old_src = had_old ? rib_path_src(&e->best) : NULL;
	if (p != NULL) {
		was_best = p == &e->best;
		path_unlink(rib, e, p, &old);
		nhg_put(rib, old.nhg);
	}
	np.src = si;
	np.code = code_index(nr->code);
	np.distance = nr->distance;
	np.metric = nr->metric;
	np.nhg = g ? g->id : 0;
	np.marked = true;
	np.since_ms = since_ms(node_now(rib->node));
	path_insert(rib, e, &np);
	/* The selection changed if the new path is the best, or the old one was. */
	if (was_best || e->best.src == si)
		reselect(rib, e, had_old, old_src);
	return true;
}

void
rib_relabel(struct rib *rib, const struct prefix *pfx)
{
	struct rib_entry *e = tab_get(rib, pfx->addr, pfx->len);
	struct route r[8];
	int n = 0;

	if (e == NULL || entry_empty(e))
		return;
	/* The paths as routes first: offering one again reorders the entry's list. */
	for (const struct rib_path *p = &e->best; p != NULL && n < (int)ARRAY_LEN(r);
	     p = rib_path_next(rib, p)) {
		const struct nhg *g = rib_path_nhg(rib, p);
		struct route *o = &r[n++];

		memset(o, 0, sizeof(*o));
		o->src = rib_path_src(p);
		o->code = rib_path_code(p);
		o->distance = p->distance;
		o->metric = p->metric;
		o->tag = rib_path_tag(rib, p);
		o->nnh = g ? (uint8_t)g->n : 0;
		for (int k = 0; k < o->nnh; k++)
			o->nh[k] = g->nh[k];
	}
	for (int i = 0; i < n; i++)
		rib_add(rib, pfx, &r[i]);
}

static bool
del_path(struct rib *rib, struct rib_entry *e, uint8_t si)
{
	struct rib_path *p = find_src(rib, e, si), old;
	const struct rib_src *old_src;
	bool was_best;

	if (p == NULL)
		return false;
	was_best = p == &e->best;
	old_src = rib_path_src(&e->best);
	path_unlink(rib, e, p, &old);
	nhg_put(rib, old.nhg);
	if (was_best)
		reselect(rib, e, true, old_src);
	if (entry_empty(e))
		entry_drop(rib, e);
	return true;
}

bool
rib_del(struct rib *rib, const struct prefix *pfx, const struct rib_src *src)
{
	struct rib_entry *e = tab_get(rib, pfx->addr, pfx->len);

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
	size_t k = 0;
	uint32_t id;

	for (size_t i = 0; idtab_next(&rib->tab, &i, &id);)
		v[k++] = slab_at(&rib->entries, id);
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
	uint32_t id;

	for (size_t i = 0; idtab_next(&rib->tab, &i, &id);) {
		struct rib_entry *e = slab_at(&rib->entries, id);

		for (struct rib_path *p = &e->best; p; p = path_at(rib, p->next))
			if (p->src == si)
				p->marked = false;
	}
}

void
rib_sync_end(struct rib *rib, const struct rib_src *src)
{
	uint8_t si = src_index(src);
	size_t n, k = 0;
	struct rib_entry **v = collect(rib, &n);

	/* Only entries with an unmarked path of src, sorted: withdrawals in prefix order. */
	for (size_t i = 0; i < n; i++) {
		struct rib_path *p = find_src(rib, v[i], si);

		if (p != NULL && !p->marked)
			v[k++] = v[i];
	}
	if (k > 1)
		qsort(v, k, sizeof(*v), entry_cmp);
	for (size_t i = 0; i < k; i++)
		del_path(rib, v[i], si);
	free(v);
}

struct rib_entry *
rib_lookup_exact(const struct rib *rib, const struct prefix *p)
{
	return tab_get(rib, p->addr, p->len);
}

struct rib_entry **
rib_sorted(const struct rib *rib, size_t *n)
{
	struct rib_entry **v = collect(rib, n);

	if (*n > 1)
		qsort(v, *n, sizeof(*v), entry_cmp);
	return v;
}
