/*
 * lx_policy.c: route maps written in Lua (policy.h's policy_lua_*;
 * docs/policy-lua.md is the writer's side).
 *
 * A policy runs in device context, on whichever worker thread runs the
 * device, so it cannot use the script's Lua state (one thread at a time,
 * and global context only). Each thread that runs a policy has a Lua state
 * of its own, made on first use and kept in a list so that exit closes them
 * all; a policy is compiled into a thread's state the first time that
 * thread runs it (a cache keyed by the policy's number, which is never
 * reused, so a policy replaced at run time cannot be mistaken for another).
 *
 * Determinism: whatever thread runs a call, and whatever ran there before,
 * the call must see the same world. So nothing a call does can outlive it:
 *   - the globals are a read-only table (a write raises), and so are the
 *     library tables and the upvalue tables copied from a Lua topology;
 *   - a policy given as text is run from the top for every route (its
 *     chunk's locals are made anew), and a function from a Lua topology
 *     has its upvalues set again before every call;
 *   - pairs visits keys in a fixed order (numbers, then strings, then
 *     false, true), never in the hash order, which depends on a per-state
 *     random seed; tostring and string.format never show an address;
 *   - nothing reads the clock, random numbers, files or the network.
 * The alternative, running every policy in a serial phase between ticks,
 * would tie BGP's import and export to global context and serialise the
 * busiest part of a large BGP run.
 *
 * Limits: POLICY_LUA_BUDGET instructions a call (the script's count hook
 * and step-limited pattern matcher, lx_charge, with this state's own
 * budget), POLICY_LUA_MEM bytes a call (a counting allocator). A Lua error,
 * a spent budget, a bad return value or a bad new attribute value denies
 * the route; the first is reported (log_warn, with file:line), later ones
 * are counted (policy_lua_errors).
 *
 * The route table a call is given and reads back is lx_policy_route.c's; a
 * route map given as a function in a Lua topology, lx_policy_fn.c's.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/log.h"
#include "../lib/strbuf.h"
#include "../lib/util.h"
#include "../proto/policy/policy_lua.h"
#include "lx_policy.h"

/* The count hook's step: the budget is checked every LP_STEP instructions. */
#define LP_STEP 1000
struct policy_lua {
	uint64_t id;    /* the per-thread cache's key: never reused */
	char *where;    /* "file:line" for messages */
	char *chunk;    /* "@file": Lua's messages then read file:line */
	char *src;      /* text, padded so that its lines are the file's */
	size_t len;
	const struct lp_dump *dump; /* or a Lua topology's function */
	atomic_bool reported;
	_Atomic uint64_t errors;
};

/* One thread's Lua state. */
struct lp_state {
	struct script s; /* its budget fields: lx_charge and the matcher count there */
	size_t mem;      /* bytes the state holds */
	size_t limit;    /* while a call runs: what it may hold (0: no limit) */
	bool over;       /* the limit was hit: collect after the call */
	struct lp_state *next;
};

static _Thread_local struct lp_state *tl;
static pthread_mutex_t lp_mu = PTHREAD_MUTEX_INITIALIZER;
static struct lp_state *lp_all; /* every thread's state (under lp_mu) */
static bool lp_hooked;           /* the atexit handler is installed (under lp_mu) */
static _Atomic uint64_t lp_ids;

/* ---- the state: allocator, budget, read-only tables ------------------------------------ */

static void *
lp_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct lp_state *t = ud;
	size_t old = ptr != NULL ? osize : 0;
	void *p;

	if (nsize == 0) {
		free(ptr);
		t->mem -= old;
		return NULL;
	}
	if (nsize > old && t->limit != 0 && t->mem - old + nsize > t->limit) {
		t->over = true;
		return NULL;
	}
	if ((p = realloc(ptr, nsize)) == NULL)
		return NULL;
	t->mem = t->mem - old + nsize;
	return p;
}

static void
lp_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	lx_charge(L, (uint64_t)lua_gethookcount(L));
}

