# The MPLS data plane of BGP/MPLS IP VPNs (RFC 4364) on topologies/l3vpn-static.yaml, its
# routes and labels written by hand (docs/vrf.md, docs/mpls.md): PE1 - P - PE2 with OSPF
# and LDP, VRFs red and blue with the same addresses on both PEs. PE1's red route to
# CE2's subnet is leaked from the default VRF: LDP's label to PE2's loopback outside, the
# VPN label 100 inside (show ip route vrf, text and JSON); PE2 pops 100 into red (show
# mpls forwarding, text and JSON). CE1 pings CE2 through the two-label stack: two labels
# on PE1-P, the VPN label alone on P-PE2 (P popped the transport label), P's LFIB knows
# no VRF; traceroute shows P with both labels and PE2 from its red address; PE2's red
# address answers through the VPN label; blue stays apart (its pings reach blue's host,
# red's address is not reachable from blue nor blue's from red); a VPN label that is not
# the bottom one is dropped and counted as bad; a VPN label and a leaked route at run time
# (mpls lfib add ... pop vrf, route add ... nexthop-vrf); the pipe TTL model; pcapcheck;
# netsim decode; bad topologies at file:line:col.
. tests/scenario/lib.inc
command -v tshark >/dev/null || fail "tshark is not installed (make deps)"
command -v python3 >/dev/null || fail "python3 is needed"
T=topologies/l3vpn-static.yaml
base() { sed -e '/^script:/,$d' $T; }

{
	base
	cat <<'Y'
script:
  - {at: converged, device: pe1, command: show ldp bindings 10.255.0.3/32}
  - {at: converged, device: pe1, command: show ip route vrf red}
  - {at: converged, device: pe1, command: show ip route vrf red json}
  - {at: converged, device: pe1, command: show ip route vrf red 192.168.2.10}
  - {at: converged, device: pe2, command: show mpls forwarding}
  - {at: converged, device: pe2, command: show mpls forwarding json}
  - {at: converged, device: p, command: show mpls forwarding}
  - {at: converged, device: p, command: show mpls forwarding json}
  - {at: converged + 1s, device: ce1, command: ping 192.168.2.10 count 3}
  - {at: converged + 2s, device: ce1, command: traceroute 192.168.2.10}
  - {at: converged + 4s, device: ce1, command: ping 192.168.2.1 count 1}
  - {at: converged + 5s, device: cb1, command: ping 192.168.2.20 count 2}
  - {at: converged + 6s, device: cb1, command: ping 192.168.2.10 count 1, expect: fail}
  - {at: converged + 7s, device: ce1, command: ping 192.168.2.20 count 1, expect: fail}
  - {at: converged + 8s, device: ce1, command: ping 10.255.0.3 count 1, expect: fail}
  - {at: converged + 9s, device: pe2, command: show mpls statistics}
  - {at: converged + 9s, device: pe1, command: route add 192.168.77.0/24 via 10.255.0.3 nexthop-vrf default label 100/999}
  - {at: converged + 9s, device: pe1, command: show ip route 192.168.77.0/24}
  - {at: converged + 10s, device: pe1, command: ping 192.168.77.1 count 1, expect: fail}
  - {at: converged + 11s, device: pe2, command: show mpls statistics json}
  - {at: converged + 12s, device: pe2, command: mpls lfib add 300 pop vrf red}
  - {at: converged + 12s, device: pe2, command: mpls lfib add 301 pop vrf green, expect: fail}
  - {at: converged + 12s, device: pe1, command: route add 192.168.2.0/24 via 10.255.0.3 vrf red nexthop-vrf default label 300}
  - {at: converged + 12s, device: pe1, command: show ip route vrf red 192.168.2.0/24}
  - {at: converged + 13s, device: ce1, command: ping 192.168.2.10 count 1}
  - {at: converged + 14s, device: pe2, command: show mpls forwarding}
Y
} >"$TMP/v.yaml"
mkdir -p "$TMP/p"
"$NETSIM" run --pcap "$TMP/p" "$TMP/v.yaml" >"$TMP/v.out" 2>&1 || { cat "$TMP/v.out"; fail "the L3VPN run failed"; }
R=$TMP/v.out

