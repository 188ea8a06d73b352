# TCP in VRFs (docs/tcp.md, docs/vrf.md) on the shipped vrf-lite topology,
# where r1 has 10.0.12.1 toward r2 in VRFs red and blue and 192.168.1.1 in
# both toward a host 192.168.1.10 of each VRF: r1's `tcp send vrf` reaches
# r2's echo service in red and in blue over each VRF's own link, `show tcp`
# names the VRF (text and JSON), the two hosts open the same 4-tuple to
# r1's echo service in red and in blue and each gets its own bytes back, a
# SYN to BGP's port (a listener in the default VRF, with an iBGP session
# between the loopbacks that establishes) is refused with RST in red, and
# every frame passes pcapcheck, with no red segment on blue's link.
. tests/scenario/lib.inc

sed -e '/^script:/,$d' topologies/vrf-lite.yaml >"$TMP/t.yaml"
# iBGP in the default VRF between the loopbacks (BGP's TCP stays in the default VRF).
python3 - "$TMP/t.yaml" <<'P'
import sys
p = sys.argv[1]
s = open(p).read()
for me, peer in (("10.255.0.1", "10.255.0.2"), ("10.255.0.2", "10.255.0.1")):
    anchor = "    router_id: %s\n" % me
    assert anchor in s
    s = s.replace(anchor, anchor + "    bgp:\n      as: 65000\n      neighbors:\n"
                  "        - {ip: %s, remote_as: 65000, update_source: lo}\n" % peer)
open(p, "w").write(s)
P
cat >>"$TMP/t.yaml" <<'Y'
script:
  - {at: converged, device: r1, command: tcp send vrf red 10.0.12.2 7 50000}
  - {at: converged + 1s, device: r1, command: tcp send vrf blue 10.0.12.2 7 60000 json}
  - {at: converged + 2s, device: r1, command: show tcp}
  - {at: converged + 2s, device: r1, command: show tcp json}
  - {at: converged + 3s, device: hr1, command: tcp send 192.168.1.1 7 20000}
  - {at: converged + 4s, device: hb1, command: tcp send 192.168.1.1 7 30000}
  - {at: converged + 5s, device: hr1, command: show tcp}
  - {at: converged + 5s, device: hb1, command: show tcp}
  - {at: converged + 6s, device: hr1, command: tcp connect 192.168.1.1 179, expect: fail}
  - {at: converged + 7s, device: r2, command: tcp connect vrf red 10.0.12.1 179, expect: fail}
  - {at: converged + 8s, device: r1, command: show bgp summary}
  - {at: converged + 8s, device: r1, command: tcp connect vrf green 10.0.12.2 7, expect: fail}
  - {at: converged + 8s, device: r1, command: tcp connect vrf red 10.0.12.2 7 source 10.255.0.1, expect: fail}
Y
mkdir -p "$TMP/pcap"
"$NETSIM" run --pcap "$TMP/pcap" "$TMP/t.yaml" >"$TMP/t.out" 2>&1 || { cat "$TMP/t.out"; fail "the TCP-in-VRF run failed"; }

