# OSPF on the wire: tshark decodes every packet type netsim sends (Hello, DB
# Description, LS Request, LS Update, LS Acknowledge) with no warning, and
# pcapcheck (tshark + independent packet and LSA checksums) passes.
. tests/scenario/lib.inc
command -v tshark >/dev/null || fail "tshark is not installed (make deps)"
for t in ospf-triangle ospf-multiarea ospf-broadcast ospf-nbma; do
	mkdir -p "$TMP/$t"
	"$NETSIM" run -q --pcap "$TMP/$t" "topologies/$t.yaml" >/dev/null || fail "$t failed"
	"$NETSIM" decode "$TMP/$t"/*.pcap >"$TMP/decode.out" || {
		grep ERROR "$TMP/decode.out"; fail "netsim decode failed for $t"; }
done
pcapcheck_files "$TMP"/*/*.pcap || fail "pcapcheck failed"

# One tshark for the three captures asked about below.
dissect wire "frame.protocols ospf.msg ip.ttl ip.dsfield ip.src ip.dst" "$TMP/ospf-triangle/r1-eth0--r2-eth0.pcap" \
	"$TMP/ospf-broadcast/r1-eth0--r2-eth0--r3-eth0--r4-eth0.pcap" "$TMP/ospf-nbma/hub-s0--spoke1-s0--spoke2-s0.pcap"
# ospf_fields DIR/CAPTURE: one line per OSPF packet: type, TTL, DS field, source, destination.
ospf_fields() {
	frames wire 'f["file"] == "'"$1"'" && proto("ospf")' ospf.msg ip.ttl ip.dsfield ip.src ip.dst >"$TMP/fields"
	[ -s "$TMP/fields" ] || fail "tshark finds no OSPF packet in $1"
}
# count AWK-CONDITION: how many packets of the last ospf_fields match ($1 type ... $5 dst).
count() {
	awk -F'\t' "$1 { n++ } END { print n + 0 }" "$TMP/fields"
}
ospf_fields ospf-triangle/r1-eth0--r2-eth0.pcap
for type in 1 2 3 4 5; do
	[ "$(count "\$1 == $type")" -gt 0 ] || fail "no OSPF packets of type $type on r1-r2"
done
# IP header as RFC 2328 A.1 says: protocol 89, TTL 1, precedence Internetwork Control.
bad=$(count '$2 != 1 || $3 != "0xc0"')
[ "$bad" -eq 0 ] || fail "$bad OSPF packets with a TTL other than 1 or TOS other than 0xc0"
# Multicast on the broadcast segment: AllDRouters from DROthers, AllSPFRouters from the DR.
ospf_fields ospf-broadcast/r1-eth0--r2-eth0--r3-eth0--r4-eth0.pcap
[ "$(count '$1 == 4 && $5 == "224.0.0.6"')" -gt 0 ] || fail "no LS Update to AllDRouters on the segment"
[ "$(count '$1 == 4 && $4 == "10.0.0.3" && $5 == "224.0.0.5"')" -gt 0 ] ||
	fail "the DR sent no LS Update to AllSPFRouters"
# NBMA: unicast Hellos only.
ospf_fields ospf-nbma/hub-s0--spoke1-s0--spoke2-s0.pcap
[ "$(count '$1 == 1 && $5 == "224.0.0.5"')" -eq 0 ] || fail "multicast Hellos on NBMA"
[ "$(count '$1 == 1')" -gt 0 ] || fail "no NBMA Hellos"
exit 0
