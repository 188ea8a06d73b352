/*
 * show.c: IS-IS commands. The text follows FRR 8.4's isisd layouts (columns
 * as `vtysh` prints them) and the JSON forms use FRR's keys, so that tools
 * written against FRR read netsim too. Where FRR 8.4's JSON loses data (it
 * adds the same key to one object once per adjacency or LSP, so only the
 * last survives) netsim keeps FRR's key names but gives one object per item;
 * docs/isis.md lists every difference.
 *
 *   show isis neighbors [detail]           adjacencies (FRR: show isis neighbor)
 *   show isis database [detail] [LSPID]    the LSP databases; an LSP ID: its TLVs decoded
 *   show isis interface [detail] [IFACE]   circuits (an interface: in detail)
 *   show isis topology                     the systems SPF reached, per level
 *   show isis summary                      system ID, areas, counters, SPF per level
 * and IS-IS's section of the core's `show ip protocols` (isis_show_protocols).
 *
 * netsim runs one IS-IS instance per router without an area tag; FRR's
 * "Area TAG:" headers and "area" keys say "default".
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/cli.h"
#include "../../lib/json.h"
#include "../../lib/util.h"
#include "isis.h"

#define AREA_TAG "default"

static struct isis *
running_isis(struct cli_ctx *c)
{
	struct proto_inst *pi = c->node ? proto_get(c->node, &proto_isis) : NULL;

	if (pi == NULL || pi->priv == NULL || !pi->running)
		return NULL;
	return pi->priv;
}

/* Commands on a router without IS-IS: say so; JSON gives {}. */
static int
no_isis(struct cli_ctx *c)
{
	if (c->json) {
		json_obj_begin(&c->j);
		json_obj_end(&c->j);
	} else {
		cli_printf(c, "%% IS-IS is not running on %s\n", c->node ? c->node->name : "?");
	}
	return 0;
}

static const char *
level_str(uint8_t levels)
{
	static const char *const s[] = {"-", "L1", "L2", "L1L2"};

	return s[levels & 3];
}

static sim_time
now_of(const struct isis *is)
{
	return node_now(is->node);
}

/* FRR's durations: "7s", "1m7s", "2h3m1s". */
static const char *
frr_dur(sim_time t, char *buf, size_t n)
{
	long long s = t < 0 ? 0 : t / SIM_S;

	if (s < 60)
		snprintf(buf, n, "%llds", s);
	else if (s < 3600)
		snprintf(buf, n, "%lldm%llds", s / 60, s % 60);
	else
		snprintf(buf, n, "%lldh%lldm%llds", s / 3600, s / 60 % 60, s % 60);
	return buf;
}

/* SNPAs as IS-IS implementations print them: "7a32.dce3.19d3". */
static const char *
snpa_str(const uint8_t mac[6], char *buf, size_t n)
{
	snprintf(buf, n, "%02x%02x.%02x%02x.%02x%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
	         mac[5]);
	return buf;
}

/* The hostname a system goes by (RFC 5301), from its LSP 0 of either level, else its ID. */
static const char *
sys_name(const struct isis *is, const uint8_t *sysid, char *buf, size_t n)
{
	uint8_t id[7];

	if (memcmp(sysid, is->cfg.sysid, ISIS_SYSID_LEN) == 0)
		return is->cfg.hostname;
	memcpy(id, sysid, ISIS_SYSID_LEN);
	id[6] = 0;
	for (int l = 0; l < ISIS_LEVELS; l++) {
		int cnt, k = isis_lspdb_node(&is->lv[l].db, id, &cnt);

		if (cnt > 0 && isis_lspdb_at(&is->lv[l].db, k)->blob->info.hostname[0])
			return isis_lspdb_at(&is->lv[l].db, k)->blob->info.hostname;
	}
	return isis_sysid_str(sysid, buf, n);
}

/* "r2.01" (a LAN ID or a pseudonode), and with the fragment "r2.01-00". */
static const char *
node_name(const struct isis *is, const uint8_t id[7], char *buf, size_t n)
{
	char nm[32];

	snprintf(buf, n, "%s.%02x", sys_name(is, id, nm, sizeof(nm)), id[6]);
	return buf;
}

static const char *
lsp_name(const struct isis *is, const struct isis_lspid *id, char *buf, size_t n)
{
	char nm[80];

	snprintf(buf, n, "%s-%02x", node_name(is, id->b, nm, sizeof(nm)), id->b[7]);
	return buf;
}

static bool
is_loopback(const struct isis_circ *c)
{
	return c->ifp->kind == IF_LOOPBACK;
}

static const char *
circ_type(const struct isis_circ *c)
{
	return is_loopback(c) ? "loopback" : c->cfg.p2p ? "p2p" : "lan";
}

/* --- show isis neighbors ---------------------------------------------------------------------- */

struct adj_row {
	const struct isis_adj *a;
	uint8_t level; /* LAN: the adjacency's level; p2p: the levels it serves (3: both) */
};

static struct adj_row *
adj_rows(const struct isis *is, size_t *n)
{
	struct adj_row *v = NULL;
	size_t cnt = 0, cap = 0;

	for (int i = 0; i < is->ncircs; i++) {
		const struct isis_circ *c = is->circs[i];

		for (int l = 0; l < ISIS_LEVELS; l++)
			for (int k = 0; k < c->lv[l].nadj; k++)
				VEC_PUSH(v, cnt, cap, ((struct adj_row){c->lv[l].adj[k], (uint8_t)(l + 1)}));
		if (c->p2p)
			VEC_PUSH(v, cnt, cap, ((struct adj_row){c->p2p, c->p2p->levels}));
	}
	*n = cnt;
	return v;
}

static bool
adj_is_dis(const struct isis_adj *a, int level)
{
	const struct isis_circ_level *lv = &a->c->lv[LV(level)];

	return !lv->is_dis && memcmp(lv->lan_id, a->sysid, ISIS_SYSID_LEN) == 0;
}

static const char *const p2p_state_names[] = {"Down", "Initializing", "Up"};

static void
nbr_detail_text(struct cli_ctx *c, const struct isis *is, const struct adj_row *r)
{
	const struct isis_adj *a = r->a;
	sim_time now = now_of(is);
	char b[96], d[32];

	cli_printf(c, " %-20s\n", sys_name(is, a->sysid, b, sizeof(b)));
	cli_printf(c, "    Interface: %s, Level: %u, State: %s, Expires in %s\n", a->c->ifp->name,
	           r->level, isis_adj_state_names[a->state],
	           frr_dur(timer_remaining(&a->hold_t), d, sizeof(d)));
	cli_printf(c, "    Adjacency flaps: %u, Last: %s ago\n", a->nchanges,
	           frr_dur(now - a->last_change, d, sizeof(d)));
	cli_printf(c, "    Circuit type: %s, Speaks: %s\n", level_str(a->circuit_type),
	           a->addr ? "IPv4" : "-");
	cli_printf(c, "    SNPA: %s", snpa_str(a->mac, d, sizeof(d)));
	if (!a->c->cfg.p2p) {
		cli_printf(c, ", LAN id: %s\n", node_name(is, a->lan_id, b, sizeof(b)));
		cli_printf(c, "    LAN Priority: %u, %s\n", a->priority,
		           adj_is_dis(a, r->level) ? "is DIS" : "is not DIS");
	} else {
		cli_printf(c, "\n    Three-way state: %s, Extended circuit ID: %u\n",
		           p2p_state_names[a->state], a->ext_circuit);
	}
	cli_printf(c, "    Area Address(es):\n");
	for (int i = 0; i < a->nareas; i++)
		cli_printf(c, "      %s\n", isis_area_str(&a->areas[i], b, sizeof(b)));
	cli_printf(c, "    IPv4 Address(es):\n");
	if (a->addr)
		cli_printf(c, "      %s\n", ip_str(a->addr));
	if (a->state == ISIS_ADJ_UP)
		cli_printf(c, "    Uptime: %s\n", cli_age(now - a->up_since));
	cli_printf(c, "\n");
}

