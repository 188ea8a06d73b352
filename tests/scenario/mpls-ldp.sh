# LDP over OSPF on topologies/mpls-ldp.yaml (docs/ldp.md): a BGP-free core where h1's
# traffic to h2 crosses on the LSP to r6's loopback. Every session comes up; the label r1
# pushes is the one r2 gave for 10.255.0.6/32 (show ldp bindings), r2 swaps it for r4's,
# r4 pops it (penultimate hop); traceroute shows those labels hop by hop (the core has no
# route back to h1: time exceeded goes on along the LSP) and none after the pop; the
# labels on the wire are the same; when r2-r4 fails the LSP follows OSPF. pcapcheck,
# tshark without warnings on LDP, netsim decode, the same bytes on 1 and 3 threads.
# Then: LDP-IGP sync (RFC 5443) with a router whose sessions cannot come up (a password
# mismatch): without sync the traffic is black-holed, with it OSPF avoids the router and
# ping works; the same over IS-IS; GTSM (RFC 6720) refusing a session whose segments
# come through a third router, and `gtsm: false` allowing it; explicit null; the JSON
# forms; the pipe TTL model; targeted Hellos; clear ldp neighbor; bad topologies.
. tests/scenario/lib.inc
command -v tshark >/dev/null || fail "tshark is not installed (make deps)"
command -v python3 >/dev/null || fail "python3 is needed"

run() {
	"$NETSIM" run "$@" >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "netsim run $* failed"; }
}
T=topologies/mpls-ldp.yaml

# 1. The shipped topology, its own script.
mkdir -p "$TMP/p1"
run --pcap "$TMP/p1" $T
cp "$TMP/out" "$TMP/run1"
[ "$(grep -o 'LDP: r[0-9] neighbor [0-9.]* session up' "$TMP/run1" | sort -u | wc -l)" = 16 ] ||
	{ grep 'LDP:' "$TMP/run1"; fail "not 8 sessions up on both ends"; }
expect_contains "$TMP/run1" "ldp: 8 sessions operational"
out "$TMP/run1" r1 "show ldp neighbors" >"$TMP/nbrs"
[ "$(grep -c ' OPERATIONAL 10.255.0.[23] ' "$TMP/nbrs")" = 2 ] || { cat "$TMP/nbrs"; fail "r1's neighbors"; }
# The label r2 gave for r6's loopback: what r1 pushes, for OSPF's route and BGP's over it.
l2=$(out "$TMP/run1" r1 "show ldp bindings 10.255.0.6/32" | awk '$3 == "10.255.0.2" {print $5}')
case "$l2" in '' | *[!0-9]*) fail "no label from r2 for 10.255.0.6/32 ('$l2')" ;; esac
expect_contains "$TMP/run1" "O     10.255.0.6/32 [110/30] via 10.0.12.2, eth0, label $l2,"
expect_contains "$TMP/run1" "B     192.168.6.0/24 [200/0] via 10.0.12.2, eth0, label $l2,"
# r2 swaps it for r4's label, r4 pops (r6 said implicit null).
sw=$(out "$TMP/run1" r2 "show mpls forwarding" | awk -v l="$l2" '$1 == l && $2 == "LDP" {print $3, $4}' | head -1)
[ "${sw% *}" = 10.0.24.2 ] || fail "r2 does not send label $l2 to r4 ($sw)"
l4=${sw#* }
case "$l4" in '' | *[!0-9]*) fail "r2 swaps $l2 for '$l4'" ;; esac
out "$TMP/run1" r4 "show mpls forwarding" | grep -qE "^ $l4 +LDP +10.0.46.2 +implicit-null$" ||
	fail "r4 does not pop $l4 towards r6"
