/*
 * feed.h: route feeders, BGP speakers that stream a full table without
 * holding it (docs/bgp-feed.md).
 *
 * A feeder is an ordinary BGP instance (sessions, OPEN, KEEPALIVEs, real
 * UPDATEs over TCP) with a `feed:` block: its routes are generated on the
 * fly from a seed (feedgen.c) or read from an MRT TABLE_DUMP_V2 file
 * (mrt.c) whenever a session has room in TCP, with one cursor per neighbor
 * and no state per prefix, so that a million routes cost a few hundred
 * octets. What neighbors send it is counted and dropped.
 *
 *   feedgen.c  the generated table: prefixes, lengths, AS paths, communities
 *   mrt.c      the MRT reader (mrt.h)
 *   feed.c     the feeder: configuration, streaming, commands, show
 */
#ifndef NETSIM_BGP_FEED_H
#define NETSIM_BGP_FEED_H

#include <stdbool.h>
#include <stdint.h>

#include "msg.h"

struct bgp;
struct bgp_cfg;
struct bgp_peer;
struct cfg;
struct cli_ctx;

/* ---- the generated table (feedgen.c) ---- */

#define FEEDGEN_MAX_PREFIXES 10000000u
#define FEEDGEN_MAX_PATH     12   /* ASes in a generated AS_PATH */
#define FEEDGEN_MAX_COMM     3

/*
 * What every feeder of one table shares: the seed, the size and the /8s
 * the prefixes may come from (plausible unicast space minus the
 * topology's own /8s). Equal tables give equal prefixes in equal order.
 */
struct feedgen {
	uint64_t seed;
	uint32_t n;             /* prefixes (at most what the usable space holds) */
	uint16_t nok8;
	uint8_t ok8[256];       /* usable first octets, ascending */
	uint64_t cap[33];       /* prefixes of each length the usable space holds */
};

/* A position in the table: the only state a stream keeps. */
struct feedgen_cur {
	uint32_t i;             /* prefixes produced */
	uint32_t grp;           /* the current attribute group */
	uint32_t left;          /* its prefixes still to come */
	uint32_t used[33];      /* prefixes of each length produced */
};

/* The attributes of one group as one feeder announces it. */
struct feedgen_attr {
	uint32_t path[FEEDGEN_MAX_PATH]; /* path[0] the first AS, path[npath - 1] the origin */
	uint8_t npath;
	uint32_t comm[FEEDGEN_MAX_COMM];
	uint8_t ncomm;
};

/* excluded8: 256 flags, /8s the topology uses (on top of the reserved ones). */
void feedgen_init(struct feedgen *, uint64_t seed, uint32_t n, const bool excluded8[256]);
/* The next prefix (false at the end), and the attribute group it belongs to. */
bool feedgen_next(const struct feedgen *, struct feedgen_cur *, struct bgp_pfx *out, uint32_t *grp);
/*
 * Group grp's attributes for a feeder whose paths start with first_as:
 * the origin AS is the group's (the same for every feeder), the ASes
 * between differ by first_as. No AS of avoid[0..navoid) appears (the
 * receivers' own ASes: a path through them would be a loop).
 */
void feedgen_attr(const struct feedgen *, uint32_t grp, uint32_t first_as, const uint32_t *avoid,
    size_t navoid, struct feedgen_attr *out);

/* ---- the feeder (feed.c) ---- */

struct bgp_feed_cfg {
	uint32_t prefixes;      /* generated: how many (0: an MRT replay) */
	uint64_t seed;
	uint32_t first_as;      /* the first AS of generated paths (0: the feeder's own) */
	char *mrt;              /* replay: the file, resolved against the topology's directory */
	int32_t mrt_peer;       /* index in its PEER_INDEX_TABLE (-1: the first with routes) */
	uint32_t limit;         /* replay at most this many (0: all) */
	uint32_t mrt_routes;    /* the chosen peer's IPv4 unicast routes (found at load time) */
};

/* The `feed:` block of a bgp: block; false after reporting errors. */
bool bgp_feed_config(struct bgp_cfg *, const struct cfg *blk);
void bgp_feed_cfg_free(struct bgp_cfg *);

/* The instance started or stopped (bgp.c). */
void bgp_feed_start(struct bgp *);
void bgp_feed_stop(struct bgp *);
/* A session reached Established (fsm.c): stream the table to it. */
void bgp_feed_peer_up(struct bgp_peer *);
/* TCP made room on the session (session.c): stream on. */
void bgp_feed_room(struct bgp_peer *);
/* Is the feeder still streaming (convergence waits)? */
bool bgp_feed_busy(const struct bgp *);
/* An UPDATE received by a feeder: counted, never processed. */
void bgp_feed_update_in(struct bgp_peer *, size_t len);

int bgp_cmd_feed(struct cli_ctx *, int argc, char **argv);
int bgp_cmd_show_feed(struct cli_ctx *, int argc, char **argv);

#endif
