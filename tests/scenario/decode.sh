# netsim decode: every real capture decodes; the deliberately broken ones fail.
. tests/scenario/lib.inc
C=$NETSIM_SHARED/captures
# Known bad on purpose (see $C/README.md): wrong checksums in the SR captures; holo_ospfv2
# frames 18-22 are bare LSAs sent as if they were OSPF packets (version 0); wrong IS-IS LSP
# checksums in isis_sid.pcap and holo_isis.pcap (frame 13, whose TLVs do not parse either);
# BGP with add-path NLRI and no capability to say so (bgp-addpath), a fuzzed segment (bgp-ub);
# a Label Request with a typed wildcard FEC element (holo_ldp frame 9).
known_bad="ospf-sr-ri-sid.pcap ospf-sr.pcapng holo_ospfv2.pcap isis_sid.pcap holo_isis.pcap"
known_bad="$known_bad bgp-addpath.pcap bgp-ub.pcap holo_ldp.pcap"
for f in "$C"/tcpdump/*.pcap "$C"/tcpdump/*.pcapng "$C"/holo/*.pcap; do
	b=$(basename "$f")
	if "$NETSIM" decode "$f" >"$TMP/out" 2>&1; then
		case " $known_bad " in *" $b "*) fail "$b decoded cleanly but is known to be broken";; esac
	else
		case " $known_bad " in *" $b "*) ;; *) grep ERROR "$TMP/out" | head; fail "$b failed";; esac
	fi
done
# IS-IS: every PDU of the IS-IS captures is described, and the only errors are the two
# wrong LSP checksums (ISO 10589 7.3.14.2), with what the checksum should be.
for f in "$C"/tcpdump/ISIS_*.pcap "$C"/tcpdump/isis*.pcap* "$C"/holo/holo_isis.pcap; do
	"$NETSIM" decode -v "$f" >"$TMP/isis.out" 2>&1 || true
	b=$(basename "$f")
	frames=$(grep -c '^ *[0-9]' "$TMP/isis.out")
	isis=$(grep -c '  IS-IS ' "$TMP/isis.out" || true)
	arp=$(grep -c '  ARP ' "$TMP/isis.out" || true)
	[ "$frames" -gt 0 ] && [ "$isis" -eq $((frames - arp)) ] || fail "$b: $isis IS-IS lines of $frames frames"
	errs=$(grep ERROR "$TMP/isis.out" || true)
	case $b in
	isis_sid.pcap)
		echo "$errs" | grep -q 'IS-IS: L2 LSP 0192.0168.0001.00-00 bad checksum 0xc074 (should be 0x3cf5)' ||
			fail "$b: the wrong checksum not reported";;
	holo_isis.pcap)
		[ "$(echo "$errs" | wc -l)" -eq 1 ] && echo "$errs" | grep -q '^ *13 .*bad checksum 0x06a1' ||
			fail "$b: want exactly frame 13's bad checksum: $errs";;
	*)	[ -z "$errs" ] || fail "$b: $errs";;
	esac
done
expect_contains "$TMP/isis.out" "IS-IS L1 CSNP src 0000.0000.0006.00 range 0000.0000.0000.00-00 to ffff.ffff.ffff.ff-ff 3 entries"
"$NETSIM" decode -v "$C/tcpdump/ISIS_p2p_adjacency.pcap" >"$TMP/p2p.out"
expect_contains "$TMP/p2p.out" "IS-IS P2P IIH src 1111.1111.1111 L1L2 hold 30 circuit 0 adj up"
expect_contains "$TMP/p2p.out" "[P2P adjacency state: adj up"
# all_described OUT PORT NAME FILE: every datagram or segment with data to or from PORT
# in the decode output OUT is described as NAME.
all_described() {
	segs=$(grep -E '(UDP|TCP) [0-9]+ > [0-9]+ (.* )?len [1-9]' "$1" | grep -cE "(> $2|$2 >)" || true)
	n=$(grep -c "  $3 " "$1" || true)
	[ "$segs" -gt 0 ] && [ "$n" -eq "$segs" ] || fail "$(basename "$4"): $n $3 lines of $segs segments"
}
# BGP: every TCP segment with data to or from port 179 is described as BGP; the only
# errors are those of the two broken captures.
for f in "$C"/tcpdump/bgp*.pcap "$C"/tcpdump/mpbgp*.pcap "$C"/holo/holo_bgp.pcap; do
	"$NETSIM" decode "$f" >"$TMP/bgp.out" 2>&1 || true
	b=$(basename "$f")
	all_described "$TMP/bgp.out" 179 BGP "$f"
	errs=$(grep ERROR "$TMP/bgp.out" || true)
	case $b in
	bgp-addpath.pcap)
		echo "$errs" | grep -q 'UPDATE Message Error/Invalid Network Field (3/10)' ||
			fail "$b: add-path NLRI not refused: $errs";;
	bgp-ub.pcap)
		echo "$errs" | grep -q 'Attribute Length Error (3/5)' || fail "$b: $errs";;
	*)	[ -z "$errs" ] || fail "$b: $errs";;
	esac
done
"$NETSIM" decode "$C/tcpdump/bgp-4byte-asn.pcap" >"$TMP/bgp.out"
expect_contains "$TMP/bgp.out" "BGP UPDATE origin incomplete as-path [200 1 222222 333333 4294967290] next-hop 1.0.2.1 nlri 4.4.4.4/32"
expect_contains "$TMP/bgp.out" "BGP OPEN as 23456 hold 180 id 0.0.1.1 caps multiprotocol 1/1,route-refresh,graceful-restart 300s R N,4-octet-as 2764334674,add-path"
"$NETSIM" decode "$C/tcpdump/bgp-large-community.pcap" >"$TMP/bgp.out"
expect_contains "$TMP/bgp.out" "large-communities 65535:1:1,4294967295:4294967295:4294967295 nlri 203.0.113.16/32; UPDATE"
"$NETSIM" decode "$C/tcpdump/bgp-cease-hard-reset.pcap" >"$TMP/bgp.out"
expect_contains "$TMP/bgp.out" "BGP NOTIFICATION Cease/Hard Reset data 2 bytes"
# LDP: every datagram and segment with data to or from port 646 is described as LDP; the
# only error is holo_ldp frame 9's. The messages (name and ID, in order) are those tcpdump
# prints, but for the KeepAlives, which tcpdump leaves out.
ldp_names='(Notification|Hello|Initialization|KeepAlive|Address Withdraw|Address|Label Mapping|Label Request|Label Withdraw|Label Release|Capability)'
for f in "$C"/tcpdump/ldp-common-session.pcap "$C"/tcpdump/mpls-ldp-hello.pcap "$C"/holo/holo_ldp.pcap; do
	"$NETSIM" decode "$f" >"$TMP/ldp.out" 2>&1 || true
	b=$(basename "$f")
	all_described "$TMP/ldp.out" 646 LDP "$f"
	errs=$(grep ERROR "$TMP/ldp.out" || true)
	case $b in
	holo_ldp.pcap)
		[ "$(echo "$errs" | wc -l)" -eq 1 ] &&
			echo "$errs" | grep -q '^ *9 .*LDP: FEC element type at offset 22 (Unknown FEC)' ||
			fail "$b: want exactly frame 9's error: $errs";;
	*)	[ -z "$errs" ] || fail "$b: $errs"
		grep -oE "$ldp_names id [0-9]+" "$TMP/ldp.out" | grep -v '^KeepAlive ' >"$TMP/ldp.msgs"
		sed -nE 's/^[[:space:]]+([A-Za-z ]+) Message \(0x[0-9a-f]+\), length: [0-9]+, Message ID: (0x[0-9a-f]+).*/\1 \2/p' \
			"${f%.pcap}.out" | while read -r line; do
			printf '%s id %u\n' "${line% *}" "${line##* }"
		done >"$TMP/ldp.want"
		[ -s "$TMP/ldp.want" ] && diff "$TMP/ldp.want" "$TMP/ldp.msgs" >/dev/null ||
			{ diff "$TMP/ldp.want" "$TMP/ldp.msgs" | head; fail "$b: messages differ from tcpdump's"; };;
	esac
