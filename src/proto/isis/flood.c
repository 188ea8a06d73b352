/*
 * flood.c: the update process (ISO 10589 7.3.12-7.3.17).
 *
 * Each LSP carries two flags per circuit: SRM (send it there) and SSN
 * (acknowledge or request it there in a PSNP). A circuit's flood timer sends
 * what has SRM set, in the order the flags were set: on a LAN once (the DIS's
 * CSNPs repair losses, 7.3.15.5), on a point-to-point circuit again every
 * minimumLSPTransmissionInterval until a PSNP acknowledges it (7.3.15.3).
 * CSNPs describe the whole database (from the DIS periodically, and on a
 * point-to-point circuit when an adjacency comes up); what they show missing
 * or older on one side is sent, what is newer is requested.
 *
 * Receiving an LSP reads only its header until the LSP turns out to be new
 * to this router; its octets are then checked and parsed once for every
 * router (blob.c).
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/util.h"
#include "isis.h"

#define FLOOD_DELAY   (1 * SIM_MS)  /* gathers the LSPs of one event into one burst */
#define REQUEST_DELAY (10 * SIM_MS) /* PSNPs that request LSPs go soon */

static bool
bit(const uint16_t *v, uint32_t i)
{
	return (v[i / ISIS_WORD_BITS] >> (i % ISIS_WORD_BITS)) & 1;
}

static void
bit_set(uint16_t *v, uint32_t i)
{
	v[i / ISIS_WORD_BITS] |= (uint16_t)(1u << (i % ISIS_WORD_BITS));
}

static void
bit_clear(uint16_t *v, uint32_t i)
{
	v[i / ISIS_WORD_BITS] &= (uint16_t) ~(1u << (i % ISIS_WORD_BITS));
}

static void
kick(struct isis_circ *c, sim_time delay)
{
	if (!timer_pending(&c->flood_t) || timer_remaining(&c->flood_t) > delay)
		timer_set(&c->flood_t, delay);
}

/* A flood queue keeps its buffer up to this many entries (a cold start's large ones go). */
#define FQ_KEEP 16

static void
fq_push(struct isis_circ *c, struct isis_lsp *l)
{
	if (c->nfq == c->fqcap) {
		c->fqcap = c->fqcap ? c->fqcap * 2 : FQ_KEEP;
		c->fq = xrealloc(c->fq, (size_t)c->fqcap * sizeof(*c->fq));
	}
	c->fq[c->nfq++] = l;
}

void
isis_flood_forget(struct isis *is, const struct isis_lsp *l)
{
	for (int k = 0; k < is->ncircs; k++) {
		struct isis_circ *c = is->circs[k];

		for (int i = 0; i < c->nfq; i++)
			if (c->fq[i] == l)
				c->fq[i] = NULL;
	}
}

/* Set SRM: the LSP (maybe a new instance of one awaiting acknowledgement) goes out soon. */
void
isis_srm_set(struct isis_lsp *l, struct isis_circ *c)
{
	if (!bit(ISIS_SRM(c->is, l), c->idx)) {
		bit_set(ISIS_SRM(c->is, l), c->idx);
		c->srm_pending++;
	}
	fq_push(c, l);
	kick(c, FLOOD_DELAY);
}

void
isis_srm_clear(struct isis_lsp *l, struct isis_circ *c)
{
	if (!bit(ISIS_SRM(c->is, l), c->idx))
		return;
	bit_clear(ISIS_SRM(c->is, l), c->idx);
	c->srm_pending--;
}

static void
ssn_set(struct isis_lsp *l, struct isis_circ *c, int level)
{
	struct timer *t = &c->lv[LV(level)].psnp_t;

	if (bit(ISIS_SSN(c->is, l), c->idx))
		return;
	bit_set(ISIS_SSN(c->is, l), c->idx);
	if (c->lv[LV(level)].nack == ISIS_REFS)
		c->lv[LV(level)].ack_over = true;
	else if (!c->lv[LV(level)].ack_over)
		VEC_PUSH(c->lv[LV(level)].ack, c->lv[LV(level)].nack, c->lv[LV(level)].ackcap,
		         *isis_lsp_id(l));
	/*
	 * Jittered as every periodic timer (ISO 10589 10.1; FRR does too): on
	 * a network that starts at once, the circuits' acknowledgements of the
	 * first flood would otherwise all leave in the same instant.
	 */
	if (!timer_pending(t))
		timer_set(t, isis_jitter(c->is, c->is->cfg.psnp_interval));
}

