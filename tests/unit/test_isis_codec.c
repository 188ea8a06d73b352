/*
 * test_isis_codec.c: the IS-IS PDU and TLV codec (src/proto/isis/pdu.c) and
 * its dissector (dissect.c), against the real captures and checksum vectors
 * of the shared data ($NETSIM_SHARED, else ../shared, else /work/shared;
 * missing data fails the suite, it is never skipped).
 *
 * (a) every IS-IS PDU of the real captures parses and re-encodes to the same
 *     bytes, except the two broken on purpose, which isis_lsp_cksum_ok
 *     rejects; (b) the IS-IS LSP checksum vectors; (c) HMAC-MD5 (RFC 5304)
 *     against holo's authenticated PDUs; (d) PDUs built with the adders
 *     parse back to the same entries, TLVs of at most 255 octets, pdu->len
 *     always the encoded length; (e) malformed PDUs: errors that name the
 *     field; truncations and random byte flips never crash; (f) NETs and
 *     text forms; (g) the dissector on the captures.
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
#include "lib/ip.h"
#include "lib/rng.h"
#include "lib/util.h"
#include "net/dissect.h"
#include "net/pcap.h"
#include "proto/isis/dissect.h"
#include "proto/isis/pdu.h"
#include "shared_data.h"

/* ------------------------------------------------------------------------ */
/* The IS-IS PDUs of the captures, found by netsim's own link-layer decoder. */

struct cap_pdu {
	const char *file;
	unsigned frame;
	uint8_t *p;
	size_t len; /* to the end of the frame (or of the 802.3 length) */
};

static struct cap_pdu *pdus;
static size_t npdus, cap_pdus;
static const char *cur_file;
static unsigned cur_frame;

static void
grab(struct dissect *d, const uint8_t *p, size_t len)
{
	struct cap_pdu c = {cur_file, cur_frame, xmalloc(len ? len : 1), len};

	memcpy(c.p, p, len);
	VEC_PUSH(pdus, npdus, cap_pdus, c);
	dissect_add(d, "grabbed");
}

static const struct {
	const char *file;
	unsigned frames, isis; /* frames, and how many carry IS-IS */
} captures[] = {
	{"captures/tcpdump/ISIS_external_lsp.pcap", 15, 15},
	{"captures/tcpdump/ISIS_level1_adjacency.pcap", 22, 22},
	{"captures/tcpdump/ISIS_level2_adjacency.pcap", 43, 43},
	{"captures/tcpdump/ISIS_p2p_adjacency.pcap", 26, 26},
	{"captures/tcpdump/isis_cap_tlv.pcap", 1, 1},
	{"captures/tcpdump/isis_iid_tlv.pcap", 43, 41}, /* and two ARP frames */
	{"captures/tcpdump/isis_poi.pcap", 1, 1},
	{"captures/tcpdump/isis_sid.pcap", 1, 1},
	{"captures/tcpdump/isis_sr.pcapng", 1, 1},
	{"captures/holo/holo_isis.pcap", 15, 15},
};

/* Broken on purpose (captures/README.md): wrong LSP checksums. */
static bool
known_bad(const struct cap_pdu *c)
{
	return (strstr(c->file, "isis_sid.pcap") && c->frame == 1) ||
	       (strstr(c->file, "holo_isis.pcap") && c->frame == 13);
}

/* Runs netsim's link layers on every frame; returns the frames read. */
static unsigned
decode_file(const char *rel, struct dissect *d, void (*each)(struct dissect *, void *), void *arg)
{
	return shared_pcap_decode(rel, d, &cur_frame, each, arg);
}

static int
load_pdus(void **state UNUSED)
{
	struct dissect d;

	dissect_setup();
	dissect_init(&d);
	dissect_register(DT_LLC, 0xfe, grab);
	for (size_t i = 0; i < ARRAY_LEN(captures); i++) {
		size_t before = npdus;

		cur_file = captures[i].file;
		if (decode_file(captures[i].file, &d, NULL, NULL) != captures[i].frames ||
		    npdus - before != captures[i].isis) {
			fprintf(stderr, "%s: %zu IS-IS PDUs, want %u\n", cur_file, npdus - before,
			    captures[i].isis);
			return -1;
		}
	}
	dissect_free(&d);
	isis_dissect_init(); /* the real dissector back for (g) */
	return 0;
}

