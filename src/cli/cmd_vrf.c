/*
 * cmd_vrf.c: `show vrf [NAME]`: a router's VRFs, one line each in FRR's
 * layout ("vrf red id 1 table 1"), NAME adding its RD, route targets and
 * interfaces; JSON keyed by VRF name.
 */
#include <string.h>

#include "../net/rib.h"
#include "../net/vrf.h"
#include "cli.h"
#include "cmds.h"

static void
targets_json(struct json *j, const char *key, const struct vrf_rt_list *l)
{
	char buf[VRF_RD_STR];

	json_key(j, key);
	json_arr_begin(j);
	for (size_t i = 0; i < l->n; i++)
		json_str(j, vrf_rd_str(l->v[i], buf));
	json_arr_end(j);
}

static void
vrf_json(struct cli_ctx *c, const struct vrf *v)
{
	struct json *j = &c->j;
	const struct node *n = c->node;
	char buf[VRF_RD_STR];

	json_key(j, v->name);
	json_obj_begin(j);
	json_kv_str(j, "type", "vrf");
	json_kv_int(j, "id", v->id);
	json_kv_int(j, "table", v->id);
	if (v->has_rd)
		json_kv_str(j, "rd", vrf_rd_str(v->rd, buf));
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
	char buf[VRF_RD_STR];

	for (size_t i = 0; i < l->n; i++)
		cli_printf(c, "  route-target %s %s\n", dir, vrf_rd_str(l->v[i], buf));
}

static void
vrf_detail(struct cli_ctx *c, const struct vrf *v)
{
	const struct node *n = c->node;
	char buf[VRF_RD_STR];

	if (v->has_rd)
		cli_printf(c, "  rd %s\n", vrf_rd_str(v->rd, buf));
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
