"""Door calls through `portier serve` with real sipp peers on loopback (issue #7): a door station calls its ring
group of three phones (first answer wins, the others are CANCELled, the call limit ends the call with BYE), the
ring timeout leads to a recorded visitor message, a resident's RFC 4733 '#' opens the door (audited as dtmf with the
extension), and the simulated call button makes Portier call the door station and the group. Every test picks free
ports, so the file runs in parallel with others; each sipp has a timeout."""
import os
import shutil
import socket
import subprocess
import tempfile
import time
import unittest
import wave
import json
import math
import struct

from portier_proc import Portier, free_port, free_port_pair, udp_ports_held
from rtp_peer import RtpPeer, goertzel_ratio

HERE = os.path.dirname(os.path.abspath(__file__))
SIPP_DIR = os.path.join(HERE, "..", "interop", "sipp")
PCAP_DIR = "/usr/share/sip-tester"
AUDIO = os.path.join(PCAP_DIR, "g711a.pcap")
POUND = os.path.join(PCAP_DIR, "dtmf_2833_pound.pcap")
PASSWORD = "phone-secret-{}"  # no spaces: baresip account lines cannot carry them
SIPP_FATAL = 254  # sipp's exit status for a fatal error before any call, e.g. a port it cannot bind


def bearer(token):
    return {"Authorization": "Bearer " + token}


def free_even_range(size=40):
    """A block of `size` ports that are free right now (the relay skips ports others take later anyway)."""
    for _ in range(50):
        base = free_port() & ~1
        if base + size > 65535:
            continue
        ok = True
        for p in range(base, base + size):
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                try:
                    s.bind(("127.0.0.1", p))
                except OSError:
                    ok = False
                    break
        if ok:
            return base, base + size - 1
    raise RuntimeError("no free port range")


