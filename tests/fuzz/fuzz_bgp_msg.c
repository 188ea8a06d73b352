/*
 * fuzz_bgp_msg.c: libFuzzer harness for the BGP-4 message codec
 * (src/proto/bgp/msg.c, update.c), as the protocol and `netsim decode` run
 * it on a received message.
 *
 * Input: one control octet (bit 0: the session has 4-octet ASes, bit 1: the
 * peer is external, bit 2: it reads VPN-IPv4), then one BGP message, header
 * included. Properties
 * checked beyond "no crash, no sanitizer report": every refusal carries a
 * NOTIFICATION code; an accepted OPEN encodes again and decodes to the same
 * capabilities; an accepted UPDATE encodes (to the same session) into
 * messages that decode without a reset, and on a 4-octet session its
 * attributes come back equal; its VPN-IPv4 routes all read, and encode
 * (announced and withdrawn) into messages that decode to as many; the
 * dissector describes the message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/dissect.h"
#include "proto/bgp/dissect.h"
#include "proto/bgp/msg.h"
#include "proto/bgp/vpn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct bgp_pfx wd[BGP_MAX_PFX], nlri[BGP_MAX_PFX], wd2[BGP_MAX_PFX], nlri2[BGP_MAX_PFX];
static uint8_t scratch[BGP_SCRATCH], scratch2[BGP_SCRATCH];
/* A message's VPN-IPv4 routes: at least 12 octets each. */
static struct bgp_vpn_route vpn[BGP_MAX_LEN / 12];

/* The VPN-IPv4 routes of one MP attribute: all read, and re-encoded whole. */
static void
vpn_check(const struct bgp_update *u, const struct bgp_mp_nlri *mp, bool withdraw,
          const struct bgp_codec_ctx *ctx)
{
	struct bgp_update v = {.withdrawn = wd2, .nlri = nlri2};
	uint8_t out[BGP_MAX_LEN];
	size_t off = 0, n = 0, sent = 0, used, len;
	const char *why;
	int rc;

	while ((rc = bgp_vpn_nlri_next(mp->p, mp->len, &off, withdraw, &vpn[n], &why)) > 0)
		if (++n > sizeof vpn / sizeof vpn[0])
			abort();
	if (rc < 0 || n != mp->n)
		abort(); /* the decoder checked the field whole */
	while (sent < n) {
		len = bgp_vpn_update_encode(out, ctx, &u->attr, mp->nexthop, vpn + sent, n - sent,
		                            withdraw, &used);
		if (len == 0)
			return; /* attributes too long to leave room for a route */
		if (bgp_update_decode(out, len, ctx, &v, scratch2) < 0 ||
		    (withdraw ? v.vpn_unreach.n : v.vpn_reach.n) != used)
			abort();
		sent += used;
	}
}

static void
open_check(const uint8_t *m, size_t len)
{
	struct bgp_open o, o2;
	struct bgp_err err;
	uint8_t out[BGP_MAX_LEN];
	size_t n;

	if (bgp_open_decode(m, len, &o, &err) < 0) {
		if (err.code == 0)
			abort();
		return;
	}
	n = bgp_open_encode(out, &o);
	if (n > BGP_MAX_LEN || bgp_open_decode(out, n, &o2, &err) < 0)
		abort();
	if (o2.as4 != o.as4 || o2.cap_rr != o.cap_rr || o2.cap_gr != o.cap_gr ||
	    o2.gr_time != o.gr_time || o2.my_as != o.my_as || o2.id != o.id)
		abort();
}

static void
update_check(const uint8_t *m, size_t len, const struct bgp_codec_ctx *ctx)
{
	struct bgp_update u = {.withdrawn = wd, .nlri = nlri},
	                  v = {.withdrawn = wd2, .nlri = nlri2};
	uint8_t out[BGP_MAX_LEN];
	size_t n, used, sent = 0;

	if (bgp_update_decode(m, len, ctx, &u, scratch) < 0 || u.action != BGP_UPD_OK) {
		if (u.err.code == 0 || u.action == BGP_UPD_OK)
			abort();
		return;
	}
	if (u.vpn) {
		vpn_check(&u, &u.vpn_reach, false, ctx);
		vpn_check(&u, &u.vpn_unreach, true, ctx);
	}
	if (u.nwithdrawn > 0) {
		n = bgp_update_encode(out, ctx, NULL, u.withdrawn, u.nwithdrawn, true, &used);
		if (n == 0 || bgp_update_decode(out, n, ctx, &v, scratch2) < 0 ||
		    v.nwithdrawn != used)
			abort();
	}
	/* The attributes and every NLRI, in as many messages as it takes. */
	do {
		n = bgp_update_encode(out, ctx, u.has_attrs ? &u.attr : NULL, u.nlri + sent,
		                      u.nnlri - sent, false, &used);
		if (n == 0)
			return; /* attributes too long to leave room for a prefix */
		if (bgp_update_decode(out, n, ctx, &v, scratch2) < 0 || v.nnlri != used)
			abort();
		if (ctx->as4 && !ctx->ebgp && u.has_attrs && v.action == BGP_UPD_OK &&
		    !bgp_attr_equal(&u.attr, &v.attr))
			abort();
		sent += used;
	} while (sent < u.nnlri);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bgp_codec_ctx ctx;
	struct bgp_err err;
	struct dissect d;
	uint8_t type, safi, sub;
	uint16_t afi;
	const uint8_t *m;
	size_t len;
	int n;

	if (size < 1)
		return 0;
	ctx = (struct bgp_codec_ctx){
	    .as4 = data[0] & 1, .ebgp = (data[0] >> 1) & 1, .vpnv4 = (data[0] >> 2) & 1};
	m = data + 1;
	len = size - 1;
	n = bgp_msg_header(m, len, &type, &err);
	if (n < 0 && err.code == 0)
		abort();
	open_check(m, len);
	update_check(m, len, &ctx);
	if (bgp_notification_decode(m, len, &err) == 0) {
		uint8_t out[BGP_MAX_LEN];

		if (bgp_notification_encode(out, &err) > len)
			abort();
	}
	(void)bgp_route_refresh_decode(m, len, &afi, &safi, &sub);
	(void)bgp_update_guess_as4(m, len);
	/* The dissector over the same bytes, as a TCP segment's payload. */
	dissect_setup();
	dissect_init(&d);
	dissect_call(&d, DT_TCP_PORT, BGP_PORT, m, len);
	dissect_free(&d);
	return 0;
}
