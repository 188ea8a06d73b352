#!/usr/bin/env python3
"""Compare netsim's IS-IS with FRR's isisd on one netsim topology.

Run by tests/frr/isis-compare.sh (see docs/isis.md, "Compared with FRR"). Needs
root, iproute2, FRR (/usr/lib/frr/zebra, isisd, vtysh) and python3-yaml; with
--capture also tshark (dumpcap). Builds one network namespace per IS-IS router
(isx-NAME), veth pairs for links of two routers, a Linux bridge (in the
namespace isxbr) for LANs: links with three or more endpoints, or routers
joined through switch devices. Each router runs zebra and isisd with the
configuration translated from the topology's isis: blocks. netsim runs the
same topology; the IS-IS routes of every router (prefix, metric, next-hop
address and interface) are compared, and with --capture the LSPs each side
sent (TLV by TLV, pseudonode numbers aside). Differences with a known reason
(an FRR 8.4 deviation) are named; the exit status is 1 if any other remains.
--record saves FRR's routes; --replay compares netsim with such a record, and
needs neither root, FRR nor PyYAML (tests/scenario/isis-interop.sh).
"""
import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import time

FRR = "/usr/lib/frr"
NS = "isx-"        # router namespaces: isx-DEVICE
BRNS = "isxbr"     # the namespace of the LAN bridges


def sh(*cmd, check=True, ns=None, **kw):
    if ns:
        cmd = ("ip", "netns", "exec", ns) + cmd
    return subprocess.run(cmd, check=check, text=True, capture_output=True, **kw)


def die(msg):
    sys.exit("isis-compare: " + msg)


# --- the topology ---------------------------------------------------------------------------

class Router:
    def __init__(self, dev, index):
        self.name = dev["name"]
        self.isis = dev.get("isis") or {}
        self.ifs = []  # (name, dict, mac)
        self.linked = set()
        for k, ifc in enumerate(dev.get("interfaces") or []):
            mac = ifc.get("mac") or "02:00:00:%02x:%02x:%02x" % (index >> 8, index & 255, k)
            self.ifs.append((ifc["name"], ifc, mac))

    def record(self):
        return {"isis": self.isis, "ifs": self.ifs, "linked": sorted(self.linked)}

    @classmethod
    def replay(cls, name, rec):
        r = cls({"name": name, "isis": rec["isis"]}, 0)
        r.ifs = [tuple(x) for x in rec["ifs"]]
        r.linked = set(rec["linked"])
        return r


