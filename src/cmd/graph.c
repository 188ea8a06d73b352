/*
 * graph.c: `netsim graph FILE.yaml [--format dot|mermaid|svg] [-o OUT]`, a
 * picture of a topology: devices by type (routers boxes, hosts ellipses,
 * switches 3-D boxes), each link with its subnet, its IGP costs (OSPF
 * `cost`, IS-IS `metric`, per end when they differ) and its state (a link
 * configured down or an interface shut is drawn dashed), shared segments
 * as a point that their members join. docs/cli.md shows an example.
 *
 * It reads the YAML as a configuration tree and draws what the file says
 * without building the network, so a topology that names a protocol this
 * build lacks can still be drawn; `netsim validate` is the checker. SVG is
 * Graphviz's rendering of the DOT text (`dot -Tsvg`), when dot is installed.
 *
 * --adjacencies and --path SRC DST need the network itself: graph_run.c
 * builds and converges it, and the protocol adjacencies are drawn as extra
 * edges (bold, colored, not links), the traceroute's path as the links and
 * devices it crosses, in red.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/cfg.h"
#include "../lib/hmap.h"
#include "../lib/ip.h"
#include "../lib/strbuf.h"
#include "../lib/util.h"
#include "cmd.h"
#include "graph_run.h"

enum format { F_DOT, F_MERMAID, F_SVG };

static void
usage(FILE *f)
{
	fputs("usage: netsim graph FILE.yaml [--format dot|mermaid|svg] [-o OUT]\n"
	      "                    [--adjacencies] [--path SRC DST]\n"
	      "  Draw a topology: devices by type, links with subnets, costs and state.\n"
	      "  dot (default): Graphviz text; mermaid: a Mermaid flowchart (Markdown);\n"
	      "  svg: dot's rendering (needs Graphviz's dot program).\n"
	      "  --adjacencies: run to convergence and add the OSPF and IS-IS adjacencies.\n"
	      "  --path SRC DST: run to convergence and highlight the path a traceroute\n"
	      "  from device SRC to DST (a device or an address) takes; exit 1 if it\n"
	      "  does not reach DST.\n",
	    f);
}

/* A scalar under key in map, or NULL (no errors: the picture takes what is there). */
static const char *
sval(const struct cfg *map, const char *key)
{
	const struct cfg *v;

	if (map == NULL || map->type != CFG_MAP || (v = cfg_get(map, key)) == NULL ||
	    v->type != CFG_SCALAR)
		return NULL;
	return v->str;
}

static const struct cfg *
seq(const struct cfg *map, const char *key)
{
	const struct cfg *v = map != NULL && map->type == CFG_MAP ? cfg_get(map, key) : NULL;

	return v != NULL && v->type == CFG_SEQ ? v : NULL;
}

struct dev {
	const char *name, *type, *lo;
	const struct cfg *ifs;
};

struct pic {
	struct dev *d;
	size_t nd, cap;
	struct hmap byname; /* str_hash(name) (+ probe) -> index + 1 */
	enum format fmt;
	struct strbuf out;
	size_t segments;
	size_t edges;             /* Mermaid: edges so far (linkStyle counts them) */
	const struct graph_run *run; /* --adjacencies, --path: NULL without */
	struct strbuf styles;     /* Mermaid: linkStyle and style lines, after the edges */
};

static const char *
dev_name(const void *p, int i)
{
	return ((const struct pic *)p)->d[i].name;
}

static int
find_dev(const struct pic *p, const char *name, uint64_t *slot)
{
	return hmap_str_find(&p->byname, name, dev_name, p, slot);
}

/* The interface "dev:if" names: its device index and configuration, or -1. */
static int
endpoint(const struct pic *p, const char *ep, const struct cfg **ifc)
{
	const char *colon = strchr(ep, ':');
	char dev[128];
	uint64_t slot;
	int i;

	*ifc = NULL;
	if (colon == NULL || (size_t)(colon - ep) >= sizeof(dev))
		return -1;
	snprintf(dev, sizeof(dev), "%.*s", (int)(colon - ep), ep);
	if ((i = find_dev(p, dev, &slot)) < 0)
		return -1;
	for (size_t j = 0; p->d[i].ifs != NULL && j < p->d[i].ifs->n; j++) {
		const char *n = sval(p->d[i].ifs->v[j], "name");

		if (n != NULL && strcmp(n, colon + 1) == 0)
			*ifc = p->d[i].ifs->v[j];
	}
	return i;
}

