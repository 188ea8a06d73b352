/*
 * msg.c: BGP-4 messages, header, OPEN, NOTIFICATION, KEEPALIVE and
 * ROUTE-REFRESH (RFC 4271 4, 6.1-6.2; RFC 5492 capabilities; RFC 2918,
 * RFC 7313; RFC 9072 extended optional parameters), and the names that
 * show commands and traces print. UPDATE is update.c.
 *
 * Every length is checked before it is used; a fault is the NOTIFICATION
 * RFC 4271 6 prescribes, with its data field.
 */
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/strbuf.h"
#include "../../lib/util.h"
#include "msg.h"
#include "msg_int.h"

static const uint8_t marker[16] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

void
bgp_err_set(struct bgp_err *err, uint8_t code, uint8_t subcode, const uint8_t *data, size_t dlen)
{
	err->code = code;
	err->subcode = subcode;
	err->dlen = (uint16_t)(dlen < sizeof err->data ? dlen : sizeof err->data);
	if (err->dlen > 0)
		memcpy(err->data, data, err->dlen);
}

/* A 2-octet data field (a length, a version). */
static void
err_set16(struct bgp_err *err, uint8_t code, uint8_t subcode, uint16_t v)
{
	uint8_t b[2];

	put16(b, v);
	bgp_err_set(err, code, subcode, b, 2);
}

size_t
bgp_hdr_put(uint8_t *out, size_t len, uint8_t type)
{
	memcpy(out, marker, sizeof marker);
	put16(out + 16, (uint16_t)len);
	out[18] = type;
	return BGP_HDR_LEN;
}

/* The header of a message whose 19 octets are at buf: its length, or -1 (RFC 4271 6.1). */
static int
hdr_check(const uint8_t *buf, uint8_t *type, struct bgp_err *err)
{
	uint16_t n = get16(buf + 16);
	uint8_t t = buf[18];
	bool bad_len;

	if (memcmp(buf, marker, sizeof marker) != 0) {
		bgp_err_set(err, BGP_ERR_HEADER, BGP_HDR_SYNC, NULL, 0);
		return -1;
	}
	switch (t) {
	case BGP_OPEN:
		bad_len = n < BGP_OPEN_MIN;
		break;
	case BGP_UPDATE:
		bad_len = n < BGP_UPDATE_MIN;
		break;
	case BGP_NOTIFICATION:
		bad_len = n < BGP_NOTIFICATION_MIN;
		break;
	case BGP_KEEPALIVE:
		bad_len = n != BGP_HDR_LEN;
		break;
	case BGP_ROUTE_REFRESH:
		bad_len = n < BGP_HDR_LEN; /* its own length error is RFC 7313's (below) */
		break;
	default:
		if (n < BGP_HDR_LEN || n > BGP_MAX_LEN)
			break;
		bgp_err_set(err, BGP_ERR_HEADER, BGP_HDR_BAD_TYPE, &t, 1);
		return -1;
	}
	if (n < BGP_HDR_LEN || n > BGP_MAX_LEN || bad_len) {
		err_set16(err, BGP_ERR_HEADER, BGP_HDR_BAD_LEN, n);
		return -1;
	}
	*type = t;
	return n;
}

int
bgp_msg_header(const uint8_t *buf, size_t len, uint8_t *type, struct bgp_err *err)
{
	int n;

	if (len < BGP_HDR_LEN)
		return 0;
	n = hdr_check(buf, type, err);
	if (n < 0 || len < (size_t)n)
		return n < 0 ? -1 : 0;
	if (*type == BGP_ROUTE_REFRESH && n != BGP_RR_LEN) {
		/* RFC 7313 5: the data is the whole message. */
		bgp_err_set(err, BGP_ERR_ROUTE_REFRESH, BGP_RR_BAD_LEN, buf, (size_t)n);
		return -1;
	}
	return n;
}

int
bgp_msg_whole(const uint8_t *m, size_t len, uint8_t type, struct bgp_err *err)
{
	uint8_t t;
	int n;

	memset(err, 0, sizeof(*err));
	if (len < BGP_HDR_LEN) {
		err_set16(err, BGP_ERR_HEADER, BGP_HDR_BAD_LEN, (uint16_t)len);
		return -1;
	}
	n = bgp_msg_header(m, len, &t, err);
	if (n < 0)
		return -1;
	if ((size_t)n != len || t != type) {
		/* The caller's framing disagrees with the header. */
		err_set16(err, BGP_ERR_HEADER, t != type ? BGP_HDR_BAD_TYPE : BGP_HDR_BAD_LEN,
		          get16(m + 16));
		return -1;
	}
	return 0;
}

