/*
 * fuzz_isis_rx.c: libFuzzer harness for a live router's IS-IS receive path.
 *
 * Two level 1-2 routers of area 49.0001, r1 and r2, share a broadcast link
 * (eth0, a LAN with a DIS and a pseudonode) and a point-to-point circuit
 * (eth1); r3, in area 49.0002, hangs off r2 at level 2, so r2 is attached and
 * there are inter-area routes. Wide metrics. The harness builds this network
 * twice, once without and once with HMAC-MD5 authentication (RFC 5304) on
 * every PDU, lets both converge, then makes every input an IS-IS PDU that r1
 * receives as if r2 had sent it: the 802.3 header and the LLC header
 * (FE FE 03) are made here, the frame goes through eth_input (the same door a
 * frame off the wire takes), and the engine runs on for a while, so r1 floods,
 * acknowledges, requests, purges or reissues its own LSPs and runs SPF, and
 * r2 reacts to what r1 sends.
 *
 * Input: two control octets (bits 0-7, then 8-15), then the PDU from the
 * discriminator 0x83 on (ISO 10589 9). Random bytes would almost never pass
 * the header checks, so control bits fix fields up (each one can be left
 * off, so the checks themselves are fuzzed too):
 *   bit 0      the common header: discriminator, length indicator of the
 *              PDU type, version 1, ID length 0, version 1, max areas 0
 *   bit 1      the PDU length field := the input's length
 *   bit 2      the source ID := r2's system ID (IIH; CSNP and PSNP with
 *              pseudonode 0)
 *   bits 3-4   an LSP's ID: as is, r2's system ID, r1's own system ID (the
 *              own-LSP paths: 7.3.16.1 reissue, purge), r1's LSP 0 exactly
 *   bit 5      the LSP checksum (ISO 10589 7.3.11), computed last
 *   bit 6      HMAC-MD5 (RFC 5304 2) with the network's key, when the PDU has
 *              an authentication TLV of type 54 and 16 octets: the PDU is
 *              parsed and encoded again with the key
 *   bit 7      the network with authentication
 *   bits 8-11  the PDU type: 1-9 the nine types (IIHs, LSPs, CSNPs, PSNPs of
 *              both levels), anything else as is
 *   bit 12     the circuit: the LAN (eth0) or the point-to-point one (eth1)
 *   bits 13-14 run 50 ms, 2 s, 12 s or 70 s of simulated time after it
 *              (flooding; retransmission, CSNPs and PSNPs; hold times; the
 *              60 s ZeroAgeLifetime of a purge)
 *   bit 15     to r1's MAC address instead of AllL1ISs/AllL2ISs (LAN) or
 *              AllISs (point-to-point)
 * Each network is rebuilt every REBUILD inputs so that state does not pile
 * up without bound (and a crash reproduces from a short history).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_net.h"
#include "lib/buf.h"
#include "lib/cksum.h"
#include "net/eth.h"
#include "net/pkt.h"
#include "proto/isis/isis.h"
#include "proto/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REBUILD 1000
#define KEY     "fuzz-key"

static const uint8_t r1_sysid[ISIS_SYSID_LEN] = {0, 0, 0, 0, 0, 1};
static const uint8_t r2_sysid[ISIS_SYSID_LEN] = {0, 0, 0, 0, 0, 2};

/* The network, with %s where each router's `isis:` block may take an `auth:`. */
static const char topology[] =
    "name: fuzz-isis\n"
    "devices:\n"
    "  - name: r1\n"
    "    type: router\n"
    "    isis: {net: \"49.0001.0000.0000.0001.00\", level: l1l2%s}\n"
    "    interfaces:\n"
    "      - {name: eth0, ip: 10.0.12.1/24, isis: {}}\n"
    "      - {name: eth1, ip: 10.1.12.1/30, isis: {network_type: point-to-point}}\n"
    "      - {name: lo, ip: 1.1.1.1/32, isis: {}}\n"
    "  - name: r2\n"
    "    type: router\n"
    "    isis: {net: \"49.0001.0000.0000.0002.00\", level: l1l2%s}\n"
    "    interfaces:\n"
    "      - {name: eth0, ip: 10.0.12.2/24, isis: {}}\n"
    "      - {name: eth1, ip: 10.1.12.2/30, isis: {network_type: point-to-point}}\n"
    "      - {name: eth2, ip: 10.2.23.1/30, isis: {network_type: point-to-point}}\n"
    "      - {name: lo, ip: 2.2.2.2/32, isis: {}}\n"
    "  - name: r3\n"
    "    type: router\n"
    "    isis: {net: \"49.0002.0000.0000.0003.00\", level: l1l2%s}\n"
    "    interfaces:\n"
    "      - {name: eth0, ip: 10.2.23.2/30, isis: {network_type: point-to-point}}\n"
    "      - {name: lo, ip: 3.3.3.3/32, isis: {}}\n"
    "links:\n"
    "  - endpoints: [r1:eth0, r2:eth0]\n"
    "  - endpoints: [r1:eth1, r2:eth1]\n"
    "  - endpoints: [r2:eth2, r3:eth0]\n";

