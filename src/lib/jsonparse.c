/*
 * jsonparse.c: a small recursive-descent JSON reader (RFC 8259), bounded depth.
 *
 * Stricter than the RFC in two places, both because a reader that accepts
 * them lets one text mean two things:
 *   - a string may not contain U+0000 (written \u0000): netsim's strings are
 *     C strings, so "show ip route\u0000; x" would silently become
 *     "show ip route";
 *   - an object may not repeat a key (RFC 8259 section 4 leaves the meaning of
 *     duplicate names to the implementation; readers disagree on which wins).
 * Both errors name the key concerned.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util.h"

struct jp {
	const char *s;
	size_t len, pos;
	int depth;
	const char *key; /* the innermost object member being read, for messages */
	char *err;
	size_t errlen;
	bool failed;
};

static void
fail(struct jp *p, const char *what)
{
	if (!p->failed)
		snprintf(p->err, p->errlen, "%s at byte %zu", what, p->pos);
	p->failed = true;
}

static void
ws(struct jp *p)
{
	while (p->pos < p->len && strchr(" \t\r\n", p->s[p->pos]) && p->s[p->pos])
		p->pos++;
}

static bool
lit(struct jp *p, const char *w)
{
	size_t n = strlen(w);

	if (p->len - p->pos >= n && memcmp(p->s + p->pos, w, n) == 0) {
		p->pos += n;
		return true;
	}
	return false;
}

