/*
 * session.c: an LDP session over netsim's TCP (RFC 5036 2.5): who opens the
 * connection (2.5.2: the higher transport address is active), the session
 * state machine of 2.5.4 as a table, Initialization and KeepAlive (3.5.3,
 * 3.5.4), Notifications (3.5.1), and the PDU stream: messages are packed
 * into PDUs of at most the peer's maximum length (3.5.3), and PDUs are cut
 * out of the byte stream as they complete (3.1).
 *
 * A TCP connection belongs to a struct ldp_conn, not to the neighbor: a
 * neighbor goes when its last adjacency does, while a connection accepted
 * for it may still be in its handshake; the connection then finds itself
 * without a neighbor and is reset.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/fsm.h"
#include "../../lib/log.h"
#include "../../lib/util.h"
#include "../../net/events.h"
#include "../../net/ip4.h"
#include "../../net/pkt.h"
#include "../../net/tcp.h"
#include "ldp.h"

struct ldp_conn {
	struct ldp *l;
	struct ldp_nbr *nb;  /* NULL once its neighbor is gone */
	struct tcp_pcb *pcb; /* NULL in a passive handshake, and once the stack is done */
	bool gone;           /* the stack is done with it (closed was called) */
};

enum sess_ev {
	EV_CONNECTED = 1, /* our connection is up (active role) */
	EV_ACCEPTED,      /* the peer's is (passive role) */
	EV_INIT,          /* an acceptable Initialization */
	EV_KEEPALIVE,
	EV_OTHER,         /* any other message */
};

static const char *const state_names[] = {"NONEXISTENT", "INITIALIZED", "OPENREC", "OPENSENT",
                                          "OPERATIONAL"};

const char *
ldp_state_name(uint8_t s)
{
	return s < ARRAY_LEN(state_names) ? state_names[s] : "?";
}

/* Message kinds for counters: FRR's order in `show mpls ldp neighbor detail`. */
static const struct {
	uint16_t type;
	const char *name;
} kinds[] = {
    {0, "unknown"},
    {LDP_NOTIFICATION, "notification"}, {LDP_HELLO, "hello"}, {LDP_INIT, "initialization"},
    {LDP_KEEPALIVE, "keepalive"}, {LDP_ADDRESS, "address"},
    {LDP_ADDRESS_WITHDRAW, "addressWithdraw"}, {LDP_LABEL_MAPPING, "labelMapping"},
    {LDP_LABEL_REQUEST, "labelRequest"}, {LDP_LABEL_WITHDRAW, "labelWithdraw"},
    {LDP_LABEL_RELEASE, "labelRelease"}, {LDP_LABEL_ABORT, "labelAbortRequest"},
    {LDP_CAPABILITY, "capability"},
};

unsigned
ldp_msg_kind(uint16_t type)
{
	for (unsigned i = 1; i < ARRAY_LEN(kinds); i++)
		if (kinds[i].type == (type & ~LDP_U_BIT))
			return i;
	return 0;
}

const char *
ldp_msg_kind_name(unsigned k)
{
	return k < ARRAY_LEN(kinds) ? kinds[k].name : NULL;
}

static void ka_fire(struct timer *);

/* Once operational, a KeepAlive a third of the KeepAlive time after our last PDU. */
static void
ka_restart(struct ldp_nbr *nb)
{
	if (nb->state != LDP_OPERATIONAL || nb->ka_time == 0)
		return;
	nb->ka_t.fn = ka_fire;
	timer_set(&nb->ka_t, nb->ka_time * (sim_time)SIM_S / 3);
}

/* --- sending ---------------------------------------------------------------------------------- */

static size_t
max_pdu(const struct ldp_nbr *nb)
{
	return nb->max_pdu > 255 ? nb->max_pdu : LDP_MAX_PDU_DEF;
}

/*
 * Hand TCP as much of the queue as its send buffer takes (the rest waits for
 * `sent`). What was sent is skipped, and moved out only once it is most of
 * the queue: a full table's burst is not copied again at every segment.
 */
