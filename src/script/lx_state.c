/*
 * lx_state.c: the Lua state: sandbox, limits, embedded modules, output, and
 * the one protected-call helper every C->Lua call goes through.
 *
 * Sandbox (docs/security.md; docs/lua-api.md, "Determinism and safety"):
 *   - math.random/math.randomseed draw from the engine's generator (seeded
 *     from the network's seed), never from the C library;
 *   - os has only time, clock, date (simulated time, UTC) and difftime: no
 *     exit, execute, getenv, remove, rename, tmpname;
 *   - io has only write (it goes where print goes): no open, lines, popen,
 *     no stdin; files are read only by netsim.load, require and the
 *     console's load, under the topology's directory (lx_path.c);
 *   - no package.loadlib / C modules, no dofile/loadfile, load() takes text
 *     only; require finds the embedded netsim modules and NAME.lua beside
 *     the scenario; debug has only traceback;
 *   - string.find, match, gmatch and gsub have a step limit (lx_match.c);
 *     setmetatable refuses __gc (finalizers run with the hooks off);
 *   - limits: a counting allocator caps the state's memory; an instruction
 *     budget per top-level call (and per callback of a scenario, whose main
 *     chunk alone is not counted) that pcall cannot catch;
 *   - `netsim run --unsafe-lua` (o.unsafe_lua) gives back the io library,
 *     os's host functions and files anywhere; the limits stay;
 *   - pairs() visits keys in sorted order (lua/netsim/init.lua): Lua's hash
 *     seed changes from run to run, and the same inputs must give
 *     byte-identical output.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "lx.h"

/* The generated table of lua/netsim/NAME.lua (tests/tools/embed.sh). */
struct lua_embed {
	const char *name;
	const char *src;
	size_t len;
};
extern const struct lua_embed lua_embedded[];

struct script *
lx_script(lua_State *L)
{
	return *(struct script **)lua_getextraspace(L);
}

/* ---- output ------------------------------------------------------------------------- */

static void
drain_runners(struct script *s, struct strbuf *to)
{
	for (size_t i = 0; i < s->nslots; i++) {
		struct lx_net *ln = s->slots[i].ln;

		if (ln == NULL || !ln->fifo_open)
			continue;
		fclose(ln->fifo);
		sb_addn(to, ln->fifo_buf, ln->fifo_len);
		free(ln->fifo_buf);
		ln->fifo = open_memstream(&ln->fifo_buf, &ln->fifo_len);
		if (ln->fifo == NULL)
			fatalx("open_memstream failed");
		if (ln->run != NULL)
			ln->run->out = ln->fifo;
	}
}

void
lx_out(struct script *s, const char *str, size_t len)
{
	if (s->o.mode == SCRIPT_LIVE) {
		struct strbuf *to = s->sink ? s->sink : &s->pending;

		drain_runners(s, to);
		sb_addn(to, str, len);
		return;
	}
	if (s->sink != NULL) {
		sb_addn(s->sink, str, len);
		return;
	}
	fwrite(str, 1, len, s->o.out);
}

void
script_take_output(struct script *s, struct strbuf *out)
{
	drain_runners(s, &s->pending);
	sb_add(out, sb_str(&s->pending));
	sb_reset(&s->pending);
}

static void
vreport(struct script *s, const char *fmt, va_list ap)
{
	struct strbuf b = STRBUF_INIT;

	sb_vprintf(&b, fmt, ap);
	if (b.len == 0 || b.s[b.len - 1] != '\n')
		sb_addc(&b, '\n');
	if (s->o.mode == SCRIPT_LIVE || s->sink != NULL) {
		lx_out(s, b.s, b.len);
	} else {
		fflush(s->o.out);
		fputs(b.s, s->o.err);
		fflush(s->o.err);
	}
	sb_free(&b);
}

void
lx_report(struct script *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(s, fmt, ap);
	va_end(ap);
}

void
lx_fail(struct script *s, const char *fmt, ...)
{
	va_list ap;

	s->failures++;
	va_start(ap, fmt);
	vreport(s, fmt, ap);
	va_end(ap);
}

int
script_failures(struct script *s)
{
	return s->failures;
}

/* ---- protected calls ---------------------------------------------------------------- */

