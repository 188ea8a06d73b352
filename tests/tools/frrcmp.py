"""Comparing netsim's command outputs with FRR 8.4's recorded ones (tests/frr/*/):
text lines with the values that differ by nature masked (ages, memory sizes,
ports, dates, counters), JSON key sets, and FRR's recorded files read back
(vtysh prints one JSON document per daemon, {"ZEBRA": ...}{"BGP": ...})."""
import json
import re

AFTER = re.compile(r"(using |Local port: |Foreign port: |Last update: )[^,\n]*")
INVOKED = re.compile(r"(Invoked:? )\d+")


def mask(line):
    """A text line with ages, memory sizes, ports, dates and route-map counters masked."""
    line = re.sub(r"\d\d:\d\d:\d\d", "#", line)
    line = INVOKED.sub(lambda m: m.group(1) + "#", line)
    return AFTER.sub(lambda m: m.group(1) + "#", line).rstrip()


def lines(text):
    return [mask(l) for l in text.split("\n") if l.strip()]


def daemon_section(text, daemon="BGP"):
    """The lines of vtysh's DAEMON section: after a line "BGP:" up to the next
    daemon's header, or the lines that start "BGP: " (show ip prefix-list)."""
    out, on = [], False
    for l in text.split("\n"):
        m = re.match(r"^([A-Z]+):( ?)(.*)$", l)
        if m and m.group(1) in ("ZEBRA", "BGP", "OSPF", "ISIS", "STATIC"):
            on = m.group(1) == daemon
            if m.group(3) and on:
                out.append(l)
            elif not m.group(3) and on:
                out.append(l)
            continue
        if on:
            out.append(l)
    return "\n".join(out)


def frr_json(path, daemon="BGP"):
    """A recorded FRR JSON file; of vtysh's per-daemon documents, DAEMON's."""
    text, docs, dec, i = open(path).read(), [], json.JSONDecoder(), 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        d, i = dec.raw_decode(text, i)
        docs.append(d)
    for d in docs:
        if isinstance(d, dict) and list(d) == [daemon]:
            return d
    return docs[0]


def keys_match(ours, frr, where, frr_only=(), ours_also=()):
    """Every key of netsim's object is FRR's (or in ours_also), every key of
    FRR's is netsim's (or in frr_only), recursively (a list: its first items)."""
    if isinstance(frr, list) and isinstance(ours, list):
        if frr and ours:
            keys_match(ours[0], frr[0], where, frr_only, ours_also)
        return
    if not isinstance(frr, dict):
        return
    assert isinstance(ours, dict), "%s: FRR has an object" % where
    for k, v in ours.items():
        assert k in frr or k in ours_also, "netsim's key %s.%s is not FRR's" % (where, k)
        if k in frr:
            keys_match(v, frr[k], where + "." + k, frr_only, ours_also)
    for k in frr:
        assert k in ours or k in frr_only, "FRR's key %s.%s missing from netsim's" % (where, k)


# netsim does not send FRR's hostname capability (draft-walton-bgp-hostname-capability).
HOST = ("hostname", "hostName")
# What FRR's `show bgp neighbors` has and netsim's BGP does not: roles (RFC 9234), extended
# messages, ADD-PATH, long-lived GR, enhanced route refresh, GR's N bit (RFC 8538), update subgroups,
# IPv6 next hops, FRR's I/O threads and read/write ages.
NBR_FRR_ONLY = HOST + (
    "localRole", "remoteRole", "bgpTimerLastRead", "bgpTimerLastWrite", "bgpInUpdateElapsedTimeMsecs",
    "extendedOptionalParametersLength", "bgpTimerConfiguredConditionalAdvertisementsSec",
    "extendedMessage", "addPath", "longLivedGracefulRestart", "longLivedGracefulRestartByPeer",
    "enhancedRouteRefresh", "nBit", "updateGroupId", "subGroupId", "packetQueueLength", "nexthop",
    "nexthopGlobal", "nexthopLocal", "bgpConnection", "readThread", "writeThread",
    "inboundSoftConfigPermit", "lastResetTimerMsecs", "lastResetDueTo", "lastResetCode")
