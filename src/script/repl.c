/* repl.c: the console core (see repl.h). */
#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../cli/cli.h"
#include "../cli/cmd_net.h"
#include "../lib/util.h"
#include "lx.h"
#include "repl.h"

struct repl {
	struct script *s;
	char device[72];        /* connected device, "" at the top */
	struct strbuf more;     /* an unfinished Lua chunk */
	char prompt[96];
	bool daemon;            /* a daemon's session: `exit` detaches (the client does it) */
};

static const char *const console_cmds[] = {"connect", "disconnect", "step", "run", "time",
	"devices", "open", "help", "exit", "quit", NULL};

static const char console_help[] =
	"netsim console: device CLI and Lua, with the simulation in scope.\n"
	"  DEVICE COMMAND      run a device command:  r1 show ip route, h1 ping 10.0.3.10\n"
	"  connect DEVICE      talk to one device (its prompt); end to come back\n"
	"  = EXPR              print a Lua value:  = r1:route(\"10.0.3.0/24\")\n"
	"  LUA                 any Lua statement:  chaos.link_down(\"r1--r2\")\n"
	"  step                run one engine step\n"
	"  run [DURATION]      advance simulated time (run 5s); alone: until converged and idle\n"
	"  time                the simulated time\n"
	"  devices             the devices and their state\n"
	"  open FILE           open another topology (.yaml or .lua); old handles go stale;\n"
	"                      in a daemon, it replaces the network for every client\n"
	"  help [COMMAND]      this text, or a network command's; at a device prompt, the\n"
	"                      device's commands\n"
	"  end                 leave the device for the network prompt (also disconnect)\n";
/* What exit does depends on the host: the console's loop, or `netsim attach` (client side). */
static const char console_exit[] =
	"  exit                at a device prompt: back to the network prompt; at netsim>:\n"
	"                      leave the console (also quit, Ctrl-D)\n";
static const char daemon_exit[] =
	"  exit                detach from the daemon, from any prompt (it keeps running;\n"
	"                      also quit, Ctrl-D)\n";

struct repl *
repl_new(struct script *s)
{
	struct repl *r = xcalloc(1, sizeof(*r));

	r->s = s;
	return r;
}

void
repl_set_daemon(struct repl *r, bool daemon)
{
	r->daemon = daemon;
}

/* The network commands this host has (from the dispatcher's table: each listed once). */
static void
net_help(struct repl *r, const char *filter, struct strbuf *out)
{
	struct cli_ctx c;

	cli_ctx_init(&c, script_network(r->s), NULL);
	cli_help_without(&c, filter, CLI_HELP | (r->daemon ? 0 : CLI_DAEMON));
	sb_add(out, sb_str(&c.out));
	cli_ctx_free(&c);
}

void
repl_free(struct repl *r)
{
	if (r == NULL)
		return;
	sb_free(&r->more);
	free(r);
}

