/*
 * update.c: BGP UPDATE messages (RFC 4271 4.3, 5, 6.3) with multiprotocol
 * IPv4 unicast (RFC 4760), 4-octet AS numbers towards old speakers
 * (RFC 6793) and the revised error handling of RFC 7606.
 *
 * Decoding keeps going after an attribute error whenever the attributes
 * still frame, because RFC 7606 2 needs every NLRI the message carries to
 * withdraw them; the worst action wins (session reset over
 * treat-as-withdraw), and the first error of that action is the one
 * reported. What each attribute's error costs is the table `rules` below
 * (RFC 7606 7, RFC 6793 6).
 */
#include <limits.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/log.h"
#include "../../lib/util.h"
#include "msg.h"
#include "msg_int.h"
#include "vpn.h"

#define F_O  BGP_AF_OPTIONAL
#define F_T  BGP_AF_TRANSITIVE
#define F_OT (BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE)

/* What an error in an attribute costs: the two RFC 7606 actions on the message, or discard. */
enum { ACT_TAW = BGP_UPD_TREAT_AS_WITHDRAW, ACT_RESET = BGP_UPD_RESET, ACT_DISCARD };

static const struct rule {
	uint8_t flags; /* the optional and transitive bits it must have (RFC 4271 5) */
	uint8_t act;   /* 0: an attribute netsim does not know */
} rules[256] = {
    [BGP_ATTR_ORIGIN] = {F_T, ACT_TAW},               /* RFC 7606 7.1 */
    [BGP_ATTR_AS_PATH] = {F_T, ACT_TAW},              /* 7.2 */
    [BGP_ATTR_NEXT_HOP] = {F_T, ACT_TAW},             /* 7.3 */
    [BGP_ATTR_MED] = {F_O, ACT_TAW},                  /* 7.4 */
    [BGP_ATTR_LOCAL_PREF] = {F_T, ACT_TAW},           /* 7.5 */
    [BGP_ATTR_ATOMIC_AGGREGATE] = {F_T, ACT_DISCARD}, /* 7.6 */
    [BGP_ATTR_AGGREGATOR] = {F_OT, ACT_DISCARD},      /* 7.7 */
    [BGP_ATTR_COMMUNITIES] = {F_OT, ACT_TAW},         /* 7.8 */
    [BGP_ATTR_ORIGINATOR_ID] = {F_O, ACT_TAW},        /* 7.9 */
    [BGP_ATTR_CLUSTER_LIST] = {F_O, ACT_TAW},         /* 7.10 */
    [BGP_ATTR_MP_REACH] = {F_O, ACT_RESET},           /* 7.11 */
    [BGP_ATTR_MP_UNREACH] = {F_O, ACT_RESET},         /* 7.11 */
    [BGP_ATTR_EXT_COMMUNITIES] = {F_OT, ACT_TAW},     /* 7.14 */
    [BGP_ATTR_AS4_PATH] = {F_OT, ACT_DISCARD},        /* RFC 6793 6 */
    [BGP_ATTR_AS4_AGGREGATOR] = {F_OT, ACT_DISCARD},  /* RFC 6793 6 */
    [BGP_ATTR_LARGE_COMMUNITIES] = {F_OT, ACT_TAW},   /* RFC 8092 6 */
    [BGP_ATTR_OTC] = {F_OT, ACT_TAW},                 /* RFC 9234 5 */
};

/* The attributes the encoder writes, in type order (RFC 4271 5: SHOULD be in ascending order). */
static const uint8_t enc_order[] = {
    BGP_ATTR_ORIGIN,          BGP_ATTR_AS_PATH,
    BGP_ATTR_NEXT_HOP,        BGP_ATTR_MED,
    BGP_ATTR_LOCAL_PREF,      BGP_ATTR_ATOMIC_AGGREGATE,
    BGP_ATTR_AGGREGATOR,      BGP_ATTR_COMMUNITIES,
    BGP_ATTR_ORIGINATOR_ID,   BGP_ATTR_CLUSTER_LIST,
    BGP_ATTR_MP_REACH,        BGP_ATTR_MP_UNREACH,
    BGP_ATTR_EXT_COMMUNITIES, BGP_ATTR_AS4_PATH,
    BGP_ATTR_AS4_AGGREGATOR,  BGP_ATTR_LARGE_COMMUNITIES,
    BGP_ATTR_OTC,
};

/* --- AS paths of 2- or 4-octet ASes -------------------------------------------------- */

static uint32_t
seg_as(const struct bgp_seg *s, unsigned i)
{
	return s->asz == 4 ? get32(s->as + 4 * i) : get16(s->as + 2 * i);
}

/*
 * RFC 7606 7.2: a known segment type, a non-zero count, no overrun and no
 * stray octet at the end. AS4_PATH carries no confederation segments
 * (RFC 6793 6).
 */
static bool
path_ok(const uint8_t *p, size_t len, unsigned asz, bool confed)
{
	struct bgp_seg s = {.p = p, .len = len, .asz = asz};

	while (bgp_seg_next(&s))
		if (s.n == 0 || s.type < BGP_AS_SET ||
		    s.type > (confed ? BGP_AS_CONFED_SET : BGP_AS_SEQUENCE))
			return false;
	return s.off == len;
}

/* RFC 6793 4.2.3's count: a SET is one AS, confederation segments none (as bgp_aspath_hops). */
static unsigned
path_hops(const uint8_t *p, size_t len, unsigned asz)
{
	struct bgp_seg s = {.p = p, .len = len, .asz = asz};
	unsigned hops = 0;

	while (bgp_seg_next(&s))
		hops += s.type == BGP_AS_SEQUENCE ? s.n : s.type == BGP_AS_SET ? 1 : 0;
	return hops;
}