static int
msgh(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);

	if (msg == NULL) {
		if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
			msg = lua_tostring(L, -1);
		else
			msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
	}
	luaL_traceback(L, L, msg, 1);
	return 1;
}

/*
 * The budget of a counted call. Once spent, the hook fires on every
 * instruction of every thread it reaches and raises again: a pcall (or a
 * coroutine.resume) that caught the first error cannot carry on, and the
 * error reaches the counted call. The hook's count tells how many
 * instructions ran since it last fired.
 */
static void budget_hook(lua_State *L, lua_Debug *ar);

static uint64_t
budget_limit(const struct script *s)
{
	return s->budget_max ? s->budget_max : LX_BUDGET;
}

static _Noreturn void
budget_spent(lua_State *L, struct script *s)
{
	s->budget_out = true;
	lua_sethook(s->L, budget_hook, LUA_MASKCOUNT, 1);
	lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
	/* No position: at a hook, luaL_error's level 1 would name the caller of the loop. */
	lua_pushfstring(L, "lua: instruction budget exceeded (%I instructions; an endless loop?)",
	    (lua_Integer)budget_limit(s));
	lua_error(L);
	abort(); /* not reached */
}

static void
budget_hook(lua_State *L, lua_Debug *ar)
{
	struct script *s = lx_script(L);
	int count = lua_gethookcount(L);

	(void)ar;
	if (!s->budget_on)
		return; /* a coroutine that kept the hook of an earlier call */
	if (s->budget_out)
		budget_spent(L, s);
	if (count != LX_BUDGET_STEP) /* a coroutine left at 1 by an earlier, spent call */
		lua_sethook(L, budget_hook, LUA_MASKCOUNT, LX_BUDGET_STEP);
	lx_charge(L, (uint64_t)count);
}

void
lx_charge(lua_State *L, uint64_t n)
{
	struct script *s = lx_script(L);

	if (!s->budget_on || s->budget_free)
		return;
	s->budget_used += n;
	if (s->budget_out || s->budget_used > budget_limit(s))
		budget_spent(L, s);
}

/* The state's allocator: counts what it holds, and refuses past the limit (docs/security.md). */
static void *
lx_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct script *s = ud;
	size_t old = ptr != NULL ? osize : 0, limit = LX_MEM_LIMIT;
	void *p;

	if (nsize == 0) {
		free(ptr);
		s->mem_used -= old;
		return NULL;
	}
	if (s->mem_over)
		limit += LX_MEM_GRACE;
	/* Only inside a protected call: outside one, a refusal would be a panic. */
	if (nsize > old && s->depth > 0 && s->mem_used - old + nsize > limit) {
		s->mem_over = true;
		return NULL;
	}
	if ((p = realloc(ptr, nsize)) == NULL)
		return NULL;
	s->mem_used = s->mem_used - old + nsize;
	return p;
}

/*
 * A call gets a budget of its own when it is a top-level call (depth 0) or
 * when the call it is nested in is a scenario's main chunk, which is not
 * counted (`netsim run x.lua` drives the whole simulation from it): then it
 * is a callback of the scenario (a timer, a handler, a command) and counted
 * on its own. A call nested in a counted call shares that call's budget.
 * The main chunk runs with the hook set too, so that the coroutines it makes
 * carry it into the callbacks that resume them.
 */
static int
pcall_raw(struct script *s, int nargs, int nres)
{
	lua_State *L = s->L;
	int base = lua_gettop(L) - nargs, rc;
	bool own = s->depth == 0 || s->budget_free;

	lua_pushcfunction(L, msgh);
	lua_insert(L, base);
	if (own) {
		s->budget_used = 0;
		s->budget_on = true;
		s->budget_out = false;
		s->budget_free = s->depth == 0 && s->next_free;
		s->next_free = false;
		lua_sethook(L, budget_hook, LUA_MASKCOUNT, LX_BUDGET_STEP);
	}
	s->depth++;
	rc = lua_pcall(L, nargs, nres, base);
	s->depth--;
	if (rc == LUA_ERRMEM) {
		/* Lua's own "not enough memory" (no handler runs for it): say which limit. */
		lua_pop(L, 1);
		lua_pushfstring(L, "lua: memory limit (%d MB) exceeded", (int)(LX_MEM_LIMIT >> 20));
	}
	if (own) {
		s->budget_spent = s->budget_out;
		s->budget_out = false;
		s->budget_used = 0;
		if (s->depth == 0) {
			lua_sethook(L, NULL, 0, 0);
			s->budget_on = s->budget_free = false;
		} else {
			/* Back in the scenario's main chunk: not counted, the hook at its pace. */
			s->budget_free = true;
			lua_sethook(L, budget_hook, LUA_MASKCOUNT, LX_BUDGET_STEP);
		}
	}
	if (s->depth == 0) {
		if (s->mem_over) {
			/* What the failed call built is garbage now: give it back before the next. */
			lua_gc(L, LUA_GCCOLLECT);
			s->mem_over = false;
		}
	}
	lua_remove(L, base);
	return rc;
}

