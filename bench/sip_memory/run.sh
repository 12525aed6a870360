#!/usr/bin/env bash
# bench/sip_memory: memory per 10,000 SIP registrations, Portier vs kamailio, in one run. N extensions (u0..uN-1,
# password pw-uI) register once each with sipp (digest, one extension per call from an injection file), first
# against `portier serve` (extensions created directly in a fresh database; bindings persisted in SQLite), then
# against kamailio (registrar + usrloc in memory, bench/sip_memory/kamailio.cfg, the same digest scenario).
# Reported per server, before and a few seconds after the registrations: RSS and PSS (proportional set size, which
# splits pages shared between processes, so that kamailio's forked workers sharing one shm segment are not counted
# several times), summed over all its processes, and for kamailio also its shared-memory allocator's "used" figure
# (kamcmd core.shmmem real_used), which is where usrloc keeps contacts. Growth is scaled to 10,000 registrations.
# Usage: bench/sip_memory/run.sh [path/to/portier]   N=10000 RATE=150 SETTLE=5 KAMAILIO_CHILDREN=2 by default;
# SKIP_KAMAILIO=1 / SKIP_PORTIER=1 measure one side only. Needs sipp (and kamailio, kamcmd).
set -euo pipefail
BIN=$(realpath "${1:-build/src/app/portier}")
N=${N:-10000}
RATE=${RATE:-1000}  # portier serve writes bindings behind, one transaction per 200 ms
SETTLE=${SETTLE:-5}  # REGISTERs are answered statelessly: nothing is kept beyond the bindings themselves
CHILDREN=${KAMAILIO_CHILDREN:-2}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d /tmp/portier-sip-memory-XXXXXX)
free() { python3 -c 'import socket; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pid=""; kpid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  [ -n "$kpid" ] && kill -TERM -- "-$kpid" 2>/dev/null
  wait 2>/dev/null; rm -rf "$dir"
}
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap - EXIT

# "rss_kib pss_kib" summed over the given PIDs.
mem() {
  python3 - "$@" <<'PY'
import sys
rss = pss = 0
for pid in sys.argv[1:]:
    try:
        for line in open(f"/proc/{pid}/smaps_rollup"):
            if line.startswith("Rss:"): rss += int(line.split()[1])
            elif line.startswith("Pss:"): pss += int(line.split()[1])
    except OSError:
        pass
print(rss, pss)
PY
}
per10k() { echo $(( ($2 - $1) * 10000 / N )); }

python3 - "$dir/users.csv" "$N" <<'PY'
import sys
csv, n = sys.argv[1], int(sys.argv[2])
with open(csv, "w") as f:
    f.write("SEQUENTIAL\n")
    for i in range(n):
        f.write(f"u{i};[authentication username=u{i} password=pw-u{i}]\n")
PY
register_all() {  # $1 = target port; prints sipp's verdict
  (cd "$dir" && sipp -sf "$here/register_many.xml" -inf "$dir/users.csv" -i 127.0.0.1 -p "$(free)" -m "$N" -r "$RATE" \
    -nostdin -timeout 120s -timeout_error -trace_err 127.0.0.1:"$1" >"$dir/sipp.out" 2>&1) || echo "sipp reported failures"
  grep -E "Successful call|Failed call" "$dir/sipp.out" | tail -2 | tr -s ' ' | sed 's/^/  /'
}

# --- Portier ---
portier() {
http=$(free); sip=$(free)
mkdir -p "$dir/portier"
cat > "$dir/portier/portier.yaml" <<YAML
data_dir: data
http:
  listen: "127.0.0.1:$http"
sip:
  listen: ["udp:127.0.0.1:$sip"]
logging:
  level: warn
YAML
(cd "$dir/portier" && "$BIN" extension list --config portier.yaml >/dev/null)  # creates and migrates the database
python3 - "$dir/portier/data/portier.db" "$N" <<'PY'
import sqlite3, sys, time
db, n = sys.argv[1], int(sys.argv[2])
con = sqlite3.connect(db)
now = int(time.time() * 1000)
con.executemany("INSERT INTO sip_extensions (number, display_name, secret, role, created_at_ms) VALUES (?,?,?,?,?)",
                [(f"u{i}", f"User {i}", f"pw-u{i}", "resident", now) for i in range(n)])
con.commit()
PY
(cd "$dir/portier" && exec "$BIN" serve --config portier.yaml >"$dir/portier.log" 2>&1) & pid=$!
until curl -sf "http://127.0.0.1:$http/health" >/dev/null; do sleep 0.05; done
sleep 1
read -r p_rss0 p_pss0 < <(mem "$pid")
echo "portier: $N registrations at $RATE/s"
register_all "$sip"
sleep "$SETTLE"
read -r p_rss1 p_pss1 < <(mem "$pid")
count=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM sip_registrations").fetchone()[0])' "$dir/portier/data/portier.db")
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
echo "  registrations stored: $count of $N"
echo "  rss_kib before=$p_rss0 after=$p_rss1  pss_kib before=$p_pss0 after=$p_pss1"
echo "portier per_10k_registrations_kib: rss $(per10k "$p_rss0" "$p_rss1") pss $(per10k "$p_pss0" "$p_pss1")"
}
[ "${SKIP_PORTIER:-0}" = 1 ] || portier

[ "${SKIP_KAMAILIO:-0}" = 1 ] && exit 0
if ! command -v kamailio >/dev/null; then echo "kamailio: SKIP (not installed)"; exit 0; fi
# --- kamailio ---
kport=$(free)
sed -e "s|LISTEN|127.0.0.1:$kport|" -e "s|CHILDREN|$CHILDREN|" -e "s|CTL|$dir/kamailio.ctl|" "$here/kamailio.cfg" \
  >"$dir/kamailio.cfg"
setsid kamailio -f "$dir/kamailio.cfg" -DD -E -m 64 -M 8 >"$dir/kamailio.log" 2>&1 & kpid=$!
for _ in $(seq 100); do [ -S "$dir/kamailio.ctl" ] && break; sleep 0.1; done
sleep 1
kpids() { pgrep -s "$kpid" | tr '\n' ' '; }
shm_used() { kamcmd -s "unix:$dir/kamailio.ctl" core.shmmem | awk '$1 == "real_used:" {print int($2 / 1024)}'; }
read -r k_rss0 k_pss0 < <(mem $(kpids))
k_shm0=$(shm_used)
echo "kamailio ($CHILDREN UDP workers, $(kpids | wc -w) processes): $N registrations at $RATE/s"
register_all "$kport"
sleep "$SETTLE"
read -r k_rss1 k_pss1 < <(mem $(kpids))
k_shm1=$(shm_used)
contacts=$(kamcmd -s "unix:$dir/kamailio.ctl" stats.get_statistics usrloc: 2>/dev/null | awk '/registered_users/ {print $3}' || true)
echo "  registered users: ${contacts:-?} of $N"
echo "  rss_kib before=$k_rss0 after=$k_rss1  pss_kib before=$k_pss0 after=$k_pss1  shm_real_used_kib before=$k_shm0 after=$k_shm1"
echo "kamailio per_10k_registrations_kib: rss $(per10k "$k_rss0" "$k_rss1") pss $(per10k "$k_pss0" "$k_pss1") shm_real_used $(per10k "$k_shm0" "$k_shm1")"
