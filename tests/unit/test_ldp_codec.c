/*
 * test_ldp_codec.c: the LDP message codec (src/proto/ldp/msg.c) and its
 * dissector, against the real captures of the shared data ($NETSIM_SHARED,
 * else ../shared, else /work/shared; missing data fails the suite).
 *
 * (a) every LDP PDU of holo_ldp.pcap, ldp-common-session.pcap and
 *     mpls-ldp-hello.pcap decodes (but holo frame 9, broken on purpose:
 *     a typed wildcard FEC element, which RFC 5036 does not define) and
 *     re-encodes byte for byte; the PDU and message counts are those
 *     Wireshark finds; (b) PDUs built from fields alone encode to the bytes
 *     real speakers sent; (c) every truncation of every good PDU, and PDU
 *     headers that lie about the length, give errors and never read past
 *     the buffer (exact-size heap copies, for the sanitizer build), nor do
 *     octets set to other values; (d) the
 *     error names the field, its offset and the RFC 5036 status; (e) the
 *     dissector's lines.
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
#include "lib/strbuf.h"
#include "lib/util.h"
#include "net/dissect.h"
#include "net/pcap.h"
#include "proto/ldp/dissect.h"
#include "proto/ldp/msg.h"
#include "shared_data.h"

#define MAX_MSGS 64

/* The LDP payloads of the frames of one capture, caught on their way to the dissector. */
struct payload {
	unsigned frame;
	bool stream;
	size_t len;
	uint8_t *p;
};
static struct payload payloads[64];
static unsigned npayloads, cur_frame;
static bool catching;

static void
catch(const uint8_t *p, size_t len, bool stream)
{
	struct payload *pl;

	if (!catching)
		return;
	if (npayloads == ARRAY_LEN(payloads))
		fail_msg("too many LDP payloads");
	pl = &payloads[npayloads++];
	pl->frame = cur_frame;
	pl->stream = stream;
	pl->len = len;
	pl->p = xmalloc(len ? len : 1);
	memcpy(pl->p, p, len);
}

static void
catch_udp(struct dissect *d, const uint8_t *p, size_t len)
{
	catch(p, len, false);
	ldp_dissect_pdus(d, p, len, false);
}

static void
catch_tcp(struct dissect *d, const uint8_t *p, size_t len)
{
	catch(p, len, true);
	ldp_dissect_pdus(d, p, len, true);
}

static void
free_payloads(void)
{
	for (unsigned i = 0; i < npayloads; i++)
		free(payloads[i].p);
	npayloads = 0;
}

/*
 * Decode a PDU from an exact-size heap copy (so that ASan sees any overread);
 * the messages point into *copy, which the caller frees.
 */
static int
decode_copy(const uint8_t *p, size_t len, struct ldp_pdu *h, struct ldp_msg *msgs,
    struct ldp_err *err, uint8_t **copy)
{
	*copy = xmalloc(len ? len : 1);
	memcpy(*copy, p, len);
	return ldp_pdu_decode(*copy, len, h, msgs, MAX_MSGS, err);
}

/* The offsets at which a PDU's messages end (message boundaries), for the truncation test. */
static bool
is_boundary(const struct ldp_msg *msgs, int n, size_t k)
{
	size_t off = LDP_PDU_HDR_LEN;

	for (int i = 0; i < n; i++) {
		if (off == k)
			return true;
		off += 4 + msgs[i].len;
	}
	return off == k;
}

/*
 * Every cut of a good PDU: as it is, the header says more is to come; with
 * the PDU length patched to the cut, it is an error unless the cut falls
 * between messages.
 */
