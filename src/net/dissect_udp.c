/*
 * dissect_udp.c: UDP (RFC 768).
 *
 * The checksum, when the sender computed one (non-zero), covers the IPv4
 * pseudo-header, the UDP header and the data. The payload goes to the
 * dissector registered for either port.
 */
#include "../lib/buf.h"
#include "../lib/cksum.h"
#include "dissect.h"
#include "dissect_int.h"

#define UDP_HLEN 8

static void
udp(struct dissect *d, const uint8_t *p, size_t len)
{
	uint16_t sport, dport, ulen;

	if (!dissect_need(d, "UDP", len, UDP_HLEN))
		return;
	d->known = true;
	sport = get16(p);
	dport = get16(p + 2);
	ulen = get16(p + 4);
	dissect_add(d, "UDP %u > %u", sport, dport);
	if (ulen < UDP_HLEN) {
		dissect_error(d, "UDP: length %u < %u", ulen, UDP_HLEN);
		return;
	}
	dissect_add(d, " len %u", ulen - UDP_HLEN);
	if (ulen > len) {
		if (!d->partial)
			dissect_error(d, "UDP: length %u exceeds the IP payload (%zu bytes)", ulen,
			    len);
		d->partial = true;
	} else {
		/*
		 * Octets beyond the UDP length are not part of the datagram; RFC
		 * 768 does not forbid them, so they are ignored, not an error.
		 */
		len = ulen;
		d->partial = false;
	}
	if (get16(p + 6) != 0)
		dissect_inet_cksum(d, "UDP", p, len, 6,
		    inet_pseudo(d->ip_src, d->ip_dst, 17, ulen));
	if (len > UDP_HLEN)
		dissect_ports(d, DT_UDP_PORT, sport, dport, p + UDP_HLEN, len - UDP_HLEN);
}

void
dissect_udp_setup(void)
{
	dissect_register(DT_IPPROTO, 17, udp);
}
