/*
 * test_policy.c: the routing-policy service (src/proto/policy): prefix-list
 * ge/le ranges as FRR reads them, Cisco AS-path regexes, community lists
 * (all members, exact match, expanded) and community sets (replace, add,
 * delete, FRR's sorted order), relative MED, AS-path prepend and last-as,
 * the route-map flow (on_match, continue, goto, implicit deny, FRR's verdict
 * after a continue), the hit counters, configuration errors with their
 * positions, and run-time replacement with its generation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/buf.h"
#include "lib/cfg.h"
#include "lib/strbuf.h"
#include "net/net.h"
#include "proto/policy/policy_int.h"

/* A node with the policy keys of yaml (a device map); the doc stays for its errors. */
struct fixture {
	struct node n;
	struct cfg_doc *doc;
	bool ok;
};

static void
load(struct fixture *f, const char *yaml)
{
	memset(f, 0, sizeof(*f));
	f->doc = cfg_parse_yaml("t.yaml", yaml, strlen(yaml));
	assert_non_null(f->doc->root);
	f->ok = policy_config(&f->n, f->doc->root) && f->doc->nerrors == 0;
}

static void
unload(struct fixture *f)
{
	policy_set_free(f->n.policy);
	cfg_doc_free(f->doc);
}

static const struct plist *
list(struct fixture *f, enum policy_kind k, const char *name)
{
	struct policy_slot *sl = policy_slot_find(f->n.policy, k, name);

	assert_non_null(sl);
	return sl->obj;
}

static bool
pmatch(const struct plist *l, const char *pfx)
{
	struct prefix p;

	assert_true(prefix_parse(pfx, &p));
	return plist_match_prefix(l, &p);
}

/* A route: prefix, AS_SEQUENCE of the ASNs (0-terminated), communities. */
struct route {
	struct policy_route r;
	struct bgp_attr a;
	uint8_t path[64];
	uint32_t comm[8];
};

static void
route(struct route *t, const char *pfx, const uint32_t *asns)
{
	size_t n = 0;

	memset(t, 0, sizeof(*t));
	assert_true(prefix_parse(pfx, &t->r.pfx));
	t->r.attr = &t->a;
	t->r.route_type = "ebgp";
	while (asns != NULL && asns[n] != 0) {
		put32(t->path + 2 + 4 * n, asns[n]);
		n++;
	}
	if (n > 0) {
		t->path[0] = BGP_AS_SEQUENCE;
		t->path[1] = (uint8_t)n;
		t->a.aspath = t->path;
		t->a.aspath_len = (uint16_t)(2 + 4 * n);
	}
}

static void
comms(struct route *t, const uint32_t *c, size_t n)
{
	if (n > 0)
		memcpy(t->comm, c, n * 4);
	t->a.comm = t->comm;
	t->a.ncomm = (uint16_t)n;
}

static const char *
path_text(const struct bgp_attr *a, struct strbuf *sb)
{
	sb_reset(sb);
	bgp_aspath_str(a->aspath, a->aspath_len, sb);
	return sb_str(sb);
}

static enum policy_verdict
apply(struct fixture *f, const char *map, struct route *t)
{
	const struct policy_map *m = policy_find(&f->n, map);

	assert_non_null(m);
	return policy_apply(m, &t->r);
}

#define C(a, b) ((uint32_t)(a) << 16 | (b))

