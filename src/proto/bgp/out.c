/*
 * out.c: what a router advertises (RFC 4271 9.1.3, 9.2; RFC 4456 8;
 * RFC 1997), built once per update group.
 *
 * Neighbors whose outbound treatment is the same (eBGP or iBGP, route
 * reflector client, next-hop-self, what communities they get, 4-octet AS,
 * MRAI: struct bgp_grpkey) get the same routes with the same attributes,
 * so they share one Adj-RIB-Out and one encoding of every UPDATE, as FRR's
 * update groups do. The one thing that differs between members is the
 * NEXT_HOP when it is our own address (every eBGP route, and locally
 * originated or next-hop-self routes over iBGP): the message is encoded
 * with 0.0.0.0 and each member's copy gets its session's local address.
 *
 * Export rules, per prefix, from the best path:
 *   - NO_ADVERTISE goes to nobody, NO_EXPORT and NO_EXPORT_SUBCONFED to no
 *     eBGP neighbor (RFC 1997);
 *   - a route from an iBGP neighbor goes to eBGP neighbors, and to iBGP
 *     neighbors only by reflection: from a client to every client (with
 *     client_to_client) and non-client, from a non-client to clients
 *     (RFC 4456 8), adding ORIGINATOR_ID and our cluster ID;
 *   - to eBGP: our AS prepended, NEXT_HOP ourselves, no LOCAL_PREF, and no
 *     MED unless the route is ours (RFC 4271 5.1.4: a MED received from a
 *     neighboring AS is not passed to another), no ORIGINATOR_ID or
 *     CLUSTER_LIST; to iBGP: LOCAL_PREF (100 when the path had none),
 *     NEXT_HOP unchanged unless next_hop_self or the route is ours.
 *
 * Changes wait in the group's pending set; a zero-delay timer sends them
 * once the instant's decisions are made, and then, for a group with an
 * advertisement interval, holds the next batch until it has passed (9.2.1.1,
 * jittered to 75-100% as RFC 4271 suggests); withdrawals are not held. Routes with equal attributes
 * are packed into one UPDATE up to 4096 octets.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/rng.h"
#include "../../lib/util.h"
#include "../policy/policy.h"
#include "bgp.h"
#include "l3vpn.h"

struct bgp_grpkey
bgp_grpkey_of(const struct bgp_peer *p)
{
	const struct bgp_nbr_cfg *c = p->cfg;

	return (struct bgp_grpkey){
	    .ebgp = p->ebgp,
	    .rr_client = c->rr_client,
	    .next_hop_self = c->next_hop_self,
	    .send_community = c->send_community,
	    .send_ext = c->send_ext_community,
	    .as4 = p->as4,
	    .remove_private_as = c->remove_private_as,
	    .role = p->ebgp ? c->role : -1,
	    .mrai = c->mrai_set ? c->mrai : p->ebgp && !p->bgp->cfg.fast_timers ? BGP_MRAI_EBGP_DFLT :
	                                    BGP_MRAI_IBGP_DFLT,
	    .map_out = p->map_out,
	    /* A map that matches on the neighbor gives it a group of its own. */
	    .only = p->map_out != NULL && policy_map_matches_peer(p->bgp->node, p->map_out) ? c->ip : 0,
	};
}

static bool
key_eq(const struct bgp_grpkey *a, const struct bgp_grpkey *b)
{
	return a->ebgp == b->ebgp && a->rr_client == b->rr_client &&
	    a->next_hop_self == b->next_hop_self && a->send_community == b->send_community &&
	    a->send_ext == b->send_ext && a->as4 == b->as4 &&
	    a->remove_private_as == b->remove_private_as && a->mrai == b->mrai && a->role == b->role &&
	    a->only == b->only &&
	    (a->map_out == NULL ? b->map_out == NULL : b->map_out != NULL && strcmp(a->map_out, b->map_out) == 0);
}

/* ---- the export rules ---- */

static bool
has_comm(const struct bgp_attr *a, uint32_t c)
{
	for (size_t i = 0; i < a->ncomm; i++)
		if (a->comm[i] == c)
			return true;
	return false;
}

static bool
private_as(uint32_t as)
{
	return (as >= 64512 && as <= 65534) || (as >= 4200000000u && as <= 4294967294u);
}

