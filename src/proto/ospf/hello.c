/*
 * hello.c: the Hello protocol (RFC 2328 9.5 sending, 10.5 receiving).
 *
 * Periodic Hellos are PKT_PERIODIC (not convergence work). Two kinds are
 * PKT_CONTROL because they are discovery work: the first Hello after an
 * interface comes up, and triggered Hellos. netsim sends a triggered Hello
 * when a Hello from a new neighbor arrives (so that the neighbor sees itself
 * listed within a link delay rather than a HelloInterval later, as Juniper
 * and several other implementations do) and when this router's view of the
 * DR/BDR changes (so the segment learns the result at once). Both are
 * documented deviations from the strictly periodic RFC behaviour; neither
 * changes what is elected or advertised, only how soon.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "ospf.h"

static void
build(struct ospf_if *oi, struct ospf_pkt *pkt)
{
	struct ospf_hello *h = &pkt->hello;

	ospf_hdr_init(oi, pkt, OSPF_HELLO);
	h->mask = ip_mask(oi->ifp->plen);
	h->hello_ivl = oi->hello;
	h->options = ospf_options(oi->area);
	h->prio = oi->prio;
	h->dead_ivl = oi->dead;
	h->dr = oi->dr;
	h->bdr = oi->bdr;
	h->nbrs = xmalloc(sizeof(*h->nbrs) * (oi->nnbrs + 1));
	h->nnbrs = 0;
	for (size_t i = 0; i < oi->nnbrs; i++)
		if (oi->nbrs[i]->state >= NSM_INIT)
			h->nbrs[h->nnbrs++] = oi->nbrs[i]->rid;
}

void
ospf_hello_send(struct ospf_if *oi, uint32_t dst, uint8_t cls)
{
	struct ospf_pkt pkt;

	build(oi, &pkt);
	if (ospf_send_pkt(oi, dst, &pkt, cls) == 0) {
		oi->o->st.hello_tx++;
		oi->hello_tx++;
	}
	free(pkt.hello.nbrs);
}

/* RFC 2328 9.5.1: whom to send a Hello to on an NBMA network. */
static bool
nbma_target(const struct ospf_if *oi, struct ospf_nbr *nb, bool periodic, sim_time now)
{
	bool self_eligible = oi->prio > 0;
	bool self_dr = oi->state == ISM_DR || oi->state == ISM_BACKUP;

	if (self_eligible) {
		if (nb->prio == 0 && !self_dr)
			return false;
	} else if (nb->addr != oi->dr && nb->addr != oi->bdr) {
		return false;
	}
	/* Down neighbors are polled every PollInterval instead. */
	if (nb->state == NSM_DOWN && periodic) {
		if (now - nb->polled < (sim_time)oi->poll * SIM_S && nb->polled != 0)
			return false;
		nb->polled = now;
	}
	return true;
}

static void
send_all(struct ospf_if *oi, uint8_t cls, bool periodic)
{
	sim_time now = ospf_now(oi->o);

	switch (oi->type) {
	case OSPF_IFT_NBMA:
		for (size_t i = 0; i < oi->nnbrs; i++)
			if (nbma_target(oi, oi->nbrs[i], periodic, now))
				ospf_hello_send(oi, oi->nbrs[i]->addr, cls);
		break;
	case OSPF_IFT_P2MP_NB:
		/* 9.5: a Hello to each neighbor every HelloInterval (no polling). */
		for (size_t i = 0; i < oi->nnbrs; i++)
			ospf_hello_send(oi, oi->nbrs[i]->addr, cls);
		break;
	default:
		ospf_hello_send(oi, OSPF_ALL_SPF_ROUTERS, cls);
		break;
	}
}

void
ospf_hello_fire(struct timer *t)
{
	struct ospf_if *oi = t->arg;
	sim_time ivl = oi->hello_mult ? SIM_S / oi->hello_mult : (sim_time)oi->hello * SIM_S;

	send_all(oi, oi->first_hello ? PKT_CONTROL : PKT_PERIODIC, true);
	oi->first_hello = false;
	/* Up to 5% early, from the node's generator, so that routers do not stay in lockstep. */
	timer_set(&oi->hello_t, ivl - ospf_jitter(oi->o, ivl / 20));
}

void
ospf_hello_now_fire(struct timer *t)
{
	struct ospf_if *oi = t->arg;

	send_all(oi, PKT_CONTROL, false);
	oi->first_hello = false;
}

void
ospf_hello_trigger(struct ospf_if *oi)
{
	if (oi->passive || oi->type == OSPF_IFT_LOOPBACK || oi->state == ISM_DOWN)
		return;
	if (!timer_pending(&oi->hello_now))
		timer_set(&oi->hello_now, 0);
}

void
ospf_hello_timer_start(struct ospf_if *oi)
{
	if (oi->passive || oi->type == OSPF_IFT_LOOPBACK)
		return;
	oi->first_hello = true;
	timer_set(&oi->hello_t, ospf_jitter(oi->o, 2 * SIM_MS));
}

