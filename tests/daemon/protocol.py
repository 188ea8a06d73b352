#!/usr/bin/env python3
"""protocol.py: the daemon's socket protocol, from a client that is not netsim.

Run by tests/scenario/daemon-protocol.sh (which provides a private runtime
directory and stops the daemons): python3 tests/daemon/protocol.py NETSIM.
Covers docs/daemon-protocol.md: every op, error replies for malformed,
oversized, truncated and binary requests, NUL characters and repeated keys
(the connection goes on), pipelining,
backpressure on a client that does not read, a stuck event follower being
dropped, clients killed mid-command, idle connections, the SO_PEERCRED check,
and the Python example of the documentation itself.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

NETSIM = sys.argv[1]
TOP = os.environ.get("TOP", os.getcwd())
RUN = os.path.join(os.environ["XDG_RUNTIME_DIR"], "netsim")
NAME = "proto"
failures = []


def start(name, topo, *args):
    subprocess.run([NETSIM, "daemon", "start", name, topo, *args], check=True,
                   stdout=subprocess.DEVNULL)


class Conn:
    def __init__(self, name=NAME, timeout=20):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(timeout)
        self.s.connect(os.path.join(RUN, name + ".sock"))
        self.buf = b""
        self.n = 0

    def send_raw(self, data):
        self.s.sendall(data)

    def send(self, op, **kw):
        self.n += 1
        req = dict(v=1, id=self.n, op=op, **kw)
        self.send_raw(json.dumps(req).encode() + b"\n")
        return self.n

    def line(self):
        while b"\n" not in self.buf:
            chunk = self.s.recv(1 << 20)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        # Strict: every reply is valid UTF-8 and valid JSON, whatever we sent.
        return json.loads(line.decode("utf-8", errors="strict"))

    def reply(self):
        while True:
            r = self.line()
            if r is None or "ok" in r:
                return r

    def call(self, op, **kw):
        i = self.send(op, **kw)
        r = self.reply()
        assert r is not None, "connection closed"
        assert r["id"] == i, r
        return r

    def eof(self):
        try:
            while True:
                if self.line() is None:
                    return True
        except (ConnectionResetError, socket.timeout):
            return False

    def close(self):
        self.s.close()


ONLY = sys.argv[2:]


def test(fn):
    if ONLY and fn.__name__ not in ONLY:
        return fn
    t0 = time.time()
    try:
        fn()
        print("ok   %-28s %.2fs" % (fn.__name__, time.time() - t0))
    except Exception as e:  # noqa: BLE001: report every failure and go on
        import traceback
        traceback.print_exc()
        print("FAIL %s: %s" % (fn.__name__, str(e)[:2000]))
        failures.append(fn.__name__)
    return fn


def read_log(name=NAME):
    with open(os.path.join(RUN, name + ".log"), encoding="utf-8", errors="strict") as f:
        return f.read()


def healthy(name=NAME):
    c = Conn(name)
    r = c.call("status")
    c.close()
    assert r["ok"] and r["devices"] > 0, r
    return r


# ---------------------------------------------------------------------------------------
start(NAME, os.path.join(TOP, "topologies/static-routes.yaml"), "--tick-interval", "20ms")


@test
def hello():
    c = Conn()
    r = c.call("hello")
    assert r["ok"] and 1 in r["versions"] and r["name"] == NAME and "exec" in r["ops"], r
    assert r["maxLine"] == 1 << 20


@test
def exec_text_and_json():
    c = Conn()
    r = c.call("exec", device="r2", cmd="show ip route")
    assert r["ok"] and r["status"] == 0 and "192.168.2.0/24" in r["output"], r
    assert isinstance(r["simTimeMs"], (int, float))
    r = c.call("exec", device="r2", cmd="show ip route", json=True)
    assert r["result"]["192.168.2.0/24"][0]["protocol"] == "static", r
    r = c.call("exec", device="r2", cmd="shw")
    assert r["ok"] and r["status"] == 1 and "unknown command" in r["error"], r
    r = c.call("exec", device="nope", cmd="show ip route")
    assert not r["ok"] and r["error"]["code"] == "no-such-device", r
    r = c.call("exec", device="h1", cmd="ping 192.168.2.10 count 2")
    assert r["status"] == 0 and r["tookMs"] > 0, r
    r = c.call("exec", device="-", cmd="= 2 ^ 10")
    assert r["status"] == 0 and "1024" in r["output"], r


@test
def ids_echoed():
    c = Conn()
    c.send_raw(b'{"v":1,"id":"abc","op":"hello"}\n')
    assert c.reply()["id"] == "abc"
    c.send_raw(b'{"op":"hello"}\n')  # no v: version 1, no id: null
    r = c.reply()
    assert r["ok"] and r["id"] is None, r


@test
def malformed_requests_keep_the_connection():
    c = Conn()
    cases = [
        (b'{"v":1,"op":\n', "parse-error"),
        (b'not json at all\n', "parse-error"),
        (b'[1,2,3]\n', "bad-request"),
        (b'"hello"\n', "bad-request"),
        (b'{"v":1,"id":5}\n', "bad-request"),
        (b'{"v":1,"id":5,"op":42}\n', "bad-request"),
        (b'{"v":1,"id":6,"op":"exce"}\n', "unknown-op"),
        (b'{"v":2,"id":7,"op":"hello"}\n', "unsupported-version"),
        (b'{"v":"1","id":8,"op":"hello"}\n', "unsupported-version"),
        (b'{"v":1,"id":9,"op":"exec","device":"r1"}\n', "bad-request"),
        (b'{"v":1,"id":10,"op":"exec","device":1,"cmd":"x"}\n', "bad-request"),
        (b'{"v":1,"id":11,"op":"line","line":"show ip route"}\n', "no-session"),
        (b'{"v":1,"op":"hello"}{"v":1}\n', "parse-error"),
        (b'{"a":' * 200 + b'\n', "parse-error"),
    ]
    for data, code in cases:
        c.send_raw(data)
        r = c.reply()
        assert r is not None and r["ok"] is False and r["error"]["code"] == code, (data, r)
    assert c.call("status")["ok"]


@test
def nul_and_duplicate_keys_are_refused():
    # "\u0000" would cut the C string the command runs from; a repeated key
    # would let two readers of one line disagree. Both: parse-error naming the key.
    c = Conn()
    cases = [
        (b'{"v":1,"id":1,"op":"exec","device":"r1","cmd":"show ip route\\u0000;x"}\n',
         'NUL character (\\u0000) in the value of "cmd" at byte 60'),
        (b'{"v":1,"id":2,"op":"exec","device":"r\\u00001","cmd":"show ip route"}\n',
         'NUL character (\\u0000) in the value of "device" at byte 37'),
        (b'{"v":1,"id":3,"op":"exec","device":"r1","cmd":"show ip route","cmd":"x"}\n',
         'duplicate key "cmd" at byte 62'),
        (b'{"v":1,"id":4,"op":"hello","op":"stop"}\n', 'duplicate key "op" at byte 27'),
        (b'{"v":1,"id":5,"id":6,"op":"hello"}\n', 'duplicate key "id" at byte 14'),
        (b'{"v":1,"id":7,"op":"exec","device":"r1","cmd":"x","json":true,"json":false}\n',
         'duplicate key "json" at byte 62'),
    ]
    for data, msg in cases:
        c.send_raw(data)
        r = c.reply()
        assert r["ok"] is False and r["error"]["code"] == "parse-error", (data, r)
        assert r["error"]["message"] == msg and r["id"] is None, (data, r)
    # The same key in different objects, and an escaped NUL-free string, are fine.
    c.send_raw(b'{"v":1,"id":8,"op":"exec","device":"r2","cmd":"show ip \\u0072oute",'
               b'"x":{"cmd":1}}\n')
    r = c.reply()
    assert r["ok"] and r["status"] == 0 and "192.168.2.0/24" in r["output"], r
    assert c.call("status")["ok"]


@test
def binary_garbage():
    c = Conn()
    junk = (bytes(range(256)) * 64 + os.urandom(65536)).replace(b"\n", b"x")
    c.send_raw(junk + b"\n" + b"\x00\x01\xff\xfe\n" + b"\r\n\n   \n")
    for _ in range(2):
        r = c.reply()
        assert r["ok"] is False and r["error"]["code"] == "parse-error", r
    assert c.call("status")["ok"]


@test
def invalid_utf8_is_echoed_as_valid_json():
    c = Conn()
    c.send_raw(b'{"v":1,"id":1,"op":"exec","device":"r1","cmd":"show \xff\xfe\xc0\xaf ip"}\n')
    r = c.reply()
    assert r["ok"] and r["status"] == 1 and "\ufffd" in r["error"], r
    c.send_raw(b'{"v":1,"id":2,"op":"exec","device":"r1\xff","cmd":"show ip route"}\n')
    r = c.reply()
    assert r["ok"] is False and r["error"]["code"] == "no-such-device", r


@test
def oversized_line_is_skipped():
    c = Conn()
    c.send_raw(b"a" * (2 << 20) + b"\n")
    r = c.reply()
    assert r["ok"] is False and r["error"]["code"] == "too-large", r
    big = json.dumps(dict(v=1, id=3, op="exec", device="r1", cmd="x" * (1 << 20)))
    c.send_raw(big.encode() + b"\n")
    r = c.reply()
    assert r["error"]["code"] == "too-large", r
    # Just under the limit is fine.
    ok = json.dumps(dict(v=1, id=4, op="exec", device="r1", cmd="show " + "y" * 1000000))
    c.send_raw(ok.encode() + b"\n")
    r = c.reply()
    assert r["ok"] and r["id"] == 4 and r["status"] == 1, r
    assert c.call("status")["ok"]


@test
def truncated_request():
    c = Conn()
    c.send_raw(b'{"v":1,"id":1,"op":"sta')
    c.s.shutdown(socket.SHUT_WR)
    r = c.line()
    assert r["ok"] is False and r["error"]["code"] == "truncated", r
    assert c.eof()
    # A request whose newline never comes, from a client that then vanishes.
    c = Conn()
    c.send_raw(b'{"v":1,"id":1,"op":"status"')
    c.close()
    healthy()


@test
def pipelining():
    c = Conn()
    n = 500
    data = b"".join(json.dumps(dict(v=1, id=i, op="exec", device="r%d" % (i % 4 + 1),
                                    cmd="show interfaces")).encode() + b"\n" for i in range(n))
    c.send_raw(data)
    for i in range(n):
        r = c.reply()
        assert r["id"] == i and r["status"] == 0 and "eth0" in r["output"], r


@test
def slow_reader_does_not_stall_others():
    slow = Conn()
    n = 3000
    data = b"".join(json.dumps(dict(v=1, id=i, op="exec", device="r1", cmd="help")).encode()
                    + b"\n" for i in range(n))
    t = threading.Thread(target=slow.send_raw, args=(data,), daemon=True)
    t.start()
    time.sleep(0.3)
    # The slow client reads nothing; everyone else is served and time goes on.
    t0 = time.time()
    a = healthy()["simTimeMs"]
    time.sleep(0.2)
    b = healthy()["simTimeMs"]
    assert time.time() - t0 < 2, "status took %.2fs" % (time.time() - t0)
    assert b > a, (a, b)
    # Then it reads everything, in order: backpressure, not loss.
    for i in range(n):
        r = slow.reply()
        assert r["id"] == i and r["status"] == 0, r
    t.join(10)


@test
def stuck_follower_is_dropped():
    stuck = Conn()
    stuck.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    r = stuck.call("events", follow=True)
    assert r["ok"] and r["stream"], r
    # About 40 MB of chaos events that the follower never reads.
    c = Conn(timeout=120)
    r = c.call("exec", device="-", cmd="local chaos = require('netsim.chaos'); "
               "for i = 1, 100000 do chaos.log(net, string.rep('x', 400)) end")
    assert r["ok"] and r["status"] == 0, r
    healthy()
    st = Conn().call("status")
    assert st["followers"] == 0, st
    assert stuck.eof(), "the stuck follower was not disconnected"
    assert re.search(r"client \d+ \(pid \d+\) dropped", read_log()), "no drop in the log"


@test
def events_follow():
    f = Conn()
    r = f.call("events", follow=True)
    assert r["ok"] and isinstance(r["events"], list), r
    c = Conn()
    assert c.call("exec", device="-", cmd="link down r3:eth1 r4:eth0")["status"] == 0
    assert c.call("exec", device="-", cmd="link up r3:eth1 r4:eth0")["status"] == 0
    kinds = []
    while "link_up" not in kinds:
        e = f.line()
        assert e is not None and "event" in e and e["id"] == r["id"], e
        kinds.append(e["event"]["type"])
    assert "link_down" in kinds, kinds
    r = f.call("unsubscribe")
    assert r["ok"]
    c.call("exec", device="-", cmd="link down r3:eth1 r4:eth0")
    c.call("exec", device="-", cmd="link up r3:eth1 r4:eth0")
    r = f.call("status")  # no event lines in between any more
    assert r["followers"] == 0, r
    # events --follow through exec: the history, then the stream.
    g = Conn()
    r = g.call("exec", device="-", cmd="events --follow")
    assert r["ok"] and r.get("stream") and "link" in r["output"], r
    c.call("exec", device="-", cmd="link down r3:eth1 r4:eth0")
    while True:
        e = g.line()
        assert e is not None and e["id"] == r["id"], e
        if e["event"]["type"] == "link_down":
            break
    c.call("exec", device="-", cmd="link up r3:eth1 r4:eth0")


@test
def console_session():
    c = Conn()
    r = c.call("attach", device="r1")
    assert r["ok"] and r["prompt"] == "r1> ", r
    r = c.call("line", line="show ip route")
    assert r["status"] == 0 and "0.0.0.0/0" in r["output"], r
    r = c.call("line", line="connect r2")
    assert r["prompt"] == "r2> " and r["device"] == "r2", r
    r = c.call("line", line="= 1 + 1")
    assert r["output"].strip() == "2", r
    # At a device prompt a line with '(' or '=' is Lua; anything else is the device's CLI.
    r = c.call("line", line="x = 1")
    assert r["status"] == 0 and r["output"] == "", r
    r = c.call("line", line="= x + 1")
    assert r["output"].strip() == "2", r
    r = c.call("line", line="shw ip route")
    assert r["status"] == 1 and "unknown command" in r["output"], r
    r = c.call("line", line="lua for i = 1, 3 do")
    assert r["prompt"] == ">> ", r
    r = c.call("line", line="print('i=' .. i) end")
    assert r["output"].split() == ["i=1", "i=2", "i=3"] and r["prompt"] == "r2> ", r
    r = c.call("line", line="lua error('kaput')")
    assert r["status"] == 1 and "kaput" in r["output"], r
    r = c.call("line", line="lua netsim.command('show lua-hello', function() return 'hello from lua' end)")
    assert r["status"] == 0, r
    r = c.call("line", line="show lua-hello")
    assert r["status"] == 0 and "hello from lua" in r["output"], r
    r = c.call("line", line="end")
    assert r["prompt"] == "netsim> " and r["device"] == "-", r
    r = c.call("line", line="y = 6 * 7")
    r = c.call("line", line="= y")
    assert r["output"].strip() == "42", r
    r = c.call("line", line="r2 show lua-hello")
    assert "hello from lua" in r["output"], r
    r = c.call("line", line="link down r1:eth1 r2:eth0")
    assert r["status"] == 0 and "down" in r["output"], r
    r = c.call("line", line="link up r1:eth1 r2:eth0")
    assert r["status"] == 0, r
    r = c.call("line", line="connect r2")
    r = c.call("complete", line="sh")
    assert "show" in r["candidates"], r
    r = c.call("complete", line="connect r")
    assert {"r1", "r2", "r3", "r4"} <= set(r["candidates"]), r
    r = c.call("complete", line="show interfaces e")
    assert "eth0" in r["candidates"], r
    # An endpoint (A:IF): the device with its colon, then its interfaces.
    r = c.call("complete", device="-", line="link down r")
    assert "r1:" in r["candidates"], r
    r = c.call("complete", device="-", line="link down r1:")
    assert "r1:eth0" in r["candidates"] and r["start"] == 10, r
    r = c.call("complete", line="= net:n")
    assert any(x.startswith("net:n") for x in r["candidates"]), r
    r = c.call("attach", device="r9")
    assert r["error"]["code"] == "no-such-device", r


@test
def kill_client_mid_command():
    # Enough simulated work that `run 60s` takes a while: a link flapping every 6 ms.
    flap = ("local chaos = require('netsim.chaos'); "
            "chaos.flap('r1:eth1--r2:eth0', {period = '6ms', count = 10000})")
    c = Conn()
    assert c.call("exec", device="-", cmd=flap)["status"] == 0
    t0 = healthy()["simTimeMs"]
    p = subprocess.Popen([NETSIM, "exec", NAME, "-", "run 60s"], stdout=subprocess.DEVNULL)
    time.sleep(0.1)
    p.send_signal(signal.SIGKILL)
    p.wait()
    # And a raw client that sends a long command and resets the connection at once.
    assert c.call("exec", device="-", cmd=flap)["status"] == 0
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(os.path.join(RUN, NAME + ".sock"))
    s.sendall(b'{"v":1,"id":1,"op":"exec","device":"-","cmd":"run 60s"}\n')
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    s.close()
    # Both commands run although their clients are gone. The daemon serves its
    # connections in the order poll reports them, so the status request may be
    # answered before the vanished client's line is read: ask until it ran (two minutes of
    # flapping take tens of seconds under the sanitizers on a loaded machine).
    deadline = time.time() + 180
    st = healthy()
    while st["simTimeMs"] < t0 + 120000 and time.time() < deadline:
        time.sleep(0.05)
        st = healthy()
    assert st["simTimeMs"] >= t0 + 120000, (t0, st["simTimeMs"])
    r = Conn().call("exec", device="r1", cmd="show ip route")
    assert r["status"] == 0, r
    assert re.search(r'exec - "run 60s" -> ok', read_log())


@test
def many_idle_connections():
    idle = [Conn() for _ in range(300)]
    t0 = time.time()
    out = subprocess.run([NETSIM, "daemon", "status", NAME, "--json"], check=True,
                         capture_output=True).stdout
    assert json.loads(out)["clients"] >= 301
    assert time.time() - t0 < 2
    for c in idle:
        c.close()
    time.sleep(0.1)
    assert healthy()["clients"] < 10


@test
def lua_replaces_the_network():
    # Lua may load another topology in a running daemon; the daemon follows it.
    # Copies beside swap.lua below: Lua reads files only under the topology's directory.
    here = os.path.dirname(RUN)
    for name in ("static-routes.yaml", "vlan-switching.yaml"):
        shutil.copy(os.path.join(TOP, "topologies", name), here)
    start("swap", os.path.join(here, "static-routes.yaml"), "--tick-interval", "20ms")
    f = Conn("swap")
    assert f.call("events", follow=True)["ok"]
    c = Conn("swap")
    vlan = os.path.join(here, "vlan-switching.yaml")
    # As in a console: netsim.load builds it, run() makes it the live one.
    r = c.call("exec", device="-", cmd="x = netsim.load('%s'); x:run()" % vlan)
    assert r["status"] == 0, r
    st = healthy("swap")
    assert st["network"] == "vlan-switching", st
    r = c.call("exec", device="sw1", cmd="show vlan")
    assert r["status"] == 0 and "VLAN0010" in r["output"], r
    r = c.call("exec", device="r4", cmd="show ip route")
    assert r["error"]["code"] == "no-such-device", r
    # From a file run by `load`, inside a chaos-like chunk: the old handles go stale.
    path = os.path.join(os.path.dirname(RUN), "swap.lua")
    with open(path, "w") as fp:
        fp.write("netsim.load('%s'):run()\nprint('swapped')\n"
                 % os.path.join(here, "static-routes.yaml"))
    r = c.call("exec", device="-", cmd="load " + path)
    assert r["status"] == 0 and "swapped" in r["output"], r
    assert healthy("swap")["network"] == "static-routes"
    c.call("exec", device="-", cmd="link down r2:eth1 r3:eth0")
    while True:
        e = f.line()
        if e.get("event", {}).get("type") == "link_down":
            break
    t0 = healthy("swap")["simTimeMs"]
    time.sleep(0.2)
    assert healthy("swap")["simTimeMs"] > t0, "no ticks after the swap"
    subprocess.run([NETSIM, "daemon", "stop", "swap"], check=True, stdout=subprocess.DEVNULL)


@test
def out_of_descriptors():
    # A daemon with 40 descriptors and 60 clients: the extra ones are refused,
    # the loop does not spin, and it serves again once they are gone.
    import resource

    def limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (40, 40))
    subprocess.run([NETSIM, "daemon", "start", "tight", os.path.join(TOP, "topologies/static-routes.yaml")],
                   check=True, stdout=subprocess.DEVNULL, preexec_fn=limit)
    pid = int(open(os.path.join(RUN, "tight.pid")).read())

    def cpu():
        with open("/proc/%d/stat" % pid) as f:
            return sum(int(x) for x in f.read().split(") ")[1].split()[11:13])
    conns = []
    for _ in range(60):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(os.path.join(RUN, "tight.sock"))
        conns.append(s)
    time.sleep(0.2)
    c0 = cpu()
    time.sleep(0.5)
    assert cpu() - c0 < 20, "the daemon spins when out of descriptors"
    for s in conns:
        s.close()
    time.sleep(0.1)
    assert healthy("tight")["clients"] == 1
    subprocess.run([NETSIM, "daemon", "stop", "tight"], check=True, stdout=subprocess.DEVNULL)


@test
def peer_uid_is_checked():
    if os.geteuid() != 0:
        print("     (skipped: needs root to connect as another user)")
        return
    # Open the way that the directory and socket modes normally bar, to reach the check.
    sock = os.path.join(RUN, NAME + ".sock")
    dirs, d = [], RUN
    while d != "/":
        st = os.stat(d)
        if st.st_mode & 0o001 == 0:
            dirs.append((d, st.st_mode & 0o7777))
            os.chmod(d, (st.st_mode & 0o7777) | 0o011)
        d = os.path.dirname(d)
    os.chmod(sock, 0o666)
    try:
        code = ("import socket,sys\n"
                "s=socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1])\n"
                "try:\n"
                "    s.sendall(b'{\"v\":1,\"op\":\"status\"}\\n'); d = s.recv(4096)\n"
                "except (ConnectionResetError, BrokenPipeError):\n"
                "    d = b''\n"
                "sys.exit(0 if d == b'' else 1)\n")
        # A system python: the one running this may live where uid 65534 cannot reach.
        py = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
        p = subprocess.run([py, "-c", code, sock], user=65534, group=65534,
                           capture_output=True)
        assert p.returncode == 0, ("another uid got an answer", p.stdout, p.stderr)
    finally:
        for d, mode in dirs:
            os.chmod(d, mode)
        os.chmod(sock, 0o600)
    assert "refused a connection from uid 65534" in read_log()
    healthy()


@test
def documented_python_example():
    doc = open(os.path.join(TOP, "docs/daemon-protocol.md")).read()
    m = re.search(r"```python\n(# example: a netsim daemon client\n.*?)```", doc, re.S)
    assert m, "no example in docs/daemon-protocol.md"
    p = subprocess.run([sys.executable, "-c", m.group(1), NAME], capture_output=True,
                       text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    assert "192.168.2.0/24 static" in p.stdout and "converged: True" in p.stdout, p.stdout


@test
def stop_op():
    start("victim", os.path.join(TOP, "topologies/vlan-switching.yaml"))
    pid = int(open(os.path.join(RUN, "victim.pid")).read())
    c = Conn("victim")
    other = Conn("victim")
    r = c.call("stop")
    assert r["ok"], r
    assert c.eof() and other.eof()
    assert not os.path.exists(os.path.join(RUN, "victim.sock"))
    assert not os.path.exists(os.path.join(RUN, "victim.pid"))
    for _ in range(500):
        try:
            with open("/proc/%d/stat" % pid) as f:
                if f.read().split(") ")[1][0] == "Z":
                    break
        except FileNotFoundError:
            break
        time.sleep(0.01)
    else:
        raise AssertionError("the daemon did not exit")


healthy()
if failures:
    print("protocol: %d failed: %s" % (len(failures), " ".join(failures)))
    sys.exit(1)
print("protocol: all passed")
