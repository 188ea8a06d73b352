/* icmp.c: ICMP echo and errors (RFC 792, RFC 1812 4.3). */
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"
#include "../lib/cksum.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include "icmp.h"
#include "ip4.h"
#include "vrf.h"

#define ICMP_HLEN 8
/* RFC 1812 4.3.2.3: quote as much as fits in a 576-byte datagram. */
#define ICMP_ERR_MAXLEN 576
/* RFC 4884 5: with an extension, the original datagram field is 128 octets here (as Linux). */
#define ICMP_EXT_ORIGLEN 128
#define ICMP_EXT_VERSION 2
#define ICMP_EXT_MPLS_CLASS 1 /* RFC 4950 7: MPLS label stack class, C-Type 1 */

void
icmp_watch_add(struct node *n, struct icmp_watch *w)
{
	w->next = n->ip->icmp_watch;
	n->ip->icmp_watch = w;
}

void
icmp_watch_del(struct node *n, struct icmp_watch *w)
{
	struct icmp_watch **pp;

	for (pp = &n->ip->icmp_watch; *pp; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			return;
		}
}

static void
set_cksum(struct pkt *p)
{
	put16(p->data + 2, 0);
	put16(p->data + 2, inet_cksum(p->data, p->len));
}

static void
notify(struct node *n, const struct icmp_msg *m)
{
	for (struct icmp_watch *w = n->ip->icmp_watch, *next; w; w = next) {
		next = w->next;
		if (w->fn(n, m, w->arg))
			return;
	}
}

static void
echo_reply(struct iface *ifp, struct pkt *p, const struct ip4_hdr *h)
{
	struct node *n = ifp->node;
	struct pkt *r = pkt_from(p->data + h->hlen, (size_t)h->len - h->hlen);
	struct ip4_out o = {0};

	r->data[0] = ICMP_ECHOREPLY;
	r->data[1] = 0;
	set_cksum(r);
	pkt_trace_copy(r, p);
	/* Reply from the address that was pinged, unless it was a broadcast; in its VRF. */
	o.src = node_is_local_vrf(n, ifp->vrf, h->dst) ? h->dst : ifp->addr;
	o.vrf = ifp->vrf;
	o.dst = h->src;
	o.proto = IPPROTO_ICMP_;
	n->ip->st.icmp_out++;
	ip4_output(n, r, &o);
}

int
icmp_ext_mpls(const uint8_t *m, size_t len, uint32_t *lse, int max)
{
	size_t orig = (size_t)m[5] * 4, off;
	const uint8_t *x;
	int n = 0;

	/*
	 * RFC 4884 5.5: a message from before RFC 4884 (length 0) carries an
	 * extension after exactly 128 octets, recognised by its version and
	 * checksum, as tcpdump and Wireshark accept it.
	 */
	if (orig == 0)
		orig = ICMP_EXT_ORIGLEN;
	else if (orig < ICMP_EXT_ORIGLEN)
		return 0; /* 5.1: with an extension the field is at least 128 octets; this has none */
	off = ICMP_HLEN + orig;
	if (off + 4 > len)
		return 0;
	x = m + off;
	if (x[0] >> 4 != ICMP_EXT_VERSION)
		return 0;
	if (get16(x + 2) != 0 && inet_cksum(x, len - off) != 0)
		return m[5] == 0 ? 0 : -1;
	for (size_t o = 4; o < len - off;) {
		size_t olen = o + 4 <= len - off ? get16(x + o) : 0;

		if (olen < 4 || o + olen > len - off)
			return -1;
		if (x[o + 2] == ICMP_EXT_MPLS_CLASS && x[o + 3] == 1)
			for (size_t k = o + 4; k + 4 <= o + olen && n < max; k += 4)
				lse[n++] = get32(x + k);
		o += olen;
	}
	return n;
}

