/*
 * lx_ping.c: ping and traceroute from Lua. dev:ping() and dev:traceroute()
 * block like the CLI commands (the simulation runs until they finish, user
 * events held); dev:ping_stream() runs in the background (a probe every
 * `interval`) for loss measurements while chaos happens.
 *
 * Results are the CLI's JSON forms (ping_json, traceroute_json) as Lua
 * tables, plus `text` (what the CLI prints) and `ok`.
 */
#include <stdlib.h>

#include "../cli/cli.h"
#include "../lib/json.h"
#include "../lib/util.h"
#include "../net/ping.h"
#include "../sim/dist.h"
#include "lx.h"

struct lx_stream {
	struct lx_stream *next;
	uint64_t id;
	struct node *node;
	struct ping *pg; /* NULL on the ranks of mpirun other than node's: its owner pings */
};

static void
ping_opts(lua_State *L, int idx, struct lx_net *ln, struct node *n, struct ping_opts *o)
{
	o->count = 5;
	o->size = 56;
	if (lua_isnoneornil(L, idx))
		return;
	luaL_checktype(L, idx, LUA_TTABLE);
	lua_getfield(L, idx, "count");
	o->count = (int)luaL_optinteger(L, -1, o->count);
	lua_getfield(L, idx, "size");
	o->size = (int)luaL_optinteger(L, -1, o->size);
	lua_getfield(L, idx, "ttl");
	o->ttl = (uint8_t)luaL_optinteger(L, -1, 0);
	lua_getfield(L, idx, "df");
	o->df = lua_toboolean(L, -1);
	lua_pop(L, 4);
	if (o->count < 1 || o->count > 1000000)
		luaL_error(L, "ping: count must be from 1 to 1000000");
	if (o->size < 0 || o->size > 65507)
		luaL_error(L, "ping: size must be from 0 to 65507");
	o->timeout = lx_fieldtime(L, idx, "timeout", 0);
	o->interval = lx_fieldtime(L, idx, "interval", 0);
	lua_getfield(L, idx, "source");
	if (!lua_isnil(L, -1)) {
		o->src = lx_toaddr(L, -1, ln);
		if (!node_is_local(n, o->src))
			luaL_error(L, "ping: %s is not an address of %s", ip_str(o->src), n->name);
	}
	lua_pop(L, 1);
}

static struct node *
l3(lua_State *L, int idx, struct lx_net **lnp)
{
	struct node *n = lx_checknode(L, idx, lnp);

	if (n->ip == NULL)
		luaL_error(L, "%s is a switch: it cannot ping", n->name);
	return n;
}

/* The engine's JSON form of a result (in b) as a table, plus `text`: what the CLI prints. */
static void
push_result(lua_State *L, const struct strbuf *b, const struct strbuf *text)
{
	char err[128];
	struct jval *v = json_parse(b->s, b->len, err, sizeof(err));

	if (v == NULL)
		luaL_error(L, "internal: bad JSON from the engine: %s", err);
	lx_pushjval(L, v, 0);
	jval_free(v);
	lua_pushstring(L, sb_str(text));
	lua_setfield(L, -2, "text");
}

static void
push_ping(lua_State *L, const struct ping *pg)
{
	struct strbuf b = STRBUF_INIT, text = STRBUF_INIT;
	struct json j;

	json_init(&j, &b, false);
	ping_json(pg, &j);
	ping_format(pg, &text);
	push_result(L, &b, &text);
	sb_free(&b);
	sb_free(&text);
}

static bool
ping_done(void *arg)
{
	return ((struct ping *)arg)->done;
}

static bool
tr_done(void *arg)
{
	return ((struct traceroute *)arg)->done;
}

/* Block like the CLI command: run the simulation (user events held) until done(arg). */
static void
wait_for(struct lx_net *ln, struct node *n, bool (*done)(void *), void *arg)
{
	struct cli_ctx c;

	cli_ctx_init(&c, ln->net, n);
	cli_run_until(&c, done, arg, SIM_NEVER);
	cli_ctx_free(&c);
}

