# mcp-sdk: `netsim mcp` driven by the official MCP TypeScript SDK's client
# (@modelcontextprotocol/sdk, the exact version pinned in tests/mcp/sdk/package.json
# and package-lock.json) through an agent's loop and the protocol's error cases
# (tests/mcp/sdk/agent-loop.mjs). Needs node and npm (`make deps` installs them);
# the packages come from npm's cache when they are there (`npm ci --offline`),
# else from the npm registry, once. No node is a failure, not a skip.
. tests/scenario/lib.inc
. tests/daemon/lib.sh
. tests/mcp/npm.inc

SDK="$TOP/tests/mcp/sdk"
sdk_install "$SDK" @modelcontextprotocol/sdk

node "$SDK/agent-loop.mjs" "$NETSIM" >"$TMP/sdk.out" 2>&1 || { cat "$TMP/sdk.out"; fail "the SDK client's session"; }
expect_contains "$TMP/sdk.out" "sdk agent loop ok"
# Every network the session started is gone, the killed one's files too.
[ -z "$(ls "$RUN" 2>/dev/null | grep -v '\.log' || true)" ] || { ls -l "$RUN"; fail "files left in the runtime directory"; }
