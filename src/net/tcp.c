/*
 * tcp.c: TCP connections of a node (tcp.h): the API, the node's connections
 * and listeners, convergence (tcp_busy), crash and teardown. Segments arrive
 * in tcp_in.c and leave from tcp_out.c.
 *
 * A node's connections and listeners are a short array on its IP state
 * (control protocols open a handful per peer), searched in order: exact
 * 4-tuple first, then a listener on the port, both in the VRF the segment
 * arrived in (a VRF is a namespace of its own, as a Linux VRF device's
 * sockets are). Ephemeral ports are one pool for all VRFs. Callbacks into
 * the application run from segment arrival and timers only, never from the
 * API functions; an application may close or abort the connection inside a
 * callback, so the pcb is reference-counted while a callback runs and freed
 * afterwards.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "ip4.h"
#include "tcp_int.h"
#include "vrf.h"

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

struct tcp_pcb *
tcp_pcb_new(struct tcp_stack *st)
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

void
tcp_pcb_opts(struct tcp_pcb *pcb, const struct tcp_opts *o)
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
	free(pcb->sbuf_mem);
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

void
tcp_hold(struct tcp_pcb *pcb)
{
	pcb->ref++;
}

/* Drop a hold; true when the pcb is gone (the caller must not touch it). */
bool
tcp_unhold(struct tcp_pcb *pcb)
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
	tcp_hold(pcb);
	if (tell)
		pcb->cb->closed(pcb, pcb->arg, why);
	pcb_kill(pcb);
	tcp_unhold(pcb);
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

/* Does the node have VRF vrf? */
static bool
vrf_exists(const struct node *n, uint16_t vrf)
{
	return vrf == VRF_DEFAULT || vrf <= n->nvrfs;
}

struct tcp_pcb *
tcp_listen(struct node *n, uint32_t addr, uint16_t port, tcp_accept_fn accept,
    tcp_accepted_fn accepted, void *larg)
{
	return tcp_listen_vrf(n, VRF_DEFAULT, addr, port, accept, accepted, larg);
}

struct tcp_pcb *
tcp_listen_vrf(struct node *n, uint16_t vrf, uint32_t addr, uint16_t port, tcp_accept_fn accept,
    tcp_accepted_fn accepted, void *larg)
{
	struct tcp_stack *st = tcp_stack(n);
	struct tcp_pcb *pcb;

	if (st == NULL || port == 0 || !vrf_exists(n, vrf))
		return NULL;
	for (size_t i = 0; i < st->n; i++) {
		const struct tcp_pcb *l = st->pcbs[i];

		if (l->state == TCP_LISTEN && l->lport == port && l->o.vrf == vrf &&
		    (l->laddr == 0 || addr == 0 || l->laddr == addr))
			return NULL;
	}
	pcb = tcp_pcb_new(st);
	tcp_pcb_opts(pcb, &(struct tcp_opts){.vrf = vrf});
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

struct tcp_pcb *
tcp_find(const struct tcp_stack *st, uint16_t vrf, uint32_t laddr, uint16_t lport, uint32_t raddr,
    uint16_t rport)
{
	for (size_t i = 0; i < st->n; i++) {
		struct tcp_pcb *pcb = st->pcbs[i];

		if (pcb->state != TCP_LISTEN && pcb->lport == lport && pcb->rport == rport &&
		    pcb->raddr == raddr && pcb->laddr == laddr && pcb->o.vrf == vrf)
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

void
tcp_init_seq(struct tcp_pcb *pcb)
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
	uint32_t src;
	uint16_t sport;

	if (o == NULL)
		o = &none;
	if (st == NULL || dport == 0 || !vrf_exists(n, o->vrf))
		return NULL;
	sport = o->sport ? o->sport : ephemeral(st);
	if (sport == 0)
		return NULL;
	src = o->src ? o->src : ip4_route_source_vrf(n, o->vrf, dst);
	if (o->sport && tcp_find(st, o->vrf, src, sport, dst, dport))
		return NULL;
	pcb = tcp_pcb_new(st);
	tcp_pcb_opts(pcb, o);
	pcb->cb = cb;
	pcb->arg = arg;
	pcb->told = true;
	pcb->raddr = dst;
	pcb->rport = dport;
	pcb->laddr = src;
	pcb->lport = sport;
	pcb->state = TCP_SYN_SENT;
	tcp_init_seq(pcb);
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
	if ((size_t)(pcb->sbuf - pcb->sbuf_mem) + pcb->sbuf_len + len > pcb->sbuf_cap) {
		if (pcb->sbuf_len > 0)
			memmove(pcb->sbuf_mem, pcb->sbuf, pcb->sbuf_len);
		if (pcb->sbuf_len + len > pcb->sbuf_cap) {
			/* Grown as needed up to the send buffer's size: most sessions carry little. */
			size_t cap = pcb->sbuf_cap ? pcb->sbuf_cap : 4096;

			while (cap < pcb->sbuf_len + len)
				cap *= 2;
			pcb->sbuf_cap = (uint32_t)MIN(cap, (size_t)pcb->o.sndbuf);
			pcb->sbuf_mem = xrealloc(pcb->sbuf_mem, pcb->sbuf_cap);
		}
		pcb->sbuf = pcb->sbuf_mem;
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

uint16_t
tcp_vrf_of(const struct tcp_pcb *pcb)
{
	return pcb->o.vrf;
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
			/* A PKT_PERIODIC connection's handshake and close are not work (a retry). */
			if (pcb->o.cls == PKT_CONTROL)
				return true;
			break;
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

bool
tcp_node_is_quiet(const struct node *n)
{
	return n->ip != NULL && n->ip->tcp != NULL && n->ip->tcp->quiet;
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
