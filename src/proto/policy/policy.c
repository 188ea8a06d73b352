/*
 * policy.c: running route maps over routes (policy.h), with FRR's semantics
 * (lib/routemap.c route_map_apply_ext, bgpd/bgp_routemap.c, bgp_clist.c,
 * lib/plist.c), and the policy set's slots.
 *
 * policy_apply is called on worker threads: it reads the set and writes only
 * the route it is given (arrays rebuilt into r->buf, never allocated) and the
 * relaxed-atomic hit counters.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/log.h"
#include "../../lib/util.h"
#include "../../net/net.h"
#include "policy_int.h"

const char *const policy_kind_names[PK_COUNT] = {"prefix_list", "as_path_list", "community_list",
    "large_community_list", "ext_community_list", "route_map"};

unsigned
policy_member_size(enum policy_kind k)
{
	return k == PK_COMM ? 4 : k == PK_LCOMM ? 12 : k == PK_ECOMM ? 8 : 0;
}

/* ---- the set's slots ---- */

struct policy_slot *
policy_slot_find(const struct policy_set *s, enum policy_kind kind, const char *name)
{
	for (size_t i = 0; s != NULL && i < s->n; i++)
		if (s->slots[i]->kind == kind && strcmp(s->slots[i]->name, name) == 0)
			return s->slots[i];
	return NULL;
}

struct policy_slot *
policy_slot_get(struct policy_set *s, enum policy_kind kind, const char *name)
{
	struct policy_slot *sl = policy_slot_find(s, kind, name);

	if (sl == NULL) {
		sl = xcalloc(1, sizeof(*sl));
		sl->kind = kind;
		sl->name = xstrdup(name);
		VEC_PUSH(s->slots, s->n, s->cap, sl);
	}
	return sl;
}

void
policy_list_entry_free(struct plist_entry *e)
{
	if (e->regex != NULL) {
		regfree(&e->re);
		free(e->regex);
	}
	free(e->mem);
	memset(e, 0, sizeof(*e));
}

void
policy_rm_entry_free(struct rm_entry *e)
{
	free(e->desc);
	free(e->m_rtype);
	free(e->s_comm);
	free(e->s_lcomm);
	free(e->s_ecomm);
	free(e->s_prepend);
	free(e->s_exclude);
	memset(e, 0, sizeof(*e));
}

static void
plist_free(struct plist *l)
{
	for (size_t i = 0; i < l->n; i++)
		policy_list_entry_free(&l->e[i]);
	free(l->e);
	free(l);
}

static void
map_free(struct policy_map *m)
{
	for (size_t i = 0; i < m->n; i++)
		policy_rm_entry_free(&m->e[i]);
	if (m->lua != NULL)
		policy_lua_free(m->lua);
	free(m->lua_where);
	free(m->e);
	free(m->name);
	free(m);
}

void
policy_obj_free(enum policy_kind kind, void *obj)
{
	if (obj == NULL)
		return;
	if (kind == PK_RMAP)
		map_free(obj);
	else
		plist_free(obj);
}

void
policy_set_free(struct policy_set *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++) {
		policy_obj_free(s->slots[i]->kind, s->slots[i]->obj);
		free(s->slots[i]->name);
		free(s->slots[i]);
	}
	free(s->slots);
	free(s);
}

const struct policy_map *
policy_find(const struct node *n, const char *name)
{
	struct policy_slot *sl = policy_slot_find(n->policy, PK_RMAP, name);

	return sl != NULL ? sl->obj : NULL;
}

const char *
policy_map_name(const struct policy_map *m)
{
	return m->name;
}

static bool
slot_is(const struct policy_slot *sl, const char *kind, const char *name)
{
	return sl != NULL && strcmp(policy_kind_names[sl->kind], kind) == 0 &&
	       strcmp(sl->name, name) == 0;
}

bool
policy_map_matches_peer(const struct node *n, const char *map)
{
	const struct policy_map *m = policy_find(n, map);

	for (size_t i = 0; m != NULL && i < m->n; i++)
		if (m->e[i].match & RMM_PEER)
			return true;
	return false;
}

