/*
 * vpn_out.c: VPN-IPv4 between PEs (RFC 4364 4.3, RFC 4760, RFC 8277).
 *
 * Receiving: an UPDATE's MP_REACH_NLRI and MP_UNREACH_NLRI of AFI 1 SAFI
 * 128 from a neighbor that negotiated the family; each route passes the
 * checks of IPv4 unicast (AS path and reflection loops, our own next hop:
 * adjin.c) or is treated as withdrawn. There is no import route map for
 * the family (route targets are the VRFs' filter).
 *
 * Sending: every VPN-IPv4 neighbor has an Adj-RIB-Out (destination key ->
 * attributes and label as advertised). A change of a destination's best path
 * marks it; a zero-delay timer then builds, per neighbor, what it gets by the
 * export rules of IPv4 unicast (out.c: iBGP split horizon, route reflection
 * with ORIGINATOR_ID and CLUSTER_LIST, LOCAL_PREF, our AS towards eBGP) and
 * sends the differences, routes with the same attributes packed into one
 * UPDATE. Our own routes carry our address as next hop (the session's local
 * address, RFC 4364 4.3.2) and our VRF's label; a reflected route keeps its
 * next hop and label. A route learned from a PE goes to no eBGP neighbor:
 * that would need a label of ours for it (inter-AS option B, RFC 4364 10),
 * which netsim does not allocate. No advertisement interval is applied.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "l3vpn.h"

/* What a neighbor was sent for a destination. */
struct bgp_vpn_adv {
	const struct bgp_attr *attr; /* interned; NEXT_HOP 0: the session's local address */
	uint32_t label;
};

/* One change to send: a destination's route, or its withdrawal (attr NULL). */
struct change {
	const struct bgp_vpn_dest *d; /* NULL: gone from the table (rd and pfx say which) */
	struct bgp_vpn_route r;
	const struct bgp_attr *attr;
};

/* ---- receiving ---- */

void
bgp_vpn_rx(struct bgp_peer *p, const struct bgp_update *u)
{
	struct bgp *b = p->bgp;
	struct bgp_vpn_route r;
	const char *why = NULL;
	const struct bgp_attr *ia = NULL;
	size_t off = 0;
	int rc;

	if (b->vpn == NULL || !(p->afs & BGP_FAM_VPNV4))
		return;
	while ((rc = bgp_vpn_nlri_next(u->vpn_unreach.p, u->vpn_unreach.len, &off, true, &r, &why)) > 0) {
		p->st.withdraw_in++;
		bgp_vpn_update(b, &r, p, 0, NULL);
	}
	if (u->vpn_reach.n == 0)
		return;
	if (u->action == BGP_UPD_OK) {
		struct bgp_attr a = u->attr;

		a.nexthop = u->vpn_reach.nexthop;
		a.has |= BGP_HAS_NEXT_HOP;
		a.weight = p->cfg->weight;
		if ((why = bgp_adjin_refuse(p, &a)) == NULL)
			ia = bgp_attr_intern(&a);
	} else {
		why = "treat-as-withdraw (RFC 7606)";
	}
	if (why != NULL) {
		bgp_trace(b, "%s: %zu VPN-IPv4 routes denied: %s", ip_str(p->cfg->ip), u->vpn_reach.n, why);
		p->denied_in += u->vpn_reach.n;
	}
	off = 0;
	while ((rc = bgp_vpn_nlri_next(u->vpn_reach.p, u->vpn_reach.len, &off, false, &r, &why)) > 0)
		bgp_vpn_update(b, &r, p, 0, ia);
	if (ia != NULL)
		bgp_attr_unref(ia);
}

/* ---- what a neighbor gets ---- */

/* The attributes p gets for d (interned, referenced) and *label, or NULL: nothing. */
static const struct bgp_attr *
export(const struct bgp *b, const struct bgp_peer *p, const struct bgp_vpn_dest *d, uint32_t *label)
{
	const struct bgp_vpn_path *best = d != NULL ? d->best : NULL;
	const struct bgp_peer *from;
	struct bgp_grpkey k;
	struct bgp_attr e;
	uint32_t cluster[256];
	uint8_t pre[BGP_SCRATCH];

	if (best == NULL)
		return NULL;
	from = best->nbr != BGP_PEER_LOCAL ? &b->peers[best->nbr] : NULL;
	if (from == p || (from != NULL && p->ebgp))
		return NULL; /* not back to its sender; a PE's route to eBGP needs a label of ours (option B) */
	k = bgp_grpkey_of(p);
	k.send_ext = true; /* the route targets are the route (RFC 4364 4.3.1) */
	if (!bgp_export_rules(b, &k, best->attr, from, &e, cluster))
		return NULL;
	*label = best->label;
	return bgp_export_finish(b, &k, &e, pre);
}

