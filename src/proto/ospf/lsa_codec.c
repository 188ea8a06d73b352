/*
 * lsa_codec.c: OSPFv2 LSA header and bodies on the wire (RFC 2328 A.4), the
 * LSA checksum (RFC 2328 12.1.7) and which of two instances is newer (13.1).
 *
 * Body decoders validate the whole layout before allocating anything, so an
 * array is never larger than the bytes that describe it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/cksum.h"
#include "../../lib/util.h"
#include "lsa.h"

/* Write a decode error into err (OSPF_ERRLEN bytes; may be NULL) and return -1. */
int
ospf_fail(char *err, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL) {
		va_start(ap, fmt);
		vsnprintf(err, OSPF_ERRLEN, fmt, ap);
		va_end(ap);
	}
	return -1;
}

const char *
ospf_lsa_type_name(uint8_t type)
{
	static const char *const names[] = {
		[OSPF_LSA_ROUTER] = "Router",
		[OSPF_LSA_NETWORK] = "Network",
		[OSPF_LSA_SUMMARY] = "Summary",
		[OSPF_LSA_ASBR_SUMMARY] = "ASBR-Summary",
		[OSPF_LSA_EXTERNAL] = "AS-External",
		[OSPF_LSA_GROUP] = "Group",
		[OSPF_LSA_NSSA] = "NSSA",
		[8] = "Ext-Attributes",
		[OSPF_LSA_OPAQUE_LINK] = "Opaque-Link",
		[OSPF_LSA_OPAQUE_AREA] = "Opaque-Area",
		[OSPF_LSA_OPAQUE_AS] = "Opaque-AS",
	};

	if (type < ARRAY_LEN(names) && names[type] != NULL)
		return names[type];
	return "Unknown";
}

/* RFC 2328 A.4.1 */
int
ospf_lsa_hdr_decode(const uint8_t *p, size_t len, struct ospf_lsa_hdr *h, char *err)
{
	if (len < OSPF_LSA_HDRLEN)
		return ospf_fail(err, "LSA header truncated (%zu of %d bytes)", len, OSPF_LSA_HDRLEN);
	h->age = get16(p);
	h->options = p[2];
	h->type = p[3];
	h->id = get32(p + 4);
	h->adv_rtr = get32(p + 8);
	h->seq = get32(p + 12);
	h->cksum = get16(p + 16);
	h->length = get16(p + 18);
	return 0;
}

void
ospf_lsa_hdr_encode(const struct ospf_lsa_hdr *h, uint8_t out[OSPF_LSA_HDRLEN])
{
	put16(out, h->age);
	out[2] = h->options;
	out[3] = h->type;
	put32(out + 4, h->id);
	put32(out + 8, h->adv_rtr);
	put32(out + 12, h->seq);
	put16(out + 16, h->cksum);
	put16(out + 18, h->length);
}

int
ospf_lsa_decode(const uint8_t *p, size_t len, struct ospf_lsa *lsa, char *err)
{
	if (ospf_lsa_hdr_decode(p, len, &lsa->hdr, err) < 0)
		return -1;
	if (lsa->hdr.length < OSPF_LSA_HDRLEN)
		return ospf_fail(err, "LSA length %u below header size %d", lsa->hdr.length,
		    OSPF_LSA_HDRLEN);
	if (lsa->hdr.length > len)
		return ospf_fail(err, "LSA length %u exceeds data (%zu bytes)", lsa->hdr.length, len);
	lsa->raw = p;
	lsa->len = lsa->hdr.length;
	return 0;
}