/* A 4-octet path being written: where its last segment starts, to join SEQUENCEs. */
struct pathw {
	uint8_t *p;
	size_t len;
	size_t last; /* SIZE_MAX: none */
};

static void
pw_seg(struct pathw *w, const struct bgp_seg *s, unsigned n, bool join)
{
	uint8_t *at;

	if (join && s->type == BGP_AS_SEQUENCE && w->last != SIZE_MAX &&
	    w->p[w->last] == BGP_AS_SEQUENCE && w->p[w->last + 1] + n <= 255) {
		w->p[w->last + 1] = (uint8_t)(w->p[w->last + 1] + n);
	} else {
		w->last = w->len;
		w->p[w->len++] = s->type;
		w->p[w->len++] = (uint8_t)n;
	}
	at = w->p + w->len;
	for (unsigned i = 0; i < n; i++)
		put32(at + 4 * i, seg_as(s, i));
	w->len += (size_t)n * 4;
}

/*
 * Append the first k hops of a path (k = UINT_MAX: all of it) widened to 4
 * octets; join a leading SEQUENCE to the path's last one. Confederation
 * segments that lead or follow what is taken go along (RFC 6793 4.2.3).
 */
static void
pw_take(struct pathw *w, const uint8_t *p, size_t len, unsigned asz, unsigned k, bool join)
{
	struct bgp_seg s = {.p = p, .len = len, .asz = asz};

	while (bgp_seg_next(&s)) {
		unsigned n = s.n;

		if (s.type == BGP_AS_SEQUENCE || s.type == BGP_AS_SET) {
			if (k == 0)
				break;
			if (s.type == BGP_AS_SEQUENCE)
				n = s.n < k ? s.n : k;
			k -= s.type == BGP_AS_SEQUENCE ? n : 1;
		}
		pw_seg(w, &s, n, join);
		join = false;
	}
}

/* --- Decoding -------------------------------------------------------------------------- */

struct dec {
	const struct bgp_codec_ctx *ctx;
	struct bgp_update *u;
	uint8_t *scratch;
	size_t ulen, top; /* scratch: unknown attributes below ulen, the rest from top */
	uint8_t seen[32]; /* attribute types met (bitmap) */
	const uint8_t *a; /* the current attribute, whole, for error data */
	size_t alen;
	const uint8_t *aspath; /* AS_PATH as received (valid) */
	size_t aspath_len;
	const uint8_t *as4path; /* AS4_PATH (valid, from an old speaker's session) */
	size_t as4path_len;
	bool has_as4aggr;
	uint32_t as4aggr_as, as4aggr_addr;
	const uint8_t *nh_attr; /* NEXT_HOP, whole (the data of its semantic error) */
	size_t nh_attr_len;
	bool mp_nh; /* MP_REACH for IPv4 unicast gave a next hop */
	uint32_t mp_nexthop;
	size_t nclassic; /* prefixes in the NLRI field */
};

/* An error in the current attribute: discard it, or raise the message's action. */
static void
fail(struct dec *d, int act, uint8_t subcode)
{
	if (act == ACT_DISCARD) {
		d->u->ndiscarded++;
		return;
	}
	if (act > (int)d->u->action) {
		d->u->action = (enum bgp_upd_action)act;
		bgp_err_set(&d->u->err, BGP_ERR_UPDATE, subcode, d->a, d->alen);
	}
}

/* Read prefixes (RFC 4271 4.3) into out; -1 for a length over 32 or an overrun. */
static int
pfx_read(const uint8_t *p, size_t len, struct bgp_pfx *out, size_t *n)
{
	size_t off = 0;

	while (off < len) {
		uint8_t l = p[off];
		size_t b = (l + 7u) / 8u;
		uint32_t addr = 0;

		if (l > 32 || len - off - 1 < b || *n >= BGP_MAX_PFX)
			return -1;
		for (size_t i = 0; i < b; i++)
			addr |= (uint32_t)p[off + 1 + i] << (24 - 8 * i);
		/* Trailing bits are irrelevant (RFC 4271 4.3): a route is its masked prefix. */
		out[*n].addr = l == 0 ? 0 : addr & (0xffffffffu << (32 - l));
		out[*n].len = l;
		(*n)++;
		off += 1 + b;
	}
	return 0;
}

/*
 * Scratch for n octets aligned to al, taken from the top down, so that the
 * unknown attributes, which grow from the bottom (unknown_add), stay one run.
 * BGP_SCRATCH covers the worst case: each octet of the message takes at
 * most two of scratch (see msg.h).
 */
static uint8_t *
scratch(struct dec *d, size_t n, size_t al)
{
	if (d->top < n || (d->top - n) / al * al < d->ulen)
		bug("bgp: UPDATE scratch overflow");
	d->top = (d->top - n) / al * al;
	return d->scratch + d->top;
}

/*
 * Add the current attribute to the unknown ones with the Partial bit set
 * (RFC 4271 5), kept in type order, which is the order they are sent in:
 * a set reads the same however its sender ordered it.
 */
