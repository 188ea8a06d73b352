#!/bin/sh
# bgp.sh: BGP scale measurements (run by `make bench`; numbers go to docs/performance.md, "BGP").
#   Networks from `netsim gen --bgp` (docs/topology.md), default timers (eBGP's 30 s
#   advertisement interval paces the updates, so simulated convergence takes minutes):
#   eBGP, every router its own AS with a session over every link, random graphs of 100
#   and 500 routers of degree 3, 10 prefixes each (1,000 and 5,000 prefixes in every
#   router's table); and iBGP over OSPF with two route reflectors, 200 routers, 10
#   prefixes each. Columns: cold-start wall time (default threads), simulated
#   convergence time, engine events, frames, UPDATEs sent, peak RSS, the BGP routes of
#   the last router once converged (the full table is routers x 10 - 10), and the CPU
#   cost of one link failure, measured as ospf.sh does: FAILS links shut GAP s apart
#   (longer than a reconvergence: several advertisement intervals) against the same run
#   without them stopped at the same simulated time, on one thread, the CPU difference
#   divided by FAILS. The links failed are among the random graph's extra links (after
#   its spanning tree, `netsim gen random`), so that every router stays reachable: a
#   failure that cuts a router off withdraws its prefixes, and eBGP then explores every
#   longer path before giving up (each step an advertisement interval), which takes
#   simulated minutes to hours and measures that exploration rather than a failover.
#   Each time is the best of RUNS runs.
# Usage: sh tests/bench/bgp.sh [NETSIM]   (default ./netsim; RUNS=3 FAILS=5 GAP=120 BIG=1)
set -eu
NETSIM=${1:-${NETSIM:-./netsim}}
RUNS=${RUNS:-3}
FAILS=${FAILS:-5}
GAP=${GAP:-120}
BIG=${BIG:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.inc"

measure() { # NAME ROUTERS GEN-ARGS... (a random graph of ROUTERS routers)
	name=$1
	shift
	"$NETSIM" gen random "$@" >"$tmp/$name.yaml"
	with_failures "$tmp/$name.yaml" "$tmp/$name-fail.yaml" "$GAP" $(($1 - 1))
	last=$(sed -n 's/^  - name: //p' "$tmp/$name.yaml" | tail -1)
	{ cat "$tmp/$name.yaml"; echo "script:"
	  echo "  - {at: converged, device: $last, command: show ip route summary}"; } >"$tmp/$name-show.yaml"
	"$NETSIM" run "$tmp/$name-show.yaml" >"$tmp/out"
	routes=$(sed -n 's/^bgp  *\([0-9]*\) .*/\1/p' "$tmp/out")
	updates=$(sed -n 's/^BGP events: .* originated, \([0-9]*\) UPDATEs sent.*/\1/p' "$tmp/out")
	"$NETSIM" run --json "$tmp/$name.yaml" >"$tmp/json"
	events=$(sed -n 's/^  "events": \([0-9]*\).*/\1/p' "$tmp/json")
	frames=$(sed -n 's/^  "frames": \([0-9]*\).*/\1/p' "$tmp/json")
	conv=$(sed -n 's/^  "convergedAtMs": \([0-9]*\).*/\1/p' "$tmp/json")
	set -- $(best 1 "$tmp/$name.yaml")
	wall=$1 rss=$3
	per=$(per_fail "$tmp/$name.yaml" "$tmp/$name-fail.yaml")
	printf "%-14s %8s %11s %9s %9s %9s %8s %7s %10s\n" "$name" "${wall}s" "${conv}ms" \
	    "$events" "$frames" "$updates" "$((rss / 1024))MB" "${routes:-?}" "$per"
}

echo "BGP (RUNS=$RUNS, FAILS=$FAILS, GAP=${GAP}s; $(nproc) processors, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf "%-14s %8s %11s %9s %9s %9s %8s %7s %10s\n" network wall converged events frames \
    UPDATEs RSS routes "per fail"
measure ebgp-100 100 --degree 3 --seed 1 --bgp ebgp --prefixes 10
measure ibgp-rr-200 200 --degree 3 --seed 1 --bgp ibgp --prefixes 10
if [ "$BIG" = 1 ]; then
	measure ebgp-500 500 --degree 3 --seed 1 --bgp ebgp --prefixes 10
fi

# The route-reflector hierarchy of the BGP policy issue's target (under 5 s and 1 GB):
# 100 routers, iBGP with two route reflectors over OSPF, 1,000 prefixes each (100,000 in
# every router's table). Cold start only: wall time, peak RSS, bytes per router and prefix.
"$NETSIM" gen random 100 --degree 3 --seed 1 --bgp ibgp-rr --prefixes 1000 >"$tmp/rr.yaml"
set -- $(best 1 "$tmp/rr.yaml")
echo "$1 $3" | awk '{ printf "ibgp-rr-100 x 100,000 prefixes: %ss wall, %dMB RSS, %.0f bytes per router and prefix\n",
    $1, $2 / 1024, $2 * 1024 / (100 * 100000) }'
