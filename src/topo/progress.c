/* progress.c: a long run's progress line on a terminal (see progress.h). */
#include "../lib/simtime.h"
#include "progress.h"
#include "runner.h"

enum {
	PROGRESS_DELAY_NS = 500000000,  /* nothing for runs shorter than this */
	PROGRESS_PERIOD_NS = 250000000, /* at most four reports a second */
	PROGRESS_STEPS = 16,            /* steps between reads of the clock */
};

void
progress_init(struct progress *p, FILE *f, uint64_t start, uint64_t events)
{
	*p = (struct progress){.f = f, .start = start, .last = start, .last_events = events};
}

void
progress_step(struct progress *p, const struct network *net)
{
	uint64_t now, since;

	if (p->f == NULL || ++p->steps < PROGRESS_STEPS)
		return;
	p->steps = 0;
	now = wall_ns();
	since = now - p->last;
	if (now - p->start < PROGRESS_DELAY_NS || since < PROGRESS_PERIOD_NS)
		return;
	/* \r and erase-to-end-of-line: the line is rewritten in place. */
	fprintf(p->f, "\r\033[K[t=%s] %.0f events/s, %zu/%zu devices converged%s",
	    sim_time_str(net->sim.now), (double)(net->sim.events - p->last_events) * 1e9 / (double)since,
	    net->nnodes - net->nbusy, net->nnodes, net->converged ? " (network converged)" : "");
	fflush(p->f);
	p->last = now;
	p->last_events = net->sim.events;
	p->shown = true;
}

void
progress_clear(struct progress *p)
{
	if (p->f == NULL || !p->shown)
		return;
	fputs("\r\033[K", p->f);
	fflush(p->f);
	p->shown = false;
}
