/*
 * originate.c: a router's own LSPs (ISO 10589 7.3.7-7.3.9, RFC 1195 5.3,
 * RFC 5305, RFC 5302), and the pseudonode LSPs of the LANs it is DIS on
 * (7.3.8).
 *
 * Generation is throttled (backoff.h) and idempotent: the LSPs are rebuilt
 * from the router's state, split into fragments of at most lsp_mtu octets,
 * and a fragment is reissued (with the next sequence number) only when its
 * content changed. Fragments and pseudonode LSPs no longer produced are
 * purged. Every own LSP is refreshed before it could expire.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "isis.h"

#define MAX_FRAGS 256 /* LSP numbers 0 to 255 (ISO 10589 7.3.7) */

struct builder {
	struct isis *is;
	int level;
	struct isis_pdu *frag; /* fragments built so far */
	int n;
	uint8_t pn;           /* pseudonode ID (0: the router's own LSPs) */
};

static uint8_t
is_type(const struct isis *is)
{
	/* ISO 10589 9.8: 1 for a level 1 IS, 3 for a level 2 (or level 1-2) IS. */
	return isis_is_l2(is) ? 3 : 1;
}

static struct isis_pdu *
frag_new(struct builder *b)
{
	struct isis_pdu *pdu;
	const struct isis_key *k = &b->is->cfg.auth;

	b->frag = xrealloc(b->frag, (size_t)(b->n + 1) * sizeof(*b->frag));
	pdu = &b->frag[b->n];
	isis_pdu_init(pdu, b->level == ISIS_LEVEL1 ? ISIS_L1_LSP : ISIS_L2_LSP);
	memcpy(pdu->lspid.b, b->is->cfg.sysid, ISIS_SYSID_LEN);
	pdu->lspid.b[6] = b->pn;
	pdu->lspid.b[7] = (uint8_t)b->n;
	pdu->lsp_flags = is_type(b->is);
	if (b->pn == 0 && b->is->cfg.overload)
		pdu->lsp_flags |= ISIS_LSP_OL;
	if (b->pn == 0 && b->level == ISIS_LEVEL1 && b->is->lv[0].att)
		pdu->lsp_flags |= ISIS_LSP_ATT;
	isis_auth_tlv(pdu, k);
	b->n++;
	return pdu;
}

/* The fragment an entry of len octets of a TLV type goes into (a new one when full). */
static struct isis_pdu *
room(struct builder *b, enum isis_tlv_type type, size_t len)
{
	struct isis_pdu *pdu = &b->frag[b->n - 1];

	if (pdu->len + isis_add_cost(pdu, type, len) <= b->is->cfg.lsp_mtu || b->n == MAX_FRAGS)
		return pdu;
	return frag_new(b);
}

static void
add_is(struct builder *b, const uint8_t id[7], uint32_t metric)
{
	uint8_t style = b->is->cfg.style;

	if (style & ISIS_NARROW) {
		struct isis_is_reach r = {.metric = metric > ISIS_NARROW_MAX ? ISIS_NARROW_MAX : metric};

		memcpy(r.id, id, 7);
		r.m[0] = (uint8_t)r.metric;
		r.m[1] = r.m[2] = r.m[3] = 0x80; /* delay, expense, error: not supported */
		isis_add_is_reach(room(b, ISIS_TLV_IS_REACH, 11), ISIS_TLV_IS_REACH, &r);
	}
	if (style & ISIS_WIDE) {
		struct isis_is_reach r = {.metric = metric > ISIS_WIDE_MAX ? ISIS_WIDE_MAX : metric};

		memcpy(r.id, id, 7);
		isis_add_is_reach(room(b, ISIS_TLV_EXT_IS_REACH, 11), ISIS_TLV_EXT_IS_REACH, &r);
	}
}

uint32_t
isis_circ_adv_metric(const struct isis *is, const struct isis_circ *c)
{
	return proto_igp_hold(is->node, c->ifp) ? ISIS_WIDE_MAX : c->metric;
}

