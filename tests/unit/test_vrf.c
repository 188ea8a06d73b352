/*
 * test_vrf.c: VRFs (src/net/vrf.h) on a real node: the `vrfs:` list, its
 * route distinguishers and route targets kept in BGP's wire form (their
 * grammar is test_bgp_vpn's) and written back as given, and each mistake
 * reported once where it is;
 * VRF numbers and names; a RIB per VRF with its FIB view; interface and
 * local-address lookups confined to a VRF (the same address in two VRFs);
 * next-hop tracking per VRF, called back for its own RIB's changes only;
 * teardown of a node with VRFs and tracked addresses in them; and the data
 * plane: static routes in a VRF carry a ping where the default VRF's cannot,
 * and an echo request's reply and an error go back in the VRF it came in on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/cfg.h"
#include "lib/ip.h"
#include "lib/strbuf.h"
#include "lib/util.h"
#include "net/fib.h"
#include "net/ip4.h"
#include "net/net.h"
#include "net/nht.h"
#include "net/ping.h"
#include "net/rib.h"
#include "net/vrf.h"
#include "proto/proto.h"
#include "proto/static.h"

#include "net_fixture.h"

static const struct rib_src src_static = {"static", 1, false};

static struct node *nd;

static int
setup(void **state UNUSED)
{
	net = net_new("vrf", 1);
	nd = net_add_node(net, "r1", NODE_ROUTER);
	return 0;
}

static int
teardown(void **state UNUSED)
{
	net_free(net);
	net = NULL;
	return 0;
}

/* vrf_config on YAML text (a `vrfs:` list); the document, for its errors. */
static struct cfg_doc *
config(const char *yaml, bool want_ok)
{
	struct cfg_doc *doc = cfg_parse_yaml("t.yaml", yaml, strlen(yaml));

	assert_non_null(doc->root);
	if (vrf_config(nd, doc->root) != want_ok)
		fail_msg("vrf_config: %s", sb_str(&doc->errors));
	return doc;
}

static void
test_config(void **state UNUSED)
{
	static const uint8_t rd_a[8] = {0, 0, 0xfd, 0xe8, 0, 0, 0, 1};      /* type 0 */
	static const uint8_t rd_b[8] = {0, 1, 10, 0, 0, 1, 0, 5};           /* type 1 */
	static const uint8_t rt_0[8] = {0, 2, 0xfd, 0xe8, 0, 0, 0, 1};      /* RT 65000:1 */
	static const uint8_t rt_4[8] = {2, 2, 0xfa, 0x56, 0xea, 0, 0, 9};   /* RT 4200000000:9 */
	struct cfg_doc *doc;
	struct strbuf sb = STRBUF_INIT;
	const char *e;

	doc = config("- {name: a, rd: \"65000:1\", import_targets: [\"65000:1\", \"192.0.2.1:7\"],"
		     " export_targets: \"4200000000:9\"}\n"
		     "- {name: b, rd: \"10.0.0.1:5\"}\n"
		     "- {name: c}\n", true);
	assert_int_equal(doc->nerrors, 0);
	cfg_doc_free(doc);
	assert_int_equal(nd->nvrfs, 3);
	/* RDs and route targets in BGP's wire form, ready for L3VPN. */
	assert_true(nd->vrfs[0].has_rd && memcmp(nd->vrfs[0].rd, rd_a, 8) == 0);
	assert_true(nd->vrfs[1].has_rd && memcmp(nd->vrfs[1].rd, rd_b, 8) == 0);
	assert_false(nd->vrfs[2].has_rd);
	assert_int_equal(nd->vrfs[0].import.n, 2);
	assert_memory_equal(nd->vrfs[0].import.v[0], rt_0, 8);
	assert_int_equal(nd->vrfs[0].export.n, 1);
	assert_memory_equal(nd->vrfs[0].export.v[0], rt_4, 8);
	assert_int_equal(nd->vrfs[2].import.n, 0);
	/* Written back as they were given. */
	vrf_rd_text(&nd->vrfs[1], &sb);
	sb_add(&sb, " ");
	vrf_rt_text(nd->vrfs[0].import.v[1], &sb);
	assert_string_equal(sb_str(&sb), "10.0.0.1:5 192.0.2.1:7");
	sb_free(&sb);

	/* Each mistake reported once, the others still read. */
	doc = config("- {name: x, rd: \"4200000000:70000\"}\n"
		     "- {name: a}\n"
		     "- {name: default}\n"
		     "- {name: y, rd: \"10.0.0.1:5\"}\n"
		     "- {name: z, import_targets: [\"1:2:3\"]}\n"
		     "- {name: waytoolongforavrfname}\n"
		     "- {name: w, colour: blue}\n", false);
	e = sb_str(&doc->errors);
	assert_int_equal(doc->nerrors, 7);
	assert_non_null(strstr(e, "t.yaml:1:17: bad rd: "));
	assert_non_null(strstr(e, "t.yaml:2:10: duplicate VRF 'a' on r1\n"));
	assert_non_null(strstr(e, "t.yaml:3:10: 'default' is the default VRF's name"));
	assert_non_null(strstr(e, "t.yaml:4:17: r1: another VRF has rd 10.0.0.1:5\n"));
	assert_non_null(strstr(e, "t.yaml:5:30: bad import_targets: "));
	assert_non_null(strstr(e, "t.yaml:6:10: bad VRF name 'waytoolongforavrfname'"));
	assert_non_null(strstr(e, "t.yaml:7:13: unknown key 'colour'"));
	cfg_doc_free(doc);
	/* x, y, z and w were added (their names are good); a, default and the long one not. */
	assert_int_equal(nd->nvrfs, 7);
	assert_int_equal(node_vrf_id(nd, "w"), 7);
}

