/*
 * hello.c: Basic Discovery (RFC 5036 2.4.1): link Hellos, UDP port 646 to
 * 224.0.0.2 with TTL 1 from each interface that runs LDP, and the Hello
 * adjacencies they and targeted Hellos (targeted.c) make. A Hello carries the Common Hello Parameters (hold
 * time), the IPv4 Transport Address and a Configuration Sequence Number, as
 * FRR's and Cisco's do. An adjacency lives for the hold time both sides
 * agree on (the smaller one, 3.5.2); a peer's first adjacency brings its
 * session up (session.c), its last one takes it down (2.5.5).
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/log.h"
#include "../../lib/util.h"
#include "../../net/events.h"
#include "../../net/ip4.h"
#include "../../net/pkt.h"
#include "../../net/udp.h"
#include "ldp.h"

#define HELLO_CSEQ 1 /* the configuration never changes while it runs */

struct pkt *
ldp_hello_pdu(struct ldp *l, uint16_t hold, bool targeted)
{
	struct ldp_pdu h = {.lsr_id = l->lsr_id};
	struct ldp_msg m;
	uint8_t buf[64];
	size_t len;
	struct pkt *p;

	memset(&m, 0, sizeof(m));
	m.type = LDP_HELLO;
	m.id = ++l->msg_id;
	m.has = LDP_HAS_HELLO | LDP_HAS_TRANSPORT | LDP_HAS_CSEQ;
	m.hello.hold = hold;
	/* Targeted: T, and R so that the target answers (2.4.2, 3.5.2). */
	m.hello.targeted = m.hello.req_targeted = targeted;
	/* RFC 6720 2.1 (link Hellos): our session segments go with TTL 255, and we check theirs. */
	if (l->cfg.gtsm && !targeted)
		m.hello.other_flags = LDP_HELLO_GTSM;
	m.hello.transport = l->transport;
	m.hello.cseq = HELLO_CSEQ;
	len = ldp_pdu_encode(buf, sizeof(buf), &h, &m, 1);
	if (len == 0)
		bug("ldp: a Hello does not fit %zu octets", sizeof(buf));
	p = pkt_new(len);
	memcpy(p->data, buf, len);
	p->cls = PKT_PERIODIC; /* liveness, not work */
	l->st.hello_tx++;
	return p;
}

static void
hello_send(struct ldp_if *lif)
{
	struct ldp *l = lif->l;

	if (lif->ifp->addr == 0)
		return;
	lif->hello_tx++;
	udp_send(l->node, ldp_hello_pdu(l, lif->hold, false), LDP_PORT, LDP_PORT,
	    &(struct ip4_out){.src = lif->ifp->addr, .dst = LDP_ALL_ROUTERS, .ttl = 1, .tos = 0xc0,
	        .df = true, .oif = lif->ifp});
}

/* The next Hello: the interval less up to a quarter, from the node's generator (no lockstep). */
static void
hello_schedule(struct ldp_if *lif)
{
	struct node *n = lif->l->node;

	timer_set(&lif->hello_t, lif->hello - lif->hello / 4 * (sim_time)rng_below(&n->rng, 1000) / 1000);
}

static void
hello_fire(struct timer *t)
{
	struct ldp_if *lif = t->arg;

	hello_send(lif);
	hello_schedule(lif);
}

void
ldp_if_start(struct ldp_if *lif)
{
	if (timer_pending(&lif->hello_t))
		return;
	lif->hello_t.fn = hello_fire;
	lif->since = node_now(lif->l->node);
	/* The first Hello soon after the interface comes up, spread over 10 ms. */
	timer_set(&lif->hello_t, (sim_time)rng_below(&lif->l->node->rng, 10000) * SIM_US);
}

void
ldp_if_stop(struct ldp_if *lif)
{
	struct ldp *l = lif->l;

	timer_cancel(&lif->hello_t);
	for (size_t i = l->nnbr; i-- > 0;) {
		struct ldp_nbr *nb = l->nbrs[i];

		for (size_t k = nb->nadj; k-- > 0;)
			if (nb->adj[k]->lif == lif)
				ldp_adj_delete(nb->adj[k]);
	}
}

/* --- adjacencies ------------------------------------------------------------------------------ */

static void
adj_event(struct ldp_adj *a, const char *state)
{
	struct ldp *l = a->nbr->l;

	if (l->quiet)
		return;
	ev_post(l->node->net, l->node, &(struct net_ev){.kind = EV_ADJ_CHANGE,
	    .ifindex = a->lif ? (int)a->lif->ifp->idx : -1, .link = -1, .proto = "ldp",
	    .text = (char *)ip_str(a->nbr->lsr_id), .text2 = (char *)state});
}

static void
adj_expired(struct timer *t)
{
	struct ldp_adj *a = t->arg;

	ldp_trace(a->nbr->l, "%s: adjacency with %s expired", ldp_adj_source(a),
	    ip_str(a->nbr->lsr_id));
	ldp_adj_delete(a);
}

const char *
ldp_adj_source(const struct ldp_adj *a)
{
	return a->lif != NULL ? a->lif->ifp->name : ip_str(a->src);
}

