/*
 * aspath.c: AS paths in the 4-octet form (RFC 6793), communities and origin
 * as they are counted and printed (RFC 4271 5.1.2, 9.1.2.2; RFC 1997).
 *
 * A path is a run of segments {type, count, count x 4-octet ASN}, read with
 * attr.h's bgp_seg cursor, which stops at a segment that does not fit, so a
 * malformed path (which the codec refuses anyway) is never overread.
 */
#include <stdbool.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/ip.h"
#include "../../lib/strbuf.h"
#include "attr.h"
#include "vpn.h"

unsigned
bgp_aspath_hops(const uint8_t *p, size_t len)
{
	unsigned hops = 0;

	for (struct bgp_seg s = {.p = p, .len = len, .asz = 4}; bgp_seg_next(&s);) {
		if (s.type == BGP_AS_SEQUENCE)
			hops += s.n;
		else if (s.type == BGP_AS_SET)
			hops += s.n > 0;
		/* Confederation segments do not count (RFC 5065 5.3). */
	}
	return hops;
}

uint32_t
bgp_aspath_first(const uint8_t *p, size_t len)
{
	for (struct bgp_seg s = {.p = p, .len = len, .asz = 4}; bgp_seg_next(&s);) {
		if (s.type == BGP_AS_SEQUENCE && s.n > 0)
			return get32(s.as);
		return 0; /* a path that starts with a SET has no neighbor AS */
	}
	return 0;
}

unsigned
bgp_aspath_count(const uint8_t *p, size_t len, uint32_t asn)
{
	unsigned c = 0;

	for (struct bgp_seg s = {.p = p, .len = len, .asz = 4}; bgp_seg_next(&s);) {
		for (unsigned i = 0; i < s.n; i++)
			c += get32(s.as + 4 * i) == asn;
	}
	return c;
}

int
bgp_aspath_prepend(const uint8_t *p, size_t len, uint32_t asn, unsigned n, uint8_t *out,
    size_t cap)
{
	size_t o = 0, rest = len;
	const uint8_t *src = p;
	unsigned first = 0;

	/* RFC 4271 5.1.2: extend a leading SEQUENCE, else start one; 255 ASes at most per segment. */
	if (len >= 2 && p[0] == BGP_AS_SEQUENCE && len >= 2 + (size_t)p[1] * 4) {
		first = p[1];
		src = p + 2;
		rest = len - 2;
	}
	unsigned total = n + first;
	while (total > 0) {
		unsigned seg = total > 255 ? 255 : total;

		if (o + 2 + (size_t)seg * 4 > cap)
			return -1;
		out[o++] = BGP_AS_SEQUENCE;
		out[o++] = (uint8_t)seg;
		for (unsigned i = 0; i < seg; i++, total--) {
			if (total > first) /* still prepending */
				put32(out + o, asn);
			else
				memcpy(out + o, src + 4 * (first - total), 4);
			o += 4;
		}
	}
	if (first > 0) {
		src += (size_t)first * 4;
		rest -= (size_t)first * 4;
	}
	if (o + rest > cap)
		return -1;
	if (rest > 0) /* an empty path may be NULL, which memcpy may not be given */
		memcpy(out + o, src, rest);
	return (int)(o + rest);
}

void
bgp_aspath_str(const uint8_t *p, size_t len, struct strbuf *sb)
{
	bool sep = false;

	for (struct bgp_seg s = {.p = p, .len = len, .asz = 4}; bgp_seg_next(&s);) {
		bool set = s.type == BGP_AS_SET || s.type == BGP_AS_CONFED_SET;
		const char *open = s.type == BGP_AS_SET ? "{" : s.type == BGP_AS_CONFED_SET ? "[" :
		    s.type == BGP_AS_CONFED_SEQUENCE ? "(" : "";

		if (sep)
			sb_addc(sb, ' ');
		sb_add(sb, open);
		for (unsigned i = 0; i < s.n; i++)
			sb_printf(sb, "%s%u", i == 0 ? "" : set ? "," : " ", get32(s.as + 4 * i));
		sb_add(sb, s.type == BGP_AS_SET ? "}" : s.type == BGP_AS_CONFED_SET ? "]" :
		    s.type == BGP_AS_CONFED_SEQUENCE ? ")" : "");
		sep = true;
	}
}

void
bgp_comm_str(uint32_t c, struct strbuf *sb)
{
	switch (c) {
	case BGP_COMM_NO_EXPORT:
		sb_add(sb, "no-export");
		return;
	case BGP_COMM_NO_ADVERTISE:
		sb_add(sb, "no-advertise");
		return;
	case BGP_COMM_NO_EXPORT_SUBCONFED:
		sb_add(sb, "local-AS");
		return;
	}
	sb_printf(sb, "%u:%u", c >> 16, c & 0xffff);
}

/*
 * Extended communities (RFC 4360 3, RFC 5668) as FRR prints the common
 * ones: "RT:65001:100", "SoO:10.0.0.1:7"; others by their octets in hex.
 */
void
bgp_ecomm_str(const uint8_t *e, struct strbuf *sb)
{
	const char *kind = e[1] == BGP_ECOMM_RT ? "RT" : e[1] == BGP_ECOMM_SOO ? "SoO" : NULL;
	struct bgp_rd v;

	/* 2-octet AS, IPv4 address and 4-octet AS specific: an RD's layout and text (vpn.c). */
	if (kind != NULL && bgp_ecomm_to_rd(e, &v)) {
		sb_printf(sb, "%s:", kind);
		bgp_rd_str(&v, sb);
	} else
		sb_printf(sb, "0x%02x%02x:%02x%02x%02x%02x%02x%02x", e[0], e[1], e[2], e[3], e[4],
		          e[5], e[6], e[7]);
}

const char *
bgp_origin_name(uint8_t origin)
{
	return origin == BGP_ORIGIN_IGP ? "IGP" : origin == BGP_ORIGIN_EGP ? "EGP" : "incomplete";
}

char
bgp_origin_code(uint8_t origin)
{
	return origin == BGP_ORIGIN_IGP ? 'i' : origin == BGP_ORIGIN_EGP ? 'e' : '?';
}
