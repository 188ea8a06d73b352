/*
 * tlsvg.h: the convergence timeline of a run as a picture
 * (`netsim run --timeline-svg FILE`).
 *
 * While the network runs, each device's engine events are counted in time
 * buckets (the work it did: frames handled, timers fired), and the timeline's
 * events are kept (adjacency changes, links and devices going down and up,
 * chaos actions, script commands, convergence). At the end a self-contained
 * SVG is written: one row per device with its activity as a heat strip and
 * its events as marks (hover for the timeline line), dashed lines where the
 * network converged, and a time axis. netsim draws it itself: no Graphviz.
 *
 * Buckets start 1 ms wide; when the run outgrows them, neighbouring buckets
 * are merged and the width doubles, so memory stays at TLSVG_BUCKETS per
 * device whatever the run's length. Only simulated time is used: the same
 * run draws the same bytes.
 */
#ifndef NETSIM_TLSVG_H
#define NETSIM_TLSVG_H

#include <stdint.h>

#include "../net/net.h"

struct strbuf;
struct tlsvg_mark;

enum { TLSVG_BUCKETS = 512, TLSVG_MAX_MARKS = 20000, TLSVG_MAX_ROWS = 250 };

struct tlsvg {
	struct network *net;
	size_t nnodes;
	sim_time width;     /* of a bucket */
	uint32_t *counts;   /* [TLSVG_BUCKETS][nnodes] */
	uint64_t *seen;     /* per device: its engine events already counted */
	struct tlsvg_mark *marks;
	size_t nmarks, markcap, dropped;
	int sub;            /* the event subscription */
};

void tlsvg_init(struct tlsvg *, struct network *);
/* After an engine step: count the work of the devices that ran. */
void tlsvg_step(struct tlsvg *);
/* A mark of the runner's own (a script command) on a device's row (NULL: network-wide). */
void tlsvg_note(struct tlsvg *, sim_time t, const struct node *, const char *text);
/*
 * Write the picture of the run so far; -1 with a message in err. Under
 * mpirun every rank calls it: the ranks' counts are gathered, rank 0 writes
 * the file, and every rank returns its result.
 */
int tlsvg_write(struct tlsvg *, const char *path, struct strbuf *err);
void tlsvg_free(struct tlsvg *);

#endif
