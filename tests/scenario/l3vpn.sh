# BGP/MPLS IP VPNs (RFC 4364) on topologies/l3vpn.yaml (docs/l3vpn.md): two customers with
# the same addresses over a four-router core, VPN-IPv4 (RFC 4760) through a route reflector,
# red's sites behind CE routers speaking eBGP with their PE in VRF red (RFC 4364 7).
# Checked: the PE-CE sessions in the VRF and the remote site's route at the CE (AS path
# through the provider), OSPF as the PE-CE protocol (an OSPF instance in the VRF, over an
# IS-IS core), the families negotiated (show bgp neighbors json), the reflector's VPN table
# (text and JSON: RDs, route targets, labels, next hops), each PE's VRF tables (the far
# PE's LSP label outside, its VPN label inside), the VPN labels in the egress LFIB; red
# and blue reach their own sites with the same addresses (the answering host named in the
# round-trip path) and red not blue's third site; on the wire: two labels on pe1-p1, the
# VPN label alone on p1-pe2, the VPN-IPv4 UPDATEs as tshark decodes them (RD, label
# stack, prefix), pcapcheck on every link; a customer link going down withdraws its VPN
# route everywhere and back; bgp vpn-originate and its no form; bad topologies at
# file:line:col.
. tests/scenario/lib.inc
command -v tshark >/dev/null || fail "tshark is not installed (make deps)"
command -v python3 >/dev/null || fail "python3 is needed"
T=topologies/l3vpn.yaml
base() { sed -e '/^script:/,$d' "$T"; }

{
	base
	cat <<'Y'
script:
  - {at: converged, device: p1, command: show bgp neighbors 10.255.0.1 json}
  - {at: converged, device: p1, command: show bgp ipv4 vpn}
  - {at: converged, device: p1, command: show bgp ipv4 vpn json}
  - {at: converged, device: p1, command: show bgp ipv4 vpn rd 65000:12}
  - {at: converged, device: p1, command: show bgp ipv4 vpn summary json}
  - {at: converged, device: pe1, command: show ldp bindings 10.255.0.2/32}
  - {at: converged, device: pe1, command: show ip route vrf red json}
  - {at: converged, device: pe1, command: show ip route vrf blue}
  - {at: converged, device: pe1, command: show bgp vrf red json}
  - {at: converged, device: pe2, command: show mpls forwarding json}
  - {at: converged, device: pe1, command: show bgp vrf red summary json}
  - {at: converged, device: ce1, command: show bgp json}
  - {at: converged, device: pe2, command: show tcp json}
  - {at: converged + 10ms, device: red1, command: ping 192.168.2.10 count 2}
  - {at: converged + 1s, device: blue1, command: ping 192.168.2.10 count 2}
  - {at: converged + 2s, device: blue1, command: ping 192.168.3.10 count 1}
  - {at: converged + 3s, device: red1, command: ping 192.168.3.10 count 1, expect: fail}
  - {at: converged + 4s, device: pe2, command: interface eth2 shutdown}
  - {at: converged + 5s, device: p1, command: show bgp ipv4 vpn rd 65000:11}
  - {at: converged + 5s, device: pe1, command: show ip route vrf red}
  - {at: converged + 5s, device: red1, command: ping 192.168.2.10 count 1, expect: fail}
  - {at: converged + 6s, device: pe2, command: interface eth2 no shutdown}
  - {at: converged + 20s, device: pe1, command: show ip route vrf red}
  - {at: converged + 20s, device: red1, command: ping 192.168.2.10 count 1}
  - {at: converged + 21s, device: pe1, command: no bgp vpn-originate red}
  - {at: converged + 22s, device: pe2, command: show ip route vrf red}
  - {at: converged + 22s, device: pe1, command: bgp vpn-originate red}
  - {at: converged + 23s, device: pe2, command: show ip route vrf red}
  - {at: converged + 23s, device: pe1, command: bgp vpn-originate nosuch, expect: fail}
Y
} >"$TMP/v.yaml"
mkdir -p "$TMP/p"
"$NETSIM" run --pcap "$TMP/p" "$TMP/v.yaml" >"$TMP/v.out" 2>&1 || { cat "$TMP/v.out"; fail "the L3VPN run failed"; }
R=$TMP/v.out
P=$TMP/p

