// agent-loop.mjs NETSIM: `NETSIM mcp` driven by the official MCP TypeScript SDK's
// client (@modelcontextprotocol/sdk, pinned in package.json) over its stdio
// transport, through the loop an agent runs: start a network, inspect a device
// (JSON), fail a link, converge, verify, fork, change the fork, diff, stop both;
// then the protocol's error cases (an unknown tool, bad arguments, a daemon
// that died). Every step asserts what it gets; the last line says "sdk agent loop ok".
import assert from "node:assert/strict";
import { toolCalls } from "../tool-calls.mjs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import {
  McpError, ErrorCode, ResourceUpdatedNotificationSchema, LoggingMessageNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";

const NETSIM = process.argv[2];
assert.ok(NETSIM, "usage: node agent-loop.mjs NETSIM");

// The whole environment: the daemons live in the test's private XDG_RUNTIME_DIR,
// which the transport's default (a few safe variables) would leave out.
const transport = new StdioClientTransport({
  command: NETSIM, args: ["mcp"], env: { ...process.env }, stderr: "inherit",
});
const client = new Client({ name: "netsim-sdk-test", version: "1.0.0" });
await client.connect(transport);

const info = client.getServerVersion();
assert.equal(info.name, "netsim");
assert.ok(client.getServerCapabilities().tools, "tools capability");

// A tool call, and a protocol error (the SDK raises McpError with the JSON-RPC code).
const { call, rpcError } = toolCalls(client, McpError);

const { tools } = await client.listTools();
const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
for (const t of ["network_start", "network_stop", "device_command", "link_set", "converge",
  "verify", "fork", "diff"]) assert.ok(byName[t], `tool ${t} listed`);
assert.equal(byName.diff.annotations.readOnlyHint, true);
assert.equal(byName.link_set.annotations.destructiveHint, true);

// ---- start and inspect -----------------------------------------------------------------
const net = await call("network_start", { name: "sdk", topology: "topologies/ospf-triangle.yaml" });
assert.equal(net.converged, true);
assert.equal(net.devices, 5);
assert.match(net.topologyHash, /^sha256:[0-9a-f]{64}$/);
const routes = await call("device_command", { network: "sdk", device: "r1", command: "show ip route" });
assert.equal(routes.status, 0);
assert.equal(routes.seed, net.seed);
const nh = (r, p) => new Set(r.result[p].filter((x) => x.selected).flatMap((x) => x.nexthops.map((h) => h.ip)));
assert.deepEqual(nh(routes, "10.0.23.0/24"), new Set(["10.0.12.2", "10.0.13.3"]));

// ---- fail a link, converge, verify (subscribed to the network's events) ----------------
const updated = [], messages = [];
client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => { updated.push(n.params.uri); });
client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => { messages.push(n.params); });
await client.subscribeResource({ uri: "netsim://networks/sdk/events" });
await client.setLoggingLevel("info");
const down = await call("link_set", { network: "sdk", endpoints: ["r1:eth0", "r2:eth0"], state: "down" });
assert.equal(down.command, "link down r1:eth0 r2:eth0");
const conv = await call("converge", { network: "sdk", timeout: "2m" });
assert.equal(conv.result.converged, true);
assert.ok(conv.result.tookMs > 0);
await client.ping(); // the notifications of the link_set came before this answer
assert.ok(updated.includes("netsim://networks/sdk/events"), JSON.stringify(updated));
const seen = messages.map((m) => m.data.event && m.data.event.type);
assert.ok(seen.includes("link_down") && seen.includes("adjacency_change"), JSON.stringify(messages));
assert.ok(messages.every((m) => m.logger === "netsim/sdk" && m.level === "info"));
await client.unsubscribeResource({ uri: "netsim://networks/sdk/events" });
const after = await call("device_command", { network: "sdk", device: "r1", command: "show ip route" });
assert.deepEqual(nh(after, "10.0.23.0/24"), new Set(["10.0.13.3"]));
const v = await call("verify", { network: "sdk", assertions: [
  { reachable: { from: "h1", to: "10.0.3.10" } },
  { path: { from: "h1", to: "h3", avoids: "r2" } },
  { path: { from: "h1", to: "h3", via: "r2" } },
] });
assert.deepEqual(v.results.map((r) => r.status), ["pass", "pass", "fail"]);
assert.deepEqual(v.results[2].evidence.hops.map((h) => h.device), ["h1", "r1", "r3", "h3"]);

// ---- fork, change the fork, diff, stop both -------------------------------------------
const fk = await call("fork", { network: "sdk", name: "sdk-whatif" });
assert.equal(fk.forkedFrom, "sdk");
assert.equal(fk.seed, net.seed);
assert.equal((await call("diff", { a: "sdk", b: "sdk-whatif" })).changes, 0);
await call("link_set", { network: "sdk-whatif", endpoints: ["r2:eth0", "r1:eth0"], state: "up" });
assert.equal((await call("converge", { network: "sdk-whatif" })).result.converged, true);
const d = await call("diff", { a: "sdk", b: "sdk-whatif" });
assert.ok(d.changes > 0);
assert.deepEqual(d.devices.r1.adjacencies.added, [{ adjacency: "ospf 2.2.2.2 eth0", state: "Full" }]);
const ch = Object.fromEntries(d.devices.r1.routes.changed.map((c) => [c.prefix, c]));
assert.deepEqual(ch["10.0.23.0/24"].b.nexthops, ["10.0.12.2 eth0", "10.0.13.3 eth1"]);
// The original kept its failure.
const still = await call("device_command", { network: "sdk", device: "r1", command: "show ip route" });
assert.deepEqual(nh(still, "10.0.23.0/24"), new Set(["10.0.13.3"]));
assert.equal((await call("network_stop", { network: "sdk-whatif" })).stopped, true);
assert.equal((await call("network_stop", { network: "sdk" })).stopped, true);
assert.deepEqual((await call("network_list", {})).networks, []);

// ---- protocol errors: none ends the session --------------------------------------------
await rpcError("no_such_tool", {}, ErrorCode.InvalidParams);
await rpcError("device_command", { network: "x", device: "r1" }, ErrorCode.InvalidParams);
await rpcError("link_set", { network: "x", endpoints: ["a:b", "c:d"], state: "sideways" },
  ErrorCode.InvalidParams);
await rpcError("network_list", { extra: 1 }, ErrorCode.InvalidParams);
assert.equal((await call("converge", { network: "nosuch" }, { error: true })).errorCode, "unknown-network");

// ---- a daemon that died: kill -9, then a tool call -------------------------------------
const doomed = await call("network_start", { name: "sdk-doomed", topology: "topologies/static-routes.yaml" });
process.kill(doomed.pid, "SIGKILL");
let dead;
for (const end = Date.now() + 10000; ;) {
  dead = await call("device_command", { network: "sdk-doomed", device: "r1", command: "show ip route" },
    { error: true }).catch(() => null);
  if ((dead && dead.errorCode === "daemon-died") || Date.now() > end) break;
  await new Promise((r) => setTimeout(r, 50));
}
assert.ok(dead, "a call on a killed daemon is an error result");
assert.equal(dead.errorCode, "daemon-died");
assert.match(dead.error, /died/);
assert.equal((await call("network_stop", { network: "sdk-doomed" }, { error: true })).errorCode,
  "unknown-network");
await client.ping();

await client.close();
console.log("sdk agent loop ok");