bool
policy_map_refers(const struct node *n, const char *map, const char *kind, const char *name)
{
	const struct policy_map *m;

	if (strcmp(kind, policy_kind_names[PK_RMAP]) == 0 && strcmp(map, name) == 0)
		return true;
	if ((m = policy_find(n, map)) == NULL)
		return false;
	for (size_t i = 0; i < m->n; i++) {
		const struct rm_entry *e = &m->e[i];

		if (slot_is(e->m_plist, kind, name) || slot_is(e->m_nh_plist, kind, name) ||
		    slot_is(e->m_aspath, kind, name) || slot_is(e->m_comm, kind, name) ||
		    slot_is(e->m_lcomm, kind, name) || slot_is(e->m_ecomm, kind, name) ||
		    slot_is(e->s_comm_del, kind, name))
			return true;
	}
	return false;
}

uint64_t
policy_generation(const struct node *n)
{
	return n->policy != NULL ? n->policy->gen : 0;
}

static inline void
hit(_Atomic uint64_t *c)
{
	atomic_fetch_add_explicit(c, 1, memory_order_relaxed);
}

/* ---- lists ---- */

/*
 * FRR's prefix-list entry: the prefix covers the route's, and its length is
 * exactly the entry's when neither ge nor le is given, else within
 * [ge or len, le or 32].
 */
static bool
prefix_entry_match(const struct plist_entry *e, const struct prefix *p)
{
	unsigned lo, hi;

	if (e->any)
		return true;
	if (p->len < e->pfx.len || (p->addr & ip_mask(e->pfx.len)) != e->pfx.addr)
		return false;
	if (e->ge == 0 && e->le == 0)
		return p->len == e->pfx.len;
	lo = e->ge ? e->ge : e->pfx.len;
	hi = e->le ? e->le : 32;
	return p->len >= lo && p->len <= hi;
}

bool
plist_match_prefix(const struct plist *l, const struct prefix *p)
{
	if (l == NULL) /* a missing list denies (FRR's prefix_list_apply) */
		return false;
	if (l->n == 0) /* an empty one permits */
		return true;
	for (size_t i = 0; i < l->n; i++)
		if (prefix_entry_match(&l->e[i], p)) {
			hit((_Atomic uint64_t *)&l->e[i].hits);
			return l->e[i].permit;
		}
	return false;
}

/* AS-path lists and expanded entries: the first entry whose regex matches decides. */
bool
plist_match_text(const struct plist *l, const char *text)
{
	for (size_t i = 0; l != NULL && i < l->n; i++)
		if (l->e[i].regex != NULL && regexec(&l->e[i].re, text, 0, NULL, 0) == 0) {
			hit((_Atomic uint64_t *)&l->e[i].hits);
			return l->e[i].permit;
		}
	return false;
}

/* The attribute's members of a community kind. */
static const uint8_t *
attr_members(const struct bgp_attr *a, enum policy_kind kind, size_t *n)
{
	*n = kind == PK_COMM ? a->ncomm : kind == PK_LCOMM ? a->nlcomm : a->necomm;
	return kind == PK_COMM ? (const uint8_t *)a->comm : kind == PK_LCOMM ? a->lcomm : a->ecomm;
}

static bool
has_member(const uint8_t *v, size_t n, const uint8_t *m, unsigned sz)
{
	for (size_t i = 0; i < n; i++)
		if (memcmp(v + i * sz, m, sz) == 0)
			return true;
	return false;
}

/* Every member of the entry is in v[0..n) (FRR's community_include), or exactly the same set. */
static bool
members_match(const struct plist_entry *e, const uint8_t *v, size_t n, unsigned sz, bool exact)
{
	for (size_t i = 0; i < e->nmem; i++)
		if (!has_member(v, n, e->mem + i * sz, sz))
			return false;
	if (exact)
		for (size_t i = 0; i < n; i++)
			if (!has_member(e->mem, e->nmem, v + i * sz, sz))
				return false;
	return true;
}

