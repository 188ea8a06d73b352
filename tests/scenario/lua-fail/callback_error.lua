-- Errors inside callbacks are reported with their traceback, counted, and the run goes on.
local net = netsim.network("cb")
local r = net:router("r1")
r:interface("lo", {ip = "10.0.0.1/32"})
local done = false
net:after("10ms", function() error("first callback fails") end)
net:on("chaos", function(ev) return nil + 1 end)
net:after("20ms", function() done = true end)
net:run()
chaos.log(net, "something")
print("still running, done = " .. tostring(done))
