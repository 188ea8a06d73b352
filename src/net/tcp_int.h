/*
 * tcp_int.h: what the files of the TCP stack share (tcp.c: the API and the
 * node's connections; tcp_in.c: segment arrival; tcp_out.c: segments on the
 * wire, output, retransmission and the timers; tcp_svc.c: the echo and
 * discard services and the `tcp connect`/`tcp send` tool; tcp_show.c: `show
 * tcp`). Not for protocols: they use tcp.h.
 */
#ifndef NETSIM_TCP_INT_H
#define NETSIM_TCP_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "../sim/sim.h"
#include "tcp.h"

/* TCP header flags (RFC 9293 3.1). */
#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10

#define TCP_HLEN 20

/* Constants, documented in docs/tcp.md. */
#define TCP_RTO_INIT      (1 * SIM_S)   /* RFC 6298 2.1 */
#define TCP_RTO_MIN       (200 * SIM_MS) /* Linux's floor (RFC 6298 2.4 says 1 s) */
#define TCP_RTO_MAX       (60 * SIM_S)  /* RFC 6298 2.5 */
#define TCP_RTO_G         SIM_MS        /* clock granularity G of RFC 6298 2.3 */
#define TCP_MAX_RTX       8             /* retransmissions of data (or probes) before TIMEOUT */
#define TCP_SYN_RETRIES   5             /* SYN (SYN-ACK) retransmissions before TIMEOUT */
#define TCP_MSL           (5 * SIM_S)   /* simulated MSL: TIME-WAIT lasts 2 * MSL */
#define TCP_FIN_TIMEOUT   (60 * SIM_S)  /* FIN-WAIT-2 of a closed connection (Linux tcp_fin_timeout) */
#define TCP_DELACK        (40 * SIM_MS) /* delayed ACK (Linux's minimum; RFC 1122: < 500 ms) */
#define TCP_DEFAULT_MSS   536           /* RFC 9293 3.7.1, without the option */
#define TCP_SNDBUF        65536
#define TCP_RCVBUF        65535
#define TCP_EPHEMERAL_LO  49152
#define TCP_SSTHRESH_INIT 65535         /* RFC 5681 3.1: arbitrarily high: the largest window */

#define SEQ_LT(a, b)  ((int32_t)((a) - (b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((a) - (b)) <= 0)
#define SEQ_GT(a, b)  ((int32_t)((a) - (b)) > 0)
#define SEQ_GEQ(a, b) ((int32_t)((a) - (b)) >= 0)

struct tcp_stats {
	uint64_t segs_in, segs_out, rtx, rst_out, rst_in;
	uint64_t bad_cksum, bad_hdr, md5_drops, ttl_drops, closed_port;
};

/* A segment received out of order, waiting for the hole before it. */
struct tcp_ooo {
	struct tcp_ooo *next;
	uint32_t seq, len;
	bool fin;
	uint8_t data[];
};

struct tcp_pcb {
	struct tcp_stack *st;
	struct node *node;
	enum tcp_state state;
	uint32_t laddr, raddr;
	uint16_t lport, rport;
	struct tcp_opts o;  /* o.md5_key is our own copy */
	const struct tcp_cb *cb;
	void *arg;
	/* A listener's callbacks; a passive connection's listener (NULL once it is gone). */
	tcp_accept_fn accept;
	tcp_accepted_fn accepted;
	void *larg;
	struct tcp_pcb *listener;
	bool app_gone;       /* tcp_close/tcp_abort called: no more callbacks */
	bool manual;         /* tcp_set_manual_recved */
	bool fin_queued;     /* tcp_close: FIN after the buffer */
	bool got_fin;        /* the peer's FIN is in (rcv_nxt counts it) */
	bool dead;           /* freed when the last entry into it returns */
	void (*free_arg)(void *); /* a service's state, freed at teardown */
	bool told;           /* the application knows it (active, or passive: its accept hook took it) */
	int ref;             /* entries (input, timers) in progress */
	/* Send sequence space (RFC 9293 3.3.1); snd_max: highest sent + 1. */
	uint32_t iss, snd_una, snd_nxt, snd_max, snd_wl1, snd_wl2;
	uint32_t snd_wnd;
	uint32_t cwnd, ssthresh; /* congestion control (RFC 5681) */
	bool recovering;     /* NewReno fast recovery (RFC 6582) until recover is acknowledged */
	uint32_t recover;
	uint16_t mss;        /* data bytes per segment (the peer's MSS less our options) */
#define TCP_SBUF_KEEP 16384 /* a larger send buffer is freed once all of it is acknowledged */
	uint8_t *sbuf;       /* unacknowledged and unsent bytes, from sbuf_seq (inside sbuf_mem) */
	uint8_t *sbuf_mem;   /* sbuf_cap bytes: acknowledged bytes leave sbuf's start without a
	                      * copy, and the rest moves back to the start when the end is reached */
	uint32_t sbuf_len, sbuf_cap, sbuf_seq;
	uint32_t ctrl_end;   /* end of the last PKT_CONTROL byte queued (busy until acked) */
	bool has_ctrl;
	uint8_t data_cls;    /* class of the other bytes (tcp_send_class) */
	/* Receive sequence space. */
	uint32_t irs, rcv_nxt, rcv_adv; /* rcv_adv: right edge we advertised */
	uint32_t unconsumed; /* delivered, not yet tcp_recved (manual mode) */
	struct tcp_ooo *ooo;
	uint32_t ooo_bytes;
	int unacked_segs;    /* in-order segments not yet acknowledged (delayed ACK) */
	/* RFC 6298 state. */
	sim_time srtt, rttvar, rto;
	bool rtt_timing;
	uint32_t rtt_seq;
	sim_time rtt_start;
	int nrtx;            /* consecutive retransmissions (or probes) of the same data */
	int dupacks;
	bool persist;        /* the timer probes a zero window */
	bool probing;        /* send_data is sending a window probe */
	bool rtx_one;        /* after a timeout: resend one segment, then go back N as ACKs come */
	struct timer rtx_t;  /* retransmission, SYN retry and persist */
	struct timer tw_t;   /* TIME-WAIT, orphaned FIN-WAIT-2 */
	struct timer dack_t; /* delayed ACK */
	/* Totals for `show tcp`. */
	uint64_t retransmits, bytes_acked, bytes_rcvd;
};

