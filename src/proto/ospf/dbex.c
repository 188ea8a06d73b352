/*
 * dbex.c: database exchange with Database Description packets (RFC 2328
 * 10.6 receiving, 10.8 sending): master/slave negotiation in ExStart, the DD
 * sequence number, the I/M/MS bits, the database summary list, the master's
 * retransmissions and the slave's answers to duplicates.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "ospf.h"

static uint32_t
dd_dst(const struct ospf_nbr *nb)
{
	/* DDs go to the neighbor; on point-to-point links to AllSPFRouters (A.1). */
	return nb->oi->type == OSPF_IFT_P2P ? OSPF_ALL_SPF_ROUTERS : nb->addr;
}

static void
send_raw(struct ospf_nbr *nb)
{
	if (nb->last_dd == NULL)
		return;
	ospf_send(nb->oi, dd_dst(nb), nb->last_dd, nb->last_dd_len, PKT_CONTROL);
	nb->oi->o->st.dd_tx++;
}

/* Build and send the next DD (10.8); flags I/M/MS as given, headers from the summary list. */
static void
send_dd(struct ospf_nbr *nb, uint8_t flags, bool with_headers)
{
	struct ospf_if *oi = nb->oi;
	struct ospf *o = oi->o;
	struct ospf_pkt pkt;
	struct strbuf b = STRBUF_INIT;
	size_t room = (ospf_if_maxpkt(oi) - OSPF_DD_MINLEN) / OSPF_LSA_HDRLEN;
	sim_time now = ospf_now(o);

	ospf_hdr_init(oi, &pkt, OSPF_DD);
	pkt.dd.mtu = oi->ifp->mtu;
	pkt.dd.options = ospf_options(oi->area);
	pkt.dd.seq = nb->dd_seq;
	pkt.dd.lsas = xmalloc(sizeof(*pkt.dd.lsas) * (room + 1));
	pkt.dd.nlsas = 0;
	if (with_headers) {
		while (nb->sumpos < nb->nsum && pkt.dd.nlsas < room) {
			const struct ospf_lsa_hdr *h = &nb->summary[nb->sumpos++];
			struct ospf_ent *e = ospf_lsdb_get(ospf_lsdb_for(oi->area, h->type),
			                                   h->type, h->id, h->adv_rtr);

			/* The current instance (it may have changed since the list was made). */
			if (e != NULL)
				pkt.dd.lsas[pkt.dd.nlsas++] = ospf_lsdb_hdr(e, now);
		}
		if (nb->sumpos < nb->nsum)
			flags |= OSPF_DD_M;
		else
			flags &= (uint8_t)~OSPF_DD_M;
		nb->dd_sent_last = !(flags & OSPF_DD_M);
	}
	if (nb->master)
		flags |= OSPF_DD_MS;
	pkt.dd.flags = flags;
	if (ospf_pkt_encode(&pkt, &b, NULL) == 0) {
		free(nb->last_dd);
		nb->last_dd_len = b.len;
		nb->last_dd = (uint8_t *)sb_steal(&b);
		send_raw(nb);
	}
	free(pkt.dd.lsas);
	sb_free(&b);
	if (nb->master)
		timer_set(&nb->dd_rxmt, (sim_time)oi->rxmt * SIM_S);
}

/* Entering ExStart (10.3 2-WayReceived / AdjOK?, 10.8): claim mastership, empty DD with I/M/MS. */
void
ospf_dd_start(struct ospf_nbr *nb)
{
	struct ospf *o = nb->oi->o;

	if (nb->dd_seq == 0)
		nb->dd_seq = (o->dd_seq_seed += 0x9e3779b9u) | 1;
	else
		nb->dd_seq++;
	nb->master = true;
	nb->last_rx_valid = false;
	nb->dd_sent_last = false;
	send_dd(nb, OSPF_DD_I | OSPF_DD_M | OSPF_DD_MS, false);
}

void
ospf_dd_rxmt_fire(struct timer *t)
{
	struct ospf_nbr *nb = t->arg;

	if (nb->state == NSM_EXSTART || (nb->state == NSM_EXCHANGE && nb->master)) {
		send_raw(nb);
		timer_set(&nb->dd_rxmt, (sim_time)nb->oi->rxmt * SIM_S);
	}
}

static int
hdr_cmp(const void *a, const void *b)
{
	return ospf_lsa_key_cmp(a, b);
}

static void
summarize(struct ospf_nbr *nb, struct ospf_lsdb *db, size_t *cap)
{
	sim_time now = ospf_now(nb->oi->o);
	struct ospf_ent *e, **maxage = NULL;
	size_t n = 0, mcap = 0;

	for (uint32_t pos = 0; (e = ospf_lsdb_next(db, &pos)) != NULL;) {
		if (ospf_lsdb_age(e, now) >= OSPF_MAX_AGE)
			VEC_PUSH(maxage, n, mcap, e);
		else
			VEC_PUSH(nb->summary, nb->nsum, *cap, ospf_lsdb_hdr(e, now));
	}
	/* MaxAge LSAs go on the retransmission list instead (10.3 NegotiationDone), by key. */
	if (n > 1)
		qsort(maxage, n, sizeof(*maxage), ospf_ent_key_cmp);
	for (size_t i = 0; i < n; i++)
		ospf_nbr_rxmt_add(nb, maxage[i]);
	free(maxage);
}