static void
nbr_json_one(struct json *j, const struct isis *is, const struct adj_row *r, bool detail)
{
	const struct isis_adj *a = r->a;
	sim_time now = now_of(is);
	char b[96];

	json_obj_begin(j);
	json_kv_int(j, "circuit", a->c->circ_id);
	json_kv_str(j, "adj", sys_name(is, a->sysid, b, sizeof(b)));
	if (!detail) {
		json_kv_str(j, "interface", a->c->ifp->name);
		json_kv_int(j, "level", r->level);
		json_kv_str(j, "state", isis_adj_state_names[a->state]);
		json_kv_str(j, "expires-in", frr_dur(timer_remaining(&a->hold_t), b, sizeof(b)));
		json_kv_str(j, "snpa", snpa_str(a->mac, b, sizeof(b)));
		json_kv_str(j, "system-id", isis_sysid_str(a->sysid, b, sizeof(b)));
		json_obj_end(j);
		return;
	}
	json_key(j, "interface");
	json_obj_begin(j);
	json_kv_str(j, "name", a->c->ifp->name);
	json_kv_str(j, "state", isis_adj_state_names[a->state]);
	json_kv_int(j, "adj-flaps", a->nchanges);
	json_kv_str(j, "last-ago", frr_dur(now - a->last_change, b, sizeof(b)));
	json_kv_str(j, "circuit-type", level_str(a->circuit_type));
	json_kv_str(j, "speaks", a->addr ? "IPv4" : "");
	json_kv_str(j, "snpa", snpa_str(a->mac, b, sizeof(b)));
	if (!a->c->cfg.p2p) {
		/* FRR's LAN ID form: "0000.0000.0001-20" */
		isis_sysid_str(a->lan_id, b, sizeof(b));
		snprintf(b + strlen(b), sizeof(b) - strlen(b), "-%02x", a->lan_id[6]);
		json_kv_str(j, "lan-id", b);
		json_kv_int(j, "lan-prio", a->priority);
		json_key(j, "dis-flaps");
		json_obj_begin(j);
		json_kv_str(j, "dis-record", adj_is_dis(a, r->level) ? "is DIS" : "is not DIS");
		json_obj_end(j);
	} else {
		json_kv_str(j, "three-way-state", p2p_state_names[a->state]);
		json_kv_int(j, "ext-circuit-id", a->ext_circuit);
	}
	json_key(j, "area-address");
	json_obj_begin(j);
	if (a->nareas > 0)
		json_kv_str(j, "isonet", isis_area_str(&a->areas[0], b, sizeof(b)));
	json_obj_end(j);
	json_key(j, "area-addresses");
	json_arr_begin(j);
	for (int i = 0; i < a->nareas; i++)
		json_str(j, isis_area_str(&a->areas[i], b, sizeof(b)));
	json_arr_end(j);
	json_key(j, "ipv4-address");
	json_obj_begin(j);
	if (a->addr)
		json_kv_str(j, "ipv4", ip_str(a->addr));
	json_obj_end(j);
	if (a->state == ISIS_ADJ_UP)
		json_kv_str(j, "uptime", cli_age(now - a->up_since));
	json_kv_str(j, "system-id", isis_sysid_str(a->sysid, b, sizeof(b)));
	json_obj_end(j);
	json_kv_int(j, "level", r->level);
	json_kv_str(j, "expires-in", frr_dur(timer_remaining(&a->hold_t), b, sizeof(b)));
	json_obj_end(j);
}

/*
 * FRR's frame of the IS-IS JSON answers: {"areas": [{"area": "default", KEY: [...]}]}
 * (the database's area is {"name": "default"}).
 */
static void
areas_begin(struct json *j, const char *key, bool area_obj)
{
	json_obj_begin(j);
	json_key(j, "areas");
	json_arr_begin(j);
	json_obj_begin(j);
	json_key(j, "area");
	if (area_obj) {
		json_obj_begin(j);
		json_kv_str(j, "name", AREA_TAG);
		json_obj_end(j);
	} else {
		json_str(j, AREA_TAG);
	}
	json_key(j, key);
	json_arr_begin(j);
}

static void
areas_end(struct json *j)
{
	json_arr_end(j);
	json_obj_end(j);
	json_arr_end(j);
	json_obj_end(j);
}

static int
cmd_nbr(struct cli_ctx *c, int argc, char **argv)
{
	struct isis *is = running_isis(c);
	bool detail = argc == 1 && str_prefix("detail", argv[0]);
	struct adj_row *v;
	size_t n;
	char b[96], d[32];

	if (argc > 1 || (argc == 1 && !detail))
		return cli_fail(c, "usage: show isis neighbors [detail]");
	if (is == NULL)
		return no_isis(c);
	v = adj_rows(is, &n);
	if (c->json) {
		areas_begin(&c->j, "circuits", false);
		for (size_t i = 0; i < n; i++)
			nbr_json_one(&c->j, is, &v[i], detail);
		areas_end(&c->j);
		free(v);
		return 0;
	}
	cli_printf(c, "Area %s:\n", AREA_TAG);
	if (!detail)
		cli_printf(c, "  System Id           Interface   L  State        Holdtime SNPA\n");
	for (size_t i = 0; i < n; i++) {
		const struct isis_adj *a = v[i].a;

		if (detail) {
			nbr_detail_text(c, is, &v[i]);
			continue;
		}
		cli_printf(c, " %-20s%-12s%-3u%-14s%-9lld%s\n", sys_name(is, a->sysid, b, sizeof(b)),
		           a->c->ifp->name, v[i].level, isis_adj_state_names[a->state],
		           (long long)(timer_remaining(&a->hold_t) / SIM_S),
		           snpa_str(a->mac, d, sizeof(d)));
	}
	free(v);
	return 0;
}

/* --- show isis database ----------------------------------------------------------------------- */

static const char *
lsp_attrs(const struct isis_lsp *l, char *buf, size_t n)
{
	uint8_t f = l->blob->bytes[ISIS_LSP_HLEN - 1];

	snprintf(buf, n, "%d/%d/%d", (f & ISIS_LSP_ATT_ALL) ? 1 : 0, (f & ISIS_LSP_P) ? 1 : 0,
	         (f & ISIS_LSP_OL) ? 1 : 0);
	return buf;
}

static const char *
nlpid_name(uint8_t p, char *buf, size_t n)
{
	if (p == ISIS_NLPID_IPV4)
		return "IPv4";
	if (p == ISIS_NLPID_IPV6)
		return "IPv6";
	snprintf(buf, n, "Unknown(0x%02x)", p);
	return buf;
}

static const char *
pfx_str(uint32_t addr, uint8_t plen, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%u", ip_str(addr), plen);
	return buf;
}

/* The order FRR prints an LSP's TLVs in (isis_tlvs.c format_tlvs); others follow, by type. */
static const uint8_t tlv_order[] = {
    ISIS_TLV_AUTH,    ISIS_TLV_PROTOCOLS, ISIS_TLV_AREA,   ISIS_TLV_IS_REACH,
    ISIS_TLV_HOSTNAME, ISIS_TLV_EXT_IS_REACH, ISIS_TLV_IP_INT, ISIS_TLV_IP_EXT,
    ISIS_TLV_IP_ADDR, ISIS_TLV_EXT_IP,
};

