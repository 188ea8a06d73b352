/*
 * test_engine.c: the deterministic engine (src/sim).
 *
 * The timer heap against a sorted reference under random push/cancel/pop;
 * timer_set/cancel/pending/remaining; the tick model: actors in id order
 * inside a tick, messages delivered only after the tick (never before send
 * time + tick width), merged in (send time, sender id, sender sequence) order
 * whatever order the senders ran in; global events between ticks, ticks that
 * never cross a global event or the limit, hold_global; idle time skipped;
 * sim_run_until landing exactly; a random message workload whose per-actor
 * history is the same for every tick width no wider than the smallest delay
 * and byte-identical across runs; sim_time_parse and sim_time_str.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/rng.h"
#include "lib/util.h"
#include "sim/sim.h"

/* ------------------------------------------------------------------------ */
/* A small world: NACT actors, a log of what ran, a step counter. */

#define NACT 6

struct rec {
	int tag;
	int actor;        /* -1: global */
	sim_time t;       /* actor_now (or sim->now for globals) when it ran */
	uint64_t step;    /* which engine step (1-based) */
	uint64_t ticks;   /* sim->ticks when it ran */
};

static struct sim S;
static struct actor A[NACT];
static struct rec recs[4096];
static int nrec;
static uint64_t steps;

static void
after_step(struct sim *s, void *arg)
{
	(void)s;
	(void)arg;
	steps++;
}

static void
world_init(sim_time tick)
{
	sim_init(&S, tick);
	for (int i = 0; i < NACT; i++)
		sim_add_actor(&S, &A[i]);
	S.after_step = after_step;
	nrec = 0;
	steps = 0;
}

static void
world_free(void)
{
	for (int i = 0; i < NACT; i++) {
		while (A[i].heap.n > 0)
			theap_pop(&A[i].heap);
		free(A[i].heap.v);
		free(A[i].outbox);
	}
	sim_free(&S);
}

static void
record(int tag, struct actor *a)
{
	assert_true(nrec < (int)ARRAY_LEN(recs));
	recs[nrec].tag = tag;
	recs[nrec].actor = a ? (int)a->id : -1;
	recs[nrec].t = a ? actor_now(a) : S.now;
	recs[nrec].step = steps + 1;
	recs[nrec].ticks = S.ticks;
	nrec++;
}

/* A timer whose arg is its tag. */
static void
on_fire(struct timer *t)
{
	if (t->owner)
		assert_true(t->owner->running);
	record((int)(intptr_t)t->arg, t->owner);
}

static void
arm(struct timer *t, int actor, int tag, sim_time at)
{
	timer_init(t, &A[actor], on_fire, (void *)(intptr_t)tag);
	timer_set_at(t, at);
}

static void
arm_global(struct timer *t, int tag, sim_time at)
{
	timer_init(t, NULL, on_fire, (void *)(intptr_t)tag);
	sim_global_at(&S, t, at);
}

static const struct rec *
find(int tag)
{
	for (int i = 0; i < nrec; i++)
		if (recs[i].tag == tag)
			return &recs[i];
	fail_msg("event %d never ran", tag);
	return NULL;
}

/* ------------------------------------------------------------------------ */
/* The heap */

