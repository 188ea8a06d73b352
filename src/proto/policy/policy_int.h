/*
 * policy_int.h: the routing-policy service's objects, shared by its parser
 * (policy_cfg.c), its evaluator (policy.c) and its show commands
 * (policy_show.c).
 *
 * A node's policy set holds named slots, one per (kind, name). A route map
 * refers to the lists it matches through their slots, so that replacing a
 * list at run time (policy_replace) swaps the slot's object and every route
 * map sees the new one without being parsed again. Slots live as long as the
 * set; a deleted object leaves its slot empty (a route map matching an empty
 * slot does not match, as FRR's missing list).
 *
 * Everything here is read-only while the network runs, except the hit
 * counters, which are relaxed atomics (policy_apply runs on any worker
 * thread; the counts are the same whatever the order).
 */
#ifndef NETSIM_POLICY_INT_H
#define NETSIM_POLICY_INT_H

#include <regex.h>
#include <stdatomic.h>

#include "../../lib/strbuf.h"
#include "policy.h"

enum policy_kind {
	PK_PREFIX, PK_ASPATH, PK_COMM, PK_LCOMM, PK_ECOMM, PK_RMAP,
	PK_COUNT
};

/* "prefix_list", ... (the CLI's and policy_replace's kind words). */
extern const char *const policy_kind_names[PK_COUNT];
/* Octets per member of a community-list kind (4, 12, 8), 0 for the other kinds. */
unsigned policy_member_size(enum policy_kind);

struct policy_slot {
	enum policy_kind kind;
	char *name;
	void *obj; /* struct plist or struct policy_map; NULL: deleted */
};

struct policy_set {
	struct policy_slot **slots;
	size_t n, cap;
	uint64_t gen;
};

/* One entry of a prefix, AS-path or community list. */
struct plist_entry {
	uint32_t seq;
	bool permit;
	/* prefix lists */
	bool any;
	struct prefix pfx;
	uint8_t ge, le;      /* 0: not given (FRR's meaning) */
	/* AS-path lists and expanded community lists */
	char *regex;         /* as written; NULL: a standard entry */
	regex_t re;
	/* standard community lists: members in wire form (4, 12 or 8 octets each) */
	uint8_t *mem;
	size_t nmem;
	_Atomic uint64_t hits;
};

struct plist {
	enum policy_kind kind;
	struct plist_entry *e;
	size_t n;
};

enum rm_exit { RM_EXIT, RM_NEXT, RM_GOTO };
enum rm_rel { RM_ABS, RM_ADD, RM_SUB };

/* Which matches and sets a route-map entry has. */
enum {
	RMM_PLIST = 1u << 0, RMM_NH_PLIST = 1u << 1, RMM_NH = 1u << 2, RMM_ASPATH = 1u << 3,
	RMM_COMM = 1u << 4, RMM_LCOMM = 1u << 5, RMM_ECOMM = 1u << 6, RMM_ORIGIN = 1u << 7,
	RMM_MED = 1u << 8, RMM_LP = 1u << 9, RMM_RTYPE = 1u << 10, RMM_TAG = 1u << 11,
	RMM_PEER = 1u << 12,
};
enum {
	RMS_LP = 1u << 0, RMS_MED = 1u << 1, RMS_WEIGHT = 1u << 2, RMS_COMM = 1u << 3,
	RMS_COMM_DEL = 1u << 4, RMS_LCOMM = 1u << 5, RMS_ECOMM = 1u << 6, RMS_NH = 1u << 7,
	RMS_ORIGIN = 1u << 8, RMS_PREPEND = 1u << 9, RMS_LAST_AS = 1u << 10,
	RMS_EXCLUDE = 1u << 11, RMS_TAG = 1u << 12,
};
enum rm_nh { RM_NH_ADDR, RM_NH_SELF, RM_NH_PEER, RM_NH_UNCHANGED };

struct rm_entry {
	uint32_t seq;
	bool permit;
	char *desc;
	unsigned match, set; /* RMM_*, RMS_* */
	/* match */
	struct policy_slot *m_plist, *m_nh_plist, *m_aspath, *m_comm, *m_lcomm, *m_ecomm;
	bool m_comm_exact;
	uint32_t m_nh, m_med, m_lp, m_tag, m_peer;
	uint8_t m_origin;
	char *m_rtype;
	/* set */
	uint32_t s_lp, s_med, s_weight, s_tag, s_nh;
	enum rm_rel s_lp_rel, s_med_rel;
	enum rm_nh s_nh_mode;
	uint8_t s_origin;
	uint32_t *s_comm;    /* sorted, deduplicated (FRR's community_str2com) */
	size_t s_ncomm;
	bool s_comm_add;     /* community_additive */
	struct policy_slot *s_comm_del;
	uint8_t *s_lcomm;    /* 12 octets each, sorted */
	size_t s_nlcomm;
	bool s_lcomm_add;
	uint8_t *s_ecomm;    /* 8 octets each (always added, as FRR) */
	size_t s_necomm;
	uint32_t *s_prepend; /* prepended so that the path starts with them in this order */
	size_t s_nprepend;
	unsigned s_last_as;  /* `last-as N` */
	uint32_t *s_exclude;
	size_t s_nexclude;
	/* what after a permit */
	enum rm_exit exit;
	uint32_t goto_seq;
	_Atomic uint64_t hits; /* times evaluated (FRR's "Invoked") */
};

struct policy_map {
	char *name;
	struct rm_entry *e; /* by seq */
	size_t n;
	struct policy_lua *lua; /* a Lua route map: no entries */
	char *lua_where;        /* "file:line" of its source */
	_Atomic uint64_t invoked;
	_Atomic bool warned;    /* the buffer-short warning was logged */
};

/* The slot of (kind, name) in s, or NULL. */
struct policy_slot *policy_slot_find(const struct policy_set *s, enum policy_kind kind,
    const char *name);
/* The slot, added empty when missing. */
struct policy_slot *policy_slot_get(struct policy_set *s, enum policy_kind kind, const char *name);
void policy_obj_free(enum policy_kind kind, void *obj);
/* An entry's memory (a list's or a route map's), left zeroed. */
void policy_list_entry_free(struct plist_entry *);
void policy_rm_entry_free(struct rm_entry *);
/* Members of a community kind sorted and deduplicated in place (FRR's *_uniq_sort); the new count. */
size_t policy_uniq_sort(enum policy_kind kind, uint8_t *v, size_t n);

/* Does list l (a slot's list, NULL: missing) permit the value? (FRR's *_list_apply.) */
bool plist_match_prefix(const struct plist *l, const struct prefix *p);
bool plist_match_text(const struct plist *l, const char *text);

/*
 * One member of a community-list kind (standard: a host-order uint32 in 4
 * octets; large: 12 wire octets; extended: 8) as FRR prints it, and a
 * route's whole attribute of that kind, members separated by spaces (what
 * expanded community lists match).
 */
void policy_member_text(enum policy_kind kind, const uint8_t *m, struct strbuf *sb);
void policy_attr_comm_text(const struct bgp_attr *a, enum policy_kind kind, struct strbuf *sb);

#endif
