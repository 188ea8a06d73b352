# Distributed runs (docs/distributed.md): commands defined in Lua (netsim.command) run
# under mpirun as the rest of Lua does, on every rank alike, their calls distributed as
# Lua's are, and give one process's text, JSON report and pcaps on 2 and 3 ranks: from a
# Lua scenario (tests/scenario/_mpi-command.lua: dev:cmd, dev:cmd_json, net:cmd, an
# abbreviation, a command that reads a device, one that pings, one that takes a link down,
# one that fails and one that raises) and from a YAML topology's script entries, its
# commands defined in its `lua:` file. A line no command matches fails alike on every
# rank. (Without MPI built in there is nothing to compare: mpi.sh checks that such a
# build refuses mpirun.)
. tests/scenario/lib.inc
"$NETSIM" version | grep -q "MPI: built in" || exit 0
command -v mpirun >/dev/null 2>&1 ||
	fail "netsim has MPI built in but mpirun is missing: install openmpi-bin (make deps)"
. tests/scenario/mpi.inc
sh tests/bench/gen-grid.sh 3 4 | sed '/^script:/,$d' >"$TMP/g12.yaml"
cp tests/scenario/_mpi-command.lua "$TMP/"
all cmd "$TMP/_mpi-command.lua" -- g12.yaml
for l in "counted on r12 at 6002" "r12: 17 routes" '{"device":"r7","routes":17}' \
	"r1 -> $(grep -A3 '^  - name: r12$' "$TMP/g12.yaml" | sed -n 's/.*ip: \([0-9.]*\)\/.*/\1/p' | head -1): 3/3" \
	"cut r6--r7 at 6048, 17 links" "r6: 16 routes" "true	% r3 refuses" \
	"true	% error in command 'explode': $TMP/_mpi-command.lua:24: boom" "	[C]: in method 'cmd'"; do
	expect_contains "$TMP/cmd.3" "$l"
done
grep -q "^r6 -> [0-9.]*: 2/2$" "$TMP/cmd.3" || fail "cmd: r6's ping after the cut"
# A YAML topology: its `lua:` file defines the commands its script entries run.
cat >"$TMP/cmds.lua" <<'EOF_LUA'
netsim.command("show route count", function(dev, args, ctx)
	if ctx.json then return {device = dev.name, routes = #dev:routes()} end
	return ("%s: %d routes"):format(dev.name, #dev:routes())
end, {help = "routes in the device's table", on = "router", json = true})
netsim.command("cut", function(_, args)
	chaos.link_down(args[1])
	return "cut " .. args[1]
end, {args = "A--B", on = "network"})
netsim.command("refuse", function(dev) return nil, dev.name .. " refuses" end, {on = "router"})
EOF_LUA
{
	sed 's/^devices:$/lua: cmds.lua\ndevices:/' "$TMP/g12.yaml"
	cat <<'EOF_Y'
script:
  - {at: converged, device: r6, command: show route count}
  - {at: converged, device: r9, command: sh route cou json}
  - {at: converged + 1s, command: cut r6--r7}
  - {at: converged + 1s, device: r12, command: refuse, expect: fail}
  - {at: converged + 1s, device: r3, command: shw ip route, expect: fail}
  - {at: converged + 5s, device: r7, command: show route count}
EOF_Y
} >"$TMP/yaml.yaml"
grep -q '^lua: cmds.lua$' "$TMP/yaml.yaml" || fail "yaml: no lua: line"
JSON=1 PCAP=1 compare yaml 2 3
for l in "r6> show route count" "r6: 17 routes" '"routes": 17' "netsim> cut r6--r7" \
	"link r6:eth2--r7:eth1 down" "% r12 refuses" "r7: 16 routes"; do
	expect_contains "$TMP/yaml.3.out" "$l"
done
expect_contains "$TMP/yaml.3.out" "r3> shw ip route"
expect_contains "$TMP/yaml.3.out" "% unknown command: 'shw'"
grep -q '"device":"r9","command":"sh route cou json","status":0,"json":{' "$TMP/yaml.j3" ||
	fail "yaml: no JSON entry for the Lua command"
exit 0
