/*
 * mrt.h: reading MRT routing information export files (RFC 6396), the
 * TABLE_DUMP_V2 RIB snapshots RIPE RIS and RouteViews publish: the
 * PEER_INDEX_TABLE and the RIB_IPV4_UNICAST records. Other records (IPv6,
 * multicast, BGP4MP, ...) are skipped whole.
 *
 * A file is read one record at a time (pread into one buffer), never held
 * in memory: a feeder replaying a million routes keeps a file offset. The
 * same functions read a buffer in memory (the fuzz target and the tests).
 * Malformed input is an error that names the offset of the offending
 * field; nothing past a record's end is ever read.
 */
#ifndef NETSIM_BGP_MRT_H
#define NETSIM_BGP_MRT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msg.h"

#define MRT_HDR_LEN        12
#define MRT_TABLE_DUMP_V2  13               /* RFC 6396 4 */
#define MRT_PEER_INDEX     1                /* RFC 6396 4.3 subtypes */
#define MRT_RIB_IPV4_UCAST 2
#define MRT_MAX_RECORD     (16u << 20)      /* longer records are refused */

struct mrt_err {
	uint64_t off;      /* where in the file */
	char msg[160];
};

struct mrt_peer {
	uint32_t id;       /* BGP Identifier */
	uint32_t addr;     /* IPv4 address (0 for an IPv6 peer) */
	uint32_t as;
	bool v6;
};

struct mrt_file {
	int fd;                     /* -1: reading mem */
	const uint8_t *mem;
	uint64_t size;
	uint8_t *buf;               /* the record read (fd) */
	size_t cap;
	struct mrt_peer *peers;     /* the PEER_INDEX_TABLE */
	uint16_t npeers;
	bool have_index;
	uint64_t first;             /* offset of the record after the index */
	uint32_t *routes;           /* IPv4 unicast routes per peer (mrt_scan) */
	uint64_t *seen;             /* per peer: the stamp of the last RIB record read naming it */
	uint64_t stamp;             /* RIB records read (scan and replay), from 1 */
	uint64_t records, skipped;  /* records seen, records of other kinds */
};

/* A route of one peer. attrs point into the record just read. */
struct mrt_route {
	struct bgp_pfx pfx;
	const uint8_t *attrs;
	uint16_t attr_len;
	uint64_t attr_off;  /* where the attributes are in the file (for messages) */
};

/* Open path (false with err set: errno's words) or a buffer. */
bool mrt_open(struct mrt_file *, const char *path, struct mrt_err *);
void mrt_open_mem(struct mrt_file *, const uint8_t *data, size_t len);
void mrt_close(struct mrt_file *);

/*
 * Read the whole file once: the PEER_INDEX_TABLE (which must come before
 * any RIB record), every RIB_IPV4_UNICAST record checked and its entries
 * counted per peer (routes[]). False at the first malformed record.
 */
bool mrt_scan(struct mrt_file *, struct mrt_err *);

/*
 * The next route of peer at or after *off (start at f->first): 1 with *r
 * set and *off past its record, 0 at the end, -1 on malformed input.
 */
int mrt_next_route(struct mrt_file *, uint64_t *off, uint16_t peer, struct mrt_route *r,
    struct mrt_err *);

#endif
