#!/usr/bin/env python3
"""Ring fan-out: a call-button press (simulated line, demo mode) -> the door station is called (it answers at once)
-> an INVITE reaches each of N registered phones. Measures, per press, the time from the HTTP POST that drives the
button line to each phone's INVITE; prints p50/p99/max over all presses. The phones and the station are one Python
process (one UDP socket each, digest REGISTER, 486 to every INVITE so each call ends at once); Portier runs as
`portier serve` with a temp config. Usage: run.py PORTIER_BIN [--phones 100] [--presses 30]"""
import argparse
import hashlib
import http.client
import json
import os
import re
import selectors
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import uuid


SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def parse(data):
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode(errors="replace").split("\r\n")
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    return lines[0], headers, body


def header(headers, name):
    for n, v in headers:
        if n.lower() == name.lower():
            return v
    return None


def response(first, headers, status, reason, tag, body=b"", contact=None):
    out = [f"SIP/2.0 {status} {reason}"]
    for n, v in headers:
        ln = n.lower()
        if ln in ("via", "v", "from", "f", "call-id", "i", "cseq"):
            out.append(f"{n}: {v}")
        elif ln in ("to", "t"):
            out.append(f"{n}: {v}" if "tag=" in v else f"{n}: {v};tag={tag}")
    if contact:
        out.append(f"Contact: <{contact}>")
    if body:
        out.append("Content-Type: application/sdp")
    out.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(out) + "\r\n\r\n").encode() + body


