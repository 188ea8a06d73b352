/*
 * test_tgraph.c: the generators' and importers' YAML (src/topo/tgraph*.c),
 * read back with netsim's own YAML loader and checked for the properties the
 * IGP layout promises, on grids, rings, meshes and random networks:
 *
 *  - every address unique, the file parses without errors;
 *  - OSPF: both ends of a link in one area (or neither running OSPF), the
 *    backbone (area 0) connected, each other area connected and holding a
 *    router that is also in area 0 (an ABR), exactly K areas besides it;
 *  - IS-IS levels: every IS-IS link can form an adjacency (L1: same area,
 *    both ends L1-capable; L2: both ends L2-capable), the L2 routers and
 *    their L2 adjacencies connected, each area's L1 adjacencies connected
 *    over all its routers, each area with an L1L2 router;
 *  - the benchmark shape: grid 25x40 with isis-levels 10 is 10 areas of
 *    100 routers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/cfg.h"
#include "lib/hmap.h"
#include "lib/util.h"
#include "topo/import.h"
#include "topo/tgraph.h"

#define MAXR 1100
#define MAXIF 16

/* What the YAML says about one router. */
struct rt {
	const char *name;
	int area;            /* IS-IS area number from the NET */
	int level;           /* IS-IS: 1 l1, 2 l2, 3 l1l2 */
	int nif;
	const char *ifname[MAXIF];
	int ifarea[MAXIF];   /* OSPF area, -1 none */
	int iflevel[MAXIF];  /* IS-IS circuit level: 0 none (no isis), 1/2/3 */
};

static struct rt R[MAXR];
static int nr;

static int
level_of(const char *s)
{
	return strcmp(s, "l1") == 0 ? 1 : (strcmp(s, "l2") == 0 ? 2 : 3);
}

static int
find_router(const char *name)
{
	for (int i = 0; i < nr; i++)
		if (strcmp(R[i].name, name) == 0)
			return i;
	return -1;
}

/* Union-find over routers for the connectivity checks. */
static int uf[MAXR];

static int
uf_find(int a)
{
	while (uf[a] != a)
		a = uf[a] = uf[uf[a]];
	return a;
}

static void
uf_join(int a, int b)
{
	uf[uf_find(a)] = uf_find(b);
}

/* The routers with in[i] set are all in one piece of uf. */
static void
assert_one_piece(const bool *in)
{
	int root = -1;

	for (int i = 0; i < nr; i++) {
		if (!in[i])
			continue;
		if (root < 0)
			root = uf_find(i);
		assert_int_equal(uf_find(i), root);
	}
	assert_true(root >= 0);
}

struct linkend {
	int r, i;
};

static struct linkend L[4 * MAXR][2];
static int nl;

