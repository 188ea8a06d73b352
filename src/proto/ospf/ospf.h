/*
 * ospf.h: OSPFv2 internals shared by the files of src/proto/ospf/ (see the
 * DOC comment at the top of ospf.c for which file does what).
 *
 * Naming: every global function of this directory starts with ospf_ and the
 * name of its file (ospf_nbr_ in neighbor.c, ospf_lsdb_ in lsdb.c...), so
 * that nothing collides with the core or with other protocols.
 *
 * Times are simulated nanoseconds (sim_time); the protocol's own intervals
 * (HelloInterval, RouterDeadInterval...) are configured and shown in seconds
 * as on real routers.
 */
#ifndef NETSIM_OSPF_H
#define NETSIM_OSPF_H

#include <stdbool.h>
#include <stdint.h>

#include "../../cli/cli.h"
#include "../../lib/fsm.h"
#include "../../lib/hmap.h"
#include "../../lib/strbuf.h"
#include "../../lib/util.h"
#include "../../net/net.h"
#include "../../net/rib.h"
#include "../proto.h"
#include "../../net/vrf.h"
#include "../redist.h"
#include "lsa.h"
#include "packet.h"

/* Defaults: what FRR and Cisco IOS use (seconds). */
#define OSPF_HELLO_DFLT      10
#define OSPF_DEAD_DFLT       40
#define OSPF_RXMT_DFLT       5
#define OSPF_TRANSDELAY_DFLT 1
#define OSPF_POLL_DFLT       120
#define OSPF_PRIO_DFLT       1
#define OSPF_EXT_METRIC_DFLT 20
#define OSPF_REFBW_DFLT      100000000ULL /* FRR's auto-cost reference bandwidth: 100 Mbit/s */
/* Delayed acknowledgements (RFC 2328 13.5) go out within this time (FRR: 1 s). */
#define OSPF_ACK_DELAY (1 * SIM_S)
/* SPF throttle (FRR "timers throttle spf 0 50 5000"). */
#define OSPF_SPF_DELAY_DFLT   (0 * SIM_MS)
#define OSPF_SPF_HOLD_DFLT    (50 * SIM_MS)
#define OSPF_SPF_MAXHOLD_DFLT (5000 * SIM_MS)
#define OSPF_MAX_PATHS        RIB_MAX_NH
/* Flood pacing: at most one LS Update per interface per interval (Cisco's default 33 ms). */
#define OSPF_FLOOD_PACING_DFLT (33 * SIM_MS)

enum ospf_if_type {
	OSPF_IFT_BROADCAST,
	OSPF_IFT_P2P,
	OSPF_IFT_NBMA,
	OSPF_IFT_LOOPBACK,
	/*
	 * Point-to-multipoint (RFC 2328 1.2, 12.4.1.4) on a segment that can
	 * multicast, as Cisco's `ip ospf network point-to-multipoint` and FRR's:
	 * neighbors found by multicast Hellos, every one adjacent, no DR; each
	 * router advertises a link per neighbor and a host route to itself.
	 */
	OSPF_IFT_P2MP,
	/*
	 * Point-to-multipoint as RFC 2328 defines it, over a network that cannot
	 * multicast (Cisco's `point-to-multipoint non-broadcast`, FRR's
	 * `point-to-multipoint non-broadcast`): the same links and host routes,
	 * but neighbors are configured, and Hellos, updates and acknowledgements
	 * go to each of them as unicasts (9.5, 13.3).
	 */
	OSPF_IFT_P2MP_NB,
	OSPF_IFT_COUNT
};

#define OSPF_IFT_IS_P2MP(t) ((t) == OSPF_IFT_P2MP || (t) == OSPF_IFT_P2MP_NB)
/* Neighbors are configured and packets to them unicast (NBMA, non-broadcast P2MP). */
#define OSPF_IFT_UNICAST(t) ((t) == OSPF_IFT_NBMA || (t) == OSPF_IFT_P2MP_NB)
/* Point-to-point or point-to-multipoint: no DR, every neighbor adjacent (10.4). */
#define OSPF_IFT_NO_DR(t) ((t) == OSPF_IFT_P2P || OSPF_IFT_IS_P2MP(t))

/* --- configuration (config.c) ----------------------------------------------------------- */

struct ospf_nbma_nbr {
	uint32_t addr;
	uint8_t prio;
};

/*
 * An interface's authentication (RFC 2328 D): AuType 0 (none), 1 (a simple
 * password of up to 8 bytes) or 2, cryptographic, under a key ID: keyed MD5
 * (D.3, a key of up to 16 bytes) or HMAC-SHA (RFC 5709, a key of up to 64).
 * Every router on the network must agree.
 */
#define OSPF_AUTH_KEY_MAX  64
#define OSPF_AUTH_KEYS_MAX 4

/*
 * A key and its lifetimes (D.3: KeyStartAccept, KeyStartGenerate,
 * KeyStopGenerate, KeyStopAccept), in simulated time: from (inclusive) to
 * until (exclusive); by default from 0 for ever.
 */
struct ospf_key {
	uint8_t id, len;
	uint8_t bytes[OSPF_AUTH_KEY_MAX]; /* zero-padded */
	sim_time send_from, send_until, accept_from, accept_until;
};

/*
 * Several keys make a rollover (D.3): packets go out under the youngest key
 * that may generate now (the latest start; among equal starts the last
 * configured) and are accepted under any key that may be accepted now, so
 * that routers can change keys one at a time without losing adjacencies.
 * When the last key has expired, it stays in use rather than routing stop
 * or go unauthenticated (D.3), and the timeline says so once.
 */
struct ospf_auth {
	uint16_t type; /* OSPF_AUTH_NULL, _SIMPLE, _CRYPT */
	uint8_t alg;   /* _CRYPT: enum hash_alg (HASH_MD5: keyed MD5, else HMAC) */
	uint8_t nkeys;
	struct ospf_key keys[OSPF_AUTH_KEYS_MAX];
};

struct ospf_if_cfg {
	bool present; /* the interface has an ospf: block */
	bool auth_set; /* else the device's */
	struct ospf_auth auth;
	uint32_t area;
	int cost; /* -1: automatic */
	int type; /* -1: by interface kind (broadcast, loopback) */
	uint8_t prio;
	uint16_t hello, dead, rxmt, transdelay; /* seconds */
	uint8_t hello_mult; /* fast Hellos: dead 1 s, this many Hellos a second (0: off) */
	uint32_t poll;
	bool dead_set;
	bool passive;
	bool bfd;     /* neighbors watched by BFD (RFC 5882; KillNbr when it declares them down) */
	struct ospf_nbma_nbr *nbrs;
	size_t nnbrs;
};

