/*
 * lx_flow.c: probe flows from Lua (net/flow.h; docs/experiments.md).
 *
 *   net:flow(src, dst [, {interval = "1ms", ttl = 64}]) -> number
 *   net:flows("auto" | "hosts" | "loopbacks" | "routers" [, opts]) -> count, kind: every
 *                         ordered pair (but those of a device in opts.exclude, a list of
 *                         device names)
 *   net:flows_stop()      stop sending (probes in flight still count)
 *   net:flows_clear()     forget every flow
 *   net:flow_stats()      -> one table per flow (the figures of docs/experiments.md)
 *   net:fib_changes()     -> the FIB changes the walks saw: {time, device} each
 *
 * An endpoint is a device (handle or name: a host's address, a router's
 * router ID or first address, as ping uses) or an address (its device is the
 * one that owns it).
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "../net/flow.h"
#include "lx.h"

#define FLOW_DEFAULT_INTERVAL SIM_MS

static struct node *
owner_of(struct network *net, uint32_t a)
{
	for (size_t i = 0; i < net->nnodes; i++)
		if (net->nodes[i]->ip != NULL && node_is_local(net->nodes[i], a))
			return net->nodes[i];
	return NULL;
}

/* An endpoint at idx: its device and address. */
static struct node *
endpoint(lua_State *L, int idx, struct lx_net *ln, uint32_t *addr)
{
	struct node *n;

	*addr = lx_toaddr(L, idx, ln);
	if (lua_type(L, idx) == LUA_TSTRING && ip_parse(lua_tostring(L, idx), addr)) {
		if ((n = owner_of(ln->net, *addr)) == NULL)
			luaL_error(L, "no device has the address %s", lua_tostring(L, idx));
		return n;
	}
	if (luaL_testudata(L, idx, LX_IFACE)) {
		struct lx_net *o;

		return lx_checkiface(L, idx, &o)->node;
	}
	return lx_tonode(L, idx, ln);
}

struct flow_opts {
	sim_time interval;
	uint8_t ttl;
};

static void
flow_opts(lua_State *L, int idx, struct flow_opts *o)
{
	lua_Integer ttl = 0;

	o->interval = lx_fieldtime(L, idx, "interval", FLOW_DEFAULT_INTERVAL);
	if (lua_istable(L, idx)) {
		lua_getfield(L, idx, "ttl");
		ttl = luaL_optinteger(L, -1, 0);
		lua_pop(L, 1);
	}
	if (ttl < 0 || ttl > 255)
		luaL_error(L, "flow: ttl must be from 1 to 255");
	o->ttl = (uint8_t)ttl;
}

static void
start(lua_State *L, struct network *net, struct node *s, uint32_t sa, struct node *d, uint32_t da,
    const struct flow_opts *o)
{
	const char *err = NULL;

	if (flow_start(net, s, sa, d, da, o->interval, o->ttl, &err) == NULL)
		luaL_error(L, "flow %s -> %s: %s", s->name, d->name, err);
}

static int
l_flow(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);
	struct network *net = lx_live(L, ln);
	struct flow_opts o;
	uint32_t sa, da;
	struct node *s = endpoint(L, 2, ln, &sa), *d = endpoint(L, 3, ln, &da);

	flow_opts(L, 4, &o);
	start(L, net, s, sa, d, da, &o);
	lua_pushinteger(L, (lua_Integer)net->flows->n);
	return 1;
}

/* A router's loopback address in the default VRF (0: none). */
static uint32_t
loopback_addr(const struct node *n)
{
	for (size_t i = 0; i < n->nifs; i++)
		if (n->ifs[i]->kind == IF_LOOPBACK && n->ifs[i]->addr != 0 && n->ifs[i]->vrf == 0)
			return n->ifs[i]->addr;
	return 0;
}

/* Is n's name in the list opts.exclude of the table at idx? */
static bool
excluded(lua_State *L, int idx, const struct node *n)
{
	bool hit = false;

	if (!lua_istable(L, idx))
		return false;
	lua_getfield(L, idx, "exclude");
	if (lua_istable(L, -1)) {
		lua_Integer len = (lua_Integer)lua_rawlen(L, -1);

		for (lua_Integer i = 1; i <= len && !hit; i++) {
			lua_rawgeti(L, -1, i);
			hit = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), n->name) == 0;
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
	return hit;
}

enum { EP_AUTO, EP_HOSTS, EP_LOOPBACKS, EP_ROUTERS };

