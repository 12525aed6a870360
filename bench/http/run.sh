#!/usr/bin/env bash
# bench/http: requests/s and latency of an authenticated GET (bearer token) and of login attempts, with wrk on
# loopback against a real `portier serve`; plus idle RSS and start-up time to the listening socket.
# Usage: bench/http/run.sh [path/to/portier]   (figures go to stdout; copy them into docs/status.md)
set -euo pipefail
BIN=${1:-build/src/app/portier}
DUR=${DUR:-10}
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$dir/portier.yaml" <<YAML
data_dir: data
http:
  listen: "127.0.0.1:$port"
logging:
  level: warn
sip:
  listen: []
YAML
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT

# Start-up time: from exec to the first successful /health (best of 5 runs).
best=999999
for i in 1 2 3 4 5; do
  t0=$(date +%s%N)
  "$BIN" serve --config "$dir/portier.yaml" >"$dir/log" 2>&1 & pid=$!
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.001; done
  t1=$(date +%s%N)
  ms=$(( (t1 - t0) / 1000000 ))
  [ "$ms" -lt "$best" ] && best=$ms
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done
echo "startup_to_healthy_ms(best of 5, includes curl polling): $best"

"$BIN" serve --config "$dir/portier.yaml" >"$dir/log" 2>&1 & pid=$!
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.01; done
sleep 1
echo "idle_rss_kib: $(awk '/VmRSS/ {print $2}' /proc/$pid/status)"

printf 'a benchmark password' | "$BIN" user add bench --role admin --password-stdin --config "$dir/portier.yaml" >/dev/null
token=$("$BIN" token create --user bench --config "$dir/portier.yaml")

echo "--- authenticated GET /api/users (bearer), 2 threads, 32 connections, ${DUR}s"
wrk -t2 -c32 -d"${DUR}s" --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/users" \
  | grep -E "Requests/sec|  50%|  99%|Non-2xx|Socket errors"

echo "--- GET /health (no auth), 2 threads, 32 connections, ${DUR}s"
wrk -t2 -c32 -d"${DUR}s" --latency "http://127.0.0.1:$port/health" | grep -E "Requests/sec|  50%|  99%|Non-2xx"

echo "--- POST /api/auth/login with the right password (argon2id, interactive limits), 1 thread, 4 connections, ${DUR}s"
cat > "$dir/login.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"username":"bench","password":"a benchmark password"}'
LUA
wrk -t1 -c4 -d"${DUR}s" --latency -s "$dir/login.lua" "http://127.0.0.1:$port/api/auth/login" \
  | grep -E "Requests/sec|  50%|  99%|Non-2xx"
echo "rss_after_load_kib: $(awk '/VmRSS/ {print $2}' /proc/$pid/status)"