static int
free_pdus(void **state UNUSED)
{
	for (size_t i = 0; i < npdus; i++)
		free(pdus[i].p);
	free(pdus);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* (a) real captures */

/* The encoded value lengths agree with the TLV list and pdu->len. */
static void
check_lengths(const struct isis_pdu *pdu, const uint8_t *p)
{
	size_t sum = p[1];

	for (int i = 0; i < pdu->ntlv; i++) {
		assert_true(pdu->tlv[i].len <= 255);
		sum += 2u + pdu->tlv[i].len;
	}
	assert_int_equal(sum, pdu->len);
}

static void
test_captures_roundtrip(void **state UNUSED)
{
	static uint8_t out[70000];
	unsigned bad = 0, lsps = 0, lsp_hdrs = 0;

	assert_true(npdus >= 160);
	for (size_t i = 0; i < npdus; i++) {
		const struct cap_pdu *c = &pdus[i];
		struct isis_pdu pdu;
		const char *err = NULL;
		uint8_t type = c->len > 4 ? c->p[4] & 0x1f : 0;
		size_t n;

		if (type == ISIS_L1_LSP || type == ISIS_L2_LSP)
			lsp_hdrs++;
		if (known_bad(c)) {
			/* Detected by the checksum whatever else is wrong with it. */
			assert_false(isis_lsp_cksum_ok(c->p, c->len));
			bad++;
			if (isis_pdu_parse(&pdu, c->p, c->len, &err) < 0) {
				/* holo's frame 13: its TLVs do not parse either (tshark agrees) */
				assert_non_null(strstr(err, "TLV 1 truncated at offset 27"));
				continue;
			}
		} else if (isis_pdu_parse(&pdu, c->p, c->len, &err) < 0) {
			fail_msg("%s frame %u: %s", c->file, c->frame, err);
		}
		check_lengths(&pdu, c->p);
		n = isis_pdu_encode(&pdu, out, sizeof out, NULL, 0);
		assert_int_equal(n, pdu.len);
		if (pdu.type == ISIS_L1_LSP || pdu.type == ISIS_L2_LSP) {
			lsps++;
			/* the encoder's checksum is right even where the capture's is not */
			assert_true(isis_lsp_cksum_ok(out, n));
			assert_int_equal(pdu.cksum, get16(out + ISIS_LSP_OFF_CKSUM));
			assert_int_equal(isis_lsp_cksum_ok(c->p, c->len), !known_bad(c));
			if (known_bad(c))
				memcpy(out + ISIS_LSP_OFF_CKSUM, c->p + ISIS_LSP_OFF_CKSUM, 2);
		}
		if (memcmp(out, c->p, n) != 0) {
			size_t k = 0;

			while (out[k] == c->p[k])
				k++;
			fail_msg("%s frame %u (%s): re-encoding differs at offset %zu", c->file,
			    c->frame, isis_pdu_type_name(pdu.type), k);
		}
		isis_pdu_free(&pdu);
	}
	assert_int_equal(bad, 2);
	/* every LSP but holo's frame 13 re-encoded */
	assert_int_equal(lsps, lsp_hdrs - 1);
	assert_true(lsps >= 20);
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
	static uint8_t b[70000], out[70000];
	unsigned nlsp = 0;
	FILE *fp = fopen(path, "r");

	if (fp == NULL)
		fail_msg("%s: cannot open", path);
	while (fgets(line, sizeof line, fp) != NULL) {
		char *kind = strtok(line, "\t"), *src = strtok(NULL, "\t");
		char *cs = strtok(NULL, "\t"), *hex = strtok(NULL, "\t\r\n");
		struct isis_pdu pdu;
		const char *err;
		size_t n;

		if (kind == NULL || hex == NULL || strcmp(kind, "isis_lsp") != 0)
			continue;
		n = unhex(hex, b, sizeof b);
		assert_int_equal(n * 2, strlen(hex));
		assert_int_equal(get16(b + ISIS_LSP_OFF_CKSUM), strtoul(cs, NULL, 16));
		if (!isis_lsp_cksum_ok(b, n))
			fail_msg("%s: LSP checksum does not verify", src);
		if (isis_pdu_parse(&pdu, b, n, &err) < 0)
			fail_msg("%s: %s", src, err);
		assert_int_equal(isis_pdu_encode(&pdu, out, sizeof out, NULL, 0), n);
		assert_memory_equal(out, b, n);
		/* one octet changed: the checksum no longer verifies */
		b[n - 1] ^= 0x01;
		assert_false(isis_lsp_cksum_ok(b, n));
		isis_pdu_free(&pdu);
		nlsp++;
	}
	fclose(fp);
	free(path);
	assert_true(nlsp >= 20);
}

/* ------------------------------------------------------------------------ */
/* (c) authentication against holo's PDUs (key "HOLO", holo-isis tests/packet) */

static const struct cap_pdu *
holo_frame(unsigned frame)
{
	for (size_t i = 0; i < npdus; i++)
		if (strstr(pdus[i].file, "holo_isis") && pdus[i].frame == frame)
			return &pdus[i];
	fail_msg("holo_isis.pcap frame %u missing", frame);
	return NULL;
}

static const uint8_t HOLO[] = "HOLO";

static void
check_md5_frame(unsigned frame, uint8_t pdu_type)
{
	const struct cap_pdu *c = holo_frame(frame);
	static uint8_t copy[2000], out[2000];
	struct isis_pdu pdu, pdu2;
	const char *err;
	size_t len;

	assert_int_equal(isis_pdu_parse(&pdu, c->p, c->len, &err), 0);
	assert_int_equal(pdu.type, pdu_type);
	assert_true(pdu.has_auth);
	assert_int_equal(pdu.auth_type, ISIS_AUTH_MD5);
	assert_int_equal(pdu.auth_len, 16);
	len = pdu.len;
	assert_true(isis_auth_ok(&pdu, c->p, c->len, ISIS_AUTH_MD5, HOLO, 4));
	assert_false(isis_auth_ok(&pdu, c->p, c->len, ISIS_AUTH_MD5, (const uint8_t *)"HOLA", 4));
	assert_false(isis_auth_ok(&pdu, c->p, c->len, ISIS_AUTH_TEXT, HOLO, 4));
	/* any octet outside the lifetime and checksum of an LSP is covered */
	memcpy(copy, c->p, len);
	copy[len - 1] ^= 0x40;
	assert_false(isis_auth_ok(&pdu, copy, len, ISIS_AUTH_MD5, HOLO, 4));
	/* RFC 5304 2: an LSP's lifetime and checksum are not */
	if (pdu_type == ISIS_L1_LSP) {
		memcpy(copy, c->p, len);
		put16(copy + ISIS_LSP_OFF_LIFETIME, 17);
		put16(copy + ISIS_LSP_OFF_CKSUM, 0x1234);
		assert_true(isis_auth_ok(&pdu, copy, len, ISIS_AUTH_MD5, HOLO, 4));
	}
	/* The encoder computes the same digest from a zeroed one. */
	memcpy(copy, c->p, len);
	memset(copy + pdu.auth_off, 0, 16);
	assert_int_equal(isis_pdu_parse(&pdu2, copy, len, &err), 0);
	assert_int_equal(isis_pdu_encode(&pdu2, out, sizeof out, HOLO, 4), len);
	assert_memory_equal(out, c->p, len);
	isis_pdu_free(&pdu2);
	isis_pdu_free(&pdu);
}

static void
test_auth_holo(void **state UNUSED)
{
	const struct cap_pdu *c = holo_frame(3);
	struct isis_pdu pdu;
	const char *err;

	check_md5_frame(4, ISIS_P2P_IIH);
	check_md5_frame(9, ISIS_L1_LSP);
	/* frame 3: clear text "HOLO" */
	assert_int_equal(isis_pdu_parse(&pdu, c->p, c->len, &err), 0);
	assert_true(isis_auth_ok(&pdu, c->p, c->len, ISIS_AUTH_TEXT, HOLO, 4));
	assert_false(isis_auth_ok(&pdu, c->p, c->len, ISIS_AUTH_TEXT, HOLO, 3));
	assert_false(isis_auth_ok(&pdu, c->p, c->len, ISIS_AUTH_MD5, HOLO, 4));
	isis_pdu_free(&pdu);
}

/* ------------------------------------------------------------------------ */
/* (d) PDUs built with the adders */

/* Encode, check lengths and TLV sizes, parse back into *back. */
static size_t
build_parse(struct isis_pdu *pdu, uint8_t *buf, size_t cap, const uint8_t *key, size_t keylen,
    struct isis_pdu *back)
{
	const char *err = NULL;
	size_t n = isis_pdu_encode(pdu, buf, cap, key, keylen);

	assert_int_equal(n, pdu->len);
	if (isis_pdu_parse(back, buf, n, &err) < 0)
		fail_msg("parse of a built %s: %s", isis_pdu_type_name(pdu->type), err);
	check_lengths(back, buf);
	assert_int_equal(back->ntlv, pdu->ntlv);
	for (int i = 0; i < pdu->ntlv; i++) {
		assert_int_equal(back->tlv[i].type, pdu->tlv[i].type);
		assert_int_equal(back->tlv[i].len, pdu->tlv[i].len);
		assert_int_equal(back->tlv[i].n, pdu->tlv[i].n);
	}
	return n;
}

/* Add through a function, checking that isis_add_cost said what pdu->len grew by. */
#define ADD_COSTED(pdu, type, elen, call)                                                        \
	do {                                                                                     \
		size_t before_ = (pdu)->len, cost_ = isis_add_cost((pdu), (type), (elen));      \
		call;                                                                            \
		assert_int_equal((pdu)->len - before_, cost_);                                   \
	} while (0)

static void
test_build_lsp(void **state UNUSED)
{
	static const uint8_t subs[] = {3, 4, 0, 0, 0, 7, 6, 4, 10, 0, 0, 1}; /* RFC 5305 sub-TLVs */
	static uint8_t buf[70000];
	struct isis_pdu pdu, back;
	struct isis_area area = {3, {0x49, 0x00, 0x01}};
	struct rng rng;
	int i;

	rng_seed(&rng, 42, 1);
	isis_pdu_init(&pdu, ISIS_L2_LSP);
	pdu.lifetime = 1200;
	pdu.seq = 7;
	pdu.lspid.b[5] = 1;
	pdu.lsp_flags = ISIS_LSP_OL | ISIS_LEVEL12;
	isis_add_area(&pdu, &area);
	isis_add_nlpid(&pdu, ISIS_NLPID_IPV4);
	isis_add_hostname(&pdu, "r1");
	isis_add_hostname(&pdu, "router-one"); /* replaces */
	for (i = 0; i < 40; i++) {
		struct isis_is_reach r = {.id = {0, 0, 0, 0, 0, (uint8_t)i, 0}, .metric = 10u + i};

		ADD_COSTED(&pdu, ISIS_TLV_IS_REACH, 11,
		    isis_add_is_reach(&pdu, ISIS_TLV_IS_REACH, &r));
	}
	for (i = 0; i < 40; i++) {
		struct isis_is_reach r = {
			.id = {0, 0, 0, 0, 1, (uint8_t)i, 1}, .metric = 1000u * i};

		if (i % 3 == 0) {
			r.sub = subs;
			r.sublen = sizeof subs;
		}
		ADD_COSTED(&pdu, ISIS_TLV_EXT_IS_REACH, 11u + (r.sub ? r.sublen : 0),
		    isis_add_is_reach(&pdu, ISIS_TLV_EXT_IS_REACH, &r));
	}
	for (i = 0; i < 300; i++) {
		enum isis_tlv_type t = i < 200 ? ISIS_TLV_EXT_IP :
		                       i < 260 ? ISIS_TLV_IP_INT : ISIS_TLV_IP_EXT;
		struct isis_ip_reach r = {0};

		r.plen = (uint8_t)rng_below(&rng, 33);
		r.prefix = (uint32_t)rng_next(&rng) & ip_mask(r.plen);
		r.metric = t == ISIS_TLV_EXT_IP ? (uint32_t)rng_next(&rng) :
		                                  (uint32_t)rng_below(&rng, 64);
		r.down = i % 7 == 0;
		if (t == ISIS_TLV_EXT_IP && i % 5 == 0) {
			r.sub = subs;
			r.sublen = (uint8_t)rng_below(&rng, 2) * 6;
		}
		if (t == ISIS_TLV_IP_EXT)
			r.m[0] = 0x40; /* external metric type */
		ADD_COSTED(&pdu, t, isis_ip_reach_len(t, &r), isis_add_ip_reach(&pdu, t, &r));
	}
	isis_add_addr(&pdu, 0x0a000001);
	build_parse(&pdu, buf, sizeof buf, NULL, 0, &back);
	assert_true(isis_lsp_cksum_ok(buf, pdu.len));
	assert_int_equal(get16(buf + ISIS_LSP_OFF_CKSUM), pdu.cksum);
	assert_string_equal(back.hostname, "router-one");
	assert_int_equal(back.lifetime, 1200);
	assert_int_equal(back.seq, 7);
	assert_int_equal(back.lsp_flags, ISIS_LSP_OL | ISIS_LEVEL12);
	assert_memory_equal(back.lspid.b, pdu.lspid.b, 8);
	assert_int_equal(back.nareas, 1);
	assert_memory_equal(back.areas[0].a, area.a, 3);
	assert_int_equal(back.nis, 80);
	for (i = 0; i < 80; i++) {
		assert_memory_equal(back.is[i].id, pdu.is[i].id, 7);
		assert_int_equal(back.is[i].metric, pdu.is[i].metric);
		assert_int_equal(back.is[i].sublen, pdu.is[i].sublen);
		if (pdu.is[i].sublen)
			assert_memory_equal(back.is[i].sub, subs, sizeof subs);
	}
	/* ISO 10589 9.9: unsupported metrics carry the S bit */
	assert_int_equal(back.is[0].m[1], 0x80);
	assert_int_equal(back.nip, 300);
	for (i = 0; i < 300; i++) {
		assert_int_equal(back.ip[i].prefix, pdu.ip[i].prefix);
		assert_int_equal(back.ip[i].plen, pdu.ip[i].plen);
		assert_int_equal(back.ip[i].metric, pdu.ip[i].metric);
		assert_int_equal(back.ip[i].down, pdu.ip[i].down);
		assert_int_equal(back.ip[i].sub != NULL, pdu.ip[i].sub != NULL);
		assert_int_equal(back.ip[i].sublen, pdu.ip[i].sublen);
		assert_int_equal(back.ip[i].m[0] & 0x40, i >= 260 ? 0x40 : 0);
	}
	/* 300 prefixes cannot share one TLV: several of each type, each full but the last */
	for (i = 0; i + 1 < pdu.ntlv; i++)
		if (pdu.tlv[i].type == pdu.tlv[i + 1].type && pdu.tlv[i].type == ISIS_TLV_IP_INT)
			assert_true(pdu.tlv[i].len + 12 > 255);
	assert_true(pdu.ntlv > 10);
	/* a purge keeps the checksum it is given (ISO 10589 7.3.16.4) */
	pdu.lifetime = 0;
	pdu.cksum = 0;
	assert_int_equal(isis_pdu_encode(&pdu, buf, sizeof buf, NULL, 0), pdu.len);
	assert_int_equal(get16(buf + ISIS_LSP_OFF_CKSUM), 0);
	assert_true(isis_lsp_cksum_ok(buf, pdu.len));
	/* too small a buffer: nothing written */
	assert_int_equal(isis_pdu_encode(&pdu, buf, pdu.len - 1, NULL, 0), 0);
	isis_pdu_free(&back);
	isis_pdu_free(&pdu);
}

static void
test_build_padding(void **state UNUSED)
{
	static uint8_t buf[2000];
	struct isis_pdu pdu, back;
	struct isis_area area = {1, {0x49}};
	const uint8_t mac[6] = {2, 0, 0, 0, 0, 9};

	isis_pdu_init(&pdu, ISIS_L1_LAN_IIH);
	assert_int_equal(pdu.len, ISIS_LAN_IIH_HLEN);
	pdu.circuit_type = ISIS_LEVEL1;
	pdu.hold = 30;
	pdu.priority = 64;
	pdu.source[5] = 1;
	pdu.lan_id[5] = 1;
	pdu.lan_id[6] = 3;
	isis_add_area(&pdu, &area);
	isis_add_nlpid(&pdu, ISIS_NLPID_IPV4);
	isis_add_addr(&pdu, 0x0a000001);
	isis_add_lan_nbr(&pdu, mac);
	isis_add_padding(&pdu, 1497 - pdu.len);
	assert_int_equal(pdu.len, 1497);
	build_parse(&pdu, buf, sizeof buf, NULL, 0, &back);
	assert_int_equal(back.priority, 64);
	assert_memory_equal(back.lan_id, pdu.lan_id, 7);
	assert_memory_equal(back.lan_nbrs[0], mac, 6);
	assert_int_equal(back.hold, 30);
	isis_pdu_free(&back);
	isis_pdu_free(&pdu);
	/* every amount from 2 on is exact, and never needs a one-octet TLV */
	for (size_t n = 2; n < 800; n++) {
		isis_pdu_init(&pdu, ISIS_P2P_IIH);
		pdu.circuit_type = ISIS_LEVEL2;
		isis_add_padding(&pdu, n);
		assert_int_equal(pdu.len, ISIS_P2P_IIH_HLEN + n);
		build_parse(&pdu, buf, sizeof buf, NULL, 0, &back);
		isis_pdu_free(&back);
		isis_pdu_free(&pdu);
	}
}

static void
test_build_snp(void **state UNUSED)
{
	static uint8_t buf[4000];
	struct isis_pdu pdu, back;
	int i;

	isis_pdu_init(&pdu, ISIS_L2_CSNP);
	pdu.snp_source[5] = 6;
	memset(pdu.end.b, 0xff, 8);
	for (i = 0; i < 60; i++) {
		struct isis_lsp_entry e = {
			.lifetime = (uint16_t)(1200 - i),
			.seq = 0x80000000u + i,
			.cksum = (uint16_t)(i * 77)};

		e.id.b[5] = (uint8_t)i;
		e.id.b[7] = (uint8_t)(i % 3);
		ADD_COSTED(&pdu, ISIS_TLV_LSP_ENTRY, 16, isis_add_lsp_entry(&pdu, &e));
	}
	build_parse(&pdu, buf, sizeof buf, NULL, 0, &back);
	/* ISO 10589 9.12: fifteen 16-octet entries to a TLV */
	assert_int_equal(back.ntlv, 4);
	assert_int_equal(back.tlv[0].len, 240);
	assert_int_equal(back.nentries, 60);
	for (i = 0; i < 60; i++) {
		assert_int_equal(back.entries[i].lifetime, pdu.entries[i].lifetime);
		assert_int_equal(back.entries[i].seq, pdu.entries[i].seq);
		assert_int_equal(back.entries[i].cksum, pdu.entries[i].cksum);
		assert_memory_equal(back.entries[i].id.b, pdu.entries[i].id.b, 8);
	}
	assert_memory_equal(back.end.b, pdu.end.b, 8);
	assert_int_equal(back.snp_source[5], 6);
	isis_pdu_free(&back);
	isis_pdu_free(&pdu);
}

static void
test_build_p2p(void **state UNUSED)
{
	static const uint8_t lens[] = {1, 5, 11, 15};
	static uint8_t buf[2000];
	struct isis_pdu pdu, back;

	for (size_t i = 0; i < ARRAY_LEN(lens); i++) {
		struct isis_p2p_adj a = {lens[i], ISIS_P2P_INIT, 100, {0, 0, 0, 0, 0, 5}, 200};

		isis_pdu_init(&pdu, ISIS_P2P_IIH);
		pdu.circuit_type = ISIS_LEVEL12;
		pdu.local_circuit = 1;
		pdu.hold = 9;
		isis_add_p2p_adj(&pdu, &a);
		a.state = ISIS_P2P_UP;
		isis_add_p2p_adj(&pdu, &a); /* replaces */
		build_parse(&pdu, buf, sizeof buf, NULL, 0, &back);
		assert_int_equal(back.ntlv, 1);
		assert_true(back.has_p2p_adj);
		assert_int_equal(back.p2p_adj.len, lens[i]);
		assert_int_equal(back.p2p_adj.state, ISIS_P2P_UP);
		assert_int_equal(back.p2p_adj.ext_circuit, lens[i] >= 5 ? 100 : 0);
		assert_int_equal(back.p2p_adj.nbr_sysid[5], lens[i] >= 11 ? 5 : 0);
		assert_int_equal(back.p2p_adj.nbr_ext_circuit, lens[i] == 15 ? 200 : 0);
		assert_int_equal(back.local_circuit, 1);
		assert_int_equal(back.circuit_type, ISIS_LEVEL12);
		isis_pdu_free(&back);
		isis_pdu_free(&pdu);
	}
}

static void
test_build_auth(void **state UNUSED)
{
	static const uint8_t key[] = "secret", other[] = "secreT";
	static uint8_t buf[2000];
	struct isis_pdu pdu, back;
	struct isis_area area = {3, {0x49, 0, 1}};
	const uint8_t types[] = {ISIS_L1_LSP, ISIS_P2P_IIH, ISIS_L2_PSNP};

	for (size_t i = 0; i < ARRAY_LEN(types); i++) {
		isis_pdu_init(&pdu, types[i]);
		pdu.circuit_type = ISIS_LEVEL1;
		pdu.lifetime = 900;
		pdu.seq = 3;
		isis_add_auth(&pdu, ISIS_AUTH_MD5, NULL, 16);
		isis_add_area(&pdu, &area);
		build_parse(&pdu, buf, sizeof buf, key, 6, &back);
		assert_true(isis_auth_ok(&back, buf, pdu.len, ISIS_AUTH_MD5, key, 6));
		assert_false(isis_auth_ok(&back, buf, pdu.len, ISIS_AUTH_MD5, other, 6));
		assert_int_equal(back.auth_off, pdu.auth_off);
		if (types[i] == ISIS_L1_LSP)
			assert_true(isis_lsp_cksum_ok(buf, pdu.len));
		isis_pdu_free(&back);
		/* without a key the digest stays zero, and does not verify */
		build_parse(&pdu, buf, sizeof buf, NULL, 0, &back);
		assert_false(isis_auth_ok(&back, buf, pdu.len, ISIS_AUTH_MD5, key, 6));
		isis_pdu_free(&back);
		isis_pdu_free(&pdu);
	}
	/* plain text (ISO 10589 9.5 TLV 10 type 1): the adder keeps its own copy */
	{
		char pw[] = "letmein";

		isis_pdu_init(&pdu, ISIS_L2_LAN_IIH);
		pdu.circuit_type = ISIS_LEVEL2;
		isis_add_auth(&pdu, ISIS_AUTH_TEXT, (const uint8_t *)pw, 7);
		pw[0] = 'X';
		build_parse(&pdu, buf, sizeof buf, NULL, 0, &back);
		assert_true(isis_auth_ok(&back, buf, pdu.len, ISIS_AUTH_TEXT,
		    (const uint8_t *)"letmein", 7));
		assert_false(isis_auth_ok(&back, buf, pdu.len, ISIS_AUTH_TEXT,
		    (const uint8_t *)"letmeout", 8));
		isis_pdu_free(&back);
		isis_pdu_free(&pdu);
	}
}

/* ------------------------------------------------------------------------ */
/* (e) malformed input */

/* A valid P2P IIH to break: circuit L1L2, areas 49.0001, protocols IPv4. */
static size_t
p2p_base(uint8_t *b, const uint8_t *tlvs, size_t tlen)
{
	static const uint8_t hdr[20] = {
		0x83, 20, 1, 0, 17, 1, 0, 0, 3, 0, 0, 0, 0, 0, 1, 0, 30, 0, 0, 1};

	memcpy(b, hdr, 20);
	memcpy(b + 20, tlvs, tlen);
	put16(b + 17, (uint16_t)(20 + tlen));
	return 20 + tlen;
}

static void
expect_err(const uint8_t *b, size_t len, const char *want)
{
	struct isis_pdu pdu;
	const char *err = NULL;

	assert_int_equal(isis_pdu_parse(&pdu, b, len, &err), -1);
	assert_non_null(err);
	if (strstr(err, want) == NULL)
		fail_msg("error \"%s\" does not contain \"%s\"", err, want);
	/* parse freed and cleared what it had built */
	assert_null(pdu.tlv);
	assert_int_equal(pdu.ntlv, 0);
}

static void
test_errors(void **state UNUSED)
{
	static const struct {
		uint8_t tlvs[40];
		size_t len;
		const char *want;
	} cases[] = {
		{{1, 4, 3, 0x49, 0, 1, 129, 5, 0xcc}, 9, "TLV 129 truncated at offset 26"},
		{{1, 2, 0, 0x49}, 4, "TLV 1 area address length 0 at offset 22"},
		{{1, 3, 3, 0x49, 0}, 5, "TLV 1 area address truncated at offset 22"},
		{{240, 3, 0, 0, 0}, 5, "TLV 240 length 3"},
		{{240, 1, 3}, 3, "TLV 240 adjacency state 3"},
		{{132, 5, 10, 0, 0, 1, 9}, 7, "TLV 132 length 5"},
		{{128, 12, 10, 0x80, 0x80, 0x80, 10, 0, 0, 0, 255, 0, 255, 0}, 14,
		    "TLV 128 mask ff00ff00 not contiguous at offset 30"},
		{{135, 5, 0, 0, 0, 10, 33}, 7, "TLV 135 prefix length 33 at offset 26"},
		{{135, 6, 0, 0, 0, 10, 24, 10}, 8, "TLV 135 prefix truncated"},
		{{135, 10, 0, 0, 0, 10, 0x48, 10, 3, 1, 9, 0}, 12,
		    "TLV 135 sub-TLV 1 truncated at offset 29"},
		{{22, 12, 0, 0, 0, 0, 0, 2, 0, 0, 0, 10, 5, 1}, 14,
		    "TLV 22 sub-TLVs (5 octets) truncated"},
		{{9, 15}, 17, "TLV 9 length 15 is not 16-octet entries"},
		{{10, 0}, 2, "TLV 10 empty at offset 22"},
		{{2, 11}, 13, "TLV 2 length 11 is not one octet and 11-octet entries"},
		{{8}, 1, "TLV header truncated at offset 20"},
	};
	uint8_t b[200];
	size_t n;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		n = p2p_base(b, cases[i].tlvs, cases[i].len);
		expect_err(b, n, cases[i].want);
	}
	n = p2p_base(b, (const uint8_t[]){129, 1, 0xcc}, 3);
	/* the header, field by field */
	b[0] = 0x82;
	expect_err(b, n, "protocol discriminator 0x82");
	b[0] = 0x83;
	b[1] = 27;
	expect_err(b, n, "P2P IIH: length indicator 27 at offset 1 (want 20)");
	b[1] = 20;
	b[4] = 19;
	expect_err(b, n, "PDU type 19 at offset 4");
	b[4] = 17;
	b[3] = 4;
	expect_err(b, n, "ID length 4");
	b[3] = 0;
	b[5] = 2;
	expect_err(b, n, "version 2 at offset 5");
	b[5] = 1;
	b[8] = 0;
	expect_err(b, n, "circuit type 0");
	b[8] = 3;
	put16(b + 17, (uint16_t)(n + 1));
	expect_err(b, n, "PDU length 24 at offset 17");
	put16(b + 17, 19);
	expect_err(b, n, "PDU length 19");
	put16(b + 17, (uint16_t)n);
	expect_err(b, 7, "IS-IS: truncated header (7 octets)");
	expect_err(b, 12, "header truncated (12 of 20 octets)");
	{
		struct isis_pdu pdu;
		const char *err = NULL;

		assert_int_equal(isis_pdu_parse(&pdu, b, n, &err), 0);
		assert_int_equal(pdu.nnlpids, 1);
		isis_pdu_free(&pdu);
		/* trailing octets past the PDU length (Ethernet padding) are not the PDU's */
		memset(b + n, 0xee, 10);
		assert_int_equal(isis_pdu_parse(&pdu, b, n + 10, &err), 0);
		assert_int_equal(pdu.len, n);
		isis_pdu_free(&pdu);
	}
	assert_false(isis_lsp_cksum_ok(b, 10));
}

