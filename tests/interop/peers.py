"""Helpers shared by the interop drivers: free ports, waiting for a server's READY line, stopping by PID."""
import signal
import socket
import subprocess
import time


def free_port():
    # A port free for both UDP and TCP.
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
            t.bind(("127.0.0.1", 0))
            port = t.getsockname()[1]
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
                    u.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port")


def wait_ready(proc, out_path, deadline):
    while time.time() < deadline:
        if proc.poll() is not None:
            return False
        with open(out_path) as f:
            if "READY" in f.read():
                return True
        time.sleep(0.05)
    return False


def stop(proc, timeout=5):
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