static void
unknown_add(struct dec *d)
{
	struct bgp_attr *a = &d->u->attr;
	size_t at = 0;
	uint8_t *w;

	if (d->ulen + d->alen > d->top)
		bug("bgp: UPDATE scratch overflow");
	while (at < d->ulen && d->scratch[at + 1] < d->a[1])
		at += (d->scratch[at] & BGP_AF_EXTLEN ? 4u + get16(d->scratch + at + 2)
		                                      : 3u + d->scratch[at + 2]);
	w = d->scratch + at;
	memmove(w + d->alen, w, d->ulen - at);
	memcpy(w, d->a, d->alen);
	w[0] |= BGP_AF_PARTIAL;
	d->ulen += d->alen;
	a->unknown = d->scratch;
	a->unknown_len = (uint16_t)d->ulen;
}

/* 32-bit values in host order (COMMUNITIES, CLUSTER_LIST). */
static const uint32_t *
u32s(struct dec *d, const uint8_t *v, size_t n)
{
	uint32_t *w = (uint32_t *)(void *)scratch(d, n * 4, 4);

	for (size_t i = 0; i < n; i++)
		w[i] = get32(v + 4 * i);
	return w;
}

/* A fault of an MP attribute: a session reset (RFC 7606 7.11), said in words too. */
static void
mp_fail(struct dec *d, const char *why)
{
	if (d->u->action != BGP_UPD_RESET) /* this fault becomes the one reported */
		d->u->detail = why;
	fail(d, ACT_RESET, BGP_UPD_OPT_ATTR);
}

/*
 * VPN-IPv4 (RFC 4364 4.3): the NLRI field checked whole and handed over
 * (bgp_update.vpn_reach, vpn_unreach); the routes are read with
 * bgp_vpn_nlri_next.
 */
static void
vpn_decode(struct dec *d, uint8_t type, const uint8_t *v, size_t n)
{
	struct bgp_update *u = d->u;
	struct bgp_mp_nlri *mp = type == BGP_ATTR_MP_REACH ? &u->vpn_reach : &u->vpn_unreach;
	const char *why = NULL;

	u->vpn = true;
	if (bgp_vpn_mp_decode(type, v, n, mp, &why) < 0)
		mp_fail(d, why);
}

/* MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760 3, 4); any fault resets (RFC 7606 7.11). */
static void
mp_decode(struct dec *d, uint8_t type, const uint8_t *v, size_t n)
{
	struct bgp_update *u = d->u;
	size_t hl = type == BGP_ATTR_MP_REACH ? 5 : 3, nhl = 0;

	if (n < hl || (type == BGP_ATTR_MP_REACH && n < hl + v[3])) {
		mp_fail(d, type == BGP_ATTR_MP_REACH ? "MP_REACH_NLRI: too short for its next hop"
		                                     : "MP_UNREACH_NLRI: shorter than AFI and SAFI");
		return;
	}
	if (type == BGP_ATTR_MP_REACH)
		nhl = v[3];
	/* VPN-IPv4 when the session reads it; with an IPv6 next hop (RFC 8950) it is skipped. */
	if (d->ctx->vpnv4 && get16(v) == BGP_AFI_IPV4 && v[2] == BGP_SAFI_MPLS_VPN &&
	    !(type == BGP_ATTR_MP_REACH && (nhl == 24 || nhl == 48))) {
		vpn_decode(d, type, v, n);
		return;
	}
	if (get16(v) != BGP_AFI_IPV4 || v[2] != BGP_SAFI_UNICAST ||
	    (type == BGP_ATTR_MP_REACH && nhl != 4)) {
		/* Other families (and RFC 8950 IPv6 next hops) are not netsim's: skipped. */
		u->nmp_skipped++;
		return;
	}
	u->mp = true;
	if (type == BGP_ATTR_MP_REACH) {
		d->mp_nh = true;
		d->mp_nexthop = get32(v + 4);
		/* v[4 + nhl]: reserved (formerly the SNPA count), ignored (RFC 4760 3). */
		if (pfx_read(v + hl + nhl, n - hl - nhl, u->nlri, &u->nnlri) < 0)
			mp_fail(d, "MP_REACH_NLRI: bad IPv4 prefix");
	} else if (pfx_read(v + hl, n - hl, u->withdrawn, &u->nwithdrawn) < 0) {
		mp_fail(d, "MP_UNREACH_NLRI: bad IPv4 prefix");
	}
}

