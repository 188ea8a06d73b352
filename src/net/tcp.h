/*
 * tcp.h: TCP (RFC 9293) inside the simulated devices, for BGP and LDP.
 *
 * A callback API in the manner of lwIP's: a protocol opens connections
 * (tcp_connect) or listens (tcp_listen), queues bytes (tcp_send), and is
 * called back when the connection is established, when in-order bytes
 * arrive, when its bytes are acknowledged, and when the connection is gone.
 * Everything runs in the owning node's context (its events, timers and
 * receive path) or in global context (commands), never across nodes, so the
 * thread rules of docs/protocols.md hold without locks.
 *
 * Real segments: three-way handshake, ISNs from the node's generator, MSS
 * option, receive window and flow control, reassembly of out-of-order
 * segments, retransmission with RTO per RFC 6298 (exponential backoff),
 * FIN/RST, TIME-WAIT, RST to segments for closed ports, GTSM (RFC 5082) and
 * TCP MD5 signatures (RFC 2385). See docs/tcp.md.
 *
 * A connection and a listener live in one VRF (vrf.h; opts.vrf,
 * tcp_listen_vrf; 0, the default VRF, for every caller that names none):
 * a segment is matched in the VRF of the interface it arrived on, and
 * everything a connection sends is routed, and its source address chosen,
 * in its VRF. The same 4-tuple may so exist once per VRF.
 *
 * A connection's memory belongs to the stack: after `closed` has been
 * called, or after tcp_close()/tcp_abort() returned, the caller must not
 * touch the pcb again.
 */
#ifndef NETSIM_TCP_H
#define NETSIM_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net.h"

struct tcp_pcb;
struct strbuf;
struct json;
struct ip4_hdr;

/* RFC 9293 3.3.2 */
enum tcp_state {
	TCP_CLOSED, TCP_LISTEN, TCP_SYN_SENT, TCP_SYN_RECEIVED, TCP_ESTABLISHED,
	TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT, TCP_CLOSING, TCP_LAST_ACK,
	TCP_TIME_WAIT,
};

/* Why a connection is gone (the `closed` callback). */
enum tcp_why {
	TCP_GONE_CLOSED,   /* orderly: both FINs exchanged (or our close completed) */
	TCP_GONE_RESET,    /* the peer sent RST (also: connection refused) */
	TCP_GONE_TIMEOUT,  /* retransmissions (or SYN retries) exhausted */
	TCP_GONE_ABORTED,  /* the node crashed or the stack aborted it */
};

/* Callbacks of an application; arg is the connection's user argument. */
struct tcp_cb {
	/* An active open completed (SYN-SENT -> ESTABLISHED). */
	void (*connected)(struct tcp_pcb *, void *arg);
	/*
	 * In-order bytes arrived; len 0 means the peer sent FIN (no more data).
	 * The bytes count as consumed when this returns unless the application
	 * turned auto-consume off (tcp_set_manual_recved), in which case it
	 * calls tcp_recved() as it processes them and the window follows.
	 */
	void (*recv)(struct tcp_pcb *, void *arg, const uint8_t *data, size_t len);
	/* len bytes of ours were acknowledged (room in the send buffer). */
	void (*sent)(struct tcp_pcb *, void *arg, size_t len);
	/*
	 * The connection is gone; the pcb is freed when this returns. A passive
	 * connection that dies in its handshake comes here too, and so does a
	 * SYN a listener's accept hook took and the stack then dropped (its TTL
	 * under min_ttl, a bad MD5 signature), with pcb NULL and
	 * TCP_GONE_ABORTED: what the hook set up for it is undone.
	 */
	void (*closed)(struct tcp_pcb *, void *arg, enum tcp_why);
};

/* Options of one connection (and of a listener's connections). */
struct tcp_opts {
	uint32_t src;          /* local address (0: the outgoing interface's) */
	uint16_t sport;        /* local port (0: an ephemeral port, 49152..65535) */
	uint8_t ttl;           /* TTL of our segments (0: 64; GTSM sends 255) */
	uint8_t min_ttl;       /* GTSM (RFC 5082): drop segments with a lower TTL (0: off) */
	uint8_t tos;           /* e.g. 0xc0 (internetwork control) for BGP/LDP */
	const char *md5_key;   /* RFC 2385 signature key (NULL: none); copied */
	uint32_t sndbuf;       /* send buffer bytes (0: 65536) */
	uint32_t rcvbuf;       /* receive buffer = largest window (0: 65535) */
	/*
	 * Packet class of data segments (pkt.h; PKT_CONTROL for BGP). PKT_PERIODIC
	 * also makes the handshake and close not work: a protocol's retry of a
	 * session that failed, which must not hold convergence back for ever.
	 */
	uint8_t cls;
	/*
	 * The VRF (vrf.h) of an active open: routes, source address and the
	 * segments it accepts are that VRF's (0: the default). A listener's
	 * connections are in the listener's VRF, whatever its accept hook sets.
	 */
	uint16_t vrf;
};

