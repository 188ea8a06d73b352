/*
 * vrf.h: VRFs (VRF-lite): routing tables of their own on a router.
 *
 * A router's default VRF is node->rib, unchanged for every node without
 * VRFs; each configured VRF has a number (1, 2, ... in the order of the
 * device's `vrfs:` list), a RIB of its own and its own next-hop tracking.
 * An interface belongs to one VRF (iface->vrf, 0: the default), and the data
 * plane picks the RIB and the local addresses by the VRF of the interface a
 * datagram came in on, or by the VRF a locally originated one names
 * (struct ip4_out). Route distinguishers and route targets are parsed and
 * kept, in BGP's wire form, for BGP/MPLS L3VPN (RFC 4364), which does not
 * use them yet.
 */
#ifndef NETSIM_VRF_H
#define NETSIM_VRF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net.h"

#define VRF_DEFAULT 0
#define VRF_MAX     255 /* per router */

struct cfg;
struct rib_src;
struct strbuf;

/*
 * Route targets (RFC 4360 4): extended communities, 8 octets each as on the
 * wire, read and written by BGP's VPN code (proto/bgp/vpn.h), which L3VPN
 * will match them with.
 */
struct vrf_rt_list {
	uint8_t (*v)[8];
	size_t n;
};

struct vrf {
	char *name;
	uint16_t id;              /* its number: iface->vrf, ip4_out.vrf */
	bool has_rd;
	uint8_t rd[8];            /* the route distinguisher (RFC 4364 4.2) as BGP encodes it */
	struct vrf_rt_list import, export;
	struct rib *rib;
	struct nht_set *nht;      /* next-hop tracking in this VRF (nht.h), on first use */
};

/* The RIB of VRF id on n (0: node->rib). */
static inline struct rib *
node_rib(const struct node *n, uint16_t vrf)
{
	return vrf == VRF_DEFAULT ? n->rib : n->vrfs[vrf - 1].rib;
}

/* A VRF by name ("default" is the default VRF: returns 0), -1 if none. */
int node_vrf_id(const struct node *, const char *name);
/* The VRF's name ("default" for 0). */
const char *node_vrf_name(const struct node *, uint16_t vrf);
/* Add a VRF (its RIB included); the caller checked the name. */
struct vrf *node_vrf_add(struct node *, const char *name);
/* Withdraw src's routes from every VRF's RIB, the default's included. */
void node_ribs_flush(struct node *, const struct rib_src *);
/* Free the node's VRFs (node teardown). */
void node_vrfs_free(struct node *);

/* The RD and a route target as they were written ("65000:1", "192.0.2.1:7"). */
void vrf_rd_text(const struct vrf *, struct strbuf *);
void vrf_rt_text(const uint8_t rt[8], struct strbuf *);

/*
 * The device's `vrfs:` list: [{name, rd, import_targets, export_targets}].
 * Errors at the offending key; false if any.
 */
bool vrf_config(struct node *, const struct cfg *list);

#endif
