#!/bin/sh
# ospf.sh: OSPF scale measurements (run by `make bench`; numbers go to docs/performance.md).
#   For generated grids and rings of 100 and 1,000 routers (tests/bench/gen-grid.sh:
#   point-to-point /31 links, area 0, default timers): cold-start convergence wall time,
#   simulated convergence time, frames on the wire, LS Updates, SPF runs, peak RSS; and
#   the CPU cost of one link failure (the same run with a link shut one second after
#   convergence, minus the run without it: CPU time, which a busy machine disturbs less
#   than wall time).
# Usage: sh tests/bench/ospf.sh [NETSIM]   (default ./netsim)
set -eu
NETSIM=${1:-./netsim}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v /usr/bin/time >/dev/null || { echo "ospf.sh: needs /usr/bin/time (apt-get install time)"; exit 2; }

measure() { # NAME GEN-ARGS...
	name=$1
	shift
	sh "$here/gen-grid.sh" "$@" >"$tmp/$name.yaml"
	sh "$here/gen-grid.sh" "$@" fail >"$tmp/$name-fail.yaml"
	/usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$NETSIM" run -q "$tmp/$name.yaml" >"$tmp/out"
	read -r wall user sys rss <"$tmp/time"
	"$NETSIM" run --json "$tmp/$name.yaml" >"$tmp/json"
	frames=$(sed -n 's/.*"frames": \([0-9]*\).*/\1/p' "$tmp/json")
	conv=$(sed -n 's/.*"convergedAtMs": \([0-9.]*\).*/\1/p' "$tmp/json")
	lsus=$(sed -n 's/^OSPF events: .* hellos, \([0-9]*\) LSUs, .*/\1/p' "$tmp/out")
	spf=$(sed -n 's/^OSPF events: .* LSUs, \([0-9]*\) SPF runs.*/\1/p' "$tmp/out")
	/usr/bin/time -f "%e %U %S" -o "$tmp/time2" "$NETSIM" run -q "$tmp/$name-fail.yaml" >/dev/null
	read -r fwall fuser fsys <"$tmp/time2"
	fcpu=$(echo "$fuser $fsys $user $sys" | awk '{printf "%.2f", ($1 + $2) - ($3 + $4)}')
	printf "%-16s %8s %12s %10s %9s %9s %9s %12s\n" "$name" "${wall}s" "${conv}ms" "$frames" \
	    "$lsus" "$spf" "$((rss / 1024))MB" "${fcpu}s"
}

printf "%-16s %8s %12s %10s %9s %9s %9s %12s\n" topology wall converged frames LSUs SPF \
    peakRSS "fail (CPU)"
measure grid-10x10 10 10
measure ring-100 1 100 ring
measure grid-25x40 25 40
measure ring-1000 1 1000 ring
