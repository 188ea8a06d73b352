-- netsim.chaos: failure injection (docs/lua-api.md, "Chaos").
--
-- Every action is posted on the timeline as a `chaos` event (so `net:on("chaos", fn)`
-- handlers and `at: chaos + 1s` entries see it) before the change itself, whose own
-- events (link_down, node_down, route changes...) follow. Scheduled actions (flaps,
-- random failures) run from global timers; random choices come from math.random,
-- the engine's generator seeded from the network's seed.

local netsim = require "netsim"
local core = require "netsim.core"

local chaos = {}

local function net_of(x)
	local ok, n = pcall(function() return x.network end)
	if ok and n then return n end
	return netsim.current()
end

-- A link: a handle, "a--b" / "a:if--b:if", or two endpoints.
local function link_of(a, b)
	if type(a) == "string" and b == nil then
		local x, y = a:match("^(.-)%-%-(.+)$")
		if not x then error(("'%s' is not a link: use \"r1--r2\" or \"r1:eth0--r2:eth0\""):format(a), 3) end
		a, b = x, y
	end
	if b ~= nil then
		local net = netsim.current()
		if net == nil then error("no network", 3) end
		return net:link(a, b)
	end
	if core.typeof(a) ~= "Link" then error("expected a link, got " .. tostring(a), 3) end
	return a
end
chaos.link_of = link_of

--- chaos.log(net, text): a line on the timeline (a `chaos` event).
function chaos.log(net, text)
	net:_chaos("chaos: " .. text)
end

local function set_link(a, b, up)
	local l = link_of(a, b)
	chaos.log(l.network, "link " .. l.name .. (up and " up" or " down"))
	l:set_up(up)
	return l
end

--- chaos.link_down(link) / chaos.link_up(link)
-- Tail calls: link_of's errors (level 3) still name the caller's line.
function chaos.link_down(a, b) return set_link(a, b, false) end

function chaos.link_up(a, b) return set_link(a, b, true) end

-- An impairment of link l (already found: link_of's errors name the caller's line):
-- logged, then set with the link's method.
local function impair(l, what, pct, method, ...)
	chaos.log(l.network, ("link %s %s %s%%"):format(l.name, what, pct))
	l[method](l, pct, ...)
	return l
end

--- chaos.loss(link, percent), chaos.delay(link, duration)
function chaos.loss(l, pct) return impair(link_of(l), "loss", pct, "set_loss") end

--- chaos.oneway(link, from): a silent one-way failure (interfaces stay up): every frame
--- `from`'s end of the link sends is lost; chaos.oneway(link, nil) repairs it.
function chaos.oneway(l, from)
	l = link_of(l)
	local name = from ~= nil and (type(from) == "string" and from or from.name) or nil
	chaos.log(l.network, name and ("link %s one-way failure: frames from %s lost"):format(l.name, name)
		or ("link %s one-way failure repaired"):format(l.name))
	l:set_oneway(from)
	return l
end

--- chaos.reorder(link, percent [, delay]), chaos.duplicate(link, percent)
function chaos.reorder(l, pct, d) return impair(link_of(l), "reorder", pct, "set_reorder", d) end

function chaos.duplicate(l, pct) return impair(link_of(l), "duplicate", pct, "set_duplicate") end

function chaos.delay(l, d)
	l = link_of(l)
	chaos.log(l.network, ("link %s delay %s"):format(l.name, type(d) == "number" and d .. "ms" or d))
	l:set_delay(d)
	return l
end

