/*
 * test_lua.c: the Lua bindings through their C API (src/script/script.h):
 * sandbox, handles, errors and tracebacks, building, commands, completion,
 * determinism. Everything runs in live mode, where output is captured.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/cli.h"
#include "lib/strbuf.h"
#include "lib/util.h"
#include "net/net.h"
#include "proto/proto.h"
#include "script/repl.h"
#include "script/script.h"

static const char topo[] =
	"net = netsim.network('t')\n"
	"local r1 = net:router('r1')\n"
	"r1:interface('eth0', {ip = '10.0.12.1/24'})\n"
	"r1:interface('eth1', {ip = '10.0.1.1/24'})\n"
	"r1:route_add('10.0.2.0/24', {via = '10.0.12.2'})\n"
	"local r2 = net:router('r2')\n"
	"r2:interface('eth0', {ip = '10.0.12.2/24'})\n"
	"r2:interface('eth1', {ip = '10.0.2.1/24'})\n"
	"r2:route_add('10.0.1.0/24', {via = '10.0.12.1'})\n"
	"net:host('h1', {ip = '10.0.1.10/24', gateway = '10.0.1.1'})\n"
	"net:host('h2', {ip = '10.0.2.10/24', gateway = '10.0.2.1'})\n"
	"net:link('r1:eth0', 'r2:eth0', {delay = '2ms'})\n"
	"net:link('r1:eth1', 'h1:eth0')\n"
	"net:link('r2:eth1', 'h2:eth0')\n"
	"net:start()\n";

static struct script *
live(void)
{
	struct script_opts o = {.mode = SCRIPT_LIVE};

	proto_init_all();
	cli_setup();
	return script_new(&o);
}

/* Evaluate and return the output (static buffer, valid until the next call). */
static const char *
eval(struct script *s, const char *code, int want)
{
	static struct strbuf out;
	int rc;

	sb_reset(&out);
	rc = script_eval(s, code, "=test", &out);
	if (rc != want)
		fprintf(stderr, "eval(%s) -> %d, output:\n%s\n", code, rc, sb_str(&out));
	assert_int_equal(rc, want);
	return sb_str(&out);
}

static void
test_sandbox(void **state UNUSED)
{
	struct script *s = live();

	(void)state;
	assert_string_equal(eval(s, "= os.exit, os.execute, os.getenv, io.popen, io.read", 0),
	    "nil\nnil\nnil\nnil\nnil\n");
	assert_string_equal(eval(s, "= package.loadlib, loadfile, dofile, string.dump", 0),
	    "nil\nnil\nnil\nnil\n");
	assert_string_equal(eval(s, "= debug.getinfo, debug.sethook, package.cpath", 0),
	    "nil\nnil\nnil\n");
	/* Binary chunks are refused. */
	assert_non_null(strstr(eval(s, "= select(2, load('\\27Lua'))", 0), "binary"));
	/* Simulated time: nothing runs yet. */
	assert_string_equal(eval(s, "= os.time(), os.clock(), os.date('%Y')", 0), "0\n0.0\n1970\n");
	assert_non_null(strstr(eval(s, "require('socket')", -1), "module 'socket' not found"));
	/* No C modules through require either. */
	assert_non_null(strstr(eval(s, "require('lfs')", -1), "not found"));
	/* No file access: io has only write, the netsim.core loader checks its path. */
	assert_string_equal(eval(s, "= io.open, io.lines, io.type, io.write ~= nil", 0),
	    "nil\nnil\nnil\ntrue\n");
	assert_non_null(strstr(eval(s, "package.loaded['netsim.core'].loadfile('/etc/passwd')", -1),
	    "outside the topology's directory"));
	/* The budget survives pcall, and the state is usable afterwards. */
	assert_non_null(strstr(eval(s, "while true do pcall(function() while true do end end) end",
	    -1), "lua: instruction budget exceeded"));
	assert_string_equal(eval(s, "= 6 * 7", 0), "42\n");
	script_free(s);
}

/* Lua statements win over command abbreviations at the console. */
static void
test_lua_statement(void **state UNUSED)
{
	(void)state;
	assert_true(repl_is_lua_statement("co = 1"));
	assert_true(repl_is_lua_statement("  t.x[1].y = {}"));
	assert_true(repl_is_lua_statement("a, b.c = 1, 2"));
	assert_true(repl_is_lua_statement("local x"));
	assert_true(repl_is_lua_statement("for i = 1, 3 do end"));
	assert_false(repl_is_lua_statement("co == 1"));
	assert_false(repl_is_lua_statement("converge --timeout 2s"));
	assert_false(repl_is_lua_statement("chaos flap r1--r2 period=2s"));
	assert_false(repl_is_lua_statement("r1 show ip route"));
	assert_false(repl_is_lua_statement("x[1 = 2"));
	assert_false(repl_is_lua_statement("f(x)"));
}