void
icmp_input(struct iface *ifp, struct pkt *p, const struct ip4_hdr *h)
{
	struct node *n = ifp->node;
	const uint8_t *m = p->data + h->hlen;
	size_t len = (size_t)h->len - h->hlen;
	struct icmp_msg msg = {0};

	n->ip->st.icmp_in++;
	if (len < ICMP_HLEN || inet_cksum(m, len) != 0) {
		ifp->st.rx_drops++;
		pkt_free(p);
		return;
	}
	msg.type = m[0];
	msg.code = m[1];
	msg.from = h->src;
	msg.ttl = h->ttl;
	msg.p = p;
	switch (msg.type) {
	case ICMP_ECHO:
		echo_reply(ifp, p, h);
		break;
	case ICMP_ECHOREPLY:
		msg.id = get16(m + 4);
		msg.seq = get16(m + 6);
		notify(n, &msg);
		break;
	case ICMP_UNREACH:
	case ICMP_TIMXCEED: {
		struct ip4_hdr q;
		const uint8_t *qp = m + ICMP_HLEN;
		size_t qlen = len - ICMP_HLEN;

		/* The quoted header: its checksum is intact, its length may be cut. */
		if (qlen < IP_HLEN || qp[0] >> 4 != 4 || (size_t)(qp[0] & 15) * 4 > qlen)
			break;
		q.hlen = (uint8_t)((qp[0] & 15) * 4);
		q.len = get16(qp + 2);
		q.id = get16(qp + 4);
		q.ttl = qp[8];
		q.proto = qp[9];
		q.src = get32(qp + 12);
		q.dst = get32(qp + 16);
		msg.quoted = &q;
		msg.qdata = qp + q.hlen;
		msg.qlen = qlen - q.hlen;
		if ((size_t)m[5] * 4 <= qlen && (size_t)m[5] * 4 >= q.hlen) {
			int k = icmp_ext_mpls(m, len, msg.lse, ICMP_MPLS_MAX);

			/* RFC 4884: the original datagram is what the length says; an extension follows. */
			if (m[5] != 0)
				msg.qlen = (size_t)m[5] * 4 - q.hlen;
			msg.nlabels = (uint8_t)MAX(k, 0);
		}
		msg.mtu = msg.type == ICMP_UNREACH && msg.code == ICMP_UNREACH_NEEDFRAG ?
		    get16(m + 6) : 0;
		if (q.proto == IPPROTO_ICMP_ && msg.qlen >= 8) {
			msg.id = get16(msg.qdata + 4);
			msg.seq = get16(msg.qdata + 6);
		}
		notify(n, &msg);
		break;
	}
	default:
		break;
	}
	pkt_free(p);
}

static struct pkt *error_build(struct node *, struct iface *, uint16_t, const struct pkt *,
    uint8_t, uint8_t, uint16_t, const uint32_t *, int, struct ip4_out *);

/* An error goes back in the VRF of the interface the datagram came in on. */
static uint16_t
vrf_of(const struct iface *in)
{
	return in != NULL ? in->vrf : VRF_DEFAULT;
}

void
icmp_error(struct node *n, struct iface *in, const struct pkt *p, uint8_t type, uint8_t code,
    uint16_t mtu)
{
	struct ip4_out o;
	struct pkt *e = error_build(n, in, vrf_of(in), p, type, code, mtu, NULL, 0, &o);

	if (e != NULL)
		ip4_output(n, e, &o);
}

void
icmp_error_vrf(struct node *n, uint16_t vrf, const struct pkt *p, uint8_t type, uint8_t code,
    uint16_t mtu)
{
	struct ip4_out o;
	struct pkt *e = error_build(n, NULL, vrf, p, type, code, mtu, NULL, 0, &o);

	if (e != NULL)
		ip4_output(n, e, &o);
}

void
icmp_error_labels(struct node *n, struct iface *in, const struct pkt *p, uint8_t type,
    uint8_t code, const uint32_t *lse, int nlse)
{
	struct ip4_out o;
	struct pkt *e = error_build(n, in, vrf_of(in), p, type, code, 0, lse, nlse, &o);

	if (e != NULL)
		ip4_output(n, e, &o);
}

struct pkt *
icmp_error_datagram(struct node *n, struct iface *in, const struct pkt *p, uint8_t type,
    uint8_t code, const uint32_t *lse, int nlse)
{
	struct ip4_out o;
	struct pkt *e = error_build(n, in, vrf_of(in), p, type, code, 0, lse, nlse, &o);
	struct ip4_hdr h = {0};

	if (e == NULL)
		return NULL;
	h.src = o.src ? o.src : ip4_route_source_vrf(n, o.vrf, o.dst);
	h.dst = o.dst;
	h.proto = o.proto;
	h.ttl = IP_DEFAULT_TTL;
	h.len = (uint16_t)(e->len + IP_HLEN);
	h.id = n->ip->ident++;
	ip4_build(pkt_push(&e, IP_HLEN), &h);
	pkt_trace_add(e, n->id);
	return e;
}

