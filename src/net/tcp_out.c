/*
 * tcp_out.c: TCP segments on the wire and the sending side of a connection.
 *
 * Segment building and parsing with the pseudo-header checksum (RFC 9293
 * 3.1), the MSS option (3.2, 3.7.1) and the MD5 signature option (RFC 2385);
 * output of queued data in MSS-sized segments (no Nagle) within the peer's
 * window and the congestion window of RFC 5681 (slow start, congestion
 * avoidance, NewReno's partial ACKs); retransmission with RFC 6298's timer (Karn's
 * rule, exponential backoff), go-back-N after a timeout and a fast retransmit
 * on the third duplicate ACK; zero-window probes (3.8.6.1);
 * delayed ACKs; TIME-WAIT.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"
#include "../lib/cksum.h"
#include "../lib/hash.h"
#include "../lib/util.h"
#include "ip4.h"
#include "tcp_int.h"

#define OPT_EOL 0
#define OPT_NOP 1
#define OPT_MSS 2
#define OPT_MD5 19

static size_t
opt_len(uint16_t mss, const char *key)
{
	return (mss ? 4 : 0) + (key ? 20 : 0);
}

/* RFC 2385 2.0: pseudo-header, header without options (checksum 0), data, key. */
static void
md5_sign(const uint8_t *tcp, size_t len, uint32_t src, uint32_t dst, const char *key,
    uint8_t out[16])
{
	uint8_t ph[12], hdr[TCP_HLEN];
	size_t hl = (tcp[12] >> 4) * 4u;
	struct hash h;

	put32(ph, src);
	put32(ph + 4, dst);
	ph[8] = 0;
	ph[9] = IPPROTO_TCP_;
	put16(ph + 10, (uint16_t)len);
	memcpy(hdr, tcp, TCP_HLEN);
	put16(hdr + 16, 0);
	hash_init(&h, HASH_MD5);
	hash_update(&h, ph, sizeof(ph));
	hash_update(&h, hdr, sizeof(hdr));
	hash_update(&h, tcp + hl, len - hl);
	hash_update(&h, key, strlen(key));
	hash_final(&h, out);
}

bool
tcp_md5_ok(const uint8_t *tcp, size_t len, uint32_t src, uint32_t dst, const char *key,
    const uint8_t *sig)
{
	uint8_t d[16];

	md5_sign(tcp, len, src, dst, key, d);
	return memcmp(d, sig, sizeof(d)) == 0;
}

int
tcp_seg_send(struct node *n, const struct tcp_seg_out *s, const uint8_t *data, size_t len)
{
	size_t ol = opt_len(s->mss, s->key), hl = TCP_HLEN + ol;
	struct pkt *p = pkt_new(hl + len);
	uint8_t *t = p->data, *o = t + TCP_HLEN;
	uint32_t src = s->src;

	if (src == 0)
		src = ip4_route_source_vrf(n, s->vrf, s->dst);
	if (src == 0) {
		pkt_free(p);
		return -1;
	}
	put16(t, s->sport);
	put16(t + 2, s->dport);
	put32(t + 4, s->seq);
	put32(t + 8, s->ack);
	t[12] = (uint8_t)((hl / 4) << 4);
	t[13] = s->flags;
	put16(t + 14, s->wnd);
	put16(t + 16, 0);
	put16(t + 18, 0);
	if (s->mss) {
		o[0] = OPT_MSS;
		o[1] = 4;
		put16(o + 2, s->mss);
		o += 4;
	}
	if (s->key) {
		o[0] = OPT_NOP;
		o[1] = OPT_NOP;
		o[2] = OPT_MD5;
		o[3] = 18;
		o += 4;
	}
	if (len)
		memcpy(t + hl, data, len);
	if (s->key)
		md5_sign(t, hl + len, src, s->dst, s->key, o);
	put16(t + 16, inet_fold(inet_sum(t, hl + len,
	    inet_pseudo(src, s->dst, IPPROTO_TCP_, (uint16_t)(hl + len)))));
	p->cls = s->cls;
	if (n->ip->tcp)
		n->ip->tcp->st.segs_out++;
	return ip4_output(n, p, &(struct ip4_out){.src = src, .dst = s->dst,
	    .proto = IPPROTO_TCP_, .ttl = s->ttl, .tos = s->tos, .vrf = s->vrf});
}

int
tcp_seg_parse(struct tcp_stack *st, const uint8_t *t, size_t len, uint32_t src, uint32_t dst,
    struct tcp_seg_in *s)
{
	size_t hl;

