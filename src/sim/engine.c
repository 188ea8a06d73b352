/*
 * engine.c: the tick loop (see sim.h for the model).
 *
 * The wake heap holds (time, actor id) entries for actors with pending
 * events; an entry whose time no longer matches actor->wake is stale and
 * skipped, which makes rescheduling cheap.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "dist.h"
#include "sim.h"

void sim_wake(struct sim *, struct actor *, sim_time);

void
sim_init(struct sim *s, sim_time tick)
{
	memset(s, 0, sizeof(*s));
	s->tick = tick > 0 ? tick : SIM_MS;
}

void
sim_free(struct sim *s)
{
	free(s->actors);
	free(s->wheap);
	free(s->global.v);
	free(s->merge);
	free(s->mtmp);
	free(s->runs);
	free(s->due);
	free(s->duemap);
	memset(s, 0, sizeof(*s));
}

void
sim_set_tick(struct sim *s, sim_time tick)
{
	s->tick = tick > 0 ? tick : SIM_MS;
}

void
sim_add_actor(struct sim *s, struct actor *a)
{
	memset(a, 0, sizeof(*a));
	a->id = (uint32_t)s->nactors;
	a->sim = s;
	a->wake = SIM_NEVER;
	VEC_PUSH(s->actors, s->nactors, s->actcap, a);
}

static inline bool
wake_before(const struct wake *a, const struct wake *b)
{
	return a->t < b->t || (a->t == b->t && a->id < b->id);
}

static void
wake_push(struct sim *s, sim_time t, uint32_t id)
{
	size_t i;

	grow_array((void **)&s->wheap, &s->wakecap, s->nwake + 1, sizeof(*s->wheap));
	i = s->nwake++;
	s->wheap[i] = (struct wake){t, id};
	while (i > 0) {
		size_t p = (i - 1) / 2;
		struct wake tmp;

		if (!wake_before(&s->wheap[i], &s->wheap[p]))
			break;
		tmp = s->wheap[p];
		s->wheap[p] = s->wheap[i];
		s->wheap[i] = tmp;
		i = p;
	}
}

static void
wake_pop(struct sim *s)
{
	size_t i = 0;

	s->wheap[0] = s->wheap[--s->nwake];
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		struct wake tmp;

		if (l < s->nwake && wake_before(&s->wheap[l], &s->wheap[m]))
			m = l;
		if (l + 1 < s->nwake && wake_before(&s->wheap[l + 1], &s->wheap[m]))
			m = l + 1;
		if (m == i)
			break;
		tmp = s->wheap[m];
		s->wheap[m] = s->wheap[i];
		s->wheap[i] = tmp;
		i = m;
	}
}

/* Drop stale entries from the top of the wake heap. */
static void
wake_clean(struct sim *s)
{
	while (s->nwake > 0 && s->actors[s->wheap[0].id]->wake != s->wheap[0].t)
		wake_pop(s);
}

void
sim_wake(struct sim *s, struct actor *a, sim_time t)
{
	if (t >= a->wake || a->ghost)
		return;
	a->wake = t;
	wake_push(s, t, a->id);
}

void
sim_global_at(struct sim *s, struct timer *t, sim_time when)
{
	if (timer_pending(t))
		theap_remove(t->in, t);
	t->owner = NULL;
	t->when = when < s->now ? s->now : when;
	t->seq = s->gseq++;
	theap_push(&s->global, t);
}

void
actor_send(struct actor *a, struct msg *m)
{
	m->sent = actor_now(a);
	m->src = a->id;
	m->seq = a->seq++;
	if (!a->running) {
		/* From global context (a command, a script): nothing runs concurrently. */
		a->sim->msgs++;
		if (!a->sim->owned_sends)
			a->sim->gmsgs++;
		m->deliver(m);
		return;
	}
	VEC_PUSH(a->outbox, a->nout, a->outcap, m);
}

