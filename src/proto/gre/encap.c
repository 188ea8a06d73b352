/*
 * encap.c: GRE's data plane: encapsulation (tunnel_ops.output) and
 * decapsulation (IP protocol 47), RFC 2784 with RFC 2890's key and
 * sequence number.
 *
 * The IP layer has already fragmented a datagram to the tunnel's MTU (or
 * sent the sender ICMP "fragmentation needed" with that MTU when DF is set,
 * RFC 1191), so the outer datagram is the inner one plus 24 to 36 octets and
 * fits the underlay at the default MTU. Outer header (RFC 4459 section 3's
 * common behaviour): TOS copied from the inner header, TTL 255 or the
 * inner's (`ttl: inherit`), DF copied, set or cleared (`df:`).
 */
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/cksum.h"
#include "../../lib/util.h"
#include "../../net/ip4.h"
#include "gre.h"

/* The tunnel's GRE header (of hlen octets) at h, for a payload of protocol type. */
static void
put_header(const struct gre_tun *t, uint8_t *h, uint16_t type, uint32_t seq)
{
	unsigned off = 4;

	put16(h, gre_flags(t));
	put16(h + 2, type);
	if (t->csum) {
		put32(h + off, 0); /* checksum (filled in last), then Reserved1 (RFC 2784 2.5, 2.6) */
		off += 4;
	}
	if (t->has_key) {
		put32(h + off, t->key);
		off += 4;
	}
	if (t->seq)
		put32(h + off, seq);
}

/* Encapsulate an IPv4 datagram (p from its IP header) and send it to the far end. */
static void
encap(struct gre_tun *t, struct pkt *p)
{
	unsigned hlen = gre_hlen(t);
	bool df;
	uint8_t tos, ttl;
	uint8_t *h;

	df = (get16(p->data + 6) & IP_DF) != 0;
	tos = p->data[1];
	ttl = p->data[8];
	h = pkt_push(&p, hlen);
	put_header(t, h, GRE_PT_IPV4, t->seq ? t->tx_seq++ : 0);
	/* RFC 2784 2.5: over the GRE header and the payload, the checksum field zero. */
	if (t->csum)
		put16(h + 4, inet_cksum(p->data, p->len));
	if (t->df != GRE_DF_COPY)
		df = t->df == GRE_DF_SET;
	t->sending = true;
	ip4_output(t->g->node, p, &(struct ip4_out){.proto = IPPROTO_GRE, .src = gre_src_addr(t),
	    .dst = t->dst, .ttl = t->ttl ? t->ttl : ttl, .tos = tos, .df = df});
	t->sending = false;
}

void
gre_output(struct iface *ifp, struct pkt *p, uint32_t nexthop UNUSED)
{
	struct gre_tun *t = ifp->tun_priv;

	if (!t->up) {
		t->st.drop_down++;
		pkt_free(p);
		return;
	}
	/*
	 * A datagram that comes back here while the tunnel sends: its
	 * destination routes through the tunnel itself, and gre_eval has not
	 * yet heard of the route that did it. Drop rather than recurse.
	 */
	if (t->sending) {
		t->st.drop_loop++;
		pkt_free(p);
		return;
	}
	t->st.encaps++;
	encap(t, p);
}

/*
 * A Cisco-style keepalive: a GRE packet to the far end whose payload is an
 * IPv4 datagram from the far end back to us carrying an empty GRE packet
 * (protocol type 0). The far end decapsulates it and routes the inner
 * datagram back like any other, so the reply proves both directions and
 * the far end's tunnel, without the far end running keepalives itself.
 */
void
gre_keepalive_send(struct gre_tun *t)
{
	unsigned hlen = gre_hlen(t);
	struct pkt *p;

	if (t->sending)
		return;
	p = pkt_new(IP_HLEN + hlen);
	put_header(t, p->data + IP_HLEN, 0, 0);
	if (t->csum)
		put16(p->data + IP_HLEN + 4, inet_cksum(p->data + IP_HLEN, hlen));
	ip4_build(p->data, &(struct ip4_hdr){.len = (uint16_t)(IP_HLEN + hlen), .ttl = 255,
	    .proto = IPPROTO_GRE, .src = t->dst, .dst = gre_src_addr(t)});
	p->cls = PKT_PERIODIC;
	t->st.ka_sent++;
	encap(t, p);
}

