# fast-timers.sh: `timers: fast` (topology-wide, or per device under ospf:) makes the OSPF
# triangle converge in under 5 s of simulated time (default: ~51 s, the broadcast Wait
# timer) with the same routes; IS-IS converges sooner with the same routes; explicit
# settings beside the profile win; a bad profile name is a file:line:col error.
. tests/scenario/lib.inc

# The time of the first "Network converged", in ms.
conv_ms() { sed -n 's/^\[t=\([0-9.]*\)ms\] Network converged$/\1/p' "$1" | head -1 | cut -d. -f1; }
# Every routing table shown, without the route ages (they differ with the timing).
routes() { sed -n '/> show ip route$/,/^\[t=/p' "$1" | grep -v '^\[t=' | sed 's/, [0-9][0-9]:[0-9][0-9]:[0-9][0-9]$//'; }

"$NETSIM" run topologies/ospf-triangle.yaml >"$TMP/default.out"
sed 's/^devices:$/timers: fast\ndevices:/' topologies/ospf-triangle.yaml >"$TMP/topo-fast.yaml"
"$NETSIM" run "$TMP/topo-fast.yaml" >"$TMP/topo-fast.out"
sed 's/^\(    router_id: .*\)$/\1\n    ospf: {timers: fast}/' topologies/ospf-triangle.yaml >"$TMP/dev-fast.yaml"
grep -c 'timers: fast' "$TMP/dev-fast.yaml" | grep -qx 3 || fail "the per-device profile was not added to the three routers"
"$NETSIM" run "$TMP/dev-fast.yaml" >"$TMP/dev-fast.out"

d=$(conv_ms "$TMP/default.out")
[ "$d" -ge 40000 ] || fail "the default triangle converged at ${d}ms: the Wait timer (40 s) should apply"
for f in topo-fast dev-fast; do
	t=$(conv_ms "$TMP/$f.out")
	[ -n "$t" ] && [ "$t" -lt 5000 ] || { cat "$TMP/$f.out"; fail "$f: converged at ${t}ms, not under 5 s"; }
	# DR election after the 1 s dead interval of fast Hellos (Wait timer), not the 40 s one.
	grep -q '^\[t=10[0-9][0-9]ms\] OSPF: r1 eth0 neighbor 2.2.2.2 Full' "$TMP/$f.out" ||
		{ cat "$TMP/$f.out"; fail "$f: no adjacency at the 1 s Wait timer"; }
	routes "$TMP/$f.out" >"$TMP/$f.routes"
	routes "$TMP/default.out" >"$TMP/default.routes"
	grep -q '^O     10.0.3.0/24 \[110/11\] via 10.0.13.3, eth1' "$TMP/$f.routes" || fail "$f: no OSPF route"
	diff -u "$TMP/default.routes" "$TMP/$f.routes" || fail "$f: routes differ from the default run's"
	expect_contains "$TMP/$f.out" "5/5 packets received"
done

# What the profile sets, and an explicit spf: beside it winning.
sed '0,/ospf: {timers: fast}/s//ospf: {timers: fast, spf: {hold: 200ms, max_hold: 2s}}/' "$TMP/dev-fast.yaml" >"$TMP/ovr.yaml"
printf '  - {at: converged, device: r1, command: show ip ospf}\n  - {at: converged, device: r1, command: show ip ospf interface eth0}\n' >>"$TMP/ovr.yaml"
"$NETSIM" run "$TMP/ovr.yaml" >"$TMP/ovr.out"
expect_contains "$TMP/ovr.out" "Minimum hold time between two consecutive SPFs 200 msecs"
expect_contains "$TMP/ovr.out" "Maximum wait time between two consecutive SPFs 2000 msecs"
expect_contains "$TMP/ovr.out" "Minimum LSA interval 20 msecs"
expect_contains "$TMP/ovr.out" "Minimum LSA arrival 15 msecs"
printf '  - {at: converged, device: r1, command: show ip ospf}\n' | cat topologies/ospf-triangle.yaml - >"$TMP/dflt-show.yaml"
"$NETSIM" run "$TMP/dflt-show.yaml" >"$TMP/dflt-show.out"
expect_contains "$TMP/dflt-show.out" "Minimum LSA interval 5 secs"
expect_contains "$TMP/dflt-show.out" "Minimum LSA arrival 1000 msecs"
grep -q 'Timer intervals configured, Hello 250ms, Dead 1, Wait 1, Retransmit 1' "$TMP/ovr.out" ||
	{ sed -n '/show ip ospf interface/,$p' "$TMP/ovr.out"; fail "the profile's Hellos are not 4 a second with a 1 s dead interval"; }

