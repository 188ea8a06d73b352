/*
 * test_tcp_vrf.c: TCP connections and listeners in VRFs (tcp.h: opts.vrf,
 * tcp_listen_vrf). A router r1 has 10.0.0.1/24 three times, in VRFs red and
 * blue and in the default VRF, each toward a host 10.0.0.2 of its own (ha,
 * hb, hc). Tested: two connections with the same 4-tuple in red and blue,
 * active and passive, carry their own bytes; a listener in red takes only
 * red's SYNs and a SYN from blue or the default VRF is answered with RST in
 * the VRF it came from (routed there: the default VRF's route to 10.0.0.2
 * would have taken it to hc); listeners are per VRF and a VRF the node does
 * not have is refused; MD5 and GTSM in a VRF; the echo service answers in
 * the VRF a SYN came in on; `show tcp` names the VRF; UDP sockets per VRF.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/ip.h"
#include "lib/json.h"
#include "lib/strbuf.h"
#include "lib/util.h"
#include "net/ip4.h"
#include "net/net.h"
#include "net/pkt.h"
#include "net/tcp.h"
#include "net/tcp_int.h"
#include "net/tcp_tool.h"
#include "net/udp.h"
#include "net/vrf.h"
#include "proto/proto.h"
#include "proto/static.h"

#include "net_fixture.h"

#define RED  1
#define BLUE 2

static struct node *ha, *hb, *hc; /* r1 is the fixture's */

/* r1 with eth0 in red toward ha, eth1 in blue toward hb, eth2 (default) toward hc. */
static int
setup(void **state UNUSED)
{
	struct node *hosts[3];
	const uint16_t vrfs[3] = {RED, BLUE, VRF_DEFAULT};

	net = net_new("tcp-vrf", 1);
	r1 = mknode("r1", NODE_ROUTER);
	assert_non_null(node_vrf_add(r1, "red"));
	assert_non_null(node_vrf_add(r1, "blue"));
	hosts[0] = ha = mknode("ha", NODE_HOST);
	hosts[1] = hb = mknode("hb", NODE_HOST);
	hosts[2] = hc = mknode("hc", NODE_HOST);
	for (int i = 0; i < 3; i++) {
		char name[16];
		struct iface *rif;

		snprintf(name, sizeof(name), "eth%d", i);
		rif = mkif(r1, name, "10.0.0.1/24");
		rif->vrf = vrfs[i];
		mklink(rif, mkif(hosts[i], "eth0", "10.0.0.2/24"), SIM_MS);
	}
	net_start(net);
	sim_run_until(&net->sim, 100 * SIM_MS);
	return 0;
}

static int
teardown(void **state UNUSED)
{
	net_free(net);
	net = NULL;
	return 0;
}

static void
run_for(sim_time d)
{
	sim_run_until(&net->sim, net->sim.now + d);
}

/* ------------------------------------------------------------------------ */
/* One end of a connection, and a listener that hands its connection to one. */

struct end {
	struct tcp_pcb *pcb;
	char rx[64];
	size_t nrx;
	bool connected, closed;
	enum tcp_why why;
	/* As a listener: */
	struct end *child;
	const char *key;
	uint8_t min_ttl;
	int accepts;
	uint16_t hook_vrf;  /* the VRF the accept hook was told */
};

static void
end_connected(struct tcp_pcb *pcb UNUSED, void *arg)
{
	((struct end *)arg)->connected = true;
}

static void
end_recv(struct tcp_pcb *pcb UNUSED, void *arg, const uint8_t *data, size_t len)
{
	struct end *e = arg;

	if (len > 0 && e->nrx + len < sizeof(e->rx)) {
		memcpy(e->rx + e->nrx, data, len);
		e->nrx += len;
	}
}

static void
end_closed(struct tcp_pcb *pcb UNUSED, void *arg, enum tcp_why why)
{
	struct end *e = arg;

	e->closed = true;
	e->why = why;
	e->pcb = NULL;
}

static const struct tcp_cb end_cb = {.connected = end_connected, .recv = end_recv,
    .closed = end_closed};

static bool
end_accept(void *larg, uint32_t laddr UNUSED, uint32_t raddr UNUSED, uint16_t rport UNUSED,
    struct tcp_opts *o, const struct tcp_cb **cb, void **arg)
{
	struct end *l = larg;

	l->accepts++;
	l->hook_vrf = o->vrf;
	o->vrf = VRF_DEFAULT; /* not the hook's to change: the connection stays in the listener's */
	o->md5_key = l->key;
	o->min_ttl = l->min_ttl;
	o->ttl = l->min_ttl ? 255 : 0;
	*cb = &end_cb;
	*arg = l->child;
	return true;
}

