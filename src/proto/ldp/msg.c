/*
 * msg.c: LDP PDUs, messages and TLVs (RFC 5036 3.1-3.5): decoding with
 * every length checked against what encloses it (TLV in message, message
 * in PDU, PDU in buffer), and encoding that gives back what was decoded.
 */
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/util.h"
#include "msg.h"

/* Record the first error: field, offset and status code; always -1. */
static int
fail(struct ldp_err *err, const char *field, size_t off, uint32_t status)
{
	err->field = field;
	err->off = off;
	err->status = status;
	return -1;
}

int
ldp_pdu_header(const uint8_t *buf, size_t len, struct ldp_pdu *h, struct ldp_err *err)
{
	size_t whole;

	/* RFC 5036 3.5.1.2.1: a version other than 1 is Bad Protocol Version. */
	if (len >= 2 && get16(buf) != LDP_VERSION)
		return fail(err, "PDU version", 0, LDP_ST_BAD_VERSION);
	if (len < LDP_PDU_HDR_LEN)
		return 0;
	h->version = get16(buf);
	h->len = get16(buf + 2);
	h->lsr_id = get32(buf + 4);
	h->space = get16(buf + 8);
	/* The length counts the LDP identifier (6 octets) and the messages. */
	if (h->len < LDP_PDU_HDR_LEN - 4)
		return fail(err, "PDU length", 2, LDP_ST_BAD_PDU_LEN);
	whole = 4 + (size_t)h->len;
	return len < whole ? 0 : (int)whole;
}

/* The value of a Common Hello Parameters TLV (RFC 5036 3.5.2). */
#define HELLO_T 0x8000
#define HELLO_R 0x4000
/* The A and D bits of the Common Session Parameters (RFC 5036 3.5.3). */
#define SESSION_A 0x80
#define SESSION_D 0x40

/*
 * The TLVs decoded into fields: the ldp_msg.has bit each sets and the size
 * of its value (0: variable), in the order RFC 5036 3.5 lists them in its
 * messages (the encoder's order when a message has no TLV list).
 */
static const struct {
	uint16_t type;
	unsigned has;
	uint16_t size;
	const char *bad_len; /* the field a wrong size names */
} tlv_has[] = {
    {LDP_TLV_STATUS, LDP_HAS_STATUS, 10, "Status TLV length"},
    {LDP_TLV_COMMON_HELLO, LDP_HAS_HELLO, 4, "Common Hello Parameters TLV length"},
    {LDP_TLV_IPV4_TRANSPORT, LDP_HAS_TRANSPORT, 4, "IPv4 Transport Address TLV length"},
    {LDP_TLV_CONFIG_SEQ, LDP_HAS_CSEQ, 4, "Configuration Sequence Number TLV length"},
    {LDP_TLV_COMMON_SESSION, LDP_HAS_SESSION, 14, "Common Session Parameters TLV length"},
    {LDP_TLV_ADDR_LIST, LDP_HAS_ADDRS, 0, "Address List TLV length"},
    {LDP_TLV_FEC, LDP_HAS_FEC, 0, "FEC TLV length"},
    {LDP_TLV_GENERIC_LABEL, LDP_HAS_LABEL, 4, "Generic Label TLV length"},
    {LDP_TLV_LABEL_REQUEST_ID, LDP_HAS_REQ_ID, 4, "Label Request Message ID TLV length"},
};

static size_t
prefix_octets(uint8_t plen)
{
	return ((size_t)plen + 7) / 8;
}

