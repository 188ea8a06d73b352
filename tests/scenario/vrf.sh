# VRFs (VRF-lite, docs/vrf.md): the same subnet and host address in two VRFs
# of one router, each reached only from its own VRF; ping and traceroute in a
# VRF from the router; show ip route vrf (text, a prefix, JSON) and show vrf
# JSON; static routes per VRF added and removed at run time; every frame
# through pcapcheck, and no red traffic on blue's link; Lua's net:walk; RDs.
. tests/scenario/lib.inc

sed -e '/^script:/,$d' topologies/vrf-lite.yaml >"$TMP/v.yaml"
cat >>"$TMP/v.yaml" <<'Y'
script:
  - {at: converged, device: r1, command: show vrf json}
  - {at: converged, device: r1, command: show interfaces}
  - {at: converged, device: r1, command: show interfaces json}
  - {at: converged, device: r1, command: show ip route vrf red json}
  - {at: converged, device: r1, command: show ip route json}
  - {at: converged, device: r1, command: show ip route vrf blue 192.168.1.10}
  - {at: converged, device: r1, command: show ip route vrf blue summary}
  - {at: converged, device: r1, command: show ip route vrf green, expect: fail}
  - {at: converged + 10ms, device: hr2, command: ping 192.168.1.10 count 1}
  - {at: converged + 1s, device: hb2, command: ping 192.168.1.10 count 1}
  - {at: converged + 1500ms, device: r1, command: show arp}
  - {at: converged + 2s, device: hr1, command: ping 192.168.3.10 count 1, expect: fail}
  - {at: converged + 3s, device: hr1, command: ping 10.255.0.1 count 1, expect: fail}
  - {at: converged + 4s, device: hr1, command: ping 192.168.1.1 count 1}
  - {at: converged + 5s, device: r1, command: ping vrf red 192.168.2.10 count 1}
  - {at: converged + 6s, device: r1, command: ping vrf red 192.168.3.10 count 1, expect: fail}
  - {at: converged + 7s, device: r1, command: ping 192.168.2.10 count 1, expect: fail}
  - {at: converged + 8s, device: r1, command: ping vrf red 192.168.2.10 source 10.255.0.1, expect: fail}
  - {at: converged + 8s, device: r1, command: ping vrf red 192.168.2.10 source 192.168.1.1 count 1}
  - {at: converged + 9s, device: r1, command: traceroute vrf blue 192.168.3.10}
  - {at: converged + 10s, device: r1, command: traceroute vrf red 192.168.3.10 max-ttl 2 timeout 1, expect: fail}
  - {at: converged + 13s, device: r2, command: ping vrf red 10.0.12.1 count 1}
  - {at: converged + 14s, device: r1, command: route del 192.168.2.0/24 vrf red}
  - {at: converged + 14s, device: r1, command: route del 192.168.2.0/24, expect: fail}
  - {at: converged + 14s, device: hr1, command: ping 192.168.2.10 count 1, expect: fail}
  - {at: converged + 16s, device: r1, command: route add 192.168.2.0/24 via 10.0.12.2 vrf red}
  - {at: converged + 16s, device: hr1, command: ping 192.168.2.10 count 2}
  - {at: converged + 17s, device: r1, command: route add 192.168.9.0/24 dev eth0 vrf red, expect: fail}
Y
mkdir -p "$TMP/pcap"
"$NETSIM" run --pcap "$TMP/pcap" "$TMP/v.yaml" >"$TMP/v.out" 2>&1 || { cat "$TMP/v.out"; fail "the VRF run failed"; }

