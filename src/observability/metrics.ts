/**
 * Prometheus metrics of one process (prom-client). The runtime creates one {@link Metrics} per
 * process and hands it around in the resource bag; nothing here is a module global (prom-client's
 * default registry is not used). `GET /metrics` on web processes and on the workers' health port
 * serves {@link Metrics.render}.
 *
 * Conventions: every name starts with `mock_drama_`, carries its unit (`_seconds`, `_usd`,
 * `_total` for counters), and every label has a small, fixed set of values. Model ids are mapped
 * onto the configured ones (unknown → `other`), error codes onto the closed set of codes
 * (unknown → `other`). Session, user, task and story ids are never labels. The series themselves
 * are defined in `metric-series.ts`, their label values in `metric-labels.ts`.
 * @module
 */
import { AggregatorRegistry, collectDefaultMetrics, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { TurnResult, TurnTimings } from '../domain/types.js';
import { errorCodeLabel, TURN_STAGES, type ErrorSource, type ModelCallOutcome, type ModelCallRole } from './metric-labels.js';
import { replaceEventLoopLag } from './event-loop-lag.js';
import { createMetricSeries, type MetricSeries, type MetricsSources } from './metric-series.js';
import { ModelCatalog, type ModelRef } from './model-catalog.js';

export * from './metric-labels.js';
export { ModelCatalog, type ModelRef } from './model-catalog.js';
export type { MetricSeries, MetricsSources } from './metric-series.js';

export type MetricsRole = 'all' | 'serve' | 'work';

const ms = (value: number | undefined): number | undefined => (typeof value !== 'number' || !Number.isFinite(value) ? undefined : Math.max(0, value) / 1000);
/** Milliseconds → seconds for an observation that must happen (NaN and negatives count as 0). */
const sec = (value: number): number => (Number.isFinite(value) ? Math.max(0, value) / 1000 : 0);

/**
 * Recording must never break what it records (prom-client throws on NaN, on a negative counter
 * increment, on an unknown label): a failure is swallowed and counted once in the process log.
 */
function guarded<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      fn(...args);
    } catch (err) {
      if (!warned) {
        warned = true;
        process.emitWarning(`mock-drama metrics: a recording failed and was skipped (${err instanceof Error ? err.message : String(err)})`);
      }
    }
  };
}
let warned = false;

export interface MetricsOptions {
  role: MetricsRole;
  /** Node's default process metrics (CPU, memory, event loop lag, GC…); default on. */
  defaultMetrics?: boolean;
}

