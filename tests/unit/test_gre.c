/*
 * test_gre.c: the GRE dissector (src/proto/gre/dissect.c).
 *
 * (a) A real capture (captures/tcpdump/various_gre.pcap: Cisco GRE with a
 *     key, Cisco metadata, keepalives, ICMP, PIM and CDP inside): every
 *     frame decodes without an error, and the frames netsim calls GRE are
 *     exactly those tshark does, each with its key, the keepalives and the
 *     ICMP inside where tshark finds them.
 * (b) Hand-built packets: checksum, key and sequence number decoded; one
 *     changed octet of a checksummed packet is caught; a truncated header
 *     is an error; version 1 and RFC 1701 routing are described, not failed;
 *     the inner IPv4 datagram is decoded recursively, GRE in GRE too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/buf.h"
#include "lib/cksum.h"
#include "lib/util.h"
#include "net/dissect.h"
#include "shared_data.h"

#define LINKTYPE_ETHERNET 1

/* (a) ---------------------------------------------------------------------- */

/* What tshark 4 says of the capture (`tshark -Y gre -T fields -e frame.number -e icmp.type`). */
static const unsigned gre_frames[] = {11, 12, 16, 17, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34,
    41, 42, 46, 47, 49, 63, 64, 65, 67, 70, 71, 73, 87, 88, 92, 93};
/* GRE in CMD in GRE, whose inner GRE is a keepalive (protocol type 0, no payload). */
static const unsigned keepalive_in_gre[] = {11, 16, 41, 46, 64, 70, 87, 92};

struct seen {
	unsigned frame;
	unsigned ngre, errors;
	bool is_gre[128];
	char line[128][512];
};

static void
each(struct dissect *d, void *arg)
{
	struct seen *s = arg;

	if (d->errors)
		s->errors++;
	if (strstr(sb_str(&d->line), "GREv0") != NULL && s->frame < 128) {
		s->is_gre[s->frame] = true;
		s->ngre++;
	}
	if (s->frame < 128)
		snprintf(s->line[s->frame], sizeof(s->line[0]), "%s", sb_str(&d->line));
}

