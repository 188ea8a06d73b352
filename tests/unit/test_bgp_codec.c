/*
 * test_bgp_codec.c: the BGP-4 message codec (src/proto/bgp/msg.c, update.c),
 * attribute interning (attr.c), AS path helpers (aspath.c) and the
 * dissector, against the real captures of the shared data ($NETSIM_SHARED,
 * else ../shared, else /work/shared; missing data fails the suite).
 *
 * (a) every message built by the encoders decodes to what was encoded and
 *     encodes again to the same bytes (OPEN, UPDATE for new and old
 *     speakers, packing, withdrawals, end-of-RIB, NOTIFICATION, KEEPALIVE,
 *     ROUTE-REFRESH); (b) every BGP message of the captures decodes (the
 *     ones the captures' README calls broken give errors), and every one
 *     that uses only what netsim encodes, as the test judges from the bytes
 *     alone, re-encodes byte for byte; (c) the error table: each RFC 4271 /
 *     RFC 7606 fault gives its action, code, subcode and data; (d) RFC 6793
 *     AS4_PATH merging; (e) interning, on one thread and on two; (f)
 *     truncated and mutated messages never crash; (g) the dissector.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/buf.h"
#include "lib/rng.h"
#include "lib/strbuf.h"
#include "lib/util.h"
#include "net/dissect.h"
#include "net/pcap.h"
#include "proto/bgp/attr.h"
#include "proto/bgp/dissect.h"
#include "proto/bgp/msg.h"
#include "shared_data.h"

static struct bgp_pfx wd_buf[BGP_MAX_PFX], nlri_buf[BGP_MAX_PFX];
static uint8_t scratch[BGP_SCRATCH];

static const struct bgp_codec_ctx ctx_new = {.as4 = true, .ebgp = false, .local_as = 65000};
static const struct bgp_codec_ctx ctx_old = {.as4 = false, .ebgp = false, .local_as = 65000};

/* Decode an UPDATE from an exact-size heap copy (so that ASan sees any overread). */
static int
decode_update(const uint8_t *m, size_t len, const struct bgp_codec_ctx *ctx, struct bgp_update *u)
{
	uint8_t *copy = xmalloc(len ? len : 1);
	int rc;

	memcpy(copy, m, len);
	u->withdrawn = wd_buf;
	u->nlri = nlri_buf;
	rc = bgp_update_decode(copy, len, ctx, u, scratch);
	/* Arrays that point into the message must not outlive it: the test reads only counts after.
	 */
	free(copy);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* (a) round trips */

/* Prefix lists compared by field (the struct has padding). */
static bool
same_pfx(const struct bgp_pfx *a, const struct bgp_pfx *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].addr != b[i].addr || a[i].len != b[i].len)
			return false;
	return true;
}

static void
test_open_roundtrip(void **state UNUSED)
{
	struct bgp_open o = {.version = 4,
	                     .my_as = BGP_AS_TRANS,
	                     .hold = 90,
	                     .id = 0x01020304,
	                     .as4 = 4200000001u,
	                     .cap_rr = true,
	                     .cap_enhanced_rr = true,
	                     .cap_gr = true,
	                     .gr_time = 120,
	                     .gr_flags = 0x8,
	                     .nafi = 1};
	struct bgp_open back;
	struct bgp_err err;
	uint8_t m[BGP_MAX_LEN], m2[BGP_MAX_LEN];
	size_t n, n2;

	o.afi[0].afi = BGP_AFI_IPV4;
	o.afi[0].safi = BGP_SAFI_UNICAST;
	n = bgp_open_encode(m, &o);
	assert_int_equal(get16(m + 16), n);
	/* One capabilities parameter: MP(6) RR(2) ERR(2) GR(4) AS4(6) = 20 + 2. */
	assert_int_equal(n, 29 + 22);
	assert_int_equal(bgp_open_decode(m, n, &back, &err), 0);
	assert_int_equal(back.my_as, BGP_AS_TRANS);
	assert_int_equal(back.hold, 90);
	assert_int_equal(back.id, 0x01020304);
	assert_int_equal(back.as4, 4200000001u);
	assert_true(back.cap_rr && back.cap_enhanced_rr && back.cap_gr && back.caps_present);
	assert_int_equal(back.gr_time, 120);
	assert_int_equal(back.gr_flags, 0x8);
	assert_int_equal(back.nafi, 1);
	assert_int_equal(back.afi[0].safi, BGP_SAFI_UNICAST);
	assert_int_equal(back.ncaps, 5);
	/* The decoded layout encodes to the same bytes. */
	n2 = bgp_open_encode(m2, &back);
	assert_int_equal(n2, n);
	assert_memory_equal(m, m2, n);

	/* More capabilities than one-octet lengths hold: the encoding stays decodable. */
	o.ngr_afi = 8;
	o.ncaps = 32;
	for (unsigned i = 0; i < 32; i++)
		o.caps[i].code = BGP_CAP_GR, o.caps[i].param = (uint8_t)(i % 2);
	n = bgp_open_encode(m, &o);
	assert_true(n <= 29 + 255 && n > 29 + 200);
	assert_int_equal(bgp_open_decode(m, n, &back, &err), 0);
	assert_true(back.cap_gr);
	assert_int_equal(back.ngr_afi, 8);

	/* No capabilities at all: a 29-octet OPEN. */
	memset(&o, 0, sizeof o);
	o.version = 4, o.my_as = 65001, o.hold = 0, o.id = 1;
	n = bgp_open_encode(m, &o);
	assert_int_equal(n, 29);
	assert_int_equal(bgp_open_decode(m, n, &back, &err), 0);
	assert_false(back.caps_present);
}

/* Graceful restart (RFC 4724 3): flags, a 12-bit Restart Time, families with the F bit. */
static void
test_open_gr_families(void **state UNUSED)
{
	static const uint8_t cap[] = {BGP_CAP_GR, 10, 0xcf, 0xff, 0, 1, 1, 0x80, 0, 1, 128, 0};
	struct bgp_open o = {.version = 4, .my_as = 65001, .hold = 9, .id = 1, .cap_gr = true,
	                     .gr_time = 4095, .gr_flags = BGP_GR_FLAG_R | BGP_GR_FLAG_N, .ngr_afi = 2};
	struct bgp_open back;
	struct bgp_err err;
	uint8_t m[BGP_MAX_LEN], m2[BGP_MAX_LEN];
	size_t n;

	o.gr_afi[0].afi = BGP_AFI_IPV4, o.gr_afi[0].safi = BGP_SAFI_UNICAST;
	o.gr_afi[0].flags = BGP_GR_AFI_F;
	o.gr_afi[1].afi = BGP_AFI_IPV4, o.gr_afi[1].safi = BGP_SAFI_MPLS_VPN;
	n = bgp_open_encode(m, &o);
	/* One parameter (type 2, length 12) holding the capability, byte for byte. */
	assert_int_equal(n, 29 + 2 + sizeof(cap));
	assert_memory_equal(m + 31, cap, sizeof(cap));
	assert_int_equal(bgp_open_decode(m, n, &back, &err), 0);
	assert_true(back.cap_gr);
	assert_int_equal(back.gr_time, 4095);
	assert_int_equal(back.gr_flags, BGP_GR_FLAG_R | BGP_GR_FLAG_N);
	assert_int_equal(back.ngr_afi, 2);
	assert_int_equal(back.gr_afi[0].flags, BGP_GR_AFI_F);
	assert_int_equal(back.gr_afi[1].safi, BGP_SAFI_MPLS_VPN);
	assert_int_equal(back.gr_afi[1].flags, 0);
	assert_int_equal(bgp_open_encode(m2, &back), n);
	assert_memory_equal(m, m2, n);
	/* A family entry cut short is malformed: OPEN Message Error, unspecific subcode. */
	m[28] = 13, m[30] = 11, m[32] = 9, m[16 + 1] = (uint8_t)(n - 1);
	assert_int_equal(bgp_open_decode(m, n - 1, &back, &err), -1);
	assert_int_equal(err.code, BGP_ERR_OPEN);
	assert_int_equal(err.subcode, BGP_OPEN_UNSPECIFIC);
	m[32] = 10; /* the same bytes with a whole entry's length decode */
	m[30] = 12, m[28] = 14, m[17] = (uint8_t)n;
	assert_int_equal(bgp_open_decode(m, n, &back, &err), 0);
}

static void
test_simple_roundtrips(void **state UNUSED)
{
	uint8_t m[BGP_MAX_LEN], m2[BGP_MAX_LEN];
	struct bgp_err n = {.code = BGP_ERR_CEASE,
	                    .subcode = BGP_CEASE_ADMIN_SHUTDOWN,
	                    .dlen = 3,
	                    .data = {2, 'h', 'i'}},
	               back, err;
	uint16_t afi;
	uint8_t safi, sub, type;
	size_t len;
	struct bgp_update u;

	len = bgp_keepalive_encode(m);
	assert_int_equal(len, 19);
	assert_int_equal(bgp_msg_header(m, len, &type, &err), 19);
	assert_int_equal(type, BGP_KEEPALIVE);

	len = bgp_notification_encode(m, &n);
	assert_int_equal(len, 24);
	assert_int_equal(bgp_notification_decode(m, len, &back), 0);
	assert_int_equal(back.code, BGP_ERR_CEASE);
	assert_int_equal(back.subcode, BGP_CEASE_ADMIN_SHUTDOWN);
	assert_int_equal(back.dlen, 3);
	assert_memory_equal(back.data, n.data, 3);
	assert_int_equal(bgp_notification_encode(m2, &back), len);
	assert_memory_equal(m, m2, len);

	len = bgp_route_refresh_encode(m, BGP_AFI_IPV4, BGP_SAFI_UNICAST, BGP_RR_EORR);
	assert_int_equal(len, 23);
	assert_int_equal(bgp_route_refresh_decode(m, len, &afi, &safi, &sub), 0);
	assert_int_equal(afi, 1);
	assert_int_equal(safi, 1);
	assert_int_equal(sub, BGP_RR_EORR);

	len = bgp_eor_encode(m);
	assert_int_equal(len, 23);
	assert_int_equal(decode_update(m, len, &ctx_new, &u), 0);
	assert_false(u.has_attrs);
	assert_int_equal(u.nnlri + u.nwithdrawn, 0);
}

