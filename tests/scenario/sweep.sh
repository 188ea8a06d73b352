# netsim sweep (docs/experiments.md): the microloop of topologies/ospf-microloop.yaml is found
# by the FIB walks with its two routers and the duration the SPF delays make, the 100 us probe
# stream's outage matches it, the ECMP design loses only the probes on the failed wire, the
# JSON is the same on one and two threads, and the assertions fail the run.
. tests/scenario/lib.inc

ring=topologies/ospf-microloop.yaml
ecmp=topologies/ospf-ecmp.yaml
for th in 1 2; do
	"$NETSIM" sweep --threads $th --interval 100us --json "$ring" >"$TMP/ring$th.json" ||
		fail "sweep of $ring failed"
	"$NETSIM" sweep --threads $th --interval 100us --flows loopbacks --links r1:r2,r2:r3 --json \
		"$ecmp" >"$TMP/ecmp$th.json" || fail "sweep of $ecmp failed"
done
# A grid large enough for a tick's routers to run on both threads.
"$NETSIM" gen grid 3x4 >"$TMP/grid.yaml"
for th in 1 2; do
	"$NETSIM" sweep --threads $th --interval 200us --flows loopbacks --links r1:r2,r6:r7 --json \
		"$TMP/grid.yaml" >"$TMP/grid$th.json" || fail "sweep of the grid failed"
done
cmp "$TMP/grid1.json" "$TMP/grid2.json" || fail "the grid's sweep differs on 1 and 2 threads"
python3 - "$TMP/grid1.json" <<'PY' || fail "the grid's sweep report is wrong"
import json, sys
rows = json.load(open(sys.argv[1]))["failures"]
assert len(rows) == 2 and all(r["flows"] == 132 for r in rows), rows
for r in rows:
    # OSPF's SPF runs at once: each loop lasts one 1 ms hop, and every lost probe is accounted for.
    assert r["loops"] and all(l["ms"] == 1 for l in r["loops"]), r["loops"]
    assert r["lost"] == r["looped"] + r["blackholed"] + r["cut"] + r["arp"] and r["cut"] > 0, r
PY
cmp "$TMP/ring1.json" "$TMP/ring2.json" || fail "the ring's sweep differs on 1 and 2 threads"
cmp "$TMP/ecmp1.json" "$TMP/ecmp2.json" || fail "the ECMP sweep differs on 1 and 2 threads"

python3 - "$TMP/ring1.json" "$ring" <<'PY' || fail "the ring's sweep report is wrong"
import json, re, sys
rep = json.load(open(sys.argv[1]))
topo = open(sys.argv[2]).read()
rows = rep["failures"]
assert len(rows) == 7, len(rows)
outages = [r["worst_outage_ms"] for r in rows]
assert outages == sorted(outages, reverse=True), outages
row = next(r for r in rows if r["link"] == "r2:eth0--r3:eth1")
# The SPF delays of the topology: r2 moves at its own, r1 follows at its own.
delay = {m.group(1): int(m.group(2)) for m in
         re.finditer(r"name: (r\d)\n(?:.*\n)*?\s+spf: \{delay: (\d+)", topo)}