/* --- OPEN (RFC 4271 4.2, 6.2; RFC 5492; RFC 9072) -------------------------------------- */

#define OPT_CAPS 2 /* optional parameter type: capabilities (RFC 5492 4) */
#define OPT_EXT  255

static void
add_cap(struct bgp_open *o, uint8_t code, uint8_t param)
{
	if (o->ncaps < ARRAY_LEN(o->caps)) {
		o->caps[o->ncaps].code = code;
		o->caps[o->ncaps].param = param;
		o->ncaps++;
	}
}

/* One capability (RFC 5492 4): 0, or -1 with err for a malformed known one. */
static int
cap_decode(struct bgp_open *o, uint8_t code, const uint8_t *v, size_t n, struct bgp_err *err)
{
	bool ok = true;

	switch (code) {
	case BGP_CAP_MP: /* RFC 4760 8: AFI, reserved, SAFI */
		ok = n == 4;
		if (ok && o->nafi < ARRAY_LEN(o->afi)) {
			o->afi[o->nafi].afi = get16(v);
			o->afi[o->nafi].safi = v[3];
			o->nafi++;
		}
		break;
	case BGP_CAP_ROUTE_REFRESH:
	case BGP_CAP_RR_OLD:
		ok = n == 0;
		o->cap_rr = true;
		break;
	case BGP_CAP_ENHANCED_RR:
		ok = n == 0;
		o->cap_enhanced_rr = true;
		break;
	case BGP_CAP_GR: /* RFC 4724 3: flags and time, then {AFI, SAFI, flags} */
		ok = n >= 2 && (n - 2) % 4 == 0;
		if (!ok)
			break;
		o->cap_gr = true;
		o->gr_flags = v[0] >> 4;
		o->gr_time = get16(v) & 0x0fff;
		for (size_t i = 2; i + 4 <= n && o->ngr_afi < ARRAY_LEN(o->gr_afi); i += 4) {
			o->gr_afi[o->ngr_afi].afi = get16(v + i);
			o->gr_afi[o->ngr_afi].safi = v[i + 2];
			o->gr_afi[o->ngr_afi].flags = v[i + 3];
			o->ngr_afi++;
		}
		break;
	case BGP_CAP_AS4: /* RFC 6793 9; AS 0 is a bad peer AS (RFC 7607 2) */
		ok = n == 4;
		if (ok && get32(v) == 0) {
			bgp_err_set(err, BGP_ERR_OPEN, BGP_OPEN_BAD_AS, NULL, 0);
			return -1;
		}
		if (ok)
			o->as4 = get32(v);
		break;
	case BGP_CAP_ROLE: /* RFC 9234 4.1: one octet; two different roles are a mismatch */
		ok = n == 1;
		if (ok && o->has_role && o->role != v[0]) {
			bgp_err_set(err, BGP_ERR_OPEN, BGP_OPEN_ROLE_MISMATCH, NULL, 0);
			return -1;
		}
		if (ok) {
			o->has_role = true;
			o->role = v[0];
		}
		break;
	default: /* RFC 5492 4: an unknown capability is ignored */
		break;
	}
	if (!ok) {
		bgp_err_set(err, BGP_ERR_OPEN, BGP_OPEN_UNSPECIFIC, v - 2, n + 2);
		return -1;
	}
	return 0;
}

/* The capabilities of one optional parameter of type 2. */
static int
caps_decode(struct bgp_open *o, const uint8_t *p, size_t n, uint8_t param, struct bgp_err *err)
{
	size_t off = 0;

	o->caps_present = true;
	while (off < n) {
		if (n - off < 2 || n - off - 2 < p[off + 1]) {
			bgp_err_set(err, BGP_ERR_OPEN, BGP_OPEN_UNSPECIFIC, NULL, 0);
			return -1;
		}
		add_cap(o, p[off], param);
		if (cap_decode(o, p[off], p + off + 2, p[off + 1], err) < 0)
			return -1;
		off += 2 + (size_t)p[off + 1];
	}
	return 0;
}

