/*
 * show.c: the BGP show commands. The text follows FRR 8.4's bgpd layouts
 * (columns as `vtysh` prints them) and the JSON forms use FRR's keys and
 * nesting, so that tools written against FRR read netsim too; the reference
 * outputs recorded from FRR are in tests/frr/bgp-multi-as/.
 *
 *   show [ip] bgp summary                       FRR's IPv4 unicast summary
 *   show [ip] bgp [A.B.C.D[/LEN]]               the table; a prefix: its paths in detail
 *   show [ip] bgp neighbors [IP [advertised-routes|received-routes|routes]]
 * and the same with FRR's `show bgp ipv4 unicast ...`.
 *
 * netsim's BGP is IPv4 unicast only, in one default VRF: `show bgp` and
 * `show ip bgp` are the same command (FRR's `show bgp` means IPv6).
 * Times are simulated: ages count from the event, and FRR's wall-clock dates
 * ("Last update:", the *Epoch keys) are the simulated time as seconds since
 * the Unix epoch (a run starts on Thu Jan  1 00:00:00 1970). Lists are in
 * an order of their own: peers by address, prefixes by address and length,
 * a prefix's paths local first, then by neighbor address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../cli/cli.h"
#include "../../lib/json.h"
#include "../../lib/util.h"
#include "../../net/tcp.h"
#include "../policy/policy.h"
#include "bgp.h"
#include "l3vpn.h"
#include "show_int.h"

struct bgp *
bgp_running(const struct cli_ctx *c)
{
	struct proto_inst *pi = c->node ? proto_get(c->node, &proto_bgp) : NULL;

	if (pi == NULL || pi->priv == NULL || !pi->running)
		return NULL;
	return pi->priv;
}

/* Nothing to show: a line of text, {} in JSON (FRR's answer too). */
static int
nothing(struct cli_ctx *c, const char *text)
{
	if (c->json) {
		json_obj_begin(&c->j);
		json_obj_end(&c->j);
	} else {
		cli_printf(c, "%s\n", text);
	}
	return 0;
}

/* Commands on a device without BGP. */
static int
no_bgp(struct cli_ctx *c)
{
	char t[96];

	snprintf(t, sizeof(t), "%% BGP is not running on %s", c->node ? c->node->name : "?");
	return nothing(c, t);
}

/* --- small pieces ----------------------------------------------------------------------------- */

static sim_time
now_of(const struct bgp *b)
{
	return node_now(b->node);
}

static bool
established(const struct bgp_peer *p)
{
	return p->state == BGP_ESTABLISHED;
}

