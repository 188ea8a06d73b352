/*
 * test_bgp_decision.c: the BGP decision process (src/proto/bgp/decision.h).
 *
 * One fixture per tie-breaker: paths that tie on every earlier step and
 * differ on that one (the winner worse on the later steps, so the step
 * order is what decides), asserting the winner and the reason, each run in
 * every order of its candidates. Invalid paths never win; the MED
 * non-transitivity example with and without deterministic MED;
 * always_compare_med and med_missing_as_worst; ORIGINATOR_ID in place of the
 * router ID; AS_SET and confederation counting; the multipath set's contents,
 * order and limits for eBGP and iBGP. And a randomized test: seeded random
 * candidate sets, each selected in many orders, checked against properties
 * and against a model written here (a scan in neighbor address order without
 * deterministic MED; group bests with it; FRR's multipath rule).
 *
 * Attributes are built on the stack: nothing here interns.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/buf.h"
#include "lib/rng.h"
#include "proto/bgp/decision.h"

#define MAXC 8

/* A path's attributes with room for its AS path and CLUSTER_LIST. */
struct fx {
	struct bgp_attr attr;
	uint8_t aspath[96];
	uint32_t cluster[4];
};

/*
 * An AS path from text: "1 2 {3,4} (5,6) [7,8]": plain numbers are a
 * SEQUENCE, {} a SET, () a CONFED_SEQUENCE, [] a CONFED_SET.
 */
static uint16_t
aspath_parse(const char *s, uint8_t *out)
{
	size_t o = 0, seg = (size_t)-1;

	while (*s != '\0') {
		if (*s == ' ') {
			s++;
			continue;
		}
		if (*s == '{' || *s == '(' || *s == '[') {
			uint8_t type = *s == '{' ? BGP_AS_SET :
			    *s == '(' ? BGP_AS_CONFED_SEQUENCE : BGP_AS_CONFED_SET;
			char close = *s == '{' ? '}' : *s == '(' ? ')' : ']';

			out[o] = type;
			out[o + 1] = 0;
			seg = o;
			o += 2;
			s++;
			while (*s != close) {
				char *end;
				put32(out + o, (uint32_t)strtoul(s, &end, 10));
				o += 4;
				out[seg + 1]++;
				s = *end == ',' ? end + 1 : end;
			}
			s++;
			seg = (size_t)-1;
			continue;
		}
		char *end;
		uint32_t as = (uint32_t)strtoul(s, &end, 10);
		if (seg == (size_t)-1 || out[seg] != BGP_AS_SEQUENCE) {
			seg = o;
			out[o] = BGP_AS_SEQUENCE;
			out[o + 1] = 0;
			o += 2;
		}
		put32(out + o, as);
		o += 4;
		out[seg + 1]++;
		s = end;
	}
	return (uint16_t)o;
}

/* A valid learned path: neighbor address and router ID id, from AS peer_as, with path text. */
static struct bgp_cand
mk(struct fx *f, uint32_t id, uint32_t peer_as, bool ebgp, const char *path)
{
	memset(f, 0, sizeof(*f));
	f->attr.aspath_len = aspath_parse(path, f->aspath);
	f->attr.aspath = f->aspath;
	f->attr.cluster = f->cluster;
	f->attr.origin = BGP_ORIGIN_IGP;
	return (struct bgp_cand){.attr = &f->attr, .peer_addr = 0x0a000000u + id,
	    .peer_id = 0x01010100u + id, .peer_as = peer_as, .ebgp = ebgp, .valid = true};
}

static void
set_med(struct fx *f, uint32_t med)
{
	f->attr.has |= BGP_HAS_MED;
	f->attr.med = med;
}

static void
set_lp(struct fx *f, uint32_t lp)
{
	f->attr.has |= BGP_HAS_LOCAL_PREF;
	f->attr.local_pref = lp;
}

static void
set_clusters(struct fx *f, unsigned n)
{
	f->attr.ncluster = (uint16_t)n;
	for (unsigned i = 0; i < n; i++)
		f->cluster[i] = 0x0b000000u + i;
}

/* What a selection gave, with indices as in the original order. */
struct result {
	size_t best, nmp, mp[MAXC];
	enum bgp_reason why;
};

static struct result
select_in_order(const struct bgp_cand *c, size_t n, const size_t *perm,
    const struct bgp_decision_cfg *cfg)
{
	struct bgp_cand p[MAXC];
	size_t mp[MAXC];
	struct result r;

	for (size_t i = 0; i < n; i++)
		p[i] = c[perm[i]];
	r.best = bgp_select(p, n, cfg, &r.why, mp, &r.nmp);
	if (r.best != (size_t)-1)
		r.best = perm[r.best];
	for (size_t i = 0; i < r.nmp; i++)
		r.mp[i] = perm[mp[i]];
	return r;
}

static bool
next_perm(size_t *a, size_t n)
{
	size_t i = n - 1, j = n - 1, t;

	while (i > 0 && a[i - 1] >= a[i])
		i--;
	if (i == 0)
		return false;
	while (a[j] <= a[i - 1])
		j--;
	t = a[i - 1], a[i - 1] = a[j], a[j] = t;
	for (j = n - 1; i < j; i++, j--)
		t = a[i], a[i] = a[j], a[j] = t;
	return true;
}