/* A full attribute set (arrays on the stack). */
static const uint8_t rt_path[] = {
    BGP_AS_SEQUENCE, 3, 0, 0, 0xfd, 0xe9, 0xfa, 0x56, 0xea, 0x01, 0, 0, 0, 7,
    BGP_AS_SET,      2, 0, 0, 0,    8,    0,    0,    0,    9};
static const uint32_t rt_comm[] = {0xfde90064, BGP_COMM_NO_EXPORT};
static const uint8_t rt_ecomm[] = {0, 2, 0xfd, 0xe9, 0, 0, 0, 1};
static const uint8_t rt_lcomm[] = {0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 3};
static const uint32_t rt_cluster[] = {0x0a000001, 0x0a000002};
static const uint8_t rt_unknown[] = {0xe0, 99, 2, 0xab, 0xcd};

static struct bgp_attr
full_attr(void)
{
	struct bgp_attr a = {0};

	a.has = BGP_HAS_MED | BGP_HAS_LOCAL_PREF | BGP_HAS_ATOMIC_AGGR | BGP_HAS_AGGREGATOR |
	        BGP_HAS_ORIGINATOR | BGP_HAS_NEXT_HOP;
	a.origin = BGP_ORIGIN_EGP;
	a.nexthop = 0x0a000001;
	a.med = 5;
	a.local_pref = 200;
	a.aggr_as = 4200000001u;
	a.aggr_addr = 0x01010101;
	a.originator_id = 0x02020202;
	a.aspath = rt_path, a.aspath_len = sizeof rt_path;
	a.comm = rt_comm, a.ncomm = 2;
	a.ecomm = rt_ecomm, a.necomm = 1;
	a.lcomm = rt_lcomm, a.nlcomm = 1;
	a.cluster = rt_cluster, a.ncluster = 2;
	a.unknown = rt_unknown, a.unknown_len = sizeof rt_unknown;
	return a;
}

static void
test_update_roundtrip(void **state UNUSED)
{
	const struct bgp_codec_ctx *ctxs[] = {&ctx_new, &ctx_old};
	struct bgp_pfx p[3] = {{0x0a010200, 24}, {0xc0a80000, 16}, {0, 0}};
	uint8_t m[BGP_MAX_LEN], m2[BGP_MAX_LEN];
	struct bgp_attr a = full_attr();
	struct bgp_update u;
	size_t len, used;

	for (size_t c = 0; c < ARRAY_LEN(ctxs); c++) {
		len = bgp_update_encode(m, ctxs[c], &a, p, 3, false, &used);
		assert_int_equal(used, 3);
		assert_int_not_equal(len, 0);
		u.withdrawn = wd_buf, u.nlri = nlri_buf;
		assert_int_equal(bgp_update_decode(m, len, ctxs[c], &u, scratch), 0);
		assert_int_equal(u.action, BGP_UPD_OK);
		assert_int_equal(u.ndiscarded, 0);
		assert_int_equal(u.nnlri, 3);
		assert_true(same_pfx(u.nlri, p, 3));
		/* Same contents after the trip (the old speaker's AS4_PATH merged back). */
		assert_true(bgp_attr_equal(&u.attr, &a));
		if (ctxs[c] == &ctx_old) {
			/* Attribute 17 (AS4_PATH) and 18 (AS4_AGGREGATOR) were on the wire. */
			assert_non_null(memmem(m, len, (const uint8_t[]){0xc0, 17}, 2));
			assert_non_null(memmem(m, len, (const uint8_t[]){0xc0, 18, 8}, 3));
		}
		assert_int_equal(
		    bgp_update_encode(m2, ctxs[c], &u.attr, u.nlri, u.nnlri, false, &used), len);
		assert_memory_equal(m, m2, len);
	}
	/* A path of 2-octet ASes only: no AS4_PATH to an old speaker. */
	{
		static const uint8_t small[] = {BGP_AS_SEQUENCE, 1, 0, 0, 0xfd, 0xe9};
		struct bgp_attr b = {.origin = 0, .aspath = small, .aspath_len = sizeof small};

		len = bgp_update_encode(m, &ctx_old, &b, p, 1, false, &used);
		assert_null(memmem(m, len, (const uint8_t[]){0xc0, 17}, 2));
		/* 23 + ORIGIN 4 + AS_PATH (3 + 4) + NLRI 4 */
		assert_int_equal(len, 23 + 4 + 7 + 4);
	}
}

/* Many prefixes: packed into full messages, every one sent once, in order. */
static void
test_update_packing(void **state UNUSED)
{
	enum { N = 5000 };
	static struct bgp_pfx p[N];
	static const uint8_t path[] = {BGP_AS_SEQUENCE, 1, 0, 0, 0xfd, 0xe9};
	struct bgp_attr a = {.origin = 0,
	                     .aspath = path,
	                     .aspath_len = sizeof path,
	                     .has = BGP_HAS_NEXT_HOP,
	                     .nexthop = 0x0a000001};
	uint8_t m[BGP_MAX_LEN];
	struct bgp_update u;

	for (int withdraw = 0; withdraw < 2; withdraw++) {
		size_t sent = 0, msgs = 0;

		for (size_t i = 0; i < N; i++)
			p[i] = (struct bgp_pfx){0x0a000000u + ((uint32_t)i << 8), 24};
		while (sent < N) {
			size_t used, len = bgp_update_encode(m, &ctx_new, withdraw ? NULL : &a,
			                                     p + sent, N - sent, withdraw, &used);

			assert_true(len > 0 && len <= BGP_MAX_LEN);
			assert_int_equal(decode_update(m, len, &ctx_new, &u), 0);
			assert_int_equal(withdraw ? u.nwithdrawn : u.nnlri, used);
			assert_true(same_pfx(withdraw ? wd_buf : nlri_buf, p + sent, used));
			/* Full: another /24 (4 octets) would not have fitted. */
			if (sent + used < N)
				assert_true(len + 4 > BGP_MAX_LEN);
			sent += used;
			msgs++;
		}
		/* 4096 - 23 - attributes over 4 octets per /24: 1018 or so per message. */
		assert_int_equal(msgs, 5);
	}
}

/* ------------------------------------------------------------------------ */
/* (b) the captures */

struct seg {
	char file[64];
	unsigned frame;
	uint32_t src, dst;
	uint8_t *p;
	size_t len;
};

static struct seg *segs;
static size_t nsegs, capsegs;
static const char *cur_file;
static unsigned cur_frame;

static const char *const capfiles[] = {
    "captures/tcpdump/bgp-4byte-asn.pcap",
    "captures/tcpdump/bgp-addpath.pcap",
    "captures/tcpdump/bgp-bfd-cease.pcap",
    "captures/tcpdump/bgp-cease-hard-reset.pcap",
    "captures/tcpdump/bgp-evpn.pcap",
    "captures/tcpdump/bgp-large-community.pcap",
    "captures/tcpdump/bgp-lu-multiple-labels.pcap",
    "captures/tcpdump/bgp-rt-prefix.pcap",
    "captures/tcpdump/bgp-ub.pcap",
    "captures/tcpdump/bgp_vpn_attrset.pcap",
    "captures/tcpdump/mpbgp-linklocal-nexthop.pcap",
    "captures/holo/holo_bgp.pcap",
};

/* The README's broken-on-purpose files (malformed or add-path BGP). */
static bool
broken_file(const char *f)
{
	return strstr(f, "bgp-addpath") || strstr(f, "bgp-ub");
}

/* Stands in for the BGP dissector: keeps each port-179 payload. */
static void
grab(struct dissect *d, const uint8_t *p, size_t len)
{
	struct seg *s;

	grow_array((void **)&segs, &capsegs, nsegs + 1, sizeof(*segs));
	s = &segs[nsegs++];
	snprintf(s->file, sizeof s->file, "%s", cur_file);
	s->frame = cur_frame;
	s->src = d->ip_src;
	s->dst = d->ip_dst;
	s->p = xmalloc(len);
	memcpy(s->p, p, len);
	s->len = len;
}

/* BGP lines and failed frames of a capture; a failure outside the broken files fails the test. */
struct tally {
	const char *file;
	unsigned bgp, errors;
};

static void
tally_frame(struct dissect *d, void *arg)
{
	struct tally *t = arg;

	if (strstr(sb_str(&d->line), "BGP"))
		t->bgp++;
	if (d->errors) {
		t->errors++;
		if (!broken_file(t->file))
			fail_msg("%s frame %u: %s: %s", t->file, cur_frame, sb_str(&d->line),
			         sb_str(&d->err));
	}
}

