# What the core builds from the protocol registry: `show ip protocols` (one
# section or JSON member per running protocol, none on a static-only router),
# the `show ip route` legend (the registered protocols' codes only) and the
# `--trace` flags (a protocol that is not built has none).
. tests/scenario/lib.inc
command -v python3 >/dev/null || fail "python3 is needed"

sed -e '/^script:/,$d' topologies/ospf-triangle.yaml >"$TMP/o.yaml"
cat >>"$TMP/o.yaml" <<'Y'
script:
  - {at: converged, device: r1, command: show ip protocols}
  - {at: converged, device: r1, command: show ip route}
Y
sed -e '/^script:/,$d' topologies/static-routes.yaml >"$TMP/s.yaml"
cat >>"$TMP/s.yaml" <<'Y'
script:
  - {at: converged, device: r2, command: show ip protocols}
Y

# JSON (a --json run gives every command's JSON form): {"ospf": {...}} on an
# OSPF router, {} on a static-only one.
for t in o s; do
	"$NETSIM" run --json "$TMP/$t.yaml" >"$TMP/$t.json" || fail "json run $t"
done
python3 - "$TMP/o.json" "$TMP/s.json" <<'PY' || fail "show ip protocols JSON"
import json, sys
def outs(f):
    return {o["command"] + "@" + o["device"]: o.get("json") for o in json.load(open(f))["outputs"]}
o, s = outs(sys.argv[1]), outs(sys.argv[2])
p = o["show ip protocols@r1"]
assert list(p) == ["ospf"], p
assert p["ospf"]["routingProtocol"] == "ospf 1" and p["ospf"]["distance"] == 110, p
assert s["show ip protocols@r2"] == {}, s
PY

# Text: OSPF's section; on a static-only router, a protocol-neutral line.
"$NETSIM" run "$TMP/o.yaml" >"$TMP/o.out" || fail "text run o"
expect_contains "$TMP/o.out" 'Routing Protocol is "ospf 1"'
expect_contains "$TMP/o.out" "  Distance: (default is 110)"
"$NETSIM" run "$TMP/s.yaml" >"$TMP/s.out" || fail "text run s"
expect_contains "$TMP/s.out" "% No routing protocol is running on r2"
expect_not_contains "$TMP/s.out" "OSPF"

# The legend: the rows for connected, static, OSPF, IS-IS and BGP (in registry
# order), then the candidate-default row.
grep -A5 '^Codes: ' "$TMP/o.out" | head -6 >"$TMP/legend"
printf '%s\n' \
	"Codes: C - connected, S - static, O - OSPF, IA - OSPF inter-area" \
	"       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2" \
	"       E1 - OSPF external type 1, E2 - OSPF external type 2, i - IS-IS" \
	"       L1 - IS-IS level-1, L2 - IS-IS level-2, ia - IS-IS inter area, B - BGP" \
	"       * - candidate default" \
	"" >"$TMP/legend.want"
diff -u "$TMP/legend.want" "$TMP/legend" || fail "route-code legend"

# Trace flags: a registered protocol's works, one not built is refused. (15 s is before
# convergence: the entries at 'converged' never run, exit status 3.)
rc=0
"$NETSIM" run -q --until 15s --trace ospf "$TMP/o.yaml" >/dev/null 2>"$TMP/tr.err" || rc=$?
[ $rc = 3 ] || fail "--trace ospf (exit $rc)"
grep -q '] ospf r1: ' "$TMP/tr.err" || fail "--trace ospf printed no OSPF trace"
grep -qv '] ospf ' "$TMP/tr.err" && fail "--trace ospf traced more than OSPF"
if "$NETSIM" run -q --trace rsvp "$TMP/o.yaml" >/dev/null 2>"$TMP/rsvp.err"; then
	fail "--trace rsvp accepted"
fi
expect_contains "$TMP/rsvp.err" "unknown trace flag 'rsvp'"
rc=0
"$NETSIM" run -q --until 1s --trace all "$TMP/o.yaml" >/dev/null 2>"$TMP/all.err" || rc=$?
[ $rc = 3 ] || fail "--trace all (exit $rc)"
grep -q '] ospf r1: ' "$TMP/all.err" || fail "--trace all left OSPF out"
"$NETSIM" run --help >"$TMP/help"
expect_contains "$TMP/help" " rib lua daemon connected static ospf isis bgp"
exit 0
