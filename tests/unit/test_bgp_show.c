/*
 * test_bgp_show.c: the BGP show commands (src/proto/bgp/show.c) against
 * FRR 8.4's own output for the same state.
 *
 * The fixture is r2 of the spec's Example 4 as FRR had it when
 * tests/frr/bgp-record.sh recorded tests/frr/bgp-multi-as/: two eBGP
 * sessions up (to r1 10.0.12.1 AS 65001 and r3 10.0.23.3 AS 65003), four
 * messages each way on each, 10.1.0.0/24 learned from r1 (MED 0, path 65001)
 * and advertised to both. It is built by hand in the structures of bgp.h, so
 * the test depends on the table and session state only, not on how the
 * protocol got there. Then:
 *
 * - text: every line netsim prints appears in FRR's output once values that
 *   differ by nature (ages, memory sizes, TCP ports, dates) are masked, and
 *   FRR's lines that netsim must have are there (headers, rows, totals);
 * - JSON: every key netsim writes is one FRR writes at the same place, and
 *   FRR's keys are all there except those naming what netsim does not have
 *   (hostname capability, roles, graceful-restart details, VRF memory...);
 * - the error and empty cases: an unknown neighbor or prefix, a device
 *   without BGP (`%` line, `{}`), a state other than Established, the last
 *   NOTIFICATION in FRR's words, what clear and shutdown refuse; completion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/cli.h"
#include "lib/ip.h"
#include "lib/json.h"
#include "lib/util.h"
#include "net/net.h"
#include "net/tcp.h"
#include "proto/bgp/bgp.h"
#include "proto/proto.h"

#define REF "tests/frr/bgp-multi-as/"

static struct network *net;
static struct node *r2, *r9;

/* --- the fixture ------------------------------------------------------------------------------ */

static struct bgp b;
static struct bgp_nbr_cfg nc[2];
static struct bgp_peer peers[2];
static struct bgp_upgrp grp;
static struct bgp_dest *dest; /* in b's table (bgp_rib_init) */
static struct bgp_path *path;
static uint8_t aspath_in[6] = {BGP_AS_SEQUENCE, 1, 0, 0, 0xfd, 0xe9}; /* 65001 */
static uint8_t aspath_out[10] = {
    BGP_AS_SEQUENCE, 2, 0, 0, 0xfd, 0xea, 0, 0, 0xfd, 0xe9}; /* 65002 65001 */
static struct bgp_attr attr_in, attr_out;

static uint32_t
IP(const char *s)
{
	uint32_t a;

	if (!ip_parse(s, &a))
		fail_msg("bad address %s", s);
	return a;
}

static void
mkpeer(int i, const char *ip, uint32_t as, const char *rid)
{
	struct bgp_peer *p = &peers[i];

	nc[i] = (struct bgp_nbr_cfg){
	    .ip = IP(ip), .remote_as = as, .send_community = true, .send_ext_community = true,
	    .families = BGP_FAM_IPV4,
	    .gr = -1};
	*p = (struct bgp_peer){.bgp = &b, .cfg = &nc[i], .state = BGP_ESTABLISHED, .ebgp = true};
	p->est = &p->conn[0];
	p->conn[0].peer = p;
	p->conn[0].state = BGP_ESTABLISHED;
	p->conn[0].hold = 180;
	p->conn[0].keepalive = 60;
	p->conn[0].open.nafi = 1;
	p->conn[0].open.afi[0].afi = BGP_AFI_IPV4;
	p->conn[0].open.afi[0].safi = BGP_SAFI_UNICAST;
	p->remote_id = IP(rid);
	p->as4 = p->rr_cap = p->gr_cap = true;
	p->st = (struct bgp_peer_stats){.open_in = 1,
	                                .open_out = 1,
	                                .upd_in = 2,
	                                .upd_out = 2,
	                                .ka_in = 1,
	                                .ka_out = 1,
	                                .established = 1,
	                                .pfx_out = 1};
	p->up_since = 0;
	p->grp = &grp;
	timer_init_new(&p->connect_retry_t, &r2->actor, NULL, NULL);
	timer_init_new(&p->idle_hold_t, &r2->actor, NULL, NULL);
	timer_init_new(&p->pfx_restart_t, &r2->actor, NULL, NULL);
	/* Graceful restart as in FRR's recording: both helpers, End-of-RIBs exchanged, R bit set. */
	timer_init_new(&p->gr.restart_t, &r2->actor, NULL, NULL);
	timer_init_new(&p->gr.stale_t, &r2->actor, NULL, NULL);
	p->conn[0].open.cap_gr = true;
	p->conn[0].open.gr_time = 120;
	p->gr = (struct bgp_peer_gr){.restart_t = p->gr.restart_t, .stale_t = p->gr.stale_t,
	                             .peer_time = 120, .peer_r = true, .eor_sent = true,
	                             .eor_rcvd = true, .eor_after_update = true};
}

