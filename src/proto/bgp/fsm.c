/*
 * fsm.c: the BGP finite state machine (RFC 4271 8) and connection
 * collisions (6.8).
 *
 * RFC 4271 8 runs "an FSM for each connection" while a collision is
 * unresolved. netsim does exactly that: a peer has two connection slots, the
 * one it opened ([0]) and the one the neighbor opened ([1]), each with its
 * own state, and the table below is the machine of one connection from the
 * moment TCP is up. The peer's state is the furthest of its connections'
 * (Idle, Connect, Active while none is past the handshake), and the events
 * of the peer as a whole (ManualStart/Stop, AutomaticStart, ConnectRetry
 * and IdleHold expiring) are the functions after the table.
 *
 *  Connect    --TCP up (16/17), send OPEN--------------------> OpenSent
 *  OpenSent   --OPEN (19) good, send KEEPALIVE---------------> OpenConfirm
 *  OpenConfirm--KEEPALIVE (26)-------------------------------> Established
 *  Established--KEEPALIVE / UPDATE (26/27): restart Hold------> Established
 *  any        --Hold expires (10), NOTIFICATION (25), errors,
 *               TCP fails (18), ManualStop (2), collision (23)-> Idle
 *
 * An event a state does not expect, from OpenSent on, is an FSM error
 * (RFC 4271 6.6; subcodes from RFC 6608) that closes the connection.
 * Going Idle from Established withdraws everything learned from the peer;
 * the peer restarts by itself after the IdleHold time, which doubles each
 * time the session goes down again within 60 s of coming up (8.1.1,
 * DampPeerOscillations), from 1 s as FRR's start timer to 60 s.
 *
 * A connection is opened only while the neighbor's address is reachable
 * (next-hop tracking on it, directly connected for a single-hop eBGP
 * neighbor), and at once when it becomes reachable: an iBGP session between
 * loopbacks comes up as soon as the IGP carries them, as in FRR.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/fsm.h"
#include "../../lib/util.h"
#include "../../net/events.h"
#include "../../net/nht.h"
#include "../../net/tcp.h"
#include "../bfd/bfd.h"
#include "bgp.h"
#include "l3vpn.h"

#define IDLE_HOLD_MIN (1 * SIM_S)
#define IDLE_HOLD_MAX (60 * SIM_S)

static const char *const state_names[BGP_NSTATES] = {"Idle", "Connect", "Active", "OpenSent",
                                                     "OpenConfirm", "Established"};

const char *
bgp_state_name(uint8_t s)
{
	return s < BGP_NSTATES ? state_names[s] : "?";
}

/* Why the session (or an attempt that got as far as a NOTIFICATION) ended, and when. */
void
bgp_peer_reset_why(struct bgp_peer *p, const char *why)
{
	p->last_reset = why;
	p->reset_at = node_now(p->bgp->node);
}

static void
conn_err(struct bgp_conn *c, uint8_t code, uint8_t subcode)
{
	struct bgp_err e = {.code = code, .subcode = subcode};

	bgp_conn_drop(c, &e);
}

/* ---- actions ---- */

static void
hold_fire(struct timer *t)
{
	bgp_fsm(t->arg, BGP_EV_HOLD_EXPIRES);
}

static void
ka_fire(struct timer *t)
{
	bgp_fsm(t->arg, BGP_EV_KEEPALIVE_EXPIRES);
}

static void
restart_hold(struct bgp_conn *c)
{
	if (c->hold > 0)
		timer_set(&c->hold_t, (sim_time)c->hold * SIM_S);
}

/* TCP is up: send OPEN, wait for the peer's under the large hold time (8.2.2). */
static int
act_tcp_up(void *o)
{
	struct bgp_conn *c = o;

	timer_set(&c->hold_t, BGP_OPEN_HOLD);
	bgp_send_open(c);
	return FSM_SAME;
}

/*
 * 6.8: the OPEN on c names the peer's BGP Identifier; if the other
 * connection is in OpenSent or later, one of them goes. The connection
 * opened by the speaker with the lower Identifier is closed; against an
 * Established session the new connection always loses.
 */
