# Distributed runs (docs/distributed.md): `mpirun -np N netsim run FILE` prints the
# same timeline, show output and JSON report, and writes the same pcaps, as `netsim run
# FILE`, byte for byte, for N = 1, 2 and 3 on one machine (mpirun --oversubscribe): a
# shipped topology per protocol (its script replaced by shows on every device), generated
# OSPF and IS-IS grids, a grid with loss, duplication and reordering, eBGP, links and
# interfaces going down and up, Lua (hooks, script entries and a scenario: chaos, device
# reads, pings, links' counters). What is not distributed yet is refused with a clear message; a build without MPI refuses
# mpirun, which is what this checks when MPI is not built in.
. tests/scenario/lib.inc
"$NETSIM" version >"$TMP/version"
if grep -q "MPI: not built in" "$TMP/version"; then
	# A launcher's environment is what the refusal looks at: no mpirun needed to check it.
	OMPI_COMM_WORLD_SIZE=2 "$NETSIM" run topologies/ospf-triangle.yaml >"$TMP/out" 2>"$TMP/err" &&
		fail "a build without MPI ran as one of 2 MPI processes"
	expect_contains "$TMP/err" "built without MPI"
	[ -s "$TMP/out" ] && fail "a build without MPI printed a run under mpirun"
	exit 0
fi
expect_contains "$TMP/version" "MPI: built in"
command -v mpirun >/dev/null 2>&1 ||
	fail "netsim has MPI built in but mpirun is missing: install openmpi-bin (make deps)"
. tests/scenario/mpi.inc
# Shipped topologies as they are, their scripts' shows, pings (with the round-trip path
# a packet trace records), traceroutes and TCP connections run by the device's rank, on
# 2 ranks: OSPF on a broadcast segment, IS-IS levels, BGP route reflectors and route maps
# in Lua, L3VPN (LDP, VRFs), BFD, GRE, VLAN switches, fragmentation, static routes, TCP.
# (Every shipped topology whose script these commands make up passes; these keep the
# test short: each mpirun costs 0.3 s or more.)
for n in ospf-broadcast isis-hierarchy bgp-route-reflectors bgp-policy l3vpn bfd-ospf \
	gre-ospf vlan-switching mtu-fragmentation static-routes tcp-services; do
	cp "topologies/$n.yaml" "$TMP/$n.yaml"
	compare "$n" 2
done
# LDP's script shuts an interface and brings it back (run on every rank, each telling
# its own devices).
cp topologies/mpls-ldp.yaml "$TMP/mpls-ldp.yaml"
compare mpls-ldp 2
# With more to show, on 1, 2 and 3 ranks (one rank is a plain run), JSON reports too.
cp topologies/ospf-triangle.yaml "$TMP/triangle.yaml"
JSON=1 PCAP=1 compare triangle 1 2 3
with_shows topologies/ospf-multiarea.yaml "show ip route" "show ip ospf database" >"$TMP/multiarea.yaml"
compare multiarea 3
# Generated networks: an OSPF grid, an IS-IS grid, eBGP between 12 ASes over TCP.
sh tests/bench/gen-grid.sh 6 8 >"$TMP/g.yaml"
with_shows "$TMP/g.yaml" "show ip route" "show ip ospf neighbor" >"$TMP/grid.yaml"
JSON=1 PCAP=1 compare grid 2 3
# Each rank on two threads (MPI is called from the main thread only), with each rank's
# exchange statistics (NETSIM_DIST_STATS): as many ticks as the JSON report counts, and
# frames that crossed.
NETSIM_DIST_STATS=1 mpi 2 run --threads 2 --seed 7 "$TMP/grid.yaml" 2>"$TMP/stats" |
	stable >"$TMP/grid.threads" || true
cmp "$TMP/grid.one" "$TMP/grid.threads" || fail "grid: 2 ranks of 2 threads differ from one process"
ticks=$(sed -n 's/^  "ticks": \([0-9]*\),$/\1/p' "$TMP/grid.jone")
for r in 0 1; do
	grep -q "^netsim: rank $r of 2: $ticks ticks in .* frames [1-9][0-9]* per tick), [0-9.]* collectives per tick" "$TMP/stats" ||
		fail "grid: no statistics of rank $r with $ticks ticks: $(cat "$TMP/stats")"
