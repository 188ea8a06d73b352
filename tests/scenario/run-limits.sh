# A run that stops (--until, --limit) before the network converged, with script entries
# at 'converged' that never ran, exits 3 and says so; --limit stops exactly at its time;
# run --help lists the exit statuses; validate --help is help; validate runs a .lua
# file through the Lua loader.
. tests/scenario/lib.inc

# The triangle converges at about 51 s (the broadcast Wait timer); its script is at 'converged'.
set +e
"$NETSIM" run -q --limit 10s topologies/ospf-triangle.yaml >"$TMP/limit.out" 2>&1
rc=$?
set -e
[ $rc = 3 ] || { cat "$TMP/limit.out"; fail "--limit before convergence: exit $rc, not 3"; }
expect_contains "$TMP/limit.out" "[t=10000ms] Simulation limit reached"
expect_contains "$TMP/limit.out" "Simulation complete: 10000ms simulated"
expect_contains "$TMP/limit.out" "2 script entries at 'converged' never ran: the network had not converged when the run stopped at t=10000ms"
expect_not_contains "$TMP/limit.out" "r1> show ip route"

set +e
"$NETSIM" run --json --until 10s topologies/ospf-triangle.yaml >"$TMP/until.json" 2>&1
rc=$?
set -e
[ $rc = 3 ] || { cat "$TMP/until.json"; fail "--until before convergence: exit $rc, not 3"; }
python3 - "$TMP/until.json" <<'P' || fail "--until JSON report"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["converged"] is False and d["neverRan"] == 2 and d["simulatedMs"] == 10000, d
assert d["outputs"] == [], d
P

# Long enough: everything ran, exit 0; past convergence an --until that cuts off later
# entries is what was asked for (exit 0 too).
"$NETSIM" run -q --limit 2m topologies/ospf-triangle.yaml >"$TMP/ok.out" || fail "--limit 2m failed"
expect_contains "$TMP/ok.out" "r1> show ip route"
expect_not_contains "$TMP/ok.out" "never ran"
"$NETSIM" run -q --until 51100ms topologies/ospf-triangle.yaml >"$TMP/cut.out" || {
	cat "$TMP/cut.out"; fail "--until after convergence failed"; }
expect_contains "$TMP/cut.out" "r1> show ip route"
# A topology without 'converged' entries stopped early is not a failure either.
sed -e '/^script:/,$d' topologies/ospf-triangle.yaml >"$TMP/noscript.yaml"
"$NETSIM" run -q --until 5s "$TMP/noscript.yaml" >"$TMP/noscript.out" || fail "--until without converged entries"

# Help.
"$NETSIM" run --help >"$TMP/run-help.out" || fail "run --help"
expect_contains "$TMP/run-help.out" "exit status:"
expect_contains "$TMP/run-help.out" "  3  stopped (--until, --limit) before the network converged"
"$NETSIM" validate --help >"$TMP/val-help.out" || fail "validate --help failed"
expect_contains "$TMP/val-help.out" "usage: netsim validate FILE.yaml|FILE.lua..."

# validate FILE.lua: the Lua loader (a topology file whole, a scenario up to its first net:run()).
"$NETSIM" validate scenarios/_diamond.lua tests/scenario/lua_ospf_areas.lua >"$TMP/val.out" ||
	{ cat "$TMP/val.out"; fail "validate of good Lua files"; }
expect_contains "$TMP/val.out" "scenarios/_diamond.lua: ok (Lua: 6 devices, 7 links"
expect_contains "$TMP/val.out" "tests/scenario/lua_ospf_areas.lua: ok (Lua: 3 devices, 2 links"
printf 'local net = netsim.network("x")\nnet:router("r1"):interface("eth0", {ip = "10.0.0.300/24"})\n' >"$TMP/bad.lua"
if "$NETSIM" validate "$TMP/bad.lua" >"$TMP/bad.out" 2>&1; then
	cat "$TMP/bad.out"
	fail "validate of a bad Lua topology succeeded"
fi
expect_contains "$TMP/bad.out" "bad.lua:2:1: bad IPv4 address/length '10.0.0.300/24'"
if "$NETSIM" validate tests/scenario/lua-fail/syntax_error.lua >"$TMP/syn.out" 2>&1; then
	fail "validate of a Lua syntax error succeeded"
fi
expect_contains "$TMP/syn.out" "syntax_error.lua:2:"
