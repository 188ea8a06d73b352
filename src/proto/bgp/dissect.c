/*
 * dissect.c: BGP-4 for `netsim decode` (TCP port 179).
 *
 * A segment carries any number of messages, and a message may continue in
 * the next segment: each whole message is decoded with the codec the
 * protocol uses (msg.c, update.c), so the decoder rejects what netsim's BGP
 * would (a bad marker, length or type, an OPEN or UPDATE error, an UPDATE
 * that RFC 7606 treats as withdrawn); a message cut at the segment's end
 * is noted "[|bgp]", and a segment that does not start with a marker is
 * the continuation of an earlier one. Without the OPENs, whether AS paths
 * have 2- or 4-octet ASes is guessed from the path, as Wireshark does.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/ip.h"
#include "../../lib/strbuf.h"
#include "../../lib/util.h"
#include "../../net/dissect.h"
#include "dissect.h"
#include "msg.h"
#include "vpn.h"

/* Prefixes listed before "..." (all of them with -v). */
#define PFX_SHOWN 8

static void
add_pfxs(struct dissect *d, const char *what, const struct bgp_pfx *p, size_t n)
{
	size_t shown = d->verbose || n <= PFX_SHOWN ? n : PFX_SHOWN;

	if (n == 0)
		return;
	dissect_add(d, " %s", what);
	for (size_t i = 0; i < shown; i++)
		dissect_add(d, " %s/%u", ip_str(p[i].addr), p[i].len);
	if (shown < n)
		dissect_add(d, " ... (%zu more)", n - shown);
}

/* The codec's error; detail, if not NULL, says which field (bgp_update.detail). */
static void
add_err_detail(struct dissect *d, const char *what, const struct bgp_err *e, const char *detail)
{
	struct strbuf sb;

	sb_init(&sb);
	bgp_err_str(e, &sb);
	dissect_error(d, "BGP: %s: %s (%u/%u)%s%s", what, sb_str(&sb), e->code, e->subcode,
	              detail != NULL ? ": " : "", detail != NULL ? detail : "");
	sb_free(&sb);
}

static void
add_err(struct dissect *d, const char *what, const struct bgp_err *e)
{
	add_err_detail(d, what, e, NULL);
}

static void
open_dissect(struct dissect *d, const uint8_t *m, size_t len)
{
	struct bgp_open o;
	struct bgp_err err;
	unsigned mp = 0;

	if (bgp_open_decode(m, len, &o, &err) < 0) {
		add_err(d, "OPEN", &err);
		return;
	}
	dissect_add(d, " as %u hold %u id %s", o.my_as, o.hold, ip_str(o.id));
	for (unsigned i = 0; i < o.ncaps; i++) {
		uint8_t c = o.caps[i].code;
		const char *name = bgp_cap_name(c);

		dissect_add(d, "%s", i == 0 ? " caps " : ",");
		if (name == NULL)
			dissect_add(d, "%u", c);
		else
			dissect_add(d, "%s", name);
		if (c == BGP_CAP_MP && mp < o.nafi) {
			dissect_add(d, " %u/%u", o.afi[mp].afi, o.afi[mp].safi);
			mp++;
		} else if (c == BGP_CAP_AS4) {
			dissect_add(d, " %u", o.as4);
		} else if (c == BGP_CAP_GR) {
			/* RFC 4724 3: Restart Time, R and N flags; per family AFI/SAFI and its F bit. */
			dissect_add(d, " %us%s%s", o.gr_time, o.gr_flags & BGP_GR_FLAG_R ? " R" : "",
			    o.gr_flags & BGP_GR_FLAG_N ? " N" : "");
			for (unsigned k = 0; k < o.ngr_afi; k++)
				dissect_add(d, " %u/%u%s", o.gr_afi[k].afi, o.gr_afi[k].safi,
				    o.gr_afi[k].flags & BGP_GR_AFI_F ? " F" : "");
		}
	}
}

