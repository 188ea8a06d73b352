/*
 * live.c: the live simulation behind a daemon (see live.h).
 *
 * The network and its Lua state come from the script layer in live mode
 * (script.h): script_load() builds a .yaml or .lua topology and starts it at
 * time 0, script_advance()/script_converge() move time with Lua timers and
 * hooks running, script_eval() runs console Lua. Device commands go through
 * the one CLI dispatcher, like everywhere else.
 *
 * A line of console input (attach, or exec) is, in this order: a console
 * word (connect, help), Lua when it starts with `=`, a device command when
 * its first word is one (or names a device: `r2 show ip route`), Lua when it
 * reads like Lua (assignment, call, field access), else a device command, so
 * that a mistyped command gets the dispatcher's "% unknown command" rather
 * than Lua's opinion of it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cli/cli.h"
#include "../cli/cmd_net.h"
#include "../lib/util.h"
#include "../proto/proto.h"
#include "../script/script.h"
#include "live.h"

struct live {
	struct script *s;
};

struct live_session {
	struct live *l;
	char *device;        /* NULL: network scope */
	struct strbuf chunk; /* Lua input continued over several lines */
	char prompt[80];
};

struct live *
live_open(const struct live_opts *o, struct strbuf *err)
{
	struct script_opts so = {.mode = SCRIPT_LIVE, .seed = o->seed, .seed_set = o->seed_set};
	struct live *l;

	proto_init_all();
	cli_setup();
	l = xcalloc(1, sizeof(*l));
	l->s = script_new(&so);
	if (script_load(l->s, o->topology, err) == NULL) {
		if (err->len == 0)
			sb_printf(err, "%s: no network\n", o->topology);
		script_free(l->s);
		free(l);
		return NULL;
	}
	return l;
}

void
live_close(struct live *l)
{
	if (l == NULL)
		return;
	script_free(l->s);
	free(l);
}

struct network *
live_net(struct live *l)
{
	return script_network(l->s);
}

bool
live_has_lua(struct live *l)
{
	return true;
}

bool
live_converge(struct live *l, sim_time limit)
{
	struct network *net = live_net(l);

	if (net == NULL)
		return false;
	cmd_net_settle(net);
	return script_converge(l->s, limit);
}

void
live_advance(struct live *l, sim_time until)
{
	struct network *net = live_net(l);

	if (net == NULL)
		return;
	cmd_net_settle(net);
	if (until > net->sim.now)
		script_advance(l->s, until);
}

void
live_take_output(struct live *l, struct strbuf *out)
{
	script_take_output(l->s, out);
}

static struct node *
find_device(struct live *l, const char *device, bool *ok)
{
	struct network *net = live_net(l);
	struct node *n;

	*ok = true;
	if (device == NULL || strcmp(device, "-") == 0)
		return NULL;
	n = net ? net_node(net, device) : NULL;
	*ok = n != NULL;
	return n;
}

/* One device command through the dispatcher. */
static int
cli_run(struct live *l, const char *device, const char *line, bool json, struct strbuf *out,
    struct strbuf *err)
{
	struct network *net = live_net(l);
	struct cli_ctx c;
	bool ok;
	struct node *n = find_device(l, device, &ok);
	char *full = NULL;
	int st;

	if (!ok) {
		sb_printf(err, "%% no such device: '%s'\n", device);
		return LIVE_NODEV;
	}
	if (net == NULL) {
		sb_add(err, "% no network is loaded\n");
		return 1;
	}
	if (json) {
		size_t len = strlen(line);

		while (len > 0 && strchr(" \t\r\n", line[len - 1]))
			len--;
		/* The dispatcher takes a trailing `json` word as the request for JSON. */
		if (!(len >= 4 && strncmp(line + len - 4, "json", 4) == 0 &&
		    (len == 4 || line[len - 5] == ' ' || line[len - 5] == '\t')))
			line = full = xasprintf("%.*s json", (int)len, line);
	}
	cli_ctx_init(&c, net, n);
	st = cli_exec(&c, line);
	sb_addn(out, c.out.s ? c.out.s : "", c.out.len);
	sb_addn(err, c.err.s ? c.err.s : "", c.err.len);
	cli_ctx_free(&c);
	free(full);
	if ((net = live_net(l)) != NULL)
		cmd_net_settle(net);
	return st;
}

char **
live_complete(struct live *l, const char *device, const char *line)
{
	bool ok;
	struct node *n = find_device(l, device, &ok);

	if (!ok || live_net(l) == NULL)
		return xcalloc(1, sizeof(char *));
	return cli_complete(live_net(l), n, line);
}

int
live_lua(struct live *l, const char *chunk, const char *name, struct strbuf *out)
{
	int rc = script_eval(l->s, chunk, name, out);

	if (rc == 1) {
		/* Incomplete: a whole file or one exec line has nothing more to come. */
		sb_add(out, "% incomplete Lua chunk (unfinished statement or string)\n");
		return -1;
	}
	if (live_net(l) != NULL)
		cmd_net_settle(live_net(l));
	return rc;
}

