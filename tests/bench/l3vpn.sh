#!/bin/sh
# l3vpn.sh: BGP/MPLS IP VPN scale (run by `make bench`; numbers go to docs/performance.md).
#   tests/bench/gen-l3vpn.py PES VRFS PREFIXES: a VPN-IPv4 route reflector and PES
#   provider edges (OSPF and LDP), VRFS VRFs on each spanning every PE, PREFIXES static
#   routes per VRF and PE: PES x VRFS x PREFIXES VPN routes, each PE importing all but
#   its own. Columns: cold-start wall time (best of RUNS, default threads), simulated
#   convergence, frames, VPN routes on the reflector, routes imported per PE, peak RSS.
# Usage: sh tests/bench/l3vpn.sh [NETSIM]   (default ./netsim; RUNS=3)
set -eu
NETSIM=${1:-./netsim}
RUNS=${RUNS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.inc"

measure() { # PES VRFS PREFIXES
	python3 "$(dirname "$0")/gen-l3vpn.py" "$1" "$2" "$3" >"$tmp/v.yaml"
	"$NETSIM" run --json "$tmp/v.yaml" >"$tmp/json"
	frames=$(sed -n 's/.*"frames": \([0-9]*\).*/\1/p' "$tmp/json" | head -1)
	conv=$(sed -n 's/.*"convergedAtMs": \([0-9.]*\).*/\1/p' "$tmp/json" | head -1)
	set -- "$@" $(best 1 "$tmp/v.yaml")
	printf "%-22s %8s %10s %9s %10s %11s %8s\n" "$1 PEs x $2 VRFs x $3" "${4}s" "${conv}ms" \
	    "$frames" "$(($1 * $2 * $3))" "$((($1 - 1) * $2 * $3))" "$(($6 / 1024))MB"
}

echo "L3VPN: VPN-IPv4 through a route reflector (RUNS=$RUNS)"
printf "%-22s %8s %10s %9s %10s %11s %8s\n" network wall converged frames "VPN routes" "imported/PE" RSS
measure 20 10 50
measure 50 20 50
