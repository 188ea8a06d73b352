-- _mpi-change.lua: a scenario for tests/scenario/mpi-change.sh, on bgp-policy.yaml:
-- changes of one device from Lua (a route added and deleted with dev:cmd, policies
-- replaced, a protocol stopped, started and restarted), a link's bandwidth, with hooks
-- on the events they cause and convergence counts after each.
local net = netsim.load(netsim.args[1])
local function converge(what)
	local r = net:run_until_converged()
	print(("%s: converged=%s time=%s messages=%d route_changes=%d frames=%d"):format(what,
		tostring(r.converged), r.time, r.messages, r.route_changes, r.frames))
end
net:on("session_down", function(ev) print("hook: " .. ev.message .. " at " .. net:now()) end)
net:on("session_up", function(ev) print("hook: " .. ev.message .. " at " .. net:now()) end)
converge("start")
print(net.r3:cmd("show bgp"))

-- A static route redistributed through r1's STATIC route map, and one taken away.
net:link("r1:eth0", "r2:eth0"):set_bandwidth(1000000)
print(net.r1:cmd("route add 10.1.9.0/24 blackhole"))
print(net.r1:cmd("route del 10.1.4.0/24"))
print(select(2, pcall(net.r1.cmd, net.r1, "route del 10.9.9.0/24")))
net.r1:set_policy("prefix_list", "LAN3", {{action = "permit", prefix = "10.1.0.0/16", ge = 24, le = 24}})
converge("policy")
print(net.r2:cmd("show bgp"))
net.r2:set_policy("route_map", "FROM_R1", function(route)
	route.local_pref = 250
	return true
end)
converge("route map")
print(net.r2:cmd("show bgp"))
print("bad: " .. select(2, pcall(function() net.r1:set_policy("route_map", "NOPE", nil) end)))

-- A protocol restarted at once, then stopped for a while.
chaos.restart("r3", "bgp")
converge("restart")
net.r5:stop_protocol("bgp")
print("r5 bgp running: " .. tostring(net.r5:protocol_running("bgp")))
net:run{duration = "3s"}
print(net.r3:cmd("show bgp summary"))
net.r5:start_protocol("bgp")
converge("r5 back")
print(net.r5:cmd("show ip route"))
print("bad: " .. select(2, pcall(net.r4.stop_protocol, net.r4, "ospf")))
chaos.crash("r4")
print("bad: " .. select(2, pcall(function() net.r4:start_protocol("bgp") end)))
converge("end")
