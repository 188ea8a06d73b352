/*
 * cksum.h: the checksums netsim puts on the wire.
 *
 * inet_cksum: the Internet checksum (RFC 1071), for IPv4, ICMP, UDP, TCP, OSPF.
 * fletcher_*: the ISO 8473 Fletcher checksum used by OSPF LSAs (RFC 2328 12.1.7)
 * and IS-IS LSPs (ISO 10589 7.3.11).
 */
#ifndef NETSIM_CKSUM_H
#define NETSIM_CKSUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One's-complement sum, not yet folded or inverted; chain with the init argument. */
uint32_t inet_sum(const uint8_t *p, size_t len, uint32_t init);
uint16_t inet_fold(uint32_t sum); /* fold and invert -> checksum field value */
uint16_t inet_cksum(const uint8_t *p, size_t len);
/* Sum of the IPv4 pseudo-header (RFC 768, RFC 793 3.1). */
uint32_t inet_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);

/*
 * Compute the Fletcher checksum of p[0..len) whose two checksum octets sit at
 * offset off, and store them there. Returns the stored value.
 */
uint16_t fletcher_set(uint8_t *p, size_t len, size_t off);
/* True when p[0..len) carries a valid Fletcher checksum (C0 == C1 == 0). */
bool fletcher_ok(const uint8_t *p, size_t len);

#endif
