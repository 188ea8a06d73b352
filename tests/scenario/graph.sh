# netsim graph: one node per device with its type's shape, one edge per link
# (shared segments through a point), subnets, costs and down links drawn as
# such, in DOT and Mermaid; SVG through Graphviz when installed, a clear
# error when not; IS-IS topologies draw even without IS-IS; bad input exits 2.
# --adjacencies (a converged run's OSPF and IS-IS neighbors, styled apart from
# links) and --path SRC DST (the traceroute's way, in red; exit 1 unreached).
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

# --adjacencies: the network run to convergence, its OSPF adjacencies drawn apart
# from the links (their own style), one per pair of neighbors.
"$NETSIM" graph topologies/ospf-triangle.yaml --adjacencies >"$TMP/adj.dot" || fail "graph --adjacencies"
[ "$(grep -c 'class=adjacency' "$TMP/adj.dot")" -eq 3 ] || { cat "$TMP/adj.dot"; fail "triangle: not 3 OSPF adjacencies"; }
expect_contains "$TMP/adj.dot" '"r1" -- "r3" [label="OSPF", color="#1f77b4", fontcolor="#1f77b4", style="bold,dotted", penwidth=2, constraint=false, class=adjacency];'
! grep -q '"h1" -- .*class=adjacency' "$TMP/adj.dot" || fail "a host drawn with an adjacency"
[ "$(grep -c ' -- ' "$TMP/adj.dot")" -eq 8 ] || fail "triangle: not 5 links and 3 adjacencies"
# A link configured down forms no adjacency: the other two remain.
sed 's/- endpoints: \[r1:eth0, r2:eth0\]/- {endpoints: [r1:eth0, r2:eth0], up: false}/' topologies/ospf-triangle.yaml >"$TMP/tri-down.yaml"
grep -q 'up: false' "$TMP/tri-down.yaml" || fail "the test could not take r1--r2 down"
"$NETSIM" graph "$TMP/tri-down.yaml" --adjacencies >"$TMP/adj2.dot" || fail "graph --adjacencies, a link down"
[ "$(grep -c 'class=adjacency' "$TMP/adj2.dot")" -eq 2 ] || { cat "$TMP/adj2.dot"; fail "r1--r2 down: not 2 adjacencies"; }
! grep -q '"r1" -- "r2" \[label="OSPF"' "$TMP/adj2.dot" || fail "an adjacency over a link that is down"
# IS-IS, per level, in Mermaid: thick edges styled by their number.
"$NETSIM" graph topologies/isis-hierarchy.yaml --adjacencies --format mermaid >"$TMP/adj.mmd" || fail "mermaid --adjacencies"
expect_contains "$TMP/adj.mmd" 'n0 ===|"IS-IS L1"| n1'
expect_contains "$TMP/adj.mmd" 'n1 ===|"IS-IS L2"| n2'
expect_contains "$TMP/adj.mmd" 'linkStyle 2 stroke:#2ca02c'
expect_contains "$TMP/adj.mmd" 'linkStyle 3 stroke:#2ca02c'

# --path SRC DST: the traceroute's way after convergence, in red, and a caption.
"$NETSIM" graph topologies/ospf-triangle.yaml --path h1 h3 >"$TMP/path.dot" || fail "graph --path h1 h3"
expect_contains "$TMP/path.dot" 'label="path h1 -> 10.0.3.10: h1 r1 r3 h3";'
for e in '"r1" -- "h1"' '"r1" -- "r3"' '"r3" -- "h3"'; do
	grep -F -- "$e" "$TMP/path.dot" | grep -q 'color=red' || { cat "$TMP/path.dot"; fail "$e not on the path"; }
done
! grep -F '"r1" -- "r2"' "$TMP/path.dot" | grep -q 'color=red' || fail "r1--r2 drawn on the path"
! grep -F '"r2" [' "$TMP/path.dot" | grep -q 'color=red' || fail "r2 drawn on the path"
# The path follows the routing: with r1--r3 down, h1 to h3 goes through r2.
sed 's/- endpoints: \[r1:eth1, r3:eth0\]/- {endpoints: [r1:eth1, r3:eth0], up: false}/' topologies/ospf-triangle.yaml >"$TMP/tri-13.yaml"
grep -q 'up: false' "$TMP/tri-13.yaml" || fail "the test could not take r1--r3 down"
"$NETSIM" graph "$TMP/tri-13.yaml" --path h1 10.0.3.10 --format mermaid >"$TMP/path.mmd" || fail "mermaid --path"
expect_contains "$TMP/path.mmd" '%% path h1 -> 10.0.3.10: h1 r1 r2 r3 h3'
expect_contains "$TMP/path.mmd" 'style n1 stroke:red'
[ "$(grep -c '^  linkStyle .* stroke:red' "$TMP/path.mmd")" -eq 4 ] || { cat "$TMP/path.mmd"; fail "mermaid: not 4 links on the path"; }
# Over a shared segment: the members the path crosses between.
cat >"$TMP/seg.yaml" <<'EOF2'
name: seg
devices:
  - {name: r1, interfaces: [{name: eth0, ip: 10.0.2.1/24}]}
  - {name: r2, interfaces: [{name: eth0, ip: 10.0.2.2/24}]}
  - {name: r3, interfaces: [{name: eth0, ip: 10.0.2.3/24}]}
links:
  - endpoints: [r1:eth0, r2:eth0, r3:eth0]
EOF2
"$NETSIM" graph "$TMP/seg.yaml" --path r1 r3 >"$TMP/seg.dot" || fail "--path over a segment"
[ "$(grep -c -- '-- "segment 0".*color=red' "$TMP/seg.dot")" -eq 2 ] || { cat "$TMP/seg.dot"; fail "segment: not 2 members on the path"; }
# Not reached: drawn as far as it went, said on stderr, exit 1.
rc=0
"$NETSIM" graph "$TMP/seg.yaml" --path r1 203.0.113.9 >"$TMP/nr.dot" 2>"$TMP/err" || rc=$?
[ "$rc" -eq 1 ] || fail "--path not reached: exit $rc, not 1"
expect_contains "$TMP/err" "the traceroute from r1 did not reach 203.0.113.9"
expect_contains "$TMP/nr.dot" "(not reached)"
# Bad --path arguments: exit 2 with the reason.
rc=0; "$NETSIM" graph topologies/ospf-triangle.yaml --path h1 >/dev/null 2>"$TMP/err" || rc=$?
[ "$rc" -eq 2 ] && expect_contains "$TMP/err" "--path needs SRC and DST" || fail "--path with one argument"
rc=0; "$NETSIM" graph topologies/ospf-triangle.yaml --path nope h3 >/dev/null 2>"$TMP/err" || rc=$?
[ "$rc" -eq 2 ] && expect_contains "$TMP/err" "--path: no device 'nope'" || fail "--path from a device that is not there"
rc=0; "$NETSIM" graph topologies/ospf-triangle.yaml --path h1 zz >/dev/null 2>"$TMP/err" || rc=$?
[ "$rc" -eq 2 ] && expect_contains "$TMP/err" "'zz' is neither a device nor an IPv4 address" || fail "--path to nothing"
if command -v dot >/dev/null 2>&1; then
	dot -Tsvg "$TMP/path.dot" >/dev/null || fail "dot refuses --path's DOT"
	dot -Tsvg "$TMP/adj.dot" >/dev/null || fail "dot refuses --adjacencies' DOT"
fi