# Fast Hellos by hand (FRR's dead-interval minimal hello-multiplier): 4 a second on the wire,
# HelloInterval 0 and RouterDeadInterval 1 in the packets.
sed 's/ospf: { area: 0, cost: \([0-9]*\) }/ospf: { area: 0, cost: \1, hello_multiplier: 4 }/' \
	topologies/ospf-triangle.yaml >"$TMP/mult.yaml"
[ "$(grep -c 'hello_multiplier: 4' "$TMP/mult.yaml")" -ge 6 ] || fail "hello_multiplier not set on the links"
mkdir -p "$TMP/mp"
"$NETSIM" run --pcap "$TMP/mp" "$TMP/mult.yaml" >"$TMP/mult.out"
grep -q '^\[t=10[0-9][0-9]ms\] OSPF: r1 eth0 neighbor 2.2.2.2 Full' "$TMP/mult.out" ||
	{ cat "$TMP/mult.out"; fail "hello_multiplier: no adjacency at the 1 s Wait timer"; }
expect_contains "$TMP/mult.out" "5/5 packets received"
# One tshark for both questions: r1's Hellos, their intervals and their times.
dissect mp "ospf.msg ip.src ospf.hello.hello_interval ospf.hello.router_dead_interval frame.time_relative" \
	"$TMP/mp/r1-eth0--r2-eth0.pcap"
HELLO='has("ospf.msg", 1) && has("ip.src", "10.0.12.1")'
frames mp "$HELLO" ospf.hello.hello_interval ospf.hello.router_dead_interval | sort -u >"$TMP/hf"
[ "$(cat "$TMP/hf")" = "$(printf '0\t1')" ] || fail "fast Hellos carry: $(cat "$TMP/hf")"
n=$(frames mp "$HELLO"' && f["frame.time_relative"] < 5.5 && f["frame.time_relative"] >= 0.5' frame.time_relative | wc -l)
[ "$n" -ge 18 ] && [ "$n" -le 22 ] || fail "$n Hellos from r1 in 5 s, not about 20"
sed 's/ospf: { area: 0, cost: 10 }/ospf: { area: 0, cost: 10, hello: 2, hello_multiplier: 4 }/' \
	topologies/ospf-triangle.yaml >"$TMP/mult-bad.yaml"
set +e
"$NETSIM" validate "$TMP/mult-bad.yaml" >"$TMP/mb.out" 2>&1
set -e
grep -q "hello_multiplier sets the dead interval to 1 s and the Hellos: not with 'hello' or 'dead'" \
	"$TMP/mb.out" || { cat "$TMP/mb.out"; fail "hello and hello_multiplier together"; }

# IS-IS: sooner, same routes.
"$NETSIM" run topologies/isis-hierarchy.yaml >"$TMP/isis.out"
sed 's/^devices:$/timers: fast\ndevices:/' topologies/isis-hierarchy.yaml >"$TMP/isis-fast.yaml"
"$NETSIM" run "$TMP/isis-fast.yaml" >"$TMP/isis-fast.out"
a=$(conv_ms "$TMP/isis.out") b=$(conv_ms "$TMP/isis-fast.out")
[ "$b" -lt "$a" ] || fail "IS-IS with timers: fast converged at ${b}ms, default ${a}ms"
routes "$TMP/isis.out" >"$TMP/isis.routes"
routes "$TMP/isis-fast.out" >"$TMP/isis-fast.routes"
grep -q '^i' "$TMP/isis.routes" || fail "no IS-IS routes shown"
diff -u "$TMP/isis.routes" "$TMP/isis-fast.routes" || fail "IS-IS routes differ with timers: fast"

# A bad profile: file:line:col, exit 2.
sed 's/^devices:$/timers: slow\ndevices:/' topologies/ospf-triangle.yaml >"$TMP/bad.yaml"
set +e
"$NETSIM" validate "$TMP/bad.yaml" >"$TMP/bad.out" 2>&1
rc=$?
set -e
[ $rc = 2 ] || fail "validate of timers: slow exited $rc"
expect_contains "$TMP/bad.out" "bad.yaml:6:9: unknown timers 'slow' (expected 'fast' or 'default')"
