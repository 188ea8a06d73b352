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
 * Like the intern store this is process-wide state touched from node context:
 * if the engine ever runs a tick's nodes on several threads, it needs a lock.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/log.h"
#include "../../lib/numtab.h"
#include "../../lib/util.h"
#include "ospf.h"

struct key {
	uint32_t id, adv;
	uint8_t type;
	uint32_t refs;     /* 0: free */
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

uint32_t
ospf_lsakey_find(uint8_t type, uint32_t id, uint32_t adv)
{
	const struct numtab *t = &ix.keys;

	if (t->nslot == 0)
		return OSPF_LSX_NONE;
	for (uint32_t i = numtab_first(t, ospf_lsa_khash(type, id, adv)); t->slot[i];
	     i = numtab_next(t, i)) {
		const struct key *k = &ix.k[t->slot[i] - 1];

		if (k->id == id && k->adv == adv && k->type == type)
			return t->slot[i] - 1;
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

static uint32_t *
net_slot(uint32_t id)
{
	const struct numtab *t = &ix.nets;

	if (t->nslot == 0)
		return NULL;
	for (uint32_t i = numtab_first(t, idhash(id)); t->slot[i]; i = numtab_next(t, i))
		if (ix.k[t->slot[i] - 1].id == id)
			return &t->slot[i];
	return NULL;
}

static void
net_link(uint32_t x)
{
	uint32_t *head = net_slot(ix.k[x].id);

	if (head != NULL) {
		/* The new key heads the chain: same ID, same home slot. */
		ix.k[x].samenext = *head - 1;
		*head = x + 1;
		return;
	}
	ix.k[x].samenext = OSPF_LSX_NONE;
	numtab_add(&ix.nets, x, net_home);
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

	return head ? *head - 1 : OSPF_LSX_NONE;
}

uint32_t
ospf_lsakey_net_next(uint32_t x)
{
	return ix.k[x].samenext;
}

/* --- numbers -------------------------------------------------------------------------------- */

uint32_t
ospf_lsakey_ref(uint8_t type, uint32_t id, uint32_t adv)
{
	uint32_t x = ospf_lsakey_find(type, id, adv);
	bool fresh;

	if (x != OSPF_LSX_NONE) {
		ix.k[x].refs++;
		return x;
	}
	x = numpool_get(&ix.nums, &fresh);
	if (fresh)
		grow_array((void **)&ix.k, &ix.kcap, ix.nums.n, sizeof(*ix.k));
	ix.k[x] = (struct key){.id = id, .adv = adv, .type = type, .refs = 1};
	numtab_add(&ix.keys, x, key_home);
	if (type == OSPF_LSA_NETWORK)
		net_link(x);
	return x;
}

void
ospf_lsakey_hold(uint32_t x)
{
	ix.k[x].refs++;
}

void
ospf_lsakey_unref(uint32_t x)
{
	struct key *k;

	if (x == OSPF_LSX_NONE)
		return;
	k = &ix.k[x];
	if (k->refs == 0)
		bug("ospf: LSA key %u released twice", x);
	if (--k->refs > 0)
		return;
	if (k->type == OSPF_LSA_NETWORK)
		net_unlink(x);
	numtab_remove(&ix.keys, x, key_home);
	numpool_put(&ix.nums, x);
}

uint8_t
ospf_lsakey_type(uint32_t x)
{
	return ix.k[x].type;
}

uint32_t
ospf_lsakey_id(uint32_t x)
{
	return ix.k[x].id;
}

uint32_t
ospf_lsakey_count(void)
{
	return ix.nums.n;
}

uint32_t
ospf_lsakey_live(void)
{
	return ix.keys.live;
}
