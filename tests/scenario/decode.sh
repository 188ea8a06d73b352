# netsim decode: every real capture decodes; the deliberately broken ones fail.
. tests/scenario/lib.inc
C=$NETSIM_SHARED/captures
# Known bad on purpose (see $C/README.md): wrong checksums in the SR captures; holo_ospfv2
# frames 18-22 are bare LSAs sent as if they were OSPF packets (version 0).
known_bad="ospf-sr-ri-sid.pcap ospf-sr.pcapng holo_ospfv2.pcap"
for f in "$C"/tcpdump/*.pcap "$C"/tcpdump/*.pcapng "$C"/holo/*.pcap; do
	b=$(basename "$f")
	if "$NETSIM" decode "$f" >"$TMP/out" 2>&1; then
		case " $known_bad " in *" $b "*) fail "$b decoded cleanly but is known to be broken";; esac
	else
		case " $known_bad " in *" $b "*) ;; *) grep ERROR "$TMP/out" | head; fail "$b failed";; esac
	fi
done
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
