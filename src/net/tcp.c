/*
 * tcp.c: TCP connections of a node (tcp.h): the API, the lookup of a
 * segment's connection, and what a segment does on arrival (RFC 9293
 * 3.10.7, with RFC 5961's challenge ACKs for in-window RST and SYN).
 *
 * A node's connections and listeners are a short array on its IP state
 * (control protocols open a handful per peer), searched in order: exact
 * 4-tuple first, then a listener on the port. Callbacks into the application
 * run from segment arrival and timers only, never from the API functions;
 * an application may close or abort the connection inside a callback, so
 * the pcb is reference-counted while a callback runs and freed afterwards.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"
#include "../lib/util.h"
#include "ip4.h"
#include "tcp_int.h"

struct tcp_stack *
tcp_stack(struct node *n)
{
	struct tcp_stack *st;

	if (n->ip == NULL)
		return NULL;
	if (n->ip->tcp != NULL)
		return n->ip->tcp;
	st = xcalloc(1, sizeof(*st));
	st->node = n;
	st->next_port = TCP_EPHEMERAL_LO;
	n->ip->tcp = st;
	return st;
}

static struct tcp_pcb *
pcb_new(struct tcp_stack *st)
{
	struct tcp_pcb *pcb = xcalloc(1, sizeof(*pcb));

	pcb->st = st;
	pcb->node = st->node;
	pcb->rto = TCP_RTO_INIT;
	pcb->mss = TCP_DEFAULT_MSS;
	tcp_timers_init(pcb);
	if (st->n == st->cap) {
		st->cap = st->cap ? 2 * st->cap : 8;
		st->pcbs = xrealloc(st->pcbs, st->cap * sizeof(*st->pcbs));
	}
	st->pcbs[st->n++] = pcb;
	return pcb;
}

static void
set_opts(struct tcp_pcb *pcb, const struct tcp_opts *o)
{
	pcb->o = *o;
	pcb->o.md5_key = o->md5_key ? xstrdup(o->md5_key) : NULL;
	if (pcb->o.sndbuf == 0)
		pcb->o.sndbuf = TCP_SNDBUF;
	if (pcb->o.rcvbuf == 0 || pcb->o.rcvbuf > TCP_RCVBUF)
		pcb->o.rcvbuf = TCP_RCVBUF; /* no window scaling */
	pcb->data_cls = pcb->o.cls;
}

void
tcp_pcb_unlink(struct tcp_pcb *pcb)
{
	struct tcp_stack *st = pcb->st;

	for (size_t i = 0; i < st->n; i++)
		if (st->pcbs[i] == pcb) {
			memmove(&st->pcbs[i], &st->pcbs[i + 1], (st->n - i - 1) * sizeof(*st->pcbs));
			st->n--;
			break;
		}
	/* Connections still in their handshake forget a listener that goes. */
	for (size_t i = 0; i < st->n; i++)
		if (st->pcbs[i]->listener == pcb)
			st->pcbs[i]->listener = NULL;
}

static void
pcb_destroy(struct tcp_pcb *pcb)
{
	struct tcp_ooo *q, *next;

	for (q = pcb->ooo; q; q = next) {
		next = q->next;
		free(q);
	}
	free(pcb->sbuf);
	free((char *)pcb->o.md5_key);
	free(pcb);
}

/* Out of the stack (freed when the last hold on it goes). */
static void
pcb_kill(struct tcp_pcb *pcb)
{
	if (pcb->dead)
		return;
	pcb->dead = true;
	pcb->state = TCP_CLOSED;
	tcp_timers_cancel(pcb);
	tcp_pcb_unlink(pcb);
}

/* Out of the stack now; freed now, or when the callback running on it returns. */
static void
pcb_release(struct tcp_pcb *pcb)
{
	if (pcb->dead)
		return;
	pcb_kill(pcb);
	if (pcb->ref == 0)
		pcb_destroy(pcb);
}

static void
hold(struct tcp_pcb *pcb)
{
	pcb->ref++;
}

/* Drop a hold; true when the pcb is gone (the caller must not touch it). */
static bool
unhold(struct tcp_pcb *pcb)
{
	bool dead = pcb->dead;

	if (--pcb->ref == 0 && dead)
		pcb_destroy(pcb);
	return dead;
}