static void
ssn_clear(struct isis_lsp *l, struct isis_circ *c)
{
	bit_clear(ISIS_SSN(c->is, l), c->idx);
}

void
isis_lsp_bits_grow(struct isis *is)
{
	is->words = (is->ncircs + ISIS_WORD_BITS - 1) / ISIS_WORD_BITS;
	if (is->words == 0)
		is->words = 1;
}

/* Does the circuit take LSPs of this level (an Up adjacency there)? */
static bool
floods(const struct isis_circ *c, int level)
{
	return c->up && !c->cfg.passive && (c->levels & level) && isis_circ_has_up(c, level);
}

void
isis_flood(struct isis *is, int level, struct isis_lsp *l, struct isis_circ *except)
{
	for (int i = 0; i < is->ncircs; i++) {
		struct isis_circ *c = is->circs[i];

		if (c == except || !floods(c, level))
			continue;
		isis_srm_set(l, c);
		ssn_clear(l, c);
	}
}

size_t
isis_lsp_bytes(const struct isis *is, const struct isis_lsp *l, uint8_t *buf, size_t cap)
{
	size_t len = l->blob->len;

	if (len > cap)
		return 0;
	memcpy(buf, l->blob->bytes, len);
	put16(buf + ISIS_LSP_OFF_LIFETIME, isis_lsp_remaining(is, l));
	return len;
}

static void
send_lsp(struct isis_circ *c, int level, const struct isis_lsp *l)
{
	struct pkt *p = isis_pkt(l->blob->len, PKT_CONTROL);

	isis_lsp_bytes(c->is, l, p->data + 3, l->blob->len);
	isis_output(c, isis_level_mac(level, c->cfg.p2p), p);
	c->st.lsp_out++;
	c->is->st.lsp_tx++;
}

/*
 * Send an LSP with SRM set. On a LAN that is all (7.3.15.5: the DIS's CSNPs
 * repair); on point-to-point it stays flagged until acknowledged, and is sent
 * again by the retransmission scan.
 */
/* Drop the references to LSPs acknowledged since they were sent (they would pile up). */
static void
rx_compact(struct isis_circ *c)
{
	int k = 0;

	for (int i = 0; i < c->nrx; i++) {
		const struct isis_lsp *l =
		    isis_lspdb_find(&c->is->lv[LV(c->rx[i].level)].db, &c->rx[i].id);

		if (l != NULL && bit(ISIS_SRM(c->is, l), c->idx))
			c->rx[k++] = c->rx[i];
	}
	c->nrx = k;
}

static void
transmit(struct isis_circ *c, struct isis_lsp *l)
{
	send_lsp(c, l->level, l);
	if (!c->cfg.p2p) {
		isis_srm_clear(l, c);
		return;
	}
	bit_set(ISIS_FRESH(c->is, l), c->idx);
	if (!c->rx_over && c->nrx == ISIS_REFS)
		rx_compact(c);
	if (c->nrx == ISIS_REFS)
		c->rx_over = true;
	if (!c->rx_over)
		VEC_PUSH(c->rx, c->nrx, c->rxcap, ((struct isis_fq){*isis_lsp_id(l), l->level}));
	if (!timer_pending(&c->rxmt_t))
		timer_set(&c->rxmt_t, ISIS_LSP_RXMT);
}

static int
fq_cmp(const void *a, const void *b)
{
	const struct isis_fq *x = a, *y = b;
	uint64_t kx = isis_lspid_key(x->id.b), ky = isis_lspid_key(y->id.b);

	if (x->level != y->level)
		return x->level < y->level ? -1 : 1;
	return kx < ky ? -1 : kx > ky;
}

