/*
 * fwdwalk.h: following the FIBs from a device towards an address, hop by
 * hop, without sending a packet: what expect.no_loops() and net:walk() check
 * (src/script/lx_fwd.c) and what flows watch during convergence (flow.c).
 *
 * At each device: a local address ends the walk (delivered); otherwise the
 * longest match gives the next hops; each next hop's gateway (or the
 * destination itself, for a connected route) is looked up behind the
 * outgoing interface: on the far ends of its link, and through switches
 * (any VLAN: this is a check of the routing tables, not of the L2 design).
 * A device seen twice on one branch is a forwarding loop. Each device is
 * looked at in the VRF of the interface the walk arrived on (vrf.h): its
 * addresses in that VRF, that VRF's routes; the walk starts in the default
 * VRF. Every ECMP branch is followed, unless the walk is for one flow
 * (flow_src set): then only the next hop the data plane's hash picks for
 * (flow_src, dst) (fib_select_up), which is where that flow's packets go.
 */
#ifndef NETSIM_FWDWALK_H
#define NETSIM_FWDWALK_H

#include <stdbool.h>
#include <stdint.h>

#include "net.h"

#define FWD_MAX_HOPS 64

enum fwd_verdict { FWD_DELIVERED, FWD_LOOP, FWD_NOROUTE, FWD_BLACKHOLE, FWD_DOWN, FWD_UNRESOLVED };

/* "delivered", "loop", "no_route", "blackhole", "down", "unresolved". */
extern const char *const fwd_verdict_names[];

struct fwd_walk {
	struct network *net;
	uint32_t dst;
	uint32_t flow_src;     /* nonzero: follow this flow's hashed next hop only */
	uint32_t path[FWD_MAX_HOPS];
	int npath;
	int steps;
	/* The first problem met (loops first: they are what no_loops looks for). */
	enum fwd_verdict worst;
	uint32_t bad[FWD_MAX_HOPS + 1]; /* node ids of the branch with the problem; a loop closes on its last */
	int nbad;
	uint32_t good[FWD_MAX_HOPS];    /* the first branch that delivers */
	int ngood;
	bool delivered;
	bool any_bad;
};

/* Walk from src towards dst (every ECMP branch, or flow_src's only when it is nonzero). */
void fwd_walk(struct network *, struct node *src, uint32_t dst, uint32_t flow_src,
    struct fwd_walk *);

#endif
