# TCP through the data plane (docs/tcp.md): the shipped tcp-services topology
# with pcaps that pcapcheck (tshark and independent checksums), netsim decode
# and tshark's TCP analysis find clean (no analysis flags at all on a clean
# link, only the RST of the refused connection as a warning); then the same
# transfers over a link that loses, reorders and duplicates frames, which
# still deliver every byte once and in order (echo compares them), with
# retransmissions and no checksum or malformed-packet errors, identically on
# a second run; then the tool's failures and JSON.
. tests/scenario/lib.inc

# --- A clean path.
"$NETSIM" run --pcap "$TMP/clean" topologies/tcp-services.yaml >"$TMP/clean.out" 2>&1 ||
	{ cat "$TMP/clean.out"; fail "tcp-services failed"; }
expect_contains "$TMP/clean.out" "500000 bytes sent, 500000 acknowledged in"
expect_contains "$TMP/clean.out" "100000 bytes echoed back, identical"
expect_contains "$TMP/clean.out" "10.0.12.1:80: connection refused after"
grep -q ", 0 retransmissions" "$TMP/clean.out" || fail "retransmissions on a clean link"
expect_contains "$TMP/clean.out" "TIME-WAIT         0      0 192.168.1.10:49153    192.168.2.10:9"
expect_contains "$TMP/clean.out" '"closedPort": 1'
"$NETSIM" decode "$TMP"/clean/*.pcap >"$TMP/decode.out" || { tail "$TMP/decode.out"; fail "netsim decode"; }
expect_contains "$TMP/decode.out" "TCP 49153 > 9 [S]"
# One tshark per link (TCP analysis must see each link alone): each frame's analysis
# flags, then the table of expert warnings.
for f in "$TMP"/clean/*.pcap; do
	tshark -r "$f" -z expert,warn -T fields -e frame.number -e tcp.analysis.flags -e tcp.analysis.window_update \
		2>/dev/null >"$TMP/analysis"
	awk -F '\t' '$1 == 1 { ok = 1 } END { exit !ok }' "$TMP/analysis" || fail "$f: tshark read no frame"
	n=$(awk -F '\t' '/^[0-9]+\t/ && $2 != "" && $3 == ""' "$TMP/analysis" | wc -l)
	[ "$n" -eq 0 ] || { tshark -r "$f" -Y 'tcp.analysis.flags' 2>/dev/null | head; fail "$f: $n TCP analysis flags on a clean link"; }
	grep -E '^ +[0-9]+ ' "$TMP/analysis" | grep -v 'Connection reset (RST)' >"$TMP/warn" || true
	[ ! -s "$TMP/warn" ] || { cat "$TMP/warn"; fail "$f: tshark warnings"; }
done
# The MSS option on the SYN is the outgoing MTU less 40.
"$NETSIM" decode -v "$TMP"/clean/h1-eth0--r1-eth0.pcap | grep -q '\[S\] .*\[mss 1460\]' || fail "no MSS option on the SYN"

# --- Loss, reordering and duplication on the routers' link.
sed -e 's/^    bandwidth: 10M$/    bandwidth: 10M\n    loss: 15%\n    reorder: 10%\n    duplicate: 5%/' \
    -e '/^script:/,$d' topologies/tcp-services.yaml >"$TMP/lossy.yaml"
grep -q 'reorder: 10%' "$TMP/lossy.yaml" || fail "could not add the impairments"
cat >>"$TMP/lossy.yaml" <<'Y'
script:
  - {at: converged, device: h1, command: tcp send 192.168.2.10 7 300000}
  - {at: converged + 30s, device: h2, command: tcp send 192.168.1.10 9 200000}
Y
for i in 1 2; do
	"$NETSIM" run --pcap "$TMP/lossy$i" "$TMP/lossy.yaml" >"$TMP/lossy$i.out" 2>&1 ||
		{ cat "$TMP/lossy$i.out"; fail "transfers over a lossy link failed"; }
done
expect_contains "$TMP/lossy1.out" "300000 bytes echoed back, identical"
expect_contains "$TMP/lossy1.out" "200000 bytes sent, 200000 acknowledged"
grep -q ', [1-9][0-9]* retransmissions' "$TMP/lossy1.out" || { cat "$TMP/lossy1.out"; fail "no retransmissions at 15% loss"; }
stable <"$TMP/lossy1.out" >"$TMP/a"
stable <"$TMP/lossy2.out" >"$TMP/b"
cmp -s "$TMP/a" "$TMP/b" || { diff "$TMP/a" "$TMP/b"; fail "two runs differ"; }
for f in "$TMP"/lossy1/*.pcap; do
	cmp -s "$f" "$TMP/lossy2/$(basename "$f")" || fail "$f differs between two runs"
done
pcapcheck_files "$TMP"/clean/*.pcap "$TMP"/lossy1/*.pcap || fail "pcapcheck: clean and lossy TCP captures"
"$NETSIM" decode "$TMP"/lossy1/*.pcap >/dev/null || fail "netsim decode: lossy captures"
f="$TMP/lossy1/r1-eth1--r2-eth0.pcap"
# One tshark: no malformed frame, bad checksum or error; retransmissions (the analysis is
# the same with checksums checked, as long as none is bad).
tshark -r "$f" -o tcp.check_checksum:TRUE -T fields -e frame.number -e _ws.malformed -e tcp.checksum.status \
	-e _ws.expert.severity -e tcp.analysis.retransmission -e tcp.analysis.fast_retransmission 2>/dev/null >"$TMP/lossy.fields"
awk -F '\t' '$1 == 1 { ok = 1 } END { exit !ok }' "$TMP/lossy.fields" || fail "$f: tshark read no frame"
n=$(awk -F '\t' '$2 != "" || ("," $3 ",") ~ /,0,/ || ("," $4 ",") ~ /,8388608,/' "$TMP/lossy.fields" | wc -l)
[ "$n" -eq 0 ] || fail "$f: $n malformed or bad-checksum segments"
awk -F '\t' '$5 != "" || $6 != ""' "$TMP/lossy.fields" | grep -q . ||
	fail "tshark sees no retransmission on the lossy link"

# --- Failures and JSON.
sed -e '/^script:/,$d' topologies/tcp-services.yaml >"$TMP/fail.yaml"
cat >>"$TMP/fail.yaml" <<'Y'
script:
  - {at: converged, device: h1, command: tcp send 192.168.2.10 7 1000 json}
  - {at: converged + 500ms, device: h1, command: show tcp}
  - {at: converged + 1s, device: h1, command: tcp connect 192.168.2.99 7, expect: fail}
  - {at: converged + 200s, device: h1, command: tcp connect 192.168.2.10 7 source 10.9.9.9, expect: fail}
  - {at: converged + 201s, device: h1, command: tcp send 192.168.2.10 0 5, expect: fail}
  - {at: converged + 202s, device: h1, command: show tcp json}
Y
"$NETSIM" run "$TMP/fail.yaml" >"$TMP/fail.out" 2>&1 || { cat "$TMP/fail.out"; fail "tcp failures run"; }
expect_contains "$TMP/fail.out" '"bytesEchoed": 1000'
expect_contains "$TMP/fail.out" '"error": null'
expect_contains "$TMP/fail.out" "192.168.2.99:7: timed out after 63000.000 ms"
expect_contains "$TMP/fail.out" "% 10.9.9.9 is not an address of h1"
expect_contains "$TMP/fail.out" "% PORT must be 1 to 65535"
# show tcp json: every key, in its order, for the connection in TIME-WAIT.
"$NETSIM" run --json "$TMP/fail.yaml" >"$TMP/fail.json" 2>/dev/null || true
python3 - "$TMP/fail.json" <<'P' || fail "show tcp json keys"
import json, sys
d = json.load(open(sys.argv[1]))
show = [o for o in d["outputs"] if o["command"] == "show tcp"][0]["json"]
c = show["connections"][0]
want = ["state", "localAddress", "localPort", "remoteAddress", "remotePort", "recvQ", "sendQ",
        "unacked", "rtoMsec", "srttMsec", "retransmits", "bytesAcked", "bytesReceived",
        "sendWindow", "cwnd", "ssthresh", "receiveWindow", "mss", "md5", "minTtl"]
assert list(c) == want, list(c)
assert c["state"] == "TIME-WAIT" and c["remotePort"] == 7 and c["bytesAcked"] == 1000, c
assert c["bytesReceived"] == 1000 and c["mss"] == 1460 and c["md5"] is False, c
assert list(show["counters"]) == ["segmentsIn", "segmentsOut", "retransmits", "resetsIn",
    "resetsOut", "closedPort", "badChecksum", "badHeader", "md5Drops", "ttlDrops"], show
P
# Long after: TIME-WAIT is over, and the five SYN retries were counted.
expect_contains "$TMP/fail.out" '"connections": []'
expect_contains "$TMP/fail.out" '"retransmits": 5,'

# --- The impairments from Lua (chaos.reorder, chaos.duplicate, link properties).
cat >"$TMP/chaos.lua" <<'L'
local netsim = require("netsim")
local chaos = require("netsim.chaos")
local net = netsim.load("topologies/tcp-services.yaml")
net:run_until_converged()
chaos.reorder("r1--r2", 10, "3ms")
chaos.duplicate("r1--r2", 5)
local l = net:link("r1", "r2")
assert(l.reorder == 10 and l.duplicate == 5, "impairments not set")
local out = net.h1:cmd("tcp send 192.168.2.10 7 100000")
assert(out:find("100000 bytes echoed back, identical", 1, true), out)
assert(l.reordered > 0 and l.duplicated > 0, "nothing reordered or duplicated")
assert(not pcall(chaos.duplicate, "r1--r2", 150), "150% accepted")
print("lua impairments ok")
L
"$NETSIM" run "$TMP/chaos.lua" >"$TMP/chaos.out" 2>&1 || { cat "$TMP/chaos.out"; fail "Lua impairments"; }
expect_contains "$TMP/chaos.out" "lua impairments ok"

# --- The services off on h2: its echo port refuses.
sed -e 's/^    type: host$/    type: host\n    tcp_services: false/' -e '/^script:/,$d' topologies/tcp-services.yaml >"$TMP/off.yaml"
cat >>"$TMP/off.yaml" <<'Y'
script:
  - {at: converged, device: h1, command: tcp connect 192.168.2.10 7, expect: fail}
  - {at: converged + 1s, device: h2, command: tcp connect 192.168.1.10 9, expect: fail}
  - {at: converged + 2s, device: r1, command: tcp connect 10.0.12.2 9}
Y
grep -q 'tcp_services: false' "$TMP/off.yaml" || fail "could not turn the services off"
"$NETSIM" run "$TMP/off.yaml" >"$TMP/off.out" 2>&1 || { cat "$TMP/off.out"; fail "services off"; }
expect_contains "$TMP/off.out" "192.168.2.10:7: connection refused after"
expect_contains "$TMP/off.out" "192.168.1.10:9: connection refused after"
expect_contains "$TMP/off.out" "Connected to 10.0.12.2:9 from 10.0.12.1:"

# --- Over OSPF: the hosts of the triangle, with the routes the IGP computed.
sed -e '/^script:/,$d' topologies/ospf-triangle.yaml >"$TMP/ospf.yaml"
cat >>"$TMP/ospf.yaml" <<'Y'
script:
  - {at: converged, device: h1, command: tcp send 10.0.3.10 7 100000}
  - {at: converged + 1s, device: r2, command: tcp connect 10.0.3.10 9 source 10.0.23.2}
Y
"$NETSIM" run "$TMP/ospf.yaml" >"$TMP/ospf.out" 2>&1 || { cat "$TMP/ospf.out"; fail "TCP over OSPF"; }
expect_contains "$TMP/ospf.out" "100000 bytes echoed back, identical"
expect_contains "$TMP/ospf.out" "Connected to 10.0.3.10:9 from 10.0.23.2:49152"
