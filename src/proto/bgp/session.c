/*
 * session.c: a BGP connection over netsim's TCP: opening it, accepting the
 * peer's, cutting the byte stream into messages (RFC 4271 4.1), and sending
 * OPEN, KEEPALIVE and NOTIFICATION.
 *
 * Every message received is turned into an event of the connection's state
 * machine (fsm.c); UPDATEs go to adjin.c once the machine accepted them, and
 * ROUTE-REFRESH to out.c. TCP's callbacks run in the node's context, and a
 * callback may drop the connection it is called for: after bgp_conn_drop the
 * pcb is gone, so the receive loop checks before reading on.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/util.h"
#include "../../net/ip4.h"
#include "../../net/nht.h"
#include "../../net/tcp.h"
#include "bgp.h"

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

/* The session's local address: update-source, or 0 for the outgoing interface's. */
static uint32_t
update_source(const struct bgp_peer *p)
{
	const struct node *n = p->bgp->node;

	if (p->cfg->update_source != NULL)
		for (size_t i = 0; i < n->nifs; i++)
			if (strcmp(n->ifs[i]->name, p->cfg->update_source) == 0)
				return n->ifs[i]->addr;
	return p->cfg->update_source_ip;
}

/*
 * TTL and GTSM (RFC 5082 3): an eBGP session is single-hop unless
 * ebgp_multihop says how far; with ttl_security we send 255 and accept only
 * segments that crossed at most `hops` routers.
 */
static void
session_opts(const struct bgp_peer *p, struct tcp_opts *o)
{
	const struct bgp_nbr_cfg *c = p->cfg;

	memset(o, 0, sizeof(*o));
	o->src = update_source(p);
	if (c->ttl_security) {
		o->ttl = 255;
		o->min_ttl = (uint8_t)(256 - c->ttl_security_hops);
	} else if (p->ebgp) {
		o->ttl = c->ebgp_multihop ? c->ebgp_multihop : 1;
	}
	o->tos = 0xc0; /* internetwork control, as routers mark BGP */
	o->md5_key = c->password;
	o->cls = PKT_CONTROL;
	o->vrf = p->bgp->vrf; /* PE-CE sessions run in their VRF */
}

static void
conn_reset(struct bgp_conn *c)
{
	timer_cancel(&c->hold_t);
	timer_cancel(&c->ka_t);
	free(c->rbuf);
	c->rbuf = NULL;
	c->rlen = c->rcap = 0;
	c->pcb = NULL;
	c->got_open = false;
	c->hold = c->keepalive = 0;
}

void
bgp_conn_open(struct bgp_conn *c)
{
	struct bgp_peer *p = c->peer;
	struct tcp_opts o;

	session_opts(p, &o);
	conn_reset(c);
	c->outgoing = true;
	c->state = BGP_CONNECT;
	c->pcb = tcp_connect(p->bgp->node, p->cfg->ip, BGP_PORT, &o, &conn_cb, c);
	if (c->pcb == NULL) /* no route: stay without a connection until one appears */
		c->state = BGP_IDLE;
}

void
bgp_conn_drop(struct bgp_conn *c, const struct bgp_err *err)
{
	struct tcp_pcb *pcb = c->pcb;

	if (pcb == NULL)
		return;
	if (err != NULL && err->code != 0)
		bgp_send_notification(c, err);
	conn_reset(c);
	c->state = BGP_IDLE;
	/*
	 * A NOTIFICATION goes out with a FIN after it (RFC 4271 4.5: the
	 * connection is closed after sending). After a hold timer expiry or a
	 * TCP failure the path may be gone, so reset rather than retransmit a
	 * FIN for minutes.
	 */
	if (err != NULL && err->code != 0 && err->code != BGP_ERR_HOLD)
		tcp_close(pcb);
	else
		tcp_abort(pcb);
}

static bool
conn_send_class(struct bgp_conn *c, const uint8_t *m, size_t len, uint8_t cls)
{
	return c->pcb != NULL && tcp_send_class(c->pcb, m, len, cls) == 0;
}

/* Messages are work (PKT_CONTROL: not converged until acknowledged), KEEPALIVEs are not. */
static bool
conn_send(struct bgp_conn *c, const uint8_t *m, size_t len)
{
	return conn_send_class(c, m, len, PKT_CONTROL);
}