/* (g) first, while the real dissector is registered: every file decodes, the broken ones fail. */
static void
test_dissect_captures(void **state UNUSED)
{
	struct dissect d;

	dissect_setup();
	dissect_init(&d);
	for (size_t i = 0; i < ARRAY_LEN(capfiles); i++) {
		struct tally t = {capfiles[i], 0, 0};

		cur_file = capfiles[i];
		assert_true(shared_pcap_decode(capfiles[i], &d, &cur_frame, tally_frame, &t) > 0);
		assert_true(t.bgp > 0);
		if (broken_file(capfiles[i]))
			assert_true(t.errors > 0);
	}
	/* A few lines in full. */
	{
		char *path = shared_path("captures/holo/holo_bgp.pcap");
		char err[256];
		struct pcap_reader *r = pcap_reader_open(path, err, sizeof err);
		struct pcap_frame f;
		const char *want[] = {
		    "BGP OPEN as 1 hold 180 id 1.1.1.1",
		    "BGP OPEN as 1 hold 180 id 1.1.1.1 caps multiprotocol 1/1",
		    "caps multiprotocol 1/1,multiprotocol 2/1,4-octet-as 65550,route-refresh,"
		    "enhanced-route-refresh",
		    "BGP UPDATE end-of-rib",
		    "BGP UPDATE withdrawn 10.0.1.0/24 10.0.2.0/24 origin IGP as-path [1 2 3] "
		    "next-hop "
		    "1.1.1.1 med 500 local-pref 500 atomic-aggregate aggregator 1000 2.2.2.2 "
		    "communities "
		    "0:1,0:2,0:3 ext-communities 0x0000:000100000001 large-communities 1:0:1 originator-id 1.1.1.1 "
		    "cluster-list 3.3.3.3 unknown-attrs 24 bytes nlri 10.0.255.1/32 10.0.255.2/32 "
		    "(2 other-family MP attributes)",
		    "BGP KEEPALIVE",
		    "BGP NOTIFICATION Message Header Error/Bad Message Length data 2 bytes",
		    "BGP ROUTE-REFRESH afi 1 safi 1",
		};

		for (size_t k = 0; k < ARRAY_LEN(want); k++) {
			assert_int_equal(pcap_read(r, &f, err, sizeof err), 1);
			dissect_reset(&d);
			dissect_capture(&d, f.linktype, f.data, f.caplen, f.origlen);
			if (strstr(sb_str(&d.line), want[k]) == NULL)
				fail_msg("frame %zu: %s lacks %s", k + 1, sb_str(&d.line), want[k]);
		}
		pcap_reader_close(r);
		free(path);
	}
	/* Two messages in one segment; one cut at its end; a bad marker. */
	{
		uint8_t p[64];
		size_t n = bgp_keepalive_encode(p);

		n += bgp_keepalive_encode(p + n);
		dissect_reset(&d);
		dissect_call(&d, DT_TCP_PORT, 179, p, n);
		assert_string_equal(sb_str(&d.line), "BGP KEEPALIVE; KEEPALIVE");
		assert_int_equal(d.errors, 0);
		dissect_reset(&d);
		dissect_call(&d, DT_TCP_PORT, 179, p, n - 5);
		assert_string_equal(sb_str(&d.line), "BGP KEEPALIVE; [|bgp]");
		assert_int_equal(d.errors, 0);
		n = 19 + bgp_route_refresh_encode(p + 19, 1, 1, 0);
		dissect_reset(&d);
		dissect_call(&d, DT_TCP_PORT, 179, p, n - 1);
		assert_string_equal(sb_str(&d.line), "BGP KEEPALIVE; ROUTE-REFRESH len 23 [|bgp]");
		assert_int_equal(d.errors, 0);
		n = 2 * bgp_keepalive_encode(p + 19);
		p[19 + 3] = 0;
		dissect_reset(&d);
		dissect_call(&d, DT_TCP_PORT, 179, p, n);
		assert_int_equal(d.errors, 1);
		assert_non_null(strstr(sb_str(&d.err), "Connection Not Synchronized"));
	}
	dissect_free(&d);
}

/* Canonical flags for a known type as netsim writes them (0: not one netsim writes). */
static uint8_t
canon_flags(uint8_t t, bool as4)
{
	switch (t) {
	case 1:
	case 2:
	case 3:
	case 5:
	case 6:
		return 0x40;
	case 4:
	case 9:
	case 10:
		return 0x80;
	case 7:
	case 8:
	case 16:
	case 32:
		return 0xc0;
	case 17:
	case 18:
		return as4 ? 0 : 0xc0;
	}
	return 0;
}

/*
 * Does this UPDATE use only what netsim's encoder writes, judged from the
 * bytes: attributes in ascending order, each with the flags netsim gives it
 * (extended length only over 255), unknown ones optional transitive and
 * already partial, no MP_REACH/MP_UNREACH (their NLRI would go back in the
 * NLRI field), prefixes with no bits past their length.
 */
static bool
update_supported(const uint8_t *m, size_t len, bool as4)
{
	size_t wlen = get16(m + 19), alen = get16(m + 21 + wlen), off = 0;
	const uint8_t *a = m + 23 + wlen;
	int last = -1;

	while (off < alen) {
		uint8_t f = a[off], t = a[off + 1];
		size_t hl = f & 0x10 ? 4 : 3, n = hl == 4 ? get16(a + off + 2) : a[off + 2];
		uint8_t want = canon_flags(t, as4);

		if (t <= last || t == 14 || t == 15)
			return false;
		if (want != 0 ? (f & ~0x10) != want : (f & 0xe0) != 0xe0)
			return false;
		if ((n > 255) != (hl == 4))
			return false;
		last = t;
		off += hl + n;
	}
	/* Prefixes with trailing bits set would come back masked. */
	for (int part = 0; part < 2; part++) {
		const uint8_t *p = part ? a + alen : m + 21;
		size_t plen = part ? len - 23 - wlen - alen : wlen;

		for (size_t o = 0; o < plen;) {
			uint8_t l = p[o];
			size_t b = (l + 7u) / 8u;

			if (l % 8 && (p[o + b] & (0xff >> (l % 8))))
				return false;
			o += 1 + b;
		}
	}
	return true;
}

/* What the OPENs of a connection said about capability 65, by (address pair). */
struct conn {
	uint32_t a, b;
	bool as4[2];
	int opens;
};

static bool
conn_as4(struct conn *c, size_t n, uint32_t src, uint32_t dst, bool *known)
{
	for (size_t i = 0; i < n; i++)
		if ((c[i].a == src && c[i].b == dst) || (c[i].a == dst && c[i].b == src)) {
			*known = c[i].opens == 2;
			return c[i].as4[0] && c[i].as4[1];
		}
	*known = false;
	return false;
}