// The series are the class's own fields (metrics.turnsTotal…), defined in one place.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Metrics extends MetricSeries {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Metrics {
  readonly registry = new Registry();
  readonly role: MetricsRole;
  #catalog = new ModelCatalog();
  readonly #sources: MetricsSources = {};
  /** Registries of this process's other threads (the turn thread), served with this one. */
  readonly #threads: Array<() => Promise<MetricObjectWithValues<MetricValue<string>>[]>> = [];

  constructor(options: MetricsOptions) {
    this.role = options.role;
    // No default labels: the scrape job (web, worker) tells processes apart, and `role` on the
    // model metrics is the model's role.
    if (options.defaultMetrics ?? true) {
      // prom-client's lag monitor would wake the process every 10 ms; it is put to sleep (one
      // sample a minute) and its series replaced by event-loop-lag.ts's, sampled every 100 ms.
      collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 60_000 });
      replaceEventLoopLag(this.registry);
    }
    Object.assign(this, createMetricSeries(this.registry, this.#sources));
  }


  /** The configured models, so reported model ids map onto bounded labels. */
  setModels(refs: ModelRef[]): void {
    this.#catalog = new ModelCatalog(refs);
  }

  modelLabels(modelId: string): { provider: string; model: string } {
    return this.#catalog.labels(modelId);
  }

  /** Connect scrape-time sources (queue counts, the database pool, open connections). */
  watch(sources: MetricsSources): void {
    Object.assign(this.#sources, sources);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Serve `read`'s metrics (another thread's registry, as JSON) summed into this registry's. */
  addThread(read: () => Promise<MetricObjectWithValues<MetricValue<string>>[]>): void {
    this.#threads.push(read);
  }

  /** The Prometheus text exposition (with the other threads' series added in). */
  async render(): Promise<string> {
    if (this.#threads.length === 0) return this.registry.metrics();
    return (await this.#merged()).metrics();
  }

  /** The sum of a series' values over every label set and thread (0 when there is none). */
  async total(name: string): Promise<number> {
    const registry = this.#threads.length === 0 ? this.registry : await this.#merged();
    const metric = registry.getSingleMetric(name);
    if (!metric) return 0;
    return (await metric.get()).values.reduce((n, v) => n + v.value, 0);
  }

  async #merged(): Promise<Registry> {
    const all = await Promise.all([this.registry.getMetricsAsJSON(), ...this.#threads.map((read) => read())]);
    return AggregatorRegistry.aggregate(all);
  }

  /** Every metric name this process exports. */
  names(): string[] {
    return this.registry.getMetricsAsArray().map((m) => m.name);
  }

  // --- turns -------------------------------------------------------------------------------

  /** A turn attempt starts: queue wait (first attempts only: later ones include the backoff). */
  readonly turnStarted = guarded((attempt: number, queueWaitMs: number): void => {
    this.turnsInProgress.inc();
    if (attempt === 1) this.queueWaitSeconds.observe(sec(queueWaitMs));
  });

  /** A turn ended with a result: its stages, first token, model usage and judge path. */
  readonly turnCompleted = guarded((result: TurnResult, replayed: boolean, elapsedMs: number): void => {
    this.turnsInProgress.dec();
    if (replayed) {
      this.turnsTotal.inc({ outcome: 'replayed' });
      this.turnStageSeconds.observe({ stage: 'total', outcome: 'replayed' }, sec(elapsedMs));
      return;
    }
    this.turnsTotal.inc({ outcome: 'completed' });
    const t: Partial<TurnTimings> = result.timings ?? {};
    for (const stage of TURN_STAGES) {
      const seconds = ms(t[stage]);
      if (seconds !== undefined) this.turnStageSeconds.observe({ stage, outcome: 'completed' }, seconds);
    }
    const usage = result.usage;
    if (!usage) return;
    const narrator = usage.calls.find((c) => c.role === 'narrator');
    const firstToken = ms(t.firstToken);
    if (narrator && firstToken !== undefined) this.narratorFirstTokenSeconds.observe(this.modelLabels(narrator.modelId), firstToken);
    for (const call of usage.calls) {
      const labels = { ...this.modelLabels(call.modelId), role: call.role };
      if (positive(call.inputTokens)) this.modelTokensTotal.inc({ ...labels, type: 'input' }, call.inputTokens);
      if (positive(call.outputTokens)) this.modelTokensTotal.inc({ ...labels, type: 'output' }, call.outputTokens);
      if (positive(call.cachedInputTokens)) this.modelTokensTotal.inc({ ...labels, type: 'cached_input' }, call.cachedInputTokens);
      if (positive(call.costUsd)) this.modelCostUsdTotal.inc(labels, call.costUsd);
    }
    this.judgeDecisionsTotal.inc({ result: usage.judgeFellBack ? 'fallback' : usage.judgeRepaired ? 'repaired' : 'direct' });
  });

  /** A turn attempt threw: `retrying` when the queue will run it again, else `failed`. */
  readonly turnFailed = guarded((outcome: 'failed' | 'retrying', code: string, elapsedMs: number): void => {
    this.turnsInProgress.dec();
    this.turnsTotal.inc({ outcome });
    this.turnStageSeconds.observe({ stage: 'total', outcome }, sec(elapsedMs));
    this.error('turn', code);
  });

  /** The first narration delta of a turn was published. */
  readonly firstDelta = guarded((sinceAcceptedMs: number): void => {
    this.turnFirstDeltaSeconds.observe(sec(sinceAcceptedMs));
  });

  // --- everything else ---------------------------------------------------------------------

  readonly modelCall = guarded((call: { provider: string; model: string; role: ModelCallRole; outcome: ModelCallOutcome; ms: number }): void => {
    this.modelCallsTotal.inc({ provider: call.provider, model: call.model, role: call.role, outcome: call.outcome });
    this.modelCallSeconds.observe({ provider: call.provider, model: call.model, role: call.role }, sec(call.ms));
  });

  readonly memorySearch = guarded((backend: 'pgvector' | 'portable', elapsedMs: number): void => {
    this.memorySearchSeconds.observe({ backend }, sec(elapsedMs));
  });

  /** A negative lag is clock skew between hosts; it counts as zero rather than being dropped. */
  readonly busLag = guarded((lagMs: number): void => {
    this.eventBusLagSeconds.observe(sec(lagMs));
  });

  readonly error = guarded((source: ErrorSource, code: string): void => {
    this.errorsTotal.inc({ source, code: errorCodeLabel(code) });
  });

  readonly budgetCheck = guarded((usedRatio: number): void => {
    this.budgetChecksTotal.inc({ result: usedRatio >= 1 ? 'exceeded' : usedRatio >= 0.8 ? 'nearly_spent' : 'ok' });
  });
}


function positive(n: number | undefined): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0;
}
