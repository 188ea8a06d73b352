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
 * Process-wide, like lsakey.c and intern.c (see the threading note there).
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/log.h"
#include "../../lib/numtab.h"
#include "../../lib/util.h"
#include "ospf.h"

struct pent {
	struct prefix pfx;
	uint32_t refs; /* 0: free */
	/* Router- and network-LSA instances that describe it (in no meaningful order). */
	struct ospf_blob **users;
	uint32_t nusers;
	size_t ucap;
};

static struct {
	struct pent *p; /* by number */
	size_t pcap;
	struct numpool nums;
	struct numtab tab;
	uint32_t *sorted; /* the live numbers in prefix order, while !dirty */
	size_t nsorted, sortcap;
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

uint32_t
ospf_pfx_find(const struct prefix *p)
{
	const struct numtab *t = &px.tab;

	if (t->nslot == 0)
		return OSPF_PFX_NONE;
	for (uint32_t i = numtab_first(t, phash(p)); t->slot[i]; i = numtab_next(t, i))
		if (prefix_eq(&px.p[t->slot[i] - 1].pfx, p))
			return t->slot[i] - 1;
	return OSPF_PFX_NONE;
}

uint32_t
ospf_pfx_ref(const struct prefix *p)
{
	uint32_t x = ospf_pfx_find(p);
	bool fresh;

	if (x != OSPF_PFX_NONE) {
		px.p[x].refs++;
		return x;
	}
	x = numpool_get(&px.nums, &fresh);
	if (fresh) {
		grow_array((void **)&px.p, &px.pcap, px.nums.n, sizeof(*px.p));
		memset(&px.p[x], 0, sizeof(px.p[x]));
	}
	/* A reused number keeps its users array (empty) for the next prefix. */
	px.p[x].pfx = *p;
	px.p[x].refs = 1;
	px.p[x].nusers = 0;
	numtab_add(&px.tab, x, pfx_home);
	px.dirty = true;
	return x;
}

void
ospf_pfx_hold(uint32_t x)
{
	px.p[x].refs++;
}

void
ospf_pfx_unref(uint32_t x)
{
	if (x == OSPF_PFX_NONE)
		return;
	if (px.p[x].refs == 0)
		bug("ospf: prefix number %u released twice", x);
	if (--px.p[x].refs > 0)
		return;
	numtab_remove(&px.tab, x, pfx_home);
	/* Still in px.sorted, where it harms no one until its number is reused (then dirty). */
	numpool_put(&px.nums, x);
}

void
ospf_pfx_user_add(uint32_t x, struct ospf_blob *b)
{
	struct pent *e = &px.p[x];

	VEC_PUSH(e->users, e->nusers, e->ucap, b);
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
	*n = px.p[x].nusers;
	return px.p[x].users;
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
 */
const uint32_t *
ospf_pfx_sorted(size_t *n)
{
	if (px.dirty) {
		px.nsorted = 0;
		grow_array((void **)&px.sorted, &px.sortcap, px.tab.live, sizeof(*px.sorted));
		for (uint32_t x = 0; x < px.nums.n; x++)
			if (px.p[x].refs > 0)
				px.sorted[px.nsorted++] = x;
		qsort(px.sorted, px.nsorted, sizeof(*px.sorted), pid_cmp);
		px.dirty = false;
	}
	*n = px.nsorted;
	return px.sorted;
}

struct prefix
ospf_pfx_of(uint32_t x)
{
	return px.p[x].pfx;
}

uint32_t
ospf_pfx_count(void)
{
	return px.nums.n;
}
