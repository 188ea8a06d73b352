/*
 * dissect.h: LDP for `netsim decode` (UDP port 646 for discovery, TCP port
 * 646 for sessions).
 */
#ifndef NETSIM_LDP_DISSECT_H
#define NETSIM_LDP_DISSECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dissect;

/* Register the LDP dissectors (idempotent): the protocol's init hook. */
void ldp_dissect_init(void);
/*
 * Describe the LDP PDUs of a UDP datagram or TCP segment p[0..len). On a
 * stream a PDU may be cut at the segment's end ("[|ldp]"), and a segment
 * that does not start with a PDU header continues an earlier one.
 */
void ldp_dissect_pdus(struct dissect *, const uint8_t *p, size_t len, bool stream);

#endif