/* One attribute netsim knows, its flags already checked. */
static void
known_decode(struct dec *d, uint8_t type, const uint8_t *v, size_t n)
{
	struct bgp_attr *a = &d->u->attr;
	unsigned asz = d->ctx->as4 ? 4 : 2;

	switch (type) {
	case BGP_ATTR_ORIGIN:
		if (n != 1)
			fail(d, ACT_TAW, BGP_UPD_ATTR_LEN);
		else if (v[0] > BGP_ORIGIN_INCOMPLETE)
			fail(d, ACT_TAW, BGP_UPD_BAD_ORIGIN);
		else
			a->origin = v[0];
		break;
	case BGP_ATTR_AS_PATH:
		if (!path_ok(v, n, asz, true)) {
			fail(d, ACT_TAW, BGP_UPD_BAD_ASPATH);
			break;
		}
		d->aspath = v;
		d->aspath_len = n;
		break;
	case BGP_ATTR_NEXT_HOP:
		if (n != 4) {
			fail(d, ACT_TAW, BGP_UPD_ATTR_LEN);
			break;
		}
		a->nexthop = get32(v);
		a->has |= BGP_HAS_NEXT_HOP;
		d->nh_attr = d->a;
		d->nh_attr_len = d->alen;
		break;
	case BGP_ATTR_MED:
	case BGP_ATTR_LOCAL_PREF:
	case BGP_ATTR_ORIGINATOR_ID:
		if (type == BGP_ATTR_LOCAL_PREF && d->ctx->ebgp) {
			/* RFC 7606 7.5: from an external peer it is discarded, whatever its length.
			 */
			fail(d, ACT_DISCARD, 0);
			break;
		}
		if (n != 4) {
			fail(d, ACT_TAW, BGP_UPD_ATTR_LEN);
			break;
		}
		if (type == BGP_ATTR_MED)
			a->med = get32(v), a->has |= BGP_HAS_MED;
		else if (type == BGP_ATTR_LOCAL_PREF)
			a->local_pref = get32(v), a->has |= BGP_HAS_LOCAL_PREF;
		else
			a->originator_id = get32(v), a->has |= BGP_HAS_ORIGINATOR;
		break;
	case BGP_ATTR_ATOMIC_AGGREGATE:
		if (n != 0)
			fail(d, ACT_DISCARD, BGP_UPD_ATTR_LEN);
		else
			a->has |= BGP_HAS_ATOMIC_AGGR;
		break;
	case BGP_ATTR_AGGREGATOR:
		/* RFC 7606 7.7 (length), RFC 7607 2 (AS 0): attribute discard. */
		if (n != asz + 4 || (asz == 4 ? get32(v) : get16(v)) == 0) {
			fail(d, ACT_DISCARD, BGP_UPD_ATTR_LEN);
			break;
		}
		a->aggr_as = asz == 4 ? get32(v) : get16(v);
		a->aggr_addr = get32(v + asz);
		a->has |= BGP_HAS_AGGREGATOR;
		break;
	case BGP_ATTR_COMMUNITIES:
	case BGP_ATTR_CLUSTER_LIST:
		if (n == 0 || n % 4 != 0) { /* RFC 7606 7.8, 7.10: a non-zero multiple of 4 */
			fail(d, ACT_TAW, BGP_UPD_ATTR_LEN);
			break;
		}
		if (type == BGP_ATTR_COMMUNITIES)
			a->comm = u32s(d, v, n / 4), a->ncomm = (uint16_t)(n / 4);
		else
			a->cluster = u32s(d, v, n / 4), a->ncluster = (uint16_t)(n / 4);
		break;
	case BGP_ATTR_EXT_COMMUNITIES:
	case BGP_ATTR_LARGE_COMMUNITIES: {
		size_t sz = type == BGP_ATTR_EXT_COMMUNITIES ? 8 : 12;

		if (n == 0 || n % sz != 0) { /* RFC 7606 7.14, RFC 8092 6 */
			fail(d, ACT_TAW, BGP_UPD_ATTR_LEN);
			break;
		}
		if (type == BGP_ATTR_EXT_COMMUNITIES)
			a->ecomm = v, a->necomm = (uint16_t)(n / sz);
		else
			a->lcomm = v, a->nlcomm = (uint16_t)(n / sz);
		break;
	}
	case BGP_ATTR_OTC: /* RFC 9234 5: four octets, else treat-as-withdraw */
		if (n != 4) {
			fail(d, ACT_TAW, BGP_UPD_ATTR_LEN);
			break;
		}
		a->otc = get32(v);
		a->has |= BGP_HAS_OTC;
		break;
	case BGP_ATTR_MP_REACH:
	case BGP_ATTR_MP_UNREACH:
		mp_decode(d, type, v, n);
		break;
	case BGP_ATTR_AS4_PATH:
		/* RFC 6793 4.1: a new speaker ignores it from a new speaker; 6: malformed,
		 * discarded. */
		if (d->ctx->as4 || !path_ok(v, n, 4, false)) {
			fail(d, ACT_DISCARD, BGP_UPD_OPT_ATTR);
			break;
		}
		d->as4path = v;
		d->as4path_len = n;
		break;
	case BGP_ATTR_AS4_AGGREGATOR:
		if (d->ctx->as4 || n != 8 || get32(v) == 0) {
			fail(d, ACT_DISCARD, BGP_UPD_OPT_ATTR);
			break;
		}
		d->has_as4aggr = true;
		d->as4aggr_as = get32(v);
		d->as4aggr_addr = get32(v + 4);
		break;
	}
}

/* One attribute of flags f, type t, value v[0..n): the whole of it is d->a. */
static void
attr_decode(struct dec *d, uint8_t f, uint8_t t, const uint8_t *v, size_t n)
{
	const struct rule *r = &rules[t];
	bool dup = d->seen[t / 8] & (1u << (t % 8));

	d->seen[t / 8] |= (uint8_t)(1u << (t % 8));
	if (dup) {
		/* RFC 7606 3 (g): repeated MP attributes reset, others are discarded. */
		fail(d, r->act == ACT_RESET ? ACT_RESET : ACT_DISCARD, BGP_UPD_MALFORMED_ATTRS);
		return;
	}
	if (r->act == 0) {
		if (!(f & BGP_AF_OPTIONAL)) { /* RFC 4271 6.3 */
			fail(d, ACT_RESET, BGP_UPD_UNKNOWN_WELLKNOWN);
		} else if (f & BGP_AF_TRANSITIVE) {
			unknown_add(d);
		}
		/* Unknown optional non-transitive: quietly dropped (RFC 4271 5). */
		return;
	}
	/* RFC 4271 4.3, RFC 7606 3 (c): optional and transitive as specified, Partial only on
	 * optional transitive. */
	if ((f & F_OT) != r->flags || ((f & BGP_AF_PARTIAL) && r->flags != F_OT)) {
		fail(d, r->act, BGP_UPD_ATTR_FLAGS);
		return;
	}
	known_decode(d, t, v, n);
}

