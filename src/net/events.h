/*
 * events.h: the network's event bus.
 *
 * Anything worth telling a user or a script (an adjacency came up, a route
 * changed, a link went down, the network converged, a chaos action ran) is
 * posted here. Events posted from a device's own context are queued on that
 * device and delivered after the engine step, sorted by (time, device,
 * sequence), in global context: subscribers (the timeline printer, Lua
 * `on(...)` handlers, daemon `events --follow`) may touch anything and always
 * see the same order.
 */
#ifndef NETSIM_EVENTS_H
#define NETSIM_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/ip.h"
#include "../sim/sim.h"

struct network;
struct node;
struct iface;
struct link;

enum ev_kind {
	EV_LOG,          /* a timeline line (text) */
	EV_CONVERGED,
	EV_ROUTE_CHANGE, /* node, pfx, text = "add|change|withdraw", proto */
	EV_ADJ_CHANGE,   /* node, ifp, proto, peer (text), state (text2) */
	EV_LINK_DOWN,
	EV_LINK_UP,
	EV_IFACE_DOWN,
	EV_IFACE_UP,
	EV_NODE_DOWN,
	EV_NODE_UP,
	EV_CHAOS,        /* text: what the action did */
	EV_SESSION_UP,   /* node, proto, peer (text), what (text2): a BGP/LDP session established */
	EV_SESSION_DOWN, /* node, proto, peer (text), why (text2) */
	EV_BESTPATH_CHANGE, /* node, proto, pfx, text: the reason, text2: the new next hop or "none" */
	EV_KIND_COUNT
};

struct net_ev {
	enum ev_kind kind;
	sim_time t;
	uint32_t node;      /* node id, or UINT32_MAX for network-wide */
	uint64_t seq;
	int ifindex;        /* -1 if none */
	int link;           /* link id, -1 if none */
	const char *proto;  /* static string, may be NULL */
	struct prefix pfx;
	char *text;         /* owned */
	char *text2;        /* owned, may be NULL */
};

typedef void (*ev_fn)(struct network *, const struct net_ev *, void *arg);

const char *ev_kind_name(enum ev_kind);
int ev_kind_parse(const char *); /* -1 if unknown */

/* Subscribe to the kinds in mask (1u << kind); returns a handle for ev_unsubscribe. */
int ev_subscribe(struct network *, unsigned mask, ev_fn, void *arg);
void ev_unsubscribe(struct network *, int handle);
/* Is anybody listening for this kind? (Skip building events nobody wants.) */
bool ev_wanted(const struct network *, enum ev_kind);

/*
 * Post an event. From a node's own context it is queued and delivered after
 * the step; from global context it is delivered at once. Takes ownership of
 * nothing: text/text2 are copied.
 */
void ev_post(struct network *, struct node *, const struct net_ev *);
/* Convenience: a timeline line. */
void ev_log(struct network *, struct node *, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The event as one timeline line (without the time), appended to b. */
struct strbuf;
void ev_format(const struct network *, const struct net_ev *, struct strbuf *b);
/* Deliver queued events (called by the engine's after-step hook). */
void ev_flush(struct network *);
/*
 * A distributed run (collective): the events of a command every rank ran
 * (dist_command_begin), from every rank, dispatched in the order one process
 * dispatched them in while the command ran.
 */
void ev_flush_command(struct network *);

#endif
