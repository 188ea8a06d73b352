/*
 * hash.c: message digests, MD5 (RFC 1321) and SHA-1, -256, -384, -512 (FIPS
 * 180-4: 6.1, 6.2, 6.5, 6.4), sharing their buffering and padding; HMAC (RFC
 * 2104).
 */
#include <stdbool.h>
#include <string.h>

#include "buf.h"
#include "hash.h"

/* RFC 1321 3.4: T[i] = floor(2^32 * abs(sin(i + 1))), i = 0..63. */
static const uint32_t T_MD5[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
	0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
	0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
	0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
	0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
	0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
	0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
	0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};


/* RFC 1321 3.4: left-rotation amounts, four per round. */
static const uint8_t S_MD5[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23},
                                    {6, 10, 15, 21}};

/* 4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t K256[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* 5.3.3: the first 32 bits of the fractional parts of the square roots of the first 8 primes. */
static const uint32_t IV256[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

/* 4.2.3: the first 64 bits of the fractional parts of the cube roots of the first 80 primes. */
static const uint64_t K512[80] = {
	0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL,
	0xb5c0fbcfec4d3b2fULL, 0xe9b5dba58189dbbcULL,
	0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL,
	0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL,
	0xd807aa98a3030242ULL, 0x12835b0145706fbeULL,
	0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
	0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL,
	0x9bdc06a725c71235ULL, 0xc19bf174cf692694ULL,
	0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL,
	0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL,
	0x2de92c6f592b0275ULL, 0x4a7484aa6ea6e483ULL,
	0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
	0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL,
	0xb00327c898fb213fULL, 0xbf597fc7beef0ee4ULL,
	0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL,
	0x06ca6351e003826fULL, 0x142929670a0e6e70ULL,
	0x27b70a8546d22ffcULL, 0x2e1b21385c26c926ULL,
	0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
	0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL,
	0x81c2c92e47edaee6ULL, 0x92722c851482353bULL,
	0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL,
	0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL,
	0xd192e819d6ef5218ULL, 0xd69906245565a910ULL,
	0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
	0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL,
	0x2748774cdf8eeb99ULL, 0x34b0bcb5e19b48a8ULL,
	0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL,
	0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL,
	0x748f82ee5defb2fcULL, 0x78a5636f43172f60ULL,
	0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
	0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL,
	0xbef9a3f7b2c67915ULL, 0xc67178f2e372532bULL,
	0xca273eceea26619cULL, 0xd186b8c721c0c207ULL,
	0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL,
	0x06f067aa72176fbaULL, 0x0a637dc5a2c898a6ULL,
	0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
	0x28db77f523047d84ULL, 0x32caab7b40c72493ULL,
	0x3c9ebe0a15c9bebcULL, 0x431d67c49c100d4cULL,
	0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL,
	0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL,
};

/* 5.3.5 (primes 1-8) and 5.3.4 (primes 9-16): square roots, 64 bits. */
static const uint64_t IV512[8] = {
	0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL,
	0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
	0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
	0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

static const uint64_t IV384[8] = {
	0xcbbb9d5dc1059ed8ULL, 0x629a292a367cd507ULL,
	0x9159015a3070dd17ULL, 0x152fecd8f70e5939ULL,
	0x67332667ffc00b31ULL, 0x8eb44a8768581511ULL,
	0xdb0c2e0d64f98fa7ULL, 0x47b5481dbefa4fa4ULL,

};

static inline uint32_t
rotl32(uint32_t x, unsigned n)
{
	return x << n | x >> (32 - n);
}

static inline uint32_t
rotr32(uint32_t x, unsigned n)
{
	return x >> n | x << (32 - n);
}

static inline uint64_t
rotr64(uint64_t x, unsigned n)
{
	return x >> n | x << (64 - n);
}

static inline uint64_t
get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

/* RFC 1321 3.4: one 64-byte block. */
static void
md5_block(uint32_t h[4], const uint8_t *p)
{
	uint32_t x[16], a = h[0], b = h[1], c = h[2], d = h[3];

	for (int i = 0; i < 16; i++)
		x[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 |
		       (uint32_t)p[4 * i + 3] << 24;
	for (int i = 0; i < 64; i++) {
		uint32_t f, t;
		int g;

		switch (i / 16) {
		case 0:
			f = (b & c) | (~b & d);
			g = i;
			break;
		case 1:
			f = (b & d) | (c & ~d);
			g = (5 * i + 1) % 16;
			break;
		case 2:
			f = b ^ c ^ d;
			g = (3 * i + 5) % 16;
			break;
		default:
			f = c ^ (b | ~d);
			g = (7 * i) % 16;
			break;
		}
		t = d;
		d = c;
		c = b;
		b = b + rotl32(a + f + T_MD5[i] + x[g], S_MD5[i / 16][i % 4]);
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
}

/* 6.1.2 */
static void
sha1_block(uint32_t h[5], const uint8_t *p)
{
	uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];

	for (int t = 0; t < 16; t++)
		w[t] = get32(p + 4 * t);
	for (int t = 16; t < 80; t++)
		w[t] = rotl32(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
	for (int t = 0; t < 80; t++) {
		uint32_t f, k, tmp;

		if (t < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (t < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (t < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		tmp = rotl32(a, 5) + f + e + k + w[t];
		e = d;
		d = c;
		c = rotl32(b, 30);
		b = a;
		a = tmp;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

/* 6.2.2 */
static void
sha256_block(uint32_t h[8], const uint8_t *p)
{
	uint32_t w[64], v[8];

	for (int t = 0; t < 16; t++)
		w[t] = get32(p + 4 * t);
	for (int t = 16; t < 64; t++) {
		uint32_t s0 = rotr32(w[t - 15], 7) ^ rotr32(w[t - 15], 18) ^ (w[t - 15] >> 3);
		uint32_t s1 = rotr32(w[t - 2], 17) ^ rotr32(w[t - 2], 19) ^ (w[t - 2] >> 10);

		w[t] = w[t - 16] + s0 + w[t - 7] + s1;
	}
	memcpy(v, h, sizeof(v));
	for (int t = 0; t < 64; t++) {
		uint32_t S1 = rotr32(v[4], 6) ^ rotr32(v[4], 11) ^ rotr32(v[4], 25);
		uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
		uint32_t t1 = v[7] + S1 + ch + K256[t] + w[t];
		uint32_t S0 = rotr32(v[0], 2) ^ rotr32(v[0], 13) ^ rotr32(v[0], 22);
		uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);

		memmove(v + 1, v, 7 * sizeof(*v));
		v[4] += t1;
		v[0] = t1 + S0 + maj;
	}
	for (int i = 0; i < 8; i++)
		h[i] += v[i];
}

/* 6.4.2 */
static void
sha512_block(uint64_t h[8], const uint8_t *p)
{
	uint64_t w[80], v[8];

	for (int t = 0; t < 16; t++)
		w[t] = get64(p + 8 * t);
	for (int t = 16; t < 80; t++) {
		uint64_t s0 = rotr64(w[t - 15], 1) ^ rotr64(w[t - 15], 8) ^ (w[t - 15] >> 7);
		uint64_t s1 = rotr64(w[t - 2], 19) ^ rotr64(w[t - 2], 61) ^ (w[t - 2] >> 6);

		w[t] = w[t - 16] + s0 + w[t - 7] + s1;
	}
	memcpy(v, h, sizeof(v));
	for (int t = 0; t < 80; t++) {
		uint64_t S1 = rotr64(v[4], 14) ^ rotr64(v[4], 18) ^ rotr64(v[4], 41);
		uint64_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
		uint64_t t1 = v[7] + S1 + ch + K512[t] + w[t];
		uint64_t S0 = rotr64(v[0], 28) ^ rotr64(v[0], 34) ^ rotr64(v[0], 39);
		uint64_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);

		memmove(v + 1, v, 7 * sizeof(*v));
		v[4] += t1;
		v[0] = t1 + S0 + maj;
	}
	for (int i = 0; i < 8; i++)
		h[i] += v[i];
}

size_t
hash_len(enum hash_alg a)
{
	static const size_t len[] = {16, 20, 32, 48, 64};

	return len[a];
}

size_t
hash_block(enum hash_alg a)
{
	return a >= HASH_SHA384 ? 128 : 64;
}

void
hash_init(struct hash *x, enum hash_alg a)
{
	memset(x, 0, sizeof(*x));
	x->alg = a;
	switch (a) {
	case HASH_MD5:
		x->u.s32.h[0] = 0x67452301; /* RFC 1321 3.3 */
		x->u.s32.h[1] = 0xefcdab89;
		x->u.s32.h[2] = 0x98badcfe;
		x->u.s32.h[3] = 0x10325476;
		break;
	case HASH_SHA1:
		x->u.s32.h[0] = 0x67452301; /* 5.3.1 */
		x->u.s32.h[1] = 0xefcdab89;
		x->u.s32.h[2] = 0x98badcfe;
		x->u.s32.h[3] = 0x10325476;
		x->u.s32.h[4] = 0xc3d2e1f0;
		break;
	case HASH_SHA256:
		memcpy(x->u.s32.h, IV256, sizeof(IV256));
		break;
	case HASH_SHA384:
		memcpy(x->u.s64.h, IV384, sizeof(IV384));
		break;
	case HASH_SHA512:
		memcpy(x->u.s64.h, IV512, sizeof(IV512));
		break;
	}
}

void
hash_update(struct hash *x, const void *data, size_t n)
{
	const uint8_t *p = data;
	size_t bs = hash_block(x->alg);
	uint8_t *buf;
	size_t *nbuf;

	buf = bs == 64 ? x->u.s32.buf : x->u.s64.buf;
	nbuf = bs == 64 ? &x->u.s32.nbuf : &x->u.s64.nbuf;
	if (bs == 64)
		x->u.s32.len += n;
	else
		x->u.s64.len += n;
	while (n > 0) {
		size_t k = bs - *nbuf < n ? bs - *nbuf : n;

		memcpy(buf + *nbuf, p, k);
		*nbuf += k;
		p += k;
		n -= k;
		if (*nbuf < bs)
			break;
		if (x->alg == HASH_MD5)
			md5_block(x->u.s32.h, buf);
		else if (x->alg == HASH_SHA1)
			sha1_block(x->u.s32.h, buf);
		else if (x->alg == HASH_SHA256)
			sha256_block(x->u.s32.h, buf);
		else
			sha512_block(x->u.s64.h, buf);
		*nbuf = 0;
	}
}

/*
 * FIPS 180-4 5.1 and RFC 1321 3.1-3.2: 0x80, zeros, and the length in bits
 * (64 bits, or 128 for SHA-384/512), big-endian for SHA and little-endian
 * for MD5, whose state is also written out little-endian (RFC 1321 3.5).
 */
void
hash_final(struct hash *x, uint8_t *out)
{
	size_t bs = hash_block(x->alg), lenbytes = bs == 64 ? 8 : 16, nbuf, npad;
	bool le = x->alg == HASH_MD5;
	uint64_t bits;
	uint8_t pad[2 * HASH_MAX_BLOCK] = {0x80};

	nbuf = bs == 64 ? x->u.s32.nbuf : x->u.s64.nbuf;
	bits = (bs == 64 ? x->u.s32.len : x->u.s64.len) * 8;
	npad = (nbuf < bs - lenbytes ? bs : 2 * bs) - lenbytes - nbuf;
	for (int i = 0; i < 8; i++)
		pad[le ? npad + (size_t)i : npad + lenbytes - 1 - (size_t)i] = (uint8_t)(bits >> (8 * i));
	hash_update(x, pad, npad + lenbytes);
	if (bs == 64)
		for (size_t i = 0; i < hash_len(x->alg) / 4; i++)
			if (le)
				for (int j = 0; j < 4; j++)
					out[4 * i + (size_t)j] = (uint8_t)(x->u.s32.h[i] >> (8 * j));
			else
				put32(out + 4 * i, x->u.s32.h[i]);
	else
		for (size_t i = 0; i < hash_len(x->alg) / 8; i++) {
			put32(out + 8 * i, (uint32_t)(x->u.s64.h[i] >> 32));
			put32(out + 8 * i + 4, (uint32_t)x->u.s64.h[i]);
		}
}

/* RFC 2104 2: H(K ^ opad, H(K ^ ipad, text)), K hashed first if longer than a block. */
void
hmac(enum hash_alg a, const uint8_t *key, size_t keylen, const void *const *parts,
     const size_t *lens, int n, uint8_t *out)
{
	uint8_t k[HASH_MAX_BLOCK] = {0}, pad[HASH_MAX_BLOCK], inner[HASH_MAX_LEN];
	size_t bs = hash_block(a);
	struct hash x;

	if (keylen > bs) {
		hash_init(&x, a);
		hash_update(&x, key, keylen);
		hash_final(&x, k);
	} else {
		memcpy(k, key, keylen);
	}
	for (size_t i = 0; i < bs; i++)
		pad[i] = k[i] ^ 0x36;
	hash_init(&x, a);
	hash_update(&x, pad, bs);
	for (int i = 0; i < n; i++)
		hash_update(&x, parts[i], lens[i]);
	hash_final(&x, inner);
	for (size_t i = 0; i < bs; i++)
		pad[i] = k[i] ^ 0x5c;
	hash_init(&x, a);
	hash_update(&x, pad, bs);
	hash_update(&x, inner, hash_len(a));
	hash_final(&x, out);
}