static void
check_truncations(const uint8_t *p, size_t len, const struct ldp_msg *msgs, int n)
{
	struct ldp_msg *m2 = xmalloc(sizeof(*m2) * MAX_MSGS);
	struct ldp_pdu h;
	struct ldp_err err;

	for (size_t k = 0; k < len; k++) {
		uint8_t *cut = xmalloc(k ? k : 1);
		int rc;

		memcpy(cut, p, k);
		assert_int_equal(ldp_pdu_header(cut, k, &h, &err), 0);
		assert_int_equal(ldp_pdu_decode(cut, k, &h, m2, MAX_MSGS, &err), -1);
		if (k >= LDP_PDU_HDR_LEN) {
			put16(cut + 2, (uint16_t)(k - 4));
			rc = ldp_pdu_decode(cut, k, &h, m2, MAX_MSGS, &err);
			if (is_boundary(msgs, n, k)) {
				assert_true(rc >= 0 && rc < n);
			} else {
				assert_int_equal(rc, -1);
				assert_non_null(err.field);
				assert_true(err.off < k);
			}
		}
		free(cut);
	}
	free(m2);
}

/*
 * Every octet of a good PDU set to 0, 0xff and its top bit flipped: decoding
 * never reads past the copy, and what decodes encodes again to its length.
 */
static void
check_mutations(const uint8_t *p, size_t len)
{
	struct ldp_msg *m = xmalloc(sizeof(*m) * MAX_MSGS);
	uint8_t *b = xmalloc(len), out[8192];

	for (size_t i = 0; i < len; i++) {
		uint8_t v[3] = {0, 0xff, (uint8_t)(p[i] ^ 0x80)};

		for (size_t k = 0; k < ARRAY_LEN(v); k++) {
			struct ldp_pdu h;
			struct ldp_err err = {0};
			int n;

			memcpy(b, p, len);
			b[i] = v[k];
			n = ldp_pdu_decode(b, len, &h, m, MAX_MSGS, &err);
			if (n < 0) {
				assert_non_null(err.field);
				assert_true(err.off < len);
			} else {
				assert_int_equal(ldp_pdu_encode(out, sizeof out, &h, m, (unsigned)n),
				    4 + (size_t)h.len);
			}
		}
	}
	free(b);
	free(m);
}

struct tally {
	unsigned pdus, msgs, errors;
};

/*
 * Decode, re-encode and truncate every PDU of the payloads caught. A
 * segment's PDUs follow one another; each must be whole in these captures.
 */
static void
check_payloads(struct tally *t, unsigned bad_frame, struct ldp_err *bad_err)
{
	struct ldp_msg *msgs = xmalloc(sizeof(*msgs) * MAX_MSGS);
	uint8_t out[8192];

	for (unsigned i = 0; i < npayloads; i++) {
		const struct payload *pl = &payloads[i];
		size_t off = 0;

		while (off < pl->len) {
			struct ldp_pdu h;
			struct ldp_err err = {0};
			int whole = ldp_pdu_header(pl->p + off, pl->len - off, &h, &err);
			uint8_t *copy;
			int n;
			size_t k;

			if (whole <= 0)
				fail_msg("frame %u: no whole PDU at %zu", pl->frame, off);
			n = decode_copy(pl->p + off, (size_t)whole, &h, msgs, &err, &copy);
			t->pdus++;
			if (n < 0) {
				free(copy);
				if (pl->frame != bad_frame)
					fail_msg("frame %u: %s at %zu", pl->frame, err.field, err.off);
				*bad_err = err;
				t->errors++;
				off += (size_t)whole;
				continue;
			}
			t->msgs += (unsigned)n;
			assert_int_equal(h.version, LDP_VERSION);
			k = ldp_pdu_encode(out, sizeof out, &h, msgs, (unsigned)n);
			if (k != (size_t)whole || memcmp(out, pl->p + off, k) != 0)
				fail_msg("frame %u: PDU at %zu re-encodes differently (%zu of %d bytes)",
				    pl->frame, off, k, whole);
			/* Too small a buffer: 0, never an overrun. */
			assert_int_equal(ldp_pdu_encode(out, k - 1, &h, msgs, (unsigned)n), 0);
			check_truncations(pl->p + off, (size_t)whole, msgs, n);
			check_mutations(pl->p + off, (size_t)whole);
			free(copy);
			off += (size_t)whole;
		}
	}
	free(msgs);
}

