/*
 * test_ospf_codec.c: the OSPFv2 wire codec (src/proto/ospf/packet.c,
 * lsa_codec.c) and its dissector (dissect.c), against real captures and the
 * checksum vectors in the shared data ($NETSIM_SHARED, else ../shared, else
 * /work/shared; missing data fails the suite, it is never skipped).
 *
 * (a) every OSPF packet of the real captures decodes, verifies and
 *     re-encodes to the same bytes; (b) the real LSA and packet checksum
 *     vectors; (c) the negative captures are rejected by the dissector;
 *     (d) hand-built packets of every type round-trip; (e) truncation at every
 *     offset is an error, never an overread; (f) RFC 2328 13.1.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "lib/buf.h"
#include "lib/cksum.h"
#include "lib/ip.h"
#include "lib/strbuf.h"
#include "lib/util.h"
#include "net/dissect.h"
#include "net/pcap.h"
#include "proto/ospf/lsa.h"
#include "lib/hash.h"
#include "proto/ospf/ospf.h"
#include "proto/ospf/packet.h"
#include "shared_data.h"

/* ------------------------------------------------------------------------ */
/* Shared data */

/* ------------------------------------------------------------------------ */
/* Frames: read with the project's pcap/pcapng reader, then Ethernet/IPv4 -> OSPF. */

/*
 * The IP payload of an IPv4 protocol-89 datagram in a captured frame, cut at
 * the IPv4 total length (Ethernet padding is not OSPF's). False otherwise.
 */
static bool
ospf_payload(uint32_t linktype, const uint8_t *f, size_t len, const uint8_t **pp, size_t *plen,
    uint32_t *src, uint32_t *dst)
{
	size_t off = 0, ihl, tot;
	uint16_t et;

	switch (linktype) {
	case LINKTYPE_ETHERNET:
		if (len < 14)
			return false;
		et = get16(f + 12);
		off = 14;
		while ((et == 0x8100 || et == 0x88a8 || et == 0x9100) && off + 4 <= len) {
			et = get16(f + off + 2);
			off += 4;
		}
		if (et != 0x0800)
			return false;
		break;
	case LINKTYPE_RAW:
	case LINKTYPE_IPV4:
		break;
	case LINKTYPE_NULL:
		off = 4;
		break;
	default:
		return false;
	}
	if (off + 20 > len || f[off] >> 4 != 4 || f[off + 9] != OSPF_IPPROTO)
		return false;
	ihl = (size_t)(f[off] & 15) * 4;
	tot = get16(f + off + 2);
	if (tot < ihl || off + tot > len || (get16(f + off + 6) & 0x3fff) != 0)
		return false;
	*pp = f + off + ihl;
	*plen = tot - ihl;
	if (src != NULL)
		*src = get32(f + off + 12);
	if (dst != NULL)
		*dst = get32(f + off + 16);
	return true;
}

struct ospf_frame {
	unsigned no;  /* 1-based frame number in the capture */
	uint8_t *p;   /* the IP payload, malloc'd to exactly len bytes (ASan sees overreads) */
	size_t len;
};

struct capture {
	struct ospf_frame *v;
	size_t n, cap;
	unsigned frames;
};

static void
capture_load(const char *rel, struct capture *c)
{
	char err[256], *path = shared_path(rel);
	struct pcap_reader *r;
	struct pcap_frame f;
	const uint8_t *p;
	size_t plen;
	int rc;

	memset(c, 0, sizeof(*c));
	r = pcap_reader_open(path, err, sizeof(err));
	if (r == NULL)
		fail_msg("%s: %s", path, err);
	while ((rc = pcap_read(r, &f, err, sizeof(err))) == 1) {
		struct ospf_frame of;

		c->frames++;
		if (!ospf_payload(f.linktype, f.data, f.caplen, &p, &plen, NULL, NULL))
			continue;
		of.no = c->frames;
		of.len = plen;
		of.p = xmalloc(plen ? plen : 1);
		memcpy(of.p, p, plen);
		VEC_PUSH(c->v, c->n, c->cap, of);
	}
	if (rc < 0)
		fail_msg("%s: %s", path, err);
	pcap_reader_close(r);
	free(path);
}

static void
capture_free(struct capture *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i].p);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static const char *const ospf_captures[] = {
	"captures/tcpdump/OSPFv2_Capture_FINAL.pcapng",
	"captures/tcpdump/ospf-ack.pcap",
	"captures/tcpdump/ospf_graceful_restart_rfc3623.pcap",
	"captures/tcpdump/ospf-nssa-bitnt.pcap",
	"captures/holo/holo_ospfv2.pcap",
	"captures/tcpdump/ospf-gmpls.pcap", /* NULL link type; TE opaque LSAs */
};

/*
 * holo's packet tests also hold bare LSAs (LSA1, GRACE_LSA1...) carried as an
 * IP payload; the .index file names each frame, and those are decoded as LSAs.
 */
static bool
holo_frame_is_lsa(const char *capture, unsigned no)
{
	char *path, *idx, line[256];
	bool lsa = false;
	unsigned n;
	FILE *fp;

	if (strstr(capture, "holo/") == NULL)
		return false;
	idx = xasprintf("%.*s.index", (int)(strrchr(capture, '.') - capture), capture);
	path = shared_path(idx);
	fp = fopen(path, "r");
	if (fp == NULL)
		fail_msg("%s: cannot open", path);
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *colon = strchr(line, ':');

		if (sscanf(line, "%u", &n) == 1 && n == no && colon != NULL)
			lsa = strstr(colon + 1, "_LSA") != NULL ||
			    (strncmp(colon + 1, "LSA", 3) == 0 && isdigit((unsigned char)colon[4]));
	}
	fclose(fp);
	free(path);
	free(idx);
	return lsa;
}

/* ------------------------------------------------------------------------ */
/* (a) real captures */

/* An LSA: checksum, body and body re-encoding (for the types netsim parses). */
static void
check_lsa(const char *what, const struct ospf_lsa *l, unsigned *nbody)
{
	char err[OSPF_ERRLEN];
	struct ospf_lsa_body b;
	struct strbuf sb = STRBUF_INIT;

	if (!ospf_lsa_cksum_ok(l->raw, l->len))
		fail_msg("%s: LSA %s %s/%s bad checksum 0x%04x should be 0x%04x", what,
		    ospf_lsa_type_name(l->hdr.type), ip_str(l->hdr.id), ip_str(l->hdr.adv_rtr),
		    l->hdr.cksum, ospf_lsa_cksum_compute(l->raw, l->len));
	if (ospf_lsa_body_decode(l, &b, err) < 0)
		fail_msg("%s: LSA body: %s", what, err);
	if (ospf_lsa_encode(&l->hdr, &b, &sb, err) < 0)
		fail_msg("%s: LSA encode: %s", what, err);
	assert_int_equal(sb.len, l->len);
	assert_memory_equal(sb.s, l->raw, l->len);
	(*nbody)++;
	ospf_lsa_body_free(&b);
	sb_free(&sb);
}

