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
#include <stddef.h>
#include <stdlib.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "../sim/dist.h"
#include "dist_net.h"
#include "eth.h"
#include "flow.h"
#include "net.h"
#include "pcap.h"

/* A transmission queue longer than this drops the frame (tail drop). */
#define TX_QUEUE_LIMIT (100 * SIM_MS)

/* A frame's arrival at one receiver: an event of the receiving node. */
struct arrival {
	struct timer t;
	struct iface *to;
	struct pkt *p; /* the receiver's own packet */
};

/*
 * A frame in flight: first the engine's message from the sender, then the
 * arrival of its last receiver, in the same memory (the message is done with
 * when the arrival begins), so a frame on a point-to-point link costs one
 * allocation and no copy. Other receivers get arrivals of their own, with
 * copies. The packet sits in the arrival's place throughout.
 */
struct frame {
	union {
		struct msg m;
		struct arrival a; /* first: freeing the arrival frees the frame */
	} u;
	struct iface *from;
	sim_time start; /* first bit on the wire */
	sim_time ser;   /* serialisation time */
};

/* The message may only overlay the arrival's timer, never its packet. */
_Static_assert(offsetof(struct arrival, to) >= sizeof(struct msg), "message overlays the arrival");

static void
rx_fire(struct timer *t)
{
	struct arrival *a = container_of(t, struct arrival, t);
	struct iface *ifp = a->to;
	struct node *n = ifp->node;
	struct pkt *p = a->p;

	if (p->cls == PKT_CONTROL) {
		n->ctrl.done++;
		n->ctrl.last = node_now(n);
	}
	free(a);
	if (!iface_is_up(ifp)) {
		ifp->st.rx_drops++;
		if (n->net->flows != NULL) /* a probe on the wire of a link that failed */
			flow_frame_cut(n, p->data, p->len);
		pkt_free(p);
		return;
	}
	eth_input(ifp, p);
}

static void
rx_discard(struct timer *t)
{
	struct arrival *a = container_of(t, struct arrival, t);

	pkt_free(a->p);
	free(a);
}

static void
arrival_init(struct arrival *a, struct iface *to, struct pkt *p)
{
	timer_init_new(&a->t, &to->node->actor, rx_fire, NULL);
	a->t.discard = rx_discard;
	a->to = to;
	a->p = p;
}

struct timer *
link_arrival_new(struct iface *to, struct pkt *p)
{
	struct arrival *a = xmalloc(sizeof(*a));

	arrival_init(a, to, p);
	return &a->t;
}

/*
 * Frame f reaches interface to, as arrival a with packet p, after the link's
 * delay (+ extra). In a distributed run (dist_net.h) a receiver on another
 * rank gets the bytes at the end of the tick (from a command: before the
 * next step), or nothing at start-up (every rank runs every device's start
 * then, so the owner of the receiver delivered it itself); a receiver here
 * waits for the other ranks' frames of the tick (or of a command run on
 * every rank), to be set in their common order.
 */
static void
arrive(const struct frame *f, struct arrival *a, struct iface *to, struct pkt *p, sim_time extra)
{
	sim_time when = f->start + f->ser + f->from->link->delay + extra;
	struct sim *s = to->node->actor.sim;

	if (p->cls == PKT_CONTROL)
		f->from->node->ctrl.sent++;
	if (dist_on() && to->node->actor.ghost) {
		if (!dist_replicated())
			dist_frame_ship(to, p, when);
		pkt_free(p);
		free(a); /* the last receiver's arrival is the frame itself: freed with it */
		return;
	}
	arrival_init(a, to, p);
	if (dist_on() && (s->delivering || dist_in_command()))
		dist_frame_defer(&a->t, when);
	else
		timer_set_at(&a->t, when);
}

/* The link's pcap gets the frame (in a distributed run, through the rank that writes it). */
static void
capture(struct link *l, const struct frame *f, const struct pkt *p)
{
	/* (at start-up, every rank sends every device's frames: the link's own rank writes them) */
	if (dist_on() && !dist_replicated())
		dist_capture(l, f->start, p);
	else if (l->pcap)
		pcap_write(l->pcap, f->start, p->data, p->len);
}

/*
 * Every receiver gets the frame: loss is drawn for each end in order, the
 * receivers before the last get copies, the last gets the frame itself.
 */
static void
deliver(struct msg *m)
{
	struct frame *f = container_of(m, struct frame, u.m);
	struct iface *from = f->from, *last = NULL;
	struct link *l = from->link;
	struct node *sender = from->node;
	struct pkt *p = f->u.a.p;
	sim_time extra, last_extra = 0;
	/*
	 * Under mpirun the link's counters count on the sender's rank alone
	 * (start-up sends every device's frames on every rank): Lua reads their
	 * sum over the ranks (lx_link.c), one process's count.
	 */
	uint64_t one = !dist_on() || !sender->actor.ghost;

	if (dist_on())
		dist_frame_begin(m);
	capture(l, f, p);
	l->frames += one;
	for (size_t i = 0; i < l->nends; i++) {
		struct iface *to = l->ends[i];

		if (to == from)
			continue;
		if (from == l->dark_from || (l->loss > 0 && rng_double(&sender->rng) * 100.0 < l->loss)) {
			l->drops += one;
			continue;
		}
		if (l->duplicate > 0 && rng_double(&sender->rng) * 100.0 < l->duplicate) {
			l->duplicated += one;
			capture(l, f, p);
			arrive(f, xmalloc(sizeof(struct arrival)), to, pkt_clone(p), 0);
		}
		extra = 0;
		if (l->reorder > 0 && rng_double(&sender->rng) * 100.0 < l->reorder) {
			l->reordered += one;
			extra = l->reorder_delay > 0 ? l->reorder_delay : l->delay;
		}
		if (last != NULL)
			arrive(f, xmalloc(sizeof(struct arrival)), last, pkt_clone(p), last_extra);
		last = to;
		last_extra = extra;
	}
	/* From here on the message is over: its memory becomes the last arrival. */
	if (last != NULL) {
		arrive(f, &f->u.a, last, p, last_extra);
	} else {
		pkt_free(p);
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
	f->u.a.p = p;
	f->u.m.deliver = deliver;
	f->from = ifp;
	f->start = start;
	f->ser = ser;
	actor_send(&n->actor, &f->u.m);
}
