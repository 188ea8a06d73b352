-- failover.lua: failover time for every single link failure of a topology.
--
--   netsim run scenarios/failover.lua [--json] [-- TOPOLOGY]
--
-- TOPOLOGY is a .yaml or .lua topology (default: _diamond.lua beside this file,
-- static routes; topologies/ospf-triangle.yaml once OSPF runs). For each link
-- in turn: a ping stream (every 10 ms) between two hosts whose path crosses the
-- link, the link goes down, the network reconverges, the link comes back.
-- Columns: time to reconverge, routes changed, control messages, probes lost.
local experiment = require "netsim.experiment"

local net = netsim.load(netsim.args[1] or "_diamond.lua")
local rows = experiment.link_failures(net, {interval = "10ms"})
experiment.report("Link failures: " .. net.name, rows, {
	{"link", "link"}, {"converged", "converged"}, {"time_ms", "reconverge(ms)"},
	{"route_changes", "routes changed"},
	{"messages", "messages"}, {"probe", "ping stream"}, {"sent", "sent"}, {"lost", "lost"},
}, {topology = net.name, seed = net.seed})