@unittest.skipUnless(shutil.which("sipp") and os.path.exists(AUDIO), "sipp (Debian sip-tester) is not installed")
class DoorCalls(unittest.TestCase):
    call_limit = 4
    ring_timeout = 10
    visitor_message = "false"
    rtp_ports = 40
    answer = "first"
    strategy = "parallel"
    idle_timeout = 30
    extra_yaml = ""

    def setUp(self):
        self.sip_port = free_port()
        self.rtp_min, self.rtp_max = free_even_range(self.rtp_ports)
        self.work = tempfile.mkdtemp(prefix="portier-calls-")
        yaml = (f"demo: true\n"
                f"sip:\n  domain: portier.test\n  listen:\n    - udp:127.0.0.1:{self.sip_port}\n"
                f"rtp:\n  bind_address: 127.0.0.1\n  port_min: {self.rtp_min}\n  port_max: {self.rtp_max}\n"
                f"  idle_timeout: {self.idle_timeout}\n"
                f"calls:\n  visitor_message_max: 2\n"
                f"ring_groups:\n  - id: \"7000\"\n    members: [\"7002\", \"7003\", \"7004\", \"webrtc:alice\"]\n"
                f"    ring_timeout: {self.ring_timeout}\n    answer: {self.answer}\n"
                f"    strategy: {self.strategy}\n    member_timeout: 2\n"
                f"doors:\n  - id: front\n    station: \"7001\"\n    ring_group: \"7000\"\n"
                f"    call_limit: {self.call_limit}\n    visitor_message: {self.visitor_message}\n"
                + self.extra_yaml)
        self.p = Portier(yaml)
        r = self.p.cli("user", "add", "admin", "--role", "admin", "--password-stdin", stdin="admin password 1")
        self.assertEqual(r.returncode, 0, r.stderr)
        for ext, role in (("7001", "door"), ("7002", "resident"), ("7003", "resident"), ("7004", "resident")):
            r = self.p.cli("extension", "add", ext, "--role", role, "--name", "x" + ext, "--password-stdin",
                           stdin=PASSWORD.format(ext) + "\n")
            self.assertEqual(r.returncode, 0, r.stderr)
        self.p.start()
        self.token = self.p.cli("token", "create", "--user", "admin").stdout.strip()
        self.procs = []

    def tearDown(self):
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if self._outcome_failed():
            log = self.p.read_log()
            if os.environ.get("PORTIER_CALLS_LOG"):
                with open(os.environ["PORTIER_CALLS_LOG"], "w") as f:
                    f.write(log)
            print(log[-6000:])
            if os.environ.get("PORTIER_CALLS_LOG"):
                shutil.copytree(self.work, os.environ["PORTIER_CALLS_LOG"] + ".sipp", dirs_exist_ok=True)
        self.p.cleanup()
        shutil.rmtree(self.work, ignore_errors=True)

    def _outcome_failed(self):
        outcome = getattr(self, "_outcome", None)
        errors = getattr(outcome, "errors", None) or []
        return any(err for _, err in errors) or bool(getattr(getattr(outcome, "result", None), "failures", []))

    # --- peers ------------------------------------------------------------------------------------------------
    def scenario(self, name, **subs):
        with open(os.path.join(SIPP_DIR, name)) as f:
            text = f.read()
        values = {"DIAL": "7000", "BYE_TIMEOUT": "20000", "ANSWER_MS": "500", "HOLD_MS": "1000",
                  "OFFER_RE": "m=audio [0-9]+ RTP/AVP 8 0 101", "MEDIA_PORT": "[auto_media_port]", "PCAP": AUDIO,
                  "STATUS": "200", "BODY": "", "PLAY_IN_ROOM": ""}
        values.update({k.upper(): str(v) for k, v in subs.items()})
        values.setdefault("PLAY", "" if subs.get("media_port") else
                          f'  <nop><action><exec play_pcap_audio="{values["PCAP"]}"/></action></nop>')
        for k, v in values.items():
            text = text.replace("@" + k + "@", v)
        path = os.path.join(self.work, f"{len(os.listdir(self.work))}-{name}")
        with open(path, "w") as f:
            f.write(text)
        return path

    def register(self, ext):
        for _ in range(5):
            port = free_port()
            cmd = ["sipp", "-sf", os.path.join(SIPP_DIR, "register_digest.xml"), "-i", "127.0.0.1", "-p", str(port),
                   "-s", ext, "-au", ext, "-ap", PASSWORD.format(ext), "-m", "1", "-nostdin", "-timeout", "10s",
                   "-timeout_error", f"127.0.0.1:{self.sip_port}"]
            r = subprocess.run(cmd, cwd=self.work, capture_output=True, text=True, timeout=30)
            if r.returncode != SIPP_FATAL:
                break
        self.assertEqual(r.returncode, 0, r.stdout[-2000:])
        return port

    def spawn_sipp(self, make_cmd):
        """Starts sipp; when it dies at once with its fatal-error status (a port that another test bound between
        free_port() and sipp's bind), starts it again with fresh ports."""
        for attempt in range(5):
            proc = subprocess.Popen(make_cmd(), cwd=self.work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True)
            try:
                proc.wait(timeout=0.3)
            except subprocess.TimeoutExpired:
                break
            if proc.returncode != SIPP_FATAL or attempt == 4:
                break
            proc.communicate()
        self.procs.append(proc)
        return proc

    def uas(self, port, scenario, **subs):
        path = self.scenario(scenario, **subs)
        return self.spawn_sipp(lambda: ["sipp", "-sf", path, "-i", "127.0.0.1", "-p", str(port), "-m", "1",
                                        "-nostdin", "-timeout", "40s", "-timeout_error", "-mp", str(free_port()),
                                        "-rtp_echo", "-trace_err"])

    def door(self, scenario="calls_door_uac.xml", ext="7001", **subs):
        path = self.scenario(scenario, **subs)
        return self.spawn_sipp(lambda: ["sipp", "-sf", path, "-i", "127.0.0.1", "-p", str(free_port()), "-s", ext,
                                        "-au", ext, "-ap", PASSWORD.format(ext), "-m", "1", "-nostdin", "-timeout",
                                        "40s", "-timeout_error", "-mp", str(free_port()), "-trace_err",
                                        f"127.0.0.1:{self.sip_port}"])

    def finish(self, proc, name, timeout=45):
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
        if proc.returncode != 0:
            errors = ""
            for f in sorted(os.listdir(self.work)):
                if f.endswith("_errors.log"):
                    with open(os.path.join(self.work, f), errors="replace") as log:
                        errors += log.read()[-2000:]
            self.fail(f"{name}: sipp exited {proc.returncode}: {out[-1500:]}\n{errors}")

    # --- API --------------------------------------------------------------------------------------------------
    def get(self, path):
        status, _, doc = self.p.json("GET", path, headers=bearer(self.token))
        self.assertEqual(status, 200, doc)
        return doc

    def events(self, type_):
        return self.get(f"/api/events/history?type={type_}")["events"]

    def wait_for(self, what, fn, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            v = fn()
            if v:
                return v
            time.sleep(0.1)
        self.fail("timed out waiting for " + what)

    def tones_both_ways(self, door_rtp, member_rtp, door_scenario, door_subs, member_subs):
        """Resident 7002 (a sipp UAS whose SDP names `member_rtp`) answers the door (a sipp UAC whose SDP names
        `door_rtp`): the door hears ringback (425 Hz) first — from it the door peer learns the relay's address — then
        the door sends 1 kHz and the resident 1.5 kHz; each must hear the other's tone (Goertzel) and not its own."""
        self.addCleanup(door_rtp.close)
        self.addCleanup(member_rtp.close)
        port = self.register("7002")
        answer = self.uas(port, "calls_member_answer.xml", answer_ms=1500, media_port=member_rtp.port, **member_subs)
        start = time.monotonic()
        door = self.door(door_scenario, hold_ms=5000, media_port=door_rtp.port, **door_subs)
        self.wait_for("ringback", lambda: door_rtp.packets_in > 10)
        ringback, ratio = door_rtp.heard(425, start, min_ratio=0.6)
        self.assertTrue(ringback, f"ringback 425 Hz ratio {ratio:.2f}")
        door_rtp.send_tone(1000, 4.5)
        self.wait_for("the door's audio at the resident", lambda: member_rtp.packets_in > 10)
        answered = time.monotonic()
        member_rtp.send_tone(1500, 3.0)
        self.finish(door, "door")
        self.finish(answer, "7002")
        heard, ratio = member_rtp.heard(1000, answered)
        self.assertTrue(heard, f"resident: 1 kHz ratio {ratio:.2f}")
        heard, ratio = door_rtp.heard(1500, answered)
        self.assertTrue(heard, f"door: 1.5 kHz ratio {ratio:.2f}")
        self.assertFalse(member_rtp.heard(1500, answered)[0])
        self.assertFalse(door_rtp.heard(1000, answered)[0])

    def resident_keys_pound(self, door_scenario, door_subs, member_subs):
        """Resident 7002 (a sipp UAS) answers the door's call and plays an RFC 4733 '#' (pcap); returns the audit rows
        of method dtmf once the call_dtmf event named 7002 and a matching code."""
        port = self.register("7002")
        answer = self.uas(port, "calls_member_answer.xml", answer_ms=200, pcap=POUND, **member_subs)
        door = self.door(door_scenario, hold_ms=3000, **door_subs)
        self.finish(door, "door")
        self.finish(answer, "7002")
        dtmf = self.wait_for("call_dtmf", lambda: self.events("call_dtmf"))
        self.assertEqual(dtmf[0]["actor"], "7002")
        self.assertIn("match", dtmf[0]["detail"])
        return self.wait_for("audit row", lambda: [r for r in self.get("/api/audit")["audit"]
                                                   if r["method"] == "dtmf"])

    def relay_ports_free(self):
        """The relay ports Portier still holds (empty when every call's ports were released). Read from /proc, so
        ports of the range that other tests' peers bind meanwhile do not count."""
        return udp_ports_held(self.p.proc.pid, self.rtp_min, self.rtp_max)


class ParallelRingGroup(DoorCalls):
    def test_first_answer_wins_others_cancelled_call_limit_bye(self):
        ports = {ext: self.register(ext) for ext in ("7002", "7003", "7004")}
        answer = self.uas(ports["7002"], "calls_member_answer.xml", answer_ms=800)
        cancel3 = self.uas(ports["7003"], "uas_cancel.xml")
        cancel4 = self.uas(ports["7004"], "uas_cancel.xml")
        time.sleep(0.3)
        started = time.monotonic()
        door = self.door()
        calls = self.wait_for("an answered call", lambda: [c for c in self.get("/api/calls")["calls"]
                                                           if c["state"] == "answered"])
        self.assertEqual(calls[0]["door"], "front")
        self.assertEqual({l["role"] for l in calls[0]["legs"]}, {"door", "member"})
        self.assertEqual([l["extension"] for l in calls[0]["legs"] if l["role"] == "member"], ["7002"])
        self.finish(cancel3, "7003 (cancelled)")
        self.finish(cancel4, "7004 (cancelled)")
        self.finish(door, "door")
        self.finish(answer, "7002 (answered)")
        elapsed = time.monotonic() - started
        self.assertGreaterEqual(elapsed, self.call_limit, "the call limit ended the call early")
        self.assertLess(elapsed, self.call_limit + 6)
        self.assertEqual(self.events("call_answered")[0]["actor"], "7002")
        ended = self.wait_for("call_ended", lambda: self.events("call_ended"))
        self.assertEqual(ended[0]["reason"], "call_limit", ended)
        self.assertGreaterEqual(ended[0]["duration"], self.call_limit)
        self.assertEqual(self.get("/api/calls")["calls"], [])
        self.wait_for("relay ports released", lambda: not self.relay_ports_free())
        # Media flowed both ways through the relay: the door's PCMA reached the resident and its echo came back.
        log = self.p.read_log()
        line = [l for l in log.splitlines() if "ended: call_limit" in l][-1]
        counts = [int(w.split("=")[1]) for w in line.split() if w.startswith(("in=", "out="))]
        self.assertEqual(len(counts), 4, line)
        self.assertTrue(all(c > 20 for c in counts), line)


class DtmfOpensDoor(DoorCalls):
    def test_pound_from_resident_opens_door_audited_as_dtmf(self):
        audit = self.resident_keys_pound("calls_door_uac_bye.xml", {}, {})
        self.assertEqual(audit[0]["actor_kind"], "dtmf")
        self.assertEqual(audit[0]["actor"], "7002")
        self.assertEqual(audit[0]["door"], "front")
        self.assertEqual(audit[0]["result"], "granted")
        self.assertTrue(self.events("unlocked"))
        ended = self.wait_for("call_ended", lambda: self.events("call_ended"))
        self.assertEqual(ended[0]["reason"], "door_hangup")


class TalkToDoor(DoorCalls):
    def test_resident_dials_the_station_which_auto_answers(self):
        """breakonthru's "Talk to Front Door": 7002 dials the station's extension; Portier calls the station (it
        answers at once), bridges, and the resident's '#' (RFC 4733 from a pcap) opens that door."""
        station = self.uas(self.register("7001"), "calls_member_answer.xml", answer_ms=100)
        resident = self.door("calls_door_uac_bye.xml", ext="7002", dial="7001", hold_ms=2500, pcap=POUND)
        calls = self.wait_for("an answered call", lambda: [c for c in self.get("/api/calls")["calls"]
                                                           if c["state"] == "answered"])
        self.assertEqual(calls[0]["door"], "front")
        self.assertEqual(sorted((l["role"], l["extension"]) for l in calls[0]["legs"]),
                         [("door", "7001"), ("resident", "7002")])
        self.finish(resident, "7002")
        self.finish(station, "station")
        self.assertEqual(self.events("call_answered")[0]["actor"], "7002")
        ended = self.wait_for("call_ended", lambda: self.events("call_ended"))
        self.assertEqual(ended[0]["reason"], "resident_hangup")
        rows = self.wait_for("dtmf audit row", lambda: [r for r in self.get("/api/audit")["audit"]
                                                        if r["method"] == "dtmf"])
        self.assertEqual((rows[0]["actor"], rows[0]["door"]), ("7002", "front"))

    def test_station_not_registered_is_480(self):
        body = VALID_SDP.format(pts="8", rtpmaps="      a=rtpmap:8 PCMA/8000\n")
        proc = self.door("calls_door_rejected.xml", ext="7002", dial="7001", status=480, body=body)
        self.finish(proc, "480 for an unregistered station")


class DeadMedia(DoorCalls):
    idle_timeout = 5
    call_limit = 60

    def test_call_without_rtp_ends_after_the_idle_timeout(self):
        silent_door, silent_member = free_port(), free_port()  # announced in SDP, nobody sends from there
        answer = self.uas(self.register("7002"), "calls_member_answer.xml", answer_ms=100, media_port=silent_member)
        started = time.monotonic()
        door = self.door(media_port=silent_door, bye_timeout=15000)
        self.finish(door, "door (BYE from Portier)")
        self.finish(answer, "7002 (BYE from Portier)")
        elapsed = time.monotonic() - started
        ended = self.wait_for("call_ended", lambda: self.events("call_ended"))
        self.assertEqual(ended[0]["reason"], "media_timeout")
        self.assertGreaterEqual(elapsed, 4.5)
        self.assertLess(elapsed, 12)


class DtmfByInfo(DoorCalls):
    extra_yaml = "  - id: back\n    station: \"7004\"\n    ring_group: \"7000\"\n    dtmf_code: \"5\"\n"

    def test_sip_info_opens_and_wrong_code_does_not(self):
        # front's code is "#": a SIP INFO '#' opens it.
        answer = self.uas(self.register("7002"), "calls_member_info_dtmf.xml", answer_ms=200, digit="#")
        door = self.door("calls_door_uac_bye.xml", hold_ms=1500)
        self.finish(door, "door")
        self.finish(answer, "7002")
        rows = self.wait_for("audit row", lambda: [r for r in self.get("/api/audit")["audit"]
                                                   if r["method"] == "dtmf"])
        self.assertEqual((rows[0]["actor"], rows[0]["door"], rows[0]["result"]), ("7002", "front", "granted"))
        # back's code is "5": '#' is a wrong code, nothing opens, the event says so.
        answer = self.uas(self.register("7003"), "calls_member_info_dtmf.xml", answer_ms=200, digit="#")
        door = self.door("calls_door_uac_bye.xml", ext="7004", hold_ms=1500)
        self.finish(door, "door back")
        self.finish(answer, "7003")
        dtmf = self.wait_for("call_dtmf for back", lambda: [e for e in self.events("call_dtmf") if e["door"] == "back"])
        self.assertIn("wrong", dtmf[0]["detail"])
        self.assertFalse([r for r in self.get("/api/audit")["audit"] if r["door"] == "back"])

    def test_sim_lines_name_the_first_door_of_each_group(self):
        # Both doors ring 7000, and a caller dialling 7000 is front (the first): only front can be rung as from the
        # simulator's "Ring as the door (browser)".
        self.assertEqual(self.get("/api/sim/lines")["doors"], [{"id": "front", "ring_group": "7000"}])


class Sequential(DoorCalls):
    strategy = "sequential"

    def test_members_ring_one_after_the_other(self):
        first = self.uas(self.register("7002"), "uas_cancel.xml")  # rings for member_timeout, then CANCEL
        second = self.uas(self.register("7003"), "calls_member_answer.xml", answer_ms=200)
        started = time.monotonic()
        door = self.door("calls_door_uac_bye.xml", hold_ms=4500)
        self.finish(first, "7002 (its turn ended)")
        turn_over = time.monotonic() - started
        self.finish(door, "door")
        self.finish(second, "7003")
        self.assertGreaterEqual(turn_over, 1.8, "7002 was cancelled before its turn ended")
        answered = self.events("call_answered")
        self.assertEqual([e["actor"] for e in answered], ["7003"])
        ringing = self.events("call_ringing")
        t = lambda e: time.mktime(time.strptime(e["time"][:19], "%Y-%m-%dT%H:%M:%S"))
        self.assertGreaterEqual(t(answered[0]) - t(ringing[0]), 1)


class VisitorMessage(DoorCalls):
    ring_timeout = 2
    visitor_message = "true"

    def test_ring_timeout_records_visitor_message(self):
        port = self.register("7002")
        cancel = self.uas(port, "uas_cancel.xml")
        door = self.door()
        self.finish(cancel, "7002 (cancelled at the ring timeout)")
        self.finish(door, "door")
        msg = self.wait_for("visitor_message", lambda: self.events("visitor_message"))
        url = msg[0]["url"]
        self.assertTrue(url.startswith("/api/recordings/front-"), msg)
        status, headers, body = self.p.request("GET", url, headers=bearer(self.token))
        self.assertEqual(status, 200)
        self.assertEqual(body[:4], b"RIFF")
        self.assertGreater(len(body), 44 + 2 * 8000, "less than half a second recorded")
        status, _, _ = self.p.request("GET", url)
        self.assertEqual(status, 401)
        status, _, _ = self.p.request("GET", "/api/recordings/..%2Fportier.db", headers=bearer(self.token))
        self.assertEqual(status, 404)
        ended = self.events("call_ended")
        self.assertEqual(ended[0]["reason"], "visitor_message")


class CallButton(DoorCalls):
    def test_button_calls_station_and_group_and_cleans_up(self):
        station = self.register("7001")
        member = self.register("7002")
        # The station is offered every codec (nobody else is in the call yet); it picks PCMA, which the group then gets.
        st = self.uas(station, "calls_member_answer.xml", answer_ms=100, offer_re="m=audio [0-9]+ RTP/AVP 0 8 101")
        ans = self.uas(member, "calls_member_answer.xml", answer_ms=500)
        time.sleep(0.3)
        for value in (1, 0):
            status, _, doc = self.p.json("POST", "/api/sim/lines/front.button", {"value": value},
                                         headers=bearer(self.token))
            self.assertEqual(status, 200, doc)
            time.sleep(0.05)
        calls = self.wait_for("an answered call", lambda: [c for c in self.get("/api/calls")["calls"]
                                                           if c["state"] == "answered"])
        self.assertEqual(sorted(l["extension"] for l in calls[0]["legs"]), ["7001", "7002"])
        # An admin hangs up: both legs get BYE.
        status, _, doc = self.p.json("DELETE", f"/api/calls/{calls[0]['id']}", headers=bearer(self.token))
        self.assertEqual(status, 200, doc)
        self.finish(st, "station")
        self.finish(ans, "7002")
        ended = self.wait_for("call_ended", lambda: self.events("call_ended"))
        self.assertEqual(ended[0]["reason"], "admin_hangup")
        self.assertEqual(self.get("/api/calls")["calls"], [])
        self.wait_for("relay ports released", lambda: not self.relay_ports_free())
        status, _, _ = self.p.json("DELETE", "/api/calls/999", headers=bearer(self.token))
        self.assertEqual(status, 404)


class AudioBothWays(DoorCalls):
    def test_tones_cross_the_relay_in_both_directions(self):
        """Python RTP peers own the media ports in the sipp SDPs: the door sends 1 kHz, the resident 1.5 kHz; each
        must hear the other's tone (Goertzel), and the door must have heard ringback (425 Hz) before the answer."""
        door_rtp, member_rtp = RtpPeer(), RtpPeer()
        self.tones_both_ways(door_rtp, member_rtp, "calls_door_uac_bye.xml", {}, {})
        self.assertGreater(member_rtp.packets_out, 50)
        self.assertGreater(door_rtp.packets_out, 100)


class Conference(DoorCalls):
    answer = "conference"
    call_limit = 30

    def test_second_answer_switches_to_a_mixer_everyone_hears_everyone(self):
        door_rtp, first_rtp, second_rtp = RtpPeer(), RtpPeer(), RtpPeer()
        for peer in (door_rtp, first_rtp, second_rtp):
            self.addCleanup(peer.close)
        first = self.uas(self.register("7002"), "calls_member_conference.xml", answer_ms=300,
                         media_port=first_rtp.port)
        second = self.uas(self.register("7003"), "calls_member_conference.xml", answer_ms=2000,
                          media_port=second_rtp.port)
        door = self.door("calls_door_conference.xml", hold_ms=7000, media_port=door_rtp.port)
        self.wait_for("ringback", lambda: door_rtp.packets_in > 5)
        door_rtp.send_tone(1000, 8)
        self.wait_for("the first resident", lambda: first_rtp.packets_in > 5)
        first_rtp.send_tone(1500, 7)
        self.wait_for("the second resident", lambda: second_rtp.packets_in > 5)
        second_rtp.send_tone(600, 5)
        joined = time.monotonic() + 1.0  # the re-INVITEs and the mixer's jitter queues settle
        self.finish(door, "door")
        self.finish(first, "7002")
        self.finish(second, "7003")
        for name, peer, own, others in (("door", door_rtp, 1000, (1500, 600)),
                                        ("7002", first_rtp, 1500, (1000, 600)),
                                        ("7003", second_rtp, 600, (1000, 1500))):
            for f in others:
                heard, ratio = peer.heard(f, joined, min_ratio=0.2)
                self.assertTrue(heard, f"{name} did not hear {f} Hz (best ratio {ratio:.2f})")
            self.assertFalse(peer.heard(own, joined, min_ratio=0.2)[0], f"{name} hears itself")
        answered = [e["actor"] for e in self.events("call_answered")]
        self.assertEqual(sorted(answered), ["7002", "7003"])
        self.assertIn("switching to a conference", self.p.read_log())
        self.wait_for("relay ports released", lambda: not self.relay_ports_free())


BARESIP_CONFIG = """poll_method\t\tepoll
sip_listen\t\t127.0.0.1:{listen}
module_path\t\t/usr/lib/baresip/modules
module\t\t\tg711.so
module\t\t\taufile.so
module\t\t\tsndfile.so
snd_path\t\t{dumps}
module_app\t\taccount.so
module_app\t\tmenu.so
module_app\t\tctrl_tcp.so
ctrl_tcp_listen\t\t127.0.0.1:{ctrl}
audio_player\t\taufile,{player}
audio_source\t\taufile,{source}
audio_alert\t\taufile,{player}
rtp_timeout\t\t0
"""


def write_tone(path, freq, seconds):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * freq * i / 8000)))
                               for i in range(8000 * seconds)))


