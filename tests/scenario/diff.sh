# diff: `netsim diff NET_A NET_B` on two daemons of one topology, the same and after a
# link failure in one (routes removed and changed, an adjacency gone), text and JSON,
# exit statuses; the `tables` network command it reads; and the verify network
# command through netsim exec (a file under the topology's directory, inline intents).
. tests/scenario/lib.inc
. tests/daemon/lib.sh

"$NETSIM" daemon start da topologies/ospf-triangle.yaml >/dev/null
"$NETSIM" daemon start db topologies/ospf-triangle.yaml >/dev/null
"$NETSIM" diff da db >"$TMP/same.out" || { cat "$TMP/same.out"; fail "identical networks differ"; }
expect_contains "$TMP/same.out" "0 changes"

"$NETSIM" exec db - link down r1:eth1 r3:eth0 >/dev/null
"$NETSIM" exec db - converge >/dev/null
rc=0; "$NETSIM" diff da db >"$TMP/d.out" || rc=$?
[ $rc = 1 ] || { cat "$TMP/d.out"; fail "diff exited $rc"; }
expect_contains "$TMP/d.out" "r1: route 10.0.13.0/24 removed: connected 0/0 via connected eth1"
expect_contains "$TMP/d.out" "r1: route 10.0.3.0/24 changed: ospf 110/11 via 10.0.13.3 eth1 -> ospf 110/21 via 10.0.12.2 eth0"
expect_contains "$TMP/d.out" "r1: adjacency ospf 3.3.3.3 eth1 removed: Full"
expect_contains "$TMP/d.out" "r3: adjacency ospf 1.1.1.1 eth0 removed: Full"
expect_contains "$TMP/d.out" "9 changes"
grep -q "^h1:" "$TMP/d.out" && fail "h1's table did not change"

# Reversed: what was removed is added.
rc=0; "$NETSIM" diff --json db da >"$TMP/d.json" || rc=$?
[ $rc = 1 ] || fail "diff --json exited $rc"
python3 - "$TMP/d.json" <<'P'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["a"] == "db" and d["b"] == "da" and d["changes"] == 9, d
r1 = d["devices"]["r1"]
assert r1["adjacencies"]["added"] == [{"adjacency": "ospf 3.3.3.3 eth1", "state": "Full"}], r1
assert r1["routes"]["added"] == [{"prefix": "10.0.13.0/24", "route": {
    "protocol": "connected", "distance": 0, "metric": 0, "nexthops": ["connected eth1"]}}], r1
c = {x["prefix"]: x for x in r1["routes"]["changed"]}["10.0.3.0/24"]
assert c["a"]["metric"] == 21 and c["b"]["metric"] == 11, c
assert set(d["devices"]) == {"r1", "r2", "r3"}, d
P

# tables: the normalized snapshot.
"$NETSIM" exec --json da - tables >"$TMP/t.json"
python3 - "$TMP/t.json" <<'P'
import json, sys
t = json.load(open(sys.argv[1]))["result"]["devices"]
assert set(t) == {"r1", "r2", "r3", "h1", "h3"}, t
assert t["r1"]["adjacencies"] == {"ospf 2.2.2.2 eth0": "Full", "ospf 3.3.3.3 eth1": "Full"}, t["r1"]
assert t["h1"]["routes"]["0.0.0.0/0"] == {"protocol": "static", "distance": 1, "metric": 0,
                                          "nexthops": ["10.0.1.1 eth0"]}, t["h1"]
P

rc=0; "$NETSIM" diff da nosuch 2>"$TMP/e.out" || rc=$?
[ $rc = 2 ] || fail "diff with an unknown network exited $rc"
expect_contains "$TMP/e.out" "nosuch"

# verify through netsim exec: inline and a file of the topology's directory, exit statuses.
"$NETSIM" exec da - "verify [{reachable: {from: h1, to: h3}}, {path: {from: h1, to: h3, avoids: r2}}]" >"$TMP/v.out" \
	|| { cat "$TMP/v.out"; fail "verify on da"; }
expect_contains "$TMP/v.out" "2 passed, 0 failed, 0 inconclusive"
rc=0; "$NETSIM" exec db - "verify [{path: {from: h1, to: h3, avoids: r2}}]" >"$TMP/v2.out" 2>&1 || rc=$?
[ $rc = 1 ] || { cat "$TMP/v2.out"; fail "a failing verify through exec exited $rc"; }
expect_contains "$TMP/v2.out" "FAIL path h1 -> h3 avoids r2: the path crosses r2: h1 -> r1 -> r2 -> r3 -> h3"
rc=0; "$NETSIM" exec da - verify /etc/passwd >"$TMP/v3.out" 2>&1 || rc=$?
[ $rc = 1 ] || fail "verify of a file outside the topology's directory exited $rc"
expect_contains "$TMP/v3.out" "outside"

