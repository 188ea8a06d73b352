/*
 * ip4.c: IPv4 input, local delivery, forwarding (RFC 791, RFC 1812) and output.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"
#include "../lib/cksum.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include "arp.h"
#include "demux.h"
#include "eth.h"
#include "fib.h"
#include "flow.h"
#include "icmp.h"
#include "ip4.h"
#include "mpls.h"
#include "udp.h"
#include "vrf.h"

void
ip_state_init(struct node *n)
{
	n->ip = xcalloc(1, sizeof(*n->ip));
	n->ip->ident = (uint16_t)rng_next(&n->rng);
	n->ip->next_icmp_id = (uint16_t)(n->id * 256 + 1);
	n->ip->next_port = 49152;
}

void
ip_state_free(struct node *n)
{
	struct udp_sock *s, *next;

	if (n->ip == NULL)
		return;
	ip4_reasm_flush(n);
	for (s = n->ip->udp; s; s = next) {
		next = s->next;
		free(s);
	}
	free(n->ip);
	n->ip = NULL;
}

int
ip4_parse(const uint8_t *p, size_t len, struct ip4_hdr *h)
{
	if (len < IP_HLEN || p[0] >> 4 != 4)
		return -1;
	h->hlen = (uint8_t)((p[0] & 15) * 4);
	if (h->hlen < IP_HLEN || h->hlen > len)
		return -1;
	h->tos = p[1];
	h->len = get16(p + 2);
	if (h->len < h->hlen || h->len > len)
		return -1;
	if (inet_cksum(p, h->hlen) != 0)
		return -1;
	h->id = get16(p + 4);
	h->frag = get16(p + 6);
	h->ttl = p[8];
	h->proto = p[9];
	h->cksum = get16(p + 10);
	h->src = get32(p + 12);
	h->dst = get32(p + 16);
	return 0;
}

void
ip4_build(uint8_t *p, const struct ip4_hdr *h)
{
	p[0] = 0x45;
	p[1] = h->tos;
	put16(p + 2, h->len);
	put16(p + 4, h->id);
	put16(p + 6, h->frag);
	p[8] = h->ttl;
	p[9] = h->proto;
	put16(p + 10, 0);
	put32(p + 12, h->src);
	put32(p + 16, h->dst);
	put16(p + 10, inet_cksum(p, IP_HLEN));
}

static bool
is_mcast(uint32_t a)
{
	return (a >> 28) == 14;
}

bool
ip4_is_for_us(const struct iface *ifp, uint32_t dst)
{
	if (dst == IP_BCAST || is_mcast(dst))
		return true;
	if (ifp->addr && ifp->plen < 31 && dst == (ifp->addr | ~ip_mask(ifp->plen)))
		return true;
	return node_is_local_vrf(ifp->node, ifp->vrf, dst);
}

static void
deliver(struct iface *ifp, struct pkt *p, struct ip4_hdr *h)
{
	struct node *n = ifp->node;
	struct rx_ctx ctx;

	if (h->frag & (IP_MF | IP_OFFMASK)) {
		struct pkt *whole = ip4_reassemble(n, p, h);

		if (whole == NULL)
			return;
		p = whole;
		if (ip4_parse(p->data, p->len, h) < 0) {
			pkt_free(p);
			return;
		}
	}
	n->ip->st.in_delivers++;
	ctx.ifp = ifp;
	ctx.eth = NULL;
	ctx.ip = h;
	if (demux_input(DEMUX_IPPROTO, h->proto, &ctx, p))
		return;
	n->ip->st.in_unknown_protos++;
	if (!is_mcast(h->dst) && h->dst != IP_BCAST)
		icmp_error(n, ifp, p, ICMP_UNREACH, ICMP_UNREACH_PROTO, 0);
	pkt_free(p);
}

/*
 * The interface that stands for VRF vrf when a datagram enters it without
 * arriving on one of its interfaces (an egress PE's VPN label, mpls.c): the
 * first of its interfaces that is up with an address, whose address ICMP
 * errors come from (as Linux answers from an address of the VRF device's
 * members); NULL when it has none (then routing picks the source).
 */
