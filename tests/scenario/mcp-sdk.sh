# mcp-sdk: `netsim mcp` driven by the official MCP TypeScript SDK's client
# (@modelcontextprotocol/sdk, the exact version pinned in tests/mcp/sdk/package.json
# and package-lock.json) through an agent's loop and the protocol's error cases
# (tests/mcp/sdk/agent-loop.mjs). Needs node and npm (`make deps` installs them);
# the packages come from npm's cache when they are there (`npm ci --offline`),
# else from the npm registry, once. No node is a failure, not a skip.
. tests/scenario/lib.inc
. tests/daemon/lib.sh

SDK="$TOP/tests/mcp/sdk"
command -v node >/dev/null 2>&1 || fail "node is not installed: the MCP SDK test needs it (make deps, or apt-get install nodejs npm)"
command -v npm >/dev/null 2>&1 || fail "npm is not installed: the MCP SDK test needs it (make deps, or apt-get install nodejs npm)"
# $HOME is the test's own (lib.sh): npm's cache is the user's.
NPM_CACHE=$(HOME=$(getent passwd "$(id -u)" | cut -d: -f6) npm config get cache 2>/dev/null || true)
[ -n "$NPM_CACHE" ] && export npm_config_cache="$NPM_CACHE"
lock_sum=$(sha256sum "$SDK/package-lock.json" | cut -d' ' -f1)
# An install made from this very lock file is kept (node_modules/.netsim-lock).
if [ "$(cat "$SDK/node_modules/.netsim-lock" 2>/dev/null || true)" != "$lock_sum" ]; then
	(cd "$SDK" && { npm ci --offline --no-audit --no-fund >"$TMP/npm.out" 2>&1 ||
		npm ci --no-audit --no-fund >"$TMP/npm.out" 2>&1; }) ||
		{ cat "$TMP/npm.out"; fail "npm ci in tests/mcp/sdk (the npm registry is needed once, to fill npm's cache)"; }
	echo "$lock_sum" >"$SDK/node_modules/.netsim-lock"
fi
# The SDK is the version pinned.
want=$(sed -n 's/.*"@modelcontextprotocol\/sdk": "\(.*\)".*/\1/p' "$SDK/package.json")
got=$(node -p 'require(process.argv[1]).version' "$SDK/node_modules/@modelcontextprotocol/sdk/package.json")
[ "$want" = "$got" ] || fail "SDK $got installed, $want pinned"

node "$SDK/agent-loop.mjs" "$NETSIM" >"$TMP/sdk.out" 2>&1 || { cat "$TMP/sdk.out"; fail "the SDK client's session"; }
expect_contains "$TMP/sdk.out" "sdk agent loop ok"
# Every network the session started is gone, the killed one's files too.
[ -z "$(ls "$RUN" 2>/dev/null | grep -v '\.log' || true)" ] || { ls -l "$RUN"; fail "files left in the runtime directory"; }
