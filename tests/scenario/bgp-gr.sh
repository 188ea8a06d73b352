# BGP graceful restart (RFC 4724) and maximum-prefix (RFC 4486): h1 - r1 - r2 - r3 - h2, an
# eBGP chain. `restart bgp` on r2 with graceful restart: a ping h1 -> h2 every 10 ms loses
# nothing, r1 and r3 keep r2's routes stale until its End-of-RIB; without it, pings are lost.
# r2's BGP stopped for good: the helpers and r2's RIB drop the routes after the Restart Time.
# r3 gone while r2 restarts: r2 selects after select_defer_time.
# r2 crashing (forwarding lost): its OPEN lacks the F bit and r1 drops the stale routes at
# once. The capability in the pcap through pcapcheck and tshark. A neighbor over its
# maximum-prefix limit: Cease/Maximum Number of Prefixes Reached with RFC 4486's data, Idle.
. tests/scenario/lib.inc

cat >"$TMP/gr.yaml" <<'EOF'
name: bgp-gr
timers: fast
devices:
  - name: h1
    type: host
    interfaces: [{name: eth0, ip: 10.0.1.10/24, gateway: 10.0.1.1}]
  - name: r1
    router_id: 1.1.1.1
    interfaces:
      - {name: eth0, ip: 10.0.1.1/24}
      - {name: eth1, ip: 10.0.12.1/24}
    bgp:
      as: 65001
      graceful_restart: true
      networks: ["10.0.1.0/24"]
      neighbors: [{ip: 10.0.12.2, remote_as: 65002}]
  - name: r2
    router_id: 2.2.2.2
    interfaces:
      - {name: eth0, ip: 10.0.12.2/24}
      - {name: eth1, ip: 10.0.23.2/24}
    bgp:
      as: 65002
      graceful_restart: true
      restart_time: 4
      select_defer_time: 2
      neighbors: [{ip: 10.0.12.1, remote_as: 65001}, {ip: 10.0.23.3, remote_as: 65003}]
  - name: r3
    router_id: 3.3.3.3
    interfaces:
      - {name: eth0, ip: 10.0.23.3/24}
      - {name: eth1, ip: 10.0.3.1/24}
    bgp:
      as: 65003
      graceful_restart: true
      networks: ["10.0.3.0/24"]
      neighbors: [{ip: 10.0.23.2, remote_as: 65002}]
  - name: h2
    type: host
    interfaces: [{name: eth0, ip: 10.0.3.10/24, gateway: 10.0.3.1}]
links:
  - endpoints: [h1:eth0, r1:eth0]
  - endpoints: [r1:eth1, r2:eth0]
  - endpoints: [r2:eth1, r3:eth0]
  - endpoints: [r3:eth1, h2:eth0]
EOF
sed 's/graceful_restart: true/graceful_restart: false/' "$TMP/gr.yaml" >"$TMP/nogr.yaml"
grep -q "graceful_restart: false" "$TMP/nogr.yaml" || fail "nogr.yaml"
# A switch between r1 and r2: r2 crashing does not take r1's interface down (which would end
# the session at once, FRR's fast-external-failover, without graceful restart).
awk '{ print } /^devices:/ { print "  - {name: sw, type: switch, interfaces: [{name: p1}, {name: p2}]}" }' \
	"$TMP/gr.yaml" | sed 's/  - endpoints: \[r1:eth1, r2:eth0\]/  - endpoints: [r1:eth1, sw:p1]\n  - endpoints: [sw:p2, r2:eth0]/' \
	>"$TMP/sw.yaml"
grep -q "sw:p2" "$TMP/sw.yaml" || fail "sw.yaml"

cat >"$TMP/gr.lua" <<'EOF'
local net = netsim.load(netsim.args[1])
local mode = netsim.args[2]
net:run()
net:run{duration = "1s"}
-- The path's flags: nil when the prefix is not in dev's table, else whether it is stale.
local function stale(dev, pfx)
	local r = net[dev]:cmd_json("show bgp json").routes[pfx]
	return r and (r[1].stale == true)
