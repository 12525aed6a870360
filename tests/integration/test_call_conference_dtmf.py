"""Issue #7: RFC 4733 DTMF inside a conference. A door station calls an `answer: conference` group; 7002 answers,
7003 answers too and everyone moves into the ConferenceRoom (re-INVITEs). After its re-INVITE 7002 plays sipp's
dtmf_2833_pound.pcap ('#' as RFC 4733) into its room port: the room detects it, the door opens (audited as dtmf
with 7002), and the call goes on until the door hangs up. In a file of its own so ctest runs it in parallel."""
import unittest

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


if __name__ == "__main__":
    unittest.main()