/* Empty TLVs of the kinds that may be empty: accepted and re-encoded as they came. */
static void
test_empty_tlvs(void **state UNUSED)
{
	static const uint8_t tlvs[] = {1, 0, 6, 0, 129, 0, 132, 0, 9, 0, 128, 0, 130, 0, 135, 0,
	    22, 0, 137, 0, 8, 0, 250, 0};
	uint8_t b[100], out[100];
	struct isis_pdu pdu;
	const char *err;
	size_t n = p2p_base(b, tlvs, sizeof tlvs);

	assert_int_equal(isis_pdu_parse(&pdu, b, n, &err), 0);
	assert_int_equal(pdu.ntlv, (int)sizeof tlvs / 2);
	assert_int_equal(isis_pdu_encode(&pdu, out, sizeof out, NULL, 0), n);
	assert_memory_equal(out, b, n);
	isis_pdu_free(&pdu);
}

/* Parse; on success the encoding parses again to the same bytes (no crash either way). */
static void
fuzz_one(const uint8_t *p, size_t len, unsigned *ok)
{
	static uint8_t out[70000], out2[70000];
	struct isis_pdu pdu, again;
	const char *err = NULL;
	size_t n;

	if (isis_pdu_parse(&pdu, p, len, &err) < 0) {
		assert_non_null(err);
		assert_true(err[0] != '\0');
		return;
	}
	(*ok)++;
	n = isis_pdu_encode(&pdu, out, sizeof out, NULL, 0);
	assert_int_equal(n, pdu.len);
	assert_int_equal(isis_pdu_parse(&again, out, n, &err), 0);
	assert_int_equal(isis_pdu_encode(&again, out2, sizeof out2, NULL, 0), n);
	assert_memory_equal(out, out2, n);
	isis_pdu_free(&again);
	isis_pdu_free(&pdu);
}

