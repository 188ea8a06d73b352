/*
 * lsp_ping.h: MPLS LSP ping and traceroute (RFC 8029): MPLS echo requests
 * over UDP port 3503 sent down the LSP of an LDP IPv4 prefix FEC (the label
 * stack of the RIB route's next hop), answered by the LSP's egress (return
 * code 3) or, when the label TTL runs out, by a transit LSR (code 8) with an
 * MPLS echo reply over IPv4 UDP (reply mode 2).
 *
 * The request is an IPv4 datagram to 127.0.0.1 with TTL 1 and the router
 * alert option (RFC 8029 4.3, RFC 2113), so that it is never forwarded as IP
 * past the LSP's end: the egress takes it as its own (ip4.c: 127/8 to a
 * router), and a transit LSR whose label TTL expires hands it here instead
 * of answering time exceeded (mpls.c: expire).
 */
#ifndef NETSIM_LSP_PING_H
#define NETSIM_LSP_PING_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/ip.h"
#include "../lib/json.h"
#include "../lib/strbuf.h"
#include "net.h"
#include "rib.h"

#define LSP_PING_PORT 3503 /* RFC 8029 4.1 */

/* RFC 8029 3.1 return codes this implementation sends or names. */
enum {
	LSPP_RC_NONE = 0,
	LSPP_RC_MALFORMED = 1,
	LSPP_RC_UNKNOWN_TLV = 2,
	LSPP_RC_EGRESS = 3,      /* replying router is an egress for the FEC at stack-depth */
	LSPP_RC_NO_MAPPING = 4,  /* replying router has no mapping for the FEC */
	LSPP_RC_SWITCHED = 8,    /* label switched at stack-depth */
	LSPP_RC_WRONG_LABEL = 10, /* mapping for this FEC is not the given label */
};

enum lsp_probe_status { LSPP_PENDING, LSPP_REPLY, LSPP_TIMEOUT, LSPP_NOT_SENT };

struct lsp_probe {
	uint32_t seq;
	uint8_t status;
	uint8_t ttl;        /* the label TTL sent */
	uint8_t rc, rsc;    /* return code and subcode of the reply */
	uint32_t from;      /* the reply's source */
	sim_time sent, rtt;
	bool have_stack;    /* the reply carried an Interface and Label Stack TLV */
	uint8_t nlabels;    /* the stack the replier received the request with */
	uint32_t labels[LABEL_STACK_MAX];
	uint32_t rx_addr;   /* the interface it arrived on (that TLV) */
};

struct lsp_ping_opts {
	struct prefix fec;
	uint32_t src;       /* the requests' source (where replies go); 0: the outgoing interface's */
	bool trace;         /* traceroute: label TTL 1, 2, ... until a final reply */
	int count;          /* ping: requests (default 5); traceroute: max TTL (default 30) */
	sim_time timeout;   /* per request, default 2 s */
	sim_time interval;  /* ping: 0 = the next request once the last is answered */
};

/* The LSP a request takes from the ingress. */
struct lsp_path {
	struct iface *oif;
	uint32_t gw;
	uint8_t nout;       /* 0: unlabelled (the next hop is the egress: implicit null) */
	uint32_t out[LABEL_STACK_MAX];
};

struct lsp_ping {
	struct node *node;
	struct lsp_ping_opts o;
	struct udp_sock *sock;
	uint16_t sport;     /* from the node's port generator; also the sender's handle */
	struct lsp_path first; /* the LSP when the session started */
	int sent, received;
	struct lsp_probe *probes;
	sim_time min, max, sum;
	bool done;
	struct timer t;
};

/*
 * Start pinging (or tracing) the LSP of o->fec from n. NULL, with err, when
 * there is none: no route for exactly that prefix, or a next hop without
 * a label that did not map the FEC to implicit null.
 */
struct lsp_ping *lsp_ping_start(struct node *n, const struct lsp_ping_opts *o, char *err,
    size_t errlen);
void lsp_ping_free(struct lsp_ping *);
/* Did the egress answer (return code 3) any request? */
bool lsp_ping_reached(const struct lsp_ping *);
/* Cisco-like text (`ping mpls`, `traceroute mpls`) and JSON (docs/mpls.md). */
void lsp_ping_format(const struct lsp_ping *, struct strbuf *);
void lsp_ping_json(const struct lsp_ping *, struct json *);

struct rx_ctx;
/* A UDP datagram to port 3503 at this node (demux.c): an echo request to answer. */
bool lsp_ping_rx(const void *arg, const struct rx_ctx *, struct pkt *payload);
/*
 * mpls.c: the label TTL of ip (the IPv4 payload, labels pulled; lse the
 * depth entries it came with) ran out at this LSR. True (ip taken) when it
 * is an MPLS echo request, answered here with return code 8 (RFC 8029 4.4);
 * false (ip untouched) otherwise.
 */
bool lsp_ping_expired(struct iface *, struct pkt *ip, const uint32_t *lse, int depth);

#endif
