/*
 * cmd_vrf.c: `show vrf [NAME]`: a router's VRFs, one line each in FRR's
 * layout ("vrf red id 1 table 1"), NAME adding its RD, route targets and
 * interfaces; JSON keyed by VRF name.
 */
#include <string.h>

#include "../net/rib.h"
#include "../lib/strbuf.h"
#include "../net/vrf.h"
#include "cli.h"
#include "cmds.h"

static void
targets_json(struct json *j, const char *key, const struct vrf_rt_list *l)
{
	struct strbuf sb = STRBUF_INIT;

	json_key(j, key);
	json_arr_begin(j);
	for (size_t i = 0; i < l->n; i++) {
		sb_reset(&sb);
		vrf_rt_text(l->v[i], &sb);
		json_str(j, sb_str(&sb));
	}
	json_arr_end(j);
	sb_free(&sb);
}

static void
vrf_json(struct cli_ctx *c, const struct vrf *v)
{
	struct json *j = &c->j;
	const struct node *n = c->node;

	json_key(j, v->name);
	json_obj_begin(j);
	json_kv_str(j, "type", "vrf");
	json_kv_int(j, "id", v->id);
	json_kv_int(j, "table", v->id);
	if (v->has_rd) {
		struct strbuf sb = STRBUF_INIT;

		vrf_rd_text(v, &sb);
		json_kv_str(j, "rd", sb_str(&sb));
		sb_free(&sb);
	}
	targets_json(j, "importTargets", &v->import);
	targets_json(j, "exportTargets", &v->export);
	json_key(j, "interfaces");
	json_arr_begin(j);
	for (size_t i = 0; i < n->nifs; i++)
		if (n->ifs[i]->vrf == v->id)
			json_str(j, n->ifs[i]->name);
	json_arr_end(j);
	json_kv_int(j, "routes", (int64_t)rib_count(v->rib));
	json_obj_end(j);
}

static void
targets_text(struct cli_ctx *c, const char *dir, const struct vrf_rt_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		cli_printf(c, "  route-target %s ", dir);
		vrf_rt_text(l->v[i], &c->out);
		cli_printf(c, "\n");
	}
}

static void
vrf_detail(struct cli_ctx *c, const struct vrf *v)
{
	const struct node *n = c->node;

	if (v->has_rd) {
		cli_printf(c, "  rd ");
		vrf_rd_text(v, &c->out);
		cli_printf(c, "\n");
	}
	targets_text(c, "import", &v->import);
	targets_text(c, "export", &v->export);
	cli_printf(c, "  interfaces:");
	for (size_t i = 0; i < n->nifs; i++)
		if (n->ifs[i]->vrf == v->id)
			cli_printf(c, " %s", n->ifs[i]->name);
	cli_printf(c, "\n  routes: %zu\n", rib_count(v->rib));
}

static int
cmd_show_vrf(struct cli_ctx *c, int argc, char **argv)
{
	const struct node *n = c->node;
	int only = -1;

	if (argc > 1)
		return cli_fail(c, "usage: show vrf [NAME]");
	if (argc == 1 && (only = cli_vrf_arg(c, argv[0])) < 0)
		return 1;
	if (only == VRF_DEFAULT)
		return cli_fail(c, "the default VRF is not one of the configured VRFs: show ip route");
	if (c->json)
		json_obj_begin(&c->j);
	for (size_t i = 0; i < n->nvrfs; i++) {
		const struct vrf *v = &n->vrfs[i];

		if (only > 0 && v->id != only)
			continue;
		if (c->json) {
			vrf_json(c, v);
			continue;
		}
		cli_printf(c, "vrf %s id %u table %u\n", v->name, v->id, v->id);
		if (only > 0)
			vrf_detail(c, v);
	}
	if (c->json)
		json_obj_end(&c->j);
	return 0;
}

const struct cli_cmd cmds_vrf[] = {
	{"show vrf", "[NAME]", "the router's VRFs (NAME: its RD, route targets, interfaces)",
	    cmd_show_vrf, CLI_ROUTER | CLI_JSON},
	{NULL},
};
