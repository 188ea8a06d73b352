#!/bin/sh
# tsan.sh: networks whose routers run on several threads, under a ThreadSanitizer
# build of netsim ($NETSIM): any data race it reports fails the run, and each run's
# output must equal the one-thread run's. `make tsan` builds it and runs this.
set -eu
NETSIM=${NETSIM:?set NETSIM to a ThreadSanitizer build}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export TSAN_OPTIONS="halt_on_error=1 exitcode=66"
sh tests/bench/gen-grid.sh 6 8 >"$TMP/grid.yaml"
sh tests/bench/gen-mixed.sh 5 9 >"$TMP/mixed.yaml"
# IS-IS: two levels (LSPs shared across routers and threads), and a random network.
"$NETSIM" gen grid 6x10 --igp isis-levels 3 >"$TMP/isis-levels.yaml"
"$NETSIM" gen random 40 --degree 3 --seed 5 --igp isis >"$TMP/isis-random.yaml"
# A single-level grid where links fail and come back: incremental SPF, routes in part.
{
	"$NETSIM" gen grid 5x6 --igp isis
	echo "script:"
	echo "  - {at: converged + 1s, device: r8, command: interface eth1 shutdown}"
	echo "  - {at: converged + 3s, device: r14, command: interface eth2 shutdown}"
	echo "  - {at: converged + 40s, device: r8, command: no interface eth1 shutdown}"
	echo "  - {at: converged + 45s, device: r1, command: show ip route}"
} >"$TMP/isis-fail.yaml"
# BFD on every OSPF adjacency (sessions, jitter and clients on every thread).
sh tests/bench/gen-grid.sh 5 6 | sed 's/ospf: {area: 0,/ospf: {bfd: true, area: 0,/' >"$TMP/bfd-grid.yaml"
# BGP: eBGP sessions over TCP on every link, interned attributes shared by every thread.
"$NETSIM" gen random 20 --degree 3 --seed 5 --bgp ebgp --prefixes 2 >"$TMP/bgp-ebgp.yaml"
# Route feeders streaming a table to a router on another thread (feed.c, attributes interned on both).
"$NETSIM" gen bgp-feed --peers 3 --prefixes 2000 --seed 2 >"$TMP/bgp-feed.yaml"
# LDP on every link of an OSPF grid, a link failing: sessions, labels and LFIBs on every thread.
{
	"$NETSIM" gen grid 5x6 --ldp
	echo "script:"
	echo "  - {at: converged + 1s, device: r8, command: interface eth1 shutdown}"
	echo "  - {at: converged + 20s, device: r1, command: show mpls forwarding}"
} >"$TMP/ldp-grid.yaml"
for t in "$TMP/grid.yaml" "$TMP/mixed.yaml" "$TMP/isis-levels.yaml" "$TMP/isis-random.yaml" "$TMP/isis-fail.yaml" \
	"$TMP/bfd-grid.yaml" "$TMP/bgp-ebgp.yaml" "$TMP/bgp-feed.yaml" "$TMP/ldp-grid.yaml" topologies/*.yaml tests/ospf/*.yaml tests/isis/*.yaml; do
	name=$(basename "$t" .yaml)
	NETSIM_THREADS=1 "$NETSIM" run --seed 3 "$t" | grep -v '^Simulation complete' >"$TMP/$name.1"
	for n in 2 4; do
		if ! NETSIM_THREADS=$n "$NETSIM" run --seed 3 "$t" 2>"$TMP/$name.err" |
			grep -v '^Simulation complete' >"$TMP/$name.$n"; then
			cat "$TMP/$name.err"
			echo "FAIL: $name on $n threads (ThreadSanitizer)"
			exit 1
		fi
		if grep -q ThreadSanitizer "$TMP/$name.err"; then
			cat "$TMP/$name.err"
			echo "FAIL: $name on $n threads: ThreadSanitizer report"
			exit 1
		fi
		cmp "$TMP/$name.1" "$TMP/$name.$n" || { echo "FAIL: $name: 1 and $n threads differ"; exit 1; }
	done
	echo "PASS tsan $name"
done