static void
test_fuzz(void **state UNUSED)
{
	static uint8_t b[70000];
	struct rng rng;
	unsigned ok = 0, flips = 0;

	rng_seed(&rng, 10589, 0);
	for (size_t i = 0; i < npdus; i++) {
		const struct cap_pdu *c = &pdus[i];
		size_t pdulen = c->len;
		struct isis_pdu pdu;
		const char *err;

		if (isis_pdu_parse(&pdu, c->p, c->len, &err) == 0) {
			pdulen = pdu.len;
			isis_pdu_free(&pdu);
		}
		/* every truncation of the PDU is an error: its length field says more */
		for (size_t t = 0; t < pdulen; t++) {
			uint8_t *cut = xmalloc(t ? t : 1); /* exact size: ASan sees any overread */

			memcpy(cut, c->p, t);
			err = NULL;
			assert_int_equal(isis_pdu_parse(&pdu, cut, t, &err), -1);
			assert_non_null(err);
			free(cut);
		}
		/* random octets changed, one to four at a time */
		for (int k = 0; k < 100; k++) {
			int m = 1 + (int)rng_below(&rng, 4);

			memcpy(b, c->p, c->len);
			while (m-- > 0)
				b[rng_below(&rng, c->len)] = (uint8_t)rng_next(&rng);
			fuzz_one(b, c->len, &ok);
			flips++;
		}
	}
	/* garbage with a plausible header */
	for (int k = 0; k < 3000; k++) {
		size_t len = 8 + rng_below(&rng, 300);

		for (size_t j = 0; j < len; j++)
			b[j] = (uint8_t)rng_next(&rng);
		b[0] = ISIS_IRPD;
		b[2] = b[5] = 1;
		b[3] = 0;
		fuzz_one(b, len, &ok);
	}
	assert_true(flips > 10000);
	assert_true(ok > 0); /* some flips land in values and still parse */
}