void
repl_free_list(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static struct node *
find_node(struct repl *r, const char *name)
{
	struct network *net = script_network(r->s);

	return net && *name ? net_node(net, name) : NULL;
}

const char *
repl_prompt(const struct repl *r)
{
	struct repl *m = (struct repl *)r;

	if (r->more.len > 0)
		snprintf(m->prompt, sizeof(m->prompt), ">> ");
	else if (r->device[0])
		snprintf(m->prompt, sizeof(m->prompt), "%s> ", r->device);
	else
		snprintf(m->prompt, sizeof(m->prompt), "netsim> ");
	return r->prompt;
}

static enum repl_status
device_cmd(struct repl *r, struct node *n, const char *line, struct strbuf *out)
{
	struct cli_ctx c;
	int rc;

	cli_ctx_init(&c, script_network(r->s), n);
	rc = cli_exec(&c, line);
	script_take_output(r->s, out);
	sb_add(out, sb_str(&c.out));
	sb_add(out, sb_str(&c.err));
	cli_ctx_free(&c);
	return rc ? REPL_ERROR : REPL_OK;
}

static enum repl_status
lua(struct repl *r, const char *chunk, struct strbuf *out)
{
	int rc;

	if (r->more.len > 0) {
		sb_add(&r->more, "\n");
		sb_add(&r->more, chunk);
		chunk = r->more.s;
	}
	rc = script_eval(r->s, chunk, "=console", out);
	if (rc == 1) {
		if (r->more.len == 0)
			sb_add(&r->more, chunk);
		return REPL_MORE;
	}
	sb_reset(&r->more);
	return rc == 0 ? REPL_OK : REPL_ERROR;
}

static void
show_time(struct repl *r, struct strbuf *out)
{
	struct network *net = script_network(r->s);

	if (net == NULL) {
		sb_add(out, "% no network loaded\n");
		return;
	}
	sb_printf(out, "t=%s%s\n", sim_time_str(net->sim.now),
	    net->converged ? " (converged)" : "");
}

static void
devices(struct repl *r, struct strbuf *out)
{
	struct network *net = script_network(r->s);

	if (net == NULL) {
		sb_add(out, "% no network loaded\n");
		return;
	}
	for (size_t i = 0; i < net->nnodes; i++) {
		struct node *n = net->nodes[i];

		sb_printf(out, "%-16s %-7s %s\n", n->name, node_type_name(n->type),
		    n->up ? "up" : "down (crashed)");
	}
}

/* Console commands: true when line was one. */
static bool
console_cmd(struct repl *r, int argc, char **argv, struct strbuf *out, enum repl_status *st)
{
	struct network *net = script_network(r->s);
	const char *w = argv[0];

	*st = REPL_OK;
	if (strcmp(w, "exit") == 0 || strcmp(w, "quit") == 0 || strcmp(w, "end") == 0 ||
	    strcmp(w, "disconnect") == 0) {
		if (r->device[0])
			r->device[0] = '\0';
		else if (strcmp(w, "end") != 0 && strcmp(w, "disconnect") != 0)
			*st = REPL_EXIT;
		return true;
	}
	if (strcmp(w, "connect") == 0) {
		if (argc != 2) {
			sb_add(out, "% usage: connect DEVICE\n");
			*st = REPL_ERROR;
		} else if (find_node(r, argv[1]) == NULL) {
			sb_printf(out, "%% no device '%s'\n", argv[1]);
			*st = REPL_ERROR;
		} else {
			snprintf(r->device, sizeof(r->device), "%s", argv[1]);
		}
		return true;
	}
	if (strcmp(w, "step") == 0 && argc == 1) {
		if (net == NULL || !sim_step(&net->sim, SIM_NEVER))
			sb_add(out, "% nothing to do: no pending event\n");
		script_take_output(r->s, out);
		show_time(r, out);
		return true;
	}
	if (strcmp(w, "run") == 0 && argc <= 2) {
		if (net == NULL) {
			sb_add(out, "% no network loaded\n");
			*st = REPL_ERROR;
			return true;
		}
		if (argc == 2) {
			sim_time d = sim_time_parse(argv[1]);

			if (d < 0) {
				sb_printf(out, "%% bad duration '%s' (5s, 500ms)\n", argv[1]);
				*st = REPL_ERROR;
				return true;
			}
			script_advance(r->s, net->sim.now + d);
		} else {
			struct lx_net *ln = r->s->cur;

			runner_advance(ln->run, SIM_NEVER, net->sim.now + 3600 * SIM_S);
		}
		script_take_output(r->s, out);
		show_time(r, out);
		return true;
	}
	if (strcmp(w, "time") == 0 && argc == 1) {
		show_time(r, out);
		return true;
	}
	if (strcmp(w, "devices") == 0 && argc == 1) {
		devices(r, out);
		return true;
	}
	if (strcmp(w, "open") == 0 && argc == 2) {
		struct strbuf err = STRBUF_INIT;
		char *old = net ? xstrdup(net->name) : NULL;

		r->device[0] = '\0';
		if (script_open(r->s, argv[1], &err) == NULL) {
			sb_add(out, sb_str(&err));
			*st = REPL_ERROR;
		} else {
			script_take_output(r->s, out);
			sb_printf(out, "loaded %s: %zu devices, %zu links\n", script_network(r->s)->name,
			    script_network(r->s)->nnodes, script_network(r->s)->nlinks);
			/* A daemon has one network: every client now sees the new one. */
			if (r->daemon && old != NULL)
				sb_printf(out, "replaced the network %s for all clients of this daemon\n",
				    old);
		}
		free(old);
		sb_free(&err);
		return true;
	}
	if (strcmp(w, "help") == 0 && (argc == 1 || r->device[0] == '\0')) {
		if (r->device[0] != '\0')
			return false; /* the device's own help */
		if (argc > 1) {
			size_t at = out->len;
			struct strbuf filter = STRBUF_INIT;

			for (int i = 1; i < argc; i++)
				sb_printf(&filter, "%s%s", i > 1 ? " " : "", argv[i]);
			net_help(r, sb_str(&filter), out);
			if (out->len == at) {
				sb_printf(out, "%% no network command '%s' (help lists them; DEVICE help "
				    "%s for a device's)\n", sb_str(&filter), sb_str(&filter));
				*st = REPL_ERROR;
			}
			sb_free(&filter);
			return true;
		}
		sb_add(out, console_help);
		sb_add(out, r->daemon ? daemon_exit : console_exit);
		sb_add(out, "Network commands (from any prompt):\n");
		net_help(r, NULL, out);
		return true;
	}
	return false;
}

/* A network-scope command (converge, link, chaos, load, events...). */
static enum repl_status
net_cmd(struct repl *r, const char *line, struct strbuf *out)
{
	return device_cmd(r, NULL, line, out);
}

/*
 * At a device prompt a line is device CLI unless it has Lua punctuation:
 * device command arguments never contain '(' or '=' (network commands such
 * as `chaos flap r1--r2 period=2s` are matched before this). So
 * `show ip route` is CLI, `x = r1:route("10.0.3.0/24")` and `print(now())`
 * are Lua; `lua CHUNK` forces Lua.
 */
static bool
is_lua(const char *line)
{
	return strpbrk(line, "(=") != NULL;
}

static const char *
skip_name(const char *p)
{
	if (!(isalpha((unsigned char)*p) || *p == '_'))
		return NULL;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	return p;
}

/* A Lua variable: NAME, then .NAME or [...] any number of times; the end of it, or NULL. */
static const char *
skip_var(const char *p)
{
	if ((p = skip_name(p)) == NULL)
		return NULL;
	for (;;) {
		if (*p == '.') {
			if ((p = skip_name(p + 1)) == NULL)
				return NULL;
		} else if (*p == '[') {
			int depth = 0;

			do {
				if (*p == '[')
					depth++;
				else if (*p == ']')
					depth--;
				else if (*p == '\0')
					return NULL;
				p++;
			} while (depth > 0);
		} else {
			return p;
		}
	}
}

bool
repl_is_lua_statement(const char *line)
{
	static const char *const keywords[] = {"local", "function", "for", "if", "while",
		"repeat", "return", "do", "goto", NULL};
	const char *p = line + strspn(line, " \t");
	size_t n = strcspn(p, " \t(");

	for (int i = 0; keywords[i]; i++)
		if (strlen(keywords[i]) == n && strncmp(p, keywords[i], n) == 0)
			return true;
	/* var {, var} = ...: the '=' alone, not '=='. */
	for (;;) {
		if ((p = skip_var(p)) == NULL)
			return false;
		p += strspn(p, " \t");
		if (*p == '=')
			return p[1] != '=';
		if (*p != ',')
			return false;
		p++;
		p += strspn(p, " \t");
	}
}

/*
 * A line that is not Lua but is a device's command (abbreviations too: `sh ip
 * ro`), typed at the network prompt: the first device that has it, to show
 * the user how to run it there; NULL if no device has it.
 */
static struct node *
device_with_command(struct repl *r, const char *line)
{
	struct network *net = script_network(r->s);

	for (size_t i = 0; net != NULL && i < net->nnodes; i++)
		if (cli_has_command(net->nodes[i], line))
			return net->nodes[i];
	return NULL;
}

enum repl_status
repl_input(struct repl *r, const char *line, struct strbuf *out)
{
	char **argv;
	int argc;
	enum repl_status st = REPL_OK;
	struct node *n;

	if (r->more.len > 0)
		return lua(r, line, out);
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '\0')
		return REPL_OK;
	/* A Lua statement wins over a command it would abbreviate (`co = 1` is not converge). */
	if (*line == '=' || strncmp(line, "lua ", 4) == 0 || repl_is_lua_statement(line)) {
		st = lua(r, strncmp(line, "lua ", 4) == 0 ? line + 4 : line, out);
		script_take_output(r->s, out);
		return st;
	}
	argc = cli_split(line, &argv);
	if (argc > 0 && console_cmd(r, argc, argv, out, &st)) {
		cli_free_words(argc, argv);
		return st;
	}
	if (r->device[0]) {
		n = find_node(r, r->device);
		cli_free_words(argc, argv);
		if (n == NULL) {
			sb_printf(out, "%% device %s is gone (another topology was loaded)\n", r->device);
			r->device[0] = '\0';
			return REPL_ERROR;
		}
		if (is_lua(line)) {
			st = lua(r, line, out);
			script_take_output(r->s, out);
			return st;
		}
		/* The device's own commands first (its `help`), then the network's. */
		if (!cli_has_command(n, line) && cli_has_command(NULL, line))
			return net_cmd(r, line, out);
		return device_cmd(r, n, line, out);
	}
	if (argc > 0 && script_network(r->s) != NULL && cli_has_command(NULL, line)) {
		cli_free_words(argc, argv);
		return net_cmd(r, line, out);
	}
	if (argc > 0 && (n = find_node(r, argv[0])) != NULL) {
		const char *rest = line + strlen(argv[0]);

		/* "r1" alone is "connect r1"; a Lua expression (r1:cmd(...), r1.name) stays Lua. */
		if (strncmp(line, argv[0], strlen(argv[0])) == 0 && (*rest == ' ' || *rest == '\0')) {
			while (*rest == ' ')
				rest++;
			cli_free_words(argc, argv);
			if (*rest == '\0') {
				snprintf(r->device, sizeof(r->device), "%s", n->name);
				return REPL_OK;
			}
			if (*rest != '=')
				return device_cmd(r, n, rest, out);
			return lua(r, line, out);
		}
	}
	{
		/* Lua first (it may define a `show`); a device command's Lua error is noise. */
		struct strbuf lout = STRBUF_INIT;

		st = lua(r, line, &lout);
		if (st == REPL_ERROR && (n = device_with_command(r, line)) != NULL)
			sb_printf(out, "%% '%s' is a device command, and this is the network "
			    "prompt: run it on a device with `%s %s`, or `connect %s` first, or in "
			    "Lua: %s:cmd(\"%s\")\n", line, n->name, line, n->name, n->name, line);
		else
			sb_add(out, sb_str(&lout));
		sb_free(&lout);
	}
	cli_free_words(argc, argv);
	script_take_output(r->s, out);
	return st;
}