/* RFC 2328 A.4.2: flags, a zero octet, # links, then links of 12 + 4 * #TOS bytes. */
static int
router_decode(const uint8_t *p, size_t len, struct ospf_router_lsa *r, char *err)
{
	struct rd rd;
	uint16_t i, n;
	const uint8_t *l;
	uint8_t ntos;

	rd_init(&rd, p, len);
	r->flags = rd_u8(&rd);
	(void)rd_u8(&rd);
	n = rd_u16(&rd);
	if (rd.err)
		return ospf_fail(err, "Router-LSA: body truncated (%zu of 4 bytes)", len);
	for (i = 0; i < n; i++) {
		if ((l = rd_take(&rd, 12)) == NULL)
			return ospf_fail(err,
			    "Router-LSA: link %u of %u truncated (%zu bytes left, need 12)",
			    i + 1, n, len - rd.off);
		ntos = l[9];
		if (rd_take(&rd, 4u * ntos) == NULL)
			return ospf_fail(err,
			    "Router-LSA: link %u # TOS %u needs %u more bytes (%zu left)", i + 1,
			    ntos, 4u * ntos, len - rd.off);
	}
	if (rd_left(&rd) != 0)
		return ospf_fail(err, "Router-LSA: %zu bytes after the last of %u links", rd_left(&rd),
		    n);
	r->nlinks = n;
	r->links = n ? xcalloc(n, sizeof(*r->links)) : NULL;
	rd_init(&rd, p + 4, len - 4);
	for (i = 0; i < n; i++) {
		struct ospf_rtr_link *k = &r->links[i];

		k->id = rd_u32(&rd);
		k->data = rd_u32(&rd);
		k->type = rd_u8(&rd);
		k->ntos = rd_u8(&rd);
		k->metric = rd_u16(&rd);
		/* TOS metrics: kept for re-encoding only (RFC 2328 A.4.2, C.1). */
		k->tos = k->ntos ? rd_take(&rd, 4u * k->ntos) : NULL;
	}
	return 0;
}

/* RFC 2328 A.4.3: network mask, then the attached routers. */
static int
network_decode(const uint8_t *p, size_t len, struct ospf_network_lsa *n, char *err)
{
	size_t i;

	if (len < 4)
		return ospf_fail(err, "Network-LSA: body truncated (%zu of 4 bytes)", len);
	if ((len - 4) % 4 != 0)
		return ospf_fail(err,
		    "Network-LSA: %zu bytes of attached routers is not a multiple of 4", len - 4);
	n->mask = get32(p);
	n->nrtrs = (len - 4) / 4;
	n->rtrs = n->nrtrs ? xcalloc(n->nrtrs, sizeof(*n->rtrs)) : NULL;
	for (i = 0; i < n->nrtrs; i++)
		n->rtrs[i] = get32(p + 4 + 4 * i);
	return 0;
}

/* RFC 2328 A.4.4: mask, then (TOS, 24-bit metric) entries, TOS 0 first. */
static int
summary_decode(const uint8_t *p, size_t len, struct ospf_summary_lsa *s, char *err)
{
	if (len < 8)
		return ospf_fail(err, "Summary-LSA: body truncated (%zu of 8 bytes)", len);
	if ((len - 8) % 4 != 0)
		return ospf_fail(err, "Summary-LSA: %zu bytes of TOS metrics is not a multiple of 4",
		    len - 8);
	s->mask = get32(p);
	s->metric = get24(p + 5);
	s->tos = len > 8 ? p + 8 : NULL;
	s->tos_len = len - 8;
	return 0;
}

/* RFC 2328 A.4.5: mask, then 12-byte (E|TOS, metric, forwarding address, tag) entries. */
static int
external_decode(const uint8_t *p, size_t len, struct ospf_external_lsa *e, char *err)
{
	if (len < 16)
		return ospf_fail(err, "AS-external-LSA: body truncated (%zu of 16 bytes)", len);
	if ((len - 16) % 12 != 0)
		return ospf_fail(err,
		    "AS-external-LSA: %zu bytes of TOS entries is not a multiple of 12",
		    len - 16);
	e->mask = get32(p);
	e->ebit = (p[4] & 0x80) != 0;
	e->metric = get24(p + 5);
	e->fwd = get32(p + 8);
	e->tag = get32(p + 12);
	e->tos = len > 16 ? p + 16 : NULL;
	e->tos_len = len - 16;
	return 0;
}

