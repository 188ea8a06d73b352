/*
 * cmd_tables.c: `tables`, a network command: every router's and host's
 * routing table and protocol adjacencies in one normalized JSON object, read
 * through the devices' own JSON show commands (show ip route, show ip ospf
 * neighbor, show isis neighbor, show bgp summary, show mpls ldp neighbor), so
 * that two networks can be compared (netsim diff, MCP's diff; docs/mcp.md):
 *
 *   {"devices": {"r1": {"routes": {"10.0.3.0/24": {"protocol": "ospf",
 *      "distance": 110, "metric": 11, "nexthops": ["10.0.13.3 eth1"]}, ...},
 *      "adjacencies": {"ospf 3.3.3.3 eth1": "Full", "bgp 10.0.12.2":
 *      "Established", ...}}, ...}}
 *
 * Only what describes forwarding and sessions is kept: the selected route of
 * each prefix, and each adjacency's state (not its timers or counters, which
 * differ from one instant to the next).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "cmd_net.h"

/* A device command's JSON result, or NULL (no such command here, or it failed). */
static struct jval *
run_json(struct network *net, struct node *n, const char *line)
{
	struct cli_ctx c;
	struct jval *v = NULL;
	char perr[128];

	if (!cli_has_command(n, line))
		return NULL;
	cli_ctx_init(&c, net, n);
	c.json_if_any = true;
	if (cli_exec(&c, line) == 0 && c.out.len > 0)
		v = json_parse(c.out.s, c.out.len, perr, sizeof(perr));
	cli_ctx_free(&c);
	return v;
}

/* The selected route of each prefix: protocol, distance, metric, next hops as "IP IF". */
static void
routes(struct json *j, const struct jval *r)
{
	json_key(j, "routes");
	json_obj_begin(j);
	for (size_t i = 0; r != NULL && r->type == J_OBJ && i < r->n; i++) {
		const struct jval *paths = r->elem[i];

		for (size_t k = 0; paths->type == J_ARR && k < paths->n; k++) {
			const struct jval *p = paths->elem[k], *sel = jval_get(p, "selected");
			const struct jval *nhs = jval_get(p, "nexthops"), *v;

			if (sel == NULL || sel->type != J_BOOL || !sel->b)
				continue;
			json_key(j, r->keys[i]);
			json_obj_begin(j);
			json_kv_str(j, "protocol", jval_str(p, "protocol") ? jval_str(p, "protocol") : "");
			if ((v = jval_get(p, "distance")) != NULL && v->type == J_NUM)
				json_kv_int(j, "distance", (int64_t)v->num);
			if ((v = jval_get(p, "metric")) != NULL && v->type == J_NUM)
				json_kv_int(j, "metric", (int64_t)v->num);
			json_key(j, "nexthops");
			json_arr_begin(j);
			for (size_t h = 0; nhs != NULL && nhs->type == J_ARR && h < nhs->n; h++) {
				const char *ip = jval_str(nhs->elem[h], "ip");
				const char *ifn = jval_str(nhs->elem[h], "interfaceName");
				char buf[128];

				snprintf(buf, sizeof(buf), "%s %s", ip ? ip : "connected", ifn ? ifn : "-");
				json_str(j, buf);
			}
			json_arr_end(j);
			json_obj_end(j);
			break;
		}
	}
	json_obj_end(j);
}

static void
adjacency(struct json *j, const char *proto, const char *who, const char *where,
    const char *state)
{
	char key[256];

	if (who == NULL || state == NULL)
		return;
	snprintf(key, sizeof(key), "%s %s%s%s", proto, who, where ? " " : "", where ? where : "");
	json_kv_str(j, key, state);
}

