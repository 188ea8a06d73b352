/*
 * progress.h: a one-line progress report of a long run on a terminal.
 *
 * `netsim run` on a terminal shows, on stderr, the simulated time, the
 * events processed per wall-clock second and how many devices have no
 * protocol work pending ("converged"), rewritten in place at most four
 * times a second once the run has taken half a second of wall time (short
 * runs show nothing). Off when stderr is not a terminal, with --json, -q or
 * tracing (the caller decides). The wall clock only paces the display: the
 * simulation never sees it.
 */
#ifndef NETSIM_PROGRESS_H
#define NETSIM_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../net/net.h"

struct progress {
	FILE *f;            /* NULL: off */
	uint64_t start;     /* wall ns at the start of the run */
	uint64_t last;      /* wall ns of the last report (0: none yet) */
	uint64_t last_events;
	unsigned steps;     /* engine steps since the wall clock was last read */
	bool shown;         /* a line is on the terminal now */
};

/* f NULL: off. start: wall ns; events: the engine's count at the start. */
void progress_init(struct progress *, FILE *f, uint64_t start, uint64_t events);
/* After an engine step: report when it is time to. */
void progress_step(struct progress *, const struct network *);
/* Erase the line (before other output, and at the end). */
void progress_clear(struct progress *);

#endif
