# BGP features on small hand-checked networks: aggregation (summary_only,
# as_set, ATOMIC_AGGREGATE, AGGREGATOR), redistribution (ORIGIN incomplete,
# MED from the route), the import check of `networks:`, eBGP multipath,
# `neighbor IP shutdown` and `clear bgp` at run time, a crash seen by the
# neighbors, and the Lua events.
. tests/scenario/lib.inc

out() {
	awk -v p="] $2> $3" '
		index($0, p) > 0 && index($0, p) == length($0) - length(p) + 1 { on = 1; next }
		on && /^\[t=[0-9.]*ms\] / { exit }
		on && /^Simulation complete:/ { exit }
		on { print }' "$1"
}

# r0 (AS 65000) -- r1 (AS 65001) == r2 (AS 65002): r1 and r2 are joined twice.
cat >"$TMP/net.yaml" <<'EOF'
name: bgp-features
timers: fast
devices:
  - name: r0
    router_id: 10.255.0.10
    interfaces:
      - {name: eth0, ip: 10.0.1.0/31}
    static_routes:
      - {prefix: 10.5.0.0/16, blackhole: true}
      - {prefix: 172.20.0.0/24, blackhole: true}
    bgp:
      as: 65000
      networks: [10.5.0.0/16, 10.6.0.0/16]
      redistribute: [{protocol: static, metric: 0}]
      neighbors:
        - {ip: 10.0.1.1, remote_as: 65001}
  - name: r1
    router_id: 10.255.0.1
    interfaces:
      - {name: eth0, ip: 10.0.1.1/31}
      - {name: eth1, ip: 10.0.12.1/24}
      - {name: eth2, ip: 10.0.21.1/24}
    static_routes:
      - {prefix: 10.7.0.0/16, blackhole: true}
    bgp:
      as: 65001
      networks: [10.7.0.0/16]
      aggregate_addresses:
        - {prefix: 10.0.0.0/8, summary_only: true, as_set: true}
      neighbors:
        - {ip: 10.0.1.0, remote_as: 65000}
        - {ip: 10.0.12.2, remote_as: 65002}
        - {ip: 10.0.21.2, remote_as: 65002}
  - name: r2
    router_id: 10.255.0.2
    interfaces:
      - {name: eth0, ip: 10.0.12.2/24}
      - {name: eth1, ip: 10.0.21.2/24}
    bgp:
      as: 65002
      maximum_paths: 2
      neighbors:
        - {ip: 10.0.12.1, remote_as: 65001}
        - {ip: 10.0.21.1, remote_as: 65001}
links:
  - endpoints: [r0:eth0, r1:eth0]
  - endpoints: [r1:eth1, r2:eth0]
  - endpoints: [r1:eth2, r2:eth1]
script:
  - {at: converged, device: r2, command: show bgp}
  - {at: converged, device: r2, command: show bgp 10.0.0.0/8}
  - {at: converged, device: r2, command: show ip route}
  - {at: converged, device: r1, command: show bgp}
  - {at: converged + 1s, device: r2, command: neighbor 10.0.12.1 shutdown}
  - {at: converged + 2s, device: r2, command: show ip route 10.0.0.0/8}
  - {at: converged + 2s, device: r1, command: show bgp neighbors 10.0.12.2}
  - {at: converged + 3s, device: r2, command: no neighbor 10.0.12.1 shutdown}
  - {at: converged + 5s, device: r2, command: show bgp summary}
  - {at: converged + 6s, device: r2, command: clear bgp 10.0.21.1}
  - {at: converged + 8s, device: r2, command: show bgp summary}
EOF
"$NETSIM" validate "$TMP/net.yaml" 2>"$TMP/warn" >/dev/null || fail "validate"
# 10.6.0.0/16 has no route on r0: the loader says so, naming it.
expect_contains "$TMP/warn" "warning: r0: bgp network 10.6.0.0/16 has no route on r0"
"$NETSIM" run "$TMP/net.yaml" >"$TMP/run.out" 2>"$TMP/run.err" || { cat "$TMP/run.out" "$TMP/run.err"; fail "run"; }

