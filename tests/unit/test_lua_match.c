/*
 * test_lua_match.c: netsim's pattern matcher (src/script/lx_match.c) against
 * Lua's own string library.
 *
 * Two plain Lua states: one with the real string.find, match, gmatch and
 * gsub, one with netsim's installed over them. The same Lua harness runs
 * every case in both, serialises all results (or the error message) into
 * one string, and the two strings must be equal. Cases: hand-written ones
 * for every part of the manual's section 6.4.1 and of the four functions'
 * arguments, then thousands of random patterns over a small alphabet
 * (seeded, so a failure comes back on every run). Then the step limit:
 * a pathological pattern fails with netsim's message, soon, and is charged
 * to the instruction budget.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "lib/rng.h"
#include "script/lx.h"

/*
 * The harness, the same text in both states. check() runs every function
 * on one (subject, pattern, init) with several kinds of replacement;
 * eval() runs a chunk. Both return one string describing what happened.
 */
static const char harness[] =
	"local function ser(...)\n"
	"  local t = table.pack(...)\n"
	"  for i = 1, t.n do\n"
	"    local v = t[i]\n"
	"    if type(v) == 'string' then t[i] = ('%q'):format(v)\n"
	"    elseif type(v) == 'number' then t[i] = math.type(v) .. ':' .. tostring(v)\n"
	"    else t[i] = type(v) == 'function' and 'function' or tostring(v) end\n"
	"  end\n"
	"  return t.n .. '{' .. table.concat(t, ',', 1, t.n) .. '}'\n"
	"end\n"
	"local function try(f, ...)\n"
	"  local t = table.pack(pcall(f, ...))\n"
	"  if not t[1] then return 'error:' .. tostring(t[2]) end\n"
	"  return ser(table.unpack(t, 2, t.n))\n"
	"end\n"
	"local function collect(s, p, init)\n"
	"  local out, n = {}, 0\n"
	"  for a, b, c in string.gmatch(s, p, init) do\n"
	"    n = n + 1\n"
	"    out[n] = ser(a, b, c)\n"
	"    if n == 100 then break end\n"
	"  end\n"
	"  return table.concat(out, ';')\n"
	"end\n"
	"local templates = {'<%0>', '[%1|%2]', '%%', '-', '%1', '%', '%x', '%3%1', ''}\n"
	"local tbl = {a = 'A', b = false, ab = 'AB', ['('] = 7, [1] = 'one', [2] = 2.5,\n"
	"  [3] = {}, aa = true}\n"
	"local function replacer()\n"
	"  local k = 0\n"
	"  return function(...)\n"
	"    k = k + 1\n"
	"    local m = k % 5\n"
	"    if m == 0 then return nil end\n"
	"    if m == 2 then return select('#', ...) end\n"
	"    if m == 3 then return false end\n"
	"    if m == 4 and ... == 'b' then return {} end\n"
	"    local t = table.pack(...)\n"
	"    for i = 1, t.n do t[i] = tostring(t[i]) end\n"
	"    return '{' .. table.concat(t, '/', 1, t.n) .. '}'\n"
	"  end\n"
	"end\n"
	"function check(s, p, init)\n"
	"  local r = {\n"
	"    try(string.find, s, p, init), try(string.find, s, p, init, true),\n"
	"    try(string.match, s, p, init), try(collect, s, p, init),\n"
	"    try(string.gsub, s, p, tbl), try(string.gsub, s, p, replacer()),\n"
	"    try(string.gsub, s, p, '#', init),\n"
	"  }\n"
	"  for _, t in ipairs(templates) do r[#r + 1] = try(string.gsub, s, p, t) end\n"
	"  return table.concat(r, '\\n')\n"
	"end\n"
	"function eval(code)\n"
	"  local f = assert(load(code, '=case'))\n"
	"  return try(f)\n"
	"end\n";

struct pair {
	lua_State *ref;   /* Lua's string library */
	lua_State *nx;    /* netsim's matcher */
	struct script fake; /* what lx_charge reads in nx: the budget, off unless a test turns it on */
	int cases;
};

static lua_State *
new_state(void)
{
	lua_State *L = luaL_newstate();

	assert_non_null(L);
	luaL_openlibs(L);
	assert_int_equal(luaL_dostring(L, harness), LUA_OK);
	return L;
}

/* netsim's functions over the string library's, as the sandbox installs them (lx_state.c). */
static void
install_matcher(lua_State *L)
{
	static const luaL_Reg funcs[] = {
		{"find", lx_find}, {"match", lx_match}, {"gmatch", lx_gmatch}, {"gsub", lx_gsub},
		{NULL, NULL},
	};

	lua_getglobal(L, "string");
	luaL_setfuncs(L, funcs, 0);
	lua_pop(L, 1);
}

