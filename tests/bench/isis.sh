#!/bin/sh
# isis.sh: IS-IS scale measurements (run by `make bench`; numbers go to docs/performance.md).
#   Networks from `netsim gen`: a 25x40 grid, single level (1,000 level 2 routers), and
#   10 areas of 100 level 1 routers with a level 2 backbone (1,000 routers); with
#   BIG=1 also 100 areas of 100 (10,000 routers). Columns: cold-start wall time
#   (default threads, and one thread), simulated convergence time, frames, LSPs
#   generated, SPF runs, peak RSS, and the CPU cost of one link failure, measured as
#   ospf.sh does (FAILS links shut 5 s apart against the same run without them,
#   stopped at the same simulated time, on one thread).
# Usage: sh tests/bench/isis.sh [NETSIM]   (default ./netsim; RUNS=3 FAILS=30 BIG=0)
set -eu
NETSIM=${1:-./netsim}
RUNS=${RUNS:-3}
FAILS=${FAILS:-30}
BIG=${BIG:-0}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.inc"

measure() { # NAME GEN-ARGS...
	name=$1
	shift
	"$NETSIM" gen "$@" >"$tmp/$name.yaml"
	with_failures "$tmp/$name.yaml" "$tmp/$name-fail.yaml"
	"$NETSIM" run --json "$tmp/$name.yaml" >"$tmp/json"
	frames=$(sed -n 's/.*"frames": \([0-9]*\).*/\1/p' "$tmp/json" | head -1)
	conv=$(sed -n 's/.*"convergedAtMs": \([0-9.]*\).*/\1/p' "$tmp/json" | head -1)
	"$NETSIM" run -q "$tmp/$name.yaml" >"$tmp/out"
	lsps=$(sed -n 's/^IS-IS events: .* hellos, \([0-9]*\) LSPs, .*/\1/p' "$tmp/out")
	spf=$(sed -n 's/^IS-IS events: .* LSPs, \([0-9]*\) SPF runs.*/\1/p' "$tmp/out")
	set -- $(best 1 "$tmp/$name.yaml")
	wall=$1 rss=$3
	set -- $(best 1 "$tmp/$name.yaml" --threads 1)
	wall1=$1 rss1=$3
	per=$(per_fail "$tmp/$name.yaml" "$tmp/$name-fail.yaml")
	printf "%-22s %8s %9s %12s %10s %7s %9s %8s %8s %10s\n" "$name" "${wall}s" "${wall1}s" \
	    "${conv}ms" "$frames" "$lsps" "$spf" "$((rss / 1024))MB" "$((rss1 / 1024))MB" "$per"
}

echo "IS-IS (RUNS=$RUNS, FAILS=$FAILS)"
printf "%-22s %8s %9s %12s %10s %7s %9s %8s %8s %10s\n" network wall "1 thread" converged \
    frames LSPs "SPF runs" RSS "RSS(1t)" "per fail"
measure grid-25x40 grid 25x40 --igp isis
measure levels-10x100 grid 25x40 --igp isis-levels 10
if [ "$BIG" = 1 ]; then
	FAILS=0
	RUNS=1
	measure levels-100x100 grid 100x100 --igp isis-levels 100
fi
