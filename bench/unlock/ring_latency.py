"""Ring latency: drive the simulated back.button (page_throttle 0, so every press rings) and time until the ring
event arrives on a WebSocket client. The figure includes the HTTP POST that drives the line, so it is an upper bound
of edge-to-WebSocket latency."""
import http.client
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "integration", "lib"))
from portier_proc import websocket_connect, websocket_read_text  # noqa: E402

port, token, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
h = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
_, ws = websocket_connect(port, "/api/events", {"Authorization": "Bearer " + token})
websocket_read_text(ws)  # hello
conn = http.client.HTTPConnection("127.0.0.1", port)


def drive(value):
    conn.request("POST", "/api/sim/lines/back.button", body=json.dumps({"value": value}).encode(), headers=h)
    r = conn.getresponse()
    r.read()


lat = []
for i in range(n):
    t0 = time.perf_counter_ns()
    drive(1)
    while json.loads(websocket_read_text(ws)).get("type") != "ring":
        pass
    lat.append((time.perf_counter_ns() - t0) / 1e6)
    drive(0)
    time.sleep(0.005)  # longer than the 2 ms debounce
lat.sort()
print(f"ring_edge_to_websocket_ms n={n} p50={lat[n // 2]:.3f} p99={lat[int(n * 0.99)]:.3f} max={lat[-1]:.3f}")
