"""Onboarding, login, cookies, CSRF, lockout, API tokens, logout, password change, users — against real portier."""
import json
import unittest

from portier_proc import Browser, Portier, websocket_connect, websocket_read_text

ADMIN_PW = "admin password 1"


class AuthFlow(unittest.TestCase):
    def setUp(self):
        self.p = Portier().start()

    def tearDown(self):
        self.p.cleanup()

    def onboard(self):
        b = Browser(self.p)
        status, _, doc = b.call("POST", "/api/auth/onboard", {"username": "admin", "password": ADMIN_PW})
        self.assertEqual(status, 200, doc)
        return b

    def test_onboarding_creates_first_admin_once(self):
        status, _, doc = self.p.json("GET", "/api/auth/state")
        self.assertEqual((status, doc["onboarding_required"], doc["authenticated"]), (200, True, False))
        b = self.onboard()
        self.assertIn("HttpOnly", b.last_set_cookie)
        self.assertIn("SameSite=Strict", b.last_set_cookie)
        self.assertNotIn("Secure", b.last_set_cookie)  # plain HTTP here
        status, _, doc = b.call("GET", "/api/auth/state")
        self.assertEqual((doc["onboarding_required"], doc["authenticated"], doc["user"]["role"]), (False, True, "admin"))
        status, _, doc = Browser(self.p).call("POST", "/api/auth/onboard", {"username": "evil", "password": ADMIN_PW})
        self.assertEqual(status, 409)
        self.assertEqual(doc["success"], False)
        self.assertEqual(doc["error"]["code"], "conflict")

    def test_weak_password_rejected_at_onboarding(self):
        status, _, doc = Browser(self.p).call("POST", "/api/auth/onboard", {"username": "admin", "password": "short"})
        self.assertEqual(status, 400)
        self.assertEqual(doc["error"]["code"], "invalid_argument")

    def test_csrf_required_for_cookie_writes(self):
        b = self.onboard()
        status, _, doc = b.call("POST", "/api/tokens", {"label": "x"}, csrf=False)
        self.assertEqual(status, 403)
        self.assertEqual(doc["error"]["code"], "csrf")
        status, _, doc = b.call("POST", "/api/tokens", {"label": "x"}, headers={"X-CSRF-Token": "wrong"}, csrf=False)
        self.assertEqual(status, 403)
        status, _, doc = b.call("POST", "/api/tokens", {"label": "x"})
        self.assertEqual(status, 201, doc)

    def test_login_logout(self):
        self.onboard()
        b = Browser(self.p)
        status, _, doc = b.login("admin", ADMIN_PW)
        self.assertEqual(status, 200)
        self.assertTrue(doc["csrf_token"])
        self.assertEqual(b.call("GET", "/api/users")[0], 200)
        old_cookie = b.cookie
        status, _, _ = b.call("POST", "/api/auth/logout")
        self.assertEqual(status, 200)
        self.assertIsNone(b.cookie)
        b.cookie = old_cookie  # the old cookie must be dead on the server, not just in the browser
        status, _, doc = b.call("GET", "/api/users")
        self.assertEqual(status, 401)
        self.assertEqual(doc["error"]["code"], "unauthenticated")

    def test_uniform_errors_and_lockout(self):
        self.onboard()
        b = Browser(self.p)
        s1, _, d1 = b.login("admin", "wrong password")
        s2, _, d2 = b.login("nobody", "wrong password")
        self.assertEqual((s1, s2), (401, 401))
        self.assertEqual(d1, d2)  # unknown user and wrong password look the same
        for _ in range(4):  # five failures in all lock the account
            b.login("admin", "wrong password")
        status, headers, doc = b.login("admin", ADMIN_PW)  # right password, but locked (default 5 failures)
        self.assertEqual(status, 429, doc)
        self.assertEqual(doc["error"]["code"], "rate_limited")
        self.assertGreater(int(headers["Retry-After"]), 0)

    def test_api_token_from_cli_works_without_csrf(self):
        self.onboard()
        r = self.p.cli("token", "create", "--user", "admin", "--label", "script")
        self.assertEqual(r.returncode, 0, r.stderr)
        token = r.stdout.strip()
        self.assertEqual(len(r.stdout.strip().splitlines()), 1)
        status, _, doc = self.p.json("POST", "/api/users", {"username": "bob", "password": "bob password 1",
                                                              "role": "resident"},
                                     {"Authorization": "Bearer " + token})
        self.assertEqual(status, 201, doc)
        status, _, doc = self.p.json("GET", "/api/users", headers={"Authorization": "Bearer " + token + "x"})
        self.assertEqual(status, 401)
        # Token list shows last use; revoke through the API, then the token stops working.
        status, _, doc = self.p.json("GET", "/api/tokens", headers={"Authorization": "Bearer " + token})
        self.assertEqual(status, 200)
        tid = doc["tokens"][0]["id"]
        self.assertIsNotNone(doc["tokens"][0]["last_used_at"])
        status, _, _ = self.p.json("DELETE", f"/api/tokens/{tid}", headers={"Authorization": "Bearer " + token})
        self.assertEqual(status, 200)
        status, _, _ = self.p.json("GET", "/api/users", headers={"Authorization": "Bearer " + token})
        self.assertEqual(status, 401)

    def test_resident_cannot_manage_users_and_password_change(self):
        admin = self.onboard()
        status, _, doc = admin.call("POST", "/api/users", {"username": "carol", "password": "carol password",
                                                          "role": "resident"})
        self.assertEqual(status, 201, doc)
        carol = Browser(self.p)
        self.assertEqual(carol.login("carol", "carol password")[0], 200)
        status, _, doc = carol.call("GET", "/api/users")
        self.assertEqual(status, 403)
        status, _, doc = carol.call("POST", "/api/auth/password", {"current_password": "nope",
                                                                   "new_password": "carol new password"})
        self.assertEqual(status, 403)
        status, _, doc = carol.call("POST", "/api/auth/password", {"current_password": "carol password",
                                                                   "new_password": "carol new password"})
        self.assertEqual(status, 200, doc)
        self.assertEqual(Browser(self.p).login("carol", "carol new password")[0], 200)
        status, _, _ = admin.call("DELETE", "/api/users/carol")
        self.assertEqual(status, 200)
        self.assertEqual(Browser(self.p).login("carol", "carol new password")[0], 401)
        status, _, doc = admin.call("DELETE", "/api/users/admin")
        self.assertEqual(status, 409)

    def test_events_websocket_requires_auth(self):
        status_line, s = websocket_connect(self.p.port, "/api/events")
        s.close()
        self.assertIn("401", status_line)
        b = self.onboard()
        status_line, s = websocket_connect(self.p.port, "/api/events", {"Cookie": b.cookie})
        self.assertIn("101", status_line)
        hello = json.loads(websocket_read_text(s))
        self.assertEqual(hello["type"], "hello")
        self.assertEqual(hello["user"]["name"], "admin")
        s.close()
        # A cookie-authenticated handshake from a foreign origin is refused (cross-site WebSocket hijacking).
        status_line, s = websocket_connect(self.p.port, "/api/events",
                                           {"Cookie": b.cookie, "Origin": "http://evil.example"})
        s.close()
        self.assertIn("403", status_line)


if __name__ == "__main__":
    unittest.main(verbosity=2)
