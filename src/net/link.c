/*
 * link.c: frames on the wire.
 *
 * A transmission becomes one message for the engine (see sim.h). When the
 * engine merges it at the end of the tick, in a fixed order, it is written to
 * the link's pcap, loss is drawn from the sender's generator, and each
 * receiving interface gets its own copy, scheduled at
 *     start of transmission + serialisation time + propagation delay.
 * Serialisation (when the link has a bandwidth) queues frames behind each
 * other per sending end, so a busy link adds queueing delay.
 */
#include <stdlib.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "eth.h"
#include "net.h"
#include "pcap.h"

/* A transmission queue longer than this drops the frame (tail drop). */
#define TX_QUEUE_LIMIT (100 * SIM_MS)

struct tx_msg {
	struct msg m;
	struct iface *from;
	struct pkt *p;
	sim_time start; /* first bit on the wire */
	sim_time ser;   /* serialisation time */
};

struct rx_ev {
	struct timer t;
	struct iface *to;
	struct pkt *p;
};

static void
rx_fire(struct timer *t)
{
	struct rx_ev *ev = container_of(t, struct rx_ev, t);
	struct iface *ifp = ev->to;
	struct node *n = ifp->node;
	struct pkt *p = ev->p;

	if (p->cls == PKT_CONTROL) {
		n->ctrl.done++;
		n->ctrl.last = node_now(n);
	}
	free(ev);
	if (!iface_is_up(ifp)) {
		ifp->st.rx_drops++;
		pkt_free(p);
		return;
	}
	eth_input(ifp, p);
}

static void
rx_discard(struct timer *t)
{
	struct rx_ev *ev = container_of(t, struct rx_ev, t);

	pkt_free(ev->p);
	free(ev);
}

/* Frame p reaches interface to after the link's delay. */
static void
arrive(const struct tx_msg *tx, struct iface *to, struct pkt *p)
{
	struct rx_ev *ev = xmalloc(sizeof(*ev));

	timer_init(&ev->t, &to->node->actor, rx_fire, NULL);
	ev->t.discard = rx_discard;
	ev->to = to;
	ev->p = p;
	if (p->cls == PKT_CONTROL)
		tx->from->node->ctrl.sent++;
	timer_set_at(&ev->t, tx->start + tx->ser + tx->from->link->delay);
}

/* Every receiver gets its own copy of the frame. */
static void
deliver(struct msg *m)
{
	struct tx_msg *tx = container_of(m, struct tx_msg, m);
	struct iface *from = tx->from;
	struct link *l = from->link;
	struct node *sender = from->node;

	if (l->pcap)
		pcap_write(l->pcap, tx->start, tx->p->data, tx->p->len);
	l->frames++;
	for (size_t i = 0; i < l->nends; i++) {
		struct iface *to = l->ends[i];

		if (to == from)
			continue;
		if (l->loss > 0 && rng_double(&sender->rng) * 100.0 < l->loss) {
			l->drops++;
			continue;
		}
		arrive(tx, to, pkt_clone(tx->p));
	}
	pkt_free(tx->p);
	free(tx);
}

static size_t
end_index(const struct link *l, const struct iface *ifp)
{
	for (size_t i = 0; i < l->nends; i++)
		if (l->ends[i] == ifp)
			return i;
	bug("interface %s not on link %s", ifp->name, l->name);
}

void
link_tx(struct iface *ifp, struct pkt *p)
{
	struct link *l = ifp->link;
	struct node *n = ifp->node;
	sim_time now = node_now(n), start = now, ser = 0;
	struct tx_msg *tx;

	if (!l->up) {
		ifp->st.tx_drops++;
		pkt_free(p);
		return;
	}
	if (l->bandwidth > 0) {
		size_t e = end_index(l, ifp);

		/* Preamble, SFD, FCS and inter-frame gap: 24 bytes of wire time per frame. */
		ser = (sim_time)(((uint64_t)(p->len + 24) * 8 * (uint64_t)SIM_S) / l->bandwidth);
		if (l->busy_until[e] > now)
			start = l->busy_until[e];
		if (start - now > TX_QUEUE_LIMIT) {
			ifp->st.tx_drops++;
			pkt_free(p);
			return;
		}
		l->busy_until[e] = start + ser;
	}
	tx = xmalloc(sizeof(*tx));
	tx->m.deliver = deliver;
	tx->from = ifp;
	tx->p = p;
	tx->start = start;
	tx->ser = ser;
	actor_send(&n->actor, &tx->m);
}
