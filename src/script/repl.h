/*
 * repl.h: the console's core, without a terminal: one input line in, output
 * text out, a prompt and a completion function. `netsim console` drives it
 * with GNU readline (src/cmd/console.c); the daemon serves the same core over
 * its socket for `netsim attach`.
 *
 * Input is either device CLI or Lua:
 *   r1 show ip route        a device command (any CLI command, abbreviations too)
 *   connect r1 / r1         then every line is r1's CLI, at an "r1> " prompt;
 *                           exit (or end) goes back; "= expr" and "lua STMT" still work
 *   = expr, or any Lua      evaluated with the simulation in scope (net, devices by
 *                           name, netsim, expect, chaos); an unfinished chunk continues
 *                           on the next line (">> " prompt)
 *   step | run [DURATION] | time | devices | open FILE | help | exit
 *   network commands (cli/cmd_net.c) from any prompt: converge, link, chaos, load, events
 *
 * At a device prompt a line with '(' or '=' is Lua, anything else device CLI.
 */
#ifndef NETSIM_REPL_H
#define NETSIM_REPL_H

#include <stdbool.h>
#include <stddef.h>

struct repl;
struct script;
struct strbuf;

enum repl_status { REPL_OK, REPL_ERROR, REPL_MORE, REPL_EXIT };

/* Characters that end a word for completion (a Lua "net.r1" or "r1:cmd" is one word). */
#define REPL_WORD_BREAKS " \t\n\"'()[]{},;=+*/<>~#"

struct repl *repl_new(struct script *);
/* A daemon's session: help says that `exit` detaches and lists the daemon's commands (pause...). */
void repl_set_daemon(struct repl *, bool daemon);
void repl_free(struct repl *);
/* Handle one line; everything to show (results, errors, timeline) is appended to out. */
enum repl_status repl_input(struct repl *, const char *line, struct strbuf *out);
const char *repl_prompt(const struct repl *);
/*
 * Completion of the word that ends line (line = the input up to the cursor):
 * *start is set to the word's offset in line, and the candidates replace
 * line[*start..]. NULL-terminated, malloc'd (free each and the array).
 */
char **repl_complete(struct repl *, const char *line, size_t *start);
void repl_free_list(char **);
/* readline's matches: one endpoint's device (r1:) takes no space after it (the interface follows). */
bool repl_completion_no_space(char *const *matches);
/*
 * The readline history file the console and `netsim attach` share:
 * $XDG_STATE_HOME/netsim/history (made if missing), else ~/.netsim_history;
 * NULL if neither can be had. Free it.
 */
char *repl_history_path(void);

/*
 * Is line a Lua statement: an assignment (`co = 1`, `t.x, y = 1, 2`, not
 * `a == b`) or one starting with a keyword (local, function, for, if...)?
 * Such a line is Lua even where its first word would name a command.
 */
bool repl_is_lua_statement(const char *line);
/* Is the first word of line a network-scope command of cli/cmd_net.c (link, chaos...), not Lua? */
bool repl_is_net_command(const char *line);
/*
 * Completion of the last word of a network-scope command line (line: up to
 * the cursor; the word starts after its last blank): the dispatcher's
 * (`link down r1:<Tab>` -> r1's interfaces as r1:eth0), and `chaos <Tab>`:
 * the chaos module's actions. NULL-terminated, malloc'd.
 */
char **repl_complete_net(struct script *, const char *line);

/*
 * Run a whole chunk (a file's contents, one exec line) in the live state: an
 * unfinished chunk is an error (nothing more will come), and the network's
 * events and convergence state are settled afterwards. 0, or -1 on error.
 * Hosts (the console, the daemon) use it as cmd_net's Lua hook.
 */
int repl_run_chunk(struct script *, const char *chunk, const char *name, struct strbuf *out);
/* Install cmd_net's host hooks for a console without real-time pacing (Lua only); NULL removes. */
void repl_host_install(struct script *);

#endif
