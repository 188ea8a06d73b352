/*
 * dissect_tcp.c: TCP (RFC 9293).
 *
 * The checksum covers the IPv4 pseudo-header and the whole segment (RFC 9293
 * 3.1), so it is verified only when the segment was captured whole. In
 * verbose mode the options are listed as tcpdump does ("mss 1460", "md5",
 * "nop", "wscale 7"...). The payload goes to the dissector registered for either port;
 * a message that spans segments is the port dissector's business.
 */
#include "../lib/buf.h"
#include "../lib/cksum.h"
#include "../lib/util.h"
#include "dissect.h"
#include "dissect_int.h"

#define TCP_HLEN 20

/* tcpdump's letters and order, so that the lines read the same. */
static const struct {
	uint8_t bit;
	char c;
} flags[] = {
	{0x01, 'F'}, {0x02, 'S'}, {0x04, 'R'}, {0x08, 'P'}, {0x10, '.'}, {0x20, 'U'},
	{0x40, 'E'}, {0x80, 'W'},
};

/* The options of a header of hl bytes: [mss 1460,nop,nop,md5]. */
static void
options(struct dissect *d, const uint8_t *p, size_t hl)
{
	const char *sep = " [";

	for (size_t i = TCP_HLEN; i < hl;) {
		uint8_t kind = p[i], ol;

		if (kind == 0) {
			dissect_add(d, "%seol", sep);
			sep = ",";
			break;
		}
		if (kind == 1) {
			dissect_add(d, "%snop", sep);
			sep = ",";
			i++;
			continue;
		}
		if (i + 1 >= hl || (ol = p[i + 1]) < 2 || i + ol > hl) {
			dissect_error(d, "TCP: option %u overruns the header", kind);
			return;
		}
		if (kind == 2 && ol == 4)
			dissect_add(d, "%smss %u", sep, get16(p + i + 2));
		else if (kind == 3 && ol == 3)
			dissect_add(d, "%swscale %u", sep, p[i + 2]);
		else if (kind == 4 && ol == 2)
			dissect_add(d, "%ssackOK", sep);
		else if (kind == 19 && ol == 18)
			dissect_add(d, "%smd5", sep);
		else
			dissect_add(d, "%sopt-%u", sep, kind);
		sep = ",";
		i += ol;
	}
	if (*sep == ',')
		dissect_add(d, "]");
}

static void
tcp(struct dissect *d, const uint8_t *p, size_t len)
{
	uint16_t sport, dport;
	size_t hl, i;
	uint8_t f;

	if (!dissect_need(d, "TCP", len, TCP_HLEN))
		return;
	d->known = true;
	sport = get16(p);
	dport = get16(p + 2);
	hl = (p[12] >> 4) * 4u;
	f = p[13];
	dissect_add(d, "TCP %u > %u [", sport, dport);
	for (i = 0; i < ARRAY_LEN(flags); i++)
		if (f & flags[i].bit)
			dissect_add(d, "%c", flags[i].c);
	dissect_add(d, "%s]", f == 0 ? "none" : "");
	if (hl < TCP_HLEN) {
		dissect_error(d, "TCP: header length %zu < %u", hl, TCP_HLEN);
		return;
	}
	if (!dissect_need(d, "TCP", len, hl))
		return;
	if (d->verbose) {
		dissect_add(d, " seq %u ack %u win %u", get32(p + 4), get32(p + 8), get16(p + 14));
		options(d, p, hl);
	}
	dissect_add(d, " len %zu", len - hl);
	/* len is at most an IPv4 payload, so it fits the pseudo-header's 16 bits. */
	dissect_inet_cksum(d, "TCP", p, len, 16,
	    inet_pseudo(d->ip_src, d->ip_dst, 6, (uint16_t)len));
	if (len > hl)
		dissect_ports(d, DT_TCP_PORT, sport, dport, p + hl, len - hl);
}

void
dissect_tcp_setup(void)
{
	dissect_register(DT_IPPROTO, 6, tcp);
}
