/* arp.c: ARP resolution and cache (RFC 826). */
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include "arp.h"
#include "flow.h"
#include "icmp.h"
#include "ip4.h"

#define ARP_LEN 28

/*
 * An entry's key: its address in the VRF of its interface, so that one
 * neighbour address in two VRFs (on two links) is two entries; the VRF is 0
 * on a node without VRFs, whose keys are the bare addresses.
 */
static uint64_t
arp_key(const struct iface *ifp, uint32_t ip)
{
	return (uint64_t)ifp->vrf << 32 | ip;
}

void
arp_init(struct node *n)
{
	n->arp = xcalloc(1, sizeof(*n->arp));
	hmap_init(&n->arp->tab);
	n->arp->timeout = ARP_TIMEOUT;
}

static void
entry_free(struct arp_entry *e)
{
	timer_cancel(&e->retry);
	for (int i = 0; i < e->nqueue; i++)
		pkt_free(e->queue[i]);
	free(e);
}

void
arp_flush(struct node *n)
{
	size_t i = 0;
	void *v;

	if (n->arp == NULL)
		return;
	while (hmap_next(&n->arp->tab, &i, NULL, &v))
		entry_free(v);
	hmap_free(&n->arp->tab);
}

void
arp_free(struct node *n)
{
	arp_flush(n);
	free(n->arp);
	n->arp = NULL;
}

void
arp_iface_down(struct iface *ifp)
{
	struct arp_table *t = ifp->node->arp;
	uint64_t *keys = xmalloc(sizeof(*keys) * (t->tab.n + 1));
	size_t i = 0, k = 0;
	uint64_t key;
	void *v;

	while (hmap_next(&t->tab, &i, &key, &v))
		if (((struct arp_entry *)v)->ifindex == ifp->idx)
			keys[k++] = key;
	for (i = 0; i < k; i++)
		entry_free(hmap_del(&t->tab, keys[i]));
	free(keys);
}

static void
send_arp(struct iface *ifp, uint16_t op, const uint8_t tha[6], uint32_t tpa, const uint8_t dst[6],
    uint8_t cls)
{
	struct pkt *p = pkt_new(ARP_LEN);
	uint8_t *a = p->data;

	put16(a, 1);            /* hardware: Ethernet */
	put16(a + 2, ETHERTYPE_IP);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, op);
	memcpy(a + 8, ifp->mac, 6);
	put32(a + 14, ifp->addr);
	memcpy(a + 18, tha, 6);
	put32(a + 24, tpa);
	p->cls = cls;
	eth_output(ifp, dst, ETHERTYPE_ARP, p);
}

static const uint8_t zero_mac[6];

static void
flush_queue(struct arp_entry *e, struct iface *ifp)
{
	for (int i = 0; i < e->nqueue; i++)
		eth_output(ifp, e->mac, e->qtype[i], e->queue[i]);
	e->nqueue = 0;
}

static void
retry_fire(struct timer *t)
{
	struct arp_entry *e = t->arg;
	struct node *n = e->node;
	struct iface *ifp = n->ifs[e->ifindex];

	if (e->state != ARP_INCOMPLETE)
		return;
	if (e->tries >= ARP_TRIES || !iface_is_up(ifp)) {
		/* RFC 1812 4.3.2.2: host unreachable for what we could not deliver. */
		n->arp->failed++;
		for (int i = 0; i < e->nqueue; i++) {
			/* Probes (flow.h); routed into a dead interface, IP counted them already. */
			if (e->qtype[i] == ETHERTYPE_IP && n->net->flows != NULL && iface_is_up(ifp))
				flow_dropped(n, e->queue[i]->data, e->queue[i]->len, FLOW_ARP);
			if (e->qtype[i] == ETHERTYPE_IP)
				icmp_error_forwarded(n, ifp->vrf, e->queue[i], ICMP_UNREACH,
				    ICMP_UNREACH_HOST);
			pkt_free(e->queue[i]);
		}
		e->nqueue = 0;
		hmap_del(&n->arp->tab, arp_key(ifp, e->ip));
		entry_free(e);
		return;
	}
	e->tries++;
	n->arp->requests_sent++;
	send_arp(ifp, 1, zero_mac, e->ip, eth_bcast, PKT_DATA);
	timer_set(&e->retry, ARP_RETRY);
}

