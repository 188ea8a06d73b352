/*
 * lsupd.c: Link State Update packets: receiving and installing LSAs (RFC
 * 2328 13), flooding them on (13.3), retransmitting unacknowledged ones
 * (13.6) and sending LSAs straight to one neighbor (10.7 answers, 13 step 8).
 *
 * Flooding is queued per interface and paced as Cisco IOS does ("timers
 * pacing flood", 33 ms by default, `timers: {flood_pacing}` here): the first
 * LS Update after a quiet interval leaves at the end of the current instant,
 * later ones at most one per interval, each carrying every LSA queued
 * meanwhile. Without pacing (0) it is FRR's behaviour, one LS Update per
 * burst of work. LS age grows by InfTransDelay on the way out (13.3).
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/cksum.h"
#include "../../lib/log.h"
#include "../../lib/marks.h"
#include "../../lib/util.h"
#include "ospf.h"

/* --- building LS Updates -------------------------------------------------------------------- */

/*
 * One LSU with v[0..n) (ages before InfTransDelay), built straight into the
 * packet buffer. The checksum (D.4) is the one's complement sum of the
 * header, the count and the LSAs; an LSA's sum is its stored sum (age 0)
 * plus its age, the one field that differs, so the packet is never summed
 * byte by byte. (One's complement addition is associative and commutative,
 * and every LSA starts at an even offset, so the result is the same.)
 */
static void
send_lsu(struct ospf_if *oi, uint32_t dst, const struct ospf_fq *v, size_t n)
{
	size_t len = OSPF_LSU_MINLEN, off = OSPF_LSU_MINLEN;
	uint64_t sum;
	struct pkt *pk;
	uint8_t *p;

	for (size_t i = 0; i < n; i++)
		len += v[i].lsa->hdr.length;
	if (len > OSPF_MAXLEN)
		bug("ospf: LS Update of %zu bytes", len);
	pk = pkt_new(len);
	p = pk->data;
	p[0] = OSPF_VERSION;
	p[1] = OSPF_LSU;
	put16(p + 2, (uint16_t)len);
	put32(p + 4, oi->o->rid);
	put32(p + 8, oi->area->id);
	put16(p + 12, 0);
	put16(p + 14, OSPF_AUTH_NULL);
	memset(p + 16, 0, 8);
	put32(p + OSPF_HDRLEN, (uint32_t)n);
	sum = inet_sum(p, OSPF_LSU_MINLEN, 0);
	for (size_t i = 0; i < n; i++) {
		const struct ospf_blob *b = v[i].lsa;
		uint32_t age = MIN((uint32_t)v[i].age + oi->transdelay, OSPF_MAX_AGE);

		/* The interned bytes carry age 0: each LSA gets its own (13.3). */
		memcpy(p + off, b->bytes, b->hdr.length);
		put16(p + off, (uint16_t)age);
		sum += b->sum + age;
		off += b->hdr.length;
	}
	while (sum >> 32)
		sum = (sum & 0xffffffffu) + (sum >> 32);
	put16(p + 12, inet_fold((uint32_t)sum));
	ospf_send_buf(oi, dst, pk, PKT_CONTROL);
	oi->o->st.lsu_tx++;
}

/* As many LSUs as it takes to carry v[0..n) within the interface MTU. */
static void
send_lsus(struct ospf_if *oi, uint32_t dst, const struct ospf_fq *v, size_t n)
{
	size_t max = ospf_if_maxpkt(oi), start = 0, len = OSPF_LSU_MINLEN;

	for (size_t i = 0; i < n; i++) {
		if (i > start && len + v[i].lsa->hdr.length > max) {
			send_lsu(oi, dst, v + start, i - start);
			start = i;
			len = OSPF_LSU_MINLEN;
		}
		len += v[i].lsa->hdr.length;
	}
	if (n > start)
		send_lsu(oi, dst, v + start, n - start);
}

static uint32_t
direct_dst(const struct ospf_nbr *nb)
{
	return nb->oi->type == OSPF_IFT_P2P ? OSPF_ALL_SPF_ROUTERS : nb->addr;
}

void
ospf_lsupd_send_direct(struct ospf_nbr *nb, const struct ospf_fq *v, size_t n)
{
	send_lsus(nb->oi, direct_dst(nb), v, n);
}

/* --- flooding (13.3) ------------------------------------------------------------------------- */

/*
 * The queue with one entry per LSA: the first position, the last (newest)
 * instance and its age. Returns the new length. The per-key scratch arrays
 * are shared by every interface of a thread (one builds an update at a time).
 */