static void
drain(struct ldp_nbr *nb)
{
	struct tcp_pcb *pcb = nb->conn != NULL ? nb->conn->pcb : NULL;
	size_t n, left = nb->txq.len - nb->txoff;

	if (pcb == NULL || left == 0)
		return;
	n = tcp_sndbuf_free(pcb);
	if (n > left)
		n = left;
	if (n == 0 || tcp_send_class(pcb, nb->txq.s + nb->txoff, n, PKT_CONTROL) < 0)
		return;
	nb->txoff += n;
	if (nb->txoff == nb->txq.len) {
		/* Sent: a queue a burst (the whole LIB) grew is freed, not kept with the session. */
		if (nb->txq.cap > LDP_BUF_KEEP)
			sb_free(&nb->txq);
		nb->txq.len = nb->txoff = 0;
	} else if (nb->txoff > nb->txq.len / 2) {
		memmove(nb->txq.s, nb->txq.s + nb->txoff, nb->txq.len - nb->txoff);
		nb->txq.len -= nb->txoff;
		nb->txoff = 0;
	}
}

void
ldp_pdu_close(struct ldp_nbr *nb)
{
	uint8_t h[LDP_PDU_HDR_LEN];

	if (nb->pdulen > 0) {
		put16(h, LDP_VERSION);
		put16(h + 2, (uint16_t)(nb->pdulen + 6));
		put32(h + 4, nb->l->lsr_id);
		put16(h + 8, 0);
		sb_addn(&nb->txq, (const char *)h, sizeof(h));
		sb_addn(&nb->txq, (const char *)nb->pdu, nb->pdulen);
		nb->pdulen = 0;
		ka_restart(nb); /* any PDU tells the peer we are alive (3.5.4): the next KeepAlive waits */
	}
}

void
ldp_session_flush(struct ldp_nbr *nb)
{
	ldp_pdu_close(nb);
	drain(nb);
}

static void
flush_fire(struct timer *t)
{
	ldp_session_flush(t->arg);
}

/*
 * Queue a message in the PDU being built. It goes when the PDU is full, when
 * the caller flushes, or once the current event is over: the bindings one
 * SPF run changes travel together, packed in PDUs of up to the peer's size.
 */
void
ldp_send(struct ldp_nbr *nb, struct ldp_msg *m)
{
	size_t room = max_pdu(nb) - LDP_PDU_HDR_LEN, len;

	if (nb->conn == NULL)
		return;
	if (nb->pdu == NULL)
		nb->pdu = xmalloc(LDP_MAX_PDU_DEF);
	m->id = ++nb->l->msg_id;
	if (room > LDP_MAX_PDU_DEF)
		room = LDP_MAX_PDU_DEF;
	len = ldp_msg_encode(nb->pdu + nb->pdulen, room - nb->pdulen, m);
	if (len == 0) { /* no room left in this PDU: start the next one */
		ldp_session_flush(nb);
		len = ldp_msg_encode(nb->pdu, room, m);
		if (len == 0)
			bug("ldp: a %s message over %zu octets", ldp_msg_type_name(m->type), room);
	}
	nb->pdulen += len;
	nb->st.tx[ldp_msg_kind(m->type)]++;
	if (!timer_pending(&nb->flush_t)) {
		nb->flush_t.fn = flush_fire;
		timer_set(&nb->flush_t, 0);
	}
}

/*
 * A KeepAlive in a PDU of its own. A periodic one alone goes at once as
 * PKT_PERIODIC (liveness does not delay convergence); one of the session's
 * set-up joins the queue, sent with what the caller sends next (as FRR: the
 * passive side's Initialization and KeepAlive share a segment).
 */
static void
send_keepalive(struct ldp_nbr *nb, bool periodic)
{
	uint8_t b[LDP_PDU_HDR_LEN + LDP_MSG_HDR_LEN];
	struct ldp_pdu h = {.lsr_id = nb->l->lsr_id};
	struct ldp_msg m = {.type = LDP_KEEPALIVE, .id = ++nb->l->msg_id};
	size_t len;

	ldp_pdu_close(nb);
	len = ldp_pdu_encode(b, sizeof(b), &h, &m, 1);
	nb->st.tx[ldp_msg_kind(LDP_KEEPALIVE)]++;
	ka_restart(nb);
	if (!periodic || nb->txq.len > nb->txoff ||
	    tcp_send_class(nb->conn->pcb, b, len, PKT_PERIODIC) < 0)
		sb_addn(&nb->txq, (const char *)b, len);
}

