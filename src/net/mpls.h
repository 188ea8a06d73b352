/*
 * mpls.h: the MPLS data plane (RFC 3031, RFC 3032): label stack encoding,
 * the per-node label forwarding table (LFIB: incoming label -> swap or pop,
 * next hop), forwarding of labelled packets (ethertype 0x8847), and the push
 * of an IPv4 route's label stack (struct nexthop.labels, rib.h).
 *
 * TTL follows the uniform model (RFC 3443) unless the ingress says
 * `ttl_propagate: false`: the IP TTL is copied into the pushed labels,
 * decremented per label-switched hop and copied back on the last pop (only
 * when smaller than the IP TTL, so that a pipe-model LSP, whose labels start
 * at 255, counts as one hop and hides its LSRs from traceroute). Static LSPs come from the device's `mpls: {static: [...]}` and
 * `mpls lfib add/del`; LDP adds its entries through mpls_lfib_add.
 */
#ifndef NETSIM_MPLS_H
#define NETSIM_MPLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/hmap.h"
#include "net.h"
#include "rib.h"

#define ETHERTYPE_MPLS 0x8847

/* RFC 3032 2.1: reserved label values. */
#define MPLS_LABEL_EXPLICIT_NULL 0
#define MPLS_LABEL_IMPLICIT_NULL 3
#define MPLS_LABEL_RESERVED_MAX  15

#define MPLS_LSE_LEN 4

/* One label stack entry: label 20 bits, traffic class 3, bottom of stack 1, TTL 8. */
struct mpls_lse {
	uint32_t label;
	uint8_t tc;
	bool s;
	uint8_t ttl;
};

static inline uint32_t
mpls_lse_pack(const struct mpls_lse *e)
{
	return (e->label & LABEL_MAX) << 12 | (uint32_t)(e->tc & 7) << 9 | (uint32_t)e->s << 8 | e->ttl;
}

static inline struct mpls_lse
mpls_lse_unpack(uint32_t w)
{
	struct mpls_lse e = {w >> 12, (uint8_t)(w >> 9 & 7), (w >> 8 & 1) != 0, (uint8_t)w};

	return e;
}

/*
 * The label stack at the start of p: its entries (up to max) into out, and
 * the number of entries up to and including the bottom one; -1 when the
 * stack is cut short or longer than max.
 */
int mpls_stack_parse(const uint8_t *p, size_t len, struct mpls_lse *out, int max);
/* Write n labels (outermost first) with one TC and TTL; S on the last when bottom. */
void mpls_stack_build(uint8_t *p, const uint32_t *labels, int n, uint8_t tc, uint8_t ttl,
    bool bottom);

/*
 * Is label valid here? Incoming (the LFIB's key): 16..2^20-1. Outgoing (a
 * swap, a pushed stack): also 0 (explicit null) and 3 (implicit null: pop).
 * On false, err says why.
 */
bool mpls_label_valid(long long label, bool incoming, char *err, size_t errlen);

/* A stack of outgoing labels: implicit null (3) only alone (it means "no label"). */
bool mpls_stack_valid(const uint32_t *labels, int n, char *err, size_t errlen);
/*
 * A label stack written "100/200" (commands), outgoing labels: how many
 * (at most max) into out, or -1 with err.
 */
int mpls_labels_parse(const char *s, uint32_t *out, int max, char *err, size_t errlen);

enum mpls_action { MPLS_SWAP, MPLS_POP };

/* An LFIB entry; several with one incoming label are an ECMP set. */
struct mpls_entry {
	uint32_t in;
	uint8_t action;
	uint8_t nout;                    /* swap: labels replacing the top one */
	uint32_t out[LABEL_STACK_MAX];
	uint32_t via;                    /* pop with 0: the payload is for this node */
	bool untagged;                   /* a pop because the next hop gave no label (not implicit null) */
	/*
	 * A VPN label (RFC 4364 4.3.2, 5), a pop without next hop: the
	 * payload, under this label at the bottom of the stack, is an IPv4
	 * datagram routed in VRF vrf (vrf.h; 0: the default VRF's table).
	 */
	bool vpn;
	uint16_t vrf;
	const char *owner;               /* "static", "LDP", "BGP" */
};

struct mpls_stats {
	uint64_t rx, forwarded, pushed, popped;
	uint64_t ttl_expired, no_label, bad, mtu_drops, no_route;
};

/* Where an owner's next allocation starts (label_alloc.c). */
struct mpls_label_cursor {
	const char *owner;
	uint32_t next;
};

struct mpls_state {
	struct mpls_entry *v; /* sorted by incoming label, then next hop */
	size_t n, cap;
	struct mpls_stats st;
	bool pipe;            /* `ttl_propagate: false`: pushed labels start at TTL 255 (RFC 3443 pipe) */
	struct hmap alloc;    /* allocated label -> its owner's name (label_alloc.c) */
	struct mpls_label_cursor *cursors;
	size_t ncursors;
};

