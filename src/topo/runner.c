/* runner.c: a topology's run: timeline, script, convergence, summary (see runner.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "../cli/cli.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include "../net/converge.h"
#include "../net/dist_net.h"
#include "../net/pcap.h"
#include "../proto/proto.h"
#include "../sim/dist.h"
#include "runner.h"

uint64_t
wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
json_event(struct runner *r, sim_time t, const char *kind, const char *text)
{
	struct json j;

	json_init(&j, &r->events, false);
	if (r->nevents++)
		sb_add(&r->events, ",\n    ");
	json_obj_begin(&j);
	json_kv_double(&j, "timeMs", (double)t / SIM_MS);
	json_kv_str(&j, "type", kind);
	json_kv_str(&j, "text", text);
	json_obj_end(&j);
}

struct item_timer {
	struct timer t;
	struct runner *r;
	size_t idx;
};

static void run_entry(struct runner *, const struct script_item *, struct node *, sim_time);

/* What an entry left behind, sent from the device's owner to the other ranks. */
struct entry_wire {
	int32_t failures;
	uint32_t noutputs;
	uint64_t textlen, jsonlen;
};

/*
 * A distributed run (docs/distributed.md): the device's owner runs the
 * command, and its output (the text, or the JSON report's entry) and verdict
 * go to every rank, which carry on alike; rank 0 prints. A command that
 * changes the device (change) runs as one that changes the network, on its
 * owner alone: the events it causes are dispatched on every rank before its
 * line, where one process prints them, and its frames cross in its order.
 */
static void
run_item_dist(struct runner *r, const struct script_item *si, struct node *n, sim_time start,
    bool change)
{
	struct strbuf rec = STRBUF_INIT;
	struct entry_wire w = {0};
	int owner = dist_net_owner(r->net, n->id);

	if (change)
		dist_command_begin();
	if (owner == dist_rank) {
		FILE *out = r->out, *m;
		char *text = NULL;
		size_t textlen = 0, olen = r->outputs.len;
		int fails = r->failures;
		size_t nout = r->noutputs;

		if ((m = open_memstream(&text, &textlen)) == NULL)
			fatalx("out of memory");
		r->out = m;
		dist_alone_begin();
		run_entry(r, si, n, start);
		dist_alone_end();
		cli_follow_end();
		fclose(m);
		r->out = out;
		w = (struct entry_wire){.failures = r->failures - fails,
		    .noutputs = (uint32_t)(r->noutputs - nout), .textlen = textlen,
		    .jsonlen = r->outputs.len - olen};
		sb_addn(&rec, (const char *)&w, sizeof(w));
		sb_addn(&rec, text, textlen);
		if (w.jsonlen > 0) /* (outputs may have no buffer yet) */
			sb_addn(&rec, r->outputs.s + olen, w.jsonlen);
		r->outputs.len = olen; /* added again below, as on every rank */
		r->failures = fails;
		r->noutputs = nout;
		free(text);
	} else {
		cli_follow(r->net, owner); /* a command that lets time pass (ping) */
	}
	if (change)
		ev_flush_command(r->net);
	dist_bcast(&rec, owner);
	memcpy(&w, rec.s, sizeof(w));
	fwrite(rec.s + sizeof(w), 1, w.textlen, r->out);
	if (w.jsonlen > 0)
		sb_addn(&r->outputs, rec.s + sizeof(w) + w.textlen, w.jsonlen);
	r->failures += w.failures;
	r->noutputs += w.noutputs;
	sb_free(&rec);
}

static void
run_item(struct timer *t)
{
	struct item_timer *it = container_of(t, struct item_timer, t);
	struct runner *r = it->r;
	const struct script_item *si = &r->topo->script[it->idx];
	struct network *net = r->net;
	struct node *n = si->device ? net_node(net, si->device) : NULL;
	sim_time start = net->sim.now;
	enum entry_dist kind = runner_entry_dist(si->device, si->command);

	r->pending--;
	if (r->o.timeline_svg) {
		char *what = xasprintf("%s> %s", si->device ? si->device : "netsim",
		    si->command ? si->command : "(Lua)");

		tlsvg_note(&r->svg, start, n, what);
		free(what);
	}
	if (dist_on() && (kind == ENTRY_OWNER || kind == ENTRY_OWNER_CHANGE))
		run_item_dist(r, si, n, start, kind == ENTRY_OWNER_CHANGE);
	else
		run_entry(r, si, n, start);
}