void
ldp_adj_free(struct ldp_adj *a)
{
	struct ldp_nbr *nb = a->nbr;
	size_t k = 0;

	timer_cancel(&a->hold_t);
	if (a->lif == NULL)
		ldp_target_adj_gone(nb->l, a->src);
	adj_event(a, "down");
	for (size_t i = 0; i < nb->nadj; i++)
		if (nb->adj[i] != a)
			nb->adj[k++] = nb->adj[i];
	nb->nadj = k;
	free(a);
	ldp_sync_update(nb->l);
}

/* 2.5.5: the last adjacency of a session going takes the session and the neighbor with it. */
void
ldp_adj_delete(struct ldp_adj *a)
{
	struct ldp_nbr *nb = a->nbr;

	ldp_adj_free(a);
	if (nb->nadj == 0) {
		ldp_session_close(nb, LDP_STATUS_E | LDP_ST_HOLD_EXPIRED, "last adjacency lost");
		ldp_nbr_delete(nb);
	}
}

/* The adjacency on lif (a link), or with the targeted peer at src (lif NULL). */
static struct ldp_adj *
adj_find(const struct ldp_nbr *nb, const struct ldp_if *lif, uint32_t src)
{
	for (size_t i = 0; i < nb->nadj; i++)
		if (nb->adj[i]->lif == lif && (lif != NULL || nb->adj[i]->src == src))
			return nb->adj[i];
	return NULL;
}

bool
ldp_adj_hello(struct ldp *l, struct ldp_if *lif, uint32_t src, uint32_t lsr_id,
    const struct ldp_hello *h, uint32_t transport, uint16_t ours)
{
	struct ldp_nbr *nb = ldp_nbr_get(l, lsr_id);
	uint16_t theirs = h->hold ? h->hold : lif ? LDP_HOLD_DFLT : LDP_THOLD_DFLT;
	struct ldp_adj *a = adj_find(nb, lif, src);
	bool created = a == NULL;

	if (nb->nadj == 0)
		nb->transport = transport;
	/* RFC 6720 3: GTSM is for link sessions; a link Hello says whether the peer does it. */
	if (lif != NULL && created)
		nb->gtsm = (h->other_flags & LDP_HELLO_GTSM) != 0;
	if (created) {
		a = xcalloc(1, sizeof(*a));
		a->nbr = nb;
		a->lif = lif;
		a->src = src;
		a->since = node_now(l->node);
		timer_init_new(&a->hold_t, &l->node->actor, adj_expired, a);
		VEC_PUSH(nb->adj, nb->nadj, nb->adjcap, a);
		ldp_trace(l, "%s: adjacency with %s (transport %s)", ldp_adj_source(a),
		    ip_str(lsr_id), ip_str(nb->transport));
		adj_event(a, "up");
		ldp_sync_update(l); /* an operational session over one more link */
		/*
		 * Let the peer hear us now rather than at our next Hello: its session
		 * waits for it (and our Hello goes before our SYN, if we are active).
		 */
		if (lif != NULL)
			hello_send(lif);
		else
			ldp_target_hello(l, src);
	}
	a->src = src;
	a->hold = theirs < ours ? theirs : ours;
	timer_set(&a->hold_t, a->hold * (sim_time)SIM_S);
	ldp_session_try(nb);
	return created;
}

void
ldp_hello_input(struct proto_inst *pi, const struct rx_ctx *c, struct pkt *p)
{
	struct ldp *l = pi->priv;
	struct ldp_if *lif = c->ifp->idx < l->nif ? l->ifs[c->ifp->idx] : NULL;
	struct ldp_msg m[4];
	struct ldp_pdu h;
	struct ldp_err err;
	int n;

	n = ldp_pdu_header(p->data, p->len, &h, &err);
	if (n <= 0 || (size_t)n != p->len || (n = ldp_pdu_decode(p->data, p->len, &h, m, 4, &err)) < 0) {
		l->st.hello_bad++;
		ldp_trace(l, "%s: Hello from %s dropped: bad PDU", c->ifp->name, ip_str(c->ip->src));
		goto drop;
	}
	for (int i = 0; i < n; i++) {
		uint32_t transport;

		if ((m[i].type & ~LDP_U_BIT) != LDP_HELLO)
			continue;
		l->st.hello_rx++;
		transport = (m[i].has & LDP_HAS_TRANSPORT) ? m[i].hello.transport : c->ip->src;
		if (h.lsr_id == l->lsr_id || h.space != 0) {
			l->st.hello_bad++;
			continue;
		}
		/* Extended discovery (2.4.2): unicast, for us, with T. */
		if (m[i].hello.targeted) {
			if (c->ip->dst == LDP_ALL_ROUTERS || !ldp_targeted_input(l, c->ip->src, h.lsr_id,
			    &m[i].hello, transport))
				l->st.hello_bad++;
			continue;
		}
		/* Basic discovery: to 224.0.0.2, on an interface that runs LDP. */
		if (lif == NULL || !timer_pending(&lif->hello_t) || c->ip->dst != LDP_ALL_ROUTERS) {
			l->st.hello_bad++;
			continue;
		}
		lif->hello_rx++;
		ldp_adj_hello(l, lif, c->ip->src, h.lsr_id, &m[i].hello, transport, lif->hold);
	}
drop:
	pkt_free(p);
}
