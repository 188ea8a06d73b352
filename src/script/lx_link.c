/*
 * lx_link.c: links in Lua (netsim.Link): state, loss, reordering, duplication,
 * delay, bandwidth; the chaos primitives.
 */
#include <string.h>

#include "lx.h"

void
lx_pushlink(lua_State *L, struct lx_net *ln, uint32_t id, const char *name)
{
	lx_pushhandle(L, ln, "links", (lua_Integer)id + 1, LX_LINK, id, -1, name);
}

struct link *
lx_checklink(lua_State *L, int idx, struct lx_net **lnp)
{
	struct lx_ref *r = lx_checkref(L, idx, LX_LINK, "link", lnp);
	struct network *net = lx_live(L, *lnp);

	if (r->id >= net->nlinks)
		luaL_error(L, "link '%s' is not part of network '%s'", r->name, net->name);
	return net->links[r->id];
}

static int
l_set_up(lua_State *L)
{
	struct lx_net *ln;
	struct link *l = lx_checklink(L, 1, &ln);

	luaL_checktype(L, 2, LUA_TBOOLEAN);
	lx_net_mark(ln);
	link_set_up(l, lua_toboolean(L, 2));
	return 0;
}

/* The link of a set_PERCENTAGE(link, percent) call, marked as changed; its percentage in *pct. */
static struct link *
pct_arg(lua_State *L, const char *what, double *pct)
{
	struct lx_net *ln;
	struct link *l = lx_checklink(L, 1, &ln);
	lua_Number v = luaL_checknumber(L, 2);

	if (v < 0 || v > 100)
		luaL_argerror(L, 2, lua_pushfstring(L, "%s is a percentage from 0 to 100", what));
	lx_net_mark(ln);
	*pct = (double)v;
	return l;
}

/* link:set_loss(percent): frame loss 0..100 on every end. */
static int
l_set_loss(lua_State *L)
{
	double pct;
	struct link *l = pct_arg(L, "loss", &pct); /* before reading pct: it sets it */

	l->loss = pct;
	return 0;
}

/* link:set_reorder(percent [, delay]): frames held back by delay (default: the link's). */
static int
l_set_reorder(lua_State *L)
{
	sim_time d = lua_isnoneornil(L, 3) ? 0 : lx_checktime(L, 3);
	double pct;
	struct link *l;

	luaL_argcheck(L, d >= 0, 3, "the reorder delay must not be negative");
	l = pct_arg(L, "reorder", &pct);
	l->reorder = pct;
	l->reorder_delay = d;
	return 0;
}

/* link:set_duplicate(percent): frames delivered twice. */
static int
l_set_duplicate(lua_State *L)
{
	double pct;
	struct link *l = pct_arg(L, "duplicate", &pct);

	l->duplicate = pct;
	return 0;
}

/* link:set_delay(d): propagation delay (at least 1us); the engine's tick follows. */
static int
l_set_delay(lua_State *L)
{
	struct lx_net *ln;
	struct link *l = lx_checklink(L, 1, &ln);
	sim_time d = lx_checktime(L, 2);

	luaL_argcheck(L, d >= SIM_US, 2, "link delay must be at least 1us");
	lx_net_mark(ln);
	l->delay = d;
	net_update_tick(ln->net);
	return 0;
}

/*
 * link:set_oneway(dev): a one-way failure, silent like loss (the interfaces
 * stay up): every frame dev's end sends is lost, the other direction works.
 * nil: both directions work again.
 */
static int
l_set_oneway(lua_State *L)
{
	struct lx_net *ln;
	struct link *l = lx_checklink(L, 1, &ln);
	struct node *n;

	lx_net_mark(ln);
	if (lua_isnoneornil(L, 2)) {
		l->dark_from = NULL;
		return 0;
	}
	n = lx_tonode(L, 2, ln);
	for (size_t i = 0; i < l->nends; i++)
		if (l->ends[i]->node == n) {
			l->dark_from = l->ends[i];
			return 0;
		}
	return luaL_error(L, "device '%s' is not on link %s", n->name, l->name);
}