static int
setup(void **state)
{
	struct pair *pr = calloc(1, sizeof *pr);

	assert_non_null(pr);
	pr->ref = new_state();
	pr->nx = new_state();
	install_matcher(pr->nx);
	pr->fake.L = pr->nx;
	*(struct script **)lua_getextraspace(pr->nx) = &pr->fake;
	*state = pr;
	return 0;
}

static int
teardown(void **state)
{
	struct pair *pr = *state;

	lua_close(pr->ref);
	lua_close(pr->nx);
	free(pr);
	return 0;
}

/* Call global fn with (s, p[, init]) or (code) in L; its string result (caller frees). */
static char *
run(lua_State *L, const char *fn, const char *a, size_t la, const char *b, size_t lb,
    const lua_Integer *init)
{
	char *out;

	lua_getglobal(L, fn);
	lua_pushlstring(L, a, la);
	if (b != NULL)
		lua_pushlstring(L, b, lb);
	if (init != NULL)
		lua_pushinteger(L, *init);
	if (lua_pcall(L, 1 + (b != NULL) + (init != NULL), 1, 0) != LUA_OK)
		fail_msg("harness failed: %s", lua_tostring(L, -1));
	out = strdup(lua_tostring(L, -1));
	lua_pop(L, 1);
	return out;
}

/* Run a case in both states; what string.find (check's first line) did in Lua: 'm'atch, 'n'il, 'e'rror. */
static char
compare(struct pair *pr, const char *fn, const char *a, size_t la, const char *b, size_t lb,
    const lua_Integer *init)
{
	char kind;

	char *want = run(pr->ref, fn, a, la, b, lb, init);
	char *got = run(pr->nx, fn, a, la, b, lb, init);

	if (strcmp(want, got) != 0) {
		fprintf(stderr, "case %s(%.*s, %.*s, %lld) differs\n--- Lua:\n%s\n--- netsim:\n%s\n", fn,
		    (int)la, a, (int)lb, b != NULL ? b : "", init != NULL ? (long long)*init : 0LL,
		    want, got);
		fail();
	}
	pr->cases++;
	kind = strncmp(want, "error:", 6) == 0 ? 'e' : strncmp(want, "1{nil}", 6) == 0 ? 'n' : 'm';
	free(want);
	free(got);
	return kind;
}

static char
check(struct pair *pr, const char *s, const char *p, const lua_Integer *init)
{
	return compare(pr, "check", s, strlen(s), p, strlen(p), init);
}

