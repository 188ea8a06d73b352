# policy-config: the routing-policy keys on tests/policy/policy-basic.yaml (lists of
# every kind and two route maps on r2): the show commands print FRR 8.4's layout;
# `show route-map json` and the list commands' JSON parse and carry FRR's keys;
# `policy set` replaces a route map at run time and a bad value is refused with the
# column in the command; `policy delete`; and a topology naming a missing list, or
# with a bad regex, or a misspelt key, is refused with its file:line:col.
. tests/scenario/lib.inc
command -v python3 >/dev/null || fail "python3 is needed"
T=tests/policy/policy-basic.yaml
[ -f "$T" ] || fail "no $T"

"$NETSIM" run "$T" >"$TMP/run.out" 2>"$TMP/run.err" || { cat "$TMP/run.err"; fail "run $T"; }
out "$TMP/run.out" r2 "show route-map" >"$TMP/rm"
expect_contains "$TMP/rm" "BGP:"
grep -q '^route-map: FROM_R1 Invoked: [0-9]* Optimization: enabled Processed Change: false$' "$TMP/rm" ||
	{ cat "$TMP/rm"; fail "route-map header"; }
grep -q '^ permit, sequence 10 Invoked [0-9]*$' "$TMP/rm" || fail "entry line"
for l in "  Description:" "    customer routes get a higher preference" "  Match clauses:" \
	"    ip address prefix-list CUSTOMER" "    as-path FROM_R1" "  Set clauses:" \
	"    local-preference 200" "    community 65002:7 65002:100 additive" "  Call clause:" \
	"  Action:" "    Continue to next entry" "    community TAGGED exact-match" "    metric +10" \
	"    extcommunity rt 65002:1" "    as-path prepend last-as 2" "    large-community BIG" \
	"    origin incomplete" "    Exit routemap" "    ip next-hop self" "    Goto 15" \
	"    comm-list ANY_65002 delete" "    as-path prepend 65002 65002"; do
	grep -qxF -- "$l" "$TMP/rm" || { cat "$TMP/rm"; fail "no line '$l' in show route-map"; }
done
out "$TMP/run.out" r2 "show ip prefix-list" >"$TMP/pl"
cat >"$TMP/pl.want" <<'W'
BGP: ip prefix-list CUSTOMER: 2 entries
   seq 5 permit 10.0.0.0/8 ge 16 le 24
   seq 10 deny any
BGP: ip prefix-list DEFAULT: 1 entries
   seq 20 permit 0.0.0.0/0
W
diff -u "$TMP/pl.want" "$TMP/pl" || fail "show ip prefix-list"
out "$TMP/run.out" r2 "show bgp as-path-access-list" >"$TMP/al"
cat >"$TMP/al.want" <<'W'
AS path access list FROM_R1
    permit _65001$
AS path access list PRIVATE
    deny ^65002_
    permit _6500[0-9]_
W
diff -u "$TMP/al.want" "$TMP/al" || fail "show bgp as-path-access-list"
out "$TMP/run.out" r2 "show bgp community-list" >"$TMP/cl"
cat >"$TMP/cl.want" <<'W'
Named Community expanded list ANY_65002
    permit ^65002:
Named Community standard list TAGGED
    permit 65002:100 no-export
W
diff -u "$TMP/cl.want" "$TMP/cl" || fail "show bgp community-list"
out "$TMP/run.out" r2 "show bgp extcommunity-list" >"$TMP/el"
expect_contains "$TMP/el" "Named extended community standard list RT"
expect_contains "$TMP/el" "    permit rt 65002:1 soo 10.0.0.1:7"
out "$TMP/run.out" r2 "show bgp large-community-list" >"$TMP/ll"
expect_contains "$TMP/ll" "    permit 65002:1:1"

# ---- JSON (run --json keeps each command's JSON form), run-time changes ----
sed -e '/^script:/,$d' "$T" >"$TMP/j.yaml"
cat >>"$TMP/j.yaml" <<'Y'
script:
  - {at: converged, device: r2, command: show route-map}
  - {at: converged, device: r2, command: show ip prefix-list}
  - {at: converged, device: r2, command: show bgp community-list}
  - {at: converged, device: r2, command: show bgp as-path-access-list}
  - {at: converged, device: r2, command: "policy set route_map FROM_R1 [{seq: 10, action: permit, set: {local_preference: 250}}]"}
  - {at: converged, device: r2, command: show route-map FROM_R1}
  - {at: converged, device: r2, command: "policy set prefix_list CUSTOMER [{action: permit, prefix: 10.0.0.1/8}]", expect: fail}
  - {at: converged, device: r2, command: show ip prefix-list CUSTOMER}
  - {at: converged, device: r2, command: "policy delete route_map TO_R3"}
  - {at: converged, device: r2, command: show route-map TO_R3}
  - {at: converged, device: r2, command: "policy delete route_map NONE", expect: fail}
