/*
 * tcp_in.c: what a segment does on arrival (RFC 9293 3.10.7, with RFC
 * 5961's challenge ACKs for in-window RST and SYN): the lookup of its
 * connection (exact 4-tuple, then a listener on the port, then the built-in
 * services, all in the VRF of the interface it arrived on), GTSM and MD5
 * checks, the handshake's passive and active sides, acknowledgements and
 * the send window, in-order delivery with a queue of
 * out-of-order segments, FIN, and the RST for a closed port.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"
#include "../lib/util.h"
#include "ip4.h"
#include "tcp_int.h"

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

/* A SYN for a listener (or a built-in service: l NULL) in VRF vrf. */
static void
listen_input(struct tcp_stack *st, uint16_t vrf, struct tcp_pcb *l, const uint8_t *t, size_t len,
    const struct ip4_hdr *h, uint16_t sport, uint16_t dport, const struct tcp_seg_in *s)
{
	struct tcp_opts o = {.vrf = vrf};
	const struct tcp_cb *cb = NULL;
	void *arg = NULL;
	struct tcp_pcb *pcb;
	bool ok;

	if (s->flags & TH_RST)
		return;
	if (s->flags & TH_ACK || !(s->flags & TH_SYN)) {
		if (s->md5 == NULL && (s->flags & TH_ACK))
			tcp_send_reset_for(st->node, vrf, h->src, h->dst, sport, dport, s);
		return;
	}
	if (l != NULL)
		ok = l->accept == NULL || l->accept(l->larg, h->dst, h->src, sport, &o, &cb, &arg);
	else
		ok = tcp_service_accept(st, dport, &o, &cb, &arg);
	if (!ok) {
		/* Refused: the peer sees "connection refused". */
		if (s->md5 == NULL)
			tcp_send_reset_for(st->node, vrf, h->src, h->dst, sport, dport, s);
		return;
	}
	if (!admit(st, &o, t, len, h, s)) {
		/* Dropped after all (GTSM, MD5): whoever took the SYN hears it is gone. */
		if (l == NULL)
			tcp_service_free(arg);
		else if (cb != NULL && cb->closed != NULL)
			cb->closed(NULL, arg, TCP_GONE_ABORTED);
		return;
	}
	o.vrf = vrf; /* the SYN's (and the listener's): not the accept hook's to move */
	pcb = tcp_pcb_new(st);
	tcp_pcb_opts(pcb, &o);
	pcb->cb = cb;
	pcb->arg = arg;
	pcb->listener = l;
	if (l == NULL) {
		pcb->free_arg = tcp_service_free;
	} else {
		pcb->accepted = l->accepted;
		pcb->larg = l->larg;
		pcb->told = true; /* the accept hook knows it: a death in the handshake is told */
	}
	pcb->laddr = h->dst;
	pcb->lport = dport;
	pcb->raddr = h->src;
	pcb->rport = sport;
	pcb->state = TCP_SYN_RECEIVED;
	pcb->irs = s->seq;
	pcb->rcv_nxt = s->seq + 1;
	pcb->rcv_adv = pcb->rcv_nxt;
	tcp_init_seq(pcb);
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
			tcp_send_reset_for(pcb->node, pcb->o.vrf, h->src, h->dst, pcb->rport, pcb->lport, s);
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
	tcp_hold(pcb);
	if (pcb->cb && pcb->cb->connected)
		pcb->cb->connected(pcb, pcb->arg);
	if (!tcp_unhold(pcb))
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
	tcp_hold(pcb);
	pcb->cb->recv(pcb, pcb->arg, data, len);
	return !tcp_unhold(pcb);
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

	/* Overlapping copies are kept as they come: bound what they may hold. */
	if (pcb->ooo_bytes + len > 2 * pcb->o.rcvbuf)
		return;
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
	/* Nothing beyond what was sent, but a window probe's byte (snd_max is before it). */
	if (SEQ_GT(s->ack, pcb->snd_max + (pcb->persist && pcb->snd_nxt == pcb->snd_max))) {
		tcp_send_ack(pcb);
		return false;
	}
	if (SEQ_GT(s->ack, pcb->snd_una)) {
		uint32_t d = 0, acked = s->ack - pcb->snd_una;

		if (SEQ_GT(s->ack, pcb->sbuf_seq)) {
			d = s->ack - pcb->sbuf_seq;
			if (d > pcb->sbuf_len)
				d = pcb->sbuf_len;
			pcb->sbuf += d;
			pcb->sbuf_len -= d;
			pcb->sbuf_seq += d;
			/*
			 * All acknowledged: a buffer a burst grew (a full table) goes,
			 * rather than staying with an idle session for ever.
			 */
			if (pcb->sbuf_len == 0 && pcb->sbuf_cap > TCP_SBUF_KEEP) {
				free(pcb->sbuf_mem);
				pcb->sbuf_mem = pcb->sbuf = NULL;
				pcb->sbuf_cap = 0;
			}
		}
		pcb->snd_una = s->ack;
		if (SEQ_LT(pcb->snd_nxt, pcb->snd_una))
			pcb->snd_nxt = pcb->snd_una;
		if (SEQ_LT(pcb->snd_max, pcb->snd_una))
			pcb->snd_max = pcb->snd_una; /* the probe's byte */
		if (pcb->has_ctrl && SEQ_GEQ(pcb->snd_una, pcb->ctrl_end))
			pcb->has_ctrl = false;
		pcb->dupacks = 0;
		pcb->bytes_acked += d;
		tcp_acked(pcb, s->ack, acked);
		if (d > 0 && !pcb->app_gone && pcb->cb && pcb->cb->sent) {
			tcp_hold(pcb);
			pcb->cb->sent(pcb, pcb->arg, d);
			if (tcp_unhold(pcb)) {
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
	tcp_hold(pcb);
	pcb->accepted(pcb->larg, pcb, pcb->arg);
	return !tcp_unhold(pcb);
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
			tcp_send_reset_for(pcb->node, pcb->o.vrf, h->src, h->dst, pcb->rport, pcb->lport, s);
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

/* The listener in VRF vrf for a segment to addr:port (a wildcard address listens on all). */
static struct tcp_pcb *
find_listener(const struct tcp_stack *st, uint16_t vrf, uint32_t addr, uint16_t port)
{
	for (size_t i = 0; i < st->n; i++) {
		struct tcp_pcb *l = st->pcbs[i];

		if (l->state == TCP_LISTEN && l->lport == port && l->o.vrf == vrf &&
		    (l->laddr == 0 || l->laddr == addr))
			return l;
	}
	return NULL;
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
	uint16_t sport, dport, vrf = ifp->vrf; /* a segment belongs to its interface's VRF */

	/* TCP is unicast only (RFC 9293 3.9.1: no broadcast or multicast). */
	if (st == NULL || h->dst == IP_BCAST || (h->dst >> 28) == 14 ||
	    tcp_seg_parse(st, t, len, h->src, h->dst, &s) < 0) {
		ifp->st.rx_drops++;
		pkt_free(p);
		return;
	}
	st->st.segs_in++;
	sport = get16(t);
	dport = get16(t + 2);
	if ((pcb = tcp_find(st, vrf, h->dst, dport, h->src, sport)) != NULL) {
		if (admit(st, &pcb->o, t, len, h, &s)) {
			tcp_hold(pcb);
			if (pcb->state == TCP_SYN_SENT)
				syn_sent_input(pcb, &s, h);
			else
				segment_arrives(pcb, &s, h);
			tcp_unhold(pcb);
		}
	} else if ((pcb = find_listener(st, vrf, h->dst, dport)) != NULL ||
		   tcp_service_accept(st, dport, NULL, NULL, NULL)) {
		listen_input(st, vrf, pcb, t, len, h, sport, dport, &s);
	} else {
		/*
		 * 3.10.7.1: no connection, no listener (in this VRF): RST, routed
		 * back in the VRF. Not for a signed segment
		 * (no key to sign the answer with: Linux and the BSDs drop it too).
		 */
		st->st.closed_port++;
		if (s.md5 == NULL)
			tcp_send_reset_for(n, vrf, h->src, h->dst, sport, dport, &s);
		else
			st->st.md5_drops++;
	}
	pkt_free(p);
}

