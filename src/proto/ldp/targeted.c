/*
 * targeted.c: Extended Discovery (RFC 5036 2.4.2): Hellos sent unicast over
 * UDP 646 to an LSR that need not be on a common link (`targeted: [ADDR]`),
 * carrying the T bit (targeted) and the R bit (send targeted Hellos back),
 * every 15 s with a hold time of 45 s (FRR's defaults; 3.5.2's default for
 * targeted Hellos). A targeted Hello from a listed peer makes an adjacency;
 * one from another LSR does too when `targeted_accept` is on and it asked
 * with R, and we then answer with targeted Hellos of our own for as long as
 * the adjacency lives (FRR's `discovery targeted-hello accept`). The session
 * is an ordinary one (session.c) between the two transport addresses,
 * several hops apart, so RFC 6720's TTL check is not applied to it.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/cfg.h"
#include "../../lib/util.h"
#include "../../net/ip4.h"
#include "../../net/udp.h"
#include "ldp.h"

int
ldp_targeted_config(struct ldp *l, const struct cfg *blk)
{
	const struct cfg *v = cfg_get(blk, "targeted");
	bool ok = cfg_opt_bool(blk, "targeted_accept", &l->cfg.targeted_accept);

	if (v == NULL)
		return ok ? 0 : -1;
	if (!cfg_is_seq(v, "targeted"))
		return -1;
	free(l->cfg.targets);
	l->cfg.targets = xcalloc(v->n + 1, sizeof(*l->cfg.targets));
	l->cfg.ntargets = 0;
	for (size_t i = 0; i < v->n; i++) {
		uint32_t a;

		if (!cfg_ip(v->v[i], "targeted", &a)) {
			ok = false;
			continue;
		}
		if (ip_not_unicast(a) != NULL) {
			ok = cfg_error(v->v[i], "ldp: targeted peer %s is %s", ip_str(a), ip_not_unicast(a));
			continue;
		}
		for (size_t k = 0; k < l->cfg.ntargets; k++)
			if (l->cfg.targets[k] == a)
				ok = cfg_error(v->v[i], "ldp: targeted peer %s is listed twice", ip_str(a));
		l->cfg.targets[l->cfg.ntargets++] = a;
	}
	return ok ? 0 : -1;
}

static struct ldp_target *
target_find(const struct ldp *l, uint32_t addr)
{
	for (size_t i = 0; i < l->ntarget; i++)
		if (l->targets[i]->addr == addr)
			return l->targets[i];
	return NULL;
}

static void
target_send(struct ldp_target *t)
{
	struct ldp *l = t->l;
	struct iface *oif;
	uint32_t gw;

	/* No route to the peer yet (the IGP is converging): a RIB change or the next Hello tries again. */
	if (!ip4_route(l->node, l->transport, t->addr, &oif, &gw))
		return;
	t->hello_tx++;
	udp_send(l->node, ldp_hello_pdu(l, LDP_THOLD_DFLT, true), LDP_PORT, LDP_PORT,
	    &(struct ip4_out){.src = l->transport, .dst = t->addr, .tos = 0xc0});
}

static void
target_fire(struct timer *tm)
{
	struct ldp_target *t = tm->arg;

	target_send(t);
	timer_set(&t->hello_t, LDP_THELLO_DFLT);
}

static struct ldp_target *
target_add(struct ldp *l, uint32_t addr, bool configured)
{
	struct ldp_target *t = xcalloc(1, sizeof(*t));

	t->l = l;
	t->addr = addr;
	t->configured = configured;
	timer_init_new(&t->hello_t, &l->node->actor, target_fire, t);
	VEC_PUSH(l->targets, l->ntarget, l->targetcap, t);
	/* The first Hello soon, spread over 10 ms as the links' are. */
	timer_set(&t->hello_t, (sim_time)rng_below(&l->node->rng, 10000) * SIM_US);
	return t;
}

static void
target_remove(struct ldp *l, struct ldp_target *t)
{
	size_t k = 0;

	timer_cancel(&t->hello_t);
	for (size_t i = 0; i < l->ntarget; i++)
		if (l->targets[i] != t)
			l->targets[k++] = l->targets[i];
	l->ntarget = k;
	free(t);
}

void
ldp_targeted_start(struct ldp *l)
{
	for (size_t i = 0; i < l->cfg.ntargets; i++)
		if (target_find(l, l->cfg.targets[i]) == NULL)
			target_add(l, l->cfg.targets[i], true);
}

void
ldp_targeted_stop(struct ldp *l)
{
	while (l->ntarget > 0)
		target_remove(l, l->targets[l->ntarget - 1]);
	free(l->targets);
	l->targets = NULL;
	l->targetcap = 0;
}

bool
ldp_targeted_input(struct ldp *l, uint32_t src, uint32_t lsr_id, const struct ldp_hello *h,
    uint32_t transport)
{
	struct ldp_target *t = target_find(l, src);

	if (t == NULL) {
		if (!l->cfg.targeted_accept || !h->req_targeted) {
			ldp_trace(l, "targeted Hello from %s ignored (not a targeted peer)", ip_str(src));
			return false;
		}
		t = target_add(l, src, false);
		ldp_trace(l, "targeted Hello from %s accepted: answering it", ip_str(src));
	}
	ldp_adj_hello(l, NULL, src, lsr_id, h, transport, LDP_THOLD_DFLT);
	return true;
}

void
ldp_target_hello(struct ldp *l, uint32_t addr)
{
	struct ldp_target *t = target_find(l, addr);

	if (t != NULL)
		target_send(t);
}

void
ldp_targeted_kick(struct ldp *l)
{
	for (size_t i = 0; i < l->ntarget; i++)
		if (l->targets[i]->hello_tx == 0)
			target_send(l->targets[i]);
}

void
ldp_target_adj_gone(struct ldp *l, uint32_t src)
{
	struct ldp_target *t = target_find(l, src);

	if (t != NULL && !t->configured)
		target_remove(l, t);
}
