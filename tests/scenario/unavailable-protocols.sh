# Commands of protocols this build lacks answer as the YAML loader does ("LDP is not
# available in this build"), not "unknown command"; a protocol the build has answers
# with its own commands (IS-IS registered its show commands: they win, and its unknown
# words are unknown commands); other unknown words still are unknown commands.
. tests/scenario/lib.inc

sed -e '/^script:/,$d' topologies/static-routes.yaml >"$TMP/u.yaml"
cat >>"$TMP/u.yaml" <<'Y'
script:
  - {at: 1s, device: r1, command: show ldp neighbor, expect: fail}
  - {at: 1s, device: r1, command: sh ldp discovery, expect: fail}
  - {at: 1s, device: r1, command: show ldp bindings json, expect: fail}
  - {at: 1s, device: r1, command: show mpls ldp bindings, expect: fail}
  - {at: 1s, device: r1, command: show rsvp session json, expect: fail}
  - {at: 1s, device: r1, command: show ip route rip, expect: fail}
  - {at: 1s, device: r1, command: show bananas, expect: fail}
  - {at: 1s, device: r1, command: show isis neighbors}
  - {at: 1s, device: r1, command: show isis bananas, expect: fail}
Y
"$NETSIM" run -q "$TMP/u.yaml" >"$TMP/u.out" 2>&1 || { cat "$TMP/u.out"; fail "run"; }
# `show mpls ldp ...`: the MPLS forwarding table is built, LDP is not.
[ "$(grep -c '^% LDP is not available in this build$' "$TMP/u.out")" = 4 ] || { cat "$TMP/u.out"; fail "LDP"; }
expect_not_contains "$TMP/u.out" "% MPLS is not available in this build"
expect_contains "$TMP/u.out" "% RSVP is not available in this build"
expect_contains "$TMP/u.out" "% RIP is not available in this build"
expect_contains "$TMP/u.out" "% unknown command: 'bananas'"
expect_not_contains "$TMP/u.out" "unknown command: 'ldp'"
expect_not_contains "$TMP/u.out" "IS-IS is not available"
[ "$(grep -c "^% unknown command: 'bananas'$" "$TMP/u.out")" = 2 ] || { cat "$TMP/u.out"; fail "show isis bananas"; }
# The YAML loader says the same of a topology naming the protocol.
printf 'devices:\n  - name: r1\n    ldp: {router_id: 1.1.1.1}\n    interfaces: [{name: eth0, ip: 10.0.0.1/24}]\n' >"$TMP/ldp.yaml"
if "$NETSIM" validate "$TMP/ldp.yaml" >"$TMP/ldp.out" 2>&1; then
	fail "a topology naming LDP validated"
fi
expect_contains "$TMP/ldp.out" "protocol 'ldp' is not available in this build"
