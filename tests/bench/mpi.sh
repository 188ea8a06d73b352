#!/bin/sh
# mpi.sh: distributed runs against one process (run by `make bench`; numbers go to
# docs/performance.md, "Distributed runs", and the model in docs/distributed.md).
#   A 2,000-router OSPF grid (tests/bench/gen-grid.sh 40 50) and a 10,000-router
#   two-level IS-IS network (netsim gen grid 100x100 --igp isis-levels 100), each run
#   to convergence by one process on one thread and by NP ranks (default 2) of one
#   thread each under mpirun. Columns: wall time of the whole command (mpirun's start
#   included), then per rank, from NETSIM_DIST_STATS (docs/distributed.md): ticks and
#   ticks per second, CPU seconds (MPI's waits spin, so they count), peak RSS, bytes
#   sent to other ranks per tick (all of it, and the frames' part), collectives per
#   tick and the wall time spent in them.
# Usage: sh tests/bench/mpi.sh [NETSIM]   (default ./netsim; NP=2, SMALL=1: 1,000 and
# 2,000 routers instead, for a quick look). Skipped when netsim has no MPI or there is
# no mpirun.
set -eu
NETSIM=${1:-${NETSIM:-./netsim}}
NP=${NP:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! "$NETSIM" version | grep -q "MPI: built in" || ! command -v mpirun >/dev/null 2>&1; then
	echo "mpi.sh: skipped (netsim without MPI, or no mpirun)"
	exit 0
fi

# run LABEL FILE NP: one line per rank
run() {
	label=$1 file=$2 np=$3
	start=$(date +%s.%N)
	if [ "$np" = 1 ]; then
		NETSIM_DIST_STATS=1 "$NETSIM" run -q --threads 1 "$file" >/dev/null 2>"$tmp/err"
	else
		NETSIM_DIST_STATS=1 mpirun --oversubscribe --allow-run-as-root -x NETSIM_DIST_STATS \
			-np "$np" "$NETSIM" run -q "$file" >/dev/null 2>"$tmp/err"
	fi
	end=$(date +%s.%N)
	wall=$(echo "$start $end" | awk '{ printf "%.2f", $2 - $1 }')
	grep '^netsim: rank ' "$tmp/err" | sort -k3 -n | awk -v l="$label" -v w="$wall" -v np="$np" '{
		# netsim: rank R of N: T ticks in W s (X ticks/s), C s of CPU, peak RSS K KB; sent B bytes
		# to other ranks (P per tick, frames F per tick), Q collectives per tick, M s in them (S%)
		r = $3; tps = $11; sub(/\(/, "", tps); cpu = $13; rss = $19
		per = $27; sub(/\(/, "", per); fr = $31
		q = $34; mpi = $38; pct = $42; gsub(/[()]/, "", pct)
		printf "%-32s np %d  wall %6ss  rank %s: %5d ticks, %4s/s  cpu %6.2fs  rss %4.0f MB  sent %6s B/tick (frames %6s)  %s coll/tick  %5.2fs (%s) in MPI\n",
		    l, np, w, r, $6, tps, cpu, rss / 1024, per, fr, q, mpi, pct
	}'
}

echo "netsim mpi bench on $(uname -m), $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${SMALL:-0}" = 1 ]; then
	sh "$(dirname "$0")/gen-grid.sh" 25 40 >"$tmp/a.yaml"
	sh "$(dirname "$0")/gen-grid.sh" 40 50 >"$tmp/b.yaml"
	set -- "OSPF grid 25x40 (1,000 routers)" "OSPF grid 40x50 (2,000 routers)"
else
	sh "$(dirname "$0")/gen-grid.sh" 40 50 >"$tmp/a.yaml"
	"$NETSIM" gen grid 100x100 --igp isis-levels 100 >"$tmp/b.yaml"
	set -- "OSPF grid 40x50 (2,000 routers)" "IS-IS 100 areas x 100 (10,000)"
fi
for np in 1 "$NP"; do
	run "$1" "$tmp/a.yaml" "$np"
done
for np in 1 "$NP"; do
	run "$2" "$tmp/b.yaml" "$np"
done