static bool
collision_lost(struct bgp_conn *c)
{
	struct bgp_peer *p = c->peer;
	struct bgp_conn *other = &p->conn[c == &p->conn[0]];
	struct bgp_conn *loser;

	if (other->state < BGP_OPENSENT)
		return false;
	if (other->state == BGP_ESTABLISHED)
		loser = c;
	else
		loser = p->bgp->router_id < c->open.id ? &p->conn[0] : &p->conn[1];
	if (loser == c)
		return true;
	bgp_fsm(other, BGP_EV_COLLISION_DUMP);
	return false;
}

/* RFC 9234 4.2: the roles of the two ends of a session that go together. */
static bool
roles_match(uint8_t ours, uint8_t theirs)
{
	static const uint8_t pair[] = {
	    [BGP_ROLE_PROVIDER] = BGP_ROLE_CUSTOMER, [BGP_ROLE_RS] = BGP_ROLE_RS_CLIENT,
	    [BGP_ROLE_RS_CLIENT] = BGP_ROLE_RS, [BGP_ROLE_CUSTOMER] = BGP_ROLE_PROVIDER,
	    [BGP_ROLE_PEER] = BGP_ROLE_PEER};

	return ours < sizeof(pair) && pair[ours] == theirs;
}

/* RFC 4271 6.2 and RFC 6793 / 6286 / 9234: the checks of an OPEN received (false: e says why). */
static bool
open_ok(struct bgp_conn *c, struct bgp_err *e)
{
	const struct bgp_open *o = &c->open;
	struct bgp_peer *p = c->peer;
	uint32_t as = o->as4 ? o->as4 : o->my_as;
	uint8_t data[4];

	if (o->version != BGP_VERSION) {
		put16(data, BGP_VERSION);
		bgp_err_set(e, BGP_ERR_OPEN, BGP_OPEN_BAD_VERSION, data, 2);
	} else if (as != p->cfg->remote_as) {
		put16(data, o->my_as);
		bgp_err_set(e, BGP_ERR_OPEN, BGP_OPEN_BAD_AS, data, 2);
	} else if (p->cfg->role >= 0 && !p->cfg->dont_capability_negotiate &&
	    (o->has_role ? !roles_match((uint8_t)p->cfg->role, o->role) : p->cfg->strict_role)) {
		/* RFC 9234 4.2: roles that do not go together, or none in strict mode. */
		bgp_err_set(e, BGP_ERR_OPEN, BGP_OPEN_ROLE_MISMATCH, NULL, 0);
	} else if (o->hold == 1 || o->hold == 2) {
		bgp_err_set(e, BGP_ERR_OPEN, BGP_OPEN_BAD_HOLD, NULL, 0);
	} else if (o->id == 0 || o->id == IP_BROADCAST || ip_is_multicast(o->id) ||
	    (!p->ebgp && o->id == p->bgp->router_id)) {
		/* An Identifier is a unicast address; iBGP peers must differ from us (RFC 6286 2.1). */
		put32(data, o->id);
		bgp_err_set(e, BGP_ERR_OPEN, BGP_OPEN_BAD_ID, data, 4);
	} else {
		return true;
	}
	return false;
}

static void
arm_keepalive(struct bgp_conn *c)
{
	if (c->keepalive > 0)
		timer_set(&c->ka_t, (sim_time)c->keepalive * SIM_S);
}

static int act_error(void *);

static int
act_open(void *o)
{
	struct bgp_conn *c = o;
	struct bgp_peer *p = c->peer;
	uint16_t ka;

	if (!open_ok(c, &c->err))
		return act_error(c);
	if (collision_lost(c)) {
		conn_err(c, BGP_ERR_CEASE, BGP_CEASE_COLLISION);
		return BGP_IDLE;
	}
	/* RFC 4271 4.2: the smaller hold time; keepalives at a third of it or as configured. */
	c->hold = c->open.hold < p->cfg->hold ? c->open.hold : p->cfg->hold;
	ka = p->cfg->keepalive;
	if (ka == 0 || ka > c->hold / 3)
		ka = (uint16_t)(c->hold / 3);
	c->keepalive = c->hold > 0 ? (ka > 0 ? ka : 1) : 0;
	bgp_send_keepalive(c);
	arm_keepalive(c);
	if (c->hold > 0)
		restart_hold(c);
	else
		timer_cancel(&c->hold_t);
	return BGP_OPENCONFIRM;
}

