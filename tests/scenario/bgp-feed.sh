# Route feeders (docs/bgp-feed.md): `netsim gen bgp-feed` loads and converges with
# every prefix from every feeder on the router under test; `show bgp feed` counts;
# `bgp feed withdraw` (YAML script and Lua) empties the DUT of a feeder's routes and
# `bgp feed announce` brings them back; the MRT replay gives the DUT exactly the
# fixture's prefixes and AS paths (read by tests/tools/mrt.py, independently of
# netsim's reader); runs and generated files are deterministic; bad feed blocks and
# bad MRT files fail with file:line:col and the offset.
. tests/scenario/lib.inc

# PfxRcd of neighbor IP in a `show bgp summary`.
pfxrcd() { awk -v ip="$2" '$1 == ip { print $10 }' "$1"; }
# expect_dut PART PFXRCD-FEED1 PFXRCD-FEED2 [B-ROUTES]: dut's counts in that part of the run.
expect_dut() {
	out "$TMP/$1" dut "show bgp summary" >"$TMP/sum"
	[ "$(pfxrcd "$TMP/sum" 10.0.0.2)" = "$2" ] && [ "$(pfxrcd "$TMP/sum" 10.0.0.6)" = "$3" ] ||
		{ cat "$TMP/sum"; fail "$1: dut should have $2 prefixes from feed1, $3 from feed2"; }
	[ $# -lt 4 ] && return 0
	out "$TMP/$1" dut "show ip route summary" >"$TMP/rt"
	[ "$(bgp_routes "$TMP/rt")" = "$4" ] || { cat "$TMP/rt"; fail "$1: dut should have $4 B routes"; }
}
# "PREFIX<TAB>AS PATH" for every path of a `show bgp json`.
routes_of() {
	python3 -c 'import json, sys
for pfx, paths in json.load(open(sys.argv[1]))["routes"].items():
    for p in paths:
        print("%s\t%s" % (pfx, p["path"]))' "$1"
}
# The bgp line of `show ip route summary`: routes.
bgp_routes() { awk '$1 == "bgp" { print $2 }' "$1"; }

# ---- generated: 2 feeders x 1000 prefixes ----
"$NETSIM" gen bgp-feed --peers 2 --prefixes 1000 --seed 1 -o "$TMP/f.yaml" || fail "gen bgp-feed"
"$NETSIM" gen bgp-feed --peers 2 --prefixes 1000 --seed 1 >"$TMP/f2.yaml"
cmp -s "$TMP/f.yaml" "$TMP/f2.yaml" || fail "gen bgp-feed: -o and stdout differ"
"$NETSIM" gen bgp-feed --peers 2 --prefixes 1000 --seed 2 >"$TMP/f3.yaml"
grep -q "feed: {prefixes: 1000, seed: 2}" "$TMP/f3.yaml" || fail "gen bgp-feed: --seed not in the feed block"
"$NETSIM" gen bgp-feed --peers 3 --prefixes 10 --seed 1 --dut-as 4200000000 --host >"$TMP/host.yaml"
"$NETSIM" validate "$TMP/host.yaml" >/dev/null || fail "gen bgp-feed --host --dut-as: does not validate"
grep -q "remote_as: 4200000000" "$TMP/host.yaml" && grep -q "name: h1" "$TMP/host.yaml" ||
	fail "gen bgp-feed: --dut-as or --host missing from the topology"
if "$NETSIM" gen bgp-feed --peers 2 --prefixes 10 >"$TMP/gen.err" 2>&1; then fail "gen bgp-feed without --seed"; fi
expect_contains "$TMP/gen.err" "--peers, --prefixes and --seed are required"
if "$NETSIM" gen bgp-feed --peers 0 --prefixes 10 --seed 1 >"$TMP/gen.err" 2>&1; then fail "gen bgp-feed --peers 0"; fi
expect_contains "$TMP/gen.err" "--peers needs a number from 1 to 1000, not '0'"
{ cat "$TMP/f.yaml"; cat <<'EOF'
script:
  - {at: converged, device: dut, command: show bgp summary}
  - {at: converged, device: dut, command: show ip route summary}
  - {at: converged, device: feed1, command: show bgp feed json}
  - {at: converged, device: dut, command: show bgp}
  - {at: converged + 1s, device: feed1, command: bgp feed withdraw}
  - {at: converged + 5s, device: dut, command: show bgp summary}
  - {at: converged + 5s, device: dut, command: show ip route summary}
  - {at: converged + 5s, device: feed1, command: show bgp feed}
  - {at: converged + 6s, device: feed2, command: bgp feed withdraw 10.0.0.5}
  - {at: converged + 10s, device: dut, command: show ip route summary}
  - {at: converged + 11s, device: feed1, command: bgp feed announce}
  - {at: converged + 15s, device: dut, command: show bgp summary}
EOF
} >"$TMP/run.yaml"
"$NETSIM" run "$TMP/run.yaml" >"$TMP/run.out" 2>&1 || { cat "$TMP/run.out"; fail "run bgp-feed"; }
# The script's blocks in order: `out` gives the first of each command, so split by time.
awk -v dir="$TMP" '/\] dut> show bgp summary$/ { n++ } { print > (dir "/part" (n + 0)) }' "$TMP/run.out"
expect_dut part1 1000 1000 1000
out "$TMP/part1" feed1 "show bgp feed json" >"$TMP/feed1.json"
python3 - "$TMP/feed1.json" <<'EOF' || fail "feed1's show bgp feed json"
import json, sys
j = json.load(open(sys.argv[1]))
n = j["neighbors"]["10.0.0.1"]
assert j["source"] == "generated" and j["tableSize"] == 1000, j
assert n["feed"] == "done" and n["announced"] == 1000 and n["prefixesSent"] == 1000, n
assert n["prefixesWithdrawn"] == 0 and n["updatesReceived"] > 0, n
# 1000 prefixes in groups of 1-8 sharing attributes, + End-of-RIB
assert 1000 / 8 < n["updatesSent"] < 1000 / 2, n
EOF
# Every prefix has both feeders' paths, the origin AS the same.
out "$TMP/part1" dut "show bgp" >"$TMP/bgp1"
python3 - "$TMP/bgp1" <<'EOF' || fail "dut's show bgp: 2 paths per prefix, shared origin"
import sys
paths = {}
pfx = None
for line in open(sys.argv[1]):
    if not line.startswith(("*", " ")) or "Network" in line:
        continue
    f = line[3:].split()
    if line[3] != " ":
        pfx = f[0]; f = f[1:]
    if not f or not f[-1] in "ie?":
        continue
    asns = [x for x in f[1:-1] if x.isdigit() and not x == "0"][-12:]
    paths.setdefault(pfx, []).append(asns)
assert len(paths) == 1000, len(paths)
same_origin = sum(1 for p in paths.values() if len(p) == 2 and p[0][-1] == p[1][-1])
firsts = {tuple(sorted(x[0] for x in p)) for p in paths.values()}
assert all(len(p) == 2 for p in paths.values())
assert firsts == {("65101", "65102")}, firsts
assert same_origin > 900, same_origin  # all but the ~2% each feeder originates itself
EOF
expect_dut part2 0 1000 1000 # feed1 withdrew: feed2's routes
out "$TMP/part2" feed1 "show bgp feed" >"$TMP/feed1b"
grep -Eq "^10\.0\.0\.1 +Established +withdrawn +0 +1000 +1000 " "$TMP/feed1b" ||
	{ cat "$TMP/feed1b"; fail "feed1's show bgp feed after withdraw"; }
awk '/\] feed2> bgp feed withdraw/ { on = 1 } on' "$TMP/part2" >"$TMP/part2b"
out "$TMP/part2b" dut "show ip route summary" >"$TMP/rt3"
[ -z "$(bgp_routes "$TMP/rt3")" ] || [ "$(bgp_routes "$TMP/rt3")" = 0 ] ||
	{ cat "$TMP/rt3"; fail "both feeders withdrawn: dut should have no B routes"; }
expect_dut part3 1000 0 # feed1 announced again, feed2 still withdrawn

# ---- a session reset mid-stream: the stream starts again on the next session ----
# (20,000 prefixes: more than TCP's send buffer, so the stream is paced by acknowledgements)
"$NETSIM" gen bgp-feed --peers 1 --prefixes 20000 --seed 1 >"$TMP/p1.yaml"
{ cat "$TMP/p1.yaml"; echo "script:"; echo "  - {at: 6ms, device: feed1, command: clear bgp *}"
  echo "  - {at: 200s, device: dut, command: show bgp summary}"
  echo "  - {at: 200s, device: feed1, command: show bgp feed}"; } >"$TMP/reset.yaml"
"$NETSIM" run "$TMP/reset.yaml" >"$TMP/reset.out" 2>&1 || { cat "$TMP/reset.out"; fail "reset run"; }
expect_contains "$TMP/reset.out" "feed1 neighbor 10.0.0.1 session down: User reset"
out "$TMP/reset.out" dut "show bgp summary" >"$TMP/resetsum"
[ "$(pfxrcd "$TMP/resetsum" 10.0.0.2)" = 20000 ] || { cat "$TMP/resetsum"; fail "after the reset: 20000 prefixes on dut"; }
out "$TMP/reset.out" feed1 "show bgp feed" >"$TMP/resetfeed"
awk '$1 == "10.0.0.1" && $3 == "done" && $4 == 20000 && $5 > 20000 && $5 < 40000 { ok = 1 } END { exit !ok }' \
	"$TMP/resetfeed" || { cat "$TMP/resetfeed"; fail "feed1: the reset should have cut the first stream short"; }

# ---- an iBGP feeder: paths without its own AS (the DUT would drop them as loops) ----
"$NETSIM" gen bgp-feed --peers 1 --prefixes 1000 --seed 1 |
	sed 's/ as: 65101/ as: 65000/; s/remote_as: 65101/remote_as: 65000/' >"$TMP/ibgp.yaml"
printf 'script:\n  - {at: converged, device: dut, command: show bgp summary}\n' >>"$TMP/ibgp.yaml"
"$NETSIM" run "$TMP/ibgp.yaml" >"$TMP/ibgp.out" 2>&1 || { cat "$TMP/ibgp.out"; fail "ibgp feeder run"; }
expect_contains "$TMP/ibgp.out" "(iBGP AS65000-AS65000)"
out "$TMP/ibgp.out" dut "show bgp summary" >"$TMP/ibgpsum"
[ "$(pfxrcd "$TMP/ibgpsum" 10.0.0.2)" = 1000 ] || { cat "$TMP/ibgpsum"; fail "iBGP feeder: dut should accept all 1000"; }

# ---- the same from Lua (dev:cmd) ----
cat >"$TMP/feed.lua" <<'EOF'
local net = netsim.load(netsim.args[1])
net:run()
net.feed2:cmd("bgp feed withdraw")
net:run()
local s = net.dut:cmd_json("show bgp summary")
local rcvd = s.ipv4Unicast.peers["10.0.0.6"].pfxRcd
local other = s.ipv4Unicast.peers["10.0.0.2"].pfxRcd
print("lua: feed2 " .. rcvd .. " feed1 " .. other)
EOF
"$NETSIM" run "$TMP/feed.lua" -- "$TMP/f.yaml" >"$TMP/lua.out" 2>&1 || { cat "$TMP/lua.out"; fail "lua scenario"; }
expect_contains "$TMP/lua.out" "lua: feed2 0 feed1 1000"

# ---- determinism: the whole table twice ----
{ cat "$TMP/f.yaml"; echo "script:"; echo "  - {at: converged, device: dut, command: show bgp}"; } >"$TMP/det.yaml"
"$NETSIM" run "$TMP/det.yaml" 2>&1 | stable >"$TMP/det1"
"$NETSIM" run --threads 2 "$TMP/det.yaml" 2>&1 | stable >"$TMP/det2"
cmp -s "$TMP/det1" "$TMP/det2" || fail "two runs of the same feed differ"
[ "$(grep -c '^\*' "$TMP/det1")" -ge 2000 ] || fail "determinism run: the table is missing"

# ---- MRT replay: exactly the fixture's routes ----
cp tests/bgp/feed-mrt.yaml tests/bgp/rib.mrt "$TMP/"
{ cat "$TMP/feed-mrt.yaml"; echo "script:"; echo "  - {at: converged, device: dut, command: show bgp json}"
  echo "  - {at: converged, device: feed1, command: show bgp feed}"; } >"$TMP/mrt-run.yaml"
"$NETSIM" run "$TMP/mrt-run.yaml" >"$TMP/mrt.out" 2>&1 || { cat "$TMP/mrt.out"; fail "mrt replay run"; }
out "$TMP/mrt.out" dut "show bgp json" >"$TMP/mrt.json"
routes_of "$TMP/mrt.json" >"$TMP/got"
python3 tests/tools/mrt.py dump tests/bgp/rib.mrt >"$TMP/want"
[ "$(wc -l <"$TMP/want")" = 300 ] || fail "mrt.py dump: $(wc -l <"$TMP/want") routes, want 300"
sort "$TMP/want" >"$TMP/want.s"
sort "$TMP/got" >"$TMP/got.s"
diff "$TMP/want.s" "$TMP/got.s" >"$TMP/mrt.diff" || { head -20 "$TMP/mrt.diff"; fail "the DUT's table differs from the MRT fixture's peer"; }
out "$TMP/mrt.out" feed1 "show bgp feed" >"$TMP/mrtfeed"
grep -Eq "^10\.0\.0\.1 +Established +done +300 +300 +0 +0 " "$TMP/mrtfeed" ||
	{ cat "$TMP/mrtfeed"; fail "feed1's show bgp feed after the replay"; }
# peer 2 of the fixture, limited to 50
sed 's/feed: {mrt: rib.mrt}/feed: {mrt: rib.mrt, peer: 2, limit: 50}/' "$TMP/mrt-run.yaml" >"$TMP/mrt2.yaml"
"$NETSIM" run "$TMP/mrt2.yaml" >"$TMP/mrt2.out" 2>&1 || { cat "$TMP/mrt2.out"; fail "mrt peer 2 run"; }
out "$TMP/mrt2.out" dut "show bgp json" >"$TMP/mrt2.json"
routes_of "$TMP/mrt2.json" >"$TMP/got2"
# The feeder (AS 65101) replays AS 65201's routes through its own AS.
python3 tests/tools/mrt.py dump tests/bgp/rib.mrt --peer 2 >"$TMP/all2"
head -50 "$TMP/all2" | sed 's/\t/\t65101 /' | sort >"$TMP/want2"
sort "$TMP/got2" | diff "$TMP/want2" - >"$TMP/mrt2.diff" || { head "$TMP/mrt2.diff"; fail "peer 2, limit 50"; }

# ---- bad feed blocks and bad MRT files ----
bad() { # SED-EXPRESSION EXPECTED-MESSAGE
	sed "$1" "$TMP/feed-mrt.yaml" >"$TMP/bad.yaml"
	if "$NETSIM" validate "$TMP/bad.yaml" >"$TMP/bad.out" 2>&1; then
		cat "$TMP/bad.out"; fail "validate accepted: $1"
	fi
	expect_contains "$TMP/bad.out" "$2"
}
bad 's/feed: {mrt: rib.mrt}/feed: {prefixes: 0}/' "bad.yaml:22:24: "
bad 's/feed: {mrt: rib.mrt}/feed: {prefixes: 10, mrt: rib.mrt}/' "either 'prefixes'"
bad 's/feed: {mrt: rib.mrt}/feed: {prefixes: 10, sede: 1}/' "unknown key 'sede'"
bad 's/feed: {mrt: rib.mrt}/feed: {mrt: nothing.mrt}/' "bad.yaml:22:19: $TMP/nothing.mrt: No such file or directory"
bad 's/feed: {mrt: rib.mrt}/feed: {mrt: rib.mrt, peer: 0}/' "peer 0 has no IPv4 unicast routes there"
bad 's/feed: {mrt: rib.mrt}/feed: {mrt: rib.mrt, peer: 7}/' "peer 7 is not in its PEER_INDEX_TABLE"
head -c 20000 tests/bgp/rib.mrt >"$TMP/cut.mrt"
bad 's/feed: {mrt: rib.mrt}/feed: {mrt: cut.mrt}/' "bad.yaml:22:19: $TMP/cut.mrt: offset "
expect_contains "$TMP/bad.out" "truncated"
printf 'not an MRT file at all' >"$TMP/text.mrt"
bad 's/feed: {mrt: rib.mrt}/feed: {mrt: text.mrt}/' "text.mrt: offset 8: record of 1381245030 octets"
echo "bgp-feed: ok"
