/*
 * buf.h: big-endian (network order) loads and stores, and a bounded reader.
 *
 * Codecs decode with struct rd: every get checks the remaining length and sets
 * rd->err instead of reading past the end, so a truncated packet is an error,
 * never an overread.
 */
#ifndef NETSIM_BUF_H
#define NETSIM_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
get24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static inline uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
put24(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 16);
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)v;
}

static inline void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* A bounded reader over a byte range. */
struct rd {
	const uint8_t *p;
	size_t len;
	size_t off;
	bool err;
};

static inline void
rd_init(struct rd *r, const uint8_t *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->off = 0;
	r->err = false;
}

static inline size_t
rd_left(const struct rd *r)
{
	return r->err ? 0 : r->len - r->off;
}

static inline const uint8_t *
rd_take(struct rd *r, size_t n)
{
	const uint8_t *p;

	if (r->err || r->len - r->off < n) {
		r->err = true;
		return NULL;
	}
	p = r->p + r->off;
	r->off += n;
	return p;
}

static inline uint8_t
rd_u8(struct rd *r)
{
	const uint8_t *p = rd_take(r, 1);
	return p ? p[0] : 0;
}

static inline uint16_t
rd_u16(struct rd *r)
{
	const uint8_t *p = rd_take(r, 2);
	return p ? get16(p) : 0;
}

static inline uint32_t
rd_u32(struct rd *r)
{
	const uint8_t *p = rd_take(r, 4);
	return p ? get32(p) : 0;
}

#endif
