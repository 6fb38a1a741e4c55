/**
 * Builds the resource bag for a process. The only module that knows every concrete adapter;
 * the run modes differ only here.
 * @module
 */
import { presenceOf } from '../domain/presence.js';
import { DramaService } from '../domain/drama-service.js';
import { systemClock, type Clock } from '../domain/ports/clock.js';
import type { SessionHeads } from '../domain/ports/session-heads.js';
import type { TurnQueue } from '../domain/ports/turn-queue.js';
import type { TurnWorker } from '../domain/ports/turn-worker.js';
import type { EventBus } from '../domain/ports/event-bus.js';
import type { Logger } from '../shared/log.js';
import type { TurnDeps } from '../domain/turn-deps.js';
import type { Env } from '../config/env.js';
import { InkStoryEngine } from '../engine/ink/ink-story-engine.js';
import { DramaError } from '../domain/errors.js';
import { openStore } from '../storage/db.js';
import { DEFAULT_PRICES } from '../domain/pricing.js';
import { Metrics, type MetricsSources } from '../observability/metrics.js';
import { withRealtime } from './create-realtime.js';
import { instrumentStore } from '../observability/instrument.js';
import { SessionCache } from '../storage/session-cache.js';
import { withSessionHeadWrites } from '../storage/session-heads-writes.js';
import type { StoreWithStats } from '../storage/stats.js';
import { createTurnTracer, traceQueue } from '../observability/trace-turns.js';
import { startTracing, type Tracing } from '../observability/tracing.js';
import { withTimeout } from '../shared/timeout.js';
import { createMemory } from './create-memory.js';
import { createModels, OFFLINE_FALLBACK_JUDGE, type Models } from './create-models.js';
import { createSettingsService, keySealer } from './create-settings.js';
import type { SettingsService } from '../domain/settings-service.js';
import { createTransport } from './create-transport.js';
import type { Transport } from './transport.js';
import { installShippedStories } from './install-shipped-stories.js';
import { CODE_VERSION } from './code-version.js';
import { startTraceRetention } from './trace-retention.js';
import { startTurnWorker } from './turn-worker-runtime.js';
import { startTurnThread, type TurnThread, type TurnThreadDatabase } from './turn-thread/start-turn-thread.js';

/** What a process does: everything (`all`), HTTP only (`serve`), or turns only (`work`). */
export type ProcessRole = 'all' | 'serve' | 'work';

export interface Runtime {
  env: Env;
  role: ProcessRole;
  transport: Transport;
  deps: TurnDeps;
  queue: TurnQueue;
  service: DramaService;
  /** Players' settings and provider keys (`/api/me/settings`, `/api/me/provider-keys`). */
  settings: SettingsService;
  /** This process's Prometheus metrics (`GET /metrics`). */
  metrics: Metrics;
  /** This process's traces (OpenTelemetry; `enabled` only with an OTLP endpoint configured). */
  tracing: Tracing;
  /** The thread the turns run on (all-in-one with TURN_THREAD=on); absent when they run here. */
  turnThread?: TurnThread;
  /** Throws, naming the dependency, when the database or Redis (the queue, the bus) does not answer in time. */
  ready(): Promise<void>;
  /** Stop taking turns and finish queued and running ones within the grace period. */
  drain(): Promise<void>;
  /** Drain, then close the bus and the database. */
  close(): Promise<void>;
}

export interface RuntimeOptions {
  logger: Logger;
  clock?: Clock;
  /** Install `*.ink` from STORIES_DIR at start (default: yes, except for workers). */
  installStories?: boolean;
  role?: ProcessRole;
  /** The process's metrics; default: a new registry for this runtime. */
  metrics?: Metrics;
  /** Record metrics (default true). Off only to measure what recording costs (benchmarks). */
  instrument?: boolean;
  /** The queue and bus to run on instead of the environment's (the turn thread's: thread-transport.ts). */
  transport?: Transport;
  /** The database to open instead of the environment's (the turn thread's: the main thread's database). */
  database?: TurnThreadDatabase;
}

/** How long a readiness check waits for each dependency. */
export const READY_TIMEOUT_MS = 2000;

async function check(name: string, probe: () => Promise<void>): Promise<void> {
  try {
    await withTimeout(probe(), READY_TIMEOUT_MS, () => {
      throw new Error(`no answer within ${READY_TIMEOUT_MS} ms`);
    });
  } catch (err) {
    throw new Error(`${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

function modelDeps(models: Models): Pick<TurnDeps, 'narrator' | 'judge' | 'embedder' | 'fallbackJudge' | 'modelsFor'> {
  const { narrator, judge, embedder, fallbackJudge, modelsFor } = models;
  return fallbackJudge ? { narrator, judge, embedder, fallbackJudge, modelsFor } : { narrator, judge, embedder, modelsFor };
}

/** `serve` and `work` processes share the queue, the events and the database: they need servers for them. */
function assertSharedServices(env: Env, role: ProcessRole): void {
  if (role !== 'all' && !env.REDIS_URL) {
    throw new DramaError('config_invalid', `\`mock-drama ${role}\` needs REDIS_URL: web servers and workers share the queue and events through Redis. Use \`mock-drama all\` for a single process.`);
  }
  if (role !== 'all' && !env.DATABASE_URL) {
    throw new DramaError('config_invalid', `\`mock-drama ${role}\` needs DATABASE_URL: the embedded database belongs to one process.`);
  }
}

