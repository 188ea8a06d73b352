/*
 * cmd_net.c: network-scope commands: converge, link up/down, pause/resume,
 * events, load, chaos, verify (cmd_verify.c), tables (cmd_tables.c) (see
 * cmd_net.h). run, step and time are the console's (script/repl.c): the
 * daemon serves those through the REPL core.
 *
 * They run in global context like every command.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "../net/converge.h"
#include "cmd_net.h"

#define LOAD_MAX (16u << 20)

static struct cli_host host;
static bool have_host;

void
cmd_net_host(const struct cli_host *h)
{
	have_host = h != NULL;
	if (h != NULL)
		host = *h;
	else
		memset(&host, 0, sizeof(host));
}

/*
 * A command changed state in global context, between engine steps: do what
 * the engine does after a global batch (deliver queued events, ask every
 * node the convergence question) so that what the command did counts.
 */
void
cmd_net_settle(struct network *net)
{
	ev_flush(net);
	converge_check(net);
}

char *
cmd_net_path(const char *given, struct strbuf *err)
{
	if (!have_host || host.lua == NULL) {
		sb_add(err, "files are read only in a running daemon or console");
		return NULL;
	}
	return host.path != NULL ? host.path(host.arg, given, err) : xstrdup(given);
}

static int
not_here(struct cli_ctx *c, const char *what)
{
	return cli_fail(c, "%s is only available in a running daemon or console", what);
}

static bool
duration(struct cli_ctx *c, const char *s, sim_time *out)
{
	sim_time t = sim_time_parse(s);

	if (t < 0) {
		cli_fail(c, "bad duration '%s' (e.g. 500ms, 5s, 2m)", s);
		return false;
	}
	*out = t;
	return true;
}

static int
cmd_converge(struct cli_ctx *c, int argc, char **argv)
{
	struct network *net = c->net;
	struct sim *s = &net->sim;
	sim_time limit = 600 * SIM_S, start = s->now, end;
	unsigned count;
	bool was;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
			if (!duration(c, argv[++i], &limit))
				return 1;
		} else {
			return cli_fail(c, "usage: converge [--timeout T]");
		}
	}
	cmd_net_settle(net);
	was = net->converged;
	count = net->converge_count;
	end = limit > SIM_NEVER - start ? SIM_NEVER : start + limit;
	/*
	 * Step rather than advance: convergence is noticed after the step that
	 * made the network quiet, and time stops there. Global events (Lua
	 * timers, script entries) run as usual meanwhile.
	 */
	while (!net->converged && sim_step(s, end))
		;
	if (!net->converged) {
		if (c->json) {
			json_obj_begin(&c->j);
			json_kv_bool(&c->j, "converged", false);
			json_kv_double(&c->j, "simTimeMs", (double)s->now / SIM_MS);
			json_obj_end(&c->j);
		}
		return cli_fail_code(c, "timeout", "not converged after %s (t=%s)", sim_time_str(s->now - start),
		    sim_time_str(s->now));
	}
	{
		sim_time took = was && count == net->converge_count ? 0 :
		    MAX(net->converged_at - start, 0);

		if (c->json) {
			json_obj_begin(&c->j);
			json_kv_bool(&c->j, "converged", true);
			json_kv_bool(&c->j, "already", took == 0 && was);
			json_kv_double(&c->j, "tookMs", (double)took / SIM_MS);
			json_kv_double(&c->j, "convergedAtMs", (double)net->converged_at / SIM_MS);
			json_kv_double(&c->j, "simTimeMs", (double)s->now / SIM_MS);
			json_obj_end(&c->j);
		} else if (took == 0 && was) {
			cli_printf(c, "already converged (since t=%s)\n",
			    sim_time_str(net->converged_at));
		} else {
			cli_printf(c, "converged in %s (at t=%s)\n", sim_time_str(took),
			    sim_time_str(net->converged_at));
		}
	}
	return 0;
}

static struct iface *
endpoint(struct cli_ctx *c, const char *s)
{
	const char *colon = strchr(s, ':');
	struct node *n;
	struct iface *ifp;
	char *name;

	if (colon == NULL) {
		cli_fail(c, "'%s': an endpoint is DEVICE:INTERFACE", s);
		return NULL;
	}
	name = xstrndup(s, (size_t)(colon - s));
	n = net_node(c->net, name);
	free(name);
	if (n == NULL) {
		cli_fail(c, "'%s': no such device", s);
		return NULL;
	}
	if ((ifp = node_iface(n, colon + 1)) == NULL) {
		cli_fail(c, "'%s': %s has no interface %s", s, n->name, colon + 1);
		return NULL;
	}
	return ifp;
}

