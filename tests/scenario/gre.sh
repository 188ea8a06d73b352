# GRE tunnels (docs/gre.md): OSPF over a tunnel across a static core, the
# options on the wire (key, checksum, sequence numbers; tshark and pcapcheck
# clean), a key mismatch without and with keepalives, recursive routing (direct and through a second
# tunnel), the tunnel MTU with and without DF, outer fragmentation (df:
# clear), run-time changes (gre tunnel set, also through the daemon) and the JSON.
. tests/scenario/lib.inc
command -v tshark >/dev/null || fail "tshark is not installed (make deps)"

# base: topologies/gre-ospf.yaml without its script; OSPF on the tunnel with fast timers.
sed '/^script:/,$d' topologies/gre-ospf.yaml |
	sed 's/        ospf: {area: 0}$/        ospf: {area: 0, hello: 1, dead: 4}/' >"$TMP/base.yaml"
grep -q 'hello: 1' "$TMP/base.yaml" || fail "base topology: no tunnel OSPF block found"
# topo NAME [SED-EXPRESSION]: the base with the tunnels' options edited, then a script from stdin.
topo() {
	sed "${2:-}" "$TMP/base.yaml" >"$TMP/$1.yaml"
	echo "script:" >>"$TMP/$1.yaml"
	cat >>"$TMP/$1.yaml"
}
run() {
	"$NETSIM" run "$@" >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "netsim run $* failed"; }
}
# jget FILE EXPR: a value from the first JSON document of FILE (python3 expression on j).
jget() {
	python3 -c "import json,sys; t=open(sys.argv[1]).read(); j=json.JSONDecoder().raw_decode(t[t.index('{'):])[0]; print($2)" "$1"
}

