/*
 * eth.h: Ethernet II and IEEE 802.1Q framing.
 */
#ifndef NETSIM_ETH_H
#define NETSIM_ETH_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "net.h"

#define ETH_HLEN      14
#define ETH_MIN_FRAME 60 /* without FCS: shorter frames are padded */
#define ETH_VLAN_HLEN 4
#define ETH_MAX_LEN   1500 /* a type field up to this is an IEEE 802.3 length */
#define ETHERTYPE_IP   0x0800
#define ETHERTYPE_ARP  0x0806
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8

extern const uint8_t eth_bcast[6];

struct eth_hdr {
	uint8_t dst[6], src[6];
	uint16_t type;   /* ethertype, or the 802.3 length when <= 1500 */
	uint16_t vlan;   /* 802.1Q VID, 0 if untagged */
	uint8_t pcp;
	size_t hlen;     /* bytes of header (14 or 18) */
};

static inline bool
mac_is_bcast(const uint8_t m[6])
{
	return memcmp(m, eth_bcast, 6) == 0;
}

static inline bool
mac_is_mcast(const uint8_t m[6])
{
	return m[0] & 1;
}

/* Parse the Ethernet header (and one 802.1Q tag); -1 if truncated. */
int eth_parse(const uint8_t *p, size_t len, struct eth_hdr *);
/* The multicast MAC for an IPv4 group (RFC 1112 6.4). */
void eth_ip_mcast(uint32_t group, uint8_t mac[6]);

/* Frame arrived on an interface (called by the link layer). */
void eth_input(struct iface *, struct pkt *);
/* Prepend an Ethernet (and, for tagged interfaces, 802.1Q) header and transmit. */
void eth_output(struct iface *, const uint8_t dst[6], uint16_t type, struct pkt *);
/* Transmit a complete frame on an interface (padding, counters, link). */
void iface_tx(struct iface *, struct pkt *);
/* Deliver a frame to the link layer; called by iface_tx. */
void link_tx(struct iface *, struct pkt *);

#endif
