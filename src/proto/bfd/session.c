/*
 * session.c: one BFD session in Asynchronous mode (RFC 5880 6.1).
 *
 * The state machine of 6.2 and 6.8.6 is a table of {states, event, action,
 * next state}; bfd_sess_fsm() is the only writer of the state. Events are
 * the State of a received packet and the expiry of the Detection Time.
 *
 * Timers (6.8.2-6.8.4, 6.8.7): packets go out every max(our Desired Min TX,
 * the peer's Required Min RX), less a random 0-25 % (10-25 % with a Detect
 * Mult of 1) from the node's generator; the session is declared down when
 * nothing arrives for the peer's Detect Mult times max(our Required Min RX,
 * the peer's Desired Min TX). While the session is not Up we advertise a
 * Desired Min TX of at least one second (6.8.3); on coming Up the configured
 * interval is announced with a Poll Sequence (6.5), and a larger transmit or
 * smaller receive interval takes effect only once the peer's Final arrives
 * (6.8.3). A received Poll is answered at once with a Final. Demand mode is
 * not used by netsim (D always clear), but a peer's is honoured: no periodic
 * packets while both are Up and the peer asks for Demand mode (6.8.7).
 */
#include <stdlib.h>

#include "../../lib/ip.h"
#include "../../lib/util.h"
#include "../../net/events.h"
#include "../../net/udp.h"
#include "bfd_int.h"

const char *const bfd_event_names[BFD_NEVENTS] = {"AdminDown received", "Down received",
                                                  "Init received", "Up received",
                                                  "Detection Time expired"};

static uint32_t
max32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

/* The transmit interval and receive interval in force (6.8.3: the old ones during a Poll). */
static uint32_t
tx_in_force(const struct bfd_sess *s)
{
	return s->poll && s->desired_tx > s->old_tx ? s->old_tx : s->desired_tx;
}

static uint32_t
rx_in_force(const struct bfd_sess *s)
{
	return s->poll && s->required_rx < s->old_rx ? s->old_rx : s->required_rx;
}

/* 6.8.2, 6.8.7 */
sim_time
bfd_sess_tx_interval(const struct bfd_sess *s)
{
	return (sim_time)max32(tx_in_force(s), s->remote_rx) * SIM_US;
}

/* 6.8.4, Asynchronous mode */
sim_time
bfd_sess_detect_time(const struct bfd_sess *s)
{
	return (sim_time)s->remote_mult * max32(rx_in_force(s), s->remote_tx) * SIM_US;
}

sim_time
bfd_jitter(sim_time interval, uint8_t mult, uint64_t r)
{
	/* r in [0, 2^16): 75-100 %, or 75-90 % when bfd.DetectMult is 1. */
	sim_time span = mult == 1 ? interval * 15 / 100 : interval / 4;
	sim_time base = mult == 1 ? interval * 90 / 100 : interval;

	return base - span * (sim_time)r / 65536;
}

void
bfd_sess_packet(const struct bfd_sess *s, struct bfd_pkt *p)
{
	*p = (struct bfd_pkt){
	    .version = BFD_VERSION,
	    .diag = s->diag,
	    .state = s->state,
	    /* A packet never carries both (6.5): the Final goes first, the Poll with the next. */
	    .flags = s->final_due ? BFD_F_FINAL : s->poll ? BFD_F_POLL : 0,
	    .mult = s->mult,
	    .len = BFD_LEN,
	    .my_disc = s->my_disc,
	    .your_disc = s->your_disc,
	    .min_tx = s->desired_tx,
	    .min_rx = s->required_rx,
	    .min_echo_rx = 0, /* no Echo function (4.1) */
	};
}

static void
send_now(struct bfd_sess *s)
{
	struct node *n = s->b->node;
	struct bfd_pkt bp;
	struct pkt *p = pkt_new(BFD_LEN);

	bfd_sess_packet(s, &bp);
	bfd_pkt_encode(&bp, p->data);
	s->final_due = false;
	p->cls = PKT_PERIODIC; /* liveness, not work: convergence does not wait for it */
	s->st.tx++;
	s->b->st.tx++;
	/* RFC 5881 5 and RFC 5883 5: TTL 255; a single hop session stays on its interface. */
	udp_send(n, p, s->sport, s->ifp ? BFD_PORT : BFD_MH_PORT,
	    &(struct ip4_out){.src = s->local, .dst = s->peer, .ttl = 255, .tos = 0xc0,
	        .oif = s->ifp});
}

