/*
 * lx_dist.c: Lua in a distributed run (docs/distributed.md, "Lua").
 *
 * Every rank runs the same Lua in lockstep: the same script on the same
 * topology, with the same global context (timers, events, hooks) and the
 * same random numbers, so every rank makes the same calls in the same order.
 * What a call reads or changes decides how it runs:
 *
 *   local    the topology's structure, time, timers, running the network
 *            (its steps are collective already), link parameters every rank
 *            holds, FIB walks (each device's hop decided on its rank:
 *            walk_run_lockstep): as in one process, on every rank (not
 *            wrapped);
 *   owner    a device's state (dev:cmd("show ..."), dev:routes(), a ping):
 *            the device's rank runs it, the others step along while it lets
 *            time pass (cli_follow), and its results (or its error) are
 *            encoded and broadcast, so that every rank goes on with the same
 *            values (the owner too takes the decoded copy);
 *   every    changes (a link or interface up or down, a device's crash):
 *            every rank runs it as a command (dist_command_begin), each
 *            telling only its own devices, and the events it caused are
 *            gathered and dispatched in one process's order at its end;
 *   owner change  a change of one device (a protocol stopped or started, a
 *            policy, dev:cmd("route add ...")): a command of every rank that
 *            the device's owner alone runs, as owner's calls run, its
 *            events dispatched on every rank at its end as every's are;
 *   command  dev:cmd / net:cmd: owner, owner change, every or local by the
 *            command line, as a script entry's command (runner_entry_dist:
 *            local for converge, verify and a command defined in Lua, which
 *            runs Lua, as every rank does alike);
 *   refused  anything else: a Lua error naming the call, raised alike on
 *            every rank without any collective, so no rank is left waiting.
 *
 * An error inside an owner's call is caught there and broadcast in place of
 * the results, then raised on every rank; an error inside a call every rank
 * runs is raised after the command's collective end. Either way every rank
 * passes the same collectives.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cli/cli.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include "../net/dist_net.h"
#include "../net/events.h"
#include "../sim/dist.h"
#include "lx.h"

enum kind { K_OWNER = 1, K_OWNER_CHANGE, K_EVERY, K_COMMAND, K_REFUSED };

/* The C methods that do not run as in one process; any other not in this list is refused. */
static const struct {
	const char *type, *name;
	enum kind kind;
} calls[] = {
	{LX_NODE, "cmd", K_COMMAND}, {LX_NODE, "cmd_json", K_COMMAND}, {LX_NODE, "exec", K_COMMAND},
	{LX_NET, "cmd", K_COMMAND}, {LX_NET, "cmd_json", K_COMMAND},
	{LX_NODE, "routes", K_OWNER}, {LX_NODE, "route", K_OWNER}, {LX_NODE, "protocols", K_OWNER},
	{LX_NODE, "protocol_running", K_OWNER}, {LX_NODE, "ping", K_OWNER},
	{LX_NODE, "traceroute", K_OWNER}, {LX_IFACE, "stats", K_OWNER},
	{LX_NODE, "set_up", K_EVERY}, {LX_IFACE, "set_up", K_EVERY}, {LX_LINK, "set_up", K_EVERY},
	{LX_NODE, "stop_protocol", K_OWNER_CHANGE}, {LX_NODE, "start_protocol", K_OWNER_CHANGE},
	{LX_NODE, "set_policy", K_OWNER_CHANGE},
	/* (every rank makes the stream, its device's rank runs it: lx_ping.c) */
	{LX_NODE, "ping_stream", K_EVERY}, {LX_PING, "stats", K_OWNER}, {LX_PING, "result", K_OWNER},
	{LX_PING, "done", K_OWNER}, {LX_PING, "stop", K_OWNER},
};

