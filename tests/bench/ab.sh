#!/bin/sh
# ab.sh: compare two netsim binaries on one topology, back to back. This machine's
# speed drifts by up to 40% between hours, so only alternating runs compare fairly.
# Prints the best and mean user CPU time and the peak RSS of each.
# Usage: sh tests/bench/ab.sh TOPOLOGY.yaml NETSIM_A NETSIM_B [RUNS]   (RUNS: 5)
set -eu
[ $# -ge 3 ] || { echo "usage: ab.sh TOPOLOGY NETSIM_A NETSIM_B [RUNS]"; exit 2; }
y=$1 a=$2 b=$3 n=${4:-5}
command -v /usr/bin/time >/dev/null || { echo "ab.sh: needs /usr/bin/time"; exit 2; }
i=0
while [ "$i" -lt "$n" ]; do
	for bin in "$a" "$b"; do
		/usr/bin/time -f "$bin %U %M" "$bin" run -q "$y" 2>&1 >/dev/null | tail -1
	done
	i=$((i + 1))
done | awk '{ s[$1] += $2; if (!($1 in m) || $2 < m[$1]) m[$1] = $2; rss[$1] = $3; c[$1]++ }
	END { for (k in s) printf "%-30s best %.2f s  mean %.2f s  peak RSS %d KB\n", k, m[k], s[k] / c[k], rss[k] }'
