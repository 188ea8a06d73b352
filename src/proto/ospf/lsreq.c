/*
 * lsreq.c: Link State Request packets (RFC 2328 10.9 sending, 10.7
 * receiving). Requests go out from the head of the neighbor's request list,
 * one packet at a time; the next packet goes when every LSA of the previous
 * one has arrived, and a packet is retransmitted every RxmtInterval until
 * then. When the list empties in Loading, the adjacency is Full.
 */
#include <stdlib.h>

#include "../../lib/util.h"
#include "ospf.h"

static uint32_t
dst_of(const struct ospf_nbr *nb)
{
	return nb->oi->type == OSPF_IFT_P2P ? OSPF_ALL_SPF_ROUTERS : nb->addr;
}

void
ospf_lsreq_send(struct ospf_nbr *nb)
{
	struct ospf_if *oi = nb->oi;
	size_t room = (ospf_if_maxpkt(oi) - OSPF_HDRLEN) / OSPF_LSR_ENTLEN;
	struct ospf_pkt pkt;
	sim_time now = ospf_now(oi->o);

	if ((nb->state != NSM_EXCHANGE && nb->state != NSM_LOADING) || nb->lsr_out > 0 ||
	    nb->req.n == 0)
		return;
	ospf_hdr_init(oi, &pkt, OSPF_LSR);
	pkt.lsr.reqs = xmalloc(sizeof(*pkt.lsr.reqs) * MIN(room, nb->req.n));
	for (struct ospf_lsref *r = nb->req.head; r && pkt.lsr.nreqs < room; r = r->next) {
		pkt.lsr.reqs[pkt.lsr.nreqs++] =
		    (struct ospf_lsr_ent){r->hdr.type, r->hdr.id, r->hdr.adv_rtr};
		r->sent = now;
		nb->lsr_out++;
	}
	if (ospf_send_pkt(oi, dst_of(nb), &pkt, PKT_CONTROL) == 0)
		oi->o->st.lsr_tx++;
	free(pkt.lsr.reqs);
	timer_set(&nb->lsr_rxmt, (sim_time)oi->rxmt * SIM_S);
}

void
ospf_lsreq_rxmt_fire(struct timer *t)
{
	struct ospf_nbr *nb = t->arg;

	for (struct ospf_lsref *r = nb->req.head; r; r = r->next)
		r->sent = 0;
	nb->lsr_out = 0;
	ospf_lsreq_send(nb);
}

void
ospf_lsreq_progress(struct ospf_nbr *nb)
{
	if (nb->lsr_out > 0)
		return;
	timer_cancel(&nb->lsr_rxmt);
	if (nb->req.n > 0)
		ospf_lsreq_send(nb);
	else if (nb->state == NSM_LOADING)
		ospf_nbr_fsm(nb, NSM_EV_LOAD_DONE);
}

/* RFC 2328 10.7: answer with the requested LSAs, or BadLSReq if one is unknown. */
void
ospf_lsreq_input(struct ospf_nbr *nb, const struct ospf_pkt *pkt)
{
	struct ospf_area *a = nb->oi->area;
	sim_time now = ospf_now(a->o);
	struct ospf_fq *v;
	size_t n = 0;

	if (nb->state != NSM_EXCHANGE && nb->state != NSM_LOADING && nb->state != NSM_FULL)
		return;
	v = xmalloc(sizeof(*v) * (pkt->lsr.nreqs + 1));
	for (size_t i = 0; i < pkt->lsr.nreqs; i++) {
		const struct ospf_lsr_ent *q = &pkt->lsr.reqs[i];
		struct ospf_ent *e = NULL;

		if (q->type <= UINT8_MAX && ospf_area_takes(a, (uint8_t)q->type))
			e = ospf_lsdb_get(ospf_lsdb_for(a, (uint8_t)q->type), (uint8_t)q->type,
			                  q->id, q->adv_rtr);
		if (e == NULL) {
			free(v);
			ospf_nbr_fsm(nb, NSM_EV_BAD_LSREQ);
			return;
		}
		v[n++] = (struct ospf_fq){e->lsa, ospf_lsdb_age(e, now)};
	}
	ospf_lsupd_send_direct(nb, v, n);
	free(v);
}
