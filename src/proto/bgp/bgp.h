/*
 * bgp.h: BGP-4 (RFC 4271) over netsim's TCP, the protocol's state.
 *
 * The pieces, one file each:
 *   config.c    the topology's `bgp:` block: neighbors, peer groups, networks
 *   bgp.c       the plug-in (start, stop, the listener, busy, stats)
 *   fsm.c       the session state machine (RFC 4271 8), table-driven, and
 *               connection collisions (6.8)
 *   session.c   a connection: TCP, the message stream, OPEN negotiation,
 *               KEEPALIVE/Hold timers, NOTIFICATIONs
 *   adjin.c     UPDATEs received: Adj-RIB-In, loop and sanity checks
 *   rib.c       the BGP table: paths per prefix, next-hop tracking, the
 *               decision (decision.c), Loc-RIB into the RIB as B routes
 *   out.c       update groups: Adj-RIB-Out, export rules (RFC 4271 9.1.3,
 *               RFC 4456 8, RFC 1997), MRAI, UPDATE packing
 *   origin.c    local routes: networks, aggregates, redistribution
 *   show.c      `show bgp ...` with FRR's layouts and JSON keys
 *   cmd.c       `clear bgp`, `neighbor IP shutdown`, `restart bgp`
 *   gr.c        graceful restart (RFC 4724): helper and restarting speaker
 *   maxpfx.c    the neighbors' maximum-prefix limits (RFC 4486 4)
 *   attr.c      interned path attributes (attr.h); aspath.c AS paths
 *   msg.c       the message codec (msg.h); dissect.c `netsim decode`
 *   decision.c  best-path selection (decision.h)
 *   feed.c      route feeders: full tables streamed without holding them
 *               (feed.h: feedgen.c generated tables, mrt.c MRT replays)
 */
#ifndef NETSIM_BGP_H
#define NETSIM_BGP_H

#include <stdbool.h>
#include <stdint.h>

#include "../../cli/cli.h"
#include "../../lib/hmap.h"
#include "../../lib/idtab.h"
#include "../../lib/slab.h"
#include "../../net/tcp.h"
#include "../../net/vrf.h"
#include "../../sim/sim.h"
#include "../proto.h"
#include "../redist.h"
#include "attr.h"
#include "decision.h"
#include "feed.h"
#include "msg.h"

/* RFC 4271 10 and FRR's defaults where the RFC suggests. */
#define BGP_KEEPALIVE_DFLT     60   /* seconds (hold / 3) */
#define BGP_HOLD_DFLT          180  /* seconds */
#define BGP_CONNECT_RETRY_DFLT 120  /* seconds (FRR: 120) */
#define BGP_MRAI_EBGP_DFLT     (30 * SIM_S)
#define BGP_MRAI_IBGP_DFLT     0
#define BGP_OPEN_HOLD          (240 * SIM_S) /* the large Hold time of OpenSent (8.2.2) */
#define BGP_DISTANCE_EBGP      20
#define BGP_DISTANCE_IBGP      200

struct bgp;
struct bgp_peer;

/* ---- configuration (config.c) ---- */

struct bgp_nbr_cfg {
	uint32_t ip;
	uint32_t remote_as;
	char *description;
	char *update_source;     /* interface name, or NULL */
	uint32_t update_source_ip;/* or an address (0: the outgoing interface's) */
	bool next_hop_self;
	bool rr_client;
	bool send_community;      /* standard and large (default true, as FRR) */
	bool send_ext_community;  /* default true */
	uint8_t ebgp_multihop;    /* TTL for eBGP (0: 1, directly connected) */
	bool ttl_security;        /* GTSM, RFC 5082: send 255, accept >= 255 - (hops - 1) */
	uint8_t ttl_security_hops;
	char *password;           /* TCP MD5 (RFC 2385) */
	uint16_t keepalive, hold; /* seconds */
	uint16_t connect_retry;   /* seconds */
	bool shutdown;
	bool passive;             /* never connect; wait for the peer */
	uint8_t allowas_in;       /* accept our AS this many times (0: loop = reject) */
	bool mrai_set;
	sim_time mrai;            /* advertisement interval (default by peer type) */
	bool remove_private_as;
	bool dont_capability_negotiate; /* OPEN without capabilities: an OLD, 2-octet AS speaker (RFC 6793) */
	uint16_t weight;          /* given to every path from the neighbor (FRR's neighbor weight) */
	int8_t role;              /* our BGP Role towards it (enum bgp_role, RFC 9234), -1: none */
	bool strict_role;         /* the neighbor must send its role (FRR's strict-mode) */
	bool bfd;                 /* watch the session with BFD (multi-hop off a connected subnet) */
	char *import_map;         /* route maps (proto/policy) on routes received / advertised, or NULL */
	char *export_map;
	bool soft_in;             /* soft-reconfiguration inbound: keep what the neighbor sent, pre-policy */
	int8_t gr;                /* graceful_restart: -1 the device's, 0 disabled, 1 restart mode */
	struct bgp_maxpfx_cfg {
		uint32_t limit;       /* 0: no limit */
		uint8_t threshold;    /* percent of limit for the warning (FRR: 75) */
		bool warning_only;    /* log, never reset */
		uint16_t restart;     /* minutes in Idle before starting again (0: until cleared) */
	} maxpfx;
	uint8_t families;         /* BGP_FAM_*: the address families of the session (default IPv4 unicast) */
	const struct cfg *blk;    /* for errors found later (until bgp_validate: positions
	                           * die with the document) */
};

