"""Issue #7: codec bridging between SIP legs. A door station that speaks PCMU only (telephone-event on 96) calls its
group; the resident is offered PCMU first (the door's codec: pass-through when it can), PCMA and telephone-event, and
answers PCMA only (telephone-event on 101). The call connects, the relay converts µ-law <-> A-law per sample, and a
tone sent from each side is heard on the other (Python RTP peers + Goertzel), each side receiving only its own law;
the resident's RFC 4733 '#' (pt 101) opens the door and reaches the door renumbered to 96. A door offering no codec
Portier can bridge is still refused with 488. In a file of its own so ctest runs it in parallel."""
import unittest

from rtp_peer import PCMA, PCMU, RtpPeer
from test_calls import VALID_SDP, DoorCalls

MEMBER_OFFER = "m=audio [0-9]+ RTP/AVP 0 8 96"  # the door's PCMU first, then PCMA, telephone-event as the door's


class Transcode(DoorCalls):
    call_limit = 30

    def test_pcmu_door_and_pcma_resident_hear_each_other(self):
        door_rtp, member_rtp = RtpPeer(pt=PCMU), RtpPeer(pt=PCMA)
        self.tones_both_ways(door_rtp, member_rtp, "calls_door_pcmu.xml", {"te": 96}, {"offer_re": MEMBER_OFFER})
        # Each side got its own law only.
        self.assertEqual(set(door_rtp.payload_types), {PCMU}, door_rtp.payload_types)
        self.assertEqual(set(member_rtp.payload_types), {PCMA}, member_rtp.payload_types)
        ended = self.wait_for("call_ended", lambda: self.events("call_ended"))
        self.assertEqual(ended[0]["reason"], "door_hangup")
        line = [l for l in self.p.read_log().splitlines() if "ended: door_hangup" in l][-1]
        self.assertIn("transcoded=", line)
        self.wait_for("relay ports released", lambda: not self.relay_ports_free())

    def test_pound_on_101_opens_the_door_and_reaches_a_door_on_96(self):
        door_rtp = RtpPeer(pt=PCMU)
        self.addCleanup(door_rtp.close)
        audit = self.resident_keys_pound("calls_door_pcmu.xml", {"media_port": door_rtp.port, "te": 96},
                                         {"offer_re": MEMBER_OFFER})
        self.assertEqual((audit[0]["actor_kind"], audit[0]["actor"], audit[0]["result"]), ("dtmf", "7002", "granted"))
        self.assertGreater(door_rtp.payload_types.get(96, 0), 0, door_rtp.payload_types)
        self.assertNotIn(101, door_rtp.payload_types)

    def test_no_codec_portier_can_bridge_is_488(self):
        body = VALID_SDP.format(pts="9", rtpmaps="      a=rtpmap:9 G722/8000\n")
        self.finish(self.door("calls_door_rejected.xml", status=488, body=body), "488 for a G.722-only door")
        self.assertEqual(self.get("/api/calls")["calls"], [])


if __name__ == "__main__":
    unittest.main()
