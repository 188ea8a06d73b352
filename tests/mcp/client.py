# client.py NETSIM: one MCP session with `NETSIM mcp` over its stdin/stdout, as an
# agent host runs it (newline-delimited JSON-RPC 2.0, MCP revision 2025-06-18).
# Every step asserts what it gets; the last line says "mcp session ok".
import hashlib
import json
import os
import signal
import subprocess
import sys
import time

NETSIM = sys.argv[1]
server = subprocess.Popen([NETSIM, "mcp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
next_id = 0


def send_raw(line):
    server.stdin.write(line.encode() + b"\n")
    server.stdin.flush()


def recv():
    line = server.stdout.readline()
    assert line.endswith(b"\n"), "the server closed its output"
    return json.loads(line)


def request(method, params=None):
    global next_id
    next_id += 1
    msg = {"jsonrpc": "2.0", "id": next_id, "method": method}
    if params is not None:
        msg["params"] = params
    send_raw(json.dumps(msg))
    r = recv()
    assert r["jsonrpc"] == "2.0" and r["id"] == next_id, r
    return r


def rpc_error(method, params, code):
    r = request(method, params)
    assert "error" in r and r["error"]["code"] == code, (method, params, r)
    return r["error"]["message"]


def call(tool, error=False, **args):
    r = request("tools/call", {"name": tool, "arguments": args})
    assert "result" in r, r
    res = r["result"]
    assert res["isError"] == error, (tool, args, res)
    text = res["content"][0]["text"]
    assert res["content"][0]["type"] == "text" and text, res
    sc = res["structuredContent"]
    if not error:
        # The text block is the structured content, serialized.
        assert json.loads(text) == sc, (text, sc)
    else:
        assert sc["error"] and sc["errorCode"] and text, sc
    return sc


# ---- the handshake --------------------------------------------------------------------
init = request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                              "clientInfo": {"name": "netsim-test", "version": "1"}})["result"]
assert init["protocolVersion"] == "2025-06-18", init
assert init["serverInfo"]["name"] == "netsim" and init["serverInfo"]["version"], init
assert "tools" in init["capabilities"] and "resources" in init["capabilities"], init
assert init["_meta"]["netsim/toolsVersion"] == 4, init
send_raw(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}))
assert request("ping")["result"] == {}  # (the notification got no reply before it)

# ---- tools/list -----------------------------------------------------------------------
tools = {t["name"]: t for t in request("tools/list")["result"]["tools"]}
assert set(tools) == {"network_start", "network_stop", "network_list", "device_command",
                      "converge", "link_set", "events", "verify", "diff", "fork", "advance",
                      "node_set", "ping", "traceroute", "interface_set", "chaos"}, sorted(tools)
for t in tools.values():
    s = t["inputSchema"]
    assert s["type"] == "object" and s["additionalProperties"] is False, t
    assert set(s["required"]) <= set(s["properties"]), t
    assert t["description"], t
hints = {n: (t["annotations"]["readOnlyHint"], t["annotations"]["destructiveHint"],
             t["annotations"]["idempotentHint"]) for n, t in tools.items()}
assert hints["network_list"] == (True, False, True), hints
assert hints["events"] == (True, False, True), hints
assert hints["verify"] == (True, False, True), hints
assert hints["diff"] == (True, False, True), hints
assert hints["fork"] == (False, False, False), hints
assert tools["verify"]["inputSchema"]["properties"]["assertions"]["items"] == {"type": "object"}
assert hints["network_stop"] == (False, True, True), hints
assert hints["link_set"] == (False, True, True), hints
assert hints["device_command"] == (False, True, False), hints
assert hints["network_start"][0] is False and hints["converge"][0] is False, hints
assert tools["link_set"]["inputSchema"]["properties"]["state"]["enum"] == ["up", "down"]
assert tools["link_set"]["inputSchema"]["properties"]["endpoints"]["minItems"] == 2
assert set(tools["device_command"]["inputSchema"]["required"]) == {"network", "device", "command"}
assert tools["converge"]["inputSchema"]["required"] == ["network"]
assert hints["advance"] == (False, False, False) and hints["node_set"] == (False, True, True), hints
assert hints["ping"] == (False, False, False) and hints["traceroute"] == (False, False, False), hints
loss = tools["link_set"]["inputSchema"]["properties"]["loss"]
assert loss["type"] == "number" and loss["minimum"] == 0 and loss["maximum"] == 100, loss
assert tools["link_set"]["inputSchema"]["required"] == ["network", "endpoints"]
assert tools["node_set"]["inputSchema"]["properties"]["state"]["enum"] == ["up", "down"]
assert set(tools["ping"]["inputSchema"]["required"]) == {"network", "device", "target"}
assert tools["ping"]["inputSchema"]["properties"]["count"]["maximum"] == 100