end
local function nbr(dev, ip) return net[dev]:cmd_json("show bgp neighbors " .. ip .. " json")[ip] end
expect.equal(stale("r1", "10.0.3.0/24"), false, "r1 learned 10.0.3.0/24, not stale")
if mode == "restart" or mode == "nogr" then
	local s = net.h1:ping_stream("10.0.3.10", {interval = "10ms", duration = "5s"})
	net:run{duration = "500ms"}
	if mode == "restart" then
		expect.truthy(net.r2:cmd("restart bgp now"):find("takes no arguments"), "no arguments")
		expect.truthy(net.h1:cmd("restart bgp"):find("not available on h1"), "h1 runs no BGP")
		expect.equal(net.r2:cmd("restart bgp"), "", "restart bgp")
		net:run{duration = "20ms"}
		expect.equal(stale("r1", "10.0.3.0/24"), true, "r1 keeps r2's path, stale")
		expect.equal(stale("r3", "10.0.1.0/24"), true, "r3 keeps r2's path, stale")
		expect.equal(nbr("r1", "10.0.12.2").lastResetDueTo, "NSF peer closed the session")
		expect.route("r2", "10.0.3.0/24", {nexthop = "10.0.23.3"})
		net:run{duration = "3s"}
		expect.equal(stale("r1", "10.0.3.0/24"), false, "refreshed: no longer stale")
		expect.equal(stale("r3", "10.0.1.0/24"), false, "refreshed: no longer stale")
		local gr = nbr("r1", "10.0.12.2").gracefulRestartInfo
		expect.equal(gr.localGrMode, "Restart*")
		expect.equal(gr.remoteGrMode, "Restart")
		expect.equal(gr.rBit, true, "r2's OPEN after its restart has the R bit")
		expect.equal(gr.ipv4Unicast.fBit, true, "r2 kept its forwarding state")
		expect.equal(gr.ipv4Unicast.endOfRibStatus.endOfRibRecv, true)
		expect.equal(gr.ipv4Unicast.endOfRibStatus.endOfRibSend, true)
		local r2 = nbr("r2", "10.0.12.1").gracefulRestartInfo
		expect.equal(r2.ipv4Unicast.endOfRibStatus.endOfRibSentAfterUpdate, true)
	else
		chaos.restart("r2", "bgp")
		net:run{duration = "20ms"}
		expect.equal(stale("r1", "10.0.3.0/24"), nil, "without graceful restart r1 withdraws")
		expect.equal(nbr("r1", "10.0.12.2").gracefulRestartInfo.localGrMode, "Helper*",
			"graceful_restart: false on the device: FRR's default helper mode")
		net:run{duration = "3s"}
	end
	net:run{duration = "2s"}
	local st = s:stats()
	expect.at_least(st.sent, 450)
	print(("pings: %d sent, %d lost"):format(st.sent, st.lost))
	if mode == "restart" then expect.equal(st.lost, 0, "no ping lost") end
	if mode == "nogr" then expect.at_least(st.lost, 1) end
elseif mode == "gone" then
	-- r2's BGP stops and stays down: r1 waits r2's Restart Time (4 s), r2's RIB as long.
	net.r2:stop_protocol("bgp")
	net:run{duration = "3s"}
	expect.equal(stale("r1", "10.0.3.0/24"), true, "still kept at 3 s")
	expect.truthy(nbr("r1", "10.0.12.2").gracefulRestartInfo.timers.restartTimerRemaining ~= nil)
	expect.equal(net.h1:ping("10.0.3.10", {count = 1}).received, 1, "forwarding goes on")
	net:run{duration = "1500ms"}
	expect.equal(stale("r1", "10.0.3.0/24"), nil, "purged after the Restart Time")
	expect.equal(stale("r3", "10.0.1.0/24"), nil, "purged after the Restart Time")
	expect.no_route("r2", "10.0.3.0/24")
	expect.equal(net.h1:ping("10.0.3.10", {count = 1}).received, 0, "no route any more")
