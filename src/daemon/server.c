/*
 * server.c: the daemon process: one poll loop serving the real-time ticks and
 * any number of clients.
 *
 * Pacing: every tick interval of wall time (CLOCK_MONOTONIC) the simulation
 * advances by interval x speed of simulated time. The wall clock is read only
 * here, to decide when to tick: the engine sees nothing but "advance to T",
 * so a daemon's simulation is as deterministic as `netsim run` given the same
 * commands at the same simulated times. A tick that comes late (a long
 * command ran, or the simulation is slower than real time) is run once and
 * the missed ones are dropped rather than replayed in a burst; status counts
 * them as late ticks.
 *
 * Clients: sockets are non-blocking; each client has an input buffer (one
 * line at most WIRE_MAX_LINE) and an output buffer. Replies are written as
 * far as the socket takes them and the rest waits for POLLOUT: the loop never
 * blocks on a client. A client whose pending output passes OUT_SOFT is not
 * read until it drains (a pipelining client cannot make us queue unbounded
 * replies); one that lets OUT_HARD pile up (a stuck `events --follow`) is
 * dropped. Clients are freed only by the loop's sweep, never from inside a
 * command or an event callback that may still refer to them.
 *
 * Commands run to completion in the loop (a `converge` or `ping` advances
 * simulated time inside the command), so a status query waits at most for
 * the command in progress.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../cli/cli.h"
#include "../cli/cmd_net.h"
#include "../lib/hash.h"
#include "../lib/util.h"
#include "daemon.h"
#include "live.h"
#include "wire.h"

#define MAX_CLIENTS    1000
#define READ_CHUNK     65536
#define OUT_SOFT       (1u << 20)
#define OUT_HARD       (32u << 20)
#define MAX_OUTPUT     (8u << 20)  /* one command's output is cut here */
#define LINES_PER_TURN 32          /* requests of one client per loop turn: fairness */
#define HISTORY_MAX    10000       /* timeline entries kept for `events` */
#define NAME_CHARS     "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"

struct client {
	int fd;
	unsigned num;        /* for the log */
	long pid;            /* the peer's, from SO_PEERCRED */
	struct strbuf in;
	size_t in_off;       /* start of the input not yet parsed */
	bool skipping;       /* discarding an oversized line up to its newline */
	bool eof;
	struct strbuf out;
	size_t out_off;      /* bytes of out already written */
	bool closing;        /* close once out is written */
	bool dead;           /* close now */
	char *follow;        /* events --follow: the stream's id (JSON text), NULL if none */
	bool follow_all;     /* route changes too */
	struct live_session *sess;
};

struct hist {
	sim_time t;
	enum ev_kind kind;
	char *text;
};

struct server {
	const struct daemon_opts *o;
	struct live *live;
	struct network *net;
	int lfd, sigr, sigw;
	int homefd;          /* the directory the daemon started in */
	int sparefd;         /* a descriptor kept to be freed when out of them (accept) */
	struct client **cl;
	size_t ncl, clcap;
	unsigned next_num;
	bool quit;
	bool paused;
	uint64_t start_wall, next_tick, tick_ns;
	sim_time per_tick;
	uint64_t ticks, late_ticks, commands, dropped;
	struct hist *hist;   /* ring of HISTORY_MAX */
	size_t nhist, hfirst;
	uint64_t hlost;
	char *sockpath, *pidpath;
	struct strbuf scratch;
	int sub;             /* our event subscription on net */
	/* The network loaded now (a client's `open` replaces it for all): status and log. */
	char *net_name, *net_file;
	char *net_hash;      /* "sha256:..." of net_file's text when it was loaded, or NULL */
	int lockfd;          /* holds NAME's lock (rundir.c) */
	struct daemon_opts *forked; /* a fork's own options (its new name), else NULL */
	char *forked_from;   /* the daemon a fork was made from, for status */
};

static int sig_wfd = -1;

static void
on_signal(int sig)
{
	unsigned char b = (unsigned char)sig;
	int saved = errno;

	if (write(sig_wfd, &b, 1) < 0)
		(void)0;
	errno = saved;
}

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * The current network. Lua may replace it in any command (netsim.load), so
 * it is asked for each time; s->net is only the one we subscribed to.
 */
static struct network *
cur_net(const struct server *s)
{
	return s->live ? live_net(s->live) : NULL;
}

/* Simulated time now (0 while no network is loaded). */
static sim_time
now_of(const struct server *s)
{
	return cur_net(s) ? cur_net(s)->sim.now : 0;
}

