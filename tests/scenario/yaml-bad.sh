# Every broken topology in tests/yaml-bad/ is refused with exit status 2 and its exact
# file:line:col message (the .err beside it); none crashes, none half-runs.
. tests/scenario/lib.inc
n=0
for y in tests/yaml-bad/*.yaml; do
	err=${y%.yaml}.err
	[ -f "$err" ] || fail "$y has no .err file"
	for cmd in validate run; do
		set +e
		"$NETSIM" $cmd "$y" >"$TMP/out" 2>"$TMP/err"
		rc=$?
		set -e
		[ $rc -eq 2 ] || { cat "$TMP/err"; fail "$cmd $y: exit status $rc, want 2"; }
		[ -s "$TMP/out" ] && { cat "$TMP/out"; fail "$cmd $y printed to stdout"; }
		grep -qxF -- "$(cat "$err")" "$TMP/err" || {
			echo "want: $(cat "$err")"; echo "got:"; cat "$TMP/err"; fail "$y: wrong message"; }
	done
	n=$((n + 1))
done
# Files that do not exist or cannot be parsed at all.
set +e
"$NETSIM" validate /nonexistent.yaml 2>"$TMP/err"; rc=$?
set -e
[ $rc -eq 2 ] || fail "missing file: exit $rc"
expect_contains "$TMP/err" "/nonexistent.yaml: cannot read"
echo "$n broken topologies refused with the right message"
