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
 * path the neighbor sent earlier for the prefix goes too. Accepted routes
 * become paths of the table (rib.c), sharing one interned attribute set.
 */
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/util.h"
#include "bgp.h"

/* Why a route is refused, or NULL (for traces and `show bgp neighbors`). */
static const char *
refuse(const struct bgp_peer *p, const struct bgp_attr *a)
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
	if (node_is_local(b->node, a->nexthop))
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

void
bgp_adjin_update(struct bgp_peer *p, const uint8_t *m, size_t len)
{
	struct bgp *b = p->bgp;
	struct bgp_pfx wd[BGP_MAX_PFX], nl[BGP_MAX_PFX];
	uint8_t scratch[BGP_SCRATCH];
	struct bgp_update u = {.withdrawn = wd, .nlri = nl};
	struct bgp_codec_ctx ctx = {.as4 = p->as4, .ebgp = p->ebgp, .local_as = b->cfg.as};
	const struct bgp_attr *ia = NULL;
	const char *why = NULL;

	b->st.updates_in++;
	if (bgp_update_decode(m, len, &ctx, &u, scratch) < 0 || u.action == BGP_UPD_RESET) {
		p->est->err = u.err;
		bgp_fsm(p->est, BGP_EV_UPDATE_ERR);
		return;
	}
	bgp_trace(b, "%s: UPDATE, %zu withdrawn, %zu announced%s%s", ip_str(p->cfg->ip), u.nwithdrawn,
	    u.nnlri, u.nnlri ? ", first " : "", u.nnlri ? ip_str(nl[0].addr) : "");
	for (size_t i = 0; i < u.nwithdrawn; i++) {
		struct prefix pfx = {wd[i].addr, wd[i].len};

		p->st.withdraw_in++;
		bgp_path_update(b, &pfx, p, BGP_KIND_PEER, NULL);
	}
	if (u.nnlri == 0) {
		if (u.nwithdrawn == 0 && !u.has_attrs && !u.mp)
			bgp_gr_eor_rcvd(p); /* End-of-RIB (RFC 4724 2) */
		return;
	}
	if (u.action == BGP_UPD_TREAT_AS_WITHDRAW)
		why = "treat-as-withdraw (RFC 7606)";
	else
		why = refuse(p, &u.attr);
	if (why != NULL) {
		bgp_trace(b, "%s: %zu routes denied: %s", ip_str(p->cfg->ip), u.nnlri, why);
	} else {
		u.attr.weight = p->cfg->weight;
		if (!(u.attr.has & BGP_HAS_OTC) && needs_otc(p)) {
			u.attr.has |= BGP_HAS_OTC;
			u.attr.otc = p->cfg->remote_as;
		}
		ia = bgp_attr_intern(&u.attr);
	}
	for (size_t i = 0; i < u.nnlri; i++) {
		struct prefix pfx = {nl[i].addr, nl[i].len};

		bgp_path_update(b, &pfx, p, BGP_KIND_PEER, ia);
	}
	if (ia != NULL)
		bgp_attr_unref(ia);
	bgp_maxpfx_check(p); /* last: it may end the session */
}
