/*
 * icmp.h: ICMP (RFC 792) echo, and the errors of RFC 1812 4.3.
 */
#ifndef NETSIM_ICMP_H
#define NETSIM_ICMP_H

#include <stdint.h>

#include "ip4.h"
#include "net.h"

#define ICMP_ECHOREPLY         0
#define ICMP_UNREACH           3
#define ICMP_UNREACH_NET       0
#define ICMP_UNREACH_HOST      1
#define ICMP_UNREACH_PROTO     2
#define ICMP_UNREACH_PORT      3
#define ICMP_UNREACH_NEEDFRAG  4
#define ICMP_UNREACH_ADMIN     13
#define ICMP_ECHO              8
#define ICMP_TIMXCEED          11
#define ICMP_TIMXCEED_INTRANS  0
#define ICMP_TIMXCEED_REASS    1

/*
 * Someone (ping, traceroute) waiting for ICMP: called for every echo reply
 * and every error whose quoted datagram came from this node. Returns 1 if it
 * consumed the message.
 */
#define ICMP_MPLS_MAX 8 /* label stack entries kept from an RFC 4950 extension */

struct icmp_msg {
	uint8_t type, code;
	uint32_t from;          /* source of the ICMP message */
	uint8_t ttl;            /* TTL of the datagram carrying it */
	uint16_t mtu;           /* fragmentation needed: next-hop MTU */
	uint16_t id, seq;       /* echo reply, or the quoted echo */
	const struct ip4_hdr *quoted; /* errors: the quoted header */
	const uint8_t *qdata;   /* errors: first bytes of the quoted payload */
	size_t qlen;
	struct pkt *p;          /* the ICMP message (for its trace) */
	/* RFC 4950: the label stack entries an LSR received the datagram with (errors). */
	uint8_t nlabels;
	uint32_t lse[ICMP_MPLS_MAX];
};

struct icmp_watch {
	struct icmp_watch *next;
	int (*fn)(struct node *, const struct icmp_msg *, void *arg);
	void *arg;
};

void icmp_input(struct iface *, struct pkt *, const struct ip4_hdr *);
/*
 * Send an ICMP error about datagram p (which still has its IP header) that
 * this node received or was forwarding. Applies the RFC 1812 4.3.2.7 rules
 * (never about an ICMP error, a broadcast, a non-first fragment...).
 */
void icmp_error(struct node *, struct iface *in, const struct pkt *p, uint8_t type,
    uint8_t code, uint16_t mtu);
/* Same, in a VRF, when the incoming interface is not at hand (a fragmentation error). */
void icmp_error_vrf(struct node *, uint16_t vrf, const struct pkt *p, uint8_t type, uint8_t code,
    uint16_t mtu);
/*
 * Same, with an RFC 4884 extension structure holding one RFC 4950 MPLS
 * label stack object (the n entries lse, as received, outermost first): the
 * quoted datagram is cut or zero-padded to 128 octets.
 */
void icmp_error_labels(struct node *, struct iface *in, const struct pkt *p, uint8_t type,
    uint8_t code, const uint32_t *lse, int n);
/*
 * The same error as a whole IPv4 datagram (header built, not sent), for an
 * LSR that sends it on along the LSP (RFC 3032 2.3.2); NULL when none is due.
 */
struct pkt *icmp_error_datagram(struct node *, struct iface *in, const struct pkt *p,
    uint8_t type, uint8_t code, const uint32_t *lse, int nlse);
/*
 * The RFC 4950 MPLS label stack entries (up to max, into lse) of the RFC
 * 4884 extension of ICMP message m (len octets from its type): how many, 0
 * without an extension, -1 when the extension is malformed.
 */
int icmp_ext_mpls(const uint8_t *m, size_t len, uint32_t *lse, int max);
/* Same, when the incoming interface is unknown (queued packets sent out of an interface of vrf). */
void icmp_error_forwarded(struct node *, uint16_t vrf, const struct pkt *p, uint8_t type,
    uint8_t code);
/* Send an echo request, routed in VRF vrf (vrf.h; 0: the default). */
int icmp_echo(struct node *, uint16_t vrf, uint32_t src, uint32_t dst, uint16_t id, uint16_t seq,
    size_t datalen, uint8_t ttl, bool df, bool trace);
void icmp_watch_add(struct node *, struct icmp_watch *);
void icmp_watch_del(struct node *, struct icmp_watch *);

#endif