expected_loop = delay["r1"] - delay["r2"]
loops = [l for l in row["loops"] if l["routers"] == ["r1", "r2"]]
assert len(loops) == 1, row["loops"]
loop = loops[0]
assert loop["ms"] > 0 and not loop["open"], loop
# r1 hears of the failure one 100 us hop after r2 does.
assert abs(loop["ms"] - expected_loop) <= 0.5, (loop, expected_loop)
assert abs(loop["at"] - delay["r2"]) <= 0.5, loop
# Before r2's SPF its route points into the dead link: a black hole at r2 from the failure on.
down = [b for b in row["blackholes"] if b["routers"] == ["r2"]]
assert down and down[0]["at"] == 0 and abs(down[0]["ms"] - delay["r2"]) <= 0.5, row["blackholes"]
# Probes really looped, between r1 and r2, and died there.
assert row["looped"] > 0
drops = {d["device"]: d for d in row["drops"]}
in_loop = sum(drops[d]["looped"] for d in ("r1", "r2") if d in drops)
assert in_loop > 0.9 * row["looped"], drops
assert row["lost"] == row["looped"] + row["blackholed"] + row["cut"] + row["arp"], row
# The outage the 100 us stream saw is the black hole plus the loop, less the probes that
# left the loop when it ended (TTL 64 over 100 us hops) and the path's own delay.
walk = loop["at"] + loop["ms"]
assert row["worst_flow"] == "h1->h3", row
assert walk - 64 * 0.1 - 0.5 <= row["worst_outage_ms"] <= walk + 0.5, (row["worst_outage_ms"], walk)
assert row["converged"] and row["convergence_ms"] > 0 and row["route_changes"] > 0, row
# FIB updates per router: r2 and r3 at the failure and at their SPF (10 ms), the others at theirs.
upd = {u["device"]: u for u in row["fib_updates"]}
assert row["fibs_changed"] == 5 and sorted(upd) == ["r1", "r2", "r3", "r4", "r5"], upd
assert upd["r2"]["first_ms"] == 0 and upd["r2"]["last_ms"] == delay["r2"], upd["r2"]
assert abs(upd["r1"]["last_ms"] - delay["r1"]) <= 0.5, upd["r1"]
# Both flows moved to the other side of the ring.
assert row["paths_changed"] == 2, row
assert row["worst_path_before"] == ["h1", "r1", "r2", "r3", "h3"], row
assert row["worst_path_after"] == ["h1", "r1", "r5", "r4", "r3", "h3"], row
# Failures elsewhere on the ring that the hosts' paths do not cross cost nothing.
for name in ("r3:eth0--r4:eth1", "r4:eth0--r5:eth1", "r5:eth0--r1:eth1"):
    r = next(r for r in rows if r["link"] == name)
    assert r["lost"] == 0 and r["worst_outage_ms"] == 0 and r["loops"] == [], r
# A host's only link: its flows never recover.
r = next(r for r in rows if r["link"] == "r1:eth2--h1:eth0")
assert r["worst_open"] and r["flows_hit"] == 2, r
# Blast radius: losing h1's link changes the route to h1's LAN only, on every router; r2-r3
# changes the routes to the link itself and to what lay behind it (h3's LAN, r3's loopback).
assert r["affected_prefixes"] == ["10.0.1.0/24"] and r["prefixes_affected"] == 1, r
assert r["affected_routers"] == ["r1", "r2", "r3", "r4", "r5"] and r["routers_affected"] == 5, r
for r in rows:
    assert r["prefixes_affected"] == len(r["affected_prefixes"]) > 0, r
    assert r["routers_affected"] == len(r["affected_routers"]) <= r["fibs_changed"], r
assert {"10.23.0.0/24", "10.0.3.0/24", "10.255.0.3/32"} <= set(row["affected_prefixes"]), row
assert "10.0.1.0/24" in row["affected_prefixes"], row  # h3 reaches h1 the other way too
PY

python3 - "$TMP/ecmp1.json" <<'PY' || fail "the ECMP sweep report is wrong"
import json, sys
rep = json.load(open(sys.argv[1]))
assert len(rep["failures"]) == 4, rep["failures"]
for r in rep["failures"]:
    # Every core link has an equal-cost twin: no loop, no black hole; the only probes lost
    # are those on the wire of the link when it failed (100 us of a 100 us stream: one a flow).
    assert r["loops"] == [] and r["blackholes"] == [], r
    assert r["looped"] == 0 and r["blackholed"] == 0, r
    assert r["lost"] == r["cut"] and r["cut"] <= r["flows_hit"], r
    assert r["worst_outage_ms"] <= 0.2, r
    assert r["flows"] == 6, r
    # Only the three routers' FIBs change (ECMP groups shrink); the failed link's own prefix
    # is among the prefixes hit, its twin's is not.
    assert r["affected_routers"] == ["r1", "r2", "r3"], r
    pair = "10.12." if r["failure"].startswith("r1:") else "10.23."
    assert len([p for p in r["affected_prefixes"] if p.startswith(pair)]) == 1, r
PY