/* FEC TLV value v[0..len) at offset off (RFC 5036 3.4.1). */
static int
fec_decode(const uint8_t *v, size_t len, size_t off, struct ldp_label_msg *l, struct ldp_err *err)
{
	size_t i = 0;

	if (len == 0)
		return fail(err, "FEC TLV length (no element)", off - 2, LDP_ST_MALFORMED_TLV);
	while (i < len) {
		struct ldp_fec *f;

		if (l->nfec == LDP_MAX_FECS)
			return fail(err, "FEC element count", off + i, LDP_ST_INTERNAL);
		f = &l->fec[l->nfec];
		memset(f, 0, sizeof *f);
		f->type = v[i];
		if (f->type == LDP_FEC_WILDCARD) {
			/* 3.4.1: the Wildcard element is the only one of its TLV. */
			if (len != 1)
				return fail(err, "FEC wildcard element (not alone)", off + i,
				            LDP_ST_MALFORMED_TLV);
			i++;
		} else if (f->type == LDP_FEC_PREFIX) {
			size_t n;

			if (len - i < 4)
				return fail(err, "FEC prefix element length", off + i,
				            LDP_ST_BAD_TLV_LEN);
			f->family = get16(v + i + 1);
			f->plen = v[i + 3];
			if (f->family != LDP_AF_IPV4 && f->family != LDP_AF_IPV6)
				return fail(err, "FEC prefix address family", off + i + 1,
				            LDP_ST_UNSUPPORTED_FAMILY);
			if (f->plen > (f->family == LDP_AF_IPV4 ? 32 : 128))
				return fail(err, "FEC prefix length", off + i + 3,
				            LDP_ST_MALFORMED_TLV);
			n = prefix_octets(f->plen);
			if (len - i - 4 < n)
				return fail(err, "FEC prefix", off + i + 4, LDP_ST_BAD_TLV_LEN);
			memcpy(f->addr, v + i + 4, n);
			i += 4 + n;
		} else {
			return fail(err, "FEC element type", off + i, LDP_ST_UNKNOWN_FEC);
		}
		l->nfec++;
	}
	return 0;
}

/* Address List TLV value (RFC 5036 3.4.3): IPv4 decoded, other families kept. */
static int
addrs_decode(const uint8_t *v, size_t len, size_t off, struct ldp_addr_list *a, struct ldp_err *err)
{
	if (len < 2)
		return fail(err, "Address List TLV length", off - 2, LDP_ST_BAD_TLV_LEN);
	a->family = get16(v);
	if (a->family != LDP_AF_IPV4) {
		a->raw = v + 2;
		a->rawlen = (uint16_t)(len - 2);
		return 0;
	}
	if ((len - 2) % 4 != 0)
		return fail(err, "Address List TLV length", off - 2, LDP_ST_BAD_TLV_LEN);
	if ((len - 2) / 4 > LDP_MAX_ADDRS)
		return fail(err, "Address List address count", off + 2, LDP_ST_INTERNAL);
	for (size_t i = 2; i < len; i += 4)
		a->addr[a->n++] = get32(v + i);
	return 0;
}

/*
 * Decode a TLV netsim knows into m; 1 if it did, 0 to keep it raw (unknown,
 * or a repeat of one already decoded), -1 on error. off: the value's offset.
 */
static int
tlv_decode(struct ldp_msg *m, uint16_t type, const uint8_t *v, size_t len, size_t off,
           struct ldp_err *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < ARRAY_LEN(tlv_has) && tlv_has[i].type != type; i++)
		;
	if (i == ARRAY_LEN(tlv_has) || (m->has & tlv_has[i].has))
		return 0;
	if (tlv_has[i].size != 0 && len != tlv_has[i].size)
		return fail(err, tlv_has[i].bad_len, off - 2, LDP_ST_BAD_TLV_LEN);
	switch (type) {
	case LDP_TLV_COMMON_HELLO:
		m->hello.hold = get16(v);
		m->hello.targeted = (get16(v + 2) & HELLO_T) != 0;
		m->hello.req_targeted = (get16(v + 2) & HELLO_R) != 0;
		m->hello.other_flags = get16(v + 2) & ~(HELLO_T | HELLO_R);
		break;
	case LDP_TLV_IPV4_TRANSPORT:
		m->hello.transport = get32(v);
		break;
	case LDP_TLV_CONFIG_SEQ:
		m->hello.cseq = get32(v);
		break;
	case LDP_TLV_COMMON_SESSION:
		m->init.version = get16(v);
		m->init.keepalive = get16(v + 2);
		m->init.adv_on_demand = (v[4] & SESSION_A) != 0;
		m->init.loop_detect = (v[4] & SESSION_D) != 0;
		m->init.other_flags = v[4] & ~(SESSION_A | SESSION_D);
		m->init.pv_limit = v[5];
		m->init.max_pdu = get16(v + 6);
		m->init.recv_lsr_id = get32(v + 8);
		m->init.recv_space = get16(v + 12);
		break;
	case LDP_TLV_ADDR_LIST:
		rc = addrs_decode(v, len, off, &m->addrs, err);
		break;
	case LDP_TLV_FEC:
		rc = fec_decode(v, len, off, &m->lbl, err);
		break;
	case LDP_TLV_GENERIC_LABEL:
		/* RFC 5036 3.4.2.1: a 20-bit label, right-justified. */
		m->lbl.label = get32(v);
		if (m->lbl.label > 0xfffff)
			rc = fail(err, "Generic Label value", off, LDP_ST_MALFORMED_TLV);
		break;
	case LDP_TLV_LABEL_REQUEST_ID:
		m->lbl.req_id = get32(v);
		break;
	case LDP_TLV_STATUS:
		m->status.code = get32(v);
		m->status.msg_id = get32(v + 4);
		m->status.msg_type = get16(v + 8);
		break;
	}
	if (rc < 0)
		return -1;
	m->has |= tlv_has[i].has;
	return 1;
}