/* ------------------------------------------------------------------------ */
/* (f) NETs and text forms */

static void
test_net(void **state UNUSED)
{
	static const char *const bad[] = {
		"", "49", "49.0001", "0000.0000.0001.00", "49.0001.0000.0000.0001.01",
		"49.0001.0000.0000.0001", "49.0001.0000.0000.001.00", "49..0001.0000.0000.0001.00",
		"49.0001.0000.0000.0001.00.", ".49.0001.0000.0000.0001.00",
		"49.0g01.0000.0000.0001.00", "49.001.0000.0000.0001.00",
		"49.000001.0000.0000.0001.00", "49.0001.0000.0000.0001.000",
		"47.0005.80ff.f800.0000.0108.0001.11.1921.6800.1001.00", /* 14-octet area */
		"49.0001.0000.0000.0001.0", "49 .0001.0000.0000.0001.00",
	};
	struct isis_area a;
	uint8_t id[6];
	char buf[64];

	assert_int_equal(isis_net_parse("49.0001.0000.0000.0001.00", &a, id), 0);
	assert_int_equal(a.len, 3);
	assert_memory_equal(a.a, ((uint8_t[]){0x49, 0, 1}), 3);
	assert_memory_equal(id, ((uint8_t[]){0, 0, 0, 0, 0, 1}), 6);
	assert_string_equal(isis_area_str(&a, buf, sizeof buf), "49.0001");
	assert_string_equal(isis_sysid_str(id, buf, sizeof buf), "0000.0000.0001");
	assert_int_equal(isis_net_parse("49.1921.6800.1001.00", &a, id), 0);
	assert_int_equal(a.len, 1);
	assert_string_equal(isis_area_str(&a, buf, sizeof buf), "49");
	assert_string_equal(isis_sysid_str(id, buf, sizeof buf), "1921.6800.1001");
	assert_int_equal(
	    isis_net_parse("47.0005.80FF.f800.0000.0108.0001.1921.6800.1001.00", &a, id), 0);
	assert_int_equal(a.len, 13);
	assert_string_equal(isis_area_str(&a, buf, sizeof buf), "47.0005.80ff.f800.0000.0108.0001");
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (isis_net_parse(bad[i], &a, id) != -1)
			fail_msg("NET \"%s\" accepted", bad[i]);
	{
		struct isis_lspid l = {{0x19, 0x21, 0x68, 0, 0x10, 0x01, 0x02, 0xff}};

		assert_string_equal(isis_lspid_str(&l, buf, sizeof buf), "1921.6800.1001.02-ff");
	}
	assert_string_equal(isis_pdu_type_name(ISIS_L2_CSNP), "L2 CSNP");
	assert_string_equal(isis_tlv_name(ISIS_TLV_EXT_IP), "Extended IP reachability");
}