static void
attr_dissect(struct dissect *d, const struct bgp_attr *a)
{
	struct strbuf sb;

	sb_init(&sb);
	dissect_add(d, " origin %s", bgp_origin_name(a->origin));
	bgp_aspath_str(a->aspath, a->aspath_len, &sb);
	dissect_add(d, " as-path [%s]", sb_str(&sb));
	if (a->has & BGP_HAS_NEXT_HOP)
		dissect_add(d, " next-hop %s", ip_str(a->nexthop));
	if (a->has & BGP_HAS_MED)
		dissect_add(d, " med %u", a->med);
	if (a->has & BGP_HAS_LOCAL_PREF)
		dissect_add(d, " local-pref %u", a->local_pref);
	if (a->has & BGP_HAS_ATOMIC_AGGR)
		dissect_add(d, " atomic-aggregate");
	if (a->has & BGP_HAS_AGGREGATOR)
		dissect_add(d, " aggregator %u %s", a->aggr_as, ip_str(a->aggr_addr));
	for (unsigned i = 0; i < a->ncomm; i++) {
		sb_reset(&sb);
		bgp_comm_str(a->comm[i], &sb);
		dissect_add(d, "%s%s", i == 0 ? " communities " : ",", sb_str(&sb));
	}
	for (unsigned i = 0; i < a->necomm; i++) {
		sb_reset(&sb);
		bgp_ecomm_str(a->ecomm + 8 * i, &sb);
		dissect_add(d, "%s%s", i == 0 ? " ext-communities " : ",", sb_str(&sb));
	}
	for (unsigned i = 0; i < a->nlcomm; i++) {
		const uint8_t *l = a->lcomm + 12 * i;

		dissect_add(d, "%s%u:%u:%u", i == 0 ? " large-communities " : ",", get32(l),
		            get32(l + 4), get32(l + 8));
	}
	if (a->has & BGP_HAS_ORIGINATOR)
		dissect_add(d, " originator-id %s", ip_str(a->originator_id));
	if (a->has & BGP_HAS_OTC)
		dissect_add(d, " otc %u", a->otc);
	for (unsigned i = 0; i < a->ncluster; i++)
		dissect_add(d, "%s%s", i == 0 ? " cluster-list " : ",", ip_str(a->cluster[i]));
	if (a->unknown_len > 0)
		dissect_add(d, " unknown-attrs %u bytes", a->unknown_len);
	sb_free(&sb);
}

/*
 * VPN-IPv4 routes (checked by the decoder): "RD prefix label L[/L2...]",
 * comma separated, eight of them unless verbose.
 */
static void
add_vpn(struct dissect *d, const char *what, const struct bgp_mp_nlri *mp, bool withdraw)
{
	size_t off = 0, i = 0;
	struct bgp_vpn_route r;
	const char *why;
	struct strbuf sb;

	if (mp->n == 0)
		return;
	sb_init(&sb);
	dissect_add(d, " vpnv4 %s", what);
	for (; bgp_vpn_nlri_next(mp->p, mp->len, &off, withdraw, &r, &why) > 0 &&
	       (d->verbose || i < PFX_SHOWN);
	     i++) {
		sb_reset(&sb);
		bgp_rd_str(&r.rd, &sb);
		dissect_add(d, "%s %s %s/%u", i == 0 ? "" : ",", sb_str(&sb), ip_str(r.pfx.addr),
		            r.pfx.len);
		for (unsigned k = 0; k < r.nlabels; k++)
			dissect_add(d, "%s%u", k == 0 ? " label " : "/", r.labels[k]);
	}
	if (i < mp->n)
		dissect_add(d, " ... (%zu more)", mp->n - i);
	sb_free(&sb);
}

static void
update_dissect(struct dissect *d, const uint8_t *m, size_t len)
{
	struct bgp_codec_ctx ctx = {.as4 = bgp_update_guess_as4(m, len), .vpnv4 = true};
	struct bgp_update u;
	uint8_t *scratch = xmalloc(BGP_SCRATCH);
	int rc;

	u.withdrawn = xmalloc(sizeof(*u.withdrawn) * BGP_MAX_PFX);
	u.nlri = xmalloc(sizeof(*u.nlri) * BGP_MAX_PFX);
	rc = bgp_update_decode(m, len, &ctx, &u, scratch);
	if (rc < 0) {
		add_err_detail(d, "UPDATE", &u.err, u.detail);
	} else if (!u.has_attrs && u.nwithdrawn == 0 && u.nnlri == 0) {
		dissect_add(d, " end-of-rib");
	} else if (len == BGP_HDR_LEN + 4 + 3 + 3 && u.vpn_unreach.p != NULL && u.vpn_unreach.n == 0) {
		dissect_add(d, " end-of-rib vpnv4"); /* an empty MP_UNREACH alone (RFC 4724 2) */
	} else {
		add_pfxs(d, "withdrawn", u.withdrawn, u.nwithdrawn);
		add_vpn(d, "withdrawn", &u.vpn_unreach, true);
		if (u.has_attrs && (u.nnlri > 0 || u.vpn_reach.n > 0 || d->verbose))
			attr_dissect(d, &u.attr);
		if (u.vpn_reach.p != NULL)
			dissect_add(d, " vpnv4 next-hop %s", ip_str(u.vpn_reach.nexthop));
		add_pfxs(d, "nlri", u.nlri, u.nnlri);
		add_vpn(d, "nlri", &u.vpn_reach, false);
		if (u.nmp_skipped > 0)
			dissect_add(d, " (%u other-family MP attribute%s)", u.nmp_skipped,
			            u.nmp_skipped == 1 ? "" : "s");
		if (u.ndiscarded > 0)
			dissect_add(d, " (%u attribute%s discarded)", u.ndiscarded,
			            u.ndiscarded == 1 ? "" : "s");
		if (u.action == BGP_UPD_TREAT_AS_WITHDRAW)
			add_err_detail(d, "UPDATE treated as withdraw", &u.err, u.detail);
	}
	free(u.withdrawn);
	free(u.nlri);
	free(scratch);
}