sim_time
sim_local_next(struct sim *s)
{
	wake_clean(s);
	return s->nwake > 0 ? s->wheap[0].t : SIM_NEVER;
}

sim_time
sim_next_time(struct sim *s)
{
	sim_time t = SIM_NEVER;

	wake_clean(s);
	if (s->nwake > 0)
		t = s->wheap[0].t;
	if (dist_on())
		t = dist_min_time(t); /* the global events are the same on every rank */
	if (s->global.n > 0 && s->hold_global == 0 && s->global.v[0].when < t)
		t = s->global.v[0].when;
	return t;
}

/*
 * Order the tick's messages by (send time, sender, sender's sequence). Each
 * outbox is already in that order (an actor's clock only goes forward and
 * its sequence only up), and the outboxes were collected in sender order, so
 * a stable merge of the runs by send time alone gives it: pairs of runs at a
 * time, O(n log runs), where sorting everything anew was O(n log n).
 */
static void
merge_outboxes(struct sim *s)
{
	struct msg **v = s->merge, **t;
	size_t nr = s->nruns;

	if (nr < 2)
		return;
	grow_array((void **)&s->mtmp, &s->mtmpcap, s->nmerge, sizeof(*s->mtmp));
	VEC_PUSH(s->runs, s->nruns, s->runcap, s->nmerge); /* the end of the last run */
	t = s->mtmp;
	while (nr > 1) {
		size_t k = 0;

		for (size_t r = 0; r < nr; r += 2) {
			size_t lo = s->runs[r], mid = s->runs[r + 1];
			size_t hi = r + 2 <= nr ? s->runs[r + 2] : mid, i = lo, j = mid, o = lo;

			while (i < mid && j < hi)
				t[o++] = v[j]->sent < v[i]->sent ? v[j++] : v[i++]; /* ties: the left run */
			while (i < mid)
				t[o++] = v[i++];
			while (j < hi)
				t[o++] = v[j++];
			s->runs[k++] = lo;
		}
		s->runs[k] = s->nmerge;
		nr = k;
		{
			struct msg **x = v;

			v = t;
			t = x;
		}
	}
	if (v != s->merge)
		memcpy(s->merge, v, s->nmerge * sizeof(*v));
}

/* Run one actor's events that fall before end. */
static void
actor_run(struct actor *a, sim_time end)
{
	struct timer *t;

	a->running = true;
	while ((t = theap_top(&a->heap)) != NULL && t->when < end) {
		theap_remove(&a->heap, t);
		if (a->heap.n > 0)
			__builtin_prefetch(a->heap.v[0].t);
		a->now = t->when;
		a->events++;
		t->fn(t);
	}
	a->running = false;
}

