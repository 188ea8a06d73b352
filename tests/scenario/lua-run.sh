# lua-run.sh: `netsim run FILE.lua` and `netsim test DIR`: passing scenarios, failing
# expectations (exit 1, expected/found printed), errors with file:line and a traceback,
# the sandbox, YAML topologies with Lua hooks, and the experiments of scenarios/.
. tests/scenario/lib.inc

# Every scenario of tests/scenario passes, run each in its own process.
"$NETSIM" test tests/scenario >"$TMP/test.out" 2>&1 || { cat "$TMP/test.out"; fail "netsim test tests/scenario"; }
expect_contains "$TMP/test.out" "PASS tests/scenario/lua_basic.lua"
expect_contains "$TMP/test.out" "PASS tests/scenario/lua_event_handles.lua"
expect_contains "$TMP/test.out" "PASS tests/scenario/lua_chaos.lua"
expect_contains "$TMP/test.out" "PASS tests/scenario/lua_ospf_areas.lua"
expect_contains "$TMP/test.out" "PASS tests/scenario/lua_isis.lua"
grep -q "_square" "$TMP/test.out" && fail "helpers (_*.lua) are not scenarios"
tail -1 "$TMP/test.out" | grep -Eq '^[0-9]+ passed, 0 failed$' || fail "summary line"

# The failing fixtures: netsim test reports them and exits 1.
if "$NETSIM" test tests/scenario/lua-fail >"$TMP/fail.out" 2>&1; then fail "lua-fail passed"; fi
expect_contains "$TMP/fail.out" "0 passed, 7 failed"
expect_contains "$TMP/fail.out" "FAIL tests/scenario/lua-fail/syntax_error.lua (exit 2)"

# Failed expectations: what was expected, what was found, where; exit 1.
rc=0; "$NETSIM" run tests/scenario/lua-fail/expect_fail.lua >"$TMP/e.out" 2>&1 || rc=$?
[ $rc = 1 ] || fail "expect_fail.lua exited $rc"
expect_contains "$TMP/e.out" "expect_fail.lua:14: FAIL expect.route(a, 10.5.1.1, {via=\"10.0.0.9\"})"
expect_contains "$TMP/e.out" "  expected: a route to 10.5.1.1 with via=\"10.0.0.9\""
expect_contains "$TMP/e.out" "  found:    10.5.0.0/16 via 10.0.0.2 (static, distance 1, metric 0)"
expect_contains "$TMP/e.out" "found:    0/2 replies"
expect_contains "$TMP/e.out" "expect: 0 passed, 3 failed"

rc=0; "$NETSIM" run tests/scenario/lua-fail/loops.lua >"$TMP/l.out" 2>&1 || rc=$?
[ $rc = 1 ] || fail "loops.lua exited $rc"
expect_contains "$TMP/l.out" "FAIL expect.no_loops()"
expect_contains "$TMP/l.out" "a -> 10.7.1.1 (c): a -> b -> a"

# Errors: file:line and a traceback; callbacks fail without stopping the run.
rc=0; "$NETSIM" run tests/scenario/lua-fail/runtime_error.lua >"$TMP/r.out" 2>&1 || rc=$?
[ $rc = 1 ] || fail "runtime_error.lua exited $rc"
expect_contains "$TMP/r.out" "runtime_error.lua:3: attempt to index a nil value (field 'missing')"
expect_contains "$TMP/r.out" "stack traceback:"
expect_contains "$TMP/r.out" "runtime_error.lua:7: in main chunk"
rc=0; "$NETSIM" run tests/scenario/lua-fail/syntax_error.lua >"$TMP/s.out" 2>&1 || rc=$?
[ $rc = 2 ] || fail "syntax_error.lua exited $rc"
expect_contains "$TMP/s.out" "syntax_error.lua:2: unexpected symbol near '='"
rc=0; "$NETSIM" run tests/scenario/lua-fail/callback_error.lua >"$TMP/c.out" 2>&1 || rc=$?
[ $rc = 1 ] || fail "callback_error.lua exited $rc"
expect_contains "$TMP/c.out" "error in at() callback (tests/scenario/lua-fail/callback_error.lua:6)"
expect_contains "$TMP/c.out" "error in on('chaos') handler"
expect_contains "$TMP/c.out" "still running, done = true"
expect_contains "$TMP/c.out" "2 failures"
rc=0; "$NETSIM" run tests/scenario/lua-fail/stale_handle.lua >"$TMP/h.out" 2>&1 || rc=$?
[ $rc = 1 ] || fail "stale_handle.lua exited $rc"
expect_contains "$TMP/h.out" "device 'a' belongs to a network that was closed"
rc=0; "$NETSIM" run tests/scenario/lua-fail/sandbox.lua >"$TMP/x.out" 2>&1 || rc=$?
[ $rc = 1 ] || fail "sandbox.lua exited $rc"
expect_contains "$TMP/x.out" "attempt to call a nil value (field 'execute')"
grep -q escaped "$TMP/x.out" && fail "os.execute ran"