/* One whole message m[0..len) of this type, its header checked. */
static void
msg_dissect(struct dissect *d, uint8_t type, const uint8_t *m, size_t len)
{
	struct bgp_err n;
	uint16_t afi;
	uint8_t safi, sub;

	dissect_add(d, "%s", bgp_msg_type_name(type));
	switch (type) {
	case BGP_OPEN:
		open_dissect(d, m, len);
		break;
	case BGP_UPDATE:
		update_dissect(d, m, len);
		break;
	case BGP_NOTIFICATION:
		if (bgp_notification_decode(m, len, &n) < 0) {
			add_err(d, "NOTIFICATION", &n);
			break;
		}
		dissect_add(d, " ");
		{
			struct strbuf sb;

			sb_init(&sb);
			bgp_err_str(&n, &sb);
			dissect_add(d, "%s", sb_str(&sb));
			sb_free(&sb);
		}
		if (len > 21)
			dissect_add(d, " data %zu bytes", len - 21);
		break;
	case BGP_ROUTE_REFRESH:
		if (bgp_route_refresh_decode(m, len, &afi, &safi, &sub) == 0)
			dissect_add(d, " afi %u safi %u%s", afi, safi,
			            sub == BGP_RR_BORR   ? " BoRR"
			            : sub == BGP_RR_EORR ? " EoRR"
			                                 : "");
		break;
	}
}

/*
 * Where the first message of a continued segment starts: a marker followed
 * by a plausible header (a length of 19-4096, a known type), else len.
 */
static size_t
next_msg(const uint8_t *p, size_t len)
{
	static const uint8_t marker[16] = {
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};

	for (size_t off = 1; off + BGP_HDR_LEN <= len; off++) {
		const uint8_t *h = p + off;

		if (memcmp(h, marker, sizeof marker) == 0 && get16(h + 16) >= BGP_HDR_LEN &&
		    get16(h + 16) <= BGP_MAX_LEN && h[18] >= BGP_OPEN && h[18] <= BGP_ROUTE_REFRESH)
			return off;
	}
	return len;
}

static void
bgp_dissect(struct dissect *d, const uint8_t *p, size_t len)
{
	size_t off = 0;

	d->known = true;
	dissect_add(d, "BGP");
	/*
	 * A segment that does not open with a marker continues a message of an
	 * earlier one; messages that start in it follow (as tcpdump finds them).
	 */
	if (len >= 16 && get32(p) != 0xffffffffu) {
		off = next_msg(p, len);
		dissect_add(d, " continuation %zu bytes", off);
	}
	while (off < len) {
		struct bgp_err err = {0};
		uint8_t type = 0;
		size_t rest = len - off;
		int n = bgp_msg_header(p + off, rest, &type, &err);

		dissect_add(d, "%s", off == 0 ? " " : "; ");
		if (n < 0) {
			add_err(d, "header", &err);
			return;
		}
		if (n == 0) {
			/* Cut at the segment's end: the rest is in the next segment. */
			if (rest >= BGP_HDR_LEN)
				dissect_add(d, "%s len %u ", bgp_msg_type_name(p[off + 18]),
				            get16(p + off + 16));
			dissect_add(d, "[|bgp]");
			return;
		}
		msg_dissect(d, type, p + off, (size_t)n);
		off += (size_t)n;
	}
}

void
bgp_dissect_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	dissect_register(DT_TCP_PORT, BGP_PORT, bgp_dissect);
}
