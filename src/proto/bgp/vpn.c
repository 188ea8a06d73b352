/*
 * vpn.c: route distinguishers (RFC 4364 4.2), the extended communities laid
 * out as they are (RFC 4360 3.1, 3.2: route targets and site of origin) and
 * VPN-IPv4 NLRI (RFC 4364 4.3.4 with RFC 8277's label stacks), in text and
 * on the wire. The UPDATE around them is update.c's.
 */
#include <stdio.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/log.h"
#include "../../lib/ip.h"
#include "../../lib/strbuf.h"
#include "../../lib/util.h"
#include "vpn.h"

/* --- Route distinguishers -------------------------------------------------------------- */

/* s[0..n) as a decimal number of at most max: digits only, at least one. */
static bool
dec(const char *s, size_t n, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if ((v = v * 10 + (uint64_t)(s[i] - '0')) > max)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

static bool
rd_err(char *err, size_t errlen, const char *s, const char *what)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "route distinguisher \"%s\": %s", s, what);
	return false;
}

/*
 * FRR's reading (str2prefix_rd): ADMIN:NUMBER, split at the last colon; an
 * ADMIN with a dot is an IPv4 address (type 1), else an AS: type 0 up to
 * 65535, type 2 above. Types 1 and 2 have 2 octets left for the number.
 */
bool
bgp_rd_parse(const char *s, struct bgp_rd *rd, char *err, size_t errlen)
{
	const char *colon = strrchr(s, ':'), *num;
	size_t alen;
	char what[96], ip[16];

	if (*s == '\0')
		return rd_err(err, errlen, s, "empty");
	if (colon == NULL)
		return rd_err(err, errlen, s, "no ':' between the administrator and the number");
	alen = (size_t)(colon - s);
	num = colon + 1;
	if (alen == 0)
		return rd_err(err, errlen, s, "no administrator (AS or IPv4 address) before ':'");
	if (*num == '\0')
		return rd_err(err, errlen, s, "no assigned number after ':'");
	*rd = (struct bgp_rd){0};
	if (memchr(s, '.', alen) != NULL) {
		if (alen >= sizeof ip)
			return rd_err(err, errlen, s, "the administrator is not an IPv4 address");
		memcpy(ip, s, alen);
		ip[alen] = '\0';
		if (!ip_parse(ip, &rd->admin))
			return rd_err(err, errlen, s, "the administrator is not an IPv4 address");
		rd->type = BGP_RD_IP;
		if (!dec(num, strlen(num), 0xffff, &rd->num))
			return rd_err(
			    err, errlen, s,
			    "the number after an IPv4 address must be a decimal of at most 65535");
		return true;
	}
	if (!dec(s, alen, UINT32_MAX, &rd->admin))
		return rd_err(
		    err, errlen, s,
		    "the administrator is neither an IPv4 address nor an AS of at most 4294967295");
	rd->type = rd->admin > 0xffff ? BGP_RD_AS4 : BGP_RD_AS2;
	if (!dec(num, strlen(num), rd->type == BGP_RD_AS4 ? 0xffff : UINT32_MAX, &rd->num)) {
		if (rd->type == BGP_RD_AS4)
			snprintf(
			    what, sizeof what,
			    "the number after a 4-octet AS (%u) must be a decimal of at most 65535",
			    rd->admin);
		else
			snprintf(what, sizeof what,
			         "the number after a 2-octet AS must be a decimal of at most "
			         "4294967295");
		return rd_err(err, errlen, s, what);
	}
	return true;
}

void
bgp_rd_str(const struct bgp_rd *rd, struct strbuf *sb)
{
	switch (rd->type) {
	case BGP_RD_AS2:
	case BGP_RD_AS4:
		sb_printf(sb, "%u:%u", rd->admin, rd->num);
		break;
	case BGP_RD_IP:
		sb_printf(sb, "%s:%u", ip_str(rd->admin), rd->num);
		break;
	default:
		sb_printf(sb, "type%u:0x%08x%04x", rd->type, rd->admin, rd->num);
	}
}

void
bgp_rd_encode(const struct bgp_rd *rd, uint8_t *out)
{
	put16(out, rd->type);
	if (rd->type == BGP_RD_AS2) {
		put16(out + 2, (uint16_t)rd->admin);
		put32(out + 4, rd->num);
	} else {
		put32(out + 2, rd->admin);
		put16(out + 6, (uint16_t)rd->num);
	}
}