static void
test_prefix_ranges(void **state)
{
	struct fixture f;

	(void)state;
	load(&f, "prefix_lists:\n"
	         "  R:  [{action: permit, prefix: 10.0.0.0/8, ge: 16, le: 24}]\n"
	         "  E:  [{action: permit, prefix: 10.0.0.0/8}]\n"
	         "  LE: [{action: permit, prefix: 10.0.0.0/8, le: 16}]\n"
	         "  GE: [{action: permit, prefix: 10.0.0.0/8, ge: 32}]\n"
	         "  ANY: [{action: permit, prefix: any}]\n"
	         "  EMPTY: []\n"
	         "  ORDER:\n"
	         "    - {action: deny, prefix: 10.1.0.0/16}\n"
	         "    - {action: permit, prefix: 10.0.0.0/8, le: 24}\n");
	assert_true(f.ok);
	assert_true(pmatch(list(&f, PK_PREFIX, "R"), "10.1.0.0/16"));
	assert_true(pmatch(list(&f, PK_PREFIX, "R"), "10.1.1.0/24"));
	assert_false(pmatch(list(&f, PK_PREFIX, "R"), "10.0.0.0/8"));
	assert_false(pmatch(list(&f, PK_PREFIX, "R"), "10.0.0.0/15"));
	assert_false(pmatch(list(&f, PK_PREFIX, "R"), "10.1.1.128/25"));
	assert_false(pmatch(list(&f, PK_PREFIX, "R"), "11.1.0.0/16"));
	assert_true(pmatch(list(&f, PK_PREFIX, "E"), "10.0.0.0/8"));
	assert_false(pmatch(list(&f, PK_PREFIX, "E"), "10.0.0.0/9"));
	assert_true(pmatch(list(&f, PK_PREFIX, "LE"), "10.0.0.0/8"));
	assert_true(pmatch(list(&f, PK_PREFIX, "LE"), "10.200.0.0/16"));
	assert_false(pmatch(list(&f, PK_PREFIX, "LE"), "10.200.0.0/17"));
	assert_true(pmatch(list(&f, PK_PREFIX, "GE"), "10.1.2.3/32"));
	assert_false(pmatch(list(&f, PK_PREFIX, "GE"), "10.1.2.2/31"));
	assert_true(pmatch(list(&f, PK_PREFIX, "ANY"), "0.0.0.0/0"));
	assert_true(pmatch(list(&f, PK_PREFIX, "ANY"), "192.0.2.1/32"));
	/* FRR: an empty list permits, a missing one denies */
	assert_true(pmatch(list(&f, PK_PREFIX, "EMPTY"), "192.0.2.0/24"));
	assert_false(pmatch(NULL, "192.0.2.0/24"));
	assert_false(pmatch(list(&f, PK_PREFIX, "ORDER"), "10.1.0.0/16"));
	assert_true(pmatch(list(&f, PK_PREFIX, "ORDER"), "10.2.0.0/16"));
	assert_false(pmatch(list(&f, PK_PREFIX, "ORDER"), "10.2.0.0/25")); /* no entry: deny */
	/* sequence numbers as FRR gives them: 5, 10 */
	assert_int_equal(list(&f, PK_PREFIX, "ORDER")->e[0].seq, 5);
	assert_int_equal(list(&f, PK_PREFIX, "ORDER")->e[1].seq, 10);
	unload(&f);
}

static void
test_prefix_errors(void **state)
{
	struct fixture f;

	(void)state;
	load(&f, "prefix_lists:\n"
	         "  A: [{action: permit, prefix: 10.0.0.0/8, ge: 8}]\n"
	         "  B: [{action: permit, prefix: 10.0.0.0/8, ge: 24, le: 16}]\n"
	         "  C: [{action: permit, prefix: 10.0.0.1/8}]\n"
	         "  D: [{action: allow, prefix: 10.0.0.0/8}]\n"
	         "  E: [{seq: 5, action: permit, prefix: any}, {seq: 5, action: deny, prefix: any}]\n");
	assert_false(f.ok);
	assert_non_null(strstr(sb_str(&f.doc->errors), "t.yaml:2:7: invalid prefix range for "
	                                               "10.0.0.0/8: make sure len < ge <= le (got ge 8)"));
	assert_non_null(strstr(sb_str(&f.doc->errors), "t.yaml:3:7: invalid prefix range"));
	assert_non_null(strstr(sb_str(&f.doc->errors), "t.yaml:4:32: prefix 10.0.0.1/8 has host bits "
	                                               "set (did you mean 10.0.0.0/8?)"));
	assert_non_null(strstr(sb_str(&f.doc->errors), "t.yaml:5:16: unknown action 'allow' (expected permit or deny)"));
	assert_non_null(strstr(sb_str(&f.doc->errors), "t.yaml:6:52: sequence number 5 is used twice"));
	/* nothing half-built is installed */
	assert_null(policy_slot_find(f.n.policy, PK_PREFIX, "A"));
	unload(&f);
}

