/*
 * cmd_route.c: `show ip route [vrf NAME]` in Cisco/FRR text and FRR-compatible
 * JSON, and `show ip protocols`, whose sections come from each protocol's hook.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "../net/fib.h"
#include "../net/rib.h"
#include "../net/vrf.h"
#include "../proto/proto.h"
#include "cli.h"
#include "cmds.h"

/*
 * The route-code legend, from the registry: each protocol's codes in registry
 * order, packed greedily into rows of at most LEGEND_WIDTH columns as IOS
 * lays them out ("Codes: " then rows indented to match). 80 columns gives
 * IOS's rows for connected, static and OSPF.
 */
#define LEGEND_WIDTH 80
#define LEGEND_INDENT "       "

static struct strbuf legend = STRBUF_INIT;
static pthread_once_t legend_once = PTHREAD_ONCE_INIT;

/* Built once on first use; read-only afterwards (commands run on worker threads too). */
static void
legend_build(void)
{
	struct strbuf *b = &legend;
	size_t row = 0; /* where the current row starts */
	bool first = true;

	sb_add(b, "Codes: ");
	for (int i = 0; i < proto_count; i++) {
		const char *const *code = proto_registry[i]->route_codes;

		for (; code && *code; code++) {
			if (!first && b->len - row + 2 + strlen(*code) > LEGEND_WIDTH) {
				sb_addc(b, '\n');
				row = b->len;
				sb_add(b, LEGEND_INDENT);
				first = true;
			}
			if (!first)
				sb_add(b, ", ");
			sb_add(b, *code);
			first = false;
		}
	}
	sb_add(b, "\n" LEGEND_INDENT "* - candidate default\n\n");
}

const char *
cli_route_legend(void)
{
	pthread_once(&legend_once, legend_build);
	return sb_str(&legend);
}

static const char *
ifname(const struct node *n, const struct nexthop *nh)
{
	return n->ifs[nh->ifindex]->name;
}

/* The VRF whose table rib is. */
static uint16_t
rib_vrf(const struct node *n, const struct rib *rib)
{
	for (uint16_t v = 1; v <= n->nvrfs; v++)
		if (node_rib(n, v) == rib)
			return v;
	return VRF_DEFAULT;
}

/*
 * A next hop's VRF when it is not the table's (a leaked route: FRR's
 * nexthop-vrf), NULL otherwise: FRR prints it as " (vrf NAME)" after the
 * interface and gives it as "vrf" in JSON.
 */
static const char *
nh_vrf(const struct node *n, const struct rib *rib, const struct nexthop *nh)
{
	uint16_t v = n->ifs[nh->ifindex]->vrf;

	return v != rib_vrf(n, rib) ? node_vrf_name(n, v) : NULL;
}

/* The interface of a next hop, and " (vrf NAME)" for another VRF's. */
static void
nh_iface_text(struct strbuf *b, const struct node *n, const struct rib *rib,
    const struct nexthop *nh)
{
	const char *vrf = nh_vrf(n, rib, nh);

	sb_add(b, ifname(n, nh));
	if (vrf != NULL)
		sb_printf(b, " (vrf %s)", vrf);
}

/* FRR's ", label 16/17" after a next hop that pushes labels. */
static void
labels_text(struct strbuf *b, const struct rib *rib, const struct nexthop *nh)
{
	const struct label_stack *ls = rib_labels(rib, nh->labels);

	for (int i = 0; ls != NULL && i < ls->n; i++)
		sb_printf(b, "%s%u", i == 0 ? ", label " : "/", ls->label[i]);
}

static int
nnh(const struct nhg *g)
{
	return g ? g->n : 0;
}

