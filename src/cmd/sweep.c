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
#include "../net/flow.h"
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
	    "  --links all|LIST  the links to fail: all (default unless another kind is given), or a\n"
	    "                    comma-separated list of link names (r1:eth0--r2:eth1) or\n"
	    "                    device pairs (r1:r2)\n"
	    "  --double          every pair of those links (and of --nodes), failed at once, instead\n"
	    "  --nodes all|LIST  also crash each router (all, or a comma-separated list); flows\n"
	    "                    from or to it are left out\n"
	    "  --srlg LIST       also fail these links together (a shared risk: a duct, a card);\n"
	    "                    repeatable\n"
	    "  --interfaces all|LIST  also shut down each interface (DEVICE:IFNAME, comma-separated;\n"
	    "                    all: every router interface on a link)\n"
	    "  --flap LIST       also flap each of these links: down, then up --lasts later\n"
	    "  --loss LIST       also make each of these links lose --loss-pct of its frames\n"
	    "                    (both ways) for --lasts\n"
	    "  --loss-pct PCT    the loss of --loss, in percent (default 10)\n"
	    "  --lasts TIME      how long a flap keeps its link down, or a loss lasts (default 1s)\n"
	    "  --flows hosts|loopbacks|routers|FILE  between every pair of hosts, of routers'\n"
	    "                    loopback addresses, or of routers (their router ID); by\n"
	    "                    default hosts if there are two, else loopbacks, else routers;\n"
	    "                    or those a YAML file lists: [{from: h1, to: 10.0.3.10}, ...]\n"
	    "  --interval TIME   between a flow's probes (default 1ms, at least 1us)\n"
	    "  --margin TIME     run this long after convergence before the flows stop (200ms)\n"
	    "  --settle TIME     run this long after the first convergence before the flows\n"
	    "                    start (10s: longer than OSPF's MinLSInterval)\n"
	    "  --lfa             also the loop-free alternate coverage of the converged network\n"
	    "                    for the flows' destinations (RFC 5286: per router, those ECMP\n"
	    "                    or an LFA protect), and whether each failure moved routes onto them\n"
	    "  --max-outage MS   fail (exit 1) if a flow is down longer than MS milliseconds\n"
	    "  --no-loops        fail (exit 1) if a failure makes a transient loop\n"
	    "  --json            the report as JSON\n"
	    "  --svg             instead of the table, an SVG timeline of every failure, worst\n"
	    "                    first, one under the other: flows up and down, loops, FIB changes\n"
	    "  --seed N          seed of the runs' random numbers\n"
	    "  --threads N       run routers on N threads (the result is the same for any N)\n"
	    "exit status: 0 done, 1 an assertion failed, 2 usage or a topology that does not load\n");
}

/*
 * --flows FILE: the flows a file lists, read and, with net (a YAML
 * topology's), resolved on it; else every error, file:line:col.
 */
static bool
flows_file_reads(const char *file, struct network *net)
{
	struct cfg_doc *doc = cfg_load_yaml(file);
	struct flow_pair *v;
	size_t n;
	bool ok;

	if (!(ok = flow_pairs_read(net, doc, &v, &n)))
		fputs(sb_str(&doc->errors), stderr);
	free(v);
	cfg_doc_free(doc);
	return ok;
}

/*
 * A YAML topology that does not load, or a file of flows (flows: NULL when
 * none) whose entries it cannot resolve, is reported here, as file:line:col,
 * with status 2. A Lua topology's flows are resolved when the sweep loads it.
 */
static int
topology_loads(const char *file, const char *flows)
{
	struct strbuf err = STRBUF_INIT;
	size_t n = strlen(file);
	struct topo *t;
	bool ok;

	if (access(file, R_OK) != 0) {
		fprintf(stderr, "netsim sweep: cannot read %s\n", file);
		return -1;
	}
	if (n > 4 && strcmp(file + n - 4, ".lua") == 0)
		return flows == NULL || flows_file_reads(flows, NULL) ? 0 : -1;
	t = topo_load_yaml(file, NULL, &err);
	if (t == NULL) {
		fputs(sb_str(&err), stderr);
		sb_free(&err);
		return -1;
	}
	ok = flows == NULL || flows_file_reads(flows, t->net);
	topo_free(t);
	sb_free(&err);
	return ok ? 0 : -1;
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
	    {"svg", no_argument, NULL, 'V'}, {"interfaces", required_argument, NULL, 'I'},
	    {"flap", required_argument, NULL, 'P'}, {"lasts", required_argument, NULL, 'W'},
	    {"loss", required_argument, NULL, 'O'}, {"loss-pct", required_argument, NULL, 'C'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	struct script_opts so = {.mode = SCRIPT_RUN, .cwd_files = true, .quiet = true};
	char *args[32];
	const char *flows_file = NULL;
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
				if (access(optarg, R_OK) != 0) {
					fprintf(stderr, "netsim sweep: --flows is hosts, loopbacks, routers or a "
					    "file of flows, not '%s'\n", optarg);
					goto bad;
				}
				flows_file = optarg;
			}
			args[nargs++] = xasprintf("flows=%s", optarg);
			break;
		case 'i':
		case 'm':
		case 'S':
		case 'W': {
			sim_time v = sim_time_parse(optarg);

			if (v < (c == 'i' || c == 'W' ? SIM_US : 0)) {
				fprintf(stderr, "netsim sweep: bad time '%s'\n", optarg);
				goto bad;
			}
			args[nargs++] = xasprintf("%s=%s", c == 'i' ? "interval" : c == 'm' ? "margin" :
			    c == 'W' ? "lasts" : "settle", optarg);
			break;
		}
		case 'I':
			args[nargs++] = xasprintf("interfaces=%s", optarg);
			break;
		case 'P':
			args[nargs++] = xasprintf("flap=%s", optarg);
			break;
		case 'O':
			args[nargs++] = xasprintf("loss=%s", optarg);
			break;
		case 'C': {
			double v = strtod(optarg, &end);

			if (end == optarg || (*end != '\0' && strcmp(end, "%") != 0) || !(v > 0 && v <= 100)) {
				fprintf(stderr, "netsim sweep: bad --loss-pct '%s' (above 0, at most 100)\n", optarg);
				goto bad;
			}
			args[nargs++] = xasprintf("loss_pct=%g", v);
			break;
		}
		case 'M':
			if (strtod(optarg, &end) < 0 || *end != '\0' || end == optarg) {
				fprintf(stderr, "netsim sweep: bad --max-outage '%s' (milliseconds)\n", optarg);
				goto bad;
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
				goto bad;
			break;
		case 'n':
			if (!cmd_set_threads("sweep", optarg))
				goto bad;
			break;
		case 'h':
			sweep_usage(stdout);
			rc = 0;
			goto out;
		default:
			sweep_usage(stderr);
			goto bad;
		}
		if (nargs == (int)ARRAY_LEN(args)) {
			sweep_usage(stderr);
			goto bad;
		}
	}
	if (optind != argc - 1) {
		sweep_usage(stderr);
		goto bad;
	}
	if (topology_loads(argv[optind], flows_file) < 0)
		goto bad;
	args[0] = xstrdup(argv[optind]);
	so.argc = nargs;
	so.argv = args;
	proto_init_all();
	cli_setup();
	sc = script_new(&so);
	rc = script_run_module(sc, "netsim.sweep", argv[optind]);
	script_free(sc);
	goto out;
bad: /* usage, or a topology that does not load */
	rc = 2;
out:
	for (int i = 0; i < nargs; i++)
		free(args[i]);
	return rc;
}
