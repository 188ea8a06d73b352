# bgp-gr-frr: graceful restart and maximum-prefix in `show ip bgp neighbors`, netsim against
# FRR 8.4 (tests/frr/bgp-gr/, recorded by tests/frr/gr-record.sh) on the same two routers:
# r1 (AS 65001) sends three prefixes to r2 (AS 65002, maximum-prefix 1000 80). Both in Helper
# mode; r1 in Restart mode (`graceful_restart: true`); r2's limit 2 exceeded (without and with
# a restart interval). The GR lines (capability and "Graceful restart information:" blocks)
# and the maximum-prefix lines are FRR's, line by line with ages masked; the JSON key sets are
# FRR's but for what netsim does not implement (tests/tools/frrcmp.py NBR_FRR_ONLY: RFC 8538's
# N bit, long-lived GR, ...).
. tests/scenario/lib.inc
command -v python3 >/dev/null || fail "python3 is needed"

topo() { # FILE R1-BGP-EXTRA R2-MAXPFX
	cat >"$1" <<Y
name: gr-frr
devices:
  - name: r1
    type: router
    router_id: 1.1.1.1
    interfaces:
      - {name: lo0, ip: 1.1.1.1/32}
      - {name: eth0, ip: 10.0.12.1/24}
    static_routes:
      - {prefix: 10.1.0.0/24, blackhole: true}
      - {prefix: 10.1.1.0/24, blackhole: true}
      - {prefix: 10.1.2.0/24, blackhole: true}
    bgp:
      as: 65001$2
      networks: [10.1.0.0/24, 10.1.1.0/24, 10.1.2.0/24]
      neighbors:
        - {ip: 10.0.12.2, remote_as: 65002}
  - name: r2
    type: router
    router_id: 2.2.2.2
    interfaces:
      - {name: lo0, ip: 2.2.2.2/32}
      - {name: eth0, ip: 10.0.12.2/24}
    bgp:
      as: 65002
      neighbors:
        - {ip: 10.0.12.1, remote_as: 65001, maximum_prefix: $3}
links:
  - endpoints: [r1:eth0, r2:eth0]
script:
  - {at: converged + 3000, device: r1, command: show ip bgp neighbors 10.0.12.2}
  - {at: converged + 3000, device: r2, command: show ip bgp neighbors 10.0.12.1}
  - {at: converged + 3000, device: r2, command: show ip bgp summary}
Y
}
topo "$TMP/helper.yaml" "" "{limit: 1000, threshold: 80}"
topo "$TMP/restart.yaml" "
      graceful_restart: true" "{limit: 1000, threshold: 80}"
topo "$TMP/exceeded.yaml" "" "{limit: 2, threshold: 80}"
topo "$TMP/restart-int.yaml" "" "{limit: 2, threshold: 80, restart: 1}"
for t in helper restart exceeded restart-int; do
	"$NETSIM" run --json "$TMP/$t.yaml" >"$TMP/$t.json" 2>"$TMP/$t.err" || { cat "$TMP/$t.err"; fail "the $t run"; }
done

python3 - "$TMP" tests/frr/bgp-gr <<'PY' || fail "netsim's GR and maximum-prefix lines differ from FRR 8.4's"
import json, os, re, sys
sys.path.insert(0, "tests/tools")
from frrcmp import lines, keys_match, HOST, NBR_FRR_ONLY
tmp, ref = sys.argv[1], sys.argv[2]

def one(run, dev, cmd):
    outs = json.load(open(os.path.join(tmp, run + ".json")))["outputs"]
    got = [o for o in outs if o["device"] == dev and o["command"] == cmd]
    assert got and got[0]["status"] == 0, (run, dev, cmd, got)
    return got[0]

# FRR's lines netsim does not print: RFC 8538's N bit.
FRR_ONLY_LINES = ("    N bit: True",)

def block(text, first, last):
    """The lines from the one starting with FIRST up to (without) the one starting with LAST."""
    l = [x for x in lines(text) if x not in FRR_ONLY_LINES]
    i = next(k for k, x in enumerate(l) if x.startswith(first))
    j = next(k for k, x in enumerate(l) if k > i and x.startswith(last))
    return l[i:j]

def same_block(run, dev, peer, frr_file, first, last):
    ours = one(run, dev, "show ip bgp neighbors " + peer)["output"]
    theirs = open(os.path.join(ref, frr_file + ".txt")).read()
    a, b = block(ours, first, last), block(theirs, first, last)
    assert a == b, "%s %s: netsim's lines differ from FRR's %s:\n--- netsim\n%s\n--- FRR\n%s" % (
        run, dev, frr_file, "\n".join(a), "\n".join(b))

