# daemon-basic: netsim daemon start|status|list|stop and netsim exec through the real
# binary: runtime files and modes, exit statuses, device and network commands, JSON,
# 100 concurrent clients, stale-file cleanup after kill -9, SIGTERM/SIGINT shutdown.
. tests/scenario/lib.inc
. tests/daemon/lib.sh

# --- start, files, refusal of a second start --------------------------------------------
expect_status 0 "$NETSIM" daemon start lab topologies/static-routes.yaml --tick-interval 50ms
out_has "netsim daemon lab started"
[ "$(stat -c %a "$RUN")" = 700 ] || fail "runtime directory mode $(stat -c %a "$RUN")"
[ -S "$RUN/lab.sock" ] || fail "no socket"
[ "$(stat -c %a "$RUN/lab.sock")" = 600 ] || fail "socket mode $(stat -c %a "$RUN/lab.sock")"
[ -f "$RUN/lab.pid" ] && [ -f "$RUN/lab.log" ] || fail "no pid or log file"
kill -0 "$(pid_of lab)" || fail "pid file names no live process"
expect_status 1 "$NETSIM" daemon start lab topologies/static-routes.yaml
err_has "already running"
expect_status 2 "$NETSIM" daemon start 'bad/name' topologies/static-routes.yaml
expect_status 2 "$NETSIM" daemon start other topologies/nonexistent.yaml
expect_status 2 "$NETSIM" daemon start other topologies/static-routes.yaml --speed 0
# A topology that does not load: the reason, exit status 1, and no files left behind.
printf 'devices:\n  - name: r1\n    interfaces: [{name: eth0, ip: 10.0.0.300/24}]\n' >"$TMP/bad.yaml"
expect_status 1 "$NETSIM" daemon start broken "$TMP/bad.yaml"
err_has "failed to start"
err_has "bad.yaml"
[ ! -e "$RUN/broken.sock" ] && [ ! -e "$RUN/broken.pid" ] || fail "a failed start left files"

# --- exec: device commands --------------------------------------------------------------
expect_status 0 "$NETSIM" exec lab r2 "show ip route"
out_has "S     192.168.2.0/24 [1/0] via 10.0.23.2, eth1"
expect_status 0 "$NETSIM" exec lab r2 show ip route
out_has "192.168.1.0/24"
expect_status 0 "$NETSIM" exec lab h1 "ping 192.168.2.10 count 2"
out_has "2/2 packets received"
expect_status 1 "$NETSIM" exec lab h1 "ping 203.0.113.5 count 1 timeout 1"
expect_status 0 "$NETSIM" exec lab r1 "route add 172.16.0.0/16 via 10.0.12.2"
expect_status 0 "$NETSIM" exec lab r1 "show ip route"
out_has "172.16.0.0/16 [1/0] via 10.0.12.2"
expect_status 1 "$NETSIM" exec lab r1 "shw ip route"
err_has "% unknown command"
expect_status 1 "$NETSIM" exec lab r1 "route add 172.16.0.0/16 via nowhere"
expect_status 1 "$NETSIM" exec lab r9 "show ip route"
err_has "no such device"
expect_status 3 "$NETSIM" exec nosuch r1 "show ip route"
err_has "no daemon named 'nosuch'"
expect_status 2 "$NETSIM" exec lab r1
expect_status 2 "$NETSIM" exec lab r1 ""
expect_status 2 "$NETSIM" exec --bogus lab r1 "show ip route"

# --json: the envelope with the command's JSON form; failures as JSON too (daemon-json.sh has more).
expect_status 0 "$NETSIM" exec --json lab r2 "show ip route"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["result"]; assert d["192.168.2.0/24"][0]["protocol"] == "static", d' "$TMP/out" ||
	fail "exec --json: not the route table as JSON"
expect_status 1 "$NETSIM" exec --json lab r1 "shw"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["status"] == 1 and "unknown" in d["error"]' "$TMP/out" ||
	fail "exec --json of a failing command: no JSON error"

# --- exec: network scope ----------------------------------------------------------------
simtime() { # simulated time in whole milliseconds, from status
	"$NETSIM" daemon status lab --json | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["simTimeMs"]))'
}
expect_status 0 "$NETSIM" exec lab - time
out_has "(converged)"
expect_status 0 "$NETSIM" exec lab - devices
out_has "r4"
expect_status 0 "$NETSIM" exec --json lab - time
expect_status 0 "$NETSIM" exec lab - "link down r2:eth1 r3:eth0"
out_has "link r2:eth1--r3:eth0 down"
expect_status 1 "$NETSIM" exec lab h1 "ping 192.168.2.10 count 1"
expect_status 0 "$NETSIM" exec lab - "link up r2:eth1 r3:eth0"
expect_status 0 "$NETSIM" exec lab - converge
out_has "converged"
expect_status 0 "$NETSIM" exec --json lab - "converge --timeout 10s"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["result"]["converged"] is True' "$TMP/out"
expect_status 0 "$NETSIM" exec lab h1 "ping 192.168.2.10 count 1"
expect_status 1 "$NETSIM" exec lab - "link down r1:eth9"
expect_status 0 "$NETSIM" exec lab - "r2 show ip route"
out_has "192.168.2.0/24"
expect_status 0 "$NETSIM" exec lab - pause
t1=$(simtime)
sleep 0.3
t2=$(simtime)
[ "$t1" = "$t2" ] || fail "simulated time moved while paused ($t1 -> $t2)"
expect_status 0 "$NETSIM" exec lab - "run 5s"
[ "$(simtime)" -ge $((t2 + 5000)) ] || fail "run 5s did not advance simulated time by 5s"
expect_status 0 "$NETSIM" exec lab - resume
sleep 0.3
t3=$(simtime)
[ "$t3" -gt $((t2 + 5000)) ] || fail "simulated time did not tick after resume ($t2 -> $t3)"
expect_status 0 "$NETSIM" exec lab - events
out_has "link r2:eth1--r3:eth0 down"
expect_status 0 "$NETSIM" exec lab - "= 6 * 7"
out_has "42"
expect_status 1 "$NETSIM" exec lab - "error('boom')"
out_has "boom"
expect_status 0 "$NETSIM" exec lab - help
out_has "converge"

