/*
 * msg.h: the LDP message codec (RFC 5036 3.1-3.5), shared by `netsim decode`
 * and, later, by the protocol.
 *
 * An LDP PDU is a 10-octet header (version, PDU length, LDP identifier: LSR
 * ID and label space) followed by messages; a message is a type (with the U
 * bit), a length, a message ID and TLVs. Decoding never trusts a length:
 * every read is bounds-checked, and a fault is reported with the field it
 * is in, its offset from the start of what was decoded, and the status code
 * RFC 5036 3.5.1.2.1 prescribes for it. Every TLV of a message is kept in
 * order (ldp_msg.tlv[]): the ones netsim understands are decoded into fields
 * as well, and the encoder writes those from the fields and the others from
 * their raw bytes, so a decoded PDU re-encodes to the same bytes.
 */
#ifndef NETSIM_LDP_MSG_H
#define NETSIM_LDP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../lib/strbuf.h"

#define LDP_PORT        646 /* RFC 5036 3.10: discovery over UDP, sessions over TCP */
#define LDP_VERSION     1
#define LDP_PDU_HDR_LEN 10 /* version, PDU length, LSR ID, label space */
#define LDP_MSG_HDR_LEN 8  /* type, length, message ID */
#define LDP_TLV_HDR_LEN 4
#define LDP_MAX_PDU_DEF 4096 /* RFC 5036 3.5.3: max PDU length when 0 (or <= 255) is sent */

/* Bounds of what one decoded message holds (more is a decode error). */
#define LDP_MAX_TLVS  16
#define LDP_MAX_FECS  16
#define LDP_MAX_ADDRS 64

/* The U bit of a message or TLV type, the F bit of a TLV type (RFC 5036 3.3, 3.4). */
#define LDP_U_BIT     0x8000
#define LDP_F_BIT     0x4000
#define LDP_TYPE_MASK 0x3fff /* a TLV type; a message type is 15 bits */

/* Message types (RFC 5036 3.5; 0x0202 is RFC 5561's Capability). */
enum ldp_msg_type {
	LDP_NOTIFICATION = 0x0001,
	LDP_HELLO = 0x0100,
	LDP_INIT = 0x0200,
	LDP_KEEPALIVE = 0x0201,
	LDP_CAPABILITY = 0x0202,
	LDP_ADDRESS = 0x0300,
	LDP_ADDRESS_WITHDRAW = 0x0301,
	LDP_LABEL_MAPPING = 0x0400,
	LDP_LABEL_REQUEST = 0x0401,
	LDP_LABEL_WITHDRAW = 0x0402,
	LDP_LABEL_RELEASE = 0x0403,
	LDP_LABEL_ABORT = 0x0404,
};

/* TLV types (RFC 5036 3.4, 3.5). */
enum ldp_tlv_type {
	LDP_TLV_FEC = 0x0100,
	LDP_TLV_ADDR_LIST = 0x0101,
	LDP_TLV_HOP_COUNT = 0x0103,
	LDP_TLV_PATH_VECTOR = 0x0104,
	LDP_TLV_GENERIC_LABEL = 0x0200,
	LDP_TLV_STATUS = 0x0300,
	LDP_TLV_COMMON_HELLO = 0x0400,
	LDP_TLV_IPV4_TRANSPORT = 0x0401,
	LDP_TLV_CONFIG_SEQ = 0x0402,
	LDP_TLV_IPV6_TRANSPORT = 0x0403,
	LDP_TLV_COMMON_SESSION = 0x0500,
	LDP_TLV_LABEL_REQUEST_ID = 0x0600,
};