int
lx_pcall(struct script *s, int nargs, int nres, const char *what)
{
	if (!lua_checkstack(s->L, 8))
		fatalx("Lua stack overflow");
	s->budget_spent = false;
	if (pcall_raw(s, nargs, nres) == LUA_OK)
		return 0;
	lx_fail(s, "error in %s: %s", what, lua_tostring(s->L, -1));
	lua_pop(s->L, 1);
	if (s->budget_spent && s->o.mode == SCRIPT_RUN && !s->lua_halted) {
		/* It would likely run out again at every event or tick: netsim run ends without it. */
		s->lua_halted = true;
		lx_report(s, "netsim: %s ran out of its instruction budget: the run goes on "
		    "without Lua (no more hooks, timers, handlers or script entries run)", what);
	}
	return -1;
}

int
lx_pcall_msg(struct script *s, int nargs, int nres, struct strbuf *err)
{
	if (!lua_checkstack(s->L, 8))
		fatalx("Lua stack overflow");
	if (pcall_raw(s, nargs, nres) == LUA_OK)
		return 0;
	sb_add(err, lua_tostring(s->L, -1));
	sb_addc(err, '\n');
	lua_pop(s->L, 1);
	return -1;
}

int
lx_protect(struct script *s, lua_CFunction fn, void *ud, const char *what)
{
	if (s->lua_halted) /* netsim run, after a callback ran out of its budget (lx_pcall) */
		return 0;
	lua_pushcfunction(s->L, fn);
	lua_pushlightuserdata(s->L, ud);
	return lx_pcall(s, 1, 0, what);
}

const char *
lx_where(lua_State *L, char *buf, size_t len)
{
	lua_Debug ar;

	for (int level = 1; lua_getstack(L, level, &ar); level++) {
		if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0)
			continue;
		if (strncmp(ar.source, "=[netsim", 8) == 0)
			continue;
		snprintf(buf, len, "%s:%d", ar.short_src, ar.currentline);
		return buf;
	}
	snprintf(buf, len, "?");
	return buf;
}

/* ---- types and small helpers --------------------------------------------------------- */

/* Push the methods table of type tname (nil before lx_newtype). */
static void
push_methods(lua_State *L, const char *tname)
{
	char key[64];

	snprintf(key, sizeof(key), "%s.methods", tname);
	lua_getfield(L, LUA_REGISTRYINDEX, key);
}

void
lx_newtype(lua_State *L, const char *tname, const luaL_Reg *methods, lua_CFunction index,
    lua_CFunction tostring)
{
	char key[64];

	snprintf(key, sizeof(key), "%s.methods", tname);
	luaL_newmetatable(L, tname);
	if (tostring) {
		lua_pushcfunction(L, tostring);
		lua_setfield(L, -2, "__tostring");
	}
	lua_newtable(L);
	if (methods)
		luaL_setfuncs(L, methods, 0);
	lua_pushvalue(L, -1);
	lua_setfield(L, LUA_REGISTRYINDEX, key);
	if (index) {
		lua_pop(L, 1);
		lua_pushcfunction(L, index);
	}
	lua_setfield(L, -2, "__index");
	lua_pop(L, 1);
}

void
lx_addmethods(lua_State *L, const char *tname, const luaL_Reg *methods)
{
	push_methods(L, tname);
	luaL_setfuncs(L, methods, 0);
	lua_pop(L, 1);
}

