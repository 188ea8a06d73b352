-- netsim.expect: assertions for CI (docs/lua-api.md, "Expectations").
--
-- A failed expectation prints where it was made, what was expected and what
-- was found, counts as a failure (netsim run exits 1) and the scenario goes
-- on, so that one run reports every problem. Each function returns true or
-- false.

local netsim = require "netsim"
local core = require "netsim.core"

local expect = {}

local function show(v) return netsim.inspect(v, {compact = true, quote = true}) end

local function report(ok, what, expected, found)
	if ok then
		core.pass()
		return true
	end
	local file, line = core.where()
	-- No line of the user's (netsim sweep's own assertions): no location to name.
	local at = line > 0 and ("%s:%d: "):format(file, line) or ""
	core.fail(("%sFAIL %s\n  expected: %s\n  found:    %s"):format(at, what, expected, found))
	return false
end
expect.report = report

local function net_of(x)
	if x == nil then
		local net = netsim.current()
		if net == nil then error("no network: load or build one first", 3) end
		return net
	end
	return x
end

local function vias(r)
	local v = {}
	for _, nh in ipairs(r.nexthops) do v[#v + 1] = nh.ip or ("connected " .. nh.interface) end
	if r.blackhole then v[#v + 1] = "blackhole" end
	return table.concat(v, ", ")
end

local function describe(r)
	return ("%s via %s (%s, distance %d, metric %d)"):format(r.prefix, vias(r), r.protocol,
		r.distance, r.metric)
end

--- expect.route(dev, prefix, {via=, protocol=, interface=, metric=, distance=}): the selected
--- route for prefix ("10.0.3.0/24" exact, "10.0.3.10" longest match) has those properties.
--- via may be a list (ECMP: every listed next hop present).
function expect.route(dev, prefix, want)
	dev = netsim.dev(dev)
	want = want or {}
	local keys = {}
	for _, k in ipairs({"via", "protocol", "interface", "metric", "distance"}) do
		if want[k] ~= nil then keys[#keys + 1] = k .. "=" .. show(want[k]) end
	end
	local what = ("expect.route(%s, %s%s)"):format(dev.name, prefix,
		#keys > 0 and ", {" .. table.concat(keys, ", ") .. "}" or "")
	local expected = "a route to " .. prefix .. (#keys > 0 and " with " .. table.concat(keys, ", ") or "")
	local r = dev:route(prefix)
	if r == nil then return report(false, what, expected, "no route") end
	local ok = true
	if want.via ~= nil then
		local list = type(want.via) == "table" and want.via or {want.via}
		for _, v in ipairs(list) do
			local hit = false
			for _, nh in ipairs(r.nexthops) do if nh.ip == v then hit = true end end
			if not hit then ok = false end
		end
		if type(want.via) == "table" and #list ~= #r.nexthops then ok = false end
	end
	if want.protocol ~= nil and r.protocol ~= want.protocol then ok = false end
	if want.interface ~= nil and r.interface ~= want.interface then ok = false end
	if want.metric ~= nil and r.metric ~= want.metric then ok = false end
	if want.distance ~= nil and r.distance ~= want.distance then ok = false end
	return report(ok, what, expected, describe(r))
end

--- expect.no_route(dev, prefix): no route covers prefix (or address).
function expect.no_route(dev, prefix)
	dev = netsim.dev(dev)
	local r = dev:route(prefix)
	return report(r == nil, ("expect.no_route(%s, %s)"):format(dev.name, prefix), "no route",
		r and describe(r) or "no route")
end

local function name_of(x)
	if type(x) == "string" then return x end
	return x.name or tostring(x)
end

--- expect.reachable(src, dst [, {count = 3, timeout = "2s", all = false}]): pings from src
--- to dst (an address, a device or an interface) get answers (all of them with all = true).
function expect.reachable(src, dst, opts)
	src = netsim.dev(src)
	opts = opts or {}
	local r = src:ping(dst, {count = opts.count or 3, timeout = opts.timeout})
	local ok = opts.all and r.received == r.transmitted or r.received > 0
	local found = ("%d/%d replies"):format(r.received, r.transmitted)
	for _, rep in ipairs(r.replies) do
		if rep.status ~= "ok" then
			found = found .. " (" .. (rep.message or rep.status) .. (rep.from and " from " .. rep.from or "") .. ")"
			break
		end
	end
	return report(ok, ("expect.reachable(%s, %s)"):format(src.name, name_of(dst)),
		opts.all and "every echo answered" or "echo replies", found)
end

--- expect.unreachable(src, dst [, opts]): no echo reply comes back.
function expect.unreachable(src, dst, opts)
	src = netsim.dev(src)
	opts = opts or {}
	local r = src:ping(dst, {count = opts.count or 2, timeout = opts.timeout})
	return report(r.received == 0, ("expect.unreachable(%s, %s)"):format(src.name, name_of(dst)),
		"no echo reply", ("%d/%d replies"):format(r.received, r.transmitted))
end

--- expect.converged_within(limit [, net]): the network converges no later than limit after
--- the last disturbance (chaos action or configuration change from Lua), or after the call.
--- Runs the simulation until then if needed (call it from the scenario, not a callback).
function expect.converged_within(limit, net)
	net = net_of(net)
	local ms = core.time(limit)
	local r = net:run_until_converged{timeout = limit}
	local found
	if r.converged then
		found = ("converged in %sms (at t=%sms), %d route changes, %d messages"):format(
			r.time, r.at, r.route_changes, r.messages)
	else
		found = ("not converged %s after the call"):format(limit)
	end
	return report(r.converged and r.time <= ms, ("expect.converged_within(%s)"):format(
		tostring(limit)), ("converged within %sms"):format(ms), found)
end

--- expect.converged([net]): the network is converged now.
function expect.converged(net)
	net = net_of(net)
	return report(net.converged, "expect.converged()", "a converged network",
		"control frames in flight or protocols busy")
end

--- expect.no_loops([net]): following the FIBs from every router/host towards every address
--- of every other router/host never visits a device twice.
function expect.no_loops(net)
	net = net_of(net)
	local loops = net:loops()
	local found = "no loop"
	if #loops > 0 then
		local lines = {}
		for i = 1, math.min(#loops, 5) do
			local l = loops[i]
			lines[i] = ("%s -> %s (%s): %s"):format(l.source, l.destination, l.device,
				table.concat(l.path, " -> "))
		end
		found = ("%d loop%s: %s%s"):format(#loops, #loops == 1 and "" or "s",
			table.concat(lines, "; "), #loops > 5 and "; ..." or "")
	end
	return report(#loops == 0, "expect.no_loops()", "no forwarding loop", found)
end

--- expect.path(src, dst, {"r1", "r3", ...}): the forwarding path (FIB walk) from src to dst.
function expect.path(src, dst, want)
	src = netsim.dev(src)
	local net = src.network
	local w = net:walk(src, dst)
	local trace = src:traceroute(dst, {probes = 1})
	local got = {src.name}
	for _, hop in ipairs(trace.path) do got[#got + 1] = hop end
	local ok = #got == #want
	for i = 1, #want do if got[i] ~= want[i] then ok = false end end
	return report(ok, ("expect.path(%s, %s)"):format(src.name, name_of(dst)),
		table.concat(want, " -> "), table.concat(got, " -> ") ..
		(w.result ~= "delivered" and " (" .. w.result .. ")" or ""))
end

--- The hops of a walk's evidence as one line: "h1 -> r1 [10.0.3.0/24 ospf via 10.0.13.3] -> ...".
local function hops_line(w)
	local v = {}
	for _, h in ipairs(w.hops or {}) do
		local s = h.device
		if h.prefix then
			s = s .. " [" .. h.prefix .. " " .. (h.protocol or "?") ..
				(h.nexthop and h.nexthop ~= "connected" and " via " .. h.nexthop or "") .. "]"
		end
		v[#v + 1] = s
	end
	return table.concat(v, " -> ") .. ": " .. tostring(w.result)
end

--- expect.verify(intents [, net]): intent checks (docs/verify.md) on the network as it is
--- now; each intent that does not pass (fail or inconclusive) is a failure reported with
--- its reason, evidence and suggested command. True when all pass.
function expect.verify(intents, net)
	net = net_of(net)
	local rep = net:verify(intents)
	local all = true
	for _, r in ipairs(rep.results) do
		local found = r.status .. ": " .. r.reason
		local ev = r.evidence
		if ev and ev.hops then found = found .. "\n  path:     " .. hops_line(ev) end
		if ev and ev.first then found = found .. "\n  first:    " .. hops_line(ev.first) end
		if r.suggestion then
			found = found .. "\n  next:     " .. (r.suggestion.device ~= "-" and
				r.suggestion.device .. ": " or "") .. r.suggestion.command
		end
		if not report(r.status == "pass", "expect.verify(" .. r.assertion .. ")", "pass", found) then
			all = false
		end
	end
	return all
end

--- expect.via(src, dst, dev), expect.avoids(src, dst, dev): every forwarding path (FIB
--- walk, every ECMP branch) from src to dst is delivered and crosses (avoids) dev.
function expect.via(src, dst, dev)
	src = netsim.dev(src)
	return expect.verify({path = {from = src.name, to = name_of(dst), via = name_of(dev)}},
		src.network)
end

function expect.avoids(src, dst, dev)
	src = netsim.dev(src)
	return expect.verify({path = {from = src.name, to = name_of(dst), avoids = name_of(dev)}},
		src.network)
end

--- expect.no_blackholes(destinations [, net]): the FIB walks from every router and host
--- towards each destination (addresses, prefixes or devices) end delivered or in a loop,
--- never without a route, at a blackhole route or an unreachable next hop.
function expect.no_blackholes(destinations, net)
	local d = {}
	for i, x in ipairs(type(destinations) == "table" and destinations or {destinations}) do
		d[i] = name_of(x)
	end
	return expect.verify({no_blackholes = {destinations = d}}, net)
end

--- expect.equal(actual, expected [, what]), expect.truthy(value [, what]).
function expect.equal(actual, expected, what)
	return report(actual == expected, "expect.equal(" .. (what or "value") .. ")", show(expected),
		show(actual))
end

function expect.truthy(v, what)
	return report(v and true or false, "expect.truthy(" .. (what or "value") .. ")", "a true value",
		show(v))
end

--- expect.at_most(value, limit [, what]), expect.at_least(value, limit [, what])
function expect.at_most(v, limit, what)
	return report(v <= limit, "expect.at_most(" .. (what or "value") .. ")", "<= " .. show(limit),
		show(v))
end

function expect.at_least(v, limit, what)
	return report(v >= limit, "expect.at_least(" .. (what or "value") .. ")", ">= " .. show(limit),
		show(v))
end

--- expect.max_outage(report, ms): no flow of any failure of an experiment.sweep report was
--- down longer than ms (its worst outage; one that never recovered counts to the end).
function expect.max_outage(rep, limit)
	local over = {}
	for _, f in ipairs(rep.failures) do
		if f.worst_outage_ms > limit then
			over[#over + 1] = ("%s: %sms (%s)"):format(f.link, f.worst_outage_ms, f.worst_flow)
		end
	end
	return report(#over == 0, ("expect.max_outage(%s)"):format(show(limit)),
		("every flow down at most %sms"):format(limit),
		#over == 0 and "none longer" or table.concat(over, "; "))
end

--- expect.no_loops_in(report): no failure of an experiment.sweep report made a transient loop
--- (no FIB walk looped and no probe's TTL expired).
function expect.no_loops_in(rep)
	local found = {}
	for _, f in ipairs(rep.failures) do
		for _, l in ipairs(f.loops) do
			found[#found + 1] = ("%s: %s for %sms"):format(f.link, table.concat(l.routers, "<->"), l.ms)
		end
		if #f.loops == 0 and f.looped > 0 then
			found[#found + 1] = ("%s: %d probes looped"):format(f.link, f.looped)
		end
	end
	return report(#found == 0, "expect.no_loops_in(report)", "no transient loop",
		#found == 0 and "none" or table.concat(found, "; "))
end

--- expect.no_loss(report): no probe of any failure of an experiment.sweep report was lost.
function expect.no_loss(rep)
	local found = {}
	for _, f in ipairs(rep.failures) do
		if f.lost > 0 then found[#found + 1] = ("%s: %d lost"):format(f.link, f.lost) end
	end
	return report(#found == 0, "expect.no_loss(report)", "no probe lost",
		#found == 0 and "none lost" or table.concat(found, "; "))
end

return expect