/*
 * An area address range (RFC 2328 3.5, 12.4.3): an ABR advertises the
 * area's intra-area networks inside it as one summary (advertise), or not at
 * all (not-advertise).
 */
struct ospf_range {
	struct prefix pfx;
	bool advertise;
	bool has_cost; /* else the largest cost of the networks inside */
	uint32_t cost;
};

/* RFC 3101 3.1: NSSATranslatorRole. */
enum ospf_nssa_role { OSPF_NSSA_CANDIDATE, OSPF_NSSA_ALWAYS, OSPF_NSSA_NEVER };

struct ospf_area_cfg {
	uint32_t id;
	bool stub;
	bool nssa;
	bool no_summary;
	bool nssa_default; /* an NSSA ABR originates a Type-7 default (RFC 3101 2.7) */
	bool nssa_default_e1; /* ... of metric type 1 (else 2) */
	uint32_t nssa_default_metric; /* ... with this metric (by default default_cost) */
	bool no_redistribution; /* an NSSA ABR keeps its own external routes out of it */
	uint8_t translate; /* enum ospf_nssa_role */
	uint32_t default_cost;
	struct ospf_range *ranges;
	size_t nranges;
};

/*
 * `default_information`: an AS-external-LSA for 0.0.0.0/0 while the router has
 * a default route from another source, or always (FRR's and Cisco's
 * "default-information originate [always]"; FRR's default metrics).
 */
struct ospf_definfo {
	bool on, always;
	uint32_t metric;
	uint8_t mtype; /* 1 or 2 */
};

#define OSPF_DEFINFO_METRIC_DFLT        10
#define OSPF_DEFINFO_ALWAYS_METRIC_DFLT 1

struct ospf_cfg {
	uint32_t router_id; /* 0: the device's, else automatic */
	uint16_t vrf;       /* the VRF it runs in (`vrf:`, PE-CE routing; 0: the default) */
	uint64_t ref_bw;    /* 0: not configured */
	struct redist redist; /* `redistribute` (proto/redist.h): metric types 1 and 2 */
	struct ospf_definfo definfo;
	struct ospf_auth auth; /* for every interface without its own */
	struct ospf_area_cfg *areas; /* explicitly configured areas */
	size_t nareas;
	sim_time spf_delay, spf_hold, spf_maxhold;
	sim_time flood_pacing;
	/* MinLSInterval and MinLSArrival (RFC 2328 appendix B; FRR's `timers throttle lsa all`, `timers lsa min-arrival`). */
	sim_time lsa_min_interval, lsa_min_arrival;
	/* Device-wide timer overrides for every interface (0: the default). */
	uint16_t hello, dead, rxmt, transdelay;
	uint8_t hello_mult;
	struct ospf_if_cfg *ifs; /* indexed by interface index (grown as needed) */
	size_t nifs;
};

/* --- the key of an LSA, and a hash map on it (lsdb.c) --------------------------------------- */

struct ospf_kslot {
	uint32_t id, adv;
	uint8_t type;
	void *val; /* NULL: empty */
};

struct ospf_keymap {
	struct ospf_kslot *s;
	uint32_t n, cap;
};

void *ospf_keymap_get(const struct ospf_keymap *, uint8_t type, uint32_t id, uint32_t adv);
void ospf_keymap_put(struct ospf_keymap *, uint8_t type, uint32_t id, uint32_t adv, void *val);
void *ospf_keymap_del(struct ospf_keymap *, uint8_t type, uint32_t id, uint32_t adv);
void ospf_keymap_free(struct ospf_keymap *);

/* --- dense numbers shared by every router (lsakey.c, pfxindex.c) ------------------------------ */

#define OSPF_LSX_NONE UINT32_MAX
#define OSPF_PFX_NONE UINT32_MAX

struct ospf_blob;

/* The hash of an LSA key (type, Link State ID, Advertising Router) for open-addressing tables. */
static inline uint32_t
ospf_lsa_khash(uint8_t type, uint32_t id, uint32_t adv)
{
	uint64_t k = (uint64_t)id << 32 | adv;

	return (uint32_t)hash_mix64(k ^ ((uint64_t)type * 0x9e3779b97f4a7c15ULL));
}

/* The number of an LSA key, or OSPF_LSX_NONE if no LSA with that key is known. */
uint32_t ospf_lsakey_find(uint8_t type, uint32_t id, uint32_t adv);
/* The number of an LSA key (created if new), with a reference taken. */
uint32_t ospf_lsakey_ref(uint8_t type, uint32_t id, uint32_t adv);
void ospf_lsakey_hold(uint32_t lsx);
void ospf_lsakey_unref(uint32_t lsx);
/* The keys of network-LSAs with Link State ID id: first, then next until OSPF_LSX_NONE. */
uint32_t ospf_lsakey_net_first(uint32_t id);
uint32_t ospf_lsakey_net_next(uint32_t lsx);
uint8_t ospf_lsakey_type(uint32_t lsx);
uint32_t ospf_lsakey_id(uint32_t lsx);
/* Numbers handed out so far: every number is below this. */
uint32_t ospf_lsakey_count(void);
uint32_t ospf_lsakey_live(void);

uint32_t ospf_pfx_find(const struct prefix *);
uint32_t ospf_pfx_ref(const struct prefix *);
void ospf_pfx_hold(uint32_t pid);
void ospf_pfx_unref(uint32_t pid);
struct prefix ospf_pfx_of(uint32_t pid);
/* The router- and network-LSA instances that describe prefix pid (intern.c keeps the list). */
void ospf_pfx_user_add(uint32_t pid, struct ospf_blob *);
void ospf_pfx_user_del(uint32_t pid, struct ospf_blob *);
struct ospf_blob *const *ospf_pfx_users(uint32_t pid, uint32_t *n);
uint32_t ospf_pfx_count(void);
/* Every live prefix number in prefix order (prefix_cmp), and maybe some freed ones. */
const uint32_t *ospf_pfx_sorted(size_t *n);

/* --- sharing that state between threads (shared.c) ---------------------------------------- */

struct retire;
enum ospf_sh_kind { OSPF_SH_BLOB, OSPF_SH_KEY, OSPF_SH_PFX };

