"""The SIP registrar inside `portier serve`: extensions from the CLI, a real sipp REGISTER with digest, the
registrations API, registration events, and persistence across a restart."""
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from portier_proc import Portier, free_port

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIO = os.path.join(HERE, "..", "interop", "sipp", "register_digest.xml")


def bearer(token):
    return {"Authorization": "Bearer " + token}


@unittest.skipUnless(shutil.which("sipp"), "sipp (Debian sip-tester) is not installed")
class SipRegistrar(unittest.TestCase):
    def setUp(self):
        self.sip_port = free_port()
        self.p = Portier(f"sip:\n  domain: portier.test\n  listen:\n    - udp:127.0.0.1:{self.sip_port}\n"
                         f"    - tcp:127.0.0.1:{self.sip_port}\n")
        r = self.p.cli("user", "add", "admin", "--role", "admin", "--password-stdin", stdin="admin password 1")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.p.cli("extension", "add", "7002", "--role", "resident", "--name", "Kitchen", "--password-stdin",
                       stdin="phone secret 7002\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.p.start()
        self.token = self.p.cli("token", "create", "--user", "admin").stdout.strip()
        self.work = tempfile.mkdtemp(prefix="portier-sipp-")

    def tearDown(self):
        self.p.cleanup()
        shutil.rmtree(self.work, ignore_errors=True)

    def sipp(self, password, transport="u1"):
        cmd = ["sipp", "-sf", SCENARIO, "-i", "127.0.0.1", "-p", str(free_port()), "-t", transport, "-s", "7002",
               "-au", "7002", "-ap", password, "-m", "1", "-nostdin", "-timeout", "15s", "-timeout_error",
               f"127.0.0.1:{self.sip_port}"]
        return subprocess.run(cmd, cwd=self.work, capture_output=True, text=True, timeout=40)

    def registrations(self):
        status, _, doc = self.p.json("GET", "/api/sip/registrations", headers=bearer(self.token))
        self.assertEqual(status, 200, doc)
        return doc["registrations"]

    def test_register_with_digest_and_persist(self):
        r = self.sipp("phone secret 7002")
        self.assertEqual(r.returncode, 0, r.stdout[-2000:])
        regs = self.registrations()
        self.assertEqual(len(regs), 1, regs)
        reg = regs[0]
        self.assertEqual(reg["extension"], "7002")
        self.assertEqual(reg["transport"], "udp")
        self.assertTrue(reg["source"].startswith("udp:127.0.0.1:"), reg)
        self.assertGreater(reg["expires"], 0)
        events = self.p.json("GET", "/api/events/history?type=registered", headers=bearer(self.token))[2]["events"]
        self.assertEqual(events[0]["actor"], "7002")
        # Restart: the binding comes back from the store.
        self.p.stop()
        self.p.start()
        self.assertEqual([x["extension"] for x in self.registrations()], ["7002"])
        r = self.p.cli("sip")
        self.assertIn("7002", r.stdout)
        # Bindings are written behind (one transaction per 200 ms), so a crash a second later loses nothing either.
        r = self.sipp("phone secret 7002", transport="t1")
        self.assertEqual(r.returncode, 0, r.stdout[-2000:])
        self.assertEqual(sorted(x["transport"] for x in self.registrations()), ["tcp", "udp"])
        time.sleep(1)
        self.p.stop(signal.SIGKILL)
        self.p.start()
        self.assertEqual(sorted(x["transport"] for x in self.registrations()), ["tcp", "udp"])

    def test_wrong_password_is_not_registered(self):
        r = self.sipp("wrong password")
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(self.registrations(), [])
        status, _, _ = self.p.json("GET", "/health")
        self.assertEqual(status, 200)

    def test_register_over_tcp(self):
        r = self.sipp("phone secret 7002", transport="t1")
        self.assertEqual(r.returncode, 0, r.stdout[-2000:])
        self.assertEqual([x["transport"] for x in self.registrations()], ["tcp"])

    def test_extensions_api_and_cli_errors(self):
        status, _, doc = self.p.json("GET", "/api/sip/extensions", headers=bearer(self.token))
        self.assertEqual(status, 200)
        self.assertEqual(doc["extensions"][0]["number"], "7002")
        self.assertEqual(len(doc["listening"]), 2)
        r = self.p.cli("extension", "add", "7002", "--password-stdin", stdin="another secret\n")
        self.assertEqual(r.returncode, 1)
        self.assertIn("exists", r.stderr)
        r = self.p.cli("extension", "add", "bad number", "--password-stdin", stdin="another secret\n")
        self.assertEqual(r.returncode, 2)
        r = self.p.cli("extension", "add", "7003", "--role", "door", "--password-stdin", stdin="short\n")
        self.assertEqual(r.returncode, 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