static void
test_regex(void **state)
{
	static const struct {
		const char *list, *text;
		bool want;
	} cases[] = {
	    {"END", "65002 65001", true},
	    {"END", "65001", true},
	    {"END", "65001 65002", false},
	    {"END", "65002 165001", false},
	    {"START", "65002 65001", true},
	    {"START", "65002", true},
	    {"START", "650021 1", false},
	    {"START", "1 65002", false},
	    {"EMPTY", "", true},
	    {"EMPTY", "65001", false},
	    {"RANGE", "1 65005 2", true},
	    {"RANGE", "65003", true},
	    {"RANGE", "650012", false},
	    {"RANGE", "65010", false},
	    /* `_` matches the braces and commas of an AS_SET as FRR prints it */
	    {"SET", "65002 {65003,65004}", true},
	    {"SET", "{65004,65003}", true},
	    {"SET", "{65003,650045}", false},
	    {"ALT", "65001 64513 65002", false},
	    {"ALT", "65001 64514 65002", true},
	};
	struct fixture f;

	(void)state;
	load(&f, "as_path_lists:\n"
	         "  END: [{action: permit, regex: \"_65001$\"}]\n"
	         "  START: [{action: permit, regex: \"^65002_\"}]\n"
	         "  EMPTY: [{action: permit, regex: \"^$\"}]\n"
	         "  RANGE: [{action: permit, regex: \"_6500[0-9]_\"}]\n"
	         "  SET: [{action: permit, regex: \"_65004_\"}]\n"
	         "  ALT: [{action: deny, regex: \"_(64512|64513)_\"}, {action: permit, regex: \".*\"}]\n");
	assert_true(f.ok);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (plist_match_text(list(&f, PK_ASPATH, cases[i].list), cases[i].text) != cases[i].want)
			fail_msg("%s on '%s': want %s", cases[i].list, cases[i].text,
			         cases[i].want ? "permit" : "deny");
	unload(&f);

	load(&f, "as_path_lists:\n"
	         "  BAD: [{action: permit, regex: \"(65001\"}]\n");
	assert_false(f.ok);
	assert_non_null(strstr(sb_str(&f.doc->errors), "t.yaml:2:33: bad regular expression '(65001'"));
	unload(&f);
}

/* The AS path as the route map sees it: an AS_SET printed in braces. */
static void
test_aspath_match(void **state)
{
	static const uint8_t path[] = {BGP_AS_SEQUENCE, 1, 0, 0, 0xfd, 0xea,      /* 65002 */
	                               BGP_AS_SET, 2, 0, 0, 0xfd, 0xeb, 0, 0, 0xfd, 0xec};
	struct fixture f;
	struct route t;

	(void)state;
	load(&f, "as_path_lists:\n"
	         "  S: [{action: permit, regex: \"^65002 [{]65003,65004[}]$\"}]\n"
	         "route_maps:\n"
	         "  M: [{seq: 10, action: permit, match: {as_path: S}}]\n");
	assert_true(f.ok);
	route(&t, "10.0.0.0/24", NULL);
	t.a.aspath = path;
	t.a.aspath_len = sizeof(path);
	assert_int_equal(apply(&f, "M", &t), POLICY_PERMIT);
	route(&t, "10.0.0.0/24", (const uint32_t[]){65002, 65003, 65004, 0});
	assert_int_equal(apply(&f, "M", &t), POLICY_DENY);
	unload(&f);
}

static void
test_community_match(void **state)
{
	struct fixture f;
	struct route t;

	(void)state;
	load(&f, "community_lists:\n"
	         "  T: [{action: permit, members: [\"65002:100\", no-export]}]\n"
	         "  X: [{action: permit, regex: \"^65002:\"}]\n"
	         "route_maps:\n"
	         "  ALL: [{seq: 10, action: permit, match: {community: T}}]\n"
	         "  EXACT: [{seq: 10, action: permit, match: {community: T, exact_match: true}}]\n"
	         "  RE: [{seq: 10, action: permit, match: {community: X}}]\n");
	assert_true(f.ok);
	route(&t, "10.0.0.0/24", NULL);
	comms(&t, (const uint32_t[]){C(65002, 100)}, 1);
	assert_int_equal(apply(&f, "ALL", &t), POLICY_DENY); /* one member missing */
	comms(&t, (const uint32_t[]){C(1, 1), BGP_COMM_NO_EXPORT, C(65002, 100)}, 3);
	assert_int_equal(apply(&f, "ALL", &t), POLICY_PERMIT);
	assert_int_equal(apply(&f, "EXACT", &t), POLICY_DENY); /* 1:1 is extra */
	comms(&t, (const uint32_t[]){BGP_COMM_NO_EXPORT, C(65002, 100)}, 2);
	assert_int_equal(apply(&f, "EXACT", &t), POLICY_PERMIT);
	assert_int_equal(apply(&f, "RE", &t), POLICY_DENY); /* text "no-export 65002:100" */
	comms(&t, (const uint32_t[]){C(65002, 100), C(1, 1)}, 2);
	assert_int_equal(apply(&f, "RE", &t), POLICY_PERMIT);
	comms(&t, NULL, 0);
	assert_int_equal(apply(&f, "ALL", &t), POLICY_DENY);
	unload(&f);
}