static void
end_accepted(void *larg UNUSED, struct tcp_pcb *pcb, void *arg)
{
	struct end *c = arg;

	c->pcb = pcb;
	c->connected = true;
}

static struct tcp_pcb *
connect_from(struct node *n, struct end *e, uint16_t vrf, uint16_t sport, uint16_t dport,
    const char *key, uint8_t ttl)
{
	struct tcp_opts o = {.vrf = vrf, .sport = sport, .md5_key = key, .ttl = ttl};

	/* r1 connects to its neighbour, a host to r1. */
	e->pcb = tcp_connect(n, IP(n == r1 ? "10.0.0.2" : "10.0.0.1"), dport, &o, &end_cb, e);
	return e->pcb;
}

/* ------------------------------------------------------------------------ */

/*
 * The same 4-tuple twice, 10.0.0.1:179 <-> 10.0.0.2:40000, once in red and
 * once in blue, both passive at r1; and r1's active opens with one source
 * port in both VRFs. Each connection carries its own bytes.
 */
static void
test_same_tuple(void **state UNUSED)
{
	struct end lr = {0}, lb = {0}, sr = {0}, sb = {0}, a = {0}, b = {0};
	struct end ra = {0}, rb = {0}, la = {0}, lbh = {0}, ca = {0}, cb = {0};

	lr.child = &sr;
	lb.child = &sb;
	assert_non_null(tcp_listen_vrf(r1, RED, 0, 179, end_accept, end_accepted, &lr));
	assert_non_null(tcp_listen_vrf(r1, BLUE, 0, 179, end_accept, end_accepted, &lb));
	assert_non_null(connect_from(ha, &a, VRF_DEFAULT, 40000, 179, NULL, 0));
	assert_non_null(connect_from(hb, &b, VRF_DEFAULT, 40000, 179, NULL, 0));
	run_for(SIM_S);
	assert_true(a.connected && b.connected && sr.connected && sb.connected);
	assert_int_equal(lr.accepts, 1);
	assert_int_equal(lb.accepts, 1);
	assert_int_equal(lr.hook_vrf, RED);
	assert_int_equal(lb.hook_vrf, BLUE);
	assert_int_equal(tcp_vrf_of(sr.pcb), RED);
	assert_int_equal(tcp_vrf_of(sb.pcb), BLUE);
	assert_ptr_equal(tcp_find(r1->ip->tcp, RED, IP("10.0.0.1"), 179, IP("10.0.0.2"), 40000),
	    sr.pcb);
	assert_ptr_equal(tcp_find(r1->ip->tcp, BLUE, IP("10.0.0.1"), 179, IP("10.0.0.2"), 40000),
	    sb.pcb);
	assert_null(tcp_find(r1->ip->tcp, VRF_DEFAULT, IP("10.0.0.1"), 179, IP("10.0.0.2"), 40000));
	assert_int_equal(tcp_send(a.pcb, "to-red", 6), 0);
	assert_int_equal(tcp_send(b.pcb, "to-blue", 7), 0);
	assert_int_equal(tcp_send(sr.pcb, "from-red", 8), 0);
	assert_int_equal(tcp_send(sb.pcb, "from-blue", 9), 0);
	run_for(SIM_S);
	assert_string_equal(sr.rx, "to-red");
	assert_string_equal(sb.rx, "to-blue");
	assert_string_equal(a.rx, "from-red");
	assert_string_equal(b.rx, "from-blue");

	/* Active: r1 opens 10.0.0.1:50000 -> 10.0.0.2:5000 in red and in blue. */
	la.child = &ca;
	lbh.child = &cb;
	assert_non_null(tcp_listen(ha, 0, 5000, end_accept, end_accepted, &la));
	assert_non_null(tcp_listen(hb, 0, 5000, end_accept, end_accepted, &lbh));
	assert_non_null(connect_from(r1, &ra, RED, 50000, 5000, NULL, 0));
	assert_non_null(connect_from(r1, &rb, BLUE, 50000, 5000, NULL, 0));
	/* The same 4-tuple again in one VRF is taken. */
	assert_null(tcp_connect(r1, IP("10.0.0.2"), 5000, &(struct tcp_opts){.vrf = RED,
	    .sport = 50000}, &end_cb, &ra));
	run_for(SIM_S);
	assert_true(ra.connected && rb.connected && ca.connected && cb.connected);
	assert_int_equal(tcp_send(ra.pcb, "r", 1), 0);
	assert_int_equal(tcp_send(rb.pcb, "bb", 2), 0);
	run_for(SIM_S);
	assert_string_equal(ca.rx, "r");
	assert_string_equal(cb.rx, "bb");
	/* Nothing of it reached the default VRF's neighbour. */
	assert_true(hc->ip->tcp == NULL || hc->ip->tcp->st.segs_in == 0);
}