void
tcp_gone(struct tcp_pcb *pcb, enum tcp_why why)
{
	bool tell = pcb->told && !pcb->app_gone && pcb->cb && pcb->cb->closed;

	pcb->state = TCP_CLOSED;
	tcp_timers_cancel(pcb);
	pcb->app_gone = true;
	hold(pcb);
	if (tell)
		pcb->cb->closed(pcb, pcb->arg, why);
	pcb_kill(pcb);
	unhold(pcb);
}

uint32_t
tcp_rcv_wnd(const struct tcp_pcb *pcb)
{
	return pcb->unconsumed >= pcb->o.rcvbuf ? 0 : pcb->o.rcvbuf - pcb->unconsumed;
}

/* ------------------------------------------------------------------------ */
/* The API */

static bool
port_used(const struct tcp_stack *st, uint16_t port)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->pcbs[i]->lport == port)
			return true;
	return false;
}

struct tcp_pcb *
tcp_listen(struct node *n, uint32_t addr, uint16_t port, tcp_accept_fn accept,
    tcp_accepted_fn accepted, void *larg)
{
	struct tcp_stack *st = tcp_stack(n);
	struct tcp_pcb *pcb;

	if (st == NULL || port == 0)
		return NULL;
	for (size_t i = 0; i < st->n; i++) {
		const struct tcp_pcb *l = st->pcbs[i];

		if (l->state == TCP_LISTEN && l->lport == port &&
		    (l->laddr == 0 || addr == 0 || l->laddr == addr))
			return NULL;
	}
	pcb = pcb_new(st);
	set_opts(pcb, &(struct tcp_opts){0});
	pcb->state = TCP_LISTEN;
	pcb->laddr = addr;
	pcb->lport = port;
	pcb->accept = accept;
	pcb->accepted = accepted;
	pcb->larg = larg;
	return pcb;
}

static uint16_t
ephemeral(struct tcp_stack *st)
{
	for (int tries = 0; tries < 65536 - TCP_EPHEMERAL_LO; tries++) {
		uint16_t p = st->next_port;

		st->next_port = p == 65535 ? TCP_EPHEMERAL_LO : (uint16_t)(p + 1);
		if (!port_used(st, p))
			return p;
	}
	return 0;
}

static struct tcp_pcb *
find(const struct tcp_stack *st, uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport)
{
	for (size_t i = 0; i < st->n; i++) {
		struct tcp_pcb *pcb = st->pcbs[i];

		if (pcb->state != TCP_LISTEN && pcb->lport == lport && pcb->rport == rport &&
		    pcb->raddr == raddr && pcb->laddr == laddr)
			return pcb;
	}
	return NULL;
}

static void
start_timing(struct tcp_pcb *pcb)
{
	pcb->rtt_timing = true;
	pcb->rtt_seq = pcb->iss;
	pcb->rtt_start = node_now(pcb->node);
}

static void
init_seq(struct tcp_pcb *pcb)
{
	/* ISNs from the node's generator: deterministic per run and seed. */
	pcb->iss = (uint32_t)rng_below(&pcb->node->rng, (uint64_t)1 << 32);
	pcb->snd_una = pcb->snd_nxt = pcb->snd_max = pcb->iss;
	pcb->sbuf_seq = pcb->iss + 1;
	start_timing(pcb);
}

struct tcp_pcb *
tcp_connect(struct node *n, uint32_t dst, uint16_t dport, const struct tcp_opts *o,
    const struct tcp_cb *cb, void *arg)
{
	struct tcp_stack *st = tcp_stack(n);
	struct tcp_opts none = {0};
	struct tcp_pcb *pcb;
	uint16_t sport;

	if (o == NULL)
		o = &none;
	if (st == NULL || dport == 0)
		return NULL;
	sport = o->sport ? o->sport : ephemeral(st);
	if (sport == 0)
		return NULL;
	if (o->sport && find(st, o->src ? o->src : ip4_route_source(n, dst), sport, dst, dport))
		return NULL;
	pcb = pcb_new(st);
	set_opts(pcb, o);
	pcb->cb = cb;
	pcb->arg = arg;
	pcb->told = true;
	pcb->raddr = dst;
	pcb->rport = dport;
	pcb->laddr = o->src ? o->src : ip4_route_source(n, dst);
	pcb->lport = sport;
	pcb->state = TCP_SYN_SENT;
	init_seq(pcb);
	tcp_send_syn(pcb);
	return pcb;
}

