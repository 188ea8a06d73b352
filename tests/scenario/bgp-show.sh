# bgp-show: the BGP commands on the spec's Example 4 (topologies/bgp-multi-as.yaml:
# r1 AS 65001 announces 10.1.0.0/24, r2 AS 65002 in the middle, r3 AS 65003),
# compared with what FRR 8.4 prints for the same network (tests/frr/bgp-multi-as/,
# recorded by tests/frr/bgp-record.sh): r3 has 10.1.0.0/24 via 10.0.23.2 with path
# 65002 65001 and a B route [20/0]; every JSON form has FRR's keys (none of its own,
# none of FRR's missing but those naming what netsim does not do); every text line
# netsim prints is one FRR prints once ages, memory sizes, ports and dates are
# masked, and FRR's header, row and total lines are all there. Then the run-time
# commands: `neighbor IP shutdown` and back (Cease/Administrative Shutdown as FRR
# words it), `clear bgp IP` (Cease/Administrative Reset) and the soft clears; the
# commands on a router without BGP; Lua's dev:cmd_json, `netsim exec` and Tab
# completion in the daemon.
. tests/scenario/lib.inc
. tests/daemon/lib.sh
command -v python3 >/dev/null || fail "python3 is needed"
[ -f topologies/bgp-multi-as.yaml ] || fail "no topologies/bgp-multi-as.yaml"

# r2 keeps what r1 sends (FRR's soft-reconfiguration inbound, as recorded): received-routes.
sed -e '/^script:/,$d' -e 's/^\( *\)- ip: 10.0.12.1$/&\n\1  soft_reconfiguration: true/' \
    topologies/bgp-multi-as.yaml >"$TMP/b.yaml"
cat >>"$TMP/b.yaml" <<'Y'
script:
  - {at: converged, device: r2, command: show bgp summary}
  - {at: converged, device: r2, command: show ip bgp summary}
  - {at: converged, device: r3, command: show bgp}
  - {at: converged, device: r3, command: show ip bgp}
  - {at: converged, device: r3, command: show bgp 10.1.0.0/24}
  - {at: converged, device: r3, command: show ip bgp 10.1.0.9}
  - {at: converged, device: r2, command: show bgp neighbors 10.0.12.1}
  - {at: converged, device: r2, command: show bgp neighbors}
  - {at: converged, device: r2, command: show bgp neighbors 10.0.23.3 advertised-routes}
  - {at: converged, device: r2, command: show bgp neighbors 10.0.12.1 received-routes}
  - {at: converged, device: r2, command: show bgp neighbors 10.0.12.1 routes}
  - {at: converged, device: r3, command: show ip route}
  - {at: converged, device: r3, command: show bgp 10.9.0.0/24, expect: fail}
  - {at: converged, device: r3, command: show bgp neighbors 10.9.9.9, expect: fail}
  - {at: converged, device: r3, command: clear bgp 10.9.9.9, expect: fail}
  - {at: converged + 1000, device: r1, command: neighbor 10.0.12.2 shutdown}
  - {at: converged + 3000, device: r1, command: show bgp summary}
  - {at: converged + 3000, device: r1, command: show bgp neighbors 10.0.12.2}
  - {at: converged + 3000, device: r2, command: show bgp neighbors 10.0.12.1}
  - {at: converged + 3000, device: r2, command: show bgp summary}
  - {at: converged + 3000, device: r3, command: show bgp}
  - {at: converged + 4000, device: r1, command: no neighbor 10.0.12.2 shutdown}
  - {at: converged + 120000, device: r2, command: show bgp summary}
  - {at: converged + 120000, device: r3, command: show bgp}
  - {at: converged + 121000, device: r2, command: clear bgp 10.0.12.1}
  - {at: converged + 123000, device: r1, command: show bgp neighbors 10.0.12.2}
  - {at: converged + 240000, device: r2, command: clear bgp * soft}
  - {at: converged + 240000, device: r2, command: clear bgp 10.0.23.3 soft in}
  - {at: converged + 240000, device: r2, command: clear ip bgp 10.0.23.3 soft out}
  - {at: converged + 300000, device: r2, command: show bgp summary}
  - {at: converged + 300000, device: r2, command: show bgp neighbors 10.0.12.1}
  - {at: converged + 300000, device: r3, command: show bgp}
