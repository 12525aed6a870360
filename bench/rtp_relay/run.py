#!/usr/bin/env python3
"""bench/rtp_relay: packets/s per core and added latency of Portier's relay, compared with rtpengine in userspace
mode (no kernel module), with the same C++ load generator (rtp_load) on loopback.

For each relay: a latency run at a moderate rate (p50/p99 one-way, minus the direct path without relay), then a
saturation run (the sender offers more than the relay can take); packets/s per core = received packets/s divided by
the relay's CPU share (utime+stime from /proc over the run's wall time).
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def run_load(load, seconds, pps, base, pairs, pid=None):
    args = [load, str(seconds), str(pps), str(base), "127.0.0.1"] + pairs
    cpu0, t0 = (cpu_seconds(pid), time.monotonic()) if pid else (0, 0)
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["rx_pps"] = round(result["received"] / seconds)
    if pid:
        used = cpu_seconds(pid) - cpu0
        result["relay_cpu_share"] = round(used / (time.monotonic() - t0), 3)
        # CPU cost per relayed packet, as packets per fully used core.
        if used > 0:
            result["pps_per_core"] = round(result["received"] / used)
    return result


# --- rtpengine ng protocol (bencode over UDP) ---------------------------------------------------------------
def bencode(v):
    if isinstance(v, int):
        return b"i%de" % v
    if isinstance(v, str):
        v = v.encode()
    if isinstance(v, bytes):
        return b"%d:%s" % (len(v), v)
    if isinstance(v, list):
        return b"l" + b"".join(bencode(x) for x in v) + b"e"
    if isinstance(v, dict):
        return b"d" + b"".join(bencode(k) + bencode(v[k]) for k in sorted(v)) + b"e"
    raise TypeError(v)


def bdecode(b, i=0):
    c = b[i:i + 1]
    if c == b"i":
        j = b.index(b"e", i)
        return int(b[i + 1:j]), j + 1
    if c in (b"l", b"d"):
        i += 1
        items = []
        while b[i:i + 1] != b"e":
            v, i = bdecode(b, i)
            items.append(v)
        if c == b"l":
            return items, i + 1
        return {items[k].decode(): items[k + 1] for k in range(0, len(items), 2)}, i + 1
    j = b.index(b":", i)
    n = int(b[i:j])
    return b[j + 1:j + 1 + n], j + 1 + n


def ng(sock, port, msg):
    cookie = os.urandom(4).hex().encode()
    sock.sendto(cookie + b" " + bencode(msg), ("127.0.0.1", port))
    data, _ = sock.recvfrom(65536)
    reply, _ = bdecode(data.split(b" ", 1)[1])
    if reply.get("result") != b"ok":
        raise RuntimeError(f"rtpengine: {reply}")
    return reply


def sdp_port(sdp):
    for line in sdp.decode().splitlines():
        if line.startswith("m=audio "):
            return int(line.split()[1])
    raise RuntimeError("no m=audio in rtpengine's SDP")


def offer_sdp(port):
    return (f"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            f"m=audio {port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n")


def start_rtpengine(calls, base, ng_port):
    tmp = tempfile.mkdtemp(prefix="rtpengine-bench-")
    proc = subprocess.Popen(
        ["rtpengine", "-f", "-E", "-L", "3", "-t", "-1", "-i", "127.0.0.1", "-n", f"127.0.0.1:{ng_port}",
         "-m", "32000", "-M", "33999", "--num-threads=1", "--delete-delay=0", "-p", f"{tmp}/pid"],
        stdout=subprocess.DEVNULL, stderr=open(f"{tmp}/log", "w"))
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(2)
    for _ in range(50):
        try:
            sock.sendto(b"c0 " + bencode({"command": "ping"}), ("127.0.0.1", ng_port))
            sock.recvfrom(65536)
            break
        except OSError:
            time.sleep(0.1)
    pairs = []
    for i in range(calls):
        call = f"bench-{i}"
        o = ng(sock, ng_port, {"command": "offer", "call-id": call, "from-tag": "a", "sdp": offer_sdp(base + 4 * i)})
        a = ng(sock, ng_port, {"command": "answer", "call-id": call, "from-tag": "a", "to-tag": "b",
                               "sdp": offer_sdp(base + 4 * i + 2)})
        # The caller sends to the port in the answer; rtpengine sends to the callee from the port in the offer.
        pairs.append(f"{sdp_port(a['sdp'])}:{sdp_port(o['sdp'])}")
    return proc, pairs, tmp


def start_portier(server, calls):
    proc = subprocess.Popen([server, str(calls), "30000", "31999"], stdout=subprocess.PIPE, text=True)
    pairs = []
    for line in proc.stdout:
        if line.startswith("RELAY"):
            _, a, b = line.split()
            pairs.append(f"{a}:{b}")
        if line.startswith("READY"):
            break
    return proc, pairs


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def measure(name, load, pid, pairs, args):
    lat = run_load(load, args.seconds, args.latency_pps, 40000, pairs, pid)
    print(json.dumps({"relay": name, "rate": args.latency_pps, **lat}), flush=True)
    load_run = run_load(load, args.seconds, args.load_pps, 40000, pairs, pid)
    print(json.dumps({"relay": name, "rate": args.load_pps, **load_run}), flush=True)
    return lat, load_run


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--server", required=True)
    p.add_argument("--load", required=True)
    p.add_argument("--calls", type=int, default=50)
    p.add_argument("--seconds", type=float, default=5)
    p.add_argument("--latency-pps", type=int, default=10000, help="50 calls x 2 directions of 50 pps = 5000")
    p.add_argument("--load-pps", type=int, default=40000, help="the CPU-cost run; must show ~0 loss to count")
    p.add_argument("--no-rtpengine", action="store_true")
    args = p.parse_args()

    direct_pairs = [f"{40000 + 4 * i + 2}:0" for i in range(args.calls)]
    direct = run_load(args.load, args.seconds, args.latency_pps, 40000, direct_pairs)
    print(json.dumps({"relay": "none (direct)", "rate": args.latency_pps, "loadavg": os.getloadavg()[0], **direct}),
          flush=True)

    proc, pairs = start_portier(args.server, args.calls)
    try:
        p_lat, p_sat = measure("portier", args.load, proc.pid, pairs, args)
    finally:
        stop(proc)

    r_sat = None
    if not args.no_rtpengine and shutil.which("rtpengine"):
        rproc, rpairs, tmp = start_rtpengine(args.calls, 40000, 22299)
        try:
            r_lat, r_sat = measure("rtpengine (userspace, 1 worker thread)", args.load, rproc.pid, rpairs, args)
        finally:
            stop(rproc)
            shutil.rmtree(tmp, ignore_errors=True)
    summary = {
        "portier_added_p50_us": p_lat["p50_us"] - direct["p50_us"],
        "portier_added_p99_us": p_lat["p99_us"] - direct["p99_us"],
        # CPU cost per packet from the lossless run; the higher-rate run shows where loss starts.
        "portier_pps_per_core": p_lat.get("pps_per_core"),
        "portier_loss_at_load": p_sat["loss"],
    }
    if r_sat:
        summary["rtpengine_pps_per_core"] = r_lat.get("pps_per_core")
        summary["rtpengine_loss_at_load"] = r_sat["loss"]
        summary["rtpengine_added_p50_us"] = r_lat["p50_us"] - direct["p50_us"]
        summary["rtpengine_added_p99_us"] = r_lat["p99_us"] - direct["p99_us"]
        if r_lat.get("pps_per_core") and p_lat.get("pps_per_core"):
            summary["ratio"] = round(p_lat["pps_per_core"] / r_lat["pps_per_core"], 2)
    summary["loadavg_after"] = os.getloadavg()[0]
    print(json.dumps({"summary": summary}), flush=True)


if __name__ == "__main__":
    main()
