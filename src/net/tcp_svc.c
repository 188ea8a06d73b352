/*
 * tcp_svc.c: TCP for users without a routing protocol: the built-in echo
 * (RFC 862, port 7) and discard (RFC 863, port 9) services every router and
 * host answers on (unless turned off), in every VRF, and the client behind `tcp connect`
 * and `tcp send` (tcp_tool.h), which pushes a known byte pattern and checks
 * what comes back from echo byte for byte.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/strbuf.h"
#include "../lib/util.h"
#include "tcp_int.h"
#include "tcp_tool.h"

#define PORT_ECHO    7
#define PORT_DISCARD 9

/* An echo connection: bytes not yet sent back (the send buffer was full). */
struct echo {
	uint8_t *pend;
	size_t n, cap;
	bool fin;
};

static void
echo_flush(struct tcp_pcb *pcb, struct echo *e)
{
	size_t k = tcp_sndbuf_free(pcb);

	if (k > e->n)
		k = e->n;
	if (k > 0 && tcp_send(pcb, e->pend, k) == 0) {
		memmove(e->pend, e->pend + k, e->n - k);
		e->n -= k;
	}
	if (e->fin && e->n == 0) {
		free(e->pend);
		free(e);
		tcp_close(pcb);
	}
}

static void
echo_recv(struct tcp_pcb *pcb, void *arg, const uint8_t *data, size_t len)
{
	struct echo *e = arg;

	if (len == 0) {
		e->fin = true;
	} else {
		if (e->n + len > e->cap) {
			e->cap = e->n + len + 4096;
			e->pend = xrealloc(e->pend, e->cap);
		}
		memcpy(e->pend + e->n, data, len);
		e->n += len;
	}
	echo_flush(pcb, e);
}

static void
echo_sent(struct tcp_pcb *pcb, void *arg, size_t len UNUSED)
{
	echo_flush(pcb, arg);
}

void
tcp_service_free(void *arg)
{
	struct echo *e = arg;

	if (e != NULL) {
		free(e->pend);
		free(e);
	}
}

static void
echo_closed(struct tcp_pcb *pcb UNUSED, void *arg, enum tcp_why why UNUSED)
{
	tcp_service_free(arg);
}

static void
discard_recv(struct tcp_pcb *pcb, void *arg UNUSED, const uint8_t *data UNUSED, size_t len)
{
	if (len == 0)
		tcp_close(pcb);
}

static const struct tcp_cb echo_cb = {.recv = echo_recv, .sent = echo_sent, .closed = echo_closed};
static const struct tcp_cb discard_cb = {.recv = discard_recv};

bool
tcp_service_accept(struct tcp_stack *st, uint16_t port, struct tcp_opts *o,
    const struct tcp_cb **cb, void **arg)
{
	if (st->no_services || (port != PORT_ECHO && port != PORT_DISCARD))
		return false;
	if (o == NULL)
		return true; /* only asked whether the port has a service */
	*cb = port == PORT_ECHO ? &echo_cb : &discard_cb;
	*arg = port == PORT_ECHO ? xcalloc(1, sizeof(struct echo)) : NULL;
	return true;
}

void
tcp_services(struct node *n, bool on)
{
	struct tcp_stack *st = tcp_stack(n);

	if (st != NULL)
		st->no_services = !on;
}

/* ------------------------------------------------------------------------ */
/* The client of `tcp connect` and `tcp send` */

/* The byte at offset i of what the tool sends: a pattern that shows reordering. */
static uint8_t
pattern(uint64_t i)
{
	return (uint8_t)(i % 251);
}

static void
tool_fill(struct tcp_tool *tl)
{
	uint8_t buf[4096];

	while (tl->pcb != NULL && tl->queued < tl->bytes) {
		size_t k = tcp_sndbuf_free(tl->pcb), i;

		if (k > sizeof(buf))
			k = sizeof(buf);
		if (k > tl->bytes - tl->queued)
			k = (size_t)(tl->bytes - tl->queued);
		if (k == 0)
			return;
		for (i = 0; i < k; i++)
			buf[i] = pattern(tl->queued + i);
		if (tcp_send(tl->pcb, buf, k) < 0)
			return;
		tl->queued += k;
	}
}

