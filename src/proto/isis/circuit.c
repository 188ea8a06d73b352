/*
 * circuit.c: IS-IS circuits and their Hellos (ISO 10589 8.2 point-to-point,
 * 8.4 broadcast; RFC 5303 three-way point-to-point Hellos).
 *
 * A broadcast circuit sends one LAN IIH per level it runs, to AllL1ISs or
 * AllL2ISs, listing the SNPAs (MACs) of the neighbors it has heard (TLV 6):
 * a neighbor that lists ours sees two-way connectivity. A point-to-point
 * circuit sends one IIH for both levels, with the three-way adjacency TLV.
 * IIHs are padded to the interface's MTU (8.2.3, 8.4.1) unless the circuit
 * says `padding: false`, so that an MTU mismatch stops an adjacency, as it
 * does between real routers.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/rng.h"
#include "../../lib/util.h"
#include "isis.h"

#define TRIGGERED_HELLO (1 * SIM_MS)

uint16_t
isis_circ_hold(const struct isis_circ *c, int level)
{
	sim_time iv = c->cfg.hello;
	sim_time hold;

	/* ISO 10589 8.4.4: the DIS sends Hellos three times as often, with a shorter hold time. */
	if (level > 0 && !c->cfg.p2p && c->lv[LV(level)].is_dis)
		iv /= 3;
	hold = iv * c->cfg.hold_mult;
	if (hold < SIM_S)
		hold = SIM_S;
	return (uint16_t)((hold + SIM_S - 1) / SIM_S);
}

static sim_time
hello_interval(const struct isis_circ *c, int level)
{
	sim_time iv = c->cfg.hello;

	if (level > 0 && !c->cfg.p2p && c->lv[LV(level)].is_dis)
		iv /= 3;
	return isis_jitter(c->is, iv);
}

/* The TLVs every IIH carries: areas, protocols, addresses (RFC 1195 5.1). */
static void
common_tlvs(const struct isis_circ *c, struct isis_pdu *pdu)
{
	const struct isis *is = c->is;
	const struct isis_key *k = isis_iih_key(c);

	isis_auth_tlv(pdu, k);
	for (int i = 0; i < is->cfg.nareas; i++)
		isis_add_area(pdu, &is->cfg.areas[i]);
	isis_add_nlpid(pdu, ISIS_NLPID_IPV4);
	isis_add_addr(pdu, c->ifp->addr);
}

static void
send_iih(struct isis_circ *c, struct isis_pdu *pdu, const uint8_t *dst)
{
	const struct isis_key *k = isis_iih_key(c);
	size_t max = c->ifp->mtu > 3 ? (size_t)c->ifp->mtu - 3 : 0;
	uint8_t *buf;
	size_t len;

	if (c->cfg.padding && max > pdu->len + 1)
		isis_add_padding(pdu, max - pdu->len);
	buf = xmalloc(pdu->len);
	len = isis_pdu_encode(pdu, buf, pdu->len, k->key, k->len);
	isis_send(c, dst, buf, len, PKT_PERIODIC);
	free(buf);
	isis_pdu_free(pdu);
	c->st.iih_out++;
	c->is->st.hello_tx++;
}

static void
send_lan_iih(struct isis_circ *c, int level)
{
	struct isis_circ_level *lv = &c->lv[LV(level)];
	struct isis_pdu pdu;

	isis_pdu_init(&pdu, level == ISIS_LEVEL1 ? ISIS_L1_LAN_IIH : ISIS_L2_LAN_IIH);
	pdu.circuit_type = c->levels;
	memcpy(pdu.source, c->is->cfg.sysid, ISIS_SYSID_LEN);
	pdu.hold = isis_circ_hold(c, level);
	pdu.priority = c->cfg.priority;
	memcpy(pdu.lan_id, lv->lan_id, 7);
	common_tlvs(c, &pdu);
	/* ISO 10589 8.4.2.3: every neighbor whose IIH we hold, Initializing or Up. */
	for (int i = 0; i < lv->nadj; i++)
		isis_add_lan_nbr(&pdu, lv->adj[i]->mac);
	send_iih(c, &pdu, isis_level_mac(level, false));
}