static void
test_real_captures(void **state UNUSED)
{
	unsigned pkts = 0, reenc = 0, crypt = 0, lsas = 0, bodies = 0, bare = 0;
	size_t fi, i, j;

	for (fi = 0; fi < ARRAY_LEN(ospf_captures); fi++) {
		struct capture c;
		unsigned before = pkts + bare;

		capture_load(ospf_captures[fi], &c);
		for (i = 0; i < c.n; i++) {
			const struct ospf_frame *f = &c.v[i];
			char what[160], err[OSPF_ERRLEN];
			struct strbuf sb = STRBUF_INIT;
			struct ospf_pkt pkt;

			snprintf(what, sizeof(what), "%s:%u", ospf_captures[fi], f->no);
			if (holo_frame_is_lsa(ospf_captures[fi], f->no)) {
				struct ospf_lsa l;

				if (ospf_lsa_decode(f->p, f->len, &l, err) < 0)
					fail_msg("%s: %s", what, err);
				assert_int_equal(l.len, f->len);
				check_lsa(what, &l, &bodies);
				bare++;
				continue;
			}
			if (ospf_pkt_decode(f->p, f->len, &pkt, err) < 0)
				fail_msg("%s: %s", what, err);
			pkts++;
			if (pkt.hdr.autype == OSPF_AUTH_CRYPT)
				crypt++; /* D.4.3: no checksum to verify */
			else if (!ospf_pkt_cksum_ok(f->p, pkt.hdr.length))
				fail_msg("%s: bad packet checksum 0x%04x should be 0x%04x", what,
				    pkt.hdr.cksum, ospf_pkt_cksum_compute(f->p, pkt.hdr.length));
			if (pkt.hdr.type == OSPF_LSU)
				for (j = 0; j < pkt.lsu.nlsas; j++, lsas++)
					check_lsa(what, &pkt.lsu.lsas[j], &bodies);
			if (ospf_pkt_encode(&pkt, &sb, err) < 0)
				fail_msg("%s: encode: %s", what, err);
			if (sb.len != pkt.hdr.length || memcmp(sb.s, f->p, sb.len) != 0)
				fail_msg("%s: re-encoding differs (%zu vs %u bytes)", what, sb.len,
				    pkt.hdr.length);
			reenc++;
			sb_free(&sb);
			ospf_pkt_free(&pkt);
		}
		if (pkts + bare == before)
			fail_msg("%s: no OSPF frames", ospf_captures[fi]);
		capture_free(&c);
	}
	print_message("real captures: %u packets decoded (%u with crypto auth), %u re-encoded "
	    "byte-identical, %u LSAs in updates, %u bare LSAs, %u LSA bodies round-tripped\n",
	    pkts, crypt, reenc, lsas, bare, bodies);
	assert_int_equal(reenc, pkts);
	assert_true(pkts >= 50);
}

/* ------------------------------------------------------------------------ */
/* (b) checksum vectors */

static size_t
unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned v;

	while (s[0] != '\0' && s[1] != '\0' && n < cap && sscanf(s, "%2x", &v) == 1) {
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static void
test_checksum_vectors(void **state UNUSED)
{
	char *path = shared_path("vectors/real_checksum_vectors.tsv");
	static char line[200000];
	static uint8_t b[70000];
	unsigned nlsa = 0, npkt = 0, lineno = 0;
	FILE *fp = fopen(path, "r");

	if (fp == NULL)
		fail_msg("%s: cannot open", path);
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *kind = strtok(line, "\t"), *src = strtok(NULL, "\t");
		char *cs = strtok(NULL, "\t"), *hex = strtok(NULL, "\t\r\n");
		unsigned stored;
		size_t n;

		lineno++;
		if (kind == NULL || kind[0] == '#' || hex == NULL || strncmp(kind, "ospf_", 5) != 0)
			continue;
		stored = (unsigned)strtoul(cs, NULL, 16);
		n = unhex(hex, b, sizeof(b));
		assert_int_equal(n * 2, strlen(hex));
		if (strcmp(kind, "ospf_lsa") == 0) {
			/* The whole LSA, LS age included; the checksum is at offset 16. */
			assert_true(n >= OSPF_LSA_HDRLEN);
			assert_int_equal(get16(b + 16), stored);
			if (!ospf_lsa_cksum_ok(b, n))
				fail_msg("line %u %s: LSA checksum does not verify", lineno, src);
			assert_int_equal(ospf_lsa_cksum_compute(b, n), stored);
			put16(b + 16, 0);
			assert_int_equal(ospf_lsa_cksum_set(b, n), stored);
			assert_int_equal(get16(b + 16), stored);
			nlsa++;
		} else if (strcmp(kind, "ospf_pkt") == 0) {
			/* The whole packet (length bytes), checksum at 12, auth at 16..23. */
			assert_true(n >= OSPF_HDRLEN);
			assert_int_equal(get16(b + 2), n);
			assert_int_equal(get16(b + 12), stored);
			assert_int_not_equal(get16(b + 14), OSPF_AUTH_CRYPT);
			if (!ospf_pkt_cksum_ok(b, n))
				fail_msg("line %u %s: packet checksum wrong", lineno, src);
			put16(b + 12, 0);
			assert_int_equal(ospf_pkt_cksum_compute(b, n), stored);
			npkt++;
		}
	}
	fclose(fp);
	free(path);
	print_message("checksum vectors: %u ospf_lsa and %u ospf_pkt verified and recomputed\n",
	    nlsa, npkt);
	assert_int_equal(nlsa, 213);
	assert_int_equal(npkt, 381);
}

/* ------------------------------------------------------------------------ */
/* (c) the dissector: real captures are clean, negative ones are rejected */

static void
dissect_payload(struct dissect *d, const uint8_t *p, size_t len)
{
	dissect_reset(d);
	assert_true(dissect_call(d, DT_IPPROTO, OSPF_IPPROTO, p, len));
	assert_true(d->known);
}

static void
test_dissect_real(void **state UNUSED)
{
	struct dissect d;
	unsigned n = 0;
	size_t fi, i;

	ospf_dissect_setup();
	dissect_init(&d);
	for (fi = 0; fi < ARRAY_LEN(ospf_captures); fi++) {
		struct capture c;

		capture_load(ospf_captures[fi], &c);
		for (i = 0; i < c.n; i++) {
			if (holo_frame_is_lsa(ospf_captures[fi], c.v[i].no))
				continue;
			d.verbose = (int)(i & 1);
			dissect_payload(&d, c.v[i].p, c.v[i].len);
			if (d.errors != 0)
				fail_msg("%s:%u: %s (%s)", ospf_captures[fi], c.v[i].no,
				    sb_str(&d.err), sb_str(&d.line));
			assert_true(strncmp(sb_str(&d.line), "OSPFv2 ", 7) == 0);
			n++;
		}
		capture_free(&c);
	}
	/* The first frame of the whole-adjacency capture: a Hello from 192.168.121.5. */
	{
		struct capture c;

		capture_load("captures/tcpdump/OSPFv2_Capture_FINAL.pcapng", &c);
		d.verbose = 0;
		dissect_payload(&d, c.v[0].p, c.v[0].len);
		print_message("frame 1: %s\n", sb_str(&d.line));
		assert_true(strncmp(sb_str(&d.line), "OSPFv2 Hello rid ", 17) == 0);
		assert_non_null(strstr(sb_str(&d.line), " hello 10 dead 40 pri "));
		dissect_payload(&d, c.v[8].p, c.v[8].len);
		print_message("frame %u: %.150s...\n", c.v[8].no, sb_str(&d.line));
		assert_true(strncmp(sb_str(&d.line), "OSPFv2 LSUpdate rid ", 20) == 0);
		capture_free(&c);
	}
	dissect_free(&d);
	print_message("dissector: %u real OSPF packets without error\n", n);
}

