-- _mpi-probe.lua: a scenario for tests/scenario/mpi-probe.sh (not run by netsim test: it
-- needs the grid), run on 1, 2 and 3 ranks with the output compared byte for byte: FIB
-- walks (net:walk, net:loops, expect.no_loops) over devices of several ranks, before and
-- after a forwarding loop made with static routes, intents (net:verify) then, ping
-- streams (started, read while they run, stopped) across a link failure, and
-- net:info()'s counts.
--
--   netsim run tests/scenario/_mpi-probe.lua -- TOPOLOGY (an OSPF grid, r1 ... r12)
local net = netsim.load(netsim.args[1])
local function show(t)
	local keys = {}
	for k, v in pairs(t) do
		if type(v) == "table" then v = "{" .. table.concat(v, ",") .. "}" end
		keys[#keys + 1] = k .. "=" .. tostring(v)
	end
	return table.concat(keys, " ")
end
-- net:info(): each rank's devices' counts summed, what every rank counts alike once.
local function info(what)
	local i, c = net:info(), {}
	for k, v in pairs(i.counters) do c[#c + 1] = k .. "=" .. v end
	i.counters = nil
	print(what .. ": " .. show(i) .. "; " .. table.concat(c, " "))
end
info("info at the start")
net:run_until_converged()
info("info when converged")
print("walk r1 -> r12: " .. show(net:walk("r1", net.r12.address)))
print("walk r12 -> r1: " .. show(net:walk(net.r12, net.r1.address)))
print("walk r6 -> 192.0.2.1: " .. show(net:walk("r6", "192.0.2.1")))
print("loops: " .. #net:loops())
expect.no_loops()

-- A stream across the grid while the first link of its path fails.
local s = net.r1:ping_stream(net.r12.address, {interval = "20ms", duration = "30s"})
print("stream: " .. tostring(s))
net:run{duration = "500ms"}
print("stream at 0.5s: " .. show(s:stats()))
chaos.link_down("r1--r2")
net:run_until_converged()
print("walk r1 -> r12 after: " .. show(net:walk("r1", net.r12.address)))
s:stop()
print("stopped at " .. net:now() .. ": " .. show(s:stats()))
net:run{duration = "1s"}
print("stream done: " .. tostring(s:done()) .. ", " .. show(s:stats()))
local res = s:result()
print("stream result: " .. res.transmitted .. " sent, " .. res.received .. " received")
chaos.link_up("r1--r2")
net:run_until_converged()

-- Two neighbours that send r12's address to each other: a loop the walks find.
local e = net:link("r6", "r7"):ends()
local a6, a7, far = e[1].address, e[2].address, net.r12.address
print(net.r6:cmd("route add " .. far .. "/32 via " .. a7))
print(net.r7:cmd("route add " .. far .. "/32 via " .. a6))
print("walk r6 -> r12: " .. show(net:walk("r6", far)))
print("walk r2 -> r12: " .. show(net:walk("r2", far)))
local loops = net:loops()
print("loops: " .. #loops .. ", the first: " .. show(loops[1]))
-- Intents (net:verify): walks and each device's routes, the evidence from each hop's table.
local intents = {
	{reachable = {from = "r1", to = "r12"}},
	{unreachable = {from = "r2", to = "192.0.2.1"}},
	{path = {from = "r1", to = "r4", via = "r3"}},
	{path = {from = "r9", to = "r4", avoids = "r7"}},
	{route = {device = "r6", prefix = far .. "/32", protocol = "static", via = "r7"}},
	{route = {device = "r1", prefix = far, protocol = "ospf", metric = 7}},
	{route = {device = "r2", prefix = "192.0.2.0/24"}},
	{no_loops = {destinations = {"r12", "r1"}}},
	{no_blackholes = {destinations = {"r12"}, sources = {"r1", "r5", "r9"}}},
}
print("verify: " .. netsim.json(net:verify(intents)))
local p = net.r5:ping_stream(far, {count = 3, interval = "10ms"})
net:run{duration = "1s"}
print("looped stream: " .. show(p:stats()))
print(net.r6:cmd("route del " .. far .. "/32"))
print(net.r7:cmd("route del " .. far .. "/32"))
print("walk r6 -> r12 after: " .. show(net:walk("r6", far)))
print("loops after: " .. #net:loops())
local rep = net:verify(intents)
print("verify after: " .. rep.passed .. " passed, " .. rep.failed .. " failed")
expect.no_loops()
print("error: " .. select(2, pcall(function() return net.r6:ping_stream("not an address") end)))
chaos.crash("r9")
print("error: " .. select(2, pcall(function() return net.r9:ping_stream(net.r1.address) end)))
info("info at the end")