/* Once, before any router runs (single-threaded). */
void ospf_shared_init(void);
/* Around additions to the shared tables (nests; no lock outside parallel sections). */
void ospf_shared_lock(void);
void ospf_shared_unlock(void);
/* Where replaced arrays go in a parallel section (NULL outside one: free them). */
struct retire *ospf_shared_retire(void);
/* A reference count change made in a parallel section, applied when it ends. */
void ospf_shared_defer(enum ospf_sh_kind, struct ospf_blob *, uint32_t x, int delta);
/*
 * A reference to a shared object (an instance b, or number x) whose count is
 * *refs: counted at once, or when the parallel section ends. Release returns
 * true when the count reached zero at once (the caller then frees it).
 */
void ospf_shared_hold(enum ospf_sh_kind, struct ospf_blob *b, uint32_t x, uint32_t *refs);
bool ospf_shared_release(enum ospf_sh_kind, struct ospf_blob *b, uint32_t x, uint32_t *refs);
/* What the end of a parallel section calls: counts, then frees at zero. */
bool ospf_intern_doomed(struct ospf_blob *);
void ospf_intern_free(struct ospf_blob *);
void ospf_intern_grow(void);
uint32_t *ospf_lsakey_refs(uint32_t lsx);
void ospf_lsakey_reap(uint32_t lsx);
uint32_t *ospf_pfx_refs(uint32_t pid);
void ospf_pfx_reap(uint32_t pid);

/* --- interned LSA instances (intern.c) --------------------------------------------------- */

/*
 * One LSA instance, shared by every router that holds it: its exact bytes
 * with the LS age field zeroed (the age is per router: see struct ospf_ent),
 * the decoded header, and the body parsed once on first use together with
 * the dense numbers of what it points to (SPF's view of it).
 */
struct ospf_blob {
	struct ospf_blob *chain;
	uint64_t hash;
	uint32_t refs;
	uint32_t lsx;  /* the number of its key (lsakey.c) */
	uint32_t sum;  /* Internet checksum sum of the bytes (age 0): LS Update checksums */
	bool cksum_ok; /* the Fletcher checksum verifies (12.1.7): checked once per instance */
	bool body_bad;
	bool zero_metric; /* (parsed) a router-LSA link to a router or network with metric 0 */
	struct ospf_lsa_hdr hdr; /* hdr.age is 0 */
	struct ospf_lsa_body *body;
	/*
	 * Parsed with the body. Network-, summary- (type 3) and AS-external-LSAs:
	 * pid, the number of the prefix they describe (OSPF_PFX_NONE: none).
	 * Router-LSAs: to[i] for link i, the key number of the neighbor's
	 * router-LSA (point-to-point links) or the prefix number (stub links),
	 * else OSPF_LSX_NONE. Network-LSAs: to[i], the key number of the
	 * router-LSA of attached router i.
	 */
	uint32_t pid;
	uint32_t *to;
	uint8_t bytes[];
};

/* The interned instance equal to lsa[0..len) (age ignored), with a reference taken. */
struct ospf_blob *ospf_intern(const uint8_t *lsa, size_t len);
/* The interned instance equal to lsa[0..len) if there is one (no reference taken). */
struct ospf_blob *ospf_intern_find(const uint8_t *lsa, size_t len);
/* What ospf_intern() does for an instance ospf_intern_find() found: a reference, counted as a hit. */
struct ospf_blob *ospf_intern_again(struct ospf_blob *);
struct ospf_blob *ospf_intern_ref(struct ospf_blob *);
void ospf_intern_unref(struct ospf_blob *);
/* The parsed body (NULL if it does not parse). */
const struct ospf_lsa_body *ospf_intern_body(struct ospf_blob *);
void ospf_intern_stats(size_t *count, size_t *bytes, uint64_t *hits);

/* --- the link state database (lsdb.c) ------------------------------------------------------ */

struct ospf_area;
struct ospf;
struct ospf_rxref;

/*
 * A router's copy of an LSA: 32 bytes, as a 1,000-router area holds a million
 * of them. (Its database follows from where it is stored: ospf_lsdb_of().)
 */
struct ospf_ent {
	struct ospf_blob *lsa;   /* NULL: no such entry */
	sim_time t0;             /* installed at; the age was age0 then */
	struct ospf_rxref *rxmt; /* this entry on neighbors' retransmission lists */
	uint32_t nrxmt;          /* retransmission lists holding this instance */
	uint16_t age0;
	bool flooded; /* received by flooding (MinLSArrival, 13 step 5a) */
	bool self;    /* originated by this router */
};

/* When a router last sent its newer copy back to a neighbor (13 step 8), by key number. */
struct ospf_sentback {
	uint32_t lsx;
	sim_time when;
};

/*
 * Entries are stored by the number of their key (lsakey.c), in chunks that
 * never move (pointers to entries stay valid) and are allocated on first use.
 */
#define OSPF_LSDB_CHUNK 64

struct ospf_lsdb {
	struct ospf *o;
	struct ospf_area *area; /* NULL: the AS-external scope */
	struct ospf_ent **chunk;
	uint32_t nchunk;
	uint32_t n; /* entries */
	uint32_t nzero; /* entries with zero_metric (ispf.c cannot handle them) */
	uint32_t count[OSPF_LSA_OPAQUE_AS + 1];
	uint32_t cksum[OSPF_LSA_OPAQUE_AS + 1];
	struct ospf_keymap origs; /* self-originated LSAs of this scope (originate.c) */
	struct ospf_orig **origv; /* the same, in creation order */
	size_t norig, origcap;
	/* 13 step 8 sends of the current instances (rare: a short list, mostly empty). */
	struct ospf_sentback *sentback;
	size_t nsentback, sentbackcap;
};

/* The entry for key number lsx, or NULL. */
static inline struct ospf_ent *
ospf_lsdb_at(const struct ospf_lsdb *db, uint32_t lsx)
{
	struct ospf_ent *c;

	if (lsx / OSPF_LSDB_CHUNK >= db->nchunk ||
	    (c = db->chunk[lsx / OSPF_LSDB_CHUNK]) == NULL)
		return NULL;
	c += lsx % OSPF_LSDB_CHUNK;
	return c->lsa != NULL ? c : NULL;
}

/* Start loading the router's entry for the LSA h names (a hint, no effect on results). */
/* LSAs of one packet whose entries are loaded ahead (the rest are looked up as they come). */
#define OSPF_PREFETCH_MAX 128
uint32_t ospf_lsdb_prefetch(struct ospf_area *, const struct ospf_lsa_hdr *);
/* Start loading every entry of db (before a routing table calculation). */
void ospf_lsdb_warm(const struct ospf_lsdb *);
/* Iterate (in no meaningful order): for (pos = 0; (e = ospf_lsdb_next(db, &pos));) */
struct ospf_ent *ospf_lsdb_next(const struct ospf_lsdb *, uint32_t *pos);

