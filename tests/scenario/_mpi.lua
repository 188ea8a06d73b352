-- _mpi.lua: a scenario for tests/scenario/mpi.sh (not run by netsim test: it needs the
-- grid), which runs it on 1, 2 and 3 ranks and compares the output byte for byte: hooks
-- that read a device, chaos (a link down, loss, a crash and its restore), an interface
-- shut from dev:cmd, reads of devices' state (show output, routes, counters, pings),
-- convergence counts, links' counters, and a device's error caught alike on every rank;
-- with "refused" after the topology, calls not available under mpirun.
--
--   netsim run tests/scenario/_mpi.lua -- TOPOLOGY [refused] (an OSPF grid, r1 ... r12)
local net = netsim.load(netsim.args[1])
local function show(t)
	local keys = {}
	for k, v in pairs(t) do
		if type(v) ~= "table" then keys[#keys + 1] = k .. "=" .. tostring(v) end
	end
	return table.concat(keys, " ")
end
net:on("link_down", function(ev)
	-- A hook that reads a device: every rank calls it at the same event.
	print("hook: " .. ev.message .. "; r1 has " .. #net.r1:routes() .. " routes")
end)
net:on("node_down", function(ev) print("hook: " .. ev.message .. " at " .. net:now()) end)
local r = net:run_until_converged()
print("converged: " .. show({converged = r.converged, at = r.at, messages = r.messages,
	route_changes = r.route_changes, frames = r.frames}))
print("counters: " .. show(r.counters))
print(net.r6:cmd("show ip ospf neighbor"))
for _, rt in ipairs(net.r12:routes()) do
	print(rt.prefix, rt.protocol, rt.metric, rt.nexthops[1] and rt.nexthops[1].via or "-")
end
local rts = net.r12:routes()
local far = rts[#rts].prefix
print("r1 to " .. far .. ": " .. show(net.r1:route(far) or {}))

chaos.link_down("r1--r2")
chaos.loss("r5--r9", 30)
r = net:run_until_converged()
print("after the link: " .. show({converged = r.converged, time = r.time, messages = r.messages,
	route_changes = r.route_changes, spf_runs = r.spf_runs}))
print(net.r1:cmd("show ip route"))
expect.route("r1", far)

chaos.crash("r7", {duration = "3s"})
print(net.r6:cmd("interface eth1 shutdown"))
net:run{duration = "1s"}
print(net.r3:cmd("show ip ospf neighbor"))
print("r7 up: " .. tostring(net.r7.up) .. ", r6:eth1 up: " .. tostring(net.r6:iface("eth1").up))
print("r6:eth0 " .. show(net.r6:iface("eth0"):stats()))
net.r6:iface("eth1"):set_up(true)
r = net:run_until_converged()
print("restored: " .. show({converged = r.converged, messages = r.messages, frames = r.frames}))
local p = net.r1:ping(net.r12.address, {count = 3})
print("ping: " .. p.transmitted .. " sent, " .. p.received .. " received")

-- A link's counters: each rank counts what its own devices sent, Lua reads the sum.
net:link("r5", "r9"):set_duplicate(50)
net:link("r2", "r6"):set_reorder(50)
net:run{duration = "10s"}
for _, ends in ipairs({{"r1", "r2"}, {"r5", "r9"}, {"r2", "r6"}, {"r6", "r7"}}) do
	local l = net:link(ends[1], ends[2])
	print(("link %s: frames=%d drops=%d reordered=%d duplicated=%d"):format(l.name, l.frames,
		l.drops, l.reordered, l.duplicated))
end

-- An error of the device's rank: every rank sees it.
print("error: " .. select(2, pcall(net.r4.route, net.r4, "not a prefix")))
print("error: " .. select(2, pcall(function() return net.r4:route("not a prefix") end)))
print("error: " .. select(2, pcall(function() net.r6:iface("eth1"):set_up("yes") end)))
-- (mpirun only) What is not available says so on every rank, and the run goes on.
if netsim.args[2] == "refused" then
	print("refused: " .. select(2, pcall(function() return net:flow("r1", "r12") end)))
	print("refused: " .. select(2, pcall(net.cmd, net, "tables")))
	print("refused: " .. select(2, pcall(net.fib_changes, net)))
	print("refused: " .. select(2, pcall(function() netsim.load(netsim.args[1]):run() end)))
	print("still running at " .. net:run{duration = "1s"})
end
