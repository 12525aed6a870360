#!/usr/bin/env python3
"""REGISTER-with-digest benchmark: Portier's SipServer vs kamailio, same sipp scenario, increasing rates.

For each target and rate, sipp places rate*DURATION registrations (REGISTER, 401, REGISTER with digest, 200) at
that rate. A step counts as sustained when fewer than 0.1 % fail and the achieved rate is at least 90 % of the
target. Prints one line per step and a summary with max sustained rate, p99 response time and the ratio.
Everything runs on loopback on free ports; processes are stopped by PID.
"""
import argparse
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "bench-pw-101"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                total += int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))
        except (OSError, AttributeError):
            pass
    return total


def cpu_seconds(pids):
    """User + system CPU seconds consumed so far by the given processes (kamailio: all its workers)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def start_portier(server, port, work):
    out = open(os.path.join(work, "portier.out"), "w")
    proc = subprocess.Popen([server, "--listen", f"udp:127.0.0.1:{port}", "--ext", f"101:{PASSWORD}",
                             "--max-failures", "1000000000", "--log-level", "error", "--quiet", "1"],
                            stdout=out, stderr=subprocess.STDOUT)
    time.sleep(0.5)
    return proc, lambda: [proc.pid]


def start_portier_serve(binary, port, work):
    """The product itself: `portier serve` with extension 101 in its SQLite store (bindings persisted, events
    published), logging at warn."""
    data = os.path.join(work, "serve")
    os.makedirs(data, exist_ok=True)
    config = os.path.join(data, "portier.yaml")
    with open(config, "w") as f:
        f.write(f"data_dir: {data}/data\nhttp:\n  listen: \"127.0.0.1:{free_port()}\"\n"
                f"logging:\n  level: warn\nsip:\n  domain: bench.test\n  listen: [\"udp:127.0.0.1:{port}\"]\n")
    r = subprocess.run([binary, "extension", "add", "101", "--role", "resident", "--password-stdin", "--config",
                        config], input=PASSWORD + "\n", capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"portier extension add: {r.stderr}")
    out = open(os.path.join(work, "portier-serve.out"), "w")
    proc = subprocess.Popen([binary, "serve", "--config", config], stdout=out, stderr=subprocess.STDOUT)
    time.sleep(1.0)
    return proc, lambda: [proc.pid]


def start_kamailio(children, port, work):
    cfg = open(os.path.join(HERE, "kamailio.cfg")).read()
    cfg = cfg.replace("LISTEN", f"127.0.0.1:{port}").replace("PASSWORD", PASSWORD).replace("CHILDREN", str(children))
    path = os.path.join(work, "kamailio.cfg")
    open(path, "w").write(cfg)
    out = open(os.path.join(work, "kamailio.out"), "w")
    proc = subprocess.Popen(["kamailio", "-f", path, "-DD", "-E", "-m", "256", "-M", "16"], stdout=out,
                            stderr=subprocess.STDOUT, start_new_session=True)
    time.sleep(1.5)

    def pids():
        kids = subprocess.run(["pgrep", "-s", str(proc.pid)], capture_output=True, text=True).stdout.split()
        return [int(p) for p in kids] or [proc.pid]
    return proc, pids


def stop(proc, group=False):
    if proc.poll() is None:
        if group:
            os.killpg(proc.pid, signal.SIGTERM)
        else:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL) if group else proc.kill()


def run_step(target_port, rate, duration, work):
    step = tempfile.mkdtemp(dir=work)
    calls = rate * duration
    cmd = ["sipp", "-sf", os.path.join(HERE, "register.xml"), "-i", "127.0.0.1", "-p", str(free_port()),
           "-s", "101", "-au", "101", "-ap", PASSWORD, "-r", str(rate), "-m", str(calls), "-l", str(rate * 4),
           "-nostdin", "-timeout", f"{duration * 3 + 10}s", "-trace_rtt", "-rtt_freq", "500",
           "-buff_size", "1048576",
           f"127.0.0.1:{target_port}"]
    t0 = time.time()
    proc = subprocess.run(cmd, cwd=step, capture_output=True, text=True)
    elapsed = time.time() - t0
    ok = failed = 0
    for name, var in (("Successful call", "ok"), ("Failed call", "failed")):
        m = re.findall(name + r"\s+\|\s+\d+\s+\|\s+(\d+)", proc.stdout)
        if m:
            if var == "ok":
                ok = int(m[-1])
            else:
                failed = int(m[-1])
    times = []
    for f in glob.glob(os.path.join(step, "*_rtt.csv")):
        for line in open(f).read().splitlines()[1:]:
            parts = line.split(";")
            if len(parts) >= 2:
                try:
                    times.append(float(parts[1]))
                except ValueError:
                    pass
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))] if times else float("nan")
    shutil.rmtree(step, ignore_errors=True)
    lost = calls - ok
    return {"rate": rate, "ok": ok, "failed": failed, "lost": lost, "achieved": ok / max(elapsed - 0.2, 0.1),
            "p99_ms": p99, "elapsed": elapsed}


def bench(name, start, rates, duration, work):
    port = free_port()
    proc, pids = start(port, work)
    results = []
    try:
        rss0 = rss_kib(pids())
        for rate in rates:
            cpu0 = cpu_seconds(pids())
            r = run_step(port, rate, duration, work)
            r["cpu_s"] = cpu_seconds(pids()) - cpu0
            r["per_cpu_s"] = r["ok"] / r["cpu_s"] if r["cpu_s"] > 0 else float("nan")
            r["sustained"] = r["lost"] <= 0.001 * r["rate"] * duration and r["achieved"] >= 0.9 * rate
            results.append(r)
            print(f"{name:9} rate {rate:6}/s  ok {r['ok']:7}  lost {r['lost']:6}  achieved {r['achieved']:8.0f}/s  "
                  f"p99 {r['p99_ms']:7.2f} ms  cpu {r['cpu_s']:5.2f} s ({r['per_cpu_s']:6.0f}/cpu-s)  "
                  f"{'ok' if r['sustained'] else 'NOT sustained'}", flush=True)
            if proc.poll() is not None:
                print(f"{name}: server died")
                break
            if not r["sustained"]:
                break
        rss1 = rss_kib(pids())
    finally:
        stop(proc, group=(name == "kamailio"))
    best = max((r for r in results if r["sustained"]), key=lambda r: r["rate"], default=None)
    return best, rss0, rss1, results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True, help="path to sip_registrar_server")
    ap.add_argument("--rates", default="250,500,1000,1500,2000,3000,4000,6000,8000")
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--kamailio-children", type=int, default=2)
    ap.add_argument("--portier-bin", help="also measure `portier serve` (the product, bindings in SQLite)")
    args = ap.parse_args()
    for tool in ("sipp", "kamailio"):
        if not shutil.which(tool):
            print(f"SKIP: {tool} not installed")
            return 77
    rates = [int(r) for r in args.rates.split(",")]
    work = tempfile.mkdtemp(prefix="portier-bench-sip-")
    summary = {}
    summary["portier"] = bench("portier", lambda port, w: start_portier(args.server, port, w), rates,
                               args.duration, work)
    if args.portier_bin:
        summary["serve"] = bench("serve", lambda port, w: start_portier_serve(args.portier_bin, port, w), rates,
                                 args.duration, work)
    summary["kamailio"] = bench("kamailio", lambda port, w: start_kamailio(args.kamailio_children, port, w), rates,
                                args.duration, work)
    print("\nsummary (REGISTER + 401 + REGISTER with MD5 digest + 200 per registration, UDP, loopback):")
    for name, (best, rss0, rss1, _) in summary.items():
        if best:
            print(f"  {name:9} max sustained {best['rate']}/s  p99 {best['p99_ms']:.2f} ms  "
                  f"RSS {rss0 // 1024} -> {rss1 // 1024} MiB")
        else:
            print(f"  {name:9} no sustained step")
    p, k = summary["portier"][0], summary["kamailio"][0]
    if p and k:
        print(f"  ratio portier/kamailio: {p['rate'] / k['rate']:.2f}")
    s = summary.get("serve", (None,))[0]
    if s and k:
        print(f"  ratio portier serve/kamailio: {s['rate'] / k['rate']:.2f}")
    # One sipp tops out near 20,000 registrations/s on this machine, so every server may sustain the whole ladder:
    # then the comparison that still means something is the server's CPU per registration, at the highest rate that
    # every target sustained (registrations per CPU-second = what one core of the server could carry).
    common = None
    for rate in rates:
        if all(any(r["rate"] == rate and r["sustained"] for r in results) for *_, results in summary.values()):
            common = rate
    if common:
        per = {name: next(r for r in results if r["rate"] == common)["per_cpu_s"]
               for name, (*_, results) in summary.items()}
        print(f"  registrations per CPU-second at {common}/s: " +
              ", ".join(f"{name} {v:.0f}" for name, v in per.items()))
        for name in ("portier", "serve"):
            if name in per and per.get("kamailio"):
                print(f"  CPU-efficiency ratio {name}/kamailio: {per[name] / per['kamailio']:.2f}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
