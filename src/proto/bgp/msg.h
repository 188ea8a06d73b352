/*
 * msg.h: the BGP-4 message codec (RFC 4271 4, RFC 4760, RFC 6793, RFC 2918,
 * RFC 5492, RFC 7606), shared by the protocol and `netsim decode`.
 *
 * Decoding never trusts a length: every read is bounds-checked and a fault
 * is reported as the NOTIFICATION the RFC prescribes (code, subcode, data),
 * or, for UPDATE attributes, as the RFC 7606 action (treat-as-withdraw,
 * attribute discard, session reset). Encoding produces exactly the bytes
 * a real speaker sends (attributes in type order, extended length only
 * when needed), so that a supported message decoded and re-encoded gives
 * back the same bytes.
 */
#ifndef NETSIM_BGP_MSG_H
#define NETSIM_BGP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attr.h"

#define BGP_PORT       179
#define BGP_HDR_LEN    19
#define BGP_MAX_LEN    4096
#define BGP_VERSION    4
#define BGP_AS_TRANS   23456 /* RFC 6793 9: stands for a 4-octet AS on a 2-octet session */

enum bgp_msg_type {
	BGP_OPEN = 1, BGP_UPDATE = 2, BGP_NOTIFICATION = 3, BGP_KEEPALIVE = 4, BGP_ROUTE_REFRESH = 5,
};

/* NOTIFICATION error codes and subcodes (RFC 4271 4.5, 6; RFC 4486 for Cease). */
enum {
	BGP_ERR_HEADER = 1, BGP_ERR_OPEN = 2, BGP_ERR_UPDATE = 3, BGP_ERR_HOLD = 4, BGP_ERR_FSM = 5,
	BGP_ERR_CEASE = 6, BGP_ERR_ROUTE_REFRESH = 7,
};
enum { BGP_HDR_SYNC = 1, BGP_HDR_BAD_LEN = 2, BGP_HDR_BAD_TYPE = 3 };
enum {
	BGP_OPEN_UNSPECIFIC = 0, BGP_OPEN_AUTH = 5,
	BGP_OPEN_BAD_VERSION = 1, BGP_OPEN_BAD_AS = 2, BGP_OPEN_BAD_ID = 3, BGP_OPEN_BAD_PARAM = 4,
	BGP_OPEN_BAD_HOLD = 6, BGP_OPEN_BAD_CAP = 7, BGP_OPEN_ROLE_MISMATCH = 11,
};
enum {
	BGP_UPD_MALFORMED_ATTRS = 1, BGP_UPD_UNKNOWN_WELLKNOWN = 2, BGP_UPD_MISSING_WELLKNOWN = 3,
	BGP_UPD_ATTR_FLAGS = 4, BGP_UPD_ATTR_LEN = 5, BGP_UPD_BAD_ORIGIN = 6, BGP_UPD_BAD_NEXTHOP = 8,
	BGP_UPD_OPT_ATTR = 9, BGP_UPD_BAD_NETWORK = 10, BGP_UPD_BAD_ASPATH = 11,
	BGP_UPD_AS_LOOP = 7,
};
/* Finite state machine errors (RFC 6608) and ROUTE-REFRESH errors (RFC 7313 5). */
enum { BGP_FSM_OPENSENT = 1, BGP_FSM_OPENCONFIRM = 2, BGP_FSM_ESTABLISHED = 3 };
enum { BGP_RR_BAD_LEN = 1 };
/* ROUTE-REFRESH subtypes (RFC 7313 3). */
enum { BGP_RR_NORMAL = 0, BGP_RR_BORR = 1, BGP_RR_EORR = 2 };
enum {
	BGP_CEASE_MAX_PREFIX = 1, BGP_CEASE_ADMIN_SHUTDOWN = 2, BGP_CEASE_PEER_DECONFIG = 3,
	BGP_CEASE_ADMIN_RESET = 4, BGP_CEASE_REJECTED = 5, BGP_CEASE_CONFIG_CHANGE = 6,
	BGP_CEASE_COLLISION = 7, BGP_CEASE_RESOURCES = 8, BGP_CEASE_HARD_RESET = 9,
	BGP_CEASE_BFD_DOWN = 10,
};

/* Capability codes (IANA). */
enum {
	BGP_CAP_MP = 1, BGP_CAP_ROUTE_REFRESH = 2, BGP_CAP_ROLE = 9, BGP_CAP_GR = 64, BGP_CAP_AS4 = 65,
	BGP_CAP_ADDPATH = 69, BGP_CAP_ENHANCED_RR = 70, BGP_CAP_RR_OLD = 128,
};

/* Graceful restart flags (RFC 4724 3; N is RFC 8538's): of bgp_open.gr_flags, and of a family's. */
#define BGP_GR_FLAG_R 0x8  /* Restart State */
#define BGP_GR_FLAG_N 0x4  /* Graceful Notification */
#define BGP_GR_AFI_F  0x80 /* Forwarding State, in gr_afi[].flags */

