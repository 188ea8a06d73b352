/*
 * workers.c: running a tick's actors on several threads (see sim.h).
 *
 * Inside a tick every actor touches only its own state, and whatever it
 * sends waits in its own outbox until the tick ends, so the actors of a tick
 * may run in any order, or at once, without changing what happens. The main
 * thread and sim_threads() - 1 workers take the tick's due actors from a
 * shared counter, in shares that shrink as the tick goes on (a router with a
 * hundred LSAs to process and one with a Hello to answer cost very different
 * times, so fixed shares would leave one thread idle), and the tick ends when
 * all of them are done.
 *
 * State shared between actors in spite of the model (OSPF's store of LSA
 * instances and its number tables) must be safe to read from several
 * threads at once; what it cannot do at once it defers to the hooks
 * registered with sim_on_join(), which run on the main thread when every
 * worker has stopped. Scratch that code keeps in static storage is kept per
 * thread, indexed by sim_thread.
 *
 * A worker waits for the next tick by spinning briefly and then sleeping on
 * a condition variable.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "sim.h"

_Thread_local unsigned sim_thread;
bool sim_parallel;

/*
 * PAR_MIN: with fewer due actors the main thread runs them alone (small
 * networks do run in parallel, so that every test exercises it).
 * SPIN: pauses a worker spins for the next section before it sleeps. Short:
 * where two processors share a core, a spinning thread slows the one that
 * works, and ticks that follow each other closely find it spinning anyway.
 * MAX_TAKE: the largest share of actors one claim takes.
 */
enum { PAR_MIN = 2, SPIN = 256, MAX_TAKE = 16 };

/*
 * The claim word: (section << 40 | actors << 20 | next). A thread takes the
 * actors from `next` on by compare-and-swap, so it can never take actors of
 * a section other than the one it read, however late it woke up; the
 * section's fields stay as they are until every actor taken is done.
 */
#define W_NEXT(w)  ((w) & 0xfffff)
#define W_N(w)     ((w) >> 20 & 0xfffff)
#define W_GEN(w)   ((w) >> 40)
#define W_MAXN     0xfffff
#define W_MAXGEN   0xffffff

static struct {
	unsigned want; /* threads to use, main included (0: not decided yet) */
	unsigned started;
	pthread_t th[SIM_MAX_THREADS];
	pthread_mutex_t mu;
	pthread_cond_t go;
	bool quit;
	bool hooked; /* atexit and atfork handlers installed */
	uint64_t gen0[SIM_MAX_THREADS]; /* the section number when worker i was started */
	SIM_THREAD_ALIGN uint64_t word; /* see above */
	SIM_THREAD_ALIGN size_t done;   /* actors of the section run to the end */
	/* The section. */
	struct actor **due;
	sim_time end;
	void (*run)(struct actor *, sim_time);
	void (*join[8])(void);
	size_t njoin;
} wp = {.mu = PTHREAD_MUTEX_INITIALIZER, .go = PTHREAD_COND_INITIALIZER};

static unsigned
default_threads(void)
{
	const char *e = getenv("NETSIM_THREADS");
	long n;

	if (e != NULL && *e != '\0') {
		char *end;

		n = strtol(e, &end, 10);
		if (*end == '\0' && n >= 1)
			return (unsigned)MIN(n, SIM_MAX_THREADS);
		log_warn("NETSIM_THREADS=%s: expected a number of threads (1 or more); using 1", e);
		return 1;
	}
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : (unsigned)MIN(n, SIM_MAX_THREADS);
}

unsigned
sim_threads(void)
{
	if (wp.want == 0)
		wp.want = default_threads();
	return wp.want;
}

void
sim_set_threads(unsigned n)
{
	wp.want = n < 1 ? 1 : MIN(n, SIM_MAX_THREADS);
}

void
sim_on_join(void (*fn)(void))
{
	for (size_t i = 0; i < wp.njoin; i++)
		if (wp.join[i] == fn)
			return;
	if (wp.njoin == ARRAY_LEN(wp.join))
		bug("too many join hooks");
	wp.join[wp.njoin++] = fn;
}

/*
 * Take actors of section gen until none is left, a share at a time: a
 * quarter of what is left per thread, at most MAX_TAKE, so that the shares
 * shrink towards the end (the threads finish together, and none waits long
 * for another's last share) and a tick costs a claim per share rather than
 * per actor (each claim moves the word's cache line between cores).
 */
