# exec --json: one envelope for every command (device and network scope, actions,
# console lines, failures before and after the daemon), actions carried out, the
# command's JSON in "result" (failed pings and traceroutes too), text in "output",
# and a message and a stable code on failure. Every JSON output ends with a newline.
. tests/scenario/lib.inc
. tests/daemon/lib.sh

expect_status 0 "$NETSIM" daemon start lab topologies/static-routes.yaml --tick-interval 50ms

# envl NAME STATUS CODE DEVICE COMMAND...: exec --json into $TMP/env/NAME with its exit status;
# the envelopes are checked at the end in one pass (CODE "-": it succeeded, no error).
mkdir "$TMP/env"
envl() {
	name=$1 want=$2 code=$3
	shift 3
	expect_status "$want" "$NETSIM" exec --json lab "$@"
	[ "$(tail -c 1 "$TMP/out" | od -An -c | tr -d ' ')" = '\n' ] || fail "exec --json $*: no final newline"
	cp "$TMP/out" "$TMP/env/$name"
	echo "$name $want $code" >>"$TMP/env.list"
}

envl route 0 - r2 "show ip route"
envl time 0 - - time
envl devices 0 - - devices
# An action asked for with --json is carried out: the link goes down, and h1 loses h2.
envl linkdown 0 - - "link down r2:eth1 r3:eth0"
envl shut 0 - r1 "interface eth1 shutdown"
envl noshut 0 - r1 "interface eth1 no shutdown"
envl ping-fail 1 no-reply h1 "ping 192.168.2.10 count 1"
envl trace-fail 1 not-reached h1 "traceroute 192.168.2.10 max-ttl 3 timeout 1"
envl linkup 0 - - "link up r2:eth1 r3:eth0"
envl converge 0 - - "converge --timeout 10s"
envl ping-ok 0 - h1 "ping 192.168.2.10 count 1"
envl summary 0 - r1 "show ip route summary json"
envl unknown 1 unknown-command r1 shw
envl ambiguous 1 ambiguous-command r1 "show i"
envl incomplete 1 incomplete-command r1 "show ip"
envl notavail 1 not-available r1 "show vlan"
envl rsvp 1 protocol-unavailable r1 "show rsvp neighbor"
envl keyword 1 bad-argument r1 "show ip route osfp"
envl routeadd 1 command-failed r1 "route add 172.16.0.0/16 via nowhere"
envl badlink 1 command-failed - "link down r1:eth9"
envl nodev 1 no-such-device r9 "show ip route"
envl lua-error 1 console-error - "error('boom')"
envl lua-value 0 - - "= 6 * 7"
envl usage 2 usage r1 ""
expect_status 3 "$NETSIM" exec --json nosuch r1 "show ip route"
cp "$TMP/out" "$TMP/env/nodaemon"
echo "nodaemon 3 no-daemon" >>"$TMP/env.list"

python3 - "$TMP/env" "$TMP/env.list" <<'P' || fail "exec --json envelopes"
import json, os, sys
d = {}
for line in open(sys.argv[2]):
    name, want, code = line.split()
    e = d[name] = json.load(open(os.path.join(sys.argv[1], name)))
    assert e["status"] == int(want), (name, e)
    if code == "-":
        assert "error" not in e and "errorCode" not in e, (name, e)
    else:
        assert e["errorCode"] == code, (name, e)
        assert isinstance(e["error"], str) and e["error"] and not e["error"].startswith("%"), (name, e)
# A show command: its JSON form under "result", with the daemon's clock.
r = d["route"]
assert r["result"]["192.168.2.0/24"][0]["protocol"] == "static", r
assert r["converged"] is True and r["simTimeMs"] > 0 and r["device"] == "r2", r
assert r["command"] == "show ip route" and "output" not in r, r
# Console lines and actions: their text.
assert "(converged)" in d["time"]["output"], d["time"]
assert "r4" in d["devices"]["output"] and "result" not in d["devices"], d["devices"]
assert "down" in d["linkdown"]["output"], d["linkdown"]
# The link really went down: the ping failed, and says why, with its JSON.
p = d["ping-fail"]
assert p["result"]["received"] == 0 and p["result"]["transmitted"] == 1, p
assert p["error"] == "no reply from 192.168.2.10", p
t = d["trace-fail"]
assert t["result"]["reached"] is False and len(t["result"]["hops"]) == 3, t
assert d["converge"]["result"]["converged"] is True, d["converge"]
assert d["ping-ok"]["result"]["received"] == 1, d["ping-ok"]
assert d["summary"]["result"]["routesTotal"] > 0, d["summary"]
assert d["rsvp"]["error"] == "RSVP is not available in this build", d["rsvp"]
assert "boom" in d["lua-error"]["error"], d["lua-error"]
assert d["lua-value"]["output"].strip() == "42", d["lua-value"]
assert "device" not in d["nodaemon"] or d["nodaemon"]["device"] == "r1", d["nodaemon"]
P

# Other JSON outputs end with a newline too.
expect_status 0 "$NETSIM" exec lab r1 "show ip route json"
[ "$(tail -c 1 "$TMP/out" | od -An -c | tr -d ' ')" = '\n' ] || fail "show ... json: no final newline"
expect_status 0 "$NETSIM" daemon status lab --json
[ "$(tail -c 1 "$TMP/out" | od -An -c | tr -d ' ')" = '\n' ] || fail "status --json: no final newline"
