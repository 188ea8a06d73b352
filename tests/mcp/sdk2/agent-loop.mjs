// agent-loop.mjs NETSIM: `NETSIM mcp` driven by the official MCP TypeScript SDK v2
// client (@modelcontextprotocol/client, pinned in package.json) over its stdio
// transport in MCP revision 2026-07-28, the stateless one: the SDK probes with
// server/discover and, netsim answering it, sends every request with its _meta
// and no initialize. The loop an agent runs: start a network, inspect a device,
// listen to its events (subscriptions/listen), fail a link, converge, read the
// events after a cursor, verify, stop; then the protocol's errors and a
// subscription the server ends. Every step asserts what it gets; the last line
// says "sdk2 agent loop ok".
import assert from "node:assert/strict";
import { toolCalls } from "../tool-calls.mjs";
import { Client, ProtocolError } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

const NETSIM = process.argv[2];
assert.ok(NETSIM, "usage: node agent-loop.mjs NETSIM");
const REV = "2026-07-28";

// The whole environment: the daemons live in the test's private XDG_RUNTIME_DIR.
const transport = new StdioClientTransport({
  command: NETSIM, args: ["mcp"], env: { ...process.env }, stderr: "inherit",
});
// What the client sends on the session, to see that it is the stateless revision.
const sent = [];
const send = transport.send.bind(transport);
transport.send = (msg, opts) => { sent.push(msg); return send(msg, opts); };

// 'auto': probe with server/discover, fall back to initialize if the server is older.
const client = new Client({ name: "netsim-sdk2-test", version: "1.0.0" },
  { versionNegotiation: { mode: "auto" } });
await client.connect(transport);
assert.equal(client.getNegotiatedProtocolVersion(), REV);
assert.equal(client.getServerVersion().name, "netsim");
assert.ok(client.getServerCapabilities().tools, "tools capability");
assert.equal(client.getServerCapabilities().resources.subscribe, true);
assert.match(client.getInstructions(), /network_start/);

// A tool call, and a protocol error (the SDK raises ProtocolError with the JSON-RPC code).
const { call, rpcError } = toolCalls(client, ProtocolError);

async function until(pred, what, ms = 5000) {
  for (const end = Date.now() + ms; !pred();) {
    assert.ok(Date.now() < end, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const { tools } = await client.listTools();
const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
for (const t of ["network_start", "network_stop", "device_command", "link_set", "converge",
  "events", "verify"]) assert.ok(byName[t], `tool ${t} listed`);
assert.equal(byName.link_set.annotations.destructiveHint, true);

// ---- start and inspect -----------------------------------------------------------------
const net = await call("network_start", { name: "sdk2", topology: "topologies/ospf-triangle.yaml" });
assert.equal(net.converged, true);
assert.equal(net.devices, 5);
const routes = await call("device_command", { network: "sdk2", device: "r1", command: "show ip route" });
const nh = (r, p) => new Set(r.result[p].filter((x) => x.selected).flatMap((x) => x.nexthops.map((h) => h.ip)));
assert.deepEqual(nh(routes, "10.0.23.0/24"), new Set(["10.0.12.2", "10.0.13.3"]));

// ---- listen to its events, fail a link, converge ---------------------------------------
const EV = "netsim://networks/sdk2/events";
const updated = [];
client.setNotificationHandler("notifications/resources/updated", (n) => { updated.push(n.params.uri); });
let cursor = (await call("events", { network: "sdk2" })).cursor;
const sub = await client.listen({ resourceSubscriptions: [EV, "netsim://networks/nosuch/events"] });
assert.deepEqual(sub.honoredFilter, { resourceSubscriptions: [EV] });
await call("link_set", { network: "sdk2", endpoints: ["r1:eth0", "r2:eth0"], state: "down" });
await until(() => updated.includes(EV), "notifications/resources/updated");
const conv = await call("converge", { network: "sdk2", timeout: "2m" });
assert.equal(conv.result.converged, true);
// The update says "read me": the events tool after the cursor has what happened.
const ev = await call("events", { network: "sdk2", since: cursor });
const types = new Set(ev.events.map((e) => e.type));
assert.ok(types.has("link_down") && types.has("adjacency_change"), JSON.stringify([...types]));
cursor = ev.cursor;
const timeline = JSON.parse((await client.readResource({ uri: EV })).contents[0].text);
assert.equal(timeline.network, "sdk2");
assert.ok(timeline.events.some((e) => e.type === "link_down"));
const after = await call("device_command", { network: "sdk2", device: "r1", command: "show ip route" });
assert.deepEqual(nh(after, "10.0.23.0/24"), new Set(["10.0.13.3"]));
const v = await call("verify", { network: "sdk2", assertions: [
  { reachable: { from: "h1", to: "10.0.3.10" } },
  { path: { from: "h1", to: "h3", avoids: "r2" } },
] });
assert.deepEqual(v.results.map((r) => r.status), ["pass", "pass"]);
// Closed by the client (notifications/cancelled): no more updates.
await sub.close();
assert.equal(await sub.closed, "local");
const seen = updated.length;
await call("link_set", { network: "sdk2", endpoints: ["r1:eth0", "r2:eth0"], state: "up" });
await call("network_list", {}); // a round trip after the server's poll
assert.equal(updated.length, seen, JSON.stringify(updated));

// ---- a subscription the server ends: its network stops ---------------------------------
await call("network_start", { name: "sdk2-brief", topology: "topologies/static-routes.yaml" });
const brief = await client.listen({ resourceSubscriptions: ["netsim://networks/sdk2-brief/events"] });
assert.equal((await call("network_stop", { network: "sdk2-brief" })).stopped, true);
assert.equal(await brief.closed, "graceful");

// ---- protocol errors: none ends the session --------------------------------------------
await rpcError("no_such_tool", {}, -32602);
await rpcError("device_command", { network: "x", device: "r1" }, -32602);
await rpcError("network_list", { extra: 1 }, -32602);
assert.equal((await call("converge", { network: "nosuch" }, { error: true })).errorCode, "unknown-network");
assert.equal((await call("network_stop", { network: "sdk2" })).stopped, true);
assert.deepEqual((await call("network_list", {})).networks, []);

// Every request of the session was 2026-07-28's: its _meta, and no initialize.
const reqs = sent.filter((m) => m.method !== undefined && m.id !== undefined);
assert.ok(reqs.length > 10, `${reqs.length} requests`);
for (const m of reqs) {
  assert.notEqual(m.method, "initialize");
  assert.equal(m.params._meta["io.modelcontextprotocol/protocolVersion"], REV, JSON.stringify(m));
  assert.ok(m.params._meta["io.modelcontextprotocol/clientCapabilities"], JSON.stringify(m));
}
assert.ok(reqs.some((m) => m.method === "subscriptions/listen"));

await client.close();
console.log("sdk2 agent loop ok");
