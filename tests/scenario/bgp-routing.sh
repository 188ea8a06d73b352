# BGP over netsim's TCP on the shipped topologies: the spec's Example 4
# (eBGP across three ASes), iBGP between loopbacks that waits for OSPF and
# drops at the hold time once the IGP path is gone, route reflection over
# IS-IS, MED against AS-path length; every pcap through pcapcheck, tshark's
# BGP dissector and `netsim decode`.
. tests/scenario/lib.inc

out() {
	awk -v p="] $2> $3" '
		index($0, p) > 0 && index($0, p) == length($0) - length(p) + 1 { on = 1; next }
		on && /^\[t=[0-9.]*ms\] / { exit }
		on && /^Simulation complete:/ { exit }
		on { print }' "$1"
}
# ms LINE: the time of a timeline line, in milliseconds.
ms() { sed -n 's/^\[t=\([0-9.]*\)ms\].*/\1/p' | head -1; }

mkdir -p "$TMP/pcap"
"$NETSIM" run --pcap "$TMP/pcap" topologies/bgp-multi-as.yaml >"$TMP/ex4.out" || fail "bgp-multi-as run"
out "$TMP/ex4.out" r3 "show bgp" >"$TMP/r3"
expect_contains "$TMP/r3" "*> 10.1.0.0/24      10.0.23.2"
expect_contains "$TMP/r3" "0 65002 65001 i"
out "$TMP/ex4.out" r3 "show ip route" >"$TMP/r3rt"
expect_contains "$TMP/r3rt" "B     10.1.0.0/24 [20/0] via 10.0.23.2, eth0"
out "$TMP/ex4.out" r2 "show bgp summary" >"$TMP/r2sum"
expect_contains "$TMP/r2sum" "BGP router identifier 2.2.2.2, local AS number 65002"
grep -q "^10.0.12.1 .* 65001 .* 1 .* 1 N/A" "$TMP/r2sum" || { cat "$TMP/r2sum"; fail "r2 summary: 10.0.12.1 should have 1 prefix received and 1 sent"; }
expect_contains "$TMP/ex4.out" "BGP: r2 neighbor 10.0.12.1 session up: Established (eBGP AS65002-AS65001)"
pcapcheck_files "$TMP"/pcap/*.pcap
# tshark sees OPENs, UPDATEs, KEEPALIVEs (and the collision's NOTIFICATION) as BGP.
# One tshark: each frame's protocols and BGP types (tab-separated), then the expert table.
tshark -r "$TMP/pcap/r1-eth0--r2-eth0.pcap" -z expert -T fields -e frame.protocols -e bgp.type 2>/dev/null >"$TMP/bgp.tshark"
awk -F '\t' 'NF == 2 && (":" $1 ":") ~ /:bgp:/ { print $2 }' "$TMP/bgp.tshark" |
	tr ',' '\n' | sort -u | tr '\n' ' ' >"$TMP/types"
[ "$(cat "$TMP/types")" = "1 2 3 4 " ] || fail "BGP message types in the pcap: $(cat "$TMP/types")"
grep -v '	' "$TMP/bgp.tshark" | grep -E "Warning|Error" && fail "tshark has warnings on the BGP pcap"
for f in "$TMP"/pcap/*.pcap; do
	"$NETSIM" decode "$f" >"$TMP/dec" 2>&1 || fail "netsim decode $f"
	expect_contains "$TMP/dec" "BGP UPDATE origin IGP as-path"
	grep -q "decoded, 0 errors" "$TMP/dec" || fail "netsim decode $f reports errors"
done

# iBGP between loopbacks comes up only once OSPF has them: no session before
# the first OSPF adjacency is Full.
"$NETSIM" run topologies/bgp-ibgp-ospf.yaml >"$TMP/ibgp.out" || fail "bgp-ibgp-ospf run"
full=$(grep "OSPF: .* Full" "$TMP/ibgp.out" | ms)
up=$(grep "BGP: r1 neighbor 10.255.0.2 session up" "$TMP/ibgp.out" | ms)
[ -n "$full" ] && [ -n "$up" ] || fail "no OSPF Full or no iBGP session up"
awk -v a="$full" -v b="$up" 'BEGIN { exit !(b > a) }' || fail "iBGP up at ${up}ms before OSPF Full at ${full}ms"
out "$TMP/ibgp.out" r1 "show ip route" >"$TMP/r1rt"
expect_contains "$TMP/r1rt" "B     192.0.2.0/24 [200/0] via 10.0.12.2, eth0"

# The IGP path to r4 goes: r1's session to r4's loopback ends at the hold
# time (9 s with timers: fast, keepalives every 3 s), not before 6 s.
cat topologies/bgp-ibgp-ospf.yaml - >"$TMP/hold.yaml" <<'EOF'
  - {at: converged + 1s, device: r4, command: interface eth0 shutdown}
  - {at: converged + 1s, device: r4, command: interface eth1 shutdown}
  - {at: converged + 30s, device: r1, command: show ip route 192.0.2.0/24, expect: fail}
EOF
"$NETSIM" run "$TMP/hold.yaml" >"$TMP/hold.out" 2>&1 || { cat "$TMP/hold.out"; fail "hold-time run"; }
shut=$(grep "r4> interface eth1 shutdown" "$TMP/hold.out" | ms)
down=$(grep "BGP: r1 neighbor 10.255.0.4 session down: BGP Notification send" "$TMP/hold.out" | ms)
[ -n "$shut" ] && [ -n "$down" ] || { cat "$TMP/hold.out"; fail "r1's session to r4 did not go down"; }
awk -v a="$shut" -v b="$down" 'BEGIN { d = b - a; exit !(d >= 6000 && d <= 9100) }' ||
	fail "session down ${down}ms, $((${down%.*} - ${shut%.*}))ms after the failure (hold time 9 s)"
out "$TMP/hold.out" r1 "show ip route 192.0.2.0/24" >"$TMP/gone"
expect_contains "$TMP/gone" "not in table"

# Route reflection over IS-IS: the client has the route with ORIGINATOR_ID
# and CLUSTER_LIST from both reflectors.
"$NETSIM" run topologies/bgp-route-reflectors.yaml >"$TMP/rr.out" || fail "bgp-route-reflectors run"
out "$TMP/rr.out" c1 "show bgp 203.0.113.0/24" >"$TMP/c1"
expect_contains "$TMP/c1" "Paths: (2 available, best #1, table default)"
expect_contains "$TMP/c1" "Originator: 10.255.1.3, Cluster list: 10.255.255.1"

# MED decides between the customer's two links into p2's AS; AS-path length at p1.
"$NETSIM" run topologies/bgp-med.yaml >"$TMP/med.out" || fail "bgp-med run"
out "$TMP/med.out" p2 "show bgp 198.51.100.0/24" >"$TMP/p2"
expect_contains "$TMP/p2" "valid, internal, best (MED)"
out "$TMP/med.out" p1 "show bgp 203.0.113.0/24" >"$TMP/p1"
expect_contains "$TMP/p1" "valid, internal, best (AS Path)"
