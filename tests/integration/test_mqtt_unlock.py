"""Unlock through an MQTT door against a real mosquitto and the reference device (portier-lock-sim): the unlock
answers only after the device's signed ack, audit and events are right, latency is recorded; a replayed command is
refused by the device; an unacknowledged command fails clearly; a door on an unknown device fails clearly."""
import json
import os
import statistics
import time
import unittest

from mqtt_peers import (BROKER_PASSWORD, BROKER_USER, Broker, LockSim, add_device, mosquitto_pub, mosquitto_sub,
                        mqtt_yaml, wait_until)
from portier_proc import Portier, free_port

ADMIN_PW = "admin password 1"
DOORS = """doors:
  - id: gate
    relay: {driver: mqtt, device: gate, output: 1}
    hold: 1
  - id: garage
    relay: {driver: mqtt, device: garage, output: 2}
  - id: ghost
    relay: {driver: mqtt, device: ghost, output: 1}
"""


class MqttUnlock(unittest.TestCase):
    def setUp(self):
        self.broker_port = free_port()
        # Cleanups (not tearDown) so that a failing setUp still stops what it started; they run last-in first-out.
        self.p = Portier(mqtt_yaml(self.broker_port) + DOORS)
        self.addCleanup(self.p.cleanup)
        self.creds = add_device(self.p, "gate")
        self.creds2 = add_device(self.p, "garage")
        self.broker = Broker(self.p.dir, os.path.join(self.p.dir, "data", "mqtt"), self.broker_port)
        self.addCleanup(self.broker.kill)
        self.broker.start()
        self.p.start()
        r = self.p.cli("user", "add", "admin", "--role", "admin", "--password-stdin", stdin=ADMIN_PW)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.token = self.p.cli("token", "create", "--user", "admin").stdout.strip()
        self.sim = LockSim(self.p.dir, self.creds, self.broker_port)
        self.addCleanup(self.sim.kill)
        self.sim.start()
        self.wait_online("gate")

    def api(self, method, path, body=None):
        return self.p.json(method, path, body, {"Authorization": "Bearer " + self.token})

    def wait_unlocks(self, n):
        # The device prints its event before it acks, but this test reads its output on another thread.
        wait_until(lambda: self.sim.count("unlock") >= n, 5, what=f"{n} unlocks on the device")
        time.sleep(0.1)
        self.assertEqual(self.sim.count("unlock"), n)

    def wait_online(self, name, online=True):
        def check():
            status, _, doc = self.api("GET", "/api/devices")
            self.assertEqual(status, 200, doc)
            d = next((d for d in doc["devices"] if d["name"] == name), None)
            return d if d and d["online"] == online else None
        return wait_until(check, 10, what=f"{name} online={online}")

    def test_credentials_shape(self):
        self.assertEqual(set(self.creds), {"device", "protocol", "username", "password", "command_key", "broker"})
        self.assertEqual(self.creds["protocol"], "native")
        self.assertEqual(len(self.creds["command_key"]), 64)
        r = self.p.cli("device", "list")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("gate\tnative", r.stdout)

    def test_unlock_waits_for_ack_and_audits(self):
        status, _, doc = self.api("POST", "/api/doors/gate/unlock")
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["state"], "unlocked")
        ev = self.sim.wait_for("unlock", 5)
        self.assertEqual((ev["output"], ev["duration_ms"]), (1, 1000))
        self.sim.wait_for("relock", 5)  # the device relocks by itself after the pulse
        status, _, doc = self.api("GET", "/api/events/history?limit=10")
        types = [e["type"] for e in doc["events"] if e.get("door") == "gate"]
        self.assertIn("unlocked", types)
        self.assertIn("unlock_requested", types)
        status, _, doc = self.api("GET", "/api/audit")
        row = doc["audit"][-1]
        self.assertEqual((row["door"], row["action"], row["result"]), ("gate", "unlock", "granted"))
        # Latency: HTTP unlock -> signed ack, sequential.
        times = []
        for _ in range(100):
            t0 = time.perf_counter()
            status, _, doc = self.api("POST", "/api/doors/gate/unlock")
            times.append((time.perf_counter() - t0) * 1000)
            self.assertEqual(status, 200, doc)
        times.sort()
        p50, p99 = statistics.median(times), times[int(len(times) * 0.99) - 1]
        print(f"mqtt unlock latency over {len(times)}: p50 {p50:.2f} ms, p99 {p99:.2f} ms")
        self.assertLess(p99, 500)
        self.wait_unlocks(101)

    def test_replayed_command_is_refused(self):
        spy = mosquitto_sub(self.broker_port, "portier/gate/cmd", BROKER_USER, BROKER_PASSWORD, count=2, wait=8)
        time.sleep(0.5)  # let the spy subscribe
        for _ in range(2):
            status, _, doc = self.api("POST", "/api/doors/gate/unlock")
            self.assertEqual(status, 200, doc)
        out, err = spy.communicate(timeout=15)
        captured = out.strip().splitlines()
        self.assertEqual(len(captured), 2, err)
        self.wait_unlocks(2)
        first, last = captured
        # An older command: counter not above the last one.
        self.assertEqual(mosquitto_pub(self.broker_port, "portier/gate/cmd", first, BROKER_USER,
                                       BROKER_PASSWORD).returncode, 0)
        ev = self.sim.wait_for("refused", 5)
        self.assertEqual(ev["reason"], "replay")
        self.assertEqual(ev["counter"], json.loads(first)["counter"])
        # The latest command again: recognised as a redelivery, acknowledged, not run again.
        mosquitto_pub(self.broker_port, "portier/gate/cmd", last, BROKER_USER, BROKER_PASSWORD)
        self.sim.wait_for("duplicate", 5)
        # A forged command (MAC from a wrong key) and garbage.
        forged = json.loads(last)
        forged["counter"] += 100
        mosquitto_pub(self.broker_port, "portier/gate/cmd", json.dumps(forged), BROKER_USER, BROKER_PASSWORD)
        self.assertEqual(self.sim.wait_for("refused", 5)["reason"], "bad_mac")
        mosquitto_pub(self.broker_port, "portier/gate/cmd", "{not json", BROKER_USER, BROKER_PASSWORD)
        self.assertEqual(self.sim.wait_for("refused", 5)["reason"], "malformed")
        # Garbage towards Portier is ignored too; it keeps working.
        mosquitto_pub(self.broker_port, "portier/gate/ack", "\x01\xff garbage {", BROKER_USER, BROKER_PASSWORD)
        mosquitto_pub(self.broker_port, "portier/gate/state", "[1,2,3]", BROKER_USER, BROKER_PASSWORD)
        time.sleep(0.3)
        self.assertEqual(self.sim.count("unlock"), 2)
        status, _, doc = self.api("POST", "/api/doors/gate/unlock")
        self.assertEqual(status, 200, doc)
        self.wait_unlocks(3)
        status, _, doc = self.api("GET", "/api/devices")
        gate = next(d for d in doc["devices"] if d["name"] == "gate")
        self.assertGreaterEqual(gate["refusals"], 2)

    def test_no_ack_fails_clearly_and_is_audited(self):
        self.sim2 = LockSim(self.p.dir, self.creds2, self.broker_port, "--ack-delay-ms", "3000")
        self.addCleanup(self.sim2.kill)
        self.sim2.start()
        self.wait_online("garage")
        t0 = time.monotonic()
        status, _, doc = self.api("POST", "/api/doors/garage/unlock")
        elapsed = time.monotonic() - t0
        self.assertEqual(status, 504, doc)
        self.assertIn("did not acknowledge", doc["error"]["message"])
        self.assertGreater(elapsed, 1.5)  # command_timeout: 2 s
        self.assertLess(elapsed, 4.0)
        status, _, doc = self.api("GET", "/api/audit")
        row = doc["audit"][-1]
        self.assertEqual((row["door"], row["result"]), ("garage", "failed"))
        status, _, doc = self.api("GET", "/api/events/history?limit=5")
        self.assertIn("unlock_failed", [e["type"] for e in doc["events"]])

    def test_counters_keep_increasing_across_a_restart(self):
        for _ in range(3):
            self.assertEqual(self.api("POST", "/api/doors/gate/unlock")[0], 200)
        self.p.stop()
        self.p.start()  # counters come from the reservation in the database, never from 1 again
        self.wait_online("gate")
        status, _, doc = self.api("POST", "/api/doors/gate/unlock")
        self.assertEqual(status, 200, doc)
        self.wait_unlocks(4)
        self.assertEqual(self.sim.count("refused"), 0)
        counters = [e["counter"] for e in self.sim.events if e.get("event") == "unlock"]
        self.assertEqual(counters, sorted(set(counters)))
        status, _, doc = self.p.json("GET", "/metrics")
        text = doc["_raw"] if isinstance(doc, dict) and "_raw" in doc else ""
        self.assertIn("portier_mqtt_connected 1", text)
        self.assertIn("portier_mqtt_devices_online 1", text)

    def test_unknown_device_fails_clearly(self):
        t0 = time.monotonic()
        status, _, doc = self.api("POST", "/api/doors/ghost/unlock")
        self.assertLess(time.monotonic() - t0, 1)
        self.assertEqual(status, 503, doc)
        self.assertIn("not registered", doc["error"]["message"])


if __name__ == "__main__":
    unittest.main()