/* ---- sending ---- */

static int
change_cmp(const void *x, const void *y)
{
	const struct change *a = x, *b = y;
	uint64_t ha = a->attr ? a->attr->hash : 0, hb = b->attr ? b->attr->hash : 0;
	int c;

	if (ha != hb)
		return ha < hb ? -1 : 1;
	if ((c = bgp_rd_cmp(&a->r.rd, &b->r.rd)) != 0)
		return c;
	if (a->r.pfx.addr != b->r.pfx.addr)
		return a->r.pfx.addr < b->r.pfx.addr ? -1 : 1;
	return (int)a->r.pfx.len - (int)b->r.pfx.len;
}

/* Send changes (sorted: withdrawals first, then by attribute set) to p, packed. */
static void
send_changes(struct bgp_peer *p, struct change *c, size_t n)
{
	const struct bgp *b = p->bgp;
	struct bgp_codec_ctx ctx = {.as4 = p->as4, .ebgp = p->ebgp, .local_as = b->cfg.as, .vpnv4 = true};
	struct bgp_vpn_route rs[BGP_MAX_PFX / 4];
	uint8_t m[BGP_MAX_LEN];

	for (size_t i = 0; i < n;) {
		const struct bgp_attr *a = c[i].attr;
		size_t j = i, used, len;

		while (j < n && c[j].attr == a && j - i < ARRAY_LEN(rs)) {
			rs[j - i] = c[j].r;
			j++;
		}
		for (size_t k = 0; k < j - i; k += used) {
			len = bgp_vpn_update_encode(m, &ctx, a, a && a->nexthop ? a->nexthop : p->local_addr,
			    rs + k, j - i - k, a == NULL, &used);
			if (len == 0 || used == 0)
				return; /* attributes too long for a message: nothing can be sent */
			bgp_send_msg(p, m, len, BGP_UPDATE);
			p->bgp->st.updates_out++;
		}
		i = j;
	}
}

static void
adv_free(struct bgp_vpn_adv *adv)
{
	bgp_attr_unref(adv->attr);
	free(adv);
}

/* The route (rd, prefix) of a destination key, as the table names it. */
static bool
key_route(const struct bgp *b, uint64_t key, struct bgp_vpn_route *r)
{
	uint16_t ix = (uint16_t)(key >> 40);

	if (ix == 0 || ix > b->vpn->nrds)
		return false;
	*r = (struct bgp_vpn_route){.rd = b->vpn->rds[ix - 1],
	                            .pfx = {(uint32_t)(key >> 8), (uint8_t)key}};
	return true;
}

/* What p gets for the destinations keys[0..n) (NULL: gone) compared with what it has: sent. */
static void
sync_peer(struct bgp_peer *p, const uint64_t *keys, size_t n)
{
	struct bgp *b = p->bgp;
	struct change *c = xmalloc((n + 1) * sizeof(*c));
	size_t nc = 0;

	for (size_t i = 0; i < n; i++) {
		const struct bgp_vpn_dest *d = hmap_get(&b->vpn->dests, keys[i]);
		struct bgp_vpn_adv *had = hmap_get(p->vpn_out, keys[i]);
		uint32_t label = 0;
		const struct bgp_attr *a = export(b, p, d, &label);

		if (a == NULL && had == NULL)
			continue;
		if (a != NULL && had != NULL && had->attr == a && had->label == label) {
			bgp_attr_unref(a);
			continue;
		}
		if (!key_route(b, keys[i], &c[nc].r)) {
			if (a != NULL)
				bgp_attr_unref(a);
			continue;
		}
		c[nc].d = d;
		c[nc].attr = a;
		if (a != NULL) {
			c[nc].r.nlabels = 1;
			c[nc].r.labels[0] = label;
			if (had == NULL) {
				had = xcalloc(1, sizeof(*had));
				hmap_put(p->vpn_out, keys[i], had);
			} else {
				bgp_attr_unref(had->attr);
			}
			had->attr = bgp_attr_ref(a);
			had->label = label;
		} else {
			hmap_del(p->vpn_out, keys[i]);
			adv_free(had);
			p->st.withdraw_out++;
		}
		nc++;
	}
	qsort(c, nc, sizeof(*c), change_cmp);
	send_changes(p, c, nc);
	for (size_t i = 0; i < nc; i++)
		if (c[i].attr != NULL)
			bgp_attr_unref(c[i].attr);
	free(c);
}

