# Same topology, script and seed: byte-identical output (timeline, JSON report, pcaps),
# whether the routers run on one thread, two or four (src/sim/workers.c).
# A different seed changes what depends on the random generator (loss draws).
. tests/scenario/lib.inc
cat >"$TMP/lossy.yaml" <<'Y'
name: lossy
devices:
  - name: h1
    type: host
    interfaces: [{name: eth0, ip: 10.0.0.1/24}]
  - name: h2
    type: host
    interfaces: [{name: eth0, ip: 10.0.0.2/24}]
links:
  - {endpoints: [h1:eth0, h2:eth0], loss: 30%}
script:
  - {at: 10ms, device: h1, command: ping 10.0.0.2 count 40 timeout 100ms, expect: success}
Y
# Larger generated networks, where every tick has many routers to run at once, with
# every router's tables shown after convergence: a grid, and a mix of areas (an NSSA
# with a translator, a normal area with an ASBR, ABRs, a broadcast segment).
# (with_shows: lib.inc)
sh tests/bench/gen-grid.sh 8 12 >"$TMP/g.yaml"
with_shows "$TMP/g.yaml" >"$TMP/grid.yaml"
sh tests/bench/gen-mixed.sh 6 9 >"$TMP/m.yaml"
with_shows "$TMP/m.yaml" >"$TMP/mixed.yaml"
"$NETSIM" gen grid 6x10 --igp isis-levels 3 >"$TMP/i.yaml"
with_shows "$TMP/i.yaml" "show ip route" "show isis database" "show isis topology" >"$TMP/isis.yaml"
# BGP: eBGP between 12 ASes (sessions over TCP, jittered advertisement intervals), and
# iBGP over OSPF between 24 routers, beyond a full mesh: two route reflectors.
"$NETSIM" gen random 12 --degree 3 --seed 3 --bgp ebgp --prefixes 2 >"$TMP/e.yaml"
with_shows "$TMP/e.yaml" "show ip route summary" "show bgp summary" "show bgp" >"$TMP/ebgp.yaml"
"$NETSIM" gen random 24 --degree 3 --seed 3 --bgp ibgp >"$TMP/b.yaml"
with_shows "$TMP/b.yaml" "show ip route" "show bgp summary" "show bgp" >"$TMP/ibgp.yaml"
# A single-level IS-IS grid where links fail and come back: repaired trees and routes
# computed in part (src/proto/isis/spf.c, route.c), shown after each change.
"$NETSIM" gen grid 6x8 --igp isis >"$TMP/if.yaml"
{
	cat "$TMP/if.yaml"
	echo "script:"
	t=1
	for e in "r9 eth1" "r20 eth2" "r3 eth0"; do
		set -- $e
		echo "  - {at: converged + ${t}s, device: $1, command: interface $2 shutdown}"
		echo "  - {at: converged + $((t + 2))s, device: r1, command: show ip route}"
		echo "  - {at: converged + $((t + 2))s, device: r30, command: show isis topology}"
		echo "  - {at: converged + $((t + 3))s, device: $1, command: no interface $2 shutdown}"
		echo "  - {at: converged + $((t + 40))s, device: r48, command: show ip route}"
		t=$((t + 45))
	done
} >"$TMP/isisfail.yaml"
# BFD (300 ms x 3, jittered from each node's generator) on every OSPF adjacency of a grid.
sh tests/bench/gen-grid.sh 5 6 | sed 's/ospf: {area: 0,/ospf: {bfd: true, area: 0,/' >"$TMP/bf.yaml"
with_shows "$TMP/bf.yaml" "show bfd peers" "show bfd peers brief" >"$TMP/bfdgrid.yaml"
for t in topologies/*.yaml tests/ospf/*.yaml tests/isis/*.yaml "$TMP/lossy.yaml" "$TMP/grid.yaml" "$TMP/mixed.yaml" "$TMP/isis.yaml" \
	"$TMP/isisfail.yaml" "$TMP/ebgp.yaml" "$TMP/ibgp.yaml" "$TMP/bfdgrid.yaml"; do
	name=$(basename "$t" .yaml)
	mkdir -p "$TMP/a-$name" "$TMP/b-$name"
	NETSIM_THREADS=1 "$NETSIM" run --seed 7 --pcap "$TMP/a-$name" "$t" | stable >"$TMP/a-$name.out" || true
	NETSIM_THREADS=2 "$NETSIM" run --seed 7 --pcap "$TMP/b-$name" "$t" | stable >"$TMP/b-$name.out" || true
	cmp "$TMP/a-$name.out" "$TMP/b-$name.out" || fail "$name: runs with seed 7 on 1 and 2 threads differ"
	same_pcaps "$TMP/a-$name" "$TMP/b-$name" "$name"
	NETSIM_THREADS=1 "$NETSIM" run --json --seed 7 "$t" | grep -Ev "wallSeconds|peakRssKB" >"$TMP/ja-$name.json" || true
	"$NETSIM" run --threads 4 --json --seed 7 "$t" | grep -Ev "wallSeconds|peakRssKB" >"$TMP/jb-$name.json" || true
	cmp "$TMP/ja-$name.json" "$TMP/jb-$name.json" || fail "$name: JSON reports on 1 and 4 threads differ"
done
# The generated networks did converge, with what they were built to show.
# Every BFD session of the grid is up: 49 links, two sessions each; r8 has four neighbors.
[ "$(grep -c '		Status: up' "$TMP/a-bfdgrid.out")" = 98 ] || fail "bfdgrid: not every BFD session up"
expect_contains "$TMP/a-bfdgrid.out" "Session count: 4"
expect_contains "$TMP/a-grid.out" "O     10.0.0.0/31"
expect_contains "$TMP/a-mixed.out" "O E2  192.0.2.0/24"
expect_contains "$TMP/a-mixed.out" "O N2  192.0.2.0/24"
expect_contains "$TMP/a-mixed.out" "O E2  198.51.100.0/24"
expect_contains "$TMP/a-mixed.out" "O IA"
expect_contains "$TMP/a-mixed.out" "FULL/DR"
expect_contains "$TMP/a-isis.out" "i*L1  0.0.0.0/0"
expect_contains "$TMP/a-isis.out" "i L2 "
expect_contains "$TMP/a-isisfail.out" "i L2  10.255.0.48/32"
# Every eBGP router learned the other 11 routers' 2 prefixes each; every iBGP router
# has every other router's prefix (23 iBGP routes, distance 200),
full=$(printf '%-20s %-20u %u' bgp 22 22)
[ "$(grep -cx "$full" "$TMP/a-ebgp.out")" -eq 12 ] || fail "ebgp: not every router has 22 BGP routes"
expect_contains "$TMP/a-ebgp.out" "Total number of neighbors 3"
[ "$(grep -c '^B .*\[200/0\]' "$TMP/a-ibgp.out")" -eq $((24 * 23)) ] || fail "ibgp: not 23 iBGP routes on each of 24 routers"
# and each of the 22 clients has every other router's prefix through both reflectors.
[ "$(grep -c 'Displayed  24 routes and 47 total paths' "$TMP/a-ibgp.out")" -eq 22 ] || fail "ibgp: clients without both reflectors' paths"
# --threads takes 1 to 8.
"$NETSIM" run --threads 0 topologies/ospf-triangle.yaml 2>"$TMP/thr.err" && fail "--threads 0 accepted"
expect_contains "$TMP/thr.err" "bad --threads '0' (1 to 8)"
# The loss draws follow the seed.
"$NETSIM" run --seed 1 "$TMP/lossy.yaml" | grep '^Ping' >"$TMP/s1" || true
"$NETSIM" run --seed 2 "$TMP/lossy.yaml" | grep '^Ping' >"$TMP/s2" || true
grep -q '% loss' "$TMP/s1" || fail "no ping summary"
cmp -s "$TMP/s1" "$TMP/s2" && fail "seeds 1 and 2 gave the same loss pattern: $(cat "$TMP/s1")"
# 30% loss each way: some but not all of 40 pings come back.
grep -Eq 'received, (0|100)% loss' "$TMP/s1" && fail "30% loss gave $(cat "$TMP/s1")"
exit 0
