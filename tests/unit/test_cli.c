/*
 * test_cli.c: the command dispatcher (src/cli/cli.h) and `show ip route`.
 *
 * Matching: abbreviations ("sh ip ro"), ambiguity, an exact word beating its
 * prefixes, the longest matching path with the rest as arguments, unknown and
 * incomplete commands, commands that exist on other device types or only in
 * network scope, the `json` suffix and its refusal, commands refused on a
 * crashed device; cli_split quoting; completion of command words, interface
 * and device names and `json`; help text and JSON. Then `show ip route` on a
 * small built network: exact text lines for connected, static (with and
 * without an age), default and blackhole routes, the detail and protocol
 * forms, and FRR-shaped JSON checked with json_parse. What the core builds
 * from the protocol registry: the route-code legend, `show ip protocols` on
 * a router without a routing protocol, and the protocols' trace flags.
 *
 * A table of test commands ("zz ...") registered beside the real ones gives
 * matching cases that do not depend on which protocols are built in.
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
#include "cli/cmds.h"
#include "lib/ip.h"
#include "lib/json.h"
#include "lib/util.h"
#include "net/converge.h"
#include "net/net.h"
#include "proto/proto.h"
#include "proto/static.h"

/* ------------------------------------------------------------------------ */
/* Test commands */

static int
rec(struct cli_ctx *c, int argc, char **argv)
{
	if (c->json) {
		json_obj_begin(&c->j);
		json_kv_str(&c->j, "ran", c->cmd->path);
		json_kv_int(&c->j, "argc", argc);
		json_obj_end(&c->j);
		return 0;
	}
	cli_printf(c, "ran %s:", c->cmd->path);
	for (int i = 0; i < argc; i++)
		cli_printf(c, " [%s]", argv[i]);
	cli_printf(c, "\n");
	return 0;
}

static int
rec_fail(struct cli_ctx *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_fail(c, "it failed: %d", 42);
}

static const struct cli_cmd zz_cmds[] = {
	{"zz al", "", "al help", rec, CLI_DEV},
	{"zz alpha", "", "alpha help", rec, CLI_DEV | CLI_NET | CLI_JSON},
	{"zz alpine", "IFACE", "alpine help", rec, CLI_ROUTER},
	{"zz beta", "[N]", "beta help", rec, CLI_DEV},
	{"zz beta gamma", "DEVICE", "gamma help", rec, CLI_DEV | CLI_JSON},
	{"zz switchy", "", "switch only", rec, CLI_SWITCH},
	{"zz long", "A-VERY-LONG-SYNOPSIS THAT-GOES-PAST-COLUMN-44", "wrapped", rec, CLI_DEV},
	{"zz fails", "", "always fails", rec_fail, CLI_DEV},
	{NULL},
};

/* ------------------------------------------------------------------------ */
/* The network */

/*
 *  h1 eth0 --- p0 sw1 p1 --- eth0 r1 eth1 --- eth0 r2 eth1 (no link)
 *  10.0.1.2/24               10.0.1.1/24  10.0.12.1/24  10.0.12.2/24  10.0.2.1/24
 */
static struct network *net;
static struct node *r1, *r2, *h1, *sw1;

static uint32_t
IP(const char *s)
{
	uint32_t a;

	if (!ip_parse(s, &a))
		fail_msg("bad address %s", s);
	return a;
}

static struct iface *
mkif(struct node *n, const char *name, const char *cidr)
{
	struct iface *ifp = node_add_iface(n, name);

	if (cidr != NULL)
		assert_true(ip_plen_parse(cidr, &ifp->addr, &ifp->plen));
	return ifp;
}

static void
mklink(struct iface *a, struct iface *b)
{
	struct iface *e[2] = {a, b};

	net_add_link(net, e, 2);
}

static void
sroute(struct node *n, const char *pfx, const char *via, int distance)
{
	struct static_route sr = {.ifindex = -1, .distance = (uint8_t)distance};
	char err[128];

	assert_true(prefix_parse(pfx, &sr.pfx));
	if (via == NULL)
		sr.blackhole = true;
	else
		sr.via = IP(via);
	assert_int_equal(static_route_add(n, &sr, err, sizeof(err)), 0);
}

static struct node *
mknode(const char *name, enum node_type t)
{
	struct node *n = net_add_node(net, name, t);

	if (t != NODE_SWITCH) {
		proto_instance(n, &proto_connected);
		proto_instance(n, &proto_static);
	}
	return n;
}

static int
setup(void **state UNUSED)
{
	(void)state;
	net = net_new("cli", 1);
	r1 = mknode("r1", NODE_ROUTER);
	r2 = mknode("r2", NODE_ROUTER);
	h1 = mknode("h1", NODE_HOST);
	sw1 = mknode("sw1", NODE_SWITCH);
	mkif(r1, "eth0", "10.0.1.1/24");
	mkif(r1, "eth1", "10.0.12.1/24");
	mkif(r2, "eth0", "10.0.12.2/24");
	mkif(r2, "eth1", "10.0.2.1/24");
	mkif(h1, "eth0", "10.0.1.2/24");
	mkif(sw1, "p0", NULL);
	mkif(sw1, "p1", NULL);
	mklink(h1->ifs[0], sw1->ifs[0]);
	mklink(sw1->ifs[1], r1->ifs[0]);
	mklink(r1->ifs[1], r2->ifs[0]);
	sroute(r1, "0.0.0.0/0", "10.0.12.2", 1);
	sroute(r1, "10.0.2.0/24", "10.0.12.2", 1);
	sroute(r1, "10.0.3.0/24", "10.0.12.2", 5);
	sroute(r1, "192.0.2.0/24", NULL, 1);
	sroute(r2, "10.0.1.0/24", "10.0.12.1", 1);
	converge_attach(net);
	net_start(net);
	sim_run_until(&net->sim, 5 * SIM_S);
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

/* Run one line on a node (NULL: network scope); the results stay until the next call. */
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
	assert_int_equal(rc, c.status);
	out = xstrdup(sb_str(&c.out));
	err = xstrdup(sb_str(&c.err));
	cli_ctx_free(&c);
	return rc;
}

