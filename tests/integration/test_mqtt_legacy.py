"""The seed-compatible profile (legacy-doorlock): a client that speaks the door-lock-server seed's HTTP + MQTT
protocol (no broker credentials, anonymous subscription on a legacy-only listener) logs in, confirms its lifesign,
shows online, receives its trigger on unlock, and gets everything rotated at the next login."""
import os
import time
import unittest

from mqtt_peers import Broker, add_device, mosquitto_sub, mqtt_yaml, wait_until
from portier_proc import Portier, free_port

ADMIN_PW = "admin password 1"
DOOR = """doors:
  - id: guesthouse
    relay: {driver: mqtt, device: seedlock, output: 1}
"""
DEVICE_PW = "seed device password"


class MqttLegacy(unittest.TestCase):
    def setUp(self):
        self.port, self.legacy_port = free_port(), free_port()
        self.p = Portier(mqtt_yaml(self.port) + DOOR)
        self.addCleanup(self.p.cleanup)
        creds = add_device(self.p, "seedlock", "legacy-doorlock", DEVICE_PW)
        self.assertEqual((creds["protocol"], creds["password"]), ("legacy-doorlock", DEVICE_PW))
        self.broker = Broker(self.p.dir, os.path.join(self.p.dir, "data", "mqtt"), self.port,
                             legacy_port=self.legacy_port)
        self.addCleanup(self.broker.kill)
        self.broker.start()
        self.p.start()
        r = self.p.cli("user", "add", "admin", "--role", "admin", "--password-stdin", stdin=ADMIN_PW)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.token = self.p.cli("token", "create", "--user", "admin").stdout.strip()
        wait_until(lambda: self.api("GET", "/api/devices")[2]["connected"], 10, what="portier connected")

    def api(self, method, path, body=None):
        return self.p.json(method, path, body, {"Authorization": "Bearer " + self.token})

    def seed(self, path):
        status, _, doc = self.p.json("GET", path)
        self.assertEqual(status, 200, doc)
        return doc

    def device(self):
        return next(d for d in self.api("GET", "/api/devices")[2]["devices"] if d["name"] == "seedlock")

    def test_seed_client_round_trip(self):
        self.assertEqual(self.seed("/device_login?name=seedlock&password=wrong")["status"], "ERROR")
        self.assertEqual(self.seed("/device_login?name=nobody&password=x")["status"], "ERROR")
        self.assertEqual(self.seed("/device_ping?token=bogus")["status"], "ERROR")
        login = self.seed(f"/device_login?name=seedlock&password={DEVICE_PW.replace(' ', '%20')}")
        self.assertEqual(login["status"], "OK")
        self.assertEqual(set(login), {"status", "token", "lifesign", "trigger", "topic", "timeout"})
        self.assertEqual(len(login["token"]), 32)
        self.assertEqual(len(login["trigger"]), 64)
        self.assertFalse(self.device()["online"])
        door = self.api("POST", "/api/doors/guesthouse/unlock")
        self.assertEqual(door[0], 503, door[2])  # not confirmed yet: offline, fails fast
        # The seed device: anonymous, subscribes to its topic on the legacy listener.
        sub = mosquitto_sub(self.legacy_port, login["topic"], count=2, wait=8)
        time.sleep(0.5)
        self.assertEqual(self.seed(f"/device_ping?token={login['token']}")["status"], "OK")  # lifesign published
        self.assertEqual(self.seed(f"/device_lifesign_confirm?token={login['token']}")["status"], "OK")
        self.assertTrue(self.device()["online"])
        self.assertTrue(self.device()["insecure"])
        status, _, doc = self.api("POST", "/api/doors/guesthouse/unlock")
        self.assertEqual(status, 200, doc)
        out, err = sub.communicate(timeout=15)
        self.assertEqual(out.split(), [login["lifesign"], login["trigger"]], err)
        # The topic is never shown by the API.
        self.assertNotIn(login["topic"], str(self.api("GET", "/api/devices")[2]))
        # Every login rotates everything; the old token stops working.
        again = self.seed(f"/device_login?name=seedlock&password={DEVICE_PW.replace(' ', '%20')}")
        for key in ("token", "lifesign", "trigger", "topic"):
            self.assertNotEqual(again[key], login[key], key)
        self.assertEqual(self.seed(f"/device_lifesign_confirm?token={login['token']}")["status"], "ERROR")
        # Anonymous clients cannot publish (only Portier sends triggers).
        from mqtt_peers import mosquitto_pub
        watch = mosquitto_sub(self.legacy_port, again["topic"], count=1, wait=3)
        time.sleep(0.3)
        mosquitto_pub(self.legacy_port, again["topic"], "forged trigger")
        self.assertEqual(watch.communicate(timeout=10)[0], "")
        # Guessing passwords is throttled (before any hashing): the 11th failure in a row is refused outright.
        for _ in range(10):
            self.assertEqual(self.seed("/device_login?name=seedlock&password=guess")["status"], "ERROR")
        locked = self.seed(f"/device_login?name=seedlock&password={DEVICE_PW.replace(' ', '%20')}")
        self.assertEqual(locked["status"], "ERROR")
        self.assertIn("too many", locked["message"])


if __name__ == "__main__":
    unittest.main()