/* One entry: its command on its device, its output printed or kept for the JSON report. */
static void
run_entry(struct runner *r, const struct script_item *si, struct node *n, sim_time start)
{
	struct network *net = r->net;
	struct cli_ctx c;
	bool was_json, every;

	if (si->command == NULL) {
		/* `lua:` entries run through the script layer (src/script/), when attached. */
		if (r->lua_item == NULL) {
			fprintf(r->out, "[t=%s] script entry at line %d: Lua is not available here\n",
			    sim_time_str(start), si->line);
			r->failures++;
		} else if (r->lua_item(r->lua_arg, si, n) != 0) {
			r->failures++;
		}
		return;
	}
	cli_ctx_init(&c, net, n);
	c.also_json = r->o.json;
	every = dist_on() && runner_entry_dist(si->device, si->command) == ENTRY_EVERY_RANK;
	if (every)
		dist_command_begin();
	cli_exec(&c, si->command);
	if (every)
		ev_flush_command(net); /* what it caused, before its line, as one process prints it */
	was_json = c.json; /* the command asked for JSON itself (`show ... json`) */
	c.json = false;
	if (r->o.json) {
		struct json j;

		json_init(&j, &r->outputs, false);
		if (r->noutputs++)
			sb_add(&r->outputs, ",\n    ");
		json_obj_begin(&j);
		json_kv_double(&j, "timeMs", (double)start / SIM_MS);
		if (si->device != NULL) /* (else a network command: `link down A:IF B:IF`) */
			json_kv_str(&j, "device", si->device);
		json_kv_str(&j, "command", si->command);
		json_kv_int(&j, "status", c.status);
		if (c.status)
			json_kv_str(&j, "error", sb_str(&c.err));
		/*
		 * The command's JSON form when it has one, and its text: from the
		 * same run for commands that cannot run twice (ping, traceroute:
		 * also_json), else from running it again in its JSON form.
		 */
		{
			struct cli_ctx cj;
			char *line = xasprintf("%s json", si->command);

			cli_ctx_init(&cj, net, n);
			if (c.alt.len > 0) {
				json_key(&j, "json");
				json_raw(&j, sb_str(&c.alt));
			} else if (was_json && c.status == 0 && c.out.len > 0) {
				json_key(&j, "json");
				json_raw(&j, sb_str(&c.out));
			} else if (c.cmd && (c.cmd->flags & CLI_JSON) && strncmp(si->command, "ping", 4) &&
			    strncmp(si->command, "traceroute", 10) && cli_exec(&cj, line) == 0) {
				json_key(&j, "json");
				json_raw(&j, sb_str(&cj.out));
			}
			json_kv_str(&j, "output", sb_str(&c.out));
			cli_ctx_free(&cj);
			free(line);
		}
		json_obj_end(&j);
	} else {
		progress_clear(&r->prog);
		fprintf(r->out, "[t=%s] %s> %s\n%s%s", sim_time_str(start),
		    si->device ? si->device : "netsim", si->command,
		    sb_str(&c.out), sb_str(&c.err));
	}
	/* A command that was meant to fail and did is a success, and vice versa. */
	if ((c.status != 0) != si->expect_fail) {
		r->failures++;
		if (!r->o.json)
			fprintf(r->out, "%% script line %d: expected the command to %s\n", si->line,
			    si->expect_fail ? "fail" : "succeed");
	}
	cli_ctx_free(&c);
}

