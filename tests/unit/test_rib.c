/*
 * test_rib.c: the RIB (src/net/rib.h) and its FIB view (src/net/fib.h), on a
 * real node of a real network.
 *
 * Selection by administrative distance, then metric, then source name; a
 * source replacing its own path; withdrawal falling back to the next best;
 * exactly which changes reach watchers (rib_watch) and the event bus;
 * rib_sync_begin/end withdrawing exactly the routes not offered again;
 * interned next-hop groups shared between prefixes and freed when unused;
 * ECMP with a deterministic per-flow choice; longest-prefix match over
 * overlapping prefixes with the per-length counters; and a property test:
 * 200 random route sets, each inserted in several random orders and then
 * partly withdrawn, give the same selected route per prefix and the same
 * answer for 1000 random lookups in every order, equal to a brute-force
 * reference; and next-hop tracking (nht.h): resolution, callbacks only on a
 * change to a covering prefix, coalesced per instant, and untracking; label
 * stacks, and the labeler (what LDP uses to label IGP routes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/ip.h"
#include "lib/rng.h"
#include "lib/util.h"
#include "net/events.h"
#include "net/fib.h"
#include "net/net.h"
#include "net/nht.h"
#include "net/rib.h"

static const struct rib_src src_conn = {"connected", 0, false};
static const struct rib_src src_static = {"static", 1, false};
static const struct rib_src src_ebgp = {"bgp", 20, false};
static const struct rib_src src_ospf = {"ospf", 110, true};
static const struct rib_src src_isis = {"isis", 115, true};

static struct network *net;
static struct node *nd;
static struct rib *R;

static int
setup(void **state UNUSED)
{
	(void)state;
	net = net_new("rib", 1);
	nd = net_add_node(net, "r1", NODE_ROUTER);
	for (int i = 0; i < 8; i++) {
		char name[16];

		snprintf(name, sizeof(name), "eth%d", i);
		node_add_iface(nd, name);
	}
	R = nd->rib;
	return 0;
}

static int
teardown(void **state UNUSED)
{
	(void)state;
	net_free(net);
	net = NULL;
	return 0;
}

static struct prefix
P(const char *s)
{
	struct prefix p;

	if (!prefix_parse(s, &p))
		fail_msg("bad prefix %s", s);
	return p;
}

static uint32_t
IP(const char *s)
{
	uint32_t a;

	if (!ip_parse(s, &a))
		fail_msg("bad address %s", s);
	return a;
}

/* A route from src with distance/metric and nnh next hops "gw@ifindex" (gw "0" = connected). */
static struct route
mkroute(const struct rib_src *src, const char *code, int dist, uint32_t metric, int nnh, ...)
{
	struct route r;
	va_list ap;

	memset(&r, 0, sizeof(r));
	r.src = src;
	r.code = code;
	r.distance = (uint8_t)(dist < 0 ? src->distance : dist);
	r.metric = metric;
	r.nnh = (uint8_t)nnh;
	va_start(ap, nnh);
	for (int i = 0; i < nnh; i++) {
		const char *gw = va_arg(ap, const char *);
		int ifx = va_arg(ap, int);

		r.nh[i].gw = strcmp(gw, "0") == 0 ? 0 : IP(gw);
		r.nh[i].ifindex = (uint16_t)ifx;
	}
	va_end(ap);
	return r;
}

static bool
add(const char *pfx, struct route r)
{
	struct prefix p = P(pfx);

	return rib_add(R, &p, &r);
}

static bool
del(const char *pfx, const struct rib_src *src)
{
	struct prefix p = P(pfx);

	return rib_del(R, &p, src);
}

static const struct rib_path *
best(const char *pfx)
{
	struct prefix p = P(pfx);
	struct rib_entry *e = rib_lookup_exact(R, &p);

	return rib_best(e);
}

static int
npaths(const char *pfx)
{
	struct prefix p = P(pfx);
	struct rib_entry *e = rib_lookup_exact(R, &p);
	int n = 0;

	for (const struct rib_path *x = rib_best(e); x; x = rib_path_next(R, x))
		n++;
	return n;
}

static size_t
count_nhgs(const struct rib *r)
{
	size_t i = 0, n = 0;
	void *v;

	while (hmap_next(&r->nhgs, &i, NULL, &v))
		for (struct nhg *g = v; g; g = g->chain)
			n++;
	return n;
}

/* --- watchers ---------------------------------------------------------------------- */

struct change {
	char pfx[PFX_STRLEN];
	bool had_old;
	const char *best_src; /* NULL: withdrawn */
	uint32_t best_metric;
	const char *src;
};

static struct change ch[64];
static int nch;

static void
watch_fn(struct node *n, const struct rib_change *c, void *arg)
{
	assert_ptr_equal(n, nd);
	assert_ptr_equal(arg, &nch);
	assert_true(nch < (int)ARRAY_LEN(ch));
	prefix_fmt(&c->pfx, ch[nch].pfx);
	ch[nch].had_old = c->had_old;
	ch[nch].best_src = c->new_best ? rib_path_src(c->new_best)->name : NULL;
	ch[nch].best_metric = c->new_best ? c->new_best->metric : 0;
	ch[nch].src = c->src ? c->src->name : NULL;
	nch++;
}

static void
expect_change(int i, const char *pfx, bool had_old, const char *best_src, const char *src)
{
	assert_true(i < nch);
	assert_string_equal(ch[i].pfx, pfx);
	assert_int_equal(ch[i].had_old, had_old);
	if (best_src == NULL)
		assert_null(ch[i].best_src);
	else
		assert_string_equal(ch[i].best_src, best_src);
	assert_string_equal(ch[i].src, src);
}

/* ------------------------------------------------------------------------ */

static void
test_select_distance_then_metric(void **state UNUSED)
{
	const struct rib_path *b;

	(void)state;
	assert_true(add("10.1.0.0/16", mkroute(&src_ospf, "O", -1, 20, 1, "10.0.0.2", 1)));
	assert_true(add("10.1.0.0/16", mkroute(&src_isis, "i L2", -1, 5, 1, "10.0.0.3", 2)));
	/* OSPF 110 beats IS-IS 115 though IS-IS has the lower metric. */
	b = best("10.1.0.0/16");
	assert_string_equal(rib_path_src(b)->name, "ospf");
	assert_string_equal(rib_path_code(b), "O");
	assert_int_equal(b->distance, 110);
	assert_int_equal(b->metric, 20);
	assert_true(add("10.1.0.0/16", mkroute(&src_static, "S", -1, 0, 1, "10.0.0.9", 3)));
	assert_string_equal(rib_path_src(best("10.1.0.0/16"))->name, "static");
	assert_true(add("10.1.0.0/16", mkroute(&src_ebgp, "B", -1, 0, 1, "10.0.0.8", 3)));
	assert_true(add("10.1.0.0/16", mkroute(&src_conn, "C", -1, 0, 1, "0", 0)));
	/* The paths are kept best first: connected, static, bgp, ospf, isis. */
	{
		static const char *const order[] = {"connected", "static", "bgp", "ospf", "isis"};
		const struct rib_path *x = best("10.1.0.0/16");

		for (size_t i = 0; i < ARRAY_LEN(order); i++, x = rib_path_next(R, x)) {
			assert_non_null(x);
			assert_string_equal(rib_path_src(x)->name, order[i]);
		}
		assert_null(x);
	}
	/* An administrative distance set on the route, not the source's default, counts. */
	assert_true(add("10.1.0.0/16", mkroute(&src_isis, "i L2", 0, 5, 1, "10.0.0.3", 2)));
	b = best("10.1.0.0/16");
	/* Distance 0 for connected (metric 0) and isis (metric 5): connected wins on metric. */
	assert_string_equal(rib_path_src(b)->name, "connected");
	assert_string_equal(rib_path_src(rib_path_next(R, b))->name, "isis");
	/* Same distance: the lower metric wins whoever came first. */
	assert_true(add("10.2.0.0/16", mkroute(&src_ospf, "O", 115, 30, 1, "10.0.0.2", 1)));
	assert_true(add("10.2.0.0/16", mkroute(&src_isis, "i L2", 115, 20, 1, "10.0.0.3", 2)));
	assert_string_equal(rib_path_src(best("10.2.0.0/16"))->name, "isis");
	assert_true(add("10.3.0.0/16", mkroute(&src_isis, "i L2", 115, 20, 1, "10.0.0.3", 2)));
	assert_true(add("10.3.0.0/16", mkroute(&src_ospf, "O", 115, 30, 1, "10.0.0.2", 1)));
	assert_string_equal(rib_path_src(best("10.3.0.0/16"))->name, "isis");
	assert_int_equal(rib_count(R), 3);
}