/* Is every AS of the path private? (FRR's remove-private-AS strips the path only then.) */
static bool
all_private(const struct bgp_attr *a)
{
	for (size_t off = 0; off + 2 <= a->aspath_len; off += 2 + (size_t)a->aspath[off + 1] * 4)
		for (unsigned i = 0; i < a->aspath[off + 1]; i++)
			if (!private_as(get32(a->aspath + off + 2 + 4 * i)))
				return false;
	return true;
}

/*
 * The group's export route map over e (built by the export rules), before
 * our AS is prepended: false if it denies the route. e's arrays may then
 * point into r.
 */
static bool
export_policy(const struct bgp_upgrp *g, const struct bgp_path *best, const struct prefix *pfx,
    struct bgp_attr *e, struct policy_route *r)
{
	const struct bgp *b = g->bgp;
	bool deny_all;
	const struct policy_map *m = bgp_filter_map(g->members[0], true, &deny_all);
	uint32_t nh = e->nexthop;

	if (deny_all)
		return false;
	if (m == NULL)
		return true;
	bgp_filter_route(r, b, best, g->key.only != 0 ? g->members[0] : NULL, pfx, e);
	if (policy_apply(m, r) == POLICY_DENY)
		return false;
	e->tag = r->tag;
	if (r->nh_peer || r->nh_self)
		e->nexthop = 0; /* self, and peer-address on export: ours on each session */
	else if (r->nh_unchanged && nh == 0 && best->attr->nexthop != 0)
		e->nexthop = best->attr->nexthop;
	return true;
}

/*
 * The export rules for a route with attributes a learned from `from` (NULL:
 * ours) towards neighbors of key k, before any export map: false when it is
 * not advertised to them; else e holds what they get (NEXT_HOP 0: ourselves,
 * set per member), its CLUSTER_LIST in cluster (room for 256).
 */
bool
bgp_export_rules(const struct bgp *b, const struct bgp_grpkey *k, const struct bgp_attr *a,
    const struct bgp_peer *from, struct bgp_attr *e, uint32_t *cluster)
{
	bool reflect = false;

	if (has_comm(a, BGP_COMM_NO_ADVERTISE))
		return false;
	if (k->ebgp && (has_comm(a, BGP_COMM_NO_EXPORT) || has_comm(a, BGP_COMM_NO_EXPORT_SUBCONFED)))
		return false;
	if (from != NULL && !from->ebgp && !k->ebgp) {
		bool from_client = from->cfg->rr_client;

		if (!from_client && !k->rr_client)
			return false; /* iBGP split horizon */
		if (from_client && k->rr_client && !b->cfg.client_to_client)
			return false;
		reflect = true;
	}
	/* RFC 9234 5: a route marked Only to Customer goes to no provider, peer or route server. */
	if ((a->has & BGP_HAS_OTC) && (k->role == BGP_ROLE_CUSTOMER || k->role == BGP_ROLE_PEER ||
	                               k->role == BGP_ROLE_RS_CLIENT))
		return false;
	*e = *a;
	e->weight = 0;
	e->tag = 0;
	e->has |= BGP_HAS_NEXT_HOP;
	/* ... and one sent to a customer, peer or RS client is marked so, by us if nobody did. */
	if (!(e->has & BGP_HAS_OTC) && (k->role == BGP_ROLE_PROVIDER || k->role == BGP_ROLE_PEER ||
	                                k->role == BGP_ROLE_RS)) {
		e->has |= BGP_HAS_OTC;
		e->otc = b->cfg.as;
	}
	if (k->ebgp) {
		if (k->remove_private_as && all_private(a))
			e->aspath_len = 0;
		e->nexthop = 0; /* ourselves: set per member */
		e->has &= ~(BGP_HAS_LOCAL_PREF | BGP_HAS_ORIGINATOR);
		if (from != NULL)
			e->has &= ~BGP_HAS_MED;
		e->ncluster = 0;
		return true;
	}
	if (!(e->has & BGP_HAS_LOCAL_PREF)) {
		e->has |= BGP_HAS_LOCAL_PREF;
		e->local_pref = BGP_LOCAL_PREF_DFLT;
	}
	if (from == NULL || (k->next_hop_self && !reflect))
		e->nexthop = 0;
	if (reflect) {
		uint32_t id = b->cfg.cluster_id ? b->cfg.cluster_id : b->router_id;

		if (!(e->has & BGP_HAS_ORIGINATOR)) {
			e->has |= BGP_HAS_ORIGINATOR;
			e->originator_id = from->remote_id;
		}
		if (a->ncluster >= 256)
			return false;
		cluster[0] = id;
		if (a->ncluster > 0) /* none yet: no array */
			memcpy(cluster + 1, a->cluster, a->ncluster * sizeof(*cluster));
		e->cluster = cluster;
		e->ncluster = (uint16_t)(a->ncluster + 1);
	}
	return true;
}

