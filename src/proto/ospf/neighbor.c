/*
 * neighbor.c: the neighbor state machine (RFC 2328 10.3) as a table of
 * {states, event, action, next state}; ospf_nbr_fsm() is the only writer of
 * nbr->state. Also whether to become adjacent (10.4), the neighbor's
 * retransmission list (13.3, 13.6) and its inactivity timer.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/log.h"
#include "../../lib/util.h"
#include "../bfd/bfd.h"
#include "ospf.h"

const char *const ospf_nsm_state_names[NSM_NSTATES] = {
    "Down", "Attempt", "Init", "2-Way", "ExStart", "Exchange", "Loading", "Full",
};

const char *const ospf_nsm_event_names[NSM_NEVENTS] = {
    "HelloReceived", "Start",           "2-WayReceived", "NegotiationDone",   "ExchangeDone",
    "BadLSReq",      "LoadingDone",     "AdjOK?",        "SeqNumberMismatch", "1-WayReceived",
    "KillNbr",       "InactivityTimer", "LLDown",
};

/* RFC 2328 10.4: should an adjacency form with this neighbor? */
bool
ospf_nbr_adj_ok(const struct ospf_nbr *nb)
{
	const struct ospf_if *oi = nb->oi;

	if (OSPF_IFT_NO_DR(oi->type))
		return true;
	if (oi->state == ISM_DR || oi->state == ISM_BACKUP)
		return true;
	return nb->addr == oi->dr || nb->addr == oi->bdr;
}

/*
 * Work in progress that convergence waits for. Init is not: a new neighbor
 * gets a Hello at once (control traffic, which convergence waits for), so a
 * neighbor still in Init when nothing is in flight hears us but we do not
 * hear it back (a one-way link, a key it does not have): a stable state.
 */
bool
ospf_nbr_is_busy(const struct ospf_nbr *nb)
{
	switch (nb->state) {
	case NSM_ATTEMPT:
	case NSM_EXSTART:
	case NSM_EXCHANGE:
	case NSM_LOADING:
		return true;
	default:
		return nb->rxmt.n > 0 || nb->req.n > 0;
	}
}

void
ospf_nbr_update_busy(struct ospf_nbr *nb)
{
	bool b = ospf_nbr_is_busy(nb);

	if (b != (nb->busy != 0)) {
		if (b)
			nb->oi->o->nbusy_nbrs++;
		else
			nb->oi->o->nbusy_nbrs--;
		nb->busy = b;
	}
}

bool
ospf_nbr_any_exchanging(const struct ospf *o)
{
	for (size_t i = 0; i < o->nifs; i++)
		for (size_t k = 0; k < o->ifs[i]->nnbrs; k++) {
			enum ospf_nsm_state s = o->ifs[i]->nbrs[k]->state;

			if (s == NSM_EXCHANGE || s == NSM_LOADING)
				return true;
		}
	return false;
}

/* FRR's form: "Full/DR", "2-Way/DROther", "Full/-" on point-to-point links. */
const char *
ospf_nbr_state_str(const struct ospf_nbr *nb, char *buf, size_t len)
{
	const struct ospf_if *oi = nb->oi;
	const char *role = "DROther";

	if (OSPF_IFT_NO_DR(oi->type))
		role = "-";
	else if (nb->addr == oi->dr)
		role = "DR";
	else if (nb->addr == oi->bdr)
		role = "Backup";
	snprintf(buf, len, "%s/%s", ospf_nsm_state_names[nb->state], role);
	return buf;
}

/* --- retransmission list ---------------------------------------------------------------------- */

/*
 * References come from a pool per thread: hundreds of thousands are in
 * flight while a large area floods, each for about a second (until the
 * delayed acknowledgement). Free ones are kept on a stack of pointers rather
 * than a list threaded through them, so that taking one does not first read
 * an object that has long left the cache. A reference is often freed on
 * another thread than the one that took it, so a thread with more than two
 * chunks' worth free gives its coldest chunk's worth to a shared depot, and a
 * thread that runs out takes from the depot before it allocates: without it,
 * each thread's stack grew to its own peak (10 MB more at 1,000 routers on
 * two threads). Nothing observable depends on their addresses.
 */
enum { CHUNK = 4096 };