static void
add(char ***v, size_t *n, size_t *cap, const char *w)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], w) == 0)
			return;
	VEC_PUSH(*v, *n, *cap, xstrdup(w));
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

bool
repl_completion_no_space(char *const *matches)
{
	size_t n;

	if (matches == NULL || matches[0] == NULL || matches[1] != NULL)
		return false;
	n = strlen(matches[0]);
	return n > 0 && matches[0][n - 1] == ':';
}

bool
repl_is_net_command(const char *line)
{
	size_t n;

	line += strspn(line, " \t");
	n = strcspn(line, " \t");
	if (n == 0 || repl_is_lua_statement(line))
		return false;
	for (const struct cli_cmd *c = cmds_net; c->path != NULL; c++)
		if (strncmp(c->path, line, n) == 0 && (c->path[n] == ' ' || c->path[n] == '\0'))
			return true;
	return false;
}

/* Lua's completion of PREFIX.word, as bare words (chaos.link_down -> link_down). */
static void
complete_fields(struct script *s, const char *prefix, const char *word, char ***out, size_t *n,
    size_t *cap)
{
	char *expr = xasprintf("%s.%s", prefix, word);
	char **c = script_complete(s, expr);
	size_t skip = strlen(prefix) + 1;

	for (size_t i = 0; c[i]; i++)
		if (strlen(c[i]) > skip)
			add(out, n, cap, c[i] + skip);
	repl_free_list(c);
	free(expr);
}

