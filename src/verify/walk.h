/*
 * walk.h: following the FIBs from a device towards an address, hop by hop,
 * every ECMP branch, without sending a packet (expect.no_loops, net:walk,
 * the intent checks of intent.h).
 *
 * At each device: a local address ends the branch (delivered); otherwise the
 * longest match gives the next hops; each next hop's gateway (or the
 * destination itself, for a connected route) is looked up behind the
 * outgoing interface: on the far ends of its link, and through switches (any
 * VLAN: this is a check of the routing tables, not of the L2 design). A
 * device seen twice on one branch is a forwarding loop. Each device is
 * looked at in the VRF of the interface the walk arrived on (net/vrf.h): its
 * addresses in that VRF, that VRF's routes; the walk starts in the default
 * VRF. A next hop that pushes labels (an LSP, a VPN route's two labels) is
 * followed through the LFIBs as mpls_input forwards (mpls_classify): swaps
 * and penultimate-hop pops to the entry's next hop, a VPN label's pop into
 * its VRF at the egress. A walk for one flow (walk_flow: net/flow.h watches probe flows' paths
 * with it) follows, instead of every branch, the one next hop the data
 * plane's hash picks for the flow's addresses (fib_select_up).
 */
#ifndef NETSIM_WALK_H
#define NETSIM_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "../net/net.h"

#define WALK_MAX_STEPS 4096
#define WALK_MAX_HOPS  64

/* How a branch ended, in the order the first problem is kept (loops first). */
enum walk_result { WALK_DELIVERED, WALK_LOOP, WALK_NOROUTE, WALK_BLACKHOLE, WALK_DOWN,
	WALK_UNRESOLVED };

/* "delivered", "loop", "no_route", "blackhole", "down", "unresolved" */
extern const char *const walk_result_names[];

/*
 * One hop of a branch: the device, the VRF it was looked at in, the next
 * hop taken, and the top label the packet arrived with (0: plain IPv4).
 */
struct walk_hop {
	uint32_t node;
	uint16_t vrf;
	int nh;         /* index into the FIB entry's next hops taken from here; -1: none (the end, or label switched) */
	uint32_t label; /* switched by the LFIB (mpls_classify) rather than routed, unless nh says it was routed after a pop */
};

struct walk;
struct walk_act;
/*
 * Called at the end of every branch: w->hops[0..w->nhops) is the branch (for
 * a loop, the last hop is the device seen again), r how it ended.
 */
typedef void walk_branch_fn(void *arg, const struct walk *w, enum walk_result r);

struct walk {
	struct network *net;
	uint32_t dst;
	struct walk_hop hops[WALK_MAX_HOPS + 1];
	int nhops;
	int steps;
	walk_branch_fn *branch; /* optional */
	void *arg;
	uint32_t flow_src;      /* walk_flow: the flow's source address (0: every branch) */
	/* The first problem met (a loop wins over the others) and its branch's devices. */
	bool any_bad;
	enum walk_result worst;
	uint32_t bad[WALK_MAX_HOPS + 1];
	int nbad;
	/* The first branch that delivered (ECMP: the first next hop's). */
	bool delivered;
	uint32_t good[WALK_MAX_HOPS];
	int ngood;
	/* (the walk's own: what each device on the branch does, in order; walk.c) */
	struct walk_act *acts;
	size_t nacts, actcap;
	bool lockstep;
};

/* Walk from src towards dst; branch (optional) sees every branch as it ends. */
void walk_run(struct walk *w, struct network *net, struct node *src, uint32_t dst,
    walk_branch_fn *branch, void *arg);
/*
 * walk_run under mpirun: every rank calls it at the same point (Lua's
 * net:walk, net:loops and net:verify, which run alike on every rank), and
 * what the walk does at each device is decided by the device's rank, from its
 * FIB and LFIB, and broadcast (a ghost's tables are not its owner's); branch
 * sees the same branches on every rank.
 */
void walk_run_lockstep(struct walk *w, struct network *net, struct node *src, uint32_t dst,
    walk_branch_fn *branch, void *arg);
/* The path of the flow from src (its address flow_src) to dst: one branch, as its packets go. */
void walk_flow(struct walk *w, struct network *net, struct node *src, uint32_t flow_src,
    uint32_t dst);
/* The walk's verdict: its first problem, else delivered. */
enum walk_result walk_result(const struct walk *w);

#endif
