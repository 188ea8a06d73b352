/* cksum.c: Internet (RFC 1071) and ISO 8473 Fletcher checksums. */
#include <string.h>

#include "cksum.h"

/*
 * The one's complement sum of p as big-endian 16-bit words, added to sum. It
 * equals the word-at-a-time sum (RFC 1071 4.1) up to multiples of 0xffff,
 * which inet_fold() removes, so partial sums chain in any grouping.
 */
uint32_t
inet_sum(const uint8_t *p, size_t len, uint32_t sum)
{
	uint64_t acc = 0;
	size_t i = 0;

	/*
	 * RFC 1071 2(A)-(B): the sum may be taken 32 bits at a time with the
	 * carries added back, and in the machine's byte order, swapping the
	 * folded result once at the end: eight bytes per step, two additions.
	 */
	for (; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		acc += (w & 0xffffffffu) + (w >> 32);
	}
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	acc = (acc & 0xff) << 8 | acc >> 8;
#endif
	acc += sum;
	for (; i + 1 < len; i += 2)
		acc += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		acc += (uint32_t)p[len - 1] << 8;
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

uint16_t
inet_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t
inet_cksum(const uint8_t *p, size_t len)
{
	return inet_fold(inet_sum(p, len, 0));
}

uint32_t
inet_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
	return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + proto + len;
}

/*
 * ISO 8473 Annex C / RFC 905: with the checksum octets zeroed, accumulate
 * C0 = sum(b) and C1 = sum(C0) mod 255, then choose X and Y so that the
 * whole range sums to zero in both accumulators.
 */
uint16_t
fletcher_set(uint8_t *p, size_t len, size_t off)
{
	int32_t c0 = 0, c1 = 0, x, y;
	size_t i;

	p[off] = p[off + 1] = 0;
	for (i = 0; i < len; i++) {
		c0 += p[i];
		c1 += c0;
		/* Reduce often enough that 32 bits never overflow. */
		if ((i & 0xfff) == 0xfff) {
			c0 %= 255;
			c1 %= 255;
		}
	}
	c0 %= 255;
	c1 %= 255;
	x = (int32_t)(((int64_t)(len - off - 1) * c0 - c1) % 255);
	if (x <= 0)
		x += 255;
	y = 510 - c0 - x;
	if (y > 255)
		y -= 255;
	p[off] = (uint8_t)x;
	p[off + 1] = (uint8_t)y;
	return (uint16_t)(x << 8 | y);
}

bool
fletcher_ok(const uint8_t *p, size_t len)
{
	uint32_t c0 = 0, c1 = 0;

	for (size_t i = 0; i < len; i++) {
		c0 = (c0 + p[i]) % 255;
		c1 = (c1 + c0) % 255;
	}
	return c0 == 0 && c1 == 0;
}
