# OSPF authentication (RFC 2328 D, RFC 5709): keyed MD5, HMAC-SHA-256 and simple passwords.
# Every digest netsim puts on the wire is checked here by an independent MD5
# (Python's hashlib) over the captured bytes, the sequence numbers never go
# back, tshark decodes the packets, and a router with the wrong key or type
# forms no adjacency. (holo's MD5 Hellos verify in test_ospf_codec.)
. tests/scenario/lib.inc

triangle_with() { # OUT R1-OSPF R2-OSPF R3-OSPF: the triangle with device-level ospf blocks
	sed -e '/^script:/,$d' \
	    -e "s/^    router_id: 1.1.1.1\$/    router_id: 1.1.1.1\n    ospf: $2/" \
	    -e "s/^    router_id: 2.2.2.2\$/    router_id: 2.2.2.2\n    ospf: $3/" \
	    -e "s/^    router_id: 3.3.3.3\$/    router_id: 3.3.3.3\n    ospf: $4/" \
	    topologies/ospf-triangle.yaml >"$1"
	cat >>"$1" <<'Y'
script:
  - {at: converged, device: r1, command: show ip ospf neighbor}
  - {at: converged, device: r3, command: show ip ospf neighbor}
  - {at: converged, device: r1, command: show ip ospf interface eth0}
  - {at: converged, device: r1, command: show ip ospf interface eth0 json}
  - {at: converged + 1s, device: h1, command: ping 10.0.3.10 count 2}
Y
}

