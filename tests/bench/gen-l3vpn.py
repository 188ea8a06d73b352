#!/usr/bin/env python3
"""A large L3VPN for the benchmark: gen-l3vpn.py PES VRFS PREFIXES.

A route reflector in the middle of PES provider edges (OSPF and LDP on every link),
each PE with VRFS VRFs (VRF v's route target 65000:v, imported and exported, so each
VRF spans every PE) holding PREFIXES static discard routes each, exported to
VPN-IPv4: PES x VRFS x PREFIXES VPN routes on the reflector, and every PE imports
(PES - 1) x VRFS x PREFIXES of them into its VRFs.
"""
import sys

npe, nvrf, npfx = (int(a) for a in sys.argv[1:4])
o = ["name: l3vpn-scale-%dx%dx%d" % (npe, nvrf, npfx), "timers: fast", "devices:",
     "  - name: rr", "    router_id: 10.255.255.254", "    interfaces:",
     "      - {name: lo0, ip: 10.255.255.254/32, ospf: {area: 0}}"]
for p in range(1, npe + 1):
    o.append("      - {name: eth%d, ip: 10.%d.%d.2/30, ospf: {area: 0, network_type: point-to-point}, ldp: {}}"
             % (p, 100 + p // 64, (p % 64) * 4))
o += ["    ldp: {}", "    bgp:", "      as: 65000", "      neighbors:"]
for p in range(1, npe + 1):
    o.append("        - {ip: 10.255.%d.%d, remote_as: 65000, update_source: lo0, families: [vpnv4], "
             "route_reflector_client: true}" % (p // 250, p % 250 + 1))
for p in range(1, npe + 1):
    lo = "10.255.%d.%d" % (p // 250, p % 250 + 1)
    o += ["  - name: pe%d" % p, "    router_id: %s" % lo, "    vrfs:"]
    for v in range(1, nvrf + 1):
        o.append('      - {name: v%d, rd: "%s:%d", import_targets: ["65000:%d"], export_targets: ["65000:%d"]}'
                 % (v, lo, v, v, v))
    o += ["    interfaces:", "      - {name: lo0, ip: %s/32, ospf: {area: 0}}" % lo,
          "      - {name: eth0, ip: 10.%d.%d.1/30, ospf: {area: 0, network_type: point-to-point}, ldp: {}}"
          % (100 + p // 64, (p % 64) * 4), "    static_routes:"]
    for v in range(1, nvrf + 1):
        for k in range(npfx):
            n = (p - 1) * npfx + k  # unique per PE within a VRF
            o.append("      - {prefix: 172.%d.%d.0/24, blackhole: true, vrf: v%d}" % (16 + n // 256, n % 256, v))
    o += ["    ldp: {}", "    bgp:", "      as: 65000", "      neighbors:",
          "        - {ip: 10.255.255.254, remote_as: 65000, update_source: lo0, families: [vpnv4]}",
          "      vrfs:"]
    for v in range(1, nvrf + 1):
        o.append("        - {name: v%d, redistribute: [static]}" % v)
o.append("links:")
for p in range(1, npe + 1):
    o.append("  - {endpoints: [pe%d:eth0, rr:eth%d], delay: 1ms}" % (p, p))
print("\n".join(o))