/* Text safe inside a DOT "string" or a Mermaid "label"; '\n' breaks the line. */
static void
esc(struct strbuf *sb, const char *s, enum format fmt)
{
	for (; *s != '\0'; s++) {
		if (*s == '"')
			sb_add(sb, fmt == F_MERMAID ? "#quot;" : "\\\"");
		else if (*s == '\n')
			sb_add(sb, fmt == F_MERMAID ? "<br/>" : "\\n");
		else if (*s == '\\' && fmt != F_MERMAID)
			sb_add(sb, "\\\\");
		else
			sb_addc(sb, *s);
	}
}

/* Is device name on the traced path? */
static bool
on_path(const struct pic *p, const char *name)
{
	for (size_t i = 0; p->run != NULL && i < p->run->npath; i++)
		if (strcmp(p->run->path[i].dev, name) == 0)
			return true;
	return false;
}

/*
 * Does the path cross from one device to the other here: a step a -> b (or
 * b -> a) whose receiving end came in on this link's interface there (when
 * the hop's answer says which).
 */
static bool
path_step(const struct pic *p, const char *a, const char *aif, const char *b, const char *bif)
{
	const struct graph_run *g = p->run;

	for (size_t i = 0; g != NULL && i + 1 < g->npath; i++) {
		const struct graph_hop *x = &g->path[i], *y = &g->path[i + 1];

		if (strcmp(x->dev, a) == 0 && strcmp(y->dev, b) == 0 &&
		    (y->in_if == NULL || strcmp(y->in_if, bif) == 0))
			return true;
		if (strcmp(x->dev, b) == 0 && strcmp(y->dev, a) == 0 &&
		    (y->in_if == NULL || strcmp(y->in_if, aif) == 0))
			return true;
	}
	return false;
}

/* An edge drawn: Mermaid styles edges by their number, so count them. */
static void
mermaid_edge(struct pic *p, const char *style)
{
	if (style != NULL)
		sb_printf(&p->styles, "  linkStyle %zu %s\n", p->edges, style);
	p->edges++;
}

#define PATH_DOT ", color=red, fontcolor=red, penwidth=3"
#define PATH_MERMAID "stroke:red,stroke-width:4px"

static void
draw_device(struct pic *p, size_t i)
{
	const struct dev *d = &p->d[i];
	bool host = d->type != NULL && strcmp(d->type, "host") == 0;
	bool sw = d->type != NULL && strcmp(d->type, "switch") == 0;

	if (p->fmt == F_MERMAID) {
		sb_printf(&p->out, "  n%zu%s\"", i, host ? "([" : (sw ? "{{" : "["));
		esc(&p->out, d->name, p->fmt);
		if (d->lo != NULL) {
			esc(&p->out, "\n", p->fmt);
			esc(&p->out, d->lo, p->fmt);
		}
		sb_printf(&p->out, "\"%s\n", host ? "])" : (sw ? "}}" : "]"));
		if (on_path(p, d->name))
			sb_printf(&p->styles, "  style n%zu stroke:red,stroke-width:3px\n", i);
		return;
	}
	sb_add(&p->out, "  \"");
	esc(&p->out, d->name, p->fmt);
	sb_printf(&p->out, "\" [shape=%s, label=\"",
	    host ? "ellipse" : (sw ? "box3d" : "box, style=rounded"));
	esc(&p->out, d->name, p->fmt);
	if (d->lo != NULL) {
		esc(&p->out, "\n", p->fmt);
		esc(&p->out, d->lo, p->fmt);
	}
	sb_printf(&p->out, "\"%s];\n", on_path(p, d->name) ? ", color=red, penwidth=2" : "");
}

