/* strbuf.c: growable string buffer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "util.h"

void
sb_init(struct strbuf *b)
{
	b->s = NULL;
	b->len = b->cap = 0;
}

void
sb_free(struct strbuf *b)
{
	free(b->s);
	sb_init(b);
}

void
sb_reset(struct strbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

static void
reserve(struct strbuf *b, size_t n)
{
	grow_array((void **)&b->s, &b->cap, b->len + n + 1, 1);
}

void
sb_addn(struct strbuf *b, const char *s, size_t n)
{
	reserve(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
sb_add(struct strbuf *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

void
sb_addc(struct strbuf *b, char c)
{
	sb_addn(b, &c, 1);
}

void
sb_vprintf(struct strbuf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n <= 0)
		return;
	reserve(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
sb_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

void
sb_pad(struct strbuf *b, size_t w)
{
	size_t col = 0;

	while (col < b->len && b->s[b->len - col - 1] != '\n')
		col++;
	if (col >= w) {
		sb_addc(b, ' ');
		return;
	}
	while (col++ < w)
		sb_addc(b, ' ');
}

const char *
sb_str(const struct strbuf *b)
{
	return b->s ? b->s : "";
}

char *
sb_steal(struct strbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");

	sb_init(b);
	return s;
}

int
sb_read_file(struct strbuf *b, const char *path, size_t max)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n, start = b->len;
	int e;

	if (f == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		sb_addn(b, chunk, n);
		if (b->len - start > max) {
			fclose(f);
			errno = EFBIG;
			return -1;
		}
	}
	e = ferror(f) ? errno : 0;
	fclose(f);
	errno = e;
	return e != 0 ? -1 : 0;
}
