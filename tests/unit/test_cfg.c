/*
 * test_cfg.c: the configuration tree (src/topo/cfg.c) and the YAML loader
 * (src/topo/yaml.c): conversions with their exact messages, positions,
 * duplicate and unknown keys, YAML styles, aliases and their limits, syntax
 * errors, and every prefix and one-character mutation of a document: no
 * crash or leak, and every refusal is explained by errors with a position
 * inside the text, the same on a second parse.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/strbuf.h"
#include "lib/util.h"
#include "lib/cfg.h"

static struct cfg_doc *
parse(const char *text)
{
	return cfg_parse_yaml("t.yaml", text, strlen(text));
}

static const char *
errors(const struct cfg_doc *doc)
{
	return sb_str(&doc->errors);
}

/* Whether one()'s last value was empty: libyaml places an empty value just after the colon. */
static bool empty_value;

/* A document "KEY: VALUE"; *node is the value. The caller frees the document. */
static struct cfg_doc *
one(const char *key, const char *value, struct cfg **node)
{
	char *text = xasprintf("%s: %s\n", key, value);
	struct cfg_doc *doc = parse(text);

	empty_value = value[0] == '\0';
	free(text);
	assert_non_null(doc->root);
	assert_int_equal(doc->nerrors, 0);
	*node = cfg_get(doc->root, key);
	assert_non_null(*node);
	return doc;
}

/*
 * After a conversion of the value in one(key, value): either it succeeded and
 * reported nothing, or it failed with exactly err at the value's column (for
 * a missing value, just after the colon).
 */
static void
check(struct cfg_doc *doc, const char *key, bool ok, const char *err)
{
	if (err == NULL) {
		assert_true(ok);
		assert_string_equal(errors(doc), "");
		return;
	}
	char *want = xasprintf("t.yaml:1:%zu: %s\n", strlen(key) + 3 - empty_value, err);

	assert_false(ok);
	assert_string_equal(errors(doc), want);
	assert_int_equal(doc->nerrors, 1);
	free(want);
}

/* ---- conversions ---------------------------------------------------------------------- */

static void
test_int(void **state UNUSED)
{
	static const struct {
		const char *v;
		long long min, max, want;
		const char *err;
	} cases[] = {
	    {"1500", 1, 65535, 1500, NULL},
	    {"65535", 1, 65535, 65535, NULL},
	    {"-5", -10, 10, -5, NULL},
	    {"+7", 0, 10, 7, NULL},
	    {"007", 0, 10, 7, NULL},
	    {"-9223372036854775808", LLONG_MIN, LLONG_MAX, LLONG_MIN, NULL},
	    {"abc", 1, 65535, 0, "expected an integer from 1 to 65535 for 'mtu', got 'abc'"},
	    {"70000", 1, 65535, 0, "expected an integer from 1 to 65535 for 'mtu', got '70000'"},
	    {"0", 1, 65535, 0, "expected an integer from 1 to 65535 for 'mtu', got '0'"},
	    {"12abc", 1, 65535, 0, "expected an integer from 1 to 65535 for 'mtu', got '12abc'"},
	    {"1.5", 1, 65535, 0, "expected an integer from 1 to 65535 for 'mtu', got '1.5'"},
	    {"0x10", 1, 65535, 0, "expected an integer from 1 to 65535 for 'mtu', got '0x10'"},
	    {"1_000", 1, 65535, 0, "expected an integer from 1 to 65535 for 'mtu', got '1_000'"},
	    {"--1", 1, 65535, 0, "expected an integer from 1 to 65535 for 'mtu', got '--1'"},
	    {"99999999999999999999", LLONG_MIN, LLONG_MAX, 0,
		"expected an integer for 'mtu', got '99999999999999999999'"},
	    {"-1", 0, LLONG_MAX, 0, "expected an integer >= 0 for 'mtu', got '-1'"},
	    {"11", LLONG_MIN, 10, 0, "expected an integer <= 10 for 'mtu', got '11'"},
	    {"\"1500\"", 1, 65535, 0,
		"expected an integer from 1 to 65535 for 'mtu', got a quoted string \"1500\""},
	    {"", 1, 65535, 0, "missing value for 'mtu'"},
	    {"~", 1, 65535, 0, "missing value for 'mtu'"},
	    {"null", 1, 65535, 0, "missing value for 'mtu'"},
	    {"[1]", 1, 65535, 0, "expected an integer for 'mtu', got a list"},
	    {"{a: 1}", 1, 65535, 0, "expected an integer for 'mtu', got a mapping"},
	};

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct cfg *c;
		struct cfg_doc *doc = one("mtu", cases[i].v, &c);
		long long v = 42;
		bool ok = cfg_int(c, "mtu", cases[i].min, cases[i].max, &v);

		check(doc, "mtu", ok, cases[i].err);
		assert_int_equal(v, cases[i].err ? 42 : cases[i].want);
		cfg_doc_free(doc);
	}
}

static void
test_bool(void **state UNUSED)
{
	static const struct {
		const char *v;
		bool want;
		const char *err;
	} cases[] = {
	    {"true", true, NULL},
	    {"false", false, NULL},
	    {"yes", true, NULL},
	    {"no", false, NULL},
	    {"on", true, NULL},
	    {"off", false, NULL},
	    {"True", true, NULL},
	    {"NO", false, NULL},
	    {"maybe", false, "expected true or false for 'shutdown', got 'maybe'"},
	    {"1", false, "expected true or false for 'shutdown', got '1'"},
	    {"\"yes\"", false,
		"expected true or false for 'shutdown', got a quoted string \"yes\""},
	    {"'off'", false, "expected true or false for 'shutdown', got a quoted string \"off\""},
	    {"", false, "missing value for 'shutdown'"},
	    {"[true]", false, "expected true or false for 'shutdown', got a list"},
	};

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct cfg *c;
		struct cfg_doc *doc = one("shutdown", cases[i].v, &c);
		bool v = !cases[i].want;

		check(doc, "shutdown", cfg_bool(c, "shutdown", &v), cases[i].err);
		if (cases[i].err == NULL)
			assert_int_equal(v, cases[i].want);
		cfg_doc_free(doc);
	}
}

static void
test_str(void **state UNUSED)
{
	struct cfg *c;
	struct cfg_doc *doc;
	const char *s = NULL;

	doc = one("name", "r1", &c);
	check(doc, "name", cfg_str(c, "name", &s), NULL);
	assert_string_equal(s, "r1");
	cfg_doc_free(doc);

	/* A quoted empty string is a value; a bare `name:` is not. */
	doc = one("name", "\"\"", &c);
	check(doc, "name", cfg_str(c, "name", &s), NULL);
	assert_string_equal(s, "");
	cfg_doc_free(doc);

	doc = one("name", "", &c);
	check(doc, "name", cfg_str(c, "name", &s), "missing value for 'name'");
	cfg_doc_free(doc);

	doc = one("name", "{a: 1}", &c);
	check(doc, "name", cfg_str(c, "name", &s), "expected a string for 'name', got a mapping");
	cfg_doc_free(doc);

	/* Numbers are strings too when a string is asked for. */
	doc = one("name", "65001", &c);
	check(doc, "name", cfg_str(c, "name", &s), NULL);
	assert_string_equal(s, "65001");
	cfg_doc_free(doc);
}

