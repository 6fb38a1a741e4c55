// V8 flags the CLI sets on itself before any of its code is compiled (`V8_FLAGS` in README.md).
import { setFlagsFromString } from 'node:v8';

/**
 * Less inlining in V8's optimizing compiler (TurboFan) than its defaults (460 and 920 bytes of
 * bytecode). A process that has just started spends more CPU compiling the turn's code than
 * running it (bench/README.md: TurboFan 21–28 % of the Node processes' samples in a fresh
 * cluster run), and smaller inlined graphs compile faster. Measured alternated with
 * `bash bench/cluster/run.sh 300` (2 serve + 3 work): 0–23 % less CPU per turn in eight pairs of
 * fresh runs (none worse, about 10 % on average); once warm (`WARMUP=1500`) no worse, 6.99 and
 * 5.75 against 6.99 and 6.65 ms per turn; all-in-one (one process compiles the code once) within
 * the noise, 10.5–10.7 against 10.9–11.7 ms per turn.
 */
export const DEFAULT_V8_FLAGS = '--max-inlined-bytecode-size=115 --max-inlined-bytecode-size-cumulative=230';

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