/* Those that run on every rank as in one process (see the top of the file). */
static const struct {
	const char *type, *name;
} local[] = {
	{LX_NET, "at"}, {LX_NET, "after"}, {LX_NET, "every"}, {LX_NET, "on"}, {LX_NET, "off"},
	{LX_NET, "signal"}, {LX_NET, "start"}, {LX_NET, "build"}, {LX_NET, "run"},
	{LX_NET, "run_until_converged"}, {LX_NET, "now"}, {LX_NET, "devices"}, {LX_NET, "links"},
	{LX_NET, "device"}, {LX_NET, "_find_link"}, {LX_NET, "_chaos"}, {LX_NET, "mark"},
	{LX_NET, "timeline"}, {LX_NET, "summary"}, {LX_NET, "_dev"}, {LX_NET, "walk"},
	{LX_NET, "loops"}, {LX_NET, "verify"}, {LX_NET, "info"}, {LX_TIMER, "cancel"},
	{LX_TIMER, "pending"}, {LX_NODE, "interfaces"}, {LX_NODE, "iface"}, {LX_LINK, "set_loss"},
	{LX_LINK, "set_delay"}, {LX_LINK, "set_reorder"}, {LX_LINK, "set_duplicate"},
	{LX_LINK, "set_oneway"}, {LX_LINK, "set_bandwidth"}, {LX_LINK, "ends"},
	{LX_LINK, "devices"},
	/* netsim.core */
	{NULL, "network"}, {NULL, "current"}, {NULL, "set_current"}, {NULL, "where"},
	{NULL, "node_handle"}, {NULL, "iface_handle"}, {NULL, "link_handle"}, {NULL, "fail"},
	{NULL, "pass"}, {NULL, "report"}, {NULL, "time"}, {NULL, "mode"}, {NULL, "load"},
	{NULL, "id"}, {NULL, "loadfile"}, {NULL, "typeof"}, {NULL, "json"}, {NULL, "json_decode"},
	/* (and running one: every rank alike, as a global command: runner_entry_dist) */
	{NULL, "command"},
};

static bool
same(const char *a, const char *b)
{
	return (a == NULL) == (b == NULL) && (a == NULL || strcmp(a, b) == 0);
}

static int
kind_of(const char *type, const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(local); i++)
		if (same(local[i].type, type) && strcmp(local[i].name, name) == 0)
			return 0;
	for (size_t i = 0; i < ARRAY_LEN(calls); i++)
		if (same(calls[i].type, type) && strcmp(calls[i].name, name) == 0)
			return (int)calls[i].kind;
	return K_REFUSED;
}

/* ---- Lua values across ranks -------------------------------------------------------------- */

#define ENC_DEPTH 32

/* The value at idx appended to b; false for what cannot cross (functions, handles, cycles). */
static bool
encode(lua_State *L, int idx, struct strbuf *b, int depth)
{
	int t = lua_type(L, idx);

	idx = lua_absindex(L, idx);
	switch (t) {
	case LUA_TNIL:
		sb_addc(b, 'n');
		return true;
	case LUA_TBOOLEAN:
		sb_addc(b, lua_toboolean(L, idx) ? 'T' : 'F');
		return true;
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx)) {
			lua_Integer v = lua_tointeger(L, idx);

			sb_addc(b, 'i');
			sb_addn(b, (const char *)&v, sizeof(v));
		} else {
			lua_Number v = lua_tonumber(L, idx);

			sb_addc(b, 'f');
			sb_addn(b, (const char *)&v, sizeof(v));
		}
		return true;
	case LUA_TSTRING: {
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);
		uint64_t n = len;

		sb_addc(b, 's');
		sb_addn(b, (const char *)&n, sizeof(n));
		sb_addn(b, s, len);
		return true;
	}
	case LUA_TLIGHTUSERDATA:
		/* netsim.null (a JSON null) is the only light userdata a result holds. */
		if (lua_touserdata(L, idx) != NULL)
			return false;
		sb_addc(b, '0');
		return true;
	case LUA_TTABLE:
		if (depth >= ENC_DEPTH || lua_getmetatable(L, idx)) {
			if (depth < ENC_DEPTH)
				lua_pop(L, 1);
			return false;
		}
		sb_addc(b, 't');
		lua_pushnil(L);
		while (lua_next(L, idx)) {
			if (!encode(L, -2, b, depth + 1) || !encode(L, -1, b, depth + 1)) {
				lua_pop(L, 2);
				return false;
			}
			lua_pop(L, 1);
		}
		sb_addc(b, 'e');
		return true;
	default:
		return false;
	}
}

