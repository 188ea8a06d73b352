-- A Lua error at the top of a scenario: file:line, a traceback, exit 1.
local function helper(t)
	return t.missing.field
end
local net = netsim.network("x")
net:router("r1")
helper({})
