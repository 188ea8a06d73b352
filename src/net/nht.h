/*
 * nht.h: next-hop tracking, a service of the RIB.
 *
 * A client (a static route, a BGP path, a GRE tunnel's far end; LDP
 * sessions tomorrow) tracks an address and is called back whenever the address's
 * resolution changes: never by polling. An address resolves as a router
 * resolves a next hop: directly when it lies in the subnet of an interface
 * that is up, otherwise recursively through the longest installed route that
 * covers it and is longer than min_len (a static route never resolves through
 * its own prefix or a shorter one, so recursion cannot loop) and that has next
 * hops (a discard route resolves nothing). A recursive resolution takes that
 * route's next hops, with the tracked address as the gateway of those that
 * are directly connected.
 *
 * The RIB change that can alter a resolution is one to a prefix that covers
 * the address; such a change marks the tracked address, and a zero-delay timer
 * on the node re-resolves the marked ones once all of the instant's changes
 * are in, calling back only those whose resolution differs. Everything runs in
 * the node's own context.
 */
#ifndef NETSIM_NHT_H
#define NETSIM_NHT_H

#include <stdbool.h>
#include <stdint.h>

#include "rib.h"

struct nht;

/* How an address resolves. */
struct nht_res {
	bool reachable;
	bool connected;              /* in an interface's subnet */
	struct prefix via;           /* the resolving route's prefix (recursive) */
	const struct rib_src *src;   /* its source (recursive), e.g. ospf */
	uint32_t metric;             /* its metric (recursive; 0 when connected) */
	uint8_t n;
	struct nexthop nh[RIB_MAX_NH];
};

typedef void (*nht_fn)(struct node *, struct nht *, void *arg);

struct nht {
	struct nht *next;     /* the RIB's other tracked addresses */
	struct nht_set *set;
	uint32_t addr;
	int min_len;
	bool marked;
	struct nht_res res;   /* the current resolution */
	nht_fn fn;
	void *arg;
};

/*
 * min_len: resolve only through routes longer than this; 0 leaves out a
 * default route (BGP next hops, as FRR without resolve-via-default),
 * NHT_ANY_ROUTE takes it too (a tunnel's destination, as routers resolve it).
 */
#define NHT_ANY_ROUTE (-1)
/* Resolve addr once, without tracking it. */
bool nht_resolve(struct node *, uint32_t addr, int min_len, struct nht_res *out);
/* Track addr (resolved at once: h->res is valid on return); fn runs on each change. */
struct nht *nht_track(struct node *, uint32_t addr, int min_len, nht_fn, void *arg);
void nht_untrack(struct nht *);
/* Do two resolutions say the same (reachability, route and next hops)? */
bool nht_res_eq(const struct nht_res *, const struct nht_res *);
/* Free the node's tracking state (node teardown). */
void nht_free(struct node *);

/*
 * The same in a VRF (vrf.h): resolution through its interfaces and RIB.
 * The forms above are the default VRF's.
 */
bool nht_resolve_vrf(struct node *, uint16_t vrf, uint32_t addr, int min_len, struct nht_res *);
struct nht *nht_track_vrf(struct node *, uint16_t vrf, uint32_t addr, int min_len, nht_fn,
    void *arg);
void nht_free_vrf(struct node *, uint16_t vrf);

#endif
