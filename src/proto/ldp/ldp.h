/*
 * ldp.h: LDP (RFC 5036) as a netsim protocol: Hello discovery on the links
 * that run it (hello.c), one TCP session per peer LSR (session.c), and label
 * distribution (label.c): downstream unsolicited, independent control,
 * liberal retention, as FRR and Cisco do on links. Labels reach the data
 * plane two ways: the RIB's labeler puts the next hop's label on every IGP
 * route's next hops (the FTN: what an ingress pushes, rib.h), and the LFIB
 * (mpls.h) swaps or pops the labels this router gave out.
 *
 * Everything here runs in the owning node's context (its timers, receive
 * path, TCP callbacks and RIB watch) or in global context between ticks
 * (start, stop, commands), never across nodes (docs/protocols.md).
 */
#ifndef NETSIM_LDP_H
#define NETSIM_LDP_H

#include <stdbool.h>
#include <stdint.h>

#include "../../lib/hmap.h"
#include "../../lib/ip.h"
#include "../../sim/sim.h"
#include "../proto.h"
#include "msg.h"

extern const struct protocol proto_ldp;

#define LDP_ALL_ROUTERS  0xe0000002u /* 224.0.0.2: link Hellos (RFC 5036 2.4.1) */
#define LDP_HELLO_DFLT   (5 * SIM_S) /* FRR's and Cisco's link Hello interval */
#define LDP_HOLD_DFLT    15          /* link Hello hold time, seconds (RFC 5036 3.5.2) */
#define LDP_THELLO_DFLT  (15 * SIM_S) /* targeted Hello interval (FRR's) */
#define LDP_THOLD_DFLT   45          /* targeted Hello hold time, seconds (RFC 5036 3.5.2) */
#define LDP_KA_DFLT      180         /* KeepAlive time proposed, seconds (FRR, Cisco) */
#define LDP_RETRY_FIRST  (15 * SIM_S) /* session set-up backoff (RFC 5036 2.5.3) */
#define LDP_RETRY_MAX    (120 * SIM_S)
#define LDP_NO_LABEL     UINT32_MAX
#define LDP_BUF_KEEP     8192        /* a larger session buffer is freed once empty */
#define LDP_HELLO_GTSM   0x2000      /* RFC 6720 2.1: the G bit of the Common Hello Parameters */

struct tcp_pcb;
struct ldp_conn;

struct ldp_cfg {
	uint32_t lsr_id;    /* 0: the device's router ID */
	uint32_t transport; /* 0: the LSR ID */
	uint32_t label_min, label_max;
	bool bind_all;      /* every IGP and connected prefix, not the /32s alone */
	bool explicit_null; /* advertise 0, not implicit null, for our own prefixes */
	bool igp_sync;      /* RFC 5443 */
	uint32_t *targets;  /* targeted peers (extended discovery, RFC 5036 2.4.2) */
	size_t ntargets;
	bool targeted_accept; /* answer targeted Hellos from LSRs not listed */
	bool gtsm;          /* RFC 6720 (default on, as FRR) */
	const char *password; /* TCP MD5 signatures on every session (RFC 5036 2.9), or NULL */
	sim_time hello;
	uint16_t hold, keepalive;
};

/* An interface that runs LDP. */
struct ldp_if {
	struct ldp *l;
	struct iface *ifp;
	sim_time hello;
	uint16_t hold;
	struct timer hello_t;  /* pending while LDP runs on the interface */
	sim_time since;        /* LDP started on it */
	bool synced;           /* an operational session has an adjacency here (RFC 5443) */
	uint64_t hello_tx, hello_rx;
};

/* A Hello adjacency (RFC 5036 2.4): a peer heard on one interface, or by targeted Hellos. */
struct ldp_adj {
	struct ldp_nbr *nbr;
	struct ldp_if *lif; /* NULL: a targeted adjacency (2.4.2) */
	uint32_t src;   /* the Hellos' source address (a targeted one's key) */
	uint16_t hold;  /* seconds: the smaller of ours and the peer's (3.5.2) */
	struct timer hold_t;
	sim_time since;
};

/* RFC 5036 2.5.4 */
enum ldp_state {
	LDP_NONEXISTENT, LDP_INITIALIZED, LDP_OPENREC, LDP_OPENSENT, LDP_OPERATIONAL,
};

