/*
 * vpn.h: the BGP/MPLS IP VPN part of the codec (RFC 4364, RFC 4760,
 * RFC 8277): route distinguishers, route targets, VPN-IPv4 NLRI (AFI 1,
 * SAFI 128) and the UPDATEs that carry them in MP_REACH_NLRI and
 * MP_UNREACH_NLRI.
 *
 * These are BGP's wire and text forms only: what a VRF imports or exports
 * is for the L3VPN implementation to decide. They live beside the codec
 * (not in src/lib) because only BGP and its VRFs use them; the one text
 * grammar "ADMIN:NUMBER" serves route distinguishers here and the route
 * target and site-of-origin extended communities of policy_comm.c, whose
 * value is laid out as an RD's (RFC 4360 3.1, 3.2, RFC 5668 2).
 *
 * The UPDATE decoder reads VPN-IPv4 only when the session asks for it
 * (bgp_codec_ctx.vpnv4), so that a session that did not negotiate the family
 * skips it as any other family (bgp_update.nmp_skipped).
 */
#ifndef NETSIM_BGP_VPN_H
#define NETSIM_BGP_VPN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msg.h"

struct strbuf;

#define BGP_RD_LEN 8

/* Route distinguisher types (RFC 4364 4.2). */
enum bgp_rd_type { BGP_RD_AS2 = 0, BGP_RD_IP = 1, BGP_RD_AS4 = 2 };

/*
 * A route distinguisher, by field. Types 0-2 as RFC 4364 4.2 lays them
 * out; another type keeps its six value octets as type 1 and 2 do
 * (admin: octets 2-5, num: 6-7), so that it encodes back unchanged.
 */
struct bgp_rd {
	uint16_t type;  /* enum bgp_rd_type */
	uint32_t admin; /* the AS (types 0 and 2) or the IPv4 address (type 1) */
	uint32_t num;   /* the assigned number: 4 octets in type 0, 2 in the others */
};

/*
 * Text as FRR reads it: "65000:1" (type 0), "10.0.0.1:5" (type 1),
 * "4200000000:7" (type 2: an AS above 65535). False with err saying what is
 * wrong ("the number after a 4-octet AS (4200000000) must be at most
 * 65535, not 70000").
 */
bool bgp_rd_parse(const char *s, struct bgp_rd *rd, char *err, size_t errlen);
/* "65000:1", "10.0.0.1:5", "4200000000:7"; another type as "type3:0x000102030405". */
void bgp_rd_str(const struct bgp_rd *rd, struct strbuf *sb);
void bgp_rd_encode(const struct bgp_rd *rd, uint8_t *out);      /* 8 octets */
void bgp_rd_decode(const uint8_t *in, struct bgp_rd *rd);       /* 8 octets: every type reads */
int bgp_rd_cmp(const struct bgp_rd *a, const struct bgp_rd *b); /* the wire octets' order */

/*
 * Extended communities that carry an "ADMIN:NUMBER" value (RFC 4360 3.1, 3.2,
 * RFC 5668): type 0x00, 0x01 or 0x02 (the RD type), subtype below.
 */
#define BGP_ECOMM_RT  0x02 /* route target (RFC 4360 4) */
#define BGP_ECOMM_SOO 0x03 /* route origin, "site of origin" (RFC 4360 5) */
/* rd's value as an extended community of this subtype (RD types 0-2). */
void bgp_ecomm_from_rd(const struct bgp_rd *rd, uint8_t subtype, uint8_t *e);
/* The value of e as an RD of the same type; false for a type other than 0x00-0x02. */
bool bgp_ecomm_to_rd(const uint8_t *e, struct bgp_rd *rd);
/* Route targets: "65000:1", "10.0.0.1:1", "4200000000:1" as RDs are read; e is 8 octets. */
bool bgp_rt_parse(const char *s, uint8_t *e, char *err, size_t errlen);
bool bgp_rt_is(const uint8_t *e);
/* "65000:1" (bgp_ecomm_str prints "RT:65000:1"); false, writing nothing, if e is no RT. */
bool bgp_rt_str(const uint8_t *e, struct strbuf *sb);

/*
 * One VPN-IPv4 route (RFC 4364 4.3.4, RFC 8277 2.2): its label stack (20-bit
 * values, the last one at the bottom), RD and IPv4 prefix. Withdrawn routes
 * have no labels (nlabels 0).
 */
#define BGP_VPN_MAX_LABELS 7         /* what a length octet allows: 7 * 24 + 64 <= 255 */
#define BGP_LABEL_WITHDRAW 0x800000u /* RFC 8277 2.4: the label field of a withdrawal */
struct bgp_vpn_route {
	struct bgp_rd rd;
	struct bgp_pfx pfx;
	uint8_t nlabels;
	uint32_t labels[BGP_VPN_MAX_LABELS];
};

/*
 * A VPN-IPv4 NLRI field, whole: routes one after another. Decoding:
 * bgp_vpn_nlri_next reads the route at *off (withdraw: the label field is
 * RFC 8277 2.4's, 0x800000 or the labels as announced); 1 with r filled and
 * *off advanced, 0 at the end, -1 with *why naming the fault (a length past
 * the field, under a label and an RD, a prefix over 32 bits once labels and
 * RD are taken, no bottom of stack within the length, too many labels).
 * Trailing prefix bits are masked off, as for IPv4 (RFC 4271 4.3).
 */
int bgp_vpn_nlri_next(const uint8_t *p, size_t len, size_t *off, bool withdraw,
                      struct bgp_vpn_route *r, const char **why);
/*
 * Encoding: as many of r[0..n) as fit cap octets at out; returns the octets
 * written and sets *used. A withdrawal carries 0x800000 for its labels.
 * Labels are taken modulo 2^20, TC 0, the last one with the S bit. An
 * announced route has 1 to 7 labels and at most 255 bits in all (else bug()).
 */
size_t bgp_vpn_nlri_put(uint8_t *out, size_t cap, const struct bgp_vpn_route *r, size_t n,
                        bool withdraw, size_t *used);

/*
 * An MP_REACH_NLRI or MP_UNREACH_NLRI value (RFC 4760 3, 4) for VPN-IPv4,
 * checked whole: AFI 1, SAFI 128, a 12-octet next hop of RD and IPv4
 * (RFC 4364 4.3.2; the RD, 0 on the wire, is not checked), then the NLRI.
 * 0, or -1 with *why naming the field.
 */
int bgp_vpn_mp_decode(uint8_t type, const uint8_t *v, size_t len, struct bgp_mp_nlri *mp,
                      const char **why);

/*
 * UPDATEs of VPN-IPv4 routes: with withdraw false, the attributes of a (its
 * NEXT_HOP left out: the next hop is MP_REACH's, nexthop here) and an
 * MP_REACH_NLRI of as many of r[0..n) as fit 4096 octets; with withdraw, an
 * MP_UNREACH_NLRI alone (a is ignored, may be NULL). Returns the message
 * length, *used the routes it carries; 0 when the attributes leave no room
 * for a route. A withdrawal of no routes is VPN-IPv4's End-of-RIB (RFC 4724 2).
 */
size_t bgp_vpn_update_encode(uint8_t *out, const struct bgp_codec_ctx *ctx,
                             const struct bgp_attr *a, uint32_t nexthop,
                             const struct bgp_vpn_route *r, size_t n, bool withdraw, size_t *used);

#endif