# ---- a network from a file ------------------------------------------------------------
net = call("network_start", name="tri", topology="topologies/ospf-triangle.yaml")
assert net["network"] == "tri" and net["topologyName"] == "ospf-triangle", net
assert net["converged"] is True and net["devices"] == 5 and "seed" in net, net
assert net["topology"].endswith("/topologies/ospf-triangle.yaml"), net
TRI_HASH = "sha256:" + hashlib.sha256(open("topologies/ospf-triangle.yaml", "rb").read()).hexdigest()
assert net["topologyHash"] == TRI_HASH, net
again = call("network_start", error=True, name="tri", topology="topologies/ospf-triangle.yaml")
assert again["errorCode"] == "already-running", again

cursor = call("events", network="tri")["cursor"]


def route(device, prefix):
    sc = call("device_command", network="tri", device=device, command="show ip route")
    assert sc["status"] == 0 and sc["device"] == device and sc["command"] == "show ip route", sc
    assert sc["network"] == "tri" and sc["seed"] == net["seed"], sc
    assert sc["topologyHash"] == TRI_HASH, sc
    assert "simTimeMs" in sc and "converged" in sc, sc
    paths = sc["result"][prefix]
    return {h["ip"] for p in paths if p["selected"] for h in p["nexthops"] if "ip" in h}


assert route("r1", "10.0.23.0/24") == {"10.0.12.2", "10.0.13.3"}  # two equal paths

down = call("link_set", network="tri", endpoints=["r1:eth0", "r2:eth0"], state="down")
assert down["status"] == 0 and down["command"] == "link down r1:eth0 r2:eth0", down
conv = call("converge", network="tri", timeout="2m")
assert conv["status"] == 0 and conv["result"]["converged"] is True, conv
assert conv["result"]["tookMs"] > 0 and conv["converged"] is True, conv
assert route("r1", "10.0.23.0/24") == {"10.0.13.3"}  # only around the failed link

# ---- intent checks on the network with r1--r2 down ------------------------------------
vr = call("verify", network="tri", assertions=[
    {"reachable": {"from": "h1", "to": "10.0.3.10"}},
    {"path": {"from": "h1", "to": "h3", "via": "r2"}},  # fails: r1 -- r3 is the way
    {"route": {"device": "r1", "prefix": "10.0.3.0/24", "protocol": "ospf", "via": "10.0.13.3"}},
    {"route": {"device": "r1", "prefix": "10.0.23.0/24", "via": ["10.0.12.2", "10.0.13.3"]}},
    {"no_loops": {"destinations": ["h1", "h3"]}},
    {"reachable": {"from": "h9", "to": "h1"}},
])
assert vr["network"] == "tri" and vr["seed"] == net["seed"] and vr["converged"] is True, vr
assert vr["topologyHash"] == TRI_HASH, vr
assert [r["status"] for r in vr["results"]] == ["pass", "fail", "pass", "fail", "pass",
                                                 "inconclusive"], vr
assert (vr["passed"], vr["failed"], vr["inconclusive"]) == (3, 2, 1), vr
via = vr["results"][1]
assert via["kind"] == "path" and "does not cross r2" in via["reason"], via
assert [h["device"] for h in via["evidence"]["hops"]] == ["h1", "r1", "r3", "h3"], via
assert via["evidence"]["hops"][1]["nexthop"] == "10.0.13.3", via
assert via["suggestion"] == {"device": "r1", "command": "show ip route 10.0.3.10"}, via
ecmp = vr["results"][3]
assert "no next hop 10.0.12.2" in ecmp["reason"] and ecmp["suggestion"]["device"] == "r1", ecmp
assert "no device 'h9'" in vr["results"][5]["reason"], vr
# The suggested command is a read-only device command that runs as it is.
sugg = call("device_command", network="tri", device="r1", command=via["suggestion"]["command"])
assert sugg["status"] == 0 and "10.0.3.0/24" in sugg["result"], sugg
badi = call("verify", error=True, network="tri", assertions=[
    {"reachable": {"from": "h1", "to": "h3"}}, {"reachble": {"from": "h1"}},
    {"path": {"from": "h1", "to": "h3"}}])
assert badi["errorCode"] == "bad-argument", badi
assert "assertions[1]: unknown intent 'reachble'" in badi["error"], badi
assert "assertions[2]: path needs 'via' or 'avoids'" in badi["error"], badi
quote = call("verify", error=True, network="tri", assertions=[{"reachable": {"from": 'h"1', "to": "h3"}}])
assert quote["errorCode"] == "bad-argument", quote
rpc_error("tools/call", {"name": "verify", "arguments": {"network": "tri", "assertions": []}}, -32602)
rpc_error("tools/call", {"name": "verify", "arguments": {"network": "tri", "assertions": ["x"]}}, -32602)

