/*
 * lx_policy_fn.c: a route map given as a Lua function in a Lua topology
 * (lx_cfg.c: route_maps = {NAME = function(route) ... end}).
 *
 * The function lives in the topology's Lua state, which no worker thread
 * may touch, so it is copied: its code with string.dump (with its lines,
 * so that errors read the topology's file:line), its upvalues as Lua text
 * (plain data only: anything else is a configuration error naming the
 * upvalue). The copy stays in this process's list and the cfg tree gets
 * a token naming it ({lua: "--[[netsim: Lua function #N]]"}), which
 * policy_lua_new resolves: the policy service parses it like any `lua:`
 * source, and binary code is never read from configuration text.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/cfg.h"
#include "../lib/strbuf.h"
#include "../lib/util.h"
#include "lx_policy.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct lp_dump **dumps; /* kept until exit (each is small) */
static size_t ndumps, capdumps;

const struct lp_dump *
lp_dump_get(size_t n)
{
	const struct lp_dump *d;

	pthread_mutex_lock(&mu);
	d = n >= 1 && n <= ndumps ? dumps[n - 1] : NULL;
	pthread_mutex_unlock(&mu);
	return d;
}

static int
dump_writer(lua_State *L, const void *p, size_t sz, void *ud)
{
	(void)L;
	sb_addn(ud, p, sz);
	return 0;
}

/* Plain data as Lua text (keys in a fixed order); false and a reason if it is not plain. */
static bool
write_value(lua_State *L, int idx, struct strbuf *sb, int depth, const char **why)
{
	idx = lua_absindex(L, idx);
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		sb_add(sb, "nil");
		return true;
	case LUA_TBOOLEAN:
		sb_add(sb, lua_toboolean(L, idx) ? "true" : "false");
		return true;
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx)) {
			lua_Integer v = lua_tointeger(L, idx);

			if (v == LUA_MININTEGER)
				sb_add(sb, "math.mininteger");
			else
				sb_printf(sb, "%lld", (long long)v);
		} else {
			double d = (double)lua_tonumber(L, idx);

			if (isnan(d))
				sb_add(sb, "(0/0)");
			else if (isinf(d))
				sb_add(sb, d > 0 ? "(1/0)" : "(-1/0)");
			else
				sb_printf(sb, "%a", d); /* exact */
		}
		return true;
	case LUA_TSTRING: {
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);

		sb_addc(sb, '"');
		for (size_t i = 0; i < len; i++) {
			unsigned char ch = (unsigned char)s[i];

			if (ch == '"' || ch == '\\')
				sb_printf(sb, "\\%c", ch);
			else if (ch < 32 || ch >= 127)
				sb_printf(sb, "\\%03u", ch);
			else
				sb_addc(sb, (char)ch);
		}
		sb_addc(sb, '"');
		return true;
	}
	case LUA_TTABLE:
		break;
	default:
		*why = lua_pushfstring(L, "is a %s", luaL_typename(L, idx));
		return false;
	}
	if (lua_getmetatable(L, idx)) {
		lua_pop(L, 1);
		*why = "is a table with a metatable";
		return false;
	}
	if (depth > LP_DEPTH) {
		*why = "nests tables too deeply (or holds itself)";
		return false;
	}
	/* In pairs order of this sandbox: the text, hence the copy, is the same every run. */
	lua_pushcfunction(L, lp_pairs);
	lua_pushvalue(L, idx);
	if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
		*why = lua_pushfstring(L, "has a key that is not plain data");
		return false;
	}
	sb_addc(sb, '{');
	for (;;) {
		lua_pushvalue(L, -1);
		lua_call(L, 0, 2);
		if (lua_isnil(L, -2)) {
			lua_pop(L, 2);
			break;
		}
		sb_addc(sb, '[');
		if (!write_value(L, -2, sb, depth + 1, why))
			return false;
		sb_add(sb, "]=");
		if (!write_value(L, -1, sb, depth + 1, why))
			return false;
		sb_addc(sb, ',');
		lua_pop(L, 2);
	}
	lua_pop(L, 1);
	sb_addc(sb, '}');
	return true;
}

struct cfg *
lx_policy_function(lua_State *L, int idx, struct cfg_doc *doc, int line, const char *key)
{
	struct lp_dump *d;
	struct strbuf code = STRBUF_INIT, upv = STRBUF_INIT;
	lua_Debug ar;
	struct cfg *m;
	char tok[64];
	int top = lua_gettop(L);

	idx = lua_absindex(L, idx);
	key = key ? key : "?";
	lua_pushvalue(L, idx);
	lua_getinfo(L, ">Su", &ar);
	if (strcmp(ar.what, "Lua") != 0) {
		cfg_doc_error(doc, line, 1, "route map '%s': a built-in function cannot be a route map",
		    key);
		return cfg_new_scalar(doc, line, 1, "", 0, true);
	}
	if (ar.linedefined > 0)
		line = ar.linedefined;
	d = xcalloc(1, sizeof(*d));
	d->nup = ar.nups;
	sb_add(&upv, "return ");
	for (int i = 1; i <= ar.nups; i++) {
		const char *name = lua_getupvalue(L, idx, i), *why = NULL;

		if (i > 1)
			sb_add(&upv, ", ");
		if (name != NULL && strcmp(name, "_ENV") == 0) {
			d->env = i;
			sb_add(&upv, "nil");
		} else if (!write_value(L, -1, &upv, 0, &why)) {
			cfg_doc_error(doc, line, 1, "route map '%s': upvalue '%s' %s: only plain data "
			    "(nil, booleans, numbers, strings and tables of them) is copied into a route "
			    "map's state", key, name && *name ? name : "?", why);
			lua_settop(L, top);
			sb_free(&upv);
			free(d);
			return cfg_new_scalar(doc, line, 1, "", 0, true);
		}
		lua_settop(L, top);
	}
	lua_pushvalue(L, idx);
	lua_dump(L, dump_writer, &code, 0); /* with its lines: messages read file:line */
	lua_settop(L, top);
	d->len = code.len;
	d->code = sb_steal(&code);
	d->upv = sb_steal(&upv);
	pthread_mutex_lock(&mu);
	if (ndumps == capdumps) {
		capdumps = capdumps ? 2 * capdumps : 8;
		dumps = xrealloc(dumps, capdumps * sizeof(*dumps));
	}
	dumps[ndumps++] = d;
	snprintf(tok, sizeof(tok), LP_TOKEN_FMT, ndumps);
	pthread_mutex_unlock(&mu);
	m = cfg_new(doc, CFG_MAP, line, 1);
	cfg_map_add(m, cfg_new_scalar(doc, line, 1, "lua", 3, false),
	    cfg_new_scalar(doc, line, 1, tok, strlen(tok), true));
	return m;
}