/* Sort LSP references by level and ID, without duplicates; returns how many are left. */
static int
lsps_sorted(struct isis_fq *v, int n)
{
	int k = 0;

	if (n > 1)
		qsort(v, (size_t)n, sizeof(*v), fq_cmp);
	for (int i = 0; i < n; i++)
		if (k == 0 || fq_cmp(&v[k - 1], &v[i]) != 0)
			v[k++] = v[i];
	return k;
}

/* The LSPs whose SRM was set on this circuit, in that order. */
void
isis_flood_fire(struct timer *t)
{
	struct isis_circ *c = t->arg;
	struct isis *is = c->is;
	bool on[ISIS_LEVELS] = {floods(c, ISIS_LEVEL1), floods(c, ISIS_LEVEL2)};

	is->fire++; /* LSPs visited in this run carry its number (one counter for all circuits) */
	for (int i = 0; i < c->nfq; i++) {
		struct isis_lsp *l = c->fq[i];

		if (l == NULL || !bit(ISIS_SRM(c->is, l), c->idx) || l->mark == is->fire)
			continue; /* gone, acknowledged, cleared, or queued twice */
		l->mark = is->fire;
		if (!on[LV(l->level)])
			isis_srm_clear(l, c);
		else
			transmit(c, l);
	}
	/* Empty until the next flood: a small buffer stays, a cold start's large one goes. */
	c->nfq = 0;
	if (c->fqcap > FQ_KEEP) {
		free(c->fq);
		c->fq = NULL;
		c->fqcap = 0;
	}
}

/*
 * Point-to-point, 7.3.15.3: every minimumLSPTransmissionInterval, what is
 * still unacknowledged and was not sent during the last interval goes again
 * (so an LSP waits between one and two intervals for its acknowledgement).
 */
/*
 * The LSPs of both levels with SRM set on c, in database order, each once:
 * those sent (rx) and those still to send (fq), or all the database's when
 * rx overflowed. rx starts again empty.
 */
static int
srm_list(struct isis_circ *c, struct isis_fq **out)
{
	struct isis_fq *v = NULL;
	int n = 0;
	size_t cap = 0;

	if (!c->rx_over) {
		for (int i = 0; i < c->nrx; i++)
			VEC_PUSH(v, n, cap, c->rx[i]);
		for (int i = 0; i < c->nfq; i++) {
			const struct isis_lsp *l = c->fq[i];

			if (l != NULL)
				VEC_PUSH(v, n, cap, ((struct isis_fq){*isis_lsp_id(l), l->level}));
		}
		n = lsps_sorted(v, n);
	} else {
		for (int lvl = 0; lvl < ISIS_LEVELS; lvl++)
			for (int i = 0; i < c->is->lv[lvl].db.n; i++) {
				const struct isis_lsp *l = isis_lspdb_at(&c->is->lv[lvl].db, i);

				if (bit(ISIS_SRM(c->is, l), c->idx))
					VEC_PUSH(v, n, cap,
					         ((struct isis_fq){*isis_lsp_id(l), l->level}));
			}
	}
	c->nrx = 0;
	c->rx_over = false;
	*out = v;
	return n;
}

void
isis_rxmt_fire(struct timer *t)
{
	struct isis_circ *c = t->arg;
	struct isis *is = c->is;
	bool waiting = false;
	struct isis_fq *v;
	int n, at[ISIS_LEVELS] = {0, 0};

	n = srm_list(c, &v);
	for (int i = 0; i < n && c->srm_pending; i++) {
		struct isis_lsp *l =
		    isis_lspdb_seek(&is->lv[LV(v[i].level)].db, &v[i].id, &at[LV(v[i].level)]);

		if (l == NULL || !bit(ISIS_SRM(is, l), c->idx))
			continue;
		if (!floods(c, v[i].level)) {
			isis_srm_clear(l, c);
		} else if (bit(ISIS_FRESH(is, l), c->idx)) {
			bit_clear(ISIS_FRESH(is, l), c->idx);
			if (c->nrx == ISIS_REFS)
				c->rx_over = true;
			else if (!c->rx_over)
				VEC_PUSH(c->rx, c->nrx, c->rxcap, v[i]);
			waiting = true;
		} else {
			transmit(c, l);
			waiting = true;
		}
	}
	free(v);
	if (waiting)
		timer_set(t, ISIS_LSP_RXMT);
}

