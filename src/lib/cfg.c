/*
 * cfg.c: the configuration tree, its error list and the typed accessors.
 *
 * Every accessor reports at the node it was given and returns false, so a
 * reader can carry on and the user sees all of a file's mistakes at once.
 * Messages always name the field ("for 'mtu'") and quote the offending text,
 * because a position alone is not enough once a file has been generated.
 *
 * A NULL node means "absent": conversions return false without a message
 * (there is no document to report to); the cfg_opt_* helpers are the way to
 * treat absence as "keep the default".
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "util.h"
#include "cfg.h"

/* Longest scalar text quoted back in a message; the position finds the rest. */
#define SHOW_MAX 40
_Static_assert(CFG_SHOW_BUF == SHOW_MAX * 4 + 8, "cfg.h's CFG_SHOW_BUF fits show()");

struct cfg_doc *
cfg_doc_new(const char *file)
{
	struct cfg_doc *doc = xcalloc(1, sizeof(*doc));

	doc->file = xstrdup(file ? file : "<input>");
	sb_init(&doc->errors);
	return doc;
}

struct cfg *
cfg_new(struct cfg_doc *doc, enum cfg_type type, int line, int col)
{
	struct cfg *c = xcalloc(1, sizeof(*c));

	c->type = type;
	c->doc = doc;
	c->line = line;
	c->col = col;
	return c;
}

struct cfg *
cfg_new_scalar(struct cfg_doc *doc, int line, int col, const char *s, size_t len, bool quoted)
{
	struct cfg *c = cfg_new(doc, CFG_SCALAR, line, col);

	c->str = xstrndup(s, len);
	c->quoted = quoted;
	return c;
}

/*
 * struct cfg has no capacity field (it is shared with the Lua side and kept
 * small), so arrays grow to the next power of two and the capacity is implied
 * by n: reallocate exactly when n is 0 or a power of two from 4 up.
 */
static bool
needs_growth(size_t n)
{
	return n == 0 || (n >= 4 && (n & (n - 1)) == 0);
}

static size_t
grown(size_t n)
{
	return n == 0 ? 4 : n * 2;
}

void
cfg_map_add(struct cfg *map, struct cfg *key, struct cfg *val)
{
	if (map->type != CFG_MAP)
		bug("cfg_map_add on a non-mapping");
	if (needs_growth(map->n)) {
		size_t cap = grown(map->n);

		map->k = xrealloc(map->k, cap * sizeof(*map->k));
		map->v = xrealloc(map->v, cap * sizeof(*map->v));
		map->used = xrealloc(map->used, cap * sizeof(*map->used));
	}
	map->k[map->n] = key;
	map->v[map->n] = val;
	map->used[map->n] = false;
	map->n++;
}

void
cfg_seq_add(struct cfg *seq, struct cfg *item)
{
	if (seq->type != CFG_SEQ)
		bug("cfg_seq_add on a non-list");
	if (needs_growth(seq->n))
		seq->v = xrealloc(seq->v, grown(seq->n) * sizeof(*seq->v));
	seq->v[seq->n++] = item;
}

void
cfg_free(struct cfg *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++) {
		cfg_free(c->v[i]);
		if (c->type == CFG_MAP)
			cfg_free(c->k[i]);
	}
	free(c->v);
	free(c->k);
	free(c->used);
	free(c->str);
	free(c);
}

void
cfg_doc_free(struct cfg_doc *doc)
{
	if (doc == NULL)
		return;
	cfg_free(doc->root);
	sb_free(&doc->errors);
	free(doc->file);
	free(doc);
}

/* ---- errors --------------------------------------------------------------------------- */

static void
doc_verror(struct cfg_doc *doc, int line, int col, const char *fmt, va_list ap)
{
	if (line > 0)
		sb_printf(&doc->errors, "%s:%d:%d: ", doc->file, line, col > 0 ? col : 1);
	else
		sb_printf(&doc->errors, "%s: ", doc->file);
	sb_vprintf(&doc->errors, fmt, ap);
	sb_addc(&doc->errors, '\n');
	doc->nerrors++;
}

void
cfg_doc_error(struct cfg_doc *doc, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	doc_verror(doc, line, col, fmt, ap);
	va_end(ap);
}

