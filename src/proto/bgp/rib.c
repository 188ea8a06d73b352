/*
 * rib.c: the BGP table (RFC 4271 3.2, 9.1): per prefix, the paths learned
 * from each neighbor (the Adj-RIBs-In after import) and originated here;
 * the decision (decision.c) over them; the Loc-RIB offered to the node's
 * RIB as B routes (distance 20 for eBGP, 200 for iBGP, FRR's defaults).
 *
 * Next hops are tracked (nht.h), one tracker per address shared by every
 * path through it: a path whose next hop does not resolve is not a
 * candidate (9.1.2.1), and a change of the IGP re-runs the decision only for
 * the prefixes whose paths use a next hop that resolves differently.
 * Decisions are queued and run once per instant (a zero-delay timer), so a
 * thousand prefixes in one UPDATE, or a thousand next hops moving after an
 * SPF, cost one decision each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/slab.h"
#include "../../lib/util.h"
#include "../../net/events.h"
#include "../../net/nht.h"
#include "bgp.h"
#include "l3vpn.h"

/* The sizes a full table is counted in (bgp.h); `show bgp summary` prints the destination's. */
_Static_assert(sizeof(struct bgp_path) == 24, "struct bgp_path grew");
_Static_assert(sizeof(struct bgp_dest) == 32, "struct bgp_dest changed size");

const struct rib_src bgp_src_ebgp = {"bgp", BGP_DISTANCE_EBGP, false};
const struct rib_src bgp_src_ibgp = {"bgp", BGP_DISTANCE_IBGP, false};

/*
 * A tracked next hop and the paths through it: for each, its destination's
 * number (what a change of the next hop re-decides); the path knows its
 * place, p->nh_idx.
 */
struct bgp_nh {
	struct bgp *bgp;
	uint32_t addr;
	uint32_t id;       /* its number in nh_slab */
	struct nht *h;
	uint32_t *dests;   /* destination numbers, one per path (a destination twice for two paths) */
	size_t n, cap;
};

/* The next hop a neighbor's path goes through (NULL: a local path, which has none). */
static inline struct bgp_nh *
nh_of(const struct bgp *b, const struct bgp_path *p)
{
	return p->nbr != BGP_PEER_LOCAL ? hmap_get(&b->nhs, p->attr->nexthop) : NULL;
}

/* The destinations' table hashes prefix keys as hmap does: it walks them in the order the hmap did. */
static inline size_t
dest_hash(const struct prefix *pfx)
{
	return hmap_hash(prefix_key(pfx));
}

static size_t
dest_home(const void *b, uint32_t id)
{
	return dest_hash(&((const struct bgp_dest *)slab_at(&((const struct bgp *)b)->dest_slab, id))->pfx);
}

/* The destination of pfx and its number (*id), created if asked; NULL if none. */
static struct bgp_dest *
dest_find(struct bgp *b, const struct prefix *pfx, bool create, uint32_t *id)
{
	const struct idtab *t = &b->dests;
	size_t h = dest_hash(pfx);
	struct bgp_dest *d;
	uint32_t v;

	for (size_t i = idtab_first(t, h); (v = idtab_find(t, &i, h)) != 0; i = idtab_step(t, i)) {
		d = slab_at(&b->dest_slab, v - 1);
		if (d->pfx.addr == pfx->addr && d->pfx.len == pfx->len) {
			*id = v - 1;
			return d;
		}
	}
	if (!create)
		return NULL;
	d = slab_alloc_id(&b->dest_slab, id);
	d->pfx = *pfx;
	idtab_put(&b->dests, *id, h, dest_home, b);
	return d;
}

struct bgp_dest *
bgp_dest_get(struct bgp *b, const struct prefix *pfx, bool create)
{
	uint32_t id;

	return dest_find(b, pfx, create, &id);
}

/* Destination number id. */
static inline struct bgp_dest *
dest_at(const struct bgp *b, uint32_t id)
{
	return slab_at(&b->dest_slab, id);
}

static void
dest_free(struct bgp *b, uint32_t id)
{
	idtab_del(&b->dests, id, dest_home, b);
	slab_free_id(&b->dest_slab, id);
}

/* The decision queue's room kept between runs (numbers). */
#define QUEUE_KEEP 4096

