/*
 * show.c: `show ldp bindings|neighbors [detail]|interface|discovery [detail]`,
 * `clear ldp neighbor`, and their FRR spellings (`show mpls ldp ...`), with
 * FRR 8.4's (ldpd) columns and JSON keys. Entries in address order: FECs by
 * prefix, neighbors by LSR ID, interfaces by index.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/cli.h"
#include "../../lib/json.h"
#include "../../lib/util.h"
#include "ldp.h"

/* LDP's instance where it runs; otherwise `{}` for JSON and a line for text (false: done). */
static const struct ldp *
running(struct cli_ctx *c)
{
	const struct ldp *l = c->node ? ldp_running(c->node) : NULL;

	if (l != NULL)
		return l;
	if (c->json) {
		json_obj_begin(&c->j);
		json_obj_end(&c->j);
	} else {
		cli_printf(c, "%% LDP is not running on %s\n", c->node ? c->node->name : "?");
	}
	return NULL;
}

/* Is nb the peer of a next hop of the route the RIB selected for f (FRR's "In Use")? */
static bool
in_use(const struct ldp *l, const struct ldp_binding *f, const struct ldp_nbr *nb)
{
	const struct rib_entry *e = rib_lookup_exact(l->node->rib, &f->pfx);
	const struct rib_path *best = e != NULL && e->installed ? rib_best(e) : NULL;
	const struct nhg *g = best != NULL ? rib_path_nhg(l->node->rib, best) : NULL;

	for (int i = 0; g != NULL && i < g->n; i++)
		if (ldp_nbr_by_addr(l, g->nh[i].gw) == nb)
			return true;
	return false;
}

static void
binding_row(struct cli_ctx *c, const struct ldp *l, const struct ldp_binding *f,
    const struct ldp_rmap *rm)
{
	char lb[16], rb[16];
	const char *local = ldp_label_str(f->local, lb, sizeof(lb));
	const char *remote = ldp_label_str(rm->label, rb, sizeof(rb));
	bool use = in_use(l, f, rm->nbr);

	if (c->json) {
		struct json *j = &c->j;

		json_obj_begin(j);
		json_kv_str(j, "addressFamily", "ipv4");
		json_kv_str(j, "prefix", prefix_str(&f->pfx));
		json_kv_str(j, "neighborId", ip_str(rm->nbr->lsr_id));
		json_kv_str(j, "localLabel", local);
		json_kv_str(j, "remoteLabel", remote);
		json_kv_int(j, "inUse", use);
		json_obj_end(j);
		return;
	}
	cli_printf(c, "%-4s %-20s %-15s %-11s %-13s %6s\n", "ipv4", prefix_str(&f->pfx),
	    ip_str(rm->nbr->lsr_id), local, remote, use ? "yes" : "no");
}

static int
rm_cmp(const void *a, const void *b)
{
	const struct ldp_rmap *x = a, *y = b;

	return x->nbr->lsr_id < y->nbr->lsr_id ? -1 : x->nbr->lsr_id > y->nbr->lsr_id;
}

static int
cmd_bindings(struct cli_ctx *c, int argc, char **argv)
{
	const struct ldp *l = running(c);
	struct prefix only;
	struct ldp_binding **v;
	size_t n;

	if (argc > 1 || (argc == 1 && !prefix_parse(argv[0], &only)))
		return cli_fail(c, "usage: show ldp bindings [PREFIX] [json]");
	if (l == NULL)
		return 0;
	v = ldp_bindings_sorted(l, &n);
	if (c->json) {
		json_obj_begin(&c->j);
		json_key(&c->j, "bindings");
		json_arr_begin(&c->j);
	} else {
		cli_printf(c, "%-4s %-20s %-15s %-11s %-13s %6s\n", "AF", "Destination", "Nexthop",
		    "Local Label", "Remote Label", "In Use");
	}
	for (size_t i = 0; i < n; i++) {
		struct ldp_binding *f = v[i];

		if (argc == 1 && (f->pfx.addr != only.addr || f->pfx.len != only.len))
			continue;
		/* One row per peer's label, as FRR: a FEC no peer mapped is not listed. */
		qsort(f->rm, f->nrm, sizeof(*f->rm), rm_cmp);
		for (size_t k = 0; k < f->nrm; k++)
			binding_row(c, l, f, &f->rm[k]);
	}
	if (c->json) {
		json_arr_end(&c->j);
		json_obj_end(&c->j);
	} else {
		cli_printf(c, "\n");
	}
	free(v);
	return 0;
}

