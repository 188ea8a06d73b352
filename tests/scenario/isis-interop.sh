# IS-IS as compared with FRR 8.4 isisd, without FRR: netsim's routes on the topologies
# tests/isis/frr-*.yaml against the routes FRR computed for them (tests/isis/frr-*.routes.json,
# recorded by tests/frr/isis-compare.sh --record; docs/isis.md "Compared with FRR"). Every
# difference must be one of the known FRR deviations the comparison names. Then what the
# comparison found or pinned down: equal-cost paths through a LAN's pseudonode, no ATT bit
# without another area, overload.
. tests/scenario/lib.inc

# out FILE DEVICE COMMAND: what DEVICE printed for COMMAND (up to the next prompt or the end).
out() {
	awk -v p="] $2> $3" '
		index($0, p) == length($0) - length(p) + 1 && index($0, p) > 0 { on = 1; next }
		on && /^\[t=[0-9.]*ms\] [a-z0-9-]*> / { exit }
		on && /^Simulation complete:/ { exit }
		on { print }' "$1"
}

# run_with NAME TOPOLOGY: run TOPOLOGY with its script replaced by stdin's; output in $TMP/NAME.out.
run_with() {
	{ sed -e '/^script:/,$d' "$2"; cat; } >"$TMP/$1.yaml"
	"$NETSIM" run "$TMP/$1.yaml" >"$TMP/$1.out" || { cat "$TMP/$1.out"; fail "$1 run"; }
}

# replay NAME TOPOLOGY: netsim against FRR's recorded routes for TOPOLOGY.
replay() {
	python3 tests/frr/isis_compare.py --netsim "$NETSIM" --replay "tests/isis/frr-$1.routes.json" \
		--out "$TMP/$1" "$2" >"$TMP/$1.cmp" || { cat "$TMP/$1.cmp"; fail "$1: netsim differs from FRR"; }
	# Every router was compared, and some routes are equal.
	n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["routers"]))' "tests/isis/frr-$1.routes.json")
	[ "$(grep -c ' routes: ' "$TMP/$1.cmp")" -eq "$n" ] || { cat "$TMP/$1.cmp"; fail "$1: not every router compared"; }
	grep -q ' routes: equal' "$TMP/$1.cmp" || { cat "$TMP/$1.cmp"; fail "$1: no router equal"; }
}

# --- the recorded comparisons ------------------------------------------------------------------
sed '/leak:/d' topologies/isis-hierarchy.yaml >"$TMP/hierarchy.yaml"   # FRR 8.4 cannot leak
replay hierarchy "$TMP/hierarchy.yaml"
for t in lan-p2p two-area narrow overload random-1 random-3-narrow; do
	replay $t tests/isis/frr-$t.yaml
done
# The known differences stay what they were: FRR puts no L1 routes into L2...
expect_contains "$TMP/hierarchy.cmp" "192.0.2.1/32       netsim: i L2 20 via 10.0.0.2 eth0          frr: none  [FRR 8.4 puts no L1 routes in its L2 LSP]"
# ...and sets ATT with any L2 adjacency, so its level-1 router takes a default route netsim does not.
expect_contains "$TMP/lan-p2p.cmp" "0.0.0.0/0          netsim: none"
expect_contains "$TMP/random-1.cmp" "[FRR picks the adjacency by system ID: parallel LANs to one neighbour]"

# --- equal cost through a pseudonode (found against FRR) ---------------------------------------
# r reaches x directly over a LAN (28) and through y (12 + 16): both next hops. r is the LAN's
# DIS, so its pseudonode's ID sorts after x's system ID; x must not leave the SPF heap first.
cat >"$TMP/ecmp.yaml" <<'Y'
name: isis-ecmp-pseudonode
devices:
  - name: r
    isis: {net: "49.0001.0000.0000.0009.00", level: l2}
    interfaces:
      - {name: eth0, ip: 10.0.1.1/24, isis: {metric: 28, priority: 100}}
      - {name: eth1, ip: 10.0.2.1/24, isis: {metric: 12, network_type: point-to-point}}
  - name: x
    isis: {net: "49.0001.0000.0000.0001.00", level: l2}
    interfaces:
      - {name: eth0, ip: 10.0.1.2/24, isis: {}}
      - {name: eth1, ip: 10.0.3.2/24, isis: {}}
      - {name: lo, ip: 192.0.2.1/32, isis: {}}
  - name: y
    isis: {net: "49.0001.0000.0000.0005.00", level: l2}
    interfaces:
      - {name: eth0, ip: 10.0.2.2/24, isis: {network_type: point-to-point}}
      - {name: eth1, ip: 10.0.3.1/24, isis: {metric: 16}}
links:
  - endpoints: [r:eth0, x:eth0]
  - endpoints: [r:eth1, y:eth0]
  - endpoints: [y:eth1, x:eth1]
script:
  - {at: converged, device: r, command: show ip route isis}
  - {at: converged, device: r, command: show isis database}
Y
"$NETSIM" run "$TMP/ecmp.yaml" >"$TMP/ecmp.out" || { cat "$TMP/ecmp.out"; fail "ecmp run"; }
out "$TMP/ecmp.out" r "show isis database" >"$TMP/ecmp.db"
expect_contains "$TMP/ecmp.db" "r.01-00"   # r is the DIS: the pseudonode is r's
out "$TMP/ecmp.out" r "show ip route isis" >"$TMP/ecmp.rt"
expect_contains "$TMP/ecmp.rt" "i L2  192.0.2.1/32 [115/28] via 10.0.1.2, eth0"
expect_contains "$TMP/ecmp.rt" "[115/28] via 10.0.2.2, eth1"

# --- one area: no ATT bit, so no default route for its level-1 router --------------------------
run_with att tests/isis/frr-lan-p2p.yaml <<'Y'
script:
  - {at: converged, device: r1, command: show ip route}
  - {at: converged, device: r1, command: show isis database}
Y
out "$TMP/att.out" r1 "show isis database" >"$TMP/att.db"
expect_contains "$TMP/att.db" "r3.00-00"
[ "$(grep -c -- '-00 .* 0/0/0$' "$TMP/att.db")" -eq 5 ] || fail "an L1 LSP with ATT (or another bit) in a one-area network"
out "$TMP/att.out" r1 "show ip route" >"$TMP/att.rt"
expect_contains "$TMP/att.rt" "i L1  192.0.2.4/32"
expect_not_contains "$TMP/att.rt" "0.0.0.0/0"

# --- overload: no transit through r2, its own prefixes stay ------------------------------------
echo 'script: [{at: converged, device: r1, command: show ip route isis}]' | run_with ol tests/isis/frr-overload.yaml
out "$TMP/ol.out" r1 "show ip route isis" >"$TMP/ol.rt"
expect_contains "$TMP/ol.rt" "i L2  192.0.2.2/32 [115/10] via 10.0.12.2, eth0"
expect_contains "$TMP/ol.rt" "i L2  192.0.2.3/32 [115/40] via 10.0.14.4, eth1"
expect_not_contains "$TMP/ol.rt" "192.0.2.5/32"
echo "isis-interop: ok"
