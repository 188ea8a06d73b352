/*
 * lx_policy_route.c: the route a Lua route map is given, as a table, and
 * what it changed, read back (docs/policy-lua.md has the fields).
 *
 * Only the fields that changed are read: scalars are compared with the
 * values the call started with, lists of communities with copies of the
 * lists it was given (so a list left alone is not even parsed, and an
 * attribute keeps its exact encoding). Everything is checked before any of
 * it reaches the route: an error leaves the route as it was (and denied).
 * New arrays go into the route's buffer (policy_route.buf).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../lib/buf.h"
#include "../lib/ip.h"
#include "../lib/strbuf.h"
#include "../lib/util.h"
#include "lx_policy.h"

static const char *const ro_keys[] = {"prefix", "prefix_len", "neighbor", "neighbor_as",
    "local_as", "type", "as_path", "as_path_list", NULL};
static const char *const rw_keys[] = {"med", "local_pref", "weight", "tag", "next_hop", "origin",
    "communities", "large_communities", "ext_communities", "as_path_prepend", NULL};

static void
push_field_str(lua_State *L, int t, const char *k, const char *v)
{
	lua_pushstring(L, v);
	lua_setfield(L, t, k);
}

static void
push_field_int(lua_State *L, int t, const char *k, uint32_t v, bool present)
{
	if (!present)
		return;
	lua_pushinteger(L, (lua_Integer)v);
	lua_setfield(L, t, k);
}

/* A list of strings made by fmt from each of n items; a copy goes to the originals too. */
static void
push_list(lua_State *L, int route, int orig, const char *k, unsigned n, const uint8_t *items,
    size_t size, void (*fmt)(const uint8_t *, struct strbuf *))
{
	struct strbuf sb = STRBUF_INIT;

	lua_createtable(L, (int)n, 0);
	lua_createtable(L, (int)n, 0);
	for (unsigned i = 0; i < n; i++) {
		sb_reset(&sb);
		fmt(items + size * i, &sb);
		lua_pushstring(L, sb_str(&sb));
		lua_pushvalue(L, -1);
		lua_rawseti(L, -3, i + 1);
		lua_rawseti(L, -3, i + 1);
	}
	sb_free(&sb);
	lua_setfield(L, orig, k);
	lua_setfield(L, route, k);
}

static void
fmt_comm(const uint8_t *p, struct strbuf *sb)
{
	uint32_t c;

	memcpy(&c, p, 4);
	bgp_comm_str(c, sb);
}

static void
fmt_lcomm(const uint8_t *q, struct strbuf *sb)
{
	sb_printf(sb, "%u:%u:%u", get32(q), get32(q + 4), get32(q + 8));
}

void
lp_push_route(lua_State *L, const struct policy_route *r)
{
	const struct bgp_attr *a = r->attr;
	static const char *const origins[] = {"igp", "egp", "incomplete"};
	struct strbuf sb = STRBUF_INIT;
	int t, o;

	lua_createtable(L, 0, 24);
	o = lua_gettop(L);
	lua_createtable(L, 0, 24);
	t = lua_gettop(L);
	push_field_str(L, t, "prefix", prefix_str(&r->pfx));
	push_field_int(L, t, "prefix_len", r->pfx.len, true);
	if (r->peer_addr != 0)
		push_field_str(L, t, "neighbor", ip_str(r->peer_addr));
	push_field_int(L, t, "neighbor_as", r->peer_as, r->peer_as != 0);
	push_field_int(L, t, "local_as", r->local_as, r->local_as != 0);
	if (r->route_type != NULL)
		push_field_str(L, t, "type", r->route_type);
	bgp_aspath_str(a->aspath, a->aspath_len, &sb);
	push_field_str(L, t, "as_path", sb_str(&sb));
	sb_free(&sb);
	lua_newtable(L);
	for (struct bgp_seg s = {.p = a->aspath, .len = a->aspath_len, .asz = 4}; bgp_seg_next(&s);)
		for (unsigned i = 0; i < s.n; i++) {
			lua_pushinteger(L, get32(s.as + 4 * i));
			lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
		}
	lp_freeze(L);
	lua_setfield(L, t, "as_path_list");
	push_field_str(L, t, "origin", origins[a->origin <= 2 ? a->origin : 2]);
	push_field_int(L, t, "med", a->med, a->has & BGP_HAS_MED);
	push_field_int(L, t, "local_pref", a->local_pref, a->has & BGP_HAS_LOCAL_PREF);
	push_field_int(L, t, "weight", a->weight, true);
	push_field_int(L, t, "tag", r->tag, true);
	if (a->has & BGP_HAS_NEXT_HOP)
		push_field_str(L, t, "next_hop", ip_str(a->nexthop));
	/* Scalars: the originals, to tell a change (and a write to a read-only field). */
	lua_pushnil(L);
	while (lua_next(L, t)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, o);
	}
	push_list(L, t, o, "communities", a->ncomm, (const uint8_t *)a->comm, 4, fmt_comm);
	push_list(L, t, o, "large_communities", a->nlcomm, a->lcomm, 12, fmt_lcomm);
	push_list(L, t, o, "ext_communities", a->necomm, a->ecomm, 8, bgp_ecomm_str);
}