Y
# A device without BGP: r4, a lone router.
cat >"$TMP/nobgp.yaml" <<'Y'
name: nobgp
devices:
  - name: r4
    type: router
    interfaces:
      - {name: lo, ip: 4.4.4.4/32}
script:
  - {at: converged, device: r4, command: show bgp summary}
  - {at: converged, device: r4, command: show bgp}
  - {at: converged, device: r4, command: show bgp neighbors}
Y
"$NETSIM" run --json "$TMP/b.yaml" >"$TMP/b.json" 2>"$TMP/b.err" || { cat "$TMP/b.err"; head -c 4000 "$TMP/b.json"; fail "the Example 4 run"; }
"$NETSIM" run --json "$TMP/nobgp.yaml" >"$TMP/n.json" 2>&1 || { cat "$TMP/n.json"; fail "the run without BGP"; }

python3 - "$TMP/b.json" "$TMP/n.json" tests/frr/bgp-multi-as <<'PY' || fail "BGP show checks"
import json, os, re, sys
runs = [json.load(open(sys.argv[1]))["outputs"], json.load(open(sys.argv[2]))["outputs"]]
ref = sys.argv[3]

def outputs(dev, cmd, run=0):
    got = [o for o in runs[run] if o["device"] == dev and o["command"] == cmd]
    assert got, "no output for %s> %s" % (dev, cmd)
    return got

def one(dev, cmd, k=0, run=0):
    o = outputs(dev, cmd, run)[k]
    assert o["status"] == 0, "%s> %s failed: %s" % (dev, cmd, o.get("error"))
    return o

sys.path.insert(0, "tests/tools")
from frrcmp import mask, lines, keys_match, HOST, NBR_FRR_ONLY

# --- text: ours against FRR's, values that differ by nature masked --------------------------------
def text_match(dev, cmd, frr_file, ours_only=(), must=()):
    ours = one(dev, cmd)["output"]
    frr = set(lines(open(os.path.join(ref, frr_file)).read()))
    for l in lines(ours):
        if not any(x in l for x in ours_only):
            assert l in frr, "%s> %s: line not in FRR's %s:\n[%s]\n--- ours:\n%s" % (dev, cmd, frr_file, l, ours)
    for m in must:
        assert mask(m) in frr, "FRR's %s lacks [%s]" % (frr_file, m)
        assert mask(m) in lines(ours), "%s> %s lacks FRR's line [%s]:\n%s" % (dev, cmd, m, ours)
    return ours

# --- JSON: keys against FRR's ----------------------------------------------------------------------
# Keys FRR writes in a state other than the recorded one (a session never reset).
# Keys of states or settings FRR's recording does not have everywhere: lastReset (no reset yet),
# inboundSoftConfigPermit (netsim keeps every neighbor's received routes, as FRR with
# soft-reconfiguration inbound, which the recording configures towards r1 only).
FRR_OTHER_STATES = {"lastReset", "inboundSoftConfigPermit"}

def json_match(dev, cmd, frr_file, frr_only=()):
    j = one(dev, cmd)["json"]
    keys_match(j, json.load(open(os.path.join(ref, frr_file))), "%s> %s" % (dev, cmd), set(frr_only),
               FRR_OTHER_STATES)
    return j

# r2's summary (the spec's first command). The neighbor rows hold counts that need not be
# FRR's (messages, table versions): their layout is checked by the patterns below.
ROWS = ("10.0.12.1 ", "10.0.23.3 ")
text_match("r2", "show bgp summary", "r2-show-bgp-summary.txt", ours_only=ROWS, must=(
    "IPv4 Unicast Summary (VRF default):",
    "BGP router identifier 2.2.2.2, local AS number 65002 vrf-id 0",
    "Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc",
    "Total number of neighbors 2"))
