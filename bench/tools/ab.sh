#!/usr/bin/env bash
# Alternated pairs: the way every claim in bench/README.md is made on these drifting machines, as
# one command. Runs a benchmark for side A, then side B, PAIRS times, and prints each run and the
# medians of both sides with B against A.
#   A is the code at REF (a git worktree under /tmp sharing this checkout's node_modules and
#   web/dist; removed at the end), or this tree when REF is "." (then compare settings: A_ENV / B_ENV).
#   B is this tree.
# Usage (project root): bash bench/tools/ab.sh REF [pairs]
#   env: BENCH=cluster|all-in-one (cluster), PLAYERS (300 cluster, 100 all-in-one), WARMUP (600 / 300),
#        A_ENV / B_ENV ("K=V K=V": EXTRA_ENV of each side's mock-drama processes),
#        and whatever the benchmark itself reads (TURNS, THREADS, NODE_ARGS, ...).
# Compare by nodePerService (cluster) or mainPerDatabase (all-in-one, with THREADS=1): they move
# ±2–4 % run to run where the raw CPU per turn moves ±10 % (bench/README.md, 2026-12-06).
set -euo pipefail
ref=${1:?usage: bench/tools/ab.sh REF [pairs]}; pairs=${2:-3}
here=$(cd "$(dirname "$0")" && pwd); proj=$(cd "$here/../.." && pwd)
bench=${BENCH:-cluster}
case $bench in
  cluster) players=${PLAYERS:-300}; warm=${WARMUP:-600}; ratio=nodePerService ;;
  all-in-one) players=${PLAYERS:-100}; warm=${WARMUP:-300}; ratio=mainPerDatabase; export THREADS=1 ;;
  *) echo "BENCH must be cluster or all-in-one" >&2; exit 2 ;;
esac
export SHARED_BENCH=${SHARED_BENCH:-$proj/../shared/bench}
a_dir=$proj; worktree=
if [ "$ref" != "." ]; then
  worktree=$(mktemp -d /tmp/md-ab-XXXXXX)
  git -C "$proj" worktree add -f --detach "$worktree" "$ref" >/dev/null
  ln -s "$proj/node_modules" "$worktree/node_modules"
  [ -d "$proj/web/dist" ] && mkdir -p "$worktree/web" && ln -s "$proj/web/dist" "$worktree/web/dist"
  a_dir=$worktree
fi
cleanup() { [ -n "$worktree" ] && git -C "$proj" worktree remove --force "$worktree" >/dev/null 2>&1 || true; }
trap cleanup EXIT
results=$(mktemp)
run() { # side dir env
  local out
  out=$(cd "$2" && WARMUP=$warm EXTRA_ENV="$3" bash "$2/bench/$bench/run.sh" "$players" 2>/dev/null | tail -1)
  echo "$1 $out" >>"$results"
  echo "$1 $(node -e 'const d=JSON.parse(process.argv[1]); console.log(JSON.stringify({turnsPerSec:d.turnsPerSec, overheadP99:d.overheadP99, cpuMsPerTurn:d.cpuMsPerTurn, [process.argv[2]]:d[process.argv[2]], errors:d.errors}))' "$out" "$ratio")" >&2
}
for i in $(seq 1 "$pairs"); do
  run A "$a_dir" "${A_ENV:-}"
  run B "$proj" "${B_ENV:-}"
done
node - "$results" "$ratio" "$ref" <<'JS'
const fs = require('fs');
const [file, ratio, ref] = process.argv.slice(2);
// Each process group's CPU a turn as columns of its own (cpuByProcess: web, work, postgres, …).
const runs = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => {
  const d = JSON.parse(l.slice(2));
  for (const [k, v] of Object.entries(d.cpuByProcess ?? {})) d[k] = v;
  return { side: l.slice(0, 1), d };
});
const groups = Object.keys(runs[0]?.d.cpuByProcess ?? {});
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const pick = (side, key) => runs.filter((r) => r.side === side).map((r) => r.d[key]).filter((v) => typeof v === 'number');
const keys = ['turnsPerSec', 'overheadP50', 'overheadP99', 'cpuMsPerTurn', ...groups, ratio];
console.log(`| side | ${keys.join(' | ')} |`);
console.log(`|---|${keys.map(() => '---').join('|')}|`);
for (const r of runs) console.log(`| ${r.side} | ${keys.map((k) => r.d[k]).join(' | ')} |`);
const line = (side) => keys.map((k) => +median(pick(side, k)).toFixed(2));
const a = line('A'), b = line('B');
console.log(`| median A (${ref === '.' ? 'A_ENV' : ref}) | ${a.join(' | ')} |`);
console.log(`| median B (this tree) | ${b.join(' | ')} |`);
console.log(`| B / A | ${a.map((v, i) => (v ? (b[i] / v).toFixed(3) : '-')).join(' | ')} |`);
JS
rm -f "$results"