int
tcp_send_class(struct tcp_pcb *pcb, const void *data, size_t len, uint8_t cls)
{
	switch (pcb->state) {
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		break;
	default:
		return -1;
	}
	if (pcb->app_gone || pcb->fin_queued || len > pcb->o.sndbuf - pcb->sbuf_len)
		return -1;
	if (len == 0)
		return 0;
	if (pcb->sbuf_len + len > pcb->sbuf_cap) {
		pcb->sbuf_cap = pcb->o.sndbuf;
		pcb->sbuf = xrealloc(pcb->sbuf, pcb->sbuf_cap);
	}
	memcpy(pcb->sbuf + pcb->sbuf_len, data, len);
	pcb->sbuf_len += (uint32_t)len;
	if (cls == PKT_CONTROL) {
		pcb->has_ctrl = true;
		pcb->ctrl_end = pcb->sbuf_seq + pcb->sbuf_len;
	} else {
		pcb->data_cls = cls;
	}
	tcp_output(pcb);
	return 0;
}

int
tcp_send(struct tcp_pcb *pcb, const void *data, size_t len)
{
	return tcp_send_class(pcb, data, len, pcb->o.cls);
}

size_t
tcp_sndbuf_free(const struct tcp_pcb *pcb)
{
	return pcb->o.sndbuf - pcb->sbuf_len;
}

void
tcp_set_manual_recved(struct tcp_pcb *pcb, bool on)
{
	pcb->manual = on;
}

static bool
synchronized(enum tcp_state s)
{
	return s != TCP_CLOSED && s != TCP_LISTEN && s != TCP_SYN_SENT;
}

void
tcp_recved(struct tcp_pcb *pcb, size_t len)
{
	uint32_t was = tcp_rcv_wnd(pcb), now;

	pcb->unconsumed -= len > pcb->unconsumed ? pcb->unconsumed : (uint32_t)len;
	now = tcp_rcv_wnd(pcb);
	/* RFC 9293 3.8.6.2.2: announce a window that opened by an MSS or half the buffer. */
	if (synchronized(pcb->state) && pcb->state != TCP_TIME_WAIT &&
	    (was == 0 || pcb->rcv_nxt + now - pcb->rcv_adv >=
	    (pcb->mss < pcb->o.rcvbuf / 2 ? pcb->mss : pcb->o.rcvbuf / 2)) && now > was)
		tcp_send_ack(pcb);
}

void
tcp_close(struct tcp_pcb *pcb)
{
	if (pcb->dead)
		return;
	pcb->app_gone = true;
	pcb->manual = false;
	pcb->unconsumed = 0;
	switch (pcb->state) {
	case TCP_ESTABLISHED:
		pcb->state = TCP_FIN_WAIT_1;
		break;
	case TCP_CLOSE_WAIT:
		pcb->state = TCP_LAST_ACK;
		break;
	case TCP_SYN_RECEIVED:
		tcp_abort(pcb);
		return;
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
		return;
	default: /* CLOSED, LISTEN, SYN-SENT: nothing was said yet */
		pcb_release(pcb);
		return;
	}
	pcb->fin_queued = true;
	tcp_output(pcb);
}

void
tcp_abort(struct tcp_pcb *pcb)
{
	if (pcb->dead)
		return;
	pcb->app_gone = true;
	if (synchronized(pcb->state) && pcb->state != TCP_TIME_WAIT)
		tcp_send_rst(pcb); /* RFC 9293 3.10.5 */
	pcb_release(pcb);
}

enum tcp_state
tcp_state_of(const struct tcp_pcb *pcb)
{
	return pcb->state;
}

void
tcp_endpoints(const struct tcp_pcb *pcb, uint32_t *laddr, uint16_t *lport, uint32_t *raddr,
    uint16_t *rport)
{
	*laddr = pcb->laddr;
	*lport = pcb->lport;
	*raddr = pcb->raddr;
	*rport = pcb->rport;
}

const char *
tcp_state_name(enum tcp_state s)
{
	static const char *const names[] = {"CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED",
	    "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK",
	    "TIME-WAIT"};

	return (unsigned)s < ARRAY_LEN(names) ? names[s] : "?";
}

/* ------------------------------------------------------------------------ */
/* Segment arrival */