# ---- diff: tri (r1--r2 down) against a fresh copy of the same topology ----------------
base = call("network_start", name="base", topology="topologies/ospf-triangle.yaml")
d = call("diff", a="base", b="tri")
assert d["a"]["network"] == "base" and d["b"]["network"] == "tri", d
assert d["a"]["seed"] == base["seed"] and d["b"]["seed"] == net["seed"], d
assert d["addedDevices"] == [] and d["removedDevices"] == [], d
r1 = d["devices"]["r1"]
assert {"adjacency": "ospf 2.2.2.2 eth0", "state": "Full"} in r1["adjacencies"]["removed"], r1
assert any(r["prefix"] == "10.0.12.0/24" for r in r1["routes"]["removed"]), r1
ch = {c["prefix"]: c for c in r1["routes"]["changed"]}
assert ch["10.0.23.0/24"]["a"]["nexthops"] == ["10.0.12.2 eth0", "10.0.13.3 eth1"], ch
assert ch["10.0.23.0/24"]["b"]["nexthops"] == ["10.0.13.3 eth1"], ch
assert "h1" not in d["devices"] and d["changes"] >= 4, d  # h1's table did not change
assert call("diff", a="tri", b="tri")["changes"] == 0
assert call("diff", error=True, a="base", b="nosuch")["errorCode"] == "unknown-network"
assert call("network_stop", network="base")["stopped"] is True

# ---- fork: a copy at the same instant; a failure in the copy leaves tri as it was ------
before = call("device_command", network="tri", device="r1", command="show ip route")["result"]
fk = call("fork", network="tri", name="whatif")
assert fk["network"] == "whatif" and fk["forkedFrom"] == "tri" and fk["pid"] > 0, fk
assert fk["seed"] == net["seed"] and fk["topologyName"] == "ospf-triangle", fk
assert fk["topologyHash"] == TRI_HASH, fk
assert fk["simTimeMs"] >= conv["simTimeMs"] and fk["converged"] is True, fk
assert call("diff", a="tri", b="whatif")["changes"] == 0  # identical tables
assert call("fork", error=True, network="tri", name="whatif")["errorCode"] == "already-running"
assert call("fork", error=True, network="nosuch", name="w2")["errorCode"] == "unknown-network"
assert call("fork", error=True, network="tri", name="../w")["errorCode"] == "bad-name"
call("link_set", network="whatif", endpoints=["r1:eth1", "r3:eth0"], state="down")
assert call("converge", network="whatif")["result"]["converged"] is True
d = call("diff", a="tri", b="whatif")
assert d["a"]["network"] == "tri" and d["b"]["network"] == "whatif", d
assert {"adjacency": "ospf 3.3.3.3 eth1", "state": "Full"} in d["devices"]["r1"]["adjacencies"]["removed"], d
# With r1--r2 down already, r1 is cut off: its routes through r3 are gone in the copy.
assert {r["prefix"] for r in d["devices"]["r1"]["routes"]["removed"]} == {
    "10.0.3.0/24", "10.0.13.0/24", "10.0.23.0/24"}, d
# The original is unaffected: the same table, h3 still reached through r3.
after = call("device_command", network="tri", device="r1", command="show ip route")["result"]
assert after.keys() == before.keys() and all(
    [p["nexthops"] for p in after[k]] == [p["nexthops"] for p in before[k]] for k in after), (before, after)
v = call("verify", network="tri", assertions=[{"path": {"from": "h1", "to": "h3", "via": "r3"}}])
assert v["results"][0]["status"] == "pass", v
v = call("verify", network="whatif", assertions=[{"reachable": {"from": "h1", "to": "h3"}}])
assert v["results"][0]["status"] == "fail" and v["results"][0]["reason"].startswith("no_route at r1"), v
assert call("network_stop", network="whatif")["stopped"] is True
assert {n["network"] for n in call("network_list")["networks"]} == {"tri"}

