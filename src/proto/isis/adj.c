/*
 * adj.c: IS-IS adjacencies and the Designated IS.
 *
 * One state machine serves both kinds of circuit; the events say what an IIH
 * showed. On a LAN (ISO 10589 8.4.2) an adjacency is Initializing until the
 * neighbor's IIH lists our MAC, then Up. On a point-to-point circuit the
 * three-way handshake of RFC 5303 3.2 decides, its table read as rows of the
 * state received in TLV 240:
 *
 *                      our state: Down        Initializing   Up
 *     received Down               Initialize  Initialize     Initialize
 *     received Initializing       Up          Up             Up (accept)
 *     received Up                 Down (stay) Up             Up (accept)
 *
 * Any state goes Down when the hold timer expires or the adjacency is killed
 * (circuit down, a mismatch, another system on the circuit). A Down
 * adjacency is forgotten.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/fsm.h"
#include "../../lib/util.h"
#include "../../net/events.h"
#include "../bfd/bfd.h"
#include "isis.h"

const char *const isis_adj_state_names[] = {"Down", "Initializing", "Up"};

#define S(s) FSM_S(s)
#define ANY  (S(ISIS_ADJ_DOWN) | S(ISIS_ADJ_INIT) | S(ISIS_ADJ_UP))

static const struct fsm_row adj_table[] = {
    {ANY, ADJ_EV_HELLO_1WAY, NULL, ISIS_ADJ_INIT},
    {ANY, ADJ_EV_HELLO_2WAY, NULL, ISIS_ADJ_UP},
    {S(ISIS_ADJ_DOWN), ADJ_EV_UP_RCVD, NULL, FSM_SAME},
    {S(ISIS_ADJ_INIT) | S(ISIS_ADJ_UP), ADJ_EV_UP_RCVD, NULL, ISIS_ADJ_UP},
    {ANY, ADJ_EV_HOLD_EXPIRED, NULL, ISIS_ADJ_DOWN},
    {ANY, ADJ_EV_KILL, NULL, ISIS_ADJ_DOWN},
    {0},
};

static const char *const adj_event_names[] = {"1-way IIH", "2-way IIH", "three-way Up IIH",
                                              "hold time expired", "kill"};

static void
hold_fire(struct timer *t)
{
	struct isis_adj *a = t->arg;

	isis_adj_fsm(a, a->c->cfg.p2p ? 0 : a->levels, ADJ_EV_HOLD_EXPIRED);
}

struct isis_adj *
isis_adj_new(struct isis_circ *c, const uint8_t sysid[6], const uint8_t mac[6])
{
	struct isis_adj *a = xcalloc(1, sizeof(*a));

	a->c = c;
	memcpy(a->sysid, sysid, ISIS_SYSID_LEN);
	memcpy(a->mac, mac, 6);
	a->state = ISIS_ADJ_DOWN;
	a->last_change = isis_now(c->is);
	timer_init_new(&a->hold_t, &c->is->node->actor, hold_fire, a);
	return a;
}

void
isis_adj_free(struct isis_adj *a)
{
	bfd_unregister(a->bfd);
	timer_cancel(&a->hold_t);
	free(a);
}

/* The name a neighbor goes by: its dynamic hostname (RFC 5301) once its LSP is here. */
static const char *
adj_name(const struct isis_adj *a, char *buf, size_t n)
{
	const struct isis *is = a->c->is;

	for (int l = 0; l < ISIS_LEVELS; l++) {
		const struct isis_lspdb *db = &is->lv[l].db;
		uint8_t id[7];
		int k, cnt;

		memcpy(id, a->sysid, ISIS_SYSID_LEN);
		id[6] = 0;
		k = isis_lspdb_node(db, id, &cnt);
		if (cnt > 0 && isis_lspdb_at(db, k)->blob &&
		    isis_lspdb_at(db, k)->blob->info.hostname[0])
			return isis_lspdb_at(db, k)->blob->info.hostname;
	}
	return isis_sysid_str(a->sysid, buf, n);
}

static void
post(const struct isis_adj *a, enum isis_adj_state next)
{
	struct node *n = a->c->is->node;
	char b[32];

	ev_post(n->net, n,
	        &(struct net_ev){.kind = EV_ADJ_CHANGE,
	                         .ifindex = a->c->ifp->idx,
	                         .link = -1,
	                         .proto = "isis",
	                         .text = (char *)adj_name(a, b, sizeof(b)),
	                         .text2 = (char *)isis_adj_state_names[next]});
}

static void
forget(struct isis_adj *a, int level)
{
	struct isis_circ *c = a->c;

	if (c->p2p == a) {
		c->p2p = NULL;
	} else {
		struct isis_circ_level *lv = &c->lv[LV(level)];

		for (int i = 0; i < lv->nadj; i++)
			if (lv->adj[i] == a) {
				memmove(lv->adj + i, lv->adj + i + 1,
				        (size_t)(lv->nadj - i - 1) * sizeof(*lv->adj));
				lv->nadj--;
				break;
			}
	}
	isis_adj_free(a);
}

/* BFD declared the path down: the adjacency goes (and is forgotten), as on hold time expiry. */
static void
bfd_down(void *arg, bool up)
{
	struct isis_adj *a = arg;

	if (!up)
		isis_adj_fsm(a, a->c->cfg.p2p ? 0 : a->levels, ADJ_EV_KILL);
}

