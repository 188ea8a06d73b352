# stateless.py NETSIM: `NETSIM mcp` spoken to in MCP revision 2026-07-28, the
# stateless one (standard library only): no initialize, every request with its
# _meta; server/discover, tools/list and tools/call, resultType on every result,
# the errors of a missing or unsupported version, the methods the revision
# removed, subscriptions/listen on a network's events resource (acknowledged,
# tagged, cancelled, ended), and an initialize session beside it in the same
# process. Every step asserts what it gets; the last line says "mcp stateless ok".
import json
import select
import subprocess
import sys

NETSIM = sys.argv[1]
REV = "2026-07-28"
META = {"io.modelcontextprotocol/protocolVersion": REV,
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": {"name": "netsim-stateless-test", "version": "1"}}
SUB_ID = "io.modelcontextprotocol/subscriptionId"
server = subprocess.Popen([NETSIM, "mcp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
next_id = 0


def send(msg):
    server.stdin.write(json.dumps(msg).encode() + b"\n")


def recv(timeout=10):
    """The next message within timeout seconds of wall time, or None."""
    if not select.select([server.stdout], [], [], timeout)[0]:
        return None
    line = server.stdout.readline()
    assert line.endswith(b"\n"), "the server closed its output"
    return json.loads(line)


def request(method, params=None, meta=META, rid=None):
    """A request's response, and the notifications that came before it."""
    global next_id
    next_id += 1
    rid = next_id if rid is None else rid
    params = dict(params or {})
    if meta is not None:
        params["_meta"] = meta
    send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
    notes = []
    while True:
        m = recv()
        assert m is not None, ("no response", method)
        if m.get("id") == rid and "method" not in m:
            return m, notes
        assert "id" not in m, m
        notes.append(m)


def result(method, params=None, **kw):
    r, notes = request(method, params, **kw)
    assert notes == [], notes
    res = r["result"]
    # basic/index: every result has resultType; serverInfo in its _meta.
    assert res["resultType"] == "complete", res
    assert res["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "netsim", res
    return res


def error(method, params=None, code=None, **kw):
    r, notes = request(method, params, **kw)
    assert notes == [] and "result" not in r and r["error"]["code"] == code, (method, r)
    return r["error"]


def cacheable(res, scope):
    assert isinstance(res["ttlMs"], int) and res["ttlMs"] >= 0 and res["cacheScope"] == scope, res


def call(tool, **args):
    res = result("tools/call", {"name": tool, "arguments": args})
    assert res["isError"] is False, res
    return res["structuredContent"]


def quiet(t=0.4):
    m = recv(t)
    assert m is None, m


def settle(*subs, t=0.4, limit=20):
    """Until t seconds pass without a message: only updates of the events resource for the
    listens subs. The daemon's clock runs in real time, so a change's later events (the
    protocols reconverging) may reach the server after its first update went out: as many
    updates as the server's polls saw new events, for the listens still open, and nothing
    else (no notifications/message, nothing for a cancelled listen)."""
    for _ in range(limit):
        m = recv(t)
        if m is None:
            return
        assert m == {"jsonrpc": "2.0", "method": "notifications/resources/updated",
                     "params": {"_meta": {SUB_ID: m["params"]["_meta"].get(SUB_ID)}, "uri": EV}} \
            and m["params"]["_meta"][SUB_ID] in subs, (subs, m)
    raise AssertionError("updates never stopped")


# ---- server/discover, with no initialize before it ------------------------------------
d = result("server/discover")
assert d["supportedVersions"][0] == REV and set(d["supportedVersions"]) == {REV, "2025-11-25", "2025-06-18"}, d
assert d["capabilities"]["tools"] == {"listChanged": False}, d
assert d["capabilities"]["resources"]["subscribe"] is True, d
assert "logging" not in d["capabilities"], d  # 2026-07-28 logs per request; netsim's do not
assert "network_start" in d["instructions"] and d["_meta"]["netsim/toolsVersion"] == 4, d
cacheable(d, "public")

# ---- tools/list, tools/call with per-request _meta ------------------------------------
tl = result("tools/list")
cacheable(tl, "public")
assert len(tl["tools"]) == 16 and "events" in {t["name"] for t in tl["tools"]}, tl
net = call("network_start", name="st", topology="topologies/ospf-triangle.yaml")
assert net["converged"] is True and net["network"] == "st", net
# clientInfo is optional; a log level is accepted (and no message is sent for it).
meta = {k: v for k, v in META.items() if k != "io.modelcontextprotocol/clientInfo"}
res = result("tools/call", {"name": "network_list", "arguments": {}},
             meta=dict(meta, **{"io.modelcontextprotocol/logLevel": "debug"}))
assert [n["network"] for n in res["structuredContent"]["networks"]] == ["st"], res
quiet(0.2)
rl = result("resources/list")
cacheable(rl, "private")
assert "netsim://networks/st/events" in {r["uri"] for r in rl["resources"]}, rl
rr = result("resources/read", {"uri": "netsim://topologies/ospf-triangle.yaml"})
cacheable(rr, "public")
assert rr["contents"][0]["text"] == open("topologies/ospf-triangle.yaml").read()
# A resource not found is -32602 in 2026-07-28 (-32002 is retired).
error("resources/read", {"uri": "netsim://docs/../Makefile"}, -32602)

# ---- the per-request _meta: missing, malformed, another version ------------------------
error("tools/list", code=-32602, meta=None)  # no _meta, no initialize: malformed
error("tools/list", code=-32602, meta={"progressToken": 1})
error("tools/list", code=-32602, meta={"io.modelcontextprotocol/protocolVersion": REV})
error("tools/list", code=-32602, meta=dict(META, **{"io.modelcontextprotocol/clientCapabilities": []}))
error("tools/list", code=-32602, meta=dict(META, **{"io.modelcontextprotocol/protocolVersion": 20260728}))
error("tools/list", code=-32602, meta=dict(META, **{"io.modelcontextprotocol/clientInfo": "me"}))
error("tools/list", code=-32602, meta=dict(META, **{"io.modelcontextprotocol/logLevel": "loud"}))
for v in ("1900-01-01", "2025-11-25"):
    e = error("tools/call", {"name": "network_list", "arguments": {}}, -32022,
              meta=dict(META, **{"io.modelcontextprotocol/protocolVersion": v}))
    assert e["data"]["requested"] == v and e["data"]["supported"] == d["supportedVersions"], e
# The methods 2026-07-28 removed (and initialize, the older revisions' handshake).
for gone in ("ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe", "initialize"):
    assert gone in error(gone, {"level": "info", "uri": "netsim://networks/st/events",
                                "protocolVersion": REV, "capabilities": {}}, -32601)["message"]
send({"jsonrpc": "2.0", "method": "notifications/roots/list_changed"})  # a notification: no reply
quiet(0.2)
# Tool errors are as before: an unknown tool is invalid params.
error("tools/call", {"name": "nope", "arguments": {}}, -32602)

# ---- subscriptions/listen: the events of a network ------------------------------------
EV = "netsim://networks/st/events"
cursor = call("events", network="st")["cursor"]
send({"jsonrpc": "2.0", "id": 100, "method": "subscriptions/listen", "params": {"_meta": META,
      "notifications": {"toolsListChanged": True, "promptsListChanged": True,
                        "resourceSubscriptions": [EV, "netsim://networks/nosuch/events",
                                                  "netsim://topologies/ospf-triangle.yaml"]}}})
ack = recv()
# Acknowledged first, with the listen's id, honouring only a running network's events.
assert ack == {"jsonrpc": "2.0", "method": "notifications/subscriptions/acknowledged", "params": {
    "_meta": {SUB_ID: 100}, "notifications": {"resourceSubscriptions": [EV]}}}, ack
quiet()  # nothing new: nothing sent, and no response (the listen stays open)
# A request answered meanwhile; its events come after its response, tagged with the listen.
r, notes = request("tools/call", {"name": "link_set", "arguments": {
    "network": "st", "endpoints": ["r1:eth0", "r2:eth0"], "state": "down"}})
assert r["result"]["isError"] is False and r["result"]["resultType"] == "complete" and notes == [], r
up = recv(2)
assert up == {"jsonrpc": "2.0", "method": "notifications/resources/updated",
              "params": {"_meta": {SUB_ID: 100}, "uri": EV}}, up
settle(100)  # updates for the listen only, no notifications/message
ev = call("events", network="st", since=cursor)
assert "link_down" in {e["type"] for e in ev["events"]}, ev
cursor = ev["cursor"]
# An id in use by an open listen is refused; a second listen with its own id.
error("subscriptions/listen", {"notifications": {}}, -32600, rid=100)
error("subscriptions/listen", {"notifications": {"resourceSubscriptions": "x"}}, -32602)
error("subscriptions/listen", {}, -32602)
send({"jsonrpc": "2.0", "id": "two", "method": "subscriptions/listen",
      "params": {"_meta": META, "notifications": {"resourceSubscriptions": [EV]}}})
assert recv()["params"]["_meta"] == {SUB_ID: "two"}
# An event made elsewhere while the client is quiet: both listens hear of it.
subprocess.run([NETSIM, "exec", "st", "-", "link", "up", "r1:eth0", "r2:eth0"], check=True, capture_output=True)
got = sorted((recv(3), recv(3)), key=lambda n: str(n["params"]["_meta"][SUB_ID]))
assert [n["params"]["_meta"][SUB_ID] for n in got] == [100, "two"], got
assert all(n["method"] == "notifications/resources/updated" for n in got), got
settle(100, "two")
# notifications/cancelled ends "two" without a word; 100 goes on.
send({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": "two"}})
subprocess.run([NETSIM, "exec", "st", "-", "link", "down", "r1:eth0", "r2:eth0"], check=True, capture_output=True)
n = recv(3)
assert n["params"] == {"_meta": {SUB_ID: 100}, "uri": EV}, n
settle(100)  # and none for the cancelled "two"
# A listen with nothing to watch is acknowledged and ends at once (its response).
send({"jsonrpc": "2.0", "id": 101, "method": "subscriptions/listen",
      "params": {"_meta": META, "notifications": {"toolsListChanged": True}}})
assert recv()["params"] == {"_meta": {SUB_ID: 101}, "notifications": {}}
end = recv()
assert end["id"] == 101 and end["result"]["resultType"] == "complete", end
assert end["result"]["_meta"][SUB_ID] == 101, end
# A network that stops: one last update, then the listen's response (nothing left to watch).
call("network_start", name="brief", topology="topologies/static-routes.yaml")
send({"jsonrpc": "2.0", "id": 102, "method": "subscriptions/listen", "params": {
    "_meta": META, "notifications": {"resourceSubscriptions": ["netsim://networks/brief/events"]}}})
assert recv()["params"]["notifications"] == {"resourceSubscriptions": ["netsim://networks/brief/events"]}
assert call("network_stop", network="brief")["stopped"] is True
last = recv(3)
assert last["method"] == "notifications/resources/updated" and last["params"]["_meta"] == {SUB_ID: 102}, last
end = recv(3)
assert end["id"] == 102 and end["result"]["_meta"][SUB_ID] == 102, end
quiet()

# ---- an initialize session beside it, in the same process ------------------------------
init = request("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                              "clientInfo": {"name": "legacy", "version": "1"}}, meta=None)[0]["result"]
assert init["protocolVersion"] == "2025-11-25" and "resultType" not in init, init
assert "logging" in init["capabilities"] and init["serverInfo"]["name"] == "netsim", init
send({"jsonrpc": "2.0", "method": "notifications/initialized"})
assert request("ping", meta=None)[0]["result"] == {}
legacy = request("tools/list", meta=None)[0]["result"]
assert "resultType" not in legacy and "ttlMs" not in legacy and len(legacy["tools"]) == 16, legacy
assert request("resources/read", {"uri": "nope"}, meta=None)[0]["error"]["code"] == -32002
# A request with the _meta is still served statelessly.
assert result("tools/list")["tools"] == legacy["tools"]

# ---- the end of stdin: the open listen gets its response -------------------------------
server.stdin.close()
end = recv(5)
assert end["id"] == 100 and end["result"] == {"resultType": "complete", "_meta": {
    "io.modelcontextprotocol/serverInfo": d["_meta"]["io.modelcontextprotocol/serverInfo"], SUB_ID: 100}}, end
assert server.wait(timeout=10) == 0 and server.stdout.read() == b""
subprocess.run([NETSIM, "daemon", "stop", "st"], check=True, capture_output=True)
print("mcp stateless ok")
