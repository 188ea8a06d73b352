# verify: intent checks (docs/verify.md) from the command line (netsim verify and
# its exit status), from Lua (net:verify, expect.verify/via/avoids/no_blackholes)
# and as the verify network command: every kind of intent passing and failing,
# the walk shown hop by hop as evidence, the suggested command, inconclusive
# answers, and bad intents files reported at file:line:col.
. tests/scenario/lib.inc
T=topologies/ospf-triangle.yaml

# Every kind holds on the triangle (h1 -> r1 -> r3 -> h3).
cat >"$TMP/ok.yaml" <<'Y'
intents:
  - reachable: {from: h1, to: 10.0.3.10}
  - reachable: {from: h1, to: 10.0.3.0/24}
  - unreachable: {from: h1, to: 192.0.2.1}
  - path: {from: h1, to: h3, avoids: r2}
  - path: {from: h1, to: h3, via: r3}
  - route: {device: r1, prefix: 10.0.3.0/24, protocol: ospf, via: r3, metric: 11}
  - route: {device: r1, prefix: 10.0.3.10, via: [10.0.13.3]}
  - no_loops: {destinations: [h1, h3, 10.0.23.0/24]}
  - no_blackholes: {destinations: [h1, h3], sources: [r1, r2, h3]}
Y
"$NETSIM" verify $T "$TMP/ok.yaml" >"$TMP/ok.out" 2>&1 || { cat "$TMP/ok.out"; fail "ok.yaml did not pass"; }
expect_contains "$TMP/ok.out" "PASS reachable h1 -> 10.0.3.10: delivered: h1 -> r1 -> r3 -> h3"
expect_contains "$TMP/ok.out" "  path: h1 [0.0.0.0/0 static via 10.0.1.1 eth0] -> r1 [10.0.3.0/24 ospf via 10.0.13.3 eth1] -> r3 [10.0.3.0/24 connected eth2] -> h3: delivered"
expect_contains "$TMP/ok.out" "PASS unreachable h1 -> 192.0.2.1: not delivered: no_route at r1"
expect_contains "$TMP/ok.out" "PASS no_loops to h1, h3, 10.0.23.0/24: no loop in 15 walks"
expect_contains "$TMP/ok.out" "PASS no_blackholes to h1, h3 from r1, r2, h3: no black hole in 6 walks"
expect_contains "$TMP/ok.out" "9 passed, 0 failed, 0 inconclusive"

# Every kind fails, each with its reason, evidence and suggested command; exit 1.
cat >"$TMP/fail.yaml" <<'Y'
- reachable: {from: h1, to: 192.0.2.1}
- unreachable: {from: h1, to: h3}
- path: {from: h1, to: h3, via: r2}
- path: {from: h1, to: h3, avoids: r3}
- route: {device: r1, prefix: 10.0.3.0/24, protocol: static, via: 10.0.12.2, metric: 5}
- route: {device: h1, prefix: 10.0.3.0/24}
- no_blackholes: {destinations: [192.0.2.1]}
Y
rc=0; "$NETSIM" verify $T "$TMP/fail.yaml" >"$TMP/fail.out" 2>&1 || rc=$?
[ $rc = 1 ] || { cat "$TMP/fail.out"; fail "fail.yaml exited $rc"; }
expect_contains "$TMP/fail.out" "FAIL reachable h1 -> 192.0.2.1: no_route at r1"
expect_contains "$TMP/fail.out" "  path: h1 [0.0.0.0/0 static via 10.0.1.1 eth0] -> r1: no_route"
expect_contains "$TMP/fail.out" "  next: r1: show ip route 192.0.2.1"
expect_contains "$TMP/fail.out" "FAIL unreachable h1 -> h3: h1 reaches 10.0.3.10: h1 -> r1 -> r3 -> h3"
expect_contains "$TMP/fail.out" "FAIL path h1 -> h3 via r2: the path does not cross r2: h1 -> r1 -> r3 -> h3"
expect_contains "$TMP/fail.out" "FAIL path h1 -> h3 avoids r3: the path crosses r3: h1 -> r1 -> r3 -> h3"
expect_contains "$TMP/fail.out" "  next: r1: show ip route 10.0.3.10"
expect_contains "$TMP/fail.out" "FAIL route r1 10.0.3.0/24 protocol static via 10.0.12.2 metric 5: protocol ospf, not static; no next hop 10.0.12.2; metric 11, not 5"
expect_contains "$TMP/fail.out" "  route: r1 10.0.3.0/24 ospf metric 11 via 10.0.13.3 eth1"
expect_contains "$TMP/fail.out" "  next: r1: show ip route 10.0.3.0/24"
expect_contains "$TMP/fail.out" "FAIL route h1 10.0.3.0/24: h1 has no route to 10.0.3.0/24"
expect_contains "$TMP/fail.out" "FAIL no_blackholes to 192.0.2.1: 5 of 5 walks end in a black hole"
expect_contains "$TMP/fail.out" "0 passed, 7 failed, 0 inconclusive"