static bool
tlv_known(uint8_t t)
{
	for (size_t i = 0; i < ARRAY_LEN(tlv_order); i++)
		if (tlv_order[i] == t)
			return true;
	return t == ISIS_TLV_PADDING;
}

/* One TLV's entries as FRR's detail text prints them. */
static void
tlv_text(struct cli_ctx *c, const struct isis_pdu *p, const struct isis_tlv *t)
{
	char b[64];

	for (int k = t->first; k < t->first + t->n; k++) {
		switch (t->type) {
		case ISIS_TLV_PROTOCOLS:
			cli_printf(c, "%s%s", k == t->first ? "  Protocols Supported: " : ", ",
			           nlpid_name(p->nlpids[k], b, sizeof(b)));
			break;
		case ISIS_TLV_AREA:
			cli_printf(c, "  Area Address: %s\n", isis_area_str(&p->areas[k], b, sizeof(b)));
			break;
		case ISIS_TLV_IS_REACH:
		case ISIS_TLV_EXT_IS_REACH: {
			const struct isis_is_reach *r = &p->is[k];

			isis_sysid_str(r->id, b, sizeof(b));
			cli_printf(c, "  %s Reachability: %s.%02x (Metric: %u)\n",
			           t->type == ISIS_TLV_IS_REACH ? "IS" : "Extended", b, r->id[6],
			           r->metric);
			break;
		}
		case ISIS_TLV_IP_INT:
		case ISIS_TLV_IP_EXT:
		case ISIS_TLV_EXT_IP: {
			const struct isis_ip_reach *r = &p->ip[k];

			cli_printf(c, "  %s Reachability: %s (Metric: %u)%s\n",
			           t->type == ISIS_TLV_IP_INT   ? "IP"
			           : t->type == ISIS_TLV_IP_EXT ? "IP External"
			                                        : "Extended IP",
			           pfx_str(r->prefix, r->plen, b, sizeof(b)), r->metric,
			           r->down ? " Down" : "");
			break;
		}
		case ISIS_TLV_IP_ADDR:
			cli_printf(c, "  IPv4 Interface Address: %s\n", ip_str(p->addrs[k]));
			break;
		default:
			break;
		}
	}
	if (t->type == ISIS_TLV_PROTOCOLS && t->n > 0)
		cli_printf(c, "\n");
	else if (t->type == ISIS_TLV_HOSTNAME)
		cli_printf(c, "  Hostname: %s\n", p->hostname);
	else if (t->type == ISIS_TLV_AUTH)
		cli_printf(c, "  Authentication: %s\n",
		           p->auth_type == ISIS_AUTH_MD5 ? "HMAC-MD5" : "clear text");
	else if (!tlv_known(t->type))
		cli_printf(c, "  Unknown TLV: type %u, length %u\n", t->type, t->len);
}

static int
tlv_rank(uint8_t type)
{
	for (size_t i = 0; i < ARRAY_LEN(tlv_order); i++)
		if (tlv_order[i] == type)
			return (int)i;
	return (int)ARRAY_LEN(tlv_order) + type;
}

/* Every TLV of the LSP, in FRR's order (wire order within a type). */
static void
lsp_detail_text(struct cli_ctx *c, const struct isis_pdu *p)
{
	int last = -1;

	for (;;) {
		int next = -1;

		for (int i = 0; i < p->ntlv; i++) {
			int r = tlv_rank(p->tlv[i].type);

			if (r > last && (next < 0 || r < next))
				next = r;
		}
		if (next < 0)
			break;
		for (int i = 0; i < p->ntlv; i++)
			if (tlv_rank(p->tlv[i].type) == next && p->tlv[i].type != ISIS_TLV_PADDING)
				tlv_text(c, p, &p->tlv[i]);
		last = next;
	}
}

/* The entries of every TLV of one type as a JSON array of objects in FRR's item keys. */
static void
reach_json(struct json *j, const struct isis_pdu *p, uint8_t type, const char *key)
{
	char b[64];

	json_key(j, key);
	json_arr_begin(j);
	for (int i = 0; i < p->ntlv; i++) {
		const struct isis_tlv *t = &p->tlv[i];

		if (t->type != type)
			continue;
		for (int k = t->first; k < t->first + t->n; k++) {
			json_obj_begin(j);
			if (type == ISIS_TLV_IS_REACH || type == ISIS_TLV_EXT_IS_REACH) {
				const struct isis_is_reach *r = &p->is[k];

				isis_sysid_str(r->id, b, sizeof(b));
				snprintf(b + strlen(b), sizeof(b) - strlen(b), ".%02x", r->id[6]);
				if (type == ISIS_TLV_EXT_IS_REACH)
					json_kv_str(j, "mt-id", "Extended");
				json_kv_str(j, type == ISIS_TLV_IS_REACH ? "is-reach" : "id", b);
				json_kv_int(j, "metric", r->metric);
			} else {
				const struct isis_ip_reach *r = &p->ip[k];

				pfx_str(r->prefix, r->plen, b, sizeof(b));
				if (type == ISIS_TLV_EXT_IP) {
					json_kv_str(j, "mt-id", "Extended");
					json_kv_str(j, "ip-reach", b);
					json_kv_int(j, "ip-reach-metric", r->metric);
				} else {
					json_kv_str(j, "prefix", b);
					json_kv_int(j, "metric", r->metric);
				}
				json_kv_bool(j, "down", r->down);
			}
			json_obj_end(j);
		}
	}
	json_arr_end(j);
}

/* The same in FRR's detail JSON keys; entries that repeat are arrays (FRR keeps only the last). */
static void
lsp_detail_json(struct json *j, const struct isis_pdu *p)
{
	char b[64];

	json_key(j, "protocols-supported");
	json_obj_begin(j);
	for (int i = 0; i < p->nnlpids; i++) {
		char k[16];

		snprintf(k, sizeof(k), "%d", i);
		json_kv_str(j, k, nlpid_name(p->nlpids[i], b, sizeof(b)));
	}
	json_obj_end(j);
	json_key(j, "area-addr");
	json_arr_begin(j);
	for (int i = 0; i < p->nareas; i++)
		json_str(j, isis_area_str(&p->areas[i], b, sizeof(b)));
	json_arr_end(j);
	if (p->hostname[0])
		json_kv_str(j, "hostname", p->hostname);
	json_key(j, "ipv4");
	json_arr_begin(j);
	for (int i = 0; i < p->naddrs; i++)
		json_str(j, ip_str(p->addrs[i]));
	json_arr_end(j);
	reach_json(j, p, ISIS_TLV_IS_REACH, "old-reach-style");
	reach_json(j, p, ISIS_TLV_EXT_IS_REACH, "ext-reach");
	reach_json(j, p, ISIS_TLV_IP_INT, "old-ip-reach-style");
	reach_json(j, p, ISIS_TLV_IP_EXT, "old-ip-ext-reach-style");
	reach_json(j, p, ISIS_TLV_EXT_IP, "ext-ip-reach");
	if (p->has_auth)
		json_kv_str(j, "authentication",
		            p->auth_type == ISIS_AUTH_MD5 ? "HMAC-MD5" : "clear text");
	json_key(j, "unknown-tlvs");
	json_arr_begin(j);
	for (int i = 0; i < p->ntlv; i++)
		if (!tlv_known(p->tlv[i].type)) {
			json_obj_begin(j);
			json_kv_int(j, "type", p->tlv[i].type);
			json_kv_int(j, "length", p->tlv[i].len);
			json_obj_end(j);
		}
	json_arr_end(j);
}

