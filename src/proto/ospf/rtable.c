/*
 * rtable.c: the routing table as SPF builds it (RFC 2328 11, 16), and
 * handing it to the RIB.
 *
 * A computation files each candidate route under the number of its prefix
 * (pfxindex.c), in arrays that every router shares and that are reused from
 * one run to the next, so a run allocates nothing once they have grown.
 * Next hops are kept as sets stored once per run and named by a number, so a
 * route or an SPF vertex carries one number instead of up to sixteen next
 * hops, and the common merge of a set with itself is a comparison.
 *
 * Each router remembers, per prefix number, a 64-bit digest of the route it
 * last gave the RIB (code, metric, tag and next hops: what a RIB path holds;
 * the distance is always 110). After a run only routes whose digest changed
 * are offered, and only prefixes that are gone are withdrawn, in prefix
 * order: exactly the calls of a full rib_sync_begin/rib_add/rib_sync_end that
 * change anything, without visiting the thousands of routes that did not
 * change. (A digest collision would hide a change; at 2^-64 per comparison
 * that is not a practical concern.)
 *
 * The complete table (struct ospf_table, sorted by prefix) is built only for
 * its readers: `show ip ospf route`, tests, and area border routers, which
 * derive their summary-LSAs from it.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/log.h"
#include "../../lib/marks.h"
#include "../../lib/util.h"
#include "../../net/rib.h"
#include "ospf.h"

/* --- next-hop sets -------------------------------------------------------------------------- */

struct ospf_nhs {
	uint32_t off; /* in nh */
	uint8_t n;
	uint64_t hash;
};

/*
 * The table the computation in progress uses (ospf_rt_begin). This file's
 * scratch is per thread (see sim.h): cur, rt and scratch name this thread's.
 */
static struct {
	SIM_THREAD_ALIGN struct ospf_nht *p;
} curs[SIM_MAX_THREADS];
#define cur (curs[sim_thread].p)

static uint64_t
nh_hash(const struct nexthop *nh, uint8_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;

	for (uint8_t i = 0; i < n; i++) {
		h ^= (uint64_t)nh[i].gw << 16 | nh[i].ifindex;
		h *= 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
	}
	return h;
}

static bool
nh_equal(const struct nexthop *a, const struct nexthop *b, uint8_t n)
{
	for (uint8_t i = 0; i < n; i++)
		if (a[i].gw != b[i].gw || a[i].ifindex != b[i].ifindex)
			return false;
	return true;
}

static void
slot_put(struct ospf_nht *t, uint32_t s)
{
	size_t mask = t->nslot - 1, i;

	for (i = t->s[s].hash & mask; t->slot[i]; i = (i + 1) & mask)
		;
	t->slot[i] = s + 1;
}

/* The number of the canonical (sorted, unique) set v[0..n). */
static uint32_t
intern(struct ospf_nht *t, const struct nexthop *v, uint8_t n)
{
	uint64_t h = nh_hash(v, n);
	size_t mask = t->nslot - 1, i;

	for (i = h & mask; t->nslot > 0 && t->slot[i]; i = (i + 1) & mask) {
		const struct ospf_nhs *s = &t->s[t->slot[i] - 1];

		if (s->hash == h && s->n == n && nh_equal(&t->nh[s->off], v, n))
			return t->slot[i] - 1;
	}
	grow_array((void **)&t->s, &t->cap, t->n + 1, sizeof(*t->s));
	grow_array((void **)&t->nh, &t->nhcap, t->nnh + n + 1, sizeof(*t->nh));
	if (n > 0)
		memcpy(&t->nh[t->nnh], v, sizeof(*v) * n);
	t->s[t->n] = (struct ospf_nhs){(uint32_t)t->nnh, n, h};
	t->nnh += n;
	if ((t->n + 1) * 2 > t->nslot) {
		free(t->slot);
		t->nslot = t->nslot ? t->nslot * 2 : 64;
		t->slot = xcalloc(t->nslot, sizeof(*t->slot));
		for (uint32_t k = 0; k < t->n; k++)
			slot_put(t, k);
	}
	slot_put(t, (uint32_t)t->n);
	return (uint32_t)t->n++;
}

