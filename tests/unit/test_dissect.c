/*
 * test_dissect.c: the decoder core and the built-in dissectors
 * (src/net/dissect*.c) and `netsim decode` (src/cmd/decode.c).
 *
 * (a) every frame of the real captures in the shared data ($NETSIM_SHARED,
 *     else ../shared, else /work/shared; missing data fails the suite, it is
 *     never skipped) decodes without an error at the link, ARP, IPv4, ICMP,
 *     UDP and TCP layers; the one real IPv4 checksum error (ospf-sr-ri-sid) is
 *     found; negative/icmp_test.pcap fails where it should; 802.1Q and QinQ;
 * (b) hand-built frames: one corrupt octet in an IPv4 header, UDP/TCP/ICMP
 *     checksums, snaplen cuts versus real truncation, fragments, protocols
 *     nobody decodes, every link type, the dissector tables; (c) garbage
 *     through every link type: never a crash (run it under ASan), a failed
 *     frame always says why, an accepted one is described; every cut of a
 *     good UDP frame is an error unless the capture was cut, and every
 *     one-byte change after its Ethernet header is caught.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glob.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "cmd/cmd.h"
#include "lib/buf.h"
#include "lib/cksum.h"
#include "lib/util.h"
#include "net/dissect.h"
#include "net/pcap.h"
#include "shared_data.h"

/* ------------------------------------------------------------------------ */
/* Shared data */

/* One decoded frame of a capture, as `netsim decode` sees it. */
struct frame {
	size_t n;
	const char *line;
	const char *err;
	int errors;
	bool known;
	const struct pcap_frame *pf;
};

typedef void (*frame_cb)(const struct frame *, void *arg);

/* Decode every frame of a capture (relative to the shared directory); returns the count. */
static size_t
decode_capture(const char *rel, frame_cb cb, void *arg)
{
	char err[256], *path = shared_path(rel);
	struct pcap_reader *r;
	struct pcap_frame pf;
	struct dissect d;
	struct frame f;
	size_t n = 0;
	int rc;

	r = pcap_reader_open(path, err, sizeof(err));
	if (r == NULL)
		fail_msg("%s: %s", path, err);
	dissect_init(&d);
	while ((rc = pcap_read(r, &pf, err, sizeof(err))) == 1) {
		dissect_reset(&d);
		dissect_capture(&d, pf.linktype, pf.data, pf.caplen, pf.origlen);
		f.n = ++n;
		f.line = sb_str(&d.line);
		f.err = sb_str(&d.err);
		f.errors = d.errors;
		f.known = d.known;
		f.pf = &pf;
		cb(&f, arg);
	}
	if (rc < 0)
		fail_msg("%s: %s", path, err);
	dissect_free(&d);
	pcap_reader_close(r);
	free(path);
	return n;
}

/* ------------------------------------------------------------------------ */
/* (a) real captures */

/*
 * Error prefixes of the layers this suite covers. Errors from protocols
 * (OSPF, IS-IS, BGP, ...) are their own suites' business: some captures are
 * odd on purpose at those layers (see captures/README.md), and holo's
 * captures wrap bare LSAs and messages as if they were packets.
 */
static const char *const builtin_layers[] = {
	"Ethernet", "802.3", "LLC", "SNAP", "vlan", "s-vlan", "ARP", "IPv4", "ICMP", "UDP", "TCP",
	"raw IP", "Juniper", "PPP", "NULL", "LOOP", "C-HDLC", "SLL", "SLL2",
};

/* The number of "; "-separated errors that come from the built-in layers. */
static int
builtin_errors(const char *err)
{
	const char *p = err;
	size_t i, n;
	int count = 0;

	while (*p != '\0') {
		for (i = 0; i < ARRAY_LEN(builtin_layers); i++) {
			n = strlen(builtin_layers[i]);
			if (strncmp(p, builtin_layers[i], n) == 0 && p[n] == ':') {
				count++;
				break;
			}
		}
		p = strstr(p, "; ");
		if (p == NULL)
			break;
		p += 2;
	}
	return count;
}

struct clean_arg {
	const char *file;
	size_t known;
};

static void
check_clean(const struct frame *f, void *arg)
{
	struct clean_arg *a = arg;
	int expect = 0;

	/*
	 * tcpdump's ospf-sr-ri-sid.pcap carries a wrong IPv4 header checksum
	 * (0xd831, should be 0xd809: tcpdump and tshark agree).
	 */
	if (strcmp(a->file, "ospf-sr-ri-sid.pcap") == 0) {
		expect = 1;
		assert_non_null(strstr(f->err, "IPv4: bad checksum 0xd831 (should be 0xd809)"));
	}
	if (builtin_errors(f->err) != expect)
		fail_msg("%s frame %zu: %s [ERROR: %s]", a->file, f->n, f->line, f->err);
	assert_true(f->line[0] != '\0');
	if (f->known)
		a->known++;
}