static void
test_community_set(void **state)
{
	struct fixture f;
	struct route t;

	(void)state;
	load(&f, "community_lists:\n"
	         "  X: [{action: permit, regex: \"^65002:\"}]\n"
	         "route_maps:\n"
	         "  ADD: [{seq: 10, action: permit, set: {community: [\"65002:100\", \"1:1\"],"
	         " community_additive: true}}]\n"
	         "  REPL: [{seq: 10, action: permit, set: {community: [\"2:2\", \"1:1\", \"2:2\"]}}]\n"
	         "  NONE: [{seq: 10, action: permit, set: {community: none}}]\n"
	         "  DEL: [{seq: 10, action: permit, set: {community_delete: X}}]\n");
	assert_true(f.ok);
	route(&t, "10.0.0.0/24", NULL);
	comms(&t, (const uint32_t[]){C(65002, 200), C(1, 1)}, 2);
	assert_int_equal(apply(&f, "ADD", &t), POLICY_PERMIT);
	/* merged, sorted and deduplicated (FRR's community_uniq_sort), rebuilt in the route's buffer */
	assert_int_equal(t.a.ncomm, 3);
	assert_int_equal(t.a.comm[0], C(1, 1));
	assert_int_equal(t.a.comm[1], C(65002, 100));
	assert_int_equal(t.a.comm[2], C(65002, 200));
	assert_true((const uint8_t *)t.a.comm >= t.r.buf &&
	            (const uint8_t *)t.a.comm < t.r.buf + POLICY_BUF);
	assert_int_equal(t.comm[0], C(65002, 200)); /* the original is untouched */

	comms(&t, (const uint32_t[]){C(65002, 200)}, 1);
	assert_int_equal(apply(&f, "REPL", &t), POLICY_PERMIT);
	assert_int_equal(t.a.ncomm, 2);
	assert_int_equal(t.a.comm[0], C(1, 1));
	assert_int_equal(t.a.comm[1], C(2, 2));
	assert_true((const uint8_t *)t.a.comm >= t.r.buf &&
	            (const uint8_t *)t.a.comm < t.r.buf + POLICY_BUF); /* never the map's own array */

	assert_int_equal(apply(&f, "NONE", &t), POLICY_PERMIT);
	assert_int_equal(t.a.ncomm, 0);

	comms(&t, (const uint32_t[]){C(65002, 1), C(1, 1), C(65002, 2), BGP_COMM_NO_EXPORT}, 4);
	assert_int_equal(apply(&f, "DEL", &t), POLICY_PERMIT);
	assert_int_equal(t.a.ncomm, 2);
	assert_int_equal(t.a.comm[0], C(1, 1));
	assert_int_equal(t.a.comm[1], BGP_COMM_NO_EXPORT);
	unload(&f);
}

static void
test_ext_large_set(void **state)
{
	static const uint8_t rt[] = {0x00, 0x02, 0xfd, 0xe8, 0, 0, 0, 1};
	static const uint8_t soo[] = {0x01, 0x03, 10, 0, 0, 1, 0, 7};
	static const uint8_t rt4[] = {0x02, 0x02, 0xfa, 0x56, 0xea, 0x00, 0, 5};
	struct fixture f;
	struct route t;
	const uint8_t big[12] = {0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3};

	(void)state;
	load(&f, "large_community_lists:\n"
	         "  L: [{action: permit, members: [\"1:2:3\"]}]\n"
	         "ext_community_lists:\n"
	         "  E: [{action: permit, members: [\"soo:10.0.0.1:7\"]}]\n"
	         "route_maps:\n"
	         "  M:\n"
	         "    - {seq: 10, action: permit, match: {large_community: L},"
	         " set: {ext_community: [\"rt:4200000000:5\", \"soo:10.0.0.1:7\", \"RT:65000:1\"]}}\n"
	         "  N: [{seq: 10, action: permit, match: {ext_community: E}}]\n");
	assert_true(f.ok);
	route(&t, "10.0.0.0/24", NULL);
	assert_int_equal(apply(&f, "M", &t), POLICY_DENY);
	t.a.lcomm = big;
	t.a.nlcomm = 1;
	assert_int_equal(apply(&f, "M", &t), POLICY_PERMIT);
	assert_int_equal(t.a.necomm, 3); /* in octet order */
	assert_memory_equal(t.a.ecomm, rt, 8);
	assert_memory_equal(t.a.ecomm + 8, soo, 8);
	assert_memory_equal(t.a.ecomm + 16, rt4, 8);
	assert_int_equal(apply(&f, "N", &t), POLICY_PERMIT);
	unload(&f);

	load(&f, "ext_community_lists:\n"
	         "  E: [{action: permit, members: [\"target:1:1\"]}]\n");
	assert_false(f.ok);
	assert_non_null(strstr(sb_str(&f.doc->errors), "t.yaml:2:34: bad extended community 'target:1:1'"));
	unload(&f);
}

