/*
 * attr.h: BGP path attributes (RFC 4271 5, RFC 1997, RFC 4360, RFC 8092,
 * RFC 4456, RFC 6793), parsed, and interned for the whole process.
 *
 * A route's attributes are one immutable, content-addressed object shared by
 * every path and every router that holds the same set (a thousand routers
 * learning one prefix through the same AS path hold one object). Build a set
 * on the stack as a `struct bgp_attr` whose arrays point anywhere, then
 * bgp_attr_intern() returns the shared copy (one allocation, arrays inline)
 * with a reference taken; bgp_attr_unref() drops it. References are atomic;
 * the last one removes the object under the store's lock after checking that
 * no lookup took a new one in between (as IS-IS's blob.c), so routers on
 * several threads intern and release without further coordination.
 *
 * AS paths are held in the 4-octet form of RFC 6793 (what a NEW speaker
 * sends to a NEW speaker): segments of {type, count, count x 4-octet ASN}.
 * The codec (msg.c) converts from and to 2-octet AS_PATH + AS4_PATH when the
 * session is with an OLD speaker.
 */
#ifndef NETSIM_BGP_ATTR_H
#define NETSIM_BGP_ATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;

/* Attribute type codes (IANA BGP Path Attributes). */
enum {
	BGP_ATTR_ORIGIN = 1, BGP_ATTR_AS_PATH = 2, BGP_ATTR_NEXT_HOP = 3, BGP_ATTR_MED = 4,
	BGP_ATTR_LOCAL_PREF = 5, BGP_ATTR_ATOMIC_AGGREGATE = 6, BGP_ATTR_AGGREGATOR = 7,
	BGP_ATTR_COMMUNITIES = 8, BGP_ATTR_ORIGINATOR_ID = 9, BGP_ATTR_CLUSTER_LIST = 10,
	BGP_ATTR_MP_REACH = 14, BGP_ATTR_MP_UNREACH = 15, BGP_ATTR_EXT_COMMUNITIES = 16,
	BGP_ATTR_AS4_PATH = 17, BGP_ATTR_AS4_AGGREGATOR = 18, BGP_ATTR_LARGE_COMMUNITIES = 32,
	BGP_ATTR_OTC = 35, /* Only to Customer (RFC 9234 5) */
};

/* Attribute flags (RFC 4271 4.3). */
#define BGP_AF_OPTIONAL   0x80
#define BGP_AF_TRANSITIVE 0x40
#define BGP_AF_PARTIAL    0x20
#define BGP_AF_EXTLEN     0x10

/* LOCAL_PREF where a path has none (RFC 4271 5.1.5 leaves it open; FRR and Cisco use 100). */
#define BGP_LOCAL_PREF_DFLT 100

enum bgp_origin { BGP_ORIGIN_IGP = 0, BGP_ORIGIN_EGP = 1, BGP_ORIGIN_INCOMPLETE = 2 };

/* AS_PATH segment types (RFC 4271 4.3, RFC 5065). */
enum { BGP_AS_SET = 1, BGP_AS_SEQUENCE = 2, BGP_AS_CONFED_SEQUENCE = 3, BGP_AS_CONFED_SET = 4 };

/* Well-known communities (RFC 1997). */
#define BGP_COMM_NO_EXPORT           0xFFFFFF01u
#define BGP_COMM_NO_ADVERTISE        0xFFFFFF02u
#define BGP_COMM_NO_EXPORT_SUBCONFED 0xFFFFFF03u

/* Which optional members are present (bgp_attr.has). */
#define BGP_HAS_MED          0x01u
#define BGP_HAS_LOCAL_PREF   0x02u
#define BGP_HAS_ATOMIC_AGGR  0x04u
#define BGP_HAS_AGGREGATOR   0x08u
#define BGP_HAS_ORIGINATOR   0x10u
#define BGP_HAS_NEXT_HOP     0x20u
#define BGP_HAS_OTC          0x40u