	memset(s, 0, sizeof(*s));
	if (len < TCP_HLEN || (hl = (t[12] >> 4) * 4u) < TCP_HLEN || hl > len) {
		st->st.bad_hdr++;
		return -1;
	}
	if (inet_fold(inet_sum(t, len, inet_pseudo(src, dst, IPPROTO_TCP_, (uint16_t)len))) != 0) {
		st->st.bad_cksum++;
		return -1;
	}
	s->seq = get32(t + 4);
	s->ack = get32(t + 8);
	s->flags = t[13];
	s->wnd = get16(t + 14);
	s->data = t + hl;
	s->len = (uint32_t)(len - hl);
	/* Options (RFC 9293 3.2): kind, length, value; EOL ends, NOP pads. */
	for (size_t i = TCP_HLEN; i < hl;) {
		uint8_t kind = t[i], ol;

		if (kind == OPT_EOL)
			break;
		if (kind == OPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= hl || (ol = t[i + 1]) < 2 || i + ol > hl) {
			st->st.bad_hdr++;
			return -1;
		}
		if (kind == OPT_MSS && ol == 4)
			s->mss = get16(t + i + 2);
		else if (kind == OPT_MD5 && ol == 18)
			s->md5 = t + i + 2;
		i += ol;
	}
	return 0;
}

void
tcp_send_reset_for(struct node *n, uint16_t vrf, uint32_t src, uint32_t dst, uint16_t sport,
    uint16_t dport, const struct tcp_seg_in *in)
{
	struct tcp_seg_out s = {.src = dst, .dst = src, .sport = dport, .dport = sport, .vrf = vrf};

	if (in->flags & TH_RST)
		return;
	if (in->flags & TH_ACK) {
		s.seq = in->ack;
		s.flags = TH_RST;
	} else {
		s.ack = in->seq + in->len + !!(in->flags & TH_SYN) + !!(in->flags & TH_FIN);
		s.flags = TH_RST | TH_ACK;
	}
	if (n->ip->tcp)
		n->ip->tcp->st.rst_out++;
	tcp_seg_send(n, &s, NULL, 0);
}

uint16_t
tcp_mss_for(struct node *n, uint16_t vrf, uint32_t src, uint32_t dst)
{
	struct iface *oif;
	uint32_t nh;

	if (!ip4_route_vrf(n, vrf, src, dst, &oif, &nh) || oif->mtu <= 40)
		return TCP_DEFAULT_MSS;
	return (uint16_t)(oif->mtu - 40);
}

/* ------------------------------------------------------------------------ */
/* One connection's segments */

static uint8_t
ack_class(const struct tcp_pcb *pcb)
{
	/* Acknowledgements are not work: the sender stays busy until they arrive. */
	return pcb->o.cls == PKT_DATA ? PKT_DATA : PKT_PERIODIC;
}

static void
seg_of(const struct tcp_pcb *pcb, struct tcp_seg_out *s, uint32_t seq, uint8_t flags)
{
	uint32_t wnd = tcp_rcv_wnd(pcb);

	*s = (struct tcp_seg_out){.src = pcb->laddr, .dst = pcb->raddr, .sport = pcb->lport,
	    .dport = pcb->rport, .seq = seq, .ack = (flags & TH_ACK) ? pcb->rcv_nxt : 0,
	    .flags = flags, .wnd = (uint16_t)(wnd > 0xffff ? 0xffff : wnd), .key = pcb->o.md5_key,
	    .ttl = pcb->o.ttl, .tos = pcb->o.tos, .cls = pcb->o.cls, .vrf = pcb->o.vrf};
}

static int
emit(struct tcp_pcb *pcb, struct tcp_seg_out *s, const uint8_t *data, size_t len)
{
	if (pcb->st->quiet)
		return -1;
	if (s->flags & TH_ACK) {
		/* Every segment carries the latest ACK and window. */
		pcb->unacked_segs = 0;
		timer_cancel(&pcb->dack_t);
		if (SEQ_GT(pcb->rcv_nxt + (uint32_t)s->wnd, pcb->rcv_adv))
			pcb->rcv_adv = pcb->rcv_nxt + s->wnd;
	}
	return tcp_seg_send(pcb->node, s, data, len);
}

