# lua-sandbox: what Lua from a topology, a scenario or the console may do
# (docs/security.md): no io, os.execute or binary chunks; netsim.load, require and
# the console's `load FILE` read only under the topology's directory (realpath:
# `..` and symlinks out of it are refused), a scenario also under the working
# directory, a YAML topology's Lua not; --unsafe-lua gives io back; pattern
# matching has a step limit; memory is capped; a Lua assignment at the console is
# Lua even when its first word abbreviates a command; validate says what runs.
. tests/scenario/lib.inc

D="$TMP/topo"
mkdir -p "$D/sub" "$TMP/outside"
cat >"$D/net.yaml" <<'Y'
name: sandboxed
devices:
  - {name: r1, interfaces: [{name: lo, ip: 10.0.0.1/32}]}
lua: net.lua
Y
cat >"$D/sub/inner.yaml" <<'Y'
name: inner
devices:
  - {name: r9, interfaces: [{name: lo, ip: 10.0.0.9/32}]}
Y
cp "$D/sub/inner.yaml" "$TMP/outside/outer.yaml"
ln -s "$TMP/outside/outer.yaml" "$D/link.yaml"

# (a) io.open("/etc/passwd") in a topology's lua: fails with a clear error; (b) no os.execute;
# (c) no binary chunks: no string.dump, and load() refuses one.
cat >"$D/net.lua" <<'L'
print("io.open:", io.open, "io.lines:", io.lines, "os.execute:", os.execute,
	"os.getenv:", os.getenv, "debug.getinfo:", debug.getinfo, "string.dump:", string.dump)
print("binary:", load("\27Lua\84\0\25\147\r\n\26\n", "=bin", "b"))
print("time:", os.time(), os.clock(), os.date("%Y-%m-%d"))
print("gc:", pcall(setmetatable, {}, {__gc = function() while true do end end}))
local f = io.open("/etc/passwd")
L
rc=0; "$NETSIM" run "$D/net.yaml" >"$TMP/a.out" 2>&1 || rc=$?
[ $rc = 2 ] || { cat "$TMP/a.out"; fail "a topology reading /etc/passwd: exit $rc"; }
expect_contains "$TMP/a.out" "io.open:	nil	io.lines:	nil	os.execute:	nil	os.getenv:	nil	debug.getinfo:	nil	string.dump:	nil"
expect_contains "$TMP/a.out" "binary:	nil	attempt to load a binary chunk (mode is 't')"
expect_contains "$TMP/a.out" "time:	0	0.0	1970-01-01"
expect_contains "$TMP/a.out" "gc:	false	bad argument #2 to 'setmetatable' (__gc metamethods are not available"
expect_contains "$TMP/a.out" "net.lua:6: attempt to call a nil value (field 'open')"
expect_not_contains "$TMP/a.out" "root:"

# validate names the Lua and the rule.
"$NETSIM" validate "$D/net.yaml" "$D/sub/inner.yaml" >"$TMP/v.out" 2>&1 || fail "validate"
expect_contains "$TMP/v.out" "$D/net.yaml: Lua in lua: net.lua"
expect_contains "$TMP/v.out" "$D/net.yaml: the Lua runs sandboxed: no io, no os.execute"
expect_contains "$TMP/v.out" "reads files only under $D"
expect_contains "$TMP/v.out" "$D/sub/inner.yaml: no Lua"

# (d) netsim.load: inside the topology's directory yes; outside, by .., absolute or by a
# symlink, no. The console's load FILE follows the same rule.
cat >"$D/net.lua" <<'L'
local function try(p)
	local ok, e = pcall(netsim.load, p)
	print(p, ok and "loaded " .. e.name or "refused: " .. e)
