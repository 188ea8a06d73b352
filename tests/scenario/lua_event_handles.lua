-- lua_event_handles.lua: the device and interface handles an event carries are the
-- same handles as net.r1 and net.r1.eth0 (full "device:interface" names), whichever
-- comes first: a topology loaded from YAML has no handle before the first event.
-- Run by tests/scenario/lua-run.sh through `netsim test tests/scenario`.
local net = netsim.load("topologies/ospf-triangle.yaml")
local first
net:on("adjacency_change", function(ev)
	first = first or ev
end)
net:run_until_converged{timeout = "2m"}
expect.truthy(first, "an adjacency_change event")
local name = first.device.name .. ":" .. first.interface.name
expect.equal(first.interface.fullname, name)
expect.equal(tostring(first.interface), "interface " .. name)
expect.truthy(rawequal(first.interface, net[first.device.name][first.interface.name]),
	"the event's interface handle is the device's")
