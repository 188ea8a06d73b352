# BGP maximum-prefix (FRR's neighbor maximum-prefix; RFC 4486): r1 has three neighbors that
# each send three prefixes. Limit 2 with restart 1 min: Cease/Maximum Number of Prefixes
# Reached with RFC 4486 4's data (AFI, SAFI, limit), Idle (PfxCt), up again after a minute or
# at `clear bgp`; limit 3 with threshold 60%: a warning, the session stays; limit 2
# warning-only: a warning, the session stays. FRR's lines and keys; tshark reads the
# NOTIFICATION.
. tests/scenario/lib.inc

cat >"$TMP/mp.yaml" <<'EOF'
name: bgp-maxpfx
timers: fast
devices:
  - name: r1
    router_id: 1.1.1.1
    interfaces:
      - {name: eth0, ip: 10.0.12.1/24}
      - {name: eth1, ip: 10.0.13.1/24}
      - {name: eth2, ip: 10.0.14.1/24}
    bgp:
      as: 65001
      neighbors:
        - {ip: 10.0.12.2, remote_as: 65002, maximum_prefix: {limit: 2, restart: 1}}
        - {ip: 10.0.13.3, remote_as: 65003, maximum_prefix: {limit: 3, threshold: 60}}
        - {ip: 10.0.14.4, remote_as: 65004, maximum_prefix: {limit: 2, warning_only: true}}
EOF
for i in 2 3 4; do
	cat >>"$TMP/mp.yaml" <<EOF
  - name: r$i
    interfaces: [{name: eth0, ip: 10.0.1$i.$i/24}]
    static_routes: [{prefix: 10.$i.1.0/24, blackhole: true}, {prefix: 10.$i.2.0/24, blackhole: true},
                    {prefix: 10.$i.3.0/24, blackhole: true}]
    bgp: {as: 6500$i, networks: [10.$i.1.0/24, 10.$i.2.0/24, 10.$i.3.0/24],
          neighbors: [{ip: 10.0.1$i.1, remote_as: 65001}]}
EOF
done
cat >>"$TMP/mp.yaml" <<'EOF'
links:
  - endpoints: [r1:eth0, r2:eth0]
  - endpoints: [r1:eth1, r3:eth0]
  - endpoints: [r1:eth2, r4:eth0]
script:
  - {at: 1s, device: r1, command: show bgp summary}
  - {at: 1s, device: r1, command: show bgp neighbors 10.0.12.2}
  - {at: 1s, device: r1, command: show bgp neighbors 10.0.12.2 json}
  - {at: 1s, device: r1, command: show bgp neighbors 10.0.13.3}
  - {at: 1s, device: r1, command: show bgp neighbors 10.0.14.4}
  - {at: 1s, device: r1, command: show bgp summary json}
  - {at: 1s, device: r2, command: show bgp neighbors 10.0.12.1}
  - {at: 2s, device: r1, command: clear bgp 10.0.12.2}
  - {at: 3s, device: r1, command: show ip bgp neighbors 10.0.12.2}
  - {at: 63s, device: r1, command: show bgp ipv4 unicast neighbors 10.0.12.2}