/** Start the turn thread and hand the queue's jobs to it. */
async function runTurnsOnThread(env: Env, worker: TurnWorker, database: TurnThreadDatabase, parts: { queue: TurnQueue; bus: EventBus; heads?: SessionHeads; logger: Logger; metrics: Metrics }): Promise<TurnThread> {
  const { logger } = parts;
  const thread = await startTurnThread({ env, database, queue: parts.queue, bus: parts.bus, ...(parts.heads ? { heads: parts.heads } : {}), logger, logLevel: (logger as { level?: string }).level ?? env.LOG_LEVEL, tty: process.stderr.isTTY === true });
  parts.metrics.addThread(thread.metrics);
  worker.start(thread.handlers);
  logger.info({ database: database.pglite ? 'pglite' : 'postgres' }, 'turns run on a thread of their own');
  return thread;
}

/** Where a turn thread would reach this process's database: a server, or PGlite's own thread. */
function turnThreadDatabase(env: Env, pgliteUrl: string | undefined, logger: Logger): TurnThreadDatabase | null {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, pglite: false };
  if (pgliteUrl) return { url: pgliteUrl, pglite: true };
  logger.warn({ dataDir: env.DATA_DIR, pgliteThread: env.PGLITE_THREAD }, 'TURN_THREAD=on needs the database off the main thread (PGLITE_THREAD=on with a data directory, or DATABASE_URL): turns run on the main thread');
  return null;
}

/**
 * The session cache in front of the store where this process is the database's only writer:
 * PGlite it opened itself (its data directory is locked to it), and no turn thread writing beside it.
 */
function withSessionCache(env: Env, store: StoreWithStats, where: { attached: boolean; turnThread: boolean }): StoreWithStats {
  if (env.SESSION_CACHE_MB === 0 || store.kind !== 'pglite' || where.attached || where.turnThread) return store;
  return new SessionCache(env.SESSION_CACHE_MB * 2 ** 20).wrap(store);
}

/** What metrics read at scrape time: the queue's counts, the store's pool and caches, the shared session heads' claims. */
function metricSources(store: StoreWithStats, queue: TurnQueue, heads: Transport['heads']): MetricsSources {
  return {
    ...(queue.counts ? { queue: () => queue.counts!() } : {}),
    ...(store.poolStats ? { dbPool: () => store.poolStats!() } : {}),
    ...(store.memoryCacheStats ? { memoryCache: () => store.memoryCacheStats!() } : {}),
    ...(store.sessionCacheStats ? { sessionCache: () => store.sessionCacheStats!() } : {}),
    ...(heads?.stats ? { sessionHeadClaims: () => heads.stats!().claims, sessionHeadReads: () => heads.stats!().reads } : {}),
  };
}

