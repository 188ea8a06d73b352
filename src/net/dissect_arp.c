/*
 * dissect_arp.c: ARP (RFC 826), and RARP (RFC 903) and InARP (RFC 2390),
 * which share its format.
 *
 * The hardware and protocol address lengths are taken from the packet, not
 * assumed to be 6 and 4: a packet is well formed when the four addresses
 * those lengths announce fit in it, whatever the hardware type.
 */
#include "../lib/buf.h"
#include "../lib/ip.h"
#include "dissect.h"
#include "dissect_int.h"

#define ARP_HLEN 8 /* htype(2) ptype(2) hlen(1) plen(1) op(2) */

/* A hardware address: a MAC when it has 6 octets, colon-separated hex otherwise. */
static void
hw_addr(struct dissect *d, const uint8_t *a, size_t n)
{
	size_t i;

	if (n == 6) {
		dissect_add(d, "%s", mac_str(a));
		return;
	}
	if (n == 0)
		dissect_add(d, "(none)");
	for (i = 0; i < n; i++)
		dissect_add(d, "%s%02x", i ? ":" : "", a[i]);
}

/* A protocol address: dotted quad for IPv4, hex otherwise. */
static void
proto_addr(struct dissect *d, uint16_t ptype, const uint8_t *a, size_t n)
{
	if (ptype == 0x0800 && n == 4)
		dissect_add(d, "%s", ip_str(get32(a)));
	else
		hw_addr(d, a, n);
}

static void
arp(struct dissect *d, const uint8_t *p, size_t len)
{
	uint16_t htype, ptype, op;
	const uint8_t *sha, *spa, *tha, *tpa;
	size_t hlen, plen;

	if (!dissect_need(d, "ARP", len, ARP_HLEN))
		return;
	htype = get16(p);
	ptype = get16(p + 2);
	hlen = p[4];
	plen = p[5];
	op = get16(p + 6);
	if (!dissect_need(d, "ARP", len, ARP_HLEN + 2 * (hlen + plen)))
		return;
	d->known = true;
	sha = p + ARP_HLEN;
	spa = sha + hlen;
	tha = spa + plen;
	tpa = tha + hlen;
	if (op == 1) {
		dissect_add(d, "ARP who-has ");
		proto_addr(d, ptype, tpa, plen);
		dissect_add(d, " tell ");
		proto_addr(d, ptype, spa, plen);
	} else if (op == 2) {
		dissect_add(d, "ARP ");
		proto_addr(d, ptype, spa, plen);
		dissect_add(d, " is-at ");
		hw_addr(d, sha, hlen);
	} else if (op == 3) {
		dissect_add(d, "RARP who-is ");
		hw_addr(d, tha, hlen);
		dissect_add(d, " tell ");
		hw_addr(d, sha, hlen);
	} else if (op == 4) {
		dissect_add(d, "RARP ");
		hw_addr(d, tha, hlen);
		dissect_add(d, " at ");
		proto_addr(d, ptype, tpa, plen);
	} else if (op == 8) {
		dissect_add(d, "InARP who-is ");
		hw_addr(d, tha, hlen);
		dissect_add(d, " tell ");
		proto_addr(d, ptype, spa, plen);
	} else if (op == 9) {
		dissect_add(d, "InARP ");
		hw_addr(d, sha, hlen);
		dissect_add(d, " at ");
		proto_addr(d, ptype, spa, plen);
	} else {
		dissect_add(d, "ARP op %u", op);
	}
	if (d->verbose || htype != 1 || ptype != 0x0800 || hlen != 6 || plen != 4)
		dissect_add(d, " (hardware %u len %zu, protocol 0x%04x len %zu)", htype, hlen,
		    ptype, plen);
}

void
dissect_arp_setup(void)
{
	dissect_register(DT_ETHERTYPE, 0x0806, arp);
	dissect_register(DT_ETHERTYPE, 0x8035, arp);
}
