"""Issue #7 "peers that never ACK (timer H cleanup)", resident side: a resident (sipp 7002) dials the door
station's extension, the station (sipp 7001) answers, Portier sends the resident its 200 and the resident never
ACKs. After 64*T1 (32 s) Portier ends the resident's leg with BYE, hangs up the station, `call_ended` says
`no_ack`, GET /api/calls is empty and the relay ports are free. ~35 s, in a file of its own so ctest parallelises
it; the door-side twin is test_call_no_ack_door.py."""
import time
import unittest

from test_calls import DoorCalls


class ResidentNeverAcks(DoorCalls):
    call_limit = 120
    idle_timeout = 120

    def test_resident_without_ack_is_hung_up_and_everything_freed(self):
        station = self.uas(self.register("7001"), "calls_member_answer.xml", answer_ms=100, bye_timeout=60000)
        started = time.monotonic()
        resident = self.door("calls_uac_no_ack.xml", ext="7002", dial="7001", bye_timeout=50000)
        calls = self.wait_for("an answered call", lambda: [c for c in self.get("/api/calls")["calls"]
                                                           if c["state"] == "answered"])
        self.assertEqual(calls[0]["door"], "front")
        resident_leg = [l for l in calls[0]["legs"] if l["role"] == "resident"]
        self.assertEqual(resident_leg[0]["state"], "accepted")
        self.finish(resident, "7002 (BYE from Portier after the ACK timeout)", timeout=60)
        elapsed = time.monotonic() - started
        self.finish(station, "station (BYE from Portier)", timeout=15)
        ended = self.wait_for("call_ended", lambda: self.events("call_ended"))
        self.assertEqual(ended[0]["reason"], "no_ack")
        self.assertGreaterEqual(elapsed, 30)
        self.assertLess(elapsed, 45)
        self.wait_for("no active calls", lambda: not self.get("/api/calls")["calls"])
        self.wait_for("relay ports released", lambda: not self.relay_ports_free())
        self.assertIsNone(self.p.proc.poll(), "portier exited")


if __name__ == "__main__":
    unittest.main()