/* Address families a session may carry (`families:`), as bits. */
#define BGP_FAM_IPV4  0x1u /* IPv4 unicast (AFI 1, SAFI 1) */
#define BGP_FAM_VPNV4 0x2u /* VPN-IPv4 (AFI 1, SAFI 128, RFC 4364) */

/* A VRF's BGP (`bgp: vrfs:`): what it exports to VPN-IPv4 (l3vpn.h). */
struct bgp_vrf_cfg {
	char *name;
	uint16_t id;               /* the VRF's number (vrf.h), set by bgp_validate */
	struct redist redist;      /* the VRF's routes exported: connected, static */
	const struct cfg *at;      /* until bgp_validate */
};

struct bgp_aggr_cfg {
	struct prefix pfx;
	bool summary_only;
	bool as_set;
};

struct bgp_cfg {
	uint32_t as;
	uint32_t router_id;        /* 0: the device's */
	struct prefix *networks;
	size_t nnetworks;
	const struct cfg **networks_at; /* each network's node, until bgp_validate */
	struct bgp_aggr_cfg *aggrs;
	size_t naggrs;
	struct redist redist;
	struct bgp_nbr_cfg *nbrs;  /* sorted by address */
	size_t nnbrs;
	bool import_check;         /* networks need a RIB route (default true) */
	uint32_t cluster_id;       /* 0: the router ID */
	bool client_to_client;     /* reflect between clients (default true) */
	struct bgp_decision_cfg dec;
	bool ebgp_requires_policy; /* default false */
	uint16_t keepalive, hold;  /* device-level `timers:`: the neighbors' defaults */
	bool fast_timers;          /* the topology's `timers: fast` (FRR's datacenter profile) */
	struct bgp_feed_cfg *feed; /* a route feeder's `feed:` (feed.h), or NULL */
	struct bgp_vrf_cfg *vrfs;  /* `vrfs:`, the VRFs exported to VPN-IPv4 */
	size_t nvrfs;
	/* Graceful restart (RFC 4724, FRR's `bgp graceful-restart ...`): seconds. */
	bool gr;                   /* restart mode (else helper, FRR's default) */
	uint16_t gr_restart_time;  /* advertised Restart Time (120) */
	uint16_t gr_stalepath_time;/* how long a helper keeps stale paths after the peer is back (360) */
	uint16_t gr_defer_time;    /* how long a restarted speaker waits for End-of-RIBs (360) */
	/* Route flap damping (RFC 2439, damp.c; FRR's `bgp dampening`), minutes and penalties. */
	struct bgp_damp_cfg {
		bool on;
		uint16_t half_life;    /* 15 */
		uint16_t max_suppress; /* 60 */
		uint32_t reuse;        /* 750 */
		uint32_t suppress;     /* 2000 */
	} damp;
	const struct cfg *blk;     /* until bgp_validate */
};

int bgp_config(struct proto_inst *, const struct cfg *);
void bgp_cfg_free(struct bgp_cfg *);
/* Cross-device checks once the topology is built; sets bgp->router_id. */
int bgp_validate(struct proto_inst *);
/* bgp.router_id, else the device's (node_router_id); *how says which. */
uint32_t bgp_config_router_id(const struct bgp *, const char **how);

/* ---- the session state machine (fsm.c) ---- */

/* RFC 4271 8.2.2 */
enum bgp_state {
	BGP_IDLE, BGP_CONNECT, BGP_ACTIVE, BGP_OPENSENT, BGP_OPENCONFIRM, BGP_ESTABLISHED,
	BGP_NSTATES
};

/* RFC 4271 8.1, numbered as there (the optional ones netsim implements). */
enum bgp_event {
	BGP_EV_MANUAL_START = 1,
	BGP_EV_MANUAL_STOP = 2,
	BGP_EV_AUTO_START = 3,
	BGP_EV_MANUAL_START_PASSIVE = 4,
	BGP_EV_AUTO_START_PASSIVE = 5,
	BGP_EV_CONNECT_RETRY_EXPIRES = 9,
	BGP_EV_HOLD_EXPIRES = 10,
	BGP_EV_KEEPALIVE_EXPIRES = 11,
	BGP_EV_IDLE_HOLD_EXPIRES = 13,
	BGP_EV_TCP_CR_ACKED = 16,       /* our connect completed */
	BGP_EV_TCP_CONFIRMED = 17,      /* an incoming connection completed */
	BGP_EV_TCP_FAILS = 18,
	BGP_EV_OPEN = 19,
	BGP_EV_HEADER_ERR = 21,
	BGP_EV_OPEN_ERR = 22,
	BGP_EV_COLLISION_DUMP = 23,
	BGP_EV_NOTIF_VERSION_ERR = 24,
	BGP_EV_NOTIF = 25,
	BGP_EV_KEEPALIVE = 26,
	BGP_EV_UPDATE = 27,
	BGP_EV_UPDATE_ERR = 28,
	BGP_EV_MAX
};