# The table: worst first, with the loop and its routers.
# (h1's link comes last in the topology, and never recovers: + on its outage).
"$NETSIM" sweep --interval 100us --links r2:r3,r4:r5,r1:h1 "$ring" >"$TMP/table.txt" || fail "table"
expect_contains "$TMP/table.txt" "r1<->r2 90.1ms"
sed -n 4p "$TMP/table.txt" | grep -q "^r1:eth2--h1:eth0  *[0-9.]*+ " || fail "worst failure not first"
sed -n 5p "$TMP/table.txt" | grep -q "^r2:eth0--r3:eth1 " || fail "second worst not second"

# Assertions fail the run (exit 1) and say why; met, they pass.
if "$NETSIM" sweep --links r2:r3 --no-loops --max-outage 50 "$ring" >"$TMP/assert.out" 2>&1; then
	fail "--no-loops and --max-outage passed on a microloop"
fi
expect_contains "$TMP/assert.out" "FAIL expect.max_outage(50)"
expect_contains "$TMP/assert.out" "r2:eth0--r3:eth1: r1<->r2 for 90"
"$NETSIM" sweep --links r1:r2 --no-loops --max-outage 1 "$ecmp" >"$TMP/ok.out" 2>&1 ||
	{ cat "$TMP/ok.out"; fail "the ECMP design failed its assertions"; }

# Routers, pairs of links and of routers, and shared-risk groups. r2 crashing: r1 black-holes h3's traffic
# until its SPF (100 ms); r4 is on no host's path. The ring cut twice partitions h1 from h3
# (+: never recovered); r1-r2 with r2-r3 leaves r2 out of the path.
"$NETSIM" sweep --interval 100us --nodes r2,r4 --srlg r2:r3,r4:r5 --json "$ring" >"$TMP/more.json" ||
	fail "sweep of nodes and an SRLG failed"
"$NETSIM" sweep --double --links r1:r2,r2:r3,r4:r5 --nodes r2,r4,r5 --json "$ring" >"$TMP/double.json" ||
	fail "sweep of pairs failed"
python3 - "$TMP/more.json" "$TMP/double.json" <<'PY' || fail "nodes, SRLG or pairs reported wrong"
import json, sys
more = {r["failure"]: r for r in json.load(open(sys.argv[1]))["failures"]}
assert sorted(more) == ["r2", "r2:eth0--r3:eth1 + r4:eth0--r5:eth1", "r4"], sorted(more)
r2 = more["r2"]
assert r2["kind"] == "node" and r2["flows"] == 2 and 99 <= r2["worst_outage_ms"] <= 101, r2
assert any(b["routers"] == ["r1"] for b in r2["blackholes"]), r2["blackholes"]
assert more["r4"]["lost"] == 0 and more["r4"]["worst_outage_ms"] == 0, more["r4"]
srlg = more["r2:eth0--r3:eth1 + r4:eth0--r5:eth1"]
assert srlg["kind"] == "srlg" and srlg["worst_open"] and srlg["flows_hit"] == 2, srlg
pairs = json.load(open(sys.argv[2]))["failures"]
assert len(pairs) == 6 and all(p["kind"] == "double" for p in pairs), pairs
# Pairs of routers: r2 with r4 cuts r3 (and h3) off, r2 with r5 r1 (and h1); r4 with r5
# leaves the hosts' path alone.
nodes = {p["failure"]: p for p in pairs if "+" in p["failure"] and ":" not in p["failure"]}
assert sorted(nodes) == ["r2 + r4", "r2 + r5", "r4 + r5"], sorted(nodes)
assert nodes["r2 + r4"]["worst_open"] and nodes["r2 + r5"]["worst_open"], nodes
assert nodes["r4 + r5"]["lost"] == 0 and nodes["r4 + r5"]["flows"] == 2, nodes["r4 + r5"]
pairs = [p for p in pairs if p["failure"] not in nodes]
assert len(pairs) == 3, pairs
names = [p["failure"] for p in pairs]
assert names[2] == "r1:eth0--r2:eth1 + r2:eth0--r3:eth1", names
assert not pairs[2]["worst_open"] and pairs[0]["worst_open"] and pairs[1]["worst_open"], pairs
PY

