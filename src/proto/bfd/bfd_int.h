/*
 * bfd_int.h: the BFD protocol's state, shared by its files:
 *   packet.c    the Control packet codec (packet.h)
 *   session.c   a session: the state machine (RFC 5880 6.8.6) as a table,
 *               negotiated intervals (6.8.2, 6.8.3), detection time (6.8.4),
 *               jittered transmission (6.8.7), Poll/Final (6.5)
 *   bfd.c       the plug-in: configuration, sessions per node, the client
 *               API (bfd.h), reception (RFC 5881 5 TTL check, RFC 5883)
 *   show.c      `show bfd peers [detail]` (alias `show bfd sessions`)
 *   dissect.c   `netsim decode` for UDP 3784, 4784 (and 6784, 7784)
 */
#ifndef NETSIM_BFD_INT_H
#define NETSIM_BFD_INT_H

#include "../../lib/fsm.h"
#include "../../sim/sim.h"
#include "../proto.h"
#include "bfd.h"
#include "packet.h"

/* FRR's defaults (bfdd): 300 ms both ways, detect multiplier 3. */
#define BFD_INTERVAL_DFLT 300000u /* microseconds */
#define BFD_MULT_DFLT     3
#define BFD_SLOW_TX       1000000u /* RFC 5880 6.8.3: at least 1 s while not Up */
#define BFD_MH_MIN_TTL    254      /* multi-hop: lowest TTL accepted (FRR's minimum-ttl) */

/* Timer parameters: configured per interface, at device level for multi-hop. */
struct bfd_params {
	uint32_t min_tx, min_rx; /* microseconds */
	uint8_t mult;
	bool passive;            /* wait for the peer to speak first (6.1) */
};

/* State-machine events: a packet's State, or the detection timer. */
enum bfd_event {
	BFD_EV_RX_ADMIN_DOWN,
	BFD_EV_RX_DOWN,
	BFD_EV_RX_INIT,
	BFD_EV_RX_UP,
	BFD_EV_TIMER,
	BFD_NEVENTS
};

struct bfd_client {
	struct bfd_sess *s;
	bfd_cb cb; /* NULL once unregistered during a notification */
	void *arg;
};

struct bfd;

/* A session (RFC 5880 6.8.1 names in comments). */
struct bfd_sess {
	struct bfd *b;
	uint32_t peer, local;
	struct iface *ifp;        /* NULL: multi-hop */
	uint16_t sport;           /* our UDP source port, the same for the session's life */
	uint8_t state;            /* bfd.SessionState */
	uint8_t remote_state;     /* bfd.RemoteSessionState */
	uint8_t diag;             /* bfd.LocalDiag */
	uint8_t remote_diag;
	uint8_t mult;             /* bfd.DetectMult */
	uint8_t remote_mult;
	bool remote_demand;       /* bfd.RemoteDemandMode */
	bool passive;
	uint32_t my_disc;         /* bfd.LocalDiscr */
	uint32_t your_disc;       /* bfd.RemoteDiscr */
	struct bfd_params cfg;    /* what the configuration asks for */
	uint32_t desired_tx;      /* bfd.DesiredMinTxInterval (advertised) */
	uint32_t required_rx;     /* bfd.RequiredMinRxInterval (advertised) */
	uint32_t old_tx, old_rx;  /* in force until the Poll Sequence ends (6.8.3) */
	uint32_t remote_tx;       /* the peer's Desired Min TX */
	uint32_t remote_rx;       /* bfd.RemoteMinRxInterval */
	uint32_t remote_echo_rx;
	bool poll;                /* a Poll Sequence is in progress (6.5) */
	bool final_due;           /* answer a Poll with Final at once */
	struct timer tx_t, detect_t;
	sim_time since;           /* last state change */
	struct bfd_client **clients;
	size_t nclients, ccap;
	int notifying;            /* inside the clients' callbacks: unregistering is deferred */
	struct {
		uint64_t rx, tx, up, down, ignored;
	} st;
};

struct bfd {
	struct proto_inst *pi;
	struct node *node;
	struct bfd_params dflt;       /* device level: multi-hop and interfaces without a block */
	const struct cfg *at;         /* a block of the node's, for validate's errors */
	struct bfd_params *ifparams;  /* per interface index */
	bool *ifset;
	size_t nif;
	struct bfd_sess **sess;       /* sorted by (peer, interface index; multi-hop last) */
	size_t nsess, scap;
	struct {
		uint64_t rx, tx, drops;
	} st;
};

extern const struct fsm_row bfd_fsm_table[];
extern const char *const bfd_event_names[BFD_NEVENTS];

void bfd_trace(const struct bfd *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const struct bfd_params *bfd_params_for(const struct bfd *, const struct iface *ifp);

/* session.c */
struct bfd_sess *bfd_sess_new(struct bfd *, uint32_t peer, uint32_t local, struct iface *ifp);
void bfd_sess_free(struct bfd_sess *);
void bfd_sess_fsm(struct bfd_sess *, enum bfd_event);
/* A valid packet for this session (6.8.6 from "If the A bit is set" on). */
void bfd_sess_input(struct bfd_sess *, const struct bfd_pkt *);
/* The interval between packets (before jitter) and the detection time, in ns. */
sim_time bfd_sess_tx_interval(const struct bfd_sess *);
sim_time bfd_sess_detect_time(const struct bfd_sess *);
/* Jitter (6.8.7): 75-100 % of the interval, 75-90 % with a Detect Mult of 1; r in [0, 1). */
sim_time bfd_jitter(sim_time interval, uint8_t mult, uint64_t r);
/* Build the packet the session would send now. */
void bfd_sess_packet(const struct bfd_sess *, struct bfd_pkt *);
/* Around a call that may run clients' callbacks: the session outlives it (bfd.c). */
void bfd_sess_hold(struct bfd_sess *);
void bfd_sess_release(struct bfd_sess *);
/* Start with the configured parameters (slow while not Up). */
void bfd_sess_start(struct bfd_sess *);

#endif
