-- _mpi-command.lua: a scenario for tests/scenario/mpi-command.sh (not run by netsim test:
-- it needs the grid), run on 1, 2 and 3 ranks with the output compared byte for byte:
-- commands defined in Lua (netsim.command) run from dev:cmd, dev:cmd_json, net:cmd and
-- abbreviated, on devices of several ranks: one that reads a device (its routes, a
-- ping), one that changes the network (a link down), one that fails, one that raises.
--
--   netsim run tests/scenario/_mpi-command.lua -- TOPOLOGY (an OSPF grid, r1 ... r12)
local net = netsim.load(netsim.args[1])
netsim.command("show route count", function(dev, args, ctx)
	local n = #dev:routes()
	if ctx.json then return {device = dev.name, routes = n} end
	print("counted on " .. dev.name .. " at " .. net:now())
	return ("%s: %d routes"):format(dev.name, n)
end, {help = "routes in the device's table", on = "router", json = true})
netsim.command("reach", function(dev, args)
	local p = dev:ping(args[1], {count = tonumber(args[2] or "2")})
	return ("%s -> %s: %d/%d"):format(dev.name, args[1], p.received, p.transmitted)
end, {help = "ping and count", args = "ADDRESS [COUNT]", on = "router"})
netsim.command("cut", function(_, args, ctx)
	chaos.link_down(args[1])
	return ("cut %s at %d, %d links"):format(args[1], ctx.network:now(), #ctx.network:links())
end, {help = "take a link down", args = "A--B", on = "network"})
netsim.command("refuse", function(dev) return nil, dev.name .. " refuses" end, {on = "router"})
netsim.command("explode", function() error("boom") end, {on = "router"})
net:run_until_converged()
for _, d in ipairs({"r1", "r6", "r12"}) do print(net[d]:cmd("show route count")) end
print(netsim.json(net.r7:cmd_json("sh route cou")))
print(net.r1:cmd("reach " .. net.r12.address .. " 3"))
print(net:cmd("cut r6--r7"))
net:run_until_converged()
print(net.r6:cmd("show route count"))
print(net.r6:cmd("reach " .. net.r8.address))
print(pcall(net.r3.cmd, net.r3, "refuse"))
print(pcall(net.r9.cmd, net.r9, "explode"))
print(pcall(net.r10.cmd, net.r10, "no such command"))
print("at the end: " .. net:now())
-- Not caught: the command fails with the error and its traceback, as in one process.
print(net.r11:cmd("explode"))
