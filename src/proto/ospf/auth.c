/*
 * auth.c: OSPF packet authentication (RFC 2328 appendix D).
 *
 * AuType 0: nothing; the checksum covers the packet. AuType 1: the password
 * travels in clear in the header's 64-bit authentication field, which the
 * checksum leaves out (D.4.2). AuType 2, keyed MD5 (D.4.3): no checksum; the
 * field holds the key ID, the digest length (16) and a cryptographic sequence
 * number that never goes back, and the MD5 of the packet followed by the key
 * (zero-padded to 16 bytes) is appended after the packet, outside its OSPF
 * length but inside the IP datagram. netsim numbers the sequence in seconds
 * of simulated time, as FRR numbers it in seconds of wall time, so that a
 * restarted router does not start below what its neighbors remember.
 */
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/cksum.h"
#include "../../lib/md5.h"
#include "ospf.h"

const char *
ospf_auth_name(uint16_t type)
{
	switch (type) {
	case OSPF_AUTH_NULL:
		return "null";
	case OSPF_AUTH_SIMPLE:
		return "simple";
	case OSPF_AUTH_CRYPT:
		return "md5";
	}
	return "unknown";
}

/* D.4.3: MD5 over the packet (length bytes) and the key padded to 16 bytes. */
static void
digest(const uint8_t *p, size_t length, const uint8_t key[16], uint8_t out[MD5_LEN])
{
	struct md5 m;

	md5_init(&m);
	md5_update(&m, p, length);
	md5_update(&m, key, 16);
	md5_final(&m, out);
}

void
ospf_auth_sign(struct ospf_if *oi, struct pkt **pp)
{
	const struct ospf_auth *a = &oi->auth;
	struct pkt *p = *pp, *q;
	uint8_t *h = p->data;
	uint16_t len;
	uint32_t seq;

	if (a->type == OSPF_AUTH_NULL || p->len < OSPF_HDRLEN)
		return;
	len = get16(h + 2);
	put16(h + 14, a->type);
	if (a->type == OSPF_AUTH_SIMPLE) {
		memcpy(h + 16, a->key, 8);
		put16(h + 12, ospf_pkt_cksum_compute(h, len)); /* the AuType changed */
		return;
	}
	/* Keyed MD5: the digest goes after the packet, so the buffer grows by 16 bytes. */
	seq = (uint32_t)(ospf_now(oi->o) / SIM_S);
	if (seq < oi->crypt_seq)
		seq = oi->crypt_seq;
	oi->crypt_seq = seq;
	put16(h + 12, 0);
	h[16] = h[17] = 0;
	h[18] = a->key_id;
	h[19] = MD5_LEN;
	put32(h + 20, seq);
	q = pkt_new((size_t)len + MD5_LEN);
	memcpy(q->data, h, len);
	q->cls = p->cls;
	digest(q->data, len, a->key, q->data + len);
	pkt_free(p);
	*pp = q;
}

const char *
ospf_auth_check(const struct ospf_if *oi, const struct ospf_nbr *nb, const uint8_t *p,
                size_t len, const struct ospf_hdr *h)
{
	const struct ospf_auth *a = &oi->auth;
	uint8_t d[MD5_LEN];

	if (h->autype != a->type)
		return "authentication type mismatch";
	switch (a->type) {
	case OSPF_AUTH_NULL:
		return NULL;
	case OSPF_AUTH_SIMPLE:
		return memcmp(h->auth, a->key, 8) == 0 ? NULL : "wrong password";
	default:
		if (ospf_auth_key_id(h) != a->key_id)
			return "unknown key ID";
		if (ospf_auth_len(h) != MD5_LEN || len < (size_t)h->length + MD5_LEN)
			return "no message digest";
		digest(p, h->length, a->key, d);
		if (memcmp(d, p + h->length, MD5_LEN) != 0)
			return "wrong message digest";
		if (nb != NULL && ospf_auth_seq(h) < nb->crypt_seq)
			return "cryptographic sequence number went back";
		return NULL;
	}
}
