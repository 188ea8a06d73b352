/*
 * lx_fwd.c: following the FIBs, as expect.no_loops() and expect.reachable()
 * need: from a device towards an address, hop by hop, every ECMP branch,
 * without sending a packet.
 *
 * At each device: a local address ends the walk (delivered); otherwise the
 * longest match gives the next hops; each next hop's gateway (or the
 * destination itself, for a connected route) is looked up behind the
 * outgoing interface: on the far ends of its link, and through switches
 * (any VLAN: this is a check of the routing tables, not of the L2 design).
 * A device seen twice on one branch is a forwarding loop. Each device is
 * looked at in the VRF of the interface the walk arrived on (net/vrf.h): its
 * addresses in that VRF, that VRF's routes; the walk starts in the default VRF.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "../net/fib.h"
#include "../net/rib.h"
#include "../net/vrf.h"
#include "lx.h"

#define WALK_MAX_STEPS 4096
#define WALK_MAX_HOPS  64

enum verdict { W_DELIVERED, W_LOOP, W_NOROUTE, W_BLACKHOLE, W_DOWN, W_UNRESOLVED };

static const char *const verdict_names[] = {"delivered", "loop", "no_route", "blackhole",
    "down", "unresolved"};

struct walk {
	struct network *net;
	uint32_t dst;
	uint32_t path[WALK_MAX_HOPS];
	int npath;
	int steps;
	/* The first problem met (loops first: they are what no_loops looks for). */
	enum verdict worst;
	uint32_t bad[WALK_MAX_HOPS + 1];
	int nbad;
	uint32_t good[WALK_MAX_HOPS];
	int ngood;
	bool delivered;
	bool any_bad;
};

/*
 * The interface with address gw of the L3 device behind ifp (across its link
 * and switches), or NULL: the one on the link (or its sub-interface) when the
 * device has gw on several (in several VRFs).
 */
static struct iface *
next_hop(struct network *net, struct iface *ifp, uint32_t gw)
{
	struct link *l = ifp->parent ? ifp->parent->link : ifp->link;
	struct link *queue[256];
	size_t qh = 0, qt = 0;
	bool *seen_sw;
	struct iface *found = NULL;

	if (l == NULL || !l->up)
		return NULL;
	seen_sw = xcalloc(net->nnodes, sizeof(*seen_sw));
	queue[qt++] = l;
	while (qh < qt && found == NULL) {
		struct link *cur = queue[qh++];

		for (size_t e = 0; e < cur->nends && found == NULL; e++) {
			struct iface *end = cur->ends[e];
			struct node *n = end->node;

			if (end == ifp || (ifp->parent && end == ifp->parent))
				continue;
			if (!n->up || !end->admin_up)
				continue;
			if (n->type == NODE_SWITCH) {
				if (seen_sw[n->id])
					continue;
				seen_sw[n->id] = true;
				for (size_t k = 0; k < n->nifs; k++) {
					struct link *nl = n->ifs[k]->link;

					if (nl && nl != cur && nl->up && n->ifs[k]->admin_up &&
					    qt < ARRAY_LEN(queue))
						queue[qt++] = nl;
				}
				continue;
			}
			for (size_t k = 0; k < n->nifs; k++) {
				struct iface *x = n->ifs[k];

				if (x->addr == gw && iface_is_up(x) &&
				    (found == NULL || x == end || x->parent == end))
					found = x;
			}
		}
	}
	free(seen_sw);
	return found;
}

static void
problem(struct walk *w, enum verdict v, uint32_t last)
{
	if (w->any_bad && !(v == W_LOOP && w->worst != W_LOOP))
		return;
	w->any_bad = true;
	w->worst = v;
	memcpy(w->bad, w->path, sizeof(*w->path) * (size_t)w->npath);
	w->nbad = w->npath;
	if (v == W_LOOP)
		w->bad[w->nbad++] = last;
}

static void
step(struct walk *w, struct node *n, uint16_t vrf)
{
	struct fib_entry fe;

	if (++w->steps > WALK_MAX_STEPS)
		return;
	for (int i = 0; i < w->npath; i++)
		if (w->path[i] == n->id) {
			problem(w, W_LOOP, n->id);
			return;
		}
	if (w->npath >= WALK_MAX_HOPS) {
		problem(w, W_LOOP, n->id);
		return;
	}
	w->path[w->npath++] = n->id;
	if (node_is_local_vrf(n, vrf, w->dst)) {
		if (!w->delivered) {
			memcpy(w->good, w->path, sizeof(*w->path) * (size_t)w->npath);
			w->ngood = w->npath;
		}
		w->delivered = true;
	} else if (!n->up || n->rib == NULL) {
		problem(w, W_DOWN, n->id);
	} else if (!fib_lookup(node_rib(n, vrf), w->dst, &fe)) {
		problem(w, W_NOROUTE, n->id);
	} else if (fe.nhg == NULL || fe.nhg->n == 0) {
		problem(w, W_BLACKHOLE, n->id);
	} else {
		for (int i = 0; i < fe.nhg->n; i++) {
			const struct nexthop *nh = &fe.nhg->nh[i];
			struct iface *ifp = n->ifs[nh->ifindex];
			struct iface *next;

			if (!iface_is_up(ifp)) {
				problem(w, W_DOWN, n->id);
				continue;
			}
			next = next_hop(w->net, ifp, nh->gw ? nh->gw : w->dst);
			if (next == NULL)
				problem(w, W_UNRESOLVED, n->id);
			else
				step(w, next->node, next->vrf);
		}
	}
	w->npath--;
}

static void
push_names(lua_State *L, struct network *net, const uint32_t *ids, int n)
{
	lua_createtable(L, n, 0);
	for (int i = 0; i < n; i++) {
		lua_pushstring(L, net->nodes[ids[i]]->name);
		lua_rawseti(L, -2, i + 1);
	}
}

static void
walk(struct network *net, struct node *src, uint32_t dst, struct walk *w)
{
	memset(w, 0, sizeof(*w));
	w->net = net;
	w->dst = dst;
	step(w, src, VRF_DEFAULT);
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

	walk(net, src, dst, &w);
	lua_createtable(L, 0, 4);
	lua_pushstring(L, w.any_bad ? verdict_names[w.worst] : "delivered");
	lua_setfield(L, -2, "result");
	lua_pushboolean(L, w.delivered);
	lua_setfield(L, -2, "delivered");
	push_names(L, net, w.bad, w.nbad);
	lua_setfield(L, -2, "path");
	push_names(L, net, w.good, w.ngood);
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
				walk(net, src, dn->ifs[i]->addr, &w);
				if (!w.any_bad || w.worst != W_LOOP)
					continue;
				lua_createtable(L, 0, 4);
				lua_pushstring(L, src->name);
				lua_setfield(L, -2, "source");
				lua_pushstring(L, ip_str(dn->ifs[i]->addr));
				lua_setfield(L, -2, "destination");
				lua_pushstring(L, dn->name);
				lua_setfield(L, -2, "device");
				push_names(L, net, w.bad, w.nbad);
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