static int
act_keepalive_timer(void *o)
{
	struct bgp_conn *c = o;

	bgp_send_keepalive(c);
	arm_keepalive(c);
	return FSM_SAME;
}

static int
act_restart_hold(void *o)
{
	restart_hold(o);
	return FSM_SAME;
}

static void session_up(struct bgp_conn *);

static int
act_established(void *o)
{
	struct bgp_conn *c = o;

	restart_hold(c);
	session_up(c);
	return BGP_ESTABLISHED;
}

static int
act_hold_expired(void *o)
{
	struct bgp_conn *c = o;

	bgp_peer_reset_why(c->peer, "BGP Notification send");
	conn_err(c, BGP_ERR_HOLD, 0);
	return BGP_IDLE;
}

static int
act_drop(void *o)
{
	bgp_conn_drop(o, NULL);
	return BGP_IDLE;
}

static int
act_collision(void *o)
{
	conn_err(o, BGP_ERR_CEASE, BGP_CEASE_COLLISION);
	return BGP_IDLE;
}

/* A header, OPEN or UPDATE error: the NOTIFICATION the decoder chose (c->err), and close. */
static int
act_error(void *o)
{
	struct bgp_conn *c = o;

	/* A maximum-prefix reset too: FRR 8.4 shows it as the NOTIFICATION sent
	 * (tests/frr/bgp-gr/r2-neighbor-maxpfx-exceeded.txt). */
	bgp_peer_reset_why(c->peer, "BGP Notification send");
	bgp_conn_drop(c, &c->err);
	return BGP_IDLE;
}

static int
act_notif(void *o)
{
	struct bgp_conn *c = o;

	bgp_peer_reset_why(c->peer, "BGP Notification received");
	bgp_conn_drop(c, NULL);
	return BGP_IDLE;
}

#define S(s) FSM_S(s)
#define UP   (S(BGP_OPENSENT) | S(BGP_OPENCONFIRM) | S(BGP_ESTABLISHED))

/* One connection's machine (RFC 4271 8.2.2), from the TCP handshake on. */
static const struct fsm_row conn_table[] = {
    {S(BGP_CONNECT), BGP_EV_TCP_CR_ACKED, act_tcp_up, BGP_OPENSENT},
    {S(BGP_ACTIVE), BGP_EV_TCP_CONFIRMED, act_tcp_up, BGP_OPENSENT},
    {S(BGP_CONNECT) | S(BGP_ACTIVE), BGP_EV_TCP_FAILS, act_drop, BGP_IDLE},
    {S(BGP_OPENSENT), BGP_EV_OPEN, act_open, FSM_COMPUTED},
    {S(BGP_OPENCONFIRM), BGP_EV_KEEPALIVE, act_established, FSM_COMPUTED},
    {S(BGP_OPENCONFIRM) | S(BGP_ESTABLISHED), BGP_EV_KEEPALIVE_EXPIRES, act_keepalive_timer,
     FSM_SAME},
    {S(BGP_ESTABLISHED), BGP_EV_KEEPALIVE, act_restart_hold, FSM_SAME},
    {S(BGP_ESTABLISHED), BGP_EV_UPDATE, act_restart_hold, FSM_SAME},
    {UP, BGP_EV_HOLD_EXPIRES, act_hold_expired, BGP_IDLE},
    {UP, BGP_EV_TCP_FAILS, act_drop, BGP_IDLE},
    {UP, BGP_EV_NOTIF, act_notif, BGP_IDLE},
    {UP, BGP_EV_NOTIF_VERSION_ERR, act_notif, BGP_IDLE},
    {UP, BGP_EV_HEADER_ERR, act_error, BGP_IDLE},
    {S(BGP_OPENSENT), BGP_EV_OPEN_ERR, act_error, BGP_IDLE},
    {S(BGP_ESTABLISHED), BGP_EV_UPDATE_ERR, act_error, BGP_IDLE},
    {S(BGP_OPENSENT) | S(BGP_OPENCONFIRM), BGP_EV_COLLISION_DUMP, act_collision, BGP_IDLE},
    {0},
};

