"""Guest passes against a real portier in demo mode (simulated relays): a GET never moves a relay, a POST opens, use
limits are atomic under concurrency, revoked and unknown links look the same, rate limits, PIN lockout, the form
fallback without JavaScript, audit rows and the CLI."""
import concurrent.futures
import json
import os
import statistics
import subprocess
import time
import unittest
import urllib.parse

from portier_proc import Portier

ADMIN_PW = "admin password 1"
DEMO = "demo: true\nsip:\n  listen: []\ntimezone: Europe/Berlin\ndoors:\n  - id: front\n    hold: 1\n"
GENEROUS = ("guest_passes:\n  per_ip_per_minute: 100000\n  per_ip_burst: 100000\n"
            "  per_token_per_minute: 100000\n  per_token_burst: 100000\n")


def bearer(token):
    return {"Authorization": "Bearer " + token}


class PassesBase(unittest.TestCase):
    extra = GENEROUS

    def setUp(self):
        self.p = Portier(DEMO + self.extra).start()
        r = self.p.cli("user", "add", "admin", "--role", "admin", "--password-stdin", stdin=ADMIN_PW)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.token = self.p.cli("token", "create", "--user", "admin").stdout.strip()

    def tearDown(self):
        self.p.cleanup()

    def api(self, method, path, body=None, token=None):
        return self.p.json(method, path, body, bearer(token or self.token))

    def create(self, **fields):
        body = {"label": "Anna", "doors": ["front"]}
        body.update(fields)
        status, _, doc = self.api("POST", "/api/passes", body)
        self.assertEqual(status, 201, doc)
        self.assertTrue(doc["success"])
        path = urllib.parse.urlparse(doc["url"]).path
        self.assertRegex(path, r"^/g/[A-Za-z0-9_-]{43}$")
        return doc["pass"], path

    def relay(self, name="front.relay"):
        doc = self.api("GET", "/api/sim/lines")[2]
        return next(l for l in doc["lines"] if l["name"] == name)

    def open(self, path, door="front", pin=None, headers=None):
        body = {"door": door}
        if pin is not None:
            body["pin"] = pin
        return self.p.json("POST", path + "/open", body, headers)

    def audit(self):
        return self.api("GET", "/api/audit?limit=1000")[2]["audit"]