/*
 * The last steps, after the export map: our AS prepended for eBGP (the
 * path is built in pre, BGP_SCRATCH octets), communities left out where the
 * neighbors do not get them. The interned set, or NULL: not advertised.
 */
const struct bgp_attr *
bgp_export_finish(const struct bgp *b, const struct bgp_grpkey *k, struct bgp_attr *e, uint8_t *pre)
{
	e->weight = 0;
	e->tag = 0;
	if (k->ebgp) {
		int n = bgp_aspath_prepend(e->aspath, e->aspath_len, b->cfg.as, 1, pre, BGP_SCRATCH);

		if (n < 0)
			return NULL; /* a path too long to extend: not advertised */
		e->aspath = pre;
		e->aspath_len = (uint16_t)n;
		e->has &= ~BGP_HAS_LOCAL_PREF; /* RFC 4271 5.1.5: never to eBGP, even set by a map */
	}
	if (!k->send_community) {
		e->ncomm = 0;
		e->nlcomm = 0;
	}
	if (!k->send_ext)
		e->necomm = 0;
	return bgp_attr_intern(e);
}

/* The attributes g's members get for d (interned, referenced), or NULL: withdraw. */
static const struct bgp_attr *
export(const struct bgp *b, const struct bgp_upgrp *g, const struct bgp_dest *d)
{
	const struct bgp_path *best = d != NULL ? bgp_dest_best(b, d) : NULL;
	struct bgp_attr e;
	struct policy_route r;
	uint8_t pre[BGP_SCRATCH];
	uint32_t cluster[256];

	if (best == NULL || d->suppressed)
		return NULL;
	if (!bgp_export_rules(b, &g->key, best->attr, bgp_path_peer(b, best), &e, cluster))
		return NULL;
	if (!export_policy(g, best, &d->pfx, &e, &r))
		return NULL;
	return bgp_export_finish(b, &g->key, &e, pre);
}

/*
 * Without an export map what a group sends depends on the best path's
 * attributes, its neighbor and its kind, not on the prefix: a full table
 * has far fewer attribute sets than prefixes, so the results are cached for
 * a flush (direct-mapped by the attribute set) instead of built and
 * interned for every prefix.
 */
#define EXPORT_CACHE 256

struct export_cache {
	bool on;
	struct {
		const struct bgp_attr *in, *out; /* out referenced by the cache */
		uint16_t from;            /* bgp_path.nbr */
		uint8_t kind;
	} e[EXPORT_CACHE];
};

static void
export_cache_init(struct export_cache *c, const struct bgp_upgrp *g)
{
	bool deny_all;

	c->on = bgp_filter_map(g->members[0], true, &deny_all) == NULL && !deny_all &&
	        g->members[0]->map_out == NULL;
	memset(c->e, 0, sizeof(c->e));
}

static void
export_cache_free(struct export_cache *c)
{
	for (size_t i = 0; c->on && i < EXPORT_CACHE; i++)
		if (c->e[i].out != NULL)
			bgp_attr_unref(c->e[i].out);
}

/* export() through the cache. */
static const struct bgp_attr *
export_cached(const struct bgp *b, const struct bgp_upgrp *g, const struct bgp_dest *d,
    struct export_cache *c)
{
	const struct bgp_path *best = d != NULL ? bgp_dest_best(b, d) : NULL;
	const struct bgp_attr *out;
	size_t i;

	if (!c->on || best == NULL || d->suppressed)
		return export(b, g, d);
	i = (size_t)(best->attr->hash ^ (best->attr->hash >> 17)) % EXPORT_CACHE;
	if (c->e[i].in == best->attr && c->e[i].from == best->nbr && c->e[i].kind == best->kind)
		return c->e[i].out != NULL ? bgp_attr_ref(c->e[i].out) : NULL;
	out = export(b, g, d);
	if (c->e[i].out != NULL)
		bgp_attr_unref(c->e[i].out);
	c->e[i].in = best->attr;
	c->e[i].from = best->nbr;
	c->e[i].kind = best->kind;
	c->e[i].out = out != NULL ? bgp_attr_ref(out) : NULL;
	return out;
}

