#!/usr/bin/env bash
# `npm run bench:peer -- 300 1000`: the shared side-by-side benchmark (../shared/bench/vs-peer.sh),
# the seed design's Python peer and mock-drama's distributed mode at each player count, one table.
# The peer needs Debian's Python packages; this names them, and installs them when run as root with
# BENCH_INSTALL=1. `npm test` and CI never need them.
# STEADY=N (e.g. 3000) adds, after the table, mock-drama alone at each player count once its
# processes have played N players × 2 turns (bench/cluster/run.sh with WARMUP=N): a running
# deployment's figures beside the fresh processes' of the side-by-side run. The peer runs on
# CPython, without a JIT, so its fresh figures are its running ones.
# POLL=1 runs both the other way the public contract allows: players learn that a turn completed
# by polling GET /api/story/status/{task_id} every 100 ms (the seed design's client) instead of
# from the WebSocket; the peer (seed-peer/run.sh, MODE=poll) and mock-drama's distributed mode
# (bench/cluster/run.sh, LOADGEN_ARGS=--poll), fresh processes each, one line per run.
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
if [ "${POLL:-}" = 1 ]; then
  out=$(mktemp -d)
  for players in ${*:-300 1000}; do
    RESULTS="$out" TURNS="${TURNS:-3}" MODE=poll "$harness/seed-peer/run.sh" B "$players" >"$out/peer-$players.log" 2>&1
    node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const cpu = Object.values(r.componentCpuPctOfOneCore).reduce((a, b) => a + b, 0) - (r.componentCpuPctOfOneCore["fake-llm"] ?? 0);
      console.log(`seed peer B, ${r.players} players, polling: ${r.turnsPerSec} turns/s, ${r.completed}/${r.planned} done, overhead p50 ${r.overheadMs.p50} ms p99 ${r.overheadMs.p99} ms, CPU ${(cpu * 10 * r.cpuWindowS / r.completed).toFixed(1)} ms per turn`);
    ' "$out/seed-celery-B-${players}p.json" || echo "seed peer, $players players: run failed (see $out/peer-$players.log)"
    echo "mock-drama, $players players, polling: $(SHARED_BENCH="$harness" LOADGEN_ARGS=--poll bash "$proj/bench/cluster/run.sh" "$players" 2>/dev/null | tail -1)"
  done
  exit 0
fi
# After the table: what issue 16's throughput goals leave the server here, once the harness's own
# CPU (load generators, fake model) on the same cores is counted (bench/tools/goal-budgets.mjs).
log=$(mktemp)
"$harness/vs-peer.sh" "$@" | tee "$log"; rc=${PIPESTATUS[0]}
raw=$(sed -n 's/^raw results: //p' "$log" | tail -1); rm -f "$log"
[ -n "$raw" ] && { echo; node "$proj/bench/tools/goal-budgets.mjs" "$raw"; }
[ -z "${STEADY:-}" ] && exit "$rc"
echo
echo "mock-drama after a warm-up of $STEADY players × 2 turns (bash bench/cluster/run.sh, WARMUP=$STEADY):"
for players in ${*:-300 1000}; do
  echo "  $players players: $(SHARED_BENCH="$harness" WARMUP="$STEADY" bash "$proj/bench/cluster/run.sh" "$players" 2>/dev/null | tail -1)"
done
