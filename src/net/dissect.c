/*
 * dissect.c: the decoder's core: the dissector tables, the frame entry point
 * and the helpers every dissector shares (descriptions, errors, truncation,
 * Internet checksums).
 *
 * The built-in dissectors live beside this file, one file per layer:
 *   dissect_link.c   pcap link types: Ethernet (802.3/LLC/SNAP, 802.1Q/802.1ad
 *                    tags), NULL/loopback, PPP, raw IP, Cisco HDLC, Linux SLL,
 *                    Juniper Ethernet
 *   dissect_arp.c    ARP (RFC 826)
 *   dissect_ipv4.c   IPv4 (RFC 791)
 *   dissect_icmp.c   ICMP (RFC 792)
 *   dissect_udp.c    UDP (RFC 768)
 *   dissect_tcp.c    TCP (RFC 9293)
 *   dissect_mpls.c   MPLS label stacks (RFC 3032)
 *   dissect_lsp_ping.c  MPLS echo, UDP 3503 (RFC 8029)
 * Protocols add theirs in proto_dissect_setup().
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"
#include "../lib/cksum.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include "dissect.h"
#include "dissect_int.h"

struct entry {
	uint32_t key;
	dissect_fn fn;
};

/*
 * One table per selector, each kept sorted by key for a binary search. They
 * are filled once, by dissect_setup(), before anything decodes; after that
 * they are only read, so decoding needs no lock.
 */
static struct {
	struct entry *v;
	size_t n, cap;
} tables[DT_COUNT];

struct name {
	uint32_t key;
	const char *name;
};

/*
 * Names for keys nobody has registered a dissector for, so that an undecoded
 * frame still says what it carries. Sorted by key.
 */
static const struct name ethertype_names[] = {
	{0x0800, "IPv4"}, {0x0806, "ARP"}, {0x0842, "Wake-on-LAN"}, {0x22f3, "TRILL"},
	{0x6558, "Transparent Ethernet bridging"}, {0x8035, "RARP"}, {0x809b, "AppleTalk"},
	{0x8100, "802.1Q"}, {0x8137, "IPX"}, {0x86dd, "IPv6"}, {0x8808, "Ethernet flow control"},
	{0x8809, "Slow protocols (LACP)"}, {0x8847, "MPLS"}, {0x8848, "MPLS multicast"},
	{0x8863, "PPPoE discovery"}, {0x8864, "PPPoE"}, {0x888e, "EAPOL"}, {0x88a8, "802.1ad"},
	{0x88cc, "LLDP"}, {0x88e5, "MACsec"}, {0x88e7, "PBB"}, {0x88f7, "PTP"},
	{0x8902, "CFM"}, {0x8906, "FCoE"}, {0x893a, "IEEE 1905"}, {0x9000, "Loopback"},
	{0x9100, "802.1Q-in-Q"},
};

static const struct name ipproto_names[] = {
	{0, "IPv6 hop-by-hop"}, {1, "ICMP"}, {2, "IGMP"}, {4, "IP-in-IP"}, {6, "TCP"},
	{8, "EGP"}, {17, "UDP"}, {41, "IPv6"}, {46, "RSVP"}, {47, "GRE"}, {50, "ESP"},
	{51, "AH"}, {58, "ICMPv6"}, {88, "EIGRP"}, {89, "OSPF"}, {103, "PIM"}, {112, "VRRP"},
	{115, "L2TP"}, {124, "IS-IS over IPv4"}, {132, "SCTP"}, {137, "MPLS-in-IP"},
};

static const struct name llc_names[] = {
	{0x06, "IP"}, {0x42, "STP"}, {0xaa, "SNAP"}, {0xe0, "IPX"}, {0xf0, "NetBIOS"},
	{0xfe, "OSI"},
};

