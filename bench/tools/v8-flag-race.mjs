// Shows why the CLI's V8 flags are given on node's command line and never set from inside a
// running process (bin/v8-flags.js): a child keeps TurboFan busy (new callers and callees all
// the time, callees' bytecode between the two inlining limits, each optimized soon under a small
// interrupt budget) while `v8.setFlagsFromString` moves `--max-inlined-bytecode-size` (or, as
// the control, another flag, or nothing). Prints how many children V8 aborted, for each.
//   node bench/tools/v8-flag-race.mjs [children per case (3)] [seconds each (10)]
import { spawnSync } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';

const CASES = {
  'inlining limit 115 <-> 460': ['--max-inlined-bytecode-size=115', '--max-inlined-bytecode-size=460'],
  'cumulative limit 230 <-> 920': ['--max-inlined-bytecode-size-cumulative=230', '--max-inlined-bytecode-size-cumulative=920'],
  'interrupt budget 2000 <-> 4000': ['--interrupt-budget=2000', '--interrupt-budget=4000'],
  'no flag moved': null,
};

if (process.argv[2] === '--child') {
  const flips = JSON.parse(process.argv[3]);
  const seconds = Number(process.argv[4]);
  const body = (i) => Array.from({ length: 12 }, (_, k) => `a = (a * ${k + 3} + b) % 1000003; b = (b ^ a) + ${i};`).join('\n');
  let flip = false;
  const until = Date.now() + seconds * 1000;
  for (let i = 0; Date.now() < until; i++) {
    const callee = new Function('a', 'b', `${body(i)}\nreturn a + b + ${i};`);
    const caller = new Function('callee', 'n', `let s = ${i}; for (let j = 0; j < n; j++) s += callee(j, s & 255); return s;`);
    for (let w = 0; w < 50; w++) callee(w, w); // a feedback vector, so the callee can be inlined
    for (let r = 0; r < 40; r++) {
      caller(callee, 30);
      if (flips && (r & 3) === 0) setFlagsFromString(flips[(flip = !flip) ? 0 : 1]);
    }
  }
  process.exit(0);
}

const children = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 10);
for (const [name, flips] of Object.entries(CASES)) {
  let aborted = 0;
  for (let k = 0; k < children; k++) {
    const run = spawnSync(process.execPath, ['--interrupt-budget=2000', new URL(import.meta.url).pathname, '--child', JSON.stringify(flips), String(seconds)], { encoding: 'utf8' });
    if (/Check failed/.test(run.stderr)) aborted += 1;
  }
  console.log(`${name.padEnd(32)} V8 aborted ${aborted} of ${children} children`);
}
