#!/usr/bin/env python3
"""baresip calls sip_call_server, which auto-answers, and hangs up.

baresip's account authenticates its INVITE (407, Proxy-Authorization) with the extension's password and does not
register (regint=0). It dials at start-up (-e "/dial ..."), the server rings and answers with a canned SDP, and
baresip hangs up with BYE when its audio source, a generated 2 s silent 8 kHz WAV file (aufile), ends (and
quits after --seconds, -t). Checks that the server saw the authenticated call, its ACK and the BYE, and that baresip saw it
established. Exit 77 (ctest SKIP) when baresip is not installed.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import wave

from peers import free_port, report, run_baresip, stop, wait_ready

CONFIG = """poll_method\t\tepoll
sip_listen\t\t127.0.0.1:{listen}
module_path\t\t/usr/lib/baresip/modules
module\t\t\tg711.so
module\t\t\taufile.so
module_app\t\taccount.so
module_app\t\tmenu.so
audio_player\t\taufile,{player}
audio_source\t\taufile,{source}
audio_alert\t\taufile,{player}
rtp_timeout\t\t0
"""


def write_silence(path, seconds=2):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * 8000 * seconds)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--seconds", type=int, default=5)
    args = ap.parse_args()
    baresip = shutil.which("baresip")
    if not baresip or not os.path.isdir("/usr/lib/baresip/modules"):
        print("SKIP: baresip not installed (Debian package baresip)")
        return 77

    work = tempfile.mkdtemp(prefix="portier-baresip-call-")
    port = free_port()
    source = os.path.join(work, "silence.wav")
    write_silence(source)
    server_cmd = [args.server, "--listen", f"udp:127.0.0.1:{port}", "--ext", "101:pw-101", "--answer-after", "300",
                  "--algorithms", "MD5"]
    with open(os.path.join(work, "accounts"), "w") as f:
        f.write(f"<sip:101@127.0.0.1:{port};transport=udp>;auth_pass=pw-101;regint=0\n")

    server_out = os.path.join(work, "server.out")
    with open(server_out, "w") as out:
        server = subprocess.Popen(server_cmd, stdout=out, stderr=subprocess.STDOUT, cwd=work)
    client_out = ""
    try:
        if not wait_ready(server, server_out, time.time() + 10):
            print("server did not start:\n" + open(server_out).read())
            return 1

        def write_config(listen):
            with open(os.path.join(work, "config"), "w") as f:
                f.write(CONFIG.format(listen=listen, player=os.path.join(work, "played.wav"), source=source))

        client_out = run_baresip(baresip, work, write_config, ["-e", f"/dial sip:door@127.0.0.1:{port}"],
                                 args.seconds)
        time.sleep(0.5)  # let the BYE arrive
        alive = server.poll() is None
    finally:
        stop(server)
    text = open(server_out).read()
    failures = []
    if not alive:
        failures.append("the server died")
    for pattern in [r"CALL from=101 to=sip:door@", r"CONFIRMED \d+", r"ENDED \d+ remote_bye"]:
        if not re.search(pattern, text):
            failures.append(f"server output lacks /{pattern}/")
    if not re.search(r"(?i)call established|established", client_out):
        failures.append("baresip never reported the call established")
    client_out = "\n".join(l for l in client_out.splitlines() if "audio=" not in l and l.strip())
    return report(client_out, text, failures, work)


if __name__ == "__main__":
    sys.exit(main())