ev = call("events", network="tri", since=cursor)
types = [e["type"] for e in ev["events"]]
assert "link_down" in types and "adjacency_change" in types, ev
# Nothing from before the cursor, though the link went down at the very instant
# the network had converged (the cursor counts the events it saw at that time).
assert all(e["timeMs"] >= net["simTimeMs"] for e in ev["events"]), ev
assert ev["events"][0]["type"] == "link_down", ev
assert not any(e["type"] == "link_down" for e in call("events", network="tri", since=ev["cursor"])["events"])
assert call("events", error=True, network="tri", since="yesterday")["errorCode"] == "bad-argument"
# A limit: the events come in pages, each cursor after the last event returned.
everything = call("events", network="tri", all=True)
assert everything["more"] is False and len(everything["events"]) > 5, everything
got, cur = [], None
while True:
    part = call("events", network="tri", all=True, limit=2, **({"since": cur} if cur else {}))
    assert len(part["events"]) <= 2, part
    got += part["events"]
    cur = part["cursor"]
    if not part["more"]:
        break
assert got == everything["events"][:len(got)] and len(got) >= len(everything["events"]), (got, everything)

# A failed command is an error result with the envelope all the same.
ping = call("device_command", error=True, network="tri", device="h1", command="shw")
assert ping["status"] == 1 and ping["errorCode"] == "unknown-command", ping
nodev = call("device_command", error=True, network="tri", device="r9", command="show ip route")
assert nodev["errorCode"] == "no-such-device" and "r9" in nodev["error"], nodev
nolink = call("link_set", error=True, network="tri", endpoints=["r1:eth7", "r2:eth0"], state="up")
assert nolink["errorCode"] == "command-failed", nolink
badend = call("link_set", error=True, network="tri", endpoints=["r1:eth0 r3", "r2:eth0"], state="up")
assert badend["errorCode"] == "bad-argument", badend
assert call("converge", error=True, network="tri", timeout="soon")["errorCode"] == "bad-argument"
up = call("link_set", network="tri", endpoints=["r1:eth0", "r2:eth0"], state="up")
assert up["status"] == 0

# ---- advance, ping, traceroute, loss, node_set ----------------------------------------
# The daemon's clock runs in real time between calls: paused, only `advance` moves it.
paused = call("device_command", network="tri", device="-", command="pause")
adv = call("advance", network="tri", duration="5s")
assert adv["status"] == 0 and adv["command"] == "run 5s", adv
assert adv["simTimeMs"] == paused["simTimeMs"] + 5000, (paused, adv)
assert call("device_command", network="tri", device="-", command="resume")["status"] == 0
assert call("advance", error=True, network="tri", duration="soon")["errorCode"] == "bad-argument"
assert call("advance", error=True, network="tri", duration="5s run")["errorCode"] == "bad-argument"
rpc_error("tools/call", {"name": "advance", "arguments": {"network": "tri"}}, -32602)
assert call("converge", network="tri")["result"]["converged"] is True
assert route("r1", "10.0.23.0/24") == {"10.0.12.2", "10.0.13.3"}
p = call("ping", network="tri", device="h1", target="10.0.3.10", count=2)
assert p["device"] == "h1" and p["command"] == "ping 10.0.3.10 count 2" and p["seed"] == net["seed"], p
assert (p["result"]["transmitted"], p["result"]["received"]) == (2, 2), p
assert p["result"]["path"] == ["h1", "r1", "r3", "h3", "r3", "r1", "h1"], p
assert [r["status"] for r in p["result"]["replies"]] == ["reply", "reply"], p
assert p["simTimeMs"] > adv["simTimeMs"], p  # the probes took simulated time
tr = call("traceroute", network="tri", device="h1", target="10.0.3.10")
assert tr["result"]["reached"] is True, tr
assert [h["probes"][0]["address"] for h in tr["result"]["hops"]] == ["10.0.1.1", "10.0.13.3", "10.0.3.10"], tr
# Nothing came back: an answer (received 0), not an error.
lost = call("ping", network="tri", device="h1", target="10.0.99.1", count=1)
assert lost["result"]["received"] == 0 and lost["errorCode"] == "no-reply", lost
assert lost["result"]["replies"][0]["message"] == "Destination Net Unreachable", lost
nope = call("traceroute", network="tri", device="h1", target="10.0.99.1")
assert nope["result"]["reached"] is False and nope["errorCode"] == "not-reached", nope
assert call("ping", error=True, network="tri", device="h1", target="10.0.3.10 count 9")["errorCode"] == "bad-argument"
assert call("ping", error=True, network="tri", device="h1", target="10.0.3.10", count=0)["errorCode"] == "bad-argument"
assert call("ping", error=True, network="tri", device="h9", target="10.0.3.10")["errorCode"] == "no-such-device"
assert call("ping", error=True, network="tri", device="h1", target="10.0.3.10", vrf="blue")["status"] == 1
rpc_error("tools/call", {"name": "ping", "arguments": {"network": "tri", "device": "h1",
                                                       "target": "10.0.3.10", "count": 101}}, -32602)
