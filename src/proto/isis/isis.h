/*
 * isis.h: IS-IS for IPv4 (ISO 10589, RFC 1195), the protocol's state.
 *
 * The pieces, one file each:
 *   config.c    the topology's `isis:` blocks
 *   isis.c      the plug-in (start, stop, interfaces, receive dispatch, sending)
 *   circuit.c   circuits: IIHs sent and received (ISO 10589 8.2, 8.4)
 *   adj.c       adjacencies: the LAN and three-way point-to-point state machines
 *               (ISO 10589 8.4.2, RFC 5303), DIS election (8.4.5)
 *   blob.c      the LSP store shared by every router (bytes and parsed content)
 *   lspdb.c     a router's LSP database per level: lookup, ageing, purges (7.3.16)
 *   originate.c its own LSPs and pseudonode LSPs, fragments (7.3.7-7.3.10)
 *   flood.c     the update process: SRM/SSN, LSPs, CSNPs, PSNPs (7.3.15, 7.3.17)
 *   spf.c       the decision process per level (7.2.6, RFC 1195 C), incremental runs
 *   route.c     routes into the RIB: levels, leaking, the default (RFC 1195 3, RFC 5302)
 *   show.c      `show isis ...` and the JSON forms
 *   dissect.c   `netsim decode`
 *   pdu.c       the PDU and TLV codec (pdu.h)
 */
#ifndef NETSIM_ISIS_H
#define NETSIM_ISIS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../cli/cli.h"
#include "../../lib/backoff.h"
#include "../../lib/buf.h"
#include "../../lib/slab.h"
#include "../../sim/sim.h"
#include "../proto.h"
#include "../redist.h"
#include "pdu.h"

#define ISIS_LEVELS 2 /* index 0: level 1, 1: level 2 */
#define LV(l)       ((l) - 1)

/* ISO 10589 7.3.21, table 2, and the timers real routers use by default. */
#define ISIS_MAX_AGE         1200 /* seconds: MaxAge, the lifetime of our LSPs */
#define ISIS_ZERO_AGE        60   /* seconds: ZeroAgeLifetime, how long a purge is kept */
#define ISIS_REFRESH         900  /* seconds: maximumLSPGenerationInterval */
#define ISIS_HELLO_DFLT      (10 * SIM_S)
#define ISIS_HELLO_START     (100 * SIM_MS) /* the first IIH of a circuit: within this */
#define ISIS_HOLD_MULT_DFLT  3
#define ISIS_PRIO_DFLT       64
#define ISIS_METRIC_DFLT     10
#define ISIS_CSNP_DFLT       (10 * SIM_S)
#define ISIS_PSNP_DFLT       (2 * SIM_S)
#define ISIS_LSP_RXMT        (5 * SIM_S) /* minimumLSPTransmissionInterval (p2p) */
#define ISIS_LSP_MTU_DFLT    1492
#define ISIS_MAX_PATH_NARROW 1023 /* MaxPathMetric, narrow metrics (ISO 10589 7.2.2) */
#define ISIS_MAX_PATH_WIDE   0xfe000000u /* RFC 5305 4: a route beyond this is not installed */
#define ISIS_DISTANCE        115

enum isis_metric_style { ISIS_NARROW = 1, ISIS_WIDE = 2, ISIS_TRANSITION = 3 };

struct isis;
struct isis_circ;

/* ---- configuration (config.c) ---- */

struct isis_key {
	uint8_t type; /* 0: none, ISIS_AUTH_TEXT, ISIS_AUTH_MD5 */
	uint8_t len;
	uint8_t key[64];
};

struct isis_leak {
	bool all;
	struct prefix *pfx; /* else these (exact or covered prefixes) */
	int n;
};

struct isis_cfg {
	struct isis_area areas[ISIS_MAX_AREAS];
	int nareas;
	uint8_t sysid[ISIS_SYSID_LEN];
	uint8_t level;             /* ISIS_LEVEL1, ISIS_LEVEL2, ISIS_LEVEL12 */
	uint8_t style;             /* enum isis_metric_style */
	char *hostname;
	bool overload;
	uint16_t lsp_mtu;
	uint16_t max_lifetime;     /* seconds */
	uint16_t refresh;          /* seconds */
	sim_time csnp_interval, psnp_interval;
	struct backoff_cfg spf, lspgen;
	struct isis_key auth;      /* LSPs, SNPs (area and domain) and IIHs without their own */
	struct isis_leak leak;     /* L2 -> L1 (RFC 5302) */
	struct redist redist;
};

