# bgp-policy-frr: topologies/bgp-policy.yaml in netsim against FRR 8.4 running the same
# configuration (tests/frr/bgp-policy/, recorded by tests/frr/policy-record.sh): every
# router's best path per prefix (next hop, AS path, LOCAL_PREF, MED, origin) and its other
# paths; r2's received-routes; r5's RIB tag; before and after the run-time change of
# tests/scenario/bgp-policy.sh (FROM_R1's entries replaced, r3's VIA_R2 replaced). Then
# the policy commands: show route-map, show ip prefix-list, show bgp community-list and
# as-path-access-list line by line as FRR's BGP section prints them (counters masked), and
# the JSON key sets of those and of show bgp neighbors.
. tests/scenario/lib.inc
command -v python3 >/dev/null || fail "python3 is needed"

sed -e '/^script:/,$d' topologies/bgp-policy.yaml >"$TMP/p.yaml"
{
	echo "script:"
	for r in r1 r2 r3 r4 r5; do echo "  - {at: converged, device: $r, command: show ip bgp}"; done
	for c in "r2|show ip bgp neighbors 10.0.12.1 received-routes" "r2|show ip bgp neighbors 10.0.12.1" \
		"r3|show ip bgp neighbors 10.0.23.2" "r4|show ip bgp summary" "r1|show route-map" \
		"r2|show route-map" "r3|show route-map" "r2|show route-map FROM_R1" "r1|show ip prefix-list" \
		"r2|show ip prefix-list" "r2|show ip prefix-list CUSTOMER" "r2|show bgp community-list" \
		"r3|show bgp as-path-access-list" "r5|show ip route 10.1.0.0/24"; do
		echo "  - {at: converged, device: ${c%%|*}, command: ${c#*|}}"
	done
	cat <<'Y'
  - {at: converged + 100, device: r2, command: "policy set route_map FROM_R1 [{seq: 20, action: permit, match: {prefix_list: CUSTOMER}, set: {local_preference: 250}}]"}
  - {at: converged + 100, device: r3, command: "policy set as_path_list VIA_R2 [{action: permit, regex: '^65009_'}]"}
  - {at: converged + 500, device: r2, command: show ip bgp}
  - {at: converged + 500, device: r3, command: show ip bgp}
  - {at: converged + 500, device: r2, command: show route-map FROM_R1}
  - {at: converged + 500, device: r3, command: show bgp as-path-access-list}
Y
} >>"$TMP/p.yaml"
"$NETSIM" run --json "$TMP/p.yaml" >"$TMP/p.json" 2>"$TMP/p.err" || { cat "$TMP/p.err"; fail "the policy run failed"; }

python3 - "$TMP/p.json" tests/frr/bgp-policy <<'PY' || fail "netsim differs from FRR 8.4 on bgp-policy"
import json, os, sys
sys.path.insert(0, "tests/tools")
from frrcmp import lines, keys_match, daemon_section, frr_json, HOST, NBR_FRR_ONLY
outs, ref = json.load(open(sys.argv[1]))["outputs"], sys.argv[2]

def one(dev, cmd, k=0):
    got = [o for o in outs if o["device"] == dev and o["command"] == cmd]
    assert len(got) > k, "no output %d for %s> %s" % (k, dev, cmd)
    assert got[k]["status"] == 0, "%s> %s failed: %s" % (dev, cmd, got[k].get("error"))
    return got[k]

def frr(name):
    return os.path.join(ref, name)

# --- routes: every path FRR has, with its attributes, and the same best ---------------------------
def path_key(p):
    nh = p.get("nexthops", [{}])[0].get("ip") if "nexthops" in p else p.get("nextHop")
    return (nh, p.get("path"), p.get("locPrf"), p.get("metric"), p.get("origin"))

def table(j):
    return {pfx: (sorted(path_key(p) for p in paths),
                  [path_key(p) for p in paths if p.get("bestpath")])
            for pfx, paths in j["routes"].items()}

def same_table(dev, frr_file, k=0):
    ours = table(one(dev, "show ip bgp", k)["json"])
    theirs = table(json.load(open(frr(frr_file))))
    assert sorted(ours) == sorted(theirs), "%s: prefixes %s, FRR %s" % (dev, sorted(ours), sorted(theirs))
    for pfx in theirs:
        assert ours[pfx][1] == theirs[pfx][1], "%s %s best: netsim %s, FRR %s" % (dev, pfx, ours[pfx][1], theirs[pfx][1])
        assert ours[pfx][0] == theirs[pfx][0], "%s %s paths: netsim %s, FRR %s" % (dev, pfx, ours[pfx][0], theirs[pfx][0])

for r in ("r1", "r2", "r3", "r4", "r5"):
    same_table(r, "%s-show-ip-bgp.json" % r)
same_table("r2", "r2-show-ip-bgp-after.json", 1)
same_table("r3", "r3-show-ip-bgp-after.json", 1)