void
bgp_send_open(struct bgp_conn *c)
{
	struct bgp_peer *p = c->peer;
	struct bgp *b = p->bgp;
	uint8_t m[BGP_MAX_LEN];
	struct bgp_open o = {
	    .version = BGP_VERSION,
	    .my_as = b->cfg.as > 0xffff ? BGP_AS_TRANS : (uint16_t)b->cfg.as,
	    .hold = p->cfg->hold,
	    .id = b->router_id,
	    .as4 = b->cfg.as,
	    .cap_rr = true,
	    .cap_enhanced_rr = true,
	    .caps_present = true,
	};

	/* Multiprotocol capabilities (RFC 4760 8): the configured families. */
	for (unsigned f = BGP_FAM_IPV4; f <= BGP_FAM_VPNV4; f <<= 1)
		if (p->cfg->families & f) {
			o.afi[o.nafi].afi = BGP_AFI_IPV4;
			o.afi[o.nafi++].safi = f == BGP_FAM_IPV4 ? BGP_SAFI_UNICAST : BGP_SAFI_MPLS_VPN;
		}

	bgp_gr_open(p, &o); /* capability 64 (RFC 4724 3) */
	if (p->cfg->role >= 0) {
		o.has_role = true;
		o.role = (uint8_t)p->cfg->role;
	}
	/* FRR's dont-capability-negotiate: no capabilities, so a 2-octet AS speaker to the peer. */
	if (p->cfg->dont_capability_negotiate)
		o = (struct bgp_open){.version = BGP_VERSION, .my_as = o.my_as, .hold = o.hold, .id = o.id};
	if (conn_send(c, m, bgp_open_encode(m, &o)))
		p->st.open_out++;
}

void
bgp_send_keepalive(struct bgp_conn *c)
{
	uint8_t m[BGP_HDR_LEN];

	if (conn_send_class(c, m, bgp_keepalive_encode(m), PKT_PERIODIC))
		c->peer->st.ka_out++;
}

void
bgp_send_notification(struct bgp_conn *c, const struct bgp_err *e)
{
	uint8_t m[BGP_MAX_LEN];
	struct bgp_peer *p = c->peer;

	if (conn_send(c, m, bgp_notification_encode(m, e)))
		p->st.notif_out++;
	p->last_err = *e;
	p->last_err_sent = true;
}

/* Hand TCP as much of the peer's queue as its send buffer takes. */
static void
drain(struct bgp_peer *p)
{
	struct tcp_pcb *pcb = p->est != NULL ? p->est->pcb : NULL;
	size_t n;

	if (pcb == NULL || p->outq_len == 0)
		return;
	n = tcp_sndbuf_free(pcb);
	if (n > p->outq_len)
		n = p->outq_len;
	if (n == 0 || tcp_send(pcb, p->outq, n) < 0)
		return;
	memmove(p->outq, p->outq + n, p->outq_len - n);
	p->outq_len -= n;
}

static void
conn_sent(struct tcp_pcb *pcb UNUSED, void *arg, size_t len UNUSED)
{
	struct bgp_conn *c = arg;

	if (c->peer->est != c)
		return;
	drain(c->peer);
	if (c->peer->outq_len == 0)
		bgp_feed_room(c->peer); /* a feeder streams on */
}

/*
 * A message on the established session. What TCP has no room for waits in
 * the peer's queue, in order, and goes as acknowledgements make room: a
 * full table is never dropped for want of buffer.
 */
bool
bgp_send_msg(struct bgp_peer *p, const uint8_t *m, size_t len, uint8_t type)
{
	if (p->est == NULL)
		return false;
	if (p->outq_len > 0 || !conn_send(p->est, m, len)) {
		bgp_trace(p->bgp, "%s: %zu octets wait for TCP (%zu queued)", ip_str(p->cfg->ip), len,
		    p->outq_len);
		if (p->outq_len + len > p->outq_cap) {
			p->outq_cap = (p->outq_len + len) * 2;
			p->outq = xrealloc(p->outq, p->outq_cap);
		}
		memcpy(p->outq + p->outq_len, m, len);
		p->outq_len += len;
		drain(p);
	}
	if (type == BGP_UPDATE)
		p->st.upd_out++;
	else if (type == BGP_ROUTE_REFRESH)
		p->st.rr_out++;
	return true;
}

/* ---- receiving ---- */

static void
got_open(struct bgp_conn *c, const uint8_t *m, size_t len)
{
	struct bgp_err err = {0};

	c->peer->st.open_in++;
	if (c->got_open) { /* a second OPEN: an FSM error */
		bgp_fsm(c, BGP_EV_OPEN);
		return;
	}
	if (bgp_open_decode(m, len, &c->open, &err) < 0) {
		c->err = err;
		bgp_fsm(c, BGP_EV_OPEN_ERR);
		return;
	}
	c->got_open = true;
	bgp_fsm(c, BGP_EV_OPEN);
}

static void
got_notification(struct bgp_conn *c, const uint8_t *m, size_t len)
{
	struct bgp_peer *p = c->peer;
	struct bgp_err e = {0};

	p->st.notif_in++;
	if (bgp_notification_decode(m, len, &e) < 0)
		e = (struct bgp_err){0};
	p->last_err = e;
	p->last_err_sent = false;
	/* RFC 4271 8.2.2: a version error in OpenSent/OpenConfirm is event 24. */
	bgp_fsm(c, e.code == BGP_ERR_OPEN && e.subcode == BGP_OPEN_BAD_VERSION ?
	    BGP_EV_NOTIF_VERSION_ERR : BGP_EV_NOTIF);
}