static struct iface *
vrf_standin(struct node *n, uint16_t vrf)
{
	for (size_t i = 0; i < n->nifs; i++)
		if (n->ifs[i]->vrf == vrf && n->ifs[i]->addr != 0 && iface_is_up(n->ifs[i]))
			return n->ifs[i];
	return NULL;
}

/* An ICMP error about a datagram routed in vrf, which came in on in. */
static void
forward_error(struct node *n, struct iface *in, uint16_t vrf, struct pkt *p, uint8_t type,
    uint8_t code)
{
	if (in->vrf != vrf)
		in = vrf_standin(n, vrf);
	if (in != NULL)
		icmp_error(n, in, p, type, code, 0);
	else
		icmp_error_vrf(n, vrf, p, type, code, 0);
}

/* Forward a datagram that came in on in with vrf's table (in's own VRF, or a VPN label's). */
static void
forward(struct iface *in, uint16_t vrf, struct pkt *p, struct ip4_hdr *h)
{
	struct node *n = in->node;
	struct rib *rib = node_rib(n, vrf);
	struct fib_entry fe;
	const struct nexthop *nh;
	struct iface *out;

	if (is_mcast(h->dst) || h->dst == IP_BCAST || h->src == 0) {
		pkt_free(p);
		return;
	}
	/* RFC 1812 5.3.1: a datagram whose TTL would reach zero is not forwarded. */
	if (h->ttl <= 1) {
		n->ip->st.ttl_exceeded++;
		if (n->net->flows != NULL)
			flow_dropped(n, p->data, p->len, FLOW_LOOPED);
		forward_error(n, in, vrf, p, ICMP_TIMXCEED, ICMP_TIMXCEED_INTRANS);
		pkt_free(p);
		return;
	}
	if (!fib_lookup(rib, h->dst, &fe)) {
		n->ip->st.no_route++;
		if (n->net->flows != NULL)
			flow_dropped(n, p->data, p->len, FLOW_BLACKHOLED);
		forward_error(n, in, vrf, p, ICMP_UNREACH, ICMP_UNREACH_NET);
		pkt_free(p);
		return;
	}
	if (fe.nhg == NULL) {
		/* A blackhole route: discard silently, as Null0 does. */
		if (n->net->flows != NULL)
			flow_dropped(n, p->data, p->len, FLOW_BLACKHOLED);
		pkt_free(p);
		return;
	}
	nh = fib_select_up(n, &fe, h->src, h->dst);
	out = n->ifs[nh->ifindex];
	/* Out of an interface that is down (no protocol has moved the route yet): lost here. */
	if (n->net->flows != NULL && !iface_is_up(out))
		flow_dropped(n, p->data, p->len, FLOW_BLACKHOLED);
	ip4_set_ttl(p->data, (uint8_t)(h->ttl - 1));
	n->ip->st.forwarded++;
	if (nh->labels != 0)
		mpls_ip_output(out, nh->gw ? nh->gw : h->dst, p, rib_labels(rib, nh->labels), true);
	else
		ip4_send_on(out, nh->gw ? nh->gw : h->dst, p, true);
}

void
ip4_set_ttl(uint8_t *hdr, uint8_t ttl)
{
	uint32_t sum = (uint16_t)~get16(hdr + 10);

	sum += (uint16_t)~get16(hdr + 8);
	hdr[8] = ttl;
	sum += get16(hdr + 8);
	put16(hdr + 10, inet_fold(sum));
}

