/*
 * adjin.c: UPDATEs received (RFC 4271 9.1, 6.3; RFC 7606; RFC 4456 8).
 *
 * An UPDATE is decoded by the codec, which applies RFC 7606 (a malformed
 * attribute makes the routes withdrawn or is dropped; only what the RFC
 * names resets the session). Then the checks a speaker makes before a route
 * enters its Adj-RIB-In:
 *   - AS_PATH loop: our AS in the path (more often than allowas_in);
 *   - eBGP: the path starts with the neighbor's AS (RFC 4271 6.3, FRR's
 *     enforce-first-as), else the routes are treated as withdrawn;
 *   - route reflection loops: ORIGINATOR_ID is our router ID, or
 *     CLUSTER_LIST holds our cluster ID (RFC 4456 8);
 *   - NEXT_HOP is not one of our addresses (RFC 4271 6.3).
 * A route that fails is treated as withdrawn, as FRR does ("denied"), so a
 * path the neighbor sent earlier for the prefix goes too. Then the
 * neighbor's weight, OTC marking (RFC 9234), and the import route map
 * (filter.c), per prefix; a denied route is treated as withdrawn too.
 * Accepted routes become paths of the table (rib.c); without a route map
 * the routes of one UPDATE share one interned attribute set. With
 * soft-reconfiguration inbound, what the neighbor sent is kept before any
 * of this, so that a policy change is applied without asking it again.
 */
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/util.h"
#include "../policy/policy.h"
#include "bgp.h"
#include "l3vpn.h"

/* Why a route is refused, or NULL (for traces and `show bgp neighbors`). */
const char *
bgp_adjin_refuse(const struct bgp_peer *p, const struct bgp_attr *a)
{
	const struct bgp *b = p->bgp;
	uint32_t cluster = b->cfg.cluster_id ? b->cfg.cluster_id : b->router_id;

	if (bgp_aspath_count(a->aspath, a->aspath_len, b->cfg.as) > p->cfg->allowas_in)
		return "AS path loop";
	if (p->ebgp && bgp_aspath_first(a->aspath, a->aspath_len) != p->cfg->remote_as)
		return "first AS is not the neighbor's";
	if ((a->has & BGP_HAS_ORIGINATOR) && a->originator_id == b->router_id)
		return "ORIGINATOR_ID is ours";
	for (size_t i = 0; i < a->ncluster; i++)
		if (a->cluster[i] == cluster)
			return "CLUSTER_LIST loop";
	if (node_is_local_vrf(b->node, b->vrf, a->nexthop))
		return "NEXT_HOP is ours";
	/* RFC 9234 5: from a customer or RS client a route marked Only to Customer is a leak; from a peer, one marked by another AS. */
	if (p->ebgp && (a->has & BGP_HAS_OTC) &&
	    (p->cfg->role == BGP_ROLE_PROVIDER || p->cfg->role == BGP_ROLE_RS ||
	     (p->cfg->role == BGP_ROLE_PEER && a->otc != p->cfg->remote_as)))
		return "route leak (OTC, RFC 9234)";
	return NULL;
}

/* RFC 9234 5: a route from a provider, peer or route server is Only to Customer from here on. */
static bool
needs_otc(const struct bgp_peer *p)
{
	return p->ebgp && (p->cfg->role == BGP_ROLE_CUSTOMER || p->cfg->role == BGP_ROLE_PEER ||
	                   p->cfg->role == BGP_ROLE_RS_CLIENT);
}

/* The route the table gets from rx and its base attributes (checks passed, weight and OTC set), or NULL. */
static const struct bgp_attr *
import(struct bgp_peer *p, const struct policy_map *m, const struct prefix *pfx,
    const struct bgp_attr *base)
{
	struct bgp_attr e = *base;
	struct policy_route r;

	if (m == NULL)
		return bgp_attr_intern(&e);
	bgp_filter_route(&r, p->bgp, NULL, p, pfx, &e);
	if (policy_apply(m, &r) == POLICY_DENY)
		return NULL;
	e.tag = r.tag;
	if (r.nh_peer)
		e.nexthop = p->cfg->ip; /* `set next_hop: peer-address` on import: the neighbor */
	return bgp_attr_intern(&e);
}