/*
 * A listener in red: SYNs from blue and from the default VRF find no
 * listener there and are refused with a RST routed in their own VRF.
 */
static void
test_wrong_vrf_reset(void **state UNUSED)
{
	struct end l = {0}, s = {0}, a = {0}, b = {0}, c = {0};
	uint64_t closed_port;

	l.child = &s;
	assert_non_null(tcp_listen_vrf(r1, RED, 0, 179, end_accept, end_accepted, &l));
	closed_port = r1->ip->tcp->st.closed_port;
	assert_non_null(connect_from(hb, &b, VRF_DEFAULT, 0, 179, NULL, 0));
	assert_non_null(connect_from(hc, &c, VRF_DEFAULT, 0, 179, NULL, 0));
	assert_non_null(connect_from(ha, &a, VRF_DEFAULT, 0, 179, NULL, 0));
	run_for(SIM_S);
	assert_true(b.closed && !b.connected);
	assert_int_equal(b.why, TCP_GONE_RESET);
	assert_true(c.closed && !c.connected);
	assert_int_equal(c.why, TCP_GONE_RESET);
	assert_int_equal(r1->ip->tcp->st.closed_port, closed_port + 2);
	assert_true(a.connected && s.connected);
	assert_int_equal(l.accepts, 1);
	assert_int_equal(tcp_vrf_of(s.pcb), RED);
}

/* Listeners are per VRF; a VRF the node does not have is refused. */
static void
test_listeners_per_vrf(void **state UNUSED)
{
	struct end l = {0};
	struct tcp_pcb *p;

	assert_non_null(tcp_listen_vrf(r1, RED, 0, 179, end_accept, end_accepted, &l));
	assert_null(tcp_listen_vrf(r1, RED, IP("10.0.0.1"), 179, end_accept, end_accepted, &l));
	assert_non_null(p = tcp_listen(r1, 0, 179, end_accept, end_accepted, &l));
	assert_int_equal(tcp_vrf_of(p), VRF_DEFAULT);
	assert_null(tcp_listen(r1, 0, 179, end_accept, end_accepted, &l));
	assert_non_null(tcp_listen_vrf(r1, BLUE, IP("10.0.0.1"), 179, end_accept, end_accepted, &l));
	assert_null(tcp_listen_vrf(r1, 3, 0, 179, end_accept, end_accepted, &l));
	assert_null(tcp_listen_vrf(ha, RED, 0, 179, end_accept, end_accepted, &l));
	assert_null(tcp_connect(r1, IP("10.0.0.2"), 179, &(struct tcp_opts){.vrf = 3}, &end_cb, &l));
}

/* MD5 (RFC 2385) and GTSM (RFC 5082) on a connection in blue. */
static void
test_md5_gtsm(void **state UNUSED)
{
	struct end l = {0}, s = {0}, b = {0}, bad = {0};

	l.child = &s;
	l.key = "blue-secret";
	l.min_ttl = 254;
	assert_non_null(tcp_listen_vrf(r1, BLUE, 0, 179, end_accept, end_accepted, &l));
	assert_non_null(connect_from(hb, &bad, VRF_DEFAULT, 0, 179, "wrong", 255));
	assert_non_null(connect_from(hb, &b, VRF_DEFAULT, 0, 179, "blue-secret", 255));
	run_for(SIM_S);
	assert_true(b.connected && s.connected);
	assert_false(bad.connected);
	assert_true(r1->ip->tcp->st.md5_drops > 0);
	assert_int_equal(tcp_send(b.pcb, "signed", 6), 0);
	run_for(SIM_S);
	assert_string_equal(s.rx, "signed");
	tcp_abort(bad.pcb);
}

