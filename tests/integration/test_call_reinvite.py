"""Issue #7: re-INVITEs passed through the B2BUA (hold and resume) and glare. A door station (sipp) calls its ring
group; the resident (sipp 7002) answers, then puts the call on hold (re-INVITE a=sendonly): Portier offers the door
a re-INVITE with its relay address and a=sendonly, and while that is pending the door sends a re-INVITE of its own,
which gets 491; the door answers recvonly and the resident gets recvonly back (the door's answer, not a local one).
The resume (a=sendrecv) goes the same way. The call limit ends the call; relay ports are freed. The scenarios check
every direction attribute (sipp ereg check_it)."""
import unittest

from test_calls import DoorCalls


class ReinvitePassThrough(DoorCalls):
    call_limit = 6

    def test_hold_and_resume_reach_the_other_leg_and_glare_is_491(self):
        member = self.uas(self.register("7002"), "calls_member_hold.xml", answer_ms=300, hold_ms=1000)
        door = self.door("calls_door_reinvited.xml")
        self.finish(door, "door (re-INVITEd, glare 491, BYE)")
        self.finish(member, "7002 (hold, resume, BYE)")
        log = self.p.read_log()
        self.assertIn("re-INVITE from 7002 (sendonly) passed to 7001", log)
        self.assertIn("re-INVITE from 7002 (sendrecv) passed to 7001", log)
        ended = self.wait_for("call_ended", lambda: self.events("call_ended"))
        self.assertEqual(ended[0]["reason"], "call_limit")
        self.wait_for("no active calls", lambda: not self.get("/api/calls")["calls"])
        self.wait_for("relay ports released", lambda: not self.relay_ports_free())


if __name__ == "__main__":
    unittest.main()
