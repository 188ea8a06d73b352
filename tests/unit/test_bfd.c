/*
 * test_bfd.c: BFD (src/proto/bfd/).
 *
 *   (a) the state machine table against RFC 5880 6.8.6, state by event;
 *   (b) negotiated intervals (6.8.2, 6.8.3 during a Poll Sequence), the
 *       detection time (6.8.4) and the jitter bounds (6.8.7);
 *   (c) the codec: every validation rule of 6.8.6, and every packet of the
 *       shared BFD captures decodes and re-encodes to the same octets;
 *   (d) sessions between two routers of the real engine: three-way
 *       bring-up, the Poll Sequence to the configured rate, detection of a
 *       silent and of a one-way failure within the detection time, clients
 *       sharing a session, unregistering from inside a callback.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/buf.h"
#include "lib/ip.h"
#include "net/net.h"
#include "proto/bfd/bfd_int.h"
#include "proto/proto.h"
#include "proto/static.h"
#include "net_fixture.h"
#include "shared_data.h"

/* (a) ---------------------------------------------------------------------------------------- */

static void
test_fsm_table(void **state UNUSED)
{
	/* RFC 5880 6.8.6, rows of (state, received state or timer) -> next; -1: ignored. */
	static const struct {
		int state, ev, next;
		uint8_t diag;
	} want[] = {
	    {BFD_DOWN, BFD_EV_RX_DOWN, BFD_INIT, 0},
	    {BFD_DOWN, BFD_EV_RX_INIT, BFD_UP, 0},
	    {BFD_DOWN, BFD_EV_RX_UP, BFD_DOWN, 0},
	    {BFD_DOWN, BFD_EV_RX_ADMIN_DOWN, BFD_DOWN, 0},
	    {BFD_DOWN, BFD_EV_TIMER, BFD_DOWN, 0},
	    {BFD_INIT, BFD_EV_RX_DOWN, BFD_INIT, 0},
	    {BFD_INIT, BFD_EV_RX_INIT, BFD_UP, 0},
	    {BFD_INIT, BFD_EV_RX_UP, BFD_UP, 0},
	    {BFD_INIT, BFD_EV_RX_ADMIN_DOWN, BFD_DOWN, BFD_DIAG_NBR_DOWN},
	    {BFD_INIT, BFD_EV_TIMER, BFD_DOWN, BFD_DIAG_TIME_EXPIRED},
	    {BFD_UP, BFD_EV_RX_DOWN, BFD_DOWN, BFD_DIAG_NBR_DOWN},
	    {BFD_UP, BFD_EV_RX_INIT, BFD_UP, 0},
	    {BFD_UP, BFD_EV_RX_UP, BFD_UP, 0},
	    {BFD_UP, BFD_EV_RX_ADMIN_DOWN, BFD_DOWN, BFD_DIAG_NBR_DOWN},
	    {BFD_UP, BFD_EV_TIMER, BFD_DOWN, BFD_DIAG_TIME_EXPIRED},
	    /* AdminDown discards packets before the machine (6.8.6): no row. */
	    {BFD_ADMIN_DOWN, BFD_EV_RX_UP, -1, 0},
	    {BFD_ADMIN_DOWN, BFD_EV_TIMER, -1, 0},
	};

	for (size_t i = 0; i < ARRAY_LEN(want); i++) {
		struct bfd_sess s = {.state = (uint8_t)want[i].state, .your_disc = 7};
		const struct fsm_row *row = fsm_lookup(bfd_fsm_table, want[i].state, want[i].ev);

		if (want[i].next < 0) {
			assert_null(row);
			continue;
		}
		assert_non_null(row);
		assert_int_equal(fsm_next(row, want[i].state, &s), want[i].next);
		assert_int_equal(s.diag, want[i].diag);
		/* 6.8.1: bfd.RemoteDiscr is reset when the Detection Time expires. */
		assert_int_equal(s.your_disc, want[i].ev == BFD_EV_TIMER ? 0 : 7);
	}
}

/* (b) ---------------------------------------------------------------------------------------- */

