/*
 * decision.h: the BGP decision process (RFC 4271 9.1.2, RFC 4456 9, and
 * the steps real routers add: weight, locally originated, IGP cost, router
 * ID / ORIGINATOR_ID, CLUSTER_LIST length, neighbor address), with the step
 * that decided named as FRR's "bestpath" reason is, and multipath.
 *
 * Pure functions over candidate paths, so the unit tests can feed fixture
 * sets in every order and a property test can compare with a model.
 */
#ifndef NETSIM_BGP_DECISION_H
#define NETSIM_BGP_DECISION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attr.h"

/* What the decision needs to know of one path. */
struct bgp_cand {
	const struct bgp_attr *attr;
	uint32_t peer_addr;  /* the neighbor's address (0: locally originated) */
	uint32_t peer_id;    /* the neighbor's BGP Identifier (0: local) */
	uint32_t peer_as;    /* the neighbor's AS */
	bool ebgp;           /* learned from an external peer */
	bool local;          /* originated here: network, aggregate, redistribution */
	bool valid;          /* next hop resolvable (and not denied): only valid paths compete */
	uint32_t igp_metric; /* cost to the next hop through the RIB */
};

/* The step that made the best path win (FRR's bgp_path_selection_reason). */
enum bgp_reason {
	BGP_WHY_NONE,          /* no valid path */
	BGP_WHY_ONLY,          /* "First path received": it was the only one */
	BGP_WHY_WEIGHT,
	BGP_WHY_LOCAL_PREF,
	BGP_WHY_LOCAL_ROUTE,
	BGP_WHY_AS_PATH,
	BGP_WHY_ORIGIN,
	BGP_WHY_MED,
	BGP_WHY_PEER_TYPE,     /* eBGP over iBGP */
	BGP_WHY_IGP_METRIC,
	BGP_WHY_ROUTER_ID,     /* router ID or ORIGINATOR_ID */
	BGP_WHY_CLUSTER_LEN,
	BGP_WHY_NEIGHBOR_IP,
	BGP_WHY_NOTHING_LEFT,  /* two paths equal in every step (two local paths) */
};

struct bgp_decision_cfg {
	bool always_compare_med;  /* compare MED between paths from different ASes */
	bool deterministic_med;   /* group paths by neighbor AS before comparing (as FRR's default) */
	bool med_missing_as_worst;/* a missing MED is 4294967295 rather than 0 */
	unsigned max_paths_ebgp;  /* multipath: 1 = off */
	unsigned max_paths_ibgp;
	bool multipath_relax;     /* multipath across neighbor ASes / AS paths (FRR's as-path multipath-relax) */
};

/*
 * Compare two valid paths: < 0 when a is better, > 0 when b is. *why (may be
 * NULL) gets the step that decided. Paths never compare equal unless they
 * are the same path (the neighbor address is the last step), or two locally
 * originated paths equal in every step (*why BGP_WHY_NOTHING_LEFT).
 */
int bgp_path_cmp(const struct bgp_cand *a, const struct bgp_cand *b,
    const struct bgp_decision_cfg *cfg, enum bgp_reason *why);

/*
 * Select among n candidates (valid or not): returns the best's index, or
 * (size_t)-1 when none is valid; *why the step that decided against the
 * runner-up (BGP_WHY_ONLY for a single valid path). mp (room for n) gets the
 * indices of the multipath set, best first, *nmp its size (1 when multipath
 * is off): paths equal to the best up to the IGP metric step (RFC 4271
 * 9.1.2.2 has no multipath; this is FRR's rule: same weight, LOCAL_PREF,
 * locally originated, AS_PATH length, origin, MED, peer type, IGP metric;
 * and, unless multipath_relax, the same neighbor AS for eBGP paths, the same
 * AS_PATH for iBGP ones), at most max_paths_ebgp or max_paths_ibgp by the
 * best's type, ordered by the remaining tie-breakers. why, mp and nmp may
 * be NULL. The result does not depend on the candidates' order.
 */
size_t bgp_select(const struct bgp_cand *c, size_t n, const struct bgp_decision_cfg *cfg,
    enum bgp_reason *why, size_t *mp, size_t *nmp);

/* FRR's words for a reason ("Weight", "Local Pref", "MED", "Router ID", ...). */
const char *bgp_reason_str(enum bgp_reason);

#endif
