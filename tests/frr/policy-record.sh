#!/bin/sh
# Record FRR 8.4's routing policy on topologies/bgp-policy.yaml: the same
# prefix lists, community list, AS-path list and route maps on r1..r5 as FRR
# configuration, the tables they give, FRR's show commands for the policy
# objects, and the tables after the run-time change tests/scenario/bgp-policy.sh
# makes (FROM_R1's entries replaced on r2, VIA_R2 replaced on r3).
# netsim's outputs are compared with these files by tests/scenario/bgp-policy-frr.sh.
#
# r5's route map is Lua in netsim; FRR gets the plain route map that does the
# same for r3's /24s: deny 10.1.2.0/24, MED 240 (24 x 10), tag 55.
#
# Needs root, iproute2 and FRR 8.4 (zebra, staticd, bgpd, vtysh). Not part of
# `make test`.
#   tests/frr/policy-record.sh [OUTDIR]      (default tests/frr/bgp-policy)
set -eu
OUT=${1:-$(dirname "$0")/bgp-policy}
NS=nspol-
WORK=/tmp/nspol-frr
ROUTERS="r1 r2 r3 r4 r5"
. "$(dirname "$0")/frr-lib.sh"

make_routers
link r1 eth0 r2 eth0
link r1 eth1 r3 eth0
link r2 eth1 r3 eth1
link r3 eth2 r4 eth0
link r3 eth3 r5 eth0
addr r1 lo 1.1.1.1/32; addr r1 eth0 10.0.12.1/24; addr r1 eth1 10.0.13.1/24
addr r2 lo 2.2.2.2/32; addr r2 eth0 10.0.12.2/24; addr r2 eth1 10.0.23.2/24
addr r3 lo 3.3.3.3/32; addr r3 eth0 10.0.13.3/24; addr r3 eth1 10.0.23.3/24
addr r3 eth2 10.0.34.3/24; addr r3 eth3 10.0.35.3/24
addr r4 lo 4.4.4.4/32; addr r4 eth0 10.0.34.4/24
addr r5 lo 5.5.5.5/32; addr r5 eth0 10.0.35.5/24

# The topology's policy and bgp: blocks. FRR's ebgp-requires-policy default
# is kept on r4 only (the topology's ebgp_requires_policy: true).
cat >"$(conf_file r1)" <<'C'
hostname r1
ip route 10.1.0.0/24 blackhole
ip route 10.1.1.0/24 blackhole
ip route 10.1.2.0/24 blackhole
ip route 10.1.3.0/24 blackhole
ip route 10.1.4.0/24 blackhole
ip prefix-list LAN3 seq 5 permit 10.1.3.0/24
ip prefix-list MARKED permit 10.1.1.0/24
ip prefix-list PREPENDED permit 10.1.2.0/24
route-map STATIC permit 10
 match ip address prefix-list LAN3
 set metric 77
 set tag 7
exit
route-map TO_R2 permit 10
 match ip address prefix-list MARKED
 set community 65001:666 additive
exit
route-map TO_R2 permit 20
 match ip address prefix-list PREPENDED
 set as-path prepend 65001 65001
exit
route-map TO_R2 permit 30
exit
router bgp 65001
 bgp router-id 1.1.1.1
 no bgp ebgp-requires-policy
 neighbor 10.0.12.2 remote-as 65002
 neighbor 10.0.13.3 remote-as 65003
 address-family ipv4 unicast
  network 10.1.0.0/24
  network 10.1.1.0/24
  network 10.1.2.0/24
  redistribute static route-map STATIC
  neighbor 10.0.12.2 route-map TO_R2 out
 exit-address-family
exit
C
cat >"$(conf_file r2)" <<'C'
hostname r2
ip prefix-list CUSTOMER seq 5 permit 10.1.0.0/16 ge 24 le 24
bgp community-list standard BLACKHOLE permit 65001:666
route-map FROM_R1 deny 10
 match community BLACKHOLE
exit
route-map FROM_R1 permit 20
 match ip address prefix-list CUSTOMER
 set local-preference 200
exit
route-map FROM_R1 permit 30
exit
router bgp 65002
 bgp router-id 2.2.2.2
 no bgp ebgp-requires-policy
 neighbor 10.0.12.1 remote-as 65001
 neighbor 10.0.23.3 remote-as 65003
 address-family ipv4 unicast
  neighbor 10.0.12.1 soft-reconfiguration inbound
  neighbor 10.0.12.1 route-map FROM_R1 in
 exit-address-family
exit
C
cat >"$(conf_file r3)" <<'C'
hostname r3
bgp as-path access-list VIA_R2 permit ^65002_
route-map FROM_R2 permit 10
 match as-path VIA_R2
 set local-preference 300