/* The address of x as an endpoint of that kind (0: it is none). */
static uint32_t
ep_addr(const struct node *x, int kind)
{
	switch (kind) {
	case EP_HOSTS:
		return x->type == NODE_HOST ? node_source_addr(x) : 0;
	case EP_LOOPBACKS:
		return x->type == NODE_ROUTER ? loopback_addr(x) : 0;
	default:
		return x->type == NODE_ROUTER ? node_source_addr(x) : 0;
	}
}

static size_t
count_eps(const struct network *net, int kind)
{
	size_t n = 0;

	for (size_t i = 0; i < net->nnodes; i++)
		n += ep_addr(net->nodes[i], kind) != 0;
	return n;
}

/*
 * net:flows(kind [, opts]) -> count, kind: every ordered pair of endpoints of
 * a kind: "hosts", "loopbacks" (routers' loopback addresses), "routers"
 * (their router ID or first address), or "auto": hosts when there are two,
 * else loopbacks when there are two, else routers.
 */
static int
l_flows(lua_State *L)
{
	static const char *const kinds[] = {"auto", "hosts", "loopbacks", "routers", NULL};
	struct lx_net *ln = lx_checknet(L, 1);
	struct network *net = lx_live(L, ln);
	int kind = luaL_checkoption(L, 2, NULL, kinds);
	struct flow_opts o;
	struct node **eps;
	uint32_t *addr;
	size_t n = 0, count = 0;
	const char *err = NULL;

	flow_opts(L, 3, &o);
	if (kind == EP_AUTO)
		kind = count_eps(net, EP_HOSTS) >= 2 ? EP_HOSTS :
		    count_eps(net, EP_LOOPBACKS) >= 2 ? EP_LOOPBACKS : EP_ROUTERS;
	eps = xcalloc(net->nnodes + 1, sizeof(*eps));
	addr = xcalloc(net->nnodes + 1, sizeof(*addr));
	for (size_t i = 0; i < net->nnodes; i++) {
		struct node *x = net->nodes[i];
		uint32_t a = ep_addr(x, kind);

		if (a != 0 && !excluded(L, 3, x)) {
			eps[n] = x;
			addr[n++] = a;
		}
	}
	for (size_t i = 0; i < n && err == NULL; i++)
		for (size_t j = 0; j < n && err == NULL; j++)
			if (i != j && flow_start(net, eps[i], addr[i], eps[j], addr[j], o.interval, o.ttl,
			                  &err) != NULL)
				count++;
	free(eps);
	free(addr);
	if (err != NULL)
		return luaL_error(L, "flows: %s", err);
	lua_pushinteger(L, (lua_Integer)count);
	lua_pushstring(L, kinds[kind]);
	return 2;
}

static int
l_flows_stop(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);

	flow_stop_all(lx_live(L, ln));
	return 0;
}

static int
l_flows_clear(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);

	flow_clear(lx_live(L, ln));
	return 0;
}

/*
 * The list on top of the stack as field k of the table below it, marked as a
 * list so that netsim.json writes it [] even when it is empty (as
 * netsim.array does).
 */
static void
set_list(lua_State *L, const char *k)
{
	if (luaL_newmetatable(L, "netsim.jsonarray")) {
		lua_pushboolean(L, 1);
		lua_setfield(L, -2, "__jsonarray");
	}
	lua_setmetatable(L, -2);
	lua_setfield(L, -2, k);
}

static void
settime(lua_State *L, const char *k, sim_time t)
{
	lx_pushtime(L, t);
	lua_setfield(L, -2, k);
}

static void
setint(lua_State *L, const char *k, uint64_t v)
{
	lua_pushinteger(L, (lua_Integer)v);
	lua_setfield(L, -2, k);
}

static void
push_outage(lua_State *L, const struct flow *f, const struct flow_outage *o)
{
	lua_createtable(L, 0, 5);
	settime(L, "from", o->from);
	settime(L, "to", o->to);
	settime(L, "ms", o->to - o->from);
	/* Probes not delivered in the gap (a gap still open: every one sent after from_seq). */
	setint(L, "probes", o->to_seq >= 0 ? (uint64_t)(o->to_seq - o->from_seq - 1)
	                                   : f->sent - (uint64_t)(o->from_seq + 1));
	lua_pushboolean(L, o->to_seq < 0);
	lua_setfield(L, -2, "open");
}