static void
assert_same(const struct result *a, const struct result *b)
{
	assert_int_equal(a->best, b->best);
	assert_int_equal(a->why, b->why);
	assert_int_equal(a->nmp, b->nmp);
	for (size_t i = 0; i < a->nmp; i++)
		assert_int_equal(a->mp[i], b->mp[i]);
}

/* Select in every order of the candidates (n <= 7): the same result each time, which is returned. */
static struct result
select_all_orders(const struct bgp_cand *c, size_t n, const struct bgp_decision_cfg *cfg)
{
	size_t perm[MAXC] = {0};
	struct result first;
	unsigned orders = 0;

	for (size_t i = 0; i < n; i++)
		perm[i] = i;
	first = select_in_order(c, n, perm, cfg);
	while (n > 1 && next_perm(perm, n)) {
		struct result r = select_in_order(c, n, perm, cfg);
		assert_same(&first, &r);
		orders++;
	}
	if (n > 1)
		assert_true(orders > 0);
	return first;
}

/* The winner and reason in every order. */
static void
expect(const struct bgp_cand *c, size_t n, const struct bgp_decision_cfg *cfg, size_t best,
    enum bgp_reason why)
{
	struct result r = select_all_orders(c, n, cfg);

	assert_int_equal(r.best, best);
	assert_int_equal(r.why, why);
	assert_string_equal(bgp_reason_str(r.why), bgp_reason_str(why));
	/* The pairwise comparison agrees with the reason against the others. */
	for (size_t i = 0; i < n; i++)
		if (i != best && c[i].valid)
			assert_true(bgp_path_cmp(&c[best], &c[i], cfg, NULL) < 0);
}

static const struct bgp_decision_cfg dflt = {.max_paths_ebgp = 1, .max_paths_ibgp = 1};

static void
test_weight(void **state)
{
	(void)state;
	struct fx f[3];
	/* The winner has the higher weight and loses every later step. */
	struct bgp_cand c[3] = {mk(&f[0], 9, 1, false, "1 2 3 4"), mk(&f[1], 1, 2, true, "2"),
	    mk(&f[2], 2, 3, true, "3")};

	f[0].attr.weight = 100;
	f[0].attr.origin = BGP_ORIGIN_INCOMPLETE;
	set_lp(&f[0], 50);
	set_lp(&f[1], 200);
	c[0].igp_metric = 50;
	f[2].attr.weight = 10;
	expect(c, 3, &dflt, 0, BGP_WHY_WEIGHT);
	/* The runner-up (weight 10) over the third: still "Weight"; and "Local Pref" between 1 and 2 alone. */
	enum bgp_reason why;
	assert_true(bgp_path_cmp(&c[1], &c[2], &dflt, &why) > 0);
	assert_int_equal(why, BGP_WHY_WEIGHT);
}

static void
test_local_pref(void **state)
{
	(void)state;
	struct fx f[3];
	struct bgp_cand c[3] = {mk(&f[0], 9, 65000, false, "1 2 3"), mk(&f[1], 1, 2, true, "2"),
	    mk(&f[2], 2, 65000, false, "")};

	set_lp(&f[0], 200);
	c[2].local = true;
	c[2].peer_addr = c[2].peer_id = 0;
	set_lp(&f[2], 150);
	expect(c, 3, &dflt, 0, BGP_WHY_LOCAL_PREF);

	/* No LOCAL_PREF (an eBGP path) counts as 100: above 99, below 101. */
	struct fx g[2];
	struct bgp_cand d[2] = {mk(&g[0], 5, 1, true, "1 2 3"), mk(&g[1], 1, 65000, false, "4")};
	set_lp(&g[1], 99);
	expect(d, 2, &dflt, 0, BGP_WHY_LOCAL_PREF);
	set_lp(&g[1], 101);
	expect(d, 2, &dflt, 1, BGP_WHY_LOCAL_PREF);
	set_lp(&g[1], 100); /* equal: the AS path decides */
	expect(d, 2, &dflt, 1, BGP_WHY_AS_PATH);
}

static void
test_local_route(void **state)
{
	(void)state;
	struct fx f[2];
	/* Locally originated (with a long prepended path and incomplete origin) beats learned. */
	struct bgp_cand c[2] = {mk(&f[0], 0, 0, false, "65000 65000 65000"), mk(&f[1], 1, 2, true, "2")};

	c[0].local = true;
	c[0].peer_addr = c[0].peer_id = 0;
	f[0].attr.origin = BGP_ORIGIN_INCOMPLETE;
	c[0].igp_metric = 10;
	expect(c, 2, &dflt, 0, BGP_WHY_LOCAL_ROUTE);
}

static void
test_as_path(void **state)
{
	(void)state;
	struct fx f[3];
	struct bgp_cand c[3] = {mk(&f[0], 9, 1, false, "1 2"), mk(&f[1], 1, 3, true, "3 4 5"),
	    mk(&f[2], 2, 6, true, "6 7 8 9")};

	f[0].attr.origin = BGP_ORIGIN_INCOMPLETE;
	c[0].igp_metric = 99;
	expect(c, 3, &dflt, 0, BGP_WHY_AS_PATH);
}

