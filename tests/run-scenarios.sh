#!/bin/sh
# run-scenarios.sh: runs every tests/scenario/*.sh with NETSIM (the binary) and
# NETSIM_SHARED (the shared data directory) set; prints PASS/FAIL per script.
# A script passes when it exits 0. Usage: NETSIM=./netsim sh tests/run-scenarios.sh [NAME...]
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
pass=0
fail=0
failed=""
list=${*:-$(ls tests/scenario/*.sh)}
for t in $list; do
	[ -f "$t" ] || t=tests/scenario/$t.sh
	name=$(basename "$t" .sh)
	log=$(mktemp)
	start=$(date +%s)
	if sh "$t" >"$log" 2>&1; then
		pass=$((pass + 1))
		echo "PASS $name ($(($(date +%s) - start))s)"
	else
		fail=$((fail + 1))
		failed="$failed $name"
		echo "FAIL $name"
		sed 's/^/    /' "$log" | tail -40
	fi
	rm -f "$log"
done
echo "scenario tests: $pass passed, $fail failed${failed:+ ($failed )}"
[ "$fail" = 0 ]