static void vlog_at(sim_time, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static void slog(struct server *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void slog_at(sim_time, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The log (stdout is NAME.log): every line stamped with a simulated time. */
static void
vlog_at(sim_time t, const char *fmt, va_list ap)
{
	printf("[t=%s] ", sim_time_str(t));
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

static void
slog(struct server *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog_at(now_of(s), fmt, ap);
	va_end(ap);
}

/* A command is logged with the time it started at (it may advance time itself). */
static void
slog_at(sim_time t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog_at(t, fmt, ap);
	va_end(ap);
}

/* Timeline and Lua output the simulation produced, into the log. */
static void
drain_live(struct server *s)
{
	sb_reset(&s->scratch);
	live_take_output(s->live, &s->scratch);
	if (s->scratch.len > 0) {
		fwrite(s->scratch.s, 1, s->scratch.len, stdout);
		if (s->scratch.s[s->scratch.len - 1] != '\n')
			putchar('\n');
		fflush(stdout);
	}
}

/* ---- clients: output ----------------------------------------------------------------- */

static size_t
pending(const struct client *c)
{
	return c->out.len - c->out_off;
}

static void
client_flush(struct client *c)
{
	while (!c->dead && pending(c) > 0) {
		ssize_t n =
		    send(c->fd, c->out.s + c->out_off, pending(c), MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				c->dead = true; /* EPIPE, ECONNRESET: the client went away */
			break;
		}
		c->out_off += (size_t)n;
	}
	if (pending(c) == 0) {
		sb_reset(&c->out);
		c->out_off = 0;
	} else if (c->out_off > (1u << 20) && c->out_off > c->out.len / 2) {
		/* Keep the buffer from growing forever under a slow, steady reader. */
		memmove(c->out.s, c->out.s + c->out_off, pending(c));
		c->out.len -= c->out_off;
		c->out.s[c->out.len] = '\0';
		c->out_off = 0;
	}
}

static void
client_queue(struct server *s, struct client *c, const struct strbuf *line)
{
	if (c->dead)
		return;
	sb_addn(&c->out, line->s, line->len);
	if (pending(c) > OUT_HARD) {
		slog(s, "client %u (pid %ld) dropped: %zu bytes of output it does not read",
		    c->num, c->pid, pending(c));
		s->dropped++;
		c->dead = true;
	}
}

static void
reply_error(struct server *s, struct client *c, const char *id, const char *code, const char *msg)
{
	sb_reset(&s->scratch);
	wire_error(&s->scratch, id, code, "%s", msg);
	client_queue(s, c, &s->scratch);
}

/* ---- the timeline ------------------------------------------------------------------- */

static struct hist *
hist_at(struct server *s, size_t i)
{
	return &s->hist[(s->hfirst + i) % HISTORY_MAX];
}

static void
event_json(struct json *j, sim_time t, enum ev_kind kind, const char *text)
{
	json_obj_begin(j);
	wire_kv_time(j, "timeMs", t);
	json_kv_str(j, "type", ev_kind_name(kind));
	json_kv_str(j, "text", text);
	json_obj_end(j);
}

static void
on_event(struct network *net, const struct net_ev *e, void *arg)
{
	struct server *s = arg;
	struct strbuf text = STRBUF_INIT, line = STRBUF_INIT;
	struct hist *h;

	ev_format(net, e, &text);
	if (s->nhist == HISTORY_MAX) {
		h = hist_at(s, 0);
		free(h->text);
		s->hfirst = (s->hfirst + 1) % HISTORY_MAX;
		s->nhist--;
		s->hlost++;
	}
	h = hist_at(s, s->nhist++);
	h->t = e->t;
	h->kind = e->kind;
	h->text = xstrdup(sb_str(&text));
	for (size_t i = 0; i < s->ncl; i++) {
		struct client *c = s->cl[i];
		struct json j;

		if (c->follow == NULL || c->dead || (e->kind == EV_ROUTE_CHANGE && !c->follow_all))
			continue;
		sb_reset(&line);
		json_init(&j, &line, false);
		json_obj_begin(&j);
		json_kv_int(&j, "v", WIRE_VERSION);
		json_key(&j, "id");
		json_raw(&j, c->follow);
		json_key(&j, "event");
		event_json(&j, e->t, e->kind, sb_str(&text));
		json_obj_end(&j);
		sb_addc(&line, '\n');
		client_queue(s, c, &line);
	}
	sb_free(&line);
	sb_free(&text);
}

/* `events [--all] [--last N]`: the timeline kept so far. */
static int
host_events(void *arg, struct cli_ctx *c, int argc, char **argv)
{
	struct server *s = arg;
	bool all = false;
	long last = -1;
	size_t from = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--all") == 0) {
			all = true;
		} else if (strcmp(argv[i], "--last") == 0 && i + 1 < argc) {
			char *end;

			last = strtol(argv[++i], &end, 10);
			if (*end != '\0' || last < 0)
				return cli_fail(c, "--last needs a number, got '%s'", argv[i]);
		} else if (strcmp(argv[i], "--follow") == 0) {
			return cli_fail(c, "--follow streams: netsim exec NAME - events --follow");
		} else {
			return cli_fail(c, "usage: events [--all] [--last N] [--follow]");
		}
	}
	if (last >= 0) {
		/* The last N shown entries: count back over the ones the filter keeps. */
		size_t n = 0;

		for (from = s->nhist; from > 0 && n < (size_t)last; from--)
			if (all || hist_at(s, from - 1)->kind != EV_ROUTE_CHANGE)
				n++;
	}
	if (c->json)
		json_arr_begin(&c->j);
	else if (s->hlost > 0 && from == 0)
		cli_printf(c, "(%llu earlier events not kept)\n", (unsigned long long)s->hlost);
	for (size_t i = from; i < s->nhist; i++) {
		struct hist *h = hist_at(s, i);

		if (!all && h->kind == EV_ROUTE_CHANGE)
			continue;
		if (c->json)
			event_json(&c->j, h->t, h->kind, h->text);
		else
			cli_printf(c, "[t=%s] %s\n", sim_time_str(h->t), h->text);
	}
	if (c->json)
		json_arr_end(&c->j);
	return 0;
}

static void
rearm(struct server *s)
{
	s->next_tick = mono_ns() + s->tick_ns;
}

static int
host_pause(void *arg, struct cli_ctx *c, bool pause)
{
	struct server *s = arg;

	if (s->paused == pause) {
		cli_printf(c, "already %s at t=%s\n", pause ? "paused" : "running",
		    sim_time_str(now_of(s)));
		return 0;
	}
	s->paused = pause;
	if (!pause)
		rearm(s);
	cli_printf(c, "%s at t=%s\n", pause ? "paused" : "resumed", sim_time_str(now_of(s)));
	return 0;
}

static int
host_lua(void *arg, struct cli_ctx *c, const char *chunk, const char *name)
{
	struct server *s = arg;

	return live_lua(s->live, chunk, name, &c->out) == 0 ? 0 : (c->status = 1);
}

static char *
host_path(void *arg, const char *given, struct strbuf *err)
{
	struct server *s = arg;

	return live_path(s->live, given, err);
}

/*
 * "sha256:HEX" of a topology file's text, or NULL: which topology a network
 * was started from, for agents that compare networks (status, docs/mcp.md).
 */
static char *
file_hash(const char *path)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t d[HASH_MAX_LEN], buf[65536];
	char out[7 + 2 * 32 + 1] = "sha256:";
	struct hash h;
	size_t n;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return NULL;
	hash_init(&h, HASH_SHA256);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		hash_update(&h, buf, n);
	fclose(f);
	hash_final(&h, d);
	for (size_t i = 0; i < 32; i++) {
		out[7 + 2 * i] = hex[d[i] >> 4];
		out[8 + 2 * i] = hex[d[i] & 15];
	}
	return xstrdup(out);
}

/*
 * Lua can replace the network (netsim.load in a console): follow it, or the
 * daemon would keep a freed one. A network we subscribed to carries our
 * subscription; a new one (even at the old address) does not.
 */
static void
rebind_by(struct server *s, const struct client *by)
{
	struct network *n = live_net(s->live);
	bool ours = false;

	if (n != NULL && s->sub >= 0 && (size_t)s->sub < n->nsubs) {
		struct ev_sub *e = &n->subs[s->sub];

		ours = e->live && e->fn == on_event && e->arg == s;
	}
	if (n == s->net && (ours || n == NULL))
		return;
	if (s->net_name != NULL && n != NULL) {
		char who[32] = "Lua";

		if (by != NULL)
			snprintf(who, sizeof(who), "client %u", by->num);
		slog(s, "%s replaced the network %s (%s) with %s (%s) for all clients (%zu connected)",
		    who, s->net_name, s->net_file, n->name, n->file ? n->file : "?", s->ncl);
	} else if (s->net != NULL || n == NULL)
		slog(s, "the current network changed: now %s", n ? n->name : "none");
	free(s->net_name);
	free(s->net_file);
	s->net_name = n ? xstrdup(n->name) : NULL;
	s->net_file = n ? xstrdup(n->file ? n->file : s->o->topology) : NULL;
	free(s->net_hash);
	s->net_hash = s->net_file ? file_hash(s->net_file) : NULL;
	s->net = n;
	s->sub = n ? ev_subscribe(n, ~0u, on_event, s) : -1;
	rearm(s);
}

static void
rebind(struct server *s)
{
	rebind_by(s, NULL);
}

/* ---- requests ----------------------------------------------------------------------- */

struct req {
	struct server *s;
	struct client *c;
	const struct jval *j;
	const char *id;
	const char *op;
};

/*
 * Relative paths in a command (load FILE.lua) are the client's: run it in the
 * client's directory ("cwd" of the request), then come back.
 */
static void
enter_cwd(struct req *r)
{
	const char *cwd = jval_str(r->j, "cwd");

	if (cwd != NULL && cwd[0] == '/' && chdir(cwd) < 0)
		(void)0; /* gone or not ours: relative paths then fail, and say why */
}

static void
leave_cwd(struct req *r)
{
	if (r->s->homefd >= 0 && fchdir(r->s->homefd) < 0)
		(void)0;
}

static void
cut_output(struct strbuf *b)
{
	if (b->len > MAX_OUTPUT) {
		b->len = MAX_OUTPUT;
		b->s[b->len] = '\0';
		sb_printf(b, "\n%% output cut at %u bytes\n", MAX_OUTPUT);
	}
}

/* Does a network-scope line ask for `events ... --follow`? */
static bool
wants_follow(const char *line, bool *all)
{
	char **argv;
	int argc = cli_split(line, &argv);
	bool follow = false;

	*all = false;
	if (argc > 0 && strcmp(argv[0], "events") == 0)
		for (int i = 1; i < argc; i++) {
			if (strcmp(argv[i], "--follow") == 0 || strcmp(argv[i], "-f") == 0)
				follow = true;
			if (strcmp(argv[i], "--all") == 0)
				*all = true;
		}
	cli_free_words(argc, argv);
	return follow;
}

static void
start_follow(struct req *r, bool all)
{
	free(r->c->follow);
	r->c->follow = xstrdup(r->id);
	r->c->follow_all = all;
}

static void
op_exec(struct req *r)
{
	struct server *s = r->s;
	const char *dev = jval_str(r->j, "device"), *line = jval_str(r->j, "cmd");
	bool json = wire_bool(r->j, "json", false), all, stream = false;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	struct live_why why;
	uint64_t t0 = mono_ns();
	sim_time start = now_of(s);
	struct json j;
	int st;

	if (dev == NULL || line == NULL) {
		reply_error(s, r->c, r->id, "bad-request",
		    "exec needs \"device\" and \"cmd\" strings");
		return;
	}
	s->commands++;
	/* Whatever the simulation printed before belongs to the log, not to this reply. */
	drain_live(s);
	enter_cwd(r);
	if (strcmp(dev, "-") == 0 && wants_follow(line, &all)) {
		/* The history first, as the reply; then the stream. */
		char *plain = xstrdup(all ? "events --all" : "events");

		st = live_exec(s->live, "-", plain, json, &out, &err, &why);
		free(plain);
		start_follow(r, all);
		stream = true;
	} else {
		st = live_exec(s->live, dev, line, json, &out, &err, &why);
	}
	leave_cwd(r);
	rebind_by(s, r->c);
	/* Quoted and escaped: a command with a newline in it cannot forge log lines. */
	{
		struct strbuf qcmd = STRBUF_INIT, qdev = STRBUF_INIT;

		json_escape_n(&qcmd, line, strlen(line));
		if (dev[strspn(dev, NAME_CHARS)] != '\0')
			json_escape_n(&qdev, dev, strlen(dev));
		else
			sb_add(&qdev, dev);
		slog_at(start, "client %u exec %s %s%s -> %s (%.2f ms)", r->c->num, qdev.s, qcmd.s,
		    json ? " json" : "", st == LIVE_NODEV ? "no such device" : st ? "failed" : "ok",
		    (double)(mono_ns() - t0) / 1e6);
		sb_free(&qcmd);
		sb_free(&qdev);
	}
	drain_live(s);
	if (st == LIVE_NODEV) {
		reply_error(s, r->c, r->id, "no-such-device", sb_str(&err));
		sb_free(&out);
		sb_free(&err);
		return;
	}
	cut_output(&out);
	sb_reset(&s->scratch);
	wire_begin(&j, &s->scratch, r->id, true);
	json_kv_int(&j, "status", st);
	json_kv_str(&j, "output", sb_str(&out));
	json_kv_str(&j, "error", sb_str(&err));
	if (st != 0) {
		json_kv_str(&j, "code", why.code ? why.code : "command-failed");
		if (why.reason[0])
			json_kv_str(&j, "reason", why.reason);
	}
	if (json && why.json && out.len > 0) {
		char perr[128];
		struct jval *v = json_parse(out.s, out.len, perr, sizeof(perr));

		/*
		 * Embedded as a value only when it is one (a failed ping's JSON too):
		 * tools then need not parse twice. Text (an action, a console line)
		 * stays in "output".
		 */
		if (v != NULL) {
			json_key(&j, "result");
			wire_value(&j, v, 0);
			jval_free(v);
		}
	}
	wire_kv_time(&j, "simTimeMs", now_of(s));
	if (s->net != NULL)
		json_kv_bool(&j, "converged", s->net->converged);
	if (now_of(s) > start)
		wire_kv_time(&j, "tookMs", now_of(s) - start);
	if (stream)
		json_kv_bool(&j, "stream", true);
	wire_end(&j);
	client_queue(s, r->c, &s->scratch);
	sb_free(&out);
	sb_free(&err);
}

static void
reply_words(struct req *r, char **v, size_t start)
{
	struct json j;

	sb_reset(&r->s->scratch);
	wire_begin(&j, &r->s->scratch, r->id, true);
	json_key(&j, "candidates");
	json_arr_begin(&j);
	for (size_t i = 0; v[i] != NULL; i++) {
		struct strbuf e = STRBUF_INIT;

		json_escape_n(&e, v[i], strlen(v[i]));
		json_raw(&j, e.s);
		sb_free(&e);
		free(v[i]);
	}
	free(v);
	json_arr_end(&j);
	json_kv_int(&j, "start", (int64_t)start);
	wire_end(&j);
	client_queue(r->s, r->c, &r->s->scratch);
}

static void
op_complete(struct req *r)
{
	const char *dev = jval_str(r->j, "device"), *line = jval_str(r->j, "line");
	size_t start;

	if (line == NULL) {
		reply_error(r->s, r->c, r->id, "bad-request", "complete needs a \"line\" string");
		return;
	}
	if (dev == NULL && r->c->sess != NULL) {
		char **v = live_session_complete(r->c->sess, line, &start);

		reply_words(r, v, start);
		return;
	}
	/* Without a session: the dispatcher's words, replacing the last blank-separated one. */
	start = strlen(line);
	while (start > 0 && line[start - 1] != ' ' && line[start - 1] != '\t')
		start--;
	reply_words(r, live_complete(r->s->live, dev ? dev : "-", line), start);
}

static void
op_status(struct req *r)
{
	struct server *s = r->s;
	struct network *net = cur_net(s);
	struct json j;
	size_t nfollow = 0, nsess = 0;

	for (size_t i = 0; i < s->ncl; i++) {
		nfollow += s->cl[i]->follow != NULL;
		nsess += s->cl[i]->sess != NULL;
	}
	if (net == NULL) {
		reply_error(s, r->c, r->id, "no-network", "no network is loaded");
		return;
	}
	sb_reset(&s->scratch);
	wire_begin(&j, &s->scratch, r->id, true);
	json_kv_str(&j, "name", s->o->name);
	/* What is loaded now: a client's `open` replaces the network for every client. */
	json_kv_str(&j, "topology", s->net_file ? s->net_file : s->o->topology);
	json_kv_str(&j, "network", net->name);
	if (s->net_hash != NULL)
		json_kv_str(&j, "topologyHash", s->net_hash);
	json_kv_str(&j, "startTopology", s->o->topology);
	if (s->forked_from != NULL)
		json_kv_str(&j, "forkedFrom", s->forked_from);
	json_kv_int(&j, "pid", (int64_t)getpid());
	wire_kv_time(&j, "simTimeMs", net->sim.now);
	json_kv_bool(&j, "converged", net->converged);
	if (net->converge_count > 0)
		wire_kv_time(&j, "convergedAtMs", net->converged_at);
	json_kv_int(&j, "devices", (int64_t)net->nnodes);
	json_kv_int(&j, "links", (int64_t)net->nlinks);
	json_kv_double(&j, "uptimeSeconds", (double)(mono_ns() - s->start_wall) / 1e9);
	json_kv_double(&j, "tickIntervalMs", (double)s->tick_ns / 1e6);
	json_kv_double(&j, "speed", s->o->speed);
	json_kv_bool(&j, "paused", s->paused);
	json_kv_int(&j, "ticks", (int64_t)s->ticks);
	json_kv_int(&j, "lateTicks", (int64_t)s->late_ticks);
	json_kv_int(&j, "clients", (int64_t)s->ncl);
	json_kv_int(&j, "followers", (int64_t)nfollow);
	json_kv_int(&j, "consoles", (int64_t)nsess);
	json_kv_int(&j, "commands", (int64_t)s->commands);
	json_kv_int(&j, "droppedClients", (int64_t)s->dropped);
	json_kv_int(&j, "seed", (int64_t)net->seed);
	json_kv_bool(&j, "lua", true);
	json_key(&j, "deviceNames");
	json_arr_begin(&j);
	for (size_t i = 0; i < net->nnodes; i++) {
		struct strbuf e = STRBUF_INIT;

		json_escape_n(&e, net->nodes[i]->name, strlen(net->nodes[i]->name));
		json_raw(&j, e.s);
		sb_free(&e);
	}
	json_arr_end(&j);
	wire_end(&j);
	client_queue(s, r->c, &s->scratch);
}

static void
op_events(struct req *r)
{
	struct server *s = r->s;
	bool all = wire_bool(r->j, "all", false), follow = wire_bool(r->j, "follow", false);
	struct cli_ctx c;
	char *argv[] = {all ? "--all" : NULL, NULL};
	struct json j;

	cli_ctx_init(&c, cur_net(s), NULL);
	c.json = true;
	json_init(&c.j, &c.out, false); /* one line */
	host_events(s, &c, all ? 1 : 0, argv);
	sb_reset(&s->scratch);
	wire_begin(&j, &s->scratch, r->id, true);
	json_key(&j, "events");
	json_raw(&j, sb_str(&c.out));
	wire_kv_time(&j, "simTimeMs", now_of(s));
	if (follow)
		json_kv_bool(&j, "stream", true);
	wire_end(&j);
	client_queue(s, r->c, &s->scratch);
	cli_ctx_free(&c);
	if (follow)
		start_follow(r, all);
}

static void
session_reply(struct req *r, int st, const struct strbuf *out)
{
	struct json j;

	sb_reset(&r->s->scratch);
	wire_begin(&j, &r->s->scratch, r->id, true);
	json_kv_int(&j, "status", st);
	json_kv_str(&j, "output", sb_str(out));
	json_kv_str(&j, "prompt", live_prompt(r->c->sess));
	json_kv_str(&j, "device", live_device(r->c->sess));
	json_kv_bool(&j, "lua", true);
	wire_kv_time(&j, "simTimeMs", now_of(r->s));
	wire_end(&j);
	client_queue(r->s, r->c, &r->s->scratch);
}

static void
op_attach(struct req *r)
{
	const char *dev = jval_str(r->j, "device");
	struct strbuf err = STRBUF_INIT, none = STRBUF_INIT;
	struct live_session *ss;

	ss = live_session_new(r->s->live, dev ? dev : "-", &err);
	if (ss == NULL) {
		reply_error(r->s, r->c, r->id, "no-such-device", sb_str(&err));
		sb_free(&err);
		return;
	}
	live_session_free(r->c->sess);
	r->c->sess = ss;
	slog(r->s, "client %u attached to %s", r->c->num, live_device(ss));
	session_reply(r, 0, &none);
	sb_free(&err);
}

static void
op_line(struct req *r)
{
	const char *line = jval_str(r->j, "line");
	struct strbuf out = STRBUF_INIT;
	uint64_t t0 = mono_ns();
	sim_time start = now_of(r->s);
	char *dev;
	int st;

	if (r->c->sess == NULL) {
		reply_error(r->s, r->c, r->id, "no-session", "send an \"attach\" request first");
		return;
	}
	if (line == NULL) {
		reply_error(r->s, r->c, r->id, "bad-request", "line needs a \"line\" string");
		return;
	}
	r->s->commands++;
	dev = xstrdup(live_device(r->c->sess));
	drain_live(r->s);
	enter_cwd(r);
	st = live_line(r->c->sess, line, &out);
	leave_cwd(r);
	rebind_by(r->s, r->c);
	sb_reset(&r->s->scratch);
	json_escape_n(&r->s->scratch, line, strlen(line));
	slog_at(start, "client %u console %s> %s -> %s (%.2f ms)", r->c->num, dev, r->s->scratch.s,
	    st ? "failed" : "ok", (double)(mono_ns() - t0) / 1e6);
	free(dev);
	drain_live(r->s);
	cut_output(&out);
	session_reply(r, st, &out);
	sb_free(&out);
}

static void
op_hello(struct req *r)
{
	struct json j;

	sb_reset(&r->s->scratch);
	wire_begin(&j, &r->s->scratch, r->id, true);
	json_kv_str(&j, "server", "netsim");
	json_kv_int(&j, "protocol", WIRE_VERSION);
	json_key(&j, "versions");
	json_arr_begin(&j);
	for (int v = WIRE_MIN_VERSION; v <= WIRE_VERSION; v++)
		json_int(&j, v);
	json_arr_end(&j);
	json_kv_str(&j, "name", r->s->o->name);
	json_kv_int(&j, "pid", (int64_t)getpid());
	json_kv_int(&j, "maxLine", WIRE_MAX_LINE);
	json_key(&j, "ops");
	json_raw(&j, "[\"hello\",\"exec\",\"complete\",\"status\",\"events\",\"unsubscribe\","
	    "\"attach\",\"line\",\"stop\",\"fork\"]");
	wire_end(&j);
	client_queue(r->s, r->c, &r->s->scratch);
}

static void
op_simple(struct req *r)
{
	struct json j;

	sb_reset(&r->s->scratch);
	wire_begin(&j, &r->s->scratch, r->id, true);
	wire_end(&j);
	client_queue(r->s, r->c, &r->s->scratch);
}

static void
op_stop(struct req *r)
{
	slog(r->s, "client %u asked to stop", r->c->num);
	op_simple(r);
	r->s->quit = true;
}

static void
op_unsubscribe(struct req *r)
{
	free(r->c->follow);
	r->c->follow = NULL;
	op_simple(r);
}

static int listen_on(struct server *, struct strbuf *err);
static void ready(int fd, const char *msg);

/*
 * The child of op_fork: become daemon NAME, holding its lock (lockfd), and
 * say "ok\n" (or why not) on wfd. The parent's clients are dropped without
 * a word (their connections stay the parent's), its socket, signal pipe and
 * lock are closed here; the network, its Lua state and the timeline kept
 * for `events` are the parent's memory as it was, untouched.
 */
static void
fork_child(struct server *s, const char *name, int lockfd, int wfd)
{
	struct strbuf err = STRBUF_INIT;
	char pidline[32];
	int pfd[2], logfd;

	for (size_t i = 0; i < s->ncl; i++) {
		struct client *c = s->cl[i];

		sb_reset(&c->out);
		c->out_off = 0;
		c->dead = true; /* closed by the loop's sweep */
	}
	close(s->lfd);
	close(s->lockfd);
	close(s->sigr);
	close(s->sigw);
	s->forked_from = xstrdup(s->o->name);
	s->forked = xmalloc(sizeof(*s->forked));
	*s->forked = *s->o;
	s->forked->name = xstrdup(name);
	s->o = s->forked;
	s->lockfd = lockfd;
	free(s->sockpath);
	free(s->pidpath);
	s->sockpath = rundir_file(name, "sock");
	s->pidpath = rundir_file(name, "pid");
	if ((logfd = rundir_open_log(name)) < 0 || pipe2(pfd, O_NONBLOCK | O_CLOEXEC) < 0) {
		dprintf(wfd, "cannot open its log or a pipe: %s\n", strerror(errno));
		_exit(1);
	}
	fflush(stdout);
	dup2(logfd, STDOUT_FILENO);
	dup2(logfd, STDERR_FILENO);
	close(logfd);
	s->sigr = pfd[0];
	s->sigw = sig_wfd = pfd[1];
	snprintf(pidline, sizeof(pidline), "%ld\n", (long)getpid());
	if (ftruncate(lockfd, 0) < 0 || pwrite(lockfd, pidline, strlen(pidline), 0) < 0 ||
	    (s->lfd = listen_on(s, &err)) < 0) {
		dprintf(wfd, "%s", err.len ? sb_str(&err) : "cannot write its pid file\n");
		_exit(1);
	}
	sb_free(&err);
	s->start_wall = mono_ns();
	s->ticks = s->late_ticks = s->commands = s->dropped = 0;
	rearm(s);
	printf("netsim daemon %s: pid %ld, forked from %s\n", name, (long)getpid(),
	    s->forked_from);
	slog(s, "forked from %s: listening on %s", s->forked_from, s->sockpath);
	ready(wfd, "ok\n");
	close(wfd);
}

/*
 * fork {"name": NEW}: a copy of this daemon, named NEW, at this very
 * simulated instant. Requests run between ticks, so no actor is mid-event
 * and the engine's worker threads wait idle; fork(2) copies the process
 * (the worker threads are not copied: the child starts its own when a tick
 * needs them, sim/workers.c), and the child takes NEW's lock, log, socket
 * and pid file and serves on its own (fork_child). A double fork, as for
 * `daemon start`: init reaps the copy, not this daemon.
 */
static void
op_fork(struct req *r)
{
	struct server *s = r->s;
	const char *name = jval_str(r->j, "name");
	struct strbuf err = STRBUF_INIT, msg = STRBUF_INIT;
	struct json j;
	int lockfd, pfd[2];
	pid_t pid, child = 0;
	bool ok;

	if (name == NULL) {
		reply_error(s, r->c, r->id, "bad-request", "fork needs a \"name\" string");
		return;
	}
	if (!(ok = rundir_name_ok(name, &err)) || (lockfd = rundir_claim(name, &err)) < 0) {
		while (err.len > 0 && err.s[err.len - 1] == '\n')
			err.s[--err.len] = '\0';
		reply_error(s, r->c, r->id, ok ? "already-running" : "bad-name", sb_str(&err));
		sb_free(&err);
		return;
	}
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		reply_error(s, r->c, r->id, "fork-failed", strerror(errno));
		close(lockfd);
		return;
	}
	drain_live(s);
	fflush(NULL);
	if ((pid = fork()) == 0) {
		close(pfd[0]);
		if ((pid = fork()) != 0)
			_exit(pid < 0);
		fork_child(s, name, lockfd, pfd[1]);
		return; /* the copy goes on serving, as NEW */
	}
	close(pfd[1]);
	close(lockfd); /* the copy keeps the lock through its own descriptor */
	if (pid > 0)
		waitpid(pid, NULL, 0);
	rundir_read_ready(pfd[0], &msg);
	if (strcmp(sb_str(&msg), "ok\n") != 0) {
		while (msg.len > 0 && msg.s[msg.len - 1] == '\n')
			msg.s[--msg.len] = '\0';
		slog(s, "client %u: fork into %s failed: %s", r->c->num, name, sb_str(&msg));
		reply_error(s, r->c, r->id, "fork-failed", msg.len ? sb_str(&msg) :
		    "the copy exited while starting");
	} else {
		rundir_probe(name, &child);
		slog(s, "client %u: forked into %s (pid %ld)", r->c->num, name, (long)child);
		sb_reset(&s->scratch);
		wire_begin(&j, &s->scratch, r->id, true);
		json_kv_str(&j, "name", name);
		json_kv_int(&j, "pid", (int64_t)child);
		wire_kv_time(&j, "simTimeMs", now_of(s));
		wire_end(&j);
		client_queue(s, r->c, &s->scratch);
	}
	sb_free(&msg);
	sb_free(&err);
}