/* 6.8.7: may we send periodically now? */
static bool
may_send(const struct bfd_sess *s)
{
	if (s->passive && s->your_disc == 0)
		return false;
	if (s->remote_rx == 0)
		return false;
	return !(s->remote_demand && s->state == BFD_UP && s->remote_state == BFD_UP);
}

static void
schedule_tx(struct bfd_sess *s)
{
	struct node *n = s->b->node;

	timer_set(&s->tx_t, bfd_jitter(bfd_sess_tx_interval(s), s->mult, rng_below(&n->rng, 65536)));
}

static void
tx_fire(struct timer *t)
{
	struct bfd_sess *s = t->arg;

	if (may_send(s))
		send_now(s);
	schedule_tx(s);
}

static void
detect_fire(struct timer *t)
{
	struct bfd_sess *s = t->arg;

	bfd_sess_hold(s);
	bfd_sess_fsm(s, BFD_EV_TIMER);
	bfd_sess_release(s);
}

/* --- the state machine (6.8.6) --------------------------------------------------------------- */

static int
act_nbr_down(void *arg)
{
	struct bfd_sess *s = arg;

	s->diag = BFD_DIAG_NBR_DOWN;
	return FSM_SAME;
}

static int
act_expired(void *arg)
{
	struct bfd_sess *s = arg;

	s->diag = BFD_DIAG_TIME_EXPIRED;
	s->your_disc = 0; /* 6.8.1: bfd.RemoteDiscr is reset when the Detection Time expires */
	return FSM_SAME;
}

static int
act_forget(void *arg)
{
	struct bfd_sess *s = arg;

	s->your_disc = 0;
	return FSM_SAME;
}

#define S(x) FSM_S(x)

const struct fsm_row bfd_fsm_table[] = {
    {S(BFD_DOWN), BFD_EV_RX_DOWN, NULL, BFD_INIT},
    {S(BFD_DOWN), BFD_EV_RX_INIT, NULL, BFD_UP},
    {S(BFD_DOWN), BFD_EV_RX_UP, NULL, FSM_SAME},
    {S(BFD_DOWN), BFD_EV_RX_ADMIN_DOWN, NULL, FSM_SAME},
    {S(BFD_INIT), BFD_EV_RX_INIT, NULL, BFD_UP},
    {S(BFD_INIT), BFD_EV_RX_UP, NULL, BFD_UP},
    {S(BFD_INIT), BFD_EV_RX_DOWN, NULL, FSM_SAME},
    {S(BFD_INIT) | S(BFD_UP), BFD_EV_RX_ADMIN_DOWN, act_nbr_down, BFD_DOWN},
    {S(BFD_UP), BFD_EV_RX_DOWN, act_nbr_down, BFD_DOWN},
    {S(BFD_UP), BFD_EV_RX_INIT, NULL, FSM_SAME},
    {S(BFD_UP), BFD_EV_RX_UP, NULL, FSM_SAME},
    {S(BFD_INIT) | S(BFD_UP), BFD_EV_TIMER, act_expired, BFD_DOWN},
    {S(BFD_DOWN), BFD_EV_TIMER, act_forget, FSM_SAME},
    {0},
};

static void
post(struct bfd_sess *s, bool up)
{
	struct node *n = s->b->node;

	ev_post(n->net, n,
	    &(struct net_ev){.kind = up ? EV_SESSION_UP : EV_SESSION_DOWN,
	        .ifindex = s->ifp ? (int)s->ifp->idx : -1,
	        .link = -1,
	        .proto = "bfd",
	        .text = (char *)ip_str(s->peer),
	        .text2 = (char *)(up ? "Up" : bfd_diag_str(s->diag))});
}

static void
notify(struct bfd_sess *s, bool up)
{
	s->notifying++;
	for (size_t i = 0; i < s->nclients; i++) {
		struct bfd_client *c = s->clients[i];

		if (c->cb != NULL)
			c->cb(c->arg, up);
	}
	s->notifying--;
}

/* The timers a state change calls for (6.8.3). */
static void
enter(struct bfd_sess *s, uint8_t old, uint8_t next)
{
	if (next == BFD_UP) {
		s->diag = BFD_DIAG_NONE;
		s->st.up++;
		/* From the slow rate to the configured one: announced with a Poll Sequence. */
		s->old_tx = s->desired_tx;
		s->old_rx = s->required_rx;
		s->desired_tx = s->cfg.min_tx;
		s->required_rx = s->cfg.min_rx;
		s->poll = s->desired_tx != s->old_tx || s->required_rx != s->old_rx;
	} else if (old == BFD_UP) {
		s->st.down++;
		s->poll = false;
		s->desired_tx = s->old_tx = max32(s->cfg.min_tx, BFD_SLOW_TX);
		s->old_rx = s->required_rx;
	}
}

