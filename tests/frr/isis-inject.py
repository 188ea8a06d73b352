#!/usr/bin/env python3
"""Does FRR's isisd accept the PDUs netsim sends? Plays one router of a topology with FRR and
its neighbours with netsim's captured frames.

    tests/frr/isis-inject.py [--netsim ./netsim] [--seconds 40] TOPOLOGY.yaml ROUTER

netsim runs the topology with --pcap; FRR (zebra, isisd with packet debugging) runs ROUTER
alone in the namespace isx-ROUTER, each interface a veth whose other end is in the namespace
isxinj. There, what ROUTER's neighbours sent in netsim (every frame of ROUTER's links whose
source MAC address is not ROUTER's, in capture order) is sent again every 3 seconds, so their
Hellos keep the adjacencies up. FRR's interfaces have netsim's MAC addresses, so netsim's
LAN Hellos list FRR as their neighbour (point-to-point ones name netsim's circuit ID in the
three-way TLV, which FRR's is not: such adjacencies stay Initializing). Prints FRR's
adjacencies, database and IS-IS routes, the routes compared with netsim's for ROUTER, and the
log lines where isisd refused or doubted a PDU. Needs root, FRR, python3-yaml.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import isis_compare as ic  # noqa: E402

SENDER = r'''
import socket, sys, time
ifs = {}
frames = []
for line in open(sys.argv[1]):
    dev, hexf = line.split()
    frames.append((dev, bytes.fromhex(hexf)))
for dev, _ in frames:
    if dev not in ifs:
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        s.bind((dev, 0))
        ifs[dev] = s
end = time.time() + float(sys.argv[2])
while time.time() < end:
    for dev, f in frames:
        ifs[dev].send(f)
        time.sleep(0.002)
    time.sleep(3)
'''

# Not about netsim's PDUs: a level 1-2 neighbour's level 2 LAN Hellos on a level 1 circuit
# (ISO 10589 8.4.1 has them ignored there), and isisd's closed standard error as a daemon.
EXPECTED = ("Interface level mismatch", "write error on fd 2")
SUSPECT = ("error", "invalid", "discard", "drop", "mismatch", "bad ", "checksum", "unknown", "ignor",
           "malformed", "fail", "wrong", "not for us", "reject")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("topology")
    ap.add_argument("router")
    ap.add_argument("--netsim", default="./netsim")
    ap.add_argument("--seconds", type=float, default=40)
    a = ap.parse_args()
    _, routers, _ = ic.load(a.topology)
    r = routers[a.router]
    work = tempfile.mkdtemp(prefix="isis-inject-")
    pcaps = os.path.join(work, "pcap")
    os.makedirs(pcaps)
    ns_routes, ns_codes, _ = ic.netsim_run(a.netsim, a.topology, routers, work, pcaps)
    mine = {mac.lower() for _, _, mac in r.ifs}
    frames = []
    for f in sorted(os.listdir(pcaps)):
        ends = f[:-len(".pcap")].split("--")
        for name, _, _ in r.ifs:
            if "%s-%s" % (r.name, name) in ends:
                for fr in ic.pcap_frames(os.path.join(pcaps, f)):
                    src = ":".join("%02x" % b for b in fr[6:12])
                    if src not in mine and fr[14:17] == b"\xfe\xfe\x03":
                        frames.append("%s %s\n" % (name, fr.hex()))
    open(os.path.join(work, "frames"), "w").writelines(frames)
    print("%d IS-IS frames of %s's neighbours from netsim" % (len(frames), r.name))
    ns, inj = ic.NS + r.name, "isxinj"
    ic.teardown({r.name: r})
    ic.sh("ip", "netns", "del", inj, check=False)
    try:
        ic.sh("ip", "netns", "add", ns)
        ic.sh("ip", "netns", "add", inj)
        ic.sh("ip", "link", "set", "lo", "up", ns=ns)
        for name, ifc, mac in r.ifs:
            if name != "lo":
                ic.sh("ip", "link", "add", name, "netns", ns, "type", "veth", "peer", "name", name, "netns", inj)
                ic.sh("ip", "link", "set", name, "address", mac, ns=ns)
                ic.sh("ip", "link", "set", name, "up", ns=ns)
                ic.sh("ip", "link", "set", name, "up", ns=inj)
            if ifc.get("ip"):
                ic.sh("ip", "addr", "add", ifc["ip"], "dev", name, ns=ns)
        d, run = "/tmp/isx-frr/%s" % r.name, "/var/run/frr/%s" % ns
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        os.makedirs(run, exist_ok=True)
        shutil.chown(run, "frr", "frr")
        shutil.chown(d, "frr", "frr")
        open(d + "/zebra.conf", "w").write("hostname %s\n" % r.name)
        open(d + "/isisd.conf", "w").write(ic.frr_config(r, debug=True))
        ic.sh(ic.FRR + "/zebra", "-N", ns, "-d", "-f", d + "/zebra.conf", "-i", run + "/zebra.pid", ns=ns)
        time.sleep(1)
        ic.sh(ic.FRR + "/isisd", "-N", ns, "-d", "-f", d + "/isisd.conf", "-i", run + "/isisd.pid", ns=ns)
        time.sleep(1)
        sender = subprocess.Popen(["ip", "netns", "exec", inj, "python3", "-c", SENDER,
                                   os.path.join(work, "frames"), str(a.seconds)])
        sender.wait()
        for cmd in ("show isis neighbor", "show isis database", "show isis route"):
            print("--- FRR %s: %s" % (r.name, cmd))
            print(ic.vtysh(r.name, cmd).strip())
        # FRR's decision on netsim's LSPs against netsim's own routes for this router.
        fr = ic.isis_routes(json.loads(ic.vtysh(r.name, "show ip route json") or "{}"))
        diff, bad, _, _ = ic.diff_routes(r.name, ns_routes.get(r.name, {}), ns_codes.get(r.name, {}), fr,
                                      routers, set(), [])
        print("--- FRR's routes from netsim's PDUs against netsim's %d routes: %s"
              % (len(ns_routes.get(r.name, {})), "equal" if not diff else "%d differ" % len(diff)))
        for line in diff:
            print(line)
        log = open(d + "/isisd.log").read().splitlines()
        bad = [l for l in log if any(w in l.lower() for w in SUSPECT) and not any(e in l for e in EXPECTED)]
        print("--- isisd log: %d lines, %d suspicious (not counting %d expected)"
              % (len(log), len(bad), sum(any(e in l for e in EXPECTED) for l in log)))
        for l in bad[:40]:
            print(l)
        shutil.copy(d + "/isisd.log", os.path.join(work, "isisd.log"))
        print("outputs in %s" % work)
    finally:
        ic.teardown({r.name: r})
        ic.sh("ip", "netns", "del", inj, check=False)


if __name__ == "__main__":
    main()
