/*
 * vpn_table.c: the VPN-IPv4 table (RFC 4364 4.3, RFC 4760).
 *
 * A destination is a VPN-IPv4 prefix, (RD, IPv4 prefix): the same customer
 * prefix under two RDs is two destinations, so that two PEs' routes to one
 * multihomed site both reach every PE (4.3.2). Each destination keeps its
 * paths, from VPN-IPv4 neighbors and from this router's VRFs, and the
 * decision of RFC 4271 9.1.2 (decision.c, the same steps as IPv4 unicast)
 * picks one, whose change goes to the neighbors (vpn_out.c) and to the VRFs
 * that import it (vpn_vrf.c).
 *
 * A neighbor's path is valid while its next hop resolves in the default
 * VRF (next-hop tracking, nht.h); a change of that resolution decides again
 * every destination with a path through it. VPN tables are a PE's customer
 * routes, not a full Internet table, so this walks the table rather than
 * keeping a list of paths per next hop as IPv4 unicast does (rib.c).
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/util.h"
#include "../../net/nht.h"
#include "l3vpn.h"

/*
 * The RD's number in the table (1-based), interned on first use; 0 when
 * absent and !create. The map is keyed by the RD's eight wire octets.
 */
static uint16_t
rd_ix(struct bgp_l3vpn *v, const struct bgp_rd *rd, bool create)
{
	uint8_t w[BGP_RD_LEN];
	uint64_t k;
	uintptr_t ix;

	bgp_rd_encode(rd, w);
	k = (uint64_t)get32(w) << 32 | get32(w + 4);
	if ((ix = (uintptr_t)hmap_get(&v->rd_ix, k)) != 0 || !create || v->nrds >= 0xffff)
		return (uint16_t)ix;
	v->rds = xrealloc(v->rds, (v->nrds + 1) * sizeof(*v->rds));
	v->rds[v->nrds++] = *rd;
	hmap_put(&v->rd_ix, k, (void *)(uintptr_t)v->nrds);
	return (uint16_t)v->nrds;
}

static uint64_t
vpn_key(uint16_t rd, const struct prefix *p)
{
	return (uint64_t)rd << 40 | prefix_key(p);
}

/* ---- next hops ---- */

static void queue(struct bgp *, struct bgp_vpn_dest *);

static void
nh_changed(struct node *n UNUSED, struct nht *h, void *arg)
{
	struct bgp_vpn_nh *nh = arg;
	struct bgp *b = nh->bgp;
	uint64_t k;
	void *val;

	for (size_t i = 0; hmap_next(&b->vpn->dests, &i, &k, &val);) {
		struct bgp_vpn_dest *d = val;

		for (const struct bgp_vpn_path *p = d->paths; p != NULL; p = p->next)
			if (p->nbr != BGP_PEER_LOCAL && p->attr->nexthop == h->addr) {
				queue(b, d);
				break;
			}
	}
}

static void
nh_ref(struct bgp *b, uint32_t addr)
{
	struct bgp_vpn_nh *nh = hmap_get(&b->vpn->nhs, addr);

	if (nh == NULL) {
		nh = xcalloc(1, sizeof(*nh));
		nh->bgp = b;
		hmap_put(&b->vpn->nhs, addr, nh);
		nh->h = nht_track(b->node, addr, 0, nh_changed, nh);
	}
	nh->refs++;
}

static void
nh_unref(struct bgp *b, uint32_t addr)
{
	struct bgp_vpn_nh *nh = hmap_get(&b->vpn->nhs, addr);

	if (nh == NULL || --nh->refs > 0)
		return;
	hmap_del(&b->vpn->nhs, addr);
	nht_untrack(nh->h);
	free(nh);
}

const struct nht_res *
bgp_vpn_nh_res(const struct bgp *b, const struct bgp_vpn_path *p)
{
	const struct bgp_vpn_nh *nh;

	if (p->nbr == BGP_PEER_LOCAL)
		return NULL;
	nh = hmap_get(&b->vpn->nhs, p->attr->nexthop);
	return nh != NULL ? &nh->h->res : NULL;
}

