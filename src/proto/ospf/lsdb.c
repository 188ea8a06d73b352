/*
 * lsdb.c: a router's link state databases (RFC 2328 12, 13.2, 14): one per
 * area and one for the AS-external scope, each an array of the router's
 * copies indexed by the dense number of the LSA key (LS type, Link State ID,
 * Advertising Router; lsakey.c). A copy is a reference to the interned
 * instance (intern.c) plus the age it had when it was installed and the time
 * it was installed, from which its current age follows; aging therefore
 * costs nothing until an LSA reaches MaxAge.
 *
 * Also here: a small hash map on the three-field key (open addressing,
 * backward-shift deletion) for the few tables that are not indexed by number,
 * the neighbor request lists (10.9) built on it, and MaxAge removal (14).
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/log.h"
#include "../../lib/probe.h"
#include "../../lib/slab.h"
#include "../../lib/util.h"
#include "ospf.h"

/*
 * Request list references come from a slab per thread, which hands out
 * zeroed objects; nothing observable depends on their addresses.
 */
static struct {
	SIM_THREAD_ALIGN struct slab s;
} ref_slabs[SIM_MAX_THREADS];
#define ref_slab (ref_slabs[sim_thread].s)

static void *
ref_alloc(void)
{
	if (ref_slab.size == 0)
		slab_init(&ref_slab, sizeof(struct ospf_lsref), 1024);
	return slab_alloc(&ref_slab);
}

/* --- key map ----------------------------------------------------------------------------- */


void *
ospf_keymap_get(const struct ospf_keymap *m, uint8_t type, uint32_t id, uint32_t adv)
{
	uint32_t mask = m->cap - 1;

	if (m->cap == 0)
		return NULL;
	for (uint32_t i = ospf_lsa_khash(type, id, adv) & mask; m->s[i].val; i = (i + 1) & mask)
		if (m->s[i].id == id && m->s[i].adv == adv && m->s[i].type == type)
			return m->s[i].val;
	return NULL;
}

static void
kgrow(struct ospf_keymap *m)
{
	struct ospf_kslot *old = m->s;
	uint32_t ocap = m->cap;

	m->cap = ocap ? ocap * 2 : 8;
	m->s = xcalloc(m->cap, sizeof(*m->s));
	m->n = 0;
	for (uint32_t i = 0; i < ocap; i++)
		if (old[i].val)
			ospf_keymap_put(m, old[i].type, old[i].id, old[i].adv, old[i].val);
	free(old);
}

void
ospf_keymap_put(struct ospf_keymap *m, uint8_t type, uint32_t id, uint32_t adv, void *val)
{
	uint32_t i, mask;

	if ((m->n + 1) * 4 > m->cap * 3)
		kgrow(m);
	mask = m->cap - 1;
	for (i = ospf_lsa_khash(type, id, adv) & mask; m->s[i].val; i = (i + 1) & mask)
		if (m->s[i].id == id && m->s[i].adv == adv && m->s[i].type == type) {
			m->s[i].val = val;
			return;
		}
	m->s[i] = (struct ospf_kslot){id, adv, type, val};
	m->n++;
}

static size_t
kslot_home(const void *p, const void *ctx UNUSED)
{
	const struct ospf_kslot *s = p;

	return s->val ? ospf_lsa_khash(s->type, s->id, s->adv) : PROBE_EMPTY;
}

void *
ospf_keymap_del(struct ospf_keymap *m, uint8_t type, uint32_t id, uint32_t adv)
{
	uint32_t i, mask = m->cap - 1;
	void *val;

	if (m->cap == 0)
		return NULL;
	for (i = ospf_lsa_khash(type, id, adv) & mask; m->s[i].val; i = (i + 1) & mask)
		if (m->s[i].id == id && m->s[i].adv == adv && m->s[i].type == type)
			break;
	if (m->s[i].val == NULL)
		return NULL;
	val = m->s[i].val;
	m->s[i].val = NULL;
	m->n--;
	probe_backshift(m->s, sizeof(*m->s), mask, i, kslot_home, NULL);
	return val;
}

void
ospf_keymap_free(struct ospf_keymap *m)
{
	free(m->s);
	memset(m, 0, sizeof(*m));
}

/* --- request lists ---------------------------------------------------------------------------- */

struct ospf_lsref *
ospf_lslist_get(const struct ospf_lslist *l, uint8_t type, uint32_t id, uint32_t adv)
{
	return l->n ? ospf_keymap_get(&l->map, type, id, adv) : NULL;
}

