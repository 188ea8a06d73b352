/*
 * frag.c: IPv4 fragmentation (RFC 791 3.2, RFC 815 reassembly).
 *
 * Reassembly keeps the fragments of each (src, dst, proto, id) in offset
 * order and gives up after REASM_TIMEOUT, sending ICMP time exceeded
 * (fragment reassembly) when the first fragment had arrived (RFC 792).
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"
#include "../lib/cksum.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include "icmp.h"
#include "ip4.h"

#define REASM_TIMEOUT (30 * SIM_S)
#define REASM_MAXFRAGS 128

struct frag {
	uint16_t off, len; /* payload bytes [off, off+len) */
	struct pkt *p;     /* the whole fragment, header included */
};

struct reasm {
	struct reasm *next;
	struct node *node;
	uint32_t src, dst;
	uint16_t id;
	uint8_t proto;
	bool have_last;
	uint32_t total; /* payload length, known once the last fragment arrived */
	struct frag f[REASM_MAXFRAGS];
	int nf;
	struct timer timeout;
};

static void
reasm_free(struct reasm *r)
{
	struct reasm **pp;

	for (pp = &r->node->ip->reasm; *pp; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	timer_cancel(&r->timeout);
	for (int i = 0; i < r->nf; i++)
		pkt_free(r->f[i].p);
	free(r);
}

void
ip4_reasm_flush(struct node *n)
{
	while (n->ip->reasm)
		reasm_free(n->ip->reasm);
}

static void
reasm_expire(struct timer *t)
{
	struct reasm *r = t->arg;
	struct node *n = r->node;

	n->ip->st.reasm_fails++;
	if (r->nf > 0 && r->f[0].off == 0)
		icmp_error(n, NULL, r->f[0].p, ICMP_TIMXCEED, ICMP_TIMXCEED_REASS, 0);
	reasm_free(r);
}

static struct pkt *
assemble(struct reasm *r)
{
	const struct frag *first = &r->f[0];
	uint8_t hlen = (uint8_t)((first->p->data[0] & 15) * 4);
	struct pkt *p = pkt_new(hlen + r->total);

	memcpy(p->data, first->p->data, hlen);
	for (int i = 0; i < r->nf; i++)
		memcpy(p->data + hlen + r->f[i].off, r->f[i].p->data + hlen, r->f[i].len);
	put16(p->data + 2, (uint16_t)(hlen + r->total));
	put16(p->data + 6, 0);
	put16(p->data + 10, 0);
	put16(p->data + 10, inet_cksum(p->data, hlen));
	pkt_trace_copy(p, first->p);
	return p;
}

struct pkt *
ip4_reassemble(struct node *n, struct pkt *p, const struct ip4_hdr *h)
{
	struct reasm *r;
	uint16_t off = (uint16_t)((h->frag & IP_OFFMASK) * 8);
	uint16_t len = (uint16_t)(h->len - h->hlen);
	int i;

	for (r = n->ip->reasm; r; r = r->next)
		if (r->src == h->src && r->dst == h->dst && r->id == h->id && r->proto == h->proto)
			break;
	if (r == NULL) {
		r = xcalloc(1, sizeof(*r));
		r->node = n;
		r->src = h->src;
		r->dst = h->dst;
		r->id = h->id;
		r->proto = h->proto;
		timer_init(&r->timeout, &n->actor, reasm_expire, r);
		timer_set(&r->timeout, REASM_TIMEOUT);
		r->next = n->ip->reasm;
		n->ip->reasm = r;
	}
	if ((uint32_t)off + len > 65535u - h->hlen || r->nf >= REASM_MAXFRAGS ||
	    ((h->frag & IP_MF) && (len % 8) != 0)) {
		n->ip->st.reasm_fails++;
		pkt_free(p);
		reasm_free(r);
		return NULL;
	}
	/* Insert in offset order; an exact duplicate replaces nothing. */
	for (i = 0; i < r->nf && r->f[i].off < off; i++)
		;
	if (i < r->nf && r->f[i].off == off) {
		pkt_free(p);
		return NULL;
	}
	memmove(&r->f[i + 1], &r->f[i], sizeof(r->f[0]) * (size_t)(r->nf - i));
	r->f[i].off = off;
	r->f[i].len = len;
	r->f[i].p = p;
	r->nf++;
	if (!(h->frag & IP_MF)) {
		r->have_last = true;
		r->total = (uint32_t)off + len;
	}
	if (!r->have_last)
		return NULL;
	/* Complete when the fragments cover [0, total) without a hole. */
	{
		uint32_t covered = 0;

		for (i = 0; i < r->nf; i++) {
			if (r->f[i].off > covered)
				return NULL;
			covered = MAX(covered, (uint32_t)r->f[i].off + r->f[i].len);
		}
		if (covered < r->total)
			return NULL;
		/* Overlaps: later fragments overwrite in assemble(), which is what RFC 791 allows. */
		if (covered > r->total) {
			n->ip->st.reasm_fails++;
			reasm_free(r);
			return NULL;
		}
	}
	p = assemble(r);
	n->ip->st.reasm_ok++;
	reasm_free(r);
	return p;
}

int
ip4_fragment(struct pkt *p, uint16_t mtu, void (*fn)(struct pkt *, void *), void *arg)
{
	uint8_t hlen = (uint8_t)((p->data[0] & 15) * 4);
	uint16_t frag = get16(p->data + 6);
	uint32_t payload = p->len - hlen, maxlen = (uint32_t)((mtu - hlen) & ~7u), off = 0;
	int count = 0;

	while (off < payload) {
		uint32_t len = MIN(maxlen, payload - off);
		bool last = off + len == payload;
		struct pkt *f = pkt_new(hlen + len);
		uint16_t fo = (uint16_t)((frag & IP_OFFMASK) + off / 8);

		memcpy(f->data, p->data, hlen);
		memcpy(f->data + hlen, p->data + hlen + off, len);
		put16(f->data + 2, (uint16_t)(hlen + len));
		/* Keep MF on every fragment but the last, and on the last if the original had it. */
		put16(f->data + 6, (uint16_t)((frag & ~IP_OFFMASK & ~IP_MF) | fo |
					      ((!last || (frag & IP_MF)) ? IP_MF : 0)));
		put16(f->data + 10, 0);
		put16(f->data + 10, inet_cksum(f->data, hlen));
		f->cls = p->cls;
		pkt_trace_copy(f, p);
		fn(f, arg);
		off += len;
		count++;
	}
	pkt_free(p);
	return count;
}
