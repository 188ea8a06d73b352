-- _diamond.lua: a static-routed topology for the experiments (a helper, not a scenario:
-- netsim test skips files starting with '_'). Load it with netsim.load("_diamond.lua").
--
--        h1                      h4
--         |                       |
--        r1 ---- r2 ---- r4 ------+
--         \       |       /
--          `---- r3 ----'
--
-- Primary paths go through r2; every router also has a covering 10.0.0.0/16 route
-- through the other side, so when a /24's next hop goes away (its link is down) the
-- /16 takes over: static routing's own failover, without a routing protocol.
local net = netsim.network("static-diamond", {description = "four routers, two hosts, static routes"})

local function router(name, ifs, routes)
	local r = net:router(name)
	for _, i in ipairs(ifs) do r:interface(i[1], {ip = i[2]}) end
	for _, rt in ipairs(routes) do r:route_add(rt[1], {via = rt[2]}) end
	return r
end

router("r1", {{"eth0", "10.0.12.1/24"}, {"eth1", "10.0.13.1/24"}, {"eth2", "10.0.1.1/24"}},
	{{"10.0.4.0/24", "10.0.12.2"}, {"10.0.0.0/16", "10.0.13.3"}})
router("r2", {{"eth0", "10.0.12.2/24"}, {"eth1", "10.0.24.2/24"}, {"eth2", "10.0.23.2/24"}},
	{{"10.0.1.0/24", "10.0.12.1"}, {"10.0.4.0/24", "10.0.24.4"}, {"10.0.0.0/16", "10.0.23.3"}})
router("r3", {{"eth0", "10.0.13.3/24"}, {"eth1", "10.0.34.3/24"}, {"eth2", "10.0.23.3/24"}},
	{{"10.0.1.0/24", "10.0.13.1"}, {"10.0.4.0/24", "10.0.34.4"}, {"10.0.0.0/16", "10.0.23.2"}})
router("r4", {{"eth0", "10.0.24.4/24"}, {"eth1", "10.0.34.4/24"}, {"eth2", "10.0.4.1/24"}},
	{{"10.0.1.0/24", "10.0.24.2"}, {"10.0.0.0/16", "10.0.34.3"}})
net:host("h1", {ip = "10.0.1.10/24", gateway = "10.0.1.1"})
net:host("h4", {ip = "10.0.4.10/24", gateway = "10.0.4.1"})

net:link("r1:eth0", "r2:eth0", {delay = "2ms"})
net:link("r1:eth1", "r3:eth0", {delay = "3ms"})
net:link("r2:eth1", "r4:eth0", {delay = "2ms"})
net:link("r3:eth1", "r4:eth1", {delay = "3ms"})
net:link("r2:eth2", "r3:eth2", {delay = "1ms"})
net:link("r1:eth2", "h1:eth0")
net:link("r4:eth2", "h4:eth0")

-- A custom show command, available on every device of this topology.
netsim.command("show fabric health", function(dev, args, ctx)
	local links, up = 0, 0
	for _, l in ipairs(ctx.network:links()) do
		links = links + 1
		if l.up then up = up + 1 end
	end
	local r = {links = links, links_up = up, converged = ctx.network.converged,
		time_ms = ctx.network:now()}
	if ctx.json then return r end
	return ("fabric: %d/%d links up, %s at t=%sms"):format(up, links,
		r.converged and "converged" or "converging", r.time_ms)
end, {help = "links up and convergence state of the whole fabric"})

net:run()
return net