int
bgp_open_decode(const uint8_t *m, size_t len, struct bgp_open *o, struct bgp_err *err)
{
	const uint8_t *p;
	size_t optlen, off = 0, hl = 2;
	uint8_t param = 0;

	memset(o, 0, sizeof(*o));
	if (bgp_msg_whole(m, len, BGP_OPEN, err) < 0)
		return -1;
	o->version = m[19];
	o->my_as = get16(m + 20);
	o->hold = get16(m + 22);
	o->id = get32(m + 24);
	optlen = m[28];
	p = m + BGP_OPEN_MIN;
	if (o->version != BGP_VERSION) {
		/* The data is the largest version we support. */
		err_set16(err, BGP_ERR_OPEN, BGP_OPEN_BAD_VERSION, BGP_VERSION);
		return -1;
	}
	/* RFC 9072 2: a first parameter of type 255 announces 2-octet lengths. */
	if (optlen > 0 && len >= BGP_OPEN_MIN + 3 && p[0] == OPT_EXT) {
		optlen = get16(p + 1);
		p += 3;
		hl = 3;
		if (BGP_OPEN_MIN + 3 + optlen != len) {
			bgp_err_set(err, BGP_ERR_OPEN, BGP_OPEN_UNSPECIFIC, NULL, 0);
			return -1;
		}
	} else if (BGP_OPEN_MIN + optlen != len) {
		bgp_err_set(err, BGP_ERR_OPEN, BGP_OPEN_UNSPECIFIC, NULL, 0);
		return -1;
	}
	if (o->my_as == 0) { /* RFC 7607 2 */
		bgp_err_set(err, BGP_ERR_OPEN, BGP_OPEN_BAD_AS, m + 20, 2);
		return -1;
	}
	if (o->hold == 1 || o->hold == 2) { /* RFC 4271 6.2: zero or at least three seconds */
		bgp_err_set(err, BGP_ERR_OPEN, BGP_OPEN_BAD_HOLD, m + 22, 2);
		return -1;
	}
	if (o->id == 0) { /* RFC 6286 2.2: a non-zero 4-octet number */
		bgp_err_set(err, BGP_ERR_OPEN, BGP_OPEN_BAD_ID, m + 24, 4);
		return -1;
	}
	while (off < optlen) {
		size_t plen;

		if (optlen - off < hl) {
			bgp_err_set(err, BGP_ERR_OPEN, BGP_OPEN_UNSPECIFIC, NULL, 0);
			return -1;
		}
		plen = hl == 2 ? p[off + 1] : get16(p + off + 1);
		if (optlen - off - hl < plen) {
			bgp_err_set(err, BGP_ERR_OPEN, BGP_OPEN_UNSPECIFIC, NULL, 0);
			return -1;
		}
		if (p[off] != OPT_CAPS) {
			/* RFC 4271 6.2: Unsupported Optional Parameter (RFC 4271 deprecated 1,
			 * auth). */
			bgp_err_set(err, BGP_ERR_OPEN, BGP_OPEN_BAD_PARAM, p + off, 1);
			return -1;
		}
		if (caps_decode(o, p + off + hl, plen, param++, err) < 0)
			return -1;
		off += hl + plen;
	}
	return 0;
}

/* One capability into w (0: not one netsim encodes); MP entries take afi[*mp] in turn. */
static size_t
cap_encode(uint8_t *w, const struct bgp_open *o, uint8_t code, unsigned *mp)
{
	size_t n = 0;

	switch (code) {
	case BGP_CAP_MP:
		if (*mp >= o->nafi)
			return 0;
		w[0] = code;
		w[1] = 4;
		put16(w + 2, o->afi[*mp].afi);
		w[4] = 0;
		w[5] = o->afi[*mp].safi;
		(*mp)++;
		return 6;
	case BGP_CAP_ROUTE_REFRESH:
	case BGP_CAP_RR_OLD:
	case BGP_CAP_ENHANCED_RR:
		w[0] = code;
		w[1] = 0;
		return 2;
	case BGP_CAP_GR:
		w[0] = code;
		put16(w + 2, (uint16_t)(o->gr_flags << 12 | (o->gr_time & 0x0fff)));
		n = 4;
		for (unsigned i = 0; i < o->ngr_afi; i++, n += 4) {
			put16(w + n, o->gr_afi[i].afi);
			w[n + 2] = o->gr_afi[i].safi;
			w[n + 3] = o->gr_afi[i].flags;
		}
		w[1] = (uint8_t)(n - 2);
		return n;
	case BGP_CAP_AS4:
		w[0] = code;
		w[1] = 4;
		put32(w + 2, o->as4);
		return 6;
	case BGP_CAP_ROLE:
		w[0] = code;
		w[1] = 1;
		w[2] = o->role;
		return 3;
	}
	return 0; /* not a capability netsim encodes */
}