void
tcp_send_syn(struct tcp_pcb *pcb)
{
	struct tcp_seg_out s;
	uint8_t flags = TH_SYN | (pcb->state == TCP_SYN_RECEIVED ? TH_ACK : 0);

	/* The route may have come since the last try. */
	if (pcb->o.src == 0 && pcb->state == TCP_SYN_SENT)
		pcb->laddr = ip4_route_source_vrf(pcb->node, pcb->o.vrf, pcb->raddr);
	seg_of(pcb, &s, pcb->iss, flags);
	s.mss = tcp_mss_for(pcb->node, pcb->o.vrf, pcb->laddr, pcb->raddr);
	if (pcb->laddr != 0)
		emit(pcb, &s, NULL, 0);
	if (pcb->snd_max == pcb->iss)
		pcb->snd_max = pcb->iss + 1;
	pcb->snd_nxt = pcb->iss + 1;
	if (!timer_pending(&pcb->rtx_t))
		timer_set(&pcb->rtx_t, pcb->rto);
}

/*
 * A pure ACK (and a RST) carries the next new sequence number, snd_max, not
 * snd_nxt: after a timeout snd_nxt goes back to resend, and an ACK with that
 * old number would be outside the peer's window, dropped with what it
 * acknowledges (as BSD's tcp_output says; Linux never moves snd_nxt back).
 */
void
tcp_send_ack(struct tcp_pcb *pcb)
{
	struct tcp_seg_out s;

	seg_of(pcb, &s, pcb->snd_max, TH_ACK);
	s.cls = ack_class(pcb);
	emit(pcb, &s, NULL, 0);
}

void
tcp_send_rst(struct tcp_pcb *pcb)
{
	struct tcp_seg_out s;

	seg_of(pcb, &s, pcb->snd_max, TH_RST | TH_ACK);
	pcb->st->st.rst_out++;
	emit(pcb, &s, NULL, 0);
}

void
tcp_ack_later(struct tcp_pcb *pcb)
{
	/* RFC 9293 3.8.6.3: at least every second full segment, else within TCP_DELACK. */
	if (++pcb->unacked_segs >= 2) {
		tcp_send_ack(pcb);
		return;
	}
	if (!timer_pending(&pcb->dack_t))
		timer_set(&pcb->dack_t, TCP_DELACK);
}

static uint32_t
fin_seq(const struct tcp_pcb *pcb)
{
	return pcb->sbuf_seq + pcb->sbuf_len;
}

/* Send the bytes [seq, seq+len) of the buffer (and the FIN when it follows them). */
static void
send_data(struct tcp_pcb *pcb, uint32_t seq, uint32_t len, bool fin)
{
	struct tcp_seg_out s;
	uint32_t off = seq - pcb->sbuf_seq;
	uint8_t flags = TH_ACK | (fin ? TH_FIN : 0);

	if (len > 0 && off + len == pcb->sbuf_len)
		flags |= TH_PSH;
	seg_of(pcb, &s, seq, flags);
	/* The class of the data: control while it carries a control byte. */
	if (pcb->has_ctrl && SEQ_LT(seq, pcb->ctrl_end))
		s.cls = PKT_CONTROL;
	else if (fin)
		s.cls = pcb->o.cls;
	else
		s.cls = len > 0 ? pcb->data_cls : ack_class(pcb);
	if (pcb->probing) {
		/* A window probe: not a retransmission, not timed, not counted in snd_max. */
		emit(pcb, &s, pcb->sbuf + off, len);
		return;
	}
	if (SEQ_LT(seq, pcb->snd_max)) {
		pcb->retransmits++;
		pcb->st->st.rtx++;
		if (pcb->rtt_timing && SEQ_LEQ(seq, pcb->rtt_seq))
			pcb->rtt_timing = false; /* Karn: no sample from a retransmitted segment */
	} else if (!pcb->rtt_timing && len > 0) {
		pcb->rtt_timing = true;
		pcb->rtt_seq = seq;
		pcb->rtt_start = node_now(pcb->node);
	}
	emit(pcb, &s, len > 0 ? pcb->sbuf + off : NULL, len);
	if (SEQ_GT(seq + len + fin, pcb->snd_max))
		pcb->snd_max = seq + len + fin;
	if (!timer_pending(&pcb->rtx_t))
		timer_set(&pcb->rtx_t, pcb->rto);
}

static bool
can_send(const struct tcp_pcb *pcb)
{
	switch (pcb->state) {
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
	case TCP_FIN_WAIT_1:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		return true;
	default:
		return false;
	}
}

