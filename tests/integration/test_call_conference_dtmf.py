"""Issue #7: RFC 4733 DTMF inside a conference. A door station calls an `answer: conference` group; 7002 answers,
7003 answers too and everyone moves into the ConferenceRoom (re-INVITEs). After its re-INVITE 7002 plays sipp's
dtmf_2833_pound.pcap ('#' as RFC 4733) into its room port: the room detects it, the door opens (audited as dtmf
with 7002), and the call goes on until the door hangs up. In a file of its own so ctest runs it in parallel."""
import time
import unittest

from rtp_peer import RtpPeer
from test_calls import DoorCalls, POUND


def play(pcap):
    return f'  <nop><action><exec play_pcap_audio="{pcap}"/></action></nop>\n  <pause milliseconds="1500"/>'


class ConferenceDtmf(DoorCalls):
    answer = "conference"
    call_limit = 30

    def test_pound_from_a_resident_in_the_conference_opens_the_door(self):
        first = self.uas(self.register("7002"), "calls_member_conference.xml", answer_ms=300, play="",
                         play_in_room=play(POUND))
        second = self.uas(self.register("7003"), "calls_member_conference.xml", answer_ms=1500)
        door = self.door("calls_door_conference.xml", hold_ms=5000)
        self.finish(door, "door")
        self.finish(first, "7002")
        self.finish(second, "7003")
        log = self.p.read_log()
        self.assertIn("switching to a conference", log)
        self.assertIn("in the conference", log)  # detected by the room, not by the (stopped) two-party relay
        dtmf = self.wait_for("call_dtmf", lambda: self.events("call_dtmf"))
        self.assertEqual(dtmf[0]["actor"], "7002")
        self.assertIn("match", dtmf[0]["detail"])
        audit = self.wait_for("audit row", lambda: [r for r in self.get("/api/audit")["audit"]
                                                    if r["method"] == "dtmf"])
        self.assertEqual((audit[0]["actor_kind"], audit[0]["actor"], audit[0]["door"], audit[0]["result"]),
                         ("dtmf", "7002", "front", "granted"))
        self.assertTrue(self.events("unlocked"))
        self.assertEqual(sorted(e["actor"] for e in self.events("call_answered")), ["7002", "7003"])
        ended = self.wait_for("call_ended", lambda: self.events("call_ended"))
        self.assertEqual(ended[0]["reason"], "door_hangup")
        self.wait_for("relay ports released", lambda: not self.relay_ports_free())

    def test_acknowledgement_tone_reaches_only_the_resident_who_keyed_the_code(self):
        """Python RTP peers own every media port (the door stays silent): 7002 sends '#' (RFC 4733) into its room
        port; it hears the door-opened tone (660 Hz then 880 Hz) in the conference, 7003 hears nothing of it."""
        door_rtp, first_rtp, second_rtp = RtpPeer(), RtpPeer(), RtpPeer()
        for peer in (door_rtp, first_rtp, second_rtp):
            self.addCleanup(peer.close)
        first = self.uas(self.register("7002"), "calls_member_conference.xml", answer_ms=300,
                         media_port=first_rtp.port)
        second = self.uas(self.register("7003"), "calls_member_conference.xml", answer_ms=1500,
                          media_port=second_rtp.port)
        door = self.door("calls_door_conference.xml", hold_ms=6000, media_port=door_rtp.port)
        self.wait_for("the conference", lambda: "switching to a conference" in self.p.read_log())
        # The relay plays nothing to a member while the door is silent: what 7002 hears now comes from its room port.
        self.wait_for("the room's mix at 7002", lambda: first_rtp.packets_in > 10)
        keyed = time.monotonic()
        self.assertTrue(first_rtp.send_dtmf("#"))
        self.wait_for("the unlock", lambda: self.events("unlocked"))
        time.sleep(0.8)  # the tone lasts 300 ms
        for freq in (660, 880):
            heard, ratio = first_rtp.heard(freq, keyed, min_ratio=0.4)
            self.assertTrue(heard, f"7002 (keyed '#'): {freq} Hz ratio {ratio:.2f}")
        other = second_rtp.samples_since(keyed)
        self.assertGreater(len(other), 4000, "7003 got no conference audio")
        self.assertLess(max(abs(x) for x in other), 200, "7003 heard something (the tone is for 7002 only)")
        self.finish(door, "door")
        self.finish(first, "7002")
        self.finish(second, "7003")
        self.assertEqual(self.events("call_dtmf")[0]["actor"], "7002")


if __name__ == "__main__":
    unittest.main()
