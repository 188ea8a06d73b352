/*
 * test_pcap.c: the capture file reader (src/net/pcapread.c).
 *
 * (a) every real capture in the shared data ($NETSIM_SHARED, else ../shared,
 *     else /work/shared; missing data fails the suite, it is never skipped)
 *     reads without error, with the frame counts, link types and timestamps
 *     tshark reports; (b) hand-built files in every variant: classic pcap in
 *     both byte orders with micro- and nanosecond magic, Kuznetzov's format,
 *     pcapng with either byte order, if_tsresol/if_tsoffset, several
 *     interfaces and sections, EPB/SPB/obsolete PB, unknown blocks; (c) files
 *     cut at every offset and corrupt ones give -1 (or end of file exactly at
 *     a record boundary), never a crash or an overread (run it under ASan).
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
#include <unistd.h>

#include <cmocka.h>

#include "lib/util.h"
#include "net/pcap.h"
#include "shared_data.h"

/* ------------------------------------------------------------------------ */
/* Shared data */

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p;
	long n;

	if (f == NULL)
		fail_msg("%s: cannot open", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	p = xmalloc((size_t)n + 1);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

/*
 * A scratch file for the hand-built and cut captures: the reader takes a path.
 * In /dev/shm when there is one, since the cut tests write it thousands of times.
 */
static char tmp_path[64];

static const char *
write_tmp(const uint8_t *p, size_t len)
{
	struct stat st;
	FILE *f;
	int fd;

	if (tmp_path[0] == '\0') {
		snprintf(tmp_path, sizeof(tmp_path), "%s/netsim-test-pcap-XXXXXX",
		    stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp");
		fd = mkstemp(tmp_path);
		assert_true(fd >= 0);
		close(fd);
	}
	f = fopen(tmp_path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return tmp_path;
}

struct result {
	size_t frames;
	int rc;                   /* the last pcap_read: 0 or -1 (or open failed: -2) */
	char err[256];
	struct pcap_frame first;  /* data not kept */
	uint64_t datasum;         /* a sum over every frame's octets */
};

/* Read a whole file, checking every frame's invariants. */
static void
read_all(const char *path, struct result *res)
{
	struct pcap_reader *r;
	struct pcap_frame f;
	size_t i;

	memset(res, 0, sizeof(*res));
	r = pcap_reader_open(path, res->err, sizeof(res->err));
	if (r == NULL) {
		assert_true(res->err[0] != '\0');
		res->rc = -2;
		return;
	}
	while ((res->rc = pcap_read(r, &f, res->err, sizeof(res->err))) == 1) {
		assert_true(f.caplen <= f.origlen);
		assert_true(f.caplen == 0 || f.data != NULL);
		for (i = 0; i < f.caplen; i++)
			res->datasum += f.data[i] * (i + 1);
		if (res->frames == 0)
			res->first = f;
		res->frames++;
	}
	if (res->rc < 0)
		assert_true(res->err[0] != '\0');
	/* A failed reader stays failed. */
	if (res->rc < 0)
		assert_int_equal(pcap_read(r, &f, NULL, 0), -1);
	pcap_reader_close(r);
}

/* ------------------------------------------------------------------------ */
/* (a) real captures */

/* The captures the brief names: tcpdump's *.pcap and *.pcapng, holo's *.pcap. */
static const char *const capture_globs[] = {"captures/tcpdump/*.pcap*", "captures/holo/*.pcap"};

static void
test_read_every_capture(void **state UNUSED)
{
	struct result res;
	size_t nfiles = 0, i, j;
	glob_t g;

	for (i = 0; i < ARRAY_LEN(capture_globs); i++) {
		char *pat = shared_path(capture_globs[i]);

		if (glob(pat, 0, NULL, &g) != 0)
			fail_msg("%s: no captures", pat);
		for (j = 0; j < g.gl_pathc; j++) {
			read_all(g.gl_pathv[j], &res);
			if (res.rc != 0)
				fail_msg("%s: %s", g.gl_pathv[j], res.err);
			if (res.frames == 0)
				fail_msg("%s: no frames", g.gl_pathv[j]);
			nfiles++;
		}
		globfree(&g);
		free(pat);
	}
	/* 41 in tcpdump/, 5 in holo/ when this was written; fewer means a broken copy. */
	assert_true(nfiles >= 40);
}

/* Measured with `tshark -r F | wc -l`, `capinfos`, and tshark's frame.time_epoch. */
static const struct {
	const char *file;
	size_t frames;
	uint32_t linktype;
	int64_t first_ts_ns;
	size_t first_caplen;
} known[] = {
	{"captures/tcpdump/802.1ad_QinQ.pcap", 2, 1, 1575842394599412000, 64},
	{"captures/tcpdump/OSPFv2_Capture_FINAL.pcapng", 30, 1, 1518622219014914000, 142},
	{"captures/tcpdump/isis_sr.pcapng", 1, 1, 1585420939016934000, 114},
	{"captures/tcpdump/ospf-sr.pcapng", 1, 1, 1694507306213228000, 326},
	{"captures/tcpdump/bgp-4byte-asn.pcap", 91, 1, -1, 0},
	{"captures/tcpdump/various_gre.pcap", 100, 1, -1, 0},
	{"captures/tcpdump/ISIS_level2_adjacency.pcap", 43, 1, -1, 0},
	{"captures/tcpdump/ISIS_p2p_adjacency.pcap", 26, 104, 1213760438691154000, 1504},
	{"captures/tcpdump/bgp-addpath.pcap", 1, 101, -1, 0},
	{"captures/tcpdump/bgp_vpn_attrset.pcap", 1, 9, -1, 0},
	{"captures/tcpdump/ospf-gmpls.pcap", 3, 0, -1, 0},
	{"captures/tcpdump/isis_poi.pcap", 1, 178, -1, 0},
	{"captures/holo/holo_isis.pcap", 15, 1, 1700000000000000000, 1514},
	{"captures/holo/holo_ospfv2.pcap", 22, 1, -1, 0},
	{"captures/negative/icmp_test.pcap", 4, 1, -1, 0},
};

static void
test_known_counts(void **state UNUSED)
{
	struct result res;
	size_t i;

	for (i = 0; i < ARRAY_LEN(known); i++) {
		char *path = shared_path(known[i].file);

		read_all(path, &res);
		if (res.rc != 0)
			fail_msg("%s: %s", path, res.err);
		if (res.frames != known[i].frames)
			fail_msg("%s: %zu frames, tshark says %zu", path, res.frames,
			    known[i].frames);
		assert_int_equal(res.first.linktype, known[i].linktype);
		if (known[i].first_ts_ns >= 0) {
			assert_int_equal(res.first.ts_ns, known[i].first_ts_ns);
			assert_int_equal(res.first.caplen, known[i].first_caplen);
		}
		free(path);
	}
}

/* ------------------------------------------------------------------------ */
/* (b) hand-built files */

struct fb {
	uint8_t *p;
	size_t len, cap;
	bool be;
};

static void
fb_bytes(struct fb *b, const void *p, size_t n)
{
	grow_array((void **)&b->p, &b->cap, b->len + n, 1);
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void
fb_u8(struct fb *b, uint8_t v)
{
	fb_bytes(b, &v, 1);
}

static void
fb_u16(struct fb *b, uint16_t v)
{
	uint8_t x[2];

	x[b->be ? 0 : 1] = (uint8_t)(v >> 8);
	x[b->be ? 1 : 0] = (uint8_t)v;
	fb_bytes(b, x, 2);
}

static void
fb_u32(struct fb *b, uint32_t v)
{
	if (b->be) {
		fb_u16(b, (uint16_t)(v >> 16));
		fb_u16(b, (uint16_t)v);
	} else {
		fb_u16(b, (uint16_t)v);
		fb_u16(b, (uint16_t)(v >> 16));
	}
}

static void
fb_pad4(struct fb *b)
{
	while (b->len % 4)
		fb_u8(b, 0);
}

static void
fb_put32_at(struct fb *b, size_t off, uint32_t v)
{
	struct fb t = {NULL, 0, 0, b->be};

	fb_u32(&t, v);
	memcpy(b->p + off, t.p, 4);
	free(t.p);
}

static const uint8_t payload[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06,
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x0a, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0x0a, 0x00, 0x00, 0x02, 0xee,
};

static void
classic_file(struct fb *b, uint32_t magic, bool be, uint32_t linktype)
{
	memset(b, 0, sizeof(*b));
	b->be = be;
	fb_u32(b, magic);
	fb_u16(b, 2);
	fb_u16(b, 4);
	fb_u32(b, 0);
	fb_u32(b, 0);
	fb_u32(b, 65535);
	fb_u32(b, linktype);
}

static void
classic_rec(struct fb *b, uint32_t sec, uint32_t frac, size_t caplen, size_t origlen, bool kuz)
{
	fb_u32(b, sec);
	fb_u32(b, frac);
	fb_u32(b, (uint32_t)caplen);
	fb_u32(b, (uint32_t)origlen);
	if (kuz) {
		fb_u32(b, 3);  /* ifindex */
		fb_u16(b, 0x0806);
		fb_u8(b, 0);
		fb_u8(b, 0);
	}
	fb_bytes(b, payload, caplen);
}

static void
test_classic_variants(void **state UNUSED)
{
	static const struct {
		uint32_t magic;
		bool be, nsec, kuz;
	} v[] = {
		{0xa1b2c3d4, false, false, false}, {0xa1b2c3d4, true, false, false},
		{0xa1b23c4d, false, true, false},  {0xa1b23c4d, true, true, false},
		{0xa1b2cd34, false, false, true},  {0xa1b2cd34, true, false, true},
	};
	struct pcap_reader *r;
	struct pcap_frame f;
	char err[256];
	struct fb b;
	size_t i;

	for (i = 0; i < ARRAY_LEN(v); i++) {
		classic_file(&b, v[i].magic, v[i].be, 1);
		classic_rec(&b, 1000, 250, sizeof(payload), sizeof(payload), v[i].kuz);
		classic_rec(&b, 1001, v[i].nsec ? 999999999 : 999999, 20, 1500, v[i].kuz);
		classic_rec(&b, 1002, 0, 0, 0, v[i].kuz);
		r = pcap_reader_open(write_tmp(b.p, b.len), err, sizeof(err));
		if (r == NULL)
			fail_msg("variant %zu: %s", i, err);
		assert_int_equal(pcap_read(r, &f, err, sizeof(err)), 1);
		assert_int_equal(f.linktype, 1);
		assert_int_equal(f.ts_ns, 1000 * 1000000000LL + (v[i].nsec ? 250 : 250000));
		assert_int_equal(f.caplen, sizeof(payload));
		assert_int_equal(f.origlen, sizeof(payload));
		assert_memory_equal(f.data, payload, sizeof(payload));
		assert_int_equal(pcap_read(r, &f, err, sizeof(err)), 1);
		assert_int_equal(f.ts_ns, 1001 * 1000000000LL + 999999999 - (v[i].nsec ? 0 : 999));
		assert_int_equal(f.caplen, 20);
		assert_int_equal(f.origlen, 1500);
		assert_memory_equal(f.data, payload, 20);
		assert_int_equal(pcap_read(r, &f, err, sizeof(err)), 1);
		assert_int_equal(f.caplen, 0);
		assert_int_equal(pcap_read(r, &f, err, sizeof(err)), 0);
		pcap_reader_close(r);
		free(b.p);
	}
}

static void
ng_block_begin(struct fb *b, uint32_t type, size_t *start)
{
	*start = b->len;
	fb_u32(b, type);
	fb_u32(b, 0); /* length, patched by ng_block_end */
}

static void
ng_block_end(struct fb *b, size_t start)
{
	uint32_t len;

	fb_pad4(b);
	len = (uint32_t)(b->len - start + 4);
	fb_u32(b, len);
	fb_put32_at(b, start + 4, len);
}

static void
ng_shb(struct fb *b, bool be)
{
	size_t s;

	b->be = be;
	ng_block_begin(b, 0x0a0d0d0a, &s);
	fb_u32(b, 0x1a2b3c4d);
	fb_u16(b, 1);
	fb_u16(b, 0);
	fb_u32(b, 0xffffffff);
	fb_u32(b, 0xffffffff);
	/* shb_userappl, to exercise options on a block the reader does not interpret */
	fb_u16(b, 4);
	fb_u16(b, 6);
	fb_bytes(b, "netsim", 6);
	fb_pad4(b);
	fb_u16(b, 0);
	fb_u16(b, 0);
	ng_block_end(b, s);
}

/* tsresol < 0: no option (microseconds). */
static void
ng_idb(struct fb *b, uint16_t linktype, uint32_t snaplen, int tsresol, bool tsoffset)
{
	size_t s;

	ng_block_begin(b, 1, &s);
	fb_u16(b, linktype);
	fb_u16(b, 0);
	fb_u32(b, snaplen);
	fb_u16(b, 2); /* if_name */
	fb_u16(b, 3);
	fb_bytes(b, "et0", 3);
	fb_pad4(b);
	if (tsresol >= 0) {
		fb_u16(b, 9);
		fb_u16(b, 1);
		fb_u8(b, (uint8_t)tsresol);
		fb_pad4(b);
	}
	if (tsoffset) {
		fb_u16(b, 14);
		fb_u16(b, 8);
		fb_u32(b, b->be ? 0 : 100); /* 100 s as a 64-bit integer in either order */
		fb_u32(b, b->be ? 100 : 0);
	}
	fb_u16(b, 0);
	fb_u16(b, 0);
	ng_block_end(b, s);
}

static void
ng_epb(struct fb *b, uint32_t ifid, uint64_t ts, size_t caplen, size_t origlen)
{
	size_t s;

	ng_block_begin(b, 6, &s);
	fb_u32(b, ifid);
	fb_u32(b, (uint32_t)(ts >> 32));
	fb_u32(b, (uint32_t)ts);
	fb_u32(b, (uint32_t)caplen);
	fb_u32(b, (uint32_t)origlen);
	fb_bytes(b, payload, caplen);
	fb_pad4(b);
	fb_u16(b, 1); /* opt_comment */
	fb_u16(b, 2);
	fb_bytes(b, "hi", 2);
	fb_pad4(b);
	fb_u16(b, 0);
	fb_u16(b, 0);
	ng_block_end(b, s);
}

/* datalen: min(origlen, the interface's snaplen), as the block must hold. */
static void
ng_spb(struct fb *b, size_t origlen, size_t datalen)
{
	size_t s;

	ng_block_begin(b, 3, &s);
	fb_u32(b, (uint32_t)origlen);
	fb_bytes(b, payload, datalen);
	ng_block_end(b, s);
}

static void
ng_opb(struct fb *b, uint16_t ifid, uint64_t ts, size_t caplen)
{
	size_t s;

	ng_block_begin(b, 2, &s);
	fb_u16(b, ifid);
	fb_u16(b, 0);
	fb_u32(b, (uint32_t)(ts >> 32));
	fb_u32(b, (uint32_t)ts);
	fb_u32(b, (uint32_t)caplen);
	fb_u32(b, (uint32_t)caplen);
	fb_bytes(b, payload, caplen);
	ng_block_end(b, s);
}

static void
ng_unknown(struct fb *b, uint32_t type, size_t bodylen)
{
	size_t s, i;

	ng_block_begin(b, type, &s);
	for (i = 0; i < bodylen; i++)
		fb_u8(b, (uint8_t)i);
	ng_block_end(b, s);
}

/* A two-section file: little-endian then big-endian, every block kind. */
static void
ng_sample(struct fb *b)
{
	memset(b, 0, sizeof(*b));
	ng_shb(b, false);
	ng_idb(b, 1, 0, -1, false);           /* if 0: Ethernet, microseconds */
	ng_idb(b, 101, 0, 9, false);          /* if 1: raw IP, nanoseconds */
	ng_idb(b, 104, 0, 0x80 | 10, true);   /* if 2: C-HDLC, 2^-10 s, +100 s */
	ng_unknown(b, 0x80000001, 12);        /* local use */
	ng_epb(b, 0, 1500000000000001ULL, sizeof(payload), sizeof(payload));
	ng_epb(b, 1, 1500000000000000001ULL, 20, 60);
	ng_unknown(b, 5, 12);                 /* interface statistics: if 0x03020100 */
	ng_epb(b, 2, (5ULL << 10) | 512, 10, 10);
	ng_unknown(b, 0x40000bad, 7);         /* custom */
	ng_spb(b, sizeof(payload), sizeof(payload));
	ng_opb(b, 1, 7, 14);
	ng_shb(b, true);                      /* a new section forgets the interfaces */
	ng_idb(b, 113, 16, 3, false);         /* if 0: SLL, milliseconds, snaplen 16 */
	ng_epb(b, 0, 1234, 14, 14);
	ng_spb(b, 30, 16);                    /* cut to the snaplen */
}

static void
test_pcapng(void **state UNUSED)
{
	struct pcap_reader *r;
	struct pcap_frame f;
	char err[256];
	struct fb b;

	ng_sample(&b);
	r = pcap_reader_open(write_tmp(b.p, b.len), err, sizeof(err));
	if (r == NULL)
		fail_msg("%s", err);
#define NEXT()                                                                                  \
	do {                                                                                     \
		int rc_ = pcap_read(r, &f, err, sizeof(err));                                   \
		if (rc_ != 1)                                                                    \
			fail_msg("pcap_read %d: %s", rc_, err);                                 \
	} while (0)
	NEXT();
	assert_int_equal(f.linktype, 1);
	assert_int_equal(f.ts_ns, 1500000000000001000LL);
	assert_int_equal(f.caplen, sizeof(payload));
	assert_memory_equal(f.data, payload, sizeof(payload));
	NEXT();
	assert_int_equal(f.linktype, 101);
	assert_int_equal(f.ts_ns, 1500000000000000001LL);
	assert_int_equal(f.caplen, 20);
	assert_int_equal(f.origlen, 60);
	NEXT();
	assert_int_equal(f.linktype, 104);
	assert_int_equal(f.ts_ns, 105500000000LL); /* 5.5 s + 100 s offset */
	assert_int_equal(f.caplen, 10);
	NEXT();
	assert_int_equal(f.linktype, 1); /* SPB: interface 0 */
	assert_int_equal(f.ts_ns, 105500000000LL);
	assert_int_equal(f.caplen, sizeof(payload));
	assert_memory_equal(f.data, payload, sizeof(payload));
	NEXT();
	assert_int_equal(f.linktype, 101);
	assert_int_equal(f.ts_ns, 7);
	assert_int_equal(f.caplen, 14);
	NEXT();
	assert_int_equal(f.linktype, 113);
	assert_int_equal(f.ts_ns, 1234000000LL);
	assert_int_equal(f.caplen, 14);
	assert_memory_equal(f.data, payload, 14);
	NEXT();
	assert_int_equal(f.linktype, 113);
	assert_int_equal(f.caplen, 16);
	assert_int_equal(f.origlen, 30);
#undef NEXT
	assert_int_equal(pcap_read(r, &f, err, sizeof(err)), 0);
	pcap_reader_close(r);
	free(b.p);
}

/* ------------------------------------------------------------------------ */
/* (c) truncated and corrupt files */

static uint32_t
u32at(const uint8_t *p, bool be)
{
	if (be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* Record boundaries of a file: where a cut leaves a shorter but valid file. */
static bool
is_boundary(const uint8_t *p, size_t len, size_t cut)
{
	size_t off;
	bool be = false;

	if (p[0] == 0x0a && p[1] == 0x0d && p[2] == 0x0d && p[3] == 0x0a) {
		/* pcapng: walk the blocks, each section in its own byte order */
		for (off = 0; off + 12 <= len; off += u32at(p + off + 4, be)) {
			if (off == cut)
				return cut > 0;
			if (memcmp(p + off, "\x0a\x0d\x0d\x0a", 4) == 0)
				be = p[off + 8] == 0x1a;
		}
		/* The first block (SHB) is needed: an empty file is not a pcapng file. */
		return off == cut && cut > 0;
	}
	be = p[0] == 0xa1;
	for (off = 24; off + 16 <= len; off += 16 + u32at(p + off + 8, be))
		if (off == cut)
			return true;
	return off == cut;
}

/*
 * Cut the file at every offset: the reader must give the frames before the
 * cut and then -1, or 0 when the cut falls exactly between records.
 */
static void
check_cuts(const uint8_t *p, size_t len, size_t nframes, const char *what)
{
	struct result res;
	size_t cut;

	for (cut = 0; cut < len; cut++) {
		read_all(write_tmp(p, cut), &res);
		assert_true(res.frames < nframes);
		if (is_boundary(p, len, cut)) {
			if (res.rc != 0)
				fail_msg("%s cut at %zu (a boundary): %d %s", what, cut, res.rc,
				    res.err);
		} else if (res.rc != -1 && res.rc != -2) {
			fail_msg("%s cut at %zu: rc %d after %zu frames", what, cut, res.rc,
			    res.frames);
		}
	}
}

static void
test_truncated_real(void **state UNUSED)
{
	static const char *const files[] = {
		"captures/tcpdump/OSPFv2_Capture_FINAL.pcapng",
		"captures/tcpdump/ospf-sr.pcapng",
		"captures/tcpdump/802.1ad_QinQ.pcap",
		"captures/tcpdump/bgp-large-community.pcap",
		"captures/holo/holo_ospfv2.pcap",
	};
	struct result res;
	uint8_t *p;
	size_t len, i;

	for (i = 0; i < ARRAY_LEN(files); i++) {
		char *path = shared_path(files[i]);

		p = slurp(path, &len);
		read_all(path, &res);
		assert_int_equal(res.rc, 0);
		check_cuts(p, len, res.frames, files[i]);
		free(p);
		free(path);
	}
}

static void
test_truncated_synthetic(void **state UNUSED)
{
	struct fb b;

	ng_sample(&b);
	check_cuts(b.p, b.len, 7, "pcapng sample");
	free(b.p);
	classic_file(&b, 0xa1b23c4d, true, 1);
	classic_rec(&b, 1, 2, sizeof(payload), sizeof(payload), false);
	classic_rec(&b, 1, 3, 7, 70, false);
	check_cuts(b.p, b.len, 2, "big-endian ns pcap");
	free(b.p);
}

/* Expect the file to open and then fail (or fail to open) with msg in the error. */
static void
expect_bad(const struct fb *b, const char *msg)
{
	struct result res;

	read_all(write_tmp(b->p, b->len), &res);
	if (res.rc >= 0)
		fail_msg("expected \"%s\", got rc %d after %zu frames", msg, res.rc, res.frames);
	if (strstr(res.err, msg) == NULL)
		fail_msg("expected \"%s\", got \"%s\"", msg, res.err);
}

static void
test_corrupt(void **state UNUSED)
{
	struct fb b;
	size_t s;

	/* not a capture at all; empty; gzip */
	memset(&b, 0, sizeof(b));
	fb_bytes(&b, "root:x:0:0:root:/root:/bin/sh\n", 31);
	expect_bad(&b, "not a pcap");
	b.len = 0;
	expect_bad(&b, "empty");
	fb_bytes(&b, "\x1f\x8b\x08\x00", 4);
	expect_bad(&b, "gzip");
	free(b.p);

	/* classic: bad version, absurd record length */
	classic_file(&b, 0xa1b2c3d4, false, 1);
	b.p[4] = 3;
	expect_bad(&b, "version");
	free(b.p);
	classic_file(&b, 0xa1b2c3d4, false, 1);
	classic_rec(&b, 0, 0, 4, 4, false);
	fb_put32_at(&b, 24 + 8, 0xfffffff0);
	expect_bad(&b, "plausible");
	free(b.p);

	/* pcapng: bad byte-order magic */
	memset(&b, 0, sizeof(b));
	ng_shb(&b, false);
	b.p[8] = 0x99;
	expect_bad(&b, "byte-order");
	free(b.p);

	/* pcapng: unsupported version */
	memset(&b, 0, sizeof(b));
	ng_shb(&b, true);
	b.p[13] = 2;
	expect_bad(&b, "version");
	free(b.p);

	/* pcapng: block length not a multiple of 4, too small, trailer mismatch */
	memset(&b, 0, sizeof(b));
	ng_shb(&b, false);
	ng_idb(&b, 1, 0, -1, false);
	s = b.len;
	ng_epb(&b, 0, 0, 10, 10);
	fb_put32_at(&b, s + 4, 62);
	expect_bad(&b, "bad length");
	fb_put32_at(&b, s + 4, 8);
	expect_bad(&b, "bad length");
	fb_put32_at(&b, s + 4, (uint32_t)(b.len - s - 4));
	expect_bad(&b, "trailing length"); /* 4 octets fewer: the trailer is then data */
	fb_put32_at(&b, s + 4, (uint32_t)(b.len - s + 4));
	expect_bad(&b, "truncated");
	fb_put32_at(&b, s + 4, (uint32_t)(b.len - s));
	fb_put32_at(&b, b.len - 4, 12);
	expect_bad(&b, "trailing length");
	free(b.p);

	/* pcapng: a packet on an interface never described */
	memset(&b, 0, sizeof(b));
	ng_shb(&b, false);
	ng_idb(&b, 1, 0, -1, false);
	ng_epb(&b, 1, 0, 10, 10);
	expect_bad(&b, "interface 1");
	free(b.p);

	/* pcapng: an SPB before any IDB */
	memset(&b, 0, sizeof(b));
	ng_shb(&b, false);
	ng_spb(&b, 10, 10);
	expect_bad(&b, "interface 0");
	free(b.p);

	/* pcapng: the interfaces do not survive a new section */
	memset(&b, 0, sizeof(b));
	ng_shb(&b, false);
	ng_idb(&b, 1, 0, -1, false);
	ng_shb(&b, true);
	ng_epb(&b, 0, 0, 10, 10);
	expect_bad(&b, "interface 0");
	free(b.p);

	/* pcapng: captured length beyond the block */
	memset(&b, 0, sizeof(b));
	ng_shb(&b, false);
	ng_idb(&b, 1, 0, -1, false);
	s = b.len;
	ng_epb(&b, 0, 0, 10, 10);
	fb_put32_at(&b, s + 20, 1000);
	expect_bad(&b, "overruns");
	free(b.p);

	/* pcapng: an IDB option running past its block, a bad if_tsresol */
	memset(&b, 0, sizeof(b));
	ng_shb(&b, false);
	s = b.len;
	ng_idb(&b, 1, 0, 6, false);
	b.p[s + 16 + 2] = 0xff; /* if_name's length */
	expect_bad(&b, "overruns");
	free(b.p);
	memset(&b, 0, sizeof(b));
	ng_shb(&b, false);
	s = b.len;
	ng_idb(&b, 1, 0, 6, false);
	b.p[s + 24 + 2] = 2; /* if_tsresol's length */
	expect_bad(&b, "if_tsresol");
	free(b.p);
}

/*
 * Flip every octet of a valid file, one at a time, to several values: the
 * reader may accept or reject the result but must stay in bounds (ASan) and
 * report an error with a message whenever it gives up.
 */
static void
test_corrupt_every_octet(void **state UNUSED)
{
	static const uint8_t vals[] = {0x00, 0xff, 0x80, 0x7f, 0x01};
	struct result res;
	size_t i, j;
	uint8_t keep;
	struct fb b;

	ng_sample(&b);
	for (i = 0; i < b.len; i++) {
		keep = b.p[i];
		for (j = 0; j < ARRAY_LEN(vals); j++) {
			b.p[i] = vals[j];
			read_all(write_tmp(b.p, b.len), &res);
			assert_true(res.rc == 0 || res.rc == -1 || res.rc == -2);
		}
		b.p[i] = keep;
	}
	free(b.p);
	classic_file(&b, 0xa1b2c3d4, true, 1);
	classic_rec(&b, 1, 2, sizeof(payload), sizeof(payload), false);
	classic_rec(&b, 1, 3, 7, 70, false);
	for (i = 0; i < b.len; i++) {
		keep = b.p[i];
		for (j = 0; j < ARRAY_LEN(vals); j++) {
			b.p[i] = vals[j];
			read_all(write_tmp(b.p, b.len), &res);
			assert_true(res.rc == 0 || res.rc == -1 || res.rc == -2);
		}
		b.p[i] = keep;
	}
	free(b.p);
}

static void
test_missing_file(void **state UNUSED)
{
	char err[256] = "";

	assert_null(pcap_reader_open("/nonexistent/netsim.pcap", err, sizeof(err)));
	assert_non_null(strstr(err, "No such file"));
	pcap_reader_close(NULL);
}

static int
teardown(void **state UNUSED)
{
	if (tmp_path[0] != '\0')
		unlink(tmp_path);
	return 0;
}

/* --pcap DIR: one file per link, named after it, never outside DIR whatever the names. */
static void
test_link_path(void **state UNUSED)
{
	static const struct {
		const char *link, *want;
	} cases[] = {
		{"r1:eth0--r2:eth0.10", "out/r1-eth0--r2-eth0.10.pcap"},
		{"../../x:eth0--r2:eth0", "out/.._.._x-eth0--r2-eth0.pcap"},
		{"/etc/passwd", "out/_etc_passwd.pcap"},
		{"a b\n", "out/a_b_.pcap"},
	};

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *p = pcap_link_path("out", cases[i].link);

		assert_string_equal(p, cases[i].want);
		assert_null(strchr(p + 4, '/'));
		free(p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_every_capture),
		cmocka_unit_test(test_known_counts),
		cmocka_unit_test(test_classic_variants),
		cmocka_unit_test(test_pcapng),
		cmocka_unit_test(test_truncated_real),
		cmocka_unit_test(test_truncated_synthetic),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_corrupt_every_octet),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_link_path),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
