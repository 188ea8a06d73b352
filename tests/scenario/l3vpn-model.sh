# L3VPN against an independent model (tests/l3vpn/model.py): random PEs around a route
# reflector, random VRFs with random import and export route targets; every VRF's table
# must hold exactly the other PEs' LANs whose export targets it imports (RFC 4364 4.3.3),
# each with the far PE's VPN label for that VRF at the bottom of its stack, and the hosts
# the model pairs reach each other. L3VPN_MODEL_SEEDS picks the networks.
. tests/scenario/lib.inc
command -v python3 >/dev/null || fail "python3 is needed"
n=0
for s in ${L3VPN_MODEL_SEEDS:-3 6 8}; do
	python3 tests/l3vpn/model.py gen "$s" >"$TMP/m$s.yaml"
	"$NETSIM" run "$TMP/m$s.yaml" >"$TMP/m$s.out" 2>&1 || { tail -20 "$TMP/m$s.out"; fail "seed $s: the run failed"; }
	python3 tests/l3vpn/model.py check "$s" "$TMP/m$s.out" || fail "seed $s: netsim and the model differ"
	n=$((n + 1))
done
[ "$n" -gt 0 ] || fail "no seed ran"