static void
test_as_set_and_confed_counting(void **state)
{
	(void)state;
	struct fx f[2];
	/* A SET counts one whatever its size: 2 hops against 3. */
	struct bgp_cand c[2] = {mk(&f[0], 9, 1, true, "1 {2,3,4,5,6}"), mk(&f[1], 1, 7, true, "7 8 9")};

	f[0].attr.origin = BGP_ORIGIN_EGP;
	expect(c, 2, &dflt, 0, BGP_WHY_AS_PATH);
	/* 2 hops against 2: the origin decides. */
	f[1].attr.aspath_len = aspath_parse("7 8", f[1].aspath);
	expect(c, 2, &dflt, 1, BGP_WHY_ORIGIN);

	/* Confederation segments count 0: (65100 65101 65102 65103) 1 2 is 2 hops against 3. */
	struct fx g[2];
	struct bgp_cand d[2] = {mk(&g[0], 9, 65100, false, "(65100,65101,65102,65103) 1 2"),
	    mk(&g[1], 1, 3, true, "3 4 5")};
	expect(d, 2, &dflt, 0, BGP_WHY_AS_PATH);
	/* And [65100,65101] too: 2 against 2, the peer type decides (eBGP). */
	g[0].attr.aspath_len = aspath_parse("[65100,65101] 1 2", g[0].aspath);
	g[1].attr.aspath_len = aspath_parse("3 4", g[1].aspath);
	expect(d, 2, &dflt, 1, BGP_WHY_PEER_TYPE);
	assert_int_equal(bgp_aspath_hops(g[0].attr.aspath, g[0].attr.aspath_len), 2);
}

static void
test_origin(void **state)
{
	(void)state;
	struct fx f[3];
	/* IGP < EGP < INCOMPLETE, from one neighbor AS, MEDs against the order. */
	struct bgp_cand c[3] = {mk(&f[0], 9, 1, false, "1 2"), mk(&f[1], 1, 1, true, "1 3"),
	    mk(&f[2], 2, 1, true, "1 4")};

	f[0].attr.origin = BGP_ORIGIN_IGP;
	f[1].attr.origin = BGP_ORIGIN_EGP;
	f[2].attr.origin = BGP_ORIGIN_INCOMPLETE;
	set_med(&f[0], 100);
	set_med(&f[1], 50);
	expect(c, 3, &dflt, 0, BGP_WHY_ORIGIN);
	assert_true(bgp_path_cmp(&c[1], &c[2], &dflt, NULL) < 0);
}

static void
test_med(void **state)
{
	(void)state;
	struct fx f[2];
	/* Same neighbor AS 1: the lower MED wins over an eBGP path with a lower IGP cost. */
	struct bgp_cand c[2] = {mk(&f[0], 9, 65000, false, "1 2"), mk(&f[1], 1, 1, true, "1 3")};

	set_med(&f[0], 10);
	set_med(&f[1], 20);
	c[0].igp_metric = 100;
	expect(c, 2, &dflt, 0, BGP_WHY_MED);

	/* Different neighbor ASes: MED is skipped, unless always_compare_med. */
	f[1].attr.aspath_len = aspath_parse("5 3", f[1].aspath);
	expect(c, 2, &dflt, 1, BGP_WHY_PEER_TYPE);
	struct bgp_decision_cfg acm = dflt;
	acm.always_compare_med = true;
	expect(c, 2, &acm, 0, BGP_WHY_MED);

	/* Empty paths (originated in this AS) compare MEDs with each other. */
	f[0].attr.aspath_len = 0;
	f[1].attr.aspath_len = 0;
	c[1].ebgp = false;
	c[1].igp_metric = 1;
	expect(c, 2, &dflt, 0, BGP_WHY_MED);

	/* The neighbor AS is the first after the confederation segments. */
	f[0].attr.aspath_len = aspath_parse("(65100) 1 2", f[0].aspath);
	f[1].attr.aspath_len = aspath_parse("(65200,65201) 1 3", f[1].aspath);
	expect(c, 2, &dflt, 0, BGP_WHY_MED);

	/* A path that starts with a SET has no neighbor AS: no MED comparison. */
	f[0].attr.aspath_len = aspath_parse("{1,2} 3", f[0].aspath);
	f[1].attr.aspath_len = aspath_parse("{1,2} 4", f[1].aspath);
	expect(c, 2, &dflt, 1, BGP_WHY_IGP_METRIC);
	expect(c, 2, &acm, 0, BGP_WHY_MED);
}

static void
test_med_missing(void **state)
{
	(void)state;
	struct fx f[2];
	/* No MED is 0 (best) by default, 4294967295 (worst) with med_missing_as_worst. */
	struct bgp_cand c[2] = {mk(&f[0], 1, 1, true, "1 2"), mk(&f[1], 2, 1, true, "1 3")};

	set_med(&f[1], 5);
	c[0].igp_metric = 20;
	c[1].igp_metric = 10;
	expect(c, 2, &dflt, 0, BGP_WHY_MED);
	struct bgp_decision_cfg worst = dflt;
	worst.med_missing_as_worst = true;
	expect(c, 2, &worst, 1, BGP_WHY_MED);
	/* A MED of 4294967295 ties with a missing one counted as worst: the IGP cost decides. */
	set_med(&f[1], 0xffffffffu);
	expect(c, 2, &worst, 1, BGP_WHY_IGP_METRIC);
}

