# OSPF end to end on the shipped topologies: the spec's triangle (ping with
# ttl=62), a link failure and recovery, a router crash and restart, the
# multi-area core (O, O IA, E1, E2, ECMP, stub default), DR/BDR election on a
# shared segment, NBMA. (Golden outputs: topologies.sh; pcaps: pcap.sh.)
. tests/scenario/lib.inc

# --- the triangle ---------------------------------------------------------------------------
"$NETSIM" run topologies/ospf-triangle.yaml >"$TMP/tri.out" || fail "triangle run failed"
expect_contains "$TMP/tri.out" "O     10.0.3.0/24 [110/11] via 10.0.13.3, eth1"
expect_contains "$TMP/tri.out" "O     10.0.23.0/24 [110/20] via 10.0.12.2, eth0"
expect_contains "$TMP/tri.out" "                   [110/20] via 10.0.13.3, eth1"
expect_contains "$TMP/tri.out" "64 bytes from 10.0.3.10: icmp_seq=1 ttl=62"
expect_contains "$TMP/tri.out" "5/5 packets received"
expect_contains "$TMP/tri.out" "OSPF: r1 eth0 neighbor 2.2.2.2 Full"
expect_contains "$TMP/tri.out" "OSPF events:"

# --- a link failure at converged + 1s, and the link back -----------------------------------
sed -e '/^script:/,$d' topologies/ospf-triangle.yaml >"$TMP/fail.yaml"
cat >>"$TMP/fail.yaml" <<'Y'
script:
  - {at: converged + 1s, device: r1, command: interface eth0 shutdown}
  - {at: converged + 10s, device: r2, command: show ip route ospf}
  - {at: converged + 10s, device: r1, command: show ip ospf neighbor}
  - {at: converged + 11s, device: h1, command: ping 10.0.3.10}
  - {at: converged + 12s, device: h1, command: ping 10.0.23.2}
  - {at: converged + 13s, device: r1, command: interface eth0 no shutdown}
  - {at: converged + 120s, device: r2, command: show ip route ospf}
Y
"$NETSIM" run "$TMP/fail.yaml" >"$TMP/fail.out" || { cat "$TMP/fail.out"; fail "failure run"; }
expect_contains "$TMP/fail.out" "OSPF: r1 eth0 neighbor 2.2.2.2 Down"
expect_contains "$TMP/fail.out" "OSPF: r2 eth0 neighbor 1.1.1.1 Down"
# r2 reaches h1's LAN around the failed link, through r3.
expect_contains "$TMP/fail.out" "O     10.0.1.0/24 [110/21] via 10.0.23.3, eth1"
expect_contains "$TMP/fail.out" "64 bytes from 10.0.3.10: icmp_seq=1 ttl=62"
expect_contains "$TMP/fail.out" "Round-trip path: h1 -> r1 -> r3 -> r2 -> r3 -> r1 -> h1"
# Back up: after the Wait timer the adjacency is Full again and the direct path returns.
expect_contains "$TMP/fail.out" "O     10.0.1.0/24 [110/11] via 10.0.12.1, eth0"
[ "$(grep -c 'neighbor 1.1.1.1 Full' "$TMP/fail.out")" -ge 2 ] || fail "r1-r2 adjacency did not come back"
# The reroute happened within a second of simulated time (MinLSInterval had expired).
grep -q '^\[t=5[23][0-9][0-9][0-9]ms\] Network converged' "$TMP/fail.out" || {
	grep converged "$TMP/fail.out"; fail "no reconvergence within about a second"; }

# --- a crash and a restart: state lost, adjacencies re-formed, sequence numbers go on --------
sed -e '/^script:/,$d' topologies/ospf-triangle.yaml >"$TMP/crash.yaml"
cat >>"$TMP/crash.yaml" <<'Y'
script:
  - {at: converged + 1s, lua: "chaos.crash('r2', {duration = '20s'})"}
  - {at: converged + 5s, device: r3, command: show ip ospf neighbor}
  - {at: converged + 120s, device: r1, command: show ip ospf database router 2.2.2.2}
  - {at: converged + 121s, device: h1, command: ping 10.0.3.10 count 1}