void
bgp_vpn_cand(const struct bgp *b, const struct bgp_vpn_path *p, struct bgp_cand *c)
{
	const struct bgp_peer *peer = p->nbr != BGP_PEER_LOCAL ? &b->peers[p->nbr] : NULL;
	const struct nht_res *res = bgp_vpn_nh_res(b, p);

	*c = (struct bgp_cand){.attr = p->attr, .valid = peer == NULL || (res && res->reachable)};
	if (peer != NULL) {
		c->peer_addr = peer->cfg->ip;
		c->peer_id = peer->remote_id;
		c->peer_as = peer->cfg->remote_as;
		c->ebgp = peer->ebgp;
		c->igp_metric = res ? res->metric : 0;
	} else {
		c->peer_as = b->cfg.as;
		c->peer_id = b->router_id;
		c->local = true;
	}
}

/* ---- destinations and paths ---- */

static struct bgp_vpn_dest *
dest_get(struct bgp *b, const struct bgp_rd *rd, const struct prefix *pfx, bool create)
{
	struct bgp_l3vpn *v = b->vpn;
	uint16_t ix = rd_ix(v, rd, create);
	struct bgp_vpn_dest *d;
	uint64_t k;

	if (ix == 0)
		return NULL;
	k = vpn_key(ix, pfx);
	if ((d = hmap_get(&v->dests, k)) != NULL || !create)
		return d;
	d = xcalloc(1, sizeof(*d));
	d->key = k;
	d->rd = *rd;
	d->pfx = *pfx;
	d->next_pfx = hmap_get(&v->by_pfx, prefix_key(pfx));
	hmap_put(&v->by_pfx, prefix_key(pfx), d);
	hmap_put(&v->dests, k, d);
	return d;
}

struct bgp_vpn_dest *
bgp_vpn_dest_find(const struct bgp *b, const struct bgp_rd *rd, const struct prefix *pfx)
{
	return b->vpn != NULL ? dest_get((struct bgp *)b, rd, pfx, false) : NULL;
}

static void
dest_free(struct bgp *b, struct bgp_vpn_dest *d)
{
	struct bgp_l3vpn *v = b->vpn;
	uint64_t pk = prefix_key(&d->pfx);
	struct bgp_vpn_dest *first = hmap_get(&v->by_pfx, pk);

	if (first == d) {
		if (d->next_pfx != NULL)
			hmap_put(&v->by_pfx, pk, d->next_pfx);
		else
			hmap_del(&v->by_pfx, pk);
	} else {
		while (first->next_pfx != d)
			first = first->next_pfx;
		first->next_pfx = d->next_pfx;
	}
	hmap_del(&v->dests, d->key);
	free(d);
}

static void
path_free(struct bgp *b, struct bgp_vpn_path *p)
{
	if (p->nbr != BGP_PEER_LOCAL)
		nh_unref(b, p->attr->nexthop);
	bgp_attr_unref(p->attr);
	free(p);
}

static void
queue(struct bgp *b, struct bgp_vpn_dest *d)
{
	struct bgp_l3vpn *v = b->vpn;

	if (d->queued)
		return;
	d->queued = true;
	if (v->nqueue == v->qcap) {
		v->qcap = v->qcap ? v->qcap * 2 : 64;
		v->queue = xrealloc(v->queue, v->qcap * sizeof(*v->queue));
	}
	v->queue[v->nqueue++] = d;
	if (!timer_pending(&v->decide_t))
		timer_set(&v->decide_t, 0);
}

