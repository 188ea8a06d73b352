/*
 * ip4.h: IPv4 (RFC 791) input, output and forwarding (RFC 1812).
 */
#ifndef NETSIM_IP4_H
#define NETSIM_IP4_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/hmap.h"
#include "net.h"

#define IP_HLEN        20
#define IP_DEFAULT_TTL 64
#define IP_DF          0x4000
#define IP_MF          0x2000
#define IP_OFFMASK     0x1fff
#define IPPROTO_ICMP_  1
#define IPPROTO_TCP_   6
#define IPPROTO_UDP_   17
#define IP_BCAST       0xffffffffu

struct ip4_hdr {
	uint8_t hlen; /* bytes */
	uint8_t tos;
	uint16_t len;
	uint16_t id;
	uint16_t frag; /* flags and offset as on the wire */
	uint8_t ttl;
	uint8_t proto;
	uint16_t cksum;
	uint32_t src, dst;
};

struct ip_stats {
	uint64_t in_receives, in_hdr_errors, in_addr_errors, in_delivers, in_unknown_protos;
	uint64_t forwarded, no_route, ttl_exceeded, out_requests, out_no_route;
	uint64_t frag_creates, frag_fails, reasm_ok, reasm_fails;
	uint64_t icmp_in, icmp_out;
};

struct ip_state {
	uint16_t ident;
	struct reasm *reasm;
	struct udp_sock *udp;
	struct tcp_stack *tcp; /* connections and listeners (tcp.c), on first use */
	struct icmp_watch *icmp_watch;
	struct ip_stats st;
	uint16_t next_icmp_id;
	uint16_t next_port;
};

/* Options for a datagram this node originates. */
struct ip4_out {
	uint32_t src;           /* 0: the outgoing interface's address */
	uint32_t dst;
	uint8_t proto;
	uint8_t ttl;            /* 0: IP_DEFAULT_TTL */
	uint8_t tos;
	bool df;
	struct iface *oif;      /* send on this interface (link-local multicast, broadcast) */
	uint32_t nexthop;       /* with oif: the next hop (0: dst itself) */
	uint16_t vrf;           /* route in this VRF (vrf.h; 0: the default) */
};

void ip_state_init(struct node *);
void ip_state_free(struct node *);

/* Parse and validate a header (version, IHL, checksum, length); -1 if bad. */
int ip4_parse(const uint8_t *p, size_t len, struct ip4_hdr *);
/* Write a 20-byte header with checksum. */
void ip4_build(uint8_t *p, const struct ip4_hdr *);

void ip4_input(struct iface *, struct pkt *);
/*
 * An IPv4 datagram that arrived on ifp (its labels gone) taken in VRF vrf
 * instead of ifp's: an egress PE's VPN label (RFC 4364 5, mpls.h). It is
 * for the router when its destination is an address of the VRF, and then
 * delivered as if it had come in on that interface; else routed with the
 * VRF's table. ICMP errors go back in the VRF, from the address of its
 * first interface that is up (the ingress interface is not the VRF's).
 */
void ip4_input_vrf(struct iface *, uint16_t vrf, struct pkt *);
/* Set the TTL of the IPv4 header at hdr, updating its checksum incrementally (RFC 1624). */
void ip4_set_ttl(uint8_t *hdr, uint8_t ttl);
/*
 * Send p (the transport payload) as a datagram of this node; routes through
 * the FIB unless o->oif is set. Returns 0, or -1 with p freed when there is
 * no route (the ICMP-less local failure).
 */
int ip4_output(struct node *, struct pkt *, const struct ip4_out *o);
/*
 * Route a locally originated datagram: the outgoing interface and next hop.
 * A destination that is one of our own addresses routes to that interface.
 * Returns false when there is no route.
 */
bool ip4_route(struct node *, uint32_t src, uint32_t dst, struct iface **oif, uint32_t *nh);
/* The same in a VRF (TCP's MSS for a connection in a VRF). */
bool ip4_route_vrf(struct node *, uint16_t vrf, uint32_t src, uint32_t dst, struct iface **oif,
    uint32_t *nh);
/* The source address ip4_output would choose for dst (0 if unroutable). */
uint32_t ip4_route_source(struct node *, uint32_t dst);
/* The same in a VRF (ip4_route and ip4_route_source route in the default VRF). */
uint32_t ip4_route_source_vrf(struct node *, uint16_t vrf, uint32_t dst);
/* Send a complete datagram (with header) towards nh on ifp, fragmenting as needed. */
void ip4_send_on(struct iface *, uint32_t nh, struct pkt *, bool forwarded);
/*
 * Is dst addressed to this node on ifp (unicast to an address in ifp's VRF,
 * directed/limited broadcast, multicast)?
 */
bool ip4_is_for_us(const struct iface *, uint32_t dst);

/* Reassembly (frag.c). Returns the whole datagram when complete, else NULL. */
struct pkt *ip4_reassemble(struct node *, struct pkt *, const struct ip4_hdr *);
void ip4_reasm_flush(struct node *);
/* Fragment a datagram to fit mtu (RFC 791 3.2); frees p, returns count sent via fn. */
int ip4_fragment(struct pkt *, uint16_t mtu, void (*fn)(struct pkt *, void *), void *arg);

#endif