/* Parse doc's devices and links into R and L, checking addresses are unique. */
static void
load(struct cfg_doc *doc, bool ospf)
{
	struct cfg *devs = cfg_get(doc->root, "devices"), *links = cfg_get(doc->root, "links");
	struct hmap ips;

	assert_non_null(devs);
	assert_non_null(links);
	hmap_init(&ips);
	nr = 0;
	for (size_t d = 0; d < devs->n; d++) {
		struct cfg *dv = devs->v[d], *ifs = cfg_get(dv, "interfaces"), *is;
		struct rt *r;

		if (cfg_get(dv, "type") != NULL)
			continue; /* hosts */
		assert_true(nr < MAXR);
		r = &R[nr++];
		memset(r, 0, sizeof(*r));
		r->name = cfg_get(dv, "name")->str;
		if (!ospf) {
			is = cfg_get(dv, "isis");
			assert_non_null(is);
			r->level = level_of(cfg_get(is, "level")->str);
			r->area = atoi(cfg_get(is, "net")->str + 3);
			assert_int_equal(strlen(cfg_get(is, "net")->str),
			    strlen("49.0001.0000.0000.0001.00"));
		}
		for (size_t j = 0; j < ifs->n; j++) {
			struct cfg *ifc = ifs->v[j];
			struct cfg *o = cfg_get(ifc, "ospf"), *i = cfg_get(ifc, "isis");
			uint32_t a;
			uint8_t plen;

			assert_true(ip_plen_parse(cfg_get(ifc, "ip")->str, &a, &plen));
			assert_null(hmap_get(&ips, a + 1ull));
			hmap_put(&ips, a + 1ull, r);
			r->ifname[r->nif] = cfg_get(ifc, "name")->str;
			r->ifarea[r->nif] = o != NULL ? atoi(cfg_get(o, "area")->str) : -1;
			r->iflevel[r->nif] = 0;
			if (i != NULL)
				r->iflevel[r->nif] = cfg_get(i, "level") != NULL
				    ? level_of(cfg_get(i, "level")->str)
				    : r->level;
			assert_true(ospf ? i == NULL : o == NULL);
			r->nif++;
			assert_true(r->nif < MAXIF);
		}
	}
	hmap_free(&ips);
	nl = 0;
	for (size_t k = 0; k < links->n; k++) {
		struct cfg *eps = cfg_get(links->v[k], "endpoints");

		if (eps->n != 2)
			continue; /* a host LAN */
		for (int e = 0; e < 2; e++) {
			char dev[80];
			const char *s = eps->v[e]->str, *colon = strchr(s, ':');
			int r;

			snprintf(dev, sizeof(dev), "%.*s", (int)(colon - s), s);
			if ((r = find_router(dev)) < 0)
				break; /* a host's link */
			L[nl][e].r = r;
			L[nl][e].i = -1;
			for (int i = 0; i < R[r].nif; i++)
				if (strcmp(R[r].ifname[i], colon + 1) == 0)
					L[nl][e].i = i;
			assert_true(L[nl][e].i >= 0);
			if (e == 1)
				nl++;
		}
	}
}

static struct cfg_doc *
yaml_of(struct tgraph *g, const struct tg_opts *o)
{
	char *text = NULL, err[256];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct cfg_doc *doc;

	assert_true(tg_plan(g, o, err, sizeof(err)));
	assert_true(tg_write_yaml(g, o, f, err, sizeof(err)));
	fclose(f);
	doc = cfg_parse_yaml("gen.yaml", text, len);
	free(text);
	assert_non_null(doc->root);
	assert_int_equal(doc->nerrors, 0);
	return doc;
}

/* Areas 0..k (k = 0: one area) each exist and are connected; the others have an ABR. */
static void
check_ospf(int k)
{
	bool in[MAXR];

	for (int l = 0; l < nl; l++)
		assert_int_equal(R[L[l][0].r].ifarea[L[l][0].i], R[L[l][1].r].ifarea[L[l][1].i]);
	for (int a = 0; a <= k; a++) {
		bool any = false, abr = false;

		for (int i = 0; i < nr; i++)
			uf[i] = i;
		for (int l = 0; l < nl; l++)
			if (R[L[l][0].r].ifarea[L[l][0].i] == a)
				uf_join(L[l][0].r, L[l][1].r);
		for (int i = 0; i < nr; i++) {
			bool in0 = false;

			in[i] = false;
			for (int j = 0; j < R[i].nif; j++) {
				assert_true(R[i].ifarea[j] <= k);
				in[i] |= R[i].ifarea[j] == a;
				in0 |= R[i].ifarea[j] == 0;
			}
			any |= in[i];
			abr |= in[i] && in0;
		}
		if (!any)
			fail_msg("area %d has no router", a);
		assert_true(abr);
		assert_one_piece(in);
	}
}

/* (A Clos fabric's areas are leaves that only meet through the spines, at level 2.) */
static bool l1_split_ok;