static void
send_notification(struct ldp_nbr *nb, uint32_t status, uint32_t about_id, uint16_t about_type)
{
	struct ldp_msg m;

	memset(&m, 0, sizeof(m));
	m.type = LDP_NOTIFICATION;
	m.has = LDP_HAS_STATUS;
	m.status.code = status;
	m.status.msg_id = about_id;
	m.status.msg_type = about_type;
	ldp_send(nb, &m);
	ldp_session_flush(nb);
}

static void
send_init(struct ldp_nbr *nb)
{
	struct ldp_msg m;

	memset(&m, 0, sizeof(m));
	m.type = LDP_INIT;
	m.has = LDP_HAS_SESSION;
	m.init.version = LDP_VERSION;
	m.init.keepalive = nb->l->cfg.keepalive;
	m.init.max_pdu = 0; /* 3.5.3: the default, 4096 (what FRR sends) */
	m.init.recv_lsr_id = nb->lsr_id;
	ldp_send(nb, &m);
	ldp_pdu_close(nb);
}

/* --- timers ----------------------------------------------------------------------------------- */

static void
ka_fire(struct timer *t)
{
	send_keepalive(t->arg, true);
	drain(t->arg);
}

static void
ka_hold_fire(struct timer *t)
{
	struct ldp_nbr *nb = t->arg;

	ldp_session_close(nb, LDP_STATUS_E | LDP_ST_KEEPALIVE_EXPIRED, "KeepAlive timer expired");
}

static void
retry_fire(struct timer *t)
{
	ldp_session_try(t->arg);
}

static void
ka_hold_restart(struct ldp_nbr *nb)
{
	nb->ka_hold_t.fn = ka_hold_fire;
	timer_set(&nb->ka_hold_t, (nb->ka_time ? nb->ka_time : nb->l->cfg.keepalive) * (sim_time)SIM_S);
}

/* --- the state machine (RFC 5036 2.5.4) ------------------------------------------------------ */

static void
post_session(struct ldp_nbr *nb, enum ev_kind kind, const char *why)
{
	struct node *n = nb->l->node;

	if (nb->l->quiet)
		return;
	ev_post(n->net, n, &(struct net_ev){.kind = kind, .ifindex = -1, .link = -1, .proto = "ldp",
	    .text = (char *)ip_str(nb->lsr_id), .text2 = (char *)why});
}

static int
act_send_init(void *obj)
{
	struct ldp_nbr *nb = obj;

	send_init(nb);
	drain(nb);
	ka_hold_restart(nb);
	return FSM_SAME;
}

static int
act_accepted(void *obj)
{
	ka_hold_restart(obj);
	return FSM_SAME;
}

/* The passive side answers an Initialization with its own and a KeepAlive. */
static int
act_init_passive(void *obj)
{
	struct ldp_nbr *nb = obj;

	send_init(nb);
	send_keepalive(nb, false);
	return FSM_SAME;
}

static int
act_init_active(void *obj)
{
	send_keepalive(obj, false);
	return FSM_SAME;
}

static int
act_operational(void *obj)
{
	struct ldp_nbr *nb = obj;
	struct ldp *l = nb->l;

	nb->backoff = LDP_RETRY_FIRST;
	nb->attempts = 0; /* the next set-up, should this session end, is work again */
	nb->st.up++;
	l->st.sessions_up++;
	ldp_trace(l, "neighbor %s: session operational (keepalive %us)", ip_str(nb->lsr_id),
	    nb->ka_time);
	post_session(nb, EV_SESSION_UP, NULL);
	/* The state is set before the bindings go out (they check it). */
	nb->state = LDP_OPERATIONAL;
	ka_restart(nb);
	ldp_labels_session_up(nb);
	ldp_sync_update(l);
	return FSM_SAME;
}

#define S(s) FSM_S(s)

static const struct fsm_row sess_table[] = {
    {S(LDP_NONEXISTENT), EV_CONNECTED, act_send_init, LDP_OPENSENT},
    {S(LDP_NONEXISTENT), EV_ACCEPTED, act_accepted, LDP_INITIALIZED},
    {S(LDP_INITIALIZED), EV_INIT, act_init_passive, LDP_OPENREC},
    {S(LDP_OPENSENT), EV_INIT, act_init_active, LDP_OPENREC},
    {S(LDP_OPENREC), EV_KEEPALIVE, act_operational, LDP_OPERATIONAL},
    {S(LDP_OPERATIONAL), EV_KEEPALIVE, NULL, FSM_SAME},
    {S(LDP_OPERATIONAL), EV_OTHER, NULL, FSM_SAME},
    {0},
};

