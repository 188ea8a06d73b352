# Same topology, script and seed: byte-identical output (timeline, JSON report, pcaps).
# A different seed changes what depends on the random generator (loss draws).
. tests/scenario/lib.inc
cat >"$TMP/lossy.yaml" <<'Y'
name: lossy
devices:
  - name: h1
    type: host
    interfaces: [{name: eth0, ip: 10.0.0.1/24}]
  - name: h2
    type: host
    interfaces: [{name: eth0, ip: 10.0.0.2/24}]
links:
  - {endpoints: [h1:eth0, h2:eth0], loss: 30%}
script:
  - {at: 10ms, device: h1, command: ping 10.0.0.2 count 40 timeout 100ms, expect: success}
Y
for t in topologies/*.yaml "$TMP/lossy.yaml"; do
	name=$(basename "$t" .yaml)
	mkdir -p "$TMP/a-$name" "$TMP/b-$name"
	"$NETSIM" run --seed 7 --pcap "$TMP/a-$name" "$t" | stable >"$TMP/a-$name.out" || true
	"$NETSIM" run --seed 7 --pcap "$TMP/b-$name" "$t" | stable >"$TMP/b-$name.out" || true
	cmp "$TMP/a-$name.out" "$TMP/b-$name.out" || fail "$name: two runs with seed 7 differ"
	for p in "$TMP/a-$name"/*.pcap; do
		cmp "$p" "$TMP/b-$name/$(basename "$p")" || fail "$name: pcap $(basename "$p") differs"
	done
	"$NETSIM" run --json --seed 7 "$t" | grep -Ev "wallSeconds|peakRssKB" >"$TMP/ja-$name.json" || true
	"$NETSIM" run --json --seed 7 "$t" | grep -Ev "wallSeconds|peakRssKB" >"$TMP/jb-$name.json" || true
	cmp "$TMP/ja-$name.json" "$TMP/jb-$name.json" || fail "$name: JSON reports differ"
done
# The loss draws follow the seed.
"$NETSIM" run --seed 1 "$TMP/lossy.yaml" | grep '^Ping' >"$TMP/s1" || true
"$NETSIM" run --seed 2 "$TMP/lossy.yaml" | grep '^Ping' >"$TMP/s2" || true
grep -q '% loss' "$TMP/s1" || fail "no ping summary"
cmp -s "$TMP/s1" "$TMP/s2" && fail "seeds 1 and 2 gave the same loss pattern: $(cat "$TMP/s1")"
# 30% loss each way: some but not all of 40 pings come back.
grep -Eq 'received, (0|100)% loss' "$TMP/s1" && fail "30% loss gave $(cat "$TMP/s1")"
exit 0