static void
check_isis_levels(int k)
{
	bool in[MAXR];

	for (int l = 0; l < nl; l++) {
		const struct linkend *e = L[l];
		int c0 = R[e[0].r].iflevel[e[0].i], c1 = R[e[1].r].iflevel[e[1].i];
		bool l1, l2;

		assert_true((c0 == 0) == (c1 == 0));
		if (c0 == 0)
			continue;
		l1 = (c0 & 1) && (c1 & 1) && (R[e[0].r].level & 1) && (R[e[1].r].level & 1) &&
		    R[e[0].r].area == R[e[1].r].area;
		l2 = (c0 & 2) && (c1 & 2) && (R[e[0].r].level & 2) && (R[e[1].r].level & 2);
		assert_true(l1 || l2);
	}
	/* The L2 subdomain. */
	for (int i = 0; i < nr; i++) {
		uf[i] = i;
		in[i] = (R[i].level & 2) != 0;
	}
	for (int l = 0; l < nl; l++)
		if ((R[L[l][0].r].iflevel[L[l][0].i] & 2) && (R[L[l][1].r].iflevel[L[l][1].i] & 2))
			uf_join(L[l][0].r, L[l][1].r);
	assert_one_piece(in);
	/* Each area over its L1 adjacencies, with an L1L2 router. */
	for (int a = 1; a <= k; a++) {
		bool l1l2 = false;

		for (int i = 0; i < nr; i++) {
			uf[i] = i;
			in[i] = R[i].area == a;
			l1l2 |= in[i] && R[i].level == 3;
		}
		assert_true(l1l2);
		for (int l = 0; l < nl; l++) {
			const struct linkend *e = L[l];

			if ((R[e[0].r].iflevel[e[0].i] & 1) && (R[e[1].r].iflevel[e[1].i] & 1) &&
			    R[e[0].r].area == a && R[e[1].r].area == a)
				uf_join(e[0].r, e[1].r);
		}
		if (!l1_split_ok)
			assert_one_piece(in);
	}
}

static uint64_t rand_seed;

/* Shapes and IGP layouts, checked through their YAML. */
static void
check_shape(void (*build)(struct tgraph *, int), const char *shape, enum tg_igp igp, int k)
{
	struct tg_opts o = {.igp = igp, .areas = k, .hosts = igp == TG_OSPF ? 1 : 0};
	struct tgraph g;
	struct cfg_doc *doc;

	tg_init(&g, "t");
	build(&g, k);
	doc = yaml_of(&g, &o);
	if (getenv("TGRAPH_DEBUG") != NULL)
		fprintf(stderr, "%s igp %d k %d seed %llu\n", shape, igp, k,
		    (unsigned long long)rand_seed);
	load(doc, igp == TG_OSPF || igp == TG_OSPF_AREAS);
	assert_int_equal(nr, (int)g.nn);
	assert_int_equal(nl, (int)g.ne);
	if (igp == TG_OSPF || igp == TG_OSPF_AREAS)
		check_ospf(igp == TG_OSPF ? 0 : k);
	else if (igp == TG_ISIS_LEVELS)
		check_isis_levels(k);
	cfg_doc_free(doc);
	tg_free(&g);
}

#define check(build, igp, k) check_shape(build, #build, igp, k)

static void grid_6x8(struct tgraph *g, int k) { tg_grid(g, 6, 8, k); }
static void ring_12(struct tgraph *g, int k) { tg_ring(g, 12, k); }
static void mesh_7(struct tgraph *g, int k) { tg_full_mesh(g, 7, k); }
static void clos_2x6(struct tgraph *g, int k) { tg_clos(g, 2, 6, k); }
static void rand_60(struct tgraph *g, int k) { (void)k; tg_random(g, 60, 3, rand_seed); }

static void
test_ospf_layouts(void **state)
{
	(void)state;
	check(grid_6x8, TG_OSPF, 1);
	for (int k = 1; k <= 4; k++) {
		check(grid_6x8, TG_OSPF_AREAS, k);
		check(ring_12, TG_OSPF_AREAS, k);
		check(mesh_7, TG_OSPF_AREAS, k);
		check(clos_2x6, TG_OSPF_AREAS, k);
	}
	for (rand_seed = 1; rand_seed <= 8; rand_seed++)
		for (int k = 2; k <= 5; k++)
			check(rand_60, TG_OSPF_AREAS, k);
}

static void
test_isis_layouts(void **state)
{
	(void)state;
	check(grid_6x8, TG_ISIS, 1);
	for (int k = 1; k <= 4; k++) {
		check(grid_6x8, TG_ISIS_LEVELS, k);
		check(ring_12, TG_ISIS_LEVELS, k);
		check(mesh_7, TG_ISIS_LEVELS, k);
		l1_split_ok = true;
		check(clos_2x6, TG_ISIS_LEVELS, k);
		l1_split_ok = false;
	}
	for (rand_seed = 1; rand_seed <= 8; rand_seed++)
		for (int k = 2; k <= 5; k++)
			check(rand_60, TG_ISIS_LEVELS, k);
}

