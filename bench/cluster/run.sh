#!/usr/bin/env bash
# mock-drama's distributed mode alone under the shared load generator: WEB `serve` + WORKERS `work`
# processes on the local Redis and PostgreSQL, the shared fake model, N players × TURNS turns.
# Prints the load generator's summary and the CPU per turn of each process group (from /proc).
# Usage (project root): bench/cluster/run.sh [players]   env: TURNS (3) WEB (2) WORKERS (3) PROFILE=dir
#   WEB_ROLE=all starts the WEB processes as `mock-drama all` (web and worker in one process, on the same
#   Redis and PostgreSQL); with WORKERS=0, one process per core doing both roles.
#   WARMUP=N first plays N players × 2 turns, not measured: the processes' JIT, connection pools and
#   caches are warm, so the figures are a running deployment's rather than a fresh start's.
#   PROFILE=dir writes a V8 CPU profile of every web and worker process into dir.
#   EXTRA_ENV="K=V K=V" adds environment to the mock-drama processes.
#   LOADGEN_ARGS="--poll" passes options to the measured run's load generators (there: players learn
#   that a turn completed by polling GET /api/story/status every 100 ms, as the seed design's client
#   does, instead of from the WebSocket).
#   NODE_ARGS="--flag …" adds V8/Node flags to the mock-drama processes (also those NODE_OPTIONS refuses).
#   PERF=file records the measured window with `perf record -a -g` (every process, kernel included,
#   on-CPU samples only) into file; the node processes write JIT symbol maps for it (/tmp/perf-PID.map).
#   MEMORIES=1 plays with a judge that keeps a memory of every turn (bench/lib/fake-model.sh).
#   SYSCALLS=1 counts the web and worker processes' system calls in the window (`perf trace -s`, all
#   their threads) and prints them per turn.
#   FAULTS=1 adds page faults and context switches per turn by process group (their children
#   included: PostgreSQL's backends), from /proc.
#   THREADS=1 splits each process group's CPU per turn into its main threads, the busiest other thread
#   and the rest (V8's compiler and GC helpers, libuv's pool, worker threads).
#   nodePerService in the output: the web and worker CPU per turn over PostgreSQL's and Redis's. The
#   machine's drift moves both alike; to compare a change to the Node processes alone, compare this
#   (±2 % run to run, against ±5–10 % for cpuMsPerTurn; TURNS=8 for a longer window).
set -u
here=$(cd "$(dirname "$0")" && pwd); proj=$(cd "$here/../.." && pwd)
shared=${SHARED_BENCH:-$proj/../shared/bench}
P=${1:-300}; TURNS=${TURNS:-3}; WEB=${WEB:-2}; WORKERS=${WORKERS:-3}
out=${OUT:-$(mktemp -d)}; mkdir -p "$out"
ulimit -n 65536 2>/dev/null || true
db=md_cluster_$$
psql -h 127.0.0.1 -U postgres -d postgres -qc "create database $db" >/dev/null
prefix=mdb$$
. "$here/../lib/fake-model.sh"; start_fake_model 8397; bench_server_env 8397
export REDIS_URL=redis://127.0.0.1:6379/8 REDIS_PREFIX=$prefix DATABASE_URL=postgres://postgres@127.0.0.1:5432/$db
for kv in ${EXTRA_ENV:-}; do export "$kv"; done
nodeargs=($(node "$proj/bin/v8-flags.js") ${NODE_ARGS:-})
[ -n "${PERF:-}" ] && nodeargs+=(--perf-basic-prof)
[ -n "${PROFILE:-}" ] && mkdir -p "$PROFILE" && nodeargs+=(--cpu-prof --cpu-prof-dir="$PROFILE")
cd "$proj"
webpids=(); workpids=(); ports=()
for i in $(seq 1 "$WEB"); do port=$((8310 + i)); ports+=($port)
  PORT=$port setsid node "${nodeargs[@]}" bin/mock-drama.js "${WEB_ROLE:-serve}" >"$out/web$i.log" 2>&1 & webpids+=($!); done