/* Handle one whole message; false when the connection is gone. */
static bool
got_msg(struct bgp_conn *c, uint8_t type, const uint8_t *m, size_t len)
{
	struct bgp_peer *p = c->peer;
	struct tcp_pcb *pcb = c->pcb;

	switch (type) {
	case BGP_OPEN:
		got_open(c, m, len);
		break;
	case BGP_KEEPALIVE:
		p->st.ka_in++;
		bgp_fsm(c, BGP_EV_KEEPALIVE);
		break;
	case BGP_NOTIFICATION:
		got_notification(c, m, len);
		break;
	case BGP_UPDATE:
		p->st.upd_in++;
		bgp_fsm(c, BGP_EV_UPDATE);
		if (c->pcb == pcb && c->state == BGP_ESTABLISHED) {
			if (p->bgp->feed != NULL)
				bgp_feed_update_in(p, len); /* a feeder drops what it gets */
			else
				bgp_adjin_update(p, m, len);
		}
		break;
	case BGP_ROUTE_REFRESH:
		p->st.rr_in++;
		if (c->state == BGP_ESTABLISHED)
			bgp_out_refresh(p, m, len);
		else
			bgp_fsm(c, BGP_EV_UPDATE); /* before Established: no row, an FSM error (6.6) */
		break;
	}
	return c->pcb == pcb && pcb != NULL;
}

static void
conn_recv(struct tcp_pcb *pcb UNUSED, void *arg, const uint8_t *data, size_t len)
{
	struct bgp_conn *c = arg;
	size_t off = 0;

	if (len == 0) { /* the peer closed its side */
		if (c->peer->est == c) /* why a session ended, not why an attempt failed */
			bgp_peer_reset_why(c->peer, "Peer closed the session");
		bgp_fsm(c, BGP_EV_TCP_FAILS);
		return;
	}
	if (c->rlen + len > c->rcap) {
		c->rcap = c->rlen + len + BGP_MAX_LEN;
		c->rbuf = xrealloc(c->rbuf, c->rcap);
	}
	memcpy(c->rbuf + c->rlen, data, len);
	c->rlen += len;
	while (c->rlen - off >= BGP_HDR_LEN) {
		struct bgp_err err = {0};
		uint8_t type;
		int n = bgp_msg_header(c->rbuf + off, c->rlen - off, &type, &err);

		if (n < 0) {
			c->err = err;
			bgp_fsm(c, BGP_EV_HEADER_ERR);
			return;
		}
		if (n == 0 || (size_t)n > c->rlen - off)
			break;
		if (!got_msg(c, type, c->rbuf + off, (size_t)n))
			return;
		off += (size_t)n;
	}
	memmove(c->rbuf, c->rbuf + off, c->rlen - off);
	c->rlen -= off;
}

static void
conn_connected(struct tcp_pcb *pcb UNUSED, void *arg)
{
	bgp_fsm(arg, BGP_EV_TCP_CR_ACKED);
}

static void
conn_closed(struct tcp_pcb *pcb UNUSED, void *arg, enum tcp_why why)
{
	struct bgp_conn *c = arg;

	c->pcb = NULL; /* the stack frees it */
	if (c->peer->est == c)
		bgp_peer_reset_why(c->peer, why == TCP_GONE_RESET ? "Connection reset by peer" :
		    why == TCP_GONE_TIMEOUT ? "Connection timed out" : "Connection closed");
	bgp_fsm(c, BGP_EV_TCP_FAILS);
}

/* ---- the listener ---- */

struct bgp_peer *
bgp_peer_find(const struct bgp *b, uint32_t addr)
{
	size_t lo = 0, hi = b->npeers;

	while (lo < hi) { /* peers are sorted by address */
		size_t mid = (lo + hi) / 2;

		if (b->peers[mid].cfg->ip == addr)
			return &b->peers[mid];
		if (b->peers[mid].cfg->ip < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * An incoming SYN: accepted from a configured neighbor that is not shut
 * down, into its second connection slot (RFC 4271 8: the connection the
 * peer opened). Anything else is refused with a RST.
 */
bool
bgp_tcp_accept(void *larg, uint32_t laddr UNUSED, uint32_t raddr, uint16_t rport UNUSED,
    struct tcp_opts *o, const struct tcp_cb **cb, void **arg)
{
	struct bgp *b = larg;
	struct bgp_peer *p = bgp_peer_find(b, raddr);
	struct bgp_conn *c;

	if (p == NULL || p->admin_down || p->state == BGP_IDLE)
		return false;
	c = &p->conn[1];
	if (c->state != BGP_IDLE) /* one connection from the peer at a time */
		return false;
	session_opts(p, o);
	conn_reset(c);
	c->outgoing = false;
	c->state = BGP_ACTIVE; /* until the handshake completes */
	*cb = &conn_cb;
	*arg = c;
	return true;
}

void
bgp_tcp_accepted(void *larg UNUSED, struct tcp_pcb *pcb, void *arg)
{
	struct bgp_conn *c = arg;

	c->pcb = pcb;
	bgp_fsm(c, BGP_EV_TCP_CONFIRMED);
}
