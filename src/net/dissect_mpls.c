/*
 * dissect_mpls.c: MPLS label stacks (RFC 3032), ethertype 0x8847, as
 * tcpdump prints them: one "MPLS (label L, tc T, [S], ttl N)" per entry,
 * then the payload after the bottom of the stack, which carries no type:
 * its first nibble tells IPv4 (4) from IPv6 (6), as routers guess it.
 */
#include "../lib/buf.h"
#include "dissect.h"
#include "dissect_int.h"
#include "mpls.h"

static void
mpls(struct dissect *d, const uint8_t *p, size_t len)
{
	struct mpls_lse e = {0};
	bool first = true;

	while (!e.s) {
		if (!first)
			dissect_sep(d);
		if (!dissect_need(d, "MPLS", len, MPLS_LSE_LEN))
			return;
		d->known = true;
		e = mpls_lse_unpack(get32(p));
		dissect_add(d, "MPLS (label %u", e.label);
		if (e.label == MPLS_LABEL_EXPLICIT_NULL)
			dissect_add(d, " explicit-null");
		else if (e.label == MPLS_LABEL_IMPLICIT_NULL)
			dissect_add(d, " implicit-null");
		dissect_add(d, ", tc %u%s, ttl %u)", e.tc, e.s ? ", [S]" : "", e.ttl);
		p += MPLS_LSE_LEN;
		len -= MPLS_LSE_LEN;
		first = false;
	}
	if (len == 0)
		return;
	if (p[0] >> 4 == 4)
		dissect_next(d, DT_ETHERTYPE, 0x0800, p, len);
	else if (p[0] >> 4 == 6)
		dissect_next(d, DT_ETHERTYPE, 0x86dd, p, len);
	else {
		dissect_sep(d);
		dissect_add(d, "payload %zu bytes (not decoded)", len);
	}
}

void
dissect_mpls_setup(void)
{
	dissect_register(DT_ETHERTYPE, ETHERTYPE_MPLS, mpls);
}