/* `netsim gen grid 25x40 --igp isis-levels 10`: 10 areas of exactly 100 routers. */
static void
test_benchmark_shape(void **state)
{
	struct tg_opts o = {.igp = TG_ISIS_LEVELS, .areas = 10};
	struct tgraph g;
	struct cfg_doc *doc;
	int per_area[11] = {0}, l1l2 = 0;

	(void)state;
	tg_init(&g, "t");
	tg_grid(&g, 25, 40, 10);
	doc = yaml_of(&g, &o);
	load(doc, false);
	assert_int_equal(nr, 1000);
	for (int i = 0; i < nr; i++) {
		assert_true(R[i].area >= 1 && R[i].area <= 10);
		per_area[R[i].area]++;
		l1l2 += R[i].level == 3;
	}
	for (int a = 1; a <= 10; a++)
		assert_int_equal(per_area[a], 100);
	/* The backbone is the top row: 4 routers per inner area, 1 in the two outer ones. */
	assert_int_equal(l1l2, 8 * 4 + 2);
	check_isis_levels(10);
	cfg_doc_free(doc);
	tg_free(&g);
}

/* Random networks: connected, the asked-for size, and the seed decides them. */
static void
test_random(void **state)
{
	struct tgraph a, b, c;
	bool differ = false;

	(void)state;
	tg_init(&a, "a");
	tg_init(&b, "b");
	tg_init(&c, "c");
	tg_random(&a, 200, 4, 7);
	tg_random(&b, 200, 4, 7);
	tg_random(&c, 200, 4, 8);
	assert_int_equal(a.ne, 400);
	assert_int_equal(tg_components(&a), 1);
	assert_int_equal(a.ne, b.ne);
	for (size_t i = 0; i < a.ne; i++) {
		assert_int_equal(a.e[i].a, b.e[i].a);
		assert_int_equal(a.e[i].b, b.e[i].b);
		assert_true(a.e[i].a != a.e[i].b);
		differ |= a.e[i].a != c.e[i].a || a.e[i].b != c.e[i].b;
	}
	assert_true(differ);
	tg_free(&a);
	tg_free(&b);
	tg_free(&c);
}

/* Names from labels: valid device names, unique. */
static void
test_names(void **state)
{
	struct tgraph g;

	(void)state;
	tg_init(&g, "t");
	assert_int_equal(tg_add_node(&g, "San Jose, CA", 0), 0);
	assert_string_equal(g.n[0].name, "San_Jose_CA");
	tg_add_node(&g, "San Jose; CA", 0);
	assert_string_equal(g.n[1].name, "San_Jose_CA-2");
	tg_add_node(&g, "", 0);
	assert_string_equal(g.n[2].name, "n3");
	tg_add_node(&g, "-", 0);
	assert_string_equal(g.n[3].name, "n4");
	assert_int_equal(tg_find(&g, "San_Jose_CA-2"), 1);
	assert_int_equal(tg_find(&g, "nope"), -1);
	tg_free(&g);
}

/* The readers: good input, and bad input refused with its line. */
static bool
read_gml(const char *text, struct strbuf *err, struct tgraph *g)
{
	struct strbuf warn = STRBUF_INIT;
	struct import im;
	bool ok;

	tg_init(g, "t");
	import_init(&im, g, "t.gml", err, &warn);
	ok = import_gml(&im, text, strlen(text)) && import_isolated(&im, false);
	import_free(&im);
	sb_free(&warn);
	return ok;
}

static void
expect_gml_error(const char *text, const char *msg)
{
	struct strbuf err = STRBUF_INIT;
	struct tgraph g;

	assert_false(read_gml(text, &err, &g));
	if (strstr(sb_str(&err), msg) == NULL)
		fail_msg("expected '%s' in '%s'", msg, sb_str(&err));
	sb_free(&err);
	tg_free(&g);
}

