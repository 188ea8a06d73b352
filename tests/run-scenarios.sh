#!/bin/sh
# run-scenarios.sh: runs every tests/scenario/*.sh with NETSIM (the binary) and
# NETSIM_SHARED (the shared data directory) set; prints PASS/FAIL per script.
# A script passes when it exits 0.
# Usage: [JOBS=N] NETSIM=./netsim sh tests/run-scenarios.sh [NAME...]
set -u
: "${NETSIM:=./netsim}"
NETSIM=$(cd "$(dirname "$NETSIM")" && pwd)/$(basename "$NETSIM")
if [ -z "${NETSIM_SHARED:-}" ]; then
	for d in ../shared /work/shared; do
		[ -d "$d/captures" ] && NETSIM_SHARED=$(cd "$d" && pwd) && break
	done
fi
[ -n "${NETSIM_SHARED:-}" ] || { echo "run-scenarios: no shared data directory (set NETSIM_SHARED)"; exit 1; }
export NETSIM NETSIM_SHARED
TOP=$(pwd)
export TOP
# Scripts run JOBS at a time (default: one more than the processors, since some
# scripts mostly wait: mpirun's start, daemons, clients); each prints PASS/FAIL as
# it ends, and the failures' logs follow the summary.
JOBS=${JOBS:-$(($(nproc 2>/dev/null || echo 2) + 1))}
OUTDIR=$(mktemp -d)
export OUTDIR
# The longest scripts start first, so that the last to end is a short one.
SLOW="mpi mpi-change determinism bgp-policy gre tcp import sweep lsp-ping l3vpn daemon-basic"
if [ $# -eq 0 ]; then
	list=$(for n in $SLOW; do [ -f "tests/scenario/$n.sh" ] && echo "tests/scenario/$n.sh"; done
	ls tests/scenario/*.sh | grep -v -x -F "$(for n in $SLOW; do echo "tests/scenario/$n.sh"; done)")
else
	list=$*
fi
for t in $list; do
	[ -f "$t" ] || t=tests/scenario/$t.sh
	echo "$t"
done | xargs -P "$JOBS" -I{} sh -c '
	t=$1 name=$(basename "$1" .sh) start=$(date +%s)
	if sh "$t" >"$OUTDIR/$name.log" 2>&1; then
		echo "PASS $name ($(($(date +%s) - start))s)"
		echo 0 >"$OUTDIR/$name.rc"
	else
		echo "FAIL $name"
		echo 1 >"$OUTDIR/$name.rc"
	fi' sh {}
pass=0
fail=0
failed=""
for rc in "$OUTDIR"/*.rc; do
	name=$(basename "$rc" .rc)
	if [ "$(cat "$rc")" = 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		failed="$failed $name"
		echo "--- $name:"
		sed 's/^/    /' "$OUTDIR/$name.log" | tail -40
	fi
done
rm -rf "$OUTDIR"
# A script that left no status (its runner killed) is a failure too.
missing=$(($(echo $list | wc -w) - pass - fail))
[ "$missing" = 0 ] || { fail=$((fail + missing)); failed="$failed (${missing} without a status)"; }
echo "scenarios: $pass passed, $fail failed${failed:+ ($failed )}"
[ "$fail" = 0 ]