static struct hmap adjin0;

static int
setup(void **state)
{
	struct proto_inst *pi;
	struct prefix pfx;

	(void)state;
	net = net_new("bgp-show", 1);
	r2 = net_add_node(net, "r2", NODE_ROUTER);
	r9 = net_add_node(net, "r9", NODE_ROUTER);
	net->sim.now = 6 * SIM_S;

	memset(&b, 0, sizeof(b));
	b.node = r2;
	b.router_id = IP("2.2.2.2");
	b.cfg.as = 65002;
	b.cfg.nbrs = nc;
	b.cfg.nnbrs = 2;
	b.peers = peers;
	b.npeers = 2;
	b.version = 1;
	b.cfg.gr_restart_time = 120;
	b.cfg.gr_stalepath_time = 360;
	b.cfg.gr_defer_time = 360;
	timer_init_new(&b.gr_defer_t, &r2->actor, NULL, NULL);
	mkpeer(0, "10.0.12.1", 65001, "1.1.1.1");
	mkpeer(1, "10.0.23.3", 65003, "3.3.3.3");
	peers[0].st.pfx_in = 1;

	attr_in = (struct bgp_attr){.has = BGP_HAS_MED | BGP_HAS_NEXT_HOP,
	                            .origin = BGP_ORIGIN_IGP,
	                            .nexthop = IP("10.0.12.1"),
	                            .aspath = aspath_in,
	                            .aspath_len = sizeof(aspath_in)};
	attr_out = (struct bgp_attr){.has = BGP_HAS_NEXT_HOP,
	                             .origin = BGP_ORIGIN_IGP,
	                             .nexthop = IP("10.0.23.2"),
	                             .aspath = aspath_out,
	                             .aspath_len = sizeof(aspath_out)};
	bgp_rib_init(&b);
	assert_true(prefix_parse("10.1.0.0/24", &pfx));
	dest = bgp_dest_get(&b, &pfx, true);
	path = bgp_path_new(&b, dest, &peers[0], BGP_KIND_PEER);
	path->attr = &attr_in;
	path->flags = BGP_PATH_VALID | BGP_PATH_BEST;
	path->since_s = 1;
	dest->best = dest->first; /* path */
	dest->why = BGP_WHY_ONLY;
	dest->version = 1;
	/* r2 keeps what r1 sent, as FRR's soft-reconfiguration inbound in the recording. */
	hmap_init(&adjin0);
	hmap_put(&adjin0, prefix_key(&dest->pfx), &attr_in);
	peers[0].adjin = &adjin0;
	memset(&grp, 0, sizeof(grp));
	grp.bgp = &b;
	hmap_init(&grp.out);
	hmap_put(&grp.out, prefix_key(&dest->pfx), (void *)&attr_out);

	pi = proto_instance(r2, &proto_bgp);
	pi->priv = &b;
	pi->running = true;
	return 0;
}

static int
teardown(void **state)
{
	int id = proto_id(&proto_bgp);

	(void)state;
	/* The state is the test's, not the protocol's: take it away before the network goes. */
	free(r2->pi[id]);
	r2->pi[id] = NULL;
	/* The paths' attributes are the test's (not interned): the table goes without the RIB's flush. */
	idtab_free(&b.dests);
	hmap_free(&b.nhs);
	slab_destroy(&b.dest_slab);
	slab_destroy(&b.path_slab);
	slab_destroy(&b.nh_slab);
	hmap_free(&adjin0);
	hmap_free(&grp.out);
	net_free(net);
	net = NULL;
	return 0;
}

/* --- running commands and reading FRR's files ------------------------------------------------- */

static int rc;
static char *out, *err;

static int
run(struct node *n, const char *line)
{
	struct cli_ctx c;

	free(out);
	free(err);
	cli_ctx_init(&c, net, n);
	rc = cli_exec(&c, line);
	out = xstrdup(sb_str(&c.out));
	err = xstrdup(sb_str(&c.err));
	cli_ctx_free(&c);
	return rc;
}

