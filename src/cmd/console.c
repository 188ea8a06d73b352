/*
 * console.c: `netsim console FILE`: the simulation runs in this process and
 * a GNU readline prompt drives the REPL core of src/script/repl.h (which the
 * daemon serves too). History persists in $XDG_STATE_HOME/netsim/history, or
 * ~/.netsim_history when XDG_STATE_HOME is not set. Without a terminal on
 * stdin, lines are read plainly (for scripts and tests).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "../cli/cli.h"
#include "../lib/strbuf.h"
#include "../lib/util.h"
#include "../proto/proto.h"
#include "../script/repl.h"
#include "../script/script.h"
#include "cmd.h"

static struct repl *the_repl;
static char **matches;
static size_t match_i;

static void
console_usage(FILE *f)
{
	fprintf(f,
	    "usage: netsim console [options] [TOPOLOGY.yaml | TOPOLOGY.lua]\n"
	    "  --seed N         seed of the run's random numbers\n"
	    "  --no-converge    stay at time 0 instead of running until converged\n"
	    "  --script         run a YAML topology's script: entries (before the prompt, with\n"
	    "                   the convergence; with --no-converge, as time is advanced); by\n"
	    "                   default the console leaves them out\n"
	    "  --history FILE   history file (default $XDG_STATE_HOME/netsim/history or\n"
	    "                   ~/.netsim_history)\n"
	    "Type help at the prompt.\n");
}

static char *
generator(const char *text, int state)
{
	(void)text;
	if (state == 0)
		match_i = 0;
	if (matches == NULL || matches[match_i] == NULL)
		return NULL;
	return strdup(matches[match_i++]);
}

static char **
complete(const char *text, int start, int end)
{
	char *line = strndup(rl_line_buffer, (size_t)rl_point);
	size_t wstart;
	char **res;

	(void)start;
	(void)end;
	rl_attempted_completion_over = 1;
	repl_free_list(matches);
	matches = repl_complete(the_repl, line, &wstart);
	free(line);
	/* Lua completions are whole words (net.r1): readline's word is the same span. */
	res = rl_completion_matches(text, generator);
	rl_completion_suppress_append = repl_completion_no_space(res);
	return res;
}

static int
loop_tty(struct repl *r, const char *hist)
{
	char *line;

	rl_readline_name = "netsim";
	rl_attempted_completion_function = complete;
	rl_completer_word_break_characters = (char *)REPL_WORD_BREAKS;
	rl_basic_word_break_characters = (char *)REPL_WORD_BREAKS;
	using_history();
	if (hist) {
		read_history(hist);
		if (access(hist, F_OK) != 0) {
			FILE *f = fopen(hist, "a");

			if (f)
				fclose(f);
		}
	}
	while ((line = readline(repl_prompt(r))) != NULL) {
		struct strbuf out = STRBUF_INIT;
		enum repl_status st;

		if (*line) {
			add_history(line);
			if (hist)
				append_history(1, hist);
		}
		st = repl_input(r, line, &out);
		fputs(sb_str(&out), stdout);
		fflush(stdout);
		sb_free(&out);
		free(line);
		if (st == REPL_EXIT)
			break;
	}
	if (line == NULL)
		putchar('\n');
	if (hist)
		history_truncate_file(hist, 1000);
	return 0;
}

static int
loop_plain(struct repl *r)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = 0;

	while ((len = getline(&line, &cap, stdin)) >= 0) {
		struct strbuf out = STRBUF_INIT;
		enum repl_status st;

		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		st = repl_input(r, line, &out);
		fputs(sb_str(&out), stdout);
		fflush(stdout);
		sb_free(&out);
		if (st == REPL_ERROR)
			rc = 1;
		if (st == REPL_EXIT)
			break;
	}
	free(line);
	return rc;
}

int
cmd_console(int argc, char **argv)
{
	static const struct option lopts[] = {
	    {"seed", required_argument, NULL, 's'}, {"no-converge", no_argument, NULL, 'n'},
	    {"history", required_argument, NULL, 'H'}, {"help", no_argument, NULL, 'h'},
	    {"script", no_argument, NULL, 'S'},
	    {NULL, 0, NULL, 0}};
	struct script_opts so = {.mode = SCRIPT_LIVE, .no_topo_script = true};
	struct strbuf out = STRBUF_INIT;
	bool converge = true;
	char *hist = NULL;
	struct script *s;
	struct repl *r;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		switch (c) {
		case 's': {
			char *end;

			so.seed = strtoull(optarg, &end, 0);
			if (*optarg == '\0' || *end != '\0' || *optarg == '-') {
				fprintf(stderr, "netsim console: bad --seed '%s'\n", optarg);
				return 2;
			}
			so.seed_set = true;
			break;
		}
		case 'n':
			converge = false;
			break;
		case 'S':
			so.no_topo_script = false;
			break;
		case 'H':
			free(hist);
			hist = xstrdup(optarg);
			break;
		case 'h':
			console_usage(stdout);
			return 0;
		default:
			console_usage(stderr);
			return 2;
		}
	}
	if (optind < argc - 1) {
		console_usage(stderr);
		return 2;
	}
	proto_init_all();
	cli_setup();
	s = script_new(&so);
	if (optind == argc - 1) {
		struct strbuf err = STRBUF_INIT;

		if (script_load(s, argv[optind], &err) == NULL) {
			fputs(sb_str(&err), stderr);
			sb_free(&err);
			script_free(s);
			free(hist);
			return 2;
		}
		sb_free(&err);
		if (converge && so.no_topo_script)
			script_converge(s, 3600 * SIM_S);
		else if (converge)
			script_settle(s, 3600 * SIM_S);
		script_take_output(s, &out);
		fputs(sb_str(&out), stdout);
		sb_free(&out);
	}
	repl_host_install(s);
	r = repl_new(s);
	the_repl = r;
	if (isatty(STDIN_FILENO)) {
		if (hist == NULL)
			hist = repl_history_path();
		printf("netsim console: type help, or exit (Ctrl-D) to leave\n");
		rc = loop_tty(r, hist);
	} else {
		rc = loop_plain(r);
	}
	repl_free_list(matches);
	matches = NULL;
	repl_free(r);
	repl_host_install(NULL);
	script_free(s);
	free(hist);
	return rc;
}