s = one("r2", "show bgp summary")["output"]
# (whether r2 sends r1's route back to r1, as FRR does, is the export policy's: PfxSnt 0 or 1)
assert re.search(r"^10\.0\.12\.1 +4 +65001 +\d+ +\d+ +\d+ +0 +0 \d\d:\d\d:\d\d +1 +[01] N/A$", s, re.M), s
assert re.search(r"^10\.0\.23\.3 +4 +65003 +\d+ +\d+ +\d+ +0 +0 \d\d:\d\d:\d\d +0 +1 N/A$", s, re.M), s
text_match("r2", "show ip bgp summary", "r2-show-ip-bgp-summary.txt", ours_only=ROWS)
j = json_match("r2", "show bgp summary", "r2-show-bgp-summary.json", HOST)["ipv4Unicast"]
assert j["routerId"] == "2.2.2.2" and j["as"] == 65002 and j["totalPeers"] == 2, j
assert list(j["peers"]) == ["10.0.12.1", "10.0.23.3"], j["peers"]
assert j["peers"]["10.0.12.1"]["state"] == "Established" and j["peers"]["10.0.12.1"]["pfxRcd"] == 1, j

# r3's table (the spec's second command): FRR's row, exactly.
row = "*> 10.1.0.0/24      10.0.23.2                              0 65002 65001 i"
for cmd in ("show bgp", "show ip bgp"):
    text_match("r3", cmd, "r3-show-ip-bgp.txt", must=(
        "BGP table version is 1, local router ID is 3.3.3.3, vrf id 0",
        "Default local pref 100, local AS 65003",
        "   Network          Next Hop            Metric LocPrf Weight Path",
        row, "Displayed  1 routes and 1 total paths"))
j = json_match("r3", "show bgp", "r3-show-ip-bgp.json", HOST)
p = j["routes"]["10.1.0.0/24"][0]
assert p["path"] == "65002 65001" and p["nexthops"][0]["ip"] == "10.0.23.2" and p["bestpath"], p

# The path in detail, by prefix and by an address inside it.
must = ("BGP routing table entry for 10.1.0.0/24, version 1",
        "Paths: (1 available, best #1, table default)", "  65002 65001",
        "    10.0.23.2 from 10.0.23.2 (2.2.2.2)",
        "      Origin IGP, valid, external, best (First path received)")
# FRR advertises the route back to r2 (whose AS is in its path); not doing so is netsim's
# export policy's choice, and then the line is FRR's "Not advertised to any peer".
for cmd in ("show bgp 10.1.0.0/24", "show ip bgp 10.1.0.9"):
    text_match("r3", cmd, "r3-show-ip-bgp-prefix.txt", ours_only=("  Not advertised to any peer",),
               must=must)
    assert re.search(r"^      Last update: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d 1970$",
                     one("r3", cmd)["output"], re.M), one("r3", cmd)["output"]
j = json_match("r3", "show bgp 10.1.0.0/24", "r3-show-ip-bgp-prefix.json", HOST)
assert j["paths"][0]["bestpath"]["selectionReason"] == "First path received", j
assert j["paths"][0]["aspath"]["segments"][0]["list"] == [65002, 65001], j

# r2's session with r1.
nbr_must = ("BGP neighbor is 10.0.12.1, remote AS 65001, local AS 65002, external link",
            "  BGP version 4, remote router ID 1.1.1.1, local router ID 2.2.2.2",
            "  BGP state = Established, up for 00:00:00",
            "  Hold time is 180 seconds, keepalive interval is 60 seconds",
            "    4 Byte AS: advertised and received",
            "    Address Family IPv4 Unicast: advertised and received",
            "                         Sent       Rcvd",
            "  1 accepted prefixes", "  Connections established 1; dropped 0",
            "  External BGP neighbor may be up to 1 hops away.",
            "Foreign host: 10.0.12.1, Foreign port: 179")
# Message counts and the advertisement interval (netsim's eBGP default is RFC 4271's 30 s,
# FRR's 0) need not be FRR's: the layout of those lines is checked by patterns.
STATS = ("    Opens:", "    Notifications:", "    Updates:", "    Keepalives:", "    Route Refresh:",
         "    Capability:", "    Total:", "  Minimum time between advertisement runs is")
ours = text_match("r2", "show bgp neighbors 10.0.12.1", "r2-show-bgp-neighbors.txt",
                  ours_only=("Route refresh: advertised and received(new)", "Last reset never") + STATS,
                  must=nbr_must)
assert re.search(r"^Local host: 10\.0\.12\.2, Local port: \d+$", ours, re.M), ours
for w in ("Opens", "Notifications", "Updates", "Keepalives", "Route Refresh", "Capability", "Total"):
    assert re.search(r"^    %s: {%d}[ \d]{9}\d [ \d]{9}\d$" % (w, 14 - len(w)), ours, re.M), (w, ours)