static void
add_ip(struct builder *b, uint32_t addr, uint8_t plen, uint32_t metric, bool down, bool external)
{
	uint8_t style = b->is->cfg.style;
	struct isis_ip_reach r = {.prefix = addr & ip_mask(plen), .plen = plen, .down = down};

	if (style & ISIS_NARROW) {
		enum isis_tlv_type t = external ? ISIS_TLV_IP_EXT : ISIS_TLV_IP_INT;

		r.metric = metric > ISIS_NARROW_MAX ? ISIS_NARROW_MAX : metric;
		r.m[0] = (uint8_t)(r.metric | (down ? 0x80 : 0));
		r.m[1] = r.m[2] = r.m[3] = 0x80;
		isis_add_ip_reach(room(b, t, 12), t, &r);
	}
	if (style & ISIS_WIDE) {
		r.metric = metric;
		memset(r.m, 0, sizeof(r.m));
		isis_add_ip_reach(room(b, ISIS_TLV_EXT_IP, isis_ip_reach_len(ISIS_TLV_EXT_IP, &r)),
		                  ISIS_TLV_EXT_IP, &r);
	}
}

/* Does our LSP of this level report the LAN's pseudonode (7.3.7: an Up adjacency to the DIS)? */
static bool
reports_pn(const struct isis_circ *c, int level)
{
	const struct isis_circ_level *lv = &c->lv[LV(level)];

	return lv->is_dis || isis_circ_adj(c, level, lv->lan_id) != NULL;
}

/* Is p the subnet of one of our IS-IS circuits (advertised as internal already)? */
static bool
on_circuit(const struct isis *is, const struct prefix *p)
{
	for (int i = 0; i < is->ncircs; i++) {
		struct prefix q = iface_prefix(is->circs[i]->ifp);

		if (is->circs[i]->up && q.addr == p->addr && q.len == p->len)
			return true;
	}
	return false;
}

/*
 * Routes of other sources the configuration takes in (`redistribute:`), as
 * external reachability (RFC 1195 5.3.4: TLV 130 with narrow metrics; TLV 135
 * with wide ones, RFC 5305 4), in every level the router runs.
 */
static void
redistributed(struct builder *b)
{
	const struct isis *is = b->is;
	struct rib_entry **v;
	size_t n;

	if (!redist_any(&is->cfg.redist))
		return;
	v = rib_sorted(is->node->rib, &n);
	for (size_t i = 0; i < n; i++) {
		const struct rib_path *best = rib_best(v[i]);
		const struct redist_rule *rd = redist_rule(&is->cfg.redist, best);
		struct prefix p = rib_prefix(v[i]);

		if (rd == NULL || !v[i]->installed || on_circuit(is, &p))
			continue;
		add_ip(b, p.addr, p.len, rd->metric, false, true);
	}
	free(v);
}

static void
build_own(struct builder *b)
{
	struct isis *is = b->is;
	int level = b->level;
	const struct isis_export *extra;

	frag_new(b);
	for (int i = 0; i < is->cfg.nareas; i++)
		isis_add_area(&b->frag[0], &is->cfg.areas[i]);
	isis_add_nlpid(&b->frag[0], ISIS_NLPID_IPV4);
	isis_add_hostname(&b->frag[0], is->cfg.hostname);
	for (int i = 0; i < is->ncircs; i++) {
		const struct isis_circ *c = is->circs[i];

		if (c->up)
			isis_add_addr(room(b, ISIS_TLV_IP_ADDR, 4), c->ifp->addr);
	}
	/* IS reachability: neighbors on point-to-point circuits, pseudonodes of LANs. */
	for (int i = 0; i < is->ncircs; i++) {
		const struct isis_circ *c = is->circs[i];

		if (!c->up || c->cfg.passive || !(c->levels & level))
			continue;
		if (c->cfg.p2p) {
			if (isis_circ_has_up(c, level)) {
				uint8_t id[7];

				memcpy(id, c->p2p->sysid, ISIS_SYSID_LEN);
				id[6] = 0;
				add_is(b, id, isis_circ_adv_metric(is, c));
			}
		} else if (reports_pn(c, level)) {
			add_is(b, c->lv[LV(level)].lan_id, isis_circ_adv_metric(is, c));
		}
	}
	/*
	 * IP reachability: the subnets of our circuits (RFC 1195 5.3.2), in every
	 * level we run (the circuit type limits adjacencies, not what we reach).
	 */
	for (int i = 0; i < is->ncircs; i++) {
		const struct isis_circ *c = is->circs[i];
		struct prefix p = iface_prefix(c->ifp);

		if (c->up)
			add_ip(b, p.addr, p.len, c->metric, false, false);
	}
	redistributed(b);
	/* Level 1 routes into level 2 (RFC 1195 3.2), level 2 ones leaked into level 1 (RFC 5302). */
	extra = isis_routes_for_level(is, level);
	for (int i = 0; i < extra->n; i++)
		add_ip(b, extra->v[i].addr, extra->v[i].plen, extra->v[i].metric, extra->v[i].down,
		       extra->v[i].external);
}