/* dev:ping(dst [, {count, size, timeout, interval, ttl, source, df}]) -> result table */
static int
l_ping(lua_State *L)
{
	struct lx_net *ln;
	struct node *n = l3(L, 1, &ln);
	struct ping_opts o = {0};
	struct ping *pg;

	o.dst = lx_toaddr(L, 2, ln);
	ping_opts(L, 3, ln, n, &o);
	if (!n->up)
		return luaL_error(L, "%s is down", n->name);
	pg = ping_start(n, &o);
	wait_for(ln, n, ping_done, pg);
	push_ping(L, pg);
	lua_pushboolean(L, pg->received > 0);
	lua_setfield(L, -2, "ok");
	lua_pushinteger(L, pg->sent - pg->received);
	lua_setfield(L, -2, "lost");
	ping_free(pg);
	return 1;
}

/* dev:traceroute(dst [, {max_ttl, probes, timeout, source}]) -> {reached, hops = {...}, path} */
static int
l_traceroute(lua_State *L)
{
	struct lx_net *ln;
	struct node *n = l3(L, 1, &ln);
	struct traceroute_opts o = {0};
	struct traceroute *tr;
	struct strbuf b = STRBUF_INIT, text = STRBUF_INIT;
	struct json j;

	o.dst = lx_toaddr(L, 2, ln);
	if (lua_istable(L, 3)) {
		lua_getfield(L, 3, "max_ttl");
		o.max_ttl = (int)luaL_optinteger(L, -1, 0);
		lua_getfield(L, 3, "probes");
		o.probes = (int)luaL_optinteger(L, -1, 0);
		lua_pop(L, 2);
		if (o.max_ttl < 0 || o.max_ttl > 255 || o.probes < 0 || o.probes > 10)
			return luaL_error(L, "traceroute: max_ttl is 1-255 and probes 1-10");
		o.timeout = lx_fieldtime(L, 3, "timeout", 0);
		lua_getfield(L, 3, "source");
		if (!lua_isnil(L, -1))
			o.src = lx_toaddr(L, -1, ln);
		lua_pop(L, 1);
	}
	if (!n->up)
		return luaL_error(L, "%s is down", n->name);
	tr = traceroute_start(n, &o);
	wait_for(ln, n, tr_done, tr);
	json_init(&j, &b, false);
	traceroute_json(tr, &j);
	traceroute_format(tr, &text);
	push_result(L, &b, &text);
	sb_free(&b);
	sb_free(&text);
	/* path: the device answering each hop (first probe that answered). */
	lua_newtable(L);
	for (int h = 0, k = 0; h < tr->last_hop; h++)
		for (int i = 0; i < tr->o.probes; i++) {
			const struct probe *pr = &tr->probes[h * tr->o.probes + i];
			const char *who = NULL;

			if (pr->status != PROBE_OK && pr->status != PROBE_UNREACH)
				continue;
			for (size_t d = 0; d < ln->net->nnodes && !who; d++)
				if (node_is_local(ln->net->nodes[d], pr->from))
					who = ln->net->nodes[d]->name;
			lua_pushstring(L, who ? who : ip_str(pr->from));
			lua_rawseti(L, -2, ++k);
			break;
		}
	lua_setfield(L, -2, "path");
	traceroute_free(tr);
	return 1;
}

static void
push_stream(lua_State *L, struct lx_net *ln, struct lx_stream *st, uint32_t dst)
{
	struct lx_ref *r = lx_newref(L, ln, LX_PING, 0, (uint32_t)st->id, 0);

	snprintf(r->name, sizeof(r->name), "%s -> %s", st->node->name, ip_str(dst));
}

/* dev:ping_stream(dst, {interval = "10ms", count = N | duration = d, timeout}) -> stream */
static int
l_ping_stream(lua_State *L)
{
	struct lx_net *ln;
	struct node *n = l3(L, 1, &ln);
	struct ping_opts o = {0};
	struct lx_stream *st;
	sim_time duration;
	bool has_count = false;

	o.dst = lx_toaddr(L, 2, ln);
	ping_opts(L, 3, ln, n, &o);
	if (o.interval == 0)
		o.interval = 10 * SIM_MS;
	if (o.timeout == 0)
		o.timeout = 500 * SIM_MS;
	duration = lx_fieldtime(L, 3, "duration", -1);
	if (lua_istable(L, 3)) {
		lua_getfield(L, 3, "count");
		has_count = !lua_isnil(L, -1);
		lua_pop(L, 1);
	}
	/* Without a count: `duration`, by default a minute of probes. */
	if (!has_count)
		o.count = (int)MAX(1, MIN((duration >= 0 ? duration : 60 * SIM_S) / o.interval,
		    1000000));
	if (!n->up)
		return luaL_error(L, "%s is down", n->name);
	/*
	 * Under mpirun every rank makes the stream (its handle names it alike
	 * everywhere); the device's rank runs it, and its methods run there
	 * (lx_dist.c).
	 */
	st = xcalloc(1, sizeof(*st));
	st->id = ln->next_id++;
	st->node = n;
	st->pg = dist_on() && n->actor.ghost ? NULL : ping_start(n, &o);
	st->next = ln->streams;
	ln->streams = st;
	push_stream(L, ln, st, o.dst);
	return 1;
}

