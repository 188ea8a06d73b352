/*
 * intern.c: LSA instances stored once for the whole network.
 *
 * Every router of an OSPF domain holds a copy of every LSA of its areas; in
 * a network of N routers a naive LSDB stores N copies of each instance. Here
 * an instance is stored once, keyed by its bytes without the LS age (the only
 * field that differs between routers: each router's struct ospf_ent keeps the
 * age it received and when, RFC 2328 12.1.1/14), and shared by reference
 * count. Memory then grows with the number of distinct LSA instances, not
 * routers x LSAs. The parsed body (for SPF and show) is cached in the same
 * place, so a router-LSA is parsed once however many routers run SPF on it.
 *
 * Work that depends only on the bytes is done here once per instance rather
 * than once per router: the Fletcher checksum (12.1.7) is verified when the
 * instance is first stored, the Internet checksum sum of its bytes is kept
 * for the LS Updates that carry it (packet checksums then cost a few
 * additions per LSA, D.4), and the parsed body carries the dense numbers of
 * its key, of the routers its links point to and of its prefixes (lsakey.c,
 * pfxindex.c).
 *
 * The store is process-wide and is touched from node context: it is, with
 * the number tables, the one piece of OSPF state shared between nodes. It
 * holds only immutable, content-addressed data, so no node can observe
 * another through it. Nodes on several threads look instances up without a
 * lock and add them under one; reference counts change only between
 * parallel sections (shared.c). Nothing observable depends on its hash
 * order.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/cksum.h"
#include "../../lib/log.h"
#include "../../lib/util.h"
#include "ospf.h"

static struct {
	struct ospf_blob **b;
	size_t cap, n, bytes;   /* cap changes only while one thread runs */
	struct {
		SIM_THREAD_ALIGN uint64_t n;
	} hits[SIM_MAX_THREADS];
} store;

static inline uint64_t
mix(uint64_t h, uint64_t w)
{
	h ^= w * 0x9e3779b97f4a7c15ULL;
	h ^= h >> 29;
	return h * 0xbf58476d1ce4e5b9ULL;
}

/* A hash of the LSA without its age, eight bytes at a time. */
static uint64_t
lsa_hash(const uint8_t *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ len, w;
	size_t i = 2;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		h = mix(h, w);
	}
	for (w = 0; i < len; i++)
		w = w << 8 | p[i];
	h = mix(h, w);
	h ^= h >> 32;
	return h;
}

static void
grow_once(void)
{
	size_t ncap = store.cap ? store.cap * 2 : 4096;
	struct ospf_blob **nb = xcalloc(ncap, sizeof(*nb));

	for (size_t i = 0; i < store.cap; i++)
		for (struct ospf_blob *b = store.b[i], *next; b; b = next) {
			next = b->chain;
			b->chain = nb[b->hash & (ncap - 1)];
			nb[b->hash & (ncap - 1)] = b;
		}
	free(store.b);
	store.b = nb;
	store.cap = ncap;
}

/* Serial phases only (shared.c): a table grown while others probe it would lose them. */
void
ospf_intern_grow(void)
{
	while (store.n + 1 > store.cap)
		grow_once();
}

/* An instance is published (last) at the head of its chain; chains change otherwise only in serial phases. */
static struct ospf_blob *
find(const uint8_t *lsa, size_t len, uint64_t h)
{
	if (store.cap == 0)
		return NULL;
	for (struct ospf_blob *b = __atomic_load_n(&store.b[h & (store.cap - 1)], __ATOMIC_ACQUIRE);
	     b; b = b->chain)
		if (b->hash == h && b->hdr.length == len &&
		    memcmp(b->bytes + 2, lsa + 2, len - 2) == 0)
			return b;
	return NULL;
}

struct ospf_blob *
ospf_intern_find(const uint8_t *lsa, size_t len)
{
	return find(lsa, len, lsa_hash(lsa, len));
}