static void
test_captures(void **state UNUSED)
{
	struct dissect d;
	struct conn conns[32];
	size_t nconn = 0;
	unsigned total = 0, supported = 0, identical = 0, bad = 0, guessed = 0;
	unsigned by_type[6] = {0};

	dissect_setup();
	dissect_register(DT_TCP_PORT, BGP_PORT, grab);
	dissect_init(&d);
	for (size_t i = 0; i < ARRAY_LEN(capfiles); i++) {
		cur_file = capfiles[i];
		assert_true(shared_pcap_decode(capfiles[i], &d, &cur_frame, NULL, NULL) > 0);
	}
	dissect_free(&d);
	assert_true(nsegs > 40);
	for (size_t s = 0; s < nsegs; s++) {
		const struct seg *g = &segs[s];
		size_t off = 0;

		/* bgp-ub's one segment opens with garbage (a fuzzed capture): its messages are not
		 * framed. */
		if (g->len >= 4 && get32(g->p) != 0xffffffffu) {
			assert_non_null(strstr(g->file, "bgp-ub"));
			continue;
		}
		while (off < g->len) {
			uint8_t type = 0, m2[BGP_MAX_LEN];
			struct bgp_err err = {0};
			int n = bgp_msg_header(g->p + off, g->len - off, &type, &err);
			const uint8_t *m = g->p + off;
			bool ok = false, same = false, sup = false;

			if (n <= 0)
				fail_msg("%s frame %u: header %d (%u/%u)", g->file, g->frame, n,
				         err.code, err.subcode);
			total++;
			by_type[type]++;
			switch (type) {
			case BGP_OPEN: {
				struct bgp_open o;
				struct conn *c = NULL;

				ok = bgp_open_decode(m, (size_t)n, &o, &err) == 0;
				sup = true;
				for (unsigned k = 0; k < o.ncaps; k++)
					sup &= o.caps[k].code == BGP_CAP_MP ||
					       o.caps[k].code == BGP_CAP_ROUTE_REFRESH ||
					       o.caps[k].code == BGP_CAP_RR_OLD ||
					       o.caps[k].code == BGP_CAP_ENHANCED_RR ||
					       o.caps[k].code == BGP_CAP_GR ||
					       o.caps[k].code == BGP_CAP_AS4;
				same = ok && bgp_open_encode(m2, &o) == (size_t)n &&
				       memcmp(m, m2, (size_t)n) == 0;
				for (size_t k = 0; k < nconn; k++)
					if ((conns[k].a == g->src && conns[k].b == g->dst) ||
					    (conns[k].b == g->src && conns[k].a == g->dst))
						c = &conns[k];
				if (c == NULL || c->opens == 2) {
					if (c == NULL) {
						assert_true(nconn < ARRAY_LEN(conns));
						c = &conns[nconn++];
					}
					*c = (struct conn){g->src, g->dst, {false, false}, 0};
				}
				c->as4[c->a == g->src ? 0 : 1] = o.as4 != 0;
				c->opens++;
				break;
			}
			case BGP_UPDATE: {
				struct bgp_update u;
				bool known;
				struct bgp_codec_ctx ctx = {
				    .as4 = conn_as4(conns, nconn, g->src, g->dst, &known)};
				size_t used;

				if (!known) {
					/* No OPEN pair in the capture: guess, as a dissector must.
					 */
					ctx.as4 = bgp_update_guess_as4(m, (size_t)n);
					guessed++;
				}
				ok = decode_update(m, (size_t)n, &ctx, &u) == 0 &&
				     u.action == BGP_UPD_OK;
				sup = ok && u.ndiscarded == 0 &&
				      update_supported(m, (size_t)n, ctx.as4) &&
				      (u.nwithdrawn == 0 || !u.has_attrs) &&
				      (u.nwithdrawn == 0 || u.nnlri == 0);
				if (sup) {
					/* decode_update freed its copy: decode again in place to
					 * encode. */
					u.withdrawn = wd_buf, u.nlri = nlri_buf;
					assert_int_equal(
					    bgp_update_decode(m, (size_t)n, &ctx, &u, scratch), 0);
					if (u.nwithdrawn > 0)
						same = bgp_update_encode(m2, &ctx, NULL,
						                         u.withdrawn, u.nwithdrawn,
						                         true, &used) == (size_t)n;
					else if (u.has_attrs)
						same = bgp_update_encode(m2, &ctx, &u.attr, u.nlri,
						                         u.nnlri, false,
						                         &used) == (size_t)n;
					else
						same = bgp_eor_encode(m2) == (size_t)n;
					same = same && memcmp(m, m2, (size_t)n) == 0;
				}
				break;
			}
			case BGP_NOTIFICATION: {
				struct bgp_err nt;

				ok = bgp_notification_decode(m, (size_t)n, &nt) == 0;
				sup = (size_t)n - 21 <= sizeof nt.data;
				same = ok && bgp_notification_encode(m2, &nt) == (size_t)n &&
				       memcmp(m, m2, (size_t)n) == 0;
				break;
			}
			case BGP_KEEPALIVE:
				ok = sup = true;
				same =
				    bgp_keepalive_encode(m2) == (size_t)n && memcmp(m, m2, 19) == 0;
				break;
			case BGP_ROUTE_REFRESH: {
				uint16_t afi;
				uint8_t safi, sub;

				ok = sup =
				    bgp_route_refresh_decode(m, (size_t)n, &afi, &safi, &sub) == 0;
				same = ok &&
				       bgp_route_refresh_encode(m2, afi, safi, sub) == (size_t)n &&
				       memcmp(m, m2, (size_t)n) == 0;
				break;
			}
			}
			if (!ok) {
				if (!broken_file(g->file))
					fail_msg("%s frame %u: %s does not decode", g->file,
					         g->frame, bgp_msg_type_name(type));
				bad++;
			}
			if (sup) {
				supported++;
				if (!same)
					fail_msg("%s frame %u: %s re-encodes differently", g->file,
					         g->frame, bgp_msg_type_name(type));
				identical++;
			}
			off += (size_t)n;
		}
	}
	print_message(
	    "bgp captures: %u messages (%u OPEN, %u UPDATE, %u NOTIFICATION, %u KEEPALIVE, "
	    "%u ROUTE-REFRESH), %u re-encoded identically, %u refused (broken on purpose), "
	    "%u UPDATEs with a guessed AS size\n",
	    total, by_type[1], by_type[2], by_type[3], by_type[4], by_type[5], identical, bad,
	    guessed);
	/* Each type is among the re-encoded ones; the add-path capture fails. */
	assert_true(bad >= 1);
	assert_true(identical >= 30);
	assert_true(by_type[BGP_ROUTE_REFRESH] >= 1 && by_type[BGP_NOTIFICATION] >= 3);
	for (size_t s = 0; s < nsegs; s++)
		free(segs[s].p);
	free(segs);
	segs = NULL;
	nsegs = capsegs = 0;
}

/* ------------------------------------------------------------------------ */
/* (c) the error table */

#define ORIGIN_A 0x40, 1, 1, 0
#define ASPATH_A 0x40, 2, 6, 2, 1, 0, 0, 0xfd, 0xe9
#define NH_A     0x40, 3, 4, 10, 0, 0, 1
#define BASE_A   ORIGIN_A, ASPATH_A, NH_A
#define NLRI_1   24, 10, 1, 2

struct ecase {
	const char *name;
	bool ebgp, as4;
	int action;
	uint8_t subcode;
	unsigned ndiscarded;
	const uint8_t *wd;
	size_t wdlen;
	const uint8_t *attrs;
	size_t alen;
	const uint8_t *nlri;
	size_t nlen;
	int data_attr; /* >= 0: the error data is the attribute at this offset of attrs */
};

#define B(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})
#define NONE   NULL, 0
#define NL     B(NLRI_1)

static size_t
mk_update(uint8_t *m, const struct ecase *c)
{
	size_t off = 19;

	put16(m + off, (uint16_t)c->wdlen);
	off += 2;
	if (c->wdlen)
		memcpy(m + off, c->wd, c->wdlen);
	off += c->wdlen;
	put16(m + off, (uint16_t)c->alen);
	off += 2;
	if (c->alen)
		memcpy(m + off, c->attrs, c->alen);
	off += c->alen;
	if (c->nlen)
		memcpy(m + off, c->nlri, c->nlen);
	off += c->nlen;
	memset(m, 0xff, 16);
	put16(m + 16, (uint16_t)off);
	m[18] = BGP_UPDATE;
	return off;
}

static const struct ecase *
find_case(const struct ecase *c, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(c[i].name, name) == 0)
			return &c[i];
	fail_msg("no case %s", name);
	return NULL;
}