static void
test_select_ties(void **state UNUSED)
{
	(void)state;
	/* Equal distance and metric: a fixed order of source names, not arrival order. */
	assert_true(add("10.1.0.0/16", mkroute(&src_ospf, "O", 100, 10, 1, "10.0.0.2", 1)));
	assert_true(add("10.1.0.0/16", mkroute(&src_isis, "i L1", 100, 10, 1, "10.0.0.3", 2)));
	assert_true(add("10.2.0.0/16", mkroute(&src_isis, "i L1", 100, 10, 1, "10.0.0.3", 2)));
	assert_true(add("10.2.0.0/16", mkroute(&src_ospf, "O", 100, 10, 1, "10.0.0.2", 1)));
	assert_string_equal(rib_path_src(best("10.1.0.0/16"))->name, "isis");
	assert_string_equal(rib_path_src(best("10.2.0.0/16"))->name, "isis");
	/* Metric 0 vs UINT32_MAX: no overflow in the comparison. */
	assert_true(add("10.3.0.0/16", mkroute(&src_ospf, "O", 110, UINT32_MAX, 1, "10.0.0.2", 1)));
	assert_true(add("10.3.0.0/16", mkroute(&src_isis, "i L1", 110, 0, 1, "10.0.0.3", 2)));
	assert_string_equal(rib_path_src(best("10.3.0.0/16"))->name, "isis");
	/* Distance 255 still loses to 254. */
	assert_true(add("10.4.0.0/16", mkroute(&src_ospf, "O", 255, 0, 1, "10.0.0.2", 1)));
	assert_true(add("10.4.0.0/16", mkroute(&src_isis, "i L1", 254, 99, 1, "10.0.0.3", 2)));
	assert_string_equal(rib_path_src(best("10.4.0.0/16"))->name, "isis");
}

static void
test_replace_same_source(void **state UNUSED)
{
	const struct rib_path *b;

	(void)state;
	assert_true(add("10.1.0.0/16", mkroute(&src_ospf, "O", -1, 20, 1, "10.0.0.2", 1)));
	/* The same route again: no change. */
	assert_false(add("10.1.0.0/16", mkroute(&src_ospf, "O", -1, 20, 1, "10.0.0.2", 1)));
	assert_int_equal(npaths("10.1.0.0/16"), 1);
	/* Any difference replaces the source's one path. */
	assert_true(add("10.1.0.0/16", mkroute(&src_ospf, "O", -1, 10, 1, "10.0.0.2", 1)));
	assert_int_equal(npaths("10.1.0.0/16"), 1);
	assert_int_equal(best("10.1.0.0/16")->metric, 10);
	assert_true(add("10.1.0.0/16", mkroute(&src_ospf, "O IA", -1, 10, 1, "10.0.0.2", 1)));
	assert_string_equal(rib_path_code(best("10.1.0.0/16")), "O IA");
	assert_true(add("10.1.0.0/16", mkroute(&src_ospf, "O IA", -1, 10, 1, "10.0.0.4", 1)));
	assert_int_equal(rib_path_nhg(R, best("10.1.0.0/16"))->nh[0].gw, IP("10.0.0.4"));
	{
		struct route r = mkroute(&src_ospf, "O IA", -1, 10, 1, "10.0.0.4", 1);

		r.tag = 77;
		assert_true(add("10.1.0.0/16", r));
		assert_int_equal(rib_path_tag(R, best("10.1.0.0/16")), 77);
		assert_int_equal(rib_path_nhg(R, best("10.1.0.0/16"))->nh[0].gw, IP("10.0.0.4"));
		assert_false(add("10.1.0.0/16", r));
		/* The tag alone changes the path, back to none as well. */
		r.tag = 0;
		assert_true(add("10.1.0.0/16", r));
		assert_int_equal(rib_path_tag(R, best("10.1.0.0/16")), 0);
		/* A tagged blackhole: no next hops, the tag kept. */
		r = mkroute(&src_ospf, "O", -1, 10, 0);
		r.tag = 9;
		assert_true(add("10.2.0.0/16", r));
		assert_null(rib_path_nhg(R, best("10.2.0.0/16")));
		assert_int_equal(rib_path_tag(R, best("10.2.0.0/16")), 9);
		assert_false(add("10.2.0.0/16", r));
		r.tag = 0;
		assert_true(add("10.2.0.0/16", r));
		assert_null(rib_path_nhg(R, best("10.2.0.0/16")));
		assert_int_equal(rib_path_tag(R, best("10.2.0.0/16")), 0);
	}
	/* Next hops given in another order are the same set: no change. */
	assert_true(add("10.9.0.0/16",
	    mkroute(&src_ospf, "O", -1, 1, 2, "10.0.0.2", 1, "10.0.0.3", 2)));
	assert_false(add("10.9.0.0/16",
	    mkroute(&src_ospf, "O", -1, 1, 2, "10.0.0.3", 2, "10.0.0.2", 1)));
	/* A worse path of the best source can drop below another source. */
	assert_true(add("10.1.0.0/16", mkroute(&src_isis, "i L2", 110, 50, 1, "10.0.0.3", 2)));
	assert_string_equal(rib_path_src(best("10.1.0.0/16"))->name, "ospf");
	assert_true(add("10.1.0.0/16", mkroute(&src_ospf, "O", -1, 60, 1, "10.0.0.2", 1)));
	b = best("10.1.0.0/16");
	assert_string_equal(rib_path_src(b)->name, "isis");
	assert_string_equal(rib_path_src(rib_path_next(R, b))->name, "ospf");
	assert_int_equal(npaths("10.1.0.0/16"), 2);
}

static void
test_withdraw_fallback(void **state UNUSED)
{
	struct fib_entry fe;

	(void)state;
	add("10.1.0.0/16", mkroute(&src_ospf, "O", -1, 20, 1, "10.0.0.2", 1));
	add("10.1.0.0/16", mkroute(&src_static, "S", -1, 0, 1, "10.0.0.9", 3));
	add("10.1.0.0/16", mkroute(&src_isis, "i L2", -1, 5, 1, "10.0.0.3", 2));
	assert_true(fib_lookup(R, IP("10.1.2.3"), &fe));
	assert_int_equal(fe.nhg->nh[0].gw, IP("10.0.0.9"));
	assert_true(del("10.1.0.0/16", &src_static));
	assert_string_equal(rib_path_src(best("10.1.0.0/16"))->name, "ospf");
	assert_true(fib_lookup(R, IP("10.1.2.3"), &fe));
	assert_int_equal(fe.nhg->nh[0].gw, IP("10.0.0.2"));
	/* Withdrawing what is not there: false, nothing changes. */
	assert_false(del("10.1.0.0/16", &src_static));
	assert_false(del("10.2.0.0/16", &src_ospf));
	assert_false(del("10.1.0.0/24", &src_ospf));
	/* A non-best path goes quietly. */
	assert_true(del("10.1.0.0/16", &src_isis));
	assert_int_equal(npaths("10.1.0.0/16"), 1);
	assert_true(del("10.1.0.0/16", &src_ospf));
	/* The last path gone: the entry goes, and lookups fail. */
	assert_null(best("10.1.0.0/16"));
	assert_int_equal(rib_count(R), 0);
	assert_false(fib_lookup(R, IP("10.1.2.3"), &fe));
	for (int len = 0; len <= 32; len++)
		assert_int_equal(R->fib_count[len], 0);
}