/* The TLV each message must carry (RFC 5036 3.5.1-3.5.11): 0 for none netsim checks. */
static unsigned
required(uint16_t type, const char **name)
{
	switch (type) {
	case LDP_NOTIFICATION:
		*name = "Status TLV";
		return LDP_HAS_STATUS;
	case LDP_HELLO:
		*name = "Common Hello Parameters TLV";
		return LDP_HAS_HELLO;
	case LDP_INIT:
		*name = "Common Session Parameters TLV";
		return LDP_HAS_SESSION;
	case LDP_ADDRESS:
	case LDP_ADDRESS_WITHDRAW:
		*name = "Address List TLV";
		return LDP_HAS_ADDRS;
	case LDP_LABEL_MAPPING:
	case LDP_LABEL_REQUEST:
	case LDP_LABEL_WITHDRAW:
	case LDP_LABEL_RELEASE:
	case LDP_LABEL_ABORT:
		*name = "FEC TLV";
		return LDP_HAS_FEC;
	}
	return 0;
}

int
ldp_msg_decode(const uint8_t *buf, size_t len, size_t base, struct ldp_msg *m, struct ldp_err *err)
{
	const char *name = NULL;
	unsigned req;
	size_t off, end;

	memset(m, 0, sizeof *m);
	if (len < LDP_MSG_HDR_LEN)
		return fail(err, "message header", base, LDP_ST_BAD_MSG_LEN);
	m->type = get16(buf);
	m->len = get16(buf + 2);
	m->id = get32(buf + 4);
	/* The length counts the message ID (4 octets) and the TLVs. */
	if (m->len < LDP_MSG_HDR_LEN - 4 || (size_t)m->len + 4 > len)
		return fail(err, "message length", base + 2, LDP_ST_BAD_MSG_LEN);
	end = 4 + (size_t)m->len;
	for (off = LDP_MSG_HDR_LEN; off < end;) {
		struct ldp_tlv *t;
		int rc;

		if (end - off < LDP_TLV_HDR_LEN)
			return fail(err, "TLV header", base + off, LDP_ST_BAD_TLV_LEN);
		if (m->ntlv == LDP_MAX_TLVS)
			return fail(err, "TLV count", base + off, LDP_ST_INTERNAL);
		t = &m->tlv[m->ntlv++];
		t->type = get16(buf + off);
		t->len = get16(buf + off + 2);
		if (t->len > end - off - LDP_TLV_HDR_LEN)
			return fail(err, "TLV length", base + off + 2, LDP_ST_BAD_TLV_LEN);
		t->val = buf + off + LDP_TLV_HDR_LEN;
		rc = tlv_decode(m, t->type & LDP_TYPE_MASK, t->val, t->len,
		                base + off + LDP_TLV_HDR_LEN, err);
		if (rc < 0)
			return -1;
		if (rc > 0)
			t->val = NULL; /* encoded from the fields */
		off += LDP_TLV_HDR_LEN + t->len;
	}
	req = required(m->type & ~LDP_U_BIT, &name);
	if (req != 0 && !(m->has & req))
		return fail(err, name, base, LDP_ST_MISSING_PARAM);
	return (int)end;
}

int
ldp_pdu_decode(const uint8_t *p, size_t len, struct ldp_pdu *h, struct ldp_msg *msgs, unsigned max,
               struct ldp_err *err)
{
	int whole = ldp_pdu_header(p, len, h, err);
	unsigned n = 0;
	size_t off;

