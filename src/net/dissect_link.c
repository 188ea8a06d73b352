/*
 * dissect_link.c: the link layers: one dissector per pcap link type, and
 * what an Ethernet frame carries before the network layer (802.1Q/802.1ad
 * tags, the IEEE 802.3 length with 802.2 LLC, SNAP).
 *
 * Each link type maps its own protocol field onto an ethertype where one
 * exists (PPP, NULL/loopback, raw IP), so everything above the link is found
 * in DT_ETHERTYPE whatever the capture's framing. OSI (IS-IS) has no
 * ethertype: it is found in DT_LLC under its DSAP 0xfe, and its dissector
 * receives the PDU from the NLPID on, whichever framing carried it.
 */
#include "../lib/buf.h"
#include "../lib/ip.h"
#include "../lib/util.h"
#include "dissect.h"
#include "dissect_int.h"
#include "pcap.h"

/* Link types beyond those pcap.h names (https://www.tcpdump.org/linktypes.html). */
#define LT_RAW_BSD       12
#define LT_RAW_OPENBSD   14
#define LT_PPP_HDLC      50
#define LT_LOOP          108
#define LT_JUNIPER_ETHER 178
#define LT_IPV6          229
#define LT_LINUX_SLL2    276

#define ET_IPV4  0x0800
#define ET_IPV6  0x86dd
#define ET_MIN   0x0600 /* below: an IEEE 802.3 length, not an ethertype */
#define ET_OSI   0xfefe /* Cisco HDLC's protocol value for OSI; not an ethertype */
#define LLC_OSI  0xfe
#define LLC_SNAP 0xaa

static const struct {
	uint8_t nlpid;
	const char *name;
} nlpids[] = {
	{0x81, "CLNP"}, {0x82, "ES-IS"}, {0x83, "IS-IS"}, {0x8e, "IPv6"}, {0xcc, "IPv4"},
};

static const char *
nlpid_name(uint8_t v)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(nlpids); i++)
		if (nlpids[i].nlpid == v)
			return nlpids[i].name;
	return NULL;
}

/* An OSI PDU from its NLPID (ISO/TR 9577) on. */
static void
osi(struct dissect *d, const uint8_t *p, size_t len)
{
	const char *name;

	if (dissect_call(d, DT_LLC, LLC_OSI, p, len))
		return;
	dissect_sep(d);
	if (len > 0 && (name = nlpid_name(p[0])) != NULL)
		dissect_add(d, "%s (not decoded)", name);
	else
		dissect_add(d, "OSI (not decoded)");
}

/*
 * IEEE 802.2 LLC: DSAP, SSAP, then a one-octet control field for U-format
 * PDUs (the low two bits set) or two octets for I- and S-format ones.
 */
static void
llc(struct dissect *d, const uint8_t *p, size_t len)
{
	size_t hl;

	/* Novell's "raw 802.3": IPX straight after the length; its checksum field is 0xffff. */
	if (len >= 2 && p[0] == 0xff && p[1] == 0xff) {
		dissect_sep(d);
		dissect_add(d, "IPX (not decoded)");
		return;
	}
	if (!dissect_need(d, "LLC", len, 3))
		return;
	hl = (p[2] & 3) == 3 ? 3 : 4;
	if (!dissect_need(d, "LLC", len, hl))
		return;
	if (p[0] == LLC_OSI)
		osi(d, p + hl, len - hl);
	else
		dissect_next(d, DT_LLC, p[0], p + hl, len - hl);
}

static const struct {
	uint32_t oui;
	uint16_t pid;
	const char *name;
} snap_names[] = {
	{0x00000c, 0x010b, "Cisco PVST+"}, {0x00000c, 0x2000, "CDP"},
	{0x00000c, 0x2003, "VTP"}, {0x00000c, 0x2004, "DTP"},
	{0x00000c, 0x200a, "Cisco STP uplink fast"}, {0x0080c2, 0x0007, "802.1 bridged"},
};

