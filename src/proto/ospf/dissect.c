/*
 * dissect.c: OSPFv2 for `netsim decode` (IP protocol 89).
 *
 * Decodes with the codec the protocol itself uses (packet.c, lsa_codec.c),
 * so the decoder rejects exactly what netsim's OSPF would: a bad version,
 * length or body, a bad packet checksum (RFC 2328 D.4) and a bad LSA
 * checksum in an LS Update (RFC 2328 12.1.7, 13 step 1). The description is
 * one line; with d->verbose it also lists every LSA and its body.
 */

#include "../../lib/buf.h"
#include "../../lib/ip.h"
#include "../../lib/util.h"
#include "../../net/dissect.h"
#include "lsa.h"
#include "packet.h"

/* RFC 2328 A.2 (and the bits later RFCs gave the options field), most significant first. */
static void
add_options(struct dissect *d, uint8_t o)
{
	static const struct dissect_flag names[] = {
	    {0x80, "DN"}, {0x40, "O"}, {0x20, "DC"}, {0x10, "L"},
	    {0x08, "NP"}, {0x04, "MC"}, {0x02, "E"}, {0x01, "MT"}};

	dissect_add(d, " opts [");
	dissect_flags(d, o, names, ARRAY_LEN(names));
	dissect_add(d, "]");
}

/* RFC 2328 A.3.3: the I, M and MS bits. */
static void
add_dd_flags(struct dissect *d, uint8_t f)
{
	static const struct dissect_flag names[] = {
	    {OSPF_DD_I, "I"}, {OSPF_DD_M, "M"}, {OSPF_DD_MS, "MS"}};

	dissect_add(d, " flags [");
	if (dissect_flags(d, f, names, ARRAY_LEN(names)) == 0)
		dissect_add(d, "none");
	dissect_add(d, "]");
}

static void
add_lsa_id(struct dissect *d, const struct ospf_lsa_hdr *h)
{
	dissect_add(d, "%s %s/%s", ospf_lsa_type_name(h->type), ip_str(h->id),
	    ip_str(h->adv_rtr));
	if (h->type >= OSPF_LSA_OPAQUE_LINK && h->type <= OSPF_LSA_OPAQUE_AS)
		dissect_add(d, " (opaque type %u)", OSPF_OPAQUE_TYPE(h->id));
	else if (ospf_lsa_type_name(h->type)[0] == 'U')
		dissect_add(d, " (type %u)", h->type);
}

static void
add_lsa_hdr(struct dissect *d, const struct ospf_lsa_hdr *h)
{
	add_lsa_id(d, h);
	dissect_add(d, " seq 0x%08x", h->seq);
	if (d->verbose)
		dissect_add(d, " age %u cksum 0x%04x len %u", h->age, h->cksum, h->length);
}

static void
add_body(struct dissect *d, const struct ospf_lsa *lsa, size_t idx)
{
	char err[OSPF_ERRLEN];
	struct ospf_lsa_body b;
	size_t i;

	if (ospf_lsa_body_decode(lsa, &b, err) < 0) {
		dissect_error(d, "OSPF: LSA %zu: %s", idx, err);
		return;
	}
	if (!d->verbose) {
		ospf_lsa_body_free(&b);
		return;
	}
	switch (b.type) {
	case OSPF_LSA_ROUTER:
		dissect_add(d, " flags 0x%02x links %u", b.rtr.flags, b.rtr.nlinks);
		for (i = 0; i < b.rtr.nlinks; i++)
			dissect_add(d, " [type %u id %s data %s metric %u]", b.rtr.links[i].type,
			    ip_str(b.rtr.links[i].id), ip_str(b.rtr.links[i].data),
			    b.rtr.links[i].metric);
		break;
	case OSPF_LSA_NETWORK:
		dissect_add(d, " mask %s rtrs", ip_str(b.net.mask));
		for (i = 0; i < b.net.nrtrs; i++)
			dissect_add(d, " %s", ip_str(b.net.rtrs[i]));
		break;
	case OSPF_LSA_SUMMARY:
	case OSPF_LSA_ASBR_SUMMARY:
		dissect_add(d, " mask %s metric %u", ip_str(b.sum.mask), b.sum.metric);
		break;
	case OSPF_LSA_EXTERNAL:
	case OSPF_LSA_NSSA:
		dissect_add(d, " mask %s %s metric %u fwd %s tag %u", ip_str(b.ext.mask),
		    b.ext.ebit ? "E2" : "E1", b.ext.metric, ip_str(b.ext.fwd), b.ext.tag);
		break;
	default:
		dissect_add(d, " %zu bytes", b.raw.len);
		break;
	}
	ospf_lsa_body_free(&b);
}

static void
add_hdrs(struct dissect *d, const struct ospf_lsa_hdr *v, size_t n)
{
	size_t i;

	dissect_add(d, " %zu LSA%s", n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		dissect_add(d, "%s", i == 0 ? ": " : ", ");
		add_lsa_hdr(d, &v[i]);
	}
}

