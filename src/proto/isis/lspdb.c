/*
 * lspdb.c: a router's link state database of one level (ISO 10589 7.3.16).
 *
 * LSPs sorted by LSP ID (CSNPs describe ranges of it, `show isis database`
 * lists it in that order, and all fragments of a system are neighbors, which
 * is how SPF reads them); each entry points to its shared blob (blob.c) and
 * carries its remaining lifetime as the time it had it, and the SRM and SSN
 * flags of the update process per circuit.
 *
 * Ageing (7.3.16.4): an LSP whose remaining lifetime reaches zero is purged
 * (its content dropped, flooded with lifetime zero) and kept for
 * ZeroAgeLifetime, then removed. One timer per database waits for the
 * soonest of these; it is moved earlier as LSPs arrive and recomputed when
 * it fires.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/util.h"
#include "isis.h"

/* The position in [lo, hi) of the LSP with key k, or where it would go (the keys before lo are lower). */
static int
search_range(const struct isis_lspdb *db, uint64_t k, int lo, int hi, bool *found)
{
	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (db->keys[mid] == k) {
			*found = true;
			return mid;
		}
		if (db->keys[mid] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

/* The position of the LSP with key k, or where it would go. */
static int
search_key(const struct isis_lspdb *db, uint64_t k, bool *found)
{
	return search_range(db, k, 0, db->n, found);
}

static int
search(const struct isis_lspdb *db, const struct isis_lspid *id, bool *found)
{
	return search_key(db, isis_lspid_key(id->b), found);
}

struct isis_lsp *
isis_lspdb_find(const struct isis_lspdb *db, const struct isis_lspid *id)
{
	bool found;
	int i = search(db, id, &found);

	return found ? isis_lspdb_at(db, i) : NULL;
}

/*
 * A lookup in a run of lookups in ascending ID order (an SNP's entries, a
 * sorted list of LSPs to acknowledge or send): it starts where the previous
 * one ended (*at) and gallops forward, so a run over a database costs a few
 * steps per entry rather than a binary search each. An ID lower than the
 * previous one searches the whole database, so any order gives the right
 * answer.
 */
struct isis_lsp *
isis_lspdb_seek(const struct isis_lspdb *db, const struct isis_lspid *id, int *at)
{
	uint64_t k = isis_lspid_key(id->b);
	int lo = *at, hi, step = 1, i;
	bool found;

	if (lo > db->n || (lo > 0 && db->keys[lo - 1] >= k))
		lo = 0;
	for (hi = lo; hi < db->n && db->keys[hi] < k; hi += step, step *= 2)
		lo = hi + 1;
	i = search_range(db, k, lo, hi < db->n ? hi + 1 : db->n, &found);
	*at = i;
	return found ? isis_lspdb_at(db, i) : NULL;
}

int
isis_lspdb_node(const struct isis_lspdb *db, const uint8_t id7[7], int *n)
{
	struct isis_lspid first;
	bool found;
	int i, k;

	memcpy(first.b, id7, 7);
	first.b[7] = 0;
	i = search(db, &first, &found);
	for (k = i; k < db->n && db->keys[k] >> 8 == db->keys[i] >> 8; k++)
		;
	if (i < db->n && db->keys[i] >> 8 != isis_lspid_key(first.b) >> 8)
		k = i;
	*n = k - i;
	return i;
}

/* Has l's remaining lifetime run out (a purge, or aged to zero)? No division: it is asked often. */
static bool
expired(const struct isis *is, const struct isis_lsp *l)
{
	return l->purged || isis_now(is) - l->t0 >= (sim_time)l->life0 * SIM_S;
}

uint16_t
isis_lsp_remaining(const struct isis *is, const struct isis_lsp *l)
{
	sim_time age = (isis_now(is) - l->t0) / SIM_S;

	if (l->purged || age >= l->life0)
		return 0;
	return (uint16_t)(l->life0 - age);
}

/* When the entry next needs the ageing timer: expiry, or the end of a purge's hold. */
static sim_time
due(const struct isis_lsp *l)
{
	if (l->purged)
		return l->t0 + ISIS_ZERO_AGE * SIM_S;
	if (l->own)
		return SIM_NEVER; /* refreshed before it expires (originate.c) */
	return l->t0 + (sim_time)l->life0 * SIM_S;
}

static void
arm(struct isis_lspdb *db, sim_time when)
{
	if (when == SIM_NEVER)
		return;
	if (!timer_pending(&db->age_t) || when < db->age_t.when)
		timer_set_at(&db->age_t, when);
}

static void
age_fire(struct timer *t)
{
	struct isis_lspdb *db = t->arg;
	sim_time now = isis_now(db->is), next = SIM_NEVER;

	for (int i = 0; i < db->n; i++) {
		struct isis_lsp *l = isis_lspdb_at(db, i);
		sim_time d = due(l);

		if (d > now) {
			next = d < next ? d : next;
			continue;
		}
		if (l->purged) {
			isis_lspdb_remove(db, l);
			i--;
		} else {
			isis_lspdb_purge(db, l);
			next = due(l) < next ? due(l) : next;
		}
	}
	if (next != SIM_NEVER)
		timer_set_at(t, next);
}

void
isis_lspdb_init(struct isis_lspdb *db, struct isis *is, int level)
{
	db->is = is;
	db->level = level;
	timer_init_new(&db->age_t, &is->node->actor, age_fire, db);
}

/* Is at the position of key k, or where it would go? */
static bool
place_of(const struct isis_lspdb *db, uint64_t k, int at)
{
	return at >= 0 && at <= db->n && (at == db->n || db->keys[at] >= k) &&
	       (at == 0 || db->keys[at - 1] < k);
}

/*
 * Install blob (referenced) as its LSP's instance; at: the LSP's position as
 * isis_lspdb_seek() left it, if the caller just looked (else -1), which
 * spares a search.
 */
struct isis_lsp *
isis_lspdb_install(struct isis_lspdb *db, struct isis_blob *blob, uint16_t lifetime, bool own,
                   int at)
{
	const uint8_t *p = blob->bytes;
	struct isis_lspid id;
	struct isis_lsp *l;
	uint32_t num;
	bool found;
	int i;

	memcpy(id.b, p + ISIS_LSP_OFF_ID, 8);
	if (place_of(db, isis_lspid_key(id.b), at)) {
		i = at;
		found = i < db->n && db->keys[i] == isis_lspid_key(id.b);
	} else {
		i = search(db, &id, &found);
	}
	if (found) {
		l = isis_lspdb_at(db, i);
		db->nlive0 -= id.b[7] == 0 && !l->purged;
		isis_spf_note(db, blob->info.num, l->purged ? NULL : l->blob);
		if (l->purged || lifetime == 0 || !isis_info_same_pfx(&l->blob->info, &blob->info))
			db->pfx_version++;
		isis_blob_put(l->blob);
	} else {
		db->pfx_version++;
		db->layout++;
		isis_spf_note(db, blob->info.num, NULL);
		int w = db->is->words ? db->is->words : 1;

		l = slab_alloc_id(&db->is->lsps, &num);
		l->level = (uint8_t)db->level;
		if ((l->ext = w > 1))
			l->bits.ext = xcalloc((size_t)w * 3, sizeof(*l->bits.ext));
		if (db->n == ISIS_VERTEX_FIRST_MAX)
			bug("IS-IS: more than %d LSPs in one database", ISIS_VERTEX_FIRST_MAX);
		if (db->n == db->cap) {
			db->cap = db->cap ? db->cap * 2 : 64;
			db->v = xrealloc(db->v, (size_t)db->cap * sizeof(*db->v));
			db->keys = xrealloc(db->keys, (size_t)db->cap * sizeof(*db->keys));
		}
		memmove(db->v + i + 1, db->v + i, (size_t)(db->n - i) * sizeof(*db->v));
		memmove(db->keys + i + 1, db->keys + i, (size_t)(db->n - i) * sizeof(*db->keys));
		db->v[i] = num;
		db->keys[i] = isis_lspid_key(id.b);
		db->n++;
	}
	l->blob = blob;
	l->life0 = lifetime;
	l->t0 = isis_now(db->is);
	l->purged = lifetime == 0;
	l->own = own;
	db->nlive0 += id.b[7] == 0 && !l->purged;
	db->version++;
	arm(db, due(l));
	return l;
}

void
isis_lspdb_remove(struct isis_lspdb *db, struct isis_lsp *l)
{
	bool found;
	int i = search(db, isis_lsp_id(l), &found);
	uint32_t num;

	if (!found)
		return;
	num = db->v[i];
	memmove(db->v + i, db->v + i + 1, (size_t)(db->n - i - 1) * sizeof(*db->v));
	memmove(db->keys + i, db->keys + i + 1, (size_t)(db->n - i - 1) * sizeof(*db->keys));
	db->n--;
	db->nlive0 -= isis_lsp_id(l)->b[7] == 0 && !l->purged;
	db->pfx_version++;
	db->layout++;
	isis_spf_note(db, l->blob->info.num, l->purged ? NULL : l->blob);
	for (int k = 0; k < db->is->ncircs; k++)
		isis_srm_clear(l, db->is->circs[k]);
	isis_flood_forget(db->is, l);
	isis_blob_put(l->blob);
	if (l->ext)
		free(l->bits.ext);
	slab_free_id(&db->is->lsps, num);
	db->version++;
}

void
isis_lspdb_clear(struct isis_lspdb *db)
{
	while (db->n > 0)
		isis_lspdb_remove(db, isis_lspdb_at(db, db->n - 1));
	free(db->v);
	free(db->keys);
	db->v = NULL;
	db->keys = NULL;
	db->cap = 0;
	timer_cancel(&db->age_t);
}

/*
 * ISO 10589 7.3.16.4: a purge is the LSP's header with remaining lifetime
 * and checksum zero and no content (with the authentication TLV when the
 * level authenticates, RFC 5304 2), flooded everywhere and kept for
 * ZeroAgeLifetime so that it reaches every router.
 */
void
isis_lspdb_purge(struct isis_lspdb *db, struct isis_lsp *l)
{
	const struct isis *is = db->is;
	const struct isis_key *k = &is->cfg.auth;
	struct isis_pdu pdu;
	uint8_t buf[ISIS_LSP_HLEN + 2 + 255];
	size_t len;

	isis_pdu_init(&pdu, db->level == ISIS_LEVEL1 ? ISIS_L1_LSP : ISIS_L2_LSP);
	pdu.lspid = *isis_lsp_id(l);
	pdu.seq = isis_lsp_seq(l);
	pdu.lifetime = 0;
	pdu.lsp_flags = l->blob ? l->blob->info.flags & ISIS_LSP_ISTYPE : db->level;
	isis_auth_tlv(&pdu, k);
	len = isis_pdu_encode(&pdu, buf, sizeof(buf), k->key, k->len);
	isis_pdu_free(&pdu);
	isis_lspdb_install(db, isis_blob_own(buf, len), 0, l->own, -1);
	db->is->st.purges++;
	isis_flood(db->is, db->level, l, NULL);
}

/*
 * ISO 10589 7.3.16.2-3: which of two instances of an LSP is newer: the
 * higher sequence number; at equal numbers a purge (lifetime zero) is newer
 * than a live instance. Equal numbers with different checksums are treated
 * as the same instance (7.3.16.2 leaves the choice; an originator always
 * moves to a higher number when it changes content).
 */
int
isis_lsp_cmp(const struct isis *is, const struct isis_lsp *l, uint32_t seq, uint16_t life)
{
	bool gone;

	if (seq != isis_lsp_seq(l))
		return seq > isis_lsp_seq(l) ? 1 : -1;
	gone = expired(is, l);
	if ((life == 0) != gone)
		return life == 0 ? 1 : -1;
	return 0;
}
