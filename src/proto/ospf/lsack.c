/*
 * lsack.c: Link State Acknowledgment packets (RFC 2328 13.5 sending, 13.7
 * receiving). Delayed acknowledgements collect per interface and leave
 * together within OSPF_ACK_DELAY (less than RxmtInterval, as 13.5 asks);
 * direct ones go at once to the neighbor concerned.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/util.h"
#include "ospf.h"

/*
 * RFC 2328 A.3.6: as many LS Acknowledgements as it takes, each built
 * straight into its packet buffer (the general encoder would build it in a
 * string first and copy it: acknowledgements are the second most frequent
 * packet while an area floods).
 */
/* Delayed acknowledgements an interface keeps room for between bursts. */
#define ACKS_KEPT 16

static void
send_acks(struct ospf_if *oi, uint32_t dst, const struct ospf_lsa_hdr *v, size_t n)
{
	size_t room = (ospf_if_maxpkt(oi) - OSPF_HDRLEN) / OSPF_LSA_HDRLEN;

	for (size_t start = 0; start < n; start += room) {
		size_t k = MIN(room, n - start), len = OSPF_HDRLEN + k * OSPF_LSA_HDRLEN;
		struct pkt *pk = pkt_new(len);
		uint8_t *p = pk->data;

		p[0] = OSPF_VERSION;
		p[1] = OSPF_LSACK;
		put16(p + 2, (uint16_t)len);
		put32(p + 4, oi->o->rid);
		put32(p + 8, oi->area->id);
		memset(p + 12, 0, 12); /* checksum, AuType (null until signed), authentication */
		for (size_t i = 0; i < k; i++)
			ospf_lsa_hdr_encode(&v[start + i], p + OSPF_HDRLEN + i * OSPF_LSA_HDRLEN);
		put16(p + 12, ospf_pkt_cksum_compute(p, len));
		ospf_send_buf(oi, dst, pk, PKT_CONTROL);
		oi->o->st.ack_tx++;
	}
}

void
ospf_lsack_fire(struct timer *t)
{
	struct ospf_if *oi = t->arg;

	if (oi->nacks == 0)
		return;
	switch (oi->type) {
	case OSPF_IFT_BROADCAST:
		send_acks(oi,
		          oi->state == ISM_DR || oi->state == ISM_BACKUP ? OSPF_ALL_SPF_ROUTERS
		                                                         : OSPF_ALL_D_ROUTERS,
		          oi->acks, oi->nacks);
		break;
	case OSPF_IFT_NBMA:
	case OSPF_IFT_P2MP_NB:
		for (size_t k = 0; k < oi->nnbrs; k++)
			if (oi->nbrs[k]->state >= NSM_EXCHANGE)
				send_acks(oi, oi->nbrs[k]->addr, oi->acks, oi->nacks);
		break;
	default:
		send_acks(oi, OSPF_ALL_SPF_ROUTERS, oi->acks, oi->nacks);
		break;
	}
	/*
	 * Most interfaces have no acknowledgement pending most of the time: keep
	 * a small array for the next burst, give a large one back.
	 */
	oi->nacks = 0;
	if (oi->ackcap > ACKS_KEPT) {
		free(oi->acks);
		oi->acks = NULL;
		oi->ackcap = 0;
	}
}

void
ospf_lsack_delayed(struct ospf_if *oi, const struct ospf_lsa_hdr *h)
{
	size_t room = (ospf_if_maxpkt(oi) - OSPF_HDRLEN) / OSPF_LSA_HDRLEN;

	grow_array((void **)&oi->acks, &oi->ackcap, MAX(ACKS_KEPT, oi->nacks + 1),
	           sizeof(*oi->acks));
	oi->acks[oi->nacks++] = *h;
	if (oi->nacks >= room) {
		/* A full packet's worth goes now. */
		timer_cancel(&oi->ack_t);
		ospf_lsack_fire(&oi->ack_t);
		return;
	}
	if (!timer_pending(&oi->ack_t))
		timer_set(&oi->ack_t, OSPF_ACK_DELAY);
}

void
ospf_lsack_direct(struct ospf_nbr *nb, const struct ospf_lsa_hdr *h)
{
	send_acks(nb->oi, nb->oi->type == OSPF_IFT_P2P ? OSPF_ALL_SPF_ROUTERS : nb->addr, h, 1);
}

/* RFC 2328 13.7: an acknowledgement takes the instance off the retransmission list. */
void
ospf_lsack_input(struct ospf_nbr *nb, const struct ospf_pkt *pkt)
{
	struct ospf_area *a = nb->oi->area;
	uint32_t lsx[OSPF_PREFETCH_MAX];
	size_t np = MIN(pkt->ack.nlsas, OSPF_PREFETCH_MAX);
	sim_time now = ospf_now(nb->oi->o);

	if (nb->state < NSM_EXCHANGE)
		return;
	for (size_t i = 0; i < np; i++)
		lsx[i] = ospf_lsdb_prefetch(a, &pkt->ack.lsas[i]);
	for (size_t i = 0; i < np; i++)
		ospf_nbr_rxmt_prefetch(a, pkt->ack.lsas[i].type, lsx[i]);
	for (size_t i = 0; i < pkt->ack.nlsas; i++) {
		const struct ospf_lsa_hdr *h = &pkt->ack.lsas[i];
		struct ospf_rxref *r;
		struct ospf_lsa_hdr cur;

		if (i < np) { /* acknowledgements make no keys: the number found holds */
			const struct ospf_ent *e =
			    lsx[i] != OSPF_LSX_NONE ? ospf_lsdb_at(ospf_lsdb_for(a, h->type), lsx[i])
			                            : NULL;

			r = e != NULL ? ospf_nbr_rxmt_get(nb, e) : NULL;
		} else {
			r = ospf_nbr_rxmt_find(nb, h->type, h->id, h->adv_rtr);
		}

		if (r == NULL)
			continue;
		/*
		 * The same instance as the database copy the list refers to, with its
		 * age now, as FRR compares (13.1 looks at ages only for MaxAge and
		 * differences beyond MaxAgeDiff).
		 */
		cur = ospf_lsdb_hdr(r->ent, now);
		if (ospf_lsa_cmp_newer(h, &cur) == 0)
			ospf_nbr_rxmt_del(r);
	}
}