static struct {
	SIM_THREAD_ALIGN struct ospf_rxref **free;
	size_t nfree, freecap;
} rxpools[SIM_MAX_THREADS];
#define rxpool (rxpools[sim_thread]) /* each thread has its own (see sim.h) */

static struct {
	pthread_mutex_t mu;
	struct ospf_rxref **v;
	size_t n, cap;
} depot = {.mu = PTHREAD_MUTEX_INITIALIZER};

static struct ospf_rxref *
rx_alloc(void)
{
	if (rxpool.nfree == 0) {
		grow_array((void **)&rxpool.free, &rxpool.freecap, CHUNK, sizeof(*rxpool.free));
		pthread_mutex_lock(&depot.mu);
		if (depot.n >= CHUNK) {
			depot.n -= CHUNK;
			memcpy(rxpool.free, &depot.v[depot.n], sizeof(*depot.v) * CHUNK);
			rxpool.nfree = CHUNK;
		}
		pthread_mutex_unlock(&depot.mu);
	}
	if (rxpool.nfree == 0) {
		struct ospf_rxref *c = xmalloc(sizeof(*c) * CHUNK);

		for (size_t i = 0; i < CHUNK; i++)
			rxpool.free[i] = &c[CHUNK - 1 - i];
		rxpool.nfree = CHUNK;
	}
	/*
	 * The next reference to be taken may have left the cache long ago; ask for
	 * it now (for writing), so that it is there when the next LSA is queued:
	 * otherwise the flood's next look at this entry's chain waits for it.
	 */
	if (rxpool.nfree > 1)
		__builtin_prefetch(rxpool.free[rxpool.nfree - 2], 1);
	return rxpool.free[--rxpool.nfree];
}

static void
rx_free(struct ospf_rxref *r)
{
	VEC_PUSH(rxpool.free, rxpool.nfree, rxpool.freecap, r);
	if (rxpool.nfree >= 3 * CHUNK) {
		/* The bottom of the stack: freed longest ago, least likely in this core's cache. */
		pthread_mutex_lock(&depot.mu);
		grow_array((void **)&depot.v, &depot.cap, depot.n + CHUNK, sizeof(*depot.v));
		memcpy(&depot.v[depot.n], rxpool.free, sizeof(*depot.v) * CHUNK);
		depot.n += CHUNK;
		pthread_mutex_unlock(&depot.mu);
		rxpool.nfree -= CHUNK;
		memmove(rxpool.free, &rxpool.free[CHUNK], sizeof(*rxpool.free) * rxpool.nfree);
	}
}

struct ospf_rxref *
ospf_nbr_rxmt_get(const struct ospf_nbr *nb, const struct ospf_ent *e)
{
	for (struct ospf_rxref *r = e->rxmt; r; r = r->enext)
		if (r->nb == nb)
			return r;
	return NULL;
}

struct ospf_rxref *
ospf_nbr_rxmt_find(const struct ospf_nbr *nb, uint8_t type, uint32_t id, uint32_t adv)
{
	const struct ospf_ent *e = ospf_lsdb_get(ospf_lsdb_for(nb->oi->area, type), type, id, adv);

	return e != NULL ? ospf_nbr_rxmt_get(nb, e) : NULL;
}

/*
 * Acknowledgements and duplicate LSAs look the retransmission lists up: load
 * the first reference to the entry early (a hint, after ospf_lsdb_prefetch).
 */
void
ospf_nbr_rxmt_prefetch(struct ospf_area *a, uint8_t type, uint32_t lsx)
{
	const struct ospf_ent *e;

	if (lsx == OSPF_LSX_NONE)
		return;
	e = ospf_lsdb_at(ospf_lsdb_for(a, type), lsx);
	if (e != NULL && e->rxmt != NULL)
		__builtin_prefetch(e->rxmt);
}

void
ospf_nbr_rxmt_schedule(struct ospf_nbr *nb)
{
	sim_time due = SIM_NEVER;

	for (struct ospf_rxref *r = nb->rxmt.head; r; r = r->next)
		if (r->sent < due)
			due = r->sent;
	if (due == SIM_NEVER) {
		timer_cancel(&nb->rxmt_t);
		return;
	}
	due += (sim_time)nb->oi->rxmt * SIM_S;
	if (!timer_pending(&nb->rxmt_t) || nb->rxmt_t.when != due)
		timer_set_at(&nb->rxmt_t, due);
}