for i in $(seq 1 "$WORKERS"); do WORKER_HEALTH_PORT=$((9490 + i)) setsid node "${nodeargs[@]}" bin/mock-drama.js work >"$out/work$i.log" 2>&1 & workpids+=($!); done
for port in "${ports[@]}"; do for _ in $(seq 1 120); do curl -sf localhost:$port/healthz >/dev/null && break; sleep 0.5; done; done
sleep 2
if [ "${WARMUP:-0}" -gt 0 ]; then
  warm=()
  for port in "${ports[@]}"; do node "$shared/loadgen.mjs" --mock-drama --base-url http://127.0.0.1:$port --players $((WARMUP / ${#ports[@]} + 1)) --turns 2 --deadline 120 >/dev/null & warm+=($!); done
  wait "${warm[@]}"; sleep 1
fi
pg=$(head -1 "$(psql -h 127.0.0.1 -U postgres -d postgres -Atc 'show data_directory')/postmaster.pid")
rd=$(pgrep -x redis-server | tr '\n' ',')
threadroots="web=$(IFS=,; echo "${webpids[*]}") work=$(IFS=,; echo "${workpids[*]}")"
roots="$threadroots postgres=$pg redis=$rd llm=$llm"
before=$(node "$shared/proc-cpu.mjs" $roots); t0=$(date +%s.%N)
[ -n "${THREADS:-}" ] && node "$here/../tools/thread-cpu.mjs" $threadroots >"$out/threads-before.json"
[ -n "${FAULTS:-}" ] && node "$here/../tools/proc-faults.mjs" $roots >"$out/faults-before.json"
[ -n "${PERF:-}" ] && { perf record -F 999 -a -g -o "$PERF" >/dev/null 2>&1 & perfpid=$!; }
if [ -n "${SYSCALLS:-}" ]; then
  perf trace -s -o "$out/syscalls-web.txt" -p "$(IFS=,; echo "${webpids[*]}")" >/dev/null 2>&1 & tracepids=($!)
  perf trace -s -o "$out/syscalls-work.txt" -p "$(IFS=,; echo "${workpids[*]}")" >/dev/null 2>&1 & tracepids+=($!)