static const char *const ev_names[] = {"?", "connection up", "connection accepted",
                                       "Initialization", "KeepAlive", "message"};

/* Run the machine; false when the event was not expected and the session was closed. */
static bool
sess_fsm(struct ldp_nbr *nb, enum sess_ev ev)
{
	const struct fsm_row *row = fsm_lookup(sess_table, nb->state, ev);
	uint8_t old = nb->state;

	if (row == NULL) {
		/* 2.5.4: any other message or event in set-up is fatal; so is one out of place. */
		ldp_trace(nb->l, "neighbor %s: %s unexpected in %s", ip_str(nb->lsr_id), ev_names[ev],
		    ldp_state_name(old));
		ldp_session_close(nb, LDP_STATUS_E | LDP_ST_SHUTDOWN, "unexpected message");
		return false;
	}
	nb->state = (uint8_t)fsm_next(row, nb->state, nb);
	if (nb->state != old) {
		nb->since = node_now(nb->l->node);
		ldp_trace(nb->l, "neighbor %s: %s -> %s on %s", ip_str(nb->lsr_id), ldp_state_name(old),
		    ldp_state_name(nb->state), ev_names[ev]);
	}
	return true;
}

/* --- opening and closing ---------------------------------------------------------------------- */

static void conn_connected(struct tcp_pcb *, void *);
static void conn_recv(struct tcp_pcb *, void *, const uint8_t *, size_t);
static void conn_sent(struct tcp_pcb *, void *, size_t);
static void conn_closed(struct tcp_pcb *, void *, enum tcp_why);

static const struct tcp_cb conn_cb = {
	.connected = conn_connected,
	.recv = conn_recv,
	.sent = conn_sent,
	.closed = conn_closed,
};

/*
 * RFC 6720 (on unless `gtsm: false`, as FRR): our segments go with TTL 255,
 * and when the peer's Hellos say it does the same (3), only segments that
 * arrive with TTL 255 are accepted: a link session's peer must be one hop
 * away, its transport address reached over the link itself.
 */
static void
sess_opts(const struct ldp *l, const struct ldp_nbr *nb, struct tcp_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->src = l->transport;
	if (l->cfg.gtsm) {
		o->ttl = 255;
		o->min_ttl = nb->gtsm ? 255 : 0;
	}
	o->tos = 0xc0; /* internetwork control, as routers mark LDP */
	o->md5_key = l->cfg.password; /* 2.9: TCP MD5 signatures (RFC 2385) */
	/*
	 * The first attempt is work the network converges after; a retry (a
	 * session that failed: a peer refusing it, GTSM, a wrong password) is not,
	 * or such a network would never converge. The bytes of an established
	 * session are work either way (drain sends them as PKT_CONTROL).
	 */
	o->cls = nb->attempts > 1 ? PKT_PERIODIC : PKT_CONTROL;
}

static struct ldp_conn *
conn_new(struct ldp *l, struct ldp_nbr *nb)
{
	struct ldp_conn *c = xcalloc(1, sizeof(*c));

	c->l = l;
	c->nb = nb;
	VEC_PUSH(l->conns, l->nconn, l->conncap, c);
	return c;
}

static void
conn_free(struct ldp_conn *c)
{
	struct ldp *l = c->l;
	size_t k = 0;

	for (size_t i = 0; i < l->nconn; i++)
		if (l->conns[i] != c)
			l->conns[k++] = l->conns[i];
	l->nconn = k;
	free(c);
}

void
ldp_conns_free(struct ldp *l)
{
	while (l->nconn > 0)
		conn_free(l->conns[l->nconn - 1]);
	free(l->conns);
	l->conns = NULL;
	l->conncap = 0;
}

