"""Browser-phone REST failures through `portier serve` (issue #8), without a browser: a malformed or unusable SDP offer
is a 400 with the guide's {"success":false,"error":...} shape and leaves the session usable; another user's session
is a 404 on every route (and absent from their list); an idle session times out (features.webrtc.session_timeout:
2) -- it leaves GET /api/webrtc/sessions and its user's event socket gets {"type":"webrtc","state":"ended",
"reason":"timeout"}; with features.webrtc off every route answers 503 "WebRTC is disabled"; a configured DTLS
certificate's fingerprint is the one in the SDP answer. Free ports only."""
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import unittest

from portier_proc import Portier, free_port, websocket_connect, websocket_read_text

PASSWORDS = {"alice": "alice password 1", "bob": "bob password 12"}

# A Chromium-like audio offer that the gateway accepts (used to show that a refused offer left the session usable).
GOOD_OFFER = "\r\n".join([
    "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
    "a=msid-semantic: WMS", "m=audio 9 UDP/TLS/RTP/SAVPF 111 0 8 101", "c=IN IP4 0.0.0.0", "a=rtcp:9 IN IP4 0.0.0.0",
    "a=ice-ufrag:abcd", "a=ice-pwd:abcdefghijklmnopqrstuvwx", "a=ice-options:trickle",
    "a=fingerprint:sha-256 " + ":".join(["AB"] * 32), "a=setup:actpass", "a=mid:0", "a=sendrecv", "a=rtcp-mux",
    "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1", "a=rtpmap:0 PCMU/8000",
    "a=rtpmap:8 PCMA/8000", "a=rtpmap:101 telephone-event/8000", "a=ssrc:1111 cname:test", ""])


def free_even_range(size):
    for _ in range(50):
        base = free_port() & ~1
        if base + size > 65535:
            continue
        try:
            for p in range(base, base + size):
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                    s.bind(("127.0.0.1", p))
            return base, base + size - 1
        except OSError:
            continue
    raise RuntimeError("no free port range")


def webrtc_yaml(enabled=True, timeout=3600, extra=""):
    lo, hi = free_even_range(16)
    return (f"sip:\n  listen:\n    - udp:127.0.0.1:{free_port()}\n"
            f"rtp:\n  bind_address: 127.0.0.1\n"
            f"features:\n  webrtc:\n    enabled: {'true' if enabled else 'false'}\n    verbose_logging: true\n"
            f"    session_timeout: {timeout}\n    rtp:\n      port_min: {lo}\n      port_max: {hi}\n" + extra)


class _Server(unittest.TestCase):
    enabled = True
    timeout = 3600

    def extra_yaml(self):
        return ""

    def setUp(self):
        self.p = Portier(webrtc_yaml(self.enabled, self.timeout, self.extra_yaml()))
        self.tokens = {}
        for user, pw in PASSWORDS.items():
            r = self.p.cli("user", "add", user, "--role", "resident", "--password-stdin", stdin=pw + "\n")
            self.assertEqual(r.returncode, 0, r.stderr)
        self.p.start()
        for user in PASSWORDS:
            r = self.p.cli("token", "create", "--user", user)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.tokens[user] = r.stdout.strip()

    def tearDown(self):
        if any(err for _, err in (getattr(getattr(self, "_outcome", None), "errors", None) or [])):
            print(self.p.read_log()[-4000:])
        self.p.cleanup()

    def api(self, user, method, path, body=None):
        status, _, doc = self.p.json(method, path, body, {"Authorization": "Bearer " + self.tokens[user]})
        return status, doc

    def session(self, user):
        status, doc = self.api(user, "POST", "/api/webrtc/session", {"extension": ""})
        self.assertEqual(status, 200, doc)
        self.assertTrue(doc["success"], doc)
        return doc["session"]["session_id"]

    def assert_error(self, got, status, pattern=None):
        self.assertEqual(got[0], status, got[1])
        self.assertEqual(got[1]["success"], False, got[1])
        self.assertIsInstance(got[1]["error"], str)
        self.assertTrue(got[1]["error"], got[1])
        if pattern:
            self.assertRegex(got[1]["error"], pattern)


