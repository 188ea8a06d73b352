/*
 * originate.c: the LSAs this router originates (RFC 2328 12.4).
 *
 * The contents come from area.c (router-, network-, summary- and
 * AS-external-LSAs) in regeneration passes: a pass marks every LSA of its
 * kinds unwanted, the generators say what they want (ospf_orig_want), and
 * the end of the pass originates what changed and flushes (14.1) what is no
 * longer wanted. Router-, network- and AS-external-LSAs are regenerated on a
 * zero-delay timer after any change that may affect them; summary-LSAs after
 * each SPF run, from its routing table.
 *
 * An origination takes the next sequence number (12.1.6; at MaxSequenceNumber
 * the instance is flushed first and the next one starts again from
 * InitialSequenceNumber), is held back until MinLSInterval has passed since
 * the previous one (12.4), and is refreshed every LSRefreshTime (12.4,
 * "LSRefreshTime"). A newer instance of one of our own LSAs arriving from the
 * network (13.4, after a restart) makes us originate past its sequence
 * number, or flush it when we no longer originate it.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/log.h"
#include "../../lib/util.h"
#include "ospf.h"

enum { CAT_LOCAL = 1, CAT_SUMMARY = 2, CAT_EXTERNAL = 4 };

static unsigned
cat_of(uint8_t type)
{
	switch (type) {
	case OSPF_LSA_SUMMARY:
	case OSPF_LSA_ASBR_SUMMARY:
		return CAT_SUMMARY;
	case OSPF_LSA_EXTERNAL:
	case OSPF_LSA_NSSA:
		return CAT_EXTERNAL;
	default:
		return CAT_LOCAL;
	}
}

static void
each_db(struct ospf *o, void (*fn)(struct ospf *, struct ospf_lsdb *, unsigned), unsigned cats)
{
	for (size_t i = 0; i < o->nareas; i++)
		fn(o, &o->areas[i]->db, cats);
	fn(o, &o->as_db, cats);
}

static struct ospf_orig *
rec_get(struct ospf_lsdb *db, uint8_t type, uint32_t id, bool create)
{
	struct ospf_orig *r = ospf_keymap_get(&db->origs, type, id, 0);

	if (r == NULL && create) {
		r = xcalloc(1, sizeof(*r));
		r->type = type;
		r->id = id;
		r->db = db;
		ospf_keymap_put(&db->origs, type, id, 0, r);
		VEC_PUSH(db->origv, db->norig, db->origcap, r);
	}
	return r;
}

void
ospf_orig_want(struct ospf_lsdb *db, uint8_t type, uint32_t id, uint8_t options,
               const uint8_t *body, size_t blen)
{
	struct ospf_orig *r = rec_get(db, type, id, true);

	free(r->body);
	r->body = xmalloc(blen + 1);
	memcpy(r->body, body, blen);
	r->blen = (uint16_t)blen;
	r->options = options;
	r->gen = true;
}

static void
mark(struct ospf *o UNUSED, struct ospf_lsdb *db, unsigned cats)
{
	for (size_t i = 0; i < db->norig; i++)
		if (cat_of(db->origv[i]->type) & cats)
			db->origv[i]->gen = false;
}

static bool
same(const struct ospf_orig *r, const struct ospf_blob *b)
{
	return b->hdr.options == r->options && b->hdr.length == OSPF_LSA_HDRLEN + r->blen &&
	       memcmp(b->bytes + OSPF_LSA_HDRLEN, r->body, r->blen) == 0;
}

void
ospf_orig_flush(struct ospf *o, struct ospf_ent *e)
{
	sim_time now = ospf_now(o);

	if (ospf_lsdb_age(e, now) >= OSPF_MAX_AGE)
		return;
	ospf_trace(o, "flush %s LSA %s/%s", ospf_lsa_type_name(e->lsa->hdr.type),
	           ip_str(e->lsa->hdr.id), ip_str(e->lsa->hdr.adv_rtr));
	ospf_ispf_note(ospf_lsdb_of(o, e), e->lsa->lsx, e);
	e->age0 = OSPF_MAX_AGE;
	e->t0 = now;
	ospf_spf_schedule(o);
	ospf_lsupd_flood(o, e, NULL);
	ospf_lsdb_maxage_check(o);
}

static void
set_deferred(struct ospf *o, struct ospf_orig *r, bool d)
{
	if (r->deferred == d)
		return;
	r->deferred = d;
	if (d)
		o->ndeferred++;
	else
		o->ndeferred--;
}

/* A new instance of r, now. */
static void
originate(struct ospf *o, struct ospf_orig *r)
{
	struct ospf_lsdb *db = r->db;
	struct ospf_ent *e = ospf_lsdb_get(db, r->type, r->id, o->rid);
	struct ospf_lsa_hdr h = {0};
	uint8_t *bytes;
	size_t len = OSPF_LSA_HDRLEN + r->blen;
	struct ospf_blob *b;
	uint32_t seq = OSPF_INITIAL_SEQ;
	bool known = false;

	if (e != NULL) {
		seq = e->lsa->hdr.seq;
		known = true;
	} else if (r->have_seq) {
		seq = r->last_seq;
		known = true;
	}
	set_deferred(o, r, false);
	if (known) {
		if (seq == OSPF_MAX_SEQ) {
			/*
			 * 12.1.6: the instance at MaxSequenceNumber is flushed first; once
			 * every neighbor acknowledged it and it left the database, the next
			 * pass originates again from InitialSequenceNumber (lsdb.c).
			 */
			if (e != NULL) {
				ospf_orig_flush(o, e);
				return;
			}
			seq = OSPF_INITIAL_SEQ;
		} else {
			seq = (uint32_t)((int32_t)seq + 1);
		}
	}
	h.options = r->options;
	h.type = r->type;
	h.id = r->id;
	h.adv_rtr = o->rid;
	h.seq = seq;
	h.length = (uint16_t)len;
	bytes = xmalloc(len);
	ospf_lsa_hdr_encode(&h, bytes);
	memcpy(bytes + OSPF_LSA_HDRLEN, r->body, r->blen);
	ospf_lsa_cksum_set(bytes, len);
	b = ospf_intern(bytes, len);
	free(bytes);
	/* The new instance replaces the old one, also on the retransmission lists (lsdb.c). */
	e = ospf_lsdb_install(db, b, 0, true, false);
	r->last = ospf_now(o);
	r->last_seq = seq;
	r->have_seq = true;
	set_deferred(o, r, false);
	o->st.lsa_originated++;
	ospf_trace(o, "originate %s LSA %s seq 0x%08x", ospf_lsa_type_name(h.type), ip_str(h.id),
	           seq);
	ospf_lsupd_flood(o, e, NULL);
}