void
ldp_session_try(struct ldp_nbr *nb)
{
	struct ldp *l = nb->l;
	struct tcp_opts o;
	struct ldp_conn *c;
	struct iface *oif;
	uint32_t gw;

	if (nb->state != LDP_NONEXISTENT || nb->conn != NULL || timer_pending(&nb->retry_t))
		return;
	/* 2.5.2: the LSR with the higher transport address opens the connection. */
	nb->active = l->transport > nb->transport;
	if (!nb->active)
		return;
	/* No route to the peer's transport address yet (the IGP is converging): a RIB change calls again. */
	if (!ip4_route(l->node, l->transport, nb->transport, &oif, &gw))
		return;
	nb->attempts++;
	sess_opts(l, nb, &o);
	c = conn_new(l, nb);
	nb->conn = c;
	c->pcb = tcp_connect(l->node, nb->transport, LDP_PORT, &o, &conn_cb, c);
	if (c->pcb == NULL) {
		nb->conn = NULL;
		conn_free(c);
		nb->retry_t.fn = retry_fire;
		timer_set(&nb->retry_t, nb->backoff);
		return;
	}
	ldp_trace(l, "neighbor %s: connecting to %s", ip_str(nb->lsr_id), ip_str(nb->transport));
}

/*
 * The session is over: Notification status first unless 0, then the
 * connection goes (closed after the Notification; reset when no status is
 * sent), and the peer's labels with it. The active side tries again after
 * a backoff while adjacencies remain (2.5.3).
 */
void
ldp_session_close(struct ldp_nbr *nb, uint32_t status, const char *why)
{
	struct ldp *l = nb->l;
	struct ldp_conn *c = nb->conn;
	bool was_up = nb->state == LDP_OPERATIONAL;

	if (c == NULL && nb->state == LDP_NONEXISTENT && why == NULL)
		return;
	if (c != NULL && c->pcb != NULL && status != 0)
		send_notification(nb, status, 0, 0);
	timer_cancel(&nb->ka_t);
	timer_cancel(&nb->ka_hold_t);
	timer_cancel(&nb->flush_t);
	if (c != NULL) {
		nb->conn = NULL;
		if (c->pcb != NULL) {
			if (status != 0)
				tcp_close(c->pcb);
			else
				tcp_abort(c->pcb);
			conn_free(c);
		} else if (c->gone) {
			conn_free(c);
		} else {
			c->nb = NULL; /* in its handshake: the stack still calls it back, and it goes then */
		}
	}
	nb->rlen = 0;
	nb->pdulen = 0;
	sb_reset(&nb->txq);
	nb->txoff = 0;
	nb->state = LDP_NONEXISTENT;
	nb->since = node_now(l->node);
	nb->ka_time = 0;
	if (why != NULL)
		nb->last_down = why;
	if (was_up) {
		nb->st.down++;
		l->st.sessions_down++;
		post_session(nb, EV_SESSION_DOWN, why);
		ldp_labels_session_down(nb);
		ldp_sync_update(l);
	}
	ldp_trace(l, "neighbor %s: session closed (%s)", ip_str(nb->lsr_id), why ? why : "stopped");
	if (nb->nadj == 0 || !nb->active || why == NULL)
		return;
	/*
	 * An operational session that ended (a Notification, a clear, the peer
	 * restarting) is set up again at once, as work the network converges
	 * after; one that failed to come up waits a backoff (2.5.3).
	 */
	if (was_up) {
		timer_cancel(&nb->retry_t);
		ldp_session_try(nb);
	} else if (!timer_pending(&nb->retry_t)) {
		nb->retry_t.fn = retry_fire;
		timer_set(&nb->retry_t, nb->backoff);
		nb->backoff = nb->backoff * 2 > LDP_RETRY_MAX ? LDP_RETRY_MAX : nb->backoff * 2;
	}
}

bool
ldp_session_endpoints(const struct ldp_nbr *nb, uint32_t *la, uint16_t *lp, uint32_t *ra,
    uint16_t *rp)
{
	if (nb->conn == NULL || nb->conn->pcb == NULL)
		return false;
	tcp_endpoints(nb->conn->pcb, la, lp, ra, rp);
	return true;
}

void
ldp_session_clear(struct ldp_nbr *nb)
{
	ldp_session_close(nb, LDP_STATUS_E | LDP_ST_SHUTDOWN, "cleared");
	timer_cancel(&nb->retry_t);
	nb->backoff = LDP_RETRY_FIRST;
	ldp_session_try(nb); /* if we are the active side; the peer is, otherwise */
}

/* --- the passive side ------------------------------------------------------------------------- */