/* Destination number id waits for the decision. */
static void
queue(struct bgp *b, uint32_t id)
{
	struct bgp_dest *d = dest_at(b, id);

	if (d->queued)
		return;
	d->queued = true;
	if (b->nqueue == b->qcap) {
		b->qcap = b->qcap ? b->qcap * 2 : 64;
		b->queue = xrealloc(b->queue, b->qcap * sizeof(*b->queue));
	}
	b->queue[b->nqueue++] = id;
	if (!timer_pending(&b->decide_t))
		timer_set(&b->decide_t, 0);
}

/* ---- next hops ---- */

static void
nh_changed(struct node *n UNUSED, struct nht *h UNUSED, void *arg)
{
	struct bgp_nh *nh = arg;

	for (size_t i = 0; i < nh->n; i++)
		queue(nh->bgp, nh->dests[i]);
}

/* A neighbor's path p, of destination number dest, goes through its NEXT_HOP. */
static void
nh_attach(struct bgp *b, struct bgp_path *p, uint32_t dest)
{
	uint32_t addr = p->attr->nexthop;
	struct bgp_nh *nh = hmap_get(&b->nhs, addr);

	if (nh == NULL) {
		uint32_t nid;

		nh = slab_alloc_id(&b->nh_slab, &nid);
		nh->bgp = b;
		nh->addr = addr;
		nh->id = nid;
		hmap_put(&b->nhs, addr, nh);
		nh->h = nht_track_vrf(b->node, b->vrf, addr, 0, nh_changed, nh);
	}
	if (nh->n == nh->cap) {
		nh->cap = nh->cap ? nh->cap * 2 : 8;
		nh->dests = xrealloc(nh->dests, nh->cap * sizeof(*nh->dests));
	}
	p->nh_idx = (uint32_t)nh->n;
	nh->dests[nh->n++] = dest;
}

static void
nh_free(struct bgp *b, struct bgp_nh *nh)
{
	nht_untrack(nh->h);
	free(nh->dests);
	slab_free_id(&b->nh_slab, nh->id);
}

/*
 * A neighbor's path p (still with the attributes it went in with) leaves
 * its next hop: the list's last entry takes its place, and the path that
 * entry stands for (the one of its destination through this next hop at
 * that place) learns its new place.
 */
static void
nh_detach(struct bgp *b, struct bgp_path *p)
{
	struct bgp_nh *nh = nh_of(b, p);
	uint32_t last;

	if (nh == NULL)
		return;
	last = (uint32_t)--nh->n;
	if (p->nh_idx != last) {
		struct bgp_path *q = bgp_dest_paths(b, dest_at(b, nh->dests[last]));

		while (q->nbr == BGP_PEER_LOCAL || q->nh_idx != last || q->attr->nexthop != nh->addr)
			q = bgp_path_next(b, q);
		nh->dests[p->nh_idx] = nh->dests[last];
		q->nh_idx = p->nh_idx;
	}
	if (nh->n > 0)
		return;
	hmap_del(&b->nhs, nh->addr);
	nh_free(b, nh);
}

static const struct nht_res *
nh_res(const struct bgp *b, const struct bgp_path *p)
{
	return &nh_of(b, p)->h->res;
}

/* ---- paths ---- */

/* Path number id (p). */
static void
path_free(struct bgp *b, struct bgp_path *p, uint32_t id)
{
	nh_detach(b, p);
	bgp_attr_unref(p->attr);
	if (p->nbr == BGP_PEER_LOCAL)
		b->st.originated--;
	bgp_damp_forget(b, id);
	slab_free_id(&b->path_slab, id);
}

/* A new path, linked at *link: the end of its destination's list (arrival order). */
static struct bgp_path *
path_new(struct bgp *b, uint32_t *link, uint16_t nbr, uint8_t kind)
{
	uint32_t id;
	struct bgp_path *p = slab_alloc_id(&b->path_slab, &id);

	p->nbr = nbr;
	p->kind = kind;
	*link = id + 1;
	return p;
}

struct bgp_path *
bgp_path_new(struct bgp *b, struct bgp_dest *d, struct bgp_peer *peer, uint8_t kind)
{
	uint32_t *link = &d->first;

	while (*link != 0)
		link = &bgp_path_at(b, *link)->next;
	return path_new(b, link, bgp_peer_ix(b, peer), kind);
}

/*
 * Add, replace or (attr NULL) withdraw the path of (peer, kind) for pfx;
 * damp: a neighbor's UPDATE, which route flap damping may count (damp.c).
 */