static void
test_med_lp_relative(void **state)
{
	struct fixture f;
	struct route t;

	(void)state;
	load(&f, "route_maps:\n"
	         "  UP: [{seq: 10, action: permit, set: {med: +10, local_preference: \"-30\"}}]\n"
	         "  DOWN: [{seq: 10, action: permit, set: {med: \"-100\"}}]\n"
	         "  ABS: [{seq: 10, action: permit, set: {med: 7, weight: 3, tag: 9, origin: egp}}]\n");
	assert_true(f.ok);
	route(&t, "10.0.0.0/24", NULL);
	t.a.med = 50;
	t.a.has = BGP_HAS_MED;
	assert_int_equal(apply(&f, "UP", &t), POLICY_PERMIT);
	assert_int_equal(t.a.med, 60);
	assert_int_equal(t.a.local_pref, 70); /* from the default 100 */
	assert_true(t.a.has & BGP_HAS_LOCAL_PREF);
	assert_int_equal(apply(&f, "DOWN", &t), POLICY_PERMIT);
	assert_int_equal(t.a.med, 0); /* floors at 0 */
	route(&t, "10.0.0.0/24", NULL);
	assert_int_equal(apply(&f, "UP", &t), POLICY_PERMIT);
	assert_int_equal(t.a.med, 10); /* no MED: from 0 */
	assert_true(t.a.has & BGP_HAS_MED);
	assert_int_equal(apply(&f, "ABS", &t), POLICY_PERMIT);
	assert_int_equal(t.a.med, 7);
	assert_int_equal(t.a.weight, 3);
	assert_int_equal(t.a.tag, 9);
	assert_int_equal(t.r.tag, 9);
	assert_int_equal(t.a.origin, BGP_ORIGIN_EGP);
	unload(&f);
}

static void
test_prepend(void **state)
{
	struct fixture f;
	struct route t;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	load(&f, "route_maps:\n"
	         "  P: [{seq: 10, action: permit, set: {as_path_prepend: [65002, 65009]}}]\n"
	         "  S: [{seq: 10, action: permit, set: {as_path_prepend: \"65005 65005\"}}]\n"
	         "  L: [{seq: 10, action: permit, set: {as_path_prepend: last-as 2}}]\n"
	         "  X: [{seq: 10, action: permit, set: {as_path_exclude: [65003]}}]\n");
	assert_true(f.ok);
	route(&t, "10.0.0.0/24", (const uint32_t[]){65001, 65003, 0});
	assert_int_equal(apply(&f, "P", &t), POLICY_PERMIT);
	assert_string_equal(path_text(&t.a, &sb), "65002 65009 65001 65003");
	route(&t, "10.0.0.0/24", (const uint32_t[]){65001, 65003, 0});
	assert_int_equal(apply(&f, "S", &t), POLICY_PERMIT);
	assert_string_equal(path_text(&t.a, &sb), "65005 65005 65001 65003");
	route(&t, "10.0.0.0/24", (const uint32_t[]){65001, 65003, 0});
	assert_int_equal(apply(&f, "L", &t), POLICY_PERMIT);
	assert_string_equal(path_text(&t.a, &sb), "65001 65001 65001 65003");
	route(&t, "10.0.0.0/24", NULL);
	assert_int_equal(apply(&f, "L", &t), POLICY_PERMIT);
	assert_string_equal(path_text(&t.a, &sb), ""); /* no first AS: nothing to repeat */
	route(&t, "10.0.0.0/24", (const uint32_t[]){65003, 65001, 65003, 0});
	assert_int_equal(apply(&f, "X", &t), POLICY_PERMIT);
	assert_string_equal(path_text(&t.a, &sb), "65001");
	route(&t, "10.0.0.0/24", (const uint32_t[]){65003, 0});
	assert_int_equal(apply(&f, "X", &t), POLICY_PERMIT);
	assert_int_equal(t.a.aspath_len, 0); /* the emptied segment goes */
	sb_free(&sb);
	unload(&f);

	load(&f, "route_maps:\n"
	         "  L: [{seq: 10, action: permit, set: {as_path_prepend: last-as 11}}]\n");
	assert_false(f.ok);
	assert_non_null(strstr(sb_str(&f.doc->errors),
	                       "expected 'last-as N' with N from 1 to 10, got 'last-as 11'"));
	unload(&f);
}