static void
test_ip(void **state UNUSED)
{
	struct cfg *c;
	struct cfg_doc *doc;
	uint32_t a = 0;
	uint8_t len = 0;
	struct prefix p;

	doc = one("ip", "10.0.1.1", &c);
	check(doc, "ip", cfg_ip(c, "ip", &a), NULL);
	assert_int_equal(a, 0x0a000101);
	cfg_doc_free(doc);

	doc = one("ip", "10.0.1.300", &c);
	check(doc, "ip", cfg_ip(c, "ip", &a), "bad IPv4 address '10.0.1.300' for 'ip'");
	cfg_doc_free(doc);

	doc = one("ip", "10.0.1", &c);
	check(doc, "ip", cfg_ip(c, "ip", &a), "bad IPv4 address '10.0.1' for 'ip'");
	cfg_doc_free(doc);

	doc = one("ip", "", &c);
	check(doc, "ip", cfg_ip(c, "ip", &a), "missing value for 'ip'");
	cfg_doc_free(doc);

	doc = one("ip", "[10.0.0.1]", &c);
	check(doc, "ip", cfg_ip(c, "ip", &a), "expected an IPv4 address for 'ip', got a list");
	cfg_doc_free(doc);

	doc = one("ip", "10.0.12.1/24", &c);
	check(doc, "ip", cfg_ip_plen(c, "ip", &a, &len), NULL);
	assert_int_equal(a, 0x0a000c01);
	assert_int_equal(len, 24);
	cfg_doc_free(doc);

	doc = one("ip", "10.0.12.1", &c);
	check(doc, "ip", cfg_ip_plen(c, "ip", &a, &len),
	    "bad IPv4 address/length '10.0.12.1' for 'ip' (expected a.b.c.d/len)");
	cfg_doc_free(doc);

	doc = one("ip", "10.0.12.1/33", &c);
	check(doc, "ip", cfg_ip_plen(c, "ip", &a, &len),
	    "bad IPv4 address/length '10.0.12.1/33' for 'ip' (expected a.b.c.d/len)");
	cfg_doc_free(doc);

	doc = one("network", "10.1.2.3/8", &c);
	check(doc, "network", cfg_prefix(c, "network", &p), NULL);
	assert_int_equal(p.addr, 0x0a000000);
	assert_int_equal(p.len, 8);
	cfg_doc_free(doc);

	doc = one("network", "10.0.0.0/", &c);
	check(doc, "network", cfg_prefix(c, "network", &p),
	    "bad IPv4 prefix '10.0.0.0/' for 'network'");
	cfg_doc_free(doc);
}

#define DUR "expected a duration such as 100ms, 2s or 250us for 'hello', got "

static void
test_time(void **state UNUSED)
{
	static const struct {
		const char *v;
		bool secs;
		sim_time want;
		const char *err;
	} cases[] = {
	    {"100ms", false, 100 * SIM_MS, NULL},
	    {"2s", false, 2 * SIM_S, NULL},
	    {"250us", false, 250 * SIM_US, NULL},
	    {"1.5s", false, 1500 * SIM_MS, NULL},
	    {"1m", false, 60 * SIM_S, NULL},
	    {"1h", false, 3600 * SIM_S, NULL},
	    {"10ns", false, 10, NULL},
	    {"100 ms", false, 100 * SIM_MS, NULL},
	    {"\"40s\"", false, 40 * SIM_S, NULL},
	    {"10", false, 10 * SIM_MS, NULL},
	    {"10", true, 10 * SIM_S, NULL},
	    {"1.5", true, 1500 * SIM_MS, NULL},
	    {"0", false, 0, NULL},
	    {"abc", false, 0, DUR "'abc'"},
	    {"-1s", false, 0, DUR "'-1s'"},
	    {"1e3", false, 0, DUR "'1e3'"},
	    {"10 parsecs", false, 0, DUR "'10 parsecs'"},
	    {"1.s", false, 0, DUR "'1.s'"},
	    {".5s", false, 0, DUR "'.5s'"},
	    {"inf", false, 0, DUR "'inf'"},
	    {"99999999999h", false, 0, "duration '99999999999h' for 'hello' is too large"},
	    {"", false, 0, "missing value for 'hello'"},
	    {"{s: 1}", false, 0, "expected a duration for 'hello', got a mapping"},
	};

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct cfg *c;
		struct cfg_doc *doc = one("hello", cases[i].v, &c);
		sim_time t = -7;

		check(doc, "hello", cfg_time(c, "hello", cases[i].secs, &t), cases[i].err);
		assert_int_equal(t, cases[i].err ? -7 : cases[i].want);
		cfg_doc_free(doc);
	}
}

static void
test_bandwidth(void **state UNUSED)
{
	static const char bad[] =
	    "expected a bandwidth such as 100M, 1Gbps or 10000000 for 'bw', got";
	static const struct {
		const char *v;
		uint64_t want;
		const char *err; /* after bad[] unless it starts with '!' */
	} cases[] = {
	    {"100M", 100000000ULL, NULL},
	    {"100Mbps", 100000000ULL, NULL},
	    {"100mbps", 100000000ULL, NULL},
	    {"1G", 1000000000ULL, NULL},
	    {"1Gbps", 1000000000ULL, NULL},
	    {"1.5Gbps", 1500000000ULL, NULL},
	    {"10k", 10000ULL, NULL},
	    {"10 Mbit/s", 10000000ULL, NULL},
	    {"0.5k", 500ULL, NULL},
	    {"10000000", 10000000ULL, NULL},
	    {"1000bps", 1000ULL, NULL},
	    {"1T", 1000000000000ULL, NULL},
	    {"1.5", 2ULL, NULL},
	    {"fast", 0, " 'fast'"},
	    {"100MB", 0, " '100MB'"},
	    {"-1M", 0, " '-1M'"},
	    {"1e9", 0, " '1e9'"},
	    {"G", 0, " 'G'"},
	    {"99999999999T", 0, "!bandwidth '99999999999T' for 'bw' is too large"},
	    {"", 0, "!missing value for 'bw'"},
	};

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct cfg *c;
		struct cfg_doc *doc = one("bw", cases[i].v, &c);
		uint64_t bps = 7;
		const char *e = cases[i].err;
		char *err = e == NULL ? NULL :
		    e[0] == '!' ? xstrdup(e + 1) : xasprintf("%s%s", bad, e);

		check(doc, "bw", cfg_bandwidth(c, "bw", &bps), err);
		assert_int_equal(bps, err ? 7 : cases[i].want);
		free(err);
		cfg_doc_free(doc);
	}
}