static void
test_captures_clean(void **state UNUSED)
{
	static const char *const globs[] = {"captures/tcpdump/*.pcap*", "captures/holo/*.pcap"};
	size_t i, j, n, nfiles = 0, skip;
	struct clean_arg a;
	glob_t g;

	dissect_setup();
	for (i = 0; i < ARRAY_LEN(globs); i++) {
		char *pat = shared_path(globs[i]);

		if (glob(pat, 0, NULL, &g) != 0)
			fail_msg("%s: no captures", pat);
		skip = strlen(shared_dir()) + 1;
		for (j = 0; j < g.gl_pathc; j++) {
			memset(&a, 0, sizeof(a));
			a.file = strrchr(g.gl_pathv[j], '/') + 1;
			n = decode_capture(g.gl_pathv[j] + skip, check_clean, &a);
			assert_true(n > 0);
			nfiles++;
		}
		globfree(&g);
		free(pat);
	}
	assert_true(nfiles >= 40);
}

/* Every frame of an all-Ethernet capture is known to netsim (Ethernet itself is). */
static void
count_known(const struct frame *f, void *arg)
{
	if (f->known)
		(*(size_t *)arg)++;
}

static void
test_known(void **state UNUSED)
{
	static const struct {
		const char *file;
		size_t frames;
	} files[] = {
		{"captures/tcpdump/bgp-4byte-asn.pcap", 91},
		{"captures/tcpdump/OSPFv2_Capture_FINAL.pcapng", 30},
		{"captures/holo/holo_ldp.pcap", 12},
		{"captures/tcpdump/icmp-rfc5837.pcap", 1}, /* PPP, then IPv4/ICMP */
		{"captures/tcpdump/bgp-addpath.pcap", 1},  /* raw IP */
	};
	size_t i, known;

	dissect_setup();
	for (i = 0; i < ARRAY_LEN(files); i++) {
		known = 0;
		assert_int_equal(decode_capture(files[i].file, count_known, &known),
		    files[i].frames);
		assert_int_equal(known, files[i].frames);
	}
}

static void
check_icmp_test(const struct frame *f, void *arg)
{
	static const char *const want[] = {
		NULL,
		"ICMP: bad checksum 0xf2ab (should be 0xa8f1)",
		"IPv4: bad checksum 0x2631 (should be 0x26ce)",
		"IPv4: total length 200 exceeds the 44 captured bytes",
	};

	assert_true(f->n <= ARRAY_LEN(want));
	assert_non_null(strstr(f->line, "10.0.0.1 > 10.0.0.2  ICMP echo request id 4660"));
	if (want[f->n - 1] == NULL) {
		assert_int_equal(f->errors, 0);
	} else {
		assert_true(f->errors >= 1);
		if (strstr(f->err, want[f->n - 1]) == NULL)
			fail_msg("frame %zu: \"%s\", expected \"%s\"", f->n, f->err,
			    want[f->n - 1]);
	}
	(*(int *)arg) += f->errors > 0;
}

static void
test_icmp_negative(void **state UNUSED)
{
	int failed = 0;

	dissect_setup();
	assert_int_equal(decode_capture("captures/negative/icmp_test.pcap", check_icmp_test,
	    &failed), 4);
	assert_int_equal(failed, 3);
}

/* The line must start with what is wanted: protocols may describe more after it. */
static void
check_lines(const struct frame *f, void *arg)
{
	const char *const *want = arg;

	if (strncmp(f->line, want[f->n - 1], strlen(want[f->n - 1])) != 0)
		fail_msg("frame %zu: \"%s\", expected \"%s...\"", f->n, f->line, want[f->n - 1]);
	assert_int_equal(f->errors, 0);
	assert_true(f->known);
}

static void
test_vlan_captures(void **state UNUSED)
{
	static const char *const qinq[] = {
		"s-vlan 200  vlan 2001  ARP who-has 172.21.79.100 tell 172.21.79.97",
		"s-vlan 200  vlan 2001  ARP 172.21.79.100 is-at 00:80:ea:81:88:63",
	};
	static const char *const dot1q[] = {
		"vlan 11 p 7  11.11.11.2 > 11.11.11.1  UDP 49152 > 3784 len 24",
	};
	static const char *const arp_odd[] = {
		"s-vlan 48 p 1 dei  ARP who-has 48.48.48.48 tell 48.48.48.48 "
		"(hardware 12336 len 14, protocol 0x0800 len 4)",
	};

	dissect_setup();
	assert_int_equal(decode_capture("captures/tcpdump/802.1ad_QinQ.pcap", check_lines,
	    (void *)qinq), 2);
	assert_int_equal(decode_capture("captures/tcpdump/bfd_source_port_49152.pcap",
	    check_lines, (void *)dot1q), 1);
	assert_int_equal(decode_capture("captures/tcpdump/arp-too-long-tha.pcap", check_lines,
	    (void *)arp_odd), 1);
}

/* ------------------------------------------------------------------------ */
/* (b) hand-built frames */

#define A_SRC 0x0a000001 /* 10.0.0.1 */
#define A_DST 0x0a000002 /* 10.0.0.2 */

static struct dissect D;