static void
expect_ok(struct node *n, const char *line, const char *want_out)
{
	run(n, line);
	if (rc != 0 || *err != '\0')
		fail_msg("'%s': rc %d, error '%s'", line, rc, err);
	if (want_out != NULL && strcmp(out, want_out) != 0)
		fail_msg("'%s': got '%s', want '%s'", line, out, want_out);
}

static void
expect_err(struct node *n, const char *line, const char *want_err)
{
	run(n, line);
	if (rc != 1)
		fail_msg("'%s' succeeded: '%s'", line, out);
	if (strcmp(err, want_err) != 0)
		fail_msg("'%s': got error '%s', want '%s'", line, err, want_err);
}

/* ------------------------------------------------------------------------ */
/* Splitting */

static void
expect_split(const char *line, int n, ...)
{
	char **argv;
	int argc = cli_split(line, &argv);
	va_list ap;

	assert_int_equal(argc, n);
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		assert_string_equal(argv[i], va_arg(ap, const char *));
	va_end(ap);
	assert_null(argv[argc]);
	cli_free_words(argc, argv);
}

static void
test_split(void **state UNUSED)
{
	(void)state;
	expect_split("", 0);
	expect_split("   \t\r\n ", 0);
	expect_split("show ip route", 3, "show", "ip", "route");
	expect_split("  show\tip \n route  ", 3, "show", "ip", "route");
	expect_split("a \"b c\" d", 3, "a", "b c", "d");
	expect_split("\"\" x", 2, "", "x");
	expect_split("a\"b c\"d e", 2, "ab cd", "e");
	expect_split("say \"tab\there\"", 2, "say", "tab\there");
	expect_split("\"unterminated quote", 1, "unterminated quote");
	expect_split("\"a\"\"b\"", 1, "ab");
	expect_split("x \"\"", 2, "x", "");
}

/* ------------------------------------------------------------------------ */
/* Matching */

static void
test_match_abbreviations(void **state UNUSED)
{
	(void)state;
	expect_ok(r1, "zz alpha", "ran zz alpha:\n");
	expect_ok(r1, "zz alph", "ran zz alpha:\n");
	expect_ok(r1, "z alph", "ran zz alpha:\n");
	expect_ok(r1, "zz alpi eth0", "ran zz alpine: [eth0]\n");
	/* An exact word beats the words it is a prefix of. */
	expect_ok(r1, "zz al", "ran zz al:\n");
	/* A command whose synopsis is empty takes no arguments. */
	expect_err(r1, "zz al x", "% 'zz al' takes no arguments (got 'x')\n");
	/* The longest path that matches; the rest are arguments. */
	expect_ok(r1, "zz beta", "ran zz beta:\n");
	expect_ok(r1, "zz b 7", "ran zz beta: [7]\n");
	expect_ok(r1, "zz beta gamma", "ran zz beta gamma:\n");
	expect_ok(r1, "zz b g r2 extra", "ran zz beta gamma: [r2] [extra]\n");
	expect_ok(r1, "zz beta gam", "ran zz beta gamma:\n");
	expect_ok(r1, "zz beta \"gamma\" \"two words\"", "ran zz beta gamma: [two words]\n");
	/* Quoted arguments are one word. */
	expect_ok(r1, "zz beta \"x y\"", "ran zz beta: [x y]\n");
	/* Real commands, abbreviated as on a router. */
	run(r1, "sh ip ro");
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "Gateway of last resort"));
	run(r1, "show ip route");
	{
		char *full = xstrdup(out);

		run(r1, "s ip r");
		assert_string_equal(out, full);
		free(full);
	}
	/* A handler's failure is the command's status, with its message. */
	expect_err(r1, "zz fails", "% it failed: 42\n");
	assert_string_equal(out, "");
}

static void
test_match_errors(void **state UNUSED)
{
	(void)state;
	expect_err(r1, "zz alp", "% ambiguous command: 'alp'\n");
	expect_err(r1, "zz a", "% ambiguous command: 'a'\n");
	expect_err(r1, "sh i", "% ambiguous command: 'i'\n");
	expect_err(r1, "zz", "% incomplete command\n");
	expect_err(r1, "show", "% incomplete command\n");
	expect_err(r1, "show ip", "% incomplete command\n");
	expect_err(r1, "qqq", "% unknown command: 'qqq'\n");
	expect_err(r1, "qqq zz", "% unknown command: 'qqq'\n");
	expect_err(r1, "zz nope", "% unknown command: 'nope'\n");
	expect_err(r1, "zz zz", "% unknown command: 'zz'\n");
	expect_err(r1, "show ip nope", "% unknown command: 'nope'\n");
	expect_err(r1, "", "% empty command\n");
	expect_err(r1, "   ", "% empty command\n");
	/* A prefix longer than the word does not match it. */
	expect_err(r1, "zz alphabet", "% unknown command: 'alphabet'\n");
	/* Case matters. */
	expect_err(r1, "ZZ alpha", "% unknown command: 'ZZ'\n");
	assert_string_equal(out, "");
}

