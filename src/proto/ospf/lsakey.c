/*
 * lsakey.c: every LSA key (LS type, Link State ID, Advertising Router; RFC
 * 2328 12.1) gets a small dense number, the same for every router.
 *
 * A 1,000-router area has 1,000 router-LSAs, and each router looks them up
 * millions of times while they flood (13). With one hash map per router
 * those lookups miss the cache most of the time: 1,000 maps of 1,000 keys do
 * not fit in it. Here the key is hashed once, in one table that every router
 * shares and that stays in the cache, and each router's database, SPF and
 * retransmission bookkeeping index plain arrays by the number (lsdb.c,
 * spf.c). The interned instances (intern.c) carry their key's number, and a
 * router-LSA's links carry the numbers of the routers they point to, so SPF
 * follows a link without any lookup.
 *
 * Numbers are reference counted (by interned instances and their parsed
 * links) and reused once free, so arrays indexed by them stay as small as the
 * set of keys that exist. Nothing observable depends on the numbers: whatever
 * is printed or decided in order is sorted by key first.
 *
 * Network-LSAs are also found by Link State ID alone (the vertex of a transit
 * network, 16.1): keys of type 2 with one ID are chained.
 *
 * Like the intern store this is process-wide state touched from node context,
 * on several threads at once: keys are looked up without a lock and added
 * under one, and counts change between parallel sections (shared.c).
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/log.h"
#include "../../lib/numtab.h"
#include "../../lib/util.h"
#include "ospf.h"

struct key {
	uint32_t id, adv;
	uint8_t type;      /* 0: free */
	uint32_t refs;
	uint32_t samenext; /* network-LSAs: the next key with this Link State ID */
};

static struct {
	struct key *k; /* by number */
	size_t kcap;
	struct numpool nums;
	struct numtab keys; /* by (type, ID, router) */
	struct numtab nets; /* network-LSA keys by Link State ID: the head of each chain */
} ix;

static inline uint32_t
idhash(uint32_t id)
{
	return (uint32_t)(((uint64_t)id * 0x9e3779b97f4a7c15ULL) >> 32);
}

/* The keys by number, as published for readers on other threads (numtab.h). */
static inline const struct key *
keys(void)
{
	return __atomic_load_n(&ix.k, __ATOMIC_ACQUIRE);
}

uint32_t
ospf_lsakey_find(uint8_t type, uint32_t id, uint32_t adv)
{
	struct numtab_view t = numtab_view(&ix.keys);
	uint32_t s;

	if (t.empty)
		return OSPF_LSX_NONE;
	for (uint32_t i = ospf_lsa_khash(type, id, adv); (s = numtab_at(t, i)) != 0; i++) {
		const struct key *k = &keys()[s - 1];

		if (k->id == id && k->adv == adv && k->type == type)
			return s - 1;
	}
	return OSPF_LSX_NONE;
}

static uint32_t
key_home(uint32_t x)
{
	return ospf_lsa_khash(ix.k[x].type, ix.k[x].id, ix.k[x].adv);
}

static uint32_t
net_home(uint32_t x)
{
	return idhash(ix.k[x].id);
}

/* --- Link State ID -> chain of network-LSA keys ------------------------------------------- */

/* The slot of the chain of Link State ID id (slot values: head + 1; see net_link). */
static uint32_t *
net_slot(uint32_t id)
{
	struct numtab_view t = numtab_view(&ix.nets);
	uint32_t s;

	if (t.empty)
		return NULL;
	for (uint32_t i = idhash(id); (s = numtab_at(t, i)) != 0; i++)
		if (keys()[s - 1].id == id)
			return (uint32_t *)&t.slot[i & t.mask];
	return NULL;
}

/* Under the lock: the new key, complete, becomes the chain's head (readers may be walking it). */
static void
net_link(uint32_t x)
{
	uint32_t *head = net_slot(ix.k[x].id);

	if (head != NULL) {
		/* The new key heads the chain: same ID, same home slot. */
		ix.k[x].samenext = *head - 1;
		__atomic_store_n(head, x + 1, __ATOMIC_RELEASE);
		return;
	}
	ix.k[x].samenext = OSPF_LSX_NONE;
	numtab_add(&ix.nets, x, net_home, ospf_shared_retire());
}

