/*
 * policy_cfg.c: the device-level policy keys (policy.h, docs/policy.md)
 * parsed into a node's policy set, and run-time replacement.
 *
 * Lists come first, then route maps, so that a route map's reference to a
 * missing list is an error at the reference. Every object is parsed whole
 * before it is installed: a bad one at run time changes nothing.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/cfg.h"
#include "../../lib/util.h"
#include "../../net/net.h"
#include "../proto.h"
#include "policy_int.h"

/* Device keys, in the order they are read (lists before the route maps that name them). */
static const char *const kind_keys[PK_COUNT] = {"prefix_lists", "as_path_lists",
    "community_lists", "large_community_lists", "ext_community_lists", "route_maps"};
const char *const policy_device_keys[] = {"prefix_lists", "as_path_lists", "community_lists",
    "large_community_lists", "ext_community_lists", "route_maps", NULL};

/* What messages call a kind. */
static const char *const kind_what[PK_COUNT] = {"prefix list", "AS-path list", "community list",
    "large community list", "extended community list", "route map"};

/*
 * Like cfg_check_unknown, naming what is accepted: "unknown key 'x' in
 * route map match (expected one of: prefix_list, ...)".
 */
static bool
check_keys(const struct cfg *map, const char *what, const char *const *keys)
{
	bool ok = true;

	for (size_t i = 0; map != NULL && map->type == CFG_MAP && i < map->n; i++) {
		struct strbuf b = STRBUF_INIT;

		if (map->used[i])
			continue;
		for (const char *const *k = keys; *k; k++)
			sb_printf(&b, "%s%s", k == keys ? "" : ", ", *k);
		ok = cfg_error(map->k[i], "unknown key '%s' in %s (expected one of: %s)",
		    map->k[i]->str, what, sb_str(&b));
		map->used[i] = true;
		sb_free(&b);
	}
	return ok;
}

static bool
action(const struct cfg *e, const char *what, bool *permit)
{
	static const struct cfg_word w[] = {{"permit", 1}, {"deny", 0}};
	const struct cfg *c = cfg_get(e, "action");
	int v;

	if (c == NULL)
		return cfg_error(e, "%s entry needs 'action' (permit or deny)", what);
	if (!cfg_keyword(c, "action", w, ARRAY_LEN(w), "permit or deny", &v))
		return false;
	*permit = v;
	return true;
}

/*
 * An entry's sequence number, or the next one FRR would give (the highest
 * so far rounded down to a multiple of step, plus step); unique in its list.
 */
static bool
sequence(const struct cfg *e, uint32_t *seqs, size_t n, uint32_t step, uint32_t *out)
{
	const struct cfg *c = cfg_get(e, "seq");
	uint32_t max = 0;
	long long v;

	for (size_t i = 0; i < n; i++)
		max = MAX(max, seqs[i]);
	if (c == NULL) {
		if (max > UINT32_MAX - 2 * step)
			return cfg_error(e, "no sequence number left after %u: give 'seq'", max);
		*out = max / step * step + step;
		return true;
	}
	if (!cfg_int(c, "seq", 1, UINT32_MAX, &v))
		return false;
	for (size_t i = 0; i < n; i++)
		if (seqs[i] == (uint32_t)v)
			return cfg_error(c, "sequence number %lld is used twice", v);
	*out = (uint32_t)v;
	return true;
}

/*
 * An AS-path or community regex, Cisco's `_` made POSIX as FRR does
 * (bgpd/bgp_regex.c): `_` matches a separator, the start or the end.
 */
static bool
compile_regex(const struct cfg *c, char **text, regex_t *re)
{
	const char *s;
	struct strbuf b = STRBUF_INIT;
	int rc;

	if (!cfg_str(c, "regex", &s))
		return false;
	for (const char *p = s; *p; p++)
		if (*p == '_')
			sb_add(&b, "(^|[,{}() ]|$)");
		else
			sb_addc(&b, *p);
	rc = regcomp(re, sb_str(&b), REG_EXTENDED | REG_NOSUB);
	sb_free(&b);
	if (rc != 0) {
		char msg[128];

		regerror(rc, re, msg, sizeof(msg));
		return cfg_error(c, "bad regular expression '%s': %s", s, msg);
	}
	*text = xstrdup(s);
	return true;
}