int
ospf_lsa_body_decode(const struct ospf_lsa *lsa, struct ospf_lsa_body *b, char *err)
{
	const uint8_t *p = lsa->raw + OSPF_LSA_HDRLEN;
	size_t len;

	memset(b, 0, sizeof(*b));
	if (lsa->len < OSPF_LSA_HDRLEN)
		return ospf_fail(err, "LSA length %zu below header size %d", lsa->len, OSPF_LSA_HDRLEN);
	len = lsa->len - OSPF_LSA_HDRLEN;
	b->type = lsa->hdr.type;
	switch (lsa->hdr.type) {
	case OSPF_LSA_ROUTER:
		return router_decode(p, len, &b->rtr, err);
	case OSPF_LSA_NETWORK:
		return network_decode(p, len, &b->net, err);
	case OSPF_LSA_SUMMARY:
	case OSPF_LSA_ASBR_SUMMARY:
		return summary_decode(p, len, &b->sum, err);
	case OSPF_LSA_EXTERNAL:
	case OSPF_LSA_NSSA:
		return external_decode(p, len, &b->ext, err);
	default:
		/* Opaque (RFC 5250) and anything unknown: the body is the bytes. */
		b->raw.p = p;
		b->raw.len = len;
		return 0;
	}
}

void
ospf_lsa_body_free(struct ospf_lsa_body *b)
{
	switch (b->type) {
	case OSPF_LSA_ROUTER:
		free(b->rtr.links);
		b->rtr.links = NULL;
		b->rtr.nlinks = 0;
		break;
	case OSPF_LSA_NETWORK:
		free(b->net.rtrs);
		b->net.rtrs = NULL;
		b->net.nrtrs = 0;
		break;
	default:
		break;
	}
}

static void
body_encode(const struct ospf_lsa_body *b, struct strbuf *out)
{
	size_t i;

	switch (b->type) {
	case OSPF_LSA_ROUTER:
		sb_put8(out, b->rtr.flags);
		sb_put8(out, 0);
		sb_put16(out, b->rtr.nlinks);
		for (i = 0; i < b->rtr.nlinks; i++) {
			const struct ospf_rtr_link *k = &b->rtr.links[i];
			uint8_t ntos = k->tos != NULL ? k->ntos : 0;

			sb_put32(out, k->id);
			sb_put32(out, k->data);
			sb_put8(out, k->type);
			sb_put8(out, ntos);
			sb_put16(out, k->metric);
			if (ntos)
				sb_addn(out, (const char *)k->tos, 4u * ntos);
		}
		break;
	case OSPF_LSA_NETWORK:
		sb_put32(out, b->net.mask);
		for (i = 0; i < b->net.nrtrs; i++)
			sb_put32(out, b->net.rtrs[i]);
		break;
	case OSPF_LSA_SUMMARY:
	case OSPF_LSA_ASBR_SUMMARY:
		sb_put32(out, b->sum.mask);
		sb_put8(out, 0);
		sb_put24(out, b->sum.metric);
		if (b->sum.tos_len)
			sb_addn(out, (const char *)b->sum.tos, b->sum.tos_len);
		break;
	case OSPF_LSA_EXTERNAL:
	case OSPF_LSA_NSSA:
		sb_put32(out, b->ext.mask);
		sb_put8(out, b->ext.ebit ? 0x80 : 0);
		sb_put24(out, b->ext.metric);
		sb_put32(out, b->ext.fwd);
		sb_put32(out, b->ext.tag);
		if (b->ext.tos_len)
			sb_addn(out, (const char *)b->ext.tos, b->ext.tos_len);
		break;
	default:
		if (b->raw.len)
			sb_addn(out, (const char *)b->raw.p, b->raw.len);
		break;
	}
}