const char *
lp_show(lua_State *L, int idx)
{
	if (lua_type(L, idx) == LUA_TSTRING)
		return lua_pushfstring(L, "\"%s\"", lua_tostring(L, idx));
	if (lua_type(L, idx) == LUA_TNUMBER)
		return lua_pushfstring(L, "%s", lua_tostring(L, idx) ? lua_tostring(L, idx) : "?");
	return lua_pushstring(L, luaL_typename(L, idx));
}

static uint32_t
want_u32(lua_State *L, int idx, const char *what)
{
	lua_Integer v;
	int isnum;

	v = lua_tointegerx(L, idx, &isnum);
	if (lua_type(L, idx) != LUA_TNUMBER || !isnum || v < 0 || v > UINT32_MAX)
		luaL_error(L, "%s: expected a whole number from 0 to 4294967295, not %s", what,
		    lp_show(L, idx));
	return (uint32_t)v;
}

/* Room for n bytes in the route's buffer. */
static uint8_t *
room(lua_State *L, const struct policy_route *r, struct lp_out *o, size_t n, const char *what)
{
	uint8_t *p;

	/* Communities are read as uint32_t: align the address (buf itself may be anywhere). */
	while (((uintptr_t)(r->buf + o->used) & 3) != 0 && o->used < POLICY_BUF)
		o->used++;
	if (o->used + n > POLICY_BUF)
		luaL_error(L, "%s: too much data for the route (%d bytes of new attributes at most)",
		    what, POLICY_BUF);
	p = (uint8_t *)r->buf + o->used;
	o->used += n;
	return p;
}

/*
 * A list of communities (field k) read back: when it differs from the one
 * the call was given, parse it into the route's buffer; *out and *count are
 * then the new list.
 */
static bool
read_list(lua_State *L, int route, int orig, const char *k, size_t size,
    bool (*parse)(const char *, uint8_t *), const char *form, const struct policy_route *r,
    struct lp_out *o, const uint8_t **out, uint16_t *count)
{
	int v, ov;
	lua_Integer n;
	bool same;
	uint8_t *p;

	lua_getfield(L, route, k);
	v = lua_gettop(L);
	lua_getfield(L, orig, k);
	ov = lua_gettop(L);
	if (lua_isnil(L, v)) {
		same = lua_rawlen(L, ov) == 0;
		n = 0;
	} else {
		if (!lua_istable(L, v))
			luaL_error(L, "route.%s: expected a list of strings, not %s", k, lp_show(L, v));
		n = (lua_Integer)luaL_len(L, v);
		same = (lua_Integer)lua_rawlen(L, ov) == n;
		for (lua_Integer i = 1; same && i <= n; i++) {
			lua_geti(L, v, i);
			lua_rawgeti(L, ov, i);
			same = lua_rawequal(L, -1, -2);
			lua_pop(L, 2);
		}
	}
	if (same) {
		lua_pop(L, 2);
		return false;
	}
	if (n > 0xffff || (size_t)n * size > POLICY_BUF)
		luaL_error(L, "route.%s: too many (%I)", k, n);
	p = room(L, r, o, (size_t)n * size, k);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_geti(L, v, i);
		if (lua_type(L, -1) != LUA_TSTRING || !parse(lua_tostring(L, -1), p + size * (i - 1)))
			luaL_error(L, "route.%s[%I]: expected %s, not %s", k, i, form, lp_show(L, -1));
		lua_pop(L, 1);
	}
	*out = p;
	*count = (uint16_t)n;
	lua_pop(L, 2);
	return true;
}