void
bgp_vpn_update(struct bgp *b, const struct bgp_vpn_route *r, struct bgp_peer *peer, uint16_t vrf,
    const struct bgp_attr *attr)
{
	uint16_t nbr = bgp_peer_ix(b, peer);
	struct bgp_vpn_dest *d = dest_get(b, &r->rd, &(struct prefix){r->pfx.addr, r->pfx.len},
	    attr != NULL);
	struct bgp_vpn_path **pp, *p;

	if (d == NULL)
		return;
	for (pp = &d->paths; (p = *pp) != NULL; pp = &p->next)
		if (p->nbr == nbr && (peer != NULL || p->vrf == vrf))
			break;
	if (attr == NULL) {
		if (p == NULL)
			return;
		*pp = p->next;
		if (peer != NULL)
			peer->vpn_pfx_in--;
		path_free(b, p);
		queue(b, d);
		return;
	}
	if (p == NULL) {
		p = xcalloc(1, sizeof(*p));
		p->nbr = nbr;
		p->vrf = vrf;
		*pp = p;
		if (peer != NULL)
			peer->vpn_pfx_in++;
	} else if (p->attr == attr && p->label == (r->nlabels ? r->labels[0] : 0)) {
		return; /* the same route again */
	} else {
		if (p->nbr != BGP_PEER_LOCAL)
			nh_unref(b, p->attr->nexthop);
		bgp_attr_unref(p->attr);
	}
	p->attr = bgp_attr_ref(attr);
	p->label = r->nlabels ? r->labels[0] : 0;
	p->since_s = (uint32_t)(node_now(b->node) / SIM_S);
	if (peer != NULL)
		nh_ref(b, attr->nexthop);
	queue(b, d);
}

void
bgp_vpn_flush_peer(struct bgp *b, struct bgp_peer *peer, uint16_t vrf)
{
	uint16_t nbr = bgp_peer_ix(b, peer);
	uint64_t k;
	void *val;

	if (b->vpn == NULL)
		return;
	for (size_t i = 0; hmap_next(&b->vpn->dests, &i, &k, &val);) {
		struct bgp_vpn_dest *d = val;

		for (struct bgp_vpn_path **pp = &d->paths, *p; (p = *pp) != NULL;) {
			if (p->nbr == nbr && (peer != NULL || p->vrf == vrf)) {
				*pp = p->next;
				path_free(b, p);
				queue(b, d);
			} else {
				pp = &p->next;
			}
		}
	}
	if (peer != NULL)
		peer->vpn_pfx_in = 0;
}

/* ---- the decision (RFC 4271 9.1.2, as for IPv4 unicast) ---- */

static void
decide(struct bgp *b, struct bgp_vpn_dest *d)
{
	struct bgp_cand cbuf[16], *c = cbuf;
	struct bgp_vpn_path *pbuf[16], **paths = pbuf;
	size_t n = 0, best;
	enum bgp_reason why;
	uint64_t was;

	for (struct bgp_vpn_path *p = d->paths; p != NULL; p = p->next)
		n++;
	if (n > ARRAY_LEN(cbuf)) {
		c = xmalloc(n * sizeof(*c));
		paths = xmalloc(n * sizeof(*paths));
	}
	n = 0;
	for (struct bgp_vpn_path *p = d->paths; p != NULL; p = p->next) {
		bgp_vpn_cand(b, p, &c[n]);
		p->flags = c[n].valid ? BGP_PATH_VALID : 0;
		paths[n++] = p;
	}
	best = bgp_select(c, n, &b->cfg.dec, &why, NULL, NULL);
	d->why = (uint8_t)why;
	d->best = best == (size_t)-1 ? NULL : paths[best];
	if (d->best != NULL)
		d->best->flags |= BGP_PATH_BEST;
	was = d->imp_mask;
	d->imp_mask = bgp_vpn_imp_mask(b, d);
	d->version = ++b->vpn->version;
	if (c != cbuf) {
		free(c);
		free(paths);
	}
	/* The neighbors and the importing VRFs compare with what they have: an unchanged best costs nothing. */
	bgp_vpn_out_changed(b, d);
	bgp_vpn_import(b, d, was | d->imp_mask);
}

