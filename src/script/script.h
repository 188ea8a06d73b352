/*
 * script.h: the Lua layer as the rest of netsim sees it (no lua.h here: only
 * src/script/ includes it).
 *
 * A `struct script` is one sandboxed Lua state with the netsim library
 * loaded (lua/netsim/NAME.lua, embedded in the binary). It has two modes:
 *
 *   SCRIPT_RUN   `netsim run FILE.lua` and `netsim run FILE.yaml` with Lua
 *                hooks: net:run() runs the simulation, print goes to o.out.
 *   SCRIPT_LIVE  the console and the daemon: the host advances time; a .lua
 *                topology's net:run() only marks its network live and
 *                returns; print and the timeline are captured for the host.
 *
 * Every call from C into Lua goes through one protected-call helper with a
 * traceback (lx_state.c): a Lua error is reported (and counted as a failure)
 * and never unwinds through engine state.
 */
#ifndef NETSIM_SCRIPT_H
#define NETSIM_SCRIPT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../sim/sim.h"

struct script;
struct strbuf;
struct network;
struct runner;

enum script_mode { SCRIPT_RUN, SCRIPT_LIVE };

struct script_opts {
	enum script_mode mode;
	uint64_t seed;      /* --seed: overrides the topology's seed */
	bool seed_set;
	bool timeline;      /* SCRIPT_RUN: print the timeline of every network run */
	bool json;          /* --json: scenarios read it as netsim.args.json */
	bool quiet;
	bool unsafe_lua;    /* --unsafe-lua: io, os and files anywhere (docs/security.md) */
	bool cwd_files;     /* a scenario on netsim run's command line: Lua may also read
	                       files under the working directory (docs/security.md) */
	bool validate;      /* netsim validate (live mode): a file stops at its first net:run() */
	bool no_topo_script; /* live mode (the console without --script): a YAML topology's
	                        script: entries are left out, and a note says so */
	FILE *out;          /* SCRIPT_RUN: where print and timelines go (default stdout) */
	FILE *err;          /* SCRIPT_RUN: where errors go (default stderr) */
	int argc;           /* scenario arguments after the file: netsim.args[1..] */
	char **argv;
};

struct script *script_new(const struct script_opts *);
void script_free(struct script *);

/* `netsim run FILE.lua`: run a scenario; returns the exit status (0 ok, 1 failures, 2 load error). */
int script_run_file(struct script *, const char *path);
/*
 * A subcommand written in Lua (`netsim sweep`): require(module).main() as a
 * scenario's main chunk, with netsim.args from o.argv, reading files under
 * the directory of `file` (the topology it is about). The exit status as
 * script_run_file's.
 */
int script_run_module(struct script *, const char *module, const char *file);

/*
 * `netsim run FILE.yaml` with `lua:`, `hooks:` or `script: - lua:` entries:
 * bind the runner's network, load the topology's Lua file, install hooks and
 * the runner's Lua entry hook. Call before runner_run(); -1 with a message in
 * err if the Lua file does not load.
 */
int script_attach(struct script *, struct runner *, struct strbuf *err);

/*
 * The console and the daemon: load a topology (.yaml, or .lua run in live
 * mode), start it at time 0 without advancing, and make it the current
 * network (the one `net` names in Lua). A previous current network is closed
 * (handles to it raise "network closed" errors). NULL with err on failure.
 */
struct network *script_load(struct script *, const char *path, struct strbuf *err);
/*
 * A daemon's clients: the console's `open FILE` (script_open) may then open
 * only topologies under the directory of file (the daemon's starting
 * topology), by real path: `..` and symlinks that leave it are refused. The
 * local console is not confined (docs/security.md).
 */
void script_confine_open(struct script *, const char *file);
/* The console's `open FILE`: script_load within the confinement, if any. */
struct network *script_open(struct script *, const char *path, struct strbuf *err);
/* The current network, NULL if none. */
struct network *script_network(struct script *);
/* Advance the current network to absolute time `until` (Lua timers, events and hooks run). */
void script_advance(struct script *, sim_time until);
/* Run the current network until it has converged (or `limit` more); false if it did not. */
bool script_converge(struct script *, sim_time limit);
/*
 * Run the current network until it has converged with the topology's script
 * done (`netsim console --script`: its entries run before the prompt, not in
 * the middle of interactive work), or `limit` more; false if it did not.
 */
bool script_settle(struct script *, sim_time limit);

/*
 * Evaluate a chunk in the live environment (globals, `net`, devices by
 * name): Lua statements, or "= expr" / a bare expression to print its value.
 * print() output, the value and any error (message and traceback) are
 * appended to out. Returns 0, -1 on error, 1 when the chunk is incomplete
 * (more lines needed: the REPL continues it).
 */
int script_eval(struct script *, const char *chunk, const char *name, struct strbuf *out);
/* Completion of a Lua expression prefix ("net.r", "r1:cm"): NULL-terminated malloc'd array. */
char **script_complete(struct script *, const char *prefix);
/* Timeline and print output produced while the host advanced time (live mode). */
void script_take_output(struct script *, struct strbuf *out);
/*
 * netsim validate: did the file stop at its first net:run() (a scenario: what
 * it built up to there is its topology)? Then the devices and links it had.
 */
bool script_validate_stopped(const struct script *, size_t *nodes, size_t *links);
/* Failed expectations plus callback errors so far. */
int script_failures(struct script *);
/*
 * A file a host command reads for Lua (the console's `load FILE`): the same
 * rule as netsim.load (lx_path.c). A malloc'd real path, or NULL with err.
 */
char *script_path(struct script *, const char *given, struct strbuf *err);
/* Scenario files (*.lua) of a directory, sorted, read with LuaFileSystem; NULL-terminated. */
char **script_list_dir(const char *dir, struct strbuf *err);

#endif