static const char *
dec(uint32_t linktype, const uint8_t *p, size_t len)
{
	dissect_reset(&D);
	dissect_frame(&D, linktype, p, len);
	return sb_str(&D.line);
}

static const char *
dec_cap(uint32_t linktype, const uint8_t *p, size_t caplen, size_t origlen)
{
	dissect_reset(&D);
	dissect_capture(&D, linktype, p, caplen, origlen);
	return sb_str(&D.line);
}

#define assert_contains(hay, needle)                                                            \
	do {                                                                                     \
		if (strstr((hay), (needle)) == NULL)                                             \
			fail_msg("\"%s\" does not contain \"%s\"", (hay), (needle));            \
	} while (0)

static size_t
mk_udp(uint8_t *p, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
    const char *data, bool cksum)
{
	size_t dlen = strlen(data), len = 8 + dlen;
	uint16_t c;

	put16(p, sport);
	put16(p + 2, dport);
	put16(p + 4, (uint16_t)len);
	put16(p + 6, 0);
	memcpy(p + 8, data, dlen);
	if (cksum) {
		c = inet_fold(inet_sum(p, len, inet_pseudo(src, dst, 17, (uint16_t)len)));
		put16(p + 6, c == 0 ? 0xffff : c); /* RFC 768: a computed zero is sent as ones */
	}
	return len;
}

/* A TCP segment with a 4-octet MSS option. */
static size_t
mk_tcp(uint8_t *p, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, uint8_t flags,
    const char *data)
{
	size_t dlen = strlen(data), len = 24 + dlen;

	memset(p, 0, 24);
	put16(p, sport);
	put16(p + 2, dport);
	put32(p + 4, 1000);
	put32(p + 8, 2000);
	p[12] = 6 << 4;
	p[13] = flags;
	put16(p + 14, 8192);
	p[20] = 2;
	p[21] = 4;
	put16(p + 22, 1460);
	memcpy(p + 24, data, dlen);
	put16(p + 16, inet_fold(inet_sum(p, len, inet_pseudo(src, dst, 6, (uint16_t)len))));
	return len;
}

static size_t
mk_icmp(uint8_t *p, uint8_t type, uint8_t code, const uint8_t *data, size_t dlen)
{
	p[0] = type;
	p[1] = code;
	put16(p + 2, 0);
	put16(p + 4, 0x1234);
	put16(p + 6, 7);
	memcpy(p + 8, data, dlen);
	put16(p + 2, inet_cksum(p, 8 + dlen));
	return 8 + dlen;
}

/* An IPv4 header (with options if optlen) before the len octets already at p + 20 + optlen. */
static size_t
mk_ip(uint8_t *p, uint8_t proto, uint32_t src, uint32_t dst, size_t optlen, size_t len,
    uint16_t frag)
{
	size_t hl = 20 + optlen;

	p[0] = (uint8_t)(0x40 | hl / 4);
	p[1] = 0;
	put16(p + 2, (uint16_t)(hl + len));
	put16(p + 4, 0x4242);
	put16(p + 6, frag);
	p[8] = 64;
	p[9] = proto;
	put16(p + 10, 0);
	put32(p + 12, src);
	put32(p + 16, dst);
	memset(p + 20, 1, optlen); /* NOPs */
	put16(p + 10, inet_cksum(p, hl));
	return hl + len;
}

/* Ethernet header before the len octets already at p + 14. */
static size_t
mk_eth(uint8_t *p, uint16_t type, size_t len)
{
	static const uint8_t macs[12] = {0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1};

	memcpy(p, macs, 12);
	put16(p + 12, type);
	return 14 + len;
}

/* Ethernet / IPv4 / UDP 41234 > 45678 "hello". */
static size_t
frame_udp(uint8_t *p, bool cksum)
{
	size_t n = mk_udp(p + 34, A_SRC, A_DST, 41234, 45678, "hello", cksum);

	n = mk_ip(p + 14, 17, A_SRC, A_DST, 0, n, 0);
	return mk_eth(p, 0x0800, n);
}

/* Ethernet / IPv4 with 4 octets of options / TCP 40179 > 50000 [P.] with 100 octets. */
static size_t
frame_tcp(uint8_t *p)
{
	char data[101];
	size_t n;

	memset(data, 'x', 100);
	data[100] = '\0';
	n = mk_tcp(p + 38, A_SRC, A_DST, 40179, 50000, 0x18, data);
	n = mk_ip(p + 14, 6, A_SRC, A_DST, 4, n, 0);
	return mk_eth(p, 0x0800, n);
}

static size_t
frame_icmp(uint8_t *p)
{
	static const uint8_t data[] = "0123456789abcdef";
	size_t n = mk_icmp(p + 34, 8, 0, data, 16);

	n = mk_ip(p + 14, 1, A_SRC, A_DST, 0, n, 0);
	return mk_eth(p, 0x0800, n);
}