elseif mode == "defer" then
	-- r3's BGP stops as r2 restarts: r2 waits for r3's End-of-RIB until select_defer_time
	-- (2 s), forwarding on its kept routes, then selects without r3's and removes them.
	net.r2:cmd("restart bgp")
	net.r3:stop_protocol("bgp")
	net:run{duration = "1500ms"} -- r1 is back after its IdleHold (1 s)
	local r2 = nbr("r2", "10.0.12.1").gracefulRestartInfo
	expect.truthy(r2.ipv4Unicast.timers.selectionDeferralTimerRemaining ~= nil, "deferring")
	expect.equal(r2.ipv4Unicast.endOfRibStatus.endOfRibRecv, true, "r1's End-of-RIB came")
	expect.equal(r2.ipv4Unicast.endOfRibStatus.endOfRibSend, false, "ours waits")
	local r = net.r2:cmd_json("show bgp json").routes["10.0.1.0/24"]
	expect.truthy(r ~= nil and r[1].bestpath == nil, "r1's path is in, no decision yet")
	expect.route("r2", "10.0.3.0/24", {nexthop = "10.0.23.3"})
	expect.equal(stale("r1", "10.0.3.0/24"), true, "r1 still keeps r2's path")
	net:run{duration = "1500ms"}
	expect.equal(net.r2:cmd_json("show bgp json").routes["10.0.1.0/24"][1].bestpath, true,
		"selected after the deferral")
	expect.no_route("r2", "10.0.3.0/24")
	expect.equal(stale("r1", "10.0.3.0/24"), nil, "r2's End-of-RIB: r1 drops what r2 no longer has")
	expect.equal(nbr("r1", "10.0.12.2").gracefulRestartInfo.ipv4Unicast.endOfRibStatus.endOfRibRecv, true)
elseif mode == "stopcrash" then
	-- BGP stopped (routes kept), then the node crashes and boots: nothing is preserved, so
	-- r2 neither defers nor sets the F bit, and r1 drops the stale path when r2 is back.
	net.r2:stop_protocol("bgp")
	chaos.crash("r2")
	net:run{duration = "100ms"}
	chaos.restore("r2")
	net:run{duration = "3s"}
	local gr = nbr("r1", "10.0.12.2").gracefulRestartInfo
	expect.equal(gr.ipv4Unicast.fBit, false, "no F bit after a crash")
	expect.equal(nbr("r2", "10.0.12.1").gracefulRestartInfo.ipv4Unicast.timers.selectionDeferralTimerRemaining,
		nil, "r2 does not defer")
	expect.route("r2", "10.0.3.0/24", {nexthop = "10.0.23.3"})
	expect.equal(stale("r1", "10.0.3.0/24"), false, "learned again")
elseif mode == "crash" then
	-- A crash loses forwarding: r2's next OPEN has no F bit and r1 drops the stale path when
	-- the session is back, before r2's routes come again.
	local up, purged
	net:on("session_up", function(e) if e.device.name == "r1" then up = up or net:now() end end)
	net:on("bestpath_change", function(e)
		if e.device.name == "r1" and e.prefix == "10.0.3.0/24" and e.nexthop == "none" then
			purged = purged or net:now()
		end
	end)
	chaos.crash("r2", {duration = "500ms"})
	net:run{duration = "15s"}
	expect.truthy(up ~= nil and purged ~= nil, "session back, stale path dropped")
	expect.equal(purged, up, "dropped when the OPEN without the F bit came")
	expect.equal(nbr("r1", "10.0.12.2").gracefulRestartInfo.ipv4Unicast.fBit, false)
	expect.equal(stale("r1", "10.0.3.0/24"), false, "learned again")
end
EOF