static void
test_random_deterministic(void **state UNUSED)
{
	struct script *a = live(), *b = live();
	char first[256];

	(void)state;
	snprintf(first, sizeof(first), "%s",
	    eval(a, "= math.random(1, 1000000), math.random(1, 1000000), math.random(0)", 0));
	assert_string_equal(eval(b, "= math.random(1, 1000000), math.random(1, 1000000), "
	    "math.random(0)", 0), first);
	eval(a, "math.randomseed(7)", 0);
	eval(b, "math.randomseed(7)", 0);
	snprintf(first, sizeof(first), "%s", eval(a, "= math.random()", 0));
	assert_string_equal(eval(b, "= math.random()", 0), first);
	assert_non_null(strstr(eval(a, "math.random(5, 1)", -1), "interval is empty"));
	/* pairs() is sorted: the same order whatever the hash seed. */
	assert_string_equal(eval(a, "local t = {zeta = 1, alpha = 2, [3] = 'x', mid = 3, [1] = 'y'}\n"
	    "local k = {} for key in pairs(t) do k[#k + 1] = tostring(key) end\n"
	    "print(table.concat(k, ','))", 0), "1,3,alpha,mid,zeta\n");
	script_free(a);
	script_free(b);
}

static void
test_build_and_query(void **state UNUSED)
{
	struct script *s = live();
	struct network *net;

	(void)state;
	eval(s, topo, 0);
	net = script_network(s);
	assert_non_null(net);
	assert_int_equal(net->nnodes, 4);
	assert_int_equal(net->nlinks, 3);
	assert_true(script_converge(s, 10 * SIM_S));
	{
		struct strbuf tl = STRBUF_INIT;

		script_take_output(s, &tl);
		assert_non_null(strstr(sb_str(&tl), "Network converged"));
		sb_free(&tl);
	}
	assert_string_equal(eval(s, "= net.r1.name, net.r1.type, net.r1.eth0.ip, net.r1.eth0.peer", 0),
	    "r1\nrouter\n10.0.12.1/24\ninterface r2:eth0\n");
	assert_string_equal(eval(s, "= net.r1:route('10.0.2.5').via", 0), "10.0.12.2\n");
	assert_string_equal(eval(s, "= net.r1:cmd_json('show ip route')['10.0.2.0/24'][1].protocol",
	    0), "static\n");
	assert_string_equal(eval(s, "= net.h1:ping('10.0.2.10', {count = 2}).received", 0), "2\n");
	assert_string_equal(eval(s, "= #net:loops(), net:walk('h1', 'h2').result", 0),
	    "0\ndelivered\n");
	/* Identity: one handle per device. */
	assert_string_equal(eval(s, "= net.r1 == net:device('r1'), net:link('r1', 'r2').name", 0),
	    "true\nr1:eth0--r2:eth0\n");
	assert_non_null(strstr(eval(s, "net:device('nope')", -1), "has no device 'nope'"));
	script_free(s);
}

static void
test_build_errors(void **state UNUSED)
{
	struct script *s = live();
	const char *out;

	(void)state;
	out = eval(s, "local n = netsim.network('bad')\n"
	    "n:router('r1')\n"
	    "n:router('r1')\n"
	    "n:start()\n", -1);
	/* The builder's message, at the Lua line that described the device. */
	assert_non_null(strstr(out, "test:3:1: duplicate device name 'r1'"));
	out = eval(s, "local n = netsim.network('bad2')\n"
	    "local r = n:router('r1')\n"
	    "r:interface('eth0', {ip = '10.0.0.300/24'})\n"
	    "n:link('r1:eth0', 'r9:eth0')\n"
	    "n:start()\n", -1);
	assert_non_null(strstr(out, "test:3:1: bad IPv4 address/length '10.0.0.300/24'"));
	assert_non_null(strstr(out, "test:4:1: link endpoint 'r9:eth0': no device 'r9'"));
	out = eval(s, "netsim.network('late'):start():router('x')", -1);
	assert_non_null(strstr(out, "already built"));
	script_free(s);
}

static void
test_stale_handles(void **state UNUSED)
{
	struct script *s = live();

	(void)state;
	eval(s, topo, 0);
	eval(s, "r1 = net.r1; e0 = r1.eth0; l = net:link('r1', 'r2'); old = net; net:close()", 0);
	assert_non_null(strstr(eval(s, "r1:cmd('show ip route')", -1),
	    "device 'r1' belongs to a network that was closed"));
	assert_non_null(strstr(eval(s, "= e0.ip", -1), "interface 'r1:eth0' belongs to a network"));
	assert_non_null(strstr(eval(s, "l:set_up(false)", -1), "link 'r1:eth0--r2:eth0' belongs"));
	assert_non_null(strstr(eval(s, "old:run()", -1), "network 't' was closed"));
	assert_string_equal(eval(s, "= tostring(old)", 0), "network t (closed)\n");
	assert_null(script_network(s));
	/* A new network in the same slot does not revive old handles. */
	eval(s, topo, 0);
	assert_non_null(strstr(eval(s, "= r1.name", -1), "closed"));
	assert_string_equal(eval(s, "= net.r1.name", 0), "r1\n");
	script_free(s);
}