static void
test_update_errors(void **state UNUSED)
{
	enum { TAW = BGP_UPD_TREAT_AS_WITHDRAW, RST = BGP_UPD_RESET, OK = BGP_UPD_OK };
	const struct ecase cases[] = {
	    {"valid", 0, 1, OK, 0, 0, NONE, B(BASE_A), NL, -1},
	    {"withdrawn prefix overrun", 0, 1, RST, BGP_UPD_BAD_NETWORK, 0, B(24, 10, 1), NONE,
	     NONE, -1},
	    {"withdrawn prefix /33", 0, 1, RST, BGP_UPD_BAD_NETWORK, 0, B(33, 1, 2, 3, 4, 5), NONE,
	     NONE, -1},
	    {"NLRI prefix /33", 0, 1, RST, BGP_UPD_BAD_NETWORK, 0, NONE, B(BASE_A),
	     B(33, 1, 2, 3, 4, 5), -1},
	    {"NLRI overrun", 0, 1, RST, BGP_UPD_BAD_NETWORK, 0, NONE, B(BASE_A), B(24, 10, 1), -1},
	    {"ORIGIN length 2", 0, 1, TAW, BGP_UPD_ATTR_LEN, 0, NONE,
	     B(0x40, 1, 2, 0, 0, ASPATH_A, NH_A), NL, 0},
	    {"ORIGIN 3", 0, 1, TAW, BGP_UPD_BAD_ORIGIN, 0, NONE, B(0x40, 1, 1, 3, ASPATH_A, NH_A),
	     NL, 0},
	    {"ORIGIN flagged optional", 0, 1, TAW, BGP_UPD_ATTR_FLAGS, 0, NONE,
	     B(0xc0, 1, 1, 0, ASPATH_A, NH_A), NL, 0},
	    {"ORIGIN partial", 0, 1, TAW, BGP_UPD_ATTR_FLAGS, 0, NONE,
	     B(0x60, 1, 1, 0, ASPATH_A, NH_A), NL, 0},
	    {"AS_PATH segment type 5", 0, 1, TAW, BGP_UPD_BAD_ASPATH, 0, NONE,
	     B(ORIGIN_A, 0x40, 2, 6, 5, 1, 0, 0, 0xfd, 0xe9, NH_A), NL, 4},
	    {"AS_PATH segment count 0", 0, 1, TAW, BGP_UPD_BAD_ASPATH, 0, NONE,
	     B(ORIGIN_A, 0x40, 2, 2, 2, 0, NH_A), NL, 4},
	    {"AS_PATH segment overrun", 0, 1, TAW, BGP_UPD_BAD_ASPATH, 0, NONE,
	     B(ORIGIN_A, 0x40, 2, 6, 2, 2, 0, 0, 0xfd, 0xe9, NH_A), NL, 4},
	    {"AS_PATH of 2-octet ASes on a 4-octet session", 0, 1, TAW, BGP_UPD_BAD_ASPATH, 0, NONE,
	     B(ORIGIN_A, 0x40, 2, 6, 2, 2, 0xfd, 0xe9, 0xfd, 0xea, NH_A), NL, 4},
	    {"NEXT_HOP length 5", 0, 1, TAW, BGP_UPD_ATTR_LEN, 0, NONE,
	     B(ORIGIN_A, ASPATH_A, 0x40, 3, 5, 10, 0, 0, 1, 0), NL, 13},
	    {"NEXT_HOP 0.0.0.0", 0, 1, TAW, BGP_UPD_BAD_NEXTHOP, 0, NONE,
	     B(ORIGIN_A, ASPATH_A, 0x40, 3, 4, 0, 0, 0, 0), NL, 13},
	    {"NEXT_HOP multicast", 0, 1, TAW, BGP_UPD_BAD_NEXTHOP, 0, NONE,
	     B(ORIGIN_A, ASPATH_A, 0x40, 3, 4, 224, 0, 0, 5), NL, 13},
	    {"NEXT_HOP missing", 0, 1, TAW, BGP_UPD_MISSING_WELLKNOWN, 0, NONE,
	     B(ORIGIN_A, ASPATH_A), NL, -1},
	    {"ORIGIN missing", 0, 1, TAW, BGP_UPD_MISSING_WELLKNOWN, 0, NONE, B(ASPATH_A, NH_A), NL,
	     -1},
	    {"no attributes, NLRI", 0, 1, TAW, BGP_UPD_MISSING_WELLKNOWN, 0, NONE, NONE, NL, -1},
	    {"no NLRI, missing attributes are fine", 0, 1, OK, 0, 0, NONE, B(ORIGIN_A), NONE, -1},
	    {"MED length 3", 0, 1, TAW, BGP_UPD_ATTR_LEN, 0, NONE, B(BASE_A, 0x80, 4, 3, 0, 0, 0),
	     NL, 20},
	    {"MED flagged transitive", 0, 1, TAW, BGP_UPD_ATTR_FLAGS, 0, NONE,
	     B(BASE_A, 0xc0, 4, 4, 0, 0, 0, 0), NL, 20},
	    {"LOCAL_PREF from eBGP", 1, 1, OK, 0, 1, NONE, B(BASE_A, 0x40, 5, 4, 0, 0, 0, 100), NL,
	     -1},
	    {"LOCAL_PREF length 3 from eBGP (discarded first)", 1, 1, OK, 0, 1, NONE,
	     B(BASE_A, 0x40, 5, 3, 0, 0, 100), NL, -1},
	    {"LOCAL_PREF length 3", 0, 1, TAW, BGP_UPD_ATTR_LEN, 0, NONE,
	     B(BASE_A, 0x40, 5, 3, 0, 0, 100), NL, 20},
	    {"ATOMIC_AGGREGATE length 1", 0, 1, OK, 0, 1, NONE, B(BASE_A, 0x40, 6, 1, 0), NL, -1},
	    {"AGGREGATOR length 6 on a 4-octet session", 0, 1, OK, 0, 1, NONE,
	     B(BASE_A, 0xc0, 7, 6, 0xfd, 0xe9, 1, 1, 1, 1), NL, -1},
	    {"AGGREGATOR AS 0", 0, 1, OK, 0, 1, NONE, B(BASE_A, 0xc0, 7, 8, 0, 0, 0, 0, 1, 1, 1, 1),
	     NL, -1},
	    {"AGGREGATOR flagged well-known", 0, 1, OK, 0, 1, NONE,
	     B(BASE_A, 0x40, 7, 8, 0, 0, 0, 1, 1, 1, 1, 1), NL, -1},
	    {"COMMUNITIES length 5", 0, 1, TAW, BGP_UPD_ATTR_LEN, 0, NONE,
	     B(BASE_A, 0xc0, 8, 5, 0, 0, 0, 1, 2), NL, 20},
	    {"COMMUNITIES length 0", 0, 1, TAW, BGP_UPD_ATTR_LEN, 0, NONE, B(BASE_A, 0xc0, 8, 0),
	     NL, 20},
	    {"ORIGINATOR_ID length 5", 0, 1, TAW, BGP_UPD_ATTR_LEN, 0, NONE,
	     B(BASE_A, 0x80, 9, 5, 1, 1, 1, 1, 1), NL, 20},
	    {"CLUSTER_LIST length 6", 0, 1, TAW, BGP_UPD_ATTR_LEN, 0, NONE,
	     B(BASE_A, 0x80, 10, 6, 1, 1, 1, 1, 1, 1), NL, 20},
	    {"EXT COMMUNITIES length 9", 0, 1, TAW, BGP_UPD_ATTR_LEN, 0, NONE,
	     B(BASE_A, 0xc0, 16, 9, 0, 2, 0, 1, 0, 0, 0, 1, 9), NL, 20},
	    {"LARGE COMMUNITIES length 13", 0, 1, TAW, BGP_UPD_ATTR_LEN, 0, NONE,
	     B(BASE_A, 0xc0, 32, 13, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 4), NL, 20},
	    {"MP_REACH too short", 0, 1, RST, BGP_UPD_OPT_ATTR, 0, NONE,
	     B(BASE_A, 0x80, 14, 4, 0, 1, 1, 4), NL, 20},
	    {"MP_REACH next hop overrun", 0, 1, RST, BGP_UPD_OPT_ATTR, 0, NONE,
	     B(BASE_A, 0x80, 14, 6, 0, 1, 1, 4, 10, 0), NL, 20},
	    {"MP_REACH bad prefix", 0, 1, RST, BGP_UPD_OPT_ATTR, 0, NONE,
	     B(BASE_A, 0x80, 14, 11, 0, 1, 1, 4, 10, 0, 0, 2, 0, 40, 10), NONE, 20},
	    {"MP_UNREACH twice", 0, 1, RST, BGP_UPD_MALFORMED_ATTRS, 0, NONE,
	     B(0x80, 15, 3, 0, 1, 1, 0x80, 15, 3, 0, 1, 1), NONE, 6},
	    {"MP_REACH flagged transitive", 0, 1, RST, BGP_UPD_ATTR_FLAGS, 0, NONE,
	     B(ORIGIN_A, ASPATH_A, 0xc0, 14, 10, 0, 1, 1, 4, 10, 0, 0, 2, 0, 0), NONE, 13},
	    {"MP_REACH of IPv4 unicast, no NEXT_HOP needed", 0, 1, OK, 0, 0, NONE,
	     B(0x80, 14, 15, 0, 1, 1, 4, 10, 0, 0, 2, 0, NLRI_1, 8, 11, ORIGIN_A, ASPATH_A), NONE,
	     -1},
	    {"MP_REACH of another family: skipped", 0, 1, OK, 0, 0, NONE,
	     B(0x80, 14, 9, 0, 2, 1, 4, 10, 0, 0, 2, 0, ORIGIN_A, ASPATH_A), NONE, -1},
	    {"ORIGIN twice: the second discarded", 0, 1, OK, 0, 1, NONE, B(BASE_A, 0x40, 1, 1, 2),
	     NL, -1},
	    {"unknown well-known", 0, 1, RST, BGP_UPD_UNKNOWN_WELLKNOWN, 0, NONE,
	     B(BASE_A, 0x40, 99, 2, 1, 2), NL, 20},
	    {"unknown optional transitive kept", 0, 1, OK, 0, 0, NONE, B(BASE_A, 0xc0, 99, 2, 1, 2),
	     NL, -1},
	    {"unknown optional non-transitive dropped", 0, 1, OK, 0, 0, NONE,
	     B(BASE_A, 0x80, 99, 2, 1, 2), NL, -1},
	    {"attribute overruns, NLRI known", 0, 1, TAW, BGP_UPD_ATTR_LEN, 0, NONE,
	     B(BASE_A, 0xc0, 8, 8, 0, 0, 0, 1), NL, 20},
	    {"attribute header cut, NLRI known", 0, 1, TAW, BGP_UPD_MALFORMED_ATTRS, 0, NONE,
	     B(BASE_A, 0xc0, 8), NL, 20},
	    {"attribute overruns, no NLRI known", 0, 1, RST, BGP_UPD_ATTR_LEN, 0, NONE,
	     B(0xc0, 8, 8, 0, 0, 0, 1), NONE, 0},
	    {"AS4_PATH on a 4-octet session", 0, 1, OK, 0, 1, NONE,
	     B(BASE_A, 0xc0, 17, 6, 2, 1, 0, 0, 0xfd, 0xe9), NL, -1},
	    {"AS4_PATH malformed from an old speaker", 0, 0, OK, 0, 1, NONE,
	     B(ORIGIN_A, 0x40, 2, 4, 2, 1, 0xfd, 0xe9, NH_A, 0xc0, 17, 6, 2, 2, 0, 0, 0xfd, 0xe9),
	     NL, -1},
	    {"AS4_PATH with a confederation segment", 0, 0, OK, 0, 1, NONE,
	     B(ORIGIN_A, 0x40, 2, 4, 2, 1, 0xfd, 0xe9, NH_A, 0xc0, 17, 6, 3, 1, 0, 0, 0xfd, 0xe9),
	     NL, -1},
	    {"AS4_AGGREGATOR length 6", 0, 0, OK, 0, 1, NONE,
	     B(ORIGIN_A, 0x40, 2, 4, 2, 1, 0xfd, 0xe9, NH_A, 0xc0, 18, 6, 0, 0, 1, 1, 1, 1), NL,
	     -1},
	};
	uint8_t m[BGP_MAX_LEN];

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const struct ecase *c = &cases[i];
		struct bgp_codec_ctx ctx = {.as4 = c->as4, .ebgp = c->ebgp};
		struct bgp_update u;
		size_t len = mk_update(m, c);
		int rc = decode_update(m, len, &ctx, &u);

		if ((int)u.action != c->action || u.ndiscarded != c->ndiscarded ||
		    (c->action != OK &&
		     (u.err.code != BGP_ERR_UPDATE || u.err.subcode != c->subcode)) ||
		    (rc < 0) != (c->action == RST))
			fail_msg("%s: action %d code %u/%u discarded %u rc %d; want %d 3/%u %u",
			         c->name, u.action, u.err.code, u.err.subcode, u.ndiscarded, rc,
			         c->action, c->subcode, c->ndiscarded);
		if (c->data_attr >= 0) {
			const uint8_t *at = c->attrs + c->data_attr;
			size_t rest = c->alen - (size_t)c->data_attr;
			size_t alen = rest < 4       ? rest
			              : at[0] & 0x10 ? 4u + get16(at + 2)
			                             : 3u + at[2];

			if (alen > rest)
				alen = rest; /* an overrun: the rest */
			if (u.err.dlen != alen || memcmp(u.err.data, at, alen) != 0)
				fail_msg("%s: error data of %u octets is not the attribute (%zu)",
				         c->name, u.err.dlen, alen);
		}
	}
	/* The lengths of the withdrawn routes and the attributes overrun the message (RFC
	 * 4271 6.3). */
	for (int which = 0; which < 2; which++) {
		struct bgp_codec_ctx ctx = {.as4 = true};
		struct bgp_update u;
		size_t len = mk_update(m, &cases[0]);

		put16(m + (which ? 21 : 19), (uint16_t)len);
		assert_int_equal(decode_update(m, len, &ctx, &u), -1);
		assert_int_equal(u.action, RST);
		assert_true(u.err.code == BGP_ERR_UPDATE &&
		            u.err.subcode == BGP_UPD_MALFORMED_ATTRS);
	}
	/* What the cases above left in the update, for a few. */
	{
		struct bgp_update u;
		struct bgp_codec_ctx ctx = {.as4 = true};
		size_t len;

		len = mk_update(
		    m,
		    find_case(
		        cases, ARRAY_LEN(cases),
		        "unknown optional transitive kept")); /* unknown optional transitive kept */
		assert_int_equal(decode_update(m, len, &ctx, &u), 0);
		assert_int_equal(u.attr.unknown_len, 5);
		assert_memory_equal(u.attr.unknown, ((const uint8_t[]){0xe0, 99, 2, 1, 2}), 5);
		len = mk_update(
		    m,
		    find_case(
		        cases, ARRAY_LEN(cases),
		        "ORIGIN twice: the second discarded")); /* ORIGIN twice: the first stays */
		assert_int_equal(decode_update(m, len, &ctx, &u), 0);
		assert_int_equal(u.attr.origin, 0);
		len = mk_update(
		    m, find_case(cases, ARRAY_LEN(cases),
		                 "MP_REACH of IPv4 unicast, no NEXT_HOP needed")); /* MP_REACH IPv4
		                                                                      unicast */
		assert_int_equal(decode_update(m, len, &ctx, &u), 0);
		assert_true(u.mp);
		assert_int_equal(u.nnlri, 2);
		assert_int_equal(u.attr.nexthop, 0x0a000002);
		assert_int_equal(nlri_buf[0].addr, 0x0a010200);
		len = mk_update(
		    m, find_case(cases, ARRAY_LEN(cases), "MP_REACH of another family: skipped"));
		assert_int_equal(decode_update(m, len, &ctx, &u), 0);
		assert_int_equal(u.nmp_skipped, 1);
		assert_int_equal(u.nnlri, 0);
		ctx.ebgp = true;
		len = mk_update(m, find_case(cases, ARRAY_LEN(cases),
		                             "LOCAL_PREF from eBGP")); /* LOCAL_PREF from eBGP */
		assert_int_equal(decode_update(m, len, &ctx, &u), 0);
		assert_false(u.attr.has & BGP_HAS_LOCAL_PREF);
	}
}