def load(path):
    import yaml  # only here: --replay (run by the test suite) needs no PyYAML
    topo = yaml.safe_load(open(path))
    devs = topo.get("devices") or []
    routers, switches = {}, set()
    for i, d in enumerate(devs):
        kind = d.get("type", "router")
        if kind == "switch":
            switches.add(d["name"])
        elif kind == "router" and "isis" in d:
            routers[d["name"]] = Router(d, i)
    # Segments: links joined through switches (union-find over link numbers).
    links = [l["endpoints"] for l in topo.get("links") or [] if l.get("up", True)]
    linked = {tuple(ep.split(":")) for eps in links for ep in eps}
    parent = list(range(len(links)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    by_switch = {}
    for i, eps in enumerate(links):
        for ep in eps:
            dev = ep.split(":")[0]
            if dev in switches:
                if dev in by_switch:
                    parent[find(i)] = find(by_switch[dev])
                by_switch[dev] = i
    segs = {}
    for i, eps in enumerate(links):
        for ep in eps:
            dev, ifn = ep.split(":")
            if dev in routers:
                segs.setdefault(find(i), []).append((dev, ifn))
    for r in routers.values():
        r.linked = {i for d, i in linked if d == r.name}
    return topo, routers, [s for _, s in sorted(segs.items())]


def isis_if(ifc):
    """The interface's isis: block, or None when IS-IS does not run there."""
    b = ifc.get("isis")
    if b is None:
        return None
    return b or {}


def is_loopback(name):
    return name.startswith("lo")


LEVEL_FRR = {"l1": "level-1", "level-1": "level-1", "l2": "level-2-only",
             "level-2": "level-2-only", "l1l2": "level-1-2", "level-1-2": "level-1-2"}
CIRCUIT_FRR = {"l1": "level-1", "level-1": "level-1", "l2": "level-2", "level-2": "level-2",
               "l1l2": "level-1-2", "level-1-2": "level-1-2"}


def seconds(v):
    if isinstance(v, (int, float)):
        return int(v)
    v = str(v)
    if v.endswith("ms"):
        return max(1, int(float(v[:-2]) / 1000))
    return int(float(v.rstrip("s")))


DEBUG = ["debug isis adj-packets", "debug isis update-packets", "debug isis snp-packets",
         "debug isis packet-dump", "debug isis events"]


def frr_config(r, debug=False):
    """isisd's configuration for router r: netsim's semantics spelled in FRR's terms."""
    c = r.isis
    host = c.get("hostname", r.name)
    out = ["hostname %s" % host, "log file /tmp/isx-frr/%s/isisd.log" % r.name] + (DEBUG if debug else []) + ["!"]
    # The router block first: lsp-gen-interval then holds when the circuits come up
    # (else the first LSP with adjacencies waits for the default 30 s interval).
    out.append("router isis 1")
    # Fast convergence only, neither changes what is computed; first, as any later line
    # (net, lsp-mtu...) schedules an LSP at the interval then in force (30 s by default).
    out.append(" lsp-gen-interval 1")
    out.append(" spf-interval 1")
    nets = c.get("net")
    for n in nets if isinstance(nets, list) else [nets]:
        out.append(" net %s" % n)
    out.append(" is-type %s" % LEVEL_FRR[c.get("level", "l1l2")])
    out.append(" metric-style %s" % c.get("metric_style", "wide"))
    out.append(" lsp-mtu %d" % c.get("lsp_mtu", 1492))
    if c.get("overload"):
        out.append(" set-overload-bit")
    for p in c.get("redistribute") or []:
        proto = p if isinstance(p, str) else p["protocol"]
        lv = c.get("level", "l1l2")
        for l in (["level-1"] if lv in ("l1", "level-1") else
                  ["level-2"] if lv in ("l2", "level-2") else ["level-1", "level-2"]):
            out.append(" redistribute ipv4 %s %s" % (proto, l))
    auth = c.get("auth")
    if auth and auth.get("type") in ("text", "clear", "md5", "hmac-md5"):
        kind = "clear" if auth["type"] in ("text", "clear") else "md5"
        out.append(" area-password %s %s" % (kind, auth["key"]))
        out.append(" domain-password %s %s" % (kind, auth["key"]))
    out.append("exit")
    out.append("!")
    for name, ifc, _ in r.ifs:
        b = isis_if(ifc)
        if b is None or not ifc.get("ip"):
            continue
        out.append("interface %s" % name)
        out.append(" ip router isis 1")
        if "level" in b:
            out.append(" isis circuit-type %s" % CIRCUIT_FRR[b["level"]])
        if b.get("network_type") in ("point-to-point", "p2p"):
            out.append(" isis network point-to-point")
        # netsim: loopbacks are passive, advertised at 0 unless a metric is given.
        metric = b.get("metric", 0 if is_loopback(name) else 10)
        out.append(" isis metric %d" % metric)
        if b.get("passive") or is_loopback(name):
            out.append(" isis passive")
        if "priority" in b:
            out.append(" isis priority %d" % b["priority"])
        if "hello" in b:
            out.append(" isis hello-interval %d" % seconds(b["hello"]))
        if "hold_multiplier" in b:
            out.append(" isis hello-multiplier %d" % b["hold_multiplier"])
        if b.get("padding") is False:
            out.append(" no isis hello padding")
        out.append("exit")
        out.append("!")
    return "\n".join(out) + "\n"


def unsupported(routers):
    """What FRR 8.4 cannot be configured for, or this harness does not build: refused."""
    why = []
    for r in routers.values():
        if r.isis.get("leak"):
            why.append("%s: leak (FRR 8.4 has no L2->L1 redistribution; drop leak: to compare)" % r.name)
        for name, ifc, _ in r.ifs:
            if "." in name or len(name) > 15:
                why.append("%s:%s: sub-interfaces and names over 15 characters" % (r.name, name))
            if isis_if(ifc) and isis_if(ifc).get("auth"):
                why.append("%s:%s: interface auth" % (r.name, name))
        if any(isinstance(p, dict) or p != "connected" for p in r.isis.get("redistribute") or []):
            why.append("%s: only redistribute: [connected] is translated" % r.name)
    return why


# --- building and tearing down the namespaces -----------------------------------------------

def teardown(routers):
    for name in list(routers) + [None]:
        ns = NS + name if name else BRNS
        rundir = "/var/run/frr/%s" % ns
        for d in ("isisd", "zebra"):
            pidf = "%s/%s.pid" % (rundir, d)
            if os.path.exists(pidf):
                try:
                    os.kill(int(open(pidf).read().strip()), 15)
                except (ProcessLookupError, ValueError):
                    pass
        sh("ip", "netns", "del", ns, check=False)
    time.sleep(1)


def build(routers, segs):
    shutil.rmtree("/tmp/isx-frr", ignore_errors=True)
    os.makedirs("/tmp/isx-frr")
    have = set(sh("ip", "netns", "list").stdout.split())
    for name in routers:
        if NS + name in have:
            die("namespace %s exists (another comparison running? --teardown)" % (NS + name))
    sh("ip", "netns", "add", BRNS)
    placed = set()
    for name in routers:
        sh("ip", "netns", "add", NS + name)
        sh("ip", "link", "set", "lo", "up", ns=NS + name)
    for k, seg in enumerate(segs):
        if len(seg) == 1:
            continue  # a router and hosts only: built below as a lone interface
        if len(seg) == 2:
            (a, ai), (b, bi) = seg
            sh("ip", "link", "add", ai, "netns", NS + a, "type", "veth", "peer", "name", bi, "netns", NS + b)
            placed |= {(a, ai), (b, bi)}
        else:
            br = "br%d" % k
            sh("ip", "link", "add", br, "type", "bridge", "stp_state", "0", ns=BRNS)
            sh("ip", "link", "set", br, "up", ns=BRNS)
            for j, (d, i) in enumerate(seg):
                port = "p%d.%d" % (k, j)
                sh("ip", "link", "add", i, "netns", NS + d, "type", "veth", "peer", "name", port, "netns", BRNS)
                sh("ip", "link", "set", port, "master", br, ns=BRNS)
                sh("ip", "link", "set", port, "up", ns=BRNS)
                placed.add((d, i))
    for r in routers.values():
        ns = NS + r.name
        for n, (name, ifc, mac) in enumerate(r.ifs):
            if name == "lo":
                pass
            elif (r.name, name) not in placed:
                # A loopback other than lo, or an interface without an IS-IS neighbour:
                # a veth whose peer stays in the namespace (the kernel has no dummy here).
                sh("ip", "link", "add", name, "type", "veth", "peer", "name", "x%d" % n, ns=ns)
                sh("ip", "link", "set", "x%d" % n, "up", ns=ns)
            if name != "lo":
                sh("ip", "link", "set", name, "address", mac, ns=ns)
                # Down as in netsim: shut down, or a non-loopback interface on no link.
                if not ifc.get("shutdown") and (is_loopback(name) or name in r.linked):
                    sh("ip", "link", "set", name, "up", ns=ns)
            if ifc.get("ip"):
                sh("ip", "addr", "add", ifc["ip"], "dev", name, ns=ns)


def start_frr(routers, workdir, debug=False):
    for r in routers.values():
        ns = NS + r.name
        d = "/tmp/isx-frr/%s" % r.name
        run = "/var/run/frr/%s" % ns
        os.makedirs(d, exist_ok=True)
        os.makedirs(run, exist_ok=True)
        shutil.chown(run, "frr", "frr")
        shutil.chown(d, "frr", "frr")
        open(d + "/zebra.conf", "w").write("hostname %s\n" % r.name)
        conf = frr_config(r, debug)
        open(d + "/isisd.conf", "w").write(conf)
        open(os.path.join(workdir, "frr-%s.conf" % r.name), "w").write(conf)
        sh(FRR + "/zebra", "-N", ns, "-d", "-f", d + "/zebra.conf", "-i", run + "/zebra.pid", ns=ns)
    time.sleep(1)
    for r in routers.values():
        ns = NS + r.name
        d = "/tmp/isx-frr/%s" % r.name
        sh(FRR + "/isisd", "-N", ns, "-d", "-f", d + "/isisd.conf", "-i",
           "/var/run/frr/%s/isisd.pid" % ns, ns=ns)


def capture_start(segs, routers, workdir):
    procs = []
    for k, seg in enumerate(segs):
        if len(seg) == 1:
            continue
        if len(seg) == 2:
            (d, i), _ = seg
            ns, dev = NS + d, i
        else:
            ns, dev = BRNS, "br%d" % k
        f = os.path.join(workdir, "frr-seg%d.pcap" % k)
        procs.append(subprocess.Popen(["ip", "netns", "exec", ns, "dumpcap", "-q", "-P", "-i", dev, "-w", f],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    time.sleep(2)
    return procs


# --- routes ---------------------------------------------------------------------------------

def vtysh(r, cmd):
    return sh("vtysh", "-N", NS + r, "-c", cmd, check=False).stdout


def isis_routes(rib, codes=None):
    """{prefix: (metric, ((nexthop, interface), ...))} of the IS-IS routes of a route JSON
    (with codes, also {prefix: code} into it)."""
    out = {}
    for pfx, entries in rib.items():
        for e in entries:
            if e.get("protocol") != "isis":
                continue
            hops = tuple(sorted((h.get("ip", "-"), h.get("interfaceName", "-")) for h in e.get("nexthops", [])))
            out[pfx] = (e.get("metric"), hops)
            if codes is not None:
                codes[pfx] = e.get("code", "")
    return out


def frr_routes(routers):
    res = {}
    for r in routers:
        try:
            res[r] = isis_routes(json.loads(vtysh(r, "show ip route json") or "{}"))
        except json.JSONDecodeError:
            res[r] = None
    return res


def frr_converge(routers, wait_min, timeout, every=3, stable=4):
    t0 = time.time()
    last, same = None, 0
    while time.time() - t0 < timeout:
        time.sleep(every)
        cur = frr_routes(routers)
        same = same + 1 if cur == last else 0
        last = cur
        if same >= stable and time.time() - t0 >= wait_min:
            return cur, time.time() - t0
    return last, None


def netsim_run(netsim, path, routers, workdir, pcapdir):
    """netsim's IS-IS routes {router: routes} and codes, from the topology with its script
    replaced by one `show ip route json` and `show isis database` per router."""
    text = open(path).read().split("\nscript:")[0].rstrip("\n") + "\nscript:\n"
    for cmd in ("show ip route json", "show isis database"):
        text += "".join("  - {at: converged, device: %s, command: %s}\n" % (r, cmd) for r in routers)
    p = os.path.join(workdir, "netsim-topology.yaml")
    open(p, "w").write(text)
    cmd = [netsim, "run", "--json", p]
    cmd[2:2] = ["--pcap", pcapdir]
    r = subprocess.run(cmd, text=True, capture_output=True)
    if r.returncode != 0 and not r.stdout:
        die("netsim failed: %s" % r.stderr)
    rep = json.loads(r.stdout)
    res, codes = {}, {}
    for o in rep["outputs"]:
        if o["command"] == "show ip route json":
            codes[o["device"]] = {}
            res[o["device"]] = isis_routes(json.loads(o["output"]), codes[o["device"]])
        else:
            open(os.path.join(workdir, "netsim-%s.db" % o["device"]), "w").write(o["output"])
    return res, codes, rep


def subnet(cidr):
    import ipaddress
    return str(ipaddress.ip_interface(cidr).network)


def prefixes(routers):
    """{router: its IS-IS interface subnets}."""
    return {r.name: {subnet(ifc["ip"]) for _, ifc, _ in r.ifs if ifc.get("ip") and isis_if(ifc) is not None}
            for r in routers.values()}


def lsp_names(routers):
    names = {}
    for r in routers.values():
        net = r.isis["net"]
        net = net[0] if isinstance(net, list) else net
        names[bytes.fromhex(net.replace(".", "")[-14:-2])] = r.name
    return names


def propagated(pcaps, routers):
    """The prefixes netsim's level 1-2 routers carry in their L2 LSPs from their L1 routes
    (RFC 1195 3.2): those not on an IS-IS interface of the advertiser."""
    own = prefixes(routers)
    names = lsp_names(routers)
    out = set()
    for (lv, lid), (_, tlvs, flags) in lsps_of(pcaps).items():
        r = names.get(bytes(lid[:6]))
        if lv != 2 or lid[6] or r is None:
            continue
        for x in decode_tlvs(tlvs, {}, flags):
            f = x.split()
            if f[0] in ("135", "128") and f[1] == "ip" and f[2] not in own[r]:
                out.add(f[2])
    return out


def lsp_bits(text):
    """{(level, LSP ID): "ATT/P/OL"} from a `show isis database` (netsim's or FRR's)."""
    out, level = {}, 0
    for line in text.splitlines():
        if "Level-1 link-state database" in line:
            level = 1
        elif "Level-2 link-state database" in line:
            level = 2
        f = line.split()
        if level and f and f[-1].count("/") == 2 and "-" in f[0]:
            out[(level, f[0])] = f[-1]
    return out


def att_only_frr(out, routers):
    """The L1 LSPs FRR sets ATT in and netsim does not."""
    ns, fr = {}, {}
    for r in routers:
        for side, d in (("netsim", ns), ("frr", fr)):
            f = os.path.join(out, "%s-%s.db" % (side, r))
            if os.path.exists(f):
                d.update(lsp_bits(open(f).read()))
    return sorted(k[1] for k, v in fr.items() if k[0] == 1 and v.startswith("1/") and ns.get(k, "0/").startswith("0/"))


def parallel(r, hops_a, hops_b, routers):
    """Do two next-hop sets reach the same neighbours, one of which r shares several
    links with, by different interfaces?"""
    owner = {ifc["ip"].split("/")[0]: x.name for x in routers.values() for _, ifc, _ in x.ifs if ifc.get("ip")}
    na = sorted(owner.get(h[0], h[0]) for h in hops_a)
    nb = sorted(owner.get(h[0], h[0]) for h in hops_b)
    if na != nb:
        return False
    mine = {subnet(ifc["ip"]) for _, ifc, _ in routers[r].ifs if ifc.get("ip")}
    for n in set(na):
        theirs = {subnet(ifc["ip"]) for _, ifc, _ in routers[n].ifs if ifc.get("ip")} if n in routers else set()
        if len(mine & theirs) > 1:
            return True
    return False


def diff_routes(r, ns, codes, fr, routers, l1up, att):
    """The differing routes of router r, each with the known reason when there is one; and
    how many FRR routes to r's own subnets were left out."""
    connected = {subnet(ifc["ip"]) for _, ifc, _ in routers[r].ifs if ifc.get("ip")}
    # Routes to the router's own subnets are never selected (connected wins) and are left
    # out. FRR's SPF reaches most of them through a neighbour (wide metrics: its own prefixes
    # are old-style vertices, which a neighbour's new-style one replaces); netsim counts its
    # own prefix at the metric it advertises (ISO 10589 C.2.4), so a neighbour advertising it
    # cheaper gives a route too.
    dropped = sorted(p for p in fr if p in connected)
    mine = sorted(p for p in ns if p in connected)
    fr = {p: v for p, v in fr.items() if p not in connected}
    ns = {p: v for p, v in ns.items() if p not in connected}
    lines, unexplained = [], 0
    fmt = lambda x: "none" if x is None else "%s via %s" % (x[0], ", ".join("%s %s" % h for h in x[1]))
    for p in sorted(set(ns) | set(fr), key=lambda s: (s.split("/")[0].count("."), s)):
        a, b = ns.get(p), fr.get(p)
        if a == b:
            continue
        why = ""
        if a and b and a[0] == b[0] and parallel(r, a[1], b[1], routers):
            why = "  [FRR picks the adjacency by system ID: parallel LANs to one neighbour]"
        elif codes.get(p) == "i L2" and p in l1up:
            why = "  [FRR 8.4 puts no L1 routes in its L2 LSP]"
        elif p == "0.0.0.0/0" and att:
            why = "  [FRR sets ATT in %s]" % " ".join(att)
        else:
            unexplained += 1
        lines.append("  %-18s netsim: %-34s frr: %s%s" % (p, (codes.get(p, "") + " " + fmt(a)).strip(), fmt(b), why))
    return lines, unexplained, dropped, mine


# --- LSPs -----------------------------------------------------------------------------------

def pcap_frames(path):
    data = open(path, "rb").read()
    if len(data) < 24:
        return
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    off = 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(end + "IIII", data[off:off + 16])
        yield data[off + 16:off + 16 + incl]
        off += 16 + incl


def lsps_of(paths):
    """{(level, lsp id bytes): (seq, [(type, value)])}: the newest of each LSP sent."""
    out = {}
    for path in paths:
        for f in pcap_frames(path):
            if len(f) < 17 + 27 or f[14:17] != b"\xfe\xfe\x03" or f[17] != 0x83:
                continue
            pdu = f[17:]
            ptype = pdu[4] & 0x1f
            if ptype not in (18, 20):
                continue
            plen = struct.unpack(">H", pdu[8:10])[0]
            life = struct.unpack(">H", pdu[10:12])[0]
            lid = pdu[12:20]
            seq = struct.unpack(">I", pdu[20:24])[0]
            if life == 0:
                continue
            tlvs, o = [], 27
            while o + 2 <= plen:
                t, l = pdu[o], pdu[o + 1]
                tlvs.append((t, pdu[o + 2:o + 2 + l]))
                o += 2 + l
            key = (1 if ptype == 18 else 2, lid)
            if key not in out or out[key][0] < seq:
                out[key] = (seq, tlvs, pdu[26])
    return out


def sysid(b):
    return "%02x%02x.%02x%02x.%02x%02x" % tuple(b[:6])


def decode_tlvs(tlvs, names, flags):
    """A comparable description: the TLV types and their contents (pseudonodes as SYS.PN)."""
    nm = lambda b: names.get(bytes(b[:6]), sysid(b)) + (".PN" if b[6] else "")
    res = ["flags att=%d ol=%d type=%d" % ((flags >> 3) & 15, (flags >> 2) & 1, flags & 3)]
    for t, v in tlvs:
        if t == 1:
            a, o = [], 0
            while o < len(v):
                a.append(v[o + 1:o + 1 + v[o]].hex())
                o += 1 + v[o]
            res.append("1 areas %s" % sorted(a))
        elif t == 22:
            o = 0
            while o + 11 <= len(v):
                sl = v[o + 10]
                res.append("22 is %s metric %d subtlvs %d" % (nm(v[o:o + 7]), int.from_bytes(v[o + 7:o + 10], "big"), sl))
                o += 11 + sl
        elif t == 2:
            o = 1
            while o + 11 <= len(v):
                res.append("2 is %s metric %d" % (nm(v[o + 4:o + 11]), v[o] & 63))
                o += 11
        elif t == 135:
            o = 0
            while o + 5 <= len(v):
                m = struct.unpack(">I", v[o:o + 4])[0]
                c = v[o + 4]
                pl = c & 63
                nb = (pl + 7) // 8
                pfx = bytes(v[o + 5:o + 5 + nb]) + bytes(4 - nb)
                o += 5 + nb
                sub = 0
                if c & 64:
                    sub = v[o]
                    o += 1 + sub
                res.append("135 ip %d.%d.%d.%d/%d metric %d down %d subtlvs %d" % (*pfx, pl, m, c >> 7, sub))
        elif t in (128, 130):
            for o in range(0, len(v) - 11, 12):
                res.append("%d ip %d.%d.%d.%d/%s metric %d down %d" % (
                    t, *v[o + 4:o + 8], bin(int.from_bytes(v[o + 8:o + 12], "big")).count("1"),
                    v[o] & 63, v[o] >> 7))
        elif t == 137:
            res.append("137 hostname %s" % bytes(v).decode(errors="replace"))
        elif t == 132:
            res.append("132 addresses %s" % sorted("%d.%d.%d.%d" % tuple(v[o:o + 4]) for o in range(0, len(v), 4)))
        elif t == 129:
            res.append("129 protocols %s" % v.hex())
        else:
            res.append("%d len %d" % (t, len(v)))
    return sorted(res)


def lsp_reason(level, lid, side, line, other, l1up, foreign=()):
    """Why an LSP line is on one side only, when the reason is known; else None."""
    if side == "frr" and line.split()[0] in ("134", "242"):
        return "FRR adds its TE router ID and router capability"
    if line.startswith("132 "):
        mine = set(json.loads(line.split(" ", 2)[2].replace("'", '"')))
        theirs = [x for x in other if x.startswith("132 ")]
        if theirs and (mine <= set(json.loads(theirs[0].split(" ", 2)[2].replace("'", '"'))) or
                       set(json.loads(theirs[0].split(" ", 2)[2].replace("'", '"'))) <= mine):
            return "FRR lists only its router ID in TLV 132"
    if line.startswith("flags"):
        theirs = [x for x in other if x.startswith("flags")]
        if theirs and theirs[0].replace("att=1", "att=0") == line.replace("att=1", "att=0"):
            if ".PN" in lid:
                return "FRR copies the ATT bit into pseudonode LSPs"
            if "att=1" in (line if side == "frr" else theirs[0]):
                return "FRR sets ATT with any L2 adjacency up"
    if side == "frr" and level == 1 and line.split()[0] in ("22", "2") and line.split()[2] in foreign:
        return "FRR lists a point-to-point L2 adjacency in its L1 LSP (by the neighbour's circuit type)"
    if side == "netsim" and level == 2 and line.split()[0] in ("135", "128") and line.split()[2] in l1up \
            and ".PN" not in lid:
        return "FRR 8.4 puts no L1 routes in its L2 LSP"
    return None


def diff_lsps(netsim_pcaps, frr_pcaps, routers, l1up):
    names = {k: routers[v].isis.get("hostname", v) for k, v in lsp_names(routers).items()}
    # For each router (by hostname), the routers sharing no area address with it.
    areas = {r.isis.get("hostname", r.name): {n.replace(".", "")[:-14] for n in
                                               (r.isis["net"] if isinstance(r.isis["net"], list) else [r.isis["net"]])}
             for r in routers.values()}
    foreign = {a: {b for b in areas if not areas[a] & areas[b]} for a in areas}
    a, b = lsps_of(netsim_pcaps), lsps_of(frr_pcaps)
    def members(tlvs):
        """The routers a pseudonode LSP lists: what names a LAN (pseudonode numbers differ)."""
        ids = []
        for t, v in tlvs:
            step, first = (11, 0) if t == 22 else (11, 1) if t == 2 else (0, 0)
            o = first
            while step and o + 7 <= len(v):
                ids.append(names.get(bytes(v[o + (4 if t == 2 else 0):][:6]), "?"))
                o += step + (v[o + 10] if t == 22 else 0)
        return "{%s}" % ",".join(sorted(ids))

    norm = lambda d: {(lv, names.get(bytes(k[:6]), sysid(k)) + (".PN" + members(v[1]) if k[6] else "")
                       + "-%02x" % k[7]): v for (lv, k), v in d.items()}
    a, b = norm(a), norm(b)
    lines, known, unexplained = [], {}, 0
    for k in sorted(set(a) | set(b)):
        if k not in a or k not in b:
            lines.append("  L%d %s: only %s" % (k[0], k[1], "netsim" if k in a else "frr"))
            unexplained += 1
            continue
        ta = decode_tlvs(a[k][1], names, a[k][2])
        tb = decode_tlvs(b[k][1], names, b[k][2])
        head = False
        for side, mine, other in (("netsim", ta, tb), ("frr", tb, ta)):
            for x in mine:
                if x in other:
                    continue
                why = lsp_reason(k[0], k[1], side, x, [y for y in other if y not in mine], l1up,
                                 foreign.get(k[1].split("-")[0].split(".")[0], ()))
                if why:
                    known.setdefault(why, set()).add("L%d %s" % k)
                    continue
                if not head:
                    lines.append("  L%d %s:" % k)
                    head = True
                lines.append("    %-6s only: %s" % (side, x))
                unexplained += 1
    for why, where in sorted(known.items()):
        lines.append("  known: %s (%d LSPs)" % (why, len(where)))
    return lines, unexplained, len(a)


# --- main -----------------------------------------------------------------------------------

def report(routers, ns_routes, ns_codes, fr_routes, ns_pcaps, att):
    """Print the per-router comparison; the number of unexplained differences."""
    differ = 0
    l1up = propagated(ns_pcaps, routers)
    if att:
        print("FRR sets ATT (an L2 adjacency is up) where netsim does not (no other area reachable): %s"
              % " ".join(att))
    for r in routers:
        d, bad, dropped, mine = diff_routes(r, ns_routes.get(r, {}), ns_codes.get(r, {}), fr_routes.get(r) or {},
                                            routers, l1up, att)
        print("%-10s %3d routes: %s%s%s" % (r, len(ns_routes.get(r, {})) - len(mine),
                                           "equal" if not d else "%d differ (%d unexplained)" % (len(d), bad),
                                           "; FRR also routes to its own %s" % " ".join(dropped) if dropped else "",
                                           "; netsim also to its own %s" % " ".join(mine) if mine else ""))
        for line in d:
            print(line)
        differ += bad
    return differ, l1up


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("topology")
    ap.add_argument("--netsim", default="./netsim")
    ap.add_argument("--out", default=None, help="directory for configs, outputs and captures")
    ap.add_argument("--wait", type=float, default=20, help="seconds FRR runs at least (default 20)")
    ap.add_argument("--timeout", type=float, default=180)
    ap.add_argument("--capture", action="store_true", help="also compare the LSPs sent (dumpcap)")
    ap.add_argument("--debug", action="store_true", help="isisd logs its packets (/tmp/isx-frr/R/isisd.log)")
    ap.add_argument("--keep", action="store_true", help="leave the namespaces running")
    ap.add_argument("--teardown", action="store_true", help="only remove what a --keep run left")
    ap.add_argument("--record", metavar="FILE", help="save FRR's routes (and what explaining needs) as JSON")
    ap.add_argument("--replay", metavar="FILE", help="no FRR: compare netsim with the routes a --record saved")
    a = ap.parse_args()
    out = a.out or os.path.join("/tmp", "isis-compare-" + os.path.basename(a.topology).rsplit(".", 1)[0])
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    pcapdir = os.path.join(out, "netsim-pcap")
    os.makedirs(pcapdir)
    if a.replay:
        rec = json.load(open(a.replay))
        routers = {n: Router.replay(n, x) for n, x in rec["routers"].items()}
        ns_routes, ns_codes, rep = netsim_run(a.netsim, a.topology, routers, out, pcapdir)
        fr_routes = {r: {p: (v[0], tuple(tuple(h) for h in v[1])) for p, v in x.items()}
                     for r, x in rec["routes"].items()}
        ns_pcaps = [os.path.join(pcapdir, f) for f in sorted(os.listdir(pcapdir))]
        print("netsim against FRR %s's routes recorded in %s" % (rec["frr"], a.replay))
        differ, _ = report(routers, ns_routes, ns_codes, fr_routes, ns_pcaps, rec["att"])
        return 1 if differ else 0
    _, routers, segs = load(a.topology)
    if a.teardown:
        teardown(routers)
        return 0
    if os.geteuid() != 0:
        die("needs root (network namespaces)")
    why = unsupported(routers)
    if why:
        die("cannot compare this topology:\n  " + "\n  ".join(why))
    ns_routes, ns_codes, rep = netsim_run(a.netsim, a.topology, routers, out, pcapdir)
    if not rep.get("converged"):
        print("netsim did not converge")
    caps = []
    try:
        build(routers, segs)
        if a.capture:
            caps = capture_start(segs, routers, out)
        start_frr(routers, out, a.debug)
        fr_routes, took = frr_converge(list(routers), a.wait, a.timeout)
        print("FRR %s" % ("stable after %.0f s" % took if took else "NOT stable within %d s" % a.timeout))
        for r in routers:
            for cmd, f in (("show isis route", "route"), ("show isis database detail", "db"),
                           ("show isis neighbor", "nbr"), ("show ip route", "rib")):
                open(os.path.join(out, "frr-%s.%s" % (r, f)), "w").write(vtysh(r, cmd))
    finally:
        for p in caps:
            p.terminate()
            p.wait()
        if not a.keep:
            teardown(routers)
    ns_pcaps = [os.path.join(pcapdir, f) for f in sorted(os.listdir(pcapdir))]
    att = att_only_frr(out, routers)
    differ, l1up = report(routers, ns_routes, ns_codes, fr_routes, ns_pcaps, att)
    if a.record:
        version = sh(FRR + "/isisd", "--version", check=False).stdout.split("\n")[0].split()[-1]
        json.dump({"frr": version, "att": att, "routers": {n: r.record() for n, r in routers.items()},
                   "routes": {r: {p: [v[0], v[1]] for p, v in sorted(x.items())} for r, x in fr_routes.items()}},
                  open(a.record, "w"), sort_keys=True, separators=(",", ":"))
        open(a.record, "a").write("\n")
    if a.capture:
        frr_pcaps = [os.path.join(out, f) for f in sorted(os.listdir(out)) if f.endswith(".pcap")]
        d, bad, n = diff_lsps(ns_pcaps, frr_pcaps, routers, l1up)
        print("LSPs: %d compared, %s" % (n, "%d unexplained differences" % bad if bad else
                                         "same TLVs and metrics but for the known differences"))
        for line in d:
            print(line)
        differ += bad
    print("outputs in %s" % out)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