static void
test_percent(void **state UNUSED)
{
	static const struct {
		const char *v;
		double want;
		bool ok;
	} cases[] = {
	    {"5", 5, true}, {"5%", 5, true}, {"0.5", 0.5, true}, {"0.5%", 0.5, true},
	    {"100", 100, true}, {"0", 0, true}, {"150", 0, false}, {"100.1", 0, false},
	    {"-1", 0, false}, {"abc", 0, false}, {"5%%", 0, false}, {"1e1", 0, false},
	    {"5 %", 0, false},
	};

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct cfg *c;
		struct cfg_doc *doc = one("loss", cases[i].v, &c);
		double v = -1;
		char *err = cases[i].ok ? NULL :
		    xasprintf("expected a percentage from 0 to 100 for 'loss', got '%s'",
			cases[i].v);

		check(doc, "loss", cfg_percent(c, "loss", &v), err);
		if (cases[i].ok)
			assert_true(v == cases[i].want);
		else
			assert_true(v == -1);
		free(err);
		cfg_doc_free(doc);
	}
}

static void
test_dotted32(void **state UNUSED)
{
	static const struct {
		const char *v;
		uint32_t want;
		bool ok;
	} cases[] = {
	    {"0", 0, true}, {"1", 1, true}, {"0.0.0.1", 1, true}, {"0.0.0.0", 0, true},
	    {"4294967295", 4294967295u, true}, {"1.2.3.4", 0x01020304, true},
	    {"4294967296", 0, false}, {"99999999999999999999999", 0, false}, {"1.2.3", 0, false},
	    {"a", 0, false}, {"-1", 0, false}, {"1.2.3.256", 0, false},
	};

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct cfg *c;
		struct cfg_doc *doc = one("area", cases[i].v, &c);
		uint32_t v = 77;
		char *err = cases[i].ok ? NULL :
		    xasprintf("expected a number from 0 to 4294967295 or a dotted quad for 'area', "
			"got '%s'", cases[i].v);

		check(doc, "area", cfg_dotted32(c, "area", &v), err);
		assert_int_equal(v, cases[i].ok ? cases[i].want : 77);
		free(err);
		cfg_doc_free(doc);
	}
}

static void
test_shapes(void **state UNUSED)
{
	struct cfg *c;
	struct cfg_doc *doc;

	doc = one("ospf", "[1, 2]", &c);
	check(doc, "ospf", cfg_is_map(c, "ospf"), "expected a mapping for 'ospf', got a list");
	cfg_doc_free(doc);

	doc = one("ospf", "yes", &c);
	check(doc, "ospf", cfg_is_map(c, "ospf"), "expected a mapping for 'ospf', got 'yes'");
	cfg_doc_free(doc);

	doc = one("ospf", "", &c);
	check(doc, "ospf", cfg_is_map(c, "ospf"),
	    "expected a mapping for 'ospf', got an empty value");
	cfg_doc_free(doc);

	doc = one("links", "{a: 1}", &c);
	check(doc, "links", cfg_is_seq(c, "links"), "expected a list for 'links', got a mapping");
	cfg_doc_free(doc);

	doc = one("name", "[r1]", &c);
	check(doc, "name", cfg_is_scalar(c, "name"),
	    "expected a single value for 'name', got a list");
	cfg_doc_free(doc);

	doc = one("ospf", "{area: 0}", &c);
	check(doc, "ospf", cfg_is_map(c, "ospf"), NULL);
	cfg_doc_free(doc);

	/* Long and multi-line text is cut short and escaped in messages. */
	doc = one("ip", "\"0123456789012345678901234567890123456789xyz\\n\"", &c);
	uint32_t a;
	check(doc, "ip", cfg_ip(c, "ip", &a),
	    "bad IPv4 address '0123456789012345678901234567890123456789...' for 'ip'");
	cfg_doc_free(doc);
	doc = one("ip", "\"1\\t2\\n\"", &c);
	check(doc, "ip", cfg_ip(c, "ip", &a), "bad IPv4 address '1\\t2\\n' for 'ip'");
	cfg_doc_free(doc);

	/* Absent nodes: no message (there is no document to put it in), just false. */
	assert_false(cfg_is_map(NULL, "x"));
	assert_false(cfg_str(NULL, "x", &(const char *){NULL}));
}

static void
test_opt(void **state UNUSED)
{
	struct cfg_doc *doc = parse("mtu: 9000\nshutdown: yes\nname: r1\nhello: 5\nbad: x\n");
	long long mtu = 1500, cost = 10;
	bool sd = false, up = true;
	const char *name = NULL, *descr = "none";
	sim_time hello = 0, dead = 40 * SIM_S;

	assert_true(cfg_opt_int(doc->root, "mtu", 68, 65535, &mtu));
	assert_true(cfg_opt_int(doc->root, "cost", 1, 65535, &cost));
	assert_true(cfg_opt_bool(doc->root, "shutdown", &sd));
	assert_true(cfg_opt_bool(doc->root, "up", &up));
	assert_true(cfg_opt_str(doc->root, "name", &name));
	assert_true(cfg_opt_str(doc->root, "description", &descr));
	assert_true(cfg_opt_time(doc->root, "hello", true, &hello));
	assert_true(cfg_opt_time(doc->root, "dead", true, &dead));
	assert_int_equal(mtu, 9000);
	assert_int_equal(cost, 10);
	assert_true(sd);
	assert_true(up);
	assert_string_equal(name, "r1");
	assert_string_equal(descr, "none");
	assert_int_equal(hello, 5 * SIM_S);
	assert_int_equal(dead, 40 * SIM_S);
	assert_false(cfg_opt_int(doc->root, "bad", 0, 10, &cost));
	assert_int_equal(cost, 10);
	assert_string_equal(errors(doc),
	    "t.yaml:5:6: expected an integer from 0 to 10 for 'bad', got 'x'\n");
	cfg_check_unknown(doc->root, "the topology");
	assert_int_equal(doc->nerrors, 1);
	cfg_doc_free(doc);
}

/* ---- keys and positions --------------------------------------------------------------- */

