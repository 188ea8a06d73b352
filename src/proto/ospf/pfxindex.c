/*
 * pfxindex.c: every destination prefix that some LSA describes gets a small
 * dense number, the same for every router (as LSA keys do in lsakey.c).
 *
 * SPF gathers its routes in an array indexed by these numbers instead of a
 * hash map, and each router remembers what it last gave the RIB in another
 * such array, so that after a run only the routes that changed go to the RIB
 * (spf.c). The parsed LSAs carry the numbers of their prefixes (intern.c), so
 * a route is filed without hashing its prefix.
 *
 * Numbers are reference counted (by parsed LSAs and by the routes each router
 * installed) and reused once free. Nothing observable depends on them: routes
 * are sorted by prefix before they reach the RIB or a display.
 *
 * Process-wide, like lsakey.c and intern.c, and shared between threads the
 * same way (shared.c): lookups without a lock, additions under it, counts
 * changed between parallel sections.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/log.h"
#include "../../lib/numtab.h"
#include "../../lib/util.h"
#include "ospf.h"

struct pent {
	struct prefix pfx;
	uint32_t refs;
	bool live;
	/*
	 * Router- and network-LSA instances that describe it (in no meaningful
	 * order). Added to under the lock while other threads read: the array is
	 * published before the count that covers the new entry.
	 */
	struct ospf_blob **users;
	uint32_t nusers;
	size_t ucap;
};

static struct {
	struct pent *p; /* by number */
	size_t pcap;
	struct numpool nums;
	struct numtab tab;
	/* The live numbers in prefix order (a new array each time), while !dirty. */
	struct sorted {
		size_t n;
		uint32_t v[];
	} *sorted;
	bool dirty;
} px = {.dirty = true};

static inline uint32_t
phash(const struct prefix *p)
{
	return (uint32_t)hash_mix64((uint64_t)p->addr << 8 | p->len);
}

static uint32_t
pfx_home(uint32_t x)
{
	return phash(&px.p[x].pfx);
}

/* The entries by number, as published for readers on other threads (numtab.h). */
static inline struct pent *
pents(void)
{
	return __atomic_load_n(&px.p, __ATOMIC_ACQUIRE);
}

uint32_t
ospf_pfx_find(const struct prefix *p)
{
	struct numtab_view t = numtab_view(&px.tab);
	uint32_t s;

	if (t.empty)
		return OSPF_PFX_NONE;
	for (uint32_t i = phash(p); (s = numtab_at(t, i)) != 0; i++)
		if (prefix_eq(&pents()[s - 1].pfx, p))
			return s - 1;
	return OSPF_PFX_NONE;
}

/* (Through the published array: another thread may be replacing px.p meanwhile.) */
uint32_t *
ospf_pfx_refs(uint32_t x)
{
	return &pents()[x].refs;
}

void
ospf_pfx_hold(uint32_t x)
{
	ospf_shared_hold(OSPF_SH_PFX, NULL, x, ospf_pfx_refs(x));
}

uint32_t
ospf_pfx_ref(const struct prefix *p)
{
	uint32_t x = ospf_pfx_find(p);
	bool fresh;

	if (x != OSPF_PFX_NONE) {
		ospf_pfx_hold(x);
		return x;
	}
	ospf_shared_lock();
	if ((x = ospf_pfx_find(p)) != OSPF_PFX_NONE) {
		ospf_shared_unlock();
		ospf_pfx_hold(x);
		return x;
	}
	x = numpool_get(&px.nums, &fresh);
	if (fresh) {
		grow_published((void **)&px.p, &px.pcap, px.nums.n, sizeof(*px.p),
		               ospf_shared_retire());
		memset(&px.p[x], 0, sizeof(px.p[x]));
	}
	/* A reused number keeps its users array (empty) for the next prefix. */
	px.p[x].pfx = *p;
	px.p[x].refs = 1;
	px.p[x].live = true;
	px.p[x].nusers = 0;
	numtab_add(&px.tab, x, pfx_home, ospf_shared_retire());
	__atomic_store_n(&px.dirty, true, __ATOMIC_RELEASE);
	ospf_shared_unlock();
	return x;
}

static void
pfx_free(uint32_t x)
{
	numtab_remove(&px.tab, x, pfx_home);
	/* Still in px.sorted, where it harms no one until its number is reused (then dirty). */
	numpool_put(&px.nums, x);
	px.p[x].live = false;
}

void
ospf_pfx_unref(uint32_t x)
{
	if (x != OSPF_PFX_NONE && ospf_shared_release(OSPF_SH_PFX, NULL, x, ospf_pfx_refs(x)))
		pfx_free(x);
}

void
ospf_pfx_reap(uint32_t x)
{
	if (px.p[x].refs == 0 && px.p[x].live)
		pfx_free(x);
}

/* Under the lock (from intern.c's parse). */
void
ospf_pfx_user_add(uint32_t x, struct ospf_blob *b)
{
	struct pent *e = &px.p[x];

	grow_published((void **)&e->users, &e->ucap, e->nusers + 1, sizeof(*e->users),
	               ospf_shared_retire());
	e->users[e->nusers] = b;
	__atomic_store_n(&e->nusers, e->nusers + 1, __ATOMIC_RELEASE);
}

void
ospf_pfx_user_del(uint32_t x, struct ospf_blob *b)
{
	struct pent *e = &px.p[x];

	for (uint32_t i = 0; i < e->nusers; i++)
		if (e->users[i] == b) {
			e->users[i] = e->users[--e->nusers];
			return;
		}
	bug("ospf: LSA not among the users of prefix number %u", x);
}

struct ospf_blob *const *
ospf_pfx_users(uint32_t x, uint32_t *n)
{
	struct pent *e = &pents()[x];

	*n = __atomic_load_n(&e->nusers, __ATOMIC_ACQUIRE);
	return __atomic_load_n(&e->users, __ATOMIC_ACQUIRE);
}

static int
pid_cmp(const void *a, const void *b)
{
	uint64_t x = prefix_key(&px.p[*(const uint32_t *)a].pfx);
	uint64_t y = prefix_key(&px.p[*(const uint32_t *)b].pfx);

	return x < y ? -1 : x > y;
}

/*
 * Sorted again only after a number was given out (new, or reused for another
 * prefix), which stops early in a cold start: every router's stub networks are
 * numbered as its first LSA arrives. Numbers freed since may still be listed.
 * Under the lock, into a new array (others may be reading the old one, which
 * is retired).
 */
const uint32_t *
ospf_pfx_sorted(size_t *n)
{
	struct sorted *s;

	if (__atomic_load_n(&px.dirty, __ATOMIC_ACQUIRE)) {
		ospf_shared_lock();
		if (px.dirty) {
			s = xmalloc(sizeof(*s) + sizeof(s->v[0]) * (px.tab.live + 1));
			s->n = 0;
			for (uint32_t x = 0; x < px.nums.n; x++)
				if (px.p[x].live)
					s->v[s->n++] = x;
			qsort(s->v, s->n, sizeof(s->v[0]), pid_cmp);
			retire_push(ospf_shared_retire(), px.sorted);
			__atomic_store_n(&px.sorted, s, __ATOMIC_RELEASE);
			__atomic_store_n(&px.dirty, false, __ATOMIC_RELEASE);
		}
		ospf_shared_unlock();
	}
	s = __atomic_load_n(&px.sorted, __ATOMIC_ACQUIRE);
	*n = s->n;
	return s->v;
}

struct prefix
ospf_pfx_of(uint32_t x)
{
	return pents()[x].pfx;
}

uint32_t
ospf_pfx_count(void)
{
	return numpool_count(&px.nums);
}