/*
 * A TCP connection of a peer and its own machine (RFC 4271 8: "an FSM for
 * each connection" while a collision is unresolved): the connection we
 * opened and the one the peer opened may both reach OpenSent, and 6.8 keeps
 * one.
 */
struct bgp_conn {
	struct bgp_peer *peer;
	struct tcp_pcb *pcb;
	bool outgoing;
	uint8_t state;            /* enum bgp_state */
	struct timer hold_t, ka_t;
	uint16_t hold;            /* negotiated (seconds, 0: no keepalives) */
	uint16_t keepalive;
	struct bgp_open open;     /* the peer's OPEN once received */
	struct bgp_err err;       /* the NOTIFICATION an error event (header, OPEN, UPDATE) sends */
	bool got_open;
	uint8_t *rbuf;            /* bytes received, not yet a whole message */
	size_t rlen, rcap;
};

/* Counters, as `show bgp neighbors` prints them. */
struct bgp_peer_stats {
	uint64_t open_in, open_out, upd_in, upd_out, ka_in, ka_out, notif_in, notif_out;
	uint64_t rr_in, rr_out;
	uint64_t established, dropped;
	uint64_t pfx_in, pfx_out;  /* prefixes received (accepted) / advertised now */
	uint64_t withdraw_in, withdraw_out;
	uint64_t ignored_events;
};

/* A peer's graceful restart state (gr.c). */
struct bgp_peer_gr {
	bool nsf;                 /* helper: its paths are kept stale while it restarts */
	struct timer restart_t;   /* helper: the peer's Restart Time, while the session is down */
	struct timer stale_t;     /* helper: our stalepath time, once it is back */
	uint16_t peer_time;       /* the Restart Time it advertised */
	bool peer_afi, peer_f, peer_r; /* it listed IPv4 unicast; with the F bit; the R bit */
	bool eor_sent, eor_rcvd;  /* End-of-RIB of IPv4 unicast on this session */
	bool eor_after_update;    /* ours followed the initial UPDATEs */
	bool wait_eor;            /* restarting speaker: its End-of-RIB ends our deferral */
	bool tcp_failed;          /* the session is ending on a TCP failure (fsm.c) */
};

struct bgp_peer {
	struct bgp *bgp;
	const struct bgp_nbr_cfg *cfg;
	uint8_t state;            /* the peer's state: the furthest of its connections' */
	bool ebgp;
	bool admin_down;          /* `neighbor IP shutdown` or shutdown: true */
	struct bgp_conn conn[2];  /* [0] we opened, [1] the peer opened */
	struct bgp_conn *est;     /* the established connection, or NULL */
	struct timer connect_retry_t, idle_hold_t;
	uint32_t connect_retry_count;
	sim_time up_since;        /* time of the last state change into or out of Established */
	uint32_t remote_id;       /* the peer's BGP Identifier (once OPEN was received) */
	uint32_t local_addr;      /* the session's local address, once connected */
	bool as4, rr_cap, gr_cap; /* negotiated capabilities */
	struct bgp_err last_err;  /* the last NOTIFICATION sent or received */
	bool last_err_sent;       /* sent (true) or received */
	const char *last_reset;   /* why the session last went down */
	struct bgp_peer_stats st;
	struct bgp_upgrp *grp;    /* its update group (out.c) */
	bool in_sync;             /* has the group's whole table */
	uint32_t tbl_version;     /* the table version it was last sent up to (FRR's TblVer) */
	uint8_t *outq;            /* messages TCP had no room for yet, in order */
	size_t outq_len, outq_cap;
	struct nht *nh;           /* tracking the neighbor's address */
	sim_time idle_hold;       /* the current IdleHold time (0: none yet) */
	sim_time reset_at;        /* when the session last went down */
	bool stopped;             /* the protocol stopped it (not a configured shutdown) */
	struct bfd_client *bfd;   /* while Established with bfd: true */
	char *map_in, *map_out;   /* the route maps bound now (from cfg, or `neighbor IP route-map`) */
	struct hmap *adjin;       /* soft_in: prefix key -> the attributes as received (interned) */
	uint64_t denied_in;       /* routes the checks or the import map turned away */
	struct bgp_peer_gr gr;    /* graceful restart (gr.c) */
	bool pfx_overflow;        /* maximum-prefix reached: Idle until cleared or restart (maxpfx.c) */
	bool pfx_warned;          /* the threshold warning was given for this session */
	bool pfx_over_warned;     /* and the over-the-limit one (warning_only) */
	struct timer pfx_restart_t; /* maximum-prefix `restart`: back from Idle then */
	uint8_t afs;              /* BGP_FAM_*: the families both sides announced (RFC 4760 8) */
	struct hmap *vpn_out;     /* VPN-IPv4 Adj-RIB-Out: destination key -> struct bgp_vpn_adv (vpn_out.c) */
	uint64_t vpn_pfx_in;      /* VPN-IPv4 routes accepted from the neighbor */
};