static void
work(uint64_t gen)
{
	uint64_t w = __atomic_load_n(&wp.word, __ATOMIC_ACQUIRE);

	while (W_GEN(w) == gen && W_NEXT(w) < W_N(w)) {
		uint64_t first = W_NEXT(w), left = W_N(w) - first;
		uint64_t take = MIN(MAX_TAKE, MAX(1, left / (4 * wp.started)));

		if (!__atomic_compare_exchange_n(&wp.word, &w, w + take, true, __ATOMIC_ACQ_REL,
		                                 __ATOMIC_ACQUIRE))
			continue; /* w is the word's value now */
		for (uint64_t i = first; i < first + take; i++)
			wp.run(wp.due[i], wp.end);
		__atomic_fetch_add(&wp.done, take, __ATOMIC_RELEASE);
		w = __atomic_load_n(&wp.word, __ATOMIC_ACQUIRE);
	}
}

static inline void
cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

/* A worker: spins a little for the next section, then sleeps until one starts. */
static void *
worker(void *arg)
{
	uint64_t seen;

	sim_thread = (unsigned)(uintptr_t)arg;
	seen = wp.gen0[sim_thread]; /* sections before it was started are not its own */
	for (;;) {
		uint64_t g = W_GEN(__atomic_load_n(&wp.word, __ATOMIC_ACQUIRE));

		for (int k = 0; g == seen && k < SPIN; k++) {
			cpu_relax();
			g = W_GEN(__atomic_load_n(&wp.word, __ATOMIC_ACQUIRE));
		}
		if (g == seen) {
			pthread_mutex_lock(&wp.mu);
			while ((g = W_GEN(__atomic_load_n(&wp.word, __ATOMIC_ACQUIRE))) == seen &&
			       !wp.quit)
				pthread_cond_wait(&wp.go, &wp.mu);
			pthread_mutex_unlock(&wp.mu);
		}
		if (__atomic_load_n(&wp.quit, __ATOMIC_ACQUIRE))
			return NULL;
		seen = g;
		work(g);
	}
}

static void
stop_workers(void)
{
	pthread_mutex_lock(&wp.mu);
	__atomic_store_n(&wp.quit, true, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&wp.go);
	pthread_mutex_unlock(&wp.mu);
	for (unsigned i = 1; i < wp.started; i++)
		pthread_join(wp.th[i], NULL);
	wp.started = 0;
}

/* A child of fork() has only the thread that forked: it starts its own workers when it needs them. */
static void
forked(void)
{
	pthread_mutex_init(&wp.mu, NULL);
	pthread_cond_init(&wp.go, NULL);
	wp.started = 0;
	wp.quit = false;
}

/*
 * Start workers up to n - 1 (wp.started counts the threads that run
 * sections, main included; workers started for a larger number earlier
 * keep taking part).
 */
static bool
start_workers(unsigned n)
{
	if (wp.started == 0)
		wp.started = 1;
	for (unsigned i = wp.started; i < n; i++) {
		wp.gen0[i] = W_GEN(wp.word);
		if (pthread_create(&wp.th[i], NULL, worker, (void *)(uintptr_t)i) != 0) {
			log_warn("could not start a worker thread: running on %u", i);
			break;
		}
		wp.started = i + 1;
	}
	wp.want = wp.started;
	if (wp.started > 1 && !wp.hooked) {
		wp.hooked = true;
		atexit(stop_workers);
		pthread_atfork(NULL, NULL, forked);
	}
	return wp.started > 1;
}

void
sim_workers_renumber(uint64_t n)
{
	__atomic_store_n(&wp.word, (n & W_MAXGEN) << 40, __ATOMIC_RELEASE);
}

bool
sim_run_parallel(struct actor **due, size_t ndue, sim_time end,
                 void (*run)(struct actor *, sim_time))
{
	unsigned n = sim_threads();
	uint64_t gen;

	if (n < 2 || ndue < PAR_MIN || ndue > W_MAXN || trace_flags != 0)
		return false;
	if (wp.started < n && !start_workers(n))
		return false;
	wp.due = due;
	wp.end = end;
	wp.run = run;
	__atomic_store_n(&wp.done, 0, __ATOMIC_RELAXED);
	sim_parallel = true;
	/* Sections are numbered modulo 2^24 (a daemon may run for days). */
	gen = (W_GEN(__atomic_load_n(&wp.word, __ATOMIC_RELAXED)) + 1) & W_MAXGEN;
	pthread_mutex_lock(&wp.mu);
	__atomic_store_n(&wp.word, gen << 40 | (uint64_t)ndue << 20, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&wp.go);
	pthread_mutex_unlock(&wp.mu);
	work(gen);
	/*
	 * Every actor is taken: wait for those still running elsewhere (not for
	 * late wakers), giving the processor away now and then, in case the
	 * thread being waited for needs it (more threads than processors).
	 */
	for (unsigned k = 1; __atomic_load_n(&wp.done, __ATOMIC_ACQUIRE) != ndue; k++)
		if (k % (16 * SPIN) == 0)
			sched_yield();
		else
			cpu_relax();
	sim_parallel = false;
	for (size_t i = 0; i < wp.njoin; i++)
		wp.join[i]();
	return true;
}
