/*
 * iface.c: OSPF interfaces: the interface state machine (RFC 2328 9.3) as a
 * table of {states, event, action, next state}, with ospf_if_fsm() its only
 * writer of oi->state, and the Designated Router election (9.4).
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/log.h"
#include "../../lib/util.h"
#include "ospf.h"

const char *const ospf_ism_state_names[ISM_NSTATES] = {
    "Down", "Loopback", "Waiting", "Point-To-Point", "DROther", "Backup", "DR",
};

const char *const ospf_ism_event_names[ISM_NEVENTS] = {
    "InterfaceUp", "WaitTimer", "BackupSeen",    "NeighborChange",
    "LoopInd",     "UnloopInd", "InterfaceDown",
};

struct ospf_nbr *
ospf_if_nbr_by_addr(const struct ospf_if *oi, uint32_t addr)
{
	for (size_t i = 0; i < oi->nnbrs; i++)
		if (oi->nbrs[i]->addr == addr)
			return oi->nbrs[i];
	return NULL;
}

struct ospf_nbr *
ospf_if_nbr_by_rid(const struct ospf_if *oi, uint32_t rid)
{
	for (size_t i = 0; i < oi->nnbrs; i++)
		if (oi->nbrs[i]->rid == rid && rid != 0)
			return oi->nbrs[i];
	return NULL;
}

struct ospf_nbr *
ospf_if_dr_nbr(const struct ospf_if *oi)
{
	return oi->dr && oi->dr != oi->ifp->addr ? ospf_if_nbr_by_addr(oi, oi->dr) : NULL;
}

struct ospf_nbr *
ospf_if_bdr_nbr(const struct ospf_if *oi)
{
	return oi->bdr && oi->bdr != oi->ifp->addr ? ospf_if_nbr_by_addr(oi, oi->bdr) : NULL;
}

size_t
ospf_if_full_count(const struct ospf_if *oi)
{
	size_t n = 0;

	for (size_t i = 0; i < oi->nnbrs; i++)
		n += oi->nbrs[i]->state == NSM_FULL;
	return n;
}

/* --- RFC 2328 9.4: electing the Designated Router -------------------------------------------- */

static bool
higher(const struct ospf_dr_cand *a, const struct ospf_dr_cand *b)
{
	if (a->prio != b->prio)
		return a->prio > b->prio;
	return a->rid > b->rid;
}

/*
 * Steps 2 and 3 on the declarations in dr/bdr (which for the calculating
 * router may differ from what it last sent, in the second round).
 */
static void
elect_round(const struct ospf_dr_cand *c, size_t n, const uint32_t *dr, const uint32_t *bdr,
            int *out_dr, int *out_bdr)
{
	int b = -1, d = -1;
	bool b_decl = false;

	/* Step 2: the BDR, among those not declaring themselves DR; declared BDRs first. */
	for (size_t i = 0; i < n; i++) {
		bool decl;

		if (c[i].prio == 0 || dr[i] == c[i].addr)
			continue;
		decl = bdr[i] == c[i].addr;
		if (b < 0 || (decl && !b_decl) || (decl == b_decl && higher(&c[i], &c[b]))) {
			b = (int)i;
			b_decl = decl;
		}
	}
	/* Step 3: the DR, among those declaring themselves DR; else the new BDR. */
	for (size_t i = 0; i < n; i++) {
		if (c[i].prio == 0 || dr[i] != c[i].addr)
			continue;
		if (d < 0 || higher(&c[i], &c[d]))
			d = (int)i;
	}
	if (d < 0)
		d = b;
	*out_dr = d;
	*out_bdr = b;
}