/* Post an event to a connection's machine (the only writer of states). */
void bgp_fsm(struct bgp_conn *, enum bgp_event);
void bgp_peer_start(struct bgp_peer *);
void bgp_peer_stop(struct bgp_peer *, uint8_t cease_subcode, const char *why);
void bgp_peer_init(struct bgp_peer *);
/* Record why the session (or an attempt that sent or got a NOTIFICATION) ended, and when. */
void bgp_peer_reset_why(struct bgp_peer *, const char *why);
/* The node crashed: forget the connections without a word (its TCP sends nothing). */
void bgp_peer_forget(struct bgp_peer *);
/*
 * `neighbor IP shutdown` at run time (on): Cease/Administrative Shutdown
 * (RFC 4486) to an established peer, then Idle with admin_down set until
 * `no neighbor IP shutdown` (off) starts the session again (ManualStart).
 */
void bgp_peer_set_shutdown(struct bgp_peer *, bool on);
const char *bgp_state_name(uint8_t state);
const char *bgp_event_name(enum bgp_event);

/* ---- a connection (session.c) ---- */

/* Open our connection to the peer (Connect state). */
void bgp_conn_open(struct bgp_conn *);
/* Close and forget a connection (sending err first when err->code != 0). */
void bgp_conn_drop(struct bgp_conn *, const struct bgp_err *err);
void bgp_send_open(struct bgp_conn *);
void bgp_send_keepalive(struct bgp_conn *);
void bgp_send_notification(struct bgp_conn *, const struct bgp_err *);
/* Queue a whole message on the established connection; false if TCP refused it. */
bool bgp_send_msg(struct bgp_peer *, const uint8_t *msg, size_t len, uint8_t type);
/* Listener glue (bgp.c sets up the listener with these). */
bool bgp_tcp_accept(void *larg, uint32_t laddr, uint32_t raddr, uint16_t rport,
    struct tcp_opts *o, const struct tcp_cb **cb, void **arg);
void bgp_tcp_accepted(void *larg, struct tcp_pcb *, void *arg);
/* The peer whose configured address is addr, or NULL. */
struct bgp_peer *bgp_peer_find(const struct bgp *, uint32_t addr);

/* adjin.c: an UPDATE received on the established connection. */
void bgp_adjin_update(struct bgp_peer *, const uint8_t *msg, size_t len);
/* Routes as received from p (rx NULL: treat-as-withdraw) through the checks and the import map into the table. */
void bgp_adjin_accept(struct bgp_peer *, const struct bgp_pfx *pfx, size_t n, const struct bgp_attr *rx);

/* ---- routing policy (filter.c) ---- */

struct policy_map;
struct policy_route;
struct bgp_path;
/* Bind the configured route maps and soft-reconfiguration store (at start). */
void bgp_filter_init(struct bgp_peer *);
void bgp_filter_free(struct bgp_peer *);
/* The session went down: what the neighbor sent goes with it. */
void bgp_filter_peer_down(struct bgp_peer *);
/* Keep (rx) or forget (NULL) what p sent for pfx, when soft_in. */
void bgp_filter_store(struct bgp_peer *, const struct prefix *pfx, const struct bgp_attr *rx);
/*
 * The route map p's routes go through in direction out (false: import), or
 * NULL; *deny_all when a map is bound but missing, or ebgp_requires_policy
 * wants one (FRR: nothing passes).
 */
const struct policy_map *bgp_filter_map(const struct bgp_peer *, bool out, bool *deny_all);
/* Fill r for a route of the table (best) about to be exported with e, or imported from p. */
void bgp_filter_route(struct policy_route *, const struct bgp *, const struct bgp_path *best,
    const struct bgp_peer *p, const struct prefix *pfx, struct bgp_attr *e);
/* Apply the import map again: the stored routes (soft_in), else ask with ROUTE-REFRESH. */
void bgp_filter_reimport(struct bgp_peer *);
/* The device's policies changed (global context): both directions again for every peer. */
void bgp_policy_changed(struct proto_inst *, const char *kind, const char *name);
int bgp_cmd_route_map(struct cli_ctx *, int argc, char **argv);
int bgp_cmd_no_route_map(struct cli_ctx *, int argc, char **argv);

/* ---- the BGP table (rib.c, adjin.c, origin.c) ---- */

#define BGP_PATH_VALID     0x01u /* next hop resolves */
#define BGP_PATH_BEST      0x02u
#define BGP_PATH_MULTIPATH 0x04u
#define BGP_PATH_STALE     0x08u
#define BGP_PATH_DAMPED    0x10u /* flap damping: suppressed (damp.c) */
#define BGP_PATH_HISTORY   0x20u /* flap damping: withdrawn, kept for its penalty */

/* BGP_KIND_IMPORT: a VRF's instance holds the VPN route its VRF imported (l3vpn.h), for its CEs. */
enum bgp_path_kind { BGP_KIND_PEER, BGP_KIND_NETWORK, BGP_KIND_AGGREGATE, BGP_KIND_REDIST, BGP_KIND_IMPORT };

struct bgp_nh; /* a tracked next hop, shared by the paths through it */

/*
 * 24 octets: a route reflector of a full table holds millions. Paths and
 * destinations live in slabs with numbers (slab_init_ids) and refer to each
 * other by number; read them through the accessors after struct bgp. A
 * neighbor's path goes through the tracked next hop of its NEXT_HOP (found
 * by address: b->nhs), whose list holds its destination's number at nh_idx;
 * a path does not hold its destination's number: whoever has a path got it
 * from its destination.
 */
