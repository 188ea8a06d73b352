/*
 * gen.c: `netsim gen SHAPE ... [--igp IGP] [--bgp MODE] [--hosts N] [-o FILE]`,
 * a YAML topology of a regular or random shape on stdout (docs/topology.md,
 * "Generated topologies").
 *
 * Shapes only say who is linked to whom (src/topo/tgraph.h); addresses,
 * interface names and the IGP layout are tgraph's, shared with `netsim
 * import`. The same arguments always give the same bytes: the random shape
 * draws from netsim's own generator (lib/rng.h) seeded with --seed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/strbuf.h"
#include "../lib/util.h"
#include "../topo/tgraph.h"
#include "cmd.h"

#define MAX_ROUTERS   65534
#define MAX_FULL_MESH 2000 /* N (N - 1) / 2 links */

static void
usage(FILE *f)
{
	fputs("usage: netsim gen SHAPE [--igp IGP] [--ldp] [--bgp MODE [--prefixes N]] [--hosts N] [-o FILE]\n"
	      "  SHAPE: grid RxC | ring N | full-mesh N | clos SPINES LEAVES\n"
	      "         | random N --degree D --seed S\n"
	      "  --igp ospf (default) | ospf-areas K | isis | isis-levels K\n"
	      "  --bgp ebgp     every router its own AS (clos: the spines share one),\n"
	      "                 eBGP over every link (no IGP unless --igp is given)\n"
	      "  --bgp ibgp     one AS over the IGP, iBGP between loopbacks: a full mesh\n"
	      "                 up to 20 routers, else 2 route reflectors (ibgp-rr: always)\n"
	      "  --prefixes N   prefixes each router originates in BGP (default 1)\n"
	      "  --ldp          LDP on every IGP link (labels for every loopback)\n"
	      "  --hosts N   N hosts on a LAN behind every router (clos: every leaf)\n"
	      "  -o FILE     write the topology to FILE instead of stdout\n"
	      "       netsim gen bgp-feed --peers P --prefixes N --seed S ...: route feeders\n"
	      "                   and a router under test (netsim gen bgp-feed --help)\n",
	    f);
}

/* A whole number in [min, max] from s, or -1 with a message. */
static long
number(const char *s, const char *what, long min, long max)
{
	char *end;
	long v;

	if (s == NULL) {
		fprintf(stderr, "netsim gen: missing %s\n", what);
		return -1;
	}
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "netsim gen: %s must be a number from %ld to %ld, not '%s'\n",
		    what, min, max, s);
		return -1;
	}
	return v;
}