static void
test_flow(void **state)
{
	struct fixture f;
	struct route t;
	const struct policy_map *m;

	(void)state;
	load(&f, "prefix_lists:\n"
	         "  TEN: [{action: permit, prefix: 10.0.0.0/8, le: 32}]\n"
	         "route_maps:\n"
	         "  NEXT:\n"
	         "    - {seq: 10, action: permit, set: {local_preference: 200}, on_match: next}\n"
	         "    - {seq: 20, action: permit, match: {prefix_list: TEN}, set: {med: 5}}\n"
	         "  CONT:\n"
	         "    - {seq: 10, action: permit, set: {weight: 2}, continue: true}\n"
	         "    - {seq: 20, action: permit, match: {prefix_list: TEN}, set: {tag: 5}}\n"
	         "  GOTO:\n"
	         "    - {seq: 10, action: permit, set: {local_preference: 200}, continue: 30}\n"
	         "    - {seq: 20, action: deny}\n"
	         "    - {seq: 30, action: permit, set: {weight: 9}}\n"
	         "  PAST:\n"
	         "    - {seq: 10, action: permit, set: {weight: 1}, on_match: goto 50}\n"
	         "    - {seq: 20, action: deny}\n"
	         "  DENY:\n"
	         "    - {seq: 10, action: deny, match: {prefix_list: TEN}}\n"
	         "    - {seq: 20, action: permit}\n"
	         "  ONLY: [{seq: 10, action: permit, match: {prefix_list: TEN}}]\n"
	         "  EMPTY: []\n");
	assert_true(f.ok);
	/* on_match next: both entries' sets */
	route(&t, "10.1.0.0/16", NULL);
	assert_int_equal(apply(&f, "NEXT", &t), POLICY_PERMIT);
	assert_int_equal(t.a.local_pref, 200);
	assert_int_equal(t.a.med, 5);
	/* FRR: going on, an entry that does not match (and nothing after it) denies */
	route(&t, "192.0.2.0/24", NULL);
	assert_int_equal(apply(&f, "NEXT", &t), POLICY_DENY);
	route(&t, "10.1.0.0/16", NULL);
	assert_int_equal(apply(&f, "CONT", &t), POLICY_PERMIT); /* continue: true is on_match next */
	assert_int_equal(t.a.weight, 2);
	assert_int_equal(t.a.tag, 5);
	/* continue 30 skips the deny at 20 */
	route(&t, "192.0.2.0/24", NULL);
	assert_int_equal(apply(&f, "GOTO", &t), POLICY_PERMIT);
	assert_int_equal(t.a.local_pref, 200);
	assert_int_equal(t.a.weight, 9);
	/* a jump past the last entry permits */
	route(&t, "192.0.2.0/24", NULL);
	assert_int_equal(apply(&f, "PAST", &t), POLICY_PERMIT);
	assert_int_equal(t.a.weight, 1);
	route(&t, "10.1.0.0/16", NULL);
	assert_int_equal(apply(&f, "DENY", &t), POLICY_DENY);
	route(&t, "192.0.2.0/24", NULL);
	assert_int_equal(apply(&f, "DENY", &t), POLICY_PERMIT);
	/* the implicit deny at the end, and an empty route map */
	assert_int_equal(apply(&f, "ONLY", &t), POLICY_DENY);
	assert_int_equal(apply(&f, "EMPTY", &t), POLICY_DENY);
	assert_int_equal(policy_apply(NULL, &t.r), POLICY_DENY);
	/* FRR's Invoked: per map, and per entry each time it is looked at */
	m = policy_find(&f.n, "DENY");
	assert_int_equal(m->invoked, 2);
	assert_int_equal(m->e[0].hits, 2);
	assert_int_equal(m->e[1].hits, 1);
	m = policy_find(&f.n, "GOTO");
	assert_int_equal(m->e[1].hits, 0); /* jumped over */
	unload(&f);
}

