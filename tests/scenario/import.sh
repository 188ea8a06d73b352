# netsim import: every Internet Topology Zoo map and every Rocketfuel map in
# $NETSIM_SHARED/datasets imports, validates and converges with OSPF (all of
# them: about 15 s on two busy cores); names, costs and counts are the
# file's; areas and IS-IS levels on real maps; bad input gets FILE:LINE.
. tests/scenario/lib.inc
D=$NETSIM_SHARED/datasets
[ -d "$D/topology-zoo/gml" ] && [ -d "$D/rocketfuel" ] || fail "no datasets in $D"
mkdir "$TMP/zoo"
export NETSIM_THREADS=1 # small networks: one thread starts faster

start=$(date +%s)
# Every zoo map, in one process; a map with nodes that have no links is
# refused, naming them, and imports with --drop-isolated.
"$NETSIM" import zoo "$D"/topology-zoo/gml/*.gml -o "$TMP/zoo" 2>"$TMP/err" && fail "no map refused"
n=0 dropped=""
for f in "$D"/topology-zoo/gml/*.gml; do
	b=$(basename "$f" .gml)
	n=$((n + 1))
	[ -f "$TMP/zoo/$b.yaml" ] && continue
	grep -q "^$f:[0-9]*: node '.*' has no links (--drop-isolated" "$TMP/err" || { cat "$TMP/err"; fail "$b did not import"; }
	dropped="$dropped $f"
done
[ "$n" -ge 250 ] || fail "only $n zoo maps"
[ -n "$dropped" ] || fail "no map needed --drop-isolated (Padi.gml has 8 such nodes)"
# shellcheck disable=SC2086
"$NETSIM" import zoo $dropped --drop-isolated -o "$TMP/zoo" 2>"$TMP/err" || { cat "$TMP/err"; fail "--drop-isolated"; }
[ "$(grep -c 'without links left out' "$TMP/err")" -eq "$(echo $dropped | wc -w)" ] || fail "--drop-isolated did not say what it left out"
"$NETSIM" import rocketfuel "$D"/rocketfuel/*/weights.intra -o "$TMP/zoo" 2>"$TMP/err" || { cat "$TMP/err"; fail "rocketfuel"; }
n=$((n + $(ls "$D"/rocketfuel/*/weights.intra | wc -l)))
[ "$(ls "$TMP"/zoo/*.yaml | wc -l)" -eq "$n" ] || fail "not $n topologies written"
# One validate for all of them, then each runs to convergence, all in one process (Lua).
"$NETSIM" validate "$TMP"/zoo/*.yaml >"$TMP/validate.out" 2>&1 || { grep -v ': ok\|no Lua' "$TMP/validate.out" | head; fail "a map does not validate"; }
[ "$(grep -c ': ok (' "$TMP/validate.out")" -eq "$n" ] || fail "not $n maps validated"
cp tests/scenario/_converge_all.lua "$TMP/zoo/"
(cd "$TMP/zoo" && "$NETSIM" run _converge_all.lua -- *.yaml) >"$TMP/converge.out" 2>&1 ||
	{ grep -v '^converged' "$TMP/converge.out"; fail "a map did not converge"; }
expect_contains "$TMP/converge.out" "$n of $n converged"

# Abilene, as the file says: 11 routers, 14 links, names from labels, every loopback routed.
y=$TMP/zoo/Abilene.yaml
[ "$(grep -c 'router_id:' "$y")" -eq 11 ] || fail "Abilene: not 11 routers"
[ "$(grep -c 'endpoints:' "$y")" -eq 14 ] || fail "Abilene: not 14 links"
expect_contains "$y" "name: New_York"
cp "$y" "$TMP/abilene.yaml"
printf 'script:\n  - {at: converged, device: Seattle, command: show ip route}\n' >>"$TMP/abilene.yaml"
"$NETSIM" run "$TMP/abilene.yaml" >"$TMP/run.out" 2>&1 || fail "Abilene with a script did not run"
[ "$(grep -c '10\.255\.0\.[0-9]*/32' "$TMP/run.out")" -eq 11 ] || { cat "$TMP/run.out"; fail "Seattle does not route to 11 loopbacks"; }

# Rocketfuel: each direction's weight times 10 is its end's cost (1221's first line: weight 2).
y=$TMP/zoo/rocketfuel-1221.yaml
first=$(head -1 "$D/rocketfuel/1221/weights.intra")
w=$(echo "$first" | awk '{print $3 * 10}')
grep -A4 "name: $(echo "$first" | awk '{print $1}' | tr -c 'A-Za-z0-9._\n-' _ | sed 's/__*/_/g; s/_$//')\$" "$y" |
	grep -q "eth0, .*cost: $w}" || fail "rocketfuel 1221: first link's cost is not $w"
[ "$(grep -c 'endpoints:' "$y")" -eq $(($(wc -l <"$D/rocketfuel/1221/weights.intra") / 2)) ] ||
	fail "rocketfuel 1221: not one link per two lines"

# GraphML: labels (entities decoded, duplicates numbered), parallel links, speeds as costs.
"$NETSIM" import zoo tests/import/square.graphml >"$TMP/square.yaml" || fail "square.graphml"
expect_contains "$TMP/square.yaml" "name: AT_T_Hub"
expect_contains "$TMP/square.yaml" "name: Perth-2"
[ "$(grep -c 'endpoints:' "$TMP/square.yaml")" -eq 6 ] || fail "square: not 6 links"
expect_contains "$TMP/square.yaml" "cost: 645}" # 100 Gbit/s reference over 155 Mbit/s
"$NETSIM" validate "$TMP/square.yaml" >/dev/null || fail "square does not validate"

# Areas on a real map (Garr, 61 routers): a backbone and 4 areas; OSPF converges and
# routes to every loopback. (Kdl's 754 routers in 5 areas converge too, in about a minute.)
"$NETSIM" import zoo "$D/topology-zoo/gml/Garr201201.gml" --igp ospf-areas 4 -o "$TMP/garr.yaml"
[ "$(grep -o 'area: [0-9]*' "$TMP/garr.yaml" | sort -u | wc -l)" -eq 5 ] || fail "Garr: not a backbone and 4 areas"
printf 'script:\n  - {at: converged, device: %s, command: show ip route}\n' \
	"$(grep -m1 '^  - name:' "$TMP/garr.yaml" | awk '{print $3}')" >>"$TMP/garr.yaml"
"$NETSIM" run "$TMP/garr.yaml" >"$TMP/run.out" 2>&1 || fail "Garr with areas did not run"
expect_contains "$TMP/run.out" "Network converged"
expect_contains "$TMP/run.out" "O IA"
[ "$(grep -c '10\.255\.0\.[0-9]*/32' "$TMP/run.out")" -eq 61 ] || fail "Garr with areas: not 61 loopbacks routed"
# IS-IS levels on the largest map: 5 areas, L1L2 routers.
"$NETSIM" import zoo "$D/topology-zoo/gml/Kdl.gml" --igp isis-levels 5 -o "$TMP/kdl-isis.yaml"
[ "$(grep -o 'net: "49\.[0-9]*' "$TMP/kdl-isis.yaml" | sort -u | wc -l)" -eq 5 ] || fail "Kdl: not 5 IS-IS areas"
grep -q 'level: l1l2}' "$TMP/kdl-isis.yaml" || fail "Kdl: no L1L2 router"
# A map in pieces cannot have areas.
"$NETSIM" import zoo "$D/topology-zoo/gml/JanetExternal.gml" --igp ospf-areas 2 >/dev/null 2>"$TMP/err" &&
	fail "areas on a map in pieces"
expect_contains "$TMP/err" "areas need a connected network, and this one is in 2 pieces"

# Bad input: a clear message, FILE:LINE where there is a line, never a crash.
bad() { # bad FILE EXPECTED [FORMAT]
	rc=0
	"$NETSIM" import "${3:-zoo}" "$1" >"$TMP/out" 2>"$TMP/err" || rc=$?
	[ "$rc" -eq 1 ] || { cat "$TMP/err"; fail "$1: exit status $rc, not 1"; }
	[ -s "$TMP/out" ] && fail "$1: wrote a topology anyway"
	expect_contains "$TMP/err" "$2"
}
bad "$TMP/missing.gml" "missing.gml: No such file or directory"
head -c 3000 "$D/topology-zoo/gml/Abilene.gml" >"$TMP/cut.gml"
bad "$TMP/cut.gml" "cut.gml:"
printf 'graph [\n  node [ id 0 label "a" ]\n  node [ id 1 label "b" ]\n  edge [ source 0 target 1 ]\n  node [ id 2 label "alone" ]\n]\n' >"$TMP/alone.gml"
bad "$TMP/alone.gml" "alone.gml:5: node 'alone' has no links"
printf 'graph [\n  node [ id 0 ]\n  edge [ source 0 target 7 ]\n]\n' >"$TMP/dangling.gml"
bad "$TMP/dangling.gml" "dangling.gml:3: link to node '7', which the file does not define"
printf 'graph [\n  node [ id 0 label "open ]\n]\n' >"$TMP/quote.gml"
bad "$TMP/quote.gml" "quote.gml:2: unterminated string"
printf '<graphml><graph>\n<node id="a">\n</graph></graphml>\n' >"$TMP/nest.graphml"
bad "$TMP/nest.graphml" "nest.graphml:3: </graph> does not close <node>"
printf 'a b 1\nc d x\n' >"$TMP/w.intra"
bad "$TMP/w.intra" "w.intra:2: expected 'ROUTER ROUTER WEIGHT'" rocketfuel
head -c 2000 /dev/urandom | tr -d '\000' >"$TMP/noise.gml"
rc=0
"$NETSIM" import zoo "$TMP/noise.gml" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 1 ] || fail "random bytes: exit status $rc, not a clean refusal"
"$NETSIM" import zoo >/dev/null 2>&1 && fail "import without a file"
echo "import: $n maps in $(($(date +%s) - start)) s ($(echo $dropped | wc -w) with --drop-isolated): ok"