static void
test_callback_errors(void **state UNUSED)
{
	struct script *s = live();
	struct strbuf out = STRBUF_INIT;

	(void)state;
	eval(s, topo, 0);
	eval(s, "net:after(10, function() error('boom') end)\n"
	    "net:every(5, function() n = (n or 0) + 1 end, {count = 4})\n"
	    "net:on('link_down', function(ev) local x = nil; return x.y end)", 0);
	script_advance(s, 100 * SIM_MS);
	script_take_output(s, &out);
	assert_non_null(strstr(sb_str(&out), "error in at() callback (test:1): test:1: boom"));
	assert_non_null(strstr(sb_str(&out), "stack traceback:"));
	/* The simulation went on: the periodic timer ran its 4 times. */
	assert_string_equal(eval(s, "= n, net:now()", 0), "4\n100\n");
	eval(s, "chaos.link_down('r1--r2')", 0);
	assert_int_equal(script_failures(s), 2);
	/* Incomplete chunks ask for more; syntax errors are errors. */
	eval(s, "for i = 1, 3 do", 1);
	assert_non_null(strstr(eval(s, "x = = 1", -1), "unexpected symbol"));
	/* net:run() from a callback is refused rather than recursing. */
	sb_free(&out);
	script_free(s);
}

static void
test_commands(void **state UNUSED)
{
	struct script *s = live();
	struct cli_ctx c;

	(void)state;
	eval(s, topo, 0);
	eval(s, "netsim.command('show fabric health', function(dev, args, ctx)\n"
	    "  if ctx.json then return {device = dev and dev.name, args = args} end\n"
	    "  print('printed') return 'fabric ok on ' .. (dev and dev.name or 'net')\n"
	    "end, {help = 'fabric health', args = '[DETAIL]'})\n"
	    "netsim.command('show broken', function() error('kaput') end)", 0);
	/* Through the one dispatcher, as the console, YAML and the daemon call it. */
	cli_ctx_init(&c, script_network(s), net_node(script_network(s), "r1"));
	assert_int_equal(cli_exec(&c, "sh fab heal"), 0);
	assert_string_equal(sb_str(&c.out), "printed\nfabric ok on r1\n");
	cli_ctx_free(&c);
	cli_ctx_init(&c, script_network(s), net_node(script_network(s), "r1"));
	assert_int_equal(cli_exec(&c, "show fabric health x json"), 0);
	assert_non_null(strstr(sb_str(&c.out), "\"device\": \"r1\""));
	cli_ctx_free(&c);
	cli_ctx_init(&c, script_network(s), net_node(script_network(s), "r1"));
	assert_int_equal(cli_exec(&c, "show broken"), 1);
	assert_non_null(strstr(sb_str(&c.err), "kaput"));
	cli_ctx_free(&c);
	cli_ctx_init(&c, script_network(s), net_node(script_network(s), "r1"));
	cli_exec(&c, "help show fabric");
	assert_non_null(strstr(sb_str(&c.out), "fabric health"));
	cli_ctx_free(&c);
	assert_string_equal(eval(s, "= net.r2:cmd('show fabric health')", 0),
	    "printed\nfabric ok on r2\n\n");
	script_free(s);
	/* Freed with its script: the command is gone. */
	cli_ctx_init(&c, NULL, NULL);
	assert_int_equal(cli_exec(&c, "show fabric health"), 1);
	cli_ctx_free(&c);
}

/* The candidates of repl_complete, space-separated, and where the word starts. */
static const char *
completions(struct repl *r, const char *line, size_t *start)
{
	static char buf[1024];
	char **c = repl_complete(r, line, start);

	buf[0] = '\0';
	for (size_t i = 0; c[i]; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? " " : "", c[i]);
	repl_free_list(c);
	return buf;
}

