-- A forwarding loop between two routers, found by walking the FIBs (expect.no_loops).
local net = netsim.network("loopy")
local a = net:router("a")
a:interface("e0", {ip = "10.0.0.1/30"})
a:route_add("10.7.0.0/16", "10.0.0.2")
local b = net:router("b")
b:interface("e0", {ip = "10.0.0.2/30"})
b:route_add("10.7.0.0/16", "10.0.0.1")
local c = net:router("c")                    -- not linked: its address is only routed
c:interface("lo", {ip = "10.7.1.1/32"})
net:link("a:e0", "b:e0")
net:run()
expect.no_loops()
print(netsim.inspect(net:walk("a", "10.7.1.1"), {compact = true}))
