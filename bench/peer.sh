#!/usr/bin/env bash
# `npm run bench:peer -- 300 1000`: the shared side-by-side benchmark (../shared/bench/vs-peer.sh),
# the seed design's Python peer and mock-drama's distributed mode at each player count, one table.
# The peer needs Debian's Python packages; this names them, and installs them when run as root with
# BENCH_INSTALL=1. `npm test` and CI never need them.
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
cd "$proj" && exec "$harness/vs-peer.sh" "$@"
