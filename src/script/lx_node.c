/*
 * lx_node.c: devices in Lua (netsim.Device): properties, routing and
 * interface tables, crash/restore and protocol restarts. dev:cmd() and
 * friends live in lx_cli.c, ping/traceroute in lx_ping.c, the topology DSL
 * (net:router, dev:interface) in lua/netsim/init.lua.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "../net/fib.h"
#include "../net/rib.h"
#include "../lib/cfg.h"
#include "../proto/policy/policy.h"
#include "../proto/proto.h"
#include "lx.h"

void
lx_pushnode(lua_State *L, struct lx_net *ln, uint32_t id, const char *name)
{
	lx_pushhandle(L, ln, "nodes", (lua_Integer)id + 1, LX_NODE, id, -1, name);
}

struct lx_ref *
lx_noderef(lua_State *L, int idx, struct lx_net **lnp)
{
	return lx_checkref(L, idx, LX_NODE, "device", lnp);
}

struct node *
lx_checknode(lua_State *L, int idx, struct lx_net **lnp)
{
	struct lx_ref *r = lx_noderef(L, idx, lnp);
	struct network *net = lx_live(L, *lnp);

	if (r->id >= net->nnodes)
		luaL_error(L, "device '%s' is not part of network '%s'", r->name, net->name);
	return net->nodes[r->id];
}

struct node *
lx_tonode(lua_State *L, int idx, struct lx_net *ln)
{
	struct network *net = lx_live(L, ln);

	if (lua_type(L, idx) == LUA_TSTRING) {
		struct node *n = net_node(net, lua_tostring(L, idx));

		if (n == NULL)
			luaL_error(L, "network '%s' has no device '%s'", net->name, lua_tostring(L, idx));
		return n;
	} else {
		struct lx_net *other;
		struct node *n = lx_checknode(L, idx, &other);

		if (other != ln)
			luaL_error(L, "device '%s' belongs to another network", n->name);
		return n;
	}
}

/* An address: "10.0.0.1", a device (its source address) or an interface (its address). */
uint32_t
lx_toaddr(lua_State *L, int idx, struct lx_net *ln)
{
	uint32_t a;

	if (lua_type(L, idx) == LUA_TSTRING) {
		const char *s = lua_tostring(L, idx);
		struct node *n;

		if (ip_parse(s, &a))
			return a;
		if ((n = net_node(lx_live(L, ln), s)) == NULL)
			luaL_error(L, "'%s' is neither an IPv4 address nor a device", s);
		if ((a = node_source_addr(n)) == 0)
			luaL_error(L, "device '%s' has no IPv4 address", s);
		return a;
	}
	if (luaL_testudata(L, idx, LX_IFACE)) {
		struct lx_net *o;
		struct iface *ifp = lx_checkiface(L, idx, &o);

		if (ifp->addr == 0)
			luaL_error(L, "interface %s:%s has no IPv4 address", ifp->node->name, ifp->name);
		return ifp->addr;
	}
	{
		struct node *n = lx_tonode(L, idx, ln);

		if ((a = node_source_addr(n)) == 0)
			luaL_error(L, "device '%s' has no IPv4 address", n->name);
		return a;
	}
}

static struct node *
l3node(lua_State *L, int idx, struct lx_net **lnp)
{
	struct node *n = lx_checknode(L, idx, lnp);

	if (n->rib == NULL)
		luaL_error(L, "%s is a switch: it has no routing table", n->name);
	return n;
}

