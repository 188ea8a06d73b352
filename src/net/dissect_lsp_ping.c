/*
 * dissect_lsp_ping.c: MPLS echo request and reply (RFC 8029), UDP port
 * 3503: message type, reply mode, return code and subcode, sender's handle,
 * sequence number, and the TLVs netsim reads (lsp_ping_msg.h): the Target
 * FEC Stack's LDP IPv4 prefix and the Interface and Label Stack.
 */
#include "../lib/buf.h"
#include "dissect.h"
#include "dissect_int.h"
#include "lsp_ping.h"
#include "lsp_ping_msg.h"

static void
lsp_ping(struct dissect *d, const uint8_t *p, size_t len)
{
	struct lsp_echo m;

	if (!dissect_need(d, "MPLS echo", len, LSPP_HDR_LEN))
		return;
	d->known = true;
	if (lsp_echo_parse(p, len, &m) < 0) {
		dissect_add(d, "MPLS echo");
		dissect_error(d, get16(p) != LSPP_VERSION ?
			"MPLS echo: version %u (RFC 8029 is 1)" : "MPLS echo: bad TLV (of %u octets)",
		    get16(p) != LSPP_VERSION ? get16(p) : (unsigned)len);
		return;
	}
	if (m.type == LSPP_MSG_REQUEST || m.type == LSPP_MSG_REPLY)
		dissect_add(d, "MPLS echo %s", m.type == LSPP_MSG_REQUEST ? "request" : "reply");
	else
		dissect_add(d, "MPLS echo type %u", m.type);
	dissect_add(d, " handle 0x%x seq %u mode %u", m.handle, m.seq, m.mode);
	if (m.type != LSPP_MSG_REQUEST || m.rc != 0)
		dissect_add(d, " rc %u (%s) rsc %u", m.rc, lsp_rc_text(m.rc), m.rsc);
	if (m.have_fec)
		dissect_add(d, " FEC LDP %s", prefix_str(&m.fec));
	else if (m.fec_subtype != 0)
		dissect_add(d, " FEC type %u", m.fec_subtype);
	if (m.have_stack) {
		dissect_add(d, " if %s labels", ip_str(m.rx_addr));
		if (m.nlabels == 0)
			dissect_add(d, " none");
		for (int i = 0; i < m.nlabels; i++)
			dissect_add(d, "%c%u", i ? '/' : ' ', m.labels[i] >> 12);
	}
}

void
dissect_lsp_ping_setup(void)
{
	dissect_register(DT_UDP_PORT, LSP_PING_PORT, lsp_ping);
}