void
ospf_nht_reset(struct ospf_nht *t)
{
	t->n = t->nnh = 0;
	if (t->slot != NULL)
		memset(t->slot, 0, sizeof(*t->slot) * t->nslot);
	(void)intern(t, NULL, 0); /* set 0: no next hop */
}

void
ospf_nht_free(struct ospf_nht *t)
{
	free(t->nh);
	free(t->s);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

uint32_t
ospf_nhs_make(const struct nexthop *nh, size_t n)
{
	struct nexthop v[2 * OSPF_MAX_PATHS];
	size_t k = 0;

	/* Insertion sort: sets are tiny. */
	for (size_t i = 0; i < n && i < ARRAY_LEN(v); i++) {
		size_t j = k;
		bool dup = false;

		for (size_t x = 0; x < k; x++)
			if (nexthop_cmp(&v[x], &nh[i]) == 0)
				dup = true;
		if (dup)
			continue;
		while (j > 0 && nexthop_cmp(&v[j - 1], &nh[i]) > 0) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = nh[i];
		k++;
	}
	return k ? intern(cur, v, (uint8_t)MIN(k, OSPF_MAX_PATHS)) : 0;
}

uint32_t
ospf_nhs_union(uint32_t a, uint32_t b)
{
	struct nexthop v[2 * OSPF_MAX_PATHS];
	const struct nexthop *x, *y;
	uint8_t nx, ny, i = 0, j = 0;
	size_t k = 0;

	if (a == b || b == 0)
		return a;
	if (a == 0)
		return b;
	x = ospf_nhs_get(a, &nx);
	y = ospf_nhs_get(b, &ny);
	while (i < nx || j < ny) {
		int c = i == nx ? 1 : j == ny ? -1 : nexthop_cmp(&x[i], &y[j]);

		v[k++] = c <= 0 ? x[i] : y[j];
		i += c <= 0;
		j += c >= 0;
	}
	return intern(cur, v, (uint8_t)MIN(k, OSPF_MAX_PATHS));
}

const struct nexthop *
ospf_nhs_get(uint32_t s, uint8_t *n)
{
	*n = cur->s[s].n;
	return &cur->nh[cur->s[s].off];
}

uint64_t
ospf_nhs_hash(uint32_t s)
{
	return cur->s[s].hash;
}

uint64_t
ospf_nht_hash(const struct ospf_nht *t, uint32_t s)
{
	return t->s[s].hash;
}

size_t
ospf_nhs_count(void)
{
	return cur->n;
}

/* --- routes by prefix number ------------------------------------------------------------------ */

struct slot {
	uint32_t stamp; /* the computation that filed r */
	struct ospf_rt r;
};

static struct {
	SIM_THREAD_ALIGN struct slot *v; /* a stamped array (lib/marks.h) */
	size_t nv;
	uint32_t stamp;
	uint32_t *order; /* prefix numbers in the order their first route came */
	size_t n, cap;
} rts[SIM_MAX_THREADS];
#define rt (rts[sim_thread])

/* Routes only (the next-hop table stays as it is). */
static void
rt_clear(void)
{
	uint32_t need = ospf_pfx_count();

	STAMPED_CLEAR(rt.v, rt.nv, rt.stamp, need);
	rt.n = 0;
}

/* Next-hop sets of computations that are not kept (show, checks). */
static struct {
	SIM_THREAD_ALIGN struct ospf_nht t;
} scratches[SIM_MAX_THREADS];
#define scratch (scratches[sim_thread].t)

void
ospf_rt_begin(struct ospf_nht *t)
{
	cur = t != NULL ? t : &scratch;
	ospf_nht_reset(cur);
	rt_clear();
}

void
ospf_rt_resume(struct ospf_nht *t)
{
	cur = t;
	if (t->n == 0)
		ospf_nht_reset(t);
	rt_clear();
}

/* Intra-area, inter-area, type 1 external (E1, N1), type 2 external (E2, N2). */
static int
rank(uint8_t ptype)
{
	return !OSPF_PATH_EXT(ptype) ? ptype : OSPF_PATH_TYPE2(ptype) ? 3 : 2;
}

/*
 * Between external paths equal in type and cost, RFC 3101 2.5 step 6d
 * prefers a Type-7 LSA with the P-bit set, then a Type-5 LSA, then the rest
 * (a Type-7 default, P-bit clear).
 */
static int
nssa_rank(const struct ospf_rt *r)
{
	return !OSPF_PATH_NSSA(r->ptype) ? 1 : r->pbit ? 0 : 2;
}

static int
route_pref(const struct ospf_rt *c, const struct ospf_rt *r)
{
	if (rank(c->ptype) != rank(r->ptype))
		return rank(c->ptype) < rank(r->ptype) ? -1 : 1;
	if (OSPF_PATH_TYPE2(c->ptype) && c->cost2 != r->cost2)
		return c->cost2 < r->cost2 ? -1 : 1;
	if (c->cost != r->cost)
		return c->cost < r->cost ? -1 : 1;
	if (OSPF_PATH_EXT(c->ptype) && nssa_rank(c) != nssa_rank(r))
		return nssa_rank(c) < nssa_rank(r) ? -1 : 1;
	return 0;
}

void
ospf_rt_add(uint32_t pid, const struct ospf_rt *c)
{
	struct slot *s;
	int p;

	if (c->nhs == 0 || pid == OSPF_PFX_NONE)
		return;
	if (pid >= rt.nv)
		bug("ospf: prefix number %u beyond the table (%zu)", pid, rt.nv);
	s = &rt.v[pid];
	if (s->stamp != rt.stamp) {
		s->stamp = rt.stamp;
		s->r = *c;
		VEC_PUSH(rt.order, rt.n, rt.cap, pid);
		return;
	}
	p = route_pref(c, &s->r);
	if (p > 0)
		return;
	if (p < 0) {
		s->r = *c;
		return;
	}
	/* Equal cost: both paths (16.1 step 2d, 16.2 step 5, 16.4 step 6). */
	s->r.nhs = ospf_nhs_union(s->r.nhs, c->nhs);
	s->r.connected &= c->connected;
	if (c->area < s->r.area)
		s->r.area = c->area;
}

const struct ospf_rt *
ospf_rt_get(uint32_t pid)
{
	if (pid == OSPF_PFX_NONE || pid >= rt.nv || rt.v[pid].stamp != rt.stamp)
		return NULL;
	return &rt.v[pid].r;
}

const struct ospf_rt *
ospf_rt_at(size_t i, uint32_t *pid)
{
	if (i >= rt.n)
		return NULL;
	*pid = rt.order[i];
	return &rt.v[rt.order[i]].r;
}

void
ospf_rt_table(struct ospf_table *t)
{
	for (size_t i = 0; i < rt.n; i++) {
		const struct ospf_rt *r = &rt.v[rt.order[i]].r;
		const struct nexthop *nh;
		struct ospf_route *o;

		grow_array((void **)&t->r, &t->cap, t->n + 1, sizeof(*t->r));
		o = &t->r[t->n++];
		memset(o, 0, sizeof(*o));
		o->pfx = ospf_pfx_of(rt.order[i]);
		o->ptype = r->ptype;
		o->connected = r->connected;
		o->cost = r->cost;
		o->cost2 = r->cost2;
		o->area = r->area;
		o->tag = r->tag;
		o->adv = r->adv;
		nh = ospf_nhs_get(r->nhs, &o->nnh);
		memcpy(o->nh, nh, sizeof(*nh) * o->nnh);
	}
}

/* --- the RIB ---------------------------------------------------------------------------------- */

static const char *
code_of(uint8_t ptype)
{
	static const char *const codes[] = {"O", "O IA", "O E1", "O E2", "O N1", "O N2"};

	return codes[ptype];
}

static uint32_t
metric_of(const struct ospf_rt *r)
{
	return OSPF_PATH_TYPE2(r->ptype) ? r->cost2 : r->cost;
}

/* What the RIB would hold for r: code, metric, tag, next hops (never 0). */
static uint64_t
digest(const struct ospf_rt *r)
{
	uint64_t h = cur->s[r->nhs].hash;

	h = (h ^ ((uint64_t)r->ptype << 32 | metric_of(r))) * 0x9e3779b97f4a7c15ULL;
	h ^= h >> 29;
	h = (h ^ r->tag) * 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return h ? h : 1;
}

struct chg {
	uint64_t key; /* prefix_key(): the order of prefix_cmp() */
	uint32_t pid;
};

static int
chg_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct chg *)a)->key, y = ((const struct chg *)b)->key;

	return x < y ? -1 : x > y;
}