static struct {
	char pfx[PFX_STRLEN];
	char text[16];
	const char *proto;
} evs[16];
static int nevs;

static void
ev_fn_rec(struct network *n, const struct net_ev *e, void *arg)
{
	(void)arg;
	assert_ptr_equal(n, net);
	assert_int_equal(e->kind, EV_ROUTE_CHANGE);
	assert_int_equal(e->node, nd->id);
	assert_true(nevs < (int)ARRAY_LEN(evs));
	prefix_fmt(&e->pfx, evs[nevs].pfx);
	snprintf(evs[nevs].text, sizeof(evs[nevs].text), "%s", e->text);
	evs[nevs].proto = e->proto;
	nevs++;
}

static void
test_watch_reports(void **state UNUSED)
{
	uint64_t changes0;
	int h;

	(void)state;
	nch = 0;
	nevs = 0;
	rib_watch(R, watch_fn, &nch);
	h = ev_subscribe(net, 1u << EV_ROUTE_CHANGE, ev_fn_rec, NULL);
	changes0 = R->changes;
	add("10.1.0.0/16", mkroute(&src_ospf, "O", -1, 20, 1, "10.0.0.2", 1));
	assert_int_equal(nch, 1);
	expect_change(0, "10.1.0.0/16", false, "ospf", "ospf");
	/* A worse path: the selection does not change, nobody hears of it. */
	add("10.1.0.0/16", mkroute(&src_isis, "i L2", -1, 1, 1, "10.0.0.3", 2));
	assert_int_equal(nch, 1);
	/* An unchanged re-offer: nothing either. */
	add("10.1.0.0/16", mkroute(&src_ospf, "O", -1, 20, 1, "10.0.0.2", 1));
	assert_int_equal(nch, 1);
	/* A better path: a change. */
	add("10.1.0.0/16", mkroute(&src_static, "S", -1, 0, 1, "10.0.0.9", 3));
	assert_int_equal(nch, 2);
	expect_change(1, "10.1.0.0/16", true, "static", "static");
	/* The best path changing in place: a change. */
	add("10.1.0.0/16", mkroute(&src_static, "S", -1, 0, 1, "10.0.0.10", 3));
	assert_int_equal(nch, 3);
	expect_change(2, "10.1.0.0/16", true, "static", "static");
	/* A non-best path changing (even to become worse or better but not best): nothing. */
	add("10.1.0.0/16", mkroute(&src_isis, "i L2", -1, 2, 1, "10.0.0.3", 2));
	del("10.1.0.0/16", &src_isis);
	assert_int_equal(nch, 3);
	/* The best path changing so that it is no longer best: a change to the other. */
	add("10.1.0.0/16", mkroute(&src_static, "S", 250, 0, 1, "10.0.0.10", 3));
	assert_int_equal(nch, 4);
	expect_change(3, "10.1.0.0/16", true, "ospf", "ospf");
	add("10.1.0.0/16", mkroute(&src_static, "S", -1, 0, 1, "10.0.0.10", 3));
	assert_int_equal(nch, 5);
	expect_change(4, "10.1.0.0/16", true, "static", "static");
	/* The best withdrawn: a change to the fallback. */
	del("10.1.0.0/16", &src_static);
	assert_int_equal(nch, 6);
	expect_change(5, "10.1.0.0/16", true, "ospf", "ospf");
	/* The last withdrawn: new_best NULL, src the old best's. */
	del("10.1.0.0/16", &src_ospf);
	assert_int_equal(nch, 7);
	expect_change(6, "10.1.0.0/16", true, NULL, "ospf");
	assert_int_equal(R->changes - changes0, 7);
	/* The event bus heard the same seven, as add/change/withdraw. */
	assert_int_equal(nevs, 7);
	assert_string_equal(evs[0].text, "add");
	assert_string_equal(evs[0].proto, "ospf");
	assert_string_equal(evs[1].text, "change");
	assert_string_equal(evs[1].proto, "static");
	assert_string_equal(evs[2].text, "change");
	assert_string_equal(evs[3].text, "change");
	assert_string_equal(evs[3].proto, "ospf");
	assert_string_equal(evs[5].text, "change");
	assert_string_equal(evs[5].proto, "ospf");
	assert_string_equal(evs[6].text, "withdraw");
	assert_string_equal(evs[6].proto, "ospf");
	assert_string_equal(evs[6].pfx, "10.1.0.0/16");
	ev_unsubscribe(net, h);
}

static void
test_sync(void **state UNUSED)
{
	const char *pfx[] = {"10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16", "10.4.0.0/16",
	    "10.0.5.0/24"};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(pfx); i++)
		add(pfx[i], mkroute(&src_ospf, "O", -1, 10 + (uint32_t)i, 1, "10.0.0.2", 1));
	/* A static under one of them, and an IS-IS path under another: other sources. */
	add("10.3.0.0/16", mkroute(&src_static, "S", 200, 0, 1, "10.0.0.9", 3));
	add("10.4.0.0/16", mkroute(&src_isis, "i L2", -1, 0, 1, "10.0.0.3", 2));
	nch = 0;
	rib_watch(R, watch_fn, &nch);
	rib_sync_begin(R, &src_ospf);
	/* Offered again: 10.1 unchanged, 10.2 with a new metric, and a new 10.9. */
	assert_false(add("10.1.0.0/16", mkroute(&src_ospf, "O", -1, 10, 1, "10.0.0.2", 1)));
	assert_true(add("10.2.0.0/16", mkroute(&src_ospf, "O", -1, 99, 1, "10.0.0.2", 1)));
	assert_true(add("10.9.0.0/16", mkroute(&src_ospf, "O", -1, 1, 1, "10.0.0.2", 1)));
	assert_int_equal(nch, 2);
	rib_sync_end(R, &src_ospf);
	/* Withdrawn: exactly 10.3, 10.4 and 10.0.5, in prefix order. */
	assert_int_equal(nch, 5);
	expect_change(0, "10.2.0.0/16", true, "ospf", "ospf");
	assert_int_equal(ch[0].best_metric, 99);
	expect_change(1, "10.9.0.0/16", false, "ospf", "ospf");
	expect_change(2, "10.0.5.0/24", true, NULL, "ospf");
	expect_change(3, "10.3.0.0/16", true, "static", "static");
	expect_change(4, "10.4.0.0/16", true, "isis", "isis");
	assert_non_null(best("10.1.0.0/16"));
	assert_int_equal(best("10.2.0.0/16")->metric, 99);
	assert_null(best("10.0.5.0/24"));
	assert_string_equal(rib_path_src(best("10.3.0.0/16"))->name, "static");
	assert_int_equal(npaths("10.3.0.0/16"), 1);
	assert_string_equal(rib_path_src(best("10.4.0.0/16"))->name, "isis");
	assert_int_equal(rib_count(R), 5);
	/* A sync of another source leaves OSPF's routes alone. */
	nch = 0;
	rib_sync_begin(R, &src_isis);
	rib_sync_end(R, &src_isis);
	assert_int_equal(nch, 1);
	expect_change(0, "10.4.0.0/16", true, NULL, "isis");
	assert_non_null(best("10.1.0.0/16"));
	/* An empty sync of OSPF withdraws all of OSPF, and a flush of static the rest. */
	nch = 0;
	rib_sync_begin(R, &src_ospf);
	rib_sync_end(R, &src_ospf);
	assert_int_equal(nch, 3);
	rib_flush(R, &src_static);
	assert_int_equal(nch, 4);
	assert_int_equal(rib_count(R), 0);
	assert_int_equal(count_nhgs(R), 0);
}

