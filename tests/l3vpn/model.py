#!/usr/bin/env python3
"""An independent model of RFC 4364's route-target import, for tests/scenario/l3vpn-model.sh.

gen SEED: prints a random L3VPN topology (YAML): a route reflector "rr" in the middle of
a star of PEs (OSPF and LDP on every link), each PE with one to three VRFs whose import
and export route targets are random subsets of four, each VRF with one or two customer
LANs numbered uniquely across the network, a host on each (an interface without a link
is down, and so is its connected route).

check SEED OUT: reads `netsim run` output of that topology (show ip route vrf V json and
show mpls forwarding json on every PE) and checks, for every VRF of every PE, that its
BGP routes are exactly the LANs of the other PEs' VRFs that export a route target it
imports (RFC 4364 4.3.3; none from its own PE), each through the far PE's VPN label for
that VRF (the bottom label, which the far PE's LFIB pops into that VRF), and that its
table holds nothing else but its own LANs.
"""
import json
import random
import re
import sys

RTS = ["65000:1", "65000:2", "65000:3", "65000:4"]


def build(seed):
    rnd = random.Random(seed)
    npe = rnd.randint(3, 5)
    pes = []
    lan = 0
    for p in range(1, npe + 1):
        vrfs = []
        for v in range(1, rnd.randint(1, 3) + 1):
            imp = sorted(rnd.sample(RTS, rnd.randint(0, 2)))
            exp = sorted(rnd.sample(RTS, rnd.randint(1, 2)))
            lans = []
            for _ in range(rnd.randint(1, 2)):
                lan += 1
                lans.append("192.168.%d.0/24" % lan)
            vrfs.append({"name": "v%d" % v, "rd": "65000:%d" % (p * 10 + v), "import": imp,
                         "export": exp, "lans": lans})
        pes.append({"name": "pe%d" % p, "id": p, "vrfs": vrfs})
    return pes


def gen(seed):
    pes = build(seed)
    o = ["name: l3vpn-model-%d" % seed, "timers: fast", "devices:"]
    o += ["  - name: rr", "    router_id: 10.255.0.100", "    interfaces:",
          "      - {name: lo0, ip: 10.255.0.100/32, ospf: {area: 0}}"]
    for pe in pes:
        o.append("      - {name: eth%d, ip: 10.0.%d.2/30, ospf: {area: 0, network_type: point-to-point}, ldp: {}}"
                 % (pe["id"], pe["id"]))
    o += ["    ldp: {}", "    bgp:", "      as: 65000", "      neighbors:"]
    for pe in pes:
        o.append("        - {ip: 10.255.0.%d, remote_as: 65000, update_source: lo0, families: [vpnv4], "
                 "route_reflector_client: true}" % pe["id"])
    hosts = []
    for pe in pes:
        p = pe["id"]
        o += ["  - name: %s" % pe["name"], "    router_id: 10.255.0.%d" % p, "    vrfs:"]
        for v in pe["vrfs"]:
            o.append('      - {name: %s, rd: "%s", import_targets: [%s], export_targets: [%s]}'
                     % (v["name"], v["rd"], ", ".join('"%s"' % t for t in v["import"]),
                        ", ".join('"%s"' % t for t in v["export"])))
        o += ["    interfaces:", "      - {name: lo0, ip: 10.255.0.%d/32, ospf: {area: 0}}" % p,
              "      - {name: eth0, ip: 10.0.%d.1/30, ospf: {area: 0, network_type: point-to-point}, ldp: {}}" % p]
        i = 1
        for v in pe["vrfs"]:
            for k, lan in enumerate(v["lans"]):
                o.append("      - {name: eth%d, ip: %s, vrf: %s}" % (i, lan.replace(".0/24", ".1/24"), v["name"]))
                hosts.append((pe["name"], i, lan, v["name"], k))
                i += 1
        o += ["    ldp: {}", "    bgp:", "      as: 65000", "      neighbors:",
              "        - {ip: 10.255.0.100, remote_as: 65000, update_source: lo0, families: [vpnv4]}",
              "      vrfs:"]
        for v in pe["vrfs"]:
            o.append("        - {name: %s, redistribute: [connected]}" % v["name"])
    for pe, i, lan, vrf, k in hosts:
        o += ["  - name: h-%s-%s-%d" % (pe, vrf, k), "    type: host", "    interfaces:",
              "      - {name: eth0, ip: %s, gateway: %s}" % (lan.replace(".0/24", ".10/24"),
                                                          lan.replace(".0/24", ".1"))]
    o.append("links:")
    for pe in pes:
        o.append("  - {endpoints: [%s:eth0, rr:eth%d], delay: 1ms}" % (pe["name"], pe["id"]))
    for pe, i, lan, vrf, k in hosts:
        o.append("  - {endpoints: [h-%s-%s-%d:eth0, %s:eth%d]}" % (pe, vrf, k, pe, i))
    o.append("script:")
    for pe in pes:
        o.append("  - {at: converged, device: %s, command: show mpls forwarding json}" % pe["name"])
        for v in pe["vrfs"]:
            o.append("  - {at: converged, device: %s, command: show ip route vrf %s json}" % (pe["name"], v["name"]))
    # One ping per pair of hosts the model says can talk: the data plane agrees with the tables.
    for a in hosts:
        for b in hosts:
            if a[0] != b[0] and a[4] == 0 and b[4] == 0 and reaches(pes, a, b):
                o.append("  - {at: converged + 1s, device: h-%s-%s-0, command: ping %s count 1}"
                         % (a[0], a[3], b[2].replace(".0/24", ".10")))
    print("\n".join(o))