enum entry_dist
runner_entry_dist(const char *device, const char *cmd)
{
	/* Those that only look, and those that send from the device and wait. */
	static const char *const owner[] = {"show ", "ping ", "traceroute ", "tcp connect ",
	    "tcp send ", "help"};
	/*
	 * Those that change the device alone (its routes, LFIB, policies,
	 * sessions, a protocol's settings), at once, from global context.
	 */
	static const char *const change[] = {"route add ", "route del ", "mpls lfib add ",
	    "mpls lfib del ", "policy set ", "policy delete ", "clear bgp ", "clear ip bgp ",
	    "clear ldp neighbor", "clear mpls ldp neighbor", "neighbor ", "no neighbor ",
	    "restart bgp", "bgp feed ", "bgp vpn-originate ", "no bgp vpn-originate ",
	    "isis metric ", "isis overload ", "gre tunnel set "};
	/*
	 * Those that change link or interface state, which every rank reads (a
	 * sender its link, a receiver its interface and its peer's).
	 */
	static const char *const every[] = {"link down ", "link up ", "interface "};
	static const char *const global[] = {"converge", "verify"};
	const struct cli_cmd *c;

	if (cmd == NULL) /* Lua: every rank runs it alike (lx_dist.c) */
		return ENTRY_LUA;
	/*
	 * A command defined in Lua (netsim.command: the CLI's only dynamic
	 * commands, whatever its words) runs Lua, which every rank runs alike:
	 * in global context, as a Lua entry, its calls distributed as Lua's are.
	 */
	if ((c = cli_lookup(cmd)) != NULL && cli_cmd_arg(c) != NULL)
		return ENTRY_GLOBAL;
	for (size_t i = 0; device != NULL && i < ARRAY_LEN(owner); i++)
		if (strncmp(cmd, owner[i], strlen(owner[i])) == 0)
			return ENTRY_OWNER;
	for (size_t i = 0; device != NULL && i < ARRAY_LEN(change); i++)
		if (strncmp(cmd, change[i], strlen(change[i])) == 0)
			return ENTRY_OWNER_CHANGE;
	for (size_t i = 0; i < ARRAY_LEN(every); i++)
		if (strncmp(cmd, every[i], strlen(every[i])) == 0)
			return ENTRY_EVERY_RANK;
	/*
	 * Those that run alike on every rank: converge runs the network, as
	 * net:run_until_converged(); verify checks intents, as net:verify().
	 */
	for (size_t i = 0; i < ARRAY_LEN(global); i++) {
		size_t len = strlen(global[i]);

		if (strncmp(cmd, global[i], len) == 0 && (cmd[len] == '\0' || cmd[len] == ' '))
			return ENTRY_GLOBAL;
	}
	/*
	 * A line no command matches fails alike on every rank, as in one
	 * process, unless Lua defines it by the time it runs (its classification
	 * is asked again then).
	 */
	return c == NULL ? ENTRY_GLOBAL : ENTRY_REFUSED;
}

const struct script_item *
runner_dist_refused(const struct topo *t)
{
	for (size_t i = 0; i < t->nscript; i++)
		if (runner_entry_dist(t->script[i].device, t->script[i].command) == ENTRY_REFUSED)
			return &t->script[i];
	return NULL;
}

static void
schedule(struct runner *r, enum at_kind kind, sim_time base)
{
	for (size_t i = 0; i < r->topo->nscript; i++) {
		const struct script_item *si = &r->topo->script[i];

		if (si->at.kind == kind)
			sim_global_at(&r->net->sim, &r->items[i].t, base + si->at.offset);
	}
}

static void
on_converged(struct runner *r, sim_time t)
{
	if (!r->first_converged) {
		r->first_converged = true;
		schedule(r, AT_CONVERGED, t);
	}
}

/* Every event but route changes goes on the timeline (with -v, those too). */
static void
timeline(struct network *net, const struct net_ev *e, void *arg)
{
	struct runner *r = arg;
	struct strbuf b = STRBUF_INIT;

	ev_format(net, e, &b);
	if (r->o.json)
		json_event(r, e->t, ev_kind_name(e->kind), sb_str(&b));
	else if (!r->o.quiet) {
		progress_clear(&r->prog);
		fprintf(r->out, "[t=%s] %s\n", sim_time_str(e->t), sb_str(&b));
	}
	sb_free(&b);
	if (e->kind == EV_CONVERGED)
		on_converged(r, e->t);
}