struct ospf_lsref *
ospf_lslist_add(struct ospf_lslist *l, const struct ospf_lsa_hdr *h)
{
	struct ospf_lsref *r = ref_alloc();

	r->hdr = *h;
	r->prev = l->tail;
	if (l->tail)
		l->tail->next = r;
	else
		l->head = r;
	l->tail = r;
	l->n++;
	ospf_keymap_put(&l->map, h->type, h->id, h->adv_rtr, r);
	return r;
}

void
ospf_lslist_del(struct ospf_lslist *l, struct ospf_lsref *r)
{
	ospf_keymap_del(&l->map, r->hdr.type, r->hdr.id, r->hdr.adv_rtr);
	if (r->prev)
		r->prev->next = r->next;
	else
		l->head = r->next;
	if (r->next)
		r->next->prev = r->prev;
	else
		l->tail = r->prev;
	/* Lists are mostly empty: their maps go with their last entry. */
	if (--l->n == 0)
		ospf_keymap_free(&l->map);
	slab_free(&ref_slab, r);
}

void
ospf_lslist_clear(struct ospf_lslist *l)
{
	while (l->head)
		ospf_lslist_del(l, l->head);
	ospf_keymap_free(&l->map);
}

/* --- the database -------------------------------------------------------------------------- */

void
ospf_lsdb_init(struct ospf_lsdb *db, struct ospf *o, struct ospf_area *area)
{
	memset(db, 0, sizeof(*db));
	db->o = o;
	db->area = area;
}

uint16_t
ospf_lsdb_age(const struct ospf_ent *e, sim_time now)
{
	sim_time age = e->age0 + (now - e->t0) / SIM_S;

	return (uint16_t)MIN(age, OSPF_MAX_AGE);
}

struct ospf_lsa_hdr
ospf_lsdb_hdr(const struct ospf_ent *e, sim_time now)
{
	struct ospf_lsa_hdr h = e->lsa->hdr;

	h.age = ospf_lsdb_age(e, now);
	return h;
}

struct ospf_ent *
ospf_lsdb_get(const struct ospf_lsdb *db, uint8_t type, uint32_t id, uint32_t adv)
{
	uint32_t x = ospf_lsakey_find(type, id, adv);

	return x == OSPF_LSX_NONE ? NULL : ospf_lsdb_at(db, x);
}

/*
 * A packet names several LSAs whose entries lie far apart in memory: asking
 * for all of them before the first is used overlaps the cache misses.
 * Returns the key number (OSPF_LSX_NONE: unknown, or not a type we store).
 */
uint32_t
ospf_lsdb_prefetch(struct ospf_area *a, const struct ospf_lsa_hdr *h)
{
	const struct ospf_lsdb *db;
	uint32_t x;

	if (!ospf_area_takes(a, h->type))
		return OSPF_LSX_NONE;
	db = ospf_lsdb_for(a, h->type);
	x = ospf_lsakey_find(h->type, h->id, h->adv_rtr);
	if (x != OSPF_LSX_NONE && x / OSPF_LSDB_CHUNK < db->nchunk &&
	    db->chunk[x / OSPF_LSDB_CHUNK] != NULL)
		__builtin_prefetch(&db->chunk[x / OSPF_LSDB_CHUNK][x % OSPF_LSDB_CHUNK]);
	return x;
}

/*
 * A routing table calculation visits most of the router's entries in an
 * order the hardware cannot guess, each a cache miss when taken one at a
 * time; the entries lie in a few contiguous chunks, which load much faster
 * in one sweep beforehand (a hint, no effect on results).
 */
void
ospf_lsdb_warm(const struct ospf_lsdb *db)
{
	for (uint32_t i = 0; i < db->nchunk; i++)
		if (db->chunk[i] != NULL)
			prefetch_span(db->chunk[i], sizeof(struct ospf_ent) * OSPF_LSDB_CHUNK);
}

struct ospf_ent *
ospf_lsdb_next(const struct ospf_lsdb *db, uint32_t *pos)
{
	for (uint32_t x = *pos; x < db->nchunk * OSPF_LSDB_CHUNK; x++) {
		const struct ospf_ent *c = db->chunk[x / OSPF_LSDB_CHUNK];

		if (c == NULL) {
			x |= OSPF_LSDB_CHUNK - 1; /* the next chunk */
			continue;
		}
		if (c[x % OSPF_LSDB_CHUNK].lsa != NULL) {
			*pos = x + 1;
			return (struct ospf_ent *)&c[x % OSPF_LSDB_CHUNK];
		}
	}
	*pos = db->nchunk * OSPF_LSDB_CHUNK;
	return NULL;
}