void
ospf_nbr_rxmt_add(struct ospf_nbr *nb, struct ospf_ent *e)
{
	struct ospf_rxref *r = ospf_nbr_rxmt_get(nb, e);
	sim_time now = ospf_now(nb->oi->o);

	if (r == NULL) {
		r = rx_alloc();
		r->nb = nb;
		r->ent = e;
		r->next = NULL;
		r->prev = nb->rxmt.tail;
		if (nb->rxmt.tail)
			nb->rxmt.tail->next = r;
		else
			nb->rxmt.head = r;
		nb->rxmt.tail = r;
		nb->rxmt.n++;
		r->enext = e->rxmt;
		e->rxmt = r;
		e->nrxmt++;
	}
	r->sent = now;
	if (!timer_pending(&nb->rxmt_t))
		timer_set(&nb->rxmt_t, (sim_time)nb->oi->rxmt * SIM_S);
	ospf_nbr_update_busy(nb);
}

void
ospf_nbr_rxmt_del(struct ospf_rxref *r)
{
	struct ospf_nbr *nb = r->nb;
	struct ospf_ent *e = r->ent;
	struct ospf_rxref **pp;

	if (--e->nrxmt == 0 && ospf_lsdb_age(e, ospf_now(nb->oi->o)) >= OSPF_MAX_AGE)
		ospf_lsdb_maxage_check(nb->oi->o);
	for (pp = &e->rxmt; *pp != r; pp = &(*pp)->enext)
		;
	*pp = r->enext;
	if (r->prev)
		r->prev->next = r->next;
	else
		nb->rxmt.head = r->next;
	if (r->next)
		r->next->prev = r->prev;
	else
		nb->rxmt.tail = r->prev;
	nb->rxmt.n--;
	rx_free(r);
	if (nb->rxmt.n == 0)
		timer_cancel(&nb->rxmt_t);
	ospf_nbr_update_busy(nb);
}

void
ospf_nbr_rxmt_purge(struct ospf_ent *e)
{
	while (e->rxmt != NULL)
		ospf_nbr_rxmt_del(e->rxmt);
}

/* --- the actions ------------------------------------------------------------------------- */

static void
clear_lists(struct ospf_nbr *nb)
{
	while (nb->rxmt.head)
		ospf_nbr_rxmt_del(nb->rxmt.head);
	ospf_lslist_clear(&nb->req);
	free(nb->summary);
	nb->summary = NULL;
	nb->nsum = nb->sumpos = 0;
	nb->lsr_out = 0;
	timer_cancel(&nb->dd_rxmt);
	timer_cancel(&nb->lsr_rxmt);
	timer_cancel(&nb->rxmt_t);
}

static void
inactivity_fire(struct timer *t)
{
	ospf_nbr_fsm(t->arg, NSM_EV_INACTIVITY);
}

static int
act_hello(void *arg)
{
	struct ospf_nbr *nb = arg;

	timer_set(&nb->inactivity, (sim_time)nb->oi->dead * SIM_S);
	return FSM_SAME;
}

static int
act_start(void *arg)
{
	struct ospf_nbr *nb = arg;

	ospf_hello_send(nb->oi, nb->addr, PKT_CONTROL);
	nb->polled = ospf_now(nb->oi->o);
	timer_set(&nb->inactivity, (sim_time)nb->oi->dead * SIM_S);
	return FSM_SAME;
}

/* 2-WayReceived in Init, AdjOK? in 2-Way: become adjacent if 10.4 says so. */
static int
act_2way(void *arg)
{
	struct ospf_nbr *nb = arg;

	if (!ospf_nbr_adj_ok(nb))
		return NSM_2WAY;
	ospf_dd_start(nb);
	return NSM_EXSTART;
}

static int
act_negdone(void *arg)
{
	struct ospf_nbr *nb = arg;

	ospf_dd_negotiated(nb);
	return FSM_SAME;
}

static int
act_exchdone(void *arg)
{
	struct ospf_nbr *nb = arg;

	timer_cancel(&nb->dd_rxmt);
	return nb->req.n == 0 ? NSM_FULL : NSM_LOADING;
}

