#!/usr/bin/env python3
"""Calls through Portier: sipp (as a resident extension, digest-authenticated) calls a ring group whose one member
is another sipp that answers; the caller plays G.711 RTP (sipp's g711a.pcap, ~4.7 s) for the call's length and
hangs up; Portier relays the media and BYEs the member. Reports successful/failed calls, the mean INVITE -> 200
time (sipp's ResponseTime1, including the 407 round trip) and the CPU seconds Portier used.
Usage: run.py PORTIER_BIN [--calls 200] [--rate 10] [--hold 2000]
(The kamailio + rtpengine comparison of issue #7 is not done.)"""
import argparse
import csv
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SIPP = os.path.join(HERE, "..", "..", "tests", "interop", "sipp")
PCAP = "/usr/share/sip-tester/g711a.pcap"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def template(work, name, **values):
    with open(os.path.join(SIPP, name)) as f:
        text = f.read()
    values.setdefault("MEDIA_PORT", "[auto_media_port]")
    values.setdefault("PLAY", f'  <nop><action><exec play_pcap_audio="{PCAP}"/></action></nop>')
    for k, v in values.items():
        text = text.replace("@" + k + "@", str(v))
    path = os.path.join(work, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("portier")
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--rate", type=float, default=10)
    ap.add_argument("--hold", type=int, default=2000, help="ms of RTP per call before the caller's BYE")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="portier-bench-calls-")
    http_port, sip_port = free_port(), free_port()
    config = os.path.join(work, "portier.yaml")
    with open(config, "w") as f:
        f.write(f"data_dir: data\nhttp:\n  listen: \"127.0.0.1:{http_port}\"\n"
                f"auth:\n  argon2_opslimit: 1\n  argon2_memlimit_kib: 8192\nlogging:\n  level: warn\n"
                f"sip:\n  listen: [\"udp:127.0.0.1:{sip_port}\"]\n"
                f"rtp:\n  bind_address: 127.0.0.1\n  port_min: 30000\n  port_max: 39999\n"
                f"ring_groups:\n  - id: \"7100\"\n    members: [\"7002\"]\n    ring_timeout: 10\n")
    cli = lambda *a, **kw: subprocess.run([args.portier, *a, "--config", config], capture_output=True, text=True,
                                          **kw)
    for ext in ("7002", "7003"):
        r = cli("extension", "add", ext, "--password-stdin", input=f"secret-{ext}\n")
        if r.returncode != 0:
            sys.exit(r.stderr)
    proc = subprocess.Popen([args.portier, "serve", "--config", config], stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(work, "portier.log"), "w"))
    uas = None
    try:
        time.sleep(0.5)
        member_port = free_port()
        r = subprocess.run(["sipp", "-sf", os.path.join(SIPP, "register_digest.xml"), "-i", "127.0.0.1", "-p",
                            str(member_port), "-s", "7002", "-au", "7002", "-ap", "secret-7002", "-m", "1",
                            "-nostdin", "-timeout", "10s", "-timeout_error", f"127.0.0.1:{sip_port}"],
                           cwd=work, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("register failed: " + r.stdout[-1500:])
        uas = subprocess.Popen(["sipp", "-sf", template(work, "calls_member_answer.xml", ANSWER_MS=0,
                                                         BYE_TIMEOUT=60000, OFFER_RE="m=audio [0-9]+ RTP/AVP 8 101"),
                                "-i", "127.0.0.1", "-p", str(member_port), "-m", str(args.calls), "-nostdin",
                                "-mp", str(free_port()), "-rtp_echo"], cwd=work, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        cpu0, t0 = cpu_seconds(proc.pid), time.monotonic()
        uac = subprocess.run(["sipp", "-sf", template(work, "calls_door_uac_bye.xml", DIAL="7100",
                                                      HOLD_MS=args.hold),
                              "-i", "127.0.0.1", "-p", str(free_port()), "-s", "7003", "-au", "7003", "-ap",
                              "secret-7003", "-m", str(args.calls), "-r", str(args.rate), "-l", "1000", "-nostdin",
                              "-mp", str(free_port()), "-trace_stat", "-fd", "1",
                              "-timeout", str(int(args.calls / args.rate + 60)) + "s",
                              f"127.0.0.1:{sip_port}"], cwd=work, capture_output=True, text=True)
        wall, cpu = time.monotonic() - t0, cpu_seconds(proc.pid) - cpu0
        stats = sorted(glob.glob(os.path.join(work, "calls_door_uac_bye_*_.csv")))
        row = None
        if stats:
            with open(stats[-1]) as f:
                rows = list(csv.DictReader(f, delimiter=";"))
                row = rows[-1] if rows else None
        ok = int(row["SuccessfulCall(C)"]) if row else -1
        failed = int(row["FailedCall(C)"]) if row else -1
        rtt = row.get("ResponseTime1(C)", "?") if row else "?"
        print(f"calls through Portier: {ok} ok, {failed} failed of {args.calls} at {args.rate}/s, "
              f"{args.hold} ms RTP each; mean INVITE->200 (incl. 407) {rtt}; Portier CPU {cpu:.2f} s in {wall:.1f} s "
              f"({100 * cpu / wall:.1f} % of a core)")
        if uac.returncode != 0:
            print("sipp UAC exit", uac.returncode)
    finally:
        if uas and uas.poll() is None:
            uas.kill()
            uas.wait()
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
