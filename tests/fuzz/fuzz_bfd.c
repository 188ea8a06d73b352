/*
 * fuzz_bfd.c: libFuzzer harness for BFD (src/proto/bfd/): the Control packet
 * codec and a live router's receive path.
 *
 * Every input is first a packet for the codec: a refused one has an error
 * message; an accepted one encodes to the octets it came from (its Length of
 * them) and decodes again. Then it reaches r1 as a UDP datagram from r2 (the
 * two routers of topologies/bfd-ospf.yaml's direct link, whose session is Up),
 * through eth_input like a frame off the wire, and the engine runs on.
 *
 * Input: one control octet, then the BFD payload. Random bytes would rarely
 * name the session, so control bits fix fields up (each can be left off, so
 * the checks themselves are fuzzed too):
 *   bit 0   version 1 and Length := the payload's length
 *   bit 1   Your Discriminator := r1's session's
 *   bit 2   My Discriminator := r2's session's
 *   bit 3   TTL 255 (else 254: refused on a single-hop session, RFC 5881 5)
 *   bit 4   to UDP 4784 (multi-hop) instead of 3784
 *   bit 5   run 2 s after it (detection, Poll Sequences) instead of 50 ms
 * The network is rebuilt every REBUILD inputs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_net.h"
#include "lib/buf.h"
#include "lib/cksum.h"
#include "net/eth.h"
#include "net/pkt.h"
#include "proto/bfd/bfd_int.h"
#include "proto/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REBUILD 1000

static const char topology[] =
    "name: fuzz-bfd\n"
    "devices:\n"
    "  - name: r1\n"
    "    interfaces:\n"
    "      - {name: eth0, ip: 10.0.12.1/24, bfd: {interval: 50ms},\n"
    "         ospf: {area: 0, network_type: point-to-point, bfd: true}}\n"
    "  - name: r2\n"
    "    interfaces:\n"
    "      - {name: eth0, ip: 10.0.12.2/24, bfd: {interval: 50ms},\n"
    "         ospf: {area: 0, network_type: point-to-point, bfd: true}}\n"
    "links:\n"
    "  - endpoints: [r1:eth0, r2:eth0]\n";

static struct topo *t;
static unsigned runs;

static struct bfd_sess *
session(const char *name)
{
	struct node *n = net_node(t->net, name);
	struct proto_inst *pi = proto_get(n, &proto_bfd);
	const struct bfd *b = pi ? pi->priv : NULL;

	return b != NULL && b->nsess > 0 ? b->sess[0] : NULL;
}

static void
codec(const uint8_t *p, size_t len)
{
	struct bfd_pkt b, again;
	const char *err = NULL;
	uint8_t out[256];

	if (bfd_pkt_decode(&b, p, len, &err) < 0) {
		if (err == NULL || err[0] == '\0')
			abort();
		return;
	}
	if (bfd_pkt_encode(&b, out) != b.len || memcmp(out, p, b.len) != 0)
		abort();
	if (bfd_pkt_decode(&again, out, b.len, &err) < 0 || memcmp(&again, &b, sizeof(b)) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bfd_sess *s1, *s2;
	struct iface *r1_eth0, *r2_eth0;
	size_t len;
	struct pkt *p;
	uint8_t *f, *ip, *udp, *o, ctl;

	if (size < 1 || size - 1 > 255)
		return 0;
	len = size - 1;
	codec(data + 1, len);
	if (t == NULL || runs++ % REBUILD == 0) {
		if (t == NULL)
			proto_init_all();
		topo_free(t);
		t = fuzz_net("fuzz-bfd.yaml", topology, sizeof(topology) - 1);
		sim_run_until(&t->net->sim, t->net->sim.now + 3 * SIM_S);
	}
	r1_eth0 = net_node(t->net, "r1")->ifs[0];
	r2_eth0 = net_node(t->net, "r2")->ifs[0];
	s1 = session("r1");
	s2 = session("r2");
	ctl = data[0];
	p = pkt_new(14 + 20 + 8 + len);
	f = p->data;
	ip = f + 14;
	udp = ip + 20;
	o = udp + 8;
	memcpy(o, data + 1, len);
	if ((ctl & 1) && len >= 4) {
		o[0] = (uint8_t)(1 << 5 | (o[0] & 0x1f));
		o[3] = (uint8_t)len;
	}
	if ((ctl & 2) && len >= 12 && s1 != NULL)
		put32(o + 8, s1->my_disc);
	if ((ctl & 4) && len >= 8 && s2 != NULL)
		put32(o + 4, s2->my_disc);
	/* UDP from r2's port, no checksum (RFC 768: zero means none). */
	put16(udp, 49152);
	put16(udp + 2, (ctl & 16) ? BFD_MH_PORT : BFD_PORT);
	put16(udp + 4, (uint16_t)(8 + len));
	put16(udp + 6, 0);
	ip[0] = 0x45;
	ip[1] = 0xc0;
	put16(ip + 2, (uint16_t)(20 + 8 + len));
	put16(ip + 4, (uint16_t)runs);
	put16(ip + 6, 0);
	ip[8] = (ctl & 8) ? 255 : 254;
	ip[9] = 17;
	put16(ip + 10, 0);
	put32(ip + 12, r2_eth0->addr);
	put32(ip + 16, r1_eth0->addr);
	put16(ip + 10, inet_cksum(ip, 20));
	memcpy(f, r1_eth0->mac, 6);
	memcpy(f + 6, r2_eth0->mac, 6);
	put16(f + 12, 0x0800);
	eth_input(r1_eth0, p);
	sim_run_until(&t->net->sim, t->net->sim.now + ((ctl & 32) ? 2 * SIM_S : 50 * SIM_MS));
	return 0;
}