/* BGP Roles (RFC 9234 4.1): what the sender is to the receiver. */
enum bgp_role { BGP_ROLE_PROVIDER = 0, BGP_ROLE_RS = 1, BGP_ROLE_RS_CLIENT = 2, BGP_ROLE_CUSTOMER = 3,
	BGP_ROLE_PEER = 4 };

/* AFI/SAFI (RFC 4760). */
#define BGP_AFI_IPV4      1
#define BGP_SAFI_UNICAST  1
#define BGP_SAFI_MPLS_VPN 128

/* A NOTIFICATION to send (or received): code 0 means none. */
struct bgp_err {
	uint8_t code, subcode;
	uint16_t dlen;
	uint8_t data[64];  /* the offending field, truncated if longer */
};

/* OPEN (RFC 4271 4.2) with the capabilities netsim understands (RFC 5492). */
struct bgp_open {
	uint8_t version;
	uint16_t my_as;          /* the 2-octet field (AS_TRANS for a 4-octet AS) */
	uint16_t hold;           /* seconds */
	uint32_t id;             /* BGP Identifier */
	uint32_t as4;            /* capability 65's AS (0: capability absent) */
	bool cap_rr;             /* route refresh (2, or 128 the pre-standard code) */
	bool cap_enhanced_rr;
	bool cap_gr;             /* graceful restart advertised */
	uint16_t gr_time;        /* its restart time */
	uint8_t gr_flags;        /* restart state bit etc. (high 4 bits of the 2 octets) */
	uint8_t nafi;            /* multiprotocol capabilities */
	struct { uint16_t afi; uint8_t safi; } afi[8];
	bool caps_present;       /* any capability optional parameter at all */
	bool has_role;           /* BGP Role (RFC 9234 4.1) */
	uint8_t role;            /* enum bgp_role */
	/* Graceful restart's per-family entries (RFC 4724 3). */
	uint8_t ngr_afi;
	struct { uint16_t afi; uint8_t safi, flags; } gr_afi[8];
	/*
	 * The capabilities in wire order, each with the number of the optional
	 * parameter that carried it (decode fills this; unknown codes are listed
	 * too). Encoding with ncaps > 0 follows it (MP entries take afi[] in turn;
	 * codes netsim does not know are left out), so that a decoded OPEN encodes
	 * to the same bytes; with ncaps 0 the encoder writes one parameter with
	 * MP, route refresh, enhanced route refresh, graceful restart and 4-octet AS.
	 */
	uint8_t ncaps;
	struct { uint8_t code, param; } caps[32];
};

/* One IPv4 prefix of an NLRI or withdrawn list. */
struct bgp_pfx {
	uint32_t addr;
	uint8_t len;
};

/*
 * The NLRI field of an MP attribute of a family that is read apart
 * (VPN-IPv4: vpn.h), checked whole when the UPDATE is decoded; its routes
 * are read with that family's cursor (bgp_vpn_nlri_next).
 */
struct bgp_mp_nlri {
	const uint8_t *p; /* inside the message */
	size_t len;
	size_t n;         /* routes */
	uint32_t nexthop; /* MP_REACH's IPv4 next hop */
};

/* What RFC 7606 says to do with a whole UPDATE. */
enum bgp_upd_action {
	BGP_UPD_OK,               /* use it (attributes may have been discarded: see ndiscarded) */
	BGP_UPD_TREAT_AS_WITHDRAW,/* withdraw every NLRI it announces (RFC 7606 2) */
	BGP_UPD_RESET,            /* send err and reset the session */
};

/* A decoded UPDATE: attributes parsed on the stack, arrays pointing into the message. */
struct bgp_update {
	size_t nwithdrawn, nnlri;     /* IPv4 unicast: withdrawn routes and NLRI (incl. MP_*) */
	struct bgp_pfx *withdrawn;    /* caller-provided arrays (see bgp_update_decode) */
	struct bgp_pfx *nlri;
	bool has_attrs;               /* path attributes present (end-of-RIB is an empty UPDATE) */
	struct bgp_attr attr;         /* arrays point into the message or scratch */
	enum bgp_upd_action action;
	unsigned ndiscarded;          /* attributes discarded (RFC 7606 attribute discard) */
	struct bgp_err err;           /* the reason for TREAT_AS_WITHDRAW / RESET */
	bool mp;                      /* MP_REACH or MP_UNREACH for IPv4 unicast was present */
	unsigned nmp_skipped;         /* MP_REACH/MP_UNREACH of other AFI/SAFIs, skipped */
	/* VPN-IPv4 (AFI 1 SAFI 128, only with ctx->vpnv4): routes announced and withdrawn. */
	bool vpn;                     /* MP_REACH or MP_UNREACH for VPN-IPv4 was present */
	struct bgp_mp_nlri vpn_reach, vpn_unreach;
	const char *detail;           /* a fault of an MP attribute in words, else NULL */
};