# Interface shutdowns, flaps and loss. r2:eth0 is r2's end of r2-r3: shut, it fails the link
# as the link's failure does (the same microloop). r2-r3 flapping for 300 ms: convergence
# counts from the failure through the link's return, the paths go back where they were, and
# the flap costs more route changes than the failure alone. r2-r3 losing 30 % of its frames
# for 300 ms: about 30 % of the probes crossing it then are lost, to no drop point, and
# nothing reroutes.
"$NETSIM" sweep --interfaces r2:eth0 --flap r2:r3 --loss r2:r3 --loss-pct 30 --lasts 300ms \
	--json "$ring" >"$TMP/flap.json" || fail "sweep --interfaces --flap --loss"
python3 - "$TMP/flap.json" "$TMP/ring1.json" <<'PY' || fail "interfaces, flaps or loss reported wrong"
import json, sys
rows = {r["kind"]: r for r in json.load(open(sys.argv[1]))["failures"]}
assert sorted(rows) == ["flap", "interface", "loss"], rows
loss = rows["loss"]
assert loss["failure"] == "r2:eth0--r3:eth1 30%" and loss["flows_hit"] == 2, loss
crossing = 2 * 300  # two flows, a probe a millisecond, for 300 ms
assert 0.2 * crossing < loss["lost"] < 0.4 * crossing, loss
assert loss["looped"] == loss["blackholed"] == loss["cut"] == loss["arp"] == 0, loss
assert loss["loops"] == [] and loss["route_changes"] == 0 and loss["routers_affected"] == 0, loss
assert loss["convergence_ms"] >= 300, loss
shut, flap = rows["interface"], rows["flap"]
assert shut["failure"] == "r2:eth0" and shut["worst_flow"] == "h1->h3", shut
assert [l["routers"] for l in shut["loops"]] == [["r1", "r2"]] and shut["looped"] > 0, shut
assert flap["failure"] == "r2:eth0--r3:eth1" and flap["converged"], flap
assert flap["convergence_ms"] > 300, flap
assert flap["worst_path_before"] == flap["worst_path_after"] == ["h1", "r1", "r2", "r3", "h3"], flap
once = next(r for r in json.load(open(sys.argv[2]))["failures"] if r["link"] == flap["failure"])
assert flap["route_changes"] > once["route_changes"] and once["paths_changed"] == 2, (flap, once)
assert flap["paths_changed"] == 0, flap
PY
set +e
"$NETSIM" sweep --interfaces r1:eth9 "$ring" >"$TMP/i1" 2>&1; [ $? -ne 0 ] || fail "--interfaces r1:eth9"
"$NETSIM" sweep --interfaces r1 "$ring" >"$TMP/i2" 2>&1; [ $? -ne 0 ] || fail "--interfaces r1"
"$NETSIM" sweep --flap r2:r3 --lasts 0 "$ring" 2>"$TMP/i3"; [ $? -eq 2 ] || fail "--lasts 0"
"$NETSIM" sweep --loss r2:r3 --loss-pct 0 "$ring" 2>"$TMP/i4"; [ $? -eq 2 ] || fail "--loss-pct 0"
"$NETSIM" sweep --loss r2:r3 --loss-pct 101 "$ring" 2>"$TMP/i5"; [ $? -eq 2 ] || fail "--loss-pct 101"
set -e
expect_contains "$TMP/i1" "r1 has no interface 'eth9'"
expect_contains "$TMP/i2" "'r1' is not an interface (DEVICE:IFNAME"
expect_contains "$TMP/i4" "bad --loss-pct '0'"