static void
test_dissect_negative(void **state UNUSED)
{
	static const struct {
		const char *file;
		const char *want;
	} neg[] = {
		{"captures/negative/ospf_pkt_badcsum.pcap", "OSPF: bad checksum"},
		{"captures/negative/ospf_lsa_badcsum.pcap", "bad checksum"},
		{"captures/negative/ospf_lsa_only_badcsum.pcap", "LSA 1 "},
	};
	struct dissect d;
	size_t i, j;

	ospf_dissect_setup();
	dissect_init(&d);
	for (i = 0; i < ARRAY_LEN(neg); i++) {
		struct capture c;
		int errors = 0;

		capture_load(neg[i].file, &c);
		assert_true(c.n > 0);
		for (j = 0; j < c.n; j++) {
			dissect_payload(&d, c.v[j].p, c.v[j].len);
			errors += d.errors;
			print_message("%s:%u: rejected: %s\n", neg[i].file, c.v[j].no,
			    sb_str(&d.err));
			if (d.errors > 0 && strstr(sb_str(&d.err), neg[i].want) == NULL)
				fail_msg("%s: error lacks \"%s\": %s", neg[i].file, neg[i].want,
				    sb_str(&d.err));
		}
		if (errors == 0)
			fail_msg("%s: accepted", neg[i].file);
		capture_free(&c);
	}
	/* The LSA-only file keeps a valid packet checksum: only the LSA is wrong. */
	{
		struct capture c;

		capture_load("captures/negative/ospf_lsa_only_badcsum.pcap", &c);
		dissect_payload(&d, c.v[0].p, c.v[0].len);
		assert_null(strstr(sb_str(&d.err), "OSPF: bad checksum"));
		assert_non_null(strstr(sb_str(&d.err), "bad checksum 0x"));
		assert_non_null(strstr(sb_str(&d.err), " should be 0x"));
		capture_free(&c);
	}
	/* A bad version, a bad length and a truncated body are errors too. */
	{
		uint8_t hello[OSPF_HELLO_MINLEN] = {2, 1, 0, OSPF_HELLO_MINLEN};

		put16(hello + 12, ospf_pkt_cksum_compute(hello, sizeof(hello)));
		dissect_payload(&d, hello, sizeof(hello));
		assert_int_equal(d.errors, 0);
		hello[0] = 3;
		dissect_payload(&d, hello, sizeof(hello));
		assert_non_null(strstr(sb_str(&d.err), "version 3"));
		hello[0] = 2;
		hello[3] = OSPF_HELLO_MINLEN + 4;
		dissect_payload(&d, hello, sizeof(hello));
		assert_non_null(strstr(sb_str(&d.err), "exceeds"));
		hello[3] = OSPF_HELLO_MINLEN - 4;
		dissect_payload(&d, hello, sizeof(hello) - 4);
		assert_non_null(strstr(sb_str(&d.err), "Hello: length 40 below minimum 44"));
		dissect_payload(&d, hello, 10);
		assert_true(d.errors > 0);
	}
	dissect_free(&d);
}

/*
 * Two tcpdump captures carry wrong checksums (shared/captures/README.md): the
 * codec still decodes and re-encodes them (to the right checksum), and the
 * dissector names the wrong one.
 */
static void
test_wrong_checksum_captures(void **state UNUSED)
{
	static const struct {
		const char *file;
		const char *want;
	} edge[] = {
		{"captures/tcpdump/ospf-sr.pcapng", "OSPF: bad checksum 0x421d (should be 0x1d42)"},
		{"captures/tcpdump/ospf-sr-ri-sid.pcap",
		    "LSA 1 Opaque-Area 4.0.0.0/2.2.2.2 bad checksum 0xb423 should be 0x26d5"},
	};
	struct dissect d;
	size_t i, j;

	ospf_dissect_setup();
	dissect_init(&d);
	for (i = 0; i < ARRAY_LEN(edge); i++) {
		struct strbuf sb = STRBUF_INIT;
		struct ospf_pkt pkt;
		struct capture c;
		char err[OSPF_ERRLEN];

		capture_load(edge[i].file, &c);
		assert_int_equal(c.n, 1);
		if (ospf_pkt_decode(c.v[0].p, c.v[0].len, &pkt, err) < 0)
			fail_msg("%s: %s", edge[i].file, err);
		assert_false(ospf_pkt_cksum_ok(c.v[0].p, pkt.hdr.length));
		for (j = 0; j < pkt.lsu.nlsas; j++) {
			struct ospf_lsa_body b;

			assert_int_equal(ospf_lsa_body_decode(&pkt.lsu.lsas[j], &b, NULL), 0);
			ospf_lsa_body_free(&b);
		}
		assert_int_equal(ospf_pkt_encode(&pkt, &sb, err), 0);
		assert_int_equal(sb.len, pkt.hdr.length);
		assert_memory_equal(sb.s, c.v[0].p, 12);
		assert_memory_equal(sb.s + 14, c.v[0].p + 14, sb.len - 14);
		assert_int_equal(get16((uint8_t *)sb.s + 12),
		    ospf_pkt_cksum_compute(c.v[0].p, pkt.hdr.length));
		dissect_payload(&d, c.v[0].p, c.v[0].len);
		if (strstr(sb_str(&d.err), edge[i].want) == NULL)
			fail_msg("%s: want \"%s\" in \"%s\"", edge[i].file, edge[i].want,
			    sb_str(&d.err));
		sb_free(&sb);
		ospf_pkt_free(&pkt);
		capture_free(&c);
	}
	dissect_free(&d);
}

/* ------------------------------------------------------------------------ */
/* (d) hand-built packets round-trip */

static const uint8_t *
encode_lsa(struct strbuf *sb, const struct ospf_lsa_hdr *h, const struct ospf_lsa_body *b,
    struct ospf_lsa *out)
{
	char err[OSPF_ERRLEN];
	struct strbuf again = STRBUF_INIT;
	struct ospf_lsa_body b2;
	uint8_t *p;