/* RFC 6608 3: the FSM error subcode names the state that did not expect the message. */
static uint8_t
fsm_err_subcode(uint8_t state)
{
	return state == BGP_OPENSENT ? 1 : state == BGP_OPENCONFIRM ? 2 : 3;
}

static const char *const event_names[BGP_EV_MAX] = {
    [BGP_EV_MANUAL_START] = "ManualStart", [BGP_EV_MANUAL_STOP] = "ManualStop",
    [BGP_EV_AUTO_START] = "AutomaticStart",
    [BGP_EV_MANUAL_START_PASSIVE] = "ManualStart_with_PassiveTcpEstablishment",
    [BGP_EV_AUTO_START_PASSIVE] = "AutomaticStart_with_PassiveTcpEstablishment",
    [BGP_EV_CONNECT_RETRY_EXPIRES] = "ConnectRetryTimer_Expires",
    [BGP_EV_HOLD_EXPIRES] = "HoldTimer_Expires", [BGP_EV_KEEPALIVE_EXPIRES] = "KeepaliveTimer_Expires",
    [BGP_EV_IDLE_HOLD_EXPIRES] = "IdleHoldTimer_Expires", [BGP_EV_TCP_CR_ACKED] = "Tcp_CR_Acked",
    [BGP_EV_TCP_CONFIRMED] = "TcpConnectionConfirmed", [BGP_EV_TCP_FAILS] = "TcpConnectionFails",
    [BGP_EV_OPEN] = "BGPOpen", [BGP_EV_HEADER_ERR] = "BGPHeaderErr", [BGP_EV_OPEN_ERR] = "BGPOpenMsgErr",
    [BGP_EV_COLLISION_DUMP] = "OpenCollisionDump", [BGP_EV_NOTIF_VERSION_ERR] = "NotifMsgVerErr",
    [BGP_EV_NOTIF] = "NotifMsg", [BGP_EV_KEEPALIVE] = "KeepAliveMsg", [BGP_EV_UPDATE] = "UpdateMsg",
    [BGP_EV_UPDATE_ERR] = "UpdateMsgErr",
};

const char *
bgp_event_name(enum bgp_event ev)
{
	return ev > 0 && ev < BGP_EV_MAX && event_names[ev] ? event_names[ev] : "?";
}

/* ---- the peer ---- */

static void peer_update_state(struct bgp_peer *);

void
bgp_fsm(struct bgp_conn *c, enum bgp_event ev)
{
	struct bgp_peer *p = c->peer;
	const struct fsm_row *row = fsm_lookup(conn_table, c->state, ev);
	uint8_t old = c->state;

	if (row == NULL) {
		p->st.ignored_events++;
		bgp_trace(p->bgp, "%s: %s ignored in %s", ip_str(p->cfg->ip), bgp_event_name(ev),
		    bgp_state_name(c->state));
		if (c->state >= BGP_OPENSENT) { /* RFC 4271 6.6 */
			bgp_peer_reset_why(p, "BGP Notification send");
			conn_err(c, BGP_ERR_FSM, fsm_err_subcode(c->state));
			c->state = BGP_IDLE;
			peer_update_state(p);
		}
		return;
	}
	if (ev == BGP_EV_TCP_FAILS && old == BGP_ESTABLISHED)
		p->gr.tcp_failed = true; /* no NOTIFICATION: graceful restart may keep its routes */
	c->state = (uint8_t)fsm_next(row, c->state, c);
	if (c->state != old)
		bgp_trace(p->bgp, "%s: %s -> %s on %s (%s connection)", ip_str(p->cfg->ip),
		    bgp_state_name(old), bgp_state_name(c->state), bgp_event_name(ev),
		    c->outgoing ? "our" : "its");
	if (c->state == BGP_IDLE)
		c->pcb = NULL;
	peer_update_state(p);
}

static void
post_session(struct bgp_peer *p, enum ev_kind kind, const char *text2)
{
	struct node *n = p->bgp->node;

	ev_post(n->net, n, &(struct net_ev){.kind = kind, .ifindex = -1, .link = -1,
	    .proto = "bgp", .text = (char *)ip_str(p->cfg->ip), .text2 = (char *)text2});
}