static void
test_gml(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct tgraph g;

	(void)state;
	assert_true(read_gml("Creator \"x\"\ngraph [\n  node [ id 0 label \"A&amp;B\" ]\n"
			     "  node [ id 1 graphics [ x 1 ] ]\n"
			     "  edge [ source 0 target 1 LinkSpeedRaw 1e9 ]\n]\n",
	    &err, &g));
	assert_int_equal(g.nn, 2);
	assert_string_equal(g.n[0].name, "A_B");
	assert_string_equal(g.n[1].name, "1");
	assert_int_equal(g.ne, 1);
	assert_int_equal(g.e[0].cost_ab, 100); /* 100 Gbit/s over 1 Gbit/s */
	tg_free(&g);
	sb_free(&err);
	expect_gml_error("graph [\n node [ id 0 ]\n node [ id 1 ]\n edge [ source 0 target 1 ]\n"
			 " node [ id 2 label \"lonely\" ]\n]\n",
	    "t.gml:5: node 'lonely' has no links");
	expect_gml_error("graph [\n node [ id 0 ]\n edge [ source 0 target 9 ]\n]\n",
	    "t.gml:3: link to node '9'");
	expect_gml_error("graph [\n node [ id 0 label \"x ]\n]\n", "t.gml:2: unterminated string");
	expect_gml_error("graph [\n node [ id 0 ]\n\n", "unexpected end of file");
	expect_gml_error("graph [\n node [ id 0 ]\n node [ id 0 ]\n]\n",
	    "t.gml:3: node id '0' is used twice (first at line 2)");
	expect_gml_error("graph [\n node [ label \"a\" ]\n]\n", "t.gml:2: node without an id");
	expect_gml_error("nothing 1\n", "not a GML graph");
	expect_gml_error("graph [ node [ id 0 ] ] ]\n", "t.gml:1: expected a key");
	expect_gml_error("graph [\n  node [ id 0 @ ]\n]\n", "t.gml:2: unexpected character @");
}

static void
test_graphml(void **state)
{
	const char *good =
	    "<?xml version=\"1.0\"?>\n<graphml>\n<!-- a comment -->\n"
	    "<key id=\"d0\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
	    "<key id=\"d1\" for=\"edge\" attr.name=\"LinkSpeedRaw\" attr.type=\"double\"/>\n"
	    "<graph edgedefault=\"undirected\">\n"
	    "<node id=\"a\"><data key=\"d0\">New York</data></node>\n"
	    "<node id=\"b\"/>\n"
	    "<edge source=\"a\" target=\"b\"><data key=\"d1\">10000000000</data></edge>\n"
	    "<edge source=\"b\" target=\"b\"/>\n"
	    "</graph></graphml>\n";
	const char *bad[][2] = {
	    {"<graphml><graph>\n<node id=\"a\"></edge></graph></graphml>",
	    "t.graphml:2: </edge> does not close <node>"},
	    {"<graphml><graph>\n<node id=\"a\">\n", "<node> is not closed"},
	    {"<graphml><graph>\n<edge source=\"a\"/>\n</graph></graphml>",
	    "t.graphml:2: <edge> without a target"},
	    {"<graphml><graph>\n<node id=\"a\"/><edge source=\"a\" target=\"z\"/>\n"
	     "</graph></graphml>",
	    "t.graphml:2: link to node 'z'"},
	    {"<graphml><graph>\n<node id=\"a\" x=1/></graph></graphml>",
	    "t.graphml:2: <node>: expected name=\"value\""},
	    {"<graphml></graphml>", "not a GraphML graph"},
	};
	struct strbuf err = STRBUF_INIT, warn = STRBUF_INIT;
	struct tgraph g;
	struct import im;

	(void)state;
	tg_init(&g, "t");
	import_init(&im, &g, "t.graphml", &err, &warn);
	assert_true(import_graphml(&im, good, strlen(good)));
	assert_int_equal(g.nn, 2);
	assert_string_equal(g.n[0].name, "New_York");
	assert_int_equal(g.ne, 1);
	assert_int_equal(g.e[0].cost_ab, 10);
	assert_non_null(strstr(sb_str(&warn), "t.graphml:10: warning: link from 'b' to itself"));
	import_free(&im);
	tg_free(&g);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		sb_reset(&err);
		tg_init(&g, "t");
		import_init(&im, &g, "t.graphml", &err, &warn);
		assert_false(import_graphml(&im, bad[i][0], strlen(bad[i][0])));
		if (strstr(sb_str(&err), bad[i][1]) == NULL)
			fail_msg("expected '%s' in '%s'", bad[i][1], sb_str(&err));
		import_free(&im);
		tg_free(&g);
	}
	sb_free(&err);
	sb_free(&warn);
}

