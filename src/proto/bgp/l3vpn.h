/*
 * l3vpn.h: BGP/MPLS IP VPNs (RFC 4364) over MP-BGP VPN-IPv4 (RFC 4760,
 * RFC 8277), the PE's control plane.
 *
 * The pieces, one file each:
 *   vpn_table.c  the VPN-IPv4 table: paths per (RD, prefix), from neighbors
 *                that negotiated the family and from this router's VRFs,
 *                next-hop tracking in the default VRF, the decision
 *   vpn_vrf.c    the VRFs' side: export of a VRF's routes (RFC 4364 4.3.1:
 *                RD, export route targets, the VRF's label) and import of
 *                the VPN routes whose route targets a VRF imports (4.3.3)
 *                into its RIB, over the LSP to the egress PE (5)
 *   vpn_out.c    advertisement to the VPN-IPv4 neighbors: Adj-RIB-Out per
 *                neighbor, the export rules of IPv4 unicast (out.c),
 *                UPDATE packing, End-of-RIB
 *   vpn_show.c   `show bgp ipv4 vpn`, `show bgp vrf NAME`, FRR's layouts
 *
 * A VPN destination's key is (RD, prefix): the RD is interned per router
 * (rd_ix, a few per PE) so that the key is one 64-bit word.
 */
#ifndef NETSIM_BGP_L3VPN_H
#define NETSIM_BGP_L3VPN_H

#include <stdbool.h>
#include <stdint.h>

#include "../../lib/hmap.h"
#include "../../sim/sim.h"
#include "bgp.h"
#include "vpn.h"

/* One path of a VPN destination. */
struct bgp_vpn_path {
	struct bgp_vpn_path *next;  /* the destination's other paths, in arrival order */
	const struct bgp_attr *attr;/* interned: its route targets are in the extended communities */
	uint32_t label;             /* the VPN label (RFC 8277: the bottom of the stack) */
	uint32_t since_s;           /* arrival, whole seconds */
	uint16_t nbr;               /* index in bgp.peers, or BGP_PEER_LOCAL */
	uint16_t vrf;               /* a local path: the VRF it was exported from */
	uint8_t flags;              /* BGP_PATH_VALID, BGP_PATH_BEST */
};

struct bgp_vpn_dest {
	uint64_t key;               /* vpn_key(): RD index and prefix */
	struct bgp_rd rd;
	struct prefix pfx;
	struct bgp_vpn_path *paths;
	struct bgp_vpn_path *best;
	struct bgp_vpn_dest *next_pfx; /* the other RDs' destinations of this prefix */
	uint32_t version;
	uint8_t why;                /* enum bgp_reason */
	bool queued;
	/*
	 * The VRFs (numbers 1 to 64, bit id - 1) whose import targets the best
	 * path carries, found once per decision: a prefix many VRFs share (the
	 * customers' private ranges) is then not matched against them again
	 * for every import.
	 */
	uint64_t imp_mask;
};

/* A next hop the VPN paths go through, tracked in the default VRF. */
struct bgp_vpn_nh {
	struct bgp *bgp;
	struct nht *h;
	uint32_t refs;
};

/* A VRF of the router as BGP sees it (index: vrf id - 1). */
struct bgp_vpn_vrf {
	struct bgp *bgp;
	uint16_t id;
	bool exporting;             /* `bgp: vrfs:` or `bgp vpn-originate` */
	bool importing;             /* it has import route targets */
	const struct redist *redist;/* what is exported: the configuration's, or originate_redist */
	struct redist originate_redist; /* `bgp vpn-originate`: connected and static */
	uint32_t label;             /* its VPN label (per VRF, FRR's `label vpn export auto`), 0: none */
	struct hmap imported;       /* prefix key -> the VPN destination its RIB has the route of */
};

struct bgp_l3vpn {
	struct hmap dests;          /* key -> struct bgp_vpn_dest */
	struct hmap by_pfx;         /* prefix key -> first destination of the prefix */
	struct bgp_rd *rds;         /* interned RDs: index + 1 is a key's high bits */
	size_t nrds;
	struct hmap rd_ix;          /* an RD's wire octets -> its index + 1 */
	struct bgp_vpn_dest **queue;
	size_t nqueue, qcap;
	struct timer decide_t;
	struct hmap nhs;            /* address -> struct bgp_vpn_nh */
	struct bgp_vpn_vrf *vrfs;   /* one per VRF of the node */
	size_t nvrfs;
	struct hmap pending;        /* destinations whose advertisement may change: key -> dest */
	struct timer out_t;
	uint32_t version;
};