	sb_reset(sb);
	if (ospf_lsa_encode(h, b, sb, err) < 0)
		fail_msg("encode: %s", err);
	p = xmalloc(sb->len);
	memcpy(p, sb->s, sb->len);
	if (ospf_lsa_decode(p, sb->len, out, err) < 0)
		fail_msg("decode: %s", err);
	assert_true(ospf_lsa_cksum_ok(p, out->len));
	assert_int_equal(out->hdr.length, sb->len);
	assert_int_equal(out->hdr.type, h->type);
	assert_int_equal(out->hdr.id, h->id);
	assert_int_equal(out->hdr.adv_rtr, h->adv_rtr);
	assert_int_equal(out->hdr.seq, h->seq);
	assert_int_equal(out->hdr.age, h->age);
	assert_int_equal(out->hdr.options, h->options);
	if (ospf_lsa_body_decode(out, &b2, err) < 0)
		fail_msg("body: %s", err);
	assert_int_equal(ospf_lsa_encode(&out->hdr, &b2, &again, err), 0);
	assert_int_equal(again.len, sb->len);
	assert_memory_equal(again.s, p, sb->len);
	ospf_lsa_body_free(&b2);
	sb_free(&again);
	return p;
}

/* Encode, decode, encode again: the same bytes, and the decoded fields. */
static void
roundtrip(const struct ospf_pkt *in, struct ospf_pkt *out, struct strbuf *sb, uint8_t **bytes)
{
	char err[OSPF_ERRLEN];
	struct strbuf again = STRBUF_INIT;

	sb_reset(sb);
	if (ospf_pkt_encode(in, sb, err) < 0)
		fail_msg("encode: %s", err);
	*bytes = xmalloc(sb->len);
	memcpy(*bytes, sb->s, sb->len);
	if (ospf_pkt_decode(*bytes, sb->len, out, err) < 0)
		fail_msg("decode: %s", err);
	assert_true(ospf_pkt_cksum_ok(*bytes, sb->len));
	assert_int_equal(out->hdr.length, sb->len);
	assert_int_equal(out->hdr.version, 2);
	assert_int_equal(out->hdr.type, in->hdr.type);
	assert_int_equal(out->hdr.rtr_id, in->hdr.rtr_id);
	assert_int_equal(out->hdr.area_id, in->hdr.area_id);
	assert_int_equal(out->hdr.autype, in->hdr.autype);
	assert_memory_equal(out->hdr.auth, in->hdr.auth, 8);
	assert_null(out->trailer);
	if (ospf_pkt_encode(out, &again, err) < 0)
		fail_msg("re-encode: %s", err);
	assert_int_equal(again.len, sb->len);
	assert_memory_equal(again.s, sb->s, sb->len);
	sb_free(&again);
}