bool
cfg_error(const struct cfg *at, const char *fmt, ...)
{
	va_list ap;

	if (at == NULL || at->doc == NULL)
		return false;
	va_start(ap, fmt);
	doc_verror(at->doc, at->line, at->col, fmt, ap);
	va_end(ap);
	return false;
}

void
cfg_warn(const struct cfg *at, const char *fmt, ...)
{
	va_list ap;

	if (at == NULL || at->doc == NULL)
		return;
	fprintf(stderr, "%s:%d:%d: warning: ", at->doc->file, at->line, at->col > 0 ? at->col : 1);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- lookups and shape checks --------------------------------------------------------- */

static const char *
text(const struct cfg *c)
{
	return c->str ? c->str : "";
}

bool
cfg_is_null(const struct cfg *c)
{
	return c != NULL && c->type == CFG_SCALAR && !c->quoted && text(c)[0] == '\0';
}

/*
 * The text of a scalar for a message: truncated, with control characters
 * escaped so that one error stays on one line of the error list.
 */
static const char *
show(const struct cfg *c, char buf[SHOW_MAX * 4 + 8])
{
	const unsigned char *s = (const unsigned char *)text(c);
	size_t o = 0, i;

	for (i = 0; s[i] != '\0' && i < SHOW_MAX; i++) {
		if (s[i] == '\n')
			o += (size_t)sprintf(buf + o, "\\n");
		else if (s[i] == '\t')
			o += (size_t)sprintf(buf + o, "\\t");
		else if (s[i] < 0x20 || s[i] == 0x7f)
			o += (size_t)sprintf(buf + o, "\\x%02x", s[i]);
		else
			buf[o++] = (char)s[i];
	}
	if (s[i] != '\0')
		o += (size_t)sprintf(buf + o, "...");
	buf[o] = '\0';
	return buf;
}

const char *
cfg_show(const struct cfg *c, char buf[CFG_SHOW_BUF])
{
	return show(c, buf);
}

/* "a mapping", "a list", "an empty value", "'abc'": what was found instead. */
static const char *
describe(const struct cfg *c, char buf[SHOW_MAX * 4 + 16])
{
	char tmp[SHOW_MAX * 4 + 8];

	if (c->type == CFG_MAP)
		return "a mapping";
	if (c->type == CFG_SEQ)
		return "a list";
	if (cfg_is_null(c))
		return "an empty value";
	snprintf(buf, SHOW_MAX * 4 + 16, "'%s'", show(c, tmp));
	return buf;
}

struct cfg *
cfg_get(const struct cfg *map, const char *key)
{
	if (map == NULL || map->type != CFG_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++) {
		if (map->k[i] != NULL && strcmp(text(map->k[i]), key) == 0) {
			map->used[i] = true;
			return map->v[i];
		}
	}
	return NULL;
}

static bool
is_type(const struct cfg *c, enum cfg_type want, const char *wname, const char *what)
{
	char buf[SHOW_MAX * 4 + 16];

	if (c == NULL)
		return false;
	if (c->type == want)
		return true;
	return cfg_error(c, "expected %s for '%s', got %s", wname, what, describe(c, buf));
}

bool
cfg_is_map(const struct cfg *c, const char *what)
{
	return is_type(c, CFG_MAP, "a mapping", what);
}

bool
cfg_is_seq(const struct cfg *c, const char *what)
{
	return is_type(c, CFG_SEQ, "a list", what);
}

bool
cfg_is_scalar(const struct cfg *c, const char *what)
{
	return is_type(c, CFG_SCALAR, "a single value", what);
}

void
cfg_check_unknown(const struct cfg *map, const char *what)
{
	if (map == NULL || map->type != CFG_MAP)
		return;
	for (size_t i = 0; i < map->n; i++) {
		if (map->used[i])
			continue;
		cfg_error(map->k[i], "unknown key '%s' in %s", text(map->k[i]), what);
		/* Reported once even if a caller checks the same mapping twice. */
		map->used[i] = true;
	}
}

/* ---- scalar conversions --------------------------------------------------------------- */

/*
 * The common prologue of every conversion: the node must be a scalar with a
 * value. Returns its text, or NULL after reporting.
 */
static const char *
value(const struct cfg *c, const char *what, const char *wname)
{
	char buf[SHOW_MAX * 4 + 16];

	if (c == NULL)
		return NULL;
	if (c->type != CFG_SCALAR) {
		cfg_error(c, "expected %s for '%s', got %s", wname, what, describe(c, buf));
		return NULL;
	}
	if (cfg_is_null(c)) {
		cfg_error(c, "missing value for '%s'", what);
		return NULL;
	}
	return text(c);
}

bool
cfg_str(const struct cfg *c, const char *what, const char **out)
{
	char buf[SHOW_MAX * 4 + 16];

	if (c == NULL)
		return false;
	if (c->type != CFG_SCALAR)
		return cfg_error(c, "expected a string for '%s', got %s", what, describe(c, buf));
	/* A quoted "" is a deliberate empty string; a bare `key:` is not. */
	if (cfg_is_null(c))
		return cfg_error(c, "missing value for '%s'", what);
	*out = text(c);
	return true;
}

static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* What a quoted scalar is called in a message, so the user sees why "1500" is no number. */
static const char *
got(const struct cfg *c, char buf[SHOW_MAX * 4 + 32])
{
	char tmp[SHOW_MAX * 4 + 8];

	if (c->quoted)
		snprintf(buf, SHOW_MAX * 4 + 32, "a quoted string \"%s\"", show(c, tmp));
	else
		snprintf(buf, SHOW_MAX * 4 + 32, "'%s'", show(c, tmp));
	return buf;
}

bool
cfg_int(const struct cfg *c, const char *what, long long min, long long max, long long *out)
{
	char range[80], buf[SHOW_MAX * 4 + 32];
	const char *s = value(c, what, "an integer");
	const char *d;
	long long v = 0;
	bool ok = false;

	if (s == NULL)
		return false;
	if (min == LLONG_MIN && max == LLONG_MAX)
		snprintf(range, sizeof(range), "an integer");
	else if (max == LLONG_MAX)
		snprintf(range, sizeof(range), "an integer >= %lld", min);
	else if (min == LLONG_MIN)
		snprintf(range, sizeof(range), "an integer <= %lld", max);
	else
		snprintf(range, sizeof(range), "an integer from %lld to %lld", min, max);

	/* YAML's core schema: decimal only, no "0x", no "1_000", no trailing junk. */
	d = s + (*s == '-' || *s == '+');
	if (!c->quoted && all_digits(d)) {
		char *end;

		errno = 0;
		v = strtoll(s, &end, 10);
		ok = errno == 0 && *end == '\0' && v >= min && v <= max;
	}
	if (!ok)
		return cfg_error(c, "expected %s for '%s', got %s", range, what, got(c, buf));
	*out = v;
	return true;
}

bool
cfg_bool(const struct cfg *c, const char *what, bool *out)
{
	static const char *const yes[] = {"true", "yes", "on"};
	static const char *const no[] = {"false", "no", "off"};
	char buf[SHOW_MAX * 4 + 32];
	const char *s = value(c, what, "true or false");

	if (s == NULL)
		return false;
	/* Quoted "yes" is a string in YAML, and treating it as true would hide a typo'd schema. */
	for (size_t i = 0; !c->quoted && i < ARRAY_LEN(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return cfg_error(c, "expected true or false for '%s', got %s", what, got(c, buf));
}

bool
cfg_ip(const struct cfg *c, const char *what, uint32_t *out)
{
	char buf[SHOW_MAX * 4 + 8];
	const char *s = value(c, what, "an IPv4 address");

	if (s == NULL)
		return false;
	if (!ip_parse(s, out))
		return cfg_error(c, "bad IPv4 address '%s' for '%s'", show(c, buf), what);
	return true;
}

bool
cfg_ip_plen(const struct cfg *c, const char *what, uint32_t *addr, uint8_t *plen)
{
	char buf[SHOW_MAX * 4 + 8];
	const char *s = value(c, what, "an IPv4 address/length");

	if (s == NULL)
		return false;
	if (!ip_plen_parse(s, addr, plen))
		return cfg_error(c, "bad IPv4 address/length '%s' for '%s' (expected a.b.c.d/len)",
		    show(c, buf), what);
	return true;
}

bool
cfg_prefix(const struct cfg *c, const char *what, struct prefix *out)
{
	char buf[SHOW_MAX * 4 + 8];
	const char *s = value(c, what, "an IPv4 prefix");

	if (s == NULL)
		return false;
	if (!prefix_parse(s, out))
		return cfg_error(c, "bad IPv4 prefix '%s' for '%s'", show(c, buf), what);
	return true;
}

/*
 * "12" or "1.5": the syntax every unit-carrying value shares. Stricter than
 * strtod on purpose: no sign, exponent, hex, "inf" or "nan". Returns the end
 * of the number, or NULL if there is none.
 */
static const char *
decimal(const char *s)
{
	if (*s < '0' || *s > '9')
		return NULL;
	while (*s >= '0' && *s <= '9')
		s++;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return NULL;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return s;
}

bool
cfg_time(const struct cfg *c, const char *what, bool bare_is_seconds, sim_time *out)
{
	static const char *const units[] = {"ns", "us", "ms", "s", "m", "min", "h"};
	char buf[SHOW_MAX * 4 + 8];
	const char *s = value(c, what, "a duration");
	const char *u;
	char *tmp;
	sim_time t;
	bool unit_ok;

	if (s == NULL)
		return false;
	u = decimal(s);
	unit_ok = u != NULL;
	if (u != NULL) {
		while (*u == ' ')
			u++;
		unit_ok = *u == '\0';
		for (size_t i = 0; !unit_ok && i < ARRAY_LEN(units); i++)
			unit_ok = strcmp(u, units[i]) == 0;
	}
	if (!unit_ok)
		return cfg_error(c, "expected a duration such as 100ms, 2s or 250us for '%s', "
		    "got '%s'", what, show(c, buf));
	/* sim_time_parse is the one definition of the units; it reads a bare number as ms. */
	tmp = xasprintf("%s%s", s, *u == '\0' && bare_is_seconds ? "s" : "");
	t = sim_time_parse(tmp);
	free(tmp);
	if (t < 0)
		return cfg_error(c, "duration '%s' for '%s' is too large", show(c, buf), what);
	*out = t;
	return true;
}

bool
cfg_bandwidth(const struct cfg *c, const char *what, uint64_t *bps)
{
	static const struct {
		char c;
		uint64_t mult;
	} si[] = {
		{'k', 1000ULL}, {'m', 1000000ULL}, {'g', 1000000000ULL}, {'t', 1000000000000ULL},
	};
	char buf[SHOW_MAX * 4 + 8];
	const char *s = value(c, what, "a bandwidth");
	const char *u, *p;
	uint64_t mult = 1, ip = 0, frac = 0, scale;

	if (s == NULL)
		return false;
	u = decimal(s);
	if (u == NULL)
		goto bad;
	while (*u == ' ')
		u++;
	/* Decimal SI prefixes, as link speeds are quoted: 1G is 10^9 bit/s, never 2^30. */
	for (size_t i = 0; i < ARRAY_LEN(si); i++) {
		if (*u != '\0' && (*u | 0x20) == si[i].c) {
			mult = si[i].mult;
			u++;
			break;
		}
	}
	if (*u != '\0' && strcasecmp(u, "bps") != 0 && strcasecmp(u, "bit/s") != 0)
		goto bad;

	/* Integer arithmetic, so "1.5G" is exactly 1500000000 on every machine. */
	for (p = s; *p >= '0' && *p <= '9'; p++) {
		if (ip > (UINT64_MAX - 9) / 10)
			goto big;
		ip = ip * 10 + (uint64_t)(*p - '0');
	}
	scale = mult;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (scale % 10 != 0) {
				/* Below one bit per second: round on the first dropped digit. */
				frac += *p >= '5';
				break;
			}
			scale /= 10;
			frac += (uint64_t)(*p - '0') * scale;
		}
	}
	if (ip > (UINT64_MAX - frac) / mult)
		goto big;
	*bps = ip * mult + frac;
	return true;
bad:
	return cfg_error(c, "expected a bandwidth such as 100M, 1Gbps or 10000000 for '%s', "
	    "got '%s'", what, show(c, buf));
big:
	return cfg_error(c, "bandwidth '%s' for '%s' is too large", show(c, buf), what);
}

bool
cfg_percent(const struct cfg *c, const char *what, double *out)
{
	char buf[SHOW_MAX * 4 + 8];
	const char *s = value(c, what, "a percentage");
	const char *e;
	double v;

	if (s == NULL)
		return false;
	e = decimal(s);
	if (e == NULL || (*e != '\0' && strcmp(e, "%") != 0))
		goto bad;
	v = strtod(s, NULL);
	if (v < 0 || v > 100)
		goto bad;
	*out = v;
	return true;
bad:
	return cfg_error(c, "expected a percentage from 0 to 100 for '%s', got '%s'", what,
	    show(c, buf));
}

bool
cfg_dotted32(const struct cfg *c, const char *what, uint32_t *out)
{
	char buf[SHOW_MAX * 4 + 8];
	const char *s = value(c, what, "a number or dotted quad");
	unsigned long long v;

	if (s == NULL)
		return false;
	if (strchr(s, '.') != NULL) {
		if (ip_parse(s, out))
			return true;
	} else if (all_digits(s)) {
		errno = 0;
		v = strtoull(s, NULL, 10);
		if (errno == 0 && v <= UINT32_MAX) {
			*out = (uint32_t)v;
			return true;
		}
	}
	return cfg_error(c, "expected a number from 0 to 4294967295 or a dotted quad for '%s', "
	    "got '%s'", what, show(c, buf));
}

/* ---- look up and convert -------------------------------------------------------------- */

bool
cfg_opt_str(const struct cfg *map, const char *key, const char **out)
{
	struct cfg *c = cfg_get(map, key);

	return c == NULL || cfg_str(c, key, out);
}

const struct cfg *
cfg_doc_list(const struct cfg_doc *doc, const char *key)
{
	const struct cfg *list = doc->root;
	char what[64];

	if (list == NULL || doc->nerrors > 0)
		return NULL;
	if (list->type == CFG_MAP) {
		const struct cfg *v = cfg_get(list, key);

		snprintf(what, sizeof(what), "the %s file", key);
		cfg_check_unknown(list, what);
		if (v == NULL) {
			cfg_error(list, "expected a list of %s, or '%s:' with one", key, key);
			return NULL;
		}
		list = v;
	}
	return cfg_is_seq(list, key) ? list : NULL;
}

bool
cfg_need_str(const struct cfg *map, const char *key, const char *what, const char **out)
{
	struct cfg *v = cfg_get(map, key);

	if (v == NULL)
		return cfg_error(map, "%s needs '%s'", what, key);
	return cfg_str(v, key, out);
}

bool
cfg_opt_int(const struct cfg *map, const char *key, long long min, long long max,
    long long *out)
{
	struct cfg *c = cfg_get(map, key);

	return c == NULL || cfg_int(c, key, min, max, out);
}

bool
cfg_opt_bool(const struct cfg *map, const char *key, bool *out)
{
	struct cfg *c = cfg_get(map, key);

	return c == NULL || cfg_bool(c, key, out);
}

bool
cfg_opt_time(const struct cfg *map, const char *key, bool bare_is_seconds, sim_time *out)
{
	struct cfg *c = cfg_get(map, key);

	return c == NULL || cfg_time(c, key, bare_is_seconds, out);
}

bool
cfg_seconds(const struct cfg *c, const char *what, long long min, long long max, const char *why,
    long long *out)
{
	sim_time t;

	if (!cfg_time(c, what, true, &t))
		return false;
	if (t % SIM_S != 0 || t / SIM_S < min || t / SIM_S > max)
		return cfg_error(c, "'%s' must be a whole number of seconds from %lld to %lld (%s)", what,
		    min, max, why);
	*out = t / SIM_S;
	return true;
}

bool
cfg_opt_seconds(const struct cfg *map, const char *key, long long max, const char *why,
    uint32_t *out)
{
	const struct cfg *c = cfg_get(map, key);
	long long v;

	if (c == NULL)
		return true;
	if (!cfg_seconds(c, key, 1, max, why, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

bool
cfg_keyword(const struct cfg *c, const char *what, const struct cfg_word *w, size_t n,
    const char *expected, int *out)
{
	const char *s;

	if (!cfg_str(c, what, &s))
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, w[i].name) == 0) {
			*out = w[i].value;
			return true;
		}
	return cfg_error(c, "unknown %s '%s' (expected %s)", what, s, expected);
}
