# netsim gen: shapes of the asked-for size, unique addresses (also at 10,000
# routers), OSPF networks that validate, converge and reach every loopback,
# areas with ABRs, IS-IS layouts of the right shape, the same bytes for the
# same arguments and different ones for another seed, BGP (eBGP per link,
# iBGP full mesh and route reflectors) converging to every router's
# prefixes, clear usage errors.
. tests/scenario/lib.inc

# count FILE PATTERN: lines matching (0 is fine)
count() {
	grep -c -- "$2" "$1" || true
}

# unique_ips FILE: no interface address appears twice (BGP neighbors' have no /len)
unique_ips() {
	dups=$(grep -o 'ip: [0-9.]*/' "$1" | sort | uniq -d | head -3)
	[ -z "$dups" ] || fail "$1: addresses used twice: $dups"
}

# converge FILE DEVICE NLOOPBACKS: runs FILE with `show ip route` on DEVICE at
# convergence; every router's loopback must be in DEVICE's table.
converge() {
	cp "$1" "$TMP/run.yaml"
	printf 'script:\n  - {at: converged, device: %s, command: show ip route}\n' "$2" >>"$TMP/run.yaml"
	"$NETSIM" run "$TMP/run.yaml" >"$TMP/run.out" 2>&1 || { tail "$TMP/run.out"; fail "$1 did not run"; }
	expect_contains "$TMP/run.out" "Network converged"
	n=$(grep -c '10\.255\.[0-9]*\.[0-9]*/32' "$TMP/run.out" || true)
	[ "$n" -eq "$3" ] || { cat "$TMP/run.out"; fail "$1: $2 has $n loopback routes, expected $3"; }
}

# Shapes: routers, links.
"$NETSIM" gen grid 3x4 >"$TMP/grid.yaml"
[ "$(count "$TMP/grid.yaml" 'router_id:')" -eq 12 ] || fail "grid 3x4: not 12 routers"
[ "$(count "$TMP/grid.yaml" 'endpoints:')" -eq 17 ] || fail "grid 3x4: not 17 links"
unique_ips "$TMP/grid.yaml"
"$NETSIM" validate "$TMP/grid.yaml" >"$TMP/v.out" || fail "grid does not validate"
expect_contains "$TMP/v.out" "ok (12 devices, 17 links"
converge "$TMP/grid.yaml" r1 12

"$NETSIM" gen ring 7 >"$TMP/ring.yaml"
[ "$(count "$TMP/ring.yaml" 'endpoints:')" -eq 7 ] || fail "ring 7: not 7 links"
converge "$TMP/ring.yaml" r4 7
"$NETSIM" gen full-mesh 5 >"$TMP/mesh.yaml"
[ "$(count "$TMP/mesh.yaml" 'endpoints:')" -eq 10 ] || fail "full-mesh 5: not 10 links"
converge "$TMP/mesh.yaml" r2 5

# Clos with hosts: 2 spines, 4 leaves, 2 hosts per leaf on one LAN; hosts reach each other.
"$NETSIM" gen clos 2 4 --hosts 2 >"$TMP/clos.yaml"
[ "$(count "$TMP/clos.yaml" 'type: host')" -eq 8 ] || fail "clos: not 8 hosts"
[ "$(count "$TMP/clos.yaml" 'router_id:')" -eq 6 ] || fail "clos: not 6 routers"
[ "$(count "$TMP/clos.yaml" 'endpoints:')" -eq 12 ] || fail "clos: not 8 fabric links and 4 LANs"
grep -q 'name: spine1-h' "$TMP/clos.yaml" && fail "clos: hosts behind a spine"
unique_ips "$TMP/clos.yaml"
h4=$(grep -A3 'name: leaf4-h2$' "$TMP/clos.yaml" | grep -o 'ip: [0-9.]*' | cut -d' ' -f2)
printf 'script:\n  - {at: converged, device: leaf1-h1, command: ping %s}\n' "$h4" >>"$TMP/clos.yaml"
"$NETSIM" run "$TMP/clos.yaml" >"$TMP/clos.out" 2>&1 || { tail "$TMP/clos.out"; fail "clos ping failed"; }
expect_contains "$TMP/clos.out" "5/5 packets received"

