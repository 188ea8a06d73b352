# Where OSPF was compared route by route with FRR and differed: two ABRs summarising one range
# (16.2 step 3, discard routes, no loop), ASBR-summaries (12.4.3, RFC 3101), the forwarding
# address of redistributed routes on a shared segment (A.4.5, 16.4 step 3), unique router IDs
# in `show ip ospf route json`, and a missing protocol reported once.
. tests/scenario/lib.inc

# out FILE DEVICE COMMAND: what DEVICE printed for COMMAND (up to the next prompt or the end).
# (The JSON of a command that fails, such as a traceroute that does not arrive, ends without a
# newline, so the next prompt may follow its closing brace on the same line.)
out() {
	sed 's/^}\(\[t=[0-9.]*ms\] \)/}\n\1/' "$1" | awk -v p="] $2> $3" '
		index($0, p) == length($0) - length(p) + 1 && index($0, p) > 0 { on = 1; next }
		on && /^\[t=[0-9.]*ms\] [a-z0-9-]*> / { exit }
		on && /^Simulation complete:/ { exit }
		on { print }'
}

# Every object in the JSON has unique keys (python's json keeps the last of a repeated key).
json_unique() {
	python3 -c '
import json, sys
def pairs(kv):
    keys = [k for k, _ in kv]
    dup = {k for k in keys if keys.count(k) > 1}
    assert not dup, "repeated keys: %s" % sorted(dup)
    return dict(kv)
json.load(open(sys.argv[1]), object_pairs_hook=pairs)' "$1"
}

# --- two ABRs, one range ------------------------------------------------------------------------
T=tests/ospf/dual-abr-range.yaml
"$NETSIM" run "$T" >"$TMP/dual.out" || { cat "$TMP/dual.out"; fail "dual-abr run"; }
# Each ABR keeps its discard route for the range, not the other's summary.
for r in r2 r3; do
	out "$TMP/dual.out" $r "show ip route" >"$TMP/$r.route"
	expect_contains "$TMP/$r.route" "O     10.1.0.0/16 [110/20] is a blackhole"
	expect_not_contains "$TMP/$r.route" "O IA  10.1.0.0/16"
done
# The backbone reaches the range through both; area 1 never gets its own range back.
out "$TMP/dual.out" r1 "show ip route ospf" >"$TMP/r1.route"
expect_contains "$TMP/r1.route" "O IA  10.1.0.0/16 [110/30] via 10.0.12.2, eth0"
expect_contains "$TMP/r1.route" "                  [110/30] via 10.0.13.2, eth1"
out "$TMP/dual.out" r4 "show ip route ospf" >"$TMP/r4.route"
expect_contains "$TMP/r4.route" "O IA  1.1.1.1/32"
expect_not_contains "$TMP/r4.route" "10.1.0.0/16"
# Traceroute to an unused address of the range: the first ABR, then nothing (no loop).
out "$TMP/dual.out" r1 "traceroute 10.1.99.1 max-ttl 6 probes 1 timeout 1 json" >"$TMP/tr.json"
python3 - "$TMP/tr.json" <<'PY' || fail "traceroute into the range"
import json, sys
t = json.load(open(sys.argv[1]))
assert not t["reached"], t
hops = t["hops"]
assert len(hops) == 6, hops
assert hops[0]["probes"][0].get("address") in ("10.0.12.2", "10.0.13.2"), hops[0]
for h in hops[1:]:
    assert all(p.get("timeout") for p in h["probes"]), ("a hop past the ABR answered", h)
PY
expect_contains "$TMP/dual.out" "Ping 10.1.1.10: 1/1 packets received"
expect_contains "$TMP/dual.out" "Ping 10.1.99.1: 0/1 packets received"
expect_not_contains "$TMP/dual.out" "Time to live exceeded"
# ASBR-summaries for r4 (an ASBR in area 1): into the backbone from both ABRs, never into
# area 1 itself, where r4 lies (12.4.3: only the preferred path, never into its area).
out "$TMP/dual.out" r1 "show ip ospf database json" >"$TMP/r1db.json"
out "$TMP/dual.out" r4 "show ip ospf database json" >"$TMP/r4db.json"
python3 - "$TMP/r1db.json" "$TMP/r4db.json" <<'PY' || fail "ASBR-summaries around area 1"
import json, sys
bb = json.load(open(sys.argv[1]))["areas"]["0.0.0.0"]
a1 = json.load(open(sys.argv[2]))["areas"]["0.0.0.1"]
t4 = sorted((l["lsId"], l["advertisedRouter"]) for l in bb.get("asbrSummaryLinkStates", []))
assert t4 == [("4.4.4.4", "2.2.2.2"), ("4.4.4.4", "3.3.3.3")], t4
assert a1.get("asbrSummaryLinkStatesCount", 0) == 0, a1.get("asbrSummaryLinkStates")
# One summary per ABR for the range into the backbone; none of the range into area 1.
s = sorted((l["summaryAddress"], l["advertisedRouter"]) for l in bb["summaryLinkStates"])
assert s == [("10.1.0.0/16", "2.2.2.2"), ("10.1.0.0/16", "3.3.3.3")], s
assert all(l["summaryAddress"] != "10.1.0.0/16" for l in a1.get("summaryLinkStates", [])), a1
PY