static void
test_handbuilt(void **state UNUSED)
{
	struct strbuf sb = STRBUF_INIT, lsab = STRBUF_INIT;
	struct ospf_pkt in, out;
	uint8_t *bytes, *lsabytes[6];
	uint32_t nbrs[3] = {0x01010101, 0x02020202, 0x03030303};
	struct ospf_lsa_hdr hdrs[2] = {
		{.age = 1, .options = OSPF_OPT_E, .type = 1, .id = 0x01010101,
		    .adv_rtr = 0x01010101, .seq = OSPF_INITIAL_SEQ, .cksum = 0x1234, .length = 36},
		{.age = 3600, .options = 0x22, .type = 5, .id = 0x0a000000,
		    .adv_rtr = 0x02020202, .seq = 0x80000010, .cksum = 0xfedc, .length = 36},
	};
	struct ospf_lsr_ent reqs[2] = {{1, 0x01010101, 0x01010101}, {5, 0x0a000000, 0x02020202}};
	struct ospf_rtr_link links[3] = {
		{.id = 0x02020202, .data = 0x0a000101, .type = OSPF_LINK_PTP, .metric = 10},
		{.id = 0x0a000100, .data = 0xffffff00, .type = OSPF_LINK_STUB, .metric = 10},
		{.id = 0x0a000202, .data = 0x0a000201, .type = OSPF_LINK_TRANSIT, .metric = 1,
		    .ntos = 1, .tos = (const uint8_t *)"\x08\x00\x00\x05"},
	};
	uint32_t attached[2] = {0x01010101, 0x02020202};
	struct ospf_lsa lsas[6];
	struct ospf_lsa_hdr lh = {.age = 0, .options = OSPF_OPT_E, .id = 0x01010101,
	    .adv_rtr = 0x01010101, .seq = OSPF_INITIAL_SEQ};
	struct ospf_lsa_body body;
	size_t i;

	/* Hello, AuType 1 (simple password: covered by the checksum exclusion too). */
	memset(&in, 0, sizeof(in));
	in.hdr = (struct ospf_hdr){.version = 2, .type = OSPF_HELLO, .rtr_id = 0x01010101,
	    .area_id = 0, .autype = OSPF_AUTH_SIMPLE, .auth = "secret!"};
	in.hello = (struct ospf_hello){.mask = 0xffffff00, .hello_ivl = 10,
	    .options = OSPF_OPT_E, .prio = 1, .dead_ivl = 40, .dr = 0x0a000101, .bdr = 0,
	    .nnbrs = 3, .nbrs = nbrs};
	roundtrip(&in, &out, &sb, &bytes);
	assert_int_equal(sb.len, 44 + 12);
	assert_int_equal(out.hello.mask, 0xffffff00);
	assert_int_equal(out.hello.hello_ivl, 10);
	assert_int_equal(out.hello.dead_ivl, 40);
	assert_int_equal(out.hello.prio, 1);
	assert_int_equal(out.hello.options, OSPF_OPT_E);
	assert_int_equal(out.hello.dr, 0x0a000101);
	assert_int_equal(out.hello.nnbrs, 3);
	assert_memory_equal(out.hello.nbrs, nbrs, sizeof(nbrs));
	/* D.4.2: changing the password does not change the checksum. */
	memcpy(bytes + 16, "other!!!", 8);
	assert_true(ospf_pkt_cksum_ok(bytes, sb.len));
	bytes[40] ^= 1;
	assert_false(ospf_pkt_cksum_ok(bytes, sb.len));
	ospf_pkt_free(&out);
	free(bytes);

	/* Database Description, cryptographic auth: no checksum (D.4.3). */
	memset(&in, 0, sizeof(in));
	in.hdr = (struct ospf_hdr){.version = 2, .type = OSPF_DD, .rtr_id = 0x02020202,
	    .area_id = 1, .autype = OSPF_AUTH_CRYPT, .auth = {0, 0, 7, 16, 0, 0, 1, 2}};
	in.dd = (struct ospf_dd){.mtu = 1500, .options = 0x42,
	    .flags = OSPF_DD_I | OSPF_DD_M | OSPF_DD_MS, .seq = 0x12345678, .nlsas = 2,
	    .lsas = hdrs};
	roundtrip(&in, &out, &sb, &bytes);
	assert_int_equal(sb.len, 32 + 40);
	assert_int_equal(get16(bytes + 12), 0);
	assert_int_equal(ospf_auth_key_id(&out.hdr), 7);
	assert_int_equal(ospf_auth_len(&out.hdr), 16);
	assert_int_equal(ospf_auth_seq(&out.hdr), 0x0102);
	assert_int_equal(out.dd.mtu, 1500);
	assert_int_equal(out.dd.flags, 7);
	assert_int_equal(out.dd.seq, 0x12345678);
	assert_int_equal(out.dd.nlsas, 2);
	assert_memory_equal(out.dd.lsas, hdrs, sizeof(hdrs));
	ospf_pkt_free(&out);
	free(bytes);

	/* Link State Request */
	memset(&in, 0, sizeof(in));
	in.hdr = (struct ospf_hdr){.version = 2, .type = OSPF_LSR, .rtr_id = 0x03030303};
	in.lsr = (struct ospf_lsr){.nreqs = 2, .reqs = reqs};
	roundtrip(&in, &out, &sb, &bytes);
	assert_int_equal(sb.len, 24 + 24);
	assert_int_equal(out.lsr.nreqs, 2);
	assert_memory_equal(out.lsr.reqs, reqs, sizeof(reqs));
	ospf_pkt_free(&out);
	free(bytes);

	/* LSAs of every body type, then a Link State Update carrying them. */
	lh.type = OSPF_LSA_ROUTER;
	body = (struct ospf_lsa_body){.type = OSPF_LSA_ROUTER};
	body.rtr = (struct ospf_router_lsa){.flags = OSPF_RTR_E | OSPF_RTR_B, .nlinks = 3,
	    .links = links};
	lsabytes[0] = (uint8_t *)encode_lsa(&lsab, &lh, &body, &lsas[0]);
	assert_int_equal(lsas[0].len, 20 + 4 + 36 + 4);
	{
		struct ospf_lsa_body b;

		assert_int_equal(ospf_lsa_body_decode(&lsas[0], &b, NULL), 0);
		assert_int_equal(b.rtr.flags, OSPF_RTR_E | OSPF_RTR_B);
		assert_int_equal(b.rtr.nlinks, 3);
		for (i = 0; i < 3; i++) {
			assert_int_equal(b.rtr.links[i].id, links[i].id);
			assert_int_equal(b.rtr.links[i].data, links[i].data);
			assert_int_equal(b.rtr.links[i].type, links[i].type);
			assert_int_equal(b.rtr.links[i].metric, links[i].metric);
			assert_int_equal(b.rtr.links[i].ntos, links[i].ntos);
		}
		ospf_lsa_body_free(&b);
	}
	lh.type = OSPF_LSA_NETWORK;
	lh.id = 0x0a000201;
	body = (struct ospf_lsa_body){.type = OSPF_LSA_NETWORK};
	body.net = (struct ospf_network_lsa){.mask = 0xffffff00, .nrtrs = 2, .rtrs = attached};
	lsabytes[1] = (uint8_t *)encode_lsa(&lsab, &lh, &body, &lsas[1]);
	assert_int_equal(lsas[1].len, 32);
	lh.type = OSPF_LSA_SUMMARY;
	lh.id = 0x0a010000;
	body = (struct ospf_lsa_body){.type = OSPF_LSA_SUMMARY};
	body.sum = (struct ospf_summary_lsa){.mask = 0xffff0000, .metric = 0x123456};
	lsabytes[2] = (uint8_t *)encode_lsa(&lsab, &lh, &body, &lsas[2]);
	assert_int_equal(lsas[2].len, 28);
	assert_int_equal(get24(lsas[2].raw + 25), 0x123456);
	lh.type = OSPF_LSA_ASBR_SUMMARY;
	lh.id = 0x04040404;
	body.type = OSPF_LSA_ASBR_SUMMARY;
	body.sum = (struct ospf_summary_lsa){.mask = 0, .metric = 20};
	lsabytes[3] = (uint8_t *)encode_lsa(&lsab, &lh, &body, &lsas[3]);
	lh.type = OSPF_LSA_EXTERNAL;
	lh.id = 0xc0a80000;
	body = (struct ospf_lsa_body){.type = OSPF_LSA_EXTERNAL};
	body.ext = (struct ospf_external_lsa){.mask = 0xffffff00, .ebit = true, .metric = 20,
	    .fwd = 0x0a000302, .tag = 0xdeadbeef};
	lsabytes[4] = (uint8_t *)encode_lsa(&lsab, &lh, &body, &lsas[4]);
	assert_int_equal(lsas[4].len, 36);
	assert_int_equal(lsas[4].raw[24], 0x80);
	{
		struct ospf_lsa_body b;

		assert_int_equal(ospf_lsa_body_decode(&lsas[4], &b, NULL), 0);
		assert_true(b.ext.ebit);
		assert_int_equal(b.ext.metric, 20);
		assert_int_equal(b.ext.fwd, 0x0a000302);
		assert_int_equal(b.ext.tag, 0xdeadbeef);
		ospf_lsa_body_free(&b);
	}
	lh.type = OSPF_LSA_OPAQUE_AREA;
	lh.id = 1u << 24 | 5; /* TE (RFC 3630), instance 5 */
	body = (struct ospf_lsa_body){.type = OSPF_LSA_OPAQUE_AREA};
	body.raw.p = (const uint8_t *)"\x00\x01\x00\x04\x0a\x00\x00\x01";
	body.raw.len = 8;
	lsabytes[5] = (uint8_t *)encode_lsa(&lsab, &lh, &body, &lsas[5]);
	assert_int_equal(OSPF_OPAQUE_TYPE(lsas[5].hdr.id), 1);
	assert_int_equal(OSPF_OPAQUE_ID(lsas[5].hdr.id), 5);

	memset(&in, 0, sizeof(in));
	in.hdr = (struct ospf_hdr){.version = 2, .type = OSPF_LSU, .rtr_id = 0x01010101};
	in.lsu = (struct ospf_lsu){.nlsas = 6, .lsas = lsas};
	roundtrip(&in, &out, &sb, &bytes);
	assert_int_equal(out.lsu.nlsas, 6);
	for (i = 0; i < 6; i++) {
		assert_int_equal(out.lsu.lsas[i].len, lsas[i].len);
		assert_memory_equal(out.lsu.lsas[i].raw, lsas[i].raw, lsas[i].len);
		assert_memory_equal(&out.lsu.lsas[i].hdr, &lsas[i].hdr, sizeof(lsas[i].hdr));
	}
	ospf_pkt_free(&out);
	free(bytes);

	/* Link State Acknowledgment, of the headers just built. */
	{
		struct ospf_lsa_hdr acked[6];

		for (i = 0; i < 6; i++)
			acked[i] = lsas[i].hdr;
		memset(&in, 0, sizeof(in));
		in.hdr = (struct ospf_hdr){.version = 2, .type = OSPF_LSACK, .rtr_id = 0x01010101};
		in.ack = (struct ospf_lsack){.nlsas = 6, .lsas = acked};
		roundtrip(&in, &out, &sb, &bytes);
		assert_int_equal(sb.len, 24 + 6 * 20);
		assert_memory_equal(out.ack.lsas, acked, sizeof(acked));
		ospf_pkt_free(&out);
		free(bytes);
	}

	/* Empty bodies are legal for LSR, LSU and LSAck. */
	memset(&in, 0, sizeof(in));
	in.hdr = (struct ospf_hdr){.version = 2, .type = OSPF_LSU};
	roundtrip(&in, &out, &sb, &bytes);
	assert_int_equal(sb.len, 28);
	ospf_pkt_free(&out);
	free(bytes);

	/* Encoding refuses what cannot be on the wire. */
	body = (struct ospf_lsa_body){.type = OSPF_LSA_SUMMARY};
	body.sum.metric = 0x1000000;
	lh.type = OSPF_LSA_SUMMARY;
	assert_int_equal(ospf_lsa_encode(&lh, &body, &lsab, NULL), -1);
	lh.type = OSPF_LSA_NETWORK;
	assert_int_equal(ospf_lsa_encode(&lh, &body, &lsab, NULL), -1);
	in.hdr.type = 9;
	assert_int_equal(ospf_pkt_encode(&in, &sb, NULL), -1);

	for (i = 0; i < 6; i++)
		free(lsabytes[i]);
	sb_free(&sb);
	sb_free(&lsab);
}

