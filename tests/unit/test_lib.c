/*
 * test_lib.c: the foundation library (src/lib) without networking semantics.
 *
 * ip.h (address/prefix/MAC parse and format, masks, ordering), buf.h (big-endian
 * loads/stores and the bounded reader), strbuf (growth, padding, stealing), the
 * JSON writer (exact compact and pretty text, escaping) and reader (values,
 * escapes, surrogate pairs, every error message, the depth limit, writer ->
 * reader round trips), hmap (many keys, replace, deletion with backward shift
 * inside and across the wrap of a collision cluster, checked against the
 * linear-probing invariant after every step; iteration), rng (known answers,
 * streams, rng_below bounds and uniformity), slab (reuse, zeroing, chunks) and
 * util (grow_array, VEC_PUSH, strings).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "lib/buf.h"
#include "lib/hmap.h"
#include "lib/ip.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/marks.h"
#include "lib/numtab.h"
#include "lib/rng.h"
#include "lib/hash.h"
#include "lib/slab.h"
#include "lib/strbuf.h"
#include "lib/util.h"

/* ------------------------------------------------------------------------ */
/* ip.h */

static void
test_ip_parse_good(void **state UNUSED)
{
	static const struct {
		const char *s;
		uint32_t v;
	} good[] = {
		{"0.0.0.0", 0},
		{"255.255.255.255", 0xffffffffu},
		{"1.2.3.4", 0x01020304u},
		{"10.0.0.1", 0x0a000001u},
		{"192.168.100.200", 0xc0a864c8u},
		/* Leading zeros are decimal, never octal: "010" is ten. */
		{"01.2.3.4", 0x01020304u},
		{"010.010.010.010", 0x0a0a0a0au},
		{"001.002.003.004", 0x01020304u},
		{"000.000.000.000", 0},
		{"249.250.251.252", 0xf9fafbfcu},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(good); i++) {
		uint32_t v = 0xdeadbeef;

		assert_true(ip_parse(good[i].s, &v));
		assert_int_equal(v, good[i].v);
	}
}

static void
test_ip_parse_bad(void **state UNUSED)
{
	static const char *const bad[] = {
		"", "1", "1.2", "1.2.3", "1.2.3.", "1.2.3.4.", "1.2.3.4.5", ".1.2.3", "1..2.3",
		"1.2.3.256", "256.1.1.1", "1.2.300.4", "999.1.1.1", "1.2.3.1000",
		"0001.2.3.4", /* four digits, even with a value below 256 */
		" 1.2.3.4", "1.2.3.4 ", "1.2.3.4\n", "1.2.3.4x", "x1.2.3.4", "1.2.3.4/24",
		"1.2.3.-4", "1.2.3.+4", "-1.2.3.4", "a.b.c.d", "1,2,3,4", "1.2.3.0x4", "0x1.2.3.4",
		"1.2.3.4:80", "1 .2.3.4", "1.2 .3.4", "4294967295",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		uint32_t v = 0xdeadbeef;

		if (ip_parse(bad[i], &v))
			fail_msg("ip_parse accepted \"%s\"", bad[i]);
		/* A failed parse leaves the output alone. */
		assert_int_equal(v, 0xdeadbeef);
	}
}

static void
test_ip_format(void **state UNUSED)
{
	char buf[IP_STRLEN];
	const char *p[8];

	(void)state;
	assert_string_equal(ip_fmt(0, buf), "0.0.0.0");
	assert_ptr_equal(ip_fmt(0, buf), buf);
	assert_string_equal(ip_fmt(0xffffffffu, buf), "255.255.255.255");
	assert_int_equal(strlen(buf), IP_STRLEN - 1);
	assert_string_equal(ip_fmt(0x0a000001u, buf), "10.0.0.1");
	assert_string_equal(ip_fmt(0xc0a80001u, buf), "192.168.0.1");
	/* ip_str rotates through 8 buffers: eight results stay valid at once. */
	for (uint32_t i = 0; i < 8; i++)
		p[i] = ip_str(0x0a000000u + i);
	for (uint32_t i = 0; i < 8; i++) {
		char want[IP_STRLEN];

		snprintf(want, sizeof(want), "10.0.0.%u", i);
		assert_string_equal(p[i], want);
		for (uint32_t k = 0; k < i; k++)
			assert_ptr_not_equal(p[i], p[k]);
	}
	/* Parse and format are inverses over a spread of addresses. */
	for (uint64_t a = 0; a <= 0xffffffffu; a += 0x01010101u / 7 + 12345) {
		uint32_t back;

		assert_true(ip_parse(ip_str((uint32_t)a), &back));
		assert_int_equal(back, (uint32_t)a);
	}
}

static void
test_ip_mask_and_contains(void **state UNUSED)
{
	struct prefix any = {0, 0}, ten = {0x0a000000u, 8}, host = {0x0a010203u, 32};

	(void)state;
	assert_int_equal(ip_mask(0), 0);
	assert_int_equal(ip_mask(1), 0x80000000u);
	assert_int_equal(ip_mask(8), 0xff000000u);
	assert_int_equal(ip_mask(24), 0xffffff00u);
	assert_int_equal(ip_mask(31), 0xfffffffeu);
	assert_int_equal(ip_mask(32), 0xffffffffu);
	assert_true(prefix_contains(&any, 0));
	assert_true(prefix_contains(&any, 0xffffffffu));
	assert_true(prefix_contains(&ten, 0x0a000000u));
	assert_true(prefix_contains(&ten, 0x0affffffu));
	assert_false(prefix_contains(&ten, 0x0b000000u));
	assert_false(prefix_contains(&ten, 0x09ffffffu));
	assert_true(prefix_contains(&host, 0x0a010203u));
	assert_false(prefix_contains(&host, 0x0a010202u));
	assert_false(prefix_contains(&host, 0x0a010204u));
}