# The transport label: what P gave PE1 for PE2's loopback.
lt=$(out "$R" pe1 "show ldp bindings 10.255.0.3/32" | awk '$3 == "10.255.0.2" {print $5}')
case "$lt" in '' | *[!0-9]*) fail "no label from p for 10.255.0.3/32 ('$lt')" ;; esac
# The leaked route: in red's table, out of the default VRF's interface, both labels.
expect_contains "$R" "S     192.168.2.0/24 [1/0] via 10.0.12.2, eth0 (vrf default), label $lt/100"
out "$R" pe1 "show ip route vrf red 192.168.2.10" >"$TMP/d"
expect_contains "$TMP/d" "  * 10.0.12.2, via eth0 (vrf default), label $lt/100"
out "$R" pe1 "show ip route vrf red json" | python3 -c "
import json, sys
r = json.load(sys.stdin)['192.168.2.0/24'][0]
nh = r['nexthops'][0]
assert r['protocol'] == 'static' and r['installed'], r
assert nh['ip'] == '10.0.12.2' and nh['interfaceName'] == 'eth0', nh
assert nh['vrf'] == 'default' and nh['labels'] == [$lt, 100], nh
" || fail "show ip route vrf red json"
# The connected route of the VRF has no "vrf": only a next hop of another VRF does.
out "$R" pe1 "show ip route vrf red json" | python3 -c "
import json, sys
assert 'vrf' not in json.load(sys.stdin)['192.168.1.0/24'][0]['nexthops'][0]" || fail "a vrf key on red's own next hop"
# PE2's VPN labels, FRR's layout: the VRF is the next hop.
out "$R" pe2 "show mpls forwarding" | head -n 7 >"$TMP/lfib2"
grep -qE '^ 100 +static +red +implicit-null$' "$TMP/lfib2" || { cat "$TMP/lfib2"; fail "pe2: 100 into red"; }
grep -qE '^ 200 +static +blue +implicit-null$' "$TMP/lfib2" || { cat "$TMP/lfib2"; fail "pe2: 200 into blue"; }
out "$R" pe2 "show mpls forwarding json" | python3 -c "
import json, sys
j = json.load(sys.stdin)
nh = j['100']['nexthops']
assert len(nh) == 1 and nh[0]['type'] == 'static' and nh[0]['outLabel'] == 3, nh
assert nh[0]['interface'] == 'red' and nh[0]['vrf'] == 'red' and 'nexthop' not in nh[0], nh
assert j['200']['nexthops'][0]['vrf'] == 'blue'" || fail "show mpls forwarding json"
# P: LDP's labels only, no VRF anywhere.
out "$R" p "show mpls forwarding" >"$TMP/lfibp"
[ "$(grep -cE '^ [0-9]+ +LDP ' "$TMP/lfibp")" -ge 2 ] || { cat "$TMP/lfibp"; fail "p's LDP entries"; }
grep -qE ' (static|red|blue) ' "$TMP/lfibp" && { cat "$TMP/lfibp"; fail "p knows a VPN label"; }
out "$R" p "show mpls forwarding json" | grep -q '"vrf"' && fail "p's LFIB JSON names a VRF"
grep -qE "^ $lt +LDP +10.0.23.2 +implicit-null$" "$TMP/lfibp" || { cat "$TMP/lfibp"; fail "p does not pop $lt (PHP)"; }