/* The error messages name the offending field. */
static void
test_errors(void **state UNUSED)
{
	char err[OSPF_ERRLEN];
	struct ospf_pkt pkt;
	struct ospf_lsa l;
	struct ospf_lsa_body b;
	uint8_t p[24 + 4 + 3 * 20 + 20];
	size_t i;

	/* An LSU announcing 3 LSAs of 20 bytes, the third claiming 24. */
	memset(p, 0, sizeof(p));
	p[0] = 2;
	p[1] = OSPF_LSU;
	put16(p + 2, 24 + 4 + 3 * 20);
	put32(p + 24, 3);
	for (i = 0; i < 3; i++)
		put16(p + 28 + 20 * i + 18, 20);
	assert_int_equal(ospf_pkt_decode(p, 24 + 4 + 60, &pkt, err), 0);
	assert_int_equal(pkt.lsu.nlsas, 3);
	ospf_pkt_free(&pkt);
	put16(p + 28 + 40 + 18, 24);
	assert_int_equal(ospf_pkt_decode(p, sizeof(p), &pkt, err), -1);
	assert_string_equal(err, "LSU: LSA 3 length 24 exceeds packet (20 bytes left)");
	put16(p + 28 + 40 + 18, 8);
	assert_int_equal(ospf_pkt_decode(p, sizeof(p), &pkt, err), -1);
	assert_string_equal(err, "LSU: LSA 3 length 8 below header size 20");
	/* A hostile count: an error after walking what is there, no huge allocation. */
	put16(p + 28 + 40 + 18, 20);
	put32(p + 24, 0xffffffffu);
	assert_int_equal(ospf_pkt_decode(p, sizeof(p), &pkt, err), -1);
	assert_string_equal(err, "LSU: LSA 4 of 4294967295 header truncated (0 bytes left)");
	put32(p + 24, 2);
	assert_int_equal(ospf_pkt_decode(p, sizeof(p), &pkt, err), -1);
	assert_string_equal(err, "LSU: 20 bytes after the last of 2 LSAs");

	put16(p + 2, 100);
	assert_int_equal(ospf_pkt_decode(p, 88, &pkt, err), -1);
	assert_string_equal(err, "length 100 exceeds data (88 bytes)");
	put16(p + 2, 20);
	assert_int_equal(ospf_pkt_decode(p, 88, &pkt, err), -1);
	assert_string_equal(err, "length 20 below header size 24");
	put16(p + 2, 24);
	p[1] = 6;
	assert_int_equal(ospf_pkt_decode(p, 88, &pkt, err), -1);
	assert_string_equal(err, "unknown packet type 6");
	p[1] = OSPF_DD;
	put16(p + 2, 24 + 8 + 10);
	assert_int_equal(ospf_pkt_decode(p, 88, &pkt, err), -1);
	assert_string_equal(err, "DD: 10 bytes of LSA headers is not a multiple of 20");
	p[1] = OSPF_LSR;
	put16(p + 2, 24 + 8);
	assert_int_equal(ospf_pkt_decode(p, 88, &pkt, err), -1);
	assert_string_equal(err, "LSR: 8 bytes of requests is not a multiple of 12");
	p[1] = OSPF_LSACK;
	assert_int_equal(ospf_pkt_decode(p, 88, &pkt, err), -1);
	assert_string_equal(err, "LSAck: 8 bytes of LSA headers is not a multiple of 20");
	p[1] = OSPF_HELLO;
	put16(p + 2, 24 + 20 + 2);
	assert_int_equal(ospf_pkt_decode(p, 88, &pkt, err), -1);
	assert_string_equal(err, "Hello: 2 bytes of neighbors is not a multiple of 4");
	assert_int_equal(ospf_pkt_decode(p, 23, &pkt, err), -1);
	assert_string_equal(err, "header truncated (23 of 24 bytes)");

	/* A router-LSA whose second link claims 2 TOS metrics that are not there. */
	memset(p, 0, sizeof(p));
	p[3] = OSPF_LSA_ROUTER;
	put16(p + 18, 20 + 4 + 12 + 12 + 4);
	put16(p + 22, 2);
	p[24 + 12 + 9] = 2;
	assert_int_equal(ospf_lsa_decode(p, sizeof(p), &l, err), 0);
	assert_int_equal(ospf_lsa_body_decode(&l, &b, err), -1);
	assert_string_equal(err, "Router-LSA: link 2 # TOS 2 needs 8 more bytes (4 left)");
	put16(p + 18, 20 + 4 + 12 + 8);
	assert_int_equal(ospf_lsa_decode(p, sizeof(p), &l, err), 0);
	assert_int_equal(ospf_lsa_body_decode(&l, &b, err), -1);
	assert_string_equal(err, "Router-LSA: link 2 of 2 truncated (8 bytes left, need 12)");
	put16(p + 18, 200);
	assert_int_equal(ospf_lsa_decode(p, sizeof(p), &l, err), -1);
	assert_string_equal(err, "LSA length 200 exceeds data (108 bytes)");
	p[3] = OSPF_LSA_EXTERNAL;
	put16(p + 18, 20 + 16 + 4);
	assert_int_equal(ospf_lsa_decode(p, sizeof(p), &l, err), 0);
	assert_int_equal(ospf_lsa_body_decode(&l, &b, err), -1);
	assert_string_equal(err, "AS-external-LSA: 4 bytes of TOS entries is not a multiple of 12");
}

/* ------------------------------------------------------------------------ */
/* (e) truncation and length corruption of real packets */

static void
decode_all_ways(const uint8_t *p, size_t len, unsigned *errs)
{
	char err[OSPF_ERRLEN];
	struct ospf_pkt pkt;
	size_t i;

	if (ospf_pkt_decode(p, len, &pkt, err) < 0) {
		(*errs)++;
		return;
	}
	if (pkt.hdr.type == OSPF_LSU)
		for (i = 0; i < pkt.lsu.nlsas; i++) {
			struct ospf_lsa_body b;

			if (ospf_lsa_body_decode(&pkt.lsu.lsas[i], &b, err) == 0)
				ospf_lsa_body_free(&b);
			(void)ospf_lsa_cksum_ok(pkt.lsu.lsas[i].raw, pkt.lsu.lsas[i].len);
		}
	ospf_pkt_free(&pkt);
}

struct trunc_counts {
	unsigned cuts, lsacuts, mutated, errs;
};

