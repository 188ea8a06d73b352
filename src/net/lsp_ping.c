/*
 * lsp_ping.c: MPLS LSP ping and traceroute (RFC 8029), lsp_ping.h.
 *
 * The sender: the FEC's route in the RIB gives the LSP (its next hop and the
 * label stack LDP, or a static labelled route, put on it); each request is
 * an MPLS echo request (3.0) with a Target FEC Stack TLV holding one LDP
 * IPv4 prefix sub-TLV (3.2.1), in UDP from a port of the node's generator
 * to 3503, in IPv4 to 127.0.0.1 with TTL 1 and router alert, under the
 * labels with TTL 255 (ping) or 1, 2, 3... (traceroute, 4.3). Requests go
 * one at a time as ping's do (ping.c), or on a fixed interval.
 *
 * The receiver: an egress (the FEC is one of its own prefixes) answers code
 * 3, a router that receives it unlabelled for someone else's FEC code 4, a
 * transit LSR whose label TTL ran out code 8 (or 10 when LDP gave the FEC a
 * different label than the one that arrived), each with subcode 1 (the
 * stack depth of the FEC), in an echo reply over IPv4 UDP (reply mode 2,
 * 4.5) that carries the Interface and Label Stack TLV (3.8): the stack it
 * received, so a trace shows each hop's incoming label. The Downstream
 * Detailed Mapping TLV (3.4) is neither sent nor asked for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"
#include "../lib/cksum.h"
#include "../lib/util.h"
#include "../proto/ldp/ldp.h"
#include "arp.h"
#include "demux.h"
#include "ip4.h"
#include "lsp_ping.h"
#include "lsp_ping_msg.h"
#include "mpls.h"
#include "udp.h"

#define LOOPBACK_DST   0x7f000001u /* 127.0.0.1 (RFC 8029 4.3) */
#define RA_HLEN        (IP_HLEN + 4) /* with the router alert option (RFC 2113) */
#define LSPP_REQ_TTL   1
#define LSPP_REPLY_TTL 255           /* RFC 8029 4.5 */

/* --- the ingress: which LSP ----------------------------------------------------------------- */

/* Did the LDP peer at gw map fec to implicit null (gw is the egress, the FEC's LSP is unlabelled)? */
static bool
ldp_implicit_null(const struct node *n, const struct prefix *fec, uint32_t gw)
{
	const struct ldp *l = ldp_running(n);
	const struct ldp_binding *f = l != NULL ? ldp_binding_find(l, fec) : NULL;

	return f != NULL &&
	    ldp_binding_remote(f, ldp_nbr_by_addr(l, gw)) == MPLS_LABEL_IMPLICIT_NULL;
}

/*
 * The LSP of fec: the first next hop of its route (exactly that prefix, as
 * the FEC names it) and the labels it pushes; false with err when none.
 */
static bool
resolve(struct node *n, const struct prefix *fec, struct lsp_path *pa, char *err, size_t errlen)
{
	const struct rib_entry *e = rib_lookup_exact(n->rib, fec);
	const struct rib_path *best = e != NULL && e->installed ? rib_best(e) : NULL;
	const struct nhg *g = best != NULL ? rib_path_nhg(n->rib, best) : NULL;
	const struct label_stack *st;
	const struct nexthop *nh;

	memset(pa, 0, sizeof(*pa));
	if (g == NULL) { /* no route, or a blackhole (tagged or not) */
		snprintf(err, errlen, "no route for %s in the routing table (the FEC is an exact prefix)",
		    prefix_str(fec));
		return false;
	}
	nh = &g->nh[0];
	if (nh->gw == 0) {
		snprintf(err, errlen, "%s is directly connected: %s is its egress, there is no LSP",
		    prefix_str(fec), n->name);
		return false;
	}
	st = rib_labels(n->rib, nh->labels);
	for (int i = 0; st != NULL && i < st->n; i++)
		if (st->label[i] != MPLS_LABEL_IMPLICIT_NULL)
			pa->out[pa->nout++] = st->label[i];
	if (pa->nout == 0 && !ldp_implicit_null(n, fec, nh->gw)) {
		snprintf(err, errlen, "no LSP for %s: its route via %s has no label "
		    "(no label mapping from the next hop)", prefix_str(fec), ip_str(nh->gw));
		return false;
	}
	pa->oif = n->ifs[nh->ifindex];
	pa->gw = nh->gw;
	return true;
}

/* --- sending ------------------------------------------------------------------------------------ */

/*
 * sim time as an NTP timestamp (RFC 5905: seconds since 1900 and a 32-bit
 * fraction), time zero being the Unix epoch as in netsim's pcaps.
 */
