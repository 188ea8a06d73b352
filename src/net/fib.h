/*
 * fib.h: forwarding lookups: longest-prefix match over the paths the RIB
 * installed, with ECMP. Only lengths that have installed entries are probed,
 * longest first (rib->fib_count), each with one hash lookup.
 */
#ifndef NETSIM_FIB_H
#define NETSIM_FIB_H

#include <stdint.h>

#include "rib.h"

struct fib_entry {
	struct prefix pfx;
	const struct nhg *nhg;
};

/* Longest match for addr; false if none. */
bool fib_lookup(struct rib *, uint32_t addr, struct fib_entry *out);
/* The per-flow hash that picks one of several paths (IP routes and MPLS LFIB entries alike). */
uint32_t fib_flow_hash(uint32_t src, uint32_t dst);
/* One of the entry's next hops for a flow (a deterministic hash of the addresses). */
const struct nexthop *fib_select(const struct fib_entry *, uint32_t src, uint32_t dst);
struct node;
/* The same among the next hops whose interface on n is up, while there are any (IP forwarding). */
const struct nexthop *fib_select_up(const struct node *n, const struct fib_entry *, uint32_t src,
    uint32_t dst);

#endif