/* Every prefix of the packet, in a buffer of exactly that size: always an error. */
static void
cut_packet(const struct ospf_frame *f, size_t plen, struct trunc_counts *n)
{
	struct ospf_pkt pkt;
	size_t cut;

	for (cut = 0; cut < plen; cut++) {
		uint8_t *q = xmalloc(cut ? cut : 1);

		memcpy(q, f->p, cut);
		if (ospf_pkt_decode(q, cut, &pkt, NULL) == 0)
			fail_msg("frame %u cut at %zu decoded", f->no, cut);
		n->cuts++;
		free(q);
	}
}

/* Every value of the packet length field, and of each LSA's length field. */
static void
corrupt_lengths(const struct ospf_frame *f, size_t plen, struct trunc_counts *n)
{
	uint8_t *q = xmalloc(f->len);
	size_t v, off, l;

	for (v = 0; v <= f->len + 4; v++) {
		memcpy(q, f->p, f->len);
		put16(q + 2, (uint16_t)v);
		decode_all_ways(q, f->len, &n->errs);
		n->mutated++;
	}
	for (off = OSPF_LSU_MINLEN; f->p[1] == OSPF_LSU && off + 20 <= plen; off += l) {
		l = get16(f->p + off + 18);
		for (v = 0; v < l + 24; v++) {
			memcpy(q, f->p, f->len);
			put16(q + off + 18, (uint16_t)v);
			decode_all_ways(q, plen, &n->errs);
			n->mutated++;
		}
	}
	free(q);
}

/* Every LSA of an update cut at every length: an error from ospf_lsa_decode. */
static void
cut_lsas(const struct ospf_frame *f, struct trunc_counts *n)
{
	struct ospf_lsa_body b;
	struct ospf_pkt pkt;
	struct ospf_lsa ql;
	size_t j, cut;

	assert_int_equal(ospf_pkt_decode(f->p, f->len, &pkt, NULL), 0);
	for (j = 0; j < pkt.lsu.nlsas; j++) {
		const struct ospf_lsa *l = &pkt.lsu.lsas[j];

		for (cut = 0; cut < l->len; cut++) {
			uint8_t *q = xmalloc(cut ? cut : 1);

			memcpy(q, l->raw, cut);
			assert_int_equal(ospf_lsa_decode(q, cut, &ql, NULL), -1);
			/* The body parser on a cut view, as a careless caller might build. */
			if (cut >= OSPF_LSA_HDRLEN) {
				ql.raw = q;
				ql.len = cut;
				assert_int_equal(ospf_lsa_hdr_decode(q, cut, &ql.hdr, NULL), 0);
				if (ospf_lsa_body_decode(&ql, &b, NULL) == 0)
					ospf_lsa_body_free(&b);
			}
			n->lsacuts++;
			free(q);
		}
	}
	ospf_pkt_free(&pkt);
}

static void
test_truncation(void **state UNUSED)
{
	static const char *const trunc_captures[] = {
		"captures/tcpdump/OSPFv2_Capture_FINAL.pcapng",
		"captures/holo/holo_ospfv2.pcap", /* with LLS and authentication trailers */
	};
	struct trunc_counts n = {0};
	struct ospf_pkt whole;
	struct capture c;
	size_t ci, i;

	for (ci = 0; ci < ARRAY_LEN(trunc_captures); ci++) {
		capture_load(trunc_captures[ci], &c);
		for (i = 0; i < c.n; i++) {
			const struct ospf_frame *f = &c.v[i];

			if (ospf_pkt_decode(f->p, f->len, &whole, NULL) < 0)
				continue; /* holo's bare LSAs */
			ospf_pkt_free(&whole);
			cut_packet(f, get16(f->p + 2), &n);
			corrupt_lengths(f, get16(f->p + 2), &n);
			if (f->p[1] == OSPF_LSU)
				cut_lsas(f, &n);
		}
		capture_free(&c);
	}
	print_message("truncation: %u packet prefixes rejected, %u LSA prefixes, %u length "
	    "corruptions (%u rejected), no overread\n", n.cuts, n.lsacuts, n.mutated, n.errs);
	assert_true(n.cuts > 1000);
	assert_true(n.errs > 0);
}

/* ------------------------------------------------------------------------ */
/* (f) RFC 2328 13.1 */

static void
newer(uint32_t seq_a, uint16_t ck_a, uint16_t age_a, uint32_t seq_b, uint16_t ck_b,
    uint16_t age_b, int want)
{
	struct ospf_lsa_hdr a = {.seq = seq_a, .cksum = ck_a, .age = age_a};
	struct ospf_lsa_hdr b = {.seq = seq_b, .cksum = ck_b, .age = age_b};
	int got = ospf_lsa_cmp_newer(&a, &b), rev = ospf_lsa_cmp_newer(&b, &a);

	if ((got > 0) - (got < 0) != want || (rev > 0) - (rev < 0) != -want)
		fail_msg("seq %08x/%08x ck %04x/%04x age %u/%u: got %d, reverse %d, want %d",
		    seq_a, seq_b, ck_a, ck_b, age_a, age_b, got, rev, want);
}

static void
test_cmp_newer(void **state UNUSED)
{
	/* The greater sequence number wins, compared as signed numbers (12.1.6). */
	newer(0x80000002, 0x1000, 10, 0x80000001, 0x9000, 10, 1);
	newer(OSPF_INITIAL_SEQ, 0, 0, 0x80000000, 0, 0, 1);
	newer(0x00000001, 0, 0, 0xfffffffe, 0, 0, 1);
	newer(OSPF_MAX_SEQ, 0, 3000, 0x7ffffffe, 0, 0, 1);
	newer(OSPF_MAX_SEQ, 0, 0, OSPF_INITIAL_SEQ, 0, 0, 1);
	/* The sequence number decides before age: an old high one beats a young low one. */
	newer(0x80000005, 0, OSPF_MAX_AGE - 1, 0x80000004, 0, 0, 1);
	newer(0x80000004, 0, OSPF_MAX_AGE, 0x80000005, 0, 0, -1);
	/* Same sequence: the larger checksum (unsigned) is newer. */
	newer(0x80000003, 0xfff0, 0, 0x80000003, 0x0001, 0, 1);
	newer(0x80000003, 0x8000, 0, 0x80000003, 0x7fff, 0, 1);
	newer(0x80000003, 0x1234, OSPF_MAX_AGE, 0x80000003, 0x1235, 0, -1);
	/* Same sequence and checksum: the MaxAge instance is newer. */
	newer(0x80000003, 0x1234, OSPF_MAX_AGE, 0x80000003, 0x1234, 0, 1);
	newer(0x80000003, 0x1234, OSPF_MAX_AGE, 0x80000003, 0x1234, OSPF_MAX_AGE - 1, 1);
	newer(0x80000003, 0x1234, OSPF_MAX_AGE, 0x80000003, 0x1234, OSPF_MAX_AGE, 0);
	/* Otherwise ages more than MaxAgeDiff apart: the younger is newer. */
	newer(0x80000003, 0x1234, 100, 0x80000003, 0x1234, 100 + OSPF_MAX_AGE_DIFF + 1, 1);
	newer(0x80000003, 0x1234, 2000, 0x80000003, 0x1234, 1000, -1);
	/* ... and within MaxAgeDiff they are the same instance. */
	newer(0x80000003, 0x1234, 100, 0x80000003, 0x1234, 100 + OSPF_MAX_AGE_DIFF, 0);
	newer(0x80000003, 0x1234, 5, 0x80000003, 0x1234, 6, 0);
	newer(0x80000003, 0x1234, 0, 0x80000003, 0x1234, 0, 0);
	/* DoNotAge (RFC 1793) is not part of the age. */
	newer(0x80000003, 0x1234, OSPF_DO_NOT_AGE | 5, 0x80000003, 0x1234, 6, 0);
	newer(0x80000003, 0x1234, OSPF_DO_NOT_AGE | OSPF_MAX_AGE, 0x80000003, 0x1234, 6, 1);

	/* The constants the protocol relies on (RFC 2328 Appendix B, A.1, A.2). */
	assert_int_equal(OSPF_MAX_AGE, 3600);
	assert_int_equal(OSPF_MAX_AGE_DIFF, 900);
	assert_int_equal(OSPF_LS_REFRESH_TIME, 1800);
	assert_int_equal(OSPF_CHECK_AGE, 300);
	assert_int_equal(OSPF_MIN_LS_ARRIVAL, 1);
	assert_int_equal(OSPF_MIN_LS_INTERVAL, 5);
	assert_int_equal(OSPF_INITIAL_SEQ, 0x80000001u);
	assert_int_equal(OSPF_MAX_SEQ, 0x7fffffffu);
	assert_string_equal(ip_str(OSPF_ALL_SPF_ROUTERS), "224.0.0.5");
	assert_string_equal(ip_str(OSPF_ALL_D_ROUTERS), "224.0.0.6");
	assert_int_equal(OSPF_OPT_E | OSPF_OPT_MC | OSPF_OPT_NP | OSPF_OPT_EA | OSPF_OPT_DC |
	    OSPF_OPT_O, 0x7e);
}

