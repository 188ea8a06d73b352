# console-script: `netsim console` leaves a YAML topology's script out unless --script
# asks for it (then it runs before the prompt, not in the middle of interactive work);
# a device command at the network prompt gets a hint, not a Lua syntax error; a piped
# console and a piped `netsim attach` exit 1 when a line failed, 0 otherwise.
. tests/scenario/lib.inc
. tests/daemon/lib.sh

# Without --script: a note, and no entry runs, not even when time is advanced.
printf 'run 2s\ntime\n' | "$NETSIM" console topologies/ospf-triangle.yaml >"$TMP/plain.out" 2>&1
expect_contains "$TMP/plain.out" "topologies/ospf-triangle.yaml: its script (2 entries) is not run here: \`netsim console --script topologies/ospf-triangle.yaml\` runs it before the prompt"
expect_contains "$TMP/plain.out" "Network converged"
expect_not_contains "$TMP/plain.out" "r1> show ip route"
expect_not_contains "$TMP/plain.out" "h1> ping"
# With --script: the entries ran before the first prompt's line (the first `time`).
printf 'time\n' | "$NETSIM" console --script topologies/ospf-triangle.yaml >"$TMP/script.out" 2>&1
expect_not_contains "$TMP/script.out" "is not run here"
grep -n 'h1> ping 10.0.3.10\|^t=' "$TMP/script.out" >"$TMP/order"
head -1 "$TMP/order" | grep -q 'h1> ping' || { cat "$TMP/script.out"; fail "--script: the entries did not run before the prompt"; }
expect_contains "$TMP/script.out" "5/5 packets received"
# A topology without a script: no note.
printf 'time\n' | "$NETSIM" console topologies/isis-hierarchy.yaml >"$TMP/none.out" 2>&1 || true
grep -q '^  *command:' topologies/isis-hierarchy.yaml && exp=1 || exp=0
[ "$(grep -c 'is not run here' "$TMP/none.out")" = "$exp" ] || fail "the note does not match the topology's script"

# A device command at the network prompt: a hint naming a device, no Lua error; exit 1.
set +e
printf 'show ip route\n' | "$NETSIM" console topologies/ospf-triangle.yaml >"$TMP/hint.out" 2>&1
rc=$?
set -e
[ $rc = 1 ] || fail "a piped console whose line failed exited $rc"
expect_contains "$TMP/hint.out" "% 'show ip route' is a device command, and this is the network prompt: run it on a device with \`r1 show ip route\`, or \`connect r1\` first, or in Lua: r1:cmd(\"show ip route\")"
expect_not_contains "$TMP/hint.out" "syntax error"
# Abbreviated, and a host's command names a device that has it.
printf 'sh ip ro\n' | "$NETSIM" console topologies/ospf-triangle.yaml >"$TMP/abbr.out" 2>&1 || true
expect_contains "$TMP/abbr.out" "% 'sh ip ro' is a device command"
# Not a command anywhere: the Lua error stays.
printf 'foo bar\n' | "$NETSIM" console topologies/ospf-triangle.yaml >"$TMP/lua.out" 2>&1 || true
expect_contains "$TMP/lua.out" "syntax error near 'bar'"
expect_not_contains "$TMP/lua.out" "is a device command"
printf 'r1 show ip route\n= 1 + 1\n' | "$NETSIM" console topologies/ospf-triangle.yaml >"$TMP/ok.out" 2>&1 ||
	{ cat "$TMP/ok.out"; fail "a piped console whose lines all worked failed"; }

# help: each network command once, exit as the console does it, no daemon-only commands.
printf 'help\nhelp conv\n' | "$NETSIM" console topologies/ospf-triangle.yaml >"$TMP/help.out" 2>&1
[ "$(grep -c '^converge \[--timeout T\]' "$TMP/help.out")" = 2 ] || { cat "$TMP/help.out"; fail "help, help conv: converge not listed once each"; }
[ "$(grep -c '^help \[COMMAND PREFIX\]' "$TMP/help.out")" = 0 ] || fail "help lists the dispatcher's help beside its own"
expect_contains "$TMP/help.out" "  exit                at a device prompt: back to the network prompt; at netsim>:"
expect_not_contains "$TMP/help.out" "real-time clock"
printf 'connect r1\nexit\ntime\nexit\ntime\n' | "$NETSIM" console topologies/ospf-triangle.yaml >"$TMP/exit.out" 2>&1
[ "$(grep -c '^t=' "$TMP/exit.out")" = 1 ] || { cat "$TMP/exit.out"; fail "exit: not back to the network prompt, then out"; }

# netsim attach, piped: 1 when a line failed, 0 otherwise.
expect_status 0 "$NETSIM" daemon start lab topologies/static-routes.yaml
printf 'show ip route\n= 2 + 3\n' | "$NETSIM" attach lab r1 >"$TMP/a-ok.out" 2>&1 ||
	{ cat "$TMP/a-ok.out"; fail "a piped attach whose lines all worked failed"; }
grep -qx 5 "$TMP/a-ok.out" || { cat "$TMP/a-ok.out"; fail "piped attach output"; }
set +e
printf 'show nosuchthing\n= 2 + 3\n' | "$NETSIM" attach lab r1 >"$TMP/a-bad.out" 2>&1
rc=$?
set -e
[ $rc = 1 ] || { cat "$TMP/a-bad.out"; fail "a piped attach with a failed line exited $rc"; }
grep -qx 5 "$TMP/a-bad.out" || fail "the lines after a failed one did not run"
set +e
printf 'show ip route\n' | "$NETSIM" attach lab - >"$TMP/a-net.out" 2>&1
rc=$?
set -e
[ $rc = 1 ] || { cat "$TMP/a-net.out"; fail "attach at the network scope: a device command exited $rc"; }
expect_contains "$TMP/a-net.out" "is a device command, and this is the network prompt"
echo "console-script: ok"
