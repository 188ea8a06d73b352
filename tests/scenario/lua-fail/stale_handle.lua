-- A handle to a device of a closed network raises a clear error.
local net = netsim.load("../_square.lua")
local r1 = net.a
net:close()
print(r1.name)
