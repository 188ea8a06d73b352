/*
 * lx_handle.c: what the handle types (network, device, interface, link,
 * timer, ping stream) share: making a struct lx_ref userdata, caching it per
 * network, checking that its network is still open, and the first steps of
 * __index. See lx.h, "Handles".
 */
#include <stdio.h>
#include <string.h>

#include "lx.h"

struct lx_ref *
lx_newref(lua_State *L, struct lx_net *ln, const char *tname, int nuv, uint32_t id, int32_t sub)
{
	struct lx_ref *r = lua_newuserdatauv(L, sizeof(*r), nuv);

	memset(r, 0, sizeof(*r));
	r->slot = ln->slot;
	r->gen = ln->s->slots[ln->slot].gen;
	r->id = id;
	r->sub = sub;
	luaL_setmetatable(L, tname);
	return r;
}

/* Handles are cached per network so that a device is one Lua value (usable as a table key). */
void
lx_pushhandle(lua_State *L, struct lx_net *ln, const char *cache, lua_Integer key,
    const char *tname, uint32_t id, int32_t sub, const char *name)
{
	struct lx_ref *r;

	lx_pushdata(L, ln);
	lua_getfield(L, -1, cache);
	if (lua_rawgeti(L, -1, key) != LUA_TNIL) {
		lua_replace(L, -3);
		lua_pop(L, 1);
		return;
	}
	lua_pop(L, 1);
	r = lx_newref(L, ln, tname, 0, id, sub);
	snprintf(r->name, sizeof(r->name), "%s", name);
	lua_pushvalue(L, -1);
	lua_rawseti(L, -3, key);
	lua_replace(L, -3);
	lua_pop(L, 1);
}

struct lx_ref *
lx_checkref(lua_State *L, int idx, const char *tname, const char *what, struct lx_net **lnp)
{
	struct lx_ref *r = luaL_checkudata(L, idx, tname);
	struct lx_net *ln = lx_net_get(lx_script(L), r->slot, r->gen);

	if (ln == NULL)
		luaL_error(L, "%s '%s' belongs to a network that was closed", what, r->name);
	*lnp = ln;
	return r;
}

int
lx_index_ref(lua_State *L, const char *tname, const char *what, struct lx_ref **rp,
    struct lx_net **lnp)
{
	if (lx_method(L, tname, 2))
		return 1;
	if (lua_type(L, 2) != LUA_TSTRING)
		return 0;
	*rp = lx_checkref(L, 1, tname, what, lnp);
	if (strcmp(lua_tostring(L, 2), "network") == 0) {
		lx_pushnet(L, *lnp);
		return 1;
	}
	return -1;
}
