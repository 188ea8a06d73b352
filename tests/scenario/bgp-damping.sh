# bgp-damping: route flap damping (RFC 2439, damp.c). r1 withdraws and announces
# 10.9.0.0/24 three times in five seconds (a static route the network leans on
# going and coming back); r2 damps it with a one-minute half-life: history ('h')
# after a withdrawal, damped ('*d') once the penalty passes 2000, out of the RIB
# until the penalty decays below 750 (about two half-lives), then back and,
# once below 375, forgotten. An iBGP neighbor is never damped. Bad settings are
# refused at their place.
. tests/scenario/lib.inc

cat >"$TMP/d.yaml" <<'Y'
name: damp
timers: fast
devices:
  - name: r1
    router_id: 1.1.1.1
    interfaces:
      - {name: eth0, ip: 10.0.12.1/24}
    static_routes:
      - {prefix: 10.9.0.0/24, blackhole: true}
    bgp:
      as: 65001
      networks: [10.9.0.0/24]
      neighbors:
        - {ip: 10.0.12.2, remote_as: 65002}
  - name: r2
    router_id: 2.2.2.2
    interfaces:
      - {name: eth0, ip: 10.0.12.2/24}
      - {name: eth1, ip: 10.0.23.2/24}
    bgp:
      as: 65002
      dampening: {half_life: 1, reuse: 750, suppress: 2000, max_suppress: 4}
      neighbors:
        - {ip: 10.0.12.1, remote_as: 65001}
        - {ip: 10.0.23.3, remote_as: 65002}
  - name: r3
    router_id: 3.3.3.3
    interfaces:
      - {name: eth0, ip: 10.0.23.3/24}
    static_routes:
      - {prefix: 10.8.0.0/24, blackhole: true}
    bgp:
      as: 65002
      networks: [10.8.0.0/24]
      neighbors:
        - {ip: 10.0.23.2, remote_as: 65002}
links:
  - endpoints: [r1:eth0, r2:eth0]
  - endpoints: [r2:eth1, r3:eth0]
script:
  - {at: converged + 1s, device: r1, command: route del 10.9.0.0/24}
  - {at: converged + 1s, device: r3, command: route del 10.8.0.0/24}
  - {at: converged + 1500, device: r2, command: show bgp}
  - {at: converged + 2s, device: r1, command: route add 10.9.0.0/24 blackhole}
  - {at: converged + 2s, device: r3, command: route add 10.8.0.0/24 blackhole}
  - {at: converged + 3s, device: r1, command: route del 10.9.0.0/24}
  - {at: converged + 3s, device: r3, command: route del 10.8.0.0/24}
  - {at: converged + 4s, device: r1, command: route add 10.9.0.0/24 blackhole}
  - {at: converged + 4s, device: r3, command: route add 10.8.0.0/24 blackhole}
  - {at: converged + 5s, device: r1, command: route del 10.9.0.0/24}
  - {at: converged + 5s, device: r3, command: route del 10.8.0.0/24}
  - {at: converged + 6s, device: r1, command: route add 10.9.0.0/24 blackhole}
  - {at: converged + 6s, device: r3, command: route add 10.8.0.0/24 blackhole}
  - {at: converged + 10s, device: r2, command: show bgp}
  - {at: converged + 10s, device: r2, command: show ip route 10.9.0.0/24, expect: fail}
  - {at: converged + 10s, device: r2, command: show ip route 10.8.0.0/24}
  - {at: converged + 10s, device: r2, command: show bgp dampening dampened-paths}
  - {at: converged + 10s, device: r2, command: show bgp dampening flap-statistics json}
  - {at: converged + 10s, device: r2, command: show bgp dampening parameters}
  - {at: converged + 100s, device: r2, command: show ip route 10.9.0.0/24, expect: fail}
  - {at: converged + 150s, device: r2, command: show ip route 10.9.0.0/24}
  - {at: converged + 150s, device: r2, command: show bgp}
  - {at: converged + 300s, device: r2, command: show bgp dampening flap-statistics}
  - {at: converged + 300s, device: r1, command: show bgp dampening parameters, expect: fail}