static void
run_tick(struct sim *s, sim_time start, sim_time end)
{
	sim_time last;

	s->now = start;
	s->ndue = 0;
	/* The due actors, in id order: marked in a bitmap, then read out (cheaper than a sort). */
	if (s->nactors / 64 + 1 > s->duemapcap) {
		size_t old = s->duemapcap;

		grow_array((void **)&s->duemap, &s->duemapcap, s->nactors / 64 + 1, sizeof(*s->duemap));
		memset(s->duemap + old, 0, sizeof(*s->duemap) * (s->duemapcap - old));
	}
	while (wake_clean(s), s->nwake > 0 && s->wheap[0].t < end) {
		uint32_t id = s->wheap[0].id;

		wake_pop(s);
		s->actors[id]->wake = SIM_NEVER;
		s->duemap[id / 64] |= 1ULL << (id % 64);
		s->ndue++;
	}
	grow_array((void **)&s->due, &s->duecap, s->ndue, sizeof(*s->due));
	for (size_t w = 0, k = 0; k < s->ndue; w++)
		while (s->duemap[w]) {
			s->due[k++] = s->actors[w * 64 + (size_t)__builtin_ctzll(s->duemap[w])];
			s->duemap[w] &= s->duemap[w] - 1;
		}
	last = start;
	for (size_t i = 0; i < s->ndue; i++)
		s->events -= s->due[i]->events;
	if (!sim_run_parallel(s->due, s->ndue, end, actor_run))
		for (size_t i = 0; i < s->ndue; i++) {
			/* The next actor's first event: load it while this one runs (a hint). */
			if (i + 1 < s->ndue && s->due[i + 1]->heap.n > 0)
				__builtin_prefetch(s->due[i + 1]->heap.v[0].t);
			actor_run(s->due[i], end);
		}
	for (size_t i = 0; i < s->ndue; i++) {
		s->events += s->due[i]->events;
		last = MAX(last, s->due[i]->now);
	}
	/* Merge every outbox in a fixed order, then deliver. */
	s->nmerge = 0;
	s->nruns = 0;
	for (size_t i = 0; i < s->ndue; i++) {
		struct actor *a = s->due[i];

		if (a->nout == 0)
			continue;
		VEC_PUSH(s->runs, s->nruns, s->runcap, s->nmerge);
		for (size_t k = 0; k < a->nout; k++)
			VEC_PUSH(s->merge, s->nmerge, s->mergecap, a->outbox[k]);
		a->nout = 0;
	}
	merge_outboxes(s);
	/*
	 * Global context resumes at the last event processed: nobody goes back
	 * in time. In a distributed run the exchange makes it the latest over
	 * the ranks (deliveries there are held until then, and read no clock).
	 */
	s->now = last;
	s->delivering = true;
	for (size_t i = 0; i < s->nmerge; i++)
		s->merge[i]->deliver(s->merge[i]);
	if (s->exchange)
		s->exchange(s, s->exchange_arg);
	s->delivering = false;
	s->msgs += s->nmerge;
	for (size_t i = 0; i < s->ndue; i++) {
		struct actor *a = s->due[i];
		struct timer *t = theap_top(&a->heap);

		if (t != NULL)
			sim_wake(s, a, t->when);
	}
	s->ticks++;
}

static void
run_global(struct sim *s, sim_time when)
{
	struct timer *t;

	s->now = when;
	while ((t = theap_top(&s->global)) != NULL && t->when <= when && s->hold_global == 0) {
		theap_remove(&s->global, t);
		s->events++;
		s->gevents++;
		s->in_global++;
		t->fn(t);
		s->in_global--;
	}
}

bool
sim_step(struct sim *s, sim_time limit)
{
	sim_time ta, tg = SIM_NEVER, end;

	/* What global context sent to other ranks' devices arrives there before time moves on. */
	if (dist_on() && s->exchange && (s->last_global || s->in_global))
		s->exchange(s, s->exchange_arg);
	ta = sim_local_next(s);
	if (dist_on()) {
		/* Every rank runs the tick, busy or not: the minimum over the ranks. */
		if (s->dist_next_ok && !s->last_global && s->in_global == 0)
			ta = s->dist_next; /* (gathered after the last tick, and still so) */
		else
			ta = dist_min_time(ta);
		s->dist_next_ok = false;
	}
	if (s->global.n > 0 && s->hold_global == 0)
		tg = s->global.v[0].when;
	if (tg < s->now)
		tg = s->now; /* deferred while a command ran: due now */
	if (MIN(ta, tg) == SIM_NEVER || MIN(ta, tg) > limit)
		return false;
	if (tg <= ta) {
		s->ndue = 0;
		s->last_global = true;
		run_global(s, tg);
	} else {
		s->last_global = false;
		/* A tick never crosses a global event or the limit. */
		end = ta + s->tick;
		if (tg < end)
			end = tg;
		if (limit < SIM_NEVER && limit + 1 < end)
			end = limit + 1;
		run_tick(s, ta, end);
	}
	if (s->after_step)
		s->after_step(s, s->after_arg);
	return true;
}

void
sim_run_until(struct sim *s, sim_time until)
{
	while (sim_step(s, until))
		;
	if (until != SIM_NEVER && s->now < until)
		s->now = until;
}
