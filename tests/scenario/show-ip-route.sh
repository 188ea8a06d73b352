# show ip route WORD: protocol words abbreviate as every command word does, an
# unknown or ambiguous word is an error, a protocol this build lacks says so,
# and `show ip route summary` counts routes per protocol as FRR does.
. tests/scenario/lib.inc

sed -e '/^script:/,$d' topologies/ospf-multiarea.yaml >"$TMP/rt.yaml"
cat >>"$TMP/rt.yaml" <<'Y'
script:
  - {at: converged, device: core-2, command: sh ip ro os}
  - {at: converged, device: core-2, command: sh ip ro stat}
  - {at: converged, device: core-2, command: sh ip ro conn json}
  - {at: converged, device: core-2, command: show ip route summary}
  - {at: converged, device: core-2, command: sh ip ro summ json}
  - {at: converged, device: core-2, command: show ip route osfp, expect: fail}
  - {at: converged, device: core-2, command: show ip route s, expect: fail}
  - {at: converged, device: core-2, command: show ip route rip, expect: fail}
Y
"$NETSIM" run -q "$TMP/rt.yaml" >"$TMP/rt.out" 2>&1 || { cat "$TMP/rt.out"; fail "show ip route run"; }
# `os`: only OSPF routes (an inter-area one among them), no connected or static one.
sed -n '/core-2> sh ip ro os$/,/core-2> sh ip ro stat/p' "$TMP/rt.out" >"$TMP/os.out"
expect_contains "$TMP/os.out" "O IA  10.10.1.0/24 [110/35] via 10.0.0.1, eth0"
expect_not_contains "$TMP/os.out" "S     "
expect_not_contains "$TMP/os.out" "C     "
sed -n '/core-2> sh ip ro stat$/,/core-2> sh ip ro conn json/p' "$TMP/rt.out" >"$TMP/stat.out"
expect_contains "$TMP/stat.out" "S     192.168.100.0/24 [1/0] via 172.16.0.10, eth3"
expect_not_contains "$TMP/stat.out" "O     "
sed -n '/core-2> sh ip ro conn json$/,/core-2> show ip route summary/p' "$TMP/rt.out" >"$TMP/conn.out"
expect_contains "$TMP/conn.out" '"172.16.0.0/24": ['
expect_not_contains "$TMP/conn.out" '"192.168.100.0/24"'

# The summary: every candidate path per protocol (OSPF also offers the connected subnets it
# advertises, so its routes outnumber its FIB entries), FRR's layout and JSON keys.
sed -n '/core-2> show ip route summary$/,/core-2> sh ip ro summ json/p' "$TMP/rt.out" >"$TMP/sum.out"
expect_contains "$TMP/sum.out" "Route Source         Routes               FIB  (vrf default)"
expect_contains "$TMP/sum.out" "connected            5                    5"
expect_contains "$TMP/sum.out" "static               1                    1"
expect_contains "$TMP/sum.out" "ospf                 17                   13"
expect_contains "$TMP/sum.out" "Totals               23                   19"
# The counts agree with the table itself: 13 OSPF routes listed by `sh ip ro os`.
[ "$(grep -c '^O' "$TMP/os.out")" = 13 ] || fail "summary's OSPF FIB count differs from the table"
sed -n '/core-2> sh ip ro summ json$/,/^}/p' "$TMP/rt.out" | sed 1d >"$TMP/sum.json"
python3 - "$TMP/sum.json" <<'P' || fail "summary JSON"
import json, sys
d = json.load(open(sys.argv[1]))
by = {r["type"]: r for r in d["routes"]}
assert by["ospf"]["rib"] == 17 and by["ospf"]["fib"] == 13, by
assert by["connected"]["fib"] == 5 and by["static"]["rib"] == 1, by
assert set(by["ospf"]) == {"fib", "rib", "fibOffLoaded", "fibTrapped", "type"}, by
assert d["routesTotal"] == 23 and d["routesTotalFib"] == 19, d
P

# Errors, each with its reason.
expect_contains "$TMP/rt.out" "% unknown protocol 'osfp' (one of: connected, static, ospf, "
expect_contains "$TMP/rt.out" "% ambiguous protocol 's' (could be: static, summary)"
expect_contains "$TMP/rt.out" "% RIP is not available in this build"

# Without expect: fail, an unknown word fails the run.
sed -e '/^script:/,$d' topologies/static-routes.yaml >"$TMP/bad.yaml"
printf 'script:\n  - {at: 1s, device: r1, command: show ip route osfp}\n' >>"$TMP/bad.yaml"
if "$NETSIM" run -q "$TMP/bad.yaml" >"$TMP/bad.out" 2>&1; then
	cat "$TMP/bad.out"
	fail "show ip route osfp succeeded"
fi
expect_contains "$TMP/bad.out" "unknown protocol 'osfp'"