void
policy_member_text(enum policy_kind kind, const uint8_t *m, struct strbuf *sb)
{
	uint32_t c;

	if (kind == PK_COMM) {
		memcpy(&c, m, 4);
		bgp_comm_str(c, sb);
	} else if (kind == PK_LCOMM) {
		sb_printf(sb, "%u:%u:%u", get32(m), get32(m + 4), get32(m + 8));
	} else if ((m[0] == 0x00 || m[0] == 0x01 || m[0] == 0x02) && (m[1] == 0x02 || m[1] == 0x03)) {
		/* RFC 4360 3.1-3.2, RFC 5668: route target and site of origin, as FRR prints them */
		const char *k = m[1] == 0x02 ? "RT" : "SoO";

		if (m[0] == 0x00)
			sb_printf(sb, "%s:%u:%u", k, get16(m + 2), get32(m + 4));
		else if (m[0] == 0x01)
			sb_printf(sb, "%s:%s:%u", k, ip_str(get32(m + 2)), get16(m + 6));
		else
			sb_printf(sb, "%s:%u:%u", k, get32(m + 2), get16(m + 6));
	} else {
		sb_add(sb, "0x");
		for (int i = 0; i < 8; i++)
			sb_printf(sb, "%02x", m[i]);
	}
}

void
policy_attr_comm_text(const struct bgp_attr *a, enum policy_kind kind, struct strbuf *sb)
{
	size_t n;
	const uint8_t *v = attr_members(a, kind, &n);
	unsigned sz = policy_member_size(kind);

	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_addc(sb, ' ');
		policy_member_text(kind, v + i * sz, sb);
	}
}

/*
 * FRR's community_list_match (and _exact_match): the first entry that
 * matches decides; standard entries when all their members are present,
 * expanded ones when their regex matches the attribute's text.
 */
static bool
comm_list_match(const struct plist *l, const struct bgp_attr *a, bool exact)
{
	size_t n;
	const uint8_t *v;
	unsigned sz;
	struct strbuf text = STRBUF_INIT;
	bool have_text = false, r = false;

	if (l == NULL)
		return false;
	v = attr_members(a, l->kind, &n);
	sz = policy_member_size(l->kind);
	for (size_t i = 0; i < l->n; i++) {
		const struct plist_entry *e = &l->e[i];
		bool m;

		if (e->regex != NULL) {
			if (!have_text) {
				policy_attr_comm_text(a, l->kind, &text);
				have_text = true;
			}
			m = regexec(&e->re, sb_str(&text), 0, NULL, 0) == 0;
		} else {
			m = (n > 0 || e->nmem == 0) && members_match(e, v, n, sz, exact);
		}
		if (m) {
			hit((_Atomic uint64_t *)&e->hits);
			r = e->permit;
			break;
		}
	}
	sb_free(&text);
	return r;
}

/* Does one member match an entry of l (permit)? FRR's community_list_match_delete, per value. */
static bool
member_listed(const struct plist *l, const uint8_t *m)
{
	unsigned sz = policy_member_size(l->kind);

	for (size_t i = 0; i < l->n; i++) {
		const struct plist_entry *e = &l->e[i];
		bool hitm;

		if (e->regex != NULL) {
			struct strbuf t = STRBUF_INIT;

			policy_member_text(l->kind, m, &t);
			hitm = regexec(&e->re, sb_str(&t), 0, NULL, 0) == 0;
			sb_free(&t);
		} else {
			hitm = has_member(e->mem, e->nmem, m, sz);
		}
		if (hitm)
			return e->permit;
	}
	return false;
}

/* ---- route maps ---- */