# r2 sees only the aggregate (summary_only), with the ASes behind it in an AS_SET,
# twice (two sessions to AS 65001), both installed (maximum_paths 2).
out "$TMP/run.out" r2 "show bgp" >"$TMP/r2bgp"
expect_contains "$TMP/r2bgp" "10.0.0.0"
expect_contains "$TMP/r2bgp" "65001 {65000} i"
expect_not_contains "$TMP/r2bgp" "10.5.0.0"
expect_not_contains "$TMP/r2bgp" "10.7.0.0"
# The redistributed static route is ORIGIN incomplete and not under the aggregate.
expect_contains "$TMP/r2bgp" "172.20.0.0/24"
expect_contains "$TMP/r2bgp" "65001 65000 ?"
# The import check: 10.6.0.0/16 has no route on r0, so nobody has it.
expect_not_contains "$TMP/run.out" "10.6.0.0"
out "$TMP/run.out" r2 "show bgp 10.0.0.0/8" >"$TMP/agg"
expect_contains "$TMP/agg" "Paths: (2 available, best #1"
expect_contains "$TMP/agg" "65001 {65000}, (aggregated by 65001 10.255.0.1)"
out "$TMP/run.out" r2 "show ip route" >"$TMP/r2rt"
expect_contains "$TMP/r2rt" "B     10.0.0.0/8 [20/0] via 10.0.12.1, eth0"
expect_contains "$TMP/r2rt" "                  [20/0] via 10.0.21.1, eth1"
# r1 has the more specific routes, suppressed, and the aggregate as its own.
out "$TMP/run.out" r1 "show bgp" >"$TMP/r1bgp"
expect_contains "$TMP/r1bgp" "s> 10.5.0.0/16"
expect_contains "$TMP/r1bgp" "*> 10.0.0.0/8"

# Shut down: Cease/Administrative Shutdown, one path left; back up again.
out "$TMP/run.out" r2 "show ip route 10.0.0.0/8" >"$TMP/one"
expect_contains "$TMP/one" "10.0.21.1"
expect_not_contains "$TMP/one" "10.0.12.1"
out "$TMP/run.out" r1 "show bgp neighbors 10.0.12.2" >"$TMP/nbr"
expect_contains "$TMP/nbr" "Cease/Administrative Shutdown"
expect_contains "$TMP/run.out" "BGP: r2 neighbor 10.0.12.1 session down: Admin. shutdown"
[ "$(grep -c "BGP: r2 neighbor 10.0.12.1 session up" "$TMP/run.out")" = 2 ] || fail "no second session to 10.0.12.1"
# clear bgp: Cease/Administrative Reset, and a new session.
expect_contains "$TMP/run.out" "BGP: r2 neighbor 10.0.21.1 session down: User reset"
[ "$(grep -c "BGP: r2 neighbor 10.0.21.1 session up" "$TMP/run.out")" = 2 ] || fail "no new session after clear"

