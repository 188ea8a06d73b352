/*
 * packet.h: OSPFv2 packets on the wire (RFC 2328 A.3), as pure functions:
 * ospf_pkt_decode(bytes) -> struct ospf_pkt or an error naming the field,
 * ospf_pkt_encode(struct) -> bytes with length and checksum filled in.
 *
 * The decoder checks structure only; the packet checksum is a separate call
 * (ospf_pkt_cksum_ok) so that the protocol can count the two failures apart.
 * Bytes after the length the header gives (the cryptographic authentication
 * trailer, RFC 2328 D.4.3, and the LLS block, RFC 5613) are not part of the
 * packet: the decoder leaves them in trailer/trailer_len and the encoder
 * does not write them.
 */
#ifndef NETSIM_OSPF_PACKET_H
#define NETSIM_OSPF_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../lib/strbuf.h"
#include "lsa.h"

#define OSPF_VERSION  2
#define OSPF_IPPROTO  89
#define OSPF_HDRLEN   24
#define OSPF_MAXLEN   0xffff
/* RFC 2328 A.1: the two multicast addresses (host order). */
#define OSPF_ALL_SPF_ROUTERS 0xe0000005u /* 224.0.0.5 */
#define OSPF_ALL_D_ROUTERS   0xe0000006u /* 224.0.0.6 */

enum ospf_pkt_type {
	OSPF_HELLO = 1,
	OSPF_DD = 2,
	OSPF_LSR = 3,
	OSPF_LSU = 4,
	OSPF_LSACK = 5,
};

/* RFC 2328 A.3.1 / D: authentication types. */
enum ospf_autype {
	OSPF_AUTH_NULL = 0,
	OSPF_AUTH_SIMPLE = 1,
	OSPF_AUTH_CRYPT = 2,
};

/* DD flags (RFC 2328 A.3.3). */
#define OSPF_DD_MS 0x01
#define OSPF_DD_M  0x02
#define OSPF_DD_I  0x04

#define OSPF_HELLO_MINLEN (OSPF_HDRLEN + 20)
#define OSPF_DD_MINLEN    (OSPF_HDRLEN + 8)
#define OSPF_LSU_MINLEN   (OSPF_HDRLEN + 4)
#define OSPF_LSR_ENTLEN   12

/* The 24-byte header (RFC 2328 A.3.1). */
struct ospf_hdr {
	uint8_t version;
	uint8_t type;
	uint16_t length; /* set by the encoder */
	uint32_t rtr_id;
	uint32_t area_id;
	uint16_t cksum; /* set by the encoder */
	uint16_t autype;
	/*
	 * The 64-bit authentication field as it is on the wire: the password
	 * for AuType 1; for AuType 2 zero, key ID, auth data length and the
	 * cryptographic sequence number (D.3), see the accessors below.
	 */
	uint8_t auth[8];
};

static inline uint8_t
ospf_auth_key_id(const struct ospf_hdr *h)
{
	return h->auth[2];
}

static inline uint8_t
ospf_auth_len(const struct ospf_hdr *h)
{
	return h->auth[3];
}

static inline uint32_t
ospf_auth_seq(const struct ospf_hdr *h)
{
	return (uint32_t)h->auth[4] << 24 | (uint32_t)h->auth[5] << 16 |
	    (uint32_t)h->auth[6] << 8 | h->auth[7];
}

/* RFC 2328 A.3.2 */
struct ospf_hello {
	uint32_t mask;
	uint16_t hello_ivl;
	uint8_t options;
	uint8_t prio;
	uint32_t dead_ivl;
	uint32_t dr;
	uint32_t bdr;
	size_t nnbrs;
	uint32_t *nbrs;
};

/* RFC 2328 A.3.3 */
struct ospf_dd {
	uint16_t mtu;
	uint8_t options;
	uint8_t flags; /* OSPF_DD_* */
	uint32_t seq;
	size_t nlsas;
	struct ospf_lsa_hdr *lsas;
};

/* RFC 2328 A.3.4: one request; the LS type is a 32-bit field here. */
struct ospf_lsr_ent {
	uint32_t type;
	uint32_t id;
	uint32_t adv_rtr;
};

struct ospf_lsr {
	size_t nreqs;
	struct ospf_lsr_ent *reqs;
};

/*
 * RFC 2328 A.3.5. Each LSA is its exact bytes; the encoder writes lsas[i].raw
 * (lsas[i].len bytes) as given, so build them with ospf_lsa_encode().
 */
struct ospf_lsu {
	size_t nlsas;
	struct ospf_lsa *lsas;
};

/* RFC 2328 A.3.6 */
struct ospf_lsack {
	size_t nlsas;
	struct ospf_lsa_hdr *lsas;
};

/*
 * A decoded packet. hdr.type selects the body member. Arrays are owned (free
 * with ospf_pkt_free()); LSU raw pointers and trailer point into the decoded
 * bytes, which must outlive the struct.
 */
struct ospf_pkt {
	struct ospf_hdr hdr;
	union {
		struct ospf_hello hello;
		struct ospf_dd dd;
		struct ospf_lsr lsr;
		struct ospf_lsu lsu;
		struct ospf_lsack ack;
	};
	const uint8_t *trailer;
	size_t trailer_len;
};

/*
 * Decode p[0..len) (an IP payload). -1 with a message in err (OSPF_ERRLEN
 * bytes, may be NULL) on a bad version, type or length, or a body that does
 * not match its length; nothing needs freeing then.
 */
int ospf_pkt_decode(const uint8_t *p, size_t len, struct ospf_pkt *, char *err);
void ospf_pkt_free(struct ospf_pkt *);

/*
 * Append the packet to out with length and checksum computed (hdr.length and
 * hdr.cksum are ignored; for AuType 2 the checksum is 0, D.4.3, and the
 * caller appends the digest). -1 if it would exceed 65535 bytes.
 */
int ospf_pkt_encode(const struct ospf_pkt *, struct strbuf *out, char *err);

/*
 * RFC 2328 D.4: the checksum over the packet (p[0..len), len the header's
 * length) without the 64-bit authentication field. _ok is true for AuType 2,
 * which carries no checksum; _compute gives the value the field should hold.
 * len must be at least 24.
 */
bool ospf_pkt_cksum_ok(const uint8_t *p, size_t len);
uint16_t ospf_pkt_cksum_compute(const uint8_t *p, size_t len);

const char *ospf_pkt_type_name(uint8_t type);

/* Register the IP protocol 89 dissector for `netsim decode` (dissect.c). */
void ospf_dissect_setup(void);

#endif