/* A key without a name is shown as label and number: hexw hex digits, or decimal if 0. */
static const struct {
	const struct name *v;
	size_t n;
	const char *label;
	int hexw;
} names[DT_COUNT] = {
	[DT_ETHERTYPE] = {ethertype_names, ARRAY_LEN(ethertype_names), "ethertype", 4},
	[DT_IPPROTO] = {ipproto_names, ARRAY_LEN(ipproto_names), "IP protocol", 0},
	[DT_UDP_PORT] = {NULL, 0, "UDP port", 0},
	[DT_TCP_PORT] = {NULL, 0, "TCP port", 0},
	[DT_LLC] = {llc_names, ARRAY_LEN(llc_names), "LLC DSAP", 2},
	[DT_LINKTYPE] = {NULL, 0, "link type", 0},
};

/* Binary search: the index of key, or of where it would go. */
static size_t
find(enum dissect_table t, uint32_t key)
{
	size_t lo = 0, hi = tables[t].n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (tables[t].v[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * A later registration for the same key replaces the earlier one, so that a
 * protocol can take over a key a built-in dissector describes.
 */
void
dissect_register(enum dissect_table t, uint32_t key, dissect_fn fn)
{
	size_t i;

	if ((unsigned)t >= DT_COUNT || fn == NULL)
		bug("dissect_register: table %d", (int)t);
	i = find(t, key);
	if (i < tables[t].n && tables[t].v[i].key == key) {
		tables[t].v[i].fn = fn;
		return;
	}
	grow_array((void **)&tables[t].v, &tables[t].cap, tables[t].n + 1, sizeof(struct entry));
	memmove(&tables[t].v[i + 1], &tables[t].v[i], (tables[t].n - i) * sizeof(struct entry));
	tables[t].v[i].key = key;
	tables[t].v[i].fn = fn;
	tables[t].n++;
}

static dissect_fn
lookup(enum dissect_table t, uint32_t key)
{
	size_t i;

	if ((unsigned)t >= DT_COUNT)
		return NULL;
	i = find(t, key);
	if (i < tables[t].n && tables[t].v[i].key == key)
		return tables[t].v[i].fn;
	return NULL;
}

/* Start a new layer: two blanks after whatever the outer layers said. */
void
dissect_sep(struct dissect *d)
{
	if (d->line.len > 0 && d->line.s[d->line.len - 1] != ' ')
		sb_add(&d->line, "  ");
}

/*
 * d->partial and the innermost addresses are scoped to the call: what a layer
 * decides for its payload does not leak back into the layers around it.
 */
bool
dissect_call(struct dissect *d, enum dissect_table t, uint32_t key, const uint8_t *p, size_t len)
{
	dissect_fn fn = lookup(t, key);
	bool partial = d->partial;
	uint32_t src = d->ip_src, dst = d->ip_dst;

	if (fn == NULL)
		return false;
	dissect_sep(d);
	fn(d, p, len);
	d->partial = partial;
	d->ip_src = src;
	d->ip_dst = dst;
	return true;
}

bool
dissect_ports(struct dissect *d, enum dissect_table t, uint16_t sport, uint16_t dport,
    const uint8_t *p, size_t len)
{
	uint16_t lo = MIN(sport, dport), hi = MAX(sport, dport);

	return dissect_call(d, t, lo, p, len) || (hi != lo && dissect_call(d, t, hi, p, len));
}

const char *
dissect_name(enum dissect_table t, uint32_t key)
{
	size_t lo, hi, mid;

	if ((unsigned)t >= DT_COUNT)
		return NULL;
	lo = 0;
	hi = names[t].n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (names[t].v[mid].key == key)
			return names[t].v[mid].name;
		if (names[t].v[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void
dissect_next(struct dissect *d, enum dissect_table t, uint32_t key, const uint8_t *p, size_t len)
{
	const char *name;

	if (dissect_call(d, t, key, p, len))
		return;
	dissect_sep(d);
	if ((name = dissect_name(t, key)) != NULL)
		dissect_add(d, "%s (not decoded)", name);
	else if ((unsigned)t < DT_COUNT && names[t].hexw > 0)
		dissect_add(d, "%s 0x%0*x (not decoded)", names[t].label, names[t].hexw,
		    (unsigned)key);
	else if ((unsigned)t < DT_COUNT)
		dissect_add(d, "%s %u (not decoded)", names[t].label, (unsigned)key);
}

void
dissect_frame(struct dissect *d, uint32_t linktype, const uint8_t *p, size_t len)
{
	dissect_next(d, DT_LINKTYPE, linktype, p, len);
	/* A layer that said nothing may leave the separator behind. */
	while (d->line.len > 0 && d->line.s[d->line.len - 1] == ' ')
		d->line.s[--d->line.len] = '\0';
}

void
dissect_capture(struct dissect *d, uint32_t linktype, const uint8_t *p, size_t caplen,
    size_t origlen)
{
	bool partial = d->partial;

	if (caplen < origlen)
		d->partial = true;
	dissect_frame(d, linktype, p, caplen);
	d->partial = partial;
}

bool
dissect_need(struct dissect *d, const char *proto, size_t len, size_t need)
{
	if (len >= need)
		return true;
	if (d->partial)
		dissect_add(d, "%s[|%s]",
		    d->line.len > 0 && d->line.s[d->line.len - 1] != ' ' ? " " : "", proto);
	else
		dissect_error(d, "%s: truncated (%zu of %zu bytes)", proto, len, need);
	return false;
}

/*
 * RFC 1071: a message with its checksum in place sums to 0xffff, i.e. folds
 * to zero. The value it should carry is the sum without the field, which
 * sits at an even offset so the 16-bit words on either side still pair up.
 */
bool
dissect_inet_cksum(struct dissect *d, const char *proto, const uint8_t *p, size_t len,
    size_t off, uint32_t init)
{
	uint32_t sum;

	if (d->partial || off + 2 > len)
		return true;
	if (inet_fold(inet_sum(p, len, init)) == 0)
		return true;
	sum = inet_sum(p, off, init);
	sum = inet_sum(p + off + 2, len - off - 2, sum);
	dissect_error(d, "%s: bad checksum 0x%04x (should be 0x%04x)", proto, get16(p + off),
	    inet_fold(sum));
	return false;
}

void
dissect_init(struct dissect *d)
{
	memset(d, 0, sizeof(*d));
	sb_init(&d->line);
	sb_init(&d->err);
}

void
dissect_free(struct dissect *d)
{
	sb_free(&d->line);
	sb_free(&d->err);
}

void
dissect_reset(struct dissect *d)
{
	sb_reset(&d->line);
	sb_reset(&d->err);
	d->errors = 0;
	d->known = false;
	d->ip_src = d->ip_dst = 0;
	d->partial = false;
}

void
dissect_add(struct dissect *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&d->line, fmt, ap);
	va_end(ap);
}

int
dissect_flags(struct dissect *d, unsigned v, const struct dissect_flag *f, size_t n)
{
	int set = 0;

	for (size_t i = 0; i < n; i++)
		if (v & f[i].mask)
			dissect_add(d, "%s%s", set++ ? "," : "", f[i].name);
	return set;
}

void
dissect_error(struct dissect *d, const char *fmt, ...)
{
	va_list ap;

	if (d->err.len > 0)
		sb_add(&d->err, "; ");
	va_start(ap, fmt);
	sb_vprintf(&d->err, fmt, ap);
	va_end(ap);
	d->errors++;
}

/* The default when no protocol supplies dissectors: nothing to add. */
__attribute__((weak)) void
proto_dissect_setup(void)
{
}

void
dissect_setup(void)
{
	static bool done;
	size_t t, i;

	if (done)
		return;
	done = true;
	/* dissect_name() searches the names by halves: an unsorted edit is a bug. */
	for (t = 0; t < DT_COUNT; t++)
		for (i = 1; i < names[t].n; i++)
			if (names[t].v[i - 1].key >= names[t].v[i].key)
				bug("dissect: names of table %zu unsorted at 0x%x", t,
				    (unsigned)names[t].v[i].key);
	dissect_link_setup();
	dissect_arp_setup();
	dissect_ipv4_setup();
	dissect_icmp_setup();
	dissect_udp_setup();
	dissect_tcp_setup();
	dissect_mpls_setup();
	dissect_lsp_ping_setup();
	proto_dissect_setup();
}