# The session carries VPN-IPv4 only, as both sides announced.
out "$R" p1 "show bgp neighbors 10.255.0.1 json" | python3 -c "
import json, sys
n = json.load(sys.stdin)['10.255.0.1']
mp = n['neighborCapabilities']['multiprotocolExtensions']
assert mp == {'ipv4Vpn': {'advertisedAndReceived': True}}, mp
v = n['addressFamilyInfo']['ipv4Vpn']
assert v['routeReflectorClient'] and v['acceptedPrefixCounter'] == 2 and v['sentPrefixCounter'] == 3, v
" || fail "p1: families of the session with pe1"

# The reflector's table: five routes under four RDs, FRR's layout.
out "$R" p1 "show bgp ipv4 vpn" >"$TMP/vpn"
expect_contains "$TMP/vpn" "Route Distinguisher: 65000:1"
expect_contains "$TMP/vpn" "*>i192.168.1.0/24   10.255.0.1               0    100      0 ?"
expect_contains "$TMP/vpn" "*>i192.168.2.0/24   10.255.0.2               0    100      0 65102 i"
expect_contains "$TMP/vpn" "    UN=10.255.0.2 EC{65000:200} label=81 type=bgp, subtype=0"
expect_contains "$TMP/vpn" "Displayed  5 routes and 5 total paths"
out "$R" p1 "show bgp ipv4 vpn rd 65000:12" >"$TMP/rd"
expect_contains "$TMP/rd" "*>i192.168.3.0/24   10.255.0.2"
grep -q "65000:11" "$TMP/rd" && fail "rd 65000:12 shows another RD"
out "$R" p1 "show bgp ipv4 vpn json" | python3 -c "
import json, sys
t = json.load(sys.stdin)['routes']['routeDistinguishers']
assert sorted(t) == ['65000:1', '65000:11', '65000:12', '65000:2'], sorted(t)
p = t['65000:12']['192.168.3.0/24'][0]
assert p['bestpath'] and p['valid'] and p['pathFrom'] == 'internal', p
assert p['nexthops'][0]['ip'] == '10.255.0.2' and p['peerId'] == '10.255.0.2', p
assert p['remoteLabel'] == 81 and p['extendedCommunity']['string'] == 'RT:65000:200', p
assert t['65000:1']['192.168.1.0/24'][0]['extendedCommunity']['string'] == 'RT:65000:100'
" || fail "p1: show bgp ipv4 vpn json"
out "$R" p1 "show bgp ipv4 vpn summary json" | python3 -c "
import json, sys
s = json.load(sys.stdin)
assert list(s) == ['ipv4Vpn'], list(s)
p = s['ipv4Vpn']['peers']
assert p['10.255.0.1']['pfxRcd'] == 2 and p['10.255.0.2']['pfxRcd'] == 3, p
assert all(v['state'] == 'Established' for v in p.values()), p
" || fail "p1: show bgp ipv4 vpn summary json"

# pe1's red table: pe2's site over the LSP to pe2 (LDP's label) with pe2's VPN label inside.
lt=$(out "$R" pe1 "show ldp bindings 10.255.0.2/32" | awk '$3 == "10.255.0.11" {print $5}')
case "$lt" in '' | *[!0-9]*) fail "no label from p1 for 10.255.0.2/32 ('$lt')" ;; esac
out "$R" pe1 "show ip route vrf red json" | python3 -c "
import json, sys
t = json.load(sys.stdin)
r = t['192.168.2.0/24'][0]
nh = r['nexthops'][0]
assert r['protocol'] == 'bgp' and r['distance'] == 200 and r['installed'], r
assert nh['ip'] == '10.0.11.2' and nh['interfaceName'] == 'eth0' and nh['vrf'] == 'default', nh
assert nh['labels'] == [$lt, 80], nh
assert '192.168.3.0/24' not in t, 'red has blue\'s third site'
" || fail "pe1: show ip route vrf red json"
out "$R" pe1 "show ip route vrf blue" >"$TMP/blue"
expect_contains "$TMP/blue" "B     192.168.3.0/24 [200/0] via 10.0.11.2, eth0 (vrf default), label $lt/81"
out "$R" pe1 "show bgp vrf red json" | python3 -c "
import json, sys
r = json.load(sys.stdin)['routes']
own, far = r['192.168.1.0/24'][0], r['192.168.2.0/24'][0]
assert own['bestpath'] and own['nhVrfName'] == 'red' and own['remoteLabel'] == 80, own
assert far['bestpath'] and far['peerId'] == '10.255.0.11' and far['nexthops'][0]['ip'] == '10.255.0.2', far
" || fail "pe1: show bgp vrf red json"
# PE-CE: pe1's session with ce1 runs in VRF red; ce1 learns red's far site through AS 65000.
out "$R" pe1 "show bgp vrf red summary json" | python3 -c "
import json, sys
s = json.load(sys.stdin)['ipv4Unicast']
assert s['vrfName'] == 'red' and s['vrfId'] == 1, s
p = s['peers']['10.1.1.2']
assert p['state'] == 'Established' and p['remoteAs'] == 65101 and p['pfxRcd'] == 1, p
" || fail "pe1: show bgp vrf red summary json"
out "$R" ce1 "show bgp json" | python3 -c "
import json, sys
r = json.load(sys.stdin)['routes']['192.168.2.0/24'][0]
assert r['path'] == '65000 65102' and r['nexthops'][0]['ip'] == '10.1.1.1' and r['bestpath'], r
" || fail "ce1: red's far site"
out "$R" pe2 "show tcp json" | python3 -c "
import json, sys
t = json.load(sys.stdin)
c = [x for x in (t if isinstance(t, list) else t.get('connections', [])) if x.get('vrf') == 'red' and x.get('state') == 'ESTABLISHED']
assert len(c) == 1, t
" || fail "pe2: the PE-CE TCP connection in VRF red"
out "$R" pe2 "show mpls forwarding json" | python3 -c "
import json, sys
f = json.load(sys.stdin)
for label, vrf in (('80', 'red'), ('81', 'blue')):
    nh = f[label]['nexthops'][0]
    assert nh['type'] == 'BGP' and nh['vrf'] == vrf, (label, nh)