static void
send_p2p_iih(struct isis_circ *c)
{
	struct isis_pdu pdu;
	struct isis_p2p_adj tw = {.len = 5, .state = ISIS_P2P_DOWN, .ext_circuit = c->ifp->idx + 1u};
	const struct isis_adj *a = c->p2p;

	isis_pdu_init(&pdu, ISIS_P2P_IIH);
	pdu.circuit_type = c->levels;
	memcpy(pdu.source, c->is->cfg.sysid, ISIS_SYSID_LEN);
	pdu.hold = isis_circ_hold(c, 0);
	pdu.local_circuit = c->circ_id;
	common_tlvs(c, &pdu);
	/* RFC 5303 3.1: our state, and the neighbor we have heard. */
	if (a != NULL) {
		tw.len = 15;
		tw.state = a->state == ISIS_ADJ_UP     ? ISIS_P2P_UP
		           : a->state == ISIS_ADJ_INIT ? ISIS_P2P_INIT
		                                       : ISIS_P2P_DOWN;
		memcpy(tw.nbr_sysid, a->sysid, ISIS_SYSID_LEN);
		tw.nbr_ext_circuit = a->ext_circuit;
	}
	isis_add_p2p_adj(&pdu, &tw);
	send_iih(c, &pdu, isis_level_mac(0, true));
}

static void
lan_hello_fire(struct timer *t)
{
	struct isis_circ *c = t->arg;
	int level = t == &c->lv[0].hello_t ? ISIS_LEVEL1 : ISIS_LEVEL2;

	send_lan_iih(c, level);
	timer_set(t, hello_interval(c, level));
}

static void
p2p_hello_fire(struct timer *t)
{
	struct isis_circ *c = t->arg;

	send_p2p_iih(c);
	timer_set(t, hello_interval(c, 0));
}

/* Something the neighbors should hear soon changed (a new neighbor, a state, the DIS). */
void
isis_hello_trigger(struct isis_circ *c)
{
	struct timer *ts[3] = {&c->p2p_hello_t, &c->lv[0].hello_t, &c->lv[1].hello_t};

	for (int i = 0; i < 3; i++)
		if (timer_pending(ts[i]) && timer_remaining(ts[i]) > TRIGGERED_HELLO)
			timer_set(ts[i], TRIGGERED_HELLO);
}

int
isis_circ_lan(const struct isis_circ *c)
{
	return !c->cfg.p2p && !c->cfg.passive;
}

struct isis_circ *
isis_circ_new(struct isis *is, struct iface *ifp)
{
	struct isis_circ *c = xcalloc(1, sizeof(*c));
	struct actor *a = &is->node->actor;

	c->is = is;
	c->ifp = ifp;
	c->cfg = is->cfg_if[ifp->idx];
	c->levels = (c->cfg.level ? c->cfg.level : is->cfg.level) & is->cfg.level;
	c->metric = c->cfg.metric;
	c->idx = (uint32_t)is->ncircs;
	c->circ_id = (uint8_t)(is->ncircs % 255 + 1);
	timer_init_new(&c->p2p_hello_t, a, p2p_hello_fire, c);
	timer_init_new(&c->flood_t, a, isis_flood_fire, c);
	timer_init_new(&c->rxmt_t, a, isis_rxmt_fire, c);
	for (int l = 0; l < ISIS_LEVELS; l++) {
		timer_init_new(&c->lv[l].hello_t, a, lan_hello_fire, c);
		timer_init_new(&c->lv[l].csnp_t, a, isis_csnp_fire, c);
		timer_init_new(&c->lv[l].psnp_t, a, isis_psnp_fire, c);
	}
	is->circs = xrealloc(is->circs, (size_t)(is->ncircs + 1) * sizeof(*is->circs));
	is->circs[is->ncircs++] = c;
	if (ifp->idx >= is->ncirc_at) {
		is->circ_at = xrealloc(is->circ_at, (size_t)(ifp->idx + 1) * sizeof(*is->circ_at));
		memset(is->circ_at + is->ncirc_at, 0,
		       (size_t)(ifp->idx + 1 - is->ncirc_at) * sizeof(*is->circ_at));
		is->ncirc_at = ifp->idx + 1;
	}
	is->circ_at[ifp->idx] = c;
	return c;
}

