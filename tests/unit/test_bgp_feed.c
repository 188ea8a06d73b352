/*
 * test_bgp_feed.c: the route feeder's generated table (src/proto/bgp/feedgen.c)
 * and the MRT TABLE_DUMP_V2 reader (mrt.c).
 *
 * Generator: the same seed gives the same prefixes in the same order and
 * another seed others; 200,000 prefixes are unique, stay out of reserved
 * and excluded /8s, and follow the documented length shares (docs/bgp-feed.md)
 * within tolerance; a length whose space is used up spills into others
 * without repeating; AS paths have 1-12 ASes with a mean near 4.5, the
 * group's origin AS whatever the feeder, other ASes that differ between
 * feeders, and never an avoided AS.
 *
 * MRT: the committed fixture (tests/bgp/rib.mrt, from tests/tools/mrt.py)
 * reads as written (three peers, 300 and 196 IPv4 routes, the IPv6 records
 * skipped); every truncation of it and a set of corruptions give an error
 * naming an offset inside the file, never a crash.
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
#include "proto/bgp/feed.h"
#include "proto/bgp/mrt.h"

#define N 200000

static uint64_t
key(const struct bgp_pfx *p)
{
	return (uint64_t)p->addr << 8 | p->len;
}

static int
cmp64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
test_gen_deterministic(void **state)
{
	struct feedgen g1, g2, g3;
	struct feedgen_cur c1 = {0}, c2 = {0}, c3 = {0};
	struct bgp_pfx p1, p2, p3;
	uint32_t grp1, grp2, grp3;
	size_t same3 = 0, n = 0;

	(void)state;
	feedgen_init(&g1, 7, 5000, NULL);
	feedgen_init(&g2, 7, 5000, NULL);
	feedgen_init(&g3, 8, 5000, NULL);
	while (feedgen_next(&g1, &c1, &p1, &grp1)) {
		assert_true(feedgen_next(&g2, &c2, &p2, &grp2));
		assert_true(feedgen_next(&g3, &c3, &p3, &grp3));
		assert_int_equal(key(&p1), key(&p2));
		assert_int_equal(grp1, grp2);
		same3 += key(&p1) == key(&p3);
		n++;
	}
	assert_int_equal(n, 5000);
	assert_false(feedgen_next(&g2, &c2, &p2, &grp2));
	assert_true(same3 < 50); /* another seed: another table */
}

static void
test_gen_distribution(void **state)
{
	static const struct { unsigned len; double share, tol; } want[] = {
	    {24, 0.60, 0.01}, {23, 0.10, 0.005}, {22, 0.10, 0.005}, {21, 0.06, 0.004},
	    {20, 0.05, 0.004}, {19, 0.03, 0.003}, {16, 0.02, 0.002},
	};
	struct feedgen g;
	struct feedgen_cur c = {0};
	struct bgp_pfx p;
	uint64_t *keys = malloc(N * sizeof(*keys));
	size_t count[33] = {0}, n = 0, groups = 0;
	uint32_t grp, last = UINT32_MAX;
	bool excl[256] = {false};

	(void)state;
	excl[11] = excl[44] = true;
	feedgen_init(&g, 1, N, excl);
	while (feedgen_next(&g, &c, &p, &grp)) {
		unsigned o = p.addr >> 24;

		assert_true(p.len >= 8 && p.len <= 24);
		assert_int_equal(p.addr & ~(0xffffffffu << (32 - p.len)), 0); /* no host bits */
		assert_false(o == 0 || o == 10 || o == 127 || o == 100 || o >= 224 || o == 11 || o == 44);
		count[p.len]++;
		keys[n++] = key(&p);
		if (grp != last) {
			assert_true(last == UINT32_MAX || grp == last + 1);
			groups++;
			last = grp;
		}
	}
	assert_int_equal(n, N);
	qsort(keys, n, sizeof(*keys), cmp64);
	for (size_t i = 1; i < n; i++)
		assert_true(keys[i] != keys[i - 1]);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		double share = (double)count[want[i].len] / N;

		if (share < want[i].share - want[i].tol || share > want[i].share + want[i].tol)
			fail_msg("/%u: %.4f of the prefixes, want %.3f +- %.3f", want[i].len, share,
			         want[i].share, want[i].tol);
	}
	/* Groups of 1 to 8: a mean of 4.5 prefixes per UPDATE. */
	assert_true((double)N / groups > 4.2 && (double)N / groups < 4.8);
	free(keys);
}

