# mcp-sdk: `netsim mcp` driven by the official MCP TypeScript SDK's client
# (@modelcontextprotocol/sdk, the exact version pinned in tests/mcp/sdk/package.json
# and package-lock.json) through an agent's loop and the protocol's error cases
# (tests/mcp/sdk/agent-loop.mjs). Needs node and npm (`make deps` installs them);
# the packages come from npm's cache when they are there (`npm ci --offline`),
# else from the npm registry, once. No node is a failure, not a skip.
. tests/scenario/lib.inc
. tests/daemon/lib.sh
. tests/mcp/npm.inc

sdk_agent_loop "$TOP/tests/mcp/sdk" @modelcontextprotocol/sdk "sdk agent loop ok"