# Red end to end.
expect_contains "$R" "Round-trip path: ce1 -> pe1 -> p -> pe2 -> ce2 -> pe2 -> p -> pe1 -> ce1"
expect_contains "$R" "Ping 192.168.2.10: 3/3 packets received"
out "$R" ce1 "traceroute 192.168.2.10" >"$TMP/tr"
grep -A2 '^ 2  10.0.12.2 ' "$TMP/tr" >"$TMP/hop2"
expect_contains "$TMP/hop2" "     MPLS Label=$lt Exp=0 S=0 TTL=1"
expect_contains "$TMP/hop2" "     MPLS Label=100 Exp=0 S=1 TTL=1"
expect_contains "$TMP/tr" " 3  192.168.2.1 "
expect_contains "$TMP/tr" " 4  192.168.2.10 "
grep -A1 '^ 3  ' "$TMP/tr" | grep -q MPLS && { cat "$TMP/tr"; fail "hop 3 shows labels"; }
# PE2's red address, reached through the VPN label and answered in red.
out "$R" ce1 "ping 192.168.2.1 count 1" >"$TMP/x"
expect_contains "$TMP/x" "64 bytes from 192.168.2.1"
# Blue: its own host at its own address, red's unreachable, and the reverse.
expect_contains "$R" "Round-trip path: cb1 -> pe1 -> p -> pe2 -> cb2 -> pe2 -> p -> pe1 -> cb1"
expect_contains "$R" "Ping 192.168.2.20: 2/2 packets received"
out "$R" cb1 "ping 192.168.2.10 count 1" >"$TMP/x"
expect_contains "$TMP/x" "0/1 packets received"
out "$R" ce1 "ping 192.168.2.20 count 1" >"$TMP/x"
expect_contains "$TMP/x" "0/1 packets received"
# PE2's default-VRF loopback is not in red.
out "$R" ce1 "ping 10.255.0.3 count 1" >"$TMP/x"
expect_contains "$TMP/x" "Destination Net Unreachable"

