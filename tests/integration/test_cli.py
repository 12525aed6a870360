"""The CLI contract: check-config exit codes and messages, user and token commands, restart keeps users."""
import os
import subprocess
import unittest

from portier_proc import PORTIER_BIN, Browser, Portier


def run(*args, stdin=None):
    return subprocess.run([PORTIER_BIN, *args], input=stdin, capture_output=True, text=True, timeout=30)


class Cli(unittest.TestCase):
    def setUp(self):
        self.p = Portier()

    def tearDown(self):
        self.p.cleanup()

    def test_version(self):
        r = run("version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^portier \d+\.\d+\.\d+")

    def test_check_config_ok_and_errors(self):
        r = run("check-config", self.p.config)
        self.assertEqual(r.returncode, 0, r.stderr)
        bad = os.path.join(self.p.dir, "bad.yaml")
        with open(bad, "w") as f:
            f.write("http:\n  listen: \"127.0.0.1:99999\"\n  bogus_key: 1\n")
        r = run("check-config", bad)
        self.assertEqual(r.returncode, 2)
        lines = r.stderr.strip().splitlines()
        self.assertTrue(any(l.startswith(f"{bad}:2:") for l in lines), r.stderr)
        self.assertTrue(any(l.startswith(f"{bad}:3:") and "bogus_key" in l for l in lines), r.stderr)
        r = run("check-config", os.path.join(self.p.dir, "missing.yaml"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("missing.yaml", r.stderr)

    def test_serve_refuses_bad_config(self):
        bad = os.path.join(self.p.dir, "bad.yaml")
        with open(bad, "w") as f:
            f.write("demo: maybe\n")
        r = run("serve", "--config", bad)
        self.assertEqual(r.returncode, 2)
        self.assertIn(f"{bad}:1:7:", r.stderr)

    def test_user_commands_and_restart_keeps_users(self):
        r = self.p.cli("user", "add", "alice", "--role", "admin", "--password-stdin", stdin="alice password 1\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.p.cli("user", "add", "alice", "--role", "admin", "--password-stdin", stdin="alice password 1\n")
        self.assertEqual(r.returncode, 1)
        self.assertIn("already exists", r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1)
        r = self.p.cli("user", "add", "bob", "--role", "resident", "--password-stdin", stdin="short\n")
        self.assertEqual(r.returncode, 1)
        self.assertIn("at least 10", r.stderr)
        r = self.p.cli("user", "add", "bob", "--role", "janitor", "--password-stdin", stdin="bob password 1\n")
        self.assertEqual(r.returncode, 2)
        r = self.p.cli("user", "add", "bob", "--password-stdin", stdin="bob password 1\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.p.cli("user", "list")
        self.assertEqual([l.split("\t")[:2] for l in r.stdout.splitlines()], [["alice", "admin"], ["bob", "resident"]])

        self.p.start()
        self.assertEqual(Browser(self.p).login("alice", "alice password 1")[0], 200)
        self.p.stop()
        self.p.start()  # restart: users are still there, onboarding is not offered again
        status, _, doc = self.p.json("GET", "/api/auth/state")
        self.assertFalse(doc["onboarding_required"])
        self.assertEqual(Browser(self.p).login("bob", "bob password 1")[0], 200)

        r = self.p.cli("user", "passwd", "bob", "--password-stdin", stdin="bob password 2\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(Browser(self.p).login("bob", "bob password 2")[0], 200)
        r = self.p.cli("user", "remove", "bob")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.p.cli("user", "remove", "bob")
        self.assertEqual(r.returncode, 1)

    def test_token_create_prints_token_alone(self):
        self.p.cli("user", "add", "alice", "--role", "admin", "--password-stdin", stdin="alice password 1\n")
        r = self.p.cli("token", "create", "--user", "alice")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"^ptk_[A-Za-z0-9_-]{43}\n$")
        r = self.p.cli("token", "create", "--user", "nobody")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")

    def test_password_never_on_command_line(self):
        r = self.p.cli("user", "add", "carol")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--password-stdin", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
