/*
 * rib.h: the per-node routing information base.
 *
 * Every protocol (connected, static, OSPF, IS-IS, BGP...) offers its routes
 * here; for each prefix the route with the lowest administrative distance
 * (then lowest metric) is selected and installed into the FIB. Protocols never
 * touch the FIB. Distances: connected 0, static 1, eBGP 20, OSPF 110, IS-IS
 * 115, iBGP 200.
 *
 * A protocol that recomputes its whole table (after SPF) uses
 * rib_sync_begin/rib_sync_end: routes it does not offer again between the two
 * are withdrawn, and routes offered unchanged count as no change.
 */
#ifndef NETSIM_RIB_H
#define NETSIM_RIB_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/hmap.h"
#include "../lib/ip.h"
#include "../sim/sim.h"

struct node;
struct iface;

#define RIB_MAX_NH 16 /* ECMP width */

struct nexthop {
	uint32_t gw;      /* 0: directly connected */
	uint16_t ifindex;
};

/* Who offers a route: one per protocol instance kind (OSPF, static...). */
struct rib_src {
	const char *name; /* "ospf": FRR's "protocol" in JSON */
	uint8_t distance; /* default administrative distance */
};

struct route {
	struct route *next; /* the prefix's other routes */
	const struct rib_src *src;
	const char *code;   /* "C", "S", "O", "O IA", "O E2", "i L1"... */
	uint8_t distance;
	bool marked;        /* rib_sync bookkeeping */
	uint8_t nnh;
	uint32_t metric;
	uint32_t tag;
	sim_time since;     /* when this route last changed */
	struct nexthop nh[RIB_MAX_NH];
};

struct rib_entry {
	struct prefix pfx;
	struct route *routes; /* all offered routes, best first */
	bool installed;       /* routes[0] is in the FIB */
};

struct rib_change {
	struct prefix pfx;
	const struct route *old_best, *new_best; /* either may be NULL */
};

typedef void (*rib_watch_fn)(struct node *, const struct rib_change *, void *arg);

struct rib {
	struct node *node;
	struct hmap tab; /* prefix key -> rib_entry */
	uint64_t changes;
	sim_time last_change;
	struct {
		rib_watch_fn fn;
		void *arg;
	} watch[8];
	int nwatch;
};

struct rib *rib_new(struct node *);
void rib_free(struct rib *);

/*
 * Offer (or replace) src's route to pfx. r is copied; its src, code,
 * distance, metric and next hops must be set. Returns true if anything
 * changed.
 */
bool rib_add(struct rib *, const struct prefix *, const struct route *r);
bool rib_del(struct rib *, const struct prefix *, const struct rib_src *);
/* Withdraw every route of src. */
void rib_flush(struct rib *, const struct rib_src *);
void rib_sync_begin(struct rib *, const struct rib_src *);
void rib_sync_end(struct rib *, const struct rib_src *);

struct rib_entry *rib_lookup_exact(const struct rib *, const struct prefix *);
/* All entries sorted by prefix (caller frees the array). */
struct rib_entry **rib_sorted(const struct rib *, size_t *n);
/* Be told about every change of the selected route. */
void rib_watch(struct rib *, rib_watch_fn, void *arg);

static inline uint64_t
prefix_key(const struct prefix *p)
{
	return (uint64_t)p->addr << 8 | p->len;
}

/* Route equality, for change detection (ignores since/marked/next). */
bool route_same(const struct route *, const struct route *);

#endif