void
runner_event(struct runner *r, const char *name, sim_time t)
{
	for (size_t i = 0; i < r->topo->nscript; i++) {
		const struct script_item *si = &r->topo->script[i];

		if (si->at.kind != AT_EVENT || r->ev_done[i] || strcmp(si->at.event, name) != 0)
			continue;
		r->ev_done[i] = true;
		sim_global_at(&r->net->sim, &r->items[i].t, t + si->at.offset);
	}
}

/* `at: EVENT + 1s`: the first time an event of that kind fires. */
static void
named_events(struct network *net UNUSED, const struct net_ev *e, void *arg)
{
	runner_event(arg, ev_kind_name(e->kind), e->t);
}

static void
open_pcaps(struct runner *r)
{
	struct network *net = r->net;

	if (mkdir(r->o.pcap_dir, 0777) < 0 && errno != EEXIST)
		fatalx("--pcap %s: %s", r->o.pcap_dir, strerror(errno));
	if (dist_on())
		dist_capture_start(); /* each link's file written by one rank (dist_net.h) */
	for (size_t i = 0; i < net->nlinks; i++) {
		struct link *l = net->links[i];
		char *path;

		if (dist_on() && dist_link_owner(l) != dist_rank)
			continue;
		path = pcap_link_path(r->o.pcap_dir, l->name);

		if ((l->pcap = pcap_open(path)) == NULL)
			fatalx("%s: %s", path, strerror(errno));
		free(path);
	}
}

void
runner_init(struct runner *r, struct topo *t, const struct runner_opts *o, FILE *out)
{
	memset(r, 0, sizeof(*r));
	r->topo = t;
	r->net = t->net;
	r->o = *o;
	r->out = out;
	if (r->o.limit <= 0)
		r->o.limit = 3600 * SIM_S;
	r->items = xcalloc(t->nscript + 1, sizeof(*r->items));
	for (size_t i = 0; i < t->nscript; i++) {
		struct item_timer *it = &r->items[i];

		timer_init(&it->t, NULL, run_item, NULL);
		it->r = r;
		it->idx = i;
	}
	r->sub_timeline = ev_subscribe(r->net, (trace_flags & TR_RIB) ? ~0u :
	    ~(1u << EV_ROUTE_CHANGE | 1u << EV_BESTPATH_CHANGE), timeline, r);
	r->sub_named = -1;
	r->ev_done = xcalloc(t->nscript + 1, sizeof(*r->ev_done));
	{
		unsigned mask = 0;

		for (size_t i = 0; i < t->nscript; i++) {
			int k = t->script[i].at.kind == AT_EVENT ? ev_kind_parse(t->script[i].at.event) :
			    -1;

			if (k >= 0)
				mask |= 1u << k;
		}
		if (mask)
			r->sub_named = ev_subscribe(r->net, mask, named_events, r);
	}
}

static size_t never_ran(const struct runner *);

/*
 * A protocol's end-of-run counts go over every node's instance, but another
 * rank's devices (ghosts) count there: their instances are out of sight
 * while this rank counts (hide), and back afterwards.
 */
static void
dist_hide_ghosts(struct network *net, bool hide)
{
	static struct proto_inst **none, ***kept;

	if (!dist_on())
		return;
	if (none == NULL) {
		none = xcalloc((size_t)proto_count + 1, sizeof(*none));
		kept = xcalloc(net->nnodes + 1, sizeof(*kept));
	}
	for (size_t i = 0; i < net->nnodes; i++) {
		struct node *n = net->nodes[i];

		if (!n->actor.ghost)
			continue;
		if (hide) {
			kept[i] = n->pi;
			n->pi = none;
		} else {
			n->pi = kept[i];
		}
	}
}