static void
test_valid_frames(void **state UNUSED)
{
	uint8_t f[2048];
	size_t n;

	n = frame_udp(f, true);
	assert_string_equal(dec(1, f, n), "10.0.0.1 > 10.0.0.2  UDP 41234 > 45678 len 5");
	assert_int_equal(D.errors, 0);
	assert_true(D.known);
	n = frame_tcp(f);
	assert_string_equal(dec(1, f, n), "10.0.0.1 > 10.0.0.2  TCP 40179 > 50000 [P.] len 100");
	assert_int_equal(D.errors, 0);
	n = frame_icmp(f);
	assert_string_equal(dec(1, f, n),
	    "10.0.0.1 > 10.0.0.2  ICMP echo request id 4660 seq 7 len 16");
	assert_int_equal(D.errors, 0);
	/* Ethernet padding after the datagram is not the datagram's */
	n = frame_udp(f, true);
	memset(f + n, 0xaa, 20);
	dec(1, f, n + 20);
	assert_int_equal(D.errors, 0);
	/* verbose: MACs, IPv4 details, TCP sequence numbers */
	D.verbose = 1;
	n = frame_tcp(f);
	assert_string_equal(dec(1, f, n), "02:00:00:00:00:01 > 02:00:00:00:00:02  10.0.0.1 > "
	    "10.0.0.2 (tos 0x00, ttl 64, id 16962, len 148, 4 octets of options)  "
	    "TCP 40179 > 50000 [P.] seq 1000 ack 2000 win 8192 [mss 1460] len 100");
	D.verbose = 0;
}

static void
test_ipv4_corrupt_octet(void **state UNUSED)
{
	uint8_t f[2048];
	size_t n, i;

	n = frame_udp(f, true);
	/* The TTL: only the header checksum can tell. */
	f[14 + 8] ^= 0x10;
	dec(1, f, n);
	assert_int_equal(D.errors, 1);
	assert_contains(sb_str(&D.err), "IPv4: bad checksum");
	assert_true(D.known);
	/* Any octet: always an error; after the first octet, always the checksum. */
	for (i = 0; i < 20; i++) {
		n = frame_udp(f, true);
		f[14 + i] ^= 0x04;
		dec(1, f, n);
		assert_true(D.errors >= 1);
		if (i > 0)
			assert_contains(sb_str(&D.err), "IPv4: bad checksum");
	}
}

static void
test_l4_checksums(void **state UNUSED)
{
	uint8_t f[2048];
	size_t n;

	n = frame_udp(f, true);
	f[n - 1] ^= 1;
	dec(1, f, n);
	assert_int_equal(D.errors, 1);
	assert_contains(sb_str(&D.err), "UDP: bad checksum");
	/* No checksum (zero): nothing to verify. */
	n = frame_udp(f, false);
	f[n - 1] ^= 1;
	dec(1, f, n);
	assert_int_equal(D.errors, 0);
	n = frame_tcp(f);
	f[n - 50] ^= 1;
	dec(1, f, n);
	assert_int_equal(D.errors, 1);
	assert_contains(sb_str(&D.err), "TCP: bad checksum");
	/* The pseudo-header is covered: a different destination breaks TCP's sum too. */
	n = frame_tcp(f);
	f[14 + 19] ^= 1;
	put16(f + 14 + 10, 0);
	put16(f + 14 + 10, inet_cksum(f + 14, 24));
	dec(1, f, n);
	assert_int_equal(D.errors, 1);
	assert_contains(sb_str(&D.err), "TCP: bad checksum");
	n = frame_icmp(f);
	f[n - 3] ^= 0x80;
	dec(1, f, n);
	assert_int_equal(D.errors, 1);
	assert_contains(sb_str(&D.err), "ICMP: bad checksum");
}

/*
 * A frame cut by the snaplen decodes without error at every cut; the same
 * cut with caplen == origlen is an error at every cut.
 */
static void
test_snaplen(void **state UNUSED)
{
	size_t (*const makers[])(uint8_t *) = {frame_tcp, frame_icmp};
	uint8_t f[2048];
	size_t n, cut, i;

	for (i = 0; i < ARRAY_LEN(makers); i++) {
		n = makers[i](f);
		for (cut = 0; cut < n; cut++) {
			dec_cap(1, f, cut, n);
			if (D.errors != 0)
				fail_msg("cut %zu of %zu: %s [ERROR: %s]", cut, n, sb_str(&D.line),
				    sb_str(&D.err));
			dec(1, f, cut);
			if (D.errors == 0)
				fail_msg("cut %zu of %zu, caplen == origlen: no error: %s", cut,
				    n, sb_str(&D.line));
		}
	}
	n = frame_tcp(f);
	assert_string_equal(dec_cap(1, f, 34 + 4 + 10, n), "10.0.0.1 > 10.0.0.2  [|TCP]");
	dec_cap(1, f, n - 10, n);
	assert_contains(sb_str(&D.line), "TCP 40179 > 50000 [P.] len 90");
	assert_int_equal(D.errors, 0);
}

static int port_calls;
static size_t port_len;
static uint32_t port_src;
static bool port_partial;

static void
port_dissector(struct dissect *d, const uint8_t *p, size_t len)
{
	port_calls++;
	port_len = len;
	port_src = d->ip_src;
	port_partial = d->partial;
	dissect_add(d, "TEST %.*s", (int)MIN(len, 5), (const char *)p);
}