static void
test_duplicate_keys(void **state UNUSED)
{
	struct cfg_doc *doc;
	struct strbuf b = STRBUF_INIT;

	doc = parse("a: 1\nb:\n  x: 1\n  y: 2\n  x: 3\nc: {p: 1, q: 2, p: 3}\na: 4\n");
	assert_non_null(doc->root);
	assert_string_equal(errors(doc),
	    "t.yaml:5:3: duplicate key 'x' (first at line 3)\n"
	    "t.yaml:6:17: duplicate key 'p' (first at line 6)\n"
	    "t.yaml:7:1: duplicate key 'a' (first at line 1)\n");
	assert_int_equal(doc->nerrors, 3);
	/* The first one is the value; the second is never "unknown" on top of "duplicate". */
	long long v = 0;
	assert_true(cfg_opt_int(doc->root, "a", 0, 9, &v));
	assert_int_equal(v, 1);
	cfg_get(doc->root, "b");
	cfg_get(doc->root, "c");
	cfg_check_unknown(doc->root, "the topology");
	assert_int_equal(doc->nerrors, 3);
	cfg_doc_free(doc);

	/* A large mapping (hashed duplicate check). */
	for (int i = 0; i < 100; i++)
		sb_printf(&b, "k%d: %d\n", i, i);
	sb_add(&b, "k57: again\n");
	doc = parse(sb_str(&b));
	assert_string_equal(errors(doc), "t.yaml:101:1: duplicate key 'k57' (first at line 58)\n");
	assert_int_equal(doc->root->n, 101);
	cfg_doc_free(doc);
	sb_free(&b);

	/* Keys are compared as written: "1" and 1 are one key, "a" and "A" are two. */
	doc = parse("1: a\n\"1\": b\na: 1\nA: 2\n");
	assert_string_equal(errors(doc), "t.yaml:2:1: duplicate key '1' (first at line 1)\n");
	cfg_doc_free(doc);
}

static void
test_unknown_keys(void **state UNUSED)
{
	static const char text[] =
	    "r1:\n"
	    "  type: router\n"
	    "  mtu: 1500\n"
	    "  colour: blue\n"
	    "  ospf: {area: 0, cst: 5}\n"
	    "  \"quoted key\": 1\n";
	struct cfg_doc *doc = parse(text);
	struct cfg *r1, *ospf;

	assert_int_equal(doc->nerrors, 0);
	r1 = cfg_get(doc->root, "r1");
	assert_true(cfg_is_map(r1, "device"));
	assert_non_null(cfg_get(r1, "type"));
	assert_non_null(cfg_get(r1, "mtu"));
	assert_null(cfg_get(r1, "router_id"));
	ospf = cfg_get(r1, "ospf");
	assert_non_null(cfg_get(ospf, "area"));
	assert_null(cfg_get(ospf, "cost"));
	cfg_check_unknown(doc->root, "the topology");
	cfg_check_unknown(r1, "device 'r1'");
	cfg_check_unknown(ospf, "the ospf settings of r1");
	assert_string_equal(errors(doc),
	    "t.yaml:4:3: unknown key 'colour' in device 'r1'\n"
	    "t.yaml:6:3: unknown key 'quoted key' in device 'r1'\n"
	    "t.yaml:5:19: unknown key 'cst' in the ospf settings of r1\n");
	/* Checking again does not repeat them. */
	cfg_check_unknown(r1, "device 'r1'");
	assert_int_equal(doc->nerrors, 3);
	/* Not a mapping, or absent: nothing to check. */
	cfg_check_unknown(cfg_get(r1, "mtu"), "x");
	cfg_check_unknown(NULL, "x");
	assert_int_equal(doc->nerrors, 3);
	cfg_doc_free(doc);
}

static void
test_positions(void **state UNUSED)
{
	static const char text[] =
	    "# a small topology\n"
	    "name: demo\n"
	    "devices:\n"
	    "  - name: r1\n"
	    "    mtu: abc\n"
	    "    interfaces:\n"
	    "      - {name: eth0, ip: 10.0.1.300/24}\n"
	    "      - name: \"eth1\"\n"
	    "        ip:   10.0.1.300\n"
	    "    ospf: [area, 0]\n";
	struct cfg_doc *doc = parse(text);
	struct cfg *devs, *r1, *ifs, *c;
	long long mtu;
	uint32_t a;
	uint8_t len;

	assert_int_equal(doc->nerrors, 0);
	devs = cfg_get(doc->root, "devices");
	assert_int_equal(devs->type, CFG_SEQ);
	assert_int_equal(devs->line, 4);
	assert_int_equal(devs->col, 3);
	r1 = devs->v[0];
	assert_int_equal(r1->line, 4);
	assert_int_equal(r1->col, 5);
	assert_int_equal(r1->k[0]->line, 4);
	assert_int_equal(r1->k[0]->col, 5);
	assert_false(cfg_int(cfg_get(r1, "mtu"), "mtu", 68, 65535, &mtu));
	ifs = cfg_get(r1, "interfaces");
	assert_int_equal(ifs->v[0]->line, 7);
	assert_int_equal(ifs->v[0]->col, 9);
	assert_false(cfg_ip_plen(cfg_get(ifs->v[0], "ip"), "ip", &a, &len));
	c = cfg_get(ifs->v[1], "name");
	assert_true(c->quoted);
	assert_int_equal(c->line, 8);
	assert_int_equal(c->col, 15);
	assert_false(cfg_ip(cfg_get(ifs->v[1], "ip"), "ip", &a));
	assert_false(cfg_is_map(cfg_get(r1, "ospf"), "ospf"));
	assert_string_equal(errors(doc),
	    "t.yaml:5:10: expected an integer from 68 to 65535 for 'mtu', got 'abc'\n"
	    "t.yaml:7:26: bad IPv4 address/length '10.0.1.300/24' for 'ip' (expected a.b.c.d/len)\n"
	    "t.yaml:9:15: bad IPv4 address '10.0.1.300' for 'ip'\n"
	    "t.yaml:10:11: expected a mapping for 'ospf', got a list\n");
	assert_int_equal(doc->nerrors, 4);
	cfg_doc_free(doc);

	/* Columns count characters, not bytes: y is the 16th character (18th byte). */
	doc = parse("{d: \"h\xc3\xa9h\xc3\xa9\", x: y}\n");
	assert_int_equal(cfg_get(doc->root, "x")->col, 16);
	cfg_doc_free(doc);

	/* cfg_error and cfg_doc_error directly. */
	doc = parse("a: 1\n");
	assert_false(cfg_error(cfg_get(doc->root, "a"), "custom %d", 42));
	cfg_doc_error(doc, 0, 0, "file-level");
	cfg_doc_error(doc, 3, 0, "line only");
	assert_string_equal(errors(doc),
	    "t.yaml:1:4: custom 42\nt.yaml: file-level\nt.yaml:3:1: line only\n");
	assert_int_equal(doc->nerrors, 3);
	cfg_doc_free(doc);
}

/* ---- YAML styles, anchors ------------------------------------------------------------- */

/* Same shape and text, positions aside. */
static bool
same(const struct cfg *a, const struct cfg *b)
{
	if (a->type != b->type || a->n != b->n)
		return false;
	if (a->type == CFG_SCALAR)
		return strcmp(a->str, b->str) == 0 && a->quoted == b->quoted;
	for (size_t i = 0; i < a->n; i++) {
		if (a->type == CFG_MAP && !same(a->k[i], b->k[i]))
			return false;
		if (!same(a->v[i], b->v[i]))
			return false;
	}
	return true;
}

