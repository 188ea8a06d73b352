-- lua_isis.lua: IS-IS driven from Lua: configuration, adjacency events naming the
-- protocol, a metric change, the overload bit, a crash and restart of a router
-- (its LSPs continue above the sequence numbers it had), and a protocol restart.
-- Run by tests/scenario/lua-run.sh through `netsim test tests/scenario`.
local net = netsim.load("../isis/lan-p2p.yaml")
local ups = {}
net:on("adjacency_change", function(e)
	if e.protocol == "isis" and e.state == "Up" then ups[#ups + 1] = e.device.name .. ">" .. e.neighbor end
end)
net:run_until_converged()
-- r1 has three adjacencies (r2, r3 on the LAN; r3 and r4 point-to-point): 4 Up events on r1.
local n1 = 0
for _, u in ipairs(ups) do if u:sub(1, 3) == "r1>" then n1 = n1 + 1 end end
assert(n1 == 4, "r1's adjacencies Up: " .. table.concat(ups, " "))
expect.route(net.r2, "10.1.0.0/30", {protocol = "isis", metric = 20})
expect.route(net.r4, "2.2.2.2/32", {via = "10.2.0.1", protocol = "isis", metric = 40})

-- The point-to-point circuit r1--r3 costs 50: the /30 is then reached through r3 only.
net.r1:cmd("isis metric eth1 50")
net:run_until_converged()
local rt = net.r2:cmd_json("show ip route 10.1.0.0/30")
assert(#rt["10.1.0.0/30"][1].nexthops == 1, netsim.json(rt))
expect.route(net.r2, "10.1.0.0/30", {via = "10.0.0.3", metric = 20})
local bad = net.r1:cmd("isis metric eth1 -1")
assert(bad:find("% metric '-1': expected 0 to 16777214", 1, true), bad)

-- r1 overloaded: r4 still reaches r1, but nothing beyond it.
net.r1:cmd("isis overload on")
net:run_until_converged()
expect.route(net.r4, "1.1.1.1/32", {via = "10.2.0.1"})
expect.no_route(net.r4, "2.2.2.2")
net.r1:cmd("isis overload off")
net:run_until_converged()
expect.route(net.r4, "2.2.2.2/32", {via = "10.2.0.1"})

-- A crash forgets everything; back up, r1's LSP continues above its old number.
-- The level 2 LSPs of a router's database (FRR's JSON layout: areas, levels, lsps).
local function lsps(dev)
	for _, lv in ipairs(dev:cmd_json("show isis database").areas[1].levels) do
		if lv.id == 2 then return lv.lsps end
	end
	return {}
end
local function seq_of(dev, lsp)
	for _, e in ipairs(lsps(dev)) do
		if e["lsp-id"] == lsp then return tonumber(e["seq-number"]) end
	end
end
local before = seq_of(net.r2, "0000.0000.0001.00-00")
assert(before and before >= 2, "r1's LSP in r2's database")
net.r1:crash()
net:run{duration = "40s"}
expect.no_route(net.r4, "2.2.2.2")
net.r1:restore()
net:run_until_converged()
local after = seq_of(net.r2, "0000.0000.0001.00-00")
assert(after > before, ("r1 restarted at sequence %s, had %s"):format(after, before))
assert(seq_of(net.r1, "0000.0000.0001.00-00") == after)
expect.route(net.r4, "2.2.2.2/32", {via = "10.2.0.1"})
-- The metric set at run time outlived the crash (it is configuration).
expect.route(net.r2, "10.1.0.0/30", {via = "10.0.0.3", metric = 20})

-- A protocol restart on r3 (the DIS): another DIS, r3's pseudonode LSP purged by r3 itself
-- when it comes back and is no longer DIS... or DIS again (highest MAC): either way the
-- LAN keeps one live pseudonode LSP.
net.r3:restart_protocol("isis")
net:run_until_converged()
local pns = 0
for _, e in ipairs(lsps(net.r2)) do
	if e["lsp-id"]:sub(16, 17) ~= "00" and e.holdtime > 0 then pns = pns + 1 end
end
assert(pns >= 1, "a pseudonode LSP")
expect.route(net.r2, "3.3.3.3/32", {via = "10.0.0.3", protocol = "isis"})
