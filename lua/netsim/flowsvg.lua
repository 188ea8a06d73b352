-- netsim.flowsvg: an SVG timeline of one failure of a sweep (netsim sweep --svg;
-- docs/experiments.md): a row per flow hit (worst outage first), green while it delivered,
-- red during its outages, and the FIB walk's loops (purple) and black holes (grey) over
-- it; the failure, the control plane's convergence and every FIB change as marks on the
-- time axis. Each mark and interval has a <title> (a tooltip) with its figures.

local flowsvg = {}

local W, LABEL, ROW, TOP, MAXROWS = 960, 130, 18, 60, 60

local function esc(s)
	return (tostring(s):gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;"))
end

local function num(v) return ("%.1f"):format(v) end

--- flowsvg.render(row) -> SVG text, row: a sweep row kept with opts.timeline.
function flowsvg.render(row)
	local tl = row.timeline
	local t0, t1 = tl.start, tl.stop
	if t1 <= t0 then t1 = t0 + 1 end
	local function x(t)
		if t < t0 then t = t0 elseif t > t1 then t = t1 end
		return LABEL + (t - t0) / (t1 - t0) * (W - LABEL - 10)
	end
	local flows = {}
	for _, f in ipairs(tl.flows) do
		if #f.outages > 0 or #f.walk > 0 or f.lost > 0 then flows[#flows + 1] = f end
	end
	table.sort(flows, function(a, b)
		if a.worst_outage ~= b.worst_outage then return a.worst_outage > b.worst_outage end
		return a.src .. a.dst < b.src .. b.dst
	end)
	local shown = math.min(#flows, MAXROWS)
	local h = TOP + shown * ROW + 50
	local out = {}
	local function add(s, ...) out[#out + 1] = s:format(...) end
	add('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">', W, h)
	add('<title>%s</title>', esc(row.failure))
	add('<rect width="%d" height="%d" fill="white"/>', W, h)
	add('<text x="10" y="16" font-size="13" font-weight="bold">%s: %d of %d flows hit, worst outage %sms</text>',
		esc(row.failure), row.flows_hit, row.flows, row.worst_outage_ms)
	add('<text x="10" y="32" fill="#555">green: delivering; red: outage; purple: FIB walk loops; grey: FIB walk black hole; ticks: FIB changes</text>')
	-- FIB changes, the failure and convergence on the axis.
	for _, c in ipairs(tl.fib_changes) do
		add('<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#888"><title>%s FIB change at %sms</title></line>',
			num(x(c.time)), TOP - 12, num(x(c.time)), TOP - 4, esc(c.device), ("%g"):format(c.time - tl.failed_at))
	end
	local ybottom = TOP + shown * ROW
	add('<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="black" stroke-dasharray="4 2"><title>failure</title></line>',
		num(x(tl.failed_at)), TOP - 16, num(x(tl.failed_at)), ybottom)
	add('<text x="%s" y="%d" text-anchor="middle">failure</text>', num(x(tl.failed_at)), TOP - 20)
	if tl.converged_at then
		add('<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="blue" stroke-dasharray="4 2"><title>control plane converged %sms after the failure</title></line>',
			num(x(tl.converged_at)), TOP - 16, num(x(tl.converged_at)), ybottom, tl.converged_at - tl.failed_at)
		add('<text x="%s" y="%d" text-anchor="middle" fill="blue">converged</text>', num(x(tl.converged_at)), TOP - 20)
	end
	for i = 1, shown do
		local f, y = flows[i], TOP + (i - 1) * ROW
		add('<text x="%d" y="%d">%s</text>', 10, y + 12, esc(f.src .. " -> " .. f.dst))
		add('<rect x="%s" y="%d" width="%s" height="%d" fill="#8c8"/>', num(x(t0)), y + 2,
			num(x(t1) - x(t0)), ROW - 4)
		for _, o in ipairs(f.outages) do
			add('<rect x="%s" y="%d" width="%s" height="%d" fill="#d33"><title>%s -> %s: down %sms (%d probes)%s</title></rect>',
				num(x(o.from)), y + 2, num(math.max(1, x(o.to) - x(o.from))), ROW - 4, esc(f.src), esc(f.dst),
				o.ms, o.probes, o.open and ", never recovered" or "")
		end
		for _, w in ipairs(f.walk) do
			add('<rect x="%s" y="%d" width="%s" height="%d" fill="%s"><title>%s: %s %sms</title></rect>',
				num(x(w.from)), y + ROW - 7, num(math.max(1, x(w.to) - x(w.from))), 4,
				w.kind == "loop" and "#93c" or "#777", esc(w.kind), esc(table.concat(w.routers, " ")), w.ms)
		end
	end
	if #flows > shown then
		add('<text x="10" y="%d" fill="#555">... and %d more flows</text>', ybottom + 14, #flows - shown)
	end
	-- The time axis, in ms from the failure.
	local span = t1 - t0
	local step = 10 ^ math.floor(math.log(span / 5, 10))
	if span / step > 10 then step = step * 2 end
	if span / step > 10 then step = step * 2.5 end
	local first = math.ceil((t0 - tl.failed_at) / step) * step
	for v = first, t1 - tl.failed_at, step do
		local xx = x(tl.failed_at + v)
		add('<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#ccc"/>', num(xx), ybottom + 20, num(xx), ybottom + 26)
		add('<text x="%s" y="%d" text-anchor="middle" fill="#555">%s</text>', num(xx), ybottom + 38,
			(("%g"):format(v)) .. "ms")
	end
	add('</svg>')
	return table.concat(out, "\n") .. "\n"
end

return flowsvg