# netsim daemon fork: a copy at the same instant, identical tables; a failure in the
# copy does not touch the original; the copy holds its own name's lock, not the original's.
# Paused (the fork is too), so that both stay at the instant of the fork while compared.
"$NETSIM" exec da - pause >/dev/null
"$NETSIM" daemon fork da dc >"$TMP/f.out" || { cat "$TMP/f.out"; fail "daemon fork"; }
expect_contains "$TMP/f.out" "netsim daemon dc forked from da (pid "
"$NETSIM" daemon status --json dc >"$TMP/fs.json"
"$NETSIM" daemon status --json da >"$TMP/fa.json"
python3 - "$TMP/fs.json" "$TMP/fa.json" <<'P'
import json, sys
st, orig = (json.load(open(f)) for f in sys.argv[1:])
assert st["name"] == "dc" and st["forkedFrom"] == "da" and st["converged"] is True, st
assert st["simTimeMs"] == orig["simTimeMs"] and st["paused"] is True, (st, orig)
assert st["seed"] == orig["seed"] and st["pid"] != orig["pid"], (st, orig)
P
"$NETSIM" diff da dc >"$TMP/fd.out" || { cat "$TMP/fd.out"; fail "a fresh fork differs"; }
"$NETSIM" exec --json da r1 "show ip ospf database" >"$TMP/db-a.json"
"$NETSIM" exec --json dc r1 "show ip ospf database" >"$TMP/db-c.json"
python3 - "$TMP/db-a.json" "$TMP/db-c.json" <<'P'
import json, sys
a, c = (json.load(open(f))["result"] for f in sys.argv[1:])
assert a == c and a, "the fork's LSDB differs"
P
"$NETSIM" exec da - resume >/dev/null
"$NETSIM" exec dc - resume >/dev/null
"$NETSIM" exec dc - link down r1:eth0 r2:eth0 >/dev/null
"$NETSIM" exec dc - converge >/dev/null
rc=0; "$NETSIM" diff da dc >"$TMP/fd2.out" || rc=$?
[ $rc = 1 ] || { cat "$TMP/fd2.out"; fail "diff after a failure in the fork exited $rc"; }
expect_contains "$TMP/fd2.out" "r1: adjacency ospf 2.2.2.2 eth0 removed: Full"
"$NETSIM" exec da r1 "show ip ospf neighbor" >"$TMP/n.out"
expect_contains "$TMP/n.out" "2.2.2.2"
rc=0; "$NETSIM" daemon fork da dc 2>"$TMP/f2.out" || rc=$?
[ $rc = 1 ] || fail "forking onto a running name exited $rc"
expect_contains "$TMP/f2.out" "already running"
"$NETSIM" daemon stop da >/dev/null
"$NETSIM" daemon start da topologies/ospf-triangle.yaml >/dev/null || fail "da's name is still held after it stopped"
"$NETSIM" exec dc r1 "show ip ospf neighbor" >"$TMP/n2.out"
grep -q "2.2.2.2" "$TMP/n2.out" && fail "the fork lost its own state"
expect_contains "$TMP/n2.out" "3.3.3.3"

# verify FILE in a daemon: a file beside its topology is read (relative to the client's
# directory), its line numbers in the report.
mkdir -p "$TMP/lab"
cp topologies/ospf-triangle.yaml "$TMP/lab/"
printf 'intents:\n  - reachable: {from: h1, to: h3}\n  - path: {from: h1, to: h3, via: r2}\n' >"$TMP/lab/checks.yaml"
"$NETSIM" daemon start dl "$TMP/lab/ospf-triangle.yaml" >/dev/null
rc=0; (cd "$TMP/lab" && "$NETSIM" exec --json dl - verify checks.yaml) >"$TMP/vf.json" || rc=$?
[ $rc = 1 ] || { cat "$TMP/vf.json"; fail "verify checks.yaml exited $rc"; }
python3 - "$TMP/vf.json" <<'P'
import json, sys
env = json.load(open(sys.argv[1]))
assert env["status"] == 1 and env["errorCode"] == "verify-failed", env
r = env["result"]
assert [x["status"] for x in r["results"]] == ["pass", "fail"] and [x["line"] for x in r["results"]] == [2, 3], r
P