static void
test_nhg_sharing(void **state UNUSED)
{
	const struct nhg *g1, *g2, *g3;

	(void)state;
	assert_int_equal(count_nhgs(R), 0);
	add("10.1.0.0/16", mkroute(&src_ospf, "O", -1, 1, 2, "10.0.0.2", 1, "10.0.1.2", 2));
	/* Same next hops in another order, another source, another prefix: one group. */
	add("10.2.0.0/16", mkroute(&src_isis, "i L1", -1, 7, 2, "10.0.1.2", 2, "10.0.0.2", 1));
	g1 = rib_path_nhg(R, best("10.1.0.0/16"));
	g2 = rib_path_nhg(R, best("10.2.0.0/16"));
	assert_ptr_equal(g1, g2);
	assert_int_equal(g1->ref, 2);
	assert_int_equal(g1->n, 2);
	/* Stored sorted by gateway. */
	assert_int_equal(g1->nh[0].gw, IP("10.0.0.2"));
	assert_int_equal(g1->nh[1].gw, IP("10.0.1.2"));
	assert_int_equal(count_nhgs(R), 1);
	/* Another interface, a subset, a connected hop: each a group of its own. */
	add("10.3.0.0/16", mkroute(&src_ospf, "O", -1, 1, 2, "10.0.0.2", 1, "10.0.1.2", 3));
	add("10.4.0.0/16", mkroute(&src_ospf, "O", -1, 1, 1, "10.0.0.2", 1));
	add("10.5.0.0/16", mkroute(&src_conn, "C", -1, 0, 1, "0", 1));
	g3 = rib_path_nhg(R, best("10.3.0.0/16"));
	assert_ptr_not_equal(g3, g1);
	assert_ptr_not_equal(rib_path_nhg(R, best("10.4.0.0/16")), g1);
	assert_int_equal(count_nhgs(R), 4);
	/* A blackhole has no group. */
	add("10.6.0.0/16", mkroute(&src_static, "S", -1, 0, 0));
	assert_null(rib_path_nhg(R, best("10.6.0.0/16")));
	assert_int_equal(count_nhgs(R), 4);
	/* Many prefixes, one group. */
	for (int i = 0; i < 100; i++) {
		struct prefix p = {0x14000000u + ((uint32_t)i << 8), 24};
		struct route r = mkroute(&src_ospf, "O", -1, 3, 2, "10.0.1.2", 2, "10.0.0.2", 1);

		rib_add(R, &p, &r);
	}
	assert_int_equal(g1->ref, 102);
	assert_int_equal(count_nhgs(R), 4);
	/* Moving a path to other next hops releases its old group. */
	add("10.2.0.0/16", mkroute(&src_isis, "i L1", -1, 7, 1, "10.0.0.2", 1));
	assert_int_equal(g1->ref, 101);
	assert_ptr_equal(rib_path_nhg(R, best("10.2.0.0/16")), rib_path_nhg(R, best("10.4.0.0/16")));
	assert_int_equal(rib_path_nhg(R, best("10.4.0.0/16"))->ref, 2);
	/* An unchanged re-offer takes no extra reference. */
	add("10.1.0.0/16", mkroute(&src_ospf, "O", -1, 1, 2, "10.0.0.2", 1, "10.0.1.2", 2));
	assert_int_equal(g1->ref, 101);
	/* Withdrawing every user frees the group (count drops; ASan checks the rest). */
	for (int i = 0; i < 100; i++) {
		struct prefix p = {0x14000000u + ((uint32_t)i << 8), 24};

		assert_true(rib_del(R, &p, &src_ospf));
	}
	assert_int_equal(g1->ref, 1);
	del("10.1.0.0/16", &src_ospf);
	assert_int_equal(count_nhgs(R), 3);
	del("10.3.0.0/16", &src_ospf);
	assert_int_equal(count_nhgs(R), 2);
	del("10.2.0.0/16", &src_isis);
	del("10.4.0.0/16", &src_ospf);
	assert_int_equal(count_nhgs(R), 1);
	del("10.5.0.0/16", &src_conn);
	del("10.6.0.0/16", &src_static);
	assert_int_equal(count_nhgs(R), 0);
	assert_int_equal(R->nhgs.n, 0);
	assert_int_equal(rib_count(R), 0);
}

static void
test_ecmp_select(void **state UNUSED)
{
	struct fib_entry fe, fe2;
	int hits[4] = {0};

	(void)state;
	add("10.8.0.0/16", mkroute(&src_ospf, "O", -1, 10, 4, "10.0.3.2", 4, "10.0.0.2", 1,
	    "10.0.2.2", 3, "10.0.1.2", 2));
	add("10.9.0.0/16", mkroute(&src_ospf, "O", -1, 10, 4, "10.0.0.2", 1, "10.0.1.2", 2,
	    "10.0.2.2", 3, "10.0.3.2", 4));
	assert_true(fib_lookup(R, IP("10.8.1.1"), &fe));
	assert_true(fib_lookup(R, IP("10.9.1.1"), &fe2));
	assert_ptr_equal(fe.nhg, fe2.nhg);
	assert_int_equal(fe.nhg->n, 4);
	for (uint32_t f = 0; f < 4000; f++) {
		uint32_t s = 0xc0a80000u + f * 13, d = 0x0a080000u + f * 7;
		const struct nexthop *a = fib_select(&fe, s, d), *b = fib_select(&fe, s, d);
		const struct nexthop *c = fib_select(&fe2, s, d);

		/* The same flow always takes the same hop, whatever the input order was. */
		assert_ptr_equal(a, b);
		assert_ptr_equal(a, c);
		assert_true(a >= &fe.nhg->nh[0] && a < &fe.nhg->nh[4]);
		hits[a - fe.nhg->nh]++;
	}
	/* Every hop carries a fair share of 4000 flows. */
	for (int i = 0; i < 4; i++)
		assert_true(hits[i] > 700 && hits[i] < 1300);
	/* The choice depends on the flow, not only on one address. */
	{
		bool varied = false;
		const struct nexthop *first = fib_select(&fe, 1, IP("10.8.1.1"));

		for (uint32_t s = 2; s < 64 && !varied; s++)
			varied = fib_select(&fe, s, IP("10.8.1.1")) != first;
		assert_true(varied);
	}
	/* One next hop: always it. */
	add("10.7.0.0/16", mkroute(&src_ospf, "O", -1, 10, 1, "10.0.0.2", 1));
	assert_true(fib_lookup(R, IP("10.7.0.1"), &fe));
	for (uint32_t f = 0; f < 100; f++)
		assert_ptr_equal(fib_select(&fe, f * 77, f * 91), &fe.nhg->nh[0]);
	/* Sixteen (RIB_MAX_NH) is the limit and works. */
	{
		struct route r = mkroute(&src_isis, "i L2", -1, 1, 0);

		for (int i = 0; i < RIB_MAX_NH; i++) {
			r.nh[i].gw = 0x0a000000u + (uint32_t)i * 256 + 2;
			r.nh[i].ifindex = (uint16_t)(i % 8);
		}
		r.nnh = RIB_MAX_NH;
		assert_true(add("10.6.0.0/16", r));
		assert_true(fib_lookup(R, IP("10.6.0.1"), &fe));
		assert_int_equal(fe.nhg->n, RIB_MAX_NH);
	}
}

