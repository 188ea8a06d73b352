# lua-route-maps: route maps written in Lua (docs/policy-lua.md): a YAML
# `lua:` source compiles at load and its syntax errors carry the topology's
# line; a Lua topology's function becomes a route map, a function upvalue is
# a configuration error naming it; dev:set_policy replaces, adds and deletes
# policy objects at run time, a route map as a function or as {lua = ...}.
. tests/scenario/lib.inc

cat >"$TMP/good.yaml" <<'Y'
name: lua-policy
devices:
  - name: r1
    interfaces:
      - {name: eth0, ip: 10.0.12.1/24}
    route_maps:
      PREFER:
        lua: |
          if route.neighbor_as == 65002 then
            route.local_pref = 200
          end
          return true
      ONE: {lua: "return false"}
  - name: r2
    interfaces:
      - {name: eth0, ip: 10.0.12.2/24}
links:
  - {endpoints: [r1:eth0, r2:eth0]}
script:
  - {at: converged, device: r1, command: show route-map}
Y
"$NETSIM" run "$TMP/good.yaml" >"$TMP/good.out" 2>&1 || { cat "$TMP/good.out"; fail "good.yaml"; }
expect_contains "$TMP/good.out" "Lua route map ($TMP/good.yaml:8)"
expect_contains "$TMP/good.out" "Lua route map ($TMP/good.yaml:13)"

# A syntax error on the block scalar's third line: line 10 of the file.
sed 's/            route.local_pref = 200/            route.local_pref = = 200/' \
	"$TMP/good.yaml" >"$TMP/bad.yaml"
rc=0; "$NETSIM" validate "$TMP/bad.yaml" >"$TMP/bad.out" 2>&1 || rc=$?
[ $rc = 2 ] || { cat "$TMP/bad.out"; fail "bad.yaml: exit $rc"; }
expect_contains "$TMP/bad.out" "route map PREFER: $TMP/bad.yaml:10: unexpected symbol near '='"

cat >"$TMP/topo.lua" <<'L'
local net = netsim.network("lp")
local bonus = 50
local r1 = net:router("r1", {route_maps = {
  PREFER = function(route)
    route.local_pref = 100 + bonus
    return true
  end,
}})
r1:interface("eth0", {ip = "10.0.12.1/24"})
local r2 = net:router("r2")
r2:interface("eth0", {ip = "10.0.12.2/24"})
net:link("r1:eth0", "r2:eth0")
net:start()
print(r1:cmd("show route-map"))
r1:set_policy("route_map", "NEW", function(route) route.local_pref = bonus return true end)
r1:set_policy("prefix_list", "PL", {{action = "permit", prefix = "10.0.0.0/8", le = 24}})
r1:set_policy("route_map", "TXT", {lua = "return false"})
print(r1:cmd("show route-map"))
print(r1:cmd("show ip prefix-list"))
local function h() end
print("bad:", pcall(function() r1:set_policy("route_map", "BAD", function(route) return h() end) end))
print("bad2:", pcall(function() r1:set_policy("route_map", "BAD2", {lua = "return = 1"}) end))
r1:set_policy("route_map", "NEW", nil)
print("after delete:", r1:cmd("show route-map"):find("NEW") == nil)
print("delete again:", pcall(function() r1:set_policy("route_map", "NEW", nil) end))
L
(cd "$TMP" && "$NETSIM" run topo.lua) >"$TMP/topo.out" 2>&1 || { cat "$TMP/topo.out"; fail "topo.lua"; }
expect_contains "$TMP/topo.out" "Lua route map (topo.lua:4)"
expect_contains "$TMP/topo.out" "Lua route map (topo.lua:15)"
expect_contains "$TMP/topo.out" "Lua route map (topo.lua:17)"
expect_contains "$TMP/topo.out" "seq 5 permit 10.0.0.0/8 le 24"
expect_contains "$TMP/topo.out" "bad:	false	topo.lua:21:1: route map 'BAD': upvalue 'h' is a function"
expect_contains "$TMP/topo.out" "bad2:	false	topo.lua:22:1: route map BAD2: topo.lua:22: unexpected symbol near '='"
expect_contains "$TMP/topo.out" "after delete:	true"
expect_contains "$TMP/topo.out" "delete again:	false	topo.lua:25: r1 has no route_map NEW"

# A function upvalue in a topology's route map: the topology does not load.
cat >"$TMP/badtopo.lua" <<'L'
local net = netsim.network("lp")
local function helper() return true end
local r1 = net:router("r1", {route_maps = {
  PREFER = function(route)
    return helper()
  end,
}})
r1:interface("eth0", {ip = "10.0.12.1/24"})
net:start()
L
rc=0; (cd "$TMP" && "$NETSIM" run badtopo.lua) >"$TMP/badtopo.out" 2>&1 || rc=$?
[ $rc != 0 ] || fail "badtopo.lua loaded"
expect_contains "$TMP/badtopo.out" "badtopo.lua:4:1: route map 'PREFER': upvalue 'helper' is a function"
echo ok