# JSON: the same report, the hops with their routes.
rc=0; "$NETSIM" verify --json $T "$TMP/fail.yaml" >"$TMP/fail.json" 2>&1 || rc=$?
[ $rc = 1 ] || fail "--json exited $rc"
python3 - "$TMP/fail.json" <<'P'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["converged"] and r["failed"] == 7 and r["passed"] == 0, r
first = r["results"][0]
assert first["status"] == "fail" and first["kind"] == "reachable" and first["line"] == 1, first
hops = first["evidence"]["hops"]
assert [h["device"] for h in hops] == ["h1", "r1"], hops
assert hops[0] == {"device": "h1", "prefix": "0.0.0.0/0", "protocol": "static", "metric": 0,
                   "nexthop": "10.0.1.1", "interface": "eth0"}, hops[0]
assert first["evidence"]["result"] == "no_route"
assert first["suggestion"] == {"device": "r1", "command": "show ip route 192.0.2.1"}
route = r["results"][4]["evidence"]["route"]
assert route["protocol"] == "ospf" and route["metric"] == 11 and route["nexthops"] == [
    {"nexthop": "10.0.13.3", "interface": "eth1"}], route
P

# Inconclusive: an unknown device; a network that has not converged (exit 2).
printf -- '- reachable: {from: h9, to: h1}\n- route: {device: r1, prefix: 10.0.3.0/24, via: r7}\n' >"$TMP/unk.yaml"
rc=0; "$NETSIM" verify $T "$TMP/unk.yaml" >"$TMP/unk.out" 2>&1 || rc=$?
[ $rc = 2 ] || { cat "$TMP/unk.out"; fail "unknown device exited $rc"; }
expect_contains "$TMP/unk.out" "INCONCLUSIVE reachable h9 -> h1: no device 'h9'"
expect_contains "$TMP/unk.out" "INCONCLUSIVE route r1 10.0.3.0/24 via r7: via 'r7' is neither an address nor a device"
rc=0; "$NETSIM" verify --limit 20s $T "$TMP/ok.yaml" >"$TMP/nc.out" 2>&1 || rc=$?
[ $rc = 2 ] || { cat "$TMP/nc.out"; fail "not converged exited $rc"; }
expect_contains "$TMP/nc.out" "INCONCLUSIVE reachable h1 -> 10.0.3.10: the network has not converged"
expect_contains "$TMP/nc.out" "  next: converge"

# Bad intents: every error at file:line:col, exit 2, before any network runs.
cat >"$TMP/bad.yaml" <<'Y'
- reachable: {from: h1, to: 10.0.3.10}
- path: {from: h1, to: h3}
- route:
    device: r1
    prefix: 10.0.3.0/99
    metrc: 3
- no_loops: {}
- reachble: {from: h1}
- [1, 2]
Y
rc=0; "$NETSIM" verify $T "$TMP/bad.yaml" >"$TMP/bad.out" 2>&1 || rc=$?
[ $rc = 2 ] || { cat "$TMP/bad.out"; fail "bad.yaml exited $rc"; }
expect_contains "$TMP/bad.out" "bad.yaml:2:9: path needs 'via' or 'avoids' (a device)"
expect_contains "$TMP/bad.out" "bad.yaml:5:13: '10.0.3.0/99' is not an address or prefix"
expect_contains "$TMP/bad.out" "bad.yaml:6:5: unknown key 'metrc' in route"
expect_contains "$TMP/bad.out" "bad.yaml:7:13: no_loops needs 'destinations'"
expect_contains "$TMP/bad.out" "bad.yaml:8:3: unknown intent 'reachble'"
expect_contains "$TMP/bad.out" "bad.yaml:9:3: expected a mapping"
rc=0; "$NETSIM" verify $T "$TMP/none.yaml" >"$TMP/none.out" 2>&1 || rc=$?
[ $rc = 2 ] || fail "a missing intents file exited $rc"
rc=0; "$NETSIM" verify $T >/dev/null 2>&1 || rc=$?
[ $rc = 2 ] || fail "usage exited $rc"

