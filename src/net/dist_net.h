/*
 * dist_net.h: the network's side of a distributed run (docs/distributed.md):
 * which rank runs which device, frames that cross ranks at the end of a
 * tick, the timeline's events gathered from every rank, and the network-wide
 * totals (convergence, the end-of-run counts) summed over the ranks.
 *
 * Every function here is for dist_on() runs only, and those marked
 * "collective" are called by every rank at the same point.
 */
#ifndef NETSIM_DIST_NET_H
#define NETSIM_DIST_NET_H

#include <stdbool.h>
#include <stddef.h>

#include "../sim/sim.h"

struct network;
struct iface;
struct pkt;
struct net_ev;
struct node;
struct strbuf;

/* Partition the devices over the ranks (partition.h), mark the others' ghosts, hook the exchange. */
void dist_net_setup(struct network *);
/* The network dist_net_setup set up (a run distributes one), or NULL. */
struct network *dist_net_network(void);
/*
 * From dist_net_setup to dist_started (after net_start), every rank runs
 * every device's start alike: a ghost is then an exact copy of its owner's
 * device, and what it sends reaches this rank's receivers as in one process.
 */
bool dist_replicated(void);
void dist_started(void);
/*
 * A device's rank runs a read or a change of it alone, the others stepping
 * along (runner.c's run_item_dist, lx_dist.c's owner calls): what must run
 * alike on every rank (Lua: a command defined in Lua) cannot run meanwhile.
 */
void dist_alone_begin(void);
void dist_alone_end(void);
bool dist_alone(void);
/* The route changes start-up made (net->rib_changes then): every rank counted them. */
uint64_t dist_startup_changes(void);
/* The rank that runs node id (after dist_net_setup). */
int dist_net_owner(const struct network *, uint32_t node);

/* link.c, while a tick's frames are delivered: the frame whose receivers follow. */
void dist_frame_begin(const struct msg *);
/* A receiver on another rank: the frame's bytes go to that rank, to arrive at `when`. */
void dist_frame_ship(const struct iface *to, const struct pkt *, sim_time when);
/* A receiver here: its arrival is set once the other ranks' frames are in, in the merged order. */
void dist_frame_defer(struct timer *arrival, sim_time when);

/* --pcap: the rank that writes a link's file; records from now on go to it. */
struct link;
int dist_link_owner(const struct link *);
void dist_capture_start(void);
/* link.c, while a tick's frames are delivered: a frame for the link's pcap. */
void dist_capture(const struct link *, sim_time t, const struct pkt *);

/* link.c: a frame from another rank, as its arrival at `to` (not set yet). */
struct timer *link_arrival_new(struct iface *to, struct pkt *);

/* events.c (collective): the events every rank queued, replacing *all with all of them. */
void dist_events_gather(struct network *, struct net_ev **all, size_t *n, size_t *cap);

/*
 * A command that changes the network (a script's `link down`, `interface
 * ... shutdown`) runs on every rank, between dist_command_begin and
 * dist_command_end: the link and interface state it sets is every rank's,
 * but only a device's owner tells its protocols. The events it causes are
 * queued instead of dispatched (dist_command_keep), each with its place in
 * the command: the replicated points every rank passes alike
 * (dist_command_point: an interface's flip, a network-wide event), then the
 * order its owner posted them in after that point. dist_command_end
 * (collective) hands back every rank's, in that order, which is the order
 * one process dispatches them in as the command runs.
 */
void dist_command_begin(void);
bool dist_in_command(void);
void dist_command_point(void);
/* Queue e (copied; the caller keeps its own), n its device or NULL. */
void dist_command_keep(const struct node *n, const struct net_ev *e);
void dist_command_end(struct network *, struct net_ev **all, size_t *n);
/* converge.c (collective): is the whole network quiet, and its last activity? (Also
 * gathers the earliest pending event over the ranks for the next step: sim.h.) */
bool dist_quiet(struct network *, sim_time *last);
/* (collective) Sum a line of counts over the ranks: its numbers added, its words kept. */
void dist_sum_line(struct strbuf *);

#endif