/* An unsigned number that fits in 32 bits, whole text (strtoul would take "-1" and " 1"). */
static bool
u32_text(const char *s, size_t len, uint32_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 10)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* One member of a community kind into out (policy_member_size octets). */
static bool
member(const struct cfg *c, enum policy_kind kind, uint8_t *out)
{
	const char *s;

	if (!cfg_str(c, "member", &s))
		return false;
	if (kind == PK_COMM && !policy_comm_parse(s, out))
		return cfg_error(c, "bad community '%s' (expected AA:NN with each part 0-65535, "
		    "or no-export, no-advertise, local-AS, graceful-shutdown, blackhole, ...)", s);
	if (kind == PK_LCOMM && !policy_lcomm_parse(s, out))
		return cfg_error(c, "bad large community '%s' (expected A:B:C, 32-bit numbers)", s);
	if (kind == PK_ECOMM && !policy_ecomm_parse(s, out))
		return cfg_error(c, "bad extended community '%s' (expected rt:ASN:N, rt:A.B.C.D:N, "
		    "soo:ASN:N or soo:A.B.C.D:N)", s);
	return true;
}

/* A list of members (or one scalar of members separated by spaces) into *out. */
static bool
members(const struct cfg *c, enum policy_kind kind, uint8_t **out, size_t *n)
{
	unsigned sz = policy_member_size(kind);
	bool ok = true;

	*out = NULL;
	*n = 0;
	if (c->type == CFG_SCALAR) {
		/* "65000:1 no-export": FRR's form, one word a member */
		char *dup = xstrdup(c->str), *save = NULL;
		struct cfg tmp = *c;

		for (char *w = strtok_r(dup, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
			*out = xrealloc(*out, (*n + 1) * sz);
			tmp.str = w;
			ok &= member(&tmp, kind, *out + (*n)++ * sz);
		}
		free(dup);
	} else if (cfg_is_seq(c, "members")) {
		*out = xcalloc(c->n ? c->n : 1, sz);
		for (size_t i = 0; i < c->n; i++)
			ok &= member(c->v[i], kind, *out + (*n)++ * sz);
	} else {
		ok = false;
	}
	if (ok && *n == 0)
		ok = cfg_error(c, "no members (a community list entry matches when all are present)");
	return ok;
}

static int
entry_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b; /* seq is first */

	return x < y ? -1 : x > y;
}

static bool
prefix_entry(struct plist_entry *pe, const struct cfg *e)
{
	const struct cfg *c = cfg_get(e, "prefix");
	long long ge = 0, le = 0;
	uint32_t addr;
	uint8_t len;
	bool ok = true;

	if (c == NULL)
		return cfg_error(e, "prefix list entry needs 'prefix' (A.B.C.D/LEN or any)");
	ok &= cfg_opt_int(e, "ge", 1, 32, &ge);
	ok &= cfg_opt_int(e, "le", 1, 32, &le);
	if (c->type == CFG_SCALAR && strcmp(c->str, "any") == 0) {
		pe->any = true;
		if (cfg_get(e, "ge") || cfg_get(e, "le"))
			ok = cfg_error(e, "'any' takes no ge or le (it is 0.0.0.0/0 le 32)");
		return ok;
	}
	if (!cfg_ip_plen(c, "prefix", &addr, &len))
		return false;
	if ((addr & ip_mask(len)) != addr) {
		struct prefix p = {addr & ip_mask(len), len};

		return cfg_error(c, "prefix %s/%u has host bits set (did you mean %s?)", ip_str(addr),
		    len, prefix_str(&p));
	}
	pe->pfx.addr = addr;
	pe->pfx.len = len;
	pe->ge = (uint8_t)ge;
	pe->le = (uint8_t)le;
	/* FRR: len < ge <= le <= 32 */
	if (ok && ((ge && ge <= len) || (le && le <= len) || (ge && le && ge > le))) {
		char got[32] = "";

		if (ge)
			snprintf(got, sizeof(got), " ge %lld", ge);
		if (le)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), " le %lld", le);
		ok = cfg_error(e, "invalid prefix range for %s/%u: make sure len < ge <= le (got%s)",
		    ip_str(addr), len, got);
	}
	return ok;
}

static const char *const prefix_entry_keys[] = {"seq", "action", "prefix", "ge", "le", NULL};
static const char *const aspath_entry_keys[] = {"seq", "action", "regex", NULL};
static const char *const comm_entry_keys[] = {"seq", "action", "members", "regex", NULL};

