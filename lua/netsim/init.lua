-- netsim: the Lua standard library of netsim (embedded in the binary; docs/lua-api.md).
--
-- The C core (netsim.core, src/script/) provides the primitives: networks,
-- handles to devices, interfaces and links, time, events, commands. This
-- module adds the friendly layer: the topology DSL (net:router, dev:interface,
-- net:link), time helpers, configuration helpers, a value printer for the
-- console, and deterministic pairs().

local core = require "netsim.core"
local T = core.types
local Network, Device, Interface = T.Network, T.Device, T.Interface

local rawnext = next
local netsim = {}
for k, v in rawnext, core do
	if k ~= "types" then netsim[k] = v end
end
netsim.types = T

-- Deterministic pairs ------------------------------------------------------------------------
-- Lua's string hash seed changes from run to run, so next() order does too.
-- pairs() in netsim visits keys sorted: numbers, then strings, then the rest
-- by their tostring(). Tables with a __pairs metamethod keep it.

local type_rank = {number = 1, string = 2, boolean = 3}

local function key_less(a, b)
	local ta, tb = type(a), type(b)
	if ta ~= tb then
		return (type_rank[ta] or 9) < (type_rank[tb] or 9) or
			((type_rank[ta] or 9) == (type_rank[tb] or 9) and ta < tb)
	end
	if ta == "number" or ta == "string" then return a < b end
	if ta == "boolean" then return (not a) and b end
	return tostring(a) < tostring(b)
end

function netsim.spairs(t)
	local mt = getmetatable(t)
	if mt and mt.__pairs then return mt.__pairs(t) end
	local keys, n = {}, 0
	for k in rawnext, t do
		n = n + 1
		keys[n] = k
	end
	table.sort(keys, key_less)
	local i = 0
	return function()
		i = i + 1
		local k = keys[i]
		if k ~= nil then return k, rawget(t, k) end
	end, t, nil
end
pairs = netsim.spairs

-- Networks -----------------------------------------------------------------------------------

local function where()
	local _, line = core.where()
	return line
end

-- The description of a network that is not built yet, or an error.
local function spec_of(net, what)
	if net.built then
		error(("network '%s' is already built: %s before it starts (net:run(), " ..
			"dev:cmd(), ...)"):format(net.name, what), 3)
	end
	return net.data.spec, net.data
end

local function copy_into(dst, src)
	for k, v in rawnext, src or {} do dst[k] = v end
	return dst
end

--- netsim.network(name [, {seed=, description=}]) or netsim.network{name=, devices=, links=, ...}
function netsim.network(name, opts)
	local whole
	if type(name) == "table" then
		whole, name = name, name.name
	end
	local net = core.network(name or "network")
	local d = net.data
	d.file, d.line = core.where()
	d.pos = setmetatable({}, {__mode = "k"})
	if whole then
		d.spec = whole
		whole.devices = whole.devices or {}
		whole.links = whole.links or {}
	else
		d.spec = copy_into({name = name or "network", devices = {}, links = {}}, opts)
	end
	d.pos[d.spec] = d.line
	return net
end

--- netsim.load(path [, {script = false}]): a YAML topology (its `script:` entries run only
--- with script = true), or a .lua topology run in topology mode.
function netsim.load(path, opts)
	return core.load(path, opts)
end

