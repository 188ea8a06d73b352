/*
 * vpn_vrf.c: a PE's VRFs and the VPN-IPv4 table (RFC 4364 4.3).
 *
 * Export (4.3.1, 4.3.2): a VRF named under `bgp: vrfs:` (or by `bgp
 * vpn-originate`) puts its selected routes of the redistributed protocols
 * (connected, static) into the VPN-IPv4 table as local paths: the VRF's RD
 * before the prefix, its export route targets as extended communities,
 * ORIGIN incomplete, MED the route's metric, and the VRF's label, one per
 * VRF (FRR's `label vpn export auto`), whose LFIB entry pops it and routes
 * what is below in the VRF (RFC 4364 5: the egress PE's lookup).
 *
 * Import (4.3.3): a VRF with import route targets takes, for each prefix,
 * the best path of every VPN destination of that prefix (one per RD) that
 * carries one of its targets and comes from another PE, and selects among
 * them with the decision process; the winner goes into the VRF's RIB as a
 * B route whose next hops are those of the egress PE's address in the
 * default VRF (the LSP, with LDP's label) with the VPN label pushed below
 * (RFC 4364 5: the two-label stack). A VRF does not import this router's
 * own exports (route leaking between VRFs of one PE is not supported).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/log.h"
#include "../../lib/util.h"
#include "../../net/mpls.h"
#include "../../net/nht.h"
#include "../../net/vrf.h"
#include "l3vpn.h"

#define LOCAL_WEIGHT 32768
#define VPN_LABEL_MIN 80      /* BGP's labels start here (LDP's at 16) */
#define VPN_LABEL_MAX 1048575

static struct bgp_vpn_vrf *
vrf_of(const struct bgp *b, uint16_t id)
{
	return id >= 1 && id <= b->vpn->nvrfs ? &b->vpn->vrfs[id - 1] : NULL;
}

static const struct vrf *
node_vrf(const struct bgp *b, uint16_t id)
{
	return &b->node->vrfs[id - 1];
}

/* ---- route targets ---- */

static bool
rt_in(const struct vrf_rt_list *l, const uint8_t *e)
{
	for (size_t i = 0; i < l->n; i++)
		if (memcmp(l->v[i], e, 8) == 0)
			return true;
	return false;
}

bool
bgp_vpn_vrf_imports(const struct bgp *b, uint16_t vrf, const struct bgp_attr *a)
{
	const struct vrf *v = node_vrf(b, vrf);

	for (size_t i = 0; i < a->necomm; i++)
		if (bgp_rt_is(a->ecomm + 8 * i) && rt_in(&v->import, a->ecomm + 8 * i))
			return true;
	return false;
}

#define IMP_MASK_VRFS 64

uint64_t
bgp_vpn_imp_mask(const struct bgp *b, const struct bgp_vpn_dest *d)
{
	uint64_t m = 0;

	if (d->best == NULL || d->best->nbr == BGP_PEER_LOCAL)
		return 0;
	for (uint16_t id = 1; id <= b->vpn->nvrfs && id <= IMP_MASK_VRFS; id++)
		if (b->vpn->vrfs[id - 1].importing && bgp_vpn_vrf_imports(b, id, d->best->attr))
			m |= 1ull << (id - 1);
	return m;
}

bool
bgp_vpn_dest_imported_by(const struct bgp *b, const struct bgp_vpn_dest *d, uint16_t vrf)
{
	if (vrf <= IMP_MASK_VRFS)
		return (d->imp_mask >> (vrf - 1) & 1) != 0;
	return d->best != NULL && d->best->nbr != BGP_PEER_LOCAL &&
	    bgp_vpn_vrf_imports(b, vrf, d->best->attr);
}

/* ---- export ---- */

static struct bgp_vpn_route
vpn_route(const struct vrf *v, const struct prefix *pfx, uint32_t label)
{
	struct bgp_vpn_route r = {.pfx = {pfx->addr, pfx->len}, .nlabels = 1, .labels = {label}};

	bgp_rd_decode(v->rd, &r.rd);
	return r;
}

const struct rib_src bgp_src_vpn = {"bgp", BGP_DISTANCE_IBGP, false};

struct bgp *
bgp_vrf_instance(const struct bgp *b, uint16_t vrf)
{
	for (size_t i = 0; i < b->nvrf_insts; i++)
		if (b->vrf_insts[i]->vrf == vrf)
			return b->vrf_insts[i];
	return NULL;
}

/*
 * The attributes of a VRF's route to pfx as VPN-IPv4 exports it (false:
 * not exported): a CE's route (the VRF's BGP instance) keeps its own, a
 * redistributed one gets ORIGIN incomplete and MED its metric; then the
 * export route targets are added to its extended communities (ecomm has
 * room for 64).
 */
