/*
 * static.h: static routes (distance 1), from the topology (`static_routes:`,
 * a host's `gateway:`) and at run time (`route add/del`).
 */
#ifndef NETSIM_STATIC_H
#define NETSIM_STATIC_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/ip.h"
#include "../net/net.h"
#include "../net/rib.h"

struct static_route {
	struct prefix pfx;
	uint32_t via;       /* 0 with ifindex set: out of an interface */
	int ifindex;        /* -1: resolve via through the routing table */
	uint8_t distance;
	bool blackhole;
	uint8_t nlabels;    /* MPLS labels pushed (outermost first): an LSP's ingress */
	uint32_t labels[LABEL_STACK_MAX];
	uint16_t vrf;       /* the VRF whose RIB it goes into (net/vrf.h; 0: the default) */
	/*
	 * Route leaking (FRR's `ip route ... nexthop-vrf NAME`): via (or the
	 * interface) is in VRF nh_vrf, not vrf. Its resolution there, with the
	 * label stack of the route to via (LDP's) outermost and labels below
	 * it, is the route's next hop: an L3VPN ingress PE's forwarding state.
	 */
	bool leaked;
	uint16_t nh_vrf;
};

/* Add or replace the static route to pfx in its VRF (errors go to err, returns -1). */
int static_route_add(struct node *, const struct static_route *, char *err, size_t errlen);
int static_route_del(struct node *, uint16_t vrf, const struct prefix *);
/* Is a static route to exactly pfx configured in the default VRF (BGP's `networks:` check)? */
bool static_route_exists(const struct node *, const struct prefix *);

#endif