/* Originate now, or when MinLSInterval has passed since the last origination. */
static void
originate_or_defer(struct ospf *o, struct ospf_orig *r)
{
	sim_time now = ospf_now(o);

	if (r->have_seq && now - r->last < o->cfg.lsa_min_interval) {
		set_deferred(o, r, true);
		return;
	}
	originate(o, r);
}

static void
sweep(struct ospf *o, struct ospf_lsdb *db, unsigned cats)
{
	sim_time now = ospf_now(o);

	for (size_t i = 0; i < db->norig; i++) {
		struct ospf_orig *r = db->origv[i];
		struct ospf_ent *e;
		bool live;

		if (!(cat_of(r->type) & cats))
			continue;
		r->wanted = r->gen;
		e = ospf_lsdb_get(db, r->type, r->id, o->rid);
		live = e != NULL && ospf_lsdb_age(e, now) < OSPF_MAX_AGE;
		if (r->wanted) {
			if (live && same(r, e->lsa))
				set_deferred(o, r, false);
			else
				originate_or_defer(o, r);
		} else {
			set_deferred(o, r, false);
			if (live)
				ospf_orig_flush(o, e);
		}
	}
}

/* The next deferred origination or refresh. */
static void
wake_schedule(struct ospf *o)
{
	sim_time next = SIM_NEVER;
	for (size_t a = 0; a <= o->nareas; a++) {
		struct ospf_lsdb *db = a < o->nareas ? &o->areas[a]->db : &o->as_db;

		for (size_t i = 0; i < db->norig; i++) {
			const struct ospf_orig *r = db->origv[i];
			sim_time t;

			if (!r->wanted || !r->have_seq)
				continue;
			t = r->deferred ? r->last + o->cfg.lsa_min_interval
			                : r->last + OSPF_LS_REFRESH_TIME * SIM_S;
			if (t < next)
				next = t;
		}
	}
	if (next == SIM_NEVER)
		timer_cancel(&o->refresh_t);
	else
		timer_set_at(&o->refresh_t, next);
}

