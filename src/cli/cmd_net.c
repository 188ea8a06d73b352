/*
 * cmd_net.c: network-scope commands: time, run, converge, link up/down,
 * pause/resume, events, load, chaos (see cmd_net.h).
 *
 * They run in global context like every command. Time only moves forward
 * here through the host's advance hook when it has one (so that Lua timers
 * and hooks run as they would under net:run()), else through the engine.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
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
	struct sim *s = &net->sim;

	s->ndue = 0;
	s->last_global = true;
	if (s->after_step != NULL)
		s->after_step(s, s->after_arg);
}

static int
not_here(struct cli_ctx *c, const char *what)
{
	return cli_fail(c, "%s is only available in a running daemon or console", what);
}

static int
cmd_time(struct cli_ctx *c, int argc, char **argv)
{
	struct network *net = c->net;

	if (argc != 0)
		return cli_fail(c, "usage: time");
	if (c->json) {
		json_obj_begin(&c->j);
		json_kv_double(&c->j, "simTimeMs", (double)net->sim.now / SIM_MS);
		json_kv_int(&c->j, "simTimeNs", net->sim.now);
		json_kv_bool(&c->j, "converged", net->converged);
		if (net->converge_count > 0)
			json_kv_double(&c->j, "convergedAtMs", (double)net->converged_at / SIM_MS);
		json_obj_end(&c->j);
		return 0;
	}
	cli_printf(c, "t=%s", sim_time_str(net->sim.now));
	if (net->converged)
		cli_printf(c, " (converged at t=%s)\n", sim_time_str(net->converged_at));
	else
		cli_printf(c, " (not converged)\n");
	return 0;
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

static void
advance(struct cli_ctx *c, sim_time until)
{
	cmd_net_settle(c->net);
	if (have_host && host.advance != NULL)
		host.advance(host.arg, until);
	else
		sim_run_until(&c->net->sim, until);
}

static int
cmd_run(struct cli_ctx *c, int argc, char **argv)
{
	sim_time d, start = c->net->sim.now;

	if (argc != 1)
		return cli_fail(c, "usage: run DURATION (e.g. run 5s)");
	if (!duration(c, argv[0], &d))
		return 1;
	if (d > 365 * 24 * 3600 * SIM_S)
		return cli_fail(c, "%s is too long", argv[0]);
	advance(c, start + d);
	cli_printf(c, "t=%s (ran %s)\n", sim_time_str(c->net->sim.now), sim_time_str(d));
	return 0;
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
		return cli_fail(c, "not converged after %s (t=%s)", sim_time_str(s->now - start),
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
			cli_printf(c, "already converged (since t=%s)\n", sim_time_str(net->converged_at));
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
	cli_printf(c, "link %s %s at t=%s\n", l->name, up ? "up" : "down", sim_time_str(c->net->sim.now));
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
cmd_pause(struct cli_ctx *c, int argc, char **argv)
{
	return pause_resume(c, argc, true);
}

static int
cmd_resume(struct cli_ctx *c, int argc, char **argv)
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
	struct strbuf chunk = STRBUF_INIT;
	char buf[65536], *name;
	size_t n;
	FILE *f;
	int rc;

	if (argc != 1)
		return cli_fail(c, "usage: load FILE.lua");
	if (!have_host || host.lua == NULL)
		return not_here(c, "load");
	if ((f = fopen(argv[0], "r")) == NULL)
		return cli_fail(c, "%s: %s", argv[0], strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && chunk.len <= LOAD_MAX)
		sb_addn(&chunk, buf, n);
	fclose(f);
	if (chunk.len > LOAD_MAX) {
		sb_free(&chunk);
		return cli_fail(c, "%s: larger than %u bytes", argv[0], LOAD_MAX);
	}
	name = xasprintf("@%s", argv[0]);
	rc = host.lua(host.arg, c, sb_str(&chunk), name);
	free(name);
	sb_free(&chunk);
	cmd_net_settle(c->net);
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

/*
 * `chaos ACTION ARGS...`: the actions are Lua functions of lua/netsim/chaos.lua;
 * this calls chaos.ACTION(ARGS...) with each word as a literal, so a new
 * action written in Lua is a command at once, with nothing to add here.
 */
static int
cmd_chaos(struct cli_ctx *c, int argc, char **argv)
{
	struct strbuf chunk = STRBUF_INIT;
	int rc;

	if (argc < 1)
		return cli_fail(c, "usage: chaos ACTION [ARGS...] (`chaos list` shows the actions)");
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
				  "local r = f(",
		    argv[0], argv[0]);
		for (int i = 1; i < argc; i++) {
			if (i > 1)
				sb_add(&chunk, ", ");
			lua_literal(&chunk, argv[i]);
		}
		sb_add(&chunk, ")\nif r ~= nil then print(tostring(r)) end\n");
	}
	rc = host.lua(host.arg, c, sb_str(&chunk), "=chaos");
	sb_free(&chunk);
	cmd_net_settle(c->net);
	return rc;
}

const struct cli_cmd cmds_net[] = {
	{"time", "", "simulated time and convergence state", cmd_time, CLI_NET | CLI_JSON},
	{"run", "DURATION", "advance simulated time by DURATION (500ms, 5s, 2m)", cmd_run, CLI_NET},
	{"converge", "[--timeout T]", "fast-forward until the network has converged", cmd_converge,
	    CLI_NET | CLI_JSON},
	{"link down", "A:IF [B:IF]", "take a link down (by its endpoints)", cmd_link_down, CLI_NET},
	{"link up", "A:IF [B:IF]", "bring a link back up", cmd_link_up, CLI_NET},
	{"pause", "", "stop the real-time clock (commands still run)", cmd_pause, CLI_NET},
	{"resume", "", "restart the real-time clock", cmd_resume, CLI_NET},
	{"events", "[--all] [--last N] [--follow]", "the timeline (--all: route changes too)",
	    cmd_events, CLI_NET | CLI_JSON},
	{"load", "FILE.lua", "run a Lua file inside the running simulation", cmd_load, CLI_NET},
	{"chaos", "ACTION [ARGS...]", "a chaos action of lua/netsim/chaos.lua (chaos list)",
	    cmd_chaos, CLI_NET},
	{NULL},
};