static void
test_lpm_overlapping(void **state UNUSED)
{
	static const struct {
		const char *addr, *want; /* NULL: no route */
	} q[] = {
		{"10.1.2.3", "10.1.2.3/32"},
		{"10.1.2.4", "10.1.2.0/24"},
		{"10.1.2.255", "10.1.2.0/24"},
		{"10.1.3.1", "10.1.0.0/16"},
		{"10.1.255.255", "10.1.0.0/16"},
		{"10.2.0.0", "10.0.0.0/8"},
		{"10.255.255.255", "10.0.0.0/8"},
		{"11.0.0.0", "0.0.0.0/0"},
		{"9.255.255.255", "0.0.0.0/0"},
		{"255.255.255.255", "0.0.0.0/0"},
		{"0.0.0.0", "0.0.0.0/0"},
	};
	struct fib_entry fe;
	uint64_t lookups;

	(void)state;
	add("0.0.0.0/0", mkroute(&src_static, "S", -1, 0, 1, "10.0.0.1", 0));
	add("10.0.0.0/8", mkroute(&src_ospf, "O", -1, 1, 1, "10.0.0.8", 1));
	add("10.1.0.0/16", mkroute(&src_ospf, "O", -1, 1, 1, "10.0.0.16", 2));
	add("10.1.2.0/24", mkroute(&src_ospf, "O", -1, 1, 1, "10.0.0.24", 3));
	add("10.1.2.3/32", mkroute(&src_ospf, "O", -1, 1, 1, "10.0.0.32", 4));
	/* Only lengths with entries are probed. */
	for (int len = 0; len <= 32; len++)
		assert_int_equal(R->fib_count[len],
		    (len == 0 || len == 8 || len == 16 || len == 24 || len == 32) ? 1u : 0u);
	lookups = R->lookups;
	for (size_t i = 0; i < ARRAY_LEN(q); i++) {
		assert_true(fib_lookup(R, IP(q[i].addr), &fe));
		assert_string_equal(prefix_str(&fe.pfx), q[i].want);
		assert_non_null(fe.nhg);
	}
	assert_int_equal(R->lookups - lookups, ARRAY_LEN(q));
	/* A second path for a prefix does not count twice. */
	add("10.1.0.0/16", mkroute(&src_isis, "i L2", -1, 1, 1, "10.0.0.17", 2));
	assert_int_equal(R->fib_count[16], 1);
	/* Remove the /24: its addresses fall to the /16; the /32 is untouched. */
	del("10.1.2.0/24", &src_ospf);
	assert_int_equal(R->fib_count[24], 0);
	assert_true(fib_lookup(R, IP("10.1.2.4"), &fe));
	assert_string_equal(prefix_str(&fe.pfx), "10.1.0.0/16");
	assert_true(fib_lookup(R, IP("10.1.2.3"), &fe));
	assert_string_equal(prefix_str(&fe.pfx), "10.1.2.3/32");
	/* Without the default, outside 10/8 nothing matches. */
	del("0.0.0.0/0", &src_static);
	assert_false(fib_lookup(R, IP("11.0.0.0"), &fe));
	assert_true(fib_lookup(R, IP("10.200.0.1"), &fe));
	assert_string_equal(prefix_str(&fe.pfx), "10.0.0.0/8");
	/* A blackhole is a match with no next hops. */
	add("10.200.0.0/16", mkroute(&src_static, "S", -1, 0, 0));
	assert_true(fib_lookup(R, IP("10.200.0.1"), &fe));
	assert_string_equal(prefix_str(&fe.pfx), "10.200.0.0/16");
	assert_null(fe.nhg);
	/* A /31 and a /1. */
	add("128.0.0.0/1", mkroute(&src_static, "S", -1, 0, 1, "10.0.0.1", 0));
	add("192.0.2.0/31", mkroute(&src_static, "S", -1, 0, 1, "10.0.0.2", 1));
	assert_true(fib_lookup(R, IP("192.0.2.1"), &fe));
	assert_string_equal(prefix_str(&fe.pfx), "192.0.2.0/31");
	assert_true(fib_lookup(R, IP("192.0.2.2"), &fe));
	assert_string_equal(prefix_str(&fe.pfx), "128.0.0.0/1");
	assert_false(fib_lookup(R, IP("127.255.255.255"), &fe));
}

static void
test_rib_sorted(void **state UNUSED)
{
	static const char *const in[] = {"10.1.0.0/16", "0.0.0.0/0", "10.0.0.0/8", "192.168.1.0/24",
	    "10.1.0.0/24", "10.0.0.0/16", "172.16.0.0/12", "255.255.255.255/32", "10.1.0.0/17"};
	static const char *const want[] = {"0.0.0.0/0", "10.0.0.0/8", "10.0.0.0/16", "10.1.0.0/16",
	    "10.1.0.0/17", "10.1.0.0/24", "172.16.0.0/12", "192.168.1.0/24", "255.255.255.255/32"};
	struct rib_entry **v;
	size_t n;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(in); i++)
		add(in[i], mkroute(&src_static, "S", -1, 0, 1, "10.0.0.1", 0));
	v = rib_sorted(R, &n);
	assert_int_equal(n, ARRAY_LEN(want));
	for (size_t i = 0; i < n; i++) {
		struct prefix p = rib_prefix(v[i]);

		assert_string_equal(prefix_str(&p), want[i]);
		assert_true(v[i]->installed);
	}
	free(v);
	rib_flush(R, &src_static);
	v = rib_sorted(R, &n);
	assert_int_equal(n, 0);
	free(v);
}

/* ------------------------------------------------------------------------ */
/* Property: every insertion order gives the same RIB and the same FIB. */

#define PROP_SETS     200
#define PROP_ORDERS   4
#define PROP_LOOKUPS  1000
#define PROP_MAXR     40

static const struct rib_src *const prop_srcs[] = {&src_conn, &src_static, &src_ebgp, &src_ospf,
    &src_isis};

struct offer {
	struct prefix pfx;
	struct route r;
};

static bool
ref_better(const struct offer *a, const struct offer *b)
{
	if (a->r.distance != b->r.distance)
		return a->r.distance < b->r.distance;
	if (a->r.metric != b->r.metric)
		return a->r.metric < b->r.metric;
	return strcmp(a->r.src->name, b->r.src->name) < 0;
}

static int
nh_sort(const void *x, const void *y)
{
	const struct nexthop *a = x, *b = y;

	if (a->gw != b->gw)
		return a->gw < b->gw ? -1 : 1;
	return (int)a->ifindex - (int)b->ifindex;
}

/* Same next-hop set (as sets in sorted order) as the route offered. */
static void
check_nhg(const struct nhg *g, const struct route *r)
{
	struct nexthop want[RIB_MAX_NH];

	if (r->nnh == 0) {
		assert_null(g);
		return;
	}
	assert_non_null(g);
	memcpy(want, r->nh, sizeof(want[0]) * r->nnh);
	qsort(want, r->nnh, sizeof(want[0]), nh_sort);
	assert_int_equal(g->n, r->nnh);
	for (int i = 0; i < r->nnh; i++) {
		assert_int_equal(g->nh[i].gw, want[i].gw);
		assert_int_equal(g->nh[i].ifindex, want[i].ifindex);
	}
}

/* The best live offer for pfx, or NULL. */
static const struct offer *
ref_best(const struct offer *o, const bool *live, int n, const struct prefix *pfx)
{
	const struct offer *b = NULL;

	for (int i = 0; i < n; i++)
		if (live[i] && prefix_eq(&o[i].pfx, pfx) && (b == NULL || ref_better(&o[i], b)))
			b = &o[i];
	return b;
}

/* Longest live prefix holding addr, then its best offer. */
static const struct offer *
ref_lpm(const struct offer *o, const bool *live, int n, uint32_t addr)
{
	const struct offer *b = NULL;

	for (int i = 0; i < n; i++) {
		if (!live[i] || !prefix_contains(&o[i].pfx, addr))
			continue;
		if (b == NULL || o[i].pfx.len > b->pfx.len ||
		    (o[i].pfx.len == b->pfx.len && ref_better(&o[i], b)))
			b = &o[i];
	}
	return b;
}

