"""Portier connects to a real mosquitto over TLS (mqtt.tls with the broker's CA in mqtt.ca_file), and refuses a broker
whose certificate its CA does not vouch for."""
import os
import subprocess
import unittest

from mqtt_peers import Broker, add_device, mqtt_yaml, wait_until
from portier_proc import Portier, free_port


def self_signed(dir, name):
    cert, key = os.path.join(dir, f"{name}.pem"), os.path.join(dir, f"{name}.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days",
                    "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    return cert, key


class MqttTls(unittest.TestCase):
    def run_with_ca(self, trusted):
        port = free_port()
        p = Portier()
        try:
            cert, key = self_signed(p.dir, "broker")
            other, _ = self_signed(p.dir, "other")
            with open(p.config, "a") as f:
                f.write(mqtt_yaml(port, f"  tls: true\n  ca_file: {cert if trusted else other}\n"))
            broker = Broker(p.dir, os.path.join(p.dir, "data", "mqtt"), port)
            broker.write_conf()
            with open(broker.conf, "a") as f:
                f.write(f"certfile {cert}\nkeyfile {key}\n")
            broker.write_conf = lambda: None  # keep the TLS lines
            add_device(p, "tlslock")  # writes <data_dir>/mqtt/{passwd,acl} with Portier's account
            broker.start()
            try:
                p.start()
                r = p.cli("user", "add", "admin", "--role", "admin", "--password-stdin", stdin="admin password 1")
                token = p.cli("token", "create", "--user", "admin").stdout.strip()
                devices = lambda: p.json("GET", "/api/devices", headers={"Authorization": "Bearer " + token})[2]
                if trusted:
                    wait_until(lambda: devices()["connected"], 10, what="connected over TLS")
                else:
                    import time
                    time.sleep(3)
                    self.assertFalse(devices()["connected"])
                    self.assertIn("broker", p.read_log())
            finally:
                broker.kill()
        finally:
            p.cleanup()

    def test_tls_broker(self):
        self.run_with_ca(True)

    def test_untrusted_broker_certificate(self):
        self.run_with_ca(False)


if __name__ == "__main__":
    unittest.main()
