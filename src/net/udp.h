/*
 * udp.h: UDP (RFC 768) sockets on routers and hosts.
 */
#ifndef NETSIM_UDP_H
#define NETSIM_UDP_H

#include <stdint.h>

#include "ip4.h"
#include "net.h"

#define UDP_HLEN 8
#define TRACEROUTE_PORT 33434

struct udp_sock;
typedef void (*udp_rx_fn)(struct udp_sock *, struct iface *, struct pkt *payload,
    uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport);

struct udp_sock {
	struct udp_sock *next;
	struct node *node;
	uint16_t port;
	udp_rx_fn fn;
	void *arg;
};

struct udp_sock *udp_bind(struct node *, uint16_t port, udp_rx_fn, void *arg);
void udp_close(struct udp_sock *);
void udp_input(struct iface *, struct pkt *, const struct ip4_hdr *);
/* Send payload from sport to dst:dport (o: IP options, may set ttl/oif). */
int udp_send(struct node *, struct pkt *payload, uint16_t sport, uint16_t dport,
    const struct ip4_out *o);

#endif