static const uint8_t types[9] = {ISIS_L1_LAN_IIH, ISIS_L2_LAN_IIH, ISIS_P2P_IIH,
    ISIS_L1_LSP, ISIS_L2_LSP, ISIS_L1_CSNP, ISIS_L2_CSNP, ISIS_L1_PSNP, ISIS_L2_PSNP};

/* Each network: [0] without, [1] with authentication. */
static struct fnet {
	struct topo *t;
	struct iface *r1_if[2], *r2_if[2]; /* eth0 (LAN), eth1 (point-to-point) */
	unsigned runs;
} nets[2];

static void
build(struct fnet *n, bool auth)
{
	const char *a = auth ? ", auth: {type: md5, key: " KEY "}" : "";
	char yaml[sizeof(topology) + 3 * 64];
	int len = snprintf(yaml, sizeof(yaml), topology, a, a, a);

	topo_free(n->t);
	n->t = fuzz_net("fuzz-isis.yaml", yaml, (size_t)len);
	for (int i = 0; i < 2; i++) {
		n->r1_if[i] = node_iface(net_node(n->t->net, "r1"), i ? "eth1" : "eth0");
		n->r2_if[i] = node_iface(net_node(n->t->net, "r2"), i ? "eth1" : "eth0");
	}
}

/* Header length (the length indicator) of a PDU type; 0 for an unknown type. */
static size_t
hlen_of(uint8_t type)
{
	switch (type) {
	case ISIS_L1_LAN_IIH:
	case ISIS_L2_LAN_IIH:
		return ISIS_LAN_IIH_HLEN;
	case ISIS_P2P_IIH:
		return ISIS_P2P_IIH_HLEN;
	case ISIS_L1_LSP:
	case ISIS_L2_LSP:
		return ISIS_LSP_HLEN;
	case ISIS_L1_CSNP:
	case ISIS_L2_CSNP:
		return ISIS_CSNP_HLEN;
	case ISIS_L1_PSNP:
	case ISIS_L2_PSNP:
		return ISIS_PSNP_HLEN;
	}
	return 0;
}

static bool
is_iih(uint8_t type)
{
	return type == ISIS_L1_LAN_IIH || type == ISIS_L2_LAN_IIH || type == ISIS_P2P_IIH;
}

static bool
is_lsp(uint8_t type)
{
	return type == ISIS_L1_LSP || type == ISIS_L2_LSP;
}