/* RFC 1042: SNAP with OUI 0 carries an ethertype. */
static void
snap(struct dissect *d, const uint8_t *p, size_t len)
{
	uint32_t oui;
	uint16_t pid;
	size_t i;

	if (!dissect_need(d, "SNAP", len, 5))
		return;
	oui = get24(p);
	pid = get16(p + 3);
	if (oui == 0) {
		dissect_next(d, DT_ETHERTYPE, pid, p + 5, len - 5);
		return;
	}
	for (i = 0; i < ARRAY_LEN(snap_names); i++) {
		if (snap_names[i].oui == oui && snap_names[i].pid == pid) {
			dissect_add(d, "%s (not decoded)", snap_names[i].name);
			return;
		}
	}
	dissect_add(d, "SNAP OUI %06x pid 0x%04x (not decoded)", (unsigned)oui, pid);
}

/* What follows the type/length field of an Ethernet header or of a VLAN tag. */
static void
eth_payload(struct dissect *d, uint16_t type, const uint8_t *p, size_t len)
{
	if (type >= ET_MIN) {
		dissect_next(d, DT_ETHERTYPE, type, p, len);
		return;
	}
	/*
	 * IEEE 802.3 clause 3.2.6: the field is the length of the LLC data; what
	 * follows it is padding. Lengths from 1501 to 1535 are undefined there,
	 * but real test suites (holo's IS-IS hellos padded to 1504 octets) put
	 * them on the wire, so any value below 0x0600 is taken as a length.
	 */
	if (type > len) {
		if (!d->partial)
			dissect_error(d, "802.3: length %u exceeds the frame (%zu bytes)", type,
			    len);
		d->partial = true;
	} else {
		len = type;
	}
	llc(d, p, len);
}

/* Ethernet II or IEEE 802.3 (LINKTYPE_ETHERNET), without FCS. */
static void
eth(struct dissect *d, const uint8_t *p, size_t len)
{
	uint16_t type;

	if (!dissect_need(d, "Ethernet", len, 14))
		return;
	d->known = true;
	type = get16(p + 12);
	/* An LLC frame (IS-IS, STP) has no network addresses: show the MACs instead. */
	if (d->verbose || type < ET_MIN)
		dissect_add(d, "%s > %s", mac_str(p + 6), mac_str(p));
	eth_payload(d, type, p + 14, len - 14);
}

/* IEEE 802.1Q tag: PCP(3) DEI(1) VID(12), then the inner type. */
static void
vlan_tag(struct dissect *d, const char *what, const uint8_t *p, size_t len)
{
	uint16_t tci;

	if (!dissect_need(d, what, len, 4))
		return;
	d->known = true;
	tci = get16(p);
	dissect_add(d, "%s %u", what, tci & 0x0fff);
	if (tci >> 13)
		dissect_add(d, " p %u", tci >> 13);
	if (tci & 0x1000)
		dissect_add(d, " dei");
	eth_payload(d, get16(p + 2), p + 4, len - 4);
}

/* 802.1Q customer tag. */
static void
vlan(struct dissect *d, const uint8_t *p, size_t len)
{
	vlan_tag(d, "vlan", p, len);
}

/* 802.1ad service tag (and the pre-standard 0x9100/0x9200 QinQ tags). */
static void
svlan(struct dissect *d, const uint8_t *p, size_t len)
{
	vlan_tag(d, "s-vlan", p, len);
}

/* BSD loopback: the address family, 4 octets in the capturing host's byte order. */
static const struct {
	uint32_t af;
	uint16_t type;
} af_types[] = {
	{2, ET_IPV4},  /* AF_INET everywhere */
	{10, ET_IPV6}, /* Linux */
	{24, ET_IPV6}, /* NetBSD, OpenBSD, BSD/OS */
	{28, ET_IPV6}, /* FreeBSD */
	{30, ET_IPV6}, /* Darwin */
};

static void
loop_af(struct dissect *d, uint32_t af, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(af_types); i++) {
		if (af_types[i].af == af) {
			dissect_next(d, DT_ETHERTYPE, af_types[i].type, p, len);
			return;
		}
	}
	dissect_add(d, "loopback family %u (not decoded)", (unsigned)af);
}

static void
null_link(struct dissect *d, const uint8_t *p, size_t len)
{
	uint32_t af;

	if (!dissect_need(d, "NULL", len, 4))
		return;
	/* Families are small numbers: if the low half is empty the writer was big-endian. */
	af = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	if (af > 0xffff)
		af = get32(p);
	loop_af(d, af, p + 4, len - 4);
}

