/*
 * blob.c: the LSPs every router holds, stored once for the whole process.
 *
 * Flooding gives each router of a level a copy of every LSP of that level:
 * on a 1,000-router network a million copies of a thousand LSPs. A router's
 * database entry points to a shared, immutable blob instead: the LSP's
 * octets (with the remaining lifetime zeroed, since that field changes as an
 * LSP travels and ages, and is not covered by the checksum: ISO 10589
 * 7.3.11) and their content parsed once for SPF (neighbors, prefixes, areas,
 * flags, hostname).
 *
 * Blobs are found by content: a hash table in shards, each under its own
 * lock, taken when a router installs an LSP (routers may run on several
 * threads, and each of a million installs took the one lock there was).
 * References are atomic; the last one removes the blob under its shard's
 * lock, after checking that no lookup took a new reference in between. A
 * new blob's content is parsed under one more lock, the numbering's
 * (system and prefix numbers), always taken inside a shard's. Which router
 * creates a blob first does not matter: blobs with the same octets are the
 * same.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/log.h"
#include "../../lib/util.h"
#include "isis.h"

#define SHARDS 64 /* a power of two */

static struct shard {
	pthread_mutex_t mu;
	struct isis_blob **slot;
	size_t cap, n;
} store[SHARDS];
static pthread_once_t store_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t numbering = PTHREAD_MUTEX_INITIALIZER;

static void
store_init(void)
{
	for (int i = 0; i < SHARDS; i++)
		pthread_mutex_init(&store[i].mu, NULL);
}

/* The shard of hash h: its top bits (the low ones pick the slot). */
static struct shard *
shard_of(uint64_t h)
{
	return &store[h >> 58 & (SHARDS - 1)];
}

/*
 * System numbers: IDs in chunks that never move (a reader holding a number
 * got it from a blob made under that lock and found under its shard's, so the ID is there to read), and a
 * hash from ID to number, used under the numbering lock.
 */
#define SYS_CHUNK  4096
#define SYS_CHUNKS 4096
static struct {
	uint8_t (*chunk[SYS_CHUNKS])[7];
	_Atomic uint32_t n;
	uint32_t *slot; /* number + 1, 0: empty */
	size_t cap;
} sys;

static uint64_t
id_hash(const uint8_t id[7])
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (int i = 0; i < 7; i++)
		h = (h ^ id[i]) * 0x100000001b3ULL;
	return h;
}

const uint8_t *
isis_sysnum_id(uint32_t num)
{
	return sys.chunk[num / SYS_CHUNK][num % SYS_CHUNK];
}

uint32_t
isis_sysnum_count(void)
{
	return atomic_load(&sys.n);
}

/* Double a hash table of numbers + 1 (0: empty), placing each by home(number). */
static void
slots_grow(uint32_t **slotp, size_t *capp, uint64_t (*home)(uint32_t))
{
	size_t cap = *capp ? *capp * 2 : 1024;
	uint32_t *slot = xcalloc(cap, sizeof(*slot));

	for (size_t i = 0; i < *capp; i++) {
		size_t k;

		if ((*slotp)[i] == 0)
			continue;
		k = home((*slotp)[i] - 1) & (cap - 1);
		while (slot[k])
			k = (k + 1) & (cap - 1);
		slot[k] = (*slotp)[i];
	}
	free(*slotp);
	*slotp = slot;
	*capp = cap;
}

static uint64_t
sys_home(uint32_t num)
{
	return id_hash(isis_sysnum_id(num));
}

/* The number of a system ID (under the numbering lock). */
static uint32_t
sysnum(const uint8_t id[7])
{
	uint32_t n = atomic_load(&sys.n);
	size_t k;

	if (n + 1 > sys.cap / 2)
		slots_grow(&sys.slot, &sys.cap, sys_home);
	for (k = id_hash(id) & (sys.cap - 1); sys.slot[k]; k = (k + 1) & (sys.cap - 1))
		if (memcmp(isis_sysnum_id(sys.slot[k] - 1), id, 7) == 0)
			return sys.slot[k] - 1;
	if (n == (uint32_t)SYS_CHUNK * SYS_CHUNKS)
		fatalx("IS-IS: more than %u systems", n);
	if (sys.chunk[n / SYS_CHUNK] == NULL)
		sys.chunk[n / SYS_CHUNK] = xcalloc(SYS_CHUNK, 7);
	memcpy(sys.chunk[n / SYS_CHUNK][n % SYS_CHUNK], id, 7);
	sys.slot[k] = n + 1;
	atomic_store(&sys.n, n + 1);
	return n;
}

