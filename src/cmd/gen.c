/*
 * gen.c: `netsim gen SHAPE ... [--igp IGP] [--hosts N] [-o FILE]`, a YAML
 * topology of a regular or random shape on stdout (docs/topology.md,
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

#include "../lib/rng.h"
#include "../lib/strbuf.h"
#include "../lib/util.h"
#include "../topo/tgraph.h"
#include "cmd.h"

#define MAX_ROUTERS   65534
#define MAX_FULL_MESH 2000 /* N (N - 1) / 2 links */

static void
usage(FILE *f)
{
	fputs("usage: netsim gen SHAPE [--igp IGP] [--hosts N] [-o FILE]\n"
	      "  SHAPE: grid RxC | ring N | full-mesh N | clos SPINES LEAVES\n"
	      "         | random N --degree D --seed S\n"
	      "  --igp ospf (default) | ospf-areas K | isis | isis-levels K\n"
	      "  --hosts N   N hosts on a LAN behind every router (clos: every leaf)\n"
	      "  -o FILE     write the topology to FILE instead of stdout\n",
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
		fprintf(stderr, "netsim gen: %s must be a number from %ld to %ld, not '%s'\n", what, min,
		    max, s);
		return -1;
	}
	return v;
}

static void
add_routers(struct tgraph *g, const char *prefix, long n)
{
	char name[32];

	for (long i = 1; i <= n; i++) {
		snprintf(name, sizeof(name), "%s%ld", prefix, i);
		tg_add_node(g, name, 0);
	}
}

/* Rows x columns, row-major; with K areas, K strips of whole columns (K <= columns). */
static void
grid(struct tgraph *g, long rows, long cols, int areas)
{
	add_routers(g, "r", rows * cols);
	for (long i = 0; i < rows; i++)
		for (long j = 0; j < cols; j++) {
			int k = (int)(i * cols + j);

			if (areas <= cols)
				g->n[k].group = (int)(j * areas / cols) + 1;
			if (j + 1 < cols)
				tg_add_edge(g, k, k + 1, 0, 0, 0);
			if (i + 1 < rows)
				tg_add_edge(g, k, (int)(k + cols), 0, 0, 0);
		}
}

/* Consecutive runs of routers for K areas (ring arcs, full-mesh slices). */
static void
runs(struct tgraph *g, int areas)
{
	if ((size_t)areas > g->nn)
		return;
	for (size_t k = 0; k < g->nn; k++)
		g->n[k].group = (int)(k * (size_t)areas / g->nn) + 1;
}

static void
ring(struct tgraph *g, long n, int areas)
{
	add_routers(g, "r", n);
	for (long k = 0; k < n; k++)
		tg_add_edge(g, (int)k, (int)((k + 1) % n), 0, 0, 0);
	runs(g, areas);
}

static void
full_mesh(struct tgraph *g, long n, int areas)
{
	add_routers(g, "r", n);
	for (long a = 0; a < n; a++)
		for (long b = a + 1; b < n; b++)
			tg_add_edge(g, (int)a, (int)b, 0, 0, 0);
	runs(g, areas);
}

/*
 * A two-tier Clos (leaf-spine) fabric: every leaf linked to every spine.
 * With areas, the spines are the backbone and the leaves are split into K
 * areas (OSPF: each leaf-spine link in the leaf's area, the spines ABRs;
 * IS-IS: spines level 2, leaves L1L2 in their area).
 */
static void
clos(struct tgraph *g, long spines, long leaves, int areas)
{
	add_routers(g, "spine", spines);
	add_routers(g, "leaf", leaves);
	for (long s = 0; s < spines; s++) {
		g->n[s].group = 0;
		g->n[s].hosts = false;
	}
	for (long l = 0; l < leaves; l++) {
		g->n[spines + l].group = areas <= leaves ? (int)(l * areas / leaves) + 1 : 1;
		for (long s = 0; s < spines; s++)
			tg_add_edge(g, (int)(spines + l), (int)s, 0, 0, 0);
	}
}

/*
 * N routers, about D links each on average: a random spanning tree (router
 * i joins one of the routers before it, so the network is connected), then
 * random extra links, never a router to itself nor twice between two.
 */
static void
random_graph(struct tgraph *g, long n, long degree, uint64_t seed)
{
	struct rng r;
	struct hmap have;
	uint64_t target = (uint64_t)n * (uint64_t)degree / 2;

	add_routers(g, "r", n);
	rng_seed(&r, seed, 0);
	hmap_init(&have);
	for (long i = 1; i < n; i++) {
		long j = (long)rng_below(&r, (uint64_t)i);

		hmap_put(&have, (uint64_t)j * (uint64_t)n + (uint64_t)i, g);
		tg_add_edge(g, (int)j, (int)i, 0, 0, 0);
	}
	while (g->ne < target) {
		long a = (long)rng_below(&r, (uint64_t)n), b = (long)rng_below(&r, (uint64_t)n);
		uint64_t key = (uint64_t)MIN(a, b) * (uint64_t)n + (uint64_t)MAX(a, b);

		if (a == b || hmap_get(&have, key) != NULL)
			continue;
		hmap_put(&have, key, g);
		tg_add_edge(g, (int)MIN(a, b), (int)MAX(a, b), 0, 0, 0);
	}
	hmap_free(&have);
}

int
cmd_gen(int argc, char **argv)
{
	struct tg_opts o = {TG_OSPF, 1, 0};
	struct tgraph g;
	struct strbuf desc = STRBUF_INIT;
	const char *out = NULL, *pos[3] = {NULL, NULL, NULL};
	long degree = -1, seed = -1, a = 0, b = 0;
	int npos = 0, status = 2;
	char err[256], name[96];
	FILE *f = stdout;

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
		grid(&g, a, b, o.areas);
	} else if (strcmp(pos[0], "ring") == 0 || strcmp(pos[0], "full-mesh") == 0) {
		bool mesh = pos[0][0] == 'f';

		if ((a = number(pos[1], "the number of routers", mesh ? 2 : 3,
			 mesh ? MAX_FULL_MESH : MAX_ROUTERS)) < 0)
			goto done;
		snprintf(name, sizeof(name), "%s-%ld", pos[0], a);
		tg_init(&g, name);
		if (mesh)
			full_mesh(&g, a, o.areas);
		else
			ring(&g, a, o.areas);
	} else if (strcmp(pos[0], "clos") == 0) {
		if ((a = number(pos[1], "the number of spines", 1, 1000)) < 0 ||
		    (b = number(pos[2], "the number of leaves", 1, MAX_ROUTERS - 1000)) < 0)
			goto done;
		snprintf(name, sizeof(name), "clos-%ldx%ld", a, b);
		tg_init(&g, name);
		clos(&g, a, b, o.areas);
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
		random_graph(&g, a, degree, (uint64_t)seed);
	} else {
		fprintf(stderr, "netsim gen: unknown shape '%s' (grid, ring, full-mesh, clos, random)\n",
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
	if (out != NULL && (f = fopen(out, "w")) == NULL) {
		perror(out);
		goto free;
	}
	if (!tg_write_yaml(&g, &o, f, err, sizeof(err)))
		fprintf(stderr, "netsim gen: %s\n", err);
	else if (fflush(f) != 0 || ferror(f))
		perror(out != NULL ? out : "stdout");
	else
		status = 0;
	if (out != NULL)
		fclose(f);
free:
	tg_free(&g);
done:
	sb_free(&desc);
	return status;
}