struct isis_circ_cfg {
	bool on;
	uint8_t level;        /* circuit type asked for (0: the router's) */
	bool p2p;
	bool passive;
	bool metric_set;
	uint32_t metric;
	uint8_t priority;
	sim_time hello;
	uint8_t hold_mult;
	bool padding;
	bool bfd;             /* adjacencies watched by BFD (RFC 5882): down when it says so */
	struct isis_key auth; /* IIHs (type 0: the router's) */
	const struct cfg *blk; /* for errors found in validate */
};

/* ---- adjacencies (adj.c) ---- */

enum isis_adj_state { ISIS_ADJ_DOWN, ISIS_ADJ_INIT, ISIS_ADJ_UP, ISIS_ADJ_NSTATES };

enum isis_adj_event {
	ADJ_EV_HELLO_1WAY, /* an IIH that does not list us (LAN), or three-way Down (p2p) */
	ADJ_EV_HELLO_2WAY, /* an IIH that lists us (LAN), or three-way Initializing naming us */
	ADJ_EV_UP_RCVD,    /* p2p: three-way Up naming us */
	ADJ_EV_HOLD_EXPIRED,
	ADJ_EV_KILL,       /* circuit down, area or level mismatch, configuration */
	ADJ_EV_COUNT
};

struct isis_adj {
	struct isis_circ *c;
	uint8_t sysid[ISIS_SYSID_LEN];
	uint8_t mac[6];
	uint8_t levels;       /* ISIS_LEVEL*: usable on (LAN: the one of this IIH; p2p: 8.2.5) */
	uint8_t circuit_type; /* as the neighbor announced */
	enum isis_adj_state state;
	uint8_t priority;     /* LAN */
	uint8_t lan_id[7];    /* LAN: the DIS the neighbor sees */
	uint32_t ext_circuit; /* p2p: its extended local circuit ID */
	uint32_t addr;        /* its first IPv4 interface address (TLV 132), the next hop */
	struct isis_area areas[ISIS_MAX_AREAS];
	int nareas;
	char hostname[64];
	uint16_t hold;        /* seconds, as announced */
	sim_time up_since, last_change;
	uint32_t nchanges;
	struct timer hold_t;
	struct bfd_client *bfd; /* while Up on a circuit with bfd: true */
};

/* ---- circuits (circuit.c) ---- */

struct isis_circ_level {
	struct isis_adj **adj; /* LAN: adjacencies of this level; p2p: unused */
	int nadj, adjcap;
	bool is_dis;
	uint8_t lan_id[7];     /* the DIS's system ID + pseudonode ID */
	struct timer hello_t;
	struct timer csnp_t;   /* the DIS's periodic CSNPs (LAN), or CSNPs on p2p adjacency up */
	bool csnp_due;         /* a CSNP that synchronises a new neighbor is scheduled */
	struct timer psnp_t;
	struct isis_lspid *req; /* LSPs to request (SSN set on entries we lack) */
	int nreq, reqcap;
	/* Entries whose SSN was set here (some cleared since), up to ISIS_REFS; else ack_over. */
	struct isis_lspid *ack;
	int nack;
	size_t ackcap;
	bool ack_over;
};

/*
 * A circuit lists the LSPs it must acknowledge or may retransmit, so that a
 * timer does not scan the whole database for its flags; beyond this many
 * (a cold start) it scans, as the flags say the same in less memory.
 */
#define ISIS_REFS 16

