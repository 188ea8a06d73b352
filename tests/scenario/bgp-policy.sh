# bgp-policy: route maps on BGP (topologies/bgp-policy.yaml): import and export
# maps, prefix lists with ge/le, an AS-path list, a community list, a set
# community and AS-path prepend on export, LOCAL_PREF over path length, a
# redistribution map (MED and tag), ebgp_requires_policy, a Lua route map; then
# policy changes at run time applied without a session reset: from the stored
# Adj-RIB-In (soft reconfiguration) on r2, by ROUTE-REFRESH on r3 (counted on
# both ends and decoded by tshark), `neighbor IP route-map` bound and unbound,
# a deleted map denying everything; and the errors.
. tests/scenario/lib.inc
command -v python3 >/dev/null || fail "python3 is needed"

sed -e '/^script:/,$d' topologies/bgp-policy.yaml >"$TMP/p.yaml"
cat >>"$TMP/p.yaml" <<'Y'
script:
  - {at: converged, device: r2, command: show bgp json}
  - {at: converged, device: r3, command: show bgp json}
  - {at: converged, device: r4, command: show bgp json}
  - {at: converged, device: r5, command: show bgp json}
  - {at: converged, device: r3, command: show bgp json}
  - {at: converged, device: r2, command: show bgp neighbors 10.0.12.1 received-routes json}
  - {at: converged, device: r3, command: show bgp neighbors 10.0.13.1 received-routes, expect: fail}
  - {at: converged, device: r2, command: show bgp neighbors 10.0.12.1 json}
  - {at: converged, device: r3, command: show bgp neighbors 10.0.23.2 json}
  - {at: converged, device: r5, command: show ip route 10.1.0.0/24 json}
  - {at: converged, device: r4, command: show bgp summary}
  - {at: converged, device: r2, command: show route-map FROM_R1 json}
  - {at: converged + 100, device: r2, command: "policy set route_map FROM_R1 [{seq: 20, action: permit, match: {prefix_list: CUSTOMER}, set: {local_preference: 250}}]"}
  - {at: converged + 100, device: r3, command: "policy set as_path_list VIA_R2 [{action: permit, regex: '^65009_'}]"}
  - {at: converged + 500, device: r2, command: show bgp json}
  - {at: converged + 500, device: r3, command: show bgp json}
  - {at: converged + 500, device: r2, command: show bgp neighbors 10.0.12.1 json}
  - {at: converged + 500, device: r3, command: show bgp neighbors 10.0.23.2 json}
  - {at: converged + 500, device: r2, command: show bgp neighbors 10.0.23.3 json}
  - {at: converged + 600, device: r1, command: no neighbor 10.0.12.2 route-map TO_R2 out}
  - {at: converged + 1000, device: r2, command: show bgp neighbors 10.0.12.1 received-routes json}
  - {at: converged + 1100, device: r1, command: neighbor 10.0.12.2 route-map TO_R2 out}
  - {at: converged + 1500, device: r2, command: show bgp neighbors 10.0.12.1 received-routes json}
  - {at: converged + 1600, device: r2, command: policy delete route_map FROM_R1}
  - {at: converged + 2000, device: r2, command: show bgp json}
  - {at: converged + 2000, device: r2, command: show bgp neighbors 10.0.12.1}
  - {at: converged + 2000, device: r1, command: neighbor 10.0.12.2 route-map NOPE in, expect: fail}
  - {at: converged + 2000, device: r1, command: no neighbor 10.0.12.2 route-map OTHER out, expect: fail}
  - {at: converged + 2500, device: r3, command: "policy set route_map TO_EDGE [{seq: 10, action: permit, match: {peer: 10.0.35.5}, set: {med: 55}}, {seq: 20, action: permit}]"}
  - {at: converged + 2500, device: r3, command: neighbor 10.0.35.5 route-map TO_EDGE out}
  - {at: converged + 2500, device: r3, command: neighbor 10.0.13.1 route-map TO_EDGE out}
  - {at: converged + 3000, device: r3, command: show bgp neighbors 10.0.35.5 advertised-routes json}
  - {at: converged + 3000, device: r3, command: show bgp neighbors 10.0.13.1 advertised-routes json}
