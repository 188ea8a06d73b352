-- _square.lua: four routers in a square, a host on a and c; static routes with a covering
-- /16 the other way round (a helper for lua_chaos.lua, not a scenario itself).
local net = netsim.network("square")
local function r(name, ifs, routes)
	local d = net:router(name)
	for _, i in ipairs(ifs) do d:interface(i[1], {ip = i[2]}) end
	for _, x in ipairs(routes) do d:route_add(x[1], x[2]) end
end
r("a", {{"e1", "10.0.0.1/30"}, {"e2", "10.0.0.13/30"}, {"h", "10.1.0.1/24"}},
	{{"10.3.0.0/24", "10.0.0.2"}, {"10.0.0.0/8", "10.0.0.14"}})
r("b", {{"e1", "10.0.0.2/30"}, {"e2", "10.0.0.5/30"}},
	{{"10.3.0.0/24", "10.0.0.6"}, {"10.1.0.0/24", "10.0.0.1"}})
r("c", {{"e1", "10.0.0.6/30"}, {"e2", "10.0.0.9/30"}, {"h", "10.3.0.1/24"}},
	{{"10.1.0.0/24", "10.0.0.5"}, {"10.0.0.0/8", "10.0.0.10"}})
r("d", {{"e1", "10.0.0.10/30"}, {"e2", "10.0.0.14/30"}},
	{{"10.1.0.0/24", "10.0.0.13"}, {"10.3.0.0/24", "10.0.0.9"}})
net:host("ha", {ip = "10.1.0.10/24", gateway = "10.1.0.1"})
net:host("hc", {ip = "10.3.0.10/24", gateway = "10.3.0.1"})
net:link("a:e1", "b:e1")
net:link("b:e2", "c:e1")
net:link("c:e2", "d:e1")
net:link("d:e2", "a:e2")
net:link("a:h", "ha:eth0")
net:link("c:h", "hc:eth0")
net:run()
return net
