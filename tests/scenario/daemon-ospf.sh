# daemon-ospf: a live OSPF network in a daemon: neighbors, a link failure and
# `converge` reporting the reconvergence time, chaos actions from lua/netsim/chaos.lua
# (options and lists), `events --follow` streaming through netsim exec, `load FILE.lua`.
. tests/scenario/lib.inc
. tests/daemon/lib.sh

[ -f topologies/ospf-triangle.yaml ] || { echo "no topologies/ospf-triangle.yaml: skipped"; exit 0; }
# A copy in $TMP: `load FILE.lua` below reads only under the topology's directory.
cp topologies/ospf-triangle.yaml "$TMP/tri.yaml"
expect_status 0 "$NETSIM" daemon start tri "$TMP/tri.yaml" --tick-interval 20ms
expect_status 0 "$NETSIM" daemon status tri --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["converged"], d' "$TMP/out"
expect_status 0 "$NETSIM" exec tri r1 "show ip ospf neighbor"
out_has "2.2.2.2"
out_has "FULL"

# A stream of events in the background while the network changes.
"$NETSIM" exec tri - "events --follow" >"$TMP/follow" 2>&1 &
follower=$!

expect_status 0 "$NETSIM" exec tri - "link down r1:eth0 r2:eth0"
expect_status 0 "$NETSIM" exec tri - converge
out_has "converged in"
expect_status 0 "$NETSIM" exec tri r1 "show ip route 10.0.23.0/24"
out_has "* 10.0.13.3, via eth1"
grep -q "10.0.12.2" "$TMP/out" && fail "r1 still routes over the failed link"
expect_status 0 "$NETSIM" exec tri - "link up r1:eth0 r2:eth0"
expect_status 0 "$NETSIM" exec --json tri - "converge --timeout 2m"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["result"]; assert d["converged"] and d["tookMs"] > 0, d' "$TMP/out"
expect_status 0 "$NETSIM" exec tri h1 "ping 10.0.3.10 count 2"

# Chaos actions are the Lua ones, with options and lists.
expect_status 0 "$NETSIM" exec tri - "chaos list"
out_has "partition"
expect_status 0 "$NETSIM" exec tri - "chaos crash r3"
expect_status 0 "$NETSIM" exec tri - converge
expect_status 1 "$NETSIM" exec tri h1 "ping 10.0.3.10 count 1"
expect_status 0 "$NETSIM" exec tri - "chaos restore r3"
expect_status 0 "$NETSIM" exec tri - converge
expect_status 0 "$NETSIM" exec tri h1 "ping 10.0.3.10 count 1"
expect_status 0 "$NETSIM" exec tri - "chaos flap r1:eth1--r3:eth0 period=2s count=2"
expect_status 0 "$NETSIM" exec tri - "run 5s"
expect_status 0 "$NETSIM" exec tri - "chaos partition {r1,h1} {r2,r3,h3}"
expect_status 0 "$NETSIM" exec tri - converge
expect_status 1 "$NETSIM" exec tri h1 "ping 10.0.3.10 count 1"
expect_status 1 "$NETSIM" exec tri - "chaos no_such_action"
out_has "no chaos action"
expect_status 1 "$NETSIM" exec tri - "chaos crash r99"

# load FILE.lua runs inside the running simulation (relative to the caller's directory,
# under the topology's).
mkdir -p "$TMP/work"
cat >"$TMP/work/heal.lua" <<'LUA'
-- heal everything the partition cut, and say so
for _, l in ipairs(net:links()) do
	if not l.up then l:set_up(true) end
end
print("healed at " .. tostring(net:now()))
LUA
(cd "$TMP/work" && "$NETSIM" exec tri - "load heal.lua") >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "load heal.lua"; }
grep -q "healed at" "$TMP/out" || { cat "$TMP/out"; fail "load heal.lua printed nothing"; }
expect_status 0 "$NETSIM" exec tri - converge
expect_status 0 "$NETSIM" exec tri h1 "ping 10.0.3.10 count 1"
printf 'this is not lua (\n' >"$TMP/work/bad.lua"
(cd "$TMP/work" && "$NETSIM" exec tri - "load bad.lua") >"$TMP/out" 2>&1 && fail "load of a broken file succeeded"
expect_status 1 "$NETSIM" exec tri - "load /nonexistent.lua"
# Outside the topology's directory: refused before the file is read.
expect_status 1 "$NETSIM" exec tri - "load $TOP/scenarios/failover.lua"
err_has "outside the topology's directory"
expect_status 0 "$NETSIM" daemon status tri

# The stream saw the failures as they happened; it ends when the daemon stops.
expect_status 0 "$NETSIM" daemon stop tri
i=0
while kill -0 $follower 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 250 ] || fail "events --follow did not end with the daemon"
	sleep 0.02
done
wait $follower || fail "events --follow exited $?"
grep -q "link r1:eth0--r2:eth0 down" "$TMP/follow" || { cat "$TMP/follow"; fail "the stream missed the link failure"; }
grep -q "chaos: crash r3" "$TMP/follow" || fail "the stream missed the crash"
grep -q "Network converged" "$TMP/follow" || fail "the stream missed convergence"
echo "daemon-ospf: ok"
