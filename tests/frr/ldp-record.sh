#!/bin/sh
# Record FRR 8.4's LDP (RFC 5036) show commands, text and JSON, and the LDP
# packets of one link, on tests/frr/ldp-chain.yaml: a chain r1 - r2 - r3 - r4
# (10.0.12.0/30, 10.0.23.0/30, 10.0.34.0/30; loopbacks 10.255.0.N/32 on lo),
# OSPF area 0 on every link (point-to-point) and loopback, and LDP on every
# core interface with the loopback as LSR ID and transport address.
#
# ldp.pcap: UDP and TCP port 646 on r2's eth1 (the r2 - r3 link), from before
# the daemons start until the first periodic KeepAlives (a third of FRR's
# default 180 s holdtime after the last message of the session). Checksum offload is turned off
# on that link so the capture carries the checksums that went on the wire.
#
# Without MPLS in the kernel (net.mpls.* absent) zebra cannot install LSPs:
# ldpd still discovers, sets up sessions and distributes labels, and
# `show mpls table` / the labels in `show ip route` then show what zebra has.
#
# Needs root, iproute2, ethtool, tcpdump, tshark and FRR 8.4 (zebra, ospfd, ldpd,
# vtysh). Not part of `make test`.
#   tests/frr/ldp-record.sh [OUTDIR]      (default tests/frr/ldp-chain)
set -eu
OUT=${1:-$(dirname "$0")/ldp-chain}
NS=nsldp-
WORK=/tmp/nsldp-frr
ROUTERS="r1 r2 r3 r4"
DAEMONS="zebra ospfd ldpd"
. "$(dirname "$0")/frr-lib.sh"
CAP=
stop_capture() { [ -z "$CAP" ] || { kill "$CAP" 2>/dev/null || true; wait "$CAP" 2>/dev/null || true; CAP=; }; }
[ -n "${KEEP:-}" ] || trap 'stop_capture; teardown' EXIT INT TERM

make_routers
link r1 eth0 r2 eth0
link r2 eth1 r3 eth0
link r3 eth1 r4 eth0
addr r1 lo 10.255.0.1/32; addr r1 eth0 10.0.12.1/30
addr r2 lo 10.255.0.2/32; addr r2 eth0 10.0.12.2/30; addr r2 eth1 10.0.23.1/30
addr r3 lo 10.255.0.3/32; addr r3 eth0 10.0.23.2/30; addr r3 eth1 10.0.34.1/30
addr r4 lo 10.255.0.4/32; addr r4 eth0 10.0.34.2/30

# MPLS forwarding in the kernel, where it exists (zebra installs LSPs only then).
MPLS=no
if [ -e /proc/sys/net/mpls/platform_labels ]; then MPLS=yes; fi
for r in $ROUTERS; do
	in_ns "$r" sysctl -qw net.mpls.platform_labels=100000 2>/dev/null || true
	for i in eth0 eth1; do
		in_ns "$r" sysctl -qw "net.mpls.conf.$i.input=1" 2>/dev/null || true
	done
done

mkdir -p "$OUT"
rm -f "$OUT/ldp.pcap"
in_ns r2 ethtool -K eth1 tx off rx off >/dev/null 2>&1 || true
in_ns r3 ethtool -K eth0 tx off rx off >/dev/null 2>&1 || true
# Not through in_ns: $! must be tcpdump itself (ip netns exec execs it).
ip netns exec "${NS}r2" tcpdump -i eth1 -U -s 0 -w "$OUT/ldp.pcap" 'port 646' 2>"$WORK/tcpdump.err" &
CAP=$!
sleep 2

# conf ROUTER N IF...: OSPF and LDP on the loopback 10.255.0.N and the interfaces.
# Every daemon reads the whole file and skips the commands it does not know,
# climbing to the enclosing node by itself. Hence no `exit` (at the top level
# it ends the reading) and `mpls ldp` after the interfaces, not under `router
# ospf`, where ospfd takes it for an abbreviated `mpls ldp-sync`. zebra takes
# the LDP block's `router-id` for its own (the same address).
conf() {
	r=$1 n=$2; shift 2
	{
		echo "hostname $r"
		echo "!"
		echo "router ospf"
		echo " ospf router-id 10.255.0.$n"
		echo "!"
		echo "interface lo"
		echo " ip ospf area 0"
		for i; do
			echo "!"
			echo "interface $i"
			echo " ip ospf area 0"
			echo " ip ospf network point-to-point"
			echo " ip ospf cost 10"
		done
		echo "!"
		echo "mpls ldp"
		echo " router-id 10.255.0.$n"
		echo " address-family ipv4"
		echo "  discovery transport-address 10.255.0.$n"
		[ -z "${HOST_ROUTES:-}" ] || echo "  label local allocate host-routes"
		for i; do echo "  interface $i"; done
		echo " exit-address-family"
	} >"$(conf_file "$r")"
}
confs() { conf r1 1 eth0; conf r2 2 eth0 eth1; conf r3 3 eth0 eth1; conf r4 4 eth0; }
confs

