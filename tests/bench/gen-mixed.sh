#!/bin/sh
# gen-mixed.sh ROWS COLS: a YAML topology that uses most of OSPF at once, for
# comparing runs (determinism.sh): a ROWS x COLS grid of routers whose left
# third is area 1, an NSSA with an ASBR (Type-7), whose right third is area 2
# with an ASBR (Type-5), and whose middle is the backbone, where the routers
# of the middle column also share a broadcast segment (DR election, a
# network-LSA). Routers on the borders between thirds are ABRs.
rows=${1:?usage: gen-mixed.sh ROWS COLS}
cols=${2:?usage: gen-mixed.sh ROWS COLS}
awk -v R="$rows" -v C="$cols" '
function area(j) { return j < int(C / 3) ? 1 : (j >= C - int(C / 3) ? 2 : 0) }
function larea(a, b) { return area(a) == area(b) ? area(a) : (area(a) == 0 ? area(b) : area(a)) }
BEGIN {
	nl = 0; mid = int(C / 2)
	for (i = 0; i < R; i++)
		for (j = 0; j < C; j++) {
			k = i * C + j + 1
			if (j + 1 < C) { la[nl] = k; lb[nl] = k + 1; ar[nl] = larea(j, j + 1); nl++ }
			if (i + 1 < R) { la[nl] = k; lb[nl] = k + C; ar[nl] = area(j); nl++ }
		}
	print "name: ospf-mixed"
	print "devices:"
	for (k = 1; k <= R * C; k++) {
		j = (k - 1) % C
		printf "  - name: r%d\n    router_id: 10.255.%d.%d\n", k, int(k / 256), k % 256
		if (k == 1 || k == R * C || j <= int(C / 3)) {
			printf "    ospf:\n"
			if (j <= int(C / 3))
				printf "      areas: {1: {type: nssa}}\n"
			if (k == 1 || k == R * C)
				printf "      redistribute: [static]\n"
		}
		if (k == 1)
			printf "    static_routes: [{prefix: 192.0.2.0/24, blackhole: true}]\n"
		if (k == R * C)
			printf "    static_routes: [{prefix: 198.51.100.0/24, blackhole: true}]\n"
		printf "    interfaces:\n"
		printf "      - {name: lo0, ip: 10.255.%d.%d/32, ospf: {area: %d}}\n", int(k / 256), k % 256, area(j)
		n = 0
		for (l = 0; l < nl; l++)
			if (la[l] == k || lb[l] == k)
				printf "      - {name: eth%d, ip: 10.%d.%d.%d/31, ospf: {area: %d, network_type: point-to-point, cost: %d}}\n", n++, int(l / 32768), int(l / 128) % 256, (2 * l + (lb[l] == k)) % 256, ar[l], 1 + (l * 7) % 5
		if (j == mid)
			printf "      - {name: lan0, ip: 172.16.0.%d/24, ospf: {area: 0, priority: %d}}\n", int((k - 1) / C) + 1, (k % 3)
	}
	print "links:"
	for (l = 0; l < nl; l++) {
		printf "  - {endpoints: [r%d:eth", la[l]
		n = 0; for (m = 0; m < l; m++) if (la[m] == la[l] || lb[m] == la[l]) n++
		printf "%d, r%d:eth", n, lb[l]
		n = 0; for (m = 0; m < l; m++) if (la[m] == lb[l] || lb[m] == lb[l]) n++
		printf "%d]}\n", n
	}
	printf "  - {endpoints: ["
	for (i = 0; i < R; i++) printf "%sr%d:lan0", i ? ", " : "", i * C + mid + 1
	print "]}"
}'
