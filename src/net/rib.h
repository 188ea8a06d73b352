/*
 * rib.h: the per-node routing information base, and the FIB view of it.
 *
 * Every protocol (connected, static, OSPF, IS-IS, BGP...) offers routes here;
 * for each prefix the path with the lowest administrative distance (then
 * lowest metric) is selected and installed. Protocols never touch the FIB.
 * Distances: connected 0, static 1, eBGP 20, OSPF 110, IS-IS 115, iBGP 200.
 *
 * A protocol that recomputes its whole table (after SPF) uses
 * rib_sync_begin/rib_sync_end: routes it does not offer again between the two
 * are withdrawn, and routes offered unchanged count as no change.
 *
 * Memory: a large network holds millions of (router, prefix) pairs, so an
 * entry holds its selected path inline (most prefixes have only one), paths
 * are compact (source and code are byte indices; the next-hop group, the next
 * path and the time of the last change are 32-bit numbers: an entry is 32
 * octets), entries and extra paths come from per-RIB slabs, the hash table
 * holds entry numbers (the key is in the entry), and next-hop groups are
 * interned (a router has few distinct sets of next hops). The FIB is not a
 * second copy: it is a longest-prefix-match view over the installed paths
 * (fib.h).
 */
#ifndef NETSIM_RIB_H
#define NETSIM_RIB_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/hmap.h"
#include "../lib/idtab.h"
#include "../lib/ip.h"
#include "../lib/slab.h"
#include "../sim/sim.h"

struct node;
struct iface;
struct rib;
struct route;

#define RIB_MAX_NH 16 /* ECMP width */

/*
 * A next hop: a gateway (0: the destination is on the link), an interface,
 * and the MPLS label stack to push (RFC 3032), as the number of the RIB's
 * interned stack (0: none; rib_labels()). The stack number fills what would
 * be padding, so unlabelled routes cost nothing.
 */
struct nexthop {
	uint32_t gw;
	uint16_t ifindex;
	uint16_t labels;
};

#define LABEL_STACK_MAX 8     /* labels pushed by one next hop */
#define LABEL_MAX       0xfffff /* labels are 20 bits */

/* A label stack, outermost label first. */
struct label_stack {
	uint8_t n;
	uint32_t label[LABEL_STACK_MAX];
};

/* Order of next hops in a group: gateway, interface, label stack number. */
static inline int
nexthop_cmp(const struct nexthop *x, const struct nexthop *y)
{
	if (x->gw != y->gw)
		return x->gw < y->gw ? -1 : 1;
	if (x->ifindex != y->ifindex)
		return x->ifindex < y->ifindex ? -1 : 1;
	return (int)x->labels - (int)y->labels;
}

/*
 * A set of next hops and a route tag, interned per RIB and shared by every
 * path that uses it. The tag rides here rather than in every path: nearly
 * all routes have none, and a path is four octets smaller for it. A tagged
 * blackhole is a group of no next hops (rib_path_nhg() hides it).
 */
struct nhg {
	struct nhg *chain; /* same hash */
	uint64_t hash;
	uint32_t ref;
	uint32_t id;       /* its number in the RIB (rib_path.nhg) */
	uint32_t tag;
	uint16_t n;
	struct nexthop nh[];
};

/* Who offers a route: one static struct per protocol kind. */
struct rib_src {
	const char *name; /* "ospf": FRR's "protocol" in JSON */
	uint8_t distance; /* default administrative distance */
	bool igp;         /* an interior gateway protocol's routes: LDP labels them */
};

/* What a protocol offers (built on the stack; rib_add copies what it needs). */
struct route {
	const struct rib_src *src;
	const char *code;   /* "C", "S", "O", "O IA", "O E2", "i L1"... (a static string) */
	uint8_t distance;
	uint32_t metric;
	uint32_t tag;
	uint8_t nnh;        /* 0: a blackhole */
	struct nexthop nh[RIB_MAX_NH];
};

/*
 * A stored path: 20 octets, and an entry 28 (a million-route table is a
 * million of each). Read the group with rib_path_nhg(), the tag with
 * rib_path_tag(), the next path with rib_path_next() and the time with
 * rib_path_since().
 */
struct rib_path {
	uint32_t next;         /* the prefix's next path (best first): paths slab number + 1, 0: none */
	uint32_t nhg;          /* the group's number (nhg.id), 0: blackhole without a tag */
	uint32_t since_ms;     /* when this path last changed, in ms (saturates after 49 days) */
	uint32_t metric;
	uint8_t src;           /* index: rib_path_src() */
	uint8_t code;          /* index: rib_path_code() */
	uint8_t distance;
	bool marked;           /* rib_sync bookkeeping */
};

/* A prefix and its candidate paths: `best`, then its next, ... in order of preference. */
struct rib_entry {
	uint32_t addr;
	uint8_t len;
	bool installed;        /* best is in the FIB */
	struct rib_path best;
};

_Static_assert(sizeof(struct rib_entry) == 28, "a RIB entry grew");