/* RFC 2328 12.1.7 / 13 (1): every LSA in an update must carry a valid checksum. */
static void
lsu_describe(struct dissect *d, const struct ospf_lsu *u)
{
	size_t i;

	dissect_add(d, " %zu LSA%s", u->nlsas, u->nlsas == 1 ? "" : "s");
	for (i = 0; i < u->nlsas; i++) {
		const struct ospf_lsa *l = &u->lsas[i];

		dissect_add(d, "%s", i == 0 ? ": " : ", ");
		add_lsa_hdr(d, &l->hdr);
		add_body(d, l, i + 1);
		if (!ospf_lsa_cksum_ok(l->raw, l->len))
			dissect_error(d,
			    "OSPF: LSA %zu %s %s/%s bad checksum 0x%04x should be 0x%04x", i + 1,
			    ospf_lsa_type_name(l->hdr.type), ip_str(l->hdr.id),
			    ip_str(l->hdr.adv_rtr), l->hdr.cksum,
			    ospf_lsa_cksum_compute(l->raw, l->len));
	}
}

static void
describe(struct dissect *d, const struct ospf_pkt *pkt)
{
	const struct ospf_hello *h = &pkt->hello;
	const struct ospf_dd *dd = &pkt->dd;
	size_t i;

	switch (pkt->hdr.type) {
	case OSPF_HELLO:
		dissect_add(d, " hello %u dead %u pri %u DR %s BDR %s nbrs %zu", h->hello_ivl,
		    h->dead_ivl, h->prio, ip_str(h->dr), ip_str(h->bdr), h->nnbrs);
		if (d->verbose) {
			dissect_add(d, " mask %s", ip_str(h->mask));
			add_options(d, h->options);
			for (i = 0; i < h->nnbrs; i++)
				dissect_add(d, "%s%s", i == 0 ? " nbr " : ",", ip_str(h->nbrs[i]));
		}
		break;
	case OSPF_DD:
		dissect_add(d, " mtu %u", dd->mtu);
		add_dd_flags(d, dd->flags);
		dissect_add(d, " seq 0x%08x", dd->seq);
		if (d->verbose)
			add_options(d, dd->options);
		add_hdrs(d, dd->lsas, dd->nlsas);
		break;
	case OSPF_LSR:
		dissect_add(d, " %zu request%s", pkt->lsr.nreqs, pkt->lsr.nreqs == 1 ? "" : "s");
		for (i = 0; i < pkt->lsr.nreqs && d->verbose; i++) {
			const struct ospf_lsr_ent *r = &pkt->lsr.reqs[i];

			dissect_add(d, "%s%s %s/%s", i == 0 ? ": " : ", ",
			    r->type <= 0xff ? ospf_lsa_type_name((uint8_t)r->type) : "Unknown",
			    ip_str(r->id), ip_str(r->adv_rtr));
		}
		break;
	case OSPF_LSU:
		lsu_describe(d, &pkt->lsu);
		break;
	case OSPF_LSACK:
		add_hdrs(d, pkt->ack.lsas, pkt->ack.nlsas);
		break;
	}
}

static void
ospf_dissect(struct dissect *d, const uint8_t *p, size_t len)
{
	char err[OSPF_ERRLEN];
	struct ospf_pkt pkt;
	uint16_t plen;

	d->known = true;
	if (!dissect_need(d, "OSPF", len, OSPF_HDRLEN))
		return;
	if (p[0] != OSPF_VERSION) {
		dissect_add(d, "OSPF version %u", p[0]);
		dissect_error(d, "OSPF: version %u (want %d)", p[0], OSPF_VERSION);
		return;
	}
	dissect_add(d, "OSPFv2 %s rid %s area %s", ospf_pkt_type_name(p[1]), ip_str(get32(p + 4)),
	    ip_str(get32(p + 8)));
	plen = get16(p + 2);
	/* A capture cut short by its snaplen: say what the header says, check nothing. */
	if (d->partial && plen > len) {
		dissect_add(d, " [|ospf]");
		return;
	}
	if (ospf_pkt_decode(p, len, &pkt, err) < 0) {
		dissect_error(d, "OSPF: %s", err);
		return;
	}
	/*
	 * RFC 2328 D.4: the checksum leaves out the authentication field; none
	 * for AuType 2. The whole packet is here, even if the capture was cut.
	 */
	if (!ospf_pkt_cksum_ok(p, plen))
		dissect_error(d, "OSPF: bad checksum 0x%04x (should be 0x%04x)", pkt.hdr.cksum,
		    ospf_pkt_cksum_compute(p, plen));
	describe(d, &pkt);
	if (pkt.hdr.autype == OSPF_AUTH_SIMPLE)
		dissect_add(d, " auth simple");
	else if (pkt.hdr.autype == OSPF_AUTH_CRYPT)
		dissect_add(d, " auth crypt key %u seq %u", ospf_auth_key_id(&pkt.hdr),
		    ospf_auth_seq(&pkt.hdr));
	else if (pkt.hdr.autype != OSPF_AUTH_NULL)
		dissect_add(d, " auth type %u", pkt.hdr.autype);
	if (d->verbose && pkt.trailer_len > 0)
		dissect_add(d, " trailer %zu bytes", pkt.trailer_len);
	ospf_pkt_free(&pkt);
}

void
ospf_dissect_setup(void)
{
	dissect_register(DT_IPPROTO, OSPF_IPPROTO, ospf_dissect);
}