static void
test_intervals(void **state UNUSED)
{
	struct bfd_sess s = {.desired_tx = 50000, .required_rx = 50000, .old_tx = 50000,
	    .old_rx = 50000, .remote_rx = 300000, .remote_tx = 100000, .remote_mult = 3};

	/* 6.8.7: the slower of our Desired Min TX and the peer's Required Min RX. */
	assert_int_equal(bfd_sess_tx_interval(&s), 300 * SIM_MS);
	s.remote_rx = 20000;
	assert_int_equal(bfd_sess_tx_interval(&s), 50 * SIM_MS);
	/* 6.8.4: the peer's Detect Mult x max(our Required Min RX, its Desired Min TX). */
	assert_int_equal(bfd_sess_detect_time(&s), 300 * SIM_MS);
	s.remote_tx = 10000;
	assert_int_equal(bfd_sess_detect_time(&s), 150 * SIM_MS);
	/* 6.8.3, during a Poll: a larger TX waits for the Final, a smaller one does not... */
	s.poll = true;
	s.desired_tx = 200000;
	assert_int_equal(bfd_sess_tx_interval(&s), 50 * SIM_MS);
	s.desired_tx = 30000;
	assert_int_equal(bfd_sess_tx_interval(&s), 30 * SIM_MS);
	/* ...and a smaller RX counts for detection only after the Final; a larger one at once. */
	s.required_rx = 20000;
	assert_int_equal(bfd_sess_detect_time(&s), 150 * SIM_MS);
	s.required_rx = 100000;
	assert_int_equal(bfd_sess_detect_time(&s), 300 * SIM_MS);
	s.poll = false;
	s.required_rx = 20000;
	assert_int_equal(bfd_sess_detect_time(&s), 60 * SIM_MS);
}

static void
test_jitter(void **state UNUSED)
{
	const sim_time iv = 100 * SIM_MS;

	for (uint64_t r = 0; r < 65536; r += 1 + r / 7) {
		sim_time j3 = bfd_jitter(iv, 3, r), j1 = bfd_jitter(iv, 1, r);

		/* 75-100 %, and 75-90 % when Detect Mult is 1 (6.8.7). */
		assert_true(j3 > iv * 75 / 100 && j3 <= iv);
		assert_true(j1 > iv * 75 / 100 && j1 <= iv * 90 / 100);
	}
	assert_int_equal(bfd_jitter(iv, 3, 0), iv);
	assert_int_equal(bfd_jitter(iv, 1, 0), iv * 90 / 100);
}

/* (c) ---------------------------------------------------------------------------------------- */

static void
good(uint8_t *p)
{
	static const uint8_t g[BFD_LEN] = {0x20, 0xc0, 3, 24, 0, 0, 0, 1, 0, 0, 0, 2,
	                                   0, 0, 0x27, 0x10, 0, 0, 0x27, 0x10, 0, 0, 0, 0};

	memcpy(p, g, sizeof(g));
}

static void
test_codec_checks(void **state UNUSED)
{
	uint8_t p[64], out[64];
	struct bfd_pkt b;
	const char *err;

	good(p);
	assert_int_equal(bfd_pkt_decode(&b, p, BFD_LEN, &err), 0);
	assert_int_equal(b.state, BFD_UP);
	assert_int_equal(b.mult, 3);
	assert_int_equal(b.my_disc, 1);
	assert_int_equal(b.your_disc, 2);
	assert_int_equal(b.min_tx, 10000);
	assert_int_equal(bfd_pkt_encode(&b, out), BFD_LEN);
	assert_memory_equal(out, p, BFD_LEN);
	assert_int_equal(bfd_pkt_decode(&b, p, BFD_LEN - 1, &err), -1);
	p[0] = 0x40; /* version 2 */
	assert_int_equal(bfd_pkt_decode(&b, p, BFD_LEN, &err), -1);
	assert_string_equal(err, "version not 1");
	good(p);
	p[3] = 23;
	assert_int_equal(bfd_pkt_decode(&b, p, BFD_LEN, &err), -1);
	assert_string_equal(err, "Length too small");
	good(p);
	p[3] = 30;
	assert_int_equal(bfd_pkt_decode(&b, p, BFD_LEN, &err), -1);
	assert_string_equal(err, "Length beyond the payload");
	good(p);
	p[2] = 0;
	assert_int_equal(bfd_pkt_decode(&b, p, BFD_LEN, &err), -1);
	assert_string_equal(err, "Detect Mult zero");
	good(p);
	p[1] |= BFD_F_MULTI;
	assert_int_equal(bfd_pkt_decode(&b, p, BFD_LEN, &err), -1);
	assert_string_equal(err, "Multipoint bit set");
	good(p);
	p[7] = 0;
	assert_int_equal(bfd_pkt_decode(&b, p, BFD_LEN, &err), -1);
	assert_string_equal(err, "My Discriminator zero");
	good(p);
	p[11] = 0; /* Your Discriminator zero in Up */
	assert_int_equal(bfd_pkt_decode(&b, p, BFD_LEN, &err), -1);
	p[1] = 0x40; /* ...is fine in Down */
	assert_int_equal(bfd_pkt_decode(&b, p, BFD_LEN, &err), 0);
	/* Simple password authentication (4.2): re-encoded whole; a bad length refused. */
	good(p);
	p[1] |= BFD_F_AUTH;
	p[3] = 24 + 7;
	memcpy(p + 24, "\x01\x07\x05" "abcd", 7);
	assert_int_equal(bfd_pkt_decode(&b, p, 31, &err), 0);
	assert_int_equal(b.auth_type, BFD_AUTH_SIMPLE);
	assert_int_equal(b.key_id, 5);
	assert_int_equal(bfd_pkt_encode(&b, out), 31);
	assert_memory_equal(out, p, 31);
	p[24] = BFD_AUTH_KEYED_MD5;
	assert_int_equal(bfd_pkt_decode(&b, p, 31, &err), -1);
	assert_string_equal(err, "MD5 authentication length not 24");
}

