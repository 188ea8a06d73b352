/*
 * gre.h: GRE tunnels (RFC 2784, with RFC 2890's key and sequence number),
 * the first implementation of an interface's tunnel_ops (net.h).
 *
 * A tunnel is an interface `{name: gre1, type: gre, ip: ..., source: ...,
 * destination: ...}` of a router or host. Datagrams the IP layer routes out
 * of it (after fragmenting them to its MTU) get a GRE header and a new IPv4
 * header to the destination (encap.c); IP protocol 47 arriving at the node
 * goes to the tunnel of that (source, destination, key) and its payload is
 * received on the tunnel interface as if it had come in on a link.
 *
 * A tunnel is up while its destination resolves through the RIB (next-hop
 * tracking), its source is an address of the node that is up, and the
 * destination does not resolve through the tunnel itself, directly or
 * through other tunnels: that is recursive routing, and the tunnel is held
 * down for GRE_RECURSION_HOLD before it tries again (gre.c). docs/gre.md.
 *
 * Files: gre.c (configuration, state), encap.c (the data plane), show.c
 * (commands), dissect.c (netsim decode).
 */
#ifndef NETSIM_GRE_H
#define NETSIM_GRE_H

#include <stdbool.h>
#include <stdint.h>

#include "../../sim/sim.h"
#include "../../cli/cli.h"
#include "../proto.h"

#define IPPROTO_GRE 47

/* The header's first word (RFC 2784 2.1, RFC 2890 2). */
#define GRE_C       0x8000 /* checksum present */
#define GRE_R       0x4000 /* routing present (RFC 1701; not sent, refused) */
#define GRE_K       0x2000 /* key present (RFC 2890 2.1) */
#define GRE_S       0x1000 /* sequence number present (RFC 2890 2.2) */
#define GRE_SSR     0x0800 /* strict source route (RFC 1701) */
#define GRE_RECUR   0x0700 /* recursion control (RFC 1701) */
#define GRE_VERSION 0x0007

/*
 * The header's length for the flags of its first word: 4, and 4 more for
 * each of the checksum word (C, or RFC 1701's R: checksum and offset), the
 * key (K) and the sequence number (S), in that order after the first word.
 */
static inline unsigned
gre_hdr_len(uint16_t flags)
{
	return 4 + (flags & (GRE_C | GRE_R) ? 4u : 0) + (flags & GRE_K ? 4u : 0) +
	       (flags & GRE_S ? 4u : 0);
}

#define GRE_PT_IPV4 0x0800
#define GRE_PT_MPLS 0x8847 /* RFC 4023: when netsim forwards MPLS */

/* How long a tunnel found routing through itself stays down before it retries. */
#define GRE_RECURSION_HOLD (10 * SIM_S)
/* Cisco's keepalive defaults: every 10 s, down after 3 unanswered. */
#define GRE_KEEPALIVE_DFLT (10 * SIM_S)
#define GRE_KEEPALIVE_RETRIES 3

/* RFC 4459's choices for the outer header's DF bit. */
enum gre_df { GRE_DF_COPY, GRE_DF_SET, GRE_DF_CLEAR };

struct gre_stats {
	uint64_t encaps, decaps;
	uint64_t drop_down;      /* sent while down, or received while down */
	uint64_t drop_loop;      /* sent back into itself before the recursion was found */
	uint64_t drop_cksum;     /* bad or (checksum configured) missing checksum */
	uint64_t drop_seq;       /* out of sequence, or (sequencing configured) none */
	uint64_t drop_proto;     /* a protocol type netsim does not carry */
	uint64_t ka_sent, ka_rcvd; /* keepalives sent, and come back */
};

struct gre;

struct gre_tun {
	struct gre *g;
	struct iface *ifp;
	/* Configuration. */
	uint32_t src;           /* the source address, when given as one */
	char *src_name;         /* the source interface, when given by name */
	struct iface *src_if;   /* ... found at validate */
	uint32_t dst;
	bool has_key, csum, seq;
	uint32_t key;
	uint8_t ttl;            /* 0: inherit the inner datagram's */
	enum gre_df df;
	sim_time ka_interval;   /* Cisco-style keepalives: period (0: off) */
	unsigned ka_retries;    /* ... and how many may go unanswered */
	const struct cfg *at;   /* the interface's map, for validate's errors */
	/* State. */
	struct nht *nh;         /* the destination's resolution */
	bool up;
	const char *reason;     /* why it is down; NULL while up */
	bool held;              /* recursion found: down until the hold timer fires */
	struct timer hold;
	unsigned flaps;         /* times it went down */
	sim_time since;         /* last state change */
	bool sending;           /* inside output: a datagram routed back in is a loop */
	struct timer ka;        /* the keepalive period */
	unsigned ka_missed;     /* keepalives sent since the last one came back */
	bool ka_down;           /* more than ka_retries unanswered: down until one returns */
	uint32_t tx_seq, rx_seq;
	bool rx_seq_valid;
	struct gre_stats st;
};

struct gre {
	struct node *node;
	struct gre_tun **tun;
	size_t n, cap;
	uint64_t no_tunnel;     /* GRE to us that matched no tunnel (or its key) */
	uint64_t bad_header;    /* version, RFC 1701 bits, truncated */
};

extern const struct tunnel_ops gre_tunnel_ops;
extern const struct cli_cmd gre_cmds[];

struct gre *gre_of(struct proto_inst *);
/* The source address the tunnel sends from now (0: none). */
uint32_t gre_src_addr(const struct gre_tun *);
/* Re-evaluate whether the tunnel is up; tell the node when it flips. */
void gre_eval(struct gre_tun *);
/* Start or restart tracking the destination (after a change of it). */
void gre_track(struct gre_tun *);
/* The flags (GRE_C, GRE_K, GRE_S) the tunnel's options put in its header. */
uint16_t gre_flags(const struct gre_tun *);
/* GRE header length for the tunnel's options. */
unsigned gre_hlen(const struct gre_tun *);
/* The default MTU: 1500 less the outer IPv4 and GRE headers, as Linux. */
uint16_t gre_default_mtu(const struct gre_tun *);

/* A keepalive came back: the far end answers. */
void gre_keepalive_reply(struct gre_tun *);

/* encap.c */
void gre_output(struct iface *, struct pkt *, uint32_t nexthop);
void gre_keepalive_send(struct gre_tun *);
void gre_input(struct proto_inst *, const struct rx_ctx *, struct pkt *);

/* dissect.c */
void gre_dissect_setup(void);

#endif
