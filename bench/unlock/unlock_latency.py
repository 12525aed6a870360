"""N sequential unlocks of a door (default: the demo's front door) over one keep-alive connection; prints
p50/p99/max in ms. Usage: unlock_latency.py PORT TOKEN N [DOOR]"""
import http.client
import statistics
import sys
import time

port, token, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
door = sys.argv[4] if len(sys.argv) > 4 else "front"
conn = http.client.HTTPConnection("127.0.0.1", port)
headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
lat = []
for i in range(n):
    t0 = time.perf_counter_ns()
    conn.request("POST", f"/api/doors/{door}/unlock", body=b"{}", headers=headers)
    r = conn.getresponse()
    r.read()
    lat.append((time.perf_counter_ns() - t0) / 1e6)
    if r.status != 200:
        sys.exit(f"unlock {i}: HTTP {r.status}")
lat.sort()
print(f"unlock_http_ms n={n} p50={lat[n // 2]:.3f} p99={lat[int(n * 0.99)]:.3f} max={lat[-1]:.3f} "
      f"mean={statistics.mean(lat):.3f}")
