/*
 * attach.c: `netsim attach NAME DEVICE`: a readline console on the client
 * side of the socket.
 *
 * Everything but editing happens in the daemon: each input line goes as a
 * "line" request to the console session the daemon keeps for this
 * connection (current device, pending multi-line Lua), and the reply brings
 * the output and the next prompt. Tab completion asks the daemon too
 * ("complete"), so it knows the live devices, their interfaces and the
 * commands Lua registered. History is the user's, across sessions, in the
 * file `netsim console` uses ($XDG_STATE_HOME/netsim/history, else
 * ~/.netsim_history): the two speak the same language. Without a terminal on
 * stdin the console reads lines plainly, so that it can be scripted.
 *
 * `exit` (or quit, or Ctrl-D) detaches, whatever the device: to leave a
 * device for the network scope, `end` (or `connect -`... see docs/daemon.md).
 * Piped, the exit status is 1 when any line failed, as a piped `netsim
 * console` does (so that a script of commands can be checked).
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "../lib/util.h"
#include "../script/repl.h"
#include "daemon.h"
#include "wire.h"

#define HISTORY_LINES 1000

static struct dconn *conn;
static char **cands;       /* the daemon's candidates for the word being completed */
static size_t ncands, cands_cap;
static volatile sig_atomic_t in_readline;

static void
free_cands(void)
{
	for (size_t i = 0; i < ncands; i++)
		free(cands[i]);
	free(cands);
	cands = NULL;
	ncands = cands_cap = 0;
}

/*
 * Ask the daemon for the words that may end the line up to the cursor. It
 * says where its word starts; readline's word starts at rl_start: the
 * candidates are shifted to readline's word when the two differ.
 */
static void
fetch_cands(const char *upto, size_t rl_start)
{
	struct strbuf req = STRBUF_INIT, err = STRBUF_INIT;
	struct json j;
	struct jval *r;
	const struct jval *v;
	size_t start;

	free_cands();
	client_begin(conn, &j, &req, "complete");
	json_kv_str(&j, "line", upto);
	client_end(&j);
	r = client_call(conn, sb_str(&req), &err);
	v = jval_get(r, "candidates");
	start = (size_t)wire_num(r, "start", (double)rl_start);
	if (start > strlen(upto))
		start = rl_start;
	for (size_t i = 0; v != NULL && v->type == J_ARR && i < v->n; i++) {
		const char *w = v->elem[i]->type == J_STR ? v->elem[i]->str : NULL;

		if (w == NULL)
			continue;
		if (start >= rl_start) {
			VEC_PUSH(cands, ncands, cands_cap,
			    xasprintf("%.*s%s", (int)(start - rl_start), upto + rl_start, w));
		} else if (strncmp(w, upto + start, rl_start - start) == 0) {
			VEC_PUSH(cands, ncands, cands_cap, xstrdup(w + (rl_start - start)));
		}
	}
	jval_free(r);
	sb_free(&req);
	sb_free(&err);
}

static char *
cand_gen(const char *text, int state)
{
	static size_t i;

	if (state == 0)
		i = 0;
	while (i < ncands) {
		const char *w = cands[i++];

		if (strncmp(w, text, strlen(text)) == 0)
			return xstrdup(w);
	}
	return NULL;
}

static char **
complete(const char *text, int start, int end UNUSED)
{
	char *upto = xstrndup(rl_line_buffer, (size_t)rl_point);
	char **res;

	rl_attempted_completion_over = 1; /* never fall back to file names */
	fetch_cands(upto, (size_t)start);
	free(upto);
	res = rl_completion_matches(text, cand_gen);
	rl_completion_suppress_append = repl_completion_no_space(res);
	return res;
}

static void
on_sigint(int sig UNUSED)
{
	/* At the prompt, Ctrl-C drops the line being edited, as in a shell. */
	if (in_readline) {
		rl_replace_line("", 0);
		rl_crlf();
		rl_on_new_line();
		rl_redisplay();
	}
}

/* One request; the reply, or NULL when the daemon is gone (message printed). */
static struct jval *
send_line(const char *op, const char *key, const char *val)
{
	struct strbuf req = STRBUF_INIT, err = STRBUF_INIT;
	char cwd[PATH_MAX];
	struct json j;
	struct jval *r;

	client_begin(conn, &j, &req, op);
	json_kv_str(&j, key, val);
	if (getcwd(cwd, sizeof(cwd)) != NULL)
		json_kv_str(&j, "cwd", cwd);
	client_end(&j);
	r = client_call(conn, sb_str(&req), &err);
	if (r == NULL)
		fprintf(stderr, "\nnetsim attach: %s", sb_str(&err));
	sb_free(&req);
	sb_free(&err);
	return r;
}

