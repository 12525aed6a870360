"""Starts Janus for bench/webrtc with the config in this folder (ports filled in), waits for its REST API, and
stops it. Used by bench/webrtc/run.py: `janus_peer.start(work_dir)` -> object with .pid, .http_port, .stop()."""
import os
import socket
import subprocess
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def _free_tcp_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Janus:
    def __init__(self, work, ice_ip):
        self.work = work
        self.http_port = _free_tcp_port()
        values = {"@WORK@": work, "@HTTP_PORT@": str(self.http_port), "@JANUS_RTP@": "40000-49999",
                  "@SIP_RTP@": "50000-59999",
                  "@DEBUG@": os.environ.get("JANUS_DEBUG", "3"), "@ICE_IP@": ice_ip}
        for name in ("janus.jcfg", "janus.plugin.sip.jcfg", "janus.transport.http.jcfg"):
            with open(os.path.join(HERE, name)) as f:
                text = f.read()
            for k, v in values.items():
                text = text.replace(k, v)
            with open(os.path.join(work, name), "w") as f:
                f.write(text)
        self.log = open(os.path.join(work, "janus.log"), "w")
        self.proc = subprocess.Popen(["janus", "-C", os.path.join(work, "janus.jcfg"), "-F", work],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.pid = self.proc.pid
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}/janus/info", timeout=1).read()
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"janus exited: see {work}/janus.log")
                time.sleep(0.2)
        raise RuntimeError(f"janus did not answer on {self.http_port}: see {work}/janus.log")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def start(work, ice_ip):
    """ice_ip: the one address Janus gathers ICE candidates on (a non-loopback one: libnice skips loopback)."""
    return Janus(work, ice_ip)
