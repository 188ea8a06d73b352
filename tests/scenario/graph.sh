# netsim graph: one node per device with its type's shape, one edge per link
# (shared segments through a point), subnets, costs and down links drawn as
# such, in DOT and Mermaid; SVG through Graphviz when installed, a clear
# error when not; IS-IS topologies draw even without IS-IS; bad input exits 2.
. tests/scenario/lib.inc

"$NETSIM" graph topologies/ospf-multiarea.yaml >"$TMP/multi.dot" || fail "graph ospf-multiarea"
[ "$(grep -c '^  "[^"]*" \[shape=' "$TMP/multi.dot")" -eq 12 ] || fail "not 12 devices drawn"
[ "$(grep -c '^  "[^"]*" -- "' "$TMP/multi.dot")" -eq 12 ] || fail "not 12 links drawn"
[ "$(grep -c 'shape=ellipse' "$TMP/multi.dot")" -eq 6 ] || fail "not 6 hosts drawn as ellipses"
expect_contains "$TMP/multi.dot" '"core-1" [shape=box, style=rounded, label="core-1\n10.0.100.1/32"];'
expect_contains "$TMP/multi.dot" '"core-4" -- "a1-r1" [label="10.10.0.0/30\ncost 10", taillabel="eth1", headlabel="eth0"];'
tail -1 "$TMP/multi.dot" | grep -qx '}' || fail "DOT not closed"

cat >"$TMP/pic.yaml" <<'EOF'
name: pic
devices:
  - name: r1
    interfaces:
      - {name: lo, ip: 192.0.2.1/32}
      - {name: eth0, ip: 10.0.0.1/30, ospf: {area: 0, cost: 5}}
      - {name: eth1, ip: 10.0.1.1/30, shutdown: true}
      - {name: eth2, ip: 10.0.2.1/24}
  - name: r2
    interfaces:
      - {name: eth0, ip: 10.0.0.2/30, ospf: {area: 0, cost: 7}}
      - {name: eth1, ip: 10.0.1.2/30}
      - {name: eth2, ip: 10.0.2.2/24}
  - name: r3
    interfaces:
      - {name: eth2, ip: 10.0.2.3/24}
      - {name: eth3, ip: 10.0.3.1/24}
  - {name: sw, type: switch, interfaces: [{name: p1}, {name: p2}]}
  - {name: h1, type: host, interfaces: [{name: eth0, ip: 10.0.3.10/24, gateway: 10.0.3.1}]}
links:
  - {endpoints: [r1:eth0, r2:eth0], up: false}
  - endpoints: [r1:eth1, r2:eth1]
  - endpoints: [r1:eth2, r2:eth2, r3:eth2]
  - endpoints: [r3:eth3, sw:p1]
  - endpoints: [sw:p2, h1:eth0]
EOF
"$NETSIM" validate "$TMP/pic.yaml" >/dev/null || fail "pic.yaml does not validate"
"$NETSIM" graph "$TMP/pic.yaml" -o "$TMP/pic.dot" || fail "graph -o"
expect_contains "$TMP/pic.dot" '"sw" [shape=box3d, label="sw"];'
expect_contains "$TMP/pic.dot" '"r1" -- "r2" [label="10.0.0.0/30\ncost 5/7\ndown", taillabel="eth0", headlabel="eth0", style=dashed, color=gray];'
expect_contains "$TMP/pic.dot" '"r1" -- "r2" [label="10.0.1.0/30\nshutdown", taillabel="eth1", headlabel="eth1", style=dashed, color=gray];'
[ "$(grep -c -- '-- "segment 0"' "$TMP/pic.dot")" -eq 3 ] || fail "the shared segment does not join its 3 members"
expect_contains "$TMP/pic.dot" '"r3" -- "sw" [label="10.0.3.0/24", taillabel="eth3", headlabel="p1"];'

"$NETSIM" graph "$TMP/pic.yaml" --format mermaid >"$TMP/pic.mmd" || fail "mermaid"
[ "$(sed -n 4p "$TMP/pic.mmd")" = "graph LR" ] || fail "mermaid: no 'graph LR'"
expect_contains "$TMP/pic.mmd" 'title: pic'
expect_contains "$TMP/pic.mmd" 'n3{{"sw"}}'
expect_contains "$TMP/pic.mmd" 'n4(["h1"])'
expect_contains "$TMP/pic.mmd" 'n0 -.-|"10.0.0.0/30<br/>cost 5/7<br/>down"| n1'
[ "$(grep -c -- '---|' "$TMP/pic.mmd")" -eq 5 ] || fail "mermaid: not 5 links up (3 segment members, 2 switch links)"

# SVG: Graphviz's rendering, or a clear refusal without it.
if command -v dot >/dev/null 2>&1; then
	"$NETSIM" graph "$TMP/pic.yaml" --format svg >"$TMP/pic.svg" || fail "svg with dot installed"
	expect_contains "$TMP/pic.svg" "<svg"
	for t in topologies/*.yaml; do
		"$NETSIM" graph "$t" | dot -Tsvg >/dev/null || fail "dot refuses the DOT of $t"
	done
else
	rc=0
	"$NETSIM" graph "$TMP/pic.yaml" --format svg >"$TMP/pic.svg" 2>"$TMP/err" || rc=$?
	[ "$rc" -eq 1 ] || fail "svg without dot: exit status $rc, not 1"
	expect_contains "$TMP/err" "needs Graphviz's dot program, which is not installed"
	[ -s "$TMP/pic.svg" ] && fail "svg without dot wrote something"
fi

# A generated IS-IS network draws (the file is read, not built), with its metrics.
"$NETSIM" gen ring 4 --igp isis >"$TMP/isis.yaml"
"$NETSIM" graph "$TMP/isis.yaml" >"$TMP/isis.dot" || fail "graph of an IS-IS topology"
[ "$(grep -c ' -- ' "$TMP/isis.dot")" -eq 4 ] || fail "IS-IS ring: not 4 links"
"$NETSIM" import rocketfuel "$NETSIM_SHARED/datasets/rocketfuel/1221/weights.intra" --igp isis 2>/dev/null |
	"$NETSIM" graph /dev/stdin >"$TMP/rf.dot" || fail "graph from a pipe"
grep -q 'cost [0-9]' "$TMP/rf.dot" || fail "IS-IS metrics not drawn"

# Bad input.
for args in "$TMP/missing.yaml" "$TMP/pic.yaml --format png" "" "$TMP/pic.yaml extra"; do
	rc=0
	# shellcheck disable=SC2086
	"$NETSIM" graph $args >"$TMP/out" 2>"$TMP/err" || rc=$?
	[ "$rc" -eq 2 ] || fail "graph $args: exit status $rc, not 2"
	[ -s "$TMP/err" ] || fail "graph $args: no message"
done
printf 'name: x\ndevices:\n  - name: r1\n\tinterfaces: []\n' >"$TMP/tab.yaml"
rc=0
"$NETSIM" graph "$TMP/tab.yaml" >/dev/null 2>"$TMP/err" || rc=$?
[ "$rc" -eq 2 ] || fail "YAML error: exit status $rc"
expect_contains "$TMP/err" "tab.yaml:4:"
echo "graph: ok"