static struct arp_entry *
entry_new(struct node *n, uint32_t ip, uint16_t ifindex)
{
	struct arp_entry *e = xcalloc(1, sizeof(*e));

	e->ip = ip;
	e->ifindex = ifindex;
	e->node = n;
	timer_init(&e->retry, &n->actor, retry_fire, e);
	hmap_put(&n->arp->tab, arp_key(n->ifs[ifindex], ip), e);
	return e;
}

void
arp_output(struct iface *ifp, uint32_t nh, struct pkt *p)
{
	arp_output_type(ifp, nh, ETHERTYPE_IP, p);
}

void
arp_output_type(struct iface *ifp, uint32_t nh, uint16_t type, struct pkt *p)
{
	struct node *n = ifp->node;
	struct arp_entry *e = hmap_get(&n->arp->tab, arp_key(ifp, nh));
	sim_time now = node_now(n);

	if (e && e->state == ARP_REACHABLE && e->ifindex == ifp->idx &&
	    now - e->updated < n->arp->timeout) {
		eth_output(ifp, e->mac, type, p);
		return;
	}
	if (e && e->ifindex != ifp->idx) {
		hmap_del(&n->arp->tab, arp_key(ifp, nh));
		entry_free(e);
		e = NULL;
	}
	if (e == NULL)
		e = entry_new(n, nh, ifp->idx);
	if (e->state == ARP_REACHABLE) {
		/* Expired: resolve again, queueing meanwhile. */
		e->state = ARP_INCOMPLETE;
		e->tries = 0;
	}
	if (e->nqueue < ARP_QUEUE_MAX) {
		e->qtype[e->nqueue] = type;
		e->queue[e->nqueue++] = p;
	}
	else {
		ifp->st.tx_drops++;
		if (type == ETHERTYPE_IP && n->net->flows != NULL && iface_is_up(ifp)) /* flow.h */
			flow_dropped(n, p->data, p->len, FLOW_ARP);
		pkt_free(p);
	}
	if (!timer_pending(&e->retry))
		retry_fire(&e->retry);
}

void
arp_input(struct iface *ifp, const struct eth_hdr *h, struct pkt *p)
{
	struct node *n = ifp->node;
	struct arp_entry *e;
	const uint8_t *a = p->data;
	uint16_t op;
	uint32_t spa, tpa;

	if (p->len < ARP_LEN || get16(a) != 1 || get16(a + 2) != ETHERTYPE_IP || a[4] != 6 ||
	    a[5] != 4) {
		ifp->st.rx_drops++;
		pkt_free(p);
		return;
	}
	op = get16(a + 6);
	spa = get32(a + 14);
	tpa = get32(a + 24);
	if (ifp->addr == 0 || spa == 0) {
		pkt_free(p);
		return;
	}
	/* RFC 826 "merge": refresh an entry we already have... */
	e = hmap_get(&n->arp->tab, arp_key(ifp, spa));
	if (e == NULL && tpa == ifp->addr)
		e = entry_new(n, spa, ifp->idx); /* ...and add one when the packet is for us. */
	if (e != NULL && e->ifindex == ifp->idx) {
		memcpy(e->mac, a + 8, 6);
		e->state = ARP_REACHABLE;
		e->updated = node_now(n);
		e->tries = 0;
		timer_cancel(&e->retry);
		flush_queue(e, ifp);
	}
	if (op == 1 && tpa == ifp->addr) {
		n->arp->replies_sent++;
		send_arp(ifp, 2, a + 8, spa, a + 8, PKT_DATA);
	}
	(void)h;
	pkt_free(p);
}

void
arp_announce(struct iface *ifp)
{
	if (ifp->addr == 0 || ifp->kind != IF_ETHERNET || !iface_is_up(ifp))
		return;
	send_arp(ifp, 1, zero_mac, ifp->addr, eth_bcast, PKT_CONTROL);
}

static int
entry_cmp(const void *x, const void *y)
{
	const struct arp_entry *a = *(struct arp_entry *const *)x;
	const struct arp_entry *b = *(struct arp_entry *const *)y;

	if (a->ip != b->ip)
		return a->ip < b->ip ? -1 : 1;
	return (a->ifindex > b->ifindex) - (a->ifindex < b->ifindex); /* one address in two VRFs */
}

struct arp_entry **
arp_sorted(struct node *n, size_t *cnt)
{
	struct arp_entry **v = xmalloc(sizeof(*v) * (n->arp->tab.n + 1));
	size_t i = 0, k = 0;
	void *e;

	while (hmap_next(&n->arp->tab, &i, NULL, &e))
		v[k++] = e;
	qsort(v, k, sizeof(*v), entry_cmp);
	*cnt = k;
	return v;
}
