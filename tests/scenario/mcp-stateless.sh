# mcp-stateless: `netsim mcp` spoken to in MCP revision 2026-07-28, the stateless
# one, by a standard-library Python client (tests/mcp/stateless.py): no
# initialize, server/discover, per-request _meta, resultType, the errors of a
# missing or unsupported version, the removed methods, subscriptions/listen on a
# network's events, and an initialize session beside it in the same process.
# Daemons run in a private runtime directory (tests/daemon/lib.sh).
. tests/scenario/lib.inc
. tests/daemon/lib.sh

python3 tests/mcp/stateless.py "$NETSIM" >"$TMP/mcp.out" 2>&1 || { cat "$TMP/mcp.out"; fail "MCP 2026-07-28 session"; }
expect_contains "$TMP/mcp.out" "mcp stateless ok"
[ -z "$(ls "$RUN" 2>/dev/null | grep -v '\.log' || true)" ] || { ls -l "$RUN"; fail "files left in the runtime directory"; }