# --- show ip ospf route json: a router reachable in two areas is one key ------------------------
sed -e '/^script:/,$d' "$T" >"$TMP/rj.yaml"
cat >>"$TMP/rj.yaml" <<'Y'
script:
  - {at: converged, device: r2, command: show ip ospf route json}
  - {at: converged, device: r2, command: show ip ospf border-routers json}
Y
"$NETSIM" run "$TMP/rj.yaml" >"$TMP/rj.out" || { cat "$TMP/rj.out"; fail "route json run"; }
out "$TMP/rj.out" r2 "show ip ospf route json" >"$TMP/rj.json"
out "$TMP/rj.out" r2 "show ip ospf border-routers json" >"$TMP/br.json"
json_unique "$TMP/rj.json" || fail "show ip ospf route json repeats a key"
json_unique "$TMP/br.json" || fail "show ip ospf border-routers json repeats a key"
python3 - "$TMP/rj.json" <<'PY' || fail "route json shape"
import json, sys
t = json.load(open(sys.argv[1]))
r3 = t["3.3.3.3"]  # the other ABR: in area 0 directly, in area 1 through r4
assert (r3["area"], r3["cost"], r3["routerType"]) == ("0.0.0.0", 10, "abr"), r3
areas = [(a["area"], a["routeType"], a["cost"]) for a in r3["areas"]]
assert areas == [("0.0.0.0", "R ", 10), ("0.0.0.1", "R ", 20)], areas
assert r3["areas"][1]["nexthops"] == [{"ip": "10.1.24.2", "via": "eth2"}], r3
r4 = t["4.4.4.4"]  # the ASBR: in area 1, and in area 0 through r3's ASBR-summary
areas = [(a["area"], a["routeType"], a["cost"], a["routerType"]) for a in r4["areas"]]
assert areas == [("0.0.0.0", "R IA", 20, "asbr"), ("0.0.0.1", "R ", 10, "asbr")], areas
PY

# --- forwarding address on a shared segment (A.4.5, 16.4 step 3) -------------------------------
T=tests/ospf/fwd-address-lan.yaml
"$NETSIM" run "$T" >"$TMP/fwd.out" || { cat "$TMP/fwd.out"; fail "fwd run"; }
out "$TMP/fwd.out" r3 "show ip route ospf" >"$TMP/fwd.r3"
# Straight to r2, the static's next hop, not through r1 (the ASBR)...
expect_contains "$TMP/fwd.r3" "O E2  192.0.2.0/24 [110/20] via 10.0.0.2, eth0"
# ...while a next hop off the OSPF networks leaves the forwarding address 0: through r1.
expect_contains "$TMP/fwd.r3" "O E2  198.51.100.0/24 [110/20] via 10.0.0.1, eth0"
out "$TMP/fwd.out" r3 "show ip ospf database external json" >"$TMP/fwd.json"
python3 - "$TMP/fwd.json" <<'PY' || fail "forwarding addresses in the AS-external-LSAs"
import json, sys
lsas = json.load(open(sys.argv[1]))["asExternalLinkStates"]["lsas"]
fa = {l["linkStateId"]: (l["advertisingRouter"], l["forwardAddress"]) for l in lsas}
assert fa == {"192.0.2.0": ("1.1.1.1", "10.0.0.2"), "198.51.100.0": ("1.1.1.1", "0.0.0.0")}, fa
PY
# r2 takes no route from an LSA whose forwarding address is its own: its connected one stays.
out "$TMP/fwd.out" r2 "show ip route 192.0.2.0/24" >"$TMP/fwd.r2"
expect_contains "$TMP/fwd.r2" 'Known via "connected"'
expect_not_contains "$TMP/fwd.r2" "ospf"
expect_contains "$TMP/fwd.out" "Round-trip path: h3 -> r3 -> r2 -> h2 -> r2 -> r3 -> h3"
# A next hop on a passive interface is not used as forwarding address (as Cisco).
# (Both statics now lead to x1; h2 is out of reach, so no ping.)
sed -e 's/      - {name: eth1, ip: 172.16.0.1\/24}/      - {name: eth1, ip: 172.16.0.1\/24, ospf: {area: 0, passive: true}}/' \
	-e '/command: ping/d' "$T" >"$TMP/fwdp.yaml"