/*
 * Changes go to the RIB in prefix order (so do route_change events). Many
 * changes at once (a cold start, a flood) are picked out of the prefixes kept
 * in order by pfxindex.c, in time linear in the number of prefixes; a few are
 * sorted.
 */
static void
in_prefix_order(struct chg *v, size_t n)
{
	static struct {
		SIM_THREAD_ALIGN struct marks m;
	} changeds[SIM_MAX_THREADS];
	struct marks *changed = &changeds[sim_thread].m;
	const uint32_t *all;
	size_t nall, k = 0;

	if (n < 2)
		return;
	all = ospf_pfx_sorted(&nall);
	if (n * 8 < nall) {
		qsort(v, n, sizeof(*v), chg_cmp);
		return;
	}
	marks_clear(changed, ospf_pfx_count());
	for (size_t i = 0; i < n; i++)
		marks_set(changed, v[i].pid, 0);
	for (size_t j = 0; j < nall && k < n; j++)
		if (marks_has(changed, all[j]))
			v[k++].pid = all[j]; /* (only .pid is read from here on) */
	if (k != n)
		bug("ospf: %zu of %zu changed prefixes are not live", n - k, n);
}

static void
push_chg(struct chg **v, size_t *n, size_t *cap, uint32_t pid)
{
	struct prefix p = ospf_pfx_of(pid);

	VEC_PUSH(*v, *n, *cap, ((struct chg){prefix_key(&p), pid}));
}

