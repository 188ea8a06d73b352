/*
 * fib.h: the forwarding table: longest-prefix match over the routes the RIB
 * selected, with ECMP next hops.
 *
 * One hash table per prefix length present (tracked in a 33-bit mask), so a
 * lookup probes only lengths that exist, longest first.
 */
#ifndef NETSIM_FIB_H
#define NETSIM_FIB_H

#include <stdint.h>

#include "../lib/hmap.h"
#include "rib.h"

struct fib_entry {
	struct prefix pfx;
	uint8_t nnh;
	struct nexthop nh[RIB_MAX_NH];
};

struct fib {
	struct hmap tab;
	uint32_t count[33];
	uint64_t lookups;
};

struct fib *fib_new(void);
void fib_free(struct fib *);
void fib_install(struct fib *, const struct prefix *, const struct route *);
void fib_remove(struct fib *, const struct prefix *);
const struct fib_entry *fib_lookup(struct fib *, uint32_t addr);
/* Choose one of an entry's next hops for a flow (deterministic hash of the addresses). */
const struct nexthop *fib_select(const struct fib_entry *, uint32_t src, uint32_t dst);

#endif
