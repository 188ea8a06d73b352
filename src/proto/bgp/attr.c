/*
 * attr.c: BGP path attribute sets, interned for the whole process.
 *
 * A set is found by content: a hash of every field that is part of it (not
 * the hash or the reference count, nor the value of a member whose `has`
 * bit is clear), a linear-probing table of {hash, pointer} slots under
 * one lock (deletion by backward shift, lib/probe.h): a probe compares the
 * hash in the slot and reads a set only when it matches, so a lookup in a
 * table of millions costs one cache miss, not one per slot probed.
 * The shared copy is one allocation, the set followed by its arrays, whose
 * pointers point into that same block, so a set is freed in one call and
 * compared without chasing foreign memory. References are atomic; the last
 * one is dropped under the lock that lookups take, after checking that no
 * lookup took a new reference in between (the plan of IS-IS's blob.c), so
 * routers on several threads intern and release without other coordination.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/probe.h"
#include "../../lib/util.h"
#include "attr.h"

/* The shared copy: the set, then its arrays (uint32_t ones first). */
struct node {
	struct bgp_attr a;
	_Alignas(uint32_t) uint8_t data[];
};

struct slot {
	uint64_t hash;
	struct node *n; /* NULL: empty */
};

static struct {
	pthread_mutex_t mu;
	struct slot *slot;
	size_t cap, n;
} store = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* Eight octets at a time (an AS path and communities are tens of octets), then the rest. */
static uint64_t
mix(uint64_t h, const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, b + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	for (; i < len; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

static uint64_t
mix32(uint64_t h, uint32_t v)
{
	return mix(h, &v, sizeof v);
}

/* A member's value if present (has bit set), else 0: what is absent is not compared. */
static uint32_t
opt(const struct bgp_attr *a, uint32_t bit, uint32_t v)
{
	return a->has & bit ? v : 0;
}

static uint64_t
attr_hash(const struct bgp_attr *a)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const uint32_t scalars[] = {a->has,
	                            a->origin,
	                            opt(a, BGP_HAS_NEXT_HOP, a->nexthop),
	                            opt(a, BGP_HAS_MED, a->med),
	                            opt(a, BGP_HAS_LOCAL_PREF, a->local_pref),
	                            a->weight,
	                            a->tag,
	                            opt(a, BGP_HAS_AGGREGATOR, a->aggr_as),
	                            opt(a, BGP_HAS_AGGREGATOR, a->aggr_addr),
	                            opt(a, BGP_HAS_ORIGINATOR, a->originator_id),
	                            opt(a, BGP_HAS_OTC, a->otc)};

	h = mix(h, scalars, sizeof scalars);
	h = mix32(h, a->aspath_len);
	h = mix(h, a->aspath, a->aspath_len);
	h = mix32(h, a->ncomm);
	h = mix(h, a->comm, (size_t)a->ncomm * 4);
	h = mix32(h, a->necomm);
	h = mix(h, a->ecomm, (size_t)a->necomm * 8);
	h = mix32(h, a->nlcomm);
	h = mix(h, a->lcomm, (size_t)a->nlcomm * 12);
	h = mix32(h, a->ncluster);
	h = mix(h, a->cluster, (size_t)a->ncluster * 4);
	h = mix32(h, a->unknown_len);
	h = mix(h, a->unknown, a->unknown_len);
	return hash_mix64(h);
}

/* Equal arrays of n octets (either pointer may be NULL when n is 0). */
static bool
same_bytes(const void *a, const void *b, size_t n)
{
	return n == 0 || memcmp(a, b, n) == 0;
}

bool
bgp_attr_equal(const struct bgp_attr *a, const struct bgp_attr *b)
{
	return a->has == b->has && a->origin == b->origin && a->weight == b->weight && a->tag == b->tag &&
	       opt(a, BGP_HAS_NEXT_HOP, a->nexthop) == opt(b, BGP_HAS_NEXT_HOP, b->nexthop) &&
	       opt(a, BGP_HAS_MED, a->med) == opt(b, BGP_HAS_MED, b->med) &&
	       opt(a, BGP_HAS_LOCAL_PREF, a->local_pref) ==
	           opt(b, BGP_HAS_LOCAL_PREF, b->local_pref) &&
	       opt(a, BGP_HAS_AGGREGATOR, a->aggr_as) == opt(b, BGP_HAS_AGGREGATOR, b->aggr_as) &&
	       opt(a, BGP_HAS_AGGREGATOR, a->aggr_addr) ==
	           opt(b, BGP_HAS_AGGREGATOR, b->aggr_addr) &&
	       opt(a, BGP_HAS_ORIGINATOR, a->originator_id) ==
	           opt(b, BGP_HAS_ORIGINATOR, b->originator_id) &&
	       opt(a, BGP_HAS_OTC, a->otc) == opt(b, BGP_HAS_OTC, b->otc) &&
	       a->aspath_len == b->aspath_len && a->ncomm == b->ncomm && a->necomm == b->necomm &&
	       a->nlcomm == b->nlcomm && a->ncluster == b->ncluster &&
	       a->unknown_len == b->unknown_len &&
	       same_bytes(a->aspath, b->aspath, a->aspath_len) &&
	       same_bytes(a->comm, b->comm, (size_t)a->ncomm * 4) &&
	       same_bytes(a->ecomm, b->ecomm, (size_t)a->necomm * 8) &&
	       same_bytes(a->lcomm, b->lcomm, (size_t)a->nlcomm * 12) &&
	       same_bytes(a->cluster, b->cluster, (size_t)a->ncluster * 4) &&
	       same_bytes(a->unknown, b->unknown, a->unknown_len);
}

/* The slot for s from its home on (the first empty one: s is not in the table). */
static void
slot_put(struct slot *slot, size_t mask, struct slot s)
{
	size_t i = s.hash & mask;

	while (slot[i].n != NULL)
		i = (i + 1) & mask;
	slot[i] = s;
}

static size_t
slot_home(const void *slot, const void *ctx UNUSED)
{
	const struct slot *s = slot;

	return s->n ? (size_t)s->hash : PROBE_EMPTY;
}

/* At most half full, so that probes stay short. */
static void
grow(void)
{
	size_t cap = store.cap ? store.cap * 2 : 256;
	struct slot *slot = xcalloc(cap, sizeof(*slot));

	for (size_t i = 0; i < store.cap; i++)
		if (store.slot[i].n != NULL)
			slot_put(slot, cap - 1, store.slot[i]);
	free(store.slot);
	store.slot = slot;
	store.cap = cap;
}

/* Copy n octets of src to *p and return where they went (NULL for none); advance *p. */
static const void *
put_array(uint8_t **p, const void *src, size_t n)
{
	void *at = *p;

	if (n == 0)
		return NULL;
	memcpy(at, src, n);
	*p += n;
	return at;
}

/* A new shared copy of a (its arrays inline), one reference taken. */
static struct node *
node_new(const struct bgp_attr *a, uint64_t h)
{
	size_t ncomm = (size_t)a->ncomm * 4, ncl = (size_t)a->ncluster * 4;
	size_t nec = (size_t)a->necomm * 8, nlc = (size_t)a->nlcomm * 12;
	struct node *b =
	    xmalloc(sizeof(*b) + ncomm + ncl + a->aspath_len + nec + nlc + a->unknown_len);
	uint8_t *p = b->data;

	b->a = *a;
	b->a.hash = h;
	/* Absent members read 0 in the shared copy, whatever the caller left there. */
	b->a.nexthop = opt(a, BGP_HAS_NEXT_HOP, a->nexthop);
	b->a.med = opt(a, BGP_HAS_MED, a->med);
	b->a.local_pref = opt(a, BGP_HAS_LOCAL_PREF, a->local_pref);
	b->a.aggr_as = opt(a, BGP_HAS_AGGREGATOR, a->aggr_as);
	b->a.aggr_addr = opt(a, BGP_HAS_AGGREGATOR, a->aggr_addr);
	b->a.originator_id = opt(a, BGP_HAS_ORIGINATOR, a->originator_id);
	b->a.otc = opt(a, BGP_HAS_OTC, a->otc);
	atomic_init(&b->a.refs, 1);
	/* The 32-bit arrays first: data is aligned for them. */
	b->a.comm = put_array(&p, a->comm, ncomm);
	b->a.cluster = put_array(&p, a->cluster, ncl);
	b->a.aspath = put_array(&p, a->aspath, a->aspath_len);
	b->a.ecomm = put_array(&p, a->ecomm, nec);
	b->a.lcomm = put_array(&p, a->lcomm, nlc);
	b->a.unknown = put_array(&p, a->unknown, a->unknown_len);
	return b;
}

const struct bgp_attr *
bgp_attr_intern(const struct bgp_attr *a)
{
	uint64_t h = attr_hash(a);
	struct node *b;
	size_t i;

	pthread_mutex_lock(&store.mu);
	if (store.n + 1 > store.cap / 2)
		grow();
	for (i = h & (store.cap - 1); (b = store.slot[i].n) != NULL; i = (i + 1) & (store.cap - 1))
		if (store.slot[i].hash == h && bgp_attr_equal(&b->a, a)) {
			atomic_fetch_add(&b->a.refs, 1);
			pthread_mutex_unlock(&store.mu);
			return &b->a;
		}
	b = node_new(a, h);
	store.slot[i] = (struct slot){h, b};
	store.n++;
	pthread_mutex_unlock(&store.mu);
	return &b->a;
}

/* The node of an interned set (its first member). */
static struct node *
node_of(const struct bgp_attr *a)
{
	return (struct node *)(uintptr_t)a;
}

const struct bgp_attr *
bgp_attr_ref(const struct bgp_attr *a)
{
	atomic_fetch_add(&node_of(a)->a.refs, 1);
	return a;
}

void
bgp_attr_unref(const struct bgp_attr *a)
{
	size_t i, mask;
	struct node *b;
	uint32_t r;

	if (a == NULL)
		return;
	b = node_of(a);
	/* Not the last reference: no lock. The last is dropped under the lock that lookups take. */
	r = atomic_load(&b->a.refs);
	while (r > 1)
		if (atomic_compare_exchange_weak(&b->a.refs, &r, r - 1))
			return;
	pthread_mutex_lock(&store.mu);
	if (atomic_fetch_sub(&b->a.refs, 1) != 1) {
		pthread_mutex_unlock(&store.mu);
		return;
	}
	mask = store.cap - 1;
	for (i = b->a.hash & mask; store.slot[i].n != b; i = (i + 1) & mask)
		;
	store.slot[i] = (struct slot){0, NULL};
	probe_backshift(store.slot, sizeof(*store.slot), mask, i, slot_home, NULL);
	store.n--;
	pthread_mutex_unlock(&store.mu);
	free(b);
}

size_t
bgp_attr_count(void)
{
	size_t n;

	pthread_mutex_lock(&store.mu);
	n = store.n;
	pthread_mutex_unlock(&store.mu);
	return n;
}
