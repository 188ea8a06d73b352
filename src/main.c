/*
 * netsim: a deterministic packet-level network simulator.
 * main.c parses the subcommand and dispatches; everything else lives in src/cmd/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef NETSIM_MIMALLOC
#include <mimalloc.h>
#endif

#include "cmd/cmd.h"
#include "sim/dist.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} subcommands[] = {
	{"run", cmd_run, "run a topology or a Lua scenario: netsim run FILE.yaml|FILE.lua"},
	{"sweep", cmd_sweep, "every single link failure with probe flows: outages, loops (docs/experiments.md)"},
	{"validate", cmd_validate, "check topologies without running them"},
	{"decode", cmd_decode, "decode pcap/pcapng files with netsim's codecs"},
	{"console", cmd_console, "interactive console (device CLI and Lua): netsim console FILE"},
	{"test", cmd_test, "run every Lua scenario of a directory: netsim test DIR"},
	{"daemon", cmd_daemon, "run a simulation in the background: daemon start|stop|status|list"},
	{"exec", cmd_exec, "one command on a daemon's device: netsim exec NAME DEVICE CMD"},
	{"attach", cmd_attach, "an interactive console on a daemon's device"},
	{"mcp", cmd_mcp, "a Model Context Protocol server on stdio, for agents (docs/mcp.md)"},
	{"verify", cmd_verify, "run a topology to convergence and check intents (docs/verify.md)"},
	{"diff", cmd_diff, "the routes and adjacencies that differ between two running networks"},
	{"gen", cmd_gen, "generate a topology: gen grid RxC | ring N | full-mesh N | clos S L | random N"},
	{"import", cmd_import, "a topology from a map: import zoo FILE.gml|.graphml | rocketfuel FILE"},
	{"graph", cmd_graph, "draw a topology: netsim graph FILE [--format dot|mermaid|svg]"},
};

static void
usage(FILE *f)
{
	fprintf(f, "netsim %s: a deterministic packet-level network simulator\n\nusage:\n",
	    NETSIM_VERSION);
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  netsim %-9s %s\n", subcommands[i].name, subcommands[i].help);
	fprintf(f, "\nnetsim SUBCOMMAND --help for its options; docs/ for the manual.\n");
}

int
main(int argc, char **argv)
{
#ifdef NETSIM_MIMALLOC
	/*
	 * A large network's tables take hundreds of megabytes, touched once each:
	 * transparent huge pages spare most of the page faults (a sixth of a
	 * full-table run's time, docs/performance.md), and memory freed during
	 * convergence is kept for the next tables rather than given back to
	 * the system and faulted in (and zeroed) again: a seventh of the
	 * 100-router route-reflector run. MIMALLOC_LARGE_OS_PAGES=0 and
	 * MIMALLOC_ALLOW_DECOMMIT=1 restore mimalloc's defaults.
	 */
	if (getenv("MIMALLOC_LARGE_OS_PAGES") == NULL)
		mi_option_enable(mi_option_large_os_pages);
	if (getenv("MIMALLOC_ALLOW_DECOMMIT") == NULL)
		mi_option_disable(mi_option_allow_decommit);
#endif
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("netsim %s (MPI: %s)\n", NETSIM_VERSION,
		    dist_built() ? "built in, for mpirun -np N netsim run" : "not built in");
		return 0;
	}
	/* Under mpirun: only `netsim run` of a YAML topology is distributed (docs/distributed.md). */
	if (dist_launcher_size() > 1 && strcmp(argv[1], "run") != 0) {
		fprintf(stderr, "netsim %s: not distributed; under mpirun only 'netsim run TOPOLOGY.yaml' "
		    "runs (docs/distributed.md)\n", argv[1]);
		return 2;
	}
	if (dist_init() < 0)
		return 2;
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0) {
			int rc = subcommands[i].fn(argc - 1, argv + 1);

			dist_finish();
			return rc;
		}
	fprintf(stderr, "netsim: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
