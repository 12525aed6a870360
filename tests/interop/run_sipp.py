#!/usr/bin/env python3
"""Runs one sipp scenario against sip_registrar_server on free loopback ports.

Starts the server (UDP and TCP on the same free port), waits for its READY line, runs sipp with -nostdin, -m and
-timeout, stops the server with SIGTERM and checks: sipp exit code 0, server still alive until we stopped it, and
optional regular expressions that must (--expect) or must not (--reject) appear in the server's output.
"{sipp_port}" in a --server-arg becomes sipp's port, so that a server can call a sipp UAS scenario.
Everything is killed by PID. Exit 77 (ctest SKIP) when sipp is not installed.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from peers import free_port, stop, wait_ready


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--transport", default="u1", help="sipp -t value: u1 (UDP) or t1 (TCP)")
    ap.add_argument("--service", default="101", help="sipp -s: the extension in the Request/To URI")
    ap.add_argument("--password", default="s3cret-101")
    ap.add_argument("--calls", type=int, default=1)
    ap.add_argument("--timeout", type=int, default=30)
    ap.add_argument("--server-arg", action="append", default=[])
    ap.add_argument("--sipp-arg", action="append", default=[])
    ap.add_argument("--expect", action="append", default=[], help="regex the server output must contain")
    ap.add_argument("--reject", action="append", default=[], help="regex the server output must not contain")
    args = ap.parse_args()

    sipp = shutil.which("sipp")
    if not sipp:
        print("SKIP: sipp not installed (Debian package sip-tester)")
        return 77

    work = tempfile.mkdtemp(prefix="portier-sipp-")
    port, sipp_port = free_port(), free_port()
    out_path = os.path.join(work, "server.out")
    server_cmd = [args.server, "--listen", f"udp:127.0.0.1:{port}", "--listen", f"tcp:127.0.0.1:{port}",
                  "--ext", f"{args.service}:{args.password}", "--ext", "102:other-secret"]
    server_cmd += [a.replace("{sipp_port}", str(sipp_port)) for a in args.server_arg]
    with open(out_path, "w") as out:
        server = subprocess.Popen(server_cmd, stdout=out, stderr=subprocess.STDOUT, cwd=work)
    sipp_rc = None
    try:
        if not wait_ready(server, out_path, time.time() + 10):
            print("server did not start:\n" + open(out_path).read())
            return 1
        sipp_cmd = [sipp, "-sf", args.scenario, "-i", "127.0.0.1", "-p", str(sipp_port), "-t", args.transport,
                    "-s", args.service, "-au", args.service, "-ap", args.password,
                    "-m", str(args.calls), "-nostdin", "-timeout", f"{args.timeout}s", "-timeout_error",
                    "-trace_err", "-trace_msg", "-max_socket", "64"] + args.sipp_arg + [f"127.0.0.1:{port}"]
        print("+", " ".join(sipp_cmd))
        sipp_proc = subprocess.Popen(sipp_cmd, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            sipp_out, _ = sipp_proc.communicate(timeout=args.timeout + 15)
        except subprocess.TimeoutExpired:
            sipp_proc.kill()
            sipp_out, _ = sipp_proc.communicate()
        sipp_rc = sipp_proc.returncode
        alive = server.poll() is None
    finally:
        stop(server)
    server_out = open(out_path).read()
    ok = True
    if sipp_rc != 0:
        print(f"FAIL: sipp exited with {sipp_rc}")
        print(sipp_out[-3000:])
        for name in sorted(os.listdir(work)):
            if name.endswith(("_errors.log", "_messages.log")):
                print(f"--- {name}\n" + open(os.path.join(work, name), errors="replace").read()[-6000:])
        ok = False
    if not alive:
        print("FAIL: the server died during the scenario")
        ok = False
    for pattern in args.expect:
        if not re.search(pattern, server_out, re.M):
            print(f"FAIL: server output lacks /{pattern}/")
            ok = False
    for pattern in args.reject:
        if re.search(pattern, server_out, re.M):
            print(f"FAIL: server output has /{pattern}/")
            ok = False
    print("--- server output\n" + server_out[-4000:])
    if ok:
        shutil.rmtree(work, ignore_errors=True)
        print("PASS")
    else:
        print(f"(kept {work})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