Y
"$NETSIM" run "$TMP/crash.yaml" >"$TMP/crash.out" || { cat "$TMP/crash.out"; fail "crash run"; }
expect_contains "$TMP/crash.out" "r2 crashed"
expect_contains "$TMP/crash.out" "OSPF: r3 eth1 neighbor 2.2.2.2 Down"
expect_contains "$TMP/crash.out" "r2 restarted"
expect_contains "$TMP/crash.out" "OSPF: r2 eth0 neighbor 1.1.1.1 Full"
# Before the crash r2's router-LSA had reached 80000003; the restarted r2 starts again at
# 80000001, learns its old instance from its neighbors and goes past it (RFC 2328 13.4).
expect_contains "$TMP/crash.out" "LS Seq Number: 80000005"
expect_contains "$TMP/crash.out" "1/1 packets received"

# --- multi-area -------------------------------------------------------------------------------
"$NETSIM" run topologies/ospf-multiarea.yaml >"$TMP/ma.out" || { cat "$TMP/ma.out"; fail "multiarea"; }
expect_contains "$TMP/ma.out" "O     10.0.100.2/32 [110/10] via 10.0.0.2, eth0"
expect_contains "$TMP/ma.out" "O     10.5.12.0/24 [110/20] via 10.0.0.2, eth0"
expect_contains "$TMP/ma.out" "                   [110/20] via 10.0.0.6, eth1"
expect_contains "$TMP/ma.out" "O IA  10.10.1.0/24 [110/25] via 10.0.0.10, eth2"
expect_contains "$TMP/ma.out" "O E2  192.168.100.0/24 [110/20] via 10.0.0.2, eth0"
expect_contains "$TMP/ma.out" "O E1  172.16.0.0/24 [110/15] via 10.0.0.2, eth0"
# The stub area: a default route from its ABR, no external routes.
expect_contains "$TMP/ma.out" "O*IA  0.0.0.0/0 [110/15] via 10.20.0.1, eth0"
expect_contains "$TMP/ma.out" "Gateway of last resort is 10.20.0.1 to network 0.0.0.0"
sed -n '/a2-r1> show ip route/,/a2-r1> show ip ospf route/p' "$TMP/ma.out" | grep -q 'O E' &&
	fail "external routes leaked into the stub area"
expect_contains "$TMP/ma.out" "Summary ASB Link States (Area 0.0.0.1)"
expect_contains "$TMP/ma.out" " It is an area border router"
[ "$(grep -c 'packets received, 0% loss' "$TMP/ma.out")" -eq 3 ] || fail "multiarea pings failed"

# --- default-information originate: conditional on a default route, and always -------------
# r1 has a static default towards h1 and originates 0.0.0.0/0 (E2, metric 10) while it has
# one; r3 originates it always (E1, metric 5) in the second run, which r2 prefers (16.4: a
# type 1 path beats any type 2 path).
sed -e '/^script:/,$d' -e 's/^    router_id: 1.1.1.1$/    router_id: 1.1.1.1\n    static_routes: [{prefix: 0.0.0.0\/0, via: 10.0.1.10}]\n    ospf: {default_information: originate}/' \
	topologies/ospf-triangle.yaml >"$TMP/di.yaml"
grep -q "default_information: originate" "$TMP/di.yaml" || fail "default_information edit"
cat >>"$TMP/di.yaml" <<'Y'
script:
  - {at: converged, device: r2, command: show ip route}
  - {at: converged, device: r2, command: show ip ospf database external}
  - {at: converged + 1s, device: r1, command: route del 0.0.0.0/0}
  - {at: converged + 10s, device: r2, command: show ip route 0.0.0.0/0, expect: fail}
  - {at: converged + 11s, device: r2, command: show ip ospf database external}
