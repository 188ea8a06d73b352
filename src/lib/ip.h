/*
 * ip.h: IPv4 addresses and prefixes, parsed and formatted.
 *
 * Addresses are uint32_t in host order everywhere inside netsim; codecs convert
 * at the wire with get32/put32.
 */
#ifndef NETSIM_IP_H
#define NETSIM_IP_H

#include <stdbool.h>
#include <stdint.h>

struct prefix {
	uint32_t addr; /* host order, masked */
	uint8_t len;
};

#define IP_STRLEN  16
#define PFX_STRLEN 24

static inline uint32_t
ip_mask(unsigned len)
{
	return len == 0 ? 0 : 0xffffffffu << (32 - len);
}

static inline bool
prefix_contains(const struct prefix *p, uint32_t a)
{
	return (a & ip_mask(p->len)) == p->addr;
}

static inline bool
prefix_eq(const struct prefix *a, const struct prefix *b)
{
	return a->addr == b->addr && a->len == b->len;
}

#define IP_BROADCAST 0xffffffffu /* the limited broadcast address (RFC 919) */

/* 224.0.0.0/4 (RFC 5771). */
static inline bool
ip_is_multicast(uint32_t a)
{
	return (a >> 28) == 0xe;
}

/*
 * Why a cannot name one device (an interface address, a gateway, a router
 * ID), or NULL if it can: "the unspecified address" (0.0.0.0, which means "no
 * address" everywhere in netsim), "the limited broadcast address"
 * (255.255.255.255) or "a multicast address" (RFC 1122 3.2.1.3, RFC 5771).
 */
const char *ip_not_unicast(uint32_t a);

/*
 * For an address on a subnet of length len: "network" or "broadcast" if a is
 * its subnet's network or broadcast address, else NULL. Subnets of /31
 * (RFC 3021) and /32 have neither, and /0 is no subnet to have them.
 */
const char *ip_subnet_role(uint32_t a, unsigned len);

bool ip_parse(const char *s, uint32_t *out);
/* "a.b.c.d/len" -> address (unmasked) and length. */
bool ip_plen_parse(const char *s, uint32_t *addr, uint8_t *len);
/* "a.b.c.d/len" -> masked prefix; also accepts a bare address as /32. */
bool prefix_parse(const char *s, struct prefix *out);
const char *ip_fmt(uint32_t a, char buf[IP_STRLEN]);
const char *prefix_fmt(const struct prefix *p, char buf[PFX_STRLEN]);
/* Returns a static rotating buffer: fine for a few per printf. */
const char *ip_str(uint32_t a);
const char *prefix_str(const struct prefix *p);
int mask_to_len(uint32_t mask); /* -1 if not contiguous */
int prefix_cmp(const struct prefix *a, const struct prefix *b);

/* Ethernet MAC addresses. */
const char *mac_str(const uint8_t mac[6]);
bool mac_parse(const char *s, uint8_t mac[6]);

#endif