done
"$NETSIM" decode "$C/tcpdump/ldp-common-session.pcap" >"$TMP/ldp.out"
expect_contains "$TMP/ldp.out" "LDP 192.168.0.2:0 Notification id 4294967289 Shutdown [E]"
expect_contains "$TMP/ldp.out" "LDP 192.168.0.2:0 Initialization id 1 version 1 keepalive 30 DU loop-detect pvlim 32 max-pdu 0 receiver 192.168.0.1:0"
expect_contains "$TMP/ldp.out" "LDP 192.168.0.2:0 Address id 3 9 addresses 26.0.0.2 12.0.0.2 23.0.0.2 192.168.0.2"
"$NETSIM" decode "$C/tcpdump/mpls-ldp-hello.pcap" >"$TMP/ldp.out"
expect_contains "$TMP/ldp.out" "LDP 10.1.0.2:0 Hello id 72048 hold 15 transport 10.1.0.2 cseq 1"
for f in "$C"/negative/*; do
	if "$NETSIM" decode "$f" >"$TMP/out" 2>&1; then
		fail "negative capture $(basename "$f") decoded without error"
	fi
	expect_contains "$TMP/out" "ERROR"
done
# The summary line counts frames; usage errors exit 2.
"$NETSIM" decode "$C/tcpdump/ospf-ack.pcap" | tail -1 | grep -q '1 frames, 1 decoded, 0 errors' ||
	fail "summary line"
set +e
"$NETSIM" decode >/dev/null 2>&1; [ $? -eq 2 ] || fail "decode without files should exit 2"
"$NETSIM" decode /nonexistent.pcap >/dev/null 2>&1; [ $? -eq 1 ] || fail "missing file should exit 1"
exit 0