Y
"$NETSIM" run --pcap "$TMP/dipcap" "$TMP/di.yaml" >"$TMP/di.out" || { cat "$TMP/di.out"; fail "default-information run"; }
expect_contains "$TMP/di.out" "Gateway of last resort is 10.0.12.1 to network 0.0.0.0"
expect_contains "$TMP/di.out" "O*E2  0.0.0.0/0 [110/10] via 10.0.12.1, eth0"
expect_contains "$TMP/di.out" "Link State ID: 0.0.0.0 (External Network Number )"
expect_contains "$TMP/di.out" "Network Mask: /0"
# Withdrawn with the static route: r1 flushes its LSA (MaxAge), and r2's table loses the route.
expect_contains "$TMP/di.out" "% Network not in table"
last_external() { # FILE: the last `show ip ospf database external` of r2
	awk '/r2> show ip ospf database external/ { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' "$1"
}
last_external "$TMP/di.out" >"$TMP/di.last"
expect_contains "$TMP/di.last" "OSPF Router with ID (2.2.2.2)"
grep -q "Advertising Router: 1.1.1.1" "$TMP/di.last" && fail "the conditional default was not flushed"

sed -e 's/^    router_id: 3.3.3.3$/    router_id: 3.3.3.3\n    ospf: {default_information: {always: true, metric: 5, metric_type: 1}}/' \
	-e '/show ip route 0.0.0.0\/0, expect: fail/d' "$TMP/di.yaml" >"$TMP/di2.yaml"
grep -q "always: true" "$TMP/di2.yaml" || fail "default_information always edit"
"$NETSIM" run "$TMP/di2.yaml" >"$TMP/di2.out" || { cat "$TMP/di2.out"; fail "always run"; }
expect_contains "$TMP/di2.out" "O*E1  0.0.0.0/0 [110/15] via 10.0.23.3, eth1"
# After r1 withdraws its default, r3's (always) is the one left.
last_external "$TMP/di2.out" >"$TMP/di2.last"
expect_contains "$TMP/di2.last" "Advertising Router: 3.3.3.3"
grep -q "Advertising Router: 1.1.1.1" "$TMP/di2.last" && fail "r1's default was not flushed"

# Bad values are refused with the offending node's position.
sed -e 's/default_information: originate/default_information: sometimes/' "$TMP/di.yaml" >"$TMP/dibad.yaml"
if "$NETSIM" validate "$TMP/dibad.yaml" >"$TMP/dibad.out" 2>&1; then fail "bad default_information accepted"; fi
expect_contains "$TMP/dibad.out" "dibad.yaml:11:33:"
expect_contains "$TMP/dibad.out" "bad default_information 'sometimes'"

# --- area ranges (12.4.3): core-4 summarises area 1 into 10.10.0.0/16 and hides 10.0.101.0/24 -
sed -e '/^script:/,$d' -e 's/^    router_id: 10.0.100.4$/    router_id: 10.0.100.4\n    ospf:\n      areas:\n        1: {ranges: [10.10.0.0\/16, {prefix: 10.0.101.0\/24, advertise: false}]}/' \
	topologies/ospf-multiarea.yaml >"$TMP/rg.yaml"
grep -q "ranges:" "$TMP/rg.yaml" || fail "ranges edit"
cat >>"$TMP/rg.yaml" <<'Y'
script:
  - {at: converged, device: core-1, command: show ip route ospf}
  - {at: converged, device: core-4, command: show ip route 10.10.0.0/16}
  - {at: converged, device: core-4, command: show ip ospf}
  - {at: converged, device: a1-r1, command: show ip route ospf}
  - {at: converged + 100ms, device: lan-2, command: ping 10.10.1.10 count 2}
  - {at: converged + 200ms, device: lan-2, command: ping 10.10.9.9 count 1, expect: fail}