struct ldp_nbr_stats {
	uint64_t rx[16], tx[16]; /* by message kind: ldp_msg_kind() (fewer than 16) */
	uint64_t up, down;
};

/* A peer LSR: its adjacencies and its session. */
struct ldp_nbr {
	struct ldp *l;
	uint32_t lsr_id;     /* its LDP identifier (label space 0) */
	uint32_t transport;  /* its transport address, from its Hellos */
	struct ldp_adj **adj;
	size_t nadj, adjcap;
	uint8_t state;
	bool active;         /* we open the connection (RFC 5036 2.5.2) */
	struct ldp_conn *conn; /* the session's connection (session.c), or NULL */
	uint8_t *rbuf;       /* bytes of a PDU not complete yet */
	size_t rlen, rcap;
	struct strbuf txq;   /* PDUs the send buffer had no room for, from txoff on */
	size_t txoff;
	uint8_t *pdu;        /* the PDU being built (messages appended) */
	size_t pdulen;
	uint16_t ka_time;    /* negotiated KeepAlive time, seconds */
	uint16_t max_pdu;    /* the peer's */
	bool gtsm;           /* its Hellos set RFC 6720's G bit (as ours do) */
	struct timer ka_t, ka_hold_t, retry_t;
	struct timer flush_t; /* sends the PDU being built once the current event is done */
	sim_time backoff;
	unsigned attempts;   /* connections tried or accepted (the first is work: session.c) */
	sim_time since;      /* of the last state change */
	uint32_t *addrs;     /* its interface addresses (Address messages), sorted */
	size_t naddrs, addrcap;
	const char *last_down;
	struct ldp_nbr_stats st;
};

/* A label a peer mapped for a FEC (liberal retention: every peer's is kept). */
struct ldp_rmap {
	struct ldp_nbr *nbr;
	uint32_t label;
};

/* A FEC (an IPv4 prefix) in the LIB: the label we gave it, and the peers' labels. */
struct ldp_binding {
	struct prefix pfx;
	uint32_t local;      /* LDP_NO_LABEL: not bound (not advertised) */
	uint32_t lfib_label; /* the label of our LFIB entries, when lfib */
	struct ldp_rmap *rm;
	uint16_t nrm, rmcap;
	bool lfib;
};

/* A targeted peer (2.4.2): configured, or one that asked (its R bit) and we accept. */
struct ldp_target {
	struct ldp *l;
	uint32_t addr;
	bool configured;
	struct timer hello_t;
	uint64_t hello_tx;
};

struct ldp_stats {
	uint64_t hello_tx, hello_rx, hello_bad, pdu_bad, sessions_up, sessions_down;
};

struct ldp {
	struct proto_inst *pi;
	struct node *node;
	struct ldp_cfg cfg;
	const struct cfg *at;
	uint32_t lsr_id, transport; /* in force (resolved at start) */
	struct ldp_if **ifs;        /* by interface index; NULL where LDP does not run */
	size_t nif;
	struct ldp_nbr **nbrs;      /* sorted by LSR ID */
	size_t nnbr, nbrcap;
	struct hmap fecs;           /* prefix_key -> struct ldp_binding (the LIB) */
	struct hmap labels;         /* local label -> struct ldp_binding (allocated from the node: mpls.h) */
	uint32_t msg_id;            /* message IDs: one counter for every message we send */
	struct tcp_pcb *listener;
	struct ldp_target **targets; /* targeted peers we send Hellos to (targeted.c) */
	size_t ntarget, targetcap;
	struct ldp_conn **conns;    /* every connection of the node's (session.c) */
	size_t nconn, conncap;
	bool watching;              /* the RIB watch is registered (it cannot be removed) */
	bool quiet;                 /* the network is being freed: no events */
	struct ldp_stats st;
};

