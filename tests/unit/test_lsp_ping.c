/*
 * test_lsp_ping.c: the MPLS echo messages (src/net/lsp_ping_msg.h, RFC 8029 3).
 *
 *   (a) a request built with a Target FEC Stack is the layout RFC 8029 3
 *       and 3.2.1 draw, octet by octet (written out by hand), and parses back;
 *   (b) a reply with an Interface and Label Stack TLV (3.8) round-trips;
 *   (c) what the parser refuses (short, version 2, a TLV running past the
 *       end, a bad LDP prefix sub-TLV) and what it flags (an unknown
 *       mandatory TLV, an unknown FEC sub-TLV), and the return code names;
 *   (d) a real capture ($NETSIM_SHARED/captures/tcpdump/lspping-fec-ldp.pcap,
 *       a Juniper LSP ping) decodes as tcpdump printed it: five requests for
 *       the LDP FEC 12.1.1.1/32 and five replies with return code 3.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/util.h"
#include "net/dissect.h"
#include "net/lsp_ping_msg.h"
#include "net/pcap.h"
#include "shared_data.h"

static void
test_request_layout(void **state UNUSED)
{
	static const uint8_t want[] = {
	    0x00, 0x01, 0x00, 0x00,                         /* version 1, global flags 0 */
	    0x01, 0x02, 0x00, 0x00,                         /* request, reply mode 2, rc 0, rsc 0 */
	    0x00, 0x00, 0xc0, 0x00,                         /* sender's handle */
	    0x00, 0x00, 0x00, 0x07,                         /* sequence number */
	    0x83, 0xaa, 0x7e, 0x85, 0x80, 0x00, 0x00, 0x00, /* timestamp sent */
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* timestamp received */
	    0x00, 0x01, 0x00, 0x0c,                         /* Target FEC Stack, 12 octets */
	    0x00, 0x01, 0x00, 0x05,                         /* LDP IPv4 prefix, 5 octets */
	    0x0a, 0xff, 0x00, 0x06, 0x20, 0x00, 0x00, 0x00, /* 10.255.0.6, /32, padding */
	};
	struct lsp_echo m = {.version = LSPP_VERSION, .type = LSPP_MSG_REQUEST,
	    .mode = LSPP_MODE_UDP, .handle = 0xc000, .seq = 7,
	    .ts_sent = 0x83aa7e8580000000ull, .have_fec = true, .fec = {0x0aff0006, 32}};
	uint8_t b[LSPP_MSG_MAX];
	struct lsp_echo back;

	assert_int_equal(lsp_echo_build(&m, b), sizeof(want));
	assert_memory_equal(b, want, sizeof(want));
	assert_int_equal(lsp_echo_parse(b, sizeof(want), &back), 0);
	assert_int_equal(back.type, LSPP_MSG_REQUEST);
	assert_int_equal(back.mode, LSPP_MODE_UDP);
	assert_int_equal(back.handle, 0xc000);
	assert_int_equal(back.seq, 7);
	assert_true(back.ts_sent == m.ts_sent);
	assert_true(back.have_fec);
	assert_int_equal(back.fec.addr, 0x0aff0006);
	assert_int_equal(back.fec.len, 32);
	assert_false(back.unknown_tlv);
	assert_false(back.have_stack);
}

static void
test_reply_stack(void **state UNUSED)
{
	struct lsp_echo m = {.version = LSPP_VERSION, .type = LSPP_MSG_REPLY, .mode = 2,
	    .rc = 8, .rsc = 1, .handle = 1, .seq = 2, .have_stack = true, .rx_addr = 0x0a000c02,
	    .nlabels = 2, .labels = {20u << 12 | 1, 30u << 12 | 1 << 8 | 1}};
	uint8_t b[LSPP_MSG_MAX];
	struct lsp_echo back;
	size_t n = lsp_echo_build(&m, b);

	/* Header, then type 7 of 12 + 2 * 4 octets: address type 1, address, interface, stack. */
	assert_int_equal(n, LSPP_HDR_LEN + 4 + 20);
	assert_int_equal(b[LSPP_HDR_LEN + 1], LSPP_TLV_ILS);
	assert_int_equal(b[LSPP_HDR_LEN + 3], 20);
	assert_int_equal(b[LSPP_HDR_LEN + 4], LSPP_ADDR_IPV4);
	assert_int_equal(lsp_echo_parse(b, n, &back), 0);
	assert_int_equal(back.rc, 8);
	assert_int_equal(back.rsc, 1);
	assert_true(back.have_stack);
	assert_int_equal(back.rx_addr, 0x0a000c02);
	assert_int_equal(back.nlabels, 2);
	assert_int_equal(back.labels[0], m.labels[0]);
	assert_int_equal(back.labels[1], m.labels[1]);
	assert_false(back.have_fec);
}

