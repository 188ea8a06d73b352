/*
 * packet.c: the OSPFv2 packet header and the five packet bodies on the wire
 * (RFC 2328 A.3), and the packet checksum (RFC 2328 D.4).
 *
 * Every body is checked against the length the header gives before anything
 * is allocated, so an array is never larger than the bytes that describe it,
 * and errors name the packet type and the field that is wrong.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/cksum.h"
#include "../../lib/util.h"
#include "packet.h"

const char *
ospf_pkt_type_name(uint8_t type)
{
	switch (type) {
	case OSPF_HELLO:
		return "Hello";
	case OSPF_DD:
		return "DBDesc";
	case OSPF_LSR:
		return "LSRequest";
	case OSPF_LSU:
		return "LSUpdate";
	case OSPF_LSACK:
		return "LSAck";
	default:
		return "Unknown";
	}
}

/*
 * RFC 2328 D.4.1/D.4.2: the standard Internet checksum of the whole packet
 * except the 64-bit authentication field. The field sits at offsets 16..23,
 * so the words on either side still pair up and the sum can skip it.
 */
static uint32_t
cksum_sum(const uint8_t *p, size_t len)
{
	return inet_sum(p + OSPF_HDRLEN, len - OSPF_HDRLEN, inet_sum(p, 16, 0));
}

bool
ospf_pkt_cksum_ok(const uint8_t *p, size_t len)
{
	if (len < OSPF_HDRLEN)
		return false;
	/* D.4.3: with cryptographic authentication the checksum is not computed. */
	if (get16(p + 14) == OSPF_AUTH_CRYPT)
		return true;
	return inet_fold(cksum_sum(p, len)) == 0;
}

uint16_t
ospf_pkt_cksum_compute(const uint8_t *p, size_t len)
{
	uint32_t sum;

	if (len < OSPF_HDRLEN)
		return 0;
	sum = inet_sum(p, 12, 0);
	sum = inet_sum(p + 14, 2, sum);
	sum = inet_sum(p + OSPF_HDRLEN, len - OSPF_HDRLEN, sum);
	return inet_fold(sum);
}

/* RFC 2328 A.3.2 */
static int
hello_decode(const uint8_t *p, size_t len, struct ospf_hello *h, char *err)
{
	size_t i;

	if (len < OSPF_HELLO_MINLEN - OSPF_HDRLEN)
		return ospf_fail(err, "Hello: length %zu below minimum %d", len + OSPF_HDRLEN,
		    OSPF_HELLO_MINLEN);
	if ((len - 20) % 4 != 0)
		return ospf_fail(err, "Hello: %zu bytes of neighbors is not a multiple of 4",
		    len - 20);
	h->mask = get32(p);
	h->hello_ivl = get16(p + 4);
	h->options = p[6];
	h->prio = p[7];
	h->dead_ivl = get32(p + 8);
	h->dr = get32(p + 12);
	h->bdr = get32(p + 16);
	h->nnbrs = (len - 20) / 4;
	h->nbrs = h->nnbrs ? xcalloc(h->nnbrs, sizeof(*h->nbrs)) : NULL;
	for (i = 0; i < h->nnbrs; i++)
		h->nbrs[i] = get32(p + 20 + 4 * i);
	return 0;
}

/* A run of 20-byte LSA headers, as in DD and LSAck packets. */
static struct ospf_lsa_hdr *
hdrs_decode(const uint8_t *p, size_t n)
{
	struct ospf_lsa_hdr *v;
	size_t i;

	if (n == 0)
		return NULL;
	v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i++)
		(void)ospf_lsa_hdr_decode(p + OSPF_LSA_HDRLEN * i, OSPF_LSA_HDRLEN, &v[i], NULL);
	return v;
}

/* RFC 2328 A.3.3 */
static int
dd_decode(const uint8_t *p, size_t len, struct ospf_dd *d, char *err)
{
	if (len < OSPF_DD_MINLEN - OSPF_HDRLEN)
		return ospf_fail(err, "DD: length %zu below minimum %d", len + OSPF_HDRLEN,
		    OSPF_DD_MINLEN);
	if ((len - 8) % OSPF_LSA_HDRLEN != 0)
		return ospf_fail(err, "DD: %zu bytes of LSA headers is not a multiple of 20", len - 8);
	d->mtu = get16(p);
	d->options = p[2];
	d->flags = p[3];
	d->seq = get32(p + 4);
	d->nlsas = (len - 8) / OSPF_LSA_HDRLEN;
	d->lsas = hdrs_decode(p + 8, d->nlsas);
	return 0;
}