char **
repl_complete_net(struct script *s, const char *line)
{
	struct network *net = script_network(s);
	size_t ws = strlen(line), n = 0, cap = 0;
	char **out = NULL, **c, **argv;
	int argc;

	while (ws > 0 && line[ws - 1] != ' ' && line[ws - 1] != '\t')
		ws--;
	c = net ? cli_complete(net, NULL, line) : NULL;
	for (size_t i = 0; c && c[i]; i++)
		add(&out, &n, &cap, c[i]);
	repl_free_list(c);
	{
		char *head = xstrndup(line, ws);

		argc = cli_split(head, &argv);
		free(head);
	}
	/* The actions are Lua functions (lua/netsim/chaos.lua): the module lists them. */
	if (argc == 1 && strcmp(argv[0], "chaos") == 0) {
		complete_fields(s, "chaos", line + ws, &out, &n, &cap);
		if (str_prefix("list", line + ws))
			add(&out, &n, &cap, "list");
	}
	cli_free_words(argc, argv);
	if (n > 1)
		qsort(out, n, sizeof(*out), cmp);
	VEC_PUSH(out, n, cap, NULL);
	return out;
}

/* Is the end of line inside a Lua string literal ("r1:eth0" being typed)? */
static bool
in_string(const char *line)
{
	char q = 0;

	for (const char *p = line; *p; p++) {
		if (q && *p == '\\' && p[1] != '\0')
			p++;
		else if (q && *p == q)
			q = 0;
		else if (!q && (*p == '"' || *p == '\''))
			q = *p;
		else if (!q && *p == '-' && p[1] == '-')
			return false; /* a comment */
	}
	return q != 0;
}