/* Read a capture through the decoder, catching the LDP payloads. */
static unsigned
read_capture(const char *rel, struct dissect *d)
{
	unsigned n;

	free_payloads();
	dissect_register(DT_UDP_PORT, LDP_PORT, catch_udp);
	dissect_register(DT_TCP_PORT, LDP_PORT, catch_tcp);
	catching = true;
	n = shared_pcap_decode(rel, d, &cur_frame, NULL, NULL);
	catching = false;
	return n;
}

static void
test_captures(void **state)
{
	static const struct {
		const char *file;
		unsigned pdus, msgs, bad_frame;
	} caps[] = {
	    /* The counts are Wireshark's; holo frame 9's PDU gives an error. */
	    {"captures/holo/holo_ldp.pcap", 12, 11, 9},
	    {"captures/tcpdump/ldp-common-session.pcap", 23, 40, 0},
	    {"captures/tcpdump/mpls-ldp-hello.pcap", 1, 1, 0},
	};
	struct dissect d;

	(void)state;
	dissect_setup();
	dissect_init(&d);
	for (size_t i = 0; i < ARRAY_LEN(caps); i++) {
		struct tally t = {0};
		struct ldp_err bad = {0};

		assert_true(read_capture(caps[i].file, &d) > 0);
		check_payloads(&t, caps[i].bad_frame, &bad);
		if (t.pdus != caps[i].pdus || t.msgs != caps[i].msgs)
			fail_msg("%s: %u PDUs, %u messages", caps[i].file, t.pdus, t.msgs);
		assert_int_equal(t.errors, caps[i].bad_frame ? 1 : 0);
		if (caps[i].bad_frame) {
			/* Label Request's FEC TLV holds a Typed Wildcard element (type 5). */
			assert_string_equal(bad.field, "FEC element type");
			assert_int_equal(bad.off, 22);
			assert_int_equal(bad.status, LDP_ST_UNKNOWN_FEC);
		}
	}
	free_payloads();
	dissect_free(&d);
}

/* holo_ldp.pcap frame 1 (a link Hello with RFC 6720's GTSM flag) and frame 10 (a Notification). */
static const uint8_t hello_pdu[] = {
    0x00, 0x01, 0x00, 0x26, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x1c,
    0x00, 0x00, 0x00, 0x01, 0x04, 0x00, 0x00, 0x04, 0x00, 0x0f, 0x20, 0x00, 0x04, 0x01,
    0x00, 0x04, 0x01, 0x01, 0x01, 0x01, 0x04, 0x02, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02,
};
static const uint8_t notif_pdu[] = {
    0x00, 0x01, 0x00, 0x1c, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x12,
    0x00, 0x00, 0x00, 0x27, 0x03, 0x00, 0x00, 0x0a, 0x80, 0x00, 0x00, 0x07, 0x00, 0x00,
    0x00, 0x1f, 0x04, 0x00,
};