def same_keys(run, dev, peer, frr_file, frr_only=(), ours_also=()):
    ours = one(run, dev, "show ip bgp neighbors " + peer)["json"]
    keys_match(ours, json.load(open(os.path.join(ref, frr_file + ".json"))), "%s %s" % (run, dev),
               NBR_FRR_ONLY + tuple(frr_only), ("lastReset",) + tuple(ours_also))
    return ours[peer]

GR = ("    Graceful Restart Capability:", "  Message statistics:")
for run, mode in (("helper", "helper"), ("restart", "restart")):
    same_block(run, "r1", "10.0.12.2", "r1-neighbor-" + mode, *GR)
    same_block(run, "r2", "10.0.12.1", "r2-neighbor-" + mode, *GR)
    same_keys(run, "r1", "10.0.12.2", "r1-neighbor-" + mode)
    j = same_keys(run, "r2", "10.0.12.1", "r2-neighbor-" + mode)
    f = json.load(open(os.path.join(ref, "r2-neighbor-%s.json" % mode)))["10.0.12.1"]
    for k in ("localGrMode", "remoteGrMode", "rBit"):
        assert j["gracefulRestartInfo"][k] == f["gracefulRestartInfo"][k], (run, k, j["gracefulRestartInfo"])
    assert j["neighborCapabilities"]["addressFamiliesByPeer"] == f["neighborCapabilities"]["addressFamiliesByPeer"], \
        (run, j["neighborCapabilities"])
    # the address family's maximum-prefix lines
    same_block(run, "r2", "10.0.12.1", "r2-neighbor-" + mode, "  Community attribute sent", "  Connections established")

# Over the limit: Idle, the NOTIFICATION sent, FRR's overflow lines after "Last reset". FRR 8.4
# sends Cease with RFC 8538's Hard Reset (its N bit), which netsim does not implement.
def no_hard_reset(l):
    return [x.replace("/Hard Reset)", ")") for x in l]

for run, frr_file in (("exceeded", "r2-neighbor-maxpfx-exceeded"), ("restart-int", "r2-neighbor-maxpfx-restart")):
    ours = lines(one(run, "r2", "show ip bgp neighbors 10.0.12.1")["output"])
    theirs = no_hard_reset(lines(open(os.path.join(ref, frr_file + ".txt")).read()))
    assert "  BGP state = Idle" in ours and "  BGP state = Idle" in theirs, ours
    a = ours[ours.index(" For address family: IPv4 Unicast") + 1:]
    b = theirs[theirs.index(" For address family: IPv4 Unicast") + 1:]
    a = a[:next(k for k, x in enumerate(a) if x.startswith("  External BGP"))]
    b = b[:next(k for k, x in enumerate(b) if x.startswith("  External BGP"))]
    # FRR's first line here is "Not part of any update group" (no update groups in netsim);
    # netsim's restart timer runs where FRR's recording, the limit set on an Idle neighbor, has none.
    b = [x for x in b if x != "  Not part of any update group"]
    if run == "restart-int":
        assert a[-1].startswith("  Reduce the no. of prefix from 10.0.12.1, will restart in "), a
        assert b[-1] == "  Reduce the no. of prefix and clear ip bgp 10.0.12.1 to restore peering", b
        a, b = a[:-1], b[:-1]
    a = [x for x in a if not x.startswith("  Connections established")]
    b = [x for x in b if not x.startswith("  Connections established")]
    assert a == b, "%s: netsim\n%s\n--- FRR\n%s" % (run, "\n".join(a), "\n".join(b))
    # the restart timer's keys (FRR's bgp_show_peer; not in the recording, see above)
    timer = ("reducePrefixNumFrom", "restartInTimerMsec")
    j = same_keys(run, "r2", "10.0.12.1", frr_file,
                  ("reducePrefixNumAndClearIpBgp",) if run == "restart-int" else (),
                  timer if run == "restart-int" else ())
    assert j["prefixesConfigExceedMax"] and j["lastResetDueTo"] == "BGP Notification send", j
    if run == "exceeded":
        assert j["reducePrefixNumAndClearIpBgp"], j
    else:
        assert j["reducePrefixNumFrom"] and j["restartInTimerMsec"] > 0, j
s = one("exceeded", "r2", "show ip bgp summary")
f = json.load(open(os.path.join(ref, "r2-summary-maxpfx-exceeded.json")))["ipv4Unicast"]["peers"]["10.0.12.1"]
p = s["json"]["ipv4Unicast"]["peers"]["10.0.12.1"]
assert (p["state"], p["peerState"]) == (f["state"], f["peerState"]) == ("Idle (PfxCt)", "PfxCt"), p
PY