end
try("sub/inner.yaml")
try("sub/../sub/inner.yaml")
try("../outside/outer.yaml")
try(os.getenv and "x" or "link.yaml")
try("/etc/passwd")
print("require:", pcall(require, "sub.helper"))
L
printf 'return "helper ok"\n' >"$D/sub/helper.lua"
# (a scenario may also read under the working directory: run it from a third one.)
mkdir "$TMP/elsewhere"
(cd "$TMP/elsewhere" && "$NETSIM" run "$D/net.yaml") >"$TMP/d.out" 2>&1 || { cat "$TMP/d.out"; fail "netsim.load tries"; }
expect_contains "$TMP/d.out" "sub/inner.yaml	loaded inner"
expect_contains "$TMP/d.out" "sub/../sub/inner.yaml	loaded inner"
expect_contains "$TMP/d.out" "../outside/outer.yaml	refused: '../outside/outer.yaml' is outside the topology's directory"
expect_contains "$TMP/d.out" "link.yaml	refused: 'link.yaml' is outside the topology's directory"
expect_contains "$TMP/d.out" "/etc/passwd	refused: '/etc/passwd' is outside the topology's directory"
expect_contains "$TMP/d.out" "require:	true	helper ok"
cat >"$D/ok.lua" <<'L'
print("loaded ok.lua at " .. net:now())
L
cp "$D/ok.lua" "$TMP/outside/escape.lua"
printf 'load %s/ok.lua\nload ../outside/escape.lua\nload /etc/passwd\n' "$D" |
	(cd "$D" && "$NETSIM" console net.yaml) >"$TMP/c.out" 2>&1 || true
expect_contains "$TMP/c.out" "loaded ok.lua at 0"
expect_contains "$TMP/c.out" "% load: '../outside/escape.lua' is outside the topology's directory"
expect_contains "$TMP/c.out" "% load: '/etc/passwd' is outside the topology's directory"
expect_not_contains "$TMP/c.out" "root:"

# (d2) the working directory: a scenario given to netsim run may read under it (its
# arguments point there); a YAML topology's Lua may not, only under its own directory.
mkdir -p "$TMP/home/Downloads"
printf 'name: private\ndevices:\n  - {name: p1, interfaces: [{name: lo, ip: 10.0.0.7/32}]}\n' \
	>"$TMP/home/private.yaml"
cp "$D/sub/inner.yaml" "$TMP/home/Downloads/near.yaml"
cat >"$TMP/home/Downloads/evil.yaml" <<'Y'
name: evil
devices:
  - {name: r1, interfaces: [{name: lo, ip: 10.0.0.1/32}]}
hooks:
  converged: "for _, p in ipairs({'private.yaml', 'near.yaml'}) do print(p, pcall(netsim.load, p)) end"
Y
(cd "$TMP/home" && "$NETSIM" run Downloads/evil.yaml) >"$TMP/d2.out" 2>&1 || { cat "$TMP/d2.out"; fail "evil.yaml"; }
expect_contains "$TMP/d2.out" "private.yaml	false	'private.yaml' is outside the topology's directory $TMP/home/Downloads"
expect_contains "$TMP/d2.out" "near.yaml	true	network inner"
echo 'print("scenario:", pcall(netsim.load, "private.yaml"))' >"$TMP/home/Downloads/mine.lua"
(cd "$TMP/home" && "$NETSIM" run Downloads/mine.lua) >"$TMP/d3.out" 2>&1 || { cat "$TMP/d3.out"; fail "mine.lua"; }
expect_contains "$TMP/d3.out" "scenario:	true	network private"