/* Chaos actions, endpoints (dev:if) and no private names. */
static void
test_complete_endpoints(void **state UNUSED)
{
	struct script *s = live();
	struct repl *r;
	size_t start;
	const char *c;

	(void)state;
	eval(s, topo, 0);
	r = repl_new(s);
	/* Network commands: an endpoint's device with its colon, then its interfaces. */
	assert_string_equal(completions(r, "link down r", &start), "r1: r2:");
	assert_int_equal(start, 10);
	assert_string_equal(completions(r, "link down r1:", &start), "r1:eth0 r1:eth1");
	assert_int_equal(start, 10);
	assert_string_equal(completions(r, "link down r1:eth0 r2:e", &start), "r2:eth0 r2:eth1");
	assert_int_equal(start, 18);
	assert_string_equal(completions(r, "link up h1:", &start), "h1:eth0");
	assert_string_equal(completions(r, "link down zz:", &start), "");
	/* ...from a device prompt too. */
	assert_int_equal(repl_input(r, "connect r2", &(struct strbuf)STRBUF_INIT), REPL_OK);
	assert_string_equal(completions(r, "link down r1:eth", &start), "r1:eth0 r1:eth1");
	assert_int_equal(repl_input(r, "end", &(struct strbuf)STRBUF_INIT), REPL_OK);
	/* chaos ACTION: the module's actions; its arguments: devices, then endpoints. */
	c = completions(r, "chaos ", &start);
	assert_int_equal(start, 6);
	assert_non_null(strstr(c, "link_down"));
	assert_non_null(strstr(c, "crash"));
	assert_non_null(strstr(c, "list"));
	assert_true(c[0] != '_' && strstr(c, " _") == NULL);
	/* What `chaos list` lists: the module's public functions. */
	assert_string_equal(completions(r, "chaos link_", &start), "link_down link_of link_up");
	assert_string_equal(completions(r, "chaos crash h", &start), "h1 h2");
	assert_string_equal(completions(r, "chaos link_down r1:e", &start), "r1:eth0 r1:eth1");
	/* Lua: chaos.<Tab> lists the actions; a string argument completes an endpoint. */
	c = completions(r, "chaos.", &start);
	assert_non_null(strstr(c, "chaos.link_down"));
	assert_non_null(strstr(c, "chaos.flap"));
	assert_string_equal(completions(r, "chaos.link_down(\"r1:", &start), "r1:eth0 r1:eth1");
	assert_int_equal(start, 17);
	assert_string_equal(completions(r, "= chaos.crash('h", &start), "h1 h1: h2 h2:");
	/* Private methods (net:_find_link, net:_dev) are hidden; public ones are there. */
	c = completions(r, "net:", &start);
	assert_non_null(strstr(c, "net:devices"));
	assert_null(strstr(c, "net:_"));
	assert_string_equal(completions(r, "net:_", &start), "");
	assert_null(strstr(completions(r, "chaos.", &start), "chaos._"));
	/* Lua's own _G is still there once the underscore is typed. */
	assert_non_null(strstr(completions(r, "_", &start), "_G"));
	repl_free(r);
	script_free(s);
}

static void
test_complete_and_repl(void **state UNUSED)
{
	struct script *s = live();
	struct repl *r;
	struct strbuf out = STRBUF_INIT;
	char **c;
	size_t start;
	bool found = false;

	(void)state;
	eval(s, topo, 0);
	c = script_complete(s, "net.r");
	for (size_t i = 0; c[i]; i++)
		if (strcmp(c[i], "net.r1") == 0)
			found = true;
	assert_true(found);
	repl_free_list(c);
	r = repl_new(s);
	assert_string_equal(repl_prompt(r), "netsim> ");
	assert_int_equal(repl_input(r, "connect r1", &out), REPL_OK);
	assert_string_equal(repl_prompt(r), "r1> ");
	assert_int_equal(repl_input(r, "show ip route", &out), REPL_OK);
	assert_non_null(strstr(sb_str(&out), "10.0.2.0/24 [1/0] via 10.0.12.2"));
	assert_int_equal(repl_input(r, "exit", &out), REPL_OK);
	assert_string_equal(repl_prompt(r), "netsim> ");
	sb_reset(&out);
	assert_int_equal(repl_input(r, "for i = 1, 2 do", &out), REPL_MORE);
	assert_string_equal(repl_prompt(r), ">> ");
	assert_int_equal(repl_input(r, "print(i) end", &out), REPL_OK);
	assert_string_equal(sb_str(&out), "1\n2\n");
	c = repl_complete(r, "r1 sh", &start);
	assert_int_equal(start, 3);
	assert_string_equal(c[0], "show");
	repl_free_list(c);
	assert_int_equal(repl_input(r, "exit", &out), REPL_EXIT);
	sb_free(&out);
	repl_free(r);
	script_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sandbox),
		cmocka_unit_test(test_lua_statement),
		cmocka_unit_test(test_random_deterministic),
		cmocka_unit_test(test_build_and_query),
		cmocka_unit_test(test_build_errors),
		cmocka_unit_test(test_stale_handles),
		cmocka_unit_test(test_callback_errors),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_complete_and_repl),
		cmocka_unit_test(test_complete_endpoints),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
