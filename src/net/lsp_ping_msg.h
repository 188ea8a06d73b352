/*
 * lsp_ping_msg.h: the MPLS echo request and reply (RFC 8029 3): the
 * fixed header, the Target FEC Stack TLV with an LDP IPv4 prefix sub-TLV
 * (3.2.1), and the Interface and Label Stack TLV (3.8). Shared by the
 * sender and responder (lsp_ping.c) and the decoder (dissect_lsp_ping.c).
 */
#ifndef NETSIM_LSP_PING_MSG_H
#define NETSIM_LSP_PING_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/ip.h"
#include "rib.h"

#define LSPP_VERSION     1
#define LSPP_MSG_REQUEST 1 /* message types */
#define LSPP_MSG_REPLY   2
#define LSPP_MODE_NONE   1 /* reply modes (3): do not reply */
#define LSPP_MODE_UDP    2 /* reply via an IPv4/IPv6 UDP packet */
#define LSPP_MODE_UDP_RA 3 /* the same, with router alert */
#define LSPP_HDR_LEN     32
#define LSPP_TS_SENT     16 /* offsets of the timestamps in the header */
#define LSPP_TS_RCVD     24

#define LSPP_TLV_FEC     1  /* Target FEC Stack */
#define LSPP_TLV_ILS     7  /* Interface and Label Stack */
#define LSPP_FEC_LDP4    1  /* LDP IPv4 prefix sub-TLV */
#define LSPP_ADDR_IPV4   1  /* Interface and Label Stack: IPv4 numbered */

/* What the largest message this code builds needs. */
#define LSPP_MSG_MAX (LSPP_HDR_LEN + 4 + 12 + 4 + 12 + 4 * LABEL_STACK_MAX)

struct lsp_echo {
	uint16_t version, flags;
	uint8_t type, mode, rc, rsc;
	uint32_t handle, seq;
	uint64_t ts_sent, ts_rcvd; /* NTP timestamps as on the wire */
	bool have_fec;          /* an LDP IPv4 prefix at the top of a Target FEC Stack */
	struct prefix fec;
	uint16_t fec_subtype;   /* the first sub-TLV's type, whatever it is */
	bool unknown_tlv;       /* a mandatory TLV (type < 32768) this code does not know */
	bool have_stack;        /* Interface and Label Stack */
	uint32_t rx_addr;
	uint8_t nlabels;        /* label stack entries as received (all 32 bits) */
	uint32_t labels[LABEL_STACK_MAX];
};

/* Write m into p (LSPP_MSG_MAX octets); returns its length. */
size_t lsp_echo_build(const struct lsp_echo *m, uint8_t *p);
/* Read a message; 0, or -1 when it is too short, its version is not 1 or a TLV overruns it. */
int lsp_echo_parse(const uint8_t *p, size_t len, struct lsp_echo *m);
/* RFC 8029 3.1's text for a return code; Cisco's one-letter code (ping's '!', 'R'...). */
const char *lsp_rc_text(uint8_t rc);
char lsp_rc_char(uint8_t rc);

#endif
