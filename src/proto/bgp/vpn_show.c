/*
 * vpn_show.c: the VPN-IPv4 table and the VRFs' BGP view, in FRR's layouts.
 *
 *   show bgp ipv4 vpn [all | rd RD] [json]   the VPN-IPv4 table, by RD
 *   show bgp vrf NAME [json]                 what a VRF exports and imports
 *   bgp vpn-originate VRF, no bgp ...        a VRF's routes into VPN-IPv4
 *
 * Each path row of the VPN table is followed by FRR's line of its VPN
 * details: "UN=" the next hop, "EC{...}" its route targets, "label=" the
 * VPN label, and FRR's route subtype (5 for a VRF's own route, 0 for one
 * learned from a neighbor).
 */
#include <stdlib.h>
#include <string.h>

#include "../../cli/cli.h"
#include "../../lib/json.h"
#include "../../lib/util.h"
#include "../../net/vrf.h"
#include "l3vpn.h"
#include "show_int.h"

static bool
path_internal(const struct bgp *b, const struct bgp_vpn_path *p)
{
	return p->nbr != BGP_PEER_LOCAL && !b->peers[p->nbr].ebgp;
}

static uint32_t
path_peer(const struct bgp *b, const struct bgp_vpn_path *p)
{
	return p->nbr != BGP_PEER_LOCAL ? b->peers[p->nbr].cfg->ip : 0;
}

static uint32_t
path_nexthop(const struct bgp_vpn_path *p)
{
	return p->nbr != BGP_PEER_LOCAL ? p->attr->nexthop : 0;
}

/* The route targets of a, space-separated as FRR's EC{...} ("65000:1 65000:2"). */
static void
rts_text(const struct bgp_attr *a, struct strbuf *sb)
{
	for (size_t i = 0; i < a->necomm; i++) {
		if (sb->len > 0)
			sb_printf(sb, " ");
		if (!bgp_rt_str(a->ecomm + 8 * i, sb))
			bgp_ecomm_str(a->ecomm + 8 * i, sb);
	}
}

static void
vpn_path_json(struct json *j, const struct bgp *b, const struct bgp_vpn_dest *d,
    const struct bgp_vpn_path *p)
{
	struct show_path v = {.flags = p->flags, .why = d->why, .internal = path_internal(b, p),
	                      .pfx = &d->pfx, .version = d->version, .attr = p->attr,
	                      .peer = path_peer(b, p), .nexthop = path_nexthop(p)};
	struct strbuf sb = STRBUF_INIT;

	path_json_open(j, &v);
	if (p->nbr == BGP_PEER_LOCAL) {
		json_kv_bool(j, "announceNexthopSelf", true);
		json_kv_str(j, "nhVrfName", node_vrf_name(b->node, p->vrf));
	}
	json_kv_int(j, "remoteLabel", p->label);
	for (size_t i = 0; i < p->attr->necomm; i++) {
		if (sb.len > 0)
			sb_printf(&sb, " ");
		bgp_ecomm_str(p->attr->ecomm + 8 * i, &sb);
	}
	json_key(j, "extendedCommunity");
	json_obj_begin(j);
	json_kv_str(j, "string", sb_str(&sb));
	json_obj_end(j);
	json_obj_end(j);
	sb_free(&sb);
}

static void
vpn_path_text(struct cli_ctx *c, const struct bgp *b, const struct bgp_vpn_dest *d,
    const struct bgp_vpn_path *p, bool first)
{
	struct strbuf sb = STRBUF_INIT;
	char st[4];

	status_chars(p->flags, false, path_internal(b, p), st);
	table_row(c, st, first ? &d->pfx : NULL, path_nexthop(p), p->attr);
	rts_text(p->attr, &sb);
	cli_printf(c, "    UN=%s EC{%s} label=%u type=bgp, subtype=%d\n", ip_str(path_nexthop(p)),
	           sb_str(&sb), p->label, p->nbr == BGP_PEER_LOCAL ? 5 : 0);
	sb_free(&sb);
}

