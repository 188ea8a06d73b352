/*
 * import.h: readers of other tools' network maps into a tgraph (tgraph.h),
 * for `netsim import`: the Internet Topology Zoo's GML and GraphML, and
 * Rocketfuel's weights.intra.
 *
 * Each reader takes the file's text and reports problems as "FILE:LINE:
 * message" in err (then returns false) or, for what it leaves out but can
 * go on without (a link from a node to itself), one line per warning in
 * warn. The shared part (import.c) collects nodes under the file's own ids,
 * resolves links to them and turns labels into device names.
 */
#ifndef NETSIM_IMPORT_H
#define NETSIM_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/hmap.h"
#include "../lib/strbuf.h"
#include "tgraph.h"

#define IMPORT_REF_BPS 100e9 /* a link's cost is this over its speed (OSPF's reference bandwidth) */

struct import {
	struct tgraph *g;
	const char *file;
	struct strbuf *err, *warn;
	struct hmap ids; /* str_hash(id) -> node index + 1 (probing past collisions) */
	char **id;       /* the file's id of each node */
	struct imp_edge {
		char *a, *b;
		double bps; /* 0 unknown */
		int line;
	} *edges;
	size_t nedges, ecap, idcap;
};

void import_init(struct import *, struct tgraph *, const char *file, struct strbuf *err,
    struct strbuf *warn);
void import_free(struct import *);
/* A node under the file's id (label may be NULL: the id names it). False on a duplicate id. */
bool import_node(struct import *, const char *id, const char *label, int line);
/* The node of the file's id, or -1. */
int import_find(const struct import *, const char *id);
void import_edge(struct import *, const char *a, const char *b, double bps, int line);
/* Resolve the links; false when one names a missing node. */
bool import_finish(struct import *);
/* Report (as errors) the nodes without links, or with drop, leave them out. */
bool import_isolated(struct import *, bool drop);

/* "&amp;" and friends, and "&#NN;", decoded in place (GML and XML share them). */
void import_entities(char *s);

bool import_gml(struct import *, const char *text, size_t len);
bool import_graphml(struct import *, const char *text, size_t len);
/* Rocketfuel weights: "a b weight" per line, each direction's weight times 10 as its cost. */
bool import_rocketfuel(struct import *, const char *text, size_t len);

#endif
