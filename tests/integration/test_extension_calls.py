"""Extension-to-extension calls through `portier serve` (issue #8: the browser phone and residents call any
extension): baresip A (7002) dials baresip B (7003); Portier anchors the call (B2BUA + media relay), B auto-answers,
each side sends its own tone from a WAV and records what it hears (sndfile), and both tones must cross the relay.
A's hang-up (BYE) ends both legs and frees the relay ports. An unknown number is 404 and an extension without a
registered phone 480 (sipp UAC)."""
import os
import shutil
import time
import unittest

from test_calls import BaresipPeers, VALID_SDP, dump_heard


@unittest.skipUnless(shutil.which("baresip") and os.path.isdir("/usr/lib/baresip/modules"), "baresip not installed")
class ExtensionCalls(BaresipPeers):
    call_limit = 30

    def test_baresip_calls_baresip_audio_both_ways_bye_frees_everything(self):
        a, a_ctrl, a_dir = self.baresip("7002", 1000, "manual")
        b, b_ctrl, b_dir = self.baresip("7003", 1500, "auto")
        self.ctrl(a_ctrl, "dial", f"sip:7003@127.0.0.1:{self.sip_port}")
        calls = self.wait_for("an answered call", lambda: [c for c in self.get("/api/calls")["calls"]
                                                           if c["state"] == "answered"])
        self.assertEqual(calls[0]["door"], "")
        self.assertEqual(calls[0]["answered_by"], "7003")
        self.assertEqual(sorted((l["role"], l["extension"]) for l in calls[0]["legs"]),
                         [("callee", "7003"), ("caller", "7002")])
        time.sleep(3)
        self.ctrl(a_ctrl, "hangup")
        ended = self.wait_for("call_ended", lambda: self.events("call_ended"))
        self.assertEqual(ended[0]["reason"], "caller_hangup", ended)
        self.assertEqual(ended[0]["door"], "")
        self.assertEqual(self.get("/api/calls")["calls"], [])
        self.wait_for("relay ports released", lambda: not self.relay_ports_free())
        self.assertEqual([e["actor"] for e in self.events("call_answered")], ["7003"])
        self.assertEqual([e["door"] for e in self.events("call_ringing")], [""])
        # B got the BYE too: its call was over before it was told to quit.
        time.sleep(0.5)
        a_out, b_out = self.quit(a, a_ctrl), self.quit(b, b_ctrl)
        # (A baresip that does not act on "quit" in time under load is killed before it prints "ua: stop all"; its
        # output up to then still shows whether the call had ended.)
        terminated, stopped = b_out.find("Call with sip:7002@"), b_out.find("ua: stop all")
        self.assertTrue(terminated >= 0 and (stopped < 0 or terminated < stopped),
                        f"B's call did not end before quit:\n{b_out[-1500:]}")
        # RTP both ways through the relay: every counter of the ended call's relay is well above zero.
        line = [l for l in self.p.read_log().splitlines() if "ended: caller_hangup" in l][-1]
        counts = [int(w.split("=")[1]) for w in line.split() if w.startswith(("in=", "out="))]
        self.assertEqual(len(counts), 4, line)
        self.assertTrue(all(c > 50 for c in counts), line)
        # Each heard the other's tone (sndfile's -dec.wav is what baresip decoded), and not its own.
        for name, bdir, other, own, out in (("A", a_dir, 1500, 1000, a_out), ("B", b_dir, 1000, 1500, b_out)):
            ratio, seconds = dump_heard(bdir, other)
            self.assertGreater(seconds, 2, f"{name} recorded {seconds:.1f} s ({os.listdir(bdir)})\n{out[-2000:]}")
            self.assertGreater(ratio, 0.5, f"{name} did not hear {other} Hz (best ratio {ratio:.2f})")
            self.assertLess(dump_heard(bdir, own)[0], 0.5, f"{name} hears itself")

    def test_unknown_is_404_and_unregistered_is_480(self):
        body = VALID_SDP.format(pts="8", rtpmaps="      a=rtpmap:8 PCMA/8000\n")
        self.finish(self.door("calls_door_rejected.xml", ext="7002", dial="7999", status=404, body=body), "404")
        self.finish(self.door("calls_door_rejected.xml", ext="7002", dial="7004", status=480, body=body), "480")
        self.assertEqual(self.get("/api/calls")["calls"], [])
        self.assertEqual(self.relay_ports_free(), [])


if __name__ == "__main__":
    unittest.main()