static void
test_names_and_ribs(void **state UNUSED)
{
	struct vrf *red = node_vrf_add(nd, "red"), *blue;
	struct fib_entry fe;
	struct route r = {.src = &src_static, .code = "S", .distance = 1, .nnh = 1};
	struct prefix p = {IP("10.9.0.0"), 16};

	blue = node_vrf_add(nd, "blue");
	red = &nd->vrfs[0]; /* the array moved */
	assert_int_equal(red->id, 1);
	assert_int_equal(blue->id, 2);
	assert_int_equal(node_vrf_id(nd, "red"), 1);
	assert_int_equal(node_vrf_id(nd, "blue"), 2);
	assert_int_equal(node_vrf_id(nd, "default"), 0);
	assert_int_equal(node_vrf_id(nd, "green"), -1);
	assert_string_equal(node_vrf_name(nd, 0), "default");
	assert_string_equal(node_vrf_name(nd, 2), "blue");
	assert_ptr_equal(node_rib(nd, 0), nd->rib);
	assert_ptr_equal(node_rib(nd, 1), red->rib);
	assert_true(red->rib != blue->rib && red->rib != nd->rib);

	/* A route in red's RIB is in red's FIB only. */
	node_add_iface(nd, "eth0");
	r.nh[0].gw = IP("10.0.0.2");
	assert_true(rib_add(red->rib, &p, &r));
	assert_true(fib_lookup(red->rib, IP("10.9.1.1"), &fe));
	assert_false(fib_lookup(nd->rib, IP("10.9.1.1"), &fe));
	assert_false(fib_lookup(blue->rib, IP("10.9.1.1"), &fe));
	/* Withdrawn from every RIB at once. */
	rib_add(nd->rib, &p, &r);
	node_ribs_flush(nd, &src_static);
	assert_int_equal(rib_count(red->rib), 0);
	assert_int_equal(rib_count(nd->rib), 0);
}

