# traceroute ends at its destination when that is a router's loopback or an
# interface other than the one the probe arrived on: the port unreachable comes
# from the probed address, as Linux, IOS and FRR send it.
. tests/scenario/lib.inc

sed -e '/^script:/,$d' topologies/ospf-multiarea.yaml >"$TMP/tr.yaml"
cat >>"$TMP/tr.yaml" <<'Y'
script:
  - {at: converged, device: h-a1, command: traceroute 10.0.100.1}
  - {at: converged + 1s, device: core-1, command: traceroute 10.0.100.2 json}
  - {at: converged + 2s, device: h-a1, command: traceroute 10.0.0.5 max-ttl 5}
  - {at: converged + 3s, device: h-a1, command: traceroute 10.10.1.1}
Y
"$NETSIM" run -q "$TMP/tr.yaml" >"$TMP/tr.out" 2>&1 || { cat "$TMP/tr.out"; fail "a traceroute to a router address failed"; }
# h-a1 -> a1-r1 -> core-4 -> core-1's loopback: three hops, the last one the loopback.
expect_contains "$TMP/tr.out" " 3  10.0.100.1  "
expect_not_contains "$TMP/tr.out" " 4  "
# core-1 to core-2's loopback: the probe arrives on core-2's eth0 (10.0.0.2), the answer comes from 10.0.100.2.
expect_contains "$TMP/tr.out" '"reached": true'
expect_contains "$TMP/tr.out" '"address": "10.0.100.2"'
expect_not_contains "$TMP/tr.out" '"address": "10.0.0.2"'
# core-1's eth1 (10.0.0.5), reached through core-4 arriving on core-1's eth2 (10.0.0.9).
expect_contains "$TMP/tr.out" " 3  10.0.0.5  "
expect_not_contains "$TMP/tr.out" "10.0.0.9"
expect_contains "$TMP/tr.out" " 1  10.10.1.1  "

# An address nobody has still fails the trace (and the run).
sed -e '/^script:/,$d' topologies/ospf-multiarea.yaml >"$TMP/bad.yaml"
cat >>"$TMP/bad.yaml" <<'Y'
script:
  - {at: converged, device: h-a1, command: traceroute 10.0.100.99 max-ttl 4 timeout 1}
Y
if "$NETSIM" run -q "$TMP/bad.yaml" >"$TMP/bad.out" 2>&1; then
	cat "$TMP/bad.out"
	fail "a traceroute to an unknown address succeeded"
fi
expect_contains "$TMP/bad.out" "expected the command to succeed"

# run --json carries the JSON form of ping and traceroute (run once: text and JSON from the same run).
"$NETSIM" run --json topologies/static-routes.yaml >"$TMP/run.json" || true
[ "$(tail -c 1 "$TMP/run.json" | od -An -c | tr -d ' ')" = '\n' ] || fail "run --json: no final newline"
python3 - "$TMP/run.json" <<'P' || fail "run --json: ping/traceroute without their JSON form"
import json, sys
d = json.load(open(sys.argv[1]))
by = {}
for o in d["outputs"]:
    by.setdefault(o["command"].split()[0], []).append(o)
tr = by["traceroute"][0]
assert tr["json"]["reached"] is True and tr["json"]["hops"], tr
assert "traceroute to" in tr["output"], tr
for p in by["ping"]:
    j = p["json"]
    assert j["transmitted"] > 0 and "received" in j, p
    assert p["output"].startswith("PING "), p
    # The JSON and the text are of the same run.
    assert ("%d/%d packets received" % (j["received"], j["transmitted"])) in p["output"], p
assert any(p["status"] == 1 and p["json"]["received"] == 0 for p in by["ping"]), by["ping"]
P
