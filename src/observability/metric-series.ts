/**
 * Every series a process exports, with its name, help, labels and buckets. Names, labels and
 * label values are a contract with the dashboards and alert rules in deploy/observability/.
 * @module
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { MemoryCacheStats, PoolStats, SessionCacheStats } from '../storage/stats.js';
import type { QueueCounts } from '../domain/ports/turn-queue.js';
import { withTimeout } from '../shared/timeout.js';
import type { StreamTransport } from './metric-labels.js';

/** Where scrape-time gauges read from; set by the process as its parts come up. */
export interface MetricsSources {
  queue?: () => Promise<QueueCounts>;
  dbPool?: () => PoolStats;
  memoryCache?: () => MemoryCacheStats;
  sessionCache?: () => SessionCacheStats;
  /** Distributed: actions, and a player's reads, by whether the shared session heads knew their session (SESSION_HEAD_CACHE). */
  sessionHeadClaims?: () => { known: number; unknown: number };
  sessionHeadReads?: () => { known: number; unknown: number };
  connections?: () => Record<StreamTransport, number>;
}

/** How long a scrape waits for the queue's counts (a Redis round trip) before leaving them out. */
const SCRAPE_QUEUE_TIMEOUT_MS = 1000;

/** The series of one process, registered in `registry`; scrape-time gauges read `sources`. */
export function createMetricSeries(registry: Registry, sources: MetricsSources) {
  const registers = [registry];
  return { ...turnSeries(registers, sources), ...modelSeries(registers), ...streamSeries(registers, sources), ...storageSeries(registers, sources), ...sessionHeadSeries(registers, sources), ...errorSeries(registers) };
}

type Registers = Registry[];