/** Open the store, models, queue and bus for the all-in-one process. */
export async function createRuntime(env: Env, options: RuntimeOptions): Promise<Runtime> {
  const logger = options.logger;
  const role = options.role ?? 'all';
  const injected = options.transport;
  if (!injected) assertSharedServices(env, role);
  const metrics = options.metrics ?? new Metrics({ role });
  const rawStore = await openStore({ databaseUrl: options.database?.url ?? env.DATABASE_URL, ...(options.database?.pglite ? { attachPglite: options.database.url } : {}), dataDir: env.DATA_DIR, poolSize: env.DATABASE_POOL_SIZE, poolGrowAfterMs: env.PG_POOL_GROW_AFTER_MS, pipelineConnections: env.PG_PIPELINE_CONNECTIONS, statementTimeoutMs: env.PG_STATEMENT_TIMEOUT_MS, schema: env.DATABASE_SCHEMA, logger, memoryCacheBytes: env.MEMORY_CACHE_MB * 1024 * 1024, pgliteThread: env.PGLITE_THREAD === 'on' });
  const instrument = options.instrument ?? true;
  const threadDb = role === 'all' && env.TURN_THREAD === 'on' && !options.clock ? turnThreadDatabase(env, rawStore.pgliteUrl, logger) : null;
  const cachedStore = withSessionCache(env, rawStore, { attached: Boolean(options.database), turnThread: Boolean(threadDb) });
  const instrumented = instrument ? instrumentStore(cachedStore, metrics) : cachedStore;
  const transport = injected ?? (await createTransport(env, logger, instrument ? { onBusDelivery: (lagMs) => metrics.busLag(lagMs), onWorkerConcurrency: (n) => metrics.workerConcurrency.set(n) } : {}));
  // Every writer of sessions (a turn thread too, through its transport) forgets the shared heads.
  const store = transport.heads ? withSessionHeadWrites(instrumented, transport.heads, logger) : instrumented;
  const { queue } = transport;
  // Supabase Realtime (when on) sees every event a publisher of this process puts on the bus
  // (the turn thread's events are published on the main thread's bus, and seen there).
  const bus = injected ? transport.bus : withRealtime(env, transport.bus, logger, metrics);
  // With a turn thread, turns and the work beside them (re-embedding, trace retention) run there.
  const runsTurnsHere = role !== 'serve' && !threadDb;
  const sealer = keySealer(env);
  const settings = createSettingsService(env, store, sealer);
  const models = createModels(env, logger, instrument ? (call) => metrics.modelCall(call) : undefined, sealer);
  metrics.setModels([...models.chains.narrator, ...models.chains.judge, models.chains.embedder, OFFLINE_FALLBACK_JUDGE]);
  metrics.watch(metricSources(cachedStore, queue, transport.heads));
  const tracing = await startTracing(env, role);
  // What carries a job (and its trace context) from the web process to the worker, on spans.
  const messagingSystem = transport.kind === 'redis' ? 'bullmq' : 'in-process';
  const engine = new InkStoryEngine({ cacheSize: env.STORY_CACHE_SIZE, compileTimeoutMs: env.COMPILE_TIMEOUT_MS });
  const deps: TurnDeps = {
    store,
    engine,
    ...modelDeps(models),
    bus,
    ...(transport.heads ? { heads: transport.heads } : {}),
    clock: options.clock ?? systemClock,
    logger,
    ...(tracing.enabled ? { tracer: createTurnTracer(tracing.tracer) } : {}),
    settings: { historyTurns: env.HISTORY_TURNS, memoryTopK: env.MEMORY_TOP_K, narrationFlushMs: env.NARRATION_FLUSH_MS, prices: { ...DEFAULT_PRICES, ...env.MODEL_PRICES }, codeVersion: CODE_VERSION, record: env.TURN_RECORDING === 'on' },
  };
  const longTerm = createMemory(env, { store, embedder: deps.embedder, summarizer: models.summarizer, logger }, runsTurnsHere);
  deps.memory = longTerm.memory;
  if (options.installStories ?? role !== 'work') {
    const count = await installShippedStories(deps, env.STORIES_DIR);
    logger.info({ count, dir: env.STORIES_DIR }, 'shipped stories ready');
  }
  const stopRetention = runsTurnsHere ? startTraceRetention(store, deps.clock, env.TRACE_RETENTION_DAYS, logger) : () => undefined;
  const serviceQueue = tracing.enabled ? traceQueue(queue, tracing.tracer, messagingSystem) : queue;
  const service = new DramaService(deps, serviceQueue, {
    maxInputChars: env.MAX_INPUT_CHARS,
    dailyTokenBudget: env.DAILY_TOKEN_BUDGET,
    maxSessionsPerUser: env.MAX_SESSIONS_PER_USER,
    maxStoriesPerUser: env.MAX_STORIES_PER_USER,
    maxMembersPerSession: env.MAX_MEMBERS_PER_SESSION,
    maxQueuedActions: env.MAX_QUEUED_ACTIONS,
    roundTimeoutS: env.ROUND_TIMEOUT_S,
    voteWindowS: env.VOTE_WINDOW_S,
  }, { onBudgetCheck: (ratio) => metrics.budgetCheck(ratio), ...(role !== 'work' ? { isOnline: presenceOf(transport.socketSlots) } : {}) });
  const worker = role !== 'serve' ? await transport.createWorker() : null;
  const turnThread = worker && threadDb ? await runTurnsOnThread(env, worker, threadDb, { queue, bus, ...(transport.heads ? { heads: transport.heads } : {}), logger, metrics }) : null;
  if (worker && !threadDb) startTurnWorker(worker, { deps, bus, logger, clock: deps.clock, metrics, instrument, tracing, messagingSystem, next: (id) => service.arbiter.pump(id) }, env.WORKER_CONCURRENCY);
  return {
    env,
    role,
    transport,
    deps,
    queue,
    service,
    settings,
    metrics,
    tracing,
    ...(turnThread ? { turnThread } : {}),
    async ready() {
      await Promise.all([check('database', () => store.ping()), check(transport.kind === 'redis' ? 'redis' : 'queue', () => transport.ping())]);
    },
    drain: async () => {
      await worker?.close({ graceMs: env.SHUTDOWN_GRACE_MS });
      if (!worker) await queue.close();
    },
    async close() {
      longTerm.reembed?.stop();
      service.arbiter.close();
      stopRetention();
      await worker?.close({ graceMs: env.SHUTDOWN_GRACE_MS });
      await turnThread?.close();
      await transport.close();
      await engine.close();
      await store.close();
      // Last: the spans of the turns that just finished go out before the process ends.
      await tracing.shutdown();
    },
  };
}