# One address, two hosts: each VRF's ping is answered by its own host.
out "$TMP/v.out" hr2 "ping 192.168.1.10 count 1" >"$TMP/red"
expect_contains "$TMP/red" "Round-trip path: hr2 -> r2 -> r1 -> hr1 -> r1 -> r2 -> hr2"
out "$TMP/v.out" hb2 "ping 192.168.1.10 count 1" >"$TMP/blue"
expect_contains "$TMP/blue" "Round-trip path: hb2 -> r2 -> r1 -> hb1 -> r1 -> r2 -> hb2"
# r1's ARP cache holds 192.168.1.10 once per VRF, on each VRF's interface.
out "$TMP/v.out" r1 "show arp" >"$TMP/arp"
[ "$(grep -c '^192\.168\.1\.10 .* eth1 ' "$TMP/arp")" = 1 ] && [ "$(grep -c '^192\.168\.1\.10 .* eth2 ' "$TMP/arp")" = 1 ] || {
	cat "$TMP/arp"; fail "192.168.1.10 should be in r1's ARP cache on eth1 and on eth2"; }
# Red to blue: r1's red table has no route; the error comes from r1's red interface.
out "$TMP/v.out" hr1 "ping 192.168.3.10 count 1" >"$TMP/x"
expect_contains "$TMP/x" "From 192.168.1.1 icmp_seq=1 Destination Net Unreachable"
# r1's default-VRF loopback is not an address of VRF red.
out "$TMP/v.out" hr1 "ping 10.255.0.1 count 1" >"$TMP/x"
expect_contains "$TMP/x" "Destination Net Unreachable"
out "$TMP/v.out" hr1 "ping 192.168.1.1 count 1" >"$TMP/x"
expect_contains "$TMP/x" "64 bytes from 192.168.1.1"

# From the router: ping and traceroute in a VRF, and not in the default VRF.
out "$TMP/v.out" r1 "ping vrf red 192.168.2.10 count 1" >"$TMP/x"
expect_contains "$TMP/x" "Round-trip path: r1 -> r2 -> hr2 -> r2 -> r1"
out "$TMP/v.out" r1 "ping vrf red 192.168.3.10 count 1" >"$TMP/x"
expect_contains "$TMP/x" "no route to host"
out "$TMP/v.out" r1 "ping 192.168.2.10 count 1" >"$TMP/x"
expect_contains "$TMP/x" "no route to host"
expect_contains "$TMP/v.out" "% 10.255.0.1 is not an address of r1 in VRF red"
out "$TMP/v.out" r1 "ping vrf red 192.168.2.10 source 192.168.1.1 count 1" >"$TMP/x"
expect_contains "$TMP/x" "1/1 packets received"
out "$TMP/v.out" r1 "traceroute vrf blue 192.168.3.10" >"$TMP/x"
expect_contains "$TMP/x" " 1  10.0.12.2  "
expect_contains "$TMP/x" " 2  192.168.3.10  "
out "$TMP/v.out" r1 "traceroute vrf red 192.168.3.10 max-ttl 2 timeout 1" >"$TMP/x"
expect_contains "$TMP/x" " 1  !N !N !N"
# r2 pings r1's red address 10.0.12.1: r1 answers in VRF red, over the red link.
out "$TMP/v.out" r2 "ping vrf red 10.0.12.1 count 1" >"$TMP/x"
expect_contains "$TMP/x" "Round-trip path: r2 -> r1 -> r2"

# Run-time static routes in a VRF.
out "$TMP/v.out" hr1 "ping 192.168.2.10 count 1" >"$TMP/x"
expect_contains "$TMP/x" "Destination Net Unreachable"
out "$TMP/v.out" hr1 "ping 192.168.2.10 count 2" >"$TMP/x"
expect_contains "$TMP/x" "2/2 packets received"
expect_contains "$TMP/v.out" "% no static route to 192.168.2.0/24"
expect_contains "$TMP/v.out" "% interface eth0 is in VRF default, the route in VRF red"
expect_contains "$TMP/v.out" "% no VRF 'green' on r1"

# show ip route vrf: a prefix's entry, the summary's VRF name.
out "$TMP/v.out" r1 "show ip route vrf blue 192.168.1.10" >"$TMP/x"
expect_contains "$TMP/x" "Routing entry for 192.168.1.0/24"
expect_contains "$TMP/x" "  * directly connected, via eth2"
out "$TMP/v.out" r1 "show ip route vrf blue summary" >"$TMP/x"
expect_contains "$TMP/x" "(vrf blue)"
expect_contains "$TMP/x" "static               1                    1"

