#!/bin/sh
# ldp.sh: LDP scale measurements (run by `make bench`; numbers go to docs/performance.md).
#   Networks from `netsim gen`: a 20x20 OSPF grid (400 routers, 760 links) and a 25x40
#   one (1,000 routers, 1,935 links), each without LDP and with LDP on every link
#   (`--ldp`: a label for every loopback on every router). Columns: cold-start wall
#   time (default threads, and one thread), simulated convergence time, frames, label
#   mappings sent, peak RSS, and the CPU cost of one link failure (as ospf.sh measures
#   it: FAILS links shut 5 s apart against the same run without them, on one thread).
# Usage: sh tests/bench/ldp.sh [NETSIM]   (default ./netsim; RUNS=3 FAILS=20)
set -eu
NETSIM=${1:-./netsim}
RUNS=${RUNS:-3}
FAILS=${FAILS:-20}
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
	maps=$(sed -n 's/^ldp: .* hellos, \([0-9]*\) label mappings sent.*/\1/p' "$tmp/out")
	set -- $(best 1 "$tmp/$name.yaml")
	wall=$1 rss=$3
	set -- $(best 1 "$tmp/$name.yaml" --threads 1)
	wall1=$1
	per=$(per_fail "$tmp/$name.yaml" "$tmp/$name-fail.yaml")
	printf "%-18s %8s %9s %12s %10s %9s %8s %10s\n" "$name" "${wall}s" "${wall1}s" \
	    "${conv}ms" "$frames" "${maps:--}" "$((rss / 1024))MB" "$per"
}

echo "LDP over OSPF (RUNS=$RUNS, FAILS=$FAILS)"
printf "%-18s %8s %9s %12s %10s %9s %8s %10s\n" network wall "1 thread" converged frames \
    mappings RSS "per fail"
measure grid-20x20 grid 20x20
measure grid-20x20-ldp grid 20x20 --ldp
measure grid-25x40 grid 25x40
measure grid-25x40-ldp grid 25x40 --ldp