static void
port_dissector2(struct dissect *d, const uint8_t *p UNUSED, size_t len UNUSED)
{
	port_calls += 100;
	dissect_add(d, "TEST2");
}

static void
test_fragments(void **state UNUSED)
{
	uint8_t f[2048];
	size_t n;

	dissect_register(DT_UDP_PORT, 40001, port_dissector);
	/* First fragment (MF): the UDP length covers data this frame lacks. */
	n = mk_udp(f + 34, A_SRC, A_DST, 40001, 45678, "hello", true);
	put16(f + 34 + 4, 1000);
	n = mk_ip(f + 14, 17, A_SRC, A_DST, 0, n, 0x2000);
	n = mk_eth(f, 0x0800, n);
	port_calls = 0;
	assert_string_equal(dec(1, f, n),
	    "10.0.0.1 > 10.0.0.2 frag id 16962 13@0+  UDP 40001 > 45678 len 992  TEST hello");
	assert_int_equal(D.errors, 0);
	assert_int_equal(port_calls, 1);
	assert_true(port_partial);
	/* A later fragment is not decoded further. */
	n = mk_udp(f + 34, A_SRC, A_DST, 40001, 45678, "hello", true);
	n = mk_ip(f + 14, 17, A_SRC, A_DST, 0, n, 185);
	n = mk_eth(f, 0x0800, n);
	port_calls = 0;
	assert_string_equal(dec(1, f, n),
	    "10.0.0.1 > 10.0.0.2 frag id 16962 13@1480  UDP fragment (not decoded)");
	assert_int_equal(D.errors, 0);
	assert_int_equal(port_calls, 0);
}

static void
test_not_decoded(void **state UNUSED)
{
	uint8_t f[2048];
	size_t n;

	memset(f, 0, sizeof(f));
	n = mk_eth(f, 0x0800, mk_ip(f + 14, 132, A_SRC, A_DST, 0, 24, 0));
	assert_string_equal(dec(1, f, n), "10.0.0.1 > 10.0.0.2  SCTP (not decoded)");
	assert_int_equal(D.errors, 0);
	assert_true(D.known);
	n = mk_eth(f, 0x0800, mk_ip(f + 14, 250, A_SRC, A_DST, 0, 24, 0));
	assert_string_equal(dec(1, f, n), "10.0.0.1 > 10.0.0.2  IP protocol 250 (not decoded)");
	assert_int_equal(D.errors, 0);
	n = mk_eth(f, 0x88cc, 40);
	assert_string_equal(dec(1, f, n), "LLDP (not decoded)");
	assert_int_equal(D.errors, 0);
	n = mk_eth(f, 0x1234, 40);
	assert_string_equal(dec(1, f, n), "ethertype 0x1234 (not decoded)");
	n = mk_eth(f, 0x86dd, 40);
	assert_string_equal(dec(1, f, n), "IPv6 (not decoded)");
	assert_int_equal(D.errors, 0);
	assert_string_equal(dec(147, f, n), "link type 147 (not decoded)");
	assert_int_equal(D.errors, 0);
	assert_false(D.known);
	/* 802.3 + LLC (STP) */
	memcpy(f + 14, "\x42\x42\x03", 3);
	n = mk_eth(f, 38, 38);
	assert_string_equal(dec(1, f, n),
	    "02:00:00:00:00:01 > 02:00:00:00:00:02  STP (not decoded)");
	assert_int_equal(D.errors, 0);
	/* an 802.3 length beyond the frame is an error (unless the capture was cut) */
	n = mk_eth(f, 100, 38);
	dec(1, f, n);
	assert_int_equal(D.errors, 1);
	assert_contains(sb_str(&D.err), "802.3: length 100");
	dec_cap(1, f, n, 200);
	assert_int_equal(D.errors, 0);
}