static void
net_unlink(uint32_t x)
{
	uint32_t *head = net_slot(ix.k[x].id);

	if (head == NULL)
		bug("ospf: network key %u not chained", x);
	if (*head - 1 == x) {
		if (ix.k[x].samenext != OSPF_LSX_NONE)
			*head = ix.k[x].samenext + 1;
		else
			numtab_remove(&ix.nets, x, net_home);
		return;
	}
	for (uint32_t p = *head - 1; p != OSPF_LSX_NONE; p = ix.k[p].samenext)
		if (ix.k[p].samenext == x) {
			ix.k[p].samenext = ix.k[x].samenext;
			return;
		}
	bug("ospf: network key %u not in its chain", x);
}

uint32_t
ospf_lsakey_net_first(uint32_t id)
{
	uint32_t *head = net_slot(id);

	return head ? __atomic_load_n(head, __ATOMIC_ACQUIRE) - 1 : OSPF_LSX_NONE;
}

uint32_t
ospf_lsakey_net_next(uint32_t x)
{
	return keys()[x].samenext;
}

/* --- numbers -------------------------------------------------------------------------------- */

/* (Through the published array: another thread may be replacing ix.k meanwhile.) */
uint32_t *
ospf_lsakey_refs(uint32_t x)
{
	return &__atomic_load_n(&ix.k, __ATOMIC_ACQUIRE)[x].refs;
}

void
ospf_lsakey_hold(uint32_t x)
{
	ospf_shared_hold(OSPF_SH_KEY, NULL, x, ospf_lsakey_refs(x));
}

uint32_t
ospf_lsakey_ref(uint8_t type, uint32_t id, uint32_t adv)
{
	uint32_t x = ospf_lsakey_find(type, id, adv);
	bool fresh;

	if (x != OSPF_LSX_NONE) {
		ospf_lsakey_hold(x);
		return x;
	}
	ospf_shared_lock();
	if ((x = ospf_lsakey_find(type, id, adv)) != OSPF_LSX_NONE) {
		ospf_shared_unlock();
		ospf_lsakey_hold(x);
		return x;
	}
	/* The key first, then its slot: readers that find the number find the key (numtab.h). */
	x = numpool_get(&ix.nums, &fresh);
	if (fresh)
		grow_published((void **)&ix.k, &ix.kcap, ix.nums.n, sizeof(*ix.k),
		               ospf_shared_retire());
	ix.k[x] = (struct key){.id = id, .adv = adv, .type = type, .refs = 1};
	if (type == OSPF_LSA_NETWORK)
		net_link(x);
	numtab_add(&ix.keys, x, key_home, ospf_shared_retire());
	ospf_shared_unlock();
	return x;
}

static void
key_free(uint32_t x)
{
	if (ix.k[x].type == OSPF_LSA_NETWORK)
		net_unlink(x);
	numtab_remove(&ix.keys, x, key_home);
	numpool_put(&ix.nums, x);
	ix.k[x].type = 0;
}

void
ospf_lsakey_unref(uint32_t x)
{
	if (x != OSPF_LSX_NONE && ospf_shared_release(OSPF_SH_KEY, NULL, x, ospf_lsakey_refs(x)))
		key_free(x);
}

void
ospf_lsakey_reap(uint32_t x)
{
	if (ix.k[x].refs == 0 && ix.k[x].type != 0)
		key_free(x);
}

uint8_t
ospf_lsakey_type(uint32_t x)
{
	return keys()[x].type;
}

uint32_t
ospf_lsakey_id(uint32_t x)
{
	return keys()[x].id;
}

uint32_t
ospf_lsakey_count(void)
{
	return numpool_count(&ix.nums);
}

uint32_t
ospf_lsakey_live(void)
{
	return ix.keys.live;
}