static void
json_head(struct json *j, const struct bgp *b, const char *vrf, uint16_t id, uint32_t version)
{
	json_obj_begin(j);
	json_kv_int(j, "vrfId", id);
	json_kv_str(j, "vrfName", vrf);
	json_kv_int(j, "tableVersion", version);
	json_kv_str(j, "routerId", ip_str(b->router_id));
	json_kv_int(j, "defaultLocPrf", BGP_LOCAL_PREF_DFLT);
	json_kv_int(j, "localAS", b->cfg.as);
	json_key(j, "routes");
	json_obj_begin(j);
}

static void
table_head(struct cli_ctx *c, const struct bgp *b, uint32_t version)
{
	struct bgp tmp = *b;

	tmp.version = version; /* the VPN table's version, in IPv4 unicast's header */
	table_header(c, &tmp);
}

/* `show bgp ipv4 vpn [all | rd RD]`: rd NULL for every RD. */
static void
show_vpn(struct cli_ctx *c, const struct bgp *b, const struct bgp_rd *rd)
{
	size_t n, shown = 0, paths = 0;
	struct bgp_vpn_dest **v = bgp_vpn_sorted(b, &n);
	uint32_t version = b->vpn ? b->vpn->version : 0;
	const struct bgp_rd *cur = NULL;
	struct json *j = &c->j;
	struct strbuf sb = STRBUF_INIT;

	if (c->json) {
		json_head(j, b, "default", 0, version);
		json_key(j, "routeDistinguishers");
		json_obj_begin(j);
	}
	for (size_t i = 0; i < n; i++) {
		const struct bgp_vpn_dest *d = v[i];

		if (rd != NULL && bgp_rd_cmp(rd, &d->rd) != 0)
			continue;
		if (cur == NULL || bgp_rd_cmp(cur, &d->rd) != 0) {
			sb_reset(&sb);
			bgp_rd_str(&d->rd, &sb);
			if (c->json) {
				if (cur != NULL)
					json_obj_end(j);
				json_key(j, sb_str(&sb));
				json_obj_begin(j);
			} else {
				if (shown == 0)
					table_head(c, b, version);
				cli_printf(c, "Route Distinguisher: %s\n", sb_str(&sb));
			}
			cur = &d->rd;
		}
		if (c->json) {
			json_key(j, prefix_str(&d->pfx));
			json_arr_begin(j);
		}
		for (const struct bgp_vpn_path *p = d->paths; p != NULL; p = p->next) {
			if (c->json)
				vpn_path_json(j, b, d, p);
			else
				vpn_path_text(c, b, d, p, p == d->paths);
			paths++;
		}
		if (c->json)
			json_arr_end(j);
		shown++;
	}
	free(v);
	sb_free(&sb);
	if (c->json) {
		if (cur != NULL)
			json_obj_end(j);
		json_obj_end(j); /* routeDistinguishers */
		json_obj_end(j); /* routes */
		json_obj_end(j);
	} else if (shown == 0) {
		cli_printf(c, "No BGP prefixes displayed, %zu exist\n", n);
	} else {
		cli_printf(c, "\nDisplayed  %zu routes and %zu total paths\n", shown, paths);
	}
}

static int
no_vpn(struct cli_ctx *c)
{
	if (c->json) {
		json_obj_begin(&c->j);
		json_obj_end(&c->j);
		return 0;
	}
	cli_printf(c, "%% BGP has no VPN-IPv4 on this router (no neighbor with families: [vpnv4])\n");
	return 0;
}