/* What a session tells the codec about the peer. */
struct bgp_codec_ctx {
	bool as4;          /* both sides sent capability 65: 4-octet AS_PATH */
	bool ebgp;         /* LOCAL_PREF from an external peer is discarded (RFC 7606 7.5) */
	uint32_t local_as; /* for AS4_PATH merging and checks */
	bool vpnv4;        /* read VPN-IPv4 MP attributes (vpn.h); else skipped as other families */
};

/*
 * Header (RFC 4271 4.1): the length and type of the message at buf, once
 * len >= BGP_HDR_LEN. Returns the message length, 0 if more bytes are
 * needed, -1 with err set for a bad marker, length or type.
 * A header is checked as soon as its 19 octets are there (marker, length
 * within 19..4096 and the type's minimum or exact length as RFC 4271 6.1
 * says, known type); the length is returned only once all len octets of
 * the message are at buf (0 until then), so a caller never reads past len.
 * A ROUTE-REFRESH whose length is not 23 gives the RFC 7313 5 error.
 */
int bgp_msg_header(const uint8_t *buf, size_t len, uint8_t *type, struct bgp_err *err);

/* Decoders take a whole message (header included); 0, or -1 with err set. */
int bgp_open_decode(const uint8_t *m, size_t len, struct bgp_open *o, struct bgp_err *err);
/*
 * UPDATE: withdrawn and nlri must have room for maxpfx prefixes each
 * (a 4096-octet message holds at most 4096/1 ... BGP_MAX_PFX); scratch holds
 * the 4-octet AS path made from a 2-octet one (BGP_SCRATCH octets).
 */
#define BGP_MAX_PFX 4096
/*
 * Scratch: unknown transitive attributes (at most the message) plus the
 * path widened to 4 octets per AS (at most twice the message).
 */
#define BGP_SCRATCH 8192
/*
 * Returns 0 with u->action OK or TREAT_AS_WITHDRAW (u->nlri then lists what
 * to withdraw: the NLRI field's prefixes, then MP_REACH's; with ctx->vpnv4,
 * u->vpn_reach's routes too), or -1 with
 * action RESET; u->err says why. u->attr's arrays point into m and scratch,
 * which must outlive its use (intern it to keep it).
 */
int bgp_update_decode(const uint8_t *m, size_t len, const struct bgp_codec_ctx *ctx,
    struct bgp_update *u, uint8_t *scratch);
/* -1: n is the header error to send back. */
int bgp_notification_decode(const uint8_t *m, size_t len, struct bgp_err *n);
/* -1: a bad header or length (bgp_msg_header gives the NOTIFICATION). */
int bgp_route_refresh_decode(const uint8_t *m, size_t len, uint16_t *afi, uint8_t *safi,
    uint8_t *subtype);

/* Encoders write a whole message into out (cap octets, at most BGP_MAX_LEN); they return its length. */
size_t bgp_open_encode(uint8_t *out, const struct bgp_open *o);
size_t bgp_keepalive_encode(uint8_t *out);
size_t bgp_notification_encode(uint8_t *out, const struct bgp_err *n);
size_t bgp_route_refresh_encode(uint8_t *out, uint16_t afi, uint8_t safi, uint8_t subtype);
/*
 * UPDATE packing: the path attributes of a (NULL: a withdraw-only message)
 * then as many of nlri[] (or, with withdraw, of the withdrawn prefixes) as
 * fit into BGP_MAX_LEN. Returns the message length and sets *used to the
 * number of prefixes it carries; the caller loops until all are sent.
 * ctx->as4 false converts the path to AS_PATH (2-octet, AS_TRANS) + AS4_PATH.
 * Returns 0 (and *used 0) when the attributes do not fit a message or leave
 * no room for one of n > 0 prefixes.
 */
size_t bgp_update_encode(uint8_t *out, const struct bgp_codec_ctx *ctx, const struct bgp_attr *a,
    const struct bgp_pfx *pfx, size_t n, bool withdraw, size_t *used);
/* End-of-RIB marker for IPv4 unicast (RFC 4724 2): an empty UPDATE. */
size_t bgp_eor_encode(uint8_t *out);

/* Set an error (data truncated to its 64 octets). */
void bgp_err_set(struct bgp_err *err, uint8_t code, uint8_t subcode, const uint8_t *data,
    size_t dlen);
/* "Cease/Administrative Shutdown", as FRR prints a NOTIFICATION. */
void bgp_err_str(const struct bgp_err *err, struct strbuf *sb);
/*
 * Does this UPDATE's AS_PATH read as 4-octet ASes (and not as 2-octet)? For
 * decoding a capture without its OPENs, as Wireshark guesses; true when
 * there is no AS_PATH or both readings work.
 */
bool bgp_update_guess_as4(const uint8_t *m, size_t len);
/* A capability code's name: "multiprotocol", "route-refresh", "4-octet-as", ...; NULL if unknown. */
const char *bgp_cap_name(uint8_t code);

/* Names for show and traces: "OPEN", "Cease/Administrative Shutdown", ... */
const char *bgp_msg_type_name(uint8_t type);
const char *bgp_err_code_name(uint8_t code);
const char *bgp_err_subcode_name(uint8_t code, uint8_t subcode);

#endif
