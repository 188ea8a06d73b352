/*
 * live.h: the live simulation served by a daemon: one network (and the Lua
 * state bound to it), advanced by the server's clock and by commands.
 *
 * Everything here runs in the engine's global context (between steps), as
 * CLI commands and Lua callbacks must.
 */
#ifndef NETSIM_LIVE_H
#define NETSIM_LIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/strbuf.h"
#include "../net/net.h"

struct live;
struct live_session;

struct live_opts {
	const char *topology; /* .yaml or .lua */
	uint64_t seed;
	bool seed_set;
};

/* Load and start the topology at time 0; NULL with the reasons in err. */
struct live *live_open(const struct live_opts *, struct strbuf *err);
void live_close(struct live *);
struct network *live_net(struct live *);

/* Fast-forward until converged, at most `limit` more simulated time; false if it did not. */
bool live_converge(struct live *, sim_time limit);
/* Advance to the absolute time `until` (a real-time tick). */
void live_advance(struct live *, sim_time until);
/* Timeline lines and Lua output produced since the last call (for the log). */
void live_take_output(struct live *, struct strbuf *);

/* exec results */
enum { LIVE_NODEV = -1 };

/* Why an exec line failed, for the exec --json envelope (cli_ctx's code and reason). */
struct live_why {
	const char *code; /* static; NULL when it did not fail */
	char reason[160];
	bool json;        /* the output is the command's JSON form */
};

/*
 * One exec line on a device (device NULL or "-": network scope): a device or
 * network-scope command through the CLI dispatcher (json: its JSON form when
 * it has one, else its text: an action is carried out all the same), or a
 * console line (Lua, run, step, ...) through a fresh REPL (text). Output in
 * out, "% ..." errors in err, the failure's code in why (may be NULL).
 * Returns the status (0, 1), or LIVE_NODEV.
 */
int live_exec(struct live *, const char *device, const char *line, bool json, struct strbuf *out,
    struct strbuf *err, struct live_why *why);
/* Completion candidates for a partial command line on a device (NULL: network scope). */
char **live_complete(struct live *, const char *device, const char *line);
/* Evaluate Lua (a chunk or "= expr") in the live state; 0, or -1 with the error in out. */
int live_lua(struct live *, const char *chunk, const char *name, struct strbuf *out);
/* A file `load FILE` may read: under the topology's directory (script_path). */
char *live_path(struct live *, const char *given, struct strbuf *err);

/*
 * Console sessions (netsim attach): each is a REPL (script/repl.h) with its
 * own current device and pending multi-line Lua input. live_line runs one
 * input line; 0 ok, 1 the command failed. live_session_complete returns the
 * candidates for the word that ends line, which starts at *start.
 */
struct live_session *live_session_new(struct live *, const char *device, struct strbuf *err);
void live_session_free(struct live_session *);
int live_line(struct live_session *, const char *line, struct strbuf *out);
const char *live_prompt(struct live_session *);
const char *live_device(struct live_session *);
char **live_session_complete(struct live_session *, const char *line, size_t *start);

#endif