Y
"$NETSIM" run --pcap "$TMP/pcap" "$TMP/p.yaml" >"$TMP/run.out" 2>&1 ||
	{ cat "$TMP/run.out"; fail "the policy run failed"; }

# Each command's output, by its number in the script (0-based), as a file.
python3 - "$TMP/run.out" "$TMP" <<'PY' || fail "could not split the outputs"
import re, sys
out, tmp = sys.argv[1], sys.argv[2]
blocks, cur = [], None
for line in open(out):
    if re.match(r"^\[t=[0-9.]+ms\] r[0-9]> ", line):
        cur = []
        blocks.append(cur)
    elif re.match(r"^\[t=[0-9.]+ms\] |^Simulation complete", line):
        cur = None
    elif cur is not None:
        cur.append(line)
for i, b in enumerate(blocks):
    open("%s/o%d" % (tmp, i), "w").write("".join(b))
PY

check() { # N PYTHON-EXPRESSION-OVER-j MESSAGE
	python3 - "$TMP/o$1" "$2" <<'PY' || fail "$3"
import json, sys
j = json.load(open(sys.argv[1]))
def paths(p): return j["routes"].get(p, [])
def best(p): return [x for x in paths(p) if x.get("bestpath")][0]
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}

# r2: 10.1.1.0/24 from r1 carries 65001:666 (r1's export map) and is denied, so
# r3's path is the one; r1's other /24s get LOCAL_PREF 200 (prefix list ge/le);
# 10.1.2.0/24 has r1's two prepends after r1's own AS.
check 0 'best("10.1.1.0/24")["path"] == "65003 65001"' "r2 took 10.1.1.0/24 from r1 despite its community"
check 0 'best("10.1.0.0/24")["locPrf"] == 200 and best("10.1.0.0/24")["path"] == "65001"' \
	"r2's import map did not set LOCAL_PREF 200 on 10.1.0.0/24"
check 0 'best("10.1.2.0/24")["path"] == "65001 65001 65001"' "r1's export prepend is missing"
# The redistribution map lets only 10.1.3.0/24 through, with MED 77.
check 0 '"10.1.4.0/24" not in j["routes"] and best("10.1.3.0/24")["metric"] == 77 and best("10.1.3.0/24")["origin"] == "incomplete"' \
	"r1's redistribution map did not select 10.1.3.0/24 with MED 77"
# r3 prefers r2's longer paths (AS-path list ^65002_, LOCAL_PREF 300).
check 1 'best("10.1.0.0/24")["nexthops"][0]["ip"] == "10.0.23.2" and best("10.1.0.0/24")["locPrf"] == 300' \
	"r3 does not prefer the path through r2"
# r4 (ebgp_requires_policy, no maps) has nothing; r3 has nothing from r4.
check 2 'list(j["routes"]) == ["10.4.0.0/24"]' "r4 accepted routes without an import policy"
check 4 '"10.4.0.0/24" not in j["routes"]' "r4 sent routes without an export policy"
expect_contains "$TMP/o10" "(Policy) (Policy)"
# r5's Lua map: no 10.1.2.0/24, MED = prefix length x 10.
check 3 '"10.1.2.0/24" not in j["routes"] and best("10.1.0.0/24")["metric"] == 240' "r5's Lua route map was not applied"
# received-routes: what r1 sent, before the map: 10.1.1.0/24 there, filtered.
check 5 '"10.1.1.0/24" in j["receivedRoutes"] and j["filteredPrefixCounter"] == 1 and j["totalPrefixCounter"] == 4' \
	"received-routes does not list r1's routes before the import map"
expect_contains "$TMP/o6" "Inbound soft reconfiguration not enabled"
check 7 'j["10.0.12.1"]["addressFamilyInfo"]["ipv4Unicast"]["routeMapForIncomingAdvertisements"] == "FROM_R1" and j["10.0.12.1"]["addressFamilyInfo"]["ipv4Unicast"]["inboundSoftConfigPermit"]' \
	"show bgp neighbors does not name r2's import map"