/* Hand-written: every feature of section 6.4.1, with and without init. */
static void
test_edge_cases(void **state)
{
	static const char *const pats[] = {
		/* classes and their complements, escapes, '.' */
		"%a+", "%A+", "%c", "%C+", "%d+", "%D+", "%g+", "%G", "%l+", "%L+", "%p+", "%P+",
		"%s+", "%S+", "%u+", "%U+", "%w+", "%W+", "%x+", "%X+", "%.", "%%", "%(", "%]", "%z",
		"%q", "%Q", ".", "..", ".-", "a.b",
		/* sets */
		"[abc]+", "[^abc]+", "[a-c]+", "[^a-c]", "[%a_]+", "[%d%.]+", "[]]", "[^]]", "[]a]+",
		"[a-]", "[-a]+", "[a%-c]+", "[%]]", "[a-%]]", "[]-a]+", "[%w-]+", "[^%s]+", "[.]",
		"[a-a]", "[c-a]", "[", "[a", "[%", "[%]", "[^", "[^]", "[]", "x[", "a[b",
		/* quantifiers */
		"a*", "a+", "a-", "a?", "a*b", "a-b", "a+b", "a?b", "ba*", "ba-$", ".*", ".-$", "*a",
		"+", "-", "?", "a**", "a*?", "[ab]*c", "%d*%.?%d+",
		/* anchors */
		"^a", "^", "$", "^$", "a$", "$a", "a$b", "^^a", "^a*$", "%^", "a^",
		/* captures */
		"(a)", "(a)(b)", "(a(b))", "()", "()a()", "(a*(.)%w(%s*))", "()(a)()", "(", ")",
		"(a", "a)", "((a)", "(()", "(a))", "%(a%)", "(.-)b",
		/* back-references */
		"(a)%1", "(a*)%1", "(.)%1", "%1", "%0", "(a)%2", "(a%1)", "()%1", "(a)(b)%2%1",
		"(%a+) %1",
		/* %b and %f */
		"%b()", "%b((", "%b)(", "%bab", "%b", "%b(", "%b()+", "%b''", "%f[%a]%a+",
		"%f[%A]", "%f[%a]", "%f[^%z]", "%f[a]", "%f[%w]%w+%f[%W]", "%f", "%fa", "%f[",
		"%f[a", "%f[]]", "%f[%l]",
		/* trailing '%' and the rest */
		"%", "a%", "", "abc", "ab%", "a(b%",
	};
	static const char *const subjects[] = {
		"", "a", "aaa", "abc", "aab", "hello world", "THE (quick) fox", "f(a(b)c)d", "((x)",
		"a]b", "x-y_z 1.5", "\t ab\n12", "ab ab", "'q'a'", "a^b$c", "%a(b)", "baaab",
	};
	static const lua_Integer inits[] = {1, 0, -1, -3, -100, 2, 3, 4, 5, 100};
	struct pair *pr = *state;

	for (size_t i = 0; i < sizeof pats / sizeof *pats; i++)
		for (size_t j = 0; j < sizeof subjects / sizeof *subjects; j++) {
			check(pr, subjects[j], pats[i], NULL);
			check(pr, subjects[j], pats[i], &inits[(i + j) % 10]);
		}
	/* Embedded zeros are ordinary characters in 5.4 patterns and subjects. */
	compare(pr, "check", "a\0b\0", 4, "%z", 2, NULL);
	compare(pr, "check", "a\0b\0", 4, "\0b", 2, NULL);
	compare(pr, "check", "a\0b\0", 4, "[\0]", 3, NULL);
	compare(pr, "check", "a\0b\0", 4, "%\0", 2, NULL);
	compare(pr, "check", "a\0b\0", 4, "[^\0]+", 5, NULL);
	compare(pr, "check", "a\0b\0", 4, "%f[\0]", 5, NULL);
	compare(pr, "check", "a\0b\0", 4, "%f[%z]", 6, NULL);
	print_message("%d hand-written cases\n", pr->cases);
}