struct bgp_attr {
	/* Set by bgp_attr_intern on the shared copy; ignored on a stack copy. */
	uint64_t hash;
	_Atomic uint32_t refs;
	uint32_t has;             /* BGP_HAS_* */
	uint8_t origin;           /* enum bgp_origin */
	uint32_t nexthop;         /* NEXT_HOP (IPv4), or the MP_REACH IPv4 next hop */
	uint32_t med, local_pref;
	uint32_t weight;          /* local to the router (never on the wire), default 0 */
	uint32_t tag;             /* local too: a route map's `set tag` (the RIB route's tag) */
	uint32_t aggr_as, aggr_addr;
	uint32_t originator_id;
	uint32_t otc;             /* OTC: the AS that marked the route Only to Customer */
	/* AS_PATH, 4-octet segments: {type, count, count x 4 octets}... */
	uint16_t aspath_len;
	const uint8_t *aspath;
	uint16_t ncomm;           /* COMMUNITIES, as received (order kept) */
	const uint32_t *comm;
	uint16_t necomm;          /* EXTENDED COMMUNITIES, 8 octets each */
	const uint8_t *ecomm;
	uint16_t nlcomm;          /* LARGE COMMUNITIES, 12 octets each */
	const uint8_t *lcomm;
	uint16_t ncluster;        /* CLUSTER_LIST */
	const uint32_t *cluster;
	/* Unknown optional transitive attributes to pass on: wire form, partial bit set. */
	uint16_t unknown_len;
	const uint8_t *unknown;
};

/* The shared copy of a (with one reference taken for the caller). */
const struct bgp_attr *bgp_attr_intern(const struct bgp_attr *a);
const struct bgp_attr *bgp_attr_ref(const struct bgp_attr *a);
void bgp_attr_unref(const struct bgp_attr *a);
/* Same contents (what interning compares; pointer equality between interned sets). */
bool bgp_attr_equal(const struct bgp_attr *a, const struct bgp_attr *b);
/* Interned sets alive (tests, stats). */
size_t bgp_attr_count(void);

/*
 * A cursor over an AS path's whole segments {type, count, count x asz-octet
 * ASN} (asz 4, or 2 for an old speaker's AS_PATH on the wire): it stops at a
 * segment that does not fit, so a malformed path is never overread.
 * Start it as {.p = path, .len = len, .asz = 4}.
 */
struct bgp_seg {
	const uint8_t *p;
	size_t len, off;
	unsigned asz;
	uint8_t type, n;
	const uint8_t *as; /* the segment's first ASN */
};

static inline bool
bgp_seg_next(struct bgp_seg *s)
{
	if (s->off + 2 > s->len || s->off + 2 + (size_t)s->p[s->off + 1] * s->asz > s->len)
		return false;
	s->type = s->p[s->off];
	s->n = s->p[s->off + 1];
	s->as = s->p + s->off + 2;
	s->off += 2 + (size_t)s->n * s->asz;
	return true;
}

/* AS path queries on the 4-octet form. */
/* RFC 4271 9.1.2.2 a): a SET counts 1, a SEQUENCE its ASes, confederation segments 0. */
unsigned bgp_aspath_hops(const uint8_t *aspath, size_t len);
/* The first AS of the path (the neighbor AS for MED comparison, RFC 4271 9.1.2.2 c), 0 if none. */
uint32_t bgp_aspath_first(const uint8_t *aspath, size_t len);
/* Does the path contain as (loop detection)? How many times? */
unsigned bgp_aspath_count(const uint8_t *aspath, size_t len, uint32_t as);
/*
 * Prepend as n times into out (capacity cap): a SEQUENCE is extended or
 * started (RFC 4271 5.1.2), splitting at 255 ASes. Returns the new length or
 * -1 when cap is short.
 */
int bgp_aspath_prepend(const uint8_t *aspath, size_t len, uint32_t as, unsigned n, uint8_t *out,
    size_t cap);
/* Text as FRR prints it: "65002 65001", "{65003,65004}", "" for an empty path. */
void bgp_aspath_str(const uint8_t *aspath, size_t len, struct strbuf *sb);

/* "65001:100", "no-export", ... as FRR prints communities. */
void bgp_comm_str(uint32_t c, struct strbuf *sb);
/* One extended community (8 octets): "RT:65001:100", "SoO:10.0.0.1:7", else its octets in hex. */
void bgp_ecomm_str(const uint8_t *e, struct strbuf *sb);
const char *bgp_origin_name(uint8_t origin); /* "IGP", "EGP", "incomplete" */
char bgp_origin_code(uint8_t origin);        /* 'i', 'e', '?' */

#endif
