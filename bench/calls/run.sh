#!/usr/bin/env bash
# Calls through Portier (sipp caller -> ring group -> sipp member, RTP relayed). Usage: run.sh PORTIER_BIN
set -euo pipefail
exec python3 "$(dirname "$0")/run.py" "${1:-build/src/app/portier}" --calls 200 --rate 10 --hold 2000
