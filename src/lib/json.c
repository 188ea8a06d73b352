/* json.c: streaming JSON writer. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

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

void
json_escape(struct strbuf *b, const char *s)
{
	sb_addc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

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
			if (c < 0x20)
				sb_printf(b, "\\u%04x", c);
			else
				sb_addc(b, (char)c);
		}
	}
	sb_addc(b, '"');
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
