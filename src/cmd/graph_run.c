/*
 * graph_run.c: what `netsim graph --adjacencies / --path` draws on top of
 * the configuration (see graph_run.h): the topology built and run to
 * convergence in-process, then asked as a user would ask it, through the
 * device CLI's JSON forms: `show ip ospf neighbor json` and `show isis
 * neighbors json` for the adjacencies, `traceroute DST json` from SRC for
 * the path. Nothing here knows a protocol's internals; a protocol this build
 * lacks has no neighbor command, and so no adjacencies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cli/cli.h"
#include "../lib/ip.h"
#include "../lib/json.h"
#include "../lib/util.h"
#include "../net/converge.h"
#include "../proto/proto.h"
#include "../topo/topo.h"
#include "graph_run.h"

/* How long a topology may take to converge: as `converge`'s default. */
#define CONVERGE_LIMIT (600 * SIM_S)

/* The device owning addr (any interface, loopbacks included), and that interface. */
static struct node *
owner(struct network *net, uint32_t addr, const char **ifname)
{
	*ifname = NULL;
	for (size_t i = 0; i < net->nnodes; i++)
		for (size_t k = 0; k < net->nodes[i]->nifs; k++)
			if (net->nodes[i]->ifs[k]->addr == addr) {
				*ifname = net->nodes[i]->ifs[k]->name;
				return net->nodes[i];
			}
	return NULL;
}

/* A device command's JSON answer, or NULL (the command is missing here or failed). */
static struct jval *
ask(struct network *net, struct node *n, const char *cmd)
{
	struct cli_ctx c;
	struct jval *v = NULL;
	char err[128];

	cli_ctx_init(&c, net, n);
	if (cli_exec(&c, cmd) == 0 || strncmp(cmd, "traceroute", 10) == 0)
		v = c.out.len > 0 ? json_parse(c.out.s, c.out.len, err, sizeof(err)) : NULL;
	cli_ctx_free(&c);
	return v;
}

static void
add_adj(struct graph_run *g, const char *a, const char *b, const char *label)
{
	/* Each adjacency is seen from both ends: drawn once. */
	for (size_t i = 0; i < g->nadj; i++)
		if (strcmp(g->adj[i].label, label) == 0 &&
		    ((strcmp(g->adj[i].a, a) == 0 && strcmp(g->adj[i].b, b) == 0) ||
		    (strcmp(g->adj[i].a, b) == 0 && strcmp(g->adj[i].b, a) == 0)))
			return;
	struct graph_adj e = {xstrdup(a), xstrdup(b), ""};

	snprintf(e.label, sizeof(e.label), "%s", label);
	VEC_PUSH(g->adj, g->nadj, g->adjcap, e);
}

/* OSPF: the Full neighbors, by the address of their interface (RFC 2328 10.1). */
static void
ospf_adjacencies(struct graph_run *g, struct network *net, struct node *n)
{
	struct jval *v = ask(net, n, "show ip ospf neighbor json");
	const struct jval *nbrs = jval_get(v, "neighbors");

	for (size_t i = 0; nbrs != NULL && nbrs->type == J_OBJ && i < nbrs->n; i++)
		for (size_t k = 0; nbrs->elem[i]->type == J_ARR && k < nbrs->elem[i]->n; k++) {
			const struct jval *e = nbrs->elem[i]->elem[k];
			const char *st = jval_str(e, "converged"), *ad = jval_str(e, "ifaceAddress");
			const char *ifname;
			struct node *peer;
			uint32_t a;

			if (st == NULL || strcmp(st, "Full") != 0 || ad == NULL || !ip_parse(ad, &a) ||
			    (peer = owner(net, a, &ifname)) == NULL)
				continue;
			add_adj(g, n->name, peer->name, "OSPF");
		}
	jval_free(v);
}

/* IS-IS: the Up adjacencies, by the neighbor's hostname (RFC 5301), per level. */
static void
isis_adjacencies(struct graph_run *g, struct network *net, struct node *n)
{
	struct jval *v = ask(net, n, "show isis neighbors json");
	const struct jval *areas = jval_get(v, "areas");

	for (size_t i = 0; areas != NULL && areas->type == J_ARR && i < areas->n; i++) {
		const struct jval *circ = jval_get(areas->elem[i], "circuits");

		for (size_t k = 0; circ != NULL && circ->type == J_ARR && k < circ->n; k++) {
			const struct jval *e = circ->elem[k], *lv = jval_get(e, "level");
			const char *st = jval_str(e, "state"), *peer = jval_str(e, "adj");
			char label[24];

			if (st == NULL || strcmp(st, "Up") != 0 || peer == NULL ||
			    net_node(net, peer) == NULL)
				continue;
			snprintf(label, sizeof(label), "IS-IS L%d",
			    lv != NULL && lv->type == J_NUM ? (int)lv->num : 0);
			add_adj(g, n->name, peer, label);
		}
	}
	jval_free(v);
}