static void
summary(struct runner *r, uint64_t wall)
{
	struct network *net = r->net;
	double real = (double)wall / 1e9;
	double sim_s = (double)net->sim.now / SIM_S;
	/*
	 * Events and frames over every rank of a distributed run: each counts
	 * its own devices', and all of them the global context's.
	 */
	uint64_t counts[2] = {net->sim.events - net->sim.gevents, net->sim.msgs - net->sim.gmsgs};

	dist_reduce(DIST_SUM_U64, counts, 2);
	counts[0] += net->sim.gevents;
	counts[1] += net->sim.gmsgs;
	progress_clear(&r->prog);
	if (r->o.json) {
		struct strbuf b = STRBUF_INIT;
		struct json j;

		json_init(&j, &b, true);
		json_obj_begin(&j);
		json_kv_str(&j, "name", net->name);
		json_kv_int(&j, "devices", (int64_t)net->nnodes);
		json_kv_int(&j, "links", (int64_t)net->nlinks);
		json_kv_int(&j, "seed", (int64_t)net->seed);
		json_kv_bool(&j, "converged", net->converged);
		if (net->converge_count)
			json_kv_double(&j, "convergedAtMs", (double)net->converged_at / SIM_MS);
		json_kv_double(&j, "simulatedMs", (double)net->sim.now / SIM_MS);
		json_kv_double(&j, "wallSeconds", real);
		json_kv_int(&j, "events", (int64_t)counts[0]);
		json_kv_int(&j, "frames", (int64_t)counts[1]);
		json_kv_int(&j, "ticks", (int64_t)net->sim.ticks);
		{
			struct rusage ru;

			getrusage(RUSAGE_SELF, &ru);
			json_kv_int(&j, "peakRssKB", ru.ru_maxrss);
		}
		json_kv_int(&j, "failures", r->failures);
		/* `at: converged` entries that never ran (exit status 3). */
		json_kv_int(&j, "neverRan", (int64_t)never_ran(r));
		json_key(&j, "timeline");
		sb_printf(&r->events, "%s", "");
		{
			char *ev = xasprintf("[\n    %s\n  ]", sb_str(&r->events));

			json_raw(&j, r->nevents ? ev : "[]");
			free(ev);
		}
		json_key(&j, "outputs");
		{
			char *out = xasprintf("[\n    %s\n  ]", sb_str(&r->outputs));

			json_raw(&j, r->noutputs ? out : "[]");
			free(out);
		}
		json_obj_end(&j);
		fprintf(r->out, "%s\n", sb_str(&b));
		sb_free(&b);
		return;
	}
	if (!net->converged)
		fprintf(r->out, "[t=%s] Network not converged (control frames in flight or "
				"protocols busy)\n", sim_time_str(net->sim.now));
	fprintf(r->out, "Simulation complete: %s simulated, ", sim_time_str(net->sim.now));
	/*
	 * Below a millisecond "0.000s" and a speedup computed from it say
	 * nothing (the run is too short to measure that way): say so instead.
	 */
	if (wall < 1000000)
		fputs("<1 ms real time", r->out);
	else
		fprintf(r->out, "%.3fs real time", real);
	if (wall >= 1000000 && sim_s > 0)
		fprintf(r->out, " (%.0fx speedup)", sim_s / real);
	fputc('\n', r->out);
	for (int p = 0; p < proto_count; p++) {
		struct strbuf b = STRBUF_INIT;

		if (proto_registry[p]->stats == NULL)
			continue;
		dist_hide_ghosts(net, true);
		for (size_t i = 0; i < net->nnodes; i++)
			if (net->nodes[i]->pi[p])
				proto_registry[p]->stats(net->nodes[i]->pi[p], &b);
		dist_hide_ghosts(net, false);
		if (dist_on())
			dist_sum_line(&b); /* each rank counted its own devices */
		if (b.len)
			fprintf(r->out, "%s\n", sb_str(&b));
		sb_free(&b);
	}
	if (r->failures)
		fprintf(r->out, "%d script command%s failed\n", r->failures, r->failures == 1 ? "" : "s");
	if (never_ran(r))
		fprintf(r->out, "%zu script entr%s at 'converged' never ran: the network had not "
		    "converged when the run stopped at t=%s (--until/--limit)\n", never_ran(r),
		    never_ran(r) == 1 ? "y" : "ies", sim_time_str(net->sim.now));
}

