/**
 * Small statistics helpers shared by the benchmarks: nearest-rank percentiles, stage summaries,
 * event-loop delay and CPU accounting. No dependencies beyond node:*.
 * @module
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Nearest-rank percentile of an ascending array. */
function rank(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** p50/p95/p99/max/mean of the finite values; null when there are none. */
export function summarize(values: Iterable<number | undefined | null>): Summary | null {
  const xs: number[] = [];
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) xs.push(v);
  if (xs.length === 0) return null;
  xs.sort((a, b) => a - b);
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return { n: xs.length, p50: round(rank(xs, 50)), p95: round(rank(xs, 95)), p99: round(rank(xs, 99)), max: round(xs.at(-1)!), mean: round(mean) };
}

/** The stages of `TurnResult.timings`, in pipeline order. */
export const STAGES = ['queueWait', 'load', 'narrate', 'firstToken', 'judge', 'apply', 'embed', 'commit', 'publish', 'total'] as const;
export type Stage = (typeof STAGES)[number];

/** Per-stage summaries of a list of timings objects (missing stages are skipped). */
export function summarizeStages(timings: Array<Partial<Record<Stage, number>>>): Record<string, Summary | null> {
  const out: Record<string, Summary | null> = {};
  for (const stage of STAGES) out[stage] = summarize(timings.map((t) => t[stage]));
  return out;
}

/** Keep only the listed keys of each summary (for compact output). */
export function pick(s: Summary | null, keys: Array<keyof Summary>): Partial<Summary> | null {
  if (!s) return null;
  return Object.fromEntries(keys.map((k) => [k, s[k]])) as Partial<Summary>;
}

/** Measures this process's event-loop delay and CPU between start() and stop(). */
export class ProcessMeter {
  static readonly RESOLUTION_MS = 10;
  readonly #histogram = monitorEventLoopDelay({ resolution: ProcessMeter.RESOLUTION_MS });
  #cpu = process.cpuUsage();
  #wall = performance.now();

  start(): void {
    this.#histogram.reset();
    this.#histogram.enable();
    this.#cpu = process.cpuUsage();
    this.#wall = performance.now();
  }

  stop(): { event_loop_delay_ms: { p50: number; p99: number; max: number }; cpu_percent: number } {
    this.#histogram.disable();
    const cpu = process.cpuUsage(this.#cpu);
    const wallMs = performance.now() - this.#wall;
    // The histogram records each timer interval (resolution included): report only the lateness.
    const ms = (ns: number) => round(Math.max(0, ns / 1e6 - ProcessMeter.RESOLUTION_MS));
    return {
      event_loop_delay_ms: { p50: ms(this.#histogram.percentile(50)), p99: ms(this.#histogram.percentile(99)), max: ms(this.#histogram.max) },
      // 100 = one core fully busy; this machine's ceiling is cores × 100.
      cpu_percent: round(((cpu.user + cpu.system) / 1000 / wallMs) * 100),
    };
  }
}

export { round };