/* One route in the Cisco layout; continuation lines for ECMP next hops. */
static void
route_text(struct cli_ctx *c, const struct rib *rib, const struct rib_entry *e,
    const struct rib_path *r)
{
	struct strbuf *b = &c->out;
	struct prefix pfx = rib_prefix(e);
	const struct nhg *g = rib_path_nhg(rib, r);
	sim_time age = node_now(c->node) - rib_path_since(r);
	const char *code;
	size_t col;

	code = rib_path_code(r);
	if (pfx.len == 0) /* Cisco marks the candidate default after the protocol: S*, O*E2, O*IA */
		sb_printf(b, "%c*%s", code[0], code[1] == ' ' ? code + 2 : code + 1);
	else
		sb_add(b, code);
	sb_pad(b, 6);
	sb_printf(b, "%s", prefix_str(&pfx));
	if (nnh(g) == 0) {
		sb_printf(b, " [%u/%u] is a blackhole\n", r->distance, r->metric);
		return;
	}
	if (r->distance == 0 && g->nh[0].gw == 0) {
		sb_printf(b, " is directly connected, %s\n", ifname(c->node, &g->nh[0]));
		return;
	}
	sb_addc(b, ' ');
	col = 0;
	while (col < b->len && b->s[b->len - col - 1] != '\n')
		col++;
	for (int i = 0; i < nnh(g); i++) {
		const struct nexthop *nh = &g->nh[i];

		if (i > 0)
			sb_pad(b, col);
		sb_printf(b, "[%u/%u] ", r->distance, r->metric);
		if (nh->gw)
			sb_printf(b, "via %s, ", ip_str(nh->gw));
		else
			sb_add(b, "is directly connected, ");
		nh_iface_text(b, c->node, rib, nh);
		labels_text(b, rib, nh);
		if (r->distance > 1)
			sb_printf(b, ", %s", cli_age(age));
		sb_addc(b, '\n');
	}
}