static void
test_registry(void **state UNUSED)
{
	uint8_t f[2048];
	size_t n;

	dissect_setup();
	dissect_setup(); /* idempotent */
	dissect_register(DT_UDP_PORT, 40000, port_dissector);
	dissect_register(DT_TCP_PORT, 40000, port_dissector);
	/* by destination port */
	n = mk_udp(f + 34, A_SRC, A_DST, 41234, 40000, "hello", true);
	n = mk_eth(f, 0x0800, mk_ip(f + 14, 17, A_SRC, A_DST, 0, n, 0));
	port_calls = 0;
	assert_string_equal(dec(1, f, n),
	    "10.0.0.1 > 10.0.0.2  UDP 41234 > 40000 len 5  TEST hello");
	assert_int_equal(port_calls, 1);
	assert_int_equal(port_len, 5);
	assert_int_equal(port_src, A_SRC);
	assert_false(port_partial);
	/* by source port */
	n = mk_udp(f + 34, A_DST, A_SRC, 40000, 41234, "hello", true);
	n = mk_eth(f, 0x0800, mk_ip(f + 14, 17, A_DST, A_SRC, 0, n, 0));
	dec(1, f, n);
	assert_int_equal(port_calls, 2);
	assert_int_equal(port_src, A_DST);
	/* TCP */
	n = mk_tcp(f + 34, A_SRC, A_DST, 40000, 50000, 0x18, "world!");
	n = mk_eth(f, 0x0800, mk_ip(f + 14, 6, A_SRC, A_DST, 0, n, 0));
	assert_string_equal(dec(1, f, n),
	    "10.0.0.1 > 10.0.0.2  TCP 40000 > 50000 [P.] len 6  TEST world");
	assert_int_equal(D.errors, 0);
	assert_int_equal(port_len, 6);
	/* a segment without data goes to nobody */
	n = mk_tcp(f + 34, A_SRC, A_DST, 40000, 50000, 0x11, "");
	n = mk_eth(f, 0x0800, mk_ip(f + 14, 6, A_SRC, A_DST, 0, n, 0));
	port_calls = 0;
	assert_string_equal(dec(1, f, n), "10.0.0.1 > 10.0.0.2  TCP 40000 > 50000 [F.] len 0");
	assert_int_equal(port_calls, 0);
	/* a later registration replaces the earlier one */
	dissect_register(DT_TCP_PORT, 40000, port_dissector2);
	n = mk_tcp(f + 34, A_SRC, A_DST, 40000, 50000, 0x18, "world!");
	n = mk_eth(f, 0x0800, mk_ip(f + 14, 6, A_SRC, A_DST, 0, n, 0));
	dec(1, f, n);
	assert_int_equal(port_calls, 100);
	/* dissect_call on an empty key */
	dissect_reset(&D);
	assert_false(dissect_call(&D, DT_UDP_PORT, 1, f, 10));
	assert_string_equal(sb_str(&D.line), "");
	assert_string_equal(dissect_name(DT_IPPROTO, 47), "GRE");
	assert_null(dissect_name(DT_UDP_PORT, 47));
}

/* The Ethernet/IPv4/UDP test datagram under every link type. */
static void
test_link_types(void **state UNUSED)
{
	static const struct {
		uint32_t linktype;
		const char *hdr;
		size_t hlen;
	} links[] = {
		{0, "\x02\x00\x00\x00", 4},             /* NULL, little-endian AF_INET */
		{0, "\x00\x00\x00\x02", 4},             /* NULL, big-endian */
		{108, "\x00\x00\x00\x02", 4},           /* OpenBSD LOOP */
		{9, "\xff\x03\x00\x21", 4},             /* PPP with address/control */
		{9, "\x00\x21", 2},                     /* PPP without */
		{9, "\x21", 1},                         /* PPP, compressed protocol field */
		{50, "\xff\x03\x00\x21", 4},            /* PPP in HDLC framing */
		{101, "", 0}, {12, "", 0}, {14, "", 0}, {228, "", 0}, /* raw IP */
		{104, "\x0f\x00\x08\x00", 4},           /* Cisco HDLC */
		{113, "\x00\x00\x00\x01\x00\x06\x02\x00\x00\x00\x00\x01\x00\x00\x08\x00", 16},
		{276, "\x08\x00\x00\x00\x00\x00\x00\x02\x00\x01\x00\x06\x02\x00\x00\x00\x00\x01"
		      "\x00\x00", 20},                  /* SLL2 */
		{1, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x81\x00\x00\x05\x08\x00",
		    18},                                /* 802.1Q */
		{178, "MGC\x80\x00\x04\x01\x02\x03\x04\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00"
		      "\x01\x08\x00", 24},              /* Juniper Ethernet */
	};
	uint8_t f[2048], g[2048];
	size_t n, i;

	n = frame_udp(f, true) - 14;
	for (i = 0; i < ARRAY_LEN(links); i++) {
		memcpy(g, links[i].hdr, links[i].hlen);
		memcpy(g + links[i].hlen, f + 14, n);
		dec(links[i].linktype, g, links[i].hlen + n);
		if (D.errors != 0 || strstr(sb_str(&D.line),
		    "10.0.0.1 > 10.0.0.2  UDP 41234 > 45678 len 5") == NULL)
			fail_msg("link %zu (type %u): %s [ERROR: %s]", i, links[i].linktype,
			    sb_str(&D.line), sb_str(&D.err));
		assert_true(D.known);
	}
	/* raw IP of an unknown version is an error; IPv6 is merely not decoded */
	g[0] = 0x50;
	dec(101, g, 20);
	assert_int_equal(D.errors, 1);
	g[0] = 0x60;
	assert_string_equal(dec(101, g, 40), "IPv6 (not decoded)");
	assert_int_equal(D.errors, 0);
	assert_string_equal(dec(9, (const uint8_t *)"\xc0\x21\x01\x01\x00\x04", 6),
	    "PPP LCP (not decoded)");
	assert_string_equal(dec(104, (const uint8_t *)"\x8f\x00\x80\x35\x00\x00", 6),
	    "SLARP (not decoded)");
	assert_int_equal(D.errors, 0);
}

