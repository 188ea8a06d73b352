# lib.sh: helpers for the daemon tests (sourced after tests/scenario/lib.inc).
#
# Every daemon runs under a private runtime directory and HOME in $TMP, so a
# test never sees the user's daemons, and the EXIT trap stops every daemon
# the test started, even when it fails. The daemons' logs are then searched
# for sanitizer reports (make test SAN=1): a leak or a UB report fails the test.
export XDG_RUNTIME_DIR="$TMP/run"
export HOME="$TMP/home"
unset XDG_STATE_HOME
mkdir -p "$XDG_RUNTIME_DIR" "$HOME"
chmod 700 "$XDG_RUNTIME_DIR"
RUN="$XDG_RUNTIME_DIR/netsim"

# daemon_cleanup [STATUS]: the EXIT trap; STATUS (default $?) is the test's.
daemon_cleanup() {
	rc=${1:-$?}
	set +e
	for p in "$RUN"/*.pid; do
		[ -f "$p" ] || continue
		name=$(basename "$p" .pid)
		"$NETSIM" daemon stop "$name" --timeout 5s >/dev/null 2>&1
		pid=$(cat "$p" 2>/dev/null)
		[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	done
	# Sanitizer reports land in the daemons' logs (their stderr).
	if grep -l -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$RUN"/*.log* 2>/dev/null; then
		grep -h -B2 -A30 -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$RUN"/*.log* | head -60
		echo "FAIL: sanitizer report in a daemon log" >&2
		rc=1
	fi
	rm -rf "$TMP"
	exit $rc
}
trap daemon_cleanup EXIT
trap 'exit 1' INT TERM

# pid_of NAME
pid_of() {
	cat "$RUN/$1.pid"
}

# wait_gone PID: until the process has exited (at most 5 s). A zombie counts as gone
# (its parent may be an init that does not reap), but only once its last thread is:
# a killed multi-threaded process's leader turns Z while the other threads still
# hold its files (the daemon's socket accepted a connection then and reset it).
proc_alive() {
	kill -0 "$1" 2>/dev/null || return 1
	[ "$(awk '{print $3}' /proc/"$1"/stat 2>/dev/null)" != Z ] && return 0
	[ "$(ls /proc/"$1"/task 2>/dev/null | wc -l)" -gt 1 ]
}
wait_gone() {
	i=0
	while proc_alive "$1"; do
		i=$((i + 1))
		[ $i -lt 500 ] || fail "process $1 did not exit"
		sleep 0.01
	done
}

# expect_status WANT CMD...: run CMD, check its exit status, keep its output in $OUT/$ERR.
expect_status() {
	want=$1
	shift
	set +e
	"$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	set -e
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
	if [ "$got" != "$want" ]; then
		echo "--- stdout:"; cat "$TMP/out"; echo "--- stderr:"; cat "$TMP/err"
		fail "'$*' exited $got, expected $want"
	fi
}

# out_has TEXT / err_has TEXT: in the last expect_status output.
out_has() {
	grep -qF -- "$1" "$TMP/out" || { cat "$TMP/out"; fail "expected '$1' in the output of the last command"; }
}
err_has() {
	grep -qF -- "$1" "$TMP/err" || { cat "$TMP/err"; fail "expected '$1' on stderr of the last command"; }
}

# complete NAME DEVICE LINE: the daemon's completion candidates for LINE on
# DEVICE (the console's Tab), one per line, through the socket protocol.
complete() {
	python3 - "$@" <<'PY'
import json, os, socket, sys
name, device, line = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(os.path.join(os.environ["XDG_RUNTIME_DIR"], "netsim", name + ".sock"))
f = s.makefile("rwb")
f.write(json.dumps({"v": 1, "id": 1, "op": "complete", "device": device, "line": line}).encode() + b"\n")
f.flush()
while True:
    r = json.loads(f.readline())
    if "ok" in r:
        print("\n".join(r["candidates"]))
        break
PY
}

# completes NAME DEVICE LINE WORD...: every WORD is among LINE's candidates.
completes() {
	_n=$1 _d=$2 _l=$3
	shift 3
	complete "$_n" "$_d" "$_l" >"$TMP/complete.out" || fail "completion of '$_l'"
	for _w in "$@"; do
		grep -qxF -- "$_w" "$TMP/complete.out" || { cat "$TMP/complete.out"; fail "'$_l' does not complete '$_w'"; }
	done
}

# completes_only NAME DEVICE LINE WORD: LINE's only candidate is WORD.
completes_only() {
	complete "$1" "$2" "$3" >"$TMP/complete.out" || fail "completion of '$3'"
	[ "$(cat "$TMP/complete.out")" = "$4" ] || { cat "$TMP/complete.out"; fail "'$3' completes to more than '$4'"; }
}