# (e) a scenario of one's own: --unsafe-lua gives io back (and files anywhere).
cat >"$TMP/outside/mine.lua" <<L
local f = assert(io.open("$TMP/outside/result.txt", "w"))
f:write("written by a scenario\n")
f:close()
print("read back: " .. io.lines("$TMP/outside/result.txt")())
L
rc=0; "$NETSIM" run "$TMP/outside/mine.lua" >"$TMP/e1.out" 2>&1 || rc=$?
[ $rc = 1 ] || fail "io.open without --unsafe-lua: exit $rc"
expect_contains "$TMP/e1.out" "mine.lua:1: attempt to call a nil value (field 'open')"
[ -f "$TMP/outside/result.txt" ] && fail "a sandboxed scenario wrote a file"
"$NETSIM" run --unsafe-lua "$TMP/outside/mine.lua" >"$TMP/e2.out" 2>&1 || { cat "$TMP/e2.out"; fail "--unsafe-lua"; }
expect_contains "$TMP/e2.out" "read back: written by a scenario"

# (h) a pathological pattern ends with an error (a step limit), quickly; ordinary ones work.
cat >"$TMP/pat.lua" <<'L'
print(pcall(string.find, string.rep("a", 30000), string.rep("a*", 60) .. "b"))
print(("x=1, y=22"):find("(%a)=(%d+)", 4))
print(("hello world"):gsub("o", "0"), ("k=v"):match("^(%w+)=(%w+)$"))
local n = 0
for w in ("a bb ccc"):gmatch("%a+") do n = n + #w end
print("gmatch", n)
print(#string.rep("ab ", 200000):gsub("%s+", ""))
L
start=$(date +%s)
"$NETSIM" run "$TMP/pat.lua" >"$TMP/h.out" 2>&1 || { cat "$TMP/h.out"; fail "patterns"; }
[ $(($(date +%s) - start)) -lt 20 ] || fail "the pathological pattern was not bounded"
expect_contains "$TMP/h.out" "false	lua: pattern too complex (more than 50000000 matching steps)"
expect_contains "$TMP/h.out" "6	9	y	22"
expect_contains "$TMP/h.out" "hell0 w0rld	k	v"
expect_contains "$TMP/h.out" "gmatch	6"
expect_contains "$TMP/h.out" "400000"

# Memory: a bomb stops at the limit with a clear message; the memory comes back.
cat >"$TMP/mem.lua" <<'L'
local ok, e = pcall(function() local t = {} for i = 1, 1e9 do t[i] = string.rep("x", 1e6) end end)
print(ok, e)
collectgarbage()
print("after:", collectgarbage("count") < 16384)
local t = {} for i = 1, 50 do t[i] = string.rep("y", 1e6) end
print("again:", #t)
L
"$NETSIM" run "$TMP/mem.lua" >"$TMP/m.out" 2>&1 || { cat "$TMP/m.out"; fail "memory"; }
expect_contains "$TMP/m.out" "false	not enough memory"
expect_contains "$TMP/m.out" "after:	true"
expect_contains "$TMP/m.out" "again:	50"
echo 'local t = {} for i = 1, 1e9 do t[i] = string.rep("x", 1e6) end' >"$TMP/bomb.lua"
rc=0; "$NETSIM" run "$TMP/bomb.lua" >"$TMP/b.out" 2>&1 || rc=$?
[ $rc = 1 ] || { cat "$TMP/b.out"; fail "memory bomb: exit $rc"; }
expect_contains "$TMP/b.out" "lua: memory limit (128 MB) exceeded"

# (i) at network scope, `co = 1` assigns (co abbreviates converge); `a == b` stays an expression.
printf 'co = 1\n= co + 1\nco\nt = {}\nt.x, y = 2, 3\n= t.x * y\n' |
	"$NETSIM" console scenarios/_diamond.lua >"$TMP/i.out" 2>&1 || true
grep -qx 2 "$TMP/i.out" || { cat "$TMP/i.out"; fail "co = 1 did not assign"; }
grep -qx 6 "$TMP/i.out" || { cat "$TMP/i.out"; fail "t.x, y = 2, 3 did not assign"; }
expect_not_contains "$TMP/i.out" "usage: converge"
# co alone is still converge, and ran once.
[ "$(grep -c 'already converged' "$TMP/i.out")" -eq 1 ] || { cat "$TMP/i.out"; fail "co: converge"; }
echo ok
