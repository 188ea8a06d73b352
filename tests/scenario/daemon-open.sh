# daemon-open: a daemon's clients (exec, attach) `open` topologies only under the
# directory of the daemon's starting topology, by real path: an absolute path, a
# `..` or a symlink that leaves it is refused before the file is read, so a parse
# error cannot echo another file's content. Inside it, open works (relative paths
# are the client's) and replaces the network for every client: the reply, the log,
# `daemon status` (text, JSON) and `daemon list` say so. The local `netsim console`
# is not confined (docs/security.md).
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
LAB=$(cd "$TMP/lab" && pwd -P)
(cd "$TMP/lab/sub" && expect_status 0 "$NETSIM" exec lab - "open tri.yaml")
out_has "loaded ospf-triangle: 5 devices, 5 links"
# ...and it replaced the daemon's one network, for every client: the reply says so,
out_has "replaced the network static-routes for all clients of this daemon"
# the log records it (who, what, with what),
grep -qF "replaced the network static-routes ($LAB/net.yaml) with ospf-triangle ($LAB/sub/tri.yaml) for all" "$RUN/lab.log" ||
	{ cat "$RUN/lab.log"; fail "the log does not record the replaced network"; }
grep -q '^\[t=[^]]*\] client [0-9]* replaced the network' "$RUN/lab.log" ||
	{ cat "$RUN/lab.log"; fail "the log does not say which client replaced the network"; }
# and status, status --json and list show the topology loaded now.
expect_status 0 "$NETSIM" daemon status lab
out_has "topology:  $LAB/sub/tri.yaml (network ospf-triangle)"
out_has "started:   with $LAB/net.yaml"
expect_status 0 "$NETSIM" daemon status lab --json
python3 - "$TMP/out" "$LAB" <<'PY' || fail "status --json: not the current topology"
import json, sys
j = json.load(open(sys.argv[1]))
lab = sys.argv[2]
assert j["topology"] == lab + "/sub/tri.yaml", j
assert j["network"] == "ospf-triangle", j
assert j["startTopology"] == lab + "/net.yaml", j
assert j["devices"] == 5, j
PY
expect_status 0 "$NETSIM" daemon list
grep -Eq "^lab .* $LAB/sub/tri.yaml\$" "$TMP/out" || { cat "$TMP/out"; fail "list: not the current topology"; }
# ...and the confinement stays the starting topology's, not the new one's.
(cd "$TMP/lab" && expect_status 0 "$NETSIM" exec lab - "open net.yaml")
out_has "loaded static-routes"
out_has "replaced the network ospf-triangle for all clients of this daemon"
# Back to the starting topology: status has no "started" line then.
expect_status 0 "$NETSIM" daemon status lab
out_has "topology:  $LAB/net.yaml (network static-routes)"
! grep -q '^started:' "$TMP/out" || fail "status: a started line for the starting topology"

# attach: the same rule.
printf 'open %s\nopen sub/tri.yaml\n= #net:devices()\n' "$TMP/other/secret.yaml" |
	(cd "$TMP/lab" && "$NETSIM" attach lab) >"$TMP/attach.out" 2>&1 || true
expect_contains "$TMP/attach.out" "'$TMP/other/secret.yaml' is outside $TMP/lab, the directory of the daemon's topology"
expect_not_contains "$TMP/attach.out" "secret-line"
expect_contains "$TMP/attach.out" "loaded ospf-triangle: 5 devices, 5 links"
expect_contains "$TMP/attach.out" "replaced the network static-routes for all clients of this daemon"
grep -qx 5 "$TMP/attach.out" || { cat "$TMP/attach.out"; fail "attach: the opened topology is not current"; }
expect_status 0 "$NETSIM" daemon stop lab

# The local console opens anything (the user's own session): the parse error shows.
printf 'open %s\n' "$TMP/other/secret.yaml" |
	"$NETSIM" console "$TMP/lab/net.yaml" >"$TMP/console.out" 2>&1 || true
expect_contains "$TMP/console.out" "unknown key 'secret-line-4711'"
expect_not_contains "$TMP/console.out" "the directory of the daemon's topology"
# ...and its open replaces only its own network: no word of other clients.
printf 'open %s\n' "$TMP/lab/sub/tri.yaml" |
	"$NETSIM" console "$TMP/lab/net.yaml" >"$TMP/console.out" 2>&1 || true
expect_contains "$TMP/console.out" "loaded ospf-triangle"
expect_not_contains "$TMP/console.out" "for all clients"
echo ok
