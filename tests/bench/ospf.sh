#!/bin/sh
# ospf.sh: OSPF scale measurements (run by `make bench`; numbers go to docs/ospf.md).
#   For generated grids and rings of 100 and 1,000 routers (tests/bench/gen-grid.sh:
#   point-to-point /31 links, area 0, default timers): cold-start convergence wall time,
#   simulated convergence time, frames on the wire, LS Updates, SPF runs, peak RSS; and
#   the CPU cost of one link failure.
#
#   One failure costs milliseconds while the cold start before it costs seconds, and
#   a busy machine moves those seconds by more than a failure costs. So the failure
#   run shuts FAILS links one after another (gen-grid.sh fails=N, 5 s apart), the
#   reference run is the same topology without failures stopped at the same simulated
#   time (--until: the same cold start and the same periodic Hellos), and the column
#   is the CPU difference divided by FAILS, on one thread (an upper bound of its wall
#   time on any number). Each is the best of RUNS runs. The cold start is timed with
#   the default threads (one per processor) and, for comparison, on one thread.
#   CPU time comes from getrusage (microseconds; /usr/bin/time rounds to 10 ms); wall
#   time and peak RSS from /usr/bin/time.
# Usage: sh tests/bench/ospf.sh [NETSIM]   (default ./netsim; RUNS=3 FAILS=30)
set -eu
NETSIM=${1:-./netsim}
RUNS=${RUNS:-3}
FAILS=${FAILS:-30}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.inc"

measure() { # NAME GEN-ARGS...
	name=$1
	shift
	sh "$here/gen-grid.sh" "$@" >"$tmp/$name.yaml"
	sh "$here/gen-grid.sh" "$@" "fails=$FAILS" >"$tmp/$name-fail.yaml"
	"$NETSIM" run --json "$tmp/$name.yaml" >"$tmp/json"
	frames=$(sed -n 's/.*"frames": \([0-9]*\).*/\1/p' "$tmp/json")
	conv=$(sed -n 's/.*"convergedAtMs": \([0-9.]*\).*/\1/p' "$tmp/json")
	"$NETSIM" run -q "$tmp/$name.yaml" >"$tmp/out"
	lsus=$(sed -n 's/^OSPF events: .* hellos, \([0-9]*\) LSUs, .*/\1/p' "$tmp/out")
	spf=$(sed -n 's/^OSPF events: .* LSUs, \([0-9]*\) SPF runs.*/\1/p' "$tmp/out")
	read -r wall cpu rss <<EOF
$(best 1 "$tmp/$name.yaml")
EOF
	read -r wall1 cpu1 rss1 <<EOF
$(best 1 "$tmp/$name.yaml" --threads 1)
EOF
	"$NETSIM" run --json "$tmp/$name-fail.yaml" >"$tmp/fjson"
	end=$(sed -n 's/.*"simulatedMs": \([0-9]*\).*/\1/p' "$tmp/fjson" | head -1)
	read -r fwall fcpu frss <<EOF
$(best 2 "$tmp/$name-fail.yaml" --threads 1)
EOF
	read -r rwall rcpu rrss <<EOF
$(best 2 "$tmp/$name.yaml" --until "${end}ms" --threads 1)
EOF
	per=$(echo "$fcpu $rcpu $FAILS" | awk '{d = ($1 - $2) / $3; printf "%.3f", d < 0 ? 0 : d}')
	printf "%-16s %8s %9s %12s %10s %9s %9s %9s %8s %12s\n" "$name" "${wall}s" "${wall1}s" \
	    "${conv}ms" "$frames" "$lsus" "$spf" "$((rss / 1024))MB" "$((rss1 / 1024))MB" "${per}s"
}

echo "threads: $(nproc) processors (NETSIM_THREADS=${NETSIM_THREADS:-default})"
printf "%-16s %8s %9s %12s %10s %9s %9s %9s %8s %12s\n" topology wall "wall(1t)" converged \
    frames LSUs SPF peakRSS "RSS(1t)" "fail (CPU)"
measure grid-10x10 10 10
measure ring-100 1 100 ring
measure grid-25x40 25 40
measure ring-1000 1 1000 ring
