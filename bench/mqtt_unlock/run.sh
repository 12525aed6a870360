#!/usr/bin/env bash
# bench/mqtt_unlock: HTTP unlock -> signed command over a loopback mosquitto -> portier-lock-sim -> signed ack ->
# HTTP answer, N sequential unlocks over one keep-alive connection (the answer comes only after the device's ack,
# so the HTTP latency is the whole round trip). Target: p99 < 5 ms over 5,000 unlocks.
# Usage: bench/mqtt_unlock/run.sh [path/to/portier]   N=5000 by default; needs mosquitto (scripts/install-deps).
set -euo pipefail
BIN=${1:-build/src/app/portier}
SIM=${SIM:-$(dirname "$BIN")/../device/portier-lock-sim}
N=${N:-5000}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
mport=$(free_port)
cat > "$dir/portier.yaml" <<YAML
data_dir: data
sip:
  listen: []
http:
  listen: "127.0.0.1:$port"
logging:
  level: warn
mqtt:
  broker: "127.0.0.1:$mport"
  embedded_broker: true
doors:
  - id: gate
    relay: {driver: mqtt, device: gate, output: 1}
    mode: hold
YAML
cleanup() {
  [ -n "${sim:-}" ] && kill "$sim" 2>/dev/null
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
"$BIN" device add gate --config "$dir/portier.yaml" > "$dir/gate.json"
"$BIN" serve --config "$dir/portier.yaml" >"$dir/log" 2>&1 & pid=$!
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.01; done
printf 'a benchmark password' | "$BIN" user add bench --role admin --password-stdin --config "$dir/portier.yaml" >/dev/null
token=$("$BIN" token create --user bench --config "$dir/portier.yaml")
"$SIM" --credentials "$dir/gate.json" --broker "127.0.0.1:$mport" --heartbeat 5 > "$dir/sim.log" 2>&1 & sim=$!
for _ in $(seq 100); do
  curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/devices" | grep -q '"online":true' && break
  sleep 0.1
done
python3 "$here/../unlock/unlock_latency.py" "$port" "$token" "$N" gate
echo "device executed $(grep -c '"event":"unlock"' "$dir/sim.log") unlocks"