# verify_digests DIR ALG KEY KEYID: every OSPF packet in DIR's pcaps carries AuType 2, the
# key ID, and the digest that Python computes (ALG md5: RFC 2328 D.4.3; otherwise the
# hashlib name of an HMAC-SHA, RFC 5709 3.3); sequence numbers never go back.
verify_digests() {
	python3 - "$@" <<'PY'
import glob, hashlib, hmac, struct, sys
d, alg, key, keyid = sys.argv[1], sys.argv[2], sys.argv[3].encode(), int(sys.argv[4])
L = hashlib.new(alg).digest_size
if alg == "md5":
    sign = lambda pkt: hashlib.md5(pkt + key.ljust(16, b"\0")).digest()
else:
    ko = key.ljust(L, b"\0") if len(key) <= L else hashlib.new(alg, key).digest()
    apad = (bytes.fromhex("878FE1F3") * 16)[:L]
    sign = lambda pkt: hmac.new(ko, pkt + apad, alg).digest()
ok, last = 0, {}
for f in sorted(glob.glob(d + "/*.pcap")):
    b = open(f, "rb").read()
    off = 24
    while off < len(b):
        incl = struct.unpack("<I", b[off + 8:off + 12])[0]
        fr = b[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(fr) < 34 or fr[12:14] != b"\x08\x00" or fr[23] != 89:
            continue
        ip = fr[14:]
        ihl, tot = (ip[0] & 15) * 4, struct.unpack(">H", ip[2:4])[0]
        o = ip[ihl:tot]
        length = struct.unpack(">H", o[2:4])[0]
        assert struct.unpack(">H", o[14:16])[0] == 2, "AuType is not 2 in %s" % f
        assert o[18] == keyid and o[19] == L and o[12:14] == b"\0\0", "auth field in %s" % f
        assert o[length:length + L] == sign(o[:length]), "digest wrong in %s" % f
        src, seq = ip[12:16], struct.unpack(">I", o[20:24])[0]
        assert seq >= last.get((f, src), 0), "sequence number went back in %s" % f
        last[(f, src)] = seq
        ok += 1
print("verified", ok)
assert ok > 50
PY
}

# signed_run NAME OSPF-BLOCK NAME-IN-OUTPUT HASHLIB-ALG KEY KEYID: the triangle with one
# cryptographic configuration everywhere converges and pings (its pcaps pass pcapcheck at the end), and
# every digest on the wire is the one Python computes.
signed_run() {
	triangle_with "$TMP/$1.yaml" "$2" "$2" "$2"
	"$NETSIM" run --pcap "$TMP/$1" "$TMP/$1.yaml" >"$TMP/$1.out" || { cat "$TMP/$1.out"; fail "$1 run"; }
	expect_contains "$TMP/$1.out" "Cryptographic authentication enabled ($3)"
	expect_contains "$TMP/$1.out" "\"authentication\": \"$3\""
	expect_contains "$TMP/$1.out" "2/2 packets received"
	verify_digests "$TMP/$1" "$4" "$5" "$6" >"$TMP/$1.verify" || { cat "$TMP/$1.verify"; fail "$1 digests"; }
	expect_contains "$TMP/$1.verify" "verified"
}

# --- keyed MD5 everywhere ------------------------------------------------------------------
md5='{authentication: {type: md5, key_id: 7, key: s3cret}}'
signed_run md5 "$md5" md5 md5 s3cret 7
expect_contains "$TMP/md5.out" "2.2.2.2           1   FULL/DR"
expect_contains "$TMP/md5.out" "Youngest key id is 7"

# --- HMAC-SHA-256 (RFC 5709), a key longer than the digest is hashed first ------------------
signed_run sha '{authentication: {type: hmac-sha-256, key_id: 9, key: a-key-of-forty-characters-for-the-test!}}' \
	hmac-sha-256 sha256 "a-key-of-forty-characters-for-the-test!" 9

# --- the wrong key on r3: r3 is alone, r1 and r2 carry on ------------------------------------
triangle_with "$TMP/bad.yaml" "$md5" "$md5" '{authentication: {type: md5, key_id: 7, key: wrong}}'
"$NETSIM" run "$TMP/bad.yaml" >"$TMP/bad.out" || true
expect_contains "$TMP/bad.out" "2.2.2.2           1   FULL/DR"
sed -n '/r3> show ip ospf neighbor/,/r1> show ip ospf interface/p' "$TMP/bad.out" | grep -q "FULL" &&
	fail "r3 formed an adjacency with the wrong key"
expect_contains "$TMP/bad.out" "0/2 packets received"

# --- a key rollover: r1 has moved on to key 2 (and still accepts key 1), r2 has both, r3 only
# key 1. r1 and r2 sign with key 2 and are adjacent; r3 hears r1 and r2 under a key it does
# not have, so it never answers them, though they accept its key-1 Hellos.
roll='{authentication: {type: md5, keys: [{key_id: 1, key: old}, {key_id: 2, key: new}]}}'
triangle_with "$TMP/roll.yaml" "$roll" "$roll" '{authentication: {type: md5, key_id: 1, key: old}}'
"$NETSIM" run --pcap "$TMP/roll" "$TMP/roll.yaml" >"$TMP/roll.out" || true
expect_contains "$TMP/roll.out" "2.2.2.2           1   FULL/DR"
expect_contains "$TMP/roll.out" "Youngest key id is 2"
sed -n '/r3> show ip ospf neighbor/,/r1> show ip ospf interface/p' "$TMP/roll.out" | grep -q "FULL" &&
	fail "r3 formed an adjacency without the new key"
# Once r3 has both keys too, the whole triangle is adjacent again.
triangle_with "$TMP/roll2.yaml" "$roll" "$roll" "$roll"
"$NETSIM" run "$TMP/roll2.yaml" >"$TMP/roll2.out" || { cat "$TMP/roll2.out"; fail "rollover run"; }
expect_contains "$TMP/roll2.out" "2/2 packets received"

# --- key lifetimes (D.3): a rollover in time, with no adjacency lost ----------------------
# Key 1 sends until 60 s and is accepted until 90 s; key 2 is accepted from 40 s and sends
# from 50 s. Every router moves from key 1 to key 2 at 50 s, and nothing goes down.
life='{authentication: {type: md5, keys: [{key_id: 1, key: old, send_until: 60, accept_until: 90}, {key_id: 2, key: new, send_from: 50s, accept_from: 40s}]}}'
timed_with() { # OUT R1 R2 R3: the triangle, shown at 30 s and 120 s, run until 130 s
	triangle_with "$@"
	sed -i '/^script:/,$d' "$1"
	cat >>"$1" <<'Y'
script:
  - {at: 30s, device: r1, command: show ip ospf interface eth0}
  - {at: 120s, device: r1, command: show ip ospf interface eth0}
  - {at: 120s, device: r3, command: show ip ospf neighbor}
  - {at: 121s, device: h1, command: ping 10.0.3.10 count 2}
Y
}
timed_with "$TMP/life.yaml" "$life" "$life" "$life"
"$NETSIM" run --until 130s --pcap "$TMP/life" "$TMP/life.yaml" >"$TMP/life.out" ||
	{ cat "$TMP/life.out"; fail "lifetime run"; }
sed -n '/t=30000ms\] r1> show ip ospf interface/,/t=120000ms/p' "$TMP/life.out" >"$TMP/life30"
expect_contains "$TMP/life30" "Youngest key id is 1"
sed -n '/t=120000ms\] r1> show ip ospf interface/,$p' "$TMP/life.out" >"$TMP/life120"
expect_contains "$TMP/life120" "Youngest key id is 2"
expect_contains "$TMP/life120" "1.1.1.1           1   FULL"
expect_contains "$TMP/life.out" "2/2 packets received"
expect_not_contains "$TMP/life.out" " Down"
expect_not_contains "$TMP/life.out" "expired"
# On the wire: key 1 before 50 s, key 2 from then on, in every packet.

# r3 accepts key 2 only from 200 s: from 50 s it drops r1's and r2's Hellos, and after the
# dead interval its adjacencies go down (while r1 and r2, which accept key 2, stay up).
late='{authentication: {type: md5, keys: [{key_id: 1, key: old, send_until: 60, accept_until: 90}, {key_id: 2, key: new, send_from: 50s, accept_from: 200s}]}}'
timed_with "$TMP/late.yaml" "$life" "$life" "$late"
"$NETSIM" run --until 130s "$TMP/late.yaml" >"$TMP/late.out" || true # r3 is cut off: the ping fails
expect_contains "$TMP/late.out" "Simulation complete: 130000ms simulated"
expect_contains "$TMP/late.out" "OSPF: r3 eth0 neighbor 1.1.1.1 Down"
expect_not_contains "$TMP/late.out" "OSPF: r1 eth0 neighbor 2.2.2.2 Down"
grep "OSPF: r3 eth0 neighbor 1.1.1.1 Down" "$TMP/late.out" | grep -Eq "^\[t=(8[0-9]|9[0-9])[0-9]{3}" ||
	{ grep Down "$TMP/late.out"; fail "r3 lost r1 at the wrong time (expected 50 s + dead interval)"; }

# The last key expires with no successor: it stays in use (D.3), and the timeline says so.
last='{authentication: {type: md5, keys: [{key_id: 7, key: only, send_until: 20s, accept_until: 20s}]}}'
timed_with "$TMP/last.yaml" "$last" "$last" "$last"
"$NETSIM" run --until 130s "$TMP/last.yaml" >"$TMP/last.out" || { cat "$TMP/last.out"; fail "last-key run"; }
expect_contains "$TMP/last.out" "OSPF: r1 eth0: authentication key 7 expired and no other is valid: still using it"
expect_not_contains "$TMP/last.out" " Down"
expect_contains "$TMP/last.out" "2/2 packets received"

# --- simple passwords: in clear in the header, checksum over the rest ------------------------
pw='{authentication: {type: simple, key: pa55}}'
triangle_with "$TMP/pw.yaml" "$pw" "$pw" "$pw"
"$NETSIM" run --pcap "$TMP/pw" "$TMP/pw.yaml" >"$TMP/pw.out" || { cat "$TMP/pw.out"; fail "simple run"; }
expect_contains "$TMP/pw.out" "Simple password authentication enabled"
expect_contains "$TMP/pw.out" "2/2 packets received"

# A password on one side only: no adjacency (AuType mismatch).
triangle_with "$TMP/mix.yaml" "$pw" "$pw" '{authentication: none}'
"$NETSIM" run "$TMP/mix.yaml" >"$TMP/mix.out" || true
sed -n '/r3> show ip ospf neighbor/,/r1> show ip ospf interface/p' "$TMP/mix.out" | grep -q "FULL" &&
	fail "r3 formed an adjacency without authentication"

# --- configuration errors, at the offending node ---------------------------------------------
refused() { # NAME R1-OSPF TEXT: r1's block must be refused with TEXT, at r1's line (10)
	triangle_with "$TMP/$1.yaml" "$2" "$md5" "$md5"
	if "$NETSIM" validate "$TMP/$1.yaml" >"$TMP/$1.out" 2>&1; then fail "$1: accepted"; fi
	expect_contains "$TMP/$1.out" "$3"
	expect_contains "$TMP/$1.out" "$1.yaml:10:"
}
refused e1 '{authentication: {type: md5, key: 12345678901234567}}' "a md5 key has at most 16 characters"
refused e2 '{authentication: {type: sha1, key: x}}' "unknown authentication type 'sha1'"
refused e4 '{authentication: {type: hmac-sha-1, key: 0123456789012345678901234567890123456789012345678901234567890123456789}}' \
	"a hmac-sha-1 key has at most 64 characters"
refused e3 '{authentication: {type: simple}}' "simple authentication needs a 'key'"
refused e5 '{authentication: {type: md5, keys: [{key_id: 1, key: a}, {key_id: 1, key: b}]}}' "key ID 1 given twice"
refused e6 '{authentication: {type: md5, keys: [{key_id: 1, key: a, send_from: 10s}]}}' \
	"no key may send at time 0 (give one key send_from: 0)"
refused e7 '{authentication: {type: md5, keys: [{key_id: 1, key: a, accept_from: 5s, accept_until: 5s}]}}' \
	"accept_until must come after accept_from"
# The r1-r2 link of the MD5, rollover, lifetime and password runs, dissected by one tshark.
dissect wire "frame.protocols frame.time_epoch ospf.auth.type ospf.auth.crypt.key_id ospf.auth.simple" \
	"$TMP"/md5/r1-eth0--r2-eth0.pcap "$TMP"/roll/r1-eth0--r2-eth0.pcap "$TMP"/life/r1-eth0--r2-eth0.pcap \
	"$TMP"/pw/r1-eth0--r2-eth0.pcap
ospf() { frames wire 'f["file"] == "'"$1"'/r1-eth0--r2-eth0.pcap" && proto("ospf")' "$2"; }
# MD5: tshark reads AuType 2.
ospf md5 ospf.auth.type | sort -u >"$TMP/md5.tshark"
[ "$(cat "$TMP/md5.tshark")" = "2" ] || { cat "$TMP/md5.tshark"; fail "tshark does not see AuType 2"; }
# Rollover: r1-r2 signed with the youngest key.
ospf roll ospf.auth.crypt.key_id | sort -u >"$TMP/roll.keys"
[ "$(cat "$TMP/roll.keys")" = "2" ] || { cat "$TMP/roll.keys"; fail "r1-r2 not signed with the youngest key"; }
# Lifetimes: key 1 before 50 s, key 2 after (seconds from the capture's first frame).
t0=$(frames wire 'f["file"] == "life/r1-eth0--r2-eth0.pcap"' frame.time_epoch | head -1)
frames wire 'f["file"] == "life/r1-eth0--r2-eth0.pcap" && proto("ospf")' frame.time_epoch ospf.auth.crypt.key_id |
	awk -F '\t' -v OFS='\t' -v t0="$t0" '{ $1 = sprintf("%.9f", $1 - t0); print }' >"$TMP/life.keys"
awk '($1 < 50 && $2 != 1) || ($1 >= 50 && $2 != 2) { bad++ } $1 >= 50 { late++ }
     END { exit !(NR > 20 && late > 5 && !bad) }' "$TMP/life.keys" ||
	{ cat "$TMP/life.keys"; fail "keys on the wire do not follow their lifetimes"; }
# Simple password: tshark reads it.
ospf pw ospf.auth.simple | sort -u >"$TMP/pw.tshark"
[ "$(cat "$TMP/pw.tshark")" = "pa55" ] || { cat "$TMP/pw.tshark"; fail "tshark does not read the password"; }
# Every signed, key-rolling and simple-password capture above, in one pcapcheck pass.
pcapcheck_files "$TMP"/md5/*.pcap "$TMP"/sha/*.pcap "$TMP"/life/*.pcap "$TMP"/pw/*.pcap || fail "pcapcheck"
exit 0
