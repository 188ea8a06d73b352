# Bad OSPF configuration is refused with file:line:col and what is wrong.
. tests/scenario/lib.inc
bad() { # NAME EXPECTED-TEXT: the YAML on stdin must fail to load with that message
	cat >"$TMP/$1.yaml"
	if "$NETSIM" validate "$TMP/$1.yaml" >"$TMP/$1.out" 2>&1; then
		fail "$1: accepted"
	fi
	grep -qF -- "$2" "$TMP/$1.out" || { cat "$TMP/$1.out"; fail "$1: expected '$2'"; }
	grep -Eq "$1.yaml:[0-9]+:[0-9]+: " "$TMP/$1.out" || { cat "$TMP/$1.out"; fail "$1: no position"; }
}
bad noarea "ospf needs an 'area'" <<'Y'
devices:
  - name: r1
    router_id: 1.1.1.1
    interfaces: [{name: eth0, ip: 10.0.0.1/24, ospf: {cost: 5}}]
Y
bad cost "expected" <<'Y'
devices:
  - name: r1
    interfaces: [{name: eth0, ip: 10.0.0.1/24, ospf: {area: 0, cost: 0}}]
Y
bad nettype "unknown network_type 'ptp'" <<'Y'
devices:
  - name: r1
    interfaces: [{name: eth0, ip: 10.0.0.1/24, ospf: {area: 0, network_type: ptp}}]
Y
bad hello "whole number of seconds" <<'Y'
devices:
  - name: r1
    interfaces: [{name: eth0, ip: 10.0.0.1/24, ospf: {area: 0, hello: 1.5s}}]
Y
bad key "unknown key 'costs'" <<'Y'
devices:
  - name: r1
    interfaces: [{name: eth0, ip: 10.0.0.1/24, ospf: {area: 0, costs: 5}}]
Y
bad noaddr "has no IP address" <<'Y'
devices:
  - name: r1
    router_id: 1.1.1.1
    interfaces: [{name: eth0, ospf: {area: 0}}]
Y
bad stub0 "cannot be a stub area" <<'Y'
devices:
  - name: r1
    ospf: {areas: {0: {type: stub}}}
    interfaces: [{name: eth0, ip: 10.0.0.1/24, ospf: {area: 0}}]
Y
bad redist "cannot redistribute 'isis'" <<'Y'
devices:
  - name: r1
    ospf: {redistribute: [isis]}
    interfaces: [{name: eth0, ip: 10.0.0.1/24, ospf: {area: 0}}]
Y
bad nbma "'neighbors' is for network_type: nbma" <<'Y'
devices:
  - name: r1
    interfaces: [{name: eth0, ip: 10.0.0.1/24, ospf: {area: 0, neighbors: [10.0.0.2]}}]
Y
bad p2mpnb "point-to-multipoint non-broadcast needs 'neighbors'" <<'Y'
devices:
  - name: r1
    interfaces: [{name: eth0, ip: 10.0.0.1/24, ospf: {area: 0, network_type: point-to-multipoint non-broadcast}}]
Y
bad p2mpprio "a point-to-multipoint neighbor has no priority" <<'Y'
devices:
  - name: r1
    interfaces:
      - name: eth0
        ip: 10.0.0.1/24
        ospf: {area: 0, network_type: point-to-multipoint non-broadcast, neighbors: [{ip: 10.0.0.2, priority: 3}]}
Y
bad p2mppoll "'poll' is for network_type: nbma" <<'Y'
devices:
  - name: r1
    interfaces:
      - {name: eth0, ip: 10.0.0.1/24, ospf: {area: 0, network_type: point-to-multipoint non-broadcast, neighbors: [10.0.0.2], poll: 60}}
Y
bad areaid "an area in a list needs an 'id'" <<'Y'
devices:
  - name: r1
    ospf: {areas: [{type: stub}]}
    interfaces: [{name: eth0, ip: 10.0.0.1/24, ospf: {area: 0}}]
Y
bad areatype "unknown area type 'totally' (expected normal, stub or nssa)" <<'Y'
devices:
  - name: r1
    ospf: {areas: {1: {type: totally}}}
    interfaces: [{name: eth0, ip: 10.0.0.1/24, ospf: {area: 1}}]
Y
bad nosummary "'no_summary' and 'default_cost' are for stub and NSSA areas" <<'Y'
devices:
  - name: r1
    ospf: {areas: {1: {no_summary: true}}}
    interfaces: [{name: eth0, ip: 10.0.0.1/24, ospf: {area: 1}}]
Y
bad duprid "OSPF router ID 1.1.1.1 is also r1's" <<'Y'
devices:
  - name: r1
    router_id: 1.1.1.1
    interfaces: [{name: eth0, ip: 10.0.0.1/24, ospf: {area: 0}}]
  - name: r2
    router_id: 1.1.1.1
    interfaces: [{name: eth0, ip: 10.0.0.2/24, ospf: {area: 0}}]
Y
bad host "only routers run OSPF" <<'Y'
devices:
  - name: h1
    type: host
    interfaces: [{name: eth0, ip: 10.0.0.1/24, ospf: {area: 0}}]
Y
# Automatic router ID: the highest loopback, said so by show ip ospf.
cat >"$TMP/auto.yaml" <<'Y'
devices:
  - name: r1
    interfaces:
      - {name: lo0, ip: 192.0.2.1/32, ospf: {area: 0}}
      - {name: lo1, ip: 192.0.2.9/32}
      - {name: eth0, ip: 10.9.9.9/24, ospf: {area: 0}}
script:
  - {at: 1s, device: r1, command: show ip ospf}
Y
"$NETSIM" run --until 2s "$TMP/auto.yaml" >"$TMP/auto.out" || fail "auto router ID run"
expect_contains "$TMP/auto.out" 'Routing Process "ospf 1" with ID 192.0.2.9'
expect_contains "$TMP/auto.out" "Router ID selected automatically (highest loopback address)"
exit 0
