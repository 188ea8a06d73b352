-- Does not compile: exit 2.
local x = = 1