/* ---- console lines ------------------------------------------------------------------ */

static void
set_prompt(struct live_session *ss)
{
	if (ss->chunk.len > 0)
		snprintf(ss->prompt, sizeof(ss->prompt), ">> ");
	else
		snprintf(ss->prompt, sizeof(ss->prompt), "%s> ", ss->device ? ss->device : "net");
}

struct live_session *
live_session_new(struct live *l, const char *device, struct strbuf *err)
{
	struct live_session *ss;
	bool ok;

	find_device(l, device, &ok);
	if (!ok) {
		sb_printf(err, "no such device: '%s'\n", device);
		return NULL;
	}
	ss = xcalloc(1, sizeof(*ss));
	ss->l = l;
	ss->device = device && strcmp(device, "-") ? xstrdup(device) : NULL;
	set_prompt(ss);
	return ss;
}

void
live_session_free(struct live_session *ss)
{
	if (ss == NULL)
		return;
	free(ss->device);
	sb_free(&ss->chunk);
	free(ss);
}

static const char console_help[] =
    "Console:\n"
    "  connect DEVICE      switch device (`connect -`: the network scope)\n"
    "  DEVICE COMMAND      a command on another device (r2 show ip route)\n"
    "  = EXPR              evaluate Lua and print the value (= net:now())\n"
    "  Lua statements      run in the live simulation (net, devices by name)\n"
    "  exit, Ctrl-D        detach; the daemon keeps running\n"
    "Commands here:\n";

/* Is w a prefix of a command available on the node (or a whole command word)? */
static bool
is_command_word(struct live *l, struct node *n, const char *w)
{
	char **v = cli_complete(live_net(l), n, w);
	bool yes = v[0] != NULL;

	for (size_t i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
	return yes;
}

/* Lua punctuation outside a quoted CLI argument: = ( ) [ ] { } : . " ' */
static bool
reads_like_lua(const char *line)
{
	return strpbrk(line, "=()[]{}:'\"") != NULL || strstr(line, "..") != NULL ||
	    strchr(line, '.') != NULL;
}

static bool
lua_keyword(const char *w)
{
	static const char *const kw[] = {"local", "function", "for", "if", "while", "repeat",
	    "return", "do", NULL};

	for (size_t i = 0; kw[i] != NULL; i++)
		if (strcmp(w, kw[i]) == 0)
			return true;
	return false;
}

enum line_kind { LINE_EMPTY, LINE_LUA, LINE_CLI };

/*
 * What an input line is (the order is at the top of this file). For
 * `DEV COMMAND` *dev is the other device (malloc'd); *cmd is where the
 * device command starts.
 */
static enum line_kind
classify(struct live *l, struct node *cur, const char *p, int argc, char **argv, char **dev,
    const char **cmd)
{
	struct node *other;

	*dev = NULL;
	*cmd = p;
	if (argc == 0)
		return LINE_EMPTY;
	if (*p == '=' || live_net(l) == NULL)
		return LINE_LUA;
	if (is_command_word(l, cur, argv[0]))
		return LINE_CLI;
	if (argc > 1 && (other = net_node(live_net(l), argv[0])) != NULL &&
	    is_command_word(l, other, argv[1])) {
		*dev = xstrdup(argv[0]);
		*cmd = p + strlen(argv[0]);
		*cmd += strspn(*cmd, " \t");
		return LINE_CLI;
	}
	if (reads_like_lua(p) || lua_keyword(argv[0]))
		return LINE_LUA;
	return LINE_CLI;
}

int
live_exec(struct live *l, const char *device, const char *line, bool json, struct strbuf *out,
    struct strbuf *err)
{
	bool ok;
	struct node *n = find_device(l, device, &ok);
	const char *p = line + strspn(line, " \t"), *cmd;
	char **argv, *dev;
	int argc, st;

	if (!ok) {
		sb_printf(err, "%% no such device: '%s'\n", device);
		return LIVE_NODEV;
	}
	argc = cli_split(p, &argv);
	if (classify(l, n, p, argc, argv, &dev, &cmd) == LINE_LUA)
		st = live_lua(l, p, "=exec", out) == 0 ? 0 : 1;
	else
		st = cli_run(l, dev ? dev : device, cmd, json, out, err);
	free(dev);
	cli_free_words(argc, argv);
	return st;
}

static int
lua_line(struct live_session *ss, const char *line, struct strbuf *out)
{
	int rc;

	if (ss->chunk.len > 0)
		sb_addc(&ss->chunk, '\n');
	sb_add(&ss->chunk, line);
	rc = script_eval(ss->l->s, ss->chunk.s, "=console", out);
	if (rc == 1)
		return 0; /* more to come: the prompt says so */
	sb_reset(&ss->chunk);
	if (live_net(ss->l) != NULL)
		cmd_net_settle(live_net(ss->l));
	return rc == 0 ? 0 : 1;
}

static int
cli_line(struct live_session *ss, const char *device, const char *line, struct strbuf *out)
{
	struct strbuf err = STRBUF_INIT;
	int st = cli_run(ss->l, device, line, false, out, &err);

	sb_add(out, sb_str(&err));
	sb_free(&err);
	return st != 0;
}

static int
connect_to(struct live_session *ss, int argc, char **argv, struct strbuf *out)
{
	bool ok;

	if (argc != 2) {
		sb_add(out, "% usage: connect DEVICE\n");
		return 1;
	}
	find_device(ss->l, argv[1], &ok);
	if (!ok) {
		sb_printf(out, "%% no such device: '%s'\n", argv[1]);
		return 1;
	}
	free(ss->device);
	ss->device = strcmp(argv[1], "-") ? xstrdup(argv[1]) : NULL;
	return 0;
}

int
live_line(struct live_session *ss, const char *line, struct strbuf *out)
{
	struct live *l = ss->l;
	bool ok;
	struct node *cur = find_device(l, ss->device, &ok);
	const char *p = line + strspn(line, " \t"), *cmd;
	char **argv, *dev = NULL;
	int argc, st;

	if (!ok) {
		/* The device went away under us (a new topology was loaded). */
		free(ss->device);
		ss->device = NULL;
		cur = NULL;
	}
	if (ss->chunk.len > 0) {
		st = lua_line(ss, line, out);
		set_prompt(ss);
		return st;
	}
	argc = cli_split(p, &argv);
	if (argc > 0 && strcmp(argv[0], "connect") == 0) {
		st = connect_to(ss, argc, argv, out);
	} else if (argc == 1 && strcmp(argv[0], "help") == 0) {
		sb_add(out, console_help);
		st = cli_line(ss, ss->device, "help", out);
	} else {
		switch (classify(l, cur, p, argc, argv, &dev, &cmd)) {
		case LINE_EMPTY:
			st = 0;
			break;
		case LINE_LUA:
			st = lua_line(ss, p, out);
			break;
		default:
			st = cli_line(ss, dev ? dev : ss->device, cmd, out);
			break;
		}
	}
	free(dev);
	cli_free_words(argc, argv);
	set_prompt(ss);
	return st;
}

const char *
live_prompt(struct live_session *ss)
{
	return ss->prompt;
}

const char *
live_device(struct live_session *ss)
{
	return ss->device ? ss->device : "-";
}

static void
add_word(char ***v, size_t *n, size_t *cap, const char *w)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], w) == 0)
			return;
	VEC_PUSH(*v, *n, *cap, xstrdup(w));
}

