/*
 * daemon.h: daemon mode as the subcommands see it (src/cmd/daemon.c,
 * exec.c, attach.c).
 *
 * Files of this directory:
 *   rundir.c   the runtime directory and its NAME.sock/.pid/.log files,
 *              liveness (a lock held for the daemon's life) and stale cleanup
 *   wire.c     the protocol on the socket: one JSON object per line
 *              (docs/daemon-protocol.md), framing, replies, errors
 *   server.c   the daemon process: one poll(2) loop serving real-time ticks and
 *              any number of clients, the timeline kept for `events`, signals,
 *              shutdown
 *   live.c     the live simulation behind the socket: the topology and its
 *              Lua state (script/script.h), commands, completion, console
 *              sessions (the REPL core of script/repl.h)
 *   client.c   connecting and request/response for exec, status, stop, attach
 *   attach.c   the readline console of `netsim attach`
 */
#ifndef NETSIM_DAEMON_H
#define NETSIM_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "../lib/json.h"
#include "../lib/strbuf.h"
#include "../sim/sim.h"

struct jval;

/* Exit statuses shared by exec, status and stop (docs/daemon.md). */
enum {
	DMN_OK = 0,
	DMN_FAILED = 1,   /* the device command failed */
	DMN_USAGE = 2,    /* bad arguments (or a protocol error) */
	DMN_NODAEMON = 3, /* no daemon of that name runs */
};

/* ---- rundir.c ----------------------------------------------------------------------- */

enum rundir_state { RUNDIR_NONE, RUNDIR_STALE, RUNDIR_ALIVE };

/* The runtime directory, created with mode 0700 if needed; NULL with a message in err. */
const char *rundir_path(struct strbuf *err);
/* Daemon names: 1-64 of [A-Za-z0-9._-], not starting with '.' or '-'. */
bool rundir_name_ok(const char *name, struct strbuf *err);
/* NAME.EXT in the runtime directory (malloc'd); rundir_path() must have succeeded. */
char *rundir_file(const char *name, const char *ext);
/* Is a daemon of that name alive? pid set when known. */
enum rundir_state rundir_probe(const char *name, pid_t *pid);
/*
 * NAME.pid opened for reading (-1 if absent), and whether a daemon still holds
 * its lock. The lock, not the pid, says when a daemon is gone: a killed
 * process's threads release it after its main thread is already a zombie.
 */
int rundir_open_pid(const char *name);
bool rundir_fd_locked(int fd);
/* Remove the socket and pid file of a dead daemon (no-op when one is alive). */
bool rundir_clean_stale(const char *name);
/*
 * Claim NAME for a new daemon: lock NAME.pid (the lock lives as long as the
 * returned descriptor in any process), removing stale files. -1 with a
 * message when a daemon of that name is alive or on error.
 */
int rundir_claim(const char *name, struct strbuf *err);
/* NAME.log opened for a daemon's output, the previous one kept as NAME.log.old; -1 on error. */
int rundir_open_log(const char *name);
/*
 * Read a starting daemon's ready pipe to its end into out ("ok\n", or why it
 * did not start; nothing when it died), and close it.
 */
void rundir_read_ready(int fd, struct strbuf *out);
/* Names of every daemon of this user that is alive, sorted, NULL-terminated. */
char **rundir_list(void);

/* ---- server.c ----------------------------------------------------------------------- */

struct daemon_opts {
	const char *name;
	const char *topology;
	sim_time tick;      /* wall-clock interval between ticks */
	double speed;       /* simulated time per tick = tick * speed */
	uint64_t seed;
	bool seed_set;
	sim_time converge_limit; /* give up on the initial convergence after this */
};

/*
 * The daemon process (already detached, stdio on NAME.log, NAME claimed with
 * lockfd): load, converge, listen, then write "ok\n" to ready_fd (or the
 * reason it failed) and serve until stopped. Returns the exit status.
 */
int server_main(const struct daemon_opts *, int lockfd, int ready_fd);

/* ---- client.c ----------------------------------------------------------------------- */

/* A connection to a daemon, with its buffered input. */
struct dconn {
	int fd;
	struct strbuf in;
	size_t off;
	int next_id;
	int timeout_ms; /* for each reply line; -1: wait as long as it takes */
};

/* Connect to NAME's socket; NULL with *why = DMN_NODAEMON when none runs (else DMN_USAGE). */
struct dconn *client_open(const char *name, int *why, struct strbuf *err);
void client_close(struct dconn *);
/* Send one request line (a JSON object, without the newline). */
int client_send(struct dconn *, const char *req, struct strbuf *err);
/* Read and parse the next line; NULL on end of file or error (message in err). */
struct jval *client_recv(struct dconn *, struct strbuf *err);
/* Send a request and return its reply (stream lines without "ok" are skipped). */
struct jval *client_call(struct dconn *, const char *req, struct strbuf *err);
/* Start a request {"v":1,"id":N,"op":OP ...: add fields, then client_end. */
void client_begin(struct dconn *, struct json *, struct strbuf *, const char *op);
void client_end(struct json *);
/* The reply's error message ("" if none) and code (NULL if none). */
const char *client_error(const struct jval *reply);
const char *client_error_code(const struct jval *reply);

/* ---- attach.c ----------------------------------------------------------------------- */

/* `netsim attach NAME DEVICE`: the interactive console; returns the exit status. */
int attach_main(const char *name, const char *device);

#endif
