/*
 * sim.h: the deterministic discrete-event engine.
 *
 * Time is an integer count of nanoseconds (sim_time). Work belongs to actors
 * (one per device); each actor has its own timer heap ordered by (time,
 * per-actor sequence). The engine advances in ticks no wider than the smallest
 * link delay: inside a tick every due actor runs its own events, in actor-id
 * order, touching only its own state; anything it sends to another actor goes
 * to its outbox as a struct msg. At the end of the tick the outboxes are merged
 * in (send time, sender id, sender sequence) order and delivered. Because a
 * message sent in a tick can only arrive in a later tick, the order in which
 * actors run inside a tick cannot change the result, so they run on several
 * threads at once (workers.c) and the output stays byte-identical.
 *
 * Global events (scripts, Lua callbacks, chaos actions, CLI commands) run
 * between ticks, when no actor is mid-event, and may touch any state.
 * Idle time is skipped: the next tick starts at the earliest pending event.
 */
#ifndef NETSIM_SIM_H
#define NETSIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/simtime.h"

struct sim;
struct actor;

/* A timer: embed it in the object that owns it. */
struct timer {
	sim_time when;
	uint64_t seq;
	int32_t idx; /* position in its heap, -1 when not pending */
	void (*fn)(struct timer *);
	void *arg;
	struct actor *owner; /* NULL for global timers */
	struct theap *in;    /* the heap it is pending in */
	/* For timers that own heap memory (frames in flight): frees it at teardown. */
	void (*discard)(struct timer *);
};

/*
 * A heap slot holds its timer's key: ordering reads the heap array only,
 * not the timers, which live all over memory in the objects that own them.
 */
struct theap_slot {
	sim_time when;
	uint64_t seq;
	struct timer *t;
};

struct theap {
	struct theap_slot *v;
	size_t n, cap;
};

/* A message between actors, delivered at the end of the tick it was sent in. */
struct msg {
	sim_time sent;
	uint32_t src;
	uint64_t seq;
	void (*deliver)(struct msg *);
};

struct actor {
	uint32_t id; /* index in sim->actors; also the device order */
	struct sim *sim;
	struct theap heap;
	sim_time now;    /* time of the event being processed */
	uint64_t seq;    /* orders this actor's timers and messages */
	sim_time wake;   /* when registered in the wake heap, SIM_NEVER if not */
	bool running;    /* inside its tick: the wake heap is updated afterwards */
	struct msg **outbox;
	size_t nout, outcap;
	uint64_t events; /* processed, for statistics */
	bool ghost;      /* run by another rank (dist.h): its events never run here */
};

struct wake {
	sim_time t;
	uint32_t id;
};

struct sim {
	sim_time now;  /* time of the current tick start or global event */
	sim_time tick; /* maximum tick width */
	struct actor **actors;
	size_t nactors, actcap;
	struct wake *wheap;
	size_t nwake, wakecap;
	struct theap global;
	uint64_t gseq;
	int hold_global;  /* >0 while a blocking command runs: user events wait */
	struct msg **merge, **mtmp; /* the tick's messages; scratch for merging them */
	size_t nmerge, mergecap, mtmpcap;
	size_t *runs; /* where each actor's outbox starts in merge */
	size_t nruns, runcap;
	uint64_t events, ticks, msgs;
	uint64_t gevents, gmsgs; /* of those, in global context (every rank of a distributed run counts them) */
	/*
	 * A distributed run after start-up: a frame sent from global context
	 * (a command) is its sender's, sent on its rank alone, so it counts
	 * with that rank's msgs and not in gmsgs.
	 */
	bool owned_sends;
	/*
	 * A distributed run: the earliest pending event over the ranks, gathered
	 * with the convergence totals after a step (dist_quiet), which the next
	 * step takes instead of a reduction of its own when nothing can have
	 * changed in between: the step was a tick, and the next is not inside
	 * global context (a command). Used once.
	 */
	sim_time dist_next;
	bool dist_next_ok;
	/* Called at the end of each tick and after each global batch. */
	void (*after_step)(struct sim *, void *);
	void *after_arg;
	/* The actors that ran in the last tick (none after a global batch: last_global). */
	struct actor **due;
	size_t ndue, duecap;
	uint64_t *duemap; /* due actors by id, while a tick starts */
	size_t duemapcap;
	bool last_global;
	/*
	 * Distributed runs (dist.h): true while the tick's messages are
	 * delivered, and the hook that then exchanges what crossed to other
	 * ranks (called on every rank at the end of every tick, and before a
	 * step that follows global context: what a command sent).
	 */
	bool delivering;
	int in_global; /* >0 while a global event runs (a command stepping the engine inside one) */
	void (*exchange)(struct sim *, void *);
	void *exchange_arg;
};