static void
test_prefix_parse_good(void **state UNUSED)
{
	static const struct {
		const char *s;
		uint32_t addr;
		uint8_t len;
		const char *fmt;
	} good[] = {
		{"10.1.2.3/8", 0x0a000000u, 8, "10.0.0.0/8"},
		{"10.1.2.3/16", 0x0a010000u, 16, "10.1.0.0/16"},
		{"10.1.2.3/24", 0x0a010200u, 24, "10.1.2.0/24"},
		{"10.1.2.3/31", 0x0a010202u, 31, "10.1.2.2/31"},
		{"10.1.2.3/32", 0x0a010203u, 32, "10.1.2.3/32"},
		{"0.0.0.0/0", 0, 0, "0.0.0.0/0"},
		{"255.255.255.255/0", 0, 0, "0.0.0.0/0"},
		{"1.2.3.4/0", 0, 0, "0.0.0.0/0"},
		{"255.255.255.255/32", 0xffffffffu, 32, "255.255.255.255/32"},
		{"128.0.0.0/1", 0x80000000u, 1, "128.0.0.0/1"},
		{"200.0.0.0/1", 0x80000000u, 1, "128.0.0.0/1"},
		/* A bare address is a host route. */
		{"192.0.2.1", 0xc0000201u, 32, "192.0.2.1/32"},
		/* The length is decimal; leading zeros are allowed. */
		{"10.0.0.0/08", 0x0a000000u, 8, "10.0.0.0/8"},
		{"10.0.0.0/032", 0x0a000000u, 32, "10.0.0.0/32"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(good); i++) {
		struct prefix p = {0xdeadbeef, 99};
		char buf[PFX_STRLEN];

		if (!prefix_parse(good[i].s, &p))
			fail_msg("prefix_parse rejected \"%s\"", good[i].s);
		assert_int_equal(p.addr, good[i].addr);
		assert_int_equal(p.len, good[i].len);
		assert_string_equal(prefix_fmt(&p, buf), good[i].fmt);
		assert_string_equal(prefix_str(&p), good[i].fmt);
	}
}

static void
test_prefix_parse_bad(void **state UNUSED)
{
	static const char *const bad[] = {
		"", "/", "/8", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/100", "10.0.0.0/-1",
		"10.0.0.0/+8", "10.0.0.0/ 8", "10.0.0.0 /8", "10.0.0.0/8 ", "10.0.0.0/8x",
		"10.0.0.0/8/8", "10.0.0.0/0x8", "10.0.0.256/8", "10.0.0/8", "10.0.0.0.0/8",
		"1.2.3.4.5.6.7.8/8", "0010.0.0.0/8", "10.0.0.0/99999999999999999999", "x/8",
		"10.0.0.0/a",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct prefix p = {0xdeadbeef, 99};

		if (prefix_parse(bad[i], &p))
			fail_msg("prefix_parse accepted \"%s\"", bad[i]);
		assert_int_equal(p.addr, 0xdeadbeef);
		assert_int_equal(p.len, 99);
	}
}

static void
test_ip_plen_parse(void **state UNUSED)
{
	uint32_t a = 0;
	uint8_t l = 0;

	(void)state;
	/* The address is kept as written (an interface address), not masked. */
	assert_true(ip_plen_parse("10.1.2.3/8", &a, &l));
	assert_int_equal(a, 0x0a010203u);
	assert_int_equal(l, 8);
	assert_true(ip_plen_parse("192.168.1.254/0", &a, &l));
	assert_int_equal(a, 0xc0a801feu);
	assert_int_equal(l, 0);
	assert_true(ip_plen_parse("192.168.1.254/32", &a, &l));
	assert_int_equal(l, 32);
	/* Unlike prefix_parse, the length is required. */
	assert_false(ip_plen_parse("10.1.2.3", &a, &l));
	assert_false(ip_plen_parse("10.1.2.3/33", &a, &l));
	assert_false(ip_plen_parse("10.1.2.3/", &a, &l));
	assert_false(ip_plen_parse("255.255.255.2555/8", &a, &l));
}

static void
test_prefix_roundtrip_random(void **state UNUSED)
{
	struct rng r;

	(void)state;
	rng_seed(&r, 7, 1);
	for (int i = 0; i < 5000; i++) {
		struct prefix p, q;
		char buf[PFX_STRLEN];

		p.len = (uint8_t)rng_below(&r, 33);
		p.addr = (uint32_t)rng_next(&r) & ip_mask(p.len);
		assert_true(prefix_parse(prefix_fmt(&p, buf), &q));
		assert_true(prefix_eq(&p, &q));
		assert_int_equal(prefix_cmp(&p, &q), 0);
	}
}

static void
test_mask_to_len(void **state UNUSED)
{
	static const uint32_t bad[] = {
		0x7fffffffu, 0x00000001u, 0xff00ff00u, 0xffff0001u, 0xfffffffdu, 0x80000001u,
		0x0000ff00u, 0xfeffffffu, 0x00ffffffu, 0xaaaaaaaau,
	};

	(void)state;
	for (unsigned len = 0; len <= 32; len++)
		assert_int_equal(mask_to_len(ip_mask(len)), (int)len);
	assert_int_equal(mask_to_len(0xffffff00u), 24);
	assert_int_equal(mask_to_len(0xfffffffcu), 30);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		assert_int_equal(mask_to_len(bad[i]), -1);
	/* Every mask with a single hole is rejected. */
	for (unsigned len = 2; len <= 32; len++)
		for (unsigned hole = 0; hole + 1 < len; hole++)
			assert_int_equal(mask_to_len(ip_mask(len) & ~(0x80000000u >> hole)), -1);
}

static int
cmp_prefix_qsort(const void *a, const void *b)
{
	return prefix_cmp(a, b);
}

static void
test_prefix_cmp(void **state UNUSED)
{
	struct prefix v[] = {
		{0x0a010000u, 16}, {0x0a000000u, 16}, {0, 0}, {0x0a000000u, 8},
		{0xffffffffu, 32}, {0x0a000000u, 24}, {0x09000000u, 8}, {0, 32},
	};
	static const char *const want[] = {
		"0.0.0.0/0", "0.0.0.0/32", "9.0.0.0/8", "10.0.0.0/8", "10.0.0.0/16",
		"10.0.0.0/24", "10.1.0.0/16", "255.255.255.255/32",
	};
	struct prefix a = {0x0a000000u, 8}, b = {0x0a000000u, 16}, c = {0x0b000000u, 8};
	struct prefix hi = {0xf0000000u, 4}, lo = {0x10000000u, 4};

	(void)state;
	assert_true(prefix_cmp(&a, &b) < 0);
	assert_true(prefix_cmp(&b, &a) > 0);
	assert_true(prefix_cmp(&a, &c) < 0);
	assert_true(prefix_cmp(&c, &a) > 0);
	assert_int_equal(prefix_cmp(&a, &a), 0);
	/* Unsigned address order: 240/4 sorts after 16/4 (no sign trouble). */
	assert_true(prefix_cmp(&lo, &hi) < 0);
	assert_true(prefix_cmp(&hi, &lo) > 0);
	assert_false(prefix_eq(&a, &b));
	assert_true(prefix_eq(&a, &(struct prefix){0x0a000000u, 8}));
	qsort(v, ARRAY_LEN(v), sizeof(v[0]), cmp_prefix_qsort);
	for (size_t i = 0; i < ARRAY_LEN(v); i++)
		assert_string_equal(prefix_str(&v[i]), want[i]);
}

static void
test_mac_parse_and_str(void **state UNUSED)
{
	static const char *const bad[] = {
		"", "02:00:00:00:01", "02:00:00:00:01:02:03", "2:00:00:00:01:02",
		"002:00:00:00:01:02", "02-00-00-00-01-02", "02:00:00:00:01:0g", "0x:00:00:00:01:02",
		"02:00:00:00:01:02 ", " 02:00:00:00:01:02", "+2:00:00:00:01:02",
		    "-2:00:00:00:01:02",
		"02::00:00:01:02", "02:00:00:00:01:", "0200.0000.0102", "020000000102",
		"02:00:00:00:01:2", "02:00:00:00:01:0x2", "0x2:00:00:00:01:02",
		    "02:00:00:00:01:02:",
		"g2:00:00:00:01:02",
	};
	uint8_t m[6], want[6] = {0x02, 0x00, 0x00, 0x00, 0x01, 0x02};
	uint8_t all[6] = {0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
	const char *s1, *s2;

	(void)state;
	assert_true(mac_parse("02:00:00:00:01:02", m));
	assert_memory_equal(m, want, 6);
	assert_true(mac_parse("AA:bb:Cc:dD:ee:FF", m));
	assert_memory_equal(m, all, 6);
	assert_true(mac_parse("ff:ff:ff:ff:ff:ff", m));
	for (int i = 0; i < 6; i++)
		assert_int_equal(m[i], 0xff);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (mac_parse(bad[i], m))
			fail_msg("mac_parse accepted \"%s\"", bad[i]);
	/* Formatting is lower case with colons, and two results coexist. */
	s1 = mac_str(all);
	s2 = mac_str(want);
	assert_string_equal(s1, "aa:bb:cc:dd:ee:ff");
	assert_string_equal(s2, "02:00:00:00:01:02");
	assert_true(mac_parse(s1, m));
	assert_memory_equal(m, all, 6);
}

/* ------------------------------------------------------------------------ */
/* buf.h */

static void
test_buf_be(void **state UNUSED)
{
	uint8_t b[8] = {0};

	(void)state;
	put16(b, 0x1234);
	assert_int_equal(b[0], 0x12);
	assert_int_equal(b[1], 0x34);
	assert_int_equal(get16(b), 0x1234);
	put24(b, 0xabcdef);
	assert_int_equal(b[0], 0xab);
	assert_int_equal(b[2], 0xef);
	assert_int_equal(get24(b), 0xabcdef);
	put32(b, 0xfedcba98u);
	assert_int_equal(b[0], 0xfe);
	assert_int_equal(b[1], 0xdc);
	assert_int_equal(b[2], 0xba);
	assert_int_equal(b[3], 0x98);
	assert_int_equal(get32(b), 0xfedcba98u);
	put16(b + 4, 0xffff);
	assert_int_equal(get16(b + 4), 0xffff);
}

static void
test_buf_reader_bounds(void **state UNUSED)
{
	static const uint8_t d[] = {1, 2, 3, 4, 5, 6, 7};
	struct rd r;

	(void)state;
	rd_init(&r, d, sizeof(d));
	assert_int_equal(rd_left(&r), 7);
	assert_int_equal(rd_u8(&r), 1);
	assert_int_equal(rd_u16(&r), 0x0203);
	assert_int_equal(rd_u32(&r), 0x04050607u);
	assert_false(r.err);
	assert_int_equal(rd_left(&r), 0);
	/* Past the end: an error, a zero, and it sticks. */
	assert_int_equal(rd_u8(&r), 0);
	assert_true(r.err);
	assert_int_equal(rd_left(&r), 0);
	rd_init(&r, d, 3);
	assert_int_equal(rd_u16(&r), 0x0102);
	assert_int_equal(rd_u16(&r), 0); /* only one byte left */
	assert_true(r.err);
	assert_int_equal(rd_u8(&r), 0);  /* the byte that was left is not read after an error */
	assert_null(rd_take(&r, 0));
	rd_init(&r, d, 4);
	assert_ptr_equal(rd_take(&r, 4), d);
	assert_ptr_equal(rd_take(&r, 0), d + 4);
	assert_null(rd_take(&r, 1));
	/* A huge length cannot wrap the bound check. */
	rd_init(&r, d, 4);
	assert_int_equal(rd_u8(&r), 1);
	assert_null(rd_take(&r, SIZE_MAX));
	assert_true(r.err);
}

/* ------------------------------------------------------------------------ */
/* strbuf */

static void
test_strbuf_growth(void **state UNUSED)
{
	struct strbuf b = STRBUF_INIT;
	char *s;

	(void)state;
	assert_string_equal(sb_str(&b), "");
	assert_int_equal(b.len, 0);
	for (int i = 0; i < 10000; i++) {
		sb_addc(&b, (char)('a' + i % 26));
		assert_int_equal(b.len, (size_t)i + 1);
		assert_true(b.cap > b.len);
		assert_int_equal(b.s[b.len], '\0');
	}
	for (int i = 0; i < 10000; i++)
		assert_int_equal(b.s[i], 'a' + i % 26);
	/* Capacity doubles from 8: always a power of two. */
	assert_int_equal(b.cap & (b.cap - 1), 0);
	assert_true(b.cap >= 10001 && b.cap < 2 * 10001);
	sb_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(sb_str(&b), "");
	assert_true(b.cap >= 10001); /* memory is kept */
	sb_add(&b, "hello");
	sb_addn(&b, ", world!!!", 7);
	assert_string_equal(sb_str(&b), "hello, world");
	assert_int_equal(b.len, 12);
	/* Embedded NULs are kept by sb_addn and counted in len. */
	sb_addn(&b, "x\0y", 3);
	assert_int_equal(b.len, 15);
	assert_memory_equal(b.s + 12, "x\0y", 4);
	s = sb_steal(&b);
	assert_memory_equal(s, "hello, worldx\0y", 16);
	free(s);
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	/* Stealing an empty buffer gives an empty, freeable string. */
	s = sb_steal(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	sb_free(&b);
}

static void
test_strbuf_printf(void **state UNUSED)
{
	struct strbuf b;
	char big[3000];

	(void)state;
	sb_init(&b);
	sb_printf(&b, "%s", "");
	assert_int_equal(b.len, 0);
	assert_string_equal(sb_str(&b), "");
	sb_printf(&b, "%d-%s-%05.1f", 42, "x", 3.14159);
	assert_string_equal(sb_str(&b), "42-x-003.1");
	/* A format result much longer than the capacity. */
	sb_printf(&b, "%02500d", 7);
	assert_int_equal(b.len, 10 + 2500);
	assert_int_equal(b.s[10], '0');
	assert_int_equal(b.s[b.len - 1], '7');
	assert_int_equal(b.s[b.len], '\0');
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sb_reset(&b);
	sb_printf(&b, "<%s>", big);
	assert_int_equal(b.len, sizeof(big) + 1);
	assert_int_equal(b.s[0], '<');
	assert_int_equal(b.s[b.len - 1], '>');
	sb_free(&b);
	assert_null(b.s);
}

static void
test_strbuf_pad(void **state UNUSED)
{
	struct strbuf b = STRBUF_INIT;

	(void)state;
	sb_pad(&b, 3);
	assert_string_equal(sb_str(&b), "   ");
	sb_reset(&b);
	sb_add(&b, "ab");
	sb_pad(&b, 6);
	assert_string_equal(sb_str(&b), "ab    ");
	sb_add(&b, "c");
	assert_string_equal(sb_str(&b), "ab    c");
	/* The column counts from the last newline. */
	sb_reset(&b);
	sb_add(&b, "0123456789\nab");
	sb_pad(&b, 6);
	assert_string_equal(sb_str(&b), "0123456789\nab    ");
	sb_reset(&b);
	sb_add(&b, "line\n");
	sb_pad(&b, 2);
	assert_string_equal(sb_str(&b), "line\n  ");
	/* At or past the column: exactly one separating space. */
	sb_reset(&b);
	sb_add(&b, "abcd");
	sb_pad(&b, 4);
	assert_string_equal(sb_str(&b), "abcd ");
	sb_reset(&b);
	sb_add(&b, "abcdefgh");
	sb_pad(&b, 4);
	assert_string_equal(sb_str(&b), "abcdefgh ");
	sb_reset(&b);
	sb_add(&b, "x");
	sb_pad(&b, 0);
	assert_string_equal(sb_str(&b), "x ");
	sb_free(&b);
}

/* ------------------------------------------------------------------------ */
/* JSON writer */

static void
test_json_compact(void **state UNUSED)
{
	struct strbuf b = STRBUF_INIT;
	struct json j;

	(void)state;
	json_init(&j, &b, false);
	json_obj_begin(&j);
	json_kv_int(&j, "a", 1);
	json_key(&j, "b");
	json_arr_begin(&j);
	json_bool(&j, true);
	json_bool(&j, false);
	json_null(&j);
	json_int(&j, -5);
	json_arr_end(&j);
	json_key(&j, "c");
	json_obj_begin(&j);
	json_kv_str(&j, "d", "e");
	json_kv_bool(&j, "f", false);
	json_obj_end(&j);
	json_key(&j, "g");
	json_arr_begin(&j);
	json_arr_begin(&j);
	json_arr_end(&j);
	json_obj_begin(&j);
	json_obj_end(&j);
	json_arr_end(&j);
	json_key(&j, "h");
	json_raw(&j, "{\"pre\":1}");
	json_kv_double(&j, "i", 1.5);
	json_key(&j, "k");
	json_str(&j, NULL);
	json_obj_end(&j);
	assert_string_equal(sb_str(&b),
	    "{\"a\":1,\"b\":[true,false,null,-5],\"c\":{\"d\":\"e\",\"f\":false},"
	    "\"g\":[[],{}],\"h\":{\"pre\":1},\"i\":1.5,\"k\":\"\"}");
	assert_int_equal(j.depth, 0);
	sb_free(&b);
}

static void
test_json_pretty_exact(void **state UNUSED)
{
	struct strbuf b = STRBUF_INIT;
	struct json j;

	(void)state;
	json_init(&j, &b, true);
	json_obj_begin(&j);
	json_kv_str(&j, "name", "r1");
	json_key(&j, "ids");
	json_arr_begin(&j);
	json_int(&j, 1);
	json_int(&j, 2);
	json_arr_end(&j);
	json_key(&j, "empty");
	json_obj_begin(&j);
	json_obj_end(&j);
	json_key(&j, "ea");
	json_arr_begin(&j);
	json_arr_end(&j);
	json_key(&j, "nested");
	json_arr_begin(&j);
	json_obj_begin(&j);
	json_kv_bool(&j, "up", true);
	json_obj_end(&j);
	json_arr_end(&j);
	json_obj_end(&j);
	assert_string_equal(sb_str(&b),
	    "{\n"
	    "  \"name\": \"r1\",\n"
	    "  \"ids\": [\n"
	    "    1,\n"
	    "    2\n"
	    "  ],\n"
	    "  \"empty\": {},\n"
	    "  \"ea\": [],\n"
	    "  \"nested\": [\n"
	    "    {\n"
	    "      \"up\": true\n"
	    "    }\n"
	    "  ]\n"
	    "}");
	sb_free(&b);
	/* An empty top-level object is "{}" in both forms. */
	json_init(&j, &b, true);
	json_obj_begin(&j);
	json_obj_end(&j);
	assert_string_equal(sb_str(&b), "{}");
	sb_free(&b);
}

static void
test_json_escape(void **state UNUSED)
{
	struct strbuf b = STRBUF_INIT;
	char in[40];
	struct json j;

	(void)state;
	json_escape(&b, "a\"b\\c\nd\re\tf/g");
	assert_string_equal(sb_str(&b), "\"a\\\"b\\\\c\\nd\\re\\tf/g\"");
	sb_reset(&b);
	/* Every other control character as \u00XX, lower-case hex. */
	json_escape(&b, "\x01\x08\x0c\x1f\x7f");
	assert_string_equal(sb_str(&b), "\"\\u0001\\u0008\\u000c\\u001f\x7f\"");
	sb_reset(&b);
	/* UTF-8 passes through untouched. */
	json_escape(&b, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	assert_string_equal(sb_str(&b), "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	sb_reset(&b);
	/* Bytes that are not UTF-8 (stray, truncated, overlong, surrogate) become U+FFFD. */
	json_escape(&b, "a\xff b\xc3 c\xc0\xaf d\xed\xa0\x80");
	assert_string_equal(sb_str(&b), "\"a\\ufffd b\\ufffd c\\ufffd\\ufffd d\\ufffd\\ufffd\\ufffd\"");
	sb_reset(&b);
	json_escape(&b, "");
	assert_string_equal(sb_str(&b), "\"\"");
	sb_reset(&b);
	/* Keys are escaped too. */
	json_init(&j, &b, false);
	json_obj_begin(&j);
	json_kv_str(&j, "k\"1", "v\n");
	json_obj_end(&j);
	assert_string_equal(sb_str(&b), "{\"k\\\"1\":\"v\\n\"}");
	sb_reset(&b);
	for (int c = 1; c < 32; c++)
		in[c - 1] = (char)c;
	in[31] = '\0';
	json_escape(&b, in);
	/* 31 characters: 3 short escapes (\n \r \t) and 28 six-character ones. */
	assert_int_equal(b.len, 2 + 3 * 2 + 28 * 6);
	sb_free(&b);
}

static void
test_json_numbers_out(void **state UNUSED)
{
	struct strbuf b = STRBUF_INIT;
	struct json j;

	(void)state;
	json_init(&j, &b, false);
	json_arr_begin(&j);
	json_int(&j, INT64_MIN);
	json_int(&j, INT64_MAX);
	json_int(&j, 0);
	json_double(&j, 0.1);
	json_double(&j, -2.5);
	json_double(&j, 1e20);
	json_double(&j, 12.3456);
	json_double(&j, NAN);
	json_double(&j, INFINITY);
	json_double(&j, -INFINITY);
	json_arr_end(&j);
	assert_string_equal(sb_str(&b), "[-9223372036854775808,9223372036854775807,0,0.1,-2.5,"
	    "1e+20,12.3456,null,null,null]");
	sb_free(&b);
}

/* ------------------------------------------------------------------------ */
/* JSON reader */

static struct jval *
parse_ok(const char *text)
{
	char err[128] = "";
	struct jval *v = json_parse(text, strlen(text), err, sizeof(err));

	if (v == NULL)
		fail_msg("json_parse(%s) failed: %s", text, err);
	return v;
}

/* Parse must fail with exactly this message. */
static void
parse_err(const char *text, size_t len, const char *want)
{
	char err[128] = "";
	struct jval *v = json_parse(text, len, err, sizeof(err));

	if (v != NULL) {
		jval_free(v);
		fail_msg("json_parse accepted \"%s\"", text);
	}
	if (strcmp(err, want) != 0)
		fail_msg("json_parse(\"%s\"): got \"%s\", want \"%s\"", text, err, want);
}

static void
test_json_parse_scalars(void **state UNUSED)
{
	static const struct {
		const char *s;
		double v;
	} nums[] = {
		{"0", 0}, {"-0", -0.0}, {"42", 42}, {"-17", -17}, {"3.25", 3.25},
		{"1e3", 1000}, {"1E-2", 0.01}, {"-1.5e+2", -150}, {"123456789012", 123456789012.0},
		{" 7 ", 7}, {"\t\r\n8\n", 8},
	};
	struct jval *v;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(nums); i++) {
		v = parse_ok(nums[i].s);
		assert_int_equal(v->type, J_NUM);
		if (v->num != nums[i].v)
			fail_msg("%s parsed as %g", nums[i].s, v->num);
		jval_free(v);
	}
	v = parse_ok("true");
	assert_int_equal(v->type, J_BOOL);
	assert_true(v->b);
	jval_free(v);
	v = parse_ok("false");
	assert_int_equal(v->type, J_BOOL);
	assert_false(v->b);
	jval_free(v);
	v = parse_ok(" null ");
	assert_int_equal(v->type, J_NULL);
	assert_int_equal(v->n, 0);
	jval_free(v);
	v = parse_ok("\"\"");
	assert_int_equal(v->type, J_STR);
	assert_string_equal(v->str, "");
	jval_free(v);
	jval_free(NULL);
}

static void
test_json_parse_strings(void **state UNUSED)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"\"plain\"", "plain"},
		{"\"a\\\"b\\\\c\\/d\"", "a\"b\\c/d"},
		{"\"\\b\\f\\n\\r\\t\"", "\b\f\n\r\t"},
		{"\"\\u0041\\u0062\"", "Ab"},
		{"\"\\u00e9\\u00E9\"", "\xc3\xa9\xc3\xa9"},
		{"\"\\u07ff\"", "\xdf\xbf"},
		{"\"\\u0800\"", "\xe0\xa0\x80"},
		{"\"\\u20ac\"", "\xe2\x82\xac"},
		{"\"\\uffff\"", "\xef\xbf\xbf"},
		/* Surrogate pairs become one 4-byte UTF-8 sequence. */
		{"\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80"},
		{"\"\\uD800\\uDC00\"", "\xf0\x90\x80\x80"},
		{"\"\\udbff\\udfff\"", "\xf4\x8f\xbf\xbf"},
		{"\"x\\ud834\\udd1ey\"", "x\xf0\x9d\x84\x9ey"},
		/* Raw UTF-8 and DEL are ordinary characters. */
		{"\"caf\xc3\xa9\x7f\"", "caf\xc3\xa9\x7f"},
		{"\"{[,:]}\"", "{[,:]}"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct jval *v = parse_ok(cases[i].in);

		assert_int_equal(v->type, J_STR);
		assert_string_equal(v->str, cases[i].out);
		jval_free(v);
	}
}

static void
test_json_parse_nested(void **state UNUSED)
{
	const char *text = " {\"a\" : [1, [2, [3]], {\"b\": {\"c\": null}}],\n"
	    "\t\"d\":true,\"e\":false,"
	    "\"f\":\"\", \"g\": {}, \"h\": [], \"A\": 99} ";
	struct jval *v = parse_ok(text), *a, *x;

	(void)state;
	assert_int_equal(v->type, J_OBJ);
	assert_int_equal(v->n, 7);
	assert_string_equal(v->keys[0], "a");
	assert_string_equal(v->keys[6], "A");
	assert_true(v->elem[6]->num == 99);
	/* Keys are compared exactly: "A" is not "a". */
	a = jval_get(v, "a");
	assert_ptr_equal(a, v->elem[0]);
	assert_int_equal(a->type, J_ARR);
	assert_int_equal(a->n, 3);
	assert_int_equal(a->elem[0]->type, J_NUM);
	assert_true(a->elem[0]->num == 1);
	x = a->elem[1];
	assert_int_equal(x->type, J_ARR);
	assert_int_equal(x->n, 2);
	assert_true(x->elem[0]->num == 2);
	assert_int_equal(x->elem[1]->type, J_ARR);
	assert_int_equal(x->elem[1]->n, 1);
	assert_true(x->elem[1]->elem[0]->num == 3);
	x = jval_get(jval_get(a->elem[2], "b"), "c");
	assert_non_null(x);
	assert_int_equal(x->type, J_NULL);
	assert_true(jval_get(v, "d")->b);
	assert_false(jval_get(v, "e")->b);
	assert_string_equal(jval_str(v, "f"), "");
	assert_int_equal(jval_get(v, "g")->type, J_OBJ);
	assert_int_equal(jval_get(v, "g")->n, 0);
	assert_int_equal(jval_get(v, "h")->type, J_ARR);
	assert_int_equal(jval_get(v, "h")->n, 0);
	/* Absent keys, non-strings and non-objects. */
	assert_null(jval_get(v, "zz"));
	assert_null(jval_str(v, "d"));
	assert_null(jval_str(v, "zz"));
	assert_null(jval_get(a, "a"));
	assert_null(jval_get(NULL, "a"));
	jval_free(v);
}

static void
test_json_parse_errors(void **state UNUSED)
{
	static const struct {
		const char *in, *err;
	} cases[] = {
		{"", "unexpected end of input at byte 0"},
		{"   ", "unexpected end of input at byte 3"},
		{"[1,", "unexpected end of input at byte 3"},
		{"{\"a\":", "unexpected end of input at byte 5"},
		{"[1,2] x", "trailing characters at byte 6"},
		{"{} {}", "trailing characters at byte 3"},
		{"1 2", "trailing characters at byte 2"},
		{"truex", "trailing characters at byte 4"},
		{"\"abc", "unterminated string at byte 4"},
		{"\"abc\\", "unterminated string at byte 5"},
		{"[\"abc", "unterminated string at byte 5"},
		{"[1,2", "expected ',' or ']' at byte 4"},
		{"[1 2]", "expected ',' or ']' at byte 3"},
		{"{\"a\":1", "expected ',' or '}' at byte 6"},
		{"{\"a\":1]", "expected ',' or '}' at byte 6"},
		{"{\"a\" 1}", "expected ':' at byte 5"},
		{"{\"a\"", "expected ':' at byte 4"},
		{"{1:2}", "expected a string key at byte 1"},
		{"{\"a\":1,}", "expected a string key at byte 7"},
		{"{,}", "expected a string key at byte 1"},
		{"{\"a\":}", "unexpected character at byte 5"},
		{"[1,]", "unexpected character at byte 3"},
		{"[,1]", "unexpected character at byte 1"},
		{"tru", "unexpected character at byte 0"},
		{"nul", "unexpected character at byte 0"},
		{"'a'", "unexpected character at byte 0"},
		{"]", "unexpected character at byte 0"},
		{"\"\\x\"", "bad escape at byte 3"},
		{"\"\\U0041\"", "bad escape at byte 3"},
		{"\"\\u12G4\"", "bad \\u escape at byte 6"},
		{"\"\\u12\"", "bad \\u escape at byte 3"},
		{"\"a\nb\"", "control character in string at byte 3"},
		{"\"a\tb\"", "control character in string at byte 3"},
		{"-", "bad number at byte 0"},
		{"1e", "bad number at byte 0"},
		{"1.2.3", "bad number at byte 0"},
		{"--1", "bad number at byte 0"},
		{"[1e+]", "bad number at byte 1"},
		/* U+0000 would end the C string early: refused, naming the member. */
		{"\"a\\u0000b\"", "NUL character (\\u0000) in a string at byte 2"},
		{"{\"cmd\":\"show ip route\\u0000;x\"}",
		    "NUL character (\\u0000) in the value of \"cmd\" at byte 21"},
		{"{\"a\":{\"b\":[\"\\u0000\"]}}",
		    "NUL character (\\u0000) in the value of \"b\" at byte 12"},
		{"{\"a\\u0000\":1}", "NUL character (\\u0000) in an object key at byte 3"},
		/* Duplicate keys: the second one is pointed at. */
		{"{\"a\":1,\"a\":2}", "duplicate key \"a\" at byte 7"},
		{"{\"op\":\"exec\",\"cmd\":\"x\",\"cmd\":\"y\"}", "duplicate key \"cmd\" at byte 23"},
		{"{\"x\":{\"k\":1,\"\\u006b\":2}}", "duplicate key \"k\" at byte 12"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		parse_err(cases[i].in, strlen(cases[i].in), cases[i].err);
	/* The length bounds the input: a NUL inside it is a character, not the end. */
	parse_err("[1]\0", 4, "trailing characters at byte 3");
	parse_err("\"a\0b\"", 5, "control character in string at byte 3");
	{
		struct jval *v = json_parse("[1,2]garbage", 5, NULL, 0);

		assert_non_null(v);
		assert_int_equal(v->n, 2);
		jval_free(v);
	}
	/* A short error buffer is truncated, not overrun. */
	{
		char err[8];

		memset(err, 'x', sizeof(err));
		assert_null(json_parse("[", 1, err, sizeof(err)));
		assert_string_equal(err, "unexpec");
	}
}

/*
 * Duplicate keys in objects of every size (the reader scans small objects and
 * hashes large ones): the same key in sibling or nested objects is fine, a
 * repeat in one object is refused wherever it comes.
 */
static void
test_json_parse_duplicate_keys(void **state UNUSED)
{
	(void)state;
	for (int n = 1; n <= 300; n += (n < 40 ? 1 : 37)) {
		for (int dup = -1; dup < n; dup += (n < 40 ? 1 : 11)) {
			struct strbuf b = STRBUF_INIT;
			char err[128] = "";
			struct jval *v;
			size_t at = 0;

			sb_addc(&b, '{');
			for (int i = 0; i < n; i++)
				sb_printf(&b, "%s\"k%d\":{\"k%d\":%d}", i ? "," : "", i, i, i);
			if (dup >= 0) {
				at = b.len + 1;
				sb_printf(&b, ",\"k%d\":0", dup);
			}
			sb_addc(&b, '}');
			v = json_parse(b.s, b.len, err, sizeof(err));
			if (dup < 0) {
				if (v == NULL)
					fail_msg("%d distinct keys refused: %s", n, err);
				assert_int_equal(v->n, (size_t)n);
				for (int i = 0; i < n; i++) {
					char k[16];

					snprintf(k, sizeof(k), "k%d", i);
					assert_ptr_equal(jval_get(v, k), v->elem[i]);
				}
			} else {
				char want[64];

				snprintf(want, sizeof(want), "duplicate key \"k%d\" at byte %zu", dup, at);
				if (v != NULL)
					fail_msg("%d keys, k%d repeated: accepted", n, dup);
				assert_string_equal(err, want);
			}
			jval_free(v);
			sb_free(&b);
		}
	}
}

/* Well-formed UTF-8 (RFC 3629): no surrogates, no overlong forms, nothing above U+10FFFF. */
static bool
utf8_valid(const unsigned char *s)
{
	while (*s) {
		unsigned cp, n;

		if (*s < 0x80) {
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0)
			cp = *s & 0x1f, n = 1;
		else if ((*s & 0xf0) == 0xe0)
			cp = *s & 0x0f, n = 2;
		else if ((*s & 0xf8) == 0xf0)
			cp = *s & 0x07, n = 3;
		else
			return false;
		s++;
		for (unsigned i = 0; i < n; i++, s++) {
			if ((*s & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (*s & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
			return false;
	}
	return true;
}

/*
 * Regression (jsonparse.c string(), found by this suite): a high surrogate
 * not followed by a low one.
 * The parser consumes the next "\uXXXX" while looking for the low half and
 * then drops it, and emits the lone surrogate as ED A0 80 (not UTF-8). A
 * reader may reject a lone surrogate or replace it (U+FFFD), but must not
 * lose the characters after it, must not produce invalid UTF-8, and must not
 * accept a malformed escape ("\uzzzz") just because it follows a surrogate.
 */
static void
test_json_parse_lone_surrogates(void **state UNUSED)
{
	static const struct {
		const char *in, *tail; /* if accepted, the string must end with tail */
	} cases[] = {
		{"\"\\ud800\\u0041\"", "A"},
		{"\"\\ud800x\"", "x"},
		{"\"\\ud800\"", ""},
		{"\"\\udc00y\"", "y"},
		{"\"\\ud800\\ud800\\udc00\"", "\xf0\x90\x80\x80"},
	};
	char err[128];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const char *in = cases[i].in;
		struct jval *v = json_parse(in, strlen(in), err, sizeof(err));
		size_t n, t = strlen(cases[i].tail);

		if (v == NULL)
			continue; /* rejecting a lone surrogate is allowed */
		{
			bool is_str = v->type == J_STR, valid, kept;

			n = is_str ? strlen(v->str) : 0;
			valid = is_str && utf8_valid((const unsigned char *)v->str);
			kept = is_str && n >= t && strcmp(v->str + n - t, cases[i].tail) == 0;
			jval_free(v);
			if (!valid)
				fail_msg("%s decoded to invalid UTF-8", in);
			if (!kept)
				fail_msg("%s lost the characters after the surrogate", in);
		}
	}
	{
		const char *in = "\"\\ud800\\uzzzz\"";
		struct jval *v = json_parse(in, strlen(in), err, sizeof(err));

		if (v != NULL) {
			jval_free(v);
			fail_msg("%s: the malformed second escape was accepted", in);
		}
		assert_true(strncmp(err, "bad \\u escape", 13) == 0);
	}
}

/*
 * Regression (jsonparse.c value(), found by this suite): numbers went
 * straight to strtod, so forms that
 * RFC 8259 section 6 does not allow are accepted: a leading '+', leading
 * zeros, a missing integer or fraction part.
 */
static void
test_json_parse_strict_numbers(void **state UNUSED)
{
	static const char *const bad[] = {"+1", "01", "-01", ".5", "-.5", "1.", "1.e5", "00"};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		parse_err(bad[i], strlen(bad[i]), "bad number at byte 0");
}

static char *
nest(char open, char close, int depth, bool obj)
{
	struct strbuf b = STRBUF_INIT;

	for (int i = 0; i < depth; i++) {
		sb_addc(&b, open);
		if (obj && i + 1 < depth)
			sb_add(&b, "\"k\":");
	}
	for (int i = 0; i < depth; i++)
		sb_addc(&b, close);
	return sb_steal(&b);
}

static void
test_json_parse_depth(void **state UNUSED)
{
	char err[128];
	char *s;
	struct jval *v, *x;

	(void)state;
	/* 64 levels are fine, 65 are refused, for arrays and objects alike. */
	s = nest('[', ']', 64, false);
	v = json_parse(s, strlen(s), err, sizeof(err));
	assert_non_null(v);
	x = v;
	for (int i = 1; i < 64; i++) {
		assert_int_equal(x->type, J_ARR);
		assert_int_equal(x->n, 1);
		x = x->elem[0];
	}
	assert_int_equal(x->n, 0);
	jval_free(v);
	free(s);
	s = nest('[', ']', 65, false);
	assert_null(json_parse(s, strlen(s), err, sizeof(err)));
	assert_string_equal(err, "nesting too deep at byte 64");
	free(s);
	s = nest('{', '}', 64, true);
	v = json_parse(s, strlen(s), err, sizeof(err));
	assert_non_null(v);
	jval_free(v);
	free(s);
	s = nest('{', '}', 65, true);
	assert_null(json_parse(s, strlen(s), err, sizeof(err)));
	assert_true(strncmp(err, "nesting too deep", 16) == 0);
	free(s);
	/* A deep but unterminated document fails cleanly (no leak under ASan). */
	s = nest('[', ']', 30, false);
	s[35] = '\0';
	assert_null(json_parse(s, strlen(s), err, sizeof(err)));
	assert_string_equal(err, "expected ',' or ']' at byte 35");
	free(s);
}

#define JSON_RT_DEPTH 20

static void
test_json_roundtrip_values(void **state UNUSED)
{
	char ctl[33], err[128];
	struct strbuf b = STRBUF_INIT;
	const char *strs[] = {"", "plain", "quote\" back\\ slash/", ctl, "caf\xc3\xa9 \xe2\x82\xac",
	    "\xf0\x9f\x98\x80", "{\"not\": [json]}", "k\xc3\xa9y"};
	const int64_t ints[] = {0, 1, -1, 1234567, -987654321, 9007199254740992LL};
	const double dbls[] = {0.5, -0.25, 1e-05, 123.456, 6.02e23};

	(void)state;
	for (int c = 1; c < 32; c++)
		ctl[c - 1] = (char)c;
	ctl[31] = '~';
	ctl[32] = '\0';
	for (int pretty = 0; pretty <= 1; pretty++) {
		struct json j;
		struct jval *v, *a;

		sb_reset(&b);
		json_init(&j, &b, pretty);
		json_obj_begin(&j);
		json_key(&j, "strs");
		json_arr_begin(&j);
		for (size_t i = 0; i < ARRAY_LEN(strs); i++)
			json_str(&j, strs[i]);
		json_arr_end(&j);
		json_key(&j, "ints");
		json_arr_begin(&j);
		for (size_t i = 0; i < ARRAY_LEN(ints); i++)
			json_int(&j, ints[i]);
		json_arr_end(&j);
		json_key(&j, "dbls");
		json_arr_begin(&j);
		for (size_t i = 0; i < ARRAY_LEN(dbls); i++)
			json_double(&j, dbls[i]);
		json_arr_end(&j);
		json_kv_bool(&j, "t", true);
		json_kv_bool(&j, "f", false);
		json_key(&j, "n");
		json_null(&j);
		/* Keys carrying characters that need escaping. */
		for (size_t i = 0; i < ARRAY_LEN(strs); i++)
			json_kv_int(&j, strs[i], (int64_t)i);
		json_key(&j, "deep");
		for (int i = 0; i < JSON_RT_DEPTH; i++)
			json_arr_begin(&j);
		json_int(&j, 7);
		for (int i = 0; i < JSON_RT_DEPTH; i++)
			json_arr_end(&j);
		json_obj_end(&j);
		assert_int_equal(j.depth, 0);

		v = json_parse(b.s, b.len, err, sizeof(err));
		if (v == NULL)
			fail_msg("round trip (pretty=%d) failed: %s\n%s", pretty, err, b.s);
		assert_int_equal(v->type, J_OBJ);
		assert_int_equal(v->n, 7 + ARRAY_LEN(strs));
		a = jval_get(v, "strs");
		assert_int_equal(a->n, ARRAY_LEN(strs));
		for (size_t i = 0; i < ARRAY_LEN(strs); i++) {
			assert_int_equal(a->elem[i]->type, J_STR);
			assert_string_equal(a->elem[i]->str, strs[i]);
		}
		a = jval_get(v, "ints");
		assert_int_equal(a->n, ARRAY_LEN(ints));
		for (size_t i = 0; i < ARRAY_LEN(ints); i++)
			assert_true(a->elem[i]->num == (double)ints[i]);
		a = jval_get(v, "dbls");
		for (size_t i = 0; i < ARRAY_LEN(dbls); i++)
			if (a->elem[i]->num != dbls[i])
				fail_msg("double %g came back as %.17g", dbls[i], a->elem[i]->num);
		assert_true(jval_get(v, "t")->b);
		assert_false(jval_get(v, "f")->b);
		assert_int_equal(jval_get(v, "n")->type, J_NULL);
		for (size_t i = 0; i < ARRAY_LEN(strs); i++) {
			struct jval *k = jval_get(v, strs[i]);

			assert_non_null(k);
			assert_true(k->num == (double)i);
		}
		a = jval_get(v, "deep");
		for (int i = 0; i < JSON_RT_DEPTH; i++) {
			assert_int_equal(a->type, J_ARR);
			assert_int_equal(a->n, 1);
			a = a->elem[0];
		}
		assert_true(a->num == 7);
		jval_free(v);
	}
	sb_free(&b);
}

/* ------------------------------------------------------------------------ */
/* hmap */

/*
 * The linear-probing invariant: every stored key is reachable from its home
 * slot without crossing an empty slot, and n counts the stored keys.
 */
static void
check_probe_invariant(const struct hmap *m)
{
	size_t count = 0;

	for (size_t j = 0; j < m->cap; j++) {
		size_t i;

		if (m->s[j].val == NULL)
			continue;
		count++;
		for (i = hmap_hash(m->s[j].key) & (m->cap - 1); i != j; i = (i + 1) & (m->cap - 1))
			if (m->s[i].val == NULL)
				fail_msg("key %llu at slot %zu unreachable: hole at %zu",
				    (unsigned long long)m->s[j].key, j, i);
	}
	assert_int_equal(count, m->n);
}

static void
test_hmap_basic(void **state UNUSED)
{
	struct hmap m;
	int a, b, c;
	size_t pos = 0;

	(void)state;
	hmap_init(&m);
	assert_null(hmap_get(&m, 1));
	assert_null(hmap_del(&m, 1));
	assert_int_equal(hmap_next(&m, &pos, NULL, NULL), 0);
	assert_null(hmap_put(&m, 1, &a));
	assert_int_equal(m.n, 1);
	assert_int_equal(m.cap, 16);
	assert_ptr_equal(hmap_get(&m, 1), &a);
	/* Replace: the old value comes back, the count stays. */
	assert_ptr_equal(hmap_put(&m, 1, &b), &a);
	assert_int_equal(m.n, 1);
	assert_ptr_equal(hmap_get(&m, 1), &b);
	/* Keys 0 and UINT64_MAX are ordinary keys. */
	assert_null(hmap_put(&m, 0, &c));
	assert_null(hmap_put(&m, UINT64_MAX, &a));
	assert_ptr_equal(hmap_get(&m, 0), &c);
	assert_ptr_equal(hmap_get(&m, UINT64_MAX), &a);
	assert_int_equal(m.n, 3);
	assert_ptr_equal(hmap_del(&m, 0), &c);
	assert_null(hmap_del(&m, 0));
	assert_null(hmap_get(&m, 0));
	assert_int_equal(m.n, 2);
	hmap_free(&m);
	assert_null(m.s);
	assert_int_equal(m.n, 0);
	assert_int_equal(m.cap, 0);
	assert_null(hmap_get(&m, 1));
}

static void
test_hmap_many(void **state UNUSED)
{
	enum { N = 20000 };
	struct hmap m;
	static int vals[N];
	uint64_t key;
	void *val;
	size_t pos;
	static unsigned char seen[N];

	(void)state;
	hmap_init(&m);
	for (uint64_t i = 0; i < N; i++) {
		/* Keys shaped like the real ones: prefixes (addr << 8 | len), close together. */
		assert_null(hmap_put(&m, (0x0a000000ull + i * 256) << 8 | 24, &vals[i]));
		if ((i & 1023) == 0)
			check_probe_invariant(&m);
	}
	assert_int_equal(m.n, N);
	/* The load factor stays at or below 3/4. */
	assert_true(m.n * 4 <= m.cap * 3);
	for (uint64_t i = 0; i < N; i++)
		assert_ptr_equal(hmap_get(&m, (0x0a000000ull + i * 256) << 8 | 24), &vals[i]);
	assert_null(hmap_get(&m, (0x0a000000ull + 1) << 8 | 24));
	/* Delete every other key, then every third remaining. */
	for (uint64_t i = 0; i < N; i += 2)
		assert_ptr_equal(hmap_del(&m, (0x0a000000ull + i * 256) << 8 | 24), &vals[i]);
	check_probe_invariant(&m);
	assert_int_equal(m.n, N / 2);
	for (uint64_t i = 0; i < N; i++) {
		void *want = (i & 1) ? &vals[i] : NULL;

		assert_ptr_equal(hmap_get(&m, (0x0a000000ull + i * 256) << 8 | 24), want);
	}
	/* Iteration visits each live key exactly once, with its value. */
	memset(seen, 0, sizeof(seen));
	pos = 0;
	while (hmap_next(&m, &pos, &key, &val)) {
		uint64_t i = ((key >> 8) - 0x0a000000ull) / 256;

		assert_true(i < N);
		assert_true(i & 1);
		assert_ptr_equal(val, &vals[i]);
		assert_int_equal(seen[i], 0);
		seen[i] = 1;
	}
	for (uint64_t i = 0; i < N; i++)
		assert_int_equal(seen[i], (unsigned char)(i & 1));
	/* Re-insert the deleted half. */
	for (uint64_t i = 0; i < N; i += 2)
		assert_null(hmap_put(&m, (0x0a000000ull + i * 256) << 8 | 24, &vals[i]));
	assert_int_equal(m.n, N);
	check_probe_invariant(&m);
	for (uint64_t i = 0; i < N; i++)
		assert_ptr_equal(hmap_get(&m, (0x0a000000ull + i * 256) << 8 | 24), &vals[i]);
	/* Delete everything in a scattered order. */
	for (uint64_t k = 0; k < N; k++) {
		uint64_t i = (k * 7919) % N;

		assert_ptr_equal(hmap_del(&m, (0x0a000000ull + i * 256) << 8 | 24), &vals[i]);
	}
	assert_int_equal(m.n, 0);
	for (size_t i = 0; i < m.cap; i++)
		assert_null(m.s[i].val);
	hmap_free(&m);
}

/* Find n keys whose home slot in a 16-slot table is `home`, starting the search at *next. */
static void
keys_with_home(size_t home, int n, uint64_t *out, uint64_t *next)
{
	while (n > 0) {
		uint64_t k = (*next)++;

		if ((hmap_hash(k) & 15) == home) {
			*out++ = k;
			n--;
		}
	}
}

static bool
next_perm(int *a, int n)
{
	int i = n - 2, j = n - 1;

	while (i >= 0 && a[i] >= a[i + 1])
		i--;
	if (i < 0)
		return false;
	while (a[j] <= a[i])
		j--;
	{
		int t = a[i];

		a[i] = a[j];
		a[j] = t;
	}
	for (int l = i + 1, r = n - 1; l < r; l++, r--) {
		int t = a[l];

		a[l] = a[r];
		a[r] = t;
	}
	return true;
}

/*
 * Backward-shift deletion: a cluster that wraps from the last slot to the
 * first, with keys whose homes are inside, before and at the wrap. Every
 * deletion order of 7 keys (5040) must keep all other keys reachable.
 */
static void
test_hmap_collisions_wrap(void **state UNUSED)
{
	uint64_t keys[7], next = 1;
	int perm[7] = {0, 1, 2, 3, 4, 5, 6};
	int vals[7];
	long orders = 0;

	(void)state;
	/* Homes: 14, 14, 15, 15, 15, 0, 1 -> slots 14, 15, 0, 1, 2, 3, 4 (a wrapped cluster). */
	keys_with_home(14, 2, keys, &next);
	keys_with_home(15, 3, keys + 2, &next);
	keys_with_home(0, 1, keys + 5, &next);
	keys_with_home(1, 1, keys + 6, &next);
	do {
		struct hmap m;

		hmap_init(&m);
		for (int i = 0; i < 7; i++)
			assert_null(hmap_put(&m, keys[i], &vals[i]));
		assert_int_equal(m.cap, 16); /* 7 keys fit without a resize */
		if (orders == 0) {
			/* The layout this test is about: the cluster really wraps. */
			assert_int_equal(m.s[14].key, keys[0]);
			assert_int_equal(m.s[15].key, keys[1]);
			assert_int_equal(m.s[0].key, keys[2]);
			assert_int_equal(m.s[4].key, keys[6]);
			assert_null(m.s[5].val);
			assert_null(m.s[13].val);
		}
		check_probe_invariant(&m);
		for (int d = 0; d < 7; d++) {
			assert_ptr_equal(hmap_del(&m, keys[perm[d]]), &vals[perm[d]]);
			check_probe_invariant(&m);
			for (int k = 0; k < 7; k++) {
				bool gone = false;

				for (int e = 0; e <= d; e++)
					gone |= perm[e] == k;
				assert_ptr_equal(hmap_get(&m, keys[k]), gone ? NULL : &vals[k]);
			}
		}
		assert_int_equal(m.n, 0);
		hmap_free(&m);
		orders++;
	} while (next_perm(perm, 7));
	assert_int_equal(orders, 5040);
}

/* Many keys with one home slot, deleted from the middle of the run, re-inserted. */
static void
test_hmap_collisions_same_home(void **state UNUSED)
{
	uint64_t keys[11], next = 1000;
	int vals[11];
	struct hmap m;

	(void)state;
	keys_with_home(5, 11, keys, &next);
	hmap_init(&m);
	for (int i = 0; i < 11; i++)
		assert_null(hmap_put(&m, keys[i], &vals[i]));
	assert_int_equal(m.cap, 16);
	for (int i = 0; i < 11; i++)
		assert_int_equal(m.s[(5 + i) & 15].key, keys[i]); /* slots 5..15 */
	for (int round = 0; round < 50; round++) {
		int i = (round * 7) % 11;

		assert_ptr_equal(hmap_del(&m, keys[i]), &vals[i]);
		check_probe_invariant(&m);
		/* The run stays contiguous: no hole is left behind. */
		for (int s = 0; s < 10; s++)
			assert_non_null(m.s[5 + s].val);
		assert_null(m.s[15].val);
		for (int k = 0; k < 11; k++)
			assert_ptr_equal(hmap_get(&m, keys[k]), k == i ? NULL : &vals[k]);
		assert_null(hmap_put(&m, keys[i], &vals[i]));
		assert_int_equal(m.s[15].key, keys[i]); /* re-inserted at the end of the run */
	}
	hmap_free(&m);
}

/*
 * numtab: keys in an array indexed by number; eight hashes, all in the
 * table's last eight slots, make every run collide and wrap to the start.
 */
static uint32_t nt_keys[512];

static uint32_t
nt_home(uint32_t x)
{
	return 0xfffffff8u + nt_keys[x] % 8;
}

/* The way numtab.h says readers probe (the hashes wrap around the end of the table). */
static uint32_t
nt_find(const struct numtab *t, uint32_t key)
{
	struct numtab_view v = numtab_view(t);
	uint32_t s;

	for (uint32_t i = 0xfffffff8u + key % 8; !v.empty && (s = numtab_at(v, i)) != 0; i++)
		if (nt_keys[s - 1] == key)
			return s - 1;
	return UINT32_MAX;
}

static void
test_numtab_random_model(void **state UNUSED)
{
	struct numpool pool = {0};
	struct numtab t = {0};
	uint32_t num_of[400]; /* key -> number, UINT32_MAX if absent */
	struct rng r;
	bool fresh;
	uint32_t given_back[512]; /* a model of the free numbers, last given back on top */
	int ngiven = 0;

	rng_seed(&r, 99, 0);
	for (int k = 0; k < 400; k++)
		num_of[k] = UINT32_MAX;
	for (int step = 0; step < 20000; step++) {
		uint32_t key = rng_below(&r, 400);

		if (num_of[key] == UINT32_MAX) {
			uint32_t x = numpool_get(&pool, &fresh);

			/* The last number given back comes out first. */
			assert_int_equal(fresh, ngiven == 0);
			if (!fresh)
				assert_int_equal(x, given_back[--ngiven]);
			assert_true(x < 512);
			nt_keys[x] = key;
			numtab_add(&t, x, nt_home, NULL);
			num_of[key] = x;
		} else {
			numtab_remove(&t, num_of[key], nt_home);
			numpool_put(&pool, num_of[key]);
			given_back[ngiven++] = num_of[key];
			num_of[key] = UINT32_MAX;
		}
		if (step % 97 == 0) {
			uint32_t live = 0;

			for (uint32_t k = 0; k < 400; k++) {
				assert_int_equal(nt_find(&t, k), num_of[k]);
				live += num_of[k] != UINT32_MAX;
			}
			assert_int_equal(t.live, live);
			assert_true(t.live * 2 <= t.nslot);
		}
	}
	/* Numbers stay dense: never more than the most keys live at once. */
	assert_true(pool.n <= 400);
	free(t.slot);
	free(pool.free);
}

/* Random operations against a plain array model. */
static void
test_hmap_random_model(void **state UNUSED)
{
	enum { KEYS = 300 };
	struct hmap m;
	void *model[KEYS] = {0};
	static char pool[KEYS];
	struct rng r;
	size_t live = 0;

	(void)state;
	rng_seed(&r, 99, 3);
	hmap_init(&m);
	for (int op = 0; op < 60000; op++) {
		uint64_t k = rng_below(&r, KEYS);
		uint64_t key = k * 16; /* multiples of 16 stress the low bits */

		if (rng_below(&r, 3) == 0) {
			void *got = hmap_del(&m, key);

			assert_ptr_equal(got, model[k]);
			if (model[k] != NULL)
				live--;
			model[k] = NULL;
		} else {
			void *v = &pool[rng_below(&r, KEYS)];

			assert_ptr_equal(hmap_put(&m, key, v), model[k]);
			if (model[k] == NULL)
				live++;
			model[k] = v;
		}
		assert_int_equal(m.n, live);
		if (op % 1000 == 0) {
			check_probe_invariant(&m);
			for (uint64_t i = 0; i < KEYS; i++)
				assert_ptr_equal(hmap_get(&m, i * 16), model[i]);
		}
	}
	hmap_free(&m);
}

/* ------------------------------------------------------------------------ */
/* rng */

static void
test_rng_known_answers(void **state UNUSED)
{
	struct rng r;

	(void)state;
	/* splitmix64 from 0 gives 0xe220a8397b1dcdaf first (Vigna's reference). */
	rng_seed(&r, 0, 0);
	assert_int_equal(r.s[0], 0xe220a8397b1dcdafULL);
	assert_int_equal(r.s[1], 0x6e789e6aa1b965f4ULL);
	assert_int_equal(r.s[2], 0x06c45d188009454fULL);
	assert_int_equal(r.s[3], 0xf88bb8a8724c81ecULL);
	/* xoshiro256** outputs from that state (an independent implementation). */
	assert_int_equal(rng_next(&r), 0x99ec5f36cb75f2b4ULL);
	assert_int_equal(rng_next(&r), 0xbf6e1f784956452aULL);
	assert_int_equal(rng_next(&r), 0x1a5f849d4933e6e0ULL);
	assert_int_equal(rng_next(&r), 0x6aa594f1262d2d2cULL);
	rng_seed(&r, 42, 7);
	assert_int_equal(rng_next(&r), 0x36566fde73b53910ULL);
	assert_int_equal(rng_next(&r), 0x17390ae20168c451ULL);
	assert_int_equal(rng_next(&r), 0x235a55aaae6c8bc6ULL);
	assert_int_equal(rng_next(&r), 0x60d90b5fa82b2963ULL);
}

static void
test_rng_streams(void **state UNUSED)
{
	struct rng a, b, c, d;
	int same_bc = 0, same_bd = 0;

	(void)state;
	rng_seed(&a, 12345, 3);
	rng_seed(&b, 12345, 3);
	rng_seed(&c, 12345, 4);
	rng_seed(&d, 12346, 3);
	for (int i = 0; i < 10000; i++) {
		uint64_t va = rng_next(&a), vb = rng_next(&b), vc = rng_next(&c), vd = rng_next(&d);

		assert_int_equal(va, vb);
		same_bc += vb == vc;
		same_bd += vb == vd;
	}
	/* Other streams and seeds are unrelated sequences. */
	assert_int_equal(same_bc, 0);
	assert_int_equal(same_bd, 0);
	/* Stream 0 and seed 0 are valid and differ from each other. */
	rng_seed(&a, 0, 1);
	rng_seed(&b, 1, 0);
	assert_int_not_equal(rng_next(&a), rng_next(&b));
}

static void
test_rng_below(void **state UNUSED)
{
	static const uint64_t ns[] = {1, 2, 3, 7, 10, 255, 1000, 1ull << 32, (1ull << 63) + 1,
	    UINT64_MAX};
	struct rng r;

	(void)state;
	rng_seed(&r, 5, 5);
	for (size_t k = 0; k < ARRAY_LEN(ns); k++)
		for (int i = 0; i < 2000; i++)
			assert_true(rng_below(&r, ns[k]) < ns[k]);
	for (int i = 0; i < 100; i++)
		assert_int_equal(rng_below(&r, 1), 0);
	/* Both halves of a range just above 2^63 occur (the rejection loop is not stuck). */
	{
		int hi = 0, lo = 0;

		for (int i = 0; i < 200; i++) {
			uint64_t v = rng_below(&r, (1ull << 63) + 1);

			hi += v >= (1ull << 62);
			lo += v < (1ull << 62);
		}
		assert_true(hi > 50 && lo > 20);
	}
}

static void
test_rng_uniformity(void **state UNUSED)
{
	enum { BUCKETS = 10, DRAWS = 200000 };
	uint32_t cnt[BUCKETS] = {0}, cnt7[7] = {0};
	double chi = 0, e = (double)DRAWS / BUCKETS, sum = 0, mn = 1, mx = 0;
	struct rng r;

	(void)state;
	rng_seed(&r, 2024, 1);
	for (int i = 0; i < DRAWS; i++)
		cnt[rng_below(&r, BUCKETS)]++;
	for (int i = 0; i < BUCKETS; i++) {
		assert_true(cnt[i] > e * 0.97 && cnt[i] < e * 1.03);
		chi += (cnt[i] - e) * (cnt[i] - e) / e;
	}
	/* Chi-square with 9 degrees of freedom: 27.88 is the 0.1% critical value. */
	assert_true(chi < 27.88);
	for (int i = 0; i < 70000; i++)
		cnt7[rng_below(&r, 7)]++;
	for (int i = 0; i < 7; i++)
		assert_true(cnt7[i] > 9500 && cnt7[i] < 10500);
	for (int i = 0; i < DRAWS; i++) {
		double d = rng_double(&r);

		assert_true(d >= 0.0 && d < 1.0);
		sum += d;
		mn = d < mn ? d : mn;
		mx = d > mx ? d : mx;
	}
	assert_true(fabs(sum / DRAWS - 0.5) < 0.005);
	assert_true(mn < 0.001 && mx > 0.999);
}

/* ------------------------------------------------------------------------ */
/* slab */

static void
test_slab_reuse_and_zero(void **state UNUSED)
{
	struct slab s;
	unsigned char *p, *q, *v[10];

	(void)state;
	slab_init(&s, 24, 4);
	assert_int_equal(s.size, 24);
	assert_int_equal(s.per, 4);
	p = slab_alloc(&s);
	for (int i = 0; i < 24; i++)
		assert_int_equal(p[i], 0);
	memset(p, 0xa5, 24);
	assert_int_equal(s.live, 1);
	slab_free(&s, p);
	assert_int_equal(s.live, 0);
	/* The freed object comes back first, zeroed again. */
	q = slab_alloc(&s);
	assert_ptr_equal(q, p);
	for (int i = 0; i < 24; i++)
		assert_int_equal(q[i], 0);
	slab_free(&s, q);
	/* Ten objects of four per chunk: three chunks, distinct non-overlapping objects. */
	for (int i = 0; i < 10; i++) {
		v[i] = slab_alloc(&s);
		memset(v[i], i + 1, 24);
	}
	assert_int_equal(s.nchunks, 3);
	assert_int_equal(s.live, 10);
	for (int i = 0; i < 10; i++) {
		for (int k = 0; k < 24; k++)
			assert_int_equal(v[i][k], i + 1);
		for (int k = 0; k < i; k++)
			assert_true(v[i] + 24 <= v[k] || v[k] + 24 <= v[i]);
	}
	/* LIFO reuse: the last freed is the first allocated. */
	slab_free(&s, v[3]);
	slab_free(&s, v[7]);
	assert_ptr_equal(slab_alloc(&s), v[7]);
	assert_ptr_equal(slab_alloc(&s), v[3]);
	assert_int_equal(s.nchunks, 3);
	slab_destroy(&s);
	assert_int_equal(s.nchunks, 0);
	assert_null(s.chunks);
	assert_null(s.free);
}

/* Numbered objects: every number names its own object, across the growing chunks. */
static void
test_slab_ids(void **state UNUSED)
{
	enum { N = 1000 };
	struct slab s;
	uint32_t *ids = xmalloc(sizeof(*ids) * N), id;
	unsigned char **v = xmalloc(sizeof(*v) * N), *p;

	(void)state;
	slab_init_ids(&s, 40, 200); /* per rounds up to 256 */
	assert_int_equal(s.per, 256);
	for (int i = 0; i < N; i++) {
		v[i] = slab_alloc_id(&s, &ids[i]);
		assert_ptr_equal(slab_at(&s, ids[i]), v[i]);
		memset(v[i], i & 0xff, 40);
	}
	/* 8 + 16 + 32 + 64 + 128, then chunks of 256: 1,000 objects need 8 chunks. */
	assert_int_equal(s.nchunks, 8);
	for (int i = 0; i < N; i++) {
		assert_true(ids[i] < N); /* dense */
		for (int k = 0; k < i; k += 97)
			assert_int_not_equal(ids[i], ids[k]);
		assert_ptr_equal(slab_at(&s, ids[i]), v[i]);
		assert_int_equal(v[i][39], i & 0xff);
	}
	/* A freed number is the next one given, with its object zeroed. */
	slab_free_id(&s, ids[700]);
	slab_free_id(&s, ids[5]);
	p = slab_alloc_id(&s, &id);
	assert_int_equal(id, ids[5]);
	assert_ptr_equal(p, v[5]);
	assert_int_equal(p[0], 0);
	p = slab_alloc_id(&s, &id);
	assert_int_equal(id, ids[700]);
	assert_ptr_equal(slab_at(&s, id), v[700]);
	assert_int_equal(s.live, N);
	slab_destroy(&s);
	free(ids);
	free(v);
}

static void
test_slab_sizes(void **state UNUSED)
{
	struct slab s;
	void *a, *b;

	(void)state;
	/* Objects are at least a pointer, rounded up to pointer alignment. */
	slab_init(&s, 1, 0);
	assert_int_equal(s.size, sizeof(void *));
	assert_int_equal(s.per, 64); /* default chunk */
	a = slab_alloc(&s);
	b = slab_alloc(&s);
	assert_int_equal((uintptr_t)a % sizeof(void *), 0);
	assert_int_equal((uintptr_t)b % sizeof(void *), 0);
	assert_int_equal(*(uint8_t *)a, 0);
	slab_destroy(&s);
	/* Chunks start at 8 objects and double up to `per`. */
	slab_init(&s, 16, 100);
	{
		static const size_t want_chunks[] = {1, 2, 3, 4, 5, 6, 7};
		/* 8+16+32+64, then 100s */
		static const size_t at[] = {8, 24, 56, 120, 220, 320, 420};
		size_t made = 0;

		for (size_t k = 0; k < ARRAY_LEN(at); k++) {
			while (made < at[k]) {
				assert_non_null(slab_alloc(&s));
				made++;
			}
			assert_int_equal(s.nchunks, want_chunks[k]);
			assert_null(s.free); /* each chunk exactly used up */
		}
		assert_non_null(slab_alloc(&s));
		assert_int_equal(s.nchunks, 8);
		assert_int_equal(s.live, 421);
	}
	slab_destroy(&s);
	slab_init(&s, 9, 2);
	assert_int_equal(s.size, 16);
	slab_destroy(&s);
	slab_init(&s, 16, 2);
	assert_int_equal(s.size, 16);
	slab_destroy(&s);
}

/* ------------------------------------------------------------------------ */
/* util */

struct outer {
	int a;
	double b;
	char c;
};

/*
 * Stamped arrays and marks: set elements survive growth, new ones start
 * unset, a new generation unsets all, and a wrapped generation zeroes them.
 */
struct stamped_el {
	uint32_t stamp;
	int x;
};

static void
test_stamped_and_marks(void **state UNUSED)
{
	struct stamped_el *v = NULL;
	size_t n = 0;
	uint32_t gen = 0;
	struct marks m = {0};

	STAMPED_CLEAR(v, n, gen, 3);
	assert_int_equal(n, 3);
	assert_int_equal(gen, 1);
	for (size_t i = 0; i < n; i++)
		assert_int_not_equal(v[i].stamp, gen);
	v[2] = (struct stamped_el){gen, 42};
	STAMPED_FIT(v, n, 4); /* doubles: 6 */
	assert_int_equal(n, 6);
	assert_int_equal(v[2].stamp, gen);
	assert_int_equal(v[2].x, 42);
	for (size_t i = 3; i < n; i++)
		assert_int_equal(v[i].stamp, 0);
	STAMPED_FIT(v, n, 20); /* more than double */
	assert_int_equal(n, 20);
	STAMPED_CLEAR(v, n, gen, 5);
	assert_int_equal(n, 20);
	assert_int_equal(gen, 2);
	assert_int_not_equal(v[2].stamp, gen);
	v[7] = (struct stamped_el){gen, 7};
	gen = UINT32_MAX;
	v[9] = (struct stamped_el){gen, 9};
	STAMPED_CLEAR(v, n, gen, 0);
	assert_int_equal(gen, 1);
	for (size_t i = 0; i < n; i++) /* 2 and 7 would otherwise match generation 1 or 2 */
		assert_int_equal(v[i].stamp, 0);
	free(v);

	marks_clear(&m, 10);
	assert_true(m.cap >= 10);
	for (size_t i = 0; i < 10; i++)
		assert_false(marks_has(&m, i));
	marks_set(&m, 4, 99);
	assert_true(marks_has(&m, 4));
	assert_int_equal(marks_get(&m, 4), 99);
	marks_clear(&m, 100);
	assert_true(m.cap >= 100);
	for (size_t i = 0; i < 100; i++)
		assert_false(marks_has(&m, i));
	marks_set(&m, 99, 1);
	assert_int_equal(marks_get(&m, 99), 1);
	free(m.gen_of);
	free(m.val);
}

static void
test_util_grow_and_vec(void **state UNUSED)
{
	int *arr = NULL, *keep;
	size_t n = 0, cap = 0;
	struct outer o;

	(void)state;
	grow_array((void **)&arr, &cap, 1, sizeof(*arr));
	assert_int_equal(cap, 8);
	keep = arr;
	grow_array((void **)&arr, &cap, 8, sizeof(*arr));
	assert_int_equal(cap, 8);
	assert_ptr_equal(arr, keep); /* no growth when it fits */
	grow_array((void **)&arr, &cap, 9, sizeof(*arr));
	assert_int_equal(cap, 16);
	grow_array((void **)&arr, &cap, 100, sizeof(*arr));
	assert_int_equal(cap, 128);
	free(arr);
	arr = NULL;
	cap = 0;
	for (int i = 0; i < 5000; i++) {
		VEC_PUSH(arr, n, cap, i * 3);
		assert_int_equal(n, (size_t)i + 1);
		assert_true(cap >= n);
	}
	assert_int_equal(cap, 8192);
	for (int i = 0; i < 5000; i++)
		assert_int_equal(arr[i], i * 3);
	free(arr);
	assert_ptr_equal(container_of(&o.c, struct outer, c), &o);
	assert_ptr_equal(container_of(&o.b, struct outer, b), &o);
	assert_int_equal(MIN(3, -2), -2);
	assert_int_equal(MAX(3, -2), 3);
	assert_int_equal(ARRAY_LEN(((int[7]){0})), 7);
}

static void
test_util_strings(void **state UNUSED)
{
	char *s;

	(void)state;
	s = xasprintf("%s-%d-%c", "abc", 42, 'z');
	assert_string_equal(s, "abc-42-z");
	free(s);
	s = xasprintf("%s", "");
	assert_string_equal(s, "");
	free(s);
	s = xstrndup("hello world", 5);
	assert_string_equal(s, "hello");
	free(s);
	s = xstrdup("copy");
	assert_string_equal(s, "copy");
	free(s);
	assert_true(str_eq("a", "a"));
	assert_false(str_eq("a", "ab"));
	assert_true(str_prefix("show ip route", "show"));
	assert_true(str_prefix("show", ""));
	assert_true(str_prefix("show", "show"));
	assert_false(str_prefix("sh", "show"));
	assert_false(str_prefix("show", "shx"));
	s = xcalloc(0, 0); /* never NULL, even for zero */
	assert_non_null(s);
	free(s);
	s = xmalloc(0);
	assert_non_null(s);
	s = xrealloc(s, 100);
	memset(s, 1, 100);
	free(s);
}

static void
test_log_trace_flags(void **state UNUSED)
{
	(void)state;
	assert_int_equal(trace_flag_parse("engine"), TR_ENGINE);
	assert_int_equal(trace_flag_parse("pkt"), TR_PKT);
	assert_int_equal(trace_flag_parse("rib"), TR_RIB);
	assert_int_equal(trace_flag_parse("daemon"), TR_DAEMON);
	assert_int_equal(trace_flag_parse("all"), ~0u);
	assert_int_equal(trace_flag_parse("nope"), 0);
	assert_int_equal(trace_flag_parse(""), 0);
	assert_int_equal(trace_flag_parse("Engine"), 0);
	/* Protocol flags exist once registered; registering a name again moves it. */
	assert_int_equal(trace_flag_parse("proto-x"), 0);
	trace_flag_register("proto-x", 1u << 20);
	trace_flag_register("proto-y", 1u << 21);
	assert_int_equal(trace_flag_parse("proto-x"), 1u << 20);
	assert_int_equal(trace_flag_parse("proto-y"), 1u << 21);
	trace_flag_register("proto-x", 1u << 22);
	assert_int_equal(trace_flag_parse("proto-x"), 1u << 22);
	/* Names: the core's first, then the registered ones, each once. */
	assert_string_equal(trace_flag_name(0), "engine");
	{
		int i, nx = 0, last = -1;

		for (i = 0; trace_flag_name(i) != NULL; i++)
			if (strcmp(trace_flag_name(i), "proto-x") == 0)
				nx++;
			else if (strcmp(trace_flag_name(i), "proto-y") == 0)
				last = i;
		assert_int_equal(nx, 1);
		assert_int_equal(last, i - 1);
		assert_null(trace_flag_name(-1));
	}
}

/* --- md5 (RFC 1321) ------------------------------------------------------------------------- */

static void
md5_hex(const void *data, size_t n, size_t split, char out[2 * 16 + 1])
{
	struct hash m;
	uint8_t d[16];

	hash_init(&m, HASH_MD5);
	hash_update(&m, data, split);
	hash_update(&m, (const uint8_t *)data + split, n - split);
	hash_final(&m, d);
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void
test_md5(void **state UNUSED)
{
	/* RFC 1321 A.5, the test suite. */
	static const char *const suite[][2] = {
	    {"", "d41d8cd98f00b204e9800998ecf8427e"},
	    {"a", "0cc175b9c0f1b6a831c399e269772661"},
	    {"abc", "900150983cd24fb0d6963f7d28e17f72"},
	    {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
	    {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
	    {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
	     "d174ab98d277d9f5a5611c2c9f419d9f"},
	    {"1234567890123456789012345678901234567890123456789012345678901234567890123456"
	     "7890",
	     "57edf4a22be3c955ac49da2e2107b67a"},
	};
	/* Lengths around the padding boundaries (56 and 64 mod 64), from another implementation. */
	static const struct {
		size_t n;
		const char *hex;
	} lens[] = {
	    {55, "52c0e574e1198de5fe3f8f11440dcb1b"},  {56, "46c9907fc908ee68b1e7b8e71286a518"},
	    {57, "1c805dd236c35cab25fcb1bc73802c51"},  {63, "a62f6d59e837867693f042f5b8f5a236"},
	    {64, "7160b8fb5e9e4023d549c3971fbaeead"},  {65, "70bd662e7aefbda85a0f7244167b7897"},
	    {127, "acce2474d6cc8302120d09c818d17ef7"}, {128, "10b2da1a82f16d99a81a7203fe9f02cb"},
	    {1000, "10046f077f2082ac19676b8079f1cb1a"},
	};
	char hex[2 * 16 + 1];
	uint8_t buf[1000];

	for (size_t i = 0; i < ARRAY_LEN(suite); i++) {
		size_t n = strlen(suite[i][0]);

		/* Whole, and split at every point: the result cannot depend on the pieces. */
		for (size_t split = 0; split <= n; split++) {
			md5_hex(suite[i][0], n, split, hex);
			assert_string_equal(hex, suite[i][1]);
		}
	}
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	for (size_t i = 0; i < ARRAY_LEN(lens); i++) {
		md5_hex(buf, lens[i].n, lens[i].n / 3, hex);
		assert_string_equal(hex, lens[i].hex);
	}
}

/* --- sha and hmac (FIPS 180-4, RFC 2104) -------------------------------------------------------- */

static void
hex_of(const uint8_t *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/*
 * Each algorithm over 0 to 300 bytes (the padding boundaries of 64- and
 * 128-byte blocks), fed whole and in three pieces; HMAC with RFC 4231's and
 * RFC 2202's short key ("Jefe") and with a key longer than a block. The
 * expected digests come from another implementation (Python's hashlib).
 */
static void
test_sha_hmac(void **state UNUSED)
{
	static const struct {
		enum hash_alg a;
		size_t n;
		const char *hex;
	} v[] = {
	    {HASH_MD5, 0, "d41d8cd98f00b204e9800998ecf8427e"},
	    {HASH_MD5, 3, "9456bee38b79c81a5bc97b9e5906f34c"},
	    {HASH_MD5, 55, "27a7f28abb621988fce57352b30378b5"},
	    {HASH_MD5, 56, "ee44108876f22241cb449febefbf7ac5"},
	    {HASH_MD5, 63, "5d5197bc80cd0d284ad192ccf20b1b62"},
	    {HASH_MD5, 64, "cd4c6ac2121b286bdf2e255f812c0e16"},
	    {HASH_MD5, 111, "3762d11c74d2257c523763edcfd6c14d"},
	    {HASH_MD5, 112, "6a53cf08a4cffe62b18ff9decdf38f7e"},
	    {HASH_MD5, 119, "9219931887dcf2ac662813accc3cc5ce"},
	    {HASH_MD5, 127, "69085f89003b5e6abe457f04a0f03d4d"},
	    {HASH_MD5, 128, "83f06f84c8520b6d10ca1bb5a2eadb65"},
	    {HASH_MD5, 129, "012474b530ba6a824fe921400852ddce"},
	    {HASH_MD5, 300, "02bf149850e32e41a1237f522bb7189e"},
	    {HASH_SHA1, 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
	    {HASH_SHA1, 3, "0a3e1244df28370b2be50a0e65bc4d0b84c9460f"},
	    {HASH_SHA1, 55, "d2b64abad8f27d03449896052d99b9c79ab74bc8"},
	    {HASH_SHA1, 56, "0000f760289cb3c86e4b11823733bfb4dd803d64"},
	    {HASH_SHA1, 63, "26500de2676ec24490a275471f143ff52305c071"},
	    {HASH_SHA1, 64, "9c8cec46d1df6f27c0a8211b80d1636bc99f2107"},
	    {HASH_SHA1, 111, "3c470a41fa45ab4457f4a366e5fabf732b6e82d0"},
	    {HASH_SHA1, 112, "cd833c30bd1a290789c7b51459440a31522499a4"},
	    {HASH_SHA1, 119, "b04323bc2eabcb68748a89f96db28d3d4ba1b8d3"},
	    {HASH_SHA1, 127, "52a5c10a8573767a0f8e91bcf78d09c7e485e266"},
	    {HASH_SHA1, 128, "8e13cfd21092244de84d37128ccac3ff5ddf9baa"},
	    {HASH_SHA1, 129, "7a6f1f2051fa5563ce2b03d448981e1e48100d85"},
	    {HASH_SHA1, 300, "ef2bbf166a8fd9e3f0994c7d465043acf84a82a4"},
	    {HASH_SHA256, 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	    {HASH_SHA256, 3, "06d971eabf544f824b3bd8835721b7e1486e4f89bb014db2b00b6f7bd08ce53f"},
	    {HASH_SHA256, 55, "166cb1ce48dba01b7d55341ae1d847d73f24f538ecf4911f657fba255b83d2aa"},
	    {HASH_SHA256, 56, "1bfb069cb406b899a507a8a00c5d721c207463d63e313b6dd994ce67cb46cc13"},
	    {HASH_SHA256, 63, "f7191804fb70f054952e831548291633b7a1f300f0f4d877f38d995ed4ce274b"},
	    {HASH_SHA256, 64, "2d91cac9246ea9f11939b47308360f0c8e8be87db686dc3c1d1dcbf91eb054cf"},
	    {HASH_SHA256, 111, "1c2d53e89e89c01bcc6ed0c6d09054383816c15573ccca91fcb479dceeae99ef"},
	    {HASH_SHA256, 112, "ab66b8fa0ac4e758dab95ee2fadf4c1344028717d49bf364fbbaea843b55dec3"},
	    {HASH_SHA256, 119, "fd06b902a80a7934de6c554139f009a618f21177609745903a149f81c80688a5"},
	    {HASH_SHA256, 127, "f6a779f356943adb60fffef004625272ae8e1421cce45d5a02d142a8f6229031"},
	    {HASH_SHA256, 128, "477f9dbe9ced58a04330559b8e5a755753f3d72680062f2d72fe57e4b9370df1"},
	    {HASH_SHA256, 129, "07780ed5a9c7be22ecc1ce1ba1e5432a7b8bfd61a2f43d67cd06622d96e0e90e"},
	    {HASH_SHA256, 300, "4e4838828c50ef8bf20e2f5adc26dbbe25e191bea396f183abfc1794b0f54957"},
	    {HASH_SHA384, 0, "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b"},
	    {HASH_SHA384, 3, "5c2d2b730fd4f4e54a62fbca4e42c0bd0c0f02a57b64198d89fecd681cda26ce243cb74eb1e4ec3180dcf94923cbb3cc"},
	    {HASH_SHA384, 55, "be3f061bce2dd3944932cac58443a7b568dcd61bc9a617c7abad08526e178c93f0485f7bcbc7f1fa63446a0c40cab323"},
	    {HASH_SHA384, 56, "d706681b12f235c62c93675ceaad47dafe511452722781ac6089590624eb2845ab70dd2eea6ed1b0bd450f0de0f3b119"},
	    {HASH_SHA384, 63, "4651d130f45f74ec3260d444d5eff83a6fd96eeca4f5ba473f60ba725070a16f01a68823cf1822fcafcad07f526c9b74"},
	    {HASH_SHA384, 64, "d058153dc9cf9eae9e0362e7fc82a7b4fc6c495690fb14a50f1926f07bf1a358bd8505d5aab75c4b7fd4076585065775"},
	    {HASH_SHA384, 111, "ea9ef03be46bf58140090210c172bca6812a5b99a7425434551eb9af1ce4e5f1d96991569aace9cabff8c0b79782e827"},
	    {HASH_SHA384, 112, "bac3eb7c844a1ad09997188f4bfe8b1b3dc052459b06a9946f8b8a4b8a88a46d1a81428bea8488c42cd3a79e98813dc8"},
	    {HASH_SHA384, 119, "a9f332453ee15a0428146a3034355c6673140faa2121e4ae08e7e1cb561c99b903b2e73c430ec751dfa5a3d86fc89407"},
	    {HASH_SHA384, 127, "2f92ec0d825e9e32a33bf5daf705e6e03ef961f9d53da939c8817e889ff9d7495fb50521b4c6b57cc7bb9ab4ef88c4fb"},
	    {HASH_SHA384, 128, "077a8afdb61ee1c7a22e0a666e2bdb7408d449fff72d408d9dfd11491d96b60460354203d5672f1f374342579667b406"},
	    {HASH_SHA384, 129, "98d14fc24559af74e3387768c83381aa35368c7efd47635f6771b3ee9ff3c819fb5b87be802eb370e86e0e5e3af5aff7"},
	    {HASH_SHA384, 300, "d7f006a3a348f8b6b963dea0af1279009cdc48595fbc912b90ef40e34afa31381478be097d4af3d5da4affc5e5dcfc28"},
	    {HASH_SHA512, 0, "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"},
	    {HASH_SHA512, 3, "b116df4e66c64dc10b0be662f0156eb40a51e338ac05257354916d384255e7cfce2e8f55c2a77f7b40ac93a21a2c934558b0d29e47c92b8c6f6aa74f5c493203"},
	    {HASH_SHA512, 55, "056c4b2b25a5b8d3588c35c27c65199394e3ac4b7765578d28d4489ed136bffba2d7e4d10885867d7144595ee32aa095334af2ea51542af1d2853db671f7dec9"},
	    {HASH_SHA512, 56, "1512654158b29adf6a979658126405281d01f1afd604c41162a385e64f1c387293e136048f6941555b782263a501434006d211cbba3268b9517c68518acb4369"},
	    {HASH_SHA512, 63, "cb7649eeac3f2d2bca12a1157a27264d5343c0f4a87baeb8b8a24c97dd0816b947fa063bb047a59f7032f969a623cb54cb5946ea5003190b252a9ac61ec2c14a"},
	    {HASH_SHA512, 64, "7eda01ea68b298c0eb7f1c46cb9489f7380784b586526d30ba245d4cb610de00b91adc0da900aa61c7ffa69694fab5f13e3e61c633827eb3c5aefd11f4287a19"},
	    {HASH_SHA512, 111, "c81588f7b29fd580dcb2ca708f2b58717a1dd028a25cb1cdcf3c09290312284d03e2421fb18710f4dc98670ea44d2e6f1f638d8b5e465431c44ed285ae7c11ae"},
	    {HASH_SHA512, 112, "6b82e3981ff49bf14b60e0986231f76120ef510efd89c336e1e76086da536e59d357e069971e8fe4c4d8e0e451f364abeae8fe8ca7f92da2dd4640498d46dd7f"},
	    {HASH_SHA512, 119, "1a3a89596b2417a6b132b112dc3dab73d266d04dc93f2cba3ca7c89af7f6fb9da120b7cdab125dbf551ee9682ad677f4a510998ff9285a3098f990ea8c728596"},
	    {HASH_SHA512, 127, "ce7f3509b998ac61c2513a12118166cb3a60fe01def0026db9ee708dbe2682cbb18ad33170ec54d4c4eac5e371456e64831190669c3fecc5b5ac25b4fea4adc7"},
	    {HASH_SHA512, 128, "f15818d610f80f1bf016c361c138aed2b8c4cda61390e77903bb6380fd79423615fadf14380e4db96e3cdfb8f737239653205a41bb7139f613c41a80a12e7fdc"},
	    {HASH_SHA512, 129, "261cffcb6002c9eb5a63e483f2293835fa541309378ce6acf3e837e31be13200014f9523af6d92f10c6f30e605de5c7e0f0ca1a324296a18c34c53f57037ea2a"},
	    {HASH_SHA512, 300, "be1bb952d141f68087896b901de90bab1a0ae0e433be3548871068ed33b1e96f36101b9073ebe836ea608e05c5a54f0d1b5fd141139abc0837330ee39dd14f44"},
	};
	static const struct {
		enum hash_alg a;
		const char *jefe, *longkey;
	} h[] = {
	    {HASH_MD5, "750c783e6ab0b503eaa86e310a5db738",
	     "9e47ca10d1a0fb4fad49204542bfcf42"},
	    {HASH_SHA1, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
	     "2eca312c7d53d658768b3ac40316185ef3909c87"},
	    {HASH_SHA256, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	     "e495ec8823673d74bbc0c8622026080c71c7d97ca0b4c300de3a9e9c1ec85dd4"},
	    {HASH_SHA384, "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
	     "5b3e43dc32c48056b46ae2000067da60c6b8ca71317cfb5f60e9cc9e4714d4d521329fc84cb25f73a65a021d2d2f167b"},
	    {HASH_SHA512, "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
	     "2ef324629b06321466a4978f5b75afe73072088ff5dc1ae9207b1a8f10a21a23510d4893b75ef769687aae6e24bc10db5f095b4706bc404a5434f08aebd8c146"},
	};
	uint8_t data[300], d[HASH_MAX_LEN], key[200];
	char hex[2 * HASH_MAX_LEN + 1];

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13 + 7);
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)i;
	for (size_t i = 0; i < ARRAY_LEN(v); i++) {
		struct hash x;
		size_t a = v[i].n / 3, b = 2 * v[i].n / 3;

		hash_init(&x, v[i].a);
		hash_update(&x, data, a);
		hash_update(&x, data + a, b - a);
		hash_update(&x, data + b, v[i].n - b);
		hash_final(&x, d);
		hex_of(d, hash_len(v[i].a), hex);
		assert_string_equal(hex, v[i].hex);
	}
	for (size_t i = 0; i < ARRAY_LEN(h); i++) {
		static const char msg[] = "what do ya want for nothing?";
		const void *parts[2] = {msg, msg + 10};
		size_t lens[2] = {10, sizeof(msg) - 1 - 10};
		const void *one[1] = {data};
		size_t n100[1] = {100};

		hmac(h[i].a, (const uint8_t *)"Jefe", 4, parts, lens, 2, d);
		hex_of(d, hash_len(h[i].a), hex);
		assert_string_equal(hex, h[i].jefe);
		hmac(h[i].a, key, sizeof(key), one, n100, 1, d);
		hex_of(d, hash_len(h[i].a), hex);
		assert_string_equal(hex, h[i].longkey);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip_parse_good),
		cmocka_unit_test(test_ip_parse_bad),
		cmocka_unit_test(test_ip_format),
		cmocka_unit_test(test_ip_mask_and_contains),
		cmocka_unit_test(test_prefix_parse_good),
		cmocka_unit_test(test_prefix_parse_bad),
		cmocka_unit_test(test_ip_plen_parse),
		cmocka_unit_test(test_prefix_roundtrip_random),
		cmocka_unit_test(test_mask_to_len),
		cmocka_unit_test(test_prefix_cmp),
		cmocka_unit_test(test_mac_parse_and_str),
		cmocka_unit_test(test_buf_be),
		cmocka_unit_test(test_buf_reader_bounds),
		cmocka_unit_test(test_strbuf_growth),
		cmocka_unit_test(test_strbuf_printf),
		cmocka_unit_test(test_strbuf_pad),
		cmocka_unit_test(test_json_compact),
		cmocka_unit_test(test_json_pretty_exact),
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_md5),
		cmocka_unit_test(test_sha_hmac),
		cmocka_unit_test(test_json_numbers_out),
		cmocka_unit_test(test_json_parse_scalars),
		cmocka_unit_test(test_json_parse_strings),
		cmocka_unit_test(test_json_parse_nested),
		cmocka_unit_test(test_json_parse_errors),
		cmocka_unit_test(test_json_parse_duplicate_keys),
		cmocka_unit_test(test_json_parse_depth),
		cmocka_unit_test(test_json_parse_lone_surrogates),
		cmocka_unit_test(test_json_parse_strict_numbers),
		cmocka_unit_test(test_json_roundtrip_values),
		cmocka_unit_test(test_hmap_basic),
		cmocka_unit_test(test_hmap_many),
		cmocka_unit_test(test_hmap_collisions_wrap),
		cmocka_unit_test(test_hmap_collisions_same_home),
		cmocka_unit_test(test_hmap_random_model),
		cmocka_unit_test(test_numtab_random_model),
		cmocka_unit_test(test_rng_known_answers),
		cmocka_unit_test(test_rng_streams),
		cmocka_unit_test(test_rng_below),
		cmocka_unit_test(test_rng_uniformity),
		cmocka_unit_test(test_slab_reuse_and_zero),
		cmocka_unit_test(test_slab_ids),
		cmocka_unit_test(test_slab_sizes),
		cmocka_unit_test(test_stamped_and_marks),
		cmocka_unit_test(test_util_grow_and_vec),
		cmocka_unit_test(test_util_strings),
		cmocka_unit_test(test_log_trace_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