# Loop-free alternates: on the ring of five, a router's two neighbors have none (the far
# neighbor's path comes back through it: equal, not less), the two routers two hops away
# do; on the ECMP design every route has two next hops.
"$NETSIM" sweep --lfa --flows routers --links r3:r4 --json "$ring" >"$TMP/lfa.json" || fail "sweep --lfa"
"$NETSIM" sweep --lfa --links r1:r2 --json "$ecmp" >"$TMP/lfa-ecmp.json" || fail "sweep --lfa (ECMP)"
python3 - "$TMP/lfa.json" "$TMP/lfa-ecmp.json" <<'PY' || fail "LFA coverage is wrong"
import json, sys
lfa = json.load(open(sys.argv[1]))["lfa"]
assert lfa["coverage"] == 50 and lfa["destinations"] == 20, lfa
for r in lfa["routers"]:
    i = int(r["router"][1:])
    nbrs = sorted("r%d" % ((i + d - 1) % 5 + 1) for d in (-1, 1))
    assert r["lfa"] == 2 and r["ecmp"] == 0 and sorted(r["unprotected"]) == nbrs, r
ecmp = json.load(open(sys.argv[2]))["lfa"]
assert ecmp["coverage"] == 100 and all(r["ecmp"] == r["destinations"] > 0 for r in ecmp["routers"]), ecmp
# The hosts' flows there: a router's route to a host it is not attached to loses one member of
# its ECMP group, which was the alternate.
m = json.load(open(sys.argv[2]))["failures"][0]["lfa_matches"]
assert sorted((x["router"], x["destination"]) for x in m) == [("r1", "h3"), ("r2", "h1")], m
assert all(x["lfa_match"] and len(x["before"]) == 2 and len(x["after"]) == 1 for x in m), m
PY

# A triangle of unequal costs (r1-r3 30, r1-r2 25, r2-r3 10): every route has an LFA, none
# node-protecting (the primary next hop is the destination itself); downstream (RFC 5286
# inequality 2: nearer the destination than the router) are r1's two (via the far router, 10
# away) and r3's to r1 (r2 is 25 from r1, r3 30). When r1-r3 fails, both its ends move onto
# their LFA r2.
cat >"$TMP/tri.yaml" <<'YAML'
name: lfa-triangle
timers: fast
devices:
  - name: r1
    interfaces:
      - {name: lo, ip: 10.255.0.1/32, ospf: {area: 0}}
      - {name: eth0, ip: 10.12.0.1/24, ospf: {area: 0, cost: 25, network_type: point-to-point}}
      - {name: eth1, ip: 10.13.0.1/24, ospf: {area: 0, cost: 30, network_type: point-to-point}}
  - name: r2
    interfaces:
      - {name: lo, ip: 10.255.0.2/32, ospf: {area: 0}}
      - {name: eth0, ip: 10.12.0.2/24, ospf: {area: 0, cost: 25, network_type: point-to-point}}
      - {name: eth1, ip: 10.23.0.2/24, ospf: {area: 0, cost: 10, network_type: point-to-point}}
  - name: r3
    interfaces:
      - {name: lo, ip: 10.255.0.3/32, ospf: {area: 0}}
      - {name: eth0, ip: 10.13.0.3/24, ospf: {area: 0, cost: 30, network_type: point-to-point}}
      - {name: eth1, ip: 10.23.0.3/24, ospf: {area: 0, cost: 10, network_type: point-to-point}}
links:
  - {endpoints: [r1:eth0, r2:eth0]}
  - {endpoints: [r1:eth1, r3:eth0]}
  - {endpoints: [r2:eth1, r3:eth1]}
YAML
"$NETSIM" sweep --lfa --flows loopbacks --links r1:r3 --json "$TMP/tri.yaml" >"$TMP/tri.json" ||
	fail "sweep --lfa of the triangle"
python3 - "$TMP/tri.json" <<'PY' || fail "downstream or node-protecting alternates are wrong"
import json, sys
rep = json.load(open(sys.argv[1]))
alt = {(x["router"], a["destination"]): a for x in rep["lfa"]["routers"] for a in x["alternates"]}
assert len(alt) == 6 and all(len(a["lfas"]) == 1 and a["node_protecting"] == [] for a in alt.values()), alt
down = sorted(k for k, a in alt.items() if a["downstream"])
assert down == [("r1", "r2"), ("r1", "r3"), ("r3", "r1")], down
assert [x["downstream"] for x in rep["lfa"]["routers"]] == [2, 0, 1], rep["lfa"]
assert rep["lfa"]["coverage"] == 100, rep["lfa"]
m = sorted((x["router"], x["destination"], x["after"], x["lfa_match"]) for x in rep["failures"][0]["lfa_matches"])
assert m == [("r1", "r3", ["r2"], True), ("r3", "r1", ["r2"], True)], m
PY

