"""Issue #7 "peers that never ACK (timer H cleanup)": a door station calls its ring group through `portier serve`, a
resident (sipp) answers, and the door never ACKs Portier's 200. After 64*T1 (32 s; T1 is not configurable) the
door's leg ends with a BYE from Portier, the resident gets a BYE too, `call_ended` says `no_ack`, GET /api/calls is
empty, the relay ports are free and Portier still serves. ~35 s, so it has a file of its own (ctest runs it in
parallel with the others); the resident-side twin is test_call_no_ack_resident.py."""
import time
import unittest

from test_calls import DoorCalls


class DoorNeverAcks(DoorCalls):
    call_limit = 120
    idle_timeout = 120  # nothing but the missing ACK may end the call

    def test_door_without_ack_is_hung_up_and_everything_freed(self):
        member = self.uas(self.register("7002"), "calls_member_answer.xml", answer_ms=300, bye_timeout=60000)
        started = time.monotonic()
        door = self.door("calls_uac_no_ack.xml", bye_timeout=50000)
        calls = self.wait_for("an answered call", lambda: [c for c in self.get("/api/calls")["calls"]
                                                           if c["state"] == "answered"])
        door_leg = [l for l in calls[0]["legs"] if l["role"] == "door"]
        self.assertEqual(door_leg[0]["state"], "accepted")  # 200 sent, no ACK yet
        self.finish(door, "door (BYE from Portier after the ACK timeout)", timeout=60)
        elapsed = time.monotonic() - started
        self.finish(member, "7002 (BYE from Portier)", timeout=15)
        ended = self.wait_for("call_ended", lambda: self.events("call_ended"))
        self.assertEqual(ended[0]["reason"], "no_ack")
        self.assertGreaterEqual(elapsed, 30)  # 64*T1 = 32 s after the 200
        self.assertLess(elapsed, 45)
        self.wait_for("no active calls", lambda: not self.get("/api/calls")["calls"])
        self.wait_for("relay ports released", lambda: not self.relay_ports_free())
        self.assertIsNone(self.p.proc.poll(), "portier exited")
        self.assertEqual(self.get("/api/calls")["success"], True)


if __name__ == "__main__":
    unittest.main()
