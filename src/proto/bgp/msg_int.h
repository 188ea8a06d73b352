/*
 * msg_int.h: what the BGP codec's files (msg.c, update.c) share and nothing
 * else needs: fixed lengths (RFC 4271 4) and the framing helpers.
 */
#ifndef NETSIM_BGP_MSG_INT_H
#define NETSIM_BGP_MSG_INT_H

#include <stddef.h>
#include <stdint.h>

#include "msg.h"

#define BGP_OPEN_MIN         29 /* header + version, AS, hold, ID, optional parameters length */
#define BGP_UPDATE_MIN       23 /* header + two 2-octet lengths */
#define BGP_NOTIFICATION_MIN 21 /* header + code, subcode */
#define BGP_RR_LEN           23 /* header + AFI, subtype, SAFI */

/* Write a header for a message of len octets; returns BGP_HDR_LEN. */
size_t bgp_hdr_put(uint8_t *out, size_t len, uint8_t type);
/* m[0..len) must be exactly one message of this type (header checked): 0, or -1 with err. */
int bgp_msg_whole(const uint8_t *m, size_t len, uint8_t type, struct bgp_err *err);

#endif