/* GTSM (RFC 5082) and the MD5 signature (RFC 2385 2.0): false drops the segment. */
static bool
admit(struct tcp_stack *st, const struct tcp_opts *o, const uint8_t *t, size_t len,
    const struct ip4_hdr *h, const struct tcp_seg_in *s)
{
	if (o->min_ttl && h->ttl < o->min_ttl) {
		st->st.ttl_drops++;
		return false;
	}
	if (o->md5_key ? s->md5 == NULL || !tcp_md5_ok(t, len, h->src, h->dst, o->md5_key, s->md5)
		       : s->md5 != NULL) {
		st->st.md5_drops++;
		return false;
	}
	return true;
}

/* A SYN for a listener (or a built-in service: l NULL). */
static void
listen_input(struct tcp_stack *st, struct tcp_pcb *l, const uint8_t *t, size_t len,
    const struct ip4_hdr *h, uint16_t sport, uint16_t dport, const struct tcp_seg_in *s)
{
	struct tcp_opts o = {0};
	const struct tcp_cb *cb = NULL;
	void *arg = NULL;
	struct tcp_pcb *pcb;
	bool ok;

	if (s->flags & TH_RST)
		return;
	if (s->flags & TH_ACK || !(s->flags & TH_SYN)) {
		if (s->md5 == NULL && (s->flags & TH_ACK))
			tcp_send_reset_for(st->node, h->src, h->dst, sport, dport, s);
		return;
	}
	if (l != NULL)
		ok = l->accept == NULL || l->accept(l->larg, h->dst, h->src, sport, &o, &cb, &arg);
	else
		ok = tcp_service_accept(st, dport, &o, &cb, &arg);
	if (!ok) {
		/* Refused: the peer sees "connection refused". */
		if (s->md5 == NULL)
			tcp_send_reset_for(st->node, h->src, h->dst, sport, dport, s);
		return;
	}
	if (!admit(st, &o, t, len, h, s))
		return;
	pcb = pcb_new(st);
	set_opts(pcb, &o);
	pcb->cb = cb;
	pcb->arg = arg;
	pcb->listener = l;
	if (l == NULL)
		pcb->free_arg = tcp_service_free;
	if (l != NULL) {
		pcb->accepted = l->accepted;
		pcb->larg = l->larg;
	}
	pcb->laddr = h->dst;
	pcb->lport = dport;
	pcb->raddr = h->src;
	pcb->rport = sport;
	pcb->state = TCP_SYN_RECEIVED;
	pcb->irs = s->seq;
	pcb->rcv_nxt = s->seq + 1;
	pcb->rcv_adv = pcb->rcv_nxt;
	init_seq(pcb);
	pcb->snd_wnd = s->wnd;
	pcb->snd_wl1 = s->seq;
	tcp_set_mss(pcb, s->mss);
	tcp_send_syn(pcb);
}

static void
syn_sent_input(struct tcp_pcb *pcb, const struct tcp_seg_in *s, const struct ip4_hdr *h)
{
	if (s->flags & TH_ACK && (SEQ_LEQ(s->ack, pcb->iss) || SEQ_GT(s->ack, pcb->snd_max))) {
		if (s->md5 == NULL)
			tcp_send_reset_for(pcb->node, h->src, h->dst, pcb->rport, pcb->lport, s);
		return;
	}
	if (s->flags & TH_RST) {
		if (s->flags & TH_ACK) {
			pcb->st->st.rst_in++;
			tcp_gone(pcb, TCP_GONE_RESET); /* connection refused */
		}
		return;
	}
	if (!(s->flags & TH_SYN))
		return;
	pcb->irs = s->seq;
	pcb->rcv_nxt = s->seq + 1;
	pcb->rcv_adv = pcb->rcv_nxt;
	tcp_set_mss(pcb, s->mss);
	pcb->snd_wnd = s->wnd;
	pcb->snd_wl1 = s->seq;
	pcb->snd_wl2 = s->ack;
	if (!(s->flags & TH_ACK)) {
		/* Simultaneous open (3.5, figure 8). */
		pcb->state = TCP_SYN_RECEIVED;
		timer_cancel(&pcb->rtx_t);
		tcp_send_syn(pcb);
		return;
	}
	pcb->snd_una = s->ack;
	pcb->state = TCP_ESTABLISHED;
	tcp_acked(pcb, s->ack, 0);
	tcp_send_ack(pcb);
	hold(pcb);
	if (pcb->cb && pcb->cb->connected)
		pcb->cb->connected(pcb, pcb->arg);
	if (!unhold(pcb))
		tcp_output(pcb);
}