void
ospf_if_elect(const struct ospf_dr_cand *c, size_t n, size_t self, uint32_t *dr_out,
              uint32_t *bdr_out)
{
	uint32_t *dr = xmalloc(sizeof(*dr) * n), *bdr = xmalloc(sizeof(*bdr) * n);
	bool was_dr = c[self].dr == c[self].addr, was_bdr = c[self].bdr == c[self].addr;
	int d, b;

	for (size_t i = 0; i < n; i++) {
		dr[i] = c[i].dr;
		bdr[i] = c[i].bdr;
	}
	elect_round(c, n, dr, bdr, &d, &b);
	/* Step 4: if the calculating router's own role changed, repeat with its new view. */
	if ((d == (int)self) != was_dr || (b == (int)self) != was_bdr) {
		dr[self] = d >= 0 ? c[d].addr : 0;
		bdr[self] = b >= 0 ? c[b].addr : 0;
		elect_round(c, n, dr, bdr, &d, &b);
	}
	*dr_out = d >= 0 ? c[d].addr : 0;
	*bdr_out = b >= 0 ? c[b].addr : 0;
	free(dr);
	free(bdr);
}

static int
act_elect(void *arg)
{
	struct ospf_if *oi = arg;
	struct ospf_dr_cand *c = xmalloc(sizeof(*c) * (oi->nnbrs + 1));
	size_t n = 0;
	uint32_t dr, bdr;

	c[n++] = (struct ospf_dr_cand){oi->o->rid, oi->ifp->addr, oi->prio, oi->dr, oi->bdr};
	for (size_t i = 0; i < oi->nnbrs; i++) {
		const struct ospf_nbr *nb = oi->nbrs[i];

		if (nb->state >= NSM_2WAY && nb->prio > 0)
			c[n++] =
			    (struct ospf_dr_cand){nb->rid, nb->addr, nb->prio, nb->dr, nb->bdr};
	}
	ospf_if_elect(c, n, 0, &dr, &bdr);
	free(c);
	if (dr != oi->dr || bdr != oi->bdr)
		ospf_trace(oi->o, "%s: DR election: DR %s, BDR %s", oi->ifp->name, ip_str(dr),
		           ip_str(bdr));
	oi->dr = dr;
	oi->bdr = bdr;
	/* Step 5. */
	if (dr == oi->ifp->addr)
		return ISM_DR;
	if (bdr == oi->ifp->addr)
		return ISM_BACKUP;
	return ISM_DROTHER;
}

/* --- the actions --------------------------------------------------------------------------- */

static void
wait_fire(struct timer *t)
{
	ospf_if_fsm(t->arg, ISM_EV_WAIT_TIMER);
}

static int
act_up(void *arg)
{
	struct ospf_if *oi = arg;

	ospf_hello_timer_start(oi);
	if (OSPF_IFT_NO_DR(oi->type))
		return ISM_P2P; /* 9.3: Point-to-point for both */
	if (oi->prio == 0)
		return ISM_DROTHER;
	/*
	 * A passive interface will never hear a neighbor: waiting for one would only
	 * delay its stub network (a deliberate shortcut, see docs/ospf.md).
	 */
	if (oi->passive)
		return act_elect(oi);
	timer_set(&oi->wait_t, (sim_time)oi->dead * SIM_S);
	return ISM_WAITING;
}

/* InterfaceDown / LoopInd: every timer stops, every neighbor is killed (9.3). */
static int
act_reset(void *arg)
{
	struct ospf_if *oi = arg;

	timer_cancel(&oi->hello_t);
	timer_cancel(&oi->wait_t);
	timer_cancel(&oi->ack_t);
	timer_cancel(&oi->flood_t);
	timer_cancel(&oi->hello_now);
	oi->first_hello = false;
	for (size_t i = 0; i < oi->nnbrs; i++)
		ospf_nbr_fsm(oi->nbrs[i], NSM_EV_KILL);
	/* Discovered neighbors are forgotten; configured NBMA neighbors stay, Down. */
	for (size_t i = 0; i < oi->nnbrs;) {
		if (!oi->nbrs[i]->nbma_cfg) {
			ospf_nbr_free(oi->nbrs[i]);
			memmove(&oi->nbrs[i], &oi->nbrs[i + 1],
			        sizeof(*oi->nbrs) * (oi->nnbrs - i - 1));
			oi->nnbrs--;
		} else {
			i++;
		}
	}
	oi->nacks = 0;
	for (size_t i = 0; i < oi->nfq; i++)
		ospf_intern_unref(oi->fq[i].lsa);
	oi->nfq = 0;
	oi->dr = oi->bdr = 0;
	return ISM_DOWN;
}