/* The node's MPLS state, made on first use. */
struct mpls_state *mpls_state_get(struct node *);

/*
 * The node's label space, shared by the protocols that bind incoming labels
 * (LDP, BGP): a free label of [min, max] (neither allocated by anyone nor in
 * the LFIB), next-fit from owner's own cursor, or 0 when none is left.
 * owner is a static string ("LDP", "BGP"). The label stays taken until
 * mpls_label_free, whether or not an LFIB entry is made for it.
 */
uint32_t mpls_label_alloc(struct node *, uint32_t min, uint32_t max, const char *owner);
void mpls_label_free(struct node *, uint32_t label);
/* Who allocated label (NULL: nobody). */
const char *mpls_label_owner(const struct node *, uint32_t label);

/* Add (or replace the entry with the same label and next hop); -1 with err. */
int mpls_lfib_add(struct node *, const struct mpls_entry *, char *err, size_t errlen);
/*
 * Make v[0..cnt) (their `in` set to in) the entries for label in, replacing
 * what it had, and touching nothing when that is the same (a protocol
 * reprograms a label's ECMP set at every route change). Entries that could
 * not be added are left out; -1 with err (of the last) when there was one.
 * v is sorted in place.
 */
int mpls_lfib_set(struct node *, uint32_t in, struct mpls_entry *v, int cnt, char *err,
    size_t errlen);
/*
 * Make label an egress PE's VPN label for VRF vrf (RFC 4364 5): pop it and
 * route the IPv4 datagram below in the VRF (ip4_input_vrf), replacing what
 * the label had. owner names the entry ("BGP", "static"). Refused (-1 with
 * err) for a label that is not a valid incoming one, a VRF the node does
 * not have, or a label another owner allocated (mpls_label_alloc) or has
 * LFIB entries for. A labelled packet whose VPN label is not the bottom
 * one is dropped (counted as bad).
 */
int mpls_vpn_label_set(struct node *, uint32_t label, uint16_t vrf, const char *owner, char *err,
    size_t errlen);
/* Remove label's VPN entry (mpls_vpn_label_set); false if it had none. */
bool mpls_vpn_label_del(struct node *, uint32_t label);
/*
 * What an LSR does with a packet whose top label is top, e the LFIB entry
 * it chose for it (NULL: none) - mpls_input's decision, which the FIB walks
 * (verify/walk.h) follow too.
 */
enum mpls_op {
	MPLS_OP_VPN,       /* a VPN label: pop, route the IPv4 payload in e->vrf (RFC 4364 5) */
	MPLS_OP_LOCAL_POP, /* explicit null, or an egress pop: what is below is processed here */
	MPLS_OP_BAD,       /* a reserved label this LSR does not handle (implicit null is never sent) */
	MPLS_OP_NO_LABEL,  /* no entry: dropped */
	MPLS_OP_PHP,       /* pop and send on to e->via (penultimate hop, RFC 3031 3.16) */
	MPLS_OP_SWAP,      /* replace the top label with e->out[0..nout) and send on to e->via */
};
enum mpls_op mpls_classify(const struct mpls_entry *e, uint32_t top);
/* The LFIB entries for label in (an ECMP set): the first, and how many in *cnt. */
const struct mpls_entry *mpls_lfib_entries(const struct node *, uint32_t in, size_t *cnt);
/* Has the LFIB an entry for label in? */
bool mpls_lfib_has(const struct node *, uint32_t in);
/* Remove every entry for label in; the number removed. */
int mpls_lfib_del(struct node *, uint32_t in);
void mpls_free(struct node *);

/* A labelled frame's payload (from the label stack on) arrived on ifp. */
void mpls_input(struct iface *, struct pkt *);
/*
 * Send IPv4 datagram p to next hop nh on ifp with stack pushed (TTL from
 * the IP header); fragments, or answers "fragmentation needed" when
 * forwarded with DF, if the labels would not fit the MTU.
 */
void mpls_ip_output(struct iface *, uint32_t nh, struct pkt *, const struct label_stack *,
    bool forwarded);

struct cfg;
/* The device's `mpls:` block (routers only). */
bool mpls_config(struct node *, const struct cfg *);
/* A label in a topology, checked (errors at its position). */
bool mpls_cfg_label(const struct cfg *, const char *what, bool incoming, uint32_t *out);

struct strbuf;
struct json;
/* `show mpls forwarding` (mpls_show.c). */
void mpls_show(const struct node *, struct strbuf *);
void mpls_show_json(const struct node *, struct json *);
/* `show mpls statistics`: the data plane's counters (struct mpls_stats). */
void mpls_stats_show(const struct node *, struct strbuf *);
void mpls_stats_show_json(const struct node *, struct json *);

#endif