/* Hand in-order bytes to the application; false when the pcb went away in it. */
static bool
deliver(struct tcp_pcb *pcb, const uint8_t *data, uint32_t len)
{
	pcb->bytes_rcvd += len;
	if (pcb->app_gone || pcb->cb == NULL || pcb->cb->recv == NULL)
		return true;
	if (pcb->manual)
		pcb->unconsumed += len;
	hold(pcb);
	pcb->cb->recv(pcb, pcb->arg, data, len);
	return !unhold(pcb);
}

/* Our FIN is acknowledged. */
static bool
fin_acked(const struct tcp_pcb *pcb)
{
	return pcb->fin_queued && SEQ_GEQ(pcb->snd_una, pcb->sbuf_seq + pcb->sbuf_len + 1);
}

/* The peer's FIN, in order (3.10.7.4, eighth). */
static bool
fin_in(struct tcp_pcb *pcb)
{
	pcb->rcv_nxt++;
	pcb->got_fin = true;
	switch (pcb->state) {
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
		pcb->state = TCP_CLOSE_WAIT;
		break;
	case TCP_FIN_WAIT_1:
		if (fin_acked(pcb))
			tcp_enter_time_wait(pcb);
		else
			pcb->state = TCP_CLOSING;
		break;
	case TCP_FIN_WAIT_2:
		timer_cancel(&pcb->tw_t);
		tcp_enter_time_wait(pcb);
		break;
	default:
		break;
	}
	tcp_send_ack(pcb);
	if (pcb->app_gone)
		return true;
	return deliver(pcb, NULL, 0);
}

static void
ooo_insert(struct tcp_pcb *pcb, uint32_t seq, const uint8_t *data, uint32_t len, bool fin)
{
	struct tcp_ooo **pp, *q;

	for (pp = &pcb->ooo; *pp && SEQ_LT((*pp)->seq, seq); pp = &(*pp)->next)
		;
	/* A duplicate of what is queued already adds nothing. */
	for (q = *pp; q && q->seq == seq; q = q->next)
		if (q->len >= len && (q->fin || !fin))
			return;
	q = xmalloc(sizeof(*q) + len);
	q->seq = seq;
	q->len = len;
	q->fin = fin;
	memcpy(q->data, data, len);
	q->next = *pp;
	*pp = q;
	pcb->ooo_bytes += len;
}

/* Deliver what the queue holds at rcv_nxt; false when the pcb went away. */
static bool
ooo_drain(struct tcp_pcb *pcb)
{
	struct tcp_ooo *q;

	while ((q = pcb->ooo) != NULL && SEQ_LEQ(q->seq, pcb->rcv_nxt)) {
		uint32_t end = q->seq + q->len;
		bool ok = true;

		pcb->ooo = q->next;
		pcb->ooo_bytes -= q->len;
		if (SEQ_GT(end, pcb->rcv_nxt)) {
			uint32_t skip = pcb->rcv_nxt - q->seq;

			pcb->rcv_nxt = end;
			ok = deliver(pcb, q->data + skip, q->len - skip);
		}
		if (ok && q->fin && end == pcb->rcv_nxt && !pcb->got_fin)
			ok = fin_in(pcb);
		free(q);
		if (!ok)
			return false;
	}
	return true;
}

/* Text of data and FIN (3.10.7.4, seventh and eighth); false when the pcb went away. */
static bool
data_in(struct tcp_pcb *pcb, uint32_t seq, const uint8_t *data, uint32_t len, bool fin)
{
	bool filled = pcb->ooo != NULL;

	if (pcb->state != TCP_ESTABLISHED && pcb->state != TCP_FIN_WAIT_1 &&
	    pcb->state != TCP_FIN_WAIT_2)
		return true;
	if (seq != pcb->rcv_nxt) {
		ooo_insert(pcb, seq, data, len, fin);
		tcp_send_ack(pcb); /* a duplicate ACK tells the sender of the hole */
		return true;
	}
	if (len > 0) {
		pcb->rcv_nxt += len;
		if (!deliver(pcb, data, len))
			return false;
	}
	if (fin && !pcb->got_fin)
		return fin_in(pcb);
	if (!ooo_drain(pcb))
		return false;
	if (pcb->got_fin)
		return true;
	if (filled)
		tcp_send_ack(pcb);
	else if (len > 0)
		tcp_ack_later(pcb);
	return true;
}