int
bgp_cmd_show_vpn(struct cli_ctx *c, int argc, char **argv)
{
	struct bgp *b = bgp_running(c);
	struct bgp_rd rd;
	char err[160];

	if (b == NULL || b->vpn == NULL)
		return b == NULL ? cli_fail(c, "BGP is not running on this device") : no_vpn(c);
	if (argc == 0 || (argc == 1 && strcmp(argv[0], "all") == 0)) {
		show_vpn(c, b, NULL);
		return 0;
	}
	if (argc == 2 && strcmp(argv[0], "rd") == 0) {
		if (!bgp_rd_parse(argv[1], &rd, err, sizeof(err)))
			return cli_fail(c, "rd %s: %s", argv[1], err);
		show_vpn(c, b, &rd);
		return 0;
	}
	return cli_fail(c, "usage: show bgp ipv4 vpn [all | rd RD]");
}

/* ---- show bgp vrf NAME ---- */

/* The paths a VRF sees for one prefix: its own export and the VPN routes it imports. */
static size_t
vrf_paths(const struct bgp *b, uint16_t vrf, const struct prefix *pfx,
    const struct bgp_vpn_dest **dv, const struct bgp_vpn_path **pv, size_t max)
{
	size_t n = 0;

	for (const struct bgp_vpn_dest *d = hmap_get(&b->vpn->by_pfx, prefix_key(pfx)); d && n < max;
	     d = d->next_pfx)
		for (const struct bgp_vpn_path *p = d->paths; p != NULL && n < max; p = p->next) {
			if (p->nbr == BGP_PEER_LOCAL ? p->vrf != vrf :
			    p != d->best || !bgp_vpn_dest_imported_by(b, d, vrf))
				continue;
			dv[n] = d;
			pv[n++] = p;
		}
	return n;
}

/* Is p the route the VRF's RIB has for the prefix (its own export, or the imported one)? */
static bool
vrf_selected(const struct bgp *b, uint16_t vrf, const struct bgp_vpn_dest *d,
    const struct bgp_vpn_path *p)
{
	const struct rib_entry *e;
	const struct rib_path *best;

	if (p->nbr != BGP_PEER_LOCAL)
		return bgp_vpn_imported(b, vrf, &d->pfx) == d;
	e = rib_lookup_exact(node_rib(b->node, vrf), &d->pfx);
	best = e != NULL && e->installed ? rib_best(e) : NULL;
	return best != NULL && rib_path_src(best) != &bgp_src_vpn;
}

static int
pfx_qcmp(const void *x, const void *y)
{
	return prefix_cmp(x, y);
}

/* `show bgp vrf NAME summary` and `... neighbors [IP [...]]`: the VRF's PE-CE sessions. */
static int
vrf_sessions(struct cli_ctx *c, struct bgp *b, int vrf, int argc, char **argv)
{
	struct bgp *vi = bgp_vrf_instance(b, (uint16_t)vrf);

	if (vi == NULL)
		return cli_fail(c, "VRF %s has no BGP neighbors (bgp: vrfs: neighbors:)", argv[0]);
	if (strcmp(argv[1], "summary") == 0)
		return argc == 2 ? bgp_show_summary(c, vi, BGP_FAM_IPV4) :
		                   cli_fail(c, "usage: show bgp vrf NAME summary");
	return bgp_show_neighbors(c, vi, argc - 2, argv + 2);
}