/* The slot for key number x, allocated if needed. */
static struct ospf_ent *
slot(struct ospf_lsdb *db, uint32_t x)
{
	uint32_t c = x / OSPF_LSDB_CHUNK;

	if (c >= db->nchunk) {
		uint32_t n = MAX(c + 1, db->nchunk * 2);

		db->chunk = xrealloc(db->chunk, sizeof(*db->chunk) * n);
		memset(db->chunk + db->nchunk, 0, sizeof(*db->chunk) * (n - db->nchunk));
		db->nchunk = n;
	}
	if (db->chunk[c] == NULL)
		db->chunk[c] = xcalloc(OSPF_LSDB_CHUNK, sizeof(struct ospf_ent));
	return &db->chunk[c][x % OSPF_LSDB_CHUNK];
}

struct ospf_lsdb *
ospf_lsdb_of(const struct ospf *o, const struct ospf_ent *e)
{
	if (e->lsa->hdr.type == OSPF_LSA_EXTERNAL)
		return (struct ospf_lsdb *)&o->as_db;
	for (size_t i = 0; i < o->nareas; i++)
		if (ospf_lsdb_at(&o->areas[i]->db, e->lsa->lsx) == e)
			return &o->areas[i]->db;
	bug("ospf: an entry in no database");
}

/* The step 8 note of key number x, or NULL. */
static struct ospf_sentback *
sentback_of(const struct ospf_lsdb *db, uint32_t x)
{
	for (size_t i = 0; i < db->nsentback; i++)
		if (db->sentback[i].lsx == x)
			return &db->sentback[i];
	return NULL;
}

sim_time
ospf_lsdb_sentback(const struct ospf_lsdb *db, const struct ospf_ent *e)
{
	const struct ospf_sentback *s = sentback_of(db, e->lsa->lsx);

	return s != NULL ? s->when : -SIM_S * 3600;
}

void
ospf_lsdb_set_sentback(struct ospf_lsdb *db, const struct ospf_ent *e, sim_time when)
{
	struct ospf_sentback *s = sentback_of(db, e->lsa->lsx);

	if (s == NULL)
		VEC_PUSH(db->sentback, db->nsentback, db->sentbackcap,
		         ((struct ospf_sentback){e->lsa->lsx, when}));
	else
		s->when = when;
}

/* A new instance, or none: the note goes. */
static void
sentback_forget(struct ospf_lsdb *db, uint32_t x)
{
	struct ospf_sentback *s;

	if (db->nsentback > 0 && (s = sentback_of(db, x)) != NULL)
		*s = db->sentback[--db->nsentback];
}

struct ospf_lsdb *
ospf_lsdb_for(struct ospf_area *a, uint8_t type)
{
	return type == OSPF_LSA_EXTERNAL ? &a->o->as_db : &a->db;
}

static sim_time expiry(const struct ospf_ent *);

/* RFC 2328 13.2: did the contents change (anything but age, sequence number and checksum)? */
static bool
contents_changed(const struct ospf_blob *a, uint16_t a_age, const struct ospf_blob *b,
                 uint16_t b_age)
{
	if ((a_age == OSPF_MAX_AGE) != (b_age == OSPF_MAX_AGE))
		return true;
	if (a->hdr.options != b->hdr.options || a->hdr.length != b->hdr.length)
		return true;
	return memcmp(a->bytes + OSPF_LSA_HDRLEN, b->bytes + OSPF_LSA_HDRLEN,
	              a->hdr.length - OSPF_LSA_HDRLEN) != 0;
}

static void
count(struct ospf_lsdb *db, const struct ospf_blob *b, int sign)
{
	uint8_t t = b->hdr.type;

	if (t > OSPF_LSA_OPAQUE_AS)
		return;
	if (b->zero_metric)
		db->nzero += (uint32_t)sign;
	db->count[t] += (uint32_t)sign;
	db->cksum[t] += (uint32_t)(sign * (int)b->hdr.cksum);
}