# 1. The shipped topology: adjacency, routes over the tunnel, the core never sees the LANs.
mkdir -p "$TMP/p1"
run --pcap "$TMP/p1" topologies/gre-ospf.yaml
expect_contains "$TMP/out" "OSPF: r1 gre1 neighbor 2.2.2.2 Full"
expect_contains "$TMP/out" "O     192.168.2.0/24 [110/20] via 172.16.0.2, gre1"
expect_contains "$TMP/out" " 2  172.16.0.2 "
expect_contains "$TMP/out" "Ping 192.168.2.10: 3/3 packets received"
expect_not_contains "$TMP/out" "S     192.168"
expect_contains "$TMP/out" "  gre tunnel 1.1.1.1 -> 2.2.2.2"
"$NETSIM" decode "$TMP/p1"/*.pcap >"$TMP/decode" || { grep ERROR "$TMP/decode"; fail "decode"; }
expect_contains "$TMP/decode" "1.1.1.1 > 2.2.2.2  GREv0 key 0x2a  172.16.0.1 > 224.0.0.5  OSPFv2 Hello"
expect_contains "$TMP/decode" "GREv0 key 0x2a  192.168.1.10 > 192.168.2.10  ICMP echo request"

# 2. Checksum and sequence numbers on both ends: on the wire, verified, in order.
topo opts 's/^        key: 42$/        key: 42\n        checksum: true\n        sequence: true/' <<'EOF2'
  - at: converged + 5s
    device: r1
    command: show gre tunnels json
  - at: converged + 5s
    device: h1
    command: ping 192.168.2.10 count 2
EOF2
mkdir -p "$TMP/p2"
run --pcap "$TMP/p2" "$TMP/opts.yaml"
expect_contains "$TMP/out" "Ping 192.168.2.10: 2/2 packets received"
[ "$(jget "$TMP/out" "j['tunnels']['gre1']['mtu']")" = 1464 ] || fail "MTU with key, checksum, sequence"
[ "$(jget "$TMP/out" "j['tunnels']['gre1']['sequence']")" = True ] || fail "sequence not on"
"$NETSIM" decode "$TMP/p2"/*.pcap >"$TMP/decode" || { grep ERROR "$TMP/decode"; fail "decode (checksums)"; }

# 3. A key mismatch: r2's tunnel takes key 43 only; r1's packets (key 42) are dropped, OSPF goes down.
topo key <<'EOF2'
  - at: converged + 2s
    device: r2
    command: gre tunnel set gre1 key 43
  - at: converged + 10s
    device: r2
    command: show gre tunnels json
EOF2
run "$TMP/key.yaml"
expect_contains "$TMP/out" "OSPF: r2 gre1 neighbor 1.1.1.1 Down"
[ "$(jget "$TMP/out" "j['tunnels']['gre1']['key']")" = 43 ] || fail "key not changed"
[ "$(jget "$TMP/out" "j['noTunnelDrops'] > 5")" = True ] || fail "no drops counted for the wrong key"

# 3b. Keepalives (Cisco's): the same mismatch takes both ends down with "keepalive",
# and they come back together when the key is right again (each reflects the
# other's keepalives while down).
topo ka 's/^        key: 42$/        key: 42\n        keepalive: 2/' <<'EOF2'
  - at: converged + 1s
    device: r2
    command: gre tunnel set gre1 key 43
  - at: converged + 20s
    device: r1
    command: show gre tunnels
  - at: converged + 21s
    device: r2
    command: gre tunnel set gre1 key 42
  - at: converged + 30s
    device: r1
    command: show gre tunnels json
EOF2
mkdir -p "$TMP/p3"
run --pcap "$TMP/p3" "$TMP/ka.yaml"
expect_contains "$TMP/out" "r1: interface gre1 down (keepalive)"
expect_contains "$TMP/out" "r2: interface gre1 down (keepalive)"
expect_contains "$TMP/out" "gre1 is down (keepalive)"
sed -n '/key 42$/,$p' "$TMP/out" >"$TMP/after"
expect_contains "$TMP/after" "r1: interface gre1 up"
expect_contains "$TMP/after" "OSPF: r1 gre1 neighbor 2.2.2.2 Full"
# Up, and at most the keepalive in flight unanswered.
[ "$(jget "$TMP/after" "j['tunnels']['gre1']['state'] == 'up' and j['tunnels']['gre1']['keepalive']['unanswered'] <= 1")" = True ] ||
	fail "keepalives unanswered after the key was fixed"
"$NETSIM" decode "$TMP/p3/c1-eth1--c2-eth0.pcap" >"$TMP/decode" || fail "decode (keepalives)"
expect_contains "$TMP/decode" "1.1.1.1 > 2.2.2.2  GREv0 key 0x2a  2.2.2.2 > 1.1.1.1  GREv0 key 0x2a keepalive"
expect_contains "$TMP/decode" "2.2.2.2 > 1.1.1.1  GREv0 key 0x2a keepalive"

# 4. Recursive routing: r1's route to the tunnel's destination through the tunnel itself.
topo recur <<'EOF2'
  - at: converged
    lua: |
      net:on("interface_down", function(ev) print("lua: " .. ev.message .. " / " .. (ev.text or "")) end)
  - at: converged + 2s
    device: r1
    command: route add 2.2.2.2/32 via 172.16.0.2
  - at: converged + 3s
    device: r1
    command: show gre tunnels
  - at: converged + 3s
    device: r1
    command: show interfaces json
  - at: converged + 4s
    device: r1
    command: route del 2.2.2.2/32
  - at: converged + 15s
    device: r1
    command: show gre tunnels gre1 json
EOF2
run "$TMP/recur.yaml"
expect_contains "$TMP/out" "r1: interface gre1 down (recursive routing)"
expect_contains "$TMP/out" "gre1 is down (recursive routing)"
expect_contains "$TMP/out" "lua: r1: interface gre1 down (recursive routing) / recursive routing"
[ "$(jget "$TMP/out" "j['gre1']['tunnel']['downReason']")" = "recursive routing" ] ||
	fail "show interfaces json: no downReason"
# Held down GRE_RECURSION_HOLD (10 s), then up again once the route is gone.
sed -n '/route del/,$p' "$TMP/out" >"$TMP/after"
expect_contains "$TMP/after" "r1: interface gre1 up"
[ "$(jget "$TMP/after" "j['tunnels']['gre1']['state']")" = up ] || fail "not up after the hold-down"

# 4b. Through another tunnel: gre2 (to r2's second loopback) resolves through gre1,
# then gre1's destination is routed through gre2: that change closes the loop, so
# gre1 goes down and gre2 stays up.
sed -e 's|      - {name: lo, ip: 1.1.1.1/32}|      - {name: lo, ip: 1.1.1.1/32}\n      - {name: gre2, type: gre, ip: 172.16.1.1/30, source: lo, destination: 3.3.3.3}|' \
	-e 's|      - {name: lo, ip: 2.2.2.2/32}|      - {name: lo, ip: 2.2.2.2/32}\n      - {name: lo2, ip: 3.3.3.3/32}|' \
	-e 's|      - {prefix: 1.1.1.1/32, via: 10.0.12.1}|      - {prefix: 1.1.1.1/32, via: 10.0.12.1}\n      - {prefix: 3.3.3.3/32, via: 10.0.2.1}|' \
	-e 's|      - {prefix: 2.2.2.2/32, via: 10.0.12.2}|      - {prefix: 2.2.2.2/32, via: 10.0.12.2}\n      - {prefix: 3.3.3.3/32, via: 10.0.12.2}|' \
	"$TMP/base.yaml" >"$TMP/two.yaml"
cat >>"$TMP/two.yaml" <<'EOF2'
script:
  - at: converged + 2s
    device: r1
    command: route add 3.3.3.3/32 via 172.16.0.2
  - at: converged + 3s
    device: r1
    command: route add 2.2.2.2/32 via 172.16.1.2
  - at: converged + 4s
    device: r1
    command: show gre tunnels json
EOF2
run "$TMP/two.yaml"
expect_contains "$TMP/out" "r1: interface gre1 down (recursive routing)"
[ "$(jget "$TMP/out" "j['tunnels']['gre1']['downReason']")" = "recursive routing" ] ||
	fail "a loop through two tunnels not found"
[ "$(jget "$TMP/out" "j['tunnels']['gre2']['state']")" = up ] || fail "gre2 should stay up"

# 5. MTU and DF: the tunnel's MTU is 1472 (1500 - 20 - 8: GRE with a key); a datagram over it with DF
# gets ICMP fragmentation needed; without DF it is fragmented before encapsulation.
topo mtu <<'EOF2'
  - at: converged + 5s
    device: h1
    command: ping 192.168.2.10 count 1 size 1444 df
  - at: converged + 6s
    device: h1
    command: ping 192.168.2.10 count 1 size 1445 df
    expect: fail
  - at: converged + 7s
    device: h1
    command: ping 192.168.2.10 count 1 size 3000
  - at: converged + 8s
    device: r1
    command: show gre tunnels json
EOF2
mkdir -p "$TMP/p5"
run --pcap "$TMP/p5" "$TMP/mtu.yaml"
expect_contains "$TMP/out" "Ping 192.168.2.10: 1/1 packets received"
expect_contains "$TMP/out" "Frag needed and DF set"

# 5b. A core link with a smaller MTU: df: clear lets the outer datagram be fragmented
# in the core (RFC 4459 3.1) and reassembled by the far end.
sed -e 's|      - {name: eth1, ip: 10.0.12.1/30}|      - {name: eth1, ip: 10.0.12.1/30, mtu: 1400}|' \
	-e 's|      - {name: eth0, ip: 10.0.12.2/30}|      - {name: eth0, ip: 10.0.12.2/30, mtu: 1400}|' \
	-e 's|^        key: 42$|        key: 42\n        df: clear|' "$TMP/base.yaml" >"$TMP/clear.yaml"
cat >>"$TMP/clear.yaml" <<'EOF2'
script:
  - at: converged + 5s
    device: h1
    command: ping 192.168.2.10 count 2 size 1444 df
EOF2
mkdir -p "$TMP/p6"
run --pcap "$TMP/p6" "$TMP/clear.yaml"
expect_contains "$TMP/out" "Ping 192.168.2.10: 2/2 packets received"
# The wire of runs 1, 2, 5 and 5b, dissected by one tshark. Run 1: the outer header's
# TTL 255 (254 after c1), the OSPF packet's TOS copied; inner: OSPF's TTL 1.
dissect wire "ip.ttl ip.dsfield gre.key ip.src gre.flags.checksum gre.flags.sequence_number gre.sequence_number
	icmp.type icmp.code icmp.mtu ip.flags.df ip.len ip.flags.mf ip.proto frame.number frame.protocols" \
	"$TMP/p1/c1-eth1--c2-eth0.pcap" "$TMP/p2/c1-eth1--c2-eth0.pcap" "$TMP/p5/h1-eth0--r1-eth0.pcap" \
	"$TMP/p5/c1-eth1--c2-eth0.pcap" "$TMP/p6/c1-eth1--c2-eth0.pcap"
frames wire 'f["file"] == "p1/c1-eth1--c2-eth0.pcap" && proto("gre") && proto("ospf")' ip.ttl ip.dsfield gre.key >"$TMP/f"
[ -s "$TMP/f" ] || fail "tshark finds no OSPF in GRE on the core link"
awk -F'\t' '$1 != "254,1" || $2 != "0xc0,0xc0" || $3 != "0x0000002a" { bad++ } END { exit bad > 0 }' \
	"$TMP/f" || { head "$TMP/f"; fail "outer TTL/TOS or key wrong"; }
# Run 2: checksum and sequence numbers.
frames wire 'f["file"] == "p2/c1-eth1--c2-eth0.pcap" && proto("gre")' ip.src gre.flags.checksum \
	gre.flags.sequence_number gre.sequence_number |
	awk -F'\t' '$2 == "1" && $3 == "1" { split($1, a, ","); print a[1], $4 }' >"$TMP/seq"
[ "$(wc -l <"$TMP/seq")" -gt 10 ] || fail "too few GRE packets with checksum and sequence"
# RFC 2890 2.2: each direction numbers from 0, one up per packet.
awk '{ if (($1 in last) && $2 != last[$1] + 1) bad++; if (!($1 in last) && $2 != 0) bad++; last[$1] = $2 }
	END { exit bad > 0 }' "$TMP/seq" || { cat "$TMP/seq"; fail "sequence numbers not 0, 1, 2..."; }
# Run 5: the tunnel MTU.
frames wire 'f["file"] == "p5/h1-eth0--r1-eth0.pcap" && has("icmp.type", 3) && has("icmp.code", 4)' icmp.mtu >"$TMP/f"
[ "$(cat "$TMP/f")" = 1472 ] || { cat "$TMP/f"; fail "ICMP frag needed without the tunnel MTU"; }
# The 3000-octet ping crossed as three inner fragments, each in its own GRE packet with DF copied (clear).
frames wire 'f["file"] == "p5/c1-eth1--c2-eth0.pcap" && proto("gre") && has("ip.src", "192.168.1.10")' \
	ip.flags.df ip.len >"$TMP/f"
[ "$(wc -l <"$TMP/f")" -ge 3 ] || { cat "$TMP/f"; fail "no fragmented inner datagrams"; }
# Outer DF copied from the inner: the DF ping's outer header has DF, the others not.
frames wire 'f["file"] == "p5/c1-eth1--c2-eth0.pcap" && proto("gre") && has("icmp.type", 8)' ip.flags.df |
	sort | uniq -c >"$TMP/f"
grep -q ' 1,1$' "$TMP/f" && grep -q ' 0,0$' "$TMP/f" || { cat "$TMP/f"; fail "outer DF not copied"; }
# Run 5b: outer fragments.
frames wire 'f["file"] == "p6/c1-eth1--c2-eth0.pcap" && has("ip.flags.mf", 1) && has("ip.proto", 47)' frame.number >"$TMP/f"
[ -s "$TMP/f" ] || fail "no outer fragments on the 1400-octet core link"
# Every capture of this test: tshark without a warning, checksums right (pcapcheck).
pcapcheck_files "$TMP"/p[12356]/*.pcap || fail "pcapcheck failed"

# 6. gre tunnel set: a destination that does not resolve takes the tunnel down; back, up.
sed '/^script:/,$d' topologies/gre-flap.yaml >"$TMP/set.yaml"
cat >>"$TMP/set.yaml" <<'EOF2'
script:
  - at: converged + 2s
    device: r1
    command: gre tunnel set gre1 destination 5.5.5.5
  - at: converged + 3s
    device: r1
    command: show gre tunnels json
  - at: converged + 4s
    device: r1
    command: gre tunnel set gre1 destination 2.2.2.2
  - at: converged + 5s
    device: r1
    command: gre tunnel set gre1 source 10.0.1.1
  - at: converged + 6s
    device: r1
    command: gre tunnel set gre1 destination 1.1.1.1
    expect: fail
  - at: converged + 6s
    device: r1
    command: gre tunnel set gre9 key 1
    expect: fail
  - at: converged + 7s
    device: r1
    command: show gre tunnels
EOF2
run "$TMP/set.yaml"
expect_contains "$TMP/out" "r1: interface gre1 down (destination unreachable)"
[ "$(jget "$TMP/out" "j['tunnels']['gre1']['destination']")" = 5.5.5.5 ] || fail "destination not set"
expect_contains "$TMP/out" "% destination 1.1.1.1 is an address of r1 itself"
expect_contains "$TMP/out" "% no GRE tunnel 'gre9' on r1"
expect_contains "$TMP/out" "  Tunnel source 10.0.1.1, destination 2.2.2.2"
# r2 knows the tunnel from 1.1.1.1 only: packets from 10.0.1.1 match no tunnel there.
sed -n '/source 10.0.1.1/,$p' "$TMP/out" >"$TMP/after"
expect_contains "$TMP/after" "gre1 is up"

# 7. The same commands through the daemon (netsim exec).
. tests/daemon/lib.sh
expect_status 0 "$NETSIM" daemon start glab topologies/gre-flap.yaml --tick-interval 50ms
expect_status 0 "$NETSIM" exec glab r1 "gre tunnel set gre1 destination 5.5.5.5"
expect_status 0 "$NETSIM" exec glab r1 show interfaces gre1
out_has "  gre tunnel 1.1.1.1 -> 5.5.5.5, down: destination unreachable"
expect_status 0 "$NETSIM" exec glab r1 show gre tunnels json
out_has '"downReason": "destination unreachable"'
expect_status 1 "$NETSIM" exec glab r1 "gre tunnel set gre1 destination banana"
expect_status 0 "$NETSIM" daemon stop glab

# The decode of a real capture with GRE keepalives, Cisco metadata and ICMP inside.
"$NETSIM" decode "$NETSIM_SHARED/captures/tcpdump/various_gre.pcap" >"$TMP/decode" ||
	fail "various_gre.pcap does not decode"
expect_contains "$TMP/decode" "GREv0 key 0x28  CMD SGT 0  172.17.1.54 > 172.17.1.55  ICMP echo request"
exit 0
