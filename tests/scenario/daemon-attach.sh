# daemon-attach: `netsim attach` driven through a pseudo-terminal (tmux): the prompt,
# device CLI, Lua (= expr, statements, errors, a custom command), connect, tab
# completion answered by the daemon (commands, dev:if endpoints, chaos actions), history recalled with Up across sessions,
# Ctrl-C, and exit and Ctrl-D detaching while the daemon keeps running.
. tests/scenario/lib.inc
. tests/daemon/lib.sh

command -v tmux >/dev/null || fail "tmux is needed (make deps)"
# One tmux server per console: a new server on the socket of one being killed can
# find it still there, dying ("server exited unexpectedly").
NTMUX=0
TMUXS="$TMP/tmux0.sock"
tm() {
	tmux -S "$TMUXS" "$@"
}
stop_tmux() {
	tmux -S "$TMUXS" kill-server 2>/dev/null || true
}
# The tmux server goes before the daemons do; the test's status survives both.
trap 'st=$?; stop_tmux; daemon_cleanup $st' EXIT

screen() {
	tm capture-pane -p -N -t t -S -300
}
# wait_screen TEXT: until the pane shows TEXT (5 s at most).
wait_screen() {
	i=0
	until screen | grep -qF -- "$1"; do
		i=$((i + 1))
		if [ $i -gt 250 ]; then
			echo "--- screen:"; screen | grep -v '^ *$'
			fail "the console never showed '$1'"
		fi
		sleep 0.02
	done
}
# wait_screen_line LINE: until a whole line of the pane is LINE.
wait_screen_line() {
	i=0
	until screen | grep -qx -- "$1"; do
		i=$((i + 1))
		if [ $i -gt 250 ]; then
			echo "--- screen:"; screen | grep -v '^ *$'
			fail "the console never showed the line '$1'"
		fi
		sleep 0.02
	done
}
# type_line TEXT: type a line and Enter.
type_line() {
	tm send-keys -t t -l -- "$1"
	tm send-keys -t t Enter
}
# tab_to TEXT SCREEN: type TEXT, press Tab, until the pane shows SCREEN.
tab_to() {
	tm send-keys -t t -l -- "$1"
	tm send-keys -t t Tab
	wait_screen "$2"
}
# console DEVICE: a fresh console in the pane.
console() {
	stop_tmux
	NTMUX=$((NTMUX + 1))
	TMUXS="$TMP/tmux$NTMUX.sock"
	tm -f /dev/null new-session -d -s t -x 160 -y 60 \
	    "env HOME='$HOME' XDG_RUNTIME_DIR='$XDG_RUNTIME_DIR' TERM=xterm '$NETSIM' attach lab $1; echo CONSOLE-EXIT=\$?; sleep 30"
	wait_screen "$1> "
}

expect_status 0 "$NETSIM" daemon start lab topologies/static-routes.yaml