static int
act_loaddone(void *arg)
{
	struct ospf_nbr *nb = arg;

	timer_cancel(&nb->lsr_rxmt);
	return FSM_SAME;
}

static int
act_adjok_adj(void *arg)
{
	struct ospf_nbr *nb = arg;

	if (ospf_nbr_adj_ok(nb))
		return nb->state;
	clear_lists(nb);
	return NSM_2WAY;
}

static int
act_restart(void *arg)
{
	struct ospf_nbr *nb = arg;

	clear_lists(nb);
	ospf_dd_start(nb);
	return FSM_SAME;
}

static int
act_kill(void *arg)
{
	struct ospf_nbr *nb = arg;

	clear_lists(nb);
	timer_cancel(&nb->inactivity);
	free(nb->last_dd);
	nb->last_dd = NULL;
	nb->last_dd_len = 0;
	nb->last_rx_valid = false;
	return FSM_SAME;
}

static int
act_1way(void *arg)
{
	struct ospf_nbr *nb = arg;

	clear_lists(nb);
	return FSM_SAME;
}

#define S(x)    FSM_S(x)
#define ANY_NSM (S(NSM_NSTATES) - 1)
#define GE(x)   (ANY_NSM & ~(S(x) - 1))

const struct fsm_row ospf_nsm_table[] = {
    {S(NSM_DOWN), NSM_EV_START, act_start, NSM_ATTEMPT},
    {S(NSM_ATTEMPT), NSM_EV_HELLO_RCVD, act_hello, NSM_INIT},
    {S(NSM_DOWN), NSM_EV_HELLO_RCVD, act_hello, NSM_INIT},
    {GE(NSM_INIT), NSM_EV_HELLO_RCVD, act_hello, FSM_SAME},
    {S(NSM_INIT), NSM_EV_2WAY_RCVD, act_2way, FSM_COMPUTED},
    {S(NSM_EXSTART), NSM_EV_NEG_DONE, act_negdone, NSM_EXCHANGE},
    {S(NSM_EXCHANGE), NSM_EV_EXCH_DONE, act_exchdone, FSM_COMPUTED},
    {S(NSM_LOADING), NSM_EV_LOAD_DONE, act_loaddone, NSM_FULL},
    {S(NSM_2WAY), NSM_EV_ADJ_OK, act_2way, FSM_COMPUTED},
    {GE(NSM_EXSTART), NSM_EV_ADJ_OK, act_adjok_adj, FSM_COMPUTED},
    {GE(NSM_EXCHANGE), NSM_EV_SEQ_MISMATCH, act_restart, NSM_EXSTART},
    {GE(NSM_EXCHANGE), NSM_EV_BAD_LSREQ, act_restart, NSM_EXSTART},
    {ANY_NSM, NSM_EV_KILL, act_kill, NSM_DOWN},
    {ANY_NSM, NSM_EV_LL_DOWN, act_kill, NSM_DOWN},
    {ANY_NSM, NSM_EV_INACTIVITY, act_kill, NSM_DOWN},
    {GE(NSM_2WAY), NSM_EV_1WAY_RCVD, act_1way, NSM_INIT},
    {GE(NSM_2WAY), NSM_EV_2WAY_RCVD, NULL, FSM_SAME},
    {S(NSM_INIT), NSM_EV_1WAY_RCVD, NULL, FSM_SAME},
    {0},
};

static void
post_adj(struct ospf_nbr *nb, enum ospf_nsm_state next)
{
	struct node *n = nb->oi->o->node;

	ev_post(n->net, n,
	        &(struct net_ev){.kind = EV_ADJ_CHANGE,
	                         .ifindex = nb->oi->ifp->idx,
	                         .link = -1,
	                         .proto = "ospf",
	                         .text = (char *)ip_str(nb->rid),
	                         .text2 = (char *)ospf_nsm_state_names[next]});
}

/*
 * BFD declared the path to a bidirectional neighbor down: KillNbr (RFC 2328
 * 10.3, as FRR does), in the node's context like any NSM event.
 */