void
bfd_sess_fsm(struct bfd_sess *s, enum bfd_event ev)
{
	const struct fsm_row *row = fsm_lookup(bfd_fsm_table, s->state, ev);
	uint8_t old = s->state, next;

	if (row == NULL) {
		s->st.ignored++;
		bfd_trace(s->b, "peer %s: %s ignored in %s", ip_str(s->peer), bfd_event_names[ev],
		    bfd_state_names[old]);
		return;
	}
	next = (uint8_t)fsm_next(row, old, s);
	if (next == old)
		return;
	s->state = next;
	s->since = node_now(s->b->node);
	bfd_trace(s->b, "peer %s%s%s: %s -> %s (%s)", ip_str(s->peer), s->ifp ? " on " : " multihop",
	    s->ifp ? s->ifp->name : "", bfd_state_names[old], bfd_state_names[next],
	    bfd_event_names[ev]);
	enter(s, old, next);
	/* The peer learns the new state now rather than an interval later. */
	send_now(s);
	if (next == BFD_UP) {
		post(s, true);
		notify(s, true);
	} else if (old == BFD_UP) {
		post(s, false);
		/* RFC 5882 3.2: the peer's AdminDown is not a failure of the path. */
		if (ev != BFD_EV_RX_ADMIN_DOWN)
			notify(s, false);
	}
	schedule_tx(s);
}

void
bfd_sess_input(struct bfd_sess *s, const struct bfd_pkt *p)
{
	sim_time before = bfd_sess_tx_interval(s);

	s->st.rx++;
	s->your_disc = p->my_disc;
	s->remote_state = p->state;
	s->remote_demand = (p->flags & BFD_F_DEMAND) != 0;
	s->remote_rx = p->min_rx;
	s->remote_tx = p->min_tx;
	s->remote_echo_rx = p->min_echo_rx;
	s->remote_mult = p->mult;
	s->remote_diag = p->diag;
	/* 6.5: the Final ends our Poll Sequence; the new intervals are in force. */
	if ((p->flags & BFD_F_FINAL) && s->poll) {
		s->poll = false;
		s->old_tx = s->desired_tx;
		s->old_rx = s->required_rx;
	}
	if (p->flags & BFD_F_POLL)
		s->final_due = true;
	/* 6.8.4: the Detection Time restarts with every valid packet. */
	timer_set(&s->detect_t, bfd_sess_detect_time(s));
	if (s->state == BFD_ADMIN_DOWN)
		return;
	bfd_sess_fsm(s, (enum bfd_event)(BFD_EV_RX_ADMIN_DOWN + p->state));
	if (s->final_due)
		send_now(s);
	/* The peer asks for packets sooner than the next one is due: follow at once. */
	if (bfd_sess_tx_interval(s) < before && timer_remaining(&s->tx_t) > bfd_sess_tx_interval(s))
		schedule_tx(s);
}

void
bfd_sess_start(struct bfd_sess *s)
{
	s->state = BFD_DOWN;
	s->remote_state = BFD_DOWN;
	s->diag = s->remote_diag = BFD_DIAG_NONE;
	s->mult = s->cfg.mult;
	s->passive = s->cfg.passive;
	s->desired_tx = s->old_tx = max32(s->cfg.min_tx, BFD_SLOW_TX);
	s->required_rx = s->old_rx = s->cfg.min_rx;
	s->remote_rx = 1; /* 6.8.1: the initial bfd.RemoteMinRxInterval */
	s->remote_tx = s->remote_mult = 0;
	s->your_disc = 0;
	s->poll = s->final_due = false;
	s->since = node_now(s->b->node);
	/* The first packet at once: bring-up is not held back by the slow rate. */
	if (may_send(s))
		send_now(s);
	schedule_tx(s);
}

struct bfd_sess *
bfd_sess_new(struct bfd *b, uint32_t peer, uint32_t local, struct iface *ifp)
{
	struct bfd_sess *s = xcalloc(1, sizeof(*s));

	s->b = b;
	s->peer = peer;
	s->local = local;
	s->ifp = ifp;
	s->cfg = *bfd_params_for(b, ifp);
	timer_init_new(&s->tx_t, &b->node->actor, tx_fire, s);
	timer_init_new(&s->detect_t, &b->node->actor, detect_fire, s);
	return s;
}

void
bfd_sess_free(struct bfd_sess *s)
{
	timer_cancel(&s->tx_t);
	timer_cancel(&s->detect_t);
	free(s->clients); /* the clients themselves are freed by bfd_unregister */
	free(s);
}
