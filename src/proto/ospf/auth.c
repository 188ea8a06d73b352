/*
 * auth.c: OSPF packet authentication (RFC 2328 appendix D, RFC 5709).
 *
 * AuType 0: nothing; the checksum covers the packet. AuType 1: the password
 * travels in clear in the header's 64-bit authentication field, which the
 * checksum leaves out (D.4.2). AuType 2, keyed MD5 (D.4.3): no checksum; the
 * field holds the key ID, the digest length (16) and a cryptographic sequence
 * number that never goes back, and the MD5 of the packet followed by the key
 * (zero-padded to 16 bytes) is appended after the packet, outside its OSPF
 * length but inside the IP datagram. HMAC-SHA (RFC 5709) is the same frame
 * with an HMAC of the packet instead, as long as the hash's output. netsim
 * numbers the sequence in seconds of simulated time, as FRR numbers it in
 * seconds of wall time, so that a restarted router does not start below what
 * its neighbors remember.
 *
 * Keys have lifetimes (D.3): a packet goes out under the youngest key that
 * may generate at the time, and is accepted under its key ID if that key may
 * be accepted at the time. When every key's lifetime has run out, the one
 * that ran out last stays in use, as D.3 asks, and the timeline says so.
 */
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/cksum.h"
#include "../../lib/hash.h"
#include "../../net/events.h"
#include "../../net/net.h"
#include "ospf.h"

/* A key's generation (send) or acceptance window: [from, until). */
struct window {
	sim_time from, until;
};

static struct window
window_of(const struct ospf_key *k, bool send)
{
	return send ? (struct window){k->send_from, k->send_until}
	            : (struct window){k->accept_from, k->accept_until};
}

static bool
within(sim_time t, struct window w)
{
	return w.from <= t && t < w.until;
}

/*
 * D.3: of the keys whose window holds now, the one that started last (the
 * last configured among equals); when none does, the one whose window
 * closed last (never none: configuration makes a key valid from time 0).
 */
static const struct ospf_key *
current_key(const struct ospf_auth *a, sim_time now, bool send)
{
	const struct ospf_key *best = NULL, *last = NULL;

	for (int i = 0; i < a->nkeys; i++) {
		const struct ospf_key *k = &a->keys[i];
		struct window w = window_of(k, send);

		if (within(now, w)) {
			if (best == NULL || w.from >= window_of(best, send).from)
				best = k;
		} else if (w.until <= now && (last == NULL || w.until >= window_of(last, send).until)) {
			last = k;
		}
	}
	return best != NULL ? best : last;
}

const struct ospf_key *
ospf_auth_send_key(const struct ospf_auth *a, sim_time now)
{
	return a->type == OSPF_AUTH_CRYPT && a->nkeys > 0 ? current_key(a, now, true) : NULL;
}

/* May a packet under key k be accepted now? In its window, or as the last key (D.3). */
static bool
acceptable(const struct ospf_auth *a, const struct ospf_key *k, sim_time now)
{
	return within(now, window_of(k, false)) || current_key(a, now, false) == k;
}

const char *
ospf_auth_name(const struct ospf_auth *a)
{
	static const char *const algs[] = {"md5", "hmac-sha-1", "hmac-sha-256", "hmac-sha-384",
	                                   "hmac-sha-512"};

	switch (a->type) {
	case OSPF_AUTH_NULL:
		return "null";
	case OSPF_AUTH_SIMPLE:
		return "simple";
	default:
		return algs[a->alg];
	}
}

/* The authentication data's length: 16 for MD5, the hash's output for HMAC-SHA. */
static size_t
digest_len(const struct ospf_auth *a)
{
	return hash_len((enum hash_alg)a->alg);
}

/*
 * D.4.3: MD5 over the packet and the key padded to 16 bytes. RFC 5709 3.3:
 * the HMAC over the packet followed by Apad (0x878FE1F3 repeated) as long as
 * the digest, under the key padded with zeros to that length, or hashed if
 * it is longer.
 */