# The tag r5's Lua map sets reaches its RIB.
check 9 'j["10.1.0.0/24"][0]["tag"] == 55' "the route tag did not reach the RIB"
check 11 'j["BGP"]["FROM_R1"]["invoked"] == 4' "show route-map does not count r2's four routes"

# After the changes: r2 re-applied its map from the stored routes (no
# ROUTE-REFRESH to r1); r3 asked r2 with a ROUTE-REFRESH, and now prefers r1.
check 14 'best("10.1.1.0/24")["path"] == "65001" and best("10.1.0.0/24")["locPrf"] == 250' \
	"r2 did not apply its new import map"
check 15 'best("10.1.0.0/24")["nexthops"][0]["ip"] == "10.0.13.1"' "r3 did not apply its new AS-path list"
check 16 'j["10.0.12.1"]["messageStats"]["routeRefreshSent"] == 0' "r2 asked r1 for a route refresh"
check 17 'j["10.0.23.2"]["messageStats"]["routeRefreshSent"] == 1' "r3 sent no ROUTE-REFRESH"
check 18 'j["10.0.23.3"]["messageStats"]["routeRefreshRecv"] == 1' "r2 received no ROUTE-REFRESH"
# Export map unbound on r1 at run time: r2 gets 10.1.1.0/24 without the
# community and 10.1.2.0/24 without the prepends; bound again: back.
check 20 'j["receivedRoutes"]["10.1.2.0/24"]["path"] == "65001"' "unbinding r1's export map changed nothing"
check 22 'j["receivedRoutes"]["10.1.2.0/24"]["path"] == "65001 65001 65001"' "binding r1's export map again changed nothing"
# A deleted route map denies everything (as FRR); the neighbor shows it without '*'.
check 24 'all(best(p)["path"].startswith("65003") for p in j["routes"])' "a deleted import map still lets routes in"
expect_contains "$TMP/o25" "Route map for incoming advertisements is FROM_R1"
expect_contains "$TMP/run.out" "no route map 'NOPE' on r1"
expect_contains "$TMP/run.out" "neighbor 10.0.12.2 has no route map 'OTHER' out"

# One export map that matches on the neighbor: each neighbor gets what the map gives it
# (its own update group), not what it gives another member.
check 31 'all(r.get("metric") == 55 for r in j["advertisedRoutes"].values()) and len(j["advertisedRoutes"]) > 0' \
	"r3's map did not set MED 55 towards 10.0.35.5"
check 32 'all(r.get("metric") != 55 for r in j["advertisedRoutes"].values())' \
	"r3 sent 10.0.35.5's MED to 10.0.13.1 (match peer in a shared update group)"

# The ROUTE-REFRESH r3 sent, as tshark reads it.
pcapcheck_files "$TMP"/pcap/*.pcap || fail "pcapcheck"
tshark -r "$TMP/pcap/r2-eth1--r3-eth1.pcap" -Y "bgp.type == 5" 2>/dev/null >"$TMP/rr" || true
[ -s "$TMP/rr" ] || fail "tshark finds no ROUTE-REFRESH between r2 and r3"

# Errors: a neighbor naming a missing route map, a redistribution map missing.
sed -e 's/import: FROM_R1/import: MISSING/' topologies/bgp-policy.yaml >"$TMP/bad1.yaml"
"$NETSIM" run "$TMP/bad1.yaml" >"$TMP/bad1.out" 2>&1 && fail "a missing import map was accepted"
line=$(grep -n 'import: FROM_R1' topologies/bgp-policy.yaml | cut -d: -f1)
expect_contains "$TMP/bad1.out" "bad1.yaml:$line:"
expect_contains "$TMP/bad1.out" "import: no route map 'MISSING' on this device"
sed -e 's/route_map: STATIC/route_map: NOSUCH/' topologies/bgp-policy.yaml >"$TMP/bad2.yaml"
"$NETSIM" run "$TMP/bad2.yaml" >"$TMP/bad2.out" 2>&1 && fail "a missing redistribution map was accepted"
expect_contains "$TMP/bad2.out" "route_map: no route map 'NOSUCH' on this device"
