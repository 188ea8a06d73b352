/*
 * dissect.c: IS-IS for `netsim decode` (OSI PDUs, LLC DSAP 0xfe).
 *
 * Decodes with the codec the protocol itself uses (pdu.c), so the decoder
 * rejects exactly what netsim's IS-IS would: a bad header or TLV is an
 * error naming the field and its offset, and so is an LSP whose checksum is
 * wrong (ISO 10589 7.3.14.2 (a): such an LSP is dropped). The description is
 * one line; with d->verbose it also lists every TLV and its entries.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/cksum.h"
#include "../../lib/ip.h"
#include "../../lib/util.h"
#include "../../net/dissect.h"
#include "dissect.h"
#include "pdu.h"

#define LLC_OSI 0xfe

/* ISO 10589 9.5, 9.8: circuit type and IS type share their values. */
static const char *
level_name(uint8_t v)
{
	static const char *const names[4] = {"level 0", "L1", "L2", "L1L2"};

	return names[v & 3];
}

static const char *
sysid(const uint8_t *id)
{
	static _Thread_local char buf[4][24];
	static _Thread_local unsigned i;

	return isis_sysid_str(id, buf[i++ % 4], sizeof buf[0]);
}

/* A system ID followed by a pseudonode octet: "0000.0000.0001.00". */
static void
add_nodeid(struct dissect *d, const uint8_t *id)
{
	dissect_add(d, "%s.%02x", sysid(id), id[6]);
}

static void
add_lspid(struct dissect *d, const struct isis_lspid *l)
{
	char buf[32];

	dissect_add(d, "%s", isis_lspid_str(l, buf, sizeof buf));
}

/* Text from the wire (RFC 5301 hostnames): what is not printable shows as '.'. */
static void
add_text(struct dissect *d, const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i] != '\0'; i++)
		dissect_add(d, "%c", s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '.');
}

/* ISO 10589 9.8: P, ATT (default metric), LSPDBOL, and the IS type. */
static void
add_lsp_flags(struct dissect *d, uint8_t f)
{
	static const struct dissect_flag names[] = {
	    {ISIS_LSP_P, "P"}, {ISIS_LSP_ATT_ALL, "ATT"}, {ISIS_LSP_OL, "OL"}};

	if (f & (ISIS_LSP_P | ISIS_LSP_ATT_ALL | ISIS_LSP_OL)) {
		dissect_add(d, " [");
		dissect_flags(d, f, names, ARRAY_LEN(names));
		dissect_add(d, "]");
	}
	dissect_add(d, " %s", level_name(f & ISIS_LSP_ISTYPE));
}

static void
add_adj(struct dissect *d, const struct isis_p2p_adj *a)
{
	static const char *const states[3] = {"up", "init", "down"};

	dissect_add(d, "adj %s", states[a->state % 3]);
	if (a->len >= 5)
		dissect_add(d, " circuit %u", (unsigned)a->ext_circuit);
	if (a->len >= 11)
		dissect_add(d, " nbr %s", sysid(a->nbr_sysid));
	if (a->len == 15)
		dissect_add(d, " circuit %u", (unsigned)a->nbr_ext_circuit);
}

static void
add_auth(struct dissect *d, const struct isis_pdu *pdu)
{
	if (pdu->auth_type == ISIS_AUTH_MD5)
		dissect_add(d, "auth md5");
	else if (pdu->auth_type == ISIS_AUTH_TEXT)
		dissect_add(d, "auth text");
	else
		dissect_add(d, "auth type %u", pdu->auth_type);
}