static void
test_match_device_types(void **state UNUSED)
{
	(void)state;
	/* Ambiguity is judged among the commands the device has: on a switch there is no alpine. */
	expect_ok(sw1, "zz alp", "ran zz alpha:\n");
	expect_ok(sw1, "zz sw", "ran zz switchy:\n");
	expect_ok(h1, "zz alp", "ran zz alpha:\n");
	/* Exists elsewhere, not here: say so. */
	expect_err(r1, "zz switchy", "% 'zz switchy' is not available on r1\n");
	expect_err(h1, "zz alpine eth0", "% 'zz alpine eth0' is not available on h1\n");
	expect_err(sw1, "show ip route", "% 'show ip route' is not available on sw1\n");
	expect_err(sw1, "sh ip ro", "% 'sh ip ro' is not available on sw1\n");
	expect_err(sw1, "ping 10.0.1.1", "% 'ping 10.0.1.1' is not available on sw1\n");
	expect_err(r1, "show mac address-table",
	    "% 'show mac address-table' is not available on r1\n");
	expect_err(h1, "show vlan", "% 'show vlan' is not available on h1\n");
	expect_err(NULL, "show ip route",
	    "% 'show ip route' is not available on the network scope\n");
	expect_err(NULL, "zz beta", "% 'zz beta' is not available on the network scope\n");
	/* Network scope has what is flagged for it. */
	expect_ok(NULL, "zz alpha", "ran zz alpha:\n");
	run(NULL, "help");
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "zz alpha [json]"));
	assert_null(strstr(out, "zz beta"));
	/* And the switch has its own. */
	run(sw1, "show mac address-table");
	assert_int_equal(rc, 0);
	run(sw1, "show vlan");
	assert_int_equal(rc, 0);
}

static void
test_json_suffix(void **state UNUSED)
{
	struct jval *v;
	char e[128];

	(void)state;
	/* "json" at the end selects the JSON form; it is not an argument. */
	expect_ok(r1, "zz alpha json", NULL);
	v = json_parse(out, strlen(out), e, sizeof(e));
	assert_non_null(v);
	assert_string_equal(jval_str(v, "ran"), "zz alpha");
	assert_true(jval_get(v, "argc")->num == 0);
	jval_free(v);
	/* JSON output ends with a newline. */
	assert_int_equal(out[strlen(out) - 1], '\n');
	expect_ok(r1, "zz b g r2 json", NULL);
	v = json_parse(out, strlen(out), e, sizeof(e));
	assert_non_null(v);
	assert_string_equal(jval_str(v, "ran"), "zz beta gamma");
	assert_true(jval_get(v, "argc")->num == 1);
	jval_free(v);
	/* Only the last word counts as the suffix. */
	expect_ok(r1, "zz beta json x", "ran zz beta: [json] [x]\n");
	/* Refused where there is no JSON form. */
	expect_err(r1, "zz beta json", "% 'zz beta' has no JSON form\n");
	expect_err(r1, "zz al json", "% 'zz al' has no JSON form\n");
	expect_err(r1, "interface eth0 shutdown json", "% 'interface' has no JSON form\n");
	assert_true(r1->ifs[0]->admin_up); /* and nothing ran */
	expect_err(r1, "route add 10.9.0.0/16 via 10.0.12.2 json",
	    "% 'route add' has no JSON form\n");
	assert_null(strstr(out, "10.9.0.0"));
	/* "json" alone is no command. */
	expect_err(r1, "json", "% empty command\n");
	/* Real commands. */
	run(r1, "show ip route json");
	assert_int_equal(rc, 0);
	v = json_parse(out, strlen(out), e, sizeof(e));
	assert_non_null(v);
	assert_int_equal(v->type, J_OBJ);
	jval_free(v);
	run(r1, "sh int json");
	assert_int_equal(rc, 0);
	v = json_parse(out, strlen(out), e, sizeof(e));
	assert_non_null(v);
	jval_free(v);
	run(r1, "help json");
	assert_int_equal(rc, 0);
	v = json_parse(out, strlen(out), e, sizeof(e));
	assert_non_null(v);
	assert_int_equal(v->type, J_ARR);
	jval_free(v);
}

static void
test_node_down(void **state UNUSED)
{
	(void)state;
	node_set_up(h1, false);
	/* A crashed device still shows things, but does nothing. */
	run(h1, "show ip route");
	assert_int_equal(rc, 0);
	expect_err(h1, "route add 10.9.0.0/16 via 10.0.1.1", "% h1 is down\n");
	expect_err(h1, "zz alpha", "% h1 is down\n");
	expect_err(h1, "ping 10.0.1.1", "% h1 is down\n");
	node_set_up(h1, true);
	expect_ok(h1, "zz alpha", "ran zz alpha:\n");
}

static void
test_route_add_del(void **state UNUSED)
{
	(void)state;
	expect_ok(r1, "route add 10.9.0.0/16 via 10.0.12.2", "");
	run(r1, "show ip route static");
	assert_non_null(strstr(out, "S     10.9.0.0/16 [1/0] via 10.0.12.2, eth1\n"));
	expect_ok(r1, "route del 10.9.0.0/16", "");
	run(r1, "show ip route");
	assert_null(strstr(out, "10.9.0.0"));
	expect_err(r1, "route del 10.9.0.0/16", "% no static route to 10.9.0.0/16\n");
	expect_err(r1, "route add 10.9.0.0/16",
	    "% route add needs 'via IP', 'dev IF' or 'blackhole'\n");
	expect_err(r1, "route add nonsense via 1.2.3.4",
	    "% expected a prefix such as 10.9.0.0/16, got 'nonsense'\n");
	expect_err(r1, "route add 10.9.0.0/16 via 10.0.12.1",
	    "% next hop 10.0.12.1 is this device's own address\n");
	expect_err(r1, "route add 10.9.0.0/16 via 10.0.12.2 distance 0",
	    "% distance must be 1-255\n");
}

/* ------------------------------------------------------------------------ */
/* Completion and help */

