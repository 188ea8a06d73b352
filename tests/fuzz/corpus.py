#!/usr/bin/env python3
"""corpus.py: seed corpora for the fuzz harnesses (docs/fuzzing.md).

python3 tests/fuzz/corpus.py OUTDIR [SHARED [NETSIM]]  writes OUTDIR/fuzz_NAME/ for each harness:
  fuzz_dissect     every frame of the real captures (SHARED/captures/**.pcap, .pcapng),
                   prefixed with the control byte of its link type
  fuzz_ospf_rx     the OSPF packets among them (IPv4 protocol 89), with the control
                   byte that makes r1 take them as its neighbour's (see fuzz_ospf_rx.c)
  fuzz_isis_pdu    the IS-IS PDUs among them (802.2 LLC or Cisco HDLC, NLPID 0x83 on)
  fuzz_isis_rx     those PDUs and the ones of `NETSIM run --pcap` on the IS-IS test
                   topologies (one of them with HMAC-MD5), with the control octets
                   that make r1 take them as its neighbour's (see fuzz_isis_rx.c)
  fuzz_bgp_msg     the BGP messages among them (TCP port 179), each after the control
                   octets for a 2- and a 4-octet AS session, and a 4-octet one that
                   reads VPN-IPv4 (see fuzz_bgp_msg.c)
  fuzz_bfd         the BFD Control packets among them (UDP 3784, 4784, 6784, 7784), each
                   after control octets that make r1 take it as its peer's (fuzz_bfd.c)
  fuzz_ldp_msg     the LDP payloads among them (UDP and TCP port 646), as they are
  fuzz_yaml        topologies/*.yaml and tests/yaml-bad/*.yaml
  fuzz_daemon_req  the lines of tests/fuzz/requests.txt
  fuzz_intents     tests/fuzz/intents.yaml, whole and each intent alone
  fuzz_mrt         tests/bgp/*.mrt (the route feeder's TABLE_DUMP_V2 fixture)
Files are named by content hash, so rerunning adds nothing twice.
"""
import glob
import hashlib
import os
import re
import struct
import subprocess
import sys
import tempfile

# The harness's link-type table (fuzz_dissect.c): control byte -> pcap link type.
LINKTYPES = {1: 0, 101: 1, 228: 2, 113: 3, 0: 4, 9: 5, 104: 6}
OSPF_CTL = 0x0f  # length, neighbour's router ID and area, LSA and packet checksums
# fuzz_isis_rx.c's control bits: header, PDU length, source ID, LSP checksum; the LSP ID
# r2's (or r1's own), the point-to-point circuit for a P2P IIH, signed on the
# authenticated network.
ISIS_FIX, ISIS_LSPID_R2, ISIS_LSPID_R1, ISIS_AUTH, ISIS_P2P = 0x27, 0x08, 0x10, 0xc0, 0x1000
ISIS_KEY = "fuzz-key"


