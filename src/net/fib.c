/* fib.c: longest-prefix match with ECMP over the RIB (see fib.h). */
#include "../lib/util.h"
#include "../lib/hmap.h"
#include "fib.h"
#include "net.h"

bool
fib_lookup(struct rib *rib, uint32_t addr, struct fib_entry *out)
{
	rib->lookups++;
	for (int len = 32; len >= 0; len--) {
		struct prefix p = {addr & ip_mask((unsigned)len), (uint8_t)len};
		struct rib_entry *e;

		if (rib->fib_count[len] == 0)
			continue;
		e = rib_lookup_exact(rib, &p);
		if (e != NULL && e->installed) {
			out->pfx = p;
			out->nhg = rib_path_nhg(rib, &e->best);
			return true;
		}
	}
	return false;
}

/*
 * Every bit of both addresses moves every bit of the result (a 64-bit
 * finaliser, as hmap's): the choice among n next hops is h % n, and the
 * multiplicative hash this replaces put flows that differ in the low bits of
 * one address on the same path of two.
 */
uint32_t
fib_flow_hash(uint32_t src, uint32_t dst)
{
	return (uint32_t)(hmap_hash((uint64_t)src << 32 | dst) >> 32);
}

const struct nexthop *
fib_select(const struct fib_entry *e, uint32_t src, uint32_t dst)
{
	if (e->nhg->n <= 1)
		return &e->nhg->nh[0];
	/* A per-flow hash keeps one flow on one path, as real routers do. */
	return &e->nhg->nh[fib_flow_hash(src, dst) % e->nhg->n];
}

/*
 * A next hop out of an interface that is down is skipped while the entry
 * has others: a router's FIB drops it when the link goes down, before any
 * protocol has recomputed (FRR's zebra reinstalls the route without it at
 * once, hardware rebalances the group), which is what makes ECMP protect
 * against a link failure. The flows of the up next hops keep their choice
 * only when none was on the one that went down (the hash picks among the up
 * ones), as a rebalanced group does.
 */
const struct nexthop *
fib_select_up(const struct node *n, const struct fib_entry *e, uint32_t src, uint32_t dst)
{
	const struct nexthop *nh = fib_select(e, src, dst), *up[RIB_MAX_NH];
	unsigned nup = 0;

	if (e->nhg->n <= 1 || iface_is_up(n->ifs[nh->ifindex]))
		return nh;
	for (int i = 0; i < e->nhg->n; i++)
		if (iface_is_up(n->ifs[e->nhg->nh[i].ifindex]))
			up[nup++] = &e->nhg->nh[i];
	return nup == 0 ? nh : up[fib_flow_hash(src, dst) % nup];
}