void
tcp_output(struct tcp_pcb *pcb)
{
	if (!can_send(pcb))
		return;
	for (;;) {
		uint32_t off = pcb->snd_nxt - pcb->sbuf_seq, avail, room, n;
		uint32_t wend = pcb->snd_una + (pcb->cwnd < pcb->snd_wnd ? pcb->cwnd : pcb->snd_wnd);
		bool fin;

		if (SEQ_LT(pcb->snd_nxt, pcb->sbuf_seq))
			off = 0; /* the SYN is acknowledged by now */
		avail = off < pcb->sbuf_len ? pcb->sbuf_len - off : 0;
		room = SEQ_GT(wend, pcb->snd_nxt) ? wend - pcb->snd_nxt : 0;
		n = avail < room ? avail : room;
		if (n > pcb->mss)
			n = pcb->mss;
		/*
		 * Sender SWS avoidance (RFC 9293 3.8.6.2.1): a segment cut short by
		 * the window waits for a full one while data is in flight (its ACK
		 * will open the window), so the window is never filled to the byte.
		 */
		if (n < pcb->mss && n < avail && pcb->snd_nxt != pcb->snd_una && !pcb->rtx_one)
			n = 0;
		fin = pcb->fin_queued && off + n == pcb->sbuf_len && SEQ_LEQ(pcb->snd_nxt + n,
		    fin_seq(pcb)) && SEQ_LEQ(pcb->snd_nxt, fin_seq(pcb));
		if (n == 0 && !fin)
			break;
		send_data(pcb, pcb->snd_nxt, n, fin);
		pcb->snd_nxt += n + fin;
		if (pcb->rtx_one || fin)
			break;
	}
	pcb->rtx_one = false;
	/* Data waits behind a zero window: probe it (RFC 9293 3.8.6.1). */
	if (!timer_pending(&pcb->rtx_t) && pcb->snd_wnd == 0 &&
	    pcb->sbuf_len > pcb->snd_nxt - pcb->sbuf_seq) {
		pcb->persist = true;
		timer_set(&pcb->rtx_t, pcb->rto);
	}
}

/* RFC 5681 (4): after a loss, half of what was in flight, at least two segments. */
static void
halve(struct tcp_pcb *pcb)
{
	uint32_t flight = pcb->snd_max - pcb->snd_una;

	pcb->ssthresh = flight / 2 > 2u * pcb->mss ? flight / 2 : 2u * pcb->mss;
}

void
tcp_set_mss(struct tcp_pcb *pcb, uint16_t peer)
{
	uint16_t own = tcp_mss_for(pcb->node, pcb->o.vrf, pcb->laddr, pcb->raddr);
	uint16_t m = peer ? peer : TCP_DEFAULT_MSS;

	if (own < m)
		m = own;
	/* Room for the signature option in every segment. */
	if (pcb->o.md5_key && m > 64)
		m -= 20;
	pcb->mss = m;
	/* RFC 5681 3.1's initial window: 4 segments up to 1095 octets, 3 up to 2190, else 2. */
	pcb->cwnd = m > 2190 ? 2u * m : m > 1095 ? 3u * m : 4u * m;
	pcb->ssthresh = TCP_SSTHRESH_INIT;
}

/* Retransmit the first unacknowledged segment (not a FIN: the timer resends that). */
static void
resend_first(struct tcp_pcb *pcb)
{
	uint32_t seq = SEQ_LT(pcb->snd_una, pcb->sbuf_seq) ? pcb->sbuf_seq : pcb->snd_una;
	uint32_t off = seq - pcb->sbuf_seq, n = pcb->sbuf_len - off;

	if (off >= pcb->sbuf_len)
		return;
	if (n > pcb->mss)
		n = pcb->mss;
	send_data(pcb, seq, n, false);
}

/*
 * The third duplicate ACK: fast retransmit (RFC 5681 3.2) and NewReno's
 * recovery (RFC 6582) until what was in flight is acknowledged, without
 * fast recovery's window inflation.
 */
void
tcp_fast_retransmit(struct tcp_pcb *pcb)
{
	if (pcb->recovering)
		return;
	halve(pcb);
	pcb->cwnd = pcb->ssthresh;
	pcb->recovering = true;
	pcb->recover = pcb->snd_max;
	resend_first(pcb);
}

/* RFC 6582 3.2 (3): a partial ACK names the next hole: fill it at once. */
static void
recovery_ack(struct tcp_pcb *pcb, uint32_t ack)
{
	if (!pcb->recovering)
		return;
	if (SEQ_GEQ(ack, pcb->recover))
		pcb->recovering = false;
	else
		resend_first(pcb);
}

static sim_time
clamp_rto(sim_time r)
{
	return r < TCP_RTO_MIN ? TCP_RTO_MIN : r > TCP_RTO_MAX ? TCP_RTO_MAX : r;
}