/* NegotiationDone: the database summary list, in (type, ID, router) order. */
void
ospf_dd_negotiated(struct ospf_nbr *nb)
{
	struct ospf_area *a = nb->oi->area;
	size_t cap = 0;

	free(nb->summary);
	nb->summary = NULL;
	nb->nsum = nb->sumpos = 0;
	summarize(nb, &a->db, &cap);
	if (ospf_area_ext(a))
		summarize(nb, &a->o->as_db, &cap);
	if (nb->nsum > 1)
		qsort(nb->summary, nb->nsum, sizeof(*nb->summary), hdr_cmp);
}

static bool
duplicate(const struct ospf_nbr *nb, const struct ospf_dd *dd)
{
	return nb->last_rx_valid && nb->last_rx_flags == dd->flags &&
	       nb->last_rx_options == dd->options && nb->last_rx_seq == dd->seq;
}

/* An accepted DD: its headers feed the request list, then the next DD (10.6, 10.8). */
static void
process(struct ospf_nbr *nb, const struct ospf_dd *dd)
{
	struct ospf_area *a = nb->oi->area;
	sim_time now = ospf_now(a->o);

	nb->last_rx_valid = true;
	nb->last_rx_flags = dd->flags;
	nb->last_rx_options = dd->options;
	nb->last_rx_seq = dd->seq;
	for (size_t i = 0; i < dd->nlsas; i++) {
		const struct ospf_lsa_hdr *h = &dd->lsas[i];
		struct ospf_ent *e;
		struct ospf_lsref *r;

		if (!ospf_area_takes(a, h->type)) {
			ospf_nbr_fsm(nb, NSM_EV_SEQ_MISMATCH);
			return;
		}
		e = ospf_lsdb_get(ospf_lsdb_for(a, h->type), h->type, h->id, h->adv_rtr);
		if (e != NULL) {
			struct ospf_lsa_hdr cur = ospf_lsdb_hdr(e, now);

			if (ospf_lsa_cmp_newer(h, &cur) <= 0)
				continue;
		}
		r = ospf_lslist_get(&nb->req, h->type, h->id, h->adv_rtr);
		if (r == NULL)
			ospf_lslist_add(&nb->req, h);
		else if (ospf_lsa_cmp_newer(h, &r->hdr) > 0)
			r->hdr = *h;
	}
	ospf_nbr_update_busy(nb);
	if (nb->master) {
		nb->dd_seq++;
		if (nb->dd_sent_last && !(dd->flags & OSPF_DD_M)) {
			ospf_nbr_fsm(nb, NSM_EV_EXCH_DONE);
			goto requests;
		}
		send_dd(nb, 0, true);
	} else {
		nb->dd_seq = dd->seq;
		send_dd(nb, 0, true);
		if (!(dd->flags & OSPF_DD_M) && nb->dd_sent_last) {
			ospf_nbr_fsm(nb, NSM_EV_EXCH_DONE);
			goto requests;
		}
	}
requests:
	/* Requests may start while the exchange goes on (10.9). */
	if (nb->state == NSM_EXCHANGE || nb->state == NSM_LOADING)
		ospf_lsreq_send(nb);
}

/* RFC 2328 10.6 */
void
ospf_dd_input(struct ospf_nbr *nb, const struct ospf_pkt *pkt)
{
	const struct ospf_dd *dd = &pkt->dd;
	struct ospf *o = nb->oi->o;
	uint8_t ims = dd->flags & (OSPF_DD_I | OSPF_DD_M | OSPF_DD_MS);

	if (dd->mtu > nb->oi->ifp->mtu) {
		ospf_mismatch(nb->oi, nb->addr, nb->rid, OSPF_MIS_MTU,
		              "Packet[DD]: Neighbor %s MTU %u is larger than [%s]'s MTU %u",
		              ip_str(nb->rid), dd->mtu, nb->oi->ifp->name, nb->oi->ifp->mtu);
		return;
	}
	switch (nb->state) {
	case NSM_DOWN:
	case NSM_ATTEMPT:
	case NSM_2WAY:
		return;
	case NSM_INIT:
		ospf_nbr_fsm(nb, NSM_EV_2WAY_RCVD);
		if (nb->state != NSM_EXSTART)
			return;
		/* FALLTHROUGH */
	case NSM_EXSTART:
		if (ims == (OSPF_DD_I | OSPF_DD_M | OSPF_DD_MS) && dd->nlsas == 0 &&
		    pkt->hdr.rtr_id > o->rid) {
			/* The neighbor is master: adopt its sequence number. */
			nb->master = false;
			nb->dd_seq = dd->seq;
			timer_cancel(&nb->dd_rxmt);
		} else if (!(dd->flags & (OSPF_DD_I | OSPF_DD_MS)) && dd->seq == nb->dd_seq &&
		           pkt->hdr.rtr_id < o->rid) {
			nb->master = true;
		} else {
			return;
		}
		nb->options = dd->options;
		ospf_nbr_fsm(nb, NSM_EV_NEG_DONE);
		/* The slave answers the master's empty initial packet with its first headers. */
		process(nb, dd);
		return;
	case NSM_EXCHANGE:
		if (duplicate(nb, dd)) {
			if (!nb->master)
				send_raw(nb);
			return;
		}
		if (((dd->flags & OSPF_DD_MS) != 0) == nb->master || (dd->flags & OSPF_DD_I) ||
		    dd->options != nb->options ||
		    dd->seq != (nb->master ? nb->dd_seq : nb->dd_seq + 1)) {
			ospf_nbr_fsm(nb, NSM_EV_SEQ_MISMATCH);
			return;
		}
		process(nb, dd);
		return;
	default:
		/* Loading and Full: only duplicates are expected (the slave answers them). */
		if (duplicate(nb, dd)) {
			if (!nb->master)
				send_raw(nb);
			return;
		}
		ospf_nbr_fsm(nb, NSM_EV_SEQ_MISMATCH);
		return;
	}
}