void
bgp_rd_decode(const uint8_t *in, struct bgp_rd *rd)
{
	rd->type = get16(in);
	if (rd->type == BGP_RD_AS2) {
		rd->admin = get16(in + 2);
		rd->num = get32(in + 4);
	} else {
		rd->admin = get32(in + 2);
		rd->num = get16(in + 6);
	}
}

int
bgp_rd_cmp(const struct bgp_rd *a, const struct bgp_rd *b)
{
	uint8_t x[BGP_RD_LEN], y[BGP_RD_LEN];

	bgp_rd_encode(a, x);
	bgp_rd_encode(b, y);
	return memcmp(x, y, sizeof x);
}

/* --- Extended communities of an RD's layout (route targets) ----------------------------- */

void
bgp_ecomm_from_rd(const struct bgp_rd *rd, uint8_t subtype, uint8_t *e)
{
	uint8_t w[BGP_RD_LEN];

	bgp_rd_encode(rd, w);
	e[0] = (uint8_t)rd->type; /* 0x00, 0x01, 0x02: the RD's type is the community's */
	e[1] = subtype;
	memcpy(e + 2, w + 2, 6);
}

bool
bgp_ecomm_to_rd(const uint8_t *e, struct bgp_rd *rd)
{
	uint8_t w[BGP_RD_LEN] = {0, e[0]};

	if (e[0] > BGP_RD_AS4)
		return false;
	memcpy(w + 2, e + 2, 6);
	bgp_rd_decode(w, rd);
	return true;
}

bool
bgp_rt_parse(const char *s, uint8_t *e, char *err, size_t errlen)
{
	struct bgp_rd rd;

	if (!bgp_rd_parse(s, &rd, err, errlen))
		return false;
	bgp_ecomm_from_rd(&rd, BGP_ECOMM_RT, e);
	return true;
}

bool
bgp_rt_is(const uint8_t *e)
{
	return e[0] <= BGP_RD_AS4 && e[1] == BGP_ECOMM_RT;
}

bool
bgp_rt_str(const uint8_t *e, struct strbuf *sb)
{
	struct bgp_rd rd;

	if (!bgp_rt_is(e) || !bgp_ecomm_to_rd(e, &rd))
		return false;
	bgp_rd_str(&rd, sb);
	return true;
}

/* --- VPN-IPv4 NLRI (RFC 4364 4.3.4, RFC 8277 2) ------------------------------------------ */

/* A label stack entry as BGP carries it: 20-bit label, TC, S (RFC 8277 2.1). */
#define LABEL_S 0x1u

static int
nlri_err(const char **why, const char *what)
{
	*why = what;
	return -1;
}

int
bgp_vpn_nlri_next(const uint8_t *p, size_t len, size_t *off, bool withdraw, struct bgp_vpn_route *r,
                  const char **why)
{
	size_t o = *off, bytes;
	unsigned bits, plen;
	uint32_t addr = 0;

	if (o >= len)
		return 0;
	bits = p[o];
	bytes = (bits + 7u) / 8u;
	if (len - o - 1 < bytes)
		return nlri_err(why, "VPN-IPv4 NLRI: length runs past the end of the attribute");
	o++;
	memset(r, 0, sizeof(*r));
	/*
	 * Labels up to the one with the bottom-of-stack bit; in a withdrawal
	 * (RFC 8277 2.4) the field is 0x800000, which has no S bit, or the
	 * labels as announced, which are ignored.
	 */
	for (;;) {
		uint32_t l;

		if (bits < 24)
			return nlri_err(
			    why, "VPN-IPv4 NLRI: no bottom-of-stack label within the length");
		l = (uint32_t)p[o] << 16 | (uint32_t)p[o + 1] << 8 | p[o + 2];
		o += 3;
		bits -= 24;
		if (withdraw && l == BGP_LABEL_WITHDRAW)
			break;
		if (!withdraw) {
			if (r->nlabels == BGP_VPN_MAX_LABELS)
				return nlri_err(why,
				                "VPN-IPv4 NLRI: more labels than netsim holds (7)");
			r->labels[r->nlabels++] = l >> 4;
		}
		if (l & LABEL_S)
			break;
	}
	if (bits < 64)
		return nlri_err(
		    why,
		    "VPN-IPv4 NLRI: length too short for a route distinguisher after the labels");
	bgp_rd_decode(p + o, &r->rd);
	o += BGP_RD_LEN;
	plen = bits - 64;
	if (plen > 32)
		return nlri_err(why, "VPN-IPv4 NLRI: prefix length over 32 after labels and RD");
	for (unsigned i = 0; i < (plen + 7u) / 8u; i++)
		addr |= (uint32_t)p[o + i] << (24 - 8 * i);
	/* Trailing bits are irrelevant (RFC 4271 4.3): a route is its masked prefix. */
	r->pfx.addr = plen == 0 ? 0 : addr & (0xffffffffu << (32 - plen));
	r->pfx.len = (uint8_t)plen;
	*off = o + (plen + 7u) / 8u;
	return 1;
}