/*
 * The RIB calls: new or changed routes, then withdrawals, each in prefix
 * order (as rib_sync_begin/rib_add/rib_sync_end would make them).
 */
static void
apply(struct ospf *o, struct chg *add, size_t nadd, struct chg *del, size_t ndel)
{
	struct rib *rib = ospf_rib(o);
	size_t fresh = 0;

	in_prefix_order(add, nadd);
	/* Prefixes OSPF did not have: the RIB grows once for all of them (a cold start's first run). */
	for (size_t i = 0; i < nadd; i++)
		fresh += o->rib_dig[add[i].pid] == 0;
	rib_reserve(rib, fresh);
	for (size_t i = 0; i < nadd; i++) {
		uint32_t pid = add[i].pid;
		const struct ospf_rt *r = &rt.v[pid].r;
		struct route x = {.src = &ospf_rib_src,
		                  .code = code_of(r->ptype),
		                  .distance = 110,
		                  .metric = metric_of(r),
		                  .tag = r->tag};
		const struct nexthop *nh = ospf_nhs_get(r->nhs, &x.nnh);
		struct prefix p = ospf_pfx_of(pid);

		memcpy(x.nh, nh, sizeof(*nh) * x.nnh);
		rib_add(rib, &p, &x);
		if (o->rib_dig[pid] == 0) {
			ospf_pfx_hold(pid); /* the number stays this prefix's while we have it */
			o->ninstalled++;
		}
		o->rib_dig[pid] = digest(r);
	}
	in_prefix_order(del, ndel);
	for (size_t i = 0; i < ndel; i++) {
		struct prefix p = ospf_pfx_of(del[i].pid);

		rib_del(rib, &p, &ospf_rib_src);
		o->rib_dig[del[i].pid] = 0;
		o->ninstalled--;
		ospf_pfx_unref(del[i].pid);
	}
}