/* Bit 6: sign with the key (a PDU that does not parse, or has no MD5 TLV, stays). */
static void
sign(uint8_t *o, size_t len)
{
	struct isis_pdu pdu;
	const char *err;
	uint8_t *copy = malloc(len);

	memcpy(copy, o, len);
	if (isis_pdu_parse(&pdu, copy, len, &err) == 0) {
		if (pdu.has_auth)
			isis_pdu_encode(&pdu, o, len, (const uint8_t *)KEY, strlen(KEY));
		isis_pdu_free(&pdu);
	}
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len = size - 2, hl;
	struct fnet *n;
	struct pkt *p;
	uint8_t *f, *o, type, level;
	unsigned ctl, tsel, circ;
	static const sim_time runfor[4] = {50 * SIM_MS, 2 * SIM_S, 12 * SIM_S, 70 * SIM_S};

	/* At most what fits an Ethernet MTU of 1500 after the LLC header (padded IIHs do). */
	if (size < 2 || size - 2 > 1500 - 3)
		return 0;
	ctl = data[0] | (unsigned)data[1] << 8;
	n = &nets[(ctl >> 7) & 1];
	if (nets[0].t == NULL)
		proto_init_all();
	if (n->t == NULL || n->runs++ % REBUILD == 0)
		build(n, n == &nets[1]);
	circ = (ctl >> 12) & 1;
	p = pkt_new(14 + 3 + len);
	f = p->data;
	o = f + 17;
	memcpy(o, data + 2, len);
	/* Header fix-ups, as the control bits ask; the type first, the rest follows it. */
	tsel = (ctl >> 8) & 15;
	if (tsel >= 1 && tsel <= 9 && len >= 5)
		o[4] = (uint8_t)((o[4] & 0xe0) | types[tsel - 1]);
	type = len >= 5 ? o[4] & 0x1f : 0;
	hl = hlen_of(type);
	if ((ctl & 1) && len >= 8 && hl) {
		o[0] = ISIS_IRPD;
		o[1] = (uint8_t)hl;
		o[2] = 1;
		o[3] = 0;
		o[5] = 1;
		o[7] = 0;
	}
	if ((ctl & 2) && hl && len >= (is_iih(type) ? 19u : 10u))
		put16(o + (is_iih(type) ? 17 : 8), (uint16_t)len);
	if ((ctl & 4) && is_iih(type) && len >= 15)
		memcpy(o + 9, r2_sysid, ISIS_SYSID_LEN);
	else if ((ctl & 4) && hl && !is_lsp(type) && len >= 17) {
		memcpy(o + 10, r2_sysid, ISIS_SYSID_LEN);
		o[16] = 0;
	}
	if (is_lsp(type) && len >= ISIS_LSP_HLEN) {
		uint8_t *id = o + ISIS_LSP_OFF_ID;

		switch ((ctl >> 3) & 3) {
		case 1:
			memcpy(id, r2_sysid, ISIS_SYSID_LEN);
			break;
		case 2:
			memcpy(id, r1_sysid, ISIS_SYSID_LEN);
			break;
		case 3:
			memcpy(id, r1_sysid, ISIS_SYSID_LEN);
			id[6] = id[7] = 0;
			break;
		}
	}
	if (ctl & 64)
		sign(o, len);
	if ((ctl & 32) && is_lsp(type) && len >= ISIS_LSP_HLEN) {
		size_t l = get16(o + 8);

		if (l >= ISIS_LSP_HLEN && l <= len)
			fletcher_set(o + ISIS_LSP_OFF_ID, l - ISIS_LSP_OFF_ID,
			    ISIS_LSP_OFF_CKSUM - ISIS_LSP_OFF_ID);
	}
	/* 802.2 LLC (ISO 10589 8.4.8): DSAP and SSAP 0xfe, UI. */
	f[14] = 0xfe;
	f[15] = 0xfe;
	f[16] = 0x03;
	/* 802.3 (length, not EtherType): to the level's group or to r1; from r2. */
	level = (type == ISIS_L1_LAN_IIH || type == ISIS_L1_LSP || type == ISIS_L1_CSNP ||
	         type == ISIS_L1_PSNP)
	            ? ISIS_LEVEL1
	            : ISIS_LEVEL2;
	if (ctl & 0x8000)
		memcpy(f, n->r1_if[circ]->mac, 6);
	else
		memcpy(f, isis_level_mac(level, circ == 1), 6);
	memcpy(f + 6, n->r2_if[circ]->mac, 6);
	put16(f + 12, (uint16_t)(3 + len));
	eth_input(n->r1_if[circ], p);
	tsel = (ctl >> 13) & 3;
	sim_run_until(&n->t->net->sim, n->t->net->sim.now + runfor[tsel]);
	return 0;
}
