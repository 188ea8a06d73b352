# daemon-open: a daemon's clients (exec, attach) `open` topologies only under the
# directory of the daemon's starting topology, by real path: an absolute path, a
# `..` or a symlink that leaves it is refused before the file is read, so a parse
# error cannot echo another file's content. Inside it, open works (relative paths
# are the client's). The local `netsim console` is not confined (docs/security.md).
. tests/scenario/lib.inc
. tests/daemon/lib.sh

mkdir -p "$TMP/lab/sub" "$TMP/other"
cp topologies/static-routes.yaml "$TMP/lab/net.yaml"
cp topologies/ospf-triangle.yaml "$TMP/lab/sub/tri.yaml"
# Not a topology: its parse error would quote the secret line.
printf 'secret-line-4711: 1\n' >"$TMP/other/secret.yaml"
ln -s "$TMP/other/secret.yaml" "$TMP/lab/link.yaml"
expect_status 0 "$NETSIM" daemon start lab "$TMP/lab/net.yaml" --tick-interval 20ms

# refused PATH: exec's `open PATH` (run from the topology's directory) is refused.
refused() {
	(cd "$TMP/lab" && expect_status 1 "$NETSIM" exec lab - "open $1")
	grep -qF "'$1' is outside $TMP/lab, the directory of the daemon's topology" "$TMP/out" "$TMP/err" ||
		{ cat "$TMP/out" "$TMP/err"; fail "open $1 was not refused"; }
	! grep -q "secret-line" "$TMP/out" "$TMP/err" || fail "open $1 echoed the file"
}
refused "$TMP/other/secret.yaml"
refused "../other/secret.yaml"
refused "sub/../../other/secret.yaml"
refused "link.yaml"
refused "/etc/passwd"
# The topology is still the daemon's own.
expect_status 0 "$NETSIM" exec lab r1 "show ip route"
out_has "10.0.12.0/30 is directly connected"

# Inside the directory: open works, relative to the client's directory.
(cd "$TMP/lab/sub" && expect_status 0 "$NETSIM" exec lab - "open tri.yaml")
out_has "loaded ospf-triangle: 5 devices, 5 links"
# ...and the confinement stays the starting topology's, not the new one's.
(cd "$TMP/lab" && expect_status 0 "$NETSIM" exec lab - "open net.yaml")
out_has "loaded static-routes"

# attach: the same rule.
printf 'open %s\nopen sub/tri.yaml\n= #net:devices()\n' "$TMP/other/secret.yaml" |
	(cd "$TMP/lab" && "$NETSIM" attach lab) >"$TMP/attach.out" 2>&1 || true
expect_contains "$TMP/attach.out" "'$TMP/other/secret.yaml' is outside $TMP/lab, the directory of the daemon's topology"
expect_not_contains "$TMP/attach.out" "secret-line"
expect_contains "$TMP/attach.out" "loaded ospf-triangle: 5 devices, 5 links"
grep -qx 5 "$TMP/attach.out" || { cat "$TMP/attach.out"; fail "attach: the opened topology is not current"; }
expect_status 0 "$NETSIM" daemon stop lab

# The local console opens anything (the user's own session): the parse error shows.
printf 'open %s\n' "$TMP/other/secret.yaml" |
	"$NETSIM" console "$TMP/lab/net.yaml" >"$TMP/console.out" 2>&1 || true
expect_contains "$TMP/console.out" "unknown key 'secret-line-4711'"
expect_not_contains "$TMP/console.out" "the directory of the daemon's topology"
echo ok