/* ------------------------------------------------------------------------ */
/* (g) the dissector */

struct dis_arg {
	const char *file;
	unsigned errors, isis;
};

static void
check_line(struct dissect *d, void *arg)
{
	struct dis_arg *a = arg;
	const char *line = sb_str(&d->line), *err = sb_str(&d->err);
	struct cap_pdu c = {a->file, cur_frame, NULL, 0};

	if (strstr(line, "IS-IS") != NULL)
		a->isis++;
	if (d->errors == 0)
		return;
	a->errors++;
	if (!known_bad(&c))
		fail_msg("%s frame %u: %s [%s]", a->file, cur_frame, line, err);
	assert_non_null(strstr(err, "bad checksum"));
}

static void
test_dissect(void **state UNUSED)
{
	static const uint8_t es_is[] = {0x82, 0x0a, 0x01, 0x00};
	struct dissect d;
	unsigned errors = 0;

	dissect_init(&d);
	for (size_t i = 0; i < ARRAY_LEN(captures); i++) {
		struct dis_arg a = {captures[i].file, 0, 0};

		d.verbose = (int)(i % 2);
		assert_int_equal(decode_file(captures[i].file, &d, check_line, &a),
		    captures[i].frames);
		assert_int_equal(a.isis, captures[i].isis);
		errors += a.errors;
	}
	assert_int_equal(errors, 2);
	/* the summary and the verbose listing of holo's LSP2 */
	d.verbose = 1;
	{
		const struct cap_pdu *c = holo_frame(8);

		dissect_reset(&d);
		dissect_call(&d, DT_LLC, 0xfe, c->p, c->len);
		assert_int_equal(d.errors, 0);
		assert_non_null(strstr(sb_str(&d.line),
		    "IS-IS L1 LSP 0000.0000.0006.00-00 seq 0x00000013 lifetime 1187"));
		assert_non_null(strstr(sb_str(&d.line), "[Hostname: holo]"));
		assert_non_null(strstr(sb_str(&d.line),
		    "[IP external reachability: 172.16.1.0/24 metric 10, "
		    "172.16.2.0/24 metric 10 external]"));
	}
	/* a truncated PDU: an error; in a capture cut by its snaplen: noted only */
	dissect_reset(&d);
	dissect_call(&d, DT_LLC, 0xfe, holo_frame(8)->p, 40);
	assert_int_equal(d.errors, 1);
	assert_non_null(strstr(sb_str(&d.err), "IS-IS: L1 LSP: PDU length 141"));
	dissect_reset(&d);
	d.partial = true;
	dissect_call(&d, DT_LLC, 0xfe, holo_frame(8)->p, 40);
	assert_int_equal(d.errors, 0);
	assert_non_null(strstr(sb_str(&d.line), "[|isis]"));
	/* other OSI protocols share the DSAP: described, not failed */
	dissect_reset(&d);
	dissect_call(&d, DT_LLC, 0xfe, es_is, sizeof es_is);
	assert_int_equal(d.errors, 0);
	assert_non_null(strstr(sb_str(&d.line), "(not decoded)"));
	dissect_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_captures_roundtrip),
		cmocka_unit_test(test_checksum_vectors),
		cmocka_unit_test(test_auth_holo),
		cmocka_unit_test(test_build_lsp),
		cmocka_unit_test(test_build_padding),
		cmocka_unit_test(test_build_snp),
		cmocka_unit_test(test_build_p2p),
		cmocka_unit_test(test_build_auth),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_empty_tlvs),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_net),
		cmocka_unit_test(test_dissect),
	};

	return cmocka_run_group_tests(tests, load_pdus, free_pdus);
}
