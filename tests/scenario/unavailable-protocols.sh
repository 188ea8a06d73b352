# Commands of protocols this build lacks answer as the YAML loader does ("RSVP is not
# available in this build"), not "unknown command"; a protocol the build has answers
# with its own commands (IS-IS and LDP registered their show commands: they win, and
# their unknown words are unknown commands; where they do not run they say so); other
# unknown words still are unknown commands.
. tests/scenario/lib.inc

sed -e '/^script:/,$d' topologies/static-routes.yaml >"$TMP/u.yaml"
cat >>"$TMP/u.yaml" <<'Y'
script:
  - {at: 1s, device: r1, command: show ldp neighbors}
  - {at: 1s, device: r1, command: sh ldp discovery}
  - {at: 1s, device: r1, command: show ldp bindings json}
  - {at: 1s, device: r1, command: show mpls ldp bananas, expect: fail}
  - {at: 1s, device: r1, command: show rsvp session json, expect: fail}
  - {at: 1s, device: r1, command: show ip route rip, expect: fail}
  - {at: 1s, device: r1, command: show bananas, expect: fail}
  - {at: 1s, device: r1, command: show isis neighbors}
  - {at: 1s, device: r1, command: show isis bananas, expect: fail}
Y
"$NETSIM" run -q "$TMP/u.yaml" >"$TMP/u.out" 2>&1 || { cat "$TMP/u.out"; fail "run"; }
# LDP is built: on a router that does not run it, its commands say so (JSON: {}).
[ "$(grep -c '^% LDP is not running on r1$' "$TMP/u.out")" = 2 ] || { cat "$TMP/u.out"; fail "LDP"; }
expect_contains "$TMP/u.out" "$(printf 'r1> show ldp bindings json\n{}')"
expect_not_contains "$TMP/u.out" "LDP is not available"
expect_not_contains "$TMP/u.out" "% MPLS is not available in this build"
expect_contains "$TMP/u.out" "% RSVP is not available in this build"
expect_contains "$TMP/u.out" "% RIP is not available in this build"
expect_contains "$TMP/u.out" "% unknown command: 'bananas'"
expect_not_contains "$TMP/u.out" "unknown command: 'ldp'"
expect_not_contains "$TMP/u.out" "IS-IS is not available"
[ "$(grep -c "^% unknown command: 'bananas'$" "$TMP/u.out")" = 3 ] || { cat "$TMP/u.out"; fail "show isis bananas"; }
# The YAML loader says the same of a topology naming the protocol.
printf 'devices:\n  - name: r1\n    rsvp: {}\n    interfaces: [{name: eth0, ip: 10.0.0.1/24}]\n' >"$TMP/rsvp.yaml"
if "$NETSIM" validate "$TMP/rsvp.yaml" >"$TMP/rsvp.out" 2>&1; then
	fail "a topology naming RSVP validated"
fi
expect_contains "$TMP/rsvp.out" "protocol 'rsvp' is not available in this build"
