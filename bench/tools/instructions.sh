#!/usr/bin/env bash
# Instructions per turn of one mock-drama process, counted by valgrind (callgrind), not timed: the
# count does not follow the machine's speed, which drifts by ±20 % between runs here. It is not exact
# either: whether a major GC or a background compile falls in the window moves it by up to ±15 %
# (bench/README.md, "Counting instead of timing"), so it tells large effects only, or many runs.
# One `serve` and one `work` on the local Redis and PostgreSQL with the shared fake model (as
# bench/cluster/run.sh); ROLE (work, default, or serve) runs under valgrind, ~50× slower, so few
# players play at once. Counting starts after a warm-up and covers the measured players' turns only.
# Usage (project root): bash bench/tools/instructions.sh   env: ROLE (work) PLAYERS (6) TURNS (8)
#   PORT_BASE (added to every port, to run two at once) WARMUP (players × 2 turns before counting, default 30) NODE_ARGS EXTRA_ENV KEEP_OUT=1
# Prints one JSON line: turns, instructions per turn (all the process's threads: V8's compiler and
# GC helpers, libuv's pool, the lock keeper) and, with KEEP_OUT=1, where the logs and the dump are.
set -u
here=$(cd "$(dirname "$0")" && pwd); proj=$(cd "$here/../.." && pwd)
shared=${SHARED_BENCH:-$proj/../shared/bench}
PB=${PORT_BASE:-0}; ROLE=${ROLE:-work}; PLAYERS=${PLAYERS:-6}; TURNS=${TURNS:-8}; WARMUP=${WARMUP:-30}
[ -f "$shared/loadgen.mjs" ] || { echo "no load generator at $shared/loadgen.mjs (set SHARED_BENCH)" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
out=$(mktemp -d)
db=md_instr_$$; prefix=mdi$$
psql -h 127.0.0.1 -U postgres -d postgres -qc "create database $db" >/dev/null
. "$here/../lib/fake-model.sh"; start_fake_model $((8398 + PB)); bench_server_env $((8398 + PB))
export REDIS_URL=redis://127.0.0.1:6379/9 REDIS_PREFIX=$prefix DATABASE_URL=postgres://postgres@127.0.0.1:5432/$db
for kv in ${EXTRA_ENV:-}; do export "$kv"; done
nodeargs=($(node "$proj/bin/v8-flags.js") ${NODE_ARGS:-})
vg=(valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" --dump-instr=no --dump-line=no)
cd "$proj"
if [ "$ROLE" = serve ]; then web=("${vg[@]}" node "${nodeargs[@]}"); work=(node "${nodeargs[@]}"); else web=(node "${nodeargs[@]}"); work=("${vg[@]}" node "${nodeargs[@]}"); fi
PORT=$((8330 + PB)) setsid "${web[@]}" bin/mock-drama.js serve >"$out/web.log" 2>&1 & webpid=$!
WORKER_HEALTH_PORT=$((9499 - PB)) setsid "${work[@]}" bin/mock-drama.js work >"$out/work.log" 2>&1 & workpid=$!
cleanup() { kill -TERM -- -$webpid -$workpid 2>/dev/null; sleep 2; kill -KILL -- -$webpid -$workpid 2>/dev/null; kill $llm 2>/dev/null
  psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database if exists $db with (force)" >/dev/null
  redis-cli -n 9 --scan --pattern "$prefix:*" | xargs -r -n 500 redis-cli -n 9 del >/dev/null
  [ -n "${KEEP_OUT:-}" ] || rm -rf "$out"; }
trap cleanup EXIT
vgpid=$workpid; [ "$ROLE" = serve ] && vgpid=$webpid
for _ in $(seq 1 600); do curl -sf localhost:$((8330 + PB))/healthz >/dev/null && curl -sf localhost:$((9499 - PB))/healthz >/dev/null && break; sleep 1; done
echo "started; warm-up: $WARMUP players × 2 turns" >&2
node "$shared/loadgen.mjs" --mock-drama --base-url http://127.0.0.1:$((8330 + PB)) --players "$WARMUP" --turns 2 --deadline 900 >"$out/warm.json"
sleep 2
callgrind_control -z "$vgpid" >/dev/null 2>&1
echo "counting: $PLAYERS players × $TURNS turns" >&2
node "$shared/loadgen.mjs" --mock-drama --base-url http://127.0.0.1:$((8330 + PB)) --players "$PLAYERS" --turns "$TURNS" --deadline 900 >"$out/run.json"
sleep 1
callgrind_control -d "$vgpid" >/dev/null 2>&1
sleep 1
node - "$out" "$PLAYERS" "$ROLE" <<'JS'
const fs = require('fs'); const [dir, players, role] = process.argv.slice(2);
const run = JSON.parse(fs.readFileSync(`${dir}/run.json`, 'utf8'));
const dumps = fs.readdirSync(dir).filter((f) => /^callgrind\.out\.\d+$/.test(f)).map((f) => `${dir}/${f}`);
let ir = 0; // threads are not separated: one dump per `callgrind_control -d`, all threads in it
for (const f of dumps) { const m = /^summary:\s+(\d+)/m.exec(fs.readFileSync(f, 'utf8')); if (m) ir += Number(m[1]); }
const turns = run.completed ?? 0;
if (!turns || !ir) { console.error(`no turn counted (turns ${turns}, dumps ${dumps.length}); logs in ${dir} (KEEP_OUT=1 keeps them)`); process.exitCode = 1; }
console.log(JSON.stringify({ role, players: +players, turns, errors: (run.errors ?? 0) + (run.timeouts ?? 0), instructionsPerTurn: turns ? Math.round(ir / turns) : null, megaInstructionsPerTurn: turns ? +(ir / turns / 1e6).toFixed(2) : null, dumps: dumps.length, out: dir }));
JS