struct bgp_path {
	const struct bgp_attr *attr; /* interned */
	uint32_t next;               /* the prefix's next path, in arrival order: number + 1, 0: none */
	uint32_t nh_idx;             /* a neighbor's path: its place in its next hop's list */
	uint32_t since_s;            /* when it arrived, in whole seconds (all show prints: "Last update") */
	uint16_t nbr;                /* the neighbor: index in bgp.peers, or BGP_PEER_LOCAL */
	uint8_t kind;                /* enum bgp_path_kind */
	uint8_t flags;               /* BGP_PATH_* */
};

#define BGP_PEER_LOCAL 0xFFFFu   /* bgp_path.nbr of a locally originated path */
#define BGP_PEERS_MAX  0xFFFEu   /* neighbors a device may have (config.c) */

/*
 * 32 octets: a router of a full table has a million of them (and `show bgp
 * summary` prints its size, as FRR prints sizeof(struct bgp_dest)). Its own
 * number is where it was found (bgp_dest_get's table, a next hop's list, the
 * decision queue), not a member.
 */
struct bgp_dest {
	struct prefix pfx;
	uint32_t version;            /* table version of its last best-path change */
	uint8_t why;                 /* enum bgp_reason of the last decision */
	uint8_t rib_kind;            /* what was offered to the node's RIB: BGP_RIB_* */
	bool queued : 1;             /* waiting for the decision */
	bool best_valid : 1;         /* had a best path at the last decision */
	bool suppressed : 1;         /* by an aggregate's summary_only: not advertised */
	bool best_was : 1;           /* the best path's attributes were replaced since (bgp.best_was) */
	uint32_t first;              /* its first path: number + 1 in path_slab, 0: none */
	uint32_t best;               /* the best path of the last decision: number + 1, 0: none */
	uint64_t rib_digest;         /* the route offered to the RIB then: its digest (0: nothing) */
};

enum { BGP_RIB_NONE, BGP_RIB_EBGP, BGP_RIB_IBGP }; /* bgp_dest.rib_kind */

/* ---- update groups and the Adj-RIB-Out (out.c) ---- */

/* What makes peers' Adj-RIB-Outs identical. */
struct bgp_grpkey {
	bool ebgp, rr_client, next_hop_self, send_community, send_ext, as4, remove_private_as;
	int8_t role;                 /* ours towards them (RFC 9234), -1: none */
	sim_time mrai;
	const char *map_out;         /* the export route map's name (the group's own copy), or NULL */
	uint32_t only;               /* the neighbor, when the export map matches on it (`match peer`) */
};

struct bgp_upgrp {
	struct bgp_upgrp *next;
	struct bgp *bgp;
	struct bgp_grpkey key;
	struct bgp_peer **members;
	size_t nmembers, mcap;
	struct hmap out;             /* prefix -> interned attr advertised */
	struct hmap pending;         /* prefixes whose advertisement may change */
	struct timer mrai_t;         /* zero delay to batch an instant, then the MRAI */
	struct timer wd_t;           /* withdrawals during the MRAI: not held back */
	uint64_t updates_built;
};

/* ---- the instance (bgp.c) ---- */

struct bgp_stats {
	uint64_t sessions_established, updates_in, updates_out, decisions, best_changes;
	uint64_t originated;
};

struct bgp {
	struct proto_inst *pi;
	struct node *node;
	struct bgp_cfg cfg;
	uint32_t router_id;
	struct bgp_peer *peers;      /* cfg.nnbrs of them, sorted by address */
	size_t npeers;
	struct tcp_pcb *listener;
	struct idtab dests;          /* the destinations by prefix: numbers in dest_slab (idtab.h) */
	struct slab dest_slab, path_slab, nh_slab; /* where dests, paths and next hops live (with numbers) */
	uint32_t *queue;             /* destinations (numbers) waiting for the decision */
	size_t nqueue, qcap;
	struct timer decide_t;       /* runs the queued decisions (zero delay) */
	struct hmap nhs;             /* tracked next hops: address -> struct bgp_nh */
	/*
	 * A destination's best path got other attributes in place (a neighbor
	 * replaced its route) before the decision: the ones it had at the last
	 * decision (referenced), by destination number, so that the decision
	 * sees whether the best path changed.
	 */
	struct hmap best_was;
	struct bgp_upgrp *groups;
	uint32_t version;            /* the table version */
	struct bgp_stats st;
	bool started;
	bool watching;               /* the RIB watch is registered (once: there is no unwatch) */
	bool *aggr_dirty;            /* per cfg.aggrs: a more specific route changed */
	struct bgp_feed *feed;       /* a route feeder's streams (feed.c), or NULL */
	/*
	 * The restarting speaker (gr.c): the process restarted with its routes
	 * kept in the RIB (stale) and defers its decision until every
	 * GR-capable neighbor sent End-of-RIB, or the select_defer_time.
	 */
	bool gr_preserved;           /* the RIB holds the previous process's B routes */
	bool gr_fwd_kept;            /* this process started with forwarding preserved (the F bit) */
	sim_time started_at;         /* when the process started (the R bit) */
	uint32_t gr_crashes;         /* the node's crash count when the routes were kept */
	bool gr_deferring;           /* decisions and our End-of-RIBs wait */
	struct timer gr_defer_t;
	struct timer gr_sweep_t;     /* stopped and not started again: the kept routes go */
	struct hmap damp;            /* flap damping: path number -> its penalty (damp.c) */
	struct timer damp_t;
	struct bgp_l3vpn *vpn;       /* VPN-IPv4 and the VRFs (l3vpn.h), or NULL: none configured */
	/*
	 * BGP in a VRF (PE-CE sessions, RFC 4364 7): an instance of its own per
	 * VRF with neighbors under `bgp: vrfs:`, with the default instance's AS
	 * and router ID, its RIB, next-hop tracking and TCP in the VRF.
	 */
	uint16_t vrf;                /* the VRF this instance runs in (0: the default) */
	struct bgp *parent;          /* a VRF's instance: the default one */
	struct bgp **vrf_insts;      /* the default instance: the VRFs' */
	size_t nvrf_insts;
};