/*
 * A listener's say on an incoming SYN from raddr:rport to laddr: fill *o
 * (MD5 key, min_ttl, ttl, cb, arg of the new connection) and return true to
 * accept, or false to refuse (RST). Runs in the node's context.
 */
typedef bool (*tcp_accept_fn)(void *larg, uint32_t laddr, uint32_t raddr, uint16_t rport,
    struct tcp_opts *o, const struct tcp_cb **cb, void **arg);
/* The new connection reached ESTABLISHED (passive open complete). */
typedef void (*tcp_accepted_fn)(void *larg, struct tcp_pcb *, void *arg);

/* Listen on port (addr 0: any of the node's addresses). NULL if the port is taken. */
struct tcp_pcb *tcp_listen(struct node *, uint32_t addr, uint16_t port, tcp_accept_fn,
    tcp_accepted_fn, void *larg);
/*
 * tcp_listen in VRF vrf (tcp_listen is this with VRF_DEFAULT): only SYNs
 * that arrive on the VRF's interfaces reach it, and addr (0: any) is one of
 * the VRF's addresses. The port is taken per VRF: the default VRF and red
 * may each listen on 179. NULL if taken, or if the node has no such VRF.
 */
struct tcp_pcb *tcp_listen_vrf(struct node *, uint16_t vrf, uint32_t addr, uint16_t port,
    tcp_accept_fn, tcp_accepted_fn, void *larg);
/*
 * Open a connection to dst:dport in VRF o->vrf (o NULL: default options);
 * the result arrives through cb (connected or closed). NULL when the port
 * (o->sport) is taken by the same 4-tuple in the VRF or the VRF does not exist.
 */
struct tcp_pcb *tcp_connect(struct node *, uint32_t dst, uint16_t dport, const struct tcp_opts *,
    const struct tcp_cb *, void *arg);
/*
 * Queue len bytes (all or nothing): 0, or -1 when the send buffer lacks room
 * (wait for `sent`) or the connection can no longer send.
 */
int tcp_send(struct tcp_pcb *, const void *data, size_t len);
/*
 * tcp_send with the class of these bytes' segments (pkt.h): PKT_CONTROL bytes
 * keep the node busy (not converged) until they are acknowledged; others
 * (PKT_PERIODIC: keepalives) do not. tcp_send uses the connection's opts.cls.
 */
int tcp_send_class(struct tcp_pcb *, const void *data, size_t len, uint8_t cls);
/* Room left in the send buffer. */
size_t tcp_sndbuf_free(const struct tcp_pcb *);
/* Flow control by the application: bytes are consumed only through tcp_recved. */
void tcp_set_manual_recved(struct tcp_pcb *, bool on);
void tcp_recved(struct tcp_pcb *, size_t len);
/* Orderly close (FIN after the queued data); no callback is made after it. */
void tcp_close(struct tcp_pcb *);
/* Abortive close: RST now; no callback is made after it. */
void tcp_abort(struct tcp_pcb *);

/* The connection's endpoints and state. */
enum tcp_state tcp_state_of(const struct tcp_pcb *);
void tcp_endpoints(const struct tcp_pcb *, uint32_t *laddr, uint16_t *lport, uint32_t *raddr,
    uint16_t *rport);
const char *tcp_state_name(enum tcp_state);
/* The VRF the connection (or listener) lives in (0: the default). */
uint16_t tcp_vrf_of(const struct tcp_pcb *);

/*
 * The data plane: a segment addressed to this node (the IP header parsed in
 * h), matched in the VRF of the interface it arrived on.
 */
void tcp_input(struct iface *, struct pkt *, const struct ip4_hdr *h);
/*
 * Unacknowledged data or a pending handshake/close: the network is not
 * converged. Only connections whose opts.cls is not PKT_DATA count (user
 * traffic never delays convergence), and of their bytes only PKT_CONTROL ones.
 */
bool tcp_busy(const struct node *);
/*
 * The node crashed: forget every connection silently (no RST: the box is
 * dead). node_set_up calls tcp_node_quiet, then stops the protocols (which
 * may close or abort their connections: nothing is sent), then
 * tcp_node_crash, which ends what is left with closed(TCP_GONE_ABORTED).
 * Listeners stay: they belong to their applications.
 */
void tcp_node_crash(struct node *);
/* From now until tcp_node_crash returns (or for good, at teardown), send nothing. */
void tcp_node_quiet(struct node *);
/* Is the node's TCP quiet (a crash or teardown under way)? A protocol stopping tells a crash from a process restart. */
bool tcp_node_is_quiet(const struct node *);
/*
 * The built-in echo (port 7) and discard (port 9) services: on by default,
 * in every VRF (a connection is in the VRF its SYN arrived in).
 */
void tcp_services(struct node *, bool on);
/* `show tcp`: the node's connections and listeners, as text (like ss -tan) or JSON. */
void tcp_show(struct node *, struct strbuf *);
void tcp_show_json(struct node *, struct json *);
/* Free the node's TCP state (teardown). */
void tcp_node_free(struct node *);

#endif
