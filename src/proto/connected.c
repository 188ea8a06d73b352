/*
 * connected.c: routes to the subnets of a node's own interfaces (distance 0),
 * present while the interface is operationally up, in the RIB of the
 * interface's VRF. Every router and host runs it implicitly.
 */
#include "../net/rib.h"
#include "../net/vrf.h"
#include "proto.h"

static const struct rib_src src_connected = {"connected", 0, false};

static void
sync_iface(struct node *n, struct iface *ifp)
{
	struct prefix p = iface_prefix(ifp);
	struct rib *rib = node_rib(n, ifp->vrf);
	struct route r = {0};

	if (ifp->addr == 0)
		return;
	if (!iface_is_up(ifp)) {
		rib_del(rib, &p, &src_connected);
		return;
	}
	r.src = &src_connected;
	r.code = "C";
	r.distance = 0;
	r.nnh = 1;
	r.nh[0].gw = 0;
	r.nh[0].ifindex = ifp->idx;
	rib_add(rib, &p, &r);
}

static void
connected_start(struct proto_inst *pi)
{
	struct node *n = pi->node;

	for (size_t i = 0; i < n->nifs; i++)
		sync_iface(n, n->ifs[i]);
}

static void
connected_stop(struct proto_inst *pi)
{
	node_ribs_flush(pi->node, &src_connected);
}

static void
connected_if_notify(struct proto_inst *pi, struct iface *ifp, enum if_event ev)
{
	/* A changed address: the old prefix is gone from ifp, so rebuild them all. */
	if (ev == IF_ADDR) {
		node_ribs_flush(pi->node, &src_connected);
		connected_start(pi);
		return;
	}
	sync_iface(pi->node, ifp);
}

static const char *const connected_route_codes[] = {"C - connected", NULL};

const struct protocol proto_connected = {
	.name = "connected",
	.start = connected_start,
	.stop = connected_stop,
	.if_notify = connected_if_notify,
	.route_codes = connected_route_codes,
};

