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
#include "../../lib/hmap.h"
#include "../../lib/util.h"
#include "ospf.h"

struct key {
	uint32_t id, adv;
	uint8_t type;
	uint32_t refs;     /* 0: free, and on the free list through samenext */
	uint32_t samenext; /* network-LSAs: the next key with this Link State ID */
};

static struct {
	struct key *k; /* by number */
	uint32_t nk;   /* numbers handed out so far (some may be free) */
	size_t kcap;
	uint32_t free;  /* free list head, OSPF_LSX_NONE if empty */
	uint32_t *slot; /* open addressing: number + 1, 0 empty */
	uint32_t nslot; /* a power of two */
	uint32_t live;
	uint32_t *net; /* open addressing on the Link State ID of type 2 keys: head + 1 */
	uint32_t nnet, netlive;
} ix = {.free = OSPF_LSX_NONE};


static inline uint32_t
idhash(uint32_t id)
{
	return (uint32_t)(((uint64_t)id * 0x9e3779b97f4a7c15ULL) >> 32);
}

uint32_t
ospf_lsakey_find(uint8_t type, uint32_t id, uint32_t adv)
{
	uint32_t mask = ix.nslot - 1;

	if (ix.nslot == 0)
		return OSPF_LSX_NONE;
	for (uint32_t i = ospf_lsa_khash(type, id, adv) & mask; ix.slot[i]; i = (i + 1) & mask) {
		const struct key *k = &ix.k[ix.slot[i] - 1];

		if (k->id == id && k->adv == adv && k->type == type)
			return ix.slot[i] - 1;
	}
	return OSPF_LSX_NONE;
}

static void
slot_put(uint32_t x)
{
	const struct key *k = &ix.k[x];
	uint32_t mask = ix.nslot - 1, i;

	for (i = ospf_lsa_khash(k->type, k->id, k->adv) & mask; ix.slot[i]; i = (i + 1) & mask)
		;
	ix.slot[i] = x + 1;
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

static void
grow_slots(void)
{
	uint32_t ncap = ix.nslot ? ix.nslot * 2 : 1024;

	free(ix.slot);
	ix.slot = xcalloc(ncap, sizeof(*ix.slot));
	ix.nslot = ncap;
	for (uint32_t x = 0; x < ix.nk; x++)
		if (ix.k[x].refs > 0)
			slot_put(x);
}

/* --- Link State ID -> chain of network-LSA keys ------------------------------------------- */

static uint32_t *
net_slot(uint32_t id)
{
	uint32_t mask = ix.nnet - 1;

	if (ix.nnet == 0)
		return NULL;
	for (uint32_t i = idhash(id) & mask; ix.net[i]; i = (i + 1) & mask)
		if (ix.k[ix.net[i] - 1].id == id)
			return &ix.net[i];
	return NULL;
}

static void
net_put_head(uint32_t x)
{
	uint32_t mask = ix.nnet - 1, i;

	for (i = idhash(ix.k[x].id) & mask; ix.net[i]; i = (i + 1) & mask)
		;
	ix.net[i] = x + 1;
}

static void
net_link(uint32_t x)
{
	uint32_t *head = net_slot(ix.k[x].id);

	if (head != NULL) {
		ix.k[x].samenext = *head - 1;
		*head = x + 1;
		return;
	}
	ix.k[x].samenext = OSPF_LSX_NONE;
	if ((ix.netlive + 1) * 2 > ix.nnet) {
		uint32_t *old = ix.net, ocap = ix.nnet;

		ix.nnet = ocap ? ocap * 2 : 64;
		ix.net = xcalloc(ix.nnet, sizeof(*ix.net));
		for (uint32_t i = 0; i < ocap; i++)
			if (old[i])
				net_put_head(old[i] - 1);
		free(old);
	}
	net_put_head(x);
	ix.netlive++;
}

static void
net_unlink(uint32_t x)
{
	uint32_t *head = net_slot(ix.k[x].id);

	if (head == NULL)
		bug("ospf: network key %u not chained", x);
	if (*head - 1 == x) {
		if (ix.k[x].samenext != OSPF_LSX_NONE) {
			*head = ix.k[x].samenext + 1;
			return;
		}
		slots_del(ix.net, ix.nnet, (uint32_t)(head - ix.net), net_home);
		ix.netlive--;
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

	if (x != OSPF_LSX_NONE) {
		ix.k[x].refs++;
		return x;
	}
	if ((ix.live + 1) * 2 > ix.nslot)
		grow_slots();
	if (ix.free != OSPF_LSX_NONE) {
		x = ix.free;
		ix.free = ix.k[x].samenext;
	} else {
		grow_array((void **)&ix.k, &ix.kcap, ix.nk + 1, sizeof(*ix.k));
		x = ix.nk++;
	}
	ix.k[x] = (struct key){.id = id, .adv = adv, .type = type, .refs = 1};
	slot_put(x);
	ix.live++;
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
	uint32_t mask, i;

	if (x == OSPF_LSX_NONE)
		return;
	k = &ix.k[x];
	if (k->refs == 0)
		bug("ospf: LSA key %u released twice", x);
	if (--k->refs > 0)
		return;
	if (k->type == OSPF_LSA_NETWORK)
		net_unlink(x);
	mask = ix.nslot - 1;
	for (i = ospf_lsa_khash(k->type, k->id, k->adv) & mask; ix.slot[i] != x + 1; i = (i + 1) & mask)
		if (ix.slot[i] == 0)
			bug("ospf: LSA key %u not in its table", x);
	slots_del(ix.slot, ix.nslot, i, key_home);
	ix.live--;
	k->samenext = ix.free;
	ix.free = x;
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
	return ix.nk;
}

uint32_t
ospf_lsakey_live(void)
{
	return ix.live;
}