static void
check_against_ref(struct rib *r, const struct offer *o, const bool *live, int n,
    const uint32_t *addrs, const struct prefix *answers_in, struct prefix *answers_out)
{
	size_t entries = 0;

	/* Every prefix: the selected path is the reference's best. */
	for (int i = 0; i < n; i++) {
		const struct offer *want = ref_best(o, live, n, &o[i].pfx);
		struct rib_entry *e = rib_lookup_exact(r, &o[i].pfx);

		if (want == NULL) {
			assert_null(e);
			continue;
		}
		assert_non_null(e);
		assert_true(e->installed);
		assert_ptr_equal(rib_path_src(rib_best(e)), want->r.src);
		assert_int_equal(rib_best(e)->distance, want->r.distance);
		assert_int_equal(rib_best(e)->metric, want->r.metric);
		assert_string_equal(rib_path_code(rib_best(e)), want->r.code);
		check_nhg(rib_path_nhg(r, rib_best(e)), &want->r);
		/* The other paths follow in selection order. */
		for (const struct rib_path *x = rib_best(e), *y; x && (y = rib_path_next(r, x)); x = y) {
			struct offer a = {.r = {.distance = x->distance, .metric = x->metric,
			    .src = rib_path_src(x)}};
			struct offer b = {.r = {.distance = y->distance, .metric = y->metric,
			    .src = rib_path_src(y)}};

			assert_false(ref_better(&b, &a));
		}
	}
	for (int i = 0; i < n; i++) {
		bool first = true;

		for (int k = 0; k < i; k++)
			if (live[k] && prefix_eq(&o[k].pfx, &o[i].pfx))
				first = false;
		if (live[i] && first)
			entries++;
	}
	assert_int_equal(rib_count(r), entries);
	/* Every lookup: the reference's longest match and its next hops. */
	for (int k = 0; k < PROP_LOOKUPS; k++) {
		struct fib_entry fe;
		const struct offer *want = ref_lpm(o, live, n, addrs[k]);
		bool found = fib_lookup(r, addrs[k], &fe);
		struct prefix got = found ? fe.pfx : (struct prefix){0, 255};

		if (want == NULL)
			assert_false(found);
		else {
			assert_true(found);
			assert_true(prefix_eq(&fe.pfx, &want->pfx));
			check_nhg(fe.nhg, &want->r);
		}
		if (answers_in != NULL)
			assert_true(prefix_eq(&got, &answers_in[k]));
		if (answers_out != NULL)
			answers_out[k] = got;
	}
}

static void
shuffle(int *v, int n, struct rng *g)
{
	for (int i = n - 1; i > 0; i--) {
		int j = (int)rng_below(g, (uint64_t)i + 1), t = v[i];

		v[i] = v[j];
		v[j] = t;
	}
}

static void
test_property_orders(void **state UNUSED)
{
	static const char *const codes[] = {"C", "S", "B", "O", "i L2"};
	static const uint8_t lens[] = {0, 8, 12, 16, 20, 23, 24, 25, 28, 30, 31, 32};
	struct offer o[PROP_MAXR];
	bool live[PROP_MAXR], all[PROP_MAXR];
	uint32_t addrs[PROP_LOOKUPS];
	struct prefix ans0[PROP_LOOKUPS], ans1[PROP_LOOKUPS];
	struct rng g;
	long checks = 0;

	(void)state;
	rng_seed(&g, 20240601, 9);
	for (int set = 0; set < PROP_SETS; set++) {
		int n = 5 + (int)rng_below(&g, PROP_MAXR - 5), npfx = 1 + (int)rng_below(&g, 12);
		struct prefix pfx[12];
		int used[12][5];
		int order[PROP_MAXR], nord = 0;

		memset(used, 0, sizeof(used));
		/* Overlapping prefixes inside 10.0.0.0/8 (and a default now and then). */
		for (int i = 0; i < npfx; i++) {
			bool dup;

			do {
				/* One draw per declarator: the order of the draws is defined. */
				uint32_t b2 = (uint32_t)rng_below(&g, 4);
				uint32_t b3 = (uint32_t)rng_below(&g, 4);
				uint32_t b4 = (uint32_t)rng_below(&g, 8);

				pfx[i].len = lens[rng_below(&g, ARRAY_LEN(lens))];
				pfx[i].addr = 0x0a000000u | b2 << 16 | b3 << 8 | b4;
				pfx[i].addr &= ip_mask(pfx[i].len);
				dup = false;
				for (int k = 0; k < i; k++)
					dup |= prefix_eq(&pfx[k], &pfx[i]);
			} while (dup);
		}
		/* Offers: one per (prefix, source) at most: the RIB keeps one path per source. */
		for (int i = 0; i < n; i++) {
			int p = (int)rng_below(&g, (uint64_t)npfx), s = (int)rng_below(&g, 5);
			struct route *r = &o[nord].r;

			if (used[p][s])
				continue;
			used[p][s] = 1;
			memset(&o[nord], 0, sizeof(o[nord]));
			o[nord].pfx = pfx[p];
			r->src = prop_srcs[s];
			r->code = codes[s];
			/* Few distances and metrics: ties are common. */
			r->distance = (uint8_t)(rng_below(&g,
			    3) == 0 ? 110 : prop_srcs[s]->distance);
			r->metric = (uint32_t)rng_below(&g, 3);
			r->nnh = (uint8_t)rng_below(&g, 4); /* 0 = blackhole */
			for (int k = 0; k < r->nnh; k++) {
				r->nh[k].gw = 0x0a000000u + (uint32_t)rng_below(&g,
				    3) + (uint32_t)k * 16;
				r->nh[k].ifindex = (uint16_t)rng_below(&g, 3);
			}
			order[nord] = nord;
			nord++;
		}
		for (int i = 0; i < nord; i++)
			all[i] = true;
		for (int k = 0; k < PROP_LOOKUPS; k++) {
			/* Mostly addresses near the prefixes, some anywhere. */
			if (rng_below(&g, 4) == 0) {
				addrs[k] = (uint32_t)rng_next(&g);
			} else {
				uint32_t b2 = (uint32_t)rng_below(&g, 4);
				uint32_t b3 = (uint32_t)rng_below(&g, 4);
				uint32_t b4 = (uint32_t)rng_below(&g, 16);

				addrs[k] = 0x0a000000u | b2 << 16 | b3 << 8 | b4;
			}
		}
		for (int ord = 0; ord < PROP_ORDERS; ord++) {
			struct rib *r = rib_new(nd);
			int wd[PROP_MAXR];

			shuffle(order, nord, &g);
			for (int i = 0; i < nord; i++)
				assert_true(rib_add(r, &o[order[i]].pfx, &o[order[i]].r));
			check_against_ref(r, o, all, nord, addrs, ord ? ans0 : NULL,
			    ord ? NULL : ans0);
			/*
			 * Withdraw the same half in this order's own random sequence: the
			 * survivors must again agree with the reference and across orders.
			 */
			for (int i = 0; i < nord; i++) {
				live[i] = (i % 2) == 0;
				wd[i] = i;
			}
			shuffle(wd, nord, &g);
			for (int i = 0; i < nord; i++)
				if (!live[wd[i]])
					assert_true(rib_del(r, &o[wd[i]].pfx, o[wd[i]].r.src));
			check_against_ref(r, o, live, nord, addrs, ord ? ans1 : NULL,
			    ord ? NULL : ans1);
			rib_free(r);
			checks++;
		}
	}
	assert_int_equal(checks, PROP_SETS * PROP_ORDERS);
}

/* --- next-hop tracking (nht.h) ------------------------------------------------------- */

struct nht_log {
	int calls;
	struct nht_res last;
};

static void
nht_logged(struct node *n, struct nht *h, void *arg)
{
	struct nht_log *lg = arg;

	assert_ptr_equal(n, nd);
	lg->calls++;
	lg->last = h->res;
}

static bool
has_nh(const struct nht_res *r, const char *gw, int ifindex)
{
	for (int i = 0; i < r->n; i++)
		if (r->nh[i].gw == IP(gw) && r->nh[i].ifindex == ifindex)
			return true;
	return false;
}

static sim_time settle_at;

/* Let the node's zero-delay re-resolution run. */
static void
settle(void)
{
	settle_at += SIM_MS;
	sim_run_until(&net->sim, settle_at);
}