/* ---- sending ---- */

/* Put nh into the NEXT_HOP attribute of an encoded UPDATE (RFC 4271 4.3). */
static void
patch_nexthop(uint8_t *m, size_t len, uint32_t nh)
{
	size_t off = BGP_HDR_LEN, end;

	if (len < off + 4)
		return;
	off += 2 + get16(m + off);
	end = off + 2 + get16(m + off);
	for (off += 2; off + 3 <= end && end <= len;) {
		uint8_t flags = m[off], type = m[off + 1];
		size_t alen = (flags & BGP_AF_EXTLEN) ? get16(m + off + 2) : m[off + 2];
		size_t hl = (flags & BGP_AF_EXTLEN) ? 4 : 3;

		if (type == BGP_ATTR_NEXT_HOP && alen == 4 && off + hl + 4 <= end) {
			put32(m + off + hl, nh);
			return;
		}
		off += hl + alen;
	}
}

static void
send_to(struct bgp_peer *p, uint8_t *m, size_t len, bool self_nh)
{
	if (self_nh)
		patch_nexthop(m, len, p->local_addr);
	bgp_send_msg(p, m, len, BGP_UPDATE);
}

struct adv {
	struct bgp_pfx pfx;
	const struct bgp_attr *attr; /* NULL: withdrawn */
};

static int
adv_cmp(const void *x, const void *y)
{
	const struct adv *a = x, *b = y;
	uint64_t ha = a->attr ? a->attr->hash : 0, hb = b->attr ? b->attr->hash : 0;

	if (ha != hb)
		return ha < hb ? -1 : 1;
	if (a->pfx.addr != b->pfx.addr)
		return a->pfx.addr < b->pfx.addr ? -1 : 1;
	return (int)a->pfx.len - (int)b->pfx.len;
}

/*
 * Send advs (sorted by adv_cmp) to the members in sync, or to `only`: runs
 * of equal attributes packed into as few UPDATEs as fit.
 */
static void
send_advs(struct bgp_upgrp *g, const struct adv *advs, size_t n, struct bgp_peer *only)
{
	struct bgp_codec_ctx ctx = {.as4 = g->key.as4, .ebgp = g->key.ebgp, .local_as = g->bgp->cfg.as};
	struct bgp_pfx *pfx = xmalloc((n > 0 ? n : 1) * sizeof(*pfx));
	uint8_t m[BGP_MAX_LEN];

	for (size_t i = 0; i < n;) {
		const struct bgp_attr *a = advs[i].attr;
		size_t run = 0, done = 0;

		while (i + run < n && advs[i + run].attr == a) {
			pfx[run] = advs[i + run].pfx;
			run++;
		}
		while (done < run) {
			size_t used = 0, len = bgp_update_encode(m, &ctx, a, pfx + done, run - done, a == NULL,
			    &used);
			bool self = a != NULL && a->nexthop == 0;

			if (used == 0)
				break; /* cannot happen: one prefix always fits */
			g->updates_built++;
			for (size_t k = 0; k < g->nmembers; k++) {
				struct bgp_peer *p = g->members[k];

				if (only != NULL ? p != only : !p->in_sync)
					continue;
				send_to(p, m, len, self);
				g->bgp->st.updates_out++;
				if (a == NULL)
					p->st.withdraw_out += used;
			}
			done += used;
		}
		i += run;
	}
	free(pfx);
}

/*
 * Send what changed among the pending prefixes. withdrawals_only: only the
 * prefixes that are no longer advertised, while the advertisement interval
 * holds the rest back (withdrawals are not held: RFC 1771 9.2.3.1, and what
 * FRR and Cisco do).
 */