static bool
entry_matches(const struct rm_entry *e, const struct policy_route *r)
{
	const struct bgp_attr *a = r->attr;
	unsigned m = e->match;

	if ((m & RMM_PLIST) && !plist_match_prefix(e->m_plist->obj, &r->pfx))
		return false;
	if (m & RMM_NH_PLIST) {
		struct prefix nh = {a->nexthop, 32};

		if (!(a->has & BGP_HAS_NEXT_HOP) || !plist_match_prefix(e->m_nh_plist->obj, &nh))
			return false;
	}
	if ((m & RMM_NH) && (!(a->has & BGP_HAS_NEXT_HOP) || a->nexthop != e->m_nh))
		return false;
	if ((m & RMM_ORIGIN) && a->origin != e->m_origin)
		return false;
	/* an absent MED is 0 and an absent LOCAL_PREF 100, the values the decision uses */
	if ((m & RMM_MED) && (a->has & BGP_HAS_MED ? a->med : 0) != e->m_med)
		return false;
	if ((m & RMM_LP) &&
	    (a->has & BGP_HAS_LOCAL_PREF ? a->local_pref : BGP_LOCAL_PREF_DFLT) != e->m_lp)
		return false;
	if ((m & RMM_TAG) && r->tag != e->m_tag)
		return false;
	if ((m & RMM_PEER) && r->peer_addr != e->m_peer)
		return false;
	if ((m & RMM_RTYPE) && (r->route_type == NULL || strcmp(r->route_type, e->m_rtype) != 0))
		return false;
	if (m & RMM_ASPATH) {
		struct strbuf sb = STRBUF_INIT;
		bool ok;

		bgp_aspath_str(a->aspath, a->aspath_len, &sb);
		ok = plist_match_text(e->m_aspath->obj, sb_str(&sb));
		sb_free(&sb);
		if (!ok)
			return false;
	}
	if ((m & RMM_COMM) && !comm_list_match(e->m_comm->obj, a, e->m_comm_exact))
		return false;
	if ((m & RMM_LCOMM) && !comm_list_match(e->m_lcomm->obj, a, false))
		return false;
	if ((m & RMM_ECOMM) && !comm_list_match(e->m_ecomm->obj, a, false))
		return false;
	return true;
}

/*
 * Room in r->buf, its address aligned for uint32_t arrays (the caller may
 * lay the route out anywhere: buf itself need not be aligned); NULL when short.
 */
static uint8_t *
take(struct policy_route *r, size_t len)
{
	size_t at = r->used + (-(uintptr_t)(r->buf + r->used) & 3);

	if (at > POLICY_BUF || POLICY_BUF - at < len)
		return NULL;
	r->used = at + len;
	return r->buf + at;
}

/* FRR's route_value_adjust: absolute, or +N/-N saturating at 0 and 2^32-1. */
static uint32_t
adjust(uint32_t cur, uint32_t v, enum rm_rel rel)
{
	if (rel == RM_ADD)
		return cur > UINT32_MAX - v ? UINT32_MAX : cur + v;
	if (rel == RM_SUB)
		return cur < v ? 0 : cur - v;
	return v;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
lcomm_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 12);
}

static int
ecomm_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 8);
}

/*
 * FRR's *_uniq_sort: standard communities in numeric order, large and
 * extended ones in octet order (their wire form, big-endian), once each.
 */
size_t
policy_uniq_sort(enum policy_kind kind, uint8_t *v, size_t n)
{
	unsigned sz = policy_member_size(kind);
	size_t m = 0;

	if (n == 0)
		return 0;
	qsort(v, n, sz, kind == PK_COMM ? u32_cmp : kind == PK_LCOMM ? lcomm_cmp : ecomm_cmp);
	for (size_t i = 0; i < n; i++)
		if (m == 0 || memcmp(v + (m - 1) * sz, v + i * sz, sz) != 0)
			memmove(v + m++ * sz, v + i * sz, sz);
	return m;
}

/* old (n members) merged with add (k members) into buf (FRR's *_merge then *_uniq_sort). */
static bool
merge_members(struct policy_route *r, enum policy_kind kind, const uint8_t *old, size_t n,
    const uint8_t *add, size_t k, const uint8_t **out, size_t *nout)
{
	unsigned sz = policy_member_size(kind);
	uint8_t *v = take(r, (n + k) * sz);

	if (v == NULL)
		return false;
	if (n > 0)
		memcpy(v, old, n * sz);
	if (k > 0)
		memcpy(v + n * sz, add, k * sz);
	*out = v;
	*nout = policy_uniq_sort(kind, v, n + k);
	return true;
}