static void
test_nht_tracking(void **state UNUSED)
{
	struct nht_log a = {0}, b = {0};
	struct nht *ha, *hb;
	struct prefix p16 = P("10.5.0.0/16"), p24 = P("10.5.3.0/24");

	settle_at = 0;
	assert_true(add("10.5.0.0/16", mkroute(&src_ospf, "O", -1, 20, 1, "10.0.1.2", 1)));
	/* A tracked address resolves at once through the longest covering route. */
	ha = nht_track(nd, IP("10.5.3.4"), 8, nht_logged, &a);
	assert_true(ha->res.reachable);
	assert_false(ha->res.connected);
	assert_true(prefix_eq(&ha->res.via, &p16));
	assert_ptr_equal(ha->res.src, &src_ospf);
	assert_int_equal(ha->res.metric, 20);
	assert_int_equal(ha->res.n, 1);
	assert_int_equal(ha->res.nh[0].gw, IP("10.0.1.2"));
	assert_int_equal(ha->res.nh[0].ifindex, 1);
	/* Never through a route of min_len or shorter (a static route's own length). */
	hb = nht_track(nd, IP("10.5.3.9"), 16, nht_logged, &b);
	assert_false(hb->res.reachable);

	/* A more specific covering route: both re-resolve, after the instant's changes. */
	assert_true(add("10.5.3.0/24", mkroute(&src_ospf, "O", -1, 30, 2, "10.0.2.2", 2, "0", 3)));
	assert_int_equal(a.calls, 0);
	settle();
	assert_int_equal(a.calls, 1);
	assert_true(prefix_eq(&a.last.via, &p24));
	assert_int_equal(a.last.metric, 30);
	assert_int_equal(a.last.n, 2);
	assert_true(has_nh(&a.last, "10.0.2.2", 2));
	/* A directly connected next hop of the route: the tracked address is the gateway. */
	assert_true(has_nh(&a.last, "10.5.3.4", 3));
	assert_int_equal(b.calls, 1);
	assert_true(b.last.reachable);
	assert_true(has_nh(&b.last, "10.5.3.9", 3));

	/* A prefix that covers neither address changes nothing; neither does a change
	 * undone within the same instant. */
	assert_true(add("10.6.0.0/16", mkroute(&src_ospf, "O", -1, 5, 1, "10.0.4.2", 4)));
	assert_true(add("10.5.3.0/25", mkroute(&src_static, "S", -1, 0, 1, "10.0.5.2", 5)));
	assert_true(del("10.5.3.0/25", &src_static));
	settle();
	assert_int_equal(a.calls, 1);
	assert_int_equal(b.calls, 1);

	/* A better path for the resolving route (a lower distance) is a new resolution. */
	assert_true(add("10.5.3.0/24", mkroute(&src_static, "S", -1, 0, 1, "10.0.6.2", 6)));
	settle();
	assert_int_equal(a.calls, 2);
	assert_ptr_equal(a.last.src, &src_static);
	assert_true(has_nh(&a.last, "10.0.6.2", 6));
	assert_int_equal(b.calls, 2);

	/* Withdrawn: a falls back to the /16; b, which may not use it, is unreachable. */
	assert_true(del("10.5.3.0/24", &src_static));
	assert_true(del("10.5.3.0/24", &src_ospf));
	settle();
	assert_int_equal(a.calls, 3);
	assert_true(prefix_eq(&a.last.via, &p16));
	assert_int_equal(b.calls, 3);
	assert_false(b.last.reachable);
	assert_int_equal(b.last.n, 0);

	/* Untracked: no more calls. */
	nht_untrack(hb);
	assert_true(del("10.5.0.0/16", &src_ospf));
	settle();
	assert_int_equal(a.calls, 4);
	assert_false(a.last.reachable);
	assert_int_equal(b.calls, 3);
	nht_untrack(ha);
}

/* Label stacks on next hops: interned per RIB, part of a next hop's identity. */
static void
test_label_stacks(void **state UNUSED)
{
	const uint32_t a[] = {16, 17}, b[] = {16}, big[] = {0x1fffff};
	uint16_t ia = rib_labels_intern(R, a, 2), ib = rib_labels_intern(R, b, 1);
	struct route r1 = mkroute(&src_ospf, "O", -1, 10, 1, "10.0.1.2", 1);
	struct route r2 = mkroute(&src_ospf, "O", -1, 10, 1, "10.0.1.2", 1);
	struct prefix p1 = P("10.7.1.0/24"), p2 = P("10.7.2.0/24");
	const struct label_stack *ls;

	assert_int_equal(rib_labels_intern(R, NULL, 0), 0);
	assert_null(rib_labels(R, 0));
	assert_int_not_equal(ia, 0);
	assert_int_not_equal(ib, 0);
	assert_int_not_equal(ia, ib);
	assert_int_equal(rib_labels_intern(R, a, 2), ia);
	ls = rib_labels(R, ia);
	assert_int_equal(ls->n, 2);
	assert_int_equal(ls->label[0], 16);
	assert_int_equal(ls->label[1], 17);
	/* Labels are 20 bits. */
	assert_int_equal(rib_labels(R, rib_labels_intern(R, big, 1))->label[0], 0xfffff);
	/* The same gateway and interface with another stack is another next hop. */
	r1.nh[0].labels = ia;
	assert_true(rib_add(R, &p1, &r1));
	assert_true(rib_add(R, &p2, &r2));
	assert_ptr_not_equal(rib_path_nhg(R, rib_best(rib_lookup_exact(R, &p1))),
	                     rib_path_nhg(R, rib_best(rib_lookup_exact(R, &p2))));
	assert_int_equal(rib_path_nhg(R, rib_best(rib_lookup_exact(R, &p1)))->nh[0].labels, ia);
	/* Offering the same route with another stack is a change. */
	r1.nh[0].labels = ib;
	assert_true(rib_add(R, &p1, &r1));
	assert_int_equal(rib_path_nhg(R, rib_best(rib_lookup_exact(R, &p1)))->nh[0].labels, ib);
	r1.nh[0].labels = ib;
	assert_false(rib_add(R, &p1, &r1));
}

/* A labeler like LDP's: IGP routes' next hops get label_of[gateway's last octet], 0 none. */
static uint32_t label_of[256];
static int labeler_calls;

static void
test_labeler_fn(struct rib *rib, const struct prefix *p UNUSED, struct route *r, void *arg UNUSED)
{
	labeler_calls++;
	if (!r->src->igp)
		return;
	for (int i = 0; i < r->nnh; i++) {
		uint32_t l = label_of[r->nh[i].gw & 0xff];

		r->nh[i].labels = l ? rib_labels_intern(rib, &l, 1) : 0;
	}
}

static uint32_t
first_label(const char *pfx)
{
	struct prefix p = P(pfx);
	const struct rib_path *b = rib_best(rib_lookup_exact(R, &p));
	const struct label_stack *ls = rib_labels(R, rib_path_nhg(R, b)->nh[0].labels);

	return ls ? ls->label[0] : 0;
}

/*
 * The labeler sees every route offered and labels only what it wants (IGP
 * routes); the same offer again changes nothing; rib_relabel applies a
 * change of the labeler's, reaching watchers only when a best path's labels
 * changed; an unlabeler taking its labels off leaves the routes as offered.
 */