/* The echo service answers in the VRF the SYN came in on; r1's tool runs in a VRF. */
static void
test_echo_per_vrf(void **state UNUSED)
{
	struct tcp_tool *t;
	uint64_t hb_in;

	t = tcp_tool_start(ha, VRF_DEFAULT, IP("10.0.0.1"), 7, 20000, 0);
	run_for(5 * SIM_S);
	assert_true(t->done && t->connected);
	assert_null(tcp_tool_error(t));
	assert_int_equal(t->received, 20000);
	tcp_tool_free(t);
	hb_in = hb->ip->tcp ? hb->ip->tcp->st.segs_in : 0;
	t = tcp_tool_start(r1, RED, IP("10.0.0.2"), 7, 30000, 0);
	run_for(5 * SIM_S);
	assert_true(t->done && t->connected);
	assert_null(tcp_tool_error(t));
	assert_int_equal(t->laddr, IP("10.0.0.1"));
	assert_int_equal(t->received, 30000);
	tcp_tool_free(t);
	/* Red's transfer went to ha only. */
	assert_int_equal(hb->ip->tcp ? hb->ip->tcp->st.segs_in : 0, hb_in);
	assert_true(hc->ip->tcp == NULL || hc->ip->tcp->st.segs_in == 0);
}

/* `show tcp` names a connection's VRF (not the default's), in text and JSON. */
static void
test_show(void **state UNUSED)
{
	struct end l = {0}, s = {0}, a = {0};
	struct strbuf sb = STRBUF_INIT;
	struct json j;
	const char *txt;

	l.child = &s;
	assert_non_null(tcp_listen_vrf(r1, RED, 0, 179, end_accept, end_accepted, &l));
	assert_non_null(tcp_listen(r1, 0, 180, end_accept, end_accepted, &l));
	assert_non_null(connect_from(ha, &a, VRF_DEFAULT, 40000, 179, NULL, 0));
	run_for(SIM_S);
	tcp_show(r1, &sb);
	txt = sb_str(&sb);
	assert_non_null(strstr(txt, "LISTEN            0      0 *%red:179"));
	assert_non_null(strstr(txt, "LISTEN            0      0 *:180 "));
	assert_non_null(strstr(txt, "ESTABLISHED       0      0 10.0.0.1%red:179      10.0.0.2:40000"));
	sb_free(&sb);
	json_init(&j, &sb, false);
	tcp_show_json(r1, &j);
	txt = sb_str(&sb);
	assert_non_null(strstr(txt, "\"localPort\":179"));
	assert_non_null(strstr(txt, "\"vrf\":\"red\""));
	/* Three entries: two of red, one (the default's listener, :180) without "vrf". */
	{
		const char *e = txt;
		int red = 0, plain = 0;

		while ((e = strstr(e, "{\"state\"")) != NULL) {
			const char *end = strchr(e, '}');
			const char *v = strstr(e, "\"vrf\""), *p180 = strstr(e, "\"localPort\":180");

			if (v != NULL && v < end && strncmp(v, "\"vrf\":\"red\"", 11) == 0)
				red++;
			else if (p180 != NULL && p180 < end && (v == NULL || v > end))
				plain++;
			e = end;
		}
		assert_int_equal(red, 2);
		assert_int_equal(plain, 1);
	}
	sb_free(&sb);
}

/* A UDP socket receives its VRF's datagrams only; the port is taken per VRF. */
static int udp_got[3];

static void
udp_rx(struct udp_sock *s, struct iface *ifp UNUSED, struct pkt *p, uint32_t src UNUSED,
    uint16_t sport UNUSED, uint32_t dst UNUSED, uint16_t dport UNUSED)
{
	udp_got[(intptr_t)s->arg]++;
	pkt_free(p);
}

static void
test_udp(void **state UNUSED)
{
	struct udp_sock *red, *def;
	const struct ip4_out o = {.dst = IP("10.0.0.1")};

	red = udp_bind_vrf(r1, RED, 5555, udp_rx, (void *)(intptr_t)0);
	assert_non_null(red);
	assert_null(udp_bind_vrf(r1, RED, 5555, udp_rx, NULL));
	def = udp_bind(r1, 5555, udp_rx, (void *)(intptr_t)2);
	assert_non_null(def);
	udp_send(ha, pkt_from((const uint8_t *)"x", 1), 6000, 5555, &o);
	udp_send(ha, pkt_from((const uint8_t *)"y", 1), 6000, 5555, &o);
	udp_send(hc, pkt_from((const uint8_t *)"z", 1), 6000, 5555, &o);
	/* Blue has no socket on the port: port unreachable, nothing delivered. */
	udp_send(hb, pkt_from((const uint8_t *)"w", 1), 6000, 5555, &o);
	run_for(SIM_S);
	assert_int_equal(udp_got[0], 2);
	assert_int_equal(udp_got[1], 0);
	assert_int_equal(udp_got[2], 1);
	udp_close(red);
	udp_close(def);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_same_tuple, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_vrf_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_listeners_per_vrf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_md5_gtsm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_echo_per_vrf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_show, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