static void
flush(struct bgp_upgrp *g, bool withdrawals_only)
{
	struct bgp *b = g->bgp;
	struct adv *advs = xmalloc((g->pending.n > 0 ? g->pending.n : 1) * sizeof(*advs));
	struct export_cache *cache = xmalloc(sizeof(*cache));
	size_t n = 0;
	uint64_t k;
	void *v;

	export_cache_init(cache, g);
	for (size_t i = 0; hmap_next(&g->pending, &i, &k, &v);) {
		struct prefix pfx = {(uint32_t)(k >> 8), (uint8_t)k};
		const struct bgp_attr *na = export_cached(b, g, bgp_dest_get(b, &pfx, false), cache);
		const struct bgp_attr *oa = hmap_get(&g->out, k);

		if (na == oa || (withdrawals_only && na != NULL)) {
			if (na != NULL)
				bgp_attr_unref(na);
			continue;
		}
		if (oa != NULL)
			bgp_attr_unref(oa);
		if (na != NULL)
			hmap_put(&g->out, k, (void *)na);
		else
			hmap_del(&g->out, k);
		advs[n++] = (struct adv){{pfx.addr, pfx.len}, na};
	}
	export_cache_free(cache);
	free(cache);
	if (withdrawals_only) {
		for (size_t i = 0; i < n; i++)
			hmap_del(&g->pending, ((uint64_t)advs[i].pfx.addr << 8) | advs[i].pfx.len);
	} else {
		hmap_free(&g->pending);
		hmap_init(&g->pending);
	}
	qsort(advs, n, sizeof(*advs), adv_cmp);
	send_advs(g, advs, n, NULL);
	free(advs);
	bgp_trace(b, "update group of %s: %zu %s sent to %zu members", ip_str(g->members[0]->cfg->ip),
	    n, withdrawals_only ? "withdrawals" : "changes", g->nmembers);
	for (size_t i = 0; i < g->nmembers; i++)
		if (g->members[i]->in_sync) {
			g->members[i]->tbl_version = b->version;
			g->members[i]->st.pfx_out = g->out.n;
		}
	if (n > 0 && g->key.mrai > 0 && !withdrawals_only) {
		/* RFC 4271 9.2.1.1: jittered to 75-100% of the interval. */
		sim_time j = (sim_time)rng_below(&b->node->rng, (uint64_t)g->key.mrai / 4 + 1);

		timer_set(&g->mrai_t, g->key.mrai - j);
	}
}

static void
mrai_fire(struct timer *t)
{
	struct bgp_upgrp *g = t->arg;

	if (g->pending.n > 0)
		flush(g, false);
}

static void
withdraw_fire(struct timer *t)
{
	struct bgp_upgrp *g = t->arg;

	if (g->pending.n > 0)
		flush(g, true);
}

static void
schedule(struct bgp_upgrp *g)
{
	if (!timer_pending(&g->mrai_t))
		timer_set(&g->mrai_t, 0);
	else if (!timer_pending(&g->wd_t))
		timer_set(&g->wd_t, 0); /* withdrawals go now, the rest at the interval's end */
}

/*
 * Can d's change matter to g? Not when its best path came from an iBGP
 * neighbor that is not a route-reflector client, g is an iBGP group of
 * non-clients (split horizon: nothing to send) and g advertises nothing for
 * the prefix (nothing to withdraw). On a route-reflector client that is
 * every route the reflectors send, so its group's pending set stays small.
 */
static bool
concerns(const struct bgp_upgrp *g, const struct bgp_dest *d, uint64_t k)
{
	const struct bgp_path *best = bgp_dest_best(g->bgp, d);
	const struct bgp_peer *from = best != NULL ? bgp_path_peer(g->bgp, best) : NULL;

	if (from != NULL && !from->ebgp && !from->cfg->rr_client &&
	    !g->key.ebgp && !g->key.rr_client)
		return hmap_get(&g->out, k) != NULL;
	return true;
}

void
bgp_out_dest_changed(struct bgp *b, struct bgp_dest *d)
{
	uint64_t k = prefix_key(&d->pfx);

	for (struct bgp_upgrp *g = b->groups; g; g = g->next) {
		if (!concerns(g, d, k)) {
			/* Nothing to send for it: members with nothing pending are up to date (TblVer). */
			for (size_t i = 0; g->pending.n == 0 && i < g->nmembers; i++)
				if (g->members[i]->in_sync)
					g->members[i]->tbl_version = b->version;
			continue;
		}
		hmap_put(&g->pending, k, (void *)1);
		schedule(g);
	}
}

/*
 * End-of-RIB (RFC 4724 2) after the initial table, as FRR sends it; a
 * restarted speaker holds it back until its deferred decision ran
 * (bgp_out_eor_all).
 */
static void
send_eor(struct bgp_peer *p)
{
	uint8_t m[BGP_HDR_LEN + 4];

	if (!bgp_gr_may_send_eor(p->bgp))
		return;
	if (bgp_send_msg(p, m, bgp_eor_encode(m), BGP_UPDATE))
		p->gr.eor_sent = p->gr.eor_after_update = true;
}

