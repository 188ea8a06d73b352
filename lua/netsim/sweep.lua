-- netsim.sweep: `netsim sweep FILE [options]` (src/cmd/sweep.c parses the options and passes
-- them as netsim.args: the topology, then "key=value" strings). docs/experiments.md.

local netsim = require "netsim"
local experiment = require "netsim.experiment"
local expect = require "netsim.expect"

local sweep = {}

function sweep.main()
	local file, o, srlgs = netsim.args[1], {}, {}
	for i = 2, #netsim.args do
		local k, v = netsim.args[i]:match("^([%w_]+)=(.*)$")
		if k == "srlg" then srlgs[#srlgs + 1] = v else o[k] = v end
	end
	local rep = experiment.sweep(file, {links = o.links, nodes = o.nodes, double = o.double ~= nil,
		srlgs = #srlgs > 0 and srlgs or nil, flows = o.flows, interval = o.interval,
		margin = o.margin, settle = o.settle, lfa = o.lfa ~= nil, timeline = o.svg ~= nil})
	if o.svg then
		-- The worst failure's timeline instead of the table (choose it with --links...).
		io.write(require("netsim.flowsvg").render(rep.failures[1]))
	else
		experiment.print_sweep(rep)
	end
	if o.max_outage then expect.max_outage(rep, tonumber(o.max_outage)) end
	if o.no_loops then expect.no_loops_in(rep) end
end

return sweep