static void
digest(const struct ospf_auth *a, const struct ospf_key *k, const uint8_t *p, size_t length,
       uint8_t *out)
{
	enum hash_alg alg = (enum hash_alg)a->alg;
	size_t L = hash_len(alg);

	if (alg == HASH_MD5) {
		struct hash m;

		hash_init(&m, HASH_MD5);
		hash_update(&m, p, length);
		hash_update(&m, k->bytes, 16);
		hash_final(&m, out);
	} else {
		static const uint8_t apad4[4] = {0x87, 0x8f, 0xe1, 0xf3};
		uint8_t ko[HASH_MAX_LEN] = {0}, apad[HASH_MAX_LEN];
		const void *parts[2] = {p, apad};
		size_t lens[2] = {length, L};

		if (k->len > L) {
			struct hash x;

			hash_init(&x, alg);
			hash_update(&x, k->bytes, k->len);
			hash_final(&x, ko);
		} else {
			memcpy(ko, k->bytes, k->len);
		}
		for (size_t i = 0; i < L; i++)
			apad[i] = apad4[i % 4];
		hmac(alg, ko, L, parts, lens, 2, out);
	}
}

void
ospf_auth_sign(struct ospf_if *oi, struct pkt **pp)
{
	const struct ospf_auth *a = &oi->auth;
	sim_time now = ospf_now(oi->o);
	const struct ospf_key *k = ospf_auth_send_key(a, now);
	struct pkt *p = *pp, *q;
	uint8_t *h = p->data;
	uint16_t len;
	uint32_t seq;

	if (a->type == OSPF_AUTH_NULL || p->len < OSPF_HDRLEN)
		return;
	len = get16(h + 2);
	put16(h + 14, a->type);
	if (a->type == OSPF_AUTH_SIMPLE) {
		memcpy(h + 16, a->keys[0].bytes, 8);
		put16(h + 12, ospf_pkt_cksum_compute(h, len)); /* the AuType changed */
		return;
	}
	/* D.3: the last key expired; it stays in use, and the timeline says so once. */
	if (now >= k->send_until && !oi->key_expiry_told) {
		struct node *n = oi->o->node;

		ev_log(n->net, n,
		       "OSPF: %s %s: authentication key %u expired and no other is valid: still "
		       "using it",
		       n->name, oi->ifp->name, k->id);
	}
	oi->key_expiry_told = now >= k->send_until;
	/* The digest goes after the packet, so the buffer grows. */
	seq = (uint32_t)(now / SIM_S);
	if (seq < oi->crypt_seq)
		seq = oi->crypt_seq;
	oi->crypt_seq = seq;
	put16(h + 12, 0);
	h[16] = h[17] = 0;
	h[18] = k->id;
	h[19] = (uint8_t)digest_len(a);
	put32(h + 20, seq);
	q = pkt_new((size_t)len + digest_len(a));
	memcpy(q->data, h, len);
	q->cls = p->cls;
	digest(a, k, q->data, len, q->data + len);
	pkt_free(p);
	*pp = q;
}

const char ospf_auth_replay[] = "cryptographic sequence number went back";

const char *
ospf_auth_check(const struct ospf_if *oi, const struct ospf_nbr *nb, const uint8_t *p,
                size_t len, const struct ospf_hdr *h, sim_time now)
{
	const struct ospf_auth *a = &oi->auth;
	const struct ospf_key *k = NULL;
	uint8_t d[HASH_MAX_LEN];

	if (h->autype != a->type)
		return "authentication type mismatch";
	switch (a->type) {
	case OSPF_AUTH_NULL:
		return NULL;
	case OSPF_AUTH_SIMPLE:
		return memcmp(h->auth, a->keys[0].bytes, 8) == 0 ? NULL : "wrong password";
	default:
		for (int i = 0; i < a->nkeys; i++)
			if (a->keys[i].id == ospf_auth_key_id(h))
				k = &a->keys[i];
		if (k == NULL)
			return "unknown key ID";
		if (!acceptable(a, k, now))
			return "key ID outside its accept lifetime";
		if (ospf_auth_len(h) != digest_len(a) || len < (size_t)h->length + digest_len(a))
			return "no message digest";
		digest(a, k, p, h->length, d);
		if (memcmp(d, p + h->length, digest_len(a)) != 0)
			return "wrong message digest";
		if (nb != NULL && ospf_auth_seq(h) < nb->crypt_seq)
			return ospf_auth_replay;
		return NULL;
	}
}