# YAML with Lua: lua: file, hooks, script entries with lua:, at: EVENT + d.
"$NETSIM" run tests/scenario/lua-fixtures/hooks.yaml >"$TMP/y.out" 2>&1 || { cat "$TMP/y.out"; fail "hooks.yaml"; }
expect_contains "$TMP/y.out" "hooks.lua loaded for lua-hooks with 4 devices"
expect_contains "$TMP/y.out" "hook: converged at t=2ms"
expect_contains "$TMP/y.out" "[t=2ms] r1> show fabric summary"
expect_contains "$TMP/y.out" "r1: 3 of 3 links up"
expect_contains "$TMP/y.out" "[t=12ms] chaos: link r1:eth0--r2:eth0 down"
expect_contains "$TMP/y.out" "hook: link r1:eth0--r2:eth0 down"
expect_contains "$TMP/y.out" "lua entry on r1: nil"
expect_contains "$TMP/y.out" "hook: converged at t=1002ms"
cat >"$TMP/badhook.yaml" <<'Y'
name: badhook
devices:
  - {name: r1, interfaces: [{name: lo, ip: 10.0.0.1/32}]}
hooks:
  converge: "print(1)"
Y
rc=0; "$NETSIM" run "$TMP/badhook.yaml" >"$TMP/bh.out" 2>&1 || rc=$?
[ $rc = 2 ] || fail "a hook on an unknown event: exit $rc"
expect_contains "$TMP/bh.out" "hooks: unknown event 'converge'"

# The experiments: a table, and JSON with --json.
for s in failover flap node-failure isis-failover; do
	"$NETSIM" run "scenarios/$s.lua" >"$TMP/$s.txt" 2>&1 || { cat "$TMP/$s.txt"; fail "scenarios/$s.lua"; }
	"$NETSIM" run --json "scenarios/$s.lua" >"$TMP/$s.json" 2>&1 || fail "scenarios/$s.lua --json"
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['rows']" "$TMP/$s.json" ||
		fail "$s --json is not JSON with rows"
done
expect_contains "$TMP/failover.txt" "Link failures: static-diamond"
expect_contains "$TMP/failover.txt" "r1:eth0--r2:eth0  true"
expect_contains "$TMP/flap.txt" "Flapping link r1:eth0--r2:eth0 (3 flaps)"
expect_contains "$TMP/node-failure.txt" "Router failures: static-diamond"
expect_contains "$TMP/isis-failover.txt" "IS-IS link failures (carrier loss): isis-ring"
expect_contains "$TMP/isis-failover.txt" "r1:eth0--r2:eth1  true"
grep -q "Silent failure of r6--r1: adjacency down after 2[0-9][0-9][0-9][0-9] ms (the hold time)" \
	"$TMP/isis-failover.txt" || fail "isis-failover: silent failure"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['silent_failure']['lost'] > 0" \
	"$TMP/isis-failover.json" || fail "isis-failover --json"
# On a shipped YAML topology too (the static one: OSPF's own tests cover ospf-*.yaml).
"$NETSIM" run scenarios/failover.lua -- topologies/static-routes.yaml >"$TMP/f.out" 2>&1 ||
	{ cat "$TMP/f.out"; fail "failover on static-routes.yaml"; }
expect_contains "$TMP/f.out" "Link failures: static-routes"
expect_contains "$TMP/f.out" "r2:eth1--r3:eth0  true"
echo ok