#define S(x)    FSM_S(x)
#define ANY_ISM (S(ISM_NSTATES) - 1)

const struct fsm_row ospf_ism_table[] = {
    {S(ISM_DOWN), ISM_EV_UP, act_up, FSM_COMPUTED},
    {S(ISM_WAITING), ISM_EV_BACKUP_SEEN, act_elect, FSM_COMPUTED},
    {S(ISM_WAITING), ISM_EV_WAIT_TIMER, act_elect, FSM_COMPUTED},
    {S(ISM_DROTHER) | S(ISM_BACKUP) | S(ISM_DR), ISM_EV_NBR_CHANGE, act_elect, FSM_COMPUTED},
    {ANY_ISM, ISM_EV_DOWN, act_reset, ISM_DOWN},
    {ANY_ISM, ISM_EV_LOOP_IND, act_reset, ISM_LOOPBACK},
    {S(ISM_LOOPBACK), ISM_EV_UNLOOP_IND, NULL, ISM_DOWN},
    {0},
};

static void
area_activity(struct ospf *o)
{
	for (size_t i = 0; i < o->nareas; i++)
		o->areas[i]->active = false;
	for (size_t i = 0; i < o->nifs; i++)
		if (o->ifs[i]->state != ISM_DOWN)
			o->ifs[i]->area->active = true;
}

void
ospf_if_fsm(struct ospf_if *oi, enum ospf_ism_event ev)
{
	const struct fsm_row *row = fsm_lookup(ospf_ism_table, oi->state, ev);
	enum ospf_ism_state old = oi->state, next;
	uint32_t odr = oi->dr, obdr = oi->bdr;
	bool was_abr;

	if (row == NULL) {
		oi->o->st.fsm_ignored++;
		ospf_trace(oi->o, "%s: ISM ignores %s in %s", oi->ifp->name,
		           ospf_ism_event_names[ev], ospf_ism_state_names[old]);
		return;
	}
	next = (enum ospf_ism_state)fsm_next(row, old, oi);
	oi->state = next;
	if (next != old) {
		ospf_trace(oi->o, "%s: ISM %s -> %s (%s)", oi->ifp->name, ospf_ism_state_names[old],
		           ospf_ism_state_names[next], ospf_ism_event_names[ev]);
		oi->since = ospf_now(oi->o);
		oi->changes++;
		if (next != ISM_WAITING)
			timer_cancel(&oi->wait_t);
	}
	was_abr = ospf_is_abr(oi->o);
	area_activity(oi->o);
	if (was_abr != ospf_is_abr(oi->o))
		ospf_spf_schedule(oi->o);
	/* 9.4 step 6: a new DR/BDR on NBMA starts the ineligible neighbors too. */
	if (oi->type == OSPF_IFT_NBMA && (next == ISM_DR || next == ISM_BACKUP) && next != old)
		for (size_t i = 0; i < oi->nnbrs; i++)
			if (oi->nbrs[i]->prio == 0 && oi->nbrs[i]->state == NSM_DOWN)
				ospf_nbr_fsm(oi->nbrs[i], NSM_EV_START);
	/* 9.4 step 7: a different DR or BDR: every adjacency is reconsidered. */
	if ((oi->dr != odr || oi->bdr != obdr) && next >= ISM_DROTHER)
		for (size_t i = 0; i < oi->nnbrs; i++)
			if (oi->nbrs[i]->state >= NSM_2WAY)
				ospf_nbr_fsm(oi->nbrs[i], NSM_EV_ADJ_OK);
	if (next != old || oi->dr != odr || oi->bdr != obdr) {
		/* Hellos announce the new DR/BDR at once, so the segment settles quickly. */
		if (next >= ISM_DROTHER && (oi->dr != odr || oi->bdr != obdr))
			ospf_hello_trigger(oi);
		ospf_orig_schedule(oi->o);
	}
}