static size_t
dedupe(struct ospf_fq *v, size_t n)
{
	static struct {
		SIM_THREAD_ALIGN struct marks m; /* key number -> position in v */
	} ats[SIM_MAX_THREADS];
	struct marks *at = &ats[sim_thread].m;
	size_t k = 0;

	if (n < 2)
		return n;
	marks_clear(at, ospf_lsakey_count());
	for (size_t i = 0; i < n; i++) {
		uint32_t x = v[i].lsa->lsx;

		if (marks_has(at, x)) {
			ospf_intern_unref(v[marks_get(at, x)].lsa);
			v[marks_get(at, x)] = v[i];
			continue;
		}
		marks_set(at, x, (uint32_t)k);
		v[k++] = v[i];
	}
	return k;
}

void
ospf_lsupd_flood_fire(struct timer *t)
{
	struct ospf_if *oi = t->arg;
	struct ospf_fq *v = oi->fq;
	size_t n = oi->nfq, cap = oi->fqcap;

	/* The queue goes out as it is; the interface starts a new one. */
	n = dedupe(v, n);
	oi->fq = NULL;
	oi->nfq = oi->fqcap = 0;
	oi->last_lsu = ospf_now(oi->o);
	switch (oi->type) {
	case OSPF_IFT_BROADCAST:
		/* The DR and BDR flood to everyone, the others to the DR and BDR (13.3 step 5). */
		send_lsus(oi,
		          oi->state == ISM_DR || oi->state == ISM_BACKUP ? OSPF_ALL_SPF_ROUTERS
		                                                         : OSPF_ALL_D_ROUTERS,
		          v, n);
		break;
	case OSPF_IFT_NBMA:
	case OSPF_IFT_P2MP_NB:
		for (size_t k = 0; k < oi->nnbrs; k++)
			if (oi->nbrs[k]->state >= NSM_EXCHANGE)
				send_lsus(oi, oi->nbrs[k]->addr, v, n);
		break;
	default:
		send_lsus(oi, OSPF_ALL_SPF_ROUTERS, v, n);
		break;
	}
	for (size_t i = 0; i < n; i++)
		ospf_intern_unref(v[i].lsa);
	/* Nothing was queued meanwhile (sending does not flood): the array serves again. */
	if (oi->fq == NULL) {
		oi->fq = v;
		oi->fqcap = cap;
	} else {
		free(v);
	}
}

/*
 * Queue e's instance for the interface's next LS Update. A newer instance of
 * an LSA already queued takes the older one's place when the update is
 * built (dedupe()), rather than by a search of the queue on every call.
 */
static void
queue(struct ospf_if *oi, struct ospf_ent *e)
{
	uint16_t age = ospf_lsdb_age(e, ospf_now(oi->o));

	/* Room for sixteen at once: a burst queues a few at a time (the queue goes when sent). */
	grow_array((void **)&oi->fq, &oi->fqcap, MAX(oi->nfq + 1, 16), sizeof(*oi->fq));
	oi->fq[oi->nfq++] = (struct ospf_fq){ospf_intern_ref(e->lsa), age};
	if (!timer_pending(&oi->flood_t)) {
		/* Paced: the first LS Update at once, then at most one per pacing interval. */
		sim_time next = oi->last_lsu + oi->o->cfg.flood_pacing, now = ospf_now(oi->o);

		timer_set(&oi->flood_t, oi->last_lsu != 0 && next > now ? next - now : 0);
	}
}

static void
req_remove(struct ospf_nbr *nb, struct ospf_lsref *r)
{
	if (r->sent && nb->lsr_out > 0)
		nb->lsr_out--;
	ospf_lslist_del(&nb->req, r);
	ospf_nbr_update_busy(nb);
}

/*
 * RFC 2328 13.3: put the LSA on the retransmission list of every adjacent
 * neighbor that may not have it, and send it out of the interfaces where one
 * was added. Returns true when it went back out of the receiving interface.
 */
