#!/bin/sh
# bgp-feed.sh: full-table feeds (run by `make bench`; numbers go to docs/performance.md,
#   "BGP full tables"). `netsim gen bgp-feed --peers PEERS --prefixes PREFIXES --seed 1`
#   (docs/bgp-feed.md): PEERS route feeders each stream the same PREFIXES generated prefixes
#   (AS paths of their own) to one router under test over eBGP, MRAI 0. Two runs, each the
#   whole process measured (wall time and peak RSS from /usr/bin/time, feeders included):
#     load   cold start until converged: dut holds PEERS paths for each of PREFIXES
#            prefixes and PREFIXES B routes;
#     +wd    the same, then feed1 withdraws its whole table (`bgp feed withdraw`) and the
#            network converges again; "withdraw" is the difference of the two wall times.
#   Each run checks dut's table (PfxRcd per feeder, B routes) and says so when it is
#   short. The target the feeders were built for: 5 x 1,000,000 in under 10 s and 1 GB.
# Usage: sh tests/bench/bgp-feed.sh [NETSIM]   (default ./netsim; PEERS=5 PREFIXES=1000000)
set -eu
NETSIM=${1:-${NETSIM:-./netsim}}
PEERS=${PEERS:-5}
PREFIXES=${PREFIXES:-1000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v /usr/bin/time >/dev/null || { echo "$0: needs /usr/bin/time (apt-get install time)"; exit 2; }

"$NETSIM" gen bgp-feed --peers "$PEERS" --prefixes "$PREFIXES" --seed 1 -o "$tmp/feed.yaml"
{ cat "$tmp/feed.yaml"; echo "script:"
  echo "  - {at: converged, device: dut, command: show bgp summary}"
  echo "  - {at: converged, device: dut, command: show ip route summary}"; } >"$tmp/load.yaml"
cat >"$tmp/wd.lua" <<'EOF'
local net = netsim.load(netsim.args[1])
net:run()
net.feed1:cmd("bgp feed withdraw")
net:run()
print(net.dut:cmd("show bgp summary"))
print(net.dut:cmd("show ip route summary"))
print("Simulation complete: " .. net:now() .. "ms simulated")
EOF

# run NAME FILE [ARGS]: "wall rss simulated" of one run; its output in $tmp/NAME.out
run() {
	name=$1
	shift
	/usr/bin/time -f "%e %M" -o "$tmp/$name.time" "$NETSIM" run "$@" >"$tmp/$name.out" 2>&1 ||
		echo "$0: $name run failed" >&2
	sim=$(sed -n 's/^Simulation complete: \([0-9.]*[a-z]*\) simulated.*/\1/p' "$tmp/$name.out")
	echo "$(cat "$tmp/$name.time") $sim"
}

# check NAME FEED1-PREFIXES: dut's summary and routes as they should be
check() {
	awk -v want="$PREFIXES" -v w1="$2" -v peers="$PEERS" '
		/^10\.0\./ { n++; got = $10; w = (n == 1) ? w1 : want
		             if (got != w) { print "PfxRcd " $1 ": " got ", want " w; bad = 1 } }
		$1 == "bgp" { routes = $2 }
		END { if (n != peers) { print "neighbors: " n ", want " peers; bad = 1 }
		      if (routes != want) { print "B routes: " routes ", want " want; bad = 1 }
		      if (!bad) print "         dut: " peers " neighbors, PfxRcd as expected, " routes " B routes" }' "$tmp/$1.out"
}

echo "BGP full tables ($PEERS feeders x $PREFIXES prefixes; $(nproc) processors, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf "%-8s %9s %9s %12s\n" run wall RSS simulated
set -- $(run load "$tmp/load.yaml")
load_wall=$1 load_rss=$2
printf "%-8s %8ss %7sMB %12s\n" load "$1" "$(($2 / 1024))" "$3"
check load "$PREFIXES"
updates=$(sed -n 's/^BGP events: .* \([0-9]*\) UPDATEs sent.*/\1/p' "$tmp/load.out")
awk -v w="$load_wall" -v r="$load_rss" -v p="$PEERS" -v n="$PREFIXES" -v u="$updates" 'BEGIN {
	printf "         %s UPDATEs sent (all routers), %.0f paths/s into dut, %.0f bytes per path (whole process)\n",
	    u, p * n / w, r * 1024 / (p * n) }'
set -- $(run load1 --threads 1 "$tmp/load.yaml")
awk -v a="$load_wall" -v b="$1" 'BEGIN { printf "%-8s %8ss           (one thread; speed-up of the default threads over one: %.2fx)\n", "load -t1", b, b / a }'
cmp -s "$tmp/load.out" "$tmp/load1.out" 2>/dev/null ||
	{ grep -v '^Simulation complete' "$tmp/load.out" >"$tmp/a"; grep -v '^Simulation complete' "$tmp/load1.out" >"$tmp/b"
	  cmp -s "$tmp/a" "$tmp/b" || echo "         the one-thread output differs!"; }
set -- $(run wd "$tmp/wd.lua" -- "$tmp/feed.yaml")
printf "%-8s %8ss %7sMB %12s\n" +wd "$1" "$(($2 / 1024))" "$3"
check wd 0
awk -v a="$load_wall" -v b="$1" -v n="$PREFIXES" 'BEGIN { printf "withdraw %8.2fs (feed1 withdrawing %s prefixes, dut converging)\n", b - a, n }'
