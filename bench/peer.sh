#!/usr/bin/env bash
# `npm run bench:peer -- 300 1000`: the shared side-by-side benchmark (../shared/bench/vs-peer.sh),
# the seed design's Python peer and mock-drama's distributed mode at each player count, one table.
# The peer needs Debian's Python packages; this names them, and installs them when run as root with
# BENCH_INSTALL=1. `npm test` and CI never need them.
# STEADY=N (e.g. 3000) adds, after the table, mock-drama alone at each player count once its
# processes have played N players × 2 turns (bench/cluster/run.sh with WARMUP=N): a running
# deployment's figures beside the fresh processes' of the side-by-side run. The peer runs on
# CPython, without a JIT, so its fresh figures are its running ones.
set -u
proj=$(cd "$(dirname "$0")/.." && pwd)
harness=${SHARED_BENCH:-$proj/../shared/bench}
[ -x "$harness/vs-peer.sh" ] || { echo "bench:peer: no harness at $harness (set SHARED_BENCH)" >&2; exit 2; }
packages="python3-celery python3-fastapi python3-uvicorn python3-redis python3-psycopg2 python3-requests python3-gevent python3-psycogreen"
if ! /usr/bin/python3 -c 'import celery, fastapi, uvicorn, redis, psycopg2, requests, gevent, psycogreen' 2>/dev/null; then
  if [ "${BENCH_INSTALL:-}" = 1 ] && [ "$(id -u)" = 0 ]; then
    echo "== installing the peer's Python packages" >&2
    apt-get install -y -qq $packages >/dev/null || { echo "bench:peer: apt-get install failed" >&2; exit 2; }
  else
    echo "bench:peer: the seed peer needs Debian packages; install them with" >&2
    echo "  apt-get install -y $packages" >&2
    echo "(or run with BENCH_INSTALL=1 as root)" >&2
    exit 2
  fi
fi
cd "$proj"
if [ -z "${STEADY:-}" ]; then exec "$harness/vs-peer.sh" "$@"; fi
"$harness/vs-peer.sh" "$@"
echo
echo "mock-drama after a warm-up of $STEADY players × 2 turns (bash bench/cluster/run.sh, WARMUP=$STEADY):"
for players in ${*:-300 1000}; do
  echo "  $players players: $(SHARED_BENCH="$harness" WARMUP="$STEADY" bash "$proj/bench/cluster/run.sh" "$players" 2>/dev/null | tail -1)"
done