static struct iface *
iface(const char *name, const char *addr, uint8_t plen, uint16_t vrf)
{
	struct iface *ifp = node_add_iface(nd, name);

	ifp->addr = IP(addr);
	ifp->plen = plen;
	ifp->vrf = vrf;
	return ifp;
}

static void
test_local_addresses(void **state UNUSED)
{
	struct iface *d, *a, *b;

	node_vrf_add(nd, "red");
	node_vrf_add(nd, "blue");
	d = iface("eth0", "10.0.0.1", 24, 0);
	a = iface("eth1", "192.168.1.1", 24, 1);
	b = iface("eth2", "192.168.1.1", 24, 2);
	/* The same address in two VRFs: each lookup finds its own VRF's interface. */
	assert_ptr_equal(node_iface_with_addr_vrf(nd, 1, IP("192.168.1.1")), a);
	assert_ptr_equal(node_iface_with_addr_vrf(nd, 2, IP("192.168.1.1")), b);
	assert_ptr_equal(node_iface_for_vrf(nd, 2, IP("192.168.1.77")), b);
	assert_null(node_iface_for_vrf(nd, 1, IP("10.0.0.7")));
	/* The forms without a VRF are the default VRF's. */
	assert_false(node_is_local(nd, IP("192.168.1.1")));
	assert_null(node_iface_for(nd, IP("192.168.1.77")));
	assert_ptr_equal(node_iface_for(nd, IP("10.0.0.7")), d);
	assert_true(node_is_local(nd, IP("10.0.0.1")));
	assert_false(node_is_local_vrf(nd, 1, IP("10.0.0.1")));
	assert_true(node_is_local_vrf(nd, 1, IP("192.168.1.1")));
}

struct calls {
	int n;
	struct nht_res last;
};

static void
called(struct node *n UNUSED, struct nht *h, void *arg)
{
	struct calls *c = arg;

	c->n++;
	c->last = h->res;
}

static void
test_nht_per_vrf(void **state UNUSED)
{
	struct calls cr = {0}, cd = {0};
	struct route r = {.src = &src_static, .code = "S", .distance = 1, .nnh = 1};
	struct prefix p = {IP("10.9.0.0"), 16};
	struct nht *hr, *hd;

	node_vrf_add(nd, "red");
	/* Up without a link (a loopback's kind): connected resolution needs an interface up. */
	iface("eth0", "10.0.0.1", 24, 0)->kind = IF_LOOPBACK;
	iface("eth1", "10.1.0.1", 24, 1)->kind = IF_LOOPBACK;
	/* Connected in red only: the default VRF does not resolve it. */
	hr = nht_track_vrf(nd, 1, IP("10.1.0.2"), 0, called, &cr);
	assert_true(hr->res.reachable && hr->res.connected);
	assert_int_equal(hr->res.nh[0].ifindex, 1);
	hd = nht_track(nd, IP("10.1.0.2"), 0, called, &cd);
	assert_false(hd->res.reachable);
	/* A route in red resolves red's 10.9.1.1, and only red's tracker hears of it. */
	nht_untrack(hr);
	hr = nht_track_vrf(nd, 1, IP("10.9.1.1"), 0, called, &cr);
	assert_false(hr->res.reachable);
	r.nh[0].gw = IP("10.1.0.2");
	r.nh[0].ifindex = 1;
	assert_true(rib_add(node_rib(nd, 1), &p, &r));
	sim_run_until(&net->sim, SIM_MS);
	assert_int_equal(cr.n, 1);
	assert_true(cr.last.reachable);
	assert_int_equal(cr.last.nh[0].gw, IP("10.1.0.2"));
	assert_int_equal(cd.n, 0);
	/* One in the default RIB changes nothing in red. */
	assert_true(rib_add(nd->rib, &(struct prefix){IP("10.1.0.0"), 16}, &r));
	sim_run_until(&net->sim, 2 * SIM_MS);
	assert_int_equal(cr.n, 1);
	assert_int_equal(cd.n, 1); /* the default VRF's tracker now resolves through it */
	/* Left tracked: net_free frees the VRF's set (ASan checks). */
}