void
isis_circ_up(struct isis_circ *c)
{
	const uint8_t *sysid = c->is->cfg.sysid;

	if (c->up)
		return;
	c->up = true;
	if (c->cfg.passive)
		return;
	if (c->cfg.p2p) {
		/* The first IIH at a random instant of ISIS_HELLO_START, as routers start apart. */
		timer_set(&c->p2p_hello_t, (sim_time)rng_below(&c->is->node->rng, ISIS_HELLO_START));
		return;
	}
	for (int l = ISIS_LEVEL1; l <= ISIS_LEVEL2; l++) {
		struct isis_circ_level *lv = &c->lv[LV(l)];

		if (!(c->levels & l))
			continue;
		memcpy(lv->lan_id, sysid, ISIS_SYSID_LEN);
		lv->lan_id[6] = c->circ_id;
		lv->is_dis = false;
		timer_set(&lv->hello_t, (sim_time)rng_below(&c->is->node->rng, ISIS_HELLO_START));
	}
}

static void
kill_all(struct isis_circ *c)
{
	if (c->p2p)
		isis_adj_fsm(c->p2p, 0, ADJ_EV_KILL);
	for (int l = 0; l < ISIS_LEVELS; l++)
		while (c->lv[l].nadj > 0)
			isis_adj_fsm(c->lv[l].adj[c->lv[l].nadj - 1], l + 1, ADJ_EV_KILL);
}

void
isis_circ_down(struct isis_circ *c)
{
	if (!c->up)
		return;
	kill_all(c);
	c->up = false;
	timer_cancel(&c->p2p_hello_t);
	for (int l = 0; l < ISIS_LEVELS; l++) {
		struct isis_circ_level *lv = &c->lv[l];

		timer_cancel(&lv->hello_t);
		timer_cancel(&lv->csnp_t);
		timer_cancel(&lv->psnp_t);
		lv->csnp_due = false;
		lv->is_dis = false;
		lv->nreq = 0;
	}
	isis_flood_circ_down(c);
}

void
isis_circ_free(struct isis_circ *c)
{
	isis_circ_down(c);
	for (int l = 0; l < ISIS_LEVELS; l++) {
		free(c->lv[l].adj);
		free(c->lv[l].req);
		free(c->lv[l].ack);
	}
	free(c->fq);
	free(c->rx);
	free(c);
}

struct isis_adj *
isis_circ_adj(const struct isis_circ *c, int level, const uint8_t sysid[6])
{
	if (c->cfg.p2p) {
		const struct isis_adj *a = c->p2p;

		if (a && a->state == ISIS_ADJ_UP && (a->levels & level) &&
		    memcmp(a->sysid, sysid, ISIS_SYSID_LEN) == 0)
			return c->p2p;
		return NULL;
	}
	for (int i = 0; i < c->lv[LV(level)].nadj; i++) {
		struct isis_adj *a = c->lv[LV(level)].adj[i];

		if (a->state == ISIS_ADJ_UP && memcmp(a->sysid, sysid, ISIS_SYSID_LEN) == 0)
			return a;
	}
	return NULL;
}

bool
isis_circ_has_up(const struct isis_circ *c, int level)
{
	if (c->cfg.p2p)
		return c->p2p && c->p2p->state == ISIS_ADJ_UP && (c->p2p->levels & level);
	for (int i = 0; i < c->lv[LV(level)].nadj; i++)
		if (c->lv[LV(level)].adj[i]->state == ISIS_ADJ_UP)
			return true;
	return false;
}

