/*
 * demux.c: the receive tables (demux.h). A layer holds a handful of entries
 * (ARP and IPv4; ICMP, UDP, TCP and a routing protocol or two), so a short array
 * searched in order beats a hash; the data plane's own receivers come first.
 */
#include "demux.h"

#include "../lib/log.h"
#include "../lib/util.h"
#include "arp.h"
#include "eth.h"
#include "icmp.h"
#include "ip4.h"
#include "lsp_ping.h"
#include "mpls.h"
#include "tcp.h"
#include "udp.h"

#define DEMUX_MAX 16 /* receivers per layer */

struct demux_entry {
	uint16_t key;
	demux_fn fn;
	const void *arg;
};

static bool
rx_arp(const void *arg UNUSED, const struct rx_ctx *c, struct pkt *p)
{
	arp_input(c->ifp, c->eth, p);
	return true;
}

static bool
rx_ip(const void *arg UNUSED, const struct rx_ctx *c, struct pkt *p)
{
	ip4_input(c->ifp, p);
	return true;
}

static bool
rx_mpls(const void *arg UNUSED, const struct rx_ctx *c, struct pkt *p)
{
	mpls_input(c->ifp, p);
	return true;
}

static bool
rx_icmp(const void *arg UNUSED, const struct rx_ctx *c, struct pkt *p)
{
	icmp_input(c->ifp, p, c->ip);
	return true;
}

static bool
rx_udp(const void *arg UNUSED, const struct rx_ctx *c, struct pkt *p)
{
	udp_input(c->ifp, p, c->ip);
	return true;
}

static bool
rx_tcp(const void *arg UNUSED, const struct rx_ctx *c, struct pkt *p)
{
	tcp_input(c->ifp, p, c->ip);
	return true;
}

static struct {
	struct demux_entry e[DEMUX_MAX];
	int n;
} tab[DEMUX_LAYERS] = {
	[DEMUX_ETHERTYPE] = {{{ETHERTYPE_IP, rx_ip, NULL}, {ETHERTYPE_ARP, rx_arp, NULL},
	    {ETHERTYPE_MPLS, rx_mpls, NULL}}, 3},
	[DEMUX_IPPROTO] = {{{IPPROTO_ICMP_, rx_icmp, NULL}, {IPPROTO_UDP_, rx_udp, NULL},
	    {IPPROTO_TCP_, rx_tcp, NULL}}, 3},
	/* MPLS echo requests (RFC 8029), which every router answers. */
	[DEMUX_UDP] = {{{LSP_PING_PORT, lsp_ping_rx, NULL}}, 1},
};

static const struct demux_entry *
find(enum demux_layer l, uint16_t key)
{
	for (int i = 0; i < tab[l].n; i++)
		if (tab[l].e[i].key == key)
			return &tab[l].e[i];
	return NULL;
}

void
demux_register(enum demux_layer l, uint16_t key, demux_fn fn, const void *arg)
{
	if (find(l, key) != NULL)
		bug("demux: layer %d key %#x registered twice", (int)l, key);
	if (tab[l].n == DEMUX_MAX)
		bug("demux: layer %d is full", (int)l);
	tab[l].e[tab[l].n++] = (struct demux_entry){key, fn, arg};
}

bool
demux_input(enum demux_layer l, uint16_t key, const struct rx_ctx *c, struct pkt *p)
{
	const struct demux_entry *e = find(l, key);

	return e != NULL && e->fn(e->arg, c, p);
}

bool
demux_has(enum demux_layer l, uint16_t key)
{
	return find(l, key) != NULL;
}