struct tcp_stack {
	struct node *node;
	struct tcp_pcb **pcbs; /* connections and listeners */
	size_t n, cap;
	uint16_t next_port;
	bool quiet;            /* a crash or teardown: send nothing */
	bool no_services;      /* echo and discard off */
	struct tcp_stats st;
};

/* tcp.c: the stack and its connections */
struct tcp_stack *tcp_stack(struct node *);
/* A new connection (or listener) in the stack, with RFC 6298's initial RTO. */
struct tcp_pcb *tcp_pcb_new(struct tcp_stack *);
/* The connection's options: the key copied, the buffers' defaults filled in. */
void tcp_pcb_opts(struct tcp_pcb *, const struct tcp_opts *);
/* The connection (not a listener) of a 4-tuple in a VRF, or NULL. */
struct tcp_pcb *tcp_find(const struct tcp_stack *, uint16_t vrf, uint32_t laddr, uint16_t lport,
    uint32_t raddr, uint16_t rport);
/* ISN from the node's generator; the send sequence space starts there. */
void tcp_init_seq(struct tcp_pcb *);
/*
 * Around a callback into the application, which may close or abort the
 * connection: tcp_unhold returns true when the pcb is gone (do not touch it).
 */
void tcp_hold(struct tcp_pcb *);
bool tcp_unhold(struct tcp_pcb *);
void tcp_pcb_unlink(struct tcp_pcb *);
/* The connection is over: tell the application (unless it left) and free it. */
void tcp_gone(struct tcp_pcb *, enum tcp_why);
uint32_t tcp_rcv_wnd(const struct tcp_pcb *);

/* tcp_out.c: segments. */
struct tcp_seg_out {
	uint32_t src, dst;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t wnd;
	uint16_t mss;        /* MSS option value (0: none) */
	const char *key;     /* MD5 signature key (NULL: none) */
	uint8_t ttl, tos, cls;
	uint16_t vrf;        /* routed (and src chosen) in this VRF */
};

struct tcp_seg_in {
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t wnd;
	uint16_t mss;         /* 0: no option */
	const uint8_t *md5;   /* the 16 signature bytes, or NULL */
	const uint8_t *data;  /* payload */
	uint32_t len;         /* payload bytes */
};

int tcp_seg_send(struct node *, const struct tcp_seg_out *, const uint8_t *data, size_t len);
/* Parse a segment (checksum included); -1 (and a counter) when it is bad. */
int tcp_seg_parse(struct tcp_stack *, const uint8_t *tcp, size_t len, uint32_t src, uint32_t dst,
    struct tcp_seg_in *);
bool tcp_md5_ok(const uint8_t *tcp, size_t len, uint32_t src, uint32_t dst, const char *key,
    const uint8_t *sig);
/*
 * A RST answering a segment for which there is no connection (RFC 9293
 * 3.10.7.1), routed back in the VRF the segment arrived in.
 */
void tcp_send_reset_for(struct node *, uint16_t vrf, uint32_t src, uint32_t dst, uint16_t sport,
    uint16_t dport, const struct tcp_seg_in *);

void tcp_timers_init(struct tcp_pcb *);
void tcp_timers_cancel(struct tcp_pcb *);
void tcp_output(struct tcp_pcb *);
void tcp_send_syn(struct tcp_pcb *);
void tcp_send_ack(struct tcp_pcb *);
void tcp_send_rst(struct tcp_pcb *);
void tcp_ack_later(struct tcp_pcb *);
/* An ACK of `acked` new octets up to ack: RTT sample, timer restart (RFC 6298 5.2, 5.3), cwnd. */
void tcp_acked(struct tcp_pcb *, uint32_t ack, uint32_t acked);
/* The peer's MSS is known: data per segment and the initial window (RFC 5681 3.1). */
void tcp_set_mss(struct tcp_pcb *, uint16_t peer_mss);
void tcp_fast_retransmit(struct tcp_pcb *);
void tcp_enter_time_wait(struct tcp_pcb *);
/* The MSS our SYN offers: the outgoing interface's MTU in the VRF, less 40. */
uint16_t tcp_mss_for(struct node *, uint16_t vrf, uint32_t src, uint32_t dst);

/* tcp_svc.c: the built-in echo (7) and discard (9) services. */
bool tcp_service_accept(struct tcp_stack *, uint16_t port, struct tcp_opts *,
    const struct tcp_cb **, void **arg);
void tcp_service_free(void *arg);

#endif