/*
 * Prefix numbers, the same way: each (address, length) some LSP carried gets
 * a number, and a list of the systems that ever announced it (never
 * forgotten: a superset of the announcers in any router's database). A
 * router recomputing the route to a few prefixes after a change (route.c)
 * reads the LSPs of these systems only. Lists grow at the head under the
 * numbering lock and are read without it: a router reads the list of a
 * prefix only after it got, through its shard's lock, an LSP that put its
 * own entry there.
 */
static struct {
	struct pfxrec {
		uint32_t addr;
		uint8_t plen;
		_Atomic(const struct isis_ann *) ann;
	} * chunk[SYS_CHUNKS];
	_Atomic uint32_t n;
	uint32_t *slot; /* number + 1, 0: empty */
	size_t cap;
} pfxs;

static struct pfxrec *
pfxrec(uint32_t num)
{
	return &pfxs.chunk[num / SYS_CHUNK][num % SYS_CHUNK];
}

static uint64_t
pfx_home(uint32_t num)
{
	return isis_pfx_hash(pfxrec(num)->addr, pfxrec(num)->plen);
}

/* The number of a prefix announced by system `by`, noting it as an announcer (under the numbering lock). */
static uint32_t
pfxnum(uint32_t addr, uint8_t plen, uint32_t by)
{
	uint32_t n = atomic_load(&pfxs.n), num;
	struct pfxrec *r;
	struct isis_ann *a;
	size_t k;

	if (n + 1 > pfxs.cap / 2)
		slots_grow(&pfxs.slot, &pfxs.cap, pfx_home);
	for (k = isis_pfx_hash(addr, plen) & (pfxs.cap - 1); pfxs.slot[k];
	     k = (k + 1) & (pfxs.cap - 1)) {
		r = pfxrec(pfxs.slot[k] - 1);
		if (r->addr == addr && r->plen == plen)
			break;
	}
	if (pfxs.slot[k] == 0) {
		if (n == (uint32_t)SYS_CHUNK * SYS_CHUNKS)
			fatalx("IS-IS: more than %u prefixes", n);
		if (pfxs.chunk[n / SYS_CHUNK] == NULL)
			pfxs.chunk[n / SYS_CHUNK] = xcalloc(SYS_CHUNK, sizeof(struct pfxrec));
		r = pfxrec(n);
		r->addr = addr;
		r->plen = plen;
		pfxs.slot[k] = n + 1;
		atomic_store(&pfxs.n, n + 1);
	}
	num = pfxs.slot[k] - 1;
	r = pfxrec(num);
	for (const struct isis_ann *x = atomic_load(&r->ann); x; x = x->next)
		if (x->sys == by)
			return num;
	a = xmalloc(sizeof(*a));
	a->sys = by;
	a->next = atomic_load(&r->ann);
	atomic_store(&r->ann, a);
	return num;
}

const struct isis_ann *
isis_pfx_announcers(uint32_t num)
{
	return atomic_load(&pfxrec(num)->ann);
}

void
isis_pfx_of(uint32_t num, uint32_t *addr, uint8_t *plen)
{
	*addr = pfxrec(num)->addr;
	*plen = pfxrec(num)->plen;
}

/*
 * The hash of an LSP: its ID, sequence number, checksum and length, which
 * tell instances apart (the checksum covers the content); same() compares
 * the octets. Hashing these 16 octets rather than the whole LSP matters: a
 * cold start of 1,000 routers looks a million LSPs up.
 */
