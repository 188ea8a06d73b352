/*
 * pdu.c: the IS-IS PDU and TLV codec (pdu.h).
 *
 * Parsing reads the fixed header of the PDU type (ISO 10589 9.5-9.13), then
 * walks the TLVs up to the PDU length, decoding each known one into the
 * arrays of struct isis_pdu and keeping the others raw. Encoding writes the
 * same TLVs back from those entries, so a parsed PDU encodes to its own
 * bytes. Every TLV type has one row in tlv_codecs[]: its parser and encoder
 * sit next to each other.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/cksum.h"
#include "../../lib/hash.h"
#include "../../lib/ip.h"
#include "../../lib/log.h"
#include "../../lib/util.h"
#include "pdu.h"

#define TLV_MAX       255 /* a TLV's value is at most 255 octets */
#define MD5_LEN       16
#define IS_REACH_LEN  11 /* ISO 10589 9.9: four metric octets and a 7-octet neighbor ID */
#define IP_NARROW_LEN 12 /* RFC 1195 5.3.2: four metric octets, address, mask */
#define LSP_ENTRY_LEN 16 /* ISO 10589 9.12: lifetime, LSP ID, sequence, checksum */

/* ---- names --------------------------------------------------------------------------- */

static const struct {
	uint8_t type;
	const char *name;
	size_t hlen;
} pdu_types[] = {
	{ISIS_L1_LAN_IIH, "L1 LAN IIH", ISIS_LAN_IIH_HLEN},
	{ISIS_L2_LAN_IIH, "L2 LAN IIH", ISIS_LAN_IIH_HLEN},
	{ISIS_P2P_IIH, "P2P IIH", ISIS_P2P_IIH_HLEN},
	{ISIS_L1_LSP, "L1 LSP", ISIS_LSP_HLEN},
	{ISIS_L2_LSP, "L2 LSP", ISIS_LSP_HLEN},
	{ISIS_L1_CSNP, "L1 CSNP", ISIS_CSNP_HLEN},
	{ISIS_L2_CSNP, "L2 CSNP", ISIS_CSNP_HLEN},
	{ISIS_L1_PSNP, "L1 PSNP", ISIS_PSNP_HLEN},
	{ISIS_L2_PSNP, "L2 PSNP", ISIS_PSNP_HLEN},
};

static int
pdu_type_index(uint8_t type)
{
	for (size_t i = 0; i < ARRAY_LEN(pdu_types); i++)
		if (pdu_types[i].type == type)
			return (int)i;
	return -1;
}

const char *
isis_pdu_type_name(uint8_t type)
{
	int i = pdu_type_index(type);

	return i < 0 ? "unknown PDU" : pdu_types[i].name;
}

static bool
is_lan_iih(uint8_t t)
{
	return t == ISIS_L1_LAN_IIH || t == ISIS_L2_LAN_IIH;
}

static bool
is_lsp(uint8_t t)
{
	return t == ISIS_L1_LSP || t == ISIS_L2_LSP;
}

static bool
is_csnp(uint8_t t)
{
	return t == ISIS_L1_CSNP || t == ISIS_L2_CSNP;
}

/* Names of the TLVs netsim decodes, and of common ones it keeps raw. */
static const struct {
	uint8_t type;
	const char *name;
} tlv_names[] = {
	{ISIS_TLV_AREA, "Area addresses"},
	{ISIS_TLV_IS_REACH, "IS reachability"},
	{ISIS_TLV_LAN_NBR, "IS neighbors"},
	{7, "Instance identifier"},
	{ISIS_TLV_PADDING, "Padding"},
	{ISIS_TLV_LSP_ENTRY, "LSP entries"},
	{ISIS_TLV_AUTH, "Authentication"},
	{13, "Purge originator"},
	{14, "LSP buffer size"},
	{ISIS_TLV_EXT_IS_REACH, "Extended IS reachability"},
	{ISIS_TLV_IP_INT, "IP internal reachability"},
	{ISIS_TLV_PROTOCOLS, "Protocols supported"},
	{ISIS_TLV_IP_EXT, "IP external reachability"},
	{ISIS_TLV_IP_ADDR, "IP interface addresses"},
	{134, "TE router ID"},
	{ISIS_TLV_EXT_IP, "Extended IP reachability"},
	{ISIS_TLV_HOSTNAME, "Hostname"},
	{211, "Restart signaling"},
	{222, "MT IS reachability"},
	{229, "Multi-topology"},
	{232, "IPv6 interface addresses"},
	{235, "MT IP reachability"},
	{236, "IPv6 reachability"},
	{237, "MT IPv6 reachability"},
	{ISIS_TLV_P2P_ADJ, "P2P adjacency state"},
	{242, "Router capability"},
};

const char *
isis_tlv_name(uint8_t type)
{
	for (size_t i = 0; i < ARRAY_LEN(tlv_names); i++)
		if (tlv_names[i].type == type)
			return tlv_names[i].name;
	return "Unknown";
}

/* ---- errors -------------------------------------------------------------------------- */

/* Routers parse on several threads: each has its own message buffer. */
static _Thread_local char errbuf[160];

struct pctx {
	struct isis_pdu *pdu;
	const uint8_t *p; /* the PDU */
	const char **err;
};