static void
push_flow(lua_State *L, struct network *net, const struct flow *f)
{
	sim_time worst = 0, total = 0;
	struct flow_outage open;
	bool has_open = flow_open_outage(f, net->sim.now, &open);
	int k = 0;

	lua_createtable(L, 0, 20);
	lua_pushstring(L, f->src->name);
	lua_setfield(L, -2, "src");
	lua_pushstring(L, f->dst->name);
	lua_setfield(L, -2, "dst");
	lua_pushstring(L, ip_str(f->saddr));
	lua_setfield(L, -2, "source");
	lua_pushstring(L, ip_str(f->daddr));
	lua_setfield(L, -2, "destination");
	settime(L, "interval", f->interval);
	setint(L, "sent", f->sent);
	setint(L, "delivered", f->delivered);
	setint(L, "lost", flow_lost(f));
	setint(L, "late", f->late);
	setint(L, "duplicates", f->dups);
	for (int d = 0; d < FLOW_DROPS; d++)
		setint(L, flow_drop_names[d], f->dropped[d]);
	lua_createtable(L, (int)f->nout + has_open, 0);
	for (size_t i = 0; i < f->nout; i++) {
		push_outage(L, f, &f->out[i]);
		lua_rawseti(L, -2, ++k);
		total += f->out[i].to - f->out[i].from;
		if (f->out[i].to - f->out[i].from > worst)
			worst = f->out[i].to - f->out[i].from;
	}
	if (has_open) {
		push_outage(L, f, &open);
		lua_rawseti(L, -2, ++k);
		total += open.to - open.from;
		if (open.to - open.from > worst)
			worst = open.to - open.from;
	}
	set_list(L, "outages");
	settime(L, "worst_outage", worst);
	settime(L, "total_outage", total);
	/* Where probes died, by device (in the order devices were first seen dropping). */
	lua_createtable(L, (int)f->nwhere, 0);
	for (size_t i = 0; i < f->nwhere; i++) {
		lua_createtable(L, 0, 3);
		lua_pushstring(L, net->nodes[f->where[i].node]->name);
		lua_setfield(L, -2, "device");
		for (int d = 0; d < FLOW_DROPS; d++)
			setint(L, flow_drop_names[d], f->where[i].n[d]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	set_list(L, "drops");
	/* The FIB walk's loops and black holes. */
	lua_createtable(L, (int)f->nwiv, 0);
	for (size_t i = 0; i < f->nwiv; i++) {
		const struct flow_walk_iv *iv = &f->wiv[i];
		sim_time to = iv->to >= 0 ? iv->to : f->stop != SIM_NEVER ? f->stop : net->sim.now;

		lua_createtable(L, 0, 6);
		lua_pushstring(L, walk_result_names[iv->verdict]);
		lua_setfield(L, -2, "kind");
		lx_pushnames(L, net, iv->nodes, iv->nnodes);
		lua_setfield(L, -2, "routers");
		settime(L, "from", iv->from);
		settime(L, "to", to);
		settime(L, "ms", to - iv->from);
		lua_pushboolean(L, iv->to < 0);
		lua_setfield(L, -2, "open");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	set_list(L, "walk");
	lx_pushnames(L, net, f->path_before, f->nbefore);
	set_list(L, "path_before");
	lx_pushnames(L, net, f->path_after, f->nafter);
	set_list(L, "path_after");
}

static int
l_flow_stats(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);
	struct network *net = lx_live(L, ln);
	struct flowset *fs = net->flows;
	size_t n = fs ? fs->n : 0;

	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		push_flow(L, net, fs->flows[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* net:fib_changes() -> {{time =, device =}...}: the FIB changes seen while flows ran. */
static int
l_fib_changes(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);
	struct network *net = lx_live(L, ln);
	struct flowset *fs = net->flows;
	size_t n = fs ? fs->nchanges : 0;

	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 0, 2);
		settime(L, "time", fs->changes[i].t);
		lua_pushstring(L, net->nodes[fs->changes[i].node]->name);
		lua_setfield(L, -2, "device");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

int
luaopen_netsim_flow(lua_State *L)
{
	static const luaL_Reg net_methods[] = {{"flow", l_flow}, {"flows", l_flows},
	    {"flows_stop", l_flows_stop}, {"flows_clear", l_flows_clear},
	    {"flow_stats", l_flow_stats}, {"fib_changes", l_fib_changes}, {NULL, NULL}};

	lx_addmethods(L, LX_NET, net_methods);
	return 0;
}
