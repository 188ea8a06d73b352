/*
 * link.c: frames on the wire.
 *
 * A transmission becomes one message for the engine (see sim.h). When the
 * engine merges it at the end of the tick, in a fixed order, it is written to
 * the link's pcap, loss is drawn from the sender's generator, and each
 * receiving interface gets the frame (the last one the sender's buffer, the
 * others copies), scheduled at
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

/*
 * A frame in flight: first the engine's message from the sender, then the
 * arrival event of its last receiver (the others get copies), so a frame on
 * a point-to-point link costs one allocation and no copy.
 */
struct frame {
	struct msg m;
	struct timer t;
	struct iface *from, *to;
	struct pkt *p;
	sim_time start; /* first bit on the wire */
	sim_time ser;   /* serialisation time */
};

static void
rx_fire(struct timer *t)
{
	struct frame *f = container_of(t, struct frame, t);
	struct iface *ifp = f->to;
	struct node *n = ifp->node;
	struct pkt *p = f->p;

	if (p->cls == PKT_CONTROL) {
		n->ctrl.done++;
		n->ctrl.last = node_now(n);
	}
	free(f);
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
	struct frame *f = container_of(t, struct frame, t);

	pkt_free(f->p);
	free(f);
}

/* Frame f (its own packet p) reaches interface to after the link's delay. */
static void
arrive(struct frame *f, struct iface *to, struct pkt *p)
{
	timer_init(&f->t, &to->node->actor, rx_fire, NULL);
	f->t.discard = rx_discard;
	f->to = to;
	f->p = p;
	if (p->cls == PKT_CONTROL)
		f->from->node->ctrl.sent++;
	timer_set_at(&f->t, f->start + f->ser + f->from->link->delay);
}

/*
 * Every receiver gets the frame: loss is drawn for each end in order, the
 * receivers before the last get copies, the last gets the frame itself.
 */
static void
deliver(struct msg *m)
{
	struct frame *f = container_of(m, struct frame, m);
	struct iface *from = f->from, *last = NULL;
	struct link *l = from->link;
	struct node *sender = from->node;

	if (l->pcap)
		pcap_write(l->pcap, f->start, f->p->data, f->p->len);
	l->frames++;
	for (size_t i = 0; i < l->nends; i++) {
		struct iface *to = l->ends[i];

		if (to == from)
			continue;
		if (l->loss > 0 && rng_double(&sender->rng) * 100.0 < l->loss) {
			l->drops++;
			continue;
		}
		if (last != NULL) {
			struct frame *copy = xmalloc(sizeof(*copy));

			*copy = *f;
			arrive(copy, last, pkt_clone(f->p));
		}
		last = to;
	}
	if (last != NULL) {
		arrive(f, last, f->p);
	} else {
		pkt_free(f->p);
		free(f);
	}
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
	struct frame *f;

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
	f = xmalloc(sizeof(*f));
	f->m.deliver = deliver;
	f->from = ifp;
	f->p = p;
	f->start = start;
	f->ser = ser;
	actor_send(&n->actor, &f->m);
}