bool
lx_method(lua_State *L, const char *tname, int key)
{
	key = lua_absindex(L, key);
	push_methods(L, tname);
	lua_pushvalue(L, key);
	lua_rawget(L, -2);
	lua_remove(L, -2);
	if (!lua_isnil(L, -1))
		return true;
	lua_pop(L, 1);
	return false;
}

sim_time
lx_checktime(lua_State *L, int idx)
{
	sim_time t;

	if (lua_type(L, idx) == LUA_TNUMBER) {
		lua_Number ms = lua_tonumber(L, idx);

		if (!(ms >= 0 && ms < 9.0e12))
			luaL_argerror(L, idx, "a duration must be from 0 to 9e12 milliseconds");
		return (sim_time)(ms * (lua_Number)SIM_MS + 0.5);
	}
	if (lua_type(L, idx) != LUA_TSTRING)
		luaL_argerror(L, idx, lua_pushfstring(L, "expected a duration (milliseconds or "
		    "\"500ms\", \"2s\"), got %s", luaL_typename(L, idx)));
	t = sim_time_parse(lua_tostring(L, idx));
	if (t < 0)
		luaL_argerror(L, idx, lua_pushfstring(L, "bad duration '%s' (expected \"500ms\", "
		    "\"2s\", \"250us\" or a number of milliseconds)", lua_tostring(L, idx)));
	return t;
}

sim_time
lx_opttime(lua_State *L, int idx, sim_time dflt)
{
	return lua_isnoneornil(L, idx) ? dflt : lx_checktime(L, idx);
}

sim_time
lx_fieldtime(lua_State *L, int idx, const char *key, sim_time dflt)
{
	sim_time t;

	if (!lua_istable(L, idx))
		return dflt;
	lua_getfield(L, idx, key);
	t = lx_opttime(L, -1, dflt);
	lua_pop(L, 1);
	return t;
}

void
lx_pushtime(lua_State *L, sim_time t)
{
	if (t % SIM_MS == 0)
		lua_pushinteger(L, t / SIM_MS);
	else
		lua_pushnumber(L, (lua_Number)t / SIM_MS);
}

struct rng *
lx_rng(struct script *s)
{
	if (s->cur != NULL && s->cur->net != NULL)
		return &s->cur->rng;
	return &s->rng;
}

/* ---- the sandboxed standard library --------------------------------------------------- */

static int
l_print(lua_State *L)
{
	struct script *s = lx_script(L);
	struct strbuf b = STRBUF_INIT;
	int n = lua_gettop(L);

	for (int i = 1; i <= n; i++) {
		size_t len;
		const char *str = luaL_tolstring(L, i, &len);

		if (i > 1)
			sb_addc(&b, '\t');
		sb_addn(&b, str, len);
		lua_pop(L, 1);
	}
	sb_addc(&b, '\n');
	lx_out(s, b.s, b.len);
	sb_free(&b);
	return 0;
}

static int
l_io_write(lua_State *L)
{
	struct script *s = lx_script(L);
	int n = lua_gettop(L);

	for (int i = 1; i <= n; i++) {
		size_t len;
		const char *str = luaL_checklstring(L, i, &len);

		lx_out(s, str, len);
	}
	return 0;
}

static int
l_random(lua_State *L)
{
	struct rng *r = lx_rng(lx_script(L));
	lua_Integer lo, up;

	switch (lua_gettop(L)) {
	case 0:
		lua_pushnumber(L, (lua_Number)rng_double(r));
		return 1;
	case 1:
		lo = 1;
		up = luaL_checkinteger(L, 1);
		if (up == 0) {
			lua_pushinteger(L, (lua_Integer)rng_next(r));
			return 1;
		}
		break;
	case 2:
		lo = luaL_checkinteger(L, 1);
		up = luaL_checkinteger(L, 2);
		break;
	default:
		return luaL_error(L, "wrong number of arguments");
	}
	luaL_argcheck(L, lo <= up, lua_gettop(L), "interval is empty");
	if ((uint64_t)up - (uint64_t)lo == UINT64_MAX)
		lua_pushinteger(L, (lua_Integer)rng_next(r));
	else
		lua_pushinteger(L, (lua_Integer)((uint64_t)lo +
		    rng_below(r, (uint64_t)up - (uint64_t)lo + 1)));
	return 1;
}