/*
 * RFC 2328 D.4.3 and RFC 5709 against another implementation's bytes: holo's
 * packet tests sign their Hellos under key ID 1 and the key "HOLO" with keyed
 * MD5 (frames 3 and 4) and with HMAC-SHA-1, -256, -384 and -512 (frames 5 to
 * 12); every other frame has an LLS block after the digest. Each verifies
 * under its algorithm and key, and fails under another key, key ID or
 * algorithm, with a bit flipped, or on an interface that expects simple
 * passwords; with a second key configured (a rollover) it still verifies.
 */
static void
test_crypt_authentication_holo(void **state UNUSED)
{
	static const enum hash_alg alg_of[] = {HASH_MD5,    HASH_MD5,    HASH_SHA1,   HASH_SHA1,
	                                       HASH_SHA256, HASH_SHA256, HASH_SHA384, HASH_SHA384,
	                                       HASH_SHA512, HASH_SHA512};
	const struct ospf_key holo = {
	    .id = 1, .len = 4, .bytes = "HOLO", .send_until = SIM_NEVER, .accept_until = SIM_NEVER};
	struct capture c;
	struct ospf_if oi;
	unsigned checked = 0;

	capture_load("captures/holo/holo_ospfv2.pcap", &c);
	memset(&oi, 0, sizeof(oi));
	for (size_t i = 0; i < c.n; i++) {
		struct ospf_frame *f = &c.v[i];
		struct ospf_pkt pkt;
		char err[OSPF_ERRLEN];
		enum hash_alg alg;

		if (f->no < 3 || f->no > 12)
			continue;
		alg = alg_of[f->no - 3];
		assert_int_equal(ospf_pkt_decode(f->p, f->len, &pkt, err), 0);
		assert_int_equal(pkt.hdr.autype, OSPF_AUTH_CRYPT);
		assert_int_equal(ospf_auth_len(&pkt.hdr), hash_len(alg));
		oi.auth = (struct ospf_auth){.type = OSPF_AUTH_CRYPT, .alg = alg, .nkeys = 1};
		oi.auth.keys[0] = holo;
		assert_null(ospf_auth_check(&oi, NULL, f->p, f->len, &pkt.hdr, 0));
		oi.auth.keys[0].bytes[3] = 'X';
		assert_string_equal(ospf_auth_check(&oi, NULL, f->p, f->len, &pkt.hdr, 0),
		                    "wrong message digest");
		oi.auth.keys[0] = holo;
		oi.auth.keys[0].id = 2;
		assert_string_equal(ospf_auth_check(&oi, NULL, f->p, f->len, &pkt.hdr, 0),
		                    "unknown key ID");
		/* A rollover: key 1 among others is enough. */
		oi.auth.keys[1] = holo;
		oi.auth.nkeys = 2;
		assert_null(ospf_auth_check(&oi, NULL, f->p, f->len, &pkt.hdr, 0));
		/* D.3 lifetimes: key 1 accepted from 10 s until 20 s, while key 9 is valid. */
		oi.auth.keys[0] = holo;
		oi.auth.keys[0].accept_from = 10 * SIM_S;
		oi.auth.keys[0].accept_until = 20 * SIM_S;
		oi.auth.keys[1] = holo;
		oi.auth.keys[1].id = 9;
		assert_string_equal(ospf_auth_check(&oi, NULL, f->p, f->len, &pkt.hdr, 5 * SIM_S),
		                    "key ID outside its accept lifetime");
		assert_null(ospf_auth_check(&oi, NULL, f->p, f->len, &pkt.hdr, 10 * SIM_S));
		assert_string_equal(ospf_auth_check(&oi, NULL, f->p, f->len, &pkt.hdr, 20 * SIM_S),
		                    "key ID outside its accept lifetime");
		/* Alone, the key that expired last is still accepted. */
		oi.auth.nkeys = 1;
		assert_null(ospf_auth_check(&oi, NULL, f->p, f->len, &pkt.hdr, 25 * SIM_S));
		oi.auth.keys[0] = holo;
		f->p[OSPF_HDRLEN + 5] ^= 1; /* the Hello interval */
		assert_string_equal(ospf_auth_check(&oi, NULL, f->p, f->len, &pkt.hdr, 0),
		                    "wrong message digest");
		f->p[OSPF_HDRLEN + 5] ^= 1;
		oi.auth.alg = alg == HASH_SHA1 ? HASH_SHA256 : HASH_SHA1;
		assert_string_equal(ospf_auth_check(&oi, NULL, f->p, f->len, &pkt.hdr, 0),
		                    "no message digest");
		oi.auth.type = OSPF_AUTH_SIMPLE;
		assert_string_equal(ospf_auth_check(&oi, NULL, f->p, f->len, &pkt.hdr, 0),
		                    "authentication type mismatch");
		ospf_pkt_free(&pkt);
		checked++;
	}
	assert_int_equal(checked, 10);
	capture_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_captures),
		cmocka_unit_test(test_checksum_vectors),
		cmocka_unit_test(test_dissect_real),
		cmocka_unit_test(test_dissect_negative),
		cmocka_unit_test(test_wrong_checksum_captures),
		cmocka_unit_test(test_handbuilt),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_crypt_authentication_holo),
		cmocka_unit_test(test_cmp_newer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