/* ldp.c */
void ldp_trace(const struct ldp *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct ldp *ldp_running(const struct node *);
/* The neighbor with LSR ID id, or NULL. */
struct ldp_nbr *ldp_nbr_find(const struct ldp *, uint32_t id);
struct ldp_nbr *ldp_nbr_get(struct ldp *, uint32_t id);
/* The neighbor goes: its adjacencies, session and state. */
void ldp_nbr_delete(struct ldp_nbr *);

/* RFC 5443: recompute which interfaces LDP is ready on, and tell the IGPs of changes. */
void ldp_sync_update(struct ldp *);

/* hello.c: discovery (RFC 5036 2.4.1, 3.5.2) */
void ldp_if_start(struct ldp_if *);
void ldp_if_stop(struct ldp_if *);
void ldp_hello_input(struct proto_inst *, const struct rx_ctx *, struct pkt *);
/* A Hello PDU of ours (link, or targeted with T and R). */
struct pkt *ldp_hello_pdu(struct ldp *, uint16_t hold, bool targeted);
/* A Hello heard: the adjacency made or kept alive (lif NULL: targeted); true if made. */
bool ldp_adj_hello(struct ldp *, struct ldp_if *lif, uint32_t src, uint32_t lsr_id,
    const struct ldp_hello *, uint32_t transport, uint16_t ours);
/* "eth0", or a targeted adjacency's address. */
const char *ldp_adj_source(const struct ldp_adj *);

/* targeted.c: extended discovery (RFC 5036 2.4.2) */
int ldp_targeted_config(struct ldp *, const struct cfg *blk);
void ldp_targeted_start(struct ldp *);
void ldp_targeted_stop(struct ldp *);
/* A targeted Hello from src: false when it is not accepted. */
bool ldp_targeted_input(struct ldp *, uint32_t src, uint32_t lsr_id, const struct ldp_hello *,
    uint32_t transport);
/* A targeted Hello to addr now (a new adjacency with it). */
void ldp_target_hello(struct ldp *, uint32_t addr);
/* The RIB changed: targeted peers not reached yet get their first Hello if they can. */
void ldp_targeted_kick(struct ldp *);
/* The targeted adjacency with src went: a peer we only answered is forgotten. */
void ldp_target_adj_gone(struct ldp *, uint32_t src);
void ldp_adj_delete(struct ldp_adj *);
/* The adjacency goes, its neighbor stays (the neighbor itself is going). */
void ldp_adj_free(struct ldp_adj *);

/* session.c: the session over TCP (RFC 5036 2.5) */
int ldp_session_listen(struct ldp *);
/* Teardown: the connections' memory (the stack has forgotten them). */
void ldp_conns_free(struct ldp *);
/* A new adjacency (or a retry timer): open the session if we are the active side. */
void ldp_session_try(struct ldp_nbr *);
/* Close the session with a Notification of status (0: none, the box is going). */
void ldp_session_close(struct ldp_nbr *, uint32_t status, const char *why);
/* `clear ldp neighbor`: end the session (Shutdown) and set it up again now. */
void ldp_session_clear(struct ldp_nbr *);
/* Queue a message (its ID is assigned) and send queued ones with ldp_session_flush. */
void ldp_send(struct ldp_nbr *, struct ldp_msg *);
/* End the PDU being built (the next message starts another); nothing is sent yet. */
void ldp_pdu_close(struct ldp_nbr *);
/* Send what is queued, the PDU being built included. */
void ldp_session_flush(struct ldp_nbr *);
const char *ldp_state_name(uint8_t);
/* The session's TCP endpoints; false without a connection. */
bool ldp_session_endpoints(const struct ldp_nbr *, uint32_t *la, uint16_t *lp, uint32_t *ra,
    uint16_t *rp);
unsigned ldp_msg_kind(uint16_t type);
const char *ldp_msg_kind_name(unsigned kind);

/* label.c: label distribution and the data plane (RFC 5036 2.6, A.1) */
void ldp_labels_start(struct ldp *);
void ldp_labels_stop(struct ldp *);
/* The session reached OPERATIONAL: our addresses and every binding to it. */
void ldp_labels_session_up(struct ldp_nbr *);
/* The session went: forget the peer's addresses and labels. */
void ldp_labels_session_down(struct ldp_nbr *);
/* An Address, Address Withdraw or Label message from the peer. */
void ldp_labels_input(struct ldp_nbr *, const struct ldp_msg *);
struct ldp_binding *ldp_binding_find(const struct ldp *, const struct prefix *);
/* The peer whose address a is (Address messages), operational, or NULL. */
struct ldp_nbr *ldp_nbr_by_addr(const struct ldp *, uint32_t a);
uint32_t ldp_binding_remote(const struct ldp_binding *, const struct ldp_nbr *);
/* Every FEC sorted by prefix (caller frees). */
struct ldp_binding **ldp_bindings_sorted(const struct ldp *, size_t *n);
/* "imp-null", "exp-null", "16", "-": FRR's words for a label. */
const char *ldp_label_str(uint32_t label, char *buf, size_t n);

#endif
