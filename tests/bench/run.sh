#!/bin/sh
# make bench: performance measurements recorded in docs/performance.md.
# Each line: what ran, wall seconds, engine events, events per second, frames, peak RSS.
set -eu
NETSIM=${NETSIM:-./netsim}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

field() { # field NAME FILE: a number from the JSON report
	sed -n "s/^  \"$1\": \([0-9.e+-]*\).*/\1/p" "$2" | head -1
}

report() { # report LABEL FILE.yaml [run options]
	label=$1; file=$2; shift 2
	"$NETSIM" run --json "$@" "$file" >"$TMP/r.json" || true
	wall=$(field wallSeconds "$TMP/r.json")
	ev=$(field events "$TMP/r.json")
	fr=$(field frames "$TMP/r.json")
	rss=$(field peakRssKB "$TMP/r.json")
	sim=$(field simulatedMs "$TMP/r.json")
	conv=$(field convergedAtMs "$TMP/r.json")
	eps=$(awk -v e="$ev" -v w="$wall" 'BEGIN { printf "%.0f", (w > 0) ? e / w : 0 }')
	printf '%-44s wall %7.3fs  sim %9sms  converged %8sms  events %9s (%9s/s)  frames %9s  rss %6.1f MB\n' \
	    "$label" "$wall" "$sim" "${conv:--}" "$ev" "$eps" "$fr" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
}

echo "netsim bench on $(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
sh tests/bench/gen-hosts.sh 20 50 >"$TMP/hosts1k.yaml"
report "1,000 hosts, 20 switches, static routes, 1k pings" "$TMP/hosts1k.yaml"
sh tests/bench/gen-hosts.sh 50 100 >"$TMP/hosts5k.yaml"
report "5,000 hosts, 50 switches, static routes, 5k pings" "$TMP/hosts5k.yaml"
for f in tests/bench/*.sh; do
	case $f in */run.sh|*/gen-*.sh|*/ab.sh) continue ;; esac
	NETSIM=$NETSIM sh "$f"
done
