/*
 * test_policy_lua.c: route maps written in Lua (src/script/lx_policy.c):
 * verdicts, every field a policy may change, errors (denied, reported
 * once, with the topology's file:line), the budget and the read-only
 * sandbox, the same results on several threads, and functions copied from
 * a Lua topology (string.dump with plain-data upvalues).
 */
#include <pthread.h>
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
#include "lib/buf.h"
#include "lib/cfg.h"
#include "lib/ip.h"
#include "lib/strbuf.h"
#include "proto/policy/policy.h"
#include "proto/policy/policy_lua.h"
#include "script/lx.h"

static uint8_t aspath[] = {BGP_AS_SEQUENCE, 2, 0, 0, 0xfd, 0xea, 0, 0, 0xfd, 0xe9}; /* 65002 65001 */
static uint32_t comms[] = {65000u << 16 | 1, BGP_COMM_NO_EXPORT};

/* 10.0.0.0/24 from 10.0.12.2 (AS 65002), MED 10, two communities. */
static void
mkroute(struct policy_route *r, struct bgp_attr *a, uint32_t pfx)
{
	memset(r, 0, sizeof(*r));
	memset(a, 0, sizeof(*a));
	a->has = BGP_HAS_NEXT_HOP | BGP_HAS_MED;
	a->med = 10;
	ip_parse("10.0.12.2", &a->nexthop);
	a->aspath = aspath;
	a->aspath_len = sizeof(aspath);
	a->comm = comms;
	a->ncomm = 2;
	r->pfx.addr = pfx;
	r->pfx.len = 24;
	r->attr = a;
	r->peer_addr = a->nexthop;
	r->peer_as = 65002;
	r->local_as = 65000;
	r->route_type = "ebgp";
}

static struct policy_lua *
compile(const char *src, const char *where)
{
	char err[256] = "";
	struct policy_lua *p = policy_lua_new(src, strlen(src), where, err, sizeof(err));

	if (p == NULL)
		fail_msg("does not compile: %s", err);
	return p;
}

/* The verdict of src on the standard route (r, a filled for inspection). */
static enum policy_verdict
apply_src(const char *src, struct policy_route *r, struct bgp_attr *a, uint64_t *errors)
{
	struct policy_lua *p = compile(src, "topo.yaml:1");
	enum policy_verdict v;

	mkroute(r, a, 0x0a000000);
	v = policy_lua_apply(p, r);
	if (errors)
		*errors = policy_lua_errors(p);
	policy_lua_free(p);
	return v;
}

static enum policy_verdict
verdict_of(const char *src, uint64_t *errors)
{
	struct policy_route r;
	struct bgp_attr a;

	return apply_src(src, &r, &a, errors);
}

