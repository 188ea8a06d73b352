/*
 * live.c: the live simulation behind a daemon (see live.h).
 *
 * The network and its Lua state come from the script layer in live mode
 * (script.h): script_load() builds a .yaml or .lua topology and starts it at
 * time 0, script_advance()/script_converge() move time with Lua timers and
 * hooks running, script_eval() runs console Lua. Device commands go through
 * the one CLI dispatcher, like everywhere else.
 *
 * Console input (attach sessions, and exec lines that are not a plain device
 * command) goes to the REPL core of the script layer (script/repl.h), the
 * same one `netsim console` drives: device CLI (`r1 show ip route`,
 * `connect r1`), Lua (`= expr`, statements, multi-line chunks), and its
 * console commands (run, step, converge, time, devices, help). Before it, a
 * line whose first word is one of the network-scope commands of
 * cli/cmd_net.c (link, pause, resume, events, load, chaos, converge with its
 * options) runs through the CLI dispatcher at network scope, from any
 * device: those are the daemon's, and `load` there runs a Lua file inside
 * the running simulation where the REPL's would replace the topology.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cli/cli.h"
#include "../cli/cmd_net.h"
#include "../lib/util.h"
#include "../proto/proto.h"
#include "../script/repl.h"
#include "../script/script.h"
#include "live.h"

struct live {
	struct script *s;
};

struct live_session {
	struct live *l;
	struct repl *r;
	char device[72];     /* the REPL's device, as its prompt says; "-" at the top */
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
	/* A client's `open FILE` reads what the daemon can: only beside its topology. */
	script_confine_open(l->s, o->topology);
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
    struct strbuf *err, struct live_why *why)
{
	struct network *net = live_net(l);
	struct cli_ctx c;
	bool ok;
	struct node *n = find_device(l, device, &ok);
	int st;

	if (!ok) {
		sb_printf(err, "%% no such device: '%s'\n", device);
		return LIVE_NODEV;
	}
	if (net == NULL) {
		sb_add(err, "% no network is loaded\n");
		why->code = "no-network";
		return 1;
	}
	cli_ctx_init(&c, net, n);
	c.json_if_any = json;
	st = cli_exec(&c, line);
	why->json = c.json;
	sb_addn(out, c.out.s ? c.out.s : "", c.out.len);
	sb_addn(err, c.err.s ? c.err.s : "", c.err.len);
	if (st != 0) {
		why->code = c.code ? c.code : "command-failed";
		snprintf(why->reason, sizeof(why->reason), "%s", c.reason);
	}
	cli_ctx_free(&c);
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
	return repl_run_chunk(l->s, chunk, name, out);
}

char *
live_path(struct live *l, const char *given, struct strbuf *err)
{
	return script_path(l->s, given, err);
}

/* ---- console lines ------------------------------------------------------------------ */

static enum repl_status
repl_line(struct live *l, struct repl *r, const char *line, struct strbuf *out)
{
	enum repl_status st = repl_input(r, line, out);
	struct network *net = live_net(l);

	if (net != NULL)
		cmd_net_settle(net);
	script_take_output(l->s, out);
	return st;
}

int
live_exec(struct live *l, const char *device, const char *line, bool json, struct strbuf *out,
    struct strbuf *err, struct live_why *why)
{
	bool ok;
	const char *p = line + strspn(line, " \t");
	struct repl *r;
	enum repl_status st;
	struct live_why scratch;
	size_t from;

	if (why == NULL)
		why = &scratch;
	why->code = NULL;
	why->reason[0] = '\0';
	why->json = false;

	find_device(l, device, &ok);
	if (!ok) {
		sb_printf(err, "%% no such device: '%s'\n", device);
		return LIVE_NODEV;
	}
	/*
	 * A device command goes straight to the dispatcher (it has a JSON form
	 * and its errors apart); so do the network-scope commands. Lua
	 * (`= expr`, `lua STMT`) and, at network scope, everything else (run,
	 * step, time, devices, `r2 show ...`, Lua statements) go to a fresh REPL:
	 * one exec line is one console line, with no state kept between them.
	 */
	if (repl_is_net_command(p) || (device != NULL && strcmp(device, "-") != 0 && *p != '=' &&
	    strncmp(p, "lua ", 4) != 0))
		return cli_run(l, repl_is_net_command(p) ? "-" : device, p, json, out, err, why);
	/* Console lines have no JSON form: their text, in the envelope when JSON was asked for. */
	from = out->len;
	r = repl_new(l->s);
	repl_set_daemon(r, true);
	st = repl_line(l, r, p, out);
	if (st == REPL_MORE) {
		sb_add(err, "% incomplete Lua chunk (an exec line must be complete)\n");
		st = REPL_ERROR;
	}
	repl_free(r);
	if (st == REPL_ERROR) {
		/* The REPL printed why (a Lua error's first line): that is the reason. */
		why->code = "console-error";
		snprintf(why->reason, sizeof(why->reason), "%.*s",
		    (int)strcspn(out->s ? out->s + from : "", "\n"), out->s ? out->s + from : "");
	}
	return st == REPL_ERROR ? 1 : 0;
}