--- chaos.flap(link, {period = "200ms", count = 3, down = period/2, start = 0}): the link goes
--- down at start + i*period and up `down` later, count times. Returns {cancel = fn}.
function chaos.flap(l, opts)
	l = link_of(l)
	opts = opts or {}
	local net = l.network
	local period = core.time(opts.period or "200ms")
	local down = core.time(opts.down or period / 2)
	local start = core.time(opts.start or 0)
	local count = opts.count or 3
	if down >= period then error("chaos.flap: 'down' must be shorter than 'period'", 2) end
	local timers = {}
	for i = 0, count - 1 do
		timers[#timers + 1] = net:after(start + i * period, function() chaos.link_down(l) end)
		timers[#timers + 1] = net:after(start + i * period + down, function() chaos.link_up(l) end)
	end
	return {cancel = function() for _, t in ipairs(timers) do t:cancel() end end,
		ends = net:now() + start + (count - 1) * period + down}
end

--- chaos.crash(dev [, {duration = d}]): the device loses all its state; with a duration it
--- boots again after it (protocols restart from scratch).
function chaos.crash(dev, opts)
	dev = netsim.dev(dev)
	chaos.log(dev.network, "crash " .. dev.name)
	dev:set_up(false)
	if opts and opts.duration then
		dev.network:after(opts.duration, function() chaos.restore(dev) end)
	end
	return dev
end

function chaos.restore(dev)
	dev = netsim.dev(dev)
	chaos.log(dev.network, "restore " .. dev.name)
	dev:set_up(true)
	return dev
end

--- chaos.restart(dev, protocol [, {down = d}]): stop one protocol instance (its dynamic
--- state is lost) and start it again, at once or `down` later.
function chaos.restart(dev, proto, opts)
	dev = netsim.dev(dev)
	local net = dev.network
	chaos.log(net, ("restart %s on %s"):format(proto, dev.name))
	dev:stop_protocol(proto)
	if opts and opts.down then
		net:after(opts.down, function()
			chaos.log(net, ("start %s on %s"):format(proto, dev.name))
			dev:start_protocol(proto)
		end)
	else
		dev:start_protocol(proto)
	end
	return dev
end

--- chaos.shutdown(dev, ifname) / chaos.no_shutdown(dev, ifname): an interface's admin state.
function chaos.shutdown(dev, ifname)
	dev = netsim.dev(dev)
	chaos.log(dev.network, ("shutdown %s:%s"):format(dev.name, ifname))
	dev:iface(ifname):set_up(false)
end

function chaos.no_shutdown(dev, ifname)
	dev = netsim.dev(dev)
	chaos.log(dev.network, ("no shutdown %s:%s"):format(dev.name, ifname))
	dev:iface(ifname):set_up(true)
end

local function set_of(list)
	local s = {}
	for _, d in ipairs(list) do s[netsim.dev(d).name] = true end
	return s
end

--- chaos.partition(a, b): cut every link that joins a device of list a with one of list b.
--- Returns a partition {links = {...}, heal = fn}; chaos.heal(p) restores the links.
function chaos.partition(a, b)
	local sa, sb = set_of(a), set_of(b)
	local net = net_of(netsim.dev(a[1]))
	local cut, names = {}, {}
	for _, l in ipairs(net:links()) do
		local ina, inb = false, false
		for _, d in ipairs(l:devices()) do
			if sa[d.name] then ina = true end
			if sb[d.name] then inb = true end
		end
		if ina and inb and l.up then
			cut[#cut + 1] = l
			names[#names + 1] = l.name
		end
	end
	local la, lb = {}, {}
	for k in pairs(sa) do la[#la + 1] = k end
	for k in pairs(sb) do lb[#lb + 1] = k end
	chaos.log(net, ("partition {%s} | {%s}: %d link%s cut"):format(table.concat(la, ","),
		table.concat(lb, ","), #cut, #cut == 1 and "" or "s"))
	for _, l in ipairs(cut) do l:set_up(false) end
	local p = {links = cut, net = net}
	p.heal = function() return chaos.heal(p) end
	return p
end

function chaos.heal(p)
	if p.healed then return p end
	p.healed = true
	chaos.log(p.net, ("heal partition: %d link%s up"):format(#p.links, #p.links == 1 and "" or "s"))
	for _, l in ipairs(p.links) do l:set_up(true) end
	return p
end

--- chaos.random_failures{net =, rate = 2, duration = "500ms", window = "10s", start = 0,
---     links = {...} | nil (all), nodes = false | true | {...}}
--- Failures arrive as a Poisson process of `rate` per second during `window`; each takes a
--- random link (or device, when nodes are allowed) that is up, and restores it after
--- `duration`. Returns {failures = {{time, kind, name}...}, stop = fn}.
function chaos.random_failures(opts)
	opts = opts or {}
	local net = opts.net or netsim.current()
	local rate = opts.rate or 1
	if type(rate) ~= "number" or rate <= 0 then error("chaos.random_failures: rate is failures per second (> 0)", 2) end
	local dur = core.time(opts.duration or "500ms")
	local window = core.time(opts.window or "10s")
	local t0 = net:now() + core.time(opts.start or 0)
	local links = opts.links or net:links()
	local nodes = {}
	if opts.nodes == true then
		for _, d in ipairs(net:devices()) do if d.type == "router" then nodes[#nodes + 1] = d end end
	elseif type(opts.nodes) == "table" then
		for _, d in ipairs(opts.nodes) do nodes[#nodes + 1] = netsim.dev(d) end
	end
	local state = {failures = {}, stopped = false}
	local function next_gap()
		-- Exponential inter-arrival times, in milliseconds.
		return -math.log(1 - math.random()) / rate * 1000
	end
	local function fail()
		if state.stopped then return end
		local cands = {}
		for _, l in ipairs(links) do if l.up then cands[#cands + 1] = {"link", l} end end
		for _, d in ipairs(nodes) do if d.up then cands[#cands + 1] = {"node", d} end end
		if #cands > 0 then
			local c = cands[math.random(#cands)]
			state.failures[#state.failures + 1] = {time = net:now(), kind = c[1], name = c[2].name}
			if c[1] == "link" then
				chaos.link_down(c[2])
				net:after(dur, function() chaos.link_up(c[2]) end)
			else
				chaos.crash(c[2], {duration = dur})
			end
		end
		local gap = next_gap()
		if net:now() + gap < t0 + window then net:after(gap, fail) end
	end
	local first = next_gap()
	if first < window then net:at(t0 + first, fail) end
	state.stop = function() state.stopped = true end
	return state
end

return chaos