/** Turns and the queue they wait in. */
function turnSeries(registers: Registers, sources: MetricsSources) {
  return {
    turnStageSeconds: new Histogram({
      name: 'mock_drama_turn_stage_duration_seconds',
      help: 'Time a turn spent per pipeline stage (stage="total": the whole pipeline). Failed and retrying attempts only record "total".',
      labelNames: ['stage', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80, 160],
      registers,
    }),
    turnsTotal: new Counter({ name: 'mock_drama_turns_total', help: 'Turn attempts run by this process, by outcome.', labelNames: ['outcome'], registers }),
    turnsInProgress: new Gauge({ name: 'mock_drama_turns_in_progress', help: 'Turns this process is running right now.', registers }),
    queueWaitSeconds: new Histogram({
      name: 'mock_drama_queue_wait_seconds',
      help: 'From the action being accepted to a worker starting its first attempt.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    }),
    queueDepth: new Gauge({
      name: 'mock_drama_queue_depth',
      help: 'Turns in the queue by state (waiting, active, delayed = waiting out a retry backoff). Shared queue: every process reports the same numbers; aggregate with max().',
      labelNames: ['state'],
      registers,
      async collect() {
        if (!sources.queue) return;
        try {
          const counts = await withTimeout(sources.queue(), SCRAPE_QUEUE_TIMEOUT_MS, () => {
            throw new Error(`timed out after ${SCRAPE_QUEUE_TIMEOUT_MS} ms`);
          });
          this.set({ state: 'waiting' }, counts.waiting);
          this.set({ state: 'active' }, counts.active);
          this.set({ state: 'delayed' }, counts.delayed);
        } catch {
          // Redis unreachable: no stale numbers (an absent series is what alerts can see).
          this.reset();
        }
      },
    }),
    workerConcurrency: new Gauge({ name: 'mock_drama_worker_concurrency', help: 'Turns one worker process runs at once (WORKER_CONCURRENCY); present only on processes that run turns.', registers }),
  };
}

/** Model calls, the judge's decisions and memory search. */
function modelSeries(registers: Registers) {
  return {
    narratorFirstTokenSeconds: new Histogram({
      name: 'mock_drama_narrator_first_token_seconds',
      help: 'At the provider: from the narrator call starting to its first text delta (completed turns).',
      labelNames: ['provider', 'model'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8, 15, 30],
      registers,
    }),
    turnFirstDeltaSeconds: new Histogram({
      name: 'mock_drama_turn_first_delta_seconds',
      help: 'Towards the client: from the action being accepted to the first narration.delta being published (add mock_drama_event_bus_lag_seconds and the network for what the player sees).',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8, 15, 30, 60],
      registers,
    }),
    modelCallsTotal: new Counter({
      name: 'mock_drama_model_calls_total',
      help: 'Model calls at the provider edge (after per-model retries), by configured provider and model, role (chain) and outcome.',
      labelNames: ['provider', 'model', 'role', 'outcome'],
      registers,
    }),
    modelCallSeconds: new Histogram({
      name: 'mock_drama_model_call_duration_seconds',
      help: 'Duration of model calls (a narrator call lasts until its stream ends).',
      labelNames: ['provider', 'model', 'role'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80, 160],
      registers,
    }),
    modelTokensTotal: new Counter({
      name: 'mock_drama_model_tokens_total',
      help: 'Tokens of the model calls of completed turns (type="cached_input" is the part of "input" served from the prompt cache).',
      labelNames: ['provider', 'model', 'role', 'type'],
      registers,
    }),
    modelCostUsdTotal: new Counter({
      name: 'mock_drama_model_cost_usd_total',
      help: 'Cost in US dollars of the model calls of completed turns (MODEL_PRICES).',
      labelNames: ['provider', 'model', 'role'],
      registers,
    }),
    judgeDecisionsTotal: new Counter({
      name: 'mock_drama_judge_decisions_total',
      help: 'How completed turns got their decision: result="direct" (first answer), "repaired" (after one repair request), "fallback" (the offline judge decided).',
      labelNames: ['result'],
      registers,
    }),
    memorySearchSeconds: new Histogram({
      name: 'mock_drama_memory_retrieval_duration_seconds',
      help: "Memory retrieval: the vector search for a turn's memories (embedding the query is a model call, role=\"embedder\").",
      labelNames: ['backend'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
  };
}

/** Open event streams and the bus that feeds them. */
function streamSeries(registers: Registers, sources: MetricsSources) {
  return {
    streamConnections: new Gauge({
      name: 'mock_drama_stream_connections',
      help: 'Open WebSocket and SSE connections on this web process.',
      labelNames: ['transport'],
      registers,
      collect() {
        const counts = sources.connections?.();
        if (!counts) return;
        for (const [transport, n] of Object.entries(counts)) this.set({ transport }, n);
      },
    }),
    eventBusLagSeconds: new Histogram({
      name: 'mock_drama_event_bus_lag_seconds',
      help: 'Redis event bus: from an event being published (its `at`, publisher clock) to this process receiving it.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
  };
}

/**
 * A `result`-labelled counter of what a part of the process counts itself (a cache's hits and
 * misses): at each scrape it catches up with the totals `read` returns (none: the part is off).
 */
function resultCounter(registers: Registers, name: string, help: string, read: () => Record<string, number> | undefined): Counter<'result'> {
  const seen: Record<string, number> = {};
  return new Counter({
    name,
    help,
    labelNames: ['result'],
    registers,
    collect() {
      for (const [result, total] of Object.entries(read() ?? {})) {
        const before = seen[result] ?? 0;
        if (total > before) this.inc({ result }, total - before);
        seen[result] = total;
      }
    },
  });
}

/** The shared session heads' answers, by whether they knew the session: to actions (claims) and to reads. */
function sessionHeadSeries(registers: Registers, sources: MetricsSources) {
  const help = (what: string) =>
    `Distributed (SESSION_HEAD_CACHE): ${what} by whether the session heads shared in Redis knew the session (known: no database read) or not (unknown: the database answered, and the head is remembered when it may be).`;
  return {
    sessionHeadClaims: resultCounter(registers, 'mock_drama_session_head_claims_total', help('actions'), () => sources.sessionHeadClaims?.()),
    sessionHeadReads: resultCounter(registers, 'mock_drama_session_head_reads_total', help("a player's reads of their session (a WebSocket opened, a task's status)"), () => sources.sessionHeadReads?.()),
  };
}

/** The memory search cache, the session cache and the PostgreSQL pool, read at scrape time. */
function storageSeries(registers: Registers, sources: MetricsSources) {
  return {
    sessionCacheSessions: new Gauge({
      name: 'mock_drama_session_cache_sessions',
      help: 'Sessions the write-through session cache of this process holds (all-in-one on PGlite; budget: SESSION_CACHE_MB).',
      registers,
      collect() {
        const stats = sources.sessionCache?.();
        if (stats) this.set(stats.sessions);
      },
    }),
    sessionCacheReads: resultCounter(
      registers,
      'mock_drama_session_cache_reads_total',
      "Session heads and turn loads by how the session cache served them: hit (from the cache), miss (the database answered). A commit brings the session's entry forward, so a player's next turn hits.",
      () => {
        const stats = sources.sessionCache?.();
        return stats && { hit: stats.hits, miss: stats.misses };
      },
    ),
    memoryCacheBytes: new Gauge({
      name: 'mock_drama_memory_cache_bytes',
      help: 'Memory held by the in-process memory search cache of this process (budget: MEMORY_CACHE_MB).',
      registers,
      collect() {
        const stats = sources.memoryCache?.();
        if (stats) this.set(stats.bytes);
      },
    }),
    memoryCacheSessions: new Gauge({
      name: 'mock_drama_memory_cache_sessions',
      help: 'Sessions whose memories the in-process search cache of this process holds.',
      registers,
      collect() {
        const stats = sources.memoryCache?.();
        if (stats) this.set(stats.sessions);
      },
    }),
    memoryCacheSearches: resultCounter(
      registers,
      'mock_drama_memory_cache_searches_total',
      'Memory searches by how the in-process cache served them: hit (its copy was current), refresh (changes read first), load (the whole session read first), miss (not held: loading in the background or too large, the database answered).',
      () => {
        const stats = sources.memoryCache?.();
        return stats && { hit: stats.hits, refresh: stats.refreshes, load: stats.loads, miss: stats.misses };
      },
    ),
    dbPoolConnections: new Gauge({
      name: 'mock_drama_db_pool_connections',
      help: 'PostgreSQL connections of this process by state (in_use and idle in the pool; pipelined: those of the hot path, PG_PIPELINE_CONNECTIONS).',
      labelNames: ['state'],
      registers,
      collect() {
        const stats = sources.dbPool?.();
        if (!stats) return;
        this.set({ state: 'in_use' }, Math.max(0, stats.total - stats.idle));
        this.set({ state: 'idle' }, stats.idle);
        this.set({ state: 'pipelined' }, stats.pipelined);
      },
    }),
    dbPoolWaiting: new Gauge({
      name: 'mock_drama_db_pool_waiting',
      help: 'Queries of this process waiting for a PostgreSQL pool connection.',
      registers,
      collect() {
        const stats = sources.dbPool?.();
        if (stats) this.set(stats.waiting);
      },
    }),
    dbPoolOpened: new Gauge({
      name: 'mock_drama_db_pool_connections_opened',
      help: 'PostgreSQL connections this process has opened since it started (each costs the server a warm-up; PG_POOL_GROW_AFTER_MS).',
      registers,
      collect() {
        const stats = sources.dbPool?.();
        if (stats) this.set(stats.opened);
      },
    }),
    dbPoolMax: new Gauge({
      name: 'mock_drama_db_pool_max_connections',
      help: 'Size of the PostgreSQL pool of this process (PG_POOL_MAX).',
      registers,
      collect() {
        const stats = sources.dbPool?.();
        if (stats) this.set(stats.max);
      },
    }),
  };
}

/** Errors by code, and budget checks. */
function errorSeries(registers: Registers) {
  return {
    errorsTotal: new Counter({
      name: 'mock_drama_errors_total',
      help: 'Errors by code: source="turn" for failed turn attempts, "http" for error responses.',
      labelNames: ['source', 'code'],
      registers,
    }),
    budgetChecksTotal: new Counter({
      name: 'mock_drama_budget_checks_total',
      help: 'Daily token budget checks on actions (DAILY_TOKEN_BUDGET): result="ok", "nearly_spent" (80 % or more used), "exceeded" (refused).',
      labelNames: ['result'],
      registers,
    }),
  };
}

/** The series of a process, by what they measure. */
export type MetricSeries = ReturnType<typeof createMetricSeries>;