/*
 * BFD declared the path down: stop the session with Cease/BFD Down (RFC
 * 9384) and start again, as FRR does ("BFD down received").
 */
static void
bfd_down(void *arg, bool up)
{
	struct bgp_peer *p = arg;

	if (up || p->est == NULL)
		return;
	bgp_peer_stop(p, BGP_CEASE_BFD_DOWN, "BFD down received");
	bgp_peer_start(p);
}

/* Single hop out of the interface when the neighbor is on a connected subnet, else multi-hop. */
static void
bfd_watch(struct bgp_peer *p)
{
	struct node *n = p->bgp->node;
	const struct nht_res *r = p->nh != NULL ? &p->nh->res : NULL;
	struct iface *ifp = NULL;

	if (!p->cfg->bfd || p->bfd != NULL)
		return;
	if (r != NULL && r->connected && r->n > 0 && r->nh[0].ifindex < n->nifs)
		ifp = n->ifs[r->nh[0].ifindex];
	p->bfd = bfd_register(n, p->cfg->ip, p->local_addr, ifp, bfd_down, p);
}

static void
bfd_unwatch(struct bgp_peer *p)
{
	bfd_unregister(p->bfd);
	p->bfd = NULL;
}

/*
 * The families both sides announced (RFC 4760 8); a speaker that sent no
 * multiprotocol capability speaks IPv4 unicast alone, as one that is told
 * none (dont_capability_negotiate) does.
 */
static uint8_t
session_families(const struct bgp_peer *p, const struct bgp_open *o)
{
	uint8_t theirs = 0;

	if (p->cfg->dont_capability_negotiate)
		return BGP_FAM_IPV4;
	for (unsigned i = 0; i < o->nafi; i++)
		if (o->afi[i].afi == BGP_AFI_IPV4)
			theirs |= o->afi[i].safi == BGP_SAFI_UNICAST ? BGP_FAM_IPV4 :
			          o->afi[i].safi == BGP_SAFI_MPLS_VPN ? BGP_FAM_VPNV4 : 0;
	if (o->nafi == 0)
		theirs = BGP_FAM_IPV4;
	return theirs & p->cfg->families;
}

static void
session_up(struct bgp_conn *c)
{
	struct bgp_peer *p = c->peer;
	struct bgp_conn *other = &p->conn[c == &p->conn[0]];
	char what[96];
	uint32_t laddr, raddr;
	uint16_t lport, rport;

	/* The other connection, if any, loses (6.8: against Established). */
	if (other->state != BGP_IDLE) {
		conn_err(other, BGP_ERR_CEASE, BGP_CEASE_COLLISION);
		other->state = BGP_IDLE;
	}
	p->est = c;
	p->remote_id = c->open.id;
	/* Capabilities count when both sides sent them (RFC 5492). */
	p->as4 = c->open.as4 != 0 && !p->cfg->dont_capability_negotiate;
	p->rr_cap = c->open.cap_rr && !p->cfg->dont_capability_negotiate;
	p->gr_cap = c->open.cap_gr && !p->cfg->dont_capability_negotiate;
	p->afs = session_families(p, &c->open);
	tcp_endpoints(c->pcb, &laddr, &lport, &raddr, &rport);
	p->local_addr = laddr;
	p->up_since = node_now(p->bgp->node);
	p->st.established++;
	p->bgp->st.sessions_established++;
	timer_cancel(&p->connect_retry_t);
	snprintf(what, sizeof(what), "Established (%s AS%u-AS%u%s%s)", p->ebgp ? "eBGP" : "iBGP",
	    p->bgp->cfg.as, p->cfg->remote_as, p->bgp->vrf ? ", vrf " : "",
	    p->bgp->vrf ? node_vrf_name(p->bgp->node, p->bgp->vrf) : "");
	post_session(p, EV_SESSION_UP, what);
	bfd_watch(p);
	bgp_gr_session_up(p);
	bgp_out_peer_up(p);
	bgp_vpn_out_peer_up(p);
	bgp_feed_peer_up(p);
}

