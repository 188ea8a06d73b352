/*
 * md5.h: the MD5 message digest (RFC 1321), for OSPF cryptographic
 * authentication (RFC 2328 D.4.3) and any other protocol that keys its
 * packets with it. Not for anything that needs collision resistance.
 */
#ifndef NETSIM_MD5_H
#define NETSIM_MD5_H

#include <stddef.h>
#include <stdint.h>

#define MD5_LEN 16

struct md5 {
	uint32_t h[4];
	uint64_t len; /* bytes so far */
	uint8_t buf[64];
	size_t nbuf;
};

void md5_init(struct md5 *);
void md5_update(struct md5 *, const void *, size_t);
void md5_final(struct md5 *, uint8_t out[MD5_LEN]);

#endif
