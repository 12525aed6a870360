"""HTTPS: portier serves TLS with a configured certificate; the session cookie gets the Secure flag."""
import http.client
import json
import os
import ssl
import subprocess
import unittest

from portier_proc import Portier


class Tls(unittest.TestCase):
    def test_https_and_secure_cookie(self):
        p = Portier()
        try:
            cert, key = os.path.join(p.dir, "cert.pem"), os.path.join(p.dir, "key.pem")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                            "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
            with open(p.config) as f:
                text = f.read()
            with open(p.config, "w") as f:
                f.write(text.replace("http:\n", f"http:\n  tls:\n    cert: {cert}\n    key: {key}\n", 1))
            # start() polls /health over plain HTTP; poll over TLS instead.
            p.proc = subprocess.Popen([os.environ.get("PORTIER_BIN", "build/src/app/portier"), "serve", "--config",
                                       p.config], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            p.log = open(os.devnull, "wb")
            ctx = ssl.create_default_context(cafile=cert)
            ctx.check_hostname = False
            import time
            deadline = time.monotonic() + 10
            while True:
                try:
                    c = http.client.HTTPSConnection("127.0.0.1", p.port, context=ctx, timeout=5)
                    c.request("GET", "/health")
                    r = c.getresponse()
                    self.assertEqual(r.status, 200)
                    r.read()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            c.request("POST", "/api/auth/onboard", body=json.dumps({"username": "admin",
                                                                    "password": "admin password 1"}),
                      headers={"Content-Type": "application/json"})
            r = c.getresponse()
            r.read()
            self.assertEqual(r.status, 200)
            self.assertIn("Secure", r.getheader("Set-Cookie"))
            # Plain HTTP on the TLS port gets nothing useful and the server stays up.
            plain = http.client.HTTPConnection("127.0.0.1", p.port, timeout=5)
            with self.assertRaises(Exception):
                plain.request("GET", "/health")
                plain.getresponse().read()
            c2 = http.client.HTTPSConnection("127.0.0.1", p.port, context=ctx, timeout=5)
            c2.request("GET", "/health")
            self.assertEqual(c2.getresponse().status, 200)
        finally:
            p.cleanup()


if __name__ == "__main__":
    unittest.main(verbosity=2)