--- netsim.current(): the network created or loaded last (the console's `net`).
netsim.current = core.current

local function add_device(net, kind, name, opts)
	local sp, d = spec_of(net, "devices are added")
	if type(name) ~= "string" then error("expected a device name", 3) end
	opts = opts or {}
	local dev = {name = name, type = kind}
	for k, v in rawnext, opts do
		if k ~= "ip" and k ~= "gateway" and k ~= "interface" then dev[k] = v end
	end
	d.pos[dev] = where()
	-- Shorthand for hosts (and anything with one interface): {ip = ..., gateway = ...}.
	if opts.ip then
		local itf = {name = opts.interface or "eth0", ip = opts.ip, gateway = opts.gateway}
		d.pos[itf] = d.pos[dev]
		dev.interfaces = dev.interfaces or {}
		table.insert(dev.interfaces, 1, itf)
	elseif opts.gateway then
		error("'gateway' goes with 'ip' (or on an interface)", 3)
	end
	sp.devices[#sp.devices + 1] = dev
	return core.node_handle(net, #sp.devices - 1, name)
end

--- net:router(name, opts), net:host(name, opts), net:switch(name, opts)
function Network:router(name, opts) return add_device(self, "router", name, opts) end
function Network:host(name, opts) return add_device(self, "host", name, opts) end
function Network:switch(name, opts) return add_device(self, "switch", name, opts) end

local c_device = Network.device
--- net:device(name) -> device (error if none); net:device(name, true) -> device or nil;
--- net:device(name, {type = ..., ...}) describes one (before the network is built).
function Network:device(name, opts)
	if type(opts) == "table" then
		return add_device(self, opts.type or "router", name, opts)
	end
	if not self.built then
		local dev = self[name]
		if dev == nil and not opts then
			error(("network '%s' has no device '%s'"):format(self.name, tostring(name)), 2)
		end
		return dev
	end
	return c_device(self, name, opts)
end

local function endpoint_name(x)
	if type(x) == "string" then return x end
	local ok, full = pcall(function() return x.fullname end)
	if ok and full then return full end
	error("a link endpoint is \"device:interface\" or an interface", 4)
end

--- net:link("r1:eth0", "r2:eth0" [, {delay=, loss=, bandwidth=, up=}]) describes a link;
--- net:link({"s1:p1", "r1:eth0", ...}, opts) a shared segment. Once built: finds the
--- link between two devices or interfaces.
function Network:link(a, b, opts)
	if self.built then
		if type(a) == "table" and getmetatable(a) == nil then
			error("the network is built: links are described before it starts", 2)
		end
		local l = self:_find_link(a, b)
		if l == nil then
			error(("no link between %s and %s"):format(tostring(a), tostring(b)), 2)
		end
		return l
	end
	local sp, d = spec_of(self, "links are added")
	local ends
	if type(a) == "table" and getmetatable(a) == nil then
		ends, opts = a, b
	else
		ends = {a, b}
	end
	local eps, names = {}, {}
	for i, e in ipairs(ends) do
		eps[i] = endpoint_name(e)
		names[i] = eps[i]
	end
	local l = copy_into({endpoints = eps}, opts)
	d.pos[l] = where()
	sp.links[#sp.links + 1] = l
	return core.link_handle(self, #sp.links - 1, table.concat(names, "--"))
end

--- net:run_for(duration), net:run_to(time): shorthands of net:run{duration=}, net:run{to=}.
function Network:run_for(d) return self:run{duration = d} end
function Network:run_to(t) return self:run{to = t} end

--- net:endpoints(): the hosts (or the routers when there are fewer than two hosts).
function Network:endpoints()
	local hosts, routers = {}, {}
	for _, dev in ipairs(self:devices()) do
		if dev.type == "host" then hosts[#hosts + 1] = dev
		elseif dev.type == "router" then routers[#routers + 1] = dev end
	end
	return #hosts > 1 and hosts or routers
end

-- Devices ------------------------------------------------------------------------------------

--- dev:interface(name, {ip=, ospf=, ...}) describes an interface; once built, finds it.
function Device:interface(name, opts)
	local net = self.network
	if net.built then
		if opts ~= nil then
			error(("network '%s' is already built: interfaces are described before it starts")
				:format(net.name), 2)
		end
		return self:iface(name)
	end
	local sp, d = spec_of(net, "interfaces are added")
	local id = core.id(self)
	local dev = sp.devices[id + 1]
	dev.interfaces = dev.interfaces or {}
	local itf = copy_into({name = name}, opts)
	d.pos[itf] = where()
	dev.interfaces[#dev.interfaces + 1] = itf
	return core.iface_handle(net, id, #dev.interfaces - 1, self.name .. ":" .. name)
end

--- dev:configure(protocol, block): a protocol's device-level configuration (before the build).
function Device:configure(proto, block)
	local sp, d = spec_of(self.network, "protocols are configured")
	local dev = sp.devices[core.id(self) + 1]
	dev[proto] = block
	d.pos[block] = where()
	return self
end

local function fail_cmd(what, r)
	local msg = (r.error ~= "" and r.error or r.output):gsub("^%% ", ""):gsub("\n$", "")
	error(("%s failed: %s"):format(what, msg), 3)
end

--- dev:route_add(prefix, {via=, interface=, distance=, blackhole=, vrf=}): a static route, before
--- the build (static_routes:) or at run time (`route add`).
function Device:route_add(prefix, opts)
	opts = type(opts) == "string" and {via = opts} or (opts or {})
	local net = self.network
	if not net.built then
		local sp, d = spec_of(net, "routes are added")
		local dev = sp.devices[core.id(self) + 1]
		dev.static_routes = dev.static_routes or {}
		local r = copy_into({prefix = prefix}, opts)
		d.pos[r] = where()
		dev.static_routes[#dev.static_routes + 1] = r
		return self
	end
	local line = "route add " .. prefix
	if opts.blackhole then line = line .. " blackhole" end
	if opts.via then line = line .. " via " .. opts.via end
	if opts.interface then line = line .. " dev " .. opts.interface end
	if opts.distance then line = line .. " distance " .. opts.distance end
	if opts.vrf then line = line .. " vrf " .. opts.vrf end
	net:mark()
	local r = self:exec(line)
	if not r.ok then fail_cmd(line, r) end
	return self
end

function Device:route_del(prefix, opts)
	local line = "route del " .. prefix
	if opts and opts.vrf then line = line .. " vrf " .. opts.vrf end
	self.network:mark()
	local r = self:exec(line)
	if not r.ok then fail_cmd(line, r) end
	return self
end

--- dev:shutdown(ifname), dev:no_shutdown(ifname): interface administrative state.
function Device:shutdown(ifname) self:iface(ifname):set_up(false); return self end
function Device:no_shutdown(ifname) self:iface(ifname):set_up(true); return self end

--- dev:crash() / dev:restore(): the device loses all state / boots again.
function Device:crash() self:set_up(false); return self end
function Device:restore() self:set_up(true); return self end

--- dev:restart_protocol(name): stop and start one protocol instance (a process restart).
function Device:restart_protocol(name)
	self:stop_protocol(name)
	self:start_protocol(name)
	return self
end

--- dev:neighbors(): devices at the far end of each up point-to-point link.
function Device:neighbors()
	local out = {}
	for _, itf in ipairs(self:interfaces()) do
		local peer = itf.peer
		if peer and itf.up then out[#out + 1] = peer.device end
	end
	return out
end

function Interface:shutdown() self:set_up(false); return self end
function Interface:no_shutdown() self:set_up(true); return self end

-- A device given as a handle or a name (of the current network).
function netsim.dev(x)
	if type(x) == "string" then
		local net = core.current()
		if net == nil then error("no network: load or build one first", 3) end
		return net:device(x)
	end
	return x
end

-- Time ---------------------------------------------------------------------------------------

--- netsim.now(): simulated time of the current network, in milliseconds.
function netsim.now()
	local net = core.current()
	return net and net:now() or 0
end

--- netsim.array(t) -> t: a list that netsim.json writes as [] even when it is empty.
local array_mt = {__jsonarray = true}
function netsim.array(t) return setmetatable(t or {}, array_mt) end

--- netsim.ms("2s") -> 2000: a duration in milliseconds.
netsim.ms = core.time

-- Values for people ---------------------------------------------------------------------------

local function is_ident(s)
	return type(s) == "string" and s:match("^[%a_][%w_]*$") ~= nil
end

local function inspect(v, depth, seen, indent, compact)
	local t = type(v)
	if t == "string" then return depth == 0 and v or string.format("%q", v) end
	if t ~= "table" then
		if v == core.null then return "null" end
		return tostring(v)
	end
	if seen[v] then return "<cycle>" end
	if depth > 4 then return "{...}" end
	seen[v] = true
	local parts, n = {}, #v
	for i = 1, n do parts[#parts + 1] = inspect(v[i], depth + 1, seen, indent .. "  ", compact) end
	for k, x in netsim.spairs(v) do
		if not (math.type(k) == "integer" and k >= 1 and k <= n) then
			local key = is_ident(k) and k or "[" .. inspect(k, depth + 1, seen, "", true) .. "]"
			parts[#parts + 1] = key .. " = " .. inspect(x, depth + 1, seen, indent .. "  ", compact)
		end
	end
	seen[v] = nil
	if #parts == 0 then return "{}" end
	local one = "{" .. table.concat(parts, ", ") .. "}"
	if compact or #one + #indent <= 80 then return one end
	return "{\n" .. indent .. "  " .. table.concat(parts, ",\n" .. indent .. "  ") .. "\n" ..
		indent .. "}"
end

--- netsim.inspect(value [, {compact = true}]): a readable rendering (strings at top level raw).
function netsim.inspect(v, opts)
	return inspect(v, opts and opts.quote and 1 or 0, {}, "", opts and opts.compact)
end

--- netsim.table(rows, columns): rows (tables) as an aligned text table; columns = {"k", ...}
--- or {{"k", "Title"}, ...}.
function netsim.table(rows, columns)
	local heads, keys = {}, {}
	for i, c in ipairs(columns) do
		if type(c) == "table" then keys[i], heads[i] = c[1], c[2] else keys[i], heads[i] = c, c end
	end
	local width, cells = {}, {}
	for i, h in ipairs(heads) do width[i] = #h end
	for r, row in ipairs(rows) do
		cells[r] = {}
		for i, k in ipairs(keys) do
			local v = row[k]
			local s = v == nil and "-" or (math.type(v) == "float" and string.format("%.3f", v)
				:gsub("0+$", ""):gsub("%.$", "") or tostring(v))
			cells[r][i] = s
			if #s > width[i] then width[i] = #s end
		end
	end
	local out = {}
	local function line(vals)
		local p = {}
		for i, s in ipairs(vals) do
			p[i] = i == #vals and s or s .. string.rep(" ", width[i] - #s)
		end
		out[#out + 1] = table.concat(p, "  ")
	end
	line(heads)
	local rule = {}
	for i = 1, #heads do rule[i] = string.rep("-", width[i]) end
	line(rule)
	for _, c in ipairs(cells) do line(c) end
	return table.concat(out, "\n")
end

-- Hooks of YAML topologies, and the console environment ---------------------------------------

local event_kinds = {
	log = true, converged = true, route_change = true, adjacency_change = true,
	link_down = true, link_up = true, interface_down = true, interface_up = true,
	node_down = true, node_up = true, chaos = true,
}

--- The environment of YAML hooks, `lua:` entries and the console: globals, `net`, devices.
function netsim._env(net)
	return setmetatable({net = net}, {
		__index = function(_, k)
			local v = _G[k]
			if v ~= nil then return v end
			if type(k) == "string" then return net:_dev(k) end
		end,
		__newindex = _G,
	})
end

function netsim._attach(net, hooks, file, yaml)
	local env = netsim._env(net)
	for i = 1, #hooks, 2 do
		local name, code = hooks[i], hooks[i + 1]
		if not event_kinds[name] then
			error(("%s: hooks: unknown event '%s' (expected converged, route_change, " ..
				"adjacency_change, link_down, link_up, interface_down, interface_up, " ..
				"node_down, node_up or chaos)"):format(yaml, name), 0)
		end
		local fn, err = load("local event = ...; " .. code, "=" .. yaml .. ":hooks." .. name, "t", env)
		if not fn then error(err, 0) end
		net:on(name, fn)
	end
	if file then
		local fn, err = core.loadfile(file, env)
		if not fn then error(err, 0) end
		fn(net)
	end
end

function netsim._item(net, code, name, dev)
	local fn, err = load("local dev = ...; " .. code, name, "t", netsim._env(net))
	if not fn then error(err, 0) end
	fn(dev)
end

-- Completion for the console: the candidates for the expression at the end of prefix.
local function fields_of(v)
	local out = {}
	local t = type(v)
	if t == "table" then
		for k in rawnext, v do
			if type(k) == "string" then out[k] = true end
		end
		local mt = getmetatable(v)
		if mt and type(mt.__index) == "table" then
			for k in rawnext, mt.__index do
				if type(k) == "string" then out[k] = true end
			end
		end
	elseif t == "userdata" then
		local methods = T[core.typeof(v) or ""]
		for k in rawnext, methods or {} do out[k] = true end
		local ok, devs = pcall(function()
			if tostring(v):match("^network ") then return v:devices() end
			if tostring(v):match("^device ") then return v:interfaces() end
		end)
		if ok and devs then
			for _, d in ipairs(devs) do out[d.name] = true end
		end
		for _, p in ipairs({"name", "type", "up", "converged", "address", "ip", "prefix",
			"device", "link", "peer", "network", "delay", "loss", "router_id"}) do
			local ok2, x = pcall(function() return v[p] end)
			if ok2 and x ~= nil and type(x) ~= "function" then out[p] = true end
		end
	end
	return out
end

function netsim._complete(prefix, env)
	local expr = prefix:match("[%w_%.:]*$") or ""
	local head = prefix:sub(1, #prefix - #expr)
	local base, sep, partial = expr:match("^(.*)([%.:])([%w_]*)$")
	local out, names = {}, {}
	if base == nil then
		partial = expr
		for k in rawnext, env do if type(k) == "string" then names[k] = true end end
		for k in rawnext, _G do if type(k) == "string" then names[k] = true end end
		local net = rawget(env, "net")
		if net then
			local ok, devs = pcall(net.devices, net)
			if ok then for _, d in ipairs(devs) do names[d.name] = true end end
		end
		for _, kw in ipairs({"and", "break", "do", "else", "elseif", "end", "false", "for",
			"function", "if", "in", "local", "nil", "not", "or", "repeat", "return", "then",
			"true", "until", "while"}) do names[kw] = true end
		base, sep = "", ""
	else
		local v = env
		for part in base:gmatch("[^%.:]+") do
			local ok, x = pcall(function() return v[part] end)
			if not ok or x == nil then return {} end
			v = x
		end
		local fields = fields_of(v)
		for k in rawnext, fields do
			if sep == "." then
				names[k] = true
			else
				local ok, x = pcall(function() return v[k] end)
				if ok and type(x) == "function" then names[k] = true end
			end
		end
	end
	-- Private names (net:_find_link, chaos._x) are not offered; Lua's own _G and
	-- _VERSION are, once the underscore is typed.
	local hide_private = sep ~= "" or partial:sub(1, 1) ~= "_"
	for k in rawnext, names do
		if k:sub(1, #partial) == partial and (k:match("^[%a_][%w_]*$")) and
			not (hide_private and k:sub(1, 1) == "_") then
			out[#out + 1] = head .. base .. sep .. k
		end
	end
	table.sort(out)
	return out
end

return netsim