static void
push_path(lua_State *L, struct node *n, const struct rib_entry *e, const struct rib_path *p)
{
	struct prefix pfx = rib_prefix(e);
	const struct nhg *g = rib_path_nhg(n->rib, p);
	int nnh = g ? g->n : 0;

	lua_createtable(L, 0, 12);
	lua_pushstring(L, prefix_str(&pfx));
	lua_setfield(L, -2, "prefix");
	lua_pushstring(L, rib_path_src(p)->name);
	lua_setfield(L, -2, "protocol");
	lua_pushstring(L, rib_path_code(p));
	lua_setfield(L, -2, "code");
	lua_pushinteger(L, p->distance);
	lua_setfield(L, -2, "distance");
	lua_pushinteger(L, p->metric);
	lua_setfield(L, -2, "metric");
	lua_pushboolean(L, p == rib_best(e));
	lua_setfield(L, -2, "selected");
	lua_pushboolean(L, p == rib_best(e) && e->installed);
	lua_setfield(L, -2, "installed");
	lx_pushtime(L, node_now(n) - rib_path_since(p));
	lua_setfield(L, -2, "age");
	if (nnh == 0) {
		lua_pushboolean(L, 1);
		lua_setfield(L, -2, "blackhole");
	}
	lua_createtable(L, nnh, 0);
	for (int i = 0; i < nnh; i++) {
		const struct nexthop *nh = &g->nh[i];

		lua_createtable(L, 0, 2);
		if (nh->gw) {
			lua_pushstring(L, ip_str(nh->gw));
			lua_setfield(L, -2, "ip");
		}
		lua_pushstring(L, n->ifs[nh->ifindex]->name);
		lua_setfield(L, -2, "interface");
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "nexthops");
	if (nnh > 0) {
		if (g->nh[0].gw) {
			lua_pushstring(L, ip_str(g->nh[0].gw));
			lua_setfield(L, -2, "via");
		} else {
			lua_pushboolean(L, 1);
			lua_setfield(L, -2, "connected");
		}
		lua_pushstring(L, n->ifs[g->nh[0].ifindex]->name);
		lua_setfield(L, -2, "interface");
	}
}

/* dev:routes([protocol]): the selected route of every prefix, sorted by prefix. */
static int
l_routes(lua_State *L)
{
	struct lx_net *ln;
	struct node *n = l3node(L, 1, &ln);
	const char *proto = luaL_optstring(L, 2, NULL);
	struct rib_entry **v;
	size_t cnt;
	int k = 0;

	v = rib_sorted(n->rib, &cnt);
	lua_createtable(L, (int)cnt, 0);
	for (size_t i = 0; i < cnt; i++) {
		if (rib_best(v[i]) == NULL)
			continue;
		if (proto && strcmp(rib_path_src(rib_best(v[i]))->name, proto) != 0)
			continue;
		push_path(L, n, v[i], rib_best(v[i]));
		lua_rawseti(L, -2, ++k);
	}
	free(v);
	return 1;
}

/* dev:route("10.0.3.0/24") exact, dev:route("10.0.3.10") longest match: the route or nil. */
static int
l_route(lua_State *L)
{
	struct lx_net *ln;
	struct node *n = l3node(L, 1, &ln);
	const char *s = luaL_checkstring(L, 2);
	struct prefix p;
	struct rib_entry *e = NULL;
	int k = 0;

	if (!prefix_parse(s, &p))
		return luaL_argerror(L, 2, lua_pushfstring(L, "expected an address or prefix, got '%s'",
		    s));
	if (strchr(s, '/') == NULL) {
		struct fib_entry fe;

		if (fib_lookup(n->rib, p.addr, &fe))
			e = rib_lookup_exact(n->rib, &fe.pfx);
	} else {
		e = rib_lookup_exact(n->rib, &p);
	}
	if (e == NULL || rib_best(e) == NULL) {
		lua_pushnil(L);
		return 1;
	}
	push_path(L, n, e, rib_best(e));
	lua_newtable(L);
	for (const struct rib_path *r = rib_best(e); r; r = rib_path_next(n->rib, r)) {
		push_path(L, n, e, r);
		lua_rawseti(L, -2, ++k);
	}
	lua_setfield(L, -2, "candidates");
	return 1;
}

static int
l_interfaces(lua_State *L)
{
	struct lx_net *ln;
	struct node *n = lx_checknode(L, 1, &ln);

	lx_pushifps(L, ln, n->ifs, n->nifs);
	return 1;
}

