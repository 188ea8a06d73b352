# lua-console.sh: `netsim console` through a real terminal (tmux): device CLI, connect,
# Lua (statements, = expr, multi-line), error recovery, tab completion, time, persistent
# history, exit; and the same console fed from a pipe.
. tests/scenario/lib.inc
command -v tmux >/dev/null || fail "tmux is not installed (make deps)"
SOCK="netsim-test-$$"
export XDG_STATE_HOME="$TMP/state" HOME="$TMP"
T() { tmux -L "$SOCK" "$@"; }
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
screen() { T capture-pane -p -J -S - -t con; }
# wait_for TEXT: until the terminal shows TEXT (5 s at most).
wait_for() {
	i=0
	while ! screen | grep -qF -- "$1"; do
		i=$((i + 1))
		[ $i -lt 100 ] || { screen; fail "console never showed '$1'"; }
		sleep 0.05
	done
}
start() {
	T new-session -d -s con -x 160 -y 50 "$NETSIM console scenarios/_diamond.lua; echo EXITED \$?; sleep 30"
	wait_for "netsim> "
}
start
# Device CLI, with a Tab-completed abbreviation.
T send-keys -t con "r1 sh" Tab
wait_for "netsim> r1 show "
T send-keys -t con "ip route" Enter
wait_for "S     10.0.4.0/24 [1/0] via 10.0.12.2, eth0"
# Lua values and device handles.
T send-keys -t con "= net.r1.eth0.ip, #net:devices()" Enter
wait_for "10.0.12.1/24"
# connect: the device's prompt, its commands, exit back.
T send-keys -t con "connect r2" Enter
wait_for "r2> "
T send-keys -t con "show ip route" Enter
wait_for "S     10.0.1.0/24 [1/0] via 10.0.12.1, eth0"
T send-keys -t con -l "exit"
T send-keys -t con Enter
# A Lua error: message and traceback, and the console goes on.
T send-keys -t con "x.y = 1" Enter
wait_for "attempt to index a nil value (global 'x')"
wait_for "stack traceback:"
T send-keys -t con "= 6 * 7" Enter
wait_for "42"
# A chunk over several lines.
T send-keys -t con "for i = 1, 2 do" Enter
wait_for ">> "
T send-keys -t con "print('line ' .. i * 10)" Enter
T send-keys -t con -l "end"
T send-keys -t con Enter
wait_for "line 20"
# Completion of Lua fields and methods.
T send-keys -t con "net.r" Tab Tab
wait_for "net.run_until_converged"
T send-keys -t con C-u
# A command's options past its address (not `json json`).
T send-keys -t con "r1 ping 10.0.12.2 " Tab Tab
wait_for "timeout"
screen | grep -q "interval" || { screen; fail "ping's options are not offered"; }
! screen | grep -q "json json" || { screen; fail "completion repeated json"; }
T send-keys -t con C-u
# An endpoint: the device and its colon (no space after it), then its interfaces.
T send-keys -t con "link down r3" Tab "|"
wait_for "netsim> link down r3:|"
T send-keys -t con BSpace "eth" Tab Tab
wait_for "r3:eth2"
screen | grep -q "r3:eth0 .*r3:eth1 .*r3:eth2" || { screen; fail "link down r3:eth<Tab><Tab>"; }
T send-keys -t con C-u
# Time: run, chaos, converge, a custom command.
T send-keys -t con "run 1s" Enter
wait_for "t=1003ms (converged)"
T send-keys -t con 'chaos.link_down("r1--r2")' Enter
wait_for "chaos: link r1:eth0--r2:eth0 down"
T send-keys -t con "converge" Enter
wait_for "already converged (since t=1003ms)"
T send-keys -t con "r1 show fabric health" Enter
wait_for "fabric: 6/7 links up"
# A device command typed at the top: a hint, not just a Lua syntax error.
T send-keys -t con "show ip route" Enter
wait_for "is a device command"
T send-keys -t con C-d
wait_for "EXITED 0"
T kill-session -t con
# History persisted; Up recalls the last line in a new console.
grep -qF "r1 show fabric health" "$XDG_STATE_HOME/netsim/history" || fail "history file"
start
T send-keys -t con Up
wait_for "netsim> show ip route"
T send-keys -t con C-u "exit" Enter
wait_for "EXITED 0"
T kill-session -t con
# The same core without a terminal.
printf 'r1 show ip route\n= net.h1:ping("10.0.4.10").received\nh1 ping 10.0.9.9 count 1\nexit\n' |
	"$NETSIM" console scenarios/_diamond.lua >"$TMP/pipe.out" 2>&1 || true
expect_contains "$TMP/pipe.out" "C     10.0.1.0/24 is directly connected, eth2"
expect_contains "$TMP/pipe.out" "5"
printf 'open tests/scenario/lua-fixtures/hooks.yaml\nr1 show fabric summary\n= net.name\n' |
	"$NETSIM" console scenarios/_diamond.lua >"$TMP/load.out" 2>&1
expect_contains "$TMP/load.out" "loaded lua-hooks: 4 devices, 3 links"
expect_contains "$TMP/load.out" "r1: 3 of 3 links up"
expect_contains "$TMP/load.out" "lua-hooks"
# An endless loop typed at a console ends with an error (an instruction budget); the console goes on.
printf 'while true do end\n= 40 + 2\nconnect r1\nx = 0 while true do x = x + 1 end\n= x > 0\n' |
	"$NETSIM" console scenarios/_diamond.lua >"$TMP/loop.out" 2>&1 || true
expect_contains "$TMP/loop.out" "lua: instruction budget exceeded (200000000 instructions; an endless loop?)"
expect_contains "$TMP/loop.out" "42"
expect_contains "$TMP/loop.out" "true"
[ "$(grep -c 'an endless loop' "$TMP/loop.out")" -eq 2 ] || fail "both loops should have been stopped"
echo ok
