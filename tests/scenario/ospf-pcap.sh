# OSPF on the wire: tshark decodes every packet type netsim sends (Hello, DB
# Description, LS Request, LS Update, LS Acknowledge) with no warning, and
# pcapcheck (tshark + independent packet and LSA checksums) passes.
. tests/scenario/lib.inc
command -v tshark >/dev/null || fail "tshark is not installed (make deps)"
for t in ospf-triangle ospf-multiarea ospf-broadcast ospf-nbma; do
	mkdir -p "$TMP/$t"
	"$NETSIM" run -q --pcap "$TMP/$t" "topologies/$t.yaml" >/dev/null || fail "$t failed"
	"$NETSIM_SHARED/tools/pcapcheck" "$TMP/$t"/*.pcap >"$TMP/check.out" 2>&1 || {
		cat "$TMP/check.out"; fail "pcapcheck failed for $t"; }
	"$NETSIM" decode "$TMP/$t"/*.pcap >"$TMP/decode.out" || {
		grep ERROR "$TMP/decode.out"; fail "netsim decode failed for $t"; }
done
cap="$TMP/ospf-triangle/r1-eth0--r2-eth0.pcap"
for type in 1 2 3 4 5; do
	n=$(tshark -r "$cap" -Y "ospf.msg == $type" 2>/dev/null | wc -l)
	[ "$n" -gt 0 ] || fail "no OSPF packets of type $type in $cap"
done
# IP header as RFC 2328 A.1 says: protocol 89, TTL 1, precedence Internetwork Control.
bad=$(tshark -r "$cap" -Y 'ospf && (ip.ttl != 1 || ip.dsfield != 0xc0)' 2>/dev/null | wc -l)
[ "$bad" -eq 0 ] || fail "$bad OSPF packets with a TTL other than 1 or TOS other than 0xc0"
# Multicast on the broadcast segment: AllDRouters from DROthers, AllSPFRouters from the DR.
cap="$TMP/ospf-broadcast/r1-eth0--r2-eth0--r3-eth0--r4-eth0.pcap"
[ "$(tshark -r "$cap" -Y 'ospf.msg == 4 && ip.dst == 224.0.0.6' 2>/dev/null | wc -l)" -gt 0 ] ||
	fail "no LS Update to AllDRouters on the segment"
[ "$(tshark -r "$cap" -Y 'ospf.msg == 4 && ip.src == 10.0.0.3 && ip.dst == 224.0.0.5' 2>/dev/null |
    wc -l)" -gt 0 ] || fail "the DR sent no LS Update to AllSPFRouters"
# NBMA: unicast Hellos only.
cap="$TMP/ospf-nbma/hub-s0--spoke1-s0--spoke2-s0.pcap"
[ "$(tshark -r "$cap" -Y 'ospf.msg == 1 && ip.dst == 224.0.0.5' 2>/dev/null | wc -l)" -eq 0 ] ||
	fail "multicast Hellos on NBMA"
[ "$(tshark -r "$cap" -Y 'ospf.msg == 1' 2>/dev/null | wc -l)" -gt 0 ] || fail "no NBMA Hellos"
exit 0
