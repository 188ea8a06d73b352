# Every broken topology in tests/yaml-bad/ is refused with exit status 2 and its exact
# file:line:col message (the .err beside it), and with nothing else: one error per
# cause, no follow-on errors; none crashes, none half-runs.
. tests/scenario/lib.inc
n=0
for y in tests/yaml-bad/*.yaml; do
	err=${y%.yaml}.err
	[ -f "$err" ] || fail "$y has no .err file"
	for cmd in validate run; do
		set +e
		"$NETSIM" $cmd "$y" >"$TMP/out" 2>"$TMP/err"
		rc=$?
		set -e
		[ $rc -eq 2 ] || { cat "$TMP/err"; fail "$cmd $y: exit status $rc, want 2"; }
		[ -s "$TMP/out" ] && { cat "$TMP/out"; fail "$cmd $y printed to stdout"; }
		grep -qxF -- "$(cat "$err")" "$TMP/err" || {
			echo "want: $(cat "$err")"; echo "got:"; cat "$TMP/err"; fail "$y: wrong message"; }
		[ "$(wc -l <"$TMP/err")" -eq 1 ] || {
			cat "$TMP/err"; fail "$cmd $y: more than the one error expected"; }
	done
	n=$((n + 1))
done
# Files that do not exist or cannot be parsed at all.
set +e
"$NETSIM" validate /nonexistent.yaml 2>"$TMP/err"; rc=$?
set -e
[ $rc -eq 2 ] || fail "missing file: exit $rc"
expect_contains "$TMP/err" "/nonexistent.yaml: cannot read"
echo "$n broken topologies refused with the right message"
# Two mistakes, each reported once and where it is: an interface refused for its name
# shifts neither the position nor the pairing of the overlaps after it, and three
# interfaces nested in one another are two overlaps, not three.
cat >"$TMP/two.yaml" <<'YAML'
name: two
devices:
  - name: r1
    interfaces:
      - {name: "e 0", ip: 10.0.0.9/24}
      - {name: eth1, ip: 10.0.0.1/24}
      - {name: eth2, ip: 10.0.0.2/24}
      - {name: eth3, ip: 10.0.0.3/16}
YAML
set +e
"$NETSIM" validate "$TMP/two.yaml" 2>"$TMP/err"; rc=$?
set -e
[ $rc -eq 2 ] || fail "two.yaml: exit $rc"
cat >"$TMP/want" <<EOF2
$TMP/two.yaml:5:16: bad interface name 'e 0': a space is not allowed (use letters, digits, '.', '_' and '-')
$TMP/two.yaml:7:26: r1: 10.0.0.2/24 on eth2 overlaps 10.0.0.1/24 on eth1
$TMP/two.yaml:8:26: r1: 10.0.0.3/16 on eth3 overlaps 10.0.0.1/24 on eth1
EOF2
diff -u "$TMP/want" "$TMP/err" || fail "two.yaml: wrong messages"

# ---- hostile documents, generated (megabytes that need not be in the repository) ----
# Each is refused (exit 2) within 10 s and 200 MB of memory (or three times what an
# honest 1.6 MB document takes, for builds with sanitizers, which take more).
[ -x /usr/bin/time ] || fail "this test measures memory with /usr/bin/time (GNU time)"
limit=200000
bounded() { # FILE: validate it; its messages end up in $TMP/err
	set +e
	timeout 10 /usr/bin/time -f %M -o "$TMP/rss" "$NETSIM" validate "$1" >/dev/null 2>"$TMP/err"
	rc=$?
	set -e
	[ $rc -eq 2 ] || { head -5 "$TMP/err"; fail "$1: exit status $rc, want 2 (124: timed out)"; }
	rss=$(tail -1 "$TMP/rss")
	[ "$rss" -lt "$limit" ] || fail "$1: used $rss KB of memory (limit $limit KB)"
	echo "$(basename "$1"): refused, $rss KB"
}
awk 'BEGIN { print "name: honest\ndevices: []\nxs:"; for (i = 0; i < 200000; i++)
	printf "  - x%d\n", i }' >"$TMP/honest.yaml"
bounded "$TMP/honest.yaml"
[ $((rss * 3)) -lt $limit ] || limit=$((rss * 3))
# One long string aliased many times: few nodes, many bytes (500 KB x 4000 = 2 GB).
awk 'BEGIN { printf "s: &s "; for (i = 0; i < 500000; i++) printf "x"; printf "\nt: [*s";
	for (i = 1; i < 4000; i++) printf ", *s"; printf "]\n" }' >"$TMP/string-bomb.yaml"
bounded "$TMP/string-bomb.yaml"
grep -qE "^$TMP/string-bomb.yaml:2:[0-9]+: aliases expand to more than 32 MiB \(nested aliases" \
    "$TMP/err" || { cat "$TMP/err"; fail "string bomb: wrong message"; }
[ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "string bomb: more than one error"
# The classic, nine levels deep.
awk 'BEGIN { printf "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
	for (i = 1; i < 10; i++) { printf "a%d: &a%d [*a%d", i, i, i - 1;
	for (j = 1; j < 10; j++) printf ", *a%d", i - 1; printf "]\n" } }' >"$TMP/laughs.yaml"
bounded "$TMP/laughs.yaml"
expect_contains "$TMP/err" "$TMP/laughs.yaml:6:20: aliases expand to more than 32 MiB"
# 100,000 anchors, each used once: anchors are found in constant time.
awk 'BEGIN { print "name: anchors\ndevices: []\nxs:"; for (i = 0; i < 100000; i++)
	printf "  - &a%d x\n", i; print "ys:"; for (i = 0; i < 100000; i++) printf "  - *a%d\n", i }' \
    >"$TMP/anchors.yaml"
bounded "$TMP/anchors.yaml"
expect_contains "$TMP/err" "$TMP/anchors.yaml:3:1: unknown key 'xs' in topology"
# A mapping of 100,000 keys merged into another: merged keys are found in constant time.
awk 'BEGIN { print "name: merge\ndevices: []\nd: &d"; for (i = 0; i < 100000; i++)
	printf "  k%d: 1\n", i; print "e:\n  <<: *d\n  k1: 2" }' >"$TMP/merge.yaml"
bounded "$TMP/merge.yaml"
expect_contains "$TMP/err" "$TMP/merge.yaml:3:1: unknown key 'd' in topology"
# A device with 100,000 unknown keys: each is reported, in linear time.
awk 'BEGIN { print "name: keys\ndevices:\n  - name: r1"; for (i = 0; i < 100000; i++)
	printf "    k%d: 1\n", i }' >"$TMP/keys.yaml"
bounded "$TMP/keys.yaml"
expect_contains "$TMP/err" "$TMP/keys.yaml:100003:5: unknown key 'k99999' in device r1"
[ "$(wc -l <"$TMP/err")" -eq 100000 ] || fail "keys: want 100000 errors"

# ---- the edges of the address rules, accepted ----
# /31 links have no network or broadcast address (RFC 3021); /32 loopbacks; a gateway on a
# /31; router ID 0.0.0.1; one MAC address on two separate segments; names of dots.
cat >"$TMP/edges.yaml" <<'YAML'
name: edges
devices:
  - name: ..
    router_id: 0.0.0.1
    interfaces:
      - {name: eth0, ip: 10.0.0.0/31, mac: "02:aa:00:00:00:01"}
      - {name: eth1, ip: 10.0.1.0/31, mac: "02:aa:00:00:00:02"}
      - {name: lo, ip: 192.0.2.1/32}
  - name: r.2
    interfaces:
      - {name: eth0, ip: 10.0.0.1/31, mac: "02:aa:00:00:00:02"}
  - name: h_3
    type: host
    interfaces:
      - {name: eth-0, ip: 10.0.1.1/31, gateway: 10.0.1.0, mac: "02:aa:00:00:00:01"}
links:
  - endpoints: ["..:eth0", r.2:eth0]
  - endpoints: ["..:eth1", h_3:eth-0]
script:
  - {device: h_3, command: ping 10.0.0.0}
YAML
"$NETSIM" validate "$TMP/edges.yaml" >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "edges refused"; }
# --pcap DIR: every file inside DIR, whatever the names; a refused topology writes nothing.
mkdir -p "$TMP/pcap/a/b"
"$NETSIM" run --pcap "$TMP/pcap/a/b" "$TMP/edges.yaml" >"$TMP/out" 2>&1 ||
    { cat "$TMP/out"; fail "edges: run failed"; }
[ -s "$TMP/pcap/a/b/..-eth0--r.2-eth0.pcap" ] || { ls -la "$TMP/pcap/a/b"; fail "pcap missing"; }
[ "$(ls -A "$TMP/pcap/a/b" | wc -l)" -eq 2 ] || { ls -la "$TMP/pcap/a/b"; fail "want 2 pcaps"; }
[ "$(find "$TMP/pcap" -type f | wc -l)" -eq 2 ] || { find "$TMP/pcap"; fail "pcap outside DIR"; }
set +e
"$NETSIM" run --pcap "$TMP/pcap/a/b" tests/yaml-bad/bad-device-name.yaml >/dev/null 2>&1; rc=$?
set -e
[ $rc -eq 2 ] || fail "bad-device-name run: exit $rc"
[ "$(find "$TMP" -name '*x-eth0*' | wc -l)" -eq 0 ] || fail "a pcap named after ../../x exists"
echo "edge cases accepted, pcaps stay in DIR"
