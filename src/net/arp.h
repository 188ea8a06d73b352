/*
 * arp.h: the ARP cache of a router or host (RFC 826).
 *
 * Entries are created by replies and by requests aimed at us (RFC 826's
 * merge), kept for arp_timeout, and checked lazily on use, so a quiet cache
 * costs no events. Unresolved next hops queue a few packets and retry the
 * request every second, three times, before giving up with ICMP host
 * unreachable for forwarded packets.
 *
 * Resolution is triggered by traffic, so its frames are data for convergence
 * purposes; only the announcement at interface up is control work.
 */
#ifndef NETSIM_ARP_H
#define NETSIM_ARP_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/hmap.h"
#include "eth.h"
#include "net.h"

#define ARP_TIMEOUT   (4 * 3600 * SIM_S) /* Cisco's default */
#define ARP_RETRY     SIM_S
#define ARP_TRIES     3
#define ARP_QUEUE_MAX 8

enum arp_state { ARP_INCOMPLETE, ARP_REACHABLE };

struct arp_entry {
	uint32_t ip;
	uint8_t mac[6];
	uint16_t ifindex;
	uint8_t state;
	uint8_t tries;
	sim_time updated;
	struct timer retry;
	struct node *node;
	struct pkt *queue[ARP_QUEUE_MAX];
	uint16_t qtype[ARP_QUEUE_MAX]; /* each queued packet's ethertype (IPv4 or MPLS) */
	uint8_t nqueue;
};

struct arp_table {
	struct hmap tab; /* (VRF, ip) -> arp_entry: arp_key() */
	sim_time timeout;
	uint64_t requests_sent, replies_sent, failed;
};

void arp_init(struct node *);
void arp_free(struct node *);
void arp_flush(struct node *);
void arp_iface_down(struct iface *);
void arp_input(struct iface *, const struct eth_hdr *, struct pkt *);
/* Send an IP packet (already with its IPv4 header) to next hop nh on ifp. */
void arp_output(struct iface *, uint32_t nh, struct pkt *);
/* The same for a packet of another ethertype (MPLS: the label stack, then IPv4). */
void arp_output_type(struct iface *, uint32_t nh, uint16_t type, struct pkt *);
/*
 * Announce our address with a gratuitous ARP (sender = target = our
 * address), as routers do when an interface comes up: switches learn where
 * we are, and neighbours holding an old entry for the address update it.
 */
void arp_announce(struct iface *);
/* Sorted entries for show commands (caller frees). */
struct arp_entry **arp_sorted(struct node *, size_t *n);

#endif