static void
bfd_down(void *arg, bool up)
{
	struct ospf_nbr *nb = arg;

	if (!up && nb->state >= NSM_2WAY)
		ospf_nbr_fsm(nb, NSM_EV_KILL);
}

/* A neighbor is watched by BFD while communication is bidirectional (2-Way and up). */
static void
bfd_follow(struct ospf_nbr *nb)
{
	struct ospf_if *oi = nb->oi;
	bool want = nb->state >= NSM_2WAY && oi->cfg != NULL && oi->cfg->bfd;

	if (want && nb->bfd == NULL)
		nb->bfd = bfd_register(oi->o->node, nb->addr, oi->ifp->addr, oi->ifp, bfd_down, nb);
	else if (!want && nb->bfd != NULL) {
		bfd_unregister(nb->bfd);
		nb->bfd = NULL;
	}
}

void
ospf_nbr_fsm(struct ospf_nbr *nb, enum ospf_nsm_event ev)
{
	const struct fsm_row *row = fsm_lookup(ospf_nsm_table, nb->state, ev);
	struct ospf_if *oi = nb->oi;
	struct ospf *o = oi->o;
	enum ospf_nsm_state old = nb->state, next;

	if (row == NULL) {
		o->st.fsm_ignored++;
		ospf_trace(o, "%s: neighbor %s: NSM ignores %s in %s", oi->ifp->name,
		           ip_str(nb->rid), ospf_nsm_event_names[ev], ospf_nsm_state_names[old]);
		return;
	}
	next = (enum ospf_nsm_state)fsm_next(row, old, nb);
	nb->state = next;
	ospf_nbr_update_busy(nb);
	if (next == old)
		return;
	ospf_trace(o, "%s: neighbor %s: %s -> %s (%s)", oi->ifp->name, ip_str(nb->rid),
	           ospf_nsm_state_names[old], ospf_nsm_state_names[next], ospf_nsm_event_names[ev]);
	nb->since = ospf_now(o);
	nb->changes++;
	bfd_follow(nb);
	if (next == NSM_FULL || old == NSM_FULL || (next == NSM_DOWN && old > NSM_ATTEMPT))
		post_adj(nb, next);
	/* Full adjacencies are what router- and network-LSAs describe. */
	if (next == NSM_FULL || old == NSM_FULL)
		ospf_orig_schedule(o);
	/* A MaxAge LSA may have been waiting for this exchange to end (14). */
	if ((old == NSM_EXCHANGE || old == NSM_LOADING) && next != NSM_LOADING)
		ospf_lsdb_maxage_check(o);
	/* Bidirectional communication gained or lost is a NeighborChange (9.2). */
	if ((oi->type == OSPF_IFT_BROADCAST || oi->type == OSPF_IFT_NBMA) &&
	    (old >= NSM_2WAY) != (next >= NSM_2WAY))
		ospf_if_fsm(oi, ISM_EV_NBR_CHANGE);
	/* Entering Exchange may already have ended it; Loading sends requests. */
	if (next == NSM_LOADING)
		ospf_lsreq_send(nb);
}

struct ospf_nbr *
ospf_nbr_new(struct ospf_if *oi, uint32_t rid, uint32_t addr)
{
	struct ospf_nbr *nb = xcalloc(1, sizeof(*nb));
	struct actor *a = &oi->o->node->actor;

	nb->oi = oi;
	nb->rid = rid;
	nb->addr = addr;
	nb->state = NSM_DOWN;
	nb->since = ospf_now(oi->o);
	timer_init(&nb->inactivity, a, inactivity_fire, nb);
	timer_init(&nb->dd_rxmt, a, ospf_dd_rxmt_fire, nb);
	timer_init(&nb->lsr_rxmt, a, ospf_lsreq_rxmt_fire, nb);
	timer_init(&nb->rxmt_t, a, ospf_lsupd_rxmt_fire, nb);
	VEC_PUSH(oi->nbrs, oi->nnbrs, oi->nbrcap, nb);
	return nb;
}

void
ospf_nbr_free(struct ospf_nbr *nb)
{
	bfd_unregister(nb->bfd);
	clear_lists(nb);
	timer_cancel(&nb->inactivity);
	if (nb->busy)
		nb->oi->o->nbusy_nbrs--;
	free(nb->last_dd);
	free(nb);
}
