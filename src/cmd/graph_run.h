/*
 * graph_run.h: a topology run to convergence for `netsim graph`: the
 * protocol adjacencies it formed and the path a traceroute takes
 * (graph_run.c).
 */
#ifndef NETSIM_GRAPH_RUN_H
#define NETSIM_GRAPH_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/simtime.h"
#include "../lib/strbuf.h"

struct graph_adj {
	char *a, *b;     /* device names */
	char label[24];  /* "OSPF", "IS-IS L1", "IS-IS L2" */
};

struct graph_hop {
	char *dev;
	char *in_if;     /* the interface the probe came in on, NULL when unknown (src, dst) */
};

struct graph_run {
	bool converged;
	sim_time converged_at;
	struct graph_adj *adj;
	size_t nadj, adjcap;
	struct graph_hop *path; /* src first; the devices that answered, in order */
	size_t npath, pathcap;
	bool reached;
	char path_dst[16];      /* the address traced to */
};

/*
 * Build FILE (YAML), run it until converged (its script is not run), then
 * collect the adjacencies (when asked) and the path from src to dst (a
 * device or an address; src NULL: none). -1 with err on a topology or
 * --path error.
 */
int graph_run(const char *file, bool adjacencies, const char *src, const char *dst,
    struct graph_run *, struct strbuf *err);
void graph_run_free(struct graph_run *);

#endif