# r1 to r2's echo in each VRF, from the VRF's own address.
out "$TMP/t.out" r1 "tcp send vrf red 10.0.12.2 7 50000" >"$TMP/x"
grep -q "^Connected to 10.0.12.2:7 from 10.0.12.1:[0-9]* in" "$TMP/x" || { cat "$TMP/x"; fail "r1 red: no connection"; }
expect_contains "$TMP/x" "50000 bytes echoed back, identical"
out "$TMP/t.out" r1 "tcp send vrf blue 10.0.12.2 7 60000 json" >"$TMP/x"
expect_contains "$TMP/x" '"bytesEchoed": 60000'
expect_contains "$TMP/x" '"vrf": "blue"'
expect_contains "$TMP/x" '"error": null'
# show tcp: both in TIME-WAIT at r1, each with its VRF.
out "$TMP/t.out" r1 "show tcp" >"$TMP/x"
grep -Eq "^TIME-WAIT +0 +0 10\.0\.12\.1%red:[0-9]+ +10\.0\.12\.2:7 " "$TMP/x" || { cat "$TMP/x"; fail "show tcp: red"; }
grep -Eq "^TIME-WAIT +0 +0 10\.0\.12\.1%blue:[0-9]+ +10\.0\.12\.2:7 " "$TMP/x" || { cat "$TMP/x"; fail "show tcp: blue"; }
expect_contains "$TMP/x" "LISTEN            0      0 *:179 "
"$NETSIM" run --json "$TMP/t.yaml" >"$TMP/t.json" 2>/dev/null || fail "the JSON run failed"
python3 - "$TMP/t.json" <<'P' || fail "show tcp json: vrf"
import json, sys
d = json.load(open(sys.argv[1]))
show = [o for o in d["outputs"] if o["command"] == "show tcp" and o["device"] == "r1"][0]["json"]
tw = {c["vrf"]: c for c in show["connections"] if c["remotePort"] == 7}
assert set(tw) == {"red", "blue"}, show
assert tw["red"]["bytesReceived"] == 50000 and tw["blue"]["bytesReceived"] == 60000, tw
# The default VRF's entries (BGP's) carry no "vrf".
assert all("vrf" not in c for c in show["connections"] if c["localPort"] == 179 or c["remotePort"] == 179), show
P
# The same 4-tuple 192.168.1.10:49152 -> 192.168.1.1:7 in red and in blue.
out "$TMP/t.out" hr1 "tcp send 192.168.1.1 7 20000" >"$TMP/x"
expect_contains "$TMP/x" "Connected to 192.168.1.1:7 from 192.168.1.10:49152"
expect_contains "$TMP/x" "20000 bytes echoed back, identical"
out "$TMP/t.out" hb1 "tcp send 192.168.1.1 7 30000" >"$TMP/x"
expect_contains "$TMP/x" "Connected to 192.168.1.1:7 from 192.168.1.10:49152"
expect_contains "$TMP/x" "30000 bytes echoed back, identical"
# BGP listens in the default VRF only: a SYN to port 179 in red is refused (RST).
out "$TMP/t.out" hr1 "tcp connect 192.168.1.1 179" >"$TMP/x"
expect_contains "$TMP/x" "192.168.1.1:179: connection refused after"
out "$TMP/t.out" r2 "tcp connect vrf red 10.0.12.1 179" >"$TMP/x"
expect_contains "$TMP/x" "10.0.12.1:179: connection refused after"
out "$TMP/t.out" r1 "show bgp summary" >"$TMP/x"
# Up/Down a time, not a state: the session is established.
grep -Eq '^10\.255\.0\.2 +4 +65000 +[0-9]+ +[0-9]+ +0 +0 +0 +00:00:0[0-9] ' "$TMP/x" ||
	{ cat "$TMP/x"; fail "iBGP in the default VRF not established"; }
expect_contains "$TMP/t.out" "% no VRF 'green' on r1"
expect_contains "$TMP/t.out" "% 10.255.0.1 is not an address of r1 in VRF red"

# The wire: pcapcheck, and each VRF's link carries that VRF's transfer only.
pcapcheck_files "$TMP"/pcap/*.pcap || fail "pcapcheck: TCP in VRFs"
red="$TMP/pcap/r1-eth3--r2-eth1.pcap"
blue="$TMP/pcap/r1-eth4--r2-eth2.pcap"
[ -f "$red" ] && [ -f "$blue" ] || { ls "$TMP/pcap"; fail "no capture of the VRF links"; }
# One tshark for the four links' questions.
dissect wire "tcp.port tcp.srcport tcp.len tcp.flags.reset ip.src" "$red" "$blue" \
	"$TMP/pcap/hr1-eth0--r1-eth1.pcap" "$TMP/pcap/hb1-eth0--r1-eth2.pcap"
# Echo payload bytes per link: 50000 each way on red, 60000 on blue.
sum() {
	frames wire 'f["file"] == "pcap/'"$(basename "$1")"'" && has("tcp.port", 7) && has("ip.src", "'"$2"'")' tcp.len |
		awk '{s += $1} END {print s + 0}'
}
[ "$(sum "$red" 10.0.12.1)" = 50000 ] || fail "red link: not 50000 bytes to the echo"
[ "$(sum "$red" 10.0.12.2)" = 50000 ] || fail "red link: not 50000 bytes echoed"
[ "$(sum "$blue" 10.0.12.1)" = 60000 ] || fail "blue link: not 60000 bytes to the echo"
[ "$(sum "$blue" 10.0.12.2)" = 60000 ] || fail "blue link: not 60000 bytes echoed"
# The refused SYN's RST leaves r1 on red's host link, from port 179.
rst=$(frames wire 'f["file"] == "pcap/hr1-eth0--r1-eth1.pcap" && has("tcp.flags.reset", 1) && has("tcp.srcport", 179)' ip.src)
[ "$rst" = 192.168.1.1 ] || fail "no RST from 192.168.1.1:179 on red's host link (got '$rst')"
[ -z "$(frames wire 'f["file"] == "pcap/hb1-eth0--r1-eth2.pcap" && has("tcp.port", 179)' ip.src)" ] ||
	fail "port 179 traffic on blue's host link"
echo "tcp-vrf ok"