static bool
heap_before(const struct timer *a, const struct timer *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void
check_heap(const struct theap *h)
{
	for (size_t i = 0; i < h->n; i++) {
		/* A slot's key is its timer's. */
		assert_int_equal(h->v[i].when, h->v[i].t->when);
		assert_int_equal(h->v[i].seq, h->v[i].t->seq);
		assert_int_equal(h->v[i].t->idx, (int32_t)i);
		assert_ptr_equal(h->v[i].t->in, h);
		if (i > 0)
			assert_false(heap_before(h->v[i].t, h->v[(i - 1) / 2].t));
	}
}

static void
test_theap_vs_reference(void **state UNUSED)
{
	enum { T = 600 };
	static struct timer tm[T];
	bool pending[T] = {false};
	struct theap h = {0};
	struct rng r;
	uint64_t seq = 0;
	int pops = 0, cancels = 0;

	(void)state;
	rng_seed(&r, 3, 3);
	for (int i = 0; i < T; i++)
		timer_init(&tm[i], NULL, NULL, NULL);
	for (int op = 0; op < 30000; op++) {
		int c = (int)rng_below(&r, 10), k;

		if (c < 5) {
			/* Push a timer that is not pending (if any). */
			k = (int)rng_below(&r, T);
			for (int tries = 0; tries < T && pending[k]; tries++)
				k = (k + 1) % T;
			if (pending[k])
				continue;
			/* Few distinct times, so ties (broken by seq) are frequent. */
			tm[k].when = (sim_time)rng_below(&r, 20);
			tm[k].seq = seq++;
			theap_push(&h, &tm[k]);
			pending[k] = true;
		} else if (c < 8) {
			/* Cancel a random pending timer, wherever it sits in the heap. */
			if (h.n == 0)
				continue;
			k = (int)(h.v[rng_below(&r, h.n)].t - tm);
			theap_remove(&h, &tm[k]);
			assert_int_equal(tm[k].idx, -1);
			assert_false(timer_pending(&tm[k]));
			pending[k] = false;
			cancels++;
		} else {
			/* Pop: must be the (when, seq)-least pending timer. */
			struct timer *best = NULL, *got;

			for (int i = 0; i < T; i++)
				if (pending[i] && (best == NULL || heap_before(&tm[i], best)))
					best = &tm[i];
			assert_ptr_equal(theap_top(&h), best);
			got = theap_pop(&h);
			assert_ptr_equal(got, best);
			if (got != NULL) {
				assert_int_equal(got->idx, -1);
				pending[got - tm] = false;
				pops++;
			}
		}
		if (op % 97 == 0)
			check_heap(&h);
	}
	if (pops < 3000 || cancels < 3000)
		fail_msg("too few operations exercised: %d pops, %d cancels", pops, cancels);
	/* Drain: strictly ordered by (when, seq). */
	{
		struct timer *prev = NULL, *t;
		size_t left = h.n;

		while ((t = theap_pop(&h)) != NULL) {
			if (prev)
				assert_true(heap_before(prev, t));
			prev = t;
			left--;
		}
		assert_int_equal(left, 0);
	}
	assert_null(theap_pop(&h));
	assert_null(theap_top(&h));
	free(h.v);
}

static void
test_theap_ties_by_seq(void **state UNUSED)
{
	struct timer t[5] = {{0}};
	struct theap h = {0};
	static const int order[5] = {3, 0, 4, 1, 2};

	(void)state;
	/* Same time everywhere: pushed in a scrambled order, popped by seq. */
	for (int i = 0; i < 5; i++) {
		timer_init(&t[order[i]], NULL, NULL, NULL);
		t[order[i]].when = 100;
		t[order[i]].seq = (uint64_t)order[i];
		theap_push(&h, &t[order[i]]);
	}
	/* Removing the root and the last element keep the heap valid. */
	theap_remove(&h, &t[0]);
	check_heap(&h);
	theap_remove(&h, h.v[h.n - 1].t);
	check_heap(&h);
	assert_int_equal(h.n, 3);
	{
		uint64_t prev = 0;
		struct timer *x;
		int n = 0;

		while ((x = theap_pop(&h)) != NULL) {
			assert_true(n == 0 || x->seq > prev);
			prev = x->seq;
			n++;
		}
		assert_int_equal(n, 3);
	}
	free(h.v);
}

/* ------------------------------------------------------------------------ */
/* Timers */

static void
test_timer_set_cancel_remaining(void **state UNUSED)
{
	struct timer t = {0};

	(void)state;
	world_init(SIM_MS);
	timer_init(&t, &A[0], on_fire, (void *)1);
	assert_false(timer_pending(&t));
	assert_int_equal(timer_remaining(&t), -1);
	timer_set(&t, 5 * SIM_MS);
	assert_true(timer_pending(&t));
	assert_int_equal(timer_remaining(&t), 5 * SIM_MS);
	assert_int_equal(sim_next_time(&S), 5 * SIM_MS);
	sim_run_until(&S, 2 * SIM_MS);
	assert_int_equal(nrec, 0);
	assert_int_equal(S.now, 2 * SIM_MS);
	assert_int_equal(timer_remaining(&t), 3 * SIM_MS);
	timer_cancel(&t);
	assert_false(timer_pending(&t));
	assert_int_equal(timer_remaining(&t), -1);
	timer_cancel(&t); /* cancelling twice is harmless */
	sim_run_until(&S, 100 * SIM_MS);
	assert_int_equal(nrec, 0);
	/* Set again: relative to now (100 ms), fires exactly once at 107 ms. */
	timer_set(&t, 7 * SIM_MS);
	assert_int_equal(timer_remaining(&t), 7 * SIM_MS);
	sim_run_until(&S, SIM_S);
	assert_int_equal(nrec, 1);
	assert_int_equal(recs[0].t, 107 * SIM_MS);
	assert_int_equal(recs[0].actor, 0);
	assert_false(timer_pending(&t));
	world_free();
}

static void
test_timer_reset_and_past(void **state UNUSED)
{
	struct timer a = {0}, b = {0}, c = {0};

	(void)state;
	world_init(SIM_MS);
	sim_run_until(&S, 50 * SIM_MS);
	/* A time in the past is clamped to now. */
	arm(&a, 1, 1, 10 * SIM_MS);
	assert_int_equal(a.when, 50 * SIM_MS);
	assert_int_equal(timer_remaining(&a), 0);
	/* Re-setting a pending timer moves it: it fires once, at the new time. */
	arm(&b, 1, 2, 60 * SIM_MS);
	timer_set_at(&b, 80 * SIM_MS);
	timer_set_at(&b, 70 * SIM_MS);
	assert_int_equal(A[1].heap.n, 2);
	/* Moving a timer later than the actor's registered wake-up still works. */
	arm(&c, 2, 3, 55 * SIM_MS);
	timer_set_at(&c, 90 * SIM_MS);
	sim_run_until(&S, SIM_S);
	assert_int_equal(nrec, 3);
	assert_int_equal(find(1)->t, 50 * SIM_MS);
	assert_int_equal(find(2)->t, 70 * SIM_MS);
	assert_int_equal(find(3)->t, 90 * SIM_MS);
	world_free();
}

/* A cancelled early timer leaves a stale wake entry: nothing runs then. */
/* Initialising a pending timer again (a protocol that restarts) takes it out of its heap first. */
static void
test_timer_init_pending(void **state UNUSED)
{
	struct timer t = {0}, u = {0};

	(void)state;
	world_init(SIM_MS);
	arm(&t, 1, 1, 10 * SIM_MS);
	arm(&u, 1, 2, 20 * SIM_MS);
	assert_int_equal(A[1].heap.n, 2);
	arm(&t, 1, 3, 30 * SIM_MS);
	assert_int_equal(A[1].heap.n, 2);
	timer_init(&u, &A[1], on_fire, (void *)4);
	assert_false(timer_pending(&u));
	assert_int_equal(A[1].heap.n, 1);
	sim_run_until(&S, 100 * SIM_MS);
	assert_int_equal(nrec, 1);
	assert_int_equal(recs[0].tag, 3);
	assert_int_equal(recs[0].t, 30 * SIM_MS);
	world_free();
}

static void
test_cancel_stale_wake(void **state UNUSED)
{
	struct timer a = {0}, b = {0};

	(void)state;
	world_init(SIM_MS);
	arm(&a, 0, 1, 1 * SIM_MS);
	arm(&b, 0, 2, 5 * SIM_MS);
	timer_cancel(&a);
	sim_run_until(&S, 10 * SIM_MS);
	assert_int_equal(nrec, 1);
	assert_int_equal(recs[0].tag, 2);
	assert_int_equal(recs[0].t, 5 * SIM_MS);
	assert_int_equal(A[0].events, 1);
	world_free();
}

/* A handler re-arming its own timer: a periodic timer. */
static struct timer periodic;
static int periodic_runs;

static void
periodic_fire(struct timer *t)
{
	record(100 + periodic_runs++, t->owner);
	timer_set(t, 10 * SIM_MS);
	assert_int_equal(timer_remaining(t), 10 * SIM_MS);
}

static void
test_periodic_timer(void **state UNUSED)
{
	(void)state;
	world_init(SIM_MS);
	periodic_runs = 0;
	timer_init(&periodic, &A[3], periodic_fire, NULL);
	timer_set(&periodic, 0);
	sim_run_until(&S, 95 * SIM_MS);
	assert_int_equal(periodic_runs, 10);
	for (int i = 0; i < 10; i++)
		assert_int_equal(recs[i].t, i * 10 * SIM_MS);
	assert_int_equal(timer_remaining(&periodic), 5 * SIM_MS);
	world_free();
}

/* A zero-delay timer set inside an event runs in the same tick, at the same time. */
static struct timer zd_first, zd_second;

static void
zd_fire(struct timer *t)
{
	on_fire(t);
	if (t == &zd_first) {
		timer_init(&zd_second, t->owner, on_fire, (void *)2);
		timer_set(&zd_second, 0);
	}
}

static void
test_zero_delay_same_tick(void **state UNUSED)
{
	(void)state;
	world_init(SIM_MS);
	timer_init(&zd_first, &A[2], zd_fire, (void *)1);
	timer_set_at(&zd_first, 3 * SIM_MS + 17);
	sim_run_until(&S, 10 * SIM_MS);
	assert_int_equal(nrec, 2);
	assert_int_equal(recs[1].tag, 2);
	assert_int_equal(recs[1].t, 3 * SIM_MS + 17);
	assert_int_equal(recs[0].step, recs[1].step);
	world_free();
}

/* ------------------------------------------------------------------------ */
/* Ticks */

static void
test_actor_order_in_tick(void **state UNUSED)
{
	struct timer t[NACT] = {{0}}, u[2] = {{0}};

	(void)state;
	world_init(SIM_MS);
	/* Armed in reverse id order, all at the same time: run in id order. */
	for (int i = NACT - 1; i >= 0; i--)
		arm(&t[i], i, 10 + i, 2 * SIM_MS);
	sim_run_until(&S, 5 * SIM_MS);
	assert_int_equal(nrec, NACT);
	for (int i = 0; i < NACT; i++) {
		assert_int_equal(recs[i].actor, i);
		assert_int_equal(recs[i].step, 1);
	}
	/*
	 * Different times inside one tick: still id order, each at its own
	 * time (actor 1 at 5.9 ms runs before actor 4 at 5.1 ms).
	 */
	nrec = 0;
	arm(&u[0], 4, 1, 5 * SIM_MS + 100 * SIM_US);
	arm(&u[1], 1, 2, 5 * SIM_MS + 900 * SIM_US);
	sim_run_until(&S, 10 * SIM_MS);
	assert_int_equal(nrec, 2);
	assert_int_equal(recs[0].actor, 1);
	assert_int_equal(recs[0].t, 5 * SIM_MS + 900 * SIM_US);
	assert_int_equal(recs[1].actor, 4);
	assert_int_equal(recs[1].t, 5 * SIM_MS + 100 * SIM_US);
	assert_int_equal(recs[0].step, recs[1].step);
	/* The tick started at the earliest event; global time is the last one run. */
	assert_int_equal(S.now, 10 * SIM_MS);
	world_free();
}

/* Messages */

struct tmsg {
	struct msg m;
	int label;
	int dst;           /* -1: no receiver event */
	sim_time delay;    /* receiver event at sent + delay */
	struct timer rx;
};

static int dlog[64];
static sim_time dlog_now[64];
static uint64_t dlog_ticks[64];
static int ndlog;
static bool tick_done_flag;

static void
tmsg_rx(struct timer *t)
{
	struct tmsg *m = t->arg;

	record(m->label, t->owner);
	free(m);
}

static void
tmsg_deliver(struct msg *mm)
{
	struct tmsg *m = container_of(mm, struct tmsg, m);

	/* Delivery is in global context: no actor is mid-event. */
	for (int i = 0; i < NACT; i++)
		assert_false(A[i].running);
	dlog[ndlog] = m->label;
	dlog_now[ndlog] = S.now;
	dlog_ticks[ndlog] = S.ticks;
	ndlog++;
	if (m->dst < 0) {
		free(m);
		return;
	}
	timer_init(&m->rx, &A[m->dst], tmsg_rx, m);
	timer_set_at(&m->rx, m->m.sent + m->delay);
}

static void
msg_send(struct actor *a, int label, int dst, sim_time delay)
{
	struct tmsg *m = xcalloc(1, sizeof(*m));

	m->m.deliver = tmsg_deliver;
	m->label = label;
	m->dst = dst;
	m->delay = delay;
	actor_send(a, &m->m);
}

/* Actor 0 sends at 0.2 ms to actor 3; actor 3's own event at 0.8 ms must not see it. */
static void
ev_send_to3(struct timer *t)
{
	on_fire(t);
	msg_send(t->owner, 500, 3, S.tick);
	assert_int_equal(ndlog, 0); /* not delivered while the tick runs */
}

static void
ev_check_not_yet(struct timer *t)
{
	on_fire(t);
	assert_int_equal(ndlog, 0);
	tick_done_flag = true;
}

static void
test_msg_delivered_after_tick(void **state UNUSED)
{
	struct timer a = {0}, b = {0};
	const struct rec *rx, *sent;

	(void)state;
	world_init(SIM_MS);
	ndlog = 0;
	tick_done_flag = false;
	timer_init(&a, &A[0], ev_send_to3, (void *)1);
	timer_set_at(&a, 200 * SIM_US);
	timer_init(&b, &A[3], ev_check_not_yet, (void *)2);
	timer_set_at(&b, 800 * SIM_US);
	sim_run_until(&S, 10 * SIM_MS);
	sent = find(1);
	assert_true(tick_done_flag);
	assert_int_equal(ndlog, 1);
	/* Delivered at the end of the tick that sent it, after both events ran. */
	assert_int_equal(dlog_ticks[0], 0);
	assert_int_equal(dlog_now[0], 800 * SIM_US);
	/* The receiver handles it at send time + tick width, in a later tick. */
	rx = find(500);
	assert_int_equal(rx->actor, 3);
	assert_int_equal(rx->t, 200 * SIM_US + SIM_MS);
	assert_true(rx->ticks > sent->ticks);
	assert_true(rx->step > sent->step);
	assert_int_equal(S.msgs, 1);
	world_free();
}

/* The senders of the merge-order test, in actor-id (= run) order. */
static void
ev_multi_send(struct timer *t)
{
	int tag = (int)(intptr_t)t->arg;

	on_fire(t);
	msg_send(t->owner, tag, -1, 0);
	if (tag == 70)
		msg_send(t->owner, 71, -1, 0); /* the same sender, same time: by sequence */
}

static void
test_msg_merge_order(void **state UNUSED)
{
	struct timer t[5] = {{0}};
	static const int want[] = {20, 10, 21, 70, 71, 40};

	(void)state;
	world_init(SIM_MS);
	ndlog = 0;
	/*
	 * In one tick [0, 1 ms): actor 0 runs first but sends last (0.7 ms),
	 * actor 2 sends at 0.1 and 0.2 ms, actor 1 at 0.2 ms, actor 4 at 0.9 ms.
	 */
	timer_init(&t[0], &A[0], ev_multi_send, (void *)70);
	timer_set_at(&t[0], 700 * SIM_US);
	timer_init(&t[1], &A[2], ev_multi_send, (void *)20);
	timer_set_at(&t[1], 100 * SIM_US);
	timer_init(&t[2], &A[2], ev_multi_send, (void *)21);
	timer_set_at(&t[2], 200 * SIM_US);
	timer_init(&t[3], &A[1], ev_multi_send, (void *)10);
	timer_set_at(&t[3], 200 * SIM_US);
	timer_init(&t[4], &A[4], ev_multi_send, (void *)40);
	timer_set_at(&t[4], 900 * SIM_US);
	sim_run_until(&S, 5 * SIM_MS);
	/* Ran in id order within the one tick... */
	assert_int_equal(nrec, 5);
	assert_int_equal(recs[0].tag, 70);
	assert_int_equal(recs[4].tag, 40);
	for (int i = 0; i < 5; i++)
		assert_int_equal(recs[i].step, 1);
	/* ...but delivered by (send time, sender id, sender sequence). */
	assert_int_equal(ndlog, (int)ARRAY_LEN(want));
	for (size_t i = 0; i < ARRAY_LEN(want); i++)
		assert_int_equal(dlog[i], want[i]);
	for (int i = 0; i < ndlog; i++)
		assert_int_equal(dlog_ticks[i], 0);
	assert_int_equal(S.msgs, 6);
	world_free();
}

static void
test_msg_from_global_immediate(void **state UNUSED)
{
	(void)state;
	world_init(SIM_MS);
	ndlog = 0;
	sim_run_until(&S, 3 * SIM_MS);
	/* From global context (a command, a script) a send is delivered at once. */
	msg_send(&A[2], 9, 5, 2 * SIM_MS);
	assert_int_equal(ndlog, 1);
	assert_int_equal(dlog_now[0], 3 * SIM_MS);
	sim_run_until(&S, 10 * SIM_MS);
	assert_int_equal(find(9)->t, 5 * SIM_MS);
	assert_int_equal(find(9)->actor, 5);
	world_free();
}

/* Global events */

static void
test_global_between_ticks(void **state UNUSED)
{
	struct timer t[6] = {{0}}, g[2] = {{0}};

	(void)state;
	world_init(SIM_MS);
	arm(&t[0], 0, 1, 0);
	arm(&t[1], 1, 2, 400 * SIM_US);
	arm(&t[2], 2, 3, 800 * SIM_US);
	arm(&t[3], 3, 4, 1200 * SIM_US);
	arm(&t[4], 3, 6, 1500 * SIM_US);
	arm(&t[5], 4, 5, 2000 * SIM_US);
	arm_global(&g[0], 90, 500 * SIM_US);
	arm_global(&g[1], 91, 1500 * SIM_US); /* same time as an actor event: global first */
	sim_run_until(&S, 10 * SIM_MS);
	assert_int_equal(nrec, 8);
	/* Tick [0, 0.5 ms) stops at the global event. */
	assert_int_equal(find(1)->step, 1);
	assert_int_equal(find(2)->step, 1);
	assert_int_equal(find(90)->step, 2);
	assert_int_equal(find(90)->actor, -1);
	assert_int_equal(find(90)->t, 500 * SIM_US);
	/*
	 * Then a tick from 0.8 ms that ends at 1.5 ms, where the next global is:
	 * actor 3 runs its 1.2 ms event but not its 1.5 ms one.
	 */
	assert_int_equal(find(3)->step, 3);
	assert_int_equal(find(4)->step, 3);
	assert_int_equal(find(91)->step, 4);
	assert_int_equal(find(91)->t, 1500 * SIM_US);
	assert_int_equal(find(6)->step, 5);
	assert_int_equal(find(6)->t, 1500 * SIM_US);
	assert_int_equal(find(5)->step, 5);
	assert_int_equal(find(5)->t, 2000 * SIM_US);
	assert_int_equal(S.ticks, 3);
	world_free();
}

static void
test_tick_respects_limit(void **state UNUSED)
{
	struct timer t[5] = {{0}};

	(void)state;
	world_init(SIM_MS);
	arm(&t[0], 0, 1, 800 * SIM_US);
	arm(&t[1], 1, 2, 1000 * SIM_US); /* exactly at the limit: runs */
	arm(&t[2], 2, 3, 1000 * SIM_US + 1); /* 1 ns later: does not */
	arm(&t[3], 3, 4, 1500 * SIM_US);
	arm(&t[4], 1, 5, 1000 * SIM_US + 1); /* nor on an actor that did run */
	sim_run_until(&S, 1000 * SIM_US);
	assert_int_equal(nrec, 2);
	assert_true(timer_pending(&t[4]));
	assert_int_equal(find(1)->step, 1);
	assert_int_equal(find(2)->step, 1);
	assert_int_equal(S.now, 1000 * SIM_US);
	assert_true(timer_pending(&t[2]));
	assert_int_equal(timer_remaining(&t[2]), 1);
	/* sim_step with a limit before anything pending does nothing. */
	assert_false(sim_step(&S, 1000 * SIM_US));
	assert_int_equal(S.now, 1000 * SIM_US);
	sim_run_until(&S, 2 * SIM_MS);
	assert_int_equal(nrec, 5);
	assert_int_equal(find(3)->t, 1000 * SIM_US + 1);
	assert_int_equal(find(5)->t, 1000 * SIM_US + 1);
	world_free();
}

static void
test_hold_global(void **state UNUSED)
{
	struct timer g = {0}, t = {0};

	(void)state;
	world_init(SIM_MS);
	arm_global(&g, 1, 1 * SIM_MS);
	arm(&t, 0, 2, 2 * SIM_MS);
	S.hold_global = 1;
	/* While held, the global event is invisible and the actor runs past it. */
	assert_int_equal(sim_next_time(&S), 2 * SIM_MS);
	assert_true(sim_step(&S, 5 * SIM_MS));
	assert_int_equal(nrec, 1);
	assert_int_equal(recs[0].tag, 2);
	assert_false(sim_step(&S, 5 * SIM_MS));
	assert_int_equal(sim_next_time(&S), SIM_NEVER);
	/* Released: it runs at once, at the current time (nobody goes back). */
	S.hold_global = 0;
	assert_true(sim_next_time(&S) <= S.now); /* due now */
	assert_true(sim_step(&S, 5 * SIM_MS));
	assert_int_equal(nrec, 2);
	assert_int_equal(recs[1].tag, 1);
	assert_int_equal(recs[1].t, 2 * SIM_MS);
	assert_int_equal(S.now, 2 * SIM_MS);
	world_free();
}

static void
test_idle_skip(void **state UNUSED)
{
	struct timer t = {0};

	(void)state;
	world_init(SIM_MS);
	arm(&t, 5, 1, 3600 * SIM_S);
	sim_run_until(&S, 7200 * SIM_S);
	assert_int_equal(nrec, 1);
	assert_int_equal(recs[0].t, 3600 * SIM_S);
	/* One hour of nothing costs one step. */
	assert_int_equal(steps, 1);
	assert_int_equal(S.ticks, 1);
	assert_int_equal(S.now, 7200 * SIM_S);
	world_free();
}

static void
test_run_until_exact(void **state UNUSED)
{
	struct timer t = {0};

	(void)state;
	world_init(SIM_MS);
	sim_run_until(&S, 12345);
	assert_int_equal(S.now, 12345);
	assert_int_equal(steps, 0);
	arm(&t, 0, 1, 20 * SIM_MS);
	sim_run_until(&S, 7 * SIM_MS);
	assert_int_equal(S.now, 7 * SIM_MS);
	assert_int_equal(nrec, 0);
	sim_run_until(&S, 20 * SIM_MS);
	assert_int_equal(nrec, 1);
	assert_int_equal(S.now, 20 * SIM_MS);
	/* An earlier target never moves time back. */
	sim_run_until(&S, 5 * SIM_MS);
	assert_int_equal(S.now, 20 * SIM_MS);
	sim_run_until(&S, 20 * SIM_MS + 333);
	assert_int_equal(S.now, 20 * SIM_MS + 333);
	world_free();
}

static void
test_next_time(void **state UNUSED)
{
	struct timer a = {0}, g = {0};

	(void)state;
	world_init(SIM_MS);
	assert_int_equal(sim_next_time(&S), SIM_NEVER);
	assert_false(sim_step(&S, SIM_NEVER));
	arm(&a, 1, 1, 30 * SIM_MS);
	assert_int_equal(sim_next_time(&S), 30 * SIM_MS);
	arm_global(&g, 2, 10 * SIM_MS);
	assert_int_equal(sim_next_time(&S), 10 * SIM_MS);
	timer_cancel(&g);
	assert_int_equal(sim_next_time(&S), 30 * SIM_MS);
	/*
	 * A cancelled actor timer may leave a stale wake-up behind (sim.h: "sim_step
	 * skips it"); stepping through it runs nothing and then nothing is pending.
	 */
	timer_cancel(&a);
	sim_run_until(&S, SIM_S);
	assert_int_equal(nrec, 0);
	assert_int_equal(A[1].events, 0);
	assert_int_equal(sim_next_time(&S), SIM_NEVER);
	world_free();
}

static void
test_set_tick(void **state UNUSED)
{
	(void)state;
	world_init(0);
	assert_int_equal(S.tick, SIM_MS); /* 0: the default */
	sim_set_tick(&S, 250 * SIM_US);
	assert_int_equal(S.tick, 250 * SIM_US);
	sim_set_tick(&S, -5);
	assert_int_equal(S.tick, SIM_MS);
	world_free();
}

/* ------------------------------------------------------------------------ */
/* A random workload: the per-actor history does not depend on the tick width. */

#define WL_MIN_DELAY SIM_MS

struct wl_ev {
	struct timer t;
	uint64_t tag;
	int depth;
};

struct wl_msg {
	struct msg m;
	int dst;
	sim_time delay;
	uint64_t tag;
	int depth;
};

struct wl_rec {
	sim_time t;
	uint64_t tag;
};

static struct wl_rec *wl_log[NACT];
static size_t wl_n[NACT], wl_cap[NACT];
static uint64_t wl_digests[NACT]; /* each actor's own (actors may run on several threads) */
static uint64_t wl_digest;        /* all of them, in actor order, after a run */

static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void wl_spawn(struct actor *a, uint64_t tag, int depth);

static void
wl_fire(struct timer *t)
{
	struct wl_ev *e = container_of(t, struct wl_ev, t);
	struct actor *a = t->owner;
	struct wl_rec r = {actor_now(a), e->tag};

	VEC_PUSH(wl_log[a->id], wl_n[a->id], wl_cap[a->id], r);
	/* The digest depends on the actor's order of events: for the same-tick-width rerun. */
	wl_digests[a->id] = mix(wl_digests[a->id] ^ e->tag ^ (uint64_t)r.t ^ ((uint64_t)a->id << 56));
	wl_spawn(a, e->tag, e->depth);
	free(e);
}

static void
wl_deliver(struct msg *mm)
{
	struct wl_msg *m = container_of(mm, struct wl_msg, m);
	struct wl_ev *e = xcalloc(1, sizeof(*e));

	e->tag = m->tag;
	e->depth = m->depth;
	timer_init(&e->t, &A[m->dst], wl_fire, NULL);
	timer_set_at(&e->t, m->m.sent + m->delay);
	free(m);
}

/* Each event's children depend only on its tag: local timers and messages. */
static void
wl_spawn(struct actor *a, uint64_t tag, int depth)
{
	uint64_t h = mix(tag);
	int kids = depth >= 8 ? 0 : (int)(h % 3) + (depth < 5);

	for (int i = 0; i < kids; i++) {
		uint64_t ct = tag * 5 + (uint64_t)i + 1, hh = mix(ct ^ 0xabcdef);

		if (hh & 1) {
			struct wl_ev *e = xcalloc(1, sizeof(*e));

			e->tag = ct;
			e->depth = depth + 1;
			timer_init(&e->t, a, wl_fire, NULL);
			/*
			 * Children depend only on the parent's tag and time, so the order
			 * of two events at one instant cannot change anybody's history.
			 */
			timer_set(&e->t, (sim_time)((hh >> 8) % 3000) * 2 * SIM_US +
			    (sim_time)(hh >> 40 & 1023));
		} else {
			struct wl_msg *m = xcalloc(1, sizeof(*m));

			m->m.deliver = wl_deliver;
			m->dst = (int)((hh >> 8) % NACT);
			m->delay = WL_MIN_DELAY + (sim_time)((hh >> 16) % 4000) * SIM_US + 1 +
			    2 * (sim_time)(hh >> 44 & 511);
			m->tag = ct;
			m->depth = depth + 1;
			actor_send(a, &m->m);
		}
	}
}

static int
wl_rec_cmp(const void *x, const void *y)
{
	const struct wl_rec *a = x, *b = y;

	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->tag < b->tag ? -1 : a->tag > b->tag;
}

/* Run the workload with a tick width; returns the total number of events. */
static size_t
wl_run(sim_time tick)
{
	struct wl_ev *roots[NACT];
	size_t total = 0;

	world_init(tick);
	wl_digest = 0;
	for (int i = 0; i < NACT; i++) {
		wl_n[i] = 0;
		wl_digests[i] = 0;
		roots[i] = xcalloc(1, sizeof(*roots[i]));
		roots[i]->tag = (uint64_t)(i + 1) * 1000003;
		timer_init(&roots[i]->t, &A[i], wl_fire, NULL);
		timer_set_at(&roots[i]->t, (sim_time)i * 137 * SIM_US);
	}
	sim_run_until(&S, SIM_NEVER - 1);
	for (int i = 0; i < NACT; i++) {
		assert_int_equal(A[i].heap.n, 0);
		total += wl_n[i];
		wl_digest = mix(wl_digest ^ wl_digests[i]);
	}
	world_free();
	return total;
}

static void
test_workload_tick_independent(void **state UNUSED)
{
	static const sim_time ticks[] = {WL_MIN_DELAY, 300 * SIM_US, 37 * SIM_US};
	struct wl_rec *ref[NACT];
	size_t refn[NACT], total;
	uint64_t digest;

	(void)state;
	total = wl_run(WL_MIN_DELAY);
	if (total < 600)
		fail_msg("the workload is too small to mean anything: %zu events", total);
	digest = wl_digest;
	for (int i = 0; i < NACT; i++) {
		/* Each actor sees its own events in time order. */
		for (size_t k = 1; k < wl_n[i]; k++)
			assert_true(wl_log[i][k - 1].t <= wl_log[i][k].t);
		ref[i] = xmalloc(sizeof(*ref[i]) * (wl_n[i] + 1));
		memcpy(ref[i], wl_log[i], sizeof(*ref[i]) * wl_n[i]);
		refn[i] = wl_n[i];
	}
	/* The same run again: the same order of events for every actor. */
	assert_int_equal(wl_run(WL_MIN_DELAY), total);
	assert_int_equal(wl_digest, digest);
	/* On two threads and on four (workers.c): the same again. */
	for (unsigned n = 2; n <= 4; n += 2) {
		sim_set_threads(n);
		assert_int_equal(wl_run(WL_MIN_DELAY), total);
		assert_int_equal(wl_digest, digest);
		for (int i = 0; i < NACT; i++)
			assert_int_equal(wl_n[i], refn[i]);
	}
	/* Across the wrap of the sections' numbers (2^24: a daemon running for days). */
	sim_workers_renumber((1u << 24) - 3);
	assert_int_equal(wl_run(WL_MIN_DELAY), total);
	assert_int_equal(wl_digest, digest);
	sim_set_threads(1);
	/* Narrower ticks: a different interleaving of actors, the same history for each. */
	for (size_t k = 1; k < ARRAY_LEN(ticks); k++) {
		assert_int_equal(wl_run(ticks[k]), total);
		for (int i = 0; i < NACT; i++) {
			assert_int_equal(wl_n[i], refn[i]);
			qsort(wl_log[i], wl_n[i], sizeof(*wl_log[i]), wl_rec_cmp);
			qsort(ref[i], refn[i], sizeof(*ref[i]), wl_rec_cmp);
			for (size_t e = 0; e < refn[i]; e++) {
				assert_int_equal(wl_log[i][e].t, ref[i][e].t);
				assert_int_equal(wl_log[i][e].tag, ref[i][e].tag);
			}
		}
	}
	/*
	 * Control: a tick wider than the smallest delay lets a message arrive
	 * inside the tick that sent it, after its receiver has moved on; the
	 * engine then delivers it late and the histories change. (This is why
	 * net_update_tick keeps the tick at the smallest link delay.)
	 */
	{
		bool differs = false;

		wl_run(5 * WL_MIN_DELAY);
		for (int i = 0; i < NACT && !differs; i++) {
			if (wl_n[i] != refn[i]) {
				differs = true;
				break;
			}
			qsort(wl_log[i], wl_n[i], sizeof(*wl_log[i]), wl_rec_cmp);
			for (size_t e = 0; e < refn[i]; e++)
				if (wl_log[i][e].t != ref[i][e].t ||
				    wl_log[i][e].tag != ref[i][e].tag)
					differs = true;
		}
		assert_true(differs);
	}
	for (int i = 0; i < NACT; i++) {
		free(ref[i]);
		free(wl_log[i]);
		wl_log[i] = NULL;
		wl_cap[i] = 0;
	}
}

/* ------------------------------------------------------------------------ */
/* Time parsing and formatting */

static void
test_time_parse(void **state UNUSED)
{
	static const struct {
		const char *s;
		sim_time t;
	} good[] = {
		{"100", 100 * SIM_MS},     /* a bare number is milliseconds */
		{"0", 0},
		{"100ms", 100 * SIM_MS},
		{"2s", 2 * SIM_S},
		{"1.5s", 1500 * SIM_MS},
		{"250us", 250 * SIM_US},
		{"3m", 180 * SIM_S},
		{"3min", 180 * SIM_S},
		{"1h", 3600 * SIM_S},
		{"40ns", 40},
		{"0.5ms", 500 * SIM_US},
		{"2.5", 2500 * SIM_US},
		{"10 s", 10 * SIM_S},      /* spaces before the unit */
		{"0.0000001s", 100},
		{"1e3", SIM_S},            /* strtod's exponent form */
		{"1000000h", 1000000LL * 3600 * SIM_S},
	};
	static const char *const bad[] = {
		"", "-1", "-1s", "+1", "+5ms", "abc", "s", "ms", "5x", "5 x", "5sec", "5S", "5ms ",
		"1.5.5s", "5m s", "5hh", "inf", "infs", "3000000h", "1e300s", " ", "5\n", "0x",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(good); i++)
		if (sim_time_parse(good[i].s) != good[i].t)
			fail_msg("sim_time_parse(\"%s\") = %lld, want %lld", good[i].s,
			    (long long)sim_time_parse(good[i].s), (long long)good[i].t);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (sim_time_parse(bad[i]) != -1)
			fail_msg("sim_time_parse(\"%s\") = %lld, want -1", bad[i],
			    (long long)sim_time_parse(bad[i]));
	assert_int_equal(sim_time_parse(NULL), -1);
}

/*
 * Regression (timer.c sim_time_parse, found by this suite): strtod accepts
 * "nan", which passes both range
 * checks (every comparison with NaN is false) and is then converted to an
 * integer: undefined behaviour, INT64_MIN on x86-64, instead of -1.
 */
static void
test_time_parse_nan(void **state UNUSED)
{
	static const char *const bad[] = {"nan", "nanms", "NaN", "nan(1)s"};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (sim_time_parse(bad[i]) != -1)
			fail_msg("sim_time_parse(\"%s\") = %lld, want -1", bad[i],
			    (long long)sim_time_parse(bad[i]));
}

static void
test_time_str(void **state UNUSED)
{
	static const struct {
		sim_time t;
		const char *s;
	} cases[] = {
		{0, "0ms"},
		{SIM_MS, "1ms"},
		{1500 * SIM_US, "1.5ms"},
		{250 * SIM_US, "250us"},
		{1, "0.001us"},
		{1500, "1.5us"},
		{999 * SIM_US, "999us"},
		{SIM_MS + 1, "1.000001ms"},
		{123456789, "123.456789ms"},
		{40 * SIM_S, "40000ms"},
		{3600 * SIM_S, "3600000ms"},
	};
	const char *a, *b;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		assert_string_equal(sim_time_str(cases[i].t), cases[i].s);
	/* Four rotating buffers: two results in one printf stay distinct. */
	a = sim_time_str(SIM_MS);
	b = sim_time_str(2 * SIM_MS);
	assert_string_equal(a, "1ms");
	assert_string_equal(b, "2ms");
	/* What sim_time_str prints, sim_time_parse reads back. */
	for (sim_time t = 0; t < 5 * SIM_S; t += 7777777)
		assert_int_equal(sim_time_parse(sim_time_str(t)), t);
	for (sim_time t = 1; t < SIM_MS; t += 777)
		assert_int_equal(sim_time_parse(sim_time_str(t)), t);
}

/*
 * Regression (timer.c timer_remaining, found by this suite): for a global
 * timer (owner NULL) it returned
 * t->when - 0, the absolute time, not the time left.
 */
static void
test_timer_remaining_global(void **state UNUSED)
{
	struct timer g = {0};

	(void)state;
	world_init(SIM_MS);
	sim_run_until(&S, 4 * SIM_S);
	arm_global(&g, 1, 10 * SIM_S);
	assert_true(timer_pending(&g));
	assert_int_equal(timer_remaining(&g), 6 * SIM_S);
	world_free();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_theap_vs_reference),
		cmocka_unit_test(test_theap_ties_by_seq),
		cmocka_unit_test(test_timer_set_cancel_remaining),
		cmocka_unit_test(test_timer_reset_and_past),
		cmocka_unit_test(test_timer_init_pending),
		cmocka_unit_test(test_cancel_stale_wake),
		cmocka_unit_test(test_periodic_timer),
		cmocka_unit_test(test_zero_delay_same_tick),
		cmocka_unit_test(test_actor_order_in_tick),
		cmocka_unit_test(test_msg_delivered_after_tick),
		cmocka_unit_test(test_msg_merge_order),
		cmocka_unit_test(test_msg_from_global_immediate),
		cmocka_unit_test(test_global_between_ticks),
		cmocka_unit_test(test_tick_respects_limit),
		cmocka_unit_test(test_hold_global),
		cmocka_unit_test(test_idle_skip),
		cmocka_unit_test(test_run_until_exact),
		cmocka_unit_test(test_next_time),
		cmocka_unit_test(test_set_tick),
		cmocka_unit_test(test_workload_tick_independent),
		cmocka_unit_test(test_time_parse),
		cmocka_unit_test(test_time_parse_nan),
		cmocka_unit_test(test_time_str),
		cmocka_unit_test(test_timer_remaining_global),
	};

	/* The other tests log into shared arrays from actors: one thread (the order they check). */
	sim_set_threads(1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