static void
test_peer_type(void **state)
{
	(void)state;
	struct fx f[2];
	struct bgp_cand c[2] = {mk(&f[0], 9, 1, true, "1 2"), mk(&f[1], 1, 65000, false, "1 3")};

	c[0].igp_metric = 100;
	expect(c, 2, &dflt, 0, BGP_WHY_PEER_TYPE);
}

static void
test_igp_metric(void **state)
{
	(void)state;
	struct fx f[3];
	struct bgp_cand c[3] = {mk(&f[0], 9, 65000, false, "1 2"), mk(&f[1], 1, 65000, false, "3 4"),
	    mk(&f[2], 2, 65000, false, "5 6")};

	c[0].igp_metric = 10;
	c[1].igp_metric = 20;
	c[2].igp_metric = 30;
	set_clusters(&f[0], 3);
	expect(c, 3, &dflt, 0, BGP_WHY_IGP_METRIC);
}

static void
test_router_id(void **state)
{
	(void)state;
	struct fx f[3];
	/* The lowest router ID wins over a shorter CLUSTER_LIST and a lower address. */
	struct bgp_cand c[3] = {mk(&f[0], 9, 65000, false, "1 2"), mk(&f[1], 1, 65000, false, "3 4"),
	    mk(&f[2], 2, 65000, false, "5 6")};

	c[0].peer_id = 0x01010101u;
	c[1].peer_id = 0x02020202u;
	c[2].peer_id = 0x03030303u;
	set_clusters(&f[0], 2);
	expect(c, 3, &dflt, 0, BGP_WHY_ROUTER_ID);

	/* RFC 4456 9: the ORIGINATOR_ID stands for the router ID. */
	f[0].attr.has |= BGP_HAS_ORIGINATOR;
	f[0].attr.originator_id = 0x09090909u;
	expect(c, 3, &dflt, 1, BGP_WHY_ROUTER_ID);
	f[2].attr.has |= BGP_HAS_ORIGINATOR;
	f[2].attr.originator_id = 0x00000001u; /* from a peer with the highest ID */
	expect(c, 3, &dflt, 2, BGP_WHY_ROUTER_ID);
}

static void
test_cluster_len(void **state)
{
	(void)state;
	struct fx f[3];
	/* One originator reflected three ways: the shortest CLUSTER_LIST, not the lowest address. */
	struct bgp_cand c[3] = {mk(&f[0], 9, 65000, false, "1 2"), mk(&f[1], 1, 65000, false, "1 2"),
	    mk(&f[2], 2, 65000, false, "1 2")};

	for (int i = 0; i < 3; i++) {
		f[i].attr.has |= BGP_HAS_ORIGINATOR;
		f[i].attr.originator_id = 0x07070707u;
		set_clusters(&f[i], (unsigned)i + 1);
	}
	expect(c, 3, &dflt, 0, BGP_WHY_CLUSTER_LEN);
}

static void
test_neighbor_ip(void **state)
{
	(void)state;
	struct fx f[3];
	/* Two sessions to one router (same ID): the lower neighbor address. */
	struct bgp_cand c[3] = {mk(&f[0], 3, 1, true, "1 2"), mk(&f[1], 1, 1, true, "1 2"),
	    mk(&f[2], 2, 1, true, "1 2")};

	for (int i = 0; i < 3; i++)
		c[i].peer_id = 0x05050505u;
	expect(c, 3, &dflt, 1, BGP_WHY_NEIGHBOR_IP);
}

static void
test_only_none_invalid(void **state)
{
	(void)state;
	struct fx f[3];
	struct bgp_cand c[3] = {mk(&f[0], 1, 1, true, "1"), mk(&f[1], 2, 2, true, "2 3"),
	    mk(&f[2], 3, 3, true, "3 4 5")};

	/* An invalid path never wins, however good. */
	f[0].attr.weight = 1000;
	c[0].valid = false;
	expect(c, 3, &dflt, 1, BGP_WHY_AS_PATH);
	c[1].valid = false;
	expect(c, 3, &dflt, 2, BGP_WHY_ONLY);
	assert_string_equal(bgp_reason_str(BGP_WHY_ONLY), "First path received");
	c[2].valid = false;
	struct result r = select_all_orders(c, 3, &dflt);
	assert_int_equal(r.best, (size_t)-1);
	assert_int_equal(r.why, BGP_WHY_NONE);
	assert_int_equal(r.nmp, 0);
	assert_int_equal(bgp_select(c, 0, &dflt, NULL, NULL, NULL), (size_t)-1);

	/* Two identical locally originated paths: nothing decides between them. */
	struct fx g[2];
	struct bgp_cand d[2] = {mk(&g[0], 0, 0, false, ""), mk(&g[1], 0, 0, false, "")};
	d[0].local = d[1].local = true;
	d[0].peer_addr = d[0].peer_id = d[1].peer_addr = d[1].peer_id = 0;
	enum bgp_reason why;
	assert_int_equal(bgp_path_cmp(&d[0], &d[1], &dflt, &why), 0);
	assert_int_equal(why, BGP_WHY_NOTHING_LEFT);
	assert_true(bgp_select(d, 2, &dflt, &why, NULL, NULL) < 2);
	assert_int_equal(why, BGP_WHY_NOTHING_LEFT);
}