grep -q "passive: true}}$" "$TMP/fwdp.yaml" || fail "passive edit"
sed -i -e 's/{prefix: 192.0.2.0\/24, via: 10.0.0.2}/{prefix: 192.0.2.0\/24, via: 172.16.0.2}/' "$TMP/fwdp.yaml"
"$NETSIM" run "$TMP/fwdp.yaml" >"$TMP/fwdp.out" || { cat "$TMP/fwdp.out"; fail "passive fwd run"; }
out "$TMP/fwdp.out" r3 "show ip route ospf" >"$TMP/fwdp.r3"
expect_contains "$TMP/fwdp.r3" "O E2  192.0.2.0/24 [110/20] via 10.0.0.1, eth0"
# Unreachable forwarding address: the LSA gives no route (16.4 step 3). r1's next hop is now on
# a network of area 1 that r1, as its ABR, keeps out of the backbone (a range not advertised).
sed -e 's/      - {name: eth1, ip: 172.16.0.1\/24}/      - {name: eth1, ip: 172.16.0.1\/24, ospf: {area: 1}}/' \
	-e 's/    ospf: {redistribute: \[static\]}/    ospf: {redistribute: [static], areas: {1: {ranges: [{prefix: 172.16.0.0\/16, advertise: false}]}}}/' \
	-e 's/{prefix: 192.0.2.0\/24, via: 10.0.0.2}/{prefix: 192.0.2.0\/24, via: 172.16.0.2}/' \
	-e '/command: ping/d' "$T" >"$TMP/fwdu.yaml"
grep -q "advertise: false" "$TMP/fwdu.yaml" || fail "range edit"
"$NETSIM" run "$TMP/fwdu.yaml" >"$TMP/fwdu.out" || { cat "$TMP/fwdu.out"; fail "unreachable fwd run"; }
out "$TMP/fwdu.out" r3 "show ip ospf database external json" >"$TMP/fwdu.json"
[ "$(grep -c '"forwardAddress": "172.16.0.2"' "$TMP/fwdu.json")" -eq 2 ] ||
	{ cat "$TMP/fwdu.json"; fail "forwarding addresses on the area-1 network"; }
out "$TMP/fwdu.out" r3 "show ip route ospf" >"$TMP/fwdu.r3"
expect_not_contains "$TMP/fwdu.r3" "172.16.0."
expect_not_contains "$TMP/fwdu.r3" "192.0.2.0/24"
expect_not_contains "$TMP/fwdu.r3" "198.51.100.0/24"

# --- NSSA: no ASBR-summary for an ASBR inside the NSSA (RFC 3101) -------------------------------
sed -e '/^script:/,$d' topologies/ospf-nssa.yaml >"$TMP/nssa.yaml"
cat >>"$TMP/nssa.yaml" <<'Y'
script:
  - {at: 60s, device: r1, command: show ip ospf database json}
  - {at: 60s, device: r1, command: show ip route ospf}
Y
"$NETSIM" run "$TMP/nssa.yaml" >"$TMP/nssa.out" || { cat "$TMP/nssa.out"; fail "nssa run"; }
out "$TMP/nssa.out" r1 "show ip ospf database json" >"$TMP/nssa.json"
python3 - "$TMP/nssa.json" <<'PY' || fail "ASBR-summaries around the NSSA"
import json, sys
d = json.load(open(sys.argv[1]))
bb = d["areas"]["0.0.0.0"]
# r3 (inside the NSSA) gets none; r4, the translator, is in the backbone itself: none either.
assert bb.get("asbrSummaryLinkStatesCount", 0) == 0, bb.get("asbrSummaryLinkStates")
ext = [(l["lsId"], l["advertisedRouter"]) for l in d["asExternalLinkStates"]]
assert ("198.51.100.0", "4.4.4.4") in ext, ext
PY
# ...and the backbone still routes to the translated external (toward its forwarding
# address, r3's loopback, through both border routers).
expect_contains "$TMP/nssa.out" "O E2  198.51.100.0/24 [110/20] via 10.0.12.2, eth0"
expect_contains "$TMP/nssa.out" "                      [110/20] via 10.0.14.4, eth1"

# --- a protocol this build lacks, named in every block: one error, with the count ---------------
python3 - "$TMP/many.yaml" <<'PY'
import sys
l = ["name: many", "devices:"]
for i in range(100):
    l += ["  - name: r%d" % i, "    rsvp: {}", "    interfaces:"]
    l += ["      - {name: eth%d, ip: 10.%d.%d.1/24, rsvp: {}}" % (k, i, k) for k in range(4)]
open(sys.argv[1], "w").write("\n".join(l) + "\n")
PY
set +e
"$NETSIM" validate "$TMP/many.yaml" >/dev/null 2>"$TMP/many.err"
rc=$?
set -e
[ $rc -eq 2 ] || { cat "$TMP/many.err"; fail "missing protocol: exit $rc, want 2"; }
[ "$(wc -l <"$TMP/many.err")" -eq 1 ] || { cat "$TMP/many.err"; fail "missing protocol said more than once"; }
expect_contains "$TMP/many.err" "many.yaml:4:5: device r0: protocol 'rsvp' is not available in this build of netsim (named in 500 places in this topology, reported once)"
echo "ospf-interop: ok"
