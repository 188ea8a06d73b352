/*
 * dissect.c: LDP for `netsim decode`: Hellos over UDP 646, sessions over
 * TCP 646 (RFC 5036 2.4, 3.10). Each PDU is decoded with the codec
 * (msg.c), so the decoder rejects what the codec would, naming the field
 * and its offset in the PDU. One line per segment: PDUs separated by "; ",
 * the messages of a PDU by ", ":
 *
 *   LDP 1.1.1.1:0 Hello id 1 hold 15 transport 1.1.1.1 cseq 2
 *   LDP 192.168.0.2:0 Label Mapping id 5 fec 192.168.0.2/32 label 3 tlvs 0x0103,0x0104
 *
 * On TCP a PDU may be cut at the segment's end ("[|ldp]"); a segment that
 * does not start with a version-1 header continues an earlier PDU.
 */
#include <arpa/inet.h>
#include <stdlib.h>

#include "../../lib/buf.h"
#include "../../lib/ip.h"
#include "../../lib/strbuf.h"
#include "../../lib/util.h"
#include "../../net/dissect.h"
#include "dissect.h"
#include "msg.h"

/* Addresses and FEC elements listed before "..." (all of them with -v). */
#define LIST_SHOWN 8

/* Messages one PDU may hold for the decoder (more is reported as an error). */
#define PDU_MSGS 64

static size_t
shown(const struct dissect *d, size_t n)
{
	return d->verbose || n <= LIST_SHOWN ? n : LIST_SHOWN;
}

static void
fec_add(struct dissect *d, const struct ldp_label_msg *l)
{
	size_t k = shown(d, l->nfec);

	dissect_add(d, " fec");
	for (size_t i = 0; i < k; i++) {
		const struct ldp_fec *f = &l->fec[i];
		char a[INET6_ADDRSTRLEN];

		dissect_add(d, "%s", i == 0 ? " " : ",");
		if (f->type == LDP_FEC_WILDCARD) {
			dissect_add(d, "wildcard");
			continue;
		}
		inet_ntop(f->family == LDP_AF_IPV4 ? AF_INET : AF_INET6, f->addr, a, sizeof a);
		dissect_add(d, "%s/%u", a, f->plen);
	}
	if (k < l->nfec)
		dissect_add(d, " ... (%zu more)", l->nfec - k);
}

static void
addrs_add(struct dissect *d, const struct ldp_addr_list *a)
{
	size_t k = shown(d, a->n);

	if (a->family != LDP_AF_IPV4) {
		dissect_add(d, " family %u %u bytes", a->family, a->rawlen);
		return;
	}
	dissect_add(d, " %u address%s", a->n, a->n == 1 ? "" : "es");
	for (size_t i = 0; i < k; i++)
		dissect_add(d, " %s", ip_str(a->addr[i]));
	if (k < a->n)
		dissect_add(d, " ... (%zu more)", a->n - k);
}

static void
status_add(struct dissect *d, const struct ldp_status *s)
{
	static const struct dissect_flag flags[] = {{LDP_STATUS_E >> 30, "E"},
	                                            {LDP_STATUS_F >> 30, "F"}};
	const char *name = ldp_status_name(s->code);

	if (name != NULL)
		dissect_add(d, " %s", name);
	else
		dissect_add(d, " status 0x%08x", s->code & LDP_STATUS_CODE);
	if (s->code >> 30) {
		dissect_add(d, " [");
		dissect_flags(d, s->code >> 30, flags, ARRAY_LEN(flags));
		dissect_add(d, "]");
	}
	if (s->msg_id != 0 || s->msg_type != 0)
		dissect_add(d, " about id %u type 0x%04x", s->msg_id, s->msg_type);
}