static void
test_encode_fields(void **state)
{
	struct ldp_pdu h = {.lsr_id = 0x01010101};
	struct ldp_msg m = {0}, back[2];
	struct ldp_err err;
	uint8_t out[256];
	size_t n;

	(void)state;
	m.type = LDP_HELLO;
	m.id = 1;
	m.has = LDP_HAS_HELLO | LDP_HAS_TRANSPORT | LDP_HAS_CSEQ;
	m.hello.hold = 15;
	m.hello.other_flags = 0x2000;
	m.hello.transport = 0x01010101;
	m.hello.cseq = 2;
	n = ldp_pdu_encode(out, sizeof out, &h, &m, 1);
	assert_int_equal(n, sizeof hello_pdu);
	assert_memory_equal(out, hello_pdu, n);

	memset(&m, 0, sizeof m);
	m.type = LDP_NOTIFICATION;
	m.id = 39;
	m.has = LDP_HAS_STATUS;
	m.status.code = LDP_STATUS_E | LDP_ST_BAD_TLV_LEN;
	m.status.msg_id = 31;
	m.status.msg_type = LDP_LABEL_MAPPING;
	n = ldp_pdu_encode(out, sizeof out, &h, &m, 1);
	assert_int_equal(n, sizeof notif_pdu);
	assert_memory_equal(out, notif_pdu, n);

	/* A Label Mapping with two prefixes and a request ID decodes to what was built. */
	memset(&m, 0, sizeof m);
	m.type = LDP_LABEL_MAPPING;
	m.id = 7;
	m.has = LDP_HAS_FEC | LDP_HAS_LABEL | LDP_HAS_REQ_ID;
	m.lbl.nfec = 2;
	m.lbl.fec[0] = (struct ldp_fec){.type = LDP_FEC_PREFIX, .family = LDP_AF_IPV4, .plen = 24,
	    .addr = {10, 0, 1}};
	m.lbl.fec[1] = (struct ldp_fec){.type = LDP_FEC_PREFIX, .family = LDP_AF_IPV4, .plen = 0};
	m.lbl.label = 0xfffff;
	m.lbl.req_id = 99;
	n = ldp_pdu_encode(out, sizeof out, &h, &m, 1);
	/* 10 header + 8 message + FEC 4+7+4 + label 8 + request ID 8. */
	assert_int_equal(n, 49);
	assert_int_equal(ldp_pdu_decode(out, n, &h, back, 2, &err), 1);
	assert_int_equal(back[0].has, m.has);
	assert_int_equal(back[0].lbl.nfec, 2);
	assert_int_equal(back[0].lbl.fec[0].plen, 24);
	assert_memory_equal(back[0].lbl.fec[0].addr, m.lbl.fec[0].addr, 3);
	assert_int_equal(back[0].lbl.fec[1].plen, 0);
	assert_int_equal(back[0].lbl.label, 0xfffff);
	assert_int_equal(back[0].lbl.req_id, 99);
}

/* Hand-made faults: each names its field, offset and status. */
static void
test_errors(void **state)
{
	static const struct {
		const char *what;
		size_t at;     /* the octet to change */
		uint8_t value;
		const char *field;
		size_t off;
		uint32_t status;
	} cases[] = {
	    {"version 2", 1, 2, "PDU version", 0, LDP_ST_BAD_VERSION},
	    {"PDU length 5", 3, 5, "PDU length", 2, LDP_ST_BAD_PDU_LEN},
	    {"message length past the PDU", 13, 0x1d, "message length", 12, LDP_ST_BAD_MSG_LEN},
	    {"hello TLV length 48", 21, 48, "TLV length", 20, LDP_ST_BAD_TLV_LEN},
	    {"hello TLV length 3", 21, 3, "Common Hello Parameters TLV length", 20,
	        LDP_ST_BAD_TLV_LEN},
	    {"no Common Hello Parameters", 18, 0x3f, "Common Hello Parameters TLV", 10,
	        LDP_ST_MISSING_PARAM},
	};
	struct ldp_msg msgs[2];
	struct ldp_pdu h;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		uint8_t b[sizeof hello_pdu];
		struct ldp_err err = {0};

		memcpy(b, hello_pdu, sizeof b);
		b[cases[i].at] = cases[i].value;
		if (ldp_pdu_decode(b, sizeof b, &h, msgs, 2, &err) != -1)
			fail_msg("%s: decoded", cases[i].what);
		if (strcmp(err.field, cases[i].field) != 0 || err.off != cases[i].off ||
		    err.status != cases[i].status)
			fail_msg("%s: %s at %zu status %u", cases[i].what, err.field, err.off,
			    err.status);
	}
	/* An empty FEC TLV ending the PDU: the error points at its length, inside the PDU. */
	{
		static const uint8_t empty_fec[] = {
		    0x00, 0x01, 0x00, 0x12, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x04, 0x02,
		    0x00, 0x08, 0x00, 0x00, 0x00, 0x05, 0x01, 0x00, 0x00, 0x00,
		};
		struct ldp_err err = {0};

		assert_int_equal(ldp_pdu_decode(empty_fec, sizeof empty_fec, &h, msgs, 2, &err), -1);
		assert_string_equal(err.field, "FEC TLV length (no element)");
		assert_int_equal(err.off, 20);
		assert_int_equal(err.status, LDP_ST_MALFORMED_TLV);
	}
	{
		struct strbuf sb;
		struct ldp_err e = {"PDU length", 2, LDP_ST_BAD_PDU_LEN};

		sb_init(&sb);
		ldp_err_str(&e, &sb);
		assert_string_equal(sb_str(&sb), "PDU length at offset 2 (Bad PDU Length)");
		sb_free(&sb);
	}
}

