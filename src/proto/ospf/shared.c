/*
 * shared.c: the state every router shares (the LSA instances of intern.c
 * and the numbers of lsakey.c and pfxindex.c) when routers run on several
 * threads at once (sim.h).
 *
 * That state is read far more often than it changes: a router receiving an
 * LSA looks its key and its instance up, and takes a reference. So:
 *   - lookups take no lock (the tables publish what they add; see numtab.h);
 *   - additions (a new instance, key or prefix, an instance parsed for the
 *     first time) take one lock, and look again under it;
 *   - reference counts do not change while routers run in parallel: each
 *     thread logs its changes to instances and sums its changes to numbers
 *     here, and they are applied when the section ends (join(), on the main
 *     thread, through sim_on_join). A count that then reaches zero frees its
 *     object at that point. Nothing is freed while a thread could still be
 *     reading it, and the counts, which two threads would otherwise write in
 *     the same cache lines, are written by one;
 *   - arrays replaced by a larger copy are retired, and freed at the join.
 *
 * Whether a number is given to one key before another then depends on which
 * thread gets the lock first. Nothing observable depends on the numbers'
 * order (lsakey.c), which the determinism tests check by comparing runs on
 * one thread and on several byte for byte.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/log.h"
#include "../../lib/numtab.h"
#include "../../lib/util.h"
#include "ospf.h"

/* A count change to an instance. */
struct defer {
	struct ospf_blob *b;
	int delta;
};

/* Count changes to numbers (keys or prefixes), summed by number: a cold start makes millions. */
struct numdelta {
	int32_t *d;       /* by number */
	size_t cap;
	uint32_t *touched; /* numbers whose d may be non-zero (maybe twice) */
	size_t n, tcap;
};

static struct {
	pthread_mutex_t mu;
	struct {
		SIM_THREAD_ALIGN struct defer *v;
		size_t n, cap;
		struct numdelta keys, pfxs;
		unsigned depth; /* lock nesting */
	} t[SIM_MAX_THREADS];
	struct retire retired;
	bool hooked;
} sh = {.mu = PTHREAD_MUTEX_INITIALIZER};

void
ospf_shared_lock(void)
{
	if (sh.t[sim_thread].depth++ == 0 && sim_parallel)
		pthread_mutex_lock(&sh.mu);
}

void
ospf_shared_unlock(void)
{
	if (--sh.t[sim_thread].depth == 0 && sim_parallel)
		pthread_mutex_unlock(&sh.mu);
}

struct retire *
ospf_shared_retire(void)
{
	return sim_parallel ? &sh.retired : NULL;
}

static void
numdelta_add(struct numdelta *nd, uint32_t x, int delta)
{
	if (x >= nd->cap) {
		size_t ncap = MAX((size_t)x + 1, nd->cap * 2);

		nd->d = xrealloc(nd->d, sizeof(*nd->d) * ncap);
		memset(nd->d + nd->cap, 0, sizeof(*nd->d) * (ncap - nd->cap));
		nd->cap = ncap;
	}
	if (nd->d[x] == 0)
		VEC_PUSH(nd->touched, nd->n, nd->tcap, x);
	nd->d[x] += delta;
}

void
ospf_shared_defer(enum ospf_sh_kind kind, struct ospf_blob *b, uint32_t x, int delta)
{
	__typeof__(sh.t[0]) *t = &sh.t[sim_thread];

	if (kind == OSPF_SH_KEY)
		numdelta_add(&t->keys, x, delta);
	else if (kind == OSPF_SH_PFX)
		numdelta_add(&t->pfxs, x, delta);
	else
		VEC_PUSH(t->v, t->n, t->cap, ((struct defer){b, delta}));
}

void
ospf_shared_hold(enum ospf_sh_kind kind, struct ospf_blob *b, uint32_t x, uint32_t *refs)
{
	if (sim_parallel)
		ospf_shared_defer(kind, b, x, 1);
	else
		(*refs)++;
}

bool
ospf_shared_release(enum ospf_sh_kind kind, struct ospf_blob *b, uint32_t x, uint32_t *refs)
{
	static const char *const what[] = {"interned LSA", "LSA key", "prefix number"};

	if (sim_parallel) {
		ospf_shared_defer(kind, b, x, -1);
		return false;
	}
	if (*refs == 0)
		bug("ospf: %s %u released twice", what[kind], x);
	return --*refs == 0;
}

/* Apply a thread's sums (add) or, once all are applied, free what reached zero (reap). */
static void
numdelta_apply(struct numdelta *nd, uint32_t *(*refs)(uint32_t))
{
	for (size_t i = 0; i < nd->n; i++) {
		uint32_t x = nd->touched[i];

		*refs(x) += (uint32_t)nd->d[x];
		nd->d[x] = 0;
	}
}

static void
numdelta_reap(struct numdelta *nd, void (*reap)(uint32_t))
{
	for (size_t i = 0; i < nd->n; i++)
		reap(nd->touched[i]);
	nd->n = 0;
}

/*
 * The end of a parallel section: counts first (all of them: an object
 * released on one thread may have been taken again on another), then what
 * reached zero, keys and prefixes before instances (an instance holds
 * numbers; the numbers freed here are held by nothing).
 */
static void
join(void)
{
	struct ospf_blob **dead = NULL;
	size_t ndead = 0, deadcap = 0;

	for (unsigned i = 0; i < SIM_MAX_THREADS; i++) {
		for (size_t k = 0; k < sh.t[i].n; k++)
			sh.t[i].v[k].b->refs += (uint32_t)sh.t[i].v[k].delta;
		numdelta_apply(&sh.t[i].keys, ospf_lsakey_refs);
		numdelta_apply(&sh.t[i].pfxs, ospf_pfx_refs);
	}
	for (unsigned i = 0; i < SIM_MAX_THREADS; i++) {
		numdelta_reap(&sh.t[i].keys, ospf_lsakey_reap);
		numdelta_reap(&sh.t[i].pfxs, ospf_pfx_reap);
		for (size_t k = 0; k < sh.t[i].n; k++)
			if (sh.t[i].v[k].delta < 0 && ospf_intern_doomed(sh.t[i].v[k].b))
				VEC_PUSH(dead, ndead, deadcap, sh.t[i].v[k].b);
		sh.t[i].n = 0;
	}
	for (size_t k = 0; k < ndead; k++)
		ospf_intern_free(dead[k]);
	free(dead);
	retire_flush(&sh.retired);
	ospf_intern_grow();
}

void
ospf_shared_init(void)
{
	if (sh.hooked)
		return;
	sh.hooked = true;
	sim_on_join(join);
	ospf_intern_grow();
}
