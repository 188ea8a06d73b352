/*
 * test_flow.c: probe flows (net/flow.h) on the chain h1 - r1 - r2 - h2 built
 * in C: probes counted at the receiver, the outage bookkeeping (gaps, late
 * probes splitting them, duplicates), probes black-holed and looped by the
 * router that dropped them, probes cut on the wire of a failed link or
 * dropped waiting for ARP, and
 * the FIB walk's intervals.
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
#include "lib/ip.h"
#include "lib/util.h"
#include "net/converge.h"
#include "net/flow.h"
#include "net/net.h"
#include "proto/proto.h"
#include "proto/static.h"

#include "net_fixture.h"

/*
 * Start, and warm the ARP caches along h1 - r1 - r2 - h2 (a probe that
 * waits for ARP past the queue's few packets is dropped, as on Linux), then
 * forget that flow.
 */
static void
start(void)
{
	const char *err = NULL;

	converge_attach(net);
	net_start(net);
	sim_run_until(&net->sim, 10 * SIM_MS);
	assert_non_null(flow_start(net, h1, IP("10.0.1.2"), h2, IP("10.0.2.2"), 10 * SIM_MS, 0, &err));
	assert_non_null(flow_start(net, h2, IP("10.0.2.2"), h1, IP("10.0.1.2"), 10 * SIM_MS, 0, &err));
	sim_run_until(&net->sim, 20 * SIM_MS);
	flow_stop_all(net);
	sim_run_until(&net->sim, 200 * SIM_MS);
	flow_clear(net);
}

static struct flow *
h1_to_h2(sim_time interval)
{
	const char *err = NULL;
	struct flow *f = flow_start(net, h1, IP("10.0.1.2"), h2, IP("10.0.2.2"), interval, 0, &err);

	assert_non_null(f);
	return f;
}

static uint64_t
drops_at(const struct flow *f, const struct node *n, enum flow_drop k)
{
	for (size_t i = 0; i < f->nwhere; i++)
		if (f->where[i].node == n->id)
			return f->where[i].n[k];
	return 0;
}

/* Run d more, stop the flows, and let what is in flight arrive. */
static void
run_and_stop(sim_time d)
{
	sim_run_until(&net->sim, net->sim.now + d);
	flow_stop_all(net);
	sim_run_until(&net->sim, net->sim.now + 100 * SIM_MS);
}

static void
test_delivered(void **state UNUSED)
{
	struct flow *f;
	struct flow_outage o;

	chain(1, SIM_MS, SIM_MS);
	start();
	f = h1_to_h2(SIM_MS / 10);
	run_and_stop(50 * SIM_MS);
	assert_int_equal(f->sent, 501); /* at 0, 0.1 ms, ..., 50 ms: both ends included */
	assert_int_equal(f->delivered, 501);
	assert_int_equal(flow_lost(f), 0);
	assert_int_equal(f->nout, 0);
	assert_false(flow_open_outage(f, net->sim.now, &o));
	assert_int_equal(f->dropped[FLOW_LOOPED] + f->dropped[FLOW_BLACKHOLED] + f->dropped[FLOW_CUT] +
	    f->dropped[FLOW_ARP] + f->late + f->dups, 0);
	assert_int_equal(f->nwiv, 0); /* the walk delivered throughout */
	/* The path, the same at both ends of the run. */
	assert_int_equal(f->nbefore, 4);
	assert_int_equal(f->path_before[0], h1->id);
	assert_int_equal(f->path_before[1], r1->id);
	assert_int_equal(f->path_before[2], r2->id);
	assert_int_equal(f->path_before[3], h2->id);
	assert_int_equal(f->nafter, 4);
	assert_memory_equal(f->path_after, f->path_before, 4 * sizeof(*f->path_before));
}

/* Cold ARP caches: probes beyond the 8 a next hop being resolved holds are dropped, and say so. */
static void
test_arp(void **state UNUSED)
{
	struct flow *f;

	chain(1, SIM_MS, SIM_MS);
	converge_attach(net);
	net_start(net);
	sim_run_until(&net->sim, 10 * SIM_MS);
	f = h1_to_h2(SIM_MS / 10);
	run_and_stop(50 * SIM_MS);
	assert_true(flow_lost(f) > 0);
	assert_int_equal(f->dropped[FLOW_ARP], flow_lost(f));
	assert_int_equal(f->dropped[FLOW_ARP], drops_at(f, h1, FLOW_ARP) + drops_at(f, r1, FLOW_ARP) +
	    drops_at(f, r2, FLOW_ARP));
	assert_int_equal(f->nout, 1); /* one gap at the start, until ARP resolved */
}

static void
probe(uint8_t *d, uint32_t id, uint32_t seq, sim_time sent)
{
	put32(d, FLOW_MAGIC);
	put32(d + 4, id);
	put32(d + 8, seq);
	put32(d + 12, (uint32_t)((uint64_t)sent >> 32));
	put32(d + 16, (uint32_t)sent);
}