static void
test_header_open_errors(void **state UNUSED)
{
	struct bgp_open o = {.version = 4,
	                     .my_as = 65001,
	                     .hold = 180,
	                     .id = 1,
	                     .as4 = 65001,
	                     .nafi = 1,
	                     .afi = {{1, 1}}};
	uint8_t m[BGP_MAX_LEN], c[BGP_MAX_LEN], type;
	struct bgp_err err;
	size_t n;
	struct bgp_open out;
	static const struct {
		const char *name;
		size_t at;
		uint8_t v;
		uint8_t code, sub;
		uint16_t data; /* 2-octet data, or 0xffff: none checked */
	} opens[] = {
	    {"version 3", 19, 3, 2, 1, 4},
	    {"hold time 2", 23, 2, 2, 6, 2},
	    {"hold time 1", 23, 1, 2, 6, 1},
	    {"AS 0", 20, 0, 2, 2, 0xffff},
	    {"parameter type 1", 29, 1, 2, 4, 0xffff},
	    {"parameter overrun", 30, 60, 2, 0, 0xffff},
	    {"parameters length short", 28, 3, 2, 0, 0xffff},
	    {"capability overrun", 32, 11, 2, 0, 0xffff},
	    {"MP capability length 3", 32, 3, 2, 0, 0xffff},
	};

	n = bgp_open_encode(m, &o);
	assert_int_equal(bgp_open_decode(m, n, &out, &err), 0);
	for (size_t i = 0; i < ARRAY_LEN(opens); i++) {
		memcpy(c, m, n);
		c[opens[i].at] = opens[i].v;
		if (opens[i].at == 20)
			c[21] = 0;
		if (bgp_open_decode(c, n, &out, &err) == 0 || err.code != opens[i].code ||
		    err.subcode != opens[i].sub)
			fail_msg("OPEN %s: %u/%u", opens[i].name, err.code, err.subcode);
		if (opens[i].data != 0xffff)
			assert_true(err.dlen == 2 && get16(err.data) == opens[i].data);
	}
	/* BGP Identifier 0 (RFC 6286), AS4 capability 0 (RFC 7607). */
	memcpy(c, m, n);
	memset(c + 24, 0, 4);
	assert_int_equal(bgp_open_decode(c, n, &out, &err), -1);
	assert_true(err.code == 2 && err.subcode == 3);
	o.as4 = 0;
	o.ncaps = 1;
	o.caps[0].code = BGP_CAP_AS4;
	n = bgp_open_encode(c, &o);
	assert_int_equal(bgp_open_decode(c, n, &out, &err), -1);
	assert_true(err.code == 2 && err.subcode == 2);

	/* Headers (RFC 4271 6.1). */
	n = bgp_keepalive_encode(m);
	assert_int_equal(bgp_msg_header(m, 18, &type, &err), 0);
	memcpy(c, m, n);
	c[3] = 0;
	assert_int_equal(bgp_msg_header(c, n, &type, &err), -1);
	assert_true(err.code == 1 && err.subcode == 1 && err.dlen == 0);
	memcpy(c, m, n);
	c[18] = 9;
	assert_int_equal(bgp_msg_header(c, n, &type, &err), -1);
	assert_true(err.code == 1 && err.subcode == 3 && err.dlen == 1 && err.data[0] == 9);
	static const struct {
		uint8_t type;
		uint16_t len;
	} lens[] = {{4, 20}, {4, 18}, {1, 28}, {2, 22}, {3, 20}, {2, 4097}};
	for (size_t i = 0; i < ARRAY_LEN(lens); i++) {
		memset(c, 0, sizeof c);
		memset(c, 0xff, 16);
		put16(c + 16, lens[i].len);
		c[18] = lens[i].type;
		if (bgp_msg_header(c, sizeof c, &type, &err) != -1 || err.code != 1 ||
		    err.subcode != 2 || err.dlen != 2 || get16(err.data) != lens[i].len)
			fail_msg("header type %u length %u: %u/%u", lens[i].type, lens[i].len,
			         err.code, err.subcode);
	}
	/* An incomplete message: 0 until all of it is there. */
	n = bgp_route_refresh_encode(m, 1, 1, 0);
	assert_int_equal(bgp_msg_header(m, n - 1, &type, &err), 0);
	assert_int_equal(bgp_msg_header(m, n, &type, &err), 23);
	/* ROUTE-REFRESH of the wrong length: RFC 7313 5, the message as data. */
	memcpy(c, m, n);
	c[n] = 0;
	put16(c + 16, 24);
	assert_int_equal(bgp_msg_header(c, 24, &type, &err), -1);
	assert_true(err.code == 7 && err.subcode == 1 && err.dlen == 24);
	assert_memory_equal(err.data, c, 24);
	/* NOTIFICATION too short for its code and subcode. */
	memcpy(c, m, 19);
	put16(c + 16, 20);
	c[18] = BGP_NOTIFICATION;
	assert_int_equal(bgp_notification_decode(c, 20, &err), -1);
	assert_true(err.code == 1 && err.subcode == 2);
}