static uint64_t
lsp_hash(const uint8_t *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	if (len < ISIS_LSP_HLEN)
		return h ^ len;
	for (size_t i = ISIS_LSP_OFF_ID; i < ISIS_LSP_OFF_CKSUM + 2; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h ^ len;
}

static bool
same(const struct isis_blob *b, uint64_t h, const uint8_t *p, size_t len)
{
	return b->hash == h && b->len == len && memcmp(b->bytes, p, ISIS_LSP_OFF_LIFETIME) == 0 &&
	       memcmp(b->bytes + ISIS_LSP_OFF_ID, p + ISIS_LSP_OFF_ID, len - ISIS_LSP_OFF_ID) == 0;
}

static void
grow(struct shard *sh)
{
	size_t cap = sh->cap ? sh->cap * 2 : 64;
	struct isis_blob **slot = xcalloc(cap, sizeof(*slot));

	for (size_t i = 0; i < sh->cap; i++)
		for (struct isis_blob *b = sh->slot[i], *next; b; b = next) {
			next = b->chain;
			b->chain = slot[b->hash & (cap - 1)];
			slot[b->hash & (cap - 1)] = b;
		}
	free(sh->slot);
	sh->slot = slot;
	sh->cap = cap;
}

static void
add_nbr(struct isis_lspinfo *in, const uint8_t id[7], uint32_t metric)
{
	uint32_t num;

	for (int i = 0; i < in->nnbr; i++)
		if (memcmp(in->nbr[i].id, id, 7) == 0) {
			if (metric < in->nbr[i].metric)
				in->nbr[i].metric = metric;
			return;
		}
	num = sysnum(id);
	in->nbr = xrealloc(in->nbr, (size_t)(in->nnbr + 1) * sizeof(*in->nbr));
	memset(&in->nbr[in->nnbr], 0, sizeof(in->nbr[0]));
	memcpy(in->nbr[in->nnbr].id, id, 7);
	in->nbr[in->nnbr].num = num;
	in->nbr[in->nnbr++].metric = metric;
}

static void
add_pfx(struct isis_lspinfo *in, const struct isis_ip_reach *r, bool external)
{
	uint32_t addr = r->prefix & ip_mask(r->plen);
	struct isis_pfx_ent *e;

	for (int i = 0; i < in->npfx; i++) {
		e = &in->pfx[i];

		if (e->addr == addr && e->plen == r->plen && e->down == r->down) {
			if (r->metric < e->metric) {
				e->metric = r->metric;
				e->external = external;
			}
			return;
		}
	}
	in->pfx = xrealloc(in->pfx, (size_t)(in->npfx + 1) * sizeof(*in->pfx));
	e = &in->pfx[in->npfx++];
	memset(e, 0, sizeof(*e)); /* compared with memcmp: no stray padding */
	e->addr = addr;
	e->plen = r->plen;
	e->down = r->down;
	e->external = external;
	e->metric = r->metric;
	e->num = pfxnum(addr, r->plen, in->num);
}

/* What SPF and the routes read of an LSP (ISO 10589 7.2.6, RFC 1195 C.1.4, RFC 5305). */
static int
parse_info(struct isis_lspinfo *in, const uint8_t *p, size_t len, const char **err)
{
	struct isis_pdu pdu;
	int ip = 0;

	if (isis_pdu_parse(&pdu, p, len, err) < 0)
		return -1;
	if (pdu.type != ISIS_L1_LSP && pdu.type != ISIS_L2_LSP) {
		isis_pdu_free(&pdu);
		*err = "not an LSP";
		return -1;
	}
	in->num = sysnum(pdu.lspid.b);
	in->flags = pdu.lsp_flags;
	in->nareas = pdu.nareas < ISIS_MAX_AREAS ? pdu.nareas : ISIS_MAX_AREAS;
	if (in->nareas > 0)
		memcpy(in->areas, pdu.areas, (size_t)in->nareas * sizeof(*in->areas));
	for (int t = 0; t < pdu.ntlv; t++) {
		const struct isis_tlv *tl = &pdu.tlv[t];

		for (int i = tl->first; i < tl->first + tl->n; i++)
			switch (tl->type) {
			case ISIS_TLV_IS_REACH:
			case ISIS_TLV_EXT_IS_REACH:
				/* RFC 5305 3: a wide metric of 2^24-1 keeps the link out of SPF. */
				if (pdu.is[i].metric <= ISIS_WIDE_MAX)
					add_nbr(in, pdu.is[i].id, pdu.is[i].metric);
				break;
			case ISIS_TLV_IP_INT:
			case ISIS_TLV_EXT_IP:
				add_pfx(in, &pdu.ip[i], false);
				break;
			case ISIS_TLV_IP_EXT:
				add_pfx(in, &pdu.ip[i], true);
				break;
			default:
				break;
			}
	}
	if (pdu.naddrs) {
		in->addrs = xmalloc((size_t)pdu.naddrs * sizeof(*in->addrs));
		memcpy(in->addrs, pdu.addrs, (size_t)pdu.naddrs * sizeof(*in->addrs));
		in->naddrs = pdu.naddrs;
	}
	snprintf(in->hostname, sizeof(in->hostname), "%.63s", pdu.hostname);
	/* RFC 1195 5.3.3: without TLV 129 a router is taken to speak IPv4 only if it says so. */
	for (int i = 0; i < pdu.nnlpids; i++)
		ip |= pdu.nlpids[i] == ISIS_NLPID_IPV4;
	in->ipv4 = ip || pdu.nnlpids == 0;
	isis_pdu_free(&pdu);
	return 0;
}

static void
info_free(struct isis_lspinfo *in)
{
	free(in->nbr);
	free(in->pfx);
	free(in->addrs);
}

struct isis_blob *
isis_blob_get(const uint8_t *p, size_t len, const char **err)
{
	uint64_t h = lsp_hash(p, len);
	struct shard *sh = shard_of(h);
	struct isis_blob *b;
	int bad;

	pthread_once(&store_once, store_init);
	pthread_mutex_lock(&sh->mu);
	if (sh->cap)
		for (b = sh->slot[h & (sh->cap - 1)]; b; b = b->chain)
			if (same(b, h, p, len)) {
				atomic_fetch_add(&b->ref, 1);
				pthread_mutex_unlock(&sh->mu);
				return b;
			}
	/* New octets: 7.3.14.2, a live LSP with a bad checksum is dropped (RFC 3719 7). */
	if (len > ISIS_LSP_OFF_CKSUM + 2 && get16(p + ISIS_LSP_OFF_LIFETIME) != 0 &&
	    !isis_lsp_cksum_ok(p, len)) {
		pthread_mutex_unlock(&sh->mu);
		*err = "bad LSP checksum";
		return NULL;
	}
	if (sh->n >= sh->cap / 2)
		grow(sh);
	b = xcalloc(1, sizeof(*b) + len);
	b->hash = h;
	b->len = (uint16_t)len;
	memcpy(b->bytes, p, len);
	b->bytes[ISIS_LSP_OFF_LIFETIME] = b->bytes[ISIS_LSP_OFF_LIFETIME + 1] = 0;
	atomic_init(&b->ref, 1);
	pthread_mutex_lock(&numbering);
	bad = parse_info(&b->info, p, len, err);
	pthread_mutex_unlock(&numbering);
	if (bad < 0) {
		pthread_mutex_unlock(&sh->mu);
		info_free(&b->info);
		free(b);
		return NULL;
	}
	b->chain = sh->slot[h & (sh->cap - 1)];
	sh->slot[h & (sh->cap - 1)] = b;
	sh->n++;
	pthread_mutex_unlock(&sh->mu);
	return b;
}

void
isis_blob_put(struct isis_blob *b)
{
	struct isis_blob **pp;
	struct shard *sh;
	uint32_t r;

	if (b == NULL)
		return;
	/* Not the last reference: no lock. The last is dropped under the lock that lookups take. */
	r = atomic_load(&b->ref);
	while (r > 1)
		if (atomic_compare_exchange_weak(&b->ref, &r, r - 1))
			return;
	sh = shard_of(b->hash);
	pthread_mutex_lock(&sh->mu);
	if (atomic_fetch_sub(&b->ref, 1) != 1) {
		pthread_mutex_unlock(&sh->mu);
		return;
	}
	for (pp = &sh->slot[b->hash & (sh->cap - 1)]; *pp; pp = &(*pp)->chain)
		if (*pp == b) {
			*pp = b->chain;
			break;
		}
	sh->n--;
	pthread_mutex_unlock(&sh->mu);
	info_free(&b->info);
	free(b);
}

struct isis_blob *
isis_blob_own(const uint8_t *p, size_t len)
{
	const char *err = NULL;
	struct isis_blob *b = isis_blob_get(p, len, &err);

	if (b == NULL)
		bug("IS-IS: an LSP of ours does not parse: %s", err);
	return b;
}

bool
isis_info_same_pfx(const struct isis_lspinfo *a, const struct isis_lspinfo *b)
{
	return a->npfx == b->npfx &&
	       (a->npfx == 0 || memcmp(a->pfx, b->pfx, (size_t)a->npfx * sizeof(*a->pfx)) == 0);
}
