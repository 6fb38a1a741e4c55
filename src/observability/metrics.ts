/**
 * Prometheus metrics of one process (prom-client). The runtime creates one {@link Metrics} per
 * process and hands it around in the resource bag; nothing here is a module global (prom-client's
 * default registry is not used). `GET /metrics` on web processes and on the workers' health port
 * serves {@link Metrics.render}.
 *
 * Conventions: every name starts with `mock_drama_`, carries its unit (`_seconds`, `_usd`,
 * `_total` for counters), and every label has a small, fixed set of values. Model ids are mapped
 * onto the configured ones (unknown → `other`), error codes onto the closed set of codes
 * (unknown → `other`). Session, user, task and story ids are never labels.
 * @module
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DramaErrorCode } from '../domain/errors.js';
import type { PoolStats } from '../domain/ports/store.js';
import type { QueueCounts } from '../domain/ports/turn-queue.js';
import type { ModelCallUsage, TurnResult, TurnTimings } from '../domain/types.js';

export type MetricsRole = 'all' | 'serve' | 'work';

/** Stages of a turn recorded from {@link TurnTimings} (`total` is the whole pipeline). */
export const TURN_STAGES = ['load', 'narrate', 'judge', 'apply', 'embed', 'commit', 'publish', 'total'] as const;
export type TurnStage = (typeof TURN_STAGES)[number];

/**
 * How a turn attempt ended: `completed`; `retrying` (it failed and the queue runs it again);
 * `failed` (final); `replayed` (the task had already committed, the result was announced again).
 */
export const TURN_OUTCOMES = ['completed', 'failed', 'retrying', 'replayed'] as const;
export type TurnOutcome = (typeof TURN_OUTCOMES)[number];

/** Model call outcomes at the provider edge. */
export const MODEL_CALL_OUTCOMES = ['ok', 'error', 'aborted'] as const;
export type ModelCallOutcome = (typeof MODEL_CALL_OUTCOMES)[number];

/** Roles on `mock_drama_model_calls_total`: the chain the call went through. */
export const MODEL_CALL_ROLES = ['narrator', 'judge', 'judge-fallback', 'summarizer', 'embedder'] as const;
export type ModelCallRole = (typeof MODEL_CALL_ROLES)[number];
/** Roles on the token and cost metrics: the calls a completed turn recorded (ModelCallUsage). */
export const USAGE_ROLES = ['narrator', 'judge', 'judge-repair', 'judge-fallback'] as const satisfies readonly ModelCallUsage['role'][];

export const STREAM_TRANSPORTS = ['websocket', 'sse'] as const;
export type StreamTransport = (typeof STREAM_TRANSPORTS)[number];

export const ERROR_SOURCES = ['turn', 'http'] as const;
export type ErrorSource = (typeof ERROR_SOURCES)[number];

/** Every error code a label may carry; anything else is counted as `other`. */
const DRAMA_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'story_not_found',
  'session_not_found',
  'task_not_found',
  'not_found',
  'ink_compile_error',
  'ink_runtime_error',
  'story_ended',
  'turn_in_progress',
  'turn_conflict',
  'judge_invalid_decision',
  'model_unavailable',
  'model_output_invalid',
  'payload_too_large',
  'unsupported_media_type',
  'budget_exceeded',
  'rate_limited',
  'database_locked',
  'config_invalid',
  'shutting_down',
  'internal',
] as const satisfies readonly DramaErrorCode[];
// Fails to compile when a DramaErrorCode is added without being listed above.
type MissingCode = Exclude<DramaErrorCode, (typeof DRAMA_CODES)[number]>;
const codesComplete: [MissingCode] extends [never] ? true : MissingCode = true;
void codesComplete;
/** Codes of the queue itself (a worker lost its lock). */
const QUEUE_CODES = ['worker_lost'] as const;
const ERROR_CODES: ReadonlySet<string> = new Set<string>([...DRAMA_CODES, ...QUEUE_CODES]);

/**
 * Every value each fixed label may take (dashboards and alert rules are checked against these).
 * `provider` and `model` are the configured models (plus `unknown`/`other`), so they are not listed.
 */
export const LABEL_VALUES: Readonly<Record<string, readonly string[]>> = {
  stage: TURN_STAGES,
  outcome: [...TURN_OUTCOMES, ...MODEL_CALL_OUTCOMES],
  state: ['waiting', 'active', 'delayed', 'in_use', 'idle'],
  role: [...new Set([...MODEL_CALL_ROLES, ...USAGE_ROLES])],
  type: ['input', 'output', 'cached_input'],
  result: ['direct', 'repaired', 'fallback', 'ok', 'nearly_spent', 'exceeded'],
  transport: STREAM_TRANSPORTS,
  source: ERROR_SOURCES,
  backend: ['pgvector', 'portable'],
  code: [...DRAMA_CODES, ...QUEUE_CODES, 'other'],
};

export function errorCodeLabel(code: string): string {
  return ERROR_CODES.has(code) ? code : 'other';
}

/** A configured model, `provider:modelId`. */
export interface ModelRef {
  provider: string;
  modelId: string;
}