size_t
bgp_open_encode(uint8_t *out, const struct bgp_open *o)
{
	struct bgp_open def;
	size_t off = BGP_OPEN_MIN, pstart = 0;
	unsigned mp = 0;
	int param = -1;

	if (o->ncaps == 0) {
		/* The default layout: one parameter, in the order FRR sends them. */
		def = *o;
		for (unsigned i = 0; i < o->nafi; i++)
			add_cap(&def, BGP_CAP_MP, 0);
		if (o->cap_rr)
			add_cap(&def, BGP_CAP_ROUTE_REFRESH, 0);
		if (o->cap_enhanced_rr)
			add_cap(&def, BGP_CAP_ENHANCED_RR, 0);
		if (o->cap_gr)
			add_cap(&def, BGP_CAP_GR, 0);
		if (o->has_role)
			add_cap(&def, BGP_CAP_ROLE, 0);
		if (o->as4)
			add_cap(&def, BGP_CAP_AS4, 0);
		o = &def;
	}
	for (unsigned i = 0; i < o->ncaps; i++) {
		uint8_t tmp[2 + 4 + 4 * ARRAY_LEN(o->gr_afi)];
		size_t n = cap_encode(tmp, o, o->caps[i].code, &mp);

		if (n == 0)
			continue;
		/* One-octet lengths (RFC 5492 4): what would not fit is left out. */
		if (off + n + 2 - BGP_OPEN_MIN > 255 ||
		    (param == o->caps[i].param && off + n - pstart - 2 > 255))
			continue;
		if (param != o->caps[i].param) {
			if (param >= 0)
				out[pstart + 1] = (uint8_t)(off - pstart - 2);
			param = o->caps[i].param;
			pstart = off;
			out[off] = OPT_CAPS;
			off += 2;
		}
		memcpy(out + off, tmp, n);
		off += n;
	}
	if (param >= 0)
		out[pstart + 1] = (uint8_t)(off - pstart - 2);
	bgp_hdr_put(out, off, BGP_OPEN);
	out[19] = BGP_VERSION;
	put16(out + 20, o->my_as);
	put16(out + 22, o->hold);
	put32(out + 24, o->id);
	out[28] = (uint8_t)(off - BGP_OPEN_MIN);
	return off;
}

/* --- KEEPALIVE, NOTIFICATION, ROUTE-REFRESH ------------------------------------------- */

size_t
bgp_keepalive_encode(uint8_t *out)
{
	return bgp_hdr_put(out, BGP_HDR_LEN, BGP_KEEPALIVE);
}

/* RFC 4271 4.5; any code is accepted (the receiver only reports it). -1 sets n to the header error.
 */
int
bgp_notification_decode(const uint8_t *m, size_t len, struct bgp_err *n)
{
	if (bgp_msg_whole(m, len, BGP_NOTIFICATION, n) < 0)
		return -1;
	bgp_err_set(n, m[19], m[20], m + 21, len - BGP_NOTIFICATION_MIN);
	return 0;
}

size_t
bgp_notification_encode(uint8_t *out, const struct bgp_err *n)
{
	size_t len = BGP_NOTIFICATION_MIN + n->dlen;

	bgp_hdr_put(out, len, BGP_NOTIFICATION);
	out[19] = n->code;
	out[20] = n->subcode;
	memcpy(out + 21, n->data, n->dlen);
	return len;
}

/*
 * RFC 2918 3, RFC 7313 3: AFI, subtype (reserved before RFC 7313), SAFI.
 * -1 for a bad header or length (bgp_msg_header gives the NOTIFICATION).
 * A subtype other than 0-2 decodes; RFC 7313 5 says to ignore the message.
 */
int
bgp_route_refresh_decode(const uint8_t *m, size_t len, uint16_t *afi, uint8_t *safi,
                         uint8_t *subtype)
{
	struct bgp_err err;

	if (bgp_msg_whole(m, len, BGP_ROUTE_REFRESH, &err) < 0)
		return -1;
	*afi = get16(m + 19);
	*subtype = m[21];
	*safi = m[22];
	return 0;
}

size_t
bgp_route_refresh_encode(uint8_t *out, uint16_t afi, uint8_t safi, uint8_t subtype)
{
	bgp_hdr_put(out, BGP_RR_LEN, BGP_ROUTE_REFRESH);
	put16(out + 19, afi);
	out[21] = subtype;
	out[22] = safi;
	return BGP_RR_LEN;
}

/* --- Names ------------------------------------------------------------------------------ */