static struct lx_stream *
checkstream(lua_State *L, int idx)
{
	struct lx_ref *r = luaL_checkudata(L, idx, LX_PING);
	struct lx_net *ln = lx_net_get(lx_script(L), r->slot, r->gen);

	if (ln == NULL)
		luaL_error(L, "ping stream %s belongs to a network that was closed", r->name);
	for (struct lx_stream *st = ln->streams; st; st = st->next)
		if ((uint32_t)st->id == r->id)
			return st;
	luaL_error(L, "ping stream %s was freed", r->name);
	return NULL;
}

struct node *
lx_stream_node(lua_State *L, int idx, struct lx_net **lnp)
{
	struct lx_ref *r = luaL_checkudata(L, idx, LX_PING);

	*lnp = lx_net_get(lx_script(L), r->slot, r->gen);
	return checkstream(L, idx)->node;
}

/* stream:stats() -> {sent, received, lost, pending, done} (pending probes are not lost yet). */
static int
l_stats(lua_State *L)
{
	struct ping *pg = checkstream(L, 1)->pg;
	int pending = 0, lost = 0;

	for (int i = 0; i < pg->sent; i++) {
		if (pg->probes[i].status == PROBE_PENDING)
			pending++;
		else if (pg->probes[i].status != PROBE_OK)
			lost++;
	}
	lua_createtable(L, 0, 5);
	lua_pushinteger(L, pg->sent);
	lua_setfield(L, -2, "sent");
	lua_pushinteger(L, pg->received);
	lua_setfield(L, -2, "received");
	lua_pushinteger(L, lost);
	lua_setfield(L, -2, "lost");
	lua_pushinteger(L, pending);
	lua_setfield(L, -2, "pending");
	lua_pushboolean(L, pg->done);
	lua_setfield(L, -2, "done");
	return 1;
}

static int
l_result(lua_State *L)
{
	push_ping(L, checkstream(L, 1)->pg);
	return 1;
}

/* stream:stop(): send no more probes; the outstanding ones still resolve (reply or timeout). */
static int
l_stop(lua_State *L)
{
	struct ping *pg = checkstream(L, 1)->pg;

	if (pg->o.count > pg->sent)
		pg->o.count = pg->sent > 0 ? pg->sent : 1;
	return 0;
}

static int
l_done(lua_State *L)
{
	lua_pushboolean(L, checkstream(L, 1)->pg->done);
	return 1;
}

static int
l_tostring(lua_State *L)
{
	struct lx_ref *r = luaL_checkudata(L, 1, LX_PING);

	lua_pushfstring(L, "ping stream %s", r->name);
	return 1;
}

void
lx_stream_free_all(struct lx_net *ln)
{
	while (ln->streams) {
		struct lx_stream *st = ln->streams;

		ln->streams = st->next;
		if (ln->net != NULL && st->pg != NULL)
			ping_free(st->pg);
		free(st);
	}
}

int
luaopen_netsim_ping(lua_State *L)
{
	static const luaL_Reg stream_methods[] = {
		{"stats", l_stats}, {"result", l_result}, {"stop", l_stop}, {"done", l_done},
		{NULL, NULL},
	};
	/* Device methods. */
	static const luaL_Reg node_methods[] = {
		{"ping", l_ping}, {"traceroute", l_traceroute}, {"ping_stream", l_ping_stream},
		{NULL, NULL},
	};

	lx_newtype(L, LX_PING, stream_methods, NULL, l_tostring);
	lx_addmethods(L, LX_NODE, node_methods);
	return 0;
}
