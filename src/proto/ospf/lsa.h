/*
 * lsa.h: OSPFv2 link state advertisements on the wire (RFC 2328 A.4), and the
 * pure functions on them that the protocol and the decoder share.
 *
 * An LSA is kept as the exact bytes received: the LSDB stores, compares and
 * floods those bytes. struct ospf_lsa is a view of them (the header fields
 * plus a pointer to the bytes, which the caller owns); the body is parsed
 * into struct ospf_lsa_body only when someone asks (SPF, `show`, the
 * decoder). Decoders never read past the bytes they are given and allocate at
 * most in proportion to them.
 *
 * Numbers are in host order; addresses and IDs are uint32_t host order, as
 * everywhere in netsim (ip.h).
 */
#ifndef NETSIM_OSPF_LSA_H
#define NETSIM_OSPF_LSA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../lib/strbuf.h"

/* Decoders write a one-line reason here (may be NULL). */
#define OSPF_ERRLEN 160

/* RFC 2328 Appendix B: architectural constants. Times in seconds. */
#define OSPF_LS_REFRESH_TIME 1800
#define OSPF_MIN_LS_INTERVAL 5
#define OSPF_MIN_LS_ARRIVAL  1
#define OSPF_MAX_AGE         3600
#define OSPF_CHECK_AGE       300
#define OSPF_MAX_AGE_DIFF    900
#define OSPF_LS_INFINITY     0xffffff
#define OSPF_LINK_MAX_METRIC 0xffff /* the largest router-LSA link cost (RFC 5443 4, RFC 6987) */
#define OSPF_DEFAULT_DEST    0x00000000u
/* Sequence numbers are signed 32-bit (RFC 2328 12.1.6); kept as their bit patterns. */
#define OSPF_INITIAL_SEQ 0x80000001u
#define OSPF_MAX_SEQ     0x7fffffffu
/* RFC 1793 2.2: the DoNotAge bit of the LS age field (demand circuits). */
#define OSPF_DO_NOT_AGE 0x8000

/* RFC 2328 A.2 options field, with the later bits that share it. */
#define OSPF_OPT_MT 0x01 /* RFC 4915 (was the TOS bit) */
#define OSPF_OPT_E  0x02
#define OSPF_OPT_MC 0x04
#define OSPF_OPT_NP 0x08 /* RFC 3101: the N/P bit */
#define OSPF_OPT_EA 0x10
#define OSPF_OPT_L  0x10 /* RFC 5613 reuses EA for link-local signaling */
#define OSPF_OPT_DC 0x20
#define OSPF_OPT_O  0x40 /* RFC 5250 opaque LSAs */
#define OSPF_OPT_DN 0x80 /* RFC 4576 */

/* LS types (RFC 2328 A.4.1, RFC 3101, RFC 5250). */
enum ospf_lsa_type {
	OSPF_LSA_ROUTER = 1,
	OSPF_LSA_NETWORK = 2,
	OSPF_LSA_SUMMARY = 3,
	OSPF_LSA_ASBR_SUMMARY = 4,
	OSPF_LSA_EXTERNAL = 5,
	OSPF_LSA_GROUP = 6,
	OSPF_LSA_NSSA = 7,
	OSPF_LSA_OPAQUE_LINK = 9,
	OSPF_LSA_OPAQUE_AREA = 10,
	OSPF_LSA_OPAQUE_AS = 11,
};

/* RFC 5250 3.1: an opaque LSA's Link State ID is an 8-bit type and a 24-bit ID. */
#define OSPF_OPAQUE_TYPE(id) ((uint8_t)((id) >> 24))
#define OSPF_OPAQUE_ID(id)   ((id) & 0xffffffu)

/* Router-LSA flags (RFC 2328 A.4.2; W from RFC 1584, NT from RFC 3101). */
#define OSPF_RTR_B  0x01
#define OSPF_RTR_E  0x02
#define OSPF_RTR_V  0x04
#define OSPF_RTR_W  0x08
#define OSPF_RTR_NT 0x10

/* Router-LSA link types (RFC 2328 A.4.2). */
enum ospf_link_type {
	OSPF_LINK_PTP = 1,
	OSPF_LINK_TRANSIT = 2,
	OSPF_LINK_STUB = 3,
	OSPF_LINK_VIRTUAL = 4,
};

#define OSPF_LSA_HDRLEN 20
#define OSPF_LSA_MAXLEN 0xffff

/* The 20-byte LSA header (RFC 2328 A.4.1). */
struct ospf_lsa_hdr {
	uint16_t age;
	uint8_t options;
	uint8_t type;
	uint32_t id;
	uint32_t adv_rtr;
	uint32_t seq; /* a signed number; compare with ospf_lsa_cmp_newer() */
	uint16_t cksum;
	uint16_t length;
};