# r2's received-routes: the prefixes and each one's attributes as FRR shows them.
ours = one("r2", "show ip bgp neighbors 10.0.12.1 received-routes")["json"]
theirs = json.load(open(frr("r2-show-ip-bgp-neighbors-received.json")))
assert sorted(ours["receivedRoutes"]) == sorted(theirs["receivedRoutes"]), ours["receivedRoutes"].keys()
for pfx, p in theirs["receivedRoutes"].items():
    q = ours["receivedRoutes"][pfx]
    assert [q.get(k) for k in ("nextHop", "path", "metric", "locPrf", "appliedStatusSymbols")] == \
        [p.get(k) for k in ("nextHop", "path", "metric", "locPrf", "appliedStatusSymbols")], (pfx, q, p)
assert (ours["totalPrefixCounter"], ours["filteredPrefixCounter"]) == \
    (theirs["totalPrefixCounter"], theirs["filteredPrefixCounter"]) == (4, 1), ours
# r5: the tag its route map sets reaches the RIB (netsim's Lua map, FRR's plain one).
assert one("r5", "show ip route 10.1.0.0/24")["json"]["10.1.0.0/24"][0]["tag"] == \
    json.load(open(frr("r5-show-ip-route-prefix.json")))["10.1.0.0/24"][0]["tag"] == 55

# --- policy text: FRR's BGP section line by line, counters masked ---------------------------------
def same_text(dev, cmd, frr_file, k=0, section=True):
    ours = one(dev, cmd, k)["output"]
    theirs = open(frr(frr_file)).read()
    if section:
        theirs = daemon_section(theirs)
    a, b = lines(ours), lines(theirs)
    assert a == b, "%s> %s differs from FRR's %s:\n--- netsim\n%s\n--- FRR\n%s" % (
        dev, cmd, frr_file, "\n".join(a), "\n".join(b))

for r in ("r1", "r2", "r3"):
    same_text(r, "show route-map", "%s-show-route-map.txt" % r)
same_text("r2", "show route-map FROM_R1", "r2-show-route-map-FROM_R1.txt")
same_text("r2", "show route-map FROM_R1", "r2-show-route-map-FROM_R1-after.txt", 1)
same_text("r1", "show ip prefix-list", "r1-show-ip-prefix-list.txt")
same_text("r2", "show ip prefix-list", "r2-show-ip-prefix-list.txt")
same_text("r2", "show ip prefix-list CUSTOMER", "r2-show-ip-prefix-list-CUSTOMER.txt")
same_text("r2", "show ip bgp neighbors 10.0.12.1 received-routes", "r2-show-ip-bgp-neighbors-received.txt",
          section=False)
same_text("r2", "show bgp community-list", "r2-show-bgp-community-list.txt", section=False)
same_text("r3", "show bgp as-path-access-list", "r3-show-bgp-as-path-access-list.txt", section=False)
same_text("r3", "show bgp as-path-access-list", "r3-show-bgp-as-path-access-list-after.txt", 1, section=False)
# r4's summary: FRR's lines once memory sizes and ages are masked, but the counts of its row.
s = lines(one("r4", "show ip bgp summary")["output"])
f = lines(open(frr("r4-show-ip-bgp-summary.txt")).read())
assert len(s) == len(f), (s, f)
for a, b in zip(s, f):
    if a.startswith("10.0.34.3 "):
        a, b = a.split()[:3] + a.split()[-4:], b.split()[:3] + b.split()[-4:]
        assert a == b == ["10.0.34.3", "4", "65003", "#", "(Policy)", "(Policy)", "N/A"], (a, b)
    elif "using #" not in a:
        assert a == b, (a, b)

# --- JSON key sets ---------------------------------------------------------------------------------
for r in ("r1", "r2", "r3"):
    keys_match(one(r, "show route-map")["json"], frr_json(frr("%s-show-route-map.json" % r)), r + " route-map")
keys_match(one("r1", "show ip prefix-list")["json"], frr_json(frr("r1-show-ip-prefix-list.json")), "r1 prefix-list")
keys_match(one("r2", "show ip prefix-list CUSTOMER")["json"],
           frr_json(frr("r2-show-ip-prefix-list-CUSTOMER.json")), "r2 prefix-list CUSTOMER")
keys_match(one("r3", "show bgp as-path-access-list")["json"],
           json.load(open(frr("r3-show-bgp-as-path-access-list.json"))), "r3 as-path-access-list")
for dev, cmd, f in (("r2", "show ip bgp neighbors 10.0.12.1", "r2-show-ip-bgp-neighbors.json"),
                    ("r3", "show ip bgp neighbors 10.0.23.2", "r3-show-ip-bgp-neighbors.json")):
    keys_match(one(dev, cmd)["json"], json.load(open(frr(f))), dev + " neighbors", NBR_FRR_ONLY,
               ("lastReset",))
    a = one(dev, cmd)["json"]
    b = json.load(open(frr(f)))
    for v in (a, b):
        af = list(v.values())[0]["addressFamilyInfo"]["ipv4Unicast"]
        assert af["inboundPathPolicyConfig"] and af["routeMapForIncomingAdvertisements"], af
keys_match(one("r4", "show ip bgp summary")["json"], json.load(open(frr("r4-show-ip-bgp-summary.json"))),
           "r4 summary", HOST)
keys_match(one("r2", "show ip bgp neighbors 10.0.12.1 received-routes")["json"],
           json.load(open(frr("r2-show-ip-bgp-neighbors-received.json"))), "r2 received-routes")
PY
