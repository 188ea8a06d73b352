# isis-show: the IS-IS commands (neighbors, database, interface, topology,
# summary, show ip protocols) on the L1/L2 hierarchy and on a LAN with a DIS
# plus a point-to-point link: text as FRR prints it, JSON with FRR's keys,
# errors for unknown LSP IDs and bad arguments, a router without IS-IS; the
# same commands through Lua's dev:cmd_json, `netsim exec` and the daemon's
# Tab completion.
. tests/scenario/lib.inc
. tests/daemon/lib.sh
command -v python3 >/dev/null || fail "python3 is needed"

# --- the hierarchy: r1 (L1) -- r2 (L1L2, leaks L2 into L1) -- r3 (L2) ---------------------------
sed -e '/^script:/,$d' topologies/isis-hierarchy.yaml >"$TMP/h.yaml"
cat >>"$TMP/h.yaml" <<'Y'
script:
  - {at: converged, device: r2, command: show isis neighbors}
  - {at: converged, device: r1, command: show isis neighbors detail}
  - {at: converged, device: r2, command: show isis database}
  - {at: converged, device: r1, command: show isis database detail}
  - {at: converged, device: r1, command: show isis database 0000.0000.0002.01-00}
  - {at: converged, device: r1, command: sh isis data det r2.01}
  - {at: converged, device: r1, command: show isis topology}
  - {at: converged, device: r3, command: show isis topology}
  - {at: converged, device: r2, command: show isis interface}
  - {at: converged, device: r2, command: show isis interface eth0}
  - {at: converged, device: r2, command: show isis summary}
  - {at: converged, device: r2, command: show ip protocols}
  - {at: converged, device: r1, command: show isis database r9, expect: fail}
  - {at: converged, device: r1, command: show isis database r1.05-00, expect: fail}
  - {at: converged, device: r1, command: show isis database 0000.0000.0001.7-00, expect: fail}
  - {at: converged, device: r1, command: show isis neighbors everything, expect: fail}
  - {at: converged, device: r1, command: show isis interface eth9, expect: fail}
  - {at: converged, device: r1, command: show isis topology level-1, expect: fail}
  - {at: converged, device: r1, command: show isis database -00, expect: fail}
  - {at: converged, device: r1, command: show isis database detail r2 r1, expect: fail}
