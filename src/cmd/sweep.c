/*
 * sweep.c: `netsim sweep FILE`: every single link failure of a topology, each
 * from the same converged state, with probe flows measuring what the data
 * plane lost (docs/experiments.md). The sweep itself is Lua
 * (lua/netsim/experiment.lua, experiment.sweep; lua/netsim/sweep.lua is its
 * command line): this file checks the options and hands them over.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cli/cli.h"
#include "../lib/util.h"
#include "../proto/proto.h"
#include "../script/script.h"
#include "../topo/topo.h"
#include "cmd.h"

static void
sweep_usage(FILE *f)
{
	fprintf(f,
	    "usage: netsim sweep [options] TOPOLOGY.yaml|TOPOLOGY.lua\n"
	    "  Fails every link in turn (each run from the start: the same converged state),\n"
	    "  with probe flows through the data plane, and prints per failure the worst\n"
	    "  outage, probes lost, looped and black-holed, the loops the FIB walks found,\n"
	    "  the control plane's convergence time and the routes changed, worst first.\n"
	    "  --links all|LIST  the links to fail: all (default unless --nodes or --srlg), or a\n"
	    "                    comma-separated list of link names (r1:eth0--r2:eth1) or\n"
	    "                    device pairs (r1:r2)\n"
	    "  --double          every pair of those links, failed at once, instead\n"
	    "  --nodes all|LIST  also crash each router (all, or a comma-separated list); flows\n"
	    "                    from or to it are left out\n"
	    "  --srlg LIST       also fail these links together (a shared risk: a duct, a card);\n"
	    "                    repeatable\n"
	    "  --flows hosts|loopbacks|routers  between every pair of hosts, of routers'\n"
	    "                    loopback addresses, or of routers (their router ID); by\n"
	    "                    default hosts if there are two, else loopbacks, else routers\n"
	    "  --interval TIME   between a flow's probes (default 1ms, at least 1us)\n"
	    "  --margin TIME     run this long after convergence before the flows stop (200ms)\n"
	    "  --settle TIME     run this long after the first convergence before the flows\n"
	    "                    start (10s: longer than OSPF's MinLSInterval)\n"
	    "  --lfa             also the loop-free alternate coverage of the converged network\n"
	    "                    (RFC 5286: per router, the destinations ECMP or an LFA protect)\n"
	    "  --max-outage MS   fail (exit 1) if a flow is down longer than MS milliseconds\n"
	    "  --no-loops        fail (exit 1) if a failure makes a transient loop\n"
	    "  --json            the report as JSON\n"
	    "  --svg             instead of the table, an SVG timeline of the worst failure (pick\n"
	    "                    it with --links): flows up and down, loops, FIB changes\n"
	    "  --seed N          seed of the runs' random numbers\n"
	    "  --threads N       run routers on N threads (the result is the same for any N)\n"
	    "exit status: 0 done, 1 an assertion failed, 2 usage or a topology that does not load\n");
}

/* A YAML topology that does not load is reported here, as file:line:col, with status 2. */
static int
topology_loads(const char *file)
{
	struct strbuf err = STRBUF_INIT;
	size_t n = strlen(file);
	struct topo *t;

	if (access(file, R_OK) != 0) {
		fprintf(stderr, "netsim sweep: cannot read %s\n", file);
		return -1;
	}
	if (n > 4 && strcmp(file + n - 4, ".lua") == 0)
		return 0;
	t = topo_load_yaml(file, NULL, &err);
	if (t == NULL) {
		fputs(sb_str(&err), stderr);
		sb_free(&err);
		return -1;
	}
	topo_free(t);
	sb_free(&err);
	return 0;
}

int
cmd_sweep(int argc, char **argv)
{
	static const struct option lopts[] = {{"links", required_argument, NULL, 'L'},
	    {"flows", required_argument, NULL, 'F'}, {"interval", required_argument, NULL, 'i'},
	    {"margin", required_argument, NULL, 'm'}, {"settle", required_argument, NULL, 'S'}, {"max-outage", required_argument, NULL, 'M'},
	    {"no-loops", no_argument, NULL, 'N'}, {"json", no_argument, NULL, 'j'},
	    {"seed", required_argument, NULL, 's'}, {"threads", required_argument, NULL, 'n'},
	    {"nodes", required_argument, NULL, 'D'}, {"double", no_argument, NULL, '2'},
	    {"srlg", required_argument, NULL, 'G'}, {"lfa", no_argument, NULL, 'A'},
	    {"svg", no_argument, NULL, 'V'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	struct script_opts so = {.mode = SCRIPT_RUN, .cwd_files = true, .quiet = true};
	char *args[32];
	int nargs = 0, c, rc;
	struct script *sc;
	char *end;

	optind = 1;
	args[nargs++] = NULL; /* the topology, below */
	while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		switch (c) {
		case 'L':
			args[nargs++] = xasprintf("links=%s", optarg);
			break;
		case 'F':
			if (strcmp(optarg, "hosts") != 0 && strcmp(optarg, "loopbacks") != 0 &&
			    strcmp(optarg, "routers") != 0) {
				fprintf(stderr, "netsim sweep: --flows is hosts, loopbacks or routers, not '%s'\n",
				    optarg);
				return 2;
			}
			args[nargs++] = xasprintf("flows=%s", optarg);
			break;
		case 'i':
		case 'm':
		case 'S': {
			sim_time v = sim_time_parse(optarg);

			if (v < (c == 'i' ? SIM_US : 0)) {
				fprintf(stderr, "netsim sweep: bad time '%s'\n", optarg);
				return 2;
			}
			args[nargs++] = xasprintf("%s=%s", c == 'i' ? "interval" : c == 'm' ? "margin" :
			    "settle", optarg);
			break;
		}
		case 'M':
			if (strtod(optarg, &end) < 0 || *end != '\0' || end == optarg) {
				fprintf(stderr, "netsim sweep: bad --max-outage '%s' (milliseconds)\n", optarg);
				return 2;
			}
			args[nargs++] = xasprintf("max_outage=%s", optarg);
			break;
		case 'N':
			args[nargs++] = xstrdup("no_loops=1");
			break;
		case 'D':
			args[nargs++] = xasprintf("nodes=%s", optarg);
			break;
		case '2':
			args[nargs++] = xstrdup("double=1");
			break;
		case 'A':
			args[nargs++] = xstrdup("lfa=1");
			break;
		case 'V':
			args[nargs++] = xstrdup("svg=1");
			break;
		case 'G':
			args[nargs++] = xasprintf("srlg=%s", optarg);
			break;
		case 'j':
			so.json = true;
			break;
		case 's':
			if (!cmd_set_seed("sweep", optarg, &so.seed, &so.seed_set))
				return 2;
			break;
		case 'n':
			if (!cmd_set_threads("sweep", optarg))
				return 2;
			break;
		case 'h':
			sweep_usage(stdout);
			return 0;
		default:
			sweep_usage(stderr);
			return 2;
		}
		if (nargs == (int)ARRAY_LEN(args)) {
			sweep_usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		sweep_usage(stderr);
		return 2;
	}
	if (topology_loads(argv[optind]) < 0)
		return 2;
	args[0] = xstrdup(argv[optind]);
	so.argc = nargs;
	so.argv = args;
	proto_init_all();
	cli_setup();
	sc = script_new(&so);
	rc = script_run_module(sc, "netsim.sweep", argv[optind]);
	script_free(sc);
	for (int i = 0; i < nargs; i++)
		free(args[i]);
	return rc;
}
