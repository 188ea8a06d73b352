# IS-IS routes on hand-checked topologies: a LAN with a pseudonode and
# point-to-point links (ECMP over the LAN, asymmetric metrics), two level 1
# areas behind level 1-2 routers (narrow metrics, the attached bit's default
# route with ECMP, level 1 routes carried into level 2, leaking with the
# up/down bit), the spec's Example 2; every PDU through pcapcheck; and bad
# configurations rejected at file:line:col.
. tests/scenario/lib.inc

# out FILE DEVICE COMMAND: what DEVICE printed for COMMAND.
out() {
	awk -v p="] $2> $3" '
		index($0, p) > 0 && index($0, p) == length($0) - length(p) + 1 { on = 1; next }
		on && /^\[t=[0-9.]*ms\] / { exit }
		on && /^Simulation complete:/ { exit }
		on { print }' "$1"
}

mkdir -p "$TMP/pcap"
"$NETSIM" run --pcap "$TMP/pcap" tests/isis/lan-p2p.yaml >"$TMP/lan.out" || fail "lan-p2p run"
out "$TMP/lan.out" r2 "show ip route isis" >"$TMP/r2"
expect_contains "$TMP/r2" "i L2  4.4.4.4/32 [115/15] via 10.0.0.1, eth0"
expect_contains "$TMP/r2" "i L2  10.1.0.0/30 [115/20] via 10.0.0.1, eth0"
expect_contains "$TMP/r2" "                  [115/20] via 10.0.0.3, eth0"
expect_not_contains "$TMP/r2" "2.2.2.2/32"
expect_not_contains "$TMP/r2" "10.0.0.0/24"
out "$TMP/lan.out" r4 "show ip route isis" >"$TMP/r4"
expect_contains "$TMP/r4" "i L2  1.1.1.1/32 [115/30] via 10.2.0.1, eth0"
expect_contains "$TMP/r4" "i L2  10.0.0.0/24 [115/40] via 10.2.0.1, eth0"
[ "$(grep -c '^i ' "$TMP/r4")" = 5 ] || fail "r4 has other IS-IS routes"
# r3 (highest MAC on the LAN) is the DIS: its pseudonode LSP r3.01-00.
out "$TMP/lan.out" r2 "show isis database" >"$TMP/db"
expect_contains "$TMP/db" "r3.01-00"
[ "$(grep -c '^r[0-9]\.0[01]-00' "$TMP/db")" = 5 ] || fail "r2's database"

"$NETSIM" run --pcap "$TMP/pcap" tests/isis/two-areas.yaml >"$TMP/two.out" || fail "two-areas run"
out "$TMP/two.out" a1 "show ip route isis" >"$TMP/a1"
expect_contains "$TMP/a1" "i*L1  0.0.0.0/0 [115/5] via 10.11.1.2, eth0"
expect_contains "$TMP/a1" "i L1  192.0.2.22/32 [115/20] via 10.11.2.2, eth1"
expect_not_contains "$TMP/a1" "192.0.2.41"
out "$TMP/two.out" c1 "show ip route isis" >"$TMP/c1"
expect_contains "$TMP/c1" "i*L1  0.0.0.0/0 [115/10] via 10.22.1.1, eth0"
expect_contains "$TMP/c1" "                [115/10] via 10.22.1.2, eth0"
expect_contains "$TMP/c1" "i ia  192.0.2.11/32 [115/25] via 10.22.1.1, eth0"
expect_contains "$TMP/c1" "i L1  10.99.2.0/30 [115/20] via 10.22.1.2, eth0"
out "$TMP/two.out" d2 "show ip route isis" >"$TMP/d2"
expect_contains "$TMP/d2" "i L2  10.11.1.0/30 [115/25] via 10.22.1.1, eth1"
expect_contains "$TMP/d2" "i L2  192.0.2.22/32 [115/10] via 10.99.2.1, eth0"
expect_contains "$TMP/d2" "i L1  192.0.2.41/32 [115/10] via 10.22.1.3, eth1"

"$NETSIM" run --pcap "$TMP/pcap" topologies/isis-hierarchy.yaml >"$TMP/h.out" || fail "hierarchy run"
out "$TMP/h.out" r1 "show ip route" >"$TMP/r1"
expect_contains "$TMP/r1" "i L1  192.0.2.2/32 [115/10] via 10.1.0.2, eth0"
expect_contains "$TMP/r1" "i ia  192.0.2.3/32 [115/20] via 10.1.0.2, eth0"
expect_contains "$TMP/r1" "i*L1  0.0.0.0/0 [115/10] via 10.1.0.2, eth0"
expect_contains "$TMP/h.out" "5/5 packets received"

# Hellos padded to the MTU (1514-octet frames), or not: one tshark for both runs' link.
sed 's/isis: {network_type: point-to-point}/isis: {network_type: point-to-point, padding: false}/' \
	tests/isis/lan-p2p.yaml >"$TMP/nopad.yaml"
