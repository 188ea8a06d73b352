#!/bin/sh
# Record FRR 8.4's graceful restart (RFC 4724) and maximum-prefix output in
# `show ip bgp neighbors`, text and JSON: r1 (AS 65001, 1.1.1.1) announces
# 10.1.0.0/24, 10.1.1.0/24 and 10.1.2.0/24 to r2 (AS 65002, 2.2.2.2) over
# 10.0.12.0/24; r2 has `neighbor 10.0.12.1 maximum-prefix 1000 80`.
#   1. both in Helper mode (FRR's default): r1's and r2's neighbor;
#   2. `bgp graceful-restart` on r1 (Restart mode; FRR resets the session);
#   3. r2's limit lowered to 2 (the three prefixes exceed it: Cease/Maximum
#      Number of Prefixes Reached), then `maximum-prefix 2 80 restart 1`
#      after `clear bgp`: exceeded again, with the restart timer running.
# netsim's output is compared with these files by tests/scenario/bgp-gr-frr.sh.
#
# Needs root, iproute2 and FRR 8.4 (zebra, staticd, bgpd, vtysh). Not part of
# `make test`.
#   tests/frr/gr-record.sh [OUTDIR]      (default tests/frr/bgp-gr)
set -eu
OUT=${1:-$(dirname "$0")/bgp-gr}
NS=nsgr-
WORK=/tmp/nsgr-frr
ROUTERS="r1 r2"
. "$(dirname "$0")/frr-lib.sh"

make_routers
link r1 eth0 r2 eth0
addr r1 lo 1.1.1.1/32; addr r1 eth0 10.0.12.1/24
addr r2 lo 2.2.2.2/32; addr r2 eth0 10.0.12.2/24
cat >"$(conf_file r1)" <<'C'
hostname r1
ip route 10.1.0.0/24 blackhole
ip route 10.1.1.0/24 blackhole
ip route 10.1.2.0/24 blackhole
router bgp 65001
 bgp router-id 1.1.1.1
 no bgp ebgp-requires-policy
 neighbor 10.0.12.2 remote-as 65002
 address-family ipv4 unicast
  network 10.1.0.0/24
  network 10.1.1.0/24
  network 10.1.2.0/24
 exit-address-family
exit
C
cat >"$(conf_file r2)" <<'C'
hostname r2
router bgp 65002
 bgp router-id 2.2.2.2
 no bgp ebgp-requires-policy
 neighbor 10.0.12.1 remote-as 65001
 address-family ipv4 unicast
  neighbor 10.0.12.1 maximum-prefix 1000 80
 exit-address-family
exit
C
start_routers

has3() { [ "$(vty r2 'show ip bgp json' | grep -c '"bestpath"')" = 3 ]; }
wait_for "r2's three routes" has3
sleep 3
mkdir -p "$OUT"
rec r1 r1-neighbor-helper "show ip bgp neighbors 10.0.12.2"
rec r2 r2-neighbor-helper "show ip bgp neighbors 10.0.12.1"

# Restart mode on r1, advertised from the next session on: reset it.
vty_conf r1 "router bgp 65001" "bgp graceful-restart" >/dev/null 2>&1
vty r1 "clear ip bgp 10.0.12.2" >/dev/null
sleep 2
wait_for "the session back" established r2 1
wait_for "r2's three routes" has3
sleep 3
rec r1 r1-neighbor-restart "show ip bgp neighbors 10.0.12.2"
rec r2 r2-neighbor-restart "show ip bgp neighbors 10.0.12.1"

# The limit exceeded: three prefixes, limit 2 (FRR checks at once and ends
# the session). Then the same with a restart interval of 1 minute. (FRR 8.4
# does not end a session cleared after an overflow a second time, so the
# second limit is set on the Idle neighbor.)
vty_conf r2 "router bgp 65002" "address-family ipv4 unicast" "neighbor 10.0.12.1 maximum-prefix 2 80" >/dev/null 2>&1
sleep 3
rec r2 r2-neighbor-maxpfx-exceeded "show ip bgp neighbors 10.0.12.1"
rec r2 r2-summary-maxpfx-exceeded "show ip bgp summary"
vty_conf r2 "router bgp 65002" "address-family ipv4 unicast" "neighbor 10.0.12.1 maximum-prefix 2 80 restart 1" >/dev/null 2>&1
sleep 3
rec r2 r2-neighbor-maxpfx-restart "show ip bgp neighbors 10.0.12.1"
vty r1 "show version" | head -1 >"$OUT/frr-version.txt"
echo "recorded into $OUT"
