# Distributed runs (docs/distributed.md): `netsim run --timeline-svg FILE` under mpirun
# draws one process's picture byte for byte on 2 and 3 ranks (each rank counts its own
# devices' work, rank 0 gathers the counts and writes the file): a failover with commands
# on a device, and a grid with Lua hooks and chaos (a link down, a crash and its restore)
# and pings whose buckets widen; the text and JSON report stay one process's. A file that
# cannot be written is exit 2 with rank 0's message. (Without MPI built in there is nothing
# to compare: mpi.sh checks that such a build refuses mpirun.)
. tests/scenario/lib.inc
"$NETSIM" version | grep -q "MPI: built in" || exit 0
command -v mpirun >/dev/null 2>&1 ||
	fail "netsim has MPI built in but mpirun is missing: install openmpi-bin (make deps)"
. tests/scenario/mpi.inc
# A failover: converge, shut r1:eth1 and take r2--r3 down, converge again.
{
	sed 's/^devices:$/timers: fast\ndevices:/' topologies/ospf-triangle.yaml
	printf '  - {at: converged + 2s, %s}\n' "device: r1, command: interface eth1 shutdown" \
		"command: link down r2:eth1 r3:eth1" "device: r1, command: show ip route ospf"
} >"$TMP/fo.yaml"
JSON=1 SVG=1 compare fo 2 3
grep -qF '<title>[t=' "$TMP/fo.3.svg" || fail "fo: no marks in the drawing"
grep -qF 'r1&gt; interface eth1 shutdown</title></circle>' "$TMP/fo.3.svg" ||
	fail "fo: no mark of the script command"
# A grid, hooks reading a device, chaos from Lua and pings (tests/scenario/mpi.sh's).
sh tests/bench/gen-grid.sh 3 4 | sed '/^script:/,$d' >"$TMP/grid.yaml"
far=$(grep -A3 '^  - name: r12$' "$TMP/grid.yaml" | sed -n 's/.*ip: \([0-9.]*\)\/.*/\1/p' | head -1)
[ -n "$far" ] || fail "grid: no address for r12"
cat >>"$TMP/grid.yaml" <<EOF
hooks:
  link_down: "print('hook: ' .. event.message .. ', r1 has ' .. #r1:routes() .. ' routes')"
script:
  - {at: converged, lua: "chaos.link_down('r1--r2')"}
  - {at: 25s, lua: "chaos.crash('r7', {duration = '2s'})"}
  - {at: 30s, device: r1, command: ping $far}
EOF
SVG=1 compare grid 2 3
expect_contains "$TMP/grid.3.out" "hook: link r1:eth0--r2:eth0 down, r1 has 17 routes"
expect_contains "$TMP/grid.3.out" "r7 restarted"
# Every device worked, whichever rank it ran on: each row has activity.
for i in $(seq 1 12); do
	grep -q "<title>r$i: [1-9][0-9]* events from" "$TMP/grid.3.svg" || fail "grid: no activity on r$i's row"
done
grep -q 'engine events per [1-9][0-9]*ms' "$TMP/grid.3.svg" || fail "grid: the buckets did not widen"
# A file that cannot be written: rank 0 says so, and the run's status is 2.
rc=0
mpi 3 run --timeline-svg "$TMP/no/such/dir/x.svg" "$TMP/fo.yaml" >/dev/null 2>"$TMP/err" || rc=$?
[ $rc = 2 ] || fail "unwritable --timeline-svg under mpirun exited $rc"
expect_contains "$TMP/err" "--timeline-svg $TMP/no/such/dir/x.svg: No such file or directory"
[ "$(grep -c -- '--timeline-svg' "$TMP/err")" = 1 ] || fail "the message should come from rank 0 alone"
exit 0
