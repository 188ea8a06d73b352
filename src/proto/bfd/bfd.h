/*
 * bfd.h: Bidirectional Forwarding Detection (RFC 5880, single hop RFC 5881,
 * multi-hop RFC 5883): what its clients (OSPF, IS-IS, BGP) use.
 *
 * A client registers a path to a peer when its neighbor, adjacency or
 * session comes up and unregisters it when it goes down. Clients of the same
 * (peer, interface) -- or (peer, multi-hop) -- share one session, created by
 * the first and deleted with the last. cb(arg, up) runs in the node's context
 * when the session comes up or goes down; a client may unregister (itself or
 * another) from inside it. A session brought down by the peer's AdminDown is
 * not reported as down (RFC 5882 3.2): the peer chose to stop, the path may
 * work.
 */
#ifndef NETSIM_BFD_H
#define NETSIM_BFD_H

#include <stdbool.h>
#include <stdint.h>

struct cfg;
struct iface;
struct node;
struct bfd_client;

typedef void (*bfd_cb)(void *arg, bool up);

/*
 * Watch the path to peer from local (0: the interface's address) out of ifp
 * (single hop, UDP 3784, TTL 255), or routed when ifp is NULL (multi-hop, UDP
 * 4784). NULL when the node does not run BFD (which bfd_enable prevents).
 */
struct bfd_client *bfd_register(struct node *, uint32_t peer, uint32_t local, struct iface *ifp,
    bfd_cb cb, void *arg);
/* NULL is allowed (nothing registered). */
void bfd_unregister(struct bfd_client *);

/*
 * At configuration time, a client's `bfd: true`: the node runs BFD (with
 * FRR's defaults where no `bfd:` block says otherwise). Returns false after
 * reporting an error at `at`.
 */
bool bfd_enable(struct node *, const struct cfg *at);

#endif