# show interfaces: a VRF's interfaces say so (text and FRR's vrfName), the default VRF's do not.
out "$TMP/v.out" r1 "show interfaces" >"$TMP/x"
grep -A1 '^eth1 ' "$TMP/x" | grep -qx '  vrf red' || { cat "$TMP/x"; fail "eth1 should show 'vrf red'"; }
grep -A1 '^eth0 ' "$TMP/x" | grep -q 'vrf' && { cat "$TMP/x"; fail "eth0 is in the default VRF"; }
out "$TMP/v.out" r1 "show interfaces json" >"$TMP/ifs.json"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["eth2"]["vrfName"] == "blue" and d["eth3"]["vrfName"] == "red", d
assert "vrfName" not in d["eth0"] and "vrfName" not in d["lo"], d
' "$TMP/ifs.json" || fail "show interfaces json: vrfName"

# JSON: FRR's route objects keyed by prefix, per VRF; show vrf keyed by name.
out "$TMP/v.out" r1 "show ip route vrf red json" >"$TMP/red.json"
out "$TMP/v.out" r1 "show ip route json" >"$TMP/default.json"
out "$TMP/v.out" r1 "show vrf json" >"$TMP/vrf.json"
python3 - "$TMP/red.json" "$TMP/default.json" "$TMP/vrf.json" <<'P' || fail "VRF JSON"
import json, sys
red, dflt, vrf = (json.load(open(f)) for f in sys.argv[1:4])
assert sorted(red) == ["10.0.12.0/30", "192.168.1.0/24", "192.168.2.0/24"], sorted(red)
r = red["192.168.1.0/24"][0]
assert r["protocol"] == "connected" and r["nexthops"][0]["interfaceName"] == "eth1", r
s = red["192.168.2.0/24"][0]
assert s["protocol"] == "static" and s["nexthops"][0]["ip"] == "10.0.12.2", s
assert s["nexthops"][0]["interfaceName"] == "eth3", s
assert sorted(dflt) == ["10.0.0.0/30", "10.255.0.1/32", "10.255.0.2/32"], sorted(dflt)
assert list(vrf) == ["red", "blue"], vrf
assert vrf["red"] == {"type": "vrf", "id": 1, "table": 1, "rd": "65000:1",
                      "importTargets": ["65000:1"], "exportTargets": ["65000:1"],
                      "interfaces": ["eth1", "eth3"], "routes": 3}, vrf["red"]
assert vrf["blue"]["rd"] == "10.255.0.1:2" and vrf["blue"]["interfaces"] == ["eth2", "eth4"], vrf
P

