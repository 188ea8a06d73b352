/* run.c: `netsim run FILE` and `netsim validate FILE`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cli/cli.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include "../net/dist_net.h"
#include "../proto/proto.h"
#include "../script/script.h"
#include "../sim/dist.h"
#include "../topo/topo.h"
#include "cmd.h"
#include "../topo/runner.h"

/*
 * Free every object at exit? A network of a million routes holds tens of
 * millions of small objects, and freeing them one by one took a third of a
 * large run's wall time (docs/performance.md), so `netsim run` leaves that to
 * the process's exit, once its output files are closed. Builds with
 * sanitizers (whose leak check needs it) and NETSIM_TEARDOWN=1 (for valgrind)
 * free everything.
 */
static bool
teardown_at_exit(void)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
	return true;
#endif
#endif
	return getenv("NETSIM_TEARDOWN") != NULL && strcmp(getenv("NETSIM_TEARDOWN"), "0") != 0;
}

static void
run_usage(FILE *f)
{
	fprintf(f,
	    "usage: netsim run [options] TOPOLOGY.yaml\n"
	    "       netsim run [options] SCENARIO.lua [-- ARGS...]   (ARGS: netsim.args in Lua)\n"
	    "  --seed N         seed of the run's random numbers (default: the topology's, or 1)\n"
	    "  --until TIME     run exactly until TIME (500ms, 2s, 5m), then stop\n"
	    "  --limit TIME     stop waiting for convergence at TIME (default 1h)\n"
	    "  --pcap DIR       write one pcap per link into DIR\n"
	    "  --timeline-svg FILE  draw the run's timeline into FILE (SVG): each device's\n"
	    "                   activity over time, its events, convergence\n"
	    "  --json           print a JSON report instead of the timeline (Lua: netsim.args.json)\n"
	    "  --timeline       Lua scenarios: print the timeline and summary of each network\n"
	    "  --unsafe-lua     your own trusted Lua: the io library, os.execute, getenv...,\n"
	    "                   and files anywhere (docs/security.md)\n"
	    "  -q, --quiet      only script output and the summary\n"
	    "                   (on a terminal, without -q/--json, a long run shows its progress\n"
	    "                   on stderr: simulated time, events/s, devices converged)\n"
	    "  -v, --verbose    trace engine and protocol internals to stderr\n"
	    "  --trace FLAG     trace one subsystem (repeatable): all, or one of\n"
	    "                  ");
	/* The flags' names come from log.c's table: the core's, then each protocol's. */
	for (int i = 0; trace_flag_name(i) != NULL; i++)
		fprintf(f, " %s", trace_flag_name(i));
	fprintf(f,
	    "\n"
	    "  --threads N      run routers on N threads (default: one per processor, at most %d,\n"
	    "                   or NETSIM_THREADS); the output is the same for any N\n"
	    "exit status:\n"
	    "  0  the run ended and every script command did what it expected\n"
	    "  1  a script command failed (or, with expect: fail, succeeded); a Lua scenario's\n"
	    "     check failed\n"
	    "  2  usage, or a topology or scenario that does not load (or --timeline-svg's\n"
	    "     file could not be written)\n"
	    "  3  stopped (--until, --limit) before the network converged, with script entries\n"
	    "     at 'converged' that never ran\n",
	    SIM_MAX_THREADS);
}

/* A number (decimal, 0x hex), no sign. */
static bool
parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s == '\0' || *s == '-')
		return false;
	v = strtoull(s, &end, 0);
	if (*end != '\0')
		return false;
	*out = v;
	return true;
}

bool
cmd_set_seed(const char *cmd, const char *arg, uint64_t *seed, bool *set)
{
	if (!parse_u64(arg, seed)) {
		fprintf(stderr, "netsim %s: bad --seed '%s'\n", cmd, arg);
		return false;
	}
	*set = true;
	return true;
}

bool
cmd_set_threads(const char *cmd, const char *arg)
{
	uint64_t n;

	if (!parse_u64(arg, &n) || n < 1 || n > SIM_MAX_THREADS) {
		fprintf(stderr, "netsim %s: bad --threads '%s' (1 to %d)\n", cmd, arg, SIM_MAX_THREADS);
		return false;
	}
	sim_set_threads((unsigned)n);
	return true;
}

static bool
is_lua(const char *path)
{
	size_t n = strlen(path);

	return n > 4 && strcmp(path + n - 4, ".lua") == 0;
}

static bool
topo_has_lua(const struct topo *t)
{
	if (t->lua_file != NULL || t->nhooks > 0)
		return true;
	for (size_t i = 0; i < t->nscript; i++)
		if (t->script[i].lua != NULL)
			return true;
	return false;
}

/*
 * What a distributed run does not do yet (docs/distributed.md): script
 * entries runner_entry_dist refuses. Prints why and returns false.
 */
