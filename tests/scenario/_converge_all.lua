-- _converge_all.lua FILE...: loads each topology and runs it until it
-- converges, in one netsim process (hundreds of imported maps start in a
-- fraction of the time one process each takes). Prints one line per file,
-- "converged N ms FILE" or "NOT CONVERGED FILE", and fails on the latter.
local failed = 0
for _, path in ipairs(netsim.args) do
	local net = netsim.load(path)
	local r = net:run_until_converged{timeout = "10m"}
	if r.converged then
		print(string.format("converged %s ms %s", r.time, path))
	else
		print("NOT CONVERGED " .. path)
		failed = failed + 1
	end
end
print(string.format("%d of %d converged", #netsim.args - failed, #netsim.args))
expect.equal(failed, 0, "networks that did not converge")