/*
 * Every prefix and every one-byte change of a small map: each reader either
 * reads it or refuses it with a message naming the file, never crashes
 * (the sanitizer build runs this too).
 */
static void
mutate(bool (*reader)(struct import *, const char *, size_t), const char *file,
    const char *text)
{
	size_t len = strlen(text);
	char *buf = xmalloc(len + 1);
	static const char repl[] = {'\0', '"', '[', ']', '<', '>', '/', ' ', 'x', '\n', '&', '='};

	for (size_t cut = 0; cut <= len; cut++) {
		for (size_t r = 0; r <= ARRAY_LEN(repl); r++) {
			struct strbuf err = STRBUF_INIT, warn = STRBUF_INIT;
			struct tgraph g;
			struct import im;
			size_t n = r == ARRAY_LEN(repl) ? cut : len;

			memcpy(buf, text, len + 1);
			if (r < ARRAY_LEN(repl) && cut < len)
				buf[cut] = repl[r];
			else if (r < ARRAY_LEN(repl))
				continue;
			tg_init(&g, "t");
			import_init(&im, &g, file, &err, &warn);
			if (!reader(&im, buf, n)) {
				if (strstr(sb_str(&err), file) == NULL)
					fail_msg("refused without naming the file: '%s'",
					    sb_str(&err));
			} else {
				assert_true(g.nn > 0);
			}
			import_free(&im);
			tg_free(&g);
			sb_free(&err);
			sb_free(&warn);
		}
	}
	free(buf);
}

static void
test_mutations(void **state)
{
	(void)state;
	mutate(import_gml, "m.gml",
	    "graph [\n node [ id 0 label \"a&amp;b\" ]\n node [ id 1 ]\n"
	    " edge [ source 0 target 1 LinkSpeedRaw 1e9 x [ y 1 ] ]\n]\n");
	mutate(import_graphml, "m.graphml",
	    "<?xml version=\"1.0\"?><graphml><key id=\"d0\" for=\"node\" attr.name=\"label\"/>"
	    "<graph><node id=\"a\"><data key=\"d0\">A</data></node><node id=\"b\"/>"
	    "<edge source=\"a\" target=\"b\"/><!-- c --></graph></graphml>\n");
	mutate(import_rocketfuel, "m.intra", "a b 2.5\nb a 2.5\nb c 1\n");
}

static void
test_rocketfuel(void **state)
{
	const char *text = "a b 2.5\nb a 3\na c 1\n\nc b 22.5\nb c 4\n";
	struct strbuf err = STRBUF_INIT, warn = STRBUF_INIT;
	struct tgraph g;
	struct import im;

	(void)state;
	tg_init(&g, "t");
	import_init(&im, &g, "w.intra", &err, &warn);
	assert_true(import_rocketfuel(&im, text, strlen(text)));
	assert_int_equal(g.nn, 3);
	assert_int_equal(g.ne, 3);
	assert_int_equal(g.e[0].cost_ab, 25); /* a -> b */
	assert_int_equal(g.e[0].cost_ba, 30); /* b -> a */
	assert_int_equal(g.e[1].cost_ab, 10); /* a -> c, and c -> a as given one way only */
	assert_int_equal(g.e[1].cost_ba, 10);
	assert_int_equal(g.e[2].cost_ab, 225);
	assert_int_equal(g.e[2].cost_ba, 40);
	import_free(&im);
	tg_free(&g);
	tg_init(&g, "t");
	import_init(&im, &g, "w.intra", &err, &warn);
	assert_false(import_rocketfuel(&im, "a b 1\nc d\n", 10));
	assert_non_null(strstr(sb_str(&err), "w.intra:2: expected 'ROUTER ROUTER WEIGHT'"));
	import_free(&im);
	tg_free(&g);
	sb_free(&err);
	sb_free(&warn);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_random),
	    cmocka_unit_test(test_ospf_layouts),
	    cmocka_unit_test(test_isis_layouts),
	    cmocka_unit_test(test_benchmark_shape),
	    cmocka_unit_test(test_gml),
	    cmocka_unit_test(test_graphml),
	    cmocka_unit_test(test_rocketfuel),
	    cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