/* The RIB the instance offers its routes to: its VRF's. */
static inline struct rib *
bgp_rib(const struct bgp *b)
{
	return node_rib(b->node, b->vrf);
}

static inline struct bgp *
bgp_of(const struct proto_inst *pi)
{
	return pi->priv;
}

/* ---- the table's numbers (struct bgp_path, struct bgp_dest) ---- */

/* The path numbered ref - 1 (ref 0: NULL). */
static inline struct bgp_path *
bgp_path_at(const struct bgp *b, uint32_t ref)
{
	return ref != 0 ? (struct bgp_path *)slab_at(&b->path_slab, ref - 1) : NULL;
}

/* d's first path (the others follow with bgp_path_next), or NULL. */
static inline struct bgp_path *
bgp_dest_paths(const struct bgp *b, const struct bgp_dest *d)
{
	return bgp_path_at(b, d->first);
}

static inline struct bgp_path *
bgp_path_next(const struct bgp *b, const struct bgp_path *p)
{
	return bgp_path_at(b, p->next);
}

/* d's best path at the last decision (or NULL). */
static inline struct bgp_path *
bgp_dest_best(const struct bgp *b, const struct bgp_dest *d)
{
	return bgp_path_at(b, d->best);
}

/* The neighbor p was learned from, NULL: locally originated. */
static inline struct bgp_peer *
bgp_path_peer(const struct bgp *b, const struct bgp_path *p)
{
	return p->nbr != BGP_PEER_LOCAL ? &b->peers[p->nbr] : NULL;
}

/* bgp_path.nbr for peer (NULL: local). */
static inline uint16_t
bgp_peer_ix(const struct bgp *b, const struct bgp_peer *peer)
{
	return peer != NULL ? (uint16_t)(peer - b->peers) : BGP_PEER_LOCAL;
}

/* When p arrived (to the second). */
static inline sim_time
bgp_path_since(const struct bgp_path *p)
{
	return (sim_time)p->since_s * SIM_S;
}

/* The destinations: for (size_t i = 0; (d = bgp_dest_next(b, &i)) != NULL;) (no changes meanwhile). */
static inline struct bgp_dest *
bgp_dest_next(const struct bgp *b, size_t *pos)
{
	uint32_t id;

	return idtab_next(&b->dests, pos, &id) ? (struct bgp_dest *)slab_at(&b->dest_slab, id) : NULL;
}

/*
 * A trace line under `--trace bgp`. A macro so that the arguments (prefixes
 * and addresses formatted on every decision and UPDATE) cost nothing when
 * nobody traces.
 */