/* The error about p (NULL when RFC 1812 says none is sent), its addresses in *o. */
static struct pkt *
error_build(struct node *n, struct iface *in, uint16_t vrf, const struct pkt *p, uint8_t type,
    uint8_t code, uint16_t mtu, const uint32_t *lse, int nlse, struct ip4_out *o)
{
	struct ip4_hdr h;
	const uint8_t *d = p->data;
	size_t quote;
	struct pkt *e;

	memset(o, 0, sizeof(*o));
	if (p->len < IP_HLEN)
		return NULL;
	h.hlen = (uint8_t)((d[0] & 15) * 4);
	h.len = get16(d + 2);
	h.frag = get16(d + 6);
	h.proto = d[9];
	h.src = get32(d + 12);
	h.dst = get32(d + 16);
	/* RFC 1812 4.3.2.7: never about a non-first fragment, a broadcast/multicast, an ICMP error. */
	if (h.frag & IP_OFFMASK)
		return NULL;
	if (h.dst == IP_BCAST || (h.dst >> 28) == 14 || (h.src >> 28) >= 14 || h.src == 0)
		return NULL;
	if (h.proto == IPPROTO_ICMP_ && p->len >= (size_t)h.hlen + 1) {
		uint8_t t = d[h.hlen];

		if (t != ICMP_ECHO && t != ICMP_ECHOREPLY && t != 13 && t != 14)
			return NULL;
	}
	quote = MIN((size_t)p->len, (size_t)(ICMP_ERR_MAXLEN - IP_HLEN - ICMP_HLEN));
	if (nlse > 0) {
		size_t xlen = 8 + 4 * (size_t)nlse; /* extension header, object header, entries */
		uint8_t *x;

		quote = MIN(quote, (size_t)ICMP_EXT_ORIGLEN);
		e = pkt_new(ICMP_HLEN + ICMP_EXT_ORIGLEN + xlen);
		memset(e->data, 0, e->len);
		e->data[5] = ICMP_EXT_ORIGLEN / 4;
		x = e->data + ICMP_HLEN + ICMP_EXT_ORIGLEN;
		x[0] = ICMP_EXT_VERSION << 4;
		put16(x + 4, (uint16_t)(xlen - 4));
		x[6] = ICMP_EXT_MPLS_CLASS;
		x[7] = 1;
		for (int i = 0; i < nlse; i++)
			put32(x + 8 + 4 * i, lse[i]);
		put16(x + 2, inet_cksum(x, xlen));
	} else {
		e = pkt_new(ICMP_HLEN + quote);
		memset(e->data, 0, ICMP_HLEN);
	}
	e->data[0] = type;
	e->data[1] = code;
	if (type == ICMP_UNREACH && code == ICMP_UNREACH_NEEDFRAG)
		put16(e->data + 6, mtu); /* RFC 1191 */
	memcpy(e->data + ICMP_HLEN, d, quote);
	set_cksum(e);
	pkt_trace_copy(e, p);
	/*
	 * Source: for a datagram addressed to us (port or protocol unreachable),
	 * the address it was sent to, as Linux, IOS and FRR answer, so that a
	 * traceroute to a loopback or to a far interface ends at its
	 * destination; for one in transit, the interface it came in on (what
	 * traceroute shows for the hop); else whatever routing picks.
	 */
	if (node_is_local_vrf(n, vrf, h.dst))
		o->src = h.dst;
	else
		o->src = in && in->addr ? in->addr : 0;
	o->dst = h.src;
	o->vrf = vrf;
	o->proto = IPPROTO_ICMP_;
	n->ip->st.icmp_out++;
	return e;
}

void
icmp_error_forwarded(struct node *n, uint16_t vrf, const struct pkt *p, uint8_t type,
    uint8_t code)
{
	uint32_t src;

	if (p->len < IP_HLEN)
		return;
	src = get32(p->data + 12);
	/* Only for datagrams we forwarded, not our own. */
	if (node_is_local_vrf(n, vrf, src))
		return;
	icmp_error_vrf(n, vrf, p, type, code, 0);
}

int
icmp_echo(struct node *n, uint16_t vrf, uint32_t src, uint32_t dst, uint16_t id, uint16_t seq,
    size_t datalen, uint8_t ttl, bool df, bool trace)
{
	struct pkt *p = pkt_new(ICMP_HLEN + datalen);
	struct ip4_out o = {0};

	p->data[0] = ICMP_ECHO;
	p->data[1] = 0;
	put16(p->data + 4, id);
	put16(p->data + 6, seq);
	/* Payload: a recognisable pattern, like ping's. */
	for (size_t i = 0; i < datalen; i++)
		p->data[ICMP_HLEN + i] = (uint8_t)(0x10 + i);
	set_cksum(p);
	if (trace)
		p->trace = xcalloc(1, sizeof(*p->trace));
	o.src = src;
	o.dst = dst;
	o.proto = IPPROTO_ICMP_;
	o.ttl = ttl;
	o.df = df;
	o.vrf = vrf;
	n->ip->st.icmp_out++;
	return ip4_output(n, p, &o);
}