static bool
own_id(const struct isis *is, const struct isis_lspid *id)
{
	return memcmp(id->b, is->cfg.sysid, ISIS_SYSID_LEN) == 0;
}

static bool
info_same(const struct isis_lspinfo *a, const struct isis_lspinfo *b)
{
	return a->flags == b->flags && a->nnbr == b->nnbr && a->npfx == b->npfx &&
	       a->nareas == b->nareas &&
	       (a->nnbr == 0 || memcmp(a->nbr, b->nbr, (size_t)a->nnbr * sizeof(*a->nbr)) == 0) &&
	       (a->npfx == 0 || memcmp(a->pfx, b->pfx, (size_t)a->npfx * sizeof(*a->pfx)) == 0) &&
	       memcmp(a->areas, b->areas, sizeof(a->areas)) == 0 &&
	       strcmp(a->hostname, b->hostname) == 0;
}

/*
 * Install a received instance (blob b, referenced) over l, the database's
 * instance at position at (NULL: none, at: where it goes); SPF runs when
 * what it reads changed.
 */
static struct isis_lsp *
store(struct isis *is, int level, struct isis_lsp *l, int at, struct isis_blob *b, uint16_t life,
      bool own)
{
	struct isis_lspdb *db = &is->lv[LV(level)].db;
	bool was_live, same;

	was_live = l && !l->purged;
	same = was_live && life != 0 && info_same(&l->blob->info, &b->info);
	l = isis_lspdb_install(db, b, life, own, at);
	if (!same && (was_live || life != 0))
		isis_spf_schedule(is, level);
	return l;
}

/* The fixed part of an LSP's header (ISO 10589 9.8), read without parsing the TLVs. */
struct lsp_hdr {
	uint8_t type;
	uint16_t lifetime;
	struct isis_lspid id;
	uint32_t seq;
	uint16_t cksum;
	size_t len; /* the PDU length field */
};

static const char *
lsp_header(const uint8_t *p, size_t len, struct lsp_hdr *h)
{
	if (len < ISIS_LSP_HLEN)
		return "LSP shorter than its header";
	if (p[0] != ISIS_IRPD || p[1] != ISIS_LSP_HLEN || p[2] != 1 || (p[3] != 0 && p[3] != 6) ||
	    p[5] != 1)
		return "LSP header: bad discriminator, length indicator, version or ID length";
	h->type = p[4] & 0x1f;
	h->len = get16(p + 8);
	if (h->len < ISIS_LSP_HLEN || h->len > len)
		return "LSP: PDU length field out of range";
	h->lifetime = get16(p + ISIS_LSP_OFF_LIFETIME);
	memcpy(h->id.b, p + ISIS_LSP_OFF_ID, 8);
	h->seq = get32(p + ISIS_LSP_OFF_SEQ);
	h->cksum = get16(p + ISIS_LSP_OFF_CKSUM);
	return NULL;
}

/* The shared blob of a received LSP; NULL (counted, traced) when its octets are bad. */
static struct isis_blob *
blob_of(struct isis_circ *c, const uint8_t *p, const struct lsp_hdr *h)
{
	const char *err = NULL;
	struct isis_blob *b = isis_blob_get(p, h->len, &err);
	char id[32];

	if (b == NULL) {
		c->st.bad++;
		isis_trace(c->is, "%s: LSP %s dropped: %s", c->ifp->name,
		           isis_lspid_str(&h->id, id, sizeof(id)), err);
	}
	return b;
}