static bool
dist_supported(const char *file, const struct topo *t)
{
	const struct script_item *si = runner_dist_refused(t);

	if (si != NULL) {
		fprintf(stderr, "%s:%d: under mpirun a script entry may only be a device's command, "
		    "link up|down, converge, verify or Lua, not '%s' (docs/distributed.md)\n", file, si->line,
		    si->command);
		return false;
	}
	return true;
}

int
cmd_run(int argc, char **argv)
{
	static const struct option lopts[] = {
	    {"seed", required_argument, NULL, 's'}, {"until", required_argument, NULL, 'u'},
	    {"limit", required_argument, NULL, 'l'}, {"pcap", required_argument, NULL, 'p'},
	    {"json", no_argument, NULL, 'j'}, {"quiet", no_argument, NULL, 'q'},
	    {"verbose", no_argument, NULL, 'v'}, {"trace", required_argument, NULL, 't'},
	    {"timeline", no_argument, NULL, 'T'}, {"help", no_argument, NULL, 'h'},
	    {"threads", required_argument, NULL, 'n'}, {"unsafe-lua", no_argument, NULL, 'U'},
	    {"timeline-svg", required_argument, NULL, 'S'},
	    {NULL, 0, NULL, 0}};
	struct runner_opts ro = {.until = SIM_NEVER};
	bool timeline = false, unsafe = false;
	struct script *sc = NULL;
	struct topo_opts to = {0};
	struct strbuf err = STRBUF_INIT;
	struct topo *t;
	struct runner r;
	int c, rc;

	proto_init_all(); /* protocols name their trace flags */
	optind = 1;
	while ((c = getopt_long(argc, argv, "qvh", lopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!cmd_set_seed("run", optarg, &to.seed, &to.seed_set))
				return 2;
			break;
		case 'u':
		case 'l': {
			sim_time v = sim_time_parse(optarg);

			if (v < 0) {
				fprintf(stderr, "netsim run: bad time '%s'\n", optarg);
				return 2;
			}
			if (c == 'u')
				ro.until = v;
			else
				ro.limit = v;
			break;
		}
		case 'p':
			ro.pcap_dir = optarg;
			break;
		case 'S':
			ro.timeline_svg = optarg;
			break;
		case 'n':
			if (!cmd_set_threads("run", optarg))
				return 2;
			break;
		case 'j':
			ro.json = true;
			break;
		case 'q':
			ro.quiet = true;
			break;
		case 'T':
			timeline = true;
			break;
		case 'U':
			unsafe = true;
			break;
		case 'v':
			trace_flags |= TR_ENGINE | TR_RIB;
			break;
		case 't': {
			unsigned f = trace_flag_parse(optarg);

			if (f == 0) {
				fprintf(stderr, "netsim run: unknown trace flag '%s' (netsim run --help lists them)\n",
				        optarg);
				return 2;
			}
			trace_flags |= f;
			break;
		}
		case 'h':
			run_usage(stdout);
			return 0;
		default:
			run_usage(stderr);
			return 2;
		}
	}
	if (optind < argc && is_lua(argv[optind])) {
		/* A Lua scenario (src/script/): it drives the run itself. */
		struct script_opts so = {.mode = SCRIPT_RUN, .seed = to.seed, .seed_set = to.seed_set,
		    .timeline = timeline, .json = ro.json, .quiet = ro.quiet, .unsafe_lua = unsafe,
		    .cwd_files = true, .argc = argc - optind - 1, .argv = argv + optind + 1};

		cli_setup();
		sc = script_new(&so);
		rc = script_run_file(sc, argv[optind]);
		script_free(sc);
		return rc;
	}
	if (optind != argc - 1) {
		run_usage(stderr);
		return 2;
	}
	/* The progress line only on a terminal, and never mixed with JSON or traces. */
	ro.progress = isatty(STDERR_FILENO) && !ro.json && !ro.quiet && trace_flags == 0;
	cli_setup();
	t = topo_load_yaml(argv[optind], &to, &err);
	if (t == NULL) {
		fputs(sb_str(&err), stderr);
		sb_free(&err);
		return 2;
	}
	if (dist_on()) {
		ro.progress = false;
		dist_net_setup(t->net);
	}
	runner_init(&r, t, &ro, stdout);
	if (topo_has_lua(t)) {
		/* lua:, hooks: or `script: - lua:` entries: a script state bound to this run. */
		struct script_opts so = {.mode = SCRIPT_RUN, .seed = to.seed, .seed_set = to.seed_set,
		    .json = ro.json, .quiet = ro.quiet, .unsafe_lua = unsafe};

		sc = script_new(&so);
		if (script_attach(sc, &r, &err) < 0) {
			fputs(sb_str(&err), stderr);
			script_free(sc);
			runner_free(&r);
			topo_free(t);
			sb_free(&err);
			return 2;
		}
	}
	/* (after the topology's Lua, which may define commands its entries run) */
	if (dist_on() && !dist_supported(argv[optind], t)) {
		script_free(sc);
		runner_free(&r);
		topo_free(t);
		return 2;
	}
	rc = runner_run(&r);
	if (sc != NULL) {
		if (script_failures(sc) > 0)
			rc = 1;
		script_free(sc);
	}
	if (!teardown_at_exit()) {
		/* The files are complete; the memory goes back with the process. */
		net_close_pcaps(t->net);
		fflush(stdout);
		return rc;
	}
	runner_free(&r);
	topo_free(t);
	sb_free(&err);
	return rc;
}