static void
add_hop(struct graph_run *g, const char *dev, const char *ifname)
{
	struct graph_hop h = {xstrdup(dev), ifname ? xstrdup(ifname) : NULL};

	VEC_PUSH(g->path, g->npath, g->pathcap, h);
}

/* An address of dst to trace to: its loopback's, else its first interface's. */
static uint32_t
target_addr(const struct node *dst)
{
	uint32_t first = 0;

	for (size_t k = 0; k < dst->nifs; k++) {
		if (dst->ifs[k]->kind == IF_LOOPBACK && dst->ifs[k]->addr != 0)
			return dst->ifs[k]->addr;
		if (first == 0)
			first = dst->ifs[k]->addr;
	}
	return first;
}

/* The devices a traceroute from src to dst (a device or an address) answers from. */
static int
trace_path(struct graph_run *g, struct network *net, const char *src, const char *dst,
    struct strbuf *err)
{
	struct node *s = net_node(net, src), *d = net_node(net, dst);
	const struct jval *hops, *rv;
	struct jval *v;
	char addr[IP_STRLEN], *cmd;
	uint32_t a;

	if (s == NULL) {
		sb_printf(err, "netsim graph: --path: no device '%s'\n", src);
		return -1;
	}
	if (d != NULL)
		a = target_addr(d);
	else if (!ip_parse(dst, &a)) {
		sb_printf(err, "netsim graph: --path: '%s' is neither a device nor an IPv4 address\n", dst);
		return -1;
	}
	if (a == 0) {
		sb_printf(err, "netsim graph: --path: device '%s' has no address to trace to\n", dst);
		return -1;
	}
	ip_fmt(a, addr);
	snprintf(g->path_dst, sizeof(g->path_dst), "%s", addr);
	cmd = xasprintf("traceroute %s json", addr);
	v = ask(net, s, cmd);
	free(cmd);
	if (v == NULL) {
		sb_printf(err, "netsim graph: --path: %s cannot traceroute (a switch?)\n", src);
		return -1;
	}
	add_hop(g, s->name, NULL);
	hops = jval_get(v, "hops");
	for (size_t i = 0; hops != NULL && hops->type == J_ARR && i < hops->n; i++) {
		const struct jval *pr = jval_get(hops->elem[i], "probes");
		const char *ha = NULL, *ifname;
		struct node *n;
		uint32_t h;

		for (size_t k = 0; pr != NULL && pr->type == J_ARR && k < pr->n && ha == NULL; k++)
			ha = jval_str(pr->elem[k], "address");
		/* A hop that did not answer: the path is known only up to here. */
		if (ha == NULL || !ip_parse(ha, &h) || (n = owner(net, h, &ifname)) == NULL)
			break;
		if (strcmp(n->name, g->path[g->npath - 1].dev) == 0)
			break; /* the last device answered again (!N, !H): no further */
		/* The answer of the destination comes from the probed address, not the way in. */
		add_hop(g, n->name, h == a && i + 1 == hops->n ? NULL : ifname);
	}
	rv = jval_get(v, "reached");
	g->reached = rv != NULL && rv->type == J_BOOL && rv->b;
	jval_free(v);
	return 0;
}

int
graph_run(const char *file, bool adjacencies, const char *src, const char *dst,
    struct graph_run *g, struct strbuf *err)
{
	struct topo_opts o = {0};
	struct topo *t;
	struct network *net;
	int rc = 0;

	memset(g, 0, sizeof(*g));
	proto_init_all();
	cli_setup();
	if ((t = topo_load_yaml(file, &o, err)) == NULL)
		return -1;
	net = t->net;
	/* The topology's own script (chaos, `at:` commands) is not run: the steady state. */
	converge_attach(net);
	net_start(net);
	converge_check(net);
	while (!net->converged && sim_step(&net->sim, CONVERGE_LIMIT))
		;
	g->converged = net->converged;
	g->converged_at = net->converged_at;
	for (size_t i = 0; adjacencies && i < net->nnodes; i++) {
		ospf_adjacencies(g, net, net->nodes[i]);
		isis_adjacencies(g, net, net->nodes[i]);
	}
	if (src != NULL && trace_path(g, net, src, dst, err) < 0)
		rc = -1;
	topo_free(t);
	return rc;
}

void
graph_run_free(struct graph_run *g)
{
	for (size_t i = 0; i < g->nadj; i++) {
		free(g->adj[i].a);
		free(g->adj[i].b);
	}
	free(g->adj);
	for (size_t i = 0; i < g->npath; i++) {
		free(g->path[i].dev);
		free(g->path[i].in_if);
	}
	free(g->path);
	memset(g, 0, sizeof(*g));
}