struct isis_circ {
	struct isis *is;
	struct iface *ifp;
	struct isis_circ_cfg cfg;
	uint8_t levels;        /* effective circuit type: configured & the router's */
	uint32_t metric;
	bool up;               /* interface up and IS-IS running on it */
	uint8_t circ_id;       /* local circuit ID, the pseudonode ID when DIS (1..255) */
	struct isis_circ_level lv[ISIS_LEVELS];
	struct isis_adj *p2p;  /* p2p: the one adjacency, or NULL */
	struct timer p2p_hello_t;
	struct timer flood_t;  /* send what has SRM set */
	bool hello_now;        /* a triggered IIH is scheduled */
	uint32_t srm_pending;  /* LSPs with SRM set on this circuit (both levels) */
	/*
	 * The entries whose SRM was set here, in that order (flood.c; one that
	 * left the database since is NULL: isis_flood_forget).
	 */
	struct isis_lsp **fq;
	int nfq, fqcap;
	struct timer rxmt_t;   /* point-to-point: the retransmission scan */
	/* Point-to-point: LSPs sent and not acknowledged (or stale), up to ISIS_REFS; else rx_over. */
	struct isis_fq {
		struct isis_lspid id;
		uint8_t level;
	} *rx;
	int nrx;
	size_t rxcap;
	bool rx_over;
	uint32_t idx;          /* position in is->circs: the SRM/SSN bit */
	struct {
		uint64_t iih_in, iih_out, lsp_in, lsp_out, csnp_in, csnp_out, psnp_in, psnp_out;
		uint64_t auth_fail, bad, rejected;
	} st;
};

/* ---- the shared LSP store (blob.c) ---- */

/* What SPF and routes need of an LSP, parsed once for every router holding it. */
struct isis_nbr_ent {
	uint8_t id[7];
	uint32_t num;    /* the system number of id (blob.c) */
	uint32_t metric;
};
struct isis_pfx_ent {
	uint32_t addr;
	uint8_t plen;
	bool down;
	bool external;
	uint32_t metric;
	uint32_t num;    /* the prefix's number (blob.c) */
};
struct isis_lspinfo {
	uint32_t num;         /* the system number of the LSP's system (ID without fragment) */
	uint8_t flags;        /* the LSP's flags octet */
	struct isis_area areas[ISIS_MAX_AREAS];
	int nareas;
	struct isis_nbr_ent *nbr;
	int nnbr;
	struct isis_pfx_ent *pfx;
	int npfx;
	uint32_t *addrs;
	int naddrs;
	char hostname[64];
	bool ipv4;            /* protocols supported lists IPv4 (or there is no TLV 129) */
};

/* One LSP's bytes, as originated (lifetime field at origination), and its content. */
struct isis_blob {
	struct isis_blob *chain;
	uint64_t hash;
	_Atomic uint32_t ref;
	uint16_t len;
	struct isis_lspinfo info;
	uint8_t bytes[];
};

/*
 * A reference to the shared blob of LSP p[0..len) (header checked by the
 * caller). A blob seen for the first time is validated: checksum (unless a
 * purge, ISO 10589 7.3.14.2) and TLV syntax; NULL and *err if it fails.
 */
struct isis_blob *isis_blob_get(const uint8_t *p, size_t len, const char **err);
/* Do two LSPs carry the same IP prefixes, with the same metrics? */
bool isis_info_same_pfx(const struct isis_lspinfo *, const struct isis_lspinfo *);
/* The same for an LSP netsim built (a failure is a bug). */
struct isis_blob *isis_blob_own(const uint8_t *p, size_t len);
void isis_blob_put(struct isis_blob *);
/*
 * Systems (system ID + pseudonode ID) numbered densely for the whole process,
 * so that SPF indexes its vertices by number. Numbered when an LSP naming
 * them is first parsed; never forgotten.
 */
uint32_t isis_sysnum_count(void);
const uint8_t *isis_sysnum_id(uint32_t num);
/* The systems that ever announced prefix number num (blob.c), and the prefix. */
struct isis_ann {
	uint32_t sys;
	const struct isis_ann *next;
};
const struct isis_ann *isis_pfx_announcers(uint32_t num);
void isis_pfx_of(uint32_t num, uint32_t *addr, uint8_t *plen);

/* ---- LSP databases (lspdb.c) ---- */

/*
 * A database entry. A million of them on a 1,000-router network: 32 octets,
 * from a slab per instance. The LSP ID is the blob's (isis_lsp_id); the flag
 * words of up to 16 circuits are inline.
 */