/* ISO 10589 7.3.15.1: an LSP received on circuit c. */
void
isis_lsp_input(struct isis_circ *c, const uint8_t *p, size_t len)
{
	struct isis *is = c->is;
	struct lsp_hdr h;
	const char *err = lsp_header(p, len, &h);
	int level = h.type == ISIS_L1_LSP ? ISIS_LEVEL1 : ISIS_LEVEL2;
	struct isis_lspdb *db = &is->lv[LV(level)].db;
	struct isis_lsp *l;
	struct isis_blob *b;
	bool mine;
	int cmp, at;

	c->st.lsp_in++;
	if (err != NULL) {
		c->st.bad++;
		isis_trace(is, "%s: %s", c->ifp->name, err);
		return;
	}
	if (!isis_circ_has_up(c, level)) {
		c->st.rejected++; /* 7.3.15.1 a: only from an adjacency of the level */
		return;
	}
	at = db->last; /* (the same LSP comes from each neighbor in turn) */
	l = isis_lspdb_seek(db, &h.id, &at);
	db->last = at;
	mine = own_id(is, &h.id);
	if (l == NULL && h.lifetime == 0) {
		/* 7.3.15.1 b.1: a purge of an LSP we never had: acknowledge it, keep nothing. */
		if (c->cfg.p2p && (b = blob_of(c, p, &h)) != NULL) {
			struct isis_lsp *tmp = store(is, level, NULL, at, b, 0, mine);

			isis_srm_clear(tmp, c);
			ssn_set(tmp, c, level);
		}
		return;
	}
	cmp = l ? isis_lsp_cmp(is, l, h.seq, h.lifetime) : 1;
	if (cmp > 0 && mine && l && l->own && !l->purged) {
		/* 7.3.16.1: ours, newer than ours (from before a restart): reissue above it. */
		isis_own_seen(is, level, &h.id, h.seq);
		return;
	}
	if (cmp > 0) {
		if ((b = blob_of(c, p, &h)) == NULL)
			return;
		/*
		 * Ours from before a restart, while our first LSPs are not generated
		 * yet: kept as any LSP (the first generation goes above its number and
		 * purges what it no longer makes), not purged at once.
		 */
		if (mine && !is->lv[LV(level)].originated)
			mine = false;
		l = store(is, level, l, at, b, h.lifetime, mine);
		if (mine && h.lifetime != 0) {
			/* Ours, but no longer produced: purge it (7.3.16.1). */
			isis_lspdb_purge(db, l);
			isis_srm_clear(l, c);
			return;
		}
		/* 7.3.15.1 e.1: newer: store, flood everywhere else, acknowledge on p2p. */
		isis_flood(is, level, l, c);
		isis_srm_clear(l, c);
		if (c->cfg.p2p)
			ssn_set(l, c, level);
	} else if (cmp == 0) {
		/* e.2: the same: it is an acknowledgement; acknowledge in turn on p2p. */
		isis_srm_clear(l, c);
		if (c->cfg.p2p)
			ssn_set(l, c, level);
	} else {
		/* e.3: older: send ours back. */
		isis_srm_set(l, c);
		ssn_clear(l, c);
	}
}

static void
request(struct isis_circ *c, int level, const struct isis_lspid *id)
{
	struct isis_circ_level *lv = &c->lv[LV(level)];

	for (int i = 0; i < lv->nreq; i++)
		if (memcmp(lv->req[i].b, id->b, 8) == 0)
			return;
	if (lv->nreq == lv->reqcap) {
		lv->reqcap = lv->reqcap ? lv->reqcap * 2 : 16;
		lv->req = xrealloc(lv->req, (size_t)lv->reqcap * sizeof(*lv->req));
	}
	lv->req[lv->nreq++] = *id;
	if (!timer_pending(&lv->psnp_t) || timer_remaining(&lv->psnp_t) > REQUEST_DELAY)
		timer_set(&lv->psnp_t, REQUEST_DELAY);
}

static int
entry_cmp(const void *a, const void *b)
{
	return memcmp(((const struct isis_lsp_entry *)a)->id.b,
	              ((const struct isis_lsp_entry *)b)->id.b, 8);
}