mkdir -p "$TMP/nopad"
"$NETSIM" run --pcap "$TMP/nopad" "$TMP/nopad.yaml" >/dev/null || fail "nopad run"
dissect hello "frame.protocols frame.len" "$TMP/pcap/r1-eth1--r3-eth1.pcap" "$TMP/nopad/r1-eth1--r3-eth1.pcap"
[ "$(frames hello 'f["file"] == "pcap/r1-eth1--r3-eth1.pcap" && proto("isis.hello")' frame.len | head -1)" = 1514 ] ||
	fail "padded hellos: the first is not 1514 octets"
frames hello 'f["file"] == "nopad/r1-eth1--r3-eth1.pcap" && proto("isis.hello")' frame.len | sort -u >"$TMP/lens"
[ "$(wc -l <"$TMP/lens")" -ge 1 ] && [ "$(sort -n "$TMP/lens" | tail -1)" -lt 200 ] ||
	fail "unpadded hellos: $(cat "$TMP/lens")"

# Redistribution: r2's static route, external reachability (TLV 135 wide, TLV 130 narrow).
python3 - tests/isis/lan-p2p.yaml "$TMP/redist.yaml" <<'PY'
import sys
s = open(sys.argv[1]).read()
s = s.replace('isis: {net: "49.0001.0000.0000.0002.00", level: l2}',
              'isis: {net: "49.0001.0000.0000.0002.00", level: l2, '
              'redistribute: [{protocol: static, metric: 7}]}\n'
              '    static_routes:\n      - {prefix: 198.51.100.0/24, blackhole: true}')
open(sys.argv[2], "w").write(s)
PY
grep -q "static_routes" "$TMP/redist.yaml" || fail "redist topology"
"$NETSIM" run "$TMP/redist.yaml" >"$TMP/redist.out" || fail "redist run"
out "$TMP/redist.out" r4 "show ip route isis" >"$TMP/r4r"
expect_contains "$TMP/r4r" "i L2  198.51.100.0/24 [115/47] via 10.2.0.1, eth0"
sed 's/level: l2, redistribute/level: l2, metric_style: narrow, redistribute/' "$TMP/redist.yaml" \
	>"$TMP/redistn.yaml"
"$NETSIM" run "$TMP/redistn.yaml" >"$TMP/redistn.out" || fail "narrow redist run"
out "$TMP/redistn.out" r4 "show ip route isis" >"$TMP/r4n"
expect_contains "$TMP/r4n" "i L2  198.51.100.0/24 [115/47] via 10.2.0.1, eth0"
out "$TMP/redistn.out" r2 "show isis database" >/dev/null

# Authentication (RFC 5304): the same HMAC-MD5 key on both ends of Example 2 forms the
# adjacencies; another key on r3 stops r2--r3 and counts the failures.
sed 's/      level: l1l2 # Area border router/      level: l1l2 # Area border router\n      auth: {type: md5, key: s3cret}/;
     s/      level: l2$/      level: l2\n      auth: {type: md5, key: s3cret}/;
     s/      level: l1$/      level: l1\n      auth: {type: md5, key: s3cret}/' topologies/isis-hierarchy.yaml >"$TMP/auth.yaml"