static void
test_names(void **state UNUSED)
{
	struct strbuf sb;
	struct bgp_err e = {.code = BGP_ERR_CEASE, .subcode = BGP_CEASE_ADMIN_SHUTDOWN};

	sb_init(&sb);
	bgp_err_str(&e, &sb);
	assert_string_equal(sb_str(&sb), "Cease/Administrative Shutdown");
	sb_reset(&sb);
	e = (struct bgp_err){.code = BGP_ERR_UPDATE, .subcode = BGP_UPD_BAD_ASPATH};
	bgp_err_str(&e, &sb);
	assert_string_equal(sb_str(&sb), "UPDATE Message Error/Malformed AS_PATH");
	sb_reset(&sb);
	e = (struct bgp_err){.code = BGP_ERR_HOLD};
	bgp_err_str(&e, &sb);
	assert_string_equal(sb_str(&sb), "Hold Timer Expired");
	sb_reset(&sb);
	e = (struct bgp_err){.code = BGP_ERR_FSM, .subcode = BGP_FSM_OPENCONFIRM};
	bgp_err_str(&e, &sb);
	assert_string_equal(
	    sb_str(&sb), "Neighbor Events Error/Receive Unexpected Message in OpenConfirm State");
	sb_free(&sb);
	assert_string_equal(bgp_msg_type_name(BGP_ROUTE_REFRESH), "ROUTE-REFRESH");
	assert_string_equal(bgp_msg_type_name(9), "unknown");
	assert_string_equal(bgp_err_code_name(BGP_ERR_HOLD), "Hold Timer Expired");
	assert_string_equal(bgp_err_subcode_name(BGP_ERR_OPEN, BGP_OPEN_BAD_HOLD),
	                    "Unacceptable Hold Time");
	assert_string_equal(bgp_err_subcode_name(BGP_ERR_HEADER, 9), "Unknown Error Subcode");
	assert_string_equal(bgp_err_subcode_name(BGP_ERR_CEASE, BGP_CEASE_BFD_DOWN), "BFD Down");
}

/* ------------------------------------------------------------------------ */
/* (d) RFC 6793 4.2.3 */

static void
path_text(const struct bgp_attr *a, char *out, size_t cap)
{
	struct strbuf sb;

	sb_init(&sb);
	bgp_aspath_str(a->aspath, a->aspath_len, &sb);
	snprintf(out, cap, "%s", sb_str(&sb));
	sb_free(&sb);
}

static void
test_as4_merge(void **state UNUSED)
{
	/* AS_PATH 65001 AS_TRANS AS_TRANS; AS4_PATH 4200000000 4200000001 */
#define AS4P 0xc0, 17, 10, 2, 2, 0xfa, 0x56, 0xea, 0x00, 0xfa, 0x56, 0xea, 0x01
	const struct ecase merge = {
	    "merge", 0,
	    0,       0,
	    0,       0,
	    NONE,    B(ORIGIN_A, 0x40, 2, 8, 2, 3, 0xfd, 0xe9, 0x5b, 0xa0, 0x5b, 0xa0, NH_A, AS4P),
	    NL,      -1};
	const struct ecase full = {"full",
	                           0,
	                           0,
	                           0,
	                           0,
	                           0,
	                           NONE,
	                           B(ORIGIN_A, 0x40, 2, 8, 2, 3, 0xfd, 0xe9, 0x5b, 0xa0, 0x5b, 0xa0,
	                             NH_A, 0xc0, 17, 14, 2, 3, 0, 0, 0xfd, 0xe9, 0xfa, 0x56, 0xea,
	                             0x00, 0xfa, 0x56, 0xea, 0x01),
	                           NL,
	                           -1};
	/* AS4_PATH longer than AS_PATH: ignored */
	const struct ecase longer = {
	    "longer", 0, 0, 0, 0, 0, NONE, B(ORIGIN_A, 0x40, 2, 4, 2, 1, 0x5b, 0xa0, NH_A, AS4P),
	    NL,       -1};
	/* AGGREGATOR AS_TRANS + AS4_AGGREGATOR: the 4-octet one */
	const struct ecase aggr = {"aggr",
	                           0,
	                           0,
	                           0,
	                           0,
	                           0,
	                           NONE,
	                           B(ORIGIN_A, 0x40, 2, 8, 2, 3, 0xfd, 0xe9, 0x5b, 0xa0, 0x5b, 0xa0,
	                             NH_A, 0xc0, 7, 6, 0x5b, 0xa0, 1, 1, 1, 1, AS4P, 0xc0, 18, 8,
	                             0xfa, 0x56, 0xea, 0x00, 1, 1, 1, 1),
	                           NL,
	                           -1};
	/* AGGREGATOR by a 2-octet AS + AS4_AGGREGATOR: both AS4 attributes ignored */
	const struct ecase stale = {"stale",
	                            0,
	                            0,
	                            0,
	                            0,
	                            0,
	                            NONE,
	                            B(ORIGIN_A, 0x40, 2, 8, 2, 3, 0xfd, 0xe9, 0x5b, 0xa0, 0x5b,
	                              0xa0, NH_A, 0xc0, 7, 6, 0xfd, 0xe8, 1, 1, 1, 1, AS4P, 0xc0,
	                              18, 8, 0xfa, 0x56, 0xea, 0x00, 1, 1, 1, 1),
	                            NL,
	                            -1};
	struct bgp_codec_ctx ctx = {.as4 = false};
	struct bgp_update u;
	uint8_t m[BGP_MAX_LEN], m2[BGP_MAX_LEN];
	char text[256];
	size_t len, used;

	/* An old speaker prepended 65001 to what a new one sent: joined into one SEQUENCE. */
	len = mk_update(m, &merge);
	assert_int_equal(decode_update(m, len, &ctx, &u), 0);
	path_text(&u.attr, text, sizeof text);
	assert_string_equal(text, "65001 4200000000 4200000001");
	assert_int_equal(u.attr.aspath_len, 2 + 12);
	/* A new speaker's own message (AS4_PATH the whole path) re-encodes to the same bytes. */
	len = mk_update(m, &full);
	assert_int_equal(decode_update(m, len, &ctx, &u), 0);
	path_text(&u.attr, text, sizeof text);
	assert_string_equal(text, "65001 4200000000 4200000001");
	u.withdrawn = wd_buf, u.nlri = nlri_buf;
	assert_int_equal(bgp_update_decode(m, len, &ctx, &u, scratch), 0);
	assert_int_equal(bgp_update_encode(m2, &ctx, &u.attr, u.nlri, u.nnlri, false, &used), len);
	assert_memory_equal(m, m2, len);

	len = mk_update(m, &longer);
	assert_int_equal(decode_update(m, len, &ctx, &u), 0);
	path_text(&u.attr, text, sizeof text);
	assert_string_equal(text, "23456");

	len = mk_update(m, &aggr);
	assert_int_equal(decode_update(m, len, &ctx, &u), 0);
	assert_int_equal(u.attr.aggr_as, 4200000000u);
	path_text(&u.attr, text, sizeof text);
	assert_string_equal(text, "65001 4200000000 4200000001");

	len = mk_update(m, &stale);
	assert_int_equal(decode_update(m, len, &ctx, &u), 0);
	assert_int_equal(u.attr.aggr_as, 65000);
	path_text(&u.attr, text, sizeof text);
	assert_string_equal(text, "65001 23456 23456");
}

static void
test_aspath_helpers(void **state UNUSED)
{
	static const uint8_t p[] = {BGP_AS_SEQUENCE, 2, 0, 0, 0, 1, 0, 0, 0, 2,
	                            BGP_AS_SET,      2, 0, 0, 0, 3, 0, 0, 0, 4};
	uint8_t out[2048];
	struct bgp_attr a = {0};
	char text[4096];
	int n;

	assert_int_equal(bgp_aspath_hops(p, sizeof p), 3);
	assert_int_equal(bgp_aspath_first(p, sizeof p), 1);
	assert_int_equal(bgp_aspath_count(p, sizeof p, 3), 1);
	n = bgp_aspath_prepend(p, sizeof p, 9, 2, out, sizeof out);
	assert_int_equal(n, sizeof p + 8);
	a.aspath = out, a.aspath_len = (uint16_t)n;
	path_text(&a, text, sizeof text);
	assert_string_equal(text, "9 9 1 2 {3,4}");
	/* 300 prepends split at 255. */
	n = bgp_aspath_prepend(p, sizeof p, 7, 300, out, sizeof out);
	assert_int_equal(n, 2 + 255 * 4 + 2 + 47 * 4 + 10);
	assert_int_equal(out[1], 255);
	assert_int_equal(bgp_aspath_hops(out, (size_t)n), 303);
	assert_int_equal(bgp_aspath_prepend(p, sizeof p, 7, 300, out, 100), -1);
	/* An empty path gets a new SEQUENCE. */
	n = bgp_aspath_prepend(NULL, 0, 65001, 1, out, sizeof out);
	assert_int_equal(n, 6);
	assert_int_equal(bgp_aspath_first(out, 6), 65001);
}

/* ------------------------------------------------------------------------ */
/* (e) interning */