# 100% loss on r1--r3, h1's way to h3: every echo is lost; 0 repairs the link.
ls = call("link_set", network="tri", endpoints=["r1:eth1", "r3:eth0"], loss=100)
assert ls["command"] == "chaos loss r1:eth1--r3:eth0 100", ls
assert call("ping", network="tri", device="h1", target="10.0.3.10", count=3)["result"]["received"] == 0
half = call("link_set", network="tri", endpoints=["r1:eth1", "r3:eth0"], state="up", loss=0.5)
assert half["command"] == "chaos loss r1:eth1--r3:eth0 0.5", half
call("link_set", network="tri", endpoints=["r1:eth1", "r3:eth0"], loss=0)
assert call("ping", network="tri", device="h1", target="10.0.3.10", count=3)["result"]["received"] == 3
assert call("link_set", error=True, network="tri", endpoints=["r1:eth1", "r3:eth0"])["errorCode"] == "bad-argument"
assert call("link_set", error=True, network="tri", endpoints=["r1:eth1", "r9:eth0"], loss=1)["errorCode"] == "command-failed"
for bad in (101, -1, "5"):
    rpc_error("tools/call", {"name": "link_set", "arguments": {
        "network": "tri", "endpoints": ["r1:eth1", "r3:eth0"], "loss": bad}}, -32602)
# r2 crashes: r1 loses its way through it; restored, the two paths come back.
ncur = call("events", network="tri")["cursor"]
crash = call("node_set", network="tri", device="r2", state="down")
assert crash["status"] == 0 and crash["command"] == "chaos crash r2", crash
assert call("converge", network="tri")["result"]["converged"] is True
# r2--r3's subnet is gone with r2 (r3's end of it is down too).
crashed = call("device_command", network="tri", device="r1", command="show ip route")["result"]
assert "10.0.23.0/24" not in crashed and "10.0.3.0/24" in crashed, crashed
assert call("ping", network="tri", device="h1", target="10.0.23.2", count=1)["result"]["received"] == 0
evs = call("events", network="tri", since=ncur)["events"]
assert any(e["type"] == "chaos" and "crash r2" in e["text"] for e in evs), evs
assert call("node_set", error=True, network="tri", device="r9", state="up")["errorCode"] == "command-failed"
assert call("node_set", error=True, network="tri", device="r2 r3", state="up")["errorCode"] == "bad-argument"
assert call("node_set", network="tri", device="r2", state="up")["command"] == "chaos restore r2"
assert call("converge", network="tri")["result"]["converged"] is True
assert route("r1", "10.0.23.0/24") == {"10.0.12.2", "10.0.13.3"}

# ---- interface_set and chaos --------------------------------------------------------------
# r1's eth1 (towards r3) shut: r1 reaches 10.0.3.0/24 through r2 only; back up, both again.
sh = call("interface_set", network="tri", device="r1", interface="eth1", state="down")
assert sh["status"] == 0 and sh["command"] == "interface eth1 shutdown", sh
assert call("converge", network="tri")["result"]["converged"] is True
assert route("r1", "10.0.3.0/24") == {"10.0.12.2"}
assert call("interface_set", network="tri", device="r1", interface="eth1", state="up")["command"] == "interface eth1 no shutdown"
assert call("converge", network="tri")["result"]["converged"] is True
assert route("r1", "10.0.23.0/24") == {"10.0.12.2", "10.0.13.3"}
assert call("interface_set", error=True, network="tri", device="r1", interface="eth9", state="down")["errorCode"] == "command-failed"
assert call("interface_set", error=True, network="tri", device="r1", interface="eth1 x", state="up")["errorCode"] == "bad-argument"
rpc_error("tools/call", {"name": "interface_set", "arguments": {"network": "tri", "device": "r1", "interface": "eth1", "state": "sideways"}}, -32602)
acts = call("chaos", network="tri", action="list")
assert "flap" in acts["output"] and "partition" in acts["output"], acts
ccur = call("events", network="tri")["cursor"]
fl = call("chaos", network="tri", action="flap", args="r1:eth1--r3:eth0 period=200ms count=2")
assert fl["status"] == 0 and fl["command"] == "chaos flap r1:eth1--r3:eth0 period=200ms count=2", fl
call("advance", network="tri", duration="2s")
evs = call("events", network="tri", since=ccur)["events"]
assert sum(1 for e in evs if e["type"] == "link_down") >= 2, evs
assert call("converge", network="tri")["result"]["converged"] is True
assert call("chaos", error=True, network="tri", action="nosuch")["errorCode"] == "command-failed"
assert call("chaos", error=True, network="tri", action="flap", args="r1\"x")["errorCode"] == "bad-argument"
assert call("chaos", error=True, network="tri", action="fl ap")["errorCode"] == "bad-argument"