# traceroute from h1: r2 got l2, r4 got l4, r6 got plain IPv4.
out "$TMP/run1" h1 "traceroute 192.168.6.10" >"$TMP/tr1"
grep -A1 '^ 2  10.0.12.2 ' "$TMP/tr1" | grep -qxF "     MPLS Label=$l2 Exp=0 S=1 TTL=1" || { cat "$TMP/tr1"; fail "hop 2"; }
grep -A1 '^ 3  10.0.24.2 ' "$TMP/tr1" | grep -qxF "     MPLS Label=$l4 Exp=0 S=1 TTL=1" || { cat "$TMP/tr1"; fail "hop 3"; }
grep -A1 '^ 4  10.0.46.2 ' "$TMP/tr1" | grep -q MPLS && { cat "$TMP/tr1"; fail "hop 4 shows a label"; }
expect_contains "$TMP/tr1" " 5  192.168.6.10 "
expect_contains "$TMP/run1" "Ping 192.168.6.10: 3/3 packets received"
P=$TMP/p1
# The failure: r2-r4 down, the LSP moves to r1-r3-r5-r6 with r3's label.
l3=$(out "$TMP/run1" r1 "show ldp bindings 10.255.0.6/32" | awk '$3 == "10.255.0.3" {print $5}')
out "$TMP/run1" h1 "traceroute 192.168.6.10" >/dev/null
awk '/h1> traceroute 192.168.6.10/ {n++} n == 2' "$TMP/run1" | sed -n '2,/^\[t=/p' >"$TMP/tr2"
grep -A1 '^ 2  10.0.13.2 ' "$TMP/tr2" | grep -qxF "     MPLS Label=$l3 Exp=0 S=1 TTL=1" || { cat "$TMP/tr2"; fail "after the failure, hop 2"; }
expect_contains "$TMP/tr2" " 4  10.0.56.2 "
awk '/h1> traceroute 192.168.6.10/ {n++} n == 3' "$TMP/run1" | sed -n '2,/^\[t=/p' >"$TMP/tr3"
grep -A1 '^ 3  10.0.24.2 ' "$TMP/tr3" | grep -q "MPLS Label=$l4 " || { cat "$TMP/tr3"; fail "after the repair"; }
# pcaps: pcapcheck and netsim decode (tshark's LDP: with run 5's pcaps, below).
pcapcheck_files "$P"/*.pcap || fail "pcapcheck"
"$NETSIM" decode "$P/r2-eth1--r4-eth0.pcap" >"$TMP/decode" || fail "netsim decode"
expect_contains "$TMP/decode" "Label Mapping id"
expect_contains "$TMP/decode" "Hello id"
# Determinism: the same output and bytes on 1 and 3 threads.
for n in 1 3; do
	mkdir -p "$TMP/t$n"
	"$NETSIM" run --threads $n --pcap "$TMP/t$n" $T | stable >"$TMP/t$n.out"
done
cmp -s "$TMP/t1.out" "$TMP/t3.out" || { diff "$TMP/t1.out" "$TMP/t3.out" | head; fail "output differs by threads"; }
for f in "$TMP"/t1/*.pcap; do cmp -s "$f" "$TMP/t3/${f##*/}" || fail "${f##*/} differs by threads"; done

# 2. LDP-IGP sync. r4's LDP has a password nobody else has: its sessions never come up.
base() { sed -e '/^script:/,$d' $T; }
{
	base | awk '/name: r4/ {r4 = 1} r4 && /^    ldp: {}/ {sub(/{}/, "{password: wrong}"); r4 = 0} {print}'
	cat <<'Y'
script:
  - {at: converged + 1s, device: r1, command: show ip route 10.255.0.6/32}
  - {at: converged + 1s, device: h1, command: ping 192.168.6.10 count 2}
Y
} >"$TMP/nosync.yaml"
grep -q 'password: wrong' "$TMP/nosync.yaml" || fail "no password on r4"
# (GTSM off: while a link waits for its session at the maximum metric, the session's
# segments take another way, and RFC 6720 would refuse them - docs/ldp.md.)
sed -e 's/^    ldp: {}/    ldp: {igp_sync: true, gtsm: false}/; s/{password: wrong}/{password: wrong, igp_sync: true}/' \
	"$TMP/nosync.yaml" >"$TMP/sync.yaml"
set +e
"$NETSIM" run "$TMP/nosync.yaml" >"$TMP/nosync.out" 2>&1
set -e
# Without sync OSPF still goes through r4, r2 pops (no label from r4: untagged), and r4,
# which knows no BGP route, drops the customer's traffic.
expect_contains "$TMP/nosync.out" "* 10.0.12.2, via eth0, label"
expect_contains "$TMP/nosync.out" "Ping 192.168.6.10: 0/2 packets received"
"$NETSIM" run "$TMP/sync.yaml" >"$TMP/sync.out" 2>&1 || { cat "$TMP/sync.out"; fail "the run with sync"; }
# With sync r4's links cost 65535: the traffic goes r1-r3-r5-r6, labelled all the way.
expect_contains "$TMP/sync.out" "* 10.0.13.2, via eth1, label"
expect_contains "$TMP/sync.out" "Ping 192.168.6.10: 2/2 packets received"
expect_contains "$TMP/sync.out" "Round-trip path: h1 -> r1 -> r3 -> r5 -> r6 -> h2"
# The same sync over IS-IS.
{
	base | sed -e 's/ospf: {area: 0, network_type: point-to-point, cost: \([0-9]*\)}/isis: {network_type: point-to-point, metric: \1}/' \
		-e 's/ospf: {area: 0}/isis: {passive: true}/' |
		awk '/^    router_id: 10.255.0./ {n = substr($2, 10); print; printf "    isis: {net: \"49.0001.0000.0000.000%s.00\", level: l2}\n", n; next} {print}' |
		awk '/name: r4/ {r4 = 1} r4 && /^    ldp: {}/ {sub(/{}/, "{password: wrong}"); r4 = 0} {print}' |
		sed -e 's/^    ldp: {}/    ldp: {igp_sync: true, gtsm: false}/; s/{password: wrong}/{password: wrong, igp_sync: true}/'
	cat <<'Y'
script:
  - {at: converged + 1s, device: r1, command: show isis database detail r2}
  - {at: converged + 1s, device: h1, command: ping 192.168.6.10 count 2}
Y
} >"$TMP/isis.yaml"
grep -q 'isis: {net:' "$TMP/isis.yaml" || fail "the IS-IS variant has no NETs"
"$NETSIM" run "$TMP/isis.yaml" >"$TMP/isis.out" 2>&1 || { cat "$TMP/isis.out"; fail "the IS-IS run with sync"; }
expect_contains "$TMP/isis.out" "Round-trip path: h1 -> r1 -> r3 -> r5 -> r6 -> h2"
grep -qF 'Extended Reachability: 0000.0000.0004.00 (Metric: 16777214)' "$TMP/isis.out" ||
	{ out "$TMP/isis.out" r1 "show isis database detail r2"; fail "r2 does not hold r4's link at the maximum metric"; }

# 3. GTSM (RFC 6720): r2-r4 made expensive, r2 reaches r4's loopback through r3 and r5:
# their segments arrive with TTL 253 and the session is refused; without GTSM it runs.
{
	base | sed -e 's/10.0.24.\([12]\)\/30, ospf: {area: 0, network_type: point-to-point, cost: 10}/10.0.24.\1\/30, ospf: {area: 0, network_type: point-to-point, cost: 100}/'
	echo "script:"
	echo "  - {at: converged + 1s, device: r2, command: show ldp neighbors}"
	echo "  - {at: converged + 1s, device: r2, command: show tcp}"
} >"$TMP/gtsm.yaml"
grep -q 'cost: 100' "$TMP/gtsm.yaml" || fail "r2-r4 not made expensive"
run "$TMP/gtsm.yaml"
out "$TMP/out" r2 "show ldp neighbors" >"$TMP/g1"
grep -q '^ipv4 10.255.0.4      NONEXISTENT ' "$TMP/g1" || { cat "$TMP/g1"; fail "GTSM let r2-r4 through"; }
expect_contains "$TMP/out" "Network converged"
sed -e 's/^    ldp: {}/    ldp: {gtsm: false}/' "$TMP/gtsm.yaml" >"$TMP/nogtsm.yaml"
run "$TMP/nogtsm.yaml"
out "$TMP/out" r2 "show ldp neighbors" | grep -q '^ipv4 10.255.0.4      OPERATIONAL ' ||
	fail "without GTSM r2-r4 should come up"

# 4. Explicit null: r6 advertises 0, r4 swaps to it, r6 pops it; ping still works.
{
	base | awk '/name: r6/ {r6 = 1} r6 && /^    ldp: {}/ {sub(/{}/, "{explicit_null: true}"); r6 = 0} {print}'
	cat <<'Y'
script:
  - {at: converged, device: r4, command: show mpls forwarding json}
  - {at: converged, device: r4, command: show ldp bindings 10.255.0.6/32 json}
  - {at: converged, device: r1, command: show ldp neighbors json}
  - {at: converged, device: r1, command: show ldp interface json}
  - {at: converged, device: r1, command: show ldp discovery json}
  - {at: converged + 1s, device: h1, command: ping 192.168.6.10 count 2}
Y
} >"$TMP/exp.yaml"
"$NETSIM" run --json "$TMP/exp.yaml" >"$TMP/exp.json" 2>"$TMP/exp.err" || { cat "$TMP/exp.err"; fail "explicit null run"; }
python3 - "$TMP/exp.json" <<'PY' || fail "explicit null / JSON"
import json, sys
o = {(x["device"], x["command"]): x for x in json.load(open(sys.argv[1]))["outputs"]}
b = o[("r4", "show ldp bindings 10.255.0.6/32 json")]["json"]["bindings"]
frm6 = [x for x in b if x["neighborId"] == "10.255.0.6"]
assert frm6 and frm6[0]["remoteLabel"] == "exp-null" and frm6[0]["inUse"] == 1, b
local = frm6[0]["localLabel"]
lfib = o[("r4", "show mpls forwarding json")]["json"][local]["nexthops"]
assert [(n["nexthop"], n["outLabel"], n["type"]) for n in lfib] == [("10.0.46.2", 0, "LDP")], lfib
n = o[("r1", "show ldp neighbors json")]["json"]["neighbors"]
assert [(x["neighborId"], x["state"]) for x in n] == [("10.255.0.2", "OPERATIONAL"), ("10.255.0.3", "OPERATIONAL")], n
i = o[("r1", "show ldp interface json")]["json"]
assert sorted(i) == ["eth0: ipv4", "eth1: ipv4"] and i["eth0: ipv4"]["adjacencyCount"] == 1, i
d = o[("r1", "show ldp discovery json")]["json"]["adjacencies"]
assert [(x["neighborId"], x["interface"], x["helloHoldtime"]) for x in d] == [("10.255.0.2", "eth0", 15), ("10.255.0.3", "eth1", 15)], d
p = o[("h1", "ping 192.168.6.10 count 2")]
assert p["status"] == 0, p
PY

# 5. The pipe model (RFC 3443): r1 pushes its labels at TTL 255, so the LSP is one hop to
# traceroute (r2 and r4 hidden, r6 next after r1) and no label appears in its answers.
{
	base | sed 's/^    router_id: 10.255.0.1$/    router_id: 10.255.0.1\n    mpls: {ttl_propagate: false}/'
	printf 'script:\n  - {at: converged + 1s, device: h1, command: traceroute 192.168.6.10}\n'
} >"$TMP/pipe.yaml"
grep -q 'ttl_propagate: false' "$TMP/pipe.yaml" || fail "no pipe model on r1"
mkdir -p "$TMP/pp"
run --pcap "$TMP/pp" "$TMP/pipe.yaml"
out "$TMP/out" h1 "traceroute 192.168.6.10" >"$TMP/trp"
grep -q '^ 2  10.0.46.2 ' "$TMP/trp" || { cat "$TMP/trp"; fail "pipe: hop 2 should be r6"; }
grep -q '^ 3  192.168.6.10 ' "$TMP/trp" || { cat "$TMP/trp"; fail "pipe: h2 at hop 3"; }
grep -q MPLS "$TMP/trp" && { cat "$TMP/trp"; fail "pipe: a label answered"; }

# The wire of runs 1 and 5, dissected by one tshark. Run 1: requests labelled l2 on r1-r2
# and l4 on r2-r4, plain after r4; tshark decodes LDP without warnings.
dissect wire "icmp.type mpls.label frame.protocols ldp.msg.type frame.number _ws.expert.severity
	_ws.expert.message mpls.ttl ip.src" "$P"/*.pcap "$TMP"/pp/r1-eth0--r2-eth0.pcap
[ "$(frames wire 'f["file"] == "p1/r1-eth0--r2-eth0.pcap" && has("icmp.type", 8)' mpls.label | sort -u)" = "$l2" ] || fail "r1-r2: not $l2"
[ "$(frames wire 'f["file"] == "p1/r2-eth1--r4-eth0.pcap" && has("icmp.type", 8)' mpls.label | sort -u)" = "$l4" ] || fail "r2-r4: not $l4"
[ "$(frames wire 'f["file"] == "p1/r4-eth1--r6-eth0.pcap" && has("icmp.type", 8)' frame.protocols | sort -u)" = "eth:ethertype:ip:icmp:data" ] ||
	fail "r4-r6: requests should be plain IPv4 after the pop"
[ "$(frames wire 'f["file"] ~ /^p1\// && has("ldp.msg.type", "0x0400")' frame.number | wc -l)" -gt 0 ] ||
	fail "no Label Mapping on the wire"
w=$(frames wire 'f["file"] ~ /^p1\// && proto("ldp") && most("_ws.expert.severity") >= 6291456' _ws.expert.message | sort -u)
[ -z "$w" ] || fail "tshark warns on LDP: $w"
# Run 5: r1 pushes at TTL 255.
[ "$(frames wire 'f["file"] == "pp/r1-eth0--r2-eth0.pcap" && proto("mpls") && has("ip.src", "192.168.1.10")' mpls.ttl |
	sort -u)" = 255 ] || fail "pipe: r1 pushes TTL 255"

# 6. Targeted Hellos (RFC 5036 2.4.2): r1 targets r6, r6 accepts them: a session between
# the edge routers, three hops apart (no GTSM on it), with r6's labels kept, not used.
{
	base | awk '/^  - name: /{r=$3} /^    ldp: {}/ { if (r=="r1") sub(/{}/, "{targeted: [10.255.0.6]}"); else if (r=="r6") sub(/{}/, "{targeted_accept: true}") } {print}'
	cat <<'Y'
script:
  - {at: converged, device: r1, command: show ldp neighbors}
  - {at: converged, device: r6, command: show ldp discovery json}
  - {at: converged, device: r1, command: show ldp bindings 10.255.0.6/32}
  - {at: converged, device: r6, command: show ldp neighbors detail}
Y
} >"$TMP/tgt.yaml"
[ "$(grep -c 'targeted' "$TMP/tgt.yaml")" = 2 ] || fail "targeted config not in place"
run "$TMP/tgt.yaml"
out "$TMP/out" r1 "show ldp neighbors" | grep -q '^ipv4 10.255.0.6      OPERATIONAL 10.255.0.6 ' ||
	fail "no targeted session r1-r6"
out "$TMP/out" r6 "show ldp discovery json" | grep -q '"type": "targeted"' || fail "r6: no targeted adjacency"
out "$TMP/out" r1 "show ldp bindings 10.255.0.6/32" | grep -qE '^ipv4 10.255.0.6/32 +10.255.0.6 +[0-9]+ +imp-null +no$' ||
	fail "r1: r6's own label, retained and unused"
out "$TMP/out" r6 "show ldp neighbors detail" | grep -q '^      Targeted Hello: 10.255.0.1$' || fail "r6: discovery source"
# Without targeted_accept on r6 there is no session.
sed 's/{targeted_accept: true}/{}/' "$TMP/tgt.yaml" >"$TMP/tgt2.yaml"
run "$TMP/tgt2.yaml"
out "$TMP/out" r1 "show ldp neighbors" | grep -q 'OPERATIONAL 10.255.0.6' && fail "r6 answered without targeted_accept"

# 7. clear ldp neighbor: the session ends (Shutdown) and comes back at once, on both
# sides, labels and traffic with it; an unknown neighbor is an error.
{
	base
	cat <<'Y'
script:
  - {at: converged + 1s, device: r1, command: clear mpls ldp neighbor}
  - {at: converged + 1s, device: r1, command: clear ldp neighbor 10.9.9.9, expect: fail}
  - {at: converged + 3s, device: r1, command: show ldp neighbors}
  - {at: converged + 3s, device: h1, command: ping 192.168.6.10 count 2}
Y
} >"$TMP/clr.yaml"
run "$TMP/clr.yaml"
expect_contains "$TMP/out" "LDP: r1 neighbor 10.255.0.2 session down: cleared"
expect_contains "$TMP/out" "LDP: r2 neighbor 10.255.0.1 session down: Notification received"
expect_contains "$TMP/out" "% no LDP neighbor 10.9.9.9"
[ "$(out "$TMP/out" r1 "show ldp neighbors" | grep -c ' OPERATIONAL ')" = 2 ] || fail "sessions not back after the clear"
expect_contains "$TMP/out" "Ping 192.168.6.10: 2/2 packets received"

# 8. Bad topologies: file:line:col, one error each.
bad() {
	printf 'devices:\n  - name: r1\n    %s\n    interfaces:\n      - {name: eth0, ip: 10.0.0.1/24, ldp: {}}\n' "$1" >"$TMP/bad.yaml"
	set +e
	"$NETSIM" validate "$TMP/bad.yaml" >"$TMP/bad.out" 2>&1
	rc=$?
	set -e
	[ $rc = 2 ] || { cat "$TMP/bad.out"; fail "'$1' validated (exit $rc)"; }
	grep -qxF "$2" "$TMP/bad.out" || { cat "$TMP/bad.out"; fail "'$1': want '$2'"; }
	[ "$(wc -l <"$TMP/bad.out")" = 1 ] || { cat "$TMP/bad.out"; fail "'$1': more than one error"; }
}
B=$TMP/bad.yaml
bad "ldp: {label_range: [100, 105]}" "$B:3:24: ldp: label_range 100-105 holds fewer than 16 labels"
bad "ldp: {label_range: [5, 100]}" "$B:3:25: expected an integer from 16 to 1048575 for 'label_range', got '5'"
bad "ldp: {bind: some}" "$B:3:17: unknown bind 'some' (expected loopbacks or all)"
bad "ldp: {hello: 10s, hold: 5}" "$B:3:29: ldp: the hold time (5s) must exceed the hello interval (10s)"
bad "ldp: {keepalive: 5}" "$B:3:22: 'keepalive' must be a whole number of seconds from 15 to 65535 (LDP carries it in seconds)"
bad "ldp: {router_id: 224.0.0.1}" "$B:3:22: ldp: router_id 224.0.0.1 is a multicast address"
bad "ldp: {gtsm: maybe}" "$B:3:17: expected true or false for 'gtsm', got 'maybe'"
bad "ldp: {targeted: [10.0.0.9, 10.0.0.9]}" "$B:3:32: ldp: targeted peer 10.0.0.9 is listed twice"
bad "ldp: {targeted: [224.0.0.2]}" "$B:3:22: ldp: targeted peer 224.0.0.2 is a multicast address"