/* Push the value encoded at *p (end e), advancing *p; the encoding is this file's own. */
static void
decode(lua_State *L, const char **p, const char *e)
{
	char c = *(*p)++;

	switch (c) {
	case 'n':
		lua_pushnil(L);
		break;
	case 'T':
	case 'F':
		lua_pushboolean(L, c == 'T');
		break;
	case '0':
		lua_pushlightuserdata(L, NULL);
		break;
	case 'i': {
		lua_Integer v;

		memcpy(&v, *p, sizeof(v));
		*p += sizeof(v);
		lua_pushinteger(L, v);
		break;
	}
	case 'f': {
		lua_Number v;

		memcpy(&v, *p, sizeof(v));
		*p += sizeof(v);
		lua_pushnumber(L, v);
		break;
	}
	case 's': {
		uint64_t n;

		memcpy(&n, *p, sizeof(n));
		*p += sizeof(n);
		lua_pushlstring(L, *p, (size_t)n);
		*p += n;
		break;
	}
	case 't':
		lua_newtable(L);
		while (*p < e && **p != 'e') {
			decode(L, p, e);
			decode(L, p, e);
			lua_rawset(L, -3);
		}
		(*p)++;
		break;
	default:
		bug("lx_dist: bad encoding '%c'", c);
	}
}

/* ---- the wrapper ---------------------------------------------------------------------------- */

/* The network and (when it is a device's or an interface's) device of self, a `type`, made live. */
static struct node *
self_of(lua_State *L, const char *type, struct lx_net **lnp)
{
	struct lx_net *ln = NULL;
	struct node *n = NULL;

	if (strcmp(type, LX_NODE) == 0)
		lx_checknode(L, 1, &ln);
	else if (strcmp(type, LX_IFACE) == 0)
		lx_checkiface(L, 1, &ln);
	else if (strcmp(type, LX_LINK) == 0)
		lx_checklink(L, 1, &ln);
	else if (strcmp(type, LX_PING) == 0)
		lx_stream_node(L, 1, &ln);
	else
		ln = lx_checknet(L, 1);
	lx_live(L, ln);
	/* (after the build: a handle made before it names its spec) */
	if (strcmp(type, LX_NODE) == 0)
		n = lx_checknode(L, 1, &ln);
	else if (strcmp(type, LX_IFACE) == 0)
		n = lx_checkiface(L, 1, &ln)->node;
	else if (strcmp(type, LX_PING) == 0)
		n = lx_stream_node(L, 1, &ln);
	*lnp = ln;
	return n;
}

/* Does msg begin with a position ("file:line:"), as luaL_error's and the configuration's do? */
static bool
positioned(const char *msg)
{
	const char *c = strchr(msg, ':');

	if (c == NULL || c == msg || strcspn(msg, " \t\n") < (size_t)(c - msg) ||
	    !isdigit((unsigned char)c[1]))
		return false;
	for (c++; isdigit((unsigned char)*c); c++)
		;
	return *c == ':';
}

/*
 * An error of the wrapped function as Lua would have worded it in one
 * process, where the function's caller is the Lua code that called the
 * wrapper (lua_pcall from here hides it). The error is on the top.
 *
 * An argument error names the function and the caller's line ("bad
 * argument #2 to '?'" from here): the wrapper's own name, whether it was a
 * method call (self is not counted) and where (its caller's "file:line: "),
 * as luaL_argerror words it. Any other error the function raised with
 * luaL_error got no position here (its caller is this C function): it gets
 * its caller's, where, unless it has one (a configuration error's).
 */