static void
test_flow_block(void **state UNUSED)
{
	static const char block[] =
	    "name: tri\n"
	    "devices:\n"
	    "  - name: r1\n"
	    "    interfaces:\n"
	    "      - name: eth0\n"
	    "        ip: 10.0.12.1/24\n"
	    "        ospf:\n"
	    "          area: 0\n"
	    "          cost: 10\n"
	    "    shutdown:\n"
	    "    descr: 'it''s \"r1\"'\n"
	    "links:\n"
	    "  - endpoints:\n"
	    "      - r1:eth0\n"
	    "      - r2:eth0\n"
	    "empty: []\n"
	    "none: {}\n";
	static const char flow[] =
	    "{name: tri, devices: [{name: r1, interfaces: [{name: eth0, ip: 10.0.12.1/24,\n"
	    "  ospf: {area: 0, cost: 10}}], shutdown: ~, descr: \"it's \\\"r1\\\"\"}],\n"
	    "  links: [{endpoints: [r1:eth0, r2:eth0]}], empty: [], none: {}}\n";
	struct cfg_doc *a = parse(block), *b = parse(flow);

	assert_string_equal(errors(a), "");
	assert_string_equal(errors(b), "");
	assert_true(same(a->root, b->root));
	assert_string_equal(cfg_get(cfg_get(a->root, "devices")->v[0], "descr")->str,
	    "it's \"r1\"");
	assert_true(cfg_is_null(cfg_get(cfg_get(b->root, "devices")->v[0], "shutdown")));
	cfg_doc_free(a);
	cfg_doc_free(b);

	/* Block scalars, tags and document markers. */
	a = parse("%YAML 1.1\n---\ntext: |\n  two\n  lines\nn: !!str 12\n"
	    "f: >-\n  folded\n  up\n...\n");
	assert_string_equal(errors(a), "");
	assert_string_equal(cfg_get(a->root, "text")->str, "two\nlines\n");
	assert_true(cfg_get(a->root, "text")->quoted);
	assert_true(cfg_get(a->root, "n")->quoted);
	assert_string_equal(cfg_get(a->root, "f")->str, "folded up");
	cfg_doc_free(a);
}

static void
test_anchors(void **state UNUSED)
{
	static const char text[] =
	    "defaults: &d\n"
	    "  hello: 10s\n"
	    "  dead: 40s\n"
	    "ends: &e [r1:eth0, r2:eth0]\n"
	    "area: &zero 0\n"
	    "r1:\n"
	    "  ospf: *d\n"
	    "  area: *zero\n"
	    "  links: [*e, *e]\n"
	    "r2:\n"
	    "  <<: *d\n"
	    "  dead: 30s\n"
	    "r3: {<<: [*d, {cost: 5, hello: 1s}], cost: 7}\n"
	    "name: &n r9\n"
	    "*n : aliased key\n";
	struct cfg_doc *doc = parse(text);
	struct cfg *r1, *r2, *r3, *o;
	sim_time t = 0;
	long long cost = 0;

	assert_string_equal(errors(doc), "");
	r1 = cfg_get(doc->root, "r1");
	o = cfg_get(r1, "ospf");
	assert_true(same(o, cfg_get(doc->root, "defaults")));
	/* A copy: reading it marks its keys, not the anchor's. */
	assert_true(cfg_opt_time(o, "hello", false, &t));
	assert_int_equal(t, 10 * SIM_S);
	cfg_check_unknown(cfg_get(doc->root, "defaults"), "defaults");
	assert_string_equal(errors(doc),
	    "t.yaml:2:3: unknown key 'hello' in defaults\n"
	    "t.yaml:3:3: unknown key 'dead' in defaults\n");
	/* The copy is positioned at its alias, its insides at the anchor. */
	assert_int_equal(o->line, 7);
	assert_int_equal(o->col, 9);
	assert_int_equal(o->k[0]->line, 2);
	assert_string_equal(cfg_get(r1, "area")->str, "0");
	assert_int_equal(cfg_get(r1, "links")->n, 2);
	assert_true(same(cfg_get(r1, "links")->v[1], cfg_get(doc->root, "ends")));

	/* Merge keys: written keys win, the "<<" entry itself is gone. */
	r2 = cfg_get(doc->root, "r2");
	assert_int_equal(r2->n, 2);
	assert_null(cfg_get(r2, "<<"));
	assert_true(cfg_opt_time(r2, "dead", false, &t));
	assert_int_equal(t, 30 * SIM_S);
	assert_true(cfg_opt_time(r2, "hello", false, &t));
	assert_int_equal(t, 10 * SIM_S);
	/* Earlier mappings in a merge list win over later ones. */
	r3 = cfg_get(doc->root, "r3");
	assert_int_equal(r3->n, 3);
	assert_true(cfg_opt_time(r3, "hello", false, &t));
	assert_int_equal(t, 10 * SIM_S);
	assert_true(cfg_opt_int(r3, "cost", 0, 100, &cost));
	assert_int_equal(cost, 7);
	assert_string_equal(cfg_get(doc->root, "r9")->str, "aliased key");
	cfg_doc_free(doc);

	/* Redefining an anchor: later aliases see the new one. */
	doc = parse("a: &x 1\nb: *x\nc: &x 2\nd: *x\n");
	assert_string_equal(cfg_get(doc->root, "b")->str, "1");
	assert_string_equal(cfg_get(doc->root, "d")->str, "2");
	cfg_doc_free(doc);

	/* An anchored merge value stays usable after the merge consumed it. */
	doc = parse("a: {<<: &m {x: 1}, y: 2}\nb: *m\n");
	assert_string_equal(errors(doc), "");
	assert_int_equal(cfg_get(doc->root, "a")->n, 2);
	assert_int_equal(cfg_get(doc->root, "b")->n, 1);
	cfg_doc_free(doc);

	doc = parse("a: {<<: 5}\nb: {<<: [{x: 1}, [2]]}\n");
	assert_string_equal(errors(doc),
	    "t.yaml:1:9: expected a mapping or a list of mappings to merge with '<<', "
	    "got a single value\n"
	    "t.yaml:2:18: expected a mapping to merge with '<<', got a list\n");
	assert_non_null(doc->root);
	cfg_doc_free(doc);

	doc = parse("a: *nope\n");
	assert_null(doc->root);
	assert_string_equal(errors(doc), "t.yaml:1:4: unknown alias '*nope' (no anchor '&nope' "
	    "before it)\n");
	cfg_doc_free(doc);

	doc = parse("a: &a [1, {b: *a}]\n");
	assert_null(doc->root);
	assert_string_equal(errors(doc), "t.yaml:1:15: alias '*a' refers to the node that contains "
	    "it (a recursive alias)\n");
	cfg_doc_free(doc);

	doc = parse("a: &a [1]\n[*a]: 2\n");
	assert_null(doc->root);
	assert_string_equal(errors(doc), "t.yaml:2:1: a mapping key must be a plain value, "
	    "not a list\n");
	cfg_doc_free(doc);
}

