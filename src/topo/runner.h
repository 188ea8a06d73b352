/*
 * runner.h: running a topology with its script, as `netsim run` does (and,
 * later, the console and the daemon): the timeline, script entries at their
 * times, convergence, and the final report.
 */
#ifndef NETSIM_RUNNER_H
#define NETSIM_RUNNER_H

#include <stdbool.h>
#include <stdio.h>

#include "../lib/json.h"
#include "../lib/strbuf.h"
#include "progress.h"
#include "tlsvg.h"
#include "topo.h"

struct runner_opts {
	bool quiet;        /* only script output and the summary */
	bool json;         /* a JSON report instead of text */
	sim_time until;    /* run exactly until this time (SIM_NEVER: until done) */
	sim_time limit;    /* give up waiting for convergence after this much simulated time */
	const char *pcap_dir;
	bool progress;     /* a progress line on stderr (progress.h): the caller checked it is a terminal */
	const char *timeline_svg; /* draw the run's timeline into this file at the end (tlsvg.h) */
};

struct item_timer;

struct runner {
	struct topo *topo;
	struct network *net;
	struct runner_opts o;
	FILE *out;
	int failures;       /* script commands that failed */
	size_t pending;     /* script entries not yet run */
	bool first_converged;
	struct item_timer *items; /* one per script entry */
	struct strbuf events; /* JSON mode: the timeline */
	struct strbuf outputs; /* JSON mode: script outputs */
	size_t nevents, noutputs;
	uint64_t wall_start;
	bool started;
	/*
	 * Lua: `script:` entries with `lua:` run through this hook when the script
	 * layer set it (src/script/); extra_pending counts its one-shot timers,
	 * which keep runner_advance() going like script entries do.
	 */
	int (*lua_item)(void *arg, const struct script_item *, struct node *);
	void *lua_arg;
	size_t extra_pending;
	bool *ev_done;      /* per entry: its named event (`at: EVENT + 1s`) has fired */
	struct progress prog;
	struct tlsvg svg;   /* o.timeline_svg: the activity and events drawn at the end */
	int sub_timeline, sub_named; /* event subscriptions (-1: none), ended by runner_free */
};

void runner_init(struct runner *, struct topo *, const struct runner_opts *, FILE *out);

/* Exit statuses of a run besides 0 (2 is a bad topology or usage, before any run). */
enum {
	RUNNER_FAILED = 1,        /* a script command failed */
	RUNNER_NOT_CONVERGED = 3, /* stopped (--until, --limit) before converging: `at: converged` entries never ran */
	RUNNER_NO_SVG = 2,        /* --timeline-svg FILE could not be written */
};

/* Run to the end; returns the process exit status (0, or one of the above). */
int runner_run(struct runner *);
/*
 * The same in steps, for the Lua front end and the console: start (time 0,
 * protocols up), advance (to `until`, or with SIM_NEVER until converged with
 * the script done, giving up at the absolute time `limit`), finish (summary).
 */
void runner_start(struct runner *);
void runner_advance(struct runner *, sim_time until, sim_time limit);
int runner_finish(struct runner *);
/* A named event happened at t: schedule the `at: NAME + offset` entries waiting for it. */
void runner_event(struct runner *, const char *name, sim_time t);
void runner_free(struct runner *);
/*
 * How a distributed run runs a script entry (docs/distributed.md): on its
 * device's rank, the others stepping along (show, ping, traceroute, tcp);
 * on its device's rank as a command that changes the network, whose events
 * and frames every rank takes in place (route add|del, mpls lfib add|del:
 * ENTRY_OWNER_CHANGE); on every rank, each changing its own part (link
 * up|down, interface ... shutdown); in global context on every rank, as in
 * one process (Lua: lx_dist.c; `converge`, whose steps are collective, and
 * `verify`, whose walks are; a command defined in Lua; a line no command
 * matches, which fails alike: ENTRY_GLOBAL); or not at all (other commands:
 * refused before the run).
 * device is NULL for a network command, command NULL for Lua.
 */
enum entry_dist { ENTRY_OWNER, ENTRY_OWNER_CHANGE, ENTRY_EVERY_RANK, ENTRY_GLOBAL, ENTRY_LUA,
	ENTRY_REFUSED };
enum entry_dist runner_entry_dist(const char *device, const char *command);
/* The first of t's script entries a distributed run refuses, or NULL. */
const struct script_item *runner_dist_refused(const struct topo *t);
/* Wall-clock nanoseconds (the only use of the wall clock: reporting speed). */
uint64_t wall_ns(void);

#endif