/* Two usable /8s: /8 has 2 slots, /9 4...: the surplus spills, still unique. */
static void
test_gen_spill(void **state)
{
	struct feedgen g;
	struct feedgen_cur c = {0};
	struct bgp_pfx p;
	bool excl[256];
	uint64_t keys[3000];
	size_t n = 0, count[33] = {0};
	uint32_t grp;

	(void)state;
	for (int i = 0; i < 256; i++)
		excl[i] = i != 1 && i != 2;
	feedgen_init(&g, 3, 3000, excl);
	assert_int_equal(g.nok8, 2);
	while (feedgen_next(&g, &c, &p, &grp)) {
		assert_true(p.addr >> 24 == 1 || p.addr >> 24 == 2);
		count[p.len]++;
		keys[n++] = key(&p);
	}
	assert_int_equal(n, 3000);
	assert_true(count[8] <= 2 && count[9] <= 4 && count[10] <= 8);
	qsort(keys, n, sizeof(*keys), cmp64);
	for (size_t i = 1; i < n; i++)
		assert_true(keys[i] != keys[i - 1]);
	/* One usable /8 holds 2^17 - 1 prefixes of /8 to /24: a larger table is cut to that. */
	excl[2] = true;
	feedgen_init(&g, 3, 200000, excl);
	assert_int_equal(g.n, (1u << 17) - 1);
	memset(&c, 0, sizeof(c));
	n = 0;
	while (feedgen_next(&g, &c, &p, &grp))
		n++;
	assert_int_equal(n, (1u << 17) - 1);
}

static void
test_gen_paths(void **state)
{
	struct feedgen g;
	uint32_t avoid[] = {65000, 65101, 65102};
	size_t total = 0, same_path = 0, multi = 0;
	const uint32_t groups = 20000;

	(void)state;
	feedgen_init(&g, 1, N, NULL);
	for (uint32_t grp = 0; grp < groups; grp++) {
		struct feedgen_attr a, b;

		feedgen_attr(&g, grp, 65101, avoid, 3, &a);
		feedgen_attr(&g, grp, 65102, avoid, 3, &b);
		assert_true(a.npath >= 1 && a.npath <= FEEDGEN_MAX_PATH);
		assert_int_equal(a.path[0], 65101);
		assert_int_equal(b.path[0], 65102);
		for (unsigned k = 1; k < a.npath; k++)
			for (unsigned v = 0; v < 3; v++)
				assert_true(a.path[k] != avoid[v] && a.path[k] != 23456);
		assert_true(a.ncomm <= FEEDGEN_MAX_COMM);
		for (unsigned k = 0; k < a.ncomm; k++)
			assert_int_equal(a.comm[k] >> 16, 65101);
		total += a.npath;
		if (a.npath > 1 && b.npath > 1) {
			multi++;
			assert_int_equal(a.path[a.npath - 1], b.path[b.npath - 1]); /* the origin */
			same_path += a.npath == b.npath &&
			    memcmp(a.path + 1, b.path + 1, (a.npath - 1) * sizeof(uint32_t)) == 0;
		}
	}
	if ((double)total / groups < 4.3 || (double)total / groups > 4.7)
		fail_msg("mean AS path length %.2f", (double)total / groups);
	assert_true(same_path < multi / 3); /* feeders mostly offer different paths */
}

/* ---- MRT ---- */

static uint8_t *
fixture(size_t *len)
{
	FILE *f = fopen("tests/bgp/rib.mrt", "rb");
	uint8_t *d = malloc(1 << 20);

	assert_non_null(f);
	*len = fread(d, 1, 1 << 20, f);
	fclose(f);
	assert_true(*len > 1000);
	return d;
}