static char *
slurp(const char *name)
{
	char fn[256];
	FILE *f;
	char *s;
	long n;

	snprintf(fn, sizeof(fn), REF "%s", name);
	if ((f = fopen(fn, "rb")) == NULL)
		fail_msg("cannot read %s", fn);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = xmalloc((size_t)n + 1);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

/*
 * Values that differ by nature between FRR and netsim, replaced by "#" in a
 * line (a new string): ages ("00:00:06"), memory sizes, TCP ports, dates.
 */
static char *
mask(const char *line)
{
	static const char *const after[] = {"using ",
	                                    "Local port: ", "Foreign port: ", "Last update: "};
	struct strbuf sb;
	const char *p = line;

	sb_init(&sb);
	while (*p) {
		size_t skip = 0;

		if (p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9' && p[2] == ':' &&
		    p[3] >= '0' && p[3] <= '9' && p[4] >= '0' && p[4] <= '9' && p[5] == ':')
			skip = 8;
		for (size_t i = 0; i < ARRAY_LEN(after) && !skip; i++) {
			size_t n = strlen(after[i]);

			if ((size_t)(p - line) >= n && strncmp(p - n, after[i], n) == 0)
				skip = strcspn(p, ",\n");
		}
		if (skip) {
			sb_addc(&sb, '#');
			p += skip;
		} else {
			sb_addc(&sb, *p++);
		}
	}
	return sb_steal(&sb);
}

/* Is line (masked) one of text's lines (masked)? */
static bool
has_line(const char *text, const char *line)
{
	char *t = xstrdup(text), *save = NULL, *l = mask(line);
	bool found = false;

	for (char *s = strtok_r(t, "\n", &save); s && !found; s = strtok_r(NULL, "\n", &save)) {
		char *m = mask(s);

		found = strcmp(m, l) == 0;
		free(m);
	}
	free(t);
	free(l);
	return found;
}

/*
 * Every non-empty line of ours is in FRR's file, except the lines named in
 * ours_only (netsim's deliberate differences); every line of must is in ours.
 */
static void
lines_match(const char *ours, const char *file, const char *const *ours_only,
            const char *const *must)
{
	char *frr = slurp(file), *t = xstrdup(ours), *save = NULL;

	for (char *s = strtok_r(t, "\n", &save); s; s = strtok_r(NULL, "\n", &save)) {
		bool excused = false;

		for (size_t i = 0; ours_only && ours_only[i]; i++)
			excused |= strstr(s, ours_only[i]) != NULL;
		if (!excused && !has_line(frr, s)) {
			fprintf(stderr, "--- ours:\n%s--- FRR's %s:\n%s", ours, file, frr);
			fail_msg("netsim's line not in FRR's %s: [%s]", file, s);
		}
	}
	for (size_t i = 0; must && must[i]; i++)
		if (!has_line(ours, must[i]) || !has_line(frr, must[i])) {
			fprintf(stderr, "--- ours:\n%s--- FRR's %s:\n%s", ours, file, frr);
			fail_msg("line [%s] missing from %s", must[i],
			         has_line(ours, must[i]) ? "FRR's" : "ours");
		}
	free(t);
	free(frr);
}

static struct jval *
parse(const char *text)
{
	char e[128];
	struct jval *v = json_parse(text, strlen(text), e, sizeof(e));

	if (v == NULL)
		fail_msg("bad JSON (%s):\n%s", e, text);
	return v;
}

static bool
listed(const char *const *v, const char *k)
{
	for (size_t i = 0; v && v[i]; i++)
		if (strcmp(v[i], k) == 0)
			return true;
	return false;
}

/*
 * Compare the keys of two JSON values recursively (objects by key, arrays by
 * their first element). Keys named in frr_only may be missing from ours;
 * map keys (addresses, prefixes) are compared as names of what they hold.
 */
static void
keys_match(const struct jval *ours, const struct jval *frr, const char *where,
           const char *const *frr_only)
{
	char w[512];

	if (frr->type == J_ARR && ours->type == J_ARR) {
		if (frr->n > 0 && ours->n > 0)
			keys_match(ours->elem[0], frr->elem[0], where, frr_only);
		return;
	}
	if (frr->type != J_OBJ)
		return;
	if (ours->type != J_OBJ)
		fail_msg("%s: FRR has an object, netsim not", where);
	for (size_t i = 0; i < ours->n; i++) {
		const struct jval *f = jval_get(frr, ours->keys[i]);

		snprintf(w, sizeof(w), "%s.%s", where, ours->keys[i]);
		if (f == NULL)
			fail_msg("netsim's key %s is not FRR's", w);
		keys_match(ours->elem[i], f, w, frr_only);
	}
	for (size_t i = 0; i < frr->n; i++)
		if (jval_get(ours, frr->keys[i]) == NULL && !listed(frr_only, frr->keys[i]))
			fail_msg("FRR's key %s.%s missing from netsim's", where, frr->keys[i]);
}

/* netsim does not send FRR's hostname capability: no hostname keys. */
static const char *const host_only[] = {"hostname", NULL};

static void
json_match(struct node *n, const char *cmd, const char *file, const char *const *frr_only)
{
	char *frr = slurp(file);
	struct jval *a, *f;

	assert_int_equal(run(n, cmd), 0);
	a = parse(out);
	f = parse(frr);
	keys_match(a, f, cmd, frr_only);
	jval_free(a);
	jval_free(f);
	free(frr);
}

/* --- show bgp summary ------------------------------------------------------------------------- */

static void
test_summary_text(void **state)
{
	static const char *const must[] = {
	    "BGP router identifier 2.2.2.2, local AS number 65002 vrf-id 0",
	    "BGP table version 1",
	    "Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down "
	    "State/PfxRcd   PfxSnt Desc",
	    "10.0.12.1       4      65001         4         4        0    0    0 00:00:06          "
	    "  "
	    "1        1 N/A",
	    "10.0.23.3       4      65003         4         4        0    0    0 00:00:06          "
	    "  "
	    "0        1 N/A",
	    "Total number of neighbors 2",
	    NULL};

	(void)state;
	assert_int_equal(run(r2, "show bgp summary"), 0);
	lines_match(out, "r2-show-bgp-summary.txt", NULL, must);
	assert_int_equal(run(r2, "show ip bgp summary"), 0);
	lines_match(out, "r2-show-ip-bgp-summary.txt", NULL, must);
	assert_int_equal(run(r2, "show bgp ipv4 unicast summary"), 0);
	lines_match(out, "r2-show-ip-bgp-summary.txt", NULL, must);
}

static void
test_summary_json(void **state)
{
	struct jval *root, *v, *pj;

	(void)state;
	json_match(r2, "show bgp summary json", "r2-show-bgp-summary.json", host_only);
	root = parse(out);
	v = jval_get(root, "ipv4Unicast");
	assert_non_null(v);
	assert_string_equal(jval_str(v, "routerId"), "2.2.2.2");
	pj = jval_get(v, "peers");
	assert_string_equal(jval_str(jval_get(pj, "10.0.12.1"), "state"), "Established");
	assert_int_equal((int)jval_get(jval_get(pj, "10.0.12.1"), "pfxRcd")->num, 1);
	assert_int_equal((int)jval_get(jval_get(pj, "10.0.23.3"), "peerUptimeMsec")->num, 6000);
	/* Sorted by address. */
	assert_string_equal(pj->keys[0], "10.0.12.1");
	jval_free(root);
}

/* A session shut down here: Idle (Admin) in the table, peerState Admin. */
static void
test_summary_admin(void **state)
{
	(void)state;
	peers[0].state = BGP_IDLE;
	peers[0].est = NULL;
	peers[0].admin_down = true;
	peers[0].st.dropped = 1;
	assert_int_equal(run(r2, "show bgp summary"), 0);
	assert_true(has_line(out,
	                     "10.0.12.1       4      65001         4         4        0    0    0 "
	                     "00:00:06 Idle (Admin)        0 N/A"));
	assert_int_equal(run(r2, "show bgp summary json"), 0);
	assert_non_null(strstr(out, "\"state\": \"Idle (Admin)\""));
	assert_non_null(strstr(out, "\"peerState\": \"Admin\""));
}

/* --- show bgp --- */

static void
test_table(void **state)
{
	static const char *const must[] = {
	    "BGP table version is 1, local router ID is 2.2.2.2, vrf id 0",
	    "Default local pref 100, local AS 65002",
	    "   Network          Next Hop            Metric LocPrf Weight Path",
	    "*> 10.1.0.0/24      10.0.12.1                0             0 65001 i",
	    "Displayed  1 routes and 1 total paths",
	    NULL};

	(void)state;
	assert_int_equal(run(r2, "show bgp"), 0);
	lines_match(out, "r2-show-ip-bgp.txt", NULL, must);
	assert_int_equal(run(r2, "sh ip bgp"), 0);
	lines_match(out, "r2-show-ip-bgp.txt", NULL, must);
	assert_int_equal(run(r2, "show bgp ipv4 unicast"), 0);
	lines_match(out, "r2-show-ip-bgp.txt", NULL, must);
	json_match(r2, "show ip bgp json", "r2-show-ip-bgp.json", host_only);
	assert_non_null(strstr(out, "First path received"));
}

/*
 * A prefix's later paths leave the prefix column blank, iBGP paths are
 * marked i and multipaths =; a prefix longer than its column wraps, as FRR
 * wraps it.
 */
static void
test_table_rows(void **state)
{
	static struct bgp_attr a2;
	struct bgp_path *p2, *p3;
	struct bgp_dest *d3;
	struct prefix pfx3;

	(void)state;
	a2 = attr_in;
	a2.has |= BGP_HAS_LOCAL_PREF;
	a2.local_pref = 200;
	a2.nexthop = IP("192.168.100.100");
	peers[1].ebgp = false;
	p2 = bgp_path_new(&b, dest, &peers[1], BGP_KIND_PEER); /* after path */
	p2->attr = &a2;
	p2->flags = BGP_PATH_VALID | BGP_PATH_MULTIPATH;
	assert_true(prefix_parse("192.168.100.128/25", &pfx3));
	d3 = bgp_dest_get(&b, &pfx3, true);
	p3 = bgp_path_new(&b, d3, &peers[0], BGP_KIND_PEER);
	p3->attr = &attr_in;
	d3->version = 2;
	assert_int_equal(run(r2, "show bgp"), 0);
	assert_true(
	    has_line(out, "*> 10.1.0.0/24      10.0.12.1                0             0 65001 i"));
	assert_true(
	    has_line(out, "*=i                 192.168.100.100          0    200      0 65001 i"));
	/* Not valid (next hop unreachable): no '*'. */
	assert_true(has_line(out, "   192.168.100.128/25"));
	assert_true(
	    has_line(out, "                    10.0.12.1                0             0 65001 i"));
	assert_true(has_line(out, "Displayed  2 routes and 3 total paths"));
	/* Sorted by prefix: 10.1.0.0/24 first. */
	assert_true(strstr(out, "10.1.0.0/24") < strstr(out, "192.168.100.128/25"));
	d3->first = 0; /* no paths: not shown */
	path->next = 0;
}

static void
test_empty_table(void **state)
{
	(void)state;
	dest->first = 0; /* no paths: not shown */
	assert_int_equal(run(r2, "show bgp"), 0);
	assert_string_equal(out, "No BGP prefixes displayed, 0 exist\n");
	assert_int_equal(run(r2, "show bgp json"), 0);
	assert_non_null(strstr(out, "\"routes\""));
}

/* --- show bgp PREFIX --- */

static void
test_prefix(void **state)
{
	static const char *const must[] = {
	    "BGP routing table entry for 10.1.0.0/24, version 1",
	    "Paths: (1 available, best #1, table default)",
	    "  Advertised to non peer-group peers:",
	    "  10.0.12.1 10.0.23.3",
	    "  65001",
	    "    10.0.12.1 from 10.0.12.1 (1.1.1.1)",
	    "      Origin IGP, metric 0, valid, external, best (First path received)",
	    NULL};

	(void)state;
	assert_int_equal(run(r2, "show bgp 10.1.0.0/24"), 0);
	lines_match(out, "r2-show-ip-bgp-prefix.txt", NULL, must);
	assert_true(has_line(out, "      Last update: Thu Jan  1 00:00:01 1970"));
	assert_int_equal(run(r2, "show bgp ipv4 unicast 10.1.0.0/24"), 0);
	lines_match(out, "r2-show-ip-bgp-prefix.txt", NULL, must);
	/* An address finds the longest prefix holding it. */
	assert_int_equal(run(r2, "show ip bgp 10.1.0.77"), 0);
	lines_match(out, "r2-show-ip-bgp-prefix.txt", NULL, must);
	json_match(r2, "show bgp 10.1.0.0/24 json", "r2-show-ip-bgp-prefix.json", host_only);
	assert_non_null(strstr(out, "\"selectionReason\""));
	assert_int_equal(run(r2, "show bgp 10.2.0.0/24"), 1);
	assert_non_null(strstr(err, "Network not in table"));
	assert_int_equal(run(r2, "show bgp 10.1.0.0/33"), 1);
	assert_int_equal(run(r2, "show bgp ten"), 1);
}

/*
 * r1's own route (`networks:`): FRR's r1 shows it with next hop 0.0.0.0,
 * weight 32768, "Local" for the empty AS path and "sourced, local".
 */
static void
test_local_path(void **state)
{
	static const char *const table_must[] = {
	    "BGP table version is 1, local router ID is 1.1.1.1, vrf id 0",
	    "*> 10.1.0.0/24      0.0.0.0                  0         32768 i", NULL};
	static const char *const detail_must[] = {
	    "  Advertised to non peer-group peers:",
	    "  10.0.12.2",
	    "  Local",
	    "    0.0.0.0 from 0.0.0.0 (1.1.1.1)",
	    "      Origin IGP, metric 0, weight 32768, valid, sourced, local, best (First path "
	    "received)",
	    NULL};
	static struct bgp_attr a;

	(void)state;
	b.router_id = IP("1.1.1.1");
	b.cfg.as = 65001;
	nc[0].ip = IP("10.0.12.2");
	nc[0].remote_as = 65002;
	b.npeers = 1;
	a = (struct bgp_attr){.has = BGP_HAS_MED, .origin = BGP_ORIGIN_IGP, .weight = 32768};
	path->nbr = BGP_PEER_LOCAL;
	path->kind = BGP_KIND_NETWORK;
	path->attr = &a;
	assert_int_equal(run(r2, "show bgp"), 0);
	lines_match(out, "r1-show-ip-bgp.txt", NULL, table_must);
	json_match(r2, "show bgp json", "r1-show-ip-bgp.json", host_only);
	assert_non_null(strstr(out, "\"peerId\": \"(unspec)\""));
	assert_int_equal(run(r2, "show bgp 10.1.0.0/24"), 0);
	lines_match(out, "r1-show-ip-bgp-prefix.txt", NULL, detail_must);
	json_match(r2, "show bgp 10.1.0.0/24 json", "r1-show-ip-bgp-prefix.json", host_only);
}

/* Communities, the originator and cluster list, as FRR prints them. */
static void
test_prefix_attributes(void **state)
{
	static const uint32_t comm[] = {(65001u << 16) | 100, BGP_COMM_NO_EXPORT};
	static const uint8_t lcomm[] = {0, 0, 0xfd, 0xe9, 0, 0, 0, 1, 0, 0, 0, 2};
	static const uint8_t ecomm[] = {0x00, 0x02, 0xfd, 0xe9, 0, 0, 0, 100};
	static const uint32_t cluster[] = {0x01010101};
	static struct bgp_attr a;

	(void)state;
	a = attr_in;
	a.comm = comm, a.ncomm = 2;
	a.lcomm = lcomm, a.nlcomm = 1;
	a.ecomm = ecomm, a.necomm = 1;
	a.has |= BGP_HAS_ORIGINATOR | BGP_HAS_LOCAL_PREF;
	a.originator_id = IP("9.9.9.9");
	a.local_pref = 100;
	a.cluster = cluster, a.ncluster = 1;
	path->attr = &a;
	assert_int_equal(run(r2, "show bgp 10.1.0.0/24"), 0);
	assert_true(has_line(out, "Paths: (1 available, best #1, table default, not advertised to "
	                          "EBGP peer)"));
	assert_true(has_line(out, "    10.0.12.1 from 10.0.12.1 (9.9.9.9)"));
	assert_true(has_line(out, "      Community: 65001:100 no-export"));
	assert_true(has_line(out, "      Extended Community: RT:65001:100"));
	assert_true(has_line(out, "      Large Community: 65001:1:2"));
	assert_true(has_line(out, "      Originator: 9.9.9.9, Cluster list: 1.1.1.1 "));
	assert_int_equal(run(r2, "show bgp 10.1.0.0/24 json"), 0);
	assert_non_null(strstr(out, "\"noExport\""));
	assert_non_null(strstr(out, "\"originatorId\""));
	assert_non_null(strstr(out, "\"clusterList\""));
	path->attr = &attr_in;
}

/* --- show bgp neighbors --- */

/*
 * What FRR's `show bgp neighbors` has and netsim's BGP does not: the hostname
 * capability, roles (RFC 9234), extended messages, ADD-PATH, long-lived GR,
 * enhanced route refresh, GR's N bit (RFC 8538), update subgroups, IPv6 next hops, FRR's
 * I/O threads and read/write ages; and the ConnectRetry timer, not running in
 * the fixture.
 */
static const char *const nbr_frr_only[] = {"localRole",
                                           "remoteRole",
                                           "hostname",
                                           "bgpTimerLastRead",
                                           "bgpTimerLastWrite",
                                           "bgpInUpdateElapsedTimeMsecs",
                                           "extendedOptionalParametersLength",
                                           "bgpTimerConfiguredConditionalAdvertisementsSec",
                                           "extendedMessage",
                                           "addPath",
                                           "longLivedGracefulRestart",
                                           "longLivedGracefulRestartByPeer",
                                           "enhancedRouteRefresh",
                                           "hostName",
                                           "nBit",
                                           "updateGroupId",
                                           "subGroupId",
                                           "packetQueueLength",
                                           "nexthop",
                                           "nexthopGlobal",
                                           "nexthopLocal",
                                           "bgpConnection",
                                           "readThread",
                                           "writeThread",
                                           "nextConnectTimerDueInMsecs",
                                           NULL};

static void
test_neighbor(void **state)
{
	/* What FRR prints that netsim words differently, knowingly (docs/bgp.md). */
	static const char *const ours_only[] = {"Route refresh: advertised and received(new)",
	                                        NULL};
	static const char *const must[] = {
	    "BGP neighbor is 10.0.12.1, remote AS 65001, local AS 65002, external link",
	    "  BGP version 4, remote router ID 1.1.1.1, local router ID 2.2.2.2",
	    "  BGP state = Established, up for 00:00:06",
	    "  Hold time is 180 seconds, keepalive interval is 60 seconds",
	    "  Configured hold time is 180 seconds, keepalive interval is 60 seconds",
	    "    4 Byte AS: advertised and received",
	    "    Address Family IPv4 Unicast: advertised and received",
	    "                         Sent       Rcvd",
	    "    Opens:                  1          1",
	    "    Updates:                2          2",
	    "    Total:                  4          4",
	    "  Community attribute sent to this neighbor(all)",
	    "  1 accepted prefixes",
	    "  Connections established 1; dropped 0",
	    "  External BGP neighbor may be up to 1 hops away.",
	    NULL};

	(void)state;
	/* FRR's first "Last reset" is its own start-up: the same words here. */
	peers[0].last_reset = "Waiting for peer OPEN";
	assert_int_equal(run(r2, "show bgp neighbors 10.0.12.1"), 0);
	lines_match(out, "r2-show-bgp-neighbors.txt", ours_only, must);
	assert_true(has_line(out, "  Last reset 00:00:06,  Waiting for peer OPEN"));
	assert_int_equal(run(r2, "show bgp neighbors 10.0.23.3"), 0);
	assert_true(has_line(out, "  Last reset never"));
	assert_int_equal(run(r2, "show bgp neighbors 10.0.23.3 json"), 0);
	assert_non_null(strstr(out, "\"lastReset\""));
	json_match(r2, "show bgp neighbors 10.0.12.1 json", "r2-show-bgp-neighbors.json",
	           nbr_frr_only);
	assert_non_null(strstr(out, "\"lastResetCode\": 32"));
	assert_int_equal(run(r2, "show bgp ipv4 unicast neighbors 10.0.12.1"), 0);
	lines_match(out, "r2-show-bgp-neighbors.txt", ours_only, must);
	/* Every neighbor, sorted by address. */
	assert_int_equal(run(r2, "show ip bgp neighbors"), 0);
	assert_true(strstr(out, "BGP neighbor is 10.0.12.1") <
	            strstr(out, "BGP neighbor is 10.0.23.3"));
	assert_int_equal(run(r2, "show bgp neighbors 10.9.9.9"), 1);
	assert_non_null(strstr(err, "No such neighbor"));
	assert_int_equal(run(r2, "show bgp neighbors 10.0.12.1 everything"), 1);
}

/* Shut down by the peer: the last NOTIFICATION in FRR's words, text and JSON. */
static void
test_neighbor_notification(void **state)
{
	struct bgp_peer *p = &peers[0];

	(void)state;
	p->state = BGP_ACTIVE;
	p->est = NULL;
	p->st.dropped = 1;
	p->st.notif_in = 2;
	p->st.pfx_in = 0;
	p->last_reset = "BGP Notification received";
	p->last_err = (struct bgp_err){.code = BGP_ERR_CEASE, .subcode = BGP_CEASE_ADMIN_SHUTDOWN};
	p->last_err_sent = false;
	assert_int_equal(run(r2, "show bgp neighbors 10.0.12.1"), 0);
	assert_true(has_line(out, "  BGP state = Active"));
	assert_true(has_line(out, "  Connections established 1; dropped 1"));
	assert_non_null(strstr(out, ",  Notification received (Cease/Administrative Shutdown)\n"));
	assert_int_equal(run(r2, "show bgp neighbors 10.0.12.1 json"), 0);
	assert_non_null(strstr(out, "Cease/Administrative Shutdown"));
	assert_non_null(strstr(out, "\"0602\""));
	json_match(r2, "show bgp neighbors 10.0.12.1 json", "r2-show-bgp-neighbors-shutdown.json",
	           nbr_frr_only);
}

static void
test_neighbor_routes(void **state)
{

	(void)state;
	assert_int_equal(run(r2, "show bgp neighbors 10.0.23.3 advertised-routes"), 0);
	assert_true(has_line(out, "*> 10.1.0.0/24      10.0.23.2                              0 "
	                          "65002 65001 i"));
	assert_true(has_line(out, "Total number of prefixes 1"));
	json_match(r2, "show bgp neighbors 10.0.23.3 advertised-routes json",
	           "r2-show-bgp-neighbors-advertised.json", NULL);
	assert_int_equal(run(r2, "show bgp neighbors 10.0.12.1 received-routes"), 0);
	lines_match(out, "r2-show-bgp-neighbors-received.txt", NULL, NULL);
	json_match(r2, "show bgp neighbors 10.0.12.1 received-routes json",
	           "r2-show-bgp-neighbors-received.json", NULL);
	assert_int_equal(run(r2, "show bgp neighbors 10.0.12.1 routes"), 0);
	lines_match(out, "r2-show-bgp-neighbors-routes.txt", NULL, NULL);
	json_match(r2, "show bgp neighbors 10.0.12.1 routes json",
	           "r2-show-bgp-neighbors-routes.json", host_only);
	/* Nothing from r3. */
	assert_int_equal(run(r2, "show bgp neighbors 10.0.23.3 routes"), 0);
	assert_string_equal(out, "No BGP prefixes displayed, 1 exist\n");
}

/* --- without BGP, and the operational commands --- */

static void
test_no_bgp(void **state)
{
	(void)state;
	assert_int_equal(run(r9, "show bgp summary"), 0);
	assert_string_equal(out, "% BGP is not running on r9\n");
	assert_int_equal(run(r9, "show bgp summary json"), 0);
	assert_string_equal(out, "{}\n");
	assert_int_equal(run(r9, "show bgp json"), 0);
	assert_string_equal(out, "{}\n");
	assert_int_equal(run(r9, "show bgp neighbors json"), 0);
	assert_string_equal(out, "{}\n");
	assert_int_equal(run(r9, "clear bgp *"), 1);
	/* BGP without neighbors: FRR's words. */
	b.npeers = 0;
	assert_int_equal(run(r2, "show bgp summary"), 0);
	assert_string_equal(out, "% No BGP neighbors found in VRF default\n");
	assert_int_equal(run(r2, "show bgp summary json"), 0);
	assert_string_equal(out, "{}\n");
}

/*
 * clear and shutdown: what the commands refuse before asking the session
 * machine (the changes themselves are the core's, checked by the scenario
 * tests/scenario/bgp-show.sh on running sessions).
 */
static void
test_clear_refused(void **state)
{
	(void)state;
	/* No route refresh from the peer: no inbound soft clear. */
	peers[1].rr_cap = false;
	assert_int_equal(run(r2, "clear bgp 10.0.23.3 soft in"), 1);
	assert_non_null(strstr(err, "route refresh"));
	/* Not established: no soft clear. */
	peers[0].state = BGP_ACTIVE;
	assert_int_equal(run(r2, "clear bgp 10.0.12.1 soft out"), 1);
	assert_non_null(strstr(err, "not established"));
	assert_int_equal(run(r2, "clear bgp 10.9.9.9"), 1);
	assert_non_null(strstr(err, "no BGP neighbor 10.9.9.9"));
	assert_int_equal(run(r2, "clear bgp nine"), 1);
	assert_int_equal(run(r2, "clear bgp 10.0.12.1 hard"), 1);
	assert_int_equal(run(r2, "clear bgp 10.0.12.1 soft soft"), 1);
	assert_int_equal(run(r2, "clear bgp 10.0.12.1 in soft"), 1);
	assert_int_equal(run(r2, "clear bgp"), 1);
	assert_int_equal(run(r2, "neighbor 10.9.9.9 shutdown"), 1);
	assert_int_equal(run(r2, "neighbor 10.0.12.1 reboot"), 1);
	assert_int_equal(run(r2, "no neighbor 10.0.12.1"), 1);
}

/* Tab completion: the command words and the keywords after an address. */
static void
test_completion(void **state)
{
	char **v;
	bool soft = false, routes = false;

	(void)state;
	v = cli_complete(net, r2, "clear bgp 10.0.12.1 ");
	for (size_t i = 0; v[i]; i++)
		soft |= strcmp(v[i], "soft") == 0, free(v[i]);
	free(v);
	assert_true(soft);
	v = cli_complete(net, r2, "show bgp neighbors 10.0.12.1 r");
	for (size_t i = 0; v[i]; i++)
		routes |= strcmp(v[i], "routes") == 0, free(v[i]);
	free(v);
	assert_true(routes);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_summary_text),
	    T(test_summary_json),
	    T(test_summary_admin),
	    T(test_table),
	    T(test_table_rows),
	    T(test_empty_table),
	    T(test_prefix),
	    T(test_prefix_attributes),
	    T(test_local_path),
	    T(test_neighbor),
	    T(test_neighbor_notification),
	    T(test_neighbor_routes),
	    T(test_no_bgp),
	    T(test_clear_refused),
	    T(test_completion),
	};
	int failed;
#undef T

	proto_init_all();
	cli_setup();
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	free(out);
	free(err);
	return failed;
}
