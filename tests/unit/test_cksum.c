/*
 * test_cksum.c: the Internet checksum (RFC 1071) and the ISO 8473 Fletcher
 * checksum (src/lib/cksum.h).
 *
 * (a) 3,860 checksums real routers put on the wire
 *     ($NETSIM_SHARED/vectors/real_checksum_vectors.tsv; missing data fails the
 *     suite, it is never skipped): every IPv4 header verifies and recomputes to
 *     the stored value; every OSPF LSA (RFC 2328 12.1.7: from the options octet,
 *     the age excluded, checksum at offset 14) and IS-IS LSP (ISO 10589 7.3.11:
 *     from the LSP ID, checksum at offset 12 of that range) verifies with
 *     fletcher_ok and fletcher_set reproduces the stored octets; every OSPF
 *     packet (RFC 2328 D.4: the 64-bit authentication field excluded) verifies;
 *     flipping one bit anywhere in the covered bytes is always detected.
 * (b) RFC 1071's worked example, odd lengths, chaining, long inputs against a
 *     64-bit reference, and the UDP pseudo-header for known packets.
 * (c) Fletcher on synthetic data: every checksum position, long buffers
 *     (the periodic reduction), neither octet ever zero.
 */
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
#include "lib/rng.h"
#include "lib/util.h"
#include "shared_data.h"

/* ------------------------------------------------------------------------ */
/* Shared data */

enum vkind { V_IPV4, V_OSPF_LSA, V_OSPF_PKT, V_ISIS_LSP, V_NKINDS };

static const char *const kind_names[V_NKINDS] = {"ipv4_hdr", "ospf_lsa", "ospf_pkt", "isis_lsp"};

struct vec {
	enum vkind kind;
	char src[96];
	uint16_t stored;
	uint8_t *b;
	size_t len;
};

static struct vec *vecs;
static size_t nvecs;

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Load the vector file once (from the first test that needs it); a malformed line fails. */
static void
load_vectors(void)
{
	char *path, *line = NULL;
	FILE *f;
	size_t cap = 0, vcap = 0, lineno = 0;
	ssize_t n;
	bool header = false;

	if (vecs != NULL)
		return;
	path = xasprintf("%s/vectors/real_checksum_vectors.tsv", shared_dir());
	f = fopen(path, "r");
	if (f == NULL)
		fail_msg("%s: cannot open", path);
	while ((n = getline(&line, &cap, f)) > 0) {
		char *fields[4], *p = line, *end;
		struct vec v;
		size_t hl;
		int k;

		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (line[0] == '#') {
			/* The header names the columns this loader expects. */
			assert_string_equal(line, "# kind\tsource:frame\tstored_checksum\thex");
			header = true;
			continue;
		}
		for (k = 0; k < 4; k++) {
			fields[k] = p;
			p = strchr(p, '\t');
			if (p == NULL)
				break;
			*p++ = '\0';
		}
		if (k != 3 || p != NULL)
			fail_msg("%s:%zu: expected 4 tab-separated fields", path, lineno);
		memset(&v, 0, sizeof(v));
		for (k = 0; k < V_NKINDS; k++)
			if (strcmp(fields[0], kind_names[k]) == 0)
				break;
		if (k == V_NKINDS)
			fail_msg("%s:%zu: unknown kind '%s'", path, lineno, fields[0]);
		v.kind = (enum vkind)k;
		snprintf(v.src, sizeof(v.src), "%s", fields[1]);
		if (strncmp(fields[2], "0x", 2) != 0 || strlen(fields[2]) != 6)
			fail_msg("%s:%zu: bad stored checksum '%s'", path, lineno, fields[2]);
		v.stored = (uint16_t)strtoul(fields[2], &end, 16);
		assert_int_equal(*end, '\0');
		hl = strlen(fields[3]);
		if (hl == 0 || hl % 2 != 0)
			fail_msg("%s:%zu: odd hex length", path, lineno);
		v.len = hl / 2;
		v.b = xmalloc(v.len);
		for (size_t i = 0; i < v.len; i++) {
			int hi = hexval(fields[3][2 * i]), lo = hexval(fields[3][2 * i + 1]);

			if (hi < 0 || lo < 0)
				fail_msg("%s:%zu: bad hex", path, lineno);
			v.b[i] = (uint8_t)(hi << 4 | lo);
		}
		VEC_PUSH(vecs, nvecs, vcap, v);
	}
	free(line);
	fclose(f);
	free(path);
	assert_true(header);
	assert_non_null(vecs);
}

