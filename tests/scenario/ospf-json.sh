# The OSPF commands' JSON forms parse, and use FRR's key names.
. tests/scenario/lib.inc
command -v python3 >/dev/null || fail "python3 is needed"
sed -e '/^script:/,$d' topologies/ospf-multiarea.yaml >"$TMP/j.yaml"
cat >>"$TMP/j.yaml" <<'Y'
script:
  - {at: converged, device: core-1, command: show ip ospf neighbor}
  - {at: converged, device: core-1, command: show ip ospf interface}
  - {at: converged, device: core-1, command: show ip ospf database}
  - {at: converged, device: core-1, command: show ip ospf database router}
  - {at: converged, device: core-1, command: show ip ospf database external}
  - {at: converged, device: core-4, command: show ip ospf}
  - {at: converged, device: a1-r1, command: show ip ospf route}
  - {at: converged, device: core-1, command: show ip protocols}
  - {at: converged, device: core-1, command: show ip route}
  - {at: converged, device: core-4, command: show ip ospf json}
Y
"$NETSIM" run --json "$TMP/j.yaml" >"$TMP/j.json" || fail "json run"
python3 - "$TMP/j.json" <<'PY' || fail "JSON checks"
import json, sys
r = json.load(open(sys.argv[1]))
out = {o["command"] + "@" + o["device"]: o.get("json") for o in r["outputs"]}
def need(cmd, path):
    v = out[cmd]
    for k in path:
        if isinstance(v, list):
            v = v[k]
        elif k not in v:
            sys.exit("%s: no %r in %s" % (cmd, k, json.dumps(v)[:300]))
        else:
            v = v[k]
    return v
n = need("show ip ospf neighbor@core-1", ["neighbors", "10.0.100.2", 0])
for k in ("nbrPriority", "nbrState", "converged", "role", "upTimeInMsec",
          "routerDeadIntervalTimerDueMsec", "ifaceAddress", "ifaceName",
          "linkStateRetransmissionListCounter", "linkStateRequestListCounter"):
    assert k in n, k
assert n["nbrState"] == "Full/DR", n
i = need("show ip ospf interface@core-1", ["interfaces", "eth0"])
for k in ("ifUp", "ipAddress", "ipAddressPrefixlen", "area", "routerId", "networkType",
          "cost", "state", "priority", "drId", "drAddress", "bdrId", "timerDeadSecs",
          "nbrCount", "nbrAdjacentCount"):
    assert k in i, k
assert i["networkType"] == "BROADCAST" and i["state"] == "Backup", i
d = need("show ip ospf database@core-1", ["areas", "0.0.0.0", "routerLinkStates", 0])
assert set(("lsId", "advertisedRouter", "lsaAge", "sequenceNumber", "checksum")) <= set(d), d
assert need("show ip ospf database@core-1", ["asExternalLinkStatesCount"]) == 2
rl = need("show ip ospf database router@core-1", ["routerLinkStates", "areas", "0.0.0.0", 0])
assert rl["lsaType"] == "router-LSA" and "routerLinks" in rl and "link0" in rl["routerLinks"]
ex = need("show ip ospf database external@core-1", ["asExternalLinkStates", "lsas", 0])
assert ex["metricType"] in ("E1", "E2")
o = need("show ip ospf@core-4", [])
# A command that asks for JSON itself gets the same JSON (not a second "json" word).
assert out["show ip ospf json@core-4"] == o, "show ip ospf json under run --json"

for k in ("routerId", "spfScheduleDelayMsecs", "holdtimeMinMsecs", "holdtimeMaxMsecs",
          "lsaMinIntervalMsecs", "lsaMinArrivalMsecs", "attachedAreaCounter", "areas"):
    assert k in o, k
assert o["abrRouter"] == "isAbr" and o["attachedAreaCounter"] == 2
assert o["areas"]["0.0.0.0"]["backbone"] is True
assert "spfExecutedCounter" in o["areas"]["0.0.0.1"]
rt = need("show ip ospf route@a1-r1", [])
assert rt["10.0.100.1/32"]["routeType"] == "N IA", rt["10.0.100.1/32"]
assert rt["192.168.100.0/24"]["routeType"] == "N E2" and rt["192.168.100.0/24"]["type2cost"] == 20
assert rt["10.10.1.0/24"]["nexthops"][0]["directlyAttachedTo"] == "eth1"
ip = need("show ip route@core-1", ["10.10.1.0/24", 0])
assert ip["protocol"] == "ospf" and ip["distance"] == 110 and ip["code"] == "O IA", ip
assert need("show ip protocols@core-1", ["ospf", "routerId"]) == "10.0.100.1"
PY
exit 0