struct rib_change {
	struct prefix pfx;
	bool had_old;          /* a path was selected before */
	const struct rib_path *new_best; /* NULL: withdrawn */
	const struct rib_src *src;       /* of the new best, else of the old */
};

typedef void (*rib_watch_fn)(struct node *, const struct rib_change *, void *arg);

/*
 * A labeler (LDP's FTN, RFC 3031 3.10 over an IGP): called on every route
 * offered to the RIB before it is stored, it may set the label stack of each
 * next hop of the routes it labels (every next hop's, 0 where none) and
 * leaves other routes alone. The labels are then part of the path, so an
 * IGP offering the same route again changes nothing, and rib_relabel applies
 * a change of the labeler's own (a label mapping learnt or withdrawn).
 */
typedef void (*rib_label_fn)(struct rib *, const struct prefix *, struct route *, void *arg);

struct rib {
	struct node *node;
	struct idtab tab;      /* entries by prefix: their numbers in entries (idtab.h) */
	struct hmap nhgs;      /* next-hop group hash -> nhg chain head */
	struct nhg **nhgv;     /* groups by number - 1 (NULL: a free number) */
	size_t nnhgv, nhgcap;
	uint32_t *nhg_free;    /* numbers to reuse, most recently freed last */
	size_t nfree, freecap;
	struct label_stack *stacks; /* interned label stacks; number i + 1 is stacks[i] */
	size_t nstacks, stackcap;
	struct hmap stack_idx;      /* a stack's hash -> its number (LDP gives a label per FEC) */
	struct slab entries, paths;
	uint32_t fib_count[33]; /* installed entries per prefix length */
	uint64_t changes, lookups;
	sim_time last_change;
	struct {
		rib_watch_fn fn;
		void *arg;
	} watch[8];
	int nwatch;
	rib_label_fn labeler;
	void *labeler_arg;
};

struct rib *rib_new(struct node *);
void rib_free(struct rib *);

bool rib_add(struct rib *, const struct prefix *, const struct route *);
bool rib_del(struct rib *, const struct prefix *, const struct rib_src *);
void rib_flush(struct rib *, const struct rib_src *);
void rib_sync_begin(struct rib *, const struct rib_src *);
void rib_sync_end(struct rib *, const struct rib_src *);

struct rib_entry *rib_lookup_exact(const struct rib *, const struct prefix *);
/* All entries sorted by prefix (caller frees the array). */
struct rib_entry **rib_sorted(const struct rib *, size_t *n);
void rib_watch(struct rib *, rib_watch_fn, void *arg);
/* The RIB's labeler (one; NULL to remove it: then rib_relabel drops what it set). */
void rib_set_labeler(struct rib *, rib_label_fn, void *arg);
/*
 * Offer pfx's paths to the labeler again (its labels for pfx changed).
 * Watchers hear of a changed best path. A labeler that goes first installs
 * one that takes its labels off, and relabels what it labelled.
 */
void rib_relabel(struct rib *, const struct prefix *);
size_t rib_count(const struct rib *);
/* Make room for `more` new prefixes at once (a protocol about to add many: one rehash, not ten). */
void rib_reserve(struct rib *, size_t more);

/* The selected path, then ->next for the other candidates. */
static inline const struct rib_path *
rib_best(const struct rib_entry *e)
{
	return e ? &e->best : NULL;
}

static inline struct prefix
rib_prefix(const struct rib_entry *e)
{
	struct prefix p = {e->addr, e->len};

	return p;
}

static inline uint64_t
prefix_key(const struct prefix *p)
{
	return (uint64_t)p->addr << 8 | p->len;
}

/*
 * The number of a label stack (outermost first) in this RIB, interned on
 * first use: 0 for an empty stack. A node has few distinct stacks (one per
 * LSP or VPN label it pushes), and they live as long as the RIB.
 */
uint16_t rib_labels_intern(struct rib *, const uint32_t *labels, int n);
/* The stack behind a number (NULL for 0). */
const struct label_stack *rib_labels(const struct rib *, uint16_t id);

/* Decoding a path's small indices. */
const struct rib_src *rib_path_src(const struct rib_path *);
const char *rib_path_code(const struct rib_path *);

/* A path's next hops (NULL: a blackhole). */
static inline const struct nhg *
rib_path_nhg(const struct rib *r, const struct rib_path *p)
{
	const struct nhg *g = p->nhg ? r->nhgv[p->nhg - 1] : NULL;

	return g != NULL && g->n > 0 ? g : NULL;
}

/* A path's route tag (0: none). */
static inline uint32_t
rib_path_tag(const struct rib *r, const struct rib_path *p)
{
	return p->nhg ? r->nhgv[p->nhg - 1]->tag : 0;
}

/* The next candidate after p (NULL after the last). */
static inline const struct rib_path *
rib_path_next(const struct rib *r, const struct rib_path *p)
{
	return p->next ? (const struct rib_path *)slab_at(&r->paths, p->next - 1) : NULL;
}

/* When the path last changed. */
static inline sim_time
rib_path_since(const struct rib_path *p)
{
	return (sim_time)p->since_ms * SIM_MS;
}

#endif