/* Gaps, a late probe that splits one, another that closes one, duplicates. */
static void
test_outages(void **state UNUSED)
{
	struct flow *f;
	uint8_t d[FLOW_PAYLOAD];
	static const uint32_t seqs[] = {0, 1, 2, 6, 4, 3, 9, 1, 6};

	chain(1, SIM_MS, SIM_MS);
	start();
	f = h1_to_h2(SIM_S); /* sends its first probe only once the engine runs */
	for (size_t i = 0; i < ARRAY_LEN(seqs); i++) {
		probe(d, f->id, seqs[i], seqs[i] * SIM_MS);
		assert_true(flow_rx(h2, d, sizeof(d)));
	}
	/* Not a probe of this flow's receiver, nor a probe at all. */
	assert_false(flow_rx(r2, d, sizeof(d)));
	put32(d, 0);
	assert_false(flow_rx(h2, d, sizeof(d)));
	/* 0 1 2 6: gap 2..6; 4 splits it into 2..4 and 4..6; 3 closes 2..4; 9: gap 6..9. */
	assert_int_equal(f->delivered, 7);
	assert_int_equal(f->late, 2);
	assert_int_equal(f->dups, 2);
	assert_int_equal(f->nout, 2);
	assert_int_equal(f->out[0].from_seq, 4);
	assert_int_equal(f->out[0].to_seq, 6);
	assert_int_equal(f->out[0].to - f->out[0].from, 2 * SIM_MS);
	assert_int_equal(f->out[1].from_seq, 6);
	assert_int_equal(f->out[1].to_seq, 9);
	assert_int_equal(f->out[1].to - f->out[1].from, 3 * SIM_MS);
}

static void
test_blackhole(void **state UNUSED)
{
	struct flow *f;
	struct flow_outage o;

	chain(1, SIM_MS, SIM_MS);
	mkroute(r1, "10.0.2.2/32", NULL);
	start();
	f = h1_to_h2(SIM_MS);
	run_and_stop(20 * SIM_MS);
	assert_int_equal(f->sent, 21);
	assert_int_equal(f->delivered, 0);
	assert_int_equal(f->dropped[FLOW_BLACKHOLED], 21);
	assert_int_equal(drops_at(f, r1, FLOW_BLACKHOLED), 21);
	assert_true(flow_open_outage(f, net->sim.now, &o));
	assert_int_equal(o.to - o.from, 20 * SIM_MS);
	/* The walk met the blackhole at r1 from the start, and still did at the stop. */
	assert_int_equal(f->nwiv, 1);
	assert_int_equal(f->wiv[0].verdict, WALK_BLACKHOLE);
	assert_int_equal(f->wiv[0].nnodes, 1);
	assert_int_equal(f->wiv[0].nodes[0], r1->id);
	assert_int_equal(f->wiv[0].to, -1);
}

static void
test_loop(void **state UNUSED)
{
	struct flow *f;

	chain(1, SIM_MS, SIM_MS);
	mkroute(r2, "10.0.2.2/32", "10.0.12.1"); /* back to r1, which sends it to r2 */
	start();
	f = h1_to_h2(SIM_MS);
	run_and_stop(20 * SIM_MS);
	assert_int_equal(f->sent, 21);
	assert_int_equal(f->delivered, 0);
	assert_int_equal(f->dropped[FLOW_LOOPED], 21);
	assert_int_equal(drops_at(f, r1, FLOW_LOOPED) + drops_at(f, r2, FLOW_LOOPED), 21);
	assert_int_equal(f->nwiv, 1);
	assert_int_equal(f->wiv[0].verdict, WALK_LOOP);
	assert_int_equal(f->wiv[0].nnodes, 2);
	assert_int_equal(f->wiv[0].nodes[0], r1->id);
	assert_int_equal(f->wiv[0].nodes[1], r2->id);
}

/*
 * r1-r2 (10 ms) fails with ten probes on it: they are cut at r2; the probes
 * after find no route at r1 (its static route's gateway was on the link:
 * withdrawn at once), black-holed there; the walk sees it the moment the
 * link goes down.
 */
static void
test_cut_and_down(void **state UNUSED)
{
	struct flow *f;
	sim_time t;

	chain(1, 10 * SIM_MS, SIM_MS);
	start();
	f = h1_to_h2(SIM_MS);
	sim_run_until(&net->sim, net->sim.now + 50 * SIM_MS);
	t = net->sim.now;
	link_set_up(l1, false);
	converge_check(net);
	run_and_stop(20 * SIM_MS);
	assert_int_equal(f->dropped[FLOW_CUT], 10);
	assert_int_equal(drops_at(f, r2, FLOW_CUT), 10);
	assert_int_equal(drops_at(f, r1, FLOW_BLACKHOLED), f->dropped[FLOW_BLACKHOLED]);
	assert_true(f->dropped[FLOW_BLACKHOLED] >= 19);
	assert_int_equal(f->delivered + f->dropped[FLOW_CUT] + f->dropped[FLOW_BLACKHOLED], f->sent);
	assert_int_equal(f->nwiv, 1);
	assert_int_equal(f->wiv[0].verdict, WALK_NOROUTE);
	assert_int_equal(f->wiv[0].nodes[0], r1->id);
	assert_int_equal(f->wiv[0].from, t);
	assert_int_equal(f->nbefore, 4);
	assert_int_equal(f->nafter, 0); /* no path left */
}

int
main(void)
{
#define T(f) cmocka_unit_test_teardown(f, net_teardown)
	const struct CMUnitTest tests[] = {
		T(test_delivered),
		T(test_outages),
		T(test_arp),
		T(test_blackhole),
		T(test_loop),
		T(test_cut_and_down),
	};
#undef T

	proto_init_all();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