/*
 * The path: as received from a new speaker; from an old one, widened to 4
 * octets and merged with AS4_PATH as RFC 6793 4.2.3 says.
 */
static void
path_finish(struct dec *d)
{
	struct bgp_attr *a = &d->u->attr;
	struct pathw w = {NULL, 0, SIZE_MAX};
	unsigned h2, h4;

	if (d->ctx->as4) {
		a->aspath = d->aspath;
		a->aspath_len = (uint16_t)d->aspath_len;
		return;
	}
	/* An AGGREGATOR by a 2-octet AS means the AS4 attributes are stale (RFC 6793 4.2.3). */
	if (d->has_as4aggr && (a->has & BGP_HAS_AGGREGATOR)) {
		if (a->aggr_as == BGP_AS_TRANS) {
			a->aggr_as = d->as4aggr_as;
			a->aggr_addr = d->as4aggr_addr;
		} else {
			d->as4path = NULL;
		}
	}
	if (d->aspath == NULL)
		return;
	w.p = scratch(d, d->aspath_len * 2 + d->as4path_len, 1);
	h2 = path_hops(d->aspath, d->aspath_len, 2);
	h4 = d->as4path ? path_hops(d->as4path, d->as4path_len, 4) : 0;
	if (d->as4path == NULL || h2 < h4) {
		pw_take(&w, d->aspath, d->aspath_len, 2, UINT_MAX, false);
	} else {
		pw_take(&w, d->aspath, d->aspath_len, 2, h2 - h4, false);
		pw_take(&w, d->as4path, d->as4path_len, 4, UINT_MAX, true);
	}
	a->aspath = w.p;
	a->aspath_len = (uint16_t)w.len;
}

/* The path attributes p[0..len); false when they do not frame (RFC 7606 4). */
static bool
attrs_decode(struct dec *d, const uint8_t *p, size_t len)
{
	size_t off = 0;

	while (off < len) {
		size_t rest = len - off, hl, n;
		uint8_t f = p[off];

		d->a = p + off;
		d->alen = rest;
		if (rest < 3 || rest < (hl = f & BGP_AF_EXTLEN ? 4u : 3u))
			return false;
		n = hl == 4 ? get16(p + off + 2) : p[off + 2];
		if (rest - hl < n)
			return false;
		d->alen = hl + n;
		attr_decode(d, f, p[off + 1], p + off + hl, n);
		off += hl + n;
	}
	return true;
}

/* RFC 7606 3 (d): with NLRI, ORIGIN, AS_PATH and (for the NLRI field) NEXT_HOP must be there. */
static void
mandatory_check(struct dec *d)
{
	static const uint8_t need[] = {BGP_ATTR_ORIGIN, BGP_ATTR_AS_PATH, BGP_ATTR_NEXT_HOP};
	struct bgp_attr *a = &d->u->attr;

	for (size_t i = 0; i < ARRAY_LEN(need); i++) {
		uint8_t t = need[i];

		if (t == BGP_ATTR_NEXT_HOP && d->nclassic == 0)
			continue;
		if (!(d->seen[t / 8] & (1u << (t % 8)))) {
			d->a = &need[i];
			d->alen = 1;
			fail(d, ACT_TAW, BGP_UPD_MISSING_WELLKNOWN);
		}
	}
	/* RFC 4271 6.3 / RFC 7606 7.3: a next hop that is no host address. */
	if (d->nclassic > 0 && (a->has & BGP_HAS_NEXT_HOP) &&
	    (a->nexthop == 0 || a->nexthop >= 0xe0000000u)) {
		d->a = d->nh_attr;
		d->alen = d->nh_attr_len;
		fail(d, ACT_TAW, BGP_UPD_BAD_NEXTHOP);
	}
}

int
bgp_update_decode(const uint8_t *m, size_t len, const struct bgp_codec_ctx *ctx,
                  struct bgp_update *u, uint8_t *scratch_buf)
{
	struct bgp_pfx *wd = u->withdrawn, *nlri = u->nlri;
	struct dec d = {.ctx = ctx, .u = u, .scratch = scratch_buf, .top = BGP_SCRATCH};
	size_t wlen, alen, nlen;
	const uint8_t *attrs;