/* The tunnel a packet from src to dst with this key belongs to. */
static struct gre_tun *
find(struct gre *g, uint32_t src, uint32_t dst, bool has_key, uint32_t key)
{
	for (size_t i = 0; i < g->n; i++) {
		struct gre_tun *t = g->tun[i];

		if (t->dst != src || gre_src_addr(t) != dst)
			continue;
		/* RFC 2890 2.1: a keyed tunnel takes only its key, an unkeyed one only no key. */
		if (t->has_key == has_key && (!has_key || t->key == key))
			return t;
	}
	return NULL;
}

/* RFC 2890 2.2: accept only a sequence number after the last one taken (serial arithmetic). */
static bool
in_sequence(struct gre_tun *t, bool has_seq, uint32_t seq)
{
	if (!t->seq)
		return true; /* not configured: a sender's numbers are ignored */
	if (!has_seq)
		return false;
	if (t->rx_seq_valid && (int32_t)(seq - t->rx_seq) <= 0)
		return false;
	t->rx_seq = seq;
	t->rx_seq_valid = true;
	return true;
}

/*
 * The far end's keepalive (GRE inside the GRE, to be routed back to it) is
 * reflected even while keepalives hold this tunnel down: otherwise two ends
 * that both lost the other could never come back.
 */
static bool
reflects_keepalive(const struct gre_tun *t, uint16_t type, const struct pkt *p, unsigned hlen)
{
	return t->ka_down && t->ifp->admin_up && t->reason != NULL &&
	       strcmp(t->reason, "keepalive") == 0 && type == GRE_PT_IPV4 &&
	       p->len >= hlen + IP_HLEN && p->data[hlen + 9] == IPPROTO_GRE;
}

static void
drop(struct pkt *p, uint64_t *counter)
{
	(*counter)++;
	pkt_free(p);
}

void
gre_input(struct proto_inst *pi, const struct rx_ctx *c, struct pkt *p)
{
	struct gre *g = gre_of(pi);
	struct gre_tun *t;
	uint16_t flags, type;
	unsigned hlen, off = 4;
	uint32_t key = 0, seq = 0;

	if (p->len < 4)
		return drop(p, &g->bad_header);
	flags = get16(p->data);
	type = get16(p->data + 2);
	/*
	 * RFC 2784 2.3.1, 2.4.1: version 0 only; routing, strict source route
	 * and recursion control (RFC 1701) are refused. Bits 6-12 are ignored.
	 */
	if ((flags & (GRE_VERSION | GRE_R | GRE_SSR | GRE_RECUR)) != 0)
		return drop(p, &g->bad_header);
	hlen = gre_hdr_len(flags);
	if (p->len < hlen)
		return drop(p, &g->bad_header);
	if (flags & GRE_C)
		off += 4;
	if (flags & GRE_K) {
		key = get32(p->data + off);
		off += 4;
	}
	if (flags & GRE_S)
		seq = get32(p->data + off);
	t = find(g, c->ip->src, c->ip->dst, (flags & GRE_K) != 0, key);
	if (t == NULL)
		return drop(p, &g->no_tunnel);
	/* Our keepalive, back from the far end (taken even while keepalives hold the tunnel down). */
	if (type == 0 && p->len == hlen && t->ka_interval != 0) {
		if ((flags & GRE_C) != 0 && inet_cksum(p->data, p->len) != 0)
			return drop(p, &t->st.drop_cksum);
		pkt_free(p);
		gre_keepalive_reply(t);
		return;
	}
	if (!iface_is_up(t->ifp) && !reflects_keepalive(t, type, p, hlen))
		return drop(p, &t->st.drop_down);
	/* A tunnel with `checksum: true` wants one (as Linux's icsum); any present one is checked. */
	if (((flags & GRE_C) == 0 && t->csum) ||
	    ((flags & GRE_C) != 0 && inet_cksum(p->data, p->len) != 0))
		return drop(p, &t->st.drop_cksum);
	if (!in_sequence(t, (flags & GRE_S) != 0, seq))
		return drop(p, &t->st.drop_seq);
	pkt_pull(p, hlen);
	t->st.decaps++;
	t->ifp->st.rx_pkts++;
	t->ifp->st.rx_bytes += p->len;
	/* The payload's protocol type (RFC 2784 2.4): IPv4; MPLS (0x8847) when netsim forwards it. */
	switch (type) {
	case GRE_PT_IPV4:
		ip4_input(t->ifp, p);
		return;
	default:
		return drop(p, &t->st.drop_proto);
	}
}