char **
repl_complete(struct repl *r, const char *line, size_t *start)
{
	size_t len = strlen(line), ws = len;
	char **out = NULL, **c;
	size_t n = 0, cap = 0;
	const char *word;
	struct network *net = script_network(r->s);
	char **argv;
	int argc;
	bool first;

	while (ws > 0 && strchr(REPL_WORD_BREAKS, line[ws - 1]) == NULL)
		ws--;
	*start = ws;
	word = line + ws;
	/* Words before the one being completed. */
	{
		char *head = xstrndup(line, ws);

		argc = cli_split(head, &argv);
		free(head);
	}
	first = argc == 0;
	if (in_string(line) && (r->more.len > 0 || *line == '=' || strncmp(line, "lua ", 4) == 0 ||
	    !repl_is_net_command(line))) {
		/* In a Lua string: an endpoint (chaos.link_down("r1:<Tab>") or a device. */
		c = cli_complete_endpoint(net, word);
		for (size_t i = 0; c[i]; i++)
			add(&out, &n, &cap, c[i]);
		repl_free_list(c);
		for (size_t i = 0; net && !strchr(word, ':') && i < net->nnodes; i++)
			if (str_prefix(net->nodes[i]->name, word))
				add(&out, &n, &cap, net->nodes[i]->name);
	} else if (r->more.len > 0 || *line == '=' || strncmp(line, "lua ", 4) == 0) {
		c = script_complete(r->s, word);
		for (size_t i = 0; c[i]; i++)
			add(&out, &n, &cap, c[i]);
		repl_free_list(c);
	} else if (argc > 0 && repl_is_net_command(line)) {
		/* A network-scope command (link down r1:<Tab>, chaos <Tab>), from any prompt. */
		while (ws > 0 && line[ws - 1] != ' ' && line[ws - 1] != '\t')
			ws--;
		*start = ws;
		c = repl_complete_net(r->s, line);
		for (size_t i = 0; c[i]; i++)
			add(&out, &n, &cap, c[i]);
		repl_free_list(c);
	} else if (r->device[0] || (argc > 0 && find_node(r, argv[0]))) {
		/* Device CLI: the dispatcher's completion of the command so far. */
		struct node *node = find_node(r, r->device[0] ? r->device : argv[0]);
		const char *cmdline = line;

		if (!r->device[0]) {
			cmdline = line + strlen(argv[0]);
			while (*cmdline == ' ')
				cmdline++;
		}
		if (node != NULL) {
			c = cli_complete(net, node, cmdline);
			for (size_t i = 0; c[i]; i++)
				if (str_prefix(c[i], word))
					add(&out, &n, &cap, c[i]);
			repl_free_list(c);
		}
		if (r->device[0] && first)
			for (int i = 0; console_cmds[i]; i++)
				if (str_prefix(console_cmds[i], word))
					add(&out, &n, &cap, console_cmds[i]);
	} else if (argc == 1 && strcmp(argv[0], "connect") == 0) {
		for (size_t i = 0; net && i < net->nnodes; i++)
			if (str_prefix(net->nodes[i]->name, word))
				add(&out, &n, &cap, net->nodes[i]->name);
	} else {
		if (first) {
			for (int i = 0; console_cmds[i]; i++)
				if (str_prefix(console_cmds[i], word))
					add(&out, &n, &cap, console_cmds[i]);
			for (size_t i = 0; net && i < net->nnodes; i++)
				if (str_prefix(net->nodes[i]->name, word))
					add(&out, &n, &cap, net->nodes[i]->name);
		}
		c = script_complete(r->s, word);
		for (size_t i = 0; c[i]; i++)
			add(&out, &n, &cap, c[i]);
		repl_free_list(c);
	}
	cli_free_words(argc, argv);
	if (n > 1)
		qsort(out, n, sizeof(*out), cmp);
	VEC_PUSH(out, n, cap, NULL);
	return out;
}