/* RFC 2328 A.3.4 */
static int
lsr_decode(const uint8_t *p, size_t len, struct ospf_lsr *r, char *err)
{
	size_t i;

	if (len % OSPF_LSR_ENTLEN != 0)
		return ospf_fail(err, "LSR: %zu bytes of requests is not a multiple of 12", len);
	r->nreqs = len / OSPF_LSR_ENTLEN;
	r->reqs = r->nreqs ? xcalloc(r->nreqs, sizeof(*r->reqs)) : NULL;
	for (i = 0; i < r->nreqs; i++) {
		r->reqs[i].type = get32(p + 12 * i);
		r->reqs[i].id = get32(p + 12 * i + 4);
		r->reqs[i].adv_rtr = get32(p + 12 * i + 8);
	}
	return 0;
}

/*
 * RFC 2328 A.3.5: a count, then that many whole LSAs. The first pass walks
 * the LSAs by their length fields, so a hostile count costs nothing: the
 * array is only allocated once the count is known to fit.
 */
static int
lsu_decode(const uint8_t *p, size_t len, struct ospf_lsu *u, char *err)
{
	struct rd rd;
	uint32_t n, i;
	uint16_t l;
	size_t off;

	rd_init(&rd, p, len);
	n = rd_u32(&rd);
	if (rd.err)
		return ospf_fail(err, "LSU: length %zu below minimum %d", len + OSPF_HDRLEN,
		    OSPF_LSU_MINLEN);
	for (i = 0; i < n; i++) {
		if (rd_left(&rd) < OSPF_LSA_HDRLEN)
			return ospf_fail(err, "LSU: LSA %u of %u header truncated (%zu bytes left)",
			    i + 1, n, rd_left(&rd));
		l = get16(p + rd.off + 18);
		if (l < OSPF_LSA_HDRLEN)
			return ospf_fail(err, "LSU: LSA %u length %u below header size %d", i + 1, l,
			    OSPF_LSA_HDRLEN);
		if (l > rd_left(&rd))
			return ospf_fail(err, "LSU: LSA %u length %u exceeds packet (%zu bytes left)",
			    i + 1, l, rd_left(&rd));
		(void)rd_take(&rd, l);
	}
	if (rd_left(&rd) != 0)
		return ospf_fail(err, "LSU: %zu bytes after the last of %u LSAs", rd_left(&rd), n);
	u->nlsas = n;
	u->lsas = n ? xcalloc(n, sizeof(*u->lsas)) : NULL;
	for (i = 0, off = 4; i < n; i++) {
		(void)ospf_lsa_decode(p + off, len - off, &u->lsas[i], NULL);
		off += u->lsas[i].len;
	}
	return 0;
}

/* RFC 2328 A.3.6 */
static int
ack_decode(const uint8_t *p, size_t len, struct ospf_lsack *a, char *err)
{
	if (len % OSPF_LSA_HDRLEN != 0)
		return ospf_fail(err, "LSAck: %zu bytes of LSA headers is not a multiple of 20", len);
	a->nlsas = len / OSPF_LSA_HDRLEN;
	a->lsas = hdrs_decode(p, a->nlsas);
	return 0;
}

/* RFC 2328 A.3.1 */
int
ospf_pkt_decode(const uint8_t *p, size_t len, struct ospf_pkt *pkt, char *err)
{
	struct ospf_hdr *h = &pkt->hdr;
	const uint8_t *body;
	size_t blen;

	memset(pkt, 0, sizeof(*pkt));
	if (len < OSPF_HDRLEN)
		return ospf_fail(err, "header truncated (%zu of %d bytes)", len, OSPF_HDRLEN);
	h->version = p[0];
	h->type = p[1];
	h->length = get16(p + 2);
	h->rtr_id = get32(p + 4);
	h->area_id = get32(p + 8);
	h->cksum = get16(p + 12);
	h->autype = get16(p + 14);
	memcpy(h->auth, p + 16, sizeof(h->auth));
	if (h->version != OSPF_VERSION)
		return ospf_fail(err, "version %u (want %d)", h->version, OSPF_VERSION);
	if (h->length < OSPF_HDRLEN)
		return ospf_fail(err, "length %u below header size %d", h->length, OSPF_HDRLEN);
	if (h->length > len)
		return ospf_fail(err, "length %u exceeds data (%zu bytes)", h->length, len);
	body = p + OSPF_HDRLEN;
	blen = h->length - OSPF_HDRLEN;
	/* D.4.3 and RFC 5613: the digest and the LLS block follow the packet. */
	if (len > h->length) {
		pkt->trailer = p + h->length;
		pkt->trailer_len = len - h->length;
	}
	switch (h->type) {
	case OSPF_HELLO:
		return hello_decode(body, blen, &pkt->hello, err);
	case OSPF_DD:
		return dd_decode(body, blen, &pkt->dd, err);
	case OSPF_LSR:
		return lsr_decode(body, blen, &pkt->lsr, err);
	case OSPF_LSU:
		return lsu_decode(body, blen, &pkt->lsu, err);
	case OSPF_LSACK:
		return ack_decode(body, blen, &pkt->ack, err);
	default:
		return ospf_fail(err, "unknown packet type %u", h->type);
	}
}