void sim_init(struct sim *, sim_time tick);
void sim_free(struct sim *);
void sim_add_actor(struct sim *, struct actor *);
void sim_set_tick(struct sim *, sim_time tick);

/* Timers. An actor's timer may only be set from that actor's own events or from global context. */
/*
 * Initialise a timer in zeroed memory, or re-initialise one (a protocol that
 * restarts): a timer still pending is cancelled first, so that its heap never
 * holds a timer whose fields were reset.
 */
void timer_init(struct timer *, struct actor *owner, void (*fn)(struct timer *), void *arg);
/* The same for memory that holds no timer at all (just allocated, or reused from a message). */
void timer_init_new(struct timer *, struct actor *owner, void (*fn)(struct timer *), void *arg);
void timer_set_at(struct timer *, sim_time when);
void timer_set(struct timer *, sim_time delay); /* relative to the owner's now */
void timer_cancel(struct timer *);
static inline bool
timer_pending(const struct timer *t)
{
	return t->idx >= 0;
}
/* Time left until the timer fires, or -1 when not pending. */
sim_time timer_remaining(const struct timer *);

/* Teardown: forget a popped timer, freeing what it owns (t->discard). */
void sim_discard(struct timer *);

/* Global timers (owner NULL) run between ticks. */
void sim_global_at(struct sim *, struct timer *, sim_time when);

/* Queue m in a's outbox; it is delivered at the end of the current tick. */
void actor_send(struct actor *, struct msg *);
sim_time actor_now(const struct actor *);

/*
 * Run one step: either the global events due next, or one tick. Returns false
 * when nothing is pending at or before limit (now is then left unchanged).
 */
bool sim_step(struct sim *, sim_time limit);
/* Advance to exactly `until`, running everything due up to it. */
void sim_run_until(struct sim *, sim_time until);
/* Time of the next pending event (actor or global), SIM_NEVER if none; after a
 * cancellation it may be earlier than the real next event (never later). */
sim_time sim_next_time(struct sim *);
/* The earliest pending event of this process's actors (a distributed run: this rank's). */
sim_time sim_local_next(struct sim *);

/* Heap primitives, exposed for tests. */
void theap_push(struct theap *, struct timer *);
struct timer *theap_pop(struct theap *);
void theap_remove(struct theap *, struct timer *);
static inline struct timer *
theap_top(const struct theap *h)
{
	return h->n ? h->v[0].t : NULL;
}

/*
 * Threads (workers.c). A tick's actors may run on several threads at once:
 * sim_thread is 0 on the main thread and 1..sim_threads()-1 on the workers,
 * and sim_parallel is true while they run (code shared between actors keeps
 * its scratch per thread, and defers what it cannot do at once to the hooks
 * registered with sim_on_join, which run on the main thread after each
 * parallel section). The default is one thread per processor, at most
 * SIM_MAX_THREADS, or NETSIM_THREADS from the environment.
 */
#define SIM_MAX_THREADS 8
/* Per-thread state is aligned to its own cache lines (two threads writing one line would slow both). */
#define SIM_THREAD_ALIGN _Alignas(64)
extern _Thread_local unsigned sim_thread;
extern bool sim_parallel;
unsigned sim_threads(void);
void sim_set_threads(unsigned);
void sim_on_join(void (*)(void));
/* Tests: number the last parallel section n (sections are numbered modulo 2^24). */
void sim_workers_renumber(uint64_t n);
/* Run run(due[i], end) for every i on the threads, if worth it; false: the caller runs them. */
bool sim_run_parallel(struct actor **due, size_t ndue, sim_time end,
                      void (*run)(struct actor *, sim_time));


#endif
