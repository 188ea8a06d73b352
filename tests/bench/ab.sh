#!/bin/sh
# ab.sh: compare two netsim binaries on one topology, back to back. This machine's
# speed drifts by up to 40% between hours, so only alternating runs compare fairly.
# Prints the best and mean wall and user CPU times and the peak RSS of each (the
# environment passes through: NETSIM_THREADS=1 compares single-threaded runs).
# Usage: sh tests/bench/ab.sh TOPOLOGY.yaml NETSIM_A NETSIM_B [RUNS]   (RUNS: 5)
set -eu
[ $# -ge 3 ] || { echo "usage: ab.sh TOPOLOGY NETSIM_A NETSIM_B [RUNS]"; exit 2; }
y=$1 a=$2 b=$3 n=${4:-5}
command -v /usr/bin/time >/dev/null || { echo "ab.sh: needs /usr/bin/time"; exit 2; }
i=0
while [ "$i" -lt "$n" ]; do
	for bin in "$a" "$b"; do
		/usr/bin/time -f "$bin %e %U %M" "$bin" run -q "$y" 2>&1 >/dev/null | tail -1
	done
	i=$((i + 1))
done | awk '{ w[$1] += $2; s[$1] += $3; c[$1]++
		if (!($1 in mw) || $2 < mw[$1]) mw[$1] = $2
		if (!($1 in m) || $3 < m[$1]) m[$1] = $3
		if ($4 > rss[$1]) rss[$1] = $4 }
	END { for (k in s) printf "%-24s wall best %.2f mean %.2f s  user best %.2f mean %.2f s  peak RSS %d KB\n",
		k, mw[k], w[k] / c[k], m[k], s[k] / c[k], rss[k] }'