" || fail "pe2: VPN labels in show mpls forwarding json"

# The same addresses, each customer's own host answers; red has no way to blue's third site.
out "$R" red1 "ping 192.168.2.10 count 2" >"$TMP/ping"
expect_contains "$TMP/ping" "2/2 packets received"
expect_contains "$TMP/ping" "Round-trip path: red1 -> ce1 -> pe1 -> p1 -> pe2 -> ce2 -> red2 -> ce2 -> pe2 -> p1 -> pe1 -> ce1 -> red1"
out "$R" blue1 "ping 192.168.2.10 count 2" >"$TMP/ping"
expect_contains "$TMP/ping" "Round-trip path: blue1 -> pe1 -> p1 -> pe2 -> blue2 -> pe2 -> p1 -> pe1 -> blue1"
out "$R" blue1 "ping 192.168.3.10 count 1" | grep -q "1/1 packets received" || fail "blue1 to blue3"
out "$R" red1 "ping 192.168.3.10 count 1" | grep -q "Destination Net Unreachable" || fail "red reached blue3"

# A PE-CE link down ends the session (fast external failover) and withdraws the site's route
# from every PE; back up, it returns.
# outn FILE DEVICE COMMAND N: the Nth output of a command that ran several times.
outn() {
	awk -v p="] $2> $3" -v n="$4" '
		index($0, p) > 0 && index($0, p) == length($0) - length(p) + 1 { k++; on = k == n; next }
		on && /^\[t=[0-9.]*ms\] / { exit }
		on && /^Simulation complete:/ { exit }
		on { print }' "$1"
}
out "$R" p1 "show bgp ipv4 vpn rd 65000:11" | grep -q "No BGP prefixes displayed" || fail "65000:11 not withdrawn"
outn "$R" pe1 "show ip route vrf red" 1 | grep -q "192.168.2.0/24" && fail "pe1 kept red's withdrawn site"
outn "$R" pe1 "show ip route vrf red" 2 | grep -q "^B     192.168.2.0/24 .*label $lt/80" || fail "red's site not back on pe1"
outn "$R" red1 "ping 192.168.2.10 count 1" 2 | grep -q "1/1 packets received" || fail "red2 after the link came back"
# vpn-originate: pe1's red routes withdrawn from VPN-IPv4, then exported again (a new label).
outn "$R" pe2 "show ip route vrf red" 1 | grep -q "192.168.1.0/24" &&
	fail "pe2 kept pe1's red route after no bgp vpn-originate"
outn "$R" pe2 "show ip route vrf red" 2 | grep -q "^B     192.168.1.0/24 .*(vrf default), label [0-9]*/8[0-9]," ||
	fail "pe2 has no pe1 red route after bgp vpn-originate"
expect_contains "$R" "% no VRF 'nosuch' on pe1"