	if (whole < 0)
		return -1;
	if (whole == 0)
		return fail(err, len < LDP_PDU_HDR_LEN ? "PDU header" : "PDU length",
		            len < LDP_PDU_HDR_LEN ? 0 : 2, LDP_ST_BAD_PDU_LEN);
	for (off = LDP_PDU_HDR_LEN; off < (size_t)whole; n++) {
		int rc;

		if (n == max)
			return fail(err, "message count", off, LDP_ST_INTERNAL);
		rc = ldp_msg_decode(p + off, (size_t)whole - off, off, &msgs[n], err);
		if (rc < 0)
			return -1;
		off += (size_t)rc;
	}
	return (int)n;
}

/* A bounded writer: an overrun is remembered, and the encoder then returns 0. */
struct wr {
	uint8_t *p;
	size_t cap, n;
	bool over;
};

static uint8_t *
w_room(struct wr *w, size_t n)
{
	uint8_t *at;

	if (w->over || w->cap - w->n < n) {
		w->over = true;
		return NULL;
	}
	at = w->p + w->n;
	w->n += n;
	return at;
}

static void
w8(struct wr *w, uint8_t v)
{
	uint8_t *at = w_room(w, 1);

	if (at)
		*at = v;
}

static void
w16(struct wr *w, uint16_t v)
{
	uint8_t *at = w_room(w, 2);

	if (at)
		put16(at, v);
}

static void
w32(struct wr *w, uint32_t v)
{
	uint8_t *at = w_room(w, 4);

	if (at)
		put32(at, v);
}

static void
wbytes(struct wr *w, const uint8_t *v, size_t n)
{
	uint8_t *at = w_room(w, n);

	if (at && n > 0)
		memcpy(at, v, n);
}

/* The value of a TLV decoded into m's fields. */
static void
tlv_value_encode(struct wr *w, const struct ldp_msg *m, uint16_t type)
{
	switch (type) {
	case LDP_TLV_COMMON_HELLO:
		w16(w, m->hello.hold);
		w16(w, (uint16_t)((m->hello.targeted ? HELLO_T : 0) |
		                  (m->hello.req_targeted ? HELLO_R : 0) |
		                  (m->hello.other_flags & ~(HELLO_T | HELLO_R))));
		break;
	case LDP_TLV_IPV4_TRANSPORT:
		w32(w, m->hello.transport);
		break;
	case LDP_TLV_CONFIG_SEQ:
		w32(w, m->hello.cseq);
		break;
	case LDP_TLV_COMMON_SESSION:
		w16(w, m->init.version);
		w16(w, m->init.keepalive);
		w8(w, (uint8_t)((m->init.adv_on_demand ? SESSION_A : 0) |
		                (m->init.loop_detect ? SESSION_D : 0) |
		                (m->init.other_flags & ~(SESSION_A | SESSION_D))));
		w8(w, m->init.pv_limit);
		w16(w, m->init.max_pdu);
		w32(w, m->init.recv_lsr_id);
		w16(w, m->init.recv_space);
		break;
	case LDP_TLV_ADDR_LIST:
		w16(w, m->addrs.family);
		if (m->addrs.family == LDP_AF_IPV4)
			for (unsigned i = 0; i < m->addrs.n; i++)
				w32(w, m->addrs.addr[i]);
		else
			wbytes(w, m->addrs.raw, m->addrs.rawlen);
		break;
	case LDP_TLV_FEC:
		for (unsigned i = 0; i < m->lbl.nfec; i++) {
			const struct ldp_fec *f = &m->lbl.fec[i];

			w8(w, f->type);
			if (f->type != LDP_FEC_PREFIX)
				continue;
			w16(w, f->family);
			w8(w, f->plen);
			wbytes(w, f->addr, prefix_octets(f->plen));
		}
		break;
	case LDP_TLV_GENERIC_LABEL:
		w32(w, m->lbl.label);
		break;
	case LDP_TLV_LABEL_REQUEST_ID:
		w32(w, m->lbl.req_id);
		break;
	case LDP_TLV_STATUS:
		w32(w, m->status.code);
		w32(w, m->status.msg_id);
		w16(w, m->status.msg_type);
		break;
	}
}

