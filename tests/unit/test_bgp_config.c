/*
 * test_bgp_config.c: the `bgp:` block (src/proto/bgp/config.c) read into
 * struct bgp_cfg: every key lands in its field, defaults where a key is
 * absent, peer-group keys inherited unless the neighbor sets them, timers
 * derived (a hold time alone brings a third of it as keepalive), neighbors
 * sorted by address, asdot AS numbers; and the errors a bad block gets, with
 * their positions. tests/yaml-bad/bgp-*.yaml check each message through the
 * loader as users see it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/cfg.h"
#include "lib/util.h"
#include "net/net.h"
#include "proto/bgp/bgp.h"
#include "proto/proto.h"
#include "topo/topo.h"

static const char rich[] =
    "name: rich\n"
    "devices:\n"
    "  - name: r1\n"
    "    router_id: 1.1.1.1\n"
    "    interfaces:\n"
    "      - {name: lo0, ip: 1.1.1.1/32}\n"
    "      - {name: eth0, ip: 10.0.12.1/24}\n"
    "      - {name: eth1, ip: 10.0.13.1/24}\n"
    "    static_routes:\n"
    "      - {prefix: 10.1.0.0/24, blackhole: true}\n"
    "    bgp:\n"
    "      as: 65001\n"
    "      router_id: 1.1.1.1\n"
    "      networks: [\"10.1.0.0/24\", 1.1.1.1/32]\n"
    "      aggregate_addresses:\n"
    "        - {prefix: 10.0.0.0/8, summary_only: true, as_set: true}\n"
    "        - {prefix: 10.1.0.0/16}\n"
    "      redistribute: [connected, {protocol: static, metric: 4294967295}]\n"
    "      import_check: true\n"
    "      cluster_id: 1.1.1.1\n"
    "      client_to_client: false\n"
    "      always_compare_med: true\n"
    "      deterministic_med: false\n"
    "      med_missing_as_worst: true\n"
    "      maximum_paths: 4\n"
    "      maximum_paths_ibgp: 2\n"
    "      ebgp_requires_policy: false\n"
    "      graceful_restart: true\n"
    "      restart_time: 90\n"
    "      stalepath_time: 30s\n"
    "      select_defer_time: 0\n"
    "      timers: {keepalive: 10, hold: 30}\n"
    "      peer_groups:\n"
    "        - name: core\n"
    "          remote_as: 65001\n"
    "          update_source: lo0\n"
    "          next_hop_self: true\n"
    "          route_reflector_client: true\n"
    "          timers: {hold: 9}\n"
    "        - name: upstream\n"
    "          remote_as: 65002\n"
    "          ebgp_multihop: true\n"
    "          password: s3cret\n"
    "          send_community: false\n"
    "          send_ext_community: false\n"
    "          allowas_in: true\n"
    "          advertisement_interval: 5\n"
    "          remove_private_as: true\n"
    "          passive: true\n"
    "          graceful_restart: false\n"
    "          maximum_prefix: {limit: 100, threshold: 90, restart: 5}\n"
    "      neighbors:\n"
    "        - {ip: 10.0.12.2, peer_group: upstream, description: \"to r2\", shutdown: true,\n"
    "           timers: {keepalive: 3, hold: 9, connect_retry: 5}}\n"
    "        - {ip: 3.3.3.3, peer_group: core, next_hop_self: false}\n"
    "        - {ip: 10.0.13.3, remote_as: 65003, ttl_security: 1, allowas_in: 5,\n"
    "           update_source: 10.0.13.1, ebgp_multihop: false}\n"
    "        - {ip: 2.2.2.2, remote_as: \"1.10\", ebgp_multihop: 2, advertisement_interval: 0,\n"
    "           graceful_restart: true, maximum_prefix: 7}\n"
    "  - name: r2\n"
    "    interfaces:\n"
    "      - {name: eth0, ip: 10.0.12.2/24}\n"
    "    bgp:\n"
    "      as: \"0.65002\"\n"
    "      neighbors: [{ip: 10.0.12.1, remote_as: 65001}]\n"
    "  - name: r3\n"
    "    interfaces:\n"
    "      - {name: eth0, ip: 10.0.13.3/24}\n"
    "    bgp:\n"
    "      as: 65003\n"
    "      neighbors: [{ip: 10.0.13.1, remote_as: 65001}]\n"
    "links:\n"
    "  - endpoints: [r1:eth0, r2:eth0]\n"
    "  - endpoints: [r1:eth1, r3:eth0]\n";

static struct topo *
load(const char *text, struct cfg_doc **docp)
{
	struct cfg_doc *doc = cfg_parse_yaml("t.yaml", text, strlen(text));
	struct topo *t = doc->root && doc->nerrors == 0 ? topo_build(doc, NULL) : NULL;

	*docp = doc;
	return t;
}

static const struct bgp_cfg *
bgp_cfg_of(const struct topo *t, const char *name)
{
	struct node *n = net_node(t->net, name);
	struct proto_inst *pi;

	assert_non_null(n);
	pi = proto_get(n, &proto_bgp);
	assert_non_null(pi);
	return &((struct bgp *)pi->priv)->cfg;
}

static const struct bgp_nbr_cfg *
nbr(const struct bgp_cfg *cf, const char *ip)
{
	uint32_t a;

	assert_true(ip_parse(ip, &a));
	for (size_t i = 0; i < cf->nnbrs; i++)
		if (cf->nbrs[i].ip == a)
			return &cf->nbrs[i];
	fail_msg("no neighbor %s", ip);
	return NULL;
}

static void
test_every_key(void **state)
{
	struct cfg_doc *doc;
	struct topo *t = load(rich, &doc);
	const struct bgp_cfg *cf;
	const struct bgp_nbr_cfg *n;
	struct prefix p;

	(void)state;
	if (t == NULL)
		fail_msg("%s", sb_str(&doc->errors));
	cf = bgp_cfg_of(t, "r1");
	assert_int_equal(cf->as, 65001);
	assert_int_equal(cf->router_id, 0x01010101);
	assert_int_equal(cf->nnetworks, 2);
	assert_true(prefix_parse("10.1.0.0/24", &p) && prefix_eq(&cf->networks[0], &p));
	assert_true(prefix_parse("1.1.1.1/32", &p) && prefix_eq(&cf->networks[1], &p));
	assert_int_equal(cf->naggrs, 2);
	assert_true(prefix_parse("10.0.0.0/8", &p) && prefix_eq(&cf->aggrs[0].pfx, &p));
	assert_true(cf->aggrs[0].summary_only && cf->aggrs[0].as_set);
	assert_false(cf->aggrs[1].summary_only || cf->aggrs[1].as_set);
	assert_true(cf->redist.any);
	assert_true(cf->redist.src[proto_id(&proto_connected)].on);
	assert_int_equal(cf->redist.src[proto_id(&proto_connected)].metric, 0);
	assert_true(cf->redist.src[proto_id(&proto_static)].on);
	assert_int_equal(cf->redist.src[proto_id(&proto_static)].metric, 4294967295u);
	assert_false(cf->redist.src[proto_id(&proto_ospf)].on);
	assert_true(cf->import_check);
	assert_int_equal(cf->cluster_id, 0x01010101);
	assert_false(cf->client_to_client);
	assert_true(cf->dec.always_compare_med);
	assert_false(cf->dec.deterministic_med);
	assert_true(cf->dec.med_missing_as_worst);
	assert_int_equal(cf->dec.max_paths_ebgp, 4);
	assert_int_equal(cf->dec.max_paths_ibgp, 2);
	assert_false(cf->ebgp_requires_policy);
	assert_int_equal(cf->keepalive, 10);
	assert_int_equal(cf->hold, 30);
	assert_true(cf->gr);
	assert_int_equal(cf->gr_restart_time, 90);
	assert_int_equal(cf->gr_stalepath_time, 30);
	assert_int_equal(cf->gr_defer_time, 0);

	/* Sorted by address. */
	assert_int_equal(cf->nnbrs, 4);
	for (size_t i = 1; i < cf->nnbrs; i++)
		assert_true(cf->nbrs[i - 1].ip < cf->nbrs[i].ip);

	/* Group "upstream", and the neighbor's own keys over it. */
	n = nbr(cf, "10.0.12.2");
	assert_int_equal(n->remote_as, 65002);
	assert_string_equal(n->description, "to r2");
	assert_int_equal(n->ebgp_multihop, 255);
	assert_string_equal(n->password, "s3cret");
	assert_false(n->send_community);
	assert_false(n->send_ext_community);
	assert_int_equal(n->allowas_in, 3);
	assert_true(n->mrai_set);
	assert_int_equal(n->mrai, 5 * SIM_S);
	assert_true(n->remove_private_as);
	assert_true(n->passive);
	assert_true(n->shutdown);
	assert_int_equal(n->keepalive, 3);
	assert_int_equal(n->hold, 9);
	assert_int_equal(n->connect_retry, 5);
	assert_false(n->rr_client || n->next_hop_self || n->ttl_security);
	assert_null(n->update_source);
	assert_int_equal(n->gr, 0);
	assert_int_equal(n->maxpfx.limit, 100);
	assert_int_equal(n->maxpfx.threshold, 90);
	assert_int_equal(n->maxpfx.restart, 5);
	assert_false(n->maxpfx.warning_only);

	/* Group "core": hold 9 alone brings keepalive 3; next_hop_self overridden. */
	n = nbr(cf, "3.3.3.3");
	assert_int_equal(n->remote_as, 65001);
	assert_string_equal(n->update_source, "lo0");
	assert_int_equal(n->update_source_ip, 0);
	assert_false(n->next_hop_self);
	assert_true(n->rr_client);
	assert_int_equal(n->hold, 9);
	assert_int_equal(n->keepalive, 3);
	assert_int_equal(n->connect_retry, BGP_CONNECT_RETRY_DFLT);
	assert_true(n->send_community && n->send_ext_community);
	assert_null(n->password);
	assert_null(n->description);

	/* No group: the defaults, the device's timers, GTSM. */
	n = nbr(cf, "10.0.13.3");
	assert_int_equal(n->remote_as, 65003);
	assert_true(n->ttl_security);
	assert_int_equal(n->ttl_security_hops, 1);
	assert_int_equal(n->ebgp_multihop, 0);
	assert_int_equal(n->allowas_in, 5);
	assert_null(n->update_source);
	assert_int_equal(n->update_source_ip, 0x0a000d01);
	assert_int_equal(n->keepalive, 10);
	assert_int_equal(n->hold, 30);
	assert_false(n->mrai_set);
	assert_false(n->shutdown || n->passive || n->remove_private_as);
	assert_int_equal(n->gr, -1); /* the device's */
	assert_int_equal(n->maxpfx.limit, 0);

	/* asdot: 1.10 is 65546; MRAI 0 is set, not the default. */
	n = nbr(cf, "2.2.2.2");
	assert_int_equal(n->remote_as, 65546);
	assert_int_equal(n->ebgp_multihop, 2);
	assert_true(n->mrai_set);
	assert_int_equal(n->mrai, 0);
	assert_int_equal(n->gr, 1);
	assert_int_equal(n->maxpfx.limit, 7);
	assert_int_equal(n->maxpfx.threshold, 75); /* FRR's default */

	/* A router with only `as` and a neighbor: every default. */
	cf = bgp_cfg_of(t, "r2");
	assert_int_equal(cf->as, 65002);
	assert_int_equal(cf->router_id, 0);
	assert_true(cf->import_check && cf->client_to_client && cf->dec.deterministic_med);
	assert_false(cf->dec.always_compare_med || cf->dec.med_missing_as_worst);
	assert_int_equal(cf->dec.max_paths_ebgp, 1);
	assert_int_equal(cf->dec.max_paths_ibgp, 1);
	assert_int_equal(cf->cluster_id, 0);
	assert_false(cf->redist.any);
	assert_int_equal(cf->keepalive, BGP_KEEPALIVE_DFLT);
	assert_int_equal(cf->hold, BGP_HOLD_DFLT);
	assert_false(cf->gr);
	assert_int_equal(cf->gr_restart_time, 120);
	assert_int_equal(cf->gr_stalepath_time, 360);
	assert_int_equal(cf->gr_defer_time, 360);
	n = nbr(cf, "10.0.12.1");
	assert_int_equal(n->keepalive, BGP_KEEPALIVE_DFLT);
	assert_int_equal(n->hold, BGP_HOLD_DFLT);
	assert_int_equal(n->connect_retry, BGP_CONNECT_RETRY_DFLT);
	assert_true(n->send_community && n->send_ext_community);
	assert_int_equal(n->ebgp_multihop, 0);
	assert_int_equal(n->allowas_in, 0);
	/* The router ID comes from the device in validate: r2 has only eth0. */
	assert_int_equal(((struct bgp *)proto_get(net_node(t->net, "r2"), &proto_bgp)->priv)->router_id,
	                 0x0a000c02);
	topo_free(t);
	cfg_doc_free(doc);
}