static const struct {
	const char *name;
	void (*fn)(struct req *);
} ops[] = {
	{"hello", op_hello}, {"exec", op_exec}, {"complete", op_complete},
	{"status", op_status}, {"events", op_events}, {"unsubscribe", op_unsubscribe},
	{"attach", op_attach}, {"line", op_line}, {"stop", op_stop}, {"fork", op_fork},
};

static void
handle(struct server *s, struct client *c, const char *line, size_t len)
{
	struct strbuf msg = STRBUF_INIT;
	struct req r = {.s = s, .c = c};
	const char *code = NULL;
	struct jval *j;
	char *id;

	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	if (len == 0)
		return; /* blank lines keep a connection alive, nothing more */
	if ((j = wire_request(line, len, &id, &code, &msg)) == NULL) {
		reply_error(s, c, id, code, sb_str(&msg));
		goto done;
	}
	r.j = j;
	r.id = id;
	r.op = jval_str(j, "op");
	for (size_t i = 0; i < ARRAY_LEN(ops); i++)
		if (strcmp(ops[i].name, r.op) == 0) {
			ops[i].fn(&r);
			goto done;
		}
	sb_reset(&msg);
	sb_printf(&msg, "unknown op '%.64s'", r.op);
	reply_error(s, c, id, "unknown-op", sb_str(&msg));
done:
	sb_free(&msg);
	free(id);
	jval_free(j);
}