start_routers
for r in $ROUTERS; do
	if vty "$r" "show running-config" | grep -q ldp-sync; then
		echo "FRR: $r's OSPF took up LDP-IGP synchronization" >&2; exit 1
	fi
done

# Converged: every session Operational (r2 and r3 have two), and r1 has a
# remote label for r4's loopback.
operational() { [ "$(vty "$1" 'show mpls ldp neighbor json' | grep -o '"state":"OPERATIONAL"' | wc -l)" -ge "$2" ]; }
wait_for "r1's LDP session" operational r1 1
wait_for "r2's LDP sessions" operational r2 2
wait_for "r3's LDP sessions" operational r3 2
wait_for "r4's LDP session" operational r4 1
r1_has_r4() { vty r1 'show mpls ldp binding 10.255.0.4/32 json' | grep -q '"remoteLabel"'; }
wait_for "r4's label at r1" r1_has_r4
sleep 5

for r in $ROUTERS; do
	rec "$r" "$r-show-mpls-ldp-binding" "show mpls ldp binding"
	rec "$r" "$r-show-mpls-ldp-neighbor" "show mpls ldp neighbor"
	rec "$r" "$r-show-mpls-ldp-neighbor-detail" "show mpls ldp neighbor detail"
	rec "$r" "$r-show-mpls-ldp-interface" "show mpls ldp interface"
	rec "$r" "$r-show-mpls-ldp-discovery" "show mpls ldp discovery"
	rec "$r" "$r-show-mpls-ldp-discovery-detail" "show mpls ldp discovery detail"
	rec "$r" "$r-show-mpls-table" "show mpls table"
	rec "$r" "$r-show-ip-route" "show ip route"
done
vty r2 "show running-config" >"$OUT/r2-running-config.txt"

# The capture stops after the first periodic KeepAlives (FRR sends one 60 s
# after its last message on the session): 2 at session setup, 2 then.
keepalives() { [ "$(tshark -n -r "$OUT/ldp.pcap" -Y 'ldp.msg.type == 0x0201' 2>/dev/null | wc -l)" -ge 4 ]; }
wait_for "the periodic KeepAlives on r2 - r3" keepalives
sleep 1
stop_capture

# `label local allocate host-routes` (local labels for /32s only, as netsim's
# default `bind: loopbacks`): first added at run time on r2 alone, then on
# every router from the start (ldpd restarted with it; zebra and OSPF stay).
vty_conf r2 "mpls ldp" "address-family ipv4" "label local allocate host-routes" >"$WORK/host-routes.out" 2>&1 || true
sleep 5
rec r2 r2-show-mpls-ldp-binding-host-routes-runtime "show mpls ldp binding"
vty r2 "show running-config" | sed -n '/^mpls ldp/,/^exit$/p' >"$OUT/r2-ldp-config-host-routes.txt"
for r in $ROUTERS; do kill "$(cat "/var/run/frr/$NS$r/ldpd.pid")"; done
sleep 3
HOST_ROUTES=yes
confs
for r in $ROUTERS; do
	in_ns "$r" "$FRR/ldpd" -N "$NS$r" -d -f "$(conf_file "$r")" -i "/var/run/frr/$NS$r/ldpd.pid"
done
wait_for "r1's LDP session (host-routes)" operational r1 1
wait_for "r2's LDP sessions (host-routes)" operational r2 2
wait_for "r3's LDP sessions (host-routes)" operational r3 2
wait_for "r4's LDP session (host-routes)" operational r4 1
wait_for "r4's label at r1 (host-routes)" r1_has_r4
sleep 5
for r in $ROUTERS; do
	rec "$r" "$r-show-mpls-ldp-binding-host-routes" "show mpls ldp binding"
done

# `label local advertise explicit-null` on r4 at run time: label 0 instead of
# implicit null for its own prefixes, as netsim's `explicit_null: true`.
vty_conf r4 "mpls ldp" "address-family ipv4" "label local advertise explicit-null" >/dev/null 2>&1
sleep 5
rec r4 r4-show-mpls-ldp-binding-explicit-null "show mpls ldp binding"
rec r3 r3-show-mpls-ldp-binding-explicit-null "show mpls ldp binding"

vty r1 "show version" | head -1 >"$OUT/frr-version.txt"
echo "kernel MPLS: $MPLS" >"$OUT/kernel-mpls.txt"
echo "recorded into $OUT (kernel MPLS: $MPLS)"
