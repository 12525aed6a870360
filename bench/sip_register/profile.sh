#!/usr/bin/env bash
# bench/sip_register/profile.sh: instructions per REGISTER-with-digest registration under callgrind, repeatable on a
# loaded machine (wall-clock rates are not). Runs sip_registrar_server under valgrind, zeroes the counters once it
# is listening, places N registrations with sipp at RATE/s, waits for Timer J (34 s) so that transaction clean-up is
# counted too, dumps and prints total instructions and total / requests x 2 (two requests per registration).
# Usage: bench/sip_register/profile.sh [path/to/sip_registrar_server]   N=300 RATE=10 by default; the callgrind
# output stays in the printed directory for callgrind_annotate --inclusive=yes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
srv=${1:-build/tests/interop/sip_registrar_server}
N=${N:-300}
RATE=${RATE:-10}
free() { python3 -c 'import socket; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free); cport=$(free)
dir=$(mktemp -d /tmp/portier-sip-profile-XXXXXX)
valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out" "$srv" --listen "udp:127.0.0.1:$port" \
  --ext 101:bench-pw-101 --max-failures 1000000000 --log-level error --quiet 1 >"$dir/server.log" 2>&1 & vpid=$!
for _ in $(seq 150); do grep -q READY "$dir/server.log" && break; sleep 0.2; done
callgrind_control -z "$vpid" >/dev/null 2>&1
(cd "$dir" && sipp -sf "$here/register.xml" -i 127.0.0.1 -p "$cport" -s 101 -au 101 -ap bench-pw-101 -r "$RATE" \
  -m "$N" -l $((RATE * 4)) -nostdin -timeout 300s "127.0.0.1:$port" >sipp.log 2>&1) || true
grep -E "Successful call|Failed call" "$dir/sipp.log" | tail -2
sleep 34
callgrind_control -d "$vpid" >/dev/null 2>&1
sleep 1
kill -TERM "$vpid"
wait "$vpid" || true
total=$(callgrind_annotate "$dir/cg.out.1" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
requests=$(grep -o 'requests=[0-9]*' "$dir/server.log" | head -1 | cut -d= -f2)
echo "instructions: $total for $requests requests; per registration: $(( total * 2 / requests ))"
# The SipServer's 20 ms timer tick runs whether requests come or not; at 10/s it is a visible share.
tick=$(callgrind_annotate --inclusive=yes "$dir/cg.out.1" 2>/dev/null |
  awk '/wait_handler<portier::sip::ua::SipServer::do_tick/ && !done {gsub(",", "", $1); print $1; done = 1}')
[ -z "$tick" ] || echo "of which the idle timer tick: $tick; per registration without it: $(( (total - tick) * 2 / requests ))"
echo "callgrind output: $dir/cg.out.1"