/* An acceptable ACK (3.10.7.4, fifth); false when the segment is done with. */
static bool
ack_in(struct tcp_pcb *pcb, const struct tcp_seg_in *s, bool *gone)
{
	if (SEQ_GT(s->ack, pcb->snd_max)) {
		tcp_send_ack(pcb);
		return false;
	}
	if (SEQ_GT(s->ack, pcb->snd_una)) {
		uint32_t d = 0, acked = s->ack - pcb->snd_una;

		if (SEQ_GT(s->ack, pcb->sbuf_seq)) {
			d = s->ack - pcb->sbuf_seq;
			if (d > pcb->sbuf_len)
				d = pcb->sbuf_len;
			if (d > 0)
				memmove(pcb->sbuf, pcb->sbuf + d, pcb->sbuf_len - d);
			pcb->sbuf_len -= d;
			pcb->sbuf_seq += d;
		}
		pcb->snd_una = s->ack;
		if (SEQ_LT(pcb->snd_nxt, pcb->snd_una))
			pcb->snd_nxt = pcb->snd_una;
		if (pcb->has_ctrl && SEQ_GEQ(pcb->snd_una, pcb->ctrl_end))
			pcb->has_ctrl = false;
		pcb->dupacks = 0;
		pcb->bytes_acked += d;
		tcp_acked(pcb, s->ack, acked);
		if (d > 0 && !pcb->app_gone && pcb->cb && pcb->cb->sent) {
			hold(pcb);
			pcb->cb->sent(pcb, pcb->arg, d);
			if (unhold(pcb)) {
				*gone = true;
				return false;
			}
		}
	} else if (s->ack == pcb->snd_una && s->len == 0 && !(s->flags & TH_FIN) &&
		   s->wnd == pcb->snd_wnd && pcb->snd_max != pcb->snd_una) {
		if (++pcb->dupacks == 3)
			tcp_fast_retransmit(pcb);
	}
	if (SEQ_LT(pcb->snd_wl1, s->seq) || (pcb->snd_wl1 == s->seq && SEQ_LEQ(pcb->snd_wl2, s->ack))) {
		pcb->snd_wnd = s->wnd;
		pcb->snd_wl1 = s->seq;
		pcb->snd_wl2 = s->ack;
	}
	if (pcb->persist) {
		/* The peer answers our probes; once the window opens, data flows again. */
		pcb->nrtx = 0;
		if (pcb->snd_wnd > 0) {
			pcb->persist = false;
			if (pcb->snd_una == pcb->snd_max)
				timer_cancel(&pcb->rtx_t);
		}
	}
	switch (pcb->state) {
	case TCP_FIN_WAIT_1:
		if (fin_acked(pcb)) {
			pcb->state = TCP_FIN_WAIT_2;
			if (pcb->app_gone)
				timer_set(&pcb->tw_t, TCP_FIN_TIMEOUT);
		}
		break;
	case TCP_CLOSING:
		if (fin_acked(pcb))
			tcp_enter_time_wait(pcb);
		return false;
	case TCP_LAST_ACK:
		if (fin_acked(pcb)) {
			tcp_gone(pcb, TCP_GONE_CLOSED);
			*gone = true;
		}
		return false;
	default:
		break;
	}
	tcp_output(pcb);
	return true;
}

/* SYN-RECEIVED: the handshake's last ACK. */
static bool
established_passive(struct tcp_pcb *pcb, const struct tcp_seg_in *s)
{
	pcb->state = TCP_ESTABLISHED;
	pcb->snd_una = s->ack;
	pcb->snd_wnd = s->wnd;
	pcb->snd_wl1 = s->seq;
	pcb->snd_wl2 = s->ack;
	tcp_acked(pcb, s->ack, 0);
	if (pcb->listener == NULL && pcb->accepted != NULL) {
		/* The listener closed during the handshake: nobody to take it. */
		tcp_abort(pcb);
		return false;
	}
	pcb->told = true;
	if (pcb->accepted == NULL)
		return true;
	hold(pcb);
	pcb->accepted(pcb->larg, pcb, pcb->arg);
	return !unhold(pcb);
}

