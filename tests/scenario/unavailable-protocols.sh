# Commands of protocols this build lacks answer as the YAML loader does ("IS-IS is not
# available in this build"), not "unknown command"; other unknown words still are.
. tests/scenario/lib.inc

sed -e '/^script:/,$d' topologies/static-routes.yaml >"$TMP/u.yaml"
cat >>"$TMP/u.yaml" <<'Y'
script:
  - {at: 1s, device: r1, command: show isis neighbor, expect: fail}
  - {at: 1s, device: r1, command: sh bgp summary, expect: fail}
  - {at: 1s, device: r1, command: show ip bgp, expect: fail}
  - {at: 1s, device: r1, command: show mpls ldp bindings, expect: fail}
  - {at: 1s, device: r1, command: show ldp neighbor, expect: fail}
  - {at: 1s, device: r1, command: show bfd peers json, expect: fail}
  - {at: 1s, device: r1, command: show ip route isis, expect: fail}
  - {at: 1s, device: r1, command: show bananas, expect: fail}
Y
"$NETSIM" run -q "$TMP/u.yaml" >"$TMP/u.out" 2>&1 || { cat "$TMP/u.out"; fail "run"; }
[ "$(grep -c '^% IS-IS is not available in this build$' "$TMP/u.out")" = 2 ] || { cat "$TMP/u.out"; fail "IS-IS"; }
[ "$(grep -c '^% BGP is not available in this build$' "$TMP/u.out")" = 2 ] || { cat "$TMP/u.out"; fail "BGP"; }
expect_contains "$TMP/u.out" "% MPLS is not available in this build"
expect_contains "$TMP/u.out" "% LDP is not available in this build"
expect_contains "$TMP/u.out" "% BFD is not available in this build"
expect_contains "$TMP/u.out" "% unknown command: 'bananas'"
expect_not_contains "$TMP/u.out" "unknown command: 'isis'"
# The YAML loader says the same of a topology naming the protocol.
printf 'devices:\n  - name: r1\n    isis: {net: 49.0001.0000.0000.0001.00}\n    interfaces: [{name: eth0, ip: 10.0.0.1/24}]\n' >"$TMP/isis.yaml"
if "$NETSIM" validate "$TMP/isis.yaml" >"$TMP/isis.out" 2>&1; then
	fail "a topology naming IS-IS validated"
fi
expect_contains "$TMP/isis.out" "protocol 'isis' is not available in this build"