/* A datagram that arrived on ifp, to be taken in VRF vrf (ifp's own, or a VPN label's). */
static void
input(struct iface *ifp, uint16_t vrf, struct pkt *p)
{
	struct node *n = ifp->node;
	struct ip4_hdr h;
	bool own = vrf == ifp->vrf;

	n->ip->st.in_receives++;
	if (ip4_parse(p->data, p->len, &h) < 0) {
		n->ip->st.in_hdr_errors++;
		ifp->st.rx_drops++;
		pkt_free(p);
		return;
	}
	pkt_trim(p, h.len); /* Ethernet padding */
	pkt_trace_add(p, n->id);
	if (own && ip4_is_for_us(ifp, h.dst)) {
		deliver(ifp, p, &h);
		return;
	}
	/* Through a VPN label: for an address of the VRF, delivered as if it came in there. */
	if (!own && node_is_local_vrf(n, vrf, h.dst)) {
		deliver(node_iface_with_addr_vrf(n, vrf, h.dst), p, &h);
		return;
	}
	/*
	 * RFC 1812 5.3.7: 127/8 is never forwarded. A router takes UDP to it
	 * as its own: an MPLS echo request reaches an LSP's egress that way
	 * (RFC 8029 4.3, lsp_ping.h); anything else there is dropped.
	 */
	if (own && h.dst >> 24 == 127 && n->type == NODE_ROUTER && h.proto == IPPROTO_UDP_) {
		deliver(ifp, p, &h);
		return;
	}
	if (n->type != NODE_ROUTER || h.dst >> 24 == 127) {
		n->ip->st.in_addr_errors++;
		pkt_free(p);
		return;
	}
	forward(ifp, vrf, p, &h);
}

void
ip4_input(struct iface *ifp, struct pkt *p)
{
	input(ifp, ifp->vrf, p);
}

void
ip4_input_vrf(struct iface *ifp, uint16_t vrf, struct pkt *p)
{
	input(ifp, vrf, p);
}

struct frag_ctx {
	struct iface *ifp;
	uint32_t nh;
};

static void
resolve_and_send(struct pkt *p, void *arg)
{
	struct frag_ctx *c = arg;
	uint32_t dst = get32(p->data + 16);
	uint8_t mac[6];

	if (c->ifp->kind == IF_TUNNEL) {
		c->ifp->st.tx_pkts++;
		c->ifp->st.tx_bytes += p->len;
		c->ifp->tun->output(c->ifp, p, c->nh);
	} else if (dst == IP_BCAST || (c->ifp->plen < 31 && c->ifp->addr &&
				   dst == (c->ifp->addr | ~ip_mask(c->ifp->plen)))) {
		eth_output(c->ifp, eth_bcast, ETHERTYPE_IP, p);
	} else if (is_mcast(dst)) {
		eth_ip_mcast(dst, mac);
		eth_output(c->ifp, mac, ETHERTYPE_IP, p);
	} else {
		arp_output(c->ifp, c->nh, p);
	}
}

void
ip4_send_on(struct iface *ifp, uint32_t nh, struct pkt *p, bool forwarded)
{
	struct node *n = ifp->node;
	struct frag_ctx c = {ifp, nh};

	if (p->len <= ifp->mtu) {
		resolve_and_send(p, &c);
		return;
	}
	if (get16(p->data + 6) & IP_DF) {
		n->ip->st.frag_fails++;
		if (forwarded) /* routed back in the VRF it was forwarded in */
			icmp_error_vrf(n, ifp->vrf, p, ICMP_UNREACH, ICMP_UNREACH_NEEDFRAG, ifp->mtu);
		ifp->st.tx_drops++;
		pkt_free(p);
		return;
	}
	n->ip->st.frag_creates += (uint64_t)ip4_fragment(p, ifp->mtu, resolve_and_send, &c);
}

/* Datagrams a node sends to one of its own addresses loop back through an event. */
struct loop_ev {
	struct timer t;
	struct iface *ifp;
	struct pkt *p;
};

static void
loop_fire(struct timer *t)
{
	struct loop_ev *ev = container_of(t, struct loop_ev, t);

	ip4_input(ev->ifp, ev->p);
	free(ev);
}

static void
loop_discard(struct timer *t)
{
	struct loop_ev *ev = container_of(t, struct loop_ev, t);

	pkt_free(ev->p);
	free(ev);
}