static void
lsp_json(struct json *j, const struct isis *is, const struct isis_lsp *l, bool detail)
{
	char b[96];

	json_obj_begin(j);
	json_key(j, "lsp");
	json_obj_begin(j);
	json_kv_str(j, "id", lsp_name(is, isis_lsp_id(l), b, sizeof(b)));
	json_kv_str(j, "own", l->own ? "*" : " ");
	json_obj_end(j);
	json_kv_str(j, "lsp-id", isis_lspid_str(isis_lsp_id(l), b, sizeof(b)));
	json_kv_int(j, "pdu-len", l->blob->len);
	json_kv_str(j, "seq-number", (snprintf(b, sizeof(b), "0x%08x", isis_lsp_seq(l)), b));
	json_kv_str(j, "chksum", (snprintf(b, sizeof(b), "0x%04x", isis_lsp_cksum(l)), b));
	json_kv_int(j, "holdtime", isis_lsp_remaining(is, l));
	json_kv_str(j, "att-p-ol", lsp_attrs(l, b, sizeof(b)));
	if (detail) {
		struct isis_pdu p;
		const char *err;

		if (isis_pdu_parse(&p, l->blob->bytes, l->blob->len, &err) == 0) {
			lsp_detail_json(j, &p);
			isis_pdu_free(&p);
		} else {
			json_kv_str(j, "error", err);
		}
	}
	json_obj_end(j);
}

static void
lsp_row_text(struct cli_ctx *c, const struct isis *is, const struct isis_lsp *l)
{
	char id[112], at[16], life[16];

	if (l->purged) {
		/* FRR: a purge's remaining ZeroAgeLifetime in parentheses */
		long long z = ISIS_ZERO_AGE - (now_of(is) - l->t0) / SIM_S;

		snprintf(life, sizeof(life), "(%2lld)", z < 0 ? 0 : z);
	} else {
		snprintf(life, sizeof(life), "%u", isis_lsp_remaining(is, l));
	}
	cli_printf(c, "%-21s%c  %5u   0x%08x  0x%04x  %6s    %s\n",
	           lsp_name(is, isis_lsp_id(l), id, sizeof(id)), l->own ? '*' : ' ', l->blob->len,
	           isis_lsp_seq(l), isis_lsp_cksum(l), life, lsp_attrs(l, at, sizeof(at)));
}

/* An LSP ID argument: the system (hostname or system ID), pseudonode and fragment if given. */
struct lsp_sel {
	uint8_t sysid[ISIS_SYSID_LEN];
	int pn;   /* -1: 00 */
	int frag; /* -1: every fragment */
};