#define NTP_UNIX_EPOCH 2208988800u

static uint64_t
ntp_time(sim_time t)
{
	return (uint64_t)(NTP_UNIX_EPOCH + t / SIM_S) << 32 |
	    (((uint64_t)(t % SIM_S) << 32) + SIM_S - 1) / SIM_S; /* rounded up: reads back exact */
}

/* The IPv4 header with router alert (RFC 2113) and UDP header in front of msg; checksums set. */
static void
request_headers(struct node *n, struct pkt **pp, uint32_t src, uint16_t sport)
{
	size_t mlen = (*pp)->len;
	uint16_t ulen = (uint16_t)(mlen + UDP_HLEN), ck;
	uint8_t *u = pkt_push(pp, UDP_HLEN), *h;

	put16(u, sport);
	put16(u + 2, LSP_PING_PORT);
	put16(u + 4, ulen);
	put16(u + 6, 0);
	ck = inet_fold(inet_sum(u, ulen, inet_pseudo(src, LOOPBACK_DST, IPPROTO_UDP_, ulen)));
	put16(u + 6, ck ? ck : 0xffff);
	h = pkt_push(pp, RA_HLEN);
	memset(h, 0, RA_HLEN);
	h[0] = 0x40 | RA_HLEN / 4;
	put16(h + 2, (uint16_t)(RA_HLEN + ulen));
	put16(h + 4, n->ip->ident++);
	h[8] = LSPP_REQ_TTL;
	h[9] = IPPROTO_UDP_;
	put32(h + 12, src);
	put32(h + 16, LOOPBACK_DST);
	h[20] = 0x94; /* router alert: copied, class 0, number 20; length 4; value 0 */
	h[21] = 4;
	put16(h + 10, inet_cksum(h, RA_HLEN));
}

/* One request down the LSP, the labels' TTL ttl; false if it could not be sent. */
static bool
send_request(struct lsp_ping *lp, struct lsp_probe *pr)
{
	struct node *n = lp->node;
	struct lsp_path pa;
	struct lsp_echo m = {0};
	char err[160];
	struct pkt *p;

	if (!resolve(n, &lp->o.fec, &pa, err, sizeof(err)) || !iface_is_up(pa.oif) ||
	    pa.oif->kind != IF_ETHERNET)
		return false;
	m.version = LSPP_VERSION;
	m.type = LSPP_MSG_REQUEST;
	m.mode = LSPP_MODE_UDP;
	m.handle = lp->sport;
	m.seq = pr->seq;
	m.fec = lp->o.fec;
	m.have_fec = true;
	m.ts_sent = ntp_time(node_now(n));
	p = pkt_new(LSPP_MSG_MAX);
	p->len = lsp_echo_build(&m, p->data);
	request_headers(n, &p, lp->o.src ? lp->o.src : pa.oif->addr, lp->sport);
	if (pa.nout == 0) {
		ip4_send_on(pa.oif, pa.gw, p, false);
		return true;
	}
	if (p->len + pa.nout * MPLS_LSE_LEN > pa.oif->mtu) {
		pkt_free(p);
		return false;
	}
	mpls_stack_build(pkt_push(&p, pa.nout * MPLS_LSE_LEN), pa.out, pa.nout, 0, pr->ttl, true);
	arp_output_type(pa.oif, pa.gw, ETHERTYPE_MPLS, p);
	return true;
}

/* --- the session ------------------------------------------------------------------------------- */

static bool
final(const struct lsp_ping *lp, const struct lsp_probe *pr)
{
	return lp->o.trace && pr->status == LSPP_REPLY && pr->rc != LSPP_RC_SWITCHED;
}

static bool
finished(const struct lsp_ping *lp)
{
	for (int i = 0; i < lp->sent; i++)
		if (lp->probes[i].status == LSPP_PENDING)
			return false;
	return lp->sent == lp->o.count || (lp->sent > 0 && final(lp, &lp->probes[lp->sent - 1]));
}

static void
send_next(struct lsp_ping *lp)
{
	struct lsp_probe *pr = &lp->probes[lp->sent++];

	pr->seq = (uint32_t)lp->sent;
	pr->ttl = lp->o.trace ? (uint8_t)lp->sent : 255;
	pr->sent = node_now(lp->node);
	pr->status = send_request(lp, pr) ? LSPP_PENDING : LSPP_NOT_SENT;
}

