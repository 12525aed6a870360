"""A small RTP endpoint for call tests: owns a UDP port announced in a sipp peer's SDP, records the G.711 audio it
receives, sends a tone to whoever sends to it (symmetric RTP, like a phone behind NAT), and measures a frequency
with a Goertzel filter. Standard library only (audioop is in Python 3.11)."""
import audioop
import math
import random
import socket
import struct
import threading
import time

PCMU, PCMA = 0, 8


def goertzel_ratio(samples, freq, rate=8000):
    """Share of the signal's energy at `freq` (0..1) over 16-bit samples."""
    if not samples:
        return 0.0
    n = len(samples)
    k = round(n * freq / rate)
    w = 2 * math.pi * k / n
    coeff = 2 * math.cos(w)
    s1 = s2 = 0.0
    for x in samples:
        s0 = x + coeff * s1 - s2
        s2, s1 = s1, s0
    power = s1 * s1 + s2 * s2 - coeff * s1 * s2
    energy = sum(x * x for x in samples)
    return (2 * power / n) / energy if energy else 0.0


class RtpPeer:
    """`pt` is the law it sends (PCMA or PCMU); it decodes whichever of the two it receives."""
    def __init__(self, pt=PCMA):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.pt = pt
        self.remote = None
        self.received = []  # (arrival time, payload type, pcm bytes)
        self.payload_types = {}  # payload type -> packets received (audio, telephone-event, anything)
        self.packets_in = 0
        self.packets_out = 0
        self._stop = threading.Event()
        self._rx = threading.Thread(target=self._receive, daemon=True)
        self._rx.start()
        self._tx = None

    def _receive(self):
        while not self._stop.is_set():
            try:
                data, addr = self.sock.recvfrom(2048)
            except socket.timeout:
                continue
            except OSError:
                return
            if len(data) < 12 or data[0] >> 6 != 2:
                continue
            self.remote = addr
            self.packets_in += 1
            pt = data[1] & 0x7F
            self.payload_types[pt] = self.payload_types.get(pt, 0) + 1
            payload = data[12 + 4 * (data[0] & 0x0F):]
            if pt == PCMA:
                self.received.append((time.monotonic(), pt, audioop.alaw2lin(payload, 2)))
            elif pt == PCMU:
                self.received.append((time.monotonic(), pt, audioop.ulaw2lin(payload, 2)))

    def send_tone(self, freq, seconds, amplitude=8000):
        """Sends a tone (20 ms packets) to the address that sent us something, in a thread."""
        def run():
            deadline = time.monotonic() + 10
            while self.remote is None and time.monotonic() < deadline and not self._stop.is_set():
                time.sleep(0.02)
            if self.remote is None:
                return
            ssrc, seq, ts = random.getrandbits(32), random.getrandbits(16), random.getrandbits(32)
            phase, step = 0.0, 2 * math.pi * freq / 8000
            start = time.monotonic()
            for i in range(int(seconds * 50)):
                if self._stop.is_set():
                    return
                pcm = bytearray()
                for _ in range(160):
                    pcm += struct.pack("<h", int(amplitude * math.sin(phase)))
                    phase += step
                payload = audioop.lin2alaw(bytes(pcm), 2) if self.pt == PCMA else audioop.lin2ulaw(bytes(pcm), 2)
                header = struct.pack("!BBHII", 0x80, self.pt | (0x80 if i == 0 else 0), (seq + i) & 0xFFFF,
                                     (ts + 160 * i) & 0xFFFFFFFF, ssrc)
                try:
                    self.sock.sendto(header + payload, self.remote)
                    self.packets_out += 1
                except OSError:
                    return
                delay = start + (i + 1) * 0.02 - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
        self._tx = threading.Thread(target=run, daemon=True)
        self._tx.start()

    DTMF_EVENTS = {**{str(d): d for d in range(10)}, "*": 10, "#": 11}

    def send_dtmf(self, digit, pt=101, seconds=0.2):
        """Sends one RFC 4733 event (20 ms packets, growing duration, the end packet three times) to the address
        that sent us something; returns False when there is none yet. Blocks for about `seconds`."""
        if self.remote is None:
            return False
        ssrc, seq, ts = random.getrandbits(32), random.getrandbits(16), random.getrandbits(32)
        steps = max(1, int(seconds * 50))
        for i in range(steps + 2):
            end = i >= steps - 1
            duration = 160 * min(i + 1, steps)
            payload = struct.pack("!BBH", self.DTMF_EVENTS[digit], (0x80 if end else 0) | 10, duration)
            header = struct.pack("!BBHII", 0x80, pt | (0x80 if i == 0 else 0), (seq + i) & 0xFFFF, ts, ssrc)
            self.sock.sendto(header + payload, self.remote)
            self.packets_out += 1
            time.sleep(0.02)
        return True

    def samples_since(self, t0, t1=None):
        out = []
        for t, _, pcm in self.received:
            if t >= t0 and (t1 is None or t <= t1):
                out.extend(struct.unpack("<%dh" % (len(pcm) // 2), pcm))
        return out

    def heard(self, freq, since, min_ratio=0.5):
        """Whether the audio received after `since` is mostly `freq` (checked over 200 ms windows)."""
        samples = self.samples_since(since)
        best = 0.0
        for i in range(0, max(0, len(samples) - 1600), 800):
            best = max(best, goertzel_ratio(samples[i:i + 1600], freq))
        return best >= min_ratio, best

    def close(self):
        self._stop.set()
        self.sock.close()