class Failures(_Server):
    def test_malformed_and_unusable_offers_are_400_with_a_reason(self):
        sid = self.session("alice")
        cases = [
            ("not sdp at all", None),
            ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", "audio"),  # no m=audio
            (GOOD_OFFER.replace("a=ice-pwd:abcdefghijklmnopqrstuvwx\r\n", ""), "ice"),
            (GOOD_OFFER.replace("a=fingerprint:sha-256 " + ":".join(["AB"] * 32) + "\r\n", ""), "fingerprint"),
            (GOOD_OFFER.replace("UDP/TLS/RTP/SAVPF", "RTP/AVP"), None),
            ("v=0\r\n" + "m=audio x\r\n" * 3, None),
        ]
        for sdp, pattern in cases:
            with self.subTest(sdp=sdp[:40]):
                self.assert_error(self.api("alice", "POST", "/api/webrtc/offer", {"session_id": sid, "sdp": sdp}),
                                  400, f"(?i){pattern}" if pattern else None)
        self.assert_error(self.api("alice", "POST", "/api/webrtc/offer", {"session_id": sid}), 400, "sdp")
        self.assert_error(self.api("alice", "POST", "/api/webrtc/offer", {"session_id": sid, "sdp": 7}), 400, "sdp")
        # Nothing was left half-open: the same session takes a good offer and answers as ICE-lite.
        status, doc = self.api("alice", "POST", "/api/webrtc/offer", {"session_id": sid, "sdp": GOOD_OFFER})
        self.assertEqual(status, 200, doc)
        self.assertIn("a=ice-lite", doc["sdp"])
        self.assertIn("a=fingerprint:sha-256 ", doc["sdp"])
        status, doc = self.api("alice", "GET", "/api/webrtc/sessions")
        self.assertEqual([s["session_id"] for s in doc["sessions"]], [sid])

    def test_another_users_session_is_404_everywhere(self):
        sid = self.session("alice")
        routes = [
            ("POST", "/api/webrtc/offer", {"session_id": sid, "sdp": GOOD_OFFER}),
            ("POST", "/api/webrtc/candidate",
             {"session_id": sid, "candidate": {"candidate": "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host",
                                               "sdpMid": "0", "sdpMLineIndex": 0}}),
            ("POST", "/api/webrtc/call", {"session_id": sid, "target_extension": "1001"}),
            ("POST", "/api/webrtc/answer", {"session_id": sid, "call_id": "call-1"}),
            ("POST", "/api/webrtc/decline", {"session_id": sid, "call_id": "call-1"}),
            ("POST", "/api/webrtc/hangup", {"session_id": sid}),
            ("POST", "/api/webrtc/dtmf", {"session_id": sid, "digits": "5"}),
            ("DELETE", f"/api/webrtc/session/{sid}", None),
        ]
        for method, path, body in routes:
            with self.subTest(path=path):
                self.assert_error(self.api("bob", method, path, body), 404)
        self.assertEqual(self.api("bob", "GET", "/api/webrtc/sessions")[1]["sessions"], [])
        # ...and it is still alice's, untouched.
        status, doc = self.api("alice", "GET", "/api/webrtc/sessions")
        self.assertEqual([(s["session_id"], s["state"]) for s in doc["sessions"]], [(sid, "new")])
        self.assertEqual(self.api("alice", "DELETE", f"/api/webrtc/session/{sid}")[0], 200)
        self.assert_error(self.api("alice", "DELETE", f"/api/webrtc/session/{sid}"), 404)


