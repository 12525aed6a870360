#!/usr/bin/env bash
# bench/sip_register: Portier's SipServer, `portier serve` (the product: SQLite store, events) and kamailio on the same sipp
# REGISTER-with-digest scenario.
# Usage: bench/sip_register/run.sh [path/to/portier]  (uses sip_registrar_server from the same build dir, or
# $SIP_SERVER). Figures go to stdout; copy them into docs/status.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-build/src/app/portier}
server=${SIP_SERVER:-$(dirname "$bin")/../../tests/interop/sip_registrar_server}
exec python3 "$here/run.py" --server "$server" --portier-bin "$bin" "${@:2}"