/* An interface's subnet ("10.0.0.0/31"), into buf; "" without an address. */
static const char *
subnet(const struct cfg *ifc, char buf[PFX_STRLEN])
{
	const char *ip = sval(ifc, "ip");
	struct prefix pf;

	buf[0] = '\0';
	if (ip != NULL && prefix_parse(ip, &pf))
		prefix_fmt(&pf, buf);
	return buf;
}

/* The IGP cost configured on an interface: OSPF cost or IS-IS metric, or NULL. */
static const char *
cost(const struct cfg *ifc)
{
	const char *c = NULL;

	if (ifc != NULL && ifc->type == CFG_MAP) {
		const struct cfg *o = cfg_get(ifc, "ospf"), *i = cfg_get(ifc, "isis");

		if ((c = sval(o, "cost")) == NULL)
			c = sval(i, "metric");
	}
	return c;
}

static bool
is_shut(const struct cfg *ifc)
{
	const char *s = sval(ifc, "shutdown");

	return s != NULL && strcmp(s, "true") == 0;
}

static void
draw_link(struct pic *p, const struct cfg *link)
{
	const struct cfg *eps = seq(link, "endpoints"), *ifc[2] = {NULL, NULL};
	const char *up = sval(link, "up");
	bool down = up != NULL && strcmp(up, "false") == 0;
	char s0[PFX_STRLEN], s1[PFX_STRLEN];
	struct strbuf label = STRBUF_INIT;
	int dev[2];
	bool hot;

	if (eps == NULL || eps->n < 2)
		return;
	if (eps->n > 2) {
		/* A shared segment: a point that each member joins. */
		size_t seg = p->segments++;

		if (p->fmt == F_MERMAID)
			sb_printf(&p->out, "  s%zu((\" \"))\n", seg);
		else
			sb_printf(&p->out, "  \"segment %zu\" [shape=point, width=0.15];\n", seg);
		for (size_t j = 0; j < eps->n; j++) {
			const struct cfg *ic;
			bool member = false;
			int d;

			if (eps->v[j]->type != CFG_SCALAR ||
			    (d = endpoint(p, eps->v[j]->str, &ic)) < 0)
				continue;
			/* On the path: a step between this member and another one. */
			for (size_t k = 0; k < eps->n && !member; k++) {
				const struct cfg *kc;
				int e;

				if (k != j && eps->v[k]->type == CFG_SCALAR &&
				    (e = endpoint(p, eps->v[k]->str, &kc)) >= 0)
					member = path_step(p, p->d[d].name, strchr(eps->v[j]->str, ':') + 1,
					    p->d[e].name, strchr(eps->v[k]->str, ':') + 1);
			}
			sb_reset(&label);
			sb_add(&label, subnet(ic, s0));
			if (cost(ic) != NULL)
				sb_printf(&label, "\ncost %s", cost(ic));
			if (down || is_shut(ic))
				sb_add(&label, "\ndown");
			if (p->fmt == F_MERMAID) {
				sb_printf(&p->out, "  n%d %s|\"", d,
				    down || is_shut(ic) ? "-.-" : "---");
				esc(&p->out, sb_str(&label), p->fmt);
				sb_printf(&p->out, "\"| s%zu\n", seg);
				mermaid_edge(p, member ? PATH_MERMAID : NULL);
			} else {
				sb_add(&p->out, "  \"");
				esc(&p->out, p->d[d].name, p->fmt);
				sb_printf(&p->out, "\" -- \"segment %zu\" [label=\"", seg);
				esc(&p->out, sb_str(&label), p->fmt);
				sb_printf(&p->out, "\"%s%s];\n",
				    down || is_shut(ic) ? ", style=dashed" : "", member ? PATH_DOT : "");
			}
		}
		sb_free(&label);
		return;
	}
	for (int j = 0; j < 2; j++)
		if (eps->v[j]->type != CFG_SCALAR ||
		    (dev[j] = endpoint(p, eps->v[j]->str, &ifc[j])) < 0)
			return;
	subnet(ifc[0], s0);
	subnet(ifc[1], s1);
	/* One subnet, or both ends' when they differ (a switch port has none). */
	sb_add(&label, s0[0] != '\0' ? s0 : s1);
	if (s0[0] != '\0' && s1[0] != '\0' && strcmp(s0, s1) != 0)
		sb_printf(&label, ", %s", s1);
	if (cost(ifc[0]) != NULL || cost(ifc[1]) != NULL) {
		const char *c0 = cost(ifc[0]) != NULL ? cost(ifc[0]) : "-";
		const char *c1 = cost(ifc[1]) != NULL ? cost(ifc[1]) : "-";

		if (strcmp(c0, c1) == 0)
			sb_printf(&label, "\ncost %s", c0);
		else
			sb_printf(&label, "\ncost %s/%s", c0, c1);
	}
	down = down || is_shut(ifc[0]) || is_shut(ifc[1]);
	if (down)
		sb_printf(&label, "\n%s",
		    up != NULL && strcmp(up, "false") == 0 ? "down" : "shutdown");
	hot = path_step(p, p->d[dev[0]].name, strchr(eps->v[0]->str, ':') + 1, p->d[dev[1]].name,
	    strchr(eps->v[1]->str, ':') + 1);
	if (p->fmt == F_MERMAID) {
		sb_printf(&p->out, "  n%d %s|\"", dev[0], down ? "-.-" : "---");
		esc(&p->out, sb_str(&label), p->fmt);
		sb_printf(&p->out, "\"| n%d\n", dev[1]);
		mermaid_edge(p, hot ? PATH_MERMAID : NULL);
	} else {
		sb_add(&p->out, "  \"");
		esc(&p->out, p->d[dev[0]].name, p->fmt);
		sb_add(&p->out, "\" -- \"");
		esc(&p->out, p->d[dev[1]].name, p->fmt);
		sb_add(&p->out, "\" [label=\"");
		esc(&p->out, sb_str(&label), p->fmt);
		sb_add(&p->out, "\", taillabel=\"");
		esc(&p->out, strchr(eps->v[0]->str, ':') + 1, p->fmt);
		sb_add(&p->out, "\", headlabel=\"");
		esc(&p->out, strchr(eps->v[1]->str, ':') + 1, p->fmt);
		sb_printf(&p->out, "\"%s];\n",
		    hot ? PATH_DOT : (down ? ", style=dashed, color=gray" : ""));
	}
	sb_free(&label);
}

