/*
 * demux.h: who receives what arrives at a router or host.
 *
 * One table per layer: Ethernet frames by ethertype or by 802.2 LLC DSAP,
 * datagrams addressed to the node by IP protocol number, UDP datagrams by
 * destination port (TCP has listeners of its own: tcp.h). The data plane's own
 * receivers (ARP, IPv4, ICMP, UDP) are in the tables from the start;
 * protocols declare theirs in struct protocol (proto.h) and the registry
 * adds them when it initialises. Tables are filled before any network runs
 * and only read afterwards, so the threads that run nodes read them without
 * locks.
 *
 * What a handler gets, per layer:
 *   DEMUX_ETHERTYPE  the frame after its Ethernet (and 802.1Q) header
 *   DEMUX_LLC        the 802.3 payload from the LLC header on, trimmed to its length
 *   DEMUX_IPPROTO    the datagram from its IP header on (ctx->ip parsed)
 *   DEMUX_UDP        the UDP payload (ctx->ip, ctx->sport and ctx->dport set)
 * A handler returns true when it took the packet (and so freed it), false
 * when it did not want it (a protocol the node does not run): the caller then
 * still owns it and answers as a host would (ICMP protocol or port
 * unreachable, or a drop).
 */
#ifndef NETSIM_DEMUX_H
#define NETSIM_DEMUX_H

#include <stdbool.h>
#include <stdint.h>

#include "net.h"

struct eth_hdr;
struct ip4_hdr;

enum demux_layer { DEMUX_ETHERTYPE, DEMUX_LLC, DEMUX_IPPROTO, DEMUX_UDP, DEMUX_LAYERS };

struct rx_ctx {
	struct iface *ifp;         /* the (sub-)interface it arrived on */
	const struct eth_hdr *eth; /* the frame's header */
	const struct ip4_hdr *ip;  /* the IP header, from DEMUX_IPPROTO up (else NULL) */
	uint16_t sport, dport;     /* DEMUX_UDP */
};

typedef bool (*demux_fn)(const void *arg, const struct rx_ctx *, struct pkt *);

/* Add a receiver for key at one layer (at start-up; a key taken twice is a bug). */
void demux_register(enum demux_layer, uint16_t key, demux_fn, const void *arg);
/* Hand p to the receiver of key; false (p still the caller's) when none takes it. */
bool demux_input(enum demux_layer, uint16_t key, const struct rx_ctx *, struct pkt *);
/* Is anything registered for key (the decoder and `show` use it)? */
bool demux_has(enum demux_layer, uint16_t key);

#endif