static int
free_vectors(void **state UNUSED)
{
	(void)state;
	for (size_t i = 0; i < nvecs; i++)
		free(vecs[i].b);
	free(vecs);
	vecs = NULL;
	nvecs = 0;
	return 0;
}

static void
test_vector_counts(void **state UNUSED)
{
	size_t cnt[V_NKINDS] = {0};

	(void)state;
	load_vectors();
	for (size_t i = 0; i < nvecs; i++)
		cnt[vecs[i].kind]++;
	assert_int_equal(nvecs, 3860);
	assert_int_equal(cnt[V_IPV4], 3236);
	assert_int_equal(cnt[V_OSPF_LSA], 213);
	assert_int_equal(cnt[V_OSPF_PKT], 381);
	assert_int_equal(cnt[V_ISIS_LSP], 30);
}

/* ------------------------------------------------------------------------ */
/* Real vectors */

static void
test_vectors_ipv4(void **state UNUSED)
{
	size_t done = 0, with_options = 0;

	(void)state;
	load_vectors();
	for (size_t i = 0; i < nvecs; i++) {
		struct vec *v = &vecs[i];
		uint8_t tmp[60];

		if (v->kind != V_IPV4)
			continue;
		/* The bytes are one whole header: IHL says how long. */
		assert_int_equal((size_t)(v->b[0] & 15) * 4, v->len);
		assert_int_equal(v->b[0] >> 4, 4);
		assert_int_equal(get16(v->b + 10), v->stored);
		if (inet_cksum(v->b, v->len) != 0)
			fail_msg("%s: IPv4 header does not verify", v->src);
		memcpy(tmp, v->b, v->len);
		put16(tmp + 10, 0);
		if (inet_cksum(tmp, v->len) != v->stored)
			fail_msg("%s: recomputed 0x%04x, stored 0x%04x", v->src,
			    inet_cksum(tmp, v->len), v->stored);
		/* Chaining the sum over two halves gives the same answer. */
		assert_int_equal(inet_fold(inet_sum(tmp + 10, v->len - 10, inet_sum(tmp, 10, 0))),
		    v->stored);
		/* One flipped bit anywhere is detected. */
		memcpy(tmp, v->b, v->len);
		for (size_t k = 0; k < v->len * 8; k++) {
			tmp[k / 8] ^= (uint8_t)(1u << (k % 8));
			if (inet_cksum(tmp, v->len) == 0)
				fail_msg("%s: bit %zu flipped, still verifies", v->src, k);
			tmp[k / 8] ^= (uint8_t)(1u << (k % 8));
		}
		with_options += v->len > 20;
		done++;
	}
	assert_int_equal(done, 3236);
	assert_int_equal(with_options, 9);
}

static void
test_vectors_ospf_lsa(void **state UNUSED)
{
	size_t done = 0, with_ff = 0;

	(void)state;
	load_vectors();
	for (size_t i = 0; i < nvecs; i++) {
		struct vec *v = &vecs[i];
		uint8_t *tmp;
		uint16_t got;

		if (v->kind != V_OSPF_LSA)
			continue;
		/* A whole LSA: 20-byte header whose length field is the byte count. */
		assert_true(v->len >= 20);
		assert_int_equal(get16(v->b + 18), v->len);
		assert_int_equal(get16(v->b + 16), v->stored);
		/* RFC 2328 12.1.7: the checksum covers everything but LS age. */
		if (!fletcher_ok(v->b + 2, v->len - 2))
			fail_msg("%s: LSA does not verify", v->src);
		tmp = xmalloc(v->len);
		memcpy(tmp, v->b, v->len);
		put16(tmp + 16, 0x5a5a); /* whatever was there is overwritten */
		got = fletcher_set(tmp + 2, v->len - 2, 14);
		if (got != v->stored)
			fail_msg("%s: fletcher_set gave 0x%04x, stored 0x%04x", v->src, got,
			    v->stored);
		assert_memory_equal(tmp, v->b, v->len);
		/* The age is outside the checksum: changing it keeps the LSA valid. */
		put16(tmp, 3600);
		assert_true(fletcher_ok(tmp + 2, v->len - 2));
		/* A one-bit change anywhere in the covered bytes is caught. */
		for (size_t k = 2; k < v->len; k++) {
			tmp[k] ^= 1;
			if (fletcher_ok(tmp + 2, v->len - 2))
				fail_msg("%s: byte %zu changed, still verifies", v->src, k);
			tmp[k] ^= 1;
		}
		with_ff += (v->stored >> 8) == 0xff || (v->stored & 0xff) == 0xff;
		free(tmp);
		done++;
	}
	assert_int_equal(done, 213);
	/* Octets of 255 (never 0) appear in real data: the mod-255 edge is covered. */
	assert_true(with_ff > 0);
}

