#!/usr/bin/env bash
# mock-drama's all-in-one mode (`mock-drama all`: embedded PGlite, in-process queue and bus) under
# the shared load generator with the shared fake model: N players × TURNS turns on one process.
# Prints the load generator's summary and the process's CPU per turn (from /proc).
# Usage (project root): bench/all-in-one/run.sh [players]   env: TURNS (3) PROFILE=dir EXTRA_ENV="K=V ..."
#   WARMUP=N first plays N players × 2 turns, not measured (a running deployment's figures).
#   MEMORIES=1 plays with a judge that keeps a memory of every turn (bench/lib/fake-model.sh).
#   THREADS=1 splits the CPU per turn into the main thread, the busiest other (PGlite's) and the rest.
#   With it, mainPerDatabase: the main thread's CPU over PGlite's thread's, the figure to compare a
#   change to the main thread's work by (±4 % run to run where cpuMsPerTurn moves ±11 %).
#   LOADGEN_ARGS="--ramp-ms 1000" passes options to the measured run's load generator (there: players
#   start spread over a second instead of in the same millisecond, and stay spread).
set -u
here=$(cd "$(dirname "$0")" && pwd); proj=$(cd "$here/../.." && pwd)
shared=${SHARED_BENCH:-$proj/../shared/bench}
P=${1:-100}; TURNS=${TURNS:-3}
out=${OUT:-$(mktemp -d)}; mkdir -p "$out"; data=$(mktemp -d)
ulimit -n 65536 2>/dev/null || true
. "$here/../lib/fake-model.sh"; start_fake_model 8396; bench_server_env 8396
export DATA_DIR=$data PORT=8320
for kv in ${EXTRA_ENV:-}; do export "$kv"; done
nodeargs=($(node "$proj/bin/v8-flags.js"))
[ -n "${PROFILE:-}" ] && mkdir -p "$PROFILE" && nodeargs+=(--cpu-prof --cpu-prof-dir="$PROFILE")
cd "$proj"
setsid node "${nodeargs[@]}" bin/mock-drama.js all >"$out/all.log" 2>&1 & app=$!
for _ in $(seq 1 120); do curl -sf localhost:8320/healthz >/dev/null && break; sleep 0.5; done
sleep 2
# WARMUP=N: N players × 2 turns first, not measured (JIT, PGlite's compiled code, caches warm).
[ "${WARMUP:-0}" -gt 0 ] && { node "$shared/loadgen.mjs" --mock-drama --base-url http://127.0.0.1:8320 --players "$WARMUP" --turns 2 --deadline 120 >/dev/null; sleep 1; }
# The stage means below are of the measured run only: the metrics before it are subtracted.
curl -s localhost:8320/metrics >"$out/metrics-before.txt"
before=$(node "$shared/proc-cpu.mjs" all=$app llm=$llm)
[ -n "${THREADS:-}" ] && node "$here/../tools/thread-cpu.mjs" all=$app >"$out/threads-before.json"
node "$shared/loadgen.mjs" --mock-drama --base-url http://127.0.0.1:8320 --players "$P" --turns "$TURNS" --deadline 300 $fake_model_loadgen_args ${LOADGEN_ARGS:-} >"$out/lg.json"
after=$(node "$shared/proc-cpu.mjs" all=$app llm=$llm)
[ -n "${THREADS:-}" ] && node "$here/../tools/thread-cpu.mjs" all=$app >"$out/threads-after.json"
curl -s localhost:8320/metrics >"$out/metrics.txt"
kill -TERM -- -$app 2>/dev/null; sleep 3; kill $llm 2>/dev/null; rm -rf "$data"
BENCH_TOOLS="$here/../tools" node - "$out/lg.json" "$before" "$after" "$out/metrics.txt" "$out/metrics-before.txt" <<'JS'
const fs = require('fs'); const [file, b, a, metricsFile, metricsBeforeFile] = process.argv.slice(2);
// Mean time of each turn stage and of the queue wait, from the process's own histograms (ms).
const metrics = fs.readFileSync(metricsFile, 'utf8'), metricsBefore = fs.readFileSync(metricsBeforeFile, 'utf8');
const mean = (name, filter) => {
  const sum = (text, suffix) => text.split('\n').filter((l) => l.startsWith(`${name}_${suffix}`) && l.includes(filter)).reduce((n, l) => n + Number(l.split(' ').pop()), 0);
  const pick = (suffix) => sum(metrics, suffix) - sum(metricsBefore, suffix);
  const count = pick('count');
  return count ? +((pick('sum') / count) * 1000).toFixed(1) : null;
};
const stages = Object.fromEntries(['load', 'narrate', 'judge', 'apply', 'embed', 'commit', 'publish', 'total'].map((s) => [s, mean('mock_drama_turn_stage_duration_seconds', `stage="${s}",outcome="completed"`)]));
stages.queueWait = mean('mock_drama_queue_wait_seconds', '');
const r = JSON.parse(fs.readFileSync(file, 'utf8')); const before = JSON.parse(b), after = JSON.parse(a);
const done = r.completed ?? 0;
const threads = require(`${process.env.BENCH_TOOLS}/thread-split.cjs`)(file.replace(/lg\.json$/, 'threads-before.json'), file.replace(/lg\.json$/, 'threads-after.json'), done)?.all;
// THREADS=1: the main thread's CPU per turn over PGlite's thread's. A change to the main thread's
// work that sends the database the same statements moves this and not its denominator, while the
// machine's drift moves both (as nodePerService in bench/cluster/run.sh).
const mainPerDatabase = threads?.busiestOther ? +(threads.main / threads.busiestOther).toFixed(2) : undefined;
// The harness's own CPU per turn on the same cores: the load generator and the fake model.
const harness = require(`${process.env.BENCH_TOOLS}/harness-cpu.cjs`).harnessMsPerTurn([r], after.llm - before.llm, done);
const harnessMsPerTurn = { loadgen: +harness.loadgen.toFixed(2), llm: +harness.llm.toFixed(2) };
console.log(JSON.stringify({ players: r.players, done: `${done}/${r.planned}`, errors: (r.errors ?? 0) + (r.timeouts ?? 0), turnsPerSec: r.turnsPerSec,
  overheadP50: r.overheadMs?.p50, overheadP99: r.overheadMs?.p99, cpuMsPerTurn: +(((after.all - before.all) * 1000) / Math.max(1, done)).toFixed(2),
  cpuByThread: threads, mainPerDatabase, harnessMsPerTurn, stageMeanMs: stages }));
JS
