# Every shipped topology validates, runs with exit status 0, and matches its golden output.
. tests/scenario/lib.inc
for t in topologies/*.yaml; do
	name=$(basename "$t" .yaml)
	"$NETSIM" validate "$t" >/dev/null || fail "$t does not validate"
	"$NETSIM" run "$t" >"$TMP/$name.out" 2>&1 || { cat "$TMP/$name.out"; fail "$t exited non-zero"; }
	expect_contains "$TMP/$name.out" "Simulation complete:"
	stable <"$TMP/$name.out" | check_golden "$name"
done
