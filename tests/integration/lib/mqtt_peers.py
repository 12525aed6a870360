"""Real MQTT peers for the MQTT integration tests: a mosquitto broker on a free loopback port that uses the password
and ACL files Portier generates, the reference device simulator (portier-lock-sim), and mosquitto_sub/_pub.
Standard library only; every process is started here and killed by PID."""
import json
import os
import queue
import shutil
import signal
import subprocess
import threading
import time

from portier_proc import free_port

LOCK_SIM_BIN = os.environ.get("PORTIER_LOCK_SIM", "build/src/device/portier-lock-sim")
BROKER_USER = "portier"
BROKER_PASSWORD = "broker password for tests"


def require_mosquitto():
    missing = [b for b in ("mosquitto", "mosquitto_sub", "mosquitto_pub") if not shutil.which(b)]
    if missing:
        raise RuntimeError("missing " + ", ".join(missing) + ": install mosquitto and mosquitto-clients "
                           "(scripts/install-deps)")


def mqtt_yaml(port, extra=""):
    return (f"mqtt:\n  broker: \"127.0.0.1:{port}\"\n  username: {BROKER_USER}\n"
            f"  password: \"{BROKER_PASSWORD}\"\n  command_timeout: 2\n{extra}")


class Broker:
    """mosquitto reading <data_dir>/mqtt/{passwd,acl}; its pid file is where Portier sends SIGHUP after changes."""

    def __init__(self, workdir, mqtt_dir, port=None, legacy_port=None):
        require_mosquitto()
        self.dir = workdir
        self.mqtt_dir = mqtt_dir
        self.port = port or free_port()
        self.legacy_port = legacy_port
        self.conf = os.path.join(workdir, "mosquitto.conf")
        self.log_path = os.path.join(workdir, "mosquitto.log")
        self.proc = None

    def write_conf(self):
        os.makedirs(self.mqtt_dir, exist_ok=True)
        user = "root" if os.geteuid() == 0 else os.environ.get("USER", "")
        lines = ["per_listener_settings true", f"user {user}" if user else "",
                 f"pid_file {os.path.join(self.mqtt_dir, 'mosquitto.pid')}", "persistence false", "set_tcp_nodelay true",
                 "log_dest stderr", "log_type all",
                 f"listener {self.port} 127.0.0.1", "allow_anonymous false",
                 f"password_file {os.path.join(self.mqtt_dir, 'passwd')}",
                 f"acl_file {os.path.join(self.mqtt_dir, 'acl')}"]
        if self.legacy_port:
            lines += [f"listener {self.legacy_port} 127.0.0.1", "allow_anonymous true",
                      f"acl_file {os.path.join(self.mqtt_dir, 'acl')}"]
        with open(self.conf, "w") as f:
            f.write("\n".join(lines) + "\n")

    def start(self):
        self.write_conf()
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(["mosquitto", "-c", self.conf], stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        wait_port(self.port, self.proc, self.read_log)
        return self

    def kill(self, sig=signal.SIGKILL):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(10)
        if self.proc:
            self.log.close()
        self.proc = None

    def reload(self):
        if self.proc:
            self.proc.send_signal(signal.SIGHUP)

    def read_log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""


def wait_port(port, proc, read_log, timeout=10):
    import socket
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"exited with {proc.returncode}: {read_log()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"port {port} never opened: {read_log()}")


class LockSim:
    """portier-lock-sim with a credentials file; its JSON-lines stdout is collected in a queue and a list."""

    def __init__(self, workdir, credentials, broker_port, *extra):
        self.path = os.path.join(workdir, f"{credentials['device']}.json")
        with open(self.path, "w") as f:
            json.dump(credentials, f)
        self.args = [LOCK_SIM_BIN, "--credentials", self.path, "--broker", f"127.0.0.1:{broker_port}",
                     "--keepalive", "5", "--heartbeat", "1", *extra]
        self.events = []
        self.queue = queue.Queue()
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for("connected")
        return self

    def _read(self):
        for line in self.proc.stdout:
            try:
                ev = json.loads(line)
            except ValueError:
                ev = {"event": "text", "line": line.rstrip()}
            self.events.append(ev)
            self.queue.put(ev)

    def wait_for(self, name, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                ev = self.queue.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if ev.get("event") == name:
                return ev
        raise AssertionError(f"lock sim: no '{name}' event within {timeout}s; saw {self.events[-10:]}")

    def count(self, name):
        return sum(1 for e in self.events if e.get("event") == name)

    def kill(self, sig=signal.SIGKILL):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(10)


def mosquitto_sub(port, topic, user=None, password=None, count=1, wait=5):
    """Starts mosquitto_sub in the background; .communicate() returns what it received (one message per line)."""
    args = ["mosquitto_sub", "-h", "127.0.0.1", "-p", str(port), "-t", topic, "-C", str(count), "-W", str(wait),
            "-q", "1"]
    if user:
        args += ["-u", user, "-P", password]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def mosquitto_pub(port, topic, message, user=None, password=None, retain=False):
    args = ["mosquitto_pub", "-h", "127.0.0.1", "-p", str(port), "-t", topic, "-m", message, "-q", "1"]
    if user:
        args += ["-u", user, "-P", password]
    if retain:
        args.append("-r")
    return subprocess.run(args, capture_output=True, text=True, timeout=10)


def add_device(portier, name, protocol=None, password=None):
    args = ["device", "add", name]
    if protocol:
        args += ["--protocol", protocol]
    if password is not None:
        args.append("--password-stdin")
    r = portier.cli(*args, stdin=password)
    if r.returncode != 0:
        raise AssertionError(f"device add {name}: {r.returncode} {r.stderr}")
    return json.loads(r.stdout)


def wait_until(fn, timeout=10, interval=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")
