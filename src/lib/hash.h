/*
 * hash.h: message digests, MD5 (RFC 1321) and SHA-1, SHA-256, SHA-384,
 * SHA-512 (FIPS 180-4), and HMAC over any of them (RFC 2104): OSPF's keyed
 * MD5 and HMAC-SHA authentication (RFC 2328 D.4.3, RFC 5709). Not for
 * anything that needs MD5's or SHA-1's collision resistance.
 */
#ifndef NETSIM_HASH_H
#define NETSIM_HASH_H

#include <stddef.h>
#include <stdint.h>

enum hash_alg { HASH_MD5, HASH_SHA1, HASH_SHA256, HASH_SHA384, HASH_SHA512 };

#define HASH_MAX_LEN   64  /* bytes of the longest digest (SHA-512) */
#define HASH_MAX_BLOCK 128 /* bytes of the largest block (SHA-384/512) */

/* A running digest of any of the algorithms. */
struct hash {
	enum hash_alg alg;
	union {
		struct {
			uint32_t h[8];
			uint64_t len;
			uint8_t buf[64];
			size_t nbuf;
		} s32; /* MD5, SHA-1, SHA-256 */
		struct {
			uint64_t h[8];
			uint64_t len;
			uint8_t buf[128];
			size_t nbuf;
		} s64; /* SHA-384, SHA-512 */
	} u;
};

size_t hash_len(enum hash_alg);
size_t hash_block(enum hash_alg);
void hash_init(struct hash *, enum hash_alg);
void hash_update(struct hash *, const void *, size_t);
void hash_final(struct hash *, uint8_t *out); /* hash_len() bytes */

/* RFC 2104: HMAC of the concatenation of parts[0..n) (lengths lens[]) under key. */
void hmac(enum hash_alg, const uint8_t *key, size_t keylen, const void *const *parts,
          const size_t *lens, int n, uint8_t *out);

#endif