/* Every BFD payload of the captures decodes, and re-encodes to its octets. */
static unsigned npkts;

static void
no_errors(struct dissect *d, void *arg UNUSED)
{
	if (d->errors)
		fail_msg("%s: %s", sb_str(&d->line), sb_str(&d->err));
	if (strstr(sb_str(&d->line), "BFD"))
		npkts++;
}

static void
check_payload(struct dissect *d UNUSED, const uint8_t *p, size_t len)
{
	struct bfd_pkt b;
	const char *err = NULL;
	uint8_t out[256];

	if (bfd_pkt_decode(&b, p, len, &err) < 0)
		fail_msg("capture packet %u: %s", npkts + 1, err);
	assert_int_equal(bfd_pkt_encode(&b, out), b.len);
	assert_memory_equal(out, p, b.len);
	npkts++;
}

static void
test_captures(void **state UNUSED)
{
	static const char *const files[] = {
	    "captures/tcpdump/bfd-lag.pcap",
	    "captures/tcpdump/bfd-multihop.pcap",
	    "captures/tcpdump/bfd-raw-auth-simple.pcap",
	    "captures/tcpdump/bfd-sbfd.pcap",
	    "captures/tcpdump/bfd_source_port_49152.pcap",
	    "captures/holo/holo_bfd.pcap",
	};
	struct dissect d;
	unsigned frame, before;

	/* The real dissector first: no frame of these files is an error. */
	dissect_setup();
	dissect_init(&d);
	for (size_t i = 0; i < ARRAY_LEN(files); i++)
		assert_true(shared_pcap_decode(files[i], &d, &frame, no_errors, NULL) > 0);
	dissect_free(&d);
	assert_int_equal(npkts, 72);
	npkts = 0;
	/* Then the codec on each payload, in place of the dissector. */
	dissect_register(DT_UDP_PORT, BFD_PORT, check_payload);
	dissect_register(DT_UDP_PORT, BFD_MH_PORT, check_payload);
	dissect_register(DT_UDP_PORT, BFD_LAG_PORT, check_payload);
	dissect_register(DT_UDP_PORT, BFD_SBFD_PORT, check_payload);
	dissect_init(&d);
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		before = npkts;
		shared_pcap_decode(files[i], &d, &frame, NULL, NULL);
		assert_true(npkts > before);
	}
	dissect_free(&d);
	/* The IPv4 ones: 5 + 40 + 15 + 10 (the S-BFD file's other half is IPv6) + 1 + 1. */
	assert_int_equal(npkts, 72);
}

/* (d) ---------------------------------------------------------------------------------------- */

struct watch {
	int ups, downs;
	sim_time down_at;
	struct bfd_client **self; /* unregister from inside the callback */
};

static void
cb(void *arg, bool up)
{
	struct watch *w = arg;

	if (up) {
		w->ups++;
		return;
	}
	w->downs++;
	w->down_at = net->sim.now;
	if (w->self != NULL) {
		bfd_unregister(*w->self);
		*w->self = NULL;
	}
}

static struct bfd *
bfd_on(struct node *n)
{
	struct proto_inst *pi = proto_get(n, &proto_bfd);

	return pi ? pi->priv : NULL;
}

static void
two_routers(void)
{
	chain(42, SIM_MS, SIM_MS);
	assert_true(bfd_enable(r1, NULL));
	assert_true(bfd_enable(r2, NULL));
	/* 50 ms x 3 on r1 (both ways, so the session runs at 50 ms once Up), FRR's default on r2. */
	bfd_on(r1)->dflt = (struct bfd_params){50000, 50000, 3, false};
	bfd_on(r2)->dflt = (struct bfd_params){50000, 50000, 3, false};
	net_start(net);
	sim_run_until(&net->sim, 10 * SIM_MS);
}