/* One timer: the next send or the earliest deadline (the scheduling of ping.c). */
static void
reschedule(struct lsp_ping *lp)
{
	sim_time next = SIM_NEVER;
	bool pending = false;

	if (finished(lp)) {
		lp->done = true;
		timer_cancel(&lp->t);
		return;
	}
	for (int i = 0; i < lp->sent; i++)
		if (lp->probes[i].status == LSPP_PENDING) {
			pending = true;
			next = MIN(next, lp->probes[i].sent + lp->o.timeout);
		}
	if (lp->sent < lp->o.count) {
		if (lp->o.interval > 0 && lp->sent > 0)
			next = MIN(next, lp->probes[lp->sent - 1].sent + lp->o.interval);
		else if (!pending)
			next = node_now(lp->node);
	}
	timer_set_at(&lp->t, next);
}

static void
tick(struct timer *t)
{
	struct lsp_ping *lp = t->arg;
	sim_time now = node_now(lp->node);
	bool pending = false;

	for (int i = 0; i < lp->sent; i++) {
		struct lsp_probe *pr = &lp->probes[i];

		if (pr->status == LSPP_PENDING && now >= pr->sent + lp->o.timeout)
			pr->status = LSPP_TIMEOUT;
		pending |= pr->status == LSPP_PENDING;
	}
	if (!finished(lp) && lp->sent < lp->o.count &&
	    (lp->o.interval > 0 ? lp->sent == 0 ||
		now >= lp->probes[lp->sent - 1].sent + lp->o.interval : !pending))
		send_next(lp);
	reschedule(lp);
}

/* An echo reply to our port. */
static void
on_reply(struct udp_sock *s, struct iface *ifp UNUSED, struct pkt *payload, uint32_t src,
    uint16_t sport, uint32_t dst UNUSED, uint16_t dport UNUSED)
{
	struct lsp_ping *lp = s->arg;
	struct lsp_echo m;
	struct lsp_probe *pr;

	if (sport != LSP_PING_PORT || lsp_echo_parse(payload->data, payload->len, &m) != 0 ||
	    m.type != LSPP_MSG_REPLY || m.handle != lp->sport || m.seq == 0 ||
	    m.seq > (uint32_t)lp->sent || lp->probes[m.seq - 1].status != LSPP_PENDING) {
		pkt_free(payload);
		return;
	}
	pkt_free(payload);
	pr = &lp->probes[m.seq - 1];
	pr->status = LSPP_REPLY;
	pr->rc = m.rc;
	pr->rsc = m.rsc;
	pr->from = src;
	pr->rtt = node_now(lp->node) - pr->sent;
	pr->have_stack = m.have_stack;
	pr->rx_addr = m.rx_addr;
	pr->nlabels = m.nlabels;
	memcpy(pr->labels, m.labels, sizeof(pr->labels));
	if (m.rc == LSPP_RC_EGRESS) {
		lp->received++;
		lp->sum += pr->rtt;
		lp->min = lp->received == 1 ? pr->rtt : MIN(lp->min, pr->rtt);
		lp->max = MAX(lp->max, pr->rtt);
	}
	reschedule(lp);
}

struct lsp_ping *
lsp_ping_start(struct node *n, const struct lsp_ping_opts *o, char *err, size_t errlen)
{
	struct lsp_ping *lp;
	struct lsp_path pa;

	if (!resolve(n, &o->fec, &pa, err, errlen))
		return NULL;
	lp = xcalloc(1, sizeof(*lp));
	lp->node = n;
	lp->o = *o;
	lp->first = pa;
	if (lp->o.count <= 0)
		lp->o.count = o->trace ? 30 : 5;
	if (lp->o.timeout <= 0)
		lp->o.timeout = 2 * SIM_S;
	/* The node's port generator (deterministic), skipping ports in use. */
	for (int tries = 0; lp->sock == NULL && tries < 1000; tries++) {
		lp->sport = n->ip->next_port++;
		if (lp->sport >= 1024)
			lp->sock = udp_bind(n, lp->sport, on_reply, lp);
	}
	if (lp->sock == NULL) {
		snprintf(err, errlen, "no free UDP port");
		free(lp);
		return NULL;
	}
	lp->probes = xcalloc((size_t)lp->o.count, sizeof(*lp->probes));
	timer_init(&lp->t, &n->actor, tick, lp);
	timer_set(&lp->t, 0);
	return lp;
}

void
lsp_ping_free(struct lsp_ping *lp)
{
	if (lp == NULL)
		return;
	timer_cancel(&lp->t);
	if (lp->node->ip != NULL)
		udp_close(lp->sock);
	free(lp->probes);
	free(lp);
}

bool
lsp_ping_reached(const struct lsp_ping *lp)
{
	return lp->received > 0;
}

/* --- answering ----------------------------------------------------------------------------------- */

