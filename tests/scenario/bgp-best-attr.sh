# bgp-best-attr: a neighbor replaces the attributes of the route that is the
# best path (same neighbor, same prefix, new COMMUNITIES): the decision sees
# the best path change although the path is the same, bumps the prefix's
# table version and advertises the new attributes onwards; the same route
# sent again changes nothing. (The table keeps the attributes a best path had
# at the last decision only while it is replaced: rib.c, bgp.best_was.)
. tests/scenario/lib.inc

sed -e '/^script:/,$d' topologies/bgp-multi-as.yaml >"$TMP/t.yaml"
cat >>"$TMP/t.yaml" <<'Y'
script:
  - {at: converged, device: r2, command: show bgp 10.1.0.0/24}
  - {at: converged, device: r3, command: show bgp 10.1.0.0/24}
  - {at: converged + 100, device: r1, command: "policy set route_map TAG [{seq: 10, action: permit, set: {community: ['65001:77']}}]"}
  - {at: converged + 100, device: r1, command: neighbor 10.0.12.2 route-map TAG out}
  - {at: converged + 40s, device: r2, command: show bgp 10.1.0.0/24}
  - {at: converged + 40s, device: r3, command: show bgp 10.1.0.0/24}
  - {at: converged + 41s, device: r1, command: clear bgp 10.0.12.2 soft out}
  - {at: converged + 80s, device: r2, command: show bgp 10.1.0.0/24}
Y
"$NETSIM" run "$TMP/t.yaml" >"$TMP/run.out" 2>&1 || { cat "$TMP/run.out"; fail "the run failed"; }

# The outputs of the commands, in order (their headers are "[t=...] rN> command").
awk -v dir="$TMP" '/^\[t=[0-9.]+ms\] r[0-9]> /{n++} n{print > (dir "/o" n)}' "$TMP/run.out"
version() { sed -n 's/.*, version \([0-9]*\)$/\1/p' "$1"; }
v1=$(version "$TMP/o1")
v5=$(version "$TMP/o5")
v8=$(version "$TMP/o8")
[ -n "$v1" ] && [ -n "$v5" ] && [ -n "$v8" ] || { cat "$TMP/run.out"; fail "no table versions in r2's show bgp"; }
expect_not_contains "$TMP/o1" "65001:77"
expect_not_contains "$TMP/o2" "65001:77"
# r2's best path is still the one from r1, with its new attributes, and a new version.
expect_contains "$TMP/o5" "Community: 65001:77"
expect_contains "$TMP/o5" "best"
[ "$v5" -gt "$v1" ] || fail "r2's version of 10.1.0.0/24 did not move ($v1, $v5) when its best path's attributes changed"
# ... and sent them on to r3.
expect_contains "$TMP/o6" "Community: 65001:77"
# The same route again (r1 sends its Adj-RIB-Out again): nothing changes.
[ "$v8" = "$v5" ] || fail "r2's version of 10.1.0.0/24 moved ($v5, $v8) for the same route sent again"
expect_contains "$TMP/o8" "Community: 65001:77"