def pcap_frames(path):
    """(linktype, bytes) of each frame of a pcap or pcapng file; [] if unreadable."""
    data = open(path, "rb").read()
    out = []
    if len(data) < 24:
        return out
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = "<" if magic[0] in (0xd4, 0x4d) else ">"
        lt = struct.unpack(e + "I", data[20:24])[0]
        off = 24
        while off + 16 <= len(data):
            incl = struct.unpack(e + "I", data[off + 8:off + 12])[0]
            out.append((lt, data[off + 16:off + 16 + incl]))
            off += 16 + incl
    elif magic == b"\x0a\x0d\x0d\x0a":
        e, off, ifs = "<", 0, []
        while off + 12 <= len(data):
            btype = struct.unpack(e + "I", data[off:off + 4])[0]
            if btype == 0x0a0d0d0a:
                e = "<" if data[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
                ifs = []
            blen = struct.unpack(e + "I", data[off + 4:off + 8])[0]
            if blen < 12:
                break
            body = data[off + 8:off + blen - 4]
            if btype == 1:
                ifs.append(struct.unpack(e + "H", body[:2])[0])
            elif btype == 6 and len(body) >= 20:
                iface, _, _, cap = struct.unpack(e + "IIII", body[:16])
                if iface < len(ifs):
                    out.append((ifs[iface], body[20:20 + cap]))
            elif btype == 3 and ifs:
                out.append((ifs[0], body[4:]))
            off += blen
    return out


def eth_inner(frame):
    """(type or 802.3 length, payload) of an Ethernet frame past its 802.1Q tags."""
    off, etype = 12, struct.unpack(">H", frame[12:14])[0]
    while etype in (0x8100, 0x88a8) and len(frame) >= off + 6:
        off += 4
        etype = struct.unpack(">H", frame[off:off + 2])[0]
    return etype, frame[off + 2:]


def ipv4_of(lt, frame):
    """The IPv4 datagram inside a frame, or None (Ethernet with 802.1Q tags, raw IPv4)."""
    if lt in (101, 228):
        return frame if frame[:1] and frame[0] >> 4 == 4 else None
    if lt != 1 or len(frame) < 14:
        return None
    etype, payload = eth_inner(frame)
    return payload if etype == 0x0800 else None


def isis_of(lt, frame):
    """The IS-IS PDU inside a frame, or None (802.3 with 802.2 LLC and 802.1Q tags, C-HDLC)."""
    if lt == 104 and frame[2:4] == b"\xfe\xfe":
        pdu = frame[4:]
        if pdu[:1] != b"\x83" and pdu[1:2] == b"\x83":
            pdu = pdu[1:]  # a padding octet before the NLPID
        return pdu if pdu[:1] == b"\x83" else None
    if lt != 1 or len(frame) < 14:
        return None
    etype, payload = eth_inner(frame)
    llc = payload[:etype] if etype < 0x600 else b""
    if llc[:2] != b"\xfe\xfe" or len(llc) < 4:
        return None
    pdu = llc[3:] if llc[2] & 3 == 3 else llc[4:]
    return pdu if pdu[:1] == b"\x83" else None


def isis_rx_seeds(pdu, auth):
    """fuzz_isis_rx inputs of one PDU: two control octets (little-endian), then the PDU."""
    if len(pdu) < 5:
        return []
    t = pdu[4] & 0x1f
    ctl = ISIS_FIX | (ISIS_AUTH if auth else 0) | (ISIS_P2P if t == 17 else 0)
    ctls = [ctl | ISIS_LSPID_R2, ctl | ISIS_LSPID_R1] if t in (18, 20) else [ctl]
    return [struct.pack("<H", c) + pdu for c in ctls]


def netsim_pcaps(netsim, top, tmp):
    """Run netsim with --pcap on the IS-IS topologies (one copy signed with ISIS_KEY)."""
    tops = sorted(glob.glob(os.path.join(top, "tests", "isis", "*.yaml")) +
                  glob.glob(os.path.join(top, "topologies", "isis-*.yaml")))
    runs = [(path, False) for path in tops]
    lan = os.path.join(top, "tests", "isis", "lan-p2p.yaml")
    if os.path.exists(lan):
        text = re.sub(r'(isis: \{net: "[^"]*")', r'\1, auth: {type: md5, key: %s}' % ISIS_KEY,
                      open(lan).read())
        authy = os.path.join(tmp, "auth.yaml")
        open(authy, "w").write(text)
        runs.append((authy, True))
    out = []
    for i, (path, auth) in enumerate(runs):
        d = os.path.join(tmp, str(i))
        os.makedirs(d)
        # 25 s: past the first periodic CSNPs (10 s) and PSNPs.
        r = subprocess.run([netsim, "run", "--until", "25s", "--pcap", d, path],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode != 0:
            print("corpus.py: %s run --pcap %s failed" % (netsim, path), file=sys.stderr)
        out += [(f, auth) for f in sorted(glob.glob(os.path.join(d, "*.pcap")))]
    return out


def bgp_msgs(ip):
    """The whole BGP messages of an IPv4 datagram's TCP segment to or from port 179."""
    if ip is None or len(ip) < 20 or ip[9] != 6:
        return []
    hl = (ip[0] & 15) * 4
    tot = min(struct.unpack(">H", ip[2:4])[0], len(ip))
    tcp = ip[hl:tot]
    if len(tcp) < 20 or 179 not in struct.unpack(">HH", tcp[:4]):
        return []
    p = tcp[(tcp[12] >> 4) * 4:]
    out = []
    while len(p) >= 19 and p[:16] == b"\xff" * 16:
        n = struct.unpack(">H", p[16:18])[0]
        if n < 19 or n > len(p):
            break
        out.append(p[:n])
        p = p[n:]
    return out


def bfd_pkt(ip):
    """The payload of an IPv4 datagram's UDP datagram to a BFD port, or None."""
    if ip is None or len(ip) < 28 or ip[9] != 17:
        return None
    hl = (ip[0] & 15) * 4
    udp = ip[hl:]
    if len(udp) < 8 or struct.unpack(">H", udp[2:4])[0] not in (3784, 4784, 6784, 7784):
        return None
    return udp[8:struct.unpack(">H", udp[4:6])[0]]


def ldp_payload(ip):
    """The payload of an IPv4 datagram's UDP datagram or TCP segment to or from port 646, or None."""
    if ip is None or len(ip) < 20 or ip[9] not in (6, 17):
        return None
    hl = (ip[0] & 15) * 4
    tot = min(struct.unpack(">H", ip[2:4])[0], len(ip))
    l4 = ip[hl:tot]
    if len(l4) < 8 or 646 not in struct.unpack(">HH", l4[:4]):
        return None
    if ip[9] == 17:
        return l4[8:]
    return l4[(l4[12] >> 4) * 4:] if len(l4) >= 20 else None


def save(d, data):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)


def main():
    out = sys.argv[1]
    shared = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else "../shared"
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    netsim = sys.argv[3] if len(sys.argv) > 3 else ""
    n = {"fuzz_dissect": 0, "fuzz_ospf_rx": 0, "fuzz_isis_pdu": 0, "fuzz_isis_rx": 0,
         "fuzz_bgp_msg": 0, "fuzz_bfd": 0, "fuzz_yaml": 0, "fuzz_daemon_req": 0,
         "fuzz_mrt": 0, "fuzz_ldp_msg": 0, "fuzz_intents": 0}
    caps = sorted(glob.glob(os.path.join(shared, "captures", "**", "*.pcap*"), recursive=True))
    for path in caps:
        for lt, frame in pcap_frames(path):
            if lt in LINKTYPES:
                save(os.path.join(out, "fuzz_dissect"), bytes([LINKTYPES[lt]]) + frame)
                n["fuzz_dissect"] += 1
            ip = ipv4_of(lt, frame)
            if ip is not None and len(ip) >= 20 and ip[9] == 89:
                hl = (ip[0] & 15) * 4
                tot = struct.unpack(">H", ip[2:4])[0]
                save(os.path.join(out, "fuzz_ospf_rx"), bytes([OSPF_CTL]) + ip[hl:max(tot, hl)])
                n["fuzz_ospf_rx"] += 1
            bfd = bfd_pkt(ip)
            if bfd is not None:
                # As is; and with the fix-ups, naming r1's session, TTL 255 (fuzz_bfd.c).
                for ctl in (0x08, 0x0f, 0x2f):
                    save(os.path.join(out, "fuzz_bfd"), bytes([ctl]) + bfd)
                    n["fuzz_bfd"] += 1
            ldp = ldp_payload(ip)
            if ldp:
                save(os.path.join(out, "fuzz_ldp_msg"), ldp)
                n["fuzz_ldp_msg"] += 1
            for msg in bgp_msgs(ip):
                for ctl in (0, 1, 5):  # 5: a 4-octet AS session that reads VPN-IPv4
                    save(os.path.join(out, "fuzz_bgp_msg"), bytes([ctl]) + msg)
                    n["fuzz_bgp_msg"] += 1
            pdu = isis_of(lt, frame)
            if pdu is not None:
                save(os.path.join(out, "fuzz_isis_pdu"), pdu)
                n["fuzz_isis_pdu"] += 1
                for seed in isis_rx_seeds(pdu, False):
                    save(os.path.join(out, "fuzz_isis_rx"), seed)
                    n["fuzz_isis_rx"] += 1
    if netsim and os.access(netsim, os.X_OK):
        with tempfile.TemporaryDirectory() as tmp:
            for path, auth in netsim_pcaps(netsim, top, tmp):
                for lt, frame in pcap_frames(path):
                    pdu = isis_of(lt, frame)
                    for seed in isis_rx_seeds(pdu, auth) if pdu is not None else []:
                        save(os.path.join(out, "fuzz_isis_rx"), seed)
                        n["fuzz_isis_rx"] += 1
    elif netsim:
        print("corpus.py: no %s (fuzz_isis_rx seeds from netsim runs missing)" % netsim,
              file=sys.stderr)
    for path in sorted(glob.glob(os.path.join(top, "topologies", "*.yaml")) +
                       glob.glob(os.path.join(top, "tests", "yaml-bad", "*.yaml"))):
        save(os.path.join(out, "fuzz_yaml"), open(path, "rb").read())
        n["fuzz_yaml"] += 1
    for path in sorted(glob.glob(os.path.join(top, "tests", "bgp", "*.mrt"))):
        save(os.path.join(out, "fuzz_mrt"), open(path, "rb").read())
        n["fuzz_mrt"] += 1
    # Intents: the file of every kind, whole and one intent at a time.
    intents = open(os.path.join(top, "tests", "fuzz", "intents.yaml"), "rb").read()
    for seed in [intents] + [l for l in intents.split(b"\n") if l.startswith(b"- ")]:
        save(os.path.join(out, "fuzz_intents"), seed)
        n["fuzz_intents"] += 1
    for line in open(os.path.join(top, "tests", "fuzz", "requests.txt"), "rb"):
        line = line.rstrip(b"\n")
        if line and not line.startswith(b"#"):
            save(os.path.join(out, "fuzz_daemon_req"), line)
            n["fuzz_daemon_req"] += 1
    if not caps:
        print("corpus.py: no captures under %s (no seeds from captures)" % shared,
              file=sys.stderr)
    print("seed corpora: " + ", ".join("%s %d" % kv for kv in n.items()))


main()
