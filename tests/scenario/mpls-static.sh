# MPLS with static LSPs (docs/mpls.md) on topologies/mpls-static.yaml: h1 - r1
# - r2 - r3 - r4 - h2, r1 pushing 100, r2 swapping to 200, r3 popping (PHP),
# and back 300/400. Ping end to end through the LSP; the labels on the wire
# (tshark mpls.label, netsim decode, pcapcheck); traceroute's RFC 4950 label
# lines; TTL expiry inside the LSP answered with the extension (tshark
# icmp.mpls, checksums good); the MTU counting the label; explicit null;
# run-time LFIB changes; show mpls forwarding as text and JSON; bad YAML.
. tests/scenario/lib.inc
command -v tshark >/dev/null || fail "tshark is not installed (make deps)"

sed '/^script:/,$d' topologies/mpls-static.yaml >"$TMP/base.yaml"
grep -q 'in_label: 200, action: pop' "$TMP/base.yaml" || fail "base topology: no PHP entry on r3"
run() {
	"$NETSIM" run "$@" >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "netsim run $* failed"; }
}

# 1. The shipped topology: routes with labels, the LFIB, ping and traceroute through the LSP.
mkdir -p "$TMP/p1"
run --pcap "$TMP/p1" topologies/mpls-static.yaml
expect_contains "$TMP/out" "S     192.168.2.0/24 [1/0] via 10.0.12.2, eth1, label 100"
out "$TMP/out" r2 "show mpls forwarding" >"$TMP/lfib"
cat >"$TMP/lfib.want" <<'EOF2'
 Inbound Label  Type    Nexthop         Outbound Label
-------------------------------------------------------------
 100            static  10.0.23.2       200
 400            static  10.0.12.1       implicit-null
EOF2
diff -u "$TMP/lfib.want" "$TMP/lfib" || fail "show mpls forwarding on r2"
expect_contains "$TMP/out" "Ping 192.168.2.10: 3/3 packets received"
# TTL 60 for the reply: 64, then r4, r3, r2 (label hops, uniform model) and r1.
expect_contains "$TMP/out" "icmp_seq=1 ttl=60"
out "$TMP/out" h1 "traceroute 192.168.2.10" >"$TMP/tr"
grep -A1 '^ 2  10.0.12.2 ' "$TMP/tr" | grep -qxF '     MPLS Label=100 Exp=0 S=1 TTL=1' ||
	{ cat "$TMP/tr"; fail "hop 2: no label 100"; }
grep -A1 '^ 3  10.0.23.2 ' "$TMP/tr" | grep -qxF '     MPLS Label=200 Exp=0 S=1 TTL=1' ||
	{ cat "$TMP/tr"; fail "hop 3: no label 200"; }
# r4 got the datagram unlabelled (r3 popped): no label line under hop 4.
grep -A1 '^ 4  10.0.34.2 ' "$TMP/tr" | grep -q MPLS && { cat "$TMP/tr"; fail "hop 4 shows labels"; }
expect_contains "$TMP/tr" " 5  192.168.2.10 "