/* The neighbor's address on our subnet (TLV 132), else its first one. */
static uint32_t
nbr_addr(const struct isis_circ *c, const struct isis_pdu *pdu)
{
	struct prefix p = iface_prefix(c->ifp);

	for (int i = 0; i < pdu->naddrs; i++)
		if (prefix_contains(&p, pdu->addrs[i]))
			return pdu->addrs[i];
	return pdu->naddrs ? pdu->addrs[0] : 0;
}

static void
adj_refresh(struct isis_adj *a, const struct isis_pdu *pdu, const uint8_t mac[6])
{
	memcpy(a->mac, mac, 6);
	a->circuit_type = pdu->circuit_type;
	a->hold = pdu->hold;
	a->addr = nbr_addr(a->c, pdu);
	a->nareas = pdu->nareas < ISIS_MAX_AREAS ? pdu->nareas : ISIS_MAX_AREAS;
	if (a->nareas > 0)
		memcpy(a->areas, pdu->areas, (size_t)a->nareas * sizeof(*a->areas));
	timer_set(&a->hold_t, (sim_time)pdu->hold * SIM_S);
}

static bool
lists_us(const struct isis_circ *c, const struct isis_pdu *pdu)
{
	for (int i = 0; i < pdu->nlan_nbrs; i++)
		if (memcmp(pdu->lan_nbrs[i], c->ifp->mac, 6) == 0)
			return true;
	return false;
}

static struct isis_adj *
lan_find(struct isis_circ_level *lv, const uint8_t sysid[6])
{
	for (int i = 0; i < lv->nadj; i++)
		if (memcmp(lv->adj[i]->sysid, sysid, ISIS_SYSID_LEN) == 0)
			return lv->adj[i];
	return NULL;
}

/* ISO 10589 8.4.2: a LAN IIH of one level. */
static void
lan_iih(struct isis_circ *c, const struct isis_pdu *pdu, const uint8_t mac[6])
{
	int level = pdu->type == ISIS_L1_LAN_IIH ? ISIS_LEVEL1 : ISIS_LEVEL2;
	struct isis_circ_level *lv = &c->lv[LV(level)];
	struct isis_adj *a = lan_find(lv, pdu->source);
	bool fresh = a == NULL, dis_input;

	if (!(c->levels & level)) {
		c->st.rejected++;
		return;
	}
	/* 8.4.2.2: a level 1 neighbor is in one of our areas. */
	if (level == ISIS_LEVEL1 && !isis_area_match(c->is, pdu->areas, pdu->nareas)) {
		c->st.rejected++;
		isis_trace(c->is, "%s: L1 IIH from %s: area mismatch", c->ifp->name,
		           mac_str(mac));
		if (a)
			isis_adj_fsm(a, level, ADJ_EV_KILL);
		return;
	}
	if (a == NULL) {
		a = isis_adj_new(c, pdu->source, mac);
		a->levels = (uint8_t)level;
		lv->adj = xrealloc(lv->adj, (size_t)(lv->nadj + 1) * sizeof(*lv->adj));
		lv->adj[lv->nadj++] = a;
	}
	dis_input = fresh || a->priority != pdu->priority || memcmp(a->lan_id, pdu->lan_id, 7) != 0;
	a->priority = pdu->priority;
	memcpy(a->lan_id, pdu->lan_id, 7);
	adj_refresh(a, pdu, mac);
	isis_adj_fsm(a, level, lists_us(c, pdu) ? ADJ_EV_HELLO_2WAY : ADJ_EV_HELLO_1WAY);
	if (fresh)
		isis_hello_trigger(c);
	if (dis_input)
		isis_dis_elect(c, level);
}

/* ISO 10589 8.2.5: the levels a point-to-point adjacency carries. */
static uint8_t
p2p_levels(const struct isis_circ *c, const struct isis_pdu *pdu)
{
	uint8_t lv = c->levels & pdu->circuit_type;

	if ((lv & ISIS_LEVEL1) && !isis_area_match(c->is, pdu->areas, pdu->nareas))
		lv &= (uint8_t)~ISIS_LEVEL1;
	return lv;
}

