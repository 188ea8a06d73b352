# run-progress.sh: the progress line of a long run shows on a terminal's stderr only,
# is erased at the end, and the summary never claims "0.000s real time".
. tests/scenario/lib.inc
command -v tmux >/dev/null || fail "tmux is not installed (make deps)"
"$NETSIM" gen grid 20x20 --igp ospf >"$TMP/grid.yaml"

# Piped: nothing on stderr, whatever the run's length.
"$NETSIM" run --threads 1 "$TMP/grid.yaml" >"$TMP/piped.out" 2>"$TMP/piped.err"
[ ! -s "$TMP/piped.err" ] || { cat "$TMP/piped.err"; fail "a piped run wrote progress to stderr"; }
expect_contains "$TMP/piped.out" "Simulation complete:"

# The summary's wall-clock part: "<1 ms real time", or seconds with a speedup; never 0.000s.
"$NETSIM" run topologies/ospf-triangle.yaml >"$TMP/tri.out"
grep -Eq '^Simulation complete: [0-9.]+m?s simulated, (<1 ms real time|[0-9]+\.[0-9]{3}s real time( \([0-9]+x speedup\))?)$' "$TMP/tri.out" ||
	{ grep '^Simulation complete' "$TMP/tri.out"; fail "bad summary line"; }
expect_not_contains "$TMP/tri.out" "0.000s real time"

# On a terminal: the line appears while the run goes on and is gone at the end;
# stdout (redirected) never sees it.
SOCK="netsim-progress-$$"
T() { tmux -L "$SOCK" "$@"; }
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
screen() { T capture-pane -p -J -t p; }
"$NETSIM" gen grid 24x24 --igp ospf >"$TMP/big.yaml"
T new-session -d -s p -x 200 -y 20 "$NETSIM run --threads 1 $TMP/big.yaml >$TMP/tty.out; echo EXITED \$?; sleep 30"
seen=0 i=0
while ! screen | grep -q EXITED; do
	screen | grep -Eq '^\[t=[0-9.]+m?s\] [0-9]+ events/s, [0-9]+/576 devices converged' && seen=1
	i=$((i + 1))
	[ $i -lt 600 ] || fail "the run did not end"
	sleep 0.05
done
[ $seen = 1 ] || fail "no progress line on the terminal"
screen | grep -q 'EXITED 0' || { screen; fail "the run failed"; }
! screen | grep -q 'events/s' || { screen; fail "the progress line was not erased"; }
expect_not_contains "$TMP/tty.out" "events/s"
expect_contains "$TMP/tty.out" "Simulation complete:"
