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
