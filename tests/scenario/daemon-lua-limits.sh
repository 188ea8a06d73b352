# daemon-lua-limits: Lua sent to a daemon cannot hold it: an endless loop inside
# pcall ends with "instruction budget exceeded" (pcall cannot catch it), a memory
# bomb with "memory limit", a pathological pattern with "pattern too complex"; each
# returns an error quickly and the daemon answers the next exec, with its Lua state
# still usable. `co = 1` at network scope assigns instead of converging.
. tests/scenario/lib.inc
. tests/daemon/lib.sh

cp topologies/static-routes.yaml "$TMP/net.yaml"
expect_status 0 "$NETSIM" daemon start lim "$TMP/net.yaml" --tick-interval 20ms

# bounded WANT CMD...: expect_status WANT CMD... (status kept in $OUT/$ERR by expect_status), fail if it took 20 s or more.
bounded() {
	t0=$(date +%s)
	expect_status "$@"
	[ $(($(date +%s) - t0)) -lt 20 ] || fail "'$*' took $(($(date +%s) - t0)) s"
}

expect_status 0 "$NETSIM" exec lim - "lua keep = 41"
bounded 1 "$NETSIM" exec lim - "lua while true do pcall(function() while true do end end) end"
grep -qF "lua: instruction budget exceeded" "$TMP/out" "$TMP/err" || fail "no budget message"
bounded 1 "$NETSIM" exec lim - "lua local co = coroutine.wrap(function() while true do end end) while true do pcall(co) end"
grep -qF "lua: instruction budget exceeded" "$TMP/out" "$TMP/err" || fail "no budget message (coroutine)"
expect_status 0 "$NETSIM" exec lim - "= keep + 1"
out_has "42"

bounded 1 "$NETSIM" exec lim - "lua local t={} for i=1,1e9 do t[i]=string.rep('x',1e6) end"
grep -qF "lua: memory limit (128 MB) exceeded" "$TMP/out" "$TMP/err" || { cat "$TMP/out" "$TMP/err"; fail "no memory limit message"; }
# The memory came back: the same state can build 100 MB again.
expect_status 0 "$NETSIM" exec lim - "lua local t={} for i=1,100 do t[i]=string.rep('y',1e6) end print('built', #t)"
out_has "built	100"

bounded 1 "$NETSIM" exec lim - "lua while true do pcall(string.find, string.rep('a',30000), string.rep('a*',60)..'b') end"
grep -qF "lua: instruction budget exceeded" "$TMP/out" "$TMP/err" || { cat "$TMP/out" "$TMP/err"; fail "patterns in a pcall loop"; }
bounded 1 "$NETSIM" exec lim - "= string.find(string.rep('a',30000), string.rep('a*',60)..'b')"
grep -qF "lua: pattern too complex" "$TMP/out" "$TMP/err" || { cat "$TMP/out" "$TMP/err"; fail "no pattern message"; }

# co = 1 at network scope is Lua (co abbreviates converge).
expect_status 0 "$NETSIM" exec lim - "co = 1"
expect_status 0 "$NETSIM" exec lim - "= co + 1"
out_has "2"
grep -q converge "$TMP/out" && fail "co = 1 ran converge"

expect_status 0 "$NETSIM" exec lim r1 "show ip route"
expect_status 0 "$NETSIM" daemon status lim
echo ok
