"""Device accounts on a real mosquitto: a device's credentials cannot read or write another device's topics (the
broker denies it), wrong credentials are refused, and rotate/remove take effect on the broker."""
import os
import time
import unittest

from mqtt_peers import (BROKER_PASSWORD, BROKER_USER, Broker, add_device, mosquitto_pub, mosquitto_sub, mqtt_yaml,
                        wait_until)
from portier_proc import Portier, free_port


class MqttAcl(unittest.TestCase):
    def setUp(self):
        self.port = free_port()
        self.p = Portier(mqtt_yaml(self.port))
        self.addCleanup(self.p.cleanup)
        self.a = add_device(self.p, "alpha")
        self.b = add_device(self.p, "bravo")
        self.broker = Broker(self.p.dir, os.path.join(self.p.dir, "data", "mqtt"), self.port)
        self.addCleanup(self.broker.kill)
        self.broker.start()

    def test_device_confined_to_its_topics(self):
        # alpha listens on bravo's command topic (and on everything), then Portier's account publishes there.
        spy = mosquitto_sub(self.port, "portier/bravo/cmd", "alpha", self.a["password"], count=1, wait=3)
        spy_all = mosquitto_sub(self.port, "portier/#", "alpha", self.a["password"], count=1, wait=3)
        own = mosquitto_sub(self.port, "portier/alpha/cmd", "alpha", self.a["password"], count=1, wait=5)
        time.sleep(0.5)
        mosquitto_pub(self.port, "portier/bravo/cmd", "for bravo", BROKER_USER, BROKER_PASSWORD)
        mosquitto_pub(self.port, "portier/alpha/cmd", "for alpha", BROKER_USER, BROKER_PASSWORD)
        self.assertEqual(spy.communicate(timeout=10)[0], "")
        self.assertNotIn("for bravo", spy_all.communicate(timeout=10)[0])
        self.assertEqual(own.communicate(timeout=10)[0].strip(), "for alpha")  # positive control
        # alpha cannot write bravo's ack or status; its own ack goes through.
        watch = mosquitto_sub(self.port, "portier/+/ack", BROKER_USER, BROKER_PASSWORD, count=1, wait=5)
        time.sleep(0.5)
        mosquitto_pub(self.port, "portier/bravo/ack", "forged", "alpha", self.a["password"])
        mosquitto_pub(self.port, "portier/alpha/ack", "genuine", "alpha", self.a["password"])
        self.assertEqual(watch.communicate(timeout=10)[0].strip(), "genuine")

    def test_wrong_credentials_refused_and_rotation(self):
        r = mosquitto_pub(self.port, "portier/alpha/ack", "x", "alpha", "wrong password")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("not authorised", (r.stderr + r.stdout).lower().replace("authorized", "authorised"))
        r = mosquitto_pub(self.port, "portier/alpha/ack", "x")  # anonymous
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(mosquitto_pub(self.port, "portier/alpha/ack", "x", "alpha", self.a["password"]).returncode, 0)
        # rotate: the CLI rewrites passwd and signals the broker through the pid file.
        r = self.p.cli("device", "rotate", "alpha")
        self.assertEqual(r.returncode, 0, r.stderr)
        import json
        new = json.loads(r.stdout)
        self.assertNotEqual(new["password"], self.a["password"])
        self.assertNotEqual(new["command_key"], self.a["command_key"])
        wait_until(lambda: mosquitto_pub(self.port, "portier/alpha/ack", "x", "alpha",
                                         self.a["password"]).returncode != 0, 5, what="old password refused")
        self.assertEqual(mosquitto_pub(self.port, "portier/alpha/ack", "x", "alpha", new["password"]).returncode, 0)
        r = self.p.cli("device", "remove", "bravo")
        self.assertEqual(r.returncode, 0, r.stderr)
        wait_until(lambda: mosquitto_pub(self.port, "portier/bravo/ack", "x", "bravo",
                                         self.b["password"]).returncode != 0, 5, what="removed device refused")
        self.assertEqual(self.p.cli("device", "remove", "bravo").returncode, 1)
        r = self.p.cli("device", "add", "Bad/Name")
        self.assertNotEqual(r.returncode, 0)


if __name__ == "__main__":
    unittest.main()
