/*
 * lx_fwd.c: following the FIBs, as expect.no_loops() and expect.reachable()
 * need: net:walk() and net:loops() over net/fwdwalk.h, every ECMP branch.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "../net/fwdwalk.h"
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
	struct fwd_walk w;

	fwd_walk(net, src, dst, 0, &w);
	lua_createtable(L, 0, 4);
	lua_pushstring(L, w.any_bad ? fwd_verdict_names[w.worst] : "delivered");
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
				struct fwd_walk w;

				if (dn->ifs[i]->addr == 0)
					continue;
				fwd_walk(net, src, dn->ifs[i]->addr, 0, &w);
				if (!w.any_bad || w.worst != FWD_LOOP)
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

int
luaopen_netsim_fwd(lua_State *L)
{
	static const luaL_Reg net_methods[] = {{"walk", l_walk}, {"loops", l_loops}, {NULL, NULL}};

	lx_addmethods(L, LX_NET, net_methods);
	return 0;
}