assert re.search(r"^  Minimum time between advertisement runs is \d+ seconds$", ours, re.M), ours
j = json_match("r2", "show bgp neighbors 10.0.12.1", "r2-show-bgp-neighbors.json", NBR_FRR_ONLY)
n = j["10.0.12.1"]
assert n["bgpState"] == "Established" and n["remoteAs"] == 65001 and n["localAs"] == 65002, n
assert n["bgpTimerHoldTimeMsecs"] == 180000 and n["portForeign"] == 179, n
all_ = one("r2", "show bgp neighbors")["output"]
assert 0 <= all_.find("BGP neighbor is 10.0.12.1") < all_.find("BGP neighbor is 10.0.23.3"), all_
json_match("r2", "show bgp neighbors", "r2-show-bgp-neighbors-all.json", NBR_FRR_ONLY)

# A neighbor's routes: what went to r3, what came from r1.
a = one("r2", "show bgp neighbors 10.0.23.3 advertised-routes")["output"]
assert re.search(r"^\*> 10\.1\.0\.0/24 +[\d.]+ .* 65002 65001 i$", a, re.M) or \
       re.search(r"^\*> 10\.1\.0\.0/24 +[\d.]+ .* 65001 i$", a, re.M), a
assert "Total number of prefixes 1" in a, a
json_match("r2", "show bgp neighbors 10.0.23.3 advertised-routes", "r2-show-bgp-neighbors-advertised.json")
r = one("r2", "show bgp neighbors 10.0.12.1 received-routes")["output"]
assert re.search(r"^\*> 10\.1\.0\.0/24 +10\.0\.12\.1 .* 65001 i$", r, re.M), r
json_match("r2", "show bgp neighbors 10.0.12.1 received-routes", "r2-show-bgp-neighbors-received.json")
r = one("r2", "show bgp neighbors 10.0.12.1 routes")["output"]
assert re.search(r"^\*> 10\.1\.0\.0/24 +10\.0\.12\.1 .* 65001 i$", r, re.M), r
assert "Displayed  1 routes and 1 total paths" in r, r
json_match("r2", "show bgp neighbors 10.0.12.1 routes", "r2-show-bgp-neighbors-routes.json", HOST)

# The route in r3's RIB.
rt = one("r3", "show ip route")["output"]
assert re.search(r"^B     10\.1\.0\.0/24 \[20/0\] via 10\.0\.23\.2, eth0", rt, re.M), rt

# Errors.
for dev, cmd, why in (("r3", "show bgp 10.9.0.0/24", "Network not in table"),
                      ("r3", "show bgp neighbors 10.9.9.9", "No such neighbor"),
                      ("r3", "clear bgp 10.9.9.9", "no BGP neighbor 10.9.9.9")):
    o = outputs(dev, cmd)[0]
    assert o["status"] == 1 and why in o["error"], o

# --- r1 shuts its session to r2 down, then brings it back ------------------------------------------
s1 = one("r1", "show bgp summary")["output"]
assert re.search(r"^10\.0\.12\.2 +4 +65002 .* Idle \(Admin\) +0 N/A$", s1, re.M), s1
assert one("r1", "show bgp summary")["json"]["ipv4Unicast"]["peers"]["10.0.12.2"]["peerState"] == "Admin"
o = one("r1", "show bgp neighbors 10.0.12.2")["output"]
assert " Administratively shut down\n" in o and "  BGP state = Idle" in o, o
# FRR's words on each side (r1-show-bgp-neighbors-shutdown.txt, r2-show-bgp-neighbors-shutdown.txt).
assert ",  Admin. shutdown\n" in o, o
o = outputs("r2", "show bgp neighbors 10.0.12.1")[1]["output"]
assert ",  Notification received (Cease/Administrative Shutdown)" in o, o
assert "  Connections established 1; dropped 1" in o, o
n = outputs("r2", "show bgp neighbors 10.0.12.1")[1]["json"]["10.0.12.1"]
assert n["lastNotificationReason"] == "Cease/Administrative Shutdown" and n["lastErrorCodeSubcode"] == "0602", n
assert n["lastResetDueTo"] == "BGP Notification received" and n["lastResetCode"] == 13, n
assert "10.1.0.0/24" not in outputs("r3", "show bgp")[1]["output"], outputs("r3", "show bgp")[1]["output"]
# ... and back: the session is up again and r3 has the route.
s = outputs("r2", "show bgp summary")[2]["json"]["ipv4Unicast"]["peers"]["10.0.12.1"]
assert s["state"] == "Established" and s["connectionsEstablished"] == 2 and s["pfxRcd"] == 1, s
assert row in outputs("r3", "show bgp")[2]["output"].split("\n"), outputs("r3", "show bgp")[2]["output"]