/* dev:iface(name [, optional]): the interface; an error (or nil) when there is none. */
static int
l_iface(lua_State *L)
{
	struct lx_net *ln;
	struct node *n = lx_checknode(L, 1, &ln);
	const char *name = luaL_checkstring(L, 2);
	struct iface *ifp = node_iface(n, name);

	if (ifp == NULL) {
		if (lua_toboolean(L, 3)) {
			lua_pushnil(L);
			return 1;
		}
		return luaL_error(L, "%s has no interface '%s'", n->name, name);
	}
	lx_pushifp(L, ln, ifp);
	return 1;
}

/* dev:set_up(false) crashes the device (all state lost), dev:set_up(true) restarts it. */
/*
 * dev:set_policy(kind, name, value): replace (or add) one of the device's
 * policy objects at run time, as CLI `policy set` does (docs/policy.md):
 * kind "route_map", "prefix_list", ...; value in the topology's shape (a
 * route map may be a Lua function, copied as lx_policy_fn.c says), or nil
 * to delete. Global context, so it takes effect between ticks; the
 * protocols see the new generation and apply the policy again.
 */
static int
l_set_policy(lua_State *L)
{
	struct lx_net *ln;
	struct node *n = lx_checknode(L, 1, &ln);
	const char *kind = luaL_checkstring(L, 2), *name = luaL_checkstring(L, 3);
	char where[256], file[256];
	const char *colon;
	struct cfg_doc *doc;
	struct cfg *val;
	bool ok;
	int line;

	if (lua_isnoneornil(L, 4)) {
		lx_net_mark(ln);
		if (!policy_delete(n, kind, name))
			return luaL_error(L, "%s has no %s %s", n->name, kind, name);
		return 0;
	}
	/* Errors point at the caller's line: "file:line" of the innermost user frame. */
	lx_where(L, where, sizeof(where));
	colon = strrchr(where, ':');
	line = colon != NULL ? atoi(colon + 1) : 1;
	snprintf(file, sizeof(file), "%.*s", colon != NULL ? (int)(colon - where) : (int)strlen(where),
	    where);
	doc = cfg_doc_new(file);
	lua_pushnil(L); /* no positions for the value's tables: the caller's line */
	val = strcmp(kind, "route_map") == 0 && lua_isfunction(L, 4) ?
	    lx_policy_function(L, 4, doc, line, name) :
	    lx_tocfg(L, 4, doc, line, lua_gettop(L), 0, name);
	lua_pop(L, 1);
	doc->root = val;
	lx_net_mark(ln);
	ok = doc->nerrors == 0 && policy_replace(n, kind, name, val) && doc->nerrors == 0;
	if (!ok) {
		lua_pushlstring(L, sb_str(&doc->errors), doc->errors.len ? doc->errors.len - 1 : 0);
		cfg_doc_free(doc);
		return lua_error(L);
	}
	cfg_doc_free(doc);
	return 0;
}

static int
l_set_up(lua_State *L)
{
	struct lx_net *ln;
	struct node *n = lx_checknode(L, 1, &ln);

	luaL_checktype(L, 2, LUA_TBOOLEAN);
	lx_net_mark(ln);
	node_set_up(n, lua_toboolean(L, 2));
	return 0;
}

/* dev:METHOD(protocol): the device's instance of it. */
static struct proto_inst *
instance(lua_State *L, struct lx_net **lnp)
{
	struct node *n = lx_checknode(L, 1, lnp);
	const char *name = luaL_checkstring(L, 2);
	const struct protocol *p = proto_find(name);
	struct proto_inst *pi;

	if (p == NULL)
		luaL_error(L, "no protocol '%s' in this build", name);
	if ((pi = proto_get(n, p)) == NULL)
		luaL_error(L, "%s does not run %s", n->name, name);
	return pi;
}

static int
l_protocols(lua_State *L)
{
	struct lx_net *ln;
	struct node *n = lx_checknode(L, 1, &ln);
	int k = 0;

	lua_newtable(L);
	for (int i = 0; i < proto_count && n->pi; i++)
		if (n->pi[i]) {
			lua_pushstring(L, n->pi[i]->proto->name);
			lua_rawseti(L, -2, ++k);
		}
	return 1;
}

