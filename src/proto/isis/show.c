/*
 * show.c: `show isis ...` and their JSON forms (FRR's keys where FRR has the
 * command), and IS-IS's part of `show ip protocols`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/cli.h"
#include "../../lib/json.h"
#include "../../lib/util.h"
#include "isis.h"

static struct isis *
running_isis(struct cli_ctx *c)
{
	struct proto_inst *pi = c->node ? proto_get(c->node, &proto_isis) : NULL;

	if (pi == NULL || pi->priv == NULL || !pi->running)
		return NULL;
	return pi->priv;
}

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

/* The hostname a system goes by (RFC 5301), from its LSP 0 of either level. */
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

		if (cnt > 0 && is->lv[l].db.v[k]->blob->info.hostname[0])
			return is->lv[l].db.v[k]->blob->info.hostname;
	}
	return isis_sysid_str(sysid, buf, n);
}

struct adj_row {
	const struct isis_adj *a;
	int level; /* LAN: the adjacency's level; p2p: 0 */
};

static struct adj_row *
adj_rows(const struct isis *is, int *n)
{
	struct adj_row *v = NULL;
	int cnt = 0;

	for (int i = 0; i < is->ncircs; i++) {
		const struct isis_circ *c = is->circs[i];

		if (c->p2p) {
			v = xrealloc(v, (size_t)(cnt + 1) * sizeof(*v));
			v[cnt++] = (struct adj_row){c->p2p, 0};
		}
		for (int l = 0; l < ISIS_LEVELS; l++)
			for (int k = 0; k < c->lv[l].nadj; k++) {
				v = xrealloc(v, (size_t)(cnt + 1) * sizeof(*v));
				v[cnt++] = (struct adj_row){c->lv[l].adj[k], l + 1};
			}
	}
	*n = cnt;
	return v;
}

static int
cmd_nbr(struct cli_ctx *c, int argc, char **argv)
{
	struct isis *is = running_isis(c);
	bool detail = argc == 1 && str_prefix("detail", argv[0]);
	struct adj_row *v;
	int n;
	char b[32];

	if (argc > 1 || (argc == 1 && !detail))
		return cli_fail(c, "usage: show isis neighbors [detail]");
	if (is == NULL)
		return no_isis(c);
	v = adj_rows(is, &n);
	if (c->json) {
		struct json *j = &c->j;

		json_obj_begin(j);
		json_key(j, "areas");
		json_arr_begin(j);
		json_obj_begin(j);
		json_kv_str(j, "area", "default");
		json_key(j, "circuits");
		json_arr_begin(j);
		for (int i = 0; i < n; i++) {
			const struct isis_adj *a = v[i].a;

			json_obj_begin(j);
			json_kv_int(j, "circuit", a->c->circ_id);
			json_key(j, "adj");
			json_str(j, sys_name(is, a->sysid, b, sizeof(b)));
			json_kv_str(j, "interface", a->c->ifp->name);
			json_kv_int(j, "level", v[i].level ? v[i].level : a->levels);
			json_kv_str(j, "state", isis_adj_state_names[a->state]);
			json_kv_int(j, "expires-in", timer_remaining(&a->hold_t) / SIM_S);
			json_kv_str(j, "snpa", mac_str(a->mac));
			json_kv_str(j, "systemId", isis_sysid_str(a->sysid, b, sizeof(b)));
			json_kv_str(j, "ipv4Address", ip_str(a->addr));
			json_obj_end(j);
		}
		json_arr_end(j);
		json_obj_end(j);
		json_arr_end(j);
		json_obj_end(j);
		free(v);
		return 0;
	}
	cli_printf(c, "System Id           Interface   L  State         Holdtime SNPA\n");
	for (int i = 0; i < n; i++) {
		const struct isis_adj *a = v[i].a;
		uint8_t lv = v[i].level ? (uint8_t)v[i].level : a->levels;

		cli_printf(c, "%-19s %-11s %-2s %-13s %-8lld %s\n", sys_name(is, a->sysid, b, sizeof(b)),
		           a->c->ifp->name, level_str(lv) + 1, isis_adj_state_names[a->state],
		           (long long)(timer_remaining(&a->hold_t) / SIM_S),
		           a->c->cfg.p2p ? "PtP" : mac_str(a->mac));
		if (detail)
			cli_printf(c, "    Area Address(es): %d, IPv4 Address: %s, Uptime: %s\n",
			           a->nareas, ip_str(a->addr),
			           a->state == ISIS_ADJ_UP
			               ? cli_age(node_now(is->node) - a->up_since)
			               : "-");
	}
	free(v);
	return 0;
}

static const char *
lsp_attrs(const struct isis_lsp *l, char *buf, size_t n)
{
	uint8_t f = l->blob->info.flags;

	snprintf(buf, n, "%d/%d/%d", (f & ISIS_LSP_ATT_ALL) ? 1 : 0, (f & ISIS_LSP_P) ? 1 : 0,
	         (f & ISIS_LSP_OL) ? 1 : 0);
	return buf;
}

