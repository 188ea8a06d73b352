/*
 * udp.h: UDP (RFC 768) sockets on routers and hosts.
 *
 * A socket is bound to a port in one VRF (vrf.h; udp_bind: the default):
 * it receives the datagrams to that port that arrive on the VRF's
 * interfaces, and what it sends names the VRF in its struct ip4_out.
 * Protocols' well-known ports (demux.h) are not sockets: they see every VRF.
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
	uint16_t vrf;   /* the VRF whose datagrams it receives (0: the default) */
	udp_rx_fn fn;
	void *arg;
};

/* Bind port in the default VRF; NULL when it is taken there. */
struct udp_sock *udp_bind(struct node *, uint16_t port, udp_rx_fn, void *arg);
/* Bind port in VRF vrf (the port is taken per VRF); NULL when it is taken there. */
struct udp_sock *udp_bind_vrf(struct node *, uint16_t vrf, uint16_t port, udp_rx_fn, void *arg);
void udp_close(struct udp_sock *);
void udp_input(struct iface *, struct pkt *, const struct ip4_hdr *);
/* Send payload from sport to dst:dport (o: IP options, may set ttl/oif). */
int udp_send(struct node *, struct pkt *payload, uint16_t sport, uint16_t dport,
    const struct ip4_out *o);

#endif