Y
"$NETSIM" run --pcap "$TMP/rgpcap" "$TMP/rg.yaml" >"$TMP/rg.out" || { cat "$TMP/rg.out"; fail "ranges run"; }
# The backbone sees one summary at the largest component cost (15 from core-4, plus 10)...
expect_contains "$TMP/rg.out" "O IA  10.10.0.0/16 [110/25] via 10.0.0.10, eth2"
sed -n '/core-1> show ip route ospf/,/core-4>/p' "$TMP/rg.out" >"$TMP/rg.core1"
grep -q "10.10.1.0/24\|10.10.2.0/24\|10.10.0.0/30" "$TMP/rg.core1" && fail "components leaked past the range"
# ...and nothing of the range that is not advertised.
grep -q "10.0.101.1/32" "$TMP/rg.core1" && fail "a not-advertised range leaked"
# The ABR discards what the range covers and no component does; inside the area, specifics.
expect_contains "$TMP/rg.out" "Known via \"ospf\", distance 110, metric 15, best, installed"
expect_contains "$TMP/rg.out" "* blackhole"
expect_contains "$TMP/rg.out" "           10.10.0.0/16 Advertise"
expect_contains "$TMP/rg.out" "           10.0.101.0/24 DoNotAdvertise"
sed -n '/a1-r1> show ip route ospf/,/lan-2>/p' "$TMP/rg.out" | grep -q "10.10.0.0/16" &&
	fail "an area's own range came back into it"
expect_contains "$TMP/rg.out" "2/2 packets received"
expect_contains "$TMP/rg.out" "0/1 packets received"
sed -e 's/{prefix: 10.0.101.0\/24, advertise: false}/{prefix: 10.0.101.0\/24, advertise: false, cost: 3}/' \
	"$TMP/rg.yaml" >"$TMP/rgbad.yaml"
if "$NETSIM" validate "$TMP/rgbad.yaml" >"$TMP/rgbad.out" 2>&1; then fail "cost on a hidden range accepted"; fi
expect_contains "$TMP/rgbad.out" "rgbad.yaml:46:84:"
expect_contains "$TMP/rgbad.out" "a range that is not advertised has no cost"

# --- show ip ospf border-routers: the routes to ABRs and ASBRs ------------------------------
sed -e '/^script:/,$d' topologies/ospf-multiarea.yaml >"$TMP/br.yaml"
cat >>"$TMP/br.yaml" <<'Y'
script:
  - {at: converged, device: core-1, command: show ip ospf border-routers}
  - {at: converged, device: a1-r1, command: show ip ospf border-routers json}
Y
"$NETSIM" run "$TMP/br.yaml" >"$TMP/br.out" || { cat "$TMP/br.out"; fail "border-routers run"; }
expect_contains "$TMP/br.out" "R    10.0.100.2         [10] area: 0.0.0.0, ASBR"
expect_contains "$TMP/br.out" "R    10.0.100.4         [10] area: 0.0.0.0, ABR"
expect_contains "$TMP/br.out" "                           via 10.0.0.10, eth2"
# Inside area 1: its ABR directly, the backbone's ASBR through an ASBR-summary (R IA).
sed -n '/a1-r1> show ip ospf border-routers json/,$p' "$TMP/br.out" | sed '1d;/^Simulation complete/,$d' >"$TMP/br.json"
python3 - "$TMP/br.json" <<'PY' || fail "border-routers JSON"
import json, sys
t = json.load(open(sys.argv[1]))
assert t["10.0.100.4"]["routeType"] == "R " and t["10.0.100.4"]["routerType"] == "abr", t
assert t["10.0.100.2"]["routeType"] == "R IA" and t["10.0.100.2"]["cost"] == 30, t
PY

# --- point-to-multipoint: a hub and two spokes on one segment, no DR ------------------------
cat >"$TMP/p2mp.yaml" <<'Y'
name: ospf-p2mp
description: a hub and two spokes on one segment, point-to-multipoint
devices:
  - name: hub
    router_id: 1.1.1.1
    interfaces:
      - {name: eth0, ip: 10.0.0.1/24, ospf: {area: 0, network_type: point-to-multipoint, cost: 10}}
      - {name: eth1, ip: 10.1.1.1/24, ospf: {area: 0, cost: 1}}
  - name: s2
    router_id: 2.2.2.2
    interfaces:
      - {name: eth0, ip: 10.0.0.2/24, ospf: {area: 0, network_type: point-to-multipoint, cost: 10}}
      - {name: eth1, ip: 10.1.2.1/24, ospf: {area: 0, cost: 1}}
  - name: s3
    router_id: 3.3.3.3
    interfaces:
      - {name: eth0, ip: 10.0.0.3/24, ospf: {area: 0, network_type: point-to-multipoint, cost: 10}}
      - {name: eth1, ip: 10.1.3.1/24, ospf: {area: 0, cost: 1}}
  - name: h3
    type: host
    interfaces: [{name: eth0, ip: 10.1.3.10/24, gateway: 10.1.3.1}]
  - name: h1
    type: host
    interfaces: [{name: eth0, ip: 10.1.1.10/24, gateway: 10.1.1.1}]
  - name: h2
    type: host
    interfaces: [{name: eth0, ip: 10.1.2.10/24, gateway: 10.1.2.1}]
