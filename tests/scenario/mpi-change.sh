# Distributed runs (docs/distributed.md): commands that change one device run on its
# rank as commands that change the network, and give one process's text, JSON report and
# pcaps on 2 and 3 ranks: `route add|del` (a GRE tunnel that follows its route down and
# up, static routes redistributed into OSPF and an NSSA), `mpls lfib add|del` (a static
# LSP broken and repaired), the other commands that change a device (policies, BGP and
# LDP sessions, IS-IS settings, a GRE tunnel's destination, VPN exports, a route feeder),
# and from Lua (tests/scenario/_mpi-change.lua) dev:cmd of
# them, dev:set_policy, dev:stop_protocol, dev:start_protocol, chaos.restart and
# link:set_bandwidth, with hooks on the events they cause. (Without MPI built in there is
# nothing to compare: mpi.sh checks that such a build refuses mpirun.)
. tests/scenario/lib.inc
"$NETSIM" version | grep -q "MPI: built in" || exit 0
command -v mpirun >/dev/null 2>&1 ||
	fail "netsim has MPI built in but mpirun is missing: install openmpi-bin (make deps)"
. tests/scenario/mpi.inc
# The shipped GRE topology deletes the route to the tunnel's far end and adds it back.
cp topologies/gre-flap.yaml "$TMP/gre.yaml"
JSON=1 PCAP=1 compare gre 2 3
expect_contains "$TMP/gre.3.out" "r1> route del 2.2.2.2/32"
expect_contains "$TMP/gre.3.out" "r1: interface gre1 down (destination unreachable)"
expect_contains "$TMP/gre.3.out" "r1: interface gre1 up"
expect_contains "$TMP/gre.3.out" "2/2 packets received"
# Static routes added and deleted on two ASBRs at one instant (one in an NSSA), a
# delete that fails: OSPF floods the change from the owner's rank.
sed '/^script:/,$d' topologies/ospf-nssa.yaml >"$TMP/nssa.yaml"
cat >>"$TMP/nssa.yaml" <<'Y'
script:
  - {at: converged, device: r1, command: show ip route}
  - {at: converged + 1s, device: r3, command: route add 203.0.113.0/24 blackhole}
  - {at: converged + 1s, device: r1, command: route del 192.0.2.0/24}
  - {at: converged + 1s, device: r1, command: route add 198.18.0.0/15 blackhole}
  - {at: converged + 1s, device: r4, command: route del 10.9.9.0/24, expect: fail}
  - {at: converged + 3s, device: r2, command: show ip route}
  - {at: converged + 3s, device: r4, command: show ip ospf database external}
Y
JSON=1 PCAP=1 compare nssa 2 3
expect_contains "$TMP/nssa.3.out" "O N2  203.0.113.0/24 [110/20] via 10.1.23.3"
expect_contains "$TMP/nssa.3.out" "O E2  198.18.0.0/15 [110/20] via 10.0.12.1"
expect_contains "$TMP/nssa.3.out" "Link State ID: 203.0.113.0 (External Network Number )"
grep -q "O E2  192.0.2.0/24" "$TMP/nssa.3.out" && fail "nssa: r1's deleted route is still in r2's table"
# A static LSP broken at both of its swaps and repaired: the ping fails, then passes.
sed '/^script:/,$d' topologies/mpls-static.yaml >"$TMP/lfib.yaml"
cat >>"$TMP/lfib.yaml" <<'Y'
script:
  - {at: 1s, device: r2, command: mpls lfib del 100}
  - {at: 1s, device: r3, command: mpls lfib del 300}
  - {at: 1s, device: r2, command: mpls lfib del 999, expect: fail}
  - {at: 2s, device: h1, command: ping 192.168.2.10 count 2, expect: fail}
  - {at: 4s, device: r2, command: mpls lfib add 100 swap 200 via 10.0.23.2}
  - {at: 4s, device: r3, command: mpls lfib add 300 swap 400 via 10.0.23.1}
  - {at: 4s, device: r2, command: show mpls forwarding}
  - {at: 5s, device: h1, command: ping 192.168.2.10 count 2}
  - {at: 6s, device: h1, command: traceroute 192.168.2.10}
