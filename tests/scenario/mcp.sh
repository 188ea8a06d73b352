# mcp: `netsim mcp` driven over pipes by an MCP client (tests/mcp/client.py, the
# standard library only): the handshake, tools/list's schemas and annotations,
# a network started from a file and one from YAML text, device commands with
# exec --json's envelope, a link failure and reconvergence, the event timeline
# from a cursor, network_list and network_stop, a daemon that died, the
# resources, and the protocol's errors (garbage, unknown method, bad params,
# unknown tool, unknown network). Daemons run in a private runtime directory
# (tests/daemon/lib.sh), and its EXIT trap stops any the test left.
. tests/scenario/lib.inc
. tests/daemon/lib.sh

python3 tests/mcp/client.py "$NETSIM" >"$TMP/mcp.out" 2>&1 || { cat "$TMP/mcp.out"; fail "MCP session"; }
expect_contains "$TMP/mcp.out" "mcp session ok"
# Every network the session started is gone, the killed one's files too.
[ -z "$(ls "$RUN" 2>/dev/null | grep -v '\.log' || true)" ] || { ls -l "$RUN"; fail "files left in the runtime directory"; }
# Version negotiation (MCP lifecycle): a revision the server speaks is answered in kind,
# another with the latest it speaks (2026-07-28 has no initialize: tests/mcp/stateless.py).
for ask in 2025-11-25:2025-11-25 2025-06-18:2025-06-18 1999-01-01:2025-11-25 2026-07-28:2025-11-25; do
	printf '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"%s","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}\n' "${ask%%:*}" |
		"$NETSIM" mcp 2>/dev/null | python3 -c "
import json, sys
r = json.loads(sys.stdin.readline())
assert r['result']['protocolVersion'] == '${ask#*:}', r
" || fail "initialize asking ${ask%%:*} was not answered with ${ask#*:}"
done
