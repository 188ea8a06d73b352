/*
 * dist.c: MPI underneath dist.h (docs/distributed.md).
 *
 * A build without MPI keeps the same functions for one rank (the collectives
 * are then copies), and refuses to run as one of several processes of a
 * launcher: each would run the whole network on its own and print it, which
 * is never what was meant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "../lib/log.h"
#include "../lib/strbuf.h"
#include "../lib/util.h"
#include "dist.h"
#include "sim.h"

#ifdef NETSIM_MPI
#include <mpi.h>
#endif

int dist_rank, dist_size = 1;

/*
 * What the exchange cost (NETSIM_DIST_STATS, dist_stats_report): bytes this
 * rank sent to the others, collectives called, and the wall time spent in
 * them. Measurements of the machine only: nothing in the run reads them.
 */
static struct {
	uint64_t bytes, frames_bytes, colls;
	double mpi_s;
} st;

bool
dist_built(void)
{
#ifdef NETSIM_MPI
	return true;
#else
	return false;
#endif
}

int
dist_launcher_size(void)
{
	/* Open MPI's mpirun, then the PMI of MPICH, Slurm's srun and others. */
	static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"};

	for (size_t i = 0; i < ARRAY_LEN(vars); i++) {
		const char *e = getenv(vars[i]);

		if (e != NULL && atoi(e) > 0)
			return atoi(e);
	}
	return 1;
}

#ifdef NETSIM_MPI
static bool finalized;

/* An exit elsewhere (an error on one rank) takes the others down instead of leaving them waiting. */
static void
dist_atexit(void)
{
	if (!finalized) {
		fflush(stdout);
		fflush(stderr);
		MPI_Abort(MPI_COMM_WORLD, 1);
	}
}
#endif

int
dist_init(void)
{
	int n = dist_launcher_size();

	if (n <= 1)
		return 0;
#ifdef NETSIM_MPI
	{
		int provided;

		/* Only the main thread calls MPI (the workers run actors only). */
		MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
		MPI_Comm_rank(MPI_COMM_WORLD, &dist_rank);
		MPI_Comm_size(MPI_COMM_WORLD, &dist_size);
		if (dist_size > 1)
			atexit(dist_atexit);
		else
			dist_finish();
	}
	/* Rank 0 prints the run; the others' copies of it would only repeat it. */
	if (dist_rank != 0 && freopen("/dev/null", "w", stdout) == NULL)
		fatalx("/dev/null: cannot open");
	/* Ranks share the machine's processors: one thread each unless asked (--threads, NETSIM_THREADS). */
	if (getenv("NETSIM_THREADS") == NULL)
		sim_set_threads(1);
	return 0;
#else
	fprintf(stderr, "netsim: started as one of %d processes by an MPI launcher, but this netsim "
	    "was built without MPI: install Open MPI (make deps) and rebuild (make), or run it "
	    "without mpirun\n", n);
	return -1;
#endif
}

void
dist_finish(void)
{
#ifdef NETSIM_MPI
	int init = 0;

	MPI_Initialized(&init);
	if (init && !finalized) {
		finalized = true;
		fflush(stdout);
		MPI_Finalize();
	}
#endif
}

#ifdef NETSIM_MPI
static double
coll_begin(void)
{
	st.colls++;
	return MPI_Wtime();
}

static void
coll_end(double t0)
{
	st.mpi_s += MPI_Wtime() - t0;
}

/* MPI counts are ints: a tick's exchange above 2 GB is beyond this slice. */
static int
icount(size_t n)
{
	if (n > (size_t)INT32_MAX)
		fatalx("distributed run: %zu bytes to exchange in one tick", n);
	return (int)n;
}
#endif

void
dist_reduce(enum dist_op op, void *v, size_t n)
{
#ifdef NETSIM_MPI
	if (dist_size > 1) {
		double t0 = coll_begin();

		MPI_Allreduce(MPI_IN_PLACE, v, icount(n), op == DIST_SUM_U64 ? MPI_UINT64_T : MPI_INT64_T,
		    op == DIST_SUM_U64 ? MPI_SUM : op == DIST_MAX_I64 ? MPI_MAX : MPI_MIN, MPI_COMM_WORLD);
		st.bytes += 8 * n * (uint64_t)(dist_size - 1); /* (as if sent to each: a bound) */
		coll_end(t0);
	}
#else
	(void)op;
	(void)v;
	(void)n;
#endif
}

sim_time
dist_min_time(sim_time t)
{
	int64_t v = t;

	dist_reduce(DIST_MIN_I64, &v, 1);
	return v;
}

