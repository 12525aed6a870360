#!/usr/bin/env bash
# bench/webrtc: concurrent WebRTC calls (ICE + DTLS-SRTP) bridged to a sipp UAS, Portier vs Janus.
# Usage: bench/webrtc/run.sh [run.py options, e.g. --steps 10,50,100 --hold 15 --no-janus]. Builds build-bench/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_BENCH:-$root/build-bench}
export CCACHE_BASEDIR=$root CCACHE_NOHASHDIR=true
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPORTIER_BENCH=ON -DPORTIER_TESTS=OFF >/dev/null
cmake --build "$build" -j "${JOBS:-2}" --target portier webrtc_load >/dev/null
exec python3 "$here/run.py" --portier "$build/src/app/portier" --load "$build/bench/webrtc/webrtc_load" "$@"
