/* lx_iface.c: interfaces in Lua (netsim.Interface): addresses, state, shutdown, counters. */
#include <stdio.h>
#include <string.h>

#include "lx.h"

void
lx_pushiface(lua_State *L, struct lx_net *ln, uint32_t node, int32_t idx, const char *name)
{
	lx_pushhandle(L, ln, "ifaces", (lua_Integer)node * 65536 + idx + 1, LX_IFACE, node, idx,
	    name);
}

void
lx_pushifp(lua_State *L, struct lx_net *ln, const struct iface *ifp)
{
	char full[80];

	snprintf(full, sizeof(full), "%s:%s", ifp->node->name, ifp->name);
	lx_pushiface(L, ln, ifp->node->id, ifp->idx, full);
}

void
lx_pushifps(lua_State *L, struct lx_net *ln, struct iface *const *ifs, size_t n)
{
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lx_pushifp(L, ln, ifs[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

struct iface *
lx_checkiface(lua_State *L, int idx, struct lx_net **lnp)
{
	struct lx_ref *r = lx_checkref(L, idx, LX_IFACE, "interface", lnp);
	struct network *net = lx_live(L, *lnp);
	struct node *n = r->id < net->nnodes ? net->nodes[r->id] : NULL;

	if (n == NULL || r->sub < 0 || (size_t)r->sub >= n->nifs)
		luaL_error(L, "interface '%s' is not part of network '%s'", r->name, net->name);
	return n->ifs[r->sub];
}

/* ifp:set_up(false) is `shutdown`, ifp:set_up(true) `no shutdown`. */
static int
l_set_up(lua_State *L)
{
	struct lx_net *ln;
	struct iface *ifp = lx_checkiface(L, 1, &ln);

	luaL_checktype(L, 2, LUA_TBOOLEAN);
	lx_net_mark(ln);
	iface_set_admin(ifp, lua_toboolean(L, 2));
	return 0;
}

static int
l_stats(lua_State *L)
{
	struct lx_net *ln;
	struct iface *ifp = lx_checkiface(L, 1, &ln);
	const struct if_stats *s = &ifp->st;

	lua_createtable(L, 0, 6);
#define F(k, v)                                                                                 \
	do {                                                                                     \
		lua_pushinteger(L, (lua_Integer)(v));                                            \
		lua_setfield(L, -2, k);                                                          \
	} while (0)
	F("rx_packets", s->rx_pkts);
	F("rx_bytes", s->rx_bytes);
	F("rx_drops", s->rx_drops);
	F("tx_packets", s->tx_pkts);
	F("tx_bytes", s->tx_bytes);
	F("tx_drops", s->tx_drops);
#undef F
	return 1;
}

static int
l_tostring(lua_State *L)
{
	struct lx_ref *r = luaL_checkudata(L, 1, LX_IFACE);

	lua_pushfstring(L, "interface %s", r->name);
	return 1;
}

static int
l_index(lua_State *L)
{
	struct lx_net *ln;
	struct lx_ref *r;
	struct iface *ifp;
	const char *k;
	char buf[PFX_STRLEN + 8];
	int ret;

	if ((ret = lx_index_ref(L, LX_IFACE, "interface", &r, &ln)) >= 0)
		return ret;
	k = lua_tostring(L, 2);
	if (strcmp(k, "fullname") == 0) {
		lua_pushstring(L, r->name);
		return 1;
	}
	if (strcmp(k, "name") == 0) {
		const char *colon = strchr(r->name, ':');

		lua_pushstring(L, colon ? colon + 1 : r->name);
		return 1;
	}
	if (ln->net == NULL)
		return 0;
	ifp = lx_checkiface(L, 1, &ln);
	if (strcmp(k, "device") == 0) {
		lx_pushnode(L, ln, ifp->node->id, ifp->node->name);
	} else if (strcmp(k, "ip") == 0 || strcmp(k, "address") == 0 || strcmp(k, "prefix") == 0) {
		struct prefix p = iface_prefix(ifp);

		if (ifp->addr == 0)
			return 0;
		if (k[0] == 'i')
			snprintf(buf, sizeof(buf), "%s/%u", ip_str(ifp->addr), ifp->plen);
		else if (k[0] == 'a')
			snprintf(buf, sizeof(buf), "%s", ip_str(ifp->addr));
		else
			snprintf(buf, sizeof(buf), "%s", prefix_str(&p));
		lua_pushstring(L, buf);
	} else if (strcmp(k, "up") == 0) {
		lua_pushboolean(L, iface_is_up(ifp));
	} else if (strcmp(k, "admin_up") == 0) {
		lua_pushboolean(L, ifp->admin_up);
	} else if (strcmp(k, "mac") == 0) {
		lua_pushstring(L, mac_str(ifp->mac));
	} else if (strcmp(k, "mtu") == 0) {
		lua_pushinteger(L, ifp->mtu);
	} else if (strcmp(k, "index") == 0) {
		lua_pushinteger(L, ifp->idx);
	} else if (strcmp(k, "vlan") == 0) {
		lua_pushinteger(L, ifp->parent ? ifp->vlan : ifp->access_vlan);
	} else if (strcmp(k, "description") == 0) {
		if (ifp->description == NULL)
			return 0;
		lua_pushstring(L, ifp->description);
	} else if (strcmp(k, "link") == 0) {
		struct link *l = ifp->parent ? ifp->parent->link : ifp->link;

		if (l == NULL)
			return 0;
		lx_pushlink(L, ln, l->id, l->name);
	} else if (strcmp(k, "peer") == 0) {
		/* The far end of a point-to-point link. */
		struct link *l = ifp->link;

		if (l == NULL || l->nends != 2)
			return 0;
		lx_pushifp(L, ln, l->ends[l->ends[0] == ifp]);
	} else {
		return 0;
	}
	return 1;
}

int
luaopen_netsim_iface(lua_State *L)
{
	static const luaL_Reg methods[] = {
		{"set_up", l_set_up}, {"stats", l_stats}, {NULL, NULL},
	};

	lx_newtype(L, LX_IFACE, methods, l_index, l_tostring);
	return 0;
}
