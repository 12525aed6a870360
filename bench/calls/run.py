#!/usr/bin/env python3
"""Calls through Portier: sipp (as a resident extension, digest-authenticated) calls a ring group whose one member
is another sipp that answers; the caller plays G.711 RTP (sipp's g711a.pcap, ~4.7 s) for the call's length and
hangs up; Portier relays the media and BYEs the member. Reports successful/failed calls, the mean INVITE -> 200
time (sipp's ResponseTime1, including the 407 round trip) and the CPU seconds Portier used.
The same sipp scenarios then run through kamailio (proxy, digest, record-route) with rtpengine (userspace, one
thread) anchoring the media, with the CPU of every kamailio process and rtpengine summed.
Usage: run.py PORTIER_BIN [--calls 200] [--rate 10] [--hold 2000] [--no-kamailio]
       run.py PORTIER_BIN --ladder 10,20,40,80 [--step-seconds 10] [--hold 10000]
The ladder (issue #7: "max calls/s, and concurrent calls at which CPU hits one core; ratio reported") runs each
system at rising rates, each step `rate x step-seconds` calls of `hold` ms (a fresh server per step), and stops a
system at its first step with >= 1 % failed (or missing) calls. Max calls/s = the highest step with < 1 % failed.
Concurrent calls at one core = calls x hold / CPU-seconds of that step (Little's law: the mean number of calls up,
divided by the share of a core used; a linear estimate when the step did not reach a core). Both ratios are
Portier / (kamailio + rtpengine). The load average is printed per step (the machine may be shared)."""
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
SECRET = "secret-bench"  # every extension, on both sides


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def template(work, name, proxy=False, **values):
    with open(os.path.join(SIPP, name)) as f:
        text = f.read()
    if proxy:  # through a record-routing proxy: keep its Record-Route, send in-dialog requests along the route
        text = text.replace("      [last_Via:]\n      [last_From:]\n      [last_To:];tag=",
                            "      [last_Via:]\n      [last_Record-Route:]\n      [last_From:]\n      [last_To:];tag=")
        text = text.replace('<recv response="200" rtd="true">', '<recv response="200" rtd="true" rrs="true">')
        ack2 = text.index("CSeq: 2 ACK") if "CSeq: 2 ACK" in text else -1
        if ack2 >= 0:
            start = text.rindex("ACK sip:", 0, ack2)
            text = text[:start] + "ACK [next_url] SIP/2.0\n      [routes]" + text[text.index(" SIP/2.0", start) + 8:]
        if "BYE sip:@DIAL@" in text:
            start = text.index("BYE sip:@DIAL@")
            text = text[:start] + "BYE [next_url] SIP/2.0\n      [routes]" + text[text.index(" SIP/2.0", start) + 8:]
    values.setdefault("MEDIA_PORT", "[auto_media_port]")
    values.setdefault("PLAY", f'  <nop><action><exec play_pcap_audio="{PCAP}"/></action></nop>')
    for k, v in values.items():
        text = text.replace("@" + k + "@", str(v))
    path = os.path.join(work, ("proxy-" if proxy else "") + name)
    with open(path, "w") as f:
        f.write(text)
    return path


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_cpu(pids):
    total = 0.0
    for pid in pids:
        try:
            total += cpu_seconds(pid)
        except OSError:
            pass
    return total


def children_of(pid):
    out = [pid]
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(d))
            except OSError:
                pass
    return out


def register(work, member_port, sip_port):
    return subprocess.run(["sipp", "-sf", os.path.join(SIPP, "register_digest.xml"), "-i", "127.0.0.1", "-p",
                           str(member_port), "-s", "7002", "-au", "7002", "-ap", SECRET, "-m", "1",
                           "-nostdin", "-timeout", "10s", "-timeout_error", f"127.0.0.1:{sip_port}"],
                          cwd=work, capture_output=True, text=True, errors="replace")


def concurrency_limit(args):
    """sipp's cap on open calls: well above rate x call length, so that it never throttles the offered rate."""
    return max(1000, int(args.rate * (args.hold / 1000 + 5) * 2))