Y
"$NETSIM" run "$TMP/d.yaml" >"$TMP/d.out" 2>&1 || { cat "$TMP/d.out"; fail "the damping run"; }
row() { # TIME-MS DEVICE COMMAND: that output
	awk -v p="$1ms] $2> $3" 'index($0, p) { on = 1; next } on && /^\[t=/ { exit } on' "$TMP/d.out"
}
t0=$(sed -n 's/^\[t=\([0-9]*\)ms\] Network converged$/\1/p' "$TMP/d.out" | head -1)
at() { echo $((t0 + $1)); }
# After the first withdrawal: history, not a candidate.
row "$(at 1500)" r2 "show bgp" | grep -q '^ h 10\.9\.0\.0/24' || { row "$(at 1500)" r2 "show bgp"; fail "no history path after a withdrawal"; }
# Three flaps: damped ('*d'), not in the RIB; iBGP's flaps are not damped.
row "$(at 10000)" r2 "show bgp" >"$TMP/s10"
grep -q '^\*d 10\.9\.0\.0/24' "$TMP/s10" || { cat "$TMP/s10"; fail "10.9.0.0/24 is not damped after three flaps"; }
grep -q '^\*>i10\.8\.0\.0/24' "$TMP/s10" || { cat "$TMP/s10"; fail "an iBGP route was damped"; }
row "$(at 10000)" r2 "show bgp dampening dampened-paths" >"$TMP/dp"
expect_contains "$TMP/dp" "   Network          From             Reuse    Path"
grep -q '^\*d 10\.9\.0\.0/24      10\.0\.12\.1        00:0[12]:[0-9][0-9] 65001 i$' "$TMP/dp" ||
	{ cat "$TMP/dp"; fail "dampened-paths: no reuse time of one to two minutes"; }
row "$(at 10000)" r2 "show bgp dampening flap-statistics json" >"$TMP/fs.json"
python3 - "$TMP/fs.json" <<'PY' || fail "flap-statistics json"
import json, sys
r = json.load(open(sys.argv[1]))["routes"]["10.9.0.0/24"][0]
assert r["flapCount"] == 3 and r["damped"] and 2000 < r["penalty"] < 3000, r
assert r["peerHost"] == "10.0.12.1" and r["path"] == "65001", r
PY
row "$(at 10000)" r2 "show bgp dampening parameters" >"$TMP/par"
expect_contains "$TMP/par" "Max suppress penalty: 12000"
# Reused after the penalty decayed below 750 (about two half-lives), then forgotten.
row "$(at 150000)" r2 "show bgp" | grep -q '^\*> 10\.9\.0\.0/24' || fail "10.9.0.0/24 not reused after two half-lives"
[ -z "$(row "$(at 300000)" r2 "show bgp dampening flap-statistics")" ] || fail "the damping state was not forgotten"
expect_contains "$TMP/d.out" "dampening not enabled for IPv4 Unicast"

# Bad settings.
sed 's/suppress: 2000/suppress: 500/' "$TMP/d.yaml" >"$TMP/bad.yaml"
"$NETSIM" run "$TMP/bad.yaml" >"$TMP/bad.out" 2>&1 && fail "suppress below reuse accepted"
expect_contains "$TMP/bad.out" "bad.yaml:$(grep -n "dampening:" "$TMP/d.yaml" | cut -d: -f1):"
expect_contains "$TMP/bad.out" "suppress (500) must be at least reuse (750)"
sed 's/half_life: 1,/half_life: 46,/' "$TMP/d.yaml" >"$TMP/bad2.yaml"
"$NETSIM" run "$TMP/bad2.yaml" >"$TMP/bad2.out" 2>&1 && fail "half_life 46 accepted"
expect_contains "$TMP/bad2.out" "half_life"