static void
tlv_encode(struct wr *w, const struct ldp_msg *m, const struct ldp_tlv *t)
{
	size_t start;

	w16(w, t->type);
	start = w->n;
	w16(w, 0);
	if (t->val != NULL)
		wbytes(w, t->val, t->len);
	else
		tlv_value_encode(w, m, t->type & LDP_TYPE_MASK);
	if (!w->over)
		put16(w->p + start, (uint16_t)(w->n - start - 2));
}

size_t
ldp_msg_encode(uint8_t *out, size_t cap, const struct ldp_msg *m)
{
	struct wr w = {out, cap, 0, false};

	w16(&w, m->type);
	w16(&w, 0);
	w32(&w, m->id);
	if (m->ntlv > 0) {
		for (unsigned i = 0; i < m->ntlv && i < LDP_MAX_TLVS; i++)
			tlv_encode(&w, m, &m->tlv[i]);
	} else {
		for (size_t i = 0; i < ARRAY_LEN(tlv_has); i++) {
			struct ldp_tlv t = {tlv_has[i].type, 0, NULL};

			if (m->has & tlv_has[i].has)
				tlv_encode(&w, m, &t);
		}
	}
	if (w.over || w.n - 4 > 0xffff)
		return 0;
	put16(out + 2, (uint16_t)(w.n - 4));
	return w.n;
}

size_t
ldp_pdu_encode(uint8_t *out, size_t cap, const struct ldp_pdu *h, const struct ldp_msg *msgs,
               unsigned n)
{
	size_t off = LDP_PDU_HDR_LEN;

	if (cap < LDP_PDU_HDR_LEN)
		return 0;
	put16(out, h->version ? h->version : LDP_VERSION);
	put32(out + 4, h->lsr_id);
	put16(out + 8, h->space);
	for (unsigned i = 0; i < n; i++) {
		size_t k = ldp_msg_encode(out + off, cap - off, &msgs[i]);

		if (k == 0)
			return 0;
		off += k;
	}
	if (off - 4 > 0xffff)
		return 0;
	put16(out + 2, (uint16_t)(off - 4));
	return off;
}

const char *
ldp_msg_type_name(uint16_t type)
{
	switch (type & ~LDP_U_BIT) {
	case LDP_NOTIFICATION:
		return "Notification";
	case LDP_HELLO:
		return "Hello";
	case LDP_INIT:
		return "Initialization";
	case LDP_KEEPALIVE:
		return "KeepAlive";
	case LDP_CAPABILITY:
		return "Capability";
	case LDP_ADDRESS:
		return "Address";
	case LDP_ADDRESS_WITHDRAW:
		return "Address Withdraw";
	case LDP_LABEL_MAPPING:
		return "Label Mapping";
	case LDP_LABEL_REQUEST:
		return "Label Request";
	case LDP_LABEL_WITHDRAW:
		return "Label Withdraw";
	case LDP_LABEL_RELEASE:
		return "Label Release";
	case LDP_LABEL_ABORT:
		return "Label Abort Request";
	}
	return NULL;
}

const char *
ldp_status_name(uint32_t code)
{
	/* RFC 5036 3.9, by code. */
	static const char *const names[] = {
	    "Success",
	    "Bad LDP Identifier",
	    "Bad Protocol Version",
	    "Bad PDU Length",
	    "Unknown Message Type",
	    "Bad Message Length",
	    "Unknown TLV",
	    "Bad TLV Length",
	    "Malformed TLV Value",
	    "Hold Timer Expired",
	    "Shutdown",
	    "Loop Detected",
	    "Unknown FEC",
	    "No Route",
	    "No Label Resources",
	    "Label Resources Available",
	    "Session Rejected/No Hello",
	    "Session Rejected/Parameters Advertisement Mode",
	    "Session Rejected/Parameters Max PDU Length",
	    "Session Rejected/Parameters Label Range",
	    "KeepAlive Timer Expired",
	    "Label Request Aborted",
	    "Missing Message Parameters",
	    "Unsupported Address Family",
	    "Session Rejected/Bad KeepAlive Time",
	    "Internal Error",
	};

	code &= LDP_STATUS_CODE;
	return code < ARRAY_LEN(names) ? names[code] : NULL;
}

void
ldp_err_str(const struct ldp_err *err, struct strbuf *sb)
{
	const char *st = ldp_status_name(err->status);

	sb_printf(sb, "%s at offset %zu", err->field ? err->field : "?", err->off);
	if (st != NULL)
		sb_printf(sb, " (%s)", st);
}