/* What the file's Lua is and what it may do (docs/security.md). */
static void
print_lua(const char *file, const struct topo *t)
{
	size_t entries = 0;

	for (size_t i = 0; i < t->nscript; i++)
		entries += t->script[i].lua != NULL;
	if (!topo_has_lua(t)) {
		printf("%s: no Lua\n", file);
		return;
	}
	printf("%s: Lua in", file);
	if (t->nhooks > 0) {
		printf(" hooks (");
		for (size_t i = 0; i < t->nhooks; i++)
			printf("%s%s", i ? ", " : "", t->hook_names[i]);
		printf(")");
	}
	if (t->lua_file != NULL)
		printf("%s lua: %s", t->nhooks ? "," : "", t->lua_file);
	if (entries > 0)
		printf("%s %zu script entr%s", t->nhooks || t->lua_file ? "," : "", entries,
		    entries == 1 ? "y" : "ies");
	printf("\n%s: the Lua runs sandboxed: no io, no os.execute/getenv/remove, no debug, "
	    "no C modules, text chunks only; it reads files only under %s; memory, "
	    "instructions per call and pattern steps are capped (docs/security.md)\n", file, t->dir ? t->dir : ".");
}

static void
validate_usage(FILE *f)
{
	fprintf(f,
	    "usage: netsim validate FILE.yaml|FILE.lua...\n"
	    "  Checks topologies without running them: a YAML topology against the schema\n"
	    "  (errors as file:line:col), a Lua topology or scenario through the Lua loader\n"
	    "  (sandboxed, as the console loads it: no simulated time passes), up to its\n"
	    "  first net:run() (a scenario's checks need the run).\n"
	    "  Prints one line per good file: its devices, links and script entries, and\n"
	    "  what its Lua may do.\n"
	    "exit status: 0 every file is good, 2 some file is not (its errors on stderr)\n");
}

/*
 * A .lua file through the Lua loader, as `netsim console FILE.lua` loads it
 * (sandboxed, live mode: no time passes), up to its first net:run(): a
 * topology file runs whole, a scenario up to the network it then runs (its
 * checks need the run). Syntax errors, bad arguments to the topology API and
 * runtime errors of the file's own code are reported as file:line.
 */
static int
validate_lua(const char *file)
{
	struct script_opts so = {.mode = SCRIPT_LIVE, .cwd_files = true, .validate = true};
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	struct script *sc;
	struct network *net;
	size_t nodes, links;
	int rc = 0;

	cli_setup();
	sc = script_new(&so);
	net = script_load(sc, file, &err);
	script_take_output(sc, &out);
	if (script_validate_stopped(sc, &nodes, &links)) {
		printf("%s: ok (Lua: %zu devices, %zu links when it first runs the network)\n", file,
		    nodes, links);
	} else if (err.len > 0) {
		fprintf(stderr, "%s%s", sb_str(&err), err.s[err.len - 1] == '\n' ? "" : "\n");
		rc = 2;
	} else if (net != NULL) {
		printf("%s: ok (Lua: %zu devices, %zu links)\n", file, net->nnodes, net->nlinks);
	} else {
		printf("%s: ok (Lua, no network built at load time)\n", file);
	}
	script_free(sc);
	sb_free(&err);
	sb_free(&out);
	return rc;
}

int
cmd_validate(int argc, char **argv)
{
	int rc = 0;

	if (argc < 2) {
		validate_usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		validate_usage(stdout);
		return 0;
	}
	proto_init_all();
	for (int i = 1; i < argc; i++) {
		struct strbuf err = STRBUF_INIT;
		struct topo *t;

		if (is_lua(argv[i])) {
			if (validate_lua(argv[i]) != 0)
				rc = 2;
			continue;
		}
		t = topo_load_yaml(argv[i], NULL, &err);

		if (t == NULL) {
			fputs(sb_str(&err), stderr);
			rc = 2;
		} else {
			printf("%s: ok (%zu devices, %zu links, %zu script entries)\n", argv[i],
			    t->net->nnodes, t->net->nlinks, t->nscript);
			print_lua(argv[i], t);
			topo_free(t);
		}
		sb_free(&err);
	}
	return rc;
}