static void
test_arp(void **state UNUSED)
{
	static const uint8_t req[] = {
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x0a, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x02,
	};
	uint8_t f[128];
	size_t n;

	memcpy(f + 14, req, sizeof(req));
	n = mk_eth(f, 0x0806, sizeof(req));
	assert_string_equal(dec(1, f, n), "ARP who-has 10.0.0.2 tell 10.0.0.1");
	assert_int_equal(D.errors, 0);
	assert_true(D.known);
	f[14 + 7] = 2;
	assert_string_equal(dec(1, f, n), "ARP 10.0.0.1 is-at 02:00:00:00:00:01");
	/* Odd but self-consistent sizes decode; 8 + 2 * (14 + 4) = 44 octets. */
	memset(f + 14, 0x30, 44);
	memcpy(f + 14, "\x30\x30\x08\x00\x0e\x04\x00\x01", 8);
	n = mk_eth(f, 0x0806, 44);
	assert_string_equal(dec(1, f, n), "ARP who-has 48.48.48.48 tell 48.48.48.48 "
	    "(hardware 12336 len 14, protocol 0x0800 len 4)");
	assert_int_equal(D.errors, 0);
	/* ... and are truncated when the packet is shorter than they say */
	dec(1, f, n - 1);
	assert_int_equal(D.errors, 1);
	assert_contains(sb_str(&D.err), "ARP: truncated (43 of 44 bytes)");
}

static void
test_icmp_errors(void **state UNUSED)
{
	uint8_t f[2048], q[28];
	size_t n;

	/* time exceeded, quoting a UDP datagram, with an RFC 4884 length set */
	mk_ip(q, 17, A_DST, 0x0c010101, 0, 8, 0);
	put16(q + 20, 33434);
	put16(q + 22, 33435);
	n = mk_icmp(f + 34, 11, 0, q, sizeof(q));
	f[34 + 5] = 7;
	put16(f + 34 + 2, 0);
	put16(f + 34 + 2, inet_cksum(f + 34, n));
	n = mk_eth(f, 0x0800, mk_ip(f + 14, 1, A_SRC, A_DST, 0, n, 0));
	assert_string_equal(dec(1, f, n), "10.0.0.1 > 10.0.0.2  ICMP time exceeded in-transit "
	    "for 10.0.0.2 > 12.1.1.1 UDP port 33435");
	assert_int_equal(D.errors, 0);
	n = mk_icmp(f + 34, 3, 3, q, sizeof(q));
	n = mk_eth(f, 0x0800, mk_ip(f + 14, 1, A_SRC, A_DST, 0, n, 0));
	assert_contains(dec(1, f, n), "ICMP unreachable port for");
	n = mk_icmp(f + 34, 99, 5, q, 0);
	n = mk_eth(f, 0x0800, mk_ip(f + 14, 1, A_SRC, A_DST, 0, n, 0));
	assert_contains(dec(1, f, n), "ICMP type 99 code 5");
	assert_int_equal(D.errors, 0);
}

/* ------------------------------------------------------------------------ */
/* (c) garbage: never a crash, and every verdict explained */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(void)
{
	/* xorshift64*: deterministic, good enough to make garbage */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32);
}

/*
 * What holds for any decode: a frame fails exactly when the decoder says
 * why, a frame that does not fail is described, and the same bytes give the
 * same description.
 */
static void
check_verdict(uint32_t lt, const uint8_t *p, size_t len, size_t origlen)
{
	char *first;

	dec_cap(lt, p, len, origlen);
	if ((D.errors > 0) != (D.err.len > 0))
		fail_msg("link type %u, %zu bytes: %d errors but \"%s\"", lt, len, D.errors,
		    sb_str(&D.err));
	if (D.errors == 0 && D.line.len == 0)
		fail_msg("link type %u, %zu bytes: accepted without a description", lt, len);
	first = xstrdup(sb_str(&D.line));
	assert_string_equal(dec_cap(lt, p, len, origlen), first);
	free(first);
}

static void
test_fuzz(void **state UNUSED)
{
	static const uint32_t linktypes[] = {0, 1, 9, 12, 14, 50, 101, 104, 108, 113, 178, 228,
	    229, 276, 147};
	uint8_t f[2048], *copy;
	size_t i, k, len;

	dissect_setup();
	for (i = 0; i < 20000; i++) {
		uint32_t lt = linktypes[i % ARRAY_LEN(linktypes)];

		len = rnd() % 200;
		for (k = 0; k < len; k++)
			f[k] = (uint8_t)rnd();
		/* an exact-size heap copy, so that ASan sees any overread */
		copy = xmalloc(len + 1);
		memcpy(copy, f, len);
		check_verdict(lt, copy, len, len);
		check_verdict(lt, copy, len, len + 10);
		free(copy);
	}
}

/*
 * A good Ethernet/IPv4/UDP frame: whole, it decodes without error; cut short
 * it is an error (truncated) unless the capture says it was cut (snaplen),
 * when it is not; and any one byte changed after the Ethernet header is
 * caught (IPv4 header checksum, UDP checksum over the pseudo-header, or a
 * field that no longer fits), since one changed byte always changes an
 * Internet checksum (RFC 1071).
 */