static int
ro_newindex(lua_State *L)
{
	return luaL_error(L, "attempt to modify a read-only table (route maps keep no state "
	    "between routes: use local variables)");
}

static int
ro_len(lua_State *L)
{
	lua_getmetatable(L, 1);
	lua_getfield(L, -1, "__index");
	lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
	return 1;
}

void
lp_freeze(lua_State *L)
{
	lua_newtable(L);
	lua_newtable(L);
	lua_pushvalue(L, -3);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, ro_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_pushcfunction(L, ro_len);
	lua_setfield(L, -2, "__len");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_pushboolean(L, 1);
	lua_setfield(L, -2, "__frozen");
	lua_setmetatable(L, -2);
	lua_remove(L, -2);
}

/* The same for a table of plain data and every table in it. */
static void
freeze_deep(lua_State *L, int depth)
{
	int t = lua_gettop(L);

	if (depth > LP_DEPTH)
		luaL_error(L, "upvalue tables nested too deeply");
	lua_pushnil(L);
	while (lua_next(L, t)) {
		if (lua_type(L, -1) == LUA_TTABLE) {
			freeze_deep(L, depth + 1);
			lua_pushvalue(L, -2);
			lua_insert(L, -2);
			lua_rawset(L, t);
		} else {
			lua_pop(L, 1);
		}
	}
	lp_freeze(L);
}

/* The table whose contents the value at idx shows: a read-only view's, or itself. */
static int
contents(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	if (lua_getmetatable(L, idx)) {
		if (lua_getfield(L, -1, "__frozen") == LUA_TBOOLEAN) {
			lua_getfield(L, -2, "__index");
			lua_replace(L, -3);
			lua_pop(L, 1);
			return lua_gettop(L);
		}
		lua_pop(L, 2);
	}
	lua_pushvalue(L, idx);
	return lua_gettop(L);
}

/* ---- the sandbox's own library functions ---------------------------------------------- */

struct okey {
	int rank; /* numbers, strings, false, true */
	bool isint;
	lua_Integer i;
	lua_Number n;
	const char *s;
	size_t len;
	int pos;  /* in the key list */
};

static int
okey_cmp(const void *pa, const void *pb)
{
	const struct okey *a = pa, *b = pb;

	if (a->rank != b->rank)
		return a->rank - b->rank;
	if (a->rank == 0) {
		if (a->isint && b->isint)
			return a->i < b->i ? -1 : a->i > b->i;
		lua_Number x = a->isint ? (lua_Number)a->i : a->n, y = b->isint ? (lua_Number)b->i : b->n;
		return x < y ? -1 : x > y;
	}
	if (a->rank == 1) {
		int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);

		return c != 0 ? c : a->len < b->len ? -1 : a->len > b->len;
	}
	return 0;
}

static int
pairs_next(lua_State *L)
{
	lua_Integer i = lua_tointeger(L, lua_upvalueindex(3));

	for (;;) {
		i++;
		if (lua_rawgeti(L, lua_upvalueindex(2), i) == LUA_TNIL)
			return 1;
		lua_pushvalue(L, -1);
		if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
			break;
		lua_pop(L, 2); /* removed since: skipped, as next would */
	}
	lua_pushinteger(L, i);
	lua_replace(L, lua_upvalueindex(3));
	return 2;
}

