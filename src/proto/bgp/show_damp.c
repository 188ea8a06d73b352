/*
 * show_damp.c: `show bgp dampening parameters|dampened-paths|flap-statistics`
 * (route flap damping, damp.c), with FRR 8.4's words and columns
 * (bgp_damp.c's bgp_damp_info_vty and the dampening views of bgp_route.c).
 */
#include <stdlib.h>
#include <string.h>

#include "../../cli/cli.h"
#include "../../lib/json.h"
#include "bgp.h"
#include "show_int.h"

static int
parameters(struct cli_ctx *c, const struct bgp *b)
{
	const struct bgp_damp_cfg *d = &b->cfg.damp;
	double ceiling = bgp_damp_ceiling(d);

	if (!d->on)
		return cli_fail(c, "dampening not enabled for IPv4 Unicast");
	if (c->json) {
		struct json *j = &c->j;

		json_obj_begin(j);
		json_kv_int(j, "halfLifeSecs", (int64_t)d->half_life * 60);
		json_kv_int(j, "reusePenalty", d->reuse);
		json_kv_int(j, "suppressPenalty", d->suppress);
		json_kv_int(j, "maxSuppressTimeSecs", (int64_t)d->max_suppress * 60);
		json_kv_int(j, "maxSuppressPenalty", (int64_t)ceiling);
		json_obj_end(j);
		return 0;
	}
	cli_printf(c, "Half-life time: %u min\n", d->half_life);
	cli_printf(c, "Reuse penalty: %u\n", d->reuse);
	cli_printf(c, "Suppress penalty: %u\n", d->suppress);
	cli_printf(c, "Max suppress time: %u min\n", d->max_suppress);
	cli_printf(c, "Max suppress penalty: %u\n", (unsigned)ceiling);
	return 0;
}

/* One row of dampened-paths (flaps false) or flap-statistics. */
static void
row(struct cli_ctx *c, const struct bgp *b, const struct bgp_dest *d, const struct bgp_path *p,
    const struct bgp_damp_view *v, bool flaps)
{
	const struct bgp_peer *peer = bgp_path_peer(b, p);
	char st[4], age[32], reuse[32] = "";
	struct strbuf sb;

	status_str(b, d, p, st);
	if (v->damped)
		frr_age(v->reuse_in, reuse, sizeof(reuse));
	sb_init(&sb);
	aspath_text(p->attr, &sb);
	if (c->json) {
		struct json *j = &c->j;

		json_obj_begin(j);
		json_kv_str(j, "peerHost", ip_str(peer->cfg->ip));
		if (flaps) {
			json_kv_int(j, "flapCount", v->flaps);
			json_kv_str(j, "flapDuration", frr_age(v->duration, age, sizeof(age)));
		}
		if (v->damped)
			json_kv_str(j, "reuseTime", reuse);
		json_kv_int(j, "penalty", v->penalty);
		json_kv_bool(j, "damped", v->damped);
		json_kv_bool(j, "history", (p->flags & BGP_PATH_HISTORY) != 0);
		json_kv_str(j, "path", sb_str(&sb));
		json_kv_str(j, "origin", bgp_origin_name(p->attr->origin));
		json_obj_end(j);
	} else {
		/* The columns of the headers below: From is 17 wide, 16 with Flaps after it. */
		cli_printf(c, "%s%-17s%-*s", st, prefix_str(&d->pfx), flaps ? 16 : 17, ip_str(peer->cfg->ip));
		if (flaps)
			cli_printf(c, "%5u %8s ", v->flaps, frr_age(v->duration, age, sizeof(age)));
		cli_printf(c, "%8s %s%s%c\n", reuse, sb_str(&sb), sb.len ? " " : "",
		           bgp_origin_code(p->attr->origin));
	}
	sb_free(&sb);
}

static int
paths(struct cli_ctx *c, const struct bgp *b, bool flaps)
{
	size_t n, cnt = 0;
	struct bgp_dest **v = sorted_dests(b, &n, NULL);
	struct json *j = &c->j;

	if (c->json) {
		json_obj_begin(j);
		json_key(j, "routes");
		json_obj_begin(j);
	}
	for (size_t i = 0; i < n; i++) {
		bool open = false;

		for (const struct bgp_path *p = bgp_dest_paths(b, v[i]); p; p = bgp_path_next(b, p)) {
			struct bgp_damp_view dv;

			if (!bgp_damp_state(b, p, bgp_path_id(b, v[i], p), &dv) || (!flaps && !dv.damped))
				continue;
			if (cnt++ == 0 && !c->json) {
				table_codes(c, b);
				cli_printf(c, flaps ? "   Network          From            Flaps Duration Reuse    Path\n"
				                    : "   Network          From             Reuse    Path\n");
			}
			if (c->json && !open) {
				json_key(j, prefix_str(&v[i]->pfx));
				json_arr_begin(j);
				open = true;
			}
			row(c, b, v[i], p, &dv, flaps);
		}
		if (open)
			json_arr_end(j);
	}
	free(v);
	if (c->json) {
		json_obj_end(j);
		json_obj_end(j);
	}
	return 0;
}

/* show [ip] bgp dampening parameters|dampened-paths|flap-statistics */
int
bgp_cmd_show_dampening(struct cli_ctx *c, int argc, char **argv)
{
	static const char *const what[] = {"parameters", "dampened-paths", "flap-statistics"};
	const struct bgp *b = bgp_running(c);
	int k;

	if (argc != 1)
		return cli_fail(c, "usage: show bgp dampening parameters|dampened-paths|flap-statistics");
	if ((k = cli_keyword(c, "dampening view", argv[0], what, 3)) < 0)
		return 1;
	if (b == NULL)
		return cli_fail(c, "BGP is not running on %s", c->node->name);
	if (k == 0)
		return parameters(c, b);
	return paths(c, b, k == 2);
}