# A forwarding loop: no_loops fails with the loop as evidence (the Lua API).
cat >"$TMP/loop.lua" <<'L'
-- Three routers in a ring, each sending 10.7.0.0/16 on to the next: a loop of three.
local net = netsim.network("ring")
for i, n in ipairs({"a", "b", "c"}) do
	local r = net:router(n)
	r:interface("to", {ip = ("10.0.%d.1/30"):format(i)})
	r:interface("from", {ip = ("10.0.%d.2/30"):format(i == 1 and 3 or i - 1)})
	r:route_add("10.7.0.0/16", ("10.0.%d.2"):format(i))
end
net:link("a:to", "b:from"); net:link("b:to", "c:from"); net:link("c:to", "a:from")
net:run()
local rep = net:verify({no_loops = {destinations = {"10.7.1.1"}}})
local r = rep.results[1]
print(r.status, r.reason, r.evidence.first.result, r.suggestion.device, r.suggestion.command)
for _, h in ipairs(r.evidence.first.hops) do io.write(h.device, " ") end
print()
expect.verify({{no_blackholes = {destinations = {"10.0.1.2"}, sources = {"a", "b"}}}, {no_loops = {destinations = {"10.7.1.1"}}}})
L
rc=0; "$NETSIM" run "$TMP/loop.lua" >"$TMP/loop.out" 2>&1 || rc=$?
[ $rc = 1 ] || { cat "$TMP/loop.out"; fail "loop.lua exited $rc"; }
expect_contains "$TMP/loop.out" "fail	3 of 3 walks end in a loop	loop	c	show ip route 10.7.1.1"
expect_contains "$TMP/loop.out" "a b c a "
expect_contains "$TMP/loop.out" "FAIL expect.verify(no_loops to 10.7.1.1)"
expect_contains "$TMP/loop.out" "  first:    a [10.7.0.0/16 static via 10.0.1.2] -> b [10.7.0.0/16 static via 10.0.2.2] -> c [10.7.0.0/16 static via 10.0.3.2] -> a: loop"
expect_contains "$TMP/loop.out" "expect: 1 passed, 1 failed"

# expect.via / avoids / no_blackholes, before and after a link failure.
cat >"$TMP/tri.lua" <<'L'
local net = netsim.load("topologies/ospf-triangle.yaml")
net:run_until_converged()
expect.avoids("h1", "h3", "r2")
expect.no_blackholes({"h1", net.h3})
expect.via("h1", net.h3, "r2")                        -- fails: r1 -> r3 directly
chaos.link_down("r1--r3")
local rep = net:verify({reachable = {from = "h1", to = "h3"}})
print("before converging:", rep.results[1].status)
net:run_until_converged()
expect.via("h1", net.h3, "r2")
expect.avoids("h1", "h3", "r2")                       -- fails now
print(pcall(net.verify, net, {{reachble = {}}}))
L
rc=0; "$NETSIM" run "$TMP/tri.lua" >"$TMP/tri.out" 2>&1 || rc=$?
[ $rc = 1 ] || { cat "$TMP/tri.out"; fail "tri.lua exited $rc"; }
expect_contains "$TMP/tri.out" "tri.lua:5: FAIL expect.verify(path h1 -> h3 via r2)"
expect_contains "$TMP/tri.out" "  found:    fail: the path does not cross r2: h1 -> r1 -> r3 -> h3"
expect_contains "$TMP/tri.out" "  next:     r1: show ip route 10.0.3.10"
expect_contains "$TMP/tri.out" "before converging:	inconclusive"
expect_contains "$TMP/tri.out" "tri.lua:11: FAIL expect.verify(path h1 -> h3 avoids r2)"
expect_contains "$TMP/tri.out" "  found:    fail: the path crosses r2: h1 -> r1 -> r2 -> r3 -> h3"
expect_contains "$TMP/tri.out" "false	net:verify:1:3: unknown intent 'reachble'"
expect_contains "$TMP/tri.out" "expect: 3 passed, 2 failed"

# The verify network command (console here; the daemon and netsim exec run the same),
# inline intents, text and JSON.
printf '%s\n' 'verify [{reachable: {from: h1, to: h3}}, {path: {from: h1, to: h3, via: r2}}]' \
	'verify [{reachable: {from: h1, to: h3}}] json' 'verify [{reachable: {from: h1}}]' \
	| "$NETSIM" console $T >"$TMP/con.out" 2>&1 || true
expect_contains "$TMP/con.out" "PASS reachable h1 -> h3: delivered: h1 -> r1 -> r3 -> h3"
expect_contains "$TMP/con.out" "FAIL path h1 -> h3 via r2: the path does not cross r2"
expect_contains "$TMP/con.out" "% 1 of 2 intents failed"
expect_contains "$TMP/con.out" '{"converged":true,"simTimeMs":51008,"results":[{"index":0,"kind":"reachable"'
expect_contains "$TMP/con.out" "% intents:1:14: reachable needs 'to'"