static void
test_vectors_isis_lsp(void **state UNUSED)
{
	size_t done = 0;

	(void)state;
	load_vectors();
	for (size_t i = 0; i < nvecs; i++) {
		struct vec *v = &vecs[i];
		uint8_t *tmp;
		uint16_t got;

		if (v->kind != V_ISIS_LSP)
			continue;
		/*
		 * The bytes are the whole LSP PDU: the common header (NLPID 0x83), PDU
		 * length, remaining lifetime, then the LSP ID at offset 12; the checksum
		 * follows the LSP ID (8) and sequence number (4), at PDU offset 24.
		 */
		assert_int_equal(v->b[0], 0x83);
		assert_true((v->b[4] & 0x1f) == 18 || (v->b[4] & 0x1f) == 20);
		assert_int_equal(get16(v->b + 8), v->len);
		assert_int_equal(get16(v->b + 24), v->stored);
		/* ISO 10589 7.3.11: from the LSP ID to the end; lifetime excluded. */
		if (!fletcher_ok(v->b + 12, v->len - 12))
			fail_msg("%s: LSP does not verify", v->src);
		tmp = xmalloc(v->len);
		memcpy(tmp, v->b, v->len);
		put16(tmp + 24, 0);
		got = fletcher_set(tmp + 12, v->len - 12, 12);
		if (got != v->stored)
			fail_msg("%s: fletcher_set gave 0x%04x, stored 0x%04x", v->src, got,
			    v->stored);
		assert_memory_equal(tmp, v->b, v->len);
		put16(tmp + 10, 1);
		assert_true(fletcher_ok(tmp + 12, v->len - 12));
		for (size_t k = 12; k < v->len; k++) {
			tmp[k] ^= 1;
			if (fletcher_ok(tmp + 12, v->len - 12))
				fail_msg("%s: byte %zu changed, still verifies", v->src, k);
			tmp[k] ^= 1;
		}
		free(tmp);
		done++;
	}
	assert_int_equal(done, 30);
}

static void
test_vectors_ospf_pkt(void **state UNUSED)
{
	size_t done = 0, simple_auth = 0;

	(void)state;
	load_vectors();
	for (size_t i = 0; i < nvecs; i++) {
		struct vec *v = &vecs[i];
		uint8_t *tmp;
		uint16_t autype;
		uint32_t sum;

		if (v->kind != V_OSPF_PKT)
			continue;
		/* A whole OSPFv2 packet: version 2, length field = byte count. */
		assert_int_equal(v->b[0], 2);
		assert_true(v->len >= 24);
		assert_int_equal(get16(v->b + 2), v->len);
		assert_int_equal(get16(v->b + 12), v->stored);
		autype = get16(v->b + 14);
		/* Cryptographic authentication has no checksum; none of these use it. */
		assert_true(autype == 0 || autype == 1);
		simple_auth += autype == 1;
		/* RFC 2328 D.4: everything but the 64-bit authentication field. */
		sum = inet_sum(v->b + 24, v->len - 24, inet_sum(v->b, 16, 0));
		if (inet_fold(sum) != 0)
			fail_msg("%s: OSPF packet does not verify", v->src);
		tmp = xmalloc(v->len);
		memcpy(tmp, v->b, v->len);
		put16(tmp + 12, 0);
		sum = inet_sum(tmp + 24, v->len - 24, inet_sum(tmp, 16, 0));
		assert_int_equal(inet_fold(sum), v->stored);
		if (autype == 0) {
			/* With null authentication the field is zero: the plain sum agrees. */
			assert_int_equal(inet_cksum(v->b, v->len), 0);
			assert_int_equal(inet_cksum(tmp, v->len), v->stored);
		} else {
			/* The password is not covered: the plain sum disagrees. */
			assert_int_not_equal(inet_cksum(v->b, v->len), 0);
		}
		memcpy(tmp, v->b, v->len);
		for (size_t k = 0; k < v->len; k += (k < 64 ? 1 : 7)) {
			if (k >= 16 && k < 24)
				continue;
			tmp[k] ^= 0x80;
			sum = inet_sum(tmp + 24, v->len - 24, inet_sum(tmp, 16, 0));
			if (inet_fold(sum) == 0)
				fail_msg("%s: byte %zu changed, still verifies", v->src, k);
			tmp[k] ^= 0x80;
		}
		free(tmp);
		done++;
	}
	assert_int_equal(done, 381);
	assert_int_equal(simple_auth, 1);
}

