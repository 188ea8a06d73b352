-- isis-failover.lua: IS-IS failover, signalled and silent.
--
--   netsim run scenarios/isis-failover.lua [--json]
--
-- A ring of six level 2 routers (point-to-point circuits, wide metrics) with
-- a host at each end of the ring's diameter. First every single link failure
-- in turn, as the interfaces see it (carrier loss): IS-IS reacts at once, and
-- the columns give the time to reconverge, the routes changed, the control
-- messages, the SPF runs and the probes of a 10 ms ping stream that were lost.
-- Then one failure the link layer does not signal (all frames lost, the
-- interfaces stay up): the adjacency lasts until its hold time (hello 10 s x
-- 3) runs out, and the ping stream shows the outage.
--
-- The routers run the fast timers operators configure for quick failover: SPF
-- and LSP generation 10 ms after a change, backing off to at most 1 s, and
-- PSNPs (the acknowledgements of point-to-point flooding) after 100 ms.
local experiment = require "netsim.experiment"
local chaos = require "netsim.chaos"

local net = netsim.network("isis-ring", {description = "six IS-IS routers in a ring, two hosts"})
local n = 6
for i = 1, n do
	local r = net:router("r" .. i)
	r:configure("isis", {net = ("49.0001.0000.0000.%04d.00"):format(i), level = "l2",
		spf = {initial = "10ms", second = "50ms", max = "1s"},
		lsp_gen = {initial = "10ms", second = "50ms", max = "1s"},
		timers = {psnp = "100ms"}})
	r:interface("lo", {ip = ("192.0.2.%d/32"):format(i), isis = {}})
	-- eth0 toward r(i+1), eth1 toward r(i-1)
	r:interface("eth0", {ip = ("10.0.%d.1/30"):format(i), isis = {network_type = "point-to-point"}})
	r:interface("eth1", {ip = ("10.0.%d.2/30"):format((i - 2) % n + 1),
		isis = {network_type = "point-to-point"}})
end
for i = 1, n do net:link(("r%d:eth0"):format(i), ("r%d:eth1"):format(i % n + 1), {delay = "1ms"}) end
net.r1:interface("eth2", {ip = "10.1.0.1/24", isis = {passive = true}})
net.r4:interface("eth2", {ip = "10.4.0.1/24", isis = {passive = true}})
net:host("h1", {ip = "10.1.0.10/24", gateway = "10.1.0.1"})
net:host("h4", {ip = "10.4.0.10/24", gateway = "10.4.0.1"})
net:link("r1:eth2", "h1:eth0")
net:link("r4:eth2", "h4:eth0")
net:run()

local rows = experiment.link_failures(net, {interval = "10ms"})

-- A silent failure on h1's path to h4 (of the two equal-cost ways round the ring, the flow
-- hash puts it on r1--r6): the link loses every frame, its interfaces stay up.
local stream = net.h1:ping_stream("10.4.0.10", {interval = "100ms", duration = "60s"})
net:run{duration = "1s"}
local t0 = net:now()
chaos.loss("r6:eth0--r1:eth1", 100)
local down
net:on("adjacency_change", function(e)
	if e.state == "Down" and down == nil then down = net:now() - t0 end
end)
net:run{duration = "59s"}
local st = stream:stats()
local silent = {detected_after_ms = down, sent = st.sent, lost = st.lost}

experiment.report("IS-IS link failures (carrier loss): " .. net.name, rows, {
	{"link", "link"}, {"converged", "converged"}, {"time_ms", "reconverge(ms)"},
	{"route_changes", "routes changed"}, {"messages", "messages"}, {"spf_runs", "SPF runs"},
	{"probe", "ping stream"}, {"sent", "sent"}, {"lost", "lost"},
}, {topology = net.name, seed = net.seed, silent_failure = netsim.args.json and silent or nil})
if not netsim.args.json then
	print(("Silent failure of r6--r1: adjacency down after %.0f ms (the hold time); " ..
		"%d of %d probes lost"):format(down or -1, st.lost, st.sent))
end
assert(down and down > 20000 and down <= 30000, "hold time detection: " .. tostring(down))
assert(st.lost > 0 and st.lost < st.sent, "the outage lasts until the hold time")