static void
test_reason_strings(void **state)
{
	(void)state;
	static const char *const want[] = {"Nothing to Select", "First path received", "Weight",
	    "Local Pref", "Local Route", "AS Path", "Origin", "MED", "Peer Type", "IGP Metric",
	    "Router ID", "Cluster length", "Neighbor IP", "Nothing left to compare"};

	for (int r = BGP_WHY_NONE; r <= BGP_WHY_NOTHING_LEFT; r++)
		assert_string_equal(bgp_reason_str((enum bgp_reason)r), want[r]);
	assert_string_equal(bgp_reason_str((enum bgp_reason)99), "Invalid (internal error)");
}

/*
 * The classic case (RFC 4271 9.1.2.2 c; RFC 3345): A (AS 1, MED 10, IGP 10),
 * B (AS 2, IGP 20), C (AS 1, MED 5, IGP 30). A beats B (IGP), B beats C
 * (IGP), C beats A (MED): a router scanning in arrival order picks by order.
 */
static void
test_med_non_transitive(void **state)
{
	(void)state;
	struct fx f[3];
	struct bgp_cand c[3] = {mk(&f[0], 1, 1, true, "1 9"), mk(&f[1], 2, 2, true, "2 9"),
	    mk(&f[2], 3, 1, true, "1 8")};
	enum bgp_reason why;

	set_med(&f[0], 10);
	set_med(&f[1], 7);
	set_med(&f[2], 5);
	c[0].igp_metric = 10;
	c[1].igp_metric = 20;
	c[2].igp_metric = 30;
	assert_true(bgp_path_cmp(&c[0], &c[1], &dflt, &why) < 0);
	assert_int_equal(why, BGP_WHY_IGP_METRIC);
	assert_true(bgp_path_cmp(&c[1], &c[2], &dflt, &why) < 0);
	assert_int_equal(why, BGP_WHY_IGP_METRIC);
	assert_true(bgp_path_cmp(&c[2], &c[0], &dflt, &why) < 0);
	assert_int_equal(why, BGP_WHY_MED);

	/* An arrival-order scan (what a router without deterministic MED does) depends on the order. */
	size_t perm[3] = {0, 1, 2};
	bool seen[3] = {false, false, false};
	do {
		size_t b = perm[0];
		for (int i = 1; i < 3; i++)
			if (bgp_path_cmp(&c[perm[i]], &c[b], &dflt, NULL) < 0)
				b = perm[i];
		seen[b] = true;
	} while (next_perm(perm, 3));
	assert_true(seen[1] && seen[2]);

	/* netsim: the same answer in every order, both ways. Deterministic MED: C is AS 1's best, B beats it. */
	struct bgp_decision_cfg dmed = dflt;
	dmed.deterministic_med = true;
	struct result r = select_all_orders(c, 3, &dmed);
	assert_int_equal(r.best, 1);
	assert_int_equal(r.why, BGP_WHY_IGP_METRIC);
	/* Without: the scan in neighbor address order, A then B (A stays) then C (beats A on MED). */
	r = select_all_orders(c, 3, &dflt);
	assert_int_equal(r.best, 2);
	assert_int_equal(r.why, BGP_WHY_MED);
	/* always_compare_med makes the order total: C (MED 5) beats both. */
	struct bgp_decision_cfg acm = dflt;
	acm.always_compare_med = true;
	expect(c, 3, &acm, 2, BGP_WHY_MED);
	acm.deterministic_med = true;
	expect(c, 3, &acm, 2, BGP_WHY_MED);
}

