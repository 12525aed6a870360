#!/usr/bin/env python3
"""baresip registers to sip_registrar_server over UDP, TCP or TLS and stays registered across refreshes.

Writes a headless baresip config dir (no audio devices, account with a short registration interval), starts the
server with a 10 s maximum expiry so that refreshes happen within the test, lets baresip run for --seconds and
quit by itself (-t), then checks both outputs. For TLS a throw-away self-signed certificate is made with openssl.
Exit 77 (ctest SKIP) when baresip is not installed.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from peers import free_port, report, run_baresip, stop, wait_ready

CONFIG = """poll_method\t\tepoll
sip_listen\t\t127.0.0.1:{listen}
sip_cafile\t\t{cafile}
module_path\t\t/usr/lib/baresip/modules
module\t\t\tg711.so
module_app\t\taccount.so
module_app\t\tmenu.so
audio_player\t\taufile,/dev/null
audio_source\t\taufile,/dev/null
"""


def make_certificate(work):
    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cert, key


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--transport", default="udp", choices=["udp", "tcp", "tls"])
    ap.add_argument("--seconds", type=int, default=14)
    args = ap.parse_args()
    baresip = shutil.which("baresip")
    if not baresip or not os.path.isdir("/usr/lib/baresip/modules"):
        print("SKIP: baresip not installed (Debian package baresip)")
        return 77

    work = tempfile.mkdtemp(prefix="portier-baresip-")
    port = free_port()
    listen = f"{args.transport}:127.0.0.1:{port}"
    server_cmd = [args.server, "--listen", listen, "--ext", "101:pw-101", "--min-expires", "5",
                  "--max-expires", "10", "--algorithms", "MD5"]
    cafile = ""
    if args.transport == "tls":
        cert, key = make_certificate(work)
        server_cmd += ["--tls-cert", cert, "--tls-key", key]
        cafile = cert
    with open(os.path.join(work, "accounts"), "w") as f:
        f.write(f"<sip:101@127.0.0.1:{port};transport={args.transport}>;auth_pass=pw-101;regint=10\n")

    server_out = os.path.join(work, "server.out")
    with open(server_out, "w") as out:
        server = subprocess.Popen(server_cmd, stdout=out, stderr=subprocess.STDOUT, cwd=work)
    try:
        if not wait_ready(server, server_out, time.time() + 10):
            print("server did not start:\n" + open(server_out).read())
            return 1

        def write_config(listen):
            with open(os.path.join(work, "config"), "w") as f:
                f.write(CONFIG.format(listen=listen, cafile=cafile))

        client_out = run_baresip(baresip, work, write_config, [], args.seconds)
        alive = server.poll() is None
    finally:
        stop(server)
    text = open(server_out).read()
    failures = []
    if not alive:
        failures.append("the server died")
    if not re.search(r"200 OK \(Portier\)", client_out):
        failures.append("baresip never got 200 OK")
    if re.search(r"reg: .*(failed|Function not implemented|401|403)", client_out):
        failures.append("baresip reported a registration failure")
    for pattern in [rf"REGISTERED 101 .* {args.transport}:127\.0\.0\.1:", r"REFRESHED 101"]:
        if not re.search(pattern, text):
            failures.append(f"server output lacks /{pattern}/")
    if re.search(r"EXPIRED", text):
        failures.append("a binding expired although baresip kept refreshing")
    return report(client_out, text, failures, work)


if __name__ == "__main__":
    sys.exit(main())