/* The group's whole Adj-RIB-Out to one member (it joined, or asked with ROUTE-REFRESH), then End-of-RIB. */
static void
dump(struct bgp_upgrp *g, struct bgp_peer *p, bool eor)
{
	struct adv *advs = xmalloc((g->out.n > 0 ? g->out.n : 1) * sizeof(*advs));
	size_t n = 0;
	uint64_t k;
	void *v;

	for (size_t i = 0; hmap_next(&g->out, &i, &k, &v);)
		advs[n++] = (struct adv){{(uint32_t)(k >> 8), (uint8_t)k}, v};
	qsort(advs, n, sizeof(*advs), adv_cmp);
	send_advs(g, advs, n, p);
	free(advs);
	if (eor)
		send_eor(p);
	p->tbl_version = g->bgp->version;
	p->st.pfx_out = g->out.n;
}

static struct bgp_upgrp *
group_new(struct bgp *b, const struct bgp_grpkey *key)
{
	struct bgp_upgrp *g = xcalloc(1, sizeof(*g)), **gp;

	g->bgp = b;
	g->key = *key;
	g->key.map_out = key->map_out != NULL ? xstrdup(key->map_out) : NULL;
	hmap_init(&g->out);
	hmap_init(&g->pending);
	timer_init_new(&g->mrai_t, &b->node->actor, mrai_fire, g);
	timer_init_new(&g->wd_t, &b->node->actor, withdraw_fire, g);
	/* Groups in a fixed order (creation order), so that sends are deterministic. */
	for (gp = &b->groups; *gp; gp = &(*gp)->next)
		;
	*gp = g;
	return g;
}

static void
group_free(struct bgp_upgrp *g)
{
	struct bgp_upgrp **gp;
	uint64_t k;
	void *v;

	for (gp = &g->bgp->groups; *gp != g; gp = &(*gp)->next)
		;
	*gp = g->next;
	for (size_t i = 0; hmap_next(&g->out, &i, &k, &v);)
		bgp_attr_unref(v);
	hmap_free(&g->out);
	hmap_free(&g->pending);
	timer_cancel(&g->mrai_t);
	timer_cancel(&g->wd_t);
	free(g->members);
	free((char *)g->key.map_out);
	free(g);
}

/* p joins the group of its key, and gets the group's table (with End-of-RIB when it is new). */
static void
join(struct bgp_peer *p, bool eor)
{
	struct bgp *b = p->bgp;
	struct bgp_grpkey key = bgp_grpkey_of(p);
	struct bgp_upgrp *g;
	struct bgp_dest *d;

	for (g = b->groups; g && !key_eq(&g->key, &key); g = g->next)
		;
	if (g == NULL)
		g = group_new(b, &key);
	if (g->nmembers == g->mcap) {
		g->mcap = g->mcap ? g->mcap * 2 : 4;
		g->members = xrealloc(g->members, g->mcap * sizeof(*g->members));
	}
	g->members[g->nmembers++] = p;
	p->grp = g;
	p->in_sync = true;
	eor = eor && b->feed == NULL; /* a feeder sends it after its table (feed.c) */
	if (g->nmembers > 1) {
		dump(g, p, eor);
		return;
	}
	/* The first member: the group's table is built from the whole BGP table now. */
	for (size_t i = 0; (d = bgp_dest_next(b, &i)) != NULL;)
		hmap_put(&g->pending, prefix_key(&d->pfx), (void *)1);
	timer_cancel(&g->mrai_t);
	flush(g, false);
	if (eor)
		send_eor(p);
}

/* p leaves its group (freed with its last member). */
static void
leave(struct bgp_peer *p)
{
	struct bgp_upgrp *g = p->grp;

	for (size_t i = 0; i < g->nmembers; i++)
		if (g->members[i] == p) {
			memmove(&g->members[i], &g->members[i + 1], (g->nmembers - i - 1) * sizeof(p));
			g->nmembers--;
			break;
		}
	p->grp = NULL;
	p->in_sync = false;
	if (g->nmembers == 0)
		group_free(g);
}

void
bgp_out_peer_up(struct bgp_peer *p)
{
	if (p->afs & BGP_FAM_IPV4)
		join(p, true);
}

void
bgp_out_peer_down(struct bgp_peer *p)
{
	if (p->grp != NULL)
		leave(p);
	free(p->outq);
	p->outq = NULL;
	p->outq_len = p->outq_cap = 0;
}

