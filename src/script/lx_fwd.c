/*
 * lx_fwd.c: the FIB walk (verify/walk.h) for Lua: net:walk(src, dst), the
 * single walk, net:loops(), which expect.no_loops() reads, and the intent
 * checks (verify/intent.h) as net:verify(intents), which expect.verify reads.
 * Under mpirun every rank walks and checks alike, each device's hop decided
 * on its rank (walk_run_lockstep), each device's tables read there
 * (intent.c).
 */
#include <stdlib.h>

#include "../net/converge.h"
#include "../verify/intent.h"
#include "../verify/walk.h"
#include "lx.h"

void
lx_pushnames(lua_State *L, struct network *net, const uint32_t *ids, int n)
{
	lua_createtable(L, n, 0);
	for (int i = 0; i < n; i++) {
		lua_pushstring(L, net->nodes[ids[i]]->name);
		lua_rawseti(L, -2, i + 1);
	}
}

/*
 * net:walk(src, dst) -> {result = "delivered"|"loop"|"no_route"|"blackhole"|"down"|"unresolved",
 *                        path = {names...}, route = {names...}, delivered = bool}
 * path is the branch with the problem (the loop closes on its last name), else empty;
 * route is the first branch that delivers (ECMP: the first next hop's), else empty.
 */
static int
l_walk(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);
	struct network *net = lx_live(L, ln);
	struct node *src = lx_tonode(L, 2, ln);
	uint32_t dst = lx_toaddr(L, 3, ln);
	struct walk w;

	walk_run_lockstep(&w, net, src, dst, NULL, NULL);
	lua_createtable(L, 0, 4);
	lua_pushstring(L, walk_result_names[walk_result(&w)]);
	lua_setfield(L, -2, "result");
	lua_pushboolean(L, w.delivered);
	lua_setfield(L, -2, "delivered");
	lx_pushnames(L, net, w.bad, w.nbad);
	lua_setfield(L, -2, "path");
	lx_pushnames(L, net, w.good, w.ngood);
	lua_setfield(L, -2, "route");
	lua_pushstring(L, ip_str(dst));
	lua_setfield(L, -2, "destination");
	return 1;
}

/*
 * net:loops() -> list of {source, destination (address), device (owner), path}:
 * every forwarding loop from each router/host to each address of every other
 * router/host.
 */
static int
l_loops(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);
	struct network *net = lx_live(L, ln);
	int k = 0;

	lua_newtable(L);
	for (size_t a = 0; a < net->nnodes; a++) {
		struct node *src = net->nodes[a];

		if (src->rib == NULL || !src->up)
			continue;
		for (size_t b = 0; b < net->nnodes; b++) {
			struct node *dn = net->nodes[b];

			if (b == a || dn->rib == NULL)
				continue;
			for (size_t i = 0; i < dn->nifs; i++) {
				struct walk w;

				if (dn->ifs[i]->addr == 0)
					continue;
				walk_run_lockstep(&w, net, src, dn->ifs[i]->addr, NULL, NULL);
				if (!w.any_bad || w.worst != WALK_LOOP)
					continue;
				lua_createtable(L, 0, 4);
				lua_pushstring(L, src->name);
				lua_setfield(L, -2, "source");
				lua_pushstring(L, ip_str(dn->ifs[i]->addr));
				lua_setfield(L, -2, "destination");
				lua_pushstring(L, dn->name);
				lua_setfield(L, -2, "device");
				lx_pushnames(L, net, w.bad, w.nbad);
				lua_setfield(L, -2, "path");
				lua_rawseti(L, -2, ++k);
			}
		}
	}
	return 1;
}

/*
 * net:verify(intents) -> the report of docs/verify.md as a table: intents a
 * list of them ({{reachable = {from = "h1", to = "h3"}}, ...}), one alone,
 * or their YAML text. Bad intents raise an error naming what is wrong.
 */
static int
l_verify(lua_State *L)
{
	struct lx_net *ln = lx_checknet(L, 1);
	struct network *net = lx_live(L, ln);
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT, rep = STRBUF_INIT;
	struct intent_tally t;
	struct intents in;
	struct jval *v;
	struct json j;
	char perr[128];
	bool ok;

	if (lua_type(L, 2) == LUA_TSTRING) {
		sb_add(&text, lua_tostring(L, 2));
	} else {
		luaL_checktype(L, 2, LUA_TTABLE);
		/* One intent ({reachable = {...}}) is a list of one. */
		if (lua_rawlen(L, 2) == 0) {
			lua_createtable(L, 1, 0);
			lua_pushvalue(L, 2);
			lua_rawseti(L, -2, 1);
			lua_replace(L, 2);
		}
		json_init(&j, &text, false);
		if (!lx_tojson(L, 2, &j, 0)) {
			sb_free(&text);
			return luaL_error(L, "net:verify: intents nested too deeply");
		}
	}
	ok = intents_parse("net:verify", sb_str(&text), text.len, &in, &err);
	sb_free(&text);
	if (!ok) {
		intents_free(&in);
		while (err.len > 0 && err.s[err.len - 1] == '\n')
			err.s[--err.len] = '\0';
		lua_pushstring(L, sb_str(&err));
		sb_free(&err);
		return lua_error(L);
	}
	/* A change made from Lua just now (chaos.link_down) counts: is the network still converged? */
	converge_check(net);
	json_init(&j, &rep, false);
	intents_check(net, &in, &j, &t);
	intents_free(&in);
	v = json_parse(rep.s, rep.len, perr, sizeof(perr));
	sb_free(&rep);
	sb_free(&err);
	lx_pushjval(L, v, 0);
	jval_free(v);
	return 1;
}

int
luaopen_netsim_fwd(lua_State *L)
{
	static const luaL_Reg net_methods[] = {{"walk", l_walk}, {"loops", l_loops},
	    {"verify", l_verify}, {NULL, NULL}};

	lx_addmethods(L, LX_NET, net_methods);
	return 0;
}