static int
link_updown(struct cli_ctx *c, int argc, char **argv, bool up)
{
	struct iface *a, *b = NULL;
	struct link *l;

	if (argc < 1 || argc > 2)
		return cli_fail(c, "usage: link %s A:IF [B:IF]", up ? "up" : "down");
	if ((a = endpoint(c, argv[0])) == NULL || (argc == 2 && (b = endpoint(c, argv[1])) == NULL))
		return 1;
	if (a->parent != NULL)
		a = a->parent;
	if (b != NULL && b->parent != NULL)
		b = b->parent;
	l = b ? net_find_link(c->net, a, b) : a->link;
	if (l == NULL)
		return cli_fail(c, b ? "no link between %s and %s" : "%s is not connected", argv[0],
		    argc == 2 ? argv[1] : "");
	if (l->up == up) {
		cli_printf(c, "link %s is already %s\n", l->name, up ? "up" : "down");
		return 0;
	}
	link_set_up(l, up);
	cmd_net_settle(c->net);
	cli_printf(c, "link %s %s at t=%s\n", l->name, up ? "up" : "down",
	    sim_time_str(c->net->sim.now));
	return 0;
}

static int
cmd_link_down(struct cli_ctx *c, int argc, char **argv)
{
	return link_updown(c, argc, argv, false);
}

static int
cmd_link_up(struct cli_ctx *c, int argc, char **argv)
{
	return link_updown(c, argc, argv, true);
}

static int
pause_resume(struct cli_ctx *c, int argc, bool pause)
{
	if (argc != 0)
		return cli_fail(c, "usage: %s", pause ? "pause" : "resume");
	if (!have_host || host.pause == NULL)
		return not_here(c, pause ? "pause" : "resume");
	return host.pause(host.arg, c, pause);
}

static int
cmd_pause(struct cli_ctx *c, int argc, char **argv UNUSED)
{
	return pause_resume(c, argc, true);
}

static int
cmd_resume(struct cli_ctx *c, int argc, char **argv UNUSED)
{
	return pause_resume(c, argc, false);
}

static int
cmd_events(struct cli_ctx *c, int argc, char **argv)
{
	if (!have_host || host.events == NULL)
		return not_here(c, "events");
	return host.events(host.arg, c, argc, argv);
}

static int
cmd_load(struct cli_ctx *c, int argc, char **argv)
{
	struct strbuf chunk = STRBUF_INIT, why = STRBUF_INIT;
	char buf[65536], *name, *path;
	size_t n;
	FILE *f;
	int rc;

	if (argc != 1)
		return cli_fail(c, "usage: load FILE.lua");
	if (!have_host || host.lua == NULL)
		return not_here(c, "load");
	path = host.path != NULL ? host.path(host.arg, argv[0], &why) : xstrdup(argv[0]);
	if (path == NULL) {
		rc = cli_fail(c, "load: %s", sb_str(&why));
		sb_free(&why);
		return rc;
	}
	f = fopen(path, "r");
	free(path);
	if (f == NULL)
		return cli_fail(c, "%s: %s", argv[0], strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && chunk.len <= LOAD_MAX)
		sb_addn(&chunk, buf, n);
	fclose(f);
	if (chunk.len > LOAD_MAX) {
		sb_free(&chunk);
		return cli_fail(c, "%s: larger than %u bytes", argv[0], LOAD_MAX);
	}
	name = xasprintf("@%s", argv[0]);
	/*
	 * The host settles whatever network is current afterwards: the file may
	 * have replaced this one (netsim.load), and c->net is not to be touched.
	 */
	rc = host.lua(host.arg, c, sb_str(&chunk), name);
	free(name);
	sb_free(&chunk);
	return rc;
}

/* A word as a Lua literal: numbers and booleans as they are, anything else quoted. */
static void
lua_literal(struct strbuf *b, const char *w)
{
	char *end;

	if (strcmp(w, "true") == 0 || strcmp(w, "false") == 0 || strcmp(w, "nil") == 0) {
		sb_add(b, w);
		return;
	}
	if (*w != '\0' && (strtod(w, &end), *end == '\0')) {
		sb_add(b, w);
		return;
	}
	sb_addc(b, '"');
	for (; *w; w++) {
		if (*w == '"' || *w == '\\')
			sb_addc(b, '\\');
		if ((unsigned char)*w < 0x20)
			sb_printf(b, "\\%03d", (unsigned char)*w);
		else
			sb_addc(b, *w);
	}
	sb_addc(b, '"');
}

/* A word of the form NAME=VALUE, NAME a Lua identifier. */
static bool
is_option(const char *w)
{
	size_t n = strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

	return n > 0 && w[n] == '=' && !(w[0] >= '0' && w[0] <= '9');
}