size_t
bgp_vpn_nlri_put(uint8_t *out, size_t cap, const struct bgp_vpn_route *r, size_t n, bool withdraw,
                 size_t *used)
{
	size_t off = 0, i;

	for (i = 0; i < n; i++) {
		unsigned k = withdraw ? 1 : r[i].nlabels, plen = r[i].pfx.len;
		unsigned bits = 24 * k + 64 + plen;
		size_t b = (plen + 7u) / 8u;

		if (plen > 32 || k == 0 || k > BGP_VPN_MAX_LABELS || bits > 255)
			bug("bgp: VPN-IPv4 route of %u labels, prefix length %u", k, plen);
		if (cap - off < 1 + 3 * k + BGP_RD_LEN + b)
			break;
		out[off++] = (uint8_t)bits;
		for (unsigned j = 0; j < k; j++, off += 3) {
			uint32_t l = withdraw ? BGP_LABEL_WITHDRAW
			                      : (r[i].labels[j] & 0xfffffu) << 4 |
			                            (j + 1 == k ? LABEL_S : 0);

			out[off] = (uint8_t)(l >> 16);
			out[off + 1] = (uint8_t)(l >> 8);
			out[off + 2] = (uint8_t)l;
		}
		bgp_rd_encode(&r[i].rd, out + off);
		off += BGP_RD_LEN;
		for (size_t j = 0; j < b; j++)
			out[off++] = (uint8_t)(r[i].pfx.addr >> (24 - 8 * j));
	}
	*used = i;
	return off;
}

/* MP_REACH_NLRI / MP_UNREACH_NLRI for AFI 1 SAFI 128 (RFC 4760 3, 4; RFC 4364 4.3.2). */
int
bgp_vpn_mp_decode(uint8_t type, const uint8_t *v, size_t len, struct bgp_mp_nlri *mp,
                  const char **why)
{
	bool reach = type == BGP_ATTR_MP_REACH;
	size_t hl = reach ? 5 : 3, nhl = 0, off = 0;
	struct bgp_vpn_route r;
	int rc;

	memset(mp, 0, sizeof(*mp));
	if (len < hl)
		return nlri_err(why,
		                reach ? "MP_REACH_NLRI: shorter than AFI, SAFI and next hop length"
		                      : "MP_UNREACH_NLRI: shorter than AFI and SAFI");
	if (get16(v) != BGP_AFI_IPV4)
		return nlri_err(why, "MP attribute: AFI is not IPv4 (1)");
	if (v[2] != BGP_SAFI_MPLS_VPN)
		return nlri_err(why, "MP attribute: SAFI is not MPLS-labeled VPN (128)");
	if (reach) {
		nhl = v[3];
		if (len < hl + nhl)
			return nlri_err(
			    why, "MP_REACH_NLRI: next hop runs past the end of the attribute");
		if (nhl != BGP_RD_LEN + 4)
			return nlri_err(why, "MP_REACH_NLRI: VPN-IPv4 next hop length is not 12 "
			                     "(RD and IPv4 address)");
		/* v[4..12): the next hop's RD, 0 (RFC 4364 4.3.2), not checked; v[16]: reserved. */
		mp->nexthop = get32(v + 4 + BGP_RD_LEN);
	}
	mp->p = v + hl + nhl;
	mp->len = len - hl - nhl;
	while ((rc = bgp_vpn_nlri_next(mp->p, mp->len, &off, !reach, &r, why)) > 0)
		mp->n++;
	return rc;
}