static bool
export_attr(struct bgp *b, struct bgp_vpn_vrf *vv, const struct prefix *pfx, struct bgp_attr *a,
    uint8_t (*ecomm)[8])
{
	const struct vrf *v = node_vrf(b, vv->id);
	const struct rib_entry *e = rib_lookup_exact(v->rib, pfx);
	const struct rib_path *p = e != NULL && e->installed ? rib_best(e) : NULL;
	const struct rib_src *src = p != NULL ? rib_path_src(p) : NULL;
	const struct redist_rule *rule;
	size_t n = 0;

	if (!vv->exporting || vv->label == 0 || p == NULL || src == &bgp_src_vpn)
		return false; /* imported routes are not exported again */
	if (src == &bgp_src_ebgp || src == &bgp_src_ibgp) {
		struct bgp *vi = bgp_vrf_instance(b, vv->id);
		const struct bgp_dest *d = vi != NULL ? bgp_dest_get(vi, pfx, false) : NULL;
		const struct bgp_path *best = d != NULL ? bgp_dest_best(vi, d) : NULL;

		if (best == NULL || best->kind == BGP_KIND_IMPORT)
			return false;
		*a = *best->attr;
		a->nexthop = 0;
		for (size_t i = 0; i < a->necomm && n < 64 - v->export.n; i++)
			if (!bgp_rt_is(a->ecomm + 8 * i))
				memcpy(ecomm[n++], a->ecomm + 8 * i, 8);
	} else {
		if ((rule = redist_rule(vv->redist, p)) == NULL)
			return false;
		*a = (struct bgp_attr){.origin = BGP_ORIGIN_INCOMPLETE, .weight = LOCAL_WEIGHT,
		                       .has = BGP_HAS_MED, .med = rule->metric ? rule->metric : p->metric};
	}
	a->has |= BGP_HAS_NEXT_HOP;
	for (size_t i = 0; i < v->export.n && n < 64; i++)
		memcpy(ecomm[n++], v->export.v[i], 8);
	a->necomm = (uint16_t)n;
	a->ecomm = (const uint8_t *)ecomm;
	return true;
}

/* The VRF's route for pfx into the VPN table (or out of it, when not exported). */
static void
export_check(struct bgp *b, struct bgp_vpn_vrf *vv, const struct prefix *pfx)
{
	struct bgp_vpn_route r = vpn_route(node_vrf(b, vv->id), pfx, vv->label);
	uint8_t ecomm[64][8];
	struct bgp_attr a;
	const struct bgp_attr *ia;

	if (!export_attr(b, vv, pfx, &a, ecomm)) {
		bgp_vpn_update(b, &r, NULL, vv->id, NULL);
		return;
	}
	ia = bgp_attr_intern(&a);
	bgp_vpn_update(b, &r, NULL, vv->id, ia);
	bgp_attr_unref(ia);
}

static void
vrf_rib_changed(struct node *n UNUSED, const struct rib_change *ch, void *arg)
{
	struct bgp_vpn_vrf *vv = arg;
	struct bgp *b = vv->bgp;

	/* A CE's routes are exported when the VRF's instance decides (bgp_vpn_vrf_best_changed). */
	if (b->started && vv->exporting && ch->src != &bgp_src_vpn)
		export_check(b, vv, &ch->pfx);
}

void
bgp_vpn_vrf_best_changed(struct bgp *vi, const struct prefix *pfx)
{
	struct bgp *b = vi->parent;

	if (b->vpn != NULL && b->started && vi->vrf <= b->vpn->nvrfs)
		export_check(b, &b->vpn->vrfs[vi->vrf - 1], pfx);
}

/* Every route of the VRF again (export starts or stops). */
static void
export_all(struct bgp *b, struct bgp_vpn_vrf *vv)
{
	size_t n;
	struct rib_entry **es = rib_sorted(node_vrf(b, vv->id)->rib, &n);

	for (size_t i = 0; i < n; i++) {
		struct prefix p = rib_prefix(es[i]);

		export_check(b, vv, &p);
	}
	free(es);
	if (!vv->exporting)
		bgp_vpn_flush_peer(b, NULL, vv->id);
}

/*
 * The VRF's label: taken from the router's label space (shared with LDP)
 * while the VRF exports, its LFIB entry popping it into the VRF.
 */
static void
label_set(struct bgp *b, struct bgp_vpn_vrf *vv, bool on)
{
	char err[128];

	if (on && vv->label == 0) {
		vv->label = mpls_label_alloc(b->node, VPN_LABEL_MIN, VPN_LABEL_MAX, "BGP");
		if (vv->label != 0 && mpls_vpn_label_set(b->node, vv->label, vv->id, "BGP", err,
		                                         sizeof(err)) < 0) {
			log_warn("%s: bgp: VRF %s: label %u: %s", b->node->name,
			         node_vrf_name(b->node, vv->id), vv->label, err);
			mpls_label_free(b->node, vv->label);
			vv->label = 0;
		}
	} else if (!on && vv->label != 0) {
		mpls_vpn_label_del(b->node, vv->label);
		mpls_label_free(b->node, vv->label);
		vv->label = 0;
	}
}