static void
test_fuzz_udp_properties(void **state UNUSED)
{
	uint8_t f[128], *copy;
	size_t n = frame_udp(f, true), cut, k;

	dissect_setup();
	check_verdict(1, f, n, n);
	assert_int_equal(D.errors, 0);
	for (cut = 0; cut < n; cut++) {
		copy = xmalloc(cut + 1);
		memcpy(copy, f, cut);
		check_verdict(1, copy, cut, cut);
		if (D.errors == 0)
			fail_msg("UDP frame cut to %zu of %zu bytes: no error (\"%s\")", cut, n,
			    sb_str(&D.line));
		check_verdict(1, copy, cut, n);
		if (D.errors != 0)
			fail_msg("UDP frame captured to %zu of %zu bytes: \"%s\"", cut, n,
			    sb_str(&D.err));
		free(copy);
	}
	for (k = 14; k < n; k++) {
		for (unsigned v = 0; v < 256; v += 1 + rnd() % 17) {
			if (v == f[k] || (k == 40 && v == 0 && f[41] == 0) ||
			    (k == 41 && v == 0 && f[40] == 0))
				continue; /* a UDP checksum of zero means "none" (RFC 768) */
			copy = xmalloc(n);
			memcpy(copy, f, n);
			copy[k] = (uint8_t)v;
			check_verdict(1, copy, n, n);
			if (D.errors == 0)
				fail_msg("byte %zu := 0x%02x not caught: \"%s\"", k, v, sb_str(&D.line));
			free(copy);
		}
	}
}

/* ------------------------------------------------------------------------ */
/* netsim decode */

static void
test_cmd_decode(void **state UNUSED)
{
	char *good = shared_path("captures/tcpdump/802.1ad_QinQ.pcap");
	char *bad = shared_path("captures/negative/icmp_test.pcap");
	char *argv_none[] = {"decode", NULL};
	char *argv_opt[] = {"decode", "-x", good, NULL};
	char *argv_good[] = {"decode", "-v", good, NULL};
	char *argv_bad[] = {"decode", good, bad, NULL};
	char *argv_missing[] = {"decode", "/nonexistent.pcap", NULL};

	assert_int_equal(cmd_decode(1, argv_none), 2);
	assert_int_equal(cmd_decode(3, argv_opt), 2);
	assert_int_equal(cmd_decode(3, argv_good), 0);
	assert_int_equal(cmd_decode(3, argv_bad), 1);
	assert_int_equal(cmd_decode(2, argv_missing), 1);
	free(good);
	free(bad);
}

/* Last: it takes over DT_LLC 0xfe, which an IS-IS dissector may have registered. */
static int osi_calls;

static void
osi_dissector(struct dissect *d, const uint8_t *p, size_t len)
{
	assert_true(len > 0);
	assert_int_equal(p[0], 0x83); /* the IS-IS NLPID, whatever the framing */
	osi_calls++;
	dissect_add(d, "ISIS");
}

static void
count_osi(const struct frame *f, void *arg UNUSED)
{
	assert_int_equal(f->errors, 0);
	assert_non_null(strstr(f->line, "ISIS"));
}

static void
test_osi_framings(void **state UNUSED)
{
	static const struct {
		const char *file;
		size_t frames;
	} files[] = {
		{"captures/tcpdump/ISIS_level1_adjacency.pcap", 22}, /* 802.3 + LLC */
		{"captures/tcpdump/ISIS_p2p_adjacency.pcap", 26},    /* Cisco HDLC, padding octet */
		{"captures/tcpdump/isis_cap_tlv.pcap", 1},           /* 802.1Q + LLC */
		{"captures/tcpdump/isis_poi.pcap", 1},               /* Juniper Ethernet */
		{"captures/holo/holo_isis.pcap", 15},                /* 802.3 length 1507 */
	};
	size_t i;

	dissect_setup();
	dissect_register(DT_LLC, 0xfe, osi_dissector);
	for (i = 0; i < ARRAY_LEN(files); i++) {
		osi_calls = 0;
		assert_int_equal(decode_capture(files[i].file, count_osi, NULL), files[i].frames);
		assert_int_equal(osi_calls, (int)files[i].frames);
	}
}

static int
setup(void **state UNUSED)
{
	dissect_setup();
	dissect_init(&D);
	return 0;
}

static int
teardown(void **state UNUSED)
{
	dissect_free(&D);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_captures_clean),
		cmocka_unit_test(test_known),
		cmocka_unit_test(test_icmp_negative),
		cmocka_unit_test(test_vlan_captures),
		cmocka_unit_test(test_valid_frames),
		cmocka_unit_test(test_ipv4_corrupt_octet),
		cmocka_unit_test(test_l4_checksums),
		cmocka_unit_test(test_snaplen),
		cmocka_unit_test(test_fragments),
		cmocka_unit_test(test_not_decoded),
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_link_types),
		cmocka_unit_test(test_arp),
		cmocka_unit_test(test_icmp_errors),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_fuzz_udp_properties),
		cmocka_unit_test(test_cmd_decode),
		cmocka_unit_test(test_osi_framings),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
