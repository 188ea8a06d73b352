# Every pcap netsim writes passes pcapcheck (tshark + independent checksums) and netsim decode.
. tests/scenario/lib.inc
command -v tshark >/dev/null || fail "tshark is not installed (make deps)"
n=0
for t in topologies/*.yaml tests/ospf/*.yaml; do
	name=$(basename "$t" .yaml)
	mkdir -p "$TMP/$name"
	"$NETSIM" run -q --pcap "$TMP/$name" "$t" >/dev/null || fail "$t failed"
	ls "$TMP/$name"/*.pcap >/dev/null 2>&1 || fail "$t wrote no pcap"
	"$NETSIM" decode "$TMP/$name"/*.pcap >"$TMP/decode.out" || {
		grep ERROR "$TMP/decode.out"; fail "netsim decode failed for $t"; }
	n=$((n + $(ls "$TMP/$name"/*.pcap | wc -l)))
done
# One pcapcheck pass over every topology's captures (tshark starts once).
pcapcheck_files "$TMP"/*/*.pcap || fail "pcapcheck failed"
# Wireshark sees the frames netsim says it sent: count ICMP echo requests in one capture.
mkdir -p "$TMP/count"
"$NETSIM" run -q --pcap "$TMP/count" topologies/static-routes.yaml >/dev/null
reqs=$(tshark -r "$TMP/count/h1-eth0--r1-eth0.pcap" -Y 'icmp.type == 8' 2>/dev/null | wc -l)
[ "$reqs" -eq 5 ] || fail "expected 5 echo requests on h1-r1 (3 + 2), tshark saw $reqs"
echo "$n pcap files checked"