done
# Loss, duplication and reordering on every link: drawn from the sender's generator on
# the sender's rank, and a duplicate is a second pcap record.
sh tests/bench/gen-grid.sh 4 5 |
	sed 's/^\(  - endpoints: .*\)$/\1\n    loss: 5%\n    duplicate: 5%\n    reorder: 5%/' >"$TMP/l.yaml"
grep -q "duplicate: 5%" "$TMP/l.yaml" || fail "no lossy links generated"
with_shows "$TMP/l.yaml" "show ip route" >"$TMP/lossy.yaml"
PCAP=1 compare lossy 2 3
"$NETSIM" gen grid 4x5 --igp isis >"$TMP/i.yaml"
with_shows "$TMP/i.yaml" "show ip route" "show isis database" >"$TMP/isis.yaml"
compare isis 3
"$NETSIM" gen random 12 --degree 3 --seed 3 --bgp ebgp --prefixes 2 >"$TMP/e.yaml"
with_shows "$TMP/e.yaml" "show ip route" "show bgp" >"$TMP/ebgp.yaml"
compare ebgp 3
# Link failures on a grid, on 1, 2 and 3 ranks: links down and up (network commands,
# without a device) and an interface shut and opened again, several at one instant, on
# links inside a rank and between ranks, entries at `link_down + 300` and
# `interface_down + 1s`, a command that fails on purpose, a ping across the repaired grid.
sh tests/bench/gen-grid.sh 4 5 | sed '/^script:/,$d' >"$TMP/flap.yaml"
addr=$(grep -A3 '^  - name: r20$' "$TMP/flap.yaml" | sed -n 's/.*ip: \([0-9.]*\)\/.*/\1/p' | head -1)
[ -n "$addr" ] || fail "flap: no address for r20"
cat >>"$TMP/flap.yaml" <<EOF
script:
  - {at: 3s, command: link down r1:eth0 r2:eth0}
  - {at: 3s, device: r9, command: interface eth1 shutdown}
  - {at: 3s, command: link down r12:eth2}
  - {at: 3s, command: link down r7:eth3}
  - {at: link_down + 300, device: r20, command: show ip route}
  - {at: interface_down + 1s, device: r1, command: show ip ospf neighbor}
  - {at: 6s, command: link up r1:eth0 r2:eth0}
  - {at: 6s, device: r9, command: interface eth1 no shutdown}
  - {at: 6s, command: link up r12:eth2}
  - {at: 6s, command: link up r12:eth2}
  - {at: 6s, device: r12, command: interface eth9 shutdown, expect: fail}
  - {at: 9s, device: r20, command: show ip route}
  - {at: 9s, device: r1, command: ping $addr}
EOF
JSON=1 PCAP=1 compare flap 1 2 3
# Lua, replicated on every rank (docs/distributed.md, "Lua"): a topology's hooks that
# read a device, Lua script entries with chaos (a link down, loss, a crash and restore),
# a device's show and a ping from Lua, on 2 and 3 ranks with JSON reports and pcaps.
sh tests/bench/gen-grid.sh 3 4 | sed '/^script:/,$d' >"$TMP/g12.yaml"
far=$(grep -A3 '^  - name: r12$' "$TMP/g12.yaml" | sed -n 's/.*ip: \([0-9.]*\)\/.*/\1/p' | head -1)
[ -n "$far" ] || fail "hooks: no address for r12"
cp "$TMP/g12.yaml" "$TMP/hooks.yaml"
cat >>"$TMP/hooks.yaml" <<EOF
hooks:
  link_down: "print('hook: ' .. event.message .. ', r1 has ' .. #r1:routes() .. ' routes')"
  converged: "print(('hook: converged at t=%sms'):format(event.time))"