exit
route-map FROM_R2 permit 20
exit
router bgp 65003
 bgp router-id 3.3.3.3
 no bgp ebgp-requires-policy
 neighbor 10.0.13.1 remote-as 65001
 neighbor 10.0.23.2 remote-as 65002
 neighbor 10.0.34.4 remote-as 65004
 neighbor 10.0.35.5 remote-as 65005
 address-family ipv4 unicast
  neighbor 10.0.23.2 route-map FROM_R2 in
 exit-address-family
exit
C
cat >"$(conf_file r4)" <<'C'
hostname r4
ip route 10.4.0.0/24 blackhole
router bgp 65004
 bgp router-id 4.4.4.4
 bgp ebgp-requires-policy
 neighbor 10.0.34.3 remote-as 65003
 address-family ipv4 unicast
  network 10.4.0.0/24
 exit-address-family
exit
C
# r5: the Lua map's effect on /24s as a plain route map.
cat >"$(conf_file r5)" <<'C'
hostname r5
ip prefix-list LAN2 permit 10.1.2.0/24
route-map FROM_R3 deny 10
 match ip address prefix-list LAN2
exit
route-map FROM_R3 permit 20
 set metric 240
 set tag 55
exit
router bgp 65005
 bgp router-id 5.5.5.5
 no bgp ebgp-requires-policy
 neighbor 10.0.35.3 remote-as 65003
 address-family ipv4 unicast
  neighbor 10.0.35.3 route-map FROM_R3 in
 exit-address-family
exit
C
start_routers

# Converged: r3's four sessions up, r5 has r1's routes, r2 the redistributed one.
wait_for "r3's sessions" established r3 4
wait_for "r5's routes" sh -c "vtysh -N ${NS}r5 -c 'show ip bgp 10.1.3.0/24 json' 2>/dev/null | grep -q bestpath"
wait_for "r2's routes" sh -c "vtysh -N ${NS}r2 -c 'show ip bgp 10.1.3.0/24 json' 2>/dev/null | grep -q bestpath"
sleep 5

mkdir -p "$OUT"
for r in $ROUTERS; do rec "$r" "$r-show-ip-bgp" "show ip bgp"; done
rec r2 r2-show-ip-bgp-neighbors-received "show ip bgp neighbors 10.0.12.1 received-routes"
rec r2 r2-show-ip-bgp-neighbors "show ip bgp neighbors 10.0.12.1"
rec r3 r3-show-ip-bgp-neighbors "show ip bgp neighbors 10.0.23.2"
rec r4 r4-show-ip-bgp-summary "show ip bgp summary"
for r in r1 r2 r3 r5; do rec "$r" "$r-show-route-map" "show route-map"; done
rec r2 r2-show-route-map-FROM_R1 "show route-map FROM_R1"
rec r1 r1-show-ip-prefix-list "show ip prefix-list"
rec r2 r2-show-ip-prefix-list "show ip prefix-list"
rec r2 r2-show-ip-prefix-list-CUSTOMER "show ip prefix-list CUSTOMER"
rec r2 r2-show-bgp-community-list "show bgp community-list"
rec r3 r3-show-bgp-as-path-access-list "show bgp as-path-access-list"
vty r5 "show ip route 10.1.0.0/24 json" >"$OUT/r5-show-ip-route-prefix.json"
vty r5 "show ip route 10.1.0.0/24" >"$OUT/r5-show-ip-route-prefix.txt"

# The run-time change of tests/scenario/bgp-policy.sh: FROM_R1 keeps only
# `permit 20 ... set local-preference 250`; VIA_R2 becomes ^65009_. FRR applies
# route-map changes after its route-map delay timer (5 s).
vty_conf r2 "no route-map FROM_R1 deny 10" "no route-map FROM_R1 permit 30" \
	"route-map FROM_R1 permit 20" "set local-preference 250"
vty_conf r3 "no bgp as-path access-list VIA_R2 permit ^65002_" "bgp as-path access-list VIA_R2 permit ^65009_"
sleep 15
rec r2 r2-show-ip-bgp-after "show ip bgp"
rec r3 r3-show-ip-bgp-after "show ip bgp"
rec r2 r2-show-route-map-FROM_R1-after "show route-map FROM_R1"
rec r3 r3-show-bgp-as-path-access-list-after "show bgp as-path-access-list"
rec r2 r2-show-ip-bgp-neighbors-after "show ip bgp neighbors 10.0.12.1"
rec r3 r3-show-ip-bgp-neighbors-after "show ip bgp neighbors 10.0.23.2"
vty r1 "show version" | head -1 >"$OUT/frr-version.txt"
echo "recorded into $OUT"