/* link:set_bandwidth(bps): 0 = unlimited. */
static int
l_set_bandwidth(lua_State *L)
{
	struct lx_net *ln;
	struct link *l = lx_checklink(L, 1, &ln);
	lua_Integer bps = luaL_checkinteger(L, 2);

	luaL_argcheck(L, bps >= 0, 2, "bandwidth is in bits per second, 0 for unlimited");
	lx_net_mark(ln);
	l->bandwidth = (uint64_t)bps;
	return 0;
}

static int
l_ends(lua_State *L)
{
	struct lx_net *ln;
	struct link *l = lx_checklink(L, 1, &ln);

	lx_pushifps(L, ln, l->ends, l->nends);
	return 1;
}

static int
l_devices(lua_State *L)
{
	struct lx_net *ln;
	struct link *l = lx_checklink(L, 1, &ln);

	lua_createtable(L, (int)l->nends, 0);
	for (size_t i = 0; i < l->nends; i++) {
		lx_pushnode(L, ln, l->ends[i]->node->id, l->ends[i]->node->name);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static int
l_tostring(lua_State *L)
{
	struct lx_ref *r = luaL_checkudata(L, 1, LX_LINK);

	lua_pushfstring(L, "link %s", r->name);
	return 1;
}

static int
l_index(lua_State *L)
{
	struct lx_net *ln;
	struct lx_ref *r;
	struct link *l;
	const char *k;
	int ret;

	if ((ret = lx_index_ref(L, LX_LINK, "link", &r, &ln)) >= 0)
		return ret;
	k = lua_tostring(L, 2);
	if (strcmp(k, "name") == 0) {
		lua_pushstring(L, r->name);
		return 1;
	}
	if (ln->net == NULL)
		return 0;
	l = lx_checklink(L, 1, &ln);
	if (strcmp(k, "up") == 0)
		lua_pushboolean(L, l->up);
	else if (strcmp(k, "id") == 0)
		lua_pushinteger(L, l->id);
	else if (strcmp(k, "delay") == 0)
		lx_pushtime(L, l->delay);
	else if (strcmp(k, "loss") == 0)
		lua_pushnumber(L, l->loss);
	else if (strcmp(k, "reorder") == 0)
		lua_pushnumber(L, l->reorder);
	else if (strcmp(k, "duplicate") == 0)
		lua_pushnumber(L, l->duplicate);
	else if (strcmp(k, "reordered") == 0)
		lua_pushinteger(L, lx_dist_count(l->reordered));
	else if (strcmp(k, "duplicated") == 0)
		lua_pushinteger(L, lx_dist_count(l->duplicated));
	else if (strcmp(k, "bandwidth") == 0)
		lua_pushinteger(L, (lua_Integer)l->bandwidth);
	else if (strcmp(k, "frames") == 0)
		lua_pushinteger(L, lx_dist_count(l->frames));
	else if (strcmp(k, "oneway") == 0) {
		if (l->dark_from == NULL)
			return 0;
		lua_pushstring(L, l->dark_from->node->name);
	} else if (strcmp(k, "drops") == 0)
		lua_pushinteger(L, lx_dist_count(l->drops));
	else
		return 0;
	return 1;
}

int
luaopen_netsim_link(lua_State *L)
{
	static const luaL_Reg methods[] = {
		{"set_up", l_set_up}, {"set_loss", l_set_loss}, {"set_delay", l_set_delay},
		{"set_reorder", l_set_reorder}, {"set_duplicate", l_set_duplicate},
		{"set_bandwidth", l_set_bandwidth}, {"set_oneway", l_set_oneway}, {"ends", l_ends}, {"devices", l_devices},
		{NULL, NULL},
	};

	lx_newtype(L, LX_LINK, methods, l_index, l_tostring);
	return 0;
}
