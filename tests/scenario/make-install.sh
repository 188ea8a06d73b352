# make install (PREFIX, DESTDIR) installs the binary, the manual and the examples, and the
# installed netsim runs the installed examples; make uninstall removes them again.
. tests/scenario/lib.inc

root="$TMP/root"
make -s install DESTDIR="$root" PREFIX=/opt/ns INSTALL_BIN="$NETSIM" >"$TMP/install.out" 2>&1 ||
	{ cat "$TMP/install.out"; fail "make install"; }
bin="$root/opt/ns/bin/netsim"
doc="$root/opt/ns/share/doc/netsim"
[ -x "$bin" ] || fail "no executable $bin"
cmp "$bin" "$NETSIM" || fail "the installed binary is not the built one"
for f in README.md docs/cli.md docs/daemon.md docs/topology.md examples/topologies/ospf-triangle.yaml \
	examples/scenarios/failover.lua examples/scenarios/_diamond.lua; do
	[ -f "$doc/$f" ] || fail "not installed: $doc/$f"
done
[ "$(stat -c %a "$doc/docs/cli.md")" = 644 ] || fail "docs mode $(stat -c %a "$doc/docs/cli.md")"
# Nothing outside DESTDIR's PREFIX.
[ "$(ls "$root")" = opt ] || fail "installed outside PREFIX: $(ls "$root")"
# The installed binary runs the installed examples (the Lua library is inside it).
(cd "$TMP" && "$bin" run -q "$doc/examples/topologies/static-routes.yaml") >"$TMP/run.out" ||
	{ cat "$TMP/run.out"; fail "installed netsim run"; }
expect_contains "$TMP/run.out" "Simulation complete"
(cd "$TMP" && "$bin" validate "$doc/examples/scenarios/_diamond.lua") >"$TMP/val.out" || fail "installed validate"
expect_contains "$TMP/val.out" "ok (Lua: 6 devices"

make -s uninstall DESTDIR="$root" PREFIX=/opt/ns >/dev/null 2>&1 || fail "make uninstall"
[ ! -e "$bin" ] && [ ! -e "$doc" ] || fail "make uninstall left files"