/* A protocol adjacency: an edge of its own, bold and colored, that does not place devices. */
static void
draw_adjacency(struct pic *p, const struct graph_adj *a)
{
	const char *color = strncmp(a->label, "IS-IS", 5) == 0 ? "#2ca02c" : "#1f77b4";
	uint64_t slot;
	int x = find_dev(p, a->a, &slot), y = find_dev(p, a->b, &slot);

	if (x < 0 || y < 0)
		return;
	if (p->fmt == F_MERMAID) {
		struct strbuf st = STRBUF_INIT;

		sb_printf(&p->out, "  n%d ===|\"", x);
		esc(&p->out, a->label, p->fmt);
		sb_printf(&p->out, "\"| n%d\n", y);
		sb_printf(&st, "stroke:%s,stroke-width:2px,stroke-dasharray:6 3", color);
		mermaid_edge(p, sb_str(&st));
		sb_free(&st);
		return;
	}
	sb_add(&p->out, "  \"");
	esc(&p->out, a->a, p->fmt);
	sb_add(&p->out, "\" -- \"");
	esc(&p->out, a->b, p->fmt);
	sb_add(&p->out, "\" [label=\"");
	esc(&p->out, a->label, p->fmt);
	sb_printf(&p->out, "\", color=\"%s\", fontcolor=\"%s\", style=\"bold,dotted\", "
	    "penwidth=2, constraint=false, class=adjacency];\n", color, color);
}