uint16_t ospf_lsdb_age(const struct ospf_ent *, sim_time now);
/* The entry's header with its current age. */
struct ospf_lsa_hdr ospf_lsdb_hdr(const struct ospf_ent *, sim_time now);
struct ospf_ent *ospf_lsdb_get(const struct ospf_lsdb *, uint8_t type, uint32_t id, uint32_t adv);
/* The database of the router o that holds e. */
struct ospf_lsdb *ospf_lsdb_of(const struct ospf *o, const struct ospf_ent *e);
/* 13 step 8: when this router last sent e back to a neighbor (long ago if never); note now. */
sim_time ospf_lsdb_sentback(const struct ospf_lsdb *, const struct ospf_ent *);
void ospf_lsdb_set_sentback(struct ospf_lsdb *, const struct ospf_ent *, sim_time);
/*
 * Install an instance (RFC 2328 13.2): replaces the current copy, schedules
 * SPF when the contents changed. Takes over the caller's reference.
 */
struct ospf_ent *ospf_lsdb_install(struct ospf_lsdb *, struct ospf_blob *, uint16_t age, bool self,
                                   bool flooded);
/* Remove an entry (MaxAge removal, protocol stop). */
void ospf_lsdb_remove(struct ospf_lsdb *, struct ospf_ent *);
void ospf_lsdb_init(struct ospf_lsdb *, struct ospf *, struct ospf_area *);
void ospf_lsdb_clear(struct ospf_lsdb *);
/* qsort order of an array of entries: by key (ospf_lsa_key_cmp). */
int ospf_ent_key_cmp(const void *, const void *);
/* The entries of types lo..hi, sorted by key (the caller frees). */
struct ospf_ent **ospf_lsdb_sorted_types(const struct ospf_lsdb *, uint8_t lo, uint8_t hi,
                                         size_t *n);
/* All entries, sorted by key; the caller frees. */
struct ospf_ent **ospf_lsdb_sorted(const struct ospf_lsdb *, size_t *n);
/* The database whose flooding scope holds LSAs of type t (area or AS). */
struct ospf_lsdb *ospf_lsdb_for(struct ospf_area *, uint8_t type);
/* MaxAge LSAs that no retransmission list holds any more go (RFC 2328 14). */
void ospf_lsdb_maxage_check(struct ospf *);
/* Make the aging timer fire no later than when (an LSA reaches MaxAge then). */
void ospf_lsdb_aging_schedule(struct ospf *, sim_time when);
void ospf_lsdb_timers_init(struct ospf *);

/* An LSA on a neighbor's request list, in insertion order. */
struct ospf_lsref {
	struct ospf_lsref *prev, *next;
	struct ospf_lsa_hdr hdr;
	sim_time sent; /* last requested */
};

struct ospf_lslist {
	struct ospf_lsref *head, *tail;
	struct ospf_keymap map;
	uint32_t n;
};

struct ospf_lsref *ospf_lslist_get(const struct ospf_lslist *, uint8_t type, uint32_t id,
                                   uint32_t adv);
struct ospf_lsref *ospf_lslist_add(struct ospf_lslist *, const struct ospf_lsa_hdr *);
void ospf_lslist_del(struct ospf_lslist *, struct ospf_lsref *);
void ospf_lslist_clear(struct ospf_lslist *);

/*
 * An LSA on a neighbor's retransmission list (13.3, 13.6). The list is in
 * insertion order; the database entry chains the references of every
 * neighbor holding it, so finding one is a walk over a few neighbors rather
 * than a lookup in a per-neighbor map. The instance is always the entry's
 * current one: installing a new instance takes the old one off every list
 * (13 step 5c, lsdb.c).
 */
struct ospf_rxref {
	struct ospf_rxref *prev, *next; /* the neighbor's list */
	struct ospf_rxref *enext;       /* the entry's chain */
	struct ospf_nbr *nb;
	struct ospf_ent *ent;
	sim_time sent; /* last (re)transmission */
};

struct ospf_rxlist {
	struct ospf_rxref *head, *tail;
	uint32_t n;
};

/* --- interfaces and neighbors --------------------------------------------------------------- */

enum ospf_ism_state {
	ISM_DOWN,
	ISM_LOOPBACK,
	ISM_WAITING,
	ISM_P2P,
	ISM_DROTHER,
	ISM_BACKUP,
	ISM_DR,
	ISM_NSTATES
};

enum ospf_ism_event {
	ISM_EV_UP,
	ISM_EV_WAIT_TIMER,
	ISM_EV_BACKUP_SEEN,
	ISM_EV_NBR_CHANGE,
	ISM_EV_LOOP_IND,
	ISM_EV_UNLOOP_IND,
	ISM_EV_DOWN,
	ISM_NEVENTS
};

enum ospf_nsm_state {
	NSM_DOWN,
	NSM_ATTEMPT,
	NSM_INIT,
	NSM_2WAY,
	NSM_EXSTART,
	NSM_EXCHANGE,
	NSM_LOADING,
	NSM_FULL,
	NSM_NSTATES
};

enum ospf_nsm_event {
	NSM_EV_HELLO_RCVD,
	NSM_EV_START,
	NSM_EV_2WAY_RCVD,
	NSM_EV_NEG_DONE,
	NSM_EV_EXCH_DONE,
	NSM_EV_BAD_LSREQ,
	NSM_EV_LOAD_DONE,
	NSM_EV_ADJ_OK,
	NSM_EV_SEQ_MISMATCH,
	NSM_EV_1WAY_RCVD,
	NSM_EV_KILL,
	NSM_EV_INACTIVITY,
	NSM_EV_LL_DOWN,
	NSM_NEVENTS
};

struct ospf_if;

struct ospf_nbr {
	struct ospf_if *oi;
	uint32_t rid, addr;
	uint8_t prio, options;
	uint32_t dr, bdr; /* as its last Hello declared them */
	enum ospf_nsm_state state;
	sim_time since; /* last state change */
	struct timer inactivity, dd_rxmt, lsr_rxmt, rxmt_t;
	bool nbma_cfg; /* configured NBMA neighbor (kept while Down) */
	bool master;   /* we are the master of the exchange */
	uint32_t dd_seq;
	uint32_t crypt_seq; /* highest cryptographic sequence number received (D.4.3) */
	bool last_rx_valid;
	uint8_t last_rx_flags, last_rx_options;
	uint32_t last_rx_seq;
	uint8_t *last_dd; /* last DD sent, for retransmission */
	size_t last_dd_len;
	bool dd_sent_last;            /* our last DD had M clear */
	struct ospf_lsa_hdr *summary; /* database summary list (10.3 NegotiationDone) */
	size_t nsum, sumpos;
	struct ospf_lslist req;
	struct ospf_rxlist rxmt;
	uint32_t lsr_out; /* requests in the LSR in flight */
	uint32_t changes; /* state changes, for show */
	sim_time polled;  /* NBMA: last Hello sent to it while Down */
	uint8_t busy;     /* counted in o->nbusy_nbrs */
	struct bfd_client *bfd; /* while 2-Way or more on an interface with bfd: true */
};