static void
assert_mp(const struct result *r, const size_t *want, size_t n)
{
	assert_int_equal(r->nmp, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(r->mp[i], want[i]);
}

static void
test_multipath_ebgp(void **state)
{
	(void)state;
	struct fx f[7];
	/*
	 * 0-3 from AS 1, equal to the IGP cost, router IDs 4, 3, 2, 1 (so 3 is
	 * best); 4 from AS 2 (equal, another neighbor AS); 5 from AS 1 with a
	 * higher IGP cost; 6 from AS 1 with a MED.
	 */
	struct bgp_cand c[7];
	for (int i = 0; i < 4; i++) {
		c[i] = mk(&f[i], (uint32_t)i + 1, 1, true, "1 7");
		c[i].peer_id = 0x01000000u + 4 - (uint32_t)i;
	}
	c[4] = mk(&f[4], 10, 2, true, "2 7");
	c[5] = mk(&f[5], 11, 1, true, "1 8");
	c[5].igp_metric = 1;
	c[6] = mk(&f[6], 12, 1, true, "1 8");
	set_med(&f[6], 1);

	struct bgp_decision_cfg cfg = {.max_paths_ebgp = 3, .max_paths_ibgp = 1};
	struct result r = select_all_orders(c, 7, &cfg);
	assert_int_equal(r.best, 3);
	assert_int_equal(r.why, BGP_WHY_ROUTER_ID);
	assert_mp(&r, (size_t[]){3, 2, 1}, 3);

	cfg.max_paths_ebgp = 16;
	r = select_all_orders(c, 7, &cfg);
	assert_mp(&r, (size_t[]){3, 2, 1, 0}, 4);

	/* multipath_relax: AS 2's path joins (router ID 0x0101010a: after the others). */
	cfg.multipath_relax = true;
	r = select_all_orders(c, 7, &cfg);
	assert_mp(&r, (size_t[]){3, 2, 1, 0, 4}, 5);

	/* The eBGP limit does not apply to iBGP, nor the other way round. */
	cfg = (struct bgp_decision_cfg){.max_paths_ebgp = 1, .max_paths_ibgp = 8};
	r = select_all_orders(c, 7, &cfg);
	assert_mp(&r, (size_t[]){3}, 1);

	/* An invalid path is never in the set. */
	cfg.max_paths_ebgp = 8;
	c[2].valid = false;
	r = select_all_orders(c, 7, &cfg);
	assert_mp(&r, (size_t[]){3, 1, 0}, 3);
}

static void
test_multipath_ibgp(void **state)
{
	(void)state;
	struct fx f[5];
	/* 0-2: iBGP, AS path 1 2, equal; 3: same length and neighbor AS, other path; 4: eBGP. */
	struct bgp_cand c[5];
	for (int i = 0; i < 3; i++) {
		c[i] = mk(&f[i], 3 - (uint32_t)i, 65000, false, "1 2");
		c[i].peer_id = 0x05050505u; /* the neighbor address orders them */
	}
	c[3] = mk(&f[3], 4, 65000, false, "1 3");
	c[3].peer_id = 0x05050505u;
	c[4] = mk(&f[4], 5, 1, true, "1 2 3");

	struct bgp_decision_cfg cfg = {.max_paths_ebgp = 8, .max_paths_ibgp = 2};
	struct result r = select_all_orders(c, 5, &cfg);
	assert_int_equal(r.best, 2);
	assert_int_equal(r.why, BGP_WHY_NEIGHBOR_IP);
	assert_mp(&r, (size_t[]){2, 1}, 2);

	cfg.max_paths_ibgp = 8;
	r = select_all_orders(c, 5, &cfg);
	assert_mp(&r, (size_t[]){2, 1, 0}, 3);

	/* iBGP paths need the same AS_PATH (FRR), unless relaxed. */
	cfg.multipath_relax = true;
	r = select_all_orders(c, 5, &cfg);
	assert_mp(&r, (size_t[]){2, 1, 0, 3}, 4);

	cfg = (struct bgp_decision_cfg){.max_paths_ebgp = 8, .max_paths_ibgp = 1};
	r = select_all_orders(c, 5, &cfg);
	assert_mp(&r, (size_t[]){2}, 1);

	/* A different IGP cost leaves the set. */
	cfg.max_paths_ibgp = 8;
	c[1].igp_metric = 5;
	r = select_all_orders(c, 5, &cfg);
	assert_mp(&r, (size_t[]){2, 0}, 2);
}

/* --- randomized ---------------------------------------------------------------------- */

static struct rng rng;

static unsigned
rnd(unsigned n)
{
	return (unsigned)rng_below(&rng, n);
}

/* A random path; its neighbor AS for MED as the generator made it (-1: none, 0: local). */
static int64_t
random_path(struct fx *f, struct bgp_cand *c, uint32_t addr)
{
	uint8_t *p = f->aspath;
	size_t o = 0;
	int64_t nas = 0;

	memset(f, 0, sizeof(*f));
	f->attr.aspath = f->aspath;
	f->attr.cluster = f->cluster;
	c->attr = &f->attr;
	c->peer_addr = addr;
	c->peer_id = 0x01010100u + rnd(4);
	c->ebgp = rnd(2);
	c->local = rnd(12) == 0;
	c->valid = rnd(6) != 0;
	c->igp_metric = rnd(3);
	if (c->local)
		c->peer_addr = c->peer_id = 0;
	if (rnd(4) == 0) { /* a confederation segment in front */
		p[o++] = rnd(2) ? BGP_AS_CONFED_SEQUENCE : BGP_AS_CONFED_SET;
		p[o++] = 1;
		put32(p + o, 65100 + rnd(2));
		o += 4;
	}
	unsigned seqlen = rnd(4);
	if (rnd(8) == 0) {
		p[o++] = BGP_AS_SET;
		p[o++] = 2;
		put32(p + o, 1), put32(p + o + 4, 2 + rnd(2));
		o += 8;
		nas = -1;
	} else if (seqlen > 0) {
		p[o++] = BGP_AS_SEQUENCE;
		p[o++] = (uint8_t)seqlen;
		nas = 1 + rnd(3);
		put32(p + o, (uint32_t)nas);
		for (unsigned i = 1; i < seqlen; i++)
			put32(p + o + 4 * i, 10 + rnd(3));
		o += 4 * (size_t)seqlen;
	}
	f->attr.aspath_len = (uint16_t)o;
	c->peer_as = nas > 0 ? (uint32_t)nas : 65000;
	f->attr.weight = rnd(5) == 0 ? 100 : 0;
	if (rnd(3) == 0)
		set_lp(f, rnd(2) ? 100 : 200);
	f->attr.origin = (uint8_t)(rnd(4) == 0 ? 1 + rnd(2) : 0);
	if (rnd(2))
		set_med(f, rnd(3));
	if (rnd(4) == 0) {
		f->attr.has |= BGP_HAS_ORIGINATOR;
		f->attr.originator_id = 0x01010100u + rnd(4);
	}
	set_clusters(f, rnd(3));
	return nas;
}

/*
 * Half the sets are variants of their first path (another peer, perhaps one
 * attribute changed), so that paths tie far down the steps and multipath
 * sets form.
 */
static int64_t
variant(struct fx *f, struct bgp_cand *c, const struct fx *f0, const struct bgp_cand *c0,
    int64_t nas, uint32_t addr)
{
	*f = *f0;
	f->attr.aspath = f->aspath;
	f->attr.cluster = f->cluster;
	*c = *c0;
	c->attr = &f->attr;
	c->local = false;
	c->peer_addr = addr;
	c->peer_id = 0x01010100u + rnd(4);
	c->valid = rnd(6) != 0;
	switch (rnd(8)) {
	case 0:
		c->igp_metric = rnd(3);
		break;
	case 1:
		set_med(f, rnd(3));
		break;
	case 2: /* another AS path of the same length and neighbor AS */
		if (f->attr.aspath_len >= 10 && f->aspath[0] == BGP_AS_SEQUENCE && f->aspath[1] >= 2)
			put32(f->aspath + 6, 20 + rnd(2));
		break;
	case 3:
		c->ebgp = !c->ebgp;
		break;
	case 4:
		set_clusters(f, rnd(3));
		break;
	case 5: /* another neighbor AS */
		c->peer_as = 3;
		break;
	}
	return nas;
}

/* The multipath rule, restated: equal through the IGP cost, same neighbor AS (eBGP) or path (iBGP). */
static bool
model_mp_equal(const struct bgp_cand *b, const struct bgp_cand *x, const int64_t *nas, size_t ib,
    size_t ix, const struct bgp_decision_cfg *cfg)
{
	const struct bgp_attr *p = b->attr, *q = x->attr;
	uint32_t lpb = p->has & BGP_HAS_LOCAL_PREF ? p->local_pref : 100;
	uint32_t lpx = q->has & BGP_HAS_LOCAL_PREF ? q->local_pref : 100;
	uint32_t miss = cfg->med_missing_as_worst ? 0xffffffffu : 0;
	uint32_t medb = p->has & BGP_HAS_MED ? p->med : miss, medx = q->has & BGP_HAS_MED ? q->med : miss;
	bool medcmp = cfg->always_compare_med || (nas[ib] != -1 && nas[ib] == nas[ix]);

	if (p->weight != q->weight || lpb != lpx || b->local != x->local || p->origin != q->origin ||
	    bgp_aspath_hops(p->aspath, p->aspath_len) != bgp_aspath_hops(q->aspath, q->aspath_len) ||
	    (medcmp && medb != medx) || b->ebgp != x->ebgp || b->igp_metric != x->igp_metric)
		return false;
	if (cfg->multipath_relax)
		return true;
	if (b->ebgp)
		return b->peer_as == x->peer_as;
	return p->aspath_len == q->aspath_len &&
	    (p->aspath_len == 0 || memcmp(p->aspath, q->aspath, p->aspath_len) == 0);
}

/* Router ID (or ORIGINATOR_ID), CLUSTER_LIST length, neighbor address: the multipath set's order. */
static uint64_t
model_tail_key(const struct bgp_cand *c)
{
	uint64_t id = c->attr->has & BGP_HAS_ORIGINATOR ? c->attr->originator_id : c->peer_id;
	return id << 24 | (uint64_t)c->attr->ncluster << 20 | (c->peer_addr & 0xfffff);
}

#define RANDOM_SETS 3000

static void
test_random_sets(void **state)
{
	(void)state;
	unsigned checked_groups = 0, checked_scan = 0, checked_mp = 0;

	rng_seed(&rng, 0x5eed0b6bULL, 0);
	for (int set = 0; set < RANDOM_SETS; set++) {
		size_t n = 1 + rnd(6);
		struct fx f[MAXC];
		struct bgp_cand c[MAXC];
		int64_t nas[MAXC];
		size_t nvalid = 0;
		struct bgp_decision_cfg cfg = {.always_compare_med = rnd(4) == 0,
		    .deterministic_med = rnd(2), .med_missing_as_worst = rnd(4) == 0,
		    .max_paths_ebgp = 1 + rnd(3), .max_paths_ibgp = 1 + rnd(3),
		    .multipath_relax = rnd(4) == 0};

		bool family = rnd(2);
		for (size_t i = 0; i < n; i++) {
			/* Distinct neighbor addresses, not in index order. */
			uint32_t addr = 0x0a000000u + 7 * (uint32_t)((i * 5 + 3) % 11);
			nas[i] = random_path(&f[i], &c[i], addr);
			if (family && i > 0)
				nas[i] = variant(&f[i], &c[i], &f[0], &c[0], nas[0], addr);
			nvalid += c[i].valid;
		}
		/* Every order (n <= 6): one result. */
		struct result r = select_all_orders(c, n, &cfg);
		if (nvalid == 0) {
			assert_int_equal(r.best, (size_t)-1);
			assert_int_equal(r.why, BGP_WHY_NONE);
			continue;
		}
		assert_true(r.best < n && c[r.best].valid);
		const struct bgp_cand *b = &c[r.best];
		if (nvalid == 1)
			assert_int_equal(r.why, BGP_WHY_ONLY);

		if (cfg.deterministic_med || cfg.always_compare_med) {
			/*
			 * Nothing in the winner's group beats it, and each other
			 * group's best loses to it (always_compare_med: one group).
			 */
			for (size_t i = 0; i < n; i++) {
				if (!c[i].valid || i == r.best)
					continue;
				bool same = cfg.always_compare_med || (nas[i] != -1 && nas[i] == nas[r.best]);
				bool group_best = true;
				for (size_t j = 0; j < n && !same; j++)
					if (j != i && c[j].valid && nas[i] != -1 && nas[j] == nas[i] &&
					    bgp_path_cmp(&c[j], &c[i], &cfg, NULL) < 0)
						group_best = false;
				if (same || group_best)
					assert_true(bgp_path_cmp(b, &c[i], &cfg, NULL) < 0);
			}
			checked_groups++;
		} else {
			/* The documented scan: valid paths in neighbor address order. */
			size_t ord[MAXC], m = 0, best;
			for (size_t i = 0; i < n; i++)
				if (c[i].valid) {
					size_t k = m++;
					for (; k > 0 && c[ord[k - 1]].peer_addr > c[i].peer_addr; k--)
						ord[k] = ord[k - 1];
					ord[k] = i;
				}
			/* Local paths share address 0: the scan order among them is by content. */
			bool ambiguous = m > 1 && c[ord[0]].peer_addr == 0 && c[ord[1]].peer_addr == 0;
			best = ord[0];
			for (size_t i = 1; i < m; i++)
				if (bgp_path_cmp(&c[ord[i]], &c[best], &cfg, NULL) < 0)
					best = ord[i];
			if (!ambiguous) {
				assert_int_equal(r.best, best);
				checked_scan++;
			}
		}

		/* The reason: the step between the winner and the best of the others. */
		if (nvalid > 1) {
			struct bgp_cand rest[MAXC];
			enum bgp_reason why, rwhy;
			memcpy(rest, c, n * sizeof(*c));
			rest[r.best].valid = false;
			size_t ru = bgp_select(rest, n, &cfg, &rwhy, NULL, NULL);
			assert_true(ru < n && ru != r.best);
			int cmp = bgp_path_cmp(b, &c[ru], &cfg, &why);
			assert_true(cmp <= 0);
			assert_int_equal(r.why, why);
			if (cmp == 0)
				assert_int_equal(why, BGP_WHY_NOTHING_LEFT);
		}

		/* Multipath: the model's set, limited, best first, then by the last tie-breakers. */
		unsigned max = b->ebgp ? cfg.max_paths_ebgp : cfg.max_paths_ibgp;
		size_t want = 1;
		for (size_t i = 0; i < n; i++)
			if (i != r.best && c[i].valid && model_mp_equal(b, &c[i], nas, r.best, i, &cfg))
				want++;
		if (max <= 1)
			want = 1;
		assert_int_equal(r.nmp, want < max ? want : max);
		assert_int_equal(r.mp[0], r.best);
		for (size_t k = 1; k < r.nmp; k++) {
			const struct bgp_cand *x = &c[r.mp[k]];
			assert_true(x->valid);
			assert_true(model_mp_equal(b, x, nas, r.best, r.mp[k], &cfg));
			if (k > 1)
				assert_true(model_tail_key(&c[r.mp[k - 1]]) <= model_tail_key(x));
			checked_mp++;
		}
	}
	/* The random sets did exercise each check. */
	assert_true(checked_groups > RANDOM_SETS / 5);
	assert_true(checked_scan > RANDOM_SETS / 5);
	assert_true(checked_mp > RANDOM_SETS / 20);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_weight),
	    cmocka_unit_test(test_local_pref),
	    cmocka_unit_test(test_local_route),
	    cmocka_unit_test(test_as_path),
	    cmocka_unit_test(test_as_set_and_confed_counting),
	    cmocka_unit_test(test_origin),
	    cmocka_unit_test(test_med),
	    cmocka_unit_test(test_med_missing),
	    cmocka_unit_test(test_peer_type),
	    cmocka_unit_test(test_igp_metric),
	    cmocka_unit_test(test_router_id),
	    cmocka_unit_test(test_cluster_len),
	    cmocka_unit_test(test_neighbor_ip),
	    cmocka_unit_test(test_only_none_invalid),
	    cmocka_unit_test(test_reason_strings),
	    cmocka_unit_test(test_med_non_transitive),
	    cmocka_unit_test(test_multipath_ebgp),
	    cmocka_unit_test(test_multipath_ibgp),
	    cmocka_unit_test(test_random_sets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