struct ospf_ent *
ospf_lsdb_install(struct ospf_lsdb *db, struct ospf_blob *b, uint16_t age, bool self, bool flooded)
{
	struct ospf *o = db->o;
	sim_time now = ospf_now(o);
	struct ospf_ent *e = slot(db, b->lsx);
	bool changed = true;

	if (age > OSPF_MAX_AGE)
		age = OSPF_MAX_AGE;
	/*
	 * Parse it now (once per instance in the whole network): SPF then finds the
	 * numbers of everything it points to already assigned (intern.c).
	 */
	(void)ospf_intern_body(b);
	ospf_ispf_note(db, b->lsx, e->lsa != NULL ? e : NULL);
	if (e->lsa != NULL) {
		/* 13 step 5c: the old instance leaves every retransmission list. */
		ospf_nbr_rxmt_purge(e);
		changed = contents_changed(e->lsa, ospf_lsdb_age(e, now), b, age);
		count(db, e->lsa, -1);
		ospf_intern_unref(e->lsa);
	} else {
		memset(e, 0, sizeof(*e));
		db->n++;
	}
	e->lsa = b;
	e->age0 = age;
	e->t0 = now;
	e->self = self;
	e->flooded = flooded;
	sentback_forget(db, b->lsx);
	count(db, b, 1);
	/* Only LSAs SPF looks at matter to it (opaque and unknown types do not). */
	if (changed && (b->hdr.type <= OSPF_LSA_EXTERNAL || b->hdr.type == OSPF_LSA_NSSA))
		ospf_spf_schedule(o);
	if (age < OSPF_MAX_AGE)
		ospf_lsdb_aging_schedule(o, expiry(e));
	return e;
}

void
ospf_lsdb_remove(struct ospf_lsdb *db, struct ospf_ent *e)
{
	if (e->nrxmt != 0)
		bug("ospf: removing an LSA still on %u retransmission lists", e->nrxmt);
	ospf_ispf_note(db, e->lsa->lsx, e);
	sentback_forget(db, e->lsa->lsx);
	count(db, e->lsa, -1);
	ospf_intern_unref(e->lsa);
	memset(e, 0, sizeof(*e));
	db->n--;
}

void
ospf_lsdb_clear(struct ospf_lsdb *db)
{
	struct ospf_ent *e;

	for (uint32_t pos = 0; (e = ospf_lsdb_next(db, &pos)) != NULL;)
		ospf_intern_unref(e->lsa);
	for (uint32_t c = 0; c < db->nchunk; c++)
		free(db->chunk[c]);
	free(db->chunk);
	db->chunk = NULL;
	db->nchunk = db->n = db->nzero = 0;
	free(db->sentback);
	db->sentback = NULL;
	db->nsentback = db->sentbackcap = 0;
	memset(db->count, 0, sizeof(db->count));
	memset(db->cksum, 0, sizeof(db->cksum));
}

int
ospf_ent_key_cmp(const void *pa, const void *pb)
{
	return ospf_lsa_key_cmp(&(*(struct ospf_ent *const *)pa)->lsa->hdr,
	                        &(*(struct ospf_ent *const *)pb)->lsa->hdr);
}

struct ospf_ent **
ospf_lsdb_sorted_types(const struct ospf_lsdb *db, uint8_t lo, uint8_t hi, size_t *n)
{
	struct ospf_ent **v, *e;
	size_t k = 0, want = 0;

	if (lo == 0 && hi == UINT8_MAX)
		want = db->n;
	else
		for (unsigned t = lo; t <= hi && t <= OSPF_LSA_OPAQUE_AS; t++)
			want += db->count[t];
	v = xmalloc(sizeof(*v) * (want + 1));
	for (uint32_t pos = 0; k < want && (e = ospf_lsdb_next(db, &pos)) != NULL;)
		if (e->lsa->hdr.type >= lo && e->lsa->hdr.type <= hi)
			v[k++] = e;
	if (k > 1)
		qsort(v, k, sizeof(*v), ospf_ent_key_cmp);
	*n = k;
	return v;
}

struct ospf_ent **
ospf_lsdb_sorted(const struct ospf_lsdb *db, size_t *n)
{
	return ospf_lsdb_sorted_types(db, 0, UINT8_MAX, n);
}

/* --- aging and MaxAge ------------------------------------------------------------------------- */

static void
each_db(struct ospf *o, void (*fn)(struct ospf *, struct ospf_lsdb *, void *), void *arg)
{
	for (size_t i = 0; i < o->nareas; i++)
		fn(o, &o->areas[i]->db, arg);
	fn(o, &o->as_db, arg);
}

