/*
 * json.h: a streaming JSON writer (and, in jsonparse.c, a small reader).
 *
 * The writer tracks nesting and commas itself, so show commands simply emit
 * keys and values in order. Output is pretty-printed with two-space indents,
 * like FRR's `... json` commands.
 */
#ifndef NETSIM_JSON_H
#define NETSIM_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "hmap.h"
#include "strbuf.h"

#define JSON_MAXDEPTH 32

struct json {
	struct strbuf *out;
	int depth;
	bool pretty;
	bool after_key;
	bool nonempty[JSON_MAXDEPTH];
};

void json_init(struct json *, struct strbuf *out, bool pretty);
void json_obj_begin(struct json *);
void json_obj_end(struct json *);
void json_arr_begin(struct json *);
void json_arr_end(struct json *);
void json_key(struct json *, const char *);
void json_str(struct json *, const char *);
void json_int(struct json *, int64_t);
void json_double(struct json *, double);
void json_bool(struct json *, bool);
void json_null(struct json *);
void json_raw(struct json *, const char *); /* an already-encoded JSON value */

static inline void
json_kv_str(struct json *j, const char *k, const char *v)
{
	json_key(j, k);
	json_str(j, v);
}

static inline void
json_kv_int(struct json *j, const char *k, int64_t v)
{
	json_key(j, k);
	json_int(j, v);
}

static inline void
json_kv_bool(struct json *j, const char *k, bool v)
{
	json_key(j, k);
	json_bool(j, v);
}

static inline void
json_kv_double(struct json *j, const char *k, double v)
{
	json_key(j, k);
	json_double(j, v);
}

/* Append s as a JSON string literal (quoted, escaped). */
/*
 * Append s as a JSON string. Bytes that are not valid UTF-8 become U+FFFD, so
 * the output is valid JSON whatever a command echoes (a client's binary
 * garbage included).
 */
void json_escape(struct strbuf *, const char *s);
void json_escape_n(struct strbuf *, const char *s, size_t len);
/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
size_t utf8_seq_len(const unsigned char *s, size_t n);

/* --- reader --- */
enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype type;
	bool b;
	double num;
	char *str;          /* J_STR */
	struct jval **elem; /* J_ARR, J_OBJ values */
	char **keys;        /* J_OBJ */
	size_t n;
};

/* Parses text; on error returns NULL and writes a message with the byte offset. */
struct jval *json_parse(const char *text, size_t len, char *err, size_t errlen);
void jval_free(struct jval *);
struct jval *jval_get(const struct jval *obj, const char *key); /* NULL if absent */
const char *jval_str(const struct jval *obj, const char *key);  /* NULL if not a string */

/*
 * The keys of one object, to find repeats: the reader refuses a repeated key,
 * wire_value() drops a key that repeats one once made valid UTF-8. The
 * strings are not copied. Small sets are scanned, large ones hashed, so an
 * object of n keys costs O(n) and not O(n^2).
 */
struct jkeys {
	const char **k;
	size_t n, cap;
	struct hmap h; /* str_hash(key) -> index + 1, once n reaches JKEYS_SCANNED */
};
#define JKEYS_INIT {0}
/* Add key; false (and nothing added) when it is already there. */
bool jkeys_add(struct jkeys *, const char *key);
void jkeys_free(struct jkeys *);

#endif
