# OSPF misconfigurations (hello and dead intervals, network mask, area, E-bit,
# authentication, MTU) appear on the timeline once per neighbor and reason, in
# FRR's words, without --trace, and in `show ip ospf mismatches` (text and JSON)
# with how many packets were dropped; r1 meets a differently misconfigured
# neighbor on each link.
. tests/scenario/lib.inc

cat >"$TMP/mis.yaml" <<'Y'
name: mismatches
devices:
  - name: r1
    router_id: 1.1.1.1
    interfaces:
      - {name: eth0, ip: 10.0.12.1/24, ospf: {area: 0, hello: 10}}
      - {name: eth1, ip: 10.0.13.1/24, ospf: {area: 0}}
      - {name: eth2, ip: 10.0.14.1/24, ospf: {area: 0}}
      - {name: eth3, ip: 10.0.15.1/24, mtu: 1400, ospf: {area: 0}}
      - {name: eth4, ip: 10.0.16.1/24, ospf: {area: 0, authentication: {type: md5, key_id: 1, key: abc}}}
      - {name: eth5, ip: 10.0.17.1/24, ospf: {area: 0}}
      - {name: eth6, ip: 10.0.18.1/24, ospf: {area: 1}}
  - name: r2
    router_id: 2.2.2.2
    interfaces:
      - {name: eth0, ip: 10.0.12.2/24, ospf: {area: 0, hello: 5, dead: 40}}
  - name: r3
    router_id: 3.3.3.3
    interfaces:
      - {name: eth0, ip: 10.0.13.3/16, ospf: {area: 0}}
  - name: r4
    router_id: 4.4.4.4
    interfaces:
      - {name: eth0, ip: 10.0.14.4/24, ospf: {area: 1}}
  - name: r5
    router_id: 5.5.5.5
    interfaces:
      - {name: eth0, ip: 10.0.15.5/24, ospf: {area: 0}}
  - name: r6
    router_id: 6.6.6.6
    interfaces:
      - {name: eth0, ip: 10.0.16.6/24, ospf: {area: 0, authentication: {type: md5, key_id: 1, key: xyz}}}
  - name: r7
    router_id: 7.7.7.7
    interfaces:
      - {name: eth0, ip: 10.0.17.7/24, ospf: {area: 0, dead: 60}}
  - name: r8
    router_id: 8.8.8.8
    ospf:
      areas:
        1: {type: stub}
    interfaces:
      - {name: eth0, ip: 10.0.18.8/24, ospf: {area: 1}}
links:
  - endpoints: [r1:eth0, r2:eth0]
  - endpoints: [r1:eth1, r3:eth0]
  - endpoints: [r1:eth2, r4:eth0]
  - endpoints: [r1:eth3, r5:eth0]
  - endpoints: [r1:eth4, r6:eth0]
  - endpoints: [r1:eth5, r7:eth0]
  - endpoints: [r1:eth6, r8:eth0]
script:
  - {at: 60s, device: r1, command: show ip ospf mismatches}
  - {at: 60s, device: r1, command: show ip ospf mismatches json}
  - {at: 60s, device: r5, command: show ip ospf mismatches}
  - {at: 60s, device: r1, command: show ip ospf neighbor}
Y
"$NETSIM" run --until 61s "$TMP/mis.yaml" >"$TMP/mis.out" 2>&1 || { cat "$TMP/mis.out"; fail "run"; }
# The timeline, once each (the Hellos keep coming every 10 s).
for line in \
	"OSPF: r1 eth0: Packet 2.2.2.2 [Hello:RECV]: HelloInterval mismatch on eth0 (expected 10, but received 5)." \
	"OSPF: r2 eth0: Packet 1.1.1.1 [Hello:RECV]: HelloInterval mismatch on eth0 (expected 5, but received 10)." \
	"OSPF: r1 eth1: Packet 3.3.3.3 [Hello:RECV]: NetworkMask mismatch on eth1 (configured prefix length is 24, but hello packet indicates 16)." \
	"OSPF: r1 eth2: interface eth2: ospf_read invalid Area ID 0.0.0.1" \
	"OSPF: r4 eth0: interface eth0: ospf_read invalid Area ID 0.0.0.0" \
	"OSPF: r1 eth3: Packet[DD]: Neighbor 5.5.5.5 MTU 1500 is larger than [eth3]'s MTU 1400" \
	"OSPF: r1 eth4: interface eth4: Cryptographic auth failed (wrong message digest)" \
	"OSPF: r1 eth5: Packet 7.7.7.7 [Hello:RECV]: RouterDeadInterval mismatch on eth5 (expected 40, but received 60)." \
	"OSPF: r1 eth6: Packet 8.8.8.8 [Hello:RECV]: my options: 2, his options 0" \
	"OSPF: r8 eth0: Packet 1.1.1.1 [Hello:RECV]: my options: 0, his options 2"; do
	n=$(grep -cF -- "$line" "$TMP/mis.out" || true)
	[ "$n" = 1 ] || { cat "$TMP/mis.out"; fail "expected once on the timeline ($n times): $line"; }
done
expect_not_contains "$TMP/mis.out" "neighbor 1.1.1.1 Full"
# The show command: one row per neighbor and reason, with the drops counted.
sed -n '/r1> show ip ospf mismatches$/,/r1> show ip ospf mismatches json/p' "$TMP/mis.out" >"$TMP/show.out"
expect_contains "$TMP/show.out" "Interface  Neighbor ID     Address         Reason               Dropped  Last seen"
expect_contains "$TMP/show.out" "eth0       2.2.2.2         10.0.12.2       hello-interval "
expect_contains "$TMP/show.out" "eth3       5.5.5.5         10.0.15.5       mtu "
[ "$(grep -c '^eth' "$TMP/show.out")" = 7 ] || { cat "$TMP/show.out"; fail "7 mismatches expected"; }
sed -n '/r1> show ip ospf mismatches json$/,/^}/p' "$TMP/mis.out" | sed 1d >"$TMP/mis.json"
python3 - "$TMP/mis.json" <<'P' || fail "mismatches JSON"
import json, sys
d = json.load(open(sys.argv[1]))["mismatches"]
by = {m["interface"]: m for m in d}
want = {"eth0": "hello-interval", "eth1": "network-mask", "eth2": "area", "eth3": "mtu",
        "eth4": "authentication", "eth5": "dead-interval", "eth6": "e-bit"}
assert {k: v["reason"] for k, v in by.items()} == want, by
for m in d:
    # Hellos every 10 s for a minute: several dropped, told once.
    assert m["count"] >= 3 and m["lastSeenMs"] > m["firstSeenMs"], m
    assert m["message"] and m["neighborId"] and m["address"].startswith("10.0."), m
P
expect_contains "$TMP/mis.out" "No OSPF configuration mismatch seen on r5"