P=$TMP/p1
pcapcheck_files "$P"/*.pcap || fail "pcapcheck on the MPLS pcaps"
"$NETSIM" decode "$P"/*.pcap >"$TMP/decode" || { grep ERROR "$TMP/decode"; fail "decode"; }
expect_contains "$TMP/decode" "MPLS (label 200, tc 0, [S], ttl 62)  192.168.1.10 > 192.168.2.10  ICMP echo request id 1 seq 1"
expect_contains "$TMP/decode" "10.0.12.2 > 192.168.1.10  ICMP time exceeded in-transit for 192.168.1.10 > 192.168.2.10 UDP port 33437 mpls 100"

# 2. TTL expiry, the MTU, run-time LFIB changes, JSON.
cat "$TMP/base.yaml" - >"$TMP/t2.yaml" <<'EOF2'
script:
  - {at: 1s, device: r2, command: show mpls table json}
  - {at: 1s, device: h1, command: ping 192.168.2.10 count 1 ttl 2, expect: fail}
  - {at: 2s, device: h1, command: ping 192.168.2.10 count 1 size 1472 df, expect: fail}
  - {at: 3s, device: h1, command: ping 192.168.2.10 count 1 size 1472}
  - {at: 4s, device: r2, command: mpls lfib del 100}
  - {at: 4s, device: h1, command: ping 192.168.2.10 count 1, expect: fail}
  - {at: 5s, device: r2, command: mpls lfib del 100, expect: fail}
  - {at: 5s, device: r2, command: mpls lfib add 5 pop, expect: fail}
  - {at: 5s, device: r2, command: mpls lfib add 100 swap 1048576 via 10.0.23.2, expect: fail}
  - {at: 5s, device: r2, command: mpls lfib add 100 swap 200 via 10.0.23.2}
  - {at: 6s, device: h1, command: ping 192.168.2.10 count 1}
  - {at: 7s, device: r4, command: mpls lfib add 500 pop}
  - {at: 7s, device: r1, command: route add 192.168.2.0/24 via 10.0.12.2 label 100/500}
  - {at: 7s, device: r1, command: route add 192.168.2.0/24 via 10.0.12.2 label 100/3/500, expect: fail}
  - {at: 8s, device: h1, command: traceroute 192.168.2.10 probes 1}
EOF2
run "$TMP/t2.yaml"
python3 - "$TMP/out" <<'EOF2' || fail "show mpls table json"
import json, sys
t = open(sys.argv[1]).read()
j = json.JSONDecoder().raw_decode(t[t.index('{'):])[0]
assert sorted(j) == ['100', '400'], j
assert j['100']['nexthops'][0]['outLabel'] == 200 and j['100']['nexthops'][0]['nexthop'] == '10.0.23.2'
assert j['400']['nexthops'][0]['outLabel'] == 3
EOF2
expect_contains "$TMP/out" "From 10.0.12.2 icmp_seq=1 Time to live exceeded"
# 1500 octets of IPv4 plus a label do not fit r1's 1500: fragmentation needed (DF), or fragments.
expect_contains "$TMP/out" "From 192.168.1.1 icmp_seq=1 Frag needed and DF set"
expect_contains "$TMP/out" "1480 bytes from 192.168.2.10: icmp_seq=1"
expect_contains "$TMP/out" "no LFIB entry for label 100"
expect_contains "$TMP/out" "% label 5 is reserved (RFC 3032 2.1"
expect_contains "$TMP/out" "% label 1048576 out of range"
[ "$(grep -c 'Ping 192.168.2.10: 1/1 packets received' "$TMP/out")" = 2 ] ||
	fail "the fragmented ping and the one after the LFIB entry came back"
expect_not_contains "$TMP/out" "script commands failed"
# Two labels pushed at run time: r2 swaps the top one, r3 pops it, r4 pops 500 as the egress.
out "$TMP/out" h1 "traceroute 192.168.2.10 probes 1" >"$TMP/tr2"
grep -A2 '^ 2  10.0.12.2 ' "$TMP/tr2" >"$TMP/hop2"
printf ' 2  10.0.12.2  4.000 ms\n     MPLS Label=100 Exp=0 S=0 TTL=1\n     MPLS Label=500 Exp=0 S=1 TTL=1\n' |
	diff -u - "$TMP/hop2" || fail "hop 2 of the two-label LSP"
grep -A2 '^ 3  10.0.23.2 ' "$TMP/tr2" | grep -qxF '     MPLS Label=200 Exp=0 S=0 TTL=1' || { cat "$TMP/tr2"; fail "hop 3"; }
expect_contains "$TMP/tr2" " 5  192.168.2.10 "
expect_contains "$TMP/out" "% implicit null (3) stands alone, not in a stack"

# 3. Explicit null instead of PHP: r3 sends label 0, r4 pops it and routes the datagram.
mkdir -p "$TMP/p3"
sed 's/{in_label: 200, action: pop, via: 10.0.34.2}/{in_label: 200, action: swap, out_label: 0, via: 10.0.34.2}/' \
	"$TMP/base.yaml" >"$TMP/t3.yaml"
cat >>"$TMP/t3.yaml" <<'EOF2'
script:
  - {at: 1s, device: r3, command: show mpls forwarding}
  - {at: 1s, device: h1, command: ping 192.168.2.10 count 3}
EOF2
run --pcap "$TMP/p3" "$TMP/t3.yaml"
expect_contains "$TMP/out" "Ping 192.168.2.10: 3/3 packets received"
expect_contains "$TMP/out" " 200            static  10.0.34.2       explicit-null"

# 4. Bad labels in the topology, each at its file:line:col.
bad() {
	sed "$1" topologies/mpls-static.yaml >"$TMP/bad.yaml"
	set +e
	"$NETSIM" validate "$TMP/bad.yaml" >/dev/null 2>"$TMP/err"
	rc=$?
	set -e
	[ $rc -eq 2 ] || { cat "$TMP/err"; fail "bad topology ($1) accepted"; }
	expect_contains "$TMP/err" "$TMP/bad.yaml:$2"
}
bad 's/in_label: 100,/in_label: 7,/' '28:22: in_label: label 7 is reserved (RFC 3032 2.1: 0-15; incoming labels are 16-1048575)'
bad 's/out_label: 200/out_label: 1048576/' "28:52: expected an integer from 0 to 1048575 for 'out_label', got '1048576'"
bad 's/labels: \[100\]/labels: [1]/' '19:59: labels: label 1 is reserved'
bad 's/action: swap, out_label: 200/action: jump, out_label: 200/' "28:35: unknown action 'jump' (expected swap or pop)"
bad 's/in_label: 400, action: pop, via/in_label: 400, action: pop, out_label: 5, via/' "29:51: a pop has no 'out_label'"
bad 's/labels: \[100\]/labels: [100, 3]/' '19:58: labels: implicit null (3) stands alone, not in a stack'
bad 's/{in_label: 100, action: swap, out_label: 200, via: 10.0.23.2}/{in_label: 100, action: swap, via: 10.0.23.2}/' "28:11: a swap needs 'out_label'"
echo "MPLS static LSPs: forwarding, labels on the wire, traceroute, TTL expiry, MTU, JSON, errors"

# LFIB ECMP: two entries for one label; the flows of eight sources use both
# (the flow hash of the IPv4 payload's addresses), each flow one of them.
"$NETSIM" run --pcap "$TMP/ecmp" tests/mpls/ecmp.yaml >"$TMP/ecmp.out" 2>&1 || { cat "$TMP/ecmp.out"; fail "the ECMP run"; }

# The wire of the runs above (1, 3 and the ECMP one), dissected by one tshark.
dissect wire "icmp.type mpls.label mpls.ttl frame.protocols ip.src icmp.mpls.label icmp.mpls.ttl icmp.mpls.s
	icmp.checksum.status icmp.ext.checksum.status" "$TMP"/p1/*.pcap "$TMP"/p3/r3-eth1--r4-eth0.pcap "$TMP"/ecmp/*.pcap
# The labels on each core link (echo requests one way, replies the other).
[ "$(frames wire 'f["file"] == "p1/r1-eth1--r2-eth0.pcap" && has("icmp.type", 8)' mpls.label | sort -u)" = 100 ] ||
	fail "r1-r2: requests not labelled 100"
[ "$(frames wire 'f["file"] == "p1/r2-eth1--r3-eth0.pcap" && has("icmp.type", 8)' mpls.label mpls.ttl | sort -u)" = "$(printf '200\t62')" ] ||
	fail "r2-r3: requests not labelled 200 with TTL 62"
[ "$(frames wire 'f["file"] == "p1/r2-eth1--r3-eth0.pcap" && has("icmp.type", 0)' mpls.label | sort -u)" = 400 ] ||
	fail "r2-r3: replies not labelled 400"
[ "$(frames wire 'f["file"] == "p1/r3-eth1--r4-eth0.pcap" && has("icmp.type", 8)' frame.protocols | sort -u)" = "eth:ethertype:ip:icmp:data" ] ||
	fail "r3-r4: requests should be plain IPv4 after the penultimate hop's pop"
[ "$(frames wire 'f["file"] == "p1/r3-eth1--r4-eth0.pcap" && has("icmp.type", 0)' mpls.label | sort -u)" = 300 ] ||
	fail "r3-r4: replies not labelled 300"
# Time exceeded from inside the LSP: the RFC 4950 object with the received label, checksums good.
frames wire 'f["file"] == "p1/r1-eth1--r2-eth0.pcap" && has("icmp.type", 11)' ip.src icmp.mpls.label icmp.mpls.ttl icmp.mpls.s \
	icmp.checksum.status icmp.ext.checksum.status | sort -u >"$TMP/te"
grep -qxF "$(printf '10.0.12.2,192.168.1.10\t100\t1\t1\t1\t1')" "$TMP/te" || { cat "$TMP/te"; fail "r2's time exceeded"; }
grep -qxF "$(printf '10.0.23.2,192.168.1.10\t200\t1\t1\t1\t1')" "$TMP/te" || { cat "$TMP/te"; fail "r3's time exceeded"; }
# Run 3: explicit null on r3-r4.
[ "$(frames wire 'f["file"] == "p3/r3-eth1--r4-eth0.pcap" && has("icmp.type", 8)' mpls.label | sort -u)" = 0 ] ||
	fail "r3-r4: requests not labelled explicit null"
# ECMP: each branch's flows.
a=$(frames wire 'f["file"] == "ecmp/r2-eth1--r3a-eth0.pcap" && has("mpls.label", 200)' ip.src | sort -u)
b=$(frames wire 'f["file"] == "ecmp/r2-eth2--r3b-eth0.pcap" && has("mpls.label", 200)' ip.src | sort -u)
[ -n "$a" ] && [ -n "$b" ] || fail "ECMP: one of r2's two LSP branches carries nothing (r3a: $a; r3b: $b)"
[ "$(printf '%s\n%s\n' "$a" "$b" | sort | uniq -d)" = "" ] || fail "ECMP: a flow on both branches"
[ "$(printf '%s\n%s\n' "$a" "$b" | sort -u | wc -l)" -eq 8 ] || fail "ECMP: not all eight flows carried"