/* The session ended (Established -> anything): forget the peer's routes (unless graceful restart keeps them). */
static void
session_down(struct bgp_peer *p)
{
	struct bgp *b = p->bgp;
	bool tcp_failed = p->gr.tcp_failed;

	p->est = NULL;
	p->gr.tcp_failed = false;
	bfd_unwatch(p);
	p->up_since = node_now(b->node);
	p->st.dropped++;
	bgp_out_peer_down(p);
	bgp_vpn_out_peer_down(p);
	bgp_vpn_flush_peer(b, p, 0);
	if (!bgp_gr_session_down(p, tcp_failed))
		bgp_peer_flush(b, p);
	bgp_filter_peer_down(p);
	post_session(p, EV_SESSION_DOWN, p->last_reset ? p->last_reset : "down");
}

static bool
reachable(const struct bgp_peer *p)
{
	const struct nht_res *r = p->nh != NULL ? &p->nh->res : NULL;

	if (r == NULL || !r->reachable)
		return false;
	/* A single-hop eBGP neighbor must be on a connected subnet (FRR's connected check). */
	return !p->ebgp || p->cfg->ebgp_multihop > 0 || p->cfg->ttl_security || r->connected;
}

/* Open our connection if the neighbor can be reached and we may (not passive). */
static void
try_connect(struct bgp_peer *p)
{
	struct bgp_conn *c = &p->conn[0];

	if (p->admin_down || p->pfx_overflow || p->cfg->passive || p->est != NULL ||
	    c->state != BGP_IDLE || !reachable(p))
		return;
	bgp_conn_open(c);
	timer_set(&p->connect_retry_t, (sim_time)p->cfg->connect_retry * SIM_S);
}

static void
peer_update_state(struct bgp_peer *p)
{
	uint8_t s = p->conn[0].state > p->conn[1].state ? p->conn[0].state : p->conn[1].state;
	bool was_up = p->est != NULL;

	if (p->admin_down || p->stopped || p->pfx_overflow)
		s = s > BGP_ACTIVE ? s : BGP_IDLE;
	else if (s == BGP_IDLE)
		s = timer_pending(&p->idle_hold_t) ? BGP_IDLE : BGP_ACTIVE;
	p->state = s;
	if (was_up && p->est->state != BGP_ESTABLISHED) {
		/* 8.1.1 DampPeerOscillations: a session that stayed up a while starts afresh. */
		if (node_now(p->bgp->node) - p->up_since >= IDLE_HOLD_MAX)
			p->idle_hold = 0;
		session_down(p);
		if (!p->admin_down && !p->stopped && !p->pfx_overflow) {
			/* Wait before starting again, twice as long each time it goes down again soon. */
			p->idle_hold = p->idle_hold == 0 ? IDLE_HOLD_MIN :
			    p->idle_hold * 2 > IDLE_HOLD_MAX ? IDLE_HOLD_MAX : p->idle_hold * 2;
			timer_set(&p->idle_hold_t, p->idle_hold);
			p->state = BGP_IDLE;
		}
	}
}

static void
connect_retry_fire(struct timer *t)
{
	struct bgp_peer *p = t->arg;
	struct bgp_conn *c = &p->conn[0];

	/* 8.2.2 Connect/Active, event 9: drop the attempt, try again. */
	if (c->state == BGP_CONNECT)
		bgp_conn_drop(c, NULL);
	try_connect(p);
	peer_update_state(p);
}

static void
idle_hold_fire(struct timer *t)
{
	struct bgp_peer *p = t->arg;

	/* Event 13 then AutomaticStart (event 3). */
	peer_update_state(p);
	try_connect(p);
	peer_update_state(p);
}

static void
nh_changed(struct node *n UNUSED, struct nht *h UNUSED, void *arg)
{
	struct bgp_peer *p = arg;

	if (p->state == BGP_ACTIVE || p->state == BGP_CONNECT)
		try_connect(p);
	peer_update_state(p);
}

void
bgp_peer_init(struct bgp_peer *p)
{
	struct actor *a = &p->bgp->node->actor;

	for (int i = 0; i < 2; i++) {
		struct bgp_conn *c = &p->conn[i];

		c->peer = p;
		timer_init_new(&c->hold_t, a, hold_fire, c);
		timer_init_new(&c->ka_t, a, ka_fire, c);
	}
	timer_init_new(&p->connect_retry_t, a, connect_retry_fire, p);
	timer_init_new(&p->idle_hold_t, a, idle_hold_fire, p);
	bgp_maxpfx_init(p);
}