void
bgp_adjin_accept(struct bgp_peer *p, const struct bgp_pfx *nl, size_t n, const struct bgp_attr *rx)
{
	struct bgp *b = p->bgp;
	const struct policy_map *m = NULL;
	const struct bgp_attr *ia = NULL;
	struct bgp_attr base;
	const char *why;
	bool deny_all = false;

	if (rx == NULL)
		why = "treat-as-withdraw (RFC 7606)";
	else if ((why = bgp_adjin_refuse(p, rx)) == NULL) {
		m = bgp_filter_map(p, false, &deny_all);
		if (deny_all)
			why = "no import route map (ebgp_requires_policy or a missing map)";
	}
	if (why != NULL) {
		bgp_trace(b, "%s: %zu routes denied: %s", ip_str(p->cfg->ip), n, why);
		p->denied_in += n;
		for (size_t i = 0; i < n; i++)
			bgp_path_rx(b, &(struct prefix){nl[i].addr, nl[i].len}, p, NULL);
		return;
	}
	base = *rx;
	base.weight = p->cfg->weight;
	if (!(base.has & BGP_HAS_OTC) && needs_otc(p)) {
		base.has |= BGP_HAS_OTC;
		base.otc = p->cfg->remote_as;
	}
	/* Without a route map every route of the UPDATE shares one set: interned once. */
	if (m == NULL)
		ia = import(p, NULL, NULL, &base);
	for (size_t i = 0; i < n; i++) {
		struct prefix pfx = {nl[i].addr, nl[i].len};
		const struct bgp_attr *a = m != NULL ? import(p, m, &pfx, &base) : ia;

		if (a == NULL)
			p->denied_in++;
		bgp_path_rx(b, &pfx, p, a);
		if (a != NULL && m != NULL)
			bgp_attr_unref(a);
	}
	if (ia != NULL)
		bgp_attr_unref(ia);
}

void
bgp_adjin_update(struct bgp_peer *p, const uint8_t *m, size_t len)
{
	struct bgp *b = p->bgp;
	struct bgp_pfx wd[BGP_MAX_PFX], nl[BGP_MAX_PFX];
	uint8_t scratch[BGP_SCRATCH];
	struct bgp_update u = {.withdrawn = wd, .nlri = nl};
	struct bgp_codec_ctx ctx = {.as4 = p->as4, .ebgp = p->ebgp, .local_as = b->cfg.as,
	                            .vpnv4 = (p->afs & BGP_FAM_VPNV4) != 0};
	bool withdraw;

	b->st.updates_in++;
	if (bgp_update_decode(m, len, &ctx, &u, scratch) < 0 || u.action == BGP_UPD_RESET) {
		p->est->err = u.err;
		bgp_fsm(p->est, BGP_EV_UPDATE_ERR);
		return;
	}
	bgp_trace(b, "%s: UPDATE, %zu withdrawn, %zu announced%s%s", ip_str(p->cfg->ip), u.nwithdrawn,
	    u.nnlri, u.nnlri ? ", first " : "", u.nnlri ? ip_str(nl[0].addr) : "");
	if (u.vpn)
		bgp_vpn_rx(p, &u); /* VPN-IPv4 (vpn_out.c) */
	if (!(p->afs & BGP_FAM_IPV4)) {
		/* IPv4 unicast was not negotiated (RFC 4760 8): its routes are ignored, as FRR does. */
		if (u.nwithdrawn + u.nnlri > 0)
			bgp_trace(b, "%s: IPv4 unicast routes ignored: the family is not negotiated",
			    ip_str(p->cfg->ip));
		return;
	}
	for (size_t i = 0; i < u.nwithdrawn; i++) {
		struct prefix pfx = {wd[i].addr, wd[i].len};

		p->st.withdraw_in++;
		if (p->adjin != NULL)
			bgp_filter_store(p, &pfx, NULL);
		bgp_path_rx(b, &pfx, p, NULL);
	}
	if (u.nnlri == 0) {
		if (u.nwithdrawn == 0 && !u.has_attrs && !u.mp)
			bgp_gr_eor_rcvd(p); /* End-of-RIB (RFC 4724 2) */
		return;
	}
	withdraw = u.action == BGP_UPD_TREAT_AS_WITHDRAW;
	if (p->adjin != NULL) {
		const struct bgp_attr *raw = withdraw ? NULL : bgp_attr_intern(&u.attr);

		for (size_t i = 0; i < u.nnlri; i++)
			bgp_filter_store(p, &(struct prefix){nl[i].addr, nl[i].len}, raw);
		if (raw != NULL)
			bgp_attr_unref(raw);
	}
	bgp_adjin_accept(p, nl, u.nnlri, withdraw ? NULL : &u.attr);
	bgp_maxpfx_check(p); /* last: it may end the session */
}
