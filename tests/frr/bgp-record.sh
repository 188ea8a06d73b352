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
FRR=/usr/lib/frr
NS=nsbgp-
WORK=/tmp/nsbgp-frr
ROUTERS="r1 r2 r3"

teardown() {
	for r in $ROUTERS; do
		for d in bgpd staticd zebra; do
			f=/var/run/frr/$NS$r/$d.pid
			[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
		done
		ip netns del "$NS$r" 2>/dev/null || true
	done
}
[ -n "${KEEP:-}" ] || trap teardown EXIT INT TERM
teardown
sleep 1

in_ns() { ns=$1; shift; ip netns exec "$NS$ns" "$@"; }
for r in $ROUTERS; do
	ip netns add "$NS$r"
	in_ns "$r" ip link set lo up
done
ip link add eth0 netns "${NS}r1" type veth peer name eth0 netns "${NS}r2"
ip link add eth1 netns "${NS}r2" type veth peer name eth0 netns "${NS}r3"
addr() { in_ns "$1" ip addr add "$3" dev "$2"; in_ns "$1" ip link set "$2" up; }
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
	} >"$WORK/$r/frr.conf"
}
rm -rf "$WORK"
for r in $ROUTERS; do
	mkdir -p "$WORK/$r" "/var/run/frr/$NS$r"
	chown frr:frr "$WORK/$r" "/var/run/frr/$NS$r"
done
conf r1 65001 1.1.1.1 " neighbor 10.0.12.2 remote-as 65002" \
	" address-family ipv4 unicast" "  network 10.1.0.0/24" " exit-address-family" "exit"
# r2 keeps r1's routes as received (FRR needs soft-reconfiguration inbound for
# `received-routes`; netsim always keeps its Adj-RIB-In).
conf r2 65002 2.2.2.2 " neighbor 10.0.12.1 remote-as 65001" " neighbor 10.0.23.3 remote-as 65003" \
	" address-family ipv4 unicast" "  neighbor 10.0.12.1 soft-reconfiguration inbound" " exit-address-family"
conf r3 65003 3.3.3.3 " neighbor 10.0.23.2 remote-as 65002"

for r in $ROUTERS; do
	for d in zebra staticd bgpd; do
		in_ns "$r" "$FRR/$d" -N "$NS$r" -d -f "$WORK/$r/frr.conf" -i "/var/run/frr/$NS$r/$d.pid"
		[ "$d" = zebra ] && sleep 1
	done
done

vty() { vtysh -N "$NS$1" -c "$2" 2>/dev/null; }
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
rec() { # ROUTER FILE COMMAND
	vty "$1" "$3" >"$OUT/$2.txt"
	vty "$1" "$3 json" >"$OUT/$2.json"
}
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
vtysh -N "${NS}r1" -c "configure terminal" -c "router bgp 65001" -c "neighbor 10.0.12.2 shutdown"
sleep 2
rec r2 r2-show-bgp-neighbors-shutdown "show bgp neighbors 10.0.12.1"
rec r2 r2-show-bgp-summary-shutdown "show bgp summary"
vty r1 "show bgp neighbors 10.0.12.2" >"$OUT/r1-show-bgp-neighbors-shutdown.txt"
# No BGP on a router: FRR's answer.
vty r3 "show bgp vrf nosuch summary" >"$OUT/r3-show-bgp-vrf-nosuch.txt" 2>&1 || true
vty r3 "show bgp vrf nosuch summary json" >"$OUT/r3-show-bgp-vrf-nosuch.json" 2>&1 || true
vty r1 "show version" | head -1 >"$OUT/frr-version.txt"
echo "recorded into $OUT"