/* Stop (all dynamic state forgotten) or start one protocol instance: a process restart. */
static int
l_stop_protocol(lua_State *L)
{
	struct lx_net *ln;
	struct proto_inst *pi = instance(L, &ln);

	lx_net_mark(ln);
	if (pi->running) {
		pi->running = false;
		if (pi->proto->stop)
			pi->proto->stop(pi);
	}
	return 0;
}

static int
l_start_protocol(lua_State *L)
{
	struct lx_net *ln;
	struct proto_inst *pi = instance(L, &ln);

	if (!pi->node->up)
		return luaL_error(L, "%s is down: restore it first", pi->node->name);
	lx_net_mark(ln);
	if (!pi->running && pi->proto->start) {
		pi->running = true;
		pi->proto->start(pi);
	}
	return 0;
}

static int
l_protocol_running(lua_State *L)
{
	struct lx_net *ln;
	struct proto_inst *pi = instance(L, &ln);

	lua_pushboolean(L, pi->running);
	return 1;
}

static int
l_tostring(lua_State *L)
{
	struct lx_ref *r = luaL_checkudata(L, 1, LX_NODE);

	lua_pushfstring(L, "device %s", r->name);
	return 1;
}

/* Interfaces of a device that is only described so far. */
static int
spec_iface(lua_State *L, struct lx_net *ln, struct lx_ref *r, const char *k)
{
	lx_pushdata(L, ln);
	if (lua_getfield(L, -1, "spec") != LUA_TTABLE || lua_getfield(L, -1, "devices") != LUA_TTABLE ||
	    lua_rawgeti(L, -1, (lua_Integer)r->id + 1) != LUA_TTABLE ||
	    lua_getfield(L, -1, "interfaces") != LUA_TTABLE)
		return 0;
	for (lua_Integer i = 1;; i++) {
		if (lua_rawgeti(L, -1, i) != LUA_TTABLE)
			return 0;
		lua_getfield(L, -1, "name");
		if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), k) == 0) {
			char full[80];

			snprintf(full, sizeof(full), "%s:%s", r->name, k);
			lx_pushiface(L, ln, r->id, (int32_t)(i - 1), full);
			return 1;
		}
		lua_pop(L, 2);
	}
}

static int
l_index(lua_State *L)
{
	struct lx_net *ln;
	struct lx_ref *r;
	struct node *n;
	const char *k;
	int ret;

	if ((ret = lx_index_ref(L, LX_NODE, "device", &r, &ln)) >= 0)
		return ret;
	k = lua_tostring(L, 2);
	if (strcmp(k, "name") == 0) {
		lua_pushstring(L, r->name);
		return 1;
	}
	if (ln->net == NULL)
		return spec_iface(L, ln, r, k);
	n = lx_checknode(L, 1, &ln);
	if (strcmp(k, "type") == 0) {
		lua_pushstring(L, node_type_name(n->type));
		return 1;
	}
	if (strcmp(k, "id") == 0) {
		lua_pushinteger(L, n->id);
		return 1;
	}
	if (strcmp(k, "up") == 0) {
		lua_pushboolean(L, n->up);
		return 1;
	}
	if (strcmp(k, "router_id") == 0) {
		if (n->router_id)
			lua_pushstring(L, ip_str(n->router_id));
		else
			lua_pushnil(L);
		return 1;
	}
	if (strcmp(k, "address") == 0) {
		uint32_t a = node_source_addr(n);

		if (a)
			lua_pushstring(L, ip_str(a));
		else
			lua_pushnil(L);
		return 1;
	}
	{
		struct iface *ifp = node_iface(n, k);

		if (ifp == NULL)
			return 0;
		lx_pushifp(L, ln, ifp);
		return 1;
	}
}

int
luaopen_netsim_node(lua_State *L)
{
	static const luaL_Reg methods[] = {
		{"routes", l_routes}, {"route", l_route}, {"interfaces", l_interfaces},
		{"iface", l_iface}, {"set_up", l_set_up}, {"protocols", l_protocols},
		{"stop_protocol", l_stop_protocol}, {"start_protocol", l_start_protocol},
		{"protocol_running", l_protocol_running}, {"set_policy", l_set_policy}, {NULL, NULL},
	};

	lx_newtype(L, LX_NODE, methods, l_index, l_tostring);
	return 0;
}