static void
test_mrt_fixture(void **state)
{
	size_t len;
	uint8_t *d = fixture(&len);
	struct mrt_file f, g;
	struct mrt_err err;
	struct mrt_route r;
	uint64_t off;
	size_t n = 0;
	int k;

	(void)state;
	mrt_open_mem(&f, d, len);
	assert_true(mrt_scan(&f, &err));
	assert_int_equal(f.npeers, 3);
	assert_true(f.peers[0].v6);
	assert_int_equal(f.peers[1].as, 65101);
	assert_int_equal(f.peers[1].addr, 0xc0000201);
	assert_int_equal(f.peers[2].as, 65201);
	assert_int_equal(f.routes[0], 0);
	assert_int_equal(f.routes[1], 300);
	assert_int_equal(f.routes[2], 196);
	assert_true(f.skipped > 0); /* the IPv6 records */
	off = f.first;
	while ((k = mrt_next_route(&f, &off, 1, &r, &err)) > 0) {
		if (n == 0) { /* tests/tools/mrt.py dump: the first route */
			assert_int_equal(r.pfx.addr, 23u << 24 | 24u << 16);
			assert_int_equal(r.pfx.len, 18);
		}
		assert_true(r.attr_off + r.attr_len <= len);
		assert_memory_equal(d + r.attr_off, r.attrs, r.attr_len);
		n++;
	}
	assert_int_equal(k, 0);
	assert_int_equal(n, 300);
	/* The file read with pread gives the same. */
	assert_true(mrt_open(&g, "tests/bgp/rib.mrt", &err));
	assert_true(mrt_scan(&g, &err));
	assert_int_equal(g.routes[1], 300);
	mrt_close(&g);
	assert_false(mrt_open(&g, "tests/bgp/no-such.mrt", &err));
	assert_non_null(strstr(err.msg, "No such file"));
	mrt_close(&f);
	free(d);
}

static bool
scan_fails(const uint8_t *d, size_t len, struct mrt_err *err)
{
	struct mrt_file f;
	bool ok;

	mrt_open_mem(&f, d, len);
	ok = mrt_scan(&f, err);
	mrt_close(&f);
	if (!ok) {
		assert_true(err->off <= len);
		assert_true(err->msg[0] != '\0');
	}
	return !ok;
}

static void
test_mrt_errors(void **state)
{
	size_t len, truncated = 0;
	uint8_t *d = fixture(&len), *m;
	struct mrt_err err;
	uint32_t rlen;

	(void)state;
	/* Every cut that is not at a record boundary is an error inside the file. */
	for (size_t cut = 0; cut < len; cut++) {
		err.msg[0] = '\0';
		truncated += scan_fails(d, cut, &err);
	}
	assert_true(truncated > len - 400); /* ~400 records: their boundaries are whole files */
	assert_true(scan_fails(d, 0, &err));
	assert_non_null(strstr(err.msg, "PEER_INDEX_TABLE"));
	m = malloc(len);
	/* The first RIB record (right after the index): a bad prefix length, a bad peer index. */
	rlen = get32(d + 8);
	memcpy(m, d, len);
	m[12 + rlen + 12 + 4] = 33;
	assert_true(scan_fails(m, len, &err));
	assert_int_equal(err.off, 12 + rlen + 12 + 4);
	assert_non_null(strstr(err.msg, "prefix length 33"));
	memcpy(m, d, len);
	{
		size_t p = 12 + rlen + 12 + 5 + (m[12 + rlen + 12 + 4] + 7u) / 8 + 2;

		put16(m + p, 9);
		assert_true(scan_fails(m, len, &err));
		assert_int_equal(err.off, p);
		assert_non_null(strstr(err.msg, "peer 9"));
	}
	/*
	 * Two entries of one peer for one prefix: refused (the replay reads one
	 * route per peer and prefix, and the scan's counts must agree with it).
	 */
	memcpy(m, d, len);
	{
		size_t p = 12 + rlen + 12 + 5 + (m[12 + rlen + 12 + 4] + 7u) / 8;
		uint16_t n = get16(m + p);

		if (n >= 2) {
			size_t e2 = p + 2 + 8 + get16(m + p + 2 + 6); /* the second entry */

			put16(m + e2, get16(m + p + 2));
			assert_true(scan_fails(m, len, &err));
			assert_non_null(strstr(err.msg, "twice for one prefix"));
		}
	}
	/* A record longer than the file. */
	memcpy(m, d, len);
	put32(m + 12 + rlen + 8, 1000000);
	assert_true(scan_fails(m, len, &err));
	assert_non_null(strstr(err.msg, "truncated record"));
	/* Random corruption never crashes. */
	for (unsigned i = 0; i < 2000; i++) {
		memcpy(m, d, len);
		for (unsigned k = 0; k < 4; k++)
			m[(i * 7919u + k * 104729u) % len] ^= (uint8_t)(1 + (i + k) % 255);
		scan_fails(m, len, &err);
	}
	free(m);
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_gen_deterministic),
	    cmocka_unit_test(test_gen_distribution),
	    cmocka_unit_test(test_gen_spill),
	    cmocka_unit_test(test_gen_paths),
	    cmocka_unit_test(test_mrt_fixture),
	    cmocka_unit_test(test_mrt_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
