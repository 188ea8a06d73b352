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
 * The store is process-wide and is touched from node context: it is the one
 * piece of OSPF state shared between nodes. It holds only immutable,
 * content-addressed data, so no node can observe another through it; if the
 * engine ever runs a tick's nodes on several threads, this table needs a lock
 * (or per-thread shards). Nothing observable depends on its hash order.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/log.h"
#include "../../lib/util.h"
#include "ospf.h"

static struct {
	struct ospf_blob **b;
	size_t cap, n, bytes;
	uint64_t hits;
} store;

/* FNV-1a over the LSA without its age, folded with a final mix. */
static uint64_t
lsa_hash(const uint8_t *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 2; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return h;
}

static void
grow(void)
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

struct ospf_blob *
ospf_intern(const uint8_t *lsa, size_t len)
{
	uint64_t h = lsa_hash(lsa, len);
	struct ospf_blob *b;

	if (store.cap) {
		for (b = store.b[h & (store.cap - 1)]; b; b = b->chain)
			if (b->hash == h && b->hdr.length == len &&
			    memcmp(b->bytes + 2, lsa + 2, len - 2) == 0) {
				b->refs++;
				store.hits++;
				return b;
			}
	}
	if (store.n + 1 > store.cap)
		grow();
	b = xmalloc(sizeof(*b) + len);
	b->hash = h;
	b->refs = 1;
	b->body = NULL;
	b->body_bad = false;
	memcpy(b->bytes, lsa, len);
	b->bytes[0] = b->bytes[1] = 0;
	(void)ospf_lsa_hdr_decode(b->bytes, len, &b->hdr, NULL);
	b->chain = store.b[h & (store.cap - 1)];
	store.b[h & (store.cap - 1)] = b;
	store.n++;
	store.bytes += len;
	return b;
}

struct ospf_blob *
ospf_intern_ref(struct ospf_blob *b)
{
	b->refs++;
	return b;
}

void
ospf_intern_unref(struct ospf_blob *b)
{
	struct ospf_blob **pp;

	if (b == NULL || --b->refs > 0)
		return;
	for (pp = &store.b[b->hash & (store.cap - 1)]; *pp != b; pp = &(*pp)->chain)
		if (*pp == NULL)
			bug("ospf: interned LSA not in its chain");
	*pp = b->chain;
	store.n--;
	store.bytes -= b->hdr.length;
	if (b->body) {
		ospf_lsa_body_free(b->body);
		free(b->body);
	}
	free(b);
}

const struct ospf_lsa_body *
ospf_intern_body(struct ospf_blob *b)
{
	struct ospf_lsa lsa;

	if (b->body != NULL || b->body_bad)
		return b->body;
	lsa.hdr = b->hdr;
	lsa.raw = b->bytes;
	lsa.len = b->hdr.length;
	b->body = xmalloc(sizeof(*b->body));
	if (ospf_lsa_body_decode(&lsa, b->body, NULL) < 0) {
		free(b->body);
		b->body = NULL;
		b->body_bad = true;
	}
	return b->body;
}

void
ospf_intern_stats(size_t *count, size_t *bytes, uint64_t *hits)
{
	if (count)
		*count = store.n;
	if (bytes)
		*bytes = store.bytes;
	if (hits)
		*hits = store.hits;
}