static bool
is_exit(const char *s)
{
	return strcmp(s, "exit") == 0 || strcmp(s, "quit") == 0 || strcmp(s, "logout") == 0;
}

int
attach_main(const char *name, const char *device)
{
	struct strbuf err = STRBUF_INIT;
	struct jval *r;
	char *prompt, *hist = NULL;
	bool tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	int why, rc = 0;
	bool failed = false; /* a line failed */
	struct sigaction sa = {.sa_handler = on_sigint};

	if ((conn = client_open(name, &why, &err)) == NULL) {
		fprintf(stderr, "netsim attach: %s", sb_str(&err));
		sb_free(&err);
		return why;
	}
	if ((r = send_line("attach", "device", device)) == NULL) {
		client_close(conn);
		return DMN_FAILED;
	}
	if (!wire_bool(r, "ok", false)) {
		fprintf(stderr, "netsim attach: %s\n", client_error(r));
		jval_free(r);
		client_close(conn);
		return DMN_FAILED;
	}
	prompt = xstrdup(jval_str(r, "prompt") ? jval_str(r, "prompt") : "> ");
	jval_free(r);
	if (tty) {
		if (strcmp(device, "-") == 0)
			printf("Attached to daemon %s (network scope). ", name);
		else
			printf("Attached to %s in daemon %s. ", device, name);
		printf("Type help for commands, exit or Ctrl-D to detach.\n");
		rl_readline_name = "netsim";
		rl_attempted_completion_function = complete;
		/* The REPL's words: "net.r1" and "r1:cmd" complete as one. */
		rl_basic_word_break_characters = REPL_WORD_BREAKS;
		rl_completer_word_break_characters = REPL_WORD_BREAKS;
		using_history();
		stifle_history(HISTORY_LINES);
		if ((hist = repl_history_path()) != NULL)
			read_history(hist);
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = SA_RESTART;
		sigaction(SIGINT, &sa, NULL);
	}
	for (;;) {
		char *line, *p;
		const char *out;
		size_t len;

		if (tty) {
			in_readline = 1;
			line = readline(prompt);
			in_readline = 0;
		} else {
			size_t cap = 0;
			ssize_t n;

			line = NULL;
			if ((n = getline(&line, &cap, stdin)) < 0) {
				free(line);
				line = NULL;
			} else if (n > 0 && line[n - 1] == '\n') {
				line[n - 1] = '\0';
			}
		}
		if (line == NULL) {
			if (tty)
				putchar('\n');
			break;
		}
		p = line + strspn(line, " \t");
		len = strlen(p);
		while (len > 0 && strchr(" \t\r", p[len - 1]))
			p[--len] = '\0';
		if (*p == '\0') {
			free(line);
			continue;
		}
		if (tty) {
			HIST_ENTRY *last = history_length > 0 ? history_get(history_base +
			    history_length - 1) : NULL;

			/* Repeating a line does not fill the history with it. */
			if (last == NULL || strcmp(last->line, p) != 0) {
				add_history(p);
				if (hist != NULL && append_history(1, hist) != 0)
					write_history(hist);
			}
		}
		if (is_exit(p)) {
			free(line);
			break;
		}
		r = send_line("line", "line", p);
		free(line);
		if (r == NULL) {
			rc = DMN_FAILED;
			break;
		}
		if (!wire_bool(r, "ok", false) || wire_num(r, "status", 0) != 0)
			failed = true;
		if (!wire_bool(r, "ok", false)) {
			fprintf(stderr, "%% %s\n", client_error(r));
		} else {
			out = jval_str(r, "output");
			if (out != NULL && *out) {
				fputs(out, stdout);
				if (out[strlen(out) - 1] != '\n')
					putchar('\n');
			}
			if (jval_str(r, "prompt") != NULL) {
				free(prompt);
				prompt = xstrdup(jval_str(r, "prompt"));
			}
		}
		fflush(stdout);
		jval_free(r);
	}
	if (hist != NULL) {
		history_truncate_file(hist, HISTORY_LINES);
		free(hist);
	}
	if (tty && rc == 0)
		printf("Detached from %s (the daemon keeps running).\n", name);
	if (!tty && rc == 0 && failed)
		rc = DMN_FAILED;
	free(prompt);
	free_cands();
	client_close(conn);
	sb_free(&err);
	return rc;
}
