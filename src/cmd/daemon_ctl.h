/*
 * daemon_ctl.h: the daemon machinery of `netsim daemon` (daemon.c) and
 * `netsim exec` (exec.c) as functions, so that `netsim mcp` (mcp.c) starts,
 * stops, queries and commands daemons exactly as they do, in-process.
 */
#ifndef NETSIM_DAEMON_CTL_H
#define NETSIM_DAEMON_CTL_H

#include <stdbool.h>
#include <sys/types.h>

#include "../daemon/daemon.h"

/*
 * Start a daemon (docs/daemon.md, daemon start): claim o->name, load and
 * converge o->topology (a path; made absolute here) in a detached process and
 * return once it answers, *pid its pid. fg: serve in this process instead.
 * DMN_OK, else DMN_USAGE or DMN_FAILED with the reason in err.
 */
int daemon_spawn(const struct daemon_opts *o, bool fg, pid_t *pid, struct strbuf *err);
/*
 * Stop daemon NAME and wait until it has exited, killing it after timeout.
 * DMN_OK (err may still say it had to be killed), DMN_NODAEMON, DMN_USAGE or
 * DMN_FAILED with a message in err.
 */
int daemon_stop_name(const char *name, sim_time timeout, struct strbuf *err);
/*
 * Fork daemon NAME into a new daemon NEW_NAME at the same simulated instant
 * (the protocol's fork op): DMN_OK with *pid the copy's, else DMN_NODAEMON,
 * DMN_USAGE or DMN_FAILED with a message in err.
 */
int daemon_fork(const char *name, const char *new_name, pid_t *pid, struct strbuf *err);
/* The daemon's status reply (an "ok" one), or NULL with *why and a message in err. */
struct jval *daemon_query_status(const char *name, int timeout_ms, int *why, struct strbuf *err);

/* The exec --json envelope (docs/daemon.md): what happened to one command. */
struct envelope {
	int status;                /* exec's exit status: DMN_OK ... DMN_NODAEMON */
	const char *device, *command;
	const struct jval *reply;  /* the daemon's reply, NULL when none came */
	const char *error, *code;  /* failures */
};

/*
 * One exec request to daemon NAME (timeout_ms -1: wait as long as it takes):
 * fills env, whose reply the caller frees (jval_free) and whose error may
 * point into err. Returns env->status. keep: the connection is left open there
 * (for a stream) when a reply came, else NULL.
 */
int exec_call(const char *name, const char *device, const char *line, bool json, int timeout_ms,
    struct envelope *env, struct strbuf *err, struct dconn **keep);
/* The envelope as JSON, appended to b. */
void exec_envelope(struct strbuf *b, const struct envelope *env, bool pretty);

#endif