links:
  - {endpoints: [hub:eth0, s2:eth0, s3:eth0]}
  - {endpoints: [s2:eth1, h2:eth0]}
  - {endpoints: [s3:eth1, h3:eth0]}
  - {endpoints: [hub:eth1, h1:eth0]}
script:
  - {at: converged, device: s2, command: show ip ospf neighbor}
  - {at: converged, device: s2, command: show ip route}
  - {at: converged, device: s2, command: show ip ospf interface eth0}
  - {at: converged, device: s2, command: show ip ospf database router 2.2.2.2}
  - {at: converged + 1s, device: h2, command: ping 10.1.3.10 count 2}
Y
"$NETSIM" run --pcap "$TMP/p2mppcap" "$TMP/p2mp.yaml" >"$TMP/p2mp.out" || { cat "$TMP/p2mp.out"; fail "p2mp run"; }
# Every router adjacent to every other (10.4), none elected.
expect_contains "$TMP/p2mp.out" "1.1.1.1           1   FULL/  -        00:00:38    10.0.0.1        eth0"
expect_contains "$TMP/p2mp.out" "3.3.3.3           1   FULL/  -        00:00:38    10.0.0.3        eth0"
expect_contains "$TMP/p2mp.out" "Network Type POINT_TO_MULTIPOINT, Cost: 10"
# 12.4.1.4: a link per neighbor and a host route to the router's own address, cost 0.
expect_contains "$TMP/p2mp.out" "     (Link ID) Network/subnet number: 10.0.0.2"
expect_contains "$TMP/p2mp.out" "     (Link Data) Network Mask: 255.255.255.255"
expect_contains "$TMP/p2mp.out" "O     10.0.0.3/32 [110/10] via 10.0.0.3, eth0"
# Spoke to spoke directly, not through the hub.
expect_contains "$TMP/p2mp.out" "O     10.1.3.0/24 [110/11] via 10.0.0.3, eth0"
expect_contains "$TMP/p2mp.out" "Round-trip path: h2 -> s2 -> s3 -> h3 -> s3 -> s2 -> h2"

# JSON names the type as FRR does (an index past the end of its name table read garbage).
cat >>"$TMP/p2mp.yaml" <<'Y'
  - {at: converged, device: s2, command: show ip ospf interface eth0 json}
Y
"$NETSIM" run "$TMP/p2mp.yaml" >"$TMP/p2mpj.out" || fail "p2mp json run"
expect_contains "$TMP/p2mpj.out" '"networkType": "POINTOMULTIPOINT",'
expect_contains "$TMP/p2mpj.out" '"p2mpNonBroadcast": false,'
expect_contains "$TMP/p2mpj.out" '"ospfIfType": "Broadcast",'

# --- point-to-multipoint non-broadcast: configured neighbors, everything unicast --------------
# Spokes know only the hub (a hub-and-spoke cloud): they are adjacent to it alone, and reach
# each other through it; RFC 2328 9.5 and 13.3 send every packet to each neighbor as a unicast.
sed -e 's/network_type: point-to-multipoint,/network_type: point-to-multipoint non-broadcast,/' \
    -e '/name: eth0, ip: 10.0.0.1\/24/s/cost: 10}/cost: 10, neighbors: [10.0.0.2, 10.0.0.3]}/' \
    -e '/name: eth0, ip: 10.0.0.[23]\/24/s/cost: 10}/cost: 10, neighbors: [10.0.0.1]}/' \
    "$TMP/p2mp.yaml" >"$TMP/p2mpnb.yaml"