/* A connection from a peer we have an adjacency with, for which we are passive (2.5.2). */
static bool
sess_accept(void *larg, uint32_t laddr, uint32_t raddr, uint16_t rport, struct tcp_opts *o,
    const struct tcp_cb **cb, void **arg)
{
	struct ldp *l = larg;
	struct ldp_nbr *nb = NULL;

	(void)rport;
	for (size_t i = 0; i < l->nnbr && nb == NULL; i++)
		if (l->nbrs[i]->transport == raddr && l->nbrs[i]->nadj > 0)
			nb = l->nbrs[i];
	if (nb == NULL || laddr != l->transport || l->transport > raddr || nb->conn != NULL ||
	    nb->state != LDP_NONEXISTENT) {
		ldp_trace(l, "connection from %s refused", ip_str(raddr));
		return false;
	}
	nb->active = false;
	nb->attempts++;
	sess_opts(l, nb, o);
	*cb = &conn_cb;
	nb->conn = conn_new(l, nb);
	*arg = nb->conn;
	return true;
}

static void
sess_accepted(void *larg, struct tcp_pcb *pcb, void *arg)
{
	struct ldp_conn *c = arg;

	(void)larg;
	c->pcb = pcb;
	if (c->nb == NULL) { /* its neighbor went during the handshake */
		tcp_abort(pcb);
		conn_free(c);
		return;
	}
	sess_fsm(c->nb, EV_ACCEPTED);
}

int
ldp_session_listen(struct ldp *l)
{
	if (l->listener == NULL)
		l->listener = tcp_listen(l->node, 0, LDP_PORT, sess_accept, sess_accepted, l);
	return l->listener != NULL ? 0 : -1;
}

/* --- receiving -------------------------------------------------------------------------------- */

/* An Initialization (3.5.3): is it for us, and can we live with its parameters? */
static uint32_t
init_check(struct ldp_nbr *nb, const struct ldp_msg *m)
{
	const struct ldp_init *in = &m->init;

	if (in->recv_lsr_id != nb->l->lsr_id || in->recv_space != 0)
		return LDP_ST_SESS_REJ_NO_HELLO;
	if (in->version != LDP_VERSION)
		return LDP_ST_BAD_VERSION;
	if (in->keepalive == 0)
		return LDP_ST_SESS_REJ_KEEPALIVE;
	if (in->max_pdu > 255 && in->max_pdu < LDP_MSG_HDR_LEN + LDP_PDU_HDR_LEN)
		return LDP_ST_SESS_REJ_MAX_PDU;
	nb->ka_time = in->keepalive < nb->l->cfg.keepalive ? in->keepalive : nb->l->cfg.keepalive;
	nb->max_pdu = in->max_pdu;
	return 0;
}

/* One message; false when the session was closed (the caller stops reading). */
static bool
msg_input(struct ldp_nbr *nb, const struct ldp_msg *m)
{
	uint16_t type = m->type & ~LDP_U_BIT;
	uint32_t st;

	nb->st.rx[ldp_msg_kind(type)]++;
	switch (type) {
	case LDP_INIT:
		if ((st = init_check(nb, m)) != 0) {
			ldp_trace(nb->l, "neighbor %s: Initialization refused: %s", ip_str(nb->lsr_id),
			    ldp_status_name(st));
			ldp_session_close(nb, LDP_STATUS_E | st, "session parameters refused");
			return false;
		}
		return sess_fsm(nb, EV_INIT);
	case LDP_KEEPALIVE:
		return sess_fsm(nb, EV_KEEPALIVE);
	case LDP_NOTIFICATION:
		ldp_trace(nb->l, "neighbor %s: Notification %s%s", ip_str(nb->lsr_id),
		    ldp_status_name(m->status.code) ? ldp_status_name(m->status.code) : "?",
		    m->status.code & LDP_STATUS_E ? " (fatal)" : "");
		if (m->status.code & LDP_STATUS_E) {
			/* 3.5.1.1: the session ends; nothing is sent back. */
			ldp_session_close(nb, 0, "Notification received");
			return false;
		}
		return true;
	case LDP_ADDRESS:
	case LDP_ADDRESS_WITHDRAW:
	case LDP_LABEL_MAPPING:
	case LDP_LABEL_REQUEST:
	case LDP_LABEL_WITHDRAW:
	case LDP_LABEL_RELEASE:
	case LDP_LABEL_ABORT:
		if (!sess_fsm(nb, EV_OTHER))
			return false;
		ldp_labels_input(nb, m);
		return true;
	default:
		/* 3.5.1.2.1: an unknown message with the U bit is ignored; without it, reported. */
		if (!(m->type & LDP_U_BIT))
			send_notification(nb, LDP_ST_UNKNOWN_MSG, m->id, m->type);
		return true;
	}
}