/* ISO 10589 7.3.15.2: a CSNP or PSNP received on circuit c. */
void
isis_snp_input(struct isis_circ *c, const struct isis_pdu *pdu)
{
	struct isis *is = c->is;
	bool csnp = pdu->type == ISIS_L1_CSNP || pdu->type == ISIS_L2_CSNP;
	int level =
	    (pdu->type == ISIS_L1_CSNP || pdu->type == ISIS_L1_PSNP) ? ISIS_LEVEL1 : ISIS_LEVEL2;
	struct isis_lspdb *db = &is->lv[LV(level)].db;
	struct isis_lsp_entry *sorted = NULL;
	int lo, hi;

	if (csnp)
		c->st.csnp_in++;
	else
		c->st.psnp_in++;
	if (!isis_circ_has_up(c, level)) {
		c->st.rejected++;
		return;
	}
	/* 7.3.15.2 a.1: on a LAN only the DIS answers PSNPs. */
	if (!csnp && !c->cfg.p2p && !c->lv[LV(level)].is_dis)
		return;
	for (int i = 0, at = db->last; i < pdu->nentries; i++) {
		const struct isis_lsp_entry *e = &pdu->entries[i];
		struct isis_lsp *l = isis_lspdb_seek(db, &e->id, &at); /* entries come sorted */
		int cmp;

		db->last = at;
		if (l == NULL) {
			/* b.5: one we lack: request it (unless it is a purge or an empty entry). */
			if (e->lifetime != 0 && e->seq != 0 && e->cksum != 0)
				request(c, level, &e->id);
			continue;
		}
		cmp = isis_lsp_cmp(is, l, e->seq, e->lifetime);
		if (cmp == 0) {
			if (c->cfg.p2p)
				isis_srm_clear(l, c); /* b.2: acknowledged */
		} else if (cmp < 0) {
			isis_srm_set(l, c); /* b.3: theirs is older */
			ssn_clear(l, c);
		} else {
			ssn_set(l, c, level); /* b.4: theirs is newer: ask (our entry in a PSNP) */
			isis_srm_clear(l, c);
			request(c, level, &e->id);
		}
	}
	if (!csnp)
		return;
	/* 7.3.15.2 c: what we hold in the CSNP's range that it does not list, it lacks. */
	sorted = xmalloc((size_t)(pdu->nentries ? pdu->nentries : 1) * sizeof(*sorted));
	if (pdu->nentries > 0) {
		memcpy(sorted, pdu->entries, (size_t)pdu->nentries * sizeof(*sorted));
		qsort(sorted, (size_t)pdu->nentries, sizeof(*sorted), entry_cmp);
	}
	lo = isis_lspdb_node(db, pdu->start.b, &hi); /* the first LSP at or after start */
	for (int i = lo; i < db->n && db->keys[i] <= isis_lspid_key(pdu->end.b); i++) {
		struct isis_lsp *l = isis_lspdb_at(db, i);
		struct isis_lsp_entry key = {.id = *isis_lsp_id(l)};

		if (memcmp(isis_lsp_id(l)->b, pdu->start.b, 8) < 0 || l->purged ||
		    isis_lsp_seq(l) == 0)
			continue;
		if (!bsearch(&key, sorted, (size_t)pdu->nentries, sizeof(*sorted), entry_cmp))
			isis_srm_set(l, c);
	}
	free(sorted);
}

/* Sending SNPs: entries packed into PDUs of at most the circuit's MTU. */
struct snp {
	struct isis_circ *c;
	int level;
	bool csnp;
	struct isis_pdu pdu;
	bool open;
	struct isis_lspid start;
};

static void
snp_open(struct snp *s)
{
	const struct isis_key *k = &s->c->is->cfg.auth;
	enum isis_pdu_type t = s->csnp ? (s->level == ISIS_LEVEL1 ? ISIS_L1_CSNP : ISIS_L2_CSNP)
	                               : (s->level == ISIS_LEVEL1 ? ISIS_L1_PSNP : ISIS_L2_PSNP);

	isis_pdu_init(&s->pdu, t);
	memcpy(s->pdu.snp_source, s->c->is->cfg.sysid, ISIS_SYSID_LEN);
	s->pdu.snp_source[6] = 0;
	isis_auth_tlv(&s->pdu, k);
	s->open = true;
}