# On the wire: two labels from pe1 into the core, the VPN label alone after p1 (PHP).
dissect wire "icmp.type icmp.resp_to ip.src ip.dst mpls.label bgp.type bgp.rd bgp.label_stack
	bgp.mp_reach_nlri_ipv4_prefix frame.protocols _ws.malformed _ws.expert.severity _ws.expert.message" "$P"/*.pcap
REQ='has("icmp.type", 8) && f["icmp.resp_to"] == "" && has("ip.src", "192.168.1.10") && has("ip.dst", "192.168.2.10")'
[ "$(frames wire 'f["file"] == "p/pe1-eth0--p1-eth0.pcap" && '"$REQ" mpls.label | sort -u | tr '\n' ' ')" = "$lt,80 $lt,81 " ] ||
	fail "pe1-p1: not the two-label stacks"
[ "$(frames wire 'f["file"] == "p/p1-eth1--pe2-eth0.pcap" && '"$REQ" mpls.label | sort -u | tr '\n' ' ')" = "80 81 " ] ||
	fail "p1-pe2: not the VPN label alone"
# The VPN-IPv4 UPDATEs pe2 sent p1, as tshark reads them.
frames wire 'f["file"] == "p/p1-eth1--pe2-eth0.pcap" && has("bgp.type", 2) && has("ip.src", "10.255.0.2") && f["bgp.rd"] != ""' \
	bgp.rd bgp.label_stack bgp.mp_reach_nlri_ipv4_prefix >"$TMP/upd"
grep -q "^65000:12,65000:12	81 (bottom),81 (bottom)	192.168.2.0,192.168.3.0$" "$TMP/upd" ||
	{ cat "$TMP/upd"; fail "tshark: pe2's blue UPDATE"; }
grep -q "^65000:11	80 (bottom)	192.168.2.0$" "$TMP/upd" || { cat "$TMP/upd"; fail "tshark: pe2's red UPDATE"; }
pcapcheck_files "$P"/*.pcap || fail "pcapcheck"
# No warning on a BGP or MPLS frame (the RST that ends a lost connection collision is TCP's).
w=$(frames wire '(proto("bgp") || proto("mpls")) && (f["_ws.malformed"] != "" || most("_ws.expert.severity") >= 6291456)' \
	_ws.expert.message | sort -u)
[ -z "$w" ] || fail "tshark: $w"
"$NETSIM" decode "$P/p1-eth1--pe2-eth0.pcap" >"$TMP/decode" || fail "netsim decode"
grep -q "vpnv4" "$TMP/decode" || fail "netsim decode shows no VPN-IPv4"

# Bad topologies.
bad() { # KEY-LINE REPLACEMENT MESSAGE
	sed -e "s|$1|$2|" "$T" >"$TMP/bad.yaml"
	"$NETSIM" validate "$TMP/bad.yaml" >"$TMP/bad.out" 2>&1 && fail "accepted: $2"
	grep -q "$3" "$TMP/bad.out" || { cat "$TMP/bad.out"; fail "no '$3'"; }
}
bad "families: \[vpnv4\]}$" "families: [vpnv4, ipv6]}" "bad.yaml:[0-9]*:[0-9]*: .*ipv4 or vpnv4"
bad "families: \[vpnv4\]}$" "families: [vpnv4, vpnv4]}" "bad.yaml:[0-9]*:[0-9]*: families: vpnv4 is listed twice"
bad "{name: blue, redistribute: \[connected\]}" "{name: green, redistribute: [connected]}" "bad.yaml:[0-9]*:[0-9]*: pe1: bgp VRF 'green' is not a VRF of pe1"
bad "{name: blue, redistribute: \[connected\]}" "{name: blue, redistribute: [isis]}" "bad.yaml:[0-9]*:[0-9]*: cannot redistribute 'isis'"
bad '{name: red, rd: "65000:1", import' '{name: red, import' "bad.yaml:[0-9]*:[0-9]*: pe1: VRF red has no rd"
bad "{ip: 10.1.1.2, remote_as: 65101}" "{ip: 10.1.1.2, remote_as: 65101, families: [vpnv4]}" "bad.yaml:[0-9]*:[0-9]*: pe1: neighbor 10.1.1.2 in VRF red: a VRF's sessions carry IPv4 unicast only"
bad "{ip: 10.1.1.2, remote_as: 65101}" "{ip: 10.1.1.1, remote_as: 65101}" "bad.yaml:[0-9]*:[0-9]*: pe1: neighbor 10.1.1.1 is an address of pe1 itself"
# Intent checks follow the labels (verify/walk.c): through p1 on LDP's label, into red at pe2.
cat >"$TMP/intents.yaml" <<'Y'
- {reachable: {from: red1, to: 192.168.2.10}}
- {path: {from: blue1, to: 192.168.3.10, via: p1}}
- {unreachable: {from: red1, to: 192.168.3.10}}
- {no_loops: {destinations: [192.168.2.10, 192.168.3.10]}}
Y
"$NETSIM" verify "$T" "$TMP/intents.yaml" >"$TMP/verify.out" || { cat "$TMP/verify.out"; fail "verify on the L3VPN"; }
expect_contains "$TMP/verify.out" "-> pe1 [192.168.2.0/24 bgp via 10.0.11.2 eth0] -> p1 [label $lt] -> pe2 [label 80] [192.168.2.0/24 bgp via 10.1.2.2 eth2] -> ce2"
expect_contains "$TMP/verify.out" "4 passed, 0 failed, 0 inconclusive"

# OSPF between PE and CE (tests/l3vpn/ospf-pe-ce.yaml): an IS-IS core, pe1's OSPF in VRF red.
{
	cat tests/l3vpn/ospf-pe-ce.yaml
	cat <<'Y'
script:
  - {at: converged, device: pe1, command: show ip route vrf red}
  - {at: converged, device: ce1, command: show ip route}
  - {at: converged, device: pe2, command: show ip route vrf red}
  - {at: converged, device: pe1, command: show ip ospf neighbor}
  - {at: converged + 1s, device: h1, command: ping 192.168.2.10 count 2}
Y
} >"$TMP/o.yaml"
"$NETSIM" run "$TMP/o.yaml" >"$TMP/o.out" 2>&1 || { cat "$TMP/o.out"; fail "the OSPF PE-CE run failed"; }
O=$TMP/o.out
out "$O" pe1 "show ip route vrf red" | grep -q "^O     192.168.1.0/24 \[110/20\] via 10.1.1.2, eth1" || fail "pe1: ce1's LAN not in red by OSPF"
out "$O" ce1 "show ip route" | grep -q "^O E2  192.168.2.0/24 \[110/20\] via 10.1.1.1, eth0" || fail "ce1: red's far LAN not redistributed by pe1"
out "$O" pe2 "show ip route vrf red" | grep -q "^B     192.168.1.0/24 \[200/20\] via 10.0.2.1, eth0 (vrf default), label [0-9]*/80" ||
	fail "pe2: ce1's LAN not imported with its OSPF metric as MED"