/* The REPL's device, from its prompt ("r1> "; "netsim> " at the top). */
static void
track_device(struct live_session *ss)
{
	const char *p = repl_prompt(ss->r);
	size_t n = strlen(p);

	if (strcmp(p, ">> ") == 0)
		return; /* inside a Lua chunk: unchanged */
	if (strcmp(p, "netsim> ") == 0 || n < 2 || n - 2 >= sizeof(ss->device))
		snprintf(ss->device, sizeof(ss->device), "-");
	else
		snprintf(ss->device, sizeof(ss->device), "%.*s", (int)(n - 2), p);
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
	ss->r = repl_new(l->s);
	repl_set_daemon(ss->r, true);
	if (device != NULL && strcmp(device, "-") != 0) {
		struct strbuf out = STRBUF_INIT;
		char *line = xasprintf("connect %s", device);

		repl_input(ss->r, line, &out);
		free(line);
		sb_free(&out);
	}
	track_device(ss);
	return ss;
}

void
live_session_free(struct live_session *ss)
{
	if (ss == NULL)
		return;
	repl_free(ss->r);
	free(ss);
}

int
live_line(struct live_session *ss, const char *line, struct strbuf *out)
{
	const char *p = line + strspn(line, " \t");
	enum repl_status st;
	int rc = 0;

	if (strcmp(repl_prompt(ss->r), ">> ") != 0 && repl_is_net_command(p)) {
		struct strbuf err = STRBUF_INIT;
		struct live_why why;

		rc = cli_run(ss->l, "-", p, false, out, &err, &why) != 0;
		sb_add(out, sb_str(&err));
		sb_free(&err);
		return rc;
	}
	st = repl_line(ss->l, ss->r, line, out);
	track_device(ss);
	/* `exit` at the top: the client's business (netsim attach detaches on it). */
	return st == REPL_ERROR ? 1 : 0;
}

const char *
live_prompt(struct live_session *ss)
{
	return repl_prompt(ss->r);
}

const char *
live_device(struct live_session *ss)
{
	return ss->device;
}

static void
add_word(char ***v, size_t *n, size_t *cap, const char *w)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], w) == 0)
			return;
	VEC_PUSH(*v, *n, *cap, xstrdup(w));
}

char **
live_session_complete(struct live_session *ss, const char *line, size_t *start)
{
	const char *p = line + strspn(line, " \t");
	char **c, **v = NULL;
	size_t n = 0, cap = 0;
	bool first = strcspn(p, " \t") == strlen(p);

	if (strcmp(repl_prompt(ss->r), ">> ") != 0 && !first &&
	    (repl_is_net_command(p) || strncmp(p, "connect ", 8) == 0)) {
		/* Arguments of a network-scope command: the dispatcher knows them. */
		size_t ws = strlen(line);

		while (ws > 0 && line[ws - 1] != ' ' && line[ws - 1] != '\t')
			ws--;
		*start = ws;
		if (strncmp(p, "connect ", 8) == 0) {
			/* Device names, at any prompt (the REPL offers them at the top only). */
			struct network *net = live_net(ss->l);

			for (size_t i = 0; net != NULL && i < net->nnodes; i++)
				if (str_prefix(net->nodes[i]->name, line + ws))
					add_word(&v, &n, &cap, net->nodes[i]->name);
			VEC_PUSH(v, n, cap, NULL);
			return v;
		}
		return repl_complete_net(ss->l->s, line);
	}
	c = repl_complete(ss->r, line, start);
	for (size_t i = 0; c[i] != NULL; i++)
		add_word(&v, &n, &cap, c[i]);
	repl_free_list(c);
	if (first && strcmp(repl_prompt(ss->r), ">> ") != 0)
		for (const struct cli_cmd *cmd = cmds_net; cmd->path != NULL; cmd++) {
			char w[32];

			snprintf(w, sizeof(w), "%.*s", (int)strcspn(cmd->path, " "), cmd->path);
			if (str_prefix(w, line + *start))
				add_word(&v, &n, &cap, w);
		}
	VEC_PUSH(v, n, cap, NULL);
	return v;
}