EOF
mkdir -p "$TMP/pcap"
"$NETSIM" run --pcap "$TMP/pcap" "$TMP/mp.yaml" >"$TMP/mp.out" 2>&1 || { cat "$TMP/mp.out"; fail "run"; }
# Warnings in FRR's words, once each; the over-limit session goes down.
expect_contains "$TMP/mp.out" "BGP: r1 %MAXPFXEXCEED: No. of IPv4 Unicast prefix received from 10.0.12.2 3 exceed, limit 2"
expect_contains "$TMP/mp.out" "BGP: r1 %MAXPFX: No. of IPv4 Unicast prefix received from 10.0.13.3 reaches 3, max 3"
expect_contains "$TMP/mp.out" "BGP: r1 %MAXPFXEXCEED: No. of IPv4 Unicast prefix received from 10.0.14.4 3 exceed, limit 2"
[ "$(grep -c 'from 10.0.14.4 3 exceed' "$TMP/mp.out")" = 1 ] || fail "warning-only: warned once"
expect_contains "$TMP/mp.out" "BGP: r1 neighbor 10.0.12.2 session down: BGP Notification send"
expect_not_contains "$TMP/mp.out" "r1 neighbor 10.0.13.3 session down"
expect_not_contains "$TMP/mp.out" "r1 neighbor 10.0.14.4 session down"
out "$TMP/mp.out" r1 "show bgp summary" >"$TMP/sum"
grep -qE "^10.0.12.2 .* Idle \(PfxCt\) " "$TMP/sum" || { cat "$TMP/sum"; fail "Idle (PfxCt)"; }
grep -qE "^10.0.14.4 .* 3 +[0-9]+ N/A$" "$TMP/sum" || { cat "$TMP/sum"; fail "warning-only: 3 received"; }
out "$TMP/mp.out" r1 "show bgp summary json" >"$TMP/sum.json"
expect_contains "$TMP/sum.json" '"state": "Idle (PfxCt)"'
expect_contains "$TMP/sum.json" '"peerState": "PfxCt"'
out "$TMP/mp.out" r1 "show bgp neighbors 10.0.12.2" >"$TMP/n2"
expect_contains "$TMP/n2" "  Peer had exceeded the max. no. of prefixes configured."
expect_contains "$TMP/n2" "  Maximum prefixes allowed 2"
expect_contains "$TMP/n2" "  Threshold for warning message 75%, restart interval 1 min"
expect_contains "$TMP/n2" ",  Notification sent (Cease/Maximum Number of Prefixes Reached)"
expect_contains "$TMP/n2" "  Reduce the no. of prefix from 10.0.12.2, will restart in 59 seconds"
out "$TMP/mp.out" r1 "show bgp neighbors 10.0.12.2 json" >"$TMP/n2.json"
expect_contains "$TMP/n2.json" '"prefixAllowedMax": 2'
expect_contains "$TMP/n2.json" '"prefixAllowedWarningThresh": 75'
expect_contains "$TMP/n2.json" '"prefixAllowedRestartIntervalMsecs": 60000'
expect_contains "$TMP/n2.json" '"lastResetDueTo": "BGP Notification send"'
expect_contains "$TMP/n2.json" '"lastResetCode": 14'
expect_contains "$TMP/n2.json" '"prefixesConfigExceedMax": true'
expect_contains "$TMP/n2.json" '"restartInTimerMsec": 59000'
out "$TMP/mp.out" r1 "show bgp neighbors 10.0.13.3" >"$TMP/n3"
expect_contains "$TMP/n3" "  Threshold for warning message 60%"
expect_contains "$TMP/n3" "  3 accepted prefixes"
out "$TMP/mp.out" r1 "show bgp neighbors 10.0.14.4" >"$TMP/n4"
expect_contains "$TMP/n4" "  Maximum prefixes allowed 2 (warning-only)"
expect_not_contains "$TMP/n4" "Peer had exceeded"
out "$TMP/mp.out" r2 "show bgp neighbors 10.0.12.1" >"$TMP/r2"
expect_contains "$TMP/r2" "Notification received (Cease/Maximum Number of Prefixes Reached)"
# `clear bgp` starts it again (and it is over the limit again); so does the restart timer.
out "$TMP/mp.out" r1 "show ip bgp neighbors 10.0.12.2" >"$TMP/n2b"
expect_contains "$TMP/n2b" "  Connections established 2; dropped 2"
out "$TMP/mp.out" r1 "show bgp ipv4 unicast neighbors 10.0.12.2" >"$TMP/n2c"
expect_contains "$TMP/n2c" "  Connections established 3; dropped 3"
# On the wire: Cease (6) / 1, data AFI 1, SAFI 1, limit 2 (RFC 4486 4).
pcapcheck_files "$TMP"/pcap/*.pcap || fail "pcapcheck"
tshark -r "$TMP/pcap/r1-eth0--r2-eth0.pcap" -Y "bgp.type == 3" -T fields -e ip.src \
	-e bgp.notify.major_error -e bgp.notify.minor_error_cease -e bgp.notify.minor_data \
	2>/dev/null | sort -u >"$TMP/notif"
grep -qx "10.0.12.1	6	1	00010100000002" "$TMP/notif" || {
	cat "$TMP/notif"; fail "tshark: Cease/1 with AFI 1, SAFI 1, limit 2"; }