def vrf_of(pes, pe, name):
    return next(v for v in next(p for p in pes if p["name"] == pe)["vrfs"] if v["name"] == name)


def reaches(pes, a, b):
    """Host a reaches host b: each VRF imports a target the other exports."""
    va, vb = vrf_of(pes, a[0], a[3]), vrf_of(pes, b[0], b[3])
    return bool(set(va["import"]) & set(vb["export"])) and bool(set(vb["import"]) & set(va["export"]))


def outputs(text):
    """(device, command) -> output, from netsim run's timeline."""
    res, key, buf = {}, None, []
    for line in text.splitlines():
        m = re.match(r"^\[t=[0-9.]+ms\] (\S+)> (.*)$", line)
        if m or line.startswith("[t=") or line.startswith("Simulation complete"):
            if key is not None:
                res[key] = "\n".join(buf)
            key, buf = (m.group(1), m.group(2)) if m else None, []
            continue
        if key is not None:
            buf.append(line)
    if key is not None:
        res[key] = "\n".join(buf)
    return res


def check(seed, path):
    pes = build(seed)
    out = outputs(open(path).read())
    # Each PE's VPN labels: VRF -> label, from its LFIB.
    labels = {}
    for pe in pes:
        lfib = json.loads(out[(pe["name"], "show mpls forwarding json")])
        labels[pe["name"]] = {nh["vrf"]: int(lbl) for lbl, e in lfib.items()
                              for nh in e["nexthops"] if nh.get("vrf")}
        for v in pe["vrfs"]:
            assert v["name"] in labels[pe["name"]], (pe["name"], v["name"], lfib)
    routes = 0
    for pe in pes:
        for v in pe["vrfs"]:
            want = {}
            for far in pes:
                if far is pe:
                    continue
                for fv in far["vrfs"]:
                    if set(fv["export"]) & set(v["import"]):
                        for lan in fv["lans"]:
                            want[lan] = (far["id"], labels[far["name"]][fv["name"]])
            table = json.loads(out[(pe["name"], "show ip route vrf %s json" % v["name"])])
            got = {}
            for pfx, rs in table.items():
                r = rs[0]
                if r["protocol"] == "connected":
                    assert pfx in v["lans"], (pe["name"], v["name"], pfx)
                    continue
                assert r["protocol"] == "bgp", (pe["name"], v["name"], pfx, r)
                nh = r["nexthops"][0]
                assert nh["vrf"] == "default" and nh["interfaceName"] == "eth0", nh
                got[pfx] = nh["labels"][-1]
            assert sorted(got) == sorted(want), (pe["name"], v["name"], sorted(got), sorted(want))
            for pfx, (far, lbl) in want.items():
                assert got[pfx] == lbl, (pe["name"], v["name"], pfx, got[pfx], lbl)
            routes += len(want)
    pings = [k for k in out if k[1].startswith("ping ")]
    for k in pings:
        assert "1/1 packets received" in out[k], (k, out[k])
    print("seed %d: %d PEs, %d VRFs, %d imported routes, %d pings as the model says" %
          (seed, len(pes), sum(len(p["vrfs"]) for p in pes), routes, len(pings)))


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(int(sys.argv[2]))
    else:
        check(int(sys.argv[2]), sys.argv[3])
