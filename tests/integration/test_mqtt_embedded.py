"""mqtt.embedded_broker: Portier starts its own mosquitto with generated config, a device added through the admin
API can connect at once (the broker reloads its files on SIGHUP), an unlock works end to end, and a broker that dies
is restarted. Also: config errors for MQTT relays."""
import os
import signal
import time
import unittest

from mqtt_peers import LockSim, require_mosquitto, wait_until
from portier_proc import Portier, free_port

ADMIN_PW = "admin password 1"


class MqttEmbedded(unittest.TestCase):
    def setUp(self):
        require_mosquitto()
        self.port = free_port()
        self.p = Portier(f"mqtt:\n  broker: \"127.0.0.1:{self.port}\"\n  embedded_broker: true\n"
                         "doors:\n  - id: shed\n    relay: {driver: mqtt, device: shed, output: 1}\n")
        self.addCleanup(self.p.cleanup)

    def api(self, method, path, body=None):
        return self.p.json(method, path, body, {"Authorization": "Bearer " + self.token})

    def test_embedded_broker_admin_api_and_restart(self):
        self.p.start()
        r = self.p.cli("user", "add", "admin", "--role", "admin", "--password-stdin", stdin=ADMIN_PW)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.token = self.p.cli("token", "create", "--user", "admin").stdout.strip()
        wait_until(lambda: self.api("GET", "/api/devices")[2]["connected"], 10, what="connected to embedded broker")
        status, _, doc = self.api("GET", "/api/auth/state")
        self.assertTrue(doc["features"]["devices"])
        status, _, doc = self.api("POST", "/api/devices", {"name": "shed"})
        self.assertEqual(status, 201, doc)
        creds = doc["credentials"]
        self.assertEqual(creds["broker"], f"127.0.0.1:{self.port}")
        self.assertEqual(self.api("POST", "/api/devices", {"name": "shed"})[0], 409)
        self.assertEqual(self.api("POST", "/api/devices", {"name": "x", "protocol": "bogus"})[0], 400)
        self.sim = LockSim(self.p.dir, creds, self.port)
        self.addCleanup(self.sim.kill)
        self.sim.start()
        wait_until(lambda: self.api("GET", "/api/devices")[2]["devices"][0]["online"], 10, what="shed online")
        status, _, doc = self.api("POST", "/api/doors/shed/unlock")
        self.assertEqual(status, 200, doc)
        self.sim.wait_for("unlock", 5)
        # The broker dies: Portier restarts it, and everyone reconnects.
        pid_file = os.path.join(self.p.dir, "data", "mqtt", "mosquitto.pid")
        with open(pid_file) as f:
            pid = int(f.read().strip())
        os.kill(pid, signal.SIGKILL)
        self.sim.wait_for("disconnected", 10)
        self.sim.wait_for("connected", 20)
        wait_until(lambda: self.api("GET", "/api/devices")[2]["connected"], 20, what="portier reconnected")
        wait_until(lambda: self.api("POST", "/api/doors/shed/unlock")[0] == 200, 10, what="unlock after restart")
        # Rotate through the API: the old password stops working once the broker reloaded.
        status, _, doc = self.api("POST", "/api/devices/shed/rotate")
        self.assertEqual(status, 200, doc)
        self.assertNotEqual(doc["credentials"]["password"], creds["password"])
        status, _, doc = self.api("DELETE", "/api/devices/shed")
        self.assertEqual(status, 200, doc)
        self.assertEqual(self.api("DELETE", "/api/devices/shed")[0], 404)

    def test_config_errors(self):
        bad = Portier("doors:\n  - id: a\n    relay: {driver: mqtt, device: a, output: 1}\n")
        try:
            import subprocess
            from portier_proc import PORTIER_BIN
            r = subprocess.run([PORTIER_BIN, "check-config", bad.config], capture_output=True, text=True)
            self.assertEqual(r.returncode, 2)
            self.assertIn("needs the mqtt: section", r.stderr)
            with open(bad.config, "a") as f:
                f.write("mqtt:\n  broker: \"127.0.0.1:1\"\n")
            r = subprocess.run([PORTIER_BIN, "check-config", bad.config], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(bad.config, "w") as f:
                f.write("doors:\n  - id: a\n    relay: {driver: mqtt, device: A/B, output: 99}\n"
                        "mqtt:\n  broker: nonsense\n")
            r = subprocess.run([PORTIER_BIN, "check-config", bad.config], capture_output=True, text=True)
            self.assertEqual(r.returncode, 2)
            self.assertIn("device names", r.stderr)
            self.assertIn("between 1 and 64", r.stderr)
            self.assertIn("expected HOST:PORT", r.stderr)
        finally:
            bad.cleanup()


if __name__ == "__main__":
    unittest.main()
