# lua-determinism.sh: a Lua scenario twice with one seed gives byte-identical output;
# random failures follow the seed.
. tests/scenario/lib.inc
for s in scenarios/failover.lua scenarios/flap.lua tests/scenario/lua_chaos.lua; do
	"$NETSIM" run --seed 11 --timeline "$s" | stable >"$TMP/a.out" 2>&1 || true
	"$NETSIM" run --seed 11 --timeline "$s" | stable >"$TMP/b.out" 2>&1 || true
	[ -s "$TMP/a.out" ] || fail "$s: no output"
	cmp "$TMP/a.out" "$TMP/b.out" || fail "$s: two runs with seed 11 differ"
done
"$NETSIM" run --json scenarios/failover.lua >"$TMP/j1" && "$NETSIM" run --json scenarios/failover.lua >"$TMP/j2"
cmp "$TMP/j1" "$TMP/j2" || fail "failover --json differs between runs"
# The random failures drawn depend on the seed (and only on it).
"$NETSIM" run --seed 1 tests/scenario/lua_chaos.lua | grep "random failures" >"$TMP/s1"
"$NETSIM" run --seed 1 tests/scenario/lua_chaos.lua | grep "random failures" >"$TMP/s1b"
"$NETSIM" run --seed 2 tests/scenario/lua_chaos.lua | grep "random failures" >"$TMP/s2"
cmp "$TMP/s1" "$TMP/s1b" || fail "random failures differ with one seed"
cmp -s "$TMP/s1" "$TMP/s2" && fail "random failures do not depend on the seed"
echo ok