grep -q "neighbors: \[10.0.0.2, 10.0.0.3\]" "$TMP/p2mpnb.yaml" || fail "p2mpnb topology not derived"
"$NETSIM" run --pcap "$TMP/nbpcap" "$TMP/p2mpnb.yaml" >"$TMP/p2mpnb.out" ||
	{ cat "$TMP/p2mpnb.out"; fail "p2mp non-broadcast run"; }
expect_contains "$TMP/p2mpnb.out" "1.1.1.1           1   FULL/  -        00:00:38    10.0.0.1        eth0"
expect_not_contains "$TMP/p2mpnb.out" "3.3.3.3           1   FULL"
expect_contains "$TMP/p2mpnb.out" "Network Type POINT_TO_MULTIPOINT_NONBROADCAST, Cost: 10"
expect_contains "$TMP/p2mpnb.out" '"p2mpNonBroadcast": true,'
# The other spoke's address and networks are two hops away, through the hub.
expect_contains "$TMP/p2mpnb.out" "O     10.0.0.3/32 [110/20] via 10.0.0.1, eth0"
expect_contains "$TMP/p2mpnb.out" "O     10.1.3.0/24 [110/21] via 10.0.0.1, eth0"
expect_contains "$TMP/p2mpnb.out" "Round-trip path: h2 -> s2 -> hub -> s3 -> h3 -> s3 -> hub -> s2 -> h2"
# The wire of both point-to-multipoint runs, dissected by one tshark.
dissect p2mp "frame.protocols ospf.msg ip.dst" "$TMP/p2mppcap/hub-eth0--s2-eth0--s3-eth0.pcap" \
	"$TMP/nbpcap/hub-eth0--s2-eth0--s3-eth0.pcap"
# Broadcast p2mp: database exchange is unicast to the neighbor; Hellos and flooding are multicast.
frames p2mp 'f["file"] == "p2mppcap/hub-eth0--s2-eth0--s3-eth0.pcap" && has("ospf.msg", 2)' ip.dst |
	grep -q "224.0.0" && fail "p2mp DD packets multicast"
# Non-broadcast: every OSPF packet unicast.
frames p2mp 'f["file"] == "nbpcap/hub-eth0--s2-eth0--s3-eth0.pcap" && proto("ospf")' ospf.msg ip.dst >"$TMP/nbdst.txt"
for t in 1 2 3 4 5; do
	grep -q "^$t	10.0.0" "$TMP/nbdst.txt" || fail "p2mp non-broadcast: no unicast OSPF type $t"
done
grep -q "224.0.0" "$TMP/nbdst.txt" && fail "p2mp non-broadcast: multicast OSPF packets"

# --- a shared segment: DR/BDR election, priority 0 ---------------------------------------------
"$NETSIM" run topologies/ospf-broadcast.yaml >"$TMP/bc.out" || fail "broadcast"
expect_contains "$TMP/bc.out" "3.3.3.3           2   FULL/DR"
expect_contains "$TMP/bc.out" "4.4.4.4           1   FULL/BDR"
expect_contains "$TMP/bc.out" "2.2.2.2           1   2WAY/DROTHER"
expect_contains "$TMP/bc.out" "1.1.1.1           0   2WAY/DROTHER"
expect_contains "$TMP/bc.out" "Transmit Delay is 1 sec, State DROTHER, Priority 0"
expect_contains "$TMP/bc.out" "Link State ID: 10.0.0.3 (address of Designated Router)"

# --- NBMA: configured neighbors, unicast Hellos, the hub as DR ---------------------------------
"$NETSIM" run topologies/ospf-nbma.yaml >"$TMP/nbma.out" || fail "nbma"
expect_contains "$TMP/nbma.out" "10.255.0.1       10   FULL/DR"
expect_contains "$TMP/nbma.out" "Network Type NON_BROADCAST"
expect_contains "$TMP/nbma.out" "Poll interval 120"
expect_contains "$TMP/nbma.out" "5/5 packets received"
# Every capture of the runs above, in one pcapcheck pass.
pcapcheck_files "$TMP"/dipcap/*.pcap "$TMP"/rgpcap/*.pcap "$TMP"/p2mppcap/*.pcap "$TMP"/nbpcap/*.pcap ||
	fail "pcapcheck on the default-information, ranges and p2mp runs"
exit 0