/* ---- clients: input ----------------------------------------------------------------- */

static void
client_read(struct server *s UNUSED, struct client *c)
{
	char buf[READ_CHUNK];

	for (int k = 0; k < 4; k++) {
		ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				c->dead = true;
			return;
		}
		if (n == 0) {
			c->eof = true;
			return;
		}
		if (c->skipping) {
			char *nl = memchr(buf, '\n', (size_t)n);

			if (nl == NULL)
				continue;
			c->skipping = false;
			sb_addn(&c->in, nl + 1, (size_t)(buf + n - nl - 1));
		} else {
			sb_addn(&c->in, buf, (size_t)n);
		}
		if (c->in.len - c->in_off > WIRE_MAX_LINE + (size_t)READ_CHUNK)
			return; /* enough buffered: parse before reading more */
	}
}

/* Parse complete lines (at most LINES_PER_TURN). True when more input waits. */
static bool
client_process(struct server *s, struct client *c)
{
	int done = 0;

	while (!c->dead && !s->quit && done < LINES_PER_TURN && pending(c) < OUT_SOFT) {
		char *start = c->in.s ? c->in.s + c->in_off : NULL;
		size_t avail = c->in.len - c->in_off;
		char *nl = avail ? memchr(start, '\n', avail) : NULL;

		if (nl == NULL) {
			if (avail > WIRE_MAX_LINE) {
				char msg[96];

				snprintf(msg, sizeof(msg), "request line longer than %u bytes",
				    WIRE_MAX_LINE);
				reply_error(s, c, "null", "too-large", msg);
				slog(s, "client %u: oversized request refused", c->num);
				c->skipping = true;
				sb_reset(&c->in);
				c->in_off = 0;
			}
			break;
		}
		c->in_off += (size_t)(nl - start) + 1;
		if ((size_t)(nl - start) > WIRE_MAX_LINE) {
			char msg[96];

			snprintf(msg, sizeof(msg), "request line longer than %u bytes",
			    WIRE_MAX_LINE);
			reply_error(s, c, "null", "too-large", msg);
		} else {
			handle(s, c, start, (size_t)(nl - start));
		}
		done++;
	}
	if (c->in_off == c->in.len) {
		sb_reset(&c->in);
		c->in_off = 0;
	} else if (c->in_off > 0 && c->in_off >= c->in.len / 2) {
		memmove(c->in.s, c->in.s + c->in_off, c->in.len - c->in_off);
		c->in.len -= c->in_off;
		c->in.s[c->in.len] = '\0';
		c->in_off = 0;
	}
	if (c->in.len > c->in_off && memchr(c->in.s + c->in_off, '\n', c->in.len - c->in_off))
		return !c->dead && pending(c) < OUT_SOFT;
	if (c->eof && !c->closing && !c->dead) {
		/* The peer closed (or shut down writing) mid-line: answer, then close. */
		size_t rest = c->in.len - c->in_off;

		if (rest > 0 && !c->skipping &&
		    strspn(c->in.s + c->in_off, " \t\r\n") < rest)
			reply_error(s, c, "null", "truncated",
			    "request not terminated by a newline");
		c->closing = true;
	}
	return false;
}