/* A prefix, AS-path or community list: a sequence of entries. */
static struct plist *
parse_list(enum policy_kind kind, const char *name, const struct cfg *val)
{
	struct plist *l;
	bool ok = true;
	uint32_t *seqs;
	char what[96];

	snprintf(what, sizeof(what), "%s %s", kind_what[kind], name);
	if (!cfg_is_seq(val, what))
		return NULL;
	l = xcalloc(1, sizeof(*l));
	l->kind = kind;
	l->e = xcalloc(val->n ? val->n : 1, sizeof(*l->e));
	seqs = xcalloc(val->n ? val->n : 1, sizeof(*seqs));
	for (size_t i = 0; i < val->n; i++) {
		const struct cfg *e = val->v[i], *c;
		struct plist_entry *pe = &l->e[l->n];
		bool eok;

		if (!cfg_is_map(e, what)) {
			ok = false;
			continue;
		}
		eok = sequence(e, seqs, l->n, 5, &pe->seq);
		eok &= action(e, kind_what[kind], &pe->permit);
		if (kind == PK_PREFIX) {
			eok &= prefix_entry(pe, e);
			eok &= check_keys(e, "prefix list entry", prefix_entry_keys);
		} else if (kind == PK_ASPATH) {
			if ((c = cfg_get(e, "regex")) == NULL)
				eok = cfg_error(e, "AS-path list entry needs 'regex'");
			else
				eok &= compile_regex(c, &pe->regex, &pe->re);
			eok &= check_keys(e, "AS-path list entry", aspath_entry_keys);
		} else {
			const struct cfg *mc = cfg_get(e, "members"), *rc = cfg_get(e, "regex");

			if ((mc == NULL) == (rc == NULL))
				eok = cfg_error(e, "%s entry needs one of 'members' or 'regex'",
				    kind_what[kind]);
			else if (mc != NULL)
				eok &= members(mc, kind, &pe->mem, &pe->nmem);
			else
				eok &= compile_regex(rc, &pe->regex, &pe->re);
			/* FRR's lists are standard or expanded, never both */
			if (eok && l->n > 0 && (l->e[0].regex == NULL) != (pe->regex == NULL))
				eok = cfg_error(e, "%s %s mixes 'members' (standard) and 'regex' "
				    "(expanded) entries", kind_what[kind], name);
			eok &= check_keys(e, "community list entry", comm_entry_keys);
		}
		if (!eok) {
			policy_list_entry_free(pe);
			ok = false;
			continue;
		}
		seqs[l->n++] = pe->seq;
	}
	free(seqs);
	qsort(l->e, l->n, sizeof(*l->e), entry_cmp);
	if (!ok) {
		policy_obj_free(kind, l);
		return NULL;
	}
	return l;
}

/* ---- route maps ---- */

/* The slot of a list a route map names: an error at c when it is not defined. */
static struct policy_slot *
list_ref(struct policy_set *s, const struct cfg *c, enum policy_kind kind, const char *map)
{
	const char *name;
	struct policy_slot *sl;

	if (!cfg_str(c, kind_what[kind], &name))
		return NULL;
	sl = policy_slot_find(s, kind, name);
	if (sl == NULL || sl->obj == NULL) {
		cfg_error(c, "route map %s: no %s '%s' (define it under %s)", map, kind_what[kind], name,
		    kind_keys[kind]);
		return NULL;
	}
	return sl;
}

static bool
origin(const struct cfg *c, uint8_t *out)
{
	static const struct cfg_word w[] = {
	    {"igp", BGP_ORIGIN_IGP}, {"egp", BGP_ORIGIN_EGP}, {"incomplete", BGP_ORIGIN_INCOMPLETE}};
	int v;

	if (!cfg_keyword(c, "origin", w, ARRAY_LEN(w), "igp, egp or incomplete", &v))
		return false;
	*out = (uint8_t)v;
	return true;
}

