-- node-failure.lua: every router crashes in turn (all its state lost) and boots again.
--
--   netsim run scenarios/node-failure.lua [--json] [-- TOPOLOGY]
local experiment = require "netsim.experiment"

local net = netsim.load(netsim.args[1] or "_diamond.lua")
local rows = experiment.node_failures(net)
experiment.report("Router failures: " .. net.name, rows, {
	{"device", "router"}, {"converged", "converged"}, {"time_ms", "reconverge(ms)"}, {"route_changes", "routes changed"},
	{"messages", "messages"}, {"probe", "ping stream"}, {"sent", "sent"}, {"lost", "lost"},
	{"restore_ms", "after restore(ms)"},
}, {topology = net.name, seed = net.seed})
