#!/bin/sh
# daemon.sh: daemon mode measurements (make bench; recorded in docs/performance.md):
#   - `netsim exec NAME r0 "show ip route"` round trip on a converged 100-router
#     network (OSPF ring, and static routes), median and p90 over 300 runs, each a
#     fresh process as a script would run it; and the same request on one open
#     socket (the protocol's own cost);
#   - 100 concurrent `netsim exec` clients: wall time for all of them;
#   - `netsim daemon start` to ready (the command returns when the daemon answers)
#     for the OSPF triangle and the 100-router OSPF ring, median of 10.
set -eu
NETSIM=${NETSIM:-./netsim}
NETSIM=$(cd "$(dirname "$NETSIM")" && pwd)/$(basename "$NETSIM")
TMP=$(mktemp -d)
export XDG_RUNTIME_DIR="$TMP/run"
mkdir -m 700 "$XDG_RUNTIME_DIR"
cleanup() {
	for p in "$XDG_RUNTIME_DIR"/netsim/*.pid; do
		[ -f "$p" ] && "$NETSIM" daemon stop "$(basename "$p" .pid)" >/dev/null 2>&1
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

sh tests/bench/gen-routers.sh 100 ospf >"$TMP/ospf100.yaml"
sh tests/bench/gen-routers.sh 100 static >"$TMP/static100.yaml"

python3 - "$NETSIM" "$TMP" <<'EOF'
import json, os, socket, statistics, subprocess, sys, time

netsim, tmp = sys.argv[1], sys.argv[2]
run = os.path.join(os.environ["XDG_RUNTIME_DIR"], "netsim")


def ms(xs):
    xs = sorted(xs)
    return statistics.median(xs), xs[int(len(xs) * 0.9)]


def start(name, topo):
    t = time.perf_counter()
    subprocess.run([netsim, "daemon", "start", name, topo], check=True, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1000


def stop(name):
    subprocess.run([netsim, "daemon", "stop", name], check=True, stdout=subprocess.DEVNULL)


for label, topo in (("OSPF", "ospf100.yaml"), ("static", "static100.yaml")):
    t_start = start("bench", os.path.join(tmp, topo))
    cmd = [netsim, "exec", "bench", "r0", "show ip route"]
    out = subprocess.run(cmd, check=True, capture_output=True).stdout
    times = []
    for _ in range(300):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - t) * 1000)
    med, p90 = ms(times)
    print("daemon: exec 'show ip route', 100 routers %-6s (%d routes) median %.2f ms  p90 %.2f ms"
          % (label, sum(1 for l in out.split(b"\n") if l[:1] in b"CSOBi"), med, p90))
    s = socket.socket(socket.AF_UNIX)
    s.connect(os.path.join(run, "bench.sock"))
    f = s.makefile("rwb")
    times = []
    for i in range(2000):
        t = time.perf_counter()
        f.write(b'{"v":1,"id":%d,"op":"exec","device":"r0","cmd":"show ip route"}\n' % i)
        f.flush()
        json.loads(f.readline())
        times.append((time.perf_counter() - t) * 1000)
    med, p90 = ms(times)
    print("daemon: same request on one open socket, %-6s           median %.3f ms p90 %.3f ms"
          % (label, med, p90))
    s.close()
    t = time.perf_counter()
    procs = [subprocess.Popen([netsim, "exec", "bench", "r%d" % i, "show ip route"],
                              stdout=subprocess.DEVNULL) for i in range(100)]
    bad = sum(p.wait() != 0 for p in procs)
    print("daemon: 100 concurrent exec clients, %-6s                  %.1f ms wall (%d failed)"
          % (label, (time.perf_counter() - t) * 1000, bad))
    stop("bench")
    print("daemon: start to ready, 100 routers %-6s                   %.1f ms" % (label, t_start))

times = []
for _ in range(10):
    times.append(start("tri", "topologies/ospf-triangle.yaml"))
    stop("tri")
med, p90 = ms(times)
print("daemon: start to ready, OSPF triangle                         median %.1f ms  p90 %.1f ms"
      % (med, p90))
EOF
