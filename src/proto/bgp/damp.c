/*
 * damp.c: BGP route flap damping (RFC 2439), as FRR has it (bgpd/bgp_damp.c).
 *
 * Only routes learned over eBGP are damped (FRR's rule, and RFC 2439 4.3's
 * advice). Each flapping path has a penalty that decays exponentially with
 * the half-life (4.2): a withdrawal adds 1000 and leaves the path in the
 * table as "history" (`h` in `show bgp`: not a candidate, kept to remember the
 * penalty); an announcement with other attributes adds 500; an announcement
 * after a withdrawal adds nothing. Above the suppress threshold the path is
 * damped (`d`): kept, but not a candidate for the decision, until the
 * penalty decays below the reuse threshold, or the maximum suppress time has
 * passed. The penalty never exceeds the level from which it would take the
 * maximum suppress time to decay to the reuse threshold (4.2: reuse x
 * 2^(max_suppress / half_life)). A path that is not damped forgets its
 * history once the penalty is below half the reuse threshold (FRR's rule),
 * and a history path is removed then.
 *
 * The damping state lives beside the table, by path number (bgp->damp), so
 * that a table without flaps pays nothing. A timer every five seconds (FRR
 * checks its reuse lists at the same granularity) decays the penalties,
 * releases damped paths and forgets old ones; it runs only while there is
 * damping state. Penalties are computed in double precision from simulated
 * time only: the same on every run and thread.
 */
#include <math.h>
#include <stdlib.h>

#include "../../lib/util.h"
#include "bgp.h"

#define DAMP_WITHDRAW   1000.0 /* RFC 2439 4.2's figure of merit for a withdrawal, FRR's DEFAULT_PENALTY */
#define DAMP_ATTR       500.0  /* an attribute change: half of it (FRR) */
#define DAMP_TICK       (5 * SIM_S)

struct bgp_damp_info {
	double penalty;  /* at t */
	sim_time t;      /* when the penalty was last decayed */
	sim_time start;  /* the first flap remembered (show: Duration) */
	sim_time since;  /* damped since (the maximum suppress time) */
	uint32_t flaps;
	uint32_t dest;   /* the path's destination (number) */
	bool damped;
};

double
bgp_damp_ceiling(const struct bgp_damp_cfg *c)
{
	return c->reuse * exp2((double)c->max_suppress / c->half_life);
}

/* The penalty decayed to now. */
static void
decay(const struct bgp *b, struct bgp_damp_info *d)
{
	sim_time now = node_now(b->node);
	double half = (double)b->cfg.damp.half_life * 60 * SIM_S;

	if (now > d->t)
		d->penalty *= exp2(-(double)(now - d->t) / half);
	d->t = now;
}

static bool
applies(const struct bgp *b, const struct bgp_path *p)
{
	const struct bgp_peer *peer = bgp_path_peer(b, p);

	return b->cfg.damp.on && peer != NULL && peer->ebgp && p->kind == BGP_KIND_PEER;
}

static void
tick_arm(struct bgp *b)
{
	if (!timer_pending(&b->damp_t))
		timer_set(&b->damp_t, DAMP_TICK);
}

/* Add pen to path id's penalty (creating its state); damp it above the threshold. */
static struct bgp_damp_info *
penalise(struct bgp *b, struct bgp_path *p, uint32_t id, uint32_t dest, double pen)
{
	const struct bgp_damp_cfg *c = &b->cfg.damp;
	struct bgp_damp_info *d = hmap_get(&b->damp, id);

	if (d == NULL) {
		d = xcalloc(1, sizeof(*d));
		d->t = d->start = node_now(b->node);
		d->dest = dest;
		hmap_put(&b->damp, id, d);
	}
	decay(b, d);
	d->penalty = MIN(d->penalty + pen, bgp_damp_ceiling(c));
	if (pen > 0)
		d->flaps++;
	if (!d->damped && d->penalty >= c->suppress) {
		d->damped = true;
		d->since = node_now(b->node);
	} else if (d->damped && d->penalty < c->reuse) {
		d->damped = false;
	}
	p->flags = (uint8_t)((p->flags & ~BGP_PATH_DAMPED) | (d->damped ? BGP_PATH_DAMPED : 0));
	tick_arm(b);
	return d;
}