/* Is fec one of n's own prefixes: an address of n, or a connected subnet of n's? */
static bool
own_prefix(const struct node *n, const struct prefix *fec)
{
	for (size_t i = 0; i < n->nifs; i++) {
		const struct iface *ifp = n->ifs[i];

		if (ifp->addr == 0 || !iface_is_up(ifp))
			continue;
		if ((fec->len == 32 && ifp->addr == fec->addr) ||
		    (fec->len == ifp->plen && (ifp->addr & ip_mask(ifp->plen)) == fec->addr))
			return true;
	}
	return false;
}

/*
 * The return code for request m whose top label (when it had one: depth
 * > 0) was switched or ran out here (RFC 8029 4.4, simplified): egress,
 * label switched, or the wrong label or no mapping for the FEC.
 */
static uint8_t
return_code(struct node *n, const struct lsp_echo *m, const uint32_t *lse, int depth)
{
	const struct ldp *l;
	const struct ldp_binding *f;

	if (!m->have_fec)
		return m->unknown_tlv ? LSPP_RC_UNKNOWN_TLV : LSPP_RC_MALFORMED;
	if (own_prefix(n, &m->fec))
		return LSPP_RC_EGRESS;
	if (depth == 0)
		return LSPP_RC_NO_MAPPING;
	/* A static LSP's label has no FEC to check against: it was switched, that is all. */
	l = ldp_running(n);
	f = l != NULL ? ldp_binding_find(l, &m->fec) : NULL;
	if (f != NULL && f->local != LDP_NO_LABEL && f->local != lse[0] >> 12)
		return LSPP_RC_WRONG_LABEL;
	return LSPP_RC_SWITCHED;
}

/* Answer request m (the UDP payload msg, from src:sport, arrived on ifp under lse). */
static void
reply(struct iface *ifp, const struct lsp_echo *req, uint32_t src, uint16_t sport,
    const uint32_t *lse, int depth)
{
	struct node *n = ifp->node;
	struct lsp_echo m = *req;
	struct ip4_out o = {0};
	struct pkt *p;

	if (req->mode != LSPP_MODE_UDP && req->mode != LSPP_MODE_UDP_RA)
		return; /* 1: do not reply; 4: application-level control channel (not supported) */
	m.type = LSPP_MSG_REPLY;
	m.rc = return_code(n, req, lse, depth);
	m.rsc = m.rc == LSPP_RC_MALFORMED || m.rc == LSPP_RC_UNKNOWN_TLV ? 0 : 1;
	m.have_fec = false;
	m.ts_rcvd = ntp_time(node_now(n)); /* Timestamp Sent, handle, sequence: the request's (4.5) */
	m.have_stack = true;
	m.rx_addr = ifp->addr;
	m.nlabels = (uint8_t)MIN(depth, LABEL_STACK_MAX);
	for (int i = 0; i < m.nlabels; i++)
		m.labels[i] = lse[i];
	p = pkt_new(LSPP_MSG_MAX);
	p->len = lsp_echo_build(&m, p->data);
	o.dst = src;
	o.ttl = LSPP_REPLY_TTL;
	udp_send(n, p, LSP_PING_PORT, sport, &o);
}

/* The UDP header of datagram ip (IPv4, its header parsed into h): an echo request to 127/8? */
static bool
is_request(const struct pkt *ip, struct ip4_hdr *h)
{
	return ip4_parse(ip->data, ip->len, h) == 0 && h->proto == IPPROTO_UDP_ &&
	    h->dst >> 24 == 127 && h->len >= h->hlen + UDP_HLEN &&
	    get16(ip->data + h->hlen + 2) == LSP_PING_PORT;
}

bool
lsp_ping_expired(struct iface *ifp, struct pkt *ip, const uint32_t *lse, int depth)
{
	struct ip4_hdr h;
	struct lsp_echo m;
	const uint8_t *u;

	if (ifp->node->type != NODE_ROUTER || !is_request(ip, &h))
		return false;
	u = ip->data + h.hlen;
	if (lsp_echo_parse(u + UDP_HLEN, (size_t)(h.len - h.hlen - UDP_HLEN), &m) == 0 &&
	    m.type == LSPP_MSG_REQUEST)
		reply(ifp, &m, h.src, get16(u), lse, depth);
	pkt_free(ip);
	return true;
}

bool
lsp_ping_rx(const void *arg UNUSED, const struct rx_ctx *c, struct pkt *payload)
{
	struct lsp_echo m;

	if (c->ifp->node->type != NODE_ROUTER)
		return false;
	if (lsp_echo_parse(payload->data, payload->len, &m) == 0 && m.type == LSPP_MSG_REQUEST)
		reply(c->ifp, &m, c->ip->src, c->sport, NULL, 0);
	pkt_free(payload);
	return true;
}