# The SVG timelines of the failures, worst first, one under the other: well-formed, the loop
# and the outage drawn with their figures.
"$NETSIM" sweep --links r4:r5,r2:r3 --interval 100us --svg "$ring" >"$TMP/loop.svg" || fail "sweep --svg"
python3 - "$TMP/loop.svg" <<'PY' || fail "the SVG timeline is wrong"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = "{http://www.w3.org/2000/svg}"
parts = root.findall(ns + "svg")
assert [p.find(ns + "title").text for p in parts] == ["r2:eth0--r3:eth1", "r4:eth0--r5:eth1"], parts
assert int(parts[0].get("y")) == 0 and int(parts[1].get("y")) == int(parts[0].get("height")), parts
assert int(root.get("height")) == int(parts[0].get("height")) + int(parts[1].get("height")), root
titles = [t.text for t in parts[0].iter(ns + "title")]
assert "loop: r1 r2 90.1ms" in titles, titles
assert "h1 -> h3: down 94.5ms (944 probes)" in titles, titles
assert any(t == "r1 FIB change at 100.1ms" for t in titles), titles
PY

# Flows from a file: devices or addresses, a list or one under flows:. h1 to h3's address
# crosses r2-r3 and loops; r4 to r5 (by address) does not cross it.
cat >"$TMP/flows.yaml" <<'YAML'
flows:
  - {from: h1, to: 10.0.3.10}
  - {from: r4, to: 10.255.0.5}
YAML
grep -q "10.0.3.10/" "$ring" && grep -q "10.255.0.5/" "$ring" || fail "the ring's addresses moved"
# (Lua reads the file only under the topology's or the working directory: the ring goes along.)
cp "$ring" "$TMP/ring.yaml"
"$NETSIM" sweep --lfa --links r2:r3 --flows "$TMP/flows.yaml" --json "$TMP/ring.yaml" >"$TMP/file.json" ||
	fail "sweep --flows FILE"
