/*
 * test_tcp.c: TCP (src/net/tcp*.c) on small networks built in C and run by
 * the engine: the handshake, data both ways, a transfer of many segments,
 * bytes delivered exactly once and in order over a lossy, a reordering and a
 * duplicating link, RST for a closed port, a refused connection, a timeout
 * when the path goes, close and TIME-WAIT, MD5 signatures with the right and
 * a wrong key, GTSM, a zero window reopened by tcp_recved, a crashed peer,
 * convergence (tcp_busy), the echo service, and segments as tshark would
 * check them (checksums, MSS option).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/buf.h"
#include "lib/cksum.h"
#include "lib/ip.h"
#include "lib/util.h"
#include "net/converge.h"
#include "net/ip4.h"
#include "net/net.h"
#include "net/tcp.h"
#include "net/tcp_int.h"
#include "net/tcp_tool.h"
#include "proto/proto.h"
#include "proto/static.h"

#include "net_fixture.h"

/* The fixture's chain with 5 ms between the routers, running for 100 ms. */
static void
tcp_chain(uint64_t seed)
{
	chain(seed, 5 * SIM_MS, SIM_MS);
	converge_attach(net);
	net_start(net);
	sim_run_until(&net->sim, 100 * SIM_MS);
}

static int
teardown(void **state)
{
	(void)state;
	net_free(net);
	net = NULL;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* A test application: records what happens to one connection. */

struct app {
	struct tcp_pcb *pcb;
	uint8_t *rx;
	size_t nrx, caprx;
	size_t acked;
	bool connected, fin, closed, accepted;
	enum tcp_why why;
	int refuse;           /* listener: refuse connections */
	const char *key;      /* listener: MD5 key of accepted connections */
	uint8_t min_ttl;
	struct app *child;    /* listener: the accepted connection's app */
};

static void
app_connected(struct tcp_pcb *pcb UNUSED, void *arg)
{
	((struct app *)arg)->connected = true;
}

static void
app_recv(struct tcp_pcb *pcb UNUSED, void *arg, const uint8_t *data, size_t len)
{
	struct app *a = arg;

	if (len == 0) {
		a->fin = true;
		return;
	}
	if (a->nrx + len > a->caprx) {
		a->caprx = (a->nrx + len) * 2;
		a->rx = xrealloc(a->rx, a->caprx);
	}
	memcpy(a->rx + a->nrx, data, len);
	a->nrx += len;
}

static void
app_sent(struct tcp_pcb *pcb UNUSED, void *arg, size_t len)
{
	((struct app *)arg)->acked += len;
}

static void
app_closed(struct tcp_pcb *pcb UNUSED, void *arg, enum tcp_why why)
{
	struct app *a = arg;

	a->closed = true;
	a->why = why;
	a->pcb = NULL;
}

static const struct tcp_cb app_cb = {app_connected, app_recv, app_sent, app_closed};

static bool
app_accept(void *larg, uint32_t laddr UNUSED, uint32_t raddr UNUSED, uint16_t rport UNUSED,
    struct tcp_opts *o, const struct tcp_cb **cb, void **arg)
{
	struct app *l = larg;

	if (l->refuse)
		return false;
	o->md5_key = l->key;
	o->min_ttl = l->min_ttl;
	o->ttl = l->min_ttl ? 255 : 0;
	*cb = &app_cb;
	*arg = l->child;
	return true;
}

static void
app_accepted(void *larg, struct tcp_pcb *pcb, void *arg)
{
	struct app *l = larg, *c = arg;

	l->accepted = true;
	c->pcb = pcb;
	c->connected = true;
}

static void
app_free(struct app *a)
{
	free(a->rx);
}

static void
run_for(sim_time d)
{
	sim_run_until(&net->sim, net->sim.now + d);
}

static uint8_t
pat(size_t i)
{
	return (uint8_t)(i * 7 + i / 253);
}

static uint8_t *
pattern(size_t n)
{
	uint8_t *b = xmalloc(n ? n : 1);

	for (size_t i = 0; i < n; i++)
		b[i] = pat(i);
	return b;
}

/* Listener l on h2:port and client a from h1 connected to it. */
static void
open_pair(struct app *l, struct app *srv, struct app *a, uint16_t port, const struct tcp_opts *o)
{
	l->child = srv;
	assert_non_null(tcp_listen(h2, 0, port, app_accept, app_accepted, l));
	a->pcb = tcp_connect(h1, IP("10.0.2.2"), port, o, &app_cb, a);
	assert_non_null(a->pcb);
	run_for(SIM_S);
}

/* Queue b[q..n) from a as the buffer allows, until all n are acknowledged. */
static void
push_all(struct app *a, const uint8_t *b, size_t n, size_t q, sim_time limit)
{
	sim_time end = net->sim.now + limit;

	while ((a->acked < n) && net->sim.now < end && a->pcb != NULL) {
		size_t k = tcp_sndbuf_free(a->pcb);

		if (k > n - q)
			k = n - q;
		if (k > 0) {
			assert_int_equal(tcp_send(a->pcb, b + q, k), 0);
			q += k;
		}
		run_for(10 * SIM_MS);
	}
}

/* ------------------------------------------------------------------------ */

static void
test_handshake_data_close(void **state UNUSED)
{
	struct app l = {0}, srv = {0}, a = {0};
	uint32_t la, ra;
	uint16_t lp, rp;

	(void)state;
	tcp_chain(1);
	open_pair(&l, &srv, &a, 5000, NULL);
	assert_true(a.connected);
	assert_true(l.accepted);
	assert_int_equal(tcp_state_of(a.pcb), TCP_ESTABLISHED);
	assert_int_equal(tcp_state_of(srv.pcb), TCP_ESTABLISHED);
	tcp_endpoints(a.pcb, &la, &lp, &ra, &rp);
	assert_int_equal(la, IP("10.0.1.2"));
	assert_int_equal(ra, IP("10.0.2.2"));
	assert_int_equal(rp, 5000);
	assert_true(lp >= 49152);
	assert_false(tcp_busy(h1));
	assert_int_equal(tcp_send(a.pcb, "hello", 5), 0);
	assert_true(tcp_busy(h1) == false); /* PKT_DATA class by default: not work */
	assert_int_equal(tcp_send(srv.pcb, "world!", 6), 0);
	run_for(SIM_S);
	assert_int_equal(srv.nrx, 5);
	assert_memory_equal(srv.rx, "hello", 5);
	assert_int_equal(a.nrx, 6);
	assert_memory_equal(a.rx, "world!", 6);
	assert_int_equal(a.acked, 5);
	assert_int_equal(srv.acked, 6);
	/* Active close from h1: h2 sees FIN, closes; h1 waits in TIME-WAIT for 2 MSL. */
	tcp_close(a.pcb);
	run_for(SIM_S);
	assert_true(srv.fin);
	assert_int_equal(tcp_state_of(srv.pcb), TCP_CLOSE_WAIT);
	tcp_close(srv.pcb);
	run_for(SIM_S);
	assert_int_equal(h2->ip->tcp->n, 1); /* only the listener */
	assert_int_equal(h1->ip->tcp->n, 1);
	assert_int_equal(h1->ip->tcp->pcbs[0]->state, TCP_TIME_WAIT);
	run_for(2 * TCP_MSL);
	assert_int_equal(h1->ip->tcp->n, 0);
	assert_false(srv.closed); /* no callback after tcp_close */
	app_free(&a);
	app_free(&srv);
}

static void
large_impaired(uint64_t seed, double loss, double reorder, double dup, sim_time limit)
{
	struct app l = {0}, srv = {0}, a = {0};
	size_t n = 300000;
	uint8_t *b = pattern(n);

	tcp_chain(seed);
	l1->loss = loss;
	l1->reorder = reorder;
	l1->duplicate = dup;
	open_pair(&l, &srv, &a, 5001, NULL);
	assert_true(a.connected);
	push_all(&a, b, n, 0, limit);
	assert_int_equal(a.acked, n);
	assert_int_equal(srv.nrx, n);
	assert_memory_equal(srv.rx, b, n);
	if (loss > 0)
		assert_true(h1->ip->tcp->pcbs[0]->retransmits > 0);
	else if (reorder == 0 && dup == 0)
		assert_int_equal(h1->ip->tcp->pcbs[0]->retransmits, 0);
	if (reorder > 0)
		assert_true(l1->reordered > 10);
	if (dup > 0)
		assert_true(l1->duplicated > 10);
	assert_true(h1->ip->tcp->pcbs[0]->mss == 1460);
	free(b);
	app_free(&a);
	app_free(&srv);
}

static void
large(uint64_t seed, double loss, sim_time limit)
{
	large_impaired(seed, loss, 0, 0, limit);
}

static void
test_large_transfer(void **state UNUSED)
{
	(void)state;
	large(2, 0, 60 * SIM_S);
}

static void
test_lossy_link(void **state UNUSED)
{
	(void)state;
	large(3, 25, 3600 * SIM_S);
}

static void
test_reordering_link(void **state UNUSED)
{
	(void)state;
	large_impaired(13, 0, 20, 0, 600 * SIM_S);
}

static void
test_duplicating_link(void **state UNUSED)
{
	(void)state;
	large_impaired(14, 0, 0, 20, 600 * SIM_S);
}

static void
test_all_impairments(void **state UNUSED)
{
	(void)state;
	large_impaired(15, 10, 10, 10, 3600 * SIM_S);
}

/*
 * Data both ways over a lossy link (echo): after a timeout each side resends
 * from an old sequence number, and its ACKs must still be accepted (they
 * carry snd_max), or the two wait on each other until they time out.
 */
static void
test_lossy_echo(void **state UNUSED)
{
	(void)state;
	for (uint64_t seed = 20; seed < 24; seed++) {
		struct tcp_tool *t;

		tcp_chain(seed);
		l1->loss = 15;
		l1->reorder = 10;
		l1->duplicate = 5;
		t = tcp_tool_start(h1, 0, IP("10.0.2.2"), 7, 300000, 0);
		while (!t->done)
			run_for(100 * SIM_MS);
		assert_null(tcp_tool_error(t));
		assert_int_equal(t->received, 300000);
		assert_true(t->retransmits > 0);
		tcp_tool_free(t);
		net_free(net);
		net = NULL;
	}
}

/*
 * A 1 Mbit/s link whose queue holds 100 ms: without a congestion window a
 * 64 KB window would overflow it every round trip. Slow start and
 * congestion avoidance keep the losses to a few and the rate near the link's.
 */
static void
test_slow_link(void **state UNUSED)
{
	struct app l = {0}, srv = {0}, a = {0};
	size_t n = 200000;
	uint8_t *b = pattern(n);
	sim_time t0;
	const struct tcp_pcb *pcb;

	(void)state;
	tcp_chain(18);
	l1->bandwidth = 1000000;
	open_pair(&l, &srv, &a, 5007, NULL);
	pcb = a.pcb;
	assert_int_equal(pcb->cwnd, 3 * 1460); /* RFC 5681's initial window */
	t0 = net->sim.now;
	push_all(&a, b, n, 0, 600 * SIM_S);
	assert_int_equal(srv.nrx, n);
	assert_memory_equal(srv.rx, b, n);
	/* 200 kB at 1 Mbit/s take 1.6 s on the wire; allow a few losses' worth more. */
	assert_true(net->sim.now - t0 < 3 * SIM_S);
	assert_true(pcb->retransmits < 20);
	assert_true(pcb->ssthresh < TCP_SSTHRESH_INIT); /* a loss was seen and halved */
	free(b);
	app_free(&a);
	app_free(&srv);
}

static void
test_rst_closed_port(void **state UNUSED)
{
	struct app a = {0};

	(void)state;
	tcp_chain(4);
	a.pcb = tcp_connect(h1, IP("10.0.2.2"), 4444, &(struct tcp_opts){.cls = PKT_CONTROL},
	    &app_cb, &a);
	assert_true(tcp_busy(h1)); /* a handshake is pending */
	run_for(100 * SIM_MS);
	assert_true(a.closed);
	assert_int_equal(a.why, TCP_GONE_RESET);
	assert_false(a.connected);
	assert_int_equal(h2->ip->tcp->st.closed_port, 1);
	assert_int_equal(h2->ip->tcp->st.rst_out, 1);
	assert_false(tcp_busy(h1));
}

static void
test_refused(void **state UNUSED)
{
	struct app l = {.refuse = 1}, srv = {0}, a = {0};

	(void)state;
	tcp_chain(5);
	open_pair(&l, &srv, &a, 179, NULL);
	assert_true(a.closed);
	assert_int_equal(a.why, TCP_GONE_RESET);
	assert_false(l.accepted);
}

static void
test_timeout(void **state UNUSED)
{
	struct app l = {0}, srv = {0}, a = {0};

	(void)state;
	tcp_chain(6);
	open_pair(&l, &srv, &a, 5002, NULL);
	assert_true(a.connected);
	link_set_up(l1, false);
	assert_int_equal(tcp_send(a.pcb, "lost", 4), 0);
	run_for(30 * SIM_S);
	assert_false(a.closed); /* still backing off */
	run_for(600 * SIM_S);
	assert_true(a.closed);
	assert_int_equal(a.why, TCP_GONE_TIMEOUT);
	/* A SYN to an unreachable host gives up after the SYN retries. */
	memset(&a, 0, sizeof(a));
	a.pcb = tcp_connect(h1, IP("10.0.2.2"), 5002, NULL, &app_cb, &a);
	run_for(30 * SIM_S);
	assert_false(a.closed);
	run_for(100 * SIM_S);
	assert_true(a.closed);
	assert_int_equal(a.why, TCP_GONE_TIMEOUT);
	app_free(&srv);
}

static void
test_md5(void **state UNUSED)
{
	struct app l = {.key = "secret"}, srv = {0}, a = {0}, b = {0};

	(void)state;
	tcp_chain(7);
	open_pair(&l, &srv, &a, 179, &(struct tcp_opts){.md5_key = "secret"});
	assert_true(a.connected);
	assert_int_equal(tcp_send(a.pcb, "signed", 6), 0);
	run_for(SIM_S);
	assert_int_equal(srv.nrx, 6);
	assert_int_equal(h2->ip->tcp->st.md5_drops, 0);
	/* A wrong key: every SYN dropped and counted, no RST; the client times out. */
	l.child = &b;
	memset(&a, 0, sizeof(a));
	a.pcb = tcp_connect(h1, IP("10.0.2.2"), 179, &(struct tcp_opts){.md5_key = "wrong"},
	    &app_cb, &a);
	run_for(200 * SIM_S);
	assert_true(a.closed);
	assert_int_equal(a.why, TCP_GONE_TIMEOUT);
	assert_int_equal(h2->ip->tcp->st.md5_drops, 1 + TCP_SYN_RETRIES);
	/* No key at all: dropped as well. */
	memset(&a, 0, sizeof(a));
	a.pcb = tcp_connect(h1, IP("10.0.2.2"), 179, NULL, &app_cb, &a);
	run_for(2 * SIM_S);
	assert_false(a.connected);
	assert_int_equal(h2->ip->tcp->st.md5_drops, 1 + TCP_SYN_RETRIES + 2);
	tcp_abort(a.pcb);
	app_free(&srv);
}

static void
test_gtsm(void **state UNUSED)
{
	struct app l = {.min_ttl = 254}, srv = {0}, a = {0};

	(void)state;
	tcp_chain(8);
	/* Two routers away, TTL 255 arrives as 253 < 254: dropped. */
	open_pair(&l, &srv, &a, 179, &(struct tcp_opts){.ttl = 255});
	assert_false(a.connected);
	assert_true(h2->ip->tcp->st.ttl_drops >= 1);
	tcp_abort(a.pcb);
	/* With min_ttl 253 the same SYN passes. */
	l.min_ttl = 253;
	memset(&a, 0, sizeof(a));
	a.pcb = tcp_connect(h1, IP("10.0.2.2"), 179, &(struct tcp_opts){.ttl = 255}, &app_cb, &a);
	run_for(SIM_S);
	assert_true(a.connected);
	app_free(&srv);
}

static void
test_zero_window(void **state UNUSED)
{
	struct app l = {0}, srv = {0}, a = {0};
	size_t n = 150000;
	uint8_t *b = pattern(n);

	(void)state;
	tcp_chain(9);
	open_pair(&l, &srv, &a, 5003, NULL);
	tcp_set_manual_recved(srv.pcb, true);
	assert_int_equal(tcp_send(a.pcb, b, 65536), 0);
	run_for(5 * SIM_S);
	/* The receiver took a window's worth and consumed none: the window is closed. */
	assert_int_equal(srv.nrx, 65535);
	assert_int_equal(a.pcb->snd_wnd, 0);
	run_for(20 * SIM_S);
	assert_false(a.closed); /* probes are answered: no timeout */
	assert_true(a.pcb->persist);
	tcp_recved(srv.pcb, srv.nrx);
	run_for(SIM_S);
	assert_int_equal(srv.nrx, 65536);
	tcp_set_manual_recved(srv.pcb, false);
	push_all(&a, b, n, 65536, 600 * SIM_S);
	assert_int_equal(srv.nrx, n);
	assert_memory_equal(srv.rx, b, n);
	free(b);
	app_free(&a);
	app_free(&srv);
}

static void
test_crash(void **state UNUSED)
{
	struct app l = {0}, srv = {0}, a = {0};

	(void)state;
	tcp_chain(10);
	open_pair(&l, &srv, &a, 5004, NULL);
	assert_true(a.connected);
	node_set_up(h2, false);
	assert_true(srv.closed);
	assert_int_equal(srv.why, TCP_GONE_ABORTED);
	node_set_up(h2, true);
	run_for(SIM_S);
	/* The restarted node knows no connection: data to it gets a RST. */
	assert_int_equal(tcp_send(a.pcb, "anyone?", 7), 0);
	run_for(SIM_S);
	assert_true(a.closed);
	assert_int_equal(a.why, TCP_GONE_RESET);
	app_free(&srv);
}

static void
test_echo_tool(void **state UNUSED)
{
	struct tcp_tool *t;

	(void)state;
	tcp_chain(11);
	t = tcp_tool_start(h1, 0, IP("10.0.2.2"), 7, 100000, 0);
	while (!t->done)
		run_for(10 * SIM_MS);
	assert_null(tcp_tool_error(t));
	assert_int_equal(t->received, 100000);
	assert_int_equal(t->acked, 100000);
	tcp_tool_free(t);
	/* Discard swallows everything. */
	t = tcp_tool_start(h1, 0, IP("10.0.2.2"), 9, 5000, 0);
	while (!t->done)
		run_for(10 * SIM_MS);
	assert_null(tcp_tool_error(t));
	assert_int_equal(t->received, 0);
	tcp_tool_free(t);
	/* Off: refused. */
	tcp_services(h2, false);
	t = tcp_tool_start(h1, 0, IP("10.0.2.2"), 9, 5000, 0);
	while (!t->done)
		run_for(10 * SIM_MS);
	assert_string_equal(tcp_tool_error(t), "connection refused");
	tcp_tool_free(t);
	run_for(30 * SIM_S);
}

static void
test_busy_control(void **state UNUSED)
{
	struct app l = {0}, srv = {0}, a = {0};

	(void)state;
	tcp_chain(12);
	open_pair(&l, &srv, &a, 179, &(struct tcp_opts){.cls = PKT_CONTROL});
	assert_true(a.connected);
	run_for(SIM_S);
	assert_true(net->converged);
	assert_int_equal(tcp_send_class(a.pcb, "keepalive", 9, PKT_PERIODIC), 0);
	assert_false(tcp_busy(h1)); /* periodic bytes are not work */
	run_for(SIM_S);
	assert_true(net->converged);
	assert_int_equal(tcp_send(a.pcb, "update", 6), 0);
	assert_true(tcp_busy(h1));
	converge_check(net);
	assert_false(net->converged);
	run_for(SIM_S);
	assert_false(tcp_busy(h1));
	assert_true(net->converged);
	assert_int_equal(srv.nrx, 15);
	app_free(&srv);
}

/* ------------------------------------------------------------------------ */
/* Hostile input and applications that act inside their callbacks */

/* Hand n a datagram from src to dst carrying seg (its TCP checksum fixed when asked). */
static void
inject(struct node *n, uint32_t src, uint32_t dst, uint8_t *seg, size_t len, bool fix)
{
	struct pkt *p = pkt_new(IP_HLEN + len);
	struct ip4_hdr h = {.len = (uint16_t)(IP_HLEN + len), .ttl = 60, .proto = IPPROTO_TCP_,
	    .src = src, .dst = dst};

	if (fix && len >= 18) {
		put16(seg + 16, 0);
		put16(seg + 16, inet_fold(inet_sum(seg, len, inet_pseudo(src, dst, 6, (uint16_t)len))));
	}
	ip4_build(p->data, &h);
	memcpy(p->data + IP_HLEN, seg, len);
	assert_int_equal(ip4_parse(p->data, p->len, &h), 0);
	tcp_input(n->ifs[0], p, &h);
}

static void
test_fuzz_segments(void **state UNUSED)
{
	struct app l = {0}, srv = {0}, a = {0};
	struct rng r;
	uint8_t seg[200];
	uint32_t src = IP("10.0.1.2"), dst = IP("10.0.2.2");
	struct tcp_tool *t;

	(void)state;
	tcp_chain(16);
	rng_seed(&r, 16, 0);
	open_pair(&l, &srv, &a, 5005, NULL);
	assert_true(a.connected);
	for (int i = 0; i < 20000; i++) {
		size_t len = (size_t)rng_below(&r, 120);
		struct tcp_pcb *pcb = srv.pcb;

		for (size_t k = 0; k < len; k++)
			seg[k] = (uint8_t)rng_next(&r);
		if (len >= 20 && pcb != NULL && rng_below(&r, 4) != 0) {
			/* Near the live connection: its ports, sequence numbers close to the window. */
			put16(seg, a.pcb ? a.pcb->lport : 5);
			put16(seg + 2, 5005);
			put32(seg + 4, pcb->rcv_nxt + (uint32_t)rng_below(&r, 70000) - 5000);
			put32(seg + 8, pcb->snd_una + (uint32_t)rng_below(&r, 2000) - 1000);
			seg[12] = (uint8_t)((5 + rng_below(&r, (len - 20) / 4 + 1)) << 4);
			seg[13] &= rng_below(&r, 8) ? (uint8_t)~TH_RST : 0xff;
		}
		inject(h2, src, dst, seg, len, rng_below(&r, 8) != 0);
		if (i % 100 == 99)
			run_for(50 * SIM_MS);
		for (size_t k = 0; h2->ip->tcp && k < h2->ip->tcp->n; k++) {
			const struct tcp_pcb *q = h2->ip->tcp->pcbs[k];

			assert_true(q->sbuf_len <= q->o.sndbuf);
			assert_true(q->unconsumed <= q->o.rcvbuf);
			assert_true(q->ooo_bytes <= 2 * q->o.rcvbuf);
			assert_true(q->state >= TCP_LISTEN && q->state <= TCP_TIME_WAIT);
		}
	}
	assert_true(h2->ip->tcp->st.bad_cksum > 0);
	assert_true(h2->ip->tcp->st.bad_hdr > 0);
	/* The stack still works: a fresh connection echoes every byte. */
	run_for(60 * SIM_S);
	t = tcp_tool_start(h1, 0, dst, 7, 50000, 0);
	while (!t->done)
		run_for(10 * SIM_MS);
	assert_null(tcp_tool_error(t));
	tcp_tool_free(t);
	app_free(&a);
	app_free(&srv);
}

/* A SYN again in SYN-RECEIVED (our SYN+ACK lost) is answered with the SYN+ACK again. */
static void
test_syn_again(void **state UNUSED)
{
	struct app l = {0}, srv = {0};
	uint8_t syn[TCP_HLEN] = {0};
	uint32_t src = IP("10.0.1.99"), dst = IP("10.0.2.2"); /* nobody: the SYN+ACKs vanish */
	const struct tcp_pcb *child;
	uint64_t out;

	(void)state;
	tcp_chain(19);
	l.child = &srv;
	assert_non_null(tcp_listen(h2, 0, 5008, app_accept, app_accepted, &l));
	put16(syn, 40000);
	put16(syn + 2, 5008);
	put32(syn + 4, 123456);
	syn[12] = 5 << 4;
	syn[13] = TH_SYN;
	put16(syn + 14, 65535);
	inject(h2, src, dst, syn, sizeof(syn), true);
	assert_int_equal(h2->ip->tcp->n, 2);
	child = h2->ip->tcp->pcbs[1];
	assert_int_equal(child->state, TCP_SYN_RECEIVED);
	assert_int_equal(child->irs, 123456);
	out = h2->ip->tcp->st.segs_out;
	run_for(100 * SIM_MS);
	inject(h2, src, dst, syn, sizeof(syn), true);
	assert_int_equal(h2->ip->tcp->st.segs_out, out + 1);
	assert_int_equal(child->retransmits, 1);
	assert_int_equal(child->state, TCP_SYN_RECEIVED);
	/* Unanswered, the half-open connection goes after its retries, and who took it hears so. */
	run_for(120 * SIM_S);
	assert_int_equal(h2->ip->tcp->n, 1);
	assert_false(l.accepted);
	assert_true(srv.closed);
}

/* An application that aborts in recv, closes in connected, and closes again in closed. */
static void
rude_connected(struct tcp_pcb *pcb, void *arg)
{
	((struct app *)arg)->connected = true;
	assert_int_equal(tcp_send(pcb, "bye", 3), 0);
	tcp_close(pcb);
	tcp_close(pcb); /* twice: nothing more happens */
}

static void
rude_recv(struct tcp_pcb *pcb, void *arg, const uint8_t *data UNUSED, size_t len UNUSED)
{
	((struct app *)arg)->fin = true;
	tcp_abort(pcb);
}

static void
rude_closed(struct tcp_pcb *pcb, void *arg, enum tcp_why why)
{
	app_closed(pcb, arg, why);
	tcp_close(pcb);
	tcp_abort(pcb);
	assert_int_equal(tcp_send(pcb, "x", 1), -1);
}

static const struct tcp_cb rude_cb = {rude_connected, rude_recv, NULL, rude_closed};

static void
test_callbacks_reenter(void **state UNUSED)
{
	struct app l = {0}, srv = {0}, a = {0}, b = {0};

	(void)state;
	tcp_chain(17);
	l.child = &srv;
	assert_non_null(tcp_listen(h2, 0, 5006, app_accept, app_accepted, &l));
	/* Closes in connected: the server gets "bye" and the FIN. */
	a.pcb = tcp_connect(h1, IP("10.0.2.2"), 5006, NULL, &rude_cb, &a);
	run_for(SIM_S);
	assert_true(a.connected);
	assert_int_equal(srv.nrx, 3);
	assert_true(srv.fin);
	tcp_close(srv.pcb);
	/* A refused connection whose closed callback closes and aborts the dying pcb. */
	b.pcb = tcp_connect(h1, IP("10.0.2.2"), 5999, NULL, &rude_cb, &b);
	run_for(SIM_S);
	assert_true(b.closed);
	assert_int_equal(b.why, TCP_GONE_RESET);
	/* Aborts in recv: the server sees a RST. */
	app_free(&srv);
	memset(&srv, 0, sizeof(srv));
	memset(&a, 0, sizeof(a));
	a.pcb = tcp_connect(h1, IP("10.0.2.2"), 5006, NULL, &(struct tcp_cb){.recv = rude_recv,
	    .closed = app_closed}, &a);
	run_for(SIM_S);
	assert_non_null(srv.pcb);
	assert_int_equal(tcp_send(srv.pcb, "hi", 2), 0);
	run_for(SIM_S);
	assert_true(a.fin);
	assert_false(a.closed); /* no callback after tcp_abort */
	assert_true(srv.closed);
	assert_int_equal(srv.why, TCP_GONE_RESET);
	app_free(&srv);
}

int
main(void)
{
#define T(f) cmocka_unit_test_teardown(f, teardown)
	const struct CMUnitTest tests[] = {
		T(test_handshake_data_close),
		T(test_large_transfer),
		T(test_lossy_link),
		T(test_reordering_link),
		T(test_duplicating_link),
		T(test_all_impairments),
		T(test_slow_link),
		T(test_lossy_echo),
		T(test_rst_closed_port),
		T(test_refused),
		T(test_timeout),
		T(test_md5),
		T(test_gtsm),
		T(test_zero_window),
		T(test_crash),
		T(test_echo_tool),
		T(test_busy_control),
		T(test_fuzz_segments),
		T(test_callbacks_reenter),
		T(test_syn_again),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
