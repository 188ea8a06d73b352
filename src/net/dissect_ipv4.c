/*
 * dissect_ipv4.c: IPv4 (RFC 791).
 *
 * The header checksum is verified (RFC 791 3.1, RFC 1071); options are
 * skipped. Only a datagram's first fragment is handed on, and as partial:
 * the rest of the upper-layer message is in fragments this frame lacks.
 */
#include "../lib/buf.h"
#include "../lib/ip.h"
#include "dissect.h"
#include "dissect_int.h"

#define IP_MINHLEN 20
#define IP_RF      0x8000
#define IP_DF      0x4000
#define IP_MF      0x2000
#define IP_OFFMASK 0x1fff

static void
ipv4_verbose(struct dissect *d, const uint8_t *p, unsigned hl, unsigned tl, uint16_t frag)
{
	dissect_add(d, " (tos 0x%02x, ttl %u, id %u, len %u", p[1], p[8], get16(p + 4), tl);
	if (frag & IP_DF)
		dissect_add(d, ", DF");
	if (frag & IP_RF)
		dissect_add(d, ", reserved flag");
	if (hl > IP_MINHLEN)
		dissect_add(d, ", %u octets of options", hl - IP_MINHLEN);
	dissect_add(d, ")");
}

static void
ipv4(struct dissect *d, const uint8_t *p, size_t len)
{
	unsigned v, hl, tl, proto, off;
	uint16_t frag;
	bool partial;
	const char *name;

	if (!dissect_need(d, "IPv4", len, 1))
		return;
	v = p[0] >> 4;
	hl = (p[0] & 0x0f) * 4u;
	if (v != 4) {
		dissect_add(d, "IPv%u", v);
		dissect_error(d, "IPv4: bad version %u", v);
		return;
	}
	if (!dissect_need(d, "IPv4", len, IP_MINHLEN))
		return;
	d->known = true;
	dissect_add(d, "%s > %s", ip_str(get32(p + 12)), ip_str(get32(p + 16)));
	tl = get16(p + 2);
	frag = get16(p + 6);
	proto = p[9];
	if (d->verbose)
		ipv4_verbose(d, p, hl, tl, frag);
	if (hl < IP_MINHLEN) {
		dissect_error(d, "IPv4: header length %u < %u", hl, IP_MINHLEN);
		return;
	}
	if (!dissect_need(d, "IPv4", len, hl))
		return;
	/* The header is all here, so its checksum can be checked even in a cut frame. */
	partial = d->partial;
	d->partial = false;
	dissect_inet_cksum(d, "IPv4", p, hl, 10, 0);
	d->partial = partial;
	if (tl < hl) {
		dissect_error(d, "IPv4: total length %u < header length %u", tl, hl);
		return;
	}
	if (tl > len) {
		/* The frame is cut: only what was captured goes on, as partial. */
		if (!d->partial)
			dissect_error(d, "IPv4: total length %u exceeds the %zu captured bytes", tl,
			    len);
		d->partial = true;
	} else {
		/* All of the datagram is here; anything after it is link-layer padding. */
		len = tl;
		d->partial = false;
	}
	off = (frag & IP_OFFMASK) * 8u;
	if (off != 0 || (frag & IP_MF))
		dissect_add(d, " frag id %u %u@%u%s", get16(p + 4), tl - hl, off,
		    frag & IP_MF ? "+" : "");
	if (off != 0) {
		dissect_sep(d);
		name = dissect_name(DT_IPPROTO, proto);
		if (name != NULL)
			dissect_add(d, "%s fragment (not decoded)", name);
		else
			dissect_add(d, "IP protocol %u fragment (not decoded)", proto);
		return;
	}
	if (frag & IP_MF)
		d->partial = true;
	d->ip_src = get32(p + 12);
	d->ip_dst = get32(p + 16);
	dissect_next(d, DT_IPPROTO, proto, p + hl, len - hl);
}

void
dissect_ipv4_setup(void)
{
	dissect_register(DT_ETHERTYPE, 0x0800, ipv4);
}
