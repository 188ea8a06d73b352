/* lsp_ping_msg.c: MPLS echo messages (RFC 8029 3), lsp_ping_msg.h. */
#include <string.h>

#include "../lib/buf.h"
#include "../lib/util.h"
#include "lsp_ping_msg.h"

/* TLVs and sub-TLVs are padded to four octets; their length fields do not count it (3). */
#define PAD4(x) (((x) + 3u) & ~3u)

size_t
lsp_echo_build(const struct lsp_echo *m, uint8_t *p)
{
	size_t off = LSPP_HDR_LEN;

	memset(p, 0, LSPP_MSG_MAX);
	put16(p, m->version);
	put16(p + 2, m->flags);
	p[4] = m->type;
	p[5] = m->mode;
	p[6] = m->rc;
	p[7] = m->rsc;
	put32(p + 8, m->handle);
	put32(p + 12, m->seq);
	put32(p + LSPP_TS_SENT, (uint32_t)(m->ts_sent >> 32));
	put32(p + LSPP_TS_SENT + 4, (uint32_t)m->ts_sent);
	put32(p + LSPP_TS_RCVD, (uint32_t)(m->ts_rcvd >> 32));
	put32(p + LSPP_TS_RCVD + 4, (uint32_t)m->ts_rcvd);
	if (m->have_fec) {
		/* Target FEC Stack: one LDP IPv4 prefix sub-TLV, 5 octets padded to 8 (3.2.1). */
		put16(p + off, LSPP_TLV_FEC);
		put16(p + off + 2, 4 + PAD4(5));
		put16(p + off + 4, LSPP_FEC_LDP4);
		put16(p + off + 6, 5);
		put32(p + off + 8, m->fec.addr);
		p[off + 12] = m->fec.len;
		off += 4 + 4 + PAD4(5);
	}
	if (m->have_stack) {
		/* Interface and Label Stack (3.8): address type, address, interface, the stack. */
		size_t vlen = 12 + 4u * m->nlabels;

		put16(p + off, LSPP_TLV_ILS);
		put16(p + off + 2, (uint16_t)vlen);
		p[off + 4] = LSPP_ADDR_IPV4;
		put32(p + off + 8, m->rx_addr);
		put32(p + off + 12, m->rx_addr);
		for (int i = 0; i < m->nlabels; i++)
			put32(p + off + 16 + 4 * i, m->labels[i]);
		off += 4 + vlen;
	}
	return off;
}

/* The Target FEC Stack's first sub-TLV (the FEC at stack depth 1). */
static int
parse_fec(const uint8_t *v, size_t len, struct lsp_echo *m)
{
	uint16_t st, sl;

	if (len < 4)
		return -1;
	st = get16(v);
	sl = get16(v + 2);
	if (4u + sl > len)
		return -1;
	m->fec_subtype = st;
	if (st != LSPP_FEC_LDP4) {
		m->unknown_tlv = true;
		return 0;
	}
	if (sl != 5 || v[8] > 32)
		return -1;
	m->fec.len = v[8];
	m->fec.addr = get32(v + 4) & ip_mask(m->fec.len);
	m->have_fec = true;
	return 0;
}

static int
parse_stack(const uint8_t *v, size_t len, struct lsp_echo *m)
{
	if (len < 12 || (len - 12) % 4 != 0 || v[0] != LSPP_ADDR_IPV4)
		return v[0] == LSPP_ADDR_IPV4 ? -1 : 0;
	m->have_stack = true;
	m->rx_addr = get32(v + 4);
	m->nlabels = (uint8_t)MIN((len - 12) / 4, LABEL_STACK_MAX);
	for (int i = 0; i < m->nlabels; i++)
		m->labels[i] = get32(v + 12 + 4 * i);
	return 0;
}

int
lsp_echo_parse(const uint8_t *p, size_t len, struct lsp_echo *m)
{
	size_t off = LSPP_HDR_LEN;

	memset(m, 0, sizeof(*m));
	if (len < LSPP_HDR_LEN || get16(p) != LSPP_VERSION)
		return -1;
	m->version = get16(p);
	m->flags = get16(p + 2);
	m->type = p[4];
	m->mode = p[5];
	m->rc = p[6];
	m->rsc = p[7];
	m->handle = get32(p + 8);
	m->seq = get32(p + 12);
	m->ts_sent = (uint64_t)get32(p + LSPP_TS_SENT) << 32 | get32(p + LSPP_TS_SENT + 4);
	m->ts_rcvd = (uint64_t)get32(p + LSPP_TS_RCVD) << 32 | get32(p + LSPP_TS_RCVD + 4);
	while (off + 4 <= len) {
		uint16_t t = get16(p + off), l = get16(p + off + 2);
		int r = 0;

		if (off + 4 + l > len)
			return -1;
		if (t == LSPP_TLV_FEC)
			r = parse_fec(p + off + 4, l, m);
		else if (t == LSPP_TLV_ILS)
			r = parse_stack(p + off + 4, l, m);
		else if (t < 32768)
			m->unknown_tlv = true;
		if (r < 0)
			return -1;
		off += 4 + PAD4(l);
	}
	return 0;
}

static const char *const rc_texts[] = {
	"No return code",
	"Malformed echo request received",
	"One or more of the TLVs was not understood",
	"Replying router is an egress for the FEC at stack-depth",
	"Replying router has no mapping for the FEC at stack-depth",
	"Downstream Mapping Mismatch",
	"Upstream Interface Index Unknown",
	"Reserved",
	"Label switched at stack-depth",
	"Label switched but no MPLS forwarding at stack-depth",
	"Mapping for this FEC is not the given label at stack-depth",
	"No label entry at stack-depth",
	"Protocol not associated with interface at FEC stack-depth",
	"Premature termination of ping due to label stack shrinking to a single label",
	"See DDMAP TLV for meaning of Return Code and Return Subcode",
	"Label switched with FEC change",
};

const char *
lsp_rc_text(uint8_t rc)
{
	return rc < ARRAY_LEN(rc_texts) ? rc_texts[rc] : "Unknown return code";
}

char
lsp_rc_char(uint8_t rc)
{
	/* Cisco's legend, by return code. */
	static const char chars[] = "xMm!FDI?RBfNPpdl";

	return rc < sizeof(chars) - 1 ? chars[rc] : 'X';
}
