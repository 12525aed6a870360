"""Helpers shared by the interop drivers: free ports, waiting for a server's READY line, stopping by PID, running
baresip and reporting a driver's verdict."""
import os
import shutil
import signal
import subprocess
import sys
import time


# One implementation of the port pickers for every Python test: the integration tests' library.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration", "lib"))
from portier_proc import free_port, free_port_pair  # noqa: E402,F401  (re-exported for the drivers)


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