script:
  - {at: converged, lua: "chaos.link_down('r1--r2'); chaos.loss('r5--r9', 30)"}
  - {at: link_down + 5ms, device: r6, lua: "print(dev:cmd('show ip ospf neighbor'))"}
  - {at: 25s, lua: "chaos.crash('r7', {duration = '2s'})"}
  - {at: 30s, device: r1, command: ping $far}
  - {at: 31s, lua: "local p = r1:ping('$far'); print('lua ping: ' .. p.received .. ' received')"}
EOF
JSON=1 PCAP=1 compare hooks 2 3
expect_contains "$TMP/hooks.3.out" "hook: link r1:eth0--r2:eth0 down, r1 has 17 routes"
expect_contains "$TMP/hooks.3.out" "10.255.0.10       1   FULL/  -"
expect_contains "$TMP/hooks.3.out" "r7 restarted"
expect_contains "$TMP/hooks.3.out" "lua ping: 5 received"
# A Lua scenario (tests/scenario/_mpi.lua) on the same grid: its output on 2 and 3 ranks
# is one process's; then what is refused says so, on every rank alike, and the run goes on.
cp tests/scenario/_mpi.lua "$TMP/_mpi.lua"
all lua "$TMP/_mpi.lua" -- g12.yaml
expect_contains "$TMP/lua.3" "hook: r7 crashed at 20005"
expect_contains "$TMP/lua.3" "counters: hellos="
expect_contains "$TMP/lua.3" "ping: 3 sent, 3 received"
grep -q "^link r5:eth2--r9:eth0: frames=[0-9]* drops=[1-9][0-9]* reordered=0 duplicated=[1-9]" "$TMP/lua.3" ||
	fail "_mpi.lua: no drops and duplicates counted on r5--r9"
expect_contains "$TMP/lua.3" "error: bad argument #2 to '?' (expected an address or prefix, got 'not a prefix')"
expect_contains "$TMP/lua.3" "_mpi.lua:$(grep -n 'net.r4:route("not a prefix")' tests/scenario/_mpi.lua | cut -d: -f1): bad argument #1 to 'route'"
expect_contains "$TMP/lua.3" "bad argument #1 to 'set_up' (boolean expected, got string)"
expect_contains "$TMP/lua.3" "expect: 1 passed, 0 failed"
mpi 2 run "$TMP/_mpi.lua" -- g12.yaml refused >"$TMP/lua.refused" 2>"$TMP/lua.refused.err" ||
	fail "_mpi.lua refused: $(grep -v '^---' "$TMP/lua.refused.err" | head -5)"
