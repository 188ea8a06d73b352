/*
 * verify.c: `netsim verify TOPOLOGY INTENTS [--json]`: run a topology until
 * it has converged, check intents on it (verify/intent.h, docs/verify.md),
 * and say so in the exit status, for CI: 0 every intent holds, 1 one fails,
 * 2 one is inconclusive (the network did not converge, an unknown device) or
 * the command was misused (a bad intents file: file:line:col).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cli/cli.h"
#include "../lib/util.h"
#include "../proto/proto.h"
#include "../script/script.h"
#include "../verify/intent.h"
#include "cmd.h"

static void
verify_usage(FILE *f)
{
	fprintf(f,
	    "usage: netsim verify [options] TOPOLOGY INTENTS.yaml\n"
	    "  --json           the report as JSON (docs/verify.md)\n"
	    "  --seed N         the run's seed (default: the topology's)\n"
	    "  --limit TIME     give up waiting for convergence after TIME (default 1h):\n"
	    "                   every intent is then inconclusive\n"
	    "  --script         run the topology's script: entries first (left out by default)\n"
	    "exit status: 0 all hold, 1 one failed, 2 one inconclusive, or a usage error\n");
}

int
cmd_verify(int argc, char **argv)
{
	static const struct option lopts[] = {{"json", no_argument, NULL, 'j'},
	    {"seed", required_argument, NULL, 's'}, {"limit", required_argument, NULL, 'l'},
	    {"script", no_argument, NULL, 'S'}, {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	struct script_opts so = {.mode = SCRIPT_LIVE, .no_topo_script = true};
	struct strbuf err = STRBUF_INIT, rep = STRBUF_INIT, out = STRBUF_INIT;
	sim_time limit = 3600 * SIM_S;
	struct intent_tally t;
	struct intents in;
	struct script *s;
	struct json j;
	bool json = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 's': {
			char *end;

			so.seed = strtoull(optarg, &end, 0);
			if (*optarg == '\0' || *end != '\0' || *optarg == '-') {
				fprintf(stderr, "netsim verify: bad --seed '%s'\n", optarg);
				return 2;
			}
			so.seed_set = true;
			break;
		}
		case 'l':
			if ((limit = sim_time_parse(optarg)) < 0) {
				fprintf(stderr, "netsim verify: bad --limit '%s' (500ms, 2s, 5m)\n",
				    optarg);
				return 2;
			}
			break;
		case 'S':
			so.no_topo_script = false;
			break;
		case 'h':
			verify_usage(stdout);
			return 0;
		default:
			verify_usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 2) {
		verify_usage(stderr);
		return 2;
	}
	/* The intents first: a typo in them should not wait for a network to converge. */
	if (!intents_read(cfg_load_yaml(argv[optind + 1]), &in)) {
		fputs(sb_str(&in.doc->errors), stderr);
		intents_free(&in);
		return 2;
	}
	proto_init_all();
	cli_setup();
	s = script_new(&so);
	if (script_load(s, argv[optind], &err) == NULL) {
		fputs(sb_str(&err), stderr);
		sb_free(&err);
		script_free(s);
		intents_free(&in);
		return 2;
	}
	if (so.no_topo_script)
		script_converge(s, limit);
	else
		script_settle(s, limit);
	script_take_output(s, &out); /* the timeline: not what verify reports */
	json_init(&j, &rep, json);
	intents_check(script_network(s), &in, &j, &t);
	if (json) {
		printf("%s\n", sb_str(&rep));
	} else {
		char perr[128];
		struct jval *v = json_parse(rep.s, rep.len, perr, sizeof(perr));

		sb_reset(&out);
		intents_text(v, &out);
		fputs(sb_str(&out), stdout);
		jval_free(v);
	}
	intents_free(&in);
	script_free(s);
	sb_free(&out);
	sb_free(&rep);
	sb_free(&err);
	return t.fail > 0 ? 1 : t.inconclusive > 0 ? 2 : 0;
}