# A VPN label with more labels below it: dropped at PE2, counted as bad.
expect_contains "$R" "  * 10.0.12.2, via eth0, label $lt/100/999"
b0=$(out "$R" pe2 "show mpls statistics" | awk '$1 == "bad" {print $2}')
b1=$(out "$R" pe2 "show mpls statistics json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["bad"])')
[ "$b0" = 0 ] && [ "$b1" = 1 ] || fail "pe2's bad count: $b0 then $b1 (expected 0 then 1)"

# At run time: a VPN label into red (refused for a VRF that does not exist), and red's
# route to CE2's subnet replaced by one that pushes it: red's pings go on with label 300.
expect_contains "$R" "no VRF 'green'"
out "$R" pe1 "show ip route vrf red 192.168.2.0/24" | tail -n 1 >"$TMP/x"
expect_contains "$TMP/x" "  * 10.0.12.2, via eth0 (vrf default), label $lt/300"
out "$R" ce1 "ping 192.168.2.10 count 1" | tail -n 1 >"$TMP/x"
expect_contains "$TMP/x" "1/1 packets received"
grep -qE "^ 300 +static +red +implicit-null$" "$R" || fail "pe2: 300 into red"

# The wire: two labels on PE1-P (red's 100, blue's 200 under the transport label), the
# VPN label alone on P-PE2.
P=$TMP/p
dissect wire "icmp.type ip.src ip.dst mpls.label frame.number frame.protocols" "$P"/*.pcap
# Echo requests, not the errors that quote one (tshark matches the quoted header too).
REQ='has("icmp.type", 8) && !has("icmp.type", 3) && !has("icmp.type", 11)'
[ "$(frames wire 'f["file"] == "p/pe1-eth0--p-eth0.pcap" && '"$REQ"' && has("ip.dst", "192.168.2.10") && has("mpls.label", 100)' \
	mpls.label | sort -u)" = "$lt,100" ] || fail "pe1-p: red's requests not labelled $lt,100"
# (192.168.2.20 from red, CE1's failed ping, goes with red's label: it never reaches blue.)
[ "$(frames wire 'f["file"] == "p/pe1-eth0--p-eth0.pcap" && '"$REQ"' && has("ip.dst", "192.168.2.20")' mpls.label |
	sort -u | tr '\n' ' ')" = "$lt,100 $lt,200 " ] ||
	fail "pe1-p: requests to 192.168.2.20 not labelled $lt,100 (red) and $lt,200 (blue)"
[ "$(frames wire 'f["file"] == "p/pe2-eth2--cb2-eth0.pcap" && '"$REQ"' && has("ip.dst", "192.168.2.20")' frame.number |
	wc -l)" = 2 ] || fail "blue's host should see blue's 2 requests only"
[ "$(frames wire 'f["file"] == "p/p-eth1--pe2-eth0.pcap" && '"$REQ"' && has("ip.src", "192.168.1.10")' mpls.label |
	sort -u | tr '\n' ' ')" = "100 200 300 " ] || fail "p-pe2: the VPN label alone (100, 200, 300)"
[ "$(frames wire 'f["file"] == "p/pe2-eth1--ce2-eth0.pcap" && '"$REQ" frame.protocols | sort -u)" = "eth:ethertype:ip:icmp:data" ] ||
	fail "pe2-ce2: requests should be plain IPv4"
# Blue's link never sees red's host address as a destination.
[ -z "$(frames wire 'f["file"] == "p/pe2-eth2--cb2-eth0.pcap" && has("ip.dst", "192.168.2.10")' frame.number)" ] ||
	fail "red's traffic on blue's link"
pcapcheck_files "$P"/*.pcap || fail "pcapcheck"
"$NETSIM" decode "$P/pe1-eth0--p-eth0.pcap" >"$TMP/decode" || fail "netsim decode"
expect_contains "$TMP/decode" "MPLS (label $lt, tc 0, ttl 63)  MPLS (label 100, tc 0, [S], ttl 63)  192.168.1.10 > 192.168.2.10  ICMP echo request"

# The pipe model (RFC 3443): labels pushed at 255 hide P; PE2 is the next hop after PE1.
base | sed -e 's/^    mpls:$/    mpls:\n      ttl_propagate: false/' >"$TMP/pipe.yaml"
grep -q 'ttl_propagate: false' "$TMP/pipe.yaml" || fail "no pipe model"
cat >>"$TMP/pipe.yaml" <<'Y'
script:
  - {at: converged + 1s, device: ce1, command: traceroute 192.168.2.10}
Y
"$NETSIM" run "$TMP/pipe.yaml" >"$TMP/pipe.out" 2>&1 || { cat "$TMP/pipe.out"; fail "the pipe run"; }
out "$TMP/pipe.out" ce1 "traceroute 192.168.2.10" >"$TMP/tr"
expect_contains "$TMP/tr" " 2  192.168.2.1 "
expect_contains "$TMP/tr" " 3  192.168.2.10 "
expect_not_contains "$TMP/tr" "10.0.12.2"

# Bad topologies, each at its file:line:col.
bad() { # NAME SED-EXPRESSION EXPECTED-TEXT
	base | sed -e "$2" >"$TMP/$1.yaml"
	! "$NETSIM" run "$TMP/$1.yaml" >"$TMP/$1.out" 2>&1 || fail "$1: accepted"
	grep -qE "^$TMP/$1.yaml:[0-9]+:[0-9]+: .*$3" "$TMP/$1.out" || { cat "$TMP/$1.out"; fail "$1: expected '$3' at file:line:col"; }
}
bad lfibvrf 's/{in_label: 100, action: pop, vrf: red}/{in_label: 100, action: pop, vrf: green}/' "no VRF 'green' on pe2"
bad nhvrf 's/vrf: red, nexthop_vrf: default, labels: \[100\]/vrf: red, nexthop_vrf: purple, labels: [100]/' "no VRF 'purple' on pe1"
bad swapvrf 's/{in_label: 100, action: pop, vrf: red}/{in_label: 100, action: swap, out_label: 5000, via: 10.0.23.1, vrf: red}/' \
	"'vrf' is for a pop without 'via'"
bad twice 's/{in_label: 200, action: pop, vrf: blue}/{in_label: 100, action: pop, vrf: blue}/' "label 100 has LFIB entries already"