/* Arguments and the odd corners of the four functions, as chunks. */
static void
test_arguments(void **state)
{
	static const char *const chunks[] = {
		"return string.find('abc', 'b', 2.0)",
		"return string.find('abc', 'b', 2.5)",
		"return string.find('abc', 'b', '2')",
		"return string.find('abc', 'b', 'x')",
		"return string.find('abc')",
		"return string.find(nil, 'a')",
		"return string.find(12345, 3)",
		"return string.find('a.c', '.', 1, true)",
		"return string.find('a.c', '.', 1, false)",
		"return string.find('a(c', '(', 1, 1)",
		"return string.find('abc', '', 10)",
		"return string.find('abc', '', 4)",
		"return string.find('abc', '', -10)",
		"return string.find('abc', 'c', math.mininteger)",
		"return string.find('abc', 'c', math.maxinteger)",
		"return string.match('abc', '()', math.mininteger)",
		"return string.match(123, '%d%d')",
		"return ('key = value'):match('^(%w+)%s*=%s*(%w+)$')",
		"return ('x=1, y=22'):find('(%a)=(%d+)', 4)",
		"return string.gsub('abc', 'b')",
		"return string.gsub('abc', 'b', true)",
		"return string.gsub('abc', 'b', 'x', 1.5)",
		"return string.gsub('abc', 'b', nil, 1.5)",
		"return string.gsub('abc', 'b', 'x', '1')",
		"return string.gsub('abc', '', '-')",
		"return string.gsub('abc', '', '-', 2)",
		"return string.gsub('abc', '%w', '%0%0', 0)",
		"return string.gsub('abc', '%w', '%0%0', -1)",
		"return string.gsub('abc', '%w', '%0%0', math.maxinteger)",
		"return string.gsub('hello world', '%w+', '%0 %0', 1)",
		"return string.gsub('abc', '%w', 7)",
		"return string.gsub('abc', '%w', 7.5)",
		"return string.gsub('abc', '^%w', 'X')",
		"return string.gsub('abc', '^', 'X')",
		"return string.gsub('abc', '$', 'X')",
		"return string.gsub('abc', '%w*', '-')",
		"return string.gsub('a,b,,c', ',*', '|')",
		"return string.gsub(123, 2, 9)",
		"return string.gsub('abc', '()', '%1')",
		"return string.gsub('abc', '(b)', {b = 1.0})",
		"return string.gsub('abc', 'b', setmetatable({}, {__index = function(_, k) return k:upper() end}))",
		"return string.gsub('abc', 'b', function() error('boom') end)",
		"local ok, e = pcall(string.gsub, 'abc', 'b', function() error({7}) end) return ok, e[1]",
		"return string.gsub('abc', '(a)(b)(c)', function(...) return select('#', ...) end)",
		"return string.gsub('abc', '(b)', string.upper)",
		"return string.gsub('$name is $age', '%$(%w+)', {name = 'x', age = 3})",
		"return string.gsub('abc', '.', {a = 1, b = true})",
		"local n = 0 for k, v in string.gmatch('a=1, b=2', '(%w+)=(%w+)') do n = n + 1 end return n",
		"local t = {} for w in ('one two'):gmatch('%a+', 4) do t[#t + 1] = w end return table.concat(t, ',')",
		"local t = {} for w in ('abc'):gmatch('', 10) do t[#t + 1] = w end return #t",
		"local t = {} for w in ('abc'):gmatch('x*', 4) do t[#t + 1] = w end return #t",
		"local t = {} for w in ('abc'):gmatch('x*', -2) do t[#t + 1] = w end return #t",
		"local t = {} for p in ('abc'):gmatch('()') do t[#t + 1] = p end return table.concat(t, ',')",
		"local t = {} for w in ('^a^a'):gmatch('^a') do t[#t + 1] = w end return #t",
		"return string.gmatch('abc')",
		"return pcall(string.gmatch('abc', '('))",
		"return pcall(string.gmatch('abc', '%'))",
		/* the iterator outlives its arguments and may be resumed in another coroutine */
		"local f = string.gmatch(('ab'):rep(3), '(a)(b)') collectgarbage() "
		"local co = coroutine.wrap(function() return f() end) local a, b = co() return a, b, f()",
		"local f = string.gmatch('a b c', '%a') f() return f(), f(), f(), f()",
		/* nesting limits: Lua's matcher refuses 200 nested backtracking points */
		"return string.find(('a'):rep(300), ('a?'):rep(199))",
		"return string.find(('a'):rep(300), ('a?'):rep(200))",
		"return string.find(('a'):rep(300), ('a?'):rep(201))",
		"return string.find(('a'):rep(300), ('a-'):rep(199) .. '$')",
		"return string.find(('a'):rep(300), ('a-'):rep(200) .. '$')",
		"return string.find(('a'):rep(300), ('a*'):rep(199))",
		"return string.find(('a'):rep(300), ('(a)'):rep(32))",
		"return string.find(('a'):rep(300), ('(a)'):rep(33))",
		"return string.match(('a'):rep(300), ('()'):rep(32))",
		"return string.match(('a'):rep(300), ('()'):rep(33))",
		"return string.find(('a'):rep(300), ('(a'):rep(40))",
		"return string.find(('a'):rep(300), ('a'):rep(1000))",
		"return string.find(('x'):rep(1000) .. 'y', '%f[%a]' .. ('x'):rep(500) .. 'y')",
	};
	struct pair *pr = *state;

	for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++)
		compare(pr, "eval", chunks[i], strlen(chunks[i]), NULL, 0, NULL);
}

/* Random patterns from pieces; some broken on purpose. */
static void
random_pattern(struct rng *r, char *buf, size_t cap)
{
	static const char *const atoms[] = {
		"a", "b", "a", "b", "a", "b", ".", ".", "%a", "%a", "%d", "%s", "%W", "%(", "%%",
		"%.", "[ab]", "[ab]", "[^a]",
		"[a-c]", "[%a_]", "[]]", "[^%s(]", "(", ")", "()", "%1", "%2", "%b()", "%bab",
		"%f[%a]", "%f[^a]", "$", "^", "-", "(", ")", " ", "1", "[", "%", "%f", "%b(", "%9",
	};
	static const char quant[] = "*+-?";
	size_t len = 0, n = rng_below(r, 7);

	buf[0] = '\0';
	if (rng_below(r, 4) == 0)
		buf[len++] = '^';
	for (size_t i = 0; i < n; i++) {
		const char *a = atoms[rng_below(r, sizeof atoms / sizeof *atoms)];
		size_t la = strlen(a);

		if (len + la + 2 >= cap)
			break;
		memcpy(buf + len, a, la);
		len += la;
		if (rng_below(r, 2) == 0)
			buf[len++] = quant[rng_below(r, 4)];
	}
	if (rng_below(r, 6) == 0 && len + 1 < cap)
		buf[len++] = '$';
	buf[len] = '\0';
}