static void
test_labeler(void **state UNUSED)
{
	struct prefix po = P("10.8.1.0/24"), ps = P("10.8.2.0/24");

	(void)state;
	memset(label_of, 0, sizeof(label_of));
	labeler_calls = 0;
	nch = 0;
	rib_watch(R, watch_fn, &nch);
	label_of[2] = 100;
	rib_set_labeler(R, test_labeler_fn, NULL);
	add("10.8.1.0/24", mkroute(&src_ospf, "O", -1, 20, 1, "10.0.0.2", 1));
	add("10.8.2.0/24", mkroute(&src_static, "S", -1, 0, 1, "10.0.0.2", 1));
	assert_int_equal(labeler_calls, 2);
	assert_int_equal(first_label("10.8.1.0/24"), 100);
	assert_int_equal(first_label("10.8.2.0/24"), 0); /* not an IGP's route */
	assert_int_equal(nch, 2);
	/* The IGP offering the same route again: labelled the same, no change. */
	{
		struct route again = mkroute(&src_ospf, "O", -1, 20, 1, "10.0.0.2", 1);

		assert_false(rib_add(R, &po, &again));
	}
	assert_int_equal(nch, 2);
	/* The labeler's answer changes: relabel applies it, and the watchers hear. */
	label_of[2] = 200;
	rib_relabel(R, &po);
	assert_int_equal(first_label("10.8.1.0/24"), 200);
	assert_int_equal(nch, 3);
	rib_relabel(R, &ps); /* the static route: the labeler leaves it, nothing changes */
	assert_int_equal(nch, 3);
	rib_relabel(R, &po); /* same answer again: nothing */
	assert_int_equal(nch, 3);
	/* Taking the labels off. */
	label_of[2] = 0;
	rib_relabel(R, &po);
	assert_int_equal(first_label("10.8.1.0/24"), 0);
	assert_int_equal(nch, 4);
	rib_set_labeler(R, NULL, NULL);
	labeler_calls = 0;
	add("10.8.3.0/24", mkroute(&src_ospf, "O", -1, 20, 1, "10.0.0.2", 1));
	assert_int_equal(labeler_calls, 0);
}

/*
 * Next-hop tracking against a brute-force model: random routes (some discard
 * routes) come and go over many instants; after each instant every tracked
 * address's resolution equals the model's (the longest present prefix that
 * covers it, if longer than its min_len and not a discard route, with a
 * connected next hop's gateway being the address itself), and its callback
 * ran exactly when that resolution changed.
 */
#define NHT_ROUTES  24
#define NHT_TRACKED 16
#define NHT_STEPS   300

struct nht_model_route {
	bool present;
	struct prefix p;
	int nnh;
	struct nexthop nh[3];
};

static struct nht_model_route mroutes[NHT_ROUTES];

static void
model_resolve(uint32_t addr, uint8_t min_len, struct nht_res *r)
{
	const struct nht_model_route *best = NULL;

	memset(r, 0, sizeof(*r));
	for (int i = 0; i < NHT_ROUTES; i++)
		if (mroutes[i].present && prefix_contains(&mroutes[i].p, addr) &&
		    (best == NULL || mroutes[i].p.len > best->p.len))
			best = &mroutes[i];
	if (best == NULL || best->p.len <= min_len || best->nnh == 0)
		return;
	r->reachable = true;
	r->via = best->p;
	r->n = (uint8_t)best->nnh;
	for (int i = 0; i < best->nnh; i++) {
		r->nh[i] = best->nh[i];
		if (r->nh[i].gw == 0)
			r->nh[i].gw = addr;
	}
}

/* Same reachability, route and next-hop set (order aside). */
static bool
res_match(const struct nht_res *a, const struct nht_res *b)
{
	if (a->reachable != b->reachable || a->n != b->n)
		return false;
	if (!a->reachable)
		return true;
	if (!prefix_eq(&a->via, &b->via))
		return false;
	for (int i = 0; i < a->n; i++)
		if (!has_nh(b, ip_str(a->nh[i].gw), a->nh[i].ifindex))
			return false;
	return true;
}

struct nht_prop {
	int calls;
};

static void
nht_prop_cb(struct node *n UNUSED, struct nht *h UNUSED, void *arg)
{
	((struct nht_prop *)arg)->calls++;
}

static void
test_nht_property(void **state UNUSED)
{
	static const uint8_t lens[] = {8, 12, 16, 20, 24, 28, 32};
	struct nht *h[NHT_TRACKED];
	struct nht_prop cb[NHT_TRACKED];
	struct nht_res before[NHT_TRACKED], want;
	struct rng g;
	int changes = 0, calls = 0;

	rng_seed(&g, 20261207, 3);
	settle_at = 0;
	memset(mroutes, 0, sizeof(mroutes));
	/* Prefixes inside 10.0.0.0/8 around a few addresses, so that they nest. */
	for (int i = 0; i < NHT_ROUTES; i++) {
		uint8_t len = lens[rng_below(&g, ARRAY_LEN(lens))];
		uint32_t a = 0x0a000000u | (uint32_t)(rng_below(&g, 4) << 16) |
		             (uint32_t)(rng_below(&g, 4) << 8) | (uint32_t)rng_below(&g, 4);

		mroutes[i].p = (struct prefix){a & ip_mask(len), len};
		for (int k = 0; k < i; k++)
			if (prefix_eq(&mroutes[k].p, &mroutes[i].p))
				mroutes[i].p.len = 0; /* a duplicate: never used */
		mroutes[i].nnh = (int)rng_below(&g, 4);
		for (int k = 0; k < mroutes[i].nnh; k++) {
			mroutes[i].nh[k].gw = rng_below(&g, 3) == 0 ? 0 : 0xc0a80001u + (uint32_t)k;
			mroutes[i].nh[k].ifindex = (uint16_t)(k + 1);
		}
	}
	for (int t = 0; t < NHT_TRACKED; t++) {
		uint32_t a = 0x0a000000u | (uint32_t)(rng_below(&g, 4) << 16) |
		             (uint32_t)(rng_below(&g, 4) << 8) | (uint32_t)rng_below(&g, 4);

		cb[t].calls = 0;
		h[t] = nht_track(nd, a, (uint8_t)(rng_below(&g, 3) * 8), nht_prop_cb, &cb[t]);
		model_resolve(h[t]->addr, h[t]->min_len, &want);
		assert_true(res_match(&h[t]->res, &want));
	}
	for (int step = 0; step < NHT_STEPS; step++) {
		for (int t = 0; t < NHT_TRACKED; t++) {
			before[t] = h[t]->res;
			cb[t].calls = 0;
		}
		/* A few changes in one instant, some undone within it. */
		for (int k = (int)rng_below(&g, 4); k >= 0; k--) {
			struct nht_model_route *m = &mroutes[rng_below(&g, NHT_ROUTES)];
			struct route r;

			if (m->p.len == 0)
				continue;
			if (m->present) {
				assert_true(rib_del(R, &m->p, &src_ospf));
				m->present = false;
				continue;
			}
			memset(&r, 0, sizeof(r));
			r.src = &src_ospf;
			r.code = "O";
			r.distance = src_ospf.distance;
			r.nnh = (uint8_t)m->nnh;
			memcpy(r.nh, m->nh, sizeof(r.nh[0]) * (size_t)m->nnh);
			rib_add(R, &m->p, &r);
			m->present = true;
		}
		settle();
		for (int t = 0; t < NHT_TRACKED; t++) {
			bool changed;

			model_resolve(h[t]->addr, h[t]->min_len, &want);
			if (!res_match(&h[t]->res, &want))
				fail_msg("step %d: %s (min_len %u) resolves differently from the model",
				         step, ip_str(h[t]->addr), h[t]->min_len);
			changed = !res_match(&before[t], &want);
			assert_int_equal(cb[t].calls, changed ? 1 : 0);
			changes += changed;
			calls += cb[t].calls;
		}
	}
	/* The walk did move resolutions around. */
	assert_true(changes > NHT_STEPS / 4);
	assert_int_equal(calls, changes);
	for (int t = 0; t < NHT_TRACKED; t++)
		nht_untrack(h[t]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_select_distance_then_metric, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select_ties, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_same_source, setup, teardown),
		cmocka_unit_test_setup_teardown(test_withdraw_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_reports, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nhg_sharing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ecmp_select, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lpm_overlapping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rib_sorted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_property_orders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nht_tracking, setup, teardown),
		cmocka_unit_test_setup_teardown(test_label_stacks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_labeler, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nht_property, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