# --- clear bgp: a hard reset (Cease/Administrative Reset), then soft ones that keep the session ---
o = outputs("r1", "show bgp neighbors 10.0.12.2")[1]["output"]
assert ",  Notification received (Cease/Administrative Reset)" in o, o
for cmd in ("clear bgp * soft", "clear bgp 10.0.23.3 soft in", "clear ip bgp 10.0.23.3 soft out"):
    one("r2", cmd)
s = outputs("r2", "show bgp summary")[3]["json"]["ipv4Unicast"]["peers"]
assert s["10.0.12.1"]["state"] == "Established" and s["10.0.12.1"]["connectionsEstablished"] == 3, s
assert s["10.0.23.3"]["connectionsEstablished"] == 1 and s["10.0.23.3"]["connectionsDropped"] == 0, s
n = outputs("r2", "show bgp neighbors 10.0.12.1")[2]["json"]["10.0.12.1"]
assert n["lastResetDueTo"] == "User reset" and n["lastResetCode"] == 12, n
assert "lastNotificationReason" not in n, n
assert ",  User reset\n" in outputs("r2", "show bgp neighbors 10.0.12.1")[2]["output"]
assert row in outputs("r3", "show bgp")[3]["output"].split("\n"), outputs("r3", "show bgp")[3]["output"]

# --- a router without BGP: FRR-style text, {} in JSON ----------------------------------------------
for cmd in ("show bgp summary", "show bgp", "show bgp neighbors"):
    o = one("r4", cmd, run=1)
    assert o["output"] == "% BGP is not running on r4\n" and o["json"] == {}, o
PY

# --- Lua: dev:cmd_json -----------------------------------------------------------------------------
cat >"$TMP/c.lua" <<'L'
local net = netsim.load(netsim.args[1], {script = false})
net:run()
local s = net.r2:cmd_json("show bgp summary")
assert(s.ipv4Unicast.peers["10.0.12.1"].state == "Established", "r2's session to r1")
local t = net.r3:cmd_json("show bgp")
assert(t.routes["10.1.0.0/24"][1].path == "65002 65001", "r3's path")
print("lua bgp ok")
L
"$NETSIM" run "$TMP/c.lua" "$TMP/b.yaml" >"$TMP/c.out" 2>&1 || { cat "$TMP/c.out"; fail "Lua cmd_json"; }
expect_contains "$TMP/c.out" "lua bgp ok"

# --- the daemon: netsim exec, and Tab completion ---------------------------------------------------
sed -e '/^script:/,$d' topologies/bgp-multi-as.yaml >"$TMP/d.yaml"
expect_status 0 "$NETSIM" daemon start bgps "$TMP/d.yaml" --tick-interval 20ms
expect_status 0 "$NETSIM" exec --json bgps r2 "show bgp summary"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["result"]; assert d["ipv4Unicast"]["as"] == 65002, d' "$TMP/out" ||
	fail "exec --json show bgp summary"
expect_status 0 "$NETSIM" exec bgps r2 "show bgp neighbors 10.0.12.1"
out_has "BGP neighbor is 10.0.12.1, remote AS 65001, local AS 65002, external link"
completes bgps r2 "show bgp " summary neighbors json
completes_only bgps r2 "show bgp su" summary
completes bgps r2 "show bgp neighbors 10.0.12.1 " advertised-routes received-routes routes json
completes bgps r2 "clear bgp 10.0.12.1 " soft
completes bgps r2 "neighbor 10.0.12.1 " shutdown route-map
expect_status 0 "$NETSIM" daemon stop bgps
echo "bgp-show: ok"