# ---- a network from YAML text, which then dies ----------------------------------------
yaml = open("topologies/static-routes.yaml").read()
chain = call("network_start", name="chain", topology=yaml, seed=7)
assert chain["topologyName"] == "static-routes" and chain["seed"] == 7, chain
assert chain["topology"].endswith("/chain.mcp.yaml"), chain
assert chain["topologyHash"] == "sha256:" + hashlib.sha256(yaml.encode()).hexdigest(), chain
names = {n["network"]: n for n in call("network_list")["networks"]}
assert set(names) == {"tri", "chain"}, names
assert names["tri"]["topologyName"] == "ospf-triangle" and names["chain"]["seed"] == 7, names
os.kill(chain["pid"], signal.SIGKILL)
deadline = time.time() + 10
while True:
    dead = call("device_command", error=True, network="chain", device="r1", command="show ip route")
    if dead["errorCode"] == "daemon-died" or time.time() > deadline:
        break
    time.sleep(0.05)
assert dead["errorCode"] == "daemon-died" and "died" in dead["error"], dead
assert {n["network"] for n in call("network_list")["networks"]} == {"tri"}
gone = call("device_command", error=True, network="chain", device="r1", command="show ip route")
assert gone["errorCode"] == "unknown-network", gone  # its files were cleaned up
os.unlink(chain["topology"])

# ---- long outputs come in pages -------------------------------------------------------
grid = subprocess.run([NETSIM, "gen", "grid", "10x10"], check=True, capture_output=True).stdout.decode()
call("network_start", name="grid", topology=grid)
pg = call("device_command", network="grid", device="r1", command="show ip route")
page = pg["page"]
assert page["path"] == "result" and page["from"] == 0 and 0 < page["count"] < page["total"], page
assert page["narrowWith"] == "show ip route [PREFIX|PROTOCOL|summary]", page
assert len(json.dumps(pg["result"], separators=(",", ":"))) <= 65536 + 4096 and len(pg["result"]) == page["count"], page
prefixes = list(pg["result"])
while "nextCursor" in page:
    pg = call("device_command", network="grid", device="r1", command="show ip route",
              cursor=page["nextCursor"])
    assert pg["page"]["from"] == page["from"] + page["count"], (page, pg["page"])
    page = pg["page"]
    prefixes += list(pg["result"])
assert len(prefixes) == len(set(prefixes)) == page["total"], (len(prefixes), page)
# A short output is whole, without a page; a narrower command is short.
one = call("device_command", network="grid", device="r1", command="show ip route " + prefixes[-1])
assert "page" not in one and prefixes[-1] in one["result"], one
# Text (a console line's) is cut at lines.
txt = call("device_command", network="grid", device="-", command="= string.rep('0123456789\\n', 20000)")
assert txt["page"]["path"] == "output (lines)" and txt["page"]["total"] >= 20000, txt["page"]
assert txt["output"].endswith("\n") and len(txt["output"]) <= 65536, len(txt["output"])
assert call("device_command", error=True, network="grid", device="r1", command="show ip route",
            cursor="x")["errorCode"] == "bad-argument"
call("network_stop", network="grid")

# ---- resources ------------------------------------------------------------------------
res = {r["uri"]: r for r in request("resources/list")["result"]["resources"]}
assert "netsim://topologies/ospf-triangle.yaml" in res and "netsim://docs/mcp.md" in res, sorted(res)
assert res["netsim://docs/daemon.md"]["mimeType"] == "text/markdown"
assert len([u for u in res if u.startswith("netsim://topologies/")]) == len(
    [f for f in os.listdir("topologies") if f.endswith(".yaml")])
got = request("resources/read", {"uri": "netsim://topologies/ospf-triangle.yaml"})["result"]
assert got["contents"][0]["text"] == open("topologies/ospf-triangle.yaml").read()
assert got["contents"][0]["mimeType"] == "application/yaml"
rpc_error("resources/read", {"uri": "netsim://docs/../Makefile"}, -32002)
rpc_error("resources/read", {"uri": "file:///etc/passwd"}, -32002)
rpc_error("resources/read", {}, -32602)
shipped = call("network_start", name="tri2", topology="netsim://topologies/ospf-triangle.yaml")
assert shipped["topologyName"] == "ospf-triangle", shipped
assert call("network_stop", network="tri2")["stopped"] is True

