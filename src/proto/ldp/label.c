/*
 * label.c: label distribution (RFC 5036 2.6, Appendix A) in the modes FRR
 * and Cisco use on links: downstream unsolicited (A.1.1: a binding goes to
 * every peer as soon as it exists), independent control (a router binds a
 * label to a FEC whether or not its next hop has), liberal retention
 * (every peer's label is kept, so a new next hop after an IGP change is
 * used at once).
 *
 * Which FECs: the prefixes the RIB selects from an IGP (OSPF, IS-IS) or
 * from the router's own connected networks, the /32s only unless `bind:
 * all` (the loopbacks: what LSPs between PEs need). Our own prefixes get
 * implicit null (3), or explicit null (0) with `explicit_null` (RFC 3032
 * 2.1); the others a label from the configured range, in the order they
 * appear (deterministic: the RIB's order of events is).
 *
 * The data plane, from the peers' labels: the RIB's labeler gives each
 * next hop of an IGP route the label of the peer that owns the next hop's
 * address (its Address messages) - what an ingress pushes (the FTN) - and
 * the LFIB swaps our label for that one, or pops it when the peer said
 * implicit null (penultimate hop popping).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/log.h"
#include "../../lib/util.h"
#include "../../net/mpls.h"
#include "../../net/rib.h"
#include "ldp.h"

enum bind_kind { BIND_NONE, BIND_EGRESS, BIND_TRANSIT };

static bool
src_is(const struct rib_src *s, const char *name)
{
	return s != NULL && strcmp(s->name, name) == 0;
}

static bool
src_is_igp(const struct rib_src *s)
{
	return s != NULL && s->igp;
}

const char *
ldp_label_str(uint32_t label, char *buf, size_t n)
{
	if (label == MPLS_LABEL_IMPLICIT_NULL)
		return "imp-null";
	if (label == MPLS_LABEL_EXPLICIT_NULL)
		return "exp-null";
	if (label == LDP_NO_LABEL)
		return "-";
	snprintf(buf, n, "%u", label);
	return buf;
}

static bool
real_label(uint32_t l)
{
	return l > MPLS_LABEL_RESERVED_MAX && l != LDP_NO_LABEL;
}

/* --- the FEC table ---------------------------------------------------------------------------- */

struct ldp_binding *
ldp_binding_find(const struct ldp *l, const struct prefix *p)
{
	return hmap_get(&l->fecs, prefix_key(p));
}

static struct ldp_binding *
fec_get(struct ldp *l, const struct prefix *p)
{
	struct ldp_binding *f = ldp_binding_find(l, p);

	if (f == NULL) {
		f = xcalloc(1, sizeof(*f));
		f->pfx = *p;
		f->local = LDP_NO_LABEL;
		hmap_put(&l->fecs, prefix_key(p), f);
	}
	return f;
}

/* A FEC with neither our binding nor a peer's goes. */
static void
fec_gc(struct ldp *l, struct ldp_binding *f)
{
	if (f->local != LDP_NO_LABEL || f->nrm > 0 || f->lfib)
		return;
	hmap_del(&l->fecs, prefix_key(&f->pfx));
	free(f->rm);
	free(f);
}

static int
fec_cmp(const void *a, const void *b)
{
	const struct ldp_binding *x = *(const struct ldp_binding *const *)a, *y = *(const struct ldp_binding *const *)b;

	if (x->pfx.addr != y->pfx.addr)
		return x->pfx.addr < y->pfx.addr ? -1 : 1;
	return (int)x->pfx.len - (int)y->pfx.len;
}

struct ldp_binding **
ldp_bindings_sorted(const struct ldp *l, size_t *n)
{
	struct ldp_binding **v = xmalloc((l->fecs.n + 1) * sizeof(*v));
	size_t pos = 0, k = 0;
	void *val;

	while (hmap_next(&l->fecs, &pos, NULL, &val))
		v[k++] = val;
	qsort(v, k, sizeof(*v), fec_cmp);
	*n = k;
	return v;
}