static bool
vpn_peer(const struct bgp_peer *p)
{
	return p->est != NULL && p->vpn_out != NULL;
}

static void
out_fire(struct timer *t)
{
	struct bgp *b = t->arg;
	struct bgp_l3vpn *v = b->vpn;
	uint64_t *keys = xmalloc((v->pending.n + 1) * sizeof(*keys)), k;
	size_t n = 0;
	void *val;

	for (size_t i = 0; hmap_next(&v->pending, &i, &k, &val);)
		keys[n++] = k;
	hmap_free(&v->pending);
	hmap_init(&v->pending);
	for (size_t i = 0; i < b->npeers; i++)
		if (vpn_peer(&b->peers[i]))
			sync_peer(&b->peers[i], keys, n);
	free(keys);
}

void
bgp_vpn_out_init(struct bgp *b)
{
	timer_init_new(&b->vpn->out_t, &b->node->actor, out_fire, b);
}

void
bgp_vpn_out_changed(struct bgp *b, struct bgp_vpn_dest *d)
{
	struct bgp_l3vpn *v = b->vpn;

	hmap_put(&v->pending, d->key, (void *)1);
	if (!timer_pending(&v->out_t))
		timer_set(&v->out_t, 0);
}

/* The whole table to p (what it has is forgotten first), then End-of-RIB (RFC 4724 2). */
static void
dump(struct bgp_peer *p)
{
	struct bgp *b = p->bgp;
	struct bgp_codec_ctx ctx = {.as4 = p->as4, .local_as = b->cfg.as, .vpnv4 = true};
	uint8_t m[BGP_MAX_LEN];
	uint64_t *keys, k;
	size_t n = 0, used;
	void *val;

	keys = xmalloc((b->vpn->dests.n + 1) * sizeof(*keys));
	for (size_t i = 0; hmap_next(&b->vpn->dests, &i, &k, &val);)
		keys[n++] = k;
	sync_peer(p, keys, n);
	free(keys);
	bgp_send_msg(p, m, bgp_vpn_update_encode(m, &ctx, NULL, 0, NULL, 0, true, &used), BGP_UPDATE);
}

/* The session came up with VPN-IPv4. */
void
bgp_vpn_out_peer_up(struct bgp_peer *p)
{
	if (p->bgp->vpn == NULL || !(p->afs & BGP_FAM_VPNV4))
		return;
	p->vpn_out = xcalloc(1, sizeof(*p->vpn_out));
	hmap_init(p->vpn_out);
	dump(p);
}

/* A ROUTE-REFRESH for VPN-IPv4 (RFC 2918), or `clear bgp IP soft out`: everything again. */
void
bgp_vpn_out_resend(struct bgp_peer *p)
{
	uint64_t k;
	void *val;

	if (p->vpn_out == NULL || p->est == NULL)
		return;
	for (size_t i = 0; hmap_next(p->vpn_out, &i, &k, &val);)
		adv_free(val);
	hmap_free(p->vpn_out);
	hmap_init(p->vpn_out);
	dump(p);
}

void
bgp_vpn_out_peer_down(struct bgp_peer *p)
{
	uint64_t k;
	void *val;

	if (p->vpn_out == NULL)
		return;
	for (size_t i = 0; hmap_next(p->vpn_out, &i, &k, &val);)
		adv_free(val);
	hmap_free(p->vpn_out);
	free(p->vpn_out);
	p->vpn_out = NULL;
}

size_t
bgp_vpn_out_count(const struct bgp_peer *p)
{
	return p->vpn_out != NULL ? p->vpn_out->n : 0;
}

bool
bgp_vpn_out_busy(const struct bgp *b)
{
	return b->vpn->pending.n > 0;
}

void
bgp_vpn_out_free(struct bgp *b)
{
	if (b->vpn == NULL)
		return;
	for (size_t i = 0; i < b->npeers; i++)
		bgp_vpn_out_peer_down(&b->peers[i]);
	timer_cancel(&b->vpn->out_t);
	hmap_free(&b->vpn->pending);
	hmap_init(&b->vpn->pending);
}