void
runner_start(struct runner *r)
{
	struct network *net = r->net;

	if (r->started)
		return;
	r->started = true;
	r->wall_start = wall_ns();
	progress_init(&r->prog, r->o.progress ? stderr : NULL, r->wall_start, net->sim.events);
	r->pending = r->topo->nscript;
	if (r->o.pcap_dir)
		open_pcaps(r);
	converge_attach(net);
	if (r->o.timeline_svg)
		tlsvg_init(&r->svg, net);
	ev_log(net, NULL, "Network initialized: %zu devices, %zu links", net->nnodes, net->nlinks);
	net_start(net);
	if (dist_on())
		dist_started(); /* from now on, each device's rank alone runs it */
	schedule(r, AT_TIME, 0);
	converge_check(net);
}

void
runner_advance(struct runner *r, sim_time until, sim_time limit)
{
	struct network *net = r->net;
	struct sim *s = &net->sim;

	converge_check(net);
	if (until != SIM_NEVER) {
		/* sim_run_until, with the progress line between steps. */
		while (sim_step(s, until)) {
			progress_step(&r->prog, net);
			if (r->o.timeline_svg)
				tlsvg_step(&r->svg);
		}
		if (s->now < until)
			s->now = until;
		return;
	}
	/*
	 * Until converged with the script done, or the limit: then the clock
	 * stops exactly at it (as with --until), not at the last event before.
	 */
	while (!(r->pending == 0 && r->extra_pending == 0 && net->converged)) {
		if (s->now < limit && sim_step(s, limit)) {
			progress_step(&r->prog, net);
			if (r->o.timeline_svg)
				tlsvg_step(&r->svg);
			continue;
		}
		if (s->now < limit && sim_next_time(s) == SIM_NEVER)
			break; /* nothing is left to happen */
		if (s->now < limit)
			s->now = limit;
		if (r->o.json)
			json_event(r, s->now, "limit", "simulation limit reached");
		else {
			progress_clear(&r->prog);
			fprintf(r->out, "[t=%s] Simulation limit reached\n", sim_time_str(s->now));
		}
		break;
	}
}

/* `at: converged` entries that never ran: the network did not converge in time. */
static size_t
never_ran(const struct runner *r)
{
	size_t n = 0;

	if (r->first_converged)
		return 0;
	for (size_t i = 0; i < r->topo->nscript; i++)
		n += r->topo->script[i].at.kind == AT_CONVERGED;
	return n;
}

int
runner_finish(struct runner *r)
{
	summary(r, wall_ns() - r->wall_start);
	dist_stats_report(r->net->sim.ticks, (double)(wall_ns() - r->wall_start) / 1e9);
	if (r->o.timeline_svg) {
		struct strbuf err = STRBUF_INIT;

		if (tlsvg_write(&r->svg, r->o.timeline_svg, &err) < 0) {
			fputs(sb_str(&err), stderr);
			sb_free(&err);
			return RUNNER_NO_SVG;
		}
		sb_free(&err);
	}
	if (r->failures)
		return RUNNER_FAILED;
	return never_ran(r) ? RUNNER_NOT_CONVERGED : 0;
}

int
runner_run(struct runner *r)
{
	runner_start(r);
	runner_advance(r, r->o.until, r->o.limit);
	return runner_finish(r);
}

/* The network outlives the runner (topo_free follows): what its teardown posts reaches nobody. */
void
runner_free(struct runner *r)
{
	if (r->items != NULL) {
		ev_unsubscribe(r->net, r->sub_timeline);
		if (r->sub_named >= 0)
			ev_unsubscribe(r->net, r->sub_named);
	}
	for (size_t i = 0; i < r->topo->nscript; i++)
		if (timer_pending(&r->items[i].t))
			theap_remove(r->items[i].t.in, &r->items[i].t);
	tlsvg_free(&r->svg);
	free(r->items);
	free(r->ev_done);
	sb_free(&r->events);
	sb_free(&r->outputs);
}