[ "$(grep -c 'auth: {type: md5' "$TMP/auth.yaml")" = 3 ] || fail "auth topology"
mkdir -p "$TMP/authp"
"$NETSIM" run --pcap "$TMP/authp" "$TMP/auth.yaml" >"$TMP/auth.out" || fail "auth run"
expect_contains "$TMP/auth.out" "i ia  192.0.2.3/32 [115/20] via 10.1.0.2, eth0"
tshark -r "$TMP/authp/r2-eth1--r3-eth0.pcap" -Y "isis.lsp" -V 2>/dev/null | grep -c "hmac-md5 (54), message digest (length 16)" >"$TMP/hmac" || true
[ "$(cat "$TMP/hmac")" -gt 0 ] || fail "no HMAC-MD5 authentication in the LSPs"
# pcapcheck once for the runs above and this one.
pcapcheck_files "$TMP"/pcap/*.pcap "$TMP"/authp/*.pcap
awk '/name: r3/ {r3 = 1} r3 && /key: s3cret/ {sub(/s3cret/, "other"); r3 = 0} {print}' "$TMP/auth.yaml" >"$TMP/auth2.yaml"
cat >>"$TMP/auth2.yaml" <<'Y'
  - at: converged
    device: r2
    command: show isis interface eth1
Y
"$NETSIM" run "$TMP/auth2.yaml" >"$TMP/auth2.out" || true  # its ping fails
out "$TMP/auth2.out" r2 "show isis neighbors" >"$TMP/n2"
expect_contains "$TMP/n2" "r1 "
expect_not_contains "$TMP/n2" "eth1"
expect_not_contains "$TMP/auth2.out" "192.0.2.3/32 ["
expect_contains "$TMP/auth2.out" "Ping 192.0.2.3: 0/5 packets received"
out "$TMP/auth2.out" r2 "show isis interface eth1" >"$TMP/if2"
grep -q "Errors: authentication [1-9]" "$TMP/if2" || fail "authentication failures not counted"
grep -c "key: other" "$TMP/auth2.yaml" | grep -qx 1 || fail "only r3 has the other key"

# An MTU mismatch: r1's padded Hellos (1497 octets) do not fit r4's 1400-octet MTU, so r4
# never hears r1 and no adjacency forms (with padding off it would).
sed 's/eth0, ip: 10.2.0.2\/30, isis:/eth0, ip: 10.2.0.2\/30, mtu: 1400, isis:/' tests/isis/lan-p2p.yaml >"$TMP/mtu.yaml"
grep -q "mtu: 1400" "$TMP/mtu.yaml" || fail "mtu topology"
"$NETSIM" run "$TMP/mtu.yaml" >"$TMP/mtu.out" || fail "mtu run"
out "$TMP/mtu.out" r4 "show ip route isis" >"$TMP/r4m"
expect_not_contains "$TMP/r4m" "i L2"
expect_not_contains "$TMP/mtu.out" "r4 eth0 neighbor"
sed 's/padding: true/padding: true/; s/eth0, ip: 10.2.0.2\/30, mtu: 1400, isis: {/eth0, ip: 10.2.0.2\/30, mtu: 1400, isis: {padding: false, /; s/eth2, ip: 10.2.0.1\/30, isis: {/eth2, ip: 10.2.0.1\/30, isis: {padding: false, /' \
	"$TMP/mtu.yaml" >"$TMP/mtu2.yaml"
"$NETSIM" run "$TMP/mtu2.yaml" >"$TMP/mtu2.out" || fail "mtu run without padding"
expect_contains "$TMP/mtu2.out" "r4 eth0 neighbor"

# A router with more than 16 circuits keeps its per-circuit flooding flags
# (SRM, SSN) out of line (lspdb.c): the spines of a Clos fabric of 20 leaves
# flood every LSP to every leaf, and each leaf reaches every other leaf's
# loopback over both spines.
"$NETSIM" gen clos 2 20 --igp isis >"$TMP/clos.yaml"
printf 'script:\n  - {at: converged, device: leaf1, command: show ip route isis}\n  - {at: converged, device: leaf20, command: show isis database}\n' >>"$TMP/clos.yaml"
"$NETSIM" run "$TMP/clos.yaml" >"$TMP/clos.out" || fail "clos run"
out "$TMP/clos.out" leaf1 "show ip route isis" >"$TMP/leaf1"
for k in $(seq 4 22); do
	grep -A1 "^i L2  10.255.0.$k/32 \[115/20\] via 10.0.0.1, eth0" "$TMP/leaf1" |
		grep -q "^ *\[115/20\] via 10.0.0.3, eth1" || fail "leaf1: no ECMP route to 10.255.0.$k"
done
out "$TMP/clos.out" leaf20 "show isis database" | grep -q "^ *22 LSPs" || fail "leaf20 lacks LSPs"

# Bad configurations: file:line:col.
bad() { # bad NAME EXPECTED-TEXT: validate $TMP/NAME.yaml fails saying it
	if "$NETSIM" validate "$TMP/$1.yaml" >"$TMP/$1.err" 2>&1; then fail "$1 validated"; fi
	expect_contains "$TMP/$1.err" "$2"
}
sed 's/"49.0001.0000.0000.0001.00"/"49.0001.0000.0000.0001.01"/' topologies/isis-hierarchy.yaml >"$TMP/net.yaml"
bad net "net.yaml:12:12: '49.0001.0000.0000.0001.01' is not a NET"
sed 's/0000.0000.0003.00/0000.0000.0002.00/' topologies/isis-hierarchy.yaml >"$TMP/dup.yaml"
bad dup "has the system ID 0000.0000.0002 of r2"
sed 's/level: l1l2 # Area border router/level: l2/' topologies/isis-hierarchy.yaml >"$TMP/leak.yaml"
bad leak "leaking from level 2 into level 1 needs a level l1l2 router"
sed 's/metric: 20}}/metric: 64}}/' tests/isis/two-areas.yaml >"$TMP/narrow.yaml"
bad narrow "metric 64 exceeds 63, the narrow metric maximum"
sed 's/level: l1, metric_style/level: l3, metric_style/' tests/isis/two-areas.yaml >"$TMP/lvl.yaml"
bad lvl "lvl.yaml:9:53: unknown level 'l3' (expected l1, l2 or l1l2)"
sed 's/isis: { metric: 10 }/isis: { metric: 10, colour: blue }/' topologies/isis-hierarchy.yaml >"$TMP/key.yaml"
bad key "unknown key 'colour'"
exit 0
