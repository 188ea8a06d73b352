# timeline-svg: `netsim run --timeline-svg FILE` draws the run as a self-contained SVG:
# a row per device with its activity, the timeline's events as marks, a dashed line
# where the network converged; the same run draws the same bytes; a file that cannot
# be written is exit 2.
. tests/scenario/lib.inc

# A failover: converge (fast timers), shut r1:eth1, converge again.
sed 's/^devices:$/timers: fast\ndevices:/' topologies/ospf-triangle.yaml >"$TMP/fo.yaml"
cat >>"$TMP/fo.yaml" <<'YAML'
  - {at: converged + 2s, device: r1, command: interface eth1 shutdown}
  - {at: converged + 10s, device: r1, command: show ip route ospf}
YAML
"$NETSIM" run --timeline-svg "$TMP/fo.svg" "$TMP/fo.yaml" >"$TMP/fo.out"
[ -s "$TMP/fo.svg" ] || fail "no SVG written"
python3 -c 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); sys.exit(r.tag != "{http://www.w3.org/2000/svg}svg")' "$TMP/fo.svg" ||
	fail "the SVG is not well-formed XML with an svg root"
! grep -qi 'href\|<script\|<image' "$TMP/fo.svg" || fail "the SVG refers to something outside itself"
# A row per device, in the topology's order.
grep -o 'text-anchor="end">[^<]*<' "$TMP/fo.svg" | sed 's/.*">//; s/<$//' | tr '\n' ' ' >"$TMP/rows"
[ "$(cat "$TMP/rows")" = "r1 r2 r3 h1 h3 " ] || fail "rows: $(cat "$TMP/rows")"
# Each convergence of the timeline is a dashed line at its time.
grep '^\[t=[0-9.]*ms\] Network converged$' "$TMP/fo.out" | sed 's/ Network converged//' >"$TMP/conv.want"
grep -o 'stroke-dasharray="5,3"><title>\[t=[0-9.]*ms\]' "$TMP/fo.svg" | sed 's/.*<title>//' >"$TMP/conv.got"
[ "$(wc -l <"$TMP/conv.want")" -eq 2 ] || fail "the failover should converge twice"
diff -u "$TMP/conv.want" "$TMP/conv.got" || fail "convergence lines differ from the timeline"
# The failure, the adjacency lost and the script command are marks, with the timeline's text
# (the times as the timeline printed them).
down=$(grep -o '^\[t=[0-9.]*ms\] r1: interface eth1 down$' "$TMP/fo.out" | head -1)
full=$(grep -o '^\[t=[0-9.]*ms\] OSPF: r1 eth1 neighbor 3.3.3.3 Full$' "$TMP/fo.out" | head -1)
[ -n "$down" ] && [ -n "$full" ] || fail "the timeline lacks the failure or the adjacency the test expects"
t=${down%%]*}]
for m in "$down" "$t OSPF: r1 eth1 neighbor 3.3.3.3 Down" "$t r1&gt; interface eth1 shutdown" "$full"; do
	grep -qF "<title>$m</title></circle>" "$TMP/fo.svg" || fail "no mark '$m'"
done
# Activity: r1 worked; the counts never exceed the run's engine events.
"$NETSIM" run --json --timeline-svg "$TMP/j.svg" topologies/ospf-triangle.yaml >"$TMP/j.json"
total=$(sed -n 's/^  "events": \([0-9]*\),$/\1/p' "$TMP/j.json")
drawn=$(grep -o ': [0-9]* events from' "$TMP/j.svg" | awk '{s += $2} END {print s + 0}')
[ "$drawn" -gt 0 ] && [ "$drawn" -le "$total" ] || fail "drawn events $drawn, run's $total"
grep -q '<title>r1: [0-9]* events from' "$TMP/j.svg" || fail "no activity on r1's row"
# 51 s of simulated time in 512 buckets: they widened from 1 ms to 128 ms.
grep -q 'engine events per 128ms' "$TMP/j.svg" || fail "buckets did not widen as the run grew"
# The same run, on other threads: the same bytes.
"$NETSIM" run --threads 2 --timeline-svg "$TMP/fo2.svg" "$TMP/fo.yaml" >/dev/null
cmp "$TMP/fo.svg" "$TMP/fo2.svg" || fail "the SVG differs between runs"
# A file that cannot be written: a message and exit 2.
set +e
"$NETSIM" run --timeline-svg "$TMP/no/such/dir/x.svg" topologies/ospf-triangle.yaml >/dev/null 2>"$TMP/err"
rc=$?
set -e
[ $rc = 2 ] || fail "unwritable --timeline-svg exited $rc"
expect_contains "$TMP/err" "--timeline-svg $TMP/no/such/dir/x.svg: No such file or directory"
