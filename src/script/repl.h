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
 *   step | run [DURATION] | converge | time | devices | load FILE | help | exit
 */
#ifndef NETSIM_REPL_H
#define NETSIM_REPL_H

#include <stddef.h>

struct repl;
struct script;
struct strbuf;

enum repl_status { REPL_OK, REPL_ERROR, REPL_MORE, REPL_EXIT };

/* Characters that end a word for completion (a Lua "net.r1" or "r1:cmd" is one word). */
#define REPL_WORD_BREAKS " \t\n\"'()[]{},;=+*/<>~#"

struct repl *repl_new(struct script *);
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

#endif
