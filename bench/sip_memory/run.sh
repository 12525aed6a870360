#!/usr/bin/env bash
# bench/sip_memory: memory of `portier serve` per 10,000 SIP registrations. Creates N extensions directly in a fresh
# database, registers each once with sipp (digest, one extension per call from an injection file), waits until the
# 32 s transaction state has drained, and reports RSS before and after.
# Usage: bench/sip_memory/run.sh [path/to/portier]   N=10000 RATE=500 by default.
set -euo pipefail
BIN=${1:-build/src/app/portier}
N=${N:-10000}
RATE=${RATE:-500}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http=$(free); sip=$(free)
cat > "$dir/portier.yaml" <<YAML
data_dir: data
http:
  listen: "127.0.0.1:$http"
sip:
  listen: ["udp:127.0.0.1:$sip"]
logging:
  level: warn
YAML
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
"$BIN" extension list --config "$dir/portier.yaml" >/dev/null  # creates and migrates the database
python3 - "$dir/data/portier.db" "$dir/users.csv" "$N" <<'PY'
import sqlite3, sys, time
db, csv, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
con = sqlite3.connect(db)
now = int(time.time() * 1000)
con.executemany("INSERT INTO sip_extensions (number, display_name, secret, role, created_at_ms) VALUES (?,?,?,?,?)",
                [(f"u{i}", f"User {i}", f"secret-{i}", "resident", now) for i in range(n)])
con.commit()
with open(csv, "w") as f:
    f.write("SEQUENTIAL\n")
    for i in range(n):
        f.write(f"u{i};[authentication username=u{i} password=secret-{i}]\n")
PY
"$BIN" serve --config "$dir/portier.yaml" >"$dir/log" 2>&1 & pid=$!
until curl -sf "http://127.0.0.1:$http/health" >/dev/null; do sleep 0.05; done
rss() { awk '/VmRSS/ {print $2}' /proc/$pid/status; }
before=$(rss)
(cd "$dir" && sipp -sf "$here/register_many.xml" -inf "$dir/users.csv" -i 127.0.0.1 -p "$(free)" -m "$N" -r "$RATE" \
  -nostdin -timeout 120s -timeout_error -trace_stat -fd 1 127.0.0.1:"$sip" >/dev/null 2>&1) || echo "sipp reported failures"
peak=$(rss)
sleep 35  # RFC 3261 keeps completed non-INVITE server transactions for 32 s (timer J)
after=$(rss)
count=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM sip_registrations").fetchone()[0])' "$dir/data/portier.db")
echo "registrations stored: $count of $N"
echo "rss_kib before=$before right_after=$peak after_timer_J=$after"
echo "per_10k_registrations_kib (after timer J): $(( (after - before) * 10000 / N ))"
