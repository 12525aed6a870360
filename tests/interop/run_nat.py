#!/usr/bin/env python3
"""NAT interop test: sipp registers from a private network behind a masquerading router (three network namespaces,
veth pairs and an nftables masquerade rule, all created here and removed afterwards). The server must record the
public (received/rport) address and reach the client there with OPTIONS keep-alives.

Skips (exit 77) with a clear message when the kernel or the user may not create namespaces, or when sipp, ip or
nft are missing. Nothing touches the host's own network namespace except short-lived veth names.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from peers import stop, wait_ready

HERE = os.path.dirname(os.path.abspath(__file__))


def sh(*cmd, check=True, ns=None, **kw):
    if ns:
        cmd = ("ip", "netns", "exec", ns) + cmd
    return subprocess.run(cmd, check=check, capture_output=True, text=True, **kw)


def build(tag):
    srv, nat, cli = f"pt{tag}s", f"pt{tag}n", f"pt{tag}c"
    for ns in (srv, nat, cli):
        sh("ip", "netns", "add", ns)
    sh("ip", "link", "add", f"pt{tag}a", "type", "veth", "peer", "name", f"pt{tag}b")
    sh("ip", "link", "add", f"pt{tag}d", "type", "veth", "peer", "name", f"pt{tag}e")
    sh("ip", "link", "set", f"pt{tag}a", "netns", srv)
    sh("ip", "link", "set", f"pt{tag}b", "netns", nat)
    sh("ip", "link", "set", f"pt{tag}d", "netns", nat)
    sh("ip", "link", "set", f"pt{tag}e", "netns", cli)
    for ns, dev, addr in ((srv, f"pt{tag}a", "10.77.1.1/24"), (nat, f"pt{tag}b", "10.77.1.2/24"),
                          (nat, f"pt{tag}d", "10.77.2.1/24"), (cli, f"pt{tag}e", "10.77.2.2/24")):
        sh("ip", "-n", ns, "addr", "add", addr, "dev", dev)
        sh("ip", "-n", ns, "link", "set", dev, "up")
    for ns in (srv, nat, cli):
        sh("ip", "-n", ns, "link", "set", "lo", "up")
    sh("ip", "-n", cli, "route", "add", "default", "via", "10.77.2.1")
    sh("sysctl", "-qw", "net.ipv4.ip_forward=1", ns=nat)
    rules = f'table ip nat {{ chain post {{ type nat hook postrouting priority 100; oifname "pt{tag}b" masquerade; }}; }}'
    sh("nft", rules, ns=nat)
    return srv, nat, cli


def teardown(namespaces):
    for ns in namespaces:
        sh("ip", "netns", "del", ns, check=False)


def main():
    server = sys.argv[sys.argv.index("--server") + 1]
    for tool in ("sipp", "ip", "nft"):
        if not shutil.which(tool):
            print(f"SKIP: {tool} not installed")
            return 77
    tag = str(os.getpid() % 100000)
    try:
        namespaces = build(tag)
    except (subprocess.CalledProcessError, OSError) as e:
        teardown([f"pt{tag}s", f"pt{tag}n", f"pt{tag}c"])
        err = e.stderr if isinstance(e, subprocess.CalledProcessError) else str(e)
        print(f"SKIP: cannot build the NAT namespaces here ({err.strip()})")
        return 77
    srv, nat, cli = namespaces
    work = tempfile.mkdtemp(prefix="portier-nat-")
    out_path = os.path.join(work, "server.out")
    ok = False
    try:
        with open(out_path, "w") as out:
            proc = subprocess.Popen(["ip", "netns", "exec", srv, server, "--listen", "udp:10.77.1.1:5060",
                                     "--ext", "101:nat-pw", "--keepalive", "1", "--log-level", "debug"],
                                    stdout=out, stderr=subprocess.STDOUT)
        try:
            if not wait_ready(proc, out_path, time.time() + 10):
                print("server did not start:\n" + open(out_path).read())
                return 1
            sipp = sh("sipp", "-sf", os.path.join(HERE, "sipp", "nat_register_answer_keepalive.xml"),
                      "-oocsf", os.path.join(HERE, "sipp", "nat_answer_options.xml"), "-i", "10.77.2.2",
                      "-p", "5070", "-s", "101", "-au", "101", "-ap", "nat-pw", "-m", "1", "-nostdin",
                      "-timeout", "20s", "-timeout_error", "10.77.1.1:5060", ns=cli, check=False, cwd=work,
                      timeout=40)
        finally:
            stop(proc)
        text = open(out_path).read()
        checks = {
            "sipp scenario passed": sipp.returncode == 0,
            "binding keeps the private Contact": re.search(r"REGISTERED 101 sip:101@10\.77\.2\.2:5070 ", text),
            "binding records the public source": re.search(r"REGISTERED 101 \S+ udp:10\.77\.1\.2:\d+", text),
            "keep-alive answered through the NAT": re.search(r"keep-alive to 101 at udp:10\.77\.1\.2:\d+ answered 200",
                                                              text),
        }
        for name, passed in checks.items():
            print(("ok   " if passed else "FAIL ") + name)
        ok = all(checks.values())
        if not ok:
            print(sipp.stdout[-2000:])
            print("--- server output\n" + text[-4000:])
    finally:
        teardown(namespaces)
        shutil.rmtree(work, ignore_errors=True)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
