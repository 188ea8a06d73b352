#!/bin/sh
# Record FRR 8.4's BGP show commands, text and JSON, on the spec's Example 4
# (topologies/bgp-multi-as.yaml): r1 AS 65001 announces 10.1.0.0/24 (anchored
# by a static blackhole route), r2 AS 65002 in the middle, r3 AS 65003; eBGP on
# 10.0.12.0/24 and 10.0.23.0/24.
#
# FRR 8.4's `show bgp` without an address family means IPv6 unicast, so the
# tables are recorded with `show ip bgp` (netsim is IPv4-only: its `show bgp`
# and `show ip bgp` are the same command). netsim's BGP show commands are compared with
# these files (tests/scenario/bgp-show.sh: JSON key sets and text layouts).
#
# Needs root, iproute2 and FRR 8.4 (zebra, staticd, bgpd, vtysh). Each router
# is a network namespace; the links are veth pairs. Not part of `make test`.
#   tests/frr/bgp-record.sh [OUTDIR]      (default tests/frr/bgp-multi-as)
set -eu
OUT=${1:-$(dirname "$0")/bgp-multi-as}
NS=nsbgp-
WORK=/tmp/nsbgp-frr
ROUTERS="r1 r2 r3"
. "$(dirname "$0")/frr-lib.sh"

make_routers
link r1 eth0 r2 eth0
link r2 eth1 r3 eth0
addr r1 lo 1.1.1.1/32; addr r1 eth0 10.0.12.1/24
addr r2 lo 2.2.2.2/32; addr r2 eth0 10.0.12.2/24; addr r2 eth1 10.0.23.2/24
addr r3 lo 3.3.3.3/32; addr r3 eth0 10.0.23.3/24

# The topology's bgp: blocks, as FRR configuration. FRR 8.4 refuses eBGP
# routes without a policy by default (ebgp-requires-policy); netsim has no
# such default, so it is turned off.
conf() { # ROUTER AS ID then lines
	r=$1 as=$2 id=$3; shift 3
	{
		echo "hostname $r"
		[ "$r" = r1 ] && echo "ip route 10.1.0.0/24 blackhole"
		echo "router bgp $as"
		echo " bgp router-id $id"
		echo " no bgp ebgp-requires-policy"
		for l in "$@"; do echo "$l"; done
	} >"$(conf_file "$r")"
}
conf r1 65001 1.1.1.1 " neighbor 10.0.12.2 remote-as 65002" \
	" address-family ipv4 unicast" "  network 10.1.0.0/24" " exit-address-family" "exit"
# r2 keeps r1's routes as received (FRR needs soft-reconfiguration inbound for
# `received-routes`; netsim always keeps its Adj-RIB-In).
conf r2 65002 2.2.2.2 " neighbor 10.0.12.1 remote-as 65001" " neighbor 10.0.23.3 remote-as 65003" \
	" address-family ipv4 unicast" "  neighbor 10.0.12.1 soft-reconfiguration inbound" " exit-address-family"
conf r3 65003 3.3.3.3 " neighbor 10.0.23.2 remote-as 65002"

start_routers

# Converged: r3 has the route and every session is up.
i=0
until vty r3 "show ip bgp 10.1.0.0/24 json" | grep -q '"bestpath"' &&
	[ "$(vty r2 'show bgp summary' | grep -c ' 4 *6500[13] ')" = 2 ]; do
	i=$((i + 1))
	[ $i -lt 90 ] || { echo "FRR did not converge" >&2; vty r2 "show bgp summary" >&2; exit 1; }
	sleep 1
done
sleep 3

mkdir -p "$OUT"
rec r2 r2-show-bgp-summary "show bgp summary"
rec r2 r2-show-ip-bgp-summary "show ip bgp summary"
rec r3 r3-show-ip-bgp "show ip bgp"
rec r3 r3-show-ip-bgp-prefix "show ip bgp 10.1.0.0/24"
rec r2 r2-show-ip-bgp "show ip bgp"
rec r2 r2-show-ip-bgp-prefix "show ip bgp 10.1.0.0/24"
rec r1 r1-show-ip-bgp "show ip bgp"
rec r1 r1-show-ip-bgp-prefix "show ip bgp 10.1.0.0/24"
rec r2 r2-show-bgp-neighbors "show bgp neighbors 10.0.12.1"
rec r2 r2-show-bgp-neighbors-all "show bgp neighbors"
rec r2 r2-show-bgp-neighbors-advertised "show ip bgp neighbors 10.0.23.3 advertised-routes"
rec r2 r2-show-bgp-neighbors-received "show ip bgp neighbors 10.0.12.1 received-routes"
rec r2 r2-show-bgp-neighbors-routes "show ip bgp neighbors 10.0.12.1 routes"
vty r3 "show ip route" >"$OUT/r3-show-ip-route.txt"
# The last NOTIFICATION, as `show bgp neighbors` words it after an
# administrative shutdown of the session by r1 and its return.
vty_conf r1 "router bgp 65001" "neighbor 10.0.12.2 shutdown"
sleep 2
rec r2 r2-show-bgp-neighbors-shutdown "show bgp neighbors 10.0.12.1"
rec r2 r2-show-bgp-summary-shutdown "show bgp summary"
vty r1 "show bgp neighbors 10.0.12.2" >"$OUT/r1-show-bgp-neighbors-shutdown.txt"
# No BGP on a router: FRR's answer.
vty r3 "show bgp vrf nosuch summary" >"$OUT/r3-show-bgp-vrf-nosuch.txt" 2>&1 || true
vty r3 "show bgp vrf nosuch summary json" >"$OUT/r3-show-bgp-vrf-nosuch.json" 2>&1 || true
vty r1 "show version" | head -1 >"$OUT/frr-version.txt"
echo "recorded into $OUT"