/* An adjacency is watched by BFD while Up, to the address its IIHs announce (TLV 132). */
static void
bfd_follow(struct isis_adj *a)
{
	bool want = a->state == ISIS_ADJ_UP && a->c->cfg.bfd && a->addr != 0;

	if (want && a->bfd == NULL)
		a->bfd = bfd_register(a->c->is->node, a->addr, a->c->ifp->addr, a->c->ifp, bfd_down, a);
	else if (!want && a->bfd != NULL) {
		bfd_unregister(a->bfd);
		a->bfd = NULL;
	}
}

/* level: the LAN adjacency's level; 0 for point-to-point. */
void
isis_adj_fsm(struct isis_adj *a, int level, enum isis_adj_event ev)
{
	const struct fsm_row *row = fsm_lookup(adj_table, a->state, ev);
	struct isis_circ *c = a->c;
	struct isis *is = c->is;
	enum isis_adj_state old = a->state, next;
	uint8_t levels = a->levels;
	char b[32];

	if (row == NULL)
		return;
	next = (enum isis_adj_state)fsm_next(row, old, a);
	if (next == old) {
		if (next == ISIS_ADJ_DOWN && (ev == ADJ_EV_KILL || ev == ADJ_EV_HOLD_EXPIRED))
			forget(a, level);
		return;
	}
	isis_trace(is, "%s: adjacency %s%s%s: %s -> %s (%s)", c->ifp->name,
	           isis_sysid_str(a->sysid, b, sizeof(b)), level ? " L" : "",
	           level == ISIS_LEVEL1 ? "1" : level == ISIS_LEVEL2 ? "2" : "",
	           isis_adj_state_names[old], isis_adj_state_names[next], adj_event_names[ev]);
	a->state = next;
	a->last_change = isis_now(is);
	a->nchanges++;
	bfd_follow(a);
	if ((old == ISIS_ADJ_UP || next == ISIS_ADJ_UP) && is->running)
		post(a, next);
	if (next == ISIS_ADJ_UP)
		a->up_since = isis_now(is);
	if (next == ISIS_ADJ_DOWN)
		forget(a, level);
	else if (old == ISIS_ADJ_DOWN || next == ISIS_ADJ_UP || old == ISIS_ADJ_UP)
		isis_hello_trigger(c); /* the neighbor learns what we now see */
	if (old != ISIS_ADJ_UP && next != ISIS_ADJ_UP)
		return;
	/* The adjacency's levels gain or lose a neighbor: LSPs, DIS, synchronisation. */
	for (int l = ISIS_LEVEL1; l <= ISIS_LEVEL2; l++) {
		if (!(levels & l))
			continue;
		if (!c->cfg.p2p)
			isis_dis_elect(c, l);
		if (next == ISIS_ADJ_UP) {
			if (c->cfg.p2p)
				isis_flood_adj_up(c, l);
			else if (c->lv[LV(l)].is_dis)
				isis_csnp_schedule(c, l, 0);
		}
		isis_gen_schedule(is, l);
		/* Next hops come from the adjacencies: the routes need not wait for our new LSP. */
		isis_spf_schedule(is, l);
	}
}

/*
 * ISO 10589 8.4.5: the DIS of a LAN at a level is the IS with the highest
 * priority, then the highest SNPA, among itself and the neighbors whose
 * adjacencies are Up. With no neighbor Up there is none (no pseudonode for a
 * LAN that reaches nobody). The LAN ID is then the DIS's system ID and the
 * pseudonode ID it chose, as its IIHs announce.
 */
void
isis_dis_elect(struct isis_circ *c, int level)
{
	struct isis_circ_level *lv = &c->lv[LV(level)];
	const struct isis_adj *best = NULL;
	uint8_t lan_id[7];
	bool was = lv->is_dis, me = false;

	for (int i = 0; i < lv->nadj; i++) {
		const struct isis_adj *a = lv->adj[i];

		if (a->state != ISIS_ADJ_UP)
			continue;
		if (best == NULL || a->priority > best->priority ||
		    (a->priority == best->priority && memcmp(a->mac, best->mac, 6) > 0))
			best = a;
	}
	if (best == NULL || c->cfg.priority > best->priority ||
	    (c->cfg.priority == best->priority && memcmp(c->ifp->mac, best->mac, 6) > 0))
		me = best != NULL;
	memcpy(lan_id, c->is->cfg.sysid, ISIS_SYSID_LEN);
	lan_id[6] = c->circ_id;
	if (best != NULL && !me)
		memcpy(lan_id, best->lan_id, 7);
	lv->is_dis = me;
	if (was == me && memcmp(lan_id, lv->lan_id, 7) == 0)
		return;
	isis_trace(c->is, "%s: L%d DIS %s", c->ifp->name, level,
	           me ? "is this router" : best ? "elected" : "none");
	memcpy(lv->lan_id, lan_id, 7);
	if (me != was) {
		/* The DIS sends Hellos more often (8.4.4) and CSNPs (7.3.15.5). */
		timer_set(&lv->hello_t, 1 * SIM_MS);
		if (me)
			isis_csnp_schedule(c, level, 0);
		else {
			timer_cancel(&lv->csnp_t);
			lv->csnp_due = false;
		}
	}
	isis_hello_trigger(c);
	isis_gen_schedule(c->is, level);
}