static void
snp_send(struct snp *s, const struct isis_lspid *end)
{
	const struct isis_key *k = &s->c->is->cfg.auth;
	uint8_t buf[9000];
	size_t len;

	if (!s->open)
		return;
	if (s->csnp) {
		s->pdu.start = s->start;
		s->pdu.end = *end;
		/* The next CSNP starts after this one's end. */
		s->start = *end;
		for (int i = 7; i >= 0 && ++s->start.b[i] == 0; i--)
			;
	}
	len = isis_pdu_encode(&s->pdu, buf, sizeof(buf), k->key, k->len);
	isis_send(s->c, isis_level_mac(s->level, s->c->cfg.p2p), buf, len, PKT_CONTROL);
	isis_pdu_free(&s->pdu);
	s->open = false;
	if (s->csnp)
		s->c->st.csnp_out++;
	else
		s->c->st.psnp_out++;
}

static void
snp_add(struct snp *s, const struct isis_lsp_entry *e, const struct isis_lspid *prev)
{
	size_t max = s->c->ifp->mtu > 3 ? (size_t)s->c->ifp->mtu - 3 : 1497;

	if (s->open && s->pdu.len + isis_add_cost(&s->pdu, ISIS_TLV_LSP_ENTRY, 16) > max)
		snp_send(s, prev);
	if (!s->open)
		snp_open(s);
	isis_add_lsp_entry(&s->pdu, e);
}

static struct isis_lsp_entry
entry_of(const struct isis *is, const struct isis_lsp *l)
{
	return (struct isis_lsp_entry){isis_lsp_remaining(is, l), *isis_lsp_id(l), isis_lsp_seq(l),
	                               isis_lsp_cksum(l)};
}

/* ISO 10589 7.3.15.3 / 7.3.17: a complete description of the database, in ranges. */
static void
send_csnp(struct isis_circ *c, int level)
{
	struct isis_lspdb *db = &c->is->lv[LV(level)].db;
	struct snp s = {.c = c, .level = level, .csnp = true};
	struct isis_lspid last;

	memset(&last, 0xff, sizeof(last));
	memset(&s.start, 0, sizeof(s.start));
	for (int i = 0; i < db->n; i++) {
		struct isis_lsp_entry e = entry_of(c->is, isis_lspdb_at(db, i));

		snp_add(&s, &e, i > 0 ? isis_lsp_id(isis_lspdb_at(db, i - 1)) : &s.start);
	}
	if (!s.open)
		snp_open(&s);
	snp_send(&s, &last);
}

void
isis_csnp_fire(struct timer *t)
{
	struct isis_circ *c = t->arg;
	int level = t == &c->lv[0].csnp_t ? ISIS_LEVEL1 : ISIS_LEVEL2;
	struct isis_circ_level *lv = &c->lv[LV(level)];

	lv->csnp_due = false;
	if (!isis_circ_has_up(c, level))
		return;
	send_csnp(c, level);
	if (!c->cfg.p2p && lv->is_dis)
		timer_set(t, isis_jitter(c->is, c->is->cfg.csnp_interval));
}

void
isis_csnp_schedule(struct isis_circ *c, int level, sim_time delay)
{
	struct isis_circ_level *lv = &c->lv[LV(level)];

	lv->csnp_due = true;
	if (delay < FLOOD_DELAY)
		delay = FLOOD_DELAY;
	if (!timer_pending(&lv->csnp_t) || timer_remaining(&lv->csnp_t) > delay)
		timer_set(&lv->csnp_t, delay);
}