/* A long plain scalar: n x's. */
static void
add_xs(struct strbuf *b, int n)
{
	for (int i = 0; i < n; i++)
		sb_addc(b, 'x');
}

static void
test_alias_bomb(void **state UNUSED)
{
	struct strbuf b = STRBUF_INIT;
	struct cfg_doc *doc;

	sb_add(&b, "l0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
	for (int i = 1; i <= 9; i++) {
		sb_printf(&b, "l%d: &a%d [", i, i);
		for (int j = 0; j < 10; j++)
			sb_printf(&b, "%s*a%d", j ? ", " : "", i - 1);
		sb_add(&b, "]\n");
	}
	doc = parse(sb_str(&b));
	assert_null(doc->root);
	assert_int_equal(doc->nerrors, 1);
	/* l4 (9 MB of copies) is built; the third copy of it in l5 passes 32 MiB. */
	assert_string_equal(errors(doc), "t.yaml:6:20: aliases expand to more than 32 MiB "
	    "(nested aliases that multiply, like the 'billion laughs' attack?)\n");
	cfg_doc_free(doc);
	sb_free(&b);

	/* Few nodes, many bytes: one long string aliased a thousand times (100 MB). */
	sb_add(&b, "s: &s ");
	add_xs(&b, 100000);
	sb_add(&b, "\nt: [");
	for (int i = 0; i < 1000; i++)
		sb_add(&b, i ? ", *s" : "*s");
	sb_add(&b, "]\n");
	doc = parse(sb_str(&b));
	assert_null(doc->root);
	assert_int_equal(doc->nerrors, 1);
	assert_non_null(strstr(errors(doc), ": aliases expand to more than 32 MiB"));
	cfg_doc_free(doc);
	sb_free(&b);

	/*
	 * Merges are charged too: 250 aliases of a 100 KB mapping copy 25 MB and
	 * pass; merging each copies it once more, 50 MB in all, and fails.
	 */
	for (int merge = 0; merge < 2; merge++) {
		sb_add(&b, "d: &d {k: ");
		add_xs(&b, 100000);
		sb_add(&b, "}\ne:\n");
		for (int i = 0; i < 250; i++)
			sb_add(&b, merge ? "  - {<<: *d}\n" : "  - *d\n");
		doc = parse(sb_str(&b));
		if (merge) {
			assert_null(doc->root);
			assert_non_null(strstr(errors(doc), ": aliases expand to more than 32 MiB"));
		} else {
			assert_string_equal(errors(doc), "");
		}
		cfg_doc_free(doc);
		sb_free(&b);
	}

	/* The budget: ten times the document, at least 32 MiB, in whole MiB. */
	assert_int_equal(cfg_yaml_alias_budget(0), 32u << 20);
	assert_int_equal(cfg_yaml_alias_budget(3u << 20), 32u << 20);
	assert_int_equal(cfg_yaml_alias_budget((5u << 20) + 1), 51u << 20);

	/* Many anchors, each used once, and redefined: the newest of a name wins. */
	sb_add(&b, "a:\n");
	for (int i = 0; i < 20000; i++)
		sb_printf(&b, "  - &a%d v%d\n", i % 10000, i);
	sb_add(&b, "b:\n");
	for (int i = 0; i < 10000; i++)
		sb_printf(&b, "  - *a%d\n", i);
	doc = parse(sb_str(&b));
	assert_string_equal(errors(doc), "");
	for (int i = 0; i < 10000; i += 999) {
		char want[16];

		snprintf(want, sizeof(want), "v%d", i + 10000);
		assert_string_equal(cfg_get(doc->root, "b")->v[i]->str, want);
	}
	cfg_doc_free(doc);
	sb_free(&b);

	/* A large merge: every key once, the mapping's own keys winning. */
	sb_add(&b, "d: &d\n");
	for (int i = 0; i < 20000; i++)
		sb_printf(&b, "  k%d: %d\n", i, i);
	sb_add(&b, "e:\n  k5: own\n  <<: *d\n  k7: own\n");
	doc = parse(sb_str(&b));
	assert_string_equal(errors(doc), "");
	assert_int_equal(cfg_get(doc->root, "e")->n, 20000);
	assert_string_equal(cfg_get(cfg_get(doc->root, "e"), "k5")->str, "own");
	assert_string_equal(cfg_get(cfg_get(doc->root, "e"), "k7")->str, "own");
	assert_string_equal(cfg_get(cfg_get(doc->root, "e"), "k19999")->str, "19999");
	cfg_doc_free(doc);
	sb_free(&b);

	/* Many small aliases of a small anchor are fine. */
	sb_add(&b, "d: &d {hello: 10s, dead: 40s}\nr:\n");
	for (int i = 0; i < 2000; i++)
		sb_printf(&b, "  - {name: r%d, ospf: *d}\n", i);
	doc = parse(sb_str(&b));
	assert_string_equal(errors(doc), "");
	assert_int_equal(cfg_get(doc->root, "r")->n, 2000);
	cfg_doc_free(doc);
	sb_free(&b);
}

/* ---- syntax errors and limits --------------------------------------------------------- */

static void
expect_only(const char *text, const char *err)
{
	struct cfg_doc *doc = parse(text);

	assert_null(doc->root);
	assert_string_equal(errors(doc), err);
	assert_int_equal(doc->nerrors, 1);
	cfg_doc_free(doc);
}

static void
test_syntax(void **state UNUSED)
{
	expect_only("a:\n\tb: 1\n",
	    "t.yaml:2:1: found character that cannot start any token (while scanning for the next "
	    "token): this is a tab, and YAML indentation must use spaces, not tabs\n");
	expect_only("a:\n  b: 1\n\tc: 2\n",
	    "t.yaml:3:1: found a tab character that violates indentation (while scanning a plain "
	    "scalar that starts at line 2, column 6): "
	    "YAML indentation must use spaces, not tabs\n");
	/* Tabs between tokens are fine. */
	struct cfg_doc *doc = parse("a:\t1\nb: [1,\t2]\n");
	assert_string_equal(errors(doc), "");
	cfg_doc_free(doc);

	expect_only("a: 1\nb: \"abc\nc: 2\n",
	    "t.yaml:2:4: found unexpected end of stream (while scanning a quoted scalar)\n");
	expect_only("a: 'abc\n",
	    "t.yaml:1:4: found unexpected end of stream (while scanning a quoted scalar)\n");
	expect_only("a: [1, 2\n",
	    "t.yaml:1:4: did not find expected ',' or ']' (while parsing a flow sequence)\n");
	expect_only("a:\n  b: 1\n c: 2\n",
	    "t.yaml:3:2: did not find expected key (while parsing a block mapping that starts at "
	    "line 1, column 1)\n");
	expect_only("a: b: c\n", "t.yaml:1:5: mapping values are not allowed in this context\n");
	expect_only("a: \xff\n", "t.yaml:1:4: invalid leading UTF-8 octet (byte 0xff)\n");
	expect_only("a: \"\\0\"\n",
	    "t.yaml:1:4: a NUL character (\\0) is not allowed in a string\n");
	expect_only("? [a, b]\n: c\n",
	    "t.yaml:1:3: a mapping key must be a plain value, not a list\n");
}

static void
test_documents(void **state UNUSED)
{
	expect_only("", "t.yaml:1:1: empty topology\n");
	expect_only("# nothing but a comment\n\n", "t.yaml:1:1: empty topology\n");
	expect_only("---\n", "t.yaml:2:1: empty topology\n");
	expect_only("~\n", "t.yaml:1:1: empty topology\n");
	expect_only("a: 1\n---\nb: 2\n",
	    "t.yaml:2:1: a second document ('---'): a topology file holds exactly one\n");
	expect_only("--- 1\n--- 2\n",
	    "t.yaml:2:1: a second document ('---'): a topology file holds exactly one\n");

	/* A scalar or a list is a valid document; the builder decides what it needs. */
	struct cfg_doc *doc = parse("[1, 2]\n");
	assert_string_equal(errors(doc), "");
	assert_int_equal(doc->root->type, CFG_SEQ);
	cfg_doc_free(doc);

	/* NULL text is an empty document, not a crash. */
	doc = cfg_parse_yaml(NULL, NULL, 0);
	assert_string_equal(errors(doc), "<input>:1:1: empty topology\n");
	cfg_doc_free(doc);
}

static char *
nested(int depth, bool block)
{
	struct strbuf b = STRBUF_INIT;

	if (block) {
		for (int i = 0; i < depth; i++) {
			for (int j = 0; j < i; j++)
				sb_add(&b, "  ");
			sb_add(&b, "k:\n");
		}
		for (int j = 0; j < depth; j++)
			sb_add(&b, "  ");
		sb_add(&b, "x\n");
		return sb_steal(&b);
	}
	sb_add(&b, "a: ");
	for (int i = 0; i < depth - 1; i++)
		sb_addc(&b, '[');
	for (int i = 0; i < depth - 1; i++)
		sb_addc(&b, ']');
	sb_addc(&b, '\n');
	return sb_steal(&b);
}

static void
test_depth(void **state UNUSED)
{
	struct cfg_doc *doc;
	char *s;

	/* 64 levels: the root mapping plus 63 lists. */
	s = nested(CFG_YAML_MAX_DEPTH, false);
	doc = parse(s);
	assert_string_equal(errors(doc), "");
	cfg_doc_free(doc);
	free(s);

	s = nested(CFG_YAML_MAX_DEPTH + 1, false);
	doc = parse(s);
	assert_null(doc->root);
	assert_string_equal(errors(doc), "t.yaml:1:67: nesting deeper than 64 levels\n");
	cfg_doc_free(doc);
	free(s);

	s = nested(CFG_YAML_MAX_DEPTH, true);
	doc = parse(s);
	assert_string_equal(errors(doc), "");
	cfg_doc_free(doc);
	free(s);

	s = nested(CFG_YAML_MAX_DEPTH + 1, true);
	doc = parse(s);
	assert_null(doc->root);
	assert_string_equal(errors(doc), "t.yaml:65:129: nesting deeper than 64 levels\n");
	cfg_doc_free(doc);
	free(s);

	/* Very deep input stops early, whatever libyaml would do with it. */
	s = xmalloc(200001);
	memset(s, '[', 200000);
	s[200000] = '\0';
	doc = parse(s);
	assert_null(doc->root);
	assert_string_equal(errors(doc), "t.yaml:1:65: nesting deeper than 64 levels\n");
	cfg_doc_free(doc);
	free(s);

	/* An alias cannot smuggle in depth either. */
	doc = parse("a: &a [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x"
	    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n"
	    "b: [[[[[[[[[[[[[[[[[[[[[[[[[[[[*a]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n");
	assert_null(doc->root);
	assert_string_equal(errors(doc), "t.yaml:2:32: alias '*a' nests deeper than 64 levels\n");
	cfg_doc_free(doc);
}

/* ---- files ---------------------------------------------------------------------------- */

static void
test_files(void **state UNUSED)
{
	char path[] = "/tmp/netsim-test-cfg-XXXXXX";
	int fd = mkstemp(path);
	struct cfg_doc *doc;
	char *want;
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("name: demo\nmtu: 99999\n", f);
	fclose(f);
	doc = cfg_load_yaml(path);
	assert_non_null(doc->root);
	assert_string_equal(doc->file, path);
	long long mtu;
	assert_false(cfg_opt_int(doc->root, "mtu", 68, 9216, &mtu));
	want = xasprintf("%s:2:6: expected an integer from 68 to 9216 for 'mtu', got '99999'\n",
	    path);
	assert_string_equal(errors(doc), want);
	free(want);
	cfg_doc_free(doc);
	unlink(path);

	doc = cfg_load_yaml("/nonexistent/topo.yaml");
	assert_null(doc->root);
	assert_string_equal(errors(doc),
	    "/nonexistent/topo.yaml: cannot read: No such file or directory\n");
	cfg_doc_free(doc);

	doc = cfg_load_yaml("/");
	assert_null(doc->root);
	assert_string_equal(errors(doc), "/: cannot read: Is a directory\n");
	cfg_doc_free(doc);

	/* The size limit, without allocating 64 MiB: the length alone is checked first. */
	doc = cfg_parse_yaml("big.yaml", "a: 1\n", (size_t)CFG_YAML_MAX_BYTES + 1);
	assert_null(doc->root);
	assert_string_equal(errors(doc),
	    "big.yaml: too large (67108865 bytes; the limit is 64 MiB)\n");
	cfg_doc_free(doc);
}

/* The YAML-level corpus in tests/yaml-bad: each file fails with the message in its .err. */
static void
test_corpus(void **state UNUSED)
{
	static const char *const names[] = {
	    "alias-bomb", "bad-indent", "colon-in-value", "duplicate-key", "empty",
	    "multi-document", "tab-indent", "unclosed-flow", "unknown-alias",
	    "unterminated-string",
	};

	if (access("tests/yaml-bad", R_OK) != 0)
		skip(); /* not run from the repository root */
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		char *yaml = xasprintf("tests/yaml-bad/%s.yaml", names[i]);
		char *errf = xasprintf("tests/yaml-bad/%s.err", names[i]);
		char want[1024];
		size_t n;
		FILE *f = fopen(errf, "r");
		struct cfg_doc *doc;

		assert_non_null(f);
		n = fread(want, 1, sizeof(want) - 1, f);
		fclose(f);
		while (n > 0 && (want[n - 1] == '\n' || want[n - 1] == ' '))
			n--;
		want[n] = '\0';
		doc = cfg_load_yaml(yaml);
		if (strstr(errors(doc), want) == NULL)
			fail_msg("%s: want '%s', got '%s'", yaml, want, errors(doc));
		assert_int_equal(doc->nerrors, 1);
		cfg_doc_free(doc);
		free(yaml);
		free(errf);
	}
}