/* An LSA instance to send, with its age (before InfTransDelay is added). */
struct ospf_fq {
	struct ospf_blob *lsa;
	uint16_t age;
};

/* Why a neighbor's packets were dropped (mismatch.c). */
enum ospf_mismatch_reason {
	OSPF_MIS_MASK,
	OSPF_MIS_HELLO,
	OSPF_MIS_DEAD,
	OSPF_MIS_OPTIONS, /* the E (or N) bit: stub or NSSA on one end only */
	OSPF_MIS_AREA,
	OSPF_MIS_AUTH,
	OSPF_MIS_MTU,
	OSPF_MIS_RID,     /* the neighbor has our router ID */
	OSPF_MIS_N
};

struct ospf_mismatch {
	uint32_t addr, rid;  /* the neighbor's interface address and router ID */
	uint8_t reason;      /* enum ospf_mismatch_reason */
	uint32_t count;      /* packets dropped for it */
	sim_time first, last;
	char text[160];      /* the last one, as the timeline says it */
};

struct ospf_if {
	struct ospf *o;
	struct iface *ifp;
	struct ospf_area *area;
	const struct ospf_if_cfg *cfg;
	enum ospf_if_type type;
	uint16_t cost;
	uint16_t hello, dead, rxmt, transdelay; /* hello 0 with fast Hellos (hello_mult) */
	uint8_t hello_mult;
	uint32_t poll;
	uint8_t prio;
	bool passive;
	struct ospf_auth auth;
	uint32_t crypt_seq; /* last cryptographic sequence number sent (D.3) */
	enum ospf_ism_state state;
	uint32_t dr, bdr; /* interface addresses, 0: none */
	struct timer hello_t, wait_t, ack_t, flood_t, hello_now;
	bool first_hello; /* the first Hello after coming up is not yet sent */
	bool key_expiry_told; /* the timeline knows we send under an expired key (D.3) */
	struct ospf_nbr **nbrs;
	size_t nnbrs, nbrcap;
	struct ospf_lsa_hdr *acks; /* delayed acknowledgements */
	size_t nacks, ackcap;
	struct ospf_fq *fq; /* LSAs waiting to be flooded out of this interface */
	size_t nfq, fqcap;
	sim_time since;    /* last state change */
	sim_time last_lsu; /* last flooded LS Update, for pacing */
	uint32_t changes;
	uint64_t hello_tx, hello_rx;
	struct ospf_mismatch *mis; /* per neighbor address and reason */
	size_t nmis, miscap;
};

/* Next-hop sets, each stored once and named by a number (rtable.c). */
struct ospf_nhs;
struct ospf_nht {
	struct nexthop *nh;
	size_t nnh, nhcap;
	struct ospf_nhs *s;
	size_t n, cap;
	uint32_t *slot; /* open addressing on the content hash: set number + 1 */
	size_t nslot;
};

/* A vertex of the shortest-path tree kept between runs (ispf.c). */
struct ospf_spv {
	uint32_t dist; /* OSPF_SPV_INF: not in the tree */
	uint16_t nhs;  /* next-hop set in the tree's table */
	uint8_t direct; /* a network attached to the root */
};
#define OSPF_SPV_INF UINT32_MAX

/* An LSA that changed since the tree was computed, as it was then. */
struct ospf_spchg {
	uint32_t lsx;
	struct ospf_blob *old; /* a reference; NULL: there was none */
	bool usable;
};

struct ospf_spt {
	bool valid;           /* v[] is the tree of the last run, for the changes below */
	struct ospf_spv *v;   /* by LSA key number */
	uint32_t nv;
	struct ospf_area *area;
	uint32_t *ctx;        /* what else the last run depended on (ispf.c) */
	size_t nctx, ctxcap;
	struct ospf_nht nht;  /* next-hop sets of v[] and of the routes */
	size_t nht_full;      /* sets after the last full run */
	struct ospf_spchg *chg;
	size_t nchg, chgcap;
	bool overflow;        /* too many changes to track: the next run is a full one */
};

struct ospf_area {
	struct ospf *o;
	uint32_t id;
	bool stub, no_summary;
	bool nssa;
	const struct ospf_area_cfg *cfg; /* the NSSA's details (NULL: area not configured) */
	bool translator;           /* translating Type-7 LSAs into Type-5 (RFC 3101 3.1) */
	sim_time translator_until; /* elected no more: translating until then (stability) */
	uint32_t default_cost;
	const struct ospf_range *ranges; /* the configuration's */
	size_t nranges;
	struct ospf_lsdb db;
	struct ospf_spt spt;
	uint32_t spf_runs;
	bool active; /* has an interface that is up */
};

/* A route computed by SPF (spf.c). N1, N2: from Type-7 LSAs of an NSSA (RFC 3101 2.5). */
enum ospf_path_type {
	OSPF_PATH_INTRA,
	OSPF_PATH_INTER,
	OSPF_PATH_E1,
	OSPF_PATH_E2,
	OSPF_PATH_N1,
	OSPF_PATH_N2
};

#define OSPF_PATH_EXT(t)   ((t) >= OSPF_PATH_E1)
#define OSPF_PATH_TYPE2(t) ((t) == OSPF_PATH_E2 || (t) == OSPF_PATH_N2)
#define OSPF_PATH_NSSA(t)  ((t) >= OSPF_PATH_N1)

struct ospf_route {
	struct prefix pfx;
	uint8_t ptype;  /* enum ospf_path_type */
	bool connected; /* directly attached (no gateway) */
	uint32_t cost;  /* E2: the cost to the ASBR/forwarding address */
	uint32_t cost2; /* E2: the type 2 metric */
	uint32_t area;
	uint32_t tag;
	uint32_t adv; /* the LSA's advertising router (for show) */
	uint8_t nnh;
	struct nexthop nh[OSPF_MAX_PATHS];
};

