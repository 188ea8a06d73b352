/*
 * dissect.h: netsim's packet decoder, used by `netsim decode` and by tests.
 *
 * Dissectors are looked up in tables by the field that selects them
 * (ethertype, IP protocol, UDP/TCP port, LLC DSAP), so each protocol registers
 * its own and the core never switches on protocol type. A dissector appends a
 * short tcpdump-like description to d->line and reports anything wrong with
 * dissect_error() (truncation, bad checksum, bad length, unknown version),
 * which makes the frame count as failed.
 *
 * Layers are separated by two spaces: dissect_call() inserts them before the
 * next dissector runs, so a dissector never adds leading blanks.
 *
 * d->partial says that the bytes a dissector receives may be only a prefix of
 * the real message: the capture was cut by a snaplen, or the datagram is the
 * first IPv4 fragment. Missing data is then not an error (dissect_need() notes
 * "[|proto]" instead), and checksums over the message cannot be verified. A
 * layer that knows its own length and finds all of it (IPv4 total length, UDP
 * length) clears the flag for what it hands on.
 */
#ifndef NETSIM_DISSECT_H
#define NETSIM_DISSECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/strbuf.h"

enum dissect_table {
	DT_ETHERTYPE,
	DT_IPPROTO,
	DT_UDP_PORT,
	DT_TCP_PORT,
	DT_LLC,      /* 802.2 DSAP, e.g. 0xfe for OSI (IS-IS) */
	DT_LINKTYPE, /* pcap link type: the whole captured frame */
	DT_COUNT
};

struct dissect {
	struct strbuf line;      /* the one-line description being built */
	struct strbuf err;       /* "; "-separated problems */
	int errors;
	bool known;              /* a dissector of a protocol netsim implements ran */
	uint32_t ip_src, ip_dst; /* innermost IPv4 header, for pseudo-header checksums */
	int verbose;
	bool partial;            /* the bytes may be a prefix of the message (see above) */
};

typedef void (*dissect_fn)(struct dissect *, const uint8_t *p, size_t len);

void dissect_register(enum dissect_table, uint32_t key, dissect_fn);
/* Run the dissector for key; returns false (and describes nothing) if none is registered. */
bool dissect_call(struct dissect *, enum dissect_table, uint32_t key, const uint8_t *p, size_t len);
/* Like dissect_call, but an unregistered key is described briefly: "GRE (not decoded)". */
void dissect_next(struct dissect *, enum dissect_table, uint32_t key, const uint8_t *p, size_t len);
/* Start a new layer's description by hand (what dissect_call does before a dissector). */
void dissect_sep(struct dissect *);
/* A short name for a key ("GRE", "IPv6"), or NULL: used only for description. */
const char *dissect_name(enum dissect_table, uint32_t key);
/* Decode a whole captured frame of the given pcap link type. */
void dissect_frame(struct dissect *, uint32_t linktype, const uint8_t *p, size_t len);
/* Same, for a frame captured with caplen of its origlen bytes (sets d->partial if cut). */
void dissect_capture(struct dissect *, uint32_t linktype, const uint8_t *p, size_t caplen,
    size_t origlen);

/*
 * True when len >= need. Otherwise notes "[|proto]" if d->partial, or reports
 * "proto: truncated (len of need bytes)" with dissect_error, and returns false.
 */
bool dissect_need(struct dissect *, const char *proto, size_t len, size_t need);
/*
 * Verify the Internet checksum (RFC 1071) of p[0..len), whose checksum field
 * sits at the even offset off, with init the pseudo-header sum (0 if none).
 * Reports "proto: bad checksum 0x.... (should be 0x....)" and returns false
 * when wrong. Skips the check (returns true) when d->partial.
 */
bool dissect_inet_cksum(struct dissect *, const char *proto, const uint8_t *p, size_t len,
    size_t off, uint32_t init);

void dissect_init(struct dissect *);
void dissect_free(struct dissect *);
void dissect_reset(struct dissect *);
void dissect_add(struct dissect *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A flag of a bit field, by its mask. */
struct dissect_flag {
	unsigned mask;
	const char *name;
};
/*
 * The names of the flags set in v, in the table's order, separated by commas
 * ("I,M,MS"); returns how many were set (0: nothing added).
 */
int dissect_flags(struct dissect *, unsigned v, const struct dissect_flag *, size_t n);
void dissect_error(struct dissect *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Registers the built-in dissectors and every protocol's (idempotent). */
void dissect_setup(void);
/*
 * Called once by dissect_setup(): protocols register their dissectors here.
 * dissect.c has a weak default that does nothing; src/proto supplies the real one.
 */
void proto_dissect_setup(void);

#endif