struct isis_lsp {
	struct isis_blob *blob; /* bytes and content (a purge's too): ID, sequence, checksum */
	sim_time t0;            /* when life0 was the remaining lifetime */
	/*
	 * Flags per circuit (bit isis_circ.idx), isis->words words each: SRM, SSN,
	 * and on point-to-point "sent since the last retransmission scan"
	 * (flood.c); inline when one word is enough (up to 16 circuits).
	 */
	union {
		uint16_t inl[4]; /* [3] unused: the union is a pointer's size anyway */
		uint16_t *ext;
	} bits;
	uint32_t mark;          /* flood.c: visited in the current flood run */
	uint16_t life0;         /* remaining lifetime when received or originated */
	unsigned level : 2;
	bool own : 1;
	bool purged : 1;        /* remaining lifetime 0: held for ZeroAgeLifetime */
	bool ext : 1;           /* the flag words are out of line (bits.ext) */
};

_Static_assert(sizeof(struct isis_lsp) <= 32, "an LSP database entry grew");
#define ISIS_WORD_BITS 16 /* circuits per flag word */

struct isis_lspdb {
	struct isis *is;
	int level;
	uint32_t *v;            /* sorted by LSP ID: entries' numbers in is->lsps (isis_lspdb_at) */
	uint64_t *keys;         /* the LSP IDs of v as numbers: what the binary search reads */
	int n, cap;
	struct timer age_t;     /* the next expiry or ZeroAgeLifetime end */
	uint64_t version;       /* bumped on every change of the database */
	uint64_t layout;        /* bumped when an entry is added or removed (positions move) */
	uint32_t nlive0;        /* live LSPs number 0: the systems SPF may reach */
	int last;               /* where the last lookup of flooding ended: the next starts there */
	uint64_t pfx_version;   /* bumped when the prefixes some LSP carries change */
};