/* A route to an area border or AS boundary router, per area (spf.c). */
struct ospf_rroute {
	uint32_t rid;
	uint32_t area;
	uint8_t ptype; /* intra or inter */
	bool abr, asbr;
	uint32_t cost;
	uint8_t nnh;
	struct nexthop nh[OSPF_MAX_PATHS];
};

struct ospf_table {
	struct ospf_route *r;
	size_t n, cap;
	struct ospf_rroute *rr;
	size_t nrr, rrcap;
	struct hmap idx; /* prefix key -> index + 1 */
};

/*
 * A route while SPF computes it (rtable.c): filed under the number of its
 * prefix, next hops as a next-hop set number (0: none).
 */
struct ospf_rt {
	uint8_t ptype;  /* enum ospf_path_type */
	bool connected; /* directly attached (no gateway) */
	bool pbit;      /* N1/N2: the Type-7 LSA's P-bit (RFC 3101 2.5 step 6d) */
	uint32_t nhs;
	uint32_t cost, cost2, area, tag, adv; /* as in struct ospf_route */
};

/* A Type-7 LSA to translate into an AS-external-LSA (nssa.c): what the Type-5 says. */
struct ospf_xlate {
	struct prefix pfx;
	uint32_t metric, fwd, tag;
	bool ebit;
};

struct ospf_stats {
	uint64_t hello_tx, hello_rx, dd_tx, dd_rx, lsr_tx, lsr_rx, lsu_tx, lsu_rx, ack_tx, ack_rx;
	uint64_t lsa_originated, lsa_rcvd, spf_runs, bad_pkts, rxmt_lsas, auth_fails;
	uint64_t fsm_ignored; /* events a state machine does not expect in its state */
};

struct ospf {
	struct node *node;
	struct proto_inst *pi;
	struct ospf_cfg cfg;
	const struct cfg *cfg_blk; /* YAML positions, only while the topology is built */
	const struct cfg **cfg_ifblk;
	uint32_t rid;
	const char *rid_how;
	struct ospf_area **areas; /* sorted by area ID */
	size_t nareas, areacap;
	struct ospf_if **ifs; /* in the node's interface order */
	size_t nifs, ifcap;
	struct ospf_lsdb as_db;
	struct timer spf_t, orig_t, maxage_t, aging_t, refresh_t, nssa_t;
	sim_time spf_last, spf_holdcur, spf_last_dur;
	bool spf_ran;
	sim_time started;
	/* What the RIB holds from us: per prefix number, a digest of the route (0: none). */
	uint64_t *rib_dig;
	uint32_t nrib_dig;
	size_t ninstalled;
	size_t ndiscard;     /* discard routes for area ranges in the RIB (area.c) */
	uint32_t nbusy_nbrs; /* neighbors in a state that is work (see ospf_busy) */
	uint32_t ndeferred;  /* LSA originations waiting for MinLSInterval */
	bool orig_pending;
	bool watching;
	struct ospf_stats st;
	uint32_t dd_seq_seed;
	struct ospf_xlate *xlate; /* Type-7 LSAs to translate, in prefix order (nssa.c) */
	size_t nxlate;
};

/* --- functions by file ----------------------------------------------------------------------- */

