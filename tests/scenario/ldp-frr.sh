# ldp-frr: tests/frr/ldp-chain.yaml in netsim against FRR 8.4 running the same network
# (tests/frr/ldp-chain/, recorded by tests/frr/ldp-record.sh): on every router, `show mpls
# ldp binding|neighbor [detail]|interface|discovery [detail]` as text and JSON, line for
# line and key for key (TCP ports, hold timers ticking and FRR's capability TLVs aside). FRR binds every prefix there (bind: all) and allocates labels in the order its
# routes arrive (netsim too, but the order differs), so label numbers are compared as "a
# number", and each remote label must be the neighbor's own local label for the prefix;
# also with `bind: loopbacks` (FRR's `label local allocate host-routes`), and with explicit
# null on r4 (and /32s), r3's and r4's tables. Ages are masked.
# Then the session on the r2-r3 link: the same PDUs, in the same TCP segments, as FRR's
# capture, and RFC 6720's TTL 255 on the session's segments.
. tests/scenario/lib.inc
command -v python3 >/dev/null || fail "python3 is needed"
command -v tshark >/dev/null || fail "tshark is not installed (make deps)"

script() {
	echo "script:"
	for r in r1 r2 r3 r4; do
		for c in binding neighbor interface discovery "neighbor detail" "discovery detail"; do
			echo "  - {at: converged + 20s, device: $r, command: show mpls ldp $c}"
		done
	done
}
sed -e '/^script:/,$d' tests/frr/ldp-chain.yaml >"$TMP/all.yaml"
script >>"$TMP/all.yaml"
grep -q 'bind: all' "$TMP/all.yaml" || fail "ldp-chain.yaml no longer binds every prefix"
sed -e 's/bind: all/bind: loopbacks/' "$TMP/all.yaml" >"$TMP/host.yaml"
# r4 advertises explicit null for its own prefixes (FRR's recording of it binds /32s only).
awk '/ldp: {router_id: 10.255.0.4/ {sub(/bind: loopbacks/, "bind: loopbacks, explicit_null: true")} {print}' \
	"$TMP/host.yaml" >"$TMP/exp.yaml"
grep -q 'explicit_null: true' "$TMP/exp.yaml" || fail "no explicit null on r4"
mkdir -p "$TMP/pcap"
for v in all host exp; do
	p=""
	[ $v = all ] && p="--pcap $TMP/pcap"
	"$NETSIM" run $p --json "$TMP/$v.yaml" >"$TMP/$v.json" 2>"$TMP/$v.err" ||
		{ cat "$TMP/$v.err"; fail "netsim run ($v)"; }
done

python3 - "$TMP" tests/frr/ldp-chain <<'PY' || fail "netsim differs from FRR 8.4 on ldp-chain"
import json, re, sys
tmp, ref = sys.argv[1], sys.argv[2]
bad = []
AGE = re.compile(r"\b\d\d:\d\d:\d\d\b")

def outputs(v):
    return {(o["device"], o["command"]): o for o in json.load(open(f"{tmp}/{v}.json"))["outputs"]}

def label_kind(s):
    return "N" if s.isdigit() else s

PORT = re.compile(r"(TCP connection: [0-9.]+):\d+ - ([0-9.]+):\d+")
DUE = re.compile(r"\(due in \d+ secs\)")

def text_norm(cmd, text, numbers):
    out = []
    for line in text.split("\n"):
        line = AGE.sub("HH:MM:SS", line)
        # Ports are ephemeral, hold timers tick; FRR's capability TLVs netsim does not send.
        line = PORT.sub(r"\1:PORT - \2:PORT", line)
        line = DUE.sub("(due in N secs)", line)
        if cmd == "neighbor detail" and line.startswith("   - ") and "(0x0" in line:
            continue
        if cmd == "binding" and numbers and line.startswith("ipv4"):
            f = line.split()
            f[3], f[4] = label_kind(f[3]), label_kind(f[4])
            line = " ".join(f)
        out.append(line)
    return "\n".join(out).rstrip("\n")

def json_norm(cmd, j, numbers):
    s = json.dumps(j, sort_keys=False)
    s = AGE.sub("HH:MM:SS", s)
    j = json.loads(s)
    if cmd == "neighbor detail":
        for n in j.values():
            n["tcpLocalPort"] = n["tcpRemotePort"] = "PORT"
            n["sentCapabilities"] = n["receivedCapabilities"] = []
    if cmd == "discovery detail":
        for i in j.get("interfaces", {}).values():
            for a in i["adjacencies"]:
                a["helloHoldtimeRemaining"] = "N"
    if cmd == "binding" and numbers:
        for b in j.get("bindings", []):
            b["localLabel"], b["remoteLabel"] = label_kind(b["localLabel"]), label_kind(b["remoteLabel"])
    return j

