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

# Routers, pairs of links and shared-risk groups. r2 crashing: r1 black-holes h3's traffic
# until its SPF (100 ms); r4 is on no host's path. The ring cut twice partitions h1 from h3
# (+: never recovered); r1-r2 with r2-r3 leaves r2 out of the path.
"$NETSIM" sweep --interval 100us --nodes r2,r4 --srlg r2:r3,r4:r5 --json "$ring" >"$TMP/more.json" ||
	fail "sweep of nodes and an SRLG failed"
"$NETSIM" sweep --double --links r1:r2,r2:r3,r4:r5 --json "$ring" >"$TMP/double.json" ||
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
assert len(pairs) == 3 and all(p["kind"] == "double" for p in pairs), pairs
names = [p["failure"] for p in pairs]
assert names[2] == "r1:eth0--r2:eth1 + r2:eth0--r3:eth1", names
assert not pairs[2]["worst_open"] and pairs[0]["worst_open"] and pairs[1]["worst_open"], pairs
PY

# Loop-free alternates: on the ring of five, a router's two neighbors have none (the far
# neighbor's path comes back through it: equal, not less), the two routers two hops away
# do; on the ECMP design every route has two next hops.
"$NETSIM" sweep --lfa --links r3:r4 --json "$ring" >"$TMP/lfa.json" || fail "sweep --lfa"
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
assert ecmp["coverage"] == 100 and all(r["ecmp"] == r["destinations"] == 2 for r in ecmp["routers"]), ecmp
PY

# The SVG timeline of the failure: well-formed, the loop and the outage drawn with their figures.
"$NETSIM" sweep --links r2:r3 --interval 100us --svg "$ring" >"$TMP/loop.svg" || fail "sweep --svg"
python3 - "$TMP/loop.svg" <<'PY' || fail "the SVG timeline is wrong"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = "{http://www.w3.org/2000/svg}"
titles = [t.text for t in root.iter(ns + "title")]
assert "loop: r1 r2 90.1ms" in titles, titles
assert "h1 -> h3: down 94.5ms (944 probes)" in titles, titles
assert any(t == "r1 FIB change at 100.1ms" for t in titles), titles
PY

# The same from Lua.
cat >"$TMP/s.lua" <<LUA
local experiment = require "netsim.experiment"
local rep = experiment.sweep("$TOP/$ring", {links = {"r2:r3"}, interval = "100us"})
expect.equal(rep.failures[1].loops[1].routers[1], "r1", "first router of the loop")
expect.no_loops_in(rep)
LUA
if "$NETSIM" run "$TMP/s.lua" >"$TMP/lua.out" 2>&1; then fail "expect.no_loops_in passed"; fi
expect_contains "$TMP/lua.out" "expect: 1 passed, 1 failed"

# Bad input: clear errors, exit 2 for usage.
set +e
"$NETSIM" sweep --flows everyone "$ring" 2>"$TMP/e1"; [ $? -eq 2 ] || fail "--flows everyone"
"$NETSIM" sweep --interval 0 "$ring" 2>"$TMP/e2"; [ $? -eq 2 ] || fail "--interval 0"
"$NETSIM" sweep nosuch.yaml 2>"$TMP/e3"; [ $? -eq 2 ] || fail "missing file"
"$NETSIM" sweep --links r1:r9 "$ring" >"$TMP/e4" 2>&1; [ $? -ne 0 ] || fail "--links r1:r9"
set -e
expect_contains "$TMP/e4" "no link 'r1:r9'"
exit 0