static void
expect_complete(struct node *n, const char *line, int cnt, ...)
{
	char **v = cli_complete(net, n, line);
	va_list ap;
	int i;

	va_start(ap, cnt);
	for (i = 0; i < cnt; i++) {
		const char *want = va_arg(ap, const char *);

		if (v[i] == NULL || strcmp(v[i], want) != 0)
			fail_msg("complete '%s' [%d]: got '%s', want '%s'", line, i,
			    v[i] ? v[i] : "(end)", want);
	}
	va_end(ap);
	if (v[cnt] != NULL)
		fail_msg("complete '%s': extra candidate '%s'", line, v[cnt]);
	for (i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}

static void
test_complete(void **state UNUSED)
{
	char **v;
	int n;

	(void)state;
	expect_complete(r1, "z", 1, "zz");
	expect_complete(r1, "zz ", 6, "al", "alpha", "alpine", "beta", "fails", "long");
	expect_complete(h1, "zz ", 5, "al", "alpha", "beta", "fails", "long");
	expect_complete(sw1, "zz ", 6, "al", "alpha", "beta", "fails", "long", "switchy");
	expect_complete(r1, "zz al", 3, "al", "alpha", "alpine");
	expect_complete(r1, "zz alpi", 1, "alpine");
	expect_complete(r1, "zz b", 1, "beta");
	expect_complete(r1, "zz q", 0);
	/* Abbreviated words before the one being completed are fine. */
	expect_complete(r1, "z b ", 1, "gamma");
	/* Past the path: what the synopsis names, and json where there is a JSON form. */
	expect_complete(r1, "zz alpine ", 2, "eth0", "eth1");
	expect_complete(r1, "zz alpine eth", 2, "eth0", "eth1");
	expect_complete(r1, "zz alpine eth1", 1, "eth1");
	/* A required placeholder (DEVICE) first: json only once it has a value. */
	expect_complete(r1, "zz beta gamma ", 4, "h1", "r1", "r2", "sw1");
	expect_complete(r1, "zz beta gamma r1 ", 5, "h1", "json", "r1", "r2", "sw1");
	expect_complete(r1, "zz beta gamma r", 2, "r1", "r2");
	expect_complete(r1, "zz beta gamma r1 j", 1, "json");
	expect_complete(r1, "zz alpha ", 1, "json");
	expect_complete(r1, "zz beta ", 1, "gamma");
	expect_complete(r1, "show ip route j", 1, "json");
	expect_complete(r1, "sh int ", 3, "eth0", "eth1", "json");
	/* The synopsis' keywords, once the address is there; none where a value goes. */
	/* A router's ping has an MPLS form (`ping mpls ipv4 PREFIX/LEN`), a word of its path. */
	expect_complete(r1, "ping ", 2, "mpls", "vrf");
	expect_complete(r1, "ping mpls ", 1, "ipv4");
	expect_complete(r1, "ping mpls ipv4 10.0.12.2/32 ", 5, "count", "interval", "json", "source",
	    "timeout");
	expect_complete(r1, "ping 10.0.12.2 ", 8, "count", "df", "interval", "json", "size",
	    "source", "timeout", "ttl");
	expect_complete(r1, "ping 10.0.12.2 count ", 0);
	expect_complete(r1, "ping 10.0.12.2 count 3 ", 7, "df", "interval", "json", "size",
	    "source", "timeout", "ttl");
	expect_complete(r1, "ping 10.0.12.2 count 3 s", 2, "size", "source");
	expect_complete(r1, "ping 10.0.12.2 json ", 0);
	expect_complete(r1, "traceroute 10.0.12.2 m", 1, "max-ttl");
	expect_complete(r1, "show ip route s", 1, "summary");
	/* Everything at the start of a line: sorted, unique, this device's commands only. */
	v = cli_complete(net, r1, "");
	for (n = 0; v[n]; n++)
		if (n > 0)
			assert_true(strcmp(v[n - 1], v[n]) < 0);
	{
		static const char *const must[] = {"help", "interface", "ping", "route", "show",
		    "traceroute", "zz"};

		for (size_t k = 0; k < ARRAY_LEN(must); k++) {
			bool found = false;

			for (int i = 0; i < n; i++)
				found |= strcmp(v[i], must[k]) == 0;
			if (!found)
				fail_msg("'%s' missing from the completions of an empty line",
				    must[k]);
		}
	}
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
	/* A switch has no ping, route or traceroute. */
	v = cli_complete(net, sw1, "");
	for (n = 0; v[n]; n++) {
		assert_string_not_equal(v[n], "ping");
		assert_string_not_equal(v[n], "route");
		free(v[n]);
	}
	free(v);
	expect_complete(sw1, "show m", 1, "mac");
	/* A router has the MPLS forwarding table (show mpls forwarding, show mpls table). */
	expect_complete(r1, "show m", 1, "mpls");
}

static void
test_help(void **state UNUSED)
{
	struct cli_ctx c;
	struct jval *v;
	char e[128];

	(void)state;
	cli_ctx_init(&c, net, r1);
	cli_help(&c, "zz");
	/* Sorted by path; synopsis, [json], help at column 46 (or on the next line). */
	assert_string_equal(sb_str(&c.out),
	    "zz al                                         al help\n"
	    "zz alpha [json]                               alpha help\n"
	    "zz alpine IFACE                               alpine help\n"
	    "zz beta [N]                                   beta help\n"
	    "zz beta gamma DEVICE [json]                   gamma help\n"
	    "zz fails                                      always fails\n"
	    "zz long A-VERY-LONG-SYNOPSIS THAT-GOES-PAST-COLUMN-44\n"
	    "                                              wrapped\n");
	cli_ctx_free(&c);
	/* The filter is a prefix of the path. */
	cli_ctx_init(&c, net, r1);
	cli_help(&c, "zz beta");
	assert_string_equal(sb_str(&c.out),
	    "zz beta [N]                                   beta help\n"
	    "zz beta gamma DEVICE [json]                   gamma help\n");
	cli_ctx_free(&c);
	/* `help zz beta` as a command is the same. */
	expect_ok(r1, "help zz beta",
	    "zz beta [N]                                   beta help\n"
	    "zz beta gamma DEVICE [json]                   gamma help\n");
	/* On a switch: its own commands only. */
	expect_ok(sw1, "help zz s", "zz switchy                                    switch only\n");
	expect_ok(r1, "help zz s", "");
	/* JSON form. */
	expect_ok(r1, "help zz al json", NULL);
	v = json_parse(out, strlen(out), e, sizeof(e));
	assert_non_null(v);
	assert_int_equal(v->type, J_ARR);
	assert_int_equal(v->n, 3);
	assert_string_equal(jval_str(v->elem[0], "command"), "zz al");
	assert_string_equal(jval_str(v->elem[1], "command"), "zz alpha");
	assert_true(jval_get(v->elem[1], "json")->b);
	assert_false(jval_get(v->elem[0], "json")->b);
	assert_string_equal(jval_str(v->elem[2], "args"), "IFACE");
	assert_string_equal(jval_str(v->elem[2], "help"), "alpine help");
	jval_free(v);
	/* The full list has the core commands of a router. */
	run(r1, "help");
	assert_non_null(strstr(out, "\nshow ip route [PREFIX|PROTOCOL|summary] [json]"));
	assert_non_null(strstr(out, "\nping IP "));
	assert_null(strstr(out, "show vlan"));
}

static void
test_cli_age(void **state UNUSED)
{
	static const struct {
		sim_time t;
		const char *s;
	} cases[] = {
		{0, "00:00:00"},
		{999 * SIM_MS, "00:00:00"},
		{5 * SIM_S, "00:00:05"},
		{3725 * SIM_S, "01:02:05"},
		{86399 * SIM_S, "23:59:59"},
		{86400 * SIM_S, "1d00h"},
		{(86400 + 2 * 3600 + 59) * SIM_S, "1d02h"},
		{(7 * 86400 - 1) * SIM_S, "6d23h"},
		{7 * 86400 * SIM_S, "1w0d"},
		{(15 * 86400 + 3600) * SIM_S, "2w1d"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		assert_string_equal(cli_age(cases[i].t), cases[i].s);
}

static void
test_dynamic_commands(void **state UNUSED)
{
	struct cli_cmd d = {"zz dyn", "X", "a dynamic one", rec, CLI_DEV};

	(void)state;
	expect_err(r1, "zz dyn", "% unknown command: 'dyn'\n");
	cli_register_dynamic(&d, NULL);
	expect_ok(r1, "zz dyn 1", "ran zz dyn: [1]\n");
	/* "zz d" is now only dyn. */
	expect_ok(r1, "zz d", "ran zz dyn:\n");
	/* Registering the same path replaces it. */
	d.flags = CLI_SWITCH;
	cli_register_dynamic(&d, NULL);
	expect_err(r1, "zz dyn", "% 'zz dyn' is not available on r1\n");
	expect_ok(sw1, "zz dyn", "ran zz dyn:\n");
	cli_unregister_dynamic("zz dyn");
	expect_err(sw1, "zz dyn", "% unknown command: 'dyn'\n");
}

/* The code a line fails with (NULL: it succeeded), and whether it answered in JSON. */
static const char *
code_of(struct node *n, const char *line, bool json_if_any, bool *json)
{
	struct cli_ctx c;
	const char *code;

	cli_ctx_init(&c, net, n);
	c.json_if_any = json_if_any;
	cli_exec(&c, line);
	code = c.status ? c.code : NULL;
	if (json)
		*json = c.json;
	cli_ctx_free(&c);
	return code;
}

static void
test_unavailable_protocols(void **state UNUSED)
{
	struct cli_cmd d = {"show rsvp neighbor", "", "a protocol's own", rec, CLI_DEV};

	(void)state;
	/* Protocols this build lacks say so, after `show` or `show ip`, spelled out. */
	expect_err(r1, "sh rsvp neighbor", "% RSVP is not available in this build\n");
	expect_err(r1, "show ip rip", "% RIP is not available in this build\n");
	/* BGP's and LDP's own commands, on a router that does not run them. */
	expect_ok(r1, "sh bgp summary", "% BGP is not running on r1\n");
	expect_ok(r1, "show ip bgp", "% BGP is not running on r1\n");
	expect_ok(r1, "show mpls ldp binding", "% LDP is not running on r1\n");
	expect_ok(r1, "show ldp discovery", "% LDP is not running on r1\n");
	expect_err(r1, "show rsvp session json", "% RSVP is not available in this build\n");
	assert_string_equal(code_of(r1, "show rsvp", false, NULL), "protocol-unavailable");
	/* Protocols the build has, and other words, are the usual errors. */
	expect_err(r1, "show ip ospff", "% unknown command: 'ospff'\n");
	expect_err(r1, "show banana", "% unknown command: 'banana'\n");
	expect_err(r1, "rsvp", "% unknown command: 'rsvp'\n");
	expect_err(r1, "show ldp bananas", "% unknown command: 'bananas'\n");
	/* A registered command wins: the fallback answers only when nothing matched. */
	cli_register_dynamic(&d, NULL);
	expect_ok(r1, "show rsvp neighbor", "ran show rsvp neighbor:\n");
	expect_ok(r1, "sh rsvp nei", "ran show rsvp neighbor:\n");
	expect_err(r1, "show rsvp session", "% RSVP is not available in this build\n");
	cli_unregister_dynamic("show rsvp neighbor");
	/* A protocol of the build: its own commands, and unknown words are unknown. */
	if (proto_find("isis") != NULL) {
		run(r1, "show isis neighbors");
		assert_null(strstr(err, "not available"));
		expect_err(r1, "show isis bananas", "% unknown command: 'bananas'\n");
	}
}

static void
test_codes_and_json_if_any(void **state UNUSED)
{
	bool json;

	(void)state;
	assert_null(code_of(r1, "show ip route", false, NULL));
	assert_string_equal(code_of(r1, "shw", false, NULL), "unknown-command");
	assert_string_equal(code_of(r1, "show i", false, NULL), "ambiguous-command");
	assert_string_equal(code_of(r1, "show ip", false, NULL), "incomplete-command");
	assert_string_equal(code_of(r1, "show vlan", false, NULL), "not-available");
	assert_string_equal(code_of(r1, "show ip route osfp", false, NULL), "bad-argument");
	assert_string_equal(code_of(r1, "zz beta json", false, NULL), "no-json-form");
	assert_string_equal(code_of(r1, "route add 10.9.0.0/16 via x", false, NULL),
	    "command-failed");
	/* JSON when there is a form, text (and the action carried out) when not. */
	assert_null(code_of(r1, "show ip route", true, &json));
	assert_true(json);
	assert_null(code_of(r1, "interface eth0 shutdown", true, &json));
	assert_false(json);
	assert_false(r1->ifs[0]->admin_up);
	assert_null(code_of(r1, "interface eth0 no shutdown", true, &json));
	assert_true(r1->ifs[0]->admin_up);
}

/* ------------------------------------------------------------------------ */
/* show ip route */

static const char *
after_legend(const char *s)
{
	const char *g = strstr(s, "Gateway of last resort");

	assert_non_null(g);
	/* The legend comes first. */
	assert_true(strncmp(s, "Codes: C - connected, S - static, O - OSPF", 42) == 0);
	return g;
}

static void
test_show_ip_route_text(void **state UNUSED)
{
	(void)state;
	expect_ok(r1, "show ip route", NULL);
	assert_string_equal(after_legend(out),
	    "Gateway of last resort is 10.0.12.2 to network 0.0.0.0\n"
	    "\n"
	    "S*    0.0.0.0/0 [1/0] via 10.0.12.2, eth1\n"
	    "C     10.0.1.0/24 is directly connected, eth0\n"
	    "S     10.0.2.0/24 [1/0] via 10.0.12.2, eth1\n"
	    "S     10.0.3.0/24 [5/0] via 10.0.12.2, eth1, 00:00:05\n"
	    "C     10.0.12.0/24 is directly connected, eth1\n"
	    "S     192.0.2.0/24 [1/0] is a blackhole\n");
	/* r2: no default; eth1 has no link, so its subnet is not connected. */
	expect_ok(r2, "show ip route", NULL);
	assert_string_equal(after_legend(out),
	    "Gateway of last resort is not set\n"
	    "\n"
	    "S     10.0.1.0/24 [1/0] via 10.0.12.1, eth0\n"
	    "C     10.0.12.0/24 is directly connected, eth0\n");
	/* A host. */
	expect_ok(h1, "sh ip ro", NULL);
	assert_string_equal(after_legend(out),
	    "Gateway of last resort is not set\n"
	    "\n"
	    "C     10.0.1.0/24 is directly connected, eth0\n");
	/* By protocol. */
	expect_ok(r1, "show ip route connected", NULL);
	assert_string_equal(after_legend(out),
	    "Gateway of last resort is 10.0.12.2 to network 0.0.0.0\n"
	    "\n"
	    "C     10.0.1.0/24 is directly connected, eth0\n"
	    "C     10.0.12.0/24 is directly connected, eth1\n");
	/* The age grows with simulated time. */
	sim_run_until(&net->sim, 3725 * SIM_S);
	run(r1, "show ip route static");
	assert_non_null(strstr(out, "S     10.0.3.0/24 [5/0] via 10.0.12.2, eth1, 01:02:05\n"));
	assert_null(strstr(out, "\nC "));
	/* Usage. */
	expect_err(r1, "show ip route a b",
	    "% usage: show ip route [PREFIX | summary | connected | static | ospf | ...]\n");
	/* The VRF forms name a VRF of the device (none here). */
	expect_err(r1, "show ip route vrf red", "% no VRF 'red' on r1\n");
	expect_err(r1, "show ip route vrf",
	    "% usage: show ip route vrf NAME [PREFIX | summary | PROTOCOL]\n");
	/* Protocol words abbreviate like command words; others are errors, never an empty table. */
	expect_ok(r1, "show ip route conn", NULL);
	assert_non_null(strstr(out, "C     10.0.12.0/24 is directly connected, eth1\n"));
	assert_null(strstr(out, "\nS "));
	expect_ok(r1, "sh ip ro stat", NULL);
	assert_non_null(strstr(out, "S     10.0.3.0/24 [5/0]"));
	/* The choices are the registry's protocols, then summary. */
	run(r1, "show ip route osfp");
	assert_int_equal(rc, 1);
	assert_true(str_prefix(err, "% unknown protocol 'osfp' (one of: connected, static, ospf, "));
	assert_non_null(strstr(err, ", summary)\n"));
	expect_err(r1, "show ip route s", "% ambiguous protocol 's' (could be: static, summary)\n");
	expect_err(r1, "show ip route rip json", "% RIP is not available in this build\n");
	/* The summary: routes and FIB entries per protocol. */
	expect_ok(r1, "show ip route summ", NULL);
	assert_non_null(strstr(out, "connected            2                    2\n"));
	assert_non_null(strstr(out, "\n------\nTotals  "));
}

static void
test_show_ip_route_detail(void **state UNUSED)
{
	(void)state;
	/* An address: the longest match, with every candidate. */
	expect_ok(r1, "show ip route 10.0.2.77",
	    "Routing entry for 10.0.2.0/24\n"
	    "  Known via \"static\", distance 1, metric 0, best, installed\n"
	    "  Last update 00:00:05 ago\n"
	    "  * 10.0.12.2, via eth1\n");
	expect_ok(r1, "show ip route 10.0.1.9",
	    "Routing entry for 10.0.1.0/24\n"
	    "  Known via \"connected\", distance 0, metric 0, best, installed\n"
	    "  Last update 00:00:05 ago\n"
	    "  * directly connected, via eth0\n");
	/* Anything else falls to the default. */
	expect_ok(r1, "show ip route 8.8.8.8", NULL);
	assert_true(strncmp(out, "Routing entry for 0.0.0.0/0\n", 28) == 0);
	expect_ok(r1, "show ip route 192.0.2.0/24",
	    "Routing entry for 192.0.2.0/24\n"
	    "  Known via \"static\", distance 1, metric 0, best, installed\n"
	    "  Last update 00:00:05 ago\n"
	    "  * blackhole\n");
	/* A prefix must match exactly. */
	expect_err(r1, "show ip route 10.0.2.0/25", "% Network not in table\n");
	expect_err(r2, "show ip route 172.16.0.1", "% Network not in table\n");
	expect_ok(r2, "show ip route 172.16.0.1 json", "{}\n");
	expect_err(r1, "show ip route 10.0.2", "% expected an address or prefix, got '10.0.2'\n");
	/* A second candidate for a prefix is listed after the best. */
	expect_ok(r1, "route add 10.0.1.0/24 via 10.0.12.2 distance 200", "");
	expect_ok(r1, "show ip route 10.0.1.0/24", NULL);
	assert_non_null(strstr(out,
	    "  Known via \"connected\", distance 0, metric 0, best, installed\n"));
	assert_non_null(strstr(out, "  Known via \"static\", distance 200, metric 0\n"));
	assert_true(strstr(out, "\"connected\"") < strstr(out, "\"static\""));
}

static const struct jval *
route0(const struct jval *top, const char *pfx)
{
	const struct jval *a = jval_get(top, pfx);

	if (a == NULL)
		fail_msg("no %s in the JSON", pfx);
	assert_int_equal(a->type, J_ARR);
	assert_true(a->n >= 1);
	return a->elem[0];
}

static void
check_route(const struct jval *r, const char *pfx, int len, const char *proto, int dist)
{
	assert_int_equal(r->type, J_OBJ);
	assert_string_equal(jval_str(r, "prefix"), pfx);
	assert_true(jval_get(r, "prefixLen")->num == len);
	assert_string_equal(jval_str(r, "protocol"), proto);
	assert_true(jval_get(r, "distance")->num == dist);
	assert_true(jval_get(r, "metric")->num == 0);
	assert_int_equal(jval_get(r, "selected")->type, J_BOOL);
	assert_true(jval_get(r, "selected")->b);
	assert_true(jval_get(r, "installed")->b);
	assert_int_equal(jval_get(r, "nexthops")->type, J_ARR);
}

static void
test_show_ip_route_json(void **state UNUSED)
{
	struct jval *v;
	const struct jval *r, *nh;
	char e[128];

	(void)state;
	expect_ok(r1, "show ip route json", NULL);
	v = json_parse(out, strlen(out), e, sizeof(e));
	if (v == NULL)
		fail_msg("show ip route json does not parse: %s\n%s", e, out);
	assert_int_equal(v->type, J_OBJ);
	/* One key per prefix, in prefix order, as FRR. */
	assert_int_equal(v->n, 6);
	assert_string_equal(v->keys[0], "0.0.0.0/0");
	assert_string_equal(v->keys[1], "10.0.1.0/24");
	assert_string_equal(v->keys[5], "192.0.2.0/24");
	/* Connected. */
	r = route0(v, "10.0.1.0/24");
	check_route(r, "10.0.1.0/24", 24, "connected", 0);
	nh = jval_get(r, "nexthops");
	assert_int_equal(nh->n, 1);
	nh = nh->elem[0];
	assert_true(jval_get(nh, "directlyConnected")->b);
	assert_null(jval_get(nh, "ip"));
	assert_string_equal(jval_str(nh, "interfaceName"), "eth0");
	assert_true(jval_get(nh, "active")->b);
	/* Static via a gateway. */
	r = route0(v, "10.0.2.0/24");
	check_route(r, "10.0.2.0/24", 24, "static", 1);
	nh = jval_get(r, "nexthops")->elem[0];
	assert_string_equal(jval_str(nh, "ip"), "10.0.12.2");
	assert_null(jval_get(nh, "directlyConnected"));
	assert_string_equal(jval_str(nh, "interfaceName"), "eth1");
	assert_true(jval_get(nh, "active")->b);
	r = route0(v, "10.0.3.0/24");
	check_route(r, "10.0.3.0/24", 24, "static", 5);
	r = route0(v, "0.0.0.0/0");
	check_route(r, "0.0.0.0/0", 0, "static", 1);
	/* A blackhole: no next hops. */
	r = route0(v, "192.0.2.0/24");
	check_route(r, "192.0.2.0/24", 24, "static", 1);
	assert_int_equal(jval_get(r, "nexthops")->n, 0);
	assert_true(jval_get(r, "blackhole")->b);
	jval_free(v);
	/* A non-selected candidate: selected and installed false. */
	expect_ok(r1, "route add 10.0.1.0/24 via 10.0.12.2 distance 200", "");
	expect_ok(r1, "show ip route 10.0.1.0/24 json", NULL);
	v = json_parse(out, strlen(out), e, sizeof(e));
	assert_non_null(v);
	assert_int_equal(v->n, 1);
	{
		const struct jval *a = jval_get(v, "10.0.1.0/24");

		assert_int_equal(a->n, 2);
		assert_string_equal(jval_str(a->elem[0], "protocol"), "connected");
		assert_true(jval_get(a->elem[0], "selected")->b);
		assert_string_equal(jval_str(a->elem[1], "protocol"), "static");
		assert_false(jval_get(a->elem[1], "selected")->b);
		assert_false(jval_get(a->elem[1], "installed")->b);
		assert_true(jval_get(a->elem[1], "distance")->num == 200);
	}
	jval_free(v);
	/* By protocol. */
	expect_ok(r1, "show ip route connected json", NULL);
	v = json_parse(out, strlen(out), e, sizeof(e));
	assert_non_null(v);
	assert_int_equal(v->n, 2);
	assert_string_equal(v->keys[0], "10.0.1.0/24");
	assert_string_equal(v->keys[1], "10.0.12.0/24");
	jval_free(v);
	/* A host with only a connected route. */
	expect_ok(h1, "show ip route json", NULL);
	v = json_parse(out, strlen(out), e, sizeof(e));
	assert_non_null(v);
	assert_int_equal(v->n, 1);
	check_route(route0(v, "10.0.1.0/24"), "10.0.1.0/24", 24, "connected", 0);
	jval_free(v);
}

/* ------------------------------------------------------------------------ */
/* Built from the protocol registry */

static void
test_route_legend(void **state UNUSED)
{
	const char *l = cli_route_legend();
	struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
	const char *row, *nl;

	(void)state;
	/* connected, static, OSPF, IS-IS and BGP give IOS's rows. */
	assert_string_equal(l,
	    "Codes: C - connected, S - static, O - OSPF, IA - OSPF inter-area\n"
	    "       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2\n"
	    "       E1 - OSPF external type 1, E2 - OSPF external type 2, i - IS-IS\n"
	    "       L1 - IS-IS level-1, L2 - IS-IS level-2, ia - IS-IS inter area, B - BGP\n"
	    "       * - candidate default\n\n");
	/* Exactly the registered protocols' codes, in registry order. */
	for (int i = 0; i < proto_count; i++)
		for (const char *const *c = proto_registry[i]->route_codes; c && *c; c++)
			sb_printf(&want, "%s, ", *c);
	sb_add(&want, "* - candidate default");
	/* Rows of at most 80 columns, each after a 7-column lead; a blank line ends them. */
	assert_true(strncmp(l, "Codes: ", 7) == 0);
	for (row = l + 7;; row = nl + 8) {
		nl = strchr(row, '\n');
		assert_non_null(nl);
		assert_true(nl > row && nl - row + 7 <= 80);
		if (got.len)
			sb_add(&got, ", ");
		sb_addn(&got, row, (size_t)(nl - row));
		if (strcmp(nl, "\n\n") == 0)
			break;
		assert_true(strncmp(nl + 1, "       ", 7) == 0);
	}
	assert_string_equal(sb_str(&got), sb_str(&want));
	assert_non_null(strstr(l, "B - BGP"));
	/* Built once: the same text on every call. */
	assert_ptr_equal(cli_route_legend(), l);
	sb_free(&want);
	sb_free(&got);
}

static void
test_show_ip_protocols_none(void **state UNUSED)
{
	(void)state;
	/* r1 runs connected and static only: neither has a section. */
	expect_ok(r1, "show ip protocols", "% No routing protocol is running on r1\n");
	expect_ok(r1, "sh ip prot json", "{}\n");
	expect_err(h1, "show ip protocols", "% 'show ip protocols' is not available on h1\n");
	expect_err(r1, "show ip protocols x", "% 'show ip protocols' takes no arguments (got 'x')\n");
}

static void
test_proto_trace_flags(void **state UNUSED)
{
	const struct proto_inst *pi = r1->pi[proto_id(&proto_static)];
	unsigned saved = trace_flags;

	(void)state;
	for (int i = 0; i < proto_count; i++) {
		const struct protocol *p = proto_registry[i];

		assert_int_equal(trace_flag_parse(p->name), 1u << (PROTO_TRACE_SHIFT + i));
		assert_int_equal(proto_trace_bit(p), 1u << (PROTO_TRACE_SHIFT + i));
	}
	/* Protocols this build lacks have no flag. */
	if (proto_find("isis") == NULL)
		assert_int_equal(trace_flag_parse("isis"), 0);
	assert_null(proto_find("rsvp"));
	assert_int_equal(trace_flag_parse("rsvp"), 0);
	/* An instance tests its protocol's flag, and no other. */
	assert_non_null(pi);
	trace_flags = trace_flag_parse("ospf") | TR_RIB;
	assert_false(proto_tracing(pi));
	trace_flags |= trace_flag_parse("static");
	assert_true(proto_tracing(pi));
	trace_flags = trace_flag_parse("all");
	assert_true(proto_tracing(pi));
	trace_flags = saved;
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		T(test_match_abbreviations),
		T(test_match_errors),
		T(test_match_device_types),
		T(test_json_suffix),
		T(test_node_down),
		T(test_route_add_del),
		T(test_complete),
		T(test_help),
		cmocka_unit_test(test_cli_age),
		T(test_dynamic_commands),
		T(test_unavailable_protocols),
		T(test_codes_and_json_if_any),
		T(test_show_ip_route_text),
		T(test_show_ip_route_detail),
		T(test_show_ip_route_json),
		cmocka_unit_test(test_route_legend),
		T(test_show_ip_protocols_none),
		T(test_proto_trace_flags),
	};
	int failed;
#undef T

	proto_init_all();
	cli_setup();
	cli_register(zz_cmds);
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	free(out);
	free(err);
	return failed;
}
