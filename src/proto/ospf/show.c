/*
 * show.c: OSPF commands. The text follows Cisco IOS layouts (columns as IOS
 * prints them); `show ip ospf route` follows FRR, which has it and IOS does
 * not. The JSON forms use FRR's key names (ospfd/ospf_vty.c), so that tools
 * written against FRR read netsim too.
 *
 *   show ip ospf                      process, areas, SPF and LSA counters
 *   show ip ospf neighbor [detail]    (alias: show ospf neighbors)
 *   show ip ospf interface [IFACE]
 *   show ip ospf database [router|network|summary|asbr-summary|external [LSID]]
 *   show ip ospf route
 * and OSPF's section of the core's `show ip protocols` (ospf_show_protocols).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/cli.h"
#include "../../lib/util.h"
#include "ospf.h"

static struct ospf *
running_ospf(struct cli_ctx *c)
{
	struct proto_inst *pi = c->node ? proto_get(c->node, &proto_ospf) : NULL;

	if (pi == NULL || pi->priv == NULL || !pi->running)
		return NULL;
	return pi->priv;
}

/* Commands on a router without OSPF: Cisco prints nothing; JSON gives {}. */
static bool
no_ospf(struct cli_ctx *c)
{
	if (c->json) {
		json_obj_begin(&c->j);
		json_obj_end(&c->j);
	} else {
		cli_printf(c, "%% OSPF is not running on %s\n", c->node ? c->node->name : "?");
	}
	return true;
}

static sim_time
now_of(const struct ospf *o)
{
	return node_now(o->node);
}

static const char *
cisco_nbr_state(const struct ospf_nbr *nb, char *buf, size_t len)
{
	static const char *const st[] = {"DOWN",    "ATTEMPT",  "INIT",    "2WAY",
	                                 "EXSTART", "EXCHANGE", "LOADING", "FULL"};
	_Static_assert(ARRAY_LEN(st) == NSM_NSTATES, "a name per neighbor state");
	const struct ospf_if *oi = nb->oi;
	const char *role = "DROTHER";

	if (OSPF_IFT_NO_DR(oi->type))
		role = "  -";
	else if (nb->addr == oi->dr)
		role = "DR";
	else if (nb->addr == oi->bdr)
		role = "BDR";
	snprintf(buf, len, "%s/%s", st[nb->state], role);
	return buf;
}

static const char *
msecs_str(sim_time t, char *buf, size_t len)
{
	snprintf(buf, len, "%lld.%03llds", (long long)(t / SIM_S), (long long)(t % SIM_S / SIM_MS));
	return buf;
}

/* FRR's "1m02s" style uptime. */
static const char *
frr_uptime(sim_time t, char *buf, size_t len)
{
	long long s = t / SIM_S;

	if (s < 60)
		snprintf(buf, len, "%llds", s);
	else if (s < 3600)
		snprintf(buf, len, "%lldm%02llds", s / 60, s % 60);
	else
		snprintf(buf, len, "%lldh%02lldm%02llds", s / 3600, s / 60 % 60, s % 60);
	return buf;
}

static bool
shown(const struct ospf_nbr *nb)
{
	return nb->state != NSM_DOWN || nb->nbma_cfg;
}

/* --- show ip ospf neighbor ------------------------------------------------------------------- */

static int
nbr_rid_cmp(const void *a, const void *b)
{
	const struct ospf_nbr *x = *(struct ospf_nbr *const *)a;
	const struct ospf_nbr *y = *(struct ospf_nbr *const *)b;

	if (x->rid != y->rid)
		return x->rid < y->rid ? -1 : 1;
	return (int)x->oi->ifp->idx - (int)y->oi->ifp->idx;
}

static struct ospf_nbr **
all_nbrs(const struct ospf *o, size_t *n)
{
	struct ospf_nbr **v = NULL;
	size_t k = 0, cap = 0;

	for (size_t i = 0; i < o->nifs; i++)
		for (size_t j = 0; j < o->ifs[i]->nnbrs; j++)
			if (shown(o->ifs[i]->nbrs[j]))
				VEC_PUSH(v, k, cap, o->ifs[i]->nbrs[j]);
	*n = k;
	return v;
}