Y
"$NETSIM" run "$TMP/h.yaml" >"$TMP/h.out" 2>&1 || { cat "$TMP/h.out"; fail "the hierarchy run"; }
H="$TMP/h.out"
# Each command's output, by its prompt line.
section() { # FILE "dev> command" -> $TMP/sec
	awk -v p="$2" 'index($0, "] " p) && substr($0, length($0) - length(p) + 1) == p {on = 1; next}
	               on && /^\[t=/ {exit} on {print}' "$1" >"$TMP/sec"
	[ -s "$TMP/sec" ] || { cat "$1"; fail "no output for '$2'"; }
}
expect_contains "$H" "Network converged"
section "$H" "r2> show isis neighbors"
grep -Eq '^ r1 +eth0 +1  Up +[0-9]+ +0200\.0000\.0000$' "$TMP/sec" || { cat "$TMP/sec"; fail "r2 neighbor r1 (L1, Up)"; }
grep -Eq '^ r3 +eth1 +2  Up +[0-9]+ +[0-9a-f.]{14}$' "$TMP/sec" || { cat "$TMP/sec"; fail "r2 neighbor r3 (L2, Up)"; }
expect_contains "$TMP/sec" "  System Id           Interface   L  State        Holdtime SNPA"
section "$H" "r1> show isis neighbors detail"
expect_contains "$TMP/sec" "    Interface: eth0, Level: 1, State: Up, Expires in"
expect_contains "$TMP/sec" "    Circuit type: L1L2, Speaks: IPv4"
expect_contains "$TMP/sec" ", LAN id: r2.01"
expect_contains "$TMP/sec" "    LAN Priority: 64, is DIS"
expect_contains "$TMP/sec" "      10.1.0.2"
expect_contains "$TMP/sec" "      49.0001"
# Own LSPs (*), the DIS's pseudonode LSPs, per level.
section "$H" "r2> show isis database"
expect_contains "$TMP/sec" "LSP ID                  PduLen  SeqNumber   Chksum  Holdtime  ATT/P/OL"
awk '/Level-1/ {l = 1} /Level-2/ {l = 2} {print l ": " $0}' "$TMP/sec" >"$TMP/lv"
grep -Eq '^1: r2\.00-00 +\* +[0-9]+ +0x[0-9a-f]{8}  0x[0-9a-f]{4} +1[0-9]{3}    1/0/0$' "$TMP/lv" || { cat "$TMP/lv"; fail "r2's own L1 LSP with ATT"; }
grep -Eq '^1: r2\.01-00 +\* ' "$TMP/lv" || fail "r2's L1 pseudonode LSP (it is the DIS)"
grep -Eq '^1: r1\.00-00 +[0-9]+ ' "$TMP/lv" || fail "r1's LSP in L1"
grep -Eq '^2: r3\.01-00 +[0-9]+ ' "$TMP/lv" || fail "r3's L2 pseudonode LSP"
grep -Eq '^2: r2\.00-00 +\* .* 0/0/0$' "$TMP/lv" || fail "r2's own L2 LSP without ATT"
[ "$(grep -c '    3 LSPs' "$TMP/sec")" = 2 ] || { cat "$TMP/sec"; fail "3 LSPs per level"; }
# detail: every TLV decoded, the leaked prefix with its up/down bit.
section "$H" "r1> show isis database detail"
expect_contains "$TMP/sec" "  Protocols Supported: IPv4"
expect_contains "$TMP/sec" "  Area Address: 49.0001"
expect_contains "$TMP/sec" "  Hostname: r2"
expect_contains "$TMP/sec" "  IPv4 Interface Address: 10.1.0.2"
expect_contains "$TMP/sec" "  Extended Reachability: 0000.0000.0002.01 (Metric: 10)"
expect_contains "$TMP/sec" "  Extended IP Reachability: 192.0.2.1/32 (Metric: 0)"
expect_contains "$TMP/sec" "  Extended IP Reachability: 192.0.2.3/32 (Metric: 10) Down"
expect_not_contains "$TMP/sec" "IS-IS Level-2"
# One LSP, by system ID or by hostname: decoded.
for cmd in "show isis database 0000.0000.0002.01-00" "sh isis data det r2.01"; do
	section "$H" "r1> $cmd"
	expect_contains "$TMP/sec" "  Extended Reachability: 0000.0000.0001.00 (Metric: 0)"
	expect_contains "$TMP/sec" "  Extended Reachability: 0000.0000.0002.00 (Metric: 0)"
	[ "$(grep -c '^r' "$TMP/sec")" = 1 ] || { cat "$TMP/sec"; fail "$cmd: one LSP"; }
done
# topology: distances, next hops, parents.
section "$H" "r1> show isis topology"
expect_contains "$TMP/sec" "Vertex               Type         Metric Next-Hop             Interface Parent"
grep -Eq '^r2\.01 +pseudo_TE-IS +10 +r1\(3\)$' "$TMP/sec" || { cat "$TMP/sec"; fail "r1 topology: r2.01"; }
grep -Eq '^r2 +TE-IS +10 +r2 +eth0 +r2\.01\(2\)$' "$TMP/sec" || { cat "$TMP/sec"; fail "r1 topology: r2"; }
section "$H" "r3> show isis topology"
grep -Eq '^r2 +TE-IS +10 +r2 +eth0 +r3\.01\(2\)$' "$TMP/sec" || { cat "$TMP/sec"; fail "r3 topology: r2"; }
expect_not_contains "$TMP/sec" "level-1"
section "$H" "r2> show isis interface"
grep -Eq '^  eth0 +0x[0-9a-f]+ +Up +lan +L1L2$' "$TMP/sec" || { cat "$TMP/sec"; fail "r2 interfaces: eth0"; }
grep -Eq '^  lo +0x[0-9a-f]+ +Up +loopback +L1L2$' "$TMP/sec" || fail "r2 interfaces: lo"
section "$H" "r2> show isis interface eth0"
expect_contains "$TMP/sec" "  Interface: eth0, State: Up, Active, Circuit Id:"
expect_contains "$TMP/sec" "      LAN Priority: 64, is DIS, LAN ID: r2.01"
expect_contains "$TMP/sec" "      Metric: 10, Active neighbors: 1"
grep -Eq 'Counters \(in/out\): IIH [1-9][0-9]*/[1-9]' "$TMP/sec" || { cat "$TMP/sec"; fail "IIH counters"; }
section "$H" "r2> show isis summary"
expect_contains "$TMP/sec" "System Id       : 0000.0000.0002"
expect_contains "$TMP/sec" "  Net: 49.0001.0000.0000.0002.00"
grep -Eq '^      run count         : [1-9]' "$TMP/sec" || { cat "$TMP/sec"; fail "SPF runs"; }
[ "$(grep -c '    LSPs in database: 3' "$TMP/sec")" = 2 ] || fail "LSP counts per level"
section "$H" "r2> show ip protocols"
expect_contains "$TMP/sec" "  Metric style: wide"
expect_contains "$TMP/sec" "    eth1 (L1L2, lan, metric 10)"
expect_contains "$TMP/sec" "    lo (L1L2, loopback, metric 0, passive)"
expect_contains "$TMP/sec" "  Leaking level-2 into level-1: all"
expect_contains "$TMP/sec" "  Distance: 115"
# Errors.
expect_contains "$H" "% unknown LSP ID 'r9'"
expect_contains "$H" "% no LSP r1.05-00 in the IS-IS databases"
expect_contains "$H" "% unknown LSP ID '0000.0000.0001.7-00'"
expect_contains "$H" "% usage: show isis neighbors [detail]"
expect_contains "$H" "% IS-IS is not enabled on interface 'eth9'"
expect_contains "$H" "% 'show isis topology' takes no arguments"
expect_contains "$H" "% unknown LSP ID '-00'"
expect_contains "$H" "% usage: show isis database [detail] [LSPID]"

# --- a LAN of three (r3 the DIS) and a point-to-point link r1--r2; r4 without IS-IS -------------
sed -e '/^script:/,$d' tests/isis/show-lan-p2p.yaml >"$TMP/l.yaml"
cat >>"$TMP/l.yaml" <<'Y'
script:
  - {at: converged, device: r1, command: show isis neighbors}
  - {at: converged, device: r1, command: show isis neighbors detail}
  - {at: converged, device: r2, command: show isis database}
  - {at: converged, device: r2, command: show isis database detail r1}
  - {at: converged, device: r1, command: show isis topology}
  - {at: converged, device: r1, command: show isis interface}
  - {at: converged, device: r1, command: show isis interface eth1}
  - {at: converged, device: r4, command: show isis neighbors}
  - {at: converged, device: r4, command: show isis database}
  - {at: converged, device: r3, command: show ip protocols}
Y
"$NETSIM" run "$TMP/l.yaml" >"$TMP/l.out" 2>&1 || { cat "$TMP/l.out"; fail "the LAN run"; }
L="$TMP/l.out"
section "$L" "r1> show isis neighbors"
grep -Eq '^ r2 +eth1 +3  Up ' "$TMP/sec" || { cat "$TMP/sec"; fail "p2p adjacency to r2 (both levels)"; }
for lv in 1 2; do
	grep -Eq "^ r2 +eth0 +$lv  Up " "$TMP/sec" || fail "LAN adjacency to r2 L$lv"
	grep -Eq "^ r3 +eth0 +$lv  Up " "$TMP/sec" || fail "LAN adjacency to r3 L$lv"
done
section "$L" "r1> show isis neighbors detail"
expect_contains "$TMP/sec" "    Three-way state: Up, Extended circuit ID:"
expect_contains "$TMP/sec" "    LAN Priority: 100, is DIS"
expect_contains "$TMP/sec" "    LAN Priority: 64, is not DIS"
section "$L" "r2> show isis database"
[ "$(grep -Ec '^r3\.01-00 ' "$TMP/sec")" = 2 ] || { cat "$TMP/sec"; fail "the DIS's pseudonode LSP at both levels"; }
[ "$(grep -Ec '^r2\.00-00 +\*' "$TMP/sec")" = 2 ] || fail "own LSPs at both levels"
section "$L" "r2> show isis database detail r1"
expect_contains "$TMP/sec" "  IS Reachability: 0000.0000.0003.01 (Metric: 10)"
expect_contains "$TMP/sec" "  IS Reachability: 0000.0000.0002.00 (Metric: 5)"
expect_contains "$TMP/sec" "  Extended Reachability: 0000.0000.0002.00 (Metric: 5)"
expect_contains "$TMP/sec" "  IP Reachability: 10.12.0.0/24 (Metric: 5)"
expect_contains "$TMP/sec" "  Extended IP Reachability: 10.12.0.0/24 (Metric: 5)"
section "$L" "r1> show isis topology"
grep -Eq '^r2 +TE-IS +5 +r2 +eth1 +r1\(3\)$' "$TMP/sec" || { cat "$TMP/sec"; fail "r2 at 5 over the p2p link"; }
grep -Eq '^r3 +TE-IS +10 +r3 +eth0 +r3\.01\(2\)$' "$TMP/sec" || { cat "$TMP/sec"; fail "r3 at 10 over the LAN"; }
section "$L" "r1> show isis interface"
grep -Eq '^  eth1 +0x[0-9a-f]+ +Up +p2p +L1L2$' "$TMP/sec" || { cat "$TMP/sec"; fail "eth1 is p2p"; }
section "$L" "r1> show isis interface eth1"
expect_contains "$TMP/sec" "    Type: p2p, Level: L1L2"
expect_contains "$TMP/sec" "      Metric: 5, Active neighbors: 1"
expect_not_contains "$TMP/sec" "LAN Priority"
section "$L" "r4> show isis neighbors"
expect_contains "$TMP/sec" "% IS-IS is not running on r4"
section "$L" "r4> show isis database"
expect_contains "$TMP/sec" "% IS-IS is not running on r4"
section "$L" "r3> show ip protocols"
expect_contains "$TMP/sec" "  Metric style: transition"
expect_contains "$TMP/sec" "  Redistributing:"
expect_contains "$TMP/sec" "    static (metric "
expect_not_contains "$TMP/sec" "eth1"

# --- JSON: parses, FRR's keys ----------------------------------------------------------------------
sed -e '/^script:/,$d' tests/isis/show-lan-p2p.yaml >"$TMP/j.yaml"
cat >>"$TMP/j.yaml" <<'Y'
script:
  - {at: converged, device: r1, command: show isis neighbors}
  - {at: converged, device: r1, command: show isis neighbors detail}
  - {at: converged, device: r1, command: show isis database}
  - {at: converged, device: r1, command: show isis database detail r3.01}
  - {at: converged, device: r1, command: show isis interface}
  - {at: converged, device: r1, command: show isis interface detail}
  - {at: converged, device: r1, command: show isis topology}
  - {at: converged, device: r1, command: show isis summary}
  - {at: converged, device: r1, command: show ip protocols}
  - {at: converged, device: r4, command: show isis summary}
  - {at: converged, device: r1, command: show isis database r7, expect: fail}
Y
"$NETSIM" run --json "$TMP/j.yaml" >"$TMP/j.json" || fail "the JSON run"
python3 - "$TMP/j.json" <<'PY' || fail "JSON checks"
import json, sys
r = json.load(open(sys.argv[1]))
out = {o["command"] + "@" + o["device"]: o for o in r["outputs"]}
def js(cmd):
    o = out[cmd]
    assert o["status"] == 0, o
    return o["json"]
def area(cmd, key):
    a = js(cmd)["areas"][0]
    assert a["area"] in ("default", {"name": "default"}), a
    return a[key]
nb = area("show isis neighbors@r1", "circuits")
assert len(nb) == 5, nb
for n in nb:
    assert set(("circuit", "adj", "interface", "level", "state", "expires-in", "snpa")) <= set(n), n
    assert n["state"] == "Up" and n["expires-in"].endswith("s"), n
assert {(n["adj"], n["interface"], n["level"]) for n in nb} == {
    ("r2", "eth0", 1), ("r2", "eth0", 2), ("r3", "eth0", 1), ("r3", "eth0", 2), ("r2", "eth1", 3)}, nb
nd = area("show isis neighbors detail@r1", "circuits")
lan = [n for n in nd if n["adj"] == "r3"][0]
i = lan["interface"]
for k in ("name", "state", "adj-flaps", "last-ago", "circuit-type", "speaks", "snpa", "lan-id",
          "lan-prio", "dis-flaps", "area-address", "ipv4-address"):
    assert k in i, k
assert i["lan-id"] == "0000.0000.0003-01" and i["lan-prio"] == 100, i
assert i["dis-flaps"]["dis-record"] == "is DIS" and i["area-address"]["isonet"] == "49.0001", i
assert i["ipv4-address"]["ipv4"] == "10.0.0.3", i
p2p = [n for n in nd if n["interface"]["name"] == "eth1"][0]
assert p2p["level"] == 3 and p2p["interface"]["three-way-state"] == "Up", p2p
db = area("show isis database@r1", "levels")
assert [l["id"] for l in db] == [1, 2], db
for l in db:
    assert l["count"] == len(l["lsps"]) == 4, l
    ids = {x["lsp"]["id"]: x for x in l["lsps"]}
    assert ids["r1.00-00"]["lsp"]["own"] == "*" and ids["r2.00-00"]["lsp"]["own"] == " ", ids
    assert "r3.01-00" in ids, ids
    for x in l["lsps"]:
        for k in ("pdu-len", "seq-number", "chksum", "holdtime", "att-p-ol"):
            assert k in x, k
        assert x["seq-number"].startswith("0x") and len(x["seq-number"]) == 10, x
pn = area("show isis database detail r3.01@r1", "levels")
assert all(len(l["lsps"]) == 1 for l in pn), pn
x = pn[0]["lsps"][0]
assert x["lsp"]["id"] == "r3.01-00" and x["lsp-id"] == "0000.0000.0003.01-00", x
assert {e["id"] for e in x["ext-reach"]} == {"0000.0000.0001.00", "0000.0000.0002.00", "0000.0000.0003.00"}, x
assert {e["is-reach"] for e in x["old-reach-style"]} == {e["id"] for e in x["ext-reach"]}, x
assert all(e["metric"] == 0 for e in x["ext-reach"]), x
r1 = area("show isis database@r1", "levels")
ifs = area("show isis interface@r1", "circuits")
assert {c["interface"]["name"]: c["interface"]["type"] for c in ifs} == {"eth0": "lan", "eth1": "p2p", "lo": "loopback"}, ifs
for c in ifs:
    assert set(("name", "circuit-id", "state", "type", "level")) <= set(c["interface"]), c
ifd = {c["interface"]["name"]: c["interface"] for c in area("show isis interface detail@r1", "circuits")}
e0 = ifd["eth0"]
assert e0["is-passive"] == "active" and ifd["lo"]["is-passive"] == "passive", ifd
lv = e0["levels"][0]
for k in ("level", "metric", "active-neighbors", "hello-interval", "holddown", "cnsp-interval", "psnp-interval", "lan"):
    assert k in lv, k
assert lv["active-neighbors"] == 2 and lv["lan"]["is-dis"] == "no" and lv["lan"]["lan-id"] == "r3.01", lv
assert e0["counters"]["iih-in"] > 0 and e0["ip-prefix"]["ip"] == "10.0.0.1/24", e0
tp = area("show isis topology@r1", "levels")
v1 = {v["vertex"]: v for v in tp[0]["vertices"]}
assert v1["r1"]["metric"] == 0 and v1["r2"]["metric"] == 5 and v1["r3"]["metric"] == 10, v1
assert v1["r2"]["next-hops"] == [{"next-hop": "r2", "address": "10.12.0.2", "interface": "eth1"}], v1["r2"]
assert v1["r3"]["parent"] == "r3.01" and v1["r3.01"]["type"] == "pseudo_TE-IS", v1
s = js("show isis summary@r1")
for k in ("vrf", "system-id", "number-areas", "areas"):
    assert k in s, k
assert s["system-id"] == "0000.0000.0001", s
sa = s["areas"][0]
assert sa["net"] == "49.0001.0000.0000.0001.00" and "tx-pdu-type" in sa and "rx-pdu-type" in sa, sa
assert sa["tx-pdu-type"]["lan-iih"] > 0 and sa["rx-pdu-type"]["p2p-iih"] > 0, sa
for l in sa["levels"]:
    assert l["last-run-count"] >= 1 and l["lsp-count"] == 4 and "spf" in l, l
pr = js("show ip protocols@r1")["isis"]
assert pr["systemId"] == "0000.0000.0001" and pr["metricStyle"] == "transition", pr
assert {i["name"]: i["passive"] for i in pr["interfaces"]} == {"eth0": False, "eth1": False, "lo": True}, pr
assert pr["distance"] == 115 and pr["areas"] == ["49.0001"], pr
assert js("show isis summary@r4") == {}, out["show isis summary@r4"]
e = out["show isis database r7@r1"]
assert e["status"] == 1 and "unknown LSP ID 'r7'" in e["error"], e
PY

# --- Lua: dev:cmd_json -----------------------------------------------------------------------------
cat >"$TMP/c.lua" <<'L'
local net = netsim.load(netsim.args[1], {script = false})
net:run()
local j = net.r2:cmd_json("show isis neighbors")
local seen = {}
for _, c in ipairs(j.areas[1].circuits) do seen[c.adj .. "/" .. c.level] = c.state end
assert(seen["r1/1"] == "Up" and seen["r3/2"] == "Up", "neighbors")
local t = net.r1:cmd_json("show isis topology")
local far
for _, v in ipairs(t.areas[1].levels[1].vertices) do if v.vertex == "r2" then far = v.metric end end
assert(far == 10, "r1 reaches r2 at 10")
print("lua isis ok")
L
"$NETSIM" run "$TMP/c.lua" "$TMP/h.yaml" >"$TMP/c.out" 2>&1 || { cat "$TMP/c.out"; fail "Lua cmd_json"; }
expect_contains "$TMP/c.out" "lua isis ok"

# --- the daemon: netsim exec, and Tab completion ---------------------------------------------------
expect_status 0 "$NETSIM" daemon start hier "$TMP/h.yaml" --tick-interval 20ms
expect_status 0 "$NETSIM" exec --json hier r2 "show isis neighbors"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["result"]; c=d["areas"][0]["circuits"]; assert {x["adj"] for x in c} == {"r1","r3"}, d' "$TMP/out" ||
	fail "exec --json show isis neighbors"
expect_status 0 "$NETSIM" exec hier r2 "show isis database"
out_has "r2.01-00"
expect_status 0 "$NETSIM" exec hier r1 "show isis summary"
out_has "System Id       : 0000.0000.0001"
completes hier r2 "show isis " neighbors database interface topology summary
completes_only hier r2 "show isis t" topology
completes hier r2 "show isis interface " eth0 eth1 lo json
completes_only hier r2 "sh isis ne" neighbors
expect_status 0 "$NETSIM" daemon stop hier
echo "isis-show: ok"
