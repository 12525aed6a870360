#!/usr/bin/env bash
# bench/rtp_relay: Portier's MediaRelay vs rtpengine (userspace, no kernel module) on loopback, same load generator.
# Usage: bench/rtp_relay/run.sh [ignored portier path] [run.py options]. Builds build-bench/ (PORTIER_BENCH=ON).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_BENCH:-$root/build-bench}
export CCACHE_BASEDIR=$root CCACHE_NOHASHDIR=true
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPORTIER_BENCH=ON -DPORTIER_TESTS=OFF >/dev/null
cmake --build "$build" -j "${JOBS:-2}" --target rtp_relay_server rtp_load >/dev/null
exec python3 "$here/run.py" --server "$build/bench/rtp_relay/rtp_relay_server" --load "$build/bench/rtp_relay/rtp_load" "${@:2}"