/* The path without the ASes listed (FRR's aspath_filter_exclude); empty segments go. */
static bool
aspath_exclude(struct policy_route *r, const uint32_t *ex, size_t nex)
{
	struct bgp_attr *a = r->attr;
	uint8_t *out = take(r, a->aspath_len);
	size_t o = 0;

	if (out == NULL)
		return false;
	for (struct bgp_seg s = {.p = a->aspath, .len = a->aspath_len, .asz = 4}; bgp_seg_next(&s);) {
		size_t hdr = o;
		unsigned kept = 0;

		o += 2;
		for (unsigned i = 0; i < s.n; i++) {
			uint32_t as = get32(s.as + 4 * i);
			bool drop = false;

			for (size_t j = 0; j < nex && !drop; j++)
				drop = ex[j] == as;
			if (!drop) {
				put32(out + o, as);
				o += 4;
				kept++;
			}
		}
		if (kept == 0) {
			o = hdr;
			continue;
		}
		out[hdr] = s.type;
		out[hdr + 1] = (uint8_t)kept;
	}
	a->aspath = out;
	a->aspath_len = (uint16_t)o;
	return true;
}

/* Prepend as n times (bgp_aspath_prepend into buf). */
static bool
aspath_prepend(struct policy_route *r, uint32_t as, unsigned n)
{
	struct bgp_attr *a = r->attr;
	size_t at = r->used; /* octets: no alignment */
	int len;

	len = bgp_aspath_prepend(a->aspath, a->aspath_len, as, n, r->buf + at, POLICY_BUF - at);
	if (len < 0 || len > UINT16_MAX)
		return false;
	r->used = at + (size_t)len;
	a->aspath = r->buf + at;
	a->aspath_len = (uint16_t)len;
	return true;
}

/* The community attribute without the members community list l permits. */
static bool
comm_delete(struct policy_route *r, enum policy_kind kind, const struct plist *l)
{
	struct bgp_attr *a = r->attr;
	size_t n, m = 0;
	const uint8_t *v = attr_members(a, kind, &n);
	unsigned sz = policy_member_size(kind);
	uint8_t *out;

	if (l == NULL || n == 0)
		return true;
	if ((out = take(r, n * sz)) == NULL)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!member_listed(l, v + i * sz))
			memcpy(out + m++ * sz, v + i * sz, sz);
	a->comm = (const uint32_t *)(void *)out;
	a->ncomm = (uint16_t)m;
	return true;
}