/* A topology of one router r1 with the given bgp block (indented 4): its errors. */
static char *
errors_of(const char *block)
{
	char *text = xasprintf("name: e\ndevices:\n  - name: r1\n    interfaces:\n"
	                       "      - {name: lo0, ip: 1.1.1.1/32}\n"
	                       "      - {name: eth0, ip: 10.0.12.1/24}\n"
	                       "    bgp:\n%s", block);
	struct cfg_doc *doc;
	struct topo *t = load(text, &doc);
	char *e = xstrdup(sb_str(&doc->errors));

	if (t)
		topo_free(t);
	cfg_doc_free(doc);
	free(text);
	return e;
}

static void
expect_errors(const char *block, const char *want)
{
	char *got = errors_of(block);

	assert_string_equal(got, want);
	free(got);
}

static void
test_errors(void **state)
{
	(void)state;
	/* Each error once, where it is; the others keep being checked. */
	expect_errors("      as: 0\n      timers: {hold: 2}\n      networks: [10.1.0.1/24]\n",
	    "t.yaml:8:11: 'as' must be an AS number from 1 to 4294967295 (or asdot, as 1.10), "
	    "got '0'\n"
	    "t.yaml:10:18: networks: 10.1.0.1/24 has host bits set (the network is 10.1.0.0/24)\n"
	    "t.yaml:9:22: 'hold' must be 0 or a whole number of seconds from 3 to 65535 (RFC 4271 "
	    "4.2)\n");
	expect_errors("      as: 23456\n",
	    "t.yaml:8:11: 'as' 23456 is AS_TRANS, which stands for a 4-octet AS and is never "
	    "configured (RFC 6793 9)\n");
	expect_errors("      as: 65536.1\n",
	    "t.yaml:8:11: 'as' must be an AS number from 1 to 4294967295 (or asdot, as 1.10), "
	    "got '65536.1'\n");
	/* A group with an error: reported once, not again for each of its neighbors. */
	expect_errors("      as: 1\n      peer_groups: [{name: g, hold_time: 3}]\n"
	              "      neighbors: [{ip: 10.0.12.2, peer_group: g}, {ip: 10.0.12.3, peer_group: g}]\n",
	    "t.yaml:9:31: unknown key 'hold_time' in peer group g\n");
	/* Timers: a neighbor's keepalive against the device's hold (whose keepalive is 3). */
	expect_errors("      as: 1\n      timers: {hold: 9}\n"
	              "      neighbors: [{ip: 10.0.12.2, remote_as: 2, timers: {keepalive: 20}}]\n",
	    "t.yaml:10:57: keepalive 20s must be shorter than hold 9s (RFC 4271 10 suggests a "
	    "third of it)\n");
	/* A hold of 0 turns keepalives off: any keepalive goes. */
	expect_errors("      as: 1\n      timers: {keepalive: 30, hold: 0}\n", "");
	expect_errors("      as: 1\n      neighbors: [{ip: 10.0.12.2, remote_as: 2, ttl_security: true}]\n",
	    "t.yaml:9:63: 'ttl_security' must be false or a hop count from 1 to 254 (RFC 5082)\n");
	expect_errors("      as: 1\n      neighbors: [{ip: 10.0.12.2, remote_as: 2, allowas_in: 11}]\n",
	    "t.yaml:9:61: 'allowas_in' must be true, false or a count from 1 to 10\n");
	expect_errors("      as: 1\n      maximum_paths: 17\n",
	    "t.yaml:9:22: expected an integer from 1 to 16 for 'maximum_paths', got '17'\n");
	expect_errors("      as: 1\n      neighbors: [{ip: 10.0.12.2, remote_as: 1, update_source: 10.9.9.9}]\n",
	    "t.yaml:9:64: r1: update_source 10.9.9.9 of neighbor 10.0.12.2 is not an address of r1\n");
	expect_errors("      as: 1\n      router_id: 224.0.0.1\n",
	    "t.yaml:9:18: router_id 224.0.0.1 is a multicast address, not a valid BGP Identifier\n");
	expect_errors("      as: 1\n      cluster_id: 0\n",
	    "t.yaml:9:19: cluster_id 0 is not valid (leave it out to use the router ID)\n");
}

/* Paths name their neighbor in 16 bits: BGP_PEERS_MAX neighbors go, one more does not. */
static void
test_neighbor_limit(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *got;

	(void)state;
	for (unsigned extra = 0; extra < 2; extra++) {
		sb_reset(&sb);
		sb_printf(&sb, "      as: 1\n      neighbors:\n");
		for (uint32_t i = 0; i < BGP_PEERS_MAX + extra; i++)
			sb_printf(&sb, "        - {ip: %s, remote_as: 2}\n", ip_str(0x0a010000u + i));
		got = errors_of(sb_str(&sb));
		if (extra == 0)
			assert_string_equal(got, "");
		else
			assert_string_equal(got, "t.yaml:10:9: 65535 neighbors: at most 65534\n");
		free(got);
	}
	sb_free(&sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_key),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_neighbor_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