static void
free_words(char **v)
{
	for (size_t i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

char **
live_session_complete(struct live_session *ss, const char *line)
{
	struct live *l = ss->l;
	struct network *net = live_net(l);
	const char *p = line + strspn(line, " \t");
	size_t wstart = strlen(line), n = 0, cap = 0;
	bool ok, first;
	struct node *cur = find_device(l, ss->device, &ok);
	char **v = NULL, **c;

	while (wstart > 0 && line[wstart - 1] != ' ' && line[wstart - 1] != '\t')
		wstart--;
	first = line + wstart == p;
	if (ss->chunk.len > 0 || *p == '=' ||
	    strpbrk(line + wstart, ".:(") != NULL) {
		/* Lua: the script layer completes the expression; we hand back the last word. */
		c = script_complete(l->s, line);
		for (size_t i = 0; c[i] != NULL; i++)
			if (strncmp(c[i], line, wstart) == 0)
				add_word(&v, &n, &cap, c[i] + wstart);
		free_words(c);
	} else if (strncmp(p, "connect ", 8) == 0) {
		for (size_t i = 0; net != NULL && i < net->nnodes; i++)
			if (str_prefix(net->nodes[i]->name, line + wstart))
				add_word(&v, &n, &cap, net->nodes[i]->name);
	} else {
		struct node *target = ok ? cur : NULL;
		const char *rest = line;
		char *devname = NULL;
		size_t dl = strcspn(p, " \t");

		/* `r2 show ...`: complete for the named device. */
		if (!first && net != NULL) {
			devname = xstrndup(p, dl);
			if (net_node(net, devname) != NULL && !is_command_word(l, cur, devname)) {
				target = net_node(net, devname);
				rest = p + dl + strspn(p + dl, " \t");
			}
			free(devname);
		}
		c = live_complete(l, target ? target->name : "-", rest);
		for (size_t i = 0; c[i] != NULL; i++)
			add_word(&v, &n, &cap, c[i]);
		free_words(c);
		if (first) {
			for (const char *const *w = (const char *const[]){"connect", "exit", NULL}; *w; w++)
				if (str_prefix(*w, p))
					add_word(&v, &n, &cap, *w);
			for (size_t i = 0; net != NULL && i < net->nnodes; i++)
				if (str_prefix(net->nodes[i]->name, p) && *p != '\0')
					add_word(&v, &n, &cap, net->nodes[i]->name);
		}
	}
	VEC_PUSH(v, n, cap, NULL);
	return v;
}