static void
update(struct bgp *b, const struct prefix *pfx, struct bgp_peer *peer, uint8_t kind,
    const struct bgp_attr *attr, bool damp)
{
	uint32_t id, *link, ref;
	struct bgp_dest *d = dest_find(b, pfx, attr != NULL, &id);
	uint16_t nbr = bgp_peer_ix(b, peer);
	struct bgp_path *p = NULL;
	bool history, renh;

	if (d == NULL)
		return;
	for (link = &d->first; (ref = *link) != 0; link = &p->next) {
		p = bgp_path_at(b, ref);
		if (p->nbr == nbr && p->kind == kind)
			break;
	}
	if (ref == 0)
		p = NULL;
	history = p != NULL && (p->flags & BGP_PATH_HISTORY);
	if (attr == NULL) {
		if (p == NULL || (history && damp))
			return;
		if (!history && peer != NULL)
			peer->st.pfx_in--;
		if (damp && bgp_damp_withdraw(b, p, ref - 1, id)) {
			queue(b, id); /* it stays as history: no longer a candidate */
			return;
		}
		*link = p->next;
		if (d->best == ref)
			d->best = 0;
		path_free(b, p, ref - 1);
		queue(b, id);
		return;
	}
	if (p != NULL && p->attr == attr && !history) {
		p->flags &= (uint8_t)~BGP_PATH_STALE; /* refreshed after a graceful restart */
		return; /* the same route again: nothing changes */
	}
	/* Paths from neighbors resolve their NEXT_HOP; ours are here already. */
	renh = peer != NULL && (p == NULL || p->attr->nexthop != attr->nexthop);
	if (p == NULL) {
		p = path_new(b, link, nbr, kind);
		ref = *link;
		if (peer != NULL)
			peer->st.pfx_in++;
		else
			b->st.originated++;
	} else {
		if (renh)
			nh_detach(b, p); /* by the attributes it went in with */
		if (d->best == ref && !d->best_was) {
			hmap_put(&b->best_was, id, (void *)p->attr); /* its reference with it */
			d->best_was = true;
		} else {
			bgp_attr_unref(p->attr);
		}
		if (history) {
			p->flags &= (uint8_t)~BGP_PATH_HISTORY;
			peer->st.pfx_in++;
		}
		if (damp)
			bgp_damp_update(b, p, ref - 1, id, history);
	}
	p->attr = bgp_attr_ref(attr);
	p->flags &= (uint8_t)~BGP_PATH_STALE;
	p->since_s = (uint32_t)(node_now(b->node) / SIM_S);
	if (renh)
		nh_attach(b, p, id);
	queue(b, id);
}

void
bgp_path_update(struct bgp *b, const struct prefix *pfx, struct bgp_peer *peer, uint8_t kind,
    const struct bgp_attr *attr)
{
	update(b, pfx, peer, kind, attr, false);
}

void
bgp_path_rx(struct bgp *b, const struct prefix *pfx, struct bgp_peer *peer,
    const struct bgp_attr *attr)
{
	update(b, pfx, peer, BGP_KIND_PEER, attr, true);
}

uint32_t
bgp_path_id(const struct bgp *b, const struct bgp_dest *d, const struct bgp_path *p)
{
	uint32_t ref;

	for (ref = d->first; bgp_path_at(b, ref) != p; ref = bgp_path_at(b, ref)->next)
		;
	return ref - 1;
}

void
bgp_path_drop(struct bgp *b, uint32_t dest, struct bgp_path *p)
{
	struct bgp_dest *d = dest_at(b, dest);
	uint32_t *link = &d->first, ref;

	while (bgp_path_at(b, *link) != p)
		link = &bgp_path_at(b, *link)->next;
	ref = *link;
	*link = p->next;
	if (d->best == ref)
		d->best = 0;
	path_free(b, p, ref - 1);
	queue(b, dest);
}

void
bgp_dest_requeue(struct bgp *b, uint32_t dest)
{
	queue(b, dest);
}

/*
 * Every path of peer: withdrawn (flush), marked stale, or withdrawn if
 * stale. The destinations are listed first: withdrawing may not change the
 * table while it is walked.
 */
enum peer_op { OP_FLUSH, OP_MARK_STALE, OP_PURGE_STALE };

