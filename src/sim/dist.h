/*
 * dist.h: distributed runs, one process (rank) per part of the network, over
 * MPI (docs/distributed.md).
 *
 * Every rank loads the whole topology; a device belongs to one rank
 * (partition.c) and only its owner runs its events; the others keep it as a
 * *ghost* whose events never run. What crosses ranks crosses at the end of a
 * tick through the collectives below, which every rank calls at the same
 * point of the same global control flow: that is what keeps the ranks in step
 * without any other synchronisation.
 *
 * Built with MPI only when Open MPI's mpicc was found (the Makefile); without
 * it dist_size is always 1 and the collectives are never reached. This is the
 * only interface to MPI: src/sim/dist.c is the only file that includes mpi.h.
 */
#ifndef NETSIM_DIST_H
#define NETSIM_DIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/simtime.h"

struct strbuf;

extern int dist_rank, dist_size;
/* A topology's `rank: N` is below this (a sanity bound, far above any machine count here). */
#define DIST_MAX_RANKS 4096

/* Is MPI built in? */
bool dist_built(void);
/* The number of processes an MPI launcher (mpirun, srun) started this one among: 1 if none. */
int dist_launcher_size(void);
/*
 * At start-up: join the other ranks when started by a launcher with more than
 * one process. Returns -1 with a message on stderr when that cannot be (no
 * MPI built in). Ranks other than 0 print nothing on stdout afterwards.
 */
int dist_init(void);
void dist_finish(void);
static inline bool
dist_on(void)
{
	return dist_size > 1;
}

/* Collectives (every rank calls them in the same order). */
enum dist_op {
	DIST_SUM_U64, /* uint64_t */
	DIST_MAX_I64, /* int64_t */
	DIST_MIN_I64,
};
/* v[0..n) becomes the sum, maximum or minimum over the ranks, element by element. */
void dist_reduce(enum dist_op, void *v, size_t n);
sim_time dist_min_time(sim_time);
/*
 * out[r] goes to rank r; in gets what every rank sent to this one, in rank
 * order; *max becomes the maximum of every rank's *max (carried with the
 * counts, so that it costs no collective of its own).
 */
void dist_alltoallv(const struct strbuf *out, struct strbuf *in, int64_t *max);
/* all[r * size ..] gets rank r's `size` bytes at mine, for every rank (this one's too). */
void dist_allgather(const void *mine, size_t size, void *all);
/* in gets every rank's buf, in rank order (this rank's too). */
void dist_allgatherv(const struct strbuf *buf, struct strbuf *in);
/* b becomes root's b on every rank. */
void dist_bcast(struct strbuf *b, int root);
/* root's v, on every rank. */
int dist_bcast_int(int v, int root);

/*
 * With NETSIM_DIST_STATS set in the environment, this rank's exchange
 * statistics on stderr, one line at the end of a run (docs/distributed.md):
 * ticks and ticks per second, peak memory, bytes sent to other ranks per
 * tick, collectives per tick and the time spent in them, CPU time.
 */
void dist_stats_report(uint64_t ticks, double wall_s);

#endif