static void
random_subject(struct rng *r, char *buf, size_t cap)
{
	static const char alphabet[] = "aaabbb  ()1_A.%[]^$";
	size_t n = rng_below(r, cap < 14 ? cap : 14);

	for (size_t i = 0; i < n; i++)
		buf[i] = alphabet[rng_below(r, sizeof alphabet - 1)];
	buf[n] = '\0';
}

static void
test_random_patterns(void **state)
{
	struct pair *pr = *state;
	struct rng r;
	char pat[64], subj[16];
	int before = pr->cases, kinds[256] = {0};

	rng_seed(&r, 20240611, 1);
	for (int i = 0; i < 5000; i++) {
		lua_Integer init = (lua_Integer)rng_below(&r, 24) - 8;

		random_pattern(&r, pat, sizeof pat);
		random_subject(&r, subj, sizeof subj);
		kinds[(unsigned char)check(pr, subj, pat, rng_below(&r, 3) == 0 ? &init : NULL)]++;
	}
	print_message("%d random cases: find matched %d, found nothing %d, raised %d\n",
	    pr->cases - before, kinds['m'], kinds['n'], kinds['e']);
	/* The generator must exercise all three, or the comparison says little. */
	assert_true(kinds['m'] >= 1000);
	assert_true(kinds['n'] >= 500);
	assert_true(kinds['e'] >= 200);
}

/* Run code in netsim's state; what its error message must say (after the chunk's position). */
static void
expect_error(lua_State *L, const char *code, const char *msg)
{
	assert_int_equal(luaL_loadstring(L, code), LUA_OK);
	assert_int_not_equal(lua_pcall(L, 0, 0, 0), LUA_OK);
	if (strstr(lua_tostring(L, -1), msg) == NULL)
		fail_msg("\"%s\" does not say \"%s\"", lua_tostring(L, -1), msg);
	lua_pop(L, 1);
}

static void
test_step_limit(void **state)
{
	static const char limit[] = "lua: pattern too complex (more than 50000000 matching steps)";
	struct pair *pr = *state;
	clock_t start = clock();
	double secs;

	/* Counted against the budget while the budget is on (live mode). */
	pr->fake.budget_on = true;
	pr->fake.budget_used = 0;
	expect_error(pr->nx, "string.find(('a'):rep(30000), ('a*'):rep(60) .. 'b')", limit);
	assert_true(pr->fake.budget_used >= LX_MATCH_STEPS - LX_MATCH_CHARGE);
	assert_true(pr->fake.budget_used <= LX_MATCH_STEPS + LX_MATCH_CHARGE);
	pr->fake.budget_on = false;
	/* The other ways to make one call quadratic or worse. */
	expect_error(pr->nx, "string.find(('('):rep(200000), '%b()')", limit);
	expect_error(pr->nx, "string.gsub(('a'):rep(200000), ('a-'):rep(3) .. 'b', '')", limit);
	expect_error(pr->nx, "string.find(('a'):rep(100000), '(' .. ('a'):rep(50000) .. ')b')", limit);
	expect_error(pr->nx, "string.find(('a'):rep(100000), '(a*)%1b')", limit);
	expect_error(pr->nx,
	    "string.find(('b'):rep(100000), '[' .. ('a'):rep(1000000) .. ']')", limit);
	expect_error(pr->nx,
	    "string.find(('b'):rep(100000), '%f[' .. ('a'):rep(1000000) .. ']')", limit);
	expect_error(pr->nx, "for w in string.gmatch(('a'):rep(30000), ('a*'):rep(60) .. 'b') do end",
	    limit);
	secs = (double)(clock() - start) / CLOCKS_PER_SEC;
	print_message("step limit cases took %.2f s of CPU\n", secs);
	assert_true(secs < 20);
	/* Big ordinary work stays under the limit. */
	assert_int_equal(luaL_dostring(pr->nx,
	    "assert(#(('ab '):rep(200000):gsub('%s+', '')) == 400000)\n"
	    "local n = 0 for w in ('word '):rep(100000):gmatch('%a+') do n = n + 1 end\n"
	    "assert(n == 100000)\n"
	    "assert(('x'):rep(1000000):find('y', 1, true) == nil)\n"
	    "assert(('x'):rep(1000000):find(('x'):rep(1000) .. 'y') == nil)\n"),
	    LUA_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edge_cases),
		cmocka_unit_test(test_arguments),
		cmocka_unit_test(test_random_patterns),
		cmocka_unit_test(test_step_limit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