/* vpn_table.c */
/* Does the router carry VPN-IPv4 (a neighbor with the family, or a VRF under bgp)? */
bool bgp_vpn_configured(const struct bgp *);
/* At start: the table (once) and the VRFs' export and import. */
void bgp_vpn_start(struct bgp *);
/* At stop: every path, import and advertisement goes. */
void bgp_vpn_stop(struct bgp *);
/* At destroy. */
void bgp_vpn_destroy(struct bgp *);
/* Add or replace (attr) or withdraw (NULL) the path of peer, or of VRF vrf when peer is NULL. */
void bgp_vpn_update(struct bgp *, const struct bgp_vpn_route *, struct bgp_peer *, uint16_t vrf,
    const struct bgp_attr *attr);
/* Withdraw every path learned from peer, or exported from VRF vrf when peer is NULL. */
void bgp_vpn_flush_peer(struct bgp *, struct bgp_peer *, uint16_t vrf);
/* The destination of (rd, pfx), or NULL. */
struct bgp_vpn_dest *bgp_vpn_dest_find(const struct bgp *, const struct bgp_rd *, const struct prefix *);
/* Every destination sorted by RD, then prefix (caller frees). */
struct bgp_vpn_dest **bgp_vpn_sorted(const struct bgp *, size_t *n);
/* A path's candidate for the decision (valid: its next hop resolves). */
void bgp_vpn_cand(const struct bgp *, const struct bgp_vpn_path *, struct bgp_cand *);
/* How a path's next hop resolves now (NULL for a local path). */
const struct nht_res *bgp_vpn_nh_res(const struct bgp *, const struct bgp_vpn_path *);
bool bgp_vpn_busy(const struct bgp *);

/* Does VRF vrf import d's best path (a neighbor's, carrying one of its import targets)? */
bool bgp_vpn_dest_imported_by(const struct bgp *, const struct bgp_vpn_dest *, uint16_t vrf);
/* d's imp_mask, once its best path is chosen. */
uint64_t bgp_vpn_imp_mask(const struct bgp *, const struct bgp_vpn_dest *);

/* vpn_vrf.c */
void bgp_vpn_vrf_start(struct bgp *);
void bgp_vpn_vrf_stop(struct bgp *);
void bgp_vpn_vrf_destroy(struct bgp *);
/* A VRF instance's best path to pfx changed (a CE's route): export it again. */
void bgp_vpn_vrf_best_changed(struct bgp *vrf_inst, const struct prefix *pfx);
/* The instance of VRF vrf (PE-CE sessions), or NULL. */
struct bgp *bgp_vrf_instance(const struct bgp *, uint16_t vrf);
/* The source of the VPN routes a VRF imports into its RIB (B, distance 200). */
extern const struct rib_src bgp_src_vpn;
/* The VPN destination whose best path VRF vrf installed for pfx, or NULL. */
const struct bgp_vpn_dest *bgp_vpn_imported(const struct bgp *, uint16_t vrf, const struct prefix *);
/*
 * d's best path changed: the VRFs it concerns choose again for its prefix:
 * those of mask (numbers 1 to 64: the ones that imported its old best path
 * or import its new one), and any above 64 that import it or have the prefix.
 */
void bgp_vpn_import(struct bgp *, const struct bgp_vpn_dest *, uint64_t mask);
/* `bgp vpn-originate VRF` (on) and its `no` form. */
int bgp_vpn_originate(struct bgp *, uint16_t vrf, bool on, char *err, size_t errlen);
/* Does a VRF import a path with these attributes (a route target in common)? */
bool bgp_vpn_vrf_imports(const struct bgp *, uint16_t vrf, const struct bgp_attr *);

/* vpn_out.c */
void bgp_vpn_out_init(struct bgp *);
void bgp_vpn_out_peer_up(struct bgp_peer *);
void bgp_vpn_out_peer_down(struct bgp_peer *);
/* The whole VPN-IPv4 Adj-RIB-Out to p again (ROUTE-REFRESH, `clear bgp IP soft out`). */
void bgp_vpn_out_resend(struct bgp_peer *);
void bgp_vpn_out_changed(struct bgp *, struct bgp_vpn_dest *);
void bgp_vpn_out_free(struct bgp *);
bool bgp_vpn_out_busy(const struct bgp *);
/* An UPDATE's VPN-IPv4 part from p (withdrawn and announced routes). */
void bgp_vpn_rx(struct bgp_peer *, const struct bgp_update *);
size_t bgp_vpn_out_count(const struct bgp_peer *);

/* vpn_show.c */
int bgp_cmd_show_vpn(struct cli_ctx *, int argc, char **argv);
int bgp_cmd_show_vrf(struct cli_ctx *, int argc, char **argv);
int bgp_cmd_vpn_originate(struct cli_ctx *, int argc, char **argv);
int bgp_cmd_no_vpn_originate(struct cli_ctx *, int argc, char **argv);

#endif