/* The fixed header (ISO 10589 9.5-9.13) and the few TLVs worth a summary. */
static void
add_header(struct dissect *d, const struct isis_pdu *pdu)
{
	switch (pdu->type) {
	case ISIS_L1_LAN_IIH:
	case ISIS_L2_LAN_IIH:
	case ISIS_P2P_IIH:
		dissect_add(d, " src %s %s hold %u", sysid(pdu->source),
		    level_name(pdu->circuit_type), pdu->hold);
		if (pdu->type == ISIS_P2P_IIH) {
			dissect_add(d, " circuit %u", pdu->local_circuit);
		} else {
			dissect_add(d, " pri %u DIS ", pdu->priority);
			add_nodeid(d, pdu->lan_id);
		}
		if (pdu->has_p2p_adj) {
			dissect_add(d, " ");
			add_adj(d, &pdu->p2p_adj);
		}
		break;
	case ISIS_L1_LSP:
	case ISIS_L2_LSP:
		dissect_add(d, " ");
		add_lspid(d, &pdu->lspid);
		dissect_add(d, " seq 0x%08x lifetime %u cksum 0x%04x", (unsigned)pdu->seq,
		    pdu->lifetime, pdu->cksum);
		add_lsp_flags(d, pdu->lsp_flags);
		break;
	case ISIS_L1_CSNP:
	case ISIS_L2_CSNP:
		dissect_add(d, " src ");
		add_nodeid(d, pdu->snp_source);
		dissect_add(d, " range ");
		add_lspid(d, &pdu->start);
		dissect_add(d, " to ");
		add_lspid(d, &pdu->end);
		dissect_add(d, " %d entr%s", pdu->nentries, pdu->nentries == 1 ? "y" : "ies");
		break;
	default: /* PSNPs */
		dissect_add(d, " src ");
		add_nodeid(d, pdu->snp_source);
		dissect_add(d, " %d entr%s", pdu->nentries, pdu->nentries == 1 ? "y" : "ies");
		break;
	}
	if (pdu->hostname[0] != '\0') {
		dissect_add(d, " host ");
		add_text(d, pdu->hostname, sizeof pdu->hostname);
	}
	if (pdu->has_auth) {
		dissect_add(d, " ");
		add_auth(d, pdu);
	}
}

/* ---- verbose: every TLV ------------------------------------------------------------------ */

static void
add_ip(struct dissect *d, const struct isis_ip_reach *r)
{
	dissect_add(d, "%s/%u metric %u", ip_str(r->prefix), r->plen, (unsigned)r->metric);
	if (r->down)
		dissect_add(d, " down");
	if (r->m[0] & 0x40)
		dissect_add(d, " external");
	if (r->sub)
		dissect_add(d, " sub-TLVs %u octets", r->sublen);
}

static void
add_is(struct dissect *d, const struct isis_is_reach *r)
{
	add_nodeid(d, r->id);
	dissect_add(d, " metric %u", (unsigned)r->metric);
	if (r->sublen)
		dissect_add(d, " sub-TLVs %u octets", r->sublen);
}

static void
add_entry(struct dissect *d, const struct isis_lsp_entry *e)
{
	add_lspid(d, &e->id);
	dissect_add(d, " seq 0x%08x lifetime %u cksum 0x%04x", (unsigned)e->seq, e->lifetime,
	    e->cksum);
}

static const char *
nlpid_name(uint8_t v)
{
	return v == ISIS_NLPID_IPV4 ? "IPv4" : v == ISIS_NLPID_IPV6 ? "IPv6" : NULL;
}

/* One entry of a TLV that has an entry array: index i of its kind. */
static void
add_tlv_entry(struct dissect *d, const struct isis_pdu *pdu, uint8_t type, int i)
{
	char buf[48];

	switch (type) {
	case ISIS_TLV_AREA:
		dissect_add(d, "%s", isis_area_str(&pdu->areas[i], buf, sizeof buf));
		break;
	case ISIS_TLV_IS_REACH:
	case ISIS_TLV_EXT_IS_REACH:
		add_is(d, &pdu->is[i]);
		break;
	case ISIS_TLV_LAN_NBR:
		dissect_add(d, "%s", mac_str(pdu->lan_nbrs[i]));
		break;
	case ISIS_TLV_LSP_ENTRY:
		add_entry(d, &pdu->entries[i]);
		break;
	case ISIS_TLV_IP_INT:
	case ISIS_TLV_IP_EXT:
	case ISIS_TLV_EXT_IP:
		add_ip(d, &pdu->ip[i]);
		break;
	case ISIS_TLV_PROTOCOLS:
		if (nlpid_name(pdu->nlpids[i]))
			dissect_add(d, "%s", nlpid_name(pdu->nlpids[i]));
		else
			dissect_add(d, "0x%02x", pdu->nlpids[i]);
		break;
	case ISIS_TLV_IP_ADDR:
		dissect_add(d, "%s", ip_str(pdu->addrs[i]));
		break;
	}
}