expect_contains "$TMP/lua.refused" "net:flow is not available under mpirun (docs/distributed.md)"
expect_contains "$TMP/lua.refused" "refused: net:cmd('tables') is not available under mpirun: a device's commands, link up|down, converge and verify are"
expect_contains "$TMP/lua.refused" "refused: net:fib_changes is not available under mpirun"
expect_contains "$TMP/lua.refused" "a second network is not available under mpirun"
expect_contains "$TMP/lua.refused" "still running at "
# The runs did what they were built to show (so that equal is not equally empty).
expect_contains "$TMP/triangle.3.out" "Network converged"
expect_contains "$TMP/triangle.3.out" "r1> show ip route"
expect_contains "$TMP/triangle.3.out" "Round-trip path: h1 -> r1 -> r3 -> h3 -> r3 -> r1 -> h1"
expect_contains "$TMP/static-routes.2.out" "traceroute to 192.168.2.10"
expect_contains "$TMP/tcp-services.2.out" "h1> tcp send 192.168.2.10 9 500000"
expect_contains "$TMP/grid.3.out" "O     10.0.0.0/31"
[ "$(grep -c '^O ' "$TMP/grid.2.out")" -gt 1000 ] || fail "grid: too few OSPF routes shown"
expect_contains "$TMP/isis.3.out" "i L"
expect_contains "$TMP/ebgp.3.out" "B     100.64."
expect_contains "$TMP/mpls-ldp.2.out" "LDP: r2 eth2 neighbor 10.255.0.3 up"
expect_contains "$TMP/mpls-ldp.2.out" "r2> interface eth1 no shutdown"
expect_contains "$TMP/mpls-ldp.2.out" "LDP: r4 neighbor 10.255.0.2 session up"
expect_contains "$TMP/flap.3.out" "OSPF: r2 eth0 neighbor 10.255.0.1 Down"
expect_contains "$TMP/flap.3.out" "netsim> link down r1:eth0 r2:eth0"
expect_contains "$TMP/flap.3.out" "r9: interface eth1 down"
expect_contains "$TMP/flap.3.out" "link r12:eth2--r13:eth1 is already up"
expect_contains "$TMP/flap.3.out" "% no interface 'eth9' on r12"
expect_contains "$TMP/flap.3.out" "OSPF: r9 eth1 neighbor 10.255.0.8 Full"
expect_contains "$TMP/flap.3.out" "5/5 packets received"
grep -q '"failures": 0' "$TMP/flap.j3" || fail "flap: the 3-rank JSON report has failures"
expect_contains "$TMP/l3vpn.2.out" "ldp: 4 sessions operational"
expect_contains "$TMP/multiarea.3.out" "O IA"
expect_contains "$TMP/multiarea.3.out" "OSPF events:"
grep -q '"converged": true' "$TMP/grid.j2" || fail "grid: the 2-rank JSON report did not converge"
# A pinned device, and a rank beyond the run's: file:line:col.
sed 's/^  - name: r1$/  - name: r1\n    rank: 1/' "$TMP/grid.yaml" >"$TMP/pinned.yaml"
grep -q "rank: 1" "$TMP/pinned.yaml" || fail "could not pin r1"
mpi 2 run --seed 7 "$TMP/pinned.yaml" | stable >"$TMP/pinned.out" || fail "pinned: the run failed"
cmp "$TMP/grid.one" "$TMP/pinned.out" || fail "pinned: r1 on rank 1 changed the output"
sed 's/rank: 1/rank: 2/' "$TMP/pinned.yaml" >"$TMP/pin2.yaml"
mpi 2 run "$TMP/pin2.yaml" >/dev/null 2>"$TMP/pin2.err" && fail "rank 2 accepted with 2 ranks"
expect_contains "$TMP/pin2.err" "pin2.yaml:$(grep -n 'rank: 2' "$TMP/pin2.yaml" | cut -d: -f1):11: rank 2, but this run has 2 ranks (0 to 1)"
# A ping at time 0 from a host pinned away from its router: the command's frames cross
# ranks from global context at once, not only at the end of a tick.
sed -e 's/^  - name: h1$/  - name: h1\n    rank: 0/' -e 's/^  - name: r1$/  - name: r1\n    rank: 1/' \
	-e 's/at: converged + 100$/at: 0/' topologies/ospf-triangle.yaml >"$TMP/ping0.yaml"
[ "$(grep -c 'rank: [01]$\|at: 0$' "$TMP/ping0.yaml")" = 3 ] || fail "could not pin h1 and r1"
compare ping0 2
expect_contains "$TMP/ping0.2.out" "From 10.0.1.1 icmp_seq=1 Destination Net Unreachable"
# What is not distributed yet says so.
sed 's/^script:$/script:\n  - {at: 5s, command: tables}/' "$TMP/triangle.yaml" >"$TMP/tables.yaml"
mpi 2 run "$TMP/tables.yaml" >/dev/null 2>"$TMP/tables.err" && fail "a tables entry ran under mpirun"
expect_contains "$TMP/tables.err" "tables.yaml:$(grep -n 'command: tables' "$TMP/tables.yaml" | cut -d: -f1): under mpirun a script entry may only be a device's command, link up|down, converge, verify or Lua, not 'tables'"
mpi 2 validate "$TMP/triangle.yaml" >/dev/null 2>"$TMP/val.err" && fail "validate ran under mpirun"
expect_contains "$TMP/val.err" "netsim validate: not distributed"
exit 0
