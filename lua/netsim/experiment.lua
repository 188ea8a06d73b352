-- netsim.experiment: scripted convergence experiments (scenarios/*.lua use them).
--
-- Each experiment disturbs a converged network, measures how long it takes to
-- converge again, how many routes changed and how many control messages it
-- took, and how many packets a ping stream crossing the failure lost; then it
-- repairs the network and lets it settle before the next run. Results are a
-- list of rows; experiment.report() prints them as a table, or as JSON with
-- `netsim run --json`.

local netsim = require "netsim"
local chaos = require "netsim.chaos"

local experiment = {}

local defaults = {
	interval = "10ms",  -- between the probes of the ping stream
	before = "50ms",    -- stream running before the failure
	settle = "300ms",   -- after convergence, before the stream stops
	timeout = "30s",    -- give up waiting for convergence after the failure
	-- The first convergence and repairs can take longer: an OSPF broadcast
	-- interface that comes up waits RouterDeadInterval (40 s) before electing a DR.
	restore_timeout = "120s",
	probe_timeout = "500ms",
}

local function opt(opts, k) return opts[k] or defaults[k] end

-- Does the forwarding path from a to b use both devices x and y one after the other?
local function crosses(route, x, y)
	for i = 1, #route - 1 do
		local p, q = route[i], route[i + 1]
		if (p == x and q == y) or (p == y and q == x) then return true end
	end
	return false
end

local function through(route, name)
	for i = 2, #route - 1 do if route[i] == name then return true end end
	return false
end

-- The first pair of endpoints (hosts, or routers without hosts) whose path matches.
local function pick_pair(net, match)
	local eps = net:endpoints()
	for i = 1, #eps do
		for j = 1, #eps do
			if i ~= j and eps[j].address then
				local w = net:walk(eps[i], eps[j])
				if w.delivered and match(w.route) then return eps[i], eps[j] end
			end
		end
	end
end

local function start_stream(src, dst, opts)
	if not src then return nil end
	return src:ping_stream(dst, {interval = opt(opts, "interval"),
		timeout = opt(opts, "probe_timeout"), duration = "1h"})
end

local function finish_stream(net, stream, opts)
	if not stream then return {} end
	stream:stop()
	local guard = 0
	while not stream:done() and guard < 100 do
		net:run{duration = opt(opts, "probe_timeout")}
		guard = guard + 1
	end
	return stream:stats()
end

-- One disturbance: stream, break, measure, settle, repair, settle.
local function measure(net, src, dst, opts, breakit, repair)
	local stream = start_stream(src, dst, opts)
	net:run{duration = opt(opts, "before")}
	breakit()
	local r = net:run_until_converged{timeout = opt(opts, "timeout")}
	net:run{duration = opt(opts, "settle")}
	local st = finish_stream(net, stream, opts)
	repair()
	local back = net:run_until_converged{timeout = opt(opts, "restore_timeout")}
	net:run{duration = opt(opts, "settle")}
	return {
		converged = r.converged,
		time_ms = r.converged and r.time or nil,
		route_changes = r.route_changes,
		messages = r.messages,
		spf_runs = r.spf_runs,
		probe = src and (src.name .. "->" .. dst.name) or nil,
		sent = st.sent,
		lost = st.lost,
		restore_ms = back.time,
	}
end

-- Each of items fails in turn (fail(x), then repair(x)), probed by the first pair whose path
-- matches match_of(x); each row names its item under `key`.
local function failures(net, opts, items, key, match_of, fail, repair)
	local rows = {}
	for _, x in ipairs(items) do
		local src, dst = pick_pair(net, match_of(x))
		local row = measure(net, src, dst, opts,
			function() fail(x) end, function() repair(x) end)
		row[key] = x.name
		rows[#rows + 1] = row
	end
	return rows
end

--- experiment.link_failures(net [, opts]) -> rows: every single link failure in turn.
--- opts: links (default all), interval, before, settle, timeout.
function experiment.link_failures(net, opts)
	opts = opts or {}
	net:run_until_converged{timeout = opt(opts, "restore_timeout")}
	local function match_of(l)
		local ends = l:devices()
		return function(route)
			for a = 1, #ends do
				for b = a + 1, #ends do
					if crosses(route, ends[a].name, ends[b].name) then return true end
				end
			end
			return false
		end
	end
	return failures(net, opts, opts.links or net:links(), "link", match_of, chaos.link_down,
		chaos.link_up)
end

--- experiment.node_failures(net [, opts]) -> rows: every router (or opts.nodes) crashes in turn.
function experiment.node_failures(net, opts)
	opts = opts or {}
	net:run_until_converged{timeout = opt(opts, "restore_timeout")}
	local nodes = {}
	for _, d in ipairs(opts.nodes or net:devices()) do
		d = netsim.dev(d)
		if opts.nodes or d.type == "router" then nodes[#nodes + 1] = d end
	end
	return failures(net, opts, nodes, "device",
		function(d) return function(route) return through(route, d.name) end end,
		chaos.crash, chaos.restore)
end

--- experiment.flap(net, link [, {period, count, down, ...}]) -> rows: one per transition,
--- with the time the network took to converge after it.
function experiment.flap(net, link, opts)
	opts = opts or {}
	link = chaos.link_of(link)
	net:run_until_converged{timeout = opt(opts, "restore_timeout")}
	local ends = link:devices()
	local src, dst = pick_pair(net, function(route) return crosses(route, ends[1].name, ends[2].name) end)
	local stream = start_stream(src, dst, opts)
	local rows, pending = {}, nil
	local info0 = net:info()
	local h1 = net:on("chaos", function(ev)
		local what = ev.text:match("link .- (%a+)$")
		if what then
			pending = {transition = what, at_ms = ev.time}
			rows[#rows + 1] = pending
		end
	end)
	local h2 = net:on("converged", function(ev)
		for _, row in ipairs(rows) do
			if row.converged_ms == nil and ev.time >= row.at_ms then
				row.converged_ms = ev.time
				row.time_ms = ev.time - row.at_ms
			end
		end
	end)
	local f = chaos.flap(link, {period = opts.period or "400ms", count = opts.count or 3,
		down = opts.down, start = opt(opts, "before")})
	net:run()
	net:run{duration = opt(opts, "settle")}
	net:off(h1)
	net:off(h2)
	local st = finish_stream(net, stream, opts)
	local info1 = net:info()
	return rows, {
		link = link.name,
		flaps = opts.count or 3,
		route_changes = info1.route_changes - info0.route_changes,
		messages = info1.messages - info0.messages,
		probe = src and (src.name .. "->" .. dst.name) or nil,
		sent = st.sent,
		lost = st.lost,
		ends_ms = f.ends,
	}
end

-- Sweeps ---------------------------------------------------------------------------------------

local sweep_defaults = {
	flows = "auto",     -- "auto" (hosts, else loopbacks, else routers), "hosts", "loopbacks",
	                    -- "routers", or a list of {src, dst}
	interval = "1ms",   -- between a flow's probes
	-- After the first convergence, before the flows start: longer than OSPF's MinLSInterval
	-- (5 s), so that the failure's LSAs are not held back by the first ones.
	settle = "10s",
	before = "50ms",    -- flows running before the failure
	margin = "200ms",   -- after convergence, before the flows stop
	drain = "100ms",    -- after they stop: probes in flight arrive or die
	timeout = "30s",    -- convergence after the failure
	start_timeout = "120s", -- the first convergence
}

local function sopt(opts, k) return opts[k] or sweep_defaults[k] end

-- The links of net that a selection names: "all", or a list of link names
-- ("r1:eth0--r2:eth1"), device pairs ("r1:r2", every link joining them) or handles.
local function select_links(net, sel)
	local all = net:links()
	if sel == nil or sel == "all" then return all end
	if type(sel) == "string" then
		local list = {}
		for item in sel:gmatch("[^,]+") do list[#list + 1] = item end
		sel = list
	end
	local chosen, taken = {}, {}
	for _, want in ipairs(sel) do
		local name = type(want) == "string" and want or want.name
		local a, b = name:match("^([^:%-]+):([^:%-]+)$")
		local hit = false
		for i, l in ipairs(all) do
			local ends = l:devices()
			local match = l.name == name
			if a and #ends == 2 then
				match = (ends[1].name == a and ends[2].name == b) or
					(ends[1].name == b and ends[2].name == a)
			end
			if match then
				hit = true
				if not taken[i] then
					taken[i] = true
					chosen[#chosen + 1] = l
				end
			end
		end
		if not hit then
			error(("sweep: no link '%s' in %s (a link's name, or two devices as A:B)"):format(name,
				net.name), 3)
		end
	end
	return chosen
end

-- The flows, but those from or to a device in `without` (a failed router: they cannot be
-- delivered, which says nothing about the network).
local function start_flows(net, opts, without)
	local f = sopt(opts, "flows")
	local o = {interval = sopt(opts, "interval"), ttl = opts.ttl, exclude = without}
	if type(f) == "table" then
		local skip, n = {}, 0
		for _, d in ipairs(without or {}) do skip[d] = true end
		local function named(x) return type(x) == "string" and skip[x] or type(x) ~= "string" and skip[x.name] end
		for _, pair in ipairs(f) do
			if not (named(pair[1]) or named(pair[2])) then
				net:flow(pair[1], pair[2], o)
				n = n + 1
			end
		end
		return n, "pairs"
	end
	return net:flows(f, o)
end

-- Loops or black holes the FIB walks of every flow found, one entry per set of routers
-- (a loop seen by several flows is one loop): its routers, longest duration, earliest
-- start after the failure, and how many flows met it.
local function walk_findings(stats, kinds, t0)
	local found, order = {}, {}
	for _, fl in ipairs(stats) do
		for _, w in ipairs(fl.walk) do
			if kinds[w.kind] then
				local names = {}
				for i, r in ipairs(w.routers) do names[i] = r end
				table.sort(names)
				local key = w.kind .. " " .. table.concat(names, ",")
				local e = found[key]
				if e == nil then
					e = {kind = w.kind, routers = names, ms = 0, at = w.from - t0, flows = 0, open = false}
					found[key] = e
					order[#order + 1] = key
				end
				e.flows = e.flows + 1
				if w.ms > e.ms then e.ms = w.ms end
				if w.from - t0 < e.at then e.at = w.from - t0 end
				e.open = e.open or w.open
			end
		end
	end
	local list = netsim.array()
	for _, k in ipairs(order) do list[#list + 1] = found[k] end
	return list
end

-- Entries by device: new(x) makes one from the first x of list naming a device, add(e, x)
-- counts each x in; the entries sorted by device name, as a list.
local function per_device(list, new, add)
	local by, names = {}, {}
	for _, x in ipairs(list) do
		local e = by[x.device]
		if e == nil then
			e = new(x)
			by[x.device] = e
			names[#names + 1] = x.device
		end
		add(e, x)
	end
	table.sort(names)
	local out = netsim.array()
	for _, n in ipairs(names) do out[#out + 1] = by[n] end
	return out
end

-- Where the probes of every flow died, per device.
local function drops_by_device(stats)
	local all = {}
	for _, fl in ipairs(stats) do
		for _, d in ipairs(fl.drops) do all[#all + 1] = d end
	end
	return per_device(all,
		function(d) return {device = d.device, looped = 0, blackholed = 0, cut = 0, arp = 0} end,
		function(e, d)
			for _, k in ipairs({"looped", "blackholed", "cut", "arp"}) do e[k] = e[k] + d[k] end
		end)
end

-- Per device, when its FIB changed after t0 (the FIB walks' marks): first and last, in ms
-- after the failure, and how many engine steps changed it.
local function fib_updates(changes, t0)
	local after = {}
	for _, c in ipairs(changes) do
		if c.time >= t0 then after[#after + 1] = c end
	end
	return per_device(after,
		function(c) return {device = c.device, first_ms = c.time - t0, changes = 0} end,
		function(e, c)
			e.last_ms = c.time - t0
			e.changes = e.changes + 1
		end)
end

-- One failure (item: links by number, routers by name, failed at the same instant), from
-- a fresh load of the topology.
local function sweep_one(file, item, opts)
	local net = netsim.load(file)
	net:run_until_converged{timeout = sopt(opts, "start_timeout")}
	net:run{duration = sopt(opts, "settle")}
	local links = net:links()
	-- The same flows, slowly, first: ARP resolves along their paths (a probe waiting for
	-- ARP beyond its queue is dropped, which would be counted against the failure).
	start_flows(net, {flows = opts.flows, interval = "10ms", ttl = opts.ttl}, item.nodes)
	net:run{duration = "50ms"}
	net:flows_stop()
	net:run{duration = sopt(opts, "drain")}
	net:flows_clear()
	local nflows, kind = start_flows(net, opts, item.nodes)
	net:run{duration = sopt(opts, "before")}
	local t0 = net:now()
	for _, i in ipairs(item.links) do chaos.link_down(links[i]) end
	for _, d in ipairs(item.nodes) do chaos.crash(net:device(d)) end
	local r = net:run_until_converged{timeout = sopt(opts, "timeout")}
	net:run{duration = sopt(opts, "margin")}
	net:flows_stop()
	net:run{duration = sopt(opts, "drain")}
	local stats = net:flow_stats()
	local row = {failure = item.name, kind = item.kind, link = item.kind == "link" and item.name or nil,
		flows = nflows, converged = r.converged,
		convergence_ms = r.converged and r.time or nil, route_changes = r.route_changes,
		messages = r.messages, sent = 0, lost = 0, looped = 0, blackholed = 0, cut = 0, arp = 0, late = 0,
		worst_outage_ms = 0, flows_hit = 0, paths_changed = 0}
	for _, fl in ipairs(stats) do
		row.sent = row.sent + fl.sent
		row.lost = row.lost + fl.lost
		row.looped = row.looped + fl.looped
		row.blackholed = row.blackholed + fl.blackholed
		row.cut = row.cut + fl.cut
		row.arp = row.arp + fl.arp
		row.late = row.late + fl.late
		if fl.lost > 0 or #fl.outages > 0 then row.flows_hit = row.flows_hit + 1 end
		if table.concat(fl.path_before, " ") ~= table.concat(fl.path_after, " ") then
			row.paths_changed = row.paths_changed + 1
		end
		for _, o in ipairs(fl.outages) do
			if o.ms > row.worst_outage_ms then
				row.worst_outage_ms = o.ms
				row.worst_flow = fl.src .. "->" .. fl.dst
				row.worst_open = o.open -- never recovered: down until the flows stopped
				row.worst_path_before, row.worst_path_after = fl.path_before, fl.path_after
			end
		end
	end
	row.drops = drops_by_device(stats)
	row.fib_updates = fib_updates(net:fib_changes(), t0)
	row.fibs_changed = #row.fib_updates
	row.loops = walk_findings(stats, {loop = true}, t0)
	row.blackholes = walk_findings(stats, {no_route = true, blackhole = true, down = true,
		unresolved = true}, t0)
	if opts.detail then row.detail = stats end
	if opts.timeline then
		-- What an SVG timeline of this failure draws (netsim.flowsvg).
		row.timeline = {failed_at = t0, converged_at = r.converged and r.at or nil,
			start = t0 - netsim.ms(sopt(opts, "before")), stop = t0 + (r.time or 0) + netsim.ms(sopt(opts, "margin")),
			flows = stats, fib_changes = net:fib_changes()}
	end
	net:close()
	return row, kind
end

-- The numbers of the links a selection names, in the topology's order.
local function link_ids(net, sel, index)
	local ids = {}
	for _, l in ipairs(select_links(net, sel)) do ids[#ids + 1] = index[l.name] end
	table.sort(ids)
	return ids
end

-- The routers a selection names ("all", a list or a comma-separated string of names).
local function select_nodes(net, sel)
	local list = {}
	if sel == "all" then
		for _, d in ipairs(net:devices()) do
			if d.type == "router" then list[#list + 1] = d.name end
		end
		return list
	end
	if type(sel) == "string" then
		for item in sel:gmatch("[^,]+") do list[#list + 1] = item end
	else
		for i, d in ipairs(sel) do list[i] = type(d) == "string" and d or d.name end
	end
	for _, n in ipairs(list) do net:device(n) end -- an error naming the devices there are
	return list
end

-- What the sweep fails, one item per run: each link (opts.links, by default all unless
-- nodes or SRLGs are given), each pair of them (opts.double), each router (opts.nodes),
-- each shared-risk group (opts.srlgs: lists of link selections failed together).
local function failure_items(base, opts)
	local all, index, items = base:links(), {}, {}
	for i, l in ipairs(all) do index[l.name] = i end
	local sel = opts.links
	if sel == nil and opts.nodes == nil and opts.srlgs == nil then sel = "all" end
	if sel ~= nil then
		local ids = link_ids(base, sel, index)
		if opts.double then
			for a = 1, #ids do
				for b = a + 1, #ids do
					items[#items + 1] = {kind = "double", links = {ids[a], ids[b]}, nodes = {},
						name = all[ids[a]].name .. " + " .. all[ids[b]].name}
				end
			end
		else
			for _, i in ipairs(ids) do
				items[#items + 1] = {kind = "link", links = {i}, nodes = {}, name = all[i].name}
			end
		end
	end
	for _, group in ipairs(opts.srlgs or {}) do
		local ids = link_ids(base, group, index)
		local names = {}
		for k, i in ipairs(ids) do names[k] = all[i].name end
		items[#items + 1] = {kind = "srlg", links = ids, nodes = {}, name = table.concat(names, " + ")}
	end
	if opts.nodes ~= nil then
		for _, n in ipairs(select_nodes(base, opts.nodes)) do
			items[#items + 1] = {kind = "node", links = {}, nodes = {n}, name = n}
		end
	end
	return items
end

--- experiment.sweep(topology [, opts]) -> report: every single link failure (opts.links:
--- "all", a list or a comma-separated string of link names or A:B device pairs; opts.double:
--- every pair of them; opts.nodes: routers crashing; opts.srlgs: groups of links failing
--- together), each from the same converged state: the topology is loaded again and run
--- from the start for each failure (deterministic, so every run reaches the same state).
--- Flows (opts.flows: "hosts", "loopbacks" or {{src, dst}...}) probe every opts.interval;
--- the report has one row per failure, sorted by worst outage (docs/experiments.md).
function experiment.sweep(file, opts)
	opts = opts or {}
	if type(file) ~= "string" then error("experiment.sweep: a topology file name", 2) end
	local base = netsim.load(file)
	local name = base.name
	local items = failure_items(base, opts)
	local lfa
	if opts.lfa then
		base:run_until_converged{timeout = sopt(opts, "start_timeout")}
		lfa = experiment.lfa(base)
	end
	base:close()
	local rows, kind = {}, nil
	for k, item in ipairs(items) do
		rows[k], kind = sweep_one(file, item, opts)
		rows[k].order = k
	end
	table.sort(rows, function(x, y)
		if x.worst_outage_ms ~= y.worst_outage_ms then return x.worst_outage_ms > y.worst_outage_ms end
		return x.order < y.order
	end)
	for _, r in ipairs(rows) do r.order = nil end
	return {topology = name, flows = kind, interval_ms = netsim.ms(sopt(opts, "interval")),
		failures = rows, lfa = lfa}
end

-- Loop-free alternates ----------------------------------------------------------------------

--- experiment.lfa(net) -> {routers = {...}, destinations, protected, coverage}: for every
--- router S and every other router D (its address: the loopback, as routers.flows use),
--- whether S's route to D is protected against the failure of its next hop's link: by
--- equal-cost next hops, or by a loop-free alternate (RFC 5286 3.5, inequality 1: a
--- neighbor N with D(N,D) < D(N,S) + D(S,D)). Distances are the metrics of the routers'
--- own routes (the IGP's), so any IGP works. Per router: destinations, ecmp, lfa,
--- unprotected (names), coverage (percent).
function experiment.lfa(net)
	local routers, by_addr, nbrs = {}, {}, {}
	for _, d in ipairs(net:devices()) do
		if d.type == "router" and d.address then
			routers[#routers + 1] = d
			nbrs[d.name] = {}
		end
	end
	-- Neighbors across point-to-point links (and the address each is reached at).
	for _, l in ipairs(net:links()) do
		local e = l:ends()
		if #e == 2 and l.up and nbrs[e[1].device.name] and nbrs[e[2].device.name] then
			for k = 1, 2 do
				local me, other = e[k], e[3 - k]
				if other.address then
					local list = nbrs[me.device.name]
					list[#list + 1] = other.device
					by_addr[other.address] = other.device
				end
			end
		end
	end
	local function dist(x, d)
		if x.name == d.name then return 0 end
		local r = x:route(d.address)
		return r and r.metric or math.huge
	end
	local rep = {routers = netsim.array(), destinations = 0, protected = 0}
	for _, s in ipairs(routers) do
		local row = {router = s.name, destinations = 0, ecmp = 0, lfa = 0, unprotected = netsim.array()}
		for _, d in ipairs(routers) do
			local r = d ~= s and s:route(d.address)
			if r and #r.nexthops > 0 then
				row.destinations = row.destinations + 1
				local primary = {}
				for _, nh in ipairs(r.nexthops) do
					local n = nh.ip and by_addr[nh.ip]
					if n then primary[n.name] = true end
				end
				if #r.nexthops > 1 then
					row.ecmp = row.ecmp + 1
				else
					local sd, found = dist(s, d), false
					for _, n in ipairs(nbrs[s.name]) do
						if not primary[n.name] and dist(n, d) < dist(n, s) + sd then found = true end
					end
					if found then
						row.lfa = row.lfa + 1
					else
						row.unprotected[#row.unprotected + 1] = d.name
					end
				end
			end
		end
		local covered = row.ecmp + row.lfa
		row.coverage = row.destinations > 0 and math.floor(1000 * covered / row.destinations + 0.5) / 10 or 100
		rep.destinations = rep.destinations + row.destinations
		rep.protected = rep.protected + covered
		rep.routers[#rep.routers + 1] = row
	end
	rep.coverage = rep.destinations > 0 and math.floor(1000 * rep.protected / rep.destinations + 0.5) / 10 or 100
	return rep
end

-- With --json, the report as JSON (true); else false: the caller prints its table.
local function print_json(rep)
	if not netsim.args.json then return false end
	print(netsim.json(rep, true))
	return true
end

--- experiment.print_lfa(report): per router, its coverage (or JSON with --json).
function experiment.print_lfa(rep)
	if print_json(rep) then return end
	local rows = {}
	for _, r in ipairs(rep.routers) do
		rows[#rows + 1] = {router = r.router, dest = r.destinations, ecmp = r.ecmp, lfa = r.lfa,
			cov = r.coverage .. "%", un = #r.unprotected > 0 and table.concat(r.unprotected, " ") or "-"}
	end
	print(("Loop-free alternates (RFC 5286): %s%% of %d (router, destination) pairs protected")
		:format(rep.coverage, rep.destinations))
	print(netsim.table(rows, {{"router", "router"}, {"dest", "destinations"}, {"ecmp", "ECMP"},
		{"lfa", "LFA"}, {"cov", "coverage"}, {"un", "unprotected"}}))
end

local function describe_loops(list)
	local parts = {}
	for _, l in ipairs(list) do
		parts[#parts + 1] = ("%s %sms%s"):format(table.concat(l.routers, "<->"), l.ms,
			l.open and "+" or "")
	end
	return #parts > 0 and table.concat(parts, "; ") or "-"
end

--- experiment.print_sweep(report): the table (worst outage first), or JSON with --json.
function experiment.print_sweep(rep)
	if print_json(rep) then return end
	local rows = {}
	for _, f in ipairs(rep.failures) do
		rows[#rows + 1] = {failure = f.failure, flow = f.worst_flow or "-",
			outage = f.worst_open and f.worst_outage_ms .. "+" or f.worst_outage_ms,
			hit = ("%d/%d"):format(f.flows_hit, f.flows), lost = f.lost, looped = f.looped,
			blackholed = f.blackholed, cut = f.cut, arp = f.arp, loops = describe_loops(f.loops),
			conv = f.converged and f.convergence_ms or "no", routes = f.route_changes,
			routers = f.fibs_changed}
	end
	print(("Failures of %s: %s flows, a probe every %sms"):format(rep.topology,
		tostring(rep.flows), rep.interval_ms))
	print(netsim.table(rows, {{"failure", "failure"}, {"outage", "worst outage(ms)"},
		{"flow", "worst flow"}, {"hit", "flows hit"}, {"lost", "lost"}, {"looped", "looped"},
		{"blackholed", "black-holed"}, {"cut", "on the wire"}, {"arp", "ARP"}, {"loops", "loops (FIB walk)"},
		{"conv", "converged(ms)"}, {"routes", "routes changed"}, {"routers", "FIBs changed"}}))
	print("(+: never recovered, down until the flows stopped; times in ms; docs/experiments.md)")
	if rep.lfa then
		print()
		experiment.print_lfa(rep.lfa)
	end
end

--- experiment.report(title, rows, columns [, extra]): a table, or JSON with --json.
function experiment.report(title, rows, columns, extra)
	if netsim.args.json then
		local doc = {experiment = title, rows = rows}
		for k, v in pairs(extra or {}) do doc[k] = v end
		print(netsim.json(doc, true))
		return
	end
	print(title)
	print(netsim.table(rows, columns))
	for k, v in pairs(extra or {}) do
		if type(v) ~= "table" then print(("%s: %s"):format(k, tostring(v))) end
	end
end

return experiment
