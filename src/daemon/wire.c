/* wire.c: encoding replies and reading requests of the control protocol (see wire.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "wire.h"

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t
utf8_len(const unsigned char *s, size_t n)
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
wire_escape(struct strbuf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0;

	sb_addc(b, '"');
	while (i < n) {
		unsigned char c = s[i];
		size_t len;

		/* Plain printable ASCII, the bulk of any output, is copied in runs. */
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			i++;
			continue;
		}
		sb_addn(b, str + run, i - run);
		if (c >= 0x80 && (len = utf8_len(s + i, n - i)) > 0) {
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

char *
wire_utf8(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), i = 0;
	struct strbuf b = STRBUF_INIT;

	while (i < n) {
		size_t len = utf8_len(s + i, n - i);

		if (len == 0) {
			sb_add(&b, "\xef\xbf\xbd"); /* U+FFFD */
			i++;
		} else {
			sb_addn(&b, str + i, len);
			i += len;
		}
	}
	return sb_steal(&b);
}

void
wire_kv_str(struct json *j, const char *key, const char *s)
{
	/* One buffer, reused: replies are built one at a time. */
	static struct strbuf e;

	sb_reset(&e);
	wire_escape(&e, s ? s : "", s ? strlen(s) : 0);
	json_key(j, key);
	json_raw(j, e.s);
}

void
wire_kv_time(struct json *j, const char *key, sim_time t)
{
	char buf[48];

	/* json_double keeps 6 digits: not enough for milliseconds of a long run. */
	snprintf(buf, sizeof(buf), "%lld.%06lld", (long long)(t / SIM_MS),
	    (long long)(t % SIM_MS));
	json_key(j, key);
	json_raw(j, buf);
}

void
wire_begin(struct json *j, struct strbuf *b, const char *id_raw, bool ok)
{
	json_init(j, b, false);
	json_obj_begin(j);
	json_kv_int(j, "v", WIRE_VERSION);
	json_key(j, "id");
	json_raw(j, id_raw ? id_raw : "null");
	json_kv_bool(j, "ok", ok);
}

void
wire_end(struct json *j)
{
	json_obj_end(j);
	sb_addc(j->out, '\n');
}

void
wire_error(struct strbuf *b, const char *id_raw, const char *code, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	struct json j;
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&msg, fmt, ap);
	va_end(ap);
	wire_begin(&j, b, id_raw, false);
	json_key(&j, "error");
	json_obj_begin(&j);
	json_kv_str(&j, "code", code);
	wire_kv_str(&j, "message", sb_str(&msg));
	json_obj_end(&j);
	wire_end(&j);
	sb_free(&msg);
}

char *
wire_id(const struct jval *req)
{
	const struct jval *id = req ? jval_get(req, "id") : NULL;
	struct strbuf b = STRBUF_INIT;

	if (id == NULL)
		return xstrdup("null");
	if (id->type == J_NUM && isfinite(id->num)) {
		if (id->num == floor(id->num) && fabs(id->num) < 9e15)
			sb_printf(&b, "%.0f", id->num);
		else
			sb_printf(&b, "%.17g", id->num);
	} else if (id->type == J_STR && strlen(id->str) <= 256) {
		wire_escape(&b, id->str, strlen(id->str));
	} else {
		sb_add(&b, "null");
	}
	return sb_steal(&b);
}

bool
wire_bool(const struct jval *o, const char *key, bool dflt)
{
	const struct jval *v = jval_get(o, key);

	return v && v->type == J_BOOL ? v->b : dflt;
}

double
wire_num(const struct jval *o, const char *key, double dflt)
{
	const struct jval *v = jval_get(o, key);

	return v && v->type == J_NUM ? v->num : dflt;
}

void
wire_value(struct json *j, const struct jval *v, int depth)
{
	struct strbuf e = STRBUF_INIT;

	if (v == NULL || depth > 64) {
		json_null(j);
		return;
	}
	switch (v->type) {
	case J_NULL:
		json_null(j);
		break;
	case J_BOOL:
		json_bool(j, v->b);
		break;
	case J_NUM:
		if (!isfinite(v->num))
			json_null(j);
		else if (v->num == floor(v->num) && fabs(v->num) < 9e15)
			json_int(j, (int64_t)v->num);
		else {
			/* The shortest form that reads back as the same double. */
			for (int prec = 15; prec <= 17; prec++) {
				sb_reset(&e);
				sb_printf(&e, "%.*g", prec, v->num);
				if (strtod(e.s, NULL) == v->num)
					break;
			}
			json_raw(j, e.s);
		}
		break;
	case J_STR:
		wire_escape(&e, v->str, strlen(v->str));
		json_raw(j, e.s);
		break;
	case J_ARR:
	case J_OBJ:
		if (v->type == J_OBJ)
			json_obj_begin(j);
		else
			json_arr_begin(j);
		for (size_t i = 0; i < v->n; i++) {
			if (v->type == J_OBJ) {
				char *k = wire_utf8(v->keys[i]);

				json_key(j, k);
				free(k);
			}
			wire_value(j, v->elem[i], depth + 1);
		}
		if (v->type == J_OBJ)
			json_obj_end(j);
		else
			json_arr_end(j);
		break;
	}
	sb_free(&e);
}