static void
test_session_updown(void **state UNUSED)
{
	struct watch w1 = {0}, w2 = {0};
	struct bfd_client *c1, *c2;
	struct bfd_sess *s1, *s2;
	sim_time t0;

	two_routers();
	c1 = bfd_register(r1, IP("10.0.12.2"), 0, r1->ifs[1], cb, &w1);
	c2 = bfd_register(r2, IP("10.0.12.1"), 0, r2->ifs[0], cb, &w2);
	assert_non_null(c1);
	assert_non_null(c2);
	s1 = bfd_on(r1)->sess[0];
	s2 = bfd_on(r2)->sess[0];
	assert_int_equal(s1->state, BFD_DOWN);
	/* Not Up: at least one second between packets (6.8.3). */
	assert_int_equal(s1->desired_tx, BFD_SLOW_TX);
	assert_true(s1->sport >= BFD_SPORT_MIN);
	sim_run_until(&net->sim, net->sim.now + 2 * SIM_S);
	assert_int_equal(s1->state, BFD_UP);
	assert_int_equal(s2->state, BFD_UP);
	assert_int_equal(w1.ups, 1);
	assert_int_equal(w2.ups, 1);
	/* The Poll Sequence to the configured rate is over: both at 50 ms. */
	assert_false(s1->poll);
	assert_false(s2->poll);
	assert_int_equal(s1->desired_tx, 50000);
	assert_int_equal(s1->remote_tx, 50000);
	assert_int_equal(bfd_sess_tx_interval(s1), 50 * SIM_MS);
	assert_int_equal(bfd_sess_detect_time(s1), 150 * SIM_MS);
	assert_int_equal(s1->your_disc, s2->my_disc);
	assert_int_equal(s2->your_disc, s1->my_disc);
	/* A silent failure: down within the detection time, with its diagnostic. */
	t0 = net->sim.now;
	l1->loss = 100;
	sim_run_until(&net->sim, t0 + SIM_S);
	assert_int_equal(w1.downs, 1);
	assert_int_equal(w2.downs, 1);
	assert_true(w1.down_at - t0 <= 150 * SIM_MS + SIM_MS);
	assert_true(w1.down_at - t0 >= 100 * SIM_MS - 50 * SIM_MS);
	assert_int_equal(s1->state, BFD_DOWN);
	assert_int_equal(s1->diag, BFD_DIAG_TIME_EXPIRED);
	assert_int_equal(s1->your_disc, 0);
	/* Back to the slow rate while Down. */
	assert_int_equal(s1->desired_tx, BFD_SLOW_TX);
	/* Repaired: Up again. */
	l1->loss = 0;
	sim_run_until(&net->sim, net->sim.now + 3 * SIM_S);
	assert_int_equal(s1->state, BFD_UP);
	assert_int_equal(w1.ups, 2);
	bfd_unregister(c1);
	bfd_unregister(c2);
	assert_int_equal(bfd_on(r1)->nsess, 0);
	assert_int_equal(bfd_on(r2)->nsess, 0);
	net_free(net);
}

static void
test_oneway_and_sharing(void **state UNUSED)
{
	struct watch a = {0}, b = {0}, w2 = {0};
	struct bfd_client *ca, *cb2, *c2;
	struct bfd_sess *s1;
	sim_time t0;

	two_routers();
	ca = bfd_register(r1, IP("10.0.12.2"), 0, r1->ifs[1], cb, &a);
	cb2 = bfd_register(r1, IP("10.0.12.2"), 0, r1->ifs[1], cb, &b);
	c2 = bfd_register(r2, IP("10.0.12.1"), 0, r2->ifs[0], cb, &w2);
	/* One session for both clients of (peer, interface). */
	assert_int_equal(bfd_on(r1)->nsess, 1);
	s1 = bfd_on(r1)->sess[0];
	assert_int_equal(s1->nclients, 2);
	a.self = &ca; /* a leaves from inside its callback */
	w2.self = &c2;
	sim_run_until(&net->sim, net->sim.now + 2 * SIM_S);
	assert_int_equal(s1->state, BFD_UP);
	/* r2's frames are lost, r1's still arrive: r1 times out; both sides go down. */
	t0 = net->sim.now;
	l1->dark_from = r2->ifs[0];
	sim_run_until(&net->sim, t0 + SIM_S);
	assert_int_equal(a.downs, 1);
	assert_int_equal(b.downs, 1);
	assert_int_equal(w2.downs, 1);
	assert_true(a.down_at - t0 <= 150 * SIM_MS + SIM_MS);
	assert_null(ca);
	assert_null(c2);
	/* b is left: the session stays, r2's went with its only client. */
	assert_int_equal(bfd_on(r1)->nsess, 1);
	assert_int_equal(s1->nclients, 1);
	assert_int_equal(bfd_on(r2)->nsess, 0);
	bfd_unregister(cb2);
	assert_int_equal(bfd_on(r1)->nsess, 0);
	net_free(net);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fsm_table),
	    cmocka_unit_test(test_intervals),
	    cmocka_unit_test(test_jitter),
	    cmocka_unit_test(test_codec_checks),
	    cmocka_unit_test(test_captures),
	    cmocka_unit_test(test_session_updown),
	    cmocka_unit_test(test_oneway_and_sharing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