static void
client_free(struct server *s, size_t i)
{
	struct client *c = s->cl[i];

	if (c->sess || c->follow)
		slog(s, "client %u disconnected", c->num);
	close(c->fd);
	sb_free(&c->in);
	sb_free(&c->out);
	free(c->follow);
	live_session_free(c->sess);
	free(c);
	s->cl[i] = s->cl[--s->ncl];
}

static void
accept_clients(struct server *s)
{
	for (;;) {
		struct ucred cr = {.pid = 0, .uid = (uid_t)-1, .gid = (gid_t)-1};
		socklen_t len = sizeof(cr);
		struct client *c;
		int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if ((errno == EMFILE || errno == ENFILE) && s->sparefd >= 0) {
				/*
				 * Out of descriptors: the pending connection would keep the
				 * listening socket readable and poll would spin. Free the
				 * spare, take the connection and close it at once.
				 */
				close(s->sparefd);
				fd = accept(s->lfd, NULL, NULL);
				if (fd >= 0) {
					slog(s, "out of descriptors: refused a connection");
					close(fd);
				}
				s->sparefd = open("/dev/null", O_RDONLY | O_CLOEXEC);
				/* EMFILE precedes the look at the queue: stop once it is empty. */
				if (fd >= 0)
					continue;
			}
			return;
		}
		/* Only the socket's owner: the directory and mode say so too, this makes sure. */
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 || cr.uid != geteuid()) {
			slog(s, "refused a connection from uid %ld", (long)cr.uid);
			close(fd);
			continue;
		}
		if (s->ncl >= MAX_CLIENTS) {
			struct strbuf b = STRBUF_INIT;

			wire_error(&b, "null", "busy", "too many clients (%d)", MAX_CLIENTS);
			if (send(fd, b.s, b.len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
				(void)0;
			sb_free(&b);
			close(fd);
			continue;
		}
		c = xcalloc(1, sizeof(*c));
		c->fd = fd;
		c->num = ++s->next_num;
		c->pid = (long)cr.pid;
		VEC_PUSH(s->cl, s->ncl, s->clcap, c);
	}
}