static void
test_refused(void **state UNUSED)
{
	struct lsp_echo m = {.version = LSPP_VERSION, .type = LSPP_MSG_REQUEST, .mode = 2,
	    .have_fec = true, .fec = {0x0a000000, 8}};
	uint8_t b[LSPP_MSG_MAX], c[LSPP_MSG_MAX + 8];
	struct lsp_echo back;
	size_t n = lsp_echo_build(&m, b);

	assert_int_equal(lsp_echo_parse(b, LSPP_HDR_LEN - 1, &back), -1);
	memcpy(c, b, n);
	c[1] = 2; /* version 2 */
	assert_int_equal(lsp_echo_parse(c, n, &back), -1);
	assert_int_equal(lsp_echo_parse(b, n - 1, &back), -1); /* the FEC TLV overruns */
	memcpy(c, b, n);
	c[LSPP_HDR_LEN + 7] = 4; /* an LDP IPv4 prefix of 4 octets */
	assert_int_equal(lsp_echo_parse(c, n, &back), -1);
	memcpy(c, b, n);
	c[LSPP_HDR_LEN + 12] = 33; /* prefix length 33 */
	assert_int_equal(lsp_echo_parse(c, n, &back), -1);
	memcpy(c, b, n);
	c[LSPP_HDR_LEN + 5] = 3; /* an RSVP IPv4 LSP: not known here */
	assert_int_equal(lsp_echo_parse(c, n, &back), 0);
	assert_false(back.have_fec);
	assert_true(back.unknown_tlv);
	assert_int_equal(back.fec_subtype, 3);
	/* A mandatory TLV (type 99 < 32768) of 0 octets after the FEC: flagged; an optional one is not. */
	memcpy(c, b, n);
	memcpy(c + n, (const uint8_t[]){0x00, 99, 0x00, 0x00}, 4);
	assert_int_equal(lsp_echo_parse(c, n + 4, &back), 0);
	assert_true(back.unknown_tlv && back.have_fec);
	c[n] = 0x80;
	assert_int_equal(lsp_echo_parse(c, n + 4, &back), 0);
	assert_false(back.unknown_tlv);
	/* Return codes: RFC 8029 3.1's texts and Cisco's letters. */
	assert_string_equal(lsp_rc_text(3), "Replying router is an egress for the FEC at stack-depth");
	assert_string_equal(lsp_rc_text(8), "Label switched at stack-depth");
	assert_int_equal(lsp_rc_char(3), '!');
	assert_int_equal(lsp_rc_char(4), 'F');
	assert_int_equal(lsp_rc_char(8), 'R');
	assert_int_equal(lsp_rc_char(10), 'f');
	assert_int_equal(lsp_rc_char(99), 'X');
}

static void
test_capture(void **state UNUSED)
{
	char err[256], *path = shared_path("captures/tcpdump/lspping-fec-ldp.pcap");
	struct pcap_reader *r = pcap_reader_open(path, err, sizeof(err));
	struct pcap_frame f;
	struct dissect d;
	int req = 0, rep = 0;

	if (r == NULL)
		fail_msg("%s: %s", path, err);
	dissect_setup();
	dissect_init(&d);
	while (pcap_read(r, &f, err, sizeof(err)) == 1) {
		char want[128];
		const char *line;

		dissect_reset(&d);
		dissect_capture(&d, f.linktype, f.data, f.caplen, f.origlen);
		line = sb_str(&d.line);
		assert_int_equal(d.errors, 0);
		if (strstr(line, "MPLS echo request") != NULL) {
			snprintf(want, sizeof(want),
			    "MPLS echo request handle 0x0 seq %d mode 2 FEC LDP 12.1.1.1/32", ++req);
			assert_non_null(strstr(line, want));
		} else if (strstr(line, "MPLS echo reply") != NULL) {
			snprintf(want, sizeof(want), "MPLS echo reply handle 0x0 seq %d mode 2 rc 3 (", ++rep);
			assert_non_null(strstr(line, want));
		}
	}
	dissect_free(&d);
	pcap_reader_close(r);
	free(path);
	assert_int_equal(req, 5);
	assert_int_equal(rep, 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_layout),
		cmocka_unit_test(test_reply_stack),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
