/* pkt.c: packet buffers with headroom. */
#include <stdlib.h>
#include <string.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "../sim/sim.h"
#include "pkt.h"

/*
 * Buffers for full-size frames (more than 1 KB with headroom, up to an
 * Ethernet frame's 2 KB) are kept on a free list instead of going back to
 * malloc, whose small-size caches they miss: a converging network allocates
 * and frees one per LSU per receiver, millions of them. Small frames stay
 * with malloc, which sizes them exactly (a pool class would waste memory on
 * the millions of ARP and ICMP frames a large host network has in flight).
 * The sanitizer build skips the list so that ASan sees every use after free.
 * Each thread keeps its own list (a buffer goes back to the list of the
 * thread that frees it).
 */
#define POOL_MIN   1024 /* bytes: smaller buffers come from malloc */
#define POOL_BYTES 2048
#define POOL_MAX   1024 /* buffers kept at most */

static struct {
	SIM_THREAD_ALIGN struct pkt *v[POOL_MAX];
	size_t n;
} pools[SIM_MAX_THREADS];

static struct pkt *
alloc(size_t len, size_t headroom)
{
	size_t size = headroom + len;
	struct pkt *p;

	if (size > POOL_MIN && size <= POOL_BYTES) {
		size = POOL_BYTES;
		p = pools[sim_thread].n > 0 ? pools[sim_thread].v[--pools[sim_thread].n]
		                            : xmalloc(sizeof(*p) + size);
	} else {
		p = xmalloc(sizeof(*p) + size);
	}
	p->size = (uint32_t)size;
	p->data = p->buf + headroom;
	p->len = (uint32_t)len;
	p->cls = PKT_DATA;
	p->trace = NULL;
	return p;
}

struct pkt *
pkt_new(size_t len)
{
	return alloc(len, PKT_HEADROOM);
}

struct pkt *
pkt_new_room(size_t len, size_t headroom)
{
	return alloc(len, headroom);
}

struct pkt *
pkt_from(const uint8_t *bytes, size_t len)
{
	struct pkt *p = pkt_new(len);

	memcpy(p->data, bytes, len);
	return p;
}

/*
 * Copies are what each receiver of a frame gets: a receiver strips headers
 * before it adds any, so the copy needs no headroom of its own.
 */
struct pkt *
pkt_clone(const struct pkt *src)
{
	struct pkt *p = alloc(src->len, 0);

	memcpy(p->data, src->data, src->len);
	p->cls = src->cls;
	pkt_trace_copy(p, src);
	return p;
}

void
pkt_free(struct pkt *p)
{
	if (p == NULL)
		return;
	free(p->trace);
#ifndef NETSIM_SAN
	if (p->size == POOL_BYTES && pools[sim_thread].n < POOL_MAX) {
		pools[sim_thread].v[pools[sim_thread].n++] = p;
		return;
	}
#endif
	free(p);
}

uint8_t *
pkt_push(struct pkt **pp, size_t n)
{
	struct pkt *p = *pp;

	if ((size_t)(p->data - p->buf) < n) {
		struct pkt *q = pkt_new(p->len + n);

		memcpy(q->data + n, p->data, p->len);
		q->cls = p->cls;
		q->trace = p->trace;
		p->trace = NULL;
		pkt_free(p);
		*pp = q;
		return q->data;
	}
	p->data -= n;
	p->len += (uint32_t)n;
	return p->data;
}

void
pkt_pull(struct pkt *p, size_t n)
{
	if (n > p->len)
		bug("pkt_pull past end");
	p->data += n;
	p->len -= (uint32_t)n;
}

void
pkt_trim(struct pkt *p, size_t len)
{
	if (len < p->len)
		p->len = (uint32_t)len;
}

void
pkt_trace_add(struct pkt *p, uint32_t id)
{
	if (p->trace == NULL || p->trace->n >= PKT_TRACE_MAX)
		return;
	if (p->trace->n > 0 && p->trace->node[p->trace->n - 1] == id)
		return;
	p->trace->node[p->trace->n++] = id;
}

void
pkt_trace_copy(struct pkt *dst, const struct pkt *src)
{
	if (src->trace == NULL)
		return;
	if (dst->trace == NULL)
		dst->trace = xmalloc(sizeof(*dst->trace));
	memcpy(dst->trace, src->trace, sizeof(*dst->trace));
}