/* RFC 5303 3.2: what the neighbor's three-way state means for ours. */
static enum isis_adj_event
p2p_event(const struct isis_circ *c, const struct isis_pdu *pdu)
{
	const struct isis_p2p_adj *tw = &pdu->p2p_adj;

	if (!pdu->has_p2p_adj)
		return ADJ_EV_HELLO_2WAY; /* a router without RFC 5303: two-way as ISO 10589 8.2.4 */
	/* It names another system or circuit: as if it had not heard us. */
	if (tw->len >= 11 && memcmp(tw->nbr_sysid, c->is->cfg.sysid, ISIS_SYSID_LEN) != 0)
		return ADJ_EV_HELLO_1WAY;
	if (tw->len >= 15 && tw->nbr_ext_circuit != c->ifp->idx + 1u)
		return ADJ_EV_HELLO_1WAY;
	switch (tw->state) {
	case ISIS_P2P_INIT:
		return ADJ_EV_HELLO_2WAY;
	case ISIS_P2P_UP:
		return ADJ_EV_UP_RCVD;
	default:
		return ADJ_EV_HELLO_1WAY;
	}
}

static void
p2p_iih(struct isis_circ *c, const struct isis_pdu *pdu, const uint8_t mac[6])
{
	struct isis_adj *a = c->p2p;
	uint8_t levels = p2p_levels(c, pdu);
	bool fresh;

	if (a && memcmp(a->sysid, pdu->source, ISIS_SYSID_LEN) != 0) {
		isis_adj_fsm(a, 0, ADJ_EV_KILL); /* another system on the circuit now */
		a = NULL;
	}
	if (levels == 0) {
		c->st.rejected++;
		isis_trace(c->is, "%s: P2P IIH from %s: no common level (circuit types, areas)",
		           c->ifp->name, mac_str(mac));
		if (a)
			isis_adj_fsm(a, 0, ADJ_EV_KILL);
		return;
	}
	if ((fresh = a == NULL))
		a = c->p2p = isis_adj_new(c, pdu->source, mac);
	if (a->levels != levels && a->state == ISIS_ADJ_UP) {
		isis_adj_fsm(a, 0, ADJ_EV_KILL); /* re-form with the new levels */
		a = c->p2p = isis_adj_new(c, pdu->source, mac);
		fresh = true;
	}
	a->levels = levels;
	a->ext_circuit = pdu->has_p2p_adj && pdu->p2p_adj.len >= 5 ? pdu->p2p_adj.ext_circuit
	                                                         : pdu->local_circuit;
	adj_refresh(a, pdu, mac);
	isis_adj_fsm(a, 0, p2p_event(c, pdu));
	if (fresh)
		isis_hello_trigger(c);
}

void
isis_iih_input(struct isis_circ *c, const struct isis_pdu *pdu, const uint8_t src[6])
{
	/* ISO 10589 8.4.2.1 / 8.2.4: maximumAreaAddresses must agree (0 means 3). */
	if (pdu->max_areas != 0 && pdu->max_areas != ISIS_MAX_AREAS) {
		c->st.rejected++;
		isis_trace(c->is, "%s: IIH from %s: maximum area addresses %u, ours %d",
		           c->ifp->name, mac_str(src), pdu->max_areas, ISIS_MAX_AREAS);
		return;
	}
	if (memcmp(pdu->source, c->is->cfg.sysid, ISIS_SYSID_LEN) == 0) {
		c->st.rejected++;
		isis_trace(c->is, "%s: IIH from %s carries our own system ID", c->ifp->name,
		           mac_str(src));
		return;
	}
	if ((pdu->type == ISIS_P2P_IIH) != c->cfg.p2p) {
		c->st.rejected++;
		isis_trace(c->is, "%s: %s on a %s circuit", c->ifp->name,
		           isis_pdu_type_name(pdu->type), c->cfg.p2p ? "point-to-point" : "broadcast");
		return;
	}
	if (pdu->type == ISIS_P2P_IIH)
		p2p_iih(c, pdu, src);
	else
		lan_iih(c, pdu, src);
}
