/*
 * cli.h: the one command dispatcher behind every entry point: `script:`
 * entries, node:cmd() in Lua, the console, and daemon exec/attach.
 *
 * Commands are rows of tables: a path of words ("show ip route"), an
 * argument synopsis, help text, a handler and flags saying which devices have
 * it and whether it has a JSON form. Tables come from the core, from each
 * protocol (protocol->cmds) and from Lua (netsim.command). Words may be
 * abbreviated to any unique prefix ("sh ip ro"), as on real routers; a
 * trailing `json` selects the JSON form.
 */
#ifndef NETSIM_CLI_H
#define NETSIM_CLI_H

#include <stdbool.h>

#include "../lib/json.h"
#include "../lib/strbuf.h"
#include "../net/net.h"

enum {
	CLI_ROUTER = 1u << 0,
	CLI_HOST = 1u << 1,
	CLI_SWITCH = 1u << 2,
	CLI_NET = 1u << 3,   /* network scope: no device (`netsim exec NAME - ...`) */
	CLI_JSON = 1u << 4,  /* has a JSON form */
	CLI_DAEMON = 1u << 5, /* only with the daemon's real-time clock (pause, resume) */
	CLI_HELP = 1u << 6,   /* `help` itself: the console lists its own help instead */
	CLI_L3 = CLI_ROUTER | CLI_HOST,
	CLI_DEV = CLI_ROUTER | CLI_HOST | CLI_SWITCH,
};

struct cli_ctx;

struct cli_cmd {
	const char *path;  /* words */
	const char *args;  /* synopsis of the arguments, "" if none; upper case = a value */
	const char *help;
	int (*fn)(struct cli_ctx *, int argc, char **argv);
	unsigned flags;
};

struct cli_ctx {
	struct network *net;
	struct node *node;      /* NULL for network-scope commands */
	const struct cli_cmd *cmd;
	bool json;
	struct strbuf out;      /* text or JSON output */
	struct strbuf err;      /* "% ..." messages */
	struct json j;          /* writes into out when json */
	int status;             /* 0 ok, 1 failed */
	/*
	 * Set before cli_exec: JSON when the command has a JSON form, its text
	 * otherwise (exec --json: an action is carried out all the same).
	 */
	bool json_if_any;
	/*
	 * Why the command failed, for tools (the exec --json envelope; cli.md):
	 * a stable code ("unknown-command", "no-reply"...) and, for failures
	 * whose output already tells (a ping without replies), a one-line reason
	 * that is not printed as an error.
	 */
	const char *code;
	char reason[160];
	/*
	 * Set before cli_exec: a command that cannot run twice (ping and
	 * traceroute move time and send packets) also writes its JSON form into
	 * alt when run for its text (netsim run --json keeps both).
	 */
	bool also_json;
	struct strbuf alt;
	struct json alt_j;
};

/* Register a NULL-terminated table (kept by pointer). */
void cli_register(const struct cli_cmd *table);
/*
 * Register one command owned by the CLI (copied, with an argument for its
 * handler: cli_cmd_arg); replaces one with the same path.
 */
void cli_register_dynamic(const struct cli_cmd *, void *arg);
/* The argument a dynamic command was registered with (NULL for table commands). */
void *cli_cmd_arg(const struct cli_cmd *);
void cli_unregister_dynamic(const char *path);
/* Register the core tables and every protocol's (idempotent). */
void cli_setup(void);

void cli_ctx_init(struct cli_ctx *, struct network *, struct node *);
void cli_ctx_free(struct cli_ctx *);
/* Run one command line; output in c->out, errors in c->err; returns c->status. */
int cli_exec(struct cli_ctx *, const char *line);

/*
 * Does line name a command available on n (NULL: network scope)? True when its
 * words match a command path, abbreviations included; the console uses it to
 * tell device CLI from Lua.
 */
bool cli_has_command(const struct node *n, const char *line);
/* The registered command line names on any device or the network scope (its path, synopsis), or NULL. */
const struct cli_cmd *cli_lookup(const char *line);

/*
 * Record a failure ("% msg") and return 1; handlers `return cli_fail(c, ...)`.
 * Its code is "command-failed" unless one was set (cli_fail_code).
 */
int cli_fail(struct cli_ctx *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A whole number argument from min to max, or false with "NAME must be a number from ..." failed. */
bool cli_num_arg(struct cli_ctx *, const char *name, const char *s, long long min, long long max,
    long long *out);
/* The device's VRF named name (net/vrf.h; "default" is 0), or -1 after a failure. */
int cli_vrf_arg(struct cli_ctx *, const char *name);
int cli_fail_code(struct cli_ctx *, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * A command that ran and whose outcome is a failure its output shows (no
 * reply, destination not reached): status 1, the code and a reason, no "% ".
 */
int cli_outcome(struct cli_ctx *, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cli_printf(struct cli_ctx *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * A keyword argument (`show ip route ospf`): word is one of choices (n of
 * them) or an abbreviation of exactly one, matched as command words are (an
 * exact match wins over prefixes). Returns its index, or -1 after cli_fail
 * ("unknown WHAT 'osfp' (one of: ...)" or "ambiguous WHAT 's' (...)").
 */
int cli_keyword(struct cli_ctx *, const char *what, const char *word, const char *const *choices,
    int n);

/*
 * A word naming a protocol this build lacks ("isis"): records "% IS-IS is not
 * available in this build" and returns 1; else returns 0 and records nothing.
 */
int cli_unavailable(struct cli_ctx *, const char *word);

/* The writer for the JSON form beside the text (also_json), else NULL. */
struct json *cli_also_json(struct cli_ctx *);

/* Split a line into words (double quotes group); returns argc, argv freed with cli_free_words. */
int cli_split(const char *line, char ***argv);
void cli_free_words(int argc, char **argv);

/*
 * Completion: the candidate next words for a partial line on a device type
 * (words of command paths, then device/interface names where the synopsis
 * says DEVICE/IFACE). Returns a NULL-terminated malloc'd array.
 */
char **cli_complete(struct network *, struct node *, const char *line);
/* An endpoint word: DEV: for the devices, DEV:IF once the colon is typed (same array). */
char **cli_complete_endpoint(struct network *, const char *partial);
/* Help text: every command available on the node (or network scope). */
void cli_help(struct cli_ctx *, const char *filter);
/* The same without the commands that have any of the flags `without` (the console: CLI_DAEMON). */
void cli_help_without(struct cli_ctx *, const char *filter, unsigned without);

/* Which device types have a flag set. */
unsigned cli_node_mask(const struct node *);

/* Run the simulation until done(arg) or until limit; user global events wait meanwhile. */
void cli_run_until(struct cli_ctx *, bool (*done)(void *), void *arg, sim_time limit);
/*
 * A distributed run (docs/distributed.md): a device's command runs on its
 * rank; the other ranks cli_follow() it, stepping the engine each time its
 * cli_run_until() does, until the owner's cli_follow_end() after the command.
 */
struct network;
void cli_follow(struct network *, int owner);
void cli_follow_end(void);

/* Column helpers for text tables: pad the current line to column w. */
static inline void
cli_pad(struct cli_ctx *c, size_t w)
{
	sb_pad(&c->out, w);
}

/* "00:00:25" (or "1d02h" beyond a day) as Cisco shows ages. */
const char *cli_age(sim_time);

#endif