void
dist_alltoallv(const struct strbuf *out, struct strbuf *in, int64_t *max)
{
	sb_reset(in);
#ifdef NETSIM_MPI
	if (dist_size > 1) {
		int n = dist_size, *sc = xmalloc(sizeof(int) * 4 * (size_t)n);
		int *sd = sc + n, *rc = sc + 2 * n, *rd = sc + 3 * n;
		int64_t *hs = xmalloc(sizeof(int64_t) * 4 * (size_t)n), *hr = hs + 2 * n;
		size_t total = 0;
		char *sbuf;
		double t0 = coll_begin();

		for (int r = 0, off = 0; r < n; r++) {
			sc[r] = icount(out[r].len);
			sd[r] = off;
			off += sc[r];
			if (r != dist_rank)
				st.frames_bytes += out[r].len;
			hs[2 * r] = sc[r];
			hs[2 * r + 1] = *max;
		}
		st.colls++;
		/* The counts, and *max with them: one collective where a reduction would be another. */
		MPI_Alltoall(hs, 2, MPI_INT64_T, hr, 2, MPI_INT64_T, MPI_COMM_WORLD);
		for (int r = 0; r < n; r++) {
			rc[r] = (int)hr[2 * r];
			if (hr[2 * r + 1] > *max)
				*max = hr[2 * r + 1];
		}
		free(hs);
		for (int r = 0; r < n; r++) {
			rd[r] = icount(total);
			total += (size_t)rc[r];
		}
		sbuf = xmalloc((size_t)sd[n - 1] + (size_t)sc[n - 1] + 1);
		for (int r = 0; r < n; r++)
			if (sc[r] > 0)
				memcpy(sbuf + sd[r], out[r].s, out[r].len);
		grow_array((void **)&in->s, &in->cap, total + 1, 1);
		MPI_Alltoallv(sbuf, sc, sd, MPI_BYTE, in->s, rc, rd, MPI_BYTE, MPI_COMM_WORLD);
		coll_end(t0);
		st.bytes += (uint64_t)(n - 1) * 2 * sizeof(int64_t) + (size_t)sd[n - 1] +
		    (size_t)sc[n - 1] - (size_t)sc[dist_rank];
		in->len = total;
		free(sbuf);
		free(sc);
		return;
	}
#endif
	(void)max; /* one rank: already the maximum */
	if (out[0].len > 0)
		sb_addn(in, out[0].s, out[0].len);
}

void
dist_allgatherv(const struct strbuf *buf, struct strbuf *in)
{
	sb_reset(in);
#ifdef NETSIM_MPI
	if (dist_size > 1) {
		int n = dist_size, mine = icount(buf->len), *rc = xmalloc(sizeof(int) * 2 * (size_t)n);
		int *rd = rc + n;
		size_t total = 0;
		double t0 = coll_begin();

		st.colls++;
		MPI_Allgather(&mine, 1, MPI_INT, rc, 1, MPI_INT, MPI_COMM_WORLD);
		for (int r = 0; r < n; r++) {
			rd[r] = icount(total);
			total += (size_t)rc[r];
		}
		grow_array((void **)&in->s, &in->cap, total + 1, 1);
		if (total > 0) /* (most ticks: nothing to gather, and every rank knows it) */
			MPI_Allgatherv(buf->s, mine, MPI_BYTE, in->s, rc, rd, MPI_BYTE, MPI_COMM_WORLD);
		else
			st.colls--;
		coll_end(t0);
		st.bytes += (uint64_t)(n - 1) * (sizeof(int) + (size_t)mine);
		in->len = total;
		free(rc);
		return;
	}
#endif
	if (buf->len > 0)
		sb_addn(in, buf->s, buf->len);
}

void
dist_allgather(const void *mine, size_t size, void *all)
{
#ifdef NETSIM_MPI
	if (dist_size > 1) {
		double t0 = coll_begin();

		MPI_Allgather(mine, icount(size), MPI_BYTE, all, icount(size), MPI_BYTE, MPI_COMM_WORLD);
		coll_end(t0);
		st.bytes += (uint64_t)(dist_size - 1) * size;
		return;
	}
#endif
	memcpy(all, mine, size);
}

void
dist_bcast(struct strbuf *b, int root)
{
#ifdef NETSIM_MPI
	if (dist_size > 1) {
		uint64_t len = b->len;
		double t0 = coll_begin();

		st.colls++;
		MPI_Bcast(&len, 1, MPI_UINT64_T, root, MPI_COMM_WORLD);
		grow_array((void **)&b->s, &b->cap, (size_t)len + 1, 1);
		MPI_Bcast(b->s, icount((size_t)len), MPI_BYTE, root, MPI_COMM_WORLD);
		coll_end(t0);
		if (root == dist_rank)
			st.bytes += (uint64_t)(dist_size - 1) * (8 + len);
		b->len = (size_t)len;
		b->s[b->len] = '\0';
	}
#else
	(void)b;
	(void)root;
#endif
}

int
dist_bcast_int(int v, int root)
{
#ifdef NETSIM_MPI
	if (dist_size > 1) {
		double t0 = coll_begin();

		MPI_Bcast(&v, 1, MPI_INT, root, MPI_COMM_WORLD);
		coll_end(t0);
		if (root == dist_rank)
			st.bytes += (uint64_t)(dist_size - 1) * sizeof(v);
	}
#else
	(void)root;
#endif
	return v;
}

void
dist_stats_report(uint64_t ticks, double wall_s)
{
	double t = ticks > 0 ? (double)ticks : 1, cpu;
	struct rusage ru;

	if (getenv("NETSIM_DIST_STATS") == NULL)
		return;
	getrusage(RUSAGE_SELF, &ru);
	cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	fflush(stdout);
	fprintf(stderr, "netsim: rank %d of %d: %llu ticks in %.3f s (%.0f ticks/s), %.3f s of CPU, "
	    "peak RSS %ld KB; sent %llu bytes to other ranks (%.0f per tick, frames %.0f per tick), "
	    "%.1f collectives per tick, %.3f s in them (%.0f%%)\n", dist_rank, dist_size,
	    (unsigned long long)ticks, wall_s, wall_s > 0 ? (double)ticks / wall_s : 0, cpu,
	    ru.ru_maxrss, (unsigned long long)st.bytes,
	    (double)st.bytes / t, (double)st.frames_bytes / t, (double)st.colls / t, st.mpi_s,
	    wall_s > 0 ? 100 * st.mpi_s / wall_s : 0);
}