# --- status, list -----------------------------------------------------------------------
expect_status 0 "$NETSIM" daemon status lab
out_has "running (pid $(pid_of lab))"
out_has "devices:   6"
expect_status 0 "$NETSIM" daemon status lab --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["devices"] == 6 and d["converged"] and d["tickIntervalMs"] == 50, d' "$TMP/out"
expect_status 3 "$NETSIM" daemon status nosuch
expect_status 0 "$NETSIM" daemon list
out_has "lab"

# --- 100 concurrent clients -------------------------------------------------------------
for d in r1 r2 r3 r4; do
	"$NETSIM" exec lab $d "show interfaces" >"$TMP/ref.$d"
done
i=0
while [ $i -lt 100 ]; do
	d=r$((i % 4 + 1))
	( "$NETSIM" exec lab $d "show interfaces" >"$TMP/c.$i" 2>&1; echo $? >"$TMP/c.$i.rc" ) &
	i=$((i + 1))
done
wait
i=0
while [ $i -lt 100 ]; do
	d=r$((i % 4 + 1))
	[ "$(cat "$TMP/c.$i.rc")" = 0 ] || { cat "$TMP/c.$i"; fail "concurrent client $i failed"; }
	cmp -s "$TMP/c.$i" "$TMP/ref.$d" || fail "concurrent client $i got a wrong answer"
	i=$((i + 1))
done

# --- the log: every command with its simulated time -------------------------------------
grep -q '^\[t=[0-9.]*[mnu]*s\] client [0-9]* exec r1 "route add 172.16.0.0/16 via 10.0.12.2" -> ok' "$RUN/lab.log" ||
	{ cat "$RUN/lab.log"; fail "the log lacks the route add command"; }

# --- stale files: kill -9, then the same name starts again ------------------------------
pid=$(pid_of lab)
kill -9 "$pid"
wait_gone "$pid"
[ -e "$RUN/lab.sock" ] || fail "kill -9 should leave the socket behind"
expect_status 3 "$NETSIM" exec lab r1 "show ip route"
expect_status 0 "$NETSIM" daemon start lab topologies/static-routes.yaml
[ "$(pid_of lab)" != "$pid" ] || fail "same pid after restart"
expect_status 0 "$NETSIM" exec lab r1 "show ip route"
# status cleans the files of a daemon that died
pid=$(pid_of lab)
kill -9 "$pid"
wait_gone "$pid"
expect_status 3 "$NETSIM" daemon status lab
err_has "stale"
[ ! -e "$RUN/lab.sock" ] && [ ! -e "$RUN/lab.pid" ] || fail "status did not remove stale files"
expect_status 3 "$NETSIM" daemon stop lab

# --- SIGTERM, SIGINT: clean shutdown, files removed -------------------------------------
for sig in TERM INT; do
	expect_status 0 "$NETSIM" daemon start lab topologies/vlan-switching.yaml
	pid=$(pid_of lab)
	kill -$sig "$pid"
	wait_gone "$pid"
	[ ! -e "$RUN/lab.sock" ] && [ ! -e "$RUN/lab.pid" ] || fail "SIG$sig left files behind"
	grep -q "shutting down" "$RUN/lab.log" || fail "SIG$sig: no shutdown in the log"
done

# --- stop -------------------------------------------------------------------------------
expect_status 0 "$NETSIM" daemon start lab topologies/vlan-switching.yaml
expect_status 0 "$NETSIM" exec lab sw1 "show vlan"
pid=$(pid_of lab)
expect_status 0 "$NETSIM" daemon stop lab
out_has "stopped"
[ ! -e "$RUN/lab.sock" ] && [ ! -e "$RUN/lab.pid" ] || fail "stop left files behind"
kill -0 "$pid" 2>/dev/null && [ "$(awk '{print $3}' /proc/"$pid"/stat)" != Z ] && fail "stop returned before the daemon exited"
expect_status 3 "$NETSIM" daemon stop lab

# --- a wedged daemon is killed by stop after its timeout -----------------------------------
# (Stopped with SIGSTOP: an endless Lua loop is no wedge any more, its instruction
# budget ends it within about a second, which would race with the timeout.)
expect_status 0 "$NETSIM" daemon start lab topologies/static-routes.yaml
pid=$(pid_of lab)
kill -STOP "$pid"
expect_status 0 "$NETSIM" daemon stop lab --timeout 500ms
err_has "killing it"
wait_gone "$pid"
[ ! -e "$RUN/lab.sock" ] && [ ! -e "$RUN/lab.pid" ] || fail "stop of a wedged daemon left files behind"
wait
expect_status 0 "$NETSIM" daemon list
echo "daemon-basic: ok"
