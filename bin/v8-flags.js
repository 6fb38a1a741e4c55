// V8 flags for the CLI's processes. They are given on node's command line (the npm scripts, the
// Docker image's entrypoint, Railway's start commands): V8 reads them before it compiles
// anything. The CLI's own first line does not carry them (see bin/mock-drama.js). Set from
// inside a running process they could abort it (see below).
/**
 * A process that has just started spends more CPU in V8's optimizing compiler (TurboFan) than in
 * the code it produces (bench/README.md: TurboFan 21–28 % of the Node processes' samples in a
 * fresh cluster run, optimized JavaScript 4–10 %). Two settings make it compile less:
 * - Half V8's inlining budgets (460 and 920 bytes of bytecode): smaller graphs compile faster.
 *   Alternated fresh runs of `bash bench/cluster/run.sh 300` (2 serve + 3 work): 0–23 % less CPU
 *   per turn in eight pairs, none worse, about 10 % on average. Warm (`WARMUP=1500`) no worse:
 *   6.99 and 5.75 against 6.99 and 6.65 ms per turn.
 * - Twice V8's interrupt budget (67,584): a function runs twice as long before it is optimized,
 *   so code that runs only now and then is not compiled at all. On top of the first: 7–11 % less
 *   in three fresh pairs; warm within the noise (5.76, 6.60, 6.76 against 5.66, 7.81, 6.70 ms).
 *   Four times the budget saved another 4–12 % fresh but cost 5–10 % warm, so it is not used.
 * All-in-one (`bash bench/all-in-one/run.sh 100`), where one process compiles the code once, both
 * together are within the noise: 10.3–13.5 (median 11.6) against 11.2–11.6 (11.3) ms per turn in
 * five pairs.
 */
export const DEFAULT_V8_FLAGS = '--max-inlined-bytecode-size=115 --max-inlined-bytecode-size-cumulative=230 --interrupt-budget=135168';

/**
 * Why not set them at start with `v8.setFlagsFromString`, as the CLI once did: a compile job that
 * is already running on V8's background thread when `--max-inlined-bytecode-size` changes finds a
 * function it had chosen to inline no longer inlineable, and V8 aborts the process (`Check
 * failed: inlineability == SharedFunctionInfo::kHasOptimizationDisabled`). Node's bootstrap and
 * module loader run before any code of ours, so such a job can be in flight when the CLI's first
 * line runs: CI saw the abort in a worker on 2026-12-06, the start-up benchmark in one start of
 * ~40 on 2026-12-07, and `node bench/tools/v8-flag-race.mjs` makes it in seconds.
 */

/** Flags `V8_FLAGS` asks for that node was not started with (V8_FLAGS is no longer applied). */
export function v8FlagsNotApplied(env = process.env, execArgv = process.execArgv) {
  const wanted = (env.V8_FLAGS ?? '').trim();
  return wanted ? wanted.split(/\s+/).filter((flag) => !execArgv.includes(flag)) : [];
}

// `node bin/v8-flags.js` prints the defaults, for scripts that start node themselves.
if (import.meta.url === `file://${process.argv[1]}`) console.log(DEFAULT_V8_FLAGS);