Y
JSON=1 PCAP=1 compare lfib 2 3
expect_contains "$TMP/lfib.3.out" "% no LFIB entry for label 999"
expect_contains "$TMP/lfib.3.out" "0/2 packets received, 100% loss"
expect_contains "$TMP/lfib.3.out" "2/2 packets received, 0% loss"
expect_contains "$TMP/lfib.3.out" "MPLS Label=200 Exp=0 S=1 TTL=1"
grep -q '"failures": 0' "$TMP/lfib.j3" || fail "lfib: the 3-rank JSON report has failures"
# A device's other changes: policies replaced and deleted, BGP sessions shut, reset,
# softly refreshed and restarted, a route map bound (on bgp-policy.yaml); LDP sessions
# reset; an IS-IS metric and the overload bit; a GRE tunnel sent elsewhere and back.
sed '/^script:/,$d' topologies/bgp-policy.yaml >"$TMP/bgp.yaml"
cat >>"$TMP/bgp.yaml" <<'Y'
script:
  - {at: converged, device: r3, command: show bgp}
  - {at: converged + 1s, device: r2, command: "policy set prefix_list CUSTOMER [{seq: 5, action: permit, prefix: 10.1.0.0/16, ge: 24, le: 24}, {seq: 6, action: deny, prefix: 0.0.0.0/0, le: 32}]"}
  - {at: converged + 1s, device: r1, command: neighbor 10.0.13.3 shutdown}
  - {at: converged + 1s, device: r3, command: clear bgp 10.0.23.2}
  - {at: converged + 1s, device: r4, command: policy delete route_map NOPE, expect: fail}
  - {at: converged + 5s, device: r3, command: show bgp}
  - {at: converged + 6s, device: r1, command: no neighbor 10.0.13.3 shutdown}
  - {at: converged + 6s, device: r5, command: restart bgp}
  - {at: converged + 6s, device: r2, command: clear bgp * soft}
  - {at: converged + 6s, device: r2, command: neighbor 10.0.12.1 route-map FROM_R1 out}
  - {at: converged + 20s, device: r3, command: show bgp}
  - {at: converged + 20s, device: r5, command: show ip route}
Y
JSON=1 PCAP=1 compare bgp 2 3
expect_contains "$TMP/bgp.3.out" "prefix_list CUSTOMER replaced (generation 1)"
expect_contains "$TMP/bgp.3.out" "BGP: r1 neighbor 10.0.13.3 session down: Admin. shutdown"
expect_contains "$TMP/bgp.3.out" "BGP: r3 neighbor 10.0.23.2 session down: User reset"
expect_contains "$TMP/bgp.3.out" "% no route_map NOPE"
expect_contains "$TMP/bgp.3.out" "BGP: r3 neighbor 10.0.35.5 session down: Connection reset by peer"
expect_contains "$TMP/bgp.3.out" "BGP: r5 neighbor 10.0.35.3 session up"
sed '/^script:/,$d' topologies/mpls-ldp.yaml >"$TMP/ldp.yaml"
cat >>"$TMP/ldp.yaml" <<'Y'
script:
  - {at: converged + 1s, device: r2, command: clear ldp neighbor}
  - {at: converged + 1s, device: r4, command: clear mpls ldp neighbor 10.255.0.6}
  - {at: converged + 10s, device: r2, command: show mpls forwarding}
  - {at: converged + 10s, device: h1, command: traceroute 192.168.6.10}
Y
compare ldp 3
expect_contains "$TMP/ldp.3.out" "LDP: r2 neighbor 10.255.0.1 session down"
expect_contains "$TMP/ldp.3.out" "MPLS Label="
"$NETSIM" gen grid 3x4 --igp isis | sed '/^script:/,$d' >"$TMP/isisc.yaml"
cat >>"$TMP/isisc.yaml" <<'Y'
script:
  - {at: converged + 1s, device: r6, command: isis metric eth1 500}
  - {at: converged + 1s, device: r7, command: isis overload on}
  - {at: converged + 1s, device: r2, command: isis metric eth9 5, expect: fail}
  - {at: converged + 5s, device: r1, command: show ip route}
  - {at: converged + 6s, device: r7, command: isis overload off}
  - {at: converged + 9s, device: r1, command: show ip route}
Y
compare isisc 3
expect_contains "$TMP/isisc.3.out" "% no interface eth9 on r2"
# (a route the metric and the overload bit changed: 3 s old where the others are 6)
expect_contains "$TMP/isisc.3.out" "i L2  10.255.0.8/32 [115/40] via 10.0.0.1, eth0, 00:00:03"
cp topologies/gre-flap.yaml "$TMP/grec.yaml"
sed -i '/^script:/,$d' "$TMP/grec.yaml"
cat >>"$TMP/grec.yaml" <<'Y'
script:
  - {at: converged + 1s, device: r1, command: gre tunnel set gre1 destination 9.9.9.9}
  - {at: converged + 2s, device: r1, command: show gre tunnels}
  - {at: converged + 3s, device: r1, command: gre tunnel set gre1 destination 2.2.2.2}
  - {at: converged + 12s, device: h1, command: ping 192.168.2.10 count 2}
Y
compare grec 3
expect_contains "$TMP/grec.3.out" "r1: interface gre1 down"
expect_contains "$TMP/grec.3.out" "2/2 packets received"
# A VRF's routes withdrawn from VPN-IPv4 and exported again; a route feeder's table
# withdrawn and announced again.
sed '/^script:/,$d' topologies/l3vpn.yaml >"$TMP/vpn.yaml"
cat >>"$TMP/vpn.yaml" <<'Y'
script:
  - {at: converged, device: pe1, command: help bgp}
  - {at: converged + 1s, device: pe2, command: no bgp vpn-originate blue}
  - {at: converged + 3s, device: pe1, command: show ip route vrf blue}
  - {at: converged + 4s, device: pe2, command: bgp vpn-originate blue}
  - {at: converged + 6s, device: pe1, command: show ip route vrf blue}
