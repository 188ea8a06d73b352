# BFD (RFC 5880/5881/5883) and its clients: sessions up on the shipped
# topology with FRR's `show bfd peers` text and JSON keys (and the alias, the
# brief table and the counters), a multi-hop session for iBGP between
# loopbacks, silent and one-way failures detected in the detection time
# (3 x 50 ms) by OSPF, eBGP and IS-IS where the protocols alone wait for
# their dead interval or hold time, and every BFD pcap through pcapcheck
# (tshark) and `netsim decode` without an error.
. tests/scenario/lib.inc

# 1. The shipped topology: sessions up, FRR's layout and keys.
mkdir -p "$TMP/pcap"
"$NETSIM" run --pcap "$TMP/pcap" topologies/bfd-ospf.yaml >"$TMP/ospf.out" 2>&1 || {
	cat "$TMP/ospf.out"; fail "bfd-ospf run"; }
expect_contains "$TMP/ospf.out" "BFD: r1 neighbor 10.0.12.2 session up: Up"
expect_contains "$TMP/ospf.out" "BFD: r2 neighbor 10.0.12.1 session up: Up"
out "$TMP/ospf.out" r1 "show bfd peers" >"$TMP/r1"
expect_contains "$TMP/r1" "	peer 10.0.12.2 local-address 10.0.12.1 vrf default interface eth0"
expect_contains "$TMP/r1" "		Status: up"
expect_contains "$TMP/r1" "		Diagnostics: ok"
expect_contains "$TMP/r1" "			Receive interval: 50ms"
expect_contains "$TMP/r1" "			Transmission interval: 50ms"
out "$TMP/ospf.out" r2 "show bfd peers json" >"$TMP/r2.json"
for k in multihop peer local vrf interface id remote-id passive-mode status uptime diagnostic \
	remote-diagnostic receive-interval transmit-interval echo-receive-interval \
	echo-transmit-interval detect-multiplier remote-receive-interval remote-transmit-interval \
	remote-echo-receive-interval remote-detect-multiplier; do
	expect_contains "$TMP/r2.json" "\"$k\":"
done
expect_contains "$TMP/r2.json" '"status": "up"'
expect_contains "$TMP/r2.json" '"multihop": false'
expect_contains "$TMP/r2.json" '"remote-transmit-interval": 50'
out "$TMP/ospf.out" r2 "show bfd peers brief" >"$TMP/brief"
expect_contains "$TMP/brief" "Session count: 1"
# TTL 255 and a source port from 49152 (RFC 5881 4, 5), to 3784; decode clean (pcapcheck: below).
tshark -r "$TMP/pcap/r1-eth0--r2-eth0.pcap" -Y bfd -T fields -e ip.ttl -e udp.srcport \
	-e udp.dstport 2>/dev/null | sort -u >"$TMP/fields"
[ -s "$TMP/fields" ] || fail "tshark found no BFD packet"
awk '$1 != 255 || $2 < 49152 || $3 != 3784 { bad = 1 } END { exit bad }' "$TMP/fields" || {
	cat "$TMP/fields"; fail "BFD packets must have TTL 255, a source port >= 49152, port 3784"; }