void isis_lspdb_init(struct isis_lspdb *, struct isis *, int level);
/* An entry's flag words (flood.c). */
#define ISIS_BITS(is, l)  ((l)->ext ? (l)->bits.ext : (l)->bits.inl)
#define ISIS_SRM(is, l)   ISIS_BITS(is, l)
#define ISIS_SSN(is, l)   (ISIS_BITS(is, l) + (is)->words)
#define ISIS_FRESH(is, l) (ISIS_BITS(is, l) + 2 * (is)->words)
/* An entry's LSP ID, sequence number and checksum, read from its instance. */
static inline const struct isis_lspid *
isis_lsp_id(const struct isis_lsp *l)
{
	return (const struct isis_lspid *)(l->blob->bytes + ISIS_LSP_OFF_ID);
}
static inline uint32_t
isis_lsp_seq(const struct isis_lsp *l)
{
	const uint8_t *p = l->blob->bytes + ISIS_LSP_OFF_SEQ;

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline uint16_t
isis_lsp_cksum(const struct isis_lsp *l)
{
	const uint8_t *p = l->blob->bytes + ISIS_LSP_OFF_CKSUM;

	return (uint16_t)(p[0] << 8 | p[1]);
}
static inline uint64_t
isis_lspid_key(const uint8_t *id)
{
	return (uint64_t)get32(id) << 32 | get32(id + 4); /* (two byte-swapped loads) */
}
uint16_t isis_lsp_remaining(const struct isis *, const struct isis_lsp *);
struct isis_lsp *isis_lspdb_find(const struct isis_lspdb *, const struct isis_lspid *);
struct isis_lsp *isis_lspdb_seek(const struct isis_lspdb *, const struct isis_lspid *, int *at);
/* LSPs of system sysid+pn: the index of its first fragment, and how many (*n). */
int isis_lspdb_node(const struct isis_lspdb *, const uint8_t id7[7], int *n);
/* Install blob (a new instance) as the LSP; returns it. */
struct isis_lsp *isis_lspdb_install(struct isis_lspdb *, struct isis_blob *, uint16_t lifetime,
                                    bool own, int at);
void isis_lspdb_remove(struct isis_lspdb *, struct isis_lsp *);
void isis_lspdb_clear(struct isis_lspdb *);
/* Purge an LSP: header only, lifetime 0 (ISO 10589 7.3.16.4), and flood it. */
void isis_lspdb_purge(struct isis_lspdb *, struct isis_lsp *);
/* -1, 0, 1: is (seq, lifetime, cksum) a older, the same, newer than lsp (7.3.16.2)? */
int isis_lsp_cmp(const struct isis *, const struct isis_lsp *, uint32_t seq, uint16_t life);

/* ---- the instance ---- */

struct isis_level {
	struct isis_lspdb db;
	struct backoff spf_bo, gen_bo;
	struct timer spf_t;
	struct timer gen_t;         /* regenerate own LSPs */
	struct timer refresh_t;
	bool att;                   /* we set the attached bit in our L1 LSPs */
	bool originated;            /* our LSPs were generated since the protocol started */
	uint64_t spf_runs;
	sim_time last_spf;
	uint32_t spf_nodes;
	/* The result of the last SPF: systems reached and their next hops */
	struct isis_vertex *spt;
	int nspt;
	struct nexthop *nhs;        /* a vertex shares its parent's set when the same (spf.c) */
	uint32_t nnhs;
	uint32_t nnhs_kept;         /* nnhs when last built without sets left behind */
	uint64_t spt_version;       /* the database's version the result was computed from */
	uint64_t spt_hash;          /* of the result (systems, distances, next hops, flags) */
	uint64_t routes_from[2];    /* spt_hash and pfx_version the routes were last computed from */
	/* Incremental runs (spf.c): what changed since the last run, and what the tree needs. */
	struct isis_chg {
		uint32_t num;            /* the system whose LSP changed */
		struct isis_blob *old;   /* its instance before (referenced), NULL if none */
	} *chg;
	int nchg;
	size_t chgcap;
	bool chg_over;              /* too many, or a change not noted: the next run is full */
	bool spt_simple;            /* the tree can be repaired (no pseudonodes, no metric 0) */
	uint64_t spt_layout;        /* db.layout when the tree's LSP positions were taken */
	uint64_t spt_ctx;           /* the root's circuits and adjacencies then */
	/*
	 * Index in spt by system number, -1: not reached; the engine thread's
	 * scratch, built by isis_spf_pos() for this level (only until another
	 * level's is built on the thread).
	 */
	int32_t *pos;
	uint32_t npos;
	/* Left by an incremental run for the routes: the systems whose distance or next hops changed. */
	uint32_t *touched;
	int ntouched;
	size_t touchcap;
	bool partial;               /* the last run was incremental: touched and chg say what changed */
};

/* Prefixes carried from one level into the other (route.c), in prefix order. */
struct isis_export {
	struct isis_pfx_ent *v;
	int n, cap;
};

struct isis {
	struct proto_inst *pi;
	struct node *node;
	struct isis_cfg cfg;
	const struct cfg *cfg_blk;
	struct isis_circ_cfg *cfg_if; /* by interface index (cfg_if[i].on: configured) */
	size_t ncfg_if;
	struct isis_circ **circs;
	int ncircs;
	struct isis_circ **circ_at;   /* by interface (iface.idx): every frame received looks */
	int ncirc_at;
	int words;                    /* ISIS_WORD_BITS-bit words of an SRM/SSN bitset */
	uint32_t fire;                /* flood runs (flood.c), to visit an LSP queued twice once */
	struct slab lsps;             /* database entries of both levels (with numbers) */
	struct isis_level lv[ISIS_LEVELS];
	struct isis_export exp[ISIS_LEVELS]; /* exp[0]: into level 1 (leaked), exp[1]: into level 2 */
	bool running;
	bool watching;                /* the RIB watch for redistribution is set */
	bool routes_valid;            /* routes were computed since the start (route.c) */
	const struct node *sysid_owner; /* config.c: the first router with our system ID */
	struct {
		uint64_t hello_tx, lsp_tx, lsp_gen, spf_runs, purges, auth_fail;
	} st;
};

/* The database's entry i (in LSP ID order). */
static inline struct isis_lsp *
isis_lspdb_at(const struct isis_lspdb *db, int i)
{
	return slab_at(&db->is->lsps, db->v[i]);
}

/* ---- the decision process result (spf.c) ---- */

#define ISIS_V_ATT      0x01 /* its LSP 0 has the attached bit */
#define ISIS_V_OVERLOAD 0x02
#define ISIS_V_FOREIGN  0x04 /* a router none of whose areas is ours */

/* A system the level's SPF reached, in the order it was reached. */
struct isis_vertex {
	uint32_t num;      /* system number: its ID is isis_sysnum_id(num) */
	uint32_t dist;
	int32_t parent;    /* index in spt, -1 for the root */
	/* Packed: a router keeps a vertex per system of each level it is in. */
	uint32_t nh : 24;  /* its next hops: nhs[nh .. nh + nnh) of the level */
	uint32_t nnh : 5;  /* (at most RIB_MAX_NH) */
	uint32_t flags : 3; /* ISIS_V_* */
	int32_t first : 23; /* its LSPs: db.v[first .. first + nfrag) while db.version is spt_version */
	uint32_t nfrag : 9; /* (LSP numbers 0-255) */
};

_Static_assert(sizeof(struct isis_vertex) == 20, "an SPF vertex grew");
#define ISIS_VERTEX_NH_MAX    (1u << 24) /* next hops a level's result may hold */
#define ISIS_VERTEX_FIRST_MAX (1 << 22)  /* LSPs a database may hold for first */

/*
 * A next hop into a set kept in nexthop_cmp order, without duplicates, at
 * most RIB_MAX_NH (SPF's vertices and the routes' candidates share it).
 */
static inline void
isis_nh_insert(struct nexthop *v, uint8_t *n, const struct nexthop *x)
{
	int i;

	for (i = 0; i < *n; i++) {
		int c = nexthop_cmp(&v[i], x);

		if (c == 0)
			return;
		if (c > 0)
			break;
	}
	if (*n == RIB_MAX_NH)
		return;
	memmove(v + i + 1, v + i, (size_t)(*n - i) * sizeof(*v));
	v[i] = *x;
	(*n)++;
}

static inline uint64_t
isis_pfx_hash(uint32_t addr, uint8_t plen)
{
	uint64_t h = ((uint64_t)addr << 8 | plen) * 0x9e3779b97f4a7c15ULL;

	return h ^ (h >> 29);
}

/* ---- functions ---- */

extern const struct rib_src isis_rib_src;
extern const struct protocol proto_isis;

/* isis.c */
sim_time isis_now(const struct isis *);
/* ISO 10589 10.1: a periodic interval, jittered up to 25% shorter from the node's seeded generator. */
sim_time isis_jitter(struct isis *, sim_time interval);
void isis_trace(const struct isis *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Send a PDU (encoded, with its length) on a circuit to a MAC. */
void isis_send(struct isis_circ *, const uint8_t dst[6], const uint8_t *pdu, size_t len,
               uint8_t cls);
/* The same in two steps: a frame with room for a PDU of len octets at data + 3, then out. */
struct pkt *isis_pkt(size_t len, uint8_t cls);
void isis_output(struct isis_circ *, const uint8_t dst[6], struct pkt *);
const uint8_t *isis_level_mac(int level, bool p2p);
bool isis_is_l1(const struct isis *);
bool isis_is_l2(const struct isis *);
bool isis_area_match(const struct isis *, const struct isis_area *areas, int n);
const struct isis_key *isis_iih_key(const struct isis_circ *);
/* The authentication TLV of a key (none for no key). */
void isis_auth_tlv(struct isis_pdu *, const struct isis_key *);

/* config.c */
int isis_config_device(struct proto_inst *, const struct cfg *);
int isis_config_iface(struct proto_inst *, struct iface *, const struct cfg *);
int isis_config_validate(struct proto_inst *);
void isis_config_free(struct isis *);
struct isis *isis_instance(struct proto_inst *);

/* circuit.c */
struct isis_circ *isis_circ_new(struct isis *, struct iface *);
void isis_circ_up(struct isis_circ *);
void isis_circ_down(struct isis_circ *);
void isis_circ_free(struct isis_circ *);
void isis_iih_input(struct isis_circ *, const struct isis_pdu *, const uint8_t src[6]);
void isis_hello_trigger(struct isis_circ *);
/* Usable (Up) adjacencies toward sysid on this circuit at level (p2p or LAN); NULL if none. */
struct isis_adj *isis_circ_adj(const struct isis_circ *, int level, const uint8_t sysid[6]);
bool isis_circ_has_up(const struct isis_circ *, int level);
int isis_circ_lan(const struct isis_circ *); /* broadcast, not passive */
/* The hold time (seconds) our IIHs announce at a level (0: point-to-point). */
uint16_t isis_circ_hold(const struct isis_circ *, int level);

/* adj.c */
extern const char *const isis_adj_state_names[];
void isis_adj_fsm(struct isis_adj *, int level, enum isis_adj_event);
struct isis_adj *isis_adj_new(struct isis_circ *, const uint8_t sysid[6], const uint8_t mac[6]);
void isis_adj_free(struct isis_adj *);
void isis_dis_elect(struct isis_circ *, int level);

/* originate.c */
void isis_gen_schedule(struct isis *, int level);
/*
 * The metric our LSPs give a circuit's neighbors: its own, or the maximum
 * usable one while LDP is not ready on it (RFC 5443 4). SPF matches the root's
 * edges to circuits by it.
 */
uint32_t isis_circ_adv_metric(const struct isis *, const struct isis_circ *);
void isis_gen_fire(struct timer *);
void isis_refresh_fire(struct timer *);
void isis_originate(struct isis *, int level);
/* Our own LSP was seen newer elsewhere: continue from its sequence number (7.3.16.1). */
void isis_own_seen(struct isis *, int level, const struct isis_lspid *, uint32_t seq);
void isis_orig_forget(struct isis *);

/* flood.c */
/* An LSP (p[0..len), from the IRPD on), read by its header (flood.c). */
void isis_lsp_input(struct isis_circ *, const uint8_t *p, size_t len);
void isis_snp_input(struct isis_circ *, const struct isis_pdu *);
/* SRM on every circuit of the level except `except` (NULL: all). */
void isis_flood(struct isis *, int level, struct isis_lsp *, struct isis_circ *except);
void isis_srm_set(struct isis_lsp *, struct isis_circ *);
void isis_srm_clear(struct isis_lsp *, struct isis_circ *);
/* An entry leaves the database: the circuits' flood queues drop it. */
void isis_flood_forget(struct isis *, const struct isis_lsp *);
void isis_flood_fire(struct timer *);
void isis_rxmt_fire(struct timer *);
void isis_csnp_fire(struct timer *);
void isis_psnp_fire(struct timer *);
void isis_csnp_schedule(struct isis_circ *, int level, sim_time delay);
/* A new adjacency on a p2p circuit: every LSP goes to it (7.3.17), a CSNP too. */
void isis_flood_adj_up(struct isis_circ *, int level);
void isis_flood_circ_down(struct isis_circ *);
void isis_lsp_bits_grow(struct isis *);
bool isis_flood_busy(const struct isis *);
/* Copy an LSP's bytes with its current remaining lifetime; returns the length. */
size_t isis_lsp_bytes(const struct isis *, const struct isis_lsp *, uint8_t *buf, size_t cap);

/* spf.c */
void isis_spf_schedule(struct isis *, int level);
void isis_spf_fire(struct timer *);
/*
 * Build the level's pos for its tree, in the thread's scratch: incremental
 * runs and partial route updates read it, each building it first (a router
 * keeps no index of its own: 4 KB a router for a thousand systems).
 */
void isis_spf_pos(struct isis_level *);
void isis_spf_run(struct isis *, int level);
/* Note a change of an LSP of system num at a level (lspdb.c); old: the instance before. */
void isis_spf_note(struct isis_lspdb *, uint32_t num, struct isis_blob *old);
/* Forget the noted changes (after the routes used them, and when stopping). */
void isis_spf_done(struct isis_level *);
/* Test mode: every incremental run and partial route update is checked against a full one. */
extern bool isis_spf_check;
/* Runs done incrementally, and route updates done in part (route.c), since the start. */
extern _Atomic uint64_t isis_spf_incremental, isis_routes_partial;

/* route.c */
void isis_routes_update(struct isis *);
/* The L1 routes an L1L2 router advertises in L2, the L2 ones it leaks into L1. */
const struct isis_export *isis_routes_for_level(const struct isis *, int level);

/* cmd.c: run-time changes */
int isis_cmd_metric(struct cli_ctx *, int argc, char **argv);
int isis_cmd_overload(struct cli_ctx *, int argc, char **argv);

/* show.c */
extern const struct cli_cmd isis_show_cmds[];
void isis_show_protocols(struct proto_inst *, struct cli_ctx *);


#endif
