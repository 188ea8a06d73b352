-- lua_basic.lua: a topology built in Lua, time, events, commands and expectations.
-- Run by tests/scenario/lua-run.sh through `netsim test tests/scenario`.
local net = netsim.network("basic", {seed = 3})
local r1 = net:router("r1", {router_id = "1.1.1.1"})
r1:interface("eth0", {ip = "10.0.12.1/24"})
r1:interface("eth1", {ip = "10.0.1.1/24", description = "to h1"})
r1:route_add("10.0.2.0/24", {via = "10.0.12.2"})
local r2 = net:router("r2", {router_id = "2.2.2.2"})
r2:interface("eth0", {ip = "10.0.12.2/24"})
r2:interface("eth1", {ip = "10.0.2.1/24"})
r2:route_add("10.0.1.0/24", "10.0.12.1")
local h1 = net:host("h1", {ip = "10.0.1.10/24", gateway = "10.0.1.1"})
local h2 = net:host("h2", {ip = "10.0.2.10/24", gateway = "10.0.2.1"})
net:link(r1.eth0, r2.eth0, {delay = "2ms"})
net:link("r1:eth1", "h1:eth0")
net:link("r2:eth1", "h2:eth0")

local seen = {}
net:on("converged", function(ev) seen[#seen + 1] = "converged@" .. ev.time end)
net:on("link_down", function(ev) seen[#seen + 1] = "down:" .. ev.link.name end)
net:at("converged", function() seen[#seen + 1] = "at-converged@" .. net:now() end)
net:at("converged + 100ms", function()
	local r = h1:ping("10.0.2.10", {count = 2})
	seen[#seen + 1] = "ping " .. r.received .. "/" .. r.transmitted
end)
local ticks = 0
net:every("50ms", function() ticks = ticks + 1 end, {count = 3})

netsim.command("show pair status", function(dev, args, ctx)
	return {device = dev and dev.name, args = args, up = dev and dev.up}
end, {help = "a test command", on = "router"})

local t = net:run()
-- run() returns once converged with the one-shot schedule done (every() does not hold it).
expect.at_least(t, 102, "run() waited for at('converged + 100ms')")
expect.equal(table.concat(seen, " "), "converged@2 at-converged@2 ping 2/2")
net:run_for("200ms")
expect.equal(ticks, 3, "every() with a count")

expect.route(r1, "10.0.2.0/24", {via = "10.0.12.2", protocol = "static", interface = "eth0"})
expect.route("r2", "10.0.1.77", {via = "10.0.12.1"})
expect.route(r1, "10.0.1.0/24", {protocol = "connected"})
expect.no_route(h1, "10.0.9.0/24")
expect.reachable(h1, h2)
expect.reachable(h1, "10.0.2.10", {all = true, count = 4})
expect.reachable(h2, r1.eth1)
expect.no_loops()
expect.path(h1, "10.0.2.10", {"h1", "r1", "r2", "h2"})

-- Tables of routes and interfaces, JSON forms, the custom command.
local routes = r1:routes()
expect.equal(#routes, 3, "r1 has three routes")
expect.equal(routes[1].prefix, "10.0.1.0/24")
expect.equal(r1:routes("static")[1].via, "10.0.12.2")
local ifs = r1:interfaces()
expect.equal(#ifs, 2)
expect.equal(ifs[2].description, "to h1")
expect.equal(ifs[1].peer.device, r2)
local j = r1:cmd_json("show interfaces")
expect.equal(j.eth0.operationalStatus, "up")
local c = r1:cmd_json("show pair status now")
expect.equal(c.device, "r1")
expect.equal(c.args[1], "now")
expect.truthy(r1:cmd("sh pair st"):find('"up": true'), "text form of a table")
expect.truthy(h1:cmd("show pair status"):find("not available on h1"), "router-only command")
local tr = h1:traceroute("10.0.2.10")
expect.equal(table.concat(tr.path, ","), "r1,r2,h2")

-- Configuration changes: interface shutdown, static routes at run time.
r2:shutdown("eth1")
net:run_for("10ms")
expect.unreachable(h1, h2)
r2:no_shutdown("eth1")
expect.converged_within("50ms")
expect.reachable(h1, h2)
r1:route_add("10.0.99.0/24", {blackhole = true})
expect.route(r1, "10.0.99.1", {protocol = "static"})
r1:route_del("10.0.99.0/24")
expect.no_route(r1, "10.0.99.1")

-- Convergence measurement after a failure.
chaos.link_down(r1.eth0.link)
local res = net:run_until_converged{timeout = "1s"}
expect.truthy(res.converged, "converged after the failure")
expect.at_least(res.route_changes, 2, "route changes after the failure")
-- The link went down, then the network converged again (at once: static routes).
expect.equal(seen[#seen - 1], "down:r1:eth0--r2:eth0")
expect.equal(seen[#seen], "converged@" .. net:now())
chaos.link_up("r1--r2")
expect.converged_within("100ms")
expect.reachable(h1, h2)

-- Sandbox: simulated clock, engine random numbers.
expect.equal(os.time(), net:now() // 1000)
expect.equal(os.exit, nil)
expect.equal(io.popen, nil)
