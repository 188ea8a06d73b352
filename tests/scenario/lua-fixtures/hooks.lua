-- Loaded after the topology of hooks.yaml is built: `net` and the devices are in scope.
netsim.command("show fabric summary", function(dev, args, ctx)
	local up = 0
	for _, l in ipairs(net:links()) do if l.up then up = up + 1 end end
	return ("%s: %d of %d links up"):format(dev and dev.name or "network", up, #net:links())
end, {help = "how many links are up", on = {"router", "network"}})
print("hooks.lua loaded for " .. net.name .. " with " .. #net:devices() .. " devices")
