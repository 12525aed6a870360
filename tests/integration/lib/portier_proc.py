"""Start and drive a real `portier serve` for integration tests (standard library only)."""
import base64
import http.client
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time

PORTIER_BIN = os.environ.get("PORTIER_BIN", "build/src/app/portier")


def free_port():
    """A loopback port that is free for both TCP and UDP right now (SIP peers bind both)."""
    for _ in range(100):
        with socket.socket() as t, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            t.bind(("127.0.0.1", 0))
            port = t.getsockname()[1]
            try:
                u.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")



def _bindable(port):
    """True when `port` is free for both TCP and UDP on loopback right now."""
    for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
        with socket.socket(socket.AF_INET, kind) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def free_port_pair():
    """A port P with P and P+1 free for TCP and UDP: baresip binds its TLS listener on sip_listen's port + 1. (Linux
    hands out odd ports for bind(0) and even ones for connect(), so P+1 is often some test's outgoing connection.)"""
    for _ in range(200):
        port = free_port()
        if port < 65535 and _bindable(port + 1):
            return port
    raise RuntimeError("no free port pair")

def udp_ports_held(pid, lo=0, hi=65535):
    """The local UDP ports in [lo, hi] that process `pid` has sockets on (from /proc), so a test can check that
    Portier released its RTP ports without probing ports that other tests running in parallel may hold."""
    inodes = set()
    fd_dir = f"/proc/{pid}/fd"
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in (f"/proc/{pid}/net/udp", f"/proc/{pid}/net/udp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    cols = line.split()
                    if cols[9] in inodes:
                        port = int(cols[1].rsplit(":", 1)[1], 16)
                        if lo <= port <= hi:
                            ports.add(port)
        except OSError:
            pass
    return sorted(ports)


class Portier:
    """A portier process with its own temp data dir. Use as a context manager."""

    def __init__(self, extra_yaml="", keep_dir=None):
        self.dir = keep_dir or tempfile.mkdtemp(prefix="portier-it-")
        self.port = free_port()
        self.config = os.path.join(self.dir, "portier.yaml")
        with open(self.config, "w") as f:
            f.write(f"data_dir: data\nhttp:\n  listen: \"127.0.0.1:{self.port}\"\n")
            f.write("auth:\n  argon2_opslimit: 1\n  argon2_memlimit_kib: 8192\n")
            if "sip:" not in extra_yaml:
                f.write("sip:\n  listen: []\n")  # tests run in parallel: no fixed SIP port
            f.write(extra_yaml)
        self.proc = None
        self.log_path = os.path.join(self.dir, "portier.log")

    def start(self):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([PORTIER_BIN, "serve", "--config", self.config], stdout=self.log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"portier exited with {self.proc.returncode}: {self.read_log()}")
            try:
                status, _, _ = self.request("GET", "/health")
                if status == 200:
                    return self
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("portier did not become healthy: " + self.read_log())

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.log.close()

    def read_log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()

    # --- HTTP -------------------------------------------------------------------------------------------------
    def request(self, method, path, body=None, headers=None, raw_body=None, timeout=10):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = dict(headers or {})
        data = raw_body
        if body is not None:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=data, headers=h)
        resp = conn.getresponse()
        payload = resp.read()
        conn.close()
        return resp.status, dict(resp.getheaders()), payload

    def json(self, method, path, body=None, headers=None, **kw):
        status, hdrs, payload = self.request(method, path, body, headers, **kw)
        try:
            doc = json.loads(payload) if payload else None
        except ValueError:
            doc = {"_raw": payload.decode(errors="replace")}
        return status, hdrs, doc

    # --- CLI --------------------------------------------------------------------------------------------------
    def cli(self, *args, stdin=None):
        return subprocess.run([PORTIER_BIN, *args, "--config", self.config], input=stdin, capture_output=True,
                              text=True, timeout=30)


class Browser:
    """A cookie-keeping client that sends the CSRF token like the web UI does."""

    def __init__(self, portier):
        self.p = portier
        self.cookie = None
        self.csrf = None

    def call(self, method, path, body=None, csrf=True, headers=None):
        h = dict(headers or {})
        if self.cookie:
            h["Cookie"] = self.cookie
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf
        status, hdrs, doc = self.p.json(method, path, body, h)
        set_cookie = hdrs.get("Set-Cookie")
        if set_cookie:
            self.last_set_cookie = set_cookie
            value = set_cookie.split(";", 1)[0]
            self.cookie = None if value.endswith("=") else value
        if isinstance(doc, dict) and doc.get("csrf_token"):
            self.csrf = doc["csrf_token"]
        return status, hdrs, doc

    def login(self, username, password):
        return self.call("POST", "/api/auth/login", {"username": username, "password": password})


class _WsSocket:
    def __init__(self, sock):
        self.sock = sock
        self._pending = b""

    def __getattr__(self, name):
        return getattr(self.sock, name)


def websocket_connect(port, path, headers=None, timeout=5):
    """Minimal RFC 6455 client: returns (status_line, socket). Enough to read text frames in tests."""
    s = _WsSocket(socket.create_connection(("127.0.0.1", port), timeout=timeout))
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Upgrade: websocket", "Connection: Upgrade",
             f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(4096)
        if not chunk:
            break
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    s._pending = rest
    return head.decode(errors="replace").split("\r\n")[0], s


def websocket_read_text(s):
    def need(n):
        while len(s._pending) < n:
            chunk = s.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            s._pending += chunk
        out, s._pending = s._pending[:n], s._pending[n:]
        return out

    b0, b1 = need(2)
    length = b1 & 0x7F
    if length == 126:
        length = struct.unpack("!H", need(2))[0]
    elif length == 127:
        length = struct.unpack("!Q", need(8))[0]
    payload = need(length)
    if b0 & 0x0F == 0x8:
        raise ConnectionError("close frame")
    return payload.decode()