def compare(v, suffix, routers, cmds, numbers):
    outs = outputs(v)
    for r in routers:
        for c in cmds:
            o = outs.get((r, f"show mpls ldp {c}"))
            if o is None:
                bad.append(f"{v}: {r} show mpls ldp {c}: no output"); continue
            f = f"{ref}/{r}-show-mpls-ldp-{c.replace(' ', '-')}{suffix}"
            want = open(f + ".txt").read()
            got, exp = text_norm(c, o["output"], numbers), text_norm(c, want, numbers)
            if got != exp:
                bad.append(f"{v}: {r} {c} text:\n--- netsim\n{got}\n--- FRR\n{exp}")
            gj, wj = json_norm(c, o["json"], numbers), json_norm(c, json.load(open(f + ".json")), numbers)
            if gj != wj or list(json.dumps(gj)) != list(json.dumps(wj)):
                bad.append(f"{v}: {r} {c} JSON:\n--- netsim\n{json.dumps(gj)}\n--- FRR\n{json.dumps(wj)}")

def consistent(v):
    # A remote label is what that neighbor gave as its local label for the prefix.
    outs = outputs(v)
    ids = {"r1": "10.255.0.1", "r2": "10.255.0.2", "r3": "10.255.0.3", "r4": "10.255.0.4"}
    local = {}
    for r, i in ids.items():
        for b in outs[(r, "show mpls ldp binding")]["json"]["bindings"]:
            local[(i, b["prefix"])] = b["localLabel"]
    for r in ids:
        for b in outs[(r, "show mpls ldp binding")]["json"]["bindings"]:
            if local.get((b["neighborId"], b["prefix"])) != b["remoteLabel"]:
                bad.append(f"{v}: {r} {b['prefix']} from {b['neighborId']}: remote {b['remoteLabel']}, "
                           f"the neighbor's local {local.get((b['neighborId'], b['prefix']))}")

R = ["r1", "r2", "r3", "r4"]
compare("all", "", R, ["binding", "neighbor", "interface", "discovery", "neighbor detail",
                      "discovery detail"], True)
compare("host", "-host-routes", R, ["binding"], True)
compare("exp", "-explicit-null", ["r3", "r4"], ["binding"], True)
for v in ("all", "host", "exp"):
    consistent(v)
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY

# The session's PDUs on the r2-r3 link, segment by segment, as FRR's capture has them:
# r3 (the higher transport address) opens; Initialization; Initialization + KeepAlive;
# KeepAlive + Address; then each side's Label Mappings in one PDU.
# One tshark per capture (each alone: the two sessions' TCP must not meet), for both questions.
F="ip.src ip.ttl ldp.msg.type ldp.msg.tlv.hello.gtsm ldp.msg.tlv.hello.hold ip.flags.df frame.protocols"
dissect frr "$F" tests/frr/ldp-chain/ldp.pcap
dissect ns "$F" "$TMP/pcap/r2-eth1--r3-eth0.pcap"
segs() { frames "$1" 'proto("ldp") && proto("tcp")' ip.src ip.ttl ldp.msg.type; }
segs frr | head -6 | sort >"$TMP/frr.segs"
segs ns | head -6 | sort >"$TMP/ns.segs"
diff -u "$TMP/frr.segs" "$TMP/ns.segs" || fail "the session set-up differs from FRR's"
grep -q "^10.255.0.3	255	0x0200$" "$TMP/ns.segs" || fail "r3 did not open with an Initialization at TTL 255"
# Hellos: TTL 1, RFC 6720's G bit, hold time 15, as FRR's.
h() { frames "$1" 'has("ldp.msg.type", "0x0100")' ip.ttl ldp.msg.tlv.hello.gtsm ldp.msg.tlv.hello.hold ip.flags.df | sort -u; }
[ "$(h frr)" = "$(h ns)" ] || fail "Hellos differ from FRR's: $(h ns) vs $(h frr)"
[ -n "$(h ns)" ] || fail "no Hello on r2-r3"
pcapcheck_files "$TMP"/pcap/*.pcap || fail "pcapcheck"