static void
msg_add(struct dissect *d, const struct ldp_msg *m)
{
	const char *name = ldp_msg_type_name(m->type);
	unsigned nraw = 0;

	if (name != NULL)
		dissect_add(d, "%s", name);
	else
		dissect_add(d, "type 0x%04x", m->type & ~LDP_U_BIT);
	dissect_add(d, " id %u", m->id);
	if (m->has & LDP_HAS_STATUS)
		status_add(d, &m->status);
	if (m->has & LDP_HAS_HELLO)
		dissect_add(d, " hold %u%s%s", m->hello.hold, m->hello.targeted ? " T" : "",
		            m->hello.req_targeted ? " R" : "");
	if (m->has & LDP_HAS_TRANSPORT)
		dissect_add(d, " transport %s", ip_str(m->hello.transport));
	if (m->has & LDP_HAS_CSEQ)
		dissect_add(d, " cseq %u", m->hello.cseq);
	if (m->has & LDP_HAS_SESSION) {
		const struct ldp_init *s = &m->init;

		dissect_add(d, " version %u keepalive %u %s%s pvlim %u max-pdu %u receiver %s:%u",
		            s->version, s->keepalive, s->adv_on_demand ? "DoD" : "DU",
		            s->loop_detect ? " loop-detect" : "", s->pv_limit, s->max_pdu,
		            ip_str(s->recv_lsr_id), s->recv_space);
	}
	if (m->has & LDP_HAS_ADDRS)
		addrs_add(d, &m->addrs);
	if (m->has & LDP_HAS_FEC)
		fec_add(d, &m->lbl);
	if (m->has & LDP_HAS_LABEL)
		dissect_add(d, " label %u", m->lbl.label);
	if (m->has & LDP_HAS_REQ_ID)
		dissect_add(d, " request-id %u", m->lbl.req_id);
	/* The TLVs netsim only carries (hop count, path vector, capabilities...). */
	for (unsigned i = 0; i < m->ntlv; i++)
		if (m->tlv[i].val != NULL)
			dissect_add(d, "%s0x%04x", nraw++ == 0 ? " tlvs " : ",", m->tlv[i].type);
}

static void
add_err(struct dissect *d, const struct ldp_err *e)
{
	struct strbuf sb;

	sb_init(&sb);
	ldp_err_str(e, &sb);
	dissect_error(d, "LDP: %s", sb_str(&sb));
	sb_free(&sb);
}

/* One whole PDU p[0..len). */
static void
pdu_add(struct dissect *d, const uint8_t *p, size_t len)
{
	struct ldp_msg *msgs = xmalloc(sizeof(*msgs) * PDU_MSGS);
	struct ldp_pdu h;
	struct ldp_err err;
	int n = ldp_pdu_decode(p, len, &h, msgs, PDU_MSGS, &err);

	dissect_add(d, "%s:%u", ip_str(get32(p + 4)), get16(p + 8));
	if (n < 0)
		add_err(d, &err);
	for (int i = 0; i < n; i++) {
		dissect_add(d, "%s", i == 0 ? " " : ", ");
		msg_add(d, &msgs[i]);
	}
	free(msgs);
}

void
ldp_dissect_pdus(struct dissect *d, const uint8_t *p, size_t len, bool stream)
{
	size_t off = 0;

	d->known = true;
	dissect_add(d, "LDP");
	if (stream && len >= 2 && get16(p) != LDP_VERSION) {
		dissect_add(d, " continuation %zu bytes", len);
		return;
	}
	while (off < len) {
		struct ldp_pdu h;
		struct ldp_err err;
		size_t rest = len - off;
		int n = ldp_pdu_header(p + off, rest, &h, &err);

		dissect_add(d, "%s", off == 0 ? " " : "; ");
		if (n < 0) {
			add_err(d, &err);
			return;
		}
		if (n == 0) {
			/* A datagram holds whole PDUs (RFC 5036 2.4.1); a stream continues. */
			if (!stream && !d->partial) {
				dissect_error(d, "LDP: PDU length at offset %zu (Bad PDU Length)",
				              off + 2);
				return;
			}
			if (rest >= LDP_PDU_HDR_LEN)
				dissect_add(d, "%s:%u len %u ", ip_str(get32(p + off + 4)),
				            get16(p + off + 8), get16(p + off + 2));
			dissect_add(d, "[|ldp]");
			return;
		}
		pdu_add(d, p + off, (size_t)n);
		off += (size_t)n;
	}
}

static void
ldp_udp(struct dissect *d, const uint8_t *p, size_t len)
{
	ldp_dissect_pdus(d, p, len, false);
}

static void
ldp_tcp(struct dissect *d, const uint8_t *p, size_t len)
{
	ldp_dissect_pdus(d, p, len, true);
}

void
ldp_dissect_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	dissect_register(DT_UDP_PORT, LDP_PORT, ldp_udp);
	dissect_register(DT_TCP_PORT, LDP_PORT, ldp_tcp);
}