/* Run fn with stderr going to a string (static, until the next call). */
static const char *
capture_stderr(void (*fn)(void *), void *arg)
{
	static char buf[8192];
	FILE *tmp = tmpfile();
	int saved = dup(2);
	size_t n;

	assert_non_null(tmp);
	fflush(stderr);
	dup2(fileno(tmp), 2);
	fn(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, sizeof(buf) - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
	return buf;
}

static unsigned
count(const char *hay, const char *needle)
{
	unsigned n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

static void
test_verdicts(void **state)
{
	uint64_t e;

	(void)state;
	assert_int_equal(verdict_of("return true", &e), POLICY_PERMIT);
	assert_int_equal(verdict_of("return false", &e), POLICY_DENY);
	assert_int_equal(verdict_of("return 'accept'", &e), POLICY_PERMIT);
	assert_int_equal(verdict_of("return 'permit'", &e), POLICY_PERMIT);
	assert_int_equal(verdict_of("return 'reject'", &e), POLICY_DENY);
	assert_int_equal(verdict_of("return 'deny'", &e), POLICY_DENY);
	assert_int_equal(e, 0);
	/* A chunk that returns a function, and a body using route and `...`. */
	assert_int_equal(verdict_of("return function(route) return route.prefix_len == 24 end", &e),
	    POLICY_PERMIT);
	assert_int_equal(verdict_of("return function(r) return r.neighbor_as == 1 end", &e),
	    POLICY_DENY);
	assert_int_equal(verdict_of("local r = ...\nreturn r.neighbor == '10.0.12.2'", &e),
	    POLICY_PERMIT);
	assert_int_equal(e, 0);
	/* No verdict, or a wrong one: an error (denied, counted). */
	assert_int_equal(verdict_of("local x = 1", &e), POLICY_DENY);
	assert_int_equal(e, 1);
	assert_int_equal(verdict_of("return 'yes'", &e), POLICY_DENY);
	assert_int_equal(e, 1);
	assert_int_equal(verdict_of("return true, 5", &e), POLICY_DENY);
	assert_int_equal(e, 1);
}

/* What a policy is given. */
static void
test_fields_seen(void **state)
{
	uint64_t e;

	(void)state;
	assert_int_equal(verdict_of(
	    "assert(route.prefix == '10.0.0.0/24', route.prefix)\n"
	    "assert(route.prefix_len == 24)\n"
	    "assert(route.neighbor == '10.0.12.2' and route.neighbor_as == 65002)\n"
	    "assert(route.local_as == 65000 and route.type == 'ebgp')\n"
	    "assert(route.as_path == '65002 65001', route.as_path)\n"
	    "assert(#route.as_path_list == 2 and route.as_path_list[1] == 65002)\n"
	    "assert(route.origin == 'igp' and route.med == 10 and route.local_pref == nil)\n"
	    "assert(route.weight == 0 and route.tag == 0 and route.next_hop == '10.0.12.2')\n"
	    "assert(#route.communities == 2 and route.communities[1] == '65000:1')\n"
	    "assert(route.communities[2] == 'no-export')\n"
	    "assert(#route.large_communities == 0 and #route.ext_communities == 0)\n"
	    "return true", &e), POLICY_PERMIT);
	assert_int_equal(e, 0);
}

static void
test_fields_changed(void **state)
{
	struct policy_route r;
	struct bgp_attr a;
	struct strbuf sb = STRBUF_INIT;
	uint64_t e;
	uint32_t rt;

	(void)state;
	assert_int_equal(apply_src(
	    "route.med = 50; route.local_pref = 200; route.weight = 7; route.tag = 9\n"
	    "route.next_hop = '192.0.2.1'; route.origin = 'incomplete'\n"
	    "table.insert(route.communities, '65000:99')\n"
	    "route.large_communities = {'65000:1:2'}\n"
	    "route.ext_communities = {'RT:65000:7', 'SoO:10.0.0.1:3', 'rt:4200000000:5'}\n"
	    "route.as_path_prepend = {65000, 65100}\n"
	    "return true", &r, &a, &e), POLICY_PERMIT);
	assert_int_equal(e, 0);
	assert_int_equal(a.med, 50);
	assert_int_equal(a.local_pref, 200);
	assert_true(a.has & BGP_HAS_LOCAL_PREF);
	assert_int_equal(a.weight, 7);
	assert_int_equal(r.tag, 9);
	assert_int_equal(a.tag, 9);
	ip_parse("192.0.2.1", &rt);
	assert_int_equal(a.nexthop, rt);
	assert_int_equal(a.origin, BGP_ORIGIN_INCOMPLETE);
	assert_int_equal(a.ncomm, 3);
	assert_int_equal(a.comm[0], 65000u << 16 | 1);
	assert_int_equal(a.comm[1], BGP_COMM_NO_EXPORT);
	assert_int_equal(a.comm[2], 65000u << 16 | 99);
	assert_int_equal(a.nlcomm, 1);
	assert_int_equal(get32(a.lcomm), 65000);
	assert_int_equal(get32(a.lcomm + 8), 2);
	assert_int_equal(a.necomm, 3);
	for (int i = 0; i < 3; i++) {
		bgp_ecomm_str(a.ecomm + 8 * i, &sb);
		sb_addc(&sb, ' ');
	}
	assert_string_equal(sb_str(&sb), "RT:65000:7 SoO:10.0.0.1:3 RT:4200000000:5 ");
	sb_reset(&sb);
	bgp_aspath_str(a.aspath, a.aspath_len, &sb);
	assert_string_equal(sb_str(&sb), "65000 65100 65002 65001");
	sb_free(&sb);
	assert_true(r.used > 0 && r.used <= POLICY_BUF);
	assert_ptr_equal(a.comm, (const uint32_t *)(const void *)(r.buf + ((const uint8_t *)a.comm - r.buf)));
	assert_true((const uint8_t *)a.comm >= r.buf && (const uint8_t *)a.comm < r.buf + POLICY_BUF);

	/* Changes returned as a table; MED removed; unchanged arrays are left where they were. */
	assert_int_equal(apply_src("return 'accept', {med = nil, local_pref = 50, weight = 1}", &r, &a,
	    &e), POLICY_PERMIT);
	assert_int_equal(a.local_pref, 50);
	assert_int_equal(a.weight, 1);
	assert_true(a.has & BGP_HAS_MED); /* nil in a table is no key: unchanged */
	assert_int_equal(apply_src("route.med = nil return true", &r, &a, &e), POLICY_PERMIT);
	assert_false(a.has & BGP_HAS_MED);
	assert_ptr_equal(a.comm, comms);
	assert_int_equal(r.used, 0);
	/* next_hop keywords */
	assert_int_equal(apply_src("route.next_hop = 'peer-address' return true", &r, &a, &e),
	    POLICY_PERMIT);
	assert_true(r.nh_peer);
	assert_int_equal(apply_src("route.next_hop = 'unchanged' return true", &r, &a, &e),
	    POLICY_PERMIT);
	assert_true(r.nh_unchanged);
	/* A denied route is left as it was. */
	assert_int_equal(apply_src("route.med = 99 return false", &r, &a, &e), POLICY_DENY);
	assert_int_equal(a.med, 10);
}

/* Bad new values: errors, and the route is denied and untouched. */
static void
test_bad_values(void **state)
{
	static const char *const bad[] = {
		"route.med = 'x' return true",
		"route.med = -1 return true",
		"route.local_pref = 1.5 return true",
		"route.communities = {'1:99999999'} return true",
		"route.communities = {'65000:1 '} return true",
		"route.large_communities = {'1:2'} return true",
		"route.ext_communities = {'xx:1:2'} return true",
		"route.origin = 'bgp' return true",
		"route.next_hop = '300.1.1.1' return true",
		"route.next_hop = 'self' return true", /* no session address */
		"route.medd = 1 return true",
		"route.prefix = '10.0.1.0/24' return true",
		"route.as_path_prepend = {0} return true",
		"route.as_path_prepend = {'x'} return true",
		"local c = {} for i = 1, 1100 do c[i] = '1:' .. i end route.communities = c return true",
		"return true, {neighbor_as = 1}",
		NULL,
	};
	struct policy_route r;
	struct bgp_attr a;
	uint64_t e;

	(void)state;
	for (int i = 0; bad[i]; i++) {
		if (apply_src(bad[i], &r, &a, &e) != POLICY_DENY || e != 1)
			fail_msg("accepted: %s", bad[i]);
		assert_int_equal(a.med, 10);
		assert_int_equal(r.used, 0);
	}
}

struct runs {
	struct policy_lua *p;
	int n;
};

static void
run_n(void *arg)
{
	struct runs *x = arg;
	struct policy_route r;
	struct bgp_attr a;

	for (int i = 0; i < x->n; i++) {
		mkroute(&r, &a, 0x0a000000);
		assert_int_equal(policy_lua_apply(x->p, &r), POLICY_DENY);
	}
}

/* A runtime error denies, is reported once with the topology's file:line, and is counted. */
static void
test_error_reported_once(void **state)
{
	struct runs x = {.n = 5};
	const char *out;

	(void)state;
	/*
	 * A block scalar at line 10 of topo.yaml (`lua: |`): its text starts on
	 * line 11, so its third line is line 13.
	 */
	x.p = compile("local lp = route.local_pref\n-- nil\nreturn lp + 1 > 0\n", "topo.yaml:10:8");
	out = capture_stderr(run_n, &x);
	assert_int_equal(policy_lua_errors(x.p), 5);
	assert_int_equal(count(out, "Lua route map"), 1);
	if (strstr(out, "topo.yaml:13:") == NULL || strstr(out, "arithmetic") == NULL)
		fail_msg("message: %s", out);
	/* Once per policy: another one reports its own. */
	run_n(&x);
	assert_int_equal(policy_lua_errors(x.p), 10);
	policy_lua_free(x.p);
	x.p = compile("error('no route for you')", "other.yaml:3");
	out = capture_stderr(run_n, &x);
	assert_int_equal(count(out, "Lua route map"), 1);
	assert_non_null(strstr(out, "other.yaml:3: no route for you"));
	policy_lua_free(x.p);
}

static void
test_compile_errors(void **state)
{
	char err[256];

	(void)state;
	assert_null(policy_lua_new("return function(", 16, "topo.yaml:7", err, sizeof(err)));
	assert_non_null(strstr(err, "topo.yaml:7:"));
	assert_null(policy_lua_new("x = = 1", 7, "f.yaml:2", err, sizeof(err)));
	assert_non_null(strstr(err, "f.yaml:2:"));
	/* A file of its own (lua_file): lines from 1, given as "file" or "file:1". */
	assert_null(policy_lua_new("return true\nx = = 1\n", 20, "dir/p.lua", err, sizeof(err)));
	if (strstr(err, "dir/p.lua:2:") == NULL)
		fail_msg("%s", err);
	assert_null(policy_lua_new("return true\nx = = 1\n", 20, "dir/p.lua:1", err, sizeof(err)));
	if (strstr(err, "dir/p.lua:2:") == NULL)
		fail_msg("%s", err);
	/* A block scalar at line 5 (`lua: |`): its second line is line 7. */
	assert_null(policy_lua_new("return true\nx = = 1\n", 20, "t.yaml:5", err, sizeof(err)));
	if (strstr(err, "t.yaml:7:") == NULL)
		fail_msg("%s", err);
	/* A function token that no Lua topology made. */
	assert_null(policy_lua_new("--[[netsim: Lua function #999]]", 31, "f.yaml:2", err,
	    sizeof(err)));
	assert_non_null(strstr(err, "#999"));
	/* Binary chunks are never loaded from text. */
	assert_null(policy_lua_new("\x1bLua", 4, "f.yaml:2", err, sizeof(err)));
}

static void
deny_once(void *src)
{
	uint64_t e;

	assert_int_equal(verdict_of(src, &e), POLICY_DENY);
	assert_int_equal(e, 1);
}

static void
test_budget(void **state)
{
	const char *out;
	uint64_t e;

	(void)state;
	out = capture_stderr(deny_once, "while true do end");
	if (strstr(out, "instruction budget exceeded") == NULL)
		fail_msg("message: %s", out);
	/* pcall cannot catch the spent budget. */
	assert_int_equal(verdict_of("for i = 1, 10 do pcall(function() while true do end end) end "
	    "return true", &e), POLICY_DENY);
	assert_int_equal(e, 1);
	/* A pattern that backtracks forever counts too. */
	assert_int_equal(verdict_of("return string.find(('a'):rep(30000), ('a*'):rep(60) .. 'b') "
	    "== nil", &e), POLICY_DENY);
	assert_int_equal(e, 1);
	/* Memory: a string doubled 40 times would take a terabyte. */
	out = capture_stderr(deny_once, "local s = 'x' for i = 1, 40 do s = s .. s end return true");
	if (strstr(out, "memory limit") == NULL)
		fail_msg("message: %s", out);
	/* Endless recursion, a huge string: errors like any other. */
	assert_int_equal(verdict_of("local function f(n) return f(n + 1) + 1 end return f(1)", &e),
	    POLICY_DENY);
	assert_int_equal(e, 1);
	assert_int_equal(verdict_of("return #string.rep('x', 1e9) > 0", &e), POLICY_DENY);
	assert_int_equal(e, 1);
		/* ... and the state works after each of them. */
	assert_int_equal(verdict_of("local n = 0 for i = 1, 1000 do n = n + i end return n == 500500",
	    &e), POLICY_PERMIT);
	assert_int_equal(e, 0);
}

/* Nothing one call does is seen by the next. */
static void
test_no_state(void **state)
{
	struct policy_lua *p;
	struct policy_route r;
	struct bgp_attr a;
	uint64_t e;

	(void)state;
	assert_int_equal(verdict_of("x = 1 return true", &e), POLICY_DENY);
	assert_int_equal(e, 1);
	assert_int_equal(verdict_of("string.upper = nil return true", &e), POLICY_DENY);
	assert_int_equal(verdict_of("math.pi = 3 return true", &e), POLICY_DENY);
	assert_int_equal(verdict_of("return string.upper('a') == 'A' and math.pi > 3.14 and "
	    "('b'):upper() == 'B'", &e), POLICY_PERMIT);
	/* What the sandbox leaves out. */
	assert_int_equal(verdict_of("return os == nil and io == nil and load == nil and require == nil "
	    "and math.random == nil and setmetatable == nil and string.dump == nil and "
	    "next == nil and rawset == nil and print == nil and coroutine == nil", &e), POLICY_PERMIT);
	assert_int_equal(e, 0);
	/* A chunk's locals are made again for every route. */
	p = compile("local n = 0\nreturn function(route) n = n + 1 return n == 1 end", "t.yaml:1");
	for (int i = 0; i < 3; i++) {
		mkroute(&r, &a, 0x0a000000);
		assert_int_equal(policy_lua_apply(p, &r), POLICY_PERMIT);
	}
	policy_lua_free(p);
	/* pairs in a fixed order: numbers, strings (bytes), false, true; on read-only tables too. */
	assert_int_equal(verdict_of("local s = ''\n"
	    "for k in pairs({b = 1, a = 2, B = 3, [2] = 0, [-1.5] = 0, [1] = 0, [true] = 1, [false] = 1}) do\n"
	    "  s = s .. tostring(k) .. ' '\n"
	    "end\n"
	    "for k, v in pairs(math) do if k == 'pi' then s = s .. 'pi' end end\n"
	    "return s == '-1.5 1 2 B a b false true pi' or error(s)", &e), POLICY_PERMIT);
	assert_int_equal(e, 0);
	assert_int_equal(verdict_of("for k in pairs({[{}] = 1}) do end return true", &e), POLICY_DENY);
	/* No addresses: tostring and format show none. */
	assert_int_equal(verdict_of("return tostring({}) == 'table' and tostring(print) == 'nil'",
	    &e), POLICY_PERMIT);
	assert_int_equal(verdict_of("return string.format('%p', {})", &e), POLICY_DENY);
	assert_int_equal(verdict_of("return string.format('%s', {})", &e), POLICY_DENY);
	assert_int_equal(verdict_of("return string.format('%d:%s %%p', 1, 'x') == '1:x %p'", &e),
	    POLICY_PERMIT);
}

/*
 * pairs in a fixed order (a hash order would differ between the threads'
 * states): the order of keys feeds the MED.
 */
static const char threaded_src[] =
	"local t = {}\n"
	"for i = 1, 40 do t['k' .. (i * 7919 % 97)] = i end\n"
	"t[3] = 'x'; t[1.5] = 'y'; t[true] = 1\n"
	"local s = ''\n"
	"for k in pairs(t) do s = s .. tostring(k) .. ',' end\n"
	"local h = 0\n"
	"for i = 1, #s do h = (h * 31 + s:byte(i) + route.prefix:byte(i % #route.prefix + 1)) % 1000003 end\n"
	"if h % 5 == 0 then return false end\n"
	"route.med = h\n"
	"route.communities = {'65000:' .. (h % 65536)}\n"
	"return true\n";

enum { NROUTES = 600 };

struct thr {
	struct policy_lua *p;
	uint32_t med[NROUTES], comm[NROUTES];
	int v[NROUTES];
};

static void *
thread_run(void *arg)
{
	struct thr *t = arg;

	for (int i = 0; i < NROUTES; i++) {
		struct policy_route r;
		struct bgp_attr a;

		mkroute(&r, &a, 0x0a000000 + ((uint32_t)i << 8));
		t->v[i] = policy_lua_apply(t->p, &r);
		t->med[i] = a.med;
		t->comm[i] = a.ncomm ? a.comm[0] : 0;
	}
	return NULL;
}

static void
test_threads(void **state)
{
	static struct thr one, two[2];
	pthread_t th[2];
	int permits = 0;

	(void)state;
	one.p = compile(threaded_src, "t.yaml:1");
	thread_run(&one);
	for (int i = 0; i < 2; i++) {
		two[i].p = one.p;
		assert_int_equal(pthread_create(&th[i], NULL, thread_run, &two[i]), 0);
	}
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	for (int i = 0; i < NROUTES; i++) {
		permits += one.v[i] == POLICY_PERMIT;
		for (int k = 0; k < 2; k++) {
			assert_int_equal(two[k].v[i], one.v[i]);
			assert_int_equal(two[k].med[i], one.med[i]);
			assert_int_equal(two[k].comm[i], one.comm[i]);
		}
	}
	/* Both verdicts happen, and the MED varies: the comparison means something. */
	assert_true(permits > NROUTES / 2 && permits < NROUTES);
	assert_int_not_equal(one.med[0], one.med[1]);
	assert_int_equal(policy_lua_errors(one.p), 0);
	policy_lua_free(one.p);
}

/* A Lua state standing for a Lua topology's, with the function its chunk returns on top. */
static lua_State *
topo_function(const char *chunk)
{
	static struct script fake; /* lx_charge reads the budget fields: off */
	lua_State *L = luaL_newstate();

	luaL_openlibs(L);
	*(struct script **)lua_getextraspace(L) = &fake;
	if (luaL_loadbufferx(L, chunk, strlen(chunk), "@topo.lua", "t") != LUA_OK)
		fail_msg("%s", lua_tostring(L, -1));
	lua_call(L, 0, 1);
	assert_true(lua_isfunction(L, -1));
	return L;
}

/*
 * The function on top of L as a Lua topology gives it, {route_maps =
 * {PREFER = f}}, through lx_cfg.c: compiled from the token it leaves in the
 * cfg tree, or NULL when that reported an error on doc.
 */
static struct policy_lua *
from_function(lua_State *L, struct cfg_doc *doc)
{
	struct cfg *root, *v;
	char err[256] = "";
	struct policy_lua *p;
	int nerrors = doc->nerrors;

	lua_newtable(L);
	lua_newtable(L);
	lua_pushvalue(L, -3);
	lua_setfield(L, -2, "PREFER");
	lua_setfield(L, -2, "route_maps");
	lua_pushnil(L); /* no positions */
	root = lx_tocfg(L, -2, doc, 1, lua_gettop(L), 0, NULL);
	lua_pop(L, 2);
	if (doc->nerrors > nerrors) {
		cfg_free(root);
		return NULL;
	}
	v = cfg_get(cfg_get(cfg_get(root, "route_maps"), "PREFER"), "lua");
	assert_non_null(v);
	p = policy_lua_new(v->str, strlen(v->str), "topo.lua:2", err, sizeof(err));
	cfg_free(root);
	if (p == NULL)
		fail_msg("%s", err);
	return p;
}

static const char prefer_body[] =
	"function(route)\n"
	"  local lp = prefs[tostring(route.neighbor_as)] or 100\n"
	"  for _, c in ipairs(tagged.list) do table.insert(route.communities, c) end\n"
	"  route.local_pref = lp + bonus\n"
	"  if route.prefix_len > maxlen then return false end\n"
	"  return true\n"
	"end\n";

static void
test_lua_function(void **state)
{
	struct cfg_doc *doc = cfg_doc_new("topo.lua");
	struct strbuf sb = STRBUF_INIT;
	struct policy_lua *pf, *pt;
	lua_State *L;

	(void)state;
	sb_printf(&sb, "local bonus, maxlen = 50, 24\n"
	    "local prefs = {['65002'] = 300, ['65003'] = 50}\n"
	    "local tagged = {list = {'65000:7', '65000:8'}}\n"
	    "return %s", prefer_body);
	L = topo_function(sb_str(&sb));
	pf = from_function(L, doc);
	assert_non_null(pf);
	assert_int_equal(doc->nerrors, 0);
	/* The same policy as text: the same results. */
	pt = compile(sb_str(&sb), "topo.yaml:1");
	for (int i = 0; i < 2; i++) {
		struct policy_route r[2];
		struct bgp_attr a[2];
		struct policy_lua *p[2] = {pf, pt};

		for (int k = 0; k < 2; k++) {
			mkroute(&r[k], &a[k], 0x0a000000);
			r[k].pfx.len = i == 0 ? 24 : 25;
			r[k].peer_as = 65002;
			assert_int_equal(policy_lua_apply(p[k], &r[k]), i == 0 ? POLICY_PERMIT : POLICY_DENY);
		}
		if (i == 0) {
			assert_int_equal(a[0].local_pref, 350);
			assert_int_equal(a[0].ncomm, 4);
			assert_int_equal(a[0].comm[3], 65000u << 16 | 8);
			assert_int_equal(a[1].local_pref, a[0].local_pref);
			assert_int_equal(a[1].ncomm, a[0].ncomm);
			assert_memory_equal(a[1].comm, a[0].comm, 4 * a[0].ncomm);
		}
	}
	assert_int_equal(policy_lua_errors(pf), 0);
	policy_lua_free(pf);
	policy_lua_free(pt);
	lua_close(L);
	sb_free(&sb);
	cfg_doc_free(doc);
}

/* Upvalue tables are read-only copies; errors name the topology's file:line. */
static void
test_lua_function_errors(void **state)
{
	struct cfg_doc *doc = cfg_doc_new("topo.lua");
	struct runs x = {.n = 3};
	const char *out;
	lua_State *L;

	(void)state;
	L = topo_function("local seen = {}\n"
	    "return function(route)\n"
	    "  seen[route.prefix] = true\n"
	    "  return true\n"
	    "end\n");
	x.p = from_function(L, doc);
	assert_non_null(x.p);
	out = capture_stderr(run_n, &x);
	if (strstr(out, "topo.lua:3:") == NULL || strstr(out, "read-only") == NULL)
		fail_msg("message: %s", out);
	assert_int_equal(policy_lua_errors(x.p), 3);
	policy_lua_free(x.p);
	lua_close(L);

	/* A function upvalue cannot be copied: a configuration error naming it. */
	L = topo_function("local function helper(r) return true end\n"
	    "return function(route) return helper(route) end\n");
	assert_null(from_function(L, doc));
	assert_int_equal(doc->nerrors, 1);
	if (strstr(sb_str(&doc->errors), "upvalue 'helper' is a function") == NULL ||
	    strstr(sb_str(&doc->errors), "PREFER") == NULL)
		fail_msg("%s", sb_str(&doc->errors));
	lua_close(L);
	/* Nor a table with a metatable, or one that holds itself. */
	L = topo_function("local t = setmetatable({}, {})\nreturn function(route) return t end\n");
	assert_null(from_function(L, doc));
	assert_int_equal(doc->nerrors, 2);
	lua_close(L);
	L = topo_function("local t = {} t.t = t\nreturn function(route) return t end\n");
	assert_null(from_function(L, doc));
	assert_int_equal(doc->nerrors, 3);
	lua_close(L);
	/* A function anywhere but under route_maps is still an unsupported value. */
	L = topo_function("return function(route) return true end\n");
	lua_newtable(L);
	lua_insert(L, -2);
	lua_setfield(L, -2, "hook");
	lua_pushnil(L);
	cfg_free(lx_tocfg(L, -2, doc, 1, lua_gettop(L), 0, NULL));
	assert_int_equal(doc->nerrors, 4);
	assert_non_null(strstr(sb_str(&doc->errors), "unsupported value (a function) for 'hook'"));
	lua_close(L);
	cfg_doc_free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_fields_seen),
		cmocka_unit_test(test_fields_changed),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_error_reported_once),
		cmocka_unit_test(test_compile_errors),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_no_state),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_lua_function),
		cmocka_unit_test(test_lua_function_errors),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	policy_lua_shutdown();
	return rc;
}