# ---- protocol errors: each answered, none ends the session ----------------------------
send_raw("this is not json")
r = recv()
assert r["id"] is None and r["error"]["code"] == -32700, r
send_raw("")  # a blank line is no message
send_raw("[1, 2]")
assert recv()["error"]["code"] == -32600
send_raw('{"id": 99, "method": "ping"}')
assert recv() == {"jsonrpc": "2.0", "id": 99, "error": {"code": -32600, "message": '"jsonrpc" must be "2.0"'}}
send_raw('{"jsonrpc": "2.0", "id": null, "method": "ping"}')
assert recv()["error"]["code"] == -32600
send_raw('{"jsonrpc": "2.0", "id": 5, "method": "ping", "id": 6}')  # a key twice
assert recv()["error"]["code"] == -32700
send_raw('{"jsonrpc": "2.0", "method": "no/such/notification"}')  # no reply
rpc_error("tools/delete", {}, -32601)
rpc_error("tools/call", [1], -32602)
rpc_error("tools/call", {"arguments": {}}, -32602)
assert "nope" in rpc_error("tools/call", {"name": "nope", "arguments": {}}, -32602)
assert "network" in rpc_error("tools/call", {"name": "device_command",
                                             "arguments": {"device": "r1", "command": "x"}}, -32602)
rpc_error("tools/call", {"name": "network_list", "arguments": {"extra": 1}}, -32602)
rpc_error("tools/call", {"name": "network_list", "arguments": [1]}, -32602)
rpc_error("tools/call", {"name": "link_set", "arguments": {
    "network": "tri", "endpoints": ["r1:eth0", "r2:eth0"], "state": "sideways"}}, -32602)
rpc_error("tools/call", {"name": "link_set", "arguments": {
    "network": "tri", "endpoints": ["r1:eth0"], "state": "up"}}, -32602)
rpc_error("tools/call", {"name": "network_start", "arguments": {
    "name": "x", "topology": "t.yaml", "seed": -1}}, -32602)
unk = call("device_command", error=True, network="nosuch", device="r1", command="show ip route")
assert unk["errorCode"] == "unknown-network" and "nosuch" in unk["error"], unk
assert call("network_stop", error=True, network="nosuch")["errorCode"] == "unknown-network"
assert call("events", error=True, network="../x")["errorCode"] == "unknown-network"
bad = call("network_start", error=True, name="bad", topology="no/such/file.yaml")
assert bad["errorCode"] == "start-failed" and "no/such/file.yaml" in bad["error"], bad
broken = call("network_start", error=True, name="broken", topology="devices:\n  - name: [\n")
assert broken["errorCode"] == "start-failed", broken
assert request("ping")["result"] == {}

# ---- subscriptions: notifications of a network's events -------------------------------
# A second session, unbuffered, so that select() tells whether a notification came.
import select