/* OSPF: neighbors {RID: [{nbrState "Full/DR", ifaceName "eth0:10.0.12.1"}]}; the role is left out. */
static void
adj_ospf(struct json *j, const struct jval *r)
{
	const struct jval *nb = jval_get(r, "neighbors");

	for (size_t i = 0; nb != NULL && nb->type == J_OBJ && i < nb->n; i++)
		for (size_t k = 0; nb->elem[i]->type == J_ARR && k < nb->elem[i]->n; k++) {
			const struct jval *e = nb->elem[i]->elem[k];
			const char *st = jval_str(e, "nbrState"), *ifn = jval_str(e, "ifaceName");
			char s[64], f[64];

			if (st == NULL)
				continue;
			snprintf(s, sizeof(s), "%.*s", (int)strcspn(st, "/"), st);
			snprintf(f, sizeof(f), "%.*s", ifn ? (int)strcspn(ifn, ":") : 0, ifn ? ifn : "");
			adjacency(j, "ospf", nb->keys[i], f[0] ? f : NULL, s);
		}
}

/* IS-IS: areas [{circuits [{adj, interface, level, state}]}]. */
static void
adj_isis(struct json *j, const struct jval *r)
{
	const struct jval *areas = jval_get(r, "areas");

	for (size_t a = 0; areas != NULL && areas->type == J_ARR && a < areas->n; a++) {
		const struct jval *cs = jval_get(areas->elem[a], "circuits");

		for (size_t i = 0; cs != NULL && cs->type == J_ARR && i < cs->n; i++) {
			const struct jval *c = cs->elem[i], *lv = jval_get(c, "level");
			char where[96];

			snprintf(where, sizeof(where), "%s L%d", jval_str(c, "interface") ?
			    jval_str(c, "interface") : "-", lv && lv->type == J_NUM ? (int)lv->num : 0);
			adjacency(j, "isis", jval_str(c, "adj"), where, jval_str(c, "state"));
		}
	}
}

/* BGP: ipv4Unicast.peers {IP: {state}}. */
static void
adj_bgp(struct json *j, const struct jval *r)
{
	const struct jval *peers = jval_get(jval_get(r, "ipv4Unicast"), "peers");

	for (size_t i = 0; peers != NULL && peers->type == J_OBJ && i < peers->n; i++)
		adjacency(j, "bgp", peers->keys[i], NULL, jval_str(peers->elem[i], "state"));
}

/* LDP: neighbors [{neighborId, state}]. */
static void
adj_ldp(struct json *j, const struct jval *r)
{
	const struct jval *nb = jval_get(r, "neighbors");

	for (size_t i = 0; nb != NULL && nb->type == J_ARR && i < nb->n; i++)
		adjacency(j, "ldp", jval_str(nb->elem[i], "neighborId"), NULL,
		    jval_str(nb->elem[i], "state"));
}

static const struct {
	const char *line;
	void (*add)(struct json *, const struct jval *);
} adj_cmds[] = {
    {"show ip ospf neighbor", adj_ospf},
    {"show isis neighbor", adj_isis},
    {"show bgp summary", adj_bgp},
    {"show mpls ldp neighbor", adj_ldp},
};

int
cmd_net_tables(struct cli_ctx *c, int argc, char **argv UNUSED)
{
	struct network *net = c->net;
	struct strbuf b = STRBUF_INIT;
	struct json j;

	if (argc != 0)
		return cli_fail(c, "usage: tables");
	json_init(&j, &b, false);
	json_obj_begin(&j);
	json_key(&j, "devices");
	json_obj_begin(&j);
	for (size_t i = 0; i < net->nnodes; i++) {
		struct node *n = net->nodes[i];
		struct jval *r;

		if (n->rib == NULL)
			continue;
		json_key(&j, n->name);
		json_obj_begin(&j);
		r = run_json(net, n, "show ip route");
		routes(&j, r);
		jval_free(r);
		json_key(&j, "adjacencies");
		json_obj_begin(&j);
		for (size_t k = 0; k < ARRAY_LEN(adj_cmds); k++) {
			if ((r = run_json(net, n, adj_cmds[k].line)) != NULL)
				adj_cmds[k].add(&j, r);
			jval_free(r);
		}
		json_obj_end(&j);
		json_obj_end(&j);
	}
	json_obj_end(&j);
	json_obj_end(&j);
	if (c->json)
		json_raw(&c->j, sb_str(&b));
	else
		cli_printf(c, "%s\n", sb_str(&b));
	sb_free(&b);
	return 0;
}
