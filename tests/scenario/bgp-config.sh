# The bgp: block: a configuration with every key and peer groups loads and runs;
# a network nothing on the router can supply gets a warning with its
# file:line:col (and only then); the shipped BGP topologies load and run.
# (tests/unit/test_bgp_config.c checks where each key lands; tests/yaml-bad/bgp-*
# each error.)
. tests/scenario/lib.inc

# ---- every key, peer groups, asdot ----
cat >"$TMP/rich.yaml" <<'Y'
name: rich
devices:
  - name: r1
    router_id: 1.1.1.1
    interfaces:
      - {name: lo0, ip: 1.1.1.1/32}
      - {name: eth0, ip: 10.0.12.1/24}
      - {name: eth1, ip: 10.0.13.1/24}
    static_routes:
      - {prefix: 10.1.0.0/24, blackhole: true}
    bgp:
      as: 65001
      router_id: 1.1.1.1
      networks: ["10.1.0.0/24", 1.1.1.1/32]
      aggregate_addresses:
        - {prefix: 10.0.0.0/8, summary_only: true, as_set: true}
        - {prefix: 10.1.0.0/16}
      redistribute: [connected, {protocol: static, metric: 4294967295}]
      import_check: true
      cluster_id: 1.1.1.1
      client_to_client: false
      always_compare_med: true
      deterministic_med: false
      med_missing_as_worst: true
      maximum_paths: 4
      maximum_paths_ibgp: 2
      ebgp_requires_policy: false
      timers: {keepalive: 10, hold: 30}
      peer_groups:
        - name: core
          remote_as: 65001
          update_source: lo0
          next_hop_self: true
          route_reflector_client: true
          timers: {hold: 9}
        - name: upstream
          remote_as: 65002
          ebgp_multihop: true
          password: s3cret
          send_community: false
          send_ext_community: false
          allowas_in: true
          advertisement_interval: 5
          remove_private_as: true
          passive: true
      neighbors:
        - {ip: 10.0.12.2, peer_group: upstream, description: "to r2", shutdown: true,
           timers: {keepalive: 3, hold: 9, connect_retry: 5}}
        - {ip: 3.3.3.3, peer_group: core, next_hop_self: false}
        - {ip: 10.0.13.3, remote_as: 65003, ttl_security: 1, allowas_in: 5,
           update_source: 10.0.13.1, ebgp_multihop: false}
        - {ip: 2.2.2.2, remote_as: "1.10", ebgp_multihop: 2, advertisement_interval: 0}
  - name: r2
    interfaces:
      - {name: eth0, ip: 10.0.12.2/24}
    bgp:
      as: "0.65002"
      neighbors: [{ip: 10.0.12.1, remote_as: 65001}]
  - name: r3
    interfaces:
      - {name: eth0, ip: 10.0.13.3/24}
    bgp:
      as: 65003
      neighbors: [{ip: 10.0.13.1, remote_as: 65001}]
links:
  - endpoints: [r1:eth0, r2:eth0]
  - endpoints: [r1:eth1, r3:eth0]
script:
  - {at: converged, device: r1, command: show ip route bgp}
Y
"$NETSIM" validate "$TMP/rich.yaml" >"$TMP/v.out" 2>"$TMP/v.err" || { cat "$TMP/v.err"; fail "rich: validate"; }
[ -s "$TMP/v.err" ] && { cat "$TMP/v.err"; fail "rich: validate printed warnings or errors"; }
expect_contains "$TMP/v.out" "rich.yaml: ok (3 devices, 2 links, 1 script entries)"
"$NETSIM" run "$TMP/rich.yaml" >"$TMP/r.out" 2>"$TMP/r.err" || { cat "$TMP/r.out" "$TMP/r.err"; fail "rich: run"; }
[ -s "$TMP/r.err" ] && { cat "$TMP/r.err"; fail "rich: run printed to stderr"; }
expect_contains "$TMP/r.out" "Network initialized: 3 devices, 2 links"
# BGP is a protocol of the build: `show ip route bgp` filters (nothing yet), not "not available".
expect_contains "$TMP/r.out" "r1> show ip route bgp"
expect_not_contains "$TMP/r.out" "not available"
expect_not_contains "$TMP/r.out" "unknown"

# ---- the network warning ----
# r1 names two networks: 10.1.0.0/24 has nothing to supply it, 10.0.12.0/24 is connected.
net() { # NAME EXTRA-DEVICE-LINES BGP-EXTRA-LINES: a one-router topology in $TMP/NAME.yaml
	cat >"$TMP/$1.yaml" <<Y
name: $1
devices:
  - name: r1
    router_id: 1.1.1.1
    interfaces:
      - {name: eth0, ip: 10.0.12.1/24${4:-}}
$2
    bgp:
      as: 65001
      networks: [10.0.12.0/24, "10.1.0.0/24"]
$3
Y
}
warning() { # NAME: the file's one warning line
	echo "$TMP/$1.yaml:10:32: warning: r1: bgp network 10.1.0.0/24 has no route on r1; it is not advertised until one exists (import_check: false advertises it anyway)"
}
net bare "" ""
for cmd in validate run; do
	"$NETSIM" $cmd "$TMP/bare.yaml" >"$TMP/bare.out" 2>"$TMP/bare.err" || { cat "$TMP/bare.err"; fail "bare: $cmd"; }
	warning bare >"$TMP/bare.want"
	diff -u "$TMP/bare.want" "$TMP/bare.err" || fail "bare: $cmd: the warning differs"
done
expect_contains "$TMP/bare.out" "Simulation complete"
# Whatever could supply the prefix keeps the loader quiet: a static route to exactly it,
# a connected subnet equal to it, an IGP; import_check: false advertises it anyway.
net static "    static_routes: [{prefix: 10.1.0.0/24, via: 10.0.12.2}]" ""
net connected "" "" "}
      - {name: eth1, ip: 10.1.0.1/24"
net ospf "" "" ", ospf: {area: 0}"
net noimport "" "      import_check: false"
for t in static connected ospf noimport; do
	"$NETSIM" validate "$TMP/$t.yaml" >"$TMP/$t.out" 2>"$TMP/$t.err" || { cat "$TMP/$t.err"; fail "$t: validate"; }
	[ -s "$TMP/$t.err" ] && { cat "$TMP/$t.err"; fail "$t: a warning"; }
done
# A static route to a longer or shorter prefix does not count (import_check wants the prefix).
net longer "    static_routes: [{prefix: 10.1.0.0/25, via: 10.0.12.2}]" ""
"$NETSIM" validate "$TMP/longer.yaml" >/dev/null 2>"$TMP/longer.err" || fail "longer: validate"
warning longer >"$TMP/longer.want"
diff -u "$TMP/longer.want" "$TMP/longer.err" || fail "longer: want the warning"

# ---- the BGP topologies (topologies/bgp-*.yaml): they load with no warning and run ----
n=0
for t in topologies/bgp-*.yaml; do
	"$NETSIM" validate "$t" >/dev/null 2>"$TMP/t.err" || { cat "$TMP/t.err"; fail "$t: validate"; }
	[ -s "$TMP/t.err" ] && { cat "$TMP/t.err"; fail "$t: warnings"; }
	# Their scripts show BGP state; the runs here are about loading and running.
	sed -e '/^script:/,$d' "$t" >"$TMP/t.yaml"
	"$NETSIM" run -q "$TMP/t.yaml" >"$TMP/t.out" 2>&1 || { cat "$TMP/t.out"; fail "$t: run"; }
	n=$((n + 1))
done
[ $n -ge 4 ] || fail "only $n BGP topologies"
echo "bgp-config: ok ($n topologies)"