/* ---- ticks -------------------------------------------------------------------------- */

static void
tick(struct server *s)
{
	uint64_t now;

	if (cur_net(s) != NULL)
		live_advance(s->live, now_of(s) + s->per_tick);
	rebind(s);
	s->ticks++;
	drain_live(s);
	s->next_tick += s->tick_ns;
	now = mono_ns();
	if (now > s->next_tick) {
		/* Behind: drop the missed ticks instead of running them back to back. */
		uint64_t missed = (now - s->next_tick) / s->tick_ns + 1;

		s->late_ticks += missed;
		s->next_tick += missed * s->tick_ns;
	}
}

/* ---- setup and the loop ------------------------------------------------------------- */

static int
listen_on(struct server *s, struct strbuf *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		sb_printf(err, "socket: %s\n", strerror(errno));
		return -1;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", s->sockpath);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(s->sockpath, 0600) < 0 ||
	    listen(fd, SOMAXCONN) < 0) {
		sb_printf(err, "%s: %s\n", s->sockpath, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void
ready(int fd, const char *msg)
{
	size_t len = strlen(msg);

	while (len > 0) {
		ssize_t n = write(fd, msg, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		msg += n;
		len -= (size_t)n;
	}
}

static void
raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max &&
	    rl.rlim_cur < MAX_CLIENTS + 64) {
		rl.rlim_cur = MIN(rl.rlim_max, (rlim_t)MAX_CLIENTS + 64);
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void
serve(struct server *s)
{
	struct pollfd *pf = NULL;
	size_t pfcap = 0;

	while (!s->quit) {
		size_t n = 0;
		bool more = false;
		struct timespec ts, *tp = NULL;
		uint64_t now;

		grow_array((void **)&pf, &pfcap, s->ncl + 2, sizeof(*pf));
		pf[n++] = (struct pollfd){.fd = s->sigr, .events = POLLIN};
		pf[n++] = (struct pollfd){.fd = s->lfd, .events = POLLIN};
		for (size_t i = 0; i < s->ncl; i++) {
			struct client *c = s->cl[i];
			short ev = 0;

			if (!c->eof && !c->closing && pending(c) < OUT_SOFT &&
			    c->in.len - c->in_off <= WIRE_MAX_LINE + (size_t)READ_CHUNK)
				ev |= POLLIN;
			if (pending(c) > 0)
				ev |= POLLOUT;
			pf[n++] = (struct pollfd){.fd = c->fd, .events = ev};
		}
		for (size_t i = 0; i < s->ncl; i++)
			if (s->cl[i]->in.len > s->cl[i]->in_off && pending(s->cl[i]) < OUT_SOFT &&
			    memchr(s->cl[i]->in.s + s->cl[i]->in_off, '\n',
			    s->cl[i]->in.len - s->cl[i]->in_off))
				more = true;
		now = mono_ns();
		if (more) {
			ts = (struct timespec){0, 0};
			tp = &ts;
		} else if (!s->paused) {
			uint64_t d = s->next_tick > now ? s->next_tick - now : 0;

			ts = (struct timespec){(time_t)(d / 1000000000u), (long)(d % 1000000000u)};
			tp = &ts;
		}
		if (ppoll(pf, n, tp, NULL) < 0 && errno != EINTR) {
			slog(s, "poll: %s", strerror(errno));
			break;
		}
		if (pf[0].revents & POLLIN) {
			unsigned char sig[16];
			ssize_t k = read(s->sigr, sig, sizeof(sig));

			if (k > 0) {
				slog(s, "signal %d: shutting down", sig[0]);
				s->quit = true;
			}
		}
		/* pf[i + 2] belongs to s->cl[i]: handle clients before accepting new ones. */
		for (size_t i = 0; i < s->ncl && i + 2 < n; i++) {
			struct client *c = s->cl[i];
			short re = pf[i + 2].revents;

			if (re & (POLLIN | POLLHUP | POLLERR))
				client_read(s, c);
			if (re & POLLNVAL)
				c->dead = true;
		}
		if (pf[1].revents & POLLIN)
			accept_clients(s);
		for (size_t i = 0; i < s->ncl && !s->quit; i++)
			client_process(s, s->cl[i]);
		if (!s->paused && !s->quit && mono_ns() >= s->next_tick)
			tick(s);
		for (size_t i = 0; i < s->ncl; i++)
			client_flush(s->cl[i]);
		for (size_t i = s->ncl; i-- > 0;) {
			struct client *c = s->cl[i];

			if (c->dead || (c->closing && pending(c) == 0))
				client_free(s, i);
		}
	}
	free(pf);
}

int
server_main(const struct daemon_opts *o, int lockfd, int ready_fd)
{
	struct server srv = {.o = o, .lfd = -1, .homefd = -1, .sparefd = -1, .sub = -1,
	    .lockfd = lockfd};
	struct server *s = &srv;
	struct live_opts lo = {.topology = o->topology, .seed = o->seed, .seed_set = o->seed_set};
	struct strbuf err = STRBUF_INIT;
	struct cli_host host = {.arg = s, .pause = host_pause, .events = host_events,
	    .lua = host_lua, .path = host_path};
	int pfd[2], rc = 0;
	char pidline[32];
	struct sigaction sa = {.sa_handler = on_signal};
	uint64_t t0 = mono_ns();

	s->start_wall = t0;
	s->hist = xcalloc(HISTORY_MAX, sizeof(*s->hist));
	s->sockpath = rundir_file(o->name, "sock");
	s->pidpath = rundir_file(o->name, "pid");
	s->tick_ns = (uint64_t)o->tick;
	s->per_tick = (sim_time)llround((double)o->tick * o->speed);
	if (s->per_tick < 1)
		s->per_tick = 1;
	umask(077);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	if (pipe2(pfd, O_NONBLOCK | O_CLOEXEC) < 0) {
		ready(ready_fd, "cannot create a pipe\n");
		return 1;
	}
	s->sigr = pfd[0];
	s->sigw = sig_wfd = pfd[1];
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	raise_fd_limit();
	s->homefd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	s->sparefd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	snprintf(pidline, sizeof(pidline), "%ld\n", (long)getpid());
	if (ftruncate(s->lockfd, 0) < 0 || pwrite(s->lockfd, pidline, strlen(pidline), 0) < 0)
		sb_printf(&err, "cannot write %s: %s\n", s->pidpath, strerror(errno));
	printf("netsim daemon %s: pid %ld, topology %s, tick %s, speed %g\n", o->name,
	    (long)getpid(), o->topology, sim_time_str(o->tick), o->speed);
	fflush(stdout);
	if (err.len == 0 && (s->live = live_open(&lo, &err)) != NULL) {
		bool conv;

		rebind(s);
		conv = live_converge(s->live, o->converge_limit);
		drain_live(s);
		slog(s, "%s after %.1f ms wall: %zu devices, %zu links",
		    conv ? "converged" : "not converged", (double)(mono_ns() - t0) / 1e6,
		    cur_net(s)->nnodes, cur_net(s)->nlinks);
		s->lfd = listen_on(s, &err);
	}
	if (s->lfd < 0) {
		fprintf(stdout, "failed to start: %s", sb_str(&err));
		fflush(stdout);
		ready(ready_fd, sb_str(&err));
		rc = 1;
		goto out;
	}
	cmd_net_host(&host);
	slog(s, "listening on %s", s->sockpath);
	ready(ready_fd, "ok\n");
	close(ready_fd);
	ready_fd = -1;
	rearm(s);
	serve(s);
	/* Files go first: once a client sees its connection close, the name is free again. */
	unlink(s->sockpath);
	unlink(s->pidpath);
	for (size_t i = 0; i < s->ncl; i++)
		client_flush(s->cl[i]);
	while (s->ncl > 0)
		client_free(s, s->ncl - 1);
	slog(s, "stopped after %.1f s: %llu commands, %llu ticks (%llu late)",
	    (double)(mono_ns() - s->start_wall) / 1e9, (unsigned long long)s->commands,
	    (unsigned long long)s->ticks, (unsigned long long)s->late_ticks);
	cmd_net_host(NULL);
out:
	if (rc != 0)
		unlink(s->pidpath);
	if (s->lfd >= 0)
		close(s->lfd);
	live_close(s->live);
	for (size_t i = 0; i < s->nhist; i++)
		free(hist_at(s, i)->text);
	free(s->hist);
	free(s->cl);
	sb_free(&s->scratch);
	sb_free(&err);
	free(s->sockpath);
	free(s->net_name);
	free(s->net_file);
	free(s->net_hash);
	free(s->pidpath);
	close(s->sigr);
	close(s->sigw);
	if (s->homefd >= 0)
		close(s->homefd);
	if (s->sparefd >= 0)
		close(s->sparefd);
	sig_wfd = -1;
	if (ready_fd >= 0)
		close(ready_fd);
	close(s->lockfd); /* a fork's own, or the one it was started with */
	if (s->forked != NULL)
		free((char *)s->forked->name);
	free(s->forked);
	free(s->forked_from);
	return rc;
}
