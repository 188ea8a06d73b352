/*
 * intent.h: intent checks (docs/verify.md): assertions about what a network
 * forwards, checked against its routing tables and FIBs, each answered pass,
 * fail or inconclusive with its evidence (the FIB walk of walk.h, hop by
 * hop, or the route found) and, on failure, one read-only command to look
 * further. `netsim verify`, the `verify` network command (daemon, console,
 * MCP's verify tool) and Lua's net:verify / expect.verify all come here.
 */
#ifndef NETSIM_INTENT_H
#define NETSIM_INTENT_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/cfg.h"
#include "../lib/json.h"
#include "../net/net.h"

enum intent_kind { INTENT_REACHABLE, INTENT_UNREACHABLE, INTENT_PATH, INTENT_ROUTE,
	INTENT_NO_LOOPS, INTENT_NO_BLACKHOLES };

/* One assertion as written; the names are resolved when it is checked. */
struct intent {
	enum intent_kind kind;
	int line, col;
	const char *from, *to, *via, *avoids;  /* reachable, unreachable, path */
	const char *device, *prefix, *protocol; /* route */
	const char **vias;                      /* route: its next hops (addresses or devices) */
	size_t nvias;
	bool vias_exact;                        /* route: via was a list: exactly those */
	long long metric;                       /* route: -1 when not asked */
	const char **dests, **srcs;             /* no_loops, no_blackholes (srcs: optional) */
	size_t ndests, nsrcs;
};

struct intents {
	struct cfg_doc *doc; /* owns the strings */
	struct intent *v;
	size_t n;
};

/*
 * The intents of doc (taken over, freed by intents_free even on failure): a
 * list of one-key maps (`- reachable: {from: h1, to: 10.0.3.10}`), or a map
 * with such a list under `intents:`. false with doc->errors (file:line:col).
 */
bool intents_read(struct cfg_doc *doc, struct intents *out);
/* The same from YAML (or JSON) text; errors as "file:line:col: ...\n" in err. */
bool intents_parse(const char *file, const char *text, size_t len, struct intents *out,
    struct strbuf *err);
void intents_free(struct intents *);

struct intent_tally {
	int pass, fail, inconclusive;
};

/*
 * Check every intent on net (global context: nothing runs) and write the
 * report as one JSON object into j: converged, simTimeMs, passed, failed,
 * inconclusive, results[] (docs/verify.md).
 */
void intents_check(struct network *net, const struct intents *, struct json *j,
    struct intent_tally *);
/* A report (intents_check's JSON, parsed) as text: a line per assertion, its evidence, totals. */
void intents_text(const struct jval *report, struct strbuf *out);

#endif
