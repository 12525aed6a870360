#!/usr/bin/env bash
# Ring fan-out benchmark: call-button press -> INVITE at each of 100 registered phones. Usage: run.sh PORTIER_BIN
set -euo pipefail
exec python3 "$(dirname "$0")/run.py" "${1:-build/src/app/portier}" --phones 100 --presses 30
