# lua-budget: `netsim run` gives every call into a topology's Lua (hooks, script
# entries, the lua: file, timers and handlers) and every callback of a scenario an
# instruction budget (docs/security.md): an endless loop ends the call with an error
# that names it, pcall cannot catch it, the rest of the run goes on without Lua and
# exits 1, and nothing hangs. A scenario's main chunk alone is not counted: a long
# simulation driven from it still runs to its end.
. tests/scenario/lib.inc

# bounded WANT OUTFILE CMD...: CMD exits WANT within 20 s (timeout's 124 is a hang).
bounded() {
	want=$1 out=$2
	shift 2
	rc=0
	timeout 20 "$@" >"$out" 2>&1 || rc=$?
	[ $rc != 124 ] || { cat "$out"; fail "'$*' hung"; }
	[ $rc = "$want" ] || { cat "$out"; fail "'$*': exit $rc, expected $want"; }
}

TOPO="name: loop
devices:
  - {name: r1, interfaces: [{name: lo, ip: 10.0.0.1/32}]}"

# (a) A hook that loops forever; the script entry after it does not run.
cat >"$TMP/hook.yaml" <<Y
$TOPO
hooks:
  converged: "print('hook starts') while true do end"
script:
  - at: 2s
    lua: "print('entry after the loop ran')"
Y
bounded 1 "$TMP/a.out" "$NETSIM" run "$TMP/hook.yaml"
expect_contains "$TMP/a.out" "hook starts"
expect_contains "$TMP/a.out" "error in on('converged') handler ($TMP/hook.yaml:hooks.converged): lua: instruction budget exceeded (200000000 instructions; an endless loop?)"
expect_contains "$TMP/a.out" "netsim: on('converged') handler ($TMP/hook.yaml:hooks.converged) ran out of its instruction budget: the run goes on without Lua"
expect_not_contains "$TMP/a.out" "entry after the loop ran"

# (b) The same inside pcall, in a script entry: pcall cannot catch the budget.
cat >"$TMP/entry.yaml" <<Y
$TOPO
script:
  - at: 1s
    lua: "while true do print('caught:', pcall(function() while true do end end)) end"
Y
bounded 1 "$TMP/b.out" "$NETSIM" run "$TMP/entry.yaml"
expect_contains "$TMP/b.out" "error in script entry at $TMP/entry.yaml:5: lua: instruction budget exceeded"
expect_not_contains "$TMP/b.out" "caught:"

# (c) The topology's lua: file looping at load: the run does not start (exit 2).
printf '%s\nlua: spin.lua\n' "$TOPO" >"$TMP/file.yaml"
echo 'local n = 0 while true do n = n + 1 end' >"$TMP/spin.lua"
bounded 2 "$TMP/c.out" "$NETSIM" run "$TMP/file.yaml"
expect_contains "$TMP/c.out" "error in the Lua of $TMP/file.yaml (lua:, hooks:): lua: instruction budget exceeded"
expect_contains "$TMP/c.out" "spin.lua:1:"

# (d) A scenario's callbacks are counted, each on its own budget: a timer that loops
# inside pcall, and a handler resuming a coroutine the main chunk made.
cat >"$TMP/cb.lua" <<'L'
local net = netsim.load("topologies/static-routes.yaml")
net:at("converged", function() pcall(function() while true do end end) print("not reached") end)
net:at("converged + 1s", function() print("later timer ran") end)
net:run()
print("main chunk goes on at", net:now())
L
bounded 1 "$TMP/d.out" "$NETSIM" run "$TMP/cb.lua"
expect_contains "$TMP/d.out" "error in at() callback ($TMP/cb.lua:2): lua: instruction budget exceeded"
expect_contains "$TMP/d.out" "main chunk goes on at"
expect_not_contains "$TMP/d.out" "not reached"
expect_not_contains "$TMP/d.out" "later timer ran"
cat >"$TMP/co.lua" <<'L'
local net = netsim.load("topologies/static-routes.yaml")
local spin = coroutine.wrap(function() while true do end end)
net:on("converged", function() spin() end)
net:run()
L
bounded 1 "$TMP/co.out" "$NETSIM" run "$TMP/co.lua"
expect_contains "$TMP/co.out" "error in on('converged') handler ($TMP/co.lua:3):"
expect_contains "$TMP/co.out" "lua: instruction budget exceeded"

# (e) A scenario's main chunk is not counted: 300M instructions of its own, then 200 s
# of OSPF with link failures; its every() callback runs 200 times on small budgets.
cat >"$TMP/long.lua" <<'L'
local n = 0
for i = 1, 150000000 do n = n + 1 end      -- about 300M instructions: over one budget
print("counted to", n)
local net = netsim.load("topologies/ospf-triangle.yaml")
local ticks = 0
net:every("1s", function() ticks = ticks + 1 end)
for round = 1, 20 do
	chaos.link_down("r1--r3")
	net:run_until_converged{timeout = "5s"}
	chaos.link_up("r1--r3")
	net:run_until_converged{timeout = "5s"}
	net:run{to = round * 10000}
end
print("simulated", net:now(), "ms, ticks", ticks)
expect.route(net.r1, "10.0.3.0/24", {protocol = "ospf"})
L
bounded 0 "$TMP/e.out" "$NETSIM" run "$TMP/long.lua"
expect_contains "$TMP/e.out" "counted to	150000000"
expect_contains "$TMP/e.out" "simulated	200000	ms, ticks	200"
expect_contains "$TMP/e.out" "expect: 1 passed, 0 failed"
echo ok