static size_t
peer_paths(struct bgp *b, struct bgp_peer *peer, enum peer_op op)
{
	struct bgp_dest **ds, *d;
	size_t n = 0, done = 0;
	uint16_t nbr = bgp_peer_ix(b, peer);

	if (peer->st.pfx_in == 0 && b->damp.n == 0) /* history paths are not counted */
		return 0;
	ds = xmalloc((b->dests.n > 0 ? b->dests.n : 1) * sizeof(*ds));
	for (size_t i = 0; (d = bgp_dest_next(b, &i)) != NULL;)
		ds[n++] = d;
	for (size_t i = 0; i < n; i++) {
		struct bgp_path *p = bgp_dest_paths(b, ds[i]);

		while (p != NULL && (p->nbr != nbr || p->kind != BGP_KIND_PEER))
			p = bgp_path_next(b, p);
		if (p == NULL)
			continue;
		if (op == OP_MARK_STALE)
			p->flags |= BGP_PATH_STALE;
		else if (op == OP_FLUSH || (p->flags & BGP_PATH_STALE))
			bgp_path_update(b, &ds[i]->pfx, peer, BGP_KIND_PEER, NULL);
		else
			continue;
		done++;
	}
	free(ds);
	return done;
}

void
bgp_peer_flush(struct bgp *b, struct bgp_peer *peer)
{
	peer_paths(b, peer, OP_FLUSH);
}

size_t
bgp_peer_stale(struct bgp *b, struct bgp_peer *peer, bool mark)
{
	return peer_paths(b, peer, mark ? OP_MARK_STALE : OP_PURGE_STALE);
}

/* ---- the decision ---- */

static void
cand_of(const struct bgp *b, const struct bgp_path *p, struct bgp_cand *c)
{
	const struct bgp_peer *peer = bgp_path_peer(b, p);
	const struct bgp_nh *nh = nh_of(b, p);

	*c = (struct bgp_cand){.attr = p->attr, .valid = nh == NULL || nh->h->res.reachable};
	if (peer != NULL) {
		c->peer_addr = peer->cfg->ip;
		c->peer_id = peer->remote_id;
		c->peer_as = peer->cfg->remote_as;
		c->ebgp = peer->ebgp;
		c->igp_metric = nh->h->res.metric;
	} else if (p->kind == BGP_KIND_IMPORT) {
		/* A VPN route a VRF imported competes as the iBGP path it came as (from the far PE). */
		c->peer_as = b->cfg.as;
		c->peer_addr = c->peer_id = p->attr->nexthop;
	} else {
		c->peer_as = b->cfg.as;
		c->peer_id = b->router_id;
		c->local = true;
	}
}

/* The route offered to the node's RIB for d (false: none). */
static bool
rib_route(const struct bgp *b, const struct bgp_dest *d, struct route *r)
{
	const struct bgp_path *best = bgp_dest_best(b, d);

	if (best == NULL)
		return false;
	if (best->nbr == BGP_PEER_LOCAL) {
		/* Only an aggregate is installed (as a discard route, FRR's blackhole); networks are there already. */
		if (best->kind != BGP_KIND_AGGREGATE)
			return false;
		*r = (struct route){.src = &bgp_src_ibgp, .code = "B", .distance = BGP_DISTANCE_IBGP};
		return true;
	}
	*r = (struct route){.src = bgp_path_peer(b, best)->ebgp ? &bgp_src_ebgp : &bgp_src_ibgp, .code = "B"};
	r->distance = r->src->distance;
	r->metric = (best->attr->has & BGP_HAS_MED) ? best->attr->med : 0;
	r->tag = best->attr->tag;
	for (const struct bgp_path *p = bgp_dest_paths(b, d); p; p = bgp_path_next(b, p)) {
		const struct nht_res *res;

		if (!(p->flags & BGP_PATH_MULTIPATH) && p != best)
			continue;
		res = nh_res(b, p);
		for (unsigned i = 0; i < res->n && r->nnh < RIB_MAX_NH; i++) {
			unsigned j = r->nnh;

			while (j > 0 && nexthop_cmp(&r->nh[j - 1], &res->nh[i]) > 0) {
				r->nh[j] = r->nh[j - 1];
				j--;
			}
			if (j > 0 && nexthop_cmp(&r->nh[j - 1], &res->nh[i]) == 0) {
				memmove(&r->nh[j], &r->nh[j + 1], (r->nnh - j) * sizeof(r->nh[0]));
				continue;
			}
			r->nh[j] = res->nh[i];
			r->nnh++;
		}
	}
	return r->nnh > 0;
}

