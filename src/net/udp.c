/* udp.c: UDP sockets, checksums with the pseudo-header (RFC 768). */
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"
#include "../lib/cksum.h"
#include "../lib/util.h"
#include "demux.h"
#include "flow.h"
#include "icmp.h"
#include "udp.h"
#include "vrf.h"

struct udp_sock *
udp_bind(struct node *n, uint16_t port, udp_rx_fn fn, void *arg)
{
	return udp_bind_vrf(n, VRF_DEFAULT, port, fn, arg);
}

/* The socket bound to port in VRF vrf, or NULL. */
static struct udp_sock *
find_sock(const struct node *n, uint16_t vrf, uint16_t port)
{
	struct udp_sock *s;

	for (s = n->ip->udp; s; s = s->next)
		if (s->port == port && s->vrf == vrf)
			break;
	return s;
}

struct udp_sock *
udp_bind_vrf(struct node *n, uint16_t vrf, uint16_t port, udp_rx_fn fn, void *arg)
{
	struct udp_sock *s;

	if (find_sock(n, vrf, port) != NULL)
		return NULL;
	s = xcalloc(1, sizeof(*s));
	s->node = n;
	s->port = port;
	s->vrf = vrf;
	s->fn = fn;
	s->arg = arg;
	s->next = n->ip->udp;
	n->ip->udp = s;
	return s;
}

void
udp_close(struct udp_sock *s)
{
	struct udp_sock **pp;

	if (s == NULL)
		return;
	for (pp = &s->node->ip->udp; *pp; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	free(s);
}

void
udp_input(struct iface *ifp, struct pkt *p, const struct ip4_hdr *h)
{
	struct node *n = ifp->node;
	const uint8_t *u = p->data + h->hlen;
	size_t len = (size_t)h->len - h->hlen;
	uint16_t ulen, sport, dport;
	struct udp_sock *s;
	struct pkt *payload;
	struct rx_ctx ctx = {0};

	if (len < UDP_HLEN || (ulen = get16(u + 4)) < UDP_HLEN || ulen > len) {
		ifp->st.rx_drops++;
		pkt_free(p);
		return;
	}
	if (get16(u + 6) != 0 &&
	    inet_fold(inet_sum(u, ulen, inet_pseudo(h->src, h->dst, IPPROTO_UDP_, ulen))) != 0) {
		ifp->st.rx_drops++;
		pkt_free(p);
		return;
	}
	sport = get16(u);
	dport = get16(u + 2);
	/* Probe flows (flow.h) are counted here, before a copy of the payload is made. */
	if (dport == FLOW_PORT && n->net->flows != NULL &&
	    flow_rx(n, u + UDP_HLEN, ulen - UDP_HLEN)) {
		pkt_free(p);
		return;
	}
	s = find_sock(n, ifp->vrf, dport); /* a datagram belongs to its interface's VRF */
	payload = pkt_from(u + UDP_HLEN, ulen - UDP_HLEN);
	pkt_trace_copy(payload, p);
	if (s != NULL) {
		pkt_free(p);
		s->fn(s, ifp, payload, h->src, sport, h->dst, dport);
		return;
	}
	/* A protocol's well-known port (BFD, LDP discovery...), on nodes that run it. */
	ctx.ifp = ifp;
	ctx.ip = h;
	ctx.sport = sport;
	ctx.dport = dport;
	if (demux_input(DEMUX_UDP, dport, &ctx, payload)) {
		pkt_free(p);
		return;
	}
	pkt_free(payload);
	/* RFC 1122 4.1.3.1: port unreachable (what answers traceroute probes). */
	if (h->dst != IP_BCAST && (h->dst >> 28) != 14)
		icmp_error(n, ifp, p, ICMP_UNREACH, ICMP_UNREACH_PORT, 0);
	pkt_free(p);
}

int
udp_send(struct node *n, struct pkt *p, uint16_t sport, uint16_t dport, const struct ip4_out *o)
{
	struct ip4_out out = *o;
	uint8_t *u = pkt_push(&p, UDP_HLEN);
	uint16_t len = (uint16_t)p->len;
	uint32_t src = out.src;
	uint16_t ck;

	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, len);
	put16(u + 6, 0);
	out.proto = IPPROTO_UDP_;
	if (src == 0) {
		/* The checksum covers the source address: pick it now, as ip4_output would. */
		src = out.oif ? out.oif->addr : ip4_route_source_vrf(n, out.vrf, out.dst);
		out.src = src;
	}
	ck = inet_fold(inet_sum(u, len, inet_pseudo(src, out.dst, IPPROTO_UDP_, len)));
	put16(u + 6, ck ? ck : 0xffff);
	return ip4_output(n, p, &out);
}
