#!/usr/bin/env python3
"""mrt.py: MRT TABLE_DUMP_V2 files (RFC 6396) for netsim's tests, written and read
independently of netsim's C reader (src/proto/bgp/mrt.c).

  mrt.py gen OUT [--routes N] [--seed S]
      a RIB dump as RIPE RIS publishes them: a PEER_INDEX_TABLE of three peers
      (0: an IPv6 peer with no IPv4 routes, 1: 192.0.2.1 AS 65101, 2: 192.0.2.2
      AS 65201), N RIB_IPV4_UNICAST records (peer 1 has every prefix, peer 2
      about two thirds) with ORIGIN, a 4-octet AS_PATH, NEXT_HOP and sometimes
      MED and COMMUNITIES (runs of prefixes share attributes, as an origin's
      blocks do), and a few RIB_IPV6_UNICAST records that readers skip.
  mrt.py dump FILE [--peer K]
      the IPv4 unicast routes of peer K (default: the first with any), one
      "PREFIX<TAB>AS PATH" line each, in file order.
"""
import random
import struct
import sys

TABLE_DUMP_V2 = 13
PEER_INDEX, RIB_IPV4, RIB_IPV6 = 1, 2, 4


def record(subtype, body, ts=1700000000):
    return struct.pack(">IHHI", ts, TABLE_DUMP_V2, subtype, len(body)) + body


def attr(flags, code, value):
    if len(value) > 255:
        return struct.pack(">BBH", flags | 0x10, code, len(value)) + value
    return struct.pack(">BBB", flags, code, len(value)) + value


def attrs_of(path, nexthop, med, comms):
    a = attr(0x40, 1, bytes([0]))  # ORIGIN IGP
    a += attr(0x40, 2, bytes([2, len(path)]) + b"".join(struct.pack(">I", x) for x in path))
    a += attr(0x40, 3, bytes(nexthop))
    if med is not None:
        a += attr(0x80, 4, struct.pack(">I", med))
    if comms:
        a += attr(0xC0, 8, b"".join(struct.pack(">HH", x, y) for x, y in comms))
    return a


def gen(out, routes, seed):
    rnd = random.Random(seed)
    peers = [(0x03, bytes([0x20, 0x01, 0x0D, 0xB8] + [0] * 11 + [1]), 65001, 0x0A000001),
             (0x02, bytes([192, 0, 2, 1]), 65101, 0x0A000002),
             (0x02, bytes([192, 0, 2, 2]), 65201, 0x0A000003)]
    body = struct.pack(">I", 0x0A0000FE) + struct.pack(">H", 4) + b"test"
    body += struct.pack(">H", len(peers))
    for ptype, addr, asn, rid in peers:
        body += bytes([ptype]) + struct.pack(">I", rid) + addr + struct.pack(">I", asn)
    data = record(PEER_INDEX, body)
    seen = set()
    seq = 0
    while len(seen) < routes:
        # an origin AS and a run of 1-6 prefixes it announces
        origin = rnd.choice([rnd.randint(1, 64000), rnd.randint(131072, 400000)])
        transit = [rnd.randint(1, 64000) for _ in range(rnd.randint(0, 4))]
        med = rnd.choice([None, None, rnd.randint(0, 500)])
        comms = [(65101, rnd.randint(1, 999)) for _ in range(rnd.randint(0, 2))]
        for _ in range(rnd.randint(1, 6)):
            plen = rnd.choice([24] * 6 + [23, 22, 21, 20, 19, 16, 18, 12])
            net = (rnd.choice([1, 2, 5, 23, 45, 62, 80, 91, 130, 151, 185, 212]) << 24 |
                   rnd.getrandbits(24)) & (0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF
            if (net, plen) in seen or len(seen) >= routes:
                continue
            seen.add((net, plen))
            entries = [(1, attrs_of([65101] + transit + [origin], [192, 0, 2, 1], med, comms))]
            if rnd.random() < 0.67:
                entries.append((2, attrs_of([65201, rnd.randint(1, 64000), origin],
                                            [192, 0, 2, 2], None, [])))
            nb = (plen + 7) // 8
            body = struct.pack(">IB", seq, plen) + net.to_bytes(4, "big")[:nb]
            body += struct.pack(">H", len(entries))
            for idx, a in entries:
                body += struct.pack(">HIH", idx, 1699999000, len(a)) + a
            data += record(RIB_IPV4, body)
            seq += 1
            if seq % 97 == 0:  # an IPv6 record from the IPv6 peer: skipped by readers
                a = attr(0x40, 1, bytes([0]))
                b6 = struct.pack(">IB", seq, 32) + bytes([0x20, 0x01, 0x0D, 0xB8])
                b6 += struct.pack(">H", 1) + struct.pack(">HIH", 0, 1699999000, len(a)) + a
                data += record(RIB_IPV6, b6)
                seq += 1
    with open(out, "wb") as f:
        f.write(data)


def dump(path, peer):
    data = open(path, "rb").read()
    off, npeers, rows = 0, 0, []
    while off < len(data):
        _, typ, sub, ln = struct.unpack_from(">IHHI", data, off)
        body = data[off + 12:off + 12 + ln]
        off += 12 + ln
        if typ != TABLE_DUMP_V2:
            continue
        if sub == PEER_INDEX:
            vlen = struct.unpack_from(">H", body, 4)[0]
            npeers = struct.unpack_from(">H", body, 6 + vlen)[0]
        elif sub == RIB_IPV4:
            plen = body[4]
            nb = (plen + 7) // 8
            net = int.from_bytes(body[5:5 + nb] + bytes(4 - nb), "big")
            p = 5 + nb
            (n,) = struct.unpack_from(">H", body, p)
            p += 2
            for _ in range(n):
                idx, _, alen = struct.unpack_from(">HIH", body, p)
                a = body[p + 8:p + 8 + alen]
                p += 8 + alen
                rows.append((idx, "%d.%d.%d.%d/%d" % (net >> 24, net >> 16 & 255, net >> 8 & 255,
                                                     net & 255, plen), aspath(a)))
    if peer is None:
        peer = min(r[0] for r in rows) if rows else 0
    assert peer < npeers
    for idx, pfx, path in rows:
        if idx == peer:
            print("%s\t%s" % (pfx, path))


def aspath(a):
    p = 0
    while p < len(a):
        flags, code = a[p], a[p + 1]
        if flags & 0x10:
            (ln,) = struct.unpack_from(">H", a, p + 2)
            v = a[p + 4:p + 4 + ln]
            p += 4 + ln
        else:
            ln = a[p + 2]
            v = a[p + 3:p + 3 + ln]
            p += 3 + ln
        if code == 2:
            out, q = [], 0
            while q < len(v):
                n = v[q + 1]
                out += [str(x) for x in struct.unpack_from(">%dI" % n, v, q + 2)]
                q += 2 + 4 * n
            return " ".join(out)
    return ""


def main(argv):
    if len(argv) >= 2 and argv[0] == "gen":
        routes = int(argv[argv.index("--routes") + 1]) if "--routes" in argv else 300
        seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 1
        gen(argv[1], routes, seed)
    elif len(argv) >= 2 and argv[0] == "dump":
        dump(argv[1], int(argv[argv.index("--peer") + 1]) if "--peer" in argv else None)
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