	memset(u, 0, sizeof(*u));
	u->withdrawn = wd;
	u->nlri = nlri;
	if (bgp_msg_whole(m, len, BGP_UPDATE, &u->err) < 0) {
		u->action = BGP_UPD_RESET;
		return -1;
	}
	/* RFC 4271 6.3: the two lengths must fit the message. */
	wlen = get16(m + 19);
	if (BGP_UPDATE_MIN + wlen > len ||
	    BGP_UPDATE_MIN + wlen + (alen = get16(m + 21 + wlen)) > len) {
		u->action = BGP_UPD_RESET;
		bgp_err_set(&u->err, BGP_ERR_UPDATE, BGP_UPD_MALFORMED_ATTRS, NULL, 0);
		return -1;
	}
	attrs = m + BGP_UPDATE_MIN + wlen;
	nlen = len - BGP_UPDATE_MIN - wlen - alen;
	/* Prefix errors cannot be withdrawn around: the session resets (RFC 7606 5.3). */
	if (pfx_read(m + 21, wlen, u->withdrawn, &u->nwithdrawn) < 0 ||
	    pfx_read(attrs + alen, nlen, u->nlri, &u->nnlri) < 0) {
		u->action = BGP_UPD_RESET;
		bgp_err_set(&u->err, BGP_ERR_UPDATE, BGP_UPD_BAD_NETWORK, NULL, 0);
		return -1;
	}
	d.nclassic = u->nnlri;
	u->has_attrs = alen > 0;
	if (!attrs_decode(&d, attrs, alen)) {
		/*
		 * RFC 7606 4: attributes that do not frame mean treat-as-withdraw, as
		 * long as what to withdraw is known: MP attributes come first
		 * (RFC 7606 5.1), so one seen before the fault or an NLRI field
		 * will do; otherwise the message may hide an MP_REACH, and only a
		 * reset is safe.
		 */
		bool known = u->mp || u->vpn || u->nmp_skipped > 0 || d.nclassic > 0;

		fail(&d, known ? ACT_TAW : ACT_RESET,
		     d.alen < 3 ? BGP_UPD_MALFORMED_ATTRS : BGP_UPD_ATTR_LEN);
	}
	path_finish(&d);
	if (u->nnlri > 0 || u->vpn_reach.n > 0)
		mandatory_check(&d);
	/*
	 * RFC 4760 3: without an NLRI field, MP_REACH's next hop is the one
	 * (NEXT_HOP is ignored); with one, it stands in for a missing NEXT_HOP.
	 */
	if (d.mp_nh && (d.nclassic == 0 || !(u->attr.has & BGP_HAS_NEXT_HOP))) {
		u->attr.nexthop = d.mp_nexthop;
		u->attr.has |= BGP_HAS_NEXT_HOP;
	}
	if (u->action == BGP_UPD_RESET)
		return -1;
	return 0;
}

bool
bgp_update_guess_as4(const uint8_t *m, size_t len)
{
	size_t wlen, alen, off = 0;
	const uint8_t *p;

	if (len < BGP_UPDATE_MIN || BGP_UPDATE_MIN + (wlen = get16(m + 19)) > len ||
	    BGP_UPDATE_MIN + wlen + (alen = get16(m + 21 + wlen)) > len)
		return true;
	p = m + BGP_UPDATE_MIN + wlen;
	while (alen - off >= 3) {
		size_t hl = p[off] & BGP_AF_EXTLEN ? 4 : 3, n;

		if (alen - off < hl)
			break;
		n = hl == 4 ? get16(p + off + 2) : p[off + 2];
		if (alen - off - hl < n)
			break;
		if (p[off + 1] == BGP_ATTR_AS_PATH)
			return path_ok(p + off + hl, n, 4, true) ||
			       !path_ok(p + off + hl, n, 2, true);
		off += hl + n;
	}
	return true;
}

/* --- Encoding ------------------------------------------------------------------------- */

/* A bounded writer: over is set instead of writing past cap. */
struct wr {
	uint8_t *p;
	size_t off, cap;
	bool over;
};

/* An attribute's header for a value of n octets; where the value goes, or NULL when full. */
static uint8_t *
attr_put(struct wr *w, uint8_t flags, uint8_t type, size_t n)
{
	size_t hl = n > 255 ? 4 : 3;
	uint8_t *at;

	if (w->over || w->cap - w->off < hl + n || n > 0xffff) {
		w->over = true;
		return NULL;
	}
	at = w->p + w->off;
	at[0] = (uint8_t)(flags | (n > 255 ? BGP_AF_EXTLEN : 0));
	at[1] = type;
	if (n > 255)
		put16(at + 2, (uint16_t)n);
	else
		at[2] = (uint8_t)n;
	w->off += hl + n;
	return at + hl;
}

static void
put_u32s(struct wr *w, uint8_t flags, uint8_t type, const uint32_t *v, size_t n)
{
	uint8_t *at = attr_put(w, flags, type, n * 4);

	for (size_t i = 0; at && i < n; i++)
		put32(at + 4 * i, v[i]);
}

static void
put_bytes(struct wr *w, uint8_t flags, uint8_t type, const uint8_t *v, size_t n)
{
	uint8_t *at = attr_put(w, flags, type, n);

	if (at && n > 0)
		memcpy(at, v, n);
}

/* The unknown attributes of a whose type is in [lo, hi), as they came. */
static void
put_unknown(struct wr *w, const struct bgp_attr *a, unsigned lo, unsigned hi)
{
	size_t off = 0;

	while (off + 3 <= a->unknown_len) {
		const uint8_t *p = a->unknown + off;
		size_t hl = p[0] & BGP_AF_EXTLEN ? 4 : 3;
		size_t n = hl == 4 ? (off + 4 <= a->unknown_len ? get16(p + 2) : SIZE_MAX) : p[2];

		if (n == SIZE_MAX || a->unknown_len - off - hl < n)
			return; /* not of our making: the decoder writes whole attributes */
		if (p[1] >= lo && p[1] < hi) {
			if (w->over || w->cap - w->off < hl + n) {
				w->over = true;
				return;
			}
			memcpy(w->p + w->off, p, hl + n);
			w->off += hl + n;
		}
		off += hl + n;
	}
}

/* Does the path need AS4_PATH towards an old speaker (an AS that 2 octets cannot hold)? */
static bool
path_wide(const uint8_t *p, size_t len)
{
	struct bgp_seg s = {.p = p, .len = len, .asz = 4};

	while (bgp_seg_next(&s))
		for (unsigned i = 0; i < s.n; i++)
			if (seg_as(&s, i) > 0xffff)
				return true;
	return false;
}