bool
bgp_damp_withdraw(struct bgp *b, struct bgp_path *p, uint32_t id, uint32_t dest)
{
	if (!applies(b, p))
		return false;
	penalise(b, p, id, dest, DAMP_WITHDRAW);
	p->flags |= BGP_PATH_HISTORY;
	return true;
}

void
bgp_damp_update(struct bgp *b, struct bgp_path *p, uint32_t id, uint32_t dest, bool was_history)
{
	if (!applies(b, p))
		return;
	/* An announcement after a withdrawal costs nothing more; new attributes cost half. */
	if (was_history)
		penalise(b, p, id, dest, 0);
	else
		penalise(b, p, id, dest, DAMP_ATTR);
}

void
bgp_damp_forget(struct bgp *b, uint32_t id)
{
	struct bgp_damp_info *d = b->damp.n > 0 ? hmap_del(&b->damp, id) : NULL;

	free(d);
}

static int
id_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Every DAMP_TICK: decay, release, forget (in path-number order: deterministic). */
static void
tick(struct timer *t)
{
	struct bgp *b = t->arg;
	const struct bgp_damp_cfg *c = &b->cfg.damp;
	uint64_t *ids = xmalloc((b->damp.n > 0 ? b->damp.n : 1) * sizeof(*ids)), k;
	size_t n = 0;
	void *v;

	for (size_t i = 0; hmap_next(&b->damp, &i, &k, &v);)
		ids[n++] = k;
	qsort(ids, n, sizeof(*ids), id_cmp);
	for (size_t i = 0; i < n; i++) {
		struct bgp_damp_info *d = hmap_get(&b->damp, ids[i]);
		struct bgp_path *p = bgp_path_at(b, (uint32_t)ids[i] + 1);
		sim_time now = node_now(b->node);

		decay(b, d);
		if (d->damped && (d->penalty < c->reuse ||
		                  now - d->since >= (sim_time)c->max_suppress * 60 * SIM_S)) {
			d->damped = false;
			p->flags &= (uint8_t)~BGP_PATH_DAMPED;
			bgp_trace(b, "%s: damping released",
			    prefix_str(&((const struct bgp_dest *)slab_at(&b->dest_slab, d->dest))->pfx));
			bgp_dest_requeue(b, d->dest);
		}
		if (!d->damped && d->penalty < c->reuse / 2.0) {
			uint32_t dest = d->dest;

			hmap_del(&b->damp, ids[i]);
			free(d);
			if (p->flags & BGP_PATH_HISTORY)
				bgp_path_drop(b, dest, p);
		}
	}
	free(ids);
	if (b->damp.n > 0)
		timer_set(&b->damp_t, DAMP_TICK);
}

void
bgp_damp_init(struct bgp *b)
{
	hmap_init(&b->damp);
	timer_init_new(&b->damp_t, &b->node->actor, tick, b);
}

void
bgp_damp_flush(struct bgp *b)
{
	uint64_t k;
	void *v;

	timer_cancel(&b->damp_t);
	for (size_t i = 0; hmap_next(&b->damp, &i, &k, &v);)
		free(v);
	hmap_free(&b->damp);
	hmap_init(&b->damp);
}

bool
bgp_damp_state(const struct bgp *b, const struct bgp_path *p, uint32_t id, struct bgp_damp_view *out)
{
	const struct bgp_damp_cfg *c = &b->cfg.damp;
	const struct bgp_damp_info *d = b->damp.n > 0 ? hmap_get(&b->damp, id) : NULL;
	sim_time now = node_now(b->node);
	double half = (double)c->half_life * 60 * SIM_S, pen;

	(void)p;
	if (d == NULL)
		return false;
	pen = d->penalty * exp2(-(double)(now - d->t) / half);
	out->penalty = (uint32_t)pen;
	out->flaps = d->flaps;
	out->duration = now - d->start;
	out->damped = d->damped;
	/* Until the penalty is below reuse: half-lives of log2(pen / reuse), at most the rest of max_suppress. */
	out->reuse_in = 0;
	if (d->damped && pen > c->reuse) {
		sim_time r = (sim_time)(half * log2(pen / c->reuse));
		sim_time cap = (sim_time)c->max_suppress * 60 * SIM_S - (now - d->since);

		out->reuse_in = MIN(r, cap > 0 ? cap : 0);
	}
	return true;
}