static bool
lists_me(const struct ospf_hello *h, uint32_t rid)
{
	for (size_t i = 0; i < h->nnbrs; i++)
		if (h->nbrs[i] == rid)
			return true;
	return false;
}

/* RFC 2328 10.5 */
void
ospf_hello_input(struct ospf_if *oi, const struct ospf_pkt *pkt, uint32_t src)
{
	const struct ospf_hello *h = &pkt->hello;
	struct ospf *o = oi->o;
	struct ospf_nbr *nb;
	uint8_t old_prio;
	uint32_t old_dr, old_bdr;
	bool fresh, bcast = oi->type == OSPF_IFT_BROADCAST || oi->type == OSPF_IFT_NBMA;
	/* The mask is ignored on point-to-point links and, as FRR does, on /32 P2MP ones. */
	bool mask_check = oi->type != OSPF_IFT_P2P &&
	                  !(OSPF_IFT_IS_P2MP(oi->type) && oi->ifp->plen == 32);

	uint32_t rid = pkt->hdr.rtr_id;

	/* In FRR's order, with its words (ospf_packet.c): mask, dead, hello, options. */
	if (mask_check && h->mask != ip_mask(oi->ifp->plen)) {
		ospf_mismatch(oi, src, rid, OSPF_MIS_MASK,
		              "Packet %s [Hello:RECV]: NetworkMask mismatch on %s (configured prefix "
		              "length is %d, but hello packet indicates %d).",
		              ip_str(rid), oi->ifp->name, oi->ifp->plen, mask_to_len(h->mask));
		return;
	}
	if (h->dead_ivl != oi->dead) {
		ospf_mismatch(oi, src, rid, OSPF_MIS_DEAD,
		              "Packet %s [Hello:RECV]: RouterDeadInterval mismatch on %s (expected "
		              "%u, but received %u).",
		              ip_str(rid), oi->ifp->name, oi->dead, h->dead_ivl);
		return;
	}
	if (oi->hello_mult == 0 && h->hello_ivl != oi->hello) {
		ospf_mismatch(oi, src, rid, OSPF_MIS_HELLO,
		              "Packet %s [Hello:RECV]: HelloInterval mismatch on %s (expected %u, but "
		              "received %u).",
		              ip_str(rid), oi->ifp->name, oi->hello, h->hello_ivl);
		return;
	}
	/* The E and N bits: both ends agree on normal, stub or NSSA (RFC 3101 2.2). */
	if ((h->options & (OSPF_OPT_E | OSPF_OPT_NP)) !=
	    (ospf_options(oi->area) & (OSPF_OPT_E | OSPF_OPT_NP))) {
		ospf_mismatch(oi, src, rid, OSPF_MIS_OPTIONS,
		              oi->area->nssa ? "NSSA-Packet-%s[Hello:RECV]: my options: %x, his options %x"
		                             : "Packet %s [Hello:RECV]: my options: %x, his options %x",
		              ip_str(rid), ospf_options(oi->area), h->options);
		return;
	}
	nb = oi->type == OSPF_IFT_P2P ? ospf_if_nbr_by_rid(oi, pkt->hdr.rtr_id)
	                              : ospf_if_nbr_by_addr(oi, src);
	if (nb == NULL)
		nb = ospf_nbr_new(oi, pkt->hdr.rtr_id, src);
	fresh = nb->state == NSM_DOWN || nb->state == NSM_ATTEMPT;
	nb->rid = pkt->hdr.rtr_id;
	nb->addr = src;
	old_prio = nb->prio;
	old_dr = nb->dr;
	old_bdr = nb->bdr;
	nb->prio = h->prio;
	nb->dr = h->dr;
	nb->bdr = h->bdr;
	nb->options = h->options;
	ospf_nbr_fsm(nb, NSM_EV_HELLO_RCVD);
	/* A new neighbor hears from us right away (see the comment at the top). */
	if (fresh && oi->type != OSPF_IFT_NBMA)
		ospf_hello_trigger(oi);
	/* 9.5.1: an ineligible router answers eligible neighbors on NBMA. */
	if (oi->type == OSPF_IFT_NBMA && (fresh || oi->prio == 0) && nb->prio > 0 &&
	    nb->addr != oi->dr && nb->addr != oi->bdr)
		ospf_hello_send(oi, nb->addr, PKT_CONTROL);
	if (!lists_me(h, o->rid)) {
		ospf_nbr_fsm(nb, NSM_EV_1WAY_RCVD);
		return;
	}
	ospf_nbr_fsm(nb, NSM_EV_2WAY_RCVD);
	if (!bcast)
		return;
	if (old_prio != nb->prio)
		ospf_if_fsm(oi, ISM_EV_NBR_CHANGE);
	if (oi->state == ISM_WAITING && (h->bdr == src || (h->dr == src && h->bdr == 0))) {
		ospf_if_fsm(oi, ISM_EV_BACKUP_SEEN);
		return;
	}
	if ((h->dr == src) != (old_dr == src) || (h->bdr == src) != (old_bdr == src))
		ospf_if_fsm(oi, ISM_EV_NBR_CHANGE);
}