set +e
"$NETSIM" sweep --links r2:r3 --flows "$TMP/flows.yaml" "$ring" >"$TMP/f0" 2>&1; [ $? -ne 0 ] || fail "read a file out of the sandbox"
set -e
expect_contains "$TMP/f0" "is outside the topology's directory"
python3 - "$TMP/file.json" "$TMP/flows.yaml" <<'PY' || fail "flows from a file reported wrong"
import json, sys
rep = json.load(open(sys.argv[1]))
assert rep["flows"] == sys.argv[2], rep["flows"]
r = rep["failures"][0]
assert r["flows"] == 2 and r["flows_hit"] == 1 and r["worst_flow"] == "h1->h3", r
assert r["loops"] and r["loops"][0]["routers"] == ["r1", "r2"], r["loops"]
# Loop-free alternates for the flows' destinations (h3, r5's loopback): r1 and r5 have one
# for h3, node-protecting (the far side of the ring); r2 and r4 have none (their neighbor's
# path comes back through them). For r5's loopback r2 and r3 have one, r1 and r4 none.
lfa = {x["router"]: x for x in rep["lfa"]["routers"]}
alt = {(x["router"], a["destination"]): a for x in rep["lfa"]["routers"] for a in x["alternates"]}
assert alt[("r1", "h3")]["lfas"] == ["r5"] and alt[("r1", "h3")]["node_protecting"] == ["r5"], alt
assert alt[("r5", "h3")]["lfas"] == ["r1"] and alt[("r2", "h3")]["lfas"] == [], alt
assert ("r3", "h3") not in alt and ("r5", "r5") not in alt, alt  # attached: nothing to protect
assert sorted(lfa["r4"]["unprotected"]) == ["h3", "r5"] and lfa["r4"]["coverage"] == 0, lfa["r4"]
assert lfa["r2"]["unprotected"] == ["h3"] and lfa["r2"]["coverage"] == 50, lfa["r2"]
assert rep["lfa"]["destinations"] == 8 and rep["lfa"]["coverage"] == 50, rep["lfa"]
# After r2-r3 fails, r1 moves h3's traffic onto its LFA r5; r2, which had none, onto r1.
m = {(x["router"], x["destination"]): x for x in r["lfa_matches"]}
assert sorted(m) == [("r1", "h3"), ("r2", "h3")], m
assert m[("r1", "h3")]["after"] == ["r5"] and m[("r1", "h3")]["lfa_match"] is True, m
assert m[("r2", "h3")]["after"] == ["r1"] and m[("r2", "h3")]["lfa_match"] is False, m
PY
# Every mistake of a file at its line and column, before anything runs (exit 2).
printf -- '- {from: h1}\n- [1]\n- {from: h1, to: h3, via: r2}\n' >"$TMP/bad1.yaml"
printf -- '- {from: h1, to: r9}\n- {from: 10.9.9.9, to: h3}\n' >"$TMP/bad2.yaml"
printf -- '- {from: h1, to: h1}\n' >"$TMP/bad3.yaml"
set +e
"$NETSIM" sweep --flows "$TMP/bad1.yaml" "$ring" 2>"$TMP/f1"; [ $? -eq 2 ] || fail "bad flows file: not exit 2"
"$NETSIM" sweep --flows "$TMP/bad2.yaml" "$ring" >"$TMP/f2" 2>&1; [ $? -eq 2 ] || fail "flows to r9: not exit 2"
"$NETSIM" sweep --flows "$TMP/bad3.yaml" "$ring" >"$TMP/f3" 2>&1; [ $? -eq 2 ] || fail "a flow to itself: not exit 2"
set -e
expect_contains "$TMP/f1" "bad1.yaml:1:3: a flow needs 'to'"
expect_contains "$TMP/f1" "bad1.yaml:2:3: expected a mapping for 'a flow"
expect_contains "$TMP/f1" "bad1.yaml:3:22: unknown key 'via' in a flow"
expect_contains "$TMP/f2" "bad2.yaml:1:18: 'r9' is neither an IPv4 address nor a device"
expect_contains "$TMP/f2" "bad2.yaml:2:10: no device has the address 10.9.9.9"
expect_contains "$TMP/f3" "bad3.yaml:1:3: a flow needs two different devices"

# The same from Lua (flows from the file; a bad one fails before any run).
cat >"$TMP/s.lua" <<LUA
local experiment = require "netsim.experiment"
local ok, err = pcall(experiment.sweep, "$TOP/$ring", {flows = "$TMP/bad2.yaml"})
expect.truthy(not ok and err:find("bad2.yaml:2:10: no device has the address 10.9.9.9", 1, true),
	"a bad file of flows: " .. tostring(err))
local rep = experiment.sweep("$TOP/$ring", {links = {"r2:r3"}, interval = "100us",
	flows = "$TMP/flows.yaml"})
expect.equal(rep.failures[1].flows, 2, "flows from the file")
expect.equal(rep.failures[1].loops[1].routers[1], "r1", "first router of the loop")
expect.no_loops_in(rep)
LUA
if "$NETSIM" run "$TMP/s.lua" >"$TMP/lua.out" 2>&1; then fail "expect.no_loops_in passed"; fi
expect_contains "$TMP/lua.out" "expect: 3 passed, 1 failed"

# Bad input: clear errors, exit 2 for usage.
set +e
"$NETSIM" sweep --flows everyone "$ring" 2>"$TMP/e1"; [ $? -eq 2 ] || fail "--flows everyone"
"$NETSIM" sweep --interval 0 "$ring" 2>"$TMP/e2"; [ $? -eq 2 ] || fail "--interval 0"
"$NETSIM" sweep nosuch.yaml 2>"$TMP/e3"; [ $? -eq 2 ] || fail "missing file"
"$NETSIM" sweep --links r1:r9 "$ring" >"$TMP/e4" 2>&1; [ $? -ne 0 ] || fail "--links r1:r9"
set -e
expect_contains "$TMP/e4" "no link 'r1:r9'"
exit 0