/* `show mpls ldp neighbor detail`'s counters, in FRR's order: message type, text, JSON key. */
static const struct {
	uint16_t type;
	const char *text;
} counted[] = {
    {LDP_KEEPALIVE, "Keepalive"}, {LDP_ADDRESS, "Address"},
    {LDP_ADDRESS_WITHDRAW, "Address Withdraw"}, {LDP_NOTIFICATION, "Notification"},
    {LDP_CAPABILITY, "Capability"}, {LDP_LABEL_MAPPING, "Label Mapping"},
    {LDP_LABEL_REQUEST, "Label Request"}, {LDP_LABEL_WITHDRAW, "Label Withdraw"},
    {LDP_LABEL_RELEASE, "Label Release"}, {LDP_LABEL_ABORT, "Label Abort Request"},
};

static void
counters_json(struct json *j, const char *key, const uint64_t *v)
{
	json_key(j, key);
	json_arr_begin(j);
	for (size_t i = 0; i < ARRAY_LEN(counted); i++) {
		unsigned k = ldp_msg_kind(counted[i].type);

		json_obj_begin(j);
		json_kv_int(j, ldp_msg_kind_name(k), (int64_t)v[k]);
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* FRR's `show mpls ldp neighbor detail`; netsim sends and receives no capability TLVs. */
static void
neighbor_detail(struct cli_ctx *c, const struct ldp *l, const struct ldp_nbr *nb)
{
	uint32_t la = 0, ra = 0;
	uint16_t lp = 0, rp = 0;
	bool tcp = ldp_session_endpoints(nb, &la, &lp, &ra, &rp);
	const char *up = nb->state == LDP_OPERATIONAL ? cli_age(node_now(c->node) - nb->since) : "-";
	const char *auth = l->cfg.password ? "TCP MD5 Signature" : "none";
	unsigned hold = nb->ka_time ? nb->ka_time : l->cfg.keepalive;

	if (c->json) {
		struct json *j = &c->j;

		json_key(j, ip_str(nb->lsr_id));
		json_obj_begin(j);
		json_kv_str(j, "peerId", ip_str(nb->lsr_id));
		json_kv_str(j, "tcpLocalAddress", ip_str(la));
		json_kv_int(j, "tcpLocalPort", lp);
		json_kv_str(j, "tcpRemoteAddress", ip_str(ra));
		json_kv_int(j, "tcpRemotePort", rp);
		json_kv_str(j, "authentication", auth);
		json_kv_int(j, "sessionHoldtime", hold);
		json_kv_int(j, "keepAliveInterval", hold / 3);
		json_kv_str(j, "state", ldp_state_name(nb->state));
		json_kv_str(j, "upTime", up);
		counters_json(j, "sentMessages", nb->st.tx);
		counters_json(j, "receivedMessages", nb->st.rx);
		json_key(j, "sentCapabilities");
		json_arr_begin(j);
		json_arr_end(j);
		json_key(j, "receivedCapabilities");
		json_arr_begin(j);
		json_arr_end(j);
		json_key(j, "discoverySources");
		json_obj_begin(j);
		json_key(j, "ipv4");
		json_arr_begin(j);
		for (size_t k = 0; k < nb->nadj; k++) {
			char src[64];

			snprintf(src, sizeof(src), "%s: %s", nb->adj[k]->lif ? "interface" : "targetedHello",
			    ldp_adj_source(nb->adj[k]));
			json_str(j, src);
		}
		json_arr_end(j);
		json_obj_end(j);
		json_obj_end(j);
		return;
	}
	cli_printf(c, "Peer LDP Identifier: %s:0\n", ip_str(nb->lsr_id));
	if (tcp) {
		cli_printf(c, "  TCP connection: %s:%u", ip_str(la), lp);
		cli_printf(c, " - %s:%u\n", ip_str(ra), rp);
	}
	cli_printf(c, "  Authentication: %s\n", auth);
	cli_printf(c, "  Session Holdtime: %u secs; KeepAlive interval: %u secs\n", hold, hold / 3);
	cli_printf(c, "  State: %s; Downstream-Unsolicited\n", ldp_state_name(nb->state));
	cli_printf(c, "  Up time: %s\n", up);
	cli_printf(c, "  Messages sent/rcvd:\n");
	for (size_t i = 0; i < ARRAY_LEN(counted); i++) {
		unsigned k = ldp_msg_kind(counted[i].type);

		cli_printf(c, "   - %s Messages: %llu/%llu\n", counted[i].text,
		    (unsigned long long)nb->st.tx[k], (unsigned long long)nb->st.rx[k]);
	}
	cli_printf(c, "  Capabilities Sent:\n  Capabilities Received:\n");
	cli_printf(c, "  LDP Discovery Sources:\n    IPv4:\n");
	for (size_t k = 0; k < nb->nadj; k++)
		cli_printf(c, "      %s: %s\n", nb->adj[k]->lif ? "Interface" : "Targeted Hello",
		    ldp_adj_source(nb->adj[k]));
	cli_printf(c, "\n");
}

static int
cmd_neighbors(struct cli_ctx *c, int argc, char **argv)
{
	const struct ldp *l;
	bool detail = argc == 1 && str_prefix("detail", argv[0]);

	if (argc > 1 || (argc == 1 && !detail))
		return cli_fail(c, "usage: show ldp neighbors [detail] [json]");
	if ((l = running(c)) == NULL)
		return 0;
	if (detail) {
		if (c->json)
			json_obj_begin(&c->j);
		for (size_t i = 0; i < l->nnbr; i++)
			neighbor_detail(c, l, l->nbrs[i]);
		if (c->json)
			json_obj_end(&c->j);
		return 0;
	}
	if (c->json) {
		json_obj_begin(&c->j);
		json_key(&c->j, "neighbors");
		json_arr_begin(&c->j);
	} else {
		cli_printf(c, "%-4s %-15s %-11s %-15s %8s\n", "AF", "ID", "State", "Remote Address",
		    "Uptime");
	}
	for (size_t i = 0; i < l->nnbr; i++) {
		const struct ldp_nbr *nb = l->nbrs[i];
		const char *up = nb->state == LDP_OPERATIONAL ? cli_age(node_now(c->node) - nb->since) : "-";

		if (c->json) {
			struct json *j = &c->j;

			json_obj_begin(j);
			json_kv_str(j, "addressFamily", "ipv4");
			json_kv_str(j, "neighborId", ip_str(nb->lsr_id));
			json_kv_str(j, "state", ldp_state_name(nb->state));
			json_kv_str(j, "transportAddress", ip_str(nb->transport));
			json_kv_str(j, "upTime", up);
			json_obj_end(j);
		} else {
			cli_printf(c, "%-4s %-15s %-11s %-15s %8s\n", "ipv4", ip_str(nb->lsr_id),
			    ldp_state_name(nb->state), ip_str(nb->transport), up);
		}
	}
	if (c->json) {
		json_arr_end(&c->j);
		json_obj_end(&c->j);
	}
	return 0;
}

static size_t
adj_count(const struct ldp *l, const struct ldp_if *lif)
{
	size_t n = 0;

	for (size_t i = 0; i < l->nnbr; i++)
		for (size_t k = 0; k < l->nbrs[i]->nadj; k++)
			n += l->nbrs[i]->adj[k]->lif == lif;
	return n;
}

static int
lif_cmp(const void *a, const void *b)
{
	const struct ldp_if *x = *(const struct ldp_if *const *)a, *y = *(const struct ldp_if *const *)b;

	return strcmp(x->ifp->name, y->ifp->name);
}

/* The interfaces running LDP by name, as FRR lists them (caller frees). */
static const struct ldp_if **
lifs_by_name(const struct ldp *l, size_t *n)
{
	const struct ldp_if **v = xmalloc((l->nif + 1) * sizeof(*v));

	*n = 0;
	for (size_t i = 0; i < l->nif; i++)
		if (l->ifs[i] != NULL)
			v[(*n)++] = l->ifs[i];
	qsort(v, *n, sizeof(*v), lif_cmp);
	return v;
}

static int
cmd_interface(struct cli_ctx *c, int argc, char **argv)
{
	const struct ldp *l = running(c);
	const struct ldp_if **v;
	size_t n;

	(void)argv;
	if (argc > 0)
		return cli_fail(c, "usage: show ldp interface [json]");
	if (l == NULL)
		return 0;
	v = lifs_by_name(l, &n);
	if (c->json)
		json_obj_begin(&c->j);
	else
		cli_printf(c, "%-4s %-11s %-6s %-8s %-12s %3s\n", "AF", "Interface", "State", "Uptime",
		    "Hello Timers", "ac");
	for (size_t i = 0; i < n; i++) {
		const struct ldp_if *lif = v[i];
		bool act;
		char timers[32];

		act = timer_pending(&lif->hello_t);
		snprintf(timers, sizeof(timers), "%" PRId64 "/%u", (int64_t)(lif->hello / SIM_S), lif->hold);
		if (c->json) {
			struct json *j = &c->j;

			char key[64];

			snprintf(key, sizeof(key), "%s: ipv4", lif->ifp->name);
			json_key(j, key);
			json_obj_begin(j);
			json_kv_str(j, "name", lif->ifp->name);
			json_kv_str(j, "addressFamily", "ipv4");
			json_kv_str(j, "state", act ? "ACTIVE" : "DOWN");
			json_kv_str(j, "upTime", act ? cli_age(node_now(c->node) - lif->since) : "00:00:00");
			json_kv_int(j, "helloInterval", lif->hello / SIM_S);
			json_kv_int(j, "helloHoldtime", lif->hold);
			json_kv_int(j, "adjacencyCount", (int64_t)adj_count(l, lif));
			json_obj_end(j);
		} else {
			cli_printf(c, "%-4s %-11s %-6s %-8s %-12s %3zu\n", "ipv4", lif->ifp->name,
			    act ? "ACTIVE" : "DOWN", act ? cli_age(node_now(c->node) - lif->since) : "00:00:00",
			    timers, adj_count(l, lif));
		}
	}
	if (c->json)
		json_obj_end(&c->j);
	else
		cli_printf(c, "\n");
	free(v);
	return 0;
}

/*
 * The adjacencies on lif (NULL: the targeted ones), as `show mpls ldp
 * discovery detail` lists them; JSON: an array of objects for a link, an
 * object keyed by address for targeted ones.
 */
static void
adjs_detail(struct cli_ctx *c, const struct ldp *l, const struct ldp_if *lif)
{
	struct json *j = &c->j;

	for (size_t n = 0; n < l->nnbr; n++)
		for (size_t k = 0; k < l->nbrs[n]->nadj; k++) {
			const struct ldp_adj *a = l->nbrs[n]->adj[k];
			sim_time left = timer_remaining(&a->hold_t);
			int64_t due = left < 0 ? 0 : left / SIM_S;

			if (a->lif != lif)
				continue;
			if (c->json) {
				if (lif == NULL)
					json_key(j, ip_str(a->src));
				json_obj_begin(j);
				json_kv_str(j, "lsrId", ip_str(a->nbr->lsr_id));
				json_kv_str(j, "sourceAddress", ip_str(a->src));
				json_kv_str(j, "transportAddress", ip_str(a->nbr->transport));
				json_kv_int(j, "helloHoldtime", a->hold);
				json_kv_int(j, "helloHoldtimeRemaining", due);
				if (lif != NULL)
					json_kv_int(j, "dualStackCapabilityTlv", 0);
				json_obj_end(j);
				continue;
			}
			if (lif == NULL)
				cli_printf(c, "    %s -> %s:\n", ip_str(l->transport), ip_str(a->src));
			cli_printf(c, "      LSR Id: %s:0\n", ip_str(a->nbr->lsr_id));
			cli_printf(c, "          Source address: %s\n", ip_str(a->src));
			cli_printf(c, "          Transport address: %s\n", ip_str(a->nbr->transport));
			cli_printf(c, "          Hello hold time: %u secs (due in %lld secs)\n", a->hold,
			    (long long)due);
			if (lif != NULL)
				cli_printf(c, "          Dual-stack capability TLV: no\n");
		}
}

/* FRR's `show mpls ldp discovery detail`: our identity, each interface's adjacencies, the targeted ones. */
static void
discovery_detail(struct cli_ctx *c, const struct ldp *l)
{
	struct json *j = &c->j;
	size_t nl;
	const struct ldp_if **v = lifs_by_name(l, &nl);

	if (c->json) {
		json_obj_begin(j);
		json_kv_str(j, "lsrId", ip_str(l->lsr_id));
		json_kv_str(j, "transportAddressIPv4", ip_str(l->transport));
		json_key(j, "interfaces");
		json_obj_begin(j);
	} else {
		cli_printf(c, "Local:\n  LSR Id: %s:0\n", ip_str(l->lsr_id));
		cli_printf(c, "  Transport Address (IPv4): %s\n", ip_str(l->transport));
		cli_printf(c, "Discovery Sources:\n  Interfaces:\n");
	}
	for (size_t i = 0; i < nl; i++) {
		if (!timer_pending(&v[i]->hello_t))
			continue;
		if (c->json) {
			json_key(j, v[i]->ifp->name);
			json_obj_begin(j);
			json_key(j, "adjacencies");
			json_arr_begin(j);
		} else {
			cli_printf(c, "    %s: \n", v[i]->ifp->name);
		}
		adjs_detail(c, l, v[i]);
		if (c->json) {
			json_arr_end(j);
			json_obj_end(j);
		}
	}
	if (c->json) {
		json_obj_end(j);
		json_key(j, "targetedHellos");
		json_obj_begin(j);
	} else {
		cli_printf(c, "  Targeted Hellos:\n");
	}
	adjs_detail(c, l, NULL);
	if (c->json) {
		json_obj_end(j);
		json_obj_end(j);
	} else {
		cli_printf(c, "\n");
	}
	free(v);
}

static int
cmd_discovery(struct cli_ctx *c, int argc, char **argv)
{
	const struct ldp *l;
	bool detail = argc == 1 && str_prefix("detail", argv[0]);

	if (argc > 1 || (argc == 1 && !detail))
		return cli_fail(c, "usage: show ldp discovery [detail] [json]");
	if ((l = running(c)) == NULL)
		return 0;
	if (detail) {
		discovery_detail(c, l);
		return 0;
	}
	if (c->json) {
		json_obj_begin(&c->j);
		json_key(&c->j, "adjacencies");
		json_arr_begin(&c->j);
	} else {
		cli_printf(c, "%-4s %-15s %-8s %-15s %9s\n", "AF", "ID", "Type", "Source", "Holdtime");
	}
	for (size_t i = 0; i < l->nnbr; i++)
		for (size_t k = 0; k < l->nbrs[i]->nadj; k++) {
			const struct ldp_adj *a = l->nbrs[i]->adj[k];

			if (c->json) {
				struct json *j = &c->j;

				json_obj_begin(j);
				json_kv_str(j, "addressFamily", "ipv4");
				json_kv_str(j, "neighborId", ip_str(a->nbr->lsr_id));
				json_kv_str(j, "type", a->lif ? "link" : "targeted");
				json_kv_str(j, a->lif ? "interface" : "peer", ldp_adj_source(a));
				json_kv_int(j, "helloHoldtime", a->hold);
				json_obj_end(j);
			} else {
				cli_printf(c, "%-4s %-15s %-8s %-15s %9u\n", "ipv4", ip_str(a->nbr->lsr_id),
				    a->lif ? "Link" : "Targeted", ldp_adj_source(a), a->hold);
			}
		}
	if (c->json) {
		json_arr_end(&c->j);
		json_obj_end(&c->j);
	} else {
		cli_printf(c, "\n");
	}
	return 0;
}

/*
 * `clear ldp neighbor [LSR-ID]` (FRR's `clear mpls ldp neighbor`): the sessions
 * end with a Shutdown Notification and are set up again at once (the active
 * side reconnects without its backoff); their labels go and come back.
 */
static int
cmd_clear(struct cli_ctx *c, int argc, char **argv)
{
	struct ldp *l = c->node ? ldp_running(c->node) : NULL;
	uint32_t id = 0;
	int n = 0;

	if (argc > 1 || (argc == 1 && !ip_parse(argv[0], &id)))
		return cli_fail(c, "usage: clear ldp neighbor [LSR-ID]");
	if (l == NULL)
		return cli_fail(c, "LDP is not running on %s", c->node ? c->node->name : "?");
	for (size_t i = 0; i < l->nnbr; i++) {
		struct ldp_nbr *nb = l->nbrs[i];

		if (argc == 1 && nb->lsr_id != id)
			continue;
		n++;
		ldp_session_clear(nb);
	}
	if (argc == 1 && n == 0)
		return cli_fail(c, "no LDP neighbor %s", argv[0]);
	return 0;
}

#define LDP_CMD(path, args, help, fn) {path, args, help, fn, CLI_ROUTER | CLI_JSON}

const struct cli_cmd ldp_cmds[] = {
    LDP_CMD("show ldp bindings", "[PREFIX]", "LDP label bindings (the LIB)", cmd_bindings),
    LDP_CMD("show mpls ldp binding", "[PREFIX]", "LDP label bindings (FRR's spelling)", cmd_bindings),
    LDP_CMD("show ldp neighbors", "[detail]", "LDP sessions", cmd_neighbors),
    LDP_CMD("show mpls ldp neighbor", "[detail]", "LDP sessions (FRR's spelling)", cmd_neighbors),
    LDP_CMD("show ldp interface", "", "interfaces running LDP", cmd_interface),
    LDP_CMD("show mpls ldp interface", "", "interfaces running LDP (FRR's spelling)", cmd_interface),
    LDP_CMD("show ldp discovery", "[detail]", "LDP Hello adjacencies", cmd_discovery),
    LDP_CMD("show mpls ldp discovery", "[detail]", "LDP Hello adjacencies (FRR's spelling)",
        cmd_discovery),
    {"clear ldp neighbor", "[LSR-ID]", "reset LDP sessions", cmd_clear, CLI_ROUTER},
    {"clear mpls ldp neighbor", "[LSR-ID]", "reset LDP sessions (FRR's spelling)", cmd_clear,
     CLI_ROUTER},
    {NULL, NULL, NULL, NULL, 0},
};