/* One whole PDU; false when the session was closed. */
static bool
pdu_input(struct ldp_nbr *nb, const uint8_t *p, size_t len)
{
	struct ldp_pdu h;
	struct ldp_err err;
	size_t off = LDP_PDU_HDR_LEN;

	ldp_pdu_header(p, len, &h, &err);
	if (h.lsr_id != nb->lsr_id || h.space != 0) {
		ldp_session_close(nb, LDP_STATUS_E | LDP_ST_BAD_LDP_ID, "bad LDP identifier");
		return false;
	}
	ka_hold_restart(nb);
	while (off < len) {
		struct ldp_msg m;
		int n = ldp_msg_decode(p + off, len - off, off, &m, &err);

		if (n < 0) {
			struct strbuf sb = STRBUF_INIT;

			ldp_err_str(&err, &sb);
			ldp_trace(nb->l, "neighbor %s: bad message: %s", ip_str(nb->lsr_id), sb_str(&sb));
			sb_free(&sb);
			nb->l->st.pdu_bad++;
			ldp_session_close(nb, LDP_STATUS_E | (err.status & LDP_STATUS_CODE),
			    "malformed message");
			return false;
		}
		if (!msg_input(nb, &m))
			return false;
		off += (size_t)n;
	}
	return true;
}

static void
conn_connected(struct tcp_pcb *pcb, void *arg)
{
	struct ldp_conn *c = arg;

	(void)pcb;
	if (c->nb != NULL)
		sess_fsm(c->nb, EV_CONNECTED);
}

static void
conn_recv(struct tcp_pcb *pcb, void *arg, const uint8_t *data, size_t len)
{
	struct ldp_conn *c = arg;
	struct ldp_nbr *nb = c->nb;
	size_t off = 0;

	if (nb == NULL) {
		tcp_abort(pcb);
		conn_free(c);
		return;
	}
	if (len == 0) { /* the peer closed its side */
		ldp_session_close(nb, 0, "connection closed by the peer");
		return;
	}
	grow_array((void **)&nb->rbuf, &nb->rcap, nb->rlen + len, 1);
	memcpy(nb->rbuf + nb->rlen, data, len);
	nb->rlen += len;
	while (nb->conn == c) {
		struct ldp_pdu h;
		struct ldp_err err;
		int n = ldp_pdu_header(nb->rbuf + off, nb->rlen - off, &h, &err);

		if (n == 0)
			break;
		if (n < 0) {
			nb->l->st.pdu_bad++;
			ldp_session_close(nb, LDP_STATUS_E | (err.status & LDP_STATUS_CODE), "bad PDU");
			return;
		}
		if (!pdu_input(nb, nb->rbuf + off, (size_t)n))
			return;
		off += (size_t)n;
	}
	if (nb->conn == c) {
		memmove(nb->rbuf, nb->rbuf + off, nb->rlen - off);
		nb->rlen -= off;
		if (nb->rlen == 0 && nb->rcap > LDP_BUF_KEEP) {
			free(nb->rbuf);
			nb->rbuf = NULL;
			nb->rcap = 0;
		}
		/* What the segment's PDUs made us queue goes together; a PDU being built, at the event's end. */
		drain(nb);
	}
}

static void
conn_sent(struct tcp_pcb *pcb, void *arg, size_t len)
{
	struct ldp_conn *c = arg;

	(void)pcb;
	(void)len;
	if (c->nb != NULL)
		drain(c->nb);
}

static void
conn_closed(struct tcp_pcb *pcb, void *arg, enum tcp_why why)
{
	static const char *const whys[] = {"connection closed", "connection reset",
	                                   "connection timed out", "connection aborted"};
	struct ldp_conn *c = arg;
	struct ldp_nbr *nb = c->nb;

	(void)pcb;
	c->pcb = NULL;
	c->gone = true;
	if (nb == NULL) {
		conn_free(c);
		return;
	}
	ldp_session_close(nb, 0, whys[why]);
}