bool
ospf_lsupd_flood(struct ospf *o, struct ospf_ent *e, struct ospf_nbr *from)
{
	const struct ospf_lsa_hdr *h = &e->lsa->hdr;
	struct ospf_lsa_hdr cur = ospf_lsdb_hdr(e, ospf_now(o));
	const struct ospf_area *area = ospf_lsdb_of(o, e)->area;
	bool back = false;

	for (size_t i = 0; i < o->nifs; i++) {
		struct ospf_if *oi = o->ifs[i];
		bool added = false;

		if (oi->state == ISM_DOWN || oi->state == ISM_LOOPBACK || oi->passive)
			continue;
		if (h->type == OSPF_LSA_EXTERNAL ? !ospf_area_ext(oi->area) : oi->area != area)
			continue;
		for (size_t k = 0; k < oi->nnbrs; k++) {
			struct ospf_nbr *nb = oi->nbrs[k];
			struct ospf_lsref *r;

			if (nb->state < NSM_EXCHANGE)
				continue;
			if (nb->state != NSM_FULL &&
			    (r = ospf_lslist_get(&nb->req, h->type, h->id, h->adv_rtr)) != NULL) {
				int c = ospf_lsa_cmp_newer(&cur, &r->hdr);

				if (c < 0)
					continue;
				req_remove(nb, r);
				ospf_lsreq_progress(nb);
				if (c == 0)
					continue;
			}
			if (nb == from)
				continue;
			ospf_nbr_rxmt_add(nb, e);
			added = true;
		}
		if (!added)
			continue;
		if (from != NULL && from->oi == oi) {
			if (oi->type != OSPF_IFT_P2P &&
			    (from->addr == oi->dr || from->addr == oi->bdr))
				continue;
			if (oi->state == ISM_BACKUP)
				continue;
			back = true;
		}
		queue(oi, e);
	}
	return back;
}

/* --- retransmission (13.6) -------------------------------------------------------------------- */

void
ospf_lsupd_rxmt_fire(struct timer *t)
{
	struct ospf_nbr *nb = t->arg;
	struct ospf_if *oi = nb->oi;
	sim_time now = ospf_now(oi->o), due = now - (sim_time)oi->rxmt * SIM_S;
	size_t max = ospf_if_maxpkt(oi), len = OSPF_LSU_MINLEN, n = 0, cap = 0;
	struct ospf_fq *v = NULL;

	if (nb->state < NSM_EXCHANGE)
		return;
	/* One packet's worth of the LSAs whose interval has run out, oldest first. */
	for (struct ospf_rxref *r = nb->rxmt.head; r; r = r->next) {
		if (r->sent > due)
			continue;
		if (n > 0 && len + r->ent->lsa->hdr.length > max)
			break;
		len += r->ent->lsa->hdr.length;
		VEC_PUSH(v, n, cap, ((struct ospf_fq){r->ent->lsa, ospf_lsdb_age(r->ent, now)}));
		r->sent = now;
	}
	if (n > 0) {
		ospf_trace(oi->o, "%s: retransmitting %zu LSAs to %s", oi->ifp->name, n,
		           ip_str(nb->rid));
		ospf_lsupd_send_direct(nb, v, n);
		oi->o->st.rxmt_lsas += n;
	}
	free(v);
	ospf_nbr_rxmt_schedule(nb);
}

/* --- receiving (13) -----------------------------------------------------------------------------
 */

static bool
is_self(const struct ospf *o, const struct ospf_lsa_hdr *h)
{
	return h->adv_rtr == o->rid ||
	       (h->type == OSPF_LSA_NETWORK && node_is_local_vrf(o->node, o->cfg.vrf, h->id));
}

