#!/usr/bin/env python3
"""bench/webrtc: concurrent WebRTC (ICE + DTLS-SRTP) calls bridged to SIP, Portier vs Janus.

Portier: `portier serve` with features.webrtc on; one sipp UAS registers extensions 7100.. (one per call: an
extension in a call is busy) and answers every call with PCMU, echoing RTP (-rtp_echo on its one media port). The
load client (webrtc_load) opens N browser sessions through the REST API (session, offer, call 7100+i, with user
i's API token: 8 sessions per user at most), sends 50 RTP packets/s per call and counts the echoes. Steps of N run one after the other on the same server; the run stops at the first step with >= 1 % loss,
failed calls or a saturated server. Janus (bench/peers/janus) is driven the same way through its SIP plugin, which
calls the same sipp UAS directly (Janus is a gateway, not a registrar).
Usage: run.py --portier BIN --load BIN [--steps 10,25,50,...] [--hold 15] [--rate 20] [--no-janus]"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
REGISTER = os.path.join(ROOT, "bench", "sip_memory", "register_many.xml")  # field0 = extension, field1 = auth
EXT_BASE = 7100
SECRET = "secret-bench"


def free_port(kind=socket.SOCK_DGRAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_uas(work, sip_port, media_port):
    """sipp UAS on sip_port answering with PCMU on media_port, echoing RTP."""
    return subprocess.Popen(["sipp", "-sf", os.path.join(HERE, "uas_echo.xml"), "-i", "127.0.0.1", "-p",
                             str(sip_port), "-mp", str(media_port), "-rtp_echo", "-nostdin", "-l", "100000",
                             "-trace_err"], cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run_steps(args, label, load_argv, cpu_pids):
    """Runs the load client for every N in args.steps; returns the rows (dicts)."""
    rows = []
    for n in args.steps:
        cmd = [args.load] + load_argv + ["--calls", str(n), "--hold", str(args.hold), "--rate", str(args.rate)]
        for pid in cpu_pids:
            cmd += ["--cpu-pid", str(pid)]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=n / args.rate + args.hold + 120)
        line = next((l for l in r.stdout.splitlines() if l.startswith("RESULT ")), None)
        if not line:
            print(f"{label} N={n}: no result (exit {r.returncode}): {r.stderr[-800:]}", file=sys.stderr)
            break
        row = json.loads(line[7:])
        rows.append(row)
        print(f"  {label} N={n}: {r.stdout.splitlines()[0]}", flush=True)
        if r.stderr.strip():
            print("    " + "\n    ".join(r.stderr.strip().splitlines()[:5]), file=sys.stderr)
        if row["loss_pct"] >= 1.0 or row["failed"] > 0 or row["connected"] < n or row["server_cpu_pct"] >= 95:
            break
        time.sleep(args.pause)
    return rows


def bench_portier(args):
    work = tempfile.mkdtemp(prefix="portier-bench-webrtc-")
    http_port, sip_port = free_port(socket.SOCK_STREAM), free_port()
    config = os.path.join(work, "portier.yaml")
    with open(config, "w") as f:
        f.write(f"data_dir: data\nhttp:\n  listen: \"127.0.0.1:{http_port}\"\n  max_connections: 1000\n"
                f"auth:\n  argon2_opslimit: 1\n  argon2_memlimit_kib: 8192\nlogging:\n  level: warn\n"
                f"sip:\n  listen: [\"udp:127.0.0.1:{sip_port}\"]\n"
                f"rtp:\n  bind_address: 127.0.0.1\n  port_min: 20000\n  port_max: 59999\n"
                f"features:\n  webrtc:\n    enabled: true\n    stun_servers: []\n")

    def cli(*argv, stdin=None):
        r = subprocess.run([args.portier, *argv, "--config", config], input=stdin, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"portier {' '.join(argv)}: {r.stderr}")
        return r.stdout

    # One user (8 browser sessions each at most), token and extension (busy while in a call) per concurrent call.
    n = max(args.steps)
    with open(os.path.join(work, "tokens.txt"), "w") as tokens, open(os.path.join(work, "users.csv"), "w") as inf:
        inf.write("SEQUENTIAL\n")
        for i in range(n):
            cli("user", "add", f"bench{i}", "--password-stdin", stdin="bench-password-1\n")
            tokens.write(cli("token", "create", "--user", f"bench{i}").strip() + "\n")
            cli("extension", "add", str(EXT_BASE + i), "--password-stdin", stdin=SECRET + "\n")
            inf.write(f"{EXT_BASE + i};[authentication username={EXT_BASE + i} password={SECRET}]\n")
    proc = subprocess.Popen([args.portier, "serve", "--config", config], stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(work, "portier.log"), "w"))
    uas = None
    try:
        time.sleep(0.8)
        uas_port = free_port()
        r = subprocess.run(["sipp", "-sf", REGISTER, "-inf", os.path.join(work, "users.csv"), "-i", "127.0.0.1",
                            "-p", str(uas_port), "-m", str(n), "-r", "200", "-nostdin", "-timeout", "60s",
                            "-timeout_error", f"127.0.0.1:{sip_port}"], cwd=work, capture_output=True, text=True,
                           errors="replace")
        if r.returncode != 0:
            sys.exit(f"sipp register failed: {r.stdout[-800:]}")
        uas = start_uas(work, uas_port, free_port())
        time.sleep(0.3)
        return run_steps(args, "Portier", ["--server", "portier", "--port", str(http_port), "--tokens",
                                           os.path.join(work, "tokens.txt"), "--extension-base", str(EXT_BASE)], [proc.pid])
    finally:
        for p in (uas, proc):
            if p and p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
        if os.environ.get("KEEP_BENCH"):
            print("kept", work)
        else:
            shutil.rmtree(work, ignore_errors=True)


def host_ipv4():
    """The first non-loopback IPv4 address: libnice (Janus's ICE) gathers no loopback candidates."""
    out = subprocess.run(["ip", "-4", "-o", "addr"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        addr = line.split()[3].split("/")[0]
        if not addr.startswith("127."):
            return addr
    return "127.0.0.1"


def bench_janus(args):
    sys.path.insert(0, os.path.join(ROOT, "bench", "peers", "janus"))
    import janus_peer  # bench/peers/janus/janus_peer.py: writes the config, starts and stops janus
    work = tempfile.mkdtemp(prefix="janus-bench-webrtc-")
    uas_port = free_port()
    uas = start_uas(work, uas_port, free_port())
    janus = None
    try:
        ip = host_ipv4()
        janus = janus_peer.start(work, ip)
        time.sleep(0.3)
        return run_steps(args, "Janus", ["--server", "janus", "--port", str(janus.http_port),
                                         "--sip-uri", f"sip:7002@127.0.0.1:{uas_port}", "--bind", ip], [janus.pid])
    finally:
        if janus:
            janus.stop()
        if uas.poll() is None:
            uas.terminate()
            uas.wait(10)
        if os.environ.get("KEEP_BENCH"):
            print("kept", work)
        else:
            shutil.rmtree(work, ignore_errors=True)


def best(rows):
    ok = [r for r in rows if r["loss_pct"] < 1.0 and r["failed"] == 0 and r["connected"] == r["calls"]]
    return max(ok, key=lambda r: r["calls"]) if ok else None


def table(results):
    print()
    print("| server | calls | connected | loss % | worst call % | server CPU % of a core | CPU per call % | "
          "handshake p50 ms | p99 ms | client CPU % |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, rows in results:
        for r in rows:
            print(f"| {label} | {r['calls']} | {r['connected']} | {r['loss_pct']:.3f} | {r['worst_call_loss_pct']:.2f} | "
                  f"{r['server_cpu_pct']:.1f} | {r['server_cpu_pct'] / r['calls']:.3f} | {r['handshake_ms_p50']:.1f} | "
                  f"{r['handshake_ms_p99']:.1f} | {r['client_cpu_pct']:.1f} |")
    print()
    for label, rows in results:
        b = best(rows)
        if not b:
            print(f"{label}: no step below 1 % loss")
            continue
        per_core = b["calls"] / max(b["server_cpu_pct"] / 100, 1e-9)
        print(f"{label}: {b['calls']} concurrent calls at < 1 % loss (largest step passed) using "
              f"{b['server_cpu_pct']:.1f} % of a core -> {b['server_cpu_pct'] / b['calls']:.3f} % of a core per call "
              f"(~{per_core:.0f} calls per core extrapolated); handshake p99 {b['handshake_ms_p99']:.1f} ms")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--portier", required=True)
    ap.add_argument("--load", required=True)
    ap.add_argument("--steps", default="10,25,50,100,150,200,300,400,500")
    ap.add_argument("--hold", type=float, default=15)
    ap.add_argument("--rate", type=float, default=20)
    ap.add_argument("--pause", type=float, default=2)
    ap.add_argument("--no-janus", action="store_true")
    ap.add_argument("--no-portier", action="store_true")
    args = ap.parse_args()
    args.steps = [int(s) for s in args.steps.split(",")]
    with open("/proc/loadavg") as f:
        print(f"load average before: {f.read().split()[:3]} on {os.cpu_count()} cores", flush=True)
    results = []
    if not args.no_portier:
        results.append(("Portier", bench_portier(args)))
    if not args.no_janus:
        if shutil.which("janus"):
            results.append(("Janus", bench_janus(args)))
        else:
            print("Janus: not installed (apt-get install janus); skipped")
    table(results)


if __name__ == "__main__":
    main()