static void
test_matches(void **state)
{
	struct fixture f;
	struct route t;

	(void)state;
	load(&f, "prefix_lists:\n"
	         "  NH: [{action: permit, prefix: 192.0.2.0/24, le: 32}]\n"
	         "route_maps:\n"
	         "  M:\n"
	         "    - seq: 10\n"
	         "      action: permit\n"
	         "      match: {next_hop_prefix_list: NH, origin: igp, med: 5, local_preference: 50,\n"
	         "              route_type: ebgp, tag: 3, peer: 10.0.0.1, next_hop: 192.0.2.9}\n");
	assert_true(f.ok);
	route(&t, "10.0.0.0/24", NULL);
	t.a.has = BGP_HAS_NEXT_HOP | BGP_HAS_MED | BGP_HAS_LOCAL_PREF;
	t.a.nexthop = 0xC0000209;
	t.a.med = 5;
	t.a.local_pref = 50;
	t.r.tag = 3;
	t.r.peer_addr = 0x0A000001;
	assert_int_equal(apply(&f, "M", &t), POLICY_PERMIT);
	t.r.route_type = "ibgp";
	assert_int_equal(apply(&f, "M", &t), POLICY_DENY);
	t.r.route_type = "ebgp";
	t.r.peer_addr = 0x0A000002;
	assert_int_equal(apply(&f, "M", &t), POLICY_DENY);
	t.r.peer_addr = 0x0A000001;
	t.a.has &= ~BGP_HAS_MED;
	assert_int_equal(apply(&f, "M", &t), POLICY_DENY);
	t.a.has = BGP_HAS_NEXT_HOP | BGP_HAS_MED; /* no LOCAL_PREF: counts as 100, not 50 */
	assert_int_equal(apply(&f, "M", &t), POLICY_DENY);
	t.a.has |= BGP_HAS_LOCAL_PREF;
	t.r.tag = 4;
	assert_int_equal(apply(&f, "M", &t), POLICY_DENY);
	t.r.tag = 3;
	t.a.origin = BGP_ORIGIN_INCOMPLETE;
	assert_int_equal(apply(&f, "M", &t), POLICY_DENY);
	t.a.origin = BGP_ORIGIN_IGP;
	t.a.nexthop = 0xC0000208; /* still in NH's range, but not next_hop 192.0.2.9 */
	assert_int_equal(apply(&f, "M", &t), POLICY_DENY);
	t.a.nexthop = 0xC0000209;
	assert_int_equal(apply(&f, "M", &t), POLICY_PERMIT);
	unload(&f);
}

static void
test_config_errors(void **state)
{
	struct fixture f;
	const char *e;

	(void)state;
	load(&f, "prefix_lists:\n"
	         "  P: [{action: permit, prefix: any}]\n"
	         "route_maps:\n"
	         "  M:\n"
	         "    - seq: 10\n"
	         "      action: permit\n"
	         "      match: {prefix_list: NOPE, as_path: P}\n"
	         "      set: {colour: blue}\n"
	         "    - {seq: 20, action: permit, continue: 10}\n"
	         "    - {seq: 30, action: permit, on_match: jump}\n");
	assert_false(f.ok);
	e = sb_str(&f.doc->errors);
	assert_non_null(strstr(e, "t.yaml:7:28: route map M: no prefix list 'NOPE' "
	                          "(define it under prefix_lists)"));
	assert_non_null(strstr(e, "t.yaml:7:43: route map M: no AS-path list 'P' "
	                          "(define it under as_path_lists)"));
	assert_non_null(strstr(e, "t.yaml:8:13: unknown key 'colour' in route map set "
	                          "(expected one of: local_preference, med,"));
	assert_non_null(strstr(e, "t.yaml:9:43: cannot jump to sequence 10 from 20"));
	assert_non_null(strstr(e, "t.yaml:10:43: expected 'next' or 'goto SEQ'"));
	assert_null(policy_find(&f.n, "M"));
	unload(&f);
}

static void
test_replace(void **state)
{
	struct fixture f;
	struct route t;
	struct cfg_doc *d;
	const struct policy_map *m;
	static const char good[] = "[{action: permit, prefix: 192.0.2.0/24}]";
	static const char bad[] = "[{action: permit, prefix: 192.0.2.0/33}]";
	static const char map2[] = "[{seq: 10, action: permit, set: {local_preference: 300}}]";

	(void)state;
	load(&f, "prefix_lists:\n"
	         "  P: [{action: permit, prefix: 10.0.0.0/8}]\n"
	         "route_maps:\n"
	         "  M: [{seq: 10, action: permit, match: {prefix_list: P}}]\n");
	assert_true(f.ok);
	assert_int_equal(policy_generation(&f.n), 0);
	route(&t, "192.0.2.0/24", NULL);
	assert_int_equal(apply(&f, "M", &t), POLICY_DENY);

	d = cfg_parse_yaml("cmd", good, strlen(good));
	assert_true(policy_replace(&f.n, "prefix_list", "P", d->root));
	cfg_doc_free(d);
	assert_int_equal(policy_generation(&f.n), 1);
	assert_int_equal(apply(&f, "M", &t), POLICY_PERMIT); /* the map sees the new list */

	d = cfg_parse_yaml("cmd", bad, strlen(bad));
	assert_false(policy_replace(&f.n, "prefix_list", "P", d->root));
	assert_non_null(strstr(sb_str(&d->errors), "cmd:1:27:"));
	cfg_doc_free(d);
	assert_int_equal(policy_generation(&f.n), 1); /* nothing changed */
	assert_int_equal(apply(&f, "M", &t), POLICY_PERMIT);

	m = policy_find(&f.n, "M");
	d = cfg_parse_yaml("cmd", map2, strlen(map2));
	assert_true(policy_replace(&f.n, "route_map", "M", d->root));
	cfg_doc_free(d);
	assert_int_equal(policy_generation(&f.n), 2);
	assert_ptr_not_equal(policy_find(&f.n, "M"), m);
	assert_int_equal(apply(&f, "M", &t), POLICY_PERMIT);
	assert_int_equal(t.a.local_pref, 300);

	assert_true(policy_delete(&f.n, "route_map", "M"));
	assert_null(policy_find(&f.n, "M"));
	assert_false(policy_delete(&f.n, "route_map", "M"));
	assert_int_equal(policy_generation(&f.n), 3);

	/* a route map naming a deleted list is refused; the one already using it then denies */
	d = cfg_parse_yaml("cmd", "[{seq: 10, action: permit, match: {prefix_list: P}}]", 52);
	assert_true(policy_replace(&f.n, "route_map", "M", d->root));
	cfg_doc_free(d);
	assert_true(policy_delete(&f.n, "prefix_list", "P"));
	assert_int_equal(apply(&f, "M", &t), POLICY_DENY);
	d = cfg_parse_yaml("cmd", "[{seq: 10, action: permit, match: {prefix_list: P}}]", 52);
	assert_false(policy_replace(&f.n, "route_map", "N", d->root));
	assert_non_null(strstr(sb_str(&d->errors), "no prefix list 'P'"));
	cfg_doc_free(d);
	d = cfg_parse_yaml("cmd", "[]", 2);
	assert_false(policy_replace(&f.n, "route_mop", "N", d->root));
	cfg_doc_free(d);
	unload(&f);
}