/* AS_PATH for an old speaker (AS_TRANS for wide ASes), or AS4_PATH (no confederation segments). */
static void
put_path_old(struct wr *w, const struct bgp_attr *a, bool as4path)
{
	struct bgp_seg s = {.p = a->aspath, .len = a->aspath_len, .asz = 4};
	size_t n = 0;
	uint8_t *at;

	while (bgp_seg_next(&s))
		if (!as4path || s.type <= BGP_AS_SEQUENCE)
			n += 2 + (size_t)s.n * (as4path ? 4 : 2);
	at = as4path ? attr_put(w, F_OT, BGP_ATTR_AS4_PATH, n)
	             : attr_put(w, F_T, BGP_ATTR_AS_PATH, n);
	if (at == NULL)
		return;
	s.off = 0;
	while (bgp_seg_next(&s)) {
		if (as4path && s.type > BGP_AS_SEQUENCE)
			continue;
		*at++ = s.type;
		*at++ = s.n;
		for (unsigned i = 0; i < s.n; i++) {
			uint32_t as = seg_as(&s, i);

			if (as4path) {
				put32(at, as);
				at += 4;
			} else {
				put16(at, as > 0xffff ? BGP_AS_TRANS : (uint16_t)as);
				at += 2;
			}
		}
	}
}

/* An MP attribute to write among the others (bgp_vpn_update_encode): its type and value. */
struct mpval {
	uint8_t type;
	const uint8_t *v;
	size_t n;
};

static void
put_known(struct wr *w, const struct bgp_codec_ctx *ctx, const struct bgp_attr *a,
          const struct mpval *mp, uint8_t t)
{
	uint8_t *at;

	switch (t) {
	case BGP_ATTR_ORIGIN:
		put_bytes(w, F_T, t, &a->origin, 1);
		break;
	case BGP_ATTR_AS_PATH:
		if (ctx->as4)
			put_bytes(w, F_T, t, a->aspath, a->aspath_len);
		else
			put_path_old(w, a, false);
		break;
	case BGP_ATTR_NEXT_HOP:
		if (a->has & BGP_HAS_NEXT_HOP)
			put_u32s(w, F_T, t, &a->nexthop, 1);
		break;
	case BGP_ATTR_MED:
		if (a->has & BGP_HAS_MED)
			put_u32s(w, F_O, t, &a->med, 1);
		break;
	case BGP_ATTR_LOCAL_PREF:
		if (a->has & BGP_HAS_LOCAL_PREF)
			put_u32s(w, F_T, t, &a->local_pref, 1);
		break;
	case BGP_ATTR_ATOMIC_AGGREGATE:
		if (a->has & BGP_HAS_ATOMIC_AGGR)
			attr_put(w, F_T, t, 0);
		break;
	case BGP_ATTR_AGGREGATOR:
		if (!(a->has & BGP_HAS_AGGREGATOR))
			break;
		if (ctx->as4) {
			const uint32_t v[2] = {a->aggr_as, a->aggr_addr};

			put_u32s(w, F_OT, t, v, 2);
		} else if ((at = attr_put(w, F_OT, t, 6)) != NULL) {
			put16(at, a->aggr_as > 0xffff ? BGP_AS_TRANS : (uint16_t)a->aggr_as);
			put32(at + 2, a->aggr_addr);
		}
		break;
	case BGP_ATTR_COMMUNITIES:
		if (a->ncomm > 0)
			put_u32s(w, F_OT, t, a->comm, a->ncomm);
		break;
	case BGP_ATTR_ORIGINATOR_ID:
		if (a->has & BGP_HAS_ORIGINATOR)
			put_u32s(w, F_O, t, &a->originator_id, 1);
		break;
	case BGP_ATTR_CLUSTER_LIST:
		if (a->ncluster > 0)
			put_u32s(w, F_O, t, a->cluster, a->ncluster);
		break;
	case BGP_ATTR_MP_REACH:
	case BGP_ATTR_MP_UNREACH:
		if (mp != NULL && mp->type == t)
			put_bytes(w, F_O, t, mp->v, mp->n);
		break;
	case BGP_ATTR_EXT_COMMUNITIES:
		if (a->necomm > 0)
			put_bytes(w, F_OT, t, a->ecomm, (size_t)a->necomm * 8);
		break;
	case BGP_ATTR_AS4_PATH: /* RFC 6793 4.2.2: only to an old speaker, only when needed */
		if (!ctx->as4 && path_wide(a->aspath, a->aspath_len))
			put_path_old(w, a, true);
		break;
	case BGP_ATTR_AS4_AGGREGATOR:
		if (!ctx->as4 && (a->has & BGP_HAS_AGGREGATOR) && a->aggr_as > 0xffff) {
			const uint32_t v[2] = {a->aggr_as, a->aggr_addr};

			put_u32s(w, F_OT, t, v, 2);
		}
		break;
	case BGP_ATTR_LARGE_COMMUNITIES:
		if (a->nlcomm > 0)
			put_bytes(w, F_OT, t, a->lcomm, (size_t)a->nlcomm * 12);
		break;
	case BGP_ATTR_OTC:
		if (a->has & BGP_HAS_OTC)
			put_u32s(w, F_OT, t, &a->otc, 1);
		break;
	}
}

/* Every attribute of a, known and unknown, and mp (if not NULL), in ascending type order. */
static void
attrs_encode(struct wr *w, const struct bgp_codec_ctx *ctx, const struct bgp_attr *a,
             const struct mpval *mp)
{
	unsigned lo = 0;

	for (size_t i = 0; i < ARRAY_LEN(enc_order); i++) {
		put_unknown(w, a, lo, enc_order[i]);
		put_known(w, ctx, a, mp, enc_order[i]);
		lo = enc_order[i] + 1u;
	}
	put_unknown(w, a, lo, 256);
}

