-- flap.lua: a flapping link: down and up `count` times while a ping stream crosses it.
--
--   netsim run scenarios/flap.lua [--json] [-- TOPOLOGY [LINK]]
--
-- One row per transition (when it happened, when the network had converged again),
-- then the totals: routes changed, control messages, probes sent and lost.
local experiment = require "netsim.experiment"

local net = netsim.load(netsim.args[1] or "_diamond.lua")
local link = netsim.args[2] or net:links()[1]
local rows, total = experiment.flap(net, link, {period = "400ms", count = 3})
experiment.report("Flapping link " .. total.link .. " (" .. total.flaps .. " flaps)", rows, {
	{"transition", "transition"}, {"at_ms", "at(ms)"}, {"converged_ms", "converged(ms)"},
	{"time_ms", "reconverge(ms)"},
}, total)