/* Which objects a route map depends on: what tells a protocol to apply it again. */
static void
test_refers(void **state)
{
	struct fixture f;

	(void)state;
	load(&f, "prefix_lists:\n"
	         "  P: [{action: permit, prefix: 10.0.0.0/8}]\n"
	         "  Q: [{action: permit, prefix: 10.0.0.0/8}]\n"
	         "as_path_lists:\n"
	         "  A: [{action: permit, regex: '_65001$'}]\n"
	         "community_lists:\n"
	         "  C: [{action: permit, members: ['65000:1']}]\n"
	         "route_maps:\n"
	         "  M: [{seq: 10, action: permit, match: {prefix_list: P}, set: {community_delete: C}}]\n"
	         "  N: [{seq: 10, action: permit, match: {as_path: A}}]\n");
	assert_true(f.ok);
	assert_true(policy_map_refers(&f.n, "M", "route_map", "M"));
	assert_false(policy_map_refers(&f.n, "M", "route_map", "N"));
	assert_true(policy_map_refers(&f.n, "M", "prefix_list", "P"));
	assert_false(policy_map_refers(&f.n, "M", "prefix_list", "Q"));
	assert_true(policy_map_refers(&f.n, "M", "community_list", "C"));
	assert_false(policy_map_refers(&f.n, "M", "as_path_list", "A"));
	assert_true(policy_map_refers(&f.n, "N", "as_path_list", "A"));
	assert_false(policy_map_refers(&f.n, "N", "prefix_list", "A")); /* kind and name both */
	assert_true(policy_map_refers(&f.n, "GONE", "route_map", "GONE"));
	assert_false(policy_map_refers(&f.n, "GONE", "prefix_list", "P"));
	unload(&f);
}

/* Attributes that outgrow the rewrite buffer: the route is denied, nothing overruns. */
static void
test_buffer_short(void **state)
{
	struct fixture f;
	struct route t;
	uint32_t *many = calloc(1100, sizeof(*many));

	(void)state;
	load(&f, "route_maps:\n"
	         "  M: [{seq: 10, action: permit, set: {community: [\"1:1\"], community_additive: true}}]\n");
	assert_true(f.ok);
	for (int i = 0; i < 1100; i++)
		many[i] = C(2, i);
	route(&t, "10.0.0.0/24", NULL);
	t.a.comm = many;
	t.a.ncomm = 1100;
	assert_int_equal(apply(&f, "M", &t), POLICY_DENY);
	assert_true(t.r.used <= POLICY_BUF);
	free(many);
	unload(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_refers),
	    cmocka_unit_test(test_prefix_ranges), cmocka_unit_test(test_prefix_errors),
	    cmocka_unit_test(test_regex),         cmocka_unit_test(test_aspath_match),
	    cmocka_unit_test(test_community_match), cmocka_unit_test(test_community_set),
	    cmocka_unit_test(test_ext_large_set), cmocka_unit_test(test_med_lp_relative),
	    cmocka_unit_test(test_prepend),       cmocka_unit_test(test_flow),
	    cmocka_unit_test(test_matches),       cmocka_unit_test(test_config_errors),
	    cmocka_unit_test(test_replace),       cmocka_unit_test(test_buffer_short),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