/* ---- robustness ----------------------------------------------------------------------- */

static const char sample[] =
    "name: \"fuzz\" # comment\n"
    "defaults: &d {hello: 10s, dead: 40s, area: 0.0.0.0}\n"
    "devices:\n"
    "  - name: r1\n"
    "    type: router\n"
    "    mtu: 1500\n"
    "    ospf: {<<: *d, cost: 10}\n"
    "    interfaces:\n"
    "      - name: eth0\n"
    "        ip: 10.0.12.1/24\n"
    "        bw: 1Gbps\n"
    "        loss: 0.5%\n"
    "      - {name: 'eth1', ip: 10.0.13.1/24, shutdown: no}\n"
    "    notes: |\n"
    "      literal text\n"
    "      on two lines\n"
    "  - name: h1\n"
    "    ospf: *d\n"
    "links:\n"
    "  - endpoints: [r1:eth0, h1:eth0]\n"
    "    delay: 2ms\n"
    "...\n";

/* Run every accessor over the tree, whatever shape a broken input gave it. */
static void
walk(const struct cfg *c, int depth)
{
	const char *s;
	long long ll;
	bool b;
	uint32_t u32;
	uint8_t u8;
	struct prefix p;
	sim_time t;
	double d;
	uint64_t u64;

	if (c == NULL || depth > 100)
		return;
	if (c->type == CFG_SCALAR) {
		cfg_str(c, "s", &s);
		cfg_int(c, "i", 0, 100, &ll);
		cfg_bool(c, "b", &b);
		cfg_ip(c, "ip", &u32);
		cfg_ip_plen(c, "ipl", &u32, &u8);
		cfg_prefix(c, "pfx", &p);
		cfg_time(c, "t", depth & 1, &t);
		cfg_percent(c, "pct", &d);
		cfg_bandwidth(c, "bw", &u64);
		cfg_dotted32(c, "d32", &u32);
		return;
	}
	cfg_is_map(c, "m");
	cfg_is_seq(c, "q");
	for (size_t i = 0; i < c->n; i++) {
		if (c->type == CFG_MAP) {
			walk(c->k[i], depth + 1);
			cfg_get(c, c->k[i]->str);
		}
		walk(c->v[i], depth + 1);
	}
	cfg_check_unknown(c, "w");
}

