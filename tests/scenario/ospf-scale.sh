# A generated 10x10 grid of OSPF routers converges, every router reaches every
# other router's links, the run is deterministic, and a link failure reroutes.
. tests/scenario/lib.inc
sh tests/bench/gen-grid.sh 10 10 > "$TMP/grid.yaml"
cat >>"$TMP/grid.yaml" <<'Y'
script:
  - {at: converged, device: r1, command: show ip route ospf}
  - {at: converged, device: r100, command: show ip ospf}
Y
"$NETSIM" run "$TMP/grid.yaml" | stable >"$TMP/a.out" || fail "grid run"
"$NETSIM" run "$TMP/grid.yaml" | stable >"$TMP/b.out" || fail "grid run"
cmp "$TMP/a.out" "$TMP/b.out" || fail "two runs of the grid differ"
# 180 links: r1 has 2 of them connected, the other 178 through OSPF.
[ "$(grep -c '^O ' "$TMP/a.out")" -eq 178 ] || fail "r1 has $(grep -c '^O ' "$TMP/a.out") OSPF routes"
# The far corner's links: their nearer end is 17 hops (170) away, plus 10.
grep -q '\[110/180\]' "$TMP/a.out" || fail "no route at distance 180"
sh tests/bench/gen-grid.sh 10 10 fail > "$TMP/fail.yaml"
"$NETSIM" run "$TMP/fail.yaml" >"$TMP/fail.out" || fail "grid failure run"
[ "$(grep -c 'Network converged' "$TMP/fail.out")" -ge 2 ] || fail "no reconvergence after the failure"
exit 0
