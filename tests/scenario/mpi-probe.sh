# Distributed runs (docs/distributed.md): ping streams and FIB walks under mpirun give one
# process's output on 2 and 3 ranks: the shipped experiments built on them (link and
# router failures probed by ping streams between endpoints a walk picks; IS-IS with a
# stream of its own; a flapping link counted with net:info()), text and JSON, and
# tests/scenario/_mpi-probe.lua on an OSPF grid (net:walk, net:loops, expect.no_loops and
# net:verify before, during and after a loop made with static routes; streams read while they run,
# stopped, and across a failure; net:info()). (Without MPI built in there is nothing to
# compare: mpi.sh checks that such a build refuses mpirun.)
. tests/scenario/lib.inc
"$NETSIM" version | grep -q "MPI: built in" || exit 0
command -v mpirun >/dev/null 2>&1 ||
	fail "netsim has MPI built in but mpirun is missing: install openmpi-bin (make deps)"
. tests/scenario/mpi.inc
one failover scenarios/failover.lua
same failover 2 scenarios/failover.lua
same failover 3 scenarios/failover.lua
one failover-json --json scenarios/failover.lua -- ../topologies/ospf-triangle.yaml
same failover-json 2 --json scenarios/failover.lua -- ../topologies/ospf-triangle.yaml
one nodes scenarios/node-failure.lua
same nodes 3 scenarios/node-failure.lua
one isis scenarios/isis-failover.lua
same isis 2 scenarios/isis-failover.lua
one flap scenarios/flap.lua
same flap 3 scenarios/flap.lua
expect_contains "$TMP/failover.3" "r1:eth0--r2:eth0"
expect_contains "$TMP/failover.3" "h1->h4"
grep -q '"probe": "h1->h3"' "$TMP/failover-json.2" || fail "failover: no probe in the JSON rows"
grep -q '"lost": [1-9]' "$TMP/failover-json.2" || fail "failover: no probe lost in the JSON rows"
expect_contains "$TMP/nodes.3" "Router failures"
grep -q "^route_changes: [1-9]" "$TMP/flap.3" || fail "flap: no route changes counted (net:info)"
# The grid scenario, on 2 and 3 ranks.
sh tests/bench/gen-grid.sh 3 4 | sed '/^script:/,$d' >"$TMP/g12.yaml"
cp tests/scenario/_mpi-probe.lua "$TMP/"
all probe "$TMP/_mpi-probe.lua" -- g12.yaml
expect_contains "$TMP/probe.3" "walk r1 -> r12: delivered=true"
expect_contains "$TMP/probe.3" "route={r1,r5,r6,r7,r8,r12}"
expect_contains "$TMP/probe.3" "walk r6 -> r12: delivered=false destination=10.0.0.27 path={r6,r7,r6} result=loop"
expect_contains "$TMP/probe.3" "loops: 6, the first:"
expect_contains "$TMP/probe.3" "loops after: 0"
expect_contains "$TMP/probe.3" "looped stream: done=true lost=3 pending=0 received=0 sent=3"
grep -q "^stopped at [0-9]*: done=false .* sent=2[0-9][0-9]$" "$TMP/probe.3" || fail "probe: the stream's stats when stopped"
expect_contains "$TMP/probe.3" "stream result: 251 sent, 250 received"
expect_contains "$TMP/probe.3" "/_mpi-probe.lua:$(grep -n 'r9:ping_stream' tests/scenario/_mpi-probe.lua | cut -d: -f1): r9 is down"
expect_contains "$TMP/probe.3" "expect: 2 passed, 0 failed"
# net:verify: a result per intent, each device's part read on its rank.
for r in '"reason":"some equal-cost paths fail: loop at r7"' '"reason":"r6 has the route"' \
	'"reason":"metric 50, not 7"' '"reason":"6 of 24 walks end in a loop"' \
	'"reason":"the path crosses r7: r9 -> r5 -> r6 -> r7 -> r3 -> r4"' \
	'{"device":"r7","interface":"eth1","metric":0,"nexthop":"10.0.0.18","prefix":"10.0.0.27/32","protocol":"static"}' \
	'"suggestion":{"command":"show ip route 10.0.0.27","device":"r6"}'; do
	expect_contains "$TMP/probe.3" "$r"
done
expect_contains "$TMP/probe.3" "verify after: 5 passed, 4 failed"
grep -q "^info at the start: .*frames=[1-9].*messages=[1-9].*route_changes=[1-9]" "$TMP/probe.3" ||
	fail "probe: net:info() at the start: $(grep "^info at the start" "$TMP/probe.3")"
for w in converged end; do
	grep -q "^info .*$w: .*events=[1-9].*frames=[1-9].*messages=[1-9].*route_changes=[1-9].*; .*hellos=[1-9]" "$TMP/probe.3" ||
		fail "probe: net:info() $w: $(grep "^info .*$w" "$TMP/probe.3")"
done
exit 0