/* PSNPs: acknowledgements (SSN set) and requests (entries with sequence number 0). */
void
isis_psnp_fire(struct timer *t)
{
	struct isis_circ *c = t->arg;
	int level = t == &c->lv[0].psnp_t ? ISIS_LEVEL1 : ISIS_LEVEL2;
	struct isis_circ_level *lv = &c->lv[LV(level)];
	struct isis_lspdb *db = &c->is->lv[LV(level)].db;
	struct snp s = {.c = c, .level = level};

	if (isis_circ_has_up(c, level)) {
		/* Entries whose SSN was set here, in database order (all of them after an
		 * overflow). */
		bool all = lv->ack_over;
		int n = all ? db->n : lv->nack;
		struct isis_fq *v = xmalloc((size_t)(all || n == 0 ? 1 : n) * sizeof(*v));

		for (int i = 0; !all && i < n; i++)
			v[i] = (struct isis_fq){lv->ack[i], (uint8_t)level};
		if (!all)
			n = lsps_sorted(v, n);
		lv->nack = 0;
		lv->ack_over = false;
		for (int i = 0, at = 0; i < n; i++) {
			struct isis_lsp *l = all ? isis_lspdb_at(db, i) : isis_lspdb_seek(db, &v[i].id, &at);
			struct isis_lsp_entry e;

			if (l == NULL || !bit(ISIS_SSN(c->is, l), c->idx))
				continue;
			ssn_clear(l, c);
			e = entry_of(c->is, l);
			snp_add(&s, &e, NULL);
		}
		free(v);
		for (int i = 0; i < lv->nreq; i++) {
			struct isis_lsp_entry e = {.id = lv->req[i]};

			if (isis_lspdb_find(db, &lv->req[i]) == NULL)
				snp_add(&s, &e, NULL);
		}
	}
	lv->nreq = 0;
	snp_send(&s, NULL);
}

/* RFC 5303 / ISO 10589 7.3.17: a point-to-point adjacency came up: describe our database. */
void
isis_flood_adj_up(struct isis_circ *c, int level)
{
	isis_csnp_schedule(c, level, 0);
}

/* A circuit went down: nothing is queued on it any more. */
void
isis_flood_circ_down(struct isis_circ *c)
{
	for (int l = 0; l < ISIS_LEVELS; l++)
		for (int i = 0; i < c->is->lv[l].db.n; i++) {
			struct isis_lsp *lsp = isis_lspdb_at(&c->is->lv[l].db, i);

			isis_srm_clear(lsp, c);
			ssn_clear(lsp, c);
			bit_clear(ISIS_FRESH(c->is, lsp), c->idx);
		}
	c->nfq = 0;
	c->nrx = 0;
	c->rx_over = false;
	for (int l = 0; l < ISIS_LEVELS; l++) {
		c->lv[l].nack = 0;
		c->lv[l].ack_over = false;
	}
	timer_cancel(&c->flood_t);
	timer_cancel(&c->rxmt_t);
}

/*
 * An adjacency on its way up is work, for as long as its hold time: one
 * that stays one-way longer (the neighbor does not hear us: a one-way link, an
 * authentication mismatch on one side) is a fault the network converged with.
 */
static bool
forming(const struct isis *is, const struct isis_adj *a)
{
	return a != NULL && a->state == ISIS_ADJ_INIT &&
	       isis_now(is) - a->last_change < (sim_time)a->hold * SIM_S;
}

bool
isis_flood_busy(const struct isis *is)
{
	for (int i = 0; i < is->ncircs; i++) {
		const struct isis_circ *c = is->circs[i];

		if (c->srm_pending && (timer_pending(&c->flood_t) || timer_pending(&c->rxmt_t)))
			return true;
		/* A circuit that has not said its first Hello yet. */
		if (c->up && !c->cfg.passive && c->st.iih_out == 0)
			return true;
		if (forming(is, c->p2p))
			return true;
		for (int l = 0; l < ISIS_LEVELS; l++) {
			const struct isis_circ_level *lv = &c->lv[l];

			if (lv->csnp_due || lv->nreq)
				return true;
			for (int k = 0; k < lv->nadj; k++)
				if (forming(is, lv->adj[k]))
					return true;
		}
	}
	return false;
}