static struct iface *
iface_with_addr(struct node *n, uint16_t vrf, uint32_t a)
{
	for (size_t i = 0; i < n->nifs; i++)
		if (n->ifs[i]->addr == a && n->ifs[i]->vrf == vrf)
			return n->ifs[i];
	return NULL;
}

/* ip4_route in a VRF, and the label stack number of the next hop (0: none). */
static bool
route(struct node *n, uint16_t vrf, uint32_t src, uint32_t dst, struct iface **oif,
    uint32_t *nh, uint16_t *labels)
{
	struct iface *self = iface_with_addr(n, vrf, dst);
	struct fib_entry fe;
	const struct nexthop *hop;

	*labels = 0;
	if (self != NULL && iface_is_up(self)) {
		*oif = self;
		*nh = dst;
		return true;
	}
	if (!fib_lookup(node_rib(n, vrf), dst, &fe) || fe.nhg == NULL)
		return false;
	hop = fib_select_up(n, &fe, src, dst);
	*oif = n->ifs[hop->ifindex];
	*nh = hop->gw ? hop->gw : dst;
	*labels = hop->labels;
	return true;
}

bool
ip4_route(struct node *n, uint32_t src, uint32_t dst, struct iface **oif, uint32_t *nh)
{
	return ip4_route_vrf(n, VRF_DEFAULT, src, dst, oif, nh);
}

bool
ip4_route_vrf(struct node *n, uint16_t vrf, uint32_t src, uint32_t dst, struct iface **oif,
    uint32_t *nh)
{
	uint16_t labels;

	return route(n, vrf, src, dst, oif, nh, &labels);
}

uint32_t
ip4_route_source(struct node *n, uint32_t dst)
{
	return ip4_route_source_vrf(n, VRF_DEFAULT, dst);
}

uint32_t
ip4_route_source_vrf(struct node *n, uint16_t vrf, uint32_t dst)
{
	struct iface *oif;
	uint32_t nh;
	uint16_t labels;

	return route(n, vrf, 0, dst, &oif, &nh, &labels) ? oif->addr : 0;
}

int
ip4_output(struct node *n, struct pkt *p, const struct ip4_out *o)
{
	struct ip4_hdr h = {0};
	struct iface *oif = o->oif;
	uint32_t nh = o->nexthop ? o->nexthop : o->dst;
	uint8_t *hdr;
	uint16_t labels = 0;

	n->ip->st.out_requests++;
	if (oif == NULL && !route(n, o->vrf, o->src, o->dst, &oif, &nh, &labels)) {
		n->ip->st.out_no_route++;
		pkt_free(p);
		return -1;
	}
	h.src = o->src ? o->src : oif->addr;
	h.dst = o->dst;
	h.proto = o->proto;
	h.ttl = o->ttl ? o->ttl : IP_DEFAULT_TTL;
	h.tos = o->tos;
	h.len = (uint16_t)(p->len + IP_HLEN);
	h.id = n->ip->ident++;
	h.frag = o->df ? IP_DF : 0;
	hdr = pkt_push(&p, IP_HLEN);
	ip4_build(hdr, &h);
	pkt_trace_add(p, n->id);
	/* A probe routed out of an interface that is down (flow.h): lost at its source. */
	if (n->net->flows != NULL && !iface_is_up(oif))
		flow_dropped(n, p->data, p->len, FLOW_BLACKHOLED);
	if (oif->addr == o->dst && o->oif == NULL) {
		struct loop_ev *ev = xmalloc(sizeof(*ev));

		timer_init_new(&ev->t, &n->actor, loop_fire, NULL);
		ev->t.discard = loop_discard;
		ev->ifp = oif;
		ev->p = p;
		timer_set(&ev->t, 0);
		return 0;
	}
	if (labels != 0)
		mpls_ip_output(oif, nh, p, rib_labels(node_rib(n, o->vrf), labels), false);
	else
		ip4_send_on(oif, nh, p, false);
	return 0;
}