static void
db_level_text(struct cli_ctx *c, const struct isis *is, int level)
{
	const struct isis_lspdb *db = &is->lv[LV(level)].db;
	char id[40], nm[32], at[16];

	cli_printf(c, "IS-IS Level-%d link-state database:\n", level);
	cli_printf(c, "LSP ID                  PduLen  SeqNumber   Chksum  Holdtime  ATT/P/OL\n");
	for (int i = 0; i < db->n; i++) {
		const struct isis_lsp *l = db->v[i];
		const char *name = sys_name(is, l->id.b, nm, sizeof(nm));

		snprintf(id, sizeof(id), "%s.%02x-%02x", name, l->id.b[6], l->id.b[7]);
		cli_printf(c, "%-21s %s %6u  0x%08x  0x%04x  %8u  %s\n", id, l->own ? "*" : " ",
		           l->blob->len, l->seq, l->cksum, isis_lsp_remaining(is, l),
		           lsp_attrs(l, at, sizeof(at)));
	}
	cli_printf(c, "    %d LSPs\n\n", db->n);
}

static int
cmd_db(struct cli_ctx *c, int argc, char **argv)
{
	struct isis *is = running_isis(c);
	char b[40], at[16];

	(void)argv;
	if (argc > 0)
		return cli_fail(c, "usage: show isis database");
	if (is == NULL)
		return no_isis(c);
	if (!c->json) {
		for (int l = ISIS_LEVEL1; l <= ISIS_LEVEL2; l++)
			if (is->cfg.level & l)
				db_level_text(c, is, l);
		return 0;
	}
	json_obj_begin(&c->j);
	for (int l = ISIS_LEVEL1; l <= ISIS_LEVEL2; l++) {
		const struct isis_lspdb *db = &is->lv[LV(l)].db;

		if (!(is->cfg.level & l))
			continue;
		json_key(&c->j, l == ISIS_LEVEL1 ? "level-1" : "level-2");
		json_arr_begin(&c->j);
		for (int i = 0; i < db->n; i++) {
			const struct isis_lsp *l2 = db->v[i];

			json_obj_begin(&c->j);
			json_kv_str(&c->j, "lsp", isis_lspid_str(&l2->id, b, sizeof(b)));
			json_kv_bool(&c->j, "own", l2->own);
			json_kv_int(&c->j, "pduLen", l2->blob->len);
			json_kv_str(&c->j, "seqNumber", (snprintf(b, sizeof(b), "0x%08x", l2->seq), b));
			json_kv_str(&c->j, "chksum", (snprintf(b, sizeof(b), "0x%04x", l2->cksum), b));
			json_kv_int(&c->j, "holdtime", isis_lsp_remaining(is, l2));
			json_kv_str(&c->j, "attPOl", lsp_attrs(l2, at, sizeof(at)));
			json_obj_end(&c->j);
		}
		json_arr_end(&c->j);
	}
	json_obj_end(&c->j);
	return 0;
}

void
isis_show_protocols(struct proto_inst *pi, struct cli_ctx *c)
{
	struct isis *is = pi->priv;
	char b[32];

	if (c->json) {
		struct json *j = &c->j;

		json_key(j, pi->proto->name);
		json_obj_begin(j);
		json_kv_str(j, "routingProtocol", "isis");
		json_kv_str(j, "systemId", isis_sysid_str(is->cfg.sysid, b, sizeof(b)));
		json_kv_str(j, "isType", level_str(is->cfg.level));
		json_key(j, "areas");
		json_arr_begin(j);
		for (int i = 0; i < is->cfg.nareas; i++)
			json_str(j, isis_area_str(&is->cfg.areas[i], b, sizeof(b)));
		json_arr_end(j);
		json_key(j, "redistribute");
		redist_json(&is->cfg.redist, j);
		json_obj_end(j);
		return;
	}
	cli_printf(c, "Routing Protocol is \"isis\"\n");
	cli_printf(c, "  System ID: %s, IS type: %s\n", isis_sysid_str(is->cfg.sysid, b, sizeof(b)),
	           level_str(is->cfg.level));
	for (int i = 0; i < is->cfg.nareas; i++)
		cli_printf(c, "  Area address: %s\n", isis_area_str(&is->cfg.areas[i], b, sizeof(b)));
	cli_printf(c, "  Interfaces:\n");
	for (int i = 0; i < is->ncircs; i++)
		cli_printf(c, "    %s%s\n", is->circs[i]->ifp->name,
		           is->circs[i]->cfg.passive ? " (passive)" : "");
	cli_printf(c, "  Distance: %d\n\n", ISIS_DISTANCE);
}

const struct cli_cmd isis_show_cmds[] = {
    {"show isis neighbors", "[detail]", "IS-IS adjacencies", cmd_nbr, CLI_ROUTER | CLI_JSON},
    {"show isis database", "", "the IS-IS link state databases", cmd_db, CLI_ROUTER | CLI_JSON},
    {NULL},
};