void bgp_trace_line(const struct bgp *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define bgp_trace(b, ...)                                                                          \
	do {                                                                                       \
		if (proto_tracing((b)->pi))                                                        \
			bgp_trace_line((b), __VA_ARGS__);                                          \
	} while (0)

/* gr.c: graceful restart (RFC 4724). */
enum bgp_gr_mode { BGP_GR_DISABLE, BGP_GR_HELPER, BGP_GR_RESTART };
enum bgp_gr_mode bgp_gr_mode(const struct bgp_peer *);
void bgp_gr_init(struct bgp *);
void bgp_gr_peer_init(struct bgp_peer *);
/* Our capability 64 for the OPEN to p (none when disabled). */
void bgp_gr_open(const struct bgp_peer *, struct bgp_open *);
/* The session came up (capabilities known): the end of a helper's wait, or its F bit check. */
void bgp_gr_session_up(struct bgp_peer *);
/* The session went down; true when the peer's paths were kept stale (do not flush them). */
bool bgp_gr_session_down(struct bgp_peer *, bool tcp_failed);
/* An End-of-RIB from p. */
void bgp_gr_eor_rcvd(struct bgp_peer *);
/* Stop helping (the peer is deconfigured, shut, or the process stops): stale paths go. */
void bgp_gr_peer_stop(struct bgp_peer *);
/*
 * The process stops (restart: not a node crash) and starts again; true when
 * the RIB keeps its routes (a neighbor in Restart mode).
 */
bool bgp_gr_stop(struct bgp *, bool restart);
void bgp_gr_start(struct bgp *);
/* May End-of-RIB be sent now (false while a restarted speaker defers)? */
bool bgp_gr_may_send_eor(const struct bgp *);

/* maxpfx.c: the maximum-prefix limit, checked after an UPDATE's routes went in. */
void bgp_maxpfx_init(struct bgp_peer *);
void bgp_maxpfx_check(struct bgp_peer *);
/* The neighbor starts (again): a reached limit is forgotten (`clear bgp`, ManualStart). */
void bgp_maxpfx_clear(struct bgp_peer *);

/* damp.c: route flap damping (RFC 2439). */
void bgp_damp_init(struct bgp *);
void bgp_damp_flush(struct bgp *);
/* A withdrawal of path id (of destination number dest): true when the path stays as history (damping applies). */
bool bgp_damp_withdraw(struct bgp *, struct bgp_path *, uint32_t id, uint32_t dest);
/* An announcement replacing path id's attributes, or ending its history. */
void bgp_damp_update(struct bgp *, struct bgp_path *, uint32_t id, uint32_t dest, bool was_history);
/* Path id is gone. */
void bgp_damp_forget(struct bgp *, uint32_t id);
/* The highest penalty (RFC 2439 4.2): reuse x 2^(max_suppress / half_life). */
double bgp_damp_ceiling(const struct bgp_damp_cfg *);
/* What `show bgp dampening` prints of path id; false: it has no damping state. */
struct bgp_damp_view {
	uint32_t penalty, flaps;
	sim_time duration, reuse_in;
	bool damped;
};
bool bgp_damp_state(const struct bgp *, const struct bgp_path *, uint32_t id,
    struct bgp_damp_view *);

/* rib.c */
struct bgp_dest *bgp_dest_get(struct bgp *, const struct prefix *, bool create);
/*
 * A new path of (peer, kind) at the end of d's, with no attributes and no
 * next hop tracked (unit tests build tables with it; bgp_path_update is the
 * table's way in).
 */
struct bgp_path *bgp_path_new(struct bgp *, struct bgp_dest *, struct bgp_peer *, uint8_t kind);
/* Add or replace the path of (peer, kind) for pfx; attr NULL withdraws it. */
void bgp_path_update(struct bgp *, const struct prefix *, struct bgp_peer *, uint8_t kind,
    const struct bgp_attr *attr);
/* The same for a neighbor's UPDATE: route flap damping counts it (damp.c). */
void bgp_path_rx(struct bgp *, const struct prefix *, struct bgp_peer *, const struct bgp_attr *attr);
/* Withdraw every path learned from peer (session down). */
void bgp_peer_flush(struct bgp *, struct bgp_peer *);
/* Graceful restart: mark every path of peer stale (true), or withdraw its stale ones (false); how many. */
size_t bgp_peer_stale(struct bgp *, struct bgp_peer *, bool mark);
void bgp_rib_init(struct bgp *);
/* Decide destination number dest again (flap damping released one of its paths). */
void bgp_dest_requeue(struct bgp *, uint32_t dest);
/* Remove a history path (of destination number dest) whose damping state was forgotten. */
void bgp_path_drop(struct bgp *, uint32_t dest, struct bgp_path *);
/* p's number in the path slab (p one of d's paths). */
uint32_t bgp_path_id(const struct bgp *, const struct bgp_dest *d, const struct bgp_path *p);
void bgp_rib_flush(struct bgp *, bool keep_routes);
/* Run the queued decisions now (the end of a restarted speaker's deferral). */
void bgp_rib_run(struct bgp *);
bool bgp_rib_busy(const struct bgp *);

/* origin.c */
void bgp_origin_start(struct bgp *);
/* d's best path changed: aggregates covering it may change (marked, and recomputed by bgp_aggr_run). */
void bgp_aggr_dest_changed(struct bgp *, const struct bgp_dest *);
void bgp_aggr_run(struct bgp *);

/* out.c */
void bgp_out_peer_up(struct bgp_peer *);
void bgp_out_peer_down(struct bgp_peer *);
/* A ROUTE-REFRESH from the peer (RFC 2918): its whole Adj-RIB-Out again. */
void bgp_out_refresh(struct bgp_peer *, const uint8_t *msg, size_t len);
/* The whole Adj-RIB-Out to the peer again (`clear bgp IP soft out`). */
void bgp_out_resend(struct bgp_peer *);
/* The best path of dest changed: queue it for every group. */
void bgp_out_dest_changed(struct bgp *, struct bgp_dest *);
bool bgp_out_busy(const struct bgp *);
/* p's export map changed: it moves to the update group of its new key. */
void bgp_out_regroup(struct bgp_peer *);
/* A policy object changed: groups whose export map uses it go over their routes again. */
void bgp_out_policy_changed(struct bgp *, const char *kind, const char *name);
/* A restarted speaker's deferral ended: send what changed, then End-of-RIB to every neighbor. */
void bgp_out_eor_all(struct bgp *);
void bgp_out_free(struct bgp *);

size_t bgp_out_count(const struct bgp_peer *); /* prefixes advertised to the peer */
/* What makes p's Adj-RIB-Out: its update group's key. */
struct bgp_grpkey bgp_grpkey_of(const struct bgp_peer *);
/*
 * The export rules (out.c) for a route with attributes a learned from
 * `from` (NULL: ours) to neighbors of key k, before an export map: false
 * when they do not get it; else e (NEXT_HOP 0: ourselves), with its
 * CLUSTER_LIST in cluster (room for 256). Then bgp_export_finish prepends
 * our AS for eBGP (into pre, BGP_SCRATCH octets), leaves out communities
 * as k says, and interns e (NULL: not advertised).
 */
bool bgp_export_rules(const struct bgp *, const struct bgp_grpkey *k, const struct bgp_attr *a,
    const struct bgp_peer *from, struct bgp_attr *e, uint32_t *cluster);
const struct bgp_attr *bgp_export_finish(const struct bgp *, const struct bgp_grpkey *k,
    struct bgp_attr *e, uint8_t *pre);
/* Why a neighbor's route is refused before it enters the table (adjin.c), or NULL. */
const char *bgp_adjin_refuse(const struct bgp_peer *, const struct bgp_attr *);

extern const struct rib_src bgp_src_ebgp, bgp_src_ibgp;

/* ---- show.c, cmd.c ---------------------------------------------------------------------------- */

/*
 * What the commands read beyond the structures above, and the run-time
 * changes they make through the core (the core implements these):
 *
 * - bgp_peer.last_reset uses FRR's peer_down_str words, as FRR sets them
 *   (bgp_packet.c): sending Cease/Administrative Reset "User reset", sending
 *   Cease/Administrative Shutdown "Admin. shutdown", sending any other
 *   NOTIFICATION (Hold timer expired included) "BGP Notification send",
 *   receiving one "BGP Notification received", the peer closing TCP "Peer
 *   closed the session"; also "Neighbor deleted", "Waiting for NHT",
 *   "Interface down"... `show bgp neighbors` prints it as FRR's "Last
 *   reset" and its JSON gives FRR's lastResetCode. A reset whose words
 *   contain "Notification" is shown with last_err (FRR's "Notification
 *   received (Cease/Administrative Shutdown)").
 * - bgp_state_name() gives FRR's words: "Idle", "Connect", "Active",
 *   "OpenSent", "OpenConfirm", "Established"; bgp_reason_str() FRR's
 *   selection reasons; bgp_err_code_name()/bgp_err_subcode_name() FRR's
 *   "Cease" and "Administrative Shutdown" (a leading '/' is dropped).
 * - bgp_peer.st.pfx_in counts the prefixes accepted from the peer, pfx_out
 *   those advertised to it now (FRR's PfxRcd, PfxSnt).
 */

/* When the session last went down (valid once last_reset is set): "Last reset 00:01:02". */
sim_time bgp_peer_reset_time(const struct bgp_peer *);

/*
 * `clear bgp IP|*`: hard (soft false) resets the session with a Cease/
 * Administrative Reset NOTIFICATION (RFC 4486) and starts it again; soft
 * asks the peer to send its routes again with a ROUTE-REFRESH (in; RFC 2918,
 * only when p->rr_cap) and/or sends our Adj-RIB-Out again (out) without
 * resetting. Neither in nor out: both.
 */
void bgp_peer_clear(struct bgp_peer *, bool soft, bool in, bool out);

/* `restart bgp` (bgp.c): the process restarts, as bgpd alone crashing: peers see RSTs. */
void bgp_restart(struct bgp *);

/* The device's BGP instance if it runs, else NULL (show.c). */
struct bgp *bgp_running(const struct cli_ctx *);

/* cmd.c's handlers, in show.c's table. */
int bgp_cmd_clear(struct cli_ctx *, int argc, char **argv);
int bgp_cmd_show_dampening(struct cli_ctx *, int argc, char **argv); /* show_damp.c */
int bgp_cmd_shutdown(struct cli_ctx *, int argc, char **argv);
int bgp_cmd_no_shutdown(struct cli_ctx *, int argc, char **argv);
int bgp_cmd_restart(struct cli_ctx *, int argc, char **argv);

/* show_gr.c: graceful restart and maximum-prefix parts of `show bgp neighbors` (FRR's). */
void bgp_show_gr_cap(struct cli_ctx *, const struct bgp_peer *);
void bgp_show_gr_cap_json(struct json *, const struct bgp_peer *);
void bgp_show_gr(struct cli_ctx *, const struct bgp_peer *);
void bgp_show_gr_json(struct json *, const struct bgp_peer *);
void bgp_show_maxpfx(struct cli_ctx *, const struct bgp_peer *);
void bgp_show_maxpfx_json(struct json *, const struct bgp_peer *);
void bgp_show_maxpfx_overflow(struct cli_ctx *, const struct bgp_peer *);
void bgp_show_maxpfx_overflow_json(struct json *, const struct bgp_peer *);

/* `show ip protocols`'s BGP section. */
void bgp_show_protocols(struct proto_inst *, struct cli_ctx *);
/* The commands (show.c, cmd.c): the plug-in's .cmds. */
extern const struct cli_cmd bgp_cmds[];
/* The plug-in (bgp.c; also declared in proto.h once registered). */
extern const struct protocol proto_bgp;

#endif
