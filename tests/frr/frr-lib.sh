# Shared shell code for the FRR 8.4 recording scripts (tests/frr/*-record.sh):
# each router is a network namespace "$NS<router>" running the FRR daemons of
# DAEMONS (default zebra, staticd and bgpd; zebra first) from FRR's own
# configuration file, the links are veth pairs. A script sets NS (namespace
# prefix), WORK (a scratch directory), ROUTERS and optionally DAEMONS, then
# sources this file (which tears down what a previous run left and, unless
# KEEP is set, arranges for the teardown at exit).
FRR=/usr/lib/frr
DAEMONS=${DAEMONS:-zebra staticd bgpd}

teardown() {
	for r in $ROUTERS; do
		for d in $DAEMONS; do
			f=/var/run/frr/$NS$r/$d.pid
			[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
		done
		ip netns del "$NS$r" 2>/dev/null || true
	done
}
[ -n "${KEEP:-}" ] || trap teardown EXIT INT TERM
teardown
sleep 1

in_ns() { ns=$1; shift; ip netns exec "$NS$ns" "$@"; }

# Namespaces with loopback up, and an empty configuration directory for each.
make_routers() {
	rm -rf "$WORK"
	for r in $ROUTERS; do
		ip netns add "$NS$r"
		in_ns "$r" ip link set lo up
		mkdir -p "$WORK/$r" "/var/run/frr/$NS$r"
		chown frr:frr "$WORK/$r" "/var/run/frr/$NS$r"
	done
}
# link R1 IF1 R2 IF2: a veth pair between two routers.
link() { ip link add "$2" netns "$NS$1" type veth peer name "$4" netns "$NS$3"; }
# addr ROUTER IF PREFIX: an address, and the interface up.
addr() { in_ns "$1" ip addr add "$3" dev "$2"; in_ns "$1" ip link set "$2" up; }
# The configuration file of ROUTER, written from standard input.
conf_file() { echo "$WORK/$1/frr.conf"; }

start_routers() {
	for r in $ROUTERS; do
		for d in $DAEMONS; do
			in_ns "$r" "$FRR/$d" -N "$NS$r" -d -f "$(conf_file "$r")" -i "/var/run/frr/$NS$r/$d.pid"
			if [ "$d" = zebra ]; then sleep 1; fi
		done
	done
}

vty() { vtysh -N "$NS$1" -c "$2" 2>/dev/null; }
# vty_conf ROUTER LINE...: configuration commands, from `configure terminal`.
vty_conf() {
	r=$1; shift
	n=$#
	for a; do set -- "$@" -c "$a"; done
	shift "$n"
	vtysh -N "$NS$r" -c "configure terminal" "$@"
}
# rec ROUTER FILE COMMAND: the command's text into OUT/FILE.txt, its JSON into OUT/FILE.json.
rec() {
	vty "$1" "$3" >"$OUT/$2.txt"
	vty "$1" "$3 json" >"$OUT/$2.json"
}
# wait_for DESCRIPTION COMMAND...: until the command succeeds (90 s at most).
wait_for() {
	what=$1; shift
	i=0
	until "$@"; do
		i=$((i + 1))
		[ $i -lt 90 ] || { echo "FRR: $what did not happen" >&2; exit 1; }
		sleep 1
	done
}
# established ROUTER N: the router has N sessions in Established (summary rows end with a count).
established() { [ "$(vty "$1" 'show ip bgp summary json' | grep -c '"state":"Established"')" -ge "$2" ]; }