static bool
u32_value(const struct cfg *c, const char *what, uint32_t *out)
{
	long long v;

	if (!cfg_int(c, what, 0, UINT32_MAX, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

/* 200, or "+10" / "-10" relative to the route's value (FRR's route_value_compile). */
static bool
rel_value(const struct cfg *c, const char *what, uint32_t *out, enum rm_rel *rel)
{
	*rel = RM_ABS;
	if (c->type == CFG_SCALAR && (c->str[0] == '+' || c->str[0] == '-')) {
		*rel = c->str[0] == '+' ? RM_ADD : RM_SUB;
		if (!u32_text(c->str + 1, strlen(c->str + 1), out))
			return cfg_error(c, "expected a number, +N or -N for '%s', got '%s'", what, c->str);
		return true;
	}
	return u32_value(c, what, out);
}

static bool
asn(const struct cfg *c, uint32_t *out)
{
	long long v;

	if (!cfg_int(c, "AS number", 1, UINT32_MAX, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

/* A list of ASNs, or a scalar of ASNs separated by spaces ("65001 65001", FRR's form). */
static bool
asn_list(const struct cfg *c, const char *what, uint32_t **out, size_t *n)
{
	bool ok = true;

	*out = NULL;
	*n = 0;
	if (c->type == CFG_SCALAR) {
		char *dup = xstrdup(c->str), *save = NULL;

		for (char *w = strtok_r(dup, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
			uint32_t v;

			if (!u32_text(w, strlen(w), &v) || v == 0) {
				ok = cfg_error(c, "bad AS number '%s' in '%s'", w, what);
				break;
			}
			*out = xrealloc(*out, (*n + 1) * sizeof(**out));
			(*out)[(*n)++] = v;
		}
		free(dup);
	} else if (cfg_is_seq(c, what)) {
		*out = xcalloc(c->n ? c->n : 1, sizeof(**out));
		for (size_t i = 0; i < c->n; i++)
			ok &= asn(c->v[i], &(*out)[(*n)++]);
	} else {
		ok = false;
	}
	if (ok && *n == 0)
		ok = cfg_error(c, "'%s' needs at least one AS number", what);
	return ok;
}

/* Route types `match route_type` accepts: BGP's own, and every protocol's name. */
static bool
route_type(const struct cfg *c, char **out)
{
	const char *s;
	struct strbuf b = STRBUF_INIT;

	if (!cfg_str(c, "route_type", &s))
		return false;
	if (strcmp(s, "ebgp") == 0 || strcmp(s, "ibgp") == 0 || strcmp(s, "local") == 0 ||
	    (strcmp(s, "bgp") != 0 && proto_find(s) != NULL)) {
		*out = xstrdup(s);
		return true;
	}
	for (int i = 0; i < proto_count; i++)
		if (strcmp(proto_registry[i]->name, "bgp") != 0)
			sb_printf(&b, ", %s", proto_registry[i]->name);
	cfg_error(c, "unknown route_type '%s' (expected ebgp, ibgp, local%s)", s, sb_str(&b));
	sb_free(&b);
	return false;
}

static const char *const match_keys[] = {"prefix_list", "next_hop_prefix_list", "next_hop",
    "as_path", "community", "exact_match", "large_community", "ext_community", "origin", "med",
    "local_preference", "route_type", "tag", "peer", NULL};

static bool
parse_match(struct policy_set *s, struct rm_entry *e, const struct cfg *m, const char *map)
{
	static const struct {
		const char *key;
		enum policy_kind kind;
		unsigned flag;
		size_t off;
	} refs[] = {
	    {"prefix_list", PK_PREFIX, RMM_PLIST, offsetof(struct rm_entry, m_plist)},
	    {"next_hop_prefix_list", PK_PREFIX, RMM_NH_PLIST, offsetof(struct rm_entry, m_nh_plist)},
	    {"as_path", PK_ASPATH, RMM_ASPATH, offsetof(struct rm_entry, m_aspath)},
	    {"community", PK_COMM, RMM_COMM, offsetof(struct rm_entry, m_comm)},
	    {"large_community", PK_LCOMM, RMM_LCOMM, offsetof(struct rm_entry, m_lcomm)},
	    {"ext_community", PK_ECOMM, RMM_ECOMM, offsetof(struct rm_entry, m_ecomm)},
	};
	static const struct {
		const char *key;
		unsigned flag;
		size_t off;
	} nums[] = {
	    {"med", RMM_MED, offsetof(struct rm_entry, m_med)},
	    {"local_preference", RMM_LP, offsetof(struct rm_entry, m_lp)},
	    {"tag", RMM_TAG, offsetof(struct rm_entry, m_tag)},
	};
	const struct cfg *c;
	bool ok = true;

	if (!cfg_is_map(m, "match"))
		return false;
	for (size_t i = 0; i < ARRAY_LEN(refs); i++) {
		struct policy_slot **sl = (struct policy_slot **)(void *)((char *)e + refs[i].off);

		if ((c = cfg_get(m, refs[i].key)) == NULL)
			continue;
		if ((*sl = list_ref(s, c, refs[i].kind, map)) == NULL)
			ok = false;
		else
			e->match |= refs[i].flag;
	}
	for (size_t i = 0; i < ARRAY_LEN(nums); i++) {
		if ((c = cfg_get(m, nums[i].key)) == NULL)
			continue;
		if (u32_value(c, nums[i].key, (uint32_t *)(void *)((char *)e + nums[i].off)))
			e->match |= nums[i].flag;
		else
			ok = false;
	}
	if ((c = cfg_get(m, "exact_match")) != NULL) {
		ok &= cfg_bool(c, "exact_match", &e->m_comm_exact);
		if (!(e->match & RMM_COMM) && cfg_get(m, "community") == NULL)
			ok = cfg_error(c, "'exact_match' goes with 'community'");
	}
	if ((c = cfg_get(m, "next_hop")) != NULL) {
		ok &= cfg_ip(c, "next_hop", &e->m_nh);
		e->match |= RMM_NH;
	}
	if ((c = cfg_get(m, "peer")) != NULL) {
		ok &= cfg_ip(c, "peer", &e->m_peer);
		e->match |= RMM_PEER;
	}
	if ((c = cfg_get(m, "origin")) != NULL) {
		ok &= origin(c, &e->m_origin);
		e->match |= RMM_ORIGIN;
	}
	if ((c = cfg_get(m, "route_type")) != NULL) {
		ok &= route_type(c, &e->m_rtype);
		e->match |= RMM_RTYPE;
	}
	return check_keys(m, "route map match", match_keys) && ok;
}

static const char *const set_keys[] = {"local_preference", "med", "weight", "tag", "origin",
    "next_hop", "community", "community_additive", "community_delete", "large_community",
    "large_community_additive", "ext_community", "as_path_prepend", "as_path_exclude", NULL};

static bool
parse_set(struct policy_set *s, struct rm_entry *e, const struct cfg *m, const char *map)
{
	const struct cfg *c;
	bool ok = true;
	uint8_t *mem;
	size_t n;

	if (!cfg_is_map(m, "set"))
		return false;
	if ((c = cfg_get(m, "local_preference")) != NULL) {
		ok &= rel_value(c, "local_preference", &e->s_lp, &e->s_lp_rel);
		e->set |= RMS_LP;
	}
	if ((c = cfg_get(m, "med")) != NULL) {
		ok &= rel_value(c, "med", &e->s_med, &e->s_med_rel);
		e->set |= RMS_MED;
	}
	if ((c = cfg_get(m, "weight")) != NULL) {
		ok &= u32_value(c, "weight", &e->s_weight);
		e->set |= RMS_WEIGHT;
	}
	if ((c = cfg_get(m, "tag")) != NULL) {
		ok &= u32_value(c, "tag", &e->s_tag);
		e->set |= RMS_TAG;
	}
	if ((c = cfg_get(m, "origin")) != NULL) {
		ok &= origin(c, &e->s_origin);
		e->set |= RMS_ORIGIN;
	}
	if ((c = cfg_get(m, "next_hop")) != NULL) {
		static const char *const modes[] = {"self", "peer-address", "unchanged"};

		e->set |= RMS_NH;
		e->s_nh_mode = RM_NH_ADDR;
		for (size_t i = 0; c->type == CFG_SCALAR && i < ARRAY_LEN(modes); i++)
			if (strcmp(c->str, modes[i]) == 0)
				e->s_nh_mode = (enum rm_nh)(RM_NH_SELF + (int)i);
		if (e->s_nh_mode == RM_NH_ADDR && !cfg_ip(c, "next_hop (an address, self, "
		    "peer-address or unchanged)", &e->s_nh))
			ok = false;
	}
	if ((c = cfg_get(m, "community")) != NULL) {
		e->set |= RMS_COMM;
		/* `none` (or []): remove them all, as FRR's `set community none` */
		if (!(c->type == CFG_SCALAR && strcmp(c->str, "none") == 0) &&
		    !(c->type == CFG_SEQ && c->n == 0)) {
			if (members(c, PK_COMM, &mem, &n)) {
				e->s_ncomm = policy_uniq_sort(PK_COMM, mem, n);
				e->s_comm = (uint32_t *)(void *)mem;
			} else {
				free(mem);
				ok = false;
			}
		}
	}
	ok &= cfg_opt_bool(m, "community_additive", &e->s_comm_add);
	if (e->s_comm_add && !(e->set & RMS_COMM))
		ok = cfg_error(cfg_get(m, "community_additive"), "'community_additive' goes with "
		    "'community'");
	if ((c = cfg_get(m, "community_delete")) != NULL) {
		if ((e->s_comm_del = list_ref(s, c, PK_COMM, map)) == NULL)
			ok = false;
		e->set |= RMS_COMM_DEL;
	}
	if ((c = cfg_get(m, "large_community")) != NULL) {
		e->set |= RMS_LCOMM;
		if (!(c->type == CFG_SCALAR && strcmp(c->str, "none") == 0) &&
		    !(c->type == CFG_SEQ && c->n == 0)) {
			if (members(c, PK_LCOMM, &mem, &n)) {
				e->s_nlcomm = policy_uniq_sort(PK_LCOMM, mem, n);
				e->s_lcomm = mem;
			} else {
				free(mem);
				ok = false;
			}
		}
	}
	ok &= cfg_opt_bool(m, "large_community_additive", &e->s_lcomm_add);
	if (e->s_lcomm_add && !(e->set & RMS_LCOMM))
		ok = cfg_error(cfg_get(m, "large_community_additive"), "'large_community_additive' "
		    "goes with 'large_community'");
	if ((c = cfg_get(m, "ext_community")) != NULL) {
		e->set |= RMS_ECOMM;
		if (members(c, PK_ECOMM, &e->s_ecomm, &e->s_necomm))
			e->s_necomm = policy_uniq_sort(PK_ECOMM, e->s_ecomm, e->s_necomm);
		else
			ok = false;
	}
	if ((c = cfg_get(m, "as_path_prepend")) != NULL) {
		long long k;

		if (c->type == CFG_SCALAR && strncmp(c->str, "last-as", 7) == 0) {
			/* FRR: `set as-path prepend last-as 1-10` */
			char *end;

			errno = 0;
			k = strtoll(c->str + 7, &end, 10);
			if (c->str[7] != ' ' || *end != '\0' || errno != 0 || k < 1 || k > 10)
				ok = cfg_error(c, "expected 'last-as N' with N from 1 to 10, got '%s'", c->str);
			e->s_last_as = (unsigned)k;
			e->set |= RMS_LAST_AS;
		} else {
			ok &= asn_list(c, "as_path_prepend", &e->s_prepend, &e->s_nprepend);
			e->set |= RMS_PREPEND;
		}
	}
	if ((c = cfg_get(m, "as_path_exclude")) != NULL) {
		ok &= asn_list(c, "as_path_exclude", &e->s_exclude, &e->s_nexclude);
		e->set |= RMS_EXCLUDE;
	}
	return check_keys(m, "route map set", set_keys) && ok;
}

static const char *const entry_keys[] = {"seq", "action", "match", "set", "on_match",
    "continue", "description", NULL};

/* on_match: next | goto SEQ; continue: SEQ | true. */
static bool
exit_policy(struct rm_entry *e, const struct cfg *entry)
{
	const struct cfg *om = cfg_get(entry, "on_match"), *co = cfg_get(entry, "continue");
	long long v;

	if (om != NULL && co != NULL)
		return cfg_error(co, "give one of 'on_match' and 'continue'");
	if (om != NULL) {
		const char *s;

		if (!cfg_str(om, "on_match", &s))
			return false;
		if (strcmp(s, "next") == 0) {
			e->exit = RM_NEXT;
			return true;
		}
		if (strncmp(s, "goto ", 5) != 0 || !u32_text(s + 5, strlen(s + 5), &e->goto_seq))
			return cfg_error(om, "expected 'next' or 'goto SEQ' for 'on_match', got '%s'", s);
		e->exit = RM_GOTO;
	} else if (co != NULL) {
		bool b;

		if (co->type == CFG_SCALAR && (strcmp(co->str, "true") == 0 ||
		    strcmp(co->str, "false") == 0)) {
			if (!cfg_bool(co, "continue", &b))
				return false;
			e->exit = b ? RM_NEXT : RM_EXIT;
			return true;
		}
		if (!cfg_int(co, "continue (a sequence number or true)", 1, UINT32_MAX, &v))
			return false;
		e->exit = RM_GOTO;
		e->goto_seq = (uint32_t)v;
	} else {
		return true;
	}
	/* FRR: a route map always ends, so a jump goes forward only */
	if (e->goto_seq <= e->seq)
		return cfg_error(om ? om : co, "cannot jump to sequence %u from %u: only later "
		    "entries", e->goto_seq, e->seq);
	return true;
}

static int
rm_cmp(const void *a, const void *b)
{
	const struct rm_entry *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The directory of the topology file (lua_file is relative to it), or "." */
static char *
doc_dir(const struct cfg *c)
{
	const char *f = c->doc != NULL && c->doc->file != NULL ? c->doc->file : "";
	const char *slash = strrchr(f, '/');

	return slash ? xstrndup(f, (size_t)(slash - f)) : xstrdup(".");
}

/* A Lua route map's file may be this large (a hostile path such as /dev/zero fails). */
#define POLICY_LUA_MAX (1u << 20)

static char *
read_all(const char *path, size_t *len)
{
	struct strbuf b = STRBUF_INIT;

	if (sb_read_file(&b, path, POLICY_LUA_MAX) < 0) {
		int e = errno;

		sb_free(&b);
		errno = e;
		return NULL;
	}
	*len = b.len;
	return b.s != NULL ? sb_steal(&b) : xstrdup("");
}

/* {lua: SOURCE} or {lua_file: PATH}: compiled by policy_lua.c. */
static bool
lua_map(struct policy_map *m, const struct cfg *val)
{
	static const char *const keys[] = {"lua", "lua_file", NULL};
	const struct cfg *src = cfg_get(val, "lua"), *file = cfg_get(val, "lua_file");
	char err[256] = "";
	const char *s;
	char *text = NULL;
	size_t len = 0;

	if (!check_keys(val, "route map", keys))
		return false;
	if ((src == NULL) == (file == NULL))
		return cfg_error(val, "route map %s: give its entries (a list), or one of 'lua' and "
		    "'lua_file'", m->name);
	if (src != NULL) {
		if (!cfg_str(src, "lua", &s))
			return false;
		text = xstrdup(s);
		len = strlen(s);
		m->lua_where = xasprintf("%s:%d", val->doc ? val->doc->file : "?", src->line);
	} else {
		char *dir, *path;

		if (!cfg_str(file, "lua_file", &s))
			return false;
		dir = doc_dir(file);
		path = s[0] == '/' ? xstrdup(s) : xasprintf("%s/%s", dir, s);
		free(dir);
		text = read_all(path, &len);
		if (text == NULL) {
			cfg_error(file, "cannot read lua_file '%s': %s", path, strerror(errno));
			free(path);
			return false;
		}
		m->lua_where = xasprintf("%s:1", path);
		free(path);
	}
	m->lua = policy_lua_new(text, len, m->lua_where, err, sizeof(err));
	free(text);
	if (m->lua == NULL)
		return cfg_error(src ? src : file, "route map %s: %s", m->name, err);
	return true;
}

static struct policy_map *
parse_map(struct policy_set *s, const char *name, const struct cfg *val)
{
	struct policy_map *m = xcalloc(1, sizeof(*m));
	bool ok = true;
	uint32_t *seqs;
	char what[96];

	m->name = xstrdup(name);
	if (val->type == CFG_MAP) {
		if (lua_map(m, val))
			return m;
		policy_obj_free(PK_RMAP, m);
		return NULL;
	}
	snprintf(what, sizeof(what), "route map %s", name);
	if (!cfg_is_seq(val, what)) {
		policy_obj_free(PK_RMAP, m);
		return NULL;
	}
	m->e = xcalloc(val->n ? val->n : 1, sizeof(*m->e));
	seqs = xcalloc(val->n ? val->n : 1, sizeof(*seqs));
	for (size_t i = 0; i < val->n; i++) {
		const struct cfg *ec = val->v[i], *c;
		struct rm_entry *e = &m->e[m->n];
		bool eok;
		const char *d;

		if (!cfg_is_map(ec, what)) {
			ok = false;
			continue;
		}
		eok = sequence(ec, seqs, m->n, 10, &e->seq);
		eok &= action(ec, "route map", &e->permit);
		if ((c = cfg_get(ec, "match")) != NULL)
			eok &= parse_match(s, e, c, name);
		if ((c = cfg_get(ec, "set")) != NULL) {
			eok &= parse_set(s, e, c, name);
			if (!e->permit && e->set != 0)
				cfg_warn(c, "route map %s: the sets of a deny entry are never applied", name);
		}
		eok &= exit_policy(e, ec); /* read even after an error: no follow-on "unknown key" */
		if ((c = cfg_get(ec, "description")) != NULL) {
			if (cfg_str(c, "description", &d))
				e->desc = xstrdup(d);
			else
				eok = false;
		}
		eok &= check_keys(ec, "route map entry", entry_keys);
		if (!eok) {
			policy_rm_entry_free(e);
			ok = false;
			continue;
		}
		seqs[m->n++] = e->seq;
	}
	free(seqs);
	qsort(m->e, m->n, sizeof(*m->e), rm_cmp);
	if (!ok) {
		policy_obj_free(PK_RMAP, m);
		return NULL;
	}
	return m;
}

static bool
valid_name(const struct cfg *k, enum policy_kind kind)
{
	const char *s = k->str;

	if (*s == '\0')
		return cfg_error(k, "a %s needs a name", kind_what[kind]);
	for (; *s; s++)
		if (isspace((unsigned char)*s) || iscntrl((unsigned char)*s))
			return cfg_error(k, "%s name '%s' has a space or control character",
			    kind_what[kind], k->str);
	return true;
}

static void *
parse_obj(struct policy_set *s, enum policy_kind kind, const char *name, const struct cfg *val)
{
	return kind == PK_RMAP ? (void *)parse_map(s, name, val) : (void *)parse_list(kind, name, val);
}

bool
policy_config(struct node *n, const struct cfg *dev)
{
	bool ok = true;

	for (int k = 0; k < PK_COUNT; k++) {
		const struct cfg *c = cfg_get(dev, kind_keys[k]);

		if (c == NULL)
			continue;
		if (!cfg_is_map(c, kind_keys[k])) {
			ok = false;
			continue;
		}
		if (n->policy == NULL)
			n->policy = xcalloc(1, sizeof(*n->policy));
		for (size_t i = 0; i < c->n; i++) {
			void *obj;

			c->used[i] = true;
			if (!valid_name(c->k[i], (enum policy_kind)k)) {
				ok = false;
				continue;
			}
			obj = parse_obj(n->policy, (enum policy_kind)k, c->k[i]->str, c->v[i]);
			if (obj == NULL)
				ok = false;
			else
				policy_slot_get(n->policy, (enum policy_kind)k, c->k[i]->str)->obj = obj;
		}
	}
	return ok;
}

static int
kind_of(const char *kind)
{
	for (int k = 0; k < PK_COUNT; k++)
		if (strcmp(policy_kind_names[k], kind) == 0)
			return k;
	return -1;
}

bool
policy_replace(struct node *n, const char *kind, const char *name, const struct cfg *val)
{
	int k = kind_of(kind);
	struct policy_slot *sl;
	void *obj;

	if (k < 0)
		return cfg_error(val, "unknown policy kind '%s' (expected prefix_list, as_path_list, "
		    "community_list, large_community_list, ext_community_list or route_map)", kind);
	if (*name == '\0' || strpbrk(name, " \t\r\n") != NULL)
		return cfg_error(val, "bad %s name '%s'", kind_what[k], name);
	if (n->policy == NULL)
		n->policy = xcalloc(1, sizeof(*n->policy));
	if ((obj = parse_obj(n->policy, (enum policy_kind)k, name, val)) == NULL)
		return false;
	/* Global context, between ticks: nothing runs a route map while it is swapped. */
	sl = policy_slot_get(n->policy, (enum policy_kind)k, name);
	policy_obj_free(sl->kind, sl->obj);
	sl->obj = obj;
	n->policy->gen++;
	proto_policy_changed_node(n, kind, name); /* the protocols apply it (BGP: route refresh, soft in) */
	return true;
}

bool
policy_delete(struct node *n, const char *kind, const char *name)
{
	int k = kind_of(kind);
	struct policy_slot *sl = k < 0 ? NULL : policy_slot_find(n->policy, (enum policy_kind)k, name);

	if (sl == NULL || sl->obj == NULL)
		return false;
	policy_obj_free(sl->kind, sl->obj);
	sl->obj = NULL; /* the slot stays: route maps naming it now find nothing */
	n->policy->gen++;
	proto_policy_changed_node(n, kind, name);
	return true;
}