static uint64_t
route_digest(const struct route *r)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ (uintptr_t)r->src;

	h = (h ^ r->metric) * 0x100000001b3ULL;
	h = (h ^ r->tag) * 0x100000001b3ULL;
	for (unsigned i = 0; i < r->nnh; i++)
		h = (h ^ ((uint64_t)r->nh[i].labels << 48 | (uint64_t)r->nh[i].gw << 16 |
		          r->nh[i].ifindex)) * 0x100000001b3ULL; /* labels: an LSP to the next hop */
	return h | 1; /* 0: nothing offered */
}

static const struct rib_src *
rib_src_of(uint8_t kind)
{
	return kind == BGP_RIB_EBGP ? &bgp_src_ebgp : &bgp_src_ibgp;
}

static void
offer(struct bgp *b, struct bgp_dest *d)
{
	struct route r;
	uint64_t dig = rib_route(b, d, &r) ? route_digest(&r) : 0;

	if (dig == d->rib_digest)
		return;
	if (d->rib_kind != BGP_RIB_NONE && (dig == 0 || rib_src_of(d->rib_kind) != r.src))
		rib_del(bgp_rib(b), &d->pfx, rib_src_of(d->rib_kind));
	d->rib_kind = BGP_RIB_NONE;
	if (dig != 0) {
		rib_add(bgp_rib(b), &d->pfx, &r);
		d->rib_kind = r.src == &bgp_src_ebgp ? BGP_RIB_EBGP : BGP_RIB_IBGP;
	}
	d->rib_digest = dig;
}

static void
post_best(struct bgp *b, const struct bgp_dest *d)
{
	const struct bgp_path *best = bgp_dest_best(b, d);
	struct node *n = b->node;
	char nh[16] = "none";

	if (!ev_wanted(n->net, EV_BESTPATH_CHANGE))
		return;
	if (best != NULL)
		snprintf(nh, sizeof(nh), "%s", best->nbr != BGP_PEER_LOCAL ? ip_str(best->attr->nexthop) : "local");
	ev_post(n->net, n, &(struct net_ev){.kind = EV_BESTPATH_CHANGE, .ifindex = -1, .link = -1,
	    .proto = "bgp", .pfx = d->pfx, .text = (char *)bgp_reason_str(d->why), .text2 = nh});
}

/* Destination number id (d). */
static void
decide(struct bgp *b, struct bgp_dest *d, uint32_t id)
{
	struct bgp_cand cbuf[32], *c = cbuf;
	uint32_t rbuf[32], *refs = rbuf;
	size_t n = 0, mbuf[32], *mp = mbuf, nmp = 0, best;
	uint32_t old = d->best;
	bool old_valid = d->best_valid;
	const struct bgp_attr *was = NULL;
	const struct bgp_path *bp;
	enum bgp_reason why;
	bool changed;

	b->st.decisions++;
	for (struct bgp_path *p = bgp_dest_paths(b, d); p; p = bgp_path_next(b, p))
		n++;
	if (n > ARRAY_LEN(cbuf)) { /* a prefix many neighbors send (a reflector's clients) */
		c = xmalloc(n * sizeof(*c));
		refs = xmalloc(n * sizeof(*refs));
		mp = xmalloc(n * sizeof(*mp));
	}
	n = 0;
	for (uint32_t ref = d->first; ref != 0; ref = bgp_path_at(b, ref)->next) {
		struct bgp_path *p = bgp_path_at(b, ref);

		p->flags &= (uint8_t) ~(BGP_PATH_BEST | BGP_PATH_MULTIPATH | BGP_PATH_VALID);
		cand_of(b, p, &c[n]);
		if (c[n].valid)
			p->flags |= BGP_PATH_VALID; /* the next hop resolves (shown as '*') */
		if (p->flags & (BGP_PATH_DAMPED | BGP_PATH_HISTORY))
			c[n].valid = false; /* flap damping: not a candidate (damp.c) */
		refs[n++] = ref;
	}
	best = bgp_select(c, n, &b->cfg.dec, &why, mp, &nmp);
	d->why = (uint8_t)why;
	d->best = best == (size_t)-1 ? 0 : refs[best];
	d->best_valid = d->best != 0;
	bp = bgp_dest_best(b, d);
	if (bp != NULL) {
		bgp_path_at(b, d->best)->flags |= BGP_PATH_BEST;
		for (size_t i = 1; i < nmp; i++)
			bgp_path_at(b, refs[mp[i]])->flags |= BGP_PATH_MULTIPATH;
	}
	if (c != cbuf) {
		free(c);
		free(refs);
		free(mp);
	}
	offer(b, d);
	/*
	 * A path replaced in place is the same path with other attributes:
	 * compare those too (what it had at the last decision, if they changed).
	 */
	if (d->best_was) {
		was = hmap_del(&b->best_was, id);
		d->best_was = false;
	}
	changed = d->best != old || d->best_valid != old_valid || (was != NULL && was != bp->attr);
	if (was != NULL)
		bgp_attr_unref(was);
	if (changed) {
		d->version = ++b->version;
		b->st.best_changes++;
		bgp_trace(b, "%s: best %s (%s)", prefix_str(&d->pfx), bp == NULL ? "none" :
		    bp->nbr != BGP_PEER_LOCAL ? ip_str(bgp_path_peer(b, bp)->cfg->ip) : "local", bgp_reason_str(d->why));
		post_best(b, d);
		bgp_aggr_dest_changed(b, d);
		bgp_out_dest_changed(b, d);
		if (b->parent != NULL)
			bgp_vpn_vrf_best_changed(b, &d->pfx); /* a CE's route: exported to VPN-IPv4 */
	}
}