/* Interface order, then neighbor address (FRR keeps neighbors in address order). */
static int
nbr_if_cmp(const void *a, const void *b)
{
	const struct ospf_nbr *x = *(struct ospf_nbr *const *)a;
	const struct ospf_nbr *y = *(struct ospf_nbr *const *)b;

	if (x->oi->ifp->idx != y->oi->ifp->idx)
		return (int)x->oi->ifp->idx - (int)y->oi->ifp->idx;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void
nbr_json(struct cli_ctx *c, const struct ospf *o)
{
	struct json *j = &c->j;
	size_t n;
	struct ospf_nbr **v = all_nbrs(o, &n);
	char buf[64];

	if (n > 1)
		qsort(v, n, sizeof(*v), nbr_rid_cmp);
	json_obj_begin(j);
	json_key(j, "neighbors");
	json_obj_begin(j);
	for (size_t i = 0; i < n; i++) {
		const struct ospf_nbr *nb = v[i];
		sim_time dead = timer_remaining(&nb->inactivity);
		const char *st = ospf_nbr_state_str(nb, buf, sizeof(buf));

		if (i == 0 || v[i - 1]->rid != nb->rid) {
			if (i > 0)
				json_arr_end(j);
			json_key(j, ip_str(nb->rid));
			json_arr_begin(j);
		}
		json_obj_begin(j);
		json_kv_int(j, "nbrPriority", nb->prio);
		json_kv_str(j, "nbrState", st);
		json_kv_str(j, "converged", ospf_nsm_state_names[nb->state]);
		json_kv_str(j, "role", strchr(st, '/') + 1);
		json_kv_int(j, "upTimeInMsec", (now_of(o) - nb->since) / SIM_MS);
		json_kv_int(j, "routerDeadIntervalTimerDueMsec", dead < 0 ? 0 : dead / SIM_MS);
		json_kv_str(j, "upTime", frr_uptime(now_of(o) - nb->since, buf, sizeof(buf)));
		json_kv_str(j, "deadTime", msecs_str(dead < 0 ? 0 : dead, buf, sizeof(buf)));
		json_kv_str(j, "ifaceAddress", ip_str(nb->addr));
		snprintf(buf, sizeof(buf), "%s:%s", nb->oi->ifp->name, ip_str(nb->oi->ifp->addr));
		json_kv_str(j, "ifaceName", buf);
		json_kv_int(j, "linkStateRetransmissionListCounter", nb->rxmt.n);
		json_kv_int(j, "linkStateRequestListCounter", nb->req.n);
		json_kv_int(j, "databaseSummaryListCounter", (int64_t)(nb->nsum - nb->sumpos));
		json_obj_end(j);
	}
	if (n > 0)
		json_arr_end(j);
	json_obj_end(j);
	json_obj_end(j);
	free(v);
}

static void
nbr_detail(struct cli_ctx *c, const struct ospf *o, const struct ospf_nbr *nb)
{
	const struct ospf_if *oi = nb->oi;
	sim_time dead = timer_remaining(&nb->inactivity);
	char buf[64];

	cli_printf(c, " Neighbor %s, interface address %s\n", ip_str(nb->rid), ip_str(nb->addr));
	cli_printf(c, "    In the area %s via interface %s\n", ospf_area_str(oi->area->id),
	           oi->ifp->name);
	cli_printf(c, "    Neighbor priority is %u, State is %s, %u state changes\n", nb->prio,
	           cisco_nbr_state(nb, buf, sizeof(buf)), nb->changes);
	cli_printf(c, "    DR is %s BDR is %s\n", ip_str(nb->dr), ip_str(nb->bdr));
	cli_printf(c, "    Options is 0x%02X\n", nb->options);
	if (dead >= 0)
		cli_printf(c, "    Dead timer due in %s\n", cli_age(dead));
	cli_printf(c, "    Neighbor is up for %s\n", cli_age(now_of(o) - nb->since));
	cli_printf(c,
	           "    Index %u/%u, retransmission queue length %u, number of retransmission "
	           "%llu\n",
	           (unsigned)oi->ifp->idx + 1, (unsigned)oi->ifp->idx + 1, nb->rxmt.n,
	           (unsigned long long)0);
	cli_printf(c, "    Link State request list %u, database summary list %zu\n", nb->req.n,
	           nb->nsum - nb->sumpos);
}

static int
cmd_nbr(struct cli_ctx *c, int argc, char **argv)
{
	struct ospf *o = running_ospf(c);
	bool detail = argc == 1 && str_prefix("detail", argv[0]);
	char buf[64];
	struct ospf_nbr **v;
	size_t n;

	if (argc > 1 || (argc == 1 && !detail))
		return cli_fail(c, "usage: show ip ospf neighbor [detail]");
	if (o == NULL)
		return no_ospf(c) ? 0 : 1;
	if (c->json) {
		nbr_json(c, o);
		return 0;
	}
	if (!detail)
		cli_printf(c, "\nNeighbor ID     Pri   State           Dead Time   Address         "
		              "Interface\n");
	v = all_nbrs(o, &n);
	if (n > 1)
		qsort(v, n, sizeof(*v), nbr_if_cmp);
	for (size_t i = 0; i < n; i++) {
		const struct ospf_nbr *nb = v[i];
		sim_time dead = timer_remaining(&nb->inactivity);

		if (detail) {
			nbr_detail(c, o, nb);
			continue;
		}
		cli_printf(c, "%-15s %3u   %-15s %-11s %-15s %s\n",
		           nb->rid ? ip_str(nb->rid) : "N/A", nb->prio,
		           cisco_nbr_state(nb, buf, sizeof(buf)), dead >= 0 ? cli_age(dead) : "-",
		           ip_str(nb->addr), nb->oi->ifp->name);
	}
	free(v);
	return 0;
}

/* --- show ip ospf interface ------------------------------------------------------------------- */

static const char *
cisco_if_state(enum ospf_ism_state s)
{
	static const char *const st[] = {"DOWN",    "LOOPBACK", "WAITING", "POINT_TO_POINT",
	                                 "DROTHER", "BDR",      "DR"};

	_Static_assert(ARRAY_LEN(st) == ISM_NSTATES, "a name per interface state");
	return st[s];
}

static const char *
cisco_if_type(enum ospf_if_type t)
{
	static const char *const ty[] = {"BROADCAST", "POINT_TO_POINT", "NON_BROADCAST",
	                                 "LOOPBACK",  "POINT_TO_MULTIPOINT",
	                                 "POINT_TO_MULTIPOINT_NONBROADCAST"};

	_Static_assert(ARRAY_LEN(ty) == OSPF_IFT_COUNT, "a name per network type");
	return ty[t];
}

static uint32_t
rid_of_addr(const struct ospf_if *oi, uint32_t addr)
{
	const struct ospf_nbr *nb;

	if (addr == oi->ifp->addr)
		return oi->o->rid;
	nb = ospf_if_nbr_by_addr(oi, addr);
	return nb ? nb->rid : 0;
}

static size_t
adjacent_count(const struct ospf_if *oi)
{
	return ospf_if_full_count(oi);
}

static void
iface_text(struct cli_ctx *c, const struct ospf *o, const struct ospf_if *oi)
{
	const struct iface *ifp = oi->ifp;
	bool up = iface_is_up(ifp);
	size_t nn = 0;

	cli_printf(c, "%s is %s, line protocol is %s\n", ifp->name,
	           ifp->admin_up ? (up ? "up" : "down") : "administratively down",
	           up ? "up" : "down");
	cli_printf(c, "  Internet Address %s/%u, Area %s\n", ip_str(ifp->addr), ifp->plen,
	           ospf_area_str(oi->area->id));
	cli_printf(c, "  Process ID 1, Router ID %s, Network Type %s, Cost: %u\n", ip_str(o->rid),
	           cisco_if_type(oi->type), oi->cost);
	if (oi->type == OSPF_IFT_LOOPBACK) {
		cli_printf(c, "  Loopback interface is treated as a stub Host\n");
		return;
	}
	cli_printf(c, "  Transmit Delay is %u sec, State %s, Priority %u\n", oi->transdelay,
	           OSPF_IFT_IS_P2MP(oi->type) && oi->state == ISM_P2P ? "POINT_TO_MULTIPOINT"
	                                                                : cisco_if_state(oi->state),
	           oi->prio);
	if (!OSPF_IFT_NO_DR(oi->type)) {
		if (oi->dr)
			cli_printf(c, "  Designated Router (ID) %s, Interface address %s\n",
			           ip_str(rid_of_addr(oi, oi->dr)), ip_str(oi->dr));
		else
			cli_printf(c, "  No designated router on this network\n");
		if (oi->bdr)
			cli_printf(c, "  Backup Designated router (ID) %s, Interface address %s\n",
			           ip_str(rid_of_addr(oi, oi->bdr)), ip_str(oi->bdr));
		else
			cli_printf(c, "  No backup designated router on this network\n");
	}
	if (oi->hello_mult) /* FRR's wording for fast Hellos */
		cli_printf(c, "  Timer intervals configured, Hello %ums, Dead %u, Wait %u, "
		              "Retransmit %u\n",
		           1000u / oi->hello_mult, oi->dead, oi->dead, oi->rxmt);
	else
		cli_printf(c, "  Timer intervals configured, Hello %u, Dead %u, Wait %u, "
		              "Retransmit %u\n",
		           oi->hello, oi->dead, oi->dead, oi->rxmt);
	if (oi->type == OSPF_IFT_NBMA)
		cli_printf(c, "    Poll interval %u\n", oi->poll);
	if (oi->passive)
		cli_printf(c, "    No Hellos (Passive interface)\n");
	else if (timer_pending(&oi->hello_t))
		cli_printf(c, "    Hello due in %s\n", cli_age(timer_remaining(&oi->hello_t)));
	for (size_t i = 0; i < oi->nnbrs; i++)
		nn += oi->nbrs[i]->state >= NSM_INIT;
	cli_printf(c, "  Neighbor Count is %zu, Adjacent neighbor count is %zu\n", nn,
	           adjacent_count(oi));
	for (size_t i = 0; i < oi->nnbrs; i++) {
		const struct ospf_nbr *nb = oi->nbrs[i];

		if (nb->state != NSM_FULL)
			continue;
		cli_printf(c, "    Adjacent with neighbor %s%s\n", ip_str(nb->rid),
		           nb->addr == oi->dr    ? "  (Designated Router)"
		           : nb->addr == oi->bdr ? "  (Backup Designated Router)"
		                                 : "");
	}
	cli_printf(c, "  Suppress hello for 0 neighbor(s)\n");
	if (oi->auth.type == OSPF_AUTH_SIMPLE)
		cli_printf(c, "  Simple password authentication enabled\n");
	else if (oi->auth.type == OSPF_AUTH_CRYPT)
		cli_printf(c, "  Cryptographic authentication enabled (%s)\n    Youngest key id is %u\n",
		           ospf_auth_name(&oi->auth),
		           ospf_auth_send_key(&oi->auth, ospf_now(o))->id);
}

static void
iface_json(struct cli_ctx *c, const struct ospf *o, const struct ospf_if *oi)
{
	struct json *j = &c->j;
	const struct iface *ifp = oi->ifp;
	/* FRR's names, by enum ospf_if_type (its interface kind: a segment is "Broadcast"). */
	static const char *const frr_type[] = {"BROADCAST", "POINTOPOINT",      "NBMA",
	                                       "LOOPBACK",  "POINTOMULTIPOINT", "POINTOMULTIPOINT"};
	static const char *const frr_iftype[] = {"Broadcast", "Peer",      "Broadcast",
	                                         "Loopback",  "Broadcast", "Broadcast"};
	char area[32];

	_Static_assert(ARRAY_LEN(frr_type) == OSPF_IFT_COUNT, "a name per network type");
	_Static_assert(ARRAY_LEN(frr_iftype) == OSPF_IFT_COUNT, "a name per network type");

	json_key(j, ifp->name);
	json_obj_begin(j);
	json_kv_bool(j, "ifUp", iface_is_up(ifp));
	json_kv_int(j, "ifIndex", ifp->idx + 1);
	json_kv_int(j, "mtuBytes", ifp->mtu);
	json_kv_bool(j, "ospfEnabled", true);
	json_kv_str(j, "ipAddress", ip_str(ifp->addr));
	json_kv_int(j, "ipAddressPrefixlen", ifp->plen);
	json_kv_str(j, "ospfIfType", frr_iftype[oi->type]);
	snprintf(area, sizeof(area), "%s%s", ospf_area_str(oi->area->id),
	         oi->area->stub ? " [Stub]" : oi->area->nssa ? " [NSSA]" : "");
	json_kv_str(j, "area", area);
	json_kv_str(j, "routerId", ip_str(o->rid));
	json_kv_str(j, "networkType", frr_type[oi->type]);
	if (OSPF_IFT_IS_P2MP(oi->type))
		json_kv_bool(j, "p2mpNonBroadcast", oi->type == OSPF_IFT_P2MP_NB);
	json_kv_int(j, "cost", oi->cost);
	json_kv_int(j, "transmitDelaySecs", oi->transdelay);
	json_kv_str(j, "state", ospf_ism_state_names[oi->state]);
	json_kv_int(j, "priority", oi->prio);
	if (oi->dr) {
		json_kv_str(j, "drId", ip_str(rid_of_addr(oi, oi->dr)));
		json_kv_str(j, "drAddress", ip_str(oi->dr));
	}
	if (oi->bdr) {
		json_kv_str(j, "bdrId", ip_str(rid_of_addr(oi, oi->bdr)));
		json_kv_str(j, "bdrAddress", ip_str(oi->bdr));
	}
	json_kv_int(j, "timerMsecs",
	            oi->hello_mult ? 1000 / oi->hello_mult : (int64_t)oi->hello * 1000);
	json_kv_int(j, "timerDeadSecs", oi->dead);
	json_kv_int(j, "timerWaitSecs", oi->dead);
	json_kv_int(j, "timerRetransmitSecs", oi->rxmt);
	if (oi->passive)
		json_kv_bool(j, "timerPassiveIface", true);
	else if (timer_pending(&oi->hello_t))
		json_kv_int(j, "timerHelloInMsecs", timer_remaining(&oi->hello_t) / SIM_MS);
	json_kv_int(j, "nbrCount", (int64_t)oi->nnbrs);
	json_kv_int(j, "nbrAdjacentCount", (int64_t)adjacent_count(oi));
	json_kv_str(j, "authentication", ospf_auth_name(&oi->auth));
	if (oi->auth.type == OSPF_AUTH_CRYPT)
		json_kv_int(j, "authenticationKeyId", ospf_auth_send_key(&oi->auth, ospf_now(o))->id);
	json_obj_end(j);
}

static int
cmd_iface(struct cli_ctx *c, int argc, char **argv)
{
	struct ospf *o = running_ospf(c);
	bool found = false;

	if (argc > 1)
		return cli_fail(c, "usage: show ip ospf interface [IFACE]");
	if (o == NULL)
		return no_ospf(c) ? 0 : 1;
	if (c->json) {
		json_obj_begin(&c->j);
		json_key(&c->j, "interfaces");
		json_obj_begin(&c->j);
	}
	for (size_t i = 0; i < o->nifs; i++) {
		if (argc == 1 && strcmp(o->ifs[i]->ifp->name, argv[0]) != 0)
			continue;
		found = true;
		if (c->json)
			iface_json(c, o, o->ifs[i]);
		else
			iface_text(c, o, o->ifs[i]);
	}
	if (c->json) {
		json_obj_end(&c->j);
		json_obj_end(&c->j);
	}
	if (argc == 1 && !found && !c->json)
		return cli_fail(c, "%s does not run OSPF (or does not exist)", argv[0]);
	return 0;
}

/* --- show ip ospf database ------------------------------------------------------------------- */

static const char *const db_titles[] = {
    [OSPF_LSA_ROUTER] = "Router Link States",
    [OSPF_LSA_NETWORK] = "Net Link States",
    [OSPF_LSA_SUMMARY] = "Summary Net Link States",
    [OSPF_LSA_ASBR_SUMMARY] = "Summary ASB Link States",
    [OSPF_LSA_EXTERNAL] = "Type-5 AS External Link States",
    [OSPF_LSA_NSSA] = "Type-7 AS External Link States",
};

static const char *const frr_keys[] = {
    [OSPF_LSA_ROUTER] = "routerLinkStates",       [OSPF_LSA_NETWORK] = "networkLinkStates",
    [OSPF_LSA_SUMMARY] = "summaryLinkStates",     [OSPF_LSA_ASBR_SUMMARY] = "asbrSummaryLinkStates",
    [OSPF_LSA_EXTERNAL] = "asExternalLinkStates",
    [OSPF_LSA_NSSA] = "nssaExternalLinkStates",
};

static const char *const frr_lsa_types[] = {
    [OSPF_LSA_ROUTER] = "router-LSA",        [OSPF_LSA_NETWORK] = "network-LSA",
    [OSPF_LSA_SUMMARY] = "summary-LSA",      [OSPF_LSA_ASBR_SUMMARY] = "ASBR-summary-LSA",
    [OSPF_LSA_EXTERNAL] = "AS-external-LSA",
    [OSPF_LSA_NSSA] = "NSSA-LSA",
};

/* The types shown per area, in Cisco's order (the AS scope, Type-5, comes last). */
static const uint8_t area_types[] = {OSPF_LSA_ROUTER, OSPF_LSA_NETWORK, OSPF_LSA_SUMMARY,
                                     OSPF_LSA_ASBR_SUMMARY, OSPF_LSA_NSSA};

/* Type-5 and Type-7 LSAs have one body (RFC 3101 2.4). */
static bool
is_ext(uint8_t type)
{
	return type == OSPF_LSA_EXTERNAL || type == OSPF_LSA_NSSA;
}

/* A Type-7 LSA's P-bit is its "Type 7/5 translation" (RFC 3101 2.4). */
static const char *
cisco_options(uint8_t type, uint8_t o, char *buf, size_t len)
{
	bool p = type == OSPF_LSA_NSSA ? (o & OSPF_OPT_NP) != 0 : (o & OSPF_OPT_E) != 0;

	snprintf(buf, len, "(No TOS-capability, %s%s)", o & OSPF_OPT_DC ? "DC" : "No DC",
	         type == OSPF_LSA_NSSA && p ? ", Type 7/5 translation"
	         : p                        ? ""
	                                    : ", No Type 7/5 translation");
	return buf;
}

/* FRR's options string, most significant bit first: "*|-|-|-|-|-|E|-". */
static const char *
frr_options(uint8_t o, char *buf, size_t len)
{
	snprintf(buf, len, "%s|%s|%s|%s|%s|%s|%s|%s", o & 0x80 ? "*" : "-",
	         o & OSPF_OPT_O ? "O" : "-", o & OSPF_OPT_DC ? "DC" : "-",
	         o & OSPF_OPT_EA ? "EA" : "-", o & OSPF_OPT_NP ? "N/P" : "-",
	         o & OSPF_OPT_MC ? "MC" : "-", o & OSPF_OPT_E ? "E" : "-",
	         o & OSPF_OPT_MT ? "MT" : "-");
	return buf;
}

static void
header(struct cli_ctx *c, const struct ospf *o)
{
	cli_printf(c, "\n            OSPF Router with ID (%s) (Process ID 1)\n", ip_str(o->rid));
}

static void
section(struct cli_ctx *c, uint8_t type, const struct ospf_area *a)
{
	if (a != NULL)
		cli_printf(c, "\n\t\t%s (Area %s)\n\n", db_titles[type], ospf_area_str(a->id));
	else
		cli_printf(c, "\n\t\t%s\n\n", db_titles[type]);
}

static void
summary_row(struct cli_ctx *c, const struct ospf_ent *e, sim_time now)
{
	struct ospf_lsa_hdr h = ospf_lsdb_hdr(e, now);
	const struct ospf_lsa_body *b = ospf_intern_body(e->lsa);

	cli_printf(c, "%-15s %-15s %-11u 0x%08X 0x%06X", ip_str(h.id), ip_str(h.adv_rtr), h.age,
	           h.seq, h.cksum);
	if (h.type == OSPF_LSA_ROUTER && b)
		cli_printf(c, " %u", b->rtr.nlinks);
	else if (is_ext(h.type) && b)
		cli_printf(c, " %u", b->ext.tag);
	cli_printf(c, "\n");
}

static void
columns(struct cli_ctx *c, uint8_t type)
{
	cli_printf(c, "Link ID         ADV Router      Age         Seq#       Checksum%s\n",
	           type == OSPF_LSA_ROUTER     ? " Link count"
	           : is_ext(type)              ? " Tag"
	                                       : "");
}

/* How Cisco words a router-LSA link of each type (A.4.2; 0, unknown: as a virtual link). */
struct link_words {
	const char *what, *id, *data;
};
static const struct link_words link_words[] = {
    {"a Virtual Link", "Neighboring Router ID", "Router Interface address"},
    [OSPF_LINK_PTP] = {"another Router (point-to-point)", "Neighboring Router ID",
                       "Router Interface address"},
    [OSPF_LINK_TRANSIT] = {"a Transit Network", "Designated Router address",
                           "Router Interface address"},
    [OSPF_LINK_STUB] = {"a Stub Network", "Network/subnet number", "Network Mask"},
};

static void
detail_text(struct cli_ctx *c, const struct ospf_ent *e, sim_time now)
{
	struct ospf_lsa_hdr h = ospf_lsdb_hdr(e, now);
	const struct ospf_lsa_body *b = ospf_intern_body(e->lsa);
	char buf[64];
	int len;

	cli_printf(c, "  LS age: %u%s\n", h.age, h.age >= OSPF_MAX_AGE ? " (MaxAge)" : "");
	cli_printf(c, "  Options: %s\n", cisco_options(h.type, h.options, buf, sizeof(buf)));
	switch (h.type) {
	case OSPF_LSA_ROUTER:
		cli_printf(c, "  LS Type: Router Links\n  Link State ID: %s\n", ip_str(h.id));
		break;
	case OSPF_LSA_NETWORK:
		cli_printf(c,
		           "  LS Type: Network Links\n  Link State ID: %s (address of Designated "
		           "Router)\n",
		           ip_str(h.id));
		break;
	case OSPF_LSA_SUMMARY:
		cli_printf(c,
		           "  LS Type: Summary Links(Network)\n  Link State ID: %s (summary "
		           "Network Number)\n",
		           ip_str(h.id));
		break;
	case OSPF_LSA_ASBR_SUMMARY:
		cli_printf(c,
		           "  LS Type: Summary Links(AS Boundary Router)\n  Link State ID: %s (AS "
		           "Boundary Router address)\n",
		           ip_str(h.id));
		break;
	case OSPF_LSA_EXTERNAL:
	case OSPF_LSA_NSSA:
		cli_printf(c,
		           "  LS Type: AS External Link\n  Link State ID: %s (External Network "
		           "Number )\n",
		           ip_str(h.id));
		break;
	}
	cli_printf(c, "  Advertising Router: %s\n", ip_str(h.adv_rtr));
	cli_printf(c, "  LS Seq Number: %08X\n  Checksum: 0x%X\n  Length: %u\n", h.seq, h.cksum,
	           h.length);
	if (b == NULL)
		return;
	switch (h.type) {
	case OSPF_LSA_ROUTER:
		if (b->rtr.flags & OSPF_RTR_B)
			cli_printf(c, "  Area Border Router\n");
		if (b->rtr.flags & OSPF_RTR_E)
			cli_printf(c, "  AS Boundary Router\n");
		cli_printf(c, "  Number of Links: %u\n\n", b->rtr.nlinks);
		for (uint16_t i = 0; i < b->rtr.nlinks; i++) {
			const struct ospf_rtr_link *l = &b->rtr.links[i];

			const struct link_words *w = &link_words[l->type >= OSPF_LINK_PTP &&
			                                                 l->type <= OSPF_LINK_STUB
			                                             ? l->type
			                                             : 0];

			cli_printf(c,
			           "    Link connected to: %s\n"
			           "     (Link ID) %s: %s\n"
			           "     (Link Data) %s: %s\n",
			           w->what, w->id, ip_str(l->id), w->data, ip_str(l->data));
			cli_printf(c,
			           "      Number of TOS metrics: %u\n       TOS 0 Metrics: %u\n\n",
			           l->ntos, l->metric);
		}
		break;
	case OSPF_LSA_NETWORK:
		len = mask_to_len(b->net.mask);
		cli_printf(c, "  Network Mask: /%d\n", len);
		for (size_t i = 0; i < b->net.nrtrs; i++)
			cli_printf(c, "\tAttached Router: %s\n", ip_str(b->net.rtrs[i]));
		cli_printf(c, "\n");
		break;
	case OSPF_LSA_SUMMARY:
	case OSPF_LSA_ASBR_SUMMARY:
		cli_printf(c, "  Network Mask: /%d\n\tTOS: 0 \tMetric: %u \n\n",
		           mask_to_len(b->sum.mask), b->sum.metric);
		break;
	case OSPF_LSA_EXTERNAL:
	case OSPF_LSA_NSSA:
		cli_printf(c, "  Network Mask: /%d\n", mask_to_len(b->ext.mask));
		cli_printf(c,
		           "\tMetric Type: %s\n\tTOS: 0 \n\tMetric: %u \n"
		           "\tForward Address: %s\n\tExternal Route Tag: %u\n\n",
		           b->ext.ebit ? "2 (Larger than any link state path)"
		                       : "1 (Comparable directly to link state metric)",
		           b->ext.metric, ip_str(b->ext.fwd), b->ext.tag);
		break;
	}
}

static void
detail_json(struct cli_ctx *c, const struct ospf_ent *e, sim_time now)
{
	struct json *j = &c->j;
	struct ospf_lsa_hdr h = ospf_lsdb_hdr(e, now);
	const struct ospf_lsa_body *b = ospf_intern_body(e->lsa);
	char buf[64];

	json_obj_begin(j);
	json_kv_int(j, "lsaAge", h.age);
	json_kv_str(j, "options", frr_options(h.options, buf, sizeof(buf)));
	json_kv_str(j, "lsaType", frr_lsa_types[h.type]);
	json_kv_str(j, "linkStateId", ip_str(h.id));
	json_kv_str(j, "advertisingRouter", ip_str(h.adv_rtr));
	snprintf(buf, sizeof(buf), "%08x", h.seq);
	json_kv_str(j, "lsaSeqNumber", buf);
	snprintf(buf, sizeof(buf), "%04x", h.cksum);
	json_kv_str(j, "checksum", buf);
	json_kv_int(j, "length", h.length);
	if (b != NULL)
		switch (h.type) {
		case OSPF_LSA_ROUTER:
			if (b->rtr.flags & OSPF_RTR_B)
				json_kv_bool(j, "abr", true);
			if (b->rtr.flags & OSPF_RTR_E)
				json_kv_bool(j, "asbr", true);
			json_kv_int(j, "numOfLinks", b->rtr.nlinks);
			json_key(j, "routerLinks");
			json_obj_begin(j);
			for (uint16_t i = 0; i < b->rtr.nlinks; i++) {
				const struct ospf_rtr_link *l = &b->rtr.links[i];

				snprintf(buf, sizeof(buf), "link%u", i);
				json_key(j, buf);
				json_obj_begin(j);
				switch (l->type) {
				case OSPF_LINK_PTP:
					json_kv_str(j, "linkType",
					            "another Router (point-to-point)");
					json_kv_str(j, "neighborRouterId", ip_str(l->id));
					json_kv_str(j, "routerInterfaceAddress", ip_str(l->data));
					break;
				case OSPF_LINK_TRANSIT:
					json_kv_str(j, "linkType", "a Transit Network");
					json_kv_str(j, "designatedRouterAddress", ip_str(l->id));
					json_kv_str(j, "routerInterfaceAddress", ip_str(l->data));
					break;
				case OSPF_LINK_STUB:
					json_kv_str(j, "linkType", "Stub Network");
					json_kv_str(j, "networkAddress", ip_str(l->id));
					json_kv_str(j, "networkMask", ip_str(l->data));
					break;
				default:
					json_kv_str(j, "linkType", "a Virtual Link");
					json_kv_str(j, "neighborRouterId", ip_str(l->id));
					json_kv_str(j, "routerInterfaceAddress", ip_str(l->data));
					break;
				}
				json_kv_int(j, "numOfTosMetrics", l->ntos);
				json_kv_int(j, "tos0Metric", l->metric);
				json_obj_end(j);
			}
			json_obj_end(j);
			break;
		case OSPF_LSA_NETWORK:
			json_kv_int(j, "networkMask", mask_to_len(b->net.mask));
			json_key(j, "attchedRouters");
			json_obj_begin(j);
			for (size_t i = 0; i < b->net.nrtrs; i++) {
				json_key(j, ip_str(b->net.rtrs[i]));
				json_obj_begin(j);
				json_kv_str(j, "attachedRouterId", ip_str(b->net.rtrs[i]));
				json_obj_end(j);
			}
			json_obj_end(j);
			break;
		case OSPF_LSA_SUMMARY:
		case OSPF_LSA_ASBR_SUMMARY:
			json_kv_int(j, "networkMask", mask_to_len(b->sum.mask));
			json_kv_int(j, "tos0RouteCost", b->sum.metric);
			break;
		case OSPF_LSA_EXTERNAL:
		case OSPF_LSA_NSSA:
			json_kv_int(j, "networkMask", mask_to_len(b->ext.mask));
			json_kv_str(j, "metricType", b->ext.ebit ? "E2" : "E1");
			json_kv_int(j, "tos", 0);
			json_kv_int(j, "metric", b->ext.metric);
			json_kv_str(j, "forwardAddress", ip_str(b->ext.fwd));
			json_kv_int(j, "externalRouteTag", b->ext.tag);
			break;
		}
	json_obj_end(j);
}

static void
summary_json(struct cli_ctx *c, const struct ospf_ent *e, sim_time now)
{
	struct json *j = &c->j;
	struct ospf_lsa_hdr h = ospf_lsdb_hdr(e, now);
	const struct ospf_lsa_body *b = ospf_intern_body(e->lsa);
	char buf[PFX_STRLEN + 8];

	json_obj_begin(j);
	json_kv_str(j, "lsId", ip_str(h.id));
	json_kv_str(j, "advertisedRouter", ip_str(h.adv_rtr));
	json_kv_int(j, "lsaAge", h.age);
	snprintf(buf, sizeof(buf), "%08x", h.seq);
	json_kv_str(j, "sequenceNumber", buf);
	snprintf(buf, sizeof(buf), "%04x", h.cksum);
	json_kv_str(j, "checksum", buf);
	if (b != NULL) {
		if (h.type == OSPF_LSA_ROUTER)
			json_kv_int(j, "numOfRouterLinks", b->rtr.nlinks);
		if (h.type == OSPF_LSA_SUMMARY) {
			struct prefix p = {h.id & b->sum.mask, (uint8_t)mask_to_len(b->sum.mask)};

			json_kv_str(j, "summaryAddress", prefix_str(&p));
		}
		if (is_ext(h.type)) {
			struct prefix p = {h.id & b->ext.mask, (uint8_t)mask_to_len(b->ext.mask)};

			json_kv_str(j, "metricType", b->ext.ebit ? "E2" : "E1");
			json_kv_str(j, "route", prefix_str(&p));
			json_kv_int(j, "tag", b->ext.tag);
		}
	}
	json_obj_end(j);
}

struct dbq {
	int type; /* 0: every type */
	bool detail;
	bool has_id;
	uint32_t id;
};

static size_t
matching(const struct dbq *q, struct ospf_ent **v, size_t n, uint8_t type, struct ospf_ent ***out)
{
	struct ospf_ent **r = xmalloc(sizeof(*r) * (n + 1));
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (v[i]->lsa->hdr.type == type && (!q->has_id || v[i]->lsa->hdr.id == q->id))
			r[k++] = v[i];
	*out = r;
	return k;
}

static void
db_text(struct cli_ctx *c, const struct ospf *o, const struct dbq *q)
{
	sim_time now = now_of(o);

	header(c, o);
	for (size_t ai = 0; ai <= o->nareas; ai++) {
		const struct ospf_area *a = ai < o->nareas ? o->areas[ai] : NULL;
		const struct ospf_lsdb *db = a ? &a->db : &o->as_db;
		size_t n;
		struct ospf_ent **v = ospf_lsdb_sorted(db, &n);

		for (size_t ti = 0; ti < (a ? ARRAY_LEN(area_types) : 1); ti++) {
			uint8_t t = a ? area_types[ti] : OSPF_LSA_EXTERNAL;
			struct ospf_ent **m;
			size_t k;

			if (q->type && q->type != t)
				continue;
			k = matching(q, v, n, t, &m);
			if (k > 0 || (!q->detail && q->type == 0 && a && t == OSPF_LSA_ROUTER)) {
				section(c, t, a);
				if (!q->detail)
					columns(c, t);
				for (size_t i = 0; i < k; i++) {
					if (q->detail)
						detail_text(c, m[i], now);
					else
						summary_row(c, m[i], now);
				}
			}
			free(m);
		}
		free(v);
	}
}

static void
db_json(struct cli_ctx *c, const struct ospf *o, const struct dbq *q)
{
	struct json *j = &c->j;
	sim_time now = now_of(o);

	json_obj_begin(j);
	json_kv_str(j, "routerId", ip_str(o->rid));
	if (!q->detail) {
		/* FRR's `show ip ospf database json`: per area, per type, plus the AS scope. */
		json_key(j, "areas");
		json_obj_begin(j);
		for (size_t ai = 0; ai < o->nareas; ai++) {
			size_t n;
			struct ospf_ent **v = ospf_lsdb_sorted(&o->areas[ai]->db, &n);

			json_key(j, ospf_area_str(o->areas[ai]->id));
			json_obj_begin(j);
			for (size_t ti = 0; ti < ARRAY_LEN(area_types); ti++) {
				uint8_t t = area_types[ti];
				struct ospf_ent **m;
				size_t k = matching(q, v, n, t, &m);
				char key[64];

				if (k > 0) {
					json_key(j, frr_keys[t]);
					json_arr_begin(j);
					for (size_t i = 0; i < k; i++)
						summary_json(c, m[i], now);
					json_arr_end(j);
					snprintf(key, sizeof(key), "%sCount", frr_keys[t]);
					json_kv_int(j, key, (int64_t)k);
				}
				free(m);
			}
			json_obj_end(j);
			free(v);
		}
		json_obj_end(j);
		{
			size_t n, k;
			struct ospf_ent **v = ospf_lsdb_sorted(&o->as_db, &n), **m;

			k = matching(q, v, n, OSPF_LSA_EXTERNAL, &m);
			if (k > 0) {
				json_key(j, frr_keys[OSPF_LSA_EXTERNAL]);
				json_arr_begin(j);
				for (size_t i = 0; i < k; i++)
					summary_json(c, m[i], now);
				json_arr_end(j);
				json_kv_int(j, "asExternalLinkStatesCount", (int64_t)k);
			}
			free(m);
			free(v);
		}
		json_obj_end(j);
		return;
	}
	/* `show ip ospf database TYPE json`: {TYPEKey: {areas: {AREA: [...]}}}. */
	json_key(j, frr_keys[q->type]);
	json_obj_begin(j);
	if (q->type == OSPF_LSA_EXTERNAL) {
		size_t n, k;
		struct ospf_ent **v = ospf_lsdb_sorted(&o->as_db, &n), **m;

		k = matching(q, v, n, OSPF_LSA_EXTERNAL, &m);
		json_key(j, "lsas");
		json_arr_begin(j);
		for (size_t i = 0; i < k; i++)
			detail_json(c, m[i], now);
		json_arr_end(j);
		free(m);
		free(v);
	} else {
		json_key(j, "areas");
		json_obj_begin(j);
		for (size_t ai = 0; ai < o->nareas; ai++) {
			size_t n, k;
			struct ospf_ent **v = ospf_lsdb_sorted(&o->areas[ai]->db, &n), **m;

			k = matching(q, v, n, (uint8_t)q->type, &m);
			json_key(j, ospf_area_str(o->areas[ai]->id));
			json_arr_begin(j);
			for (size_t i = 0; i < k; i++)
				detail_json(c, m[i], now);
			json_arr_end(j);
			free(m);
			free(v);
		}
		json_obj_end(j);
	}
	json_obj_end(j);
	json_obj_end(j);
}

static int
cmd_db(struct cli_ctx *c, int argc, char **argv)
{
	static const struct {
		const char *word;
		int type;
	} types[] = {
	    {"router", OSPF_LSA_ROUTER},     {"network", OSPF_LSA_NETWORK},
	    {"summary", OSPF_LSA_SUMMARY},   {"asbr-summary", OSPF_LSA_ASBR_SUMMARY},
	    {"external", OSPF_LSA_EXTERNAL}, {"nssa-external", OSPF_LSA_NSSA},
	};
	struct ospf *o = running_ospf(c);
	struct dbq q = {0};

	if (argc >= 1) {
		for (size_t i = 0; i < ARRAY_LEN(types); i++)
			if (strcmp(argv[0], types[i].word) == 0 ||
			    (strlen(argv[0]) >= 2 && str_prefix(types[i].word, argv[0]) &&
			     !(i == 2 && strlen(argv[0]) < 2)))
				q.type = types[i].type;
		if (q.type == 0)
			return cli_fail(c, "usage: show ip ospf database [router|network|summary|"
			                   "asbr-summary|external|nssa-external [LSID]]");
		q.detail = true;
	}
	if (argc == 2) {
		if (!ip_parse(argv[1], &q.id))
			return cli_fail(c, "bad Link State ID '%s'", argv[1]);
		q.has_id = true;
	}
	if (argc > 2)
		return cli_fail(c, "usage: show ip ospf database [TYPE [LSID]]");
	if (o == NULL)
		return no_ospf(c) ? 0 : 1;
	if (c->json)
		db_json(c, o, &q);
	else
		db_text(c, o, &q);
	return 0;
}

/* --- show ip ospf route ----------------------------------------------------------------------- */

static void
route_nh_text(struct cli_ctx *c, const struct ospf *o, const struct nexthop *nh, uint8_t n)
{
	for (uint8_t i = 0; i < n; i++) {
		const char *ifn = o->node->ifs[nh[i].ifindex]->name;

		if (nh[i].gw == 0)
			cli_printf(c, "%24s   directly attached to %s\n", "", ifn);
		else
			cli_printf(c, "%24s   via %s, %s\n", "", ip_str(nh[i].gw), ifn);
	}
}

static void
route_nh_json(struct cli_ctx *c, const struct ospf *o, const struct nexthop *nh, uint8_t n)
{
	json_key(&c->j, "nexthops");
	json_arr_begin(&c->j);
	for (uint8_t i = 0; i < n; i++) {
		const char *ifn = o->node->ifs[nh[i].ifindex]->name;

		json_obj_begin(&c->j);
		if (nh[i].gw == 0) {
			json_kv_str(&c->j, "ip", " ");
			json_kv_str(&c->j, "directlyAttachedTo", ifn);
		} else {
			json_kv_str(&c->j, "ip", ip_str(nh[i].gw));
			json_kv_str(&c->j, "via", ifn);
		}
		json_obj_end(&c->j);
	}
	json_arr_end(&c->j);
}

/* The routes to area border and AS boundary routers (16.1 step 4 and 16.2), FRR's layout. */
static void
router_table_text(struct cli_ctx *c, const struct ospf *o, const struct ospf_table *t)
{
	char buf[32];

	cli_printf(c, "============ OSPF router routing table =============\n");
	for (size_t i = 0; i < t->nrr; i++) {
		const struct ospf_rroute *r = &t->rr[i];

		snprintf(buf, sizeof(buf), "%s%s", r->abr ? ", ABR" : "", r->asbr ? ", ASBR" : "");
		cli_printf(c, "%s %-15s    [%u] area: %s%s\n",
		           r->ptype == OSPF_PATH_INTRA ? "R   " : "R IA", ip_str(r->rid), r->cost,
		           ospf_area_str(r->area), buf);
		route_nh_text(c, o, r->nh, r->nnh);
	}
}

/* One route to an ABR or ASBR, as members of the JSON object open in c. */
static void
router_route_json(struct cli_ctx *c, const struct ospf *o, const struct ospf_rroute *r)
{
	json_kv_str(&c->j, "routeType", r->ptype == OSPF_PATH_INTRA ? "R " : "R IA");
	json_kv_int(&c->j, "cost", r->cost);
	json_kv_str(&c->j, "area", ospf_area_str(r->area));
	json_kv_str(&c->j, "routerType",
	            r->abr && r->asbr ? "abr asbr"
	            : r->abr          ? "abr"
	                              : "asbr");
	route_nh_json(c, o, r->nh, r->nnh);
}

/*
 * The same as members of the JSON object open in c, one per router ID: a
 * router reachable in several areas has a route per area, so its object
 * describes the first (lowest area ID) as FRR's does, and "areas" lists
 * them all. (FRR writes each area's route over the previous one's in the
 * same object, which keeps only the last; a key repeated once per area, as
 * here before, is not valid JSON for most readers.)
 */
static void
router_table_json(struct cli_ctx *c, const struct ospf *o, const struct ospf_table *t)
{
	for (size_t i = 0, j; i < t->nrr; i = j) {
		for (j = i + 1; j < t->nrr && t->rr[j].rid == t->rr[i].rid; j++)
			;
		json_key(&c->j, ip_str(t->rr[i].rid));
		json_obj_begin(&c->j);
		router_route_json(c, o, &t->rr[i]);
		json_key(&c->j, "areas");
		json_arr_begin(&c->j);
		for (size_t k = i; k < j; k++) {
			json_obj_begin(&c->j);
			router_route_json(c, o, &t->rr[k]);
			json_obj_end(&c->j);
		}
		json_arr_end(&c->j);
		json_obj_end(&c->j);
	}
}

/* `show ip ospf border-routers`: the router routing table alone, as FRR prints it. */
static int
cmd_border_routers(struct cli_ctx *c, int argc, char **argv UNUSED)
{
	struct ospf *o = running_ospf(c);
	struct ospf_table t;

	if (argc > 0)
		return cli_fail(c, "usage: show ip ospf border-routers");
	if (o == NULL)
		return no_ospf(c) ? 0 : 1;
	ospf_spf_compute(o, &t);
	if (c->json) {
		json_obj_begin(&c->j);
		router_table_json(c, o, &t);
		json_obj_end(&c->j);
	} else {
		router_table_text(c, o, &t);
		cli_printf(c, "\n");
	}
	ospf_spf_table_free(&t);
	return 0;
}

static int
cmd_route(struct cli_ctx *c, int argc, char **argv UNUSED)
{
	struct ospf *o = running_ospf(c);
	struct ospf_table t;
	char buf[64];

	if (argc > 0)
		return cli_fail(c, "usage: show ip ospf route");
	if (o == NULL)
		return no_ospf(c) ? 0 : 1;
	/* The table as SPF computes it from the current databases (see docs/ospf.md). */
	ospf_spf_compute(o, &t);
	if (c->json) {
		json_obj_begin(&c->j);
		for (size_t i = 0; i < t.n; i++) {
			const struct ospf_route *r = &t.r[i];
			static const char *const types[] = {"N", "N IA", "N E1", "N E2", "N N1", "N N2"};

			json_key(&c->j, prefix_str(&r->pfx));
			json_obj_begin(&c->j);
			json_kv_str(&c->j, "routeType", types[r->ptype]);
			json_kv_int(&c->j, "cost", r->cost);
			if (OSPF_PATH_TYPE2(r->ptype))
				json_kv_int(&c->j, "type2cost", r->cost2);
			if (OSPF_PATH_EXT(r->ptype))
				json_kv_int(&c->j, "tag", r->tag);
			else
				json_kv_str(&c->j, "area", ospf_area_str(r->area));
			route_nh_json(c, o, r->nh, r->nnh);
			json_obj_end(&c->j);
		}
		router_table_json(c, o, &t);
		json_obj_end(&c->j);
		ospf_spf_table_free(&t);
		return 0;
	}
	cli_printf(c, "============ OSPF network routing table ============\n");
	for (size_t i = 0; i < t.n; i++) {
		const struct ospf_route *r = &t.r[i];

		if (r->ptype > OSPF_PATH_INTER)
			continue;
		cli_printf(c, "%s %-18s    [%u] area: %s\n",
		           r->ptype == OSPF_PATH_INTRA ? "N   " : "N IA", prefix_str(&r->pfx),
		           r->cost, ospf_area_str(r->area));
		route_nh_text(c, o, r->nh, r->nnh);
	}
	cli_printf(c, "\n");
	router_table_text(c, o, &t);
	cli_printf(c, "\n============ OSPF external routing table ===========\n");
	for (size_t i = 0; i < t.n; i++) {
		const struct ospf_route *r = &t.r[i];

		static const char *const kind[] = {"", "", "E1", "E2", "N1", "N2"};

		if (!OSPF_PATH_EXT(r->ptype))
			continue;
		if (OSPF_PATH_TYPE2(r->ptype))
			snprintf(buf, sizeof(buf), "[%u/%u]", r->cost, r->cost2);
		else
			snprintf(buf, sizeof(buf), "[%u]", r->cost);
		cli_printf(c, "N %s %-18s    %s tag: %u\n", kind[r->ptype], prefix_str(&r->pfx), buf,
		           r->tag);
		route_nh_text(c, o, r->nh, r->nnh);
	}
	cli_printf(c, "\n");
	ospf_spf_table_free(&t);
	return 0;
}

/* --- show ip ospf -------------------------------------------------------------------------------
 */

static void
area_counts(const struct ospf *o, int *normal, int *stub, int *nssa)
{
	*normal = *stub = *nssa = 0;
	for (size_t i = 0; i < o->nareas; i++) {
		if (o->areas[i]->stub)
			(*stub)++;
		else if (o->areas[i]->nssa)
			(*nssa)++;
		else
			(*normal)++;
	}
}

static uint32_t
lsa_total(const struct ospf_lsdb *db, uint32_t *cksum)
{
	uint32_t n = 0, s = 0;

	for (size_t t = 0; t < ARRAY_LEN(db->count); t++) {
		n += db->count[t];
		s += db->cksum[t];
	}
	*cksum = s;
	return n;
}

static size_t
area_ifs(const struct ospf *o, const struct ospf_area *a, bool active)
{
	size_t n = 0;

	for (size_t i = 0; i < o->nifs; i++)
		if (o->ifs[i]->area == a && (!active || o->ifs[i]->state != ISM_DOWN))
			n++;
	return n;
}

static size_t
area_full(const struct ospf *o, const struct ospf_area *a)
{
	size_t n = 0;

	for (size_t i = 0; i < o->nifs; i++)
		if (o->ifs[i]->area == a)
			n += ospf_if_full_count(o->ifs[i]);
	return n;
}

static void
ospf_json(struct cli_ctx *c, const struct ospf *o)
{
	struct json *j = &c->j;
	sim_time now = now_of(o);
	int normal, stub, nssa;
	uint32_t ck;

	area_counts(o, &normal, &stub, &nssa);
	json_obj_begin(j);
	json_kv_str(j, "routerId", ip_str(o->rid));
	json_kv_str(j, "routerIdSelection", o->rid_how);
	json_kv_bool(j, "tosRoutesOnly", true);
	json_kv_bool(j, "rfc2328Conform", true);
	json_kv_int(j, "spfScheduleDelayMsecs", o->cfg.spf_delay / SIM_MS);
	json_kv_int(j, "holdtimeMinMsecs", o->cfg.spf_hold / SIM_MS);
	json_kv_int(j, "holdtimeMaxMsecs", o->cfg.spf_maxhold / SIM_MS);
	json_kv_int(j, "holdtimeMultplier", MAX(1, o->spf_holdcur / MAX(1, o->cfg.spf_hold)));
	if (o->spf_ran) {
		json_kv_int(j, "spfLastExecutedMsecs", (now - o->spf_last) / SIM_MS);
		json_kv_int(j, "spfLastDurationMsecs", 0);
	}
	json_kv_int(j, "lsaMinIntervalMsecs", o->cfg.lsa_min_interval / SIM_MS);
	json_kv_int(j, "lsaMinArrivalMsecs", o->cfg.lsa_min_arrival / SIM_MS);
	json_kv_int(j, "refreshTimerMsecs", OSPF_LS_REFRESH_TIME * 1000LL);
	json_kv_int(j, "maximumPaths", OSPF_MAX_PATHS);
	json_kv_int(j, "preDistance", 110);
	json_kv_str(j, "abrType", "Standard");
	if (ospf_is_abr(o))
		json_kv_str(j, "abrRouter", "isAbr");
	if (ospf_is_asbr(o))
		json_kv_str(j, "asbrRouter", "injectingExternalRoutingInformation");
	json_kv_int(j, "lsaExternalCounter", lsa_total(&o->as_db, &ck));
	json_kv_int(j, "lsaExternalChecksum", ck);
	json_kv_int(j, "attachedAreaCounter", (int64_t)o->nareas);
	json_key(j, "areas");
	json_obj_begin(j);
	for (size_t i = 0; i < o->nareas; i++) {
		const struct ospf_area *a = o->areas[i];
		const struct ospf_lsdb *db = &a->db;

		json_key(j, ospf_area_str(a->id));
		json_obj_begin(j);
		if (a->id == 0)
			json_kv_bool(j, "backbone", true);
		if (a->stub) {
			json_kv_bool(j, "stubNoSummary", a->no_summary);
			json_kv_bool(j, "stubShortcut", false);
		}
		if (a->nssa) {
			/* FRR's keys. */
			json_kv_bool(j, "nssa", true);
			json_kv_bool(j, "nssaNoSummary", a->no_summary);
			json_kv_str(j, "nssaTranslatorRole", ospf_nssa_role_name(a));
			json_kv_bool(j, "nssaTranslatorElected", a->translator);
		}
		if (a->nranges > 0) {
			json_key(j, "ranges");
			json_arr_begin(j);
			for (size_t k = 0; k < a->nranges; k++) {
				const struct ospf_range *r = &a->ranges[k];

				json_obj_begin(j);
				json_kv_str(j, "prefix", prefix_str(&r->pfx));
				json_kv_bool(j, "advertise", r->advertise);
				if (r->has_cost)
					json_kv_int(j, "cost", r->cost);
				json_obj_end(j);
			}
			json_arr_end(j);
		}
		json_kv_int(j, "areaIfTotalCounter", (int64_t)area_ifs(o, a, false));
		json_kv_int(j, "areaIfActiveCounter", (int64_t)area_ifs(o, a, true));
		json_kv_int(j, "nbrFullAdjacentCounter", (int64_t)area_full(o, a));
		json_kv_str(j, "authentication", "authenticationNone");
		json_kv_int(j, "spfExecutedCounter", a->spf_runs);
		json_kv_int(j, "lsaNumber", lsa_total(db, &ck));
		json_kv_int(j, "lsaRouterNumber", db->count[OSPF_LSA_ROUTER]);
		json_kv_int(j, "lsaRouterChecksum", db->cksum[OSPF_LSA_ROUTER]);
		json_kv_int(j, "lsaNetworkNumber", db->count[OSPF_LSA_NETWORK]);
		json_kv_int(j, "lsaNetworkChecksum", db->cksum[OSPF_LSA_NETWORK]);
		json_kv_int(j, "lsaSummaryNumber", db->count[OSPF_LSA_SUMMARY]);
		json_kv_int(j, "lsaSummaryChecksum", db->cksum[OSPF_LSA_SUMMARY]);
		json_kv_int(j, "lsaAsbrNumber", db->count[OSPF_LSA_ASBR_SUMMARY]);
		json_kv_int(j, "lsaAsbrChecksum", db->cksum[OSPF_LSA_ASBR_SUMMARY]);
		json_obj_end(j);
	}
	json_obj_end(j);
	json_obj_end(j);
}

static int
cmd_ospf(struct cli_ctx *c, int argc, char **argv)
{
	struct ospf *o = running_ospf(c);
	sim_time now;
	int normal, stub, nssa;
	uint32_t ck, n;

	if (argc > 0)
		return cli_fail(c, "unknown 'show ip ospf %s'", argv[0]);
	if (o == NULL)
		return no_ospf(c) ? 0 : 1;
	if (c->json) {
		ospf_json(c, o);
		return 0;
	}
	now = now_of(o);
	area_counts(o, &normal, &stub, &nssa);
	cli_printf(c, " Routing Process \"ospf 1\" with ID %s\n", ip_str(o->rid));
	if (strcmp(o->rid_how, "configured") != 0)
		cli_printf(c, " Router ID selected automatically (%s)\n", o->rid_how);
	cli_printf(c, " Start time: %s, Time elapsed: %s\n", cli_age(o->started),
	           cli_age(now - o->started));
	cli_printf(c, " Supports only single TOS(TOS0) routes\n");
	cli_printf(c, " Supports area transit capability\n");
	if (ospf_is_abr(o))
		cli_printf(c, " It is an area border router\n");
	if (ospf_is_asbr(o))
		cli_printf(c, " It is an autonomous system boundary router\n");
	cli_printf(c, " Router is not originating router-LSAs with maximum metric\n");
	cli_printf(c, " Initial SPF schedule delay %lld msecs\n",
	           (long long)(o->cfg.spf_delay / SIM_MS));
	cli_printf(c, " Minimum hold time between two consecutive SPFs %lld msecs\n",
	           (long long)(o->cfg.spf_hold / SIM_MS));
	cli_printf(c, " Maximum wait time between two consecutive SPFs %lld msecs\n",
	           (long long)(o->cfg.spf_maxhold / SIM_MS));
	cli_printf(c, " Incremental-SPF disabled\n");
	if (o->cfg.lsa_min_interval % SIM_S == 0)
		cli_printf(c, " Minimum LSA interval %lld secs\n", (long long)(o->cfg.lsa_min_interval / SIM_S));
	else
		cli_printf(c, " Minimum LSA interval %lld msecs\n", (long long)(o->cfg.lsa_min_interval / SIM_MS));
	cli_printf(c, " Minimum LSA arrival %lld msecs\n", (long long)(o->cfg.lsa_min_arrival / SIM_MS));
	n = lsa_total(&o->as_db, &ck);
	cli_printf(c, " Number of external LSA %u. Checksum Sum 0x%06X\n", n, ck);
	cli_printf(c, " Number of areas in this router is %zu. %d normal %d stub %d nssa\n",
	           o->nareas, normal, stub, nssa);
	cli_printf(
	    c, " Reference bandwidth unit is %llu mbps\n",
	    (unsigned long long)((o->cfg.ref_bw ? o->cfg.ref_bw : OSPF_REFBW_DFLT) / 1000000));
	for (size_t i = 0; i < o->nareas; i++) {
		const struct ospf_area *a = o->areas[i];

		if (a->id == 0)
			cli_printf(c, "    Area BACKBONE(%s)\n", ospf_area_str(a->id));
		else
			cli_printf(c, "    Area %s\n", ospf_area_str(a->id));
		cli_printf(c, "        Number of interfaces in this area is %zu\n",
		           area_ifs(o, a, false));
		if (a->stub)
			cli_printf(c, "        It is a stub area%s\n",
			           a->no_summary ? ", no summary LSA in this area" : "");
		if (a->stub && ospf_is_abr(o))
			cli_printf(c, "          generates stub default route with cost %u\n",
			           a->default_cost);
		if (a->nssa)
			cli_printf(c, "        It is a NSSA area%s\n",
			           a->no_summary ? ", no summary LSA in this area" : "");
		if (a->nssa && ospf_is_abr(o))
			cli_printf(c, "          NSSA translator role %s, %s\n", ospf_nssa_role_name(a),
			           a->translator ? "translating Type-7 LSAs into Type-5"
			                         : "not translating");
		cli_printf(c, "        Area has no authentication\n");
		if (a->nranges > 0)
			cli_printf(c, "        Area ranges are\n");
		for (size_t k = 0; k < a->nranges; k++) {
			const struct ospf_range *r = &a->ranges[k];

			cli_printf(c, "           %s %s", prefix_str(&r->pfx),
			           r->advertise ? "Advertise" : "DoNotAdvertise");
			if (r->has_cost)
				cli_printf(c, " cost %u", r->cost);
			cli_printf(c, "\n");
		}
		if (o->spf_ran)
			cli_printf(c, "        SPF algorithm last executed %s ago\n",
			           cli_age(now - o->spf_last));
		cli_printf(c, "        SPF algorithm executed %u times\n", a->spf_runs);
		n = lsa_total(&a->db, &ck);
		cli_printf(c, "        Number of LSA %u. Checksum Sum 0x%06X\n", n, ck);
	}
	return 0;
}

/* --- show ip protocols (the show_protocols hook) ------------------------------------------ */

struct source {
	uint32_t rid;
	sim_time age;
};

static int
source_cmp(const void *a, const void *b)
{
	const struct source *x = a, *y = b;

	return x->rid < y->rid ? -1 : x->rid > y->rid;
}

/* Routers whose router-LSAs feed our table, with the time since their last update. */
static struct source *
sources(const struct ospf *o, size_t *n)
{
	struct source *v = NULL;
	size_t k = 0, cap = 0;
	sim_time now = now_of(o);

	for (size_t ai = 0; ai < o->nareas; ai++) {
		const struct ospf_lsdb *db = &o->areas[ai]->db;
		const struct ospf_ent *e;

		for (uint32_t pos = 0; (e = ospf_lsdb_next(db, &pos)) != NULL;) {
			bool dup = false;

			if (e->lsa->hdr.type != OSPF_LSA_ROUTER ||
			    e->lsa->hdr.adv_rtr == o->rid || ospf_lsdb_age(e, now) >= OSPF_MAX_AGE)
				continue;
			for (size_t x = 0; x < k; x++)
				if (v[x].rid == e->lsa->hdr.adv_rtr) {
					v[x].age = MIN(v[x].age, now - e->t0);
					dup = true;
				}
			if (!dup)
				VEC_PUSH(v, k, cap,
				         ((struct source){e->lsa->hdr.adv_rtr, now - e->t0}));
		}
	}
	if (k > 1)
		qsort(v, k, sizeof(*v), source_cmp);
	*n = k;
	return v;
}

/* OSPF's section of the core's `show ip protocols` (cli/cmd_route.c). */
void
ospf_show_protocols(struct proto_inst *pi, struct cli_ctx *c)
{
	struct ospf *o = pi->priv;
	int normal, stub, nssa;
	size_t ns;
	struct source *src;
	bool redist = redist_any(&o->cfg.redist);

	area_counts(o, &normal, &stub, &nssa);
	src = sources(o, &ns);
	if (c->json) {
		struct json *j = &c->j;

		json_key(j, pi->proto->name);
		json_obj_begin(j);
		json_kv_str(j, "routingProtocol", "ospf 1");
		json_kv_str(j, "routerId", ip_str(o->rid));
		json_kv_bool(j, "areaBorderRouter", ospf_is_abr(o));
		json_kv_bool(j, "asBoundaryRouter", ospf_is_asbr(o));
		json_kv_int(j, "areasNormal", normal);
		json_kv_int(j, "areasStub", stub);
		json_kv_int(j, "areasNssa", nssa);
		json_kv_int(j, "maximumPaths", OSPF_MAX_PATHS);
		json_key(j, "redistribute");
		redist_json(&o->cfg.redist, j);
		json_key(j, "networks");
		json_arr_begin(j);
		for (size_t i = 0; i < o->nifs; i++) {
			struct prefix p = iface_prefix(o->ifs[i]->ifp);

			json_obj_begin(j);
			json_kv_str(j, "network", prefix_str(&p));
			json_kv_str(j, "area", ospf_area_str(o->ifs[i]->area->id));
			json_obj_end(j);
		}
		json_arr_end(j);
		json_key(j, "passiveInterfaces");
		json_arr_begin(j);
		for (size_t i = 0; i < o->nifs; i++)
			if (o->ifs[i]->passive)
				json_str(j, o->ifs[i]->ifp->name);
		json_arr_end(j);
		json_key(j, "routingInformationSources");
		json_arr_begin(j);
		for (size_t i = 0; i < ns; i++) {
			json_obj_begin(j);
			json_kv_str(j, "gateway", ip_str(src[i].rid));
			json_kv_int(j, "distance", 110);
			json_kv_str(j, "lastUpdate", cli_age(src[i].age));
			json_obj_end(j);
		}
		json_arr_end(j);
		json_kv_int(j, "distance", 110);
		json_obj_end(j);
		free(src);
		return;
	}
	cli_printf(c, "Routing Protocol is \"ospf 1\"\n");
	cli_printf(c, "  Outgoing update filter list for all interfaces is not set\n");
	cli_printf(c, "  Incoming update filter list for all interfaces is not set\n");
	cli_printf(c, "  Router ID %s\n", ip_str(o->rid));
	if (ospf_is_abr(o))
		cli_printf(c, "  It is an area border router\n");
	if (ospf_is_asbr(o))
		cli_printf(c, "  It is an autonomous system boundary router\n");
	if (redist) {
		cli_printf(c, " Redistributing External Routes from,\n");
		for (int i = 0; i < proto_count; i++)
			if (o->cfg.redist.src[i].on)
				cli_printf(c, "    %s%s\n", proto_registry[i]->name,
				           o->cfg.redist.src[i].mtype == 1 ? " with metric-type 1" : "");
	}
	cli_printf(c, "  Number of areas in this router is %zu. %d normal %d stub %d nssa\n",
	           o->nareas, normal, stub, nssa);
	cli_printf(c, "  Maximum path: %d\n", OSPF_MAX_PATHS);
	cli_printf(c, "  Routing for Networks:\n");
	for (size_t i = 0; i < o->nifs; i++) {
		struct prefix p = iface_prefix(o->ifs[i]->ifp);

		cli_printf(c, "    %s %s area %s\n", ip_str(p.addr), ip_str(~ip_mask(p.len)),
		           ospf_area_str(o->ifs[i]->area->id));
	}
	for (size_t i = 0, first = 1; i < o->nifs; i++)
		if (o->ifs[i]->passive) {
			if (first)
				cli_printf(c, "  Passive Interface(s):\n");
			first = 0;
			cli_printf(c, "    %s\n", o->ifs[i]->ifp->name);
		}
	cli_printf(c, "  Routing Information Sources:\n");
	cli_printf(c, "    Gateway         Distance      Last Update\n");
	for (size_t i = 0; i < ns; i++)
		cli_printf(c, "    %-15s %8d      %s\n", ip_str(src[i].rid), 110,
		           cli_age(src[i].age));
	cli_printf(c, "  Distance: (default is 110)\n\n");
	free(src);
}

/* `show ip ospf mismatches`: why neighbors' packets were dropped (mismatch.c). */
static int
cmd_mismatches(struct cli_ctx *c, int argc, char **argv UNUSED)
{
	struct ospf *o = running_ospf(c);
	size_t shown = 0;

	if (argc > 0)
		return cli_fail(c, "usage: show ip ospf mismatches");
	if (o == NULL)
		return no_ospf(c) ? 0 : 1;
	if (c->json) {
		json_obj_begin(&c->j);
		json_key(&c->j, "mismatches");
		json_arr_begin(&c->j);
	}
	for (size_t i = 0; i < o->nifs; i++) {
		const struct ospf_if *oi = o->ifs[i];

		for (size_t k = 0; k < oi->nmis; k++) {
			const struct ospf_mismatch *m = &oi->mis[k];

			if (c->json) {
				json_obj_begin(&c->j);
				json_kv_str(&c->j, "interface", oi->ifp->name);
				json_kv_str(&c->j, "neighborId", ip_str(m->rid));
				json_kv_str(&c->j, "address", ip_str(m->addr));
				json_kv_str(&c->j, "reason", ospf_mismatch_name(m->reason));
				json_kv_int(&c->j, "count", m->count);
				json_kv_double(&c->j, "firstSeenMs", (double)m->first / SIM_MS);
				json_kv_double(&c->j, "lastSeenMs", (double)m->last / SIM_MS);
				json_kv_str(&c->j, "message", m->text);
				json_obj_end(&c->j);
				continue;
			}
			if (shown++ == 0)
				cli_printf(c, "%-10s %-15s %-15s %-20s %7s  %s\n", "Interface", "Neighbor ID",
				           "Address", "Reason", "Dropped", "Last seen");
			cli_printf(c, "%-10s %-15s %-15s %-20s %7u  %s ago\n", oi->ifp->name,
			           ip_str(m->rid), ip_str(m->addr), ospf_mismatch_name(m->reason),
			           m->count, cli_age(now_of(o) - m->last));
			cli_printf(c, "  %s\n", m->text);
		}
	}
	if (c->json) {
		json_arr_end(&c->j);
		json_obj_end(&c->j);
	} else if (shown == 0) {
		cli_printf(c, "No OSPF configuration mismatch seen on %s\n", c->node->name);
	}
	return 0;
}

const struct cli_cmd ospf_show_cmds[] = {
    {"show ip ospf", "", "OSPF process: router ID, areas, SPF and LSA counters", cmd_ospf,
     CLI_ROUTER | CLI_JSON},
    {"show ip ospf neighbor", "[detail]", "OSPF neighbors and adjacency states", cmd_nbr,
     CLI_ROUTER | CLI_JSON},
    {"show ospf neighbors", "[detail]", "OSPF neighbors (alias of show ip ospf neighbor)", cmd_nbr,
     CLI_ROUTER | CLI_JSON},
    {"show ip ospf interface", "[IFACE]", "OSPF interfaces: state, DR/BDR, timers", cmd_iface,
     CLI_ROUTER | CLI_JSON},
    {"show ip ospf database", "[router|network|summary|asbr-summary|external|nssa-external [LSID]]",
     "the OSPF link state database (a type: every LSA in detail)", cmd_db, CLI_ROUTER | CLI_JSON},
    {"show ip ospf route", "", "the OSPF routing table (network, router, external)", cmd_route,
     CLI_ROUTER | CLI_JSON},
    {"show ip ospf border-routers", "", "routes to area border and AS boundary routers",
     cmd_border_routers, CLI_ROUTER | CLI_JSON},
    {"show ip ospf mismatches", "", "neighbors whose packets were dropped: mismatched "
     "intervals, mask, area, options, authentication, MTU, router ID", cmd_mismatches,
     CLI_ROUTER | CLI_JSON},
    {NULL},
};
