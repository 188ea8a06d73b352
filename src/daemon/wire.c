/* wire.c: encoding replies and reading requests of the control protocol (see wire.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "wire.h"

char *
wire_utf8(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), i = 0;
	struct strbuf b = STRBUF_INIT;

	while (i < n) {
		size_t len = utf8_seq_len(s + i, n - i);

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
	json_kv_str(&j, "message", sb_str(&msg));
	json_obj_end(&j);
	wire_end(&j);
	sb_free(&msg);
}

char *
wire_id(const struct jval *req)
{
	return wire_id_value(req ? jval_get(req, "id") : NULL);
}

char *
wire_id_value(const struct jval *id)
{
	struct strbuf b = STRBUF_INIT;

	if (id == NULL)
		return xstrdup("null");
	if (id->type == J_NUM && isfinite(id->num)) {
		if (id->num == floor(id->num) && fabs(id->num) < 9e15)
			sb_printf(&b, "%.0f", id->num);
		else
			sb_printf(&b, "%.17g", id->num);
	} else if (id->type == J_STR && strlen(id->str) <= 256) {
		json_escape_n(&b, id->str, strlen(id->str));
	} else {
		sb_add(&b, "null");
	}
	return sb_steal(&b);
}

struct jval *
wire_request(const char *line, size_t len, char **id, const char **code, struct strbuf *msg)
{
	char perr[128];
	struct jval *j = json_parse(line, len, perr, sizeof(perr));
	const struct jval *v;

	if (j == NULL) {
		*id = xstrdup("null");
		*code = "parse-error";
		sb_add(msg, perr);
		return NULL;
	}
	*id = wire_id(j);
	v = jval_get(j, "v");
	if (j->type != J_OBJ) {
		*code = "bad-request";
		sb_add(msg, "a request is a JSON object");
	} else if (v != NULL &&
	    (v->type != J_NUM || v->num < WIRE_MIN_VERSION || v->num > WIRE_VERSION)) {
		*code = "unsupported-version";
		sb_printf(msg, "protocol version %s is not supported; this daemon speaks %d to %d",
		    v->type == J_NUM ? "given" : "(not a number)", WIRE_MIN_VERSION, WIRE_VERSION);
	} else if (jval_str(j, "op") == NULL) {
		*code = "bad-request";
		sb_add(msg, "no \"op\" string");
	} else {
		return j;
	}
	jval_free(j);
	return NULL;
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

/*
 * An object's keys made valid UTF-8: two keys that differ only in invalid
 * bytes ("a\xff", "a\xfe") would become the same key, which no reader of the
 * reply should have to resolve; the first one is kept.
 */
static void
value_obj(struct json *j, const struct jval *v, int depth)
{
	struct jkeys seen = JKEYS_INIT;
	char **keys = xcalloc(v->n + 1, sizeof(*keys));

	json_obj_begin(j);
	for (size_t i = 0; i < v->n; i++) {
		keys[i] = wire_utf8(v->keys[i]);
		if (!jkeys_add(&seen, keys[i]))
			continue;
		json_key(j, keys[i]);
		wire_value(j, v->elem[i], depth + 1);
	}
	json_obj_end(j);
	for (size_t i = 0; i < v->n; i++)
		free(keys[i]);
	free(keys);
	jkeys_free(&seen);
}

void
wire_value(struct json *j, const struct jval *v, int depth)
{
	struct strbuf e = STRBUF_INIT;

	/*
	 * The reader takes 64 levels but the writer holds JSON_MAXDEPTH, and the
	 * value may sit inside a reply already: what would not fit becomes null
	 * (a command printing JSON nested 40 deep must not abort the daemon).
	 */
	if (v == NULL || depth > 64 ||
	    ((v->type == J_ARR || v->type == J_OBJ) && j->depth + 1 >= JSON_MAXDEPTH)) {
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
		json_escape_n(&e, v->str, strlen(v->str));
		json_raw(j, e.s);
		break;
	case J_ARR:
		json_arr_begin(j);
		for (size_t i = 0; i < v->n; i++)
			wire_value(j, v->elem[i], depth + 1);
		json_arr_end(j);
		break;
	case J_OBJ:
		value_obj(j, v, depth);
		break;
	}
	sb_free(&e);
}