# Lua: the events, and a crash of r1. Its links lose carrier, so its directly
# connected eBGP neighbors end their sessions at once (fast external
# failover; the hold time is bgp-routing's test); after the restart the
# sessions come back.
sed '/^script:/,$d' "$TMP/net.yaml" >"$TMP/plain.yaml"
cat >"$TMP/ev.lua" <<'EOF'
local net = netsim.load(netsim.args[1])
local ups, downs, best = 0, {}, 0
net:on("session_up", function(e) ups = ups + 1; assert(e.protocol == "bgp" and e.neighbor ~= "") end)
net:on("session_down", function(e) downs[#downs + 1] = {t = e.time, dev = e.device.name, why = e.reason} end)
net:on("bestpath_change", function(e) if e.prefix == "10.0.0.0/8" then best = best + 1 end end)
net:run_until_converged()
print("sessions up " .. ups .. ", best path changes for 10.0.0.0/8 " .. best)
assert(ups == 6, "6 session_up events")
assert(best >= 3, "r1 and r2 chose the aggregate")
local t0 = net:now()
net.r1:crash()
net:run{duration = "20s"}
for _, d in ipairs(downs) do
	print(string.format("%s down after %.0f ms: %s", d.dev, d.t - t0, d.why))
	assert(d.t == t0 and d.why == "Interface down", "fast external failover")
end
assert(#downs == 3, "r0 and r2 (twice) lose their sessions to r1")
assert(net.r2:route("10.0.0.0/8") == nil, "r2 forgot the aggregate")
ups = 0
net.r1:restore()
net:run{duration = "30s"}
print("sessions up after the restart " .. ups)
assert(ups == 6, "the sessions come back")
assert(net.r2:route("10.0.0.0/8") ~= nil, "r2 has the aggregate again")
EOF
"$NETSIM" run "$TMP/ev.lua" "$TMP/plain.yaml" >"$TMP/lua.out" 2>&1 || { cat "$TMP/lua.out"; fail "Lua events and crash"; }
expect_contains "$TMP/lua.out" "sessions up 6"
expect_contains "$TMP/lua.out" "sessions up after the restart 6"

# 2-octet AS sessions (RFC 6793): r1 (AS 65001) sends its OPEN without
# capabilities towards r2 (dont_capability_negotiate), so that session is an
# old speaker's: the route from r0 (AS 4200000001) crosses it with AS_TRANS in
# AS_PATH and the real path in AS4_PATH, r2 merges them, and r3 sees the
# 4-octet AS.
cat >"$TMP/as4.yaml" <<'EOF'
name: bgp-as4
devices:
  - name: r0
    router_id: 10.255.0.10
    interfaces:
      - {name: eth0, ip: 10.0.1.0/31}
    bgp:
      as: 4200000001
      import_check: false
      networks: [198.51.100.0/24]
      neighbors:
        - {ip: 10.0.1.1, remote_as: 65001}
  - name: r1
    router_id: 10.255.0.1
    interfaces:
      - {name: eth0, ip: 10.0.12.1/24}
      - {name: eth1, ip: 10.0.1.1/31}
    bgp:
      as: 65001
      neighbors:
        - {ip: 10.0.1.0, remote_as: 4200000001}
        - {ip: 10.0.12.2, remote_as: 65002, dont_capability_negotiate: true}
  - name: r2
    router_id: 10.255.0.2
    interfaces:
      - {name: eth0, ip: 10.0.12.2/24}
      - {name: eth1, ip: 10.0.23.2/24}
    bgp:
      as: 65002
      neighbors:
        - {ip: 10.0.12.1, remote_as: 65001}
        - {ip: 10.0.23.3, remote_as: 65003}
  - name: r3
    router_id: 10.255.0.3
    interfaces:
      - {name: eth0, ip: 10.0.23.3/24}
    bgp:
      as: 65003
      neighbors:
        - {ip: 10.0.23.2, remote_as: 65002}
links:
  - endpoints: [r0:eth0, r1:eth1]
  - endpoints: [r1:eth0, r2:eth0]
  - endpoints: [r2:eth1, r3:eth0]
script:
  - {at: converged, device: r3, command: show bgp}
  - {at: converged, device: r2, command: show bgp neighbors 10.0.12.1}
EOF
mkdir -p "$TMP/as4pcap"
"$NETSIM" run --pcap "$TMP/as4pcap" "$TMP/as4.yaml" >"$TMP/as4.out" 2>&1 || { cat "$TMP/as4.out"; fail "as4 run"; }
out "$TMP/as4.out" r3 "show bgp" >"$TMP/r3as4"
expect_contains "$TMP/r3as4" "65002 65001 4200000001 i"
out "$TMP/as4.out" r2 "show bgp neighbors 10.0.12.1" >"$TMP/nb4"
expect_not_contains "$TMP/nb4" "4 Byte AS: advertised and received"
tshark -r "$TMP/as4pcap/r1-eth0--r2-eth0.pcap" -Y "bgp.update.path_attribute.type_code == 17" \
	-T fields -e frame.number 2>/dev/null | grep -q . || fail "no AS4_PATH on the 2-octet session"
pcapcheck_files "$TMP"/as4pcap/*.pcap

# One prefix from 40 neighbors (a hub with 40 eBGP spokes announcing the
# same anycast prefix): every path is a candidate, the lowest router ID wins.
{
	echo "name: bgp-star"
	echo "devices:"
	echo "  - name: hub"
	echo "    router_id: 10.255.255.255"
	echo "    interfaces:"
	i=1; while [ $i -le 40 ]; do echo "      - {name: eth$i, ip: 10.1.$i.1/24}"; i=$((i + 1)); done
	echo "    bgp:"
	echo "      as: 65000"
	echo "      neighbors:"
	i=1; while [ $i -le 40 ]; do echo "        - {ip: 10.1.$i.2, remote_as: $((65100 + i))}"; i=$((i + 1)); done
	i=1; while [ $i -le 40 ]; do
		echo "  - name: s$i"
		echo "    router_id: 10.255.0.$((41 - i))"
		echo "    interfaces: [{name: eth0, ip: 10.1.$i.2/24}]"
		echo "    bgp: {as: $((65100 + i)), import_check: false, networks: [192.0.2.0/24], neighbors: [{ip: 10.1.$i.1, remote_as: 65000}]}"
		i=$((i + 1))
	done
	echo "links:"
	i=1; while [ $i -le 40 ]; do echo "  - endpoints: [hub:eth$i, s$i:eth0]"; i=$((i + 1)); done
	echo "script:"
	echo "  - {at: converged, device: hub, command: show bgp 192.0.2.0/24}"
} >"$TMP/star.yaml"
"$NETSIM" run "$TMP/star.yaml" >"$TMP/star.out" 2>&1 || { cat "$TMP/star.out"; fail "star run"; }
out "$TMP/star.out" hub "show bgp 192.0.2.0/24" >"$TMP/star"
expect_contains "$TMP/star" "Paths: (40 available, best #"
# s40 has the lowest router ID (10.255.0.1): its path is the best.
grep -A3 "^  65140$" "$TMP/star" | grep -q "best (Router ID)" || { cat "$TMP/star"; fail "the lowest router ID should win"; }

# Route leak prevention (RFC 9234): r1 is a customer of two providers, r2 and
# r3, which configure no roles. r1 marks r2's routes Only to Customer (OTC) as
# they arrive from a provider and so never passes them to r3; its own prefix
# goes to both. A role that does not match the neighbor's is refused.
cat >"$TMP/roles.yaml" <<'EOF'
name: bgp-roles
devices:
  - name: r1
    router_id: 10.255.0.1
    interfaces:
      - {name: eth0, ip: 10.0.12.1/24}
      - {name: eth1, ip: 10.0.13.1/24}
      - {name: eth2, ip: 10.0.14.1/24}
    bgp:
      as: 65001
      import_check: false
      networks: [192.0.2.0/24]
      neighbors:
        - {ip: 10.0.12.2, remote_as: 65002, local_role: customer}
        - {ip: 10.0.13.3, remote_as: 65003, local_role: customer}
        - {ip: 10.0.14.4, remote_as: 65004, local_role: customer}
  - name: r2
    router_id: 10.255.0.2
    interfaces:
      - {name: eth0, ip: 10.0.12.2/24}
    bgp:
      as: 65002
      import_check: false
      networks: [198.51.100.0/24]
      neighbors:
        - {ip: 10.0.12.1, remote_as: 65001}
  - name: r3
    router_id: 10.255.0.3
    interfaces:
      - {name: eth0, ip: 10.0.13.3/24}
    bgp:
      as: 65003
      neighbors:
        - {ip: 10.0.13.1, remote_as: 65001}
  - name: r4
    router_id: 10.255.0.4
    interfaces:
      - {name: eth0, ip: 10.0.14.4/24}
    bgp:
      as: 65004
      neighbors:
        - {ip: 10.0.14.1, remote_as: 65001, local_role: customer}
links:
  - endpoints: [r1:eth0, r2:eth0]
  - endpoints: [r1:eth1, r3:eth0]
  - endpoints: [r1:eth2, r4:eth0]
script:
  - {at: converged, device: r1, command: show bgp 198.51.100.0/24}
  - {at: converged, device: r3, command: show bgp}
  - {at: converged, device: r1, command: show bgp neighbors 10.0.14.4}
EOF
"$NETSIM" run "$TMP/roles.yaml" >"$TMP/roles.out" 2>&1 || { cat "$TMP/roles.out"; fail "roles run"; }
out "$TMP/roles.out" r1 "show bgp 198.51.100.0/24" >"$TMP/r1otc"
expect_contains "$TMP/r1otc" "OTC: 65002"
out "$TMP/roles.out" r3 "show bgp" >"$TMP/r3roles"
expect_contains "$TMP/r3roles" "192.0.2.0/24"
expect_not_contains "$TMP/r3roles" "198.51.100.0/24"
# Customer against customer: OPEN Message Error, Role Mismatch.
out "$TMP/roles.out" r1 "show bgp neighbors 10.0.14.4" >"$TMP/mismatch"
expect_contains "$TMP/mismatch" "OPEN Message Error/Role Mismatch"

# Without router_id, BGP's identifier is the highest loopback address (as
# OSPF's): iBGP between loopbacks comes up.
cat >"$TMP/noid.yaml" <<'EOF'
name: noid
devices:
  - name: r1
    interfaces:
      - {name: lo0, ip: 10.255.0.1/32}
      - {name: eth0, ip: 10.0.12.1/24}
    static_routes: [{prefix: 10.255.0.2/32, via: 10.0.12.2}]
    bgp: {as: 65000, neighbors: [{ip: 10.255.0.2, remote_as: 65000, update_source: lo0}]}
  - name: r2
    interfaces:
      - {name: lo0, ip: 10.255.0.2/32}
      - {name: eth0, ip: 10.0.12.2/24}
    static_routes: [{prefix: 10.255.0.1/32, via: 10.0.12.1}]
    bgp: {as: 65000, import_check: false, networks: [192.0.2.0/24], neighbors: [{ip: 10.255.0.1, remote_as: 65000, update_source: lo0}]}
links:
  - endpoints: [r1:eth0, r2:eth0]
script:
  - {at: converged, device: r1, command: show bgp summary}
EOF
"$NETSIM" run "$TMP/noid.yaml" >"$TMP/noid.out" 2>&1 || { cat "$TMP/noid.out"; fail "noid run"; }
expect_contains "$TMP/noid.out" "BGP router identifier 10.255.0.1, local AS number 65000"
grep -q "^10.255.0.2 .* 1 .* 0 N/A" "$TMP/noid.out" || { cat "$TMP/noid.out"; fail "no session or prefix without router_id"; }

# remove_private_as: r0's private AS 64600 is stripped towards r2 (public ASes 100
# and 200), so r2 sees the route as AS 100's own; r1 itself still sees 64600.
cat >"$TMP/priv.yaml" <<'EOF'
name: bgp-private-as
devices:
  - name: r0
    router_id: 10.255.0.10
    interfaces: [{name: eth0, ip: 10.0.1.0/31}]
    bgp: {as: 64600, import_check: false, networks: [203.0.113.0/24], neighbors: [{ip: 10.0.1.1, remote_as: 100}]}
  - name: r1
    router_id: 10.255.0.1
    interfaces: [{name: eth0, ip: 10.0.1.1/31}, {name: eth1, ip: 10.0.12.1/24}]
    bgp:
      as: 100
      neighbors:
        - {ip: 10.0.1.0, remote_as: 64600}
        - {ip: 10.0.12.2, remote_as: 200, remove_private_as: true}
  - name: r2
    router_id: 10.255.0.2
    interfaces: [{name: eth0, ip: 10.0.12.2/24}]
    bgp: {as: 200, neighbors: [{ip: 10.0.12.1, remote_as: 100}]}
links:
  - endpoints: [r0:eth0, r1:eth0]
  - endpoints: [r1:eth1, r2:eth0]
script:
  - {at: converged, device: r1, command: show bgp}
  - {at: converged, device: r2, command: show bgp}
EOF
"$NETSIM" run "$TMP/priv.yaml" >"$TMP/priv.out" 2>&1 || { cat "$TMP/priv.out"; fail "private AS run"; }
out "$TMP/priv.out" r1 "show bgp" | grep -q " 64600 i$" || fail "r1 should see 64600"
out "$TMP/priv.out" r2 "show bgp" >"$TMP/r2priv"
grep -q "203.0.113.0/24 .* 0 100 i$" "$TMP/r2priv" || { cat "$TMP/r2priv"; fail "r2 should see the path 100 only"; }