# The captures: clean for tshark, and the red link carries no blue subnet.
pcapcheck_files "$TMP"/pcap/*.pcap || fail "pcapcheck on the VRF pcaps"
dissect wire "icmp.type ip.src ip.addr" "$TMP/pcap/hb1-eth0--r1-eth2.pcap" "$TMP/pcap/r1-eth3--r2-eth1.pcap"
[ -n "$(frames wire 'f["file"] == "pcap/hb1-eth0--r1-eth2.pcap" && has("icmp.type", 0) && has("ip.src", "192.168.1.10")' \
	ip.src)" ] || fail "no echo reply from blue's 192.168.1.10 on its own link"
# (ip.addr == 192.168.3.0/24: a source or destination address, outer or quoted, in that subnet.)
[ -z "$(frames wire 'f["file"] == "pcap/r1-eth3--r2-eth1.pcap" && ("," f["ip.addr"]) ~ /,192\.168\.3\.[0-9]+/' ip.src)" ] ||
	fail "blue's subnet on red's link"

# Lua's net:walk follows each device's table in the VRF the walk arrived in.
cat >"$TMP/w.lua" <<'L'
local net = netsim.load(netsim.args[1], {script = false})
net:run_until_converged()
for _, q in ipairs({{"hr2", "192.168.1.10"}, {"hb2", "192.168.1.10"}, {"hr1", "192.168.3.10"}}) do
	local w = net:walk(q[1], q[2])
	print(q[1] .. " " .. w.result .. " " .. table.concat(w.route, ",") .. " / " .. table.concat(w.path, ","))
end
L
"$NETSIM" run "$TMP/w.lua" "$TOP/topologies/vrf-lite.yaml" >"$TMP/w.out" 2>&1 || { cat "$TMP/w.out"; fail "net:walk"; }
expect_contains "$TMP/w.out" "hr2 delivered hr2,r2,r1,hr1 / "
expect_contains "$TMP/w.out" "hb2 delivered hb2,r2,r1,hb1 / "
expect_contains "$TMP/w.out" "hr1 no_route  / hr1,r1"

# The Lua DSL: vrfs and vrf keys, route_add/route_del with a VRF before and after the build.
cat >"$TMP/l.lua" <<'L'
local net = netsim.network("l", {seed = 3})
local r1 = net:router("r1", {vrfs = {{name = "red", rd = "65000:1", import_targets = {}}}})
r1:interface("eth0", {ip = "10.0.12.1/24", vrf = "red"})
r1:interface("eth1", {ip = "10.0.12.1/24"})
r1:route_add("10.9.0.0/16", {via = "10.0.12.2", vrf = "red"})
local h = net:host("h1", {ip = "10.0.12.2/24"})
net:link("r1:eth0", "h1:eth0")
net:run_until_converged()
r1:route_add("10.8.0.0/16", {via = "10.0.12.2", vrf = "red"})
print("before") print(r1:cmd("show ip route vrf red"))
r1:route_del("10.9.0.0/16", {vrf = "red"})
print("after") print(r1:cmd("show ip route vrf red"))
print(r1:cmd("show vrf json"))
L
"$NETSIM" run "$TMP/l.lua" >"$TMP/l.out" 2>&1 || { cat "$TMP/l.out"; fail "VRFs from Lua"; }
sed -n '/^before/,/^after/p' "$TMP/l.out" >"$TMP/before"
sed -n '/^after/,$p' "$TMP/l.out" >"$TMP/after"
expect_contains "$TMP/before" "S     10.9.0.0/16 [1/0] via 10.0.12.2, eth0"
expect_contains "$TMP/before" "S     10.8.0.0/16 [1/0] via 10.0.12.2, eth0"
expect_not_contains "$TMP/after" "10.9.0.0/16"
expect_contains "$TMP/after" "S     10.8.0.0/16 [1/0] via 10.0.12.2, eth0"
expect_contains "$TMP/after" '"importTargets": []'

# RDs of the three types, as written (RFC 4364 4.2), through show vrf NAME.
cat >"$TMP/rd.yaml" <<'Y'
name: rd
devices:
  - name: r1
    vrfs:
      - {name: a, rd: "65535:4294967295", export_targets: "1.2.3.4:65535"}
      - {name: b, rd: "192.0.2.1:7", import_targets: ["4200000000:9", "0:0"]}
      - {name: c, rd: "65536:65535"}
script:
  - {at: 1s, device: r1, command: show vrf a}
  - {at: 1s, device: r1, command: show vrf b}
  - {at: 1s, device: r1, command: show vrf c}
  - {at: 1s, device: r1, command: show vrf}
Y
"$NETSIM" run "$TMP/rd.yaml" >"$TMP/rd.out" 2>&1 || { cat "$TMP/rd.out"; fail "RD run"; }
expect_contains "$TMP/rd.out" "  rd 65535:4294967295"
expect_contains "$TMP/rd.out" "  route-target export 1.2.3.4:65535"
expect_contains "$TMP/rd.out" "  rd 192.0.2.1:7"
expect_contains "$TMP/rd.out" "  route-target import 4200000000:9"
expect_contains "$TMP/rd.out" "  route-target import 0:0"
expect_contains "$TMP/rd.out" "  rd 65536:65535"
expect_contains "$TMP/rd.out" "vrf c id 3 table 3"
echo "VRFs: separate tables, pings and traces per VRF, JSON and pcaps as expected"