/* {a,b,c}: a list of literals. */
static void
lua_list(struct strbuf *b, const char *w)
{
	char *s = xstrndup(w + 1, strlen(w) - 2), *save = NULL, *tok;

	sb_addc(b, '{');
	for (tok = strtok_r(s, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		lua_literal(b, tok + strspn(tok, " "));
		sb_addc(b, ',');
	}
	sb_addc(b, '}');
	free(s);
}

/*
 * `chaos ACTION ARGS...`: the actions are the Lua functions of
 * lua/netsim/chaos.lua; this calls chaos.ACTION(ARGS...), so that an action
 * written in Lua is a command at once, with nothing to add here. Each word
 * is a literal (a number, true/false, else a string); {a,b} is a list;
 * NAME=VALUE words make one options table, passed last:
 *   chaos link_down r1:eth0 r2:eth0
 *   chaos flap r1--r2 period=200ms count=5
 *   chaos partition {r1,r2} {r3}
 */
static int
cmd_chaos(struct cli_ctx *c, int argc, char **argv)
{
	struct strbuf chunk = STRBUF_INIT;
	int rc, nargs = 0, nopts = 0;

	if (argc < 1)
		return cli_fail(c,
		    "usage: chaos ACTION [ARGS...] (`chaos list` shows the actions)");
	if (!have_host || host.lua == NULL)
		return not_here(c, "chaos");
	if (strspn(argv[0], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
	    strlen(argv[0]))
		return cli_fail(c, "bad chaos action '%s'", argv[0]);
	if (strcmp(argv[0], "list") == 0) {
		sb_add(&chunk, "local chaos = require('netsim.chaos')\n"
		    "local names = {}\n"
		    "for k, v in pairs(chaos) do\n"
		    "  if type(v) == 'function' and k:sub(1, 1) ~= '_' then\n"
		    "    names[#names + 1] = k\n"
		    "  end\n"
		    "end\n"
		    "table.sort(names)\n"
		    "print(table.concat(names, '\\n'))\n");
	} else {
		sb_printf(&chunk, "local chaos = require('netsim.chaos')\n"
				  "local f = chaos[\"%s\"]\n"
				  "if type(f) ~= 'function' then\n"
				  "  error(\"no chaos action '%s' (chaos list shows them)\", 0)\n"
				  "end\n"
				  "f(",
		    argv[0], argv[0]);
		for (int i = 1; i < argc; i++) {
			size_t n = strlen(argv[i]);

			if (is_option(argv[i]))
				continue;
			if (nargs++ > 0)
				sb_add(&chunk, ", ");
			if (n >= 2 && argv[i][0] == '{' && argv[i][n - 1] == '}')
				lua_list(&chunk, argv[i]);
			else
				lua_literal(&chunk, argv[i]);
		}
		for (int i = 1; i < argc; i++) {
			char *eq;

			if (!is_option(argv[i]))
				continue;
			eq = strchr(argv[i], '=');
			sb_add(&chunk, nopts++ ? ", " : nargs ? ", {" : "{");
			sb_addn(&chunk, argv[i], (size_t)(eq - argv[i]) + 1);
			lua_literal(&chunk, eq + 1);
		}
		/* The value an action returns (a handle, a cancel function) means nothing here. */
		sb_add(&chunk, nopts ? "})\n" : ")\n");
	}
	rc = host.lua(host.arg, c, sb_str(&chunk), "=chaos"); /* the host settles (see load) */
	sb_free(&chunk);
	return rc;
}

const struct cli_cmd cmds_net[] = {
	{"converge", "[--timeout T]", "fast-forward until the network has converged", cmd_converge,
	    CLI_NET | CLI_JSON},
	{"link down", "A:IF [B:IF]", "take a link down (by its endpoints)", cmd_link_down, CLI_NET},
	{"link up", "A:IF [B:IF]", "bring a link back up", cmd_link_up, CLI_NET},
	{"pause", "", "stop the real-time clock (commands still run)", cmd_pause,
	    CLI_NET | CLI_DAEMON},
	{"resume", "", "restart the real-time clock", cmd_resume, CLI_NET | CLI_DAEMON},
	{"events", "[--all] [--last N] [--follow]", "the timeline (--all: route changes too)",
	    cmd_events, CLI_NET | CLI_JSON},
	{"load", "FILE.lua", "run a Lua file inside the running simulation", cmd_load, CLI_NET},
	{"chaos", "ACTION [ARGS...]", "a chaos action of lua/netsim/chaos.lua (chaos list)",
	    cmd_chaos, CLI_NET},
	{"verify", "FILE.yaml | INTENTS", "check intents: reachability, paths, routes, no loops "
	    "or black holes (docs/verify.md)", cmd_net_verify, CLI_NET | CLI_JSON},
	{"tables", "", "every device's selected routes and adjacency states, normalized (JSON), "
	    "as netsim diff compares them", cmd_net_tables, CLI_NET | CLI_JSON},
	{NULL},
};