static int
fail(const struct pctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
fail(const struct pctx *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(errbuf, sizeof errbuf, "%s: ",
	    c->pdu->type ? isis_pdu_type_name(c->pdu->type) : "IS-IS");
	if (n < 0 || (size_t)n >= sizeof errbuf)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(errbuf + n, sizeof errbuf - (size_t)n, fmt, ap);
	va_end(ap);
	if (c->err)
		*c->err = errbuf;
	return -1;
}

/* ---- entry arrays -------------------------------------------------------------------- */

/* Append a zeroed slot to one of the PDU's entry arrays (int counts, as pdu.h has them). */
static void *
push(void **arr, int *n, int *cap, size_t sz)
{
	size_t c = (size_t)*cap;
	uint8_t *slot;

	grow_array(arr, &c, (size_t)*n + 1, sz);
	*cap = (int)c;
	slot = (uint8_t *)*arr + (size_t)*n * sz;
	memset(slot, 0, sz);
	(*n)++;
	return slot;
}

#define PUSH(pdu, arr, cnt, cap) \
	push((void **)&(pdu)->arr, &(pdu)->cnt, &(pdu)->cap, sizeof(*(pdu)->arr))

/* The count of the entry array a TLV type's entries live in (first index of a new TLV). */
static int
kind_count(const struct isis_pdu *pdu, uint8_t type)
{
	switch (type) {
	case ISIS_TLV_AREA:
		return pdu->nareas;
	case ISIS_TLV_IS_REACH:
	case ISIS_TLV_EXT_IS_REACH:
		return pdu->nis;
	case ISIS_TLV_LAN_NBR:
		return pdu->nlan_nbrs;
	case ISIS_TLV_LSP_ENTRY:
		return pdu->nentries;
	case ISIS_TLV_IP_INT:
	case ISIS_TLV_IP_EXT:
	case ISIS_TLV_EXT_IP:
		return pdu->nip;
	case ISIS_TLV_PROTOCOLS:
		return pdu->nnlpids;
	case ISIS_TLV_IP_ADDR:
		return pdu->naddrs;
	default:
		return 0;
	}
}

static struct isis_tlv *
new_tlv(struct isis_pdu *pdu, uint8_t type)
{
	struct isis_tlv *t = PUSH(pdu, tlv, ntlv, cap_tlv);

	t->type = type;
	t->first = (uint16_t)kind_count(pdu, type);
	return t;
}

/* ---- metrics and prefixes -------------------------------------------------------------- */

static bool
has_sub(const void *sub)
{
	return sub != NULL;
}

size_t
isis_ip_reach_len(enum isis_tlv_type type, const struct isis_ip_reach *r)
{
	if (type != ISIS_TLV_EXT_IP)
		return IP_NARROW_LEN;
	/* RFC 5305 4: metric, control octet, the prefix's significant octets, sub-TLVs. */
	return 5 + (r->plen + 7u) / 8 + (has_sub(r->sub) ? 1u + r->sublen : 0);
}

static size_t
is_reach_len(uint8_t type, const struct isis_is_reach *r)
{
	/* RFC 5305 3: neighbor ID, 3-octet metric, sub-TLV length, sub-TLVs. */
	return type == ISIS_TLV_IS_REACH ? IS_REACH_LEN : 11u + (has_sub(r->sub) ? r->sublen : 0);
}

/* Sub-TLVs are kept raw, but their framing is checked: each fits in the space given. */
static int
check_subtlvs(const struct pctx *c, uint8_t tlv, const uint8_t *s, size_t len)
{
	size_t off = 0;

	while (off < len) {
		if (len - off < 2 || (size_t)s[off + 1] > len - off - 2)
			return fail(c, "TLV %u sub-TLV %u truncated at offset %zu", tlv, s[off],
			    (size_t)(s + off - c->p));
		off += 2u + s[off + 1];
	}
	return 0;
}

/* ---- TLV parsers and encoders ---------------------------------------------------------- */

/*
 * A parser gets the TLV (type, len, raw set) and its value v at PDU offset
 * off; it appends the entries and sets t->n. An encoder writes the value of
 * t into v and returns its length.
 */
typedef int (*tlv_parse_fn)(const struct pctx *, struct isis_tlv *, const uint8_t *v, size_t off);
typedef size_t (*tlv_encode_fn)(const struct isis_pdu *, const struct isis_tlv *, uint8_t *v);

/* ISO 10589 9.9 (TLV 1): length-prefixed area addresses. */
static int
area_parse(const struct pctx *c, struct isis_tlv *t, const uint8_t *v, size_t off)
{
	size_t i = 0;

	while (i < t->len) {
		struct isis_area *a;
		uint8_t alen = v[i];

		if (alen == 0 || alen > ISIS_AREA_MAX)
			return fail(c, "TLV 1 area address length %u at offset %zu", alen, off + i);
		if ((size_t)alen > t->len - i - 1u)
			return fail(c, "TLV 1 area address truncated at offset %zu", off + i);
		a = PUSH(c->pdu, areas, nareas, cap_areas);
		a->len = alen;
		memcpy(a->a, v + i + 1, alen);
		t->n++;
		i += 1u + alen;
	}
	return 0;
}

static size_t
area_encode(const struct isis_pdu *pdu, const struct isis_tlv *t, uint8_t *v)
{
	size_t o = 0;

	for (int i = t->first; i < t->first + t->n; i++) {
		const struct isis_area *a = &pdu->areas[i];

		v[o++] = a->len;
		memcpy(v + o, a->a, a->len);
		o += a->len;
	}
	return o;
}

/* Fixed-size entries: the value must be a whole number of them. */
static int
check_entries(const struct pctx *c, const struct isis_tlv *t, size_t skip, size_t esz,
    size_t off)
{
	if (t->len < skip || (t->len - skip) % esz != 0)
		return fail(c, "TLV %u length %u is not %s%zu-octet entries at offset %zu", t->type,
		    t->len, skip ? "one octet and " : "", esz, off);
	return 0;
}

/* ISO 10589 9.9 (TLV 2): virtual flag, then default/delay/expense/error metrics and the ID. */
static int
is_parse(const struct pctx *c, struct isis_tlv *t, const uint8_t *v, size_t off)
{
	if (check_entries(c, t, 1, IS_REACH_LEN, off) < 0)
		return -1;
	t->virt = v[0];
	for (size_t i = 1; i < t->len; i += IS_REACH_LEN) {
		struct isis_is_reach *r = PUSH(c->pdu, is, nis, cap_is);

		memcpy(r->m, v + i, 4);
		r->metric = r->m[0] & ISIS_NARROW_MAX;
		memcpy(r->id, v + i + 4, 7);
		t->n++;
	}
	return 0;
}

static size_t
is_encode(const struct isis_pdu *pdu, const struct isis_tlv *t, uint8_t *v)
{
	size_t o = 1;

	v[0] = t->virt;
	for (int i = t->first; i < t->first + t->n; i++) {
		const struct isis_is_reach *r = &pdu->is[i];

		/* Bit 8 reserved and the I/E bit as received; bits 1-6 the metric. */
		v[o] = (uint8_t)((r->m[0] & 0xc0) | (r->metric & ISIS_NARROW_MAX));
		memcpy(v + o + 1, r->m + 1, 3);
		memcpy(v + o + 4, r->id, 7);
		o += IS_REACH_LEN;
	}
	return o;
}

/* ISO 10589 9.7 (TLV 6): the SNPAs (MAC addresses) of the neighbors heard on a LAN. */
static int
lan_nbr_parse(const struct pctx *c, struct isis_tlv *t, const uint8_t *v, size_t off)
{
	if (check_entries(c, t, 0, 6, off) < 0)
		return -1;
	for (size_t i = 0; i < t->len; i += 6) {
		uint8_t *m = PUSH(c->pdu, lan_nbrs, nlan_nbrs, cap_lan_nbrs);

		memcpy(m, v + i, 6);
		t->n++;
	}
	return 0;
}

static size_t
lan_nbr_encode(const struct isis_pdu *pdu, const struct isis_tlv *t, uint8_t *v)
{
	if (t->n > 0) /* an empty TLV 6 leaves the array NULL */
		memcpy(v, pdu->lan_nbrs + t->first, (size_t)t->n * 6);
	return (size_t)t->n * 6;
}

/* ISO 10589 9.12 (TLV 9). */
static int
lsp_entry_parse(const struct pctx *c, struct isis_tlv *t, const uint8_t *v, size_t off)
{
	if (check_entries(c, t, 0, LSP_ENTRY_LEN, off) < 0)
		return -1;
	for (size_t i = 0; i < t->len; i += LSP_ENTRY_LEN) {
		struct isis_lsp_entry *e = PUSH(c->pdu, entries, nentries, cap_entries);

		e->lifetime = get16(v + i);
		memcpy(e->id.b, v + i + 2, 8);
		e->seq = get32(v + i + 10);
		e->cksum = get16(v + i + 14);
		t->n++;
	}
	return 0;
}

static size_t
lsp_entry_encode(const struct isis_pdu *pdu, const struct isis_tlv *t, uint8_t *v)
{
	size_t o = 0;

	for (int i = t->first; i < t->first + t->n; i++, o += LSP_ENTRY_LEN) {
		const struct isis_lsp_entry *e = &pdu->entries[i];

		put16(v + o, e->lifetime);
		memcpy(v + o + 2, e->id.b, 8);
		put32(v + o + 10, e->seq);
		put16(v + o + 14, e->cksum);
	}
	return o;
}

/* RFC 5304 2 (TLV 10): the authentication type, then its value; the first TLV 10 counts. */
static int
auth_parse(const struct pctx *c, struct isis_tlv *t, const uint8_t *v, size_t off)
{
	if (t->len < 1)
		return fail(c, "TLV 10 empty at offset %zu", off);
	if (c->pdu->has_auth)
		return 0;
	c->pdu->has_auth = true;
	c->pdu->auth_type = v[0];
	c->pdu->auth_len = (uint8_t)(t->len - 1);
	c->pdu->auth_val = v + 1;
	c->pdu->auth_off = off + 1;
	return 0;
}

static size_t
auth_encode(const struct isis_pdu *pdu, const struct isis_tlv *t UNUSED, uint8_t *v)
{
	/* Built by isis_add_auth: the value is the PDU's (zeros for a digest still to compute). */
	v[0] = pdu->auth_type;
	if (pdu->auth_val)
		memcpy(v + 1, pdu->auth_val, pdu->auth_len);
	else
		memset(v + 1, 0, pdu->auth_len);
	return 1u + pdu->auth_len;
}

/* RFC 5305 3 (TLV 22): neighbor ID, 24-bit metric, sub-TLVs. */
static int
ext_is_parse(const struct pctx *c, struct isis_tlv *t, const uint8_t *v, size_t off)
{
	size_t i = 0;

	while (i < t->len) {
		struct isis_is_reach *r;
		uint8_t sublen;

		if (t->len - i < 11)
			return fail(c, "TLV 22 entry truncated at offset %zu", off + i);
		sublen = v[i + 10];
		if ((size_t)sublen > t->len - i - 11)
			return fail(c, "TLV 22 sub-TLVs (%u octets) truncated at offset %zu",
			    sublen, off + i + 10);
		if (check_subtlvs(c, t->type, v + i + 11, sublen) < 0)
			return -1;
		r = PUSH(c->pdu, is, nis, cap_is);
		memcpy(r->id, v + i, 7);
		r->metric = get24(v + i + 7);
		r->sub = v + i + 11;
		r->sublen = sublen;
		t->n++;
		i += 11u + sublen;
	}
	return 0;
}

static size_t
ext_is_encode(const struct isis_pdu *pdu, const struct isis_tlv *t, uint8_t *v)
{
	size_t o = 0;

	for (int i = t->first; i < t->first + t->n; i++) {
		const struct isis_is_reach *r = &pdu->is[i];
		uint8_t sublen = has_sub(r->sub) ? r->sublen : 0;

		memcpy(v + o, r->id, 7);
		put24(v + o + 7, r->metric);
		v[o + 10] = sublen;
		if (sublen)
			memcpy(v + o + 11, r->sub, sublen);
		o += 11u + sublen;
	}
	return o;
}

/*
 * RFC 1195 5.3.2, 5.3.4 (TLVs 128, 130): metric octets, address, mask; bit 8
 * of the default metric is the up/down bit (RFC 5302 2), bit 7 internal/external.
 */
static int
ip_narrow_parse(const struct pctx *c, struct isis_tlv *t, const uint8_t *v, size_t off)
{
	if (check_entries(c, t, 0, IP_NARROW_LEN, off) < 0)
		return -1;
	for (size_t i = 0; i < t->len; i += IP_NARROW_LEN) {
		struct isis_ip_reach *r;
		int plen = mask_to_len(get32(v + i + 8));

		if (plen < 0)
			return fail(c, "TLV %u mask %08x not contiguous at offset %zu", t->type,
			    (unsigned)get32(v + i + 8), off + i + 8);
		r = PUSH(c->pdu, ip, nip, cap_ip);
		memcpy(r->m, v + i, 4);
		r->metric = r->m[0] & ISIS_NARROW_MAX;
		r->down = (r->m[0] & 0x80) != 0;
		r->prefix = get32(v + i + 4);
		r->plen = (uint8_t)plen;
		t->n++;
	}
	return 0;
}

static size_t
ip_narrow_encode(const struct isis_pdu *pdu, const struct isis_tlv *t, uint8_t *v)
{
	size_t o = 0;

	for (int i = t->first; i < t->first + t->n; i++, o += IP_NARROW_LEN) {
		const struct isis_ip_reach *r = &pdu->ip[i];

		v[o] = (uint8_t)((r->down ? 0x80 : 0) | (r->m[0] & 0x40) |
		    (r->metric & ISIS_NARROW_MAX));
		memcpy(v + o + 1, r->m + 1, 3);
		put32(v + o + 4, r->prefix);
		put32(v + o + 8, ip_mask(r->plen));
	}
	return o;
}

/*
 * RFC 5305 4 (TLV 135): 32-bit metric, control octet (up/down, sub-TLVs
 * present, prefix length), the prefix's significant octets, sub-TLVs. The
 * octets are kept as sent, bits past the prefix length included.
 */
static int
ext_ip_parse(const struct pctx *c, struct isis_tlv *t, const uint8_t *v, size_t off)
{
	size_t i = 0;

	while (i < t->len) {
		struct isis_ip_reach *r;
		uint8_t ctl, plen, sublen = 0;
		size_t np, need;
		uint8_t pfx[4] = {0};

		if (t->len - i < 5)
			return fail(c, "TLV 135 entry truncated at offset %zu", off + i);
		ctl = v[i + 4];
		plen = ctl & 0x3f;
		if (plen > 32)
			return fail(c, "TLV 135 prefix length %u at offset %zu", plen, off + i + 4);
		np = (plen + 7u) / 8;
		need = 5 + np + ((ctl & 0x40) ? 1 : 0);
		if (t->len - i < need)
			return fail(c, "TLV 135 prefix truncated at offset %zu", off + i + 5);
		if (ctl & 0x40) {
			sublen = v[i + 5 + np];
			if ((size_t)sublen > t->len - i - need)
				return fail(c,
				    "TLV 135 sub-TLVs (%u octets) truncated at offset %zu", sublen,
				    off + i + 5 + np);
			if (check_subtlvs(c, t->type, v + i + need, sublen) < 0)
				return -1;
		}
		memcpy(pfx, v + i + 5, np);
		r = PUSH(c->pdu, ip, nip, cap_ip);
		r->metric = get32(v + i);
		r->down = (ctl & 0x80) != 0;
		r->plen = plen;
		r->prefix = get32(pfx);
		if (ctl & 0x40) {
			r->sub = v + i + need;
			r->sublen = sublen;
		}
		t->n++;
		i += need + sublen;
	}
	return 0;
}

static size_t
ext_ip_encode(const struct isis_pdu *pdu, const struct isis_tlv *t, uint8_t *v)
{
	size_t o = 0;

	for (int i = t->first; i < t->first + t->n; i++) {
		const struct isis_ip_reach *r = &pdu->ip[i];
		size_t np = (r->plen + 7u) / 8;
		uint8_t pfx[4];

		put32(v + o, r->metric);
		v[o + 4] = (uint8_t)((r->down ? 0x80 : 0) | (has_sub(r->sub) ? 0x40 : 0) | r->plen);
		put32(pfx, r->prefix);
		memcpy(v + o + 5, pfx, np);
		o += 5 + np;
		if (has_sub(r->sub)) {
			v[o++] = r->sublen;
			memcpy(v + o, r->sub, r->sublen);
			o += r->sublen;
		}
	}
	return o;
}

/* RFC 1195 5.3.3 (TLV 129): one NLPID per octet. */
static int
nlpid_parse(const struct pctx *c, struct isis_tlv *t, const uint8_t *v, size_t off UNUSED)
{
	for (size_t i = 0; i < t->len; i++) {
		uint8_t *n = PUSH(c->pdu, nlpids, nnlpids, cap_nlpids);

		*n = v[i];
		t->n++;
	}
	return 0;
}

static size_t
nlpid_encode(const struct isis_pdu *pdu, const struct isis_tlv *t, uint8_t *v)
{
	if (t->n > 0)
		memcpy(v, pdu->nlpids + t->first, t->n);
	return t->n;
}

/* RFC 1195 5.3.5 (TLV 132). */
static int
addr_parse(const struct pctx *c, struct isis_tlv *t, const uint8_t *v, size_t off)
{
	if (check_entries(c, t, 0, 4, off) < 0)
		return -1;
	for (size_t i = 0; i < t->len; i += 4) {
		uint32_t *a = PUSH(c->pdu, addrs, naddrs, cap_addrs);

		*a = get32(v + i);
		t->n++;
	}
	return 0;
}

static size_t
addr_encode(const struct isis_pdu *pdu, const struct isis_tlv *t, uint8_t *v)
{
	for (int i = 0; i < t->n; i++)
		put32(v + 4 * i, pdu->addrs[t->first + i]);
	return (size_t)t->n * 4;
}

/* RFC 5301 (TLV 137): the name as sent; the last TLV 137 gives pdu->hostname. */
static int
hostname_parse(const struct pctx *c, struct isis_tlv *t, const uint8_t *v,
    size_t off UNUSED)
{
	memcpy(c->pdu->hostname, v, t->len);
	c->pdu->hostname[t->len] = '\0';
	return 0;
}

static size_t
hostname_encode(const struct isis_pdu *pdu, const struct isis_tlv *t UNUSED, uint8_t *v)
{
	memcpy(v, pdu->hostname, strlen(pdu->hostname));
	return strlen(pdu->hostname);
}

/* RFC 5303 3.1 (TLV 240): state, then optionally the circuit IDs and the neighbor. */
static int
p2p_adj_parse(const struct pctx *c, struct isis_tlv *t, const uint8_t *v, size_t off)
{
	struct isis_p2p_adj *a = &c->pdu->p2p_adj;

	if (t->len != 1 && t->len != 5 && t->len != 11 && t->len != 15)
		return fail(c, "TLV 240 length %u (want 1, 5, 11 or 15) at offset %zu", t->len,
		    off);
	if (v[0] > ISIS_P2P_DOWN)
		return fail(c, "TLV 240 adjacency state %u at offset %zu", v[0], off);
	memset(a, 0, sizeof *a);
	a->len = t->len;
	a->state = v[0];
	if (t->len >= 5)
		a->ext_circuit = get32(v + 1);
	if (t->len >= 11)
		memcpy(a->nbr_sysid, v + 5, ISIS_SYSID_LEN);
	if (t->len == 15)
		a->nbr_ext_circuit = get32(v + 11);
	c->pdu->has_p2p_adj = true;
	return 0;
}

static size_t
p2p_adj_encode(const struct isis_pdu *pdu, const struct isis_tlv *t UNUSED, uint8_t *v)
{
	const struct isis_p2p_adj *a = &pdu->p2p_adj;

	v[0] = a->state;
	if (a->len >= 5)
		put32(v + 1, a->ext_circuit);
	if (a->len >= 11)
		memcpy(v + 5, a->nbr_sysid, ISIS_SYSID_LEN);
	if (a->len == 15)
		put32(v + 11, a->nbr_ext_circuit);
	return a->len;
}

/* Padding (ISO 10589 9.5) and TLVs netsim does not decode: the value as received. */
static size_t
raw_encode(const struct isis_pdu *pdu UNUSED, const struct isis_tlv *t, uint8_t *v)
{
	if (t->raw)
		memcpy(v, t->raw, t->len);
	else
		memset(v, 0, t->len);
	return t->len;
}

static const struct tlv_codec {
	uint8_t type;
	tlv_parse_fn parse;
	tlv_encode_fn encode;
} tlv_codecs[] = {
	{ISIS_TLV_AREA, area_parse, area_encode},
	{ISIS_TLV_IS_REACH, is_parse, is_encode},
	{ISIS_TLV_LAN_NBR, lan_nbr_parse, lan_nbr_encode},
	{ISIS_TLV_LSP_ENTRY, lsp_entry_parse, lsp_entry_encode},
	{ISIS_TLV_AUTH, auth_parse, auth_encode},
	{ISIS_TLV_EXT_IS_REACH, ext_is_parse, ext_is_encode},
	{ISIS_TLV_IP_INT, ip_narrow_parse, ip_narrow_encode},
	{ISIS_TLV_PROTOCOLS, nlpid_parse, nlpid_encode},
	{ISIS_TLV_IP_EXT, ip_narrow_parse, ip_narrow_encode},
	{ISIS_TLV_IP_ADDR, addr_parse, addr_encode},
	{ISIS_TLV_EXT_IP, ext_ip_parse, ext_ip_encode},
	{ISIS_TLV_HOSTNAME, hostname_parse, hostname_encode},
	{ISIS_TLV_P2P_ADJ, p2p_adj_parse, p2p_adj_encode},
};

static const struct tlv_codec *
tlv_codec(uint8_t type)
{
	for (size_t i = 0; i < ARRAY_LEN(tlv_codecs); i++)
		if (tlv_codecs[i].type == type)
			return &tlv_codecs[i];
	return NULL;
}

/*
 * A TLV is encoded from its entries. TLVs netsim keeps raw go out as they
 * came, and so do the received TLVs whose value the PDU holds only once
 * (authentication, hostname, adjacency state): the PDU has the first or the
 * last of them, and a received digest is not recomputed without a key.
 * Their adders clear t->raw.
 */
static bool
single_type(uint8_t type)
{
	return type == ISIS_TLV_AUTH || type == ISIS_TLV_HOSTNAME || type == ISIS_TLV_P2P_ADJ;
}

static size_t
tlv_encode(const struct isis_pdu *pdu, const struct isis_tlv *t, uint8_t *v)
{
	const struct tlv_codec *tc = tlv_codec(t->type);

	if (tc == NULL || (t->raw && single_type(t->type)))
		return raw_encode(pdu, t, v);
	return tc->encode(pdu, t, v);
}

/* ---- the fixed header ------------------------------------------------------------------ */

/* Octet offset of the PDU length field (ISO 10589 9.5-9.13). */
static size_t
pdulen_off(uint8_t type)
{
	return (is_lan_iih(type) || type == ISIS_P2P_IIH) ? 17 : 8;
}

/* ISO 10589 9.5-9.13: the common header, then the PDU type's fixed fields. */
static int
header_parse(const struct pctx *c, size_t len, size_t *pdulen)
{
	struct isis_pdu *pdu = c->pdu;
	const uint8_t *p = c->p;
	uint8_t type;
	int ti;

	if (len < 8)
		return fail(c, "truncated header (%zu octets)", len);
	if (p[0] != ISIS_IRPD)
		return fail(c, "protocol discriminator 0x%02x (want 0x83)", p[0]);
	if (p[2] != 1)
		return fail(c, "version/protocol ID extension %u at offset 2", p[2]);
	if (p[3] != 0 && p[3] != ISIS_SYSID_LEN)
		return fail(c, "ID length %u at offset 3 (only 6-octet system IDs)", p[3]);
	type = p[4] & 0x1f;
	if ((ti = pdu_type_index(type)) < 0)
		return fail(c, "PDU type %u at offset 4", type);
	pdu->type = type;
	if (p[5] != 1)
		return fail(c, "version %u at offset 5", p[5]);
	if (p[1] != pdu_types[ti].hlen)
		return fail(c, "length indicator %u at offset 1 (want %zu)", p[1],
		    pdu_types[ti].hlen);
	if (len < pdu_types[ti].hlen)
		return fail(c, "header truncated (%zu of %zu octets)", len, pdu_types[ti].hlen);
	pdu->max_areas = p[7];
	*pdulen = get16(p + pdulen_off(type));
	if (*pdulen < pdu_types[ti].hlen || *pdulen > len)
		return fail(c, "PDU length %zu at offset %zu (header %zu, %zu octets received)",
		    *pdulen, pdulen_off(type), pdu_types[ti].hlen, len);
	pdu->len = *pdulen;
	if (is_lan_iih(type) || type == ISIS_P2P_IIH) {
		pdu->circuit_type = p[8] & 3;
		if (pdu->circuit_type == 0)
			return fail(c, "circuit type 0 at offset 8");
		memcpy(pdu->source, p + 9, ISIS_SYSID_LEN);
		pdu->hold = get16(p + 15);
		if (type == ISIS_P2P_IIH) {
			pdu->local_circuit = p[19];
		} else {
			pdu->priority = p[19] & 0x7f;
			memcpy(pdu->lan_id, p + 20, 7);
		}
	} else if (is_lsp(type)) {
		pdu->lifetime = get16(p + ISIS_LSP_OFF_LIFETIME);
		memcpy(pdu->lspid.b, p + ISIS_LSP_OFF_ID, 8);
		pdu->seq = get32(p + ISIS_LSP_OFF_SEQ);
		pdu->cksum = get16(p + ISIS_LSP_OFF_CKSUM);
		pdu->lsp_flags = p[26];
	} else {
		memcpy(pdu->snp_source, p + 10, 7);
		if (is_csnp(type)) {
			memcpy(pdu->start.b, p + 17, 8);
			memcpy(pdu->end.b, p + 25, 8);
		}
	}
	return 0;
}

static size_t
header_encode(const struct isis_pdu *pdu, uint8_t *p)
{
	int ti = pdu_type_index(pdu->type);
	size_t hlen = pdu_types[ti].hlen;

	memset(p, 0, hlen);
	p[0] = ISIS_IRPD;
	p[1] = (uint8_t)hlen;
	p[2] = 1;
	p[3] = 0; /* ID length 0: the 6-octet system ID */
	p[4] = pdu->type;
	p[5] = 1;
	p[7] = pdu->max_areas;
	put16(p + pdulen_off(pdu->type), (uint16_t)pdu->len);
	if (is_lan_iih(pdu->type) || pdu->type == ISIS_P2P_IIH) {
		p[8] = pdu->circuit_type & 3;
		memcpy(p + 9, pdu->source, ISIS_SYSID_LEN);
		put16(p + 15, pdu->hold);
		if (pdu->type == ISIS_P2P_IIH) {
			p[19] = pdu->local_circuit;
		} else {
			p[19] = pdu->priority & 0x7f;
			memcpy(p + 20, pdu->lan_id, 7);
		}
	} else if (is_lsp(pdu->type)) {
		put16(p + ISIS_LSP_OFF_LIFETIME, pdu->lifetime);
		memcpy(p + ISIS_LSP_OFF_ID, pdu->lspid.b, 8);
		put32(p + ISIS_LSP_OFF_SEQ, pdu->seq);
		/* the checksum is set last, over the finished PDU */
		p[26] = pdu->lsp_flags;
	} else {
		memcpy(p + 10, pdu->snp_source, 7);
		if (is_csnp(pdu->type)) {
			memcpy(p + 17, pdu->start.b, 8);
			memcpy(p + 25, pdu->end.b, 8);
		}
	}
	return hlen;
}

/* ---- parse and encode ------------------------------------------------------------------ */

static int
tlvs_parse(const struct pctx *c, size_t hlen, size_t pdulen)
{
	size_t off = hlen;

	while (off < pdulen) {
		const struct tlv_codec *tc;
		struct isis_tlv *t;
		uint8_t type, tlen;

		if (pdulen - off < 2)
			return fail(c, "TLV header truncated at offset %zu", off);
		type = c->p[off];
		tlen = c->p[off + 1];
		if ((size_t)tlen > pdulen - off - 2)
			return fail(c,
			    "TLV %u truncated at offset %zu (length %u, %zu octets left)", type,
			    off, tlen, pdulen - off - 2);
		t = new_tlv(c->pdu, type);
		t->len = tlen;
		t->raw = c->p + off + 2;
		tc = tlv_codec(type);
		if (tc && tc->parse(c, t, t->raw, off + 2) < 0)
			return -1;
		off += 2u + tlen;
	}
	return 0;
}

int
isis_pdu_parse(struct isis_pdu *pdu, const uint8_t *p, size_t len, const char **err)
{
	struct pctx c = {pdu, p, err};
	size_t pdulen = 0;

	memset(pdu, 0, sizeof *pdu);
	if (header_parse(&c, len, &pdulen) < 0 || tlvs_parse(&c, p[1], pdulen) < 0) {
		isis_pdu_free(pdu);
		return -1;
	}
	return 0;
}

void
isis_pdu_free(struct isis_pdu *pdu)
{
	free(pdu->tlv);
	free(pdu->areas);
	free(pdu->lan_nbrs);
	free(pdu->is);
	free(pdu->ip);
	free(pdu->addrs);
	free(pdu->nlpids);
	free(pdu->entries);
	free(pdu->auth_buf);
	memset(pdu, 0, sizeof *pdu);
}

void
isis_pdu_init(struct isis_pdu *pdu, enum isis_pdu_type type)
{
	int ti = pdu_type_index((uint8_t)type);

	if (ti < 0)
		bug("isis_pdu_init: PDU type %d", (int)type);
	memset(pdu, 0, sizeof *pdu);
	pdu->type = (uint8_t)type;
	pdu->len = pdu_types[ti].hlen;
}

/*
 * RFC 5304 2: HMAC-MD5 over the whole PDU with the digest zeroed, and for an
 * LSP the checksum and the remaining lifetime zeroed too (both change without
 * the originator: the lifetime in flight, the checksum after the digest).
 * p is modified: the caller restores or discards it.
 */
static void
md5_digest(uint8_t *p, size_t len, uint8_t type, size_t auth_off, const uint8_t *key,
    size_t keylen, uint8_t out[MD5_LEN])
{
	const void *parts[1] = {p};
	size_t lens[1] = {len};

	memset(p + auth_off, 0, MD5_LEN);
	if (is_lsp(type)) {
		put16(p + ISIS_LSP_OFF_LIFETIME, 0);
		put16(p + ISIS_LSP_OFF_CKSUM, 0);
	}
	hmac(HASH_MD5, key, keylen, parts, lens, 1, out);
}

static bool
signs_md5(const struct isis_pdu *pdu)
{
	return pdu->has_auth && pdu->auth_type == ISIS_AUTH_MD5 && pdu->auth_len == MD5_LEN;
}

size_t
isis_pdu_encode(struct isis_pdu *pdu, uint8_t *buf, size_t cap, const uint8_t *key,
    size_t keylen)
{
	size_t off;
	bool auth_seen = false;

	if (cap < pdu->len || pdu_type_index(pdu->type) < 0)
		return 0;
	off = header_encode(pdu, buf);
	for (int i = 0; i < pdu->ntlv; i++) {
		const struct isis_tlv *t = &pdu->tlv[i];

		buf[off] = t->type;
		buf[off + 1] = t->len;
		if (tlv_encode(pdu, t, buf + off + 2) != t->len)
			bug("isis_pdu_encode: TLV %u encodes to a length other than %u", t->type,
			    t->len);
		if (t->type == ISIS_TLV_AUTH && !auth_seen) {
			pdu->auth_off = off + 3;
			auth_seen = true;
		}
		off += 2u + t->len;
	}
	if (off != pdu->len)
		bug("isis_pdu_encode: %zu octets encoded, pdu->len %zu", off, pdu->len);
	if (key && signs_md5(pdu)) {
		uint8_t md[MD5_LEN];

		md5_digest(buf, off, pdu->type, pdu->auth_off, key, keylen, md);
		memcpy(buf + pdu->auth_off, md, MD5_LEN);
		if (is_lsp(pdu->type))
			put16(buf + ISIS_LSP_OFF_LIFETIME, pdu->lifetime);
	}
	if (is_lsp(pdu->type)) {
		/* ISO 10589 7.3.11: over the LSP from the LSP ID on; a purge keeps what it has. */
		if (pdu->lifetime != 0)
			pdu->cksum = fletcher_set(buf + ISIS_LSP_OFF_ID, off - ISIS_LSP_OFF_ID,
			    ISIS_LSP_OFF_CKSUM - ISIS_LSP_OFF_ID);
		else
			put16(buf + ISIS_LSP_OFF_CKSUM, pdu->cksum);
	}
	return off;
}

bool
isis_auth_ok(const struct isis_pdu *pdu, const uint8_t *p, size_t len, uint8_t type,
    const uint8_t *key, size_t keylen)
{
	uint8_t md[MD5_LEN], *copy;
	bool ok;

	if (!pdu->has_auth || pdu->auth_type != type || pdu->len > len)
		return false;
	if (type == ISIS_AUTH_TEXT)
		return pdu->auth_len == keylen && memcmp(pdu->auth_val, key, keylen) == 0;
	if (type != ISIS_AUTH_MD5 || !signs_md5(pdu) || pdu->auth_off + MD5_LEN > pdu->len)
		return false;
	copy = xmalloc(pdu->len);
	memcpy(copy, p, pdu->len);
	md5_digest(copy, pdu->len, pdu->type, pdu->auth_off, key, keylen, md);
	ok = memcmp(md, p + pdu->auth_off, MD5_LEN) == 0;
	free(copy);
	return ok;
}

bool
isis_lsp_cksum_ok(const uint8_t *p, size_t len)
{
	size_t pdulen = 0;

	if (len < ISIS_LSP_HLEN)
		return false;
	pdulen = get16(p + 8);
	if (pdulen < ISIS_LSP_HLEN || pdulen > len)
		return false;
	/* ISO 10589 7.3.16.4: a purge (lifetime 0) may carry a checksum of 0. */
	if (get16(p + ISIS_LSP_OFF_LIFETIME) == 0 && get16(p + ISIS_LSP_OFF_CKSUM) == 0)
		return true;
	return fletcher_ok(p + ISIS_LSP_OFF_ID, pdulen - ISIS_LSP_OFF_ID);
}

/* ---- entry adders ---------------------------------------------------------------------- */

size_t
isis_add_cost(const struct isis_pdu *pdu, enum isis_tlv_type type, size_t entry_len)
{
	const struct isis_tlv *last = pdu->ntlv ? &pdu->tlv[pdu->ntlv - 1] : NULL;

	if (last && last->type == type && last->len + entry_len <= TLV_MAX)
		return entry_len;
	/* a new TLV: type and length octets, and TLV 2's virtual flag */
	return entry_len + 2 + (type == ISIS_TLV_IS_REACH ? 1 : 0);
}

/* The TLV an entry of elen octets goes into: the last one if it is of the type and has room. */
static struct isis_tlv *
tlv_for(struct isis_pdu *pdu, uint8_t type, size_t elen)
{
	size_t cost = isis_add_cost(pdu, type, elen);
	struct isis_tlv *t;

	if (elen + (type == ISIS_TLV_IS_REACH ? 1 : 0) > TLV_MAX)
		bug("isis: a TLV %u entry of %zu octets", type, elen);
	if (cost == elen) {
		t = &pdu->tlv[pdu->ntlv - 1];
	} else {
		t = new_tlv(pdu, type);
		t->len = (uint8_t)(cost - elen - 2);
	}
	t->len = (uint8_t)(t->len + elen);
	t->n++;
	pdu->len += cost;
	return t;
}

void
isis_add_area(struct isis_pdu *pdu, const struct isis_area *a)
{
	if (a->len == 0 || a->len > ISIS_AREA_MAX)
		bug("isis_add_area: length %u", a->len);
	tlv_for(pdu, ISIS_TLV_AREA, 1u + a->len);
	*(struct isis_area *)PUSH(pdu, areas, nareas, cap_areas) = *a;
}

void
isis_add_lan_nbr(struct isis_pdu *pdu, const uint8_t mac[6])
{
	tlv_for(pdu, ISIS_TLV_LAN_NBR, 6);
	memcpy(PUSH(pdu, lan_nbrs, nlan_nbrs, cap_lan_nbrs), mac, 6);
}

void
isis_add_is_reach(struct isis_pdu *pdu, enum isis_tlv_type type, const struct isis_is_reach *r)
{
	struct isis_is_reach *e;

	if (type != ISIS_TLV_IS_REACH && type != ISIS_TLV_EXT_IS_REACH)
		bug("isis_add_is_reach: TLV %d", (int)type);
	tlv_for(pdu, type, is_reach_len(type, r));
	e = PUSH(pdu, is, nis, cap_is);
	*e = *r;
	if (type == ISIS_TLV_IS_REACH) {
		e->metric &= ISIS_NARROW_MAX;
		e->sub = NULL;
		e->sublen = 0;
		/* ISO 10589 9.9: delay, expense and error metrics sent as "not supported" */
		if (!e->m[1] && !e->m[2] && !e->m[3])
			e->m[1] = e->m[2] = e->m[3] = 0x80;
	}
}

void
isis_add_ip_reach(struct isis_pdu *pdu, enum isis_tlv_type type, const struct isis_ip_reach *r)
{
	struct isis_ip_reach *e;

	if ((type != ISIS_TLV_IP_INT && type != ISIS_TLV_IP_EXT && type != ISIS_TLV_EXT_IP) ||
	    r->plen > 32)
		bug("isis_add_ip_reach: TLV %d /%u", (int)type, r->plen);
	tlv_for(pdu, type, isis_ip_reach_len(type, r));
	e = PUSH(pdu, ip, nip, cap_ip);
	*e = *r;
	if (type != ISIS_TLV_EXT_IP) {
		e->metric &= ISIS_NARROW_MAX;
		e->sub = NULL;
		e->sublen = 0;
		if (!e->m[1] && !e->m[2] && !e->m[3])
			e->m[1] = e->m[2] = e->m[3] = 0x80;
	}
}

void
isis_add_addr(struct isis_pdu *pdu, uint32_t addr)
{
	tlv_for(pdu, ISIS_TLV_IP_ADDR, 4);
	*(uint32_t *)PUSH(pdu, addrs, naddrs, cap_addrs) = addr;
}

void
isis_add_nlpid(struct isis_pdu *pdu, uint8_t nlpid)
{
	tlv_for(pdu, ISIS_TLV_PROTOCOLS, 1);
	*(uint8_t *)PUSH(pdu, nlpids, nnlpids, cap_nlpids) = nlpid;
}

void
isis_add_lsp_entry(struct isis_pdu *pdu, const struct isis_lsp_entry *e)
{
	tlv_for(pdu, ISIS_TLV_LSP_ENTRY, LSP_ENTRY_LEN);
	*(struct isis_lsp_entry *)PUSH(pdu, entries, nentries, cap_entries) = *e;
}

/* The PDU's one TLV of a type with no entry array (137, 240, 10), created on first use. */
static struct isis_tlv *
single_tlv(struct isis_pdu *pdu, uint8_t type, size_t vlen)
{
	struct isis_tlv *t = NULL;

	for (int i = 0; i < pdu->ntlv; i++)
		if (pdu->tlv[i].type == type)
			t = &pdu->tlv[i];
	if (t == NULL) {
		t = new_tlv(pdu, type);
		pdu->len += 2;
	}
	pdu->len = pdu->len - t->len + vlen;
	t->len = (uint8_t)vlen;
	t->raw = NULL;
	return t;
}

void
isis_add_hostname(struct isis_pdu *pdu, const char *name)
{
	size_t n = strnlen(name, TLV_MAX);

	memcpy(pdu->hostname, name, n);
	pdu->hostname[n] = '\0';
	single_tlv(pdu, ISIS_TLV_HOSTNAME, n);
}

void
isis_add_p2p_adj(struct isis_pdu *pdu, const struct isis_p2p_adj *a)
{
	if (a->len != 1 && a->len != 5 && a->len != 11 && a->len != 15)
		bug("isis_add_p2p_adj: length %u", a->len);
	pdu->p2p_adj = *a;
	pdu->has_p2p_adj = true;
	single_tlv(pdu, ISIS_TLV_P2P_ADJ, a->len);
}

void
isis_add_auth(struct isis_pdu *pdu, uint8_t type, const uint8_t *val, uint8_t len)
{
	if (len > TLV_MAX - 1)
		bug("isis_add_auth: %u octets", len);
	single_tlv(pdu, ISIS_TLV_AUTH, 1u + len);
	pdu->has_auth = true;
	pdu->auth_type = type;
	pdu->auth_len = len;
	free(pdu->auth_buf);
	pdu->auth_buf = NULL;
	pdu->auth_val = NULL;
	if (type != ISIS_AUTH_MD5 && val != NULL) {
		pdu->auth_buf = xmalloc(len ? len : 1);
		memcpy(pdu->auth_buf, val, len);
		pdu->auth_val = pdu->auth_buf;
	}
}

void
isis_add_padding(struct isis_pdu *pdu, size_t n)
{
	while (n >= 2) {
		size_t k = MIN(n, 2u + TLV_MAX);
		struct isis_tlv *t;

		if (n - k == 1) /* leave two octets for the last TLV, never one */
			k--;
		t = new_tlv(pdu, ISIS_TLV_PADDING);
		t->len = (uint8_t)(k - 2);
		pdu->len += k;
		n -= k;
	}
}

/* ---- text forms ------------------------------------------------------------------------ */

char *
isis_sysid_str(const uint8_t *id, char *buf, size_t n)
{
	snprintf(buf, n, "%02x%02x.%02x%02x.%02x%02x", id[0], id[1], id[2], id[3], id[4], id[5]);
	return buf;
}

char *
isis_lspid_str(const struct isis_lspid *l, char *buf, size_t n)
{
	char sys[16];

	snprintf(buf, n, "%s.%02x-%02x", isis_sysid_str(l->b, sys, sizeof sys), l->b[6], l->b[7]);
	return buf;
}

/* The AFI octet, then groups of two octets: "49.0001", "47.0005.80ff.f800". */
char *
isis_area_str(const struct isis_area *a, char *buf, size_t n)
{
	size_t o = 0;

	if (n == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < a->len && i < ISIS_AREA_MAX; i++) {
		int w = snprintf(buf + o, n - o, "%s%02x", (i % 2 == 1) ? "." : "", a->a[i]);

		if (w < 0 || (size_t)w >= n - o)
			break;
		o += (size_t)w;
	}
	return buf;
}

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* One '.'-separated group of hex digits into out (its length in octets); -1 if not hex or odd. */
static int
hex_group(const char *s, size_t len, uint8_t *out)
{
	if (len == 0 || len % 2 != 0)
		return -1;
	for (size_t i = 0; i < len; i += 2) {
		int hi = hexval(s[i]), lo = hexval(s[i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(len / 2);
}

/*
 * ISO 10589 7.1.1, 8.2: a NET is the area address, the 6-octet system ID
 * and an NSEL of 00, written "49.0001.0000.0000.0001.00": area groups of
 * two or four hex digits (1 to 13 octets), three groups of four for the
 * system ID.
 */
int
isis_net_parse(const char *s, struct isis_area *area, uint8_t sysid[ISIS_SYSID_LEN])
{
	const char *g[ISIS_AREA_MAX + 4];
	size_t glen[ISIS_AREA_MAX + 4];
	int ng = 0;
	uint8_t tmp[2];
	struct isis_area a = {0};
	const char *q = s;

	/* Split at dots: every group non-empty. */
	for (;;) {
		const char *dot = strchr(q, '.');
		size_t l = dot ? (size_t)(dot - q) : strlen(q);

		if (l == 0 || ng == (int)ARRAY_LEN(g))
			return -1;
		g[ng] = q;
		glen[ng++] = l;
		if (!dot)
			break;
		q = dot + 1;
	}
	if (ng < 5 || glen[ng - 1] != 2 || hex_group(g[ng - 1], 2, tmp) != 1 || tmp[0] != 0)
		return -1;
	for (int i = 0; i < 3; i++) {
		if (glen[ng - 4 + i] != 4 || hex_group(g[ng - 4 + i], 4, sysid + 2 * i) != 2)
			return -1;
	}
	for (int i = 0; i < ng - 4; i++) {
		if ((glen[i] != 2 && glen[i] != 4) || a.len + glen[i] / 2 > ISIS_AREA_MAX ||
		    hex_group(g[i], glen[i], a.a + a.len) < 0)
			return -1;
		a.len = (uint8_t)(a.len + glen[i] / 2);
	}
	*area = a;
	return 0;
}