static void
decide_fire(struct timer *t)
{
	struct bgp *b = t->arg;

	if (b->gr_deferring)
		return; /* a restarted speaker waits for its neighbors' End-of-RIBs (gr.c) */
	bgp_rib_run(b);
}

void
bgp_rib_run(struct bgp *b)
{
	timer_cancel(&b->decide_t);
	/* Aggregates recomputed after a batch queue their own decisions: until none is left. */
	do {
		for (size_t i = 0; i < b->nqueue; i++) {
			uint32_t id = b->queue[i];
			struct bgp_dest *d = dest_at(b, id);

			d->queued = false;
			decide(b, d, id);
			if (d->first == 0 && d->rib_digest == 0)
				dest_free(b, id);
		}
		b->nqueue = 0;
		bgp_aggr_run(b);
	} while (b->nqueue > 0);
	/*
	 * A full table queues every prefix at once, then a few at a time: a
	 * hundred routers keeping room for 100,000 numbers each would hold
	 * 50 MB for nothing.
	 */
	if (b->qcap > QUEUE_KEEP) {
		free(b->queue);
		b->queue = NULL;
		b->qcap = 0;
	}
}

void
bgp_rib_init(struct bgp *b)
{
	memset(&b->dests, 0, sizeof(b->dests));
	hmap_init(&b->nhs);
	hmap_init(&b->best_was);
	/* A table of a million prefixes: no allocation per prefix or path. */
	slab_init_ids(&b->dest_slab, sizeof(struct bgp_dest), 4096);
	slab_init_ids(&b->path_slab, sizeof(struct bgp_path), 4096);
	slab_init_ids(&b->nh_slab, sizeof(struct bgp_nh), 64);
	timer_init_new(&b->decide_t, &b->node->actor, decide_fire, b);
	bgp_damp_init(b);
}

/*
 * Forget the whole table (the protocol stops): paths, trackers, routes;
 * keep_routes leaves the B routes in the node's RIB for a graceful restart,
 * marked for rib_sync_end (gr.c removes those the new process does not
 * offer again).
 */
void
bgp_rib_flush(struct bgp *b, bool keep_routes)
{
	uint64_t k;
	uint32_t id;
	void *v;

	timer_cancel(&b->decide_t);
	bgp_damp_flush(b);
	for (size_t i = 0; hmap_next(&b->best_was, &i, &k, &v);)
		bgp_attr_unref(v);
	hmap_free(&b->best_was);
	hmap_init(&b->best_was);
	for (size_t i = 0; idtab_next(&b->dests, &i, &id);) {
		struct bgp_dest *d = dest_at(b, id);

		while (d->first != 0) {
			uint32_t ref = d->first;
			struct bgp_path *p = bgp_path_at(b, ref);

			d->first = p->next;
			path_free(b, p, ref - 1);
		}
		slab_free_id(&b->dest_slab, id);
	}
	idtab_free(&b->dests);
	hmap_free(&b->nhs);
	hmap_init(&b->nhs);
	free(b->queue);
	b->queue = NULL;
	b->nqueue = b->qcap = 0;
	if (keep_routes) {
		rib_sync_begin(bgp_rib(b), &bgp_src_ebgp);
		rib_sync_begin(bgp_rib(b), &bgp_src_ibgp);
	} else {
		rib_flush(bgp_rib(b), &bgp_src_ebgp);
		rib_flush(bgp_rib(b), &bgp_src_ibgp);
	}
}

bool
bgp_rib_busy(const struct bgp *b)
{
	return b->nqueue > 0;
}
