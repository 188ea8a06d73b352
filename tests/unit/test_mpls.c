/*
 * test_mpls.c: the MPLS label stack codec (src/net/mpls.h, RFC 3032 2.1)
 * and the RFC 4950 object of ICMP errors (icmp_ext_mpls).
 *
 *   (a) label stack entries packed by hand from RFC 3032's field layout,
 *       both ways; every field at its extremes round-trips;
 *   (b) stacks: the bottom-of-stack bit ends a stack, a stack cut short or
 *       deeper than asked is refused, a built stack parses back;
 *   (c) the label ranges a topology or command may use;
 *   (d) a real capture ($NETSIM_SHARED/captures/tcpdump/mpls-traceroute.pcap:
 *       a traceroute through an LSP, on PPP links): every labelled frame's
 *       stack is the one tcpdump printed (label 100704, tc 0, bottom, TTL
 *       1, 2 or 3), and every time exceeded carries the label its LSR
 *       received (100704, then 102672) in its extension (a pre-RFC 4884 message: length 0, extension after 128
 *       octets).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/buf.h"
#include "lib/util.h"
#include "net/icmp.h"
#include "net/mpls.h"
#include "net/pcap.h"
#include "shared_data.h"

/* (a) ---------------------------------------------------------------------------------------- */

static void
test_lse_known(void **state UNUSED)
{
	/* label 100, TC 0, S, TTL 63: 0x00064 << 12 | 0 << 9 | 1 << 8 | 0x3f. */
	struct mpls_lse e = {100, 0, true, 63}, back;
	uint8_t b[4];

	put32(b, mpls_lse_pack(&e));
	assert_memory_equal(b, "\x00\x06\x41\x3f", 4);
	/* label 2^20-1, TC 7, not bottom, TTL 255: all ones but the S bit. */
	e = (struct mpls_lse){LABEL_MAX, 7, false, 255};
	assert_int_equal(mpls_lse_pack(&e), 0xfffffeffu);
	back = mpls_lse_unpack(0x0001a5c1u); /* label 26, TC 2, S, TTL 0xc1 */
	assert_int_equal(back.label, 26);
	assert_int_equal(back.tc, 2);
	assert_true(back.s);
	assert_int_equal(back.ttl, 0xc1);
}

static void
test_lse_roundtrip(void **state UNUSED)
{
	static const uint32_t labels[] = {0, 1, 3, 15, 16, 100, 0x7ffff, 0x80000, LABEL_MAX};

	for (size_t i = 0; i < ARRAY_LEN(labels); i++)
		for (unsigned tc = 0; tc < 8; tc++)
			for (unsigned ttl = 0; ttl < 256; ttl += 51) {
				struct mpls_lse e = {labels[i], (uint8_t)tc, (ttl & 1) != 0,
				    (uint8_t)ttl}, r;

				r = mpls_lse_unpack(mpls_lse_pack(&e));
				assert_int_equal(r.label, e.label);
				assert_int_equal(r.tc, e.tc);
				assert_int_equal(r.s, e.s);
				assert_int_equal(r.ttl, e.ttl);
			}
}

/* (b) ---------------------------------------------------------------------------------------- */

static void
test_stack(void **state UNUSED)
{
	static const uint32_t in[] = {16, 1000, LABEL_MAX};
	struct mpls_lse out[4];
	uint8_t b[16];

	mpls_stack_build(b, in, 3, 5, 64, true);
	assert_int_equal(mpls_stack_parse(b, 12, out, 4), 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(out[i].label, in[i]);
		assert_int_equal(out[i].tc, 5);
		assert_int_equal(out[i].ttl, 64);
		assert_int_equal(out[i].s, i == 2);
	}
	/* Cut short: the bottom entry is missing, or half there. */
	assert_int_equal(mpls_stack_parse(b, 8, out, 4), -1);
	assert_int_equal(mpls_stack_parse(b, 10, out, 4), -1);
	assert_int_equal(mpls_stack_parse(b, 0, out, 4), -1);
	/* Deeper than the caller takes. */
	assert_int_equal(mpls_stack_parse(b, 12, out, 2), -1);
	/* Not the bottom: no S bit anywhere in what is there. */
	mpls_stack_build(b, in, 3, 0, 1, false);
	assert_int_equal(mpls_stack_parse(b, 12, out, 4), -1);
	/* A payload after the bottom is not read as labels. */
	mpls_stack_build(b, in, 1, 0, 1, true);
	memset(b + 4, 0, 8);
	assert_int_equal(mpls_stack_parse(b, 12, out, 4), 1);
}