void
tcp_acked(struct tcp_pcb *pcb, uint32_t ack, uint32_t acked)
{
	/* RFC 5681 3.1: slow start below ssthresh, then about an MSS per round trip. */
	if (acked > 0 && pcb->cwnd < TCP_SSTHRESH_INIT) {
		if (pcb->cwnd < pcb->ssthresh)
			pcb->cwnd += acked < pcb->mss ? acked : pcb->mss;
		else
			pcb->cwnd += (uint32_t)pcb->mss * pcb->mss / pcb->cwnd > 0
			    ? (uint32_t)pcb->mss * pcb->mss / pcb->cwnd : 1;
	}
	if (pcb->rtt_timing && SEQ_GT(ack, pcb->rtt_seq)) {
		sim_time r = node_now(pcb->node) - pcb->rtt_start;

		/* RFC 6298 2.2 and 2.3 (alpha 1/8, beta 1/4, K 4). */
		if (pcb->srtt == 0) {
			pcb->srtt = r;
			pcb->rttvar = r / 2;
		} else {
			sim_time d = pcb->srtt > r ? pcb->srtt - r : r - pcb->srtt;

			pcb->rttvar = (3 * pcb->rttvar + d) / 4;
			pcb->srtt = (7 * pcb->srtt + r) / 8;
		}
		pcb->rto = clamp_rto(pcb->srtt + (4 * pcb->rttvar > TCP_RTO_G ? 4 * pcb->rttvar
		    : TCP_RTO_G));
		pcb->rtt_timing = false;
	}
	pcb->nrtx = 0;
	if (acked > 0)
		recovery_ack(pcb, ack);
	/* 5.2 and 5.3: stop when everything is acknowledged, else restart. */
	timer_cancel(&pcb->rtx_t);
	if (SEQ_LT(ack, pcb->snd_max))
		timer_set(&pcb->rtx_t, pcb->rto);
}

void
tcp_enter_time_wait(struct tcp_pcb *pcb)
{
	pcb->state = TCP_TIME_WAIT;
	timer_cancel(&pcb->rtx_t);
	timer_set(&pcb->tw_t, 2 * TCP_MSL);
}

/* ------------------------------------------------------------------------ */
/* Timers */

static void
rtx_fire(struct timer *t)
{
	struct tcp_pcb *pcb = t->arg;
	bool syn = pcb->state == TCP_SYN_SENT || pcb->state == TCP_SYN_RECEIVED;
	bool probe = !syn && pcb->persist;

	if (++pcb->nrtx > (syn ? TCP_SYN_RETRIES : TCP_MAX_RTX)) {
		tcp_gone(pcb, TCP_GONE_TIMEOUT);
		return;
	}
	/* 5.5: back off; 5.7: it stays backed off until a new sample. */
	pcb->rto = clamp_rto(2 * pcb->rto);
	pcb->rtt_timing = false;
	if (syn) {
		pcb->retransmits++;
		pcb->st->st.rtx++;
		tcp_send_syn(pcb);
		return;
	}
	if (probe) {
		/*
		 * A zero-window probe: one byte past the window, snd_nxt and snd_max
		 * unmoved (so ACKs keep a sequence number inside the peer's window);
		 * its acknowledgement may be one past snd_max (ack_in).
		 */
		uint32_t off = pcb->snd_nxt - pcb->sbuf_seq;

		if (off < pcb->sbuf_len) {
			pcb->probing = true;
			send_data(pcb, pcb->snd_nxt, 1, false);
			pcb->probing = false;
		}
		if (!timer_pending(&pcb->rtx_t))
			timer_set(&pcb->rtx_t, pcb->rto);
		return;
	}
	/* 5.4: retransmit the earliest unacknowledged segment, then go back N from one segment. */
	halve(pcb);
	pcb->cwnd = pcb->mss;
	pcb->recovering = false;
	pcb->snd_nxt = pcb->snd_una;
	pcb->dupacks = 0;
	pcb->rtx_one = true;
	tcp_output(pcb);
	if (!timer_pending(&pcb->rtx_t))
		timer_set(&pcb->rtx_t, pcb->rto);
}

static void
tw_fire(struct timer *t)
{
	tcp_gone(t->arg, TCP_GONE_CLOSED);
}

static void
dack_fire(struct timer *t)
{
	tcp_send_ack(t->arg);
}

void
tcp_timers_init(struct tcp_pcb *pcb)
{
	struct actor *a = &pcb->node->actor;

	timer_init_new(&pcb->rtx_t, a, rtx_fire, pcb);
	timer_init_new(&pcb->tw_t, a, tw_fire, pcb);
	timer_init_new(&pcb->dack_t, a, dack_fire, pcb);
}

void
tcp_timers_cancel(struct tcp_pcb *pcb)
{
	timer_cancel(&pcb->rtx_t);
	timer_cancel(&pcb->tw_t);
	timer_cancel(&pcb->dack_t);
}