static void
build_pseudonode(struct builder *b, const struct isis_circ *c)
{
	const struct isis_circ_level *lv = &c->lv[LV(b->level)];
	uint8_t id[7];

	frag_new(b);
	/* ISO 10589 7.3.8: every IS the LAN reaches, at metric 0, ourselves included. */
	memcpy(id, b->is->cfg.sysid, ISIS_SYSID_LEN);
	id[6] = 0;
	add_is(b, id, 0);
	for (int i = 0; i < lv->nadj; i++)
		if (lv->adj[i]->state == ISIS_ADJ_UP) {
			memcpy(id, lv->adj[i]->sysid, ISIS_SYSID_LEN);
			add_is(b, id, 0);
		}
}

/* Same content (everything but sequence number, checksum and lifetime)? */
static bool
same_content(const struct isis_lsp *l, struct isis_pdu *pdu, const struct isis_key *k)
{
	uint8_t *buf;
	size_t len;
	bool same;

	if (l == NULL || !l->own || l->purged || l->blob->len != pdu->len)
		return false;
	pdu->seq = isis_lsp_seq(l);
	pdu->lifetime = 1;
	buf = xmalloc(pdu->len);
	len = isis_pdu_encode(pdu, buf, pdu->len, k->key, k->len);
	same = len == l->blob->len &&
	       memcmp(buf + ISIS_LSP_OFF_ID, l->blob->bytes + ISIS_LSP_OFF_ID,
	              len - ISIS_LSP_OFF_ID) == 0;
	free(buf);
	return same;
}

/* Issue pdu as a new instance of our LSP with sequence number seq, and flood it. */
static void
issue(struct isis *is, int level, struct isis_pdu *pdu, uint32_t seq)
{
	const struct isis_key *k = &is->cfg.auth;
	struct isis_lspdb *db = &is->lv[LV(level)].db;
	uint8_t *buf = xmalloc(pdu->len);
	size_t len;
	struct isis_lsp *l;
	char id[32];

	pdu->seq = seq;
	pdu->lifetime = is->cfg.max_lifetime;
	len = isis_pdu_encode(pdu, buf, pdu->len, k->key, k->len);
	l = isis_lspdb_install(db, isis_blob_own(buf, len), is->cfg.max_lifetime, true, -1);
	free(buf);
	isis_spf_schedule(is, level);
	is->st.lsp_gen++;
	isis_trace(is, "L%d: originate %s seq 0x%08x", level,
	           isis_lspid_str(isis_lsp_id(l), id, sizeof(id)), seq);
	isis_flood(is, level, l, NULL);
}

/*
 * Issue a new instance of fragment pdu whose current instance is l (NULL if
 * none). ISO 10589 7.3.16.1: sequence numbers only go up; at the top the LSP
 * cannot be reissued until it has aged out of every database.
 */
static void
renew(struct isis *is, int level, struct isis_pdu *pdu, const struct isis_lsp *l)
{
	uint32_t seq = l ? isis_lsp_seq(l) + 1 : 1;

	if (l && isis_lsp_seq(l) == UINT32_MAX) {
		isis_trace(is, "L%d: sequence number space of an LSP exhausted", level);
		return;
	}
	issue(is, level, pdu, seq);
}

static void
commit(struct isis *is, int level, struct builder *b)
{
	const struct isis_key *k = &is->cfg.auth;
	struct isis_lspdb *db = &is->lv[LV(level)].db;

	for (int i = 0; i < b->n; i++) {
		struct isis_pdu *pdu = &b->frag[i];
		struct isis_lsp *l = isis_lspdb_find(db, &pdu->lspid);

		if (!same_content(l, pdu, k))
			renew(is, level, pdu, l);
		isis_pdu_free(pdu);
	}
	free(b->frag);
	b->frag = NULL;
	b->n = 0;
}