int
cmd_gen(int argc, char **argv)
{
	struct tg_opts o = {.igp = TG_OSPF, .areas = 1};
	struct tgraph g;
	struct strbuf desc = STRBUF_INIT;
	const char *out = NULL, *pos[3] = {NULL, NULL, NULL};
	long degree = -1, seed = -1, a = 0, b = 0;
	int npos = 0, status = 2;
	char err[256], name[96];

	if (argc > 1 && strcmp(argv[1], "bgp-feed") == 0)
		return cmd_gen_bgp_feed(argc - 1, argv + 1);
	sb_add(&desc, "netsim gen");
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];

		if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
			usage(stdout);
			sb_free(&desc);
			return 0;
		}
		if (strcmp(s, "-o") == 0 && i + 1 < argc) {
			out = argv[++i];
			continue;
		}
		sb_printf(&desc, " %s", s);
		if (strcmp(s, "--igp") == 0) {
			int from = i;

			if (!tg_parse_igp(argc, argv, &i, &o, err, sizeof(err))) {
				fprintf(stderr, "netsim gen: %s\n", err);
				goto done;
			}
			while (++from <= i)
				sb_printf(&desc, " %s", argv[from]);
		} else if (strcmp(s, "--bgp") == 0 || strcmp(s, "--prefixes") == 0) {
			if (!tg_parse_bgp(argc, argv, &i, &o, err, sizeof(err))) {
				fprintf(stderr, "netsim gen: %s\n", err);
				goto done;
			}
			sb_printf(&desc, " %s", argv[i]);
		} else if (strcmp(s, "--ldp") == 0) {
			o.ldp = true;
		} else if (strcmp(s, "--hosts") == 0 || strcmp(s, "--degree") == 0 ||
		    strcmp(s, "--seed") == 0) {
			long v = number(i + 1 < argc ? argv[i + 1] : NULL, s,
			    strcmp(s, "--seed") == 0 ? 0 : (s[2] == 'h' ? 0 : 1),
			    strcmp(s, "--seed") == 0 ? INT32_MAX : 250);

			if (v < 0)
				goto done;
			sb_printf(&desc, " %s", argv[++i]);
			if (s[2] == 'h')
				o.hosts = (int)v;
			else if (s[2] == 'd')
				degree = v;
			else
				seed = v;
		} else if (s[0] == '-' && s[1] != '\0') {
			fprintf(stderr, "netsim gen: unknown option %s\n", s);
			usage(stderr);
			goto done;
		} else if (npos < 3) {
			pos[npos++] = s;
		} else {
			fprintf(stderr, "netsim gen: unexpected argument '%s'\n", s);
			goto done;
		}
	}
	if (pos[0] == NULL) {
		usage(stderr);
		sb_free(&desc);
		return 2;
	}
	if (!tg_opts_check(&o, err, sizeof(err))) {
		fprintf(stderr, "netsim gen: %s\n", err);
		goto done;
	}
	if (strcmp(pos[0], "grid") == 0) {
		char *x;

		if (pos[1] == NULL || (x = strchr(pos[1], 'x')) == NULL) {
			fprintf(stderr, "netsim gen: grid needs ROWSxCOLUMNS, e.g. grid 3x4\n");
			goto done;
		}
		*x = '\0';
		a = number(pos[1], "grid rows", 1, MAX_ROUTERS);
		b = a < 0 ? -1 : number(x + 1, "grid columns", 1, MAX_ROUTERS);
		*x = 'x';
		if (b < 0)
			goto done;
		if (a * b > MAX_ROUTERS) {
			fprintf(stderr, "netsim gen: at most %d routers\n", MAX_ROUTERS);
			goto done;
		}
		snprintf(name, sizeof(name), "grid-%ldx%ld", a, b);
		tg_init(&g, name);
		tg_grid(&g, a, b, o.areas);
	} else if (strcmp(pos[0], "ring") == 0 || strcmp(pos[0], "full-mesh") == 0) {
		bool mesh = pos[0][0] == 'f';

		if ((a = number(pos[1], "the number of routers", mesh ? 2 : 3,
			 mesh ? MAX_FULL_MESH : MAX_ROUTERS)) < 0)
			goto done;
		snprintf(name, sizeof(name), "%s-%ld", pos[0], a);
		tg_init(&g, name);
		if (mesh)
			tg_full_mesh(&g, a, o.areas);
		else
			tg_ring(&g, a, o.areas);
	} else if (strcmp(pos[0], "clos") == 0) {
		if ((a = number(pos[1], "the number of spines", 1, 1000)) < 0 ||
		    (b = number(pos[2], "the number of leaves", 1, MAX_ROUTERS - 1000)) < 0)
			goto done;
		snprintf(name, sizeof(name), "clos-%ldx%ld", a, b);
		tg_init(&g, name);
		tg_clos(&g, a, b, o.areas);
	} else if (strcmp(pos[0], "random") == 0) {
		if ((a = number(pos[1], "the number of routers", 2, MAX_ROUTERS)) < 0)
			goto done;
		if (degree < 0 || seed < 0) {
			fprintf(stderr, "netsim gen: random needs --degree D and --seed S\n");
			goto done;
		}
		if (degree > a - 1) {
			fprintf(stderr, "netsim gen: --degree %ld: %ld routers have at most %ld "
					"neighbours each\n",
			    degree, a, a - 1);
			goto done;
		}
		snprintf(name, sizeof(name), "random-%ld-d%ld-s%ld", a, degree, seed);
		tg_init(&g, name);
		tg_random(&g, a, degree, (uint64_t)seed);
	} else {
		fprintf(stderr,
		    "netsim gen: unknown shape '%s' (grid, ring, full-mesh, clos, random)\n",
		    pos[0]);
		goto done;
	}
	if ((strcmp(pos[0], "random") != 0 && (degree >= 0 || seed >= 0)) ||
	    (npos > (strcmp(pos[0], "clos") == 0 ? 3 : 2))) {
		fprintf(stderr, "netsim gen: extra arguments for %s\n", pos[0]);
		goto free;
	}
	g.description = sb_steal(&desc);
	status = 1;
	if (!tg_plan(&g, &o, err, sizeof(err))) {
		fprintf(stderr, "netsim gen: %s\n", err);
		goto free;
	}
	if (!tg_write_file(&g, &o, out, err, sizeof(err)))
		fprintf(stderr, "netsim gen: %s\n", err);
	else
		status = 0;
free:
	tg_free(&g);
done:
	sb_free(&desc);
	return status;
}