/* (c) ---------------------------------------------------------------------------------------- */

static void
test_label_ranges(void **state UNUSED)
{
	char err[160];

	for (long long l = 0; l <= MPLS_LABEL_RESERVED_MAX; l++) {
		assert_false(mpls_label_valid(l, true, err, sizeof(err)));
		assert_true(strstr(err, "reserved") != NULL);
		assert_int_equal(mpls_label_valid(l, false, err, sizeof(err)),
		    l == MPLS_LABEL_EXPLICIT_NULL || l == MPLS_LABEL_IMPLICIT_NULL);
	}
	assert_true(mpls_label_valid(16, true, err, sizeof(err)));
	assert_true(mpls_label_valid(1048575, true, err, sizeof(err)));
	assert_false(mpls_label_valid(1048576, false, err, sizeof(err)));
	assert_true(strstr(err, "out of range") != NULL);
	assert_false(mpls_label_valid(-1, false, err, sizeof(err)));
}

#define LINKTYPE_PPP 9
#define PPP_PROTO    2
#define PPP_HLEN     4
#define PPP_IP       0x0021
#define PPP_MPLS     0x0281 /* RFC 3032 5 */

/* (d) ---------------------------------------------------------------------------------------- */

static void
test_capture(void **state UNUSED)
{
	char err[256], *path = shared_path("captures/tcpdump/mpls-traceroute.pcap");
	struct pcap_reader *r = pcap_reader_open(path, err, sizeof(err));
	struct pcap_frame f;
	unsigned labelled = 0, ext = 0;

	if (r == NULL)
		fail_msg("%s: %s", path, err);
	while (pcap_read(r, &f, err, sizeof(err)) == 1) {
		/* PPP in HDLC framing (RFC 1662): ff 03, then the PPP protocol. */
		uint16_t type = get16(f.data + PPP_PROTO);
		const uint8_t *ip = f.data + PPP_HLEN;
		struct mpls_lse s[4];

		assert_int_equal(f.linktype, LINKTYPE_PPP);
		if (type == PPP_MPLS) {
			assert_int_equal(mpls_stack_parse(ip, f.caplen - PPP_HLEN, s, 4), 1);
			assert_int_equal(s[0].label, 100704);
			assert_int_equal(s[0].tc, 0);
			assert_true(s[0].ttl >= 1 && s[0].ttl <= 3);
			assert_int_equal(ip[4] >> 4, 4); /* IPv4 below the bottom */
			labelled++;
		} else if (type == PPP_IP && ip[9] == 1 && ip[20] == 11) {
			uint32_t lse[ICMP_MPLS_MAX];

			assert_int_equal(icmp_ext_mpls(ip + 20, get16(ip + 2) - 20u, lse, ICMP_MPLS_MAX), 1);
			/* tcpdump -v: the first hop got 100704, the second 102672 (TC 0, S, TTL 1). */
			assert_int_equal(lse[0], (ext < 3 ? 100704u : 102672u) << 12 | 1 << 8 | 1);
			ext++;
		}
	}
	pcap_reader_close(r);
	free(path);
	/* tcpdump's listing: 9 labelled probes, 6 of them answered by time exceeded. */
	assert_int_equal(labelled, 9);
	assert_int_equal(ext, 6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lse_known),
		cmocka_unit_test(test_lse_roundtrip),
		cmocka_unit_test(test_stack),
		cmocka_unit_test(test_label_ranges),
		cmocka_unit_test(test_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