fi
lgs=(); n=${#ports[@]}; per=$((P / n)); rest=$((P - per * n)); k=0
for port in "${ports[@]}"; do k=$((k+1)); p=$per; [ $k -eq 1 ] && p=$((per + rest))
  node "$shared/loadgen.mjs" --mock-drama --base-url http://127.0.0.1:$port --players $p --turns $TURNS --deadline 300 $fake_model_loadgen_args ${LOADGEN_ARGS:-} >"$out/lg-$k.json" & lgs+=($!); done
wait "${lgs[@]}"
[ -n "${PERF:-}" ] && { kill -INT $perfpid; wait $perfpid; }
[ -n "${SYSCALLS:-}" ] && { kill -INT "${tracepids[@]}"; wait "${tracepids[@]}"; }
t1=$(date +%s.%N); after=$(node "$shared/proc-cpu.mjs" $roots)
[ -n "${THREADS:-}" ] && node "$here/../tools/thread-cpu.mjs" $threadroots >"$out/threads-after.json"
[ -n "${FAULTS:-}" ] && node "$here/../tools/proc-faults.mjs" $roots >"$out/faults-after.json"
for p in "${webpids[@]}" "${workpids[@]}"; do kill -TERM -- -$p 2>/dev/null; done
sleep 3; kill $llm 2>/dev/null
[ -n "${KEEP_DB:-}" ] && echo "kept database $db" >&2 || psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database if exists $db with (force)" >/dev/null
redis-cli -n 8 --scan --pattern "$prefix:*" | xargs -r -n 500 redis-cli -n 8 del >/dev/null
# Turns run more than once: taken as stalled (lost lock) or retried after a failure.
reruns=$(cat "$out"/web*.log "$out"/work*.log 2>/dev/null | grep -c -e 'turn stalled' -e 'turn will be retried' -e 'turn lock lost' || true)
BENCH_TOOLS="$here/../tools" node - "$out" "$before" "$after" "$t0" "$t1" "$reruns" <<'JS'
const fs = require('fs'); const [dir, b, a, t0, t1, reruns] = process.argv.slice(2);
const before = JSON.parse(b), after = JSON.parse(a);
const runs = fs.readdirSync(dir).filter((f) => /^lg-\d+\.json$/.test(f)).map((f) => JSON.parse(fs.readFileSync(`${dir}/${f}`, 'utf8')));
const done = runs.reduce((s, r) => s + (r.completed ?? 0), 0), planned = runs.reduce((s, r) => s + (r.planned ?? 0), 0);
const errors = runs.reduce((s, r) => s + (r.errors ?? 0) + (r.timeouts ?? 0), 0);
const per = {}; let total = 0;
for (const k of Object.keys(after)) { per[k] = +((after[k] - before[k]) * 1000 / Math.max(1, done)).toFixed(2); if (k !== 'llm') total += per[k]; }
// SYSCALLS=1: `perf trace -s` summaries, one per process group; system calls per turn, the most frequent first.
const syscalls = {};
for (const group of ['web', 'work']) {
  const file = `${dir}/syscalls-${group}.txt`; if (!fs.existsSync(file)) continue;
  const counts = {};
  for (const m of fs.readFileSync(file, 'utf8').matchAll(/^\s+(\w+)\s+(\d+)\s+\d+\s+[\d.]+/gm)) counts[m[1]] = (counts[m[1]] ?? 0) + Number(m[2]);
  const perTurn = Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, +(v / Math.max(1, done)).toFixed(1)]).filter(([, v]) => v >= 0.1);
  syscalls[group] = { total: +perTurn.reduce((t, [, v]) => t + v, 0).toFixed(1), ...Object.fromEntries(perTurn) };
}
// FAULTS=1: page faults and context switches per turn by process group.
let faults;
if (fs.existsSync(`${dir}/faults-after.json`)) {
  const fb = JSON.parse(fs.readFileSync(`${dir}/faults-before.json`, 'utf8')), fa = JSON.parse(fs.readFileSync(`${dir}/faults-after.json`, 'utf8'));
  faults = Object.fromEntries(Object.keys(fa).filter((g) => g !== 'llm').map((g) => [g, Object.fromEntries(Object.keys(fa[g]).map((k) => [k, +((fa[g][k] - fb[g][k]) / Math.max(1, done)).toFixed(1)]))]));
}
const tps = runs.reduce((s, r) => s + (r.turnsPerSec ?? 0), 0);
// Node's CPU per turn over PostgreSQL's and Redis's: a change to the Node processes alone moves this
// and not its denominator, while the machine's drift (a neighbour, a slower minute) moves both.
const nodePerService = +((per.web + per.work) / Math.max(0.01, per.postgres + per.redis)).toFixed(2);
// The harness's own CPU per turn on the same cores (load generators, fake model): what the goals
// leave the server is what is left.
const harness = require(`${process.env.BENCH_TOOLS}/harness-cpu.cjs`).harnessMsPerTurn(runs, after.llm - before.llm, done);
const harnessMsPerTurn = { loadgen: +harness.loadgen.toFixed(2), llm: +harness.llm.toFixed(2) };
console.log(JSON.stringify({ players: runs.reduce((s, r) => s + r.players, 0), done: `${done}/${planned}`, errors, errorKinds: runs.map((r) => r.errorKinds),
  turnsPerSec: +tps.toFixed(1), overheadP50: Math.max(...runs.map((r) => r.overheadMs?.p50 ?? NaN)), overheadP99: Math.max(...runs.map((r) => r.overheadMs?.p99 ?? NaN)),
  cpuMsPerTurn: +total.toFixed(2), cpuByProcess: per, nodePerService, harnessMsPerTurn, cpuByThread: require(`${process.env.BENCH_TOOLS}/thread-split.cjs`)(`${dir}/threads-before.json`, `${dir}/threads-after.json`, done), ...(Object.keys(syscalls).length ? { syscallsPerTurn: syscalls } : {}), ...(faults ? { faultsPerTurn: faults } : {}), rerunsPer1000: +((Number(reruns) * 1000) / Math.max(1, done)).toFixed(1), windowS: +(t1 - t0).toFixed(1), raw: dir }));
JS
