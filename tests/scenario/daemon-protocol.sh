# daemon-protocol: the socket protocol from a client that is not netsim (python3):
# malformed, oversized, truncated and binary requests, pipelining, slow and stuck
# clients, clients killed mid-command, the peer uid check, the documented example.
. tests/scenario/lib.inc
. tests/daemon/lib.sh

python3 tests/daemon/protocol.py "$NETSIM"