run() { # NAME ARGS...: the scenario, its expectations all passed
	name=$1; shift
	"$NETSIM" run "$@" >"$TMP/$name.out" 2>&1 || { cat "$TMP/$name.out"; fail "$name run"; }
	expect_contains "$TMP/$name.out" ", 0 failed"
}
run restart "$TMP/gr.lua" -- "$TMP/gr.yaml" restart
expect_contains "$TMP/restart.out" "pings: 500 sent, 0 lost"
run nogr "$TMP/gr.lua" -- "$TMP/nogr.yaml" nogr
grep -q "pings: [0-9]* sent, [1-9][0-9]* lost" "$TMP/nogr.out" || { cat "$TMP/nogr.out"; fail "pings lost without GR"; }
run gone "$TMP/gr.lua" -- "$TMP/gr.yaml" gone
run defer "$TMP/gr.lua" -- "$TMP/gr.yaml" defer
run crash "$TMP/gr.lua" -- "$TMP/sw.yaml" crash
run stopcrash "$TMP/gr.lua" -- "$TMP/gr.yaml" stopcrash

# The capability on the wire: r2's OPENs after the restart, R and F bits, Restart Time 4.
cat "$TMP/gr.yaml" - >"$TMP/pcap.yaml" <<'EOF'
script:
  - {at: converged + 1s, device: r2, command: restart bgp}
  - {at: converged + 1050ms, device: r1, command: show bgp}
  - {at: converged + 3s, device: r1, command: show ip bgp}
EOF
mkdir -p "$TMP/pcap"
"$NETSIM" run --pcap "$TMP/pcap" "$TMP/pcap.yaml" >"$TMP/pcap.out" 2>&1 || { cat "$TMP/pcap.out"; fail "pcap run"; }
expect_contains "$TMP/pcap.out" "BGP: r1 neighbor 10.0.12.2 graceful restart: 1 paths kept stale for its Restart Time, 4s"
expect_contains "$TMP/pcap.out" "BGP: r1 neighbor 10.0.12.2 session down: NSF peer closed the session"
expect_contains "$TMP/pcap.out" "BGP: r3 neighbor 10.0.23.2 graceful restart: End-of-RIB received, 0 stale paths removed"
out "$TMP/pcap.out" r1 "show bgp" >"$TMP/r1.bgp"
expect_contains "$TMP/r1.bgp" "S> 10.0.3.0/24      10.0.12.2"
out "$TMP/pcap.out" r1 "show ip bgp" >"$TMP/r1.bgp2"
expect_contains "$TMP/r1.bgp2" "*> 10.0.3.0/24      10.0.12.2"
pcapcheck_files "$TMP"/pcap/*.pcap || fail "pcapcheck on the graceful restart pcaps"
tshark -r "$TMP/pcap/r1-eth1--r2-eth0.pcap" -Y "bgp.type == 1 && ip.src == 10.0.12.2" -T fields \
	-e bgp.cap.gr.timers.restart_flag -e bgp.cap.gr.timers.restart_time -e bgp.cap.gr.afi \
	-e bgp.cap.gr.safi -e bgp.cap.gr.flag.pfs 2>/dev/null >"$TMP/gr.fields"
[ "$(wc -l <"$TMP/gr.fields")" -ge 2 ] || { cat "$TMP/gr.fields"; fail "tshark: two OPENs from r2"; }
head -1 "$TMP/gr.fields" | grep -qE "^(1|True)	4	1	1	(0|False)$" || {
	cat "$TMP/gr.fields"; fail "the first OPEN: R, 4 s, IPv4 unicast without F"; }
tail -1 "$TMP/gr.fields" | grep -qE "^(1|True)	4	1	1	(1|True)$" || {
	cat "$TMP/gr.fields"; fail "the OPEN after the restart: R, 4 s, IPv4 unicast with F"; }
"$NETSIM" decode "$TMP/pcap/r1-eth1--r2-eth0.pcap" >"$TMP/decode"
expect_contains "$TMP/decode" "graceful-restart 4s R 1/1 F"
expect_contains "$TMP/decode" ", 0 errors"
