// V8 flags the CLI sets on itself before any of its code is compiled (`V8_FLAGS` in README.md).
import { setFlagsFromString } from 'node:v8';

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

/** The flags `env` asks for: `V8_FLAGS` when set (empty: V8's own defaults), ours otherwise. */
export function v8FlagsFrom(env) {
  return (env.V8_FLAGS ?? DEFAULT_V8_FLAGS).trim();
}

/** Sets them on this process's V8 (legal until it has compiled what they affect); returns them. */
export function applyV8Flags(env = process.env) {
  const flags = v8FlagsFrom(env);
  if (flags) setFlagsFromString(flags);
  return flags;
}