static bool
ping_done(const struct ping *pg)
{
	return pg->done;
}

/* Ping dst from n in vrf (one probe); the probe's status. */
static int
ping1(struct node *n, uint16_t vrf, const char *dst, sim_time *t)
{
	struct ping_opts o = {.dst = IP(dst), .count = 1, .size = 16, .vrf = vrf};
	struct ping *pg = ping_start(n, &o);
	int st;

	while (!ping_done(pg)) {
		*t += SIM_MS;
		sim_run_until(&net->sim, *t);
	}
	st = pg->probes[0].status;
	ping_free(pg);
	return st;
}

/*
 * The chain h1 - r1 - r2 - h2 with every router interface in VRF red: the
 * default VRF's static routes cannot resolve (their next hops are red's);
 * the same routes in red carry the ping, and r1 pings h2 in red only. r1's
 * red table answers net unreachable for h2's subnet until then.
 */
static void
test_dataplane(void **state UNUSED)
{
	struct static_route sr = {.ifindex = -1, .distance = 1};
	char err[128];
	sim_time t = 0;

	chain(1, SIM_MS, SIM_MS);
	for (struct node **r = (struct node *[]){r1, r2, NULL}; *r != NULL; r++) {
		node_vrf_add(*r, "red");
		for (size_t i = 0; i < (*r)->nifs; i++)
			(*r)->ifs[i]->vrf = 1;
	}
	net_start(net);
	assert_int_equal(ping1(h1, 0, "10.0.2.2", &t), PROBE_UNREACH);
	/* r1's default VRF has no route and no address of red. */
	assert_int_equal(ping1(r1, 0, "10.0.2.2", &t), PROBE_NOROUTE);
	sr.vrf = 1;
	assert_true(prefix_parse("10.0.2.0/24", &sr.pfx));
	sr.via = IP("10.0.12.2");
	assert_int_equal(static_route_add(r1, &sr, err, sizeof(err)), 0);
	assert_true(prefix_parse("10.0.1.0/24", &sr.pfx));
	sr.via = IP("10.0.12.1");
	assert_int_equal(static_route_add(r2, &sr, err, sizeof(err)), 0);
	/* A next hop that is the router's own address in that VRF is refused. */
	sr.via = IP("10.0.12.2");
	assert_int_equal(static_route_add(r2, &sr, err, sizeof(err)), -1);
	assert_string_equal(err, "next hop 10.0.12.2 is this device's own address");
	t += 10 * SIM_MS;
	sim_run_until(&net->sim, t);
	assert_int_equal(ping1(h1, 0, "10.0.2.2", &t), PROBE_OK);
	assert_int_equal(ping1(r1, 1, "10.0.2.2", &t), PROBE_OK);
	assert_int_equal(ping1(r1, 0, "10.0.2.2", &t), PROBE_NOROUTE);
	/* r2's red address answers from red; an unrouted destination gets net unreachable. */
	assert_int_equal(ping1(h1, 0, "10.0.12.2", &t), PROBE_OK);
	assert_int_equal(ping1(h1, 0, "10.0.99.1", &t), PROBE_UNREACH);
	/*
	 * Withdrawn from red's table by prefix and VRF; chain()'s route to the
	 * same prefix in the default VRF is another route, and stays.
	 */
	assert_int_equal(static_route_del(r1, 1, &(struct prefix){IP("10.0.2.0"), 24}), 0);
	assert_int_equal(static_route_del(r1, 1, &(struct prefix){IP("10.0.2.0"), 24}), -1);
	assert_true(static_route_exists(r1, &(struct prefix){IP("10.0.2.0"), 24}));
	assert_int_equal(ping1(h1, 0, "10.0.2.2", &t), PROBE_UNREACH);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names_and_ribs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_local_addresses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nht_per_vrf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dataplane, NULL, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
