/*
 * dissect.c: GRE for `netsim decode` (RFC 2784, RFC 2890; RFC 1701's
 * routing bits are reported, not decoded).
 *
 * "GREv0 key 0x28 seq 3 cksum ok IPv4" and then the payload, decoded by the
 * ethertype table (the protocol type field is an ethertype, RFC 2784 2.4),
 * so an IPv4 packet inside decodes as any other, GRE inside it included.
 * Cisco's metadata header (0x8909), seen between GRE and IP on Cisco
 * TrustSec links, is decoded here too, and a GRE packet with protocol type
 * 0 and no payload is a Cisco keepalive reply.
 */
#include "../../lib/buf.h"
#include "../../lib/util.h"
#include "../../net/dissect.h"
#include "gre.h"

#define ETHERTYPE_CISCO_MD 0x8909

static void
gre(struct dissect *d, const uint8_t *p, size_t len)
{
	uint16_t flags, type;
	unsigned ver, off = 4;

	if (!dissect_need(d, "GRE", len, 4))
		return;
	d->known = true;
	flags = get16(p);
	type = get16(p + 2);
	ver = flags & GRE_VERSION;
	dissect_add(d, "GREv%u", ver);
	if (ver != 0) {
		/* Version 1 is PPTP's enhanced GRE (RFC 2637): not decoded. */
		dissect_add(d, " (not decoded)");
		return;
	}
	if (!dissect_need(d, "GRE", len, gre_hdr_len(flags)))
		return;
	if (flags & (GRE_C | GRE_R)) {
		if (flags & GRE_C)
			dissect_inet_cksum(d, "GRE", p, len, 4, 0);
		if (d->verbose && (flags & GRE_C))
			dissect_add(d, " cksum 0x%04x", get16(p + 4));
		off += 4;
	}
	if (flags & GRE_K) {
		dissect_add(d, " key 0x%x", get32(p + off));
		off += 4;
	}
	if (flags & GRE_S) {
		dissect_add(d, " seq %u", get32(p + off));
		off += 4;
	}
	if (flags & (GRE_R | GRE_SSR | GRE_RECUR)) {
		dissect_add(d, " RFC 1701 routing (not decoded)");
		return;
	}
	if (type == 0 && len == off) {
		dissect_add(d, " keepalive");
		return;
	}
	dissect_next(d, DT_ETHERTYPE, type, p + off, len - off);
}

/* Cisco MetaData: ethertype, version, length (8-octet units, this header's), options, SGT. */
static void
cisco_md(struct dissect *d, const uint8_t *p, size_t len)
{
	size_t hl;

	if (!dissect_need(d, "CMD", len, 8))
		return;
	hl = (size_t)p[3] * 8;
	dissect_add(d, "CMD SGT %u", get16(p + 6));
	if (hl < 8 || hl > len) {
		dissect_error(d, "CMD: length %zu octets (header 8, %zu captured)", hl, len);
		return;
	}
	if (hl != 8) {
		dissect_add(d, " (%zu octets of options, not decoded)", hl - 8);
		return;
	}
	dissect_next(d, DT_ETHERTYPE, get16(p), p + hl, len - hl);
}

void
gre_dissect_setup(void)
{
	dissect_register(DT_IPPROTO, IPPROTO_GRE, gre);
	dissect_register(DT_ETHERTYPE, ETHERTYPE_CISCO_MD, cisco_md);
}