static void
test_intern(void **state UNUSED)
{
	struct bgp_attr a = full_attr(), b = full_attr();
	uint32_t comm2[2];
	const struct bgp_attr *ia, *ib, *ic;
	size_t base = bgp_attr_count();

	/* Equal contents in different memory: one shared copy. */
	memcpy(comm2, rt_comm, sizeof comm2);
	b.comm = comm2;
	ia = bgp_attr_intern(&a);
	ib = bgp_attr_intern(&b);
	assert_ptr_equal(ia, ib);
	assert_int_equal(bgp_attr_count(), base + 1);
	assert_int_equal(ia->refs, 2);
	/* The arrays are the shared copy's own. */
	assert_ptr_not_equal(ia->comm, rt_comm);
	assert_true((const uint8_t *)ia->comm > (const uint8_t *)ia &&
	            (const uint8_t *)ia->unknown > (const uint8_t *)ia);
	assert_true(bgp_attr_equal(ia, &a));
	/* A different set (one community changed) is another object. */
	comm2[1] = BGP_COMM_NO_ADVERTISE;
	ic = bgp_attr_intern(&b);
	assert_ptr_not_equal(ic, ia);
	assert_false(bgp_attr_equal(ic, ia));
	assert_int_equal(bgp_attr_count(), base + 2);
	assert_ptr_equal(bgp_attr_ref(ic), ic);
	assert_int_equal(ic->refs, 2);
	bgp_attr_unref(ic);
	bgp_attr_unref(ic);
	assert_int_equal(bgp_attr_count(), base + 1);
	bgp_attr_unref(ia);
	assert_int_equal(bgp_attr_count(), base + 1);
	bgp_attr_unref(ib);
	assert_int_equal(bgp_attr_count(), base);
	/* The value of an absent member does not count (and reads 0 in the shared copy). */
	{
		struct bgp_attr x = {.med = 7}, y = {.med = 9};
		const struct bgp_attr *ix = bgp_attr_intern(&x), *iy = bgp_attr_intern(&y);

		assert_true(bgp_attr_equal(&x, &y));
		assert_ptr_equal(ix, iy);
		assert_int_equal(ix->med, 0);
		y.has = BGP_HAS_MED;
		assert_false(bgp_attr_equal(&x, &y));
		bgp_attr_unref(ix);
		bgp_attr_unref(iy);
	}
	/* Empty sets and weight: weight is part of the set. */
	{
		struct bgp_attr e = {0}, w = {.weight = 100};
		const struct bgp_attr *ie = bgp_attr_intern(&e), *iw = bgp_attr_intern(&w);

		assert_ptr_not_equal(ie, iw);
		assert_null(ie->comm);
		bgp_attr_unref(ie);
		bgp_attr_unref(iw);
		bgp_attr_unref(NULL);
	}
	/* Many sets: the table grows and shrinks back to nothing. */
	{
		enum { N = 2000 };
		static const struct bgp_attr *v[N];

		for (unsigned i = 0; i < N; i++) {
			struct bgp_attr x = {.med = i, .has = BGP_HAS_MED};

			v[i] = bgp_attr_intern(&x);
		}
		assert_int_equal(bgp_attr_count(), base + N);
		for (unsigned i = 0; i < N; i++) {
			struct bgp_attr x = {.med = i, .has = BGP_HAS_MED};

			assert_ptr_equal(bgp_attr_intern(&x), v[i]);
			bgp_attr_unref(v[i]);
			bgp_attr_unref(v[i]);
		}
	}
	assert_int_equal(bgp_attr_count(), base);
}

/* Two threads interning and releasing the same few sets (ThreadSanitizer: make SAN=thread). */
static void *
intern_worker(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg;

	for (unsigned i = 0; i < 20000; i++) {
		struct bgp_attr x = {.med = (i * 7 + seed) % 5, .has = BGP_HAS_MED};
		const struct bgp_attr *a = bgp_attr_intern(&x), *b;

		if (a->med != x.med)
			abort();
		b = bgp_attr_ref(a);
		bgp_attr_unref(a);
		bgp_attr_unref(b);
	}
	return NULL;
}

static void
test_intern_threads(void **state UNUSED)
{
	pthread_t t[2];
	size_t base = bgp_attr_count();

	for (uintptr_t i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, intern_worker, (void *)i), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(bgp_attr_count(), base);
}

/* ------------------------------------------------------------------------ */
/* (f) cut and mutated messages */

/* Everything a decoder can be asked about m[0..len) (an exact-size copy). */
static void
decode_all(const uint8_t *m, size_t len)
{
	uint8_t *c = xmalloc(len ? len : 1), out[BGP_MAX_LEN];
	struct bgp_err err;
	struct bgp_open o;
	struct bgp_update u;
	uint16_t afi;
	uint8_t safi, sub, type;
	size_t used;

	memcpy(c, m, len);
	(void)bgp_msg_header(c, len, &type, &err);
	if (bgp_open_decode(c, len, &o, &err) < 0)
		assert_int_not_equal(err.code, 0);
	else
		assert_true(bgp_open_encode(out, &o) <= BGP_MAX_LEN);
	(void)bgp_notification_decode(c, len, &err);
	(void)bgp_route_refresh_decode(c, len, &afi, &safi, &sub);
	for (int as4 = 0; as4 < 2; as4++) {
		struct bgp_codec_ctx ctx = {.as4 = as4, .ebgp = as4};

		u.withdrawn = wd_buf, u.nlri = nlri_buf;
		if (bgp_update_decode(c, len, &ctx, &u, scratch) < 0 || u.action != BGP_UPD_OK) {
			/* Every refusal says why. */
			assert_int_not_equal(u.err.code, 0);
			assert_int_not_equal(u.action, BGP_UPD_OK);
			continue;
		}
		assert_true(u.nnlri <= BGP_MAX_PFX && u.nwithdrawn <= BGP_MAX_PFX);
		/* What decoded encodes (to either kind of speaker) and decodes again. */
		for (int as4b = 0; as4b < 2; as4b++) {
			struct bgp_codec_ctx c2 = {.as4 = as4b};
			struct bgp_update v = {.withdrawn = wd_buf + 2048, .nlri = nlri_buf + 2048};
			static uint8_t scratch2[BGP_SCRATCH];
			size_t n = bgp_update_encode(out, &c2, u.has_attrs ? &u.attr : NULL, u.nlri,
			                             u.nnlri > 2000 ? 2000 : u.nnlri, false, &used);

			if (n > 0 && bgp_update_decode(out, n, &c2, &v, scratch2) != 0) {
				for (size_t k = 0; k < n; k++)
					fprintf(stderr, "%02x%s", out[k], k + 1 < n ? "" : "\n");
				for (size_t k = 0; k < len; k++)
					fprintf(stderr, "%02x%s", c[k], k + 1 < len ? "" : "\n");
				fail_msg("re-encoded (as4 %d from %d) refused: %u/%u", as4b, as4,
				         v.err.code, v.err.subcode);
			}
		}
		(void)bgp_update_guess_as4(c, len);
	}
	free(c);
}

static void
test_mutations(void **state UNUSED)
{
	uint8_t seeds[8][BGP_MAX_LEN], m[BGP_MAX_LEN];
	size_t slen[8], used;
	struct bgp_attr a = full_attr();
	struct bgp_pfx p[3] = {{0x0a010200, 24}, {0xc0a80000, 16}, {0x0a000001, 32}};
	struct bgp_open o = {.version = 4,
	                     .my_as = 65001,
	                     .hold = 180,
	                     .id = 1,
	                     .as4 = 65001,
	                     .cap_rr = true,
	                     .cap_gr = true,
	                     .nafi = 1,
	                     .afi = {{1, 1}}};
	struct bgp_err n = {.code = 6, .subcode = 2, .dlen = 4, .data = {3, 'a', 'b', 'c'}};
	struct rng r;

	slen[0] = bgp_update_encode(seeds[0], &ctx_new, &a, p, 3, false, &used);
	slen[1] = bgp_update_encode(seeds[1], &ctx_old, &a, p, 3, false, &used);
	slen[2] = bgp_update_encode(seeds[2], &ctx_new, NULL, p, 3, true, &used);
	slen[3] = bgp_open_encode(seeds[3], &o);
	slen[4] = bgp_notification_encode(seeds[4], &n);
	slen[5] = bgp_route_refresh_encode(seeds[5], 1, 1, 1);
	slen[6] = bgp_keepalive_encode(seeds[6]);
	slen[7] = bgp_eor_encode(seeds[7]);
	/* Every cut of every seed. */
	for (int s = 0; s < 8; s++)
		for (size_t l = 0; l <= slen[s]; l++)
			decode_all(seeds[s], l);
	/* Random flips, kept self-consistent in the header length half the time. */
	rng_seed(&r, 42, 7);
	for (int i = 0; i < 20000; i++) {
		int s = (int)rng_below(&r, 8);
		size_t len = slen[s];
		int flips = 1 + (int)rng_below(&r, 4);

		memcpy(m, seeds[s], len);
		for (int f = 0; f < flips; f++) {
			size_t at = 19 + rng_below(&r, len > 19 ? len - 19 : 1);

			if (at < len)
				m[at] = rng_below(&r, 2)
				            ? (uint8_t)rng_next(&r)
				            : m[at] ^ (uint8_t)(1u << rng_below(&r, 8));
		}
		if (rng_below(&r, 2))
			len = 19 + rng_below(&r, len - 18);
		if (rng_below(&r, 2))
			put16(m + 16, (uint16_t)len);
		decode_all(m, len);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_roundtrip),
	    cmocka_unit_test(test_open_gr_families),
	    cmocka_unit_test(test_simple_roundtrips),
	    cmocka_unit_test(test_update_roundtrip),
	    cmocka_unit_test(test_update_packing),
	    cmocka_unit_test(test_dissect_captures),
	    cmocka_unit_test(test_captures),
	    cmocka_unit_test(test_update_errors),
	    cmocka_unit_test(test_header_open_errors),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_as4_merge),
	    cmocka_unit_test(test_aspath_helpers),
	    cmocka_unit_test(test_intern),
	    cmocka_unit_test(test_intern_threads),
	    cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