void
ospf_orig_schedule(struct ospf *o)
{
	if (!o->pi->running || o->orig_t.fn == NULL)
		return;
	if (!timer_pending(&o->orig_t))
		timer_set(&o->orig_t, 0);
}

/* Regenerate router-, network- and AS-external-LSAs. */
void
ospf_orig_fire(struct timer *t)
{
	struct ospf *o = t->arg;

	each_db(o, mark, CAT_LOCAL | CAT_EXTERNAL);
	for (size_t i = 0; i < o->nareas; i++) {
		ospf_area_router_lsa(o, o->areas[i]);
		ospf_area_network_lsas(o, o->areas[i]);
	}
	ospf_area_originate_externals(o);
	each_db(o, sweep, CAT_LOCAL | CAT_EXTERNAL);
	wake_schedule(o);
}

/* Summary-LSAs, from the routing table SPF just computed. */
void
ospf_orig_summaries(struct ospf *o, const struct ospf_table *t)
{
	each_db(o, mark, CAT_SUMMARY);
	ospf_area_originate_summaries(o, t);
	each_db(o, sweep, CAT_SUMMARY);
	wake_schedule(o);
}

/* Deferred originations whose MinLSInterval is over, and LSRefreshTime refreshes. */
void
ospf_orig_refresh_fire(struct timer *t)
{
	struct ospf *o = t->arg;
	sim_time now = ospf_now(o);

	for (size_t a = 0; a <= o->nareas; a++) {
		struct ospf_lsdb *db = a < o->nareas ? &o->areas[a]->db : &o->as_db;

		for (size_t i = 0; i < db->norig; i++) {
			struct ospf_orig *r = db->origv[i];
			struct ospf_ent *e;

			if (!r->wanted)
				continue;
			if (r->deferred) {
				if (now - r->last >= o->cfg.lsa_min_interval)
					originate(o, r);
				continue;
			}
			e = ospf_lsdb_get(db, r->type, r->id, o->rid);
			if (e != NULL && r->have_seq &&
			    now - r->last >= OSPF_LS_REFRESH_TIME * SIM_S)
				originate(o, r);
		}
	}
	wake_schedule(o);
}

/* RFC 2328 13.4 */
void
ospf_orig_self_received(struct ospf *o, struct ospf_ent *e)
{
	const struct ospf_lsa_hdr *h = &e->lsa->hdr;
	struct ospf_orig *r;

	if (ospf_lsdb_age(e, ospf_now(o)) >= OSPF_MAX_AGE)
		return;
	r = h->adv_rtr == o->rid ? rec_get(ospf_lsdb_of(o, e), h->type, h->id, false) : NULL;
	if (r != NULL && r->wanted) {
		/* Jump past the received sequence number at once (MinLSInterval does not apply). */
		originate(o, r);
		wake_schedule(o);
		return;
	}
	ospf_orig_flush(o, e);
}

void
ospf_orig_free(struct ospf_lsdb *db)
{
	for (size_t i = 0; i < db->norig; i++) {
		free(db->origv[i]->body);
		free(db->origv[i]);
	}
	free(db->origv);
	db->origv = NULL;
	db->norig = db->origcap = 0;
	ospf_keymap_free(&db->origs);
}
