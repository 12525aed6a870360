"""Presence and broker trouble, against a real mosquitto: a killed device goes offline within its keep-alive and its
door fails fast; Portier starts with the broker down (healthy, shows MQTT disconnected, retries); the broker is killed
and restarted mid-operation: Portier and the device reconnect, unlocks during the outage fail fast, and no command
is lost or executed twice."""
import os
import signal
import time
import unittest

from mqtt_peers import Broker, LockSim, add_device, mqtt_yaml, wait_until
from portier_proc import Portier, free_port

ADMIN_PW = "admin password 1"
DOORS = """doors:
  - id: gate
    relay: {driver: mqtt, device: gate, output: 1}
    hold: 1
"""


class MqttPresence(unittest.TestCase):
    def setUp(self):
        self.broker_port = free_port()
        self.p = Portier(mqtt_yaml(self.broker_port) + DOORS)
        self.addCleanup(self.p.cleanup)
        self.creds = add_device(self.p, "gate")
        self.broker = Broker(self.p.dir, os.path.join(self.p.dir, "data", "mqtt"), self.broker_port)
        self.addCleanup(self.broker.kill)
        self.sim = LockSim(self.p.dir, self.creds, self.broker_port)
        self.addCleanup(self.sim.kill)  # started by the tests; cleanups run last-in first-out

    def admin(self):
        r = self.p.cli("user", "add", "admin", "--role", "admin", "--password-stdin", stdin=ADMIN_PW)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.token = self.p.cli("token", "create", "--user", "admin").stdout.strip()

    def api(self, method, path, body=None):
        return self.p.json(method, path, body, {"Authorization": "Bearer " + self.token})

    def devices(self):
        status, _, doc = self.api("GET", "/api/devices")
        self.assertEqual(status, 200, doc)
        return doc

    def gate(self):
        return next(d for d in self.devices()["devices"] if d["name"] == "gate")

    def unlock(self):
        t0 = time.monotonic()
        status, _, doc = self.api("POST", "/api/doors/gate/unlock")
        return status, doc, time.monotonic() - t0

    def test_device_killed_goes_offline_and_door_fails_fast(self):
        self.broker.start()
        self.p.start()
        self.admin()
        self.sim.start()
        wait_until(lambda: self.gate()["online"], 10, what="gate online")
        self.assertEqual(self.unlock()[0], 200)
        self.sim.kill(signal.SIGKILL)
        t0 = time.monotonic()
        # keep-alive 5 s (libmosquitto's minimum): the broker publishes the will after 1.5 x 5 s at most.
        wait_until(lambda: not self.gate()["online"], 9, what="gate offline")
        print(f"offline detected {time.monotonic() - t0:.1f} s after kill -9")
        status, doc, elapsed = self.unlock()
        self.assertEqual(status, 503, doc)
        self.assertIn("offline", doc["error"]["message"])
        self.assertLess(elapsed, 0.5)
        status, _, doc = self.api("GET", "/api/events/history?limit=20")
        self.assertIn("device_offline", [e["type"] for e in doc["events"]])
        self.assertIn("device_online", [e["type"] for e in doc["events"]])

    def test_broker_down_at_start_then_restarted(self):
        self.p.start()  # no broker yet
        self.admin()
        doc = self.devices()
        self.assertFalse(doc["connected"])
        status, doc, elapsed = self.unlock()
        self.assertEqual(status, 503, doc)
        self.assertIn("broker disconnected", doc["error"]["message"])
        self.broker.start()
        wait_until(lambda: self.devices()["connected"], 15, what="portier connected")
        self.sim.start()
        wait_until(lambda: self.gate()["online"], 10, what="gate online")
        ok = 0
        for _ in range(5):
            status, doc, _ = self.unlock()
            self.assertEqual(status, 200, doc)
            ok += 1
        # Broker killed mid-operation.
        self.broker.kill(signal.SIGKILL)
        wait_until(lambda: not self.devices()["connected"], 10, what="portier disconnected")
        status, doc, elapsed = self.unlock()
        self.assertEqual(status, 503, doc)
        self.assertLess(elapsed, 0.5)
        self.broker.start()
        wait_until(lambda: self.devices()["connected"], 20, what="portier reconnected")
        self.sim.wait_for("connected", 20)
        wait_until(lambda: self.gate()["online"], 10, what="gate online again")
        for _ in range(5):
            status, doc, _ = self.unlock()
            self.assertEqual(status, 200, doc)
            ok += 1
        # Every acknowledged unlock ran exactly once on the device (its output is read on another thread).
        wait_until(lambda: self.sim.count("unlock") >= ok, 5, what="all unlocks on the device")
        time.sleep(0.5)
        self.assertEqual(self.sim.count("unlock"), ok)
        self.assertEqual(self.sim.count("refused"), 0)


if __name__ == "__main__":
    unittest.main()
