/*
 * backoff.h: exponential backoff of a triggered computation (SPF, LSP
 * generation), as IOS's `spf-interval MAX INITIAL SECOND` and FRR's throttle
 * behave: the first trigger after a quiet period waits `initial`; a trigger
 * soon after waits `second`, and each later one twice the previous wait, up
 * to `max`; once nothing has been triggered for twice `max`, the next trigger
 * waits `initial` again.
 */
#ifndef NETSIM_BACKOFF_H
#define NETSIM_BACKOFF_H

#include "../sim/sim.h"

struct backoff_cfg {
	sim_time initial, second, max;
};

struct backoff {
	sim_time last; /* the last trigger (SIM_NEVER: none yet) */
	sim_time next; /* the wait of the next trigger inside the window */
};

static inline void
backoff_reset(struct backoff *b)
{
	b->last = SIM_NEVER;
	b->next = 0;
}

/* A trigger at now: how long to wait before running. */
static inline sim_time
backoff_delay(struct backoff *b, const struct backoff_cfg *c, sim_time now)
{
	sim_time wait;

	if (b->last == SIM_NEVER || now - b->last > 2 * c->max) {
		wait = c->initial;
		b->next = c->second;
	} else {
		wait = b->next;
		b->next = b->next * 2 > c->max ? c->max : b->next * 2;
	}
	b->last = now;
	return wait;
}

#endif