class Timeout(_Server):
    timeout = 2

    def test_an_idle_session_times_out_and_its_user_is_told(self):
        ws_status, ws = websocket_connect(self.p.port, "/api/events",
                                          {"Authorization": "Bearer " + self.tokens["alice"]}, timeout=10)
        self.assertIn("101", ws_status)
        ws_bob_status, ws_bob = websocket_connect(self.p.port, "/api/events",
                                                  {"Authorization": "Bearer " + self.tokens["bob"]}, timeout=10)
        self.assertIn("101", ws_bob_status)
        try:
            self.assertEqual(json.loads(websocket_read_text(ws))["type"], "hello")
            self.assertEqual(json.loads(websocket_read_text(ws_bob))["type"], "hello")
            sid = self.session("alice")
            kept = self.session("bob")
            started = time.monotonic()
            # bob keeps his session alive with requests (each is activity); alice's stays idle.
            ended = None
            ws.settimeout(0.5)
            while time.monotonic() - started < 8 and ended is None:
                self.assertEqual(self.api("bob", "GET", "/api/webrtc/sessions")[0], 200)
                self.api("bob", "POST", "/api/webrtc/hangup", {"session_id": kept})  # activity on bob's session
                try:
                    event = json.loads(websocket_read_text(ws))
                except socket.timeout:
                    continue
                if event.get("type") == "webrtc":
                    ended = event
            elapsed = time.monotonic() - started
            self.assertIsNotNone(ended, "no webrtc event within 8 s")
            self.assertEqual((ended["session_id"], ended["state"], ended["reason"]), (sid, "ended", "timeout"))
            self.assertGreaterEqual(elapsed, 1.5, "ended before the 2 s timeout")
            self.assertNotIn("id", ended)  # phone events are not stored in the history
            self.assertEqual(self.api("alice", "GET", "/api/webrtc/sessions")[1]["sessions"], [])
            self.assert_error(self.api("alice", "POST", "/api/webrtc/offer", {"session_id": sid, "sdp": GOOD_OFFER}),
                              404)
            # bob's active session survived, and bob was not told about alice's.
            self.assertEqual([s["session_id"] for s in self.api("bob", "GET", "/api/webrtc/sessions")[1]["sessions"]],
                             [kept])
            ws_bob.settimeout(0.3)
            with self.assertRaises(socket.timeout):
                print("bob got", websocket_read_text(ws_bob))
        finally:
            ws.close()
            ws_bob.close()


class ConfiguredCertificate(_Server):
    """features.webrtc.dtls_certificate/dtls_private_key: the answer carries that certificate's fingerprint."""

    def extra_yaml(self):
        self.cert_dir = tempfile.mkdtemp(prefix="portier-dtls-")
        self.cert = os.path.join(self.cert_dir, "dtls.pem")
        self.key = os.path.join(self.cert_dir, "dtls.key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-keyout", self.key, "-out", self.cert, "-days", "30", "-subj", "/CN=door"],
                       check=True, capture_output=True)
        return f"    dtls_certificate: {self.cert}\n    dtls_private_key: {self.key}\n"

    def tearDown(self):
        super().tearDown()
        shutil.rmtree(self.cert_dir, ignore_errors=True)

    def test_the_answer_carries_the_configured_certificates_fingerprint(self):
        out = subprocess.run(["openssl", "x509", "-in", self.cert, "-noout", "-fingerprint", "-sha256"],
                             check=True, capture_output=True, text=True).stdout
        expected = out.strip().split("=", 1)[1].upper()
        sid = self.session("alice")
        status, doc = self.api("alice", "POST", "/api/webrtc/offer", {"session_id": sid, "sdp": GOOD_OFFER})
        self.assertEqual(status, 200, doc)
        self.assertIn("a=fingerprint:sha-256 " + expected + "\r\n", doc["sdp"])


class Disabled(_Server):
    enabled = False

    def test_every_route_is_503_when_webrtc_is_off(self):
        routes = [
            ("POST", "/api/webrtc/session", {"extension": ""}),
            ("POST", "/api/webrtc/offer", {"session_id": "x", "sdp": GOOD_OFFER}),
            ("POST", "/api/webrtc/call", {"session_id": "x", "target_extension": "1001"}),
            ("GET", "/api/webrtc/sessions", None),
            ("GET", "/api/webrtc/config", None),
        ]
        for method, path, body in routes:
            with self.subTest(path=path):
                self.assert_error(self.api("alice", method, path, body), 503, "WebRTC is disabled")
        status, _, doc = self.p.json("POST", "/api/webrtc/session", {"extension": ""})
        self.assertEqual(status, 401, doc)  # authentication still comes first


if __name__ == "__main__":
    unittest.main()