uint32_t
ldp_binding_remote(const struct ldp_binding *f, const struct ldp_nbr *nb)
{
	for (size_t i = 0; f != NULL && nb != NULL && i < f->nrm; i++)
		if (f->rm[i].nbr == nb)
			return f->rm[i].label;
	return LDP_NO_LABEL;
}

/* A FEC has a label from each of a few peers: the array grows one at a time (a million FECs in a big network). */
static void
rmap_set(struct ldp_binding *f, struct ldp_nbr *nb, uint32_t label)
{
	for (size_t i = 0; i < f->nrm; i++)
		if (f->rm[i].nbr == nb) {
			f->rm[i].label = label;
			return;
		}
	if (f->nrm == f->rmcap) {
		f->rmcap = (uint16_t)(f->rmcap + 1);
		f->rm = xrealloc(f->rm, f->rmcap * sizeof(*f->rm));
	}
	f->rm[f->nrm++] = (struct ldp_rmap){nb, label};
}

/* Forget nb's label for f; the label it had, or LDP_NO_LABEL. */
static uint32_t
rmap_del(struct ldp_binding *f, const struct ldp_nbr *nb)
{
	for (size_t i = 0; i < f->nrm; i++)
		if (f->rm[i].nbr == nb) {
			uint32_t label = f->rm[i].label;

			f->rm[i] = f->rm[--f->nrm];
			return label;
		}
	return LDP_NO_LABEL;
}

/* --- peers' addresses ------------------------------------------------------------------------- */