def run_calls(args, work, sip_port, dial, cpu_pids, proxy, label):
    """Registers the member, runs the member UAS and the caller UAC, returns the figures line."""
    member_port = free_port()
    for _ in range(5):  # the server may still be starting (a loaded machine): retry the registration
        r = register(work, member_port, sip_port)
        if r.returncode == 0:
            break
        time.sleep(0.5)
    if r.returncode != 0:
        return {"line": f"{label}: register failed: {r.stdout[-800:]}", "ok": 0, "failed": args.calls,
                "calls": args.calls, "rate": args.rate, "cpu": 0.0, "wall": 0.0, "hold": args.hold,
                "load": os.getloadavg()[0]}
    offer_re = "m=audio [0-9]+ RTP/AVP 8" if proxy else "m=audio [0-9]+ RTP/AVP 8 101"
    uas = subprocess.Popen(["sipp", "-sf", template(work, "calls_member_answer.xml", proxy, ANSWER_MS=0,
                                                     BYE_TIMEOUT=60000, OFFER_RE=offer_re),
                            "-i", "127.0.0.1", "-p", str(member_port), "-m", str(args.calls), "-nostdin",
                            "-mp", str(free_port()), "-rtp_echo"], cwd=work, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        pids = cpu_pids()
        cpu0, t0 = proc_cpu(pids), time.monotonic()
        uac = subprocess.run(["sipp", "-sf", template(work, "calls_door_uac_bye.xml", proxy, DIAL=dial,
                                                      HOLD_MS=args.hold),
                              "-i", "127.0.0.1", "-p", str(free_port()), "-s", "7003", "-au", "7003", "-ap", SECRET,
                              "-m", str(args.calls), "-r", str(args.rate), "-l", str(concurrency_limit(args)), "-nostdin",
                              "-mp", str(free_port()), "-trace_stat", "-fd", "1", "-trace_err",
                              "-timeout", str(int(args.calls / args.rate + 60)) + "s",
                              f"127.0.0.1:{sip_port}"], cwd=work, capture_output=True, text=True, errors="replace")
        wall, cpu = time.monotonic() - t0, proc_cpu(pids) - cpu0
    finally:
        if uas.poll() is None:
            uas.kill()
            uas.wait()
    prefix = "proxy-" if proxy else ""
    stats = sorted(glob.glob(os.path.join(work, prefix + "calls_door_uac_bye_*_.csv")))
    row = None
    if stats:
        with open(stats[-1]) as f:
            rows = list(csv.DictReader(f, delimiter=";"))
            row = rows[-1] if rows else None
    ok = int(row["SuccessfulCall(C)"]) if row else -1
    failed = int(row["FailedCall(C)"]) if row else -1
    rtt = row.get("ResponseTime1(C)", "?") if row else "?"
    line = (f"{label}: {ok} ok, {failed} failed of {args.calls} at {args.rate}/s, {args.hold} ms RTP each; "
            f"mean INVITE->200 (incl. 407) {rtt}; CPU {cpu:.2f} s in {wall:.1f} s ({100 * cpu / wall:.1f} % of a core)")
    if uac.returncode != 0:
        line += f" [sipp UAC exit {uac.returncode}]"
    return {"line": line, "ok": ok, "failed": failed, "calls": args.calls, "rate": args.rate, "cpu": cpu,
            "wall": wall, "hold": args.hold, "load": os.getloadavg()[0]}


def bench_portier(args):
    work = tempfile.mkdtemp(prefix="portier-bench-calls-")
    http_port, sip_port = free_port(), free_port()
    config = os.path.join(work, "portier.yaml")
    with open(config, "w") as f:
        f.write(f"data_dir: data\nhttp:\n  listen: \"127.0.0.1:{http_port}\"\n"
                f"auth:\n  argon2_opslimit: 1\n  argon2_memlimit_kib: 8192\nlogging:\n  level: warn\n"
                f"sip:\n  listen: [\"udp:127.0.0.1:{sip_port}\"]\n"
                f"rtp:\n  bind_address: 127.0.0.1\n  port_min: 30000\n  port_max: 39999\n"
                f"ring_groups:\n  - id: \"7100\"\n    members: [\"7002\"]\n    ring_timeout: 10\n")
    for ext in ("7002", "7003"):
        r = subprocess.run([args.portier, "extension", "add", ext, "--password-stdin", "--config", config],
                           input=SECRET + "\n", capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(r.stderr)
    proc = subprocess.Popen([args.portier, "serve", "--config", config], stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(work, "portier.log"), "w"))
    try:
        time.sleep(0.5)
        return run_calls(args, work, sip_port, "7100", lambda: [proc.pid], False, "Portier")
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(work, ignore_errors=True)


def bench_kamailio(args):
    work = tempfile.mkdtemp(prefix="kamailio-bench-calls-")
    sip_port, ng_port = free_port(), free_port()
    rtpe = subprocess.Popen(["rtpengine", "-f", "-E", "-L", "3", "-t", "-1", "-i", "127.0.0.1", "-n",
                             f"127.0.0.1:{ng_port}", "-m", "40000", "-M", "49999", "--num-threads=1",
                             "--delete-delay=0", "-p", f"{work}/rtpengine.pid"],
                            stdout=subprocess.DEVNULL, stderr=open(f"{work}/rtpengine.log", "w"))
    # kamailio pings rtpengine at start-up and gives up without it: wait for the ng port.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as ping:
        ping.settimeout(0.2)
        for _ in range(50):
            try:
                ping.sendto(b"p1 d7:command4:pinge", ("127.0.0.1", ng_port))
                ping.recvfrom(1024)
                break
            except OSError:
                time.sleep(0.1)
    cfg = open(os.path.join(HERE, "kamailio.cfg")).read()
    for k, v in {"LISTEN": f"127.0.0.1:{sip_port}", "PASSWORD": SECRET, "CHILDREN": "1", "MEMBER": "7002",
                 "NGPORT": str(ng_port)}.items():
        cfg = cfg.replace(k, v)
    with open(os.path.join(work, "kamailio.cfg"), "w") as f:
        f.write(cfg)
    kam = subprocess.Popen(["kamailio", "-f", os.path.join(work, "kamailio.cfg"), "-DD", "-E", "-m", "256", "-M",
                            "16"], stdout=subprocess.DEVNULL, stderr=open(f"{work}/kamailio.log", "w"),
                           start_new_session=True)
    try:
        time.sleep(1.5)
        return run_calls(args, work, sip_port, "7100", lambda: children_of(kam.pid) + [rtpe.pid], True,
                         "kamailio + rtpengine")
    finally:
        for p in (kam, rtpe):
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        if os.environ.get("KEEP_BENCH"):
            print("kept", work)
        else:
            shutil.rmtree(work, ignore_errors=True)


def passed(r):
    return r["ok"] >= 0 and r["failed"] >= 0 and r["ok"] + r["failed"] >= r["calls"] and r["failed"] * 100 < r["calls"]


def at_one_core(r):
    """Concurrent calls at which the server would use one core: mean calls up / share of a core."""
    return r["calls"] * r["hold"] / 1000 / r["cpu"] if r["cpu"] > 0 else float("inf")


def ladder(args, bench, label):
    """Rising rates until the first step with >= 1 % failed calls; returns the best passing step (or None)."""
    best = None
    for rate in args.ladder:
        step = argparse.Namespace(**vars(args))
        step.rate = rate
        step.calls = max(1, int(rate * args.step_seconds))
        r = bench(step)
        verdict = "pass" if passed(r) else "FAIL (>= 1 % failed)"
        print(f"  [{label} {rate}/s: {verdict}; load average {r['load']:.2f}] {r['line']}", flush=True)
        if not passed(r):
            break
        best = r
    return best


def run_ladder(args):
    systems = [("Portier", bench_portier)]
    if not args.no_kamailio and shutil.which("kamailio") and shutil.which("rtpengine"):
        systems.append(("kamailio + rtpengine", bench_kamailio))
    best = {}
    for label, bench in systems:
        best[label] = ladder(args, bench, label)
        b = best[label]
        if b:
            print(f"{label}: max {b['rate']:g} calls/s with < 1 % failed (ladder {args.ladder_text}); "
                  f"concurrent calls at one core ~{at_one_core(b):.0f} (from {b['calls']} calls of {b['hold']} ms "
                  f"at {b['rate']:g}/s: {b['cpu']:.2f} CPU-s, {100 * b['cpu'] / b['wall']:.0f} % of a core)",
                  flush=True)
        else:
            print(f"{label}: no ladder step with < 1 % failed calls", flush=True)
    p, k = best.get("Portier"), best.get("kamailio + rtpengine")
    if p and k:
        print(f"ratio Portier / kamailio+rtpengine: max calls/s {p['rate'] / k['rate']:.2f}; "
              f"concurrent calls at one core {at_one_core(p) / at_one_core(k):.2f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ladder", help="comma-separated rising rates (calls/s): find the max rate and the "
                                     "concurrency at one core for both systems")
    ap.add_argument("--step-seconds", type=float, default=10, help="ladder: calls per step = rate x this")
    ap.add_argument("portier")
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--rate", type=float, default=10)
    ap.add_argument("--hold", type=int, default=2000, help="ms of RTP per call before the caller's BYE")
    ap.add_argument("--no-kamailio", action="store_true")
    args = ap.parse_args()
    if args.ladder:
        args.ladder_text = args.ladder
        args.ladder = [float(x) for x in args.ladder.split(",")]
        print(f"ladder {args.ladder_text} calls/s, {args.step_seconds:g} s per step, {args.hold} ms per call; "
              f"load average at start {os.getloadavg()[0]:.2f}", flush=True)
        run_ladder(args)
        return
    print(bench_portier(args)["line"])
    if not args.no_kamailio and shutil.which("kamailio") and shutil.which("rtpengine"):
        print(bench_kamailio(args)["line"])


if __name__ == "__main__":
    main()