/* OpenBSD loopback: the same, always in network byte order. */
static void
loop_link(struct dissect *d, const uint8_t *p, size_t len)
{
	if (dissect_need(d, "LOOP", len, 4))
		loop_af(d, get32(p), p + 4, len - 4);
}

/* PPP protocol numbers (RFC 1661, IANA "PPP DLL Protocol Numbers"). */
static const struct {
	uint16_t proto;
	uint16_t type; /* the ethertype it carries, ET_OSI, or 0: name only */
	const char *name;
} ppp_protos[] = {
	{0x0021, ET_IPV4, NULL}, {0x0023, ET_OSI, NULL}, {0x002b, 0x8137, NULL},
	{0x0057, ET_IPV6, NULL}, {0x0281, 0x8847, NULL}, {0x0283, 0x8848, NULL},
	{0x8021, 0, "IPCP"}, {0x8023, 0, "OSINLCP"}, {0x8057, 0, "IPv6CP"},
	{0x80fd, 0, "CCP"}, {0x8281, 0, "MPLSCP"}, {0xc021, 0, "LCP"}, {0xc023, 0, "PAP"},
	{0xc025, 0, "LQR"}, {0xc223, 0, "CHAP"},
};

static void
ppp_payload(struct dissect *d, uint16_t proto, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(ppp_protos); i++) {
		if (ppp_protos[i].proto != proto)
			continue;
		if (ppp_protos[i].type == ET_OSI)
			osi(d, p, len);
		else if (ppp_protos[i].type != 0)
			dissect_next(d, DT_ETHERTYPE, ppp_protos[i].type, p, len);
		else
			dissect_add(d, "PPP %s (not decoded)", ppp_protos[i].name);
		return;
	}
	dissect_add(d, "PPP protocol 0x%04x (not decoded)", proto);
}

/*
 * PPP, with or without the HDLC address and control octets (ff 03, RFC 1662
 * 3.1), with a one- or two-octet protocol field (RFC 1661 6.5: the protocol
 * numbers are odd in their last octet, even in their first).
 */
static void
ppp(struct dissect *d, const uint8_t *p, size_t len)
{
	size_t off = 0;
	uint16_t proto;

	if (len >= 2 && p[0] == 0xff && p[1] == 0x03)
		off = 2;
	if (!dissect_need(d, "PPP", len, off + 1))
		return;
	if (p[off] & 1) {
		proto = p[off];
		off += 1;
	} else {
		if (!dissect_need(d, "PPP", len, off + 2))
			return;
		proto = get16(p + off);
		off += 2;
	}
	ppp_payload(d, proto, p + off, len - off);
}

/* Raw IP: the version nibble says which. */
static void
raw(struct dissect *d, const uint8_t *p, size_t len)
{
	static const uint16_t by_version[16] = {[4] = ET_IPV4, [6] = ET_IPV6};
	unsigned v;

	if (!dissect_need(d, "raw IP", len, 1))
		return;
	v = p[0] >> 4;
	if (by_version[v] == 0) {
		dissect_add(d, "raw IP version %u", v);
		dissect_error(d, "raw IP: unknown IP version %u", v);
		return;
	}
	dissect_next(d, DT_ETHERTYPE, by_version[v], p, len);
}

static void
raw4(struct dissect *d, const uint8_t *p, size_t len)
{
	dissect_next(d, DT_ETHERTYPE, ET_IPV4, p, len);
}

static void
raw6(struct dissect *d, const uint8_t *p, size_t len)
{
	dissect_next(d, DT_ETHERTYPE, ET_IPV6, p, len);
}

/*
 * Cisco HDLC: address (0x0f unicast, 0x8f broadcast), control 0, then an
 * ethertype, except for Cisco's own SLARP keepalives (0x8035, not RARP here)
 * and OSI (0xfefe).
 */
