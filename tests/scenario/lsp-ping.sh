# MPLS LSP ping and traceroute (RFC 8029, docs/mpls.md "LSP ping and
# traceroute") on topologies/mpls-ldp.yaml: ping mpls from r1 to r6's
# loopback over the LDP LSP; traceroute mpls shows each LSR with the label
# it received, checked against the LFIB of the hop before (`show mpls
# forwarding`) and the labels on the wire; after r2-r4 fails the trace
# follows the new path; explicit null at the egress; prefixes without an
# LSP fail with a clear message.
# Then static LSPs (topologies/mpls-static.yaml): success, "no mapping"
# (code 4) from an egress that does not own the FEC, timeouts on a broken
# LSP. Every pcap through pcapcheck and tshark's mpls-echo dissector.
. tests/scenario/lib.inc
command -v tshark >/dev/null || fail "tshark is not installed (make deps)"

run() {
	"$NETSIM" run "$@" >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "netsim run $* failed"; }
}
TRACE="traceroute mpls ipv4 10.255.0.6/32"

# check_trace OUT ROUTER...: the trace in OUT (its hops answered by ROUTER...,
# the egress last) shows at each hop the label the hop before pushed or swapped to.
check_trace() {
	o=$1
	shift
	out "$o" r1 "$TRACE" >"$TMP/tr"
	awk '$1 ~ /^[R!.Q]$/ && $2 ~ /^[0-9]+$/ { sub(/\]$/, "", $5); print $1, $3, $5 }' "$TMP/tr" >"$TMP/hops"
	[ "$(wc -l <"$TMP/hops")" -eq $# ] || { cat "$TMP/tr"; fail "trace: $# hops expected"; }
	# Hop 1 received what r1 pushes: the label of its route to 10.255.0.6/32.
	want=$(out "$o" r1 "show ip route" | sed -n 's|^O .*10\.255\.0\.6/32 .*, label \([0-9]*\),.*|\1|p')
	[ -n "$want" ] || fail "r1's route to 10.255.0.6/32 has no label"
	prev=r1 k=0
	while read -r code addr label; do
		k=$((k + 1))
		router=$1
		shift
		if [ $# -eq 0 ]; then
			[ "$code" = "!" ] || { cat "$TMP/tr"; fail "hop $k ($router): '$code', not the egress's '!'"; }
		else
			[ "$code" = R ] || { cat "$TMP/tr"; fail "hop $k ($router): '$code', not a transit 'R'"; }
		fi
		[ "$label" = "$want" ] || { cat "$TMP/tr"; fail "hop $k ($router) received $label, $prev sends $want"; }
		[ $# -eq 0 ] && break
		# What this hop sends on: its LFIB entry for the label towards the next hop's address.
		nexthop=$(awk -v k=$((k + 1)) 'NR == k { print $2 }' "$TMP/hops")
		want=$(out "$o" "$router" "show mpls forwarding" |
			awk -v l="$label" -v nh="$nexthop" '$1 == l && $2 == "LDP" && $3 == nh { print $4 }')
		[ -n "$want" ] || { out "$o" "$router" "show mpls forwarding"; fail "$router: no LFIB entry $label via $nexthop"; }
		prev=$router
	done <"$TMP/hops"
}

# 1. The LDP LSP r1 -> r6: ping, trace, JSON, adjacent egress, no LSP. The runs stop at
# 20 s (--until), so the pcaps stay small.
sed '/^script:/,$d' topologies/mpls-ldp.yaml >"$TMP/base.yaml"
cat "$TMP/base.yaml" - >"$TMP/t1.yaml" <<'EOF2'
script:
  - {at: 5s, device: r1, command: show ip route}
  - {at: 5s, device: r2, command: show mpls forwarding}
  - {at: 5s, device: r4, command: show mpls forwarding}
  - {at: 5s, device: r1, command: ping mpls ipv4 10.255.0.6/32}
  - {at: 6s, device: r1, command: traceroute mpls ipv4 10.255.0.6/32}
  - {at: 7s, device: r1, command: ping mpls ipv4 10.255.0.6/32 count 3 json}
  - {at: 7s, device: r1, command: traceroute mpls ipv4 10.255.0.6/32 json}
  - {at: 8s, device: r1, command: ping mpls ipv4 10.255.0.2/32 count 2}
  - {at: 9s, device: r1, command: ping mpls ipv4 10.0.24.0/30, expect: fail}
  - {at: 9s, device: r1, command: ping mpls ipv4 10.9.0.0/16, expect: fail}
  - {at: 9s, device: r1, command: ping mpls ipv4 10.255.0.1/32, expect: fail}
  - {at: 9s, device: r1, command: ping mpls ipv4 10.255.0.6, expect: fail}
  - {at: 9s, device: r1, command: ping mpls ipv4 10.255.0.6/32 count 0, expect: fail}
  - {at: 9s, device: r1, command: traceroute mpls ipv6 ::1/128, expect: fail}
  - {at: 9s, device: h1, command: ping mpls ipv4 10.255.0.6/32, expect: fail}
EOF2
mkdir -p "$TMP/p1"
run --until 20s --pcap "$TMP/p1" "$TMP/t1.yaml"
out "$TMP/out" r1 "ping mpls ipv4 10.255.0.6/32" >"$TMP/ping"
grep -qx '!!!!!' "$TMP/ping" || { cat "$TMP/ping"; fail "ping mpls: not five '!'"; }
grep -q '^Success rate is 100 percent (5/5), round-trip min/avg/max = [0-9]*/[0-9]*/[0-9]* ms$' "$TMP/ping" ||
	{ cat "$TMP/ping"; fail "ping mpls: no 5/5 success line"; }
check_trace "$TMP/out" r2 r4 r6
grep -q '^! 3 10\.0\.46\.2 \[Labels: implicit-null\] [0-9]* ms$' "$TMP/tr" || { cat "$TMP/tr"; fail "trace: r6 (PHP) last"; }
out "$TMP/out" r1 "ping mpls ipv4 10.255.0.6/32 count 3 json" >"$TMP/ping.json"
expect_contains "$TMP/ping.json" '"received": 3,'
[ "$(grep -c '"returnCode": 3,' "$TMP/ping.json")" -eq 3 ] || fail "JSON ping: three replies with return code 3"
out "$TMP/out" r1 "traceroute mpls ipv4 10.255.0.6/32 json" >"$TMP/tr.json"
[ "$(grep -c '"returnCode": 8,' "$TMP/tr.json")" -eq 2 ] || fail "JSON trace: two transit replies (code 8)"
expect_contains "$TMP/tr.json" '"reached": true,'
expect_contains "$TMP/tr.json" '"rxInterfaceAddress": "10.0.46.2",'
# r2 is adjacent and its own egress: implicit null, so the requests go unlabelled.
out "$TMP/out" r1 "ping mpls ipv4 10.255.0.2/32 count 2" | grep -q '^Success rate is 100 percent (2/2)' ||
	fail "ping mpls to the adjacent r2"
expect_contains "$TMP/out" "% no LSP for 10.0.24.0/30: its route via 10.0.12.2 has no label (no label mapping from the next hop)"
expect_contains "$TMP/out" "% no route for 10.9.0.0/16 in the routing table (the FEC is an exact prefix)"
expect_contains "$TMP/out" "% 10.255.0.1/32 is directly connected: r1 is its egress, there is no LSP"
expect_contains "$TMP/out" "% usage: ping mpls ipv4 PREFIX/LEN"
expect_contains "$TMP/out" "% count must be a number from 1 to 100000, got '0'"
expect_contains "$TMP/out" "% usage: traceroute mpls ipv4 PREFIX/LEN [max-ttl N] [source IP] [timeout S]"
expect_contains "$TMP/out" "% MPLS ping and traceroute run on routers"

# The labels the wire must show (checked below, with run 2b's pcap).
P=$TMP/p1
l1=$(out "$TMP/out" r1 "show ip route" | sed -n 's|^O .*10\.255\.0\.6/32 .*, label \([0-9]*\),.*|\1|p')
l2=$(out "$TMP/out" r2 "show mpls forwarding" | awk -v l="$l1" '$1 == l { print $4 }')
"$NETSIM" decode "$P"/*.pcap >"$TMP/decode" || { grep ERROR "$TMP/decode"; fail "decode"; }
grep -q "UDP 49152 > 3503 len 48  MPLS echo request handle 0xc000 seq 1 mode 2 FEC LDP 10.255.0.6/32$" "$TMP/decode" ||
	fail "decode: the first request"
grep -q "10.0.12.2 > 10.0.12.1  UDP 3503 > [0-9]* len [0-9]*  MPLS echo reply .* rc 8 (Label switched at stack-depth) rsc 1 if 10.0.12.2 labels $l1$" "$TMP/decode" ||
	fail "decode: r2's transit reply with the label it received"

# 2. r2-r4 fails: the LSP and the trace follow OSPF, r1-r3-r5-r6 (cost 40).
cat "$TMP/base.yaml" - >"$TMP/t2.yaml" <<'EOF2'
script:
  - {at: 5s, device: r2, command: interface eth1 shutdown}
  - {at: 10s, device: r1, command: show ip route}
  - {at: 10s, device: r2, command: show mpls forwarding}
  - {at: 10s, device: r3, command: show mpls forwarding}
  - {at: 10s, device: r5, command: show mpls forwarding}
  - {at: 10s, device: r4, command: show mpls forwarding}
  - {at: 10s, device: r1, command: traceroute mpls ipv4 10.255.0.6/32}
  - {at: 11s, device: r1, command: ping mpls ipv4 10.255.0.6/32}
EOF2
run --until 20s "$TMP/t2.yaml"
check_trace "$TMP/out" r3 r5 r6
out "$TMP/out" r1 "ping mpls ipv4 10.255.0.6/32" | grep -q '^Success rate is 100 percent (5/5)' ||
	fail "ping mpls after the failure"

# 2b. r6 advertises explicit null: r4 swaps to label 0, r6 pops it and answers as the egress.
awk '/name: r6/ { r6 = 1 } r6 && /^    ldp: \{\}/ { print "    ldp: {explicit_null: true}"; r6 = 0; next } { print }' \
	"$TMP/base.yaml" >"$TMP/en.yaml"
grep -q 'explicit_null: true' "$TMP/en.yaml" || fail "no explicit_null in the topology copy"
cat >>"$TMP/en.yaml" <<'EOF2'
script:
  - {at: 5s, device: r1, command: traceroute mpls ipv4 10.255.0.6/32}
  - {at: 6s, device: r1, command: ping mpls ipv4 10.255.0.6/32 count 2}
EOF2
mkdir -p "$TMP/p2"
run --until 10s --pcap "$TMP/p2" "$TMP/en.yaml"
out "$TMP/out" r1 "$TRACE" | grep -q '^! 3 10\.0\.46\.2 ' || { cat "$TMP/out"; fail "explicit null: r6 not the egress at TTL 3"; }
out "$TMP/out" r1 "ping mpls ipv4 10.255.0.6/32 count 2" | grep -q '^Success rate is 100 percent (2/2)' ||
	fail "explicit null: ping mpls"
# The wire of run 1 (labels as the trace said, unlabelled after the penultimate hop, router
# alert, TTL 1) and of run 2b: one tshark for both, each question on its own link.
dissect p1 "mpls_echo.msg_type mpls_echo.tlv.fec.ldp_ipv4 mpls.label mpls.ttl frame.protocols ip.ttl ip.dst
	ip.opt.ra ip.src mpls_echo.return_code mpls_echo.return_subcode udp.port _ws.malformed _ws.expert.severity
	frame.number" "$P"/*.pcap "$TMP/p2/r4-eth1--r6-eth0.pcap"
[ "$(frames p1 'f["file"] == "p1/r1-eth0--r2-eth0.pcap" && has("mpls_echo.msg_type", 1) &&
	has("mpls_echo.tlv.fec.ldp_ipv4", "10.255.0.6")' mpls.label mpls.ttl | sort -u | head -1)" = "$(printf '%s\t1' "$l1")" ] ||
	fail "r1-r2: trace requests not labelled $l1"
[ "$(frames p1 'f["file"] == "p1/r2-eth1--r4-eth0.pcap" && has("mpls_echo.msg_type", 1)' mpls.label | sort -u)" = "$l2" ] ||
	fail "r2-r4: requests not labelled $l2"
[ "$(frames p1 'f["file"] == "p1/r4-eth1--r6-eth0.pcap" && has("mpls_echo.msg_type", 1)' frame.protocols ip.ttl ip.dst ip.opt.ra |
	sort -u)" = "$(printf 'eth:ethertype:ip:udp:mpls-echo\t1\t127.0.0.1\t0')" ] ||
	fail "r4-r6: requests should be plain IPv4 to 127.0.0.1, TTL 1, router alert"
frames p1 'f["file"] == "p1/r1-eth0--r2-eth0.pcap" && has("mpls_echo.msg_type", 2)' ip.src mpls_echo.return_code \
	mpls_echo.return_subcode | sort -u >"$TMP/rc"
grep -qxF "$(printf '10.0.12.2\t8\t1')" "$TMP/rc" || { cat "$TMP/rc"; fail "r2's reply: code 8"; }
grep -qxF "$(printf '10.0.46.2\t3\t1')" "$TMP/rc" || { cat "$TMP/rc"; fail "r6's reply: code 3"; }
# No time exceeded: the transit LSRs answered the expired requests as MPLS echo. No tshark warnings.
[ -n "$(frames p1 'f["file"] ~ /^p1\// && proto("mpls-echo")' frame.number)" ] || fail "tshark finds no MPLS echo"
[ -z "$(frames p1 'f["file"] ~ /^p1\// && proto("icmp")' frame.number)" ] || fail "ICMP where MPLS echo replies were due"
[ -z "$(frames p1 'f["file"] ~ /^p1\// && has("udp.port", 3503) &&
	(f["_ws.malformed"] != "" || most("_ws.expert.severity") >= 6291456)' frame.number)" ] ||
	fail "tshark warnings on MPLS echo (merged: TCP analysis across links is not checked here; pcapcheck does each file)"
[ "$(frames p1 'f["file"] == "p2/r4-eth1--r6-eth0.pcap" && has("mpls_echo.msg_type", 1)' mpls.label | sort -u)" = 0 ] ||
	fail "r4-r6: requests not under explicit null"

# 3. Static LSPs: r1 pushes 100, r2 swaps to 200, r3 pops; r4 owns 192.168.2.0/24. The
# core routes only the customer networks, so the requests come from 192.168.1.1.
sed '/^script:/,$d' topologies/mpls-static.yaml >"$TMP/s.yaml"
cat >>"$TMP/s.yaml" <<'EOF2'
script:
  - {at: 2s, device: r1, command: ping mpls ipv4 192.168.2.0/24 count 2 source 192.168.1.1}
  - {at: 3s, device: r1, command: traceroute mpls ipv4 192.168.2.0/24 source 192.168.1.1}
  - {at: 4s, device: r1, command: route add 10.99.0.0/24 via 10.0.12.2 label 100}
  - {at: 4s, device: r1, command: ping mpls ipv4 10.99.0.0/24 count 2 source 192.168.1.1, expect: fail}
  - {at: 5s, device: r2, command: mpls lfib del 100}
  - {at: 5s, device: r1, command: ping mpls ipv4 192.168.2.0/24 count 2 timeout 1 source 192.168.1.1 json, expect: fail}
  - {at: 9s, device: r1, command: ping mpls ipv4 192.168.2.0/24 source 10.9.9.9, expect: fail}
EOF2
mkdir -p "$TMP/p3"
run --pcap "$TMP/p3" "$TMP/s.yaml"
out "$TMP/out" r1 "ping mpls ipv4 192.168.2.0/24 count 2 source 192.168.1.1" | grep -q '^Success rate is 100 percent (2/2)' ||
	fail "static LSP: ping"
out "$TMP/out" r1 "traceroute mpls ipv4 192.168.2.0/24 source 192.168.1.1" >"$TMP/str"
for l in '  0 10.0.12.1 [Labels: 100 Exp: 0]' 'R 1 10.0.12.2 [Labels: 100 Exp: 0] ' \
	'R 2 10.0.23.2 [Labels: 200 Exp: 0] ' '! 3 10.0.34.2 [Labels: implicit-null] '; do
	grep -qF -- "$l" "$TMP/str" || { cat "$TMP/str"; fail "static trace: no '$l'"; }
done
out "$TMP/out" r1 "ping mpls ipv4 10.99.0.0/24 count 2 source 192.168.1.1" >"$TMP/f"
grep -qx 'FF' "$TMP/f" || { cat "$TMP/f"; fail "static LSP to a FEC r4 does not own: not 'FF'"; }
expect_contains "$TMP/f" "seq 1: 10.0.34.2: return code 4 (Replying router has no mapping for the FEC at stack-depth), subcode 1"
out "$TMP/out" r1 "ping mpls ipv4 192.168.2.0/24 count 2 timeout 1 source 192.168.1.1 json" >"$TMP/t.json"
[ "$(grep -c '"status": "timeout",' "$TMP/t.json")" -eq 2 ] || { cat "$TMP/t.json"; fail "broken LSP: two timeouts"; }
expect_contains "$TMP/t.json" '"reached": false,'
expect_contains "$TMP/out" "% 10.9.9.9 is not an address of r1"
# pcapcheck once on the LDP and the static LSP pcaps.
pcapcheck_files "$P"/*.pcap "$TMP/p3"/*.pcap || fail "pcapcheck on the LSP ping pcaps"
"$NETSIM" decode "$TMP/p3"/*.pcap >/dev/null || fail "decode of the static LSP pcaps"
echo "lsp-ping: ok"