struct ospf_blob *
ospf_intern(const uint8_t *lsa, size_t len)
{
	uint64_t h = lsa_hash(lsa, len);
	struct ospf_blob *b = find(lsa, len, h);

	if (b != NULL)
		return ospf_intern_again(b);
	ospf_shared_lock();
	if ((b = find(lsa, len, h)) != NULL) {
		ospf_shared_unlock();
		return ospf_intern_again(b);
	}
	if (!sim_parallel)
		ospf_intern_grow();
	b = xmalloc(sizeof(*b) + len);
	memset(b, 0, sizeof(*b));
	b->hash = h;
	b->refs = 1;
	memcpy(b->bytes, lsa, len);
	b->bytes[0] = b->bytes[1] = 0;
	(void)ospf_lsa_hdr_decode(b->bytes, len, &b->hdr, NULL);
	b->lsx = ospf_lsakey_ref(b->hdr.type, b->hdr.id, b->hdr.adv_rtr);
	b->cksum_ok = ospf_lsa_cksum_ok(b->bytes, len);
	b->sum = inet_sum(b->bytes, len, 0);
	b->pid = OSPF_PFX_NONE;
	b->chain = store.b[h & (store.cap - 1)];
	__atomic_store_n(&store.b[h & (store.cap - 1)], b, __ATOMIC_RELEASE);
	store.n++;
	store.bytes += len;
	ospf_shared_unlock();
	return b;
}

/* Is stub link i the first of a router-LSA with its prefix? (The LSA is listed once per prefix.) */
static bool
first_use(const struct ospf_lsa_body *body, const uint32_t *to, uint16_t i)
{
	for (uint16_t k = 0; k < i; k++)
		if (body->rtr.links[k].type == OSPF_LINK_STUB && to[k] == to[i])
			return false;
	return true;
}

struct ospf_blob *
ospf_intern_again(struct ospf_blob *b)
{
	ospf_shared_hold(OSPF_SH_BLOB, b, 0, &b->refs);
	store.hits[sim_thread].n++;
	return b;
}

struct ospf_blob *
ospf_intern_ref(struct ospf_blob *b)
{
	ospf_shared_hold(OSPF_SH_BLOB, b, 0, &b->refs);
	return b;
}

/* A count of zero after a parallel section: true once per instance (it is then marked). */
bool
ospf_intern_doomed(struct ospf_blob *b)
{
	if (b->refs != 0)
		return false;
	b->refs = UINT32_MAX;
	return true;
}

void
ospf_intern_unref(struct ospf_blob *b)
{
	if (b != NULL && ospf_shared_release(OSPF_SH_BLOB, b, 0, &b->refs))
		ospf_intern_free(b);
}

void
ospf_intern_free(struct ospf_blob *b)
{
	struct ospf_blob **pp;

	for (pp = &store.b[b->hash & (store.cap - 1)]; *pp != b; pp = &(*pp)->chain)
		if (*pp == NULL)
			bug("ospf: interned LSA not in its chain");
	*pp = b->chain;
	store.n--;
	store.bytes -= b->hdr.length;
	if (b->body) {
		size_t n = b->body->type == OSPF_LSA_ROUTER    ? b->body->rtr.nlinks
		           : b->body->type == OSPF_LSA_NETWORK ? b->body->net.nrtrs
		                                               : 0;

		for (size_t i = 0; i < n; i++) {
			if (b->body->type == OSPF_LSA_ROUTER &&
			    b->body->rtr.links[i].type == OSPF_LINK_STUB) {
				if (b->to[i] != OSPF_PFX_NONE && first_use(b->body, b->to, i))
					ospf_pfx_user_del(b->to[i], b);
				ospf_pfx_unref(b->to[i]);
			} else {
				ospf_lsakey_unref(b->to[i]);
			}
		}
		free(b->to);
		if (b->pid != OSPF_PFX_NONE && b->body->type == OSPF_LSA_NETWORK)
			ospf_pfx_user_del(b->pid, b);
		ospf_pfx_unref(b->pid);
		ospf_lsa_body_free(b->body);
		free(b->body);
	}
	ospf_lsakey_unref(b->lsx);
	free(b);
}