static void
segment_arrives(struct tcp_pcb *pcb, struct tcp_seg_in *s, const struct ip4_hdr *h)
{
	uint32_t wnd = tcp_rcv_wnd(pcb), seq = s->seq, len = s->len;
	uint32_t slen = len + !!(s->flags & TH_SYN) + !!(s->flags & TH_FIN);
	const uint8_t *data = s->data;
	bool fin = s->flags & TH_FIN, ok, gone = false;

	if (pcb->state == TCP_SYN_RECEIVED && (s->flags & (TH_SYN | TH_ACK | TH_RST)) == TH_SYN &&
	    seq == pcb->irs) {
		/* The peer's SYN again: our SYN+ACK was lost; answer it now. */
		pcb->retransmits++;
		pcb->st->st.rtx++;
		tcp_send_syn(pcb);
		return;
	}
	if (SEQ_GT(pcb->rcv_adv, pcb->rcv_nxt + wnd))
		wnd = pcb->rcv_adv - pcb->rcv_nxt; /* never shrink what was offered */
	/* First: is the segment in the window (3.10.7.4, the four cases)? */
	if (slen == 0)
		ok = wnd == 0 ? seq == pcb->rcv_nxt
			      : SEQ_GEQ(seq, pcb->rcv_nxt) && SEQ_LT(seq, pcb->rcv_nxt + wnd);
	else
		ok = wnd > 0 && ((SEQ_GEQ(seq, pcb->rcv_nxt) && SEQ_LT(seq, pcb->rcv_nxt + wnd)) ||
		    (SEQ_GEQ(seq + slen - 1, pcb->rcv_nxt) && SEQ_LT(seq + slen - 1, pcb->rcv_nxt + wnd)));
	if (!ok) {
		if (!(s->flags & TH_RST))
			tcp_send_ack(pcb);
		return;
	}
	/* Trim to the window: what came before rcv_nxt, and what lies beyond it. */
	if (s->flags & TH_SYN && SEQ_LT(seq, pcb->rcv_nxt)) {
		s->flags &= (uint8_t)~TH_SYN;
		seq++;
	}
	if (SEQ_LT(seq, pcb->rcv_nxt)) {
		uint32_t cut = pcb->rcv_nxt - seq;

		if (cut > len)
			cut = len;
		data += cut;
		len -= cut;
		seq += cut;
	}
	if (SEQ_GT(seq + len, pcb->rcv_nxt + wnd)) {
		len = pcb->rcv_nxt + wnd - seq;
		fin = false;
	}
	/* Second: RST (RFC 5961 3.2: exact, else a challenge ACK). */
	if (s->flags & TH_RST) {
		if (seq != pcb->rcv_nxt) {
			tcp_send_ack(pcb);
			return;
		}
		pcb->st->st.rst_in++;
		tcp_gone(pcb, TCP_GONE_RESET);
		return;
	}
	/* Fourth: a SYN in the window (RFC 5961 4.2: challenge ACK). */
	if (s->flags & TH_SYN) {
		tcp_send_ack(pcb);
		return;
	}
	if (!(s->flags & TH_ACK))
		return;
	if (pcb->state == TCP_SYN_RECEIVED) {
		if (SEQ_LEQ(s->ack, pcb->snd_una) || SEQ_GT(s->ack, pcb->snd_max)) {
			tcp_send_reset_for(pcb->node, h->src, h->dst, pcb->rport, pcb->lport, s);
			return;
		}
		if (!established_passive(pcb, s))
			return;
	}
	if (pcb->state == TCP_TIME_WAIT) {
		/* Only a retransmitted FIN is expected here: acknowledge, restart 2 MSL. */
		if (fin) {
			tcp_send_ack(pcb);
			timer_set(&pcb->tw_t, 2 * TCP_MSL);
		}
		return;
	}
	if (!ack_in(pcb, s, &gone) || gone)
		return;
	if (len > 0 || fin)
		data_in(pcb, seq, data, len, fin);
}