static int
l_randomseed(lua_State *L)
{
	struct script *s = lx_script(L);
	lua_Integer seed;

	if (lua_isnoneornil(L, 1))
		seed = (lua_Integer)(s->cur && s->cur->net ? s->cur->net->seed : s->o.seed);
	else
		seed = (lua_Integer)luaL_checknumber(L, 1);
	rng_seed(lx_rng(s), (uint64_t)seed, 0);
	return 0;
}

static sim_time
sim_now(struct script *s)
{
	return s->cur != NULL && s->cur->net != NULL ? s->cur->net->sim.now : 0;
}

static int
l_os_time(lua_State *L)
{
	struct tm tm = {0};

	if (lua_isnoneornil(L, 1)) {
		lua_pushinteger(L, sim_now(lx_script(L)) / SIM_S);
		return 1;
	}
	/* A date table: computed in UTC, so that the host's time zone cannot change it. */
	luaL_checktype(L, 1, LUA_TTABLE);
#define FIELD(f, k, d, off)                                                                     \
	do {                                                                                     \
		lua_getfield(L, 1, k);                                                           \
		tm.f = (int)(lua_isnil(L, -1) ? (d) : luaL_checkinteger(L, -1)) - (off);         \
		lua_pop(L, 1);                                                                   \
	} while (0)
	FIELD(tm_year, "year", -1, 1900);
	FIELD(tm_mon, "month", -1, 1);
	FIELD(tm_mday, "day", -1, 0);
	FIELD(tm_hour, "hour", 12, 0);
	FIELD(tm_min, "min", 0, 0);
	FIELD(tm_sec, "sec", 0, 0);
#undef FIELD
	if (tm.tm_year < -1899 || tm.tm_mon < 0 || tm.tm_mday < 0)
		return luaL_error(L, "os.time: the table needs year, month and day");
	lua_pushinteger(L, (lua_Integer)timegm(&tm));
	return 1;
}

static int
l_os_clock(lua_State *L)
{
	lua_pushnumber(L, (lua_Number)sim_now(lx_script(L)) / SIM_S);
	return 1;
}

/* os.date(fmt, t): t defaults to the simulated time; always UTC. */
static int
l_os_date(lua_State *L)
{
	const char *fmt = luaL_optstring(L, 1, "%c");
	bool have_t = !lua_isnoneornil(L, 2);

	lua_settop(L, 2);
	lua_pushvalue(L, lua_upvalueindex(1));
	if (*fmt != '!')
		lua_pushfstring(L, "!%s", fmt);
	else
		lua_pushstring(L, fmt);
	if (!have_t)
		lua_pushinteger(L, sim_now(lx_script(L)) / SIM_S);
	else
		lua_pushvalue(L, 2);
	lua_call(L, 2, 1);
	return 1;
}

/* load(chunk [, name [, mode [, env]]]): text chunks only. */
static int
l_load(lua_State *L)
{
	int n = lua_gettop(L);

	lua_settop(L, 4);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_pushvalue(L, 1);
	lua_pushvalue(L, 2);
	lua_pushliteral(L, "t");
	if (n >= 4)
		lua_pushvalue(L, 4);
	lua_call(L, n >= 4 ? 4 : 3, 2);
	return 2;
}

/*
 * setmetatable(t, mt) without __gc: Lua runs finalizers with the debug hooks
 * off, so a finalizer would escape the instruction budget.
 */