void
ospf_pkt_free(struct ospf_pkt *pkt)
{
	switch (pkt->hdr.type) {
	case OSPF_HELLO:
		free(pkt->hello.nbrs);
		break;
	case OSPF_DD:
		free(pkt->dd.lsas);
		break;
	case OSPF_LSR:
		free(pkt->lsr.reqs);
		break;
	case OSPF_LSU:
		free(pkt->lsu.lsas);
		break;
	case OSPF_LSACK:
		free(pkt->ack.lsas);
		break;
	default:
		break;
	}
	memset(pkt, 0, sizeof(*pkt));
}

static void
hdrs_encode(const struct ospf_lsa_hdr *v, size_t n, struct strbuf *out)
{
	uint8_t b[OSPF_LSA_HDRLEN];
	size_t i;

	for (i = 0; i < n; i++) {
		ospf_lsa_hdr_encode(&v[i], b);
		sb_addn(out, (const char *)b, sizeof(b));
	}
}

static int
body_encode(const struct ospf_pkt *pkt, struct strbuf *out, char *err)
{
	size_t i;

	switch (pkt->hdr.type) {
	case OSPF_HELLO:
		sb_put32(out, pkt->hello.mask);
		sb_put16(out, pkt->hello.hello_ivl);
		sb_put8(out, pkt->hello.options);
		sb_put8(out, pkt->hello.prio);
		sb_put32(out, pkt->hello.dead_ivl);
		sb_put32(out, pkt->hello.dr);
		sb_put32(out, pkt->hello.bdr);
		for (i = 0; i < pkt->hello.nnbrs; i++)
			sb_put32(out, pkt->hello.nbrs[i]);
		return 0;
	case OSPF_DD:
		sb_put16(out, pkt->dd.mtu);
		sb_put8(out, pkt->dd.options);
		sb_put8(out, pkt->dd.flags);
		sb_put32(out, pkt->dd.seq);
		hdrs_encode(pkt->dd.lsas, pkt->dd.nlsas, out);
		return 0;
	case OSPF_LSR:
		for (i = 0; i < pkt->lsr.nreqs; i++) {
			sb_put32(out, pkt->lsr.reqs[i].type);
			sb_put32(out, pkt->lsr.reqs[i].id);
			sb_put32(out, pkt->lsr.reqs[i].adv_rtr);
		}
		return 0;
	case OSPF_LSU:
		if (pkt->lsu.nlsas > UINT32_MAX)
			return ospf_fail(err, "LSU encode: %zu LSAs", pkt->lsu.nlsas);
		sb_put32(out, (uint32_t)pkt->lsu.nlsas);
		for (i = 0; i < pkt->lsu.nlsas; i++) {
			const struct ospf_lsa *l = &pkt->lsu.lsas[i];

			if (l->len < OSPF_LSA_HDRLEN || l->raw == NULL)
				return ospf_fail(err, "LSU encode: LSA %zu has %zu bytes", i + 1,
				    l->len);
			sb_addn(out, (const char *)l->raw, l->len);
		}
		return 0;
	case OSPF_LSACK:
		hdrs_encode(pkt->ack.lsas, pkt->ack.nlsas, out);
		return 0;
	default:
		return ospf_fail(err, "encode: unknown packet type %u", pkt->hdr.type);
	}
}

int
ospf_pkt_encode(const struct ospf_pkt *pkt, struct strbuf *out, char *err)
{
	const struct ospf_hdr *h = &pkt->hdr;
	size_t start = out->len, len;
	uint8_t *p;

	sb_put8(out, h->version);
	sb_put8(out, h->type);
	sb_put16(out, 0);
	sb_put32(out, h->rtr_id);
	sb_put32(out, h->area_id);
	sb_put16(out, 0);
	sb_put16(out, h->autype);
	sb_addn(out, (const char *)h->auth, sizeof(h->auth));
	if (body_encode(pkt, out, err) < 0)
		goto undo;
	len = out->len - start;
	if (len > OSPF_MAXLEN) {
		ospf_fail(err, "encode: %s length %zu exceeds 65535", ospf_pkt_type_name(h->type), len);
		goto undo;
	}
	p = (uint8_t *)out->s + start;
	put16(p + 2, (uint16_t)len);
	/* D.4.3: no checksum with cryptographic authentication. */
	if (h->autype != OSPF_AUTH_CRYPT)
		put16(p + 12, ospf_pkt_cksum_compute(p, len));
	return 0;
undo:
	out->len = start;
	out->s[start] = '\0';
	return -1;
}