void
tcp_input(struct iface *ifp, struct pkt *p, const struct ip4_hdr *h)
{
	struct node *n = ifp->node;
	struct tcp_stack *st = tcp_stack(n);
	const uint8_t *t = p->data + h->hlen;
	size_t len = (size_t)h->len - h->hlen;
	struct tcp_seg_in s;
	struct tcp_pcb *pcb;
	uint16_t sport, dport;

	/* TCP is unicast only (RFC 9293 3.9.1: no broadcast or multicast). */
	if (st == NULL || h->dst == IP_BCAST || (h->dst >> 28) == 14 ||
	    tcp_seg_parse(st, t, len, h->src, h->dst, &s) < 0) {
		ifp->st.rx_drops++;
		pkt_free(p);
		return;
	}
	s.ttl = h->ttl;
	st->st.segs_in++;
	sport = get16(t);
	dport = get16(t + 2);
	pcb = find(st, h->dst, dport, h->src, sport);
	if (pcb != NULL) {
		if (admit(st, &pcb->o, t, len, h, &s)) {
			hold(pcb);
			if (pcb->state == TCP_SYN_SENT)
				syn_sent_input(pcb, &s, h);
			else
				segment_arrives(pcb, &s, h);
			unhold(pcb);
		}
		pkt_free(p);
		return;
	}
	for (size_t i = 0; i < st->n; i++) {
		struct tcp_pcb *l = st->pcbs[i];

		if (l->state == TCP_LISTEN && l->lport == dport && (l->laddr == 0 || l->laddr == h->dst)) {
			listen_input(st, l, t, len, h, sport, dport, &s);
			pkt_free(p);
			return;
		}
	}
	if (!st->no_services && tcp_service_accept(st, dport, NULL, NULL, NULL)) {
		listen_input(st, NULL, t, len, h, sport, dport, &s);
		pkt_free(p);
		return;
	}
	/*
	 * 3.10.7.1: no connection, no listener: RST. Not for a signed segment
	 * (no key to sign the answer with: Linux and the BSDs drop it too).
	 */
	st->st.closed_port++;
	if (s.md5 == NULL)
		tcp_send_reset_for(n, h->src, h->dst, sport, dport, &s);
	else
		st->st.md5_drops++;
	pkt_free(p);
}

/* ------------------------------------------------------------------------ */
/* Convergence and the node's life */

bool
tcp_busy(const struct node *n)
{
	const struct tcp_stack *st = n->ip ? n->ip->tcp : NULL;

	for (size_t i = 0; st != NULL && i < st->n; i++) {
		const struct tcp_pcb *pcb = st->pcbs[i];

		if (pcb->o.cls == PKT_DATA)
			continue; /* user traffic (the tcp tool, echo) is not protocol work */
		switch (pcb->state) {
		case TCP_SYN_SENT:
		case TCP_SYN_RECEIVED:
		case TCP_FIN_WAIT_1:
		case TCP_CLOSING:
		case TCP_LAST_ACK:
			return true;
		case TCP_ESTABLISHED:
		case TCP_CLOSE_WAIT:
			/* Control bytes not yet acknowledged; periodic ones (keepalives) are not work. */
			if (pcb->has_ctrl)
				return true;
			break;
		default:
			break;
		}
	}
	return false;
}

void
tcp_node_quiet(struct node *n)
{
	if (n->ip != NULL && n->ip->tcp != NULL)
		n->ip->tcp->quiet = true;
}

void
tcp_node_crash(struct node *n)
{
	struct tcp_stack *st = n->ip ? n->ip->tcp : NULL;
	struct tcp_pcb **v;
	size_t nv = 0;

	if (st == NULL)
		return;
	st->quiet = true;
	/*
	 * Listeners belong to their applications, which close them when they
	 * stop. The others go, each with closed(ABORTED); a callback may close
	 * others, so each is looked up again before it goes.
	 */
	v = xmalloc((st->n + 1) * sizeof(*v));
	for (size_t i = 0; i < st->n; i++)
		if (st->pcbs[i]->state != TCP_LISTEN)
			v[nv++] = st->pcbs[i];
	for (size_t k = 0; k < nv; k++)
		for (size_t i = 0; i < st->n; i++)
			if (st->pcbs[i] == v[k]) {
				tcp_gone(v[k], TCP_GONE_ABORTED);
				break;
			}
	free(v);
	st->quiet = false;
}

void
tcp_node_free(struct node *n)
{
	struct tcp_stack *st = n->ip ? n->ip->tcp : NULL;

	if (st == NULL)
		return;
	for (size_t i = 0; i < st->n; i++) {
		struct tcp_pcb *pcb = st->pcbs[i];

		tcp_timers_cancel(pcb);
		if (pcb->free_arg != NULL && !pcb->app_gone)
			pcb->free_arg(pcb->arg);
		pcb_destroy(pcb);
	}
	free(st->pcbs);
	free(st);
	n->ip->tcp = NULL;
}