static void
dig_grow(struct ospf *o)
{
	uint32_t need = ospf_pfx_count();

	if (need > o->nrib_dig) {
		/* Some slack: numbers come a few at a time, and each router has such an array. */
		uint32_t n = need + need / 16 + 16;

		o->rib_dig = xrealloc(o->rib_dig, sizeof(*o->rib_dig) * n);
		memset(o->rib_dig + o->nrib_dig, 0, sizeof(*o->rib_dig) * (n - o->nrib_dig));
		o->nrib_dig = n;
	}
}

void
ospf_rt_install(struct ospf *o)
{
	struct chg *add = NULL, *del = NULL;
	size_t nadd = 0, addcap = 0, ndel = 0, delcap = 0, kept = 0;

	dig_grow(o);
	/* Looked up in the order routes were found: load it in one sweep first. */
	prefetch_span(o->rib_dig, sizeof(*o->rib_dig) * o->nrib_dig);
	for (size_t i = 0; i < rt.n; i++) {
		uint32_t pid = rt.order[i];

		kept += o->rib_dig[pid] != 0;
		if (o->rib_dig[pid] != digest(&rt.v[pid].r))
			push_chg(&add, &nadd, &addcap, pid);
	}
	/* Every route we had is still there unless fewer were found again: then withdraw. */
	if (kept != o->ninstalled)
		for (uint32_t pid = 0; pid < o->nrib_dig; pid++)
			if (o->rib_dig[pid] != 0 && ospf_rt_get(pid) == NULL)
				push_chg(&del, &ndel, &delcap, pid);
	apply(o, add, nadd, del, ndel);
	free(add);
	free(del);
}

bool
ospf_rt_same_as_installed(const struct ospf *o)
{
	size_t n = 0;

	for (size_t i = 0; i < rt.n; i++) {
		uint32_t pid = rt.order[i];

		if (pid >= o->nrib_dig || o->rib_dig[pid] != digest(&rt.v[pid].r))
			return false;
	}
	for (uint32_t pid = 0; pid < o->nrib_dig; pid++)
		n += o->rib_dig[pid] != 0;
	return n == rt.n && n == o->ninstalled;
}

void
ospf_rt_install_some(struct ospf *o, const uint32_t *pids, size_t n)
{
	struct chg *add = NULL, *del = NULL;
	size_t nadd = 0, addcap = 0, ndel = 0, delcap = 0;

	dig_grow(o);
	for (size_t i = 0; i < n; i++) {
		const struct ospf_rt *r = ospf_rt_get(pids[i]);

		if (r != NULL && o->rib_dig[pids[i]] != digest(r))
			push_chg(&add, &nadd, &addcap, pids[i]);
		else if (r == NULL && o->rib_dig[pids[i]] != 0)
			push_chg(&del, &ndel, &delcap, pids[i]);
	}
	apply(o, add, nadd, del, ndel);
	free(add);
	free(del);
}

void
ospf_rt_forget(struct ospf *o)
{
	for (uint32_t pid = 0; pid < o->nrib_dig; pid++)
		if (o->rib_dig[pid] != 0)
			ospf_pfx_unref(pid);
	free(o->rib_dig);
	o->rib_dig = NULL;
	o->nrib_dig = 0;
	o->ninstalled = 0;
}