const char *
bgp_msg_type_name(uint8_t type)
{
	static const char *const names[] = {NULL,           "OPEN",      "UPDATE",
	                                    "NOTIFICATION", "KEEPALIVE", "ROUTE-REFRESH"};

	return type < ARRAY_LEN(names) && names[type] ? names[type] : "unknown";
}

/* FRR's words (bgp_notify_msg and friends). */
const char *
bgp_err_code_name(uint8_t code)
{
	static const char *const names[] = {NULL,
	                                    "Message Header Error",
	                                    "OPEN Message Error",
	                                    "UPDATE Message Error",
	                                    "Hold Timer Expired",
	                                    "Neighbor Events Error",
	                                    "Cease",
	                                    "ROUTE-REFRESH Message Error"};

	return code < ARRAY_LEN(names) && names[code] ? names[code] : "Unknown Error";
}

const char *
bgp_err_subcode_name(uint8_t code, uint8_t subcode)
{
	static const char *const hdr[] = {NULL, "Connection Not Synchronized", "Bad Message Length",
	                                  "Bad Message Type"};
	static const char *const open[] = {"Unspecific",
	                                   "Unsupported Version Number",
	                                   "Bad Peer AS",
	                                   "Bad BGP Identifier",
	                                   "Unsupported Optional Parameter",
	                                   "Authentication Failure",
	                                   "Unacceptable Hold Time",
	                                   "Unsupported Capability",
	                                   NULL,
	                                   NULL,
	                                   NULL,
	                                   "Role Mismatch"};
	static const char *const upd[] = {"Unspecific",
	                                  "Malformed Attribute List",
	                                  "Unrecognized Well-known Attribute",
	                                  "Missing Well-known Attribute",
	                                  "Attribute Flags Error",
	                                  "Attribute Length Error",
	                                  "Invalid ORIGIN Attribute",
	                                  "AS Routing Loop",
	                                  "Invalid NEXT_HOP Attribute",
	                                  "Optional Attribute Error",
	                                  "Invalid Network Field",
	                                  "Malformed AS_PATH"};
	static const char *const fsm[] = {"Unspecific",
	                                  "Receive Unexpected Message in OpenSent State",
	                                  "Receive Unexpected Message in OpenConfirm State",
	                                  "Receive Unexpected Message in Established State"};
	static const char *const cease[] = {"Unspecific",
	                                    "Maximum Number of Prefixes Reached",
	                                    "Administrative Shutdown",
	                                    "Peer De-configured",
	                                    "Administrative Reset",
	                                    "Connection Rejected",
	                                    "Other Configuration Change",
	                                    "Connection Collision Resolution",
	                                    "Out of Resources",
	                                    "Hard Reset",
	                                    "BFD Down"};
	static const char *const rr[] = {"Unspecific", "Invalid Message Length"};
	static const struct {
		const char *const *v;
		size_t n;
	} tab[] = {
	    {NULL, 0}, {hdr, ARRAY_LEN(hdr)}, {open, ARRAY_LEN(open)},   {upd, ARRAY_LEN(upd)},
	    {NULL, 0}, {fsm, ARRAY_LEN(fsm)}, {cease, ARRAY_LEN(cease)}, {rr, ARRAY_LEN(rr)},
	};

	if (code < ARRAY_LEN(tab) && subcode < tab[code].n && tab[code].v[subcode])
		return tab[code].v[subcode];
	return subcode == 0 ? "Unspecific" : "Unknown Error Subcode";
}

void
bgp_err_str(const struct bgp_err *err, struct strbuf *sb)
{
	sb_add(sb, bgp_err_code_name(err->code));
	/* Hold Timer Expired has no subcodes: FRR prints its name alone. */
	if (err->code != BGP_ERR_HOLD)
		sb_printf(sb, "/%s", bgp_err_subcode_name(err->code, err->subcode));
}

const char *
bgp_cap_name(uint8_t code)
{
	switch (code) {
	case BGP_CAP_MP:
		return "multiprotocol";
	case BGP_CAP_ROUTE_REFRESH:
		return "route-refresh";
	case BGP_CAP_RR_OLD:
		return "route-refresh-old";
	case BGP_CAP_ENHANCED_RR:
		return "enhanced-route-refresh";
	case BGP_CAP_GR:
		return "graceful-restart";
	case BGP_CAP_AS4:
		return "4-octet-as";
	case BGP_CAP_ADDPATH:
		return "add-path";
	case BGP_CAP_ROLE:
		return "role";
	}
	return NULL;
}