class Phone:
    def __init__(self, ext, password, server, answer):
        self.ext, self.password, self.server, self.answer = ext, password, server, answer
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.setblocking(False)
        # Kernel receive timestamps: the arrival time does not include this single-threaded client's own delays.
        self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        self.port = self.sock.getsockname()[1]
        self.invites = []  # monotonic ns of each new INVITE
        self.registered = False
        self.call_id = uuid.uuid4().hex
        self.cseq = 1
        self.seen = set()

    def register(self, auth=None):
        lines = [f"REGISTER sip:127.0.0.1:{self.server} SIP/2.0",
                 f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch=z9hG4bK{uuid.uuid4().hex};rport",
                 f"From: <sip:{self.ext}@127.0.0.1>;tag={self.ext}r", f"To: <sip:{self.ext}@127.0.0.1>",
                 f"Call-ID: {self.call_id}", f"CSeq: {self.cseq} REGISTER",
                 f"Contact: <sip:{self.ext}@127.0.0.1:{self.port}>", "Expires: 3600", "Max-Forwards: 70"]
        if auth:
            lines.append(auth)
        lines.append("Content-Length: 0")
        self.cseq += 1
        self.sock.sendto(("\r\n".join(lines) + "\r\n\r\n").encode(), ("127.0.0.1", self.server))

    def on_datagram(self, data, addr, arrived_ns):
        first, headers, body = parse(data)
        if first.startswith("SIP/2.0 401"):
            ch = header(headers, "WWW-Authenticate")
            params = dict(re.findall(r'(\w+)="?([^",]*)"?', ch))
            uri = f"sip:127.0.0.1:{self.server}"
            ha1 = md5(f"{self.ext}:{params['realm']}:{self.password}")
            ha2 = md5(f"REGISTER:{uri}")
            auth = f'Authorization: Digest username="{self.ext}", realm="{params["realm"]}", nonce="{params["nonce"]}", uri="{uri}", algorithm=MD5'
            if "qop" in params:
                cnonce = uuid.uuid4().hex[:8]
                auth += f', qop=auth, nc=00000001, cnonce="{cnonce}"'
                resp = md5(f"{ha1}:{params['nonce']}:00000001:{cnonce}:auth:{ha2}")
            else:
                resp = md5(f"{ha1}:{params['nonce']}:{ha2}")
            auth += f', response="{resp}"'
            if "opaque" in params:
                auth += f', opaque="{params["opaque"]}"'
            self.register(auth)
            return
        if first.startswith("SIP/2.0 200") and "REGISTER" in (header(headers, "CSeq") or ""):
            self.registered = True
            return
        if first.startswith("SIP/2.0"):
            return
        method = first.split(" ", 1)[0]
        key = (header(headers, "Call-ID"), header(headers, "CSeq"))
        if method == "INVITE":
            if key not in self.seen:
                self.seen.add(key)
                self.invites.append(arrived_ns)
            if self.answer:
                sdp = (f"v=0\r\no=p 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                       f"m=audio {self.port + 1000} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n").encode()
                self.sock.sendto(response(first, headers, 200, "OK", "st", sdp,
                                          f"sip:{self.ext}@127.0.0.1:{self.port}"), addr)
            else:
                self.sock.sendto(response(first, headers, 486, "Busy Here", "busy"), addr)
        elif method in ("BYE", "CANCEL", "OPTIONS", "INFO"):
            self.sock.sendto(response(first, headers, 200, "OK", "x"), addr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("portier")
    ap.add_argument("--phones", type=int, default=100)
    ap.add_argument("--presses", type=int, default=30)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="portier-fanout-")
    http_port, sip_port = free_port(), free_port()
    members = [str(8000 + i) for i in range(args.phones)]
    config = os.path.join(work, "portier.yaml")
    with open(config, "w") as f:
        f.write(f"data_dir: data\ndemo: true\nhttp:\n  listen: \"127.0.0.1:{http_port}\"\n"
                f"auth:\n  argon2_opslimit: 1\n  argon2_memlimit_kib: 8192\n"
                f"logging:\n  level: warn\n"
                f"sip:\n  listen: [\"udp:127.0.0.1:{sip_port}\"]\n"
                f"ring_groups:\n  - id: \"7000\"\n    members: {json.dumps(members)}\n    ring_timeout: 5\n"
                f"doors:\n  - id: front\n    station: \"7001\"\n    ring_group: \"7000\"\n    page_throttle: 0\n"
                f"    bouncetime: 0\n")
    run = lambda *a, **kw: subprocess.run([args.portier, *a, "--config", config], capture_output=True, text=True,
                                          **kw)
    run("user", "add", "admin", "--role", "admin", "--password-stdin", input="admin password 1")
    for ext in ["7001"] + members:
        r = run("extension", "add", ext, "--role", "door" if ext == "7001" else "resident", "--password-stdin",
                input=f"secret-{ext}\n")
        if r.returncode != 0:
            sys.exit("extension add failed: " + r.stderr)
    proc = subprocess.Popen([args.portier, "serve", "--config", config], stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(work, "log"), "w"))
    try:
        token = None
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", http_port, timeout=2)
                c.request("GET", "/health")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.05)
        token = run("token", "create", "--user", "admin").stdout.strip()
        headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
        station = Phone("7001", "secret-7001", sip_port, answer=True)
        phones = [Phone(ext, f"secret-{ext}", sip_port, answer=False) for ext in members]
        sel = selectors.DefaultSelector()
        for p in [station] + phones:
            sel.register(p.sock, selectors.EVENT_READ, p)
            p.register()

        def pump(seconds):
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                for k, _ in sel.select(timeout=0.01):
                    try:
                        data, anc, _, addr = k.fileobj.recvmsg(65536, 1024)
                    except BlockingIOError:
                        continue
                    arrived = time.time_ns()
                    for level, kind, value in anc:
                        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                            sec, nsec = struct.unpack("qq", value[:16])
                            arrived = sec * 1_000_000_000 + nsec
                    k.data.on_datagram(data, addr, arrived)

        while not all(p.registered for p in [station] + phones):
            pump(0.1)
            if time.monotonic() > deadline + 30:
                sys.exit("phones did not register")
        conn = http.client.HTTPConnection("127.0.0.1", http_port, timeout=5)
        samples, station_samples = [], []
        for press in range(args.presses):
            before = [len(p.invites) for p in phones]
            station_before = len(station.invites)
            t0 = time.time_ns()
            for value in (1, 0):
                conn.request("POST", "/api/sim/lines/front.button", json.dumps({"value": value}), headers)
                conn.getresponse().read()
            deadline_press = time.monotonic() + 5
            while time.monotonic() < deadline_press and any(len(p.invites) == b for p, b in zip(phones, before)):
                pump(0.005)
            got = [p.invites[b] - t0 for p, b in zip(phones, before) if len(p.invites) > b]
            if len(got) < len(phones):
                print(f"press {press}: only {len(got)} of {len(phones)} phones got an INVITE")
            samples.extend(got)
            if len(station.invites) > station_before:
                station_samples.append(station.invites[station_before] - t0)
            # Let the call end (every phone said 486) before the next press.
            while True:
                pump(0.05)
                conn.request("GET", "/api/calls", headers=headers)
                if not json.loads(conn.getresponse().read())["calls"]:
                    break
        samples.sort()
        ms = lambda ns: ns / 1e6
        p = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]
        print(f"ring fan-out: {args.presses} presses x {len(phones)} phones = {len(samples)} INVITEs; "
              f"press -> INVITE p50 {ms(p(0.5)):.2f} ms, p99 {ms(p(0.99)):.2f} ms, max {ms(samples[-1]):.2f} ms "
              f"(target p99 < 10 ms); of which press -> the station's INVITE p50 "
              f"{ms(sorted(station_samples)[len(station_samples) // 2]):.2f} ms")
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