static int
l_setmetatable(lua_State *L)
{
	if (lua_type(L, 2) == LUA_TTABLE) {
		lua_pushliteral(L, "__gc");
		if (lua_rawget(L, 2) != LUA_TNIL)
			return luaL_argerror(L, 2, "__gc metamethods are not available to sandboxed Lua");
		lua_pop(L, 1);
	}
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

static bool
load_embedded(lua_State *L, const char *mod)
{
	for (const struct lua_embed *e = lua_embedded; e->name != NULL; e++) {
		char chunk[96];

		if (strcmp(e->name, mod) != 0)
			continue;
		snprintf(chunk, sizeof(chunk), "=[%s]", e->name);
		if (luaL_loadbufferx(L, e->src, e->len, chunk, "t") != LUA_OK)
			lua_error(L);
		return true;
	}
	return false;
}

/* require: package.loaded, then the embedded netsim modules, then NAME.lua beside the scenario. */
static int
l_require(lua_State *L)
{
	struct script *s = lx_script(L);
	const char *name = luaL_checkstring(L, 1);
	const char *mod = strcmp(name, "netsim") == 0 ? "netsim.init" : name;

	lua_settop(L, 1);
	lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
	lua_getfield(L, 2, name);
	if (!lua_isnil(L, -1))
		return 1;
	lua_pop(L, 1);
	if (!load_embedded(L, mod)) {
		struct strbuf path = STRBUF_INIT, why = STRBUF_INIT;

		if (strchr(name, '/') != NULL || strstr(name, "..") != NULL || *name == '.')
			return luaL_error(L, "module '%s' not found (names are dotted: a.b for a/b.lua)",
			    name);
		char *real;

		sb_printf(&path, "%s/", s->main_dir ? s->main_dir : ".");
		for (const char *c = name; *c; c++)
			sb_addc(&path, *c == '.' ? '/' : *c);
		sb_add(&path, ".lua");
		real = script_path(s, path.s, &why);
		sb_free(&path);
		if (real == NULL || luaL_loadfilex(L, real, "t") != LUA_OK) {
			const char *msg = real != NULL ? lua_tostring(L, -1) : sb_str(&why);

			lua_pushfstring(L, "module '%s' not found: no netsim module of that name, "
			    "and %s", name, msg ? msg : "?");
			free(real);
			sb_free(&why);
			return lua_error(L);
		}
		free(real);
	}
	lua_pushstring(L, name);
	lua_call(L, 1, 1);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushboolean(L, 1);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, 2, name);
	return 1;
}

void
lx_require(lua_State *L, const char *mod)
{
	lua_pushcfunction(L, l_require);
	lua_pushstring(L, mod);
	lua_call(L, 1, 1);
}

/*
 * Cut the global library table lib down to a new table of names (or keep it
 * whole: names NULL), then put funcs in it (the sandbox's own versions).
 */
static void
keep(lua_State *L, const char *lib, const char *const *names, const luaL_Reg *funcs)
{
	lua_getglobal(L, lib);
	if (names) {
		lua_newtable(L);
		for (; *names; names++) {
			lua_getfield(L, -2, *names);
			lua_setfield(L, -2, *names);
		}
		lua_replace(L, -2);
		lua_pushvalue(L, -1);
		lua_setglobal(L, lib);
	}
	if (funcs)
		luaL_setfuncs(L, funcs, 0);
	lua_pop(L, 1);
}

