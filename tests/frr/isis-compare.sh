#!/bin/sh
# Compare netsim's IS-IS with FRR's isisd on a netsim topology, route by route (and with
# --capture, LSP by LSP). Needs root, FRR 8.4 (zebra, isisd, vtysh), iproute2, python3-yaml;
# --capture needs dumpcap. Not part of `make test`: see docs/isis.md, "Compared with FRR".
#   tests/frr/isis-compare.sh [--capture] [--keep] [--out DIR] TOPOLOGY.yaml
# Exit status 0: every router's IS-IS routes (and LSPs) are the same; 1: some differ.
exec python3 "$(dirname "$0")/isis_compare.py" --netsim "${NETSIM:-./netsim}" "$@"