static int
hex2(const char *s)
{
	unsigned v;
	char *end;

	if (strlen(s) != 2 || !isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
		return -1;
	v = (unsigned)strtoul(s, &end, 16);
	return (int)v;
}

/* "0000.0000.0001", or a hostname this router knows (its own, or from an LSP). */
static bool
resolve_system(const struct isis *is, const char *s, uint8_t sysid[ISIS_SYSID_LEN])
{
	unsigned v[6];
	char tail;

	if (*s == '\0')
		return false;
	if (strlen(s) == 14 && s[4] == '.' && s[9] == '.' &&
	    sscanf(s, "%2x%2x.%2x%2x.%2x%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &tail) == 6) {
		bool hex = true;

		for (int i = 0; i < 14; i++)
			if (i != 4 && i != 9 && !isxdigit((unsigned char)s[i]))
				hex = false;
		if (hex) {
			for (int i = 0; i < 6; i++)
				sysid[i] = (uint8_t)v[i];
			return true;
		}
	}
	if (strcmp(s, is->cfg.hostname) == 0) {
		memcpy(sysid, is->cfg.sysid, ISIS_SYSID_LEN);
		return true;
	}
	for (int l = 0; l < ISIS_LEVELS; l++)
		for (int i = 0; i < is->lv[l].db.n; i++) {
			const struct isis_lsp *lsp = isis_lspdb_at(&is->lv[l].db, i);

			if (strcmp(lsp->blob->info.hostname, s) == 0) {
				memcpy(sysid, isis_lsp_id(lsp)->b, ISIS_SYSID_LEN);
				return true;
			}
		}
	return false;
}

/* NAME[.PN][-FF]; false when NAME is neither a system ID nor a known hostname. */
static bool
lsp_sel_parse(const struct isis *is, const char *arg, struct lsp_sel *sel)
{
	char s[80];
	char *dash, *dot;

	sel->pn = -1;
	sel->frag = -1;
	if (strlen(arg) >= sizeof(s))
		return false;
	strcpy(s, arg);
	if (resolve_system(is, s, sel->sysid))
		return true;
	dash = strrchr(s, '-');
	if (dash != NULL && hex2(dash + 1) >= 0) {
		sel->frag = hex2(dash + 1);
		*dash = '\0';
		if (resolve_system(is, s, sel->sysid))
			return true;
	}
	dot = strrchr(s, '.');
	if (dot != NULL && hex2(dot + 1) >= 0) {
		sel->pn = hex2(dot + 1);
		*dot = '\0';
		return resolve_system(is, s, sel->sysid);
	}
	return false;
}

static bool
lsp_selected(const struct isis_lsp *l, const struct lsp_sel *sel)
{
	if (sel == NULL)
		return true;
	return memcmp(isis_lsp_id(l)->b, sel->sysid, ISIS_SYSID_LEN) == 0 &&
	       isis_lsp_id(l)->b[6] == (sel->pn < 0 ? 0 : sel->pn) &&
	       (sel->frag < 0 || isis_lsp_id(l)->b[7] == sel->frag);
}

static int
db_count(const struct isis *is, int level, const struct lsp_sel *sel)
{
	const struct isis_lspdb *db = &is->lv[LV(level)].db;
	int n = 0;

	for (int i = 0; i < db->n; i++)
		n += lsp_selected(isis_lspdb_at(db, i), sel);
	return n;
}

static void
db_level_text(struct cli_ctx *c, const struct isis *is, int level, bool detail,
              const struct lsp_sel *sel)
{
	const struct isis_lspdb *db = &is->lv[LV(level)].db;

	cli_printf(c, "IS-IS Level-%d link-state database:\n", level);
	cli_printf(c, "LSP ID                  PduLen  SeqNumber   Chksum  Holdtime  ATT/P/OL\n");
	for (int i = 0; i < db->n; i++) {
		const struct isis_lsp *l = isis_lspdb_at(db, i);
		struct isis_pdu p;
		const char *err;

		if (!lsp_selected(l, sel))
			continue;
		lsp_row_text(c, is, l);
		if (!detail)
			continue;
		if (isis_pdu_parse(&p, l->blob->bytes, l->blob->len, &err) == 0) {
			lsp_detail_text(c, &p);
			isis_pdu_free(&p);
		} else {
			cli_printf(c, "  %% cannot decode: %s\n", err);
		}
		cli_printf(c, "\n");
	}
	if (sel == NULL)
		cli_printf(c, "    %d LSPs\n\n", db->n);
}

static int
cmd_db(struct cli_ctx *c, int argc, char **argv)
{
	struct isis *is = running_isis(c);
	bool detail = false;
	const char *arg = NULL;
	struct lsp_sel sel;
	int found = 0;

	for (int i = 0; i < argc; i++) {
		if (!detail && arg == NULL && str_prefix("detail", argv[i]))
			detail = true;
		else if (arg == NULL)
			arg = argv[i];
		else
			return cli_fail(c, "usage: show isis database [detail] [LSPID]");
	}
	if (is == NULL)
		return no_isis(c);
	if (arg != NULL) {
		if (!lsp_sel_parse(is, arg, &sel))
			return cli_fail(c, "unknown LSP ID '%s' (HOSTNAME or SYSTEM-ID, then .PN and -FF)",
			                arg);
		detail = true;
		for (int l = ISIS_LEVEL1; l <= ISIS_LEVEL2; l++)
			if (is->cfg.level & l)
				found += db_count(is, l, &sel);
		if (found == 0)
			return cli_fail(c, "no LSP %s in the IS-IS databases", arg);
	}
	if (!c->json) {
		cli_printf(c, "Area %s:\n", AREA_TAG);
		for (int l = ISIS_LEVEL1; l <= ISIS_LEVEL2; l++)
			if ((is->cfg.level & l) && (arg == NULL || db_count(is, l, &sel) > 0))
				db_level_text(c, is, l, detail, arg ? &sel : NULL);
		return 0;
	}
	areas_begin(&c->j, "levels", true);
	for (int l = ISIS_LEVEL1; l <= ISIS_LEVEL2; l++) {
		const struct isis_lspdb *db = &is->lv[LV(l)].db;

		if (!(is->cfg.level & l))
			continue;
		json_obj_begin(&c->j);
		json_kv_int(&c->j, "id", l);
		json_key(&c->j, "lsps");
		json_arr_begin(&c->j);
		for (int i = 0; i < db->n; i++)
			if (lsp_selected(isis_lspdb_at(db, i), arg ? &sel : NULL))
				lsp_json(&c->j, is, isis_lspdb_at(db, i), detail);
		json_arr_end(&c->j);
		json_kv_int(&c->j, "count", db_count(is, l, arg ? &sel : NULL));
		json_obj_end(&c->j);
	}
	areas_end(&c->j);
	return 0;
}

/* --- show isis interface ---------------------------------------------------------------------- */

static int
active_nbrs(const struct isis_circ *c, int level)
{
	int n = 0;

	if (c->cfg.p2p)
		return c->p2p && c->p2p->state == ISIS_ADJ_UP && (c->p2p->levels & level);
	for (int k = 0; k < c->lv[LV(level)].nadj; k++)
		n += c->lv[LV(level)].adj[k]->state == ISIS_ADJ_UP;
	return n;
}

static bool
circ_lan(const struct isis_circ *c)
{
	return !c->cfg.p2p && !c->cfg.passive && !is_loopback(c);
}

static void
iface_detail_text(struct cli_ctx *c, const struct isis *is, const struct isis_circ *ci)
{
	char b[96];

	cli_printf(c, "  Interface: %s, State: %s, %s, Circuit Id: 0x%x\n", ci->ifp->name,
	           ci->up ? "Up" : "Down", ci->cfg.passive ? "Passive" : "Active", ci->circ_id);
	cli_printf(c, "    Type: %s, Level: %s", circ_type(ci), level_str(ci->levels));
	if (circ_lan(ci))
		cli_printf(c, ", SNPA: %s", snpa_str(ci->ifp->mac, b, sizeof(b)));
	cli_printf(c, "\n");
	for (int l = ISIS_LEVEL1; l <= ISIS_LEVEL2; l++) {
		const struct isis_circ_level *lv = &ci->lv[LV(l)];

		if (!(ci->levels & l))
			continue;
		cli_printf(c, "    Level-%d Information:\n", l);
		if (ci->cfg.passive) {
			cli_printf(c, "      Metric: %u\n", ci->metric);
			continue;
		}
		cli_printf(c, "      Metric: %u, Active neighbors: %d\n", ci->metric, active_nbrs(ci, l));
		cli_printf(c, "      Hello interval: %lld, Holddown count: %u (%s), Hold time: %u\n",
		           (long long)(ci->cfg.hello / SIM_S), ci->cfg.hold_mult,
		           ci->cfg.padding ? "pad" : "no-pad",
		           isis_circ_hold(ci, ci->cfg.p2p ? 0 : l));
		cli_printf(c, "      CNSP interval: %lld, PSNP interval: %lld\n",
		           (long long)(is->cfg.csnp_interval / SIM_S),
		           (long long)(is->cfg.psnp_interval / SIM_S));
		if (circ_lan(ci))
			cli_printf(c, "      LAN Priority: %u, %s, LAN ID: %s\n", ci->cfg.priority,
			           lv->is_dis ? "is DIS" : "is not DIS",
			           node_name(is, lv->lan_id, b, sizeof(b)));
	}
	cli_printf(c, "    IP Prefix(es):\n");
	if (ci->ifp->addr)
		cli_printf(c, "      %s/%u\n", ip_str(ci->ifp->addr), ci->ifp->plen);
	if (ci->cfg.passive) {
		cli_printf(c, "\n");
		return;
	}
	cli_printf(c, "    Counters (in/out): IIH %llu/%llu, LSP %llu/%llu, CSNP %llu/%llu, "
	              "PSNP %llu/%llu\n",
	           (unsigned long long)ci->st.iih_in, (unsigned long long)ci->st.iih_out,
	           (unsigned long long)ci->st.lsp_in, (unsigned long long)ci->st.lsp_out,
	           (unsigned long long)ci->st.csnp_in, (unsigned long long)ci->st.csnp_out,
	           (unsigned long long)ci->st.psnp_in, (unsigned long long)ci->st.psnp_out);
	cli_printf(c, "    Errors: authentication %llu, malformed %llu, rejected %llu\n\n",
	           (unsigned long long)ci->st.auth_fail, (unsigned long long)ci->st.bad,
	           (unsigned long long)ci->st.rejected);
}

static void
iface_json(struct json *j, const struct isis *is, const struct isis_circ *ci, bool detail)
{
	char b[96];

	json_obj_begin(j);
	json_kv_int(j, "circuit", ci->circ_id);
	json_key(j, "interface");
	json_obj_begin(j);
	json_kv_str(j, "name", ci->ifp->name);
	json_kv_str(j, "state", ci->up ? "Up" : "Down");
	if (detail)
		json_kv_str(j, "is-passive", ci->cfg.passive ? "passive" : "active");
	json_kv_str(j, "circuit-id", (snprintf(b, sizeof(b), "0x%x", ci->circ_id), b));
	json_kv_str(j, "type", circ_type(ci));
	json_kv_str(j, "level", level_str(ci->levels));
	if (!detail) {
		json_obj_end(j);
		json_obj_end(j);
		return;
	}
	if (circ_lan(ci))
		json_kv_str(j, "snpa", snpa_str(ci->ifp->mac, b, sizeof(b)));
	json_key(j, "levels");
	json_arr_begin(j);
	for (int l = ISIS_LEVEL1; l <= ISIS_LEVEL2; l++) {
		const struct isis_circ_level *lv = &ci->lv[LV(l)];

		if (!(ci->levels & l))
			continue;
		json_obj_begin(j);
		json_kv_str(j, "level", level_str((uint8_t)l));
		json_kv_int(j, "metric", ci->metric);
		if (!ci->cfg.passive) {
			json_kv_int(j, "active-neighbors", active_nbrs(ci, l));
			json_kv_int(j, "hello-interval", ci->cfg.hello / SIM_S);
			json_key(j, "holddown");
			json_obj_begin(j);
			json_kv_int(j, "count", ci->cfg.hold_mult);
			json_kv_str(j, "pad", ci->cfg.padding ? "yes" : "no");
			json_obj_end(j);
			json_kv_int(j, "hold-time", isis_circ_hold(ci, ci->cfg.p2p ? 0 : l));
			json_kv_int(j, "cnsp-interval", is->cfg.csnp_interval / SIM_S);
			json_kv_int(j, "psnp-interval", is->cfg.psnp_interval / SIM_S);
		}
		if (circ_lan(ci)) {
			json_key(j, "lan");
			json_obj_begin(j);
			json_kv_int(j, "priority", ci->cfg.priority);
			json_kv_str(j, "is-dis", lv->is_dis ? "yes" : "no");
			json_kv_str(j, "lan-id", node_name(is, lv->lan_id, b, sizeof(b)));
			json_obj_end(j);
		}
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key(j, "ip-prefix");
	json_obj_begin(j);
	if (ci->ifp->addr)
		json_kv_str(j, "ip", (snprintf(b, sizeof(b), "%s/%u", ip_str(ci->ifp->addr),
		                               ci->ifp->plen), b));
	json_obj_end(j);
	json_key(j, "counters");
	json_obj_begin(j);
	json_kv_int(j, "iih-in", (int64_t)ci->st.iih_in);
	json_kv_int(j, "iih-out", (int64_t)ci->st.iih_out);
	json_kv_int(j, "lsp-in", (int64_t)ci->st.lsp_in);
	json_kv_int(j, "lsp-out", (int64_t)ci->st.lsp_out);
	json_kv_int(j, "csnp-in", (int64_t)ci->st.csnp_in);
	json_kv_int(j, "csnp-out", (int64_t)ci->st.csnp_out);
	json_kv_int(j, "psnp-in", (int64_t)ci->st.psnp_in);
	json_kv_int(j, "psnp-out", (int64_t)ci->st.psnp_out);
	json_kv_int(j, "auth-fail", (int64_t)ci->st.auth_fail);
	json_kv_int(j, "malformed", (int64_t)ci->st.bad);
	json_kv_int(j, "rejected", (int64_t)ci->st.rejected);
	json_obj_end(j);
	json_obj_end(j);
	json_obj_end(j);
}

static int
cmd_iface(struct cli_ctx *c, int argc, char **argv)
{
	struct isis *is = running_isis(c);
	bool detail = false;
	const char *name = NULL;
	bool found = false;

	for (int i = 0; i < argc; i++) {
		if (!detail && name == NULL && str_prefix("detail", argv[i]))
			detail = true;
		else if (name == NULL)
			name = argv[i];
		else
			return cli_fail(c, "usage: show isis interface [detail] [IFACE]");
	}
	if (is == NULL)
		return no_isis(c);
	if (name != NULL) {
		for (int i = 0; i < is->ncircs; i++)
			found |= strcmp(is->circs[i]->ifp->name, name) == 0;
		if (!found)
			return cli_fail(c, "IS-IS is not enabled on interface '%s'", name);
		detail = true;
	}
	if (c->json) {
		areas_begin(&c->j, "circuits", false);
		for (int i = 0; i < is->ncircs; i++)
			if (name == NULL || strcmp(is->circs[i]->ifp->name, name) == 0)
				iface_json(&c->j, is, is->circs[i], detail);
		areas_end(&c->j);
		return 0;
	}
	cli_printf(c, "Area %s:\n", AREA_TAG);
	if (!detail)
		cli_printf(c, "  Interface   CircId   State    Type     Level\n");
	for (int i = 0; i < is->ncircs; i++) {
		const struct isis_circ *ci = is->circs[i];
		char id[16];

		if (name != NULL && strcmp(ci->ifp->name, name) != 0)
			continue;
		if (detail) {
			iface_detail_text(c, is, ci);
			continue;
		}
		snprintf(id, sizeof(id), "0x%x", ci->circ_id);
		cli_printf(c, "  %-12s%-9s%-9s%-9s%s\n", ci->ifp->name, id, ci->up ? "Up" : "Down",
		           circ_type(ci), level_str(ci->levels));
	}
	return 0;
}

/* --- show isis topology ----------------------------------------------------------------------- */

/*
 * FRR's vertex types (isis_spf_private.h): a pseudonode and a router, narrow
 * (IS) or wide (TE-IS); the root is always a router of type 3.
 */
static int
vtx_type(const struct isis *is, const uint8_t id[7])
{
	bool wide = is->cfg.style != ISIS_NARROW;

	if (id[6] != 0)
		return wide ? 2 : 1;
	return wide ? 4 : 3;
}

static const char *
vtx_type_name(int t)
{
	static const char *const s[] = {"", "pseudo_IS", "pseudo_TE-IS", "IS", "TE-IS"};

	return s[t];
}

static const char *
vtx_name(const struct isis *is, const uint8_t id[7], char *buf, size_t n)
{
	if (id[6] != 0)
		return node_name(is, id, buf, n);
	return sys_name(is, id, buf, n);
}

/* The neighbor a next hop goes through: its hostname (FRR's Next-Hop column), else the address. */
static const char *
nh_name(const struct isis *is, const struct nexthop *nh, char *buf, size_t n)
{
	for (int i = 0; i < is->ncircs; i++) {
		const struct isis_circ *c = is->circs[i];

		if (c->ifp->idx != nh->ifindex)
			continue;
		if (c->p2p && c->p2p->addr == nh->gw)
			return sys_name(is, c->p2p->sysid, buf, n);
		for (int l = 0; l < ISIS_LEVELS; l++)
			for (int k = 0; k < c->lv[l].nadj; k++)
				if (c->lv[l].adj[k]->addr == nh->gw)
					return sys_name(is, c->lv[l].adj[k]->sysid, buf, n);
	}
	snprintf(buf, n, "%s", ip_str(nh->gw));
	return buf;
}

static const char *
ifname(const struct isis *is, uint16_t idx)
{
	return idx < is->node->nifs ? is->node->ifs[idx]->name : "?";
}

/* The system a vertex was reached through first (NULL: the root). */
static const uint8_t *
vtx_parent(const struct isis_level *lv, const struct isis_vertex *v)
{
	return v->parent < 0 || v->parent >= lv->nspt ? NULL : isis_sysnum_id(lv->spt[v->parent].num);
}

static const struct nexthop *
vtx_nh(const struct isis_level *lv, const struct isis_vertex *v, int k)
{
	return &lv->nhs[v->nh + (uint32_t)k];
}

static void
topo_text(struct cli_ctx *c, const struct isis *is, int level)
{
	const struct isis_level *lv = &is->lv[LV(level)];
	char nm[80], nh[96], par[112], pn[96];

	cli_printf(c, "IS-IS paths to level-%d routers that speak IP\n", level);
	cli_printf(c, "Vertex               Type         Metric Next-Hop             Interface Parent\n");
	for (int i = 0; i < lv->nspt; i++) {
		const struct isis_vertex *v = &lv->spt[i];
		const uint8_t *up = vtx_parent(lv, v);
		const char *name = vtx_name(is, isis_sysnum_id(v->num), nm, sizeof(nm));

		if (up == NULL) {
			cli_printf(c, "%s\n", name);
			continue;
		}
		snprintf(par, sizeof(par), "%s(%d)", vtx_name(is, up, pn, sizeof(pn)),
		         vtx_parent(lv, &lv->spt[v->parent]) == NULL ? 3 : vtx_type(is, up));
		if (v->nnh == 0) {
			cli_printf(c, "%-20s %-12s %-6u %-20s %-9s %s\n", name,
			           vtx_type_name(vtx_type(is, isis_sysnum_id(v->num))), v->dist, "", "", par);
			continue;
		}
		for (int k = 0; k < v->nnh; k++)
			cli_printf(c, "%-20s %-12s %-6s %-20s %-9s %s\n", k == 0 ? name : "",
			           k == 0 ? vtx_type_name(vtx_type(is, isis_sysnum_id(v->num))) : "",
			           k == 0 ? (snprintf(pn, sizeof(pn), "%u", v->dist), pn) : "",
			           nh_name(is, vtx_nh(lv, v, k), nh, sizeof(nh)),
			           ifname(is, vtx_nh(lv, v, k)->ifindex),
			           k == 0 ? par : "");
	}
	cli_printf(c, "\n");
}

static void
topo_json(struct json *j, const struct isis *is, int level)
{
	const struct isis_level *lv = &is->lv[LV(level)];
	char b[96];

	json_obj_begin(j);
	json_kv_int(j, "id", level);
	json_key(j, "vertices");
	json_arr_begin(j);
	for (int i = 0; i < lv->nspt; i++) {
		const struct isis_vertex *v = &lv->spt[i];
		const uint8_t *up = vtx_parent(lv, v);
		bool root = up == NULL;

		json_obj_begin(j);
		json_kv_str(j, "vertex", vtx_name(is, isis_sysnum_id(v->num), b, sizeof(b)));
		isis_sysid_str(isis_sysnum_id(v->num), b, sizeof(b));
		snprintf(b + strlen(b), sizeof(b) - strlen(b), ".%02x", isis_sysnum_id(v->num)[6]);
		json_kv_str(j, "id", b);
		json_kv_str(j, "type", root ? "" : vtx_type_name(vtx_type(is, isis_sysnum_id(v->num))));
		json_kv_int(j, "metric", v->dist);
		json_key(j, "next-hops");
		json_arr_begin(j);
		for (int k = 0; k < v->nnh; k++) {
			const struct nexthop *nh = vtx_nh(lv, v, k);

			json_obj_begin(j);
			json_kv_str(j, "next-hop", nh_name(is, nh, b, sizeof(b)));
			json_kv_str(j, "address", ip_str(nh->gw));
			json_kv_str(j, "interface", ifname(is, nh->ifindex));
			json_obj_end(j);
		}
		json_arr_end(j);
		if (!root)
			json_kv_str(j, "parent", vtx_name(is, up, b, sizeof(b)));
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static int
cmd_topo(struct cli_ctx *c, int argc, char **argv)
{
	struct isis *is = running_isis(c);

	(void)argc;
	(void)argv;
	if (is == NULL)
		return no_isis(c);
	if (c->json)
		areas_begin(&c->j, "levels", false);
	else
		cli_printf(c, "Area %s:\n", AREA_TAG);
	for (int l = ISIS_LEVEL1; l <= ISIS_LEVEL2; l++) {
		if (!(is->cfg.level & l))
			continue;
		if (c->json)
			topo_json(&c->j, is, l);
		else
			topo_text(c, is, l);
	}
	if (c->json)
		areas_end(&c->j);
	return 0;
}

/* --- show isis summary ------------------------------------------------------------------------ */

struct pdu_counts {
	uint64_t lan_iih, p2p_iih, lsp, csnp, psnp;
};

/* The circuits' counters summed: out (tx) or in (rx), IIHs by circuit type. */
static struct pdu_counts
pdu_counts(const struct isis *is, bool tx)
{
	struct pdu_counts s = {0};

	for (int i = 0; i < is->ncircs; i++) {
		const struct isis_circ *ci = is->circs[i];
		uint64_t iih = tx ? ci->st.iih_out : ci->st.iih_in;

		if (ci->cfg.p2p)
			s.p2p_iih += iih;
		else
			s.lan_iih += iih;
		s.lsp += tx ? ci->st.lsp_out : ci->st.lsp_in;
		s.csnp += tx ? ci->st.csnp_out : ci->st.csnp_in;
		s.psnp += tx ? ci->st.psnp_out : ci->st.psnp_in;
	}
	return s;
}

static void
counts_text(struct cli_ctx *c, const char *title, struct pdu_counts s)
{
	cli_printf(c, "  %s counters per PDU type:\n", title);
	cli_printf(c, "    LAN IIH: %llu\n", (unsigned long long)s.lan_iih);
	cli_printf(c, "    P2P IIH: %llu\n", (unsigned long long)s.p2p_iih);
	cli_printf(c, "        LSP: %llu\n", (unsigned long long)s.lsp);
	cli_printf(c, "       CSNP: %llu\n", (unsigned long long)s.csnp);
	cli_printf(c, "       PSNP: %llu\n", (unsigned long long)s.psnp);
}

static void
counts_json(struct json *j, const char *key, struct pdu_counts s)
{
	json_key(j, key);
	json_obj_begin(j);
	json_kv_int(j, "lan-iih", (int64_t)s.lan_iih);
	json_kv_int(j, "p2p-iih", (int64_t)s.p2p_iih);
	json_kv_int(j, "lsp", (int64_t)s.lsp);
	json_kv_int(j, "csnp", (int64_t)s.csnp);
	json_kv_int(j, "psnp", (int64_t)s.psnp);
	json_obj_end(j);
}

static const char *
net_str(const struct isis *is, int area, char *buf, size_t n)
{
	char a[48], s[32];

	snprintf(buf, n, "%s.%s.00", isis_area_str(&is->cfg.areas[area], a, sizeof(a)),
	         isis_sysid_str(is->cfg.sysid, s, sizeof(s)));
	return buf;
}

static void
summary_json(struct json *j, const struct isis *is)
{
	sim_time now = now_of(is);
	char b[64];

	json_obj_begin(j);
	json_kv_str(j, "vrf", "default");
	json_kv_str(j, "system-id", isis_sysid_str(is->cfg.sysid, b, sizeof(b)));
	json_kv_str(j, "hostname", is->cfg.hostname);
	json_kv_int(j, "number-areas", 1);
	json_key(j, "areas");
	json_arr_begin(j);
	json_obj_begin(j);
	json_kv_str(j, "area", AREA_TAG);
	json_kv_str(j, "net", net_str(is, 0, b, sizeof(b)));
	json_key(j, "area-addresses");
	json_arr_begin(j);
	for (int i = 0; i < is->cfg.nareas; i++)
		json_str(j, isis_area_str(&is->cfg.areas[i], b, sizeof(b)));
	json_arr_end(j);
	json_kv_str(j, "is-type", level_str(is->cfg.level));
	counts_json(j, "tx-pdu-type", pdu_counts(is, true));
	counts_json(j, "rx-pdu-type", pdu_counts(is, false));
	json_kv_int(j, "lsp-generated", (int64_t)is->st.lsp_gen);
	json_kv_int(j, "lsp-purged", (int64_t)is->st.purges);
	json_kv_int(j, "auth-fail", (int64_t)is->st.auth_fail);
	json_key(j, "levels");
	json_arr_begin(j);
	for (int l = ISIS_LEVEL1; l <= ISIS_LEVEL2; l++) {
		const struct isis_level *lv = &is->lv[LV(l)];

		if (!(is->cfg.level & l))
			continue;
		json_obj_begin(j);
		json_kv_int(j, "id", l);
		json_kv_int(j, "lsp-count", lv->db.n);
		json_kv_str(j, "spf", timer_pending(&lv->spf_t) ? "pending" : "no pending");
		json_kv_int(j, "minimum-interval-msec", is->cfg.spf.initial / SIM_MS);
		if (lv->spf_runs > 0)
			json_kv_str(j, "last-run-elapsed", cli_age(now - lv->last_spf));
		json_kv_int(j, "last-run-count", (int64_t)lv->spf_runs);
		json_kv_int(j, "spf-nodes", lv->spf_nodes);
		json_kv_int(j, "spf-reached", lv->nspt);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
	json_arr_end(j);
	json_obj_end(j);
}

static int
cmd_summary(struct cli_ctx *c, int argc, char **argv)
{
	struct isis *is = running_isis(c);
	sim_time now;
	char b[64];

	(void)argc;
	(void)argv;
	if (is == NULL)
		return no_isis(c);
	if (c->json) {
		summary_json(&c->j, is);
		return 0;
	}
	now = now_of(is);
	cli_printf(c, "vrf             : default\n");
	cli_printf(c, "System Id       : %s\n", isis_sysid_str(is->cfg.sysid, b, sizeof(b)));
	cli_printf(c, "Hostname        : %s\n", is->cfg.hostname);
	cli_printf(c, "Number of areas : 1\n");
	cli_printf(c, "Area %s:\n", AREA_TAG);
	for (int i = 0; i < is->cfg.nareas; i++)
		cli_printf(c, "  Net: %s\n", net_str(is, i, b, sizeof(b)));
	cli_printf(c, "  IS type: %s\n", level_str(is->cfg.level));
	counts_text(c, "TX", pdu_counts(is, true));
	counts_text(c, "RX", pdu_counts(is, false));
	cli_printf(c, "  LSPs generated: %llu, purged: %llu, authentication failures: %llu\n",
	           (unsigned long long)is->st.lsp_gen, (unsigned long long)is->st.purges,
	           (unsigned long long)is->st.auth_fail);
	for (int l = ISIS_LEVEL1; l <= ISIS_LEVEL2; l++) {
		const struct isis_level *lv = &is->lv[LV(l)];

		if (!(is->cfg.level & l))
			continue;
		cli_printf(c, "  Level-%d:\n", l);
		cli_printf(c, "    LSPs in database: %d\n", lv->db.n);
		cli_printf(c, "    SPF:%s\n", timer_pending(&lv->spf_t) ? " (pending)" : "");
		cli_printf(c, "      minimum interval  : %lld msec\n",
		           (long long)(is->cfg.spf.initial / SIM_MS));
		cli_printf(c, "    IPv4 route computation:\n");
		if (lv->spf_runs > 0)
			cli_printf(c, "      last run elapsed  : %s ago\n", cli_age(now - lv->last_spf));
		cli_printf(c, "      run count         : %llu\n", (unsigned long long)lv->spf_runs);
		cli_printf(c, "      systems reached   : %d of %u\n", lv->nspt, lv->spf_nodes);
	}
	return 0;
}

/* --- show ip protocols ------------------------------------------------------------------------ */

static const char *const style_names[] = {"", "narrow", "wide", "transition"};

void
isis_show_protocols(struct proto_inst *pi, struct cli_ctx *c)
{
	struct isis *is = pi->priv;
	char b[96];

	if (c->json) {
		struct json *j = &c->j;

		json_key(j, pi->proto->name);
		json_obj_begin(j);
		json_kv_str(j, "routingProtocol", "isis");
		json_kv_str(j, "systemId", isis_sysid_str(is->cfg.sysid, b, sizeof(b)));
		json_kv_str(j, "hostname", is->cfg.hostname);
		json_kv_str(j, "isType", level_str(is->cfg.level));
		json_kv_str(j, "metricStyle", style_names[is->cfg.style & 3]);
		json_kv_bool(j, "overload", is->cfg.overload);
		json_key(j, "areas");
		json_arr_begin(j);
		for (int i = 0; i < is->cfg.nareas; i++)
			json_str(j, isis_area_str(&is->cfg.areas[i], b, sizeof(b)));
		json_arr_end(j);
		json_key(j, "interfaces");
		json_arr_begin(j);
		for (int i = 0; i < is->ncircs; i++) {
			const struct isis_circ *ci = is->circs[i];

			json_obj_begin(j);
			json_kv_str(j, "name", ci->ifp->name);
			json_kv_str(j, "levels", level_str(ci->levels));
			json_kv_str(j, "type", circ_type(ci));
			json_kv_bool(j, "passive", ci->cfg.passive);
			json_kv_int(j, "metric", ci->metric);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_key(j, "redistribute");
		redist_json(&is->cfg.redist, j);
		json_key(j, "leakL2ToL1");
		if (is->cfg.leak.all) {
			json_str(j, "all");
		} else {
			json_arr_begin(j);
			for (int i = 0; i < is->cfg.leak.n; i++)
				json_str(j, prefix_str(&is->cfg.leak.pfx[i]));
			json_arr_end(j);
		}
		json_kv_int(j, "distance", ISIS_DISTANCE);
		json_obj_end(j);
		return;
	}
	cli_printf(c, "Routing Protocol is \"isis\"\n");
	cli_printf(c, "  System ID: %s, hostname %s, IS type: %s\n",
	           isis_sysid_str(is->cfg.sysid, b, sizeof(b)), is->cfg.hostname,
	           level_str(is->cfg.level));
	for (int i = 0; i < is->cfg.nareas; i++)
		cli_printf(c, "  Area address: %s\n", isis_area_str(&is->cfg.areas[i], b, sizeof(b)));
	cli_printf(c, "  Metric style: %s%s\n", style_names[is->cfg.style & 3],
	           is->cfg.overload ? ", overload bit set" : "");
	cli_printf(c, "  Interfaces:\n");
	for (int i = 0; i < is->ncircs; i++) {
		const struct isis_circ *ci = is->circs[i];

		cli_printf(c, "    %s (%s, %s, metric %u%s)\n", ci->ifp->name, level_str(ci->levels),
		           circ_type(ci), ci->metric, ci->cfg.passive ? ", passive" : "");
	}
	if (redist_any(&is->cfg.redist)) {
		cli_printf(c, "  Redistributing:\n");
		for (int i = 0; i < proto_count; i++)
			if (is->cfg.redist.src[i].on)
				cli_printf(c, "    %s (metric %u)\n", proto_registry[i]->name,
				           is->cfg.redist.src[i].metric);
	}
	if (is->cfg.leak.all) {
		cli_printf(c, "  Leaking level-2 into level-1: all\n");
	} else if (is->cfg.leak.n > 0) {
		cli_printf(c, "  Leaking level-2 into level-1:\n");
		for (int i = 0; i < is->cfg.leak.n; i++)
			cli_printf(c, "    %s\n", prefix_str(&is->cfg.leak.pfx[i]));
	}
	cli_printf(c, "  Distance: %d\n\n", ISIS_DISTANCE);
}

const struct cli_cmd isis_show_cmds[] = {
    {"show isis neighbors", "[detail]", "IS-IS adjacencies", cmd_nbr, CLI_ROUTER | CLI_JSON},
    {"show isis database", "[detail] [LSPID]",
     "the IS-IS link state databases (an LSP ID: HOSTNAME or SYSTEM-ID[.PN][-FF], decoded)",
     cmd_db, CLI_ROUTER | CLI_JSON},
    {"show isis interface", "[detail] [IFACE]", "IS-IS circuits: type, levels, DIS, timers",
     cmd_iface, CLI_ROUTER | CLI_JSON},
    {"show isis topology", "", "the systems IS-IS SPF reached, per level", cmd_topo,
     CLI_ROUTER | CLI_JSON},
    {"show isis summary", "", "IS-IS system ID, areas, PDU counters, SPF per level", cmd_summary,
     CLI_ROUTER | CLI_JSON},
    {"isis metric", "IFACE VALUE", "set an IS-IS circuit's metric (LSPs follow)", isis_cmd_metric,
     CLI_ROUTER},
    {"isis overload", "on|off", "set or clear the IS-IS overload bit", isis_cmd_overload,
     CLI_ROUTER},
    {NULL},
};