/* The prefix id & mask, or none if the mask is not contiguous. */
static uint32_t
pfx_of(uint32_t id, uint32_t mask)
{
	int len = mask_to_len(mask);
	struct prefix p;

	if (len < 0)
		return OSPF_PFX_NONE;
	p.len = (uint8_t)len;
	p.addr = id & mask;
	return ospf_pfx_ref(&p);
}

/* The dense numbers SPF follows (see struct ospf_blob), for body, before b->body is set. */
static void
numbers(struct ospf_blob *b, const struct ospf_lsa_body *body)
{
	switch (body->type) {
	case OSPF_LSA_ROUTER:
		b->to = xmalloc(sizeof(*b->to) * (body->rtr.nlinks + 1u));
		for (uint16_t i = 0; i < body->rtr.nlinks; i++) {
			const struct ospf_rtr_link *l = &body->rtr.links[i];

			if (l->type == OSPF_LINK_PTP)
				b->to[i] = ospf_lsakey_ref(OSPF_LSA_ROUTER, l->id, l->id);
			else if (l->type == OSPF_LINK_STUB)
				b->to[i] = pfx_of(l->id, l->data);
			else
				b->to[i] = OSPF_LSX_NONE;
			if (l->type == OSPF_LINK_STUB && b->to[i] != OSPF_PFX_NONE &&
			    first_use(body, b->to, i))
				ospf_pfx_user_add(b->to[i], b);
			if ((l->type == OSPF_LINK_PTP || l->type == OSPF_LINK_TRANSIT) &&
			    l->metric == 0)
				b->zero_metric = true;
		}
		break;
	case OSPF_LSA_NETWORK: {
		/* 16.1 takes a network's prefix with a bad mask as length 0 (see spf.c). */
		int len = MAX(0, mask_to_len(body->net.mask));
		struct prefix p = {b->hdr.id & ip_mask((unsigned)len), (uint8_t)len};

		b->pid = ospf_pfx_ref(&p);
		ospf_pfx_user_add(b->pid, b);
		b->to = xmalloc(sizeof(*b->to) * (body->net.nrtrs + 1));
		for (size_t i = 0; i < body->net.nrtrs; i++)
			b->to[i] = ospf_lsakey_ref(OSPF_LSA_ROUTER, body->net.rtrs[i],
			                           body->net.rtrs[i]);
		break;
	}
	case OSPF_LSA_SUMMARY:
		b->pid = pfx_of(b->hdr.id, body->sum.mask);
		break;
	case OSPF_LSA_EXTERNAL:
	case OSPF_LSA_NSSA:
		b->pid = pfx_of(b->hdr.id, body->ext.mask);
		break;
	default:
		break;
	}
}

/*
 * Parsed once, under the lock; the body is published last, so that a thread
 * that sees it also sees the numbers (readers load it with acquire).
 */
const struct ospf_lsa_body *
ospf_intern_body(struct ospf_blob *b)
{
	struct ospf_lsa_body *body = __atomic_load_n(&b->body, __ATOMIC_ACQUIRE);
	struct ospf_lsa lsa;

	if (body != NULL || __atomic_load_n(&b->body_bad, __ATOMIC_ACQUIRE))
		return body;
	ospf_shared_lock();
	if (b->body != NULL || b->body_bad) {
		ospf_shared_unlock();
		return b->body;
	}
	lsa.hdr = b->hdr;
	lsa.raw = b->bytes;
	lsa.len = b->hdr.length;
	body = xmalloc(sizeof(*body));
	if (ospf_lsa_body_decode(&lsa, body, NULL) < 0) {
		free(body);
		__atomic_store_n(&b->body_bad, true, __ATOMIC_RELEASE);
	} else {
		numbers(b, body);
		__atomic_store_n(&b->body, body, __ATOMIC_RELEASE);
	}
	ospf_shared_unlock();
	return body;
}

void
ospf_intern_stats(size_t *count, size_t *bytes, uint64_t *hits)
{
	if (count)
		*count = store.n;
	if (bytes)
		*bytes = store.bytes;
	if (hits) {
		*hits = 0;
		for (unsigned i = 0; i < SIM_MAX_THREADS; i++)
			*hits += store.hits[i].n;
	}
}