# --- session 1 --------------------------------------------------------------------------
console r1
wait_screen "Attached to r1"
type_line "show ip route"
wait_screen "Gateway of last resort is 10.0.12.2"
# Ctrl-C drops the line being edited; the console goes on.
tm send-keys -t t -l "garbage that is never run"
wait_screen "r1> garbage that is never run"
tm send-keys -t t C-c
wait_screen "garbage that is never run^C"
type_line "= 1 + 1"
wait_screen_line "2"
type_line "lua x = 20"
type_line "= x * 2 + 2"
wait_screen_line "42"
type_line "lua error('oops, a Lua error')"
wait_screen "oops, a Lua error"
type_line "lua netsim.command('show greeting', function() return 'hello from Lua' end)"
type_line "show greeting"
wait_screen "hello from Lua"
type_line "shw"
wait_screen "% unknown command: 'shw'"
type_line "connect r2"
wait_screen "r2> "
# Tab completion: the daemon completes the words.
tm send-keys -t t -l "show inter"
tm send-keys -t t Tab
wait_screen "r2> show interfaces "
tm send-keys -t t Enter
wait_screen "10.0.23.1/30"
tm send-keys -t t -l "connect "
tm send-keys -t t Tab Tab
wait_screen "r4"
screen | grep -q "h1 .*h2 .*r1 .*r2 .*r3 .*r4" || { screen; fail "connect Tab Tab does not list the devices"; }
tm send-keys -t t C-u
type_line "link down r1:eth1 r2:eth0"
wait_screen "link r1:eth1--r2:eth0 down"
type_line "link up r1:eth1 r2:eth0"
wait_screen "link r1:eth1--r2:eth0 up"
# Endpoints complete: the device with its colon (no space), then its interfaces.
tm send-keys -t t -l "link down r4"
tm send-keys -t t Tab
tm send-keys -t t -l "|"
wait_screen "r2> link down r4:|"
tm send-keys -t t BSpace Tab
wait_screen "r2> link down r4:eth"
tm send-keys -t t Tab Tab
wait_screen "r4:eth1"
screen | grep -q "r4:eth0 .*r4:eth1" || { screen; fail "link down r4:<Tab><Tab> does not list r4's interfaces"; }
tab_to "1" "r2> link down r4:eth1 "
tm send-keys -t t C-u
# chaos actions complete (the chaos module's functions).
tab_to "chaos cra" "r2> chaos crash "
tm send-keys -t t C-u
type_line "end"
wait_screen "netsim> "
type_line "r4 show ip route"
wait_screen "0.0.0.0/0 [1/0] via 10.0.34.1"
type_line "z = 5"
type_line "= z + 100"
wait_screen_line "105"
# Lua names complete too (the word is "net:no" here, not "= net:no").
tm send-keys -t t -l "= net:no"
tm send-keys -t t Tab
wait_screen "netsim> = net:now"
tm send-keys -t t C-u
tab_to "= chaos.link_d" "netsim> = chaos.link_down"
tm send-keys -t t C-u
# ...and in a Lua string, an endpoint.
tab_to '= chaos.link_down("r3:' 'netsim> = chaos.link_down("r3:eth'
tm send-keys -t t Tab Tab
wait_screen "r3:eth1"
tm send-keys -t t C-u
type_line "help"
wait_screen "connect DEVICE"
# exit as it behaves here (it detaches), and the daemon's clock commands.
wait_screen "exit                detach from the daemon, from any prompt"
wait_screen "stop the real-time clock"
[ "$(screen | grep -c '^converge \[--timeout T\]')" = 1 ] || { screen; fail "help lists converge more than once"; }
type_line "exit"
wait_screen "Detached from lab"
wait_screen "CONSOLE-EXIT=0"
[ -f "$HOME/.netsim_history" ] || fail "no history file"
grep -qx "show interfaces" "$HOME/.netsim_history" || { cat "$HOME/.netsim_history"; fail "history lacks 'show interfaces'"; }

# --- session 2: history from session 1, Ctrl-D --------------------------------------------
console r3
tm send-keys -t t Up Up Up
wait_screen "r3> = z + 100"
tm send-keys -t t Down
wait_screen "r3> help"
tm send-keys -t t Enter
wait_screen "show ip route"
type_line "show interfaces"
wait_screen "10.0.34.1/30"
tm send-keys -t t C-d
wait_screen "CONSOLE-EXIT=0"
stop_tmux

# The daemon kept running, and logged the console's commands.
expect_status 0 "$NETSIM" exec lab r1 "show greeting"
out_has "hello from Lua"
grep -q 'console r2> "show interfaces" -> ok' "$RUN/lab.log" || fail "console commands are not in the log"
expect_status 3 "$NETSIM" attach nosuch r1
expect_status 1 "$NETSIM" attach lab r9
err_has "no such device"
# Without a terminal, the console reads lines (scripts can pipe into it).
printf 'show ip route\n= 2 + 3\n' | "$NETSIM" attach lab r1 >"$TMP/piped" 2>&1
grep -q "Gateway of last resort" "$TMP/piped" && grep -qx 5 "$TMP/piped" || { cat "$TMP/piped"; fail "piped console"; }
echo "daemon-attach: ok"