static bool
in(const unsigned *v, size_t n, unsigned x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

static unsigned
count(const char *hay, const char *needle)
{
	unsigned n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static void
test_real_capture(void **state UNUSED)
{
	static struct seen s;
	struct dissect d;
	unsigned n;

	dissect_setup();
	dissect_init(&d);
	n = shared_pcap_decode("captures/tcpdump/various_gre.pcap", &d, &s.frame, each, &s);
	dissect_free(&d);
	assert_int_equal(n, 100);
	assert_int_equal(s.errors, 0);
	assert_int_equal(s.ngre, ARRAY_LEN(gre_frames));
	for (unsigned f = 1; f <= n; f++) {
		const char *l = s.line[f];

		if (!in(gre_frames, ARRAY_LEN(gre_frames), f)) {
			assert_false(s.is_gre[f]);
			continue;
		}
		if (strstr(l, "GREv0 key 0x28") == NULL)
			fail_msg("frame %u: no key 0x28: %s", f, l);
		if (in(keepalive_in_gre, ARRAY_LEN(keepalive_in_gre), f)) {
			assert_int_equal(count(l, "GREv0 key 0x28"), 2);
			if (strstr(l, "CMD SGT 0") == NULL || strstr(l, "keepalive") == NULL)
				fail_msg("frame %u: %s", f, l);
		}
		/* 25..34: pings inside, requests from .54 and replies from .55. */
		if (f >= 25 && f <= 34 &&
		    strstr(l, f % 2 ? "172.17.1.54 > 172.17.1.55  ICMP echo request" :
		                      "172.17.1.55 > 172.17.1.54  ICMP echo reply") == NULL)
			fail_msg("frame %u: the ICMP inside not decoded: %s", f, l);
	}
}

/* (b) ---------------------------------------------------------------------- */

/* An IPv4 header at p for a payload of len octets; returns its length (20). */
static size_t
mk_ip(uint8_t *p, uint8_t proto, uint32_t src, uint32_t dst, size_t len)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	put16(p + 2, (uint16_t)(20 + len));
	p[8] = 64;
	p[9] = proto;
	put32(p + 12, src);
	put32(p + 16, dst);
	put16(p + 10, inet_cksum(p, 20));
	return 20;
}

/*
 * An Ethernet frame: IPv4 1.1.1.1 > 2.2.2.2, GRE with flags (and checksum,
 * key 7, sequence 5 as the flags say), then an inner IPv4 UDP datagram.
 */
static size_t
mk_frame(uint8_t *f, uint16_t flags, uint16_t type)
{
	uint8_t *g = f + 14 + 20, *in;
	size_t glen = 4, innerlen = 20 + 8 + 4;

	memset(f, 0, 14);
	f[0] = 2;
	f[6] = 2;
	put16(f + 12, 0x0800);
	put16(g, flags);
	put16(g + 2, type);
	if (flags & 0x8000) {
		put32(g + glen, 0);
		glen += 4;
	}
	if (flags & 0x2000) {
		put32(g + glen, 7);
		glen += 4;
	}
	if (flags & 0x1000) {
		put32(g + glen, 5);
		glen += 4;
	}
	in = g + glen;
	mk_ip(in, 17, 0x0a000001, 0x0a000002, 12);
	put16(in + 20, 1000);
	put16(in + 22, 2000);
	put16(in + 24, 12);
	put16(in + 26, 0); /* no UDP checksum */
	memcpy(in + 28, "abcd", 4);
	if (flags & 0x8000)
		put16(g + 4, inet_cksum(g, glen + innerlen));
	mk_ip(f + 14, 47, 0x01010101, 0x02020202, glen + innerlen);
	return 14 + 20 + glen + innerlen;
}

static void
decode(struct dissect *d, const uint8_t *f, size_t len)
{
	dissect_reset(d);
	dissect_frame(d, LINKTYPE_ETHERNET, f, len);
}

static void
test_handmade(void **state UNUSED)
{
	uint8_t f[256];
	struct dissect d;
	size_t len;

	dissect_setup();
	dissect_init(&d);
	/* Checksum, key, sequence: all decoded, the checksum verified, the inner UDP too. */
	len = mk_frame(f, 0x8000 | 0x2000 | 0x1000, 0x0800);
	decode(&d, f, len);
	assert_int_equal(d.errors, 0);
	assert_non_null(strstr(sb_str(&d.line),
	    "1.1.1.1 > 2.2.2.2  GREv0 key 0x7 seq 5  10.0.0.1 > 10.0.0.2  UDP 1000 > 2000 len 4"));
	/* Any octet after the flags changed: the checksum says so (the flags choose the layout). */
	for (size_t i = 14 + 20 + 2; i < len; i++) {
		if (i == 14 + 20 + 20 + 10 || i == 14 + 20 + 20 + 11)
			continue; /* the inner IPv4 checksum: caught by IPv4 instead, also an error */
		f[i] ^= 0x01;
		decode(&d, f, len);
		if (d.errors == 0)
			fail_msg("octet %zu changed and no error: %s", i, sb_str(&d.line));
		f[i] ^= 0x01;
	}
	f[14 + 20 + 30] ^= 0x10; /* in the inner payload: only GRE's checksum can tell */
	decode(&d, f, len);
	assert_non_null(strstr(sb_str(&d.err), "GRE: bad checksum"));
	/* No options: the plain header. */
	len = mk_frame(f, 0, 0x0800);
	decode(&d, f, len);
	assert_int_equal(d.errors, 0);
	assert_non_null(strstr(sb_str(&d.line), "GREv0  10.0.0.1 > 10.0.0.2"));
	/* A key announced but cut off: truncated (the IPv4 length says the datagram is whole). */
	len = mk_frame(f, 0, 0x0800);
	put16(f + 14 + 20, 0x2000);
	mk_ip(f + 14, 47, 0x01010101, 0x02020202, 6);
	decode(&d, f, 14 + 20 + 6);
	assert_true(d.errors > 0);
	assert_non_null(strstr(sb_str(&d.err), "GRE: truncated"));
	/* Version 1 (PPTP) and RFC 1701 routing: described, not errors. */
	len = mk_frame(f, 0x0001, 0x880b);
	decode(&d, f, len);
	assert_int_equal(d.errors, 0);
	assert_non_null(strstr(sb_str(&d.line), "GREv1 (not decoded)"));
	len = mk_frame(f, 0x4000, 0x0800);
	decode(&d, f, len);
	assert_non_null(strstr(sb_str(&d.line), "RFC 1701 routing"));
	/* GRE in GRE: the inner GRE decoded too. */
	{
		uint8_t g[256];
		size_t inner = mk_frame(g, 0x2000, 0x0800) - 14, l2;

		memcpy(f, g, 14);
		put16(f + 14 + 20, 0);
		put16(f + 14 + 22, 0x0800);
		memcpy(f + 14 + 24, g + 14, inner);
		mk_ip(f + 14, 47, 0x03030303, 0x04040404, 4 + inner);
		l2 = 14 + 20 + 4 + inner;
		decode(&d, f, l2);
		assert_int_equal(d.errors, 0);
		assert_non_null(strstr(sb_str(&d.line),
		    "3.3.3.3 > 4.4.4.4  GREv0  1.1.1.1 > 2.2.2.2  GREv0 key 0x7  10.0.0.1 > 10.0.0.2"));
	}
	dissect_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_real_capture),
	    cmocka_unit_test(test_handmade),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
