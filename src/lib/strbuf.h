/* strbuf.h: a growable, always NUL-terminated string buffer. */
#ifndef NETSIM_STRBUF_H
#define NETSIM_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct strbuf {
	char *s;
	size_t len;
	size_t cap;
};

#define STRBUF_INIT {NULL, 0, 0}

void sb_init(struct strbuf *);
void sb_free(struct strbuf *);
void sb_reset(struct strbuf *);
void sb_addn(struct strbuf *, const char *, size_t);
/*
 * Append the whole file at path, at most max octets (read, not stat: a pipe
 * or /dev/stdin has no size, and the limit holds anyway): 0, or -1 with
 * errno set (EFBIG: larger than max). sb keeps what was read either way.
 */
int sb_read_file(struct strbuf *, const char *path, size_t max);
void sb_add(struct strbuf *, const char *);
void sb_addc(struct strbuf *, char);
void sb_printf(struct strbuf *, const char *, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct strbuf *, const char *, va_list);
/* Pad with spaces to column width w (measured from the last newline). */
void sb_pad(struct strbuf *, size_t w);
const char *sb_str(const struct strbuf *); /* "" when empty */
char *sb_steal(struct strbuf *);           /* caller frees */

/* Binary appends in network byte order (codecs that build packets in a strbuf). */
static inline void
sb_put8(struct strbuf *sb, uint8_t v)
{
	sb_addn(sb, (const char *)&v, 1);
}

static inline void
sb_put16(struct strbuf *sb, uint16_t v)
{
	uint8_t b[2];

	put16(b, v);
	sb_addn(sb, (const char *)b, 2);
}

static inline void
sb_put24(struct strbuf *sb, uint32_t v)
{
	uint8_t b[3];

	put24(b, v);
	sb_addn(sb, (const char *)b, 3);
}

static inline void
sb_put32(struct strbuf *sb, uint32_t v)
{
	uint8_t b[4];

	put32(b, v);
	sb_addn(sb, (const char *)b, 4);
}

#endif
