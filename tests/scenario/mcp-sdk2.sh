# mcp-sdk2: `netsim mcp` in MCP revision 2026-07-28 (stateless), driven by the
# official MCP TypeScript SDK v2 client (@modelcontextprotocol/client, the exact
# version pinned in tests/mcp/sdk2/package.json and package-lock.json): the SDK
# probes with server/discover, then runs an agent's loop with per-request _meta,
# subscriptions/listen on a network's events, and the protocol's error cases
# (tests/mcp/sdk2/agent-loop.mjs). Needs node 20 or later and npm, as mcp-sdk.sh
# does (tests/mcp/npm.inc). No node is a failure, not a skip.
. tests/scenario/lib.inc
. tests/daemon/lib.sh
. tests/mcp/npm.inc

sdk_agent_loop "$TOP/tests/mcp/sdk2" @modelcontextprotocol/client "sdk2 agent loop ok"