/* ospf.c */
extern const struct rib_src ospf_rib_src;
/* An ABR's discard routes for the ranges it advertises (area.c). */
extern const struct rib_src ospf_discard_src;
struct ospf *ospf_of(struct node *);
sim_time ospf_now(const struct ospf *);
sim_time ospf_jitter(struct ospf *, sim_time max);
bool ospf_is_abr(const struct ospf *);
bool ospf_is_asbr(const struct ospf *);
struct ospf_area *ospf_area_find(const struct ospf *, uint32_t id);
/* Send an OSPF packet (the encoded bytes) out of oi to dst. */
void ospf_send(struct ospf_if *, uint32_t dst, const uint8_t *p, size_t len, uint8_t cls);
/* The same with the packet already in a buffer (pkt_new), which it takes over. */
void ospf_send_buf(struct ospf_if *, uint32_t dst, struct pkt *, uint8_t cls);
/* Fill the common header for a packet sent on oi. */
void ospf_hdr_init(struct ospf_if *, struct ospf_pkt *, uint8_t type);
/* Encode pkt and send it (returns -1 if it could not be encoded). */
int ospf_send_pkt(struct ospf_if *, uint32_t dst, const struct ospf_pkt *, uint8_t cls);
/* Max OSPF packet size on oi (the IP MTU less the IP header). */
size_t ospf_if_maxpkt(const struct ospf_if *);
uint8_t ospf_options(const struct ospf_area *);
/* Do AS-external-LSAs flood into a (not stub, not NSSA: RFC 2328 3.6, RFC 3101 2.2)? */
static inline bool
ospf_area_ext(const struct ospf_area *a)
{
	return !a->stub && !a->nssa;
}
/* Does a store LSAs of this type (1-4 everywhere, 5 where they flood, 7 in an NSSA)? */
bool ospf_area_takes(const struct ospf_area *, uint8_t type);
void ospf_trace(struct ospf *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * A packet from src (router ID rid) dropped for a configuration mismatch: the
 * timeline says so once per interface, neighbor and reason (mismatch.c).
 */
void ospf_mismatch(struct ospf_if *, uint32_t src, uint32_t rid, enum ospf_mismatch_reason,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
const char *ospf_mismatch_name(enum ospf_mismatch_reason);

/* auth.c */
/* Authenticate a packet about to leave oi (D.4): AuType, password or digest. */
void ospf_auth_sign(struct ospf_if *, struct pkt **);
/*
 * Check a received packet (p, len: the IP payload) against oi's
 * authentication (D.5) at time now (key lifetimes, D.3); nb: its neighbor if
 * known, whose cryptographic sequence number must not go back. Returns NULL
 * or why it fails.
 */
const char *ospf_auth_check(const struct ospf_if *, const struct ospf_nbr *, const uint8_t *p,
                            size_t len, const struct ospf_hdr *, sim_time now);
const char *ospf_auth_name(const struct ospf_auth *);
/* What ospf_auth_check returns for a replay (D.5): an attack or a lost packet, not a misconfiguration. */
extern const char ospf_auth_replay[];
/* The key packets leave oi under at time now (D.3), NULL without cryptographic authentication. */
const struct ospf_key *ospf_auth_send_key(const struct ospf_auth *, sim_time now);

/* nssa.c */
/* After a full SPF run: the translator elections and the Type-7 LSAs to translate. */
void ospf_nssa_update(struct ospf *, const struct ospf_table *);
const char *ospf_nssa_role_name(const struct ospf_area *);
void ospf_nssa_fire(struct timer *);
/* The forwarding address of this router's Type-7 LSAs in a (RFC 3101 2.3). */
uint32_t ospf_nssa_fwd(const struct ospf *, const struct ospf_area *);

/* config.c */
int ospf_config_device(struct proto_inst *, const struct cfg *);
int ospf_config_iface(struct proto_inst *, struct iface *, const struct cfg *);
int ospf_config_validate(struct proto_inst *);
void ospf_config_free(struct ospf_cfg *);
/* The router ID this node uses, and how it was chosen. */
uint32_t ospf_config_router_id(const struct ospf *, const char **how);
uint16_t ospf_config_cost(const struct ospf *, const struct iface *, const struct ospf_if_cfg *);

/* iface.c */
extern const char *const ospf_ism_state_names[ISM_NSTATES];
extern const char *const ospf_ism_event_names[ISM_NEVENTS];
void ospf_if_fsm(struct ospf_if *, enum ospf_ism_event);
struct ospf_if *ospf_if_new(struct ospf *, struct iface *, const struct ospf_if_cfg *);
void ospf_if_free(struct ospf_if *);
struct ospf_nbr *ospf_if_nbr_by_addr(const struct ospf_if *, uint32_t addr);
struct ospf_nbr *ospf_if_nbr_by_rid(const struct ospf_if *, uint32_t rid);
/* The neighbor that is DR (or BDR) on oi, or NULL. */
struct ospf_nbr *ospf_if_dr_nbr(const struct ospf_if *);
struct ospf_nbr *ospf_if_bdr_nbr(const struct ospf_if *);
/* Neighbors in Full state, and whether we have a Full adjacency with the DR. */
size_t ospf_if_full_count(const struct ospf_if *);

/* RFC 2328 9.4 on a list of candidates (a pure function, for tests too). */
struct ospf_dr_cand {
	uint32_t rid, addr;
	uint8_t prio;
	uint32_t dr, bdr; /* what the candidate declares */
};
void ospf_if_elect(const struct ospf_dr_cand *, size_t n, size_t self, uint32_t *dr, uint32_t *bdr);

/* The ISM table (exposed for tests): actions take the struct ospf_if. */
extern const struct fsm_row ospf_ism_table[];

/* hello.c */
void ospf_hello_fire(struct timer *);
void ospf_hello_now_fire(struct timer *);
void ospf_hello_send(struct ospf_if *, uint32_t dst, uint8_t cls);
void ospf_hello_timer_start(struct ospf_if *);
void ospf_hello_input(struct ospf_if *, const struct ospf_pkt *, uint32_t src);
void ospf_hello_trigger(struct ospf_if *);

/* neighbor.c */
extern const char *const ospf_nsm_state_names[NSM_NSTATES];
extern const char *const ospf_nsm_event_names[NSM_NEVENTS];
/* The NSM table (exposed for tests): actions take the struct ospf_nbr. */
extern const struct fsm_row ospf_nsm_table[];
void ospf_nbr_fsm(struct ospf_nbr *, enum ospf_nsm_event);
struct ospf_nbr *ospf_nbr_new(struct ospf_if *, uint32_t rid, uint32_t addr);
void ospf_nbr_free(struct ospf_nbr *);
bool ospf_nbr_adj_ok(const struct ospf_nbr *);
const char *ospf_nbr_state_str(const struct ospf_nbr *, char *buf, size_t len);
/* Whether the neighbor is "work" for convergence detection. */
bool ospf_nbr_is_busy(const struct ospf_nbr *);
void ospf_nbr_update_busy(struct ospf_nbr *);
/* Is some neighbor of the router in Exchange or Loading (RFC 2328 13 step 4, 14)? */
bool ospf_nbr_any_exchanging(const struct ospf *);
void ospf_nbr_rxmt_add(struct ospf_nbr *, struct ospf_ent *);
void ospf_nbr_rxmt_del(struct ospf_rxref *);
/* The neighbor's retransmission list entry for e, or NULL. */
struct ospf_rxref *ospf_nbr_rxmt_get(const struct ospf_nbr *, const struct ospf_ent *);
/* The same by key (acknowledgements, tests). */
struct ospf_rxref *ospf_nbr_rxmt_find(const struct ospf_nbr *, uint8_t type, uint32_t id,
                                      uint32_t adv);
/* Take e off every retransmission list (13 step 5c, a new instance of our own). */
void ospf_nbr_rxmt_purge(struct ospf_ent *);
/* lsx: what ospf_lsdb_prefetch returned for an LSA of that type. */
void ospf_nbr_rxmt_prefetch(struct ospf_area *, uint8_t type, uint32_t lsx);
void ospf_nbr_rxmt_schedule(struct ospf_nbr *);

/* dbex.c */
void ospf_dd_start(struct ospf_nbr *);
void ospf_dd_negotiated(struct ospf_nbr *);
void ospf_dd_input(struct ospf_nbr *, const struct ospf_pkt *);
void ospf_dd_rxmt_fire(struct timer *);

/* lsreq.c */
void ospf_lsreq_send(struct ospf_nbr *);
void ospf_lsreq_input(struct ospf_nbr *, const struct ospf_pkt *);
void ospf_lsreq_rxmt_fire(struct timer *);
/* A requested LSA arrived (or the request list shrank): maybe send more, maybe LoadingDone. */
void ospf_lsreq_progress(struct ospf_nbr *);

/* lsupd.c */
void ospf_lsupd_input(struct ospf_nbr *, const struct ospf_pkt *);
/* Flood ent out of the interfaces of its scope (13.3); from: the neighbor it came from. */
bool ospf_lsupd_flood(struct ospf *, struct ospf_ent *, struct ospf_nbr *from);
/* Send LSAs directly to one neighbor (LSR answers, retransmissions, 13 step 8). */
void ospf_lsupd_send_direct(struct ospf_nbr *, const struct ospf_fq *lsas, size_t n);
void ospf_lsupd_flood_fire(struct timer *);
void ospf_lsupd_rxmt_fire(struct timer *);

/* lsack.c */
void ospf_lsack_input(struct ospf_nbr *, const struct ospf_pkt *);
void ospf_lsack_delayed(struct ospf_if *, const struct ospf_lsa_hdr *);
void ospf_lsack_direct(struct ospf_nbr *, const struct ospf_lsa_hdr *);
void ospf_lsack_fire(struct timer *);

/* originate.c */
struct ospf_orig {
	uint8_t type;
	uint32_t id;
	struct ospf_lsdb *db;
	uint8_t *body; /* wanted contents after the 20-byte header */
	uint16_t blen;
	uint8_t options;
	bool wanted, gen;
	bool deferred;
	sim_time last; /* last origination */
	uint32_t last_seq;
	bool have_seq;
};
/* Regenerate every LSA this router originates, soon (a zero-delay timer). */
void ospf_orig_schedule(struct ospf *);
void ospf_orig_fire(struct timer *);
/* Summary-LSAs from the routing table SPF just computed. */
void ospf_orig_summaries(struct ospf *, const struct ospf_table *);
void ospf_orig_want(struct ospf_lsdb *, uint8_t type, uint32_t id, uint8_t options,
                    const uint8_t *body, size_t blen);
/* RFC 2328 13.4: a received LSA that we originated, newer than our copy. */
void ospf_orig_self_received(struct ospf *, struct ospf_ent *);
/* Premature aging (14.1). */
void ospf_orig_flush(struct ospf *, struct ospf_ent *);
void ospf_orig_refresh_fire(struct timer *);
void ospf_orig_free(struct ospf_lsdb *);

/* area.c */
struct ospf_area *ospf_area_get(struct ospf *, uint32_t id);
void ospf_area_free(struct ospf_area *);
/* Summary-LSAs (12.4.3), the stub default, AS-external-LSAs (12.4.4). */
void ospf_area_originate_summaries(struct ospf *, const struct ospf_table *);
void ospf_area_originate_externals(struct ospf *);
/* 16.2 (3): is p an active range of this router (asked while SPF builds the table)? */
bool ospf_area_range_active(const struct ospf *, const struct prefix *p);
void ospf_area_router_lsa(struct ospf *, struct ospf_area *);
void ospf_area_network_lsas(struct ospf *, struct ospf_area *);
const char *ospf_area_str(uint32_t id);

/* rtable.c: next-hop sets and the routes of the computation in progress */
/*
 * Start a computation: no routes; next-hop sets in t (NULL: a scratch table),
 * emptied but for the empty set (0). _resume keeps t's sets (ispf.c).
 */
void ospf_rt_begin(struct ospf_nht *t);
void ospf_rt_resume(struct ospf_nht *t);
void ospf_nht_reset(struct ospf_nht *);
void ospf_nht_free(struct ospf_nht *);
/* The content hash of a set (in the current table, in t), and how many sets the table holds. */
uint64_t ospf_nhs_hash(uint32_t s);
uint64_t ospf_nht_hash(const struct ospf_nht *t, uint32_t s);
size_t ospf_nhs_count(void);
/* The number of the set of next hops nh[0..n) (sorted, duplicates dropped, at most 16). */
uint32_t ospf_nhs_make(const struct nexthop *nh, size_t n);
/* The union of two sets (the lowest OSPF_MAX_PATHS of it). */
uint32_t ospf_nhs_union(uint32_t a, uint32_t b);
const struct nexthop *ospf_nhs_get(uint32_t s, uint8_t *n);
/* Offer a candidate route for prefix pid (16.1 step 2d, 16.2 step 5, 16.4 step 6). */
void ospf_rt_add(uint32_t pid, const struct ospf_rt *);
/* The best route so far for prefix pid, or NULL. */
const struct ospf_rt *ospf_rt_get(uint32_t pid);
/* The routes so far, in the order they were first offered: for (i = 0; ospf_rt_at(i, &pid);) */
const struct ospf_rt *ospf_rt_at(size_t i, uint32_t *pid);
/* Give the RIB what changed since the router's last installation. */
void ospf_rt_install(struct ospf *);
/* The same when only the routes to pids[0..n) may have changed (the others were not computed). */
void ospf_rt_install_some(struct ospf *, const uint32_t *pids, size_t n);
/* Does the computation's table equal what the router installed? (Test mode, ispf.c.) */
bool ospf_rt_same_as_installed(const struct ospf *);
/* The router forgets what it installed (the RIB was flushed). */
void ospf_rt_forget(struct ospf *);
/* Append the routes to t (t->r; the caller sorts). */
void ospf_rt_table(struct ospf_table *);

/* ispf.c */
/* Test mode: compare every incremental run with a full one (a bug() if they differ). */
extern bool ospf_spf_check;
/* Before an LSA of db (key number lsx; e its entry, NULL if none) changes: note its old state. */
void ospf_ispf_note(struct ospf_lsdb *db, uint32_t lsx, const struct ospf_ent *e);
/* Repair the tree of area a and install what changed; false: a full run is needed. */
bool ospf_ispf_run(struct ospf *, struct ospf_area *);
/* A full run stores its tree: begin (empties it), fill t->v, end (ok: it is usable). */
void ospf_ispf_store_begin(struct ospf_spt *);
void ospf_ispf_store_end(struct ospf *, struct ospf_area *, bool ok);
/* The tree is no longer the last run's (no incremental run until a full one). */
void ospf_ispf_forget(struct ospf_spt *);
void ospf_ispf_free(struct ospf_spt *);

/* spf.c */
uint32_t ospf_spf_root_nh(const struct ospf *, const struct ospf_area *,
                          const struct ospf_rtr_link *, uint8_t wtype, uint32_t wid, bool *direct);
uint32_t ospf_spf_net_nh(const struct ospf_blob *wb, uint32_t netid, uint32_t nethops);
uint32_t ospf_spf_own_stub(const struct ospf *, const struct ospf_area *, const struct prefix *,
                           bool *conn);
/* 16.4.1: the preferred path to an ASBR (o: through areas that take Type-5s only), or NULL. */
const struct ospf_rroute *ospf_spf_asbr_path(const struct ospf *o, const struct ospf_table *t,
                                             uint32_t rid, struct nexthop *nh, uint8_t *nnh);
void ospf_spf_schedule(struct ospf *);
void ospf_spf_fire(struct timer *);
/* Compute the routing table from the LSDBs (16.1-16.4) into t. */
void ospf_spf_compute(struct ospf *, struct ospf_table *);
void ospf_spf_table_free(struct ospf_table *);
/* Sort the table by prefix (for show and the RIB). */
void ospf_spf_table_sort(struct ospf_table *);

/* show.c */
extern const struct cli_cmd ospf_show_cmds[];
/* Its section of `show ip protocols` (the protocol hook). */
void ospf_show_protocols(struct proto_inst *, struct cli_ctx *);

/* The RIB OSPF offers its routes to: its VRF's. */
static inline struct rib *
ospf_rib(const struct ospf *o)
{
	return node_rib(o->node, o->cfg.vrf);
}

#endif