void
ospf_lsupd_input(struct ospf_nbr *nb, const struct ospf_pkt *pkt)
{
	struct ospf_if *oi = nb->oi;
	struct ospf *o = oi->o;
	struct ospf_area *a = oi->area;
	sim_time now = ospf_now(o);
	uint32_t lsx[OSPF_PREFETCH_MAX];
	size_t np = MIN(pkt->lsu.nlsas, OSPF_PREFETCH_MAX);

	if (nb->state < NSM_EXCHANGE)
		return;
	/*
	 * The router's copies are scattered over a million entries (at 1,000
	 * routers): load them all first. The key numbers found stay valid for
	 * the packet: a key with a number is referenced, and nothing below
	 * drops another LSA's last reference.
	 */
	for (size_t i = 0; i < np; i++)
		lsx[i] = ospf_lsdb_prefetch(a, &pkt->lsu.lsas[i].hdr);
	for (size_t i = 0; i < np; i++)
		ospf_nbr_rxmt_prefetch(a, pkt->lsu.lsas[i].hdr.type, lsx[i]);
	for (size_t i = 0; i < pkt->lsu.nlsas; i++) {
		const struct ospf_lsa *l = &pkt->lsu.lsas[i];
		const struct ospf_lsa_hdr *h = &l->hdr;
		struct ospf_lsdb *db;
		struct ospf_ent *e;
		struct ospf_lsa_hdr cur;
		struct ospf_lsref *r;
		struct ospf_blob *known;
		int cmp = 1;

		/* Steps 2-3: a type we know, no AS-external-LSAs in stub areas and NSSAs,
		 * Type-7 only in NSSAs (RFC 3101 3.5). */
		if (!ospf_area_takes(a, h->type))
			continue;
		db = ospf_lsdb_for(a, h->type);
		/* A key unknown then may have been made by an earlier LSA of this packet. */
		e = i < np && lsx[i] != OSPF_LSX_NONE ? ospf_lsdb_at(db, lsx[i])
		                                      : ospf_lsdb_get(db, h->type, h->id, h->adv_rtr);
		/*
		 * Step 1, the checksum. Bytes identical (but for the age) to our copy
		 * need no second look: most LSAs a router receives are such copies.
		 * Otherwise an instance stored already was verified when it was
		 * stored (intern.c), so the checksum is computed once per instance
		 * in the whole network, not once per router.
		 */
		if (e != NULL && e->lsa->hdr.length == l->len &&
		    memcmp(e->lsa->bytes + 2, l->raw + 2, l->len - 2) == 0)
			known = e->lsa;
		else if ((known = ospf_intern_find(l->raw, l->len)) != NULL
		             ? !known->cksum_ok
		             : !ospf_lsa_cksum_ok(l->raw, l->len)) {
			o->st.bad_pkts++;
			continue;
		}
		if (e != NULL) {
			cur = ospf_lsdb_hdr(e, now);
			cmp = ospf_lsa_cmp_newer(h, &cur);
		}
		/* Step 4: a MaxAge LSA we do not have, and nobody is exchanging databases. */
		if (h->age >= OSPF_MAX_AGE && e == NULL && !ospf_nbr_any_exchanging(o)) {
			ospf_lsack_direct(nb, h);
			continue;
		}
		/* Step 5: newer than ours (or new). */
		if (cmp > 0) {
			struct ospf_blob *b;
			struct ospf_ent *ne;
			bool back;

			/* (a) MinLSArrival. */
			if (e != NULL && e->flooded && now - e->t0 < o->cfg.lsa_min_arrival)
				continue;
			/* The instance stored already (found above), or stored now. */
			b = known != NULL ? ospf_intern_again(known) : ospf_intern(l->raw, l->len);
			if (ospf_intern_body(b) == NULL) {
				ospf_intern_unref(b);
				o->st.bad_pkts++;
				continue;
			}
			r = ospf_lslist_get(&nb->req, h->type, h->id, h->adv_rtr);
			if (r != NULL && ospf_lsa_cmp_newer(h, &r->hdr) >= 0)
				req_remove(nb, r);
			/*
			 * (c) the old copy leaves every retransmission list and (d) the new
			 * one is installed (13.2): both in ospf_lsdb_install.
			 */
			ne = ospf_lsdb_install(db, b, h->age, false, true);
			o->st.lsa_rcvd++;
			/* (b) flood it on. */
			back = ospf_lsupd_flood(o, ne, nb);
			/*
			 * A flush that went out nowhere (no other neighbor in its scope) is
			 * on no retransmission list: removable now (14), not at whatever
			 * next empties a list.
			 */
			if (h->age >= OSPF_MAX_AGE && ne->nrxmt == 0)
				ospf_lsdb_maxage_check(o);
			/* (e) acknowledge (13.5), unless it went back out as an implied ack. */
			if (!back && (oi->state != ISM_BACKUP || nb->addr == oi->dr))
				ospf_lsack_delayed(oi, h);
			/* (f) one of ours (13.4). */
			if (is_self(o, h))
				ospf_orig_self_received(o, ne);
			continue;
		}
		/* Step 6: we asked for it but hold the same or newer: the exchange went wrong. */
		if (ospf_lslist_get(&nb->req, h->type, h->id, h->adv_rtr) != NULL) {
			ospf_nbr_fsm(nb, NSM_EV_BAD_LSREQ);
			return;
		}
		/* Step 7: the same instance. */
		if (cmp == 0) {
			struct ospf_rxref *x = ospf_nbr_rxmt_get(nb, e);

			if (x != NULL) {
				/* An implied acknowledgement. */
				ospf_nbr_rxmt_del(x);
				if (oi->state == ISM_BACKUP && nb->addr == oi->dr)
					ospf_lsack_delayed(oi, h);
			} else {
				ospf_lsack_direct(nb, h);
			}
			continue;
		}
		/* Step 8: ours is newer: send it back (at most once per MinLSArrival). */
		if (cur.age >= OSPF_MAX_AGE && cur.seq == OSPF_MAX_SEQ)
			continue;
		if (now - ospf_lsdb_sentback(db, e) >= o->cfg.lsa_min_arrival) {
			struct ospf_fq v = {e->lsa, cur.age};

			ospf_lsdb_set_sentback(db, e, now);
			ospf_lsupd_send_direct(nb, &v, 1);
		}
	}
	ospf_lsreq_progress(nb);
}
