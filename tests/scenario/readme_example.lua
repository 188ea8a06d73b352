-- The Lua example of README.md (kept here so the README stays true).
local net = netsim.load("topologies/ospf-triangle.yaml")
local r = net:run_until_converged{timeout = "2m"}
print("converged after " .. r.time .. " ms, " .. r.messages .. " control messages")
expect.route(net.r1, "10.0.3.0/24", {via = "10.0.13.3", protocol = "ospf"})
chaos.link_down("r1--r3")
r = net:run_until_converged{timeout = "30s"}
expect.route(net.r1, "10.0.3.0/24", {via = "10.0.12.2"})
expect.reachable(net.h1, "10.0.3.10")