/* The entry's sets, in FRR's order of no consequence (each touches its own attribute). */
static bool
apply_sets(const struct rm_entry *e, struct policy_route *r)
{
	struct bgp_attr *a = r->attr;
	unsigned s = e->set;
	const uint8_t *v;
	size_t n;

	if (s & RMS_LP) {
		uint32_t cur = a->has & BGP_HAS_LOCAL_PREF ? a->local_pref : BGP_LOCAL_PREF_DFLT;

		a->local_pref = adjust(cur, e->s_lp, e->s_lp_rel);
		a->has |= BGP_HAS_LOCAL_PREF;
	}
	if (s & RMS_MED) {
		a->med = adjust(a->has & BGP_HAS_MED ? a->med : 0, e->s_med, e->s_med_rel);
		a->has |= BGP_HAS_MED;
	}
	if (s & RMS_WEIGHT)
		a->weight = e->s_weight;
	if (s & RMS_TAG)
		r->tag = a->tag = e->s_tag;
	if (s & RMS_ORIGIN)
		a->origin = e->s_origin;
	if (s & RMS_NH) {
		switch (e->s_nh_mode) {
		case RM_NH_ADDR:
			a->nexthop = e->s_nh;
			a->has |= BGP_HAS_NEXT_HOP;
			break;
		case RM_NH_SELF:
			if (r->self_addr != 0) {
				a->nexthop = r->self_addr;
				a->has |= BGP_HAS_NEXT_HOP;
			} else {
				r->nh_self = true; /* the caller knows its address */
			}
			break;
		case RM_NH_PEER:
			r->nh_peer = true;
			break;
		case RM_NH_UNCHANGED:
			r->nh_unchanged = true;
			break;
		}
	}
	/* replaced or added to, the result is in buf, sorted (FRR's community_uniq_sort) */
	if (s & RMS_COMM) {
		if (!merge_members(r, PK_COMM, (const uint8_t *)a->comm, e->s_comm_add ? a->ncomm : 0,
		                   (const uint8_t *)e->s_comm, e->s_ncomm, &v, &n))
			return false;
		a->comm = (const uint32_t *)(const void *)v;
		a->ncomm = (uint16_t)n;
	}
	if ((s & RMS_COMM_DEL) && !comm_delete(r, PK_COMM, e->s_comm_del->obj))
		return false;
	if (s & RMS_LCOMM) {
		if (!merge_members(r, PK_LCOMM, a->lcomm, e->s_lcomm_add ? a->nlcomm : 0, e->s_lcomm,
		                   e->s_nlcomm, &v, &n))
			return false;
		a->lcomm = v;
		a->nlcomm = (uint16_t)n;
	}
	if (s & RMS_ECOMM) {
		if (!merge_members(r, PK_ECOMM, a->ecomm, a->necomm, e->s_ecomm, e->s_necomm, &v, &n))
			return false;
		a->ecomm = v;
		a->necomm = (uint16_t)n;
	}
	if ((s & RMS_EXCLUDE) && !aspath_exclude(r, e->s_exclude, e->s_nexclude))
		return false;
	if (s & RMS_PREPEND)
		for (size_t i = e->s_nprepend; i-- > 0;)
			if (!aspath_prepend(r, e->s_prepend[i], 1))
				return false;
	if (s & RMS_LAST_AS) {
		uint32_t first = bgp_aspath_first(a->aspath, a->aspath_len);

		if (first != 0 && !aspath_prepend(r, first, e->s_last_as))
			return false;
	}
	return true;
}

/*
 * FRR's route_map_apply_ext: entries by sequence; a matching deny denies; a
 * matching permit applies its sets, then exits permitting, or goes on (on
 * `on_match next` / `continue`) or jumps to the first entry at or after
 * goto_seq (none: permit). Going on, an entry that does not match makes the
 * result deny unless a later one matches: the verdict is the last entry
 * looked at, as FRR's `ret`.
 */
enum policy_verdict
policy_apply(const struct policy_map *m, struct policy_route *r)
{
	struct policy_map *mm = (struct policy_map *)m;
	enum policy_verdict ret = POLICY_DENY;

	if (m == NULL)
		return POLICY_DENY;
	hit(&mm->invoked);
	if (m->lua != NULL)
		return policy_lua_apply(m->lua, r);
	for (size_t i = 0; i < m->n; i++) {
		const struct rm_entry *e = &m->e[i];

		hit((_Atomic uint64_t *)&e->hits);
		if (!entry_matches(e, r)) {
			ret = POLICY_DENY;
			continue;
		}
		if (!e->permit)
			return POLICY_DENY;
		ret = POLICY_PERMIT;
		if (!apply_sets(e, r)) {
			if (!atomic_exchange_explicit(&mm->warned, true, memory_order_relaxed))
				log_warn("route-map %s seq %u: the route's attributes outgrow the %d-octet "
				         "rewrite buffer; route denied (reported once)",
				         m->name, e->seq, POLICY_BUF);
			return POLICY_DENY;
		}
		if (e->exit == RM_EXIT)
			return POLICY_PERMIT;
		if (e->exit == RM_GOTO) {
			while (i + 1 < m->n && m->e[i + 1].seq < e->goto_seq)
				i++;
			if (i + 1 >= m->n)
				return POLICY_PERMIT;
		}
	}
	return ret;
}