const OTHER_MODEL = { provider: 'unknown', model: 'other' } as const;

/**
 * Maps the model id a provider reports (often dated: `gpt-4o-mini-2024-07-18`) onto the configured
 * model it belongs to: exact match, else the longest configured id it starts with, else `other`.
 */
export class ModelCatalog {
  readonly #refs: ModelRef[];
  readonly #cache = new Map<string, { provider: string; model: string }>();

  constructor(refs: ModelRef[] = []) {
    const seen = new Set<string>();
    this.#refs = refs.filter((r) => {
      const key = `${r.provider}:${r.modelId}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  labels(modelId: string): { provider: string; model: string } {
    const cached = this.#cache.get(modelId);
    if (cached) return cached;
    let best: ModelRef | undefined;
    for (const ref of this.#refs) {
      if (ref.modelId === modelId) {
        best = ref;
        break;
      }
      if (modelId.startsWith(ref.modelId) && (!best || ref.modelId.length > best.modelId.length)) best = ref;
    }
    const labels = best ? { provider: best.provider, model: best.modelId } : OTHER_MODEL;
    // Bounded: only ever as many entries as distinct ids the providers reported, and those map
    // onto the configured ids; the cache is capped anyway.
    if (this.#cache.size < 1000) this.#cache.set(modelId, labels);
    return labels;
  }
}

/** Where scrape-time gauges read from; set by the process as its parts come up. */
export interface MetricsSources {
  queue?: () => Promise<QueueCounts>;
  dbPool?: () => PoolStats;
  connections?: () => Record<StreamTransport, number>;
}

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

/** How long a scrape waits for the queue's counts (a Redis round trip) before leaving them out. */
const SCRAPE_QUEUE_TIMEOUT_MS = 1000;

export interface MetricsOptions {
  role: MetricsRole;
  /** Node's default process metrics (CPU, memory, event loop lag, GC…); default on. */
  defaultMetrics?: boolean;
}

export class Metrics {
  readonly registry = new Registry();
  readonly role: MetricsRole;
  #catalog = new ModelCatalog();
  readonly #sources: MetricsSources = {};

  readonly turnStageSeconds: Histogram<'stage' | 'outcome'>;
  readonly turnsTotal: Counter<'outcome'>;
  readonly turnsInProgress: Gauge;
  readonly queueWaitSeconds: Histogram;
  readonly queueDepth: Gauge<'state'>;
  readonly workerConcurrency: Gauge;
  readonly narratorFirstTokenSeconds: Histogram<'provider' | 'model'>;
  readonly turnFirstDeltaSeconds: Histogram;
  readonly modelCallsTotal: Counter<'provider' | 'model' | 'role' | 'outcome'>;
  readonly modelCallSeconds: Histogram<'provider' | 'model' | 'role'>;
  readonly modelTokensTotal: Counter<'provider' | 'model' | 'role' | 'type'>;
  readonly modelCostUsdTotal: Counter<'provider' | 'model' | 'role'>;
  readonly judgeDecisionsTotal: Counter<'result'>;
  readonly memorySearchSeconds: Histogram<'backend'>;
  readonly streamConnections: Gauge<'transport'>;
  readonly eventBusLagSeconds: Histogram;
  readonly dbPoolConnections: Gauge<'state'>;
  readonly dbPoolWaiting: Gauge;
  readonly dbPoolMax: Gauge;
  readonly errorsTotal: Counter<'source' | 'code'>;
  readonly budgetChecksTotal: Counter<'result'>;

  constructor(options: MetricsOptions) {
    this.role = options.role;
    const registers = [this.registry];
    const sources = this.#sources;
    // No default labels: the scrape job (web, worker) tells processes apart, and `role` on the
    // model metrics is the model's role.
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });

    this.turnStageSeconds = new Histogram({
      name: 'mock_drama_turn_stage_duration_seconds',
      help: 'Time a turn spent per pipeline stage (stage="total": the whole pipeline). Failed and retrying attempts only record "total".',
      labelNames: ['stage', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80, 160],
      registers,
    });
    this.turnsTotal = new Counter({ name: 'mock_drama_turns_total', help: 'Turn attempts run by this process, by outcome.', labelNames: ['outcome'], registers });
    this.turnsInProgress = new Gauge({ name: 'mock_drama_turns_in_progress', help: 'Turns this process is running right now.', registers });
    this.queueWaitSeconds = new Histogram({
      name: 'mock_drama_queue_wait_seconds',
      help: 'From the action being accepted to a worker starting its first attempt.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.queueDepth = new Gauge({
      name: 'mock_drama_queue_depth',
      help: 'Turns in the queue by state (waiting, active, delayed = waiting out a retry backoff). Shared queue: every process reports the same numbers; aggregate with max().',
      labelNames: ['state'],
      registers,
      async collect() {
        if (!sources.queue) return;
        try {
          const counts = await withTimeout(sources.queue(), SCRAPE_QUEUE_TIMEOUT_MS);
          this.set({ state: 'waiting' }, counts.waiting);
          this.set({ state: 'active' }, counts.active);
          this.set({ state: 'delayed' }, counts.delayed);
        } catch {
          // Redis unreachable: no stale numbers (an absent series is what alerts can see).
          this.reset();
        }
      },
    });
    this.workerConcurrency = new Gauge({ name: 'mock_drama_worker_concurrency', help: 'Turns one worker process runs at once (WORKER_CONCURRENCY); present only on processes that run turns.', registers });
    this.narratorFirstTokenSeconds = new Histogram({
      name: 'mock_drama_narrator_first_token_seconds',
      help: 'At the provider: from the narrator call starting to its first text delta (completed turns).',
      labelNames: ['provider', 'model'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8, 15, 30],
      registers,
    });
    this.turnFirstDeltaSeconds = new Histogram({
      name: 'mock_drama_turn_first_delta_seconds',
      help: 'Towards the client: from the action being accepted to the first narration.delta being published (add mock_drama_event_bus_lag_seconds and the network for what the player sees).',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8, 15, 30, 60],
      registers,
    });
    this.modelCallsTotal = new Counter({
      name: 'mock_drama_model_calls_total',
      help: 'Model calls at the provider edge (after per-model retries), by configured provider and model, role (chain) and outcome.',
      labelNames: ['provider', 'model', 'role', 'outcome'],
      registers,
    });
    this.modelCallSeconds = new Histogram({
      name: 'mock_drama_model_call_duration_seconds',
      help: 'Duration of model calls (a narrator call lasts until its stream ends).',
      labelNames: ['provider', 'model', 'role'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80, 160],
      registers,
    });
    this.modelTokensTotal = new Counter({
      name: 'mock_drama_model_tokens_total',
      help: 'Tokens of the model calls of completed turns (type="cached_input" is the part of "input" served from the prompt cache).',
      labelNames: ['provider', 'model', 'role', 'type'],
      registers,
    });
    this.modelCostUsdTotal = new Counter({
      name: 'mock_drama_model_cost_usd_total',
      help: 'Cost in US dollars of the model calls of completed turns (MODEL_PRICES).',
      labelNames: ['provider', 'model', 'role'],
      registers,
    });
    this.judgeDecisionsTotal = new Counter({
      name: 'mock_drama_judge_decisions_total',
      help: 'How completed turns got their decision: result="direct" (first answer), "repaired" (after one repair request), "fallback" (the offline judge decided).',
      labelNames: ['result'],
      registers,
    });
    this.memorySearchSeconds = new Histogram({
      name: 'mock_drama_memory_retrieval_duration_seconds',
      help: "Memory retrieval: the vector search for a turn's memories (embedding the query is a model call, role=\"embedder\").",
      labelNames: ['backend'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.streamConnections = new Gauge({
      name: 'mock_drama_stream_connections',
      help: 'Open WebSocket and SSE connections on this web process.',
      labelNames: ['transport'],
      registers,
      collect() {
        const counts = sources.connections?.();
        if (!counts) return;
        for (const [transport, n] of Object.entries(counts)) this.set({ transport }, n);
      },
    });
    this.eventBusLagSeconds = new Histogram({
      name: 'mock_drama_event_bus_lag_seconds',
      help: 'Redis event bus: from an event being published (its `at`, publisher clock) to this process receiving it.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.dbPoolConnections = new Gauge({
      name: 'mock_drama_db_pool_connections',
      help: 'PostgreSQL pool connections of this process by state (in_use, idle).',
      labelNames: ['state'],
      registers,
      collect() {
        const stats = sources.dbPool?.();
        if (!stats) return;
        this.set({ state: 'in_use' }, Math.max(0, stats.total - stats.idle));
        this.set({ state: 'idle' }, stats.idle);
      },
    });
    this.dbPoolWaiting = new Gauge({
      name: 'mock_drama_db_pool_waiting',
      help: 'Queries of this process waiting for a PostgreSQL pool connection.',
      registers,
      collect() {
        const stats = sources.dbPool?.();
        if (stats) this.set(stats.waiting);
      },
    });
    this.dbPoolMax = new Gauge({
      name: 'mock_drama_db_pool_max_connections',
      help: 'Size of the PostgreSQL pool of this process (DATABASE_POOL_SIZE).',
      registers,
      collect() {
        const stats = sources.dbPool?.();
        if (stats) this.set(stats.max);
      },
    });
    this.errorsTotal = new Counter({
      name: 'mock_drama_errors_total',
      help: 'Errors by code: source="turn" for failed turn attempts, "http" for error responses.',
      labelNames: ['source', 'code'],
      registers,
    });
    this.budgetChecksTotal = new Counter({
      name: 'mock_drama_budget_checks_total',
      help: 'Daily token budget checks on actions (DAILY_TOKEN_BUDGET): result="ok", "nearly_spent" (80 % or more used), "exceeded" (refused).',
      labelNames: ['result'],
      registers,
    });
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

  /** The Prometheus text exposition. */
  render(): Promise<string> {
    return this.registry.metrics();
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

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