/* When the entry reaches MaxAge (SIM_NEVER if it already has). */
static sim_time
expiry(const struct ospf_ent *e)
{
	if (e->age0 >= OSPF_MAX_AGE)
		return SIM_NEVER;
	return e->t0 + (sim_time)(OSPF_MAX_AGE - e->age0) * SIM_S;
}

void
ospf_lsdb_aging_schedule(struct ospf *o, sim_time when)
{
	if (!timer_pending(&o->aging_t) || when < o->aging_t.when)
		timer_set_at(&o->aging_t, when);
}

struct aging {
	sim_time now, next;
	struct ospf_ent **expired;
	size_t n, cap;
};



static void
aging_walk(struct ospf *o UNUSED, struct ospf_lsdb *db, void *arg)
{
	struct aging *ag = arg;
	struct ospf_ent *e;

	for (uint32_t pos = 0; (e = ospf_lsdb_next(db, &pos)) != NULL;) {
		sim_time x;

		if ((x = expiry(e)) == SIM_NEVER)
			continue;
		if (x <= ag->now)
			VEC_PUSH(ag->expired, ag->n, ag->cap, e);
		else if (x < ag->next)
			ag->next = x;
	}
}

/*
 * RFC 2328 14: an LSA whose age reaches MaxAge is flooded again (so that
 * every router drops it) and removed once no retransmission list holds it.
 */
static void
aging_fire(struct timer *t)
{
	struct ospf *o = t->arg;
	struct aging ag = {.now = ospf_now(o), .next = SIM_NEVER};

	each_db(o, aging_walk, &ag);
	if (ag.n > 1)
		qsort(ag.expired, ag.n, sizeof(*ag.expired), ospf_ent_key_cmp);
	for (size_t i = 0; i < ag.n; i++) {
		struct ospf_ent *e = ag.expired[i];

		ospf_ispf_note(ospf_lsdb_of(o, e), e->lsa->lsx, e);
		e->age0 = OSPF_MAX_AGE;
		e->t0 = ag.now;
		ospf_spf_schedule(o);
		ospf_lsupd_flood(o, e, NULL);
	}
	free(ag.expired);
	if (ag.next != SIM_NEVER)
		timer_set_at(&o->aging_t, ag.next);
	ospf_lsdb_maxage_check(o);
}

struct maxage {
	struct ospf_ent **v;
	size_t n, cap;
	sim_time now;
};

static void
maxage_walk(struct ospf *o UNUSED, struct ospf_lsdb *db, void *arg)
{
	struct maxage *m = arg;
	struct ospf_ent *e;

	for (uint32_t pos = 0; (e = ospf_lsdb_next(db, &pos)) != NULL;)
		if (e->nrxmt == 0 && ospf_lsdb_age(e, m->now) >= OSPF_MAX_AGE)
			VEC_PUSH(m->v, m->n, m->cap, e);
}

/*
 * RFC 2328 14: a MaxAge LSA is removed once it is on no retransmission list
 * and no neighbor is in Exchange or Loading.
 */
static void
maxage_fire(struct timer *t)
{
	struct ospf *o = t->arg;
	struct maxage m = {.now = ospf_now(o)};
	bool self = false;

	if (ospf_nbr_any_exchanging(o))
		return; /* checked again when those neighbors move on */

	each_db(o, maxage_walk, &m);
	if (m.n > 1)
		qsort(m.v, m.n, sizeof(*m.v), ospf_ent_key_cmp);
	for (size_t i = 0; i < m.n; i++) {
		self |= m.v[i]->self;
		ospf_lsdb_remove(ospf_lsdb_of(o, m.v[i]), m.v[i]);
	}
	free(m.v);
	/* A self-originated LSA flushed for a sequence wrap is originated anew now. */
	if (self) {
		ospf_orig_schedule(o);
		ospf_spf_schedule(o);
	}
}

void
ospf_lsdb_maxage_check(struct ospf *o)
{
	if (!timer_pending(&o->maxage_t))
		timer_set(&o->maxage_t, 0);
}

void
ospf_lsdb_timers_init(struct ospf *o)
{
	timer_init(&o->maxage_t, &o->node->actor, maxage_fire, o);
	timer_init(&o->aging_t, &o->node->actor, aging_fire, o);
}