int
ospf_lsa_encode(const struct ospf_lsa_hdr *h, const struct ospf_lsa_body *b, struct strbuf *out,
    char *err)
{
	uint8_t hdr[OSPF_LSA_HDRLEN];
	size_t start = out->len, len;

	if (b->type != h->type)
		return ospf_fail(err, "LSA encode: body type %u differs from header type %u", b->type,
		    h->type);
	if ((b->type == OSPF_LSA_SUMMARY || b->type == OSPF_LSA_ASBR_SUMMARY) &&
	    b->sum.metric > 0xffffff)
		return ospf_fail(err, "LSA encode: Summary-LSA metric %u exceeds 24 bits",
		    b->sum.metric);
	if ((b->type == OSPF_LSA_EXTERNAL || b->type == OSPF_LSA_NSSA) &&
	    b->ext.metric > 0xffffff)
		return ospf_fail(err, "LSA encode: AS-external-LSA metric %u exceeds 24 bits",
		    b->ext.metric);
	ospf_lsa_hdr_encode(h, hdr);
	sb_addn(out, (const char *)hdr, sizeof(hdr));
	body_encode(b, out);
	len = out->len - start;
	if (len > OSPF_LSA_MAXLEN) {
		out->len = start;
		out->s[start] = '\0';
		return ospf_fail(err, "LSA encode: length %zu exceeds 65535", len);
	}
	put16((uint8_t *)out->s + start + 18, (uint16_t)len);
	ospf_lsa_cksum_set((uint8_t *)out->s + start, len);
	return 0;
}

/*
 * RFC 2328 12.1.7: the Fletcher checksum of the LSA without its LS age (so
 * that aging in the database never invalidates it); in those age-stripped
 * bytes the checksum field sits at offset 14.
 */
bool
ospf_lsa_cksum_ok(const uint8_t *lsa, size_t len)
{
	if (len < OSPF_LSA_HDRLEN)
		return false;
	return fletcher_ok(lsa + 2, len - 2);
}

uint16_t
ospf_lsa_cksum_compute(const uint8_t *lsa, size_t len)
{
	uint8_t *copy;
	uint16_t c;

	if (len < OSPF_LSA_HDRLEN)
		return 0;
	copy = xmalloc(len);
	memcpy(copy, lsa, len);
	c = fletcher_set(copy + 2, len - 2, 14);
	free(copy);
	return c;
}

uint16_t
ospf_lsa_cksum_set(uint8_t *lsa, size_t len)
{
	if (len < OSPF_LSA_HDRLEN)
		return 0;
	return fletcher_set(lsa + 2, len - 2, 14);
}

/*
 * RFC 2328 13.1. Sequence numbers compare as signed 32-bit numbers (12.1.6);
 * equal ones fall back to the checksum (larger is newer), then to MaxAge,
 * then to an age difference of more than MaxAgeDiff (younger is newer).
 * Ages are compared without the DoNotAge bit (RFC 1793 2.2), and an age above
 * MaxAge counts as MaxAge so that a corrupt age never looks young.
 */
int
ospf_lsa_key_cmp(const struct ospf_lsa_hdr *a, const struct ospf_lsa_hdr *b)
{
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return a->adv_rtr < b->adv_rtr ? -1 : a->adv_rtr > b->adv_rtr;
}

int
ospf_lsa_cmp_newer(const struct ospf_lsa_hdr *a, const struct ospf_lsa_hdr *b)
{
	int32_t sa = (int32_t)a->seq, sb = (int32_t)b->seq;
	int aa = MIN(a->age & ~OSPF_DO_NOT_AGE, OSPF_MAX_AGE);
	int ab = MIN(b->age & ~OSPF_DO_NOT_AGE, OSPF_MAX_AGE);

	if (sa != sb)
		return sa > sb ? 1 : -1;
	if (a->cksum != b->cksum)
		return a->cksum > b->cksum ? 1 : -1;
	if ((aa == OSPF_MAX_AGE) != (ab == OSPF_MAX_AGE))
		return aa == OSPF_MAX_AGE ? 1 : -1;
	if (abs(aa - ab) > OSPF_MAX_AGE_DIFF)
		return aa < ab ? 1 : -1;
	return 0;
}