/* --- creation ------------------------------------------------------------------------------ */

static uint16_t
pick(uint16_t iface, uint16_t dev, uint16_t dflt)
{
	return iface ? iface : dev ? dev : dflt;
}

struct ospf_if *
ospf_if_new(struct ospf *o, struct iface *ifp, const struct ospf_if_cfg *ic)
{
	struct ospf_if *oi = xcalloc(1, sizeof(*oi));
	struct actor *a = &o->node->actor;

	oi->o = o;
	oi->ifp = ifp;
	oi->cfg = ic;
	oi->area = ospf_area_get(o, ic->area);
	oi->type = ic->type >= 0   ? (enum ospf_if_type)ic->type
	           : ifp->kind == IF_LOOPBACK ? OSPF_IFT_LOOPBACK
	           /* A tunnel has one far end: point-to-point, as Cisco and FRR on Linux GRE. */
	           : ifp->kind == IF_TUNNEL ? OSPF_IFT_P2P
	                           : OSPF_IFT_BROADCAST;
	oi->hello = pick(ic->hello, o->cfg.hello, OSPF_HELLO_DFLT);
	/* As on real routers, setting only the Hello interval makes the dead interval 4x. */
	if (ic->dead)
		oi->dead = ic->dead;
	else if (ic->hello)
		oi->dead = (uint16_t)MIN(4u * ic->hello, 65535u);
	else
		oi->dead =
		    pick(0, o->cfg.dead,
		         o->cfg.hello ? (uint16_t)MIN(4u * o->cfg.hello, 65535u) : OSPF_DEAD_DFLT);
	/* Fast Hellos, set on the interface or for the device when the interface sets no timer. */
	oi->hello_mult = ic->hello_mult ? ic->hello_mult
	                 : (ic->hello || ic->dead) ? 0
	                                           : o->cfg.hello_mult;
	if (oi->hello_mult) {
		oi->hello = 0;
		oi->dead = 1;
	}
	oi->rxmt = pick(ic->rxmt, o->cfg.rxmt, OSPF_RXMT_DFLT);
	oi->transdelay = pick(ic->transdelay, o->cfg.transdelay, OSPF_TRANSDELAY_DFLT);
	oi->poll = ic->poll ? ic->poll : OSPF_POLL_DFLT;
	oi->prio = ic->prio;
	oi->passive = ic->passive;
	oi->auth = ic->auth_set ? ic->auth : o->cfg.auth;
	oi->cost = ospf_config_cost(o, ifp, ic);
	oi->state = ISM_DOWN;
	timer_init(&oi->hello_t, a, ospf_hello_fire, oi);
	timer_init(&oi->hello_now, a, ospf_hello_now_fire, oi);
	timer_init(&oi->wait_t, a, wait_fire, oi);
	timer_init(&oi->ack_t, a, ospf_lsack_fire, oi);
	timer_init(&oi->flood_t, a, ospf_lsupd_flood_fire, oi);
	if (OSPF_IFT_UNICAST(oi->type))
		for (size_t i = 0; i < ic->nnbrs; i++) {
			struct ospf_nbr *nb = ospf_nbr_new(oi, 0, ic->nbrs[i].addr);

			nb->nbma_cfg = true;
			nb->prio = ic->nbrs[i].prio;
		}
	return oi;
}

void
ospf_if_free(struct ospf_if *oi)
{
	timer_cancel(&oi->hello_t);
	timer_cancel(&oi->hello_now);
	timer_cancel(&oi->wait_t);
	timer_cancel(&oi->ack_t);
	timer_cancel(&oi->flood_t);
	for (size_t i = 0; i < oi->nnbrs; i++)
		ospf_nbr_free(oi->nbrs[i]);
	free(oi->nbrs);
	free(oi->acks);
	for (size_t i = 0; i < oi->nfq; i++)
		ospf_intern_unref(oi->fq[i].lsa);
	free(oi->fq);
	free(oi->mis);
	free(oi);
}
