#!/usr/bin/env bash
# bench/unlock: HTTP unlock -> simulated relay active, latency over N unlocks on loopback (the relay moves before the
# answer, so the HTTP latency bounds line activation), one connection, requests back to back; plus ring latency from
# a simulated button edge to a WebSocket client (bench/unlock/ring_latency.py).
# Usage: bench/unlock/run.sh [path/to/portier]   N=10000 by default.
set -euo pipefail
BIN=${1:-build/src/app/portier}
N=${N:-10000}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$dir/portier.yaml" <<YAML
data_dir: data
demo: true
sip:
  listen: []
http:
  listen: "127.0.0.1:$port"
logging:
  level: warn
doors:
  - id: back
    page_throttle: 0
YAML
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
"$BIN" serve --config "$dir/portier.yaml" >"$dir/log" 2>&1 & pid=$!
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.01; done
printf 'a benchmark password' | "$BIN" user add bench --role admin --password-stdin --config "$dir/portier.yaml" >/dev/null
token=$("$BIN" token create --user bench --config "$dir/portier.yaml")
echo "data dir filesystem: $(df -T "$dir" | awk 'NR==2 {print $2}')"
python3 "$here/unlock_latency.py" "$port" "$token" "$N"
python3 "$here/ring_latency.py" "$port" "$token" 200