static size_t
addr_index(const struct ldp_nbr *nb, uint32_t a, bool *found)
{
	size_t lo = 0, hi = nb->naddrs;

	*found = false;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (nb->addrs[mid] == a) {
			*found = true;
			return mid;
		}
		if (nb->addrs[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct ldp_nbr *
ldp_nbr_by_addr(const struct ldp *l, uint32_t a)
{
	bool found;

	for (size_t i = 0; i < l->nnbr; i++) {
		const struct ldp_nbr *nb = l->nbrs[i];

		if (nb->state != LDP_OPERATIONAL)
			continue;
		addr_index(nb, a, &found);
		if (found)
			return l->nbrs[i];
	}
	return NULL;
}

static void
addr_add(struct ldp_nbr *nb, uint32_t a)
{
	bool found;
	size_t i = addr_index(nb, a, &found);

	if (found)
		return;
	grow_array((void **)&nb->addrs, &nb->addrcap, nb->naddrs + 1, sizeof(*nb->addrs));
	memmove(&nb->addrs[i + 1], &nb->addrs[i], (nb->naddrs - i) * sizeof(*nb->addrs));
	nb->addrs[i] = a;
	nb->naddrs++;
}

static void
addr_del(struct ldp_nbr *nb, uint32_t a)
{
	bool found;
	size_t i = addr_index(nb, a, &found);

	if (!found)
		return;
	memmove(&nb->addrs[i], &nb->addrs[i + 1], (nb->naddrs - i - 1) * sizeof(*nb->addrs));
	nb->naddrs--;
}

/* --- the data plane --------------------------------------------------------------------------- */

/* The FTN: each next hop of an IGP route gets its peer's label (none for implicit null). */
static void
labeler(struct rib *rib, const struct prefix *pfx, struct route *r, void *arg)
{
	const struct ldp *l = arg;
	const struct ldp_binding *f;

	if (!src_is_igp(r->src))
		return;
	f = ldp_binding_find(l, pfx);
	for (int i = 0; i < r->nnh; i++) {
		uint32_t label = f ? ldp_binding_remote(f, ldp_nbr_by_addr(l, r->nh[i].gw)) : LDP_NO_LABEL;

		r->nh[i].labels = 0;
		if (label != LDP_NO_LABEL && label != MPLS_LABEL_IMPLICIT_NULL)
			r->nh[i].labels = rib_labels_intern(rib, &label, 1);
	}
}

/* Taking LDP's labels off, as it stops. */
static void
unlabeler(struct rib *rib, const struct prefix *pfx, struct route *r, void *arg)
{
	(void)rib;
	(void)pfx;
	(void)arg;
	if (src_is_igp(r->src))
		for (int i = 0; i < r->nnh; i++)
			r->nh[i].labels = 0;
}

/*
 * The LFIB entries of our label for f: for each next hop of the IGP route,
 * swap to the label of the peer that owns it, or pop for its implicit null.
 * A next hop whose peer gave no label (no session with it yet, or it does
 * not run LDP) gets a pop too, the payload going on unlabelled (IOS's
 * "untagged"): we gave the label out (independent control), so what comes
 * with it is forwarded rather than dropped. Dropping it would let two
 * sessions deadlock, each one's TCP segments hashed onto the other's
 * missing LSP.
 */
static void
lfib_program(struct ldp *l, struct ldp_binding *f)
{
	struct node *n = l->node;
	const struct rib_entry *e = rib_lookup_exact(n->rib, &f->pfx);
	const struct rib_path *best = e != NULL && e->installed ? rib_best(e) : NULL;
	const struct nhg *g = best != NULL && src_is_igp(rib_path_src(best)) ?
	    rib_path_nhg(n->rib, best) : NULL;
	struct mpls_entry v[RIB_MAX_NH];
	int cnt = 0;
	char err[128];

	if (f->lfib && (f->lfib_label != f->local || !real_label(f->local)))
		mpls_lfib_del(n, f->lfib_label);
	f->lfib = false;
	if (!real_label(f->local))
		return;
	for (int i = 0; g != NULL && i < g->n; i++) {
		const struct nexthop *nh = &g->nh[i];
		uint32_t r = ldp_binding_remote(f, ldp_nbr_by_addr(l, nh->gw));
		struct mpls_entry *me = &v[cnt];

		if (nh->gw == 0)
			continue;
		*me = (struct mpls_entry){.in = f->local, .via = nh->gw, .owner = "LDP"};
		if (r == MPLS_LABEL_IMPLICIT_NULL || r == LDP_NO_LABEL) {
			me->action = MPLS_POP;
			me->untagged = r == LDP_NO_LABEL;
		} else {
			me->action = MPLS_SWAP;
			me->nout = 1;
			me->out[0] = r;
		}
		cnt++;
	}
	if (mpls_lfib_set(n, f->local, v, cnt, err, sizeof(err)) < 0)
		ldp_trace(l, "%s: LFIB entry refused: %s", prefix_str(&f->pfx), err);
	f->lfib = mpls_lfib_has(n, f->local);
	f->lfib_label = f->local;
}

/* Is nb the peer of a next hop of the IGP route the RIB selected for f? */
static bool
nb_is_nexthop(const struct ldp *l, const struct ldp_binding *f, const struct ldp_nbr *nb)
{
	const struct rib_entry *e = rib_lookup_exact(l->node->rib, &f->pfx);
	const struct rib_path *best = e != NULL && e->installed ? rib_best(e) : NULL;
	const struct nhg *g = best != NULL ? rib_path_nhg(l->node->rib, best) : NULL;

	if (g == NULL || !src_is_igp(rib_path_src(best)))
		return false;
	for (int i = 0; i < g->n; i++)
		if (ldp_nbr_by_addr(l, g->nh[i].gw) == nb)
			return true;
	return false;
}

/*
 * nb's label or addresses changed for f: the FTN and the LFIB follow, when
 * nb is one of f's next hops (liberal retention keeps the others' labels
 * for later, unused).
 */
static void
fec_refresh(struct ldp *l, struct ldp_binding *f, const struct ldp_nbr *nb)
{
	struct prefix p = f->pfx;

	if (nb_is_nexthop(l, f, nb)) {
		rib_relabel(l->node->rib, &p);
		if ((f = ldp_binding_find(l, &p)) == NULL)
			return;
		lfib_program(l, f);
	}
	fec_gc(l, f);
}

/* --- messages --------------------------------------------------------------------------------- */

static void
msg_fec(struct ldp_msg *m, uint16_t type, const struct prefix *p, uint32_t label)
{
	struct ldp_fec *fe;

	memset(m, 0, sizeof(*m));
	m->type = type;
	m->has = LDP_HAS_FEC;
	m->lbl.nfec = 1;
	fe = &m->lbl.fec[0];
	fe->type = LDP_FEC_PREFIX;
	fe->family = LDP_AF_IPV4;
	fe->plen = p->len;
	fe->addr[0] = (uint8_t)(p->addr >> 24);
	fe->addr[1] = (uint8_t)(p->addr >> 16);
	fe->addr[2] = (uint8_t)(p->addr >> 8);
	fe->addr[3] = (uint8_t)p->addr;
	if (label != LDP_NO_LABEL) {
		m->has |= LDP_HAS_LABEL;
		m->lbl.label = label;
	}
}

static void
send_label(struct ldp_nbr *nb, uint16_t type, const struct prefix *p, uint32_t label)
{
	struct ldp_msg m;

	msg_fec(&m, type, p, label);
	ldp_send(nb, &m);
}

/* A message to every operational session (sent when the current event is done). */
static void
send_all(struct ldp *l, uint16_t type, const struct prefix *p, uint32_t label)
{
	for (size_t i = 0; i < l->nnbr; i++)
		if (l->nbrs[i]->state == LDP_OPERATIONAL)
			send_label(l->nbrs[i], type, p, label);
}

/* --- our bindings ----------------------------------------------------------------------------- */

static enum bind_kind
bind_kind(const struct ldp *l, const struct prefix *p, const struct rib_path *best)
{
	const struct rib_src *s = best != NULL ? rib_path_src(best) : NULL;

	if (s == NULL || (!l->cfg.bind_all && p->len != 32))
		return BIND_NONE;
	if (src_is(s, "connected"))
		return BIND_EGRESS;
	return src_is_igp(s) && best->nhg != 0 ? BIND_TRANSIT : BIND_NONE;
}

/*
 * A free label of the range, or LDP_NO_LABEL when the range is used up:
 * from the node's label space (mpls.h), which BGP's VPN labels share.
 */
static uint32_t
label_alloc(struct ldp *l)
{
	uint32_t label = mpls_label_alloc(l->node, l->cfg.label_min, l->cfg.label_max, "LDP");

	return label != 0 ? label : LDP_NO_LABEL;
}

static void
local_set(struct ldp *l, struct ldp_binding *f, uint32_t label)
{
	if (real_label(f->local)) {
		hmap_del(&l->labels, f->local);
		mpls_label_free(l->node, f->local);
	}
	if (f->local != LDP_NO_LABEL && label == LDP_NO_LABEL)
		send_all(l, LDP_LABEL_WITHDRAW, &f->pfx, f->local);
	f->local = label;
	if (real_label(label))
		hmap_put(&l->labels, label, f);
	/* A new label replaces the old at the peers (A.1.3: the latest mapping is the one kept). */
	if (label != LDP_NO_LABEL)
		send_all(l, LDP_LABEL_MAPPING, &f->pfx, label);
}

/* The RIB's selection for p changed (or is being looked at for the first time). */
static void
fec_update(struct ldp *l, const struct prefix *p, const struct rib_path *best)
{
	enum bind_kind k = bind_kind(l, p, best);
	struct ldp_binding *f = ldp_binding_find(l, p);
	uint32_t want;

	if (f == NULL && k == BIND_NONE)
		return;
	f = fec_get(l, p);
	if (k == BIND_NONE)
		want = LDP_NO_LABEL;
	else if (k == BIND_EGRESS)
		want = l->cfg.explicit_null ? MPLS_LABEL_EXPLICIT_NULL : MPLS_LABEL_IMPLICIT_NULL;
	else if (real_label(f->local))
		want = f->local;
	else if ((want = label_alloc(l)) == LDP_NO_LABEL)
		ldp_trace(l, "%s: no label left in %u-%u", prefix_str(p), l->cfg.label_min,
		    l->cfg.label_max);
	if (want != f->local)
		local_set(l, f, want);
	lfib_program(l, f);
	fec_gc(l, f);
}

static void
rib_changed(struct node *n, const struct rib_change *ch, void *arg)
{
	struct ldp *l = arg;

	(void)n;
	if (!l->pi->running)
		return;
	fec_update(l, &ch->pfx, ch->new_best);
	/* Sessions and targeted peers waiting for a route to their peer's address. */
	for (size_t i = 0; i < l->nnbr; i++)
		if (l->nbrs[i]->state == LDP_NONEXISTENT && l->nbrs[i]->conn == NULL)
			ldp_session_try(l->nbrs[i]);
	ldp_targeted_kick(l);
}

void
ldp_labels_start(struct ldp *l)
{
	struct rib *rib = l->node->rib;
	struct rib_entry **v;
	size_t n;

	if (!l->watching) {
		rib_watch(rib, rib_changed, l);
		l->watching = true;
	}
	rib_set_labeler(rib, labeler, l);
	v = rib_sorted(rib, &n);
	for (size_t i = 0; i < n; i++) {
		struct prefix p = rib_prefix(v[i]);

		fec_update(l, &p, v[i]->installed ? rib_best(v[i]) : NULL);
	}
	free(v);
}

void
ldp_labels_stop(struct ldp *l)
{
	struct rib *rib = l->node->rib;
	struct ldp_binding **v;
	size_t n;

	v = ldp_bindings_sorted(l, &n);
	rib_set_labeler(rib, unlabeler, NULL);
	for (size_t i = 0; i < n; i++) {
		if (v[i]->lfib)
			mpls_lfib_del(l->node, v[i]->lfib_label);
		hmap_del(&l->fecs, prefix_key(&v[i]->pfx));
		if (v[i]->nrm > 0)
			rib_relabel(rib, &v[i]->pfx);
		if (real_label(v[i]->local))
			mpls_label_free(l->node, v[i]->local);
		free(v[i]->rm);
		free(v[i]);
	}
	free(v);
	rib_set_labeler(rib, NULL, NULL);
	hmap_free(&l->labels);
	hmap_init(&l->labels);
}

/* --- a peer's session ------------------------------------------------------------------------- */

static int
addr_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* 2.5.4 and 3.5.5: our addresses (ascending, as FRR), then every binding we have (A.1.1). */
void
ldp_labels_session_up(struct ldp_nbr *nb)
{
	struct ldp *l = nb->l;
	const struct node *n = l->node;
	struct ldp_binding **v;
	struct ldp_msg m;
	size_t cnt;

	memset(&m, 0, sizeof(m));
	m.type = LDP_ADDRESS;
	m.has = LDP_HAS_ADDRS;
	m.addrs.family = LDP_AF_IPV4;
	for (size_t i = 0; i < n->nifs && m.addrs.n < LDP_MAX_ADDRS; i++)
		if (n->ifs[i]->addr != 0)
			m.addrs.addr[m.addrs.n++] = n->ifs[i]->addr;
	qsort(m.addrs.addr, m.addrs.n, sizeof(m.addrs.addr[0]), addr_cmp);
	ldp_send(nb, &m);
	ldp_pdu_close(nb); /* the Address in a PDU of its own, the mappings in the next, as FRR */
	v = ldp_bindings_sorted(l, &cnt);
	for (size_t i = 0; i < cnt; i++)
		if (v[i]->local != LDP_NO_LABEL)
			send_label(nb, LDP_LABEL_MAPPING, &v[i]->pfx, v[i]->local);
	free(v);
}

/* The FECs nb mapped, sorted (their refresh changes the table). */
static struct ldp_binding **
fecs_of(struct ldp *l, const struct ldp_nbr *nb, size_t *n)
{
	struct ldp_binding **v = ldp_bindings_sorted(l, n);
	size_t k = 0;

	for (size_t i = 0; i < *n; i++)
		if (ldp_binding_remote(v[i], nb) != LDP_NO_LABEL)
			v[k++] = v[i];
	*n = k;
	return v;
}

void
ldp_labels_session_down(struct ldp_nbr *nb)
{
	struct ldp *l = nb->l;
	size_t n;
	struct ldp_binding **v = fecs_of(l, nb, &n);

	/* The session is no longer operational: the labeler leaves nb out already. */
	for (size_t i = 0; i < n; i++) {
		rmap_del(v[i], nb);
		rib_relabel(l->node->rib, &v[i]->pfx);
		lfib_program(l, v[i]);
		fec_gc(l, v[i]);
	}
	nb->naddrs = 0;
	free(v);
}

/* The peer's addresses changed: its labels may now apply to other next hops. */
static void
refresh_peer(struct ldp_nbr *nb)
{
	size_t n;
	struct ldp_binding **v = fecs_of(nb->l, nb, &n);

	for (size_t i = 0; i < n; i++) {
		rib_relabel(nb->l->node->rib, &v[i]->pfx);
		lfib_program(nb->l, v[i]);
	}
	free(v);
}

/* A Prefix FEC element as an IPv4 prefix (host bits cleared); false for any other. */
static bool
elem_prefix(const struct ldp_fec *e, struct prefix *p)
{
	if (e->type != LDP_FEC_PREFIX || e->family != LDP_AF_IPV4 || e->plen > 32)
		return false;
	p->len = e->plen;
	p->addr = ((uint32_t)e->addr[0] << 24 | (uint32_t)e->addr[1] << 16 |
	           (uint32_t)e->addr[2] << 8 | e->addr[3]) & ip_mask(e->plen);
	return true;
}

/* A.1.2 (Label Mapping, downstream unsolicited, liberal retention): keep it, and use it. */
static void
mapping_input(struct ldp *l, struct ldp_nbr *nb, const struct prefix *p, uint32_t label)
{
	struct ldp_binding *f = fec_get(l, p);

	rmap_set(f, nb, label);
	fec_refresh(l, f, nb);
}

/* A.1.5 (Label Withdraw): forget it and release it. */
static void
withdraw_input(struct ldp *l, struct ldp_nbr *nb, struct ldp_binding *f)
{
	uint32_t label = rmap_del(f, nb);

	if (label != LDP_NO_LABEL)
		send_label(nb, LDP_LABEL_RELEASE, &f->pfx, label);
	fec_refresh(l, f, nb);
}

void
ldp_labels_input(struct ldp_nbr *nb, const struct ldp_msg *m)
{
	struct ldp *l = nb->l;
	uint16_t type = m->type & ~LDP_U_BIT;
	uint32_t label = m->has & LDP_HAS_LABEL ? m->lbl.label : LDP_NO_LABEL;
	struct prefix p;

	switch (type) {
	case LDP_ADDRESS:
	case LDP_ADDRESS_WITHDRAW:
		for (unsigned i = 0; m->addrs.family == LDP_AF_IPV4 && i < m->addrs.n; i++) {
			if (type == LDP_ADDRESS)
				addr_add(nb, m->addrs.addr[i]);
			else
				addr_del(nb, m->addrs.addr[i]);
		}
		refresh_peer(nb);
		return;
	case LDP_LABEL_MAPPING:
		for (unsigned i = 0; i < m->lbl.nfec && label != LDP_NO_LABEL; i++)
			if (elem_prefix(&m->lbl.fec[i], &p))
				mapping_input(l, nb, &p, label);
		return;
	case LDP_LABEL_WITHDRAW:
		for (unsigned i = 0; i < m->lbl.nfec; i++) {
			struct ldp_binding *f;

			if (m->lbl.fec[i].type == LDP_FEC_WILDCARD) { /* 3.4.1: every FEC of the peer's */
				size_t n;
				struct ldp_binding **v = fecs_of(l, nb, &n);

				for (size_t k = 0; k < n; k++)
					withdraw_input(l, nb, v[k]);
				free(v);
			} else if (elem_prefix(&m->lbl.fec[i], &p) && (f = ldp_binding_find(l, &p)) != NULL) {
				withdraw_input(l, nb, f);
			}
		}
		return;
	case LDP_LABEL_REQUEST:
		/* Downstream unsolicited still answers a request (A.1.1): the binding, if there is one. */
		for (unsigned i = 0; i < m->lbl.nfec; i++) {
			struct ldp_binding *f = elem_prefix(&m->lbl.fec[i], &p) ? ldp_binding_find(l, &p) : NULL;

			if (f != NULL && f->local != LDP_NO_LABEL)
				send_label(nb, LDP_LABEL_MAPPING, &p, f->local);
		}
		return;
	default: /* Label Release, Label Abort Request: nothing is held for them */
		return;
	}
}