/* Status codes (RFC 5036 3.9), without the E and F bits. */
enum ldp_status_code {
	LDP_ST_SUCCESS = 0x00,
	LDP_ST_BAD_LDP_ID = 0x01,
	LDP_ST_BAD_VERSION = 0x02,
	LDP_ST_BAD_PDU_LEN = 0x03,
	LDP_ST_UNKNOWN_MSG = 0x04,
	LDP_ST_BAD_MSG_LEN = 0x05,
	LDP_ST_UNKNOWN_TLV = 0x06,
	LDP_ST_BAD_TLV_LEN = 0x07,
	LDP_ST_MALFORMED_TLV = 0x08,
	LDP_ST_HOLD_EXPIRED = 0x09,
	LDP_ST_SHUTDOWN = 0x0a,
	LDP_ST_LOOP = 0x0b,
	LDP_ST_UNKNOWN_FEC = 0x0c,
	LDP_ST_NO_ROUTE = 0x0d,
	LDP_ST_NO_LABEL = 0x0e,
	LDP_ST_LABEL_AVAIL = 0x0f,
	LDP_ST_SESS_REJ_NO_HELLO = 0x10,
	LDP_ST_SESS_REJ_ADV_MODE = 0x11,
	LDP_ST_SESS_REJ_MAX_PDU = 0x12,
	LDP_ST_SESS_REJ_LABEL_RANGE = 0x13,
	LDP_ST_KEEPALIVE_EXPIRED = 0x14,
	LDP_ST_ABORTED = 0x15,
	LDP_ST_MISSING_PARAM = 0x16,
	LDP_ST_UNSUPPORTED_FAMILY = 0x17,
	LDP_ST_SESS_REJ_KEEPALIVE = 0x18,
	LDP_ST_INTERNAL = 0x19,
};
#define LDP_STATUS_E    0x80000000u /* fatal error (RFC 5036 3.5.1.1) */
#define LDP_STATUS_F    0x40000000u /* forward the notification */
#define LDP_STATUS_CODE 0x3fffffffu

/* Address families (IANA "Address Family Numbers"). */
#define LDP_AF_IPV4 1
#define LDP_AF_IPV6 2

/* FEC element types (RFC 5036 3.4.1). */
enum { LDP_FEC_WILDCARD = 0x01, LDP_FEC_PREFIX = 0x02 };

/* A decode error: the field, its offset in the PDU, the status to send. */
struct ldp_err {
	const char *field;
	size_t off;
	uint32_t status;
};

/* The PDU header (RFC 5036 3.1). */
struct ldp_pdu {
	uint16_t version;
	uint16_t len;    /* PDU length: the octets after this field */
	uint32_t lsr_id; /* host order, like every address here */
	uint16_t space;  /* label space: 0 for the platform-wide one */
};

/* One TLV as it was on the wire (or is to be encoded). */
struct ldp_tlv {
	uint16_t type;      /* with the U and F bits */
	uint16_t len;       /* of the value */
	const uint8_t *val; /* the value, in the decoded buffer; NULL: encode from the fields */
};

/* A FEC element (RFC 5036 3.4.1): the wildcard, or an address prefix. */
struct ldp_fec {
	uint8_t type;
	uint16_t family; /* prefix: LDP_AF_IPV4 or LDP_AF_IPV6 */
	uint8_t plen;
	uint8_t addr[16]; /* prefix: its ceil(plen / 8) octets, the rest zero */
};

/* Hello (RFC 5036 3.5.2). */
struct ldp_hello {
	uint16_t hold;        /* seconds; 0: the default (15 link, 45 targeted) */
	bool targeted;        /* T */
	bool req_targeted;    /* R */
	uint16_t other_flags; /* the reserved bits (RFC 6720's GTSM bit is one), kept as sent */
	uint32_t transport;   /* IPv4 Transport Address (if LDP_HAS_TRANSPORT) */
	uint32_t cseq;        /* Configuration Sequence Number (if LDP_HAS_CSEQ) */
};

/* Initialization (RFC 5036 3.5.3), its Common Session Parameters. */
struct ldp_init {
	uint16_t version;
	uint16_t keepalive;
	bool adv_on_demand;  /* A: downstream on demand (else unsolicited) */
	bool loop_detect;    /* D */
	uint8_t other_flags; /* the reserved bits, kept as sent */
	uint8_t pv_limit;
	uint16_t max_pdu;
	uint32_t recv_lsr_id; /* the receiver's LDP identifier */
	uint16_t recv_space;
};