static void
name_error(lua_State *L, const lua_Debug *ar, const char *where)
{
	const char *msg = lua_tostring(L, -1), *rest;
	int arg;

	if (lua_type(L, -1) != LUA_TSTRING)
		return;
	if (sscanf(msg, "bad argument #%d to '", &arg) != 1 ||
	    (rest = strchr(msg, '\'')) == NULL || (rest = strchr(rest + 1, '\'')) == NULL) {
		if (*where != '\0' && !positioned(msg)) {
			lua_pushfstring(L, "%s%s", where, msg);
			lua_replace(L, -2);
		}
		return;
	}
	rest++;
	if (ar->name == NULL)
		lua_pushfstring(L, "%sbad argument #%d to '?'%s", where, arg, rest);
	else if (strcmp(ar->namewhat, "method") == 0 && --arg == 0)
		lua_pushfstring(L, "%scalling '%s' on bad self%s", where, ar->name, rest);
	else
		lua_pushfstring(L, "%sbad argument #%d to '%s'%s", where, arg, ar->name, rest);
	lua_replace(L, -2);
}

/*
 * The owner's call: run it there, the others stepping along, and every rank
 * pushes the broadcast results and returns how many, or -1 with the
 * broadcast error on the top of the stack.
 */
static int
on_owner(lua_State *L, struct network *net, int owner, const char *name, const lua_Debug *ar,
    const char *where)
{
	struct strbuf rec = STRBUF_INIT;
	const char *p, *e;
	int nargs = lua_gettop(L), n = 0;

	if (owner == dist_rank) {
		int st;

		lua_pushvalue(L, lua_upvalueindex(1));
		lua_insert(L, 1);
		dist_alone_begin();
		st = lua_pcall(L, nargs, LUA_MULTRET, 0);
		dist_alone_end();
		cli_follow_end();
		if (st != LUA_OK)
			name_error(L, ar, where);
		n = lua_gettop(L);
		sb_addc(&rec, st == LUA_OK ? 'r' : 'x');
		for (int i = 1; i <= (st == LUA_OK ? n : 1); i++)
			if (!encode(L, i, &rec, 0)) {
				rec.len = 0;
				sb_addc(&rec, 'x');
				lua_pushfstring(L, "%s: its result cannot be sent to the other ranks "
				    "of mpirun (docs/distributed.md)", name);
				encode(L, -1, &rec, 0);
				break;
			}
		lua_settop(L, 0);
	} else {
		cli_follow(net, owner);
	}
	dist_bcast(&rec, owner);
	lua_settop(L, 0);
	p = rec.s + 1;
	e = rec.s + rec.len;
	for (n = 0; p < e; n++)
		decode(L, &p, e);
	n = rec.s[0] == 'x' ? -1 : n;
	sb_free(&rec);
	return n;
}

/*
 * A change: every rank runs it as a command; the events it caused are
 * dispatched at its end. How many results, or -1 with the error on the top.
 */
static int
on_every(lua_State *L, struct network *net, const lua_Debug *ar, const char *where)
{
	int nargs = lua_gettop(L), st;

	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	dist_command_begin();
	st = lua_pcall(L, nargs, LUA_MULTRET, 0);
	ev_flush_command(net);
	if (st != LUA_OK)
		name_error(L, ar, where);
	return st == LUA_OK ? lua_gettop(L) : -1;
}

/*
 * A change of one device: its owner runs it, inside a command of every rank
 * (its events dispatched at the end, in its order, its frames crossing in
 * it). A disturbance it marks (lx_net_mark: run_until_converged measures
 * from it) is marked on every rank, each with its own counts: the owner
 * says whether it did.
 */