static void
export_set(struct bgp *b, struct bgp_vpn_vrf *vv, bool on)
{
	vv->exporting = on;
	label_set(b, vv, on);
	export_all(b, vv);
}

int
bgp_vpn_originate(struct bgp *b, uint16_t vrf, bool on, char *err, size_t errlen)
{
	struct bgp_vpn_vrf *vv = b->vpn != NULL ? vrf_of(b, vrf) : NULL;

	if (vv == NULL) {
		snprintf(err, errlen, "BGP has no VPN-IPv4 on this router (no neighbor with families: [vpnv4])");
		return -1;
	}
	if (!node_vrf(b, vrf)->has_rd) {
		snprintf(err, errlen, "VRF %s has no rd: its routes cannot be exported", node_vrf_name(b->node, vrf));
		return -1;
	}
	if (on && vv->redist == &vv->originate_redist && vv->exporting)
		return 0;
	if (on && !vv->exporting) {
		/* As `redistribute: [connected, static]` under the VRF. */
		memset(&vv->originate_redist, 0, sizeof(vv->originate_redist));
		vv->originate_redist.any = true;
		vv->originate_redist.src[proto_id(proto_find("connected"))].on = true;
		vv->originate_redist.src[proto_id(proto_find("static"))].on = true;
		vv->redist = &vv->originate_redist;
	}
	if (on != vv->exporting)
		export_set(b, vv, on);
	return 0;
}

/* ---- import ---- */

/* The route into the VRF's RIB for path p (false: its next hop does not resolve). */
static bool
import_route(const struct bgp *b, uint16_t vrf, const struct bgp_vpn_path *p, struct route *r)
{
	const struct nht_res *res = bgp_vpn_nh_res(b, p);
	struct rib *rib = node_rib(b->node, vrf);

	if (res == NULL || !res->reachable)
		return false;
	*r = (struct route){.src = &bgp_src_vpn, .code = "B", .distance = BGP_DISTANCE_IBGP};
	r->metric = (p->attr->has & BGP_HAS_MED) ? p->attr->med : 0;
	for (unsigned i = 0; i < res->n && r->nnh < RIB_MAX_NH; i++) {
		const struct label_stack *st = rib_labels(b->node->rib, res->nh[i].labels);
		uint32_t labels[LABEL_STACK_MAX];
		int n = 0;

		for (int j = 0; st != NULL && j < st->n && n < LABEL_STACK_MAX - 1; j++)
			labels[n++] = st->label[j];
		labels[n++] = p->label; /* the VPN label, at the bottom */
		r->nh[r->nnh] = res->nh[i];
		r->nh[r->nnh].labels = rib_labels_intern(rib, labels, n);
		r->nnh++;
	}
	return r->nnh > 0;
}

/*
 * The VRF's BGP instance, if it has CEs, holds the imported route as a path
 * of its own (BGP_KIND_IMPORT), which it advertises to them: the VPN
 * route's attributes, from this router (NULL: withdrawn).
 */
static void
import_to_instance(struct bgp *b, uint16_t vrf, const struct prefix *pfx, const struct bgp_vpn_path *p)
{
	struct bgp *vi = bgp_vrf_instance(b, vrf);
	struct bgp_attr a;
	const struct bgp_attr *ia;

	if (vi == NULL || !vi->started)
		return;
	if (p == NULL) {
		bgp_path_update(vi, pfx, NULL, BGP_KIND_IMPORT, NULL);
		return;
	}
	a = *p->attr;
	a.weight = 0;
	a.has &= ~(BGP_HAS_ORIGINATOR | BGP_HAS_LOCAL_PREF);
	a.ncluster = 0;
	ia = bgp_attr_intern(&a);
	bgp_path_update(vi, pfx, NULL, BGP_KIND_IMPORT, ia);
	bgp_attr_unref(ia);
}

/*
 * The VRF selects again among the VPN routes to pfx (RFC 4364 4.3.3), after
 * a change of destination changed. When the VRF has no route to the prefix
 * yet, changed is the only candidate there can be (any other it imports
 * would be installed already), so the prefix's other RDs are not looked at:
 * a cold start imports each route at the cost of one.
 */