/* Address and Address Withdraw (RFC 5036 3.5.5, 3.5.6), the Address List TLV (3.4.3). */
struct ldp_addr_list {
	uint16_t family;
	unsigned n; /* IPv4 addresses decoded into addr[] */
	uint32_t addr[LDP_MAX_ADDRS];
	const uint8_t *raw; /* another family's addresses, undecoded */
	uint16_t rawlen;
};

/* Label Mapping, Request, Withdraw, Release and Abort (RFC 5036 3.5.7-3.5.11). */
struct ldp_label_msg {
	unsigned nfec;
	struct ldp_fec fec[LDP_MAX_FECS];
	uint32_t label;  /* Generic Label (if LDP_HAS_LABEL) */
	uint32_t req_id; /* Label Request Message ID (if LDP_HAS_REQ_ID) */
};

/* Notification (RFC 5036 3.5.1), its Status TLV (3.4.6). */
struct ldp_status {
	uint32_t code;     /* with the E and F bits */
	uint32_t msg_id;   /* of the message it is about, or 0 */
	uint16_t msg_type; /* of that message, or 0 */
};

/* Which TLVs a message had (or is to have). */
enum {
	LDP_HAS_HELLO = 1u << 0,
	LDP_HAS_TRANSPORT = 1u << 1,
	LDP_HAS_CSEQ = 1u << 2,
	LDP_HAS_SESSION = 1u << 3,
	LDP_HAS_ADDRS = 1u << 4,
	LDP_HAS_FEC = 1u << 5,
	LDP_HAS_LABEL = 1u << 6,
	LDP_HAS_REQ_ID = 1u << 7,
	LDP_HAS_STATUS = 1u << 8,
};

struct ldp_msg {
	uint16_t type; /* with the U bit */
	uint16_t len;  /* message length: the octets after this field (set by decode) */
	uint32_t id;
	unsigned has; /* LDP_HAS_* */
	struct ldp_hello hello;
	struct ldp_init init;
	struct ldp_addr_list addrs;
	struct ldp_label_msg lbl;
	struct ldp_status status;
	/*
	 * Every TLV in wire order. Decode fills it; for encoding, ntlv 0 means
	 * "the TLVs of has, in RFC order", and a TLV with val NULL is written
	 * from its decoded field.
	 */
	unsigned ntlv;
	struct ldp_tlv tlv[LDP_MAX_TLVS];
};

/*
 * The PDU at the start of buf[0..len): its whole length (header included),
 * 0 if buf holds less than that (more is to come), -1 with err set for a bad
 * version or PDU length.
 */
int ldp_pdu_header(const uint8_t *buf, size_t len, struct ldp_pdu *h, struct ldp_err *err);
/*
 * One message at buf[0..len): the octets it takes, or -1 with err set (err->off
 * counted from buf). Known TLVs are checked and decoded; a message type
 * netsim does not know decodes to its TLVs alone. base is added to err->off
 * (the message's offset in the PDU).
 */
int ldp_msg_decode(const uint8_t *buf, size_t len, size_t base, struct ldp_msg *m,
                   struct ldp_err *err);
/*
 * Every message of a whole PDU p[0..len) (as ldp_pdu_header measured it) into
 * msgs[0..max): their count, or -1 with err set (a PDU with more than max
 * messages is an error too).
 */
int ldp_pdu_decode(const uint8_t *p, size_t len, struct ldp_pdu *h, struct ldp_msg *msgs,
                   unsigned max, struct ldp_err *err);

/* Encoders return the octets written, or 0 if out[0..cap) is too small. */
size_t ldp_msg_encode(uint8_t *out, size_t cap, const struct ldp_msg *m);
/* A PDU of n messages; h->len is computed (h->version too, if 0). */
size_t ldp_pdu_encode(uint8_t *out, size_t cap, const struct ldp_pdu *h, const struct ldp_msg *msgs,
                      unsigned n);

/* "Label Mapping", or NULL for a type netsim does not know (U bit ignored). */
const char *ldp_msg_type_name(uint16_t type);
/* "Shutdown", or NULL (E and F bits ignored). */
const char *ldp_status_name(uint32_t code);
/* "PDU length at offset 2 (Bad PDU Length)". */
void ldp_err_str(const struct ldp_err *err, struct strbuf *sb);

#endif