static void
chdlc(struct dissect *d, const uint8_t *p, size_t len)
{
	uint16_t proto;

	if (!dissect_need(d, "C-HDLC", len, 4))
		return;
	proto = get16(p + 2);
	p += 4;
	len -= 4;
	if (proto == 0x8035) {
		dissect_add(d, "SLARP (not decoded)");
	} else if (proto == ET_OSI) {
		/*
		 * Some routers put one padding octet before the NLPID; like
		 * tcpdump, skip it when the next octet is an OSI NLPID.
		 */
		if (len >= 2 && nlpid_name(p[0]) == NULL && nlpid_name(p[1]) != NULL) {
			p++;
			len--;
		}
		osi(d, p, len);
	} else {
		dissect_next(d, DT_ETHERTYPE, proto, p, len);
	}
}

/* Linux cooked capture: what follows, by the protocol field's value. */
static void
sll_payload(struct dissect *d, uint16_t proto, const uint8_t *p, size_t len)
{
	if (proto >= ET_MIN)
		dissect_next(d, DT_ETHERTYPE, proto, p, len);
	else if (proto == 0x0004) /* ETH_P_802_2: an LLC frame */
		llc(d, p, len);
	else if (proto == 0x0001) /* ETH_P_802_3: Novell raw 802.3 */
		dissect_add(d, "IPX (not decoded)");
	else
		dissect_add(d, "SLL protocol 0x%04x (not decoded)", proto);
}

/* SLL: packet type(2) ARPHRD type(2) address length(2) address(8) protocol(2). */
static void
sll(struct dissect *d, const uint8_t *p, size_t len)
{
	if (dissect_need(d, "SLL", len, 16))
		sll_payload(d, get16(p + 14), p + 16, len - 16);
}

/* SLL2: protocol(2) reserved(2) ifindex(4) ARPHRD(2) type(1) address length(1) address(8). */
static void
sll2(struct dissect *d, const uint8_t *p, size_t len)
{
	if (dissect_need(d, "SLL2", len, 20))
		sll_payload(d, get16(p), p + 20, len - 20);
}

/*
 * Juniper Ethernet: "MGC", a flags octet, and when flag 0x80 is set a
 * two-octet length of extension TLVs to skip; then the Ethernet frame.
 */
static void
juniper_eth(struct dissect *d, const uint8_t *p, size_t len)
{
	size_t off = 4;
	uint8_t flags;

	if (!dissect_need(d, "Juniper", len, 4))
		return;
	if (get24(p) != 0x4d4743) {
		dissect_add(d, "Juniper");
		dissect_error(d, "Juniper: bad magic 0x%06x", (unsigned)get24(p));
		return;
	}
	flags = p[3];
	if (flags & 0x80) {
		if (!dissect_need(d, "Juniper", len, 6))
			return;
		off += 2 + get16(p + 4);
		if (!dissect_need(d, "Juniper", len, off))
			return;
	}
	if (flags & 0x02) { /* JUNIPER_BPF_NO_L2 */
		dissect_add(d, "Juniper without L2 header (not decoded)");
		return;
	}
	eth(d, p + off, len - off);
}

void
dissect_link_setup(void)
{
	static const struct {
		uint32_t linktype;
		dissect_fn fn;
	} links[] = {
		{LINKTYPE_NULL, null_link}, {LINKTYPE_ETHERNET, eth}, {LINKTYPE_PPP, ppp},
		{LT_RAW_BSD, raw}, {LT_RAW_OPENBSD, raw}, {LT_PPP_HDLC, ppp},
		{LINKTYPE_RAW, raw}, {LINKTYPE_C_HDLC, chdlc}, {LT_LOOP, loop_link},
		{LINKTYPE_LINUX_SLL, sll}, {LT_JUNIPER_ETHER, juniper_eth},
		{LINKTYPE_IPV4, raw4}, {LT_IPV6, raw6}, {LT_LINUX_SLL2, sll2},
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(links); i++)
		dissect_register(DT_LINKTYPE, links[i].linktype, links[i].fn);
	dissect_register(DT_ETHERTYPE, 0x8100, vlan);
	dissect_register(DT_ETHERTYPE, 0x88a8, svlan);
	dissect_register(DT_ETHERTYPE, 0x9100, svlan);
	dissect_register(DT_ETHERTYPE, 0x9200, svlan);
	dissect_register(DT_LLC, LLC_SNAP, snap);
}