/*
 * What holds for any input, parsed before anything walks the tree: a
 * document without a tree has errors; each error is one line
 * "t.yaml:LINE:COL: message" pointing inside the text (or just past its last
 * line); the count matches; and the same bytes give the same errors.
 */
static void
check_errors(const char *t, size_t len, const struct cfg_doc *doc)
{
	const char *e = errors(doc), *nl;
	int lines = 1, n = 0;
	struct cfg_doc *again;

	for (size_t i = 0; i < len; i++)
		lines += t[i] == '\n';
	if (doc->root == NULL && doc->nerrors == 0)
		fail_msg("no tree and no error for \"%.*s\"", (int)len, t);
	for (; *e; e = nl + 1, n++) {
		int line, col, at = 0;

		nl = strchr(e, '\n');
		assert_non_null(nl);
		if (sscanf(e, "t.yaml:%d:%d: %n", &line, &col, &at) != 2 || at == 0 ||
		    line < 1 || line > lines + 1 || col < 1 || (size_t)col > len + 2 || e + at >= nl)
			fail_msg("error without a position or a message: \"%.*s\"", (int)(nl - e), e);
	}
	assert_int_equal(n, doc->nerrors);
	again = cfg_parse_yaml("t.yaml", t, len);
	assert_string_equal(errors(again), errors(doc));
	assert_int_equal(again->root == NULL, doc->root == NULL);
	cfg_doc_free(again);
}

static void
test_truncations(void **state UNUSED)
{
	size_t len = strlen(sample);
	struct cfg_doc *doc = parse(sample);

	assert_string_equal(errors(doc), "");
	cfg_doc_free(doc);
	/* Heap copies of exactly n bytes, so ASan sees any read past the end. */
	for (size_t n = 0; n <= len; n++) {
		char *t = xmalloc(n ? n : 1);

		memcpy(t, sample, n);
		doc = cfg_parse_yaml("t.yaml", t, n);
		check_errors(t, n, doc);
		walk(doc->root, 0);
		cfg_doc_free(doc);
		free(t);
	}
}

static void
test_mutations(void **state UNUSED)
{
	static const char subst[] = {':', '\t', '"', '\'', '[', '{', '&', '*', '-', '\n', '\0',
	    '\xc3', '|', '#', '!'};
	size_t len = strlen(sample);
	char *t = xmalloc(len);
	unsigned refused = 0;

	for (size_t i = 0; i < len; i++) {
		for (size_t j = 0; j < ARRAY_LEN(subst); j++) {
			struct cfg_doc *doc;

			memcpy(t, sample, len);
			t[i] = subst[j];
			doc = cfg_parse_yaml("t.yaml", t, len);
			check_errors(t, len, doc);
			refused += doc->nerrors > 0;
			walk(doc->root, 0);
			cfg_doc_free(doc);
		}
	}
	/* Most one-character changes break this sample somewhere. */
	assert_true(refused > len * ARRAY_LEN(subst) / 4);
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_int),
	    cmocka_unit_test(test_bool),
	    cmocka_unit_test(test_str),
	    cmocka_unit_test(test_ip),
	    cmocka_unit_test(test_time),
	    cmocka_unit_test(test_bandwidth),
	    cmocka_unit_test(test_percent),
	    cmocka_unit_test(test_dotted32),
	    cmocka_unit_test(test_shapes),
	    cmocka_unit_test(test_opt),
	    cmocka_unit_test(test_duplicate_keys),
	    cmocka_unit_test(test_unknown_keys),
	    cmocka_unit_test(test_positions),
	    cmocka_unit_test(test_flow_block),
	    cmocka_unit_test(test_anchors),
	    cmocka_unit_test(test_alias_bomb),
	    cmocka_unit_test(test_syntax),
	    cmocka_unit_test(test_documents),
	    cmocka_unit_test(test_depth),
	    cmocka_unit_test(test_files),
	    cmocka_unit_test(test_corpus),
	    cmocka_unit_test(test_truncations),
	    cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
