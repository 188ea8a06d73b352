/* timer.c: binary min-heap of timers ordered by (when, seq), with O(log n) cancel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "sim.h"

static inline bool
before(const struct theap_slot *a, const struct theap_slot *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void
place(struct theap *h, size_t i, const struct theap_slot *s)
{
	h->v[i] = *s;
	s->t->idx = (int32_t)i;
}

/* Sift slot i up; returns where it came to rest. */
static size_t
sift_up(struct theap *h, size_t i)
{
	struct theap_slot s = h->v[i];

	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (!before(&s, &h->v[p]))
			break;
		place(h, i, &h->v[p]);
		i = p;
	}
	place(h, i, &s);
	return i;
}

static void
sift_down(struct theap *h, size_t i)
{
	struct theap_slot s = h->v[i];

	for (;;) {
		size_t l = 2 * i + 1, m = i;
		const struct theap_slot *best = &s;

		if (l < h->n && before(&h->v[l], best)) {
			m = l;
			best = &h->v[l];
		}
		if (l + 1 < h->n && before(&h->v[l + 1], best))
			m = l + 1;
		if (m == i)
			break;
		place(h, i, &h->v[m]);
		i = m;
	}
	place(h, i, &s);
}

void
theap_push(struct theap *h, struct timer *t)
{
	grow_array((void **)&h->v, &h->cap, h->n + 1, sizeof(*h->v));
	t->in = h;
	h->v[h->n++] = (struct theap_slot){t->when, t->seq, t};
	sift_up(h, h->n - 1);
}

void
theap_remove(struct theap *h, struct timer *t)
{
	size_t i = (size_t)t->idx;

	if (t->idx < 0 || i >= h->n || h->v[i].t != t)
		bug("timer not in heap");
	t->idx = -1;
	if (--h->n == i)
		return;
	place(h, i, &h->v[h->n]);
	if (sift_up(h, i) == i)
		sift_down(h, i);
}

struct timer *
theap_pop(struct theap *h)
{
	struct timer *t;

	if (h->n == 0)
		return NULL;
	t = h->v[0].t;
	theap_remove(h, t);
	return t;
}

void
timer_init(struct timer *t, struct actor *owner, void (*fn)(struct timer *), void *arg)
{
	if (t->in != NULL && timer_pending(t))
		timer_cancel(t);
	timer_init_new(t, owner, fn, arg);
}

void
timer_init_new(struct timer *t, struct actor *owner, void (*fn)(struct timer *), void *arg)
{
	memset(t, 0, sizeof(*t));
	t->idx = -1;
	t->fn = fn;
	t->arg = arg;
	t->owner = owner;
}

sim_time
actor_now(const struct actor *a)
{
	return a->running ? a->now : a->sim->now;
}

void sim_wake(struct sim *, struct actor *, sim_time);

void
timer_set_at(struct timer *t, sim_time when)
{
	struct actor *a = t->owner;

	if (a == NULL)
		bug("timer_set_at on a global timer");
	if (timer_pending(t))
		theap_remove(t->in, t);
	if (when < actor_now(a))
		when = actor_now(a);
	t->when = when;
	t->seq = a->seq++;
	theap_push(&a->heap, t);
	if (!a->running)
		sim_wake(a->sim, a, theap_top(&a->heap)->when);
}

void
timer_set(struct timer *t, sim_time delay)
{
	timer_set_at(t, actor_now(t->owner) + delay);
}

void
timer_cancel(struct timer *t)
{
	if (!timer_pending(t))
		return;
	/* The wake heap may keep a stale entry; sim_step skips it. */
	theap_remove(t->in, t);
}

void
sim_discard(struct timer *t)
{
	if (t->discard)
		t->discard(t);
}

sim_time
timer_remaining(const struct timer *t)
{
	if (!timer_pending(t))
		return -1;
	if (t->owner)
		return t->when - actor_now(t->owner);
	/* A global timer lives in the sim's global heap. */
	return t->when - container_of(t->in, struct sim, global)->now;
}