static int
open_sandbox(lua_State *L)
{
	static const luaL_Reg libs[] = {
		{LUA_GNAME, luaopen_base}, {LUA_TABLIBNAME, luaopen_table},
		{LUA_STRLIBNAME, luaopen_string}, {LUA_MATHLIBNAME, luaopen_math},
		{LUA_UTF8LIBNAME, luaopen_utf8}, {LUA_COLIBNAME, luaopen_coroutine},
		{LUA_OSLIBNAME, luaopen_os}, {LUA_IOLIBNAME, luaopen_io},
		{LUA_DBLIBNAME, luaopen_debug}, {NULL, NULL},
	};
	static const char *const io_keep[] = {NULL};
	static const char *const dbg_keep[] = {"traceback", NULL};
	static const char *const os_keep[] = {"difftime", NULL};
	/* --unsafe-lua: the host's side of os comes back (time, clock and date stay simulated). */
	static const char *const os_unsafe[] = {"difftime", "execute", "exit", "getenv", "remove",
		"rename", "tmpname", NULL};
	static const luaL_Reg str_funcs[] = {
		{"find", lx_find}, {"match", lx_match}, {"gmatch", lx_gmatch}, {"gsub", lx_gsub},
		{NULL, NULL},
	};
	bool unsafe = lx_script(L)->o.unsafe_lua;
	static const luaL_Reg os_funcs[] = {
		{"time", l_os_time}, {"clock", l_os_clock}, {NULL, NULL},
	};
	static const luaL_Reg io_funcs[] = {{"write", l_io_write}, {NULL, NULL}};
	static const luaL_Reg math_funcs[] = {
		{"random", l_random}, {"randomseed", l_randomseed}, {NULL, NULL},
	};

	for (const luaL_Reg *l = libs; l->name; l++) {
		luaL_requiref(L, l->name, l->func, 1);
		lua_pop(L, 1);
	}
	/* os: simulated time only; date wraps the library's (still in package.loaded). */
	keep(L, "os", unsafe ? os_unsafe : os_keep, os_funcs);
	lua_getglobal(L, "os");
	lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
	lua_getfield(L, -1, "os");
	lua_getfield(L, -1, "date");
	lua_pushcclosure(L, l_os_date, 1);
	lua_setfield(L, -4, "date");
	lua_pop(L, 3);
	keep(L, "io", unsafe ? NULL : io_keep, io_funcs);
	keep(L, "string", NULL, str_funcs);
	keep(L, "debug", dbg_keep, NULL);
	keep(L, "math", NULL, math_funcs);
	lua_getglobal(L, "string");
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	lua_pop(L, 1);
	lua_pushnil(L);
	lua_setglobal(L, "dofile");
	lua_pushnil(L);
	lua_setglobal(L, "loadfile");
	lua_getglobal(L, "load");
	lua_pushcclosure(L, l_load, 1);
	lua_setglobal(L, "load");
	lua_getglobal(L, "setmetatable");
	lua_pushcclosure(L, l_setmetatable, 1);
	lua_setglobal(L, "setmetatable");
	lua_pushcfunction(L, l_print);
	lua_setglobal(L, "print");
	lua_pushcfunction(L, l_require);
	lua_setglobal(L, "require");
	/* package: only `loaded` (no loadlib, cpath, searchers). */
	lua_newtable(L);
	lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
	lua_setfield(L, -2, "loaded");
	lua_setglobal(L, "package");
	/* The library modules loaded by the standard openers stay in package.loaded: hide them. */
	lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
	for (const luaL_Reg *l = libs; l->name; l++) {
		lua_getglobal(L, l->name);
		lua_setfield(L, -2, l->name);
	}
	lua_pop(L, 1);
	/* The C core, then the Lua library on top of it. */
	luaL_requiref(L, "netsim.core", lx_netfuncs, 0);
	lua_pop(L, 1);
	lx_require(L, "netsim");
	lua_setglobal(L, "netsim");
	lx_require(L, "netsim.expect");
	lua_setglobal(L, "expect");
	lx_require(L, "netsim.chaos");
	lua_setglobal(L, "chaos");
	return 0;
}

static int
panic(lua_State *L)
{
	fatalx("unprotected Lua error: %s", lua_tostring(L, -1));
}

struct script *
script_new(const struct script_opts *o)
{
	struct script *s = xcalloc(1, sizeof(*s));
	lua_State *L;

	if (o)
		s->o = *o;
	if (s->o.out == NULL)
		s->o.out = stdout;
	if (s->o.err == NULL)
		s->o.err = stderr;
	if (!s->o.seed_set)
		s->o.seed = 1;
	rng_seed(&s->rng, s->o.seed, 0);
	L = lua_newstate(lx_alloc, s);
	if (L == NULL)
		fatalx("out of memory creating the Lua state");
	s->L = L;
	*(struct script **)lua_getextraspace(L) = s;
	lua_atpanic(L, panic);
	if (s->o.cwd_files && !s->o.unsafe_lua) {
		char real[PATH_MAX];

		/* A scenario given to netsim run: the user's command-line arguments name files here. */
		s->cwd_root = realpath(".", real) ? xstrdup(real) : NULL;
	}
	if (lx_protect(s, open_sandbox, s, "netsim library") != 0)
		fatalx("the embedded Lua library failed to load");
	s->failures = 0;
	return s;
}

void
script_free(struct script *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nslots; i++)
		if (s->slots[i].ln)
			lx_net_close(s->slots[i].ln);
	lx_cmds_free(s);
	lua_close(s->L);
	free(s->slots);
	free(s->main_dir);
	free(s->root);
	free(s->cwd_root);
	free(s->open_root);
	sb_free(&s->pending);
	free(s);
}
