/*
 * flow.h: probe flows, for measuring what a disturbance does to traffic.
 *
 * A flow is a constant-rate stream of UDP probes from one device to an
 * address of another, through the real data plane: each probe carries a
 * magic number, the flow's number, a sequence number and its send time (20
 * octets) to the discard port (9, RFC 863), and the receiver counts it
 * before any socket lookup, so a probe costs its packet and nothing else.
 *
 * Per flow the receiver keeps what was delivered and the outages: the
 * intervals from the send time of the last probe delivered before a gap to
 * that of the first delivered after it (a late probe splits its gap; one
 * that fills no gap is a duplicate and is not counted). Where probes die is
 * told by the data plane's own drop points (ip4.c: TTL expired, no route, a
 * blackhole route, a next hop whose interface is down; link.c: on the wire
 * of a link that went down; arp.c: the queue for an unresolved next hop full,
 * or no answer): each router logs the probe in its own context and the
 * logs are folded into the flows after every engine step, in node order, so
 * the counts are the same on any number of threads.
 *
 * While flows run, every FIB change (a RIB watch on every router, which only
 * marks the router) makes the step's end walk each flow's path from its
 * source along the next hops its packets would take (verify/walk.h,
 * walk_flow); an interval during which that walk loops or ends without a route is
 * recorded with the routers involved: transient loops and black holes seen
 * without any traffic. A step's changes are seen together at its end, at the
 * time of its last change, so two changes within one engine tick (no wider
 * than the smallest link delay) that make and then undo a loop are missed.
 *
 * Everything here is per network (net->flows); docs/experiments.md defines
 * the figures.
 */
#ifndef NETSIM_FLOW_H
#define NETSIM_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "../verify/walk.h"
#include "net.h"

#define FLOW_PORT    9          /* discard (RFC 863) */
#define FLOW_MAGIC   0x4e53464cu /* "NSFL" */
#define FLOW_PAYLOAD 20         /* magic, flow, sequence (32 bits each), send time (64) */

/*
 * Where probes die: TTL expired (looped), no route or a route into a dead
 * interface (black-holed), on the wire of a link that failed (cut), waiting
 * for ARP (its queue full, or no answer).
 */
enum flow_drop { FLOW_LOOPED, FLOW_BLACKHOLED, FLOW_CUT, FLOW_ARP, FLOW_DROPS };

/* "looped", "blackholed", "cut", "arp": the figures' names (docs/experiments.md). */
extern const char *const flow_drop_names[FLOW_DROPS];

/* A gap in delivery: send times of the probes on either side (to_seq = -1: none came after). */
struct flow_outage {
	sim_time from, to;
	int64_t from_seq, to_seq;
};

/* Probes a router dropped. */
struct flow_where {
	uint32_t node;
	uint64_t n[FLOW_DROPS];
};

/* An interval during which the flow's FIB walk looped or black-holed. */
struct flow_walk_iv {
	sim_time from, to;          /* to = -1: still going (when the flow stopped, if it did) */
	enum walk_result verdict;   /* WALK_LOOP, or where it ended (no_route, blackhole, down...) */
	uint32_t nodes[WALK_MAX_HOPS + 1]; /* a loop's routers in path order, or the one it ended at */
	int nnodes;
};

struct flow {
	uint32_t id;
	struct flowset *fs;
	struct node *src, *dst;
	uint32_t saddr, daddr;
	sim_time interval, start, stop; /* stop: SIM_NEVER while running */
	uint8_t ttl;
	struct flow_sender *sender;     /* the source's timer that sends its probes */
	/* Written by the source only. */
	uint64_t sent, src_noroute;
	/* Written by the destination only. */
	uint64_t delivered, late, dups;
	int64_t hi_seq;                 /* highest sequence delivered (-1: none) */
	sim_time hi_sent;
	struct flow_outage *out;
	size_t nout, outcap;
	/* Global context (folded after each step). */
	uint64_t dropped[FLOW_DROPS];
	struct flow_where *where;
	size_t nwhere, wherecap;
	struct flow_walk_iv *wiv;
	size_t nwiv, wivcap;
	bool wbad;                      /* wiv[nwiv - 1] is the walk's state now */
	/* The path the walk delivered along when the flow started and when it stopped (0: none). */
	uint32_t path_before[WALK_MAX_HOPS], path_after[WALK_MAX_HOPS];
	int nbefore, nafter;
};

struct flow_log;

/*
 * The flows a device started at one instant with one interval send from one
 * timer, in the order they were started: an event per probe instant rather
 * than per flow keeps the source's timer heap small (a router with a flow
 * to each of a thousand loopbacks).
 */
struct flow_sender {
	struct timer t;
	struct flow_sender *next;      /* the network's */
	struct node *src;
	sim_time interval;
	struct flow **flows;
	size_t n, cap;
};

struct flowset {
	struct network *net;
	struct flow **flows;
	size_t n, cap;
	struct flow_log *logs;          /* per node: drops logged in its own context */
	bool *dirty;                    /* per node: its FIB changed in the step */
	sim_time *dirty_at;
	size_t nnodes;
	size_t running;                 /* flows sending: FIB walks are on */
	struct flow_sender *senders;
	/* The FIB changes seen while flows ran: when, which router (a step's last change each). */
	struct flow_fib_change {
		sim_time t;
		uint32_t node;
	} *changes;
	size_t nchanges, changecap;
};

/* The network's flows, made (with a RIB watch on every router) on first use. */
struct flowset *flowset_get(struct network *);
void flowset_free(struct flowset *);
/*
 * Add a flow from src (sourced from saddr) to daddr, an address of dst, and
 * start it at the current time (global context). NULL with a message in err
 * when it cannot be (a switch, the same device, an interval under 1 us).
 */
struct flow *flow_start(struct network *, struct node *src, uint32_t saddr, struct node *dst,
    uint32_t daddr, sim_time interval, uint8_t ttl, const char **err);
/* Stop every flow's sending (global context); probes in flight still count. */
void flow_stop_all(struct network *);
/* Forget every flow (global context). */
void flow_clear(struct network *);

/* The data plane's hooks (device context). */
/* A UDP datagram to FLOW_PORT arrived at n (payload after the UDP header): true if it was a probe. */
bool flow_rx(struct node *, const uint8_t *payload, size_t len);
/* The router n drops the datagram at ip (its IP header) for the reason given. */
void flow_dropped(struct node *, const uint8_t *ip, size_t len, enum flow_drop);
/* A frame reached n's interface after its link went down (it was on the wire): FLOW_CUT. */
void flow_frame_cut(struct node *, const uint8_t *frame, size_t len);

/* After every engine step (converge.c): fold drop logs, walk the FIBs if one changed. */
void flow_after_step(struct network *);

/* Derived figures (global context, best after the flows stopped and drained). */
/*
 * The outage still open: probes were sent after the last one delivered
 * (hi_seq). It runs from that probe's send time to the flow's stop (or
 * `now`), with to_seq -1. False when none is open.
 */
bool flow_open_outage(const struct flow *, sim_time now, struct flow_outage *);
/* Probes sent and not delivered (lost in flight, looped, black-holed, or still on their way). */
uint64_t flow_lost(const struct flow *);

#endif