static void
tool_finish(struct tcp_tool *tl)
{
	if (tl->done)
		return;
	tl->done = true;
	tl->t_done = node_now(tl->node);
	if (tl->pcb != NULL) {
		tl->retransmits = tl->pcb->retransmits;
		tcp_close(tl->pcb);
		tl->pcb = NULL;
	}
}

static void
tool_check(struct tcp_tool *tl)
{
	if (tl->acked >= tl->bytes && (!tl->echo || tl->received >= tl->bytes || tl->peer_fin))
		tool_finish(tl);
}

static void
tool_connected(struct tcp_pcb *pcb, void *arg)
{
	struct tcp_tool *tl = arg;

	tl->connected = true;
	tl->t_conn = node_now(tl->node);
	tcp_endpoints(pcb, &tl->laddr, &tl->lport, &tl->raddr, &tl->rport);
	tool_fill(tl);
	tool_check(tl);
}

static void
tool_recv(struct tcp_pcb *pcb UNUSED, void *arg, const uint8_t *data, size_t len)
{
	struct tcp_tool *tl = arg;

	if (len == 0) {
		tl->peer_fin = true;
	} else {
		for (size_t i = 0; i < len; i++)
			if (data[i] != pattern(tl->received + i) && tl->mismatch == 0)
				tl->mismatch = tl->received + i + 1;
		tl->received += len;
	}
	tool_check(tl);
}

static void
tool_sent(struct tcp_pcb *pcb UNUSED, void *arg, size_t len)
{
	struct tcp_tool *tl = arg;

	tl->acked += len;
	tool_fill(tl);
	tool_check(tl);
}

static void
tool_closed(struct tcp_pcb *pcb, void *arg, enum tcp_why why)
{
	struct tcp_tool *tl = arg;

	tl->retransmits = pcb->retransmits;
	tl->why = why;
	tl->failed = true;
	tl->pcb = NULL;
	tl->done = true;
	tl->t_done = node_now(tl->node);
}

static const struct tcp_cb tool_cb = {.connected = tool_connected, .recv = tool_recv,
    .sent = tool_sent, .closed = tool_closed};

struct tcp_tool *
tcp_tool_start(struct node *n, uint16_t vrf, uint32_t dst, uint16_t port, uint64_t bytes,
    uint32_t src)
{
	struct tcp_tool *tl = xcalloc(1, sizeof(*tl));

	tl->node = n;
	tl->bytes = bytes;
	tl->echo = port == PORT_ECHO;
	tl->raddr = dst;
	tl->rport = port;
	tl->vrf = vrf;
	tl->t_start = node_now(n);
	tl->pcb = tcp_connect(n, dst, port, &(struct tcp_opts){.src = src, .cls = PKT_DATA, .vrf = vrf},
	    &tool_cb, tl);
	if (tl->pcb == NULL) {
		tl->done = tl->failed = true;
		tl->why = TCP_GONE_ABORTED;
	}
	return tl;
}

void
tcp_tool_free(struct tcp_tool *tl)
{
	if (tl->pcb != NULL)
		tcp_abort(tl->pcb);
	free(tl);
}

static const char *
why_text(enum tcp_why w, bool connected)
{
	switch (w) {
	case TCP_GONE_RESET:
		return connected ? "connection reset" : "connection refused";
	case TCP_GONE_TIMEOUT:
		return "timed out";
	case TCP_GONE_ABORTED:
		return "aborted";
	default:
		return "closed by the peer";
	}
}

const char *
tcp_tool_error(const struct tcp_tool *tl)
{
	if (tl->failed && (!tl->connected || tl->acked < tl->bytes))
		return why_text(tl->why, tl->connected);
	if (tl->mismatch)
		return "echoed bytes differ from what was sent";
	if (tl->echo && tl->received < tl->bytes)
		return "echo incomplete";
	return NULL;
}