int
bgp_cmd_show_vrf(struct cli_ctx *c, int argc, char **argv)
{
	struct bgp *b = bgp_running(c);
	struct prefix *pfx;
	size_t n = 0, np, shown = 0, paths = 0;
	struct bgp_vpn_dest **v;
	struct json *j = &c->j;
	int vrf;

	if (argc < 1)
		return cli_fail(c, "usage: show bgp vrf NAME [ipv4 unicast | summary | neighbors [IP]]");
	if ((vrf = cli_vrf_arg(c, argv[0])) < 0)
		return 1;
	if (vrf == VRF_DEFAULT)
		return cli_fail(c, "show bgp vrf default is show bgp");
	if (b == NULL)
		return cli_fail(c, "BGP is not running on this device");
	if (argc >= 2 && (strcmp(argv[1], "summary") == 0 || strcmp(argv[1], "neighbors") == 0))
		return vrf_sessions(c, b, vrf, argc, argv);
	if (argc != 1 && !(argc == 3 && strcmp(argv[1], "ipv4") == 0 && strcmp(argv[2], "unicast") == 0))
		return cli_fail(c, "usage: show bgp vrf NAME [ipv4 unicast | summary | neighbors [IP]]");
	if (b->vpn == NULL)
		return no_vpn(c);
	/* The prefixes any RD has, once each, in order. */
	v = bgp_vpn_sorted(b, &np);
	pfx = xmalloc((np + 1) * sizeof(*pfx));
	for (size_t i = 0; i < np; i++)
		pfx[n++] = v[i]->pfx;
	free(v);
	qsort(pfx, n, sizeof(*pfx), pfx_qcmp);
	if (c->json)
		json_head(j, b, argv[0], (uint16_t)vrf, b->vpn->version);
	for (size_t i = 0; i < n; i++) {
		const struct bgp_vpn_dest *dv[32];
		const struct bgp_vpn_path *pv[32];
		size_t k;

		if (i > 0 && prefix_cmp(&pfx[i - 1], &pfx[i]) == 0)
			continue;
		k = vrf_paths(b, (uint16_t)vrf, &pfx[i], dv, pv, ARRAY_LEN(pv));
		if (k == 0)
			continue;
		if (c->json) {
			json_key(j, prefix_str(&pfx[i]));
			json_arr_begin(j);
		} else if (shown == 0) {
			table_head(c, b, b->vpn->version);
		}
		for (size_t q = 0; q < k; q++) {
			struct bgp_vpn_path p = *pv[q];

			/* In the VRF's view the selected route is the one its RIB has. */
			p.flags &= (uint8_t)~BGP_PATH_BEST;
			if (vrf_selected(b, (uint16_t)vrf, dv[q], pv[q]))
				p.flags |= BGP_PATH_BEST;
			if (c->json)
				vpn_path_json(j, b, dv[q], &p);
			else
				vpn_path_text(c, b, dv[q], &p, q == 0);
		}
		if (c->json)
			json_arr_end(j);
		shown++;
		paths += k;
	}
	free(pfx);
	if (c->json) {
		json_obj_end(j);
		json_obj_end(j);
	} else if (shown == 0) {
		cli_printf(c, "No BGP prefixes displayed, 0 exist\n");
	} else {
		cli_printf(c, "\nDisplayed  %zu routes and %zu total paths\n", shown, paths);
	}
	return 0;
}

static int
vpn_originate(struct cli_ctx *c, int argc, char **argv, bool on)
{
	struct bgp *b = bgp_running(c);
	char err[160];
	int vrf;

	if (argc != 1)
		return cli_fail(c, "usage: %sbgp vpn-originate VRF", on ? "" : "no ");
	if (b == NULL)
		return cli_fail(c, "BGP is not running on this device");
	if ((vrf = cli_vrf_arg(c, argv[0])) < 0)
		return 1;
	if (vrf == VRF_DEFAULT)
		return cli_fail(c, "vpn-originate needs a VRF other than the default");
	if (bgp_vpn_originate(b, (uint16_t)vrf, on, err, sizeof(err)) < 0)
		return cli_fail(c, "%s", err);
	cli_printf(c, "VRF %s: routes %s VPN-IPv4\n", argv[0], on ? "exported to" : "withdrawn from");
	return 0;
}

/* `bgp vpn-originate VRF`: the VRF's connected and static routes into VPN-IPv4 now. */
int
bgp_cmd_vpn_originate(struct cli_ctx *c, int argc, char **argv)
{
	return vpn_originate(c, argc, argv, true);
}

/* `no bgp vpn-originate VRF`: its routes out of VPN-IPv4. */
int
bgp_cmd_no_vpn_originate(struct cli_ctx *c, int argc, char **argv)
{
	return vpn_originate(c, argc, argv, false);
}