/* FRR's peer_uptime() of an age: "00:00:15", "1d02h03m", "02w3d04h", "01y02w3d". */
const char *
frr_age(sim_time age, char *buf, size_t n)
{
	long long s = age < 0 ? 0 : age / SIM_S;

	if (s < 86400)
		snprintf(buf, n, "%02lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
	else if (s < 7 * 86400)
		snprintf(buf, n, "%lldd%02lldh%02lldm", s / 86400, s / 3600 % 24, s / 60 % 60);
	else if (s < 365 * 86400)
		snprintf(buf, n, "%02lldw%lldd%02lldh", s / (7 * 86400), s / 86400 % 7,
		         s / 3600 % 24);
	else
		snprintf(buf, n, "%02lldy%02lldw%lldd", s / (365 * 86400),
		         s % (365 * 86400) / (7 * 86400), s / 86400 % 7);
	return buf;
}

/* A session's Up/Down: since its last change into or out of Established; "never" if never up. */
static const char *
frr_uptime(const struct bgp_peer *p, sim_time now, char *buf, size_t n)
{
	if (p->st.established == 0) {
		snprintf(buf, n, "never");
		return buf;
	}
	return frr_age(now - p->up_since, buf, n);
}

/* A simulated instant as FRR's ctime() dates: "Thu Jan  1 00:00:05 1970" (UTC). */
static const char *
sim_date(sim_time t, char *buf, size_t n)
{
	time_t secs = (time_t)(t / SIM_S);
	struct tm tm;

	gmtime_r(&secs, &tm);
	strftime(buf, n, "%a %b %e %H:%M:%S %Y", &tm);
	return buf;
}

/* FRR's mtype_memstr(): "192 bytes", "1448 KiB", "12 MiB". */
static const char *
memstr(unsigned long bytes, char *buf, size_t n)
{
	unsigned long m = bytes >> 20, k = bytes >> 10;

	if (bytes == 0)
		snprintf(buf, n, "0 bytes");
	else if (bytes == 1)
		snprintf(buf, n, "1 byte");
	else if (m > 10)
		snprintf(buf, n, "%lu MiB", m + ((bytes & (1ul << 19)) != 0));
	else if (k > 10)
		snprintf(buf, n, "%lu KiB", k + ((bytes & (1ul << 9)) != 0));
	else
		snprintf(buf, n, "%lu bytes", bytes);
	return buf;
}

static uint64_t
msgs_in(const struct bgp_peer *p)
{
	const struct bgp_peer_stats *s = &p->st;

	return s->open_in + s->upd_in + s->ka_in + s->notif_in + s->rr_in;
}

static uint64_t
msgs_out(const struct bgp_peer *p)
{
	const struct bgp_peer_stats *s = &p->st;

	return s->open_out + s->upd_out + s->ka_out + s->notif_out + s->rr_out;
}

static uint16_t
cfg_hold(const struct bgp_peer *p)
{
	return p->cfg->hold ? p->cfg->hold : p->bgp->cfg.hold ? p->bgp->cfg.hold : BGP_HOLD_DFLT;
}

static uint16_t
cfg_keepalive(const struct bgp_peer *p)
{
	return p->cfg->keepalive       ? p->cfg->keepalive
	       : p->bgp->cfg.keepalive ? p->bgp->cfg.keepalive
	                               : BGP_KEEPALIVE_DFLT;
}

/* "Cease/Administrative Shutdown": FRR's code and subcode words (bgp_err_str). */
static const char *
err_str(const struct bgp_err *e, char *buf, size_t n)
{
	struct strbuf sb;

	sb_init(&sb);
	bgp_err_str(e, &sb);
	snprintf(buf, n, "%s", sb_str(&sb));
	sb_free(&sb);
	return buf;
}

/* FRR's peer_down_str, in its order: lastResetCode is the index of the reason. */
static const char *const peer_down_str[] = {
    "",
    "Router ID changed",
    "Remote AS changed",
    "Local AS change",
    "Cluster ID changed",
    "Confederation identifier changed",
    "Confederation peer changed",
    "RR client config change",
    "RS client config change",
    "Update source change",
    "Address family activated",
    "Admin. shutdown",
    "User reset",
    "BGP Notification received",
    "BGP Notification send",
    "Peer closed the session",
    "Neighbor deleted",
    "Peer-group add member",
    "Peer-group delete member",
    "Capability changed",
    "Passive config change",
    "Multihop config change",
    "NSF peer closed the session",
    "Intf peering v6only config change",
    "BFD down received",
    "Interface down",
    "Neighbor address lost",
    "Waiting for NHT",
    "Waiting for Peer IPv6 LLA",
    "Waiting for VRF to be initialized",
    "No AFI/SAFI activated for peer",
    "AS Set config change",
    "Waiting for peer OPEN",
    "Reached received prefix count",
    "Socket Error",
};

static int
reset_code(const char *why)
{
	for (size_t i = 1; why != NULL && i < ARRAY_LEN(peer_down_str); i++)
		if (strcmp(why, peer_down_str[i]) == 0)
			return (int)i;
	return 0;
}

/* Was the last reset a NOTIFICATION (then last_err says which)? */
static bool
reset_by_notification(const struct bgp_peer *p)
{
	return p->last_reset != NULL && p->last_err.code != 0 &&
	       strstr(p->last_reset, "Notification") != NULL;
}

/* --- the table, sorted ------------------------------------------------------------------------ */

static int
dest_cmp(const void *a, const void *b)
{
	return prefix_cmp(&(*(struct bgp_dest *const *)a)->pfx,
	                  &(*(struct bgp_dest *const *)b)->pfx);
}

/* How many prefixes have a path (summary's RIB entries): a count, no sorted copy. */
static size_t
dests_with_paths(const struct bgp *b)
{
	const struct bgp_dest *d;
	size_t n = 0;

	for (size_t i = 0; (d = bgp_dest_next(b, &i)) != NULL;)
		n += d->first != 0;
	return n;
}

/* Every prefix with a path, sorted (caller frees). */
struct bgp_dest **
sorted_dests(const struct bgp *b, size_t *n, size_t *npaths)
{
	struct bgp_dest **v = NULL;
	size_t cnt = 0, cap = 0, np = 0;
	struct bgp_dest *d;

	for (size_t i = 0; (d = bgp_dest_next(b, &i)) != NULL;) {
		if (d->first == 0)
			continue;
		VEC_PUSH(v, cnt, cap, d);
		for (const struct bgp_path *p = bgp_dest_paths(b, d); p; p = bgp_path_next(b, p))
			np++;
	}
	if (cnt > 1)
		qsort(v, cnt, sizeof(*v), dest_cmp);
	*n = cnt;
	if (npaths)
		*npaths = np;
	return v;
}

/* Local paths first, then by neighbor address: the peers are sorted by address (bgp.peers). */
static uint32_t
path_peer_rank(const struct bgp_path *p)
{
	return p->nbr == BGP_PEER_LOCAL ? 0 : p->nbr + 1u;
}

static int
path_cmp(const void *a, const void *b)
{
	uint32_t x = path_peer_rank(*(const struct bgp_path *const *)a);
	uint32_t y = path_peer_rank(*(const struct bgp_path *const *)b);
	uint8_t kx = (*(const struct bgp_path *const *)a)->kind;
	uint8_t ky = (*(const struct bgp_path *const *)b)->kind;

	if (x != y)
		return x < y ? -1 : 1;
	return (kx > ky) - (kx < ky);
}

/* A prefix's paths: local ones first, then by neighbor address (caller frees). */
static const struct bgp_path **
sorted_paths(const struct bgp *b, const struct bgp_dest *d, size_t *n)
{
	const struct bgp_path **v = NULL;
	size_t cnt = 0, cap = 0;

	for (const struct bgp_path *p = bgp_dest_paths(b, d); p; p = bgp_path_next(b, p))
		VEC_PUSH(v, cnt, cap, p);
	if (cnt > 1)
		qsort(v, cnt, sizeof(*v), path_cmp);
	*n = cnt;
	return v;
}

static bool
path_internal(const struct bgp *b, const struct bgp_path *p)
{
	return p->nbr != BGP_PEER_LOCAL && !bgp_path_peer(b, p)->ebgp;
}

static uint32_t
path_nexthop(const struct bgp_path *p)
{
	return p->nbr != BGP_PEER_LOCAL && (p->attr->has & BGP_HAS_NEXT_HOP) ? p->attr->nexthop : 0;
}

void
aspath_text(const struct bgp_attr *a, struct strbuf *sb)
{
	bgp_aspath_str(a->aspath, a->aspath_len, sb);
}

/* "*>i", "*= ", "s> ": FRR's route_vty_short_status_out, of a path's BGP_PATH_* flags. */
void
status_chars(uint8_t flags, bool suppressed, bool internal, char out[4])
{
	out[0] = flags & BGP_PATH_STALE ? 'S'
	         : suppressed           ? 's'
	         : (flags & BGP_PATH_VALID) && !(flags & BGP_PATH_HISTORY) ? '*'
	                                                                    : ' ';
	out[1] = flags & BGP_PATH_HISTORY     ? 'h'
	         : flags & BGP_PATH_DAMPED    ? 'd'
	         : flags & BGP_PATH_BEST      ? '>'
	         : flags & BGP_PATH_MULTIPATH ? '='
	                                      : ' ';
	out[2] = internal ? 'i' : ' ';
	out[3] = '\0';
}

void
status_str(const struct bgp *b, const struct bgp_dest *d, const struct bgp_path *p, char out[4])
{
	status_chars(p->flags, d->suppressed, path_internal(b, p), out);
}

/* --- show bgp summary ------------------------------------------------------------------------- */

static const char *
peer_state_text(const struct bgp_peer *p)
{
	return p->admin_down    ? "Idle (Admin)"
	       : p->pfx_overflow ? "Idle (PfxCt)" /* maximum-prefix reached */
	                         : bgp_state_name(p->state);
}

/* One address family of `show bgp summary`: its table and the counts per neighbor. */
struct sum_fam {
	uint8_t fam;                /* BGP_FAM_* */
	const char *text, *json;    /* "IPv4 Unicast", "ipv4Unicast" */
	uint32_t version;
	size_t nrib, dest_size;
};

static uint64_t
sum_pfx_in(const struct sum_fam *f, const struct bgp_peer *p)
{
	return f->fam == BGP_FAM_VPNV4 ? p->vpn_pfx_in : p->st.pfx_in;
}

static uint64_t
sum_pfx_out(const struct sum_fam *f, const struct bgp_peer *p)
{
	return f->fam == BGP_FAM_VPNV4 ? bgp_vpn_out_count(p) : p->st.pfx_out;
}

static size_t
sum_peers(const struct bgp *b, const struct sum_fam *f)
{
	size_t n = 0;

	for (size_t i = 0; i < b->npeers; i++)
		n += (b->peers[i].cfg->families & f->fam) != 0;
	return n;
}

static void
summary_json(struct cli_ctx *c, const struct bgp *b, const struct sum_fam *f)
{
	struct json *j = &c->j;
	sim_time now = now_of(b);
	size_t failed = 0, npeers = sum_peers(b, f);
	char t[32];

	json_key(j, f->json);
	json_obj_begin(j);
	json_kv_str(j, "routerId", ip_str(b->router_id));
	json_kv_int(j, "as", b->cfg.as);
	json_kv_int(j, "vrfId", b->vrf);
	json_kv_str(j, "vrfName", node_vrf_name(b->node, b->vrf));
	json_kv_int(j, "tableVersion", f->version);
	json_kv_int(j, "ribCount", (int64_t)f->nrib);
	json_kv_int(j, "ribMemory", (int64_t)(f->nrib * f->dest_size));
	json_kv_int(j, "peerCount", (int64_t)npeers);
	json_kv_int(j, "peerMemory", (int64_t)(npeers * sizeof(struct bgp_peer)));
	json_key(j, "peers");
	json_obj_begin(j);
	for (size_t i = 0; i < b->npeers; i++) {
		const struct bgp_peer *p = &b->peers[i];

		if (!(p->cfg->families & f->fam))
			continue;
		failed += !established(p);
		json_key(j, ip_str(p->cfg->ip));
		json_obj_begin(j);
		json_kv_int(j, "remoteAs", p->cfg->remote_as);
		json_kv_int(j, "localAs", b->cfg.as);
		json_kv_int(j, "version", BGP_VERSION);
		json_kv_int(j, "msgRcvd", (int64_t)msgs_in(p));
		json_kv_int(j, "msgSent", (int64_t)msgs_out(p));
		json_kv_int(j, "tableVersion", p->tbl_version);
		json_kv_int(j, "outq", 0);
		json_kv_int(j, "inq", 0);
		json_kv_str(j, "peerUptime", frr_uptime(p, now, t, sizeof(t)));
		if (p->st.established == 0) {
			json_kv_int(j, "peerUptimeMsec", 0);
		} else {
			json_kv_int(j, "peerUptimeMsec", (now - p->up_since) / SIM_MS);
			json_kv_int(j, "peerUptimeEstablishedEpoch", p->up_since / SIM_S);
		}
		json_kv_int(j, "pfxRcd", (int64_t)sum_pfx_in(f, p));
		json_kv_int(j, "pfxSnt", (int64_t)(established(p) ? sum_pfx_out(f, p) : 0));
		json_kv_str(j, "state", peer_state_text(p));
		json_kv_str(j, "peerState",
		            p->admin_down      ? "Admin"
		            : p->pfx_overflow  ? "PfxCt"
		            : p->cfg->passive  ? "Passive"
		                              : "OK");
		json_kv_int(j, "connectionsEstablished", (int64_t)p->st.established);
		json_kv_int(j, "connectionsDropped", (int64_t)p->st.dropped);
		if (p->cfg->description)
			json_kv_str(j, "desc", p->cfg->description);
		json_kv_str(j, "idType", "ipv4");
		json_obj_end(j);
	}
	json_obj_end(j);
	json_kv_int(j, "failedPeers", (int64_t)failed);
	json_kv_int(j, "displayedPeers", (int64_t)npeers);
	json_kv_int(j, "totalPeers", (int64_t)npeers);
	json_kv_int(j, "dynamicPeers", 0);
	json_key(j, "bestPath");
	json_obj_begin(j);
	json_kv_str(j, "multiPathRelax", "false");
	json_obj_end(j);
	json_obj_end(j);
}

static void
summary_text(struct cli_ctx *c, const struct bgp *b, const struct sum_fam *f)
{
	size_t npeers = sum_peers(b, f);
	char t[32], m[32];

	cli_printf(c, "\n%s Summary (VRF %s):\n", f->text, node_vrf_name(b->node, b->vrf));
	cli_printf(c, "BGP router identifier %s, local AS number %u vrf-id %u\n",
	           ip_str(b->router_id), b->cfg.as, b->vrf);
	cli_printf(c, "BGP table version %u\n", f->version);
	cli_printf(c, "RIB entries %zu, using %s of memory\n", f->nrib,
	           memstr(f->nrib * f->dest_size, m, sizeof(m)));
	cli_printf(c, "Peers %zu, using %s of memory\n", npeers,
	           memstr(npeers * sizeof(struct bgp_peer), m, sizeof(m)));
	cli_printf(c, "\nNeighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  "
	              "Up/Down State/PfxRcd   PfxSnt Desc\n");
	for (size_t i = 0; i < b->npeers; i++) {
		const struct bgp_peer *p = &b->peers[i];

		if (!(p->cfg->families & f->fam))
			continue;
		cli_printf(c, "%-16s4 %10u %9llu %9llu %8u %4d %4d %8s", ip_str(p->cfg->ip),
		           p->cfg->remote_as, (unsigned long long)msgs_in(p),
		           (unsigned long long)msgs_out(p), p->tbl_version, 0, 0,
		           frr_uptime(p, now_of(b), t, sizeof(t)));
		if (established(p)) {
			bool deny_in = false, deny_out = false;
			char rcd[24], snt[24];

			/* FRR: "(Policy)" where ebgp_requires_policy finds no route map (IPv4 unicast). */
			if (f->fam == BGP_FAM_IPV4) {
				bgp_filter_map(p, false, &deny_in);
				bgp_filter_map(p, true, &deny_out);
			}
			snprintf(rcd, sizeof(rcd), "%llu", (unsigned long long)sum_pfx_in(f, p));
			snprintf(snt, sizeof(snt), "%llu", (unsigned long long)sum_pfx_out(f, p));
			cli_printf(c, " %12s %8s", deny_in && !p->map_in ? "(Policy)" : rcd,
			           deny_out && !p->map_out ? "(Policy)" : snt);
		} else
			cli_printf(c, " %12s %8u", peer_state_text(p), 0);
		/* FRR cuts the description to 20 characters in this column. */
		cli_printf(c, " %.20s\n", p->cfg->description ? p->cfg->description : "N/A");
	}
	cli_printf(c, "\nTotal number of neighbors %zu\n", npeers);
}

/*
 * `show bgp summary`: a section per address family that has neighbors, as
 * FRR prints them (which: BGP_FAM_* bits); `show bgp ipv4 unicast summary`
 * and `show bgp ipv4 vpn summary` one family's.
 */
int
bgp_show_summary(struct cli_ctx *c, struct bgp *b, uint8_t which)
{
	struct sum_fam fams[2];
	size_t nf = 0, shown = 0;

	if (b == NULL)
		return no_bgp(c);
	if (which & BGP_FAM_IPV4)
		fams[nf++] = (struct sum_fam){BGP_FAM_IPV4, "IPv4 Unicast", "ipv4Unicast", b->version,
		                              dests_with_paths(b), sizeof(struct bgp_dest)};
	if ((which & BGP_FAM_VPNV4) && b->vpn != NULL)
		fams[nf++] = (struct sum_fam){BGP_FAM_VPNV4, "IPv4 VPN", "ipv4Vpn", b->vpn->version,
		                              b->vpn->dests.n, sizeof(struct bgp_vpn_dest)};
	for (size_t i = 0; i < nf; i++) {
		if (sum_peers(b, &fams[i]) == 0)
			continue;
		if (c->json && shown == 0)
			json_obj_begin(&c->j);
		if (c->json)
			summary_json(c, b, &fams[i]);
		else
			summary_text(c, b, &fams[i]);
		shown++;
	}
	if (shown == 0) /* FRR: no address family has a neighbor */
		return nothing(c, b->vrf ? "% No BGP neighbors found in this VRF" :
		                           "% No BGP neighbors found in VRF default");
	if (c->json)
		json_obj_end(&c->j);
	return 0;
}

static int
cmd_summary(struct cli_ctx *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return cli_fail(c, "usage: show bgp summary");
	return bgp_show_summary(c, bgp_running(c), BGP_FAM_IPV4 | BGP_FAM_VPNV4);
}

static int
cmd_unicast_summary(struct cli_ctx *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return cli_fail(c, "usage: show bgp ipv4 unicast summary");
	return bgp_show_summary(c, bgp_running(c), BGP_FAM_IPV4);
}

static int
cmd_vpn_summary(struct cli_ctx *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return cli_fail(c, "usage: show bgp ipv4 vpn summary");
	return bgp_show_summary(c, bgp_running(c), BGP_FAM_VPNV4);
}

/* --- show bgp (the table) --------------------------------------------------------------------- */

void
table_codes(struct cli_ctx *c, const struct bgp *b)
{
	cli_printf(c, "BGP table version is %u, local router ID is %s, vrf id %u\n", b->version,
	           ip_str(b->router_id), b->vrf);
	cli_printf(c, "Default local pref %u, local AS %u\n", BGP_LOCAL_PREF_DFLT, b->cfg.as);
	cli_printf(
	    c, "Status codes:  s suppressed, d damped, h history, * valid, > best, = multipath,\n"
	       "               i internal, r RIB-failure, S Stale, R Removed\n");
	cli_printf(c, "Nexthop codes: @NNN nexthop's vrf id, < announce-nh-self\n");
	cli_printf(c, "Origin codes:  i - IGP, e - EGP, ? - incomplete\n");
	cli_printf(c, "RPKI validation codes: V valid, I invalid, N Not found\n\n");
}

void
table_header(struct cli_ctx *c, const struct bgp *b)
{
	table_codes(c, b);
	cli_printf(c, "   Network          Next Hop            Metric LocPrf Weight Path\n");
}

/*
 * One row (FRR's route_vty_out): status, the prefix (blank for a prefix's
 * later paths), next hop, MED, LOCAL_PREF, weight, AS path and origin code.
 */
void
table_row(struct cli_ctx *c, const char status[4], const struct prefix *pfx, uint32_t nexthop,
          const struct bgp_attr *a)
{
	struct strbuf sb;
	int len;

	cli_printf(c, "%s", status);
	if (pfx != NULL) {
		len = 17 - (int)strlen(prefix_str(pfx));
		cli_printf(c, "%s", prefix_str(pfx));
		if (len < 1)
			cli_printf(c, "\n%20s", "");
		else
			cli_printf(c, "%*s", len, "");
	} else {
		cli_printf(c, "%17s", "");
	}
	len = 16 - (int)strlen(ip_str(nexthop));
	cli_printf(c, "%s", ip_str(nexthop));
	if (len < 1)
		cli_printf(c, "\n%36s", "");
	else
		cli_printf(c, "%*s", len, "");
	if (a->has & BGP_HAS_MED)
		cli_printf(c, "%10u", a->med);
	else
		cli_printf(c, "%10s", "");
	if (a->has & BGP_HAS_LOCAL_PREF)
		cli_printf(c, "%7u", a->local_pref);
	else
		cli_printf(c, "%7s", "");
	cli_printf(c, "%7u ", a->weight);
	sb_init(&sb);
	aspath_text(a, &sb);
	cli_printf(c, "%s%s%c\n", sb_str(&sb), sb.len ? " " : "", bgp_origin_code(a->origin));
	sb_free(&sb);
}

/*
 * One path in `show bgp json` (FRR's route_vty_out with json_paths), its
 * object left open for the caller's keys.
 */
void
path_json_open(struct json *j, const struct show_path *v)
{
	const struct bgp_attr *a = v->attr;
	struct strbuf sb;

	json_obj_begin(j);
	if (v->flags & BGP_PATH_STALE)
		json_kv_bool(j, "stale", true);
	if (v->suppressed)
		json_kv_bool(j, "suppressed", true);
	if (v->flags & BGP_PATH_VALID)
		json_kv_bool(j, "valid", true);
	if (v->flags & BGP_PATH_BEST) {
		json_kv_bool(j, "bestpath", true);
		json_kv_str(j, "selectionReason", bgp_reason_str(v->why));
	}
	if (v->flags & BGP_PATH_MULTIPATH)
		json_kv_bool(j, "multipath", true);
	json_kv_str(j, "pathFrom", v->internal ? "internal" : "external");
	json_kv_str(j, "prefix", ip_str(v->pfx->addr));
	json_kv_int(j, "prefixLen", v->pfx->len);
	json_kv_str(j, "network", prefix_str(v->pfx));
	json_kv_int(j, "version", v->version);
	if (a->has & BGP_HAS_MED)
		json_kv_int(j, "metric", a->med);
	if (a->has & BGP_HAS_LOCAL_PREF)
		json_kv_int(j, "locPrf", a->local_pref);
	json_kv_int(j, "weight", a->weight);
	json_kv_str(j, "peerId", v->peer != 0 ? ip_str(v->peer) : "(unspec)");
	sb_init(&sb);
	aspath_text(a, &sb);
	json_kv_str(j, "path", sb_str(&sb));
	sb_free(&sb);
	json_kv_str(j, "origin", bgp_origin_name(a->origin));
	json_key(j, "nexthops");
	json_arr_begin(j);
	json_obj_begin(j);
	json_kv_str(j, "ip", ip_str(v->nexthop));
	json_kv_str(j, "afi", "ipv4");
	json_kv_bool(j, "used", true);
	json_obj_end(j);
	json_arr_end(j);
}

static void
path_json_short(struct json *j, const struct bgp *b, const struct bgp_dest *d, const struct bgp_path *p)
{
	struct show_path v = {.flags = p->flags, .why = d->why, .internal = path_internal(b, p),
	                      .suppressed = d->suppressed, .pfx = &d->pfx, .version = d->version,
	                      .attr = p->attr, .nexthop = path_nexthop(p),
	                      .peer = p->nbr != BGP_PEER_LOCAL ? bgp_path_peer(b, p)->cfg->ip : 0};

	path_json_open(j, &v);
	json_obj_end(j);
}

/* The table, or (peer set) only the paths learned from peer. */
static void
show_table(struct cli_ctx *c, const struct bgp *b, const struct bgp_peer *peer)
{
	size_t n, total, shown = 0, shown_paths = 0;
	struct bgp_dest **v = sorted_dests(b, &n, &total);
	struct json *j = &c->j;

	if (c->json) {
		json_obj_begin(j);
		json_kv_int(j, "vrfId", b->vrf);
		json_kv_str(j, "vrfName", node_vrf_name(b->node, b->vrf));
		json_kv_int(j, "tableVersion", b->version);
		json_kv_str(j, "routerId", ip_str(b->router_id));
		json_kv_int(j, "defaultLocPrf", BGP_LOCAL_PREF_DFLT);
		json_kv_int(j, "localAS", b->cfg.as);
		json_key(j, "routes");
		json_obj_begin(j);
	}
	for (size_t i = 0; i < n; i++) {
		size_t np, k = 0;
		const struct bgp_path **pv = sorted_paths(b, v[i], &np);

		for (size_t q = 0; q < np; q++) {
			const struct bgp_path *p = pv[q];
			char st[4];

			if (peer != NULL && bgp_path_peer(b, p) != peer)
				continue;
			if (c->json) {
				if (k == 0) {
					json_key(j, prefix_str(&v[i]->pfx));
					json_arr_begin(j);
				}
				path_json_short(j, b, v[i], p);
			} else {
				if (shown == 0 && k == 0)
					table_header(c, b);
				status_str(b, v[i], p, st);
				table_row(c, st, k == 0 ? &v[i]->pfx : NULL, path_nexthop(p),
				          p->attr);
			}
			k++;
		}
		if (c->json && k > 0)
			json_arr_end(j);
		shown += k > 0;
		shown_paths += k;
		free(pv);
	}
	free(v);
	if (c->json) {
		json_obj_end(j);
		json_obj_end(j);
	} else if (shown == 0) {
		cli_printf(c, "No BGP prefixes displayed, %zu exist\n", total);
	} else {
		cli_printf(c, "\nDisplayed  %zu routes and %zu total paths\n", shown,
		           peer ? total : shown_paths);
	}
}

/* --- show bgp PREFIX (path detail) ------------------------------------------------------------ */

static const char *
seg_type_name(uint8_t t)
{
	switch (t) {
	case BGP_AS_SET:
		return "as-set";
	case BGP_AS_SEQUENCE:
		return "as-sequence";
	case BGP_AS_CONFED_SEQUENCE:
		return "as-confed-sequence";
	case BGP_AS_CONFED_SET:
		return "as-confed-set";
	}
	return "unknown";
}

/* FRR's aspath JSON: {"string", "segments": [{"type", "list"}], "length"}. */
static void
aspath_json(struct json *j, const struct bgp_attr *a)
{
	struct strbuf sb;

	sb_init(&sb);
	aspath_text(a, &sb);
	json_obj_begin(j);
	json_kv_str(j, "string", sb.len ? sb_str(&sb) : "Local");
	json_key(j, "segments");
	json_arr_begin(j);
	for (struct bgp_seg s = {.p = a->aspath, .len = a->aspath_len, .asz = 4};
	     bgp_seg_next(&s);) {
		json_obj_begin(j);
		json_kv_str(j, "type", seg_type_name(s.type));
		json_key(j, "list");
		json_arr_begin(j);
		for (unsigned k = 0; k < s.n; k++)
			json_int(j, get32(s.as + 4 * k));
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_kv_int(j, "length", bgp_aspath_hops(a->aspath, a->aspath_len));
	json_obj_end(j);
	sb_free(&sb);
}

/*
 * The community attributes, one item at a time: their text as FRR prints
 * it, and (standard and large) their names in FRR's JSON lists.
 */
typedef void (*comm_item_fn)(const struct bgp_attr *, unsigned i, struct strbuf *);

static void
comm_item(const struct bgp_attr *a, unsigned i, struct strbuf *sb)
{
	bgp_comm_str(a->comm[i], sb);
}

/* FRR's JSON names the well-known communities in camelCase: "noExport". */
static void
comm_json_item(const struct bgp_attr *a, unsigned i, struct strbuf *sb)
{
	uint32_t v = a->comm[i];

	if (v == BGP_COMM_NO_EXPORT)
		sb_add(sb, "noExport");
	else if (v == BGP_COMM_NO_ADVERTISE)
		sb_add(sb, "noAdvertise");
	else if (v == BGP_COMM_NO_EXPORT_SUBCONFED)
		sb_add(sb, "localAs");
	else
		bgp_comm_str(v, sb);
}

static void
lcomm_item(const struct bgp_attr *a, unsigned i, struct strbuf *sb)
{
	const uint8_t *q = a->lcomm + 12 * i;

	sb_printf(sb, "%u:%u:%u", get32(q), get32(q + 4), get32(q + 8));
}

static void
ecomm_item(const struct bgp_attr *a, unsigned i, struct strbuf *sb)
{
	bgp_ecomm_str(a->ecomm + 8 * i, sb);
}

/* The three attributes: FRR's text label, JSON key, item printers (no JSON list: NULL). */
struct comm_kind {
	const char *label, *key;
	comm_item_fn text, json;
};

static const struct comm_kind comm_kinds[] = {
    {"Community", "community", comm_item, comm_json_item},
    {"Extended Community", "extendedCommunity", ecomm_item, NULL},
    {"Large Community", "largeCommunity", lcomm_item, lcomm_item},
};

static unsigned
comm_count(const struct bgp_attr *a, size_t kind)
{
	return kind == 0 ? a->ncomm : kind == 1 ? a->necomm : a->nlcomm;
}

/* The items of one kind, space separated. */
static void
comm_join(const struct bgp_attr *a, size_t kind, struct strbuf *sb)
{
	for (unsigned i = 0; i < comm_count(a, kind); i++) {
		if (i)
			sb_addc(sb, ' ');
		comm_kinds[kind].text(a, i, sb);
	}
}

/*
 * The three attributes, those present: as text lines ("      Community:
 * 65001:100 no-export") when j is NULL, else FRR's {"string", "list"}.
 */
static void
comm_show(struct cli_ctx *c, struct json *j, const struct bgp_attr *a)
{
	struct strbuf sb;

	sb_init(&sb);
	for (size_t k = 0; k < ARRAY_LEN(comm_kinds); k++) {
		if (comm_count(a, k) == 0)
			continue;
		sb_reset(&sb);
		comm_join(a, k, &sb);
		if (j == NULL) {
			cli_printf(c, "      %s: %s\n", comm_kinds[k].label, sb_str(&sb));
			continue;
		}
		json_key(j, comm_kinds[k].key);
		json_obj_begin(j);
		json_kv_str(j, "string", sb_str(&sb));
		if (comm_kinds[k].json != NULL) {
			json_key(j, "list");
			json_arr_begin(j);
			for (unsigned i = 0; i < comm_count(a, k); i++) {
				sb_reset(&sb);
				comm_kinds[k].json(a, i, &sb);
				json_str(j, sb_str(&sb));
			}
			json_arr_end(j);
		}
		json_obj_end(j);
	}
	sb_free(&sb);
}

/* Is dest in the Adj-RIB-Out of peer's update group (FRR's bgp_adj_out_lookup)? */
static bool
advertised_to(const struct bgp_peer *p, const struct bgp_dest *d)
{
	return established(p) && p->grp != NULL &&
	       hmap_get(&p->grp->out, prefix_key(&d->pfx)) != NULL;
}

static const char *
kind_words(const struct bgp *b, const struct bgp_path *p)
{
	if (p->nbr != BGP_PEER_LOCAL)
		return bgp_path_peer(b, p)->ebgp ? "external" : "internal";
	switch (p->kind) {
	case BGP_KIND_AGGREGATE:
		return "aggregated, local";
	case BGP_KIND_REDIST:
		return "sourced";
	default:
		return "sourced, local";
	}
}

static void
path_detail_text(struct cli_ctx *c, const struct bgp *b, const struct bgp_dest *d,
                 const struct bgp_path *p)
{
	const struct bgp_peer *peer = bgp_path_peer(b, p);
	const struct bgp_attr *a = p->attr;
	struct strbuf sb;
	char t[40];

	sb_init(&sb);
	aspath_text(a, &sb);
	cli_printf(c, "  %s", sb.len ? sb_str(&sb) : "Local");
	if (a->has & BGP_HAS_AGGREGATOR)
		cli_printf(c, ", (aggregated by %u %s)", a->aggr_as, ip_str(a->aggr_addr));
	if (peer != NULL && peer->cfg->rr_client)
		cli_printf(c, ", (Received from a RR-client)");
	if (p->flags & BGP_PATH_STALE)
		cli_printf(c, ", (stale)");
	cli_printf(c, "\n    %s", ip_str(path_nexthop(p)));
	if (!(p->flags & BGP_PATH_VALID))
		cli_printf(c, " (inaccessible)");
	if (peer == NULL)
		cli_printf(c, " from 0.0.0.0 (%s)", ip_str(b->router_id));
	else
		cli_printf(
		    c, " from %s (%s)", ip_str(peer->cfg->ip),
		    ip_str(a->has & BGP_HAS_ORIGINATOR ? a->originator_id : peer->remote_id));
	cli_printf(c, "\n      Origin %s", bgp_origin_name(a->origin));
	if (a->has & BGP_HAS_MED)
		cli_printf(c, ", metric %u", a->med);
	if (a->has & BGP_HAS_LOCAL_PREF)
		cli_printf(c, ", localpref %u", a->local_pref);
	if (a->weight != 0)
		cli_printf(c, ", weight %u", a->weight);
	cli_printf(c, ", %s, %s", p->flags & BGP_PATH_VALID ? "valid" : "invalid", kind_words(b, p));
	if (a->has & BGP_HAS_ATOMIC_AGGR)
		cli_printf(c, ", atomic-aggregate");
	if (p->flags & BGP_PATH_MULTIPATH)
		cli_printf(c, ", multipath");
	if (p->flags & BGP_PATH_BEST)
		cli_printf(c, ", best (%s)", bgp_reason_str(d->why));
	cli_printf(c, "\n");
	comm_show(c, NULL, a);
	if (a->has & BGP_HAS_ORIGINATOR) {
		cli_printf(c, "      Originator: %s", ip_str(a->originator_id));
		if (a->ncluster) {
			cli_printf(c, ", Cluster list: ");
			for (unsigned i = 0; i < a->ncluster; i++)
				cli_printf(c, "%s ", ip_str(a->cluster[i]));
		}
		cli_printf(c, "\n");
	}
	if (a->has & BGP_HAS_OTC)
		cli_printf(c, "      OTC: %u\n", a->otc);
	cli_printf(c, "      Last update: %s\n", sim_date(bgp_path_since(p), t, sizeof(t)));
	sb_free(&sb);
}

static void
path_detail_json(struct json *j, const struct bgp *b, const struct bgp_dest *d,
                 const struct bgp_path *p)
{
	const struct bgp_peer *peer = bgp_path_peer(b, p);
	const struct bgp_attr *a = p->attr;
	struct strbuf sb;
	char t[40];

	sb_init(&sb);
	json_obj_begin(j);
	json_key(j, "aspath");
	aspath_json(j, a);
	if (a->has & BGP_HAS_AGGREGATOR) {
		json_kv_int(j, "aggregatorAs", a->aggr_as);
		json_kv_str(j, "aggregatorId", ip_str(a->aggr_addr));
	}
	if (peer != NULL && peer->cfg->rr_client)
		json_kv_bool(j, "rrClient", true);
	if (p->flags & BGP_PATH_STALE)
		json_kv_bool(j, "stale", true);
	json_kv_str(j, "origin", bgp_origin_name(a->origin));
	if (a->has & BGP_HAS_MED)
		json_kv_int(j, "metric", a->med);
	if (a->has & BGP_HAS_LOCAL_PREF)
		json_kv_int(j, "locPrf", a->local_pref);
	if (a->weight != 0)
		json_kv_int(j, "weight", a->weight);
	json_kv_bool(j, "valid", (p->flags & BGP_PATH_VALID) != 0);
	json_kv_int(j, "version", d->version);
	if (peer == NULL) {
		if (p->kind == BGP_KIND_AGGREGATE)
			json_kv_bool(j, "aggregated", true);
		else
			json_kv_bool(j, "sourced", true);
		if (p->kind != BGP_KIND_REDIST)
			json_kv_bool(j, "local", true);
	}
	if (a->has & BGP_HAS_ATOMIC_AGGR)
		json_kv_bool(j, "atomicAggregate", true);
	if (p->flags & BGP_PATH_MULTIPATH)
		json_kv_bool(j, "multipath", true);
	if (p->flags & BGP_PATH_BEST) {
		json_key(j, "bestpath");
		json_obj_begin(j);
		json_kv_bool(j, "overall", true);
		json_kv_str(j, "selectionReason", bgp_reason_str(d->why));
		json_obj_end(j);
	}
	comm_show(NULL, j, a);
	if (a->has & BGP_HAS_ORIGINATOR)
		json_kv_str(j, "originatorId", ip_str(a->originator_id));
	if (a->has & BGP_HAS_OTC)
		json_kv_int(j, "otc", a->otc);
	if (a->ncluster) {
		json_key(j, "clusterList");
		json_obj_begin(j);
		json_key(j, "list");
		json_arr_begin(j);
		for (unsigned i = 0; i < a->ncluster; i++)
			json_str(j, ip_str(a->cluster[i]));
		json_arr_end(j);
		json_obj_end(j);
	}
	json_key(j, "lastUpdate");
	json_obj_begin(j);
	json_kv_int(j, "epoch", bgp_path_since(p) / SIM_S);
	sb_reset(&sb);
	sb_printf(&sb, "%s\n", sim_date(bgp_path_since(p), t, sizeof(t))); /* ctime()'s newline, as FRR */
	json_kv_str(j, "string", sb_str(&sb));
	json_obj_end(j);
	json_key(j, "nexthops");
	json_arr_begin(j);
	json_obj_begin(j);
	json_kv_str(j, "ip", ip_str(path_nexthop(p)));
	json_kv_str(j, "afi", "ipv4");
	json_kv_int(j, "metric", 0);
	json_kv_bool(j, "accessible", (p->flags & BGP_PATH_VALID) != 0);
	json_kv_bool(j, "used", true);
	json_obj_end(j);
	json_arr_end(j);
	json_key(j, "peer");
	json_obj_begin(j);
	json_kv_str(j, "peerId", peer ? ip_str(peer->cfg->ip) : "0.0.0.0");
	json_kv_str(j, "routerId", ip_str(peer ? peer->remote_id : b->router_id));
	if (peer)
		json_kv_str(j, "type", peer->ebgp ? "external" : "internal");
	json_obj_end(j);
	json_obj_end(j);
	sb_free(&sb);
}

/* The most specific prefix holding addr (FRR: an address without a length). */
static struct bgp_dest *
lookup_longest(const struct bgp *b, uint32_t addr)
{
	for (int len = 32; len >= 0; len--) {
		struct prefix p = {addr & ip_mask((unsigned)len), (uint8_t)len};
		struct bgp_dest *d = bgp_dest_get((struct bgp *)b, &p, false);

		if (d != NULL && d->first != 0)
			return d;
	}
	return NULL;
}

static int
show_prefix(struct cli_ctx *c, const struct bgp *b, const char *arg)
{
	struct bgp_dest *d = NULL;
	const struct bgp_path **pv;
	struct prefix pfx;
	size_t np, best = 0, nadv = 0;
	uint32_t a;

	if (strchr(arg, '/') != NULL) {
		uint8_t len;

		if (!ip_plen_parse(arg, &a, &len) || len > 32)
			return cli_fail(c, "bad prefix '%s' (A.B.C.D/LEN)", arg);
		pfx.addr = a & ip_mask(len);
		pfx.len = len;
		d = bgp_dest_get((struct bgp *)b, &pfx, false);
	} else {
		if (!ip_parse(arg, &a))
			return cli_fail(c, "bad address or prefix '%s' (A.B.C.D or A.B.C.D/LEN)",
			                arg);
		d = lookup_longest(b, a);
	}
	if (d == NULL || d->first == 0)
		return cli_fail(c, "Network not in table");
	pv = sorted_paths(b, d, &np);
	for (size_t i = 0; i < np; i++)
		if (pv[i]->flags & BGP_PATH_BEST)
			best = i + 1;
	if (c->json) {
		struct json *j = &c->j;

		json_obj_begin(j);
		json_kv_str(j, "prefix", prefix_str(&d->pfx));
		json_kv_int(j, "version", d->version);
		for (size_t i = 0; i < b->npeers; i++) {
			if (!advertised_to(&b->peers[i], d))
				continue;
			if (nadv++ == 0) {
				json_key(j, "advertisedTo");
				json_obj_begin(j);
			}
			json_key(j, ip_str(b->peers[i].cfg->ip));
			json_obj_begin(j);
			json_obj_end(j);
		}
		if (nadv)
			json_obj_end(j);
		json_key(j, "paths");
		json_arr_begin(j);
		for (size_t i = 0; i < np; i++)
			path_detail_json(j, b, d, pv[i]);
		json_arr_end(j);
		json_obj_end(j);
		free(pv);
		return 0;
	}
	cli_printf(c, "BGP routing table entry for %s, version %u\n", prefix_str(&d->pfx),
	           d->version);
	cli_printf(c, "Paths: (%zu available", np);
	if (best)
		cli_printf(c, ", best #%zu, table default", best);
	else
		cli_printf(c, ", no best path");
	if (best && pv[best - 1]->attr->ncomm) {
		const struct bgp_attr *at = pv[best - 1]->attr;
		bool nx = false, na = false, sub = false;

		for (unsigned i = 0; i < at->ncomm; i++) {
			nx |= at->comm[i] == BGP_COMM_NO_EXPORT;
			na |= at->comm[i] == BGP_COMM_NO_ADVERTISE;
			sub |= at->comm[i] == BGP_COMM_NO_EXPORT_SUBCONFED;
		}
		if (nx)
			cli_printf(c, ", not advertised to EBGP peer");
		else if (na)
			cli_printf(c, ", not advertised to any peer");
		else if (sub)
			cli_printf(c, ", not advertised outside local AS");
	}
	if (d->suppressed)
		cli_printf(c, ", Advertisements suppressed by an aggregate.");
	cli_printf(c, ")\n");
	for (size_t i = 0; i < b->npeers; i++)
		if (advertised_to(&b->peers[i], d))
			cli_printf(c, "%s %s",
			           nadv++ == 0 ? "  Advertised to non peer-group peers:\n " : "",
			           ip_str(b->peers[i].cfg->ip));
	cli_printf(c, "%s\n", nadv ? "" : "  Not advertised to any peer");
	for (size_t i = 0; i < np; i++)
		path_detail_text(c, b, d, pv[i]);
	free(pv);
	return 0;
}

static int
cmd_bgp(struct cli_ctx *c, int argc, char **argv)
{
	struct bgp *b = bgp_running(c);

	if (argc > 1)
		return cli_fail(c, "usage: show bgp [A.B.C.D[/LEN]]");
	if (b == NULL)
		return no_bgp(c);
	if (argc == 1)
		return show_prefix(c, b, argv[0]);
	show_table(c, b, NULL);
	return 0;
}

/* --- show bgp neighbors ----------------------------------------------------------------------- */

static const char *
cap_word(bool negotiated, bool json)
{
	if (json)
		return negotiated ? "advertisedAndReceived" : "advertised";
	return negotiated ? "advertised and received" : "advertised";
}

/* Did the peer's OPEN offer AFI 1 / safi (IPv4 unicast: also an OPEN without multiprotocol capabilities)? */
static bool
peer_offers(const struct bgp_peer *p, uint8_t safi)
{
	const struct bgp_open *o = &p->est->open;

	if (o->nafi == 0)
		return false;
	for (unsigned i = 0; i < o->nafi && i < ARRAY_LEN(o->afi); i++)
		if (o->afi[i].afi == BGP_AFI_IPV4 && o->afi[i].safi == safi)
			return true;
	return false;
}

/* The families of `show bgp neighbors`: FRR's names in text and JSON. */
static const struct {
	uint8_t fam, safi;
	const char *text, *json;
} families[] = {
    {BGP_FAM_IPV4, BGP_SAFI_UNICAST, "IPv4 Unicast", "ipv4Unicast"},
    {BGP_FAM_VPNV4, BGP_SAFI_MPLS_VPN, "IPv4 VPN", "ipv4Vpn"},
};

/* What the capability exchange of family i says: NULL if neither side offered it. */
static const char *
family_word(const struct bgp_peer *p, size_t i, bool json)
{
	bool adv = (p->cfg->families & families[i].fam) != 0, rcv = peer_offers(p, families[i].safi);

	if (!adv && !rcv)
		return NULL;
	if (adv && rcv)
		return json ? "advertisedAndReceived" : "advertised and received";
	return adv ? "advertised" : "received";
}

struct nbr_view {
	const struct bgp_peer *p;
	sim_time now;
	uint16_t hold, keepalive; /* negotiated, else configured */
	uint32_t laddr, raddr;
	uint16_t lport, rport;
	bool connected;
};

static void
nbr_view(const struct bgp *b, const struct bgp_peer *p, struct nbr_view *v)
{
	const struct bgp_conn *cn = p->est;

	memset(v, 0, sizeof(*v));
	v->p = p;
	v->now = now_of(b);
	v->hold = cfg_hold(p);
	v->keepalive = cfg_keepalive(p);
	if (cn != NULL) {
		v->hold = cn->hold;
		v->keepalive = cn->keepalive;
	}
	if (cn == NULL) /* a connection on its way up */
		cn = p->conn[0].pcb ? &p->conn[0] : p->conn[1].pcb ? &p->conn[1] : NULL;
	if (cn != NULL && cn->pcb != NULL) {
		tcp_endpoints(cn->pcb, &v->laddr, &v->lport, &v->raddr, &v->rport);
		v->connected = true;
	}
}

/* The message counters as FRR's statistics table has them: {sent, received} per row. */
#define BGP_STAT_ROWS 6

static void
stat_pairs(const struct bgp_peer *p, uint64_t v[2 * BGP_STAT_ROWS])
{
	const struct bgp_peer_stats *s = &p->st;

	v[0] = s->open_out, v[1] = s->open_in;
	v[2] = s->notif_out, v[3] = s->notif_in;
	v[4] = s->upd_out, v[5] = s->upd_in;
	v[6] = s->ka_out, v[7] = s->ka_in;
	v[8] = s->rr_out, v[9] = s->rr_in;
	v[10] = 0, v[11] = 0; /* dynamic capability messages: never */
}

static void
nbr_text(struct cli_ctx *c, const struct bgp *b, const struct bgp_peer *p)
{
	static const char *const rows[] = {"Opens",      "Notifications", "Updates",
	                                   "Keepalives", "Route Refresh", "Capability"};
	struct nbr_view v;
	uint64_t st[2 * BGP_STAT_ROWS];
	char t[32], e[96];

	nbr_view(b, p, &v);
	cli_printf(c, "BGP neighbor is %s, remote AS %u, local AS %u, %s link\n",
	           ip_str(p->cfg->ip), p->cfg->remote_as, b->cfg.as,
	           p->ebgp ? "external" : "internal");
	if (p->cfg->description)
		cli_printf(c, " Description: %s\n", p->cfg->description);
	if (p->admin_down)
		cli_printf(c, " Administratively shut down\n");
	cli_printf(c, "  BGP version 4, remote router ID %s, local router ID %s\n",
	           ip_str(established(p) ? p->remote_id : 0), ip_str(b->router_id));
	cli_printf(c, "  BGP state = %s", bgp_state_name(p->state));
	if (established(p))
		cli_printf(c, ", up for %8s", frr_uptime(p, v.now, t, sizeof(t)));
	else if (p->state == BGP_ACTIVE && p->cfg->passive)
		cli_printf(c, " (passive)");
	cli_printf(c, "\n  Hold time is %u seconds, keepalive interval is %u seconds\n", v.hold,
	           v.keepalive);
	cli_printf(c, "  Configured hold time is %u seconds, keepalive interval is %u seconds\n",
	           cfg_hold(p), cfg_keepalive(p));
	if (established(p)) {
		cli_printf(c, "  Neighbor capabilities:\n");
		cli_printf(c, "    4 Byte AS: %s\n", cap_word(p->as4, false));
		cli_printf(c, "    Route refresh: %s\n",
		           p->rr_cap ? "advertised and received(new)" : "advertised");
		for (size_t i = 0; i < ARRAY_LEN(families); i++)
			if (family_word(p, i, false) != NULL)
				cli_printf(c, "    Address Family %s: %s\n", families[i].text,
				           family_word(p, i, false));
		bgp_show_gr_cap(c, p);
	}
	bgp_show_gr(c, p);
	cli_printf(c, "  Message statistics:\n    Inq depth is 0\n    Outq depth is 0\n");
	cli_printf(c, "                         Sent       Rcvd\n");
	stat_pairs(p, st);
	for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
		char lbl[24];

		snprintf(lbl, sizeof(lbl), "%s:", rows[i]);
		cli_printf(c, "    %-15s%10llu %10llu\n", lbl, (unsigned long long)st[2 * i],
		           (unsigned long long)st[2 * i + 1]);
	}
	cli_printf(c, "    %-15s%10llu %10llu\n", "Total:", (unsigned long long)msgs_out(p),
	           (unsigned long long)msgs_in(p));
	cli_printf(c, "  Minimum time between advertisement runs is %lld seconds\n",
	           (long long)((p->grp ? p->grp->key.mrai : 0) / SIM_S));
	if (p->cfg->update_source)
		cli_printf(c, "  Update source is %s\n", p->cfg->update_source);
	else if (p->cfg->update_source_ip)
		cli_printf(c, "  Update source is %s\n", ip_str(p->cfg->update_source_ip));
	cli_printf(c, "\n For address family: IPv4 Unicast\n");
	if (p->cfg->rr_client)
		cli_printf(c, "  Route-Reflector Client\n");
	if (p->cfg->next_hop_self)
		cli_printf(c, "  NEXT_HOP is always this router\n");
	if (p->adjin != NULL)
		cli_printf(c, "  Inbound soft reconfiguration allowed\n");
	if (p->cfg->send_community && p->cfg->send_ext_community)
		cli_printf(c, "  Community attribute sent to this neighbor(all)\n");
	else if (p->cfg->send_community) /* standard and large: FRR names the large */
		cli_printf(c, "  Community attribute sent to this neighbor(large)\n");
	else if (p->cfg->send_ext_community)
		cli_printf(c, "  Community attribute sent to this neighbor(extended)\n");
	/* FRR's "path policy configured": any inbound (outbound) filter or map bound */
	if (p->map_in != NULL)
		cli_printf(c, "  Inbound path policy configured\n");
	if (p->map_out != NULL)
		cli_printf(c, "  Outbound path policy configured\n");
	/* FRR marks a bound map that exists with '*'. */
	if (p->map_in != NULL)
		cli_printf(c, "  Route map for incoming advertisements is %s%s\n",
		           policy_find(p->bgp->node, p->map_in) ? "*" : "", p->map_in);
	if (p->map_out != NULL)
		cli_printf(c, "  Route map for outgoing advertisements is %s%s\n",
		           policy_find(p->bgp->node, p->map_out) ? "*" : "", p->map_out);
	cli_printf(c, "  %llu accepted prefixes\n", (unsigned long long)p->st.pfx_in);
	bgp_show_maxpfx(c, p);
	if (p->cfg->families & BGP_FAM_VPNV4) {
		cli_printf(c, "\n For address family: IPv4 VPN\n");
		if (p->cfg->rr_client)
			cli_printf(c, "  Route-Reflector Client\n");
		cli_printf(c, "  %llu accepted prefixes\n", (unsigned long long)p->vpn_pfx_in);
	}
	cli_printf(c, "\n");
	cli_printf(c, "  Connections established %llu; dropped %llu\n",
	           (unsigned long long)p->st.established, (unsigned long long)p->st.dropped);
	if (p->last_reset == NULL) {
		cli_printf(c, "  Last reset never\n");
	} else {
		cli_printf(c, "  Last reset %s, ",
		           frr_age(v.now - bgp_peer_reset_time(p), t, sizeof(t)));
		if (reset_by_notification(p))
			cli_printf(c, " Notification %s (%s)\n",
			           p->last_err_sent ? "sent" : "received",
			           err_str(&p->last_err, e, sizeof(e)));
		else
			cli_printf(c, " %s\n", p->last_reset);
	}
	bgp_show_maxpfx_overflow(c, p);
	if (p->ebgp)
		cli_printf(c, "  External BGP neighbor may be up to %u hops away.\n",
		           p->cfg->ebgp_multihop ? p->cfg->ebgp_multihop : 1);
	else
		cli_printf(c, "  Internal BGP neighbor may be up to 255 hops away.\n");
	if (v.connected) {
		cli_printf(c, "Local host: %s, Local port: %u\n", ip_str(v.laddr), v.lport);
		cli_printf(c, "Foreign host: %s, Foreign port: %u\n", ip_str(v.raddr), v.rport);
	}
	cli_printf(c, "BGP Connect Retry Timer in Seconds: %u\n",
	           p->cfg->connect_retry ? p->cfg->connect_retry : BGP_CONNECT_RETRY_DFLT);
	if (timer_pending(&p->connect_retry_t))
		cli_printf(c, "Next connect timer due in %lld seconds\n",
		           (long long)(timer_remaining(&p->connect_retry_t) / SIM_S));
	cli_printf(c, "\n");
}

static void
nbr_json(struct json *j, const struct bgp *b, const struct bgp_peer *p)
{
	static const char *const keys[] = {
	    "opensSent",        "opensRecv",        "notificationsSent", "notificationsRecv",
	    "updatesSent",      "updatesRecv",      "keepalivesSent",    "keepalivesRecv",
	    "routeRefreshSent", "routeRefreshRecv", "capabilitySent",    "capabilityRecv"};
	struct nbr_view v;
	uint64_t st[2 * BGP_STAT_ROWS];
	char t[32], e[96];

	nbr_view(b, p, &v);
	json_key(j, ip_str(p->cfg->ip));
	json_obj_begin(j);
	json_kv_int(j, "remoteAs", p->cfg->remote_as);
	json_kv_int(j, "localAs", b->cfg.as);
	json_kv_bool(j, p->ebgp ? "nbrExternalLink" : "nbrInternalLink", true);
	if (p->cfg->description)
		json_kv_str(j, "nbrDesc", p->cfg->description);
	if (p->admin_down)
		json_kv_bool(j, "adminShutDown", true);
	json_kv_int(j, "bgpVersion", BGP_VERSION);
	json_kv_str(j, "remoteRouterId", ip_str(established(p) ? p->remote_id : 0));
	json_kv_str(j, "localRouterId", ip_str(b->router_id));
	json_kv_str(j, "bgpState", bgp_state_name(p->state));
	if (established(p)) {
		json_kv_int(j, "bgpTimerUpMsec", (v.now - p->up_since) / SIM_MS);
		json_kv_str(j, "bgpTimerUpString", frr_uptime(p, v.now, t, sizeof(t)));
		json_kv_int(j, "bgpTimerUpEstablishedEpoch", p->up_since / SIM_S);
	} else if (p->state == BGP_ACTIVE && p->cfg->passive) {
		json_kv_str(j, "bgpStateIs", "passive");
	}
	json_kv_int(j, "bgpTimerConfiguredHoldTimeMsecs", cfg_hold(p) * 1000);
	json_kv_int(j, "bgpTimerConfiguredKeepAliveIntervalMsecs", cfg_keepalive(p) * 1000);
	json_kv_int(j, "bgpTimerHoldTimeMsecs", v.hold * 1000);
	json_kv_int(j, "bgpTimerKeepAliveIntervalMsecs", v.keepalive * 1000);
	if (established(p)) {
		json_key(j, "neighborCapabilities");
		json_obj_begin(j);
		json_kv_str(j, "4byteAs", cap_word(p->as4, true));
		json_kv_str(j, "routeRefresh",
		            p->rr_cap ? "advertisedAndReceivedNew" : "advertised");
		json_key(j, "multiprotocolExtensions");
		json_obj_begin(j);
		for (size_t i = 0; i < ARRAY_LEN(families); i++) {
			if (family_word(p, i, true) == NULL)
				continue;
			json_key(j, families[i].json);
			json_obj_begin(j);
			json_kv_bool(j, family_word(p, i, true), true);
			json_obj_end(j);
		}
		json_obj_end(j);
		bgp_show_gr_cap_json(j, p);
		json_obj_end(j);
	}
	bgp_show_gr_json(j, p);
	json_key(j, "messageStats");
	json_obj_begin(j);
	json_kv_int(j, "depthInq", 0);
	json_kv_int(j, "depthOutq", 0);
	stat_pairs(p, st);
	for (size_t i = 0; i < 2 * BGP_STAT_ROWS; i++)
		json_kv_int(j, keys[i], (int64_t)st[i]);
	json_kv_int(j, "totalSent", (int64_t)msgs_out(p));
	json_kv_int(j, "totalRecv", (int64_t)msgs_in(p));
	json_obj_end(j);
	json_kv_int(j, "minBtwnAdvertisementRunsTimerMsecs", (p->grp ? p->grp->key.mrai : 0) / SIM_MS);
	if (p->cfg->update_source)
		json_kv_str(j, "updateSource", p->cfg->update_source);
	else if (p->cfg->update_source_ip)
		json_kv_str(j, "updateSource", ip_str(p->cfg->update_source_ip));
	json_key(j, "addressFamilyInfo");
	json_obj_begin(j);
	json_key(j, "ipv4Unicast");
	json_obj_begin(j);
	if (p->cfg->rr_client)
		json_kv_bool(j, "routeReflectorClient", true);
	if (p->cfg->next_hop_self)
		json_kv_bool(j, "routerAlwaysNextHop", true);
	if (p->adjin != NULL)
		json_kv_bool(j, "inboundSoftConfigPermit", true);
	if (p->cfg->send_community && p->cfg->send_ext_community)
		json_kv_str(j, "commAttriSentToNbr", "extendedAndStandard");
	else if (p->cfg->send_community)
		json_kv_str(j, "commAttriSentToNbr", "standard");
	else if (p->cfg->send_ext_community)
		json_kv_str(j, "commAttriSentToNbr", "extended");
	if (p->map_in != NULL)
		json_kv_bool(j, "inboundPathPolicyConfig", true);
	if (p->map_out != NULL)
		json_kv_bool(j, "outboundPathPolicyConfig", true);
	if (p->map_in != NULL)
		json_kv_str(j, "routeMapForIncomingAdvertisements", p->map_in);
	if (p->map_out != NULL)
		json_kv_str(j, "routeMapForOutgoingAdvertisements", p->map_out);
	json_kv_int(j, "acceptedPrefixCounter", (int64_t)p->st.pfx_in);
	bgp_show_maxpfx_json(j, p);
	if (established(p))
		json_kv_int(j, "sentPrefixCounter", (int64_t)p->st.pfx_out);
	json_obj_end(j);
	if (p->cfg->families & BGP_FAM_VPNV4) {
		json_key(j, "ipv4Vpn");
		json_obj_begin(j);
		if (p->cfg->rr_client)
			json_kv_bool(j, "routeReflectorClient", true);
		json_kv_int(j, "acceptedPrefixCounter", (int64_t)p->vpn_pfx_in);
		if (established(p))
			json_kv_int(j, "sentPrefixCounter", (int64_t)bgp_vpn_out_count(p));
		json_obj_end(j);
	}
	json_obj_end(j);
	json_kv_int(j, "connectionsEstablished", (int64_t)p->st.established);
	json_kv_int(j, "connectionsDropped", (int64_t)p->st.dropped);
	if (p->last_reset == NULL) {
		json_kv_str(j, "lastReset", "never");
	} else {
		json_kv_int(j, "lastResetTimerMsecs", (v.now - bgp_peer_reset_time(p)) / SIM_MS);
		if (reset_by_notification(p)) {
			snprintf(t, sizeof(t), "%02X%02X", p->last_err.code, p->last_err.subcode);
			json_kv_str(j, "lastErrorCodeSubcode", t);
			json_kv_str(j, "lastNotificationReason",
			            err_str(&p->last_err, e, sizeof(e)));
			json_kv_bool(j, "lastNotificationHardReset", false);
		}
		json_kv_str(j, "lastResetDueTo", p->last_reset);
		json_kv_int(j, "lastResetCode", reset_code(p->last_reset));
	}
	bgp_show_maxpfx_overflow_json(j, p);
	json_kv_int(j, p->ebgp ? "externalBgpNbrMaxHopsAway" : "internalBgpNbrMaxHopsAway",
	            p->ebgp ? (p->cfg->ebgp_multihop ? p->cfg->ebgp_multihop : 1) : 255);
	json_kv_str(j, "hostLocal", v.connected ? ip_str(v.laddr) : "Unknown");
	json_kv_int(j, "portLocal", v.connected ? v.lport : -1);
	json_kv_str(j, "hostForeign", v.connected ? ip_str(v.raddr) : "Unknown");
	json_kv_int(j, "portForeign", v.connected ? v.rport : -1);
	json_kv_int(j, "connectRetryTimer",
	            p->cfg->connect_retry ? p->cfg->connect_retry : BGP_CONNECT_RETRY_DFLT);
	if (timer_pending(&p->connect_retry_t))
		json_kv_int(j, "nextConnectTimerDueInMsecs",
		            timer_remaining(&p->connect_retry_t) / SIM_MS);
	json_obj_end(j);
}

struct adj_row {
	struct prefix pfx;
	const struct bgp_attr *attr;
};

static int
adj_row_cmp(const void *x, const void *y)
{
	const struct adj_row *a = x, *b = y;

	return prefix_cmp(&a->pfx, &b->pfx);
}

/* A table of prefix -> attributes (an Adj-RIB-Out, or what a neighbor sent), sorted by prefix. */
static struct adj_row *
adj_rows(const struct hmap *h, size_t *n)
{
	struct adj_row *v = xmalloc((h->n > 0 ? h->n : 1) * sizeof(*v));
	uint64_t k;
	void *val;

	*n = 0;
	for (size_t i = 0; hmap_next(h, &i, &k, &val);)
		v[(*n)++] = (struct adj_row){{(uint32_t)(k >> 8), (uint8_t)k}, val};
	qsort(v, *n, sizeof(*v), adj_row_cmp);
	return v;
}

/*
 * advertised-routes and received-routes (FRR's show_adj_route): the
 * Adj-RIB-Out of the peer's update group, or what the peer sent, which only
 * soft-reconfiguration inbound keeps (as on FRR; `routes` shows the paths
 * accepted from it). As FRR 8.4 (tests/frr/bgp-policy), a received route the
 * import policy accepted shows the attributes the policy gave it (FRR runs
 * the map again for the display; netsim's table path holds the result), a
 * refused one those it came with, and every row is "*>" (FRR's
 * route_vty_out_tmp); the refused ones are counted as "filtered".
 */
static int
adj_routes(struct cli_ctx *c, const struct bgp *b, const struct bgp_peer *p, bool out)
{
	size_t n = 0, cnt = 0, filtered = 0;
	struct adj_row *v;
	struct json *j = &c->j;
	static const struct hmap none;

	if (!out && p->adjin == NULL) {
		return cli_fail(c, "Inbound soft reconfiguration not enabled");
	}
	v = adj_rows(out ? (established(p) && p->grp != NULL ? &p->grp->out : &none) : p->adjin, &n);

	if (c->json) {
		static const char *const codes[][2] = {
		    {"suppressed", "s"}, {"damped", "d"},    {"history", "h"},  {"valid", "*"},
		    {"best", ">"},       {"multipath", "="}, {"internal", "i"}, {"ribFailure", "r"},
		    {"stale", "S"},      {"removed", "R"}};

		json_obj_begin(j);
		json_kv_int(j, "bgpTableVersion", b->version);
		json_kv_str(j, "bgpLocalRouterId", ip_str(b->router_id));
		json_kv_int(j, "defaultLocPrf", BGP_LOCAL_PREF_DFLT);
		json_kv_int(j, "localAS", b->cfg.as);
		json_key(j, "bgpStatusCodes");
		json_obj_begin(j);
		for (size_t i = 0; i < ARRAY_LEN(codes); i++)
			json_kv_str(j, codes[i][0], codes[i][1]);
		json_obj_end(j);
		json_key(j, "bgpOriginCodes");
		json_obj_begin(j);
		json_kv_str(j, "igp", "i");
		json_kv_str(j, "egp", "e");
		json_kv_str(j, "incomplete", "?");
		json_obj_end(j);
		json_key(j, out ? "advertisedRoutes" : "receivedRoutes");
		json_obj_begin(j);
	}
	for (size_t i = 0; i < n; i++) {
		const struct bgp_dest *d = bgp_dest_get((struct bgp *)b, &v[i].pfx, false);
		const struct bgp_path *path = NULL;
		const struct bgp_attr *a = v[i].attr;
		char st[4] = "*> ";
		struct strbuf sb;

		if (!out) {
			for (path = d != NULL ? bgp_dest_paths(b, d) : NULL; path && bgp_path_peer(b, path) != p;
			     path = bgp_path_next(b, path))
				;
			if (path != NULL)
				a = path->attr;
			else
				filtered++; /* denied by the checks or the import policy */
		}
		if (cnt++ == 0 && !c->json)
			table_header(c, b);
		if (!c->json) {
			table_row(c, st, &v[i].pfx, a->has & BGP_HAS_NEXT_HOP ? a->nexthop : 0, a);
			continue;
		}
		json_key(j, prefix_str(&v[i].pfx));
		json_obj_begin(j);
		json_kv_str(j, "addrPrefix", ip_str(v[i].pfx.addr));
		json_kv_int(j, "prefixLen", v[i].pfx.len);
		json_kv_str(j, "network", prefix_str(&v[i].pfx));
		json_kv_str(j, "nextHop", ip_str(a->has & BGP_HAS_NEXT_HOP ? a->nexthop : 0));
		if (a->has & BGP_HAS_MED)
			json_kv_int(j, "metric", a->med);
		if (a->has & BGP_HAS_LOCAL_PREF)
			json_kv_int(j, "locPrf", a->local_pref);
		json_kv_int(j, "weight", a->weight);
		sb_init(&sb);
		aspath_text(a, &sb);
		json_kv_str(j, "path", sb_str(&sb));
		sb_free(&sb);
		json_kv_str(j, "bgpOriginCode", (char[2]){bgp_origin_code(a->origin), '\0'});
		json_key(j, "appliedStatusSymbols");
		json_obj_begin(j);
		for (int k = 0; k < 3; k++)
			if (st[k] != ' ') {
				char sym[2] = {st[k], '\0'};

				json_kv_bool(j, sym, true);
			}
		json_obj_end(j);
		json_obj_end(j);
	}
	free(v);
	if (c->json) {
		json_obj_end(j);
		json_kv_int(j, "totalPrefixCounter", (int64_t)cnt);
		json_kv_int(j, "filteredPrefixCounter", (int64_t)filtered);
		json_obj_end(j);
	} else if (cnt > 0 && filtered > 0) {
		cli_printf(c, "\nTotal number of prefixes %zu (%zu filtered)\n", cnt, filtered);
	} else if (cnt > 0) {
		cli_printf(c, "\nTotal number of prefixes %zu\n", cnt);
	}
	return 0;
}

static int
cmd_neighbors(struct cli_ctx *c, int argc, char **argv)
{
	return bgp_show_neighbors(c, bgp_running(c), argc, argv);
}

int
bgp_show_neighbors(struct cli_ctx *c, struct bgp *b, int argc, char **argv)
{
	static const char *const what[] = {"advertised-routes", "received-routes", "routes"};
	const struct bgp_peer *p = NULL;
	uint32_t ip;
	int k = -1;

	if (argc > 2)
		return cli_fail(c,
		                "usage: show bgp neighbors [IP [advertised-routes|received-routes|"
		                "routes]]");
	if (argc >= 1 && !ip_parse(argv[0], &ip))
		return cli_fail(c, "bad neighbor address '%s'", argv[0]);
	if (argc == 2 && (k = cli_keyword(c, "neighbor table", argv[1], what, 3)) < 0)
		return 1;
	if (b == NULL)
		return no_bgp(c);
	if (argc >= 1 && (p = bgp_peer_find(b, ip)) == NULL)
		return cli_fail(c, "No such neighbor in this view/vrf");
	if (k == 2) {
		show_table(c, b, p);
		return 0;
	}
	if (k >= 0)
		return adj_routes(c, b, p, k == 0);
	if (c->json)
		json_obj_begin(&c->j);
	for (size_t i = 0; i < b->npeers; i++) {
		if (p != NULL && &b->peers[i] != p)
			continue;
		if (c->json)
			nbr_json(&c->j, b, &b->peers[i]);
		else
			nbr_text(c, b, &b->peers[i]);
	}
	if (c->json)
		json_obj_end(&c->j);
	return 0;
}

const struct cli_cmd bgp_cmds[] = {
    {"show bgp summary", "", "BGP sessions: state, messages, prefixes (FRR's layout)", cmd_summary,
     CLI_ROUTER | CLI_JSON},
    {"show ip bgp summary", "", "BGP sessions (the same as show bgp summary)", cmd_summary,
     CLI_ROUTER | CLI_JSON},
    {"show bgp", "[A.B.C.D[/LEN]]", "the BGP table; a prefix or address: its paths in detail",
     cmd_bgp, CLI_ROUTER | CLI_JSON},
    {"show ip bgp", "[A.B.C.D[/LEN]]", "the BGP table (the same as show bgp)", cmd_bgp,
     CLI_ROUTER | CLI_JSON},
    {"show bgp neighbors", "[IP [advertised-routes|received-routes|routes]]",
     "BGP neighbors in detail; a neighbor's Adj-RIB-Out, Adj-RIB-In or paths", cmd_neighbors,
     CLI_ROUTER | CLI_JSON},
    {"show ip bgp neighbors", "[IP [advertised-routes|received-routes|routes]]",
     "BGP neighbors (the same as show bgp neighbors)", cmd_neighbors, CLI_ROUTER | CLI_JSON},
    /* FRR's explicit address family: the only one netsim has. */
    {"show bgp ipv4 unicast summary", "", "IPv4 unicast sessions: state, messages, prefixes",
     cmd_unicast_summary, CLI_ROUTER | CLI_JSON},
    {"show bgp ipv4 unicast", "[A.B.C.D[/LEN]]", "the BGP table (the same as show bgp)", cmd_bgp,
     CLI_ROUTER | CLI_JSON},
    {"show bgp ipv4 unicast neighbors", "[IP [advertised-routes|received-routes|routes]]",
     "BGP neighbors (the same as show bgp neighbors)", cmd_neighbors, CLI_ROUTER | CLI_JSON},
    /* BGP/MPLS IP VPNs (vpn_show.c). */
    {"show bgp ipv4 vpn summary", "", "VPN-IPv4 sessions: state, messages, prefixes",
     cmd_vpn_summary, CLI_ROUTER | CLI_JSON},
    {"show bgp ipv4 vpn", "[all | rd RD]", "the VPN-IPv4 table (RFC 4364), by route distinguisher",
     bgp_cmd_show_vpn, CLI_ROUTER | CLI_JSON},
    {"show bgp vpnv4 unicast", "[all | rd RD]", "the VPN-IPv4 table (the same as show bgp ipv4 vpn)",
     bgp_cmd_show_vpn, CLI_ROUTER | CLI_JSON},
    {"show ip bgp vpnv4", "all | rd RD", "the VPN-IPv4 table (the same as show bgp ipv4 vpn)",
     bgp_cmd_show_vpn, CLI_ROUTER | CLI_JSON},
    {"show bgp vrf", "NAME [ipv4 unicast | summary | neighbors [IP]]",
     "a VRF's BGP routes (what it exports to VPN-IPv4 and imports), its PE-CE sessions",
     bgp_cmd_show_vrf,
     CLI_ROUTER | CLI_JSON},
    {"bgp vpn-originate", "VRF", "export a VRF's connected and static routes to VPN-IPv4 now",
     bgp_cmd_vpn_originate, CLI_ROUTER},
    {"no bgp vpn-originate", "VRF", "withdraw a VRF's routes from VPN-IPv4",
     bgp_cmd_no_vpn_originate, CLI_ROUTER},
    {"clear bgp", "IP|* [soft] [in|out]",
     "reset BGP sessions (Cease/Administrative Reset), or soft: refresh routes", bgp_cmd_clear,
     CLI_ROUTER},
    {"clear ip bgp", "IP|* [soft] [in|out]", "reset BGP sessions (the same as clear bgp)",
     bgp_cmd_clear, CLI_ROUTER},
    {"neighbor", "IP shutdown|route-map NAME in|out",
     "shut a BGP session down (Cease/Administrative Shutdown), or bind a route map",
     bgp_cmd_shutdown, CLI_ROUTER},
    {"no neighbor", "IP shutdown|route-map NAME in|out",
     "bring a shut-down BGP session back, or unbind a route map", bgp_cmd_no_shutdown,
     CLI_ROUTER},
    {"show bgp feed", "", "a route feeder's streams: prefixes sent and withdrawn per neighbor",
     bgp_cmd_show_feed, CLI_ROUTER | CLI_JSON},
    {"bgp feed", "withdraw|announce [IP]", "a route feeder: withdraw or announce its whole table",
     bgp_cmd_feed, CLI_ROUTER},
    {"restart bgp", "", "restart the BGP process (graceful restart keeps its routes)",
     bgp_cmd_restart, CLI_ROUTER},
    {"show bgp dampening", "parameters|dampened-paths|flap-statistics",
     "route flap damping (RFC 2439): its settings, the damped paths, every flapping path",
     bgp_cmd_show_dampening, CLI_ROUTER | CLI_JSON},
    {"show ip bgp dampening", "parameters|dampened-paths|flap-statistics",
     "route flap damping (the same as show bgp dampening)", bgp_cmd_show_dampening,
     CLI_ROUTER | CLI_JSON},
    {NULL},
};

/* BGP's section of `show ip protocols`. */
void
bgp_show_protocols(struct proto_inst *pi, struct cli_ctx *c)
{
	const struct bgp *b = bgp_of(pi);
	size_t up = 0;

	for (size_t i = 0; i < b->npeers; i++)
		up += b->peers[i].state == BGP_ESTABLISHED;
	if (c->json) {
		struct json *j = &c->j;

		json_key(j, pi->proto->name);
		json_obj_begin(j);
		json_kv_str(j, "routingProtocol", "bgp");
		json_kv_int(j, "as", b->cfg.as);
		json_kv_str(j, "routerId", ip_str(b->router_id));
		json_key(j, "neighbors");
		json_arr_begin(j);
		for (size_t i = 0; i < b->npeers; i++) {
			json_obj_begin(j);
			json_kv_str(j, "ip", ip_str(b->peers[i].cfg->ip));
			json_kv_int(j, "remoteAs", b->peers[i].cfg->remote_as);
			json_kv_str(j, "state", bgp_state_name(b->peers[i].state));
			json_obj_end(j);
		}
		json_arr_end(j);
		json_key(j, "networks");
		json_arr_begin(j);
		for (size_t i = 0; i < b->cfg.nnetworks; i++)
			json_str(j, prefix_str(&b->cfg.networks[i]));
		json_arr_end(j);
		json_key(j, "redistribute");
		redist_json(&b->cfg.redist, j);
		json_kv_int(j, "distanceExternal", BGP_DISTANCE_EBGP);
		json_kv_int(j, "distanceInternal", BGP_DISTANCE_IBGP);
		json_obj_end(j);
		return;
	}
	cli_printf(c, "Routing Protocol is \"bgp %u\"\n", b->cfg.as);
	cli_printf(c, "  Router ID %s\n", ip_str(b->router_id));
	cli_printf(c, "  Neighbors: %zu, %zu established\n", b->npeers, up);
	for (size_t i = 0; i < b->npeers; i++)
		cli_printf(c, "    %-15s AS %-10u %s\n", ip_str(b->peers[i].cfg->ip),
		    b->peers[i].cfg->remote_as, bgp_state_name(b->peers[i].state));
	for (size_t i = 0; i < b->cfg.nnetworks; i++)
		cli_printf(c, "%s%s", i == 0 ? "  Networks: " : ", ", prefix_str(&b->cfg.networks[i]));
	if (b->cfg.nnetworks > 0)
		cli_printf(c, "\n");
	cli_printf(c, "  Distance: external %d, internal %d\n", BGP_DISTANCE_EBGP, BGP_DISTANCE_IBGP);
}