static int
on_owner_change(lua_State *L, struct lx_net *ln, int owner, const char *name,
    const lua_Debug *ar, const char *where)
{
	struct sim *s = &ln->net->sim;
	bool was = ln->mark == s->now && ln->mark_frames != 0;
	int nres, marked;

	dist_command_begin();
	nres = on_owner(L, ln->net, owner, name, ar, where);
	ev_flush_command(ln->net);
	marked = dist_bcast_int(!was && ln->mark == s->now && ln->mark_frames != 0, owner);
	if (marked && owner != dist_rank)
		lx_net_mark(ln);
	return nres;
}

static int
refuse(lua_State *L, const char *name)
{
	return luaL_error(L, "%s is not available under mpirun (docs/distributed.md)", name);
}

/* upvalues: the C function, its name for messages ("dev:routes"), its kind, self's type. */
static int
dist_call(lua_State *L)
{
	const char *name = lua_tostring(L, lua_upvalueindex(2));
	int kind = (int)lua_tointeger(L, lua_upvalueindex(3));
	struct lx_net *ln;
	struct node *n;
	int nres;
	lua_Debug ar = {0};
	char where[256];

	if (kind == K_REFUSED)
		return refuse(L, name);
	if (!lua_getstack(L, 0, &ar) || !lua_getinfo(L, "n", &ar))
		ar.name = NULL;
	luaL_where(L, 1);
	snprintf(where, sizeof(where), "%s", lua_tostring(L, -1));
	lua_pop(L, 1);
	n = self_of(L, lua_tostring(L, lua_upvalueindex(4)), &ln);
	if (kind == K_COMMAND) {
		const char *line = luaL_checkstring(L, 2);

		switch (runner_entry_dist(n ? n->name : NULL, line)) {
		case ENTRY_OWNER:
			kind = K_OWNER;
			break;
		case ENTRY_OWNER_CHANGE:
			kind = K_OWNER_CHANGE;
			break;
		case ENTRY_EVERY_RANK:
			kind = K_EVERY;
			break;
		case ENTRY_GLOBAL:
			/*
			 * As a local call, in this call's own frame (the methods take
			 * no upvalues): a traceback (a command defined in Lua that
			 * raised) and an error's position are one process's.
			 */
			return lua_tocfunction(L, lua_upvalueindex(1))(L);
		default:
			return luaL_error(L, "%s('%s') is not available under mpirun: a device's commands, "
			    "link up|down, converge and verify are (docs/distributed.md)", name, line);
		}
	}
	if ((kind == K_OWNER || kind == K_OWNER_CHANGE) && n == NULL)
		return refuse(L, name);
	/*
	 * Global context acts (the main chunk of a scenario is not a global
	 * event, which sets this itself): the engine's next step, the call's own
	 * (a ping's) or a later one, first exchanges what it sent and takes the
	 * earliest pending event afresh over the ranks (sim_step), as after a
	 * global event. The call leaves it so (a ping sent from here).
	 */
	ln->net->sim.last_global = true;
	if (kind == K_EVERY)
		nres = on_every(L, ln->net, &ar, where);
	else if (kind == K_OWNER_CHANGE)
		nres = on_owner_change(L, ln, dist_net_owner(ln->net, n->id), name, &ar, where);
	else
		nres = on_owner(L, ln->net, dist_net_owner(ln->net, n->id), name, &ar,
		    where);
	ln->net->sim.last_global = true;
	return nres < 0 ? lua_error(L) : nres;
}

/* Wrap the C functions of the table on the top of the stack (type: its methods' type, or NULL). */
static void
wrap_table(lua_State *L, const char *type, const char *prefix)
{
	int t = lua_gettop(L);

	lua_pushnil(L);
	while (lua_next(L, t)) {
		const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
		int kind = key ? kind_of(type, key) : 0;

		if (kind == 0 || !lua_iscfunction(L, -1)) {
			lua_pop(L, 1);
			continue;
		}
		lua_pushfstring(L, "%s%s", prefix, key);
		lua_pushinteger(L, kind);
		lua_pushstring(L, type ? type : "");
		lua_pushcclosure(L, dist_call, 4);
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, t); /* an existing key: lua_next goes on */
	}
}