/* pairs(t): every key in a fixed order, so no result depends on the hash seed. */
int
lp_pairs(lua_State *L)
{
	int t, keys;
	lua_Integer n = 0;
	struct okey *k;

	luaL_checktype(L, 1, LUA_TTABLE);
	t = contents(L, 1);
	lua_newtable(L);
	keys = lua_gettop(L);
	lua_pushnil(L);
	while (lua_next(L, t)) {
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		lua_rawseti(L, keys, ++n);
	}
	lx_charge(L, (uint64_t)n * 4);
	k = lua_newuserdatauv(L, sizeof(*k) * (size_t)(n ? n : 1), 0);
	for (lua_Integer i = 0; i < n; i++) {
		struct okey *o = &k[i];

		lua_rawgeti(L, keys, i + 1);
		*o = (struct okey){.pos = (int)i + 1};
		switch (lua_type(L, -1)) {
		case LUA_TNUMBER:
			o->isint = lua_isinteger(L, -1);
			o->i = lua_tointeger(L, -1);
			o->n = lua_tonumber(L, -1);
			break;
		case LUA_TSTRING:
			o->rank = 1;
			o->s = lua_tolstring(L, -1, &o->len); /* kept alive by keys */
			break;
		case LUA_TBOOLEAN:
			o->rank = 2 + lua_toboolean(L, -1);
			break;
		default:
			return luaL_error(L, "pairs: a key of type %s has no fixed order (route maps "
			    "visit keys in order)", luaL_typename(L, -1));
		}
		lua_pop(L, 1);
	}
	qsort(k, (size_t)n, sizeof(*k), okey_cmp);
	lua_newtable(L);
	for (lua_Integer i = 0; i < n; i++) {
		lua_rawgeti(L, keys, k[i].pos);
		lua_rawseti(L, -2, i + 1);
	}
	lua_pushvalue(L, t);
	lua_insert(L, -2);
	lua_pushinteger(L, 0);
	lua_pushcclosure(L, pairs_next, 3);
	return 1;
}

/* tostring: a table's or function's text would be its address, which differs between runs. */
static int
l_tostring(lua_State *L)
{
	luaL_checkany(L, 1);
	switch (lua_type(L, 1)) {
	case LUA_TNIL: case LUA_TBOOLEAN: case LUA_TNUMBER: case LUA_TSTRING:
		luaL_tolstring(L, 1, NULL);
		break;
	default:
		lua_pushstring(L, luaL_typename(L, 1));
	}
	return 1;
}

/* string.format without %p and without tables' or functions' text (addresses, again). */
static int
l_format(lua_State *L)
{
	const char *f = luaL_checkstring(L, 1);
	int top = lua_gettop(L);

	for (const char *p = f; *p; p++) {
		if (*p != '%')
			continue;
		if (*++p == '%')
			continue;
		while (*p && strchr("-+ #0123456789.", *p))
			p++;
		if (*p == 'p')
			return luaL_error(L, "string.format: '%%p' is an address, which route maps "
			    "never see");
		if (*p == '\0')
			break;
	}
	for (int i = 2; i <= top; i++)
		switch (lua_type(L, i)) {
		case LUA_TNIL: case LUA_TBOOLEAN: case LUA_TNUMBER: case LUA_TSTRING:
			break;
		default:
			return luaL_argerror(L, i, "a table or function has no text in a route map");
		}
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, top, 1);
	return 1;
}

/* Copy names from the library table at lib (or all of it: names NULL) into a new table. */
static void
copy_lib(lua_State *L, int lib, const char *const *names, const char *const *drop)
{
	lua_newtable(L);
	if (names) {
		for (; *names; names++) {
			lua_getfield(L, lib, *names);
			lua_setfield(L, -2, *names);
		}
		return;
	}
	lua_pushnil(L);
	while (lua_next(L, lib)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, -4);
	}
	for (; drop && *drop; drop++) {
		lua_pushnil(L);
		lua_setfield(L, -2, *drop);
	}
}

/*
 * The globals every call sees (read-only): the base functions that only
 * compute, string (with the step-limited matcher), table, math without
 * random, utf8. No load, require, print, next, raw access to tables,
 * metatables, coroutines, os, io or debug.
 */
