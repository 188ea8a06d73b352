/* cmd.h: netsim's subcommands (main.c only parses the first word and dispatches). */
#ifndef NETSIM_CMD_H
#define NETSIM_CMD_H

#include <stdbool.h>
#include <stdint.h>

#define NETSIM_VERSION "0.1.0"

int cmd_run(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_console(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_daemon(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_attach(int argc, char **argv);
int cmd_mcp(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_gen_bgp_feed(int argc, char **argv); /* `gen bgp-feed` (gen_feed.c) */
int cmd_import(int argc, char **argv);
int cmd_graph(int argc, char **argv);

/* Options run and sweep share (run.c). */
/* --seed N: *seed and *set, or says what is wrong (netsim CMD: ...) and returns false. */
bool cmd_set_seed(const char *cmd, const char *arg, uint64_t *seed, bool *set);
/* --threads N: sets the engine's threads, or says what is wrong (netsim CMD: ...) and returns false. */
bool cmd_set_threads(const char *cmd, const char *arg);

#endif