class GuestPasses(PassesBase):
    def test_get_never_opens_and_post_does(self):
        pas, path = self.create(max_uses=2)
        self.assertEqual(pas["status"], "active")
        self.assertEqual(pas["remaining_uses"], 2)
        before = self.relay()["changes"]
        # A link preview bot: GET (and a second GET with a bot user agent) never moves the relay.
        for ua in ("Mozilla/5.0", "WhatsApp/2.23 facebookexternalhit/1.1 Slackbot-LinkExpanding"):
            status, hdrs, body = self.p.request("GET", path, headers={"User-Agent": ua})
            self.assertEqual(status, 200)
            self.assertIn("text/html", hdrs["Content-Type"])
            self.assertIn("noindex", hdrs["X-Robots-Tag"])
            self.assertIn(b"Anna", body)
            self.assertIn(b'value="front"', body)
        time.sleep(0.2)
        self.assertEqual(self.relay()["changes"], before, "a GET moved the relay")
        self.assertEqual(self.relay()["value"], 0)

        status, _, doc = self.open(path)
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc, {"success": True, "door": "front", "remaining_uses": 1, "relock_at": doc["relock_at"]})
        self.assertEqual(self.relay()["value"], 1, "the relay did not open")
        status, _, doc = self.open(path)
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["remaining_uses"], 0)
        status, _, doc = self.open(path)
        self.assertEqual(status, 410)
        self.assertEqual(doc["error"]["code"], "pass_exhausted")
        self.assertEqual(self.p.request("GET", path)[0], 410)
        listed = {x["id"]: x for x in self.api("GET", "/api/passes")[2]["passes"]}
        self.assertEqual(listed[pas["id"]]["status"], "exhausted")
        self.assertEqual(listed[pas["id"]]["uses"], 2)

        rows = [r for r in self.audit() if r["actor_kind"] == "pass"]
        self.assertEqual([r["result"] for r in rows], ["granted", "granted", "denied"])
        self.assertTrue(all(r["actor"] == "Anna" and r["method"] == "pass" for r in rows))
        self.assertEqual(rows[-1]["detail"], "pass_exhausted")

    def test_concurrent_opens_on_a_one_use_pass_open_once(self):
        _, path = self.create(max_uses=1)
        before = self.relay()["changes"]
        with concurrent.futures.ThreadPoolExecutor(20) as pool:
            results = list(pool.map(lambda _: self.open(path)[0], range(20)))
        self.assertEqual(results.count(200), 1, results)
        self.assertEqual(results.count(410), 19, results)
        granted = [r for r in self.audit() if r["actor_kind"] == "pass" and r["result"] == "granted"]
        self.assertEqual(len(granted), 1)
        self.assertEqual(self.relay()["changes"], before + 1)

    def test_revoked_and_unknown_links_look_the_same(self):
        pas, path = self.create()
        status, _, doc = self.api("DELETE", f"/api/passes/{pas['id']}")
        self.assertEqual(status, 200)
        self.assertEqual(doc["pass"]["status"], "revoked")
        revoked = self.open(path)
        unknown = self.open("/g/" + "A" * 43)
        self.assertEqual(revoked[0], 410)
        self.assertEqual((revoked[0], revoked[2]), (unknown[0], unknown[2]))
        page_revoked = self.p.request("GET", path)
        page_unknown = self.p.request("GET", "/g/" + "A" * 43)
        self.assertEqual(page_revoked[0], 410)
        self.assertEqual(page_revoked[2].replace(path.encode(), b""), page_unknown[2].replace(b"A" * 43, b""))
        self.assertEqual(self.relay()["changes"], 0)

    def test_no_timing_difference_between_unknown_and_revoked(self):
        pas, path = self.create()
        self.api("DELETE", f"/api/passes/{pas['id']}")
        unknown_path = "/g/" + "B" * 43
        times = {"revoked": [], "unknown": []}
        for i in range(300):
            for kind, p in (("revoked", path), ("unknown", unknown_path)) if i % 2 else (
                    ("unknown", unknown_path), ("revoked", path)):
                t0 = time.perf_counter()
                status, _, _ = self.open(p)
                times[kind].append(time.perf_counter() - t0)
                self.assertEqual(status, 410)
        med = {k: statistics.median(v) for k, v in times.items()}
        diff = abs(med["revoked"] - med["unknown"])
        print(f"p50 revoked {med['revoked'] * 1e3:.3f} ms, unknown {med['unknown'] * 1e3:.3f} ms")
        self.assertLess(diff, max(0.001, 0.3 * min(med.values())), med)

    def test_not_yet_valid_expired_and_schedule(self):
        _, later = self.create(valid_from="2099-01-01T10:00", valid_until="2099-01-02T10:00")
        status, _, doc = self.open(later)
        self.assertEqual(status, 403)
        self.assertEqual(doc["error"]["code"], "pass_not_yet_valid")
        self.assertIn("2099", doc["error"]["message"])
        self.assertEqual(self.p.request("GET", later)[0], 403)

        pas, path = self.create()
        status, _, doc = self.api("PATCH", f"/api/passes/{pas['id']}",
                                  {"valid_from": "2020-01-01T00:00:00Z", "valid_until": "2020-01-02T00:00:00Z"})
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["pass"]["status"], "expired")
        self.assertEqual(doc["pass"]["valid_until"], "2020-01-02T01:00:00+01:00")  # shown in site time
        status, _, doc = self.open(path)
        self.assertEqual(status, 410)
        self.assertEqual(doc["error"]["code"], "pass_expired")

        # A schedule that never covers now: today's weekday excluded.
        today = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][time.gmtime().tm_wday]
        others = [d for d in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] if d != today]
        pas, path = self.create(schedule=[{"days": others, "from": "12:00", "to": "12:01"}])
        self.assertFalse(pas["open_now"])
        status, _, doc = self.open(path)
        self.assertEqual(status, 403)
        self.assertEqual(doc["error"]["code"], "outside_schedule")
        self.assertEqual(self.relay()["changes"], 0)

    def test_pin_and_lockout(self):
        _, path = self.create(pin="4321")
        status, _, doc = self.open(path)
        self.assertEqual((status, doc["error"]["code"]), (403, "pin_required"))
        for _ in range(4):
            status, _, doc = self.open(path, pin="0000")
            self.assertEqual((status, doc["error"]["code"]), (403, "wrong_pin"))
        status, hdrs, doc = self.open(path, pin="0000")
        self.assertEqual((status, doc["error"]["code"]), (429, "pin_locked"))
        self.assertGreater(int(hdrs["Retry-After"]), 800)
        status, _, doc = self.open(path, pin="4321")  # the right PIN is locked out too
        self.assertEqual((status, doc["error"]["code"]), (429, "pin_locked"))
        self.assertEqual(self.relay()["changes"], 0)
        _, path2 = self.create(pin="13579")
        self.assertEqual(self.open(path2, pin="13579")[0], 200)

    def test_form_post_without_javascript(self):
        _, path = self.create(label="Bob <script>")
        status, hdrs, body = self.p.request("POST", path + "/open", raw_body=b"door=front",
                                            headers={"Content-Type": "application/x-www-form-urlencoded",
                                                     "Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})
        self.assertEqual(status, 200)
        self.assertIn("text/html", hdrs["Content-Type"])
        text = body.decode()
        self.assertIn("ist offen", text)
        self.assertIn("Bob &lt;script&gt;", text)
        self.assertNotIn("<script>", text.replace('<script type="module" src="/js/guest.js"></script>', ""))
        self.assertEqual(self.relay()["value"], 1)

    def test_bad_input(self):
        for body, code in (({"label": "", "doors": ["front"]}, 400), ({"label": "x", "doors": ["nope"]}, 404),
                           ({"label": "x", "doors": ["front"], "valid_until": "tomorrow"}, 400),
                           ({"label": "x", "doors": ["front"], "pin": "12"}, 400),
                           ({"label": "x", "doors": ["front"], "pin": 1234}, 400),
                           ({"label": "x", "doors": ["front"], "max_uses": 0}, 400),
                           ({"label": "x", "doors": ["front"], "valid_from": "2030-01-02", "valid_until": "2030-01-01"},
                            400),
                           ({"label": "x", "doors": ["front"], "schedule": [{"days": ["xyz"]}]}, 400)):
            status, _, doc = self.api("POST", "/api/passes", body)
            self.assertEqual(status, code, (body, doc))
            self.assertFalse(doc["success"])
            self.assertTrue(doc["error"]["message"])
        _, path = self.create()
        status, _, doc = self.p.json("POST", path + "/open", raw_body=b"{not json",
                                     headers={"Content-Type": "application/json"})
        self.assertEqual(status, 400)
        status, _, doc = self.open(path, door="back")
        self.assertEqual((status, doc["error"]["code"]), (403, "door_not_allowed"))
        self.assertEqual(self.p.request("GET", "/api/passes")[0], 401)

    def test_resident_only_for_own_doors_and_own_passes(self):
        r = self.p.cli("user", "add", "res", "--role", "resident", "--password-stdin", stdin="resident pw 12")
        self.assertEqual(r.returncode, 0, r.stderr)
        res_token = self.p.cli("token", "create", "--user", "res").stdout.strip()
        status, _, doc = self.api("POST", "/api/passes", {"label": "x", "doors": ["front"]}, token=res_token)
        self.assertEqual(status, 403, doc)
        self.api("PUT", "/api/users/res/doors", {"doors": ["front"]})
        status, _, doc = self.api("POST", "/api/passes", {"label": "Cleaner"}, token=res_token)  # default: only door
        self.assertEqual(status, 201, doc)
        self.assertEqual(doc["pass"]["doors"], ["front"])
        admin_pass, _ = self.create()
        mine = self.api("GET", "/api/passes", token=res_token)[2]["passes"]
        self.assertEqual([x["label"] for x in mine], ["Cleaner"])
        self.assertEqual(self.api("DELETE", f"/api/passes/{admin_pass['id']}", token=res_token)[0], 404)

    def test_new_link_replaces_the_old_one_and_qr(self):
        pas, old = self.create()
        status, _, doc = self.api("POST", f"/api/passes/{pas['id']}/link")
        self.assertEqual(status, 200, doc)
        new = urllib.parse.urlparse(doc["url"]).path
        self.assertNotEqual(old, new)
        self.assertEqual(self.open(old)[0], 410)
        self.assertEqual(self.open(new)[0], 200)
        status, hdrs, png = self.p.request("GET", "/api/qr?format=png&text=" + urllib.parse.quote(doc["url"]),
                                           headers=bearer(self.token))
        self.assertEqual(status, 200)
        self.assertEqual(hdrs["Content-Type"], "image/png")
        self.assertTrue(png.startswith(b"\x89PNG\r\n\x1a\n"))
        status, hdrs, svg = self.p.request("GET", "/api/qr?text=hello", headers=bearer(self.token))
        self.assertEqual((status, hdrs["Content-Type"]), (200, "image/svg+xml"))
        self.assertIn(b"<svg", svg)

    def test_cli_create_list_revoke(self):
        r = self.p.cli("pass", "create", "--label", "Carla", "--door", "front", "--uses", "3", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        doc = json.loads(r.stdout)
        self.assertEqual(doc["pass"]["max_uses"], 3)
        path = urllib.parse.urlparse(doc["url"]).path
        r = self.p.cli("pass", "list")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Carla", r.stdout)
        self.assertIn("uses 0/3", r.stdout)
        r = self.p.cli("pass", "revoke", str(doc["pass"]["id"]))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.open(path)[0], 410)
        r = self.p.cli("pass", "revoke", "9999")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no such pass", r.stderr)
        cli_rows = [x for x in self.audit() if x["method"] == "cli" and x["action"].startswith("pass_")]
        self.assertEqual([x["action"] for x in cli_rows], ["pass_create", "pass_revoke"])


class RateLimits(PassesBase):
    extra = "guest_passes:\n  per_ip_per_minute: 60\n  per_ip_burst: 30\n"

    def test_random_tokens_are_denied_and_rate_limited(self):
        statuses = []
        for _ in range(1000):
            statuses.append(self.open("/g/" + os.urandom(32).hex()[:43])[0])
        self.assertNotIn(200, statuses)
        self.assertEqual(set(statuses), {410, 429})
        self.assertGreater(statuses.count(429), 900)
        self.assertLessEqual(statuses.count(410), 40)
        status, hdrs, _ = self.open("/g/" + "C" * 43)
        self.assertEqual(status, 429)
        self.assertGreaterEqual(int(hdrs["Retry-After"]), 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