Y
"$NETSIM" run --json "$TMP/j.yaml" >"$TMP/j.json" || fail "json run"
python3 - "$TMP/j.json" <<'PY' || fail "JSON checks"
import json, sys
r = json.load(open(sys.argv[1]))
out = {o["command"] + "@" + o["device"]: o.get("json") for o in r["outputs"]}
rm = out["show route-map@r2"]["BGP"]
assert set(rm) == {"FROM_R1", "TO_R3"}, rm.keys()
m = rm["FROM_R1"]
for k in ("invoked", "disabledOptimization", "processedChange", "rules"):
    assert k in m, k
rule = m["rules"][0]
for k in ("sequenceNumber", "type", "invoked", "matchClauses", "setClauses", "action"):
    assert k in rule, k
assert rule["sequenceNumber"] == 10 and rule["type"] == "permit"
assert rule["matchClauses"] == ["ip address prefix-list CUSTOMER", "as-path FROM_R1"], rule
assert rule["action"] == "Continue to next entry"
assert [x["sequenceNumber"] for x in m["rules"]] == [10, 20, 30]
assert rm["TO_R3"]["rules"][0]["action"] == "Goto 15"
pl = out["show ip prefix-list@r2"]["BGP"]
e = pl["CUSTOMER"]["entries"]
assert pl["CUSTOMER"]["addressFamily"] == "IPv4"
assert e[0] == {"sequenceNumber": 5, "type": "permit", "prefix": "10.0.0.0/8",
                "minimumPrefixLength": 16, "maximumPrefixLength": 24}, e[0]
assert e[1]["type"] == "deny" and e[1]["prefix"] == "0.0.0.0/0"
cl = out["show bgp community-list@r2"]
assert cl["TAGGED"]["type"] == "standard" and cl["ANY_65002"]["type"] == "expanded"
assert cl["TAGGED"]["entries"][0]["members"] == "65002:100 no-export"
al = out["show bgp as-path-access-list@r2"]
assert al["PRIVATE"][1] == {"sequenceNumber": 10, "type": "permit", "regExp": "_6500[0-9]_"}, al
PY
"$NETSIM" run "$TMP/j.yaml" >"$TMP/j.out" 2>&1 || { cat "$TMP/j.out"; fail "run-time commands"; }
out "$TMP/j.out" r2 "show route-map FROM_R1" >"$TMP/new"
expect_contains "$TMP/new" "    local-preference 250"
expect_not_contains "$TMP/new" "sequence 20"
out "$TMP/j.out" r2 "policy set prefix_list CUSTOMER [{action: permit, prefix: 10.0.0.1/8}]" >"$TMP/bad"
expect_contains "$TMP/bad" "% command:1:59: prefix 10.0.0.1/8 has host bits set (did you mean 10.0.0.0/8?)"
out "$TMP/j.out" r2 "show ip prefix-list CUSTOMER" >"$TMP/kept"
expect_contains "$TMP/kept" "   seq 5 permit 10.0.0.0/8 ge 16 le 24"
out "$TMP/j.out" r2 "show route-map TO_R3" >"$TMP/gone"
expect_contains "$TMP/gone" "BGP: 'route-map TO_R3' not found"
out "$TMP/j.out" r2 "policy delete route_map NONE" >"$TMP/again"
expect_contains "$TMP/again" "% no route_map NONE"

# ---- configuration errors: exit status 2 and file:line:col ----
sed -e '/^script:/,$d' -e 's/match: {prefix_list: CUSTOMER, as_path: FROM_R1}/match: {prefix_list: CUSTOMERS, as_path: FROM_R1}/' \
	"$T" >"$TMP/bad1.yaml"
set +e
"$NETSIM" run "$TMP/bad1.yaml" >"$TMP/b1.out" 2>"$TMP/b1.err"
rc=$?
set -e
[ $rc -eq 2 ] || { cat "$TMP/b1.err"; fail "missing list: exit $rc, want 2"; }
line=$(grep -n 'prefix_list: CUSTOMERS' "$TMP/bad1.yaml" | cut -d: -f1)
[ "$(wc -l <"$TMP/b1.err")" -eq 1 ] || { cat "$TMP/b1.err"; fail "missing list: one error expected"; }
expect_contains "$TMP/b1.err" "$TMP/bad1.yaml:$line:32: route map FROM_R1: no prefix list 'CUSTOMERS' (define it under prefix_lists)"
sed -e '/^script:/,$d' -e 's/set: {med: "+10",/set: {metric: 10,/' "$T" >"$TMP/bad2.yaml"
set +e
"$NETSIM" validate "$TMP/bad2.yaml" >/dev/null 2>"$TMP/b2.err"
rc=$?
set -e
[ $rc -eq 2 ] || fail "unknown set key: exit $rc, want 2"
expect_contains "$TMP/b2.err" "unknown key 'metric' in route map set (expected one of: local_preference, med,"
sed -e '/^script:/,$d' -e 's/^    route_maps:/    route_mapz:/' "$T" >"$TMP/bad3.yaml"
set +e
"$NETSIM" validate "$TMP/bad3.yaml" >/dev/null 2>"$TMP/b3.err"
set -e
expect_contains "$TMP/b3.err" "unknown key 'route_mapz' in device r2 (expected one of:"
expect_contains "$TMP/b3.err" "prefix_lists, as_path_lists, community_lists, large_community_lists, ext_community_lists, route_maps"
echo "policy keys, show commands, JSON and run-time changes as expected"
