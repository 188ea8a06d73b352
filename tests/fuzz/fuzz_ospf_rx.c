/*
 * fuzz_ospf_rx.c: libFuzzer harness for a live router's OSPF receive path.
 *
 * Two routers, r1 and r2, share a broadcast link (10.0.12.0/24, area 0) and
 * each has a stub network; the harness lets them converge (r1 and r2 Full),
 * then makes every input an OSPF packet that r1 receives on eth0 as if r2
 * had sent it: Ethernet and IPv4 headers are made here, the frame goes
 * through eth_input (the same door a frame off the wire takes), and the
 * engine runs on for a while, so r1 answers (acks, DD, requests, its own
 * LSAs) and r2 reacts to those answers.
 *
 * Input: one control byte, then the OSPF packet (RFC 2328 A.3). Random
 * bytes would almost never pass the header checks, so control bits fix
 * fields up:
 *   bit 0  the packet length field := the input's length
 *   bit 1  router ID := r2's, area := 0.0.0.0 (a packet of the known neighbor)
 *   bit 2  the LSAs of a Link State Update get their Fletcher checksums
 *   bit 3  the packet checksum (RFC 2328 D.4.1), computed last
 *   bit 4-5  IP destination: AllSPFRouters, AllDRouters, r1, the subnet broadcast
 *   bit 6  run 2 s of simulated time after it (timers: retransmission,
 *          inactivity) instead of 50 ms
 * The network is rebuilt every REBUILD inputs so that state does not pile
 * up without bound (and a crash reproduces from a short history).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_net.h"
#include "lib/buf.h"
#include "lib/cksum.h"
#include "net/eth.h"
#include "net/pkt.h"
#include "proto/ospf/lsa.h"
#include "proto/ospf/packet.h"
#include "proto/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REBUILD 2000
#define R2_RID  0x02020202u
#define R1_ADDR 0x0a000c01u /* 10.0.12.1 */
#define R2_ADDR 0x0a000c02u /* 10.0.12.2 */

static const char topology[] =
    "name: fuzz-ospf\n"
    "devices:\n"
    "  - name: r1\n"
    "    type: router\n"
    "    router_id: 1.1.1.1\n"
    "    interfaces:\n"
    "      - { name: eth0, ip: 10.0.12.1/24, ospf: { area: 0, cost: 10 } }\n"
    "      - { name: eth1, ip: 10.0.1.1/24, ospf: { area: 0, cost: 1 } }\n"
    "  - name: r2\n"
    "    type: router\n"
    "    router_id: 2.2.2.2\n"
    "    interfaces:\n"
    "      - { name: eth0, ip: 10.0.12.2/24, ospf: { area: 0, cost: 10 } }\n"
    "      - { name: eth1, ip: 10.0.2.1/24, ospf: { area: 0, cost: 1 } }\n"
    "links:\n"
    "  - endpoints: [r1:eth0, r2:eth0]\n";

static struct topo *t;
static struct iface *r1_eth0, *r2_eth0;
static unsigned runs;

static void
build(void)
{
	t = fuzz_net("fuzz-ospf.yaml", topology, sizeof(topology) - 1);
	r1_eth0 = node_iface(net_node(t->net, "r1"), "eth0");
	r2_eth0 = node_iface(net_node(t->net, "r2"), "eth0");
}

/* Bit 2: Fletcher checksums of the LSAs in a Link State Update (RFC 2328 A.3.5). */
static void
fix_lsas(uint8_t *p, size_t len)
{
	size_t off = OSPF_HDRLEN + 4;
	uint32_t n;

	if (len < off || p[1] != OSPF_LSU)
		return;
	n = get32(p + OSPF_HDRLEN);
	for (; n > 0 && off + OSPF_LSA_HDRLEN <= len; n--) {
		size_t l = get16(p + off + 18);

		if (l < OSPF_LSA_HDRLEN || l > len - off)
			break;
		ospf_lsa_cksum_set(p + off, l);
		off += l;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t dsts[4] = {OSPF_ALL_SPF_ROUTERS, OSPF_ALL_D_ROUTERS, R1_ADDR,
	    0x0a000cffu};
	size_t len = size - 1;
	struct pkt *p;
	uint8_t *f, *ip, *o, ctl;
	uint32_t dst;

	if (size < 1 || size - 1 > 1400)
		return 0;
	if (t == NULL || runs++ % REBUILD == 0) {
		if (t == NULL)
			proto_init_all();
		topo_free(t);
		build();
	}
	ctl = data[0];
	dst = dsts[(ctl >> 4) & 3];
	p = pkt_new(14 + 20 + len);
	f = p->data;
	ip = f + 14;
	o = ip + 20;
	memcpy(o, data + 1, len);
	/* Header fix-ups, as the control byte asks. */
	if ((ctl & 1) && len >= 4)
		put16(o + 2, (uint16_t)len);
	if ((ctl & 2) && len >= 12) {
		put32(o + 4, R2_RID);
		put32(o + 8, 0);
	}
	if (ctl & 4)
		fix_lsas(o, len);
	if ((ctl & 8) && len >= OSPF_HDRLEN)
		put16(o + 12, ospf_pkt_cksum_compute(o, len));
	/* IPv4 (RFC 791) from r2, TTL 1, protocol 89, with a correct header checksum. */
	ip[0] = 0x45;
	ip[1] = 0xc0;
	put16(ip + 2, (uint16_t)(20 + len));
	put16(ip + 4, (uint16_t)runs);
	put16(ip + 6, 0);
	ip[8] = 1;
	ip[9] = OSPF_IPPROTO;
	put16(ip + 10, 0);
	put32(ip + 12, R2_ADDR);
	put32(ip + 16, dst);
	put16(ip + 10, inet_cksum(ip, 20));
	/* Ethernet: to the group's MAC, to r1's, or broadcast; from r2. */
	if (dst == R1_ADDR)
		memcpy(f, r1_eth0->mac, 6);
	else if ((dst >> 28) == 0xe)
		eth_ip_mcast(dst, f);
	else
		memset(f, 0xff, 6);
	memcpy(f + 6, r2_eth0->mac, 6);
	put16(f + 12, 0x0800);
	eth_input(r1_eth0, p);
	sim_run_until(&t->net->sim, t->net->sim.now + ((ctl & 64) ? 2 * SIM_S : 50 * SIM_MS));
	return 0;
}