static void
decide_fire(struct timer *t)
{
	struct bgp *b = t->arg;
	struct bgp_l3vpn *v = b->vpn;

	for (size_t i = 0; i < v->nqueue; i++) {
		struct bgp_vpn_dest *d = v->queue[i];

		d->queued = false;
		decide(b, d);
		if (d->paths == NULL)
			dest_free(b, d);
	}
	v->nqueue = 0;
}

bool
bgp_vpn_busy(const struct bgp *b)
{
	return b->vpn != NULL && (b->vpn->nqueue > 0 || bgp_vpn_out_busy(b));
}

/* ---- the whole table ---- */

static int
dest_cmp(const void *x, const void *y)
{
	const struct bgp_vpn_dest *a = *(struct bgp_vpn_dest *const *)x, *b = *(struct bgp_vpn_dest *const *)y;
	int c = bgp_rd_cmp(&a->rd, &b->rd);

	if (c != 0)
		return c;
	if (a->pfx.addr != b->pfx.addr)
		return a->pfx.addr < b->pfx.addr ? -1 : 1;
	return (int)a->pfx.len - (int)b->pfx.len;
}

struct bgp_vpn_dest **
bgp_vpn_sorted(const struct bgp *b, size_t *n)
{
	struct bgp_vpn_dest **v;
	uint64_t k;
	void *val;

	*n = 0;
	if (b->vpn == NULL)
		return xmalloc(sizeof(*v));
	v = xmalloc((b->vpn->dests.n + 1) * sizeof(*v));
	for (size_t i = 0; hmap_next(&b->vpn->dests, &i, &k, &val);)
		v[(*n)++] = val;
	qsort(v, *n, sizeof(*v), dest_cmp);
	return v;
}

bool
bgp_vpn_configured(const struct bgp *b)
{
	for (size_t i = 0; i < b->cfg.nnbrs; i++)
		if (b->cfg.nbrs[i].families & BGP_FAM_VPNV4)
			return true;
	return b->cfg.nvrfs > 0;
}

void
bgp_vpn_start(struct bgp *b)
{
	struct bgp_l3vpn *v;

	if (!bgp_vpn_configured(b))
		return;
	if (b->vpn == NULL) {
		v = b->vpn = xcalloc(1, sizeof(*v));
		hmap_init(&v->dests);
		hmap_init(&v->by_pfx);
		hmap_init(&v->nhs);
		hmap_init(&v->pending);
		hmap_init(&v->rd_ix);
		timer_init_new(&v->decide_t, &b->node->actor, decide_fire, b);
		bgp_vpn_out_init(b);
	}
	bgp_vpn_vrf_start(b);
}

/* Forget every path and destination (the protocol stops). */
void
bgp_vpn_stop(struct bgp *b)
{
	struct bgp_l3vpn *v = b->vpn;
	uint64_t k;
	void *val;

	if (v == NULL)
		return;
	bgp_vpn_out_free(b);
	bgp_vpn_vrf_stop(b);
	timer_cancel(&v->decide_t);
	for (size_t i = 0; hmap_next(&v->dests, &i, &k, &val);) {
		struct bgp_vpn_dest *d = val;

		while (d->paths != NULL) {
			struct bgp_vpn_path *p = d->paths;

			d->paths = p->next;
			path_free(b, p);
		}
		free(d);
	}
	hmap_free(&v->dests);
	hmap_init(&v->dests);
	hmap_free(&v->by_pfx);
	hmap_init(&v->by_pfx);
	free(v->queue);
	v->queue = NULL;
	v->nqueue = v->qcap = 0;
}

void
bgp_vpn_destroy(struct bgp *b)
{
	struct bgp_l3vpn *v = b->vpn;

	if (v == NULL)
		return;
	bgp_vpn_vrf_destroy(b);
	hmap_free(&v->dests);
	hmap_free(&v->by_pfx);
	hmap_free(&v->nhs);
	hmap_free(&v->pending);
	free(v->rds);
	hmap_free(&v->rd_ix);
	free(v);
	b->vpn = NULL;
}