watch = subprocess.Popen([NETSIM, "mcp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
wid = 0


def wsend(method, params=None):
    global wid
    wid += 1
    watch.stdin.write(json.dumps({"jsonrpc": "2.0", "id": wid, "method": method,
                                  "params": params or {}}).encode() + b"\n")
    return wid


def wrecv(timeout):
    """The next message within timeout seconds of wall time, or None."""
    if not select.select([watch.stdout], [], [], timeout)[0]:
        return None
    line = watch.stdout.readline()
    assert line.endswith(b"\n"), "the server closed its output"
    return json.loads(line)


def wrequest(method, params=None):
    """A request's response, and the notifications that came before it."""
    want, notes = wsend(method, params), []
    while True:
        m = wrecv(10)
        assert m is not None, ("no response", method)
        if m.get("id") == want:
            return m, notes
        assert "id" not in m, m
        notes.append(m)


def wait_for(pred, timeout=5):
    """Notifications until one satisfies pred (asserted to come within timeout)."""
    notes, end = [], time.time() + timeout
    while not any(pred(n) for n in notes):
        m = wrecv(max(0, end - time.time()))
        assert m is not None, ("no notification came", notes)
        assert "id" not in m and m["method"].startswith("notifications/"), m
        notes.append(m)
    return notes


def drain(quiet=0.3):
    """The notifications still coming, until none has for quiet seconds."""
    notes = []
    while (m := wrecv(quiet)) is not None:
        assert "id" not in m, m
        notes.append(m)
    return notes


def events_of(notes):
    return [n["params"]["data"]["event"] for n in notes if n["method"] == "notifications/message"
            and "event" in n["params"]["data"]]


winit = wrequest("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                               "clientInfo": {"name": "watch", "version": "1"}})[0]["result"]
assert winit["capabilities"]["resources"]["subscribe"] is True and "logging" in winit["capabilities"], winit
TRI_EVENTS = "netsim://networks/tri/events"
assert wrequest("resources/subscribe", {"uri": "netsim://networks/nosuch/events"})[0]["error"]["code"] == -32002
assert wrequest("resources/subscribe", {"uri": "netsim://networks/../events"})[0]["error"]["code"] == -32002
assert wrequest("resources/subscribe", {})[0]["error"]["code"] == -32602
assert wrequest("logging/setLevel", {"level": "loud"})[0]["error"]["code"] == -32602
listed = {r["uri"]: r for r in wrequest("resources/list")[0]["result"]["resources"]}
assert listed[TRI_EVENTS]["mimeType"] == "application/json", listed
timeline = json.loads(wrequest("resources/read", {"uri": TRI_EVENTS})[0]["result"]["contents"][0]["text"])
assert timeline["network"] == "tri" and any(e["type"] == "link_down" for e in timeline["events"]), timeline
assert wrequest("resources/subscribe", {"uri": TRI_EVENTS})[0]["result"] == {}
assert wrequest("logging/setLevel", {"level": "info"})[0]["result"] == {}
assert wrecv(0.5) is None  # nothing new: no notification
# An event made elsewhere (netsim exec) while the client is quiet: the server polls.
subprocess.run([NETSIM, "exec", "tri", "-", "link", "down", "r1:eth0", "r2:eth0"], check=True,
               capture_output=True)
notes = wait_for(lambda n: n["method"] == "notifications/message" and
                 n["params"]["data"].get("event", {}).get("type") == "link_down") + drain()
assert {"interface_down", "adjacency_change"} <= {e["type"] for e in events_of(notes)}, notes
assert len([n for n in notes if n["method"] == "notifications/resources/updated"]) == 1, notes
assert notes[0] == {"jsonrpc": "2.0", "method": "notifications/resources/updated",
                    "params": {"uri": TRI_EVENTS}}, notes
msg = [n for n in notes if n["method"] == "notifications/message"][0]["params"]
assert msg["level"] == "info" and msg["logger"] == "netsim/tri" and msg["data"]["network"] == "tri", msg
assert msg["data"]["event"]["type"] in ("link_down", "interface_down", "adjacency_change"), msg
# An event this session made: its notifications follow the tool's response at once.
r, before = wrequest("tools/call", {"name": "link_set", "arguments": {
    "network": "tri", "endpoints": ["r1:eth0", "r2:eth0"], "state": "up"}})
assert r["result"]["isError"] is False and before == [], (r, before)
notes = wait_for(lambda n: n["method"] == "notifications/message" and
                 n["params"]["data"].get("event", {}).get("type") == "link_up", timeout=0.15) + drain()
assert "link_down" not in [e["type"] for e in events_of(notes)], notes  # each event once
# A higher level: no messages, the resource updates still.
assert wrequest("logging/setLevel", {"level": "warning"})[0]["result"] == {}
subprocess.run([NETSIM, "exec", "tri", "-", "link", "down", "r1:eth0", "r2:eth0"], check=True, capture_output=True)
notes = wait_for(lambda n: n["method"] == "notifications/resources/updated")
assert all(n["method"] != "notifications/message" for n in notes + [wrecv(0.5)] if n), notes
# Unsubscribed: silence.
assert wrequest("resources/unsubscribe", {"uri": TRI_EVENTS})[0]["result"] == {}
subprocess.run([NETSIM, "exec", "tri", "-", "link", "up", "r1:eth0", "r2:eth0"], check=True, capture_output=True)
assert wrecv(0.6) is None
# A network that stops: one last update and a warning, then nothing.
r = wrequest("tools/call", {"name": "network_start", "arguments": {
    "name": "brief", "topology": "topologies/static-routes.yaml"}})[0]
assert r["result"]["isError"] is False, r
assert wrequest("resources/subscribe", {"uri": "netsim://networks/brief/events"})[0]["result"] == {}
subprocess.run([NETSIM, "daemon", "stop", "brief"], check=True, capture_output=True)
notes = wait_for(lambda n: n["method"] == "notifications/message")
assert notes[0]["params"] == {"uri": "netsim://networks/brief/events"}, notes
assert notes[1]["params"]["level"] == "warning" and "brief" in notes[1]["params"]["data"]["text"], notes
assert wrecv(0.5) is None
assert wrequest("resources/read", {"uri": "netsim://networks/brief/events"})[0]["error"]["code"] == -32002
watch.stdin.close()
assert watch.wait(timeout=10) == 0

# ---- stop, and the end of the session -------------------------------------------------
stopped = call("network_stop", network="tri")
assert stopped["stopped"] is True and stopped["network"] == "tri" and stopped["killed"] is False
assert call("network_list")["networks"] == []
assert call("device_command", error=True, network="tri", device="r1",
            command="show ip route")["errorCode"] == "unknown-network"
server.stdin.close()
assert server.wait(timeout=10) == 0
assert server.stdout.read() == b""
print("mcp session ok")