static void
import_prefix(struct bgp *b, struct bgp_vpn_vrf *vv, const struct prefix *pfx,
    const struct bgp_vpn_dest *changed)
{
	struct bgp_cand c[32];
	const struct bgp_vpn_dest *dests[32];
	size_t n = 0, best;
	struct route r;
	uint64_t pk = prefix_key(pfx);
	const struct bgp_vpn_dest *had = hmap_get(&vv->imported, pk);
	struct rib *rib = node_rib(b->node, vv->id);
	bool alone = had == NULL && changed != NULL;

	for (const struct bgp_vpn_dest *d = alone ? changed : hmap_get(&b->vpn->by_pfx, pk);
	     d != NULL && n < ARRAY_LEN(c); d = alone ? NULL : d->next_pfx) {
		if (!bgp_vpn_dest_imported_by(b, d, vv->id))
			continue;
		bgp_vpn_cand(b, d->best, &c[n]);
		dests[n++] = d;
	}
	best = bgp_select(c, n, &b->cfg.dec, NULL, NULL, NULL);
	if (best != (size_t)-1 && import_route(b, vv->id, dests[best]->best, &r)) {
		rib_add(rib, pfx, &r);
		hmap_put(&vv->imported, pk, (void *)dests[best]);
		import_to_instance(b, vv->id, pfx, dests[best]->best);
	} else if (had != NULL) {
		rib_del(rib, pfx, &bgp_src_vpn);
		hmap_del(&vv->imported, pk);
		import_to_instance(b, vv->id, pfx, NULL);
	}
}

const struct bgp_vpn_dest *
bgp_vpn_imported(const struct bgp *b, uint16_t vrf, const struct prefix *pfx)
{
	return hmap_get(&b->vpn->vrfs[vrf - 1].imported, prefix_key(pfx));
}

static void
imported_clear(struct hmap *m)
{
	hmap_free(m);
	hmap_init(m);
}

void
bgp_vpn_import(struct bgp *b, const struct bgp_vpn_dest *d, uint64_t mask)
{
	uint64_t pk = prefix_key(&d->pfx);

	for (size_t i = 0; i < b->vpn->nvrfs; i++) {
		struct bgp_vpn_vrf *vv = &b->vpn->vrfs[i];
		bool concerned = vv->id <= IMP_MASK_VRFS ? (mask >> (vv->id - 1) & 1) != 0 :
		    bgp_vpn_dest_imported_by(b, d, vv->id) || hmap_get(&vv->imported, pk) != NULL;

		if (vv->importing && concerned)
			import_prefix(b, vv, &d->pfx, d);
	}
}

/* ---- start and stop ---- */

static struct bgp_vrf_cfg *
vrf_cfg(const struct bgp *b, uint16_t id)
{
	for (size_t i = 0; i < b->cfg.nvrfs; i++)
		if (b->cfg.vrfs[i].id == id)
			return &b->cfg.vrfs[i];
	return NULL;
}

void
bgp_vpn_vrf_start(struct bgp *b)
{
	struct bgp_l3vpn *v = b->vpn;
	struct node *n = b->node;

	if (v->vrfs == NULL && n->nvrfs > 0) {
		v->nvrfs = n->nvrfs;
		v->vrfs = xcalloc(v->nvrfs, sizeof(*v->vrfs));
		for (size_t i = 0; i < v->nvrfs; i++) {
			struct bgp_vpn_vrf *vv = &v->vrfs[i];

			vv->bgp = b;
			vv->id = (uint16_t)(i + 1);
			hmap_init(&vv->imported);
			/* Watched once (there is no unwatch); the callback checks b->started. */
			rib_watch(n->vrfs[i].rib, vrf_rib_changed, vv);
		}
	}
	for (size_t i = 0; i < v->nvrfs; i++) {
		struct bgp_vpn_vrf *vv = &v->vrfs[i];
		const struct bgp_vrf_cfg *vc = vrf_cfg(b, vv->id);

		vv->importing = n->vrfs[i].import.n > 0;
		vv->redist = vc != NULL ? &vc->redist : NULL;
		if (vc != NULL)
			export_set(b, vv, true);
	}
}

void
bgp_vpn_vrf_destroy(struct bgp *b)
{
	for (size_t i = 0; i < b->vpn->nvrfs; i++) {
		imported_clear(&b->vpn->vrfs[i].imported);
		hmap_free(&b->vpn->vrfs[i].imported);
	}
	free(b->vpn->vrfs);
}

void
bgp_vpn_vrf_stop(struct bgp *b)
{
	struct bgp_l3vpn *v = b->vpn;

	for (size_t i = 0; v != NULL && i < v->nvrfs; i++) {
		struct bgp_vpn_vrf *vv = &v->vrfs[i];
		struct rib *rib = node_rib(b->node, vv->id);

		rib_flush(rib, &bgp_src_vpn);
		imported_clear(&vv->imported);
		vv->exporting = false;
		label_set(b, vv, false);
	}
}
