/* json.c: streaming JSON writer. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "log.h"

void
json_init(struct json *j, struct strbuf *out, bool pretty)
{
	j->out = out;
	j->depth = 0;
	j->pretty = pretty;
	j->after_key = false;
	j->nonempty[0] = false;
}

static void
newline(struct json *j)
{
	if (!j->pretty)
		return;
	sb_addc(j->out, '\n');
	for (int i = 0; i < j->depth; i++)
		sb_add(j->out, "  ");
}

/* Called before any value or key: comma and indentation. */
static void
pre_value(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		if (j->nonempty[j->depth])
			sb_addc(j->out, ',');
		j->nonempty[j->depth] = true;
		newline(j);
	}
}

static void
open(struct json *j, char c)
{
	pre_value(j);
	sb_addc(j->out, c);
	if (++j->depth >= JSON_MAXDEPTH)
		bug("json nesting too deep");
	j->nonempty[j->depth] = false;
}

static void
close(struct json *j, char c)
{
	bool had = j->nonempty[j->depth];

	if (j->depth == 0)
		bug("json close without open");
	j->depth--;
	if (had)
		newline(j);
	sb_addc(j->out, c);
}

void
json_obj_begin(struct json *j)
{
	open(j, '{');
}

void
json_obj_end(struct json *j)
{
	close(j, '}');
}

void
json_arr_begin(struct json *j)
{
	open(j, '[');
}

void
json_arr_end(struct json *j)
{
	close(j, ']');
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
size_t
utf8_seq_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and code points past U+10FFFF are not UTF-8. */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void
json_escape_n(struct strbuf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0;

	sb_addc(b, '"');
	while (i < n) {
		unsigned char c = s[i];
		size_t len;

		/* ASCII but for control characters, quote and backslash (most output) is copied in runs. */
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			i++;
			continue;
		}
		sb_addn(b, str + run, i - run);
		if (c >= 0x80 && (len = utf8_seq_len(s + i, n - i)) > 0) {
			sb_addn(b, str + i, len);
			i += len;
		} else {
			switch (c) {
			case '"':
				sb_add(b, "\\\"");
				break;
			case '\\':
				sb_add(b, "\\\\");
				break;
			case '\n':
				sb_add(b, "\\n");
				break;
			case '\r':
				sb_add(b, "\\r");
				break;
			case '\t':
				sb_add(b, "\\t");
				break;
			default:
				/*
				 * Control bytes, and invalid UTF-8: command output may echo a
				 * client's binary garbage, and the line must stay valid JSON.
				 */
				if (c < 0x80)
					sb_printf(b, "\\u%04x", c);
				else
					sb_add(b, "\\ufffd");
			}
			i++;
		}
		run = i;
	}
	sb_addn(b, str + run, i - run);
	sb_addc(b, '"');
}

void
json_escape(struct strbuf *b, const char *s)
{
	json_escape_n(b, s, strlen(s));
}

void
json_key(struct json *j, const char *k)
{
	pre_value(j);
	json_escape(j->out, k);
	sb_add(j->out, j->pretty ? ": " : ":");
	j->after_key = true;
}

void
json_str(struct json *j, const char *s)
{
	pre_value(j);
	json_escape(j->out, s ? s : "");
}

void
json_int(struct json *j, int64_t v)
{
	pre_value(j);
	sb_printf(j->out, "%" PRId64, v);
}

void
json_double(struct json *j, double v)
{
	pre_value(j);
	if (!isfinite(v))
		sb_add(j->out, "null");
	else
		sb_printf(j->out, "%.10g", v);
}

void
json_bool(struct json *j, bool v)
{
	pre_value(j);
	sb_add(j->out, v ? "true" : "false");
}

void
json_null(struct json *j)
{
	pre_value(j);
	sb_add(j->out, "null");
}

void
json_raw(struct json *j, const char *v)
{
	pre_value(j);
	sb_add(j->out, v);
}