Y
compare vpn 3
expect_contains "$TMP/vpn.3.out" "VRF blue: routes withdrawn from VPN-IPv4"
expect_contains "$TMP/vpn.3.out" "bgp vpn-originate VRF"
[ "$(grep -c '^B     192.168.3.0/24' "$TMP/vpn.3.out")" = 1 ] || fail "vpn: blue's route is not back, or was never withdrawn"
"$NETSIM" gen bgp-feed --peers 2 --prefixes 50 --seed 1 | sed '/^script:/,$d' >"$TMP/feed.yaml"
cat >>"$TMP/feed.yaml" <<'Y'
script:
  - {at: converged + 1s, device: feed1, command: bgp feed withdraw}
  - {at: converged + 5s, device: dut, command: show bgp summary}
  - {at: converged + 6s, device: feed1, command: bgp feed announce}
  - {at: converged + 10s, device: dut, command: show bgp summary}
Y
compare feed 3
# (feed1's prefixes received by the DUT: none once withdrawn, all once announced)
[ "$(awk '$1 == "10.0.0.2" {print $10}' "$TMP/feed.3.out" | tr '\n' ' ')" = "0 50 " ] ||
	fail "feed: the DUT should have 0, then 50 prefixes from feed1: $(grep '^10.0.0.2 ' "$TMP/feed.3.out")"
# `converge` (a network command whose steps are collective, as net:run_until_converged's),
# one that times out, one inside another, one from Lua; `verify` (as net:verify()).
sed '/^script:/,$d' topologies/ospf-triangle.yaml >"$TMP/conv.yaml"
cat >>"$TMP/conv.yaml" <<'Y'
script:
  - {at: 0, command: converge --timeout 1ms, expect: fail}
  - {at: 2ms, command: converge}
  - {at: 50s, command: link down r1:eth0}
  - {at: 50s, command: converge}
  - {at: 50s, device: r1, command: show ip route}
  - {at: 60s, command: "verify [{path: {from: h1, to: h3, via: r2}}, {route: {device: r1, prefix: 10.0.3.0/24, protocol: ospf}}, {no_loops: {destinations: [h3]}}]", expect: fail}
  - {at: 70s, lua: "net:cmd('link up r1:eth0'); print(net:cmd('converge')); print(net.r1:cmd('show ip route'))"}
  - {at: 120s, command: "verify [{reachable: {from: h1, to: h3}}, {path: {from: h1, to: h3, avoids: r2}}]"}
Y
compare conv 2 3
expect_contains "$TMP/conv.3.out" "FAIL path h1 -> h3 via r2: the path does not cross r2: h1 -> r1 -> r3 -> h3"
expect_contains "$TMP/conv.3.out" "  route: r1 10.0.3.0/24 ospf metric 11 via 10.0.13.3 eth1"
expect_contains "$TMP/conv.3.out" "2 passed, 0 failed, 0 inconclusive"
expect_contains "$TMP/conv.3.out" "% not converged after 1ms (t=1ms)"
expect_contains "$TMP/conv.3.out" "converged in 6008ms (at t=56008ms)"
expect_contains "$TMP/conv.3.out" "converged in 56006ms (at t=56008ms)"
expect_contains "$TMP/conv.3.out" "converged in 41008ms (at t=111008ms)"
# From Lua, on BGP with route maps (tests/scenario/_mpi-change.lua).
cp tests/scenario/_mpi-change.lua topologies/bgp-policy.yaml "$TMP/"
all lua "$TMP/_mpi-change.lua" -- bgp-policy.yaml
expect_contains "$TMP/lua.3" "% no static route to 10.9.9.0/24"
expect_contains "$TMP/lua.3" "10.1.3.0/24      10.0.12.1               77    250      0 65001 ?"
expect_contains "$TMP/lua.3" "/_mpi-change.lua:$(grep -n '"NOPE", nil' tests/scenario/_mpi-change.lua | cut -d: -f1): r1 has no route_map NOPE"
expect_contains "$TMP/lua.3" "hook: BGP: r5 neighbor 10.0.35.3 session down: Connection reset by peer"
expect_contains "$TMP/lua.3" "r5 bgp running: false"
expect_contains "$TMP/lua.3" "hook: BGP: r3 neighbor 10.0.35.5 session up"
expect_contains "$TMP/lua.3" "bad: r4 does not run ospf"
expect_contains "$TMP/lua.3" "/_mpi-change.lua:$(grep -n 'start_protocol("bgp") end' tests/scenario/_mpi-change.lua | cut -d: -f1): r4 is down: restore it first"
grep -q "^restart: converged=true .*messages=[1-9]" "$TMP/lua.3" || fail "_mpi-change.lua: no messages counted after the restart"
exit 0