def dump_heard(bdir, freq):
    """What baresip's sndfile module recorded of the call (dump-<time>-dec.wav, the decoded audio it heard): the best
    share of `freq` over 200 ms windows, and the seconds recorded. (0, 0) without a dump."""
    dumps = [f for f in os.listdir(bdir) if f.startswith("dump-") and f.endswith("-dec.wav")]
    if not dumps:
        return 0.0, 0.0
    with wave.open(os.path.join(bdir, dumps[0])) as w:
        frames = w.readframes(w.getnframes())
        rate = w.getframerate()
    samples = list(struct.unpack("<%dh" % (len(frames) // 2), frames))
    if len(samples) < rate:
        return 0.0, len(samples) / rate
    best = max(goertzel_ratio(samples[i:i + rate // 5], freq, rate)
               for i in range(0, len(samples) - rate // 5, rate // 10))
    return best, len(samples) / rate


class BaresipPeers(DoorCalls):
    """baresip phones registered to Portier, driven over ctrl_tcp, each sending a tone from a WAV and recording what
    it hears (sndfile)."""

    def baresip(self, ext, tone, answermode):
        """Starts baresip as `ext` and waits for its registration; returns (process, ctrl port, work dir)."""
        bdir = os.path.join(self.work, "baresip-" + ext)
        os.makedirs(bdir)
        source = os.path.join(bdir, "tone.wav")
        write_tone(source, tone, 30)
        with open(os.path.join(bdir, "accounts"), "w") as f:
            f.write(f"<sip:{ext}@127.0.0.1:{self.sip_port};transport=udp>;auth_pass={PASSWORD.format(ext)};"
                    f"answermode={answermode};regint=600\n")
        registered = lambda: [r for r in self.get("/api/sip/registrations")["registrations"] if r["extension"] == ext]
        log_path = os.path.join(bdir, "baresip.log")
        # A port picked by free_port() can be taken by a peer of a test running in parallel before baresip binds it
        # (baresip then runs without that transport or exits): start it again with fresh ports.
        for attempt in range(3):
            ctrl = free_port()
            with open(os.path.join(bdir, "config"), "w") as f:
                f.write(BARESIP_CONFIG.format(listen=free_port_pair(), ctrl=ctrl, player=os.path.join(bdir, "played.wav"),
                                              source=source, dumps=bdir))
            log = open(log_path, "a")
            proc = subprocess.Popen(["baresip", "-f", bdir], stdin=subprocess.DEVNULL, stdout=log,
                                    stderr=subprocess.STDOUT, text=True, cwd=bdir)
            log.close()
            self.procs.append(proc)
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and proc.poll() is None and not registered():
                time.sleep(0.1)
            if proc.poll() is None and registered():
                return proc, ctrl, bdir
            proc.kill()
            proc.wait()
        with open(log_path, errors="replace") as f:
            self.fail(f"baresip {ext} did not register after 3 starts:\n{f.read()[-3000:]}")

    def ctrl(self, port, command, params=""):
        body = json.dumps({"command": command, "params": params, "token": "t"}).encode()
        with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
            c.sendall(str(len(body)).encode() + b":" + body + b",")
            try:
                return c.recv(4096).decode(errors="replace")
            except socket.timeout:
                return ""

    def quit(self, proc, ctrl):
        """Asks baresip to quit; returns its output."""
        self.ctrl(ctrl, "quit")
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log_path = os.path.join(proc.args[2], "baresip.log")  # args: baresip -f DIR
        with open(log_path, errors="replace") as f:
            return f.read()


@unittest.skipUnless(shutil.which("baresip") and os.path.isdir("/usr/lib/baresip/modules"), "baresip not installed")
class BaresipResident(BaresipPeers):
    """baresip is the resident: it registers as 7002, auto-answers the door call, sends 1.5 kHz from a WAV and
    records what it hears; the door (sipp + a Python RTP peer) sends 1 kHz. baresip presses '#' (ctrl_tcp
    sndcode, RFC 4733) and the simulated door relay opens."""
    call_limit = 30

    def test_baresip_answers_talks_and_opens_with_pound(self):
        baresip, ctrl, bdir = self.baresip("7002", 1500, "auto")
        door_rtp = RtpPeer()
        self.addCleanup(door_rtp.close)
        door = self.door("calls_door_uac_bye.xml", hold_ms=6000, media_port=door_rtp.port)
        self.wait_for("ringback", lambda: door_rtp.packets_in > 5)
        door_rtp.send_tone(1000, 7)
        self.wait_for("an answered call", lambda: [c for c in self.get("/api/calls")["calls"]
                                                   if c["state"] == "answered"])
        answered = time.monotonic()
        time.sleep(1.5)
        self.ctrl(ctrl, "sndcode", "#")
        self.finish(door, "door")
        time.sleep(0.5)
        out = self.quit(baresip, ctrl)
        # DTMF opened the door, audited as dtmf with the extension.
        rows = self.wait_for("dtmf audit row", lambda: [r for r in self.get("/api/audit")["audit"]
                                                        if r["method"] == "dtmf"])
        self.assertEqual((rows[0]["actor_kind"], rows[0]["actor"], rows[0]["door"]), ("dtmf", "7002", "front"))
        self.assertTrue(self.events("unlocked"))
        # Audio both ways: the door heard baresip's 1.5 kHz, baresip recorded the door's 1 kHz.
        heard, ratio = door_rtp.heard(1500, answered)
        self.assertTrue(heard, f"door: 1.5 kHz ratio {ratio:.2f}\n{out[-2000:]}")
        best, seconds = dump_heard(bdir, 1000)
        self.assertGreater(seconds, 2, f"baresip recorded {seconds:.1f} s ({os.listdir(bdir)})")
        self.assertGreater(best, 0.5, f"baresip did not hear 1 kHz (best ratio {best:.2f})")


VALID_SDP = ("      v=0\n      o=door 1 1 IN IP4 127.0.0.1\n      s=-\n      c=IN IP4 127.0.0.1\n      t=0 0\n"
             "      m=audio 40000 RTP/AVP {pts}\n{rtpmaps}")


class Refusals(DoorCalls):
    rtp_ports = 4  # two port pairs: exactly one relay
    extra_yaml = "  - id: back\n    station: \"7004\"\n    ring_group: \"7000\"\n"

    def refused(self, status, body, ext="7001", dial="7000"):
        proc = self.door("calls_door_rejected.xml", ext=ext, status=status, body=body, dial=dial)
        self.finish(proc, f"{status} for {body!r}")

    def test_bad_sdp_unknown_number_busy_and_no_ports(self):
        self.refused(400, "      v=0\n      o=broken")
        self.refused(488, VALID_SDP.format(pts="18", rtpmaps="      a=rtpmap:18 G729/8000\n"))
        self.refused(404, VALID_SDP.format(pts="8", rtpmaps="      a=rtpmap:8 PCMA/8000\n"), dial="7999")
        self.finish(self.door("calls_bye_unknown.xml"), "481 for BYE/INFO without a dialog")
        self.assertFalse(self.events("unlocked"))
        self.assertEqual(self.get("/api/calls")["calls"], [])
        self.assertEqual(self.relay_ports_free(), [])
        # One call takes the whole port range: the door's second call is busy, another door's gets 503 + ALARM.
        port = self.register("7002")
        answer = self.uas(port, "calls_member_answer.xml", answer_ms=100)
        door = self.door("calls_door_uac_bye.xml", hold_ms=4000)
        self.wait_for("an answered call", lambda: [c for c in self.get("/api/calls")["calls"]
                                                   if c["state"] == "answered"])
        body = VALID_SDP.format(pts="8", rtpmaps="      a=rtpmap:8 PCMA/8000\n")
        self.refused(486, body)
        self.refused(503, body, ext="7004")
        self.assertIn("ALARM: no RTP ports", self.p.read_log())
        self.finish(door, "door")
        self.finish(answer, "7002")
        self.wait_for("relay ports released", lambda: not self.relay_ports_free())
        status, _, _ = self.p.json("GET", "/health")
        self.assertEqual(status, 200)


if __name__ == "__main__":
    unittest.main()