/* ManualStart / AutomaticStart (events 1, 3; 4, 5 for a passive neighbor). */
void
bgp_peer_start(struct bgp_peer *p)
{
	p->stopped = false;
	bgp_maxpfx_clear(p);
	if (p->nh == NULL)
		p->nh = nht_track_vrf(p->bgp->node, p->bgp->vrf, p->cfg->ip, 0, nh_changed, p);
	try_connect(p);
	peer_update_state(p);
}

/*
 * ManualStop (event 2) with a Cease subcode (0: none sent, the node is going
 * away), or the protocol stopping.
 */
void
bgp_peer_stop(struct bgp_peer *p, uint8_t cease_subcode, const char *why)
{
	p->stopped = true;
	bgp_peer_reset_why(p, why);
	for (int i = 0; i < 2; i++) {
		struct bgp_conn *c = &p->conn[i];

		if (c->state == BGP_IDLE)
			continue;
		if (cease_subcode != 0 && c->state >= BGP_OPENSENT)
			conn_err(c, BGP_ERR_CEASE, cease_subcode);
		else
			bgp_conn_drop(c, NULL);
		c->state = BGP_IDLE;
	}
	timer_cancel(&p->connect_retry_t);
	timer_cancel(&p->idle_hold_t);
	peer_update_state(p);
	bgp_gr_peer_stop(p); /* a stopped neighbor is not waited for: its stale paths go */
}

/* A crash: every connection forgotten silently (the node's TCP is quiet: nothing is sent). */
void
bgp_peer_forget(struct bgp_peer *p)
{
	for (int i = 0; i < 2; i++) {
		if (p->conn[i].pcb != NULL)
			tcp_abort(p->conn[i].pcb);
		p->conn[i].pcb = NULL;
		timer_cancel(&p->conn[i].hold_t);
		timer_cancel(&p->conn[i].ka_t);
		free(p->conn[i].rbuf);
		p->conn[i].rbuf = NULL;
		p->conn[i].rlen = p->conn[i].rcap = 0;
		p->conn[i].state = BGP_IDLE;
	}
	timer_cancel(&p->connect_retry_t);
	timer_cancel(&p->idle_hold_t);
	p->est = NULL;
	bfd_unwatch(p);
	p->state = BGP_IDLE;
	p->idle_hold = 0;
	if (p->nh != NULL)
		nht_untrack(p->nh);
	p->nh = NULL;
}

/* `neighbor IP shutdown` (on) and `no neighbor IP shutdown` (off). */
void
bgp_peer_set_shutdown(struct bgp_peer *p, bool on)
{
	if (on == p->admin_down)
		return;
	p->admin_down = on;
	if (on) {
		bgp_peer_stop(p, BGP_CEASE_ADMIN_SHUTDOWN, "Admin. shutdown");
		p->stopped = false;
	} else {
		bgp_peer_start(p);
	}
}

/*
 * `clear bgp IP`: hard, Cease/Administrative Reset and start again; soft,
 * ask the peer for its routes again (ROUTE-REFRESH, RFC 2918, when it has
 * the capability) and/or send ours again, without a reset.
 */
void
bgp_peer_clear(struct bgp_peer *p, bool soft, bool in, bool out)
{
	if (p->admin_down)
		return;
	if (!soft) {
		bgp_peer_stop(p, BGP_CEASE_ADMIN_RESET, "User reset");
		p->idle_hold = 0;
		bgp_peer_start(p);
		return;
	}
	if (p->est == NULL)
		return;
	if (!in && !out)
		in = out = true;
	if (in && p->adjin != NULL) {
		bgp_filter_reimport(p); /* soft-reconfiguration inbound: from what it sent */
	} else if (in && p->rr_cap) {
		uint8_t m[BGP_HDR_LEN + 4];

		bgp_send_msg(p, m, bgp_route_refresh_encode(m, BGP_AFI_IPV4, BGP_SAFI_UNICAST, 0),
		    BGP_ROUTE_REFRESH);
	}
	if (out)
		bgp_out_resend(p);
}

sim_time
bgp_peer_reset_time(const struct bgp_peer *p)
{
	return p->reset_at;
}