static bool
changed(lua_State *L, int route, int orig, const char *k)
{
	bool same;

	lua_getfield(L, route, k);
	lua_getfield(L, orig, k);
	same = lua_rawequal(L, -1, -2);
	lua_pop(L, 1);
	if (same)
		lua_pop(L, 1);
	return !same; /* the new value stays on the stack */
}

static bool
known(const char *k)
{
	for (int i = 0; ro_keys[i]; i++)
		if (strcmp(ro_keys[i], k) == 0)
			return true;
	for (int i = 0; rw_keys[i]; i++)
		if (strcmp(rw_keys[i], k) == 0)
			return true;
	return false;
}

/* A field the route does not have: the first in byte order, so the message is always the same. */
static void
check_keys(lua_State *L, int route, int orig)
{
	const char *bad = NULL;

	lua_pushnil(L);
	while (lua_next(L, route)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) != LUA_TSTRING) {
			luaL_error(L, "the route table has a key that is not a field name (a %s)",
			    luaL_typename(L, -1));
		} else if (!known(lua_tostring(L, -1)) &&
		    (bad == NULL || strcmp(lua_tostring(L, -1), bad) < 0)) {
			bad = lua_tostring(L, -1); /* the key stays in the table */
		}
	}
	if (bad != NULL)
		luaL_error(L, "the route has no field '%s' (docs/policy-lua.md lists them)", bad);
	for (int i = 0; ro_keys[i]; i++)
		if (changed(L, route, orig, ro_keys[i]))
			luaL_error(L, "route.%s cannot be changed", ro_keys[i]);
}

static void
prepend(lua_State *L, const struct policy_route *r, struct lp_out *o, int v)
{
	uint8_t tmp[2][POLICY_BUF];
	const uint8_t *cur = o->a.aspath;
	size_t len = o->a.aspath_len;
	lua_Integer n;
	int k = 0;

	if (lua_type(L, v) == LUA_TNUMBER) {
		lua_createtable(L, 1, 0);
		lua_pushvalue(L, v);
		lua_rawseti(L, -2, 1);
		lua_replace(L, v);
	}
	if (!lua_istable(L, v))
		luaL_error(L, "route.as_path_prepend: expected a list of AS numbers, not %s", lp_show(L, v));
	n = (lua_Integer)luaL_len(L, v);
	/* The last first, so that {65001, 65002} reads "65001 65002 ..." as FRR's prepend. */
	for (lua_Integer i = n; i >= 1; i--) {
		uint32_t as;
		int l;

		lua_geti(L, v, i);
		as = want_u32(L, -1, "route.as_path_prepend");
		lua_pop(L, 1);
		if (as == 0)
			luaL_error(L, "route.as_path_prepend: AS 0 is reserved (RFC 7607)");
		if ((l = bgp_aspath_prepend(cur, len, as, 1, tmp[k], sizeof(tmp[k]))) < 0 || l > 0xffff)
			luaL_error(L, "route.as_path_prepend: the AS path grows too long");
		cur = tmp[k];
		len = (size_t)l;
		k ^= 1;
	}
	if (n > 0) {
		uint8_t *p = room(L, r, o, len, "route.as_path_prepend");

		memcpy(p, cur, len);
		o->a.aspath = p;
		o->a.aspath_len = (uint16_t)len;
	}
}