/* Purge our LSPs that the last generation did not produce. */
static void
purge_stale(struct isis *is, int level, const uint16_t *frags)
{
	struct isis_lspdb *db = &is->lv[LV(level)].db;

	for (int i = 0; i < db->n; i++) {
		struct isis_lsp *l = isis_lspdb_at(db, i);

		if (l->purged || memcmp(isis_lsp_id(l)->b, is->cfg.sysid, ISIS_SYSID_LEN) != 0)
			continue;
		if (isis_lsp_id(l)->b[7] >= frags[isis_lsp_id(l)->b[6]])
			isis_lspdb_purge(db, l);
	}
}

void
isis_originate(struct isis *is, int level)
{
	struct builder b = {.is = is, .level = level};
	uint16_t frags[256] = {0}; /* fragments produced (up to 256), by pseudonode ID */

	if (!is->running || !(is->cfg.level & level))
		return;
	is->lv[LV(level)].originated = true;
	build_own(&b);
	frags[0] = (uint16_t)b.n;
	commit(is, level, &b);
	for (int i = 0; i < is->ncircs; i++) {
		const struct isis_circ *c = is->circs[i];

		if (!c->up || !isis_circ_lan(c) || !(c->levels & level) || !c->lv[LV(level)].is_dis)
			continue;
		b.pn = c->circ_id;
		build_pseudonode(&b, c);
		frags[c->circ_id] = (uint16_t)b.n;
		commit(is, level, &b);
	}
	purge_stale(is, level, frags);
	timer_set(&is->lv[LV(level)].refresh_t, (sim_time)is->cfg.refresh * SIM_S);
}

void
isis_gen_schedule(struct isis *is, int level)
{
	struct isis_level *lv = &is->lv[LV(level)];

	if (!is->running || !(is->cfg.level & level) || timer_pending(&lv->gen_t))
		return;
	timer_set(&lv->gen_t, backoff_delay(&lv->gen_bo, &is->cfg.lspgen, isis_now(is)));
}

void
isis_gen_fire(struct timer *t)
{
	struct isis_level *lv = t->arg;
	struct isis *is = lv->db.is;

	isis_originate(is, lv->db.level);
}

/* Reissue an own LSP as it is, with sequence number seq (refresh, or 7.3.16.1). */
static void
reissue(struct isis *is, int level, const struct isis_lsp *l, uint32_t seq)
{
	struct isis_pdu pdu;
	const char *err;

	if (isis_pdu_parse(&pdu, l->blob->bytes, l->blob->len, &err) < 0)
		return;
	issue(is, level, &pdu, seq);
	isis_pdu_free(&pdu);
}

/* ISO 10589 7.3.16.1: every own LSP gets a new instance before it could expire. */
void
isis_refresh_fire(struct timer *t)
{
	struct isis_level *lv = t->arg;
	struct isis *is = lv->db.is;
	struct isis_lspdb *db = &lv->db;

	for (int i = 0; i < db->n; i++) {
		struct isis_lsp *l = isis_lspdb_at(db, i);

		if (l->own && !l->purged && isis_lsp_seq(l) < UINT32_MAX &&
		    memcmp(isis_lsp_id(l)->b, is->cfg.sysid, ISIS_SYSID_LEN) == 0)
			reissue(is, db->level, l, isis_lsp_seq(l) + 1);
	}
	timer_set(t, (sim_time)is->cfg.refresh * SIM_S);
}

/*
 * ISO 10589 7.3.16.1: an LSP with our system ID arrived newer than ours (it
 * survived a restart of ours). If we still produce it, reissue it above the
 * received number; otherwise the caller purges it.
 */
void
isis_own_seen(struct isis *is, int level, const struct isis_lspid *id, uint32_t seq)
{
	struct isis_lsp *l = isis_lspdb_find(&is->lv[LV(level)].db, id);

	if (l == NULL || l->purged || !l->own || seq == UINT32_MAX)
		return;
	reissue(is, level, l, seq + 1);
}

void
isis_orig_forget(struct isis *is)
{
	for (int l = 0; l < ISIS_LEVELS; l++)
		timer_cancel(&is->lv[l].gen_t);
}
