/*
 * eth.c: Ethernet II / 802.1Q input and output for routers and hosts.
 * Switches take frames whole (bridge.c).
 */
#include <string.h>

#include "../lib/buf.h"
#include "../lib/log.h"
#include "bridge.h"
#include "demux.h"
#include "eth.h"

const uint8_t eth_bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

int
eth_parse(const uint8_t *p, size_t len, struct eth_hdr *h)
{
	if (len < ETH_HLEN)
		return -1;
	memcpy(h->dst, p, 6);
	memcpy(h->src, p + 6, 6);
	h->type = get16(p + 12);
	h->vlan = 0;
	h->pcp = 0;
	h->hlen = ETH_HLEN;
	if (h->type == ETHERTYPE_VLAN) {
		if (len < ETH_HLEN + ETH_VLAN_HLEN)
			return -1;
		h->pcp = p[14] >> 5;
		h->vlan = get16(p + 14) & 0x0fff;
		h->type = get16(p + 16);
		h->hlen += ETH_VLAN_HLEN;
	}
	return 0;
}

void
eth_ip_mcast(uint32_t group, uint8_t mac[6])
{
	mac[0] = 0x01;
	mac[1] = 0x00;
	mac[2] = 0x5e;
	mac[3] = (group >> 16) & 0x7f;
	mac[4] = (group >> 8) & 0xff;
	mac[5] = group & 0xff;
}

static void
drop(struct iface *ifp, struct pkt *p)
{
	ifp->st.rx_drops++;
	pkt_free(p);
}

void
eth_input(struct iface *ifp, struct pkt *p)
{
	struct eth_hdr h;
	struct rx_ctx ctx = {0};

	ifp->st.rx_pkts++;
	ifp->st.rx_bytes += p->len;
	if (ifp->node->type == NODE_SWITCH) {
		bridge_input(ifp, p);
		return;
	}
	if (eth_parse(p->data, p->len, &h) < 0) {
		drop(ifp, p);
		return;
	}
	if (h.vlan != 0) {
		/* A tagged frame belongs to the sub-interface with that tag. */
		struct iface *sub = NULL;

		for (size_t i = 0; i < ifp->node->nifs && sub == NULL; i++)
			if (ifp->node->ifs[i]->parent == ifp && ifp->node->ifs[i]->vlan == h.vlan)
				sub = ifp->node->ifs[i];
		if (sub == NULL || !iface_is_up(sub)) {
			drop(ifp, p);
			return;
		}
		sub->st.rx_pkts++;
		sub->st.rx_bytes += p->len;
		ifp = sub;
	}
	if (!mac_is_mcast(h.dst) && memcmp(h.dst, ifp->mac, 6) != 0) {
		/* Unicast for another station on a shared segment. */
		pkt_free(p);
		return;
	}
	pkt_pull(p, h.hlen);
	ctx.ifp = ifp;
	ctx.eth = &h;
	if (h.type <= ETH_MAX_LEN) {
		/* IEEE 802.3 length field: an 802.2 LLC header (DSAP, SSAP, control) follows. */
		if (p->len >= 3 && h.type <= p->len) {
			pkt_trim(p, h.type);
			if (demux_input(DEMUX_LLC, p->data[0], &ctx, p))
				return;
		}
	} else if (demux_input(DEMUX_ETHERTYPE, h.type, &ctx, p)) {
		return;
	}
	drop(ifp, p);
}

void
eth_output(struct iface *ifp, const uint8_t dst[6], uint16_t type, struct pkt *p)
{
	uint8_t *h;

	if (ifp->vlan) {
		h = pkt_push(&p, ETH_HLEN + ETH_VLAN_HLEN);
		put16(h + 12, ETHERTYPE_VLAN);
		put16(h + 14, ifp->vlan);
		put16(h + 16, type);
	} else {
		h = pkt_push(&p, ETH_HLEN);
		put16(h + 12, type);
	}
	memcpy(h, dst, 6);
	memcpy(h + 6, ifp->mac, 6);
	iface_tx(ifp, p);
}

void
iface_tx(struct iface *ifp, struct pkt *p)
{
	if (ifp->parent != NULL && iface_is_up(ifp)) {
		ifp->st.tx_pkts++;
		ifp->st.tx_bytes += p->len;
		ifp = ifp->parent;
	}
	if (!iface_is_up(ifp) || ifp->link == NULL) {
		ifp->st.tx_drops++;
		pkt_free(p);
		return;
	}
	if (p->len < ETH_MIN_FRAME) {
		size_t old = p->len;
		struct pkt *q = pkt_new(ETH_MIN_FRAME);

		memcpy(q->data, p->data, old);
		memset(q->data + old, 0, ETH_MIN_FRAME - old);
		q->cls = p->cls;
		pkt_trace_copy(q, p);
		pkt_free(p);
		p = q;
	}
	ifp->st.tx_pkts++;
	ifp->st.tx_bytes += p->len;
	trace(TR_PKT, "%s %s tx %u bytes", ifp->node->name, ifp->name, p->len);
	link_tx(ifp, p);
}