/* A whole LSA: its header and its exact bytes (len == hdr.length), not owned. */
struct ospf_lsa {
	struct ospf_lsa_hdr hdr;
	const uint8_t *raw;
	size_t len;
};

/*
 * RFC 2328 A.4.2. TOS metrics (RFC 2328 dropped TOS routing) are skipped by
 * routing but kept, as ntos 4-byte entries at tos, so that re-encoding gives
 * back the same bytes.
 */
struct ospf_rtr_link {
	uint32_t id;
	uint32_t data;
	uint8_t type; /* enum ospf_link_type; other values are kept and ignored */
	uint8_t ntos;
	uint16_t metric;
	const uint8_t *tos;
};

struct ospf_router_lsa {
	uint8_t flags; /* OSPF_RTR_* */
	uint16_t nlinks;
	struct ospf_rtr_link *links;
};

/* RFC 2328 A.4.3 */
struct ospf_network_lsa {
	uint32_t mask;
	size_t nrtrs;
	uint32_t *rtrs;
};

/* RFC 2328 A.4.4 (types 3 and 4); TOS entries kept as raw bytes. */
struct ospf_summary_lsa {
	uint32_t mask;
	uint32_t metric; /* 24 bits */
	const uint8_t *tos;
	size_t tos_len;
};

/* RFC 2328 A.4.5; also the NSSA-LSA (type 7), which has the same layout (RFC 3101 A.2). */
struct ospf_external_lsa {
	uint32_t mask;
	bool ebit;
	uint32_t metric; /* 24 bits */
	uint32_t fwd;
	uint32_t tag;
	const uint8_t *tos; /* further 12-byte TOS entries, raw */
	size_t tos_len;
};

/*
 * A parsed body. type selects the member: ROUTER -> rtr, NETWORK -> net,
 * SUMMARY/ASBR_SUMMARY -> sum, EXTERNAL/NSSA -> ext, anything else (opaque
 * 9/10/11, group membership, unknown) -> raw. Arrays are owned: free with
 * ospf_lsa_body_free(); raw and TOS pointers point into the LSA's bytes.
 */
struct ospf_lsa_body {
	uint8_t type;
	union {
		struct ospf_router_lsa rtr;
		struct ospf_network_lsa net;
		struct ospf_summary_lsa sum;
		struct ospf_external_lsa ext;
		struct {
			const uint8_t *p;
			size_t len;
		} raw;
	};
};

/* Header: p must hold at least 20 bytes. Does not look at the body. */
int ospf_lsa_hdr_decode(const uint8_t *p, size_t len, struct ospf_lsa_hdr *, char *err);
void ospf_lsa_hdr_encode(const struct ospf_lsa_hdr *, uint8_t out[OSPF_LSA_HDRLEN]);

/*
 * One LSA at the start of p[0..len): checks that its length field is at
 * least a header and fits in len. The checksum is not checked (see below).
 */
int ospf_lsa_decode(const uint8_t *p, size_t len, struct ospf_lsa *, char *err);
/* Parse the body of a decoded LSA. On error nothing needs freeing. */
int ospf_lsa_body_decode(const struct ospf_lsa *, struct ospf_lsa_body *, char *err);
void ospf_lsa_body_free(struct ospf_lsa_body *);

/*
 * Append the LSA (header from h, body from b; b->type must equal h->type) to
 * out, with its length and Fletcher checksum computed. h->length and h->cksum
 * are ignored. -1 if it would exceed 65535 bytes or a field does not fit.
 */
int ospf_lsa_encode(const struct ospf_lsa_hdr *h, const struct ospf_lsa_body *b,
    struct strbuf *out, char *err);

/*
 * RFC 2328 12.1.7: the Fletcher checksum covers the whole LSA except the LS
 * age, so p/len are the whole LSA (age included) and the checksum sits at
 * offset 16. _ok: the stored checksum verifies; _compute: what it should be;
 * _set: store it and return it. len must be at least 20.
 */
bool ospf_lsa_cksum_ok(const uint8_t *lsa, size_t len);
uint16_t ospf_lsa_cksum_compute(const uint8_t *lsa, size_t len);
uint16_t ospf_lsa_cksum_set(uint8_t *lsa, size_t len);

/*
 * RFC 2328 13.1: >0 when a is the more recent instance, <0 when b is, 0 when
 * they are the same instance.
 */
int ospf_lsa_cmp_newer(const struct ospf_lsa_hdr *a, const struct ospf_lsa_hdr *b);
/* The order of LSA keys: LS type, then Link State ID, then Advertising Router. */
int ospf_lsa_key_cmp(const struct ospf_lsa_hdr *a, const struct ospf_lsa_hdr *b);

/* "Router", "Network", ... or "Type 42"-style in a static buffer for others. */
const char *ospf_lsa_type_name(uint8_t type);

/* A codec error: the message into err (OSPF_ERRLEN bytes, or NULL), and -1. */
int ospf_fail(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
