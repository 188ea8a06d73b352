/*
 * cmd_net.h: network-scope commands (CLI_NET: `netsim exec NAME - CMD`, the
 * console's and attach's network scope, node-less cli_exec from Lua).
 *
 * Some of them belong to whoever owns the clock and the Lua state (the
 * daemon, a console): pausing real-time pacing, the kept timeline, running
 * Lua. That host registers its hooks here; without a host (or a hook) the
 * command says it is not available in this context.
 */
#ifndef NETSIM_CMD_NET_H
#define NETSIM_CMD_NET_H

#include <stdbool.h>

#include "cli.h"

struct cli_host {
	void *arg;
	/* Stop or restart real-time pacing (the daemon's ticks). */
	int (*pause)(void *arg, struct cli_ctx *, bool pause);
	/* `events [ARGS]`: the timeline kept so far (text or c->json). */
	int (*events)(void *arg, struct cli_ctx *, int argc, char **argv);
	/*
	 * Run a Lua chunk in the live state, output into c->out; 0 or 1. Lua
	 * may replace the network: afterwards c->net is not to be used, and
	 * the hook settles (cmd_net_settle) the current one itself.
	 */
	int (*lua)(void *arg, struct cli_ctx *, const char *chunk, const char *chunkname);
	/*
	 * The file `load FILE` may read, as the host's Lua rules allow (under
	 * the topology's directory): a malloc'd path, or NULL with a message.
	 */
	char *(*path)(void *arg, const char *given, struct strbuf *err);
};

extern const struct cli_cmd cmds_net[];

/*
 * After a command changed state between engine steps (a link went down):
 * deliver queued events and re-ask every node the convergence question, as
 * the engine does after a global batch, so the change counts at once.
 */
void cmd_net_settle(struct network *);

/*
 * A file a network command may read (`load`, `verify FILE`), as the host's
 * rules allow: a malloc'd path, or NULL with a message in err (no host).
 */
char *cmd_net_path(const char *given, struct strbuf *err);

/* `verify INTENTS` (cmd_verify.c): intent checks on the network (docs/verify.md). */
int cmd_net_verify(struct cli_ctx *, int argc, char **argv);

/* `tables` (cmd_tables.c): every device's routes and adjacencies, normalized, for diffs. */
int cmd_net_tables(struct cli_ctx *, int argc, char **argv);

/* Install (or with NULL remove) the host; the struct is copied. */
void cmd_net_host(const struct cli_host *);

#endif
