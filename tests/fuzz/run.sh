# run.sh BUILD SECONDS HARNESS...: fuzz each harness for SECONDS on its corpus
# (BUILD/corpus/NAME, seeded by corpus.py). Findings (crash-*, leak-*, timeout-*)
# land in BUILD/findings/NAME/; any finding makes the run fail.
build=$1 secs=$2
shift 2
rc=0
for h in "$@"; do
	mkdir -p "$build/corpus/$h" "$build/findings/$h"
	echo "fuzz: $h for ${secs}s"
	# -timeout: one input taking over 10 s is a hang; -rss_limit_mb: a memory blow-up.
	if ! "$build/$h" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$build/findings/$h/" \
		"$build/corpus/$h" >"$build/$h.log" 2>&1; then
		echo "FAIL fuzz: $h found a problem:"
		grep -E -A25 'ERROR|runtime error|SUMMARY|deadly signal|Test unit written' \
			"$build/$h.log" | head -60
		rc=1
	fi
	grep -E '^#[0-9]+ +DONE|stat::number_of_executed_units|stat::average_exec_per_sec' \
		"$build/$h.log" | sed 's/^/  /'
done
exit $rc