static void
test_dissect_lines(void **state)
{
	static const struct {
		const char *file;
		unsigned frame;
		const char *want;
	} lines[] = {
	    {"captures/holo/holo_ldp.pcap", 1, "LDP 1.1.1.1:0 Hello id 1 hold 15 transport 1.1.1.1 cseq 2"},
	    {"captures/holo/holo_ldp.pcap", 3,
	        "Initialization id 53 version 1 keepalive 180 DU pvlim 0 max-pdu 0 receiver 1.1.1.1:0 "
	        "tlvs 0x8506,0x850b,0x8603"},
	    {"captures/holo/holo_ldp.pcap", 5, "Address id 10 2 addresses 1.1.1.1 10.0.1.1"},
	    {"captures/holo/holo_ldp.pcap", 8, "Label Mapping id 65 fec 2001:db8:1000::1/128 label 18"},
	    {"captures/holo/holo_ldp.pcap", 9, "LDP: FEC element type at offset 22 (Unknown FEC)"},
	    {"captures/holo/holo_ldp.pcap", 10, "Notification id 39 Bad TLV Length [E] about id 31"},
	    {"captures/tcpdump/ldp-common-session.pcap", 1, "Notification id 4294967289 Shutdown [E]"},
	    {"captures/tcpdump/ldp-common-session.pcap", 8,
	        "keepalive 30 DU loop-detect pvlim 32 max-pdu 0 receiver 192.168.0.1:0"},
	    {"captures/tcpdump/ldp-common-session.pcap", 10,
	        "Label Mapping id 5 fec 192.168.0.2/32 label 3 tlvs 0x0103,0x0104"},
	    {"captures/tcpdump/mpls-ldp-hello.pcap", 1,
	        "LDP 10.1.0.2:0 Hello id 72048 hold 15 transport 10.1.0.2 cseq 1"},
	};
	struct dissect d;

	(void)state;
	dissect_setup();
	dissect_init(&d);
	for (size_t i = 0; i < ARRAY_LEN(lines); i++) {
		char err[256], *path = shared_path(lines[i].file);
		struct pcap_reader *r = pcap_reader_open(path, err, sizeof err);
		struct pcap_frame f;

		assert_non_null(r);
		for (unsigned k = 0; k < lines[i].frame; k++)
			assert_int_equal(pcap_read(r, &f, err, sizeof err), 1);
		dissect_reset(&d);
		dissect_capture(&d, f.linktype, f.data, f.caplen, f.origlen);
		if (strstr(sb_str(&d.line), lines[i].want) == NULL &&
		    strstr(sb_str(&d.err), lines[i].want) == NULL)
			fail_msg("%s frame %u: %s [%s] lacks %s", lines[i].file, lines[i].frame,
			    sb_str(&d.line), sb_str(&d.err), lines[i].want);
		pcap_reader_close(r);
		free(path);
	}
	/* A PDU cut at a segment's end is noted; in a datagram it is an error. */
	{
		dissect_reset(&d);
		ldp_dissect_pdus(&d, hello_pdu, 20, true);
		assert_non_null(strstr(sb_str(&d.line), "LDP 1.1.1.1:0 len 38 [|ldp]"));
		assert_int_equal(d.errors, 0);
		dissect_reset(&d);
		ldp_dissect_pdus(&d, hello_pdu, 20, false);
		assert_int_equal(d.errors, 1);
	}
	dissect_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_captures),
	    cmocka_unit_test(test_encode_fields),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_dissect_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