/*
 * p's export map changed (`neighbor IP route-map NAME out`): it moves to the
 * group of its new key, gets that group's table, and withdrawals for what it
 * had and no longer gets.
 */
void
bgp_out_regroup(struct bgp_peer *p)
{
	struct adv *gone;
	size_t n = 0, had;
	uint64_t k, *keys;
	void *v;

	if (p->grp == NULL)
		return; /* not established: the new key applies when it is */
	had = p->grp->out.n;
	keys = xmalloc((had > 0 ? had : 1) * sizeof(*keys));
	for (size_t i = 0; hmap_next(&p->grp->out, &i, &k, &v);)
		keys[n++] = k;
	leave(p);
	join(p, false);
	gone = xmalloc((n > 0 ? n : 1) * sizeof(*gone));
	had = n;
	n = 0;
	for (size_t i = 0; i < had; i++)
		if (hmap_get(&p->grp->out, keys[i]) == NULL)
			gone[n++] = (struct adv){{(uint32_t)(keys[i] >> 8), (uint8_t)keys[i]}, NULL};
	qsort(gone, n, sizeof(*gone), adv_cmp);
	send_advs(p->grp, gone, n, p);
	p->st.pfx_out = p->grp->out.n;
	free(gone);
	free(keys);
}

/* A policy object changed: every group whose export map uses it goes over its routes again. */
void
bgp_out_policy_changed(struct bgp *b, const char *kind, const char *name)
{
	/* A map that now matches on the neighbor, or no longer does, moves it to another group. */
	for (size_t i = 0; i < b->npeers; i++) {
		struct bgp_peer *p = &b->peers[i];
		struct bgp_grpkey k;

		if (p->grp == NULL || p->map_out == NULL)
			continue;
		k = bgp_grpkey_of(p);
		if (k.only != p->grp->key.only)
			bgp_out_regroup(p);
	}
	for (struct bgp_upgrp *g = b->groups; g; g = g->next) {
		struct bgp_dest *d;
		uint64_t k;
		void *v;

		if (g->key.map_out == NULL || !policy_map_refers(b->node, g->key.map_out, kind, name))
			continue;
		for (size_t i = 0; (d = bgp_dest_next(b, &i)) != NULL;)
			hmap_put(&g->pending, prefix_key(&d->pfx), (void *)1);
		for (size_t i = 0; hmap_next(&g->out, &i, &k, &v);)
			hmap_put(&g->pending, k, (void *)1);
		schedule(g);
	}
}

void
bgp_out_refresh(struct bgp_peer *p, const uint8_t *m, size_t len)
{
	uint16_t afi;
	uint8_t safi, subtype;

	if (bgp_route_refresh_decode(m, len, &afi, &safi, &subtype) < 0 || afi != BGP_AFI_IPV4)
		return;
	/* RFC 2918 4: an AFI/SAFI not negotiated is ignored. */
	if (safi == BGP_SAFI_UNICAST && p->grp != NULL)
		dump(p->grp, p, true);
	else if (safi == BGP_SAFI_MPLS_VPN)
		bgp_vpn_out_resend(p);
}

void
bgp_out_resend(struct bgp_peer *p)
{
	if (p->grp != NULL)
		dump(p->grp, p, true);
	bgp_vpn_out_resend(p);
}

size_t
bgp_out_count(const struct bgp_peer *p)
{
	return p->grp != NULL ? p->grp->out.n : 0;
}

bool
bgp_out_busy(const struct bgp *b)
{
	for (const struct bgp_upgrp *g = b->groups; g; g = g->next)
		if (g->pending.n > 0)
			return true;
	for (size_t i = 0; i < b->npeers; i++)
		if (b->peers[i].outq_len > 0)
			return true;
	return false;
}

void
bgp_out_eor_all(struct bgp *b)
{
	for (struct bgp_upgrp *g = b->groups; g; g = g->next) {
		timer_cancel(&g->mrai_t);
		if (g->pending.n > 0)
			flush(g, false);
		for (size_t i = 0; i < g->nmembers; i++)
			if (g->members[i]->in_sync)
				send_eor(g->members[i]);
	}
}

void
bgp_out_free(struct bgp *b)
{
	while (b->groups != NULL) {
		struct bgp_upgrp *g = b->groups;

		for (size_t i = 0; i < g->nmembers; i++)
			g->members[i]->grp = NULL;
		g->nmembers = 0;
		group_free(g);
	}
}