static int
open_env(lua_State *L)
{
	static const char *const base[] = {"assert", "error", "ipairs", "pcall", "select", "tonumber",
		"type", "xpcall", "rawequal", "_VERSION", NULL};
	static const char *const no_random[] = {"random", "randomseed", NULL};
	static const luaL_Reg str_funcs[] = {
		{"find", lx_find}, {"match", lx_match}, {"gmatch", lx_gmatch}, {"gsub", lx_gsub},
		{NULL, NULL},
	};
	int g, env;

	static const luaL_Reg libs[] = {
		{LUA_GNAME, luaopen_base}, {LUA_STRLIBNAME, luaopen_string},
		{LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
		{LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL},
	};

	for (const luaL_Reg *l = libs; l->name; l++) {
		luaL_requiref(L, l->name, l->func, 1);
		lua_pop(L, 1);
	}
	lua_pushglobaltable(L);
	g = lua_gettop(L);
	copy_lib(L, g, base, NULL);
	env = lua_gettop(L);
	lua_pushcfunction(L, lp_pairs);
	lua_setfield(L, env, "pairs");
	lua_pushcfunction(L, l_tostring);
	lua_setfield(L, env, "tostring");
	/*
	 * string is also the strings' metatable's __index (("x"):find()), which
	 * nothing in the sandbox can reach to change: patch it in place.
	 */
	lua_getfield(L, g, "string");
	luaL_setfuncs(L, str_funcs, 0);
	lua_getfield(L, -1, "format");
	lua_pushcclosure(L, l_format, 1);
	lua_setfield(L, -2, "format");
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	lp_freeze(L);
	lua_setfield(L, env, "string");
	lua_getfield(L, g, "table");
	copy_lib(L, lua_gettop(L), NULL, NULL);
	lp_freeze(L);
	lua_setfield(L, env, "table");
	lua_pop(L, 1);
	lua_getfield(L, g, "math");
	copy_lib(L, lua_gettop(L), NULL, no_random);
	lp_freeze(L);
	lua_setfield(L, env, "math");
	lua_pop(L, 1);
	lua_getfield(L, g, "utf8");
	copy_lib(L, lua_gettop(L), NULL, NULL);
	lp_freeze(L);
	lua_setfield(L, env, "utf8");
	lua_pop(L, 1);
	lua_pushvalue(L, env);
	lp_freeze(L);
	lua_setfield(L, LUA_REGISTRYINDEX, "netsim.policy.env");
	lua_newtable(L);
	lua_setfield(L, LUA_REGISTRYINDEX, "netsim.policy.cache");
	return 0;
}

static int
panic(lua_State *L)
{
	fatalx("unprotected Lua error in a route map: %s", lua_tostring(L, -1));
}

static void
close_all(void)
{
	policy_lua_shutdown();
}

/* This thread's state, made on first use. */
static struct lp_state *
state(void)
{
	struct lp_state *t;
	lua_State *L;

	if (tl != NULL)
		return tl;
	t = xcalloc(1, sizeof(*t));
	if ((L = lua_newstate(lp_alloc, t)) == NULL)
		fatalx("out of memory creating a route map's Lua state");
	t->s.L = L;
	t->s.budget_max = POLICY_LUA_BUDGET;
	*(struct script **)lua_getextraspace(L) = &t->s;
	lua_atpanic(L, panic);
	lua_pushcfunction(L, open_env);
	if (lua_pcall(L, 0, 0, 0) != LUA_OK)
		fatalx("a route map's Lua state: %s", lua_tostring(L, -1));
	pthread_mutex_lock(&lp_mu);
	t->next = lp_all;
	lp_all = t;
	if (!lp_hooked) {
		lp_hooked = true;
		atexit(close_all);
	}
	pthread_mutex_unlock(&lp_mu);
	return tl = t;
}

void
policy_lua_shutdown(void)
{
	pthread_mutex_lock(&lp_mu);
	while (lp_all != NULL) {
		struct lp_state *t = lp_all;

		lp_all = t->next;
		lua_close(t->s.L);
		free(t);
	}
	pthread_mutex_unlock(&lp_mu);
	/* Other threads' pointers dangle now: they must not run a policy again (exit, tests). */
	tl = NULL;
}

/* ---- compiling ------------------------------------------------------------------------ */

/* Push p's cache entry in this state: {function, upvalue values (a dump's)}. */
static void
push_entry(lua_State *L, const struct policy_lua *p)
{
	int cache, e;

	lua_getfield(L, LUA_REGISTRYINDEX, "netsim.policy.cache");
	cache = lua_gettop(L);
	if (lua_rawgeti(L, cache, (lua_Integer)p->id) == LUA_TTABLE) {
		lua_remove(L, cache);
		return;
	}
	lua_pop(L, 1);
	lua_newtable(L);
	e = lua_gettop(L);
	if (p->dump == NULL) {
		if (luaL_loadbufferx(L, p->src, p->len, p->chunk, "t") != LUA_OK)
			lua_error(L);
	} else {
		const struct lp_dump *d = p->dump;

		/* Made by string.dump in this process (never configuration text). */
		if (luaL_loadbufferx(L, d->code, d->len, p->chunk, "b") != LUA_OK)
			lua_error(L);
		if (luaL_loadbufferx(L, d->upv, strlen(d->upv), "=(upvalues)", "t") != LUA_OK)
			lua_error(L);
		lua_getfield(L, LUA_REGISTRYINDEX, "netsim.policy.env");
		lua_setupvalue(L, -2, 1);
		lua_call(L, 0, d->nup);
		{
			int first = lua_gettop(L) - d->nup + 1;

			lua_createtable(L, d->nup, 0);
			for (int i = 1; i <= d->nup; i++) {
				lua_pushvalue(L, first + i - 1);
				if (lua_type(L, -1) == LUA_TTABLE)
					freeze_deep(L, 0);
				lua_rawseti(L, -2, i);
			}
			lua_rawseti(L, e, 2);
			lua_settop(L, first - 1);
		}
	}
	lua_rawseti(L, e, 1);
	lua_pushvalue(L, e);
	lua_rawseti(L, cache, (lua_Integer)p->id);
	lua_remove(L, cache);
}

static bool
all_digits(const char *s, size_t n)
{
	return n > 0 && strspn(s, "0123456789") >= n;
}

/*
 * where -> chunk name "@file", and newlines before the source so that Lua's
 * line numbers are the file's. where is "file", "file:line" or
 * "file:line:col" (a YAML node's position, as cfg reports it). A source of
 * several lines given at a YAML node is a block scalar (`lua: |`), whose
 * text starts on the line after the node's (the `|`); a one-line source is
 * on the node's own line. A file of its own (lua_file) is given as "file"
 * or "file:1" (a topology's route map is never on its first line).
 */
static void
pad_lines(struct strbuf *sb, const char *where, const char *src, size_t len, char *file,
    size_t filecap)
{
	size_t flen = strlen(where);
	const char *c1 = strrchr(where, ':'), *c2 = NULL;
	long line = 0;

	if (c1 != NULL && all_digits(c1 + 1, strlen(c1 + 1))) {
		flen = (size_t)(c1 - where);
		line = strtol(c1 + 1, NULL, 10);
		c2 = memrchr(where, ':', flen);
		if (c2 != NULL && all_digits(c2 + 1, flen - (size_t)(c2 + 1 - where))) {
			line = strtol(c2 + 1, NULL, 10); /* file:line:col */
			flen = (size_t)(c2 - where);
		}
	}
	snprintf(file, filecap, "@%.*s", (int)flen, where);
	if (line > 1 && memchr(src, '\n', len) != NULL)
		line++;
	for (long i = 1; i < line && i < 10000000; i++)
		sb_addc(sb, '\n');
}

/* Is src the token lx_policy_function put in the cfg tree for function n? */
static bool
is_token(const char *src, size_t len, size_t *n)
{
	char tok[64], again[64];

	if (len >= sizeof(tok))
		return false;
	memcpy(tok, src, len);
	tok[len] = '\0';
	if (sscanf(tok, LP_TOKEN_FMT, n) != 1)
		return false;
	snprintf(again, sizeof(again), LP_TOKEN_FMT, *n);
	return strcmp(again, tok) == 0;
}

struct policy_lua *
policy_lua_new(const char *src, size_t len, const char *where, char *err, size_t errlen)
{
	struct policy_lua *p = xcalloc(1, sizeof(*p));
	struct strbuf sb = STRBUF_INIT;
	char file[512];
	size_t n;

	p->id = atomic_fetch_add(&lp_ids, 1) + 1;
	p->where = xstrdup(where ? where : "?");
	pad_lines(&sb, p->where, src, len, file, sizeof(file));
	p->chunk = xstrdup(file);
	if (is_token(src, len, &n)) {
		p->dump = lp_dump_get(n);
		sb_free(&sb);
		if (p->dump == NULL) {
			snprintf(err, errlen, "no Lua topology function #%zu in this run (this text "
			    "stands for a function of a Lua topology, and cannot be written by hand)", n);
			policy_lua_free(p);
			return NULL;
		}
		return p;
	}
	/*
	 * The source is the body of function(route): `route` is its argument
	 * (a chunk's `...` too), and what it returns is the verdict, unless it
	 * returns a function, which is then called with the route. So
	 * `return function(route) ... end` and a bare body both work, and the
	 * prefix stays on the first line, keeping line numbers.
	 */
	sb_add(&sb, "local route = ...; ");
	sb_addn(&sb, src, len);
	p->len = sb.len;
	p->src = sb_steal(&sb);
	{
		lua_State *L = luaL_newstate();
		bool ok;

		if (L == NULL)
			fatalx("out of memory compiling a route map");
		ok = luaL_loadbufferx(L, p->src, p->len, p->chunk, "t") == LUA_OK;
		if (!ok)
			snprintf(err, errlen, "%s", lua_tostring(L, -1));
		lua_close(L);
		if (!ok) {
			policy_lua_free(p);
			return NULL;
		}
	}
	return p;
}

void
policy_lua_free(struct policy_lua *p)
{
	if (p == NULL)
		return;
	/* Between ticks: no thread runs a policy, so their caches may be touched from here. */
	pthread_mutex_lock(&lp_mu);
	for (struct lp_state *t = lp_all; t != NULL; t = t->next) {
		lua_State *L = t->s.L;

		lua_getfield(L, LUA_REGISTRYINDEX, "netsim.policy.cache");
		lua_pushnil(L);
		lua_rawseti(L, -2, (lua_Integer)p->id);
		lua_pop(L, 1);
	}
	pthread_mutex_unlock(&lp_mu);
	free(p->where);
	free(p->chunk);
	free(p->src);
	free(p);
}

uint64_t
policy_lua_errors(const struct policy_lua *p)
{
	return atomic_load(&p->errors);
}

/* ---- running -------------------------------------------------------------------------- */

struct lp_call {
	const struct policy_lua *p;
	struct policy_route *r;
	struct lp_out out;
	enum policy_verdict v;
};

static int
verdict(lua_State *L, int idx)
{
	switch (lua_type(L, idx)) {
	case LUA_TBOOLEAN:
		return lua_toboolean(L, idx) ? POLICY_PERMIT : POLICY_DENY;
	case LUA_TSTRING: {
		const char *s = lua_tostring(L, idx);

		if (strcmp(s, "accept") == 0 || strcmp(s, "permit") == 0)
			return POLICY_PERMIT;
		if (strcmp(s, "reject") == 0 || strcmp(s, "deny") == 0)
			return POLICY_DENY;
		break;
	}
	case LUA_TNIL:
		return luaL_error(L, "the route map returned no verdict (return true or false, "
		    "\"accept\" or \"reject\")");
	}
	return luaL_error(L, "the route map returned %s: expected true or false, \"accept\" or "
	    "\"reject\"", lp_show(L, idx));
}

static int
run(lua_State *L)
{
	struct lp_call *c = lua_touserdata(L, 1);
	const struct policy_lua *p = c->p;
	int entry, orig, route, base, nres;

	lua_settop(L, 0);
	push_entry(L, p);
	entry = lua_gettop(L);
	lp_push_route(L, c->r);
	route = lua_gettop(L);
	orig = route - 1;
	base = lua_gettop(L);
	lua_rawgeti(L, entry, 1);
	if (p->dump != NULL) {
		lua_rawgeti(L, entry, 2);
		for (int i = 1; i <= p->dump->nup; i++) {
			if (i == p->dump->env)
				lua_getfield(L, LUA_REGISTRYINDEX, "netsim.policy.env");
			else
				lua_rawgeti(L, -1, i);
			lua_setupvalue(L, -3, i);
		}
		lua_pop(L, 1);
	} else {
		lua_getfield(L, LUA_REGISTRYINDEX, "netsim.policy.env");
		lua_setupvalue(L, -2, 1);
	}
	lua_pushvalue(L, route);
	lua_call(L, 1, LUA_MULTRET);
	if (lua_gettop(L) > base && lua_type(L, base + 1) == LUA_TFUNCTION) {
		lua_settop(L, base + 1);
		lua_pushvalue(L, route);
		lua_call(L, 1, LUA_MULTRET);
	}
	if ((nres = lua_gettop(L) - base) == 0)
		lua_pushnil(L);
	c->v = verdict(L, base + 1);
	if (c->v == POLICY_DENY)
		return 0;
	if (nres >= 2 && !lua_isnil(L, base + 2)) {
		if (!lua_istable(L, base + 2))
			luaL_error(L, "the route map's changes (its second result) must be a table, "
			    "not %s", lp_show(L, base + 2));
		lua_pushnil(L);
		while (lua_next(L, base + 2)) {
			lua_pushvalue(L, -2);
			lua_insert(L, -2);
			lua_rawset(L, route);
		}
	}
	lua_settop(L, route);
	lp_read_back(L, c->r, route, orig, &c->out);
	return 0;
}

enum policy_verdict
policy_lua_apply(struct policy_lua *p, struct policy_route *r)
{
	struct lp_state *t = state();
	lua_State *L = t->s.L;
	struct lp_call c = {.p = p, .r = r, .v = POLICY_DENY};
	int rc;

	c.out.a = *r->attr;
	c.out.tag = r->tag;
	c.out.nh_peer = r->nh_peer;
	c.out.nh_unchanged = r->nh_unchanged;
	c.out.used = r->used;
	t->s.budget_used = 0;
	t->s.budget_out = false;
	t->s.budget_on = true;
	t->limit = t->mem + POLICY_LUA_MEM;
	lua_sethook(L, lp_hook, LUA_MASKCOUNT, LP_STEP);
	lua_pushcfunction(L, run);
	lua_pushlightuserdata(L, &c);
	rc = lua_pcall(L, 1, 0, 0);
	lua_sethook(L, NULL, 0, 0);
	t->s.budget_on = t->s.budget_out = false;
	t->limit = 0;
	if (rc != LUA_OK) {
		const char *msg = rc == LUA_ERRMEM ? NULL : lua_tostring(L, -1);
		char mem[64];

		if (rc == LUA_ERRMEM) {
			snprintf(mem, sizeof(mem), "lua: memory limit (%zu MB a call) exceeded",
			    POLICY_LUA_MEM >> 20);
			msg = mem;
		}
		atomic_fetch_add(&p->errors, 1);
		if (!atomic_exchange(&p->reported, true))
			log_warn("%s: Lua route map: %s (the route is denied; later errors of this "
			    "route map deny their routes without a message)", p->where,
			    msg ? msg : "(an error object that is not a string)");
		c.v = POLICY_DENY;
	} else if (c.v == POLICY_PERMIT) {
		*r->attr = c.out.a;
		r->tag = c.out.tag;
		r->nh_peer = c.out.nh_peer;
		r->nh_unchanged = c.out.nh_unchanged;
		r->used = c.out.used;
	}
	lua_settop(L, 0);
	if (t->over) {
		/* What the failed call built is garbage now: give it back before the next. */
		lua_gc(L, LUA_GCCOLLECT);
		t->over = false;
	}
	return c.v;
}