# OSPF areas: a backbone and 3 areas, ABRs in both, inter-area routes, everything reachable.
"$NETSIM" gen grid 4x6 --igp ospf-areas 3 --hosts 1 >"$TMP/areas.yaml"
areas=$(grep -o 'area: [0-9]*' "$TMP/areas.yaml" | sort -u | tr '\n' ' ')
[ "$areas" = "area: 0 area: 1 area: 2 area: 3 " ] || fail "ospf-areas 3 gave areas: $areas"
abrs=$(awk '/^  - name:/ { if (a0 && ax) n++; a0 = ax = 0 } /area: 0/ { a0 = 1 } /area: [1-9]/ { ax = 1 }
	END { if (a0 && ax) n++; print n + 0 }' "$TMP/areas.yaml")
[ "$abrs" -ge 3 ] || fail "ospf-areas 3: only $abrs routers in area 0 and another area"
converge "$TMP/areas.yaml" r24 24
expect_contains "$TMP/run.out" "O IA"
# One area: its first router is the backbone (its loopback in area 0), an ABR.
"$NETSIM" gen grid 3x3 --igp ospf-areas 1 >"$TMP/one-area.yaml"
[ "$(grep -c 'area: 0' "$TMP/one-area.yaml")" -eq 1 ] || fail "ospf-areas 1: not one area-0 loopback"
converge "$TMP/one-area.yaml" r9 9
"$NETSIM" gen clos 2 5 --igp ospf-areas 2 >"$TMP/clos-areas.yaml"
converge "$TMP/clos-areas.yaml" leaf5 7

# Random: N * D / 2 links, deterministic per seed, different for another seed, converges.
"$NETSIM" gen random 40 --degree 3 --seed 7 >"$TMP/r7a.yaml"
"$NETSIM" gen random 40 --degree 3 --seed 7 -o "$TMP/r7b.yaml"
"$NETSIM" gen random 40 --degree 3 --seed 8 >"$TMP/r8.yaml"
cmp -s "$TMP/r7a.yaml" "$TMP/r7b.yaml" || fail "random: same seed, different output"
cmp -s "$TMP/r7a.yaml" "$TMP/r8.yaml" && fail "random: another seed, same output"
[ "$(count "$TMP/r7a.yaml" 'endpoints:')" -eq 60 ] || fail "random 40 degree 3: not 60 links"
unique_ips "$TMP/r7a.yaml"
converge "$TMP/r7a.yaml" r1 40
"$NETSIM" gen random 40 --degree 3 --seed 7 --igp ospf-areas 4 >"$TMP/r7areas.yaml"
converge "$TMP/r7areas.yaml" r40 40

# 10,000 routers: addresses still unique.
"$NETSIM" gen grid 100x100 >"$TMP/big.yaml"
[ "$(count "$TMP/big.yaml" 'router_id:')" -eq 10000 ] || fail "grid 100x100: not 10000 routers"
unique_ips "$TMP/big.yaml"

# IS-IS: one level 2 area; 10 L1 areas of 100 routers plus an L2 backbone (the benchmark's shape).
"$NETSIM" gen grid 25x40 --igp isis >"$TMP/isis.yaml"
[ "$(count "$TMP/isis.yaml" 'level: l2}')" -eq 1000 ] || fail "isis: not 1000 level-2 routers"
[ "$(grep -o 'net: "[^"]*"' "$TMP/isis.yaml" | sort -u | wc -l)" -eq 1000 ] || fail "isis: NETs not unique"
[ "$(grep -o 'net: "49\.0001\.' "$TMP/isis.yaml" | wc -l)" -eq 1000 ] || fail "isis: not all in area 49.0001"
grep -q 'ospf' "$TMP/isis.yaml" && fail "isis: OSPF blocks in an IS-IS topology"
unique_ips "$TMP/isis.yaml"
"$NETSIM" gen grid 25x40 --igp isis-levels 10 >"$TMP/levels.yaml"
per_area=$(grep -o 'net: "49\.[0-9]*' "$TMP/levels.yaml" | sort | uniq -c | awk '{print $1}' | sort -u | tr '\n' ' ')
[ "$per_area" = "100 " ] || fail "isis-levels 10: areas of $per_area routers, not 100"
[ "$(grep -o 'net: "49\.[0-9]*' "$TMP/levels.yaml" | sort -u | wc -l)" -eq 10 ] || fail "isis-levels 10: not 10 areas"
[ "$(count "$TMP/levels.yaml" 'level: l1l2}')" -eq 34 ] || fail "isis-levels 10: not 34 L1L2 routers"
[ "$(count "$TMP/levels.yaml" 'level: l2}')" -eq 18 ] || fail "isis-levels 10: not 9 level-2 links"
# Both files are well-formed YAML for netsim's own loader (graph reads them with it).
"$NETSIM" graph "$TMP/levels.yaml" >"$TMP/levels.dot" || fail "isis-levels YAML does not load"
[ "$(count "$TMP/levels.dot" ' -- ')" -eq 1935 ] || fail "isis-levels: not 1935 links drawn"
# IS-IS may not be in this build: then validate names it. When it is, small
# networks converge: one level 2 area reaches every loopback; with two areas
# an L1 router (r1) has its own area's loopbacks and a default route to the
# L1L2 routers, an L1L2 router (r2, on the gateway link r2-r3) every loopback,
# and r1 reaches the far area's r12.
"$NETSIM" gen grid 3x4 --igp isis >"$TMP/small-isis.yaml"
"$NETSIM" gen grid 3x4 --igp isis-levels 2 >"$TMP/small-levels.yaml"
if "$NETSIM" validate "$TMP/small-isis.yaml" >"$TMP/v.out" 2>&1; then
	converge "$TMP/small-isis.yaml" r7 12
	converge "$TMP/small-levels.yaml" r2 12
	converge "$TMP/small-levels.yaml" r1 6
	expect_contains "$TMP/run.out" "0.0.0.0/0"
	cp "$TMP/small-levels.yaml" "$TMP/ping.yaml"
	printf 'script:\n  - {at: converged, device: r1, command: ping 10.255.0.12}\n' >>"$TMP/ping.yaml"
	"$NETSIM" run "$TMP/ping.yaml" >"$TMP/run.out" 2>&1 || { tail "$TMP/run.out"; fail "r1 cannot reach r12 over the L2 backbone"; }
	expect_contains "$TMP/run.out" "5/5 packets received"
else
	expect_contains "$TMP/v.out" "protocol 'isis' is not available in this build"
fi

# every_router FILE COUNT: runs FILE with `show ip route summary` on every
# router at convergence; each must have COUNT BGP routes, all in the FIB.
every_router() {
	cp "$1" "$TMP/run.yaml"
	echo "script:" >>"$TMP/run.yaml"
	routers=$(grep -c 'router_id:' "$1")
	sed -n 's/^  - name: //p' "$1" | grep -v -- '-h[0-9]*$' | while read -r d; do
		echo "  - {at: converged, device: $d, command: show ip route summary}"
	done >>"$TMP/run.yaml"
	"$NETSIM" run "$TMP/run.yaml" >"$TMP/run.out" 2>&1 || { tail "$TMP/run.out"; fail "$1 did not run"; }
	expect_contains "$TMP/run.out" "Network converged"
	n=$(grep -Ec "^bgp +$2 +$2\$" "$TMP/run.out" || true)
	[ "$n" -eq "$routers" ] || { grep '^bgp' "$TMP/run.out" | sort | uniq -c; fail "$1: $n of $routers routers have $2 BGP routes"; }
}

# BGP. eBGP: every router its own AS, a session per link to the far end's
# address, no IGP; each of 30 routers originates 2 prefixes and learns the
# other 29 routers' 58.
"$NETSIM" gen random 30 --degree 3 --seed 1 --bgp ebgp --prefixes 2 >"$TMP/ebgp.yaml"
"$NETSIM" gen random 30 --degree 3 --seed 1 --bgp ebgp --prefixes 2 -o "$TMP/ebgp2.yaml"
cmp -s "$TMP/ebgp.yaml" "$TMP/ebgp2.yaml" || fail "bgp: same arguments, different output"
grep -q 'ospf\|isis' "$TMP/ebgp.yaml" && fail "ebgp: an IGP without --igp"
[ "$(count "$TMP/ebgp.yaml" 'remote_as:')" -eq 90 ] || fail "ebgp: not one session at each end of 45 links"
[ "$(grep -o 'as: 645[0-9]*$' "$TMP/ebgp.yaml" | sort -u | wc -l)" -eq 30 ] || fail "ebgp: not 30 ASes"
[ "$(grep -o '100\.64\.[0-9.]*/24' "$TMP/ebgp.yaml" | sort | uniq -d | wc -l)" -eq 0 ] || fail "ebgp: a prefix twice"
expect_contains "$TMP/ebgp.yaml" "networks: [100.64.58.0/24, 100.64.59.0/24]"
unique_ips "$TMP/ebgp.yaml"
every_router "$TMP/ebgp.yaml" 58
# More than 1,023 routers: 4-octet private ASes (RFC 6996).
"$NETSIM" gen grid 32x32 --bgp ebgp >"$TMP/as4.yaml"
expect_contains "$TMP/as4.yaml" "as: 4200001023"
grep -q 'as: 6[0-9]*$' "$TMP/as4.yaml" && fail "1024 routers: a 16-bit AS"
# A Clos fabric as RFC 7938 numbers it: the spines share one AS, each leaf its own and
# a route through every spine (ECMP); a spine never learns the other spines' prefixes
# (its AS is on their paths), every leaf learns all 6 others.
"$NETSIM" gen clos 3 4 --bgp ebgp >"$TMP/clos-bgp.yaml"
[ "$(grep -o 'as: 645[0-9]*$' "$TMP/clos-bgp.yaml" | sort | uniq -c | awk '{ print $1 }' | sort -n | tr '\n' ' ')" = "1 1 1 1 3 " ] ||
	fail "clos ebgp: not one AS for the 3 spines and one per leaf"
[ "$(count "$TMP/clos-bgp.yaml" 'maximum_paths: 3$')" -eq 4 ] || fail "clos ebgp: leaves without maximum_paths 3"
cp "$TMP/clos-bgp.yaml" "$TMP/run.yaml"
printf 'script:\n  - {at: converged, device: leaf1, command: show ip route}\n  - {at: converged, device: spine1, command: show ip route summary}\n' >>"$TMP/run.yaml"
"$NETSIM" run "$TMP/run.yaml" >"$TMP/run.out" 2>&1 || { tail "$TMP/run.out"; fail "clos ebgp run"; }
[ "$(grep -c '^B ' "$TMP/run.out")" -eq 6 ] || { cat "$TMP/run.out"; fail "clos ebgp: leaf1 should have 6 BGP routes"; }
expect_contains "$TMP/run.out" "B     100.64.4.0/24 [20/0] via 10.0.0.1, eth0"
[ "$(grep -A2 '^B     100.64.4.0/24' "$TMP/run.out" | grep -c 'via')" -eq 3 ] || fail "clos ebgp: leaf2's prefix not over 3 spines"
grep -Eq '^bgp +4 +4$' "$TMP/run.out" || fail "clos ebgp: spine1 should have the 4 leaves' prefixes only"
# With hosts: their LANs are originated too, and hosts reach each other across ASes.
"$NETSIM" gen ring 5 --bgp ebgp --hosts 1 >"$TMP/ebgp-hosts.yaml"
expect_contains "$TMP/ebgp-hosts.yaml" "networks: [100.64.2.0/24, 172.16.0.8/30]"
printf 'script:\n  - {at: converged, device: r1-h1, command: ping 172.16.0.10}\n' >>"$TMP/ebgp-hosts.yaml"
"$NETSIM" run "$TMP/ebgp-hosts.yaml" >"$TMP/run.out" 2>&1 || { tail "$TMP/run.out"; fail "ebgp hosts"; }
expect_contains "$TMP/run.out" "5/5 packets received"
# iBGP over OSPF: up to 20 routers a full mesh between loopbacks; beyond, r1
# and r2 reflect (one cluster) to clients that peer with them only.
"$NETSIM" gen ring 6 --bgp ibgp --prefixes 3 >"$TMP/mesh-bgp.yaml"
[ "$(count "$TMP/mesh-bgp.yaml" 'peer_group: ibgp}')" -eq 30 ] || fail "ibgp ring 6: not a full mesh"
grep -q 'cluster_id' "$TMP/mesh-bgp.yaml" && fail "ibgp ring 6: route reflectors"
every_router "$TMP/mesh-bgp.yaml" 15
"$NETSIM" gen random 30 --degree 3 --seed 1 --bgp ibgp --prefixes 2 >"$TMP/rr.yaml"
[ "$(count "$TMP/rr.yaml" 'cluster_id: 10.255.0.1$')" -eq 2 ] || fail "ibgp 30: not 2 reflectors of one cluster"
[ "$(count "$TMP/rr.yaml" 'peer_group: clients}')" -eq 56 ] || fail "ibgp 30: not 28 clients on each reflector"
[ "$(count "$TMP/rr.yaml" 'peer_group: ibgp}')" -eq 58 ] || fail "ibgp 30: not 2 sessions per client and 1 between reflectors"
expect_contains "$TMP/rr.yaml" "area: 0"
every_router "$TMP/rr.yaml" 58
"$NETSIM" gen ring 4 --bgp ibgp-rr >"$TMP/rr4.yaml"
[ "$(count "$TMP/rr4.yaml" 'route_reflector_client: true')" -eq 2 ] || fail "ibgp-rr: no reflectors"
every_router "$TMP/rr4.yaml" 3
# netsim import shares it.
"$NETSIM" import zoo tests/import/square.graphml --bgp ebgp --prefixes 1 >"$TMP/sq.yaml" || fail "import --bgp"
every_router "$TMP/sq.yaml" 3

# Usage errors: exit 2 with a message; impossible layouts exit 1.
for args in "grid 3" "grid 0x4" "ring 2" "random 10 --seed 1" "grid 3x3 --igp bogus" \
	"grid 3x3 --igp ospf-areas" "pyramid 4" "ring 5 --degree 2" "random 5 --degree 5 --seed 1" \
	"ring 5 --prefixes 2" "ring 5 --bgp" "ring 5 --bgp egp" "ring 5 --bgp ebgp --prefixes 0"; do
	if "$NETSIM" gen $args >"$TMP/out" 2>"$TMP/err"; then fail "gen $args succeeded"; fi
	[ -s "$TMP/err" ] || fail "gen $args: no message"
	[ -s "$TMP/out" ] && fail "gen $args: wrote a topology anyway"
done
"$NETSIM" gen ring 6 --igp ospf-areas 20 >/dev/null 2>"$TMP/err" && fail "20 areas on 6 routers"
expect_contains "$TMP/err" "20 areas need at least 20 routers"
"$NETSIM" gen ring 5 --prefixes 2 >/dev/null 2>"$TMP/err" && fail "--prefixes without --bgp"
expect_contains "$TMP/err" "--prefixes needs --bgp"
"$NETSIM" gen grid 200x200 --bgp ebgp --prefixes 200 >/dev/null 2>"$TMP/err" && fail "8M prefixes fit"
expect_contains "$TMP/err" "do not fit in 100.64.0.0/10"
echo "gen: ok"