static void
put_utf8(struct strbuf *b, unsigned cp)
{
	if (cp < 0x80) {
		sb_addc(b, (char)cp);
	} else if (cp < 0x800) {
		sb_addc(b, (char)(0xc0 | cp >> 6));
		sb_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		sb_addc(b, (char)(0xe0 | cp >> 12));
		sb_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sb_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		sb_addc(b, (char)(0xf0 | cp >> 18));
		sb_addc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		sb_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sb_addc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

static int
hex4(struct jp *p)
{
	unsigned v = 0;

	if (p->len - p->pos < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = p->s[p->pos++];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	return (int)v;
}

/* \u0000 in a string: refused, naming where it was (see the top of the file). */
static void
fail_nul(struct jp *p, bool is_key)
{
	char what[96];

	if (is_key || p->key == NULL) {
		fail(p, is_key ? "NUL character (\\u0000) in an object key" :
		    "NUL character (\\u0000) in a string");
		return;
	}
	snprintf(what, sizeof(what), "NUL character (\\u0000) in the value of \"%.40s\"", p->key);
	fail(p, what);
}

static char *
string(struct jp *p, bool is_key)
{
	struct strbuf b = STRBUF_INIT;

	p->pos++; /* opening quote */
	while (p->pos < p->len) {
		char c = p->s[p->pos++];

		if (c == '"')
			return sb_steal(&b);
		if ((unsigned char)c < 0x20) {
			fail(p, "control character in string");
			break;
		}
		if (c != '\\') {
			sb_addc(&b, c);
			continue;
		}
		if (p->pos >= p->len)
			break;
		c = p->s[p->pos++];
		switch (c) {
		case '"': case '\\': case '/':
			sb_addc(&b, c);
			break;
		case 'b': sb_addc(&b, '\b'); break;
		case 'f': sb_addc(&b, '\f'); break;
		case 'n': sb_addc(&b, '\n'); break;
		case 'r': sb_addc(&b, '\r'); break;
		case 't': sb_addc(&b, '\t'); break;
		case 'u': {
			int cp = hex4(p);

			if (cp < 0) {
				fail(p, "bad \\u escape");
				sb_free(&b);
				return NULL;
			}
			/* A surrogate pair is one character; a lone surrogate is refused. */
			if (cp >= 0xd800 && cp < 0xdc00) {
				bool esc = lit(p, "\\u");
				int lo = esc ? hex4(p) : -1;

				if (esc && lo < 0) {
					fail(p, "bad \\u escape");
					sb_free(&b);
					return NULL;
				}
				if (lo < 0xdc00 || lo >= 0xe000) {
					fail(p, "lone UTF-16 surrogate in \\u escape");
					sb_free(&b);
					return NULL;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp < 0xe000) {
				fail(p, "lone UTF-16 surrogate in \\u escape");
				sb_free(&b);
				return NULL;
			} else if (cp == 0) {
				p->pos -= 6; /* point at the escape */
				fail_nul(p, is_key);
				sb_free(&b);
				return NULL;
			}
			put_utf8(&b, (unsigned)cp);
			break;
		}
		default:
			fail(p, "bad escape");
			sb_free(&b);
			return NULL;
		}
	}
	fail(p, "unterminated string");
	sb_free(&b);
	return NULL;
}

static struct jval *value(struct jp *p);

static size_t
digits(const char *s, size_t len, size_t i)
{
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	return i;
}

/*
 * The length of the number at s by RFC 8259 section 6:
 *   [ "-" ] ( "0" / 1-9 *DIGIT ) [ "." 1*DIGIT ] [ ( "e" / "E" ) [ "+" / "-" ] 1*DIGIT ]
 * or 0 when s does not start with one (or one continues with junk).
 */
static size_t
number_len(const char *s, size_t len)
{
	size_t i = 0, j;

	if (i < len && s[i] == '-')
		i++;
	if (i >= len || s[i] < '0' || s[i] > '9')
		return 0;
	i = s[i] == '0' ? i + 1 : digits(s, len, i);
	if (i < len && s[i] == '.') {
		if ((j = digits(s, len, i + 1)) == i + 1)
			return 0;
		i = j;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if ((j = digits(s, len, i)) == i)
			return 0;
		i = j;
	}
	/* "01", "1.2.3", "1e5e": a number does not run into more number characters. */
	if (i < len && strchr("0123456789.eE+-", s[i]) && s[i])
		return 0;
	return i;
}

static struct jval *
newval(enum jtype t)
{
	struct jval *v = xcalloc(1, sizeof(*v));

	v->type = t;
	return v;
}

#define JKEYS_SCANNED 16

static bool
jkeys_has(const struct jkeys *ks, const char *key)
{
	size_t i;

	if (ks->n <= JKEYS_SCANNED) {
		for (i = 0; i < ks->n; i++)
			if (strcmp(ks->k[i], key) == 0)
				return true;
		return false;
	}
	if ((i = (size_t)(uintptr_t)hmap_get(&ks->h, str_hash(key))) == 0)
		return false;
	if (strcmp(ks->k[i - 1], key) == 0)
		return true;
	/* Another key with the same hash: rare enough for a full scan. */
	for (i = 0; i < ks->n; i++)
		if (strcmp(ks->k[i], key) == 0)
			return true;
	return false;
}

bool
jkeys_add(struct jkeys *ks, const char *key)
{
	if (jkeys_has(ks, key))
		return false;
	VEC_PUSH(ks->k, ks->n, ks->cap, key);
	if (ks->n == JKEYS_SCANNED + 1) {
		/* From here on hashed; the first of equal hashes keeps the slot. */
		for (size_t i = ks->n; i-- > 0;)
			hmap_put(&ks->h, str_hash(ks->k[i]), (void *)(uintptr_t)(i + 1));
	} else if (ks->n > JKEYS_SCANNED && hmap_get(&ks->h, str_hash(key)) == NULL) {
		hmap_put(&ks->h, str_hash(key), (void *)(uintptr_t)ks->n);
	}
	return true;
}

void
jkeys_free(struct jkeys *ks)
{
	free(ks->k);
	hmap_free(&ks->h);
	*ks = (struct jkeys)JKEYS_INIT;
}

static struct jval *
container(struct jp *p, bool obj)
{
	struct jval *v = newval(obj ? J_OBJ : J_ARR);
	size_t cap = 0, kcap = 0;
	char close = obj ? '}' : ']';
	const char *outer_key = p->key;
	struct jkeys seen = JKEYS_INIT;

	if (++p->depth > 64) {
		fail(p, "nesting too deep");
		return v;
	}
	p->pos++;
	ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		p->depth--;
		return v;
	}
	for (;;) {
		char *key = NULL;
		struct jval *e;

		ws(p);
		if (obj) {
			size_t at = p->pos;

			if (p->pos >= p->len || p->s[p->pos] != '"') {
				fail(p, "expected a string key");
				break;
			}
			if ((key = string(p, true)) == NULL)
				break;
			if (!jkeys_add(&seen, key)) {
				char what[64];

				snprintf(what, sizeof(what), "duplicate key \"%.40s\"", key);
				p->pos = at;
				fail(p, what);
				free(key);
				break;
			}
			ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':') {
				free(key);
				fail(p, "expected ':'");
				break;
			}
			p->pos++;
			p->key = key;
		}
		e = value(p);
		p->key = outer_key;
		if (e == NULL) {
			free(key);
			break;
		}
		grow_array((void **)&v->elem, &cap, v->n + 1, sizeof(*v->elem));
		if (obj) {
			grow_array((void **)&v->keys, &kcap, v->n + 1, sizeof(*v->keys));
			v->keys[v->n] = key;
		}
		v->elem[v->n++] = e;
		ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == close) {
			p->pos++;
			p->depth--;
			jkeys_free(&seen);
			return v;
		}
		fail(p, obj ? "expected ',' or '}'" : "expected ',' or ']'");
		break;
	}
	jkeys_free(&seen);
	return v;
}

static struct jval *
value(struct jp *p)
{
	struct jval *v;

	ws(p);
	if (p->failed)
		return NULL;
	if (p->pos >= p->len) {
		fail(p, "unexpected end of input");
		return NULL;
	}
	switch (p->s[p->pos]) {
	case '{':
	case '[':
		v = container(p, p->s[p->pos] == '{');
		if (p->failed) {
			jval_free(v);
			return NULL;
		}
		return v;
	case '"': {
		char *s = string(p, false);

		if (s == NULL)
			return NULL;
		v = newval(J_STR);
		v->str = s;
		return v;
	}
	}
	if (lit(p, "true") || lit(p, "false")) {
		v = newval(J_BOOL);
		v->b = p->s[p->pos - 1] == 'e' && p->s[p->pos - 2] == 'u';
		return v;
	}
	if (lit(p, "null"))
		return newval(J_NULL);
	{
		char buf[64];
		size_t n = number_len(p->s + p->pos, p->len - p->pos);

		if (n == 0 || n >= sizeof(buf)) {
			fail(p, n == 0 && !strchr("+-.0123456789", p->s[p->pos]) ?
				"unexpected character" : "bad number");
			return NULL;
		}
		memcpy(buf, p->s + p->pos, n);
		buf[n] = '\0';
		v = newval(J_NUM);
		v->num = strtod(buf, NULL);
		p->pos += n;
		return v;
	}
}

struct jval *
json_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct jp p = {.s = text, .len = len, .err = err, .errlen = errlen};
	struct jval *v = value(&p);

	if (v != NULL) {
		ws(&p);
		if (p.pos != p.len) {
			fail(&p, "trailing characters");
			jval_free(v);
			return NULL;
		}
	}
	return v;
}

void
jval_free(struct jval *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < v->n; i++) {
		jval_free(v->elem[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->elem);
	free(v->keys);
	free(v->str);
	free(v);
}

struct jval *
jval_get(const struct jval *o, const char *key)
{
	if (o == NULL || o->type != J_OBJ)
		return NULL;
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->keys[i], key) == 0)
			return o->elem[i];
	return NULL;
}

const char *
jval_str(const struct jval *o, const char *key)
{
	struct jval *v = jval_get(o, key);

	return v && v->type == J_STR ? v->str : NULL;
}