out "$O" pe1 "show ip ospf neighbor" | grep -q "^10.255.1.1 .* FULL/  -  .* 10.1.1.2 .*eth1$" || fail "pe1: no OSPF adjacency with ce1"
out "$O" h1 "ping 192.168.2.10 count 2" | grep -q "2/2 packets received" || fail "h1 to h2 over OSPF PE-CE"
# An OSPF interface in another VRF than its instance's, and an unknown VRF.
sed -e 's/ospf: {vrf: red, redistribute: \[bgp\]}/ospf: {redistribute: [bgp]}/' tests/l3vpn/ospf-pe-ce.yaml >"$TMP/bad.yaml"
"$NETSIM" validate "$TMP/bad.yaml" >"$TMP/bad.out" 2>&1 && fail "an OSPF interface in red with OSPF in the default VRF accepted"
grep -q "bad.yaml:[0-9]*:[0-9]*: pe1:eth1 is in VRF red, and ospf on pe1 runs in VRF default (its device block's vrf:)" "$TMP/bad.out" ||
	{ cat "$TMP/bad.out"; fail "no error for the OSPF interface in red"; }
sed -e 's/ospf: {vrf: red,/ospf: {vrf: green,/' tests/l3vpn/ospf-pe-ce.yaml >"$TMP/bad.yaml"
"$NETSIM" validate "$TMP/bad.yaml" >"$TMP/bad.out" 2>&1 && fail "ospf vrf: green accepted"
grep -q "bad.yaml:[0-9]*:[0-9]*: vrf: green is not a VRF of pe1" "$TMP/bad.out" || { cat "$TMP/bad.out"; fail "no error for vrf: green"; }
echo "L3VPN: VPN-IPv4 through a reflector, two-label forwarding, customers kept apart, withdrawals, vpn-originate"