int
repl_run_chunk(struct script *s, const char *chunk, const char *name, struct strbuf *out)
{
	int rc = script_eval(s, chunk, name, out);

	if (rc == 1) {
		/* Incomplete: a whole file or one command line has nothing more to come. */
		sb_add(out, "% incomplete Lua chunk (unfinished statement or string)\n");
		rc = -1;
	}
	script_take_output(s, out);
	if (script_network(s) != NULL)
		cmd_net_settle(script_network(s));
	return rc;
}

static int
host_lua(void *arg, struct cli_ctx *c, const char *chunk, const char *name)
{
	return repl_run_chunk(arg, chunk, name, &c->out) == 0 ? 0 : (c->status = 1);
}

static char *
host_path(void *arg, const char *given, struct strbuf *err)
{
	return script_path(arg, given, err);
}

void
repl_host_install(struct script *s)
{
	struct cli_host h = {.arg = s, .lua = host_lua, .path = host_path};

	cmd_net_host(s ? &h : NULL);
}

char *
repl_history_path(void)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	struct passwd *pw;

	if (xdg != NULL && *xdg == '/') {
		char *dir = xasprintf("%s/netsim", xdg), *path;

		/* mkdir -p: XDG_STATE_HOME itself may not exist yet. */
		for (char *p = dir + 1; *p; p++)
			if (*p == '/') {
				*p = '\0';
				mkdir(dir, 0700);
				*p = '/';
			}
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			free(dir);
			return NULL;
		}
		path = xasprintf("%s/history", dir);
		free(dir);
		return path;
	}
	if ((home == NULL || *home == '\0') && (pw = getpwuid(getuid())) != NULL)
		home = pw->pw_dir;
	return home != NULL && *home != '\0' ? xasprintf("%s/.netsim_history", home) : NULL;
}
