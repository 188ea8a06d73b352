-- bfd-failover.lua: reconvergence after a silent failure, with and without BFD.
--
--   netsim run scenarios/bfd-failover.lua [--json]
--
-- Three routers in a triangle: r1 reaches r2's LAN (10.0.2.0/24) over the
-- direct link, and around through r3 when it fails. The direct link then loses
-- every frame while its interfaces stay up (chaos.loss 100 %): nothing tells
-- the routing protocol, which waits for its dead interval (OSPF, 40 s) or hold
-- time (eBGP, 180 s), unless BFD (50 ms x 3 on the direct link) declares the
-- neighbor down after its detection time. Then a one-way failure (only r2's
-- frames are lost) with BFD. The columns: the time from the failure until r1's
-- route to 10.0.2.0/24 changed, and until the network converged again.
local experiment = require "netsim.experiment"
local chaos = require "netsim.chaos"

local BFD = {interval = "50ms", multiplier = 3}

-- igp: "ospf" or "bgp"; bfd: watch r1--r2 with BFD.
local function triangle(igp, bfd)
	local net = netsim.network(("bfd-%s-%s"):format(igp, bfd and "on" or "off"))
	local addrs = {r1 = {"10.0.12.1/24", "10.0.13.1/24"}, r2 = {"10.0.12.2/24", "10.0.23.2/24"},
		r3 = {"10.0.13.3/24", "10.0.23.3/24"}}
	for i, name in ipairs({"r1", "r2", "r3"}) do
		local r = net:router(name, {router_id = ("%d.%d.%d.%d"):format(i, i, i, i)})
		for k, ip in ipairs(addrs[name]) do
			local direct = (name == "r1" and k == 1) or (name == "r2" and k == 1)
			local o = nil
			if igp == "ospf" then
				o = {area = 0, network_type = "point-to-point", bfd = bfd and direct or nil}
			end
			r:interface("eth" .. (k - 1), {ip = ip, ospf = o, bfd = (bfd and direct) and BFD or nil})
		end
	end
	net.r2:interface("eth2", {ip = "10.0.2.1/24", ospf = igp == "ospf" and {area = 0, passive = true} or nil})
	net:host("h2", {ip = "10.0.2.10/24", gateway = "10.0.2.1"})
	net:link("r1:eth0", "r2:eth0")
	net:link("r1:eth1", "r3:eth0")
	net:link("r2:eth1", "r3:eth1")
	net:link("r2:eth2", "h2:eth0")
	if igp == "bgp" then
		local as = {r1 = 65001, r2 = 65002, r3 = 65003}
		local nbrs = {
			r1 = {{"10.0.12.2", "r2"}, {"10.0.13.3", "r3"}},
			r2 = {{"10.0.12.1", "r1"}, {"10.0.23.3", "r3"}},
			r3 = {{"10.0.13.1", "r1"}, {"10.0.23.2", "r2"}},
		}
		for name, list in pairs(nbrs) do
			local n = {}
			for _, x in ipairs(list) do
				local direct = (name == "r1" and x[2] == "r2") or (name == "r2" and x[2] == "r1")
				n[#n + 1] = {ip = x[1], remote_as = as[x[2]], bfd = (bfd and direct) or nil}
			end
			net[name]:configure("bgp", {as = as[name], neighbors = n,
				networks = name == "r2" and {"10.0.2.0/24"} or nil})
		end
	end
	return net
end

-- Fail r1--r2 silently (both ways, or only r2's frames with oneway) and time r1's reaction.
local function measure(igp, bfd, oneway)
	local net = triangle(igp, bfd)
	net:run()
	net:run{duration = "5s"} -- BFD sessions up at their configured rate
	local t0 = net:now()
	local moved
	net:on("route_change", function(e)
		if moved == nil and e.device.name == "r1" and e.prefix == "10.0.2.0/24" then
			moved = net:now() - t0
		end
	end)
	if oneway then
		chaos.oneway("r1--r2", "r2")
	else
		chaos.loss("r1--r2", 100)
	end
	net:run{duration = "300s"}
	local route = net.r1:route("10.0.2.0/24")
	return {protocol = igp, bfd = bfd and "50ms x 3" or "off",
		failure = oneway and "one-way (r2->r1 lost)" or "silent (100% loss)",
		moved_ms = moved, via = route and route.nexthops and route.nexthops[1] and
			route.nexthops[1].ip or "?"}
end

local rows = {
	measure("ospf", false), measure("ospf", true), measure("ospf", true, true),
	measure("bgp", false), measure("bgp", true), measure("bgp", true, true),
}
experiment.report("Silent failure of r1--r2: time until r1's route to 10.0.2.0/24 moves", rows, {
	{"protocol", "protocol"}, {"bfd", "BFD"}, {"failure", "failure"},
	{"moved_ms", "route moved after (ms)"}, {"via", "via"},
})