/* As many prefixes as fit into w; returns how many. */
static size_t
pfx_pack(struct wr *w, const struct bgp_pfx *pfx, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		size_t b = (pfx[i].len + 7u) / 8u;

		if (pfx[i].len > 32)
			bug("bgp: prefix length %u", pfx[i].len);
		if (w->cap - w->off < 1 + b)
			break;
		w->p[w->off++] = pfx[i].len;
		for (size_t k = 0; k < b; k++)
			w->p[w->off++] = (uint8_t)(pfx[i].addr >> (24 - 8 * k));
	}
	return i;
}

size_t
bgp_update_encode(uint8_t *out, const struct bgp_codec_ctx *ctx, const struct bgp_attr *a,
                  const struct bgp_pfx *pfx, size_t n, bool withdraw, size_t *used)
{
	uint8_t abuf[BGP_MAX_LEN];
	struct wr aw = {abuf, 0, BGP_MAX_LEN - BGP_UPDATE_MIN, false};
	struct wr w = {out, 0, BGP_MAX_LEN, false};
	size_t wstart = 21, k = 0;

	*used = 0;
	if (a != NULL)
		attrs_encode(&aw, ctx, a, NULL);
	if (aw.over)
		return 0;
	/* Withdrawn routes, then the attributes' length and the attributes, then the NLRI. */
	w.off = wstart;
	if (withdraw) {
		w.cap = BGP_MAX_LEN - 2 - aw.off;
		k = pfx_pack(&w, pfx, n);
		w.cap = BGP_MAX_LEN;
	}
	put16(out + 19, (uint16_t)(w.off - wstart));
	put16(out + w.off, (uint16_t)aw.off);
	w.off += 2;
	memcpy(out + w.off, abuf, aw.off);
	w.off += aw.off;
	if (!withdraw)
		k = pfx_pack(&w, pfx, n);
	if (n > 0 && k == 0)
		return 0;
	bgp_hdr_put(out, w.off, BGP_UPDATE);
	*used = k;
	return w.off;
}

/* An UPDATE of no withdrawn routes and no NLRI field: the attributes w holds. */
static size_t
attrs_only(uint8_t *out, const struct wr *aw)
{
	put16(out + 19, 0);
	put16(out + 21, (uint16_t)aw->off);
	memcpy(out + BGP_UPDATE_MIN, aw->p, aw->off);
	bgp_hdr_put(out, BGP_UPDATE_MIN + aw->off, BGP_UPDATE);
	return BGP_UPDATE_MIN + aw->off;
}

/*
 * VPN-IPv4 in MP_REACH_NLRI (RFC 4760 3, RFC 4364 4.3.2: a next hop of RD 0
 * and the IPv4 address) or MP_UNREACH_NLRI (4), the routes packed into
 * what the other attributes leave of 4096 octets.
 */
size_t
bgp_vpn_update_encode(uint8_t *out, const struct bgp_codec_ctx *ctx, const struct bgp_attr *a,
                      uint32_t nexthop, const struct bgp_vpn_route *r, size_t n, bool withdraw,
                      size_t *used)
{
	uint8_t abuf[BGP_MAX_LEN], mpv[BGP_MAX_LEN];
	struct wr aw = {abuf, 0, BGP_MAX_LEN - BGP_UPDATE_MIN, false};
	struct mpval mp = {withdraw ? BGP_ATTR_MP_UNREACH : BGP_ATTR_MP_REACH, mpv, 0};
	struct bgp_attr rest;
	size_t hl = withdraw ? 3 : 5 + BGP_RD_LEN + 4, room, k;

	*used = 0;
	if (!withdraw) {
		/* RFC 4760 3: the next hop is MP_REACH's; NEXT_HOP is not sent. */
		rest = *a;
		rest.has &= ~BGP_HAS_NEXT_HOP;
		attrs_encode(&aw, ctx, &rest, NULL);
		if (aw.over)
			return 0;
	}
	/* What is left for the MP attribute, its header counted with the extended length. */
	room = aw.cap - aw.off;
	if (room < 4 + hl)
		return 0;
	put16(mpv, BGP_AFI_IPV4);
	mpv[2] = BGP_SAFI_MPLS_VPN;
	if (!withdraw) {
		mpv[3] = BGP_RD_LEN + 4;
		memset(mpv + 4, 0, BGP_RD_LEN);
		put32(mpv + 4 + BGP_RD_LEN, nexthop);
		mpv[hl - 1] = 0; /* reserved (RFC 4760 3) */
	}
	mp.n = hl + bgp_vpn_nlri_put(mpv + hl, room - 4 - hl, r, n, withdraw, &k);
	if (n > 0 && k == 0)
		return 0;
	aw.off = 0;
	if (withdraw)
		put_bytes(&aw, F_O, BGP_ATTR_MP_UNREACH, mpv, mp.n);
	else
		attrs_encode(&aw, ctx, &rest, &mp);
	if (aw.over)
		bug("bgp: VPN-IPv4 UPDATE overflow");
	*used = k;
	return attrs_only(out, &aw);
}

size_t
bgp_eor_encode(uint8_t *out)
{
	bgp_hdr_put(out, BGP_UPDATE_MIN, BGP_UPDATE);
	put16(out + 19, 0);
	put16(out + 21, 0);
	return BGP_UPDATE_MIN;
}
