"""Helpers shared by the interop drivers: free ports, waiting for a server's READY line, stopping by PID, running
baresip and reporting a driver's verdict."""
import os
import shutil
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


def run_baresip(baresip, work, write_config, extra_args, seconds):
    """Runs baresip with the config dir `work` for `seconds` and returns its output. baresip also binds neighbouring
    ports (TLS, RTP) that free_port() did not check and a parallel test may hold one: when baresip says so, it is run
    again with a fresh config (`write_config(local_port)`), up to three times."""
    out = ""
    for attempt in range(3):
        write_config(free_port_pair())
        client = subprocess.Popen([baresip, "-f", work, *extra_args, "-t", str(seconds)], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=work)
        try:
            out, _ = client.communicate(timeout=seconds + 15)
        except subprocess.TimeoutExpired:
            client.kill()
            out, _ = client.communicate()
        if "Address already in use" not in out:
            break
        print(f"baresip could not bind its local ports (attempt {attempt + 1}); retrying")
    return out


def report(client_out, server_text, failures, work):
    """Prints both outputs and the failures; returns the driver's exit status (the work dir is kept on failure)."""
    print("--- baresip output\n" + client_out[-3000:])
    print("--- server output\n" + server_text[-3000:])
    for f in failures:
        print("FAIL: " + f)
    if failures:
        print(f"(kept {work})")
        return 1
    shutil.rmtree(work, ignore_errors=True)
    print("PASS")
    return 0