void
lx_dist_wrap(lua_State *L, int core)
{
	static const struct {
		const char *type, *prefix;
	} types[] = {
		{LX_NET, "net:"}, {LX_NODE, "dev:"}, {LX_IFACE, "iface:"}, {LX_LINK, "link:"},
		{LX_TIMER, "timer:"}, {LX_PING, "stream:"},
	};

	if (!dist_on())
		return;
	core = lua_absindex(L, core);
	for (size_t i = 0; i < ARRAY_LEN(types); i++) {
		lua_getfield(L, LUA_REGISTRYINDEX, lua_pushfstring(L, "%s.methods", types[i].type));
		wrap_table(L, types[i].type, types[i].prefix);
		lua_pop(L, 2);
	}
	lua_pushvalue(L, core);
	wrap_table(L, NULL, "netsim.");
	lua_pop(L, 1);
}

lua_Integer
lx_dist_count(uint64_t v)
{
	if (dist_on())
		dist_reduce(DIST_SUM_U64, &v, 1);
	return (lua_Integer)v;
}

void
lx_dist_start(lua_State *L, struct lx_net *ln)
{
	const struct script_item *si;

	if (!dist_on())
		return;
	if (dist_net_network() != NULL && dist_net_network() != ln->net)
		luaL_error(L, "network %s: a second network is not available under mpirun "
		    "(docs/distributed.md)", ln->name);
	if ((si = runner_dist_refused(ln->topo)) != NULL)
		luaL_error(L, "network %s: script entry at line %d: '%s' is not available under "
		    "mpirun (docs/distributed.md)", ln->name, si->line, si->command);
	if (dist_net_network() == NULL)
		dist_net_setup(ln->net);
}

void
lx_dist_sum(lua_State *L, int idx, const char *const *fields, size_t n)
{
	struct strbuf mine = STRBUF_INIT, all = STRBUF_INIT;

	if (!dist_on())
		return;
	idx = lua_absindex(L, idx);
	/* This rank's numbers (the fields, in order, as one table), then every rank's. */
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_getfield(L, idx, fields[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	if (!encode(L, -1, &mine, 0))
		bug("lx_dist_sum: a field that is not a number or a table of them");
	lua_pop(L, 1);
	dist_allgatherv(&mine, &all);
	for (size_t i = 0; i < n; i++) {
		lua_pushnil(L);
		lua_setfield(L, idx, fields[i]);
	}
	for (const char *p = all.s, *e = all.s + all.len; p < e;) {
		int r;

		decode(L, &p, e);
		r = lua_gettop(L);
		for (size_t i = 0; i < n; i++) {
			lua_rawgeti(L, r, (lua_Integer)i + 1);
			lua_getfield(L, idx, fields[i]);
			if (lua_istable(L, -2)) { /* a table of counters: summed key by key */
				if (lua_isnil(L, -1)) {
					lua_pop(L, 1);
					lua_newtable(L);
					lua_pushvalue(L, -1);
					lua_setfield(L, idx, fields[i]);
				}
				lua_pushnil(L);
				while (lua_next(L, -3)) {
					lua_pushvalue(L, -2);
					lua_rawget(L, -4);
					lua_pushinteger(L, lua_tointeger(L, -1) + lua_tointeger(L, -2));
					lua_pushvalue(L, -4);
					lua_insert(L, -2);
					lua_rawset(L, -6);
					lua_pop(L, 2);
				}
				lua_pop(L, 2);
			} else {
				lua_pushinteger(L, lua_tointeger(L, -1) + lua_tointeger(L, -2));
				lua_setfield(L, idx, fields[i]);
				lua_pop(L, 2);
			}
		}
		lua_settop(L, r - 1);
	}
	sb_free(&mine);
	sb_free(&all);
}