for f in "$TMP"/pcap/*.pcap; do
	"$NETSIM" decode "$f" >"$TMP/decode" 2>&1 || { cat "$TMP/decode"; fail "decode $f"; }
	expect_contains "$TMP/decode" ", 0 errors"
done
"$NETSIM" decode "$TMP/pcap/r1-eth0--r2-eth0.pcap" >"$TMP/decode"
expect_contains "$TMP/decode" "BFD Up diag ok mult 3"
expect_contains "$TMP/decode" "BFD Up [P] diag ok"
expect_contains "$TMP/decode" "BFD Up [F] diag ok"

# 2. Multi-hop (UDP 4784) between loopbacks for iBGP; aliases; a router without BFD.
cat >"$TMP/mh.yaml" <<'EOF'
name: bfd-multihop
timers: fast
devices:
  - name: r1
    router_id: 10.255.0.1
    bfd: {interval: 100ms, multiplier: 4}
    interfaces:
      - {name: lo0, ip: 10.255.0.1/32, ospf: {area: 0}}
      - {name: eth0, ip: 10.0.12.1/24, ospf: {area: 0, network_type: point-to-point}}
    bgp:
      as: 65000
      neighbors: [{ip: 10.255.0.3, remote_as: 65000, update_source: lo0, bfd: true}]
  - name: r2
    interfaces:
      - {name: eth0, ip: 10.0.12.2/24, ospf: {area: 0, network_type: point-to-point}}
      - {name: eth1, ip: 10.0.23.2/24, ospf: {area: 0, network_type: point-to-point}}
  - name: r3
    router_id: 10.255.0.3
    bfd: {interval: 100ms, multiplier: 4}
    interfaces:
      - {name: lo0, ip: 10.255.0.3/32, ospf: {area: 0}}
      - {name: eth0, ip: 10.0.23.3/24, ospf: {area: 0, network_type: point-to-point}}
    bgp:
      as: 65000
      neighbors: [{ip: 10.255.0.1, remote_as: 65000, update_source: lo0, bfd: true}]
links:
  - endpoints: [r1:eth0, r2:eth0]
  - endpoints: [r2:eth1, r3:eth0]
script:
  - {at: converged + 3s, device: r1, command: show bfd peers json}
  - {at: converged + 3s, device: r3, command: show bfd sessions detail}
  - {at: converged + 3s, device: r2, command: show bfd peers json}
  - {at: converged + 3s, device: r2, command: show bfd peers}
EOF
mkdir -p "$TMP/mhpcap"
"$NETSIM" run --pcap "$TMP/mhpcap" "$TMP/mh.yaml" >"$TMP/mh.out" 2>&1 || { cat "$TMP/mh.out"; fail "multihop run"; }
out "$TMP/mh.out" r1 "show bfd peers json" >"$TMP/mh.json"
expect_contains "$TMP/mh.json" '"multihop": true'
expect_contains "$TMP/mh.json" '"minimum-ttl": 254'
expect_contains "$TMP/mh.json" '"status": "up"'
expect_contains "$TMP/mh.json" '"detect-multiplier": 4'
expect_contains "$TMP/mh.json" '"receive-interval": 100'
expect_not_contains "$TMP/mh.json" '"interface"'
out "$TMP/mh.out" r3 "show bfd sessions detail" >"$TMP/mh.txt"
expect_contains "$TMP/mh.txt" "	peer 10.255.0.1 multihop local-address 10.255.0.3 vrf default"
expect_contains "$TMP/mh.txt" "		Session up events: 1"
expect_contains "$TMP/mh.txt" "		Minimum TTL: 254"
[ "$(out "$TMP/mh.out" r2 "show bfd peers json")" = "{}" ] || fail "r2 runs no BFD: {}"
expect_contains "$TMP/mh.out" "% BFD is not running on r2"
# pcapcheck once for the single-hop and the multi-hop pcaps.
pcapcheck_files "$TMP"/pcap/*.pcap "$TMP"/mhpcap/*.pcap || fail "pcapcheck on the BFD pcaps"
"$NETSIM" decode "$TMP/mhpcap/r1-eth0--r2-eth0.pcap" >"$TMP/decode"
expect_contains "$TMP/decode" "> 4784 len 24  BFD Up"
expect_contains "$TMP/decode" ", 0 errors"

# 3. The failover experiment: silent and one-way failures, OSPF and eBGP, with and without BFD.
"$NETSIM" run scenarios/bfd-failover.lua >"$TMP/fo.out" 2>&1 || { cat "$TMP/fo.out"; fail "bfd-failover.lua"; }
# row PROTO BFD FAILURE-PREFIX -> the "route moved after (ms)" column
row() {
	awk -F '  +' -v p="$1" -v b="$2" -v f="$3" \
		'$1 == p && $2 == b && index($3, f) == 1 { print $4 " " $5 }' "$TMP/fo.out"
}
check() { # PROTO BFD FAILURE MIN MAX
	r=$(row "$1" "$2" "$3")
	[ -n "$r" ] || { cat "$TMP/fo.out"; fail "no row $1 $2 $3"; }
	echo "$r" | awk -v lo="$4" -v hi="$5" '$1 < lo || $1 > hi || $2 != "10.0.13.3" { exit 1 }' || {
		cat "$TMP/fo.out"; fail "$1, BFD $2, $3: moved after $r (want $4..$5 ms, via 10.0.13.3)"; }
}
# Without BFD: OSPF's dead interval (40 s, from the last Hello), eBGP's hold time (180 s).
check ospf off silent 30000 40100
check bgp off silent 120000 180100
# With BFD 50 ms x 3: the detection time, plus the link delay.
check ospf "50ms x 3" silent 50 152
check ospf "50ms x 3" one-way 50 152
check bgp "50ms x 3" silent 50 152
check bgp "50ms x 3" one-way 50 152

# 4. IS-IS: the adjacency goes with BFD, the route follows after the SPF delay.
cat >"$TMP/isis.lua" <<'EOF'
local chaos = require "netsim.chaos"
local net = netsim.network("bfd-isis")
local addrs = {r1 = {"10.0.12.1/24", "10.0.13.1/24"}, r2 = {"10.0.12.2/24", "10.0.23.2/24"},
	r3 = {"10.0.13.3/24", "10.0.23.3/24"}}
for i, name in ipairs({"r1", "r2", "r3"}) do
	local r = net:router(name)
	r:configure("isis", {net = ("49.0001.0000.0000.%04d.00"):format(i), level = "l2",
		spf = {initial = "10ms", second = "50ms", max = "1s"}})
	for k, ip in ipairs(addrs[name]) do
		local direct = k == 1 and name ~= "r3"
		r:interface("eth" .. (k - 1), {ip = ip, bfd = direct and {interval = "50ms"} or nil,
			isis = {network_type = "point-to-point", bfd = direct or nil}})
	end
end
net.r2:interface("lo", {ip = "192.0.2.2/32", isis = {}})
net:link("r1:eth0", "r2:eth0")
net:link("r1:eth1", "r3:eth0")
net:link("r2:eth1", "r3:eth1")
net:run()
net:run{duration = "5s"}
expect.route("r1", "192.0.2.2/32", {nexthop = "10.0.12.2"})
local t0 = net:now()
local moved, why, bfd_down, adj_down
net:on("adjacency_change", function(e)
	if e.protocol == "isis" and e.device.name == "r1" and e.state == "Down" then adj_down = net:now() - t0 end
end)
net:on("route_change", function(e)
	if moved == nil and e.device.name == "r1" and e.prefix == "192.0.2.2/32" then moved = net:now() - t0 end
end)
net:on("session_down", function(e)
	if e.protocol == "bfd" and e.device.name == "r1" then why = e.reason; bfd_down = net:now() - t0 end
end)
chaos.loss("r1--r2", 100)
net:run{duration = "2s"}
expect.truthy(bfd_down ~= nil and bfd_down <= 151, "BFD down within its detection time (3 x 50 ms)")
expect.equal(adj_down, bfd_down, "the adjacency went down with BFD")
expect.truthy(moved ~= nil and moved <= bfd_down + 60, "the route moved after the SPF delay")
expect.equal(why, "control detection time expired")
expect.route("r1", "192.0.2.2/32", {nexthop = "10.0.13.3"})
-- Repaired: adjacency and BFD session back, the direct path again.
chaos.loss("r1--r2", 0)
net:run{duration = "40s"}
expect.route("r1", "192.0.2.2/32", {nexthop = "10.0.12.2"})
local peers = net.r1:cmd_json("show bfd peers json")
expect.equal(peers[1].status, "up", "BFD up again")
EOF
"$NETSIM" run "$TMP/isis.lua" >"$TMP/isis.out" 2>&1 || { cat "$TMP/isis.out"; fail "IS-IS with BFD"; }
expect_contains "$TMP/isis.out" "expect: 8 passed, 0 failed"