static void
route_json(struct cli_ctx *c, const struct rib *rib, const struct rib_entry *e,
    const struct rib_path *r)
{
	struct json *j = &c->j;
	bool best = r == rib_best(e);
	struct prefix pfx = rib_prefix(e);
	const struct nhg *g = rib_path_nhg(rib, r);

	json_obj_begin(j);
	json_kv_str(j, "prefix", prefix_str(&pfx));
	json_kv_int(j, "prefixLen", pfx.len);
	json_kv_str(j, "protocol", rib_path_src(r)->name);
	json_kv_str(j, "code", rib_path_code(r));
	json_kv_bool(j, "selected", best);
	json_kv_bool(j, "installed", best && e->installed);
	json_kv_int(j, "distance", r->distance);
	json_kv_int(j, "metric", r->metric);
	if (rib_path_tag(rib, r))
		json_kv_int(j, "tag", rib_path_tag(rib, r));
	json_kv_str(j, "uptime", cli_age(node_now(c->node) - rib_path_since(r)));
	if (nnh(g) == 0)
		json_kv_bool(j, "blackhole", true);
	json_key(j, "nexthops");
	json_arr_begin(j);
	for (int i = 0; i < nnh(g); i++) {
		const struct nexthop *nh = &g->nh[i];

		json_obj_begin(j);
		if (nh->gw) {
			json_kv_str(j, "ip", ip_str(nh->gw));
			json_kv_str(j, "afi", "ipv4");
		} else {
			json_kv_bool(j, "directlyConnected", true);
		}
		json_kv_int(j, "interfaceIndex", nh->ifindex);
		json_kv_str(j, "interfaceName", ifname(c->node, nh));
		if (nh_vrf(c->node, rib, nh) != NULL)
			json_kv_str(j, "vrf", nh_vrf(c->node, rib, nh));
		if (nh->labels) {
			const struct label_stack *ls = rib_labels(rib, nh->labels);

			json_key(j, "labels");
			json_arr_begin(j);
			for (int k = 0; k < ls->n; k++)
				json_int(j, ls->label[k]);
			json_arr_end(j);
		}
		json_kv_bool(j, "active", true);
		json_kv_bool(j, "fib", best && e->installed);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void
entry_json(struct cli_ctx *c, const struct rib *rib, const struct rib_entry *e)
{
	struct prefix pfx = rib_prefix(e);

	json_key(&c->j, prefix_str(&pfx));
	json_arr_begin(&c->j);
	for (const struct rib_path *r = rib_best(e); r; r = rib_path_next(rib, r))
		route_json(c, rib, e, r);
	json_arr_end(&c->j);
}

/* `show ip route A.B.C.D[/LEN]`: the matching entry with every candidate route. */
static int
route_detail(struct cli_ctx *c, struct rib *rib, const char *arg)
{
	struct node *n = c->node;
	struct prefix p;
	const struct rib_entry *e = NULL;

	if (!prefix_parse(arg, &p))
		return cli_fail(c, "expected an address or prefix, got '%s'", arg);
	if (strchr(arg, '/') == NULL) {
		struct fib_entry fe;

		if (fib_lookup(rib, p.addr, &fe))
			e = rib_lookup_exact(rib, &fe.pfx);
	} else {
		e = rib_lookup_exact(rib, &p);
	}
	if (c->json) {
		json_obj_begin(&c->j);
		if (e)
			entry_json(c, rib, e);
		json_obj_end(&c->j);
		return 0;
	}
	if (e == NULL)
		return cli_fail(c, "Network not in table");
	p = rib_prefix(e);
	cli_printf(c, "Routing entry for %s\n", prefix_str(&p));
	for (const struct rib_path *r = rib_best(e); r; r = rib_path_next(rib, r)) {
		const struct nhg *g = rib_path_nhg(rib, r);

		cli_printf(c, "  Known via \"%s\", distance %u, metric %u%s%s\n",
		    rib_path_src(r)->name, r->distance, r->metric, r == rib_best(e) ? ", best" : "",
		    r == rib_best(e) && e->installed ? ", installed" : "");
		cli_printf(c, "  Last update %s ago\n", cli_age(node_now(n) - rib_path_since(r)));
		for (int i = 0; i < nnh(g); i++) {
			const struct nexthop *nh = &g->nh[i];

			if (nh->gw)
				cli_printf(c, "  * %s, via ", ip_str(nh->gw));
			else
				cli_printf(c, "  * directly connected, via ");
			nh_iface_text(&c->out, n, rib, nh);
			labels_text(&c->out, rib, nh);
			cli_printf(c, "\n");
		}
		if (nnh(g) == 0)
			cli_printf(c, "  * blackhole\n");
	}
	return 0;
}

/*
 * `show ip route summary`, as FRR's: per protocol the routes it offers (every
 * candidate path) and those in the FIB (the selected ones installed), in
 * registry order, protocols without routes left out; JSON with FRR's keys.
 */
static void
route_summary(struct cli_ctx *c, const struct rib *tab, const char *vrf, struct rib_entry **v,
    size_t cnt)
{
	struct json *j = &c->j;
	unsigned total = 0, total_fib = 0;

	if (c->json) {
		json_obj_begin(j);
		json_key(j, "routes");
		json_arr_begin(j);
	} else {
		cli_printf(c, "%-20s %-20s %s  (vrf %s)\n", "Route Source", "Routes", "FIB", vrf);
	}
	for (int p = 0; p < proto_count; p++) {
		const char *name = proto_registry[p]->name;
		unsigned rib = 0, fib = 0;

		for (size_t i = 0; i < cnt; i++)
			for (const struct rib_path *r = rib_best(v[i]); r; r = rib_path_next(tab, r))
				if (strcmp(rib_path_src(r)->name, name) == 0) {
					rib++;
					fib += r == rib_best(v[i]) && v[i]->installed;
				}
		if (rib == 0)
			continue;
		total += rib;
		total_fib += fib;
		if (c->json) {
			json_obj_begin(j);
			json_kv_int(j, "fib", fib);
			json_kv_int(j, "rib", rib);
			json_kv_int(j, "fibOffLoaded", 0);
			json_kv_int(j, "fibTrapped", 0);
			json_kv_str(j, "type", name);
			json_obj_end(j);
		} else {
			cli_printf(c, "%-20s %-20u %u\n", name, rib, fib);
		}
	}
	if (c->json) {
		json_arr_end(j);
		json_kv_int(j, "routesTotal", total);
		json_kv_int(j, "routesTotalFib", total_fib);
		json_obj_end(j);
	} else {
		cli_printf(c, "------\n%-20s %-20u %u\n", "Totals", total, total_fib);
	}
}

/*
 * The words `show ip route` takes besides a prefix: the registry's protocols
 * (returns the protocol's index) and `summary` (returns proto_count); -1
 * after a failure (an unknown or ambiguous word, a protocol this build lacks).
 */
#define ROUTE_WORDS_MAX 32

static int
route_word(struct cli_ctx *c, const char *word)
{
	const char *words[ROUTE_WORDS_MAX];
	int n = 0;

	if (cli_unavailable(c, word))
		return -1;
	for (int i = 0; i < proto_count && n < ROUTE_WORDS_MAX - 1; i++)
		words[n++] = proto_registry[i]->name;
	words[n++] = "summary";
	return cli_keyword(c, "protocol", word, words, n);
}

/* `show ip route` in one VRF: its RIB and name. */
static int
show_route(struct cli_ctx *c, uint16_t vrf, int argc, char **argv)
{
	struct rib *rib = node_rib(c->node, vrf);
	struct rib_entry **v;
	size_t cnt;
	const struct rib_entry *dflt;
	const struct nhg *dg;
	struct prefix zero = {0, 0};
	const char *proto = NULL;

	if (argc > 1)
		return cli_fail(c, "usage: show ip route %s[PREFIX | summary | connected | static | "
				   "ospf | ...]", vrf ? "vrf NAME " : "");
	if (argc == 1) {
		if ((argv[0][0] >= '0' && argv[0][0] <= '9'))
			return route_detail(c, rib, argv[0]);
		int k = route_word(c, argv[0]);

		if (k < 0)
			return 1;
		if (k < proto_count)
			proto = proto_registry[k]->name;
	}
	v = rib_sorted(rib, &cnt);
	if (argc == 1 && proto == NULL) {
		route_summary(c, rib, node_vrf_name(c->node, vrf), v, cnt);
		free(v);
		return 0;
	}
	if (c->json) {
		json_obj_begin(&c->j);
		for (size_t i = 0; i < cnt; i++)
			if (proto == NULL || strcmp(rib_path_src(rib_best(v[i]))->name, proto) == 0)
				entry_json(c, rib, v[i]);
		json_obj_end(&c->j);
		free(v);
		return 0;
	}
	if (vrf != VRF_DEFAULT) /* as IOS heads a VRF's table */
		cli_printf(c, "Routing Table: %s\n", node_vrf_name(c->node, vrf));
	sb_add(&c->out, cli_route_legend());
	dflt = rib_lookup_exact(rib, &zero);
	dg = dflt && dflt->installed ? rib_path_nhg(rib, rib_best(dflt)) : NULL;
	if (nnh(dg) > 0 && dg->nh[0].gw)
		cli_printf(c, "Gateway of last resort is %s to network 0.0.0.0\n\n", ip_str(dg->nh[0].gw));
	else
		cli_printf(c, "Gateway of last resort is not set\n\n");
	for (size_t i = 0; i < cnt; i++)
		if (proto == NULL || strcmp(rib_path_src(rib_best(v[i]))->name, proto) == 0)
			route_text(c, rib, v[i], rib_best(v[i]));
	free(v);
	return 0;
}

/* `show ip route`: the default VRF's table. */
static int
cmd_show_ip_route(struct cli_ctx *c, int argc, char **argv)
{
	return show_route(c, VRF_DEFAULT, argc, argv);
}

/* `show ip route vrf NAME`: a VRF's. */
static int
cmd_show_ip_route_vrf(struct cli_ctx *c, int argc, char **argv)
{
	int vrf;

	if (argc < 1)
		return cli_fail(c, "usage: show ip route vrf NAME [PREFIX | summary | PROTOCOL]");
	if ((vrf = cli_vrf_arg(c, argv[0])) < 0)
		return 1;
	return show_route(c, (uint16_t)vrf, argc - 1, argv + 1);
}

/*
 * `show ip protocols`: each running protocol's section in registry order
 * (text), or one member per protocol keyed by its name (JSON: {"ospf": {...}});
 * protocols without the hook (connected, static) report nothing.
 */
static int
cmd_show_ip_protocols(struct cli_ctx *c, int argc UNUSED, char **argv UNUSED)
{
	struct node *n = c->node;
	int shown = 0;

	if (c->json)
		json_obj_begin(&c->j);
	for (int i = 0; i < proto_count && n->pi; i++) {
		struct proto_inst *pi = n->pi[i];

		if (pi && pi->running && pi->proto->show_protocols) {
			pi->proto->show_protocols(pi, c);
			shown++;
		}
	}
	if (c->json)
		json_obj_end(&c->j);
	else if (shown == 0)
		cli_printf(c, "%% No routing protocol is running on %s\n", n->name);
	return 0;
}

const struct cli_cmd cmds_route[] = {
	{"show ip route", "[PREFIX|PROTOCOL|summary]",
	    "the routing table (best routes; a prefix: all candidates; summary: counts per protocol)",
	    cmd_show_ip_route, CLI_L3 | CLI_JSON},
	{"show ip route vrf", "NAME [PREFIX|PROTOCOL|summary]",
	    "the routing table of VRF NAME, as show ip route", cmd_show_ip_route_vrf,
	    CLI_ROUTER | CLI_JSON},
	{"show ip protocols", "", "each routing protocol: identity, networks, route sources",
	    cmd_show_ip_protocols, CLI_ROUTER | CLI_JSON},
	{NULL},
};