/* The directory of PATH holding an executable `prog`, or false. */
static bool
in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[4096];

	while (path != NULL && *path != '\0') {
		size_t n = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, n > 0 ? path : ".", prog);
		if (access(buf, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

/* Pipe the DOT text through `dot -Tsvg` into out (stdout when NULL). */
static int
render_svg(const struct strbuf *dot, const char *out)
{
	int fd[2], status;
	pid_t pid;
	size_t off = 0;

	if (!in_path("dot")) {
		fprintf(stderr,
		    "netsim graph: --format svg needs Graphviz's dot program, which is not "
		    "installed (Debian: apt-get install graphviz); --format dot or mermaid "
		    "need nothing\n");
		return 1;
	}
	if (pipe(fd) != 0) {
		perror("netsim graph: pipe");
		return 1;
	}
	fflush(stdout);
	if ((pid = fork()) < 0) {
		perror("netsim graph: fork");
		return 1;
	}
	if (pid == 0) {
		int o = out != NULL ? open(out, O_WRONLY | O_CREAT | O_TRUNC, 0666) : 1;

		if (o < 0) {
			fprintf(stderr, "netsim graph: %s: %s\n", out, strerror(errno));
			_exit(1);
		}
		dup2(fd[0], 0);
		dup2(o, 1);
		close(fd[1]);
		execlp("dot", "dot", "-Tsvg", (char *)NULL);
		fprintf(stderr, "netsim graph: dot: %s\n", strerror(errno));
		_exit(127);
	}
	close(fd[0]);
	while (off < dot->len) {
		ssize_t w = write(fd[1], dot->s + off, dot->len - off);

		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(fd[1]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "netsim graph: dot failed\n");
		return 1;
	}
	return 0;
}

int
cmd_graph(int argc, char **argv)
{
	struct pic p;
	const char *path = NULL, *out = NULL, *name;
	const struct cfg *devs, *links;
	struct cfg_doc *doc;
	struct graph_run run;
	bool adjacencies = false, unreached = false;
	const char *src = NULL, *dst = NULL;
	int status = 1;

	memset(&p, 0, sizeof(p));
	memset(&run, 0, sizeof(run));
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			const char *f = argv[++i];

			if (strcmp(f, "dot") == 0)
				p.fmt = F_DOT;
			else if (strcmp(f, "mermaid") == 0)
				p.fmt = F_MERMAID;
			else if (strcmp(f, "svg") == 0)
				p.fmt = F_SVG;
			else {
				fprintf(stderr,
				    "netsim graph: unknown format '%s' (dot, mermaid, svg)\n", f);
				return 2;
			}
		} else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			out = argv[++i];
		} else if (strcmp(argv[i], "--adjacencies") == 0) {
			adjacencies = true;
		} else if (strcmp(argv[i], "--path") == 0) {
			if (i + 2 >= argc) {
				fputs("netsim graph: --path needs SRC and DST (a device, and a device "
				      "or an address)\n", stderr);
				return 2;
			}
			src = argv[++i];
			dst = argv[++i];
		} else if (argv[i][0] == '-' || path != NULL) {
			fprintf(stderr, "netsim graph: unexpected argument '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		} else {
			path = argv[i];
		}
	}
	if (path == NULL) {
		usage(stderr);
		return 2;
	}
	doc = cfg_load_yaml(path);
	if (doc->root == NULL || doc->nerrors > 0 || doc->root->type != CFG_MAP) {
		fputs(sb_str(&doc->errors), stderr);
		if (doc->nerrors == 0)
			fprintf(stderr,
			    "%s: not a topology (expected a mapping with devices and links)\n",
			    path);
		cfg_doc_free(doc);
		return 2;
	}
	if (adjacencies || src != NULL) {
		struct strbuf err = STRBUF_INIT;

		if (graph_run(path, adjacencies, src, dst, &run, &err) < 0) {
			fputs(sb_str(&err), stderr);
			if (err.len == 0 || err.s[err.len - 1] != '\n')
				fputc('\n', stderr);
			sb_free(&err);
			graph_run_free(&run);
			cfg_doc_free(doc);
			return 2;
		}
		sb_free(&err);
		p.run = &run;
		if (!run.converged)
			fprintf(stderr, "netsim graph: %s did not converge within 600s of "
			    "simulated time; drawn as it was then\n", path);
	}
	hmap_init(&p.byname);
	sb_init(&p.out);
	sb_init(&p.styles);
	devs = seq(doc->root, "devices");
	links = seq(doc->root, "links");
	for (size_t i = 0; devs != NULL && i < devs->n; i++) {
		const struct cfg *dv = devs->v[i];
		struct dev d = {sval(dv, "name"), sval(dv, "type"), NULL, seq(dv, "interfaces")};
		uint64_t slot;

		if (d.name == NULL || find_dev(&p, d.name, &slot) >= 0)
			continue;
		for (size_t j = 0; d.ifs != NULL && j < d.ifs->n && d.lo == NULL; j++) {
			const char *n = sval(d.ifs->v[j], "name");

			if (n != NULL && strncmp(n, "lo", 2) == 0)
				d.lo = sval(d.ifs->v[j], "ip");
		}
		VEC_PUSH(p.d, p.nd, p.cap, d);
		hmap_put(&p.byname, slot, (void *)(uintptr_t)p.nd);
	}
	name = sval(doc->root, "name") != NULL ? sval(doc->root, "name") : path;
	if (p.fmt == F_MERMAID) {
		sb_add(&p.out, "---\ntitle: ");
		esc(&p.out, name, p.fmt);
		sb_add(&p.out, "\n---\ngraph LR\n");
	} else {
		sb_add(&p.out, "graph \"");
		esc(&p.out, name, p.fmt);
		sb_add(&p.out, "\" {\n  graph [overlap=false, fontname=\"Helvetica\"];\n"
			       "  node [fontname=\"Helvetica\", fontsize=10];\n"
			       "  edge [fontname=\"Helvetica\", fontsize=8];\n");
	}
	for (size_t i = 0; i < p.nd; i++)
		draw_device(&p, i);
	for (size_t i = 0; links != NULL && i < links->n; i++)
		draw_link(&p, links->v[i]);
	for (size_t i = 0; p.run != NULL && i < p.run->nadj; i++)
		draw_adjacency(&p, &p.run->adj[i]);
	if (p.run != NULL && p.run->npath > 0) {
		/* Where the traceroute went, as a caption. */
		struct strbuf cap = STRBUF_INIT;

		sb_printf(&cap, "path %s -> %s:", src, p.run->path_dst);
		for (size_t i = 0; i < p.run->npath; i++)
			sb_printf(&cap, " %s", p.run->path[i].dev);
		if (!p.run->reached)
			sb_add(&cap, " (not reached)");
		if (p.fmt == F_MERMAID) {
			sb_add(&p.out, "  %% ");
			sb_add(&p.out, sb_str(&cap));
			sb_add(&p.out, "\n");
		} else {
			sb_add(&p.out, "  label=\"");
			esc(&p.out, sb_str(&cap), p.fmt);
			sb_add(&p.out, "\";\n");
		}
		if (!p.run->reached) {
			fprintf(stderr, "netsim graph: the traceroute from %s did not reach %s; "
			    "the path drawn stops at %s\n", src, dst,
			    p.run->path[p.run->npath - 1].dev);
			unreached = true;
		}
		sb_free(&cap);
	}
	sb_add(&p.out, sb_str(&p.styles));
	if (p.fmt != F_MERMAID)
		sb_add(&p.out, "}\n");
	if (p.fmt == F_SVG) {
		status = render_svg(&p.out, out);
	} else {
		FILE *f = out != NULL ? fopen(out, "w") : stdout;

		if (f == NULL) {
			fprintf(stderr, "netsim graph: %s: %s\n", out, strerror(errno));
		} else {
			fputs(sb_str(&p.out), f);
			status = fflush(f) != 0 || ferror(f) ? 1 : 0;
			if (out != NULL)
				fclose(f);
		}
	}
	sb_free(&p.out);
	sb_free(&p.styles);
	free(p.d);
	hmap_free(&p.byname);
	graph_run_free(&run);
	cfg_doc_free(doc);
	return status != 0 ? status : unreached;
}
