/*
 * lx_cfg.c: a Lua description of a topology -> the cfg tree that the YAML
 * loader produces too, so that a network built in Lua goes through the same
 * builder (topo/build.c) and gets the same validation and messages, at the
 * Lua line that described the offending part.
 *
 * Tables with keys 1..n are lists, other tables mappings (an empty table is
 * a list where the schema wants one: devices, links, interfaces, ...). Map
 * keys are emitted in a fixed order (name, type, ... then byte order), never
 * in Lua's hash order, so that the result does not depend on the hash seed.
 * Positions: the network's data.pos maps a table to the line that created it
 * (lua/netsim/init.lua records them); tables without one inherit their
 * parent's line. A function under a device's route_maps is a route map
 * written in Lua (lx_policy_function); anywhere else it is an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "../lib/cfg.h"
#include "lx.h"

#define MAX_DEPTH 32

static const char *const first_keys[] = {"name", "type", "router_id", "description", "seed",
    "endpoints", "ip", "prefix", "via", "interfaces", "static_routes", "devices", "links",
    "script", NULL};
static const char *const list_keys[] = {"devices", "links", "interfaces", "static_routes",
    "script", "endpoints", "allowed_vlans", "vrfs", "import_targets", "export_targets", NULL};

static int
rank(const char *k)
{
	for (int i = 0; first_keys[i]; i++)
		if (strcmp(first_keys[i], k) == 0)
			return i;
	return 1000;
}

static int
key_cmp(const void *pa, const void *pb)
{
	const char *a = *(char *const *)pa, *b = *(char *const *)pb;
	int ra = rank(a), rb = rank(b);

	return ra != rb ? ra - rb : strcmp(a, b);
}

static bool
in_list(const char *const *l, const char *k)
{
	for (; k && *l; l++)
		if (strcmp(*l, k) == 0)
			return true;
	return false;
}

static struct cfg *
scalar(struct cfg_doc *doc, int line, const char *s)
{
	return cfg_new_scalar(doc, line, 1, s, strlen(s), *s == '\0');
}

struct cfg *
lx_tocfg(lua_State *L, int idx, struct cfg_doc *doc, int line, int pos_idx, int depth,
    const char *key)
{
	char buf[64];
	struct lx_ref *r;

	idx = lua_absindex(L, idx);
	switch (lua_type(L, idx)) {
	case LUA_TSTRING: {
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);

		return cfg_new_scalar(doc, line, 1, s, len, len == 0);
	}
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx))
			snprintf(buf, sizeof(buf), "%lld", (long long)lua_tointeger(L, idx));
		else
			snprintf(buf, sizeof(buf), "%.14g", (double)lua_tonumber(L, idx));
		return scalar(doc, line, buf);
	case LUA_TBOOLEAN:
		return scalar(doc, line, lua_toboolean(L, idx) ? "true" : "false");
	case LUA_TUSERDATA:
		/* Handles stand for their names: an interface as "dev:if", a device as "dev". */
		if ((r = luaL_testudata(L, idx, LX_IFACE)) != NULL || (r = luaL_testudata(L, idx, LX_NODE)))
			return scalar(doc, line, r->name);
		break;
	case LUA_TTABLE:
		break;
	default:
		break;
	}
	if (lua_type(L, idx) != LUA_TTABLE) {
		cfg_doc_error(doc, line, 1, "unsupported value (a %s) for '%s'", luaL_typename(L, idx),
		    key ? key : "?");
		return scalar(doc, line, "");
	}
	if (lua_istable(L, pos_idx)) {
		lua_pushvalue(L, idx);
		if (lua_rawget(L, pos_idx) == LUA_TNUMBER)
			line = (int)lua_tointeger(L, -1);
		lua_pop(L, 1);
	}
	if (depth > MAX_DEPTH) {
		cfg_doc_error(doc, line, 1, "description nested too deeply (a table that contains "
		    "itself?)");
		return scalar(doc, line, "");
	}
	{
		lua_Integer n = (lua_Integer)lua_rawlen(L, idx), count = 0;
		bool strings = true;
		struct cfg *c;

		lua_pushnil(L);
		while (lua_next(L, idx)) {
			count++;
			if (lua_type(L, -2) != LUA_TSTRING)
				strings = false;
			lua_pop(L, 1);
		}
		if (count == n && (n > 0 || in_list(list_keys, key))) {
			c = cfg_new(doc, CFG_SEQ, line, 1);
			for (lua_Integer i = 1; i <= n; i++) {
				lua_rawgeti(L, idx, i);
				cfg_seq_add(c, lx_tocfg(L, -1, doc, line, pos_idx, depth + 1, key));
				lua_pop(L, 1);
			}
			return c;
		}
		c = cfg_new(doc, CFG_MAP, line, 1);
		if (!strings) {
			cfg_doc_error(doc, line, 1, "'%s' mixes a list with named fields, or has "
			    "keys that are not strings", key ? key : "topology");
			return c;
		}
		{
			char **keys = xcalloc((size_t)count + 1, sizeof(*keys));
			size_t k = 0;
			/* A device's route maps may be Lua functions (lx_policy.c). */
			bool maps = key != NULL && strcmp(key, "route_maps") == 0;

			lua_pushnil(L);
			while (lua_next(L, idx)) {
				keys[k++] = xstrdup(lua_tostring(L, -2));
				lua_pop(L, 1);
			}
			qsort(keys, k, sizeof(*keys), key_cmp);
			for (size_t i = 0; i < k; i++) {
				lua_getfield(L, idx, keys[i]);
				cfg_map_add(c, scalar(doc, line, keys[i]),
				    maps && lua_isfunction(L, -1) ?
				    lx_policy_function(L, -1, doc, line, keys[i]) :
				    lx_tocfg(L, -1, doc, line, pos_idx, depth + 1, keys[i]));
				lua_pop(L, 1);
				free(keys[i]);
			}
			free(keys);
		}
		return c;
	}
}
