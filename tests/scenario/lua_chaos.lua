-- lua_chaos.lua: every chaos action, logged on the timeline and seen by on() handlers.
local net = netsim.load("_square.lua")
local log = {}
net:on("chaos", function(ev) log[#log + 1] = ev.text end)
local downs = 0
net:on("link_down", function() downs = downs + 1 end)
net:run()
expect.no_loops()

-- Flap: three times down and up.
local f = chaos.flap("a--b", {period = "100ms", count = 3})
net:run()
expect.equal(downs, 3, "three link_down events")
expect.equal(#log, 6, "six chaos events")
expect.equal(log[1], "chaos: link a:e1--b:e1 down")
expect.truthy(net:link("a", "b").up, "up after the flap")
expect.reachable("ha", "hc")

-- Loss and delay.
local ab = net:link("a", "b")
chaos.delay(ab, "7ms")
expect.equal(ab.delay, 7)
chaos.loss(ab, 100)
expect.unreachable("a", "10.0.0.2")
chaos.loss(ab, 0)
expect.reachable("a", "10.0.0.2")

-- Crash and restore: all state lost, protocols restart.
chaos.crash("b")
expect.equal(net.b.up, false)
expect.converged_within("100ms")
expect.reachable("ha", "hc")      -- around the square, the other way
chaos.restore("b")
expect.converged_within("100ms")
expect.route("b", "10.3.0.0/24", {protocol = "static"})

-- Protocol process restart (the static routes' instance).
chaos.restart("a", "static", {down = "20ms"})
expect.equal(net.a:protocol_running("static"), false)
net:run()
expect.equal(net.a:protocol_running("static"), true)
expect.route("a", "10.3.0.0/24", {protocol = "static"})

-- Partition and heal.
local p = chaos.partition({"a", "ha"}, {"b", "c", "d", "hc"})
expect.equal(#p.links, 2, "a has two links to the others")
expect.unreachable("ha", "hc")
p:heal()
expect.converged_within("100ms")
expect.reachable("ha", "hc")

-- Random failures: from the engine's generator, the same for the same seed.
local rf = chaos.random_failures{rate = 5, duration = "100ms", window = "2s"}
net:run()
expect.at_least(#rf.failures, 3, "random failures happened")
local names = {}
for _, x in ipairs(rf.failures) do names[#names + 1] = x.name end
print("random failures: " .. table.concat(names, " "))
for _, l in ipairs(net:links()) do expect.truthy(l.up, l.name .. " restored") end
expect.truthy(log[#log]:find("up$"), "the last action restored a link")