static void
read_next_hop(lua_State *L, const struct policy_route *r, struct lp_out *o, int v)
{
	const char *s = lua_tostring(L, v);
	uint32_t a;

	if (lua_type(L, v) != LUA_TSTRING)
		luaL_error(L, "route.next_hop: expected an address, \"self\", \"peer-address\" or "
		    "\"unchanged\", not %s", lp_show(L, v));
	o->nh_peer = o->nh_unchanged = false;
	if (strcmp(s, "peer-address") == 0) {
		o->nh_peer = true;
	} else if (strcmp(s, "unchanged") == 0) {
		o->nh_unchanged = true;
	} else if (strcmp(s, "self") == 0) {
		if (r->self_addr == 0)
			luaL_error(L, "route.next_hop: \"self\" needs a session to take our address from "
			    "(export)");
		o->a.nexthop = r->self_addr;
		o->a.has |= BGP_HAS_NEXT_HOP;
	} else if (ip_parse(s, &a)) {
		o->a.nexthop = a;
		o->a.has |= BGP_HAS_NEXT_HOP;
	} else {
		luaL_error(L, "route.next_hop: \"%s\" is not an address", s);
	}
}

void
lp_read_back(lua_State *L, const struct policy_route *r, int route, int orig, struct lp_out *o)
{
	static const struct {
		const char *k;
		uint32_t has;
		size_t off;
	} nums[] = {
		{"med", BGP_HAS_MED, offsetof(struct bgp_attr, med)},
		{"local_pref", BGP_HAS_LOCAL_PREF, offsetof(struct bgp_attr, local_pref)},
		{"weight", 0, offsetof(struct bgp_attr, weight)},
	};
	char what[32];

	check_keys(L, route, orig);
	for (size_t i = 0; i < ARRAY_LEN(nums); i++) {
		if (!changed(L, route, orig, nums[i].k))
			continue;
		if (lua_isnil(L, -1) && nums[i].has != 0) {
			o->a.has &= ~nums[i].has;
		} else {
			snprintf(what, sizeof(what), "route.%s", nums[i].k);
			*(uint32_t *)((char *)&o->a + nums[i].off) = want_u32(L, -1, what);
			o->a.has |= nums[i].has;
		}
		lua_pop(L, 1);
	}
	if (changed(L, route, orig, "tag")) {
		o->tag = o->a.tag = want_u32(L, -1, "route.tag");
		lua_pop(L, 1);
	}
	if (changed(L, route, orig, "origin")) {
		const char *s = lua_tostring(L, -1);

		if (lua_type(L, -1) == LUA_TSTRING && strcasecmp(s, "igp") == 0)
			o->a.origin = BGP_ORIGIN_IGP;
		else if (lua_type(L, -1) == LUA_TSTRING && strcasecmp(s, "egp") == 0)
			o->a.origin = BGP_ORIGIN_EGP;
		else if (lua_type(L, -1) == LUA_TSTRING && strcasecmp(s, "incomplete") == 0)
			o->a.origin = BGP_ORIGIN_INCOMPLETE;
		else
			luaL_error(L, "route.origin: expected \"igp\", \"egp\" or \"incomplete\", not %s",
			    lp_show(L, -1));
		lua_pop(L, 1);
	}
	if (changed(L, route, orig, "next_hop")) {
		read_next_hop(L, r, o, lua_gettop(L));
		lua_pop(L, 1);
	}
	{
		const uint8_t *p;

		if (read_list(L, route, orig, "communities", 4, policy_comm_parse,
		    "\"ASN:VALUE\" (each 0-65535) or no-export, no-advertise, local-AS", r, o, &p,
		    &o->a.ncomm))
			o->a.comm = (const uint32_t *)(const void *)p;
		if (read_list(L, route, orig, "large_communities", 12, policy_lcomm_parse,
		    "\"GLOBAL:LOCAL1:LOCAL2\" (each 0-4294967295)", r, o, &p, &o->a.nlcomm))
			o->a.lcomm = p;
		if (read_list(L, route, orig, "ext_communities", 8, policy_ecomm_parse,
		    "\"RT:ASN:N\", \"RT:A.B.C.D:N\", \"SoO:...\" or \"0xHHHH:HHHHHHHHHHHH\"", r, o, &p,
		    &o->a.necomm))
			o->a.ecomm = p;
	}
	if (lua_getfield(L, route, "as_path_prepend") != LUA_TNIL)
		prepend(L, r, o, lua_gettop(L));
	lua_pop(L, 1);
}