/* " [Name: entry, entry]" for a decoded TLV, " [Name (TLV t): n octets]" for one kept raw. */
static void
add_tlv(struct dissect *d, const struct isis_pdu *pdu, const struct isis_tlv *t)
{
	dissect_add(d, " [%s", isis_tlv_name(t->type));
	switch (t->type) {
	case ISIS_TLV_PADDING:
		dissect_add(d, ": %u octets", t->len);
		break;
	case ISIS_TLV_AUTH:
		dissect_add(d, ": type %u, %u octets", t->raw ? t->raw[0] : pdu->auth_type,
		    t->len - 1u);
		break;
	case ISIS_TLV_HOSTNAME:
		dissect_add(d, ": ");
		add_text(d, t->raw ? (const char *)t->raw : pdu->hostname, t->len);
		break;
	case ISIS_TLV_P2P_ADJ:
		dissect_add(d, ": ");
		add_adj(d, &pdu->p2p_adj);
		break;
	case ISIS_TLV_AREA:
	case ISIS_TLV_IS_REACH:
	case ISIS_TLV_EXT_IS_REACH:
	case ISIS_TLV_LAN_NBR:
	case ISIS_TLV_LSP_ENTRY:
	case ISIS_TLV_IP_INT:
	case ISIS_TLV_IP_EXT:
	case ISIS_TLV_EXT_IP:
	case ISIS_TLV_PROTOCOLS:
	case ISIS_TLV_IP_ADDR:
		if (t->type == ISIS_TLV_IS_REACH && t->virt)
			dissect_add(d, " (virtual)");
		for (int i = 0; i < t->n; i++) {
			dissect_add(d, "%s", i == 0 ? ": " : ", ");
			add_tlv_entry(d, pdu, t->type, t->first + i);
		}
		break;
	default:
		dissect_add(d, " (TLV %u): %u octets", t->type, t->len);
		break;
	}
	dissect_add(d, "]");
}

/*
 * ISO 10589 7.3.14.2 (a): an LSP with a wrong checksum is an error, like
 * OSPF's LSAs; checked from the header alone, so that an LSP whose TLVs do
 * not parse says so too.
 */
static void
check_lsp_cksum(struct dissect *d, const uint8_t *p, size_t len)
{
	struct isis_lspid id;
	char ids[32];
	uint8_t *copy;
	size_t pdulen;
	uint16_t want;

	if (len < ISIS_LSP_HLEN || ((p[4] & 0x1f) != ISIS_L1_LSP && (p[4] & 0x1f) != ISIS_L2_LSP))
		return;
	pdulen = get16(p + 8);
	if (pdulen < ISIS_LSP_HLEN || pdulen > len || isis_lsp_cksum_ok(p, pdulen))
		return;
	copy = xmalloc(pdulen);
	memcpy(copy, p, pdulen);
	want = fletcher_set(copy + ISIS_LSP_OFF_ID, pdulen - ISIS_LSP_OFF_ID,
	    ISIS_LSP_OFF_CKSUM - ISIS_LSP_OFF_ID);
	free(copy);
	memcpy(id.b, p + ISIS_LSP_OFF_ID, sizeof id.b);
	dissect_error(d, "IS-IS: %s %s bad checksum 0x%04x (should be 0x%04x)",
	    isis_pdu_type_name(p[4] & 0x1f), isis_lspid_str(&id, ids, sizeof ids),
	    get16(p + ISIS_LSP_OFF_CKSUM), want);
}

static void
isis_dissect(struct dissect *d, const uint8_t *p, size_t len)
{
	struct isis_pdu pdu;
	const char *err = NULL;

	/* Other OSI protocols share the DSAP: named by their NLPID (ISO/TR 9577), not decoded. */
	if (len == 0 || p[0] != ISIS_IRPD) {
		dissect_add(d, "OSI NLPID 0x%02x (not decoded)", len ? p[0] : 0);
		return;
	}
	d->known = true;
	check_lsp_cksum(d, p, len);
	if (isis_pdu_parse(&pdu, p, len, &err) < 0) {
		dissect_add(d, "IS-IS");
		/* A capture cut by its snaplen: what is missing is not the PDU's fault. */
		if (d->partial)
			dissect_add(d, " [|isis]");
		else
			dissect_error(d, "IS-IS: %s", err);
		return;
	}
	dissect_add(d, "IS-IS %s", isis_pdu_type_name(pdu.type));
	add_header(d, &pdu);
	if (d->verbose) {
		dissect_add(d, " len %zu", pdu.len);
		for (int i = 0; i < pdu.ntlv; i++)
			add_tlv(d, &pdu, &pdu.tlv[i]);
	}
	isis_pdu_free(&pdu);
}

void
isis_dissect_init(void)
{
	dissect_register(DT_LLC, LLC_OSI, isis_dissect);
}