/* ------------------------------------------------------------------------ */
/* The Internet checksum */

static void
test_rfc1071_example(void **state UNUSED)
{
	/* RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2 (after the carries). */
	static const uint8_t d[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	uint8_t with[10];

	(void)state;
	/* 0x2ddf0 word by word; any sum congruent modulo 0xffff is the same sum. */
	assert_int_equal(inet_sum(d, sizeof(d), 0) % 0xffff, 0x2ddf0 % 0xffff);
	assert_int_equal(inet_fold(inet_sum(d, sizeof(d), 0)), (uint16_t)~0xddf2);
	assert_int_equal(inet_cksum(d, sizeof(d)), 0x220d);
	/* Appending the checksum makes the whole verify. */
	memcpy(with, d, sizeof(d));
	put16(with + 8, 0x220d);
	assert_int_equal(inet_cksum(with, sizeof(with)), 0);
	/* The sum is order-independent over 16-bit words (RFC 1071 1.2(B)). */
	{
		static const uint8_t swapped[] = {0xf6, 0xf7, 0xf4, 0xf5, 0x00, 0x01, 0xf2, 0x03};

		assert_int_equal(inet_cksum(swapped, sizeof(swapped)), 0x220d);
	}
}

static void
test_inet_edges(void **state UNUSED)
{
	static const uint8_t one[] = {0x01};
	static const uint8_t three[] = {0x12, 0x34, 0x56};
	static const uint8_t ff[] = {0xff, 0xff, 0xff, 0xff};
	static const uint8_t zero[4] = {0};

	(void)state;
	/* Nothing, and zeros, sum to zero: the checksum is all ones. */
	assert_int_equal(inet_cksum(zero, 0), 0xffff);
	assert_int_equal(inet_cksum(zero, 4), 0xffff);
	/* An odd trailing byte is the high half of a word padded with zero. */
	assert_int_equal(inet_sum(one, 1, 0), 0x0100);
	assert_int_equal(inet_cksum(one, 1), 0xfeff);
	assert_int_equal(inet_sum(three, 3, 0), 0x1234 + 0x5600);
	assert_int_equal(inet_cksum(three, 3), 0x97cb);
	/* All ones: one's-complement -0. */
	assert_int_equal(inet_cksum(ff, 4), 0x0000);
	assert_int_equal(inet_fold(0), 0xffff);
	assert_int_equal(inet_fold(0xffff), 0);
	assert_int_equal(inet_fold(0x1fffe), 0);      /* ffff + ffff */
	assert_int_equal(inet_fold(0x10000), 0xfffe); /* end-around carry gives 1 */
	assert_int_equal(inet_fold(0xffffffffu), 0);
	/* The init argument chains partial sums. */
	assert_int_equal(inet_sum(three, 2, inet_sum(three, 2, 0)), 2 * 0x1234);
}

/* 64-bit reference: the plain sum of big-endian words, folded at the end. */
static uint16_t
ref_cksum(const uint8_t *p, size_t len)
{
	uint64_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint64_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (uint64_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void
test_inet_long_and_random(void **state UNUSED)
{
	enum { BIG = 1 << 20 };
	uint8_t *b = xmalloc(BIG + 1);
	struct rng r;

	(void)state;
	/* A megabyte of 0xff would overflow 32 bits without the periodic folding. */
	memset(b, 0xff, BIG + 1);
	assert_int_equal(inet_cksum(b, BIG), ref_cksum(b, BIG));
	assert_int_equal(inet_cksum(b, BIG + 1), ref_cksum(b, BIG + 1));
	memset(b, 0xfe, BIG);
	assert_int_equal(inet_cksum(b, BIG), ref_cksum(b, BIG));
	rng_seed(&r, 1071, 0);
	for (int t = 0; t < 300; t++) {
		size_t len = (size_t)rng_below(&r, 3000);

		for (size_t i = 0; i < len; i++)
			b[i] = (uint8_t)rng_next(&r);
		assert_int_equal(inet_cksum(b, len), ref_cksum(b, len));
		/* Stored at an even offset, the checksum makes the data verify. */
		if (len >= 4) {
			size_t off = (size_t)rng_below(&r, len / 2 - 1) * 2;

			put16(b + off, 0);
			put16(b + off, inet_cksum(b, len));
			assert_int_equal(inet_cksum(b, len), 0);
		}
	}
	free(b);
}

/* Verify a UDP datagram (header + data) with the pseudo-header. */
static uint16_t
udp_verify(uint32_t src, uint32_t dst, const uint8_t *u, size_t len)
{
	return inet_fold(inet_sum(u, len, inet_pseudo(src, dst, 17, (uint16_t)len)));
}

static void
test_inet_pseudo_udp(void **state UNUSED)
{
	/*
	 * The textbook example: 192.168.0.31:20 -> 192.168.0.30:10, "Hi";
	 * checksum 0x35c5.
	 */
	uint8_t u[10] = {0x00, 0x14, 0x00, 0x0a, 0x00, 0x0a, 0x00, 0x00, 'H', 'i'};
	uint32_t src = 0xc0a8001fu, dst = 0xc0a8001eu;
	/* A real BFD control packet (tcpdump's bfd-multihop.pcap, frame 1). */
	static const uint8_t bfd[] = {
		0xeb, 0xf9, 0x0e, 0xc8, 0x00, 0x20, 0x96, 0x37, 0x20, 0xc0, 0x03, 0x18, 0x74, 0x29,
		0xab, 0xf9, 0xd4, 0x3a, 0x40, 0xc1, 0x00, 0x04, 0x93, 0xe0, 0x00, 0x04, 0x93, 0xe0,
		0x00, 0x04, 0x93, 0xe0,
	};
	/* Frame 3 of the same capture: a small checksum, 0x00a9. */
	static const uint8_t bfd3[] = {
		0xf4, 0x51, 0x12, 0xb0, 0x00, 0x20, 0x00, 0xa9, 0x20, 0xc0, 0x03, 0x18, 0x45, 0x7f,
		0x74, 0x51, 0x89, 0x86, 0x0b, 0x19, 0x00, 0x04, 0x93, 0xe0, 0x00, 0x04, 0x93, 0xe0,
		0x00, 0x04, 0x93, 0xe0,
	};
	uint8_t tmp[32];

	(void)state;
	assert_int_equal(inet_pseudo(src, dst, 17, 10),
	    0xc0a8 + 0x001f + 0xc0a8 + 0x001e + 17 + 10);
	assert_int_equal(inet_fold(inet_sum(u, sizeof(u), inet_pseudo(src, dst, 17, 10))), 0x35c5);
	put16(u + 6, 0x35c5);
	assert_int_equal(udp_verify(src, dst, u, sizeof(u)), 0);
	/* The pseudo-header matters: another destination fails. */
	assert_int_not_equal(udp_verify(src, dst + 1, u, sizeof(u)), 0);
	/* Swapping source and destination does not (the sum is commutative). */
	assert_int_equal(udp_verify(dst, src, u, sizeof(u)), 0);
	assert_int_equal(udp_verify(0xa1010c01u, 0xa1010c0cu, bfd, sizeof(bfd)), 0);
	memcpy(tmp, bfd, sizeof(bfd));
	put16(tmp + 6, 0);
	assert_int_equal(inet_fold(inet_sum(tmp, sizeof(tmp),
	    inet_pseudo(0xa1010c01u, 0xa1010c0cu, 17, sizeof(tmp)))), 0x9637);
	assert_int_equal(udp_verify(0x6500000cu, 0x65000001u, bfd3, sizeof(bfd3)), 0);
	memcpy(tmp, bfd3, sizeof(bfd3));
	put16(tmp + 6, 0);
	assert_int_equal(inet_fold(inet_sum(tmp, sizeof(tmp),
	    inet_pseudo(0x6500000cu, 0x65000001u, 17, sizeof(tmp)))), 0x00a9);
	/* The largest pseudo-header sum still folds correctly. */
	assert_int_equal(inet_fold(inet_pseudo(0xffffffffu, 0xffffffffu, 255, 0xffff)),
	    ref_cksum((const uint8_t[]){0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00,
			  0xff, 0xff, 0xff}, 12));
}

/* ------------------------------------------------------------------------ */
/* Fletcher */

static void
ref_fletcher(const uint8_t *p, size_t len, uint32_t *c0, uint32_t *c1)
{
	*c0 = *c1 = 0;
	for (size_t i = 0; i < len; i++) {
		*c0 = (*c0 + p[i]) % 255;
		*c1 = (*c1 + *c0) % 255;
	}
}

static void
test_fletcher_every_offset(void **state UNUSED)
{
	uint8_t b[64];
	struct rng r;

	(void)state;
	rng_seed(&r, 8473, 0);
	for (size_t len = 2; len <= sizeof(b); len++)
		for (size_t off = 0; off + 1 < len; off++) {
			uint16_t v;
			uint32_t c0, c1;

			for (size_t i = 0; i < len; i++)
				b[i] = (uint8_t)rng_next(&r);
			v = fletcher_set(b, len, off);
			assert_int_equal(get16(b + off), v);
			/* Neither octet is zero (zero means "no checksum" in IS-IS). */
			assert_int_not_equal(b[off], 0);
			assert_int_not_equal(b[off + 1], 0);
			assert_true(fletcher_ok(b, len));
			ref_fletcher(b, len, &c0, &c1);
			assert_int_equal(c0, 0);
			assert_int_equal(c1, 0);
			/* Setting again is idempotent. */
			assert_int_equal(fletcher_set(b, len, off), v);
		}
}

static void
test_fletcher_edges(void **state UNUSED)
{
	uint8_t z[16] = {0}, big[20000];
	uint32_t c0, c1;

	(void)state;
	/* All zeros: C0 = C1 = 0, so X = Y = 255 (never 0). */
	assert_int_equal(fletcher_set(z, sizeof(z), 4), 0xffff);
	assert_true(fletcher_ok(z, sizeof(z)));
	/* All-zero data trivially "verifies": that is why IS-IS forbids a zero checksum. */
	memset(z, 0, sizeof(z));
	assert_true(fletcher_ok(z, sizeof(z)));
	assert_true(fletcher_ok(z, 0));
	/* A long buffer exercises the periodic mod-255 reduction. */
	memset(big, 0xff, sizeof(big));
	fletcher_set(big, sizeof(big), 100);
	assert_true(fletcher_ok(big, sizeof(big)));
	ref_fletcher(big, sizeof(big), &c0, &c1);
	assert_int_equal(c0 | c1, 0);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + (i >> 8));
	fletcher_set(big, sizeof(big), sizeof(big) - 2);
	assert_true(fletcher_ok(big, sizeof(big)));
	fletcher_set(big, sizeof(big), 0);
	assert_true(fletcher_ok(big, sizeof(big)));
	/* A change of exactly 255 in one octet is invisible mod 255 (a known limit). */
	big[500] = 0x00;
	fletcher_set(big, sizeof(big), 0);
	big[500] = 0xff;
	assert_true(fletcher_ok(big, sizeof(big)));
	big[500] = 0xfe;
	assert_false(fletcher_ok(big, sizeof(big)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector_counts),
		cmocka_unit_test(test_vectors_ipv4),
		cmocka_unit_test(test_vectors_ospf_lsa),
		cmocka_unit_test(test_vectors_isis_lsp),
		cmocka_unit_test(test_vectors_ospf_pkt),
		cmocka_unit_test(test_rfc1071_example),
		cmocka_unit_test(test_inet_edges),
		cmocka_unit_test(test_inet_long_and_random),
		cmocka_unit_test(test_inet_pseudo_udp),
		cmocka_unit_test(test_fletcher_every_offset),
		cmocka_unit_test(test_fletcher_edges),
	};

	return cmocka_run_group_tests(tests, NULL, free_vectors);
}
